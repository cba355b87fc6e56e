"""The people of a learning circle, as in DESIGN.md's "Who may do what"."""

from types import SimpleNamespace

import pytest

from communities import services
from communities.models import Circle, Membership
from tests.factories import ChannelFactory, CircleFactory, MembershipFactory, UserFactory


@pytest.fixture
def circle(db):
    return CircleFactory(name="Slim samenwerken", slug="slim-samenwerken", join_policy=Circle.JoinPolicy.REQUEST)


@pytest.fixture
def channel(circle):
    return ChannelFactory(circle=circle, name="Algemeen", slug="algemeen")


def _member(circle, username, role=Membership.Role.MEMBER, state=Membership.State.ACTIVE, name=None):
    user = UserFactory(username=username, profile__display_name=name or username.title())
    MembershipFactory(user=user, circle=circle, role=role, state=state)
    return user


@pytest.fixture
def official(circle):
    return _member(circle, "anouk", name="Anouk Ambtenaar")


@pytest.fixture
def official2(circle):
    return _member(circle, "cor", name="Cor Collega")


@pytest.fixture
def expert(circle):
    return _member(circle, "esther", Membership.Role.EXPERT, name="Esther Expert")


@pytest.fixture
def facilitator(circle):
    return _member(circle, "bram", Membership.Role.FACILITATOR, name="Bram Begeleider")


@pytest.fixture
def removed_member(circle):
    return _member(circle, "rik", state=Membership.State.REMOVED, name="Rik Verwijderd")


@pytest.fixture
def outsider(db):
    return UserFactory(username="olga", profile__display_name="Olga Buitenstaander")


@pytest.fixture
def world(circle, channel, official, expert, facilitator, removed_member, outsider, official2):
    return SimpleNamespace(
        circle=circle,
        channel=channel,
        people={
            "anonymous": None,
            "outsider": outsider,
            "member": official,
            "expert": expert,
            "facilitator": facilitator,
            "removed": removed_member,
        },
        author=official2,
        facilitator=facilitator,
    )


def post(author, channel, body="Hallo kring", parent=None):
    return services.message_post(author=author, channel=channel, body=body, parent=parent)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...` runs what waits for the commit (emails, events) at the end of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def resolved_urls(html: str, page_url: str, attribute: str = "href|action|formaction|hx-post") -> list[str]:
    """The URLs of these attributes in `html`, as a browser on `page_url` follows them
    (thread pages write the channel's links relative to the page)."""
    import re
    from urllib.parse import urljoin

    return [urljoin("http://testserver" + page_url, value).removeprefix("http://testserver")
            for value in re.findall(rf'\b(?:{attribute})="([^"]*)"', html)]
