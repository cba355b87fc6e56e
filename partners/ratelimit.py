"""A fixed-window rate limit per client address for the public application form (cache: Redis in scale-out)."""

from django.conf import settings
from django.core.cache import cache

from cms.ratelimit import client_address

# scope: (attempts, seconds). Override with settings.PARTNERS_RATE_LIMITS.
DEFAULT_LIMITS = {"application": (5, 10 * 60), "question": (20, 60 * 60)}


def limit_exceeded(request, scope: str) -> bool:
    limits = {**DEFAULT_LIMITS, **getattr(settings, "PARTNERS_RATE_LIMITS", {})}
    attempts, seconds = limits[scope]
    key = f"partners:ratelimit:{scope}:{client_address(request)}"
    if cache.add(key, 1, timeout=seconds):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=seconds)
        count = 1
    return count > attempts
