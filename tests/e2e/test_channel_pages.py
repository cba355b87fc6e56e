"""A channel with more threads than one page: "Older threads" with htmx in place and without
JavaScript, and the live protocol on threads that came in later (static/js/live.js)."""

import os

import pytest

from communities import selectors, services
from tests.e2e.test_live_thread import CHROMIUM_ARGS, chromium, live_message, logged_in_page, open_live  # noqa: F401
from tests.factories import ChannelFactory, MembershipFactory, UserFactory
from tests.realtime.live_client import session_key_for
from tests.servers import asgi_server

pytestmark = pytest.mark.browser

SCREENSHOTS = "/work/screenshots/render"
EXTRA = 3  # threads beyond the first page


@pytest.fixture
def long_channel(transactional_db):
    channel = ChannelFactory(name="Algemeen", slug="algemeen", circle__name="Kring Jeugdzorg", circle__slug="jeugdzorg")
    anouk = MembershipFactory(circle=channel.circle, user=UserFactory(username="anouk", profile__display_name="Anouk de Vries")).user
    bram = MembershipFactory(circle=channel.circle, user=UserFactory(username="bram", profile__display_name="Bram Jansen")).user
    roots = [services.message_post(author=bram, channel=channel, body=f"Draad nummer {n}")
             for n in range(selectors.THREADS_PER_PAGE + EXTRA)]
    services.message_post(author=anouk, channel=channel, body="Een eerste reactie", parent=roots[-1])
    return {"channel": channel, "roots": roots, "url": channel.get_absolute_url(), "anouk": anouk, "bram": bram,
            "anouk_key": session_key_for(anouk), "bram_key": session_key_for(bram)}


def test_older_threads_load_in_place_and_stay_live(long_channel, chromium):
    from playwright.sync_api import expect

    channel, oldest = long_channel["channel"], long_channel["roots"][0]
    with asgi_server() as base_url:
        page = logged_in_page(chromium, base_url, long_channel["anouk_key"])
        open_live(page, base_url + long_channel["url"], channel.pk)
        page.evaluate("window.lkNotReloaded = true")
        threads = page.locator(".lk-threads > .lk-thread")
        assert threads.count() == selectors.THREADS_PER_PAGE
        assert page.locator(f"#message-{oldest.pk}").count() == 0

        # Keyboard: the link is reached with Tab and followed with Enter; focus goes to what came in.
        older = page.get_by_role("link", name="Oudere draden")
        older.focus()
        page.keyboard.press("Enter")
        page.locator(f"#message-{oldest.pk}").wait_for(timeout=10_000)
        assert threads.count() == selectors.THREADS_PER_PAGE + EXTRA
        assert page.get_by_role("link", name="Oudere draden").count() == 0
        assert page.evaluate("window.lkNotReloaded") is True and "?na=" not in page.url
        # Focus moves once htmx has settled the swap, a moment after the threads are in.
        first_in = long_channel["roots"][EXTRA - 1]
        expect(page.locator(f"#thread-{first_in.pk} > #message-{first_in.pk}")).to_be_focused(timeout=10_000)

        # The threads that came in are as live as the others: a reply, a reaction, through the
        # server from another member's browser.
        bram = logged_in_page(chromium, base_url, long_channel["bram_key"])
        thread_url = f"{base_url}{long_channel['url']}{oldest.pk}/"
        bram.goto(f"{thread_url}?antwoord={oldest.pk}#reageren")
        bram.locator("#reageren textarea").fill("Nog een reactie op de oudste")
        bram.locator("#reageren button[type=submit]").click()
        bram.wait_for_load_state()
        live_message(page, f'[data-replies-of="{oldest.pk}"]', "Nog een reactie op de oudste")
        bram.locator(f'#message-{oldest.pk} > .lk-reactions button[value="idea"]').click()
        page.locator(f'#message-{oldest.pk} > .lk-reactions button[value="idea"] .lk-reaction__count',
                     has_text="1").wait_for(timeout=10_000)
        # Its own controls work through htmx in place.
        page.locator(f'#message-{oldest.pk} > .lk-reactions button[value="thanks"]').click()
        page.locator(f'#message-{oldest.pk} > .lk-reactions button[value="thanks"][aria-pressed="true"]').wait_for(timeout=10_000)
        # Save is a button of the same form (its CSRF token); htmx swaps the button alone.
        page.locator(f"#message-{oldest.pk} > .lk-message__actions").get_by_role("button", name="Bewaren").click()
        saved = page.locator(f"#message-{oldest.pk} > .lk-message__actions").get_by_role("button", name="Bewaard")
        saved.wait_for(timeout=10_000)
        assert saved.get_attribute("aria-pressed") == "true"
        assert page.evaluate("window.lkNotReloaded") is True

        os.makedirs(SCREENSHOTS, exist_ok=True)
        page.goto(base_url + long_channel["url"])
        page.screenshot(path=f"{SCREENSHOTS}/channel.png")


def test_older_threads_without_javascript(long_channel, chromium):
    with asgi_server() as base_url:
        context = chromium.new_context(locale="nl-NL", java_script_enabled=False)
        context.add_cookies([{"name": "sessionid", "value": long_channel["anouk_key"], "url": base_url}])
        page = context.new_page()
        page.goto(base_url + long_channel["url"])
        page.get_by_role("link", name="Oudere draden").click()
        page.wait_for_load_state()
        assert "?na=" in page.url
        assert page.locator(".lk-threads > .lk-thread").count() == EXTRA
        oldest = long_channel["roots"][0]
        # Reacting without JavaScript: a plain form, back to the same page at the message.
        page.locator(f'#message-{oldest.pk} > .lk-reactions button[value="idea"]').click()
        page.wait_for_load_state()
        assert "?na=" in page.url
        assert page.locator(f'#message-{oldest.pk} > .lk-reactions button[value="idea"]').get_attribute("aria-pressed") == "true"
        page.locator(f"#message-{oldest.pk} > .lk-message__actions").get_by_role("button", name="Bewaren").click()
        page.wait_for_load_state()
        assert "?na=" in page.url and page.url.endswith(f"#message-{oldest.pk}")
        assert page.locator(f"#message-{oldest.pk} > .lk-message__actions").get_by_role("button", name="Bewaard").count() == 1
        page.get_by_role("link", name="Terug naar de nieuwste draden").click()
        page.wait_for_load_state()
        assert page.locator(".lk-threads > .lk-thread").count() == selectors.THREADS_PER_PAGE
        context.close()
