"""Account deletion: personal data goes, contributions stay as "verwijderde deelnemer"."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse

from communities import services
from communities.errors import Conflict
from communities.models import AuditEntry, Invitation, Membership, Message
from tests.accounts.helpers import PASSWORD, field_error, log_in, main_text, soup
from tests.communities.conftest import post
from tests.security.test_headers_and_csp import inline_code
from tests.cms.factories import make_home
from tests.factories import CircleFactory, MembershipFactory

pytestmark = pytest.mark.django_db

DELETE_URL = "/profiel/verwijderen/"


def personal_traces(*needles: str, values: tuple[str, ...] = ()) -> list[str]:
    """Where in the whole database (every row of every table, and the decoded sessions) a needle
    occurs, or a column holds exactly one of `values`."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                text = " ".join(str(value) for value in row).lower()
                found += [f"{needle} in {table}" for needle in needles if needle.lower() in text]
                found += [f"{value} as a value in {table}" for value in values if value in row]
    for session in Session.objects.all():
        text = json.dumps(session.get_decoded(), ensure_ascii=False).lower()
        found += [f"{needle} in a session" for needle in needles if needle.lower() in text]
    return found


@pytest.fixture
def anouk(official):
    profile = official.profile
    profile.organisation, profile.job_title, profile.bio = "Gemeente Veenendaal", "Strategisch beleidsadviseur", "Ik werk aan regio"
    profile.save()
    profile.expertise.set(["netwerksturing"])
    return official


def reauthenticated(client, user):
    """Logged in with the password, and the password given again for this sensitive action."""
    log_in(client, user.email)
    ask = client.get(DELETE_URL)
    assert ask.status_code == 302 and ask.url.startswith(reverse("account_reauthenticate"))
    back = client.post(ask.url, {"password": PASSWORD})
    assert back.status_code == 302 and back.url == DELETE_URL
    return client


def test_deleting_asks_for_the_password_again_then_for_a_confirmation(client, anouk):
    reauthenticated(client, anouk)
    page = client.get(DELETE_URL)
    assert page.status_code == 200
    assert inline_code(page.content.decode()) == []
    text = main_text(page)
    assert "Mijn account verwijderen" in text
    assert "onder de naam ‘verwijderde deelnemer’" in text
    labels = [label.get_text(" ", strip=True) for label in soup(page).select("main form.lk-form label")]
    assert labels == ["Verwijder ook al mijn berichten",
                      "Ik begrijp dat ik het verwijderen van mijn account niet ongedaan kan maken"]

    refused = client.post(DELETE_URL, {})
    assert field_error(refused, "id_confirm") == "Vink het vakje aan om te bevestigen dat je je account wilt verwijderen."
    assert get_user_model().objects.filter(pk=anouk.pk).exists()


def test_a_wrong_password_deletes_nothing(client, anouk):
    log_in(client, anouk.email)
    ask = client.get(DELETE_URL)
    response = client.post(ask.url, {"password": "niet goed"})
    assert response.status_code == 200
    assert client.post(DELETE_URL, {"confirm": "on"}).status_code == 302  # back to the password question
    assert get_user_model().objects.filter(pk=anouk.pk).exists()


def test_deletion_removes_everything_personal_and_keeps_contributions_anonymous(
    client, circle, channel, anouk, official2, facilitator, mailoutbox, committed
):
    root = post(anouk, channel, "Hoe betrekken jullie de raad bij regionale besluiten?")
    reply = post(official2, channel, "Goede vraag @anouk, wij doen dat zo.", parent=root)
    assert "Anouk Ambtenaar" in reply.body_html
    services.reaction_set(user=anouk, message=reply, kind="thanks", on=True)
    services.access_token_create(user=anouk, name="Mijn script", scope="write")
    other_circle = CircleFactory(name="Vitale binnensteden")
    MembershipFactory(user=facilitator, circle=other_circle, role="facilitator")
    services.invitation_create(facilitator=facilitator, circle=other_circle, email="anouk@example.org")
    services.membership_change_role(facilitator=facilitator, membership=Membership.objects.get(user=anouk, circle=circle),
                                    role="expert")
    elsewhere = Client()
    log_in(elsewhere, anouk.email)  # a second browser
    assert elsewhere.get(reverse("communities:profile")).status_code == 200
    reauthenticated(client, anouk)
    mailoutbox.clear()
    make_home()
    colleague = Client()
    colleague.force_login(official2)
    thread_url = reverse("communities:thread", args=[circle.slug, channel.slug, root.pk])
    assert "Anouk Ambtenaar" in main_text(colleague.get(thread_url))  # the messages' HTML is now cached

    with committed():
        response = client.post(DELETE_URL, {"confirm": "on"}, follow=True)

    assert "Je account is verwijderd. Bedankt voor je bijdrage aan Leerkring." in main_text(response)
    assert not get_user_model().objects.filter(pk=anouk.pk).exists()
    # Logged out here and in the other browser; the token no longer works.
    assert client.get(reverse("communities:profile")).status_code == 302
    assert elsewhere.get(reverse("communities:profile")).status_code == 302
    # A last mail to the address that is gone.
    [mail] = mailoutbox
    assert mail.to == ["anouk@example.org"] and "Je account is verwijderd" in mail.subject
    # The question stays, by a deleted participant; the reply no longer names her.
    root.refresh_from_db()
    reply.refresh_from_db()
    assert root.author is None and root.body_source.startswith("Hoe betrekken")
    assert "Anouk" not in reply.body_html and "@anouk" in reply.body_html
    thread = colleague.get(thread_url)
    assert "verwijderde deelnemer" in main_text(thread) and "Anouk" not in main_text(thread)
    api = colleague.get(f"/api/v1/messages/{root.pk}").json()
    assert api["author"] == {"id": None, "name": "verwijderde deelnemer"}
    assert AuditEntry.objects.get(action="role_changed").target_user is None
    assert not Invitation.objects.exists()
    # Nothing personal is left anywhere in the database.
    assert personal_traces(
        "anouk@example.org", "Anouk Ambtenaar", "Gemeente Veenendaal", "Strategisch beleidsadviseur",
        "Ik werk aan regio", "netwerksturing", "Mijn script", values=("anouk",),
    ) == []


def test_on_request_the_messages_are_deleted_too(client, channel, anouk, official2):
    root = post(anouk, channel, "Een vraag die weg mag")
    post(official2, channel, "Een antwoord", parent=root)
    reauthenticated(client, anouk)

    client.post(DELETE_URL, {"confirm": "on", "delete_messages": "on"})

    root.refresh_from_db()
    assert root.author is None and root.deleted_at is not None and root.body_source == root.body_html == ""
    assert Message.objects.filter(body_source="Een antwoord").exists()  # other people's replies stay
    assert personal_traces("Een vraag die weg mag") == []


def test_the_only_facilitator_of_a_circle_hands_it_over_first(client, circle, facilitator, official):
    reauthenticated(client, facilitator)
    page = client.get(DELETE_URL)
    assert "Je bent de enige begeleider van deze kringen." in main_text(page)
    assert soup(page).select_one("main .lk-alert a")["href"] == reverse("communities:manage_members", args=[circle.slug])
    assert soup(page).select_one("main form.lk-form") is None
    client.post(DELETE_URL, {"confirm": "on"})
    with pytest.raises(Conflict):
        services.account_delete(user=facilitator)
    assert get_user_model().objects.filter(pk=facilitator.pk).exists()

    services.membership_change_role(facilitator=facilitator, membership=Membership.objects.get(user=official, circle=circle),
                                    role="facilitator")
    services.account_delete(user=facilitator)
    assert not get_user_model().objects.filter(pk=facilitator.pk).exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(DELETE_URL)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
