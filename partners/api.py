"""Partner services in the JSON API (/api/v1/): the fee, knowledge questions, the inbox and the overview.

Same permissions and services as the pages. Errors are JSON `{"detail": ..., "code": ...}` with
the status of the error: 401 not logged in, 403 a step that is not yours, 404 a question you
may not see, 409 a step the status machine does not allow (with the reason), 422 bad input.
"""

import functools
from datetime import datetime
from typing import Literal

from django.contrib.auth import get_user_model
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.utils import check_csrf
from pydantic import Field, StrictBool, StrictInt, StrictStr

from cms.models import Network
from communities.models import Channel
from config.api_conventions import ERRORS, NOT_BLANK, documented, PageOut, cursor_param, keyset_page

from . import links, permissions, selectors, services
from .errors import NotAuthenticated, NotFound, ServiceError
from .fees import quote_for_page
from .models import KnowledgeQuestion, PartnerApplicationPage, Theme
from .models.questions import CONTEXT_TEXT_MAX, QUESTION_TEXT_MAX, REPLY_TEXT_MAX

router = Router(tags=["partners"])

PAGE_SIZE = 50


class CsrfFailed(ServiceError):
    status = 403
    code = "csrf_failed"


def json_errors(view):
    """Service errors become JSON with their status (whatever exception handlers the API has)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ServiceError as error:
            return JsonResponse({"detail": str(error.message), "code": error.code}, status=error.status)

    return wrapper


def _caller(request, *, write: bool = False):
    user = request.user
    if not user.is_authenticated:
        raise NotAuthenticated(_("Log in, or send a personal access token, to do this."))
    # Session callers need the CSRF token on writes; token callers (Authorization header) do not.
    if write and not request.headers.get("Authorization") and check_csrf(request) is not None:
        raise CsrfFailed(_("The CSRF check failed. Reload the page and try again."))
    return user


# --- schemas ----------------------------------------------------------------------------


class Person(Schema):
    id: int | None
    name: str


class FeeOut(Schema):
    regular_fee: int
    discount: int
    discount_network: str | None
    fee: int
    currency: str = "EUR"


class ContactOut(Schema):
    name: str
    role: str
    email: str
    phone: str


class RoutingOut(Schema):
    shared_inbox: bool
    reason: str
    organisation: str
    contact: ContactOut | None


class QuestionAttachmentOut(Schema):
    name: str
    size: int
    url: str


class KnowledgeQuestionOut(Schema):
    id: int
    title: str
    status: str
    status_label: str
    urgency: str
    theme: str
    author: Person
    organisation: str | None
    routed_to: str | None = Field(description="The fixed contact person; null means the editors' shared inbox")
    assignee: Person | None
    awaiting_member: bool
    share_consent: bool
    created_at: datetime
    updated_at: datetime
    url: str


class InboxItemOut(KnowledgeQuestionOut):
    age_days: int
    waiting_working_days: int
    flagged: bool = Field(description="Not picked up within 5 working days")


class EventOut(Schema):
    id: int
    kind: str
    actor: Person | None
    from_status: str
    to_status: str
    body: str
    circle: str | None
    thread_url: str | None
    colleague: Person | None
    created_at: datetime


class QuestionDetailOut(KnowledgeQuestionOut):
    question: str
    context: str
    attachment: QuestionAttachmentOut | None
    allowed_actions: list[str]
    history: list[EventOut]


class QuestionPage(PageOut):
    items: list[KnowledgeQuestionOut]


class InboxOut(Schema):
    mine: list[InboxItemOut]
    shared: list[InboxItemOut]


class CountOut(Schema):
    name: str
    total: int
    open: int
    answered: int


class OverviewOut(Schema):
    by_organisation: list[CountOut]
    by_theme: list[CountOut]


class QuestionIn(Schema):
    title: StrictStr = Field(**documented(minLength=1, maxLength=150, pattern=NOT_BLANK), examples=["Ervaringen met een woonagenda?"])
    question: StrictStr = Field(**documented(minLength=1, maxLength=QUESTION_TEXT_MAX, pattern=NOT_BLANK),
                                examples=["Welke gemeenten betrekken de regio bij hun woonagenda?"])
    context: StrictStr = Field("", **documented(maxLength=CONTEXT_TEXT_MAX))
    urgency: Literal["low", "normal", "high"] = "normal"
    theme: StrictStr = Field(Theme.OTHER.value, **documented(enum=list(Theme.values)))
    share_consent: StrictBool = Field(False, description="The answer may be shared, anonymised, with other members")


class ActionIn(Schema):
    action: StrictStr = Field(description="One of the question's `allowed_actions`", **documented(enum=list(services.RULES)))
    body: StrictStr | None = Field(None, **documented(maxLength=REPLY_TEXT_MAX))
    channel: StrictInt | None = Field(None, description="forward_circle: the channel for the new thread")
    colleague: StrictInt | None = Field(None, description="forward_colleague: the user id of the colleague")


# --- payloads ---------------------------------------------------------------------------


def _person(user) -> dict | None:
    if user is None:
        return None
    profile = getattr(user, "profile", None)
    return {"id": user.pk, "name": profile.display_name if profile is not None else user.get_username()}


def _question(question: KnowledgeQuestion) -> dict:
    return {
        "id": question.pk,
        "title": question.title,
        "status": question.status,
        "status_label": question.get_status_display(),
        "urgency": question.urgency,
        "theme": question.theme,
        "author": _person(question.author),
        "organisation": question.organisation.name if question.organisation_id else None,
        "routed_to": question.contact.contact_person.name if question.contact_id else None,
        "assignee": _person(question.assignee),
        "awaiting_member": question.awaiting_member,
        "share_consent": question.share_consent,
        "created_at": question.created_at,
        "updated_at": question.updated_at,
        "url": question.get_absolute_url(),
    }


def _inbox_item(question) -> dict:
    return {
        **_question(question),
        "age_days": question.age_days,
        "waiting_working_days": question.waiting_working_days,
        "flagged": question.flagged,
    }


def _event(event) -> dict:
    thread_url = None
    if event.message_id and event.message is not None:
        thread_url = links.thread_url(event.message) or None
    return {
        "id": event.pk,
        "kind": event.kind,
        "actor": _person(event.actor),
        "from_status": event.from_status,
        "to_status": event.to_status,
        "body": event.body,
        "circle": event.circle.name if event.circle_id else None,
        "thread_url": thread_url,
        "colleague": _person(event.colleague),
        "created_at": event.created_at,
    }


def _detail(user, question: KnowledgeQuestion) -> dict:
    question = permissions.get_readable_question(user, question.pk)
    events = question.events.select_related(
        "actor__profile", "colleague__profile", "circle", "message__channel__circle"
    )
    attachment = None
    if question.attachment_storage_name:
        attachment = {
            "name": question.attachment_name,
            "size": question.attachment_size or 0,
            "url": reverse("partners:attachment", args=[question.pk]),
        }
    return {
        **_question(question),
        "question": question.question,
        "context": question.context,
        "attachment": attachment,
        "allowed_actions": sorted(services.allowed_actions(user, question)),
        "history": [_event(event) for event in events],
    }


# --- endpoints --------------------------------------------------------------------------


class FeeQuery(Schema):
    networks: list[str] = Field(default_factory=list, description="Network slugs, e.g. pmg")
    page: int | None = Field(None, ge=1, le=2**63 - 1, description="The partner application page; default the first live one")


@router.get("/partners/fee", response={200: FeeOut, **ERRORS}, auth=None, summary="Compute the partner fee")
@json_errors
def partner_fee(request, filters: Query[FeeQuery]):
    """The yearly partner fee for the given networks, with the network discount. No login needed."""
    pages = PartnerApplicationPage.objects.live().public().order_by("path")
    page = pages.filter(pk=filters.page).first() if filters.page else pages.first()
    if page is None:
        raise NotFound(_("There is no partner application page."))
    networks = list(Network.objects.filter(slug__in=filters.networks))
    quote = quote_for_page(page, networks)
    return {
        "regular_fee": quote.regular_fee,
        "discount": quote.discount,
        "discount_network": quote.discount_network.abbreviation if quote.discount_network else None,
        "fee": quote.fee,
    }


@router.get("/knowledge-questions/routing", response={200: RoutingOut, **ERRORS}, summary="Where my question would go")
@json_errors
def question_routing(request):
    """Whether your knowledge question would go to your organisation's contact person or the shared inbox."""
    user = _caller(request)
    routing = selectors.routing_for(user)
    contact = None
    if routing.contact is not None:
        person = routing.contact.contact_person
        contact = {"name": person.name, "role": person.role, "email": person.email, "phone": person.phone}
    return {
        "shared_inbox": routing.shared_inbox,
        "reason": routing.reason,
        "organisation": routing.organisation_name,
        "contact": contact,
    }


@router.get("/knowledge-questions", response={200: QuestionPage, **ERRORS}, summary="My knowledge questions")
@json_errors
def question_list(request, response: HttpResponse, cursor: str | None = cursor_param()):
    """Newest first."""
    user = _caller(request)
    return keyset_page(request, response, selectors.my_questions(user), cursor=cursor, size=PAGE_SIZE,
                       descending=True, out=_question)


@router.post(
    "/knowledge-questions",
    response={201: QuestionDetailOut, **ERRORS},
    summary="Ask a knowledge question",
)
@json_errors
def question_create(request, payload: QuestionIn):
    """Ask the knowledge desk a question; it is routed as `routing` says."""
    user = _caller(request, write=True)
    question = services.question_ask(
        author=user,
        title=payload.title,
        question=payload.question,
        context=payload.context,
        urgency=payload.urgency,
        theme=payload.theme,
        share_consent=payload.share_consent,
    )
    return Status(201, _detail(user, question))


@router.get("/knowledge-questions/inbox", response={200: InboxOut, **ERRORS}, summary="My inbox")
@json_errors
def question_inbox(request):
    """Partner contacts and editors: the questions routed to you, and the shared inbox."""
    user = _caller(request)
    if not permissions.can_see_inbox(user):
        raise NotFound(_("This page does not exist."))
    inbox = selectors.inbox_for(user)
    return {"mine": [_inbox_item(q) for q in inbox["mine"]], "shared": [_inbox_item(q) for q in inbox["shared"]]}


@router.get(
    "/knowledge-questions/overview", response={200: OverviewOut, **ERRORS}, summary="Counts for editors"
)
@json_errors
def question_overview(request):
    """Editors: numbers of questions per organisation and theme."""
    user = _caller(request)
    if not permissions.can_see_overview(user):
        raise NotFound(_("This page does not exist."))
    counts = selectors.overview_counts()
    return {
        "by_organisation": [
            {"name": row["organisation__name"] or "", "total": row["total"], "open": row["open"], "answered": row["answered"]}
            for row in counts["by_organisation"]
        ],
        "by_theme": [
            {"name": str(row["label"]), "total": row["total"], "open": row["open"], "answered": row["answered"]}
            for row in counts["by_theme"]
        ],
    }


@router.get(
    "/knowledge-questions/{question_id}", response={200: QuestionDetailOut, **ERRORS}, summary="One question"
)
@json_errors
def question_detail(request, question_id: int):
    """One question you asked or may handle, with its history."""
    user = _caller(request)
    return _detail(user, permissions.get_readable_question(user, question_id))


@router.post(
    "/knowledge-questions/{question_id}/actions",
    response={200: QuestionDetailOut, 204: None, **ERRORS},
    summary="Take a step: pick_up, request_info, answer, add_info, consent, forward_circle, forward_colleague, close",
)
@json_errors
def question_action(request, question_id: int, payload: ActionIn):
    """One step of the status machine; `allowed_actions` of the question lists yours."""
    user = _caller(request, write=True)
    question = permissions.get_readable_question(user, question_id)
    channel = colleague = None
    if payload.action == "forward_circle" and payload.channel is not None:
        channel = Channel.objects.filter(pk=payload.channel).first()
        if channel is None:
            raise NotFound(_("This channel does not exist."))
    if payload.action == "forward_colleague":
        colleague = get_user_model().objects.filter(pk=payload.colleague or 0).first()
    question = services.question_act(
        actor=user, question=question, action=payload.action, body=payload.body, channel=channel, colleague=colleague
    )
    if not permissions.can_read_question(user, question):
        return Status(204, None)  # forwarded to a colleague: no longer yours to see
    return Status(200, _detail(user, question))
