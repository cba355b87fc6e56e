"""What a webhook tells about each object: fields every member of the circle may read.

A receiver is an integration of the whole circle, so it gets no more than a member sees,
and of a confidential case nothing but that it exists, its phase and that it is confidential
(the same for feedback on it).
"""

from django.conf import settings
from django.urls import reverse

from communities.payloads import author_payload, message_payload

from .models import Event


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def message_data(message) -> dict:
    from communities.services import thread_url

    return {**message_payload(message), "url": _absolute(thread_url(message))}


def case_data(case) -> dict | None:
    if case.phase == case.Phase.DRAFT:
        return None  # only its owner sees a draft
    if case.confidential:
        return {"id": case.pk, "phase": case.phase, "confidential": True}
    return {
        "id": case.pk,
        "phase": case.phase,
        "confidential": False,
        "title": case.title,
        "question": case.question,
        "themes": sorted(case.themes.names()),
        "author": author_payload(case.author),
        "created": case.created_at.isoformat(),
        "updated": case.updated_at.isoformat(),
        "url": _absolute(reverse("casework:case_detail", args=[case.circle.slug, case.pk])),
    }


def feedback_data(feedback) -> dict:
    from casework.payloads import feedback_payload

    case = feedback.case
    if case.confidential:
        return {"id": feedback.pk, "case": case.pk, "confidential": True}
    return {
        **feedback_payload(feedback),
        "confidential": False,
        "url": _absolute(reverse("casework:case_detail", args=[case.circle.slug, case.pk]) + f"#feedback-{feedback.pk}"),
    }


SERIALISERS = {
    Event.MESSAGE_CREATED: message_data,
    Event.CASE_UPDATED: case_data,
    Event.FEEDBACK_CREATED: feedback_data,
}
