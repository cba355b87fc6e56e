"""Applying for the partnership on the "Partner worden" page, as a municipality experiences it."""

import pytest
from django.core import mail

from partners.models import PartnerApplication, PartnerApplicationPage
from tests.accounts.helpers import error_summary, field_error, main_text, soup


def form_data(**overrides):
    data = {
        "organisation_name": "Gemeente Amersfoort",
        "contact_name": "Anouk Ambtenaar",
        "contact_job_title": "Strategisch beleidsadviseur",
        "contact_email": "anouk@amersfoort.example",
        "contact_phone": "",
        "invoice_addressee": "Gemeente Amersfoort, afdeling Financiën",
        "invoice_address": "Postbus 1\n3800 AA Amersfoort",
        "invoice_email": "facturen@amersfoort.example",
        "invoice_reference": "PO-2031",
        "website": "",
    }
    data.update(overrides)
    return data


def url(page: PartnerApplicationPage, route: str = "") -> str:
    return page.url + (page.reverse_subpage(route) if route else "")


def fee_panel(response) -> str:
    return " ".join(soup(response).select_one("[data-fee-panel] dl").get_text(" ").split())


def test_the_form_shows_the_regular_fee_and_the_discount_of_each_network(client, application_page, pmg):
    response = client.get(application_page.url)

    assert response.status_code == 200
    text = main_text(response)
    assert "Partnerschap aanvragen" in text
    assert "Regulier partnertarief € 5.000" in text and "Je betaalt per jaar € 5.000" in text
    assert "Kortingen: PMG € 1.250, G32 € 500. Is je organisatie lid van meer netwerken, dan geldt de hoogste korting." in text
    page = soup(response)
    box = page.find("input", {"name": "networks", "value": str(pmg.pk)})
    assert box["data-discount"] == "1250" and box["data-network"] == "PMG"
    assert page.find("form", attrs={"data-fee-form": True})["data-regular-fee"] == "5000"
    assert page.find("script", src="/static/js/partner-fee.js")["type"] == "module"


def test_calculate_without_javascript_shows_the_discounted_fee_without_errors(client, application_page, pmg):
    response = client.post(url(application_page), {"networks": [pmg.pk], "organisation_name": "Amersfoort"})

    assert response.status_code == 200
    assert fee_panel(response) == "Regulier partnertarief € 5.000 Korting voor leden van PMG − € 1.250 Je betaalt per jaar € 3.750"
    assert soup(response).find(class_="lk-error-summary") is None
    assert soup(response).find("input", {"name": "organisation_name"})["value"] == "Amersfoort"


def test_the_check_step_shows_the_server_fee_before_anything_is_stored(client, application_page, pmg, g32):
    response = client.post(url(application_page, "confirm"), form_data(networks=[pmg.pk, g32.pk]))

    assert response.status_code == 200
    text = main_text(response)
    assert "Controleer je aanvraag" in text
    assert "Er is nog niets verstuurd." in text
    assert "Korting voor leden van PMG − € 1.250 Je betaalt per jaar € 3.750" in text
    assert "Netwerken G32, PMG" in text or "Netwerken PMG, G32" in text
    assert PartnerApplication.objects.count() == 0
    hidden = soup(response).find("input", {"name": "quoted_fee"})
    assert hidden["value"] == "3750"


def test_sending_stores_the_application_with_the_server_fee_and_confirms_by_email(
    client, application_page, pmg, committed
):
    with committed():
        response = client.post(
            url(application_page, "submit"), form_data(networks=[pmg.pk], quoted_fee="3750"), follow=True
        )

    assert response.status_code == 200
    assert (
        "Bedankt. We hebben de aanvraag voor Gemeente Amersfoort ontvangen en een bevestiging gestuurd naar "
        "anouk@amersfoort.example." in main_text(response)
    )
    assert "Bedankt voor je aanvraag" in main_text(response)
    application = PartnerApplication.objects.get()
    assert (application.regular_fee, application.discount, application.discount_network, application.fee) == (
        5000, 1250, "PMG", 3750)
    assert application.status == "received"
    assert list(application.networks.all()) == [pmg]
    (message,) = mail.outbox
    assert message.to == ["anouk@amersfoort.example"]
    assert message.subject == "We hebben je aanvraag voor het partnerschap van Gemeente Amersfoort ontvangen"
    assert "Korting voor leden van PMG: − € 1.250" in message.body
    assert "Je betaalt per jaar: € 3.750" in message.body


def test_without_a_network_the_regular_fee_is_stored(client, application_page, committed):
    with committed():
        client.post(url(application_page, "submit"), form_data(quoted_fee="5000"))

    application = PartnerApplication.objects.get()
    assert (application.fee, application.discount, application.discount_network) == (5000, 0, "")
    assert "Je betaalt per jaar: € 5.000" in mail.outbox[0].body


def test_an_organisation_that_is_already_a_partner_gets_a_clear_message(client, application_page, veenendaal):
    response = client.post(url(application_page, "confirm"), form_data(organisation_name="Gemeente Veenendaal"))

    assert response.status_code == 400
    assert field_error(response, "id_organisation_name") == (
        "Veenendaal is al partner (sinds 2015), dus een aanvraag is niet nodig. Met vragen over het partnerschap "
        "kun je terecht bij je vaste contactpersoon."
    )
    response = client.post(url(application_page, "submit"), form_data(organisation_name="veenendaal", quoted_fee="5000"))
    assert response.status_code == 400
    assert PartnerApplication.objects.count() == 0


def test_a_second_application_while_one_waits_is_refused(client, application_page, committed):
    with committed():
        client.post(url(application_page, "submit"), form_data(quoted_fee="5000"))
    response = client.post(url(application_page, "submit"), form_data(organisation_name="Amersfoort", quoted_fee="5000"))

    assert response.status_code == 400
    assert "Voor Gemeente Amersfoort is op" in field_error(response, "id_organisation_name")
    assert "al een aanvraag binnengekomen. Die is in behandeling." in field_error(response, "id_organisation_name")
    assert PartnerApplication.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("organisation_name", "", "Vul de naam van je gemeente of organisatie in."),
        ("contact_name", "", "Vul de naam van de contactpersoon in."),
        ("contact_job_title", "  ", "Vul de functie van de contactpersoon in."),
        ("contact_email", "anouk@", "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."),
        ("invoice_address", "", "Vul het factuuradres in."),
        ("networks", ["999999"], "Kies netwerken uit de lijst."),
    ],
)
def test_bad_input_is_explained_at_the_field_and_nothing_is_stored(client, application_page, field, value, message):
    response = client.post(url(application_page, "submit"), form_data(**{field: value}, quoted_fee="5000"))

    assert response.status_code == 400
    field_id = "id_networks" if field == "networks" else f"id_{field}"
    if field == "networks":
        assert message in error_summary(response)
    else:
        assert field_error(response, field_id) == message
    assert PartnerApplication.objects.count() == 0


def test_when_the_fee_changed_since_the_check_the_new_fee_is_shown_first(client, application_page, pmg):
    response = client.post(url(application_page, "submit"), form_data(networks=[pmg.pk], quoted_fee="5000"))

    assert response.status_code == 409
    assert "De bijdrage is veranderd sinds je je aanvraag controleerde." in main_text(response)
    assert "Je betaalt per jaar € 3.750" in main_text(response)
    assert PartnerApplication.objects.count() == 0


def test_a_bot_filling_the_hidden_field_is_refused(client, application_page):
    response = client.post(url(application_page, "submit"), form_data(website="spam", quoted_fee="5000"))

    assert response.status_code == 400
    assert "Je aanvraag kon niet worden verwerkt." in main_text(response)
    assert PartnerApplication.objects.count() == 0


def test_get_on_the_post_routes_returns_to_the_form(client, application_page):
    assert client.get(url(application_page, "submit"))["Location"] == application_page.url


def test_editors_set_fee_and_network_discounts_in_the_admin(client, editor, pages, pmg):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    index, page, faq = pages
    client.force_login(editor)
    data = nested_form_data({
        "title": "Partner worden 2", "slug": "partner-worden-2", "intro": "", "body": streamfield([]),
        "regular_fee": "6000", "confirmation_text": "",
        "network_discounts": inline_formset([{"network": pmg.pk, "amount": "1500"}]),
        "comments": inline_formset([]), "action-submit": "action-submit",
    })
    # only one "Partner worden" page per partner overview
    assert client.get(f"/cms/pages/add/partners/partnerapplicationpage/{index.pk}/").status_code in (302, 403)
    page.delete()

    response = client.post(f"/cms/pages/add/partners/partnerapplicationpage/{index.pk}/", data)

    assert response.status_code == 302
    created = PartnerApplicationPage.objects.get(slug="partner-worden-2")
    created = created.get_latest_revision_as_object()
    assert created.regular_fee == 6000
    assert [(d.network, d.amount) for d in created.network_discounts.all()] == [(pmg, 1500)]
