"""seed_demo builds the partner services: the "Partner worden" page with fee and discount, questions in several states."""

import io

from django.core.management import call_command

from communities.demo_users import demo_user
from partners.models import KnowledgeQuestion, PartnerApplicationPage, PartnerContact
from partners.selectors import routing_for


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_builds_partner_services_and_is_idempotent(client, db):
    output = seed()
    assert "Partner services: 'Partner worden' (fee 5000, PMG discount 1250)" in output

    page = PartnerApplicationPage.objects.get()
    assert page.live and page.regular_fee == 5000
    assert [(d.network.abbreviation, d.amount) for d in page.network_discounts.all()] == [("PMG", 1250)]
    contact = PartnerContact.objects.get()
    assert contact.user == demo_user("editor")
    assert contact.organisation_list() == "Veenendaal"
    assert routing_for(demo_user("member")).contact == contact
    statuses = set(KnowledgeQuestion.objects.values_list("status", flat=True))
    assert {"new", "in_progress", "answered", "closed"} <= statuses
    assert KnowledgeQuestion.objects.filter(assignee__isnull=True).exists()  # the shared inbox has work

    counts = (PartnerApplicationPage.objects.count(), KnowledgeQuestion.objects.count(), PartnerContact.objects.count())
    seed()
    assert (PartnerApplicationPage.objects.count(), KnowledgeQuestion.objects.count(),
            PartnerContact.objects.count()) == counts

    client.force_login(demo_user("editor"))
    inbox = client.get("/kennisvragen/inbox/").content.decode()
    assert "Niet opgepakt binnen 5 werkdagen" in inbox
    assert client.get(page.url).status_code == 200
