"""No user-supplied HTML or script survives: on the page, in the API, in events."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communities.rendering import render_markdown
from tests.communities.conftest import post

PAYLOADS = [
    "<script>alert('xss')</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="#" onclick="alert(1)">klik</a>',
    "[klik hier](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](&#106;avascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=\"https://evil.example\"></iframe>",
    "<style>body{display:none}</style>",
    '<svg onload="alert(1)"><circle r="10"/></svg>',
    '<svg><script>alert(1)</script></svg>',
    "![plaatje](javascript:alert(1))",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<object data=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\"></object>",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "```\n<script>alert(1)</script>\n```",
    "`<img src=x onerror=alert(1)>`",
    '"><script>alert(1)</script>',
    "@<script>alert(1)</script>",
]

SAFE_TAGS = {"p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h3", "h4",
             "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td"}
SAFE_ATTRIBUTES = {"href", "title", "class", "rel", "start", "align"}


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in SAFE_TAGS:
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if name not in SAFE_ATTRIBUTES:
                self.problems.append(f"attribute {name}")
            if name == "href":
                scheme = urlsplit((value or "").strip()).scheme.lower()
                if scheme not in ("", "http", "https", "mailto"):
                    self.problems.append(f"link scheme {scheme}")


def assert_safe(html: str) -> None:
    """Parse the HTML as a browser would: only allowed tags, attributes and link schemes remain."""
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    assert not inspector.problems, (inspector.problems, html)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_never_survive_rendering(payload):
    assert_safe(render_markdown(payload, mention_link=lambda handle: None))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_never_reach_the_channel_page_or_the_api(client, channel, official, payload):
    post(official, channel, payload)
    client.force_login(official)
    page = client.get(channel.get_absolute_url()).content.decode()
    bodies = re.findall(r'<div class="lk-message__body">(.*?)</div>', page, re.S)
    assert bodies
    for body in bodies:
        assert_safe(body)
    api = client.get(f"/api/v1/circles/{channel.circle.slug}/channels/{channel.slug}/messages").json()
    assert_safe(api["items"][0]["html"])


def test_code_shows_the_payload_as_text(channel, official):
    message = post(official, channel, "`<script>alert(1)</script>`")
    assert "&lt;script&gt;" in message.body_html


def test_markdown_links_keep_working_and_are_marked_nofollow(channel, official):
    message = post(official, channel, "Zie [het rapport](https://www.platform31.nl/rapport).")
    assert 'href="https://www.platform31.nl/rapport"' in message.body_html
    assert "nofollow" in message.body_html


MARKDOWN_PIECES = st.sampled_from(
    ["<", ">", '"', "'", "=", "(", ")", "[", "]", "!", "`", "*", "_", "#", "\n", " ", "@", ":", "/", "&", ";",
     "javascript:", "data:", "script", "iframe", "svg", "style", "onerror", "onload", "href", "src", "img",
     "<script>", "</script>", "<a ", "<img ", "<svg ", "<iframe ", "<style>", "](", "&#x6A;", "&#106;", "\\"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(MARKDOWN_PIECES, st.text(max_size=5)), max_size=40).map("".join))
def test_property_no_markdown_input_produces_dangerous_html(source):
    html = render_markdown(source, mention_link=lambda handle: f'<a class="lk-mention" href="/leden/1/">@{handle}</a>')
    assert_safe(html)
