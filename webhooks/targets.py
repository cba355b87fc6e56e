"""Where a webhook may point: checked when a facilitator saves it and again before every send.

Production (the default): https only, and every address the host resolves to must be a
public one, so that a webhook cannot reach the server itself or the internal network
(SSRF). With `WEBHOOK_ALLOW_LOOPBACK` (on for tests) http and https to loopback addresses are
allowed too; other private addresses never are.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from communities.errors import InvalidInput

URL_MAX_LENGTH = 500


class UnsafeTarget(Exception):
    """The host resolves to no address a webhook may be sent to."""


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (tests replace this to fake DNS)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(info[4][0] for info in infos))


NAT64 = ipaddress.ip_network("64:ff9b::/96")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def _wrapped_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv4-mapped, 6to4, NAT64 or IPv4-compatible IPv6 address:
    Python calls several of these global while they can reach an internal IPv4 address."""
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip in NAT64 or (ip in IPV4_COMPATIBLE and int(ip) > 1):  # not :: and ::1 themselves
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _allowed(address: str, *, allow_loopback: bool) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        wrapped = _wrapped_ipv4(ip)
        if wrapped is not None:
            ip = wrapped
    if ip.is_loopback:
        return allow_loopback
    return ip.is_global and not ip.is_multicast


def safe_addresses(host: str, port: int) -> list[str]:
    """The addresses of `host`, all of them allowed; raises UnsafeTarget (or OSError for DNS)."""
    addresses = resolve(host, port)
    allow_loopback = settings.WEBHOOK_ALLOW_LOOPBACK
    if not addresses or not all(_allowed(address, allow_loopback=allow_loopback) for address in addresses):
        raise UnsafeTarget(host)
    return addresses


def _is_loopback(addresses: list[str]) -> bool:
    return all(ipaddress.ip_address(address.split("%", 1)[0]).is_loopback for address in addresses)


def default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def clean_endpoint_url(value) -> str:
    """The URL as stored, or InvalidInput with the reason in the reader's language."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(_("Enter the address (URL) that should receive the webhook."), code="invalid_url")
    url = value.strip()
    if len(url) > URL_MAX_LENGTH:
        raise InvalidInput(_("The address can be at most 500 characters long."), code="invalid_url")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise InvalidInput(_("This is not a valid web address."), code="invalid_url") from None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise InvalidInput(_("Enter a full web address that starts with https://."), code="invalid_url")
    if parts.username or parts.password:
        raise InvalidInput(_("The address may not contain a user name or password."), code="invalid_url")
    if parts.fragment:
        raise InvalidInput(_("The address may not contain a # part."), code="invalid_url")
    try:
        addresses = safe_addresses(parts.hostname, port or default_port(parts.scheme))
    except UnsafeTarget:
        raise InvalidInput(
            _("This address points to a private or internal network; webhooks can only be sent to public addresses."),
            code="unsafe_url",
        ) from None
    except (OSError, UnicodeError, ValueError):
        raise InvalidInput(_("The host name of this address cannot be found."), code="unknown_host") from None
    if parts.scheme != "https" and not (settings.WEBHOOK_ALLOW_LOOPBACK and _is_loopback(addresses)):
        raise InvalidInput(_("Webhooks are sent over https only: the address must start with https://."),
                           code="https_required")
    return url
