import pytest
from django.contrib.auth.models import Group

from communities.models import Membership
from tests.factories import ChannelFactory, CircleFactory, MembershipFactory

from .factories import fixed_contact, network, organisation, partner_pages, person


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the on-commit work (emails) of what happens inside the block, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def pmg(db):
    return network("pmg", "PMG", "Platform Middelgrote Gemeenten")


@pytest.fixture
def g32(db):
    return network("g32", "G32", "G32-stedennetwerk")


@pytest.fixture
def pages(pmg, g32):
    """(partner overview, "Partner worden" with fee 5000, PMG -1250 and G32 -500, FAQ overview)."""
    return partner_pages(discounts=[(pmg, 1250), (g32, 500)])


@pytest.fixture
def application_page(pages):
    return pages[1]


@pytest.fixture
def veenendaal(pmg):
    return organisation("Veenendaal", since=2015, networks=[pmg])


@pytest.fixture
def zeist(pmg):
    """A partner without a fixed contact person."""
    return organisation("Zeist", since=2016, networks=[pmg])


@pytest.fixture
def editor(db):
    user = person("rosa", "Rosa Redacteur", "Programmabureau Leerkring", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def second_editor(db):
    user = person("ruben", "Ruben Redacteur", "Programmabureau Leerkring", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def contact(editor, veenendaal):
    """Rosa is the fixed contact person of Veenendaal."""
    return fixed_contact(editor, veenendaal)


@pytest.fixture
def official(veenendaal):
    """Anouk works for a partner municipality with a fixed contact person."""
    return person("anouk", "Anouk Ambtenaar", "Gemeente Veenendaal")


@pytest.fixture
def official_without_organisation(db):
    return person("nina", "Nina Nieuw")


@pytest.fixture
def zeist_official(zeist):
    return person("cor", "Cor Collega", "Gemeente Zeist")


@pytest.fixture
def outsider(db):
    return person("olga", "Olga Buitenstaander", "Gemeente Goes")


@pytest.fixture
def circle(db):
    return CircleFactory(name="Slim samenwerken", slug="slim-samenwerken")


@pytest.fixture
def channel(circle):
    return ChannelFactory(circle=circle, name="Algemeen", slug="algemeen")


@pytest.fixture
def facilitator(circle):
    """Bram leads a learning circle: he may receive forwarded questions."""
    user = person("bram", "Bram Begeleider", "Programmabureau Leerkring")
    MembershipFactory(user=user, circle=circle, role=Membership.Role.FACILITATOR)
    return user
