"""The status machine of a knowledge question: every step, from every status, by whom (via the API).

new → in progress → answered / forwarded → closed. A step the machine does not allow answers 409
with the reason; a step that is not yours answers 403; nothing is stored when a step is refused.
"""

import pytest
from django.core import mail

from partners import services

from .factories import ask

NEW, IN_PROGRESS, ANSWERED, FORWARDED, CLOSED = "new", "in_progress", "answered", "forwarded", "closed"
STATUSES = [NEW, IN_PROGRESS, ANSWERED, FORWARDED, CLOSED]
REASONS = {
    "is_closed": "Deze vraag is gesloten; er kan niets meer aan veranderen.",
    "already_in_progress": "Deze vraag is al in behandeling.",
    "answered_handler": "Deze vraag is al beantwoord; je kunt hem alleen nog sluiten.",
    "answered_member": "Deze vraag is al beantwoord. Stel een nieuwe vraag als er nog iets onduidelijk is.",
    "close": "Alleen een vraag die is beantwoord of doorgestuurd kan worden gesloten.",
}

# step: (taken by, {status before: status after, or the reason it is refused with 409})
MACHINE = {
    "pick_up": ("handler", {NEW: IN_PROGRESS, IN_PROGRESS: "already_in_progress", ANSWERED: "answered_handler",
                            FORWARDED: IN_PROGRESS, CLOSED: "is_closed"}),
    "request_info": ("handler", {NEW: IN_PROGRESS, IN_PROGRESS: IN_PROGRESS, ANSWERED: "answered_handler",
                                 FORWARDED: IN_PROGRESS, CLOSED: "is_closed"}),
    "answer": ("handler", {NEW: ANSWERED, IN_PROGRESS: ANSWERED, ANSWERED: "answered_handler",
                           FORWARDED: ANSWERED, CLOSED: "is_closed"}),
    "forward_colleague": ("handler", {NEW: FORWARDED, IN_PROGRESS: FORWARDED, ANSWERED: "answered_handler",
                                      FORWARDED: FORWARDED, CLOSED: "is_closed"}),
    "add_info": ("member", {NEW: NEW, IN_PROGRESS: IN_PROGRESS, ANSWERED: "answered_member",
                            FORWARDED: FORWARDED, CLOSED: "is_closed"}),
    "consent": ("member", {NEW: NEW, IN_PROGRESS: IN_PROGRESS, ANSWERED: "answered_member",
                           FORWARDED: FORWARDED, CLOSED: "is_closed"}),
    "close": ("member", {NEW: "close", IN_PROGRESS: "close", ANSWERED: CLOSED, FORWARDED: CLOSED, CLOSED: "is_closed"}),
}
CASES = [(step, before) for step, (_who, outcomes) in MACHINE.items() for before in STATUSES]


@pytest.fixture
def question_in(official, contact, editor, facilitator):
    """A question of Anouk's in the given status, with whoever handles it then."""

    def make(status):
        question = ask(official)
        handler = editor
        if status == IN_PROGRESS:
            services.question_pick_up(actor=editor, question=question)
        elif status in (ANSWERED, CLOSED):
            services.question_answer(actor=editor, question=question, body="Kijk eens naar de aanpak van Zeist.")
        elif status == FORWARDED:
            services.question_forward_to_colleague(actor=editor, question=question, colleague=facilitator)
            handler = facilitator
        if status == CLOSED:
            services.question_close(actor=official, question=question)
        question.refresh_from_db()
        assert question.status == status
        return question, handler

    return make


def payload(step, colleague):
    return {
        "pick_up": {},
        "request_info": {"body": "Om welke wijk gaat het?"},
        "answer": {"body": "Twee gemeenten hebben dit gedaan."},
        "forward_colleague": {"colleague": colleague.pk},
        "add_info": {"body": "Het gaat om de binnenstad."},
        "consent": {},
        "close": {},
    }[step]


@pytest.mark.parametrize(("step", "before"), CASES, ids=[f"{s}-from-{b}" for s, b in CASES])
def test_each_step_from_each_status(client, question_in, official, second_editor, step, before):
    question, handler = question_in(before)
    who, outcomes = MACHINE[step]
    client.force_login(handler if who == "handler" else official)
    events_before = question.events.count()

    response = client.post(
        f"/api/v1/knowledge-questions/{question.pk}/actions",
        {"action": step, **payload(step, second_editor)},
        content_type="application/json",
    )

    outcome = outcomes[before]
    question.refresh_from_db()
    if outcome in STATUSES:
        assert response.status_code in (200, 204), response.content
        assert question.status == outcome
        assert question.events.count() > events_before
    else:
        assert response.status_code == 409
        assert response.json() == {"detail": REASONS[outcome], "code": "transition_not_allowed"}
        assert question.status == before
        assert question.events.count() == events_before


@pytest.mark.parametrize("step", ["pick_up", "request_info", "answer", "forward_colleague"])
def test_the_member_cannot_take_the_handlers_steps(client, question_in, official, second_editor, step):
    question, _handler = question_in(NEW)
    client.force_login(official)
    response = client.post(f"/api/v1/knowledge-questions/{question.pk}/actions",
                           {"action": step, **payload(step, second_editor)}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Alleen wie deze vraag behandelt, kan dit doen."


@pytest.mark.parametrize("step", ["add_info", "consent"])
def test_the_handler_cannot_take_the_members_steps(client, question_in, editor, second_editor, step):
    question, _handler = question_in(NEW)
    client.force_login(editor)
    response = client.post(f"/api/v1/knowledge-questions/{question.pk}/actions",
                           {"action": step, **payload(step, second_editor)}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Alleen wie deze vraag heeft gesteld, kan dit doen."


def test_the_handler_may_close_an_answered_question_too(question_in, editor):
    question, _ = question_in(ANSWERED)
    assert services.question_close(actor=editor, question=question).status == CLOSED


def test_an_editor_who_is_not_the_handler_sees_but_cannot_answer(client, question_in, second_editor):
    question, _ = question_in(NEW)
    client.force_login(second_editor)
    assert client.get(f"/api/v1/knowledge-questions/{question.pk}").status_code == 200
    response = client.post(f"/api/v1/knowledge-questions/{question.pk}/actions",
                           {"action": "answer", "body": "Ik weet het!"}, content_type="application/json")
    assert response.status_code == 403


def test_after_forwarding_to_a_colleague_only_the_colleague_handles_it(client, question_in, editor, facilitator):
    question, handler = question_in(FORWARDED)
    assert handler == facilitator
    with pytest.raises(services.questions.NotAllowed):
        services.question_answer(actor=editor, question=question, body="Toch ik")
    services.question_answer(actor=facilitator, question=question, body="Ik neem het over.")
    question.refresh_from_db()
    assert (question.status, question.assignee) == (ANSWERED, facilitator)


def test_a_shared_inbox_question_is_picked_up_by_any_editor_who_then_handles_it(
    official_without_organisation, editor, second_editor
):
    question = ask(official_without_organisation)
    assert question.assignee is None
    services.question_pick_up(actor=second_editor, question=question)
    question.refresh_from_db()
    assert question.assignee == second_editor
    with pytest.raises(services.questions.NotAllowed):
        services.question_answer(actor=editor, question=question, body="Ik ook")


def test_a_plain_member_cannot_pick_up_a_shared_inbox_question(official_without_organisation, official):
    question = ask(official_without_organisation)
    with pytest.raises(services.questions.NotFound):
        services.question_pick_up(actor=official, question=question)


def test_the_history_shows_every_transition_with_who_and_what(question_in, official, editor):
    question, _ = question_in(NEW)
    services.question_request_info(actor=editor, question=question, body="Welke wijk?")
    services.question_add_info(actor=official, question=question, body="De binnenstad.")
    services.question_answer(actor=editor, question=question, body="Kijk naar Zeist.")
    services.question_close(actor=official, question=question)

    history = [(e.actor, e.kind, e.from_status, e.to_status, e.body) for e in question.events.all()]
    assert history == [
        (official, "asked", NEW, NEW, ""),
        (editor, "picked_up", NEW, IN_PROGRESS, ""),
        (editor, "info_requested", IN_PROGRESS, IN_PROGRESS, "Welke wijk?"),
        (official, "info_added", IN_PROGRESS, IN_PROGRESS, "De binnenstad."),
        (editor, "answered", IN_PROGRESS, ANSWERED, "Kijk naar Zeist."),
        (official, "closed", ANSWERED, CLOSED, ""),
    ]


def test_the_member_is_emailed_at_every_step_of_the_handler(question_in, official, editor, facilitator, committed):
    question, _ = question_in(NEW)
    mail.outbox.clear()
    with committed():
        services.question_pick_up(actor=editor, question=question)
    with committed():
        services.question_request_info(actor=editor, question=question, body="Welke wijk?")
    with committed():
        services.question_forward_to_colleague(actor=editor, question=question, colleague=facilitator, note="Jij weet dit")
    with committed():
        services.question_answer(actor=facilitator, question=question, body="Zo doe je dat.")
    with committed():
        services.question_close(actor=facilitator, question=question)

    to_member = [m.subject for m in mail.outbox if m.to == [official.email]]
    title = question.title
    assert to_member == [
        f"Je vraag is in behandeling: {title}",
        f"Meer informatie nodig voor je vraag: {title}",
        f"Je vraag is doorgegeven aan een collega: {title}",
        f"Je vraag is beantwoord: {title}",
        f"Je vraag is gesloten: {title}",
    ]
    answer_mail = [m for m in mail.outbox if m.subject.startswith("Je vraag is beantwoord")][0]
    assert "Bram Begeleider heeft je vraag beantwoord:" in answer_mail.body
    assert "Zo doe je dat." in answer_mail.body
    assert [m.subject for m in mail.outbox if m.to == [facilitator.email]] == [
        f"Er is een vraag aan je doorgestuurd: {title}"]


def test_steps_on_the_page_refused_by_the_machine_answer_409_with_the_reason(client, question_in, official):
    question, _ = question_in(IN_PROGRESS)
    client.force_login(official)
    response = client.post(f"/kennisvragen/{question.pk}/sluiten/")
    assert response.status_code == 409
    assert "Alleen een vraag die is beantwoord of doorgestuurd kan worden gesloten." in response.content.decode()


def test_the_page_shows_only_the_steps_the_user_may_take(client, question_in, official, editor):
    question, _ = question_in(NEW)
    client.force_login(editor)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Deze vraag oppakken" in page and "Antwoord versturen" in page and "Vraag sluiten" not in page
    client.force_login(official)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Antwoord versturen" not in page and "Aanvulling versturen" in page


def test_answering_on_the_page(client, question_in, editor, official, committed):
    question, _ = question_in(NEW)
    client.force_login(editor)
    with committed():
        response = client.post(f"/kennisvragen/{question.pk}/antwoorden/", {"answer-body": "Kijk naar Zeist."}, follow=True)
    assert "Je antwoord is naar het lid gestuurd." in response.content.decode()
    question.refresh_from_db()
    assert question.status == ANSWERED

    empty = client.post(f"/kennisvragen/{question.pk}/meer-informatie/", {"info-body": ""})
    assert empty.status_code == 409  # answered: the step is gone, whatever the input

    other, _ = question_in(NEW)
    empty = client.post(f"/kennisvragen/{other.pk}/antwoorden/", {"answer-body": "  "})
    assert empty.status_code == 400
    assert "Schrijf een bericht." in empty.content.decode()
    assert other.events.count() == 1
