"""Demo cases for `manage.py seed_demo` (runs after communities.demo). Idempotent: a case
that exists (same title in the demo circle) is left as it is. All content is fictional."""

from django.contrib.auth import get_user_model

from communities.models import Circle
from communities.permissions import active_membership

from . import services
from .models import Case

DEMO_CIRCLE_SLUG = "slim-samenwerken"

JEUGDZORG = {
    "title": "Kostenverdeling jeugdzorg in de regio: hoe houden we iedereen aan boord?",
    "context": (
        "Zes gemeenten in de (fictieve) regio Heuvelrug-Vallei kopen sinds 2018 samen specialistische "
        "jeugdzorg in via een gemeenschappelijke regeling. De kosten worden verdeeld op basis van het "
        "historisch gebruik van de afgelopen drie jaar.\n\n"
        "De uitgaven zijn in twee jaar met 23% gestegen. Twee kleinere gemeenten betalen naar verhouding "
        "veel, omdat een paar dure trajecten bij hen zijn terechtgekomen. Eén gemeente heeft in het "
        "portefeuillehoudersoverleg laten weten dat zij 'alle opties' onderzoekt, ook uittreden."
    ),
    "question": (
        "Hoe komen we tot een kostenverdeling die eerlijk voelt voor grote én kleine gemeenten, zodat "
        "niemand uit de regeling stapt en we de solidariteit behouden?"
    ),
    "tried": (
        "- Drie rekenscenario's laten maken (historisch gebruik, inwoneraantal, een mix van beide).\n"
        "- Een ambtelijke werkgroep met de financiële adviseurs van alle zes gemeenten.\n"
        "- Een informele sessie met de wethouders, die vooral ging over wantrouwen in de cijfers."
    ),
    "desired_outcome": "Een voorstel voor het portefeuillehoudersoverleg van maart waar alle zes wethouders achter kunnen staan.",
    "themes": ["regionale samenwerking", "jeugdzorg", "financiën"],
    "confidential": False,
}

RAAD = {
    "title": "Raadsleden voelen zich buitenspel bij regionale besluiten",
    "context": (
        "Onze gemeente (circa 45.000 inwoners) neemt deel aan elf gemeenschappelijke regelingen. "
        "Bij de laatste begrotingsronde kwamen de ontwerpbegrotingen van de regio's zo laat dat de raad "
        "nauwelijks tijd had voor een zienswijze. Raadsleden spreken van 'een rubberen stempel'.\n\n"
        "De griffie en de afdeling bestuurszaken hebben verschillende ideeën over wie wat moet doen."
    ),
    "question": "Hoe organiseren we de informatievoorziening zo dat de raad vroeg en gericht kan sturen op regionale samenwerking?",
    "tried": "Een overzicht van alle regelingen met contactpersonen op intranet gezet. Dat wordt weinig gebruikt.",
    "desired_outcome": "Een werkwijze die we met griffie en bestuurszaken samen kunnen voorleggen aan het presidium.",
    "themes": ["regionale samenwerking", "democratische legitimiteit"],
    "confidential": True,
}


def _users():
    from communities.demo_users import DEMO_USERS

    User = get_user_model()
    emails = {key: value[0] for key, value in DEMO_USERS.items()}
    return {key: User.objects.filter(email=email).first() for key, email in emails.items()}


def _move_to(case: Case, phase: str, actor) -> Case:
    from .models.cases import PHASE_ORDER

    while PHASE_ORDER.index(case.phase) < PHASE_ORDER.index(phase):
        case = services.case_move(actor=actor, case=case, to_phase=PHASE_ORDER[PHASE_ORDER.index(case.phase) + 1])
    return case


def seed(stdout):
    circle = Circle.objects.filter(slug=DEMO_CIRCLE_SLUG).first()
    if circle is None:
        return
    users = _users()
    needed = ("member", "member2", "expert", "facilitator")
    if any(users.get(key) is None or active_membership(users[key], circle) is None for key in needed):
        stdout.write("casework: demo cases skipped (the demo users are not all members of the demo circle)")
        return
    anouk, cor, esther = users["member"], users["member2"], users["expert"]

    if not Case.objects.filter(circle=circle, title=JEUGDZORG["title"]).exists():
        case = services.case_create(author=anouk, circle=circle, **JEUGDZORG)
        case = _move_to(case, Case.Phase.QUESTIONS, anouk)
        q1 = services.question_ask(
            author=cor, case=case, body="Welke verdeelsleutel gebruiken jullie nu precies, en sinds wanneer?"
        )
        services.question_answer(
            author=anouk,
            question=q1,
            body="Honderd procent historisch gebruik over de afgelopen drie jaar, sinds de start in 2018.",
        )
        q2 = services.question_ask(
            author=esther, case=case, body="Is de mogelijke uittreding al formeel aangekondigd, of is het nog een signaal?"
        )
        services.question_answer(
            author=anouk,
            question=q2,
            body="Nog een signaal. Formeel kan uittreden pas per 1 januari over twee jaar, met een uittreedsom.",
        )
        case = _move_to(case, Case.Phase.ADVICE, anouk)
        services.feedback_give(
            author=cor,
            case=case,
            body=(
                "Wij hadden in onze regio hetzelfde. Wat hielp: een **vaste solidariteitsbodem** (70% op "
                "inwoneraantal) en alleen de rest op gebruik. Daarnaast een risicopot voor de allerduurste "
                "trajecten, zodat één casus een kleine gemeente niet meer uit balans brengt."
            ),
        )
        guest = users.get("guest")
        if guest is not None and active_membership(guest, circle) is None:
            _guest, token = services.case_guest_invite(inviter=users["facilitator"], case=case, email=guest.email)
            services.case_guest_accept(user=guest, token=token)
        stdout.write(f"casework: demo case “{case.title}” (advice)")

    if not Case.objects.filter(circle=circle, title=RAAD["title"]).exists():
        case = services.case_create(author=cor, circle=circle, **RAAD)
        case = _move_to(case, Case.Phase.QUESTIONS, cor)
        q1 = services.question_ask(author=anouk, case=case, body="Heeft de raad een eigen regionale raadscommissie of -werkgroep?")
        services.question_answer(
            author=cor, question=q1, body="Nee. Er is wel een informele raadsledenbijeenkomst per regio, twee keer per jaar."
        )
        case = _move_to(case, Case.Phase.ADVICE, cor)
        peer = services.feedback_give(
            author=anouk,
            case=case,
            body="Maak per regeling één raadslid 'rapporteur'. Bij ons leest die de stukken vooraf en agendeert wat ertoe doet.",
        )
        services.feedback_give(
            author=esther,
            case=case,
            analysis=(
                "Het probleem zit minder in de hoeveelheid informatie dan in de timing: de raad krijgt stukken "
                "op het moment dat er weinig meer te sturen valt."
            ),
            approach=(
                "1. Spreek met de regio's een vaste kadernota-cyclus af, vóór de ontwerpbegroting.\n"
                "2. Laat de griffie per regeling een kaart van één A4 maken: wat besluit de regio, wanneer, en waar kan de raad sturen?\n"
                "3. Evalueer na één jaar met het presidium."
            ),
            risks="Extra werkdruk bij de griffie, en regio's die niet meewerken aan een eerdere planning.",
            references="Wet gemeenschappelijke regelingen (herziening 2022): het recht op een zienswijze op de kadernota.",
        )
        case = _move_to(case, Case.Phase.REFLECTION, cor)
        services.feedback_mark_helpful(owner=cor, feedback=peer, helpful=True)
        services.case_reflect(
            author=cor,
            case=case,
            reflection="De rapporteurs spreken me aan. Ik leg het voorstel van de kadernota-cyclus eerst voor aan de griffier.",
        )
        stdout.write(f"casework: demo case “{case.title}” (reflection)")
