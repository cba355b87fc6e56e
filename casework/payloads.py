"""JSON shapes of cases and their parts, shared by the API and the real-time events.

An event goes only to subscribers the consumer has checked with `can_read_case`, so it may
carry what any reader of the case sees; never anything beyond that.
"""

from communities.payloads import author_payload

from .models import Attachment, Case, CaseQuestion, Feedback


def question_payload(question: CaseQuestion) -> dict:
    return {
        "id": question.pk,
        "case": question.case_id,
        "author": author_payload(question.author),
        "html": question.body_html,
        "created": question.created_at.isoformat(),
        "answer_html": question.answer_html or None,
        "answered": question.answered_at.isoformat() if question.answered_at else None,
    }


def feedback_payload(feedback: Feedback) -> dict:
    payload = {
        "id": feedback.pk,
        "case": feedback.case_id,
        "kind": feedback.kind,
        "author": author_payload(feedback.author),
        "guest": feedback.by_guest,
        "helpful": feedback.helpful,
        "created": feedback.created_at.isoformat(),
    }
    if feedback.kind == Feedback.Kind.EXPERT:
        payload["rubric"] = {
            "analysis": feedback.analysis_html,
            "approach": feedback.approach_html,
            "risks": feedback.risks_html,
            "references": feedback.references_html,
        }
        payload["html"] = None
    else:
        payload["rubric"] = None
        payload["html"] = feedback.body_html
    return payload


def attachment_payload(attachment: Attachment, circle_slug: str) -> dict:
    from django.urls import reverse

    return {
        "id": attachment.pk,
        "name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "url": reverse("casework:attachment", args=[circle_slug, attachment.case_id, attachment.pk]),
    }


def case_event(case: Case) -> dict:
    return {"type": "case.updated", "case": case.pk, "phase": case.phase, "title": case.title}
