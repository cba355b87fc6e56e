"""The /ws/ endpoint (DESIGN.md, "Real-time protocol"): delivery, plus the read marker.

One socket per browser tab, authenticated by the session cookie (config/asgi.py checks the
origin and resolves the user). The browser subscribes to channels and cases; the consumer
checks permission through `communities.permissions` (and `casework.permissions` for cases),
joins the matching channel-layer group and forwards the events that services send after
their transaction commits. Its one write goes through a service too: `read` (the page
showed a channel's messages up to an id while visible) moves the read marker with
`services.channel_read_live`, so messages seen live do not count as unread afterwards.
Frames and events are listed in communities/event_schema.py.

Delivery guarantees. The channel layer delivers at most once, so correctness comes from the
database: `subscribe` with `since` sends every message of the channel with a higher id,
oldest first. The consumer joins the group *before* it reads the catch-up, so nothing
falls between the two; a message that is both read and then broadcast is sent once,
because live `message.created` events at or below the catch-up's mark (the newest id it
covered), or already sent live, are dropped. Ids within one channel commit in id order
because `services.message_post` locks the channel row before it inserts, which is what
makes an id-based `since` gap-free. Their broadcasts need not arrive in that order (two
processes publish after their commits), so a live event never moves the mark: an earlier
id that arrives after a later one is still delivered (bench/loadfault.py lost such messages
at 30 posts/s into one channel before).

Edits, deletions and hides are events too, so a client that was away missed those of the
messages it already shows. A client that shows a channel's messages therefore subscribes
with `changes_since` (its page's render time, later the `at` of its last `subscribed`), and
after the new messages gets the present state (`message.edited` or `message.deleted`) of
every message up to `since` that changed after that time (selectors.messages_changed_up_to;
more than CATCH_UP_LIMIT: `resync`). Some of those the client may have had already; applying
one twice changes nothing. Channels followed only for their unread badge get no changes.

Redis restarts. Pub/sub keeps nothing for a process that is not subscribed at that moment,
and the browsers' sockets to this process stay open, so no client would notice the gap.
communities.layers tells every consumer when the connection to Redis is back; the consumer
then catches up each channel from its mark, skipping what it already sent live.

Losing access. A removed member's subscriptions end at once through the `membership.ended`
event to their user group; logging out ends the session's sockets through `session.ended`
to the session group (communities/receivers.py). Both travel through the same at-most-once
layer, so the consumer does not rely on them alone: before delivering anything it checks
that its last full re-check (session still valid, each subscribed channel and case still
readable) is at most REVALIDATE_AFTER seconds old, and re-checks otherwise. A lost event
therefore leaks at most that many seconds of a channel, while the delivery path costs no
query per event (a fan-out to 200 sockets would otherwise cost 200 queries per message),
and idle sockets cost nothing at all. The interval is jittered per connection so that the
sockets that subscribed together do not all re-check in the same second.
"""

import datetime
import json
import logging
import random
import time
from importlib import import_module
from types import SimpleNamespace

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from . import permissions, selectors, services
from .event_schema import CASE_EVENT_TYPES, CHANNEL_EVENT_TYPES, ID, OPTIONAL_TIME, REQUESTS
from .errors import NotFound
from .events import EVENT_HANDLER_TYPE, case_group, channel_group, send_ephemeral_event, session_group, user_group
from .models import Channel, Message
from .payloads import author_payload, message_payload

logger = logging.getLogger(__name__)

CATCH_UP_LIMIT = 500  # more missing than this: `resync` (reload) instead of a flood of frames
MAX_FRAME_CHARS = 4096  # every request fits in a few hundred characters
FRAME_RATE = 10.0  # requests per second, sustained ...
FRAME_BURST = 30  # ... with this much burst (a page subscribing to its sidebar's channels)
MAX_SUBSCRIPTIONS = 64  # channels plus cases on one socket
TYPING_INTERVAL = 3.0  # at most one typing event per channel per socket in this many seconds
SENT_LIVE_KEPT = 1000  # ids sent live above the catch-up mark, per channel (see _deliver_channel_event)
REVALIDATE_AFTER = 30.0  # see the module docstring
CLOSE_NOT_AUTHENTICATED = 4401  # the client does not reconnect on this code; it asks to log in


class UnknownPathConsumer(AsyncWebsocketConsumer):
    """Any WebSocket path but /ws/: refused at the handshake (the server answers 403)."""

    async def connect(self):
        await self.close()


class LiveConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        session = self.scope.get("session")
        if user is None or not user.is_authenticated or session is None or not session.session_key:
            await self.close(code=CLOSE_NOT_AUTHENTICATED)
            return
        self.user = getattr(user, "_wrapped", user)
        self.session_key = session.session_key
        self.joined: set[str] = set()
        self.channel_circles: dict[int, int] = {}  # subscribed channel -> its circle
        self.case_circles: dict[int, int] = {}  # subscribed case -> its circle
        # Per channel: every message up to `high_water` has been sent (by a catch-up from the
        # database); `sent_live` holds the ids above it that were sent live. Live events can arrive
        # out of id order (two processes publish), so a live event never raises the mark itself.
        self.high_water: dict[int, int] = {}
        self.sent_live: dict[int, set[int]] = {}
        self.last_typing: dict[int, float] = {}
        self.changes_followed: dict[int, int] = {}  # channel -> time (ms) up to which changes were sent
        self.tokens, self.tokens_at, self.last_rate_error = float(FRAME_BURST), time.monotonic(), 0.0
        self._schedule_revalidation()
        self.person, self.language = await self._identity()
        await self._join(user_group(self.user.pk))
        await self._join(session_group(self.session_key))
        await self.accept()

    async def dispatch(self, message):
        # Error and notice texts in the member's own language (their profile), Dutch by default.
        with translation.override(getattr(self, "language", settings.LANGUAGE_CODE)):
            if message["type"] == EVENT_HANDLER_TYPE:
                # Deliveries skip Channels' close_old_connections() before every handler, a
                # hop to the sync thread per socket per event (200 hops for one message to
                # 200 sockets). Their only database access is through database_sync_to_async,
                # which closes old connections itself.
                try:
                    await self.leerkring_event(message)
                except Exception:  # one malformed event must not close every socket it reaches
                    logger.exception("live event %r not delivered", message.get("event", {}).get("type"))
            else:
                await super().dispatch(message)

    async def disconnect(self, code):
        for group in getattr(self, "joined", ()):
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except Exception:  # the layer's own expiry removes what a failed discard leaves
                logger.warning("live: could not leave group %s", group, exc_info=True)

    # --- Browser -> server --------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        if not self._take_token():
            now = time.monotonic()
            if now - self.last_rate_error >= 1.0:
                self.last_rate_error = now
                await self.send_error("rate_limited", _("You are sending too many requests. Wait a moment."))
            return
        if text_data is None:
            await self.send_error("not_json", _("Only text frames with JSON are understood."))
            return
        if len(text_data) > MAX_FRAME_CHARS:
            await self.send_error(
                "too_large", _("This frame is too large (at most %(max)s characters).") % {"max": MAX_FRAME_CHARS}
            )
            return
        try:
            frame = json.loads(text_data)
        except (ValueError, RecursionError):  # RecursionError: "[[[[…" nested thousands deep
            await self.send_error("not_json", _("This frame is not valid JSON."))
            return
        if not isinstance(frame, dict):
            await self.send_error("invalid_frame", _("A frame must be a JSON object with a “type”."))
            return
        if "type" not in frame:
            await self.send_error("missing_field", _("The field “%(field)s” is missing.") % {"field": "type"}, field="type")
            return
        kind = frame["type"]
        if not isinstance(kind, str) or kind not in REQUESTS:
            await self.send_error("unknown_type", _("This type of frame does not exist."))
            return
        fields = await self._fields(kind, frame)
        if fields is None:
            return
        try:
            await getattr(self, f"request_{kind}")(**fields)
        except Exception:  # a bug in one request must not cost the socket its other subscriptions
            logger.exception("live request %s failed", kind)
            await self.send_error("unavailable", _("Something went wrong. Try again later."))

    async def request_subscribe(self, channel: int, since: int | None, changes_since: int | None):
        if channel not in self.channel_circles and self._subscription_count() >= MAX_SUBSCRIPTIONS:
            await self.send_error(
                "too_many_subscriptions", _("This connection follows too many channels and cases."), channel=channel
            )
            return
        circle = await self._readable_channel(channel)
        if circle is None:
            await self.send_error("not_found", _("This channel does not exist."), channel=channel)
            return
        # Without `since` the client wants what commits from now on; the mark (read before
        # joining, so nothing after it is dropped) is where a catch-up after a Redis restart starts.
        newest_before = await self._newest(channel) if since is None else None
        # Taken before joining, like the mark: a change after it arrives live or in the next replay.
        now = _now_ms()
        # Join before reading the catch-up: whatever commits from here on arrives live.
        await self._join(channel_group(channel))
        self.channel_circles[channel] = circle
        subscribed = {"type": "subscribed", "channel": channel}
        if changes_since is not None:
            self.changes_followed[channel] = now
            subscribed["at"] = now
        else:
            self.changes_followed.pop(channel, None)
        await self.send_frame(subscribed)
        if since is None:
            self._raise_mark(channel, newest_before)
            return
        payloads, newest = await self._catch_up(channel, since)
        if payloads is None:
            await self.send_frame({"type": "resync", "channel": channel})
        for payload in payloads or ():
            await self.send_frame({"type": "message.created", "channel": channel, "message": payload})
        self._raise_mark(channel, newest)
        if payloads is not None and changes_since is not None:
            await self._send_changes(channel, since, changes_since)

    async def request_subscribe_case(self, case: int):
        try:
            from casework.models import Case  # noqa: F401  (casework arrives in its own issue)
            from casework.permissions import can_read_case  # noqa: F401
        except ImportError:
            await self.send_error("unavailable", _("Cases are not available yet."), case=case)
            return
        if case not in self.case_circles and self._subscription_count() >= MAX_SUBSCRIPTIONS:
            await self.send_error(
                "too_many_subscriptions", _("This connection follows too many channels and cases."), case=case
            )
            return
        circle = await self._readable_case(case)
        if circle is None:
            await self.send_error("not_found", _("This case does not exist."), case=case)
            return
        await self._join(case_group(case))
        self.case_circles[case] = circle
        await self.send_frame({"type": "subscribed", "case": case})

    async def request_unsubscribe(self, channel: int | None = None, case: int | None = None):
        if channel is not None:
            if channel not in self.channel_circles:
                await self.send_error("not_subscribed", _("This channel is not subscribed on this connection."),
                                      channel=channel)
                return
            await self._end_channel(channel)
            await self.send_frame({"type": "unsubscribed", "channel": channel})
        else:
            if case not in self.case_circles:
                await self.send_error("not_subscribed", _("This case is not subscribed on this connection."), case=case)
                return
            await self._end_case(case)
            await self.send_frame({"type": "unsubscribed", "case": case})

    async def request_typing(self, channel: int):
        if channel not in self.channel_circles:
            await self.send_error("not_subscribed", _("Subscribe to this channel first."), channel=channel)
            return
        now = time.monotonic()
        if now - self.last_typing.get(channel, -TYPING_INTERVAL) < TYPING_INTERVAL:
            return  # throttled: the others already see this person typing
        if not await self._fresh() or channel not in self.channel_circles:
            return
        self.last_typing[channel] = now
        await send_ephemeral_event(channel_group(channel), {"type": "typing", "channel": channel, "user": self.person})

    async def request_read(self, channel: int, message: int):
        if channel not in self.channel_circles:
            await self.send_error("not_subscribed", _("Subscribe to this channel first."), channel=channel)
            return
        try:
            await self._read(channel, message)
        except NotFound as error:
            await self.send_error("not_found", error.message, channel=channel)

    # --- Channel layer -> browser -----------------------------------------------------------

    async def leerkring_event(self, message):
        event = message["event"]
        kind = event.get("type")
        if kind in CHANNEL_EVENT_TYPES:
            await self._deliver_channel_event(event)
        elif kind in CASE_EVENT_TYPES:
            if event.get("case") in self.case_circles and await self._fresh() and event["case"] in self.case_circles:
                await self.send_frame(event)
        elif kind == "channel.read":
            # Only sockets that follow the channel show its badge.
            if event["channel"] in self.channel_circles and await self._fresh() and event["channel"] in self.channel_circles:
                await self.send_frame(event)
        elif kind == "membership.ended":
            await self._membership_ended(event["circle"])
        elif kind == "session.ended":
            await self._session_ended()
        elif kind == "notification":
            if await self._fresh():
                await self.send_frame(event)
        else:
            logger.warning("live event of unknown type %r dropped", kind)

    async def leerkring_layer_resumed(self, message):
        """The layer's connection to Redis is back (communities/layers.py); events published
        meanwhile are lost, so send what was committed above the mark and not yet sent live."""
        for channel in list(self.channel_circles):
            if not await self._fresh() or channel not in self.channel_circles:
                continue
            payloads, newest = await self._catch_up(channel, self.high_water.get(channel, 0))
            if payloads is None:
                await self.send_frame({"type": "resync", "channel": channel})
            sent = self.sent_live.get(channel, set())
            for payload in payloads or ():
                if payload["id"] not in sent:
                    await self.send_frame({"type": "message.created", "channel": channel, "message": payload})
                elif payload["edited"] or payload["deleted"] or payload["hidden"]:
                    await self._send_change(channel, payload)  # sent live, maybe changed meanwhile
            if payloads is not None and channel in self.changes_followed:
                resumed_at = _now_ms()
                await self._send_changes(channel, self.high_water.get(channel, 0), self.changes_followed[channel])
                self.changes_followed[channel] = resumed_at
            self._raise_mark(channel, newest)

    async def _send_changes(self, channel: int, since: int, changed_after_ms: int):
        """Edits, deletions and hides of messages up to `since` after `changed_after_ms` that the
        client may have missed (it was disconnected, or the layer lost their events): the
        message's present state."""
        payloads = await self._changed(channel, since, changed_after_ms)
        if payloads is None:
            await self.send_frame({"type": "resync", "channel": channel})
        for payload in payloads or ():
            await self._send_change(channel, payload)

    async def _send_change(self, channel: int, payload: dict):
        kind = "message.deleted" if payload["deleted"] or payload["hidden"] else "message.edited"
        await self.send_frame({"type": kind, "channel": channel, "message": payload})

    async def _deliver_channel_event(self, event):
        channel = event.get("channel")
        if channel not in self.channel_circles:
            return  # queued before an unsubscribe
        if event["type"] == "typing" and event["user"]["id"] == self.user.pk:
            return  # never echo typing to the typer (nor to their other tabs)
        if not await self._fresh() or channel not in self.channel_circles:
            return
        if event["type"] == "message.created":
            message_id = event["message"]["id"]
            sent = self.sent_live.setdefault(channel, set())
            if message_id <= self.high_water.get(channel, 0) or message_id in sent:
                return  # already sent, by the catch-up or live
            sent.add(message_id)
            if len(sent) > SENT_LIVE_KEPT:
                # Forget the older half: a live event that late (hundreds of messages) is gone anyway.
                self._raise_mark(channel, sorted(sent)[len(sent) // 2])
        await self.send_frame(event)

    async def _membership_ended(self, circle: int):
        for channel in [c for c, owner in self.channel_circles.items() if owner == circle]:
            await self._end_channel(channel)
            await self.send_frame(
                {
                    "type": "subscription.ended",
                    "channel": channel,
                    "reason": "membership_ended",
                    "detail": _("You are no longer a member of this learning circle."),
                }
            )
        if any(owner == circle for owner in self.case_circles.values()):
            # A case guest may keep one case of a circle they are not a member of.
            await self._revalidate()

    async def _session_ended(self):
        await self.send_frame(
            {"type": "session.ended", "detail": _("You have been logged out. Log in again to continue.")}
        )
        await self.close(code=CLOSE_NOT_AUTHENTICATED)

    # --- Re-checking access -----------------------------------------------------------------

    def _schedule_revalidation(self):
        self.fresh_until = time.monotonic() + REVALIDATE_AFTER * random.uniform(0.7, 1.0)

    async def _fresh(self) -> bool:
        """True when the socket may still deliver: re-checks access when the last check is old."""
        if time.monotonic() < self.fresh_until:
            return True
        return await self._revalidate()

    async def _revalidate(self) -> bool:
        self._schedule_revalidation()
        result = await self._check_access()
        if result is None:
            await self._session_ended()
            return False
        lost_channels, lost_cases = result
        for channel in lost_channels:
            await self._end_channel(channel)
            await self.send_frame(
                {
                    "type": "subscription.ended",
                    "channel": channel,
                    "reason": "access_lost",
                    "detail": _("You no longer have access to this channel."),
                }
            )
        for case in lost_cases:
            await self._end_case(case)
            await self.send_frame(
                {
                    "type": "subscription.ended",
                    "case": case,
                    "reason": "access_lost",
                    "detail": _("You no longer have access to this case."),
                }
            )
        return True

    @database_sync_to_async
    def _check_access(self):
        """None when the session no longer logs this user in; else what they lost access to."""
        from django.contrib.auth import get_user

        engine = import_module(settings.SESSION_ENGINE)
        user = get_user(SimpleNamespace(session=engine.SessionStore(self.session_key)))
        if not user.is_authenticated or user.pk != self.user.pk:
            return None
        self.user = user
        channels = Channel.objects.select_related("circle").in_bulk(list(self.channel_circles))
        lost_channels = [
            pk for pk in self.channel_circles if pk not in channels or not permissions.can_read_channel(user, channels[pk])
        ]
        lost_cases = [pk for pk in self.case_circles if self._case_circle(pk) is None]
        return lost_channels, lost_cases

    @database_sync_to_async
    def _readable_channel(self, channel_id: int) -> int | None:
        permissions.forget_memberships(self.user)
        channel = Channel.objects.select_related("circle").filter(pk=channel_id).first()
        if channel is None or not permissions.can_read_channel(self.user, channel):
            return None
        return channel.circle_id

    @database_sync_to_async
    def _readable_case(self, case_id: int) -> int | None:
        return self._case_circle(case_id)

    def _case_circle(self, case_id: int) -> int | None:
        from casework.models import Case
        from casework.permissions import can_read_case

        permissions.forget_memberships(self.user)
        case = Case.objects.filter(pk=case_id).first()
        if case is None or not can_read_case(self.user, case):
            return None
        return case.circle_id

    @database_sync_to_async
    def _catch_up(self, channel_id: int, since: int) -> tuple[list[dict] | None, int]:
        """Messages after `since`, oldest first, and the newest id; None when too many are missing."""
        missing = Message.objects.filter(channel_id=channel_id, pk__gt=since).order_by("pk")
        if missing.values_list("pk", flat=True)[CATCH_UP_LIMIT : CATCH_UP_LIMIT + 1]:
            return None, missing.order_by("-pk").values_list("pk", flat=True).first()
        rows = list(missing.select_related("author__profile"))
        return [message_payload(row) for row in rows], (rows[-1].pk if rows else since)

    @database_sync_to_async
    def _read(self, channel_id: int, message_id: int) -> None:
        permissions.forget_memberships(self.user)  # a membership ended since the last check counts
        services.channel_read_live(user=self.user, channel_id=channel_id, message_id=message_id)

    @database_sync_to_async
    def _changed(self, channel_id: int, since: int, changed_after_ms: int) -> list[dict] | None:
        changed_after = datetime.datetime.fromtimestamp(changed_after_ms / 1000, tz=datetime.timezone.utc)
        rows = selectors.messages_changed_up_to(channel_id, since, changed_after, CATCH_UP_LIMIT)
        return None if rows is None else [message_payload(row) for row in rows]

    @database_sync_to_async
    def _newest(self, channel_id: int) -> int:
        return Message.objects.filter(channel_id=channel_id).order_by("-pk").values_list("pk", flat=True).first() or 0

    @database_sync_to_async
    def _identity(self) -> tuple[dict, str]:
        profile = getattr(self.user, "profile", None)
        language = profile.language if profile is not None else settings.LANGUAGE_CODE
        return author_payload(self.user), language

    # --- Helpers ---------------------------------------------------------------------------------

    async def _join(self, group: str):
        if group not in self.joined:
            await self.channel_layer.group_add(group, self.channel_name)
            self.joined.add(group)

    async def _leave(self, group: str):
        if group in self.joined:
            self.joined.discard(group)
            await self.channel_layer.group_discard(group, self.channel_name)

    async def _end_channel(self, channel: int):
        self.channel_circles.pop(channel, None)
        self.high_water.pop(channel, None)
        self.sent_live.pop(channel, None)
        self.last_typing.pop(channel, None)
        self.changes_followed.pop(channel, None)
        await self._leave(channel_group(channel))

    async def _end_case(self, case: int):
        self.case_circles.pop(case, None)
        await self._leave(case_group(case))

    def _raise_mark(self, channel: int, newest: int):
        mark = max(self.high_water.get(channel, 0), newest)
        self.high_water[channel] = mark
        if channel in self.sent_live:
            self.sent_live[channel] = {pk for pk in self.sent_live[channel] if pk > mark}

    def _subscription_count(self) -> int:
        return len(self.channel_circles) + len(self.case_circles)

    def _take_token(self) -> bool:
        now = time.monotonic()
        self.tokens = min(float(FRAME_BURST), self.tokens + (now - self.tokens_at) * FRAME_RATE)
        self.tokens_at = now
        if self.tokens < 1.0:
            return False
        self.tokens -= 1.0
        return True

    async def _fields(self, kind: str, frame: dict) -> dict | None:
        """The request's fields, checked; None after an error frame was sent."""
        spec = REQUESTS[kind]
        if kind == "unsubscribe":  # names either a channel or a case
            spec = {"case": ID} if "case" in frame and "channel" not in frame else {"channel": ID}
        fields = {}
        for name, expected in spec.items():
            value = frame.get(name)
            if expected == ID:
                if name not in frame:
                    await self.send_error(
                        "missing_field", _("The field “%(field)s” is missing.") % {"field": name}, field=name
                    )
                    return None
                if not _is_id(value):
                    await self.send_error(
                        "invalid_field", _("The field “%(field)s” must be a positive whole number.") % {"field": name},
                        field=name,
                    )
                    return None
            elif expected == OPTIONAL_TIME:
                if value is not None and not (type(value) is int and 0 <= value < 2**53):
                    await self.send_error(
                        "invalid_field",
                        _("The field “%(field)s” must be a time in milliseconds or null.") % {"field": name},
                        field=name,
                    )
                    return None
            elif value is not None and not (_is_id(value) or value == 0):
                await self.send_error(
                    "invalid_field",
                    _("The field “%(field)s” must be a message number or null.") % {"field": name},
                    field=name,
                )
                return None
            fields[name] = value
        return fields

    async def send_error(self, code: str, detail, **about):
        frame = {"type": "error", "code": code, "detail": str(detail)}
        frame.update({key: value for key, value in about.items() if value is not None})
        await self.send_frame(frame)

    async def send_frame(self, frame: dict):
        await self.send(text_data=json.dumps(frame, ensure_ascii=False))


def _now_ms() -> int:
    return int(time.time() * 1000)


def _is_id(value) -> bool:
    return type(value) is int and 0 < value < 2**63
