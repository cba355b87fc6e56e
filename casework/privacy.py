"""Casework's part of a member's data export and account deletion (see communities/privacy.py).

- cases.json: the cases the member brought in, with what the circle asked and the answers,
  the owner's reflection and lesson; attachments they uploaded are listed (not included).
- feedback.json: the clarifying questions and feedback the member gave on any case.
Other people's feedback on your case is their contribution: it is counted, not copied.

Deletion keeps cases, questions and feedback (their author becomes "deleted participant",
the foreign keys are SET_NULL); guest invitations sent to the member's addresses go.
"""

from django.db.models import Count, Q

from communities.privacy import iso, register_eraser, register_exporter


def _circle(case) -> dict:
    return {"slug": case.circle.slug, "name": case.circle.name}


@register_exporter("cases", order=40)
def export_cases(user) -> list[dict]:
    from .models import Attachment, Case

    cases = (
        Case.objects.filter(author=user)
        .select_related("circle", "lesson")
        .prefetch_related("questions", "themes")
        .annotate(feedback_count=Count("feedback"))
        .order_by("created_at")
    )
    uploads = {}
    for attachment in Attachment.objects.filter(Q(case__author=user) | Q(uploaded_by=user)).order_by("id"):
        uploads.setdefault(attachment.case_id, []).append(
            {"file_name": attachment.original_name, "size": attachment.size, "uploaded_at": iso(attachment.created_at),
             "by_you": attachment.uploaded_by_id == user.pk}
        )
    out = []
    for case in cases:
        lesson = getattr(case, "lesson", None)
        out.append({
            "id": case.pk,
            "circle": _circle(case),
            "title": case.title,
            "context": case.context,
            "question": case.question,
            "tried": case.tried,
            "desired_outcome": case.desired_outcome,
            "themes": sorted(case.themes.names(), key=str.lower),
            "confidential": case.confidential,
            "phase": case.phase,
            "reflection": case.reflection,
            "created_at": iso(case.created_at),
            "concluded_at": iso(case.concluded_at),
            "clarifying_questions": [
                {"question_id": q.pk, "asked_at": iso(q.created_at), "your_answer": q.answer, "answered_at": iso(q.answered_at)}
                for q in case.questions.all()
            ],
            "feedback_received": case.feedback_count,
            "lesson": None if lesson is None else {
                "lesson": lesson.body, "follow_up": lesson.followup_note, "proposed_for_publication_at": iso(lesson.proposed_at),
            },
            "attachments": uploads.get(case.pk, []),
        })
    return out


@register_exporter("feedback", order=41)
def export_feedback(user) -> dict:
    from .models import CaseQuestion, Feedback

    return {
        "clarifying_questions": [
            {"case": q.case_id, "circle": _circle(q.case), "question": q.body, "asked_at": iso(q.created_at)}
            for q in CaseQuestion.objects.filter(author=user).select_related("case__circle").order_by("id")
        ],
        "feedback": [
            {
                "case": f.case_id,
                "circle": _circle(f.case),
                "kind": f.kind,
                "as_case_guest": f.by_guest,
                "feedback": f.body,
                "analysis": f.analysis,
                "suggested_approach": f.approach,
                "risks": f.risks,
                "references": f.references,
                "marked_helpful_at": iso(f.helpful_at),
                "given_at": iso(f.created_at),
            }
            for f in Feedback.objects.filter(author=user).select_related("case__circle").order_by("id")
        ],
    }


@register_eraser("casework", order=40)
def erase_casework(user, *, delete_contributions: bool) -> None:
    from allauth.account.models import EmailAddress

    from .models import CaseGuest

    emails = set(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) | {user.email}
    addressed = Q(user=user)
    for email in filter(None, emails):
        addressed |= Q(email__iexact=email)
    CaseGuest.objects.filter(addressed).delete()
