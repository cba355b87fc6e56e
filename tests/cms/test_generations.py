"""Each process keeps the generation numbers it read while subscribed to their changes
(cms.generations.Subscription): a change made anywhere must still show on the next request.

A second Subscription stands for another server process (it has a connection of its own); the
last test uses a real one. Scale-out lane only: the subscription is Redis's.
"""

import re
import socket
import time

import httpx
import pytest
import redis
from django.core.cache import cache, caches
from wagtail.models import Site

from cms import generations
from cms.generations import CHROME_KEY, PAGES_KEY, Subscription
from cms.models import NewsIndexPage, SiteSettings
from tests.servers import asgi_server, server_env

from .factories import add, make_home

pytestmark = [pytest.mark.scaleout, pytest.mark.django_db]
KEYS = [PAGES_KEY, CHROME_KEY]


@pytest.fixture(autouse=True)
def fresh_subscription(settings):
    settings.PAGE_CACHE = True
    generations.subscription.reset()
    yield
    generations.subscription.reset()


def read(subscription: Subscription) -> dict:
    """What a request in the process of `subscription` uses: what it knows, else what Redis has."""
    found = generations._read(subscription)
    return {PAGES_KEY: found.pages, CHROME_KEY: found.chrome}


def heard(subscription: Subscription) -> bool:
    """Whether the subscription has heard of a change since it last read: Redis writes to its
    subscribers microseconds after answering PUBLISH."""
    deadline = time.monotonic() + 2
    while subscription.known(KEYS) is not None:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.001)
    return True


def test_a_process_that_read_the_numbers_asks_redis_no_more(monkeypatch):
    generations._read()
    asked = []
    monkeypatch.setattr(type(caches["default"]), "get_many", lambda self, keys: asked.append(keys) or {})

    assert generations._read() == generations.Generations(pages=cache.get(PAGES_KEY), chrome=cache.get(CHROME_KEY))
    assert asked == []


def test_a_change_made_in_another_process_shows_on_the_next_request():
    other = Subscription()
    before = read(other)
    assert other.known(KEYS) == before

    generations.bump(PAGES_KEY)  # this process: publishes the change

    assert heard(other)
    assert read(other) == {**before, PAGES_KEY: before[PAGES_KEY] + 1}
    assert other.known(KEYS) == read(other)


def test_the_process_that_made_the_change_reads_it_at_once():
    before = generations._read()
    generations.bump(CHROME_KEY)
    assert generations._read() == before._replace(chrome=before.chrome + 1)


def test_numbers_read_before_a_change_are_not_kept_after_it():
    other = Subscription()
    read(other)
    seen = other.seen()
    stale = {key: generations.current(key) for key in KEYS}
    generations.bump(PAGES_KEY)
    assert heard(other)

    other.remember(stale, seen)  # a request that read before the change finishes after it

    assert other.known(KEYS) is None
    assert read(other)[PAGES_KEY] == stale[PAGES_KEY] + 1


def test_emptying_the_cache_is_heard_by_every_process():
    other = Subscription()
    read(other)
    for _ in range(2):
        generations._read()
    assert generations.subscription.known(KEYS) is not None

    cache.clear()

    assert generations.subscription.known(KEYS) is None  # this process: at once
    assert heard(other)


def test_a_lost_subscription_is_noticed_at_once_and_made_again(monkeypatch):
    monkeypatch.setattr(Subscription, "RETRY_AFTER", 0)
    other = Subscription()
    before = read(other)
    other._connection._sock.shutdown(socket.SHUT_RDWR)  # as when Redis restarts

    assert other.known(KEYS) is None  # nothing trusted without the subscription
    generations.bump(PAGES_KEY)

    assert read(other)[PAGES_KEY] == before[PAGES_KEY] + 1  # subscribed again and read again
    assert other.known(KEYS) is not None


def test_a_subscription_that_stops_answering_is_dropped_and_made_again(monkeypatch):
    monkeypatch.setattr(Subscription, "RETRY_AFTER", 0)
    monkeypatch.setattr(Subscription, "PING_EVERY", 0)
    monkeypatch.setattr(Subscription, "PONG_WITHIN", 0.05)
    other = Subscription()
    read(other)
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, never answers
        host, port = silent.getsockname()
        other._connection.disconnect()
        other._connection = redis.Connection(host=host, port=port, protocol=2, driver_info=None)
        other._connection.connect()
        assert other.known(KEYS) is not None  # sends a PING
        time.sleep(0.1)

        assert other.known(KEYS) is None  # no PONG: dropped, nothing trusted
    generations.bump(CHROME_KEY)
    assert read(other)[CHROME_KEY] == generations.current(CHROME_KEY)
    assert other._connection is not None and other._connection.port != port


def test_a_cache_emptied_behind_djangos_back_is_read_again_within_seconds(monkeypatch):
    other = Subscription()
    before = read(other)
    cache._cache.get_client(write=True).flushdb()  # FLUSHDB by hand: no message
    assert other.known(KEYS) == before

    monkeypatch.setattr(Subscription, "TRUSTED_FOR", 0)

    assert other.known(KEYS) is None
    assert read(other) != before  # new random starting numbers


def test_without_redis_nothing_is_kept(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    other = Subscription()
    read(other)
    assert other.known(KEYS) is None


@pytest.mark.crossprocess
@pytest.mark.django_db(transaction=True)
def test_a_page_published_here_shows_at_once_on_a_server_that_kept_the_old_menu():
    home = make_home()
    SiteSettings.for_site(Site.objects.get(is_default_site=True))
    with asgi_server(env=server_env(PAGE_CACHE="1")) as url, httpx.Client(base_url=url) as browser:
        for _ in range(3):  # the menu is built, then kept in the server's memory
            assert ">Actueel</a>" not in menu(browser.get("/?uncached").text)
        client = cache._cache.get_client(write=True)
        assert client.pubsub_numsub(generations._channel(caches["default"]))[0][1] >= 1  # the server listens

        add(home, NewsIndexPage(title="Actueel", slug="actueel", show_in_menus=True), publish=True)

        assert '<a href="/actueel/">Actueel</a>' in menu(browser.get("/?uncached").text)


def menu(html: str) -> str:
    return re.search(r'<nav class="lk-nav".*?</nav>', html, re.S).group(0)
