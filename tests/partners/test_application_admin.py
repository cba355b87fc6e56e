"""Editors decide on applications in the Wagtail admin: accept makes a partner, decline records a reason."""

import pytest
from django.core import mail
from django.utils import timezone

from cms.models import Organisation
from partners import services
from partners.errors import Conflict, InvalidInput
from partners.models import PartnerApplication
from tests.accounts.helpers import soup

ADMIN = "/cms/partneraanvragen/"


@pytest.fixture
def application(application_page, pmg, committed):
    with committed():
        created = services.application_submit(
            page=application_page,
            organisation_name="Gemeente Amersfoort",
            contact_name="Anouk Ambtenaar",
            contact_job_title="Beleidsadviseur",
            contact_email="anouk@amersfoort.example",
            networks=[pmg],
            invoice_addressee="Gemeente Amersfoort",
            invoice_address="Postbus 1\n3800 AA Amersfoort",
        )
    mail.outbox.clear()
    return created


def admin_text(response) -> str:
    return " ".join(soup(response).find("main").get_text(" ").split())


def test_editors_see_applications_with_their_fee(client, editor, application):
    client.force_login(editor)

    listing = client.get(ADMIN)
    assert listing.status_code == 200
    assert "Gemeente Amersfoort" in admin_text(listing)

    page = client.get(f"{ADMIN}inspect/{application.pk}/")
    assert page.status_code == 200
    text = admin_text(page)
    assert "Regulier partnertarief € 5.000" in text
    assert "Korting € 1.250 (PMG)" in text
    assert "Bijdrage € 3.750" in text
    assert "Accepteren: partner maken" in text


def test_accept_creates_the_organisation_as_partner_with_its_networks(client, editor, application, pmg, committed):
    client.force_login(editor)
    with committed():
        response = client.post(
            f"{ADMIN}inspect/{application.pk}/", {"decision": "accept", "partner_since": "2031"}, follow=True
        )

    assert response.status_code == 200
    assert "Amersfoort is nu partner, sinds 2031." in response.content.decode()
    organisation = Organisation.objects.get(name="Amersfoort")  # named as in the partner list
    assert organisation.partner_since == 2031
    assert list(organisation.networks.all()) == [pmg]
    application.refresh_from_db()
    assert (application.status, application.decided_by, application.organisation) == ("accepted", editor, organisation)
    (message,) = mail.outbox
    assert message.subject == "Welkom als partner: Gemeente Amersfoort"
    assert "De partnerbijdrage is € 3.750 per jaar." in message.body
    assert "Accepteren" not in admin_text(client.get(f"{ADMIN}inspect/{application.pk}/"))


def test_accept_updates_an_organisation_that_is_in_the_list_but_not_a_partner(editor, application, g32):
    existing = Organisation.objects.create(name="Amersfoort", province="UT")
    existing.networks.set([g32])
    PartnerApplication.objects.filter(pk=application.pk).update(organisation=None)

    organisation = services.application_accept(application=application, decided_by=editor, partner_since=None)

    assert organisation == existing
    existing.refresh_from_db()
    assert existing.partner_since == timezone.localdate().year
    assert {n.abbreviation for n in existing.networks.all()} == {"G32", "PMG"}


def test_decline_needs_a_reason_and_sends_it(client, editor, application, committed):
    client.force_login(editor)

    response = client.post(f"{ADMIN}inspect/{application.pk}/", {"decision": "decline", "reason": " "})
    assert response.status_code == 400
    assert "Geef een reden voor de afwijzing; die sturen we naar de aanvrager." in admin_text(response)
    application.refresh_from_db()
    assert application.status == "received"

    with committed():
        client.post(
            f"{ADMIN}inspect/{application.pk}/",
            {"decision": "decline", "reason": "Alleen gemeenten tot 100.000 inwoners kunnen partner worden."},
        )
    application.refresh_from_db()
    assert application.status == "declined"
    assert application.decline_reason == "Alleen gemeenten tot 100.000 inwoners kunnen partner worden."
    assert not Organisation.objects.filter(name__icontains="Amersfoort").exists()
    (message,) = mail.outbox
    assert message.subject == "Je aanvraag voor het partnerschap van Gemeente Amersfoort"
    assert "Alleen gemeenten tot 100.000 inwoners kunnen partner worden." in message.body


def test_a_decided_application_cannot_be_decided_again(editor, application):
    services.application_decline(application=application, decided_by=editor, reason="Dubbel")
    with pytest.raises(Conflict) as error:
        services.application_accept(application=application, decided_by=editor)
    assert error.value.message == "Deze aanvraag is al afgewezen."


def test_accept_refuses_when_the_organisation_became_a_partner_meanwhile(editor, application):
    Organisation.objects.create(name="Amersfoort", province="UT", partner_since=2020)
    PartnerApplication.objects.filter(pk=application.pk).update(organisation=None)
    with pytest.raises(Conflict) as error:
        services.application_accept(application=application, decided_by=editor)
    assert error.value.message == "Amersfoort is al partner (sinds 2020)."
    application.refresh_from_db()
    assert application.status == "received"


def test_a_year_out_of_range_is_refused(editor, application):
    with pytest.raises(InvalidInput):
        services.application_accept(application=application, decided_by=editor, partner_since=1800)


def test_applications_cannot_be_added_edited_or_deleted_in_the_admin(client, editor, application):
    client.force_login(editor)
    assert client.get(f"{ADMIN}new/").status_code == 404
    assert client.get(f"{ADMIN}edit/{application.pk}/").status_code == 404
    assert client.get(f"{ADMIN}delete/{application.pk}/").status_code == 404


def test_members_without_admin_access_cannot_decide(client, official, application):
    client.force_login(official)
    response = client.post(f"{ADMIN}inspect/{application.pk}/", {"decision": "accept"})
    assert response.status_code in (302, 403)
    application.refresh_from_db()
    assert application.status == "received"


def test_editors_manage_fixed_contact_people_in_the_admin(client, editor, facilitator, veenendaal, zeist, official):
    from django.core.exceptions import ValidationError
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    from cms.models import ContactPerson
    from partners.models import PartnerContact

    person = ContactPerson.objects.create(name="Rosa Redacteur", role="Vaste contactpersoon")
    client.force_login(editor)

    form_page = soup(client.get("/cms/vaste-contactpersonen/new/"))
    offered = {option["value"] for option in form_page.select("select[name=user] option") if option["value"]}
    assert offered == {str(editor.pk), str(facilitator.pk)}  # editors and facilitators only

    refused = client.post("/cms/vaste-contactpersonen/new/", nested_form_data({
        "contact_person": person.pk, "user": official.pk,
        "organisations": inline_formset([{"organisation": veenendaal.pk}]),
    }))
    assert refused.status_code == 200 and not PartnerContact.objects.exists()
    with pytest.raises(ValidationError) as error:
        PartnerContact(contact_person=person, user=official).full_clean()
    assert error.value.message_dict["user"] == [
        "Kies een account met de rol redacteur, of van een begeleider van een leerkring."]

    response = client.post("/cms/vaste-contactpersonen/new/", nested_form_data({
        "contact_person": person.pk, "user": editor.pk,
        "organisations": inline_formset([{"organisation": veenendaal.pk}, {"organisation": zeist.pk}]),
    }))
    assert response.status_code == 302
    contact = PartnerContact.objects.get()
    assert (contact.user, contact.organisation_list()) == (editor, "Veenendaal, Zeist")


def test_the_admin_menu_has_the_partner_services(client, editor):
    client.force_login(editor)
    page = client.get("/cms/").content.decode()
    assert "Partnerservice" in page and "Kennisvragen" in page
