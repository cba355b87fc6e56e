"""Long threads on the channel page: the starter, the newest replies and a link to all of them."""

import re

from communities import selectors
from tests.communities.conftest import post


def text(response) -> str:
    return response.content.decode()


def shown(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<article class="lk-message[^"]*" id="message-(\d+)"', html)]


def show_all_link(html: str) -> str | None:
    match = re.search(r'<p class="lk-thread__more"><a href="([^"]+)">(.*?)</a></p>', html)
    return match and f"{match.group(1)} {re.sub(r'<[^>]+>', '', match.group(2))}"


def long_thread(author, channel, replies=10):
    root = post(author, channel, "Wie heeft een goede aanpak voor de wijkteams?")
    return root, [post(author, channel, f"Reactie {n}", parent=root) for n in range(1, replies + 1)]


def test_a_thread_with_10_replies_shows_its_starter_the_newest_replies_and_a_link_to_all(
        client, channel, official, official2):
    root, replies = long_thread(official2, channel)
    client.force_login(official)
    page = text(client.get(channel.get_absolute_url()))
    assert shown(page) == [root.pk] + [r.pk for r in replies[-3:]]
    assert "Wie heeft een goede aanpak" in page and "Reactie 10" in page and "Reactie 7" not in page
    assert show_all_link(page) == f"{root.pk}/ Toon alle 10 reacties"  # relative to the channel page

    thread = text(client.get(f"{channel.get_absolute_url()}{root.pk}/"))
    assert shown(thread) == [root.pk] + [r.pk for r in replies]
    assert show_all_link(thread) is None


def test_a_short_thread_shows_every_reply_and_no_link(client, channel, official, official2):
    root, replies = long_thread(official2, channel, replies=3)
    client.force_login(official)
    page = text(client.get(channel.get_absolute_url()))
    assert shown(page) == [root.pk] + [r.pk for r in replies]
    assert show_all_link(page) is None


def test_replies_new_since_the_last_visit_stay_visible_up_to_a_cap(client, channel, official, official2):
    root, old = long_thread(official2, channel)
    client.force_login(official)
    client.get(channel.get_absolute_url())  # the visit marks everything read
    new = [post(official2, channel, f"Nieuw {n}", parent=root) for n in range(6)]
    page = text(client.get(channel.get_absolute_url()))
    assert shown(page) == [root.pk] + [r.pk for r in new]
    assert all(f'class="lk-message lk-message--new" id="message-{r.pk}"' in page for r in new)
    assert f'href="#message-{new[0].pk}">Ga naar het eerste nieuwe bericht' in page
    assert "Nieuw sinds je laatste bezoek" in page
    assert show_all_link(page).endswith("Toon alle 16 reacties")

    client.get(channel.get_absolute_url())
    many = [post(official2, channel, f"Veel {n}", parent=root) for n in range(selectors.NEW_REPLIES_SHOWN + 2)]
    page = text(client.get(channel.get_absolute_url()))
    assert shown(page) == [root.pk] + [r.pk for r in many[-selectors.NEW_REPLIES_SHOWN:]]


def test_a_reply_to_a_message_left_out_says_what_it_answers_and_links_to_it(client, channel, official, official2):
    root, replies = long_thread(official2, channel, replies=5)
    answer = post(official, channel, "Daar ben ik het mee eens", parent=replies[0])
    deeper = post(official2, channel, "Ik ook", parent=answer)
    client.force_login(official)
    page = text(client.get(channel.get_absolute_url()))
    assert shown(page) == [root.pk, replies[-1].pk, answer.pk, deeper.pk]
    thread_url = f"{root.pk}/"  # relative to the channel page
    assert (f'<p class="lk-in-reply-to">Antwoord op <a href="{thread_url}#message-{replies[0].pk}">Cor Collega</a></p>'
            in page)
    # Its own reply is shown, nested under it as usual.
    assert re.search(rf'data-replies-of="{answer.pk}">\s*<article class="lk-message" id="message-{deeper.pk}"', page)
    assert page.count("lk-in-reply-to") == 1
