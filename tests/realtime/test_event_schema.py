"""Every event the services emit matches its schema in communities.event_schema.

Frames the consumer writes are checked in every consumer test (helpers.Socket.receive).
"""

import pytest
from django.test import Client
from pydantic import ValidationError

from communities import services
from communities.event_schema import CASE_EVENT_TYPES, CHANNEL_EVENT_TYPES, validate_event, validate_frame
from tests.factories import ChannelFactory, MembershipFactory

from .asyncapi import validate_server_frame

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel():
    return ChannelFactory()


@pytest.fixture
def official(channel):
    return MembershipFactory(circle=channel.circle).user


@pytest.fixture
def facilitator(channel):
    return MembershipFactory(circle=channel.circle, role="facilitator").user


def emitted(captured_events, django_capture_on_commit_callbacks, action):
    captured_events.clear()
    with django_capture_on_commit_callbacks(execute=True):
        action()
    assert captured_events, "the action emitted no event"
    return list(captured_events)


def test_every_message_event_matches_its_schema(
    channel, official, facilitator, captured_events, django_capture_on_commit_callbacks
):
    def run(action):
        return emitted(captured_events, django_capture_on_commit_callbacks, action)

    events = []
    events += run(lambda: services.message_post(author=official, channel=channel, body="Eerste *bericht*"))
    root = channel.messages.get()
    events += run(lambda: services.message_post(author=official, channel=channel, body="Antwoord", parent=root))
    reply = channel.messages.last()
    events += run(lambda: services.message_edit(editor=official, message=reply, body="Beter antwoord"))
    events += run(lambda: services.message_delete(actor=official, message=reply))
    events += run(lambda: services.message_hide(moderator=facilitator, message=root))

    assert [event["type"] for _, event in events] == [
        "message.created",
        "message.created",
        "message.edited",
        "message.deleted",
        "message.deleted",
    ]
    for group, event in events:
        assert group == f"channel-{channel.pk}"
        validate_event(event)
        validate_frame(event)  # forwarded to browsers unchanged
        validate_server_frame(event)  # as the AsyncAPI document describes it


def test_every_membership_and_channel_event_matches_its_schema(
    channel, official, facilitator, captured_events, django_capture_on_commit_callbacks
):
    from communities.models import Membership

    def run(action):
        return emitted(captured_events, django_capture_on_commit_callbacks, action)

    member = MembershipFactory(circle=channel.circle)
    events = []
    events += run(lambda: services.membership_remove(facilitator=facilitator, membership=member))
    events += run(lambda: services.circle_leave(user=official, circle=channel.circle))
    events += run(lambda: services.channel_update(facilitator=facilitator, channel=channel, locked=True))
    events += run(lambda: services.channel_update(facilitator=facilitator, channel=channel, name="Archief", archived=True))
    assert [(group, event["type"]) for group, event in events] == [
        (f"user-{member.user_id}", "membership.ended"),
        (f"user-{official.pk}", "membership.ended"),
        (f"channel-{channel.pk}", "channel.updated"),
        (f"channel-{channel.pk}", "channel.updated"),
    ]
    assert Membership.objects.get(pk=member.pk).state == "removed"
    for _group, event in events:
        validate_event(event)
    validate_frame(events[-1][1])  # channel.updated is forwarded to browsers unchanged
    validate_server_frame(events[-1][1])


def test_reaction_event_matches_its_schema(
    channel, official, facilitator, captured_events, django_capture_on_commit_callbacks
):
    from tests.factories import MessageFactory

    message = MessageFactory(channel=channel, author=official)
    events = []
    for user in (official, facilitator, official):
        events += emitted(
            captured_events,
            django_capture_on_commit_callbacks,
            lambda user=user: services.reaction_toggle(user=user, message=message, kind="thanks"),
        )
    assert [(group, event["message"], event["reactions"][3]) for group, event in events] == [
        (f"channel-{channel.pk}", message.pk, {"kind": "thanks", "count": count}) for count in (1, 2, 1)
    ]
    for _group, event in events:
        validate_event(event)
        validate_frame(event)  # forwarded to browsers unchanged
        validate_server_frame(event)  # as the AsyncAPI document describes it


def test_channel_read_event_matches_its_schema(channel, official, facilitator, captured_events, django_capture_on_commit_callbacks):
    from tests.factories import MessageFactory

    first = MessageFactory(channel=channel, author=facilitator)
    MessageFactory(channel=channel, author=facilitator)  # still unread after reading up to `first`
    [(group, event)] = emitted(
        captured_events,
        django_capture_on_commit_callbacks,
        lambda: services.channel_read_live(user=official, channel_id=channel.pk, message_id=first.pk),
    )
    assert (group, event) == (f"user-{official.pk}", {"type": "channel.read", "channel": channel.pk, "unread": 1})
    validate_event(event)
    validate_frame(event)
    validate_server_frame(event)


def test_logout_event_matches_its_schema(official, captured_events, django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(official)
    key = client.session.session_key
    [(group, event)] = emitted(
        captured_events, django_capture_on_commit_callbacks, lambda: client.post("/accounts/logout/")
    )
    assert group == f"session-{key}"
    validate_event(event)


REACTION_KINDS = ["thumbs_up", "heart", "idea", "thanks", "question"]

BROKEN = [
    {"type": "message.created", "channel": 1},
    {"type": "message.created", "channel": 2, "message": {"id": 1}},
    {"type": "typing", "channel": 1, "user": {"id": 1}},
    {"type": "typing", "channel": "1", "user": {"id": 1, "name": "Anouk"}},
    {"type": "channel.updated", "channel": 1, "locked": "ja", "archived": False, "name": "x"},
    {"type": "membership.ended", "circle": True},
    {"type": "case.updated", "case": 1},
    {"type": "session.ended", "extra": 1},
    {"type": "channel.read", "channel": 1, "unread": -1},
    {"type": "channel.read", "channel": 1},
    {"type": "reaction.updated", "channel": 1, "message": 2, "reactions": [{"kind": "heart", "count": 1}]},
    {"type": "reaction.updated", "channel": 1, "message": 2, "reactions": [{"kind": k, "count": -1} for k in REACTION_KINDS]},
    {"type": "reaction.updated", "channel": 1, "message": 2, "reactions": [{"kind": k, "count": 0, "mine": True} for k in REACTION_KINDS]},
    {"type": "gossip"},
]


@pytest.mark.parametrize("event", BROKEN)
def test_schema_refuses_events_that_do_not_match(event):
    with pytest.raises(ValidationError):
        validate_event(event)


def test_message_payload_is_checked_field_by_field(channel, official, captured_events, django_capture_on_commit_callbacks):
    [(_, event)] = emitted(
        captured_events,
        django_capture_on_commit_callbacks,
        lambda: services.message_post(author=official, channel=channel, body="Hallo"),
    )
    for broken in (
        {**event, "channel": event["channel"] + 1},  # another channel than the message's
        {**event, "message": {**event["message"], "created": "gisteren"}},
        {**event, "message": {**event["message"], "created": "2026-01-01T10:00:00"}},  # no time zone
        {**event, "message": {**event["message"], "html": None}},
        {**event, "message": {**event["message"], "secret": "x"}},
        {**event, "type": "message.deleted"},  # a deletion carries a removed message
    ):
        with pytest.raises(ValidationError):
            validate_event(broken)


def test_every_event_type_the_consumer_handles_has_a_schema():
    for kind in CHANNEL_EVENT_TYPES | CASE_EVENT_TYPES | {"membership.ended", "session.ended", "notification", "channel.read"}:
        try:
            validate_event({"type": kind})
        except ValidationError as error:
            assert "union_tag_invalid" not in {e["type"] for e in error.errors()}, kind


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "subscribed"},
        {"type": "subscribed", "channel": 1, "case": 2},
        {"type": "error", "code": "oops", "detail": "x"},
        {"type": "subscription.ended", "channel": 1, "reason": "bored", "detail": "x"},
    ],
)
def test_frame_schema_refuses_frames_that_do_not_match(frame):
    with pytest.raises(ValidationError):
        validate_frame(frame)
