"""The generation numbers that key everything kept of what pages show, read once per request.

Two counters live in the shared cache: the page cache's (cms.page_cache: any change an anonymous
visitor could see, now and after the commit; kept only with the page cache on) and the menu's
(cms.navigation: pages published, moved or deleted, the site and its settings; always kept). A
request reads both in one round trip, the first time it needs either; with Redis, most requests
need none (`Subscription`).

A counter starts at a random number, so after the cache was emptied (Redis restarted) no number
comes back: what a process keeps in its own memory under an old number is never read again.
"""

import logging
import os
import secrets
import threading
import time
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)
PAGES_KEY = "cms:pages:generation"
CHROME_KEY = "cms:chrome:generation"
CHANGES_CHANNEL = "cms:generations:changed"
EVERYTHING = "*"


class Generations(NamedTuple):
    pages: int | None  # None with the page cache off
    chrome: int


def bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, _start(), None)
    subscription.changed(key)


def current(key: str) -> int:
    return cache.get_or_set(key, _start, None)


def of_request(request) -> Generations:
    """Both numbers, read for this request the first time it asks."""
    found = getattr(request, "_lk_generations", None)
    if found is None:
        found = request._lk_generations = _read()
    return found


def forget(request) -> None:
    request.__dict__.pop("_lk_generations", None)


def cache_emptied() -> None:
    """The shared cache was emptied (config.cache): no process may go on with what it read."""
    subscription.changed(EVERYTHING)


def _read(listening: "Subscription | None" = None) -> Generations:
    """What the process knows (`listening`: this process's subscription), else what Redis has."""
    listening = listening or subscription
    keys = [PAGES_KEY, CHROME_KEY] if settings.PAGE_CACHE else [CHROME_KEY]
    found = listening.known(keys)
    if found is None:
        seen = listening.seen()
        found = cache.get_many(keys)
        for key in keys:
            if key not in found:
                found[key] = current(key)
        listening.remember(found, seen)
    return Generations(pages=found.get(PAGES_KEY), chrome=found[CHROME_KEY])


def _start() -> int:
    return secrets.randbits(48)


class Subscription:
    """What this process last read of the generations, and a Redis connection subscribed to their
    changes: `bump` publishes the key it bumped, after bumping it.

    The requests read the subscription themselves, without waiting, before they trust what was
    read before: that costs a system call instead of a round trip to Redis. Redis writes a message
    to its subscribers in the same turn as its answer to PUBLISH, so a change made in one process
    is heard in the others microseconds later, before anything the publisher does next can reach
    them; the process that made it forgets its numbers at once. Without a subscription (no Redis,
    more than one Redis server, the connection lost or being made) every request reads the
    numbers. The connection is checked with a PING every few seconds, and a lost one is made
    again at most once a second, by one request while the others read. What was read is trusted
    for TRUSTED_FOR seconds at most, for a cache emptied from outside Django (FLUSHALL).
    """

    TRUSTED_FOR = 5.0
    RETRY_AFTER = 1.0
    PING_EVERY = 5.0
    PONG_WITHIN = 2.0

    def __init__(self):
        self._lock = threading.Lock()
        self._connection = None
        self._connecting = False
        self._pid = None
        self._retry_at = 0.0
        self._pinged_at = None  # when the PING not yet answered was sent
        self._checked_at = 0.0
        self._failing = False  # said so in the log already
        self._values: dict[str, tuple[int, float]] = {}
        self._seen = 0  # messages and changes so far: what was read before one is not remembered

    def known(self, keys) -> dict | None:
        """The numbers, when this process has them and no change since; None: read them."""
        with self._lock:
            up_to_date = self._up_to_date()
            if up_to_date is None:
                self._connecting = True
        if up_to_date is None:
            self._subscribe()
            return None
        if not up_to_date:
            return None
        now = time.monotonic()
        found = {}
        for key in keys:
            value, read_at = self._values.get(key, (None, 0.0))
            if value is None or now - read_at > self.TRUSTED_FOR:
                return None
            found[key] = value
        return found

    def seen(self) -> int:
        return self._seen

    def remember(self, found: dict, seen: int) -> None:
        """`found` was read after `seen()` gave `seen`: kept if nothing changed meanwhile."""
        with self._lock:
            if self._connection is not None and seen == self._seen:
                now = time.monotonic()
                self._values.update({key: (value, now) for key, value in found.items()})

    def changed(self, key: str) -> None:
        """A number changed (EVERYTHING: the cache was emptied): here at once, elsewhere by message."""
        with self._lock:
            self._forget(key)
        backend = _redis_backend()
        if backend is not None:
            try:
                backend._cache.get_client(write=True).publish(_channel(backend), key)
            except Exception:  # the other processes trust what they read TRUSTED_FOR seconds at most
                logger.warning("could not publish a generation change", exc_info=True)

    def reset(self) -> None:
        """Forget everything and unsubscribe (tests; after the settings changed)."""
        with self._lock:
            self._drop()
            self._retry_at = 0.0

    def _forget(self, key: str) -> None:
        self._seen += 1
        if key == EVERYTHING:
            self._values.clear()
        else:
            self._values.pop(key, None)

    def _up_to_date(self) -> bool | None:
        """Reads every message waiting: True when subscribed, False when not, None when this
        request is to subscribe (outside the lock)."""
        if self._pid != os.getpid():  # a forked child shares its parent's socket: not its own
            self._connection, self._connecting, self._pid = None, False, os.getpid()
            self._values.clear()
        if self._connection is None:
            due = not self._connecting and time.monotonic() >= self._retry_at
            return None if due else False
        try:
            self._read_messages()
        except Exception as error:
            self._log_failure("subscription lost", error)
            self._drop()
            return False
        return True

    def _read_messages(self) -> None:
        connection, now = self._connection, time.monotonic()
        while connection._sock is not None and connection.can_read(timeout=0):
            reply = connection.read_response()  # [b"message", channel, key] or [b"pong", b""]
            if reply[0] == b"message":
                self._forget(reply[2].decode())
            elif reply[0] == b"pong":
                self._pinged_at = None
        if connection._sock is None:
            raise ConnectionError("the connection was closed")
        if self._pinged_at is not None and now - self._pinged_at > self.PONG_WITHIN:
            raise ConnectionError("no answer to PING")
        if self._pinged_at is None and now - self._checked_at > self.PING_EVERY:
            connection.send_command("PING")
            self._pinged_at = self._checked_at = now

    def _subscribe(self) -> None:
        """Connects and subscribes, without the lock: the other requests read meanwhile."""
        connection = None
        try:
            backend = _redis_backend()
            if backend is None:
                raise LookupError("no single Redis server as the cache")
            # RESP2: messages are plain replies (RESP3 hands them to a push handler instead).
            options = {**backend._cache._pool_options, "protocol": 2}
            connection = backend._cache._pool_class.from_url(backend._servers[0], **options).make_connection()
            connection.connect()
            connection.send_command("SUBSCRIBE", _channel(backend))
            kind, *_ = connection.read_response()
            if kind != b"subscribe":
                raise ConnectionError(f"unexpected answer to SUBSCRIBE: {kind!r}")
        except Exception as error:
            if connection is not None:
                connection.disconnect()
            connection = None
            if not isinstance(error, LookupError):
                self._log_failure("cannot subscribe", error)
        with self._lock:
            self._connecting = False
            if connection is None:
                self._retry_at = time.monotonic() + self.RETRY_AFTER if _redis_backend() else float("inf")
                return
            self._connection, self._failing = connection, False
            self._pinged_at, self._checked_at = None, time.monotonic()
            self._forget(EVERYTHING)  # changes before now were not heard

    def _drop(self) -> None:
        if self._connection is not None:
            try:
                self._connection.disconnect()
            except Exception:
                pass
        self._connection = None
        self._forget(EVERYTHING)

    def _log_failure(self, what: str, error: Exception) -> None:
        """Once, until the subscription works again: requests go on reading the numbers."""
        if not self._failing:
            self._failing = True
            logger.warning("generation changes: %s (%s); each request reads the numbers", what, error)


def _redis_backend():
    backend = caches["default"]
    if isinstance(backend, RedisCache) and len(backend._servers) == 1:
        return backend
    return None


def _channel(backend) -> str:
    """Channels are server-wide: the name carries the cache's key prefix and database."""
    database = backend._cache._get_connection_pool(True).connection_kwargs.get("db", 0)
    return f"{backend.make_key(CHANGES_CHANNEL)}:{database}"


subscription = Subscription()
