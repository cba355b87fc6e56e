"""Two members in two browsers: a reply appears live in the right thread, without a reload.

Real uvicorn process (tests/servers.py), real channel and thread pages, static/js/live.js
in Debian's Chromium. Runs on both lanes: the reply is posted through the same server
that holds the other member's socket.
"""

import json
import os
import time

import pytest
from django.urls import reverse

from communities import services
from tests.factories import ChannelFactory, MembershipFactory, UserFactory
from tests.realtime.live_client import session_key_for
from tests.servers import asgi_server

pytestmark = pytest.mark.browser

SCREENSHOTS = "/work/screenshots/realtime"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture
def discussion(transactional_db):
    channel = ChannelFactory(name="Algemeen", slug="algemeen", circle__name="Kring Jeugdzorg", circle__slug="jeugdzorg")
    anouk = MembershipFactory(circle=channel.circle, user=UserFactory(username="anouk", profile__display_name="Anouk de Vries")).user
    bram = MembershipFactory(circle=channel.circle, user=UserFactory(username="bram", profile__display_name="Bram Jansen")).user
    first = services.message_post(author=anouk, channel=channel, body="Wie heeft ervaring met **inkoop jeugdhulp**?")
    second = services.message_post(author=anouk, channel=channel, body="Tips voor een goede wijkaanpak?")
    return {
        "channel": channel,
        "threads": (first, second),
        "channel_url": reverse("communities:channel", args=[channel.circle.slug, channel.slug]),
        "thread_url": reverse("communities:thread", args=[channel.circle.slug, channel.slug, second.pk]),
        "anouk": session_key_for(anouk),
        "bram": session_key_for(bram),
    }


@pytest.fixture
def chromium(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the Django calls that follow
    # (factories, teardown) are plain sync code that Django would otherwise refuse there.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def logged_in_page(browser, base_url: str, session_key: str):
    context = browser.new_context(locale="nl-NL")
    context.add_cookies([{"name": "sessionid", "value": session_key, "url": base_url}])
    return context.new_page()


def open_live(page, url: str, channel_id: int):
    """Open a page and wait until live.js has its subscription to the channel."""
    sent = []
    with page.expect_websocket() as opened:
        page.goto(url)
    opened.value.on("framesent", lambda payload: sent.append(json.loads(payload)))
    opened.value.wait_for_event(
        "framereceived", lambda frame: f'"type": "subscribed", "channel": {channel_id}' in str(frame), timeout=10_000
    )
    # The page shows this channel's messages, so it asks for the edits made since it was rendered.
    subscribe = next(frame for frame in sent if frame.get("type") == "subscribe" and frame["channel"] == channel_id)
    assert abs(subscribe["changes_since"] - time.time() * 1000) < 60_000, subscribe


def test_a_reply_appears_live_in_the_right_thread_for_the_other_member(discussion, chromium):
    channel = discussion["channel"]
    first, second = discussion["threads"]
    with asgi_server() as base_url:
        anouk = logged_in_page(chromium, base_url, discussion["anouk"])
        bram = logged_in_page(chromium, base_url, discussion["bram"])
        open_live(anouk, base_url + discussion["channel_url"], channel.pk)
        anouk.evaluate("window.lkNotReloaded = true")

        open_live(bram, base_url + discussion["thread_url"] + f"?antwoord={second.pk}#reageren", channel.pk)
        reply_box = bram.locator("#reageren textarea")
        reply_box.fill("Wij werken met wijkteams per buurt.")
        typing = anouk.locator(f'[data-typing-for="{channel.pk}"]')
        typing.filter(has_text="Bram Jansen is aan het typen").wait_for(timeout=10_000)

        bram.locator("#reageren button[type=submit]").click()
        bram.wait_for_load_state()

        reply = anouk.locator(f'#thread-{second.pk} [data-replies-of="{second.pk}"] .lk-message')
        reply.filter(has_text="Wij werken met wijkteams per buurt.").wait_for(timeout=10_000)
        assert anouk.locator(f'#thread-{first.pk} .lk-replies .lk-message').count() == 0
        assert anouk.evaluate("window.lkNotReloaded") is True
        assert reply.first.locator(".lk-message__author").inner_text() == "Bram Jansen"
        assert typing.inner_text() == ""  # the typer's message arrived: no longer typing

        os.makedirs(SCREENSHOTS, exist_ok=True)
        anouk.screenshot(path=f"{SCREENSHOTS}/reply-live.png", full_page=True)


def reply_through_the_page(page, base_url: str, thread_url: str, parent_id: int, body: str) -> None:
    page.goto(f"{base_url}{thread_url}?antwoord={parent_id}#reageren")
    page.locator("#reageren textarea").fill(body)
    page.locator("#reageren button[type=submit]").click()
    page.wait_for_load_state()


@pytest.fixture
def five_replies(discussion):
    """Made before the browser starts: Playwright's event loop in this thread would refuse the events."""
    first, _ = discussion["threads"]
    return [services.message_post(author=first.author, channel=first.channel, body=f"Reactie {n}", parent=first)
            for n in range(1, 6)]


def test_a_live_reply_reaches_a_long_thread_that_shows_only_its_newest_replies(discussion, five_replies, chromium):
    """The reply answers a message the channel page leaves out: it goes at the end of its thread,
    says what it answers, and the thread's "show all" count goes up."""
    channel = discussion["channel"]
    first, _ = discussion["threads"]
    replies = five_replies
    thread_url = reverse("communities:thread", args=[channel.circle.slug, channel.slug, first.pk])
    with asgi_server() as base_url:
        anouk = logged_in_page(chromium, base_url, discussion["anouk"])
        bram = logged_in_page(chromium, base_url, discussion["bram"])
        open_live(anouk, base_url + discussion["channel_url"], channel.pk)
        thread = anouk.locator(f"#thread-{first.pk}")
        assert thread.locator(".lk-message").count() == 4  # the starter and the newest 3 replies
        assert thread.get_by_role("link", name="Toon alle 5 reacties").is_visible()
        anouk.evaluate("window.lkNotReloaded = true")

        reply_through_the_page(bram, base_url, thread_url, replies[0].pk, "Over die eerste reactie…")

        body = thread.locator(".lk-message__body", has_text="Over die eerste reactie…")
        body.wait_for(timeout=10_000)
        reply = body.locator("xpath=..")
        assert thread.locator(".lk-message").last.get_attribute("id") == reply.get_attribute("id")
        assert reply.locator(".lk-in-reply-to").inner_text() == "Antwoord op een eerder bericht"
        assert reply.locator(".lk-in-reply-to a").get_attribute("href") == f"{thread_url}#message-{replies[0].pk}"
        assert thread.get_by_role("link", name="Toon alle 6 reacties").is_visible()
        assert anouk.evaluate("window.lkNotReloaded") is True

        # A reply to a message that is shown nests under it, and counts too.
        reply_through_the_page(bram, base_url, thread_url, replies[-1].pk, "En nog iets")
        nested_body = anouk.locator(f'[data-replies-of="{replies[-1].pk}"] .lk-message__body', has_text="En nog iets")
        nested_body.wait_for(timeout=10_000)
        nested = nested_body.locator("xpath=..")
        assert nested.locator(".lk-in-reply-to").count() == 0
        assert thread.get_by_role("link", name="Toon alle 7 reacties").is_visible()

        os.makedirs(SCREENSHOTS, exist_ok=True)
        anouk.screenshot(path=f"{SCREENSHOTS}/long-thread-live.png", full_page=True)


def test_reaction_counts_change_in_place_and_messages_seen_live_are_read(discussion, chromium):
    from communities.models import ReadMarker

    channel = discussion["channel"]
    first, second = discussion["threads"]
    anouk_user = first.author
    with asgi_server() as base_url:
        anouk = logged_in_page(chromium, base_url, discussion["anouk"])
        bram = logged_in_page(chromium, base_url, discussion["bram"])
        open_live(anouk, base_url + discussion["channel_url"], channel.pk)
        open_live(bram, base_url + discussion["thread_url"] + f"?antwoord={second.pk}#reageren", channel.pk)
        marker_before = ReadMarker.objects.get(user=anouk_user, channel=channel).last_read_message_id

        bram.locator(f'#message-{second.pk} .lk-reactions button[value="idea"]').click()
        idea = anouk.locator(f'#message-{second.pk} .lk-reactions button[value="idea"]')
        idea.locator(".lk-reaction__count").filter(has_text="1").wait_for(timeout=10_000)
        assert idea.get_attribute("aria-pressed") == "false"  # Bram's reaction, not hers
        assert idea.evaluate("button => getComputedStyle(button).borderStyle") != "dashed"  # no longer "unused"

        text = "Wij werken met wijkteams per buurt."
        reply_through_the_page(bram, base_url, discussion["thread_url"], second.pk, text)
        _, reply_id = live_message(anouk, f'[data-replies-of="{second.pk}"]', text)
        assert reply_id > marker_before

        deadline = time.monotonic() + 10
        while ReadMarker.objects.get(user=anouk_user, channel=channel).last_read_message_id != reply_id:
            assert time.monotonic() < deadline, "the page did not report the live message read"
            time.sleep(0.2)


# --- The controls of a message that arrives live ------------------------------------------

# The controls of one message as markup, without the CSRF token (masked anew for every page).
CONTROLS_MARKUP = """(message) => [...message.querySelectorAll(':scope > .lk-reactions, :scope > .lk-message__actions')]
    .map((node) => {
        const copy = node.cloneNode(true);
        for (const token of copy.querySelectorAll('[name=csrfmiddlewaretoken]')) token.removeAttribute('value');
        return copy.outerHTML.replace(/>\\s+</g, '><').trim();
    }).join('')"""


def live_message(page, container: str, body: str):
    """The message with this text once it has arrived live in the container, and its id."""
    text = page.locator(f"{container} .lk-message__body", has_text=body)
    text.wait_for(timeout=10_000)
    message = text.locator("xpath=..")
    return message, int(message.get_attribute("data-message"))


def test_a_live_message_has_the_controls_of_a_rendered_one_and_they_work(discussion, chromium):
    from communities.models import Reaction, SavedItem

    channel = discussion["channel"]
    _, second = discussion["threads"]
    anouk_user = second.author
    with asgi_server() as base_url:
        anouk = logged_in_page(chromium, base_url, discussion["anouk"])
        bram = logged_in_page(chromium, base_url, discussion["bram"])
        open_live(anouk, base_url + discussion["channel_url"], channel.pk)
        anouk.evaluate("window.lkNotReloaded = true")

        reply_through_the_page(bram, base_url, discussion["thread_url"], second.pk, "Wij werken met wijkteams per buurt.")
        message, message_id = live_message(anouk, f'[data-replies-of="{second.pk}"]', "Wij werken met wijkteams per buurt.")

        # The same markup as the server gives the same message on a fresh page.
        fresh = anouk.context.new_page()
        fresh.goto(base_url + discussion["channel_url"])
        rendered = fresh.locator(f"#message-{message_id}").evaluate(CONTROLS_MARKUP)
        fresh.close()
        assert message.evaluate(CONTROLS_MARKUP) == rendered
        assert "lk-reactions" in rendered and "Bewaren" in rendered

        actions = anouk.locator(f"#message-{message_id} > .lk-message__actions")
        assert actions.get_by_role("link", name="Melden").is_visible()
        assert actions.get_by_role("link", name="Reageren op dit bericht").is_visible()
        assert actions.get_by_role("link", name="Bewerken").count() == 0
        assert actions.get_by_role("link", name="Verwijderen").count() == 0
        assert actions.get_by_role("button", name="Verbergen").count() == 0

        reactions = anouk.locator(f"#message-{message_id} > .lk-reactions")
        reactions.get_by_role("button", name="Goed idee").click()
        idea = reactions.locator('button[value="idea"]')
        # The live reaction.updated frame may bring the count before the form's own answer
        # marks the button pressed: wait for the answer.
        reactions.locator('button[value="idea"][aria-pressed="true"]').wait_for(timeout=10_000)
        assert idea.locator(".lk-reaction__count").inner_text().strip() == "1"
        assert Reaction.objects.filter(message_id=message_id, user=anouk_user, kind="idea").exists()

        actions.get_by_role("button", name="Bewaren").click()
        saved = actions.get_by_role("button", name="Bewaard")
        saved.wait_for(timeout=10_000)
        assert saved.get_attribute("aria-pressed") == "true"
        assert SavedItem.objects.filter(user=anouk_user, object_id=message_id).exists()

        # Someone else's reaction reaches the live message's counts in place.
        bram.locator(f'#message-{message_id} .lk-reactions button[value="thanks"]').click()
        thanks = reactions.locator('button[value="thanks"]')
        thanks.locator(".lk-reaction__count").filter(has_text="1").wait_for(timeout=10_000)
        assert thanks.get_attribute("aria-pressed") == "false"
        assert idea.get_attribute("aria-pressed") == "true"
        assert anouk.evaluate("window.lkNotReloaded") is True

        os.makedirs(SCREENSHOTS, exist_ok=True)
        message.scroll_into_view_if_needed()
        anouk.screenshot(path=f"{SCREENSHOTS}/live-message-controls.png", full_page=True)


def test_my_own_message_from_another_tab_arrives_with_edit_and_delete(discussion, chromium):
    channel = discussion["channel"]
    with asgi_server() as base_url:
        anouk = logged_in_page(chromium, base_url, discussion["anouk"])
        open_live(anouk, base_url + discussion["channel_url"], channel.pk)
        other_tab = anouk.context.new_page()
        other_tab.goto(base_url + discussion["channel_url"])
        other_tab.locator(".lk-composer textarea").fill("Een nieuwe vraag uit mijn andere tabblad")
        other_tab.locator(".lk-composer button[type=submit]").click()
        other_tab.wait_for_load_state()

        message, message_id = live_message(anouk, ".lk-threads", "Een nieuwe vraag uit mijn andere tabblad")
        assert message.locator("xpath=..").get_attribute("id") == f"thread-{message_id}"
        actions = anouk.locator(f"#message-{message_id} > .lk-message__actions")
        assert actions.get_by_role("link", name="Bewerken").evaluate("a => a.href").endswith(f"{discussion['channel_url']}{message_id}/bewerken/")
        assert actions.get_by_role("link", name="Verwijderen").is_visible()
        assert actions.get_by_role("link", name="Melden").count() == 0
        assert anouk.locator(f"#message-{message_id} > .lk-reactions button").count() == 5


@pytest.fixture
def facilitator_session(discussion):
    from communities.models import Membership

    user = UserFactory(username="fenna", profile__display_name="Fenna Begeleider")
    MembershipFactory(circle=discussion["channel"].circle, user=user, role=Membership.Role.FACILITATOR)
    return session_key_for(user)


def test_a_facilitator_can_hide_a_message_that_arrived_live(discussion, facilitator_session, chromium):
    from communities.models import Message

    channel = discussion["channel"]
    _, second = discussion["threads"]
    with asgi_server() as base_url:
        fenna = logged_in_page(chromium, base_url, facilitator_session)
        bram = logged_in_page(chromium, base_url, discussion["bram"])
        open_live(fenna, base_url + discussion["channel_url"], channel.pk)

        reply_through_the_page(bram, base_url, discussion["thread_url"], second.pk, "Dit hoort hier niet.")
        _, message_id = live_message(fenna, f'[data-replies-of="{second.pk}"]', "Dit hoort hier niet.")
        fenna.locator(f"#message-{message_id} > .lk-message__actions").get_by_role("button", name="Verbergen").click()
        fenna.wait_for_load_state()
        fenna.locator(f"#message-{message_id}", has_text="Dit bericht is verborgen door een begeleider.").wait_for(timeout=10_000)
        assert Message.objects.get(pk=message_id).hidden_at is not None
