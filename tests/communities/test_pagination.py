"""Cursor pagination neither skips nor repeats items when messages arrive between pages."""

import re

from tests.communities.conftest import post

from communities import selectors


def test_api_messages_pages_with_new_messages_in_between(client, channel, official, official2):
    for n in range(25):
        post(official if n % 2 else official2, channel, f"Bericht {n}")
    originals = list(channel.messages.order_by("-id").values_list("id", flat=True))
    client.force_login(official)
    url = f"/api/v1/circles/{channel.circle.slug}/channels/{channel.slug}/messages?limit=10"
    first = client.get(url).json()
    seen = [m["id"] for m in first["items"]]
    following = first["next"]
    while following:
        post(official2, channel, "Er komt steeds iets bij")  # newer than anything on the pages still to come
        page = client.get(following).json()
        seen += [m["id"] for m in page["items"]]
        following = page["next"]
    assert seen == originals  # all 25, newest first, none twice, none of those posted while paging


def thread_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'class="lk-thread" id="thread-(\d+)"', html)]


def next_link(html: str):
    match = re.search(r'href="\?na=([\d-]+)"', html)
    return match.group(1) if match else None


def test_channel_pages_with_replies_and_new_threads_in_between(client, channel, official, official2, monkeypatch):
    monkeypatch.setattr(selectors, "THREADS_PER_PAGE", 4)
    roots = [post(official2, channel, f"Draad {n}") for n in range(10)]
    client.force_login(official)
    html = client.get(channel.get_absolute_url()).content.decode()
    shown = thread_ids(html)
    assert shown == [r.pk for r in reversed(roots)][:4]
    cursor = next_link(html)
    # Meanwhile: a reply bumps a thread that is still to come, and a new thread starts.
    post(official2, channel, "Late reactie", parent=roots[2])
    post(official2, channel, "Nieuwe draad")
    while cursor:
        html = client.get(f"{channel.get_absolute_url()}?na={cursor}").content.decode()
        shown += thread_ids(html)
        cursor = next_link(html)
    assert len(shown) == len(set(shown)) == 10
    assert sorted(shown) == sorted(r.pk for r in roots)
    # The next visit starts again from the top, with the new activity first.
    top = thread_ids(client.get(channel.get_absolute_url()).content.decode())
    newest = channel.messages.filter(thread__isnull=True).order_by("-id").first()
    assert top[:2] == [newest.pk, roots[2].pk]


def test_an_invalid_cursor_gets_a_clear_message(client, channel, official):
    client.force_login(official)
    response = client.get(f"{channel.get_absolute_url()}?na=kapot", follow=True)
    assert "Deze paginalink klopt niet" in response.content.decode()
    api = client.get(f"/api/v1/circles/{channel.circle.slug}/channels/{channel.slug}/messages?cursor=kapot")
    assert api.status_code == 422
    assert api.json()["code"] == "invalid_cursor"
    assert "Deze cursor is niet geldig" in api.json()["detail"]
