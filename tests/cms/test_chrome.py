"""The header and footer are rendered once per process for every kind of visitor and kept in its
memory (cms_tags.ChromeNode); they must still be what that visitor should see right now."""

import re

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.test import Client
from wagtail.models import Page, Site

from cms.models import NewsIndexPage, SiteSettings
from core.memo import CSRF_SLOT
from tests.factories import UserFactory

from .factories import add
from .test_localisation import english_site, get, in_english  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
MENU = re.compile(r'<nav class="lk-nav".*?</nav>', re.S)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True, params=[False, True], ids=["page cache off", "page cache on"])
def page_cache(request, settings, home):
    settings.PAGE_CACHE = request.param
    SiteSettings.for_site(Site.objects.get(is_default_site=True))  # else made (a change) by the first view


def menu(html: str) -> str:
    return MENU.search(html).group(0)


def test_a_page_published_for_the_menu_shows_in_it_at_once(home):
    for _ in range(2):
        assert ">Nieuws</a>" not in menu(get(Client(), "/?uncached"))

    add(home, NewsIndexPage(title="Nieuws", slug="nieuws", show_in_menus=True), publish=True)

    assert '<a href="/nieuws/">Nieuws</a>' in menu(get(Client(), "/?uncached"))


def test_the_menu_marks_the_page_the_visitor_is_on(home):
    add(home, NewsIndexPage(title="Nieuws", slug="nieuws", show_in_menus=True), publish=True)
    for _ in range(2):
        assert '<a href="/nieuws/" aria-current="page">Nieuws</a>' in menu(get(Client(), "/nieuws/"))
        on_home = menu(get(Client(), "/?uncached"))
        assert '<a href="/" aria-current="page">' in on_home and '<a href="/nieuws/">Nieuws</a>' in on_home


def test_the_login_link_brings_the_visitor_back_to_their_own_address(home):
    for _ in range(2):
        assert 'href="/accounts/login/?next=/%3Fa%3D1"' in get(Client(), "/?a=1")
        assert 'href="/accounts/login/?next=/%3Fb%3D2"' in get(Client(), "/?b=2")


def test_dutch_and_english_visitors_each_get_their_own_header_and_footer(english_site):
    for _ in range(2):
        dutch, english = get(Client(), "/?uncached"), get(in_english(Client()), "/?uncached")
        assert "Inloggen" in dutch and "Naar de inhoud" in dutch and "Log in" not in dutch
        assert ">Log in</a>" in english and "Inloggen" not in english
        assert '<a href="/agenda/">Events</a>' in menu(english) and '<a href="/agenda/">Agenda</a>' in menu(dutch)


def test_every_visitor_gets_a_csrf_token_of_their_own_that_the_language_switch_accepts():
    tokens = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        html = get(visitor, "/?uncached")
        token = TOKEN.search(html).group(1)
        assert CSRF_SLOT not in html and len(token) == 64
        response = visitor.post("/taal/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
        assert response.status_code == 302
        tokens.append(token)
    assert tokens[0] != tokens[1]


def test_a_signed_in_visitor_never_gets_the_anonymous_header_nor_leaves_theirs_behind():
    get(Client(), "/?uncached")
    member = Client()
    member.force_login(UserFactory(username="hamlet", first_name="Hamlet"))
    for _ in range(2):
        signed_in = get(member, "/?uncached")
        assert "Inloggen" not in signed_in and "Mijn profiel" in signed_in
        anonymous = get(Client(), "/?uncached")
        assert "Inloggen" in anonymous and "Mijn profiel" not in anonymous and "hamlet" not in anonymous.lower()


def test_signed_in_members_share_a_header_with_their_own_unread_count_and_csrf_token():
    from communities.models import Notification

    first, second = UserFactory(username="anouk"), UserFactory(username="cor")
    members = []
    for user in (first, second):
        member = Client(enforce_csrf_checks=True)
        member.force_login(user)
        members.append(member)
    badge = re.compile(r'data-unread-count( hidden)?>(\d+)<')
    for _ in range(2):
        pages = [get(member, "/?uncached") for member in members]
        assert [badge.search(html).groups() for html in pages] == [(" hidden", "0"), (" hidden", "0")]
    Notification.objects.create(recipient=first, kind="reply", event_key="test:1", url="/")
    pages = [get(member, "/?uncached") for member in members]
    assert [badge.search(html).groups() for html in pages] == [(None, "1"), (" hidden", "0")]
    tokens = [TOKEN.search(html).group(1) for html in pages]
    assert tokens[0] != tokens[1] and all(CSRF_SLOT not in html for html in pages)
    # Each member's own token signs them out; the other's does not.
    assert members[1].post("/accounts/logout/", {"csrfmiddlewaretoken": tokens[0]}).status_code == 403
    assert members[1].post("/accounts/logout/", {"csrfmiddlewaretoken": tokens[1]}).status_code == 302


def test_a_signed_in_member_sees_where_they_are_in_the_header():
    member = Client()
    member.force_login(UserFactory(username="anouk"))
    for _ in range(2):
        assert '<a href="/meldingen/" class="lk-notifications-link" aria-current="page">' in get(member, "/meldingen/")
        assert 'class="lk-notifications-link">' in get(member, "/?uncached")


def test_after_the_cache_was_emptied_nothing_remembered_from_before_is_shown(home):
    news = add(home, NewsIndexPage(title="Nieuws", slug="nieuws", show_in_menus=True), publish=True)
    cache.clear()
    for _ in range(2):
        assert ">Nieuws</a>" in menu(get(Client(), "/?uncached"))

    cache.clear()  # as when Redis restarts: the generations start again
    Page.objects.filter(pk=news.pk).update(title="Actueel")  # no signal: only the emptied cache tells

    assert ">Actueel</a>" in menu(get(Client(), "/?uncached"))


def test_a_warm_home_page_asks_the_database_nothing_and_redis_nothing(settings, monkeypatch,
                                                                      django_assert_num_queries):
    if not settings.PAGE_CACHE:
        pytest.skip("without the page cache the content and route are not kept")
    for _ in range(2):
        get(Client(), "/?uncached")
    reads = count_cache_reads(monkeypatch)

    with django_assert_num_queries(0):
        get(Client(), "/?uncached")
    # With Redis the process knows the generations (cms.generations.Subscription); a local-memory
    # cache is read for them once.
    assert reads == ([] if isinstance(caches["default"], RedisCache) else ["get_many"])


def count_cache_reads(monkeypatch) -> list:
    """The names of the cache's read methods called (not those they call themselves)."""
    backend, reads, depth = type(caches["default"]), [], [0]

    def counted(name, original):
        def read(self, *args, **kwargs):
            if not depth[0]:
                reads.append(name)
            depth[0] += 1
            try:
                return original(self, *args, **kwargs)
            finally:
                depth[0] -= 1
        return read

    for name in ("get", "get_many", "get_or_set", "has_key"):
        monkeypatch.setattr(backend, name, counted(name, getattr(backend, name)))
    return reads
