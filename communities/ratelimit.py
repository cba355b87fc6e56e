"""A small fixed-window rate limit on the shared cache (Redis in the scale-out setup)."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from .errors import RateLimited

logger = logging.getLogger(__name__)

try:
    from redis.exceptions import ConnectionError as RedisConnectionError, TimeoutError as RedisTimeoutError

    CACHE_UNREACHABLE: tuple[type[Exception], ...] = (RedisConnectionError, RedisTimeoutError)
except ImportError:  # the embedded setup's in-memory cache never is
    CACHE_UNREACHABLE = ()

# (reactions, per seconds): toggling is cheap to click and each one is broadcast to the channel.
REACTION_RATE_LIMIT = (60, 60)

# (number of actions, per seconds); settings may override, e.g. for load tests.
DEFAULT_POST_RATE_LIMIT = (30, 60)
POST_RATE_LIMIT = getattr(settings, "LEERKRING_POST_RATE_LIMIT", DEFAULT_POST_RATE_LIMIT)  # as read at start-up


def post_rate_limit() -> tuple[int, int]:
    return getattr(settings, "LEERKRING_POST_RATE_LIMIT", DEFAULT_POST_RATE_LIMIT)


def _count(cache_key: str, seconds: int) -> int:
    cache.add(cache_key, 0, timeout=seconds)
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=seconds)
        return 1


def check_rate(*, key: str, limit: tuple[int, int], message=None, fail_open: bool = True) -> None:
    """`fail_open`: while the cache (Redis) is unreachable, e.g. restarting, let the action
    through: posting matters more than counting (the fault run restarts Redis mid-posting).
    Expensive actions pass False and are refused instead."""
    count, seconds = limit
    try:
        current = _count(f"rate:{key}", seconds)
    except CACHE_UNREACHABLE:
        if not fail_open:
            raise RateLimited(_("This is not possible right now. Try again in a minute."), code="rate_limited")
        logger.warning("rate limit %s not checked: the cache is unreachable", key, exc_info=True)
        return
    if current > count:
        raise RateLimited(
            message or _("You are posting very quickly. Wait a minute and try again."), code="rate_limited"
        )


def check_post_rate(*, user) -> None:
    """One budget per member for everything they post: messages, case questions, feedback.
    Raises RateLimited (429 in the API, a form error on pages) when it is used up."""
    check_rate(key=f"post:{user.pk}", limit=post_rate_limit())


def check_reaction_rate(*, user) -> None:
    check_rate(
        key=f"react:{user.pk}", limit=getattr(settings, "LEERKRING_REACTION_RATE_LIMIT", REACTION_RATE_LIMIT),
        message=_("You are reacting very quickly. Wait a minute and try again."),
    )
