"""Pages, organisations and people of the partner services, as an editor would set them up."""

from cms.models import ContactPerson, Network, Organisation, PartnerIndexPage
from partners import services
from partners.models import (
    FaqIndexPage,
    NetworkDiscount,
    PartnerApplicationPage,
    PartnerContact,
    PartnerContactOrganisation,
)
from tests.cms.factories import add, make_home
from tests.factories import UserFactory


def network(slug: str, abbreviation: str, name: str) -> Network:
    return Network.objects.get_or_create(slug=slug, defaults={"abbreviation": abbreviation, "name": name})[0]


def organisation(name: str, *, since: int | None = 2015, networks=()) -> Organisation:
    org = Organisation.objects.create(name=name, province="UT", partner_since=since)
    org.networks.set(networks)
    return org


def partner_pages(*, fee: int = 5000, discounts=()):
    """Home › Partners › Partner worden (+ Veelgestelde kennisvragen), published."""
    home = make_home()
    index = add(home, PartnerIndexPage(title="Partners", slug="partners"), publish=True)
    page = PartnerApplicationPage(title="Partner worden", slug="partner-worden", regular_fee=fee)
    page.network_discounts = [NetworkDiscount(network=net, amount=amount) for net, amount in discounts]
    add(index, page, publish=True)
    faq_index = add(index, FaqIndexPage(title="Veelgestelde kennisvragen", slug="faq"), publish=True)
    return index, page, faq_index


def person(username: str, name: str, organisation_name: str = "", **kwargs):
    user = UserFactory(username=username, profile__display_name=name, **kwargs)
    if organisation_name:
        user.profile.organisation = organisation_name
        user.profile.save(update_fields=["organisation"])
    return user


def fixed_contact(user, *organisations, name: str = "Rosa Redacteur") -> PartnerContact:
    contact_person = ContactPerson.objects.create(
        name=name, role="Vaste contactpersoon", organisation="Programmabureau", email=f"{user.username}@contact.example"
    )
    contact = PartnerContact.objects.create(contact_person=contact_person, user=user)
    for org in organisations:
        PartnerContactOrganisation.objects.create(contact=contact, organisation=org)
    return contact


def ask(author, **fields):
    data = {
        "title": "Ervaringen met een regionale woonagenda?",
        "question": "Welke gemeenten betrekken de regio bij hun woonagenda?",
        "context": "De raad vraagt om een regionale onderbouwing.",
        "urgency": "normal",
        "theme": "housing",
    }
    data.update(fields)
    return services.question_ask(author=author, **data)
