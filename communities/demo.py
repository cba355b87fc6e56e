"""Demo circles, channels and discussions (run by `manage.py seed_demo`, after cms.demo).

Idempotent: existing circles are left as they are. All people are the fictional demo users of
communities/demo_users.py; the topics come from the seeds (regional cooperation of midsize
municipalities, the U10, knowledge and network days).
"""

from datetime import timedelta

from django.utils import timezone

from . import services
from .demo_users import demo_user
from .models import Channel, Circle, Membership, Message

MAIN_CIRCLE = {
    "slug": "slim-samenwerken",
    "name": "Slim samenwerken in regionale netwerken",
    "description": (
        "Middelgrote gemeenten zijn schakels in het stedelijk netwerk: hun toekomst hangt meer dan ooit af van "
        "hun positie in de regio. In deze leerkring wisselen strategisch beleidsadviseurs ervaringen uit over "
        "regionale samenwerking: hoe positioneer je je gemeente in een netwerk als de U10, hoe maak je keuzes in "
        "een regionale agenda en hoe houd je de gemeenteraad aangehaakt? In een vertrouwde setting brengen "
        "deelnemers casussen in en krijgen ze feedback van collega's en experts."
    ),
    "join_policy": Circle.JoinPolicy.REQUEST,
}

OPEN_CIRCLE = {
    "slug": "vitale-binnensteden",
    "name": "Vitale binnensteden",
    "description": (
        "De binnensteden van middelgrote gemeenten zoeken nieuwe concepten en diensten om hun functie voor "
        "bezoekers te verbreden. Deze open kring deelt aanpakken, cijfers en ervaringen met binnenstadsmanagement, "
        "leegstand en samenwerking met ondernemers."
    ),
    "join_policy": Circle.JoinPolicy.OPEN,
}

# (channel name, topic, [(author key, body, [(author key, body, [nested replies...]), ...]), ...])
MAIN_CHANNELS = [
    (
        "Algemeen",
        "Kennismaken, aankondigingen en vragen aan de kring.",
        [
            (
                "facilitator",
                "Welkom in de leerkring **Slim samenwerken in regionale netwerken**! Stel je kort voor: "
                "uit welke gemeente kom je en welk regionaal vraagstuk houdt je op dit moment bezig?",
                [
                    ("member", "Ik ben Anouk, strategisch beleidsadviseur in Veenendaal. Wij werken in de regio "
                     "Foodvalley samen en worstelen met de vraag hoe we de raad meenemen in regionale besluiten.", [
                         ("member2", "Herkenbaar! In Zeist speelt precies hetzelfde binnen de U10. Zullen we dat "
                          "als casus inbrengen?", [
                              ("member", "Goed idee, ik zet het op de agenda van de volgende bijeenkomst.", []),
                          ]),
                     ]),
                    ("expert", "Esther hier, adviseur netwerksturing. Ik denk graag mee over governance van "
                     "regionale samenwerking en de rol van raden daarin.", []),
                ],
            ),
            (
                "facilitator",
                "De volgende bijeenkomst is op de **Kennis- en netwerkdag**. Wie wil daar een workshop "
                "mee voorbereiden over netwerkkracht in de regio?",
                [("member2", "Ik doe graag mee. Peter Smit van de U10 heeft vorig jaar een mooie workshop "
                  "gegeven; misschien kunnen we daarop voortbouwen.", [])],
            ),
        ],
    ),
    (
        "Regionale netwerkkracht",
        "Hoe versterk je de positie van je gemeente in de regionale samenwerking?",
        [
            (
                "member2",
                "Vraag aan de kring: hoe bepalen jullie wat je **zelf** bijdraagt aan het succes van de regio? "
                "Wij merken dat we vooral reageren op wat de grote stad voorstelt.\n\n"
                "- Welke opgaven pak je regionaal op?\n- Wat houd je bewust lokaal?",
                [
                    ("expert", "Begin bij je eigen identiteit en geschiedenis: ligging, functie voor het "
                     "ommeland, de voorzieningen die je hebt. Van daaruit kun je strategisch kiezen waar je "
                     "trekker wilt zijn en waar je volgt.", [
                         ("member2", "Dank! Heb je een voorbeeld van een gemeente die dat goed doet?", [
                             ("expert", "Nieuwegein heeft in de U10 bewust gekozen voor een trekkersrol op "
                              "economie en werklocaties. Dat gaf focus én een sterkere onderhandelingspositie.", [
                                  ("member", "Interessant. Weet iemand of ze dat in een raadsvoorstel hebben "
                                   "vastgelegd?", []),
                              ]),
                         ]),
                     ]),
                    ("member", "Wij gebruiken de kwantitatieve analyse uit het onderzoek naar middelgrote "
                     "steden als vertrekpunt: demografie, economie en arbeidsmarkt, woon- en leefomgeving.", []),
                ],
            ),
        ],
    ),
    (
        "Kennisagenda",
        "Onderwerpen voor onderzoek en kennisdeling in het programma.",
        [
            (
                "expert",
                "Voor de kennisagenda van volgend jaar verzamelen we vragen. Wat zou jullie gemeente het meest "
                "helpen: cijfers per regio, voorbeelden van samenwerkingsafspraken, of een handreiking voor "
                "raadsbetrokkenheid?",
                [("member", "Voorbeelden van samenwerkingsafspraken, graag met wat wél en níet werkte.", [])],
            ),
        ],
    ),
]

OPEN_CHANNELS = [
    (
        "Algemeen",
        "Alles over levendige binnensteden.",
        [
            (
                "facilitator",
                "Wie heeft ervaring met een co-creatieve aanpak voor de binnenstad, zoals *Concept Binnenstad*? "
                "Wat leverde het op?",
                [("member2", "In Zeist hebben we ondernemers, bewoners en de gemeente samen laten ontwerpen. "
                  "Het belangrijkste resultaat: één gedeeld verhaal over waar de binnenstad voor staat.", [])],
            ),
        ],
    ),
]


def _ensure_circle(spec: dict, stdout) -> tuple[Circle, bool]:
    circle = Circle.objects.filter(slug=spec["slug"]).first()
    if circle is not None:
        return circle, False
    circle = services.circle_create(
        name=spec["name"], slug=spec["slug"], description=spec["description"], join_policy=spec["join_policy"]
    )
    stdout.write(f"  circle {circle.name} (/kringen/{circle.slug}/)")
    return circle, True


def _member(circle: Circle, key: str, role: str) -> None:
    Membership.objects.update_or_create(
        user=demo_user(key), circle=circle, defaults={"role": role, "state": Membership.State.ACTIVE}
    )


def _post_tree(channel: Channel, items, parent=None, clock=None):
    for author_key, body, replies in items:
        message = services.message_post(author=demo_user(author_key), channel=channel, body=body, parent=parent)
        clock[0] += timedelta(hours=5, minutes=17)
        Message.objects.filter(pk=message.pk).update(created_at=clock[0])
        Message.objects.filter(pk=message.thread_id or message.pk).update(last_activity_at=clock[0])
        _post_tree(channel, replies, parent=message, clock=clock)


def _seed_channels(circle: Circle, channels) -> None:
    clock = [timezone.now() - timedelta(days=12)]
    for name, topic, threads in channels:
        channel = circle.channels.filter(name=name).first()
        if channel is None:
            channel = services.channel_create(facilitator=demo_user("facilitator"), circle=circle, name=name, topic=topic)
        elif topic and not channel.topic:
            channel.topic = topic
            channel.save(update_fields=["topic"])
        if not channel.messages.exists():
            _post_tree(channel, threads, clock=clock)


def seed(stdout):
    from wagtail.models import Page

    main, created = _ensure_circle(MAIN_CIRCLE, stdout)
    programme = Page.objects.filter(slug="midsize-nl").first()
    if programme is not None and main.programme_id is None:
        main.programme = programme
        main.save(update_fields=["programme"])
    _member(main, "facilitator", Membership.Role.FACILITATOR)
    if created:
        _member(main, "expert", Membership.Role.EXPERT)
        _member(main, "member", Membership.Role.MEMBER)
        _member(main, "member2", Membership.Role.MEMBER)
        _seed_channels(main, MAIN_CHANNELS)

    open_circle, created = _ensure_circle(OPEN_CIRCLE, stdout)
    _member(open_circle, "facilitator", Membership.Role.FACILITATOR)
    if created:
        _member(open_circle, "member2", Membership.Role.MEMBER)
        _member(open_circle, "expert", Membership.Role.EXPERT)
        _seed_channels(open_circle, OPEN_CHANNELS)
    stdout.write("Circles: facilitator, expert, member and member2 are in 'Slim samenwerken'; outsider and guest are not.")
