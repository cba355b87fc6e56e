"""The Content Security Policy and the other security headers, on the pages people use.

The CSP forbids inline script, inline style and event-handler attributes, so the pages must
not contain any: a page that did would break in the browser (or the policy would have to be
weakened). This renders the key pages for the people who see them and reads their HTML.
"""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from casework import services as case_services
from communities import services
from tests.cms.factories import ContentPage, EventIndexPage, NewsIndexPage, NewsPage, add, make_event, make_home, paragraph
from tests.communities.conftest import post

pytestmark = pytest.mark.django_db


def inline_code(html: str) -> list[str]:
    """Everything in a page that a strict CSP (no 'unsafe-inline') would block."""
    page = BeautifulSoup(html, "html.parser")
    found = []
    for script in page.find_all("script"):
        if not script.get("src") and script.get("type") not in ("application/json", "application/ld+json"):
            found.append(f"inline <script>: {str(script)[:100]}")
    for style in page.find_all("style"):
        found.append(f"<style> element: {str(style)[:100]}")
    for tag in page.find_all(True):
        for attribute in tag.attrs:
            if attribute == "style" or attribute.lower().startswith("on"):
                found.append(f"{attribute}= on <{tag.name}>: {str(tag)[:120]}")
    for link in page.find_all(href=True):
        if link["href"].strip().lower().startswith("javascript:"):
            found.append(f"javascript: URL: {str(link)[:100]}")
    return found


def test_the_checker_finds_what_the_policy_blocks():
    html = (
        '<script>alert(1)</script><script src="/static/x.js"></script><p style="color:red">x</p>'
        '<button onclick="go()">x</button><a href="javascript:void(0)">x</a><style>p{}</style>'
        '<script type="application/json">{"a": 1}</script>'
    )
    assert len(inline_code(html)) == 5


@pytest.fixture
def site(db):
    home = make_home()
    agenda = add(home, EventIndexPage(title="Agenda", slug="agenda", show_in_menus=True))
    event = make_event(agenda, start=timezone.now() + datetime.timedelta(days=10))
    news = add(home, NewsIndexPage(title="Nieuws", slug="nieuws"))
    add(news, NewsPage(title="Nieuw convenant", slug="convenant", date=datetime.date(2024, 11, 20),
                       intro="Kort nieuws.", body=[paragraph("<p>Tekst met <b>opmaak</b>.</p>")]))
    privacy = add(home, ContentPage(title="Privacyverklaring", slug="privacyverklaring",
                                    body=[paragraph("<p>Welke gegevens we bewaren.</p>")]))
    return {"home": "/", "agenda": agenda.url, "event": event.url, "news": news.url, "privacy": privacy.url}


def check(client, url, *, status=200):
    response = client.get(url)
    assert response.status_code == status, f"{url}: {response.status_code}"
    policy = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy and "style-src 'self'" in policy, url
    assert "unsafe-inline" not in policy, url
    assert inline_code(response.content.decode()) == [], url
    for element in BeautifulSoup(response.content, "html.parser").find_all(["script", "link", "img"]):
        source = element.get("src") or element.get("href") or ""
        assert not source.startswith(("http:", "https:", "//")), f"{url} loads {source} from elsewhere"
    return response


def test_public_pages_have_no_inline_code(client, site):
    for url in [*site.values(), "/zoeken/?q=convenant", reverse("communities:circle_list"),
                reverse("account_login"), reverse("account_signup"), reverse("account_reset_password"), "/api/v1/docs",
                "/bestaat-niet/"]:
        check(client, url, status=404 if url == "/bestaat-niet/" else 200)


def test_member_and_facilitator_pages_have_no_inline_code(client, site, world, facilitator):
    circle, channel = world.circle, world.channel
    root = post(world.author, channel, "Eerste bericht met **opmaak** en een [link](https://example.org)")
    reply = post(facilitator, channel, "Een antwoord voor @cor", parent=root)
    services.message_hide(moderator=facilitator, message=post(world.author, channel, "Verborgen"))
    case = case_services.case_create(author=facilitator, circle=circle, title="Kostenverdeling",
                                     context="Zes *gemeenten*.", question="Hoe verdelen?", confidential=True)
    case_services.case_move(actor=facilitator, case=case, to_phase="questions")
    client.force_login(facilitator)
    slug = circle.slug
    urls = [
        reverse("communities:profile"),
        reverse("communities:member", args=[world.author.pk]),
        reverse("communities:tokens"),
        reverse("communities:circle", args=[slug]),
        reverse("communities:channel", args=[slug, channel.slug]),
        reverse("communities:thread", args=[slug, channel.slug, root.pk]),
        reverse("communities:message_edit", args=[slug, channel.slug, reply.pk]),
        reverse("communities:message_report", args=[slug, channel.slug, root.pk]),
        reverse("communities:manage_requests", args=[slug]),
        reverse("communities:manage_members", args=[slug]),
        reverse("communities:manage_invitations", args=[slug]),
        reverse("communities:manage_channels", args=[slug]),
        reverse("communities:manage_channel", args=[slug, channel.slug]),
        reverse("communities:manage_log", args=[slug]),
        reverse("account_email"),
        reverse("account_change_password"),
        reverse("mfa_index"),
        reverse("usersessions_list"),
        reverse("account_logout"),
        reverse("account_reauthenticate"),
        "/kennisvragen/",
        "/kennisvragen/nieuw/",
        reverse("casework:case_list", args=[slug]),
        reverse("casework:case_create", args=[slug]),
        case.get_absolute_url(),
        "/meldingen/",
        "/meldingen/voorkeuren/",
        "/bewaard/",
        "/zoeken/?q=bericht",
    ]
    for url in urls:
        check(client, url)


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/api/v1/circles", "/static/css/site.css"])
def test_security_headers_on_pages_api_and_static_files(client, site, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
    permissions = response.headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions
    if not path.startswith("/static/"):
        assert response.headers["X-Frame-Options"] == "DENY"
        policy = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy
        assert "object-src 'none'" in policy
        assert "default-src 'self'" in policy


def test_admin_paths_are_exempt_from_the_strict_policy_only(client, site):
    assert "Content-Security-Policy" not in client.get("/cms/login/", follow=False)  # a redirect to the site login
    assert "Content-Security-Policy" in client.get("/accounts/login/")
