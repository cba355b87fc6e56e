"""No page or API list grows its number of queries with the number of items it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities import selectors
from communities.models import Message, Reaction
from tests.factories import MembershipFactory, MessageFactory, UserFactory


def fill(channel, threads: int) -> None:
    """`threads` threads, each with nested replies by different authors and some reactions."""
    authors = [MembershipFactory(circle=channel.circle).user for _ in range(3)]
    for n in range(threads):
        root = MessageFactory(channel=channel, author=authors[n % 3])
        reply = MessageFactory(channel=channel, author=authors[(n + 1) % 3], parent=root, thread=root, depth=1)
        deeper = MessageFactory(channel=channel, author=authors[(n + 2) % 3], parent=reply, thread=root, depth=2)
        deepest = MessageFactory(channel=channel, author=authors[n % 3], parent=deeper, thread=root, depth=3)
        MessageFactory(channel=channel, author=authors[(n + 1) % 3], parent=deepest, thread=root, depth=4)
        Message.objects.filter(pk=root.pk).update(last_message_id=root.pk + 4, reply_count=4)
        Reaction.objects.create(message=reply, user=authors[0], kind="idea")


def count_queries(client, url) -> int:
    """Queries of a repeat visit (the first one also records the session and the read marker)."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def many_per_page(monkeypatch):
    monkeypatch.setattr(selectors, "THREADS_PER_PAGE", 100)


@pytest.mark.parametrize("page", ["channel", "api"])
def test_equal_query_counts_at_5_and_100_threads(client, circle, official, many_per_page, page):
    from tests.factories import ChannelFactory

    counts = []
    for size in (5, 100):
        channel = ChannelFactory(circle=circle)
        fill(channel, size)
        client.force_login(official)
        if page == "channel":
            url = channel.get_absolute_url()
            response = client.get(url)
            assert response.content.decode().count('class="lk-thread"') == size
        else:
            url = f"/api/v1/circles/{circle.slug}/channels/{channel.slug}/messages?limit=200"
            assert len(client.get(url).json()["items"]) == min(size * 5, 200)
        counts.append(count_queries(client, url))
    assert counts[0] == counts[1], counts


def test_equal_query_counts_for_the_circle_list_and_circle_home(client, official, circle):
    from tests.factories import ChannelFactory, CircleFactory

    client.force_login(official)
    home_counts, list_counts = [], []
    for size in (5, 20):
        for _ in range(size):
            ChannelFactory(circle=circle)
            MembershipFactory(circle=circle)
            CircleFactory()
        home_counts.append(count_queries(client, circle.get_absolute_url()))
        list_counts.append(count_queries(client, "/kringen/"))
    assert home_counts[0] == home_counts[1]
    assert list_counts[0] == list_counts[1]


def test_thread_page_query_count_does_not_grow_with_replies(client, channel, official):
    counts = []
    for replies in (3, 60):
        root = MessageFactory(channel=channel, author=official)
        parent = root
        for depth in range(1, replies + 1):
            parent = MessageFactory(channel=channel, author=UserFactory(), parent=parent, thread=root, depth=depth)
        Message.objects.filter(pk=root.pk).update(last_message_id=parent.pk)
        client.force_login(official)
        url = f"{channel.get_absolute_url()}{root.pk}/"
        counts.append(count_queries(client, url))
    assert counts[0] == counts[1]
