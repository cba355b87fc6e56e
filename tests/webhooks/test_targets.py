"""Where a webhook may point: https to public addresses in production; loopback only by setting."""

import socket

import pytest
from django.test import override_settings

from communities.errors import InvalidInput
from webhooks import targets
from webhooks.targets import clean_endpoint_url

PUBLIC = "93.184.216.34"
FAKE_DNS = {
    "hooks.example.org": [PUBLIC],
    "rebind.example.org": [PUBLIC, "10.0.0.5"],
    "intern.example.org": ["192.168.1.20"],
    "metadata.example.org": ["169.254.169.254"],
    "v6.example.org": ["2606:2800:220:1:248:1893:25c8:1946"],
    "mapped.example.org": ["::ffff:127.0.0.1"],
    "localhost": ["127.0.0.1", "::1"],
}


@pytest.fixture(autouse=True)
def fake_dns(monkeypatch):
    def resolve(host, port):
        if host in FAKE_DNS:
            return FAKE_DNS[host]
        try:
            socket.inet_pton(socket.AF_INET6 if ":" in host else socket.AF_INET, host)
        except OSError:
            raise socket.gaierror("unknown host") from None
        return [host]

    monkeypatch.setattr(targets, "resolve", resolve)


def refused(url) -> str:
    with pytest.raises(InvalidInput) as caught:
        clean_endpoint_url(url)
    return caught.value.code


@override_settings(WEBHOOK_ALLOW_LOOPBACK=False)
@pytest.mark.parametrize("url", ["https://hooks.example.org/leerkring", f"https://{PUBLIC}:8443/x?a=1",
                                 "https://v6.example.org/"])
def test_production_accepts_https_to_public_addresses(url):
    assert clean_endpoint_url(f"  {url} ") == url


@override_settings(WEBHOOK_ALLOW_LOOPBACK=False)
@pytest.mark.parametrize(
    "url,code",
    [
        ("http://hooks.example.org/", "https_required"),
        ("https://127.0.0.1/", "unsafe_url"),
        ("http://127.0.0.1:8000/", "unsafe_url"),
        ("https://localhost/", "unsafe_url"),
        ("https://[::1]/", "unsafe_url"),
        ("https://mapped.example.org/", "unsafe_url"),
        ("https://10.1.2.3/", "unsafe_url"),
        ("https://intern.example.org/", "unsafe_url"),
        ("https://metadata.example.org/latest/meta-data/", "unsafe_url"),
        ("https://169.254.169.254/", "unsafe_url"),
        ("https://0.0.0.0/", "unsafe_url"),
        ("https://rebind.example.org/", "unsafe_url"),  # one private answer is enough to refuse
        ("https://100.64.0.1/", "unsafe_url"),  # carrier-grade NAT
        ("https://nergens.example.org/", "unknown_host"),
        ("ftp://hooks.example.org/", "invalid_url"),
        ("hooks.example.org/hook", "invalid_url"),
        ("https://user:pass@hooks.example.org/", "invalid_url"),
        ("https://hooks.example.org/#x", "invalid_url"),
        ("https://hooks.example.org:99999/", "invalid_url"),
        ("https://hooks.example.org/" + "a" * 500, "invalid_url"),
        ("", "invalid_url"),
        (None, "invalid_url"),
    ],
)
def test_production_refuses_everything_else(url, code):
    assert refused(url) == code


@override_settings(WEBHOOK_ALLOW_LOOPBACK=True)
def test_the_loopback_setting_allows_local_receivers_but_no_other_private_address():
    assert clean_endpoint_url("http://127.0.0.1:8123/hook") == "http://127.0.0.1:8123/hook"
    assert clean_endpoint_url("http://localhost:8123/hook") == "http://localhost:8123/hook"
    assert refused("http://hooks.example.org/") == "https_required"
    assert refused("http://10.0.0.1/") == "unsafe_url"
    assert refused("https://intern.example.org/") == "unsafe_url"


def test_the_setting_is_on_for_tests_only():
    from django.conf import settings

    assert settings.WEBHOOK_ALLOW_LOOPBACK is True


@pytest.mark.django_db
def test_an_address_that_turned_private_after_saving_gets_nothing(monkeypatch, circle, channel, official, facilitator,
                                                                  receiver, committed):
    """DNS can change after the check: every send checks again, and connects to the checked address."""
    from communities import services as communities
    from webhooks import services
    from webhooks.models import Delivery

    services.endpoint_create(facilitator=facilitator, circle=circle, url=receiver.url, events=["message.created"])
    with override_settings(WEBHOOK_ALLOW_LOOPBACK=False), committed():
        communities.message_post(author=official, channel=channel, body="Hallo")
    assert receiver.requests == []
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.error) == (Delivery.Status.RETRYING, "unsafe_address")


@pytest.mark.parametrize("address", [
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
    "2002:0a00:0001::1",  # 6to4 of 10.0.0.1
    "::127.0.0.1",  # IPv4-compatible
    "::ffff:10.0.0.1",  # IPv4-mapped
])
def test_ipv6_forms_of_internal_ipv4_addresses_are_refused(address):
    assert not targets._allowed(address, allow_loopback=False)


def test_a_public_ipv6_address_is_allowed():
    assert targets._allowed("2a00:1450:4001:80b::200e", allow_loopback=False)
