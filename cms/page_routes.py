"""Wagtail's page view, with the route to a page kept in the cache.

Before a page is served Wagtail looks up the Site, the site's root in the active language, every
page along the path and its specific type, and then the view restrictions of the page and its
ancestors: five queries or more for every request. All of that changes only with what bumps the
page cache's generation (cms.signals: publishing, moving, deleting, saving pages, sites, view
restrictions), so a GET keeps it under that generation: an entry from an older one is never read.
The page comes out of the cache as a fresh copy for every request; the process keeps the route in
its own memory too (pickled), so a warm route costs no round trip to the cache.

Kept only with the page cache on (a cache all processes share, and a generation that is bumped),
and only for a plain route: routable pages' sub-views (arguments, and a resolver match on the
request) are routed by Wagtail every time.
"""

import hashlib
import logging
import pickle

from django.core.cache import cache
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.models import Page
from wagtail.url_routing import RouteResult

from core.memo import ProcessMemo

from . import generations, page_cache

logger = logging.getLogger(__name__)
TIMEOUT = 60 * 60
_memo = ProcessMemo(size=1000)


def serve(request, path):
    if page_cache.enabled() and request.method in ("GET", "HEAD"):
        _route_from_cache(request, path)
    return wagtail_views.serve(request, path)


def _route_from_cache(request, path) -> None:
    """Sets the Site and route Wagtail keeps on the request, from the cache or after routing."""
    try:
        key = _key(request, path, generations.of_request(request).pages)
        cached = _cached(key)
    except Exception:  # an unreachable cache: Wagtail routes as ever
        logger.warning("route cache unreachable", exc_info=True)
        return
    if cached is not None:
        request._wagtail_site, page = pickle.loads(cached)
        request._wagtail_route_for_request = RouteResult(page)
        return
    route = Page.route_for_request(request, path)
    if route is None or route.args or route.kwargs:
        return
    page = route.page
    page.known_unrestricted = not page.get_view_restrictions().exists()
    _memo.put(key, pickle.dumps((request._wagtail_site, page), pickle.HIGHEST_PROTOCOL))
    try:
        cache.set(key, (request._wagtail_site, page), TIMEOUT)
    except Exception:
        logger.warning("route cache unreachable", exc_info=True)


def _cached(key: str) -> bytes | None:
    """The pickled (site, page) from this process's memory, else from the shared cache."""
    cached = _memo.get(key)
    if cached is None:
        route = cache.get(key)
        if route is None:
            return None
        cached = pickle.dumps(route, pickle.HIGHEST_PROTOCOL)
        _memo.put(key, cached)
    return cached


def _key(request, path: str, generation: int) -> str:
    where = f"{request._get_raw_host()}:{request.get_port()}:{translation.get_language()}:{path}"
    return f"cms:route:{generation}:{hashlib.md5(where.encode(), usedforsecurity=False).hexdigest()}"
