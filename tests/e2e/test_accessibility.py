"""Accessibility audit (issue: production readiness): axe-core over the key pages, a keyboard-only
walk from signing in to posting a reply, and form errors linked to their fields.

One uvicorn process and one Chromium serve the whole module: the demo site is seeded once
(seed_demo, as `make run` does) and the database is put back as it was afterwards, like a
TransactionTestCase with serialized rollback. Pages are fetched in Dutch (locale nl-NL).
"""

import os
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

from tests.servers import asgi_server

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("db")]

SCREENSHOTS = "/work/screenshots/a11y"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
MEMBER_EMAIL = "ambtenaar@demo.leerkring.example"  # Anouk Ambtenaar, member of "Slim samenwerken"
EXPERT_EMAIL = "expert@demo.leerkring.example"  # Esther Expert, expert in the same circle
PASSWORD = "leerkring-demo"
CIRCLE = "/kringen/slim-samenwerken/"
CHANNEL = CIRCLE + "kanalen/algemeen/"
EVENT = "/agenda/expertmeeting-toekomstperspectief-middelgrote-gemeenten/"
BLOCKING = ("serious", "critical")


# --- One site, one server, one browser for the module -----------------------------------------


def _ensure_wagtail_root():
    """Wagtail's root page and default site come from migrations; a flushed database lacks them."""
    from wagtail.models import Collection, Page, Site

    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    if not Site.objects.exists():
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        Site.objects.create(hostname="localhost", port=80, root_page=root, is_default_site=True)


def _restore(saved: str) -> None:
    """Empty the database and load what it held before the module (serialized rollback)."""
    from django.apps import apps

    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    connection.creation.deserialize_db_from_string(saved)
    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


@pytest.fixture
def db():
    """Replaces pytest-django's `db` in this module. Its name makes pytest-django create the test
    database; the data itself is committed once by `site` (below) instead of being wrapped in a
    transaction per test, which the server process could not see (and which, on SQLite, would
    hold the write lock the server needs)."""


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """The demo site, committed and served by a real uvicorn process."""
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls in this
    # module are plain sync code that Django would otherwise refuse there.
    with pytest.MonkeyPatch.context() as patch, django_db_blocker.unblock():
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        saved = connection.creation.serialize_db_to_string()
        try:
            _ensure_wagtail_root()
            call_command("seed_demo", stdout=StringIO())
            from casework.models import Case
            from communities.demo_users import demo_user
            from communities.models import Channel, Message

            channel = Channel.objects.get(circle__slug="slim-samenwerken", slug="algemeen")
            facts = SimpleNamespace(
                channel=channel,
                member=demo_user("member"),
                expert=demo_user("expert"),
                thread=Message.objects.filter(channel=channel, parent=None).order_by("-last_activity_at").first(),
                # The demo's case in the advice phase (Anouk's own) and the one in reflection.
                case_in_advice=Case.objects.get(circle=channel.circle, phase="advice"),
                case_in_reflection=Case.objects.get(circle=channel.circle, phase="reflection"),
            )
            with asgi_server() as base_url:
                facts.base_url = base_url
                yield facts
        finally:
            _restore(saved)


@pytest.fixture(scope="module")
def browser(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def visitor(browser, site):
    context = browser.new_context(locale="nl-NL", base_url=site.base_url)
    yield context.new_page()
    context.close()


def logged_in_context(browser, site, email):
    context = browser.new_context(locale="nl-NL", base_url=site.base_url)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "/accounts/login/" not in page.url, f"{email} could not log in"
    page.close()
    return context


@pytest.fixture(scope="module")
def member_context(browser, site):
    """Anouk Ambtenaar, logged in through the login form once for the module."""
    context = logged_in_context(browser, site, MEMBER_EMAIL)
    yield context
    context.close()


@pytest.fixture
def member(member_context):
    page = member_context.new_page()
    yield page
    page.close()


@pytest.fixture
def expert(browser, site):
    context = logged_in_context(browser, site, EXPERT_EMAIL)
    yield context.new_page()
    context.close()


def screenshot(page, name: str) -> None:
    os.makedirs(SCREENSHOTS, exist_ok=True)
    page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def blocking_violations(axe, page) -> list[str]:
    """axe-core's serious and critical violations, one readable line per failing element."""
    results = axe.run(page)
    lines = []
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING:
            for node in violation["nodes"]:
                lines.append(f"{violation['impact']} {violation['id']} ({violation['help']}): {node['target']}")
    return lines


def open_page(page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path} answered {response and response.status}"


# --- axe-core over the key pages --------------------------------------------------------------

PUBLIC_PAGES = {
    "home": "/",
    "programme": "/programmas/midsize-nl/",
    "event-with-registration": EVENT,
    "login": "/accounts/login/",
    "signup": "/accounts/signup/",
}

MEMBER_PAGES = {
    "circle-list": "/kringen/",
    "circle-home": CIRCLE,
    "channel": CHANNEL,
    "own-profile": "/profiel/",
}


@pytest.mark.parametrize("path", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_public_page_has_no_serious_axe_violations(visitor, axe, path):
    open_page(visitor, path)
    assert blocking_violations(axe, visitor) == []


@pytest.mark.parametrize("path", MEMBER_PAGES.values(), ids=MEMBER_PAGES.keys())
def test_member_page_has_no_serious_axe_violations(member, axe, path):
    open_page(member, path)
    assert blocking_violations(axe, member) == []


def test_case_pages_have_no_serious_axe_violations(member, expert, axe, site):
    cases = f"{CIRCLE}casussen/"
    open_page(member, cases)
    assert blocking_violations(axe, member) == []
    # The owner's view of a case in the advice phase, a member's view of one in reflection.
    open_page(member, f"{cases}{site.case_in_advice.pk}/")
    assert member.locator("h1").inner_text() == site.case_in_advice.title
    assert blocking_violations(axe, member) == []
    open_page(member, f"{cases}{site.case_in_reflection.pk}/")
    assert blocking_violations(axe, member) == []
    # An expert's view, with the expert feedback form; and the form to bring in a case.
    open_page(expert, f"{cases}{site.case_in_advice.pk}/")
    assert expert.get_by_role("heading", name="Geef expertfeedback").is_visible()
    assert blocking_violations(axe, expert) == []
    open_page(member, f"{cases}nieuw/")
    assert blocking_violations(axe, member) == []
    screenshot(expert, "case-expert")


def test_thread_and_member_profile_have_no_serious_axe_violations(member, axe, site):
    open_page(member, f"{CHANNEL}{site.thread.pk}/?antwoord={site.thread.pk}#reageren")
    assert member.locator("#reageren textarea").is_visible()
    assert blocking_violations(axe, member) == []
    open_page(member, f"/leden/{site.expert.pk}/")
    assert "Esther Expert" in member.locator("h1").inner_text()
    assert blocking_violations(axe, member) == []


# --- Keyboard only ----------------------------------------------------------------------------

FOCUS_STATE = """(previous) => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  const shadow = style.boxShadow && style.boxShadow !== "none";
  const before = window.__lkFocused;
  const forward = !before || !document.contains(before)
    || Boolean(before.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
  window.__lkFocused = el;
  return {
    tag: el.tagName.toLowerCase(),
    name: el.getAttribute("name") || "",
    text: (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().replace(/\\s+/g, " ").slice(0, 60),
    href: el.getAttribute("href") || "",
    visible: box.width > 0 && box.height > 0,
    indicator: outline || Boolean(shadow),
    forward,
  };
}"""


class KeyboardWalk:
    """Moves focus with Tab only and checks every stop: visible, with a visible focus indicator,
    and further down the page than the stop before (focus order follows reading order)."""

    def __init__(self, page):
        self.page = page
        self.stops: list[dict] = []

    def new_page(self):
        self.page.evaluate("window.__lkFocused = null")
        positive = self.page.locator("[tabindex]:not([tabindex='0']):not([tabindex='-1'])").count()
        assert positive == 0, f"{self.page.url}: a positive tabindex disturbs the focus order"

    def tab_to(self, selector: str, *, limit: int = 80) -> dict:
        target = self.page.locator(selector).first
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            state = self.page.evaluate(FOCUS_STATE)
            assert state is not None, f"{self.page.url}: Tab left the page after {self.stops[-1:]}"
            self.stops.append(state)
            where = f"{self.page.url}: focus on {state['tag']} {state['text']!r} {state['href']}"
            assert state["visible"], f"{where} is not visible"
            assert state["indicator"], f"{where} has no visible focus indicator"
            assert state["forward"], f"{where} jumps back up the page"
            if target.evaluate("el => el === document.activeElement"):
                return state
        raise AssertionError(f"{self.page.url}: {selector} not reached in {limit} Tabs; stops: {self.stops[-10:]}")

    def enter(self, *, navigates: bool = True):
        if navigates:
            with self.page.expect_navigation():
                self.page.keyboard.press("Enter")
            self.new_page()
        else:
            self.page.keyboard.press("Enter")


def test_keyboard_only_sign_in_open_a_channel_and_post_a_reply(browser, site, django_db_blocker):
    context = browser.new_context(locale="nl-NL", base_url=site.base_url)
    page = context.new_page()
    walk = KeyboardWalk(page)
    try:
        page.goto("/accounts/login/")
        walk.new_page()
        # The skip link comes first and is visible when focused.
        first = walk.tab_to("a.lk-skip-link", limit=1)
        assert first["text"] == "Naar de inhoud"

        walk.tab_to("input[name=login]")
        page.keyboard.type(MEMBER_EMAIL)
        walk.tab_to("input[name=password]", limit=3)
        page.keyboard.type(PASSWORD)
        walk.tab_to("main form button[type=submit]", limit=3)
        walk.enter()
        assert page.url == site.base_url + "/"
        assert page.locator(".lk-header").get_by_role("button", name="Uitloggen").is_visible()
        # Focus is on the message that says so (focus.js); Tab goes on into the page.
        page.wait_for_function("document.activeElement.matches('main .lk-messages')")
        page.evaluate("window.__lkFocused = document.activeElement")

        walk.tab_to("main a[href='/kringen/']")
        walk.enter()
        walk.tab_to(f"main a[href='{CIRCLE}']")
        walk.enter()
        walk.tab_to(f"main .lk-channel-overview a[href='{CHANNEL}']")
        walk.enter()
        assert page.locator("h1").inner_text().startswith("#")

        thread = site.thread
        walk.tab_to(f"#message-{thread.pk} .lk-message__actions a[href$='?antwoord={thread.pk}#reageren']", limit=150)
        walk.enter()
        assert "#reageren" in page.url
        # Following the link to #reageren puts focus in the reply box.
        page.wait_for_function("document.activeElement.matches('#reageren textarea')")
        page.evaluate("window.__lkFocused = document.activeElement")
        page.keyboard.type("Goed punt. Wij zetten dit op de agenda van het regio-overleg.")
        walk.tab_to("#reageren button[type=submit]", limit=2)
        walk.enter()

        reply = page.locator(
            f"#thread-{thread.pk} .lk-message:has(> .lk-message__body:has-text('Wij zetten dit op de agenda'))"
        )
        reply.wait_for(timeout=10_000)
        assert reply.locator("> header .lk-message__author").inner_text() == "Anouk Ambtenaar"
        screenshot(page, "keyboard-reply")
    finally:
        context.close()

    with django_db_blocker.unblock():
        from communities.models import Message

        try:
            posted = Message.objects.get(body_source__startswith="Goed punt. Wij zetten dit")
        finally:
            # While Playwright runs, this code has a context of its own and thereby a
            # database connection of its own: close it, or it outlives the test database.
            connection.close()
        assert (posted.author_id, posted.channel_id, posted.thread_id_or_self) == (
            site.member.pk, site.channel.pk, thread.pk,
        )
    assert len(walk.stops) > 10


# --- Form errors linked to their fields ---------------------------------------------------------

LINKS = """(root) => {
  const scope = document.querySelector(root);
  const text = (id) => { const el = document.getElementById(id); return el ? el.textContent.trim() : null; };
  const isError = (id) => Boolean(document.getElementById(id)?.matches(".lk-field__error"));
  const invalid = [...scope.querySelectorAll("[aria-invalid='true']")].map((control) => {
    const ids = (control.getAttribute("aria-describedby") || "").split(/\\s+/).filter(Boolean);
    return {field: control.name, errors: ids.filter(isError).map(text),
            dangling: ids.filter((id) => text(id) === null)};
  });
  const described = new Set([...scope.querySelectorAll("[aria-describedby]")]
    .flatMap((el) => el.getAttribute("aria-describedby").split(/\\s+/)));
  const unlinked = [...scope.querySelectorAll(".lk-field__error")]
    .filter((error) => !error.id || !described.has(error.id)).map((error) => error.textContent.trim());
  const summary = [...scope.querySelectorAll(".lk-error-summary a[href^='#']")]
    .map((a) => ({text: a.textContent.trim(), target: Boolean(document.getElementById(a.hash.slice(1)))}));
  return {invalid, unlinked, summary};
}"""


def assert_errors_linked(page, form: str, expected: dict[str, str]) -> None:
    """Every field in `expected` is aria-invalid and described by an error that says the text;
    no error message on the page is left without its field."""
    links = page.evaluate(LINKS, form)
    by_field = {item["field"]: item for item in links["invalid"]}
    assert set(by_field) == set(expected), by_field
    for field, text in expected.items():
        assert by_field[field]["dangling"] == [], f"{field}: aria-describedby names missing elements"
        assert len(by_field[field]["errors"]) == 1, f"{field}: no error linked through aria-describedby"
        assert text in by_field[field]["errors"][0]
    assert links["unlinked"] == []
    assert all(link["target"] for link in links["summary"]), links["summary"]


def submit(page, form: str) -> None:
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").last.click()


def test_signup_errors_are_linked_to_their_fields(visitor, axe):
    open_page(visitor, "/accounts/signup/")
    submit(visitor, "main form")
    assert visitor.title().startswith("Fout:")
    assert_errors_linked(visitor, "main form", {
        "display_name": "Dit is een verplicht veld.",
        "email": "Dit is een verplicht veld.",
        "password1": "Dit is een verplicht veld.",
        "password2": "Dit is een verplicht veld.",
    })
    assert blocking_violations(axe, visitor) == []
    screenshot(visitor, "errors-signup")


def test_login_error_is_announced(visitor, axe):
    open_page(visitor, "/accounts/login/")
    visitor.fill("input[name=login]", MEMBER_EMAIL)
    visitor.fill("input[name=password]", "niet-mijn-wachtwoord")
    submit(visitor, "main form")
    alert = visitor.locator("main [role=alert]")
    assert "Het e-mailadres of het wachtwoord klopt niet." in alert.inner_text()
    assert blocking_violations(axe, visitor) == []


def test_event_registration_errors_are_linked_to_their_fields(visitor, axe):
    open_page(visitor, EVENT)
    visitor.fill("#aanmelden input[name=email]", "geen-adres")
    submit(visitor, "#aanmelden form")
    assert_errors_linked(visitor, "#aanmelden form", {
        "name": "Vul je naam in.",
        "email": "e-mailadres",
        "organisation": "Vul de organisatie in waar je werkt.",
        "job_title": "Vul je functie in.",
    })
    assert blocking_violations(axe, visitor) == []
    screenshot(visitor, "errors-registration")


def test_message_composer_errors_are_linked_to_their_fields(member, axe, site):
    open_page(member, CHANNEL)
    submit(member, "form.lk-composer")
    assert_errors_linked(member, "form.lk-composer", {"body": "Een bericht kan niet leeg zijn."})
    assert blocking_violations(axe, member) == []

    open_page(member, f"{CHANNEL}{site.thread.pk}/?antwoord={site.thread.pk}#reageren")
    member.fill("#reageren textarea", "   ")
    submit(member, "#reageren")
    assert_errors_linked(member, "#reageren", {"body": "Een bericht kan niet leeg zijn."})
    assert blocking_violations(axe, member) == []
    screenshot(member, "errors-reply")


def test_case_form_errors_are_linked_to_their_fields(member, expert, axe, site):
    cases = f"{CIRCLE}casussen/"
    open_page(member, f"{cases}nieuw/")
    submit(member, "main form.lk-form")
    assert_errors_linked(member, "main form.lk-form", {
        "title": "Geef je casus een titel.",
        "context": "Beschrijf de context van je casus.",
        "question": "Schrijf je vraag aan de kring op.",
    })
    assert "Controleer de velden die rood zijn gemarkeerd." in member.locator("main [role=alert]").first.inner_text()
    assert blocking_violations(axe, member) == []

    feedback = f"form[action$='/casussen/{site.case_in_advice.pk}/feedback/']"
    open_page(expert, f"{cases}{site.case_in_advice.pk}/")
    submit(expert, feedback)
    assert_errors_linked(expert, feedback, {
        "analysis": "Vul je analyse in.",
        "approach": "Vul de voorgestelde aanpak in.",
        "risks": "Vul de risico's in.",
    })
    assert blocking_violations(axe, expert) == []
    screenshot(expert, "errors-expert-feedback")


def test_profile_errors_are_linked_to_their_fields(member, axe):
    open_page(member, "/profiel/")
    member.fill("input[name=display_name]", "")
    submit(member, "form.lk-form")
    assert member.title().startswith("Fout:")
    assert_errors_linked(member, "form.lk-form", {"display_name": "Dit is een verplicht veld."})
    # The summary at the top links to the field.
    summary = member.locator(".lk-error-summary a[href='#id_display_name']")
    assert "Dit is een verplicht veld." in summary.inner_text()
    assert blocking_violations(axe, member) == []
    screenshot(member, "errors-profile")
