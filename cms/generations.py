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


def _read() -> Generations:
    keys = [PAGES_KEY, CHROME_KEY] if settings.PAGE_CACHE else [CHROME_KEY]
    found = subscription.known(keys)
    if found is None:
        seen = subscription.seen()
        found = cache.get_many(keys)
        for key in keys:
            if key not in found:
                found[key] = current(key)
        subscription.remember(found, seen)
    return Generations(pages=found.get(PAGES_KEY), chrome=found[CHROME_KEY])


def _start() -> int:
    return secrets.randbits(48)


class Subscription:
    """What this process last read of the generations, and a Redis connection subscribed to their
    changes: `bump` publishes the key it bumped, after bumping it.

    The requests read the subscription themselves, without waiting, before they trust what was
    read before: Redis has written a message to every subscriber's socket by the time PUBLISH
    returns, so a request that starts after a bump in any process has finished sees that bump.
    That costs a system call instead of a round trip to Redis. Without a subscription (no Redis,
    more than one Redis server, the connection lost) every request reads the numbers; a lost
    connection is seen at once and made again at most once a second. What was read is trusted
    for TRUSTED_FOR seconds at most, for a cache emptied from outside Django (FLUSHALL) or a
    connection that died without a word.
    """

    TRUSTED_FOR = 5.0
    RETRY_AFTER = 1.0

    def __init__(self):
        self._lock = threading.Lock()
        self._connection = None
        self._pid = None
        self._retry_at = 0.0
        self._values: dict[str, tuple[int, float]] = {}
        self._seen = 0  # messages and changes so far: what was read before one is not remembered

    def known(self, keys) -> dict | None:
        """The numbers, when this process has them and no change since; None: read them."""
        with self._lock:
            if not self._up_to_date():
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

    def _up_to_date(self) -> bool:
        """Reads every message waiting; False when not subscribed."""
        if self._pid != os.getpid():  # a forked child shares its parent's socket: not its own
            self._connection, self._pid = None, os.getpid()
            self._values.clear()
        if self._connection is None and not self._subscribe():
            return False
        connection = self._connection
        try:
            while connection._sock is not None and connection.can_read(timeout=0):
                kind, _, data = connection.read_response()
                if kind == b"message":
                    self._forget(data.decode())
            if connection._sock is None:
                raise ConnectionError("the subscription's connection was closed")
        except Exception:
            logger.warning("generation changes: subscription lost", exc_info=True)
            self._drop()
            return False
        return True

    def _subscribe(self) -> bool:
        if time.monotonic() < self._retry_at:
            return False
        backend = _redis_backend()
        if backend is None:
            self._retry_at = float("inf")
            return False
        self._retry_at = time.monotonic() + self.RETRY_AFTER
        try:
            # RESP2: messages are plain replies (RESP3 hands them to a push handler instead).
            options = {**backend._cache._pool_options, "protocol": 2}
            connection = backend._cache._pool_class.from_url(backend._servers[0], **options).make_connection()
            connection.connect()
            connection.send_command("SUBSCRIBE", _channel(backend))
            kind, *_ = connection.read_response()
            if kind != b"subscribe":
                raise ConnectionError(f"unexpected answer to SUBSCRIBE: {kind!r}")
        except Exception:
            logger.warning("generation changes: cannot subscribe", exc_info=True)
            return False
        self._connection = connection
        self._forget(EVERYTHING)  # changes before now were not heard
        return True

    def _drop(self) -> None:
        if self._connection is not None:
            try:
                self._connection.disconnect()
            except Exception:
                pass
        self._connection = None
        self._forget(EVERYTHING)


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
