"""/zoeken/ for members: sections of their own circles next to the public pages."""

import pytest

from communities.models import Membership
from communities.rendering import render_markdown
from tests.factories import ChannelFactory, CircleFactory, MessageFactory

from .conftest import member

pytestmark = pytest.mark.django_db


def say(channel, author, text):
    return MessageFactory(channel=channel, author=author, body_source=text, body_html=render_markdown(text))


@pytest.fixture
def two_circles(channel, official, expert):
    other = ChannelFactory(circle=CircleFactory(name="Kring Zorg", slug="zorg"), name="zorgkanaal", slug="zorgkanaal")
    stranger = member(other.circle, "zoe", "Zoë Zorg")
    mine = say(channel, expert, "Wie kent een goede woonbegeleider in de regio?")
    theirs = say(other, stranger, "Wie kent een goede woonbegeleider in de regio? (zorg)")
    return mine, theirs


def test_anonymous_sees_only_public_pages(client, two_circles):
    html = client.get("/zoeken/?q=woonbegeleider").content.decode()
    assert "Pagina's op deze website" in html
    assert "Berichten" not in html and "woonbegeleider</mark>" not in html
    assert 'name="type"' not in html


def test_member_sees_messages_of_own_circle_only(client, official, two_circles):
    mine, theirs = two_circles
    client.force_login(official)
    html = client.get("/zoeken/?q=woonbegeleider").content.decode()
    assert "Pagina's op deze website" in html
    assert "1 resultaat in je kringen" in html
    assert "<mark>woonbegeleider</mark>" in html
    assert f"#message-{mine.pk}" in html
    assert f"#message-{theirs.pk}" not in html and "(zorg)" not in html and "zorgkanaal" not in html


def test_outsider_sees_no_messages(client, outsider, two_circles):
    client.force_login(outsider)
    html = client.get("/zoeken/?q=woonbegeleider").content.decode()
    assert "Niets in je kringen past bij “woonbegeleider”." in html


def test_type_filter_shows_one_section_and_circle_filter_narrows(client, circle, official, two_circles):
    mine, theirs = two_circles
    Membership.objects.create(user=official, circle=theirs.channel.circle, state=Membership.State.ACTIVE)
    client.force_login(official)
    html = client.get("/zoeken/?q=woonbegeleider&type=messages").content.decode()
    assert "Pagina's op deze website" not in html
    assert "2 resultaten in je kringen" in html
    html = client.get("/zoeken/?q=woonbegeleider&type=messages&circle=zorg").content.decode()
    assert "1 resultaat in je kringen" in html and f"#message-{theirs.pk}" in html
    assert '<option value="zorg" selected>' in html
    html = client.get("/zoeken/?q=woonbegeleider&type=pages").content.decode()
    assert "Pagina's op deze website" in html and "resultaat in je kringen" not in html


def test_a_circle_that_is_not_yours_in_the_filter_is_ignored(client, official, two_circles):
    mine, theirs = two_circles
    client.force_login(official)
    html = client.get("/zoeken/?q=woonbegeleider&type=messages&circle=zorg").content.decode()
    assert f"#message-{theirs.pk}" not in html


def test_pages_of_one_type_and_a_link_from_everything(client, channel, official, expert):
    for index in range(25):
        say(channel, expert, f"Bericht {index} over de woonbegeleider")
    client.force_login(official)
    html = client.get("/zoeken/?q=woonbegeleider").content.decode()
    assert html.count('class="lk-hit"') == 5
    assert "Toon alle 25 resultaten: berichten" in html
    html = client.get("/zoeken/?q=woonbegeleider&type=messages&pagina=2").content.decode()
    assert html.count('class="lk-hit"') == 5
    assert 'aria-current="page">2<' in html


def test_save_button_on_each_hit(client, official, two_circles):
    mine, _theirs = two_circles
    client.force_login(official)
    client.post(f"/bewaard/message/{mine.pk}/", {"action": "save"})
    html = client.get("/zoeken/?q=woonbegeleider").content.decode()
    assert 'aria-pressed="true"' in html


@pytest.mark.parametrize("url", ["/zoeken/?q=woonbegeleider&type=messages", "/zoeken/?q=woonbegeleider"])
def test_query_count_equal_at_5_and_100_results(client, channel, official, expert, django_assert_num_queries, monkeypatch, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr("communities.notifications.search.PAGE_SIZE", 100)
    client.force_login(official)
    for index in range(5):
        say(channel, expert, f"Woonbegeleider nummer {index}")
    client.get(url)
    with CaptureQueriesContext(connection) as five:
        client.get(url)
    five_count = len(five)
    for index in range(5, 100):
        say(channel, expert, f"Woonbegeleider nummer {index}")
    with django_assert_num_queries(five_count):
        response = client.get(url)
    expected = 100 if "type=messages" in url else 5
    assert response.content.decode().count('class="lk-hit"') == expected
