"""The "Partner worden" form and the contact person's inbox in a real browser, at desktop and phone width.

Checks the live fee (static/js/partner-fee.js) under the strict CSP and that nothing scrolls sideways;
saves screenshots for review under /work/screenshots/partners/ (LEERKRING_SCREENSHOTS overrides).
"""

import datetime
import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from partners import services
from partners.models import KnowledgeQuestion
from tests.servers import asgi_server

from .factories import ask, fixed_contact, network, organisation, partner_pages, person

pytestmark = [
    pytest.mark.browser,
    pytest.mark.crossprocess,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(os.environ.get("LEERKRING_SCREENSHOTS", "/work/screenshots/partners"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture
def site():
    pmg = network("pmg", "PMG", "Platform Middelgrote Gemeenten")
    g32 = network("g32", "G32", "G32-stedennetwerk")
    _index, application_page, _faq = partner_pages(discounts=[(pmg, 1250), (g32, 500)])
    veenendaal = organisation("Veenendaal", networks=[pmg])
    editor = person("rosa", "Rosa Redacteur", "Programmabureau Leerkring", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    fixed_contact(editor, veenendaal)
    official = person("anouk", "Anouk Ambtenaar", "Gemeente Veenendaal")
    old = ask(official, title="Armoedeaanpak voor werkende huishoudens", theme="poverty")
    moment = timezone.now() - datetime.timedelta(days=9)
    KnowledgeQuestion.objects.filter(pk=old.pk).update(created_at=moment, waiting_since=moment)
    busy = ask(official, title="Leegstand in de binnenstad aanpakken met een transformatiefonds?", urgency="high")
    services.question_request_info(actor=editor, question=busy, body="Om welke panden gaat het?")
    ask(person("nina", "Nina Nieuw"), title="Samenwerken met zorgaanbieders in de wijk", theme="care")
    client = Client()
    client.force_login(editor)
    return {"url": application_page.url, "editor_session": client.cookies["sessionid"].value}


@pytest.mark.parametrize("width", [1280, 390])
def test_live_fee_and_inbox_fit_the_screen(site, width):
    from playwright.sync_api import expect, sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with asgi_server() as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="nl-NL")
        page = context.new_page()
        errors = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

        page.goto(base + site["url"])
        total = page.locator("[data-fee-total]")
        expect(total).to_have_text("€ 5.000")
        expect(page.get_by_role("button", name="Bijdrage berekenen")).to_be_hidden()
        page.get_by_label("G32 – G32-stedennetwerk").check()
        expect(total).to_have_text("€ 4.500")
        page.get_by_label("PMG – Platform Middelgrote Gemeenten").check()
        expect(total).to_have_text("€ 3.750")
        expect(page.locator("[data-fee-discount-label]")).to_have_text("Korting voor leden van PMG")
        page.get_by_label("Gemeente of organisatie").fill("Gemeente Amersfoort")
        page.locator("#application-heading").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"partner-worden-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        page.get_by_label("PMG – Platform Middelgrote Gemeenten").uncheck()
        page.get_by_label("G32 – G32-stedennetwerk").uncheck()
        expect(total).to_have_text("€ 5.000")
        expect(page.locator("[data-fee-discount-row]")).to_be_hidden()

        context.add_cookies([{"name": "sessionid", "value": site["editor_session"], "url": base}])
        page.goto(base + "/kennisvragen/inbox/")
        expect(page.locator("h1")).to_have_text("Inbox kennisvragen")
        expect(page.get_by_text("Niet opgepakt binnen 5 werkdagen")).to_be_visible()
        page.screenshot(path=str(SHOTS / f"inbox-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        assert errors == []
        browser.close()
