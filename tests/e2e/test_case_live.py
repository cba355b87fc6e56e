"""One case through every phase with two people in two browsers: the owner moves it on, the
other member sees each phase change (and the feedback form appear) live, without a reload.

Real uvicorn process (tests/servers.py), the real case page and static/js/case-live.js in
Debian's Chromium, the /ws/ consumer's `subscribe_case`.
"""

import os

import pytest
from django.test import Client

from casework import services
from casework.models import Case
from communities.models import Membership
from tests.factories import CircleFactory, MembershipFactory, UserFactory
from tests.servers import asgi_server

pytestmark = pytest.mark.browser

SCREENSHOTS = "/work/screenshots/casework"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
PHASES = [("questions", "Verhelderende vragen"), ("advice", "Advies"), ("reflection", "Reflectie"), ("concluded", "Afgerond")]


def session_key(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.fixture
def consultation(transactional_db):
    circle = CircleFactory(name="Slim samenwerken", slug="slim-samenwerken")
    anouk = MembershipFactory(circle=circle, user=UserFactory(username="anouk", profile__display_name="Anouk Ambtenaar")).user
    cor = MembershipFactory(circle=circle, user=UserFactory(username="cor", profile__display_name="Cor Collega"),
                            role=Membership.Role.MEMBER).user
    case = services.case_create(
        author=anouk, circle=circle, title="Kostenverdeling jeugdzorg in de regio",
        context="Zes gemeenten kopen samen jeugdzorg in.", question="Hoe houden we iedereen aan boord?",
    )
    return {"case": case, "anouk": session_key(anouk), "cor": session_key(cor)}


@pytest.fixture
def chromium(monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop in this thread
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def page_for(browser, base_url: str, key: str):
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": key, "url": base_url}])
    return context.new_page()


def live(page, case_id: int, action):
    """Do `action` (which loads the case page) and wait until case-live.js is subscribed."""
    with page.expect_websocket() as opened:
        action()
    opened.value.wait_for_event(
        "framereceived", lambda frame: '"subscribed"' in str(frame) and f'"case": {case_id}' in str(frame), timeout=10_000
    )


def test_the_other_member_sees_every_phase_change_live(consultation, chromium):
    case: Case = consultation["case"]
    # No database work from here on: under Playwright's loop Django would open a second
    # connection, which keeps the test database from being dropped on the scale-out lane.
    with asgi_server() as base_url:
        url = base_url + case.get_absolute_url()
        owner = page_for(chromium, base_url, consultation["anouk"])
        live(owner, case.pk, lambda: owner.goto(url))  # the owner follows her own draft
        live(owner, case.pk, lambda: owner.get_by_role("button", name="Delen met de kring").click())

        member = page_for(chromium, base_url, consultation["cor"])
        live(member, case.pk, lambda: member.goto(url))
        member.evaluate("window.lkNotReloaded = true")
        pill = member.locator(".lk-case-header .lk-pill")
        assert pill.inner_text() == "Verhelderende vragen"

        for phase, label in PHASES[1:]:
            live(owner, case.pk, lambda: owner.get_by_role("button", name=f"Door naar: {label.lower()}").click())
            member.locator(f'.lk-case[data-phase="{phase}"]').wait_for(timeout=10_000)
            assert pill.inner_text() == label
            assert label in member.locator('[aria-current="step"]').inner_text()
            assert member.locator("[data-live-announcer]").inner_text() == f"De casus is nu in de fase: {label}."
            assert member.evaluate("window.lkNotReloaded") is True
            if phase == "advice":
                # the feedback form appeared live; the member uses it, and the owner sees it arrive
                member.get_by_label("Je feedback").fill("Werk met een solidariteitsbodem.")
                live(member, case.pk, lambda: member.get_by_role("button", name="Feedback plaatsen").click())
                owner.locator(".lk-feedback", has_text="Werk met een solidariteitsbodem.").wait_for(timeout=10_000)
                member.evaluate("window.lkNotReloaded = true")  # posting the form was a page load of its own

        os.makedirs(SCREENSHOTS, exist_ok=True)
        member.screenshot(path=f"{SCREENSHOTS}/live-concluded-member.png", full_page=True)
        for page in (owner, member):
            page.context.close()  # sockets closed before the server stops
