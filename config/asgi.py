"""ASGI entry point: HTTP goes to Django, /ws/ to Channels (session auth, origin checked)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import asyncio  # noqa: E402
import gc  # noqa: E402

import django  # noqa: E402
from django.core.handlers.asgi import ASGIHandler  # noqa: E402


class BoundedASGIHandler(ASGIHandler):
    """Django's ASGI handler, with at most `limit` requests in its views at a time.

    Each request's sync code runs in a thread of its own. On a 2-core machine eight requests
    in their views at once are eight threads competing for the GIL, and the process serves
    fewer requests per second than with one at a time (bench/README.md). Waiting requests
    wait on the event loop, which costs nothing; reading the request body and sending the
    response (streamed files included) happen outside the bound, so a slow client holds no slot.
    """

    def __init__(self, limit: int):
        super().__init__()
        self.slots = asyncio.Semaphore(limit)

    async def run_get_response(self, request):
        async with self.slots:
            return await super().run_get_response(request)


def get_bounded_asgi_application():
    """DJANGO_CONCURRENT_REQUESTS: the bound (default: one per CPU core; 0 for none)."""
    django.setup(set_prefix=False)
    limit = int(os.environ.get("DJANGO_CONCURRENT_REQUESTS", "") or (os.cpu_count() or 2))
    return BoundedASGIHandler(limit) if limit > 0 else ASGIHandler()


django_asgi_app = get_bounded_asgi_application()

from django.core.signals import request_finished  # noqa: E402
from django.db import connections  # noqa: E402


def close_request_connections(**kwargs):
    """Close the database connection a request used, at its end.

    Django's ASGI handler runs each request's sync code in a thread of its own
    (asgiref's ThreadSensitiveContext), and Django's connections are per thread. On PostgreSQL
    the connections come from psycopg's pool (config/settings.py, DB_POOL): closing one hands
    it back to the pool, still open, for the next request's thread, so a request neither opens
    a connection nor leaves one behind. Without the pool a connection kept for reuse
    (CONN_MAX_AGE) would never be reused by another thread: it would stay open until garbage
    collection (the load run, bench/loadfault.py, ran PostgreSQL out of connections that way),
    so it is closed for real. A connection inside a transaction (a test's) is never closed here.
    """
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()


request_finished.connect(close_request_connections, dispatch_uid="leerkring-close-request-connections")

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from cms.page_cache import PageCacheASGI  # noqa: E402
from communities.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        # Anonymous GETs of cached Wagtail pages are answered before Django's stack.
        "http": PageCacheASGI(django_asgi_app),
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)

# What start-up loaded (the modules of Django, Wagtail and the apps) lives as long as
# the process. Frozen, the garbage collector's full collections no longer scan it: each took
# 0.1-0.2 s here, during which no request was served (bench/README.md). Garbage first, or it
# would be kept for good.
gc.collect()
gc.freeze()
