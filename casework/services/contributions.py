from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.ratelimit import check_post_rate

from ..errors import InvalidInput, NotFound
from ..models import Case, CaseQuestion, Feedback
from ..payloads import case_event, feedback_payload, question_payload
from ..permissions import Action, check, get_readable_case
from communities.notifications import case_triggers
from webhooks import services as webhooks

from .common import broadcast, clean_text, locked_case, render


@transaction.atomic
def question_ask(*, author, case: Case, body) -> CaseQuestion:
    case = locked_case(case)
    check(author, case, Action.ASK)
    body = clean_text(body, label=_("Your question"))
    check_post_rate(user=author)
    question = CaseQuestion.objects.create(case=case, author=author, body=body, body_html=render(body))
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    broadcast(case, {"type": "question.created", "case": case.pk, "question": question_payload(question)})
    case_triggers.case_contribution(case=case, actor=author, contribution="question", item=question)
    return question


@transaction.atomic
def question_answer(*, author, question: CaseQuestion, body) -> CaseQuestion:
    """The owner answers (or rewrites the answer to) a clarifying question."""
    case = locked_case(question.case)
    get_readable_case(author, case)
    question = CaseQuestion.objects.select_related("author__profile").get(pk=question.pk, case=case)
    check(author, case, Action.ANSWER)
    question.answer = clean_text(body, label=_("Your answer"))
    question.answer_html = render(question.answer)
    question.answered_at = timezone.now()
    question.save(update_fields=["answer", "answer_html", "answered_at"])
    broadcast(case, {"type": "question.answered", "case": case.pk, "question": question_payload(question)})
    return question


RUBRIC_LABELS = {
    "analysis": lambda: _("Analysis"),
    "approach": lambda: _("Suggested approach"),
    "risks": lambda: _("Risks"),
    "references": lambda: _("References"),
}
RUBRIC_REQUIRED = ("analysis", "approach", "risks")


@transaction.atomic
def feedback_give(*, author, case: Case, body="", analysis="", approach="", risks="", references="") -> Feedback:
    """Peer feedback is free text; expert feedback (experts, case guests) fills in the rubric,
    of which analysis, suggested approach and risks are required."""
    case = locked_case(case)
    actor = check(author, case, Action.FEEDBACK)
    feedback = Feedback(case=case, author=author, kind=actor.feedback_kind, by_guest=actor.is_guest)
    if feedback.kind == Feedback.Kind.EXPERT:
        parts = {"analysis": analysis, "approach": approach, "risks": risks, "references": references}
        missing = [name for name in RUBRIC_REQUIRED if not (isinstance(parts[name], str) and parts[name].strip())]
        if missing:
            raise InvalidInput(
                _("Expert feedback needs every part of the rubric; missing: %(parts)s.")
                % {"parts": ", ".join(str(RUBRIC_LABELS[name]()).lower() for name in missing)},
                code="rubric_incomplete",
            )
        for name, value in parts.items():
            text = clean_text(value, label=RUBRIC_LABELS[name](), required=name in RUBRIC_REQUIRED)
            setattr(feedback, name, text)
            setattr(feedback, f"{name}_html", render(text))
    else:
        feedback.body = clean_text(body, label=_("Your feedback"))
        feedback.body_html = render(feedback.body)
    check_post_rate(user=author)
    feedback.save()
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    broadcast(case, {"type": "feedback.created", "case": case.pk, "feedback": feedback_payload(feedback)})
    webhooks.dispatch_on_commit(event="feedback.created", circle=case.circle, obj=feedback)
    case_triggers.case_contribution(case=case, actor=author, contribution="feedback", item=feedback)
    return feedback


@transaction.atomic
def feedback_mark_helpful(*, owner, feedback: Feedback, helpful: bool = True) -> Feedback:
    case = locked_case(feedback.case)
    get_readable_case(owner, case)
    try:
        feedback = Feedback.objects.select_related("author__profile").get(pk=feedback.pk, case=case)
    except Feedback.DoesNotExist:
        raise NotFound(_("This feedback does not exist.")) from None
    check(owner, case, Action.HELPFUL)
    if not isinstance(helpful, bool):
        raise InvalidInput(_("“Helpful” must be yes or no."), code="invalid_helpful")
    if helpful != feedback.helpful:
        feedback.helpful_at = timezone.now() if helpful else None
        feedback.save(update_fields=["helpful_at"])
        broadcast(case, case_event(case))
    return feedback
