"""Knowledge questions: asked by a member, handled by the fixed contact person or the editors.

Status machine (every step is a QuestionEvent, so the history is complete):

    new ──pick up──▶ in progress ──answer──────────▶ answered ──close──▶ closed
     │                  │  ▲                                              ▲
     │                  │  └──pick up── forwarded ──close─────────────────┘
     │                  └──forward (to a circle or a colleague)──▶ forwarded

The handler's work on a question that is new or forwarded (answer, ask for more information,
forward) first picks it up: the history then shows new → in progress → answered.
A step the machine does not allow raises Conflict (409) with the reason; a step by someone
who may see the question but not take the step raises NotAllowed (403); someone who may not
see the question gets NotFound (404). Nothing is stored when a step is refused.
"""

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import permissions as circle_permissions
from communities.models import Channel
from communities.services import message_post
from communities.uploads import file_extension
from core.ratelimit import check_rate

from .. import permissions
from ..errors import Conflict, InvalidInput, NotAllowed, NotFound
from ..models import KnowledgeQuestion, QuestionEvent, QuestionStatus, Theme, Urgency
from ..models.questions import CONTEXT_TEXT_MAX, QUESTION_TEXT_MAX, REPLY_TEXT_MAX
from ..selectors import routing_for
from .attachments import inspect_upload, private_storage, store_question_file
from .notify import _tell_handlers, _tell_member

S = QuestionStatus
Kind = QuestionEvent.Kind
MEMBER, HANDLER = "member", "handler"
WORK_STATUSES = frozenset({S.NEW, S.IN_PROGRESS, S.FORWARDED})


@dataclass(frozen=True)
class Rule:
    who: frozenset  # MEMBER and/or HANDLER
    sources: frozenset  # statuses the step may start from
    target: str | None  # status afterwards; None leaves it as it is
    picks_up: bool = False  # a new or forwarded question is picked up first


RULES = {
    "pick_up": Rule(frozenset({HANDLER}), frozenset({S.NEW, S.FORWARDED}), S.IN_PROGRESS),
    "request_info": Rule(frozenset({HANDLER}), WORK_STATUSES, S.IN_PROGRESS, picks_up=True),
    "answer": Rule(frozenset({HANDLER}), WORK_STATUSES, S.ANSWERED, picks_up=True),
    "forward_circle": Rule(frozenset({HANDLER}), WORK_STATUSES, S.FORWARDED, picks_up=True),
    "forward_colleague": Rule(frozenset({HANDLER}), WORK_STATUSES, S.FORWARDED, picks_up=True),
    "add_info": Rule(frozenset({MEMBER}), WORK_STATUSES, None),
    "consent": Rule(frozenset({MEMBER}), WORK_STATUSES, None),
    "close": Rule(frozenset({MEMBER, HANDLER}), frozenset({S.ANSWERED, S.FORWARDED}), S.CLOSED),
}


def refusal_reason(action: str, status: str) -> str:
    """Why `action` cannot start from `status` (shown to the user with a 409)."""
    if status == S.CLOSED:
        return _("This question is closed; nothing can be changed any more.")
    if action == "pick_up" and status == S.IN_PROGRESS:
        return _("This question is already being handled.")
    if action == "close":
        return _("Only a question that has been answered or forwarded can be closed.")
    if status == S.ANSWERED:
        if action in ("add_info", "consent"):
            return _("This question has already been answered. Ask a new question if something is still unclear.")
        return _("This question has already been answered; it can only be closed now.")
    return _("This step is not possible for a question with status “%(status)s”.") % {"status": S(status).label}


def allowed_actions(user, question: KnowledgeQuestion) -> set[str]:
    """The steps this user may take now (the page shows only these)."""
    roles = set()
    if permissions.is_author(user, question):
        roles.add(MEMBER)
    if permissions.can_handle(user, question):
        roles.add(HANDLER)
    actions = {name for name, rule in RULES.items() if rule.who & roles and question.status in rule.sources}
    if question.share_consent:
        actions.discard("consent")
    return actions


# --- helpers -----------------------------------------------------------------------------


def _clean_text(value, *, label: str, maximum: int, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(_("%(field)s must be text.") % {"field": label}, code="invalid")
    value = value.strip()
    if required and not value:
        raise InvalidInput(_("Fill in %(field)s.") % {"field": label.lower()}, code="required")
    if len(value) > maximum:
        raise InvalidInput(
            _("%(field)s can be at most %(max)s characters long; this text has %(length)s.")
            % {"field": label, "max": f"{maximum:,}".replace(",", "."), "length": f"{len(value):,}".replace(",", ".")},
            code="too_long",
        )
    return value


def check_step(actor, question: KnowledgeQuestion | None, action: str) -> None:
    """May `actor` take this step now? In this order: may see it (404), may take the step (403), status (409).

    Pages call this before they validate the step's input; the services call it again under a lock.
    """
    if question is None or not permissions.can_read_question(actor, question):
        raise NotFound(_("This question does not exist."))
    rule = RULES[action]
    roles = set()
    if permissions.is_author(actor, question):
        roles.add(MEMBER)
    if permissions.can_handle(actor, question):
        roles.add(HANDLER)
    if not rule.who & roles:
        if rule.who == {MEMBER}:
            raise NotAllowed(_("Only the member who asked this question can do this."))
        raise NotAllowed(_("Only the person handling this question can do this."))
    if question.status not in rule.sources:
        raise Conflict(refusal_reason(action, question.status), code="transition_not_allowed")


def _begin(actor, question: KnowledgeQuestion, action: str) -> KnowledgeQuestion:
    """Lock the question and check the step (see check_step)."""
    locked = KnowledgeQuestion.objects.select_for_update(of=("self",)).select_related("contact").filter(pk=question.pk).first()
    check_step(actor, locked, action)
    return locked


def _record(question, *, actor, kind, to_status=None, body="", notify=True, **extra) -> QuestionEvent:
    from_status = question.status
    if to_status is not None:
        question.status = to_status
    event = QuestionEvent.objects.create(
        question=question,
        actor=actor,
        kind=kind,
        from_status=from_status,
        to_status=question.status,
        body=body,
        **extra,
    )
    if notify:
        _tell_member(question, event)
    return event


def _pick_up(question: KnowledgeQuestion, actor, *, notify: bool) -> None:
    question.assignee = actor
    question.waiting_since = None
    _record(question, actor=actor, kind=Kind.PICKED_UP, to_status=S.IN_PROGRESS, notify=notify)


def _work(actor, question: KnowledgeQuestion, action: str) -> KnowledgeQuestion:
    """Begin a handler's step; a new or forwarded question is first picked up (without a separate email)."""
    question = _begin(actor, question, action)
    if RULES[action].picks_up and question.status != S.IN_PROGRESS:
        _pick_up(question, actor, notify=False)
    return question


def _save(question: KnowledgeQuestion, *fields: str) -> None:
    question.save(update_fields=[*fields, "updated_at"])


# --- asking ------------------------------------------------------------------------------


@transaction.atomic
def question_ask(
    *,
    author,
    title,
    question,
    context="",
    urgency=Urgency.NORMAL,
    theme=Theme.OTHER,
    share_consent: bool = False,
    attachment=None,
) -> KnowledgeQuestion:
    """Store a member's question and route it: to the fixed contact person of the member's partner
    organisation, or else to the editors' shared inbox."""
    if not getattr(author, "is_authenticated", False):
        raise NotFound(_("This page does not exist."))
    title = _clean_text(title, label=_("Title"), maximum=150)
    text = _clean_text(question, label=_("Question"), maximum=QUESTION_TEXT_MAX)
    context = _clean_text(context, label=_("Context"), maximum=CONTEXT_TEXT_MAX, required=False)
    if urgency not in Urgency.values:
        raise InvalidInput(_("Choose how urgent the question is."), code="invalid_urgency")
    if theme not in Theme.values:
        raise InvalidInput(_("Choose a theme."), code="invalid_theme")
    if not isinstance(share_consent, bool):
        raise InvalidInput(_("Consent must be true or false."), code="invalid_consent")

    file_fields = {}
    if attachment is not None:
        name, content_type = inspect_upload(attachment)
        file_fields = {
            "attachment_name": name,
            "attachment_content_type": content_type,
            "attachment_size": attachment.size,
        }

    check_rate("knowledge_question", author.pk,
               message=_("You have asked many questions in a short time. Please try again later."))
    routing = routing_for(author)
    now = timezone.now()
    knowledge_question = KnowledgeQuestion(
        author=author,
        organisation=routing.organisation,
        contact=routing.contact,
        assignee=routing.contact.user if routing.contact else None,
        title=title,
        question=text,
        context=context,
        urgency=urgency,
        theme=theme,
        share_consent=share_consent,
        waiting_since=now,
        **file_fields,
    )
    stored_name = ""
    if attachment is not None:
        stored_name = store_question_file(attachment, file_extension(file_fields["attachment_name"]))
        knowledge_question.attachment_storage_name = stored_name
    try:
        knowledge_question.save()
        event = _record(knowledge_question, actor=author, kind=Kind.ASKED, notify=False)
    except Exception:
        if stored_name:
            private_storage().delete(stored_name)
        raise
    _tell_member(knowledge_question, event)  # the receipt: where the question went
    _tell_handlers(knowledge_question, event)
    return knowledge_question


# --- the handler's steps ------------------------------------------------------------------


@transaction.atomic
def question_pick_up(*, actor, question: KnowledgeQuestion) -> KnowledgeQuestion:
    question = _begin(actor, question, "pick_up")
    _pick_up(question, actor, notify=True)
    _save(question, "status", "assignee", "waiting_since")
    return question


@transaction.atomic
def question_request_info(*, actor, question: KnowledgeQuestion, body) -> KnowledgeQuestion:
    body = _clean_text(body, label=_("Your question to the member"), maximum=REPLY_TEXT_MAX)
    question = _work(actor, question, "request_info")
    question.awaiting_member = True
    _record(question, actor=actor, kind=Kind.INFO_REQUESTED, to_status=S.IN_PROGRESS, body=body)
    _save(question, "status", "assignee", "waiting_since", "awaiting_member")
    return question


@transaction.atomic
def question_answer(*, actor, question: KnowledgeQuestion, body) -> KnowledgeQuestion:
    body = _clean_text(body, label=_("Answer"), maximum=REPLY_TEXT_MAX)
    question = _work(actor, question, "answer")
    question.awaiting_member = False
    question.answered_at = timezone.now()
    _record(question, actor=actor, kind=Kind.ANSWERED, to_status=S.ANSWERED, body=body)
    _save(question, "status", "assignee", "waiting_since", "awaiting_member", "answered_at")
    return question


def circle_thread_body(question: KnowledgeQuestion, *, forwarded_by, note: str = "") -> str:
    """The opening message of the thread: the question, its author (with consent) and who put it to the circle."""
    author = question.author
    author_name = author.profile.display_name if hasattr(author, "profile") else author.get_username()
    author_link = f"[{_escape_md(author_name)}]({reverse('communities:member', args=[author.pk])})"
    if question.organisation_id:
        asked_by = _("Knowledge question from %(author)s (%(organisation)s)") % {
            "author": author_link,
            "organisation": _escape_md(question.organisation.name),
        }
    else:
        asked_by = _("Knowledge question from %(author)s") % {"author": author_link}
    forwarder = forwarded_by.profile.display_name if hasattr(forwarded_by, "profile") else forwarded_by.get_username()
    parts = [f"**{asked_by}:** {_escape_md(question.title)}", question.question]
    if question.context:
        parts.append(f"**{_('Context')}:** {question.context}")
    if note:
        parts.append(note)
    parts.append(
        "_"
        + _("Put to this circle by %(name)s, with the consent of the member who asked it. Reply in this thread.")
        % {"name": _escape_md(forwarder)}
        + "_"
    )
    return "\n\n".join(parts)


def _escape_md(text: str) -> str:
    return "".join("\\" + ch if ch in "\\`*_[]()#<>!|" else ch for ch in text)


@transaction.atomic
def question_forward_to_circle(*, actor, question: KnowledgeQuestion, channel: Channel, note="") -> KnowledgeQuestion:
    """Put the question to a learning circle as a new thread. Only with the member's consent."""
    note = _clean_text(note, label=_("Note"), maximum=2000, required=False)
    question = _begin(actor, question, "forward_circle")
    if not question.share_consent:
        raise Conflict(
            _(
                "The member has not agreed that this question is put to a learning circle. "
                "Ask them first; they can give their consent on the question's page."
            ),
            code="no_consent",
        )
    channel = Channel.objects.select_related("circle").filter(pk=getattr(channel, "pk", channel)).first()
    if channel is None or not circle_permissions.can_read_channel(actor, channel):
        raise NotFound(_("This channel does not exist."))
    if question.status != S.IN_PROGRESS:
        _pick_up(question, actor, notify=False)
    message = message_post(author=actor, channel=channel, body=circle_thread_body(question, forwarded_by=actor, note=note))
    question.awaiting_member = False
    _record(
        question,
        actor=actor,
        kind=Kind.FORWARDED_CIRCLE,
        to_status=S.FORWARDED,
        body=note,
        circle=channel.circle,
        message=message,
    )
    _save(question, "status", "assignee", "waiting_since", "awaiting_member")
    return question


@transaction.atomic
def question_forward_to_colleague(*, actor, question: KnowledgeQuestion, colleague, note="") -> KnowledgeQuestion:
    """Hand the question to a colleague (an editor or facilitator), who finds it in their inbox."""
    note = _clean_text(note, label=_("Note"), maximum=2000, required=False)
    question = _begin(actor, question, "forward_colleague")
    if colleague is None or not getattr(colleague, "is_active", False) or not permissions.has_contact_role(colleague):
        raise InvalidInput(_("Choose a colleague with the editor or facilitator role."), code="invalid_colleague")
    if colleague.pk == actor.pk:
        raise InvalidInput(_("Choose a colleague other than yourself."), code="invalid_colleague")
    if question.status != S.IN_PROGRESS:
        _pick_up(question, actor, notify=False)
    question.assignee = colleague
    question.waiting_since = timezone.now()
    question.awaiting_member = False
    event = _record(
        question, actor=actor, kind=Kind.FORWARDED_COLLEAGUE, to_status=S.FORWARDED, body=note, colleague=colleague
    )
    _save(question, "status", "assignee", "waiting_since", "awaiting_member")
    _tell_handlers(question, event)
    return question


# --- the member's steps ----------------------------------------------------------------


@transaction.atomic
def question_add_info(*, actor, question: KnowledgeQuestion, body) -> KnowledgeQuestion:
    body = _clean_text(body, label=_("Your addition"), maximum=REPLY_TEXT_MAX)
    question = _begin(actor, question, "add_info")
    question.awaiting_member = False
    event = _record(question, actor=actor, kind=Kind.INFO_ADDED, body=body)
    _save(question, "awaiting_member")
    _tell_handlers(question, event)
    return question


@transaction.atomic
def question_consent(*, actor, question: KnowledgeQuestion) -> KnowledgeQuestion:
    question = _begin(actor, question, "consent")
    if question.share_consent:
        return question
    question.share_consent = True
    event = _record(question, actor=actor, kind=Kind.CONSENT_GIVEN)
    _save(question, "share_consent")
    _tell_handlers(question, event)
    return question


@transaction.atomic
def question_close(*, actor, question: KnowledgeQuestion, note="") -> KnowledgeQuestion:
    note = _clean_text(note, label=_("Note"), maximum=2000, required=False)
    question = _begin(actor, question, "close")
    question.closed_at = timezone.now()
    question.awaiting_member = False
    event = _record(question, actor=actor, kind=Kind.CLOSED, to_status=S.CLOSED, body=note)
    _save(question, "status", "closed_at", "awaiting_member")
    if permissions.is_author(actor, question):
        _tell_handlers(question, event)
    return question


# --- one door for the API ------------------------------------------------------------------


def question_act(*, actor, question: KnowledgeQuestion, action: str, body=None, channel=None, colleague=None):
    """Run one named step (the API's POST .../actions). Unknown steps are invalid input."""
    if action == "pick_up":
        return question_pick_up(actor=actor, question=question)
    if action == "request_info":
        return question_request_info(actor=actor, question=question, body=body)
    if action == "answer":
        return question_answer(actor=actor, question=question, body=body)
    if action == "add_info":
        return question_add_info(actor=actor, question=question, body=body)
    if action == "consent":
        return question_consent(actor=actor, question=question)
    if action == "close":
        return question_close(actor=actor, question=question, note=body or "")
    if action == "forward_circle":
        if channel is None:
            raise InvalidInput(_("Choose the channel to put the question to."), code="channel_required")
        return question_forward_to_circle(actor=actor, question=question, channel=channel, note=body or "")
    if action == "forward_colleague":
        return question_forward_to_colleague(actor=actor, question=question, colleague=colleague, note=body or "")
    raise InvalidInput(
        _("Unknown step “%(action)s”. Possible steps: %(actions)s.")
        % {"action": str(action)[:40], "actions": ", ".join(RULES)},
        code="unknown_action",
    )
