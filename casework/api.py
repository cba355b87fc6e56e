"""Cases in the /api/v1/ JSON API: same selectors, permission rules and services as the pages.

Errors are the API's one error schema with the status of the service error: 404 for
a case the requester may not see, 409 with the reason for a contribution the phase or role
does not allow, 413/415 for attachments, 422 for bad input.
"""

from datetime import datetime
from typing import Annotated, Literal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth
from pydantic import Field, StrictBool, StrictStr

from communities.models import Circle
from communities.payloads import author_payload
from communities.permissions import require_member
from config.api_conventions import ERRORS, NOT_BLANK, ErrorOut, documented, PageOut, cursor_param, keyset_page
from idempotency.api import HEADER_DESCRIPTION as IDEMPOTENCY
from idempotency.api import idempotent

from . import selectors, services
from .errors import NotFound
from .models import Case, CaseQuestion, Feedback
from .models.cases import PHASE_ORDER, TEXT_MAX_LENGTH
from .payloads import attachment_payload, feedback_payload, question_payload
from .permissions import allowed_actions, get_readable_case
from .services.cases import MAX_THEMES, THEME_MAX_LENGTH

try:  # the project's API authentication (session with CSRF, or a personal access token)
    from communities.api_auth import api_auth as API_AUTH
    from communities.api_auth import require_user
except ImportError:  # until it exists: session authentication, which refuses anonymous calls itself
    API_AUTH = django_auth

    def require_user(request):
        return request.user


router = Router(tags=["cases"], auth=API_AUTH)

PAGE_SIZE = 50
PHASES = tuple(PHASE_ORDER)
PhaseName = Literal[PHASES]


# --- Schemas ----------------------------------------------------------------------------


class AuthorOut(Schema):
    id: int | None
    name: str


class CaseSummaryOut(Schema):
    id: int
    circle: str
    title: str
    phase: PhaseName
    confidential: bool
    themes: list[str]
    author: AuthorOut
    question_count: int
    feedback_count: int
    created: datetime
    updated: datetime
    url: str


class CaseListOut(PageOut):
    items: list[CaseSummaryOut]
    counts: dict[str, int] = Field(description="The number of cases you can see per phase (all pages)")


class QuestionOut(Schema):
    id: int
    case: int
    author: AuthorOut
    html: str
    created: datetime
    answer_html: str | None
    answered: datetime | None


class CaseQuestionPage(PageOut):
    items: list[QuestionOut]


class RubricOut(Schema):
    analysis: str
    approach: str
    risks: str
    references: str


class FeedbackOut(Schema):
    id: int
    case: int
    kind: Literal[tuple(Feedback.Kind.values)]
    author: AuthorOut
    guest: bool
    helpful: bool
    created: datetime
    html: str | None
    rubric: RubricOut | None


class FeedbackGroupsOut(Schema):
    peer: list[FeedbackOut]
    expert: list[FeedbackOut]


class FeedbackPage(PageOut):
    items: list[FeedbackOut] = Field(description="Peer and expert feedback, oldest first (see `kind`)")


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


def _text(max_length=TEXT_MAX_LENGTH, *, required=True, example=None, description="Markdown"):
    """A user-written field as the services check it (stripped; required ones not blank)."""
    if required:
        return Field(..., **documented(minLength=1, maxLength=max_length, pattern=NOT_BLANK), description=description,
                     examples=[example] if example else None)
    return Field("", **documented(maxLength=max_length), description=description,
                 examples=[example] if example else None)


def _optional(max_length=TEXT_MAX_LENGTH, description="Markdown"):
    return Field(None, **documented(minLength=1, maxLength=max_length, pattern=NOT_BLANK), description=description)


Theme = Annotated[StrictStr, Field(**documented(maxLength=THEME_MAX_LENGTH))]
Themes = Annotated[list[Theme], Field(**documented(maxItems=MAX_THEMES), description="At most 8 themes")]


class CaseIn(Schema):
    title: StrictStr = _text(160, example="Kostenverdeling jeugdzorg", description="Plain text")
    context: StrictStr = _text(example="Zes gemeenten kopen samen jeugdzorg in.")
    question: StrictStr = _text(example="Hoe verdelen we de kosten eerlijk?")
    tried: StrictStr = _text(required=False, example="Verdeling naar inwonertal.")
    desired_outcome: StrictStr = _text(required=False)
    themes: Themes = Field(default_factory=list, examples=[["jeugdzorg", "financien"]])
    confidential: StrictBool = Field(False, description="Only the circle's facilitators and invited guests see it")


class CasePatch(Schema):
    title: StrictStr | None = _optional(160, "Plain text")
    context: StrictStr | None = _optional()
    question: StrictStr | None = _optional()
    tried: StrictStr | None = Field(None, **documented(maxLength=TEXT_MAX_LENGTH))
    desired_outcome: StrictStr | None = Field(None, **documented(maxLength=TEXT_MAX_LENGTH))
    themes: Themes | None = None
    confidential: StrictBool | None = None


class PhaseIn(Schema):
    phase: StrictStr = Field(**documented(enum=list(PHASES)), description="The next phase (owner, facilitator) or the previous one (facilitator)",
                             examples=["questions"])


class TextIn(Schema):
    body: StrictStr = _text(example="Wie betaalt de coördinatie?")


class FeedbackIn(Schema):
    """Peer feedback: `body`. Expert feedback (experts and case guests): the rubric, of which
    `analysis`, `approach` and `risks` are required and `references` optional."""

    body: StrictStr = _text(required=False, example="Begin klein, met twee gemeenten.")
    analysis: StrictStr = _text(required=False)
    approach: StrictStr = _text(required=False)
    risks: StrictStr = _text(required=False)
    references: StrictStr = _text(required=False)


class HelpfulIn(Schema):
    helpful: StrictBool = Field(True, description="false takes the mark back")


class ReflectionIn(Schema):
    reflection: StrictStr = _text(example="De verdeling naar gebruik werkte het best.")


# --- Helpers ----------------------------------------------------------------------------

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
    response: HttpResponse,
    slug: str,
    phase: PhaseName | None = Query(None, description="Only cases in this phase"),
    theme: str | None = Query(None, max_length=THEME_MAX_LENGTH, description="Only cases with this theme"),
    mine: bool = Query(False, description="Only the cases you brought in"),
    awaiting_my_feedback: bool = Query(False, description="Only cases in the advice phase you have not answered yet"),
    q: str = Query("", max_length=200, description="Only cases matching these words (any text; someone else's confidential case by its title only)"),
    cursor: str | None = cursor_param(),
):
    """Newest first, 50 at a time. `counts` has the number of visible cases per phase."""
    circle = _circle(slug)
    require_member(request.user, circle)
    cases = selectors.case_list(
        request.user, circle, phase=phase, theme=theme, mine=mine, awaiting_my_feedback=awaiting_my_feedback, query=q
    )
    listed = keyset_page(request, response, cases, cursor=cursor, size=PAGE_SIZE, descending=True, out=_summary)
    return {**listed, "counts": selectors.phase_counts(request.user, circle)}


@router.post("/circles/{slug}/cases", response={201: CaseOut, **ERRORS}, summary="Bring in a case (as a draft)",
             description=IDEMPOTENCY)
@idempotent
def create_case(request, slug: str, data: CaseIn):
    user = require_user(request)
    circle = _circle(slug)
    case = services.case_create(author=user, circle=circle, **data.dict())
    case, actor = _case(request, case.pk)
    return Status(201, _detail(case, actor))


@router.get("/cases/{case_id}", response={200: CaseOut, **ERRORS}, summary="One case with its questions and feedback")
def get_case(request, case_id: int):
    """A case you may see, with its questions, feedback, attachments, lesson and what you may do with it."""
    case, actor = _case(request, case_id)
    return _detail(case, actor)


@router.patch("/cases/{case_id}", response={200: CaseOut, **ERRORS}, summary="Edit a draft case")
def update_case(request, case_id: int, data: CasePatch):
    """The owner, while the case is a draft: send only the fields to change."""
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
    """The owner, in the reflection phase."""
    user = require_user(request)
    case, _actor = _case(request, case_id)
    services.case_reflect(author=user, case=case, reflection=data.reflection)
    case, actor = _case(request, case_id)
    return _detail(case, actor)


@router.post("/cases/{case_id}/lesson", response={200: CaseOut, **ERRORS}, summary="Write the lesson learned")
def write_lesson(request, case_id: int, data: TextIn):
    """The owner or a facilitator, once the case is closed."""
    user = require_user(request)
    case, _actor = _case(request, case_id)
    services.lesson_write(author=user, case=case, body=data.body)
    case, actor = _case(request, case_id)
    return _detail(case, actor)


# --- Questions and answers --------------------------------------------------------------


@router.get("/cases/{case_id}/questions", response={200: CaseQuestionPage, **ERRORS}, summary="Clarifying questions")
def list_questions(request, response: HttpResponse, case_id: int, cursor: str | None = cursor_param()):
    """Oldest first, with the owner's answers."""
    case, _actor = _case(request, case_id)
    questions = case.questions.select_related("author__profile")
    return keyset_page(request, response, questions, cursor=cursor, size=PAGE_SIZE, out=question_payload)


@router.post("/cases/{case_id}/questions", response={201: QuestionOut, **ERRORS}, summary="Ask a clarifying question",
             description=IDEMPOTENCY)
@idempotent
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
    """The case owner answers (or changes the answer to) a clarifying question."""
    user = require_user(request)
    case, _actor = _case(request, case_id)
    question = CaseQuestion.objects.filter(pk=question_id, case=case).first()
    if question is None:
        raise NotFound(_("This question does not exist."))
    question = services.question_answer(author=user, question=question, body=data.body)
    return question_payload(question)


# --- Feedback ---------------------------------------------------------------------------


@router.get("/cases/{case_id}/feedback", response={200: FeedbackPage, **ERRORS}, summary="Peer and expert feedback")
def list_feedback(request, response: HttpResponse, case_id: int, cursor: str | None = cursor_param()):
    """Peer and expert feedback together, oldest first; `kind` tells them apart."""
    case, _actor = _case(request, case_id)
    feedback = case.feedback.select_related("author__profile")
    return keyset_page(request, response, feedback, cursor=cursor, size=PAGE_SIZE, out=feedback_payload)


@router.post("/cases/{case_id}/feedback", response={201: FeedbackOut, **ERRORS}, summary="Give feedback",
             description="The kind (peer or expert) follows from your role; experts fill in the rubric.\n\n" + IDEMPOTENCY)
@idempotent
def give_feedback(request, case_id: int, data: FeedbackIn):
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
    """The case owner, in the reflection phase: mark or unmark feedback as helpful."""
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
    """Multipart form with one `file`; drafts and open cases of your own."""
    user = require_user(request)
    case, _actor = _case(request, case_id)
    attachment = services.attachment_add(uploader=user, case=case, upload=file)
    return Status(201, attachment_payload(attachment, case.circle.slug))
