"""One HTTP attempt of a delivery: signed, short timeouts, no redirects, to a checked address.

The connection goes to the address that was checked (not to a second DNS answer), so a
host cannot pass the check with a public address and then be reached on an internal one.
"""

import hashlib
import hmac
import json
import socket
import ssl
import time
from dataclasses import dataclass
from http.client import HTTPConnection, HTTPException, HTTPSConnection
from urllib.parse import urlsplit

from django.conf import settings

from .targets import UnsafeTarget, default_port, safe_addresses

SIGNATURE_HEADER = "X-Leerkring-Signature"
DELIVERY_HEADER = "X-Leerkring-Delivery"
EVENT_HEADER = "X-Leerkring-Event"
USER_AGENT = "Leerkring-Webhooks/1"
MAX_RESPONSE_BYTES = 64 * 1024


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status: int | None = None
    error: str = ""  # a Delivery.Error value when not ok


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """`t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + body>`, as Stripe signs its webhooks."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def encode(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def _pinned(connection_class, host: str, port: int, address: str, timeout: float, **kwargs):
    connection = connection_class(host, port, timeout=timeout, **kwargs)

    def create_connection(_address, *args, **kw):
        return socket.create_connection((address, port), *args, **kw)

    connection._create_connection = create_connection
    return connection


def post(*, url: str, secret: str, delivery_id: str, event: str, payload: dict) -> Outcome:
    from .models import Delivery

    parts = urlsplit(url)
    port = parts.port or default_port(parts.scheme)
    try:
        address = safe_addresses(parts.hostname, port)[0]
    except UnsafeTarget:
        return Outcome(False, error=Delivery.Error.UNSAFE_ADDRESS)
    except (OSError, UnicodeError, ValueError):
        return Outcome(False, error=Delivery.Error.UNKNOWN_HOST)
    body = encode(payload)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        EVENT_HEADER: event,
        DELIVERY_HEADER: delivery_id,
        SIGNATURE_HEADER: signature(secret, int(time.time()), body),
    }
    timeout = settings.WEBHOOK_TIMEOUT_SECONDS
    if parts.scheme == "https":
        connection = _pinned(HTTPSConnection, parts.hostname, port, address, timeout, context=ssl.create_default_context())
    else:
        connection = _pinned(HTTPConnection, parts.hostname, port, address, timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(MAX_RESPONSE_BYTES)
    except TimeoutError:
        return Outcome(False, error=Delivery.Error.TIMEOUT)
    except ssl.SSLError:
        return Outcome(False, error=Delivery.Error.TLS)
    except (OSError, HTTPException):
        return Outcome(False, error=Delivery.Error.CONNECTION)
    finally:
        connection.close()
    if 200 <= response.status < 300:
        return Outcome(True, status=response.status)
    if 300 <= response.status < 400:
        return Outcome(False, status=response.status, error=Delivery.Error.REDIRECT)
    return Outcome(False, status=response.status, error=Delivery.Error.HTTP_STATUS)
