"""The site's one rate limit: a fixed-window counter per scope and key in the shared cache
(Redis in the scale-out setup, so that every process counts together).

What a member does is counted per member (`check_rate`, which raises RateLimited: a
translated form error on pages, a JSON 429 in the API); anonymous forms are counted per
client address (`limit_exceeded`). A window starts at its first action; its start is kept
next to the count, so every count knows when its window ends.

Clients are told their budget. Each count made while a request is handled is remembered
for that request, and RateLimitHeadersMiddleware puts the tightest one on the response:
`RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (seconds) and `RateLimit-Policy`
(IETF draft "RateLimit header fields for HTTP"), plus `Retry-After` on a 429.

While the cache is unreachable (a Redis restart) a check lets the action through with a
warning: posting matters more than counting (the fault run restarts Redis mid-posting).
Expensive actions pass `fail_open=False` and are refused instead (the data export).
"""

import contextvars
import logging
import math
import time
from dataclasses import dataclass

from asgiref.sync import iscoroutinefunction
from django.conf import settings
from django.core.cache import cache
from django.utils.decorators import sync_and_async_middleware
from django.utils.translation import gettext as _

from .errors import RateLimited

logger = logging.getLogger(__name__)

try:
    from redis.exceptions import ConnectionError as RedisConnectionError, TimeoutError as RedisTimeoutError

    CACHE_UNREACHABLE: tuple[type[Exception], ...] = (RedisConnectionError, RedisTimeoutError)
except ImportError:  # the embedded setup's in-memory cache never is
    CACHE_UNREACHABLE = ()

# scope: (actions, per seconds). settings.LEERKRING_RATE_LIMITS overrides any of them.
DEFAULT_LIMITS = {
    # per member
    "post": (30, 60),  # one budget for messages, replies, case questions and feedback
    "reaction": (60, 60),  # cheap to click, and each one is broadcast to the channel
    "case": (10, 60 * 60),  # new cases (drafts)
    "knowledge_question": (20, 60 * 60),
    "export": (5, 10 * 60),  # the ZIP reads everything the member ever wrote
    # per client address
    "registration": (10, 10 * 60),
    "newsletter": (5, 10 * 60),
    "application": (5, 10 * 60),
}
# The settings that held some of these before there was one module; still honoured.
OLDER_SETTINGS = {
    "post": ("LEERKRING_POST_RATE_LIMIT", None),
    "reaction": ("LEERKRING_REACTION_RATE_LIMIT", None),
    "registration": ("CMS_RATE_LIMITS", "registration"),
    "newsletter": ("CMS_RATE_LIMITS", "newsletter"),
    "application": ("PARTNERS_RATE_LIMITS", "application"),
    "knowledge_question": ("PARTNERS_RATE_LIMITS", "question"),
}


def limit_for(scope: str) -> tuple[int, int]:
    configured = getattr(settings, "LEERKRING_RATE_LIMITS", {})
    if scope in configured:
        return tuple(configured[scope])
    name, entry = OLDER_SETTINGS.get(scope, (None, None))
    older = getattr(settings, name, None) if name else None
    if isinstance(older, dict):
        older = older.get(entry)
    return tuple(older) if older else DEFAULT_LIMITS[scope]


@dataclass(frozen=True)
class Usage:
    limit: int
    window: int  # seconds
    count: int  # this action included
    reset: int  # seconds until the window ends

    @property
    def exceeded(self) -> bool:
        return self.count > self.limit

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.count)


_request_usages: contextvars.ContextVar[list[Usage] | None] = contextvars.ContextVar("rate_limit_usages", default=None)


def now() -> float:
    return time.time()


def count(scope: str, who, *, fail_open: bool = True) -> Usage | None:
    """Count one action of `who` (a member's pk, a client address) in `scope`.

    None when the cache is unreachable and `fail_open`; without `fail_open` the cache's error is raised."""
    limit, seconds = limit_for(scope)
    moment = now()
    key = f"rate:{scope}:{who}"
    try:
        current, started = _increment(key, moment, timeout=seconds)
    except CACHE_UNREACHABLE:
        if not fail_open:
            raise
        logger.warning("rate limit %s:%s not checked: the cache is unreachable", scope, who, exc_info=True)
        return None
    reset = max(1, math.ceil(started + seconds - moment))
    usage = Usage(limit=limit, window=seconds, count=current, reset=reset)
    usages = _request_usages.get()
    if usages is not None:
        usages.append(usage)
    return usage


def _increment(key: str, moment: float, *, timeout: int) -> tuple[int, float]:
    """(count in the window, when the window started). A window starts at its first action."""
    if cache.add(key, 1, timeout=timeout):
        cache.set(f"{key}:start", moment, timeout=timeout)
        return 1, moment
    try:
        current = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
        cache.set(f"{key}:start", moment, timeout=timeout)
        return 1, moment
    return current, cache.get(f"{key}:start", moment)


def check_rate(scope: str, who, *, message=None, fail_open: bool = True) -> None:
    """Count the action; raise RateLimited (with `message`) when the scope's budget is used up."""
    try:
        usage = count(scope, who, fail_open=fail_open)
    except CACHE_UNREACHABLE:
        raise RateLimited(_("This is not possible right now. Try again in a minute."), code="rate_limited") from None
    if usage is not None and usage.exceeded:
        raise RateLimited(
            message or _("You are posting very quickly. Wait a minute and try again."), code="rate_limited"
        )


def client_address(request) -> str:
    """The visitor's address; behind the TLS proxy (BEHIND_TLS_PROXY) the one that proxy appended."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR") or "unknown"


def limit_exceeded(request, scope: str) -> bool:
    """Count this attempt from the client's address; True when it is one too many."""
    usage = count(scope, client_address(request))
    return usage is not None and usage.exceeded


# --- telling clients -----------------------------------------------------------------------


def add_rate_limit_headers(response, usages: list[Usage]) -> None:
    if not usages:
        return
    exceeded = [usage for usage in usages if usage.exceeded]
    tightest = max(exceeded, key=lambda usage: usage.reset) if exceeded else min(
        usages, key=lambda usage: (usage.remaining, -usage.reset)
    )
    response["RateLimit-Limit"] = str(tightest.limit)
    response["RateLimit-Remaining"] = str(tightest.remaining)
    response["RateLimit-Reset"] = str(tightest.reset)
    response["RateLimit-Policy"] = f"{tightest.limit};w={tightest.window}"
    if response.status_code == 429:
        response["Retry-After"] = str(tightest.reset)


@sync_and_async_middleware
def RateLimitHeadersMiddleware(get_response):  # noqa: N802 (named like the class-based middleware)
    """Put the budget of the rate limits a request counted on its response (see the module docstring)."""
    if iscoroutinefunction(get_response):

        async def middleware(request):
            usages: list[Usage] = []
            token = _request_usages.set(usages)
            try:
                response = await get_response(request)
            finally:
                _request_usages.reset(token)
            add_rate_limit_headers(response, usages)
            return response

    else:

        def middleware(request):
            usages: list[Usage] = []
            token = _request_usages.set(usages)
            try:
                response = get_response(request)
            finally:
                _request_usages.reset(token)
            add_rate_limit_headers(response, usages)
            return response

    return middleware


# --- the scopes more than one app counts ---------------------------------------------------


def check_post_rate(*, user) -> None:
    """One budget per member for everything they post: messages, case questions, feedback."""
    check_rate("post", user.pk)
