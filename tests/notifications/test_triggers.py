"""Each trigger: exactly one notification, for exactly the right people, none for the actor."""

import datetime

import pytest
from django.utils import timezone

from communities import services
from communities.models import Invitation, Membership, NotificationKind
from communities.notifications import triggers
from tests.factories import UserFactory

from .conftest import member, notifications_of

pytestmark = pytest.mark.django_db


def post(author, channel, body, parent=None):
    return services.message_post(author=author, channel=channel, body=body, parent=parent)


def everyone(*users):
    return {user.username: [n.kind for n in notifications_of(user)] for user in users}


def test_mention_notifies_the_mentioned_member_only(channel, official, expert, facilitator, outsider, removed_member):
    post(official, channel, "Wat denken @bram en @Olaf en @rik en @anouk ervan?")
    assert everyone(official, expert, facilitator, outsider, removed_member) == {
        "anouk": [],  # the actor, mentioning herself
        "bram": [NotificationKind.MENTION],
        "carla": [],
        "olaf": [],  # not in the circle
        "rik": [],  # removed from the circle
    }
    [notification] = notifications_of(expert)
    assert notification.actor == official
    assert notification.url.startswith("/kringen/wonen/kanalen/algemeen/")


def test_mention_twice_in_one_message_is_one_notification(channel, official, expert):
    post(official, channel, "@bram @BRAM @bram!")
    assert len(notifications_of(expert)) == 1


def test_reply_notifies_the_author_of_the_message_replied_to(channel, official, expert, facilitator):
    root = post(official, channel, "Wie heeft ervaring met de U10?")
    post(expert, channel, "Ik, in Utrecht.", parent=root)
    assert everyone(official, expert, facilitator) == {
        "anouk": [NotificationKind.REPLY],
        "bram": [],
        "carla": [],
    }


def test_reply_to_own_message_notifies_nobody(channel, official):
    root = post(official, channel, "Vraag")
    post(official, channel, "Aanvulling", parent=root)
    assert notifications_of(official) == []


def test_reply_that_also_mentions_the_author_is_one_notification(channel, official, expert):
    root = post(official, channel, "Vraag")
    post(expert, channel, "Goed punt @anouk", parent=root)
    assert [n.kind for n in notifications_of(official)] == [NotificationKind.MENTION]


def test_reply_to_a_member_who_left_notifies_nobody(channel, official, expert):
    root = post(official, channel, "Vraag")
    Membership.objects.filter(user=official).update(state=Membership.State.LEFT)
    post(expert, channel, "Antwoord", parent=root)
    assert notifications_of(official) == []


def test_edit_that_adds_a_mention_notifies_only_the_new_name(channel, official, expert, facilitator):
    message = post(official, channel, "Hallo @bram")
    services.message_edit(editor=official, message=message, body="Hallo @bram en @carla")
    assert len(notifications_of(expert)) == 1
    assert len(notifications_of(facilitator)) == 1


def test_join_request_notifies_the_facilitators(circle, official, facilitator):
    second = member(circle, "dirk", "Dirk Leider", role=Membership.Role.FACILITATOR)
    applicant = UserFactory(username="eva")
    membership = Membership.objects.create(user=applicant, circle=circle, state=Membership.State.PENDING)
    triggers.join_requested(membership=membership)
    triggers.join_requested(membership=membership)  # the same event again
    assert everyone(official, facilitator, second, applicant) == {
        "anouk": [],
        "carla": [NotificationKind.JOIN_REQUEST],
        "dirk": [NotificationKind.JOIN_REQUEST],
        "eva": [],
    }


@pytest.mark.parametrize(("approved", "word"), [(True, "goedgekeurd"), (False, "afgewezen")])
def test_join_decision_notifies_the_applicant(circle, facilitator, approved, word, captured_events, run_on_commit):
    applicant = UserFactory(username="eva")
    membership = Membership.objects.create(user=applicant, circle=circle, state=Membership.State.PENDING)
    membership.state = Membership.State.ACTIVE if approved else Membership.State.DECLINED
    membership.save()
    run_on_commit(triggers.join_decided, membership=membership, actor=facilitator, approved=approved)
    assert [n.kind for n in notifications_of(applicant)] == [NotificationKind.JOIN_DECISION]
    assert notifications_of(facilitator) == []
    [(_group, event)] = captured_events
    assert event["notification"]["text"] == f"Je aanvraag voor Kring Wonen is {word}"


def test_invitation_notifies_the_member_with_that_verified_address(circle, facilitator, official):
    invitee = UserFactory(username="femke", email="femke@gemeente.example")
    invitation = Invitation.objects.create(
        circle=circle,
        email="Femke@Gemeente.example",
        token_hash="x" * 64,
        invited_by=facilitator,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    triggers.invited(invitation=invitation)
    triggers.invited(invitation=invitation)
    assert [n.kind for n in notifications_of(invitee)] == [NotificationKind.INVITATION]
    assert notifications_of(facilitator) == []
    assert notifications_of(official) == []


def test_invitation_to_an_unknown_address_notifies_nobody(circle, facilitator):
    invitation = Invitation.objects.create(
        circle=circle,
        email="nieuw@gemeente.example",
        token_hash="y" * 64,
        invited_by=facilitator,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    triggers.invited(invitation=invitation)
    from communities.models import Notification

    assert not Notification.objects.exists()


# --- Through the services that make the events happen ------------------------------------


def test_asking_to_join_notifies_the_facilitators_with_a_link_to_the_requests(circle, official, facilitator):
    applicant = UserFactory(username="eva")
    services.circle_join(user=applicant, circle=circle)
    [notification] = notifications_of(facilitator)
    assert notification.kind == NotificationKind.JOIN_REQUEST
    assert notification.url == "/kringen/wonen/beheer/"
    assert notifications_of(official) == [] and notifications_of(applicant) == []


def test_joining_an_open_circle_notifies_nobody(circle, facilitator):
    from communities.models import Circle

    Circle.objects.filter(pk=circle.pk).update(join_policy=Circle.JoinPolicy.OPEN)
    circle.refresh_from_db()
    services.circle_join(user=UserFactory(username="eva"), circle=circle)
    assert notifications_of(facilitator) == []


@pytest.mark.parametrize("approve", [True, False])
def test_approving_or_declining_notifies_the_applicant_once(circle, facilitator, approve):
    applicant = UserFactory(username="eva")
    membership = services.circle_join(user=applicant, circle=circle)
    decide = services.membership_approve if approve else services.membership_decline
    decide(facilitator=facilitator, membership=membership)
    [notification] = notifications_of(applicant)
    assert notification.kind == NotificationKind.JOIN_DECISION
    assert notification.data["decision"] == ("approved" if approve else "declined")
    assert [n.kind for n in notifications_of(facilitator)] == [NotificationKind.JOIN_REQUEST]


def test_inviting_an_existing_member_notifies_them(circle, facilitator):
    invitee = UserFactory(username="femke", email="femke@gemeente.example")
    services.invitation_create(facilitator=facilitator, circle=circle, email="femke@gemeente.example")
    [notification] = notifications_of(invitee)
    assert notification.kind == NotificationKind.INVITATION
    assert notifications_of(facilitator) == []
