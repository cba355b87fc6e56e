"""A small fixed-window rate limit per client address, kept in the cache (Redis in scale-out)."""

from django.conf import settings
from django.core.cache import cache

# scope: (attempts, seconds). Override with settings.CMS_RATE_LIMITS.
DEFAULT_LIMITS = {
    "registration": (10, 10 * 60),
    "newsletter": (5, 10 * 60),
}


def client_address(request) -> str:
    """The visitor's address; behind the TLS proxy (BEHIND_TLS_PROXY) the one that proxy appended."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR") or "unknown"


def limit_exceeded(request, scope: str) -> bool:
    """Count this attempt; True when the client made more attempts than the scope allows."""
    limits = {**DEFAULT_LIMITS, **getattr(settings, "CMS_RATE_LIMITS", {})}
    attempts, seconds = limits[scope]
    key = f"cms:ratelimit:{scope}:{client_address(request)}"
    if cache.add(key, 1, timeout=seconds):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=seconds)
            count = 1
    return count > attempts
