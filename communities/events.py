"""The one door for real-time events: written by services, sent only after commit.

A client that misses an event (the channel layer delivers at most once) recovers from the
database with `since`; an event must therefore never announce something that could still
be rolled back.
"""

from collections.abc import Callable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

# The consumer method every group message is dispatched to ("leerkring.event" -> leerkring_event).
EVENT_HANDLER_TYPE = "leerkring.event"


def channel_group(channel_id: int) -> str:
    return f"channel-{channel_id}"


def case_group(case_id: int) -> str:
    return f"case-{case_id}"


def user_group(user_id: int) -> str:
    return f"user-{user_id}"


def session_group(session_key: str) -> str:
    return f"session-{session_key}"


def send_event_now(group: str, event: dict) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group, {"type": EVENT_HANDLER_TYPE, "event": event})


def send_event_on_commit(group: str, event: dict | Callable[[], dict]) -> None:
    """`event` may be a function that builds it after commit, for state that parallel
    transactions change too (reaction counts): built then, it includes every commit before it."""
    transaction.on_commit(lambda: send_event_now(group, event() if callable(event) else event), robust=True)


async def send_ephemeral_event(group: str, event: dict) -> None:
    """For events that announce no database state (typing): sent at once, from async code.

    Losing one costs nothing, so there is nothing to commit first and nothing to catch up.
    """
    layer = get_channel_layer()
    if layer is not None:
        await layer.group_send(group, {"type": EVENT_HANDLER_TYPE, "event": event})
