"""Anonymous visitors get CMS pages from the page cache, through the real ASGI application."""

import asyncio
import re
from http.cookies import SimpleCookie

import pytest
from asgiref.sync import async_to_sync
from django.core import signals
from django.db import close_old_connections, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from cms.models import EventRegistration, SiteSettings
from tests.accounts.helpers import log_in
from tests.factories import UserFactory

from .factories import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE = True
    SiteSettings.for_site(Site.objects.get(is_default_site=True))  # else made (a change) by the first view


class Answer:
    def __init__(self, messages):
        start = messages[0]
        self.status = start["status"]
        self.headers = [(k.decode().lower(), v.decode()) for k, v in start["headers"]]
        self.body = b"".join(m.get("body", b"") for m in messages[1:]).decode()

    def header(self, name):
        return next((v for k, v in self.headers if k == name), None)

    @property
    def hit(self):
        return self.header("x-cache") == "hit"

    def cookies(self):
        jar = SimpleCookie()
        for k, v in self.headers:
            if k == "set-cookie":
                jar.load(v)
        return {name: morsel.value for name, morsel in jar.items()}

    def csrf_tokens(self):
        return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.body)


def asgi_get(path, cookies=None, **headers) -> Answer:
    """A GET through config.asgi.application, as uvicorn would send it."""
    from config.asgi import application

    raw = [(b"host", b"testserver")]
    if cookies:
        raw.append((b"cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()).encode()))
    raw += [(k.replace("_", "-").lower().encode(), v.encode()) for k, v in headers.items()]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "", "headers": raw,
             "client": ("127.0.0.1", 50000), "server": ("testserver", 80)}

    async def run():
        sent, asked = [], []

        async def receive():
            if not asked:
                asked.append(True)
                return {"type": "http.request", "body": b"", "more_body": False}
            await asyncio.Event().wait()  # the client stays connected

        async def send(message):
            sent.append(message)

        await application(scope, receive, send)
        return sent

    # As Django's test clients do: the test's transaction keeps its connection open.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        return Answer(async_to_sync(run)())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_an_anonymous_visitors_page_comes_from_the_cache_without_a_query(home):
    first = asgi_get("/")
    assert first.status == 200 and not first.hit

    with CaptureQueriesContext(connection) as queries:
        second = asgi_get("/")

    assert second.hit
    assert len(queries) == 0
    assert home.title in second.body


def test_a_published_edit_shows_at_once(home):
    asgi_get("/")
    assert asgi_get("/").hit

    home.title = "Leren van elkaars praktijk"
    home.save_revision().publish()

    answer = asgi_get("/")
    assert not answer.hit
    assert "Leren van elkaars praktijk" in answer.body


def test_a_new_visitor_registers_for_an_event_from_the_cached_page(agenda, committed):
    event = make_event(agenda)
    asgi_get(event.url)  # someone else's visit stored the page
    page = asgi_get(event.url)
    assert page.hit
    cookies = page.cookies()
    tokens = page.csrf_tokens()
    assert "csrftoken" in cookies and len(tokens) >= 2  # the language switch and the registration form

    visitor = Client(enforce_csrf_checks=True)
    visitor.cookies["csrftoken"] = cookies["csrftoken"]
    form = {"name": "Anouk Ambtenaar", "email": "anouk@veenendaal.example", "organisation": "Gemeente Veenendaal",
            "job_title": "Beleidsadviseur", "extra_participants": "", "website": "", "csrfmiddlewaretoken": tokens[-1]}
    with committed():
        response = visitor.post(event.url + event.reverse_subpage("register"), form)

    assert response.status_code == 302
    assert EventRegistration.objects.filter(event=event, email="anouk@veenendaal.example").exists()
    assert "1 place left" in asgi_get(event.url).body or "1 plaats" in asgi_get(event.url).body  # not the old page


def test_two_visitors_never_share_a_csrf_token(home):
    asgi_get("/")
    one, other = asgi_get("/"), asgi_get("/")
    assert one.hit and other.hit
    assert one.cookies()["csrftoken"] != other.cookies()["csrftoken"]
    assert one.csrf_tokens()[0] != other.csrf_tokens()[0]


def test_the_language_of_one_visitor_does_not_reach_another(home):
    english = {"django_language": "en"}
    assert 'lang="en"' in asgi_get("/", english).body
    assert 'lang="nl"' in asgi_get("/").body
    assert 'lang="en"' in asgi_get("/", english).body and asgi_get("/", english).hit
    dutch = asgi_get("/")
    assert dutch.hit and 'lang="nl"' in dutch.body
    assert 'lang="en"' in asgi_get("/", accept_language="en-GB,en;q=0.8").body


def test_signed_in_members_get_their_own_page(home, client):
    user = UserFactory(username="anouk", profile__display_name="Anouk Ambtenaar")
    asgi_get("/")
    log_in(client, user.email)
    session = {"sessionid": client.cookies["sessionid"].value}

    answer = asgi_get("/", session)
    assert not answer.hit
    assert 'data-user-id="%d"' % user.pk in answer.body
    assert f'data-user-id="{user.pk}"' not in asgi_get("/").body  # and nothing of theirs was stored


def test_a_visitor_with_a_flash_message_is_not_served_from_the_cache(home):
    asgi_get("/")
    assert not asgi_get("/", {"messages": "x"}).hit


def test_private_pages_are_never_cached(home):
    PageViewRestriction.objects.create(page=home, restriction_type=PageViewRestriction.PASSWORD, password="geheim")
    asgi_get("/")
    answer = asgi_get("/")
    assert not answer.hit
    assert home.title not in answer.body or "password" in answer.body.lower() or "wachtwoord" in answer.body.lower()
