"""The channel page built from cached message HTML plus each reader's own controls, in pages."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities import selectors, services, thread_html
from tests.communities.conftest import post, resolved_urls
from tests.communities.test_query_counts import count_queries, fill
from tests.factories import ChannelFactory, MembershipFactory, UserFactory


def page(client, user, channel, query=""):
    client.force_login(user)
    response = client.get(channel.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


def article(html: str, message_id: int) -> str:
    """One message's own markup, up to its replies."""
    start = html.index(f'id="message-{message_id}"')
    return html[start:html.index(f'data-replies-of="{message_id}"', start)]


def test_edit_delete_and_hide_show_at_once_although_the_html_is_cached(client, channel, official, official2, facilitator, committed):
    first, second = post(official, channel, "Eerste versie"), post(official, channel, "Blijft staan")
    third = post(official2, channel, "Ongepast")
    assert "Eerste versie" in page(client, official2, channel)
    keys = thread_html.message_cache_keys(first)
    assert any(cache.get(key) for key in keys)

    with committed():
        services.message_edit(editor=official, message=first, body="Tweede versie")
        assert any(cache.get(key) for key in keys)  # until the edit is committed
    assert not any(cache.get(key) for key in keys)  # the old entry is gone
    html = page(client, official2, channel)
    assert "Tweede versie" in article(html, first.pk) and "Eerste versie" not in html
    assert "bewerkt" in article(html, first.pk)

    services.message_delete(actor=official, message=second)
    services.message_hide(moderator=facilitator, message=third)
    html = page(client, official2, channel)
    assert "Dit bericht is verwijderd." in article(html, second.pk) and "Blijft staan" not in html
    assert "verborgen door een begeleider" in article(html, third.pk) and "Ongepast" not in html
    assert f'class="lk-message lk-message--removed" id="message-{third.pk}"' in html


def test_reaction_counts_and_the_readers_own_press_are_not_cached(client, channel, official, official2):
    message = post(official, channel, "Goed idee")
    page(client, official, channel)  # fills the cache
    services.reaction_toggle(user=official2, message=message, kind="idea")
    theirs = article(page(client, official2, channel), message.pk)
    mine = article(page(client, official, channel), message.pk)
    assert re.search(r'value="idea" aria-pressed="true"[^>]*>.*?lk-reaction__count">1<', theirs)
    assert re.search(r'value="idea" aria-pressed="false"[^>]*>.*?lk-reaction__count">1<', mine)


def test_each_reader_gets_their_own_controls_on_the_same_cached_message(client, channel, official, official2, facilitator):
    message = post(official, channel, "Van Anouk")
    author = article(page(client, official, channel), message.pk)
    other = article(page(client, official2, channel), message.pk)
    moderator = article(page(client, facilitator, channel), message.pk)
    base = channel.get_absolute_url()
    author_urls, other_urls, moderator_urls = (resolved_urls(html, base) for html in (author, other, moderator))
    assert f"{base}{message.pk}/bewerken/" in author_urls and f"{base}{message.pk}/verwijderen/" in author_urls
    assert "/melden/" not in author and "/verbergen/" not in author
    assert f"{base}{message.pk}/melden/" in other_urls and "/bewerken/" not in other and "/verbergen/" not in other
    assert f"{base}{message.pk}/verbergen/" in moderator_urls
    for html, urls in ((author, author_urls), (other, other_urls), (moderator, moderator_urls)):
        assert f"{base}{message.pk}/?antwoord={message.pk}#reageren" in urls
        assert f"{base}{message.pk}/reactie/" in urls
        assert "__message__" not in html and "__thread__" not in html
        # One form per message holds the CSRF token; save and hide are its buttons.
        assert html.count('name="csrfmiddlewaretoken"') == 1 and "<form" in html and html.count("<form") == 1
        assert 'name="next"' not in html


def test_a_button_press_without_javascript_comes_back_to_the_page_it_was_on(client, channel, official, official2):
    message = post(official, channel, "Terug naar deze pagina")
    client.force_login(official2)
    on_page = f"http://testserver{channel.get_absolute_url()}?na=5-3"
    react = client.post(f"{channel.get_absolute_url()}{message.pk}/reactie/", {"kind": "idea"}, HTTP_REFERER=on_page)
    assert react["Location"] == f"{channel.get_absolute_url()}?na=5-3#message-{message.pk}"
    save = client.post(f"/bewaard/message/{message.pk}/", {"action": "save"}, HTTP_REFERER=on_page)
    assert save["Location"] == f"{channel.get_absolute_url()}?na=5-3#message-{message.pk}"
    # Another site as Referer, or none: the message in its thread.
    elsewhere = client.post(f"{channel.get_absolute_url()}{message.pk}/reactie/", {"kind": "idea"}, HTTP_REFERER="https://evil.example/x")
    assert elsewhere["Location"] == f"{channel.get_absolute_url()}{message.pk}/#message-{message.pk}"
    assert client.post(f"{channel.get_absolute_url()}{message.pk}/reactie/", {"kind": "heart"})["Location"] == elsewhere["Location"]


def test_htmx_swaps_the_reaction_buttons_into_the_form_and_the_save_button_alone(client, channel, official, official2):
    message = post(official, channel, "Met htmx")
    client.force_login(official2)
    inside = client.post(f"{channel.get_absolute_url()}{message.pk}/reactie/", {"kind": "idea"},
                         HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER="f%d" % message.pk).content.decode()
    assert not inside.startswith("<form") and 'name="csrfmiddlewaretoken"' in inside
    assert re.search(r'value="idea" aria-pressed="true"[^>]*>.*?lk-reaction__count">1<', inside)
    button = client.post(f"/bewaard/message/{message.pk}/", {"action": "save"},
                         HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="action").content.decode().strip()
    assert button.startswith(f'<button form="f{message.pk}"') and 'value="remove" aria-pressed="true">Bewaard</button>' in button


def test_the_saved_state_is_the_readers(client, channel, official, official2):
    message = post(official, channel, "Bewaar mij")
    client.force_login(official2)
    client.post(f"/bewaard/message/{message.pk}/", {"action": "save", "next": "/"})
    theirs = article(page(client, official2, channel), message.pk)
    mine = article(page(client, official, channel), message.pk)
    assert 'aria-pressed="true">Bewaard<' in theirs
    assert 'aria-pressed="false">Bewaren<' in mine


def test_names_are_escaped_in_the_author_link_and_the_reply_line(client, channel, official):
    rogue = UserFactory(username="rogue", profile__display_name='<b onmouseover="x">Rogue</b>')
    MembershipFactory(user=rogue, circle=channel.circle)
    root = post(rogue, channel, "Start")
    reply = root
    for depth in range(5):  # deep enough for "in reply to"
        reply = post(rogue if depth % 2 else official, channel, f"Niveau {depth}", parent=reply)
    html = page(client, official, channel) + page(client, official, channel, f"{root.pk}/")
    assert "<b onmouseover" not in html
    assert "&lt;b onmouseover=&quot;x&quot;&gt;Rogue&lt;/b&gt;" in html


def test_the_cached_html_is_kept_per_language(channel, official):
    from django.utils import translation

    message = post(official, channel, "Hallo")
    services.message_edit(editor=official, message=message, body="Hallo!")
    message.refresh_from_db()
    for language, edited in (("nl", "bewerkt"), ("en", "edited"), ("nl", "bewerkt")):
        with translation.override(language):
            [(time, mark, body)] = thread_html.shared_fragments([message], thread_html.page_labels()).values()
        assert f">{edited}<" in mark and body == "<p>Hallo!</p>" and "<time datetime=" in time


def test_older_threads_without_javascript_and_with_htmx(client, channel, official):
    roots = [post(official, channel, f"Draad {n}") for n in range(selectors.THREADS_PER_PAGE + 5)]
    newest_first = [r.pk for r in reversed(roots)]
    html = page(client, official, channel)
    shown = [int(n) for n in re.findall(r'class="lk-thread" id="thread-(\d+)"', html)]
    assert shown == newest_first[: selectors.THREADS_PER_PAGE]
    link = re.search(r'<a href="(\?na=[\d-]+)" rel="next" hx-get="(\?na=[\d-]+)" hx-target="closest nav" hx-swap="outerHTML"', html)
    assert link and link.group(1) == link.group(2)
    assert "Oudere draden" in html
    # Without JavaScript: a page of its own, with the way back and no new threads live on top.
    plain = client.get(channel.get_absolute_url() + link.group(1))
    assert "<html" in plain.content.decode() and 'data-new-threads="off"' in plain.content.decode()
    assert [int(n) for n in re.findall(r'id="thread-(\d+)"', plain.content.decode())] == newest_first[selectors.THREADS_PER_PAGE:]
    # With htmx: the next threads and (here: no) next link, to put in place of the link.
    fragment = client.get(channel.get_absolute_url() + link.group(1), HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert "<html" not in body and "lk-composer" not in body
    assert [int(n) for n in re.findall(r'id="thread-(\d+)"', body)] == newest_first[selectors.THREADS_PER_PAGE:]
    assert "rel=\"next\"" not in body
    assert "HX-Request" in fragment["Vary"]


def test_the_replies_query_reads_neither_users_nor_profiles(client, channel, official, official2):
    root = post(official, channel, "Start")
    post(official2, channel, "Antwoord", parent=post(official2, channel, "Tussen", parent=root))
    client.force_login(official)
    with CaptureQueriesContext(connection) as queries:  # the first visit builds the shared threads
        client.get(channel.get_absolute_url())
    [replies] = [q["sql"] for q in queries.captured_queries if "ROW_NUMBER" in q["sql"].upper()]
    assert "auth_user" not in replies and "communities_profile" not in replies
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + replies.replace("%s", "0") if "%s" in replies else "EXPLAIN " + replies)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "auth_user" not in plan


@pytest.mark.parametrize("url", ["channel", "thread"])
def test_equal_query_counts_at_5_and_40_threads(client, circle, official, url):
    counts = []
    for size in (5, 40):
        channel = ChannelFactory(circle=circle)
        fill(channel, size)
        client.force_login(official)
        html = client.get(channel.get_absolute_url()).content.decode()
        assert html.count('class="lk-thread"') == min(size, selectors.THREADS_PER_PAGE)
        if url == "channel":
            target = channel.get_absolute_url()
        else:
            target = f"{channel.get_absolute_url()}{channel.messages.filter(thread__isnull=True).first().pk}/"
        counts.append(count_queries(client, target))
    assert counts[0] == counts[1], counts
