"""The people of a learning circle around one case: the owner (an official who brought it
in), a fellow member, an expert, a facilitator, an outside guest of this case, an outsider."""

import pytest

from casework import services
from casework.models import Case
from casework.permissions import forget_case_guests
from communities.models import Membership
from communities.permissions import forget_memberships
from tests.factories import CircleFactory, MembershipFactory, UserFactory

from .factories import CaseFactory


def make_member(circle, username, role=Membership.Role.MEMBER, **profile):
    user = UserFactory(username=username, profile__display_name=profile.get("name", username.title()))
    if "organisation" in profile:
        user.profile.organisation = profile["organisation"]
        user.profile.save()
    MembershipFactory(user=user, circle=circle, role=role)
    return user


@pytest.fixture
def circle():
    return CircleFactory(name="Slim samenwerken", slug="slim-samenwerken")


@pytest.fixture
def official(circle):
    return make_member(circle, "anouk", name="Anouk Ambtenaar", organisation="Gemeente Veenendaal")


@pytest.fixture
def member(circle):
    return make_member(circle, "cor", name="Cor Collega")


@pytest.fixture
def expert(circle):
    return make_member(circle, "esther", Membership.Role.EXPERT, name="Esther Expert")


@pytest.fixture
def facilitator(circle):
    return make_member(circle, "bram", Membership.Role.FACILITATOR, name="Bram Begeleider")


@pytest.fixture
def outsider():
    return UserFactory(username="olga", profile__display_name="Olga Buitenstaander")


@pytest.fixture
def case(circle, official):
    return services.case_create(
        author=official,
        circle=circle,
        title="Kostenverdeling jeugdzorg in de regio",
        context="Zes gemeenten kopen samen **jeugdzorg** in.",
        question="Hoe houden we iedereen aan boord?",
        themes=["jeugdzorg", "financiën"],
    )


def put_in_phase(case: Case, phase: str) -> Case:
    Case.objects.filter(pk=case.pk).update(phase=phase)
    case.refresh_from_db()
    return case


@pytest.fixture
def guest(case, facilitator):
    """An outside expert who accepted an invitation to `case` (the case keeps its phase)."""
    phase = case.phase
    put_in_phase(case, Case.Phase.QUESTIONS)
    user = UserFactory(username="gijs", email="gijs@ministerie.example", profile__display_name="Gijs Gast")
    _guest, token = services.case_guest_invite(inviter=facilitator, case=case, email="gijs@ministerie.example")
    services.case_guest_accept(user=user, token=token)
    put_in_phase(case, phase)
    forget_case_guests(user)
    return user


def fresh(user):
    """The same user without cached memberships (as on a new request)."""
    forget_memberships(user)
    forget_case_guests(user)
    return user


__all__ = ["CaseFactory", "fresh", "make_member", "put_in_phase"]
