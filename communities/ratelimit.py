"""A small fixed-window rate limit on the shared cache (Redis in the scale-out setup)."""

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from .errors import RateLimited

# (number of actions, per seconds); settings may override, e.g. for load tests.
DEFAULT_POST_RATE_LIMIT = (30, 60)
POST_RATE_LIMIT = getattr(settings, "LEERKRING_POST_RATE_LIMIT", DEFAULT_POST_RATE_LIMIT)  # as read at start-up


def post_rate_limit() -> tuple[int, int]:
    return getattr(settings, "LEERKRING_POST_RATE_LIMIT", DEFAULT_POST_RATE_LIMIT)


def check_rate(*, key: str, limit: tuple[int, int], message=None) -> None:
    count, seconds = limit
    cache_key = f"rate:{key}"
    cache.add(cache_key, 0, timeout=seconds)
    try:
        current = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=seconds)
        current = 1
    if current > count:
        raise RateLimited(
            message or _("You are posting very quickly. Wait a minute and try again."), code="rate_limited"
        )


def check_post_rate(*, user) -> None:
    """One budget per member for everything they post: messages, case questions, feedback.
    Raises RateLimited (429 in the API, a form error on pages) when it is used up."""
    check_rate(key=f"post:{user.pk}", limit=post_rate_limit())
