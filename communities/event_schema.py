"""The shape of every real-time event and frame (DESIGN.md, "Real-time protocol"), in one place.

Three vocabularies:

- `EVENT`: what services hand to `events.send_event_on_commit` (and the consumer to
  `send_ephemeral_event`); it travels through the channel layer to the consumers.
- `FRAME`: what the consumer writes to a browser's socket. Most events are forwarded as
  they are; `membership.ended` and `session.ended` are turned into frames of their own.
- `REQUESTS`: the frames a browser may send; the consumer checks them field by field so
  that each mistake gets its own error frame.

As Zulip's `event_schema.py`: tests run every event the services emit, and every frame
the consumer writes, through these schemas (tests/realtime/test_event_schema.py), so a
payload that drifts from the protocol fails a test instead of a browser.
"""

from datetime import datetime
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, TypeAdapter
from pydantic import WithJsonSchema
from pydantic import model_validator

from .models import Reaction

Id = Annotated[StrictInt, Field(gt=0, lt=2**63)]


def _iso_datetime(value: str) -> str:
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("timestamps carry their time zone")
    return value


IsoDatetime = Annotated[
    StrictStr, AfterValidator(_iso_datetime), WithJsonSchema({"type": "string", "format": "date-time"})
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Open(BaseModel):
    """For events whose producer owns the rest of the payload (casework, notifications)."""

    model_config = ConfigDict(extra="allow", frozen=True)


class Person(Strict):
    id: Id | None
    name: StrictStr


class MessagePayload(Strict):
    id: Id
    channel: Id
    parent: Id | None
    thread: Id
    depth: Annotated[StrictInt, Field(ge=0)]
    author: Person
    html: StrictStr
    created: IsoDatetime
    edited: IsoDatetime | None
    deleted: StrictBool
    hidden: StrictBool


# --- Events (through the channel layer) --------------------------------------------------


class MessageEvent(Strict):
    type: Literal["message.created", "message.edited", "message.deleted"]
    channel: Id
    message: MessagePayload

    @model_validator(mode="after")
    def _same_channel(self):
        if self.message.channel != self.channel:
            raise ValueError("message.channel must equal channel")
        if self.type == "message.deleted" and not (self.message.deleted or self.message.hidden):
            raise ValueError("message.deleted carries a deleted or hidden message")
        if (self.message.deleted or self.message.hidden) and self.message.html:
            raise ValueError("a removed message carries no html")
        return self


class TypingEvent(Strict):
    type: Literal["typing"]
    channel: Id
    user: Person


class ReactionCountPayload(Strict):
    kind: Literal[tuple(Reaction.Kind.values)]
    count: Annotated[StrictInt, Field(ge=0)]


class ReactionUpdatedEvent(Strict):
    """A member added or took back a reaction: every kind's new count, for everyone alike.

    Whether the reader reacted themselves is not broadcast; the page knows that from what
    it rendered and from its own clicks.
    """

    type: Literal["reaction.updated"]
    channel: Id
    message: Id
    reactions: list[ReactionCountPayload]

    @model_validator(mode="after")
    def _every_kind_once(self):
        if [r.kind for r in self.reactions] != list(Reaction.Kind.values):
            raise ValueError("reactions lists every kind once, in order")
        return self


class ChannelUpdatedEvent(Strict):
    type: Literal["channel.updated"]
    channel: Id
    locked: StrictBool
    archived: StrictBool
    name: StrictStr


class ChannelReadEvent(Strict):
    """To user_group(user): the user read `channel` (in any tab); `unread` is what remains."""

    type: Literal["channel.read"]
    channel: Id
    unread: Annotated[StrictInt, Field(ge=0)]


class MembershipEndedEvent(Strict):
    """To user_group(user): the user is no longer a member of `circle`."""

    type: Literal["membership.ended"]
    circle: Id


class SessionEndedEvent(Strict):
    """To session_group(session key): the session was logged out or ended elsewhere."""

    type: Literal["session.ended"]


class CaseUpdatedEvent(Open):
    type: Literal["case.updated"]
    case: Id
    phase: StrictStr


class CaseContributionEvent(Open):
    type: Literal["feedback.created", "feedback.updated", "question.created", "question.answered"]
    case: Id


class NotificationEvent(Open):
    type: Literal["notification"]


_EventUnion = Annotated[
    MessageEvent
    | TypingEvent
    | ReactionUpdatedEvent
    | ChannelUpdatedEvent
    | ChannelReadEvent
    | MembershipEndedEvent
    | SessionEndedEvent
    | CaseUpdatedEvent
    | CaseContributionEvent
    | NotificationEvent,
    Field(discriminator="type"),
]
EVENT = TypeAdapter(_EventUnion)

# Events that the consumer forwards to subscribers unchanged.
CHANNEL_EVENT_TYPES = frozenset(
    {"message.created", "message.edited", "message.deleted", "typing", "reaction.updated", "channel.updated"}
)
CASE_EVENT_TYPES = frozenset({"case.updated", "feedback.created", "feedback.updated", "question.created", "question.answered"})


# --- Frames (consumer -> browser) ---------------------------------------------------------


class _ChannelOrCase(Strict):
    channel: Id | None = None
    case: Id | None = None

    @model_validator(mode="after")
    def _exactly_one(self):
        if (self.channel is None) == (self.case is None):
            raise ValueError("exactly one of channel or case")
        return self


class SubscribedFrame(_ChannelOrCase):
    type: Literal["subscribed"]
    at: Annotated[StrictInt, Field(ge=0)] | None = None  # server time (ms), when changes_since was sent


class UnsubscribedFrame(_ChannelOrCase):
    type: Literal["unsubscribed"]


class SubscriptionEndedFrame(_ChannelOrCase):
    """The server ended a subscription: the user lost access (removed from the circle)."""

    type: Literal["subscription.ended"]
    reason: Literal["membership_ended", "access_lost"]
    detail: StrictStr


class ResyncFrame(Strict):
    """Too much was missed to catch up frame by frame: reload the channel."""

    type: Literal["resync"]
    channel: Id


class SessionEndedFrame(Strict):
    type: Literal["session.ended"]
    detail: StrictStr


ERROR_CODES = (
    "not_json",
    "invalid_frame",
    "unknown_type",
    "missing_field",
    "invalid_field",
    "not_found",
    "not_subscribed",
    "too_many_subscriptions",
    "too_large",
    "rate_limited",
    "unavailable",
)


class ErrorFrame(Strict):
    type: Literal["error"]
    code: Literal[ERROR_CODES]
    detail: StrictStr
    field: StrictStr | None = None
    channel: Id | None = None
    case: Id | None = None


_FrameUnion = Annotated[
    MessageEvent
    | TypingEvent
    | ReactionUpdatedEvent
    | ChannelUpdatedEvent
    | ChannelReadEvent
    | CaseUpdatedEvent
    | CaseContributionEvent
    | NotificationEvent
    | SubscribedFrame
    | UnsubscribedFrame
    | SubscriptionEndedFrame
    | ResyncFrame
    | SessionEndedFrame
    | ErrorFrame,
    Field(discriminator="type"),
]
FRAME = TypeAdapter(_FrameUnion)
FRAME_MODELS = get_args(get_args(_FrameUnion)[0])  # every frame's model, for the AsyncAPI document


# --- Requests (browser -> consumer) --------------------------------------------------------

ID = "id"
OPTIONAL_ID = "id or null"
OPTIONAL_TIME = "milliseconds since 1970 or null"

# type -> {field: kind}; `unsubscribe` names a channel or a case (one not subscribed on the socket:
# error `not_subscribed`). Unknown extra fields are ignored.
# `read`: the page showed the channel up to `message` while visible (the client sends it at
# most every few seconds); the read marker moves there, never back, and the user's sockets
# that follow the channel get `channel.read` with its remaining unread count.
# `subscribe` with `changes_since` (the page's render time, later the `at` of the last
# `subscribed`): also send the present state of messages up to `since` that were edited, deleted
# or hidden after that time, and answer `subscribed` with `at`. Channels followed only for their
# unread badge leave it out and get no changes.
REQUESTS: dict[str, dict[str, str]] = {
    "subscribe": {"channel": ID, "since": OPTIONAL_ID, "changes_since": OPTIONAL_TIME},
    "subscribe_case": {"case": ID},
    "unsubscribe": {},
    "typing": {"channel": ID},
    "read": {"channel": ID, "message": ID},
}


def validate_event(event: dict) -> None:
    """Raise pydantic.ValidationError when `event` does not match its schema."""
    EVENT.validate_python(event)


def validate_frame(frame: dict) -> None:
    FRAME.validate_python(frame)
