import pytest

from communities.models import Membership
from tests.casework.conftest import make_member
from tests.factories import ChannelFactory, CircleFactory, UserFactory

from .receiver import Receiver


@pytest.fixture
def circle(db):
    return CircleFactory(name="Slim samenwerken", slug="slim-samenwerken")


@pytest.fixture
def channel(circle):
    return ChannelFactory(circle=circle, name="Algemeen", slug="algemeen")


@pytest.fixture
def official(circle):
    return make_member(circle, "anouk", name="Anouk Ambtenaar")


@pytest.fixture
def expert(circle):
    return make_member(circle, "esther", Membership.Role.EXPERT, name="Esther Expert")


@pytest.fixture
def facilitator(circle):
    return make_member(circle, "bram", Membership.Role.FACILITATOR, name="Bram Begeleider")


@pytest.fixture
def outsider(db):
    return UserFactory(username="olga", profile__display_name="Olga Buitenstaander")


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...` runs what waits for the commit (webhooks, events) at the end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def member(circle):
    return make_member(circle, "cor", name="Cor Collega")
