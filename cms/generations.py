"""The generation numbers that key everything kept of what pages show, read once per request.

Two counters live in the shared cache: the page cache's (cms.page_cache: any change an anonymous
visitor could see, now and after the commit; kept only with the page cache on) and the menu's
(cms.navigation: pages published, moved or deleted, the site and its settings; always kept). A
request reads both in one round trip, the first time it needs either.

A counter starts at a random number, so after the cache was emptied (Redis restarted) no number
comes back: what a process keeps in its own memory under an old number is never read again.
"""

import secrets
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache

PAGES_KEY = "cms:pages:generation"
CHROME_KEY = "cms:chrome:generation"


class Generations(NamedTuple):
    pages: int | None  # None with the page cache off
    chrome: int


def bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, _start(), None)


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


def _read() -> Generations:
    keys = [PAGES_KEY, CHROME_KEY] if settings.PAGE_CACHE else [CHROME_KEY]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            found[key] = current(key)
    return Generations(pages=found.get(PAGES_KEY), chrome=found[CHROME_KEY])


def _start() -> int:
    return secrets.randbits(48)
