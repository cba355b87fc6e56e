"""Member search: only circles the user is an active member of, highlighted, paginated."""

import re

import pytest

from communities.models import Membership
from communities.rendering import render_markdown
from communities.notifications.search import member_search, search_section
from tests.factories import ChannelFactory, CircleFactory, MessageFactory

from .conftest import member

pytestmark = pytest.mark.django_db


def say(channel, author, text):
    return MessageFactory(channel=channel, author=author, body_source=text, body_html=render_markdown(text))


@pytest.fixture
def other_circle():
    return CircleFactory(name="Kring Zorg", slug="zorg")


@pytest.fixture
def other_channel(other_circle):
    return ChannelFactory(circle=other_circle, name="algemeen", slug="algemeen")


@pytest.fixture
def same_words(channel, other_channel, official, expert):
    """Both circles hold a message with the same words; only `channel` is official's circle."""
    stranger = member(other_channel.circle, "zoe", "Zoë Zorg")
    mine = say(channel, expert, "De gemeente zoekt een woonbegeleider voor de wijk")
    theirs = say(other_channel, stranger, "De gemeente zoekt een woonbegeleider voor de wijk")
    return mine, theirs


def hits(user, query, **kwargs):
    return [hit for section in member_search(user=user, query=query, **kwargs) for hit in section.hits]


def test_search_never_returns_messages_of_a_circle_the_user_is_not_in(official, same_words):
    mine, theirs = same_words
    found = hits(official, "woonbegeleider")
    assert [hit.pk for hit in found] == [mine.pk]


def test_outsider_and_removed_member_find_nothing(outsider, removed_member, same_words):
    assert hits(outsider, "woonbegeleider") == []
    assert hits(removed_member, "woonbegeleider") == []


def test_pending_member_finds_nothing(circle, same_words):
    pending = member(circle, "piet", "Piet Wacht", state=Membership.State.PENDING)
    assert hits(pending, "woonbegeleider") == []


def test_circle_filter_narrows_to_one_circle(circle, channel, official, other_channel, same_words):
    mine, _theirs = same_words
    Membership.objects.create(user=official, circle=other_channel.circle, state=Membership.State.ACTIVE)
    assert len(hits(official, "woonbegeleider")) == 2
    assert [hit.pk for hit in hits(official, "woonbegeleider", circle=circle)] == [mine.pk]


def test_removed_and_deleted_messages_are_not_found(channel, official, expert):
    gone = say(channel, expert, "Verwijderde woonbegeleider")
    gone.deleted_at = "2026-01-01T00:00:00Z"
    gone.save()
    hidden = say(channel, expert, "Verborgen woonbegeleider")
    hidden.hidden_at = "2026-01-01T00:00:00Z"
    hidden.save()
    assert hits(official, "woonbegeleider") == []


def test_matches_are_highlighted_and_markup_in_messages_is_escaped(channel, official, expert):
    say(channel, expert, "Let op <script>alert(1)</script> bij de woonbegeleider")
    [hit] = hits(official, "woonbegeleider")
    assert "<mark>woonbegeleider</mark>" in hit.excerpt
    assert "<script" not in hit.excerpt
    assert {tag for _slash, tag in re.findall(r"<(/?)(\w+)", hit.excerpt)} == {"mark"}


def test_a_message_cannot_fake_highlight_markers(channel, official, expert):
    say(channel, expert, "woonbegeleider \x02<b>vet</b>\x03 en 5 < 6")
    [hit] = hits(official, "woonbegeleider")
    assert {tag for _slash, tag in re.findall(r"<(/?)(\w+)", hit.excerpt)} == {"mark"}
    assert hit.excerpt.count("<mark>") == 1


def test_every_word_must_match(channel, official, expert):
    say(channel, expert, "woonbegeleider in de wijk")
    say(channel, expert, "woonbegeleider elders")
    assert len(hits(official, "woonbegeleider wijk")) == 1


def test_empty_query_finds_nothing(official, same_words):
    assert member_search(user=official, query="   ") == []


def test_pagination_of_one_type(channel, official, expert):
    for index in range(25):
        say(channel, expert, f"Bericht {index} over de woonbegeleider")
    first = search_section(user=official, query="woonbegeleider", type_name="messages", page=1)
    second = search_section(user=official, query="woonbegeleider", type_name="messages", page=2)
    assert first.count == 25
    assert len(first.hits) == 20 and len(second.hits) == 5
    assert not {hit.pk for hit in first.hits} & {hit.pk for hit in second.hits}


@pytest.mark.scaleout
def test_dutch_stemming_on_postgresql(channel, official, expert):
    """PostgreSQL's Dutch configuration: a plural finds the singular."""
    message = say(channel, expert, "Drie gemeenten werken samen aan schuldhulpverlening")
    [hit] = hits(official, "gemeente")
    assert hit.pk == message.pk
    assert "<mark>gemeenten</mark>" in hit.excerpt


def test_query_count_equal_at_5_and_100_results(channel, official, expert, django_assert_num_queries, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr("communities.notifications.search.PAGE_SIZE", 100)
    for index in range(5):
        say(channel, expert, f"Woonbegeleider nummer {index}")
    search_section(user=official, query="woonbegeleider", type_name="messages")
    with CaptureQueriesContext(connection) as five:
        section = search_section(user=official, query="woonbegeleider", type_name="messages")
        assert len(section.hits) == 5
    five_count = len(five)  # now: later requests reset the connection's query log
    for index in range(5, 100):
        say(channel, expert, f"Woonbegeleider nummer {index}")
    with django_assert_num_queries(five_count):
        section = search_section(user=official, query="woonbegeleider", type_name="messages")
        assert len(section.hits) == 100
