"""ASGI entry point: HTTP goes to Django, /ws/ to Channels (session auth, origin checked)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from django.core.signals import request_finished  # noqa: E402
from django.db import connections  # noqa: E402


def close_request_connections(**kwargs):
    """Close the database connection a request used, at its end.

    Django's ASGI handler runs each request's sync code in a thread of its own, so a connection
    kept for reuse (CONN_MAX_AGE) would never be reused: it would stay open until garbage
    collection, and the load run (bench/loadfault.py) ran PostgreSQL out of connections that
    way. The WebSocket consumers' database work runs on one long-lived thread per process,
    which does keep its connection (CONN_MAX_AGE): that is what keeps a reconnect storm after
    a server crash cheap. A connection inside a transaction (a test's) is never closed here.
    """
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()


request_finished.connect(close_request_connections, dispatch_uid="leerkring-close-request-connections")

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from communities.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
