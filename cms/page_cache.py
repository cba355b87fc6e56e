"""A page cache for anonymous visitors of the Wagtail pages, served before Django's stack.

wagtail-cache (the maintained library for this) supports Wagtail up to 7, so this is Django's
cache framework with Wagtail's hooks and signals:

- `PageCacheMiddleware` (first in MIDDLEWARE) stores the finished response of a Wagtail page
  (`mark_page` marks it from the `before_serve_page` hook) when nothing about it belongs to one
  visitor: a GET without query string, session, flash-message or htmx header; an anonymous
  visitor; a page without view restrictions (Wagtail marks those never-cache); status 200; no `Cache-Control: private/no-cache/
  no-store`; no cookie but the CSRF one; no CSP nonce; no `Vary` beyond Cookie and
  Accept-Language. The CSRF tokens in its forms are stored as a placeholder.
- `PageCacheASGI` (config/asgi.py) answers such a GET from the cache without entering Django:
  the language is chosen as LocaleMiddleware would (cookie, Accept-Language) and is part of
  the key, and each visitor gets CSRF tokens of their own (the cookie set as Django sets it).
- Any change an anonymous visitor could see bumps a generation number (cms.signals:
  publishing, unpublishing, moving, deleting, saving pages, snippets, settings, images,
  documents, registrations), right away and again after the commit; an entry from an older
  generation is never served. Entries live PAGE_CACHE_SECONDS at most, for what changes with
  time alone (an event that has passed).

The cache must be shared by all server processes (Redis): PAGE_CACHE is on by default only
with REDIS_URL.
"""

import asyncio
import logging
import re
import weakref

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisSerializer
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.cookie import parse_cookie
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils import translation
from django.utils.cache import cc_delim_re
from django.utils.encoding import iri_to_uri

from . import generations

logger = logging.getLogger(__name__)
GENERATION_KEY = generations.PAGES_KEY
CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(")')
PLACEHOLDER = b"\x00lk-csrf\x00"
KNOWN_VARY = {"cookie", "accept-language"}


def enabled() -> bool:
    return settings.PAGE_CACHE


def invalidate() -> None:
    """Nothing stored so far is served again: now, and after the commit (so that a page rendered
    from the data before the commit and stored in between is not served either)."""
    if not enabled():
        return
    _bump()
    transaction.on_commit(_bump, robust=True)


def _bump() -> None:
    generations.bump(GENERATION_KEY)


# Models whose rows anonymous visitors never see on a page, or that pages write while rendering.
NOT_SHOWN = {
    "cms.newslettersubscription", "cms.newsletterdelivery", "cms.newsletterissue",
    "partners.partnerapplication", "partners.knowledgequestion", "partners.questionevent",
    "wagtailimages.rendition", "wagtaildocs.uploadeddocument", "wagtailcore.uploadedfile",
}
SHOWN_APPS = {"cms", "partners", "wagtailcore", "wagtailimages", "wagtaildocs", "taggit"}


def invalidate_for(sender, instance=None, **kwargs) -> None:
    """post_save/post_delete of any model: a row pages may show changed."""
    meta = type(instance)._meta if instance is not None else None
    if meta is not None and meta.app_label in SHOWN_APPS and meta.label_lower not in NOT_SHOWN:
        invalidate()


def mark_page(page, request) -> None:
    """before_serve_page hook: this response is a Wagtail page. A page with view restrictions
    (password, login, groups) is answered with never-cache headers by Wagtail's
    check_view_restrictions, whatever the visitor, so it is never stored. The generation is
    read before rendering (once per request, cms.generations): a change made during it makes the
    entry old."""
    if enabled() and request.method == "GET":
        try:
            request._lk_page_cache = generations.of_request(request).pages
        except Exception:  # an unreachable cache: the page is served, just not stored
            logger.warning("page cache unreachable", exc_info=True)


def generation_for(request) -> int | None:
    """The generation mark_page read before this request's page was rendered; None when nothing
    rendered for it may be kept (page cache off, not a GET, cache unreachable, a preview)."""
    return getattr(request, "_lk_page_cache", None)


def _visitor_may_share(method: str, query_string, cookies: dict, headers_present) -> bool:
    return (
        method == "GET"
        and not query_string
        and settings.SESSION_COOKIE_NAME not in cookies
        and CookieStorage.cookie_name not in cookies
        and "hx-request" not in headers_present
        and "authorization" not in headers_present
    )


def _language(path: str, cookies: dict, accept_language: str) -> str:
    """The language LocaleMiddleware picks for this visitor (the same calls)."""
    from django.conf.urls.i18n import is_language_prefix_patterns_used

    request = HttpRequest()
    request.path_info = path
    request.COOKIES = cookies
    request.META["HTTP_ACCEPT_LANGUAGE"] = accept_language
    i18n_patterns_used, prefixed_default_language = is_language_prefix_patterns_used(settings.ROOT_URLCONF)
    language = translation.get_language_from_request(request, check_path=i18n_patterns_used)
    if not translation.get_language_from_path(path) and i18n_patterns_used and not prefixed_default_language:
        language = settings.LANGUAGE_CODE
    return language


def _key(scheme: str, host: str, path: str, language: str) -> str:
    return f"cms:page:{scheme}:{host}:{language}:{iri_to_uri(path)}"


def _scheme(scope_scheme: str, headers: dict) -> str:
    proxy = settings.SECURE_PROXY_SSL_HEADER
    if proxy:
        name, value = proxy
        forwarded = headers.get(name.removeprefix("HTTP_").replace("_", "-").lower(), "")
        if forwarded.split(",", 1)[0].strip() == value:
            return "https"
    return scope_scheme


class PageCacheMiddleware:
    """Stores what PageCacheASGI may serve; outermost, so the response has all its headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        headers = {name.lower() for name in request.headers}
        if not enabled() or not _visitor_may_share(request.method, request.META.get("QUERY_STRING"),
                                                    request.COOKIES, headers):
            return self.get_response(request)
        response = self.get_response(request)
        generation = getattr(request, "_lk_page_cache", None)
        if generation is not None and self._storable(request, response):
            self._store(request, response, generation)
        return response

    @staticmethod
    def _storable(request, response) -> bool:
        user = getattr(request, "user", None)
        cache_control = response.get("Cache-Control", "").lower()
        vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
        return (
            response.status_code == 200
            and not response.streaming
            and not (user is not None and user.is_authenticated)
            and not any(word in cache_control for word in ("private", "no-cache", "no-store"))
            and set(response.cookies) <= {settings.CSRF_COOKIE_NAME}
            and "'nonce-" not in response.get("Content-Security-Policy", "")
            and vary <= KNOWN_VARY
            and translation.get_language() == _language(request.path, request.COOKIES,
                                                        request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
        )

    def _store(self, request, response, generation) -> None:
        body, forms = CSRF_FIELD.subn(rb"\1" + PLACEHOLDER + rb"\2", response.content)
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") and not forms:
            return  # the token is somewhere it cannot be replaced: not for sharing
        headers = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in response.items()
                   if name.lower() not in ("content-length", "set-cookie")]
        key = _key(request.scheme, request.META.get("HTTP_HOST", ""), request.path,
                   _language(request.path, request.COOKIES, request.META.get("HTTP_ACCEPT_LANGUAGE", "")))
        entry = {"generation": generation, "headers": headers, "body": body, "csrf": bool(forms)}
        try:
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.warning("page cache unreachable", exc_info=True)


class PageCacheASGI:
    """Answers an anonymous GET of a cached page; everything else goes to Django."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and enabled() and not scope.get("root_path"):
            entry = await self._lookup(scope)
            if entry is not None:
                await self._send(entry, send)
                return
        await self.app(scope, receive, send)

    async def _lookup(self, scope):
        headers = {}
        for name, value in scope["headers"]:
            headers[name.decode("latin-1").lower()] = value.decode("latin-1")
        cookies = parse_cookie(headers.get("cookie", ""))
        if not _visitor_may_share(scope["method"], scope.get("query_string"), cookies, headers):
            return None
        key = _key(_scheme(scope["scheme"], headers), headers.get("host", ""), scope["path"],
                   _language(scope["path"], cookies, headers.get("accept-language", "")))
        try:
            found = await _cache_get_many([key, GENERATION_KEY])
        except Exception:  # an unreachable cache: Django answers (and says so in its own way)
            return None
        entry = found.get(key)
        if entry is None or entry["generation"] != found.get(GENERATION_KEY):
            return None
        return {**entry, "cookies": cookies}

    async def _send(self, entry, send) -> None:
        headers = list(entry["headers"])
        body = entry["body"]
        if entry["csrf"]:
            token, cookie_headers = _csrf_for(entry["cookies"])
            body = body.replace(PLACEHOLDER, token.encode())
            headers += cookie_headers
        headers += [(b"content-length", str(len(body)).encode()), (b"x-cache", b"hit")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _csrf_for(cookies: dict) -> tuple[str, list]:
    """A form token for this visitor and the CSRF cookie, exactly as Django's middleware gives them."""
    request = HttpRequest()
    request.COOKIES = cookies
    middleware = CsrfViewMiddleware(lambda request: None)
    middleware.process_request(request)
    token = get_token(request)
    response = middleware.process_response(request, HttpResponse())
    cookie_headers = [(b"set-cookie", c.output(header="").strip().encode("latin-1")) for c in response.cookies.values()]
    return token, cookie_headers


async def _cache_get_many(keys: list[str]) -> dict:
    """Local memory is read in the event loop, Redis with its asyncio client (no hop to a worker
    thread, where a hit would queue behind requests' sync code); other caches in a thread."""
    backend = caches["default"]
    if isinstance(backend, LocMemCache):
        return backend.get_many(keys)
    if isinstance(backend, RedisCache) and len(backend._servers) == 1:
        values = await _async_redis(backend).mget([backend.make_and_validate_key(key) for key in keys])
        return {key: _serializer.loads(value) for key, value in zip(keys, values) if value is not None}
    return await sync_to_async(backend.get_many, thread_sensitive=False)(keys)


_serializer = RedisSerializer()
_async_clients: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _async_redis(backend):
    loop = asyncio.get_running_loop()
    client = _async_clients.get(loop)
    if client is None:
        import redis.asyncio

        options = {k: v for k, v in backend._options.items() if k in ("socket_connect_timeout", "socket_timeout")}
        client = _async_clients[loop] = redis.asyncio.Redis.from_url(backend._servers[0], **options)
    return client
