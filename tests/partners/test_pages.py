"""Where members meet the partner services: profile, partner overview, their questions, the editors' overview."""

from wagtail.models import Page

from cms.models import PartnerIndexPage
from partners.models import FaqIndexPage, PartnerApplicationPage
from tests.accounts.helpers import main_text, soup, unlabelled_controls

from .factories import ask


def test_a_member_of_a_partner_municipality_sees_the_contact_person_on_the_profile(client, official, contact):
    client.force_login(official)
    text = main_text(client.get("/profiel/"))
    assert "Je vaste contactpersoon Veenendaal is partner." in text
    assert "Rosa Redacteur Vaste contactpersoon, Programmabureau" in text
    assert "rosa@contact.example" in text


def test_no_contact_card_without_a_partner_organisation(client, official_without_organisation, zeist_official, contact):
    for member in (official_without_organisation, zeist_official):
        client.force_login(member)
        assert "Je vaste contactpersoon" not in main_text(client.get("/profiel/"))


def test_the_partner_page_shows_the_contact_person_or_the_way_to_become_a_partner(client, pages, official, contact):
    index, application_page, _faq = pages
    anonymous = main_text(client.get(index.url))
    assert "Partner worden Bekijk wat het partnerschap jouw organisatie kost en vraag het online aan." in anonymous
    assert soup(client.get(index.url)).find("a", href=application_page.url) is not None

    client.force_login(official)
    text = main_text(client.get(index.url))
    assert "Je vaste contactpersoon" in text and "Rosa Redacteur" in text


def test_the_ask_form_has_a_label_for_every_field(client, official, contact):
    client.force_login(official)
    response = client.get("/kennisvragen/nieuw/")
    assert unlabelled_controls(response) == []
    text = main_text(response)
    for label in ("Titel", "Je vraag", "Context", "Thema", "Hoe dringend is het?", "Bijlage",
                  "Mijn contactpersoon mag deze vraag, met mijn naam, voorleggen aan een leerkring."):
        assert label in text


def test_the_application_form_has_a_label_for_every_field(client, application_page):
    assert unlabelled_controls(client.get(application_page.url)) == []


def test_my_questions_list_the_status_and_who_handles_them(client, official, contact, editor):
    question = ask(official, title="Leegstand binnenstad")
    from partners import services

    services.question_request_info(actor=editor, question=question, body="Welke panden?")
    client.force_login(official)
    text = main_text(client.get("/kennisvragen/"))
    assert "Leegstand binnenstad Je reactie is nodig In behandeling" in text
    assert "Rosa Redacteur" in text
    assert "Mijn inbox als contactpersoon" not in text


def test_editors_see_counts_per_organisation_and_theme(client, official, official_without_organisation, contact, editor):
    ask(official, theme="housing")
    ask(official, theme="housing")
    ask(official_without_organisation, theme="poverty")
    client.force_login(editor)
    text = main_text(client.get("/kennisvragen/overzicht/"))
    assert "Veenendaal 2 2 0" in text
    assert "Geen bekende organisatie 1 1 0" in text
    assert "Wonen 2 2 0" in text and "Armoede en schulden 1 1 0" in text


def test_page_types_fit_in_the_tree(db):
    assert PartnerApplicationPage in PartnerIndexPage.allowed_subpage_models()
    assert FaqIndexPage in PartnerIndexPage.allowed_subpage_models()
    assert PartnerApplicationPage.allowed_parent_page_models() == [PartnerIndexPage]
    assert Page.objects.exists()


def test_the_ask_form_shares_the_members_budget_with_the_api(client, official, contact, settings):
    from partners.models import KnowledgeQuestion

    settings.LEERKRING_RATE_LIMITS = {"knowledge_question": (2, 60 * 60)}
    client.force_login(official)
    form = {"title": "Leegstand", "question": "Hoe pakken jullie leegstand aan?", "context": "",
            "theme": "city_centre", "urgency": "high"}
    assert client.post("/kennisvragen/nieuw/", form).status_code == 302
    assert client.post("/api/v1/knowledge-questions", {"title": "Via de API", "question": "Nog een?"},
                       content_type="application/json").status_code == 201

    response = client.post("/kennisvragen/nieuw/", form)

    assert response.status_code == 429
    assert "Je hebt in korte tijd veel vragen gesteld. Probeer het later nog eens." in main_text(response)
    assert "Retry-After" in response
    assert KnowledgeQuestion.objects.count() == 2
