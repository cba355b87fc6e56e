"""Where focus lands after a form post (issue 13): on the flash message that says what was done,
or on the error summary / first error of a form that came back; never a yellow frame round the
whole main area. Every kind of page with a form: message, case, profile, event registration and
newsletter sign-up. The same demo site, server and browser fixtures as test_accessibility.py.
"""

import pytest

from tests.e2e.test_accessibility import (  # noqa: F401
    CHANNEL,
    CIRCLE,
    EVENT,
    browser,
    db,
    expert,
    member,
    member_context,
    open_page,
    screenshot,
    site,
    submit,
    visitor,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("db")]

FOCUS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const main = getComputedStyle(document.querySelector("main"));
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    name: el.getAttribute("name") || "",
    classes: [...el.classList],
    text: el.textContent.trim().replace(/\\s+/g, " "),
    role: el.getAttribute("role") || "",
    outline: style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth),
    shadow: style.boxShadow,
    inView: box.top >= 0 && box.top < window.innerHeight,
    mainFrame: main.boxShadow !== "none" || (main.outlineStyle !== "none" && parseFloat(main.outlineWidth) > 0),
  };
}"""


def focused(page, selector: str) -> dict:
    """The focused element once focus.js has moved focus to `selector`, and how it looks."""
    page.wait_for_function("(sel) => document.activeElement.matches(sel)", arg=selector, timeout=5_000)
    page.wait_for_timeout(500)  # the browser's own scroll to the URL's fragment comes late
    state = page.evaluate(FOCUS)
    assert page.evaluate("(sel) => document.activeElement.matches(sel)", selector), state
    return state


def assert_quiet_frame(state: dict) -> None:
    """A visible but sensible indicator: a thin dark outline, no yellow band, in view; main unframed."""
    assert 2 <= state["outline"] <= 4, state
    assert state["shadow"] == "none", state
    assert state["inView"], state
    assert not state["mainFrame"], state


def test_a_posted_message_focuses_the_flash_and_an_empty_one_the_field(member):
    open_page(member, CHANNEL)
    member.fill("form.lk-composer textarea", "Wie deelt zijn ervaringen met regionale inkoop?")
    submit(member, "form.lk-composer")
    state = focused(member, "main .lk-messages")
    assert state["role"] == "status" and "Je bericht is geplaatst." in state["text"]
    assert_quiet_frame(state)
    screenshot(member, "focus-message-posted")

    open_page(member, CHANNEL)
    submit(member, "form.lk-composer")
    state = focused(member, "form.lk-composer textarea")
    assert state["name"] == "body"
    assert not state["mainFrame"]
    # A screen reader reads the error with the field it describes.
    described = member.evaluate("""() => document.activeElement.getAttribute("aria-describedby").split(" ")
        .map((id) => document.getElementById(id).textContent).join(" ")""")
    assert "Een bericht kan niet leeg zijn." in described


def test_case_form_errors_focus_the_alert_and_a_saved_case_the_flash(member):
    open_page(member, f"{CIRCLE}casussen/nieuw/")
    submit(member, "main form.lk-form")
    state = focused(member, "main [role=alert]")
    assert "Controleer de velden die rood zijn gemarkeerd." in state["text"]
    assert_quiet_frame(state)
    screenshot(member, "focus-case-errors")
    # Tab goes on to the form, the first field with its error.
    member.keyboard.press("Tab")
    assert member.evaluate("document.activeElement.closest('form.lk-form') !== null")

    member.fill("main form.lk-form [name=title]", "Focus na het opslaan")
    member.fill("main form.lk-form [name=context]", "Een gemeente met drie wijkteams.")
    member.fill("main form.lk-form [name=question]", "Hoe verdelen we de casussen?")
    submit(member, "main form.lk-form")
    state = focused(member, "main .lk-messages")
    assert "opgeslagen als concept" in state["text"]
    assert_quiet_frame(state)


def test_profile_errors_focus_the_summary_and_a_saved_profile_the_flash(member):
    open_page(member, "/profiel/")
    name = member.input_value("input[name=display_name]")
    member.fill("input[name=display_name]", "")
    submit(member, "form.lk-form")
    state = focused(member, ".lk-error-summary")
    assert state["role"] == "alert" and "Dit is een verplicht veld." in state["text"]
    assert_quiet_frame(state)
    screenshot(member, "focus-profile-errors")

    member.fill("input[name=display_name]", name)
    submit(member, "form.lk-form")
    state = focused(member, "main .lk-messages")
    assert "Je profiel is opgeslagen." in state["text"]
    assert_quiet_frame(state)


def test_event_registration_focuses_its_errors_then_the_confirmation_not_a_frame_round_main(visitor):
    open_page(visitor, EVENT)
    visitor.fill("#aanmelden input[name=email]", "geen-adres")
    submit(visitor, "#aanmelden form")
    state = focused(visitor, "#aanmelden [role=alert]")
    assert_quiet_frame(state)
    screenshot(visitor, "focus-registration-errors")

    visitor.fill("#aanmelden input[name=name]", "Vera Bezoeker")
    visitor.fill("#aanmelden input[name=email]", "vera.focus@example.nl")
    visitor.fill("#aanmelden input[name=organisation]", "Gemeente Zwolle")
    visitor.fill("#aanmelden input[name=job_title]", "Beleidsmedewerker")
    submit(visitor, "#aanmelden form")
    assert visitor.url.endswith("#main")
    state = focused(visitor, "main .lk-messages")
    assert "Je bent aangemeld." in state["text"]
    assert_quiet_frame(state)
    screenshot(visitor, "focus-registration-done")


def test_newsletter_sign_up_focuses_its_error_then_the_confirmation(visitor):
    open_page(visitor, "/nieuwsbrief/")
    visitor.fill("main form input[name=email]", "geen-adres")
    submit(visitor, "main form")
    state = focused(visitor, "main [role=alert]")
    assert_quiet_frame(state)

    visitor.fill("main form input[name=email]", "lezer.focus@example.nl")
    submit(visitor, "main form")
    state = focused(visitor, "main .lk-messages")
    assert "lezer.focus@example.nl" in state["text"]
    assert_quiet_frame(state)
    screenshot(visitor, "focus-newsletter-done")


def test_main_reached_by_the_skip_link_has_no_yellow_frame(visitor):
    open_page(visitor, "/")
    visitor.keyboard.press("Tab")
    visitor.keyboard.press("Enter")
    state = focused(visitor, "main")
    assert not state["mainFrame"], state


# --- "Reageren" puts the reader in the reply box -------------------------------------------


def a_reply_in_the_thread(site):
    """A reply (not the thread's first message) in the demo thread, and its author's name."""
    from django.db import connection

    from communities.models import Message

    try:
        reply = Message.objects.filter(thread=site.thread, deleted_at=None, hidden_at=None).select_related("author__profile").order_by("-created_at").first()
        return reply.pk, reply.author.profile.display_name
    finally:
        connection.close()


@pytest.fixture
def thread_reply(site, django_db_blocker):
    with django_db_blocker.unblock():
        return a_reply_in_the_thread(site)


def test_reply_moves_focus_into_the_reply_box_with_what_it_answers(member, site, thread_reply):
    reply_id, author = thread_reply
    open_page(member, CHANNEL)
    link = member.locator(f"#message-{reply_id} > .lk-message__actions").get_by_role("link", name="Reageren op dit bericht")
    with member.expect_navigation():
        link.click()
    assert member.url.endswith(f"?antwoord={reply_id}#reageren")
    focused(member, "#reageren textarea")
    form = member.locator("#reageren")
    assert form.get_by_role("heading").inner_text() == f"Reageer op {author}"
    assert form.get_by_role("link", name="Ga naar het bericht waarop je reageert").is_visible()
    assert member.locator("#reageren input[name=parent]").input_value() == str(reply_id)
    screenshot(member, "focus-reply-box")

    # On the thread page itself: the same link again, after reading elsewhere, only scrolls;
    # focus follows it all the same.
    member.locator(f"#message-{site.thread.pk} .lk-message__author").first.focus()
    member.locator(f"#message-{reply_id} > .lk-message__actions").get_by_role("link", name="Reageren op dit bericht").click()
    focused(member, "#reageren textarea")

    # Typing goes straight into the box.
    member.keyboard.type("Dank je, dat helpt.")
    assert member.input_value("#reageren textarea").endswith("Dank je, dat helpt.")


def test_without_javascript_the_reply_link_lands_on_the_reply_form(browser, site, member_context, thread_reply):
    reply_id, _author = thread_reply
    context = browser.new_context(locale="nl-NL", base_url=site.base_url, java_script_enabled=False,
                                  storage_state=member_context.storage_state())
    try:
        page = context.new_page()
        open_page(page, CHANNEL)
        with page.expect_navigation():
            page.locator(f"#message-{reply_id} > .lk-message__actions").get_by_role("link", name="Reageren op dit bericht").click()
        # The fragment targets the form: the browser scrolls to it and Tab continues from there,
        # through its two context links, into the textarea.
        assert page.locator("form#reageren:target").count() == 1
        assert page.locator("#reageren textarea").is_visible()
        for _ in range(3):
            page.keyboard.press("Tab")
        assert page.locator("#reageren textarea:focus").count() == 1
    finally:
        context.close()
