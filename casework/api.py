"""Cases in the /api/v1/ JSON API: same selectors, permission rules and services as the pages.

Errors are JSON `{"detail": ..., "code": ...}` with the status of the service error: 404 for
a case the requester may not see, 409 with the reason for a contribution the phase or role
does not allow, 413/415 for attachments, 422 for bad input.
"""

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth

from communities.models import Circle
from communities.payloads import author_payload
from communities.permissions import require_member

from . import selectors, services
from .errors import NotFound
from .models import Case, CaseQuestion, Feedback
from .models.cases import PHASE_ORDER
from .payloads import attachment_payload, feedback_payload, question_payload
from .permissions import allowed_actions, get_readable_case

try:  # the project's API authentication (session with CSRF, or a personal access token)
    from communities.api_auth import api_auth as API_AUTH
    from communities.api_auth import require_user
except ImportError:  # until it exists: session authentication, which refuses anonymous calls itself
    API_AUTH = django_auth

    def require_user(request):
        return request.user


router = Router(tags=["cases"], auth=API_AUTH)

PAGE_SIZE = 50


# --- Schemas ----------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str
    code: str


class AuthorOut(Schema):
    id: int | None
    name: str


class CaseSummaryOut(Schema):
    id: int
    circle: str
    title: str
    phase: str
    confidential: bool
    themes: list[str]
    author: AuthorOut
    question_count: int
    feedback_count: int
    created: datetime
    updated: datetime
    url: str


class CaseListOut(Schema):
    items: list[CaseSummaryOut]
    next_cursor: int | None
    counts: dict[str, int]


class QuestionOut(Schema):
    id: int
    case: int
    author: AuthorOut
    html: str
    created: datetime
    answer_html: str | None
    answered: datetime | None


class RubricOut(Schema):
    analysis: str
    approach: str
    risks: str
    references: str


class FeedbackOut(Schema):
    id: int
    case: int
    kind: str
    author: AuthorOut
    guest: bool
    helpful: bool
    created: datetime
    html: str | None
    rubric: RubricOut | None


class FeedbackGroupsOut(Schema):
    peer: list[FeedbackOut]
    expert: list[FeedbackOut]


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str


class LessonOut(Schema):
    html: str
    followup_html: str | None


class CaseOut(CaseSummaryOut):
    context_html: str
    question_html: str
    tried_html: str
    desired_outcome_html: str
    reflection_html: str
    questions: list[QuestionOut]
    feedback: FeedbackGroupsOut
    attachments: list[AttachmentOut]
    lesson: LessonOut | None
    allowed_actions: list[str]


class CaseIn(Schema):
    title: str
    context: str
    question: str
    tried: str = ""
    desired_outcome: str = ""
    themes: list[str] = []
    confidential: bool = False


class CasePatch(Schema):
    title: str | None = None
    context: str | None = None
    question: str | None = None
    tried: str | None = None
    desired_outcome: str | None = None
    themes: list[str] | None = None
    confidential: bool | None = None


class PhaseIn(Schema):
    phase: str


class TextIn(Schema):
    body: str


class FeedbackIn(Schema):
    """Peer feedback: `body`. Expert feedback (experts and case guests): the rubric, of which
    `analysis`, `approach` and `risks` are required and `references` optional."""

    body: str = ""
    analysis: str = ""
    approach: str = ""
    risks: str = ""
    references: str = ""


class HelpfulIn(Schema):
    helpful: bool = True


class ReflectionIn(Schema):
    reflection: str


# --- Helpers ----------------------------------------------------------------------------

# What any call can answer (config/api.py): 400 a body that is not JSON, 401 a bad token or a
# write without one, 403 a read-only token or failed CSRF check, 413 too large, 429 posting too fast.
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut, 422: ErrorOut,
          429: ErrorOut}


def _summary(case: Case) -> dict:
    return {
        "id": case.pk,
        "circle": case.circle.slug,
        "title": case.title,
        "phase": case.phase,
        "confidential": case.confidential,
        "themes": [tag.name for tag in case.themes.all()],
        "author": author_payload(case.author),
        "question_count": getattr(case, "question_count", 0),
        "feedback_count": getattr(case, "feedback_count", 0),
        "created": case.created_at,
        "updated": case.updated_at,
        "url": case.get_absolute_url(),
    }


def _case(request, case_id: int):
    """The case and the requester's place in it; NotFound if they may not see it."""
    case = (
        Case.objects.select_related("circle", "author__profile", "lesson")
        .prefetch_related("themes")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFound(_("This case does not exist."))
    return case, get_readable_case(request.user, case)


def _circle(slug: str) -> Circle:
    circle = Circle.objects.filter(slug=slug).first()
    if circle is None:
        raise NotFound(_("This learning circle does not exist."))
    return circle


def _detail(case: Case, actor) -> dict:
    questions = selectors.case_questions(case)
    peer, expert = selectors.case_feedback(case)
    try:
        lesson = case.lesson
    except Case.lesson.RelatedObjectDoesNotExist:
        lesson = None
    payload = _summary(case)
    payload.update(
        question_count=len(questions),
        feedback_count=len(peer) + len(expert),
        context_html=case.context_html,
        question_html=case.question_html,
        tried_html=case.tried_html,
        desired_outcome_html=case.desired_outcome_html,
        reflection_html=case.reflection_html,
        questions=[question_payload(question) for question in questions],
        feedback={"peer": [feedback_payload(f) for f in peer], "expert": [feedback_payload(f) for f in expert]},
        attachments=[attachment_payload(a, case.circle.slug) for a in selectors.case_attachments(case)],
        lesson={"html": lesson.body_html, "followup_html": lesson.followup_note_html or None} if lesson else None,
        allowed_actions=sorted(allowed_actions(actor, case)),
    )
    return payload


# --- Cases ------------------------------------------------------------------------------


@router.get("/circles/{slug}/cases", response={200: CaseListOut, **ERRORS}, summary="List the cases of a circle")
def list_cases(
    request,
    slug: str,
    phase: str | None = None,
    theme: str | None = None,
    mine: bool = False,
    awaiting_my_feedback: bool = False,
    q: str = "",
    cursor: int | None = None,
):
    """Newest first, `PAGE_SIZE` at a time; pass `next_cursor` back as `cursor` for more.
    `q` keeps the cases matching these words (any text; someone else's confidential case by
    its title only). `counts` has the number of visible cases per phase."""
    circle = _circle(slug)
    require_member(request.user, circle)
    if phase is not None and phase not in PHASE_ORDER:
        phase = "-"  # an unknown phase matches nothing
    cases = selectors.case_list(
        request.user, circle, phase=phase, theme=theme, mine=mine, awaiting_my_feedback=awaiting_my_feedback, query=q
    ).order_by("-id")
    if cursor:
        cases = cases.filter(pk__lt=cursor)
    page = list(cases[: PAGE_SIZE + 1])
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    return {
        "items": [_summary(case) for case in page],
        "next_cursor": page[-1].pk if more else None,
        "counts": selectors.phase_counts(request.user, circle),
    }


@router.post("/circles/{slug}/cases", response={201: CaseOut, **ERRORS}, summary="Bring in a case (as a draft)")
def create_case(request, slug: str, data: CaseIn):
    user = require_user(request)
    circle = _circle(slug)
    case = services.case_create(author=user, circle=circle, **data.dict())
    case, actor = _case(request, case.pk)
    return Status(201, _detail(case, actor))


@router.get("/cases/{case_id}", response={200: CaseOut, **ERRORS}, summary="One case with its questions and feedback")
def get_case(request, case_id: int):
    case, actor = _case(request, case_id)
    return _detail(case, actor)


@router.patch("/cases/{case_id}", response={200: CaseOut, **ERRORS}, summary="Edit a draft case")
def update_case(request, case_id: int, data: CasePatch):
    user = require_user(request)
    case, _actor = _case(request, case_id)
    services.case_update(editor=user, case=case, **data.dict(exclude_none=True))
    case, actor = _case(request, case_id)
    return _detail(case, actor)


@router.post("/cases/{case_id}/phase", response={200: CaseOut, **ERRORS}, summary="Move a case to the next or previous phase")
def move_case(request, case_id: int, data: PhaseIn):
    """The owner moves a case forward; a facilitator forward or back, one phase at a time."""
    user = require_user(request)
    case, _actor = _case(request, case_id)
    services.case_move(actor=user, case=case, to_phase=data.phase)
    case, actor = _case(request, case_id)
    return _detail(case, actor)


@router.post("/cases/{case_id}/reflection", response={200: CaseOut, **ERRORS}, summary="Write the owner's reflection")
def reflect(request, case_id: int, data: ReflectionIn):
    user = require_user(request)
    case, _actor = _case(request, case_id)
    services.case_reflect(author=user, case=case, reflection=data.reflection)
    case, actor = _case(request, case_id)
    return _detail(case, actor)


@router.post("/cases/{case_id}/lesson", response={200: CaseOut, **ERRORS}, summary="Write the lesson learned")
def write_lesson(request, case_id: int, data: TextIn):
    user = require_user(request)
    case, _actor = _case(request, case_id)
    services.lesson_write(author=user, case=case, body=data.body)
    case, actor = _case(request, case_id)
    return _detail(case, actor)


# --- Questions and answers --------------------------------------------------------------


@router.get("/cases/{case_id}/questions", response={200: list[QuestionOut], **ERRORS}, summary="Clarifying questions")
def list_questions(request, case_id: int):
    case, _actor = _case(request, case_id)
    return [question_payload(question) for question in selectors.case_questions(case)]


@router.post("/cases/{case_id}/questions", response={201: QuestionOut, **ERRORS}, summary="Ask a clarifying question")
def ask_question(request, case_id: int, data: TextIn):
    user = require_user(request)
    case, _actor = _case(request, case_id)
    question = services.question_ask(author=user, case=case, body=data.body)
    return Status(201, question_payload(question))


@router.post(
    "/cases/{case_id}/questions/{question_id}/answer",
    response={200: QuestionOut, **ERRORS},
    summary="Answer a clarifying question (case owner)",
)
def answer_question(request, case_id: int, question_id: int, data: TextIn):
    user = require_user(request)
    case, _actor = _case(request, case_id)
    question = CaseQuestion.objects.filter(pk=question_id, case=case).first()
    if question is None:
        raise NotFound(_("This question does not exist."))
    question = services.question_answer(author=user, question=question, body=data.body)
    return question_payload(question)


# --- Feedback ---------------------------------------------------------------------------


@router.get("/cases/{case_id}/feedback", response={200: FeedbackGroupsOut, **ERRORS}, summary="Peer and expert feedback")
def list_feedback(request, case_id: int):
    case, _actor = _case(request, case_id)
    peer, expert = selectors.case_feedback(case)
    return {"peer": [feedback_payload(f) for f in peer], "expert": [feedback_payload(f) for f in expert]}


@router.post("/cases/{case_id}/feedback", response={201: FeedbackOut, **ERRORS}, summary="Give feedback")
def give_feedback(request, case_id: int, data: FeedbackIn):
    """The kind (peer or expert) follows from your role; experts fill in the rubric."""
    user = require_user(request)
    case, _actor = _case(request, case_id)
    feedback = services.feedback_give(author=user, case=case, **data.dict())
    return Status(201, feedback_payload(feedback))


@router.put(
    "/cases/{case_id}/feedback/{feedback_id}/helpful",
    response={200: FeedbackOut, **ERRORS},
    summary="Mark feedback as helpful (case owner, reflection phase)",
)
def mark_helpful(request, case_id: int, feedback_id: int, data: HelpfulIn):
    user = require_user(request)
    case, _actor = _case(request, case_id)
    feedback = Feedback.objects.filter(pk=feedback_id, case=case).first()
    if feedback is None:
        raise NotFound(_("This feedback does not exist."))
    feedback = services.feedback_mark_helpful(owner=user, feedback=feedback, helpful=data.helpful)
    return feedback_payload(feedback)


# --- Attachments ------------------------------------------------------------------------


@router.post(
    "/cases/{case_id}/attachments",
    response={201: AttachmentOut, 413: ErrorOut, 415: ErrorOut, **ERRORS},
    summary="Add an attachment (PDF, DOCX, XLSX, PPTX, PNG or JPG, at most 10 MB)",
)
def add_attachment(request, case_id: int, file: File[UploadedFile]):
    user = require_user(request)
    case, _actor = _case(request, case_id)
    attachment = services.attachment_add(uploader=user, case=case, upload=file)
    return Status(201, attachment_payload(attachment, case.circle.slug))
