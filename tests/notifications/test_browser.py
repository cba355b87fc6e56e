"""/meldingen/ and /bewaard/ in a real browser at desktop and phone width (screenshots for review)."""

import os
import re
import threading
from pathlib import Path

import pytest
from django.test import Client

from communities.models import NotificationKind
from communities.notifications.saved import saved_item_add
from communities.notifications.services import notify
from communities.rendering import render_markdown
from tests.factories import ChannelFactory, CircleFactory, MessageFactory
from tests.servers import asgi_server

from .conftest import member

pytestmark = [pytest.mark.browser, pytest.mark.crossprocess]

SHOTS = Path(os.environ.get("LEERKRING_SCREENSHOTS", "/work/screenshots/notify"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def inbox(transactional_db):
    circle = CircleFactory(name="Wonen en zorg", slug="wonen-en-zorg")
    channel = ChannelFactory(circle=circle, name="algemeen", slug="algemeen")
    official = member(circle, "anouk", "Anouk de Vries")
    expert = member(circle, "bram", "Bram Jansen")
    facilitator = member(circle, "carla", "Carla Smit")
    text = "Hoe regelen jullie de **overdracht** naar de wijkteams, @anouk? Wij lopen vast bij de privacyregels."
    message = MessageFactory(channel=channel, author=expert, body_source=text, body_html=render_markdown(text))
    notify(kind=NotificationKind.MENTION, recipients=[official], actor=expert, circle=circle, target=message,
           event_key=f"message:{message.pk}", data={"channel": channel.name}, url="/kringen/wonen-en-zorg/")
    notify(kind=NotificationKind.CASE_NEW, recipients=[official], actor=facilitator, circle=circle,
           event_key="demo-case-1", data={"title": "Beschermd wonen in de regio"})
    notify(kind=NotificationKind.CASE_NEW, recipients=[official], actor=facilitator, circle=circle,
           event_key="demo-case-2", data={"title": "Geheim"}, confidential=True)
    [read] = notify(kind=NotificationKind.JOIN_DECISION, recipients=[official], actor=facilitator, circle=circle,
                    event_key="join:1", data={"decision": "approved"})
    read.read_at = read.created_at
    read.save()
    saved_item_add(user=official, kind="message", object_id=message.pk)
    other = ChannelFactory(circle=CircleFactory(name="Jeugd", slug="jeugd"), name="casuistiek", slug="casuistiek")
    stranger = member(other.circle, "zoe", "Zoë Zorg")
    MessageFactory(channel=other, author=stranger, body_source="Geheime overdracht", body_html="<p>Geheime overdracht</p>")
    from casework import services as casework

    for title, confidential in (("Warme overdracht naar het wijkteam", False), ("Overdracht bij een gezin in crisis", True)):
        case = casework.case_create(author=expert, circle=circle, title=title, confidential=confidential,
                                    context="Bij de overdracht gaat informatie verloren.", question="Hoe doen jullie dat?")
        casework.case_move(actor=expert, case=case, to_phase="questions")
    for index in range(7):
        text = f"Tip {index}: leg de **overdracht** vast in het dossier, dan weet het wijkteam wat er speelt."
        MessageFactory(channel=channel, author=facilitator, body_source=text, body_html=render_markdown(text))
    client = Client()
    client.force_login(official)
    return client.cookies["sessionid"].value


@pytest.mark.parametrize("width", [1280, 390])
def test_notifications_and_saved_pages_fit_the_screen(inbox, width):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with asgi_server() as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="nl-NL")
        context.add_cookies([{"name": "sessionid", "value": inbox, "url": base}])
        page = context.new_page()
        errors = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        for path, name, heading in (("/meldingen/", "meldingen", "Meldingen"), ("/bewaard/", "bewaard", "Bewaard")):
            page.goto(base + path)
            assert page.locator("h1").inner_text() == heading
            page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} scrolls sideways at {width}px"
        page.goto(base + "/zoeken/?q=overdracht")
        assert page.get_by_role("heading", name="Berichten").is_visible()
        assert page.get_by_role("heading", name="Casussen").is_visible()
        assert page.get_by_text("Geheime overdracht").count() == 0
        page.screenshot(path=str(SHOTS / f"zoeken-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        page.goto(base + "/zoeken/?q=overdracht&type=messages")
        page.screenshot(path=str(SHOTS / f"zoeken-berichten-{width}.png"), full_page=True)
        page.goto(base + "/meldingen/")
        assert page.locator("[data-unread-count]").first.inner_text().startswith("5")
        page.get_by_role("button", name="Alles als gelezen markeren").click()
        assert page.get_by_text("Alle meldingen zijn als gelezen gemarkeerd.").is_visible()
        assert page.locator("[data-unread-count]").first.is_hidden()
        assert not [e for e in errors if "Content Security Policy" in e], errors
        browser.close()


def _notify_and_close(**kwargs):
    from django.db import connection

    try:
        notify(**kwargs)
    finally:
        connection.close()


@pytest.mark.scaleout  # the event crosses from this process to the server process through Redis
def test_badge_counts_up_live_when_a_notification_arrives(inbox):
    from playwright.sync_api import expect, sync_playwright

    from django.contrib.auth import get_user_model

    official = get_user_model().objects.get(username="anouk")
    expert = get_user_model().objects.get(username="bram")
    with asgi_server() as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(locale="nl-NL")
        context.add_cookies([{"name": "sessionid", "value": inbox, "url": base}])
        page = context.new_page()
        page.goto(base + "/bewaard/")
        badge = page.locator("[data-unread-count]").first
        assert badge.inner_text().startswith("5")
        page.wait_for_selector("body[data-notifications-live='open']", timeout=10_000)
        # Playwright's sync API runs an event loop in this thread: the ORM works in another one.
        worker = threading.Thread(
            target=_notify_and_close,
            kwargs={"kind": NotificationKind.JOIN_REQUEST, "recipients": [official.pk], "actor": expert.pk,
                    "event_key": "live-1"},
        )
        worker.start()
        worker.join()
        # A locator assertion, not wait_for_function: polling a string predicate needs eval, which the CSP forbids.
        expect(badge).to_have_text(re.compile(r"^\s*6"), timeout=10_000)
        browser.close()
