"""Demo content of the partner services: the "Partner worden" page, a fixed contact person, questions.

Built from the facts of the seed documents (partner fee 5,000 euro, 1,250 euro discount for PMG
members, one fixed contact person per partner municipality), never their sentences. All people
and contact details are fictional. Idempotent: a second run creates nothing new.
"""

import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from wagtail.rich_text import RichText

from cms.models import ContactPerson, Network, Organisation, PartnerIndexPage

from . import services
from .selectors import routing_for
from .models import (
    FaqIndexPage,
    KnowledgeQuestion,
    NetworkDiscount,
    PartnerApplicationPage,
    PartnerContact,
    PartnerContactOrganisation,
)

CONTACT_MUNICIPALITY = "Veenendaal"


def seed(stdout) -> None:
    partners_page = PartnerIndexPage.objects.order_by("path").first()
    if partners_page is None:
        stdout.write("Partner services: no partner overview page, skipped.")
        return
    application_page = _application_page(partners_page)
    _faq_index(partners_page)
    contact = _fixed_contact()
    asked = _questions(contact)
    stdout.write(
        f"Partner services: '{application_page.title}' (fee 5000, PMG discount 1250), "
        f"fixed contact for {CONTACT_MUNICIPALITY}, {asked} knowledge questions."
    )


def _publish_child(parent, page):
    parent.refresh_from_db()
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _application_page(parent) -> PartnerApplicationPage:
    existing = PartnerApplicationPage.objects.child_of(parent).first()
    if existing is not None:
        return existing
    page = PartnerApplicationPage(
        title="Partner worden",
        slug="partner-worden",
        show_in_menus=False,
        intro=(
            "Word partner en krijg een vaste contactpersoon voor je kennisvragen, plus gratis deelname aan of "
            "korting op bijeenkomsten, leerkringen en experimenten."
        ),
        regular_fee=5000,
        confirmation_text=(
            "We nemen binnen twee weken contact op om kennis te maken en de afspraken voor het eerste jaar door "
            "te spreken."
        ),
        body=[
            ("heading", {"heading_text": "Wat krijgt je gemeente?", "size": "h2"}),
            (
                "paragraph",
                RichText(
                    "<ul><li>Eén vaste contactpersoon, die je vragen beantwoordt of uitzet bij de juiste mensen in "
                    "het netwerk. Voor PMG-gemeenten is dat dezelfde persoon als voor het PMG.</li>"
                    "<li>Kennis over de hele breedte van stedelijke en regionale opgaven, van wonen en zorg in de "
                    "wijk tot de regionale economie en de binnenstad.</li>"
                    "<li>Gratis of met korting meedoen aan bijeenkomsten, leerkringen en experimenten.</li></ul>"
                ),
            ),
            ("heading", {"heading_text": "Wat kost het?", "size": "h2"}),
            (
                "paragraph",
                RichText(
                    "<p>Het partnertarief is een vast bedrag per jaar. Is je gemeente lid van het Platform "
                    "Middelgrote Gemeenten, dan krijg je korting. Het formulier rekent het bedrag voor je uit.</p>"
                ),
            ),
        ],
    )
    pmg = Network.objects.filter(slug="pmg").first()
    if pmg is not None:
        page.network_discounts = [NetworkDiscount(network=pmg, amount=1250)]
    return _publish_child(parent, page)


def _faq_index(parent) -> FaqIndexPage:
    existing = FaqIndexPage.objects.child_of(parent).first()
    if existing is not None:
        return existing
    return _publish_child(
        parent,
        FaqIndexPage(
            title="Veelgestelde kennisvragen",
            slug="veelgestelde-kennisvragen",
            intro="Antwoorden op kennisvragen van partnergemeenten, zonder namen, zodat iedereen ervan kan leren.",
        ),
    )


def _demo_user(key):
    from communities.demo_users import demo_user

    try:
        return demo_user(key)
    except ObjectDoesNotExist:
        return None


def _fixed_contact() -> PartnerContact | None:
    editor = _demo_user("editor")
    organisation = Organisation.objects.filter(name=CONTACT_MUNICIPALITY).first()
    if editor is None or organisation is None:
        return None
    existing = PartnerContact.objects.filter(user=editor).first()
    if existing is not None:
        return existing
    person, _ = ContactPerson.objects.get_or_create(
        email="rosa.redacteur@demo.leerkring.example",
        defaults={
            "name": "Rosa Redacteur",
            "role": "Vaste contactpersoon partnergemeenten",
            "organisation": "Programmabureau Leerkring",
            "phone": "030 000 00 02",
        },
    )
    contact = PartnerContact.objects.create(contact_person=person, user=editor)
    if not PartnerContactOrganisation.objects.filter(organisation=organisation).exists():
        PartnerContactOrganisation.objects.create(contact=contact, organisation=organisation)
    return contact


def _backdate(question: KnowledgeQuestion, days: int) -> None:
    """Demo only: make a question look older (the inbox shows its age and flags it after 5 working days)."""
    moment = timezone.now() - datetime.timedelta(days=days)
    KnowledgeQuestion.objects.filter(pk=question.pk).update(
        created_at=moment, waiting_since=moment if question.waiting_since else None
    )
    question.events.filter(kind="asked").update(created_at=moment)


QUESTIONS = [
    # (author key, title, question, context, theme, urgency, consent, days ago, steps)
    (
        "member",
        "Hoe betrekken andere gemeenten de regio bij hun woonagenda?",
        "We schrijven een nieuwe woonagenda en willen de buurgemeenten er vanaf het begin bij betrekken. "
        "Welke middelgrote gemeenten hebben dat al gedaan, en hoe hebben ze de afspraken vastgelegd?",
        "De gemeenteraad vraagt om een regionale onderbouwing van de woningbouwopgave.",
        "housing",
        "normal",
        True,
        12,
        [("answer", "Twee partnergemeenten werkten met een regionale woontafel. Ik stuur je hun aanpak en de "
                    "contactgegevens van de projectleiders; in de leerkring 'Slim samenwerken' komt dit thema "
                    "volgende maand terug.")],
    ),
    (
        "member",
        "Leegstand in de binnenstad aanpakken met een transformatiefonds?",
        "Is er ervaring met een gemeentelijk fonds om winkelpanden om te bouwen tot woningen?",
        "",
        "city_centre",
        "high",
        False,
        3,
        [("request_info", "Gaat het om panden in eigendom van de gemeente of van particuliere eigenaren? "
                          "En welk budget heb je ongeveer in gedachten?")],
    ),
    (
        "member",
        "Armoedeaanpak voor werkende huishoudens",
        "Welke gemeenten hebben een aanpak die zich richt op huishoudens die werken maar toch moeilijk rondkomen?",
        "We willen de regelingen beter laten aansluiten op wisselende inkomens.",
        "poverty",
        "normal",
        True,
        9,
        [],
    ),
    (
        "member",
        "Voorbeelden van een strategische visie voor een middelgrote stad",
        "Ik zoek voorbeelden van een stadsvisie waarin de rol van de gemeente in de regio centraal staat.",
        "",
        "governance",
        "low",
        False,
        30,
        [("answer", "In de publicatie over een strategie voor de middelgrote stad staan achttien richtinggevende "
                    "opgaven; daarnaast stuur ik je twee recente visies van partnergemeenten."),
         ("close", "")],
    ),
    (
        "member2",
        "Samenwerken met zorgaanbieders in de wijk",
        "Hoe maken andere gemeenten afspraken met zorgaanbieders over een gezamenlijk wijkteam?",
        "",
        "care",
        "normal",
        False,
        10,
        [],
    ),
    (
        "outsider",
        "Huisvesting van statushouders in een kleine kern",
        "Welke ervaringen zijn er met het huisvesten van statushouders in kleinere kernen van een gemeente?",
        "",
        "inclusion",
        "high",
        True,
        1,
        [],
    ),
]


def _member_organisation() -> None:
    """The demo member names the municipality whose contact person the demo editor is."""
    from communities.services import profile_update

    member = _demo_user("member")
    if member is None or not hasattr(member, "profile"):
        return
    if routing_for(member).reason != "contact":
        profile_update(profile=member.profile, data={"organisation": f"Gemeente {CONTACT_MUNICIPALITY}"},
                       expertise=list(member.profile.expertise.names()))


def _questions(contact) -> int:
    _member_organisation()
    editor = _demo_user("editor")
    count = 0
    for key, title, text, context, theme, urgency, consent, days, steps in QUESTIONS:
        author = _demo_user(key)
        if author is None:
            continue
        if KnowledgeQuestion.objects.filter(author=author, title=title).exists():
            count += 1
            continue
        question = services.question_ask(
            author=author, title=title, question=text, context=context, theme=theme, urgency=urgency,
            share_consent=consent,
        )
        handler = question.assignee or editor
        for step, body in steps:
            question.refresh_from_db()
            if step == "close":
                services.question_close(actor=author, question=question)
            else:
                services.question_act(actor=handler, question=question, action=step, body=body)
        question.refresh_from_db()
        _backdate(question, days)
        count += 1
    return count
