import pytest

from communities.models import Membership, Notification
from tests.factories import ChannelFactory, CircleFactory, MembershipFactory, UserFactory


@pytest.fixture
def circle():
    return CircleFactory(name="Kring Wonen", slug="wonen")


@pytest.fixture
def channel(circle):
    return ChannelFactory(circle=circle, name="algemeen", slug="algemeen")


def member(circle, username, display_name, role=Membership.Role.MEMBER, state=Membership.State.ACTIVE, language="nl"):
    user = UserFactory(username=username, profile__display_name=display_name)
    user.profile.language = language
    user.profile.save()
    MembershipFactory(user=user, circle=circle, role=role, state=state)
    return user


@pytest.fixture
def official(circle):
    return member(circle, "anouk", "Anouk de Vries")


@pytest.fixture
def expert(circle):
    return member(circle, "bram", "Bram Jansen", role=Membership.Role.EXPERT)


@pytest.fixture
def facilitator(circle):
    return member(circle, "carla", "Carla Smit", role=Membership.Role.FACILITATOR)


@pytest.fixture
def outsider():
    return UserFactory(username="olaf", profile__display_name="Olaf Buiten")


@pytest.fixture
def removed_member(circle):
    return member(circle, "rik", "Rik Weg", state=Membership.State.REMOVED)


def notifications_of(user):
    return list(Notification.objects.filter(recipient=user).order_by("id"))


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run a block and then its on-commit callbacks (events, emails), as a real commit would."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run
