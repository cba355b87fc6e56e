"""The consultation method as a table: every action × role × phase.

"+" allowed (and stored), "4" NotFound (the case does not exist for them: 404),
"9" Conflict with a reason (409). Columns: draft, questions, advice, reflection, concluded.
A refused action stores nothing.
"""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from casework import services
from casework.errors import Conflict, NotFound
from casework.models import Attachment, Case, CaseGuest, CaseQuestion, Feedback, Lesson
from casework.permissions import can_read_case
from communities.models import Membership
from tests.factories import CircleFactory, UserFactory

from .conftest import fresh, make_member
from .files import PNG_BYTES

pytestmark = pytest.mark.django_db

PHASES = ["draft", "questions", "advice", "reflection", "concluded"]
ROLES = ["owner", "member", "expert", "facilitator", "guest", "outsider"]

TABLE = {
    #                 owner    member   expert   facilit. guest    outsider
    "read":        ("+++++", "4++++", "4++++", "4++++", "4++++", "44444"),
    "edit":        ("+9999", "49999", "49999", "49999", "49999", "44444"),
    "attach":      ("++999", "49999", "49999", "49999", "49999", "44444"),
    "ask":         ("99999", "4+999", "4+999", "4+999", "49999", "44444"),
    "answer":      ("9+999", "49999", "49999", "49999", "49999", "44444"),
    "feedback":    ("99999", "49+99", "49+99", "49+99", "49+99", "44444"),
    "helpful":     ("999+9", "49999", "49999", "49999", "49999", "44444"),
    "reflect":     ("999+9", "49999", "49999", "49999", "49999", "44444"),
    "lesson":      ("9999+", "49999", "49999", "49999", "49999", "44444"),
    "advance":     ("++++9", "49999", "49999", "4+++9", "49999", "44444"),
    "move_back":   ("99999", "49999", "49999", "4++++", "49999", "44444"),
    "invite_guest": ("99999", "49999", "49999", "4++99", "49999", "44444"),
}

CASES = [
    pytest.param(action, role, phase, TABLE[action][ROLES.index(role)][PHASES.index(phase)], id=f"{action}-{role}-{phase}")
    for action in TABLE
    for role in ROLES
    for phase in PHASES
]


def _people():
    circle = CircleFactory()
    owner = make_member(circle, "owner")
    people = {
        "owner": owner,
        "member": make_member(circle, "member"),
        "expert": make_member(circle, "expert", Membership.Role.EXPERT),
        "facilitator": make_member(circle, "facilitator", Membership.Role.FACILITATOR),
        "guest": UserFactory(username="guest"),
        "outsider": UserFactory(username="outsider"),
    }
    return circle, people


def _snapshot(case: Case) -> tuple:
    case.refresh_from_db()
    return (
        case.phase, case.title, case.reflection,
        CaseQuestion.objects.filter(case=case).exclude(answer="").count(),
        CaseQuestion.objects.count(), Feedback.objects.count(), Feedback.objects.filter(helpful_at__isnull=False).count(),
        Attachment.objects.count(), Lesson.objects.count(), CaseGuest.objects.count(),
    )


def _prepare(action: str, case: Case, people: dict):
    """What an action works on besides the case: a question to answer, feedback to mark."""
    if action == "answer":
        return CaseQuestion.objects.create(case=case, author=people["member"], body="Vraag?", body_html="<p>Vraag?</p>")
    if action == "helpful":
        return Feedback.objects.create(case=case, author=people["member"], kind="peer", body="Tip", body_html="<p>Tip</p>")
    return None


def _do(action: str, user, case: Case, target):
    if action == "read":
        if not can_read_case(user, case):
            raise NotFound("")
        return
    if action == "edit":
        return services.case_update(editor=user, case=case, title="Nieuwe titel")
    if action == "attach":
        upload = SimpleUploadedFile("kaart.png", PNG_BYTES, content_type="image/png")
        return services.attachment_add(uploader=user, case=case, upload=upload)
    if action == "ask":
        return services.question_ask(author=user, case=case, body="Sinds wanneer speelt dit?")
    if action == "answer":
        return services.question_answer(author=user, question=target, body="Sinds 2018.")
    if action == "feedback":
        # Peers use `body`, experts and guests the rubric; each ignores the other's fields.
        return services.feedback_give(
            author=user, case=case, body="Probeer een solidariteitsbodem.",
            analysis="Het gaat om vertrouwen.", approach="Eerst de cijfers delen.", risks="Uittreding.",
        )
    if action == "helpful":
        return services.feedback_mark_helpful(owner=user, feedback=target, helpful=True)
    if action == "reflect":
        return services.case_reflect(author=user, case=case, reflection="Ik ga de solidariteitsbodem voorstellen.")
    if action == "lesson":
        return services.lesson_write(author=user, case=case, body="Begin met de cijfers.")
    index = PHASES.index(case.phase)
    if action == "advance":
        return services.case_move(actor=user, case=case, to_phase=PHASES[min(index + 1, len(PHASES) - 1)] if index < 4 else "concluded")
    if action == "move_back":
        return services.case_move(actor=user, case=case, to_phase=PHASES[index - 1] if index > 0 else "draft")
    if action == "invite_guest":
        return services.case_guest_invite(inviter=user, case=case, email="nieuw@provincie.example")
    raise AssertionError(action)


@pytest.mark.parametrize(("action", "role", "phase", "expected"), CASES)
def test_phase_machine(action, role, phase, expected, django_capture_on_commit_callbacks):
    circle, people = _people()
    case = Case.objects.create(
        circle=circle, author=people["owner"], title="Casus", context="Context", context_html="<p>Context</p>",
        question="Vraag", question_html="<p>Vraag</p>", phase=phase,
    )
    CaseGuest.objects.create(
        case=case, email="guest@example.org", token_hash=f"hash-{case.pk}", user=people["guest"],
        accepted_at=timezone.now(), expires_at=timezone.now() + timedelta(days=14),
    )
    target = _prepare(action, case, people)
    before = _snapshot(case)
    user = fresh(people[role])

    with django_capture_on_commit_callbacks() as callbacks:
        if expected == "+":
            _do(action, user, case, target)
        else:
            with pytest.raises(NotFound if expected == "4" else Conflict) as info:
                _do(action, user, case, target)

    after = _snapshot(case)
    if expected == "+":
        assert action == "read" or after != before, "an allowed action stored nothing"
    else:
        assert after == before, "a refused action stored something"
        assert callbacks == [], "a refused action announced something"
        if expected == "9":
            assert info.value.message


def test_every_cell_of_the_table_is_covered():
    assert len(CASES) == len(TABLE) * len(ROLES) * len(PHASES)
    assert all(len(row) == len(ROLES) and all(len(cell) == len(PHASES) for cell in row) for row in TABLE.values())


def test_a_case_moves_one_phase_at_a_time(case, official):
    with pytest.raises(Conflict) as info:
        services.case_move(actor=official, case=case, to_phase="advice")
    assert "één fase tegelijk" in info.value.message
    case.refresh_from_db()
    assert case.phase == "draft"


def test_unknown_phase_is_invalid_input(case, official):
    from casework.errors import InvalidInput

    with pytest.raises(InvalidInput):
        services.case_move(actor=official, case=case, to_phase="klaar")


def test_archived_circle_refuses_contributions(case, official, member):
    Case.objects.filter(pk=case.pk).update(phase="questions")
    case.circle.archived = True
    case.circle.save()
    with pytest.raises(Conflict) as info:
        services.question_ask(author=fresh(member), case=Case.objects.get(pk=case.pk), body="Vraag?")
    assert "gearchiveerd" in info.value.message
    assert not CaseQuestion.objects.exists()


def test_wrong_phase_reason_names_the_current_phase(case, member):
    Case.objects.filter(pk=case.pk).update(phase="advice")
    with pytest.raises(Conflict) as info:
        services.question_ask(author=fresh(member), case=Case.objects.get(pk=case.pk), body="Vraag?")
    assert info.value.code == "wrong_phase"
    assert "advies" in info.value.message


def test_concluding_sets_and_reopening_clears_the_conclusion_date(case, official, facilitator):
    Case.objects.filter(pk=case.pk).update(phase="reflection")
    concluded = services.case_move(actor=official, case=case, to_phase="concluded")
    assert concluded.concluded_at is not None
    reopened = services.case_move(actor=fresh(facilitator), case=case, to_phase="reflection")
    assert reopened.concluded_at is None
