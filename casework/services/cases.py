from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.audit import Action as AuditAction
from communities.audit import audit_record
from communities.models import Circle
from communities.permissions import require_member
from communities.search_vectors import refresh_case_vectors
from core.ratelimit import check_rate

from ..errors import Conflict, InvalidInput
from ..models import Case
from ..models.cases import PHASE_ORDER
from ..payloads import case_event
from ..permissions import Action, check, phase_label
from communities.notifications import case_triggers
from webhooks import services as webhooks

from .common import broadcast, clean_text, locked_case, render

MAX_THEMES = 8
THEME_MAX_LENGTH = 50


def clean_themes(themes) -> list[str]:
    if themes is None:
        return []
    if isinstance(themes, str):
        themes = themes.split(",")
    if not isinstance(themes, (list, tuple)) or not all(isinstance(theme, str) for theme in themes):
        raise InvalidInput(_("Themes must be a list of words."), code="invalid_themes")
    cleaned = []
    for theme in themes:
        theme = " ".join(theme.split())
        if not theme:
            continue
        if len(theme) > THEME_MAX_LENGTH:
            raise InvalidInput(_("A theme can be at most 50 characters long."), code="invalid_themes")
        if theme.lower() not in {existing.lower() for existing in cleaned}:
            cleaned.append(theme)
    if len(cleaned) > MAX_THEMES:
        raise InvalidInput(_("Choose at most 8 themes."), code="invalid_themes")
    return cleaned


def _clean_case_fields(data: dict) -> dict:
    fields = {
        "title": clean_text(data.get("title"), label=_("Title"), max_length=160),
        "context": clean_text(data.get("context"), label=_("Context")),
        "question": clean_text(data.get("question"), label=_("Your question for the circle")),
        "tried": clean_text(data.get("tried"), label=_("What have you tried?"), required=False),
        "desired_outcome": clean_text(data.get("desired_outcome"), label=_("Desired outcome"), required=False),
    }
    confidential = data.get("confidential", False)
    if not isinstance(confidential, bool):
        raise InvalidInput(_("“Confidential” must be yes or no."), code="invalid_confidential")
    fields["confidential"] = confidential
    return fields


def _apply_fields(case: Case, fields: dict) -> None:
    for name, value in fields.items():
        setattr(case, name, value)
    for name in ("context", "question", "tried", "desired_outcome"):
        setattr(case, f"{name}_html", render(getattr(case, name)))


@transaction.atomic
def case_create(
    *,
    author,
    circle: Circle,
    title,
    context,
    question,
    tried="",
    desired_outcome="",
    themes=None,
    confidential=False,
    files=(),
) -> Case:
    """A new case, as a draft only its owner sees. Attachments are checked before anything is stored."""
    from .attachments import MAX_ATTACHMENTS_PER_CASE, attachment_add, inspect_upload

    require_member(author, circle)
    if circle.archived:
        raise Conflict(_("This learning circle is archived: nothing can be added any more."), code="archived")
    fields = _clean_case_fields(
        {"title": title, "context": context, "question": question, "tried": tried,
         "desired_outcome": desired_outcome, "confidential": confidential}
    )
    themes = clean_themes(themes)
    files = list(files)
    if len(files) > MAX_ATTACHMENTS_PER_CASE:
        raise InvalidInput(_("A case can have at most 10 attachments."), code="too_many_attachments")
    for upload in files:
        inspect_upload(upload)
    check_rate("case", author.pk, message=_("You have brought in many cases in a short time. Try again later."))
    case = Case(circle=circle, author=author)
    _apply_fields(case, fields)
    case.save()
    refresh_case_vectors(Case.objects.filter(pk=case.pk))
    case.themes.set(themes)
    for upload in files:
        attachment_add(uploader=author, case=case, upload=upload)
    return case


@transaction.atomic
def case_update(*, editor, case: Case, files=(), **data) -> Case:
    """Edit a draft, and add attachments. Fields not given keep their value."""
    from .attachments import attachments_add, inspect_upload

    case = locked_case(case)
    check(editor, case, Action.EDIT)
    files = list(files)
    for upload in files:
        inspect_upload(upload)
    current = {name: getattr(case, name) for name in ("title", "context", "question", "tried", "desired_outcome", "confidential")}
    current.update({key: value for key, value in data.items() if key in current})
    fields = _clean_case_fields(current)
    themes = clean_themes(data["themes"]) if "themes" in data else None
    _apply_fields(case, fields)
    case.save()
    refresh_case_vectors(Case.objects.filter(pk=case.pk))
    if themes is not None:
        case.themes.set(themes, clear=True)
    if files:
        attachments_add(uploader=editor, case=case, uploads=files)
    broadcast(case, case_event(case))
    webhooks.dispatch_on_commit(event="case.updated", circle=case.circle, obj=case)
    return case


@transaction.atomic
def case_move(*, actor, case: Case, to_phase) -> Case:
    """Move the case one phase forward (owner or facilitator) or back (facilitator)."""
    if to_phase not in PHASE_ORDER:
        raise InvalidInput(_("Unknown phase: choose one of %(phases)s.") % {"phases": ", ".join(PHASE_ORDER)},
                           code="invalid_phase")
    case = locked_case(case)
    current, target = PHASE_ORDER.index(case.phase), PHASE_ORDER.index(to_phase)
    if target == current + 1:
        check(actor, case, Action.ADVANCE)
    elif target == current - 1:
        check(actor, case, Action.MOVE_BACK)
    else:
        check(actor, case, Action.READ)
        if target == current:
            raise Conflict(_("The case is already in the phase “%(phase)s”.") % {"phase": phase_label(case.phase)},
                           code="wrong_phase")
        raise Conflict(
            _("A case moves one phase at a time; from “%(current)s” it can go to the next or previous phase only.")
            % {"current": phase_label(case.phase)},
            code="wrong_phase",
        )
    now = timezone.now()
    old_phase = case.phase
    case.phase = to_phase
    case.phase_changed_at = now
    if to_phase == Case.Phase.CONCLUDED:
        case.concluded_at = now
    elif case.concluded_at is not None:
        case.concluded_at = None
    case.save(update_fields=["phase", "phase_changed_at", "concluded_at", "updated_at"])
    audit_record(circle=case.circle, actor=actor, action=AuditAction.PHASE_CHANGED, case=case.pk, old=old_phase, new=to_phase)
    broadcast(case, case_event(case))
    webhooks.dispatch_on_commit(event="case.updated", circle=case.circle, obj=case)
    if current == PHASE_ORDER.index(Case.Phase.DRAFT):
        case_triggers.case_brought_in(case=case, actor=actor)  # the circle sees it from now on
    else:
        case_triggers.case_phase_changed(case=case, actor=actor)
    return case


@transaction.atomic
def case_reflect(*, author, case: Case, reflection) -> Case:
    """The owner's reflection: what they take from the feedback and will do."""
    case = locked_case(case)
    check(author, case, Action.REFLECT)
    case.reflection = clean_text(reflection, label=_("Your reflection"))
    case.reflection_html = render(case.reflection)
    case.save(update_fields=["reflection", "reflection_html", "updated_at"])
    broadcast(case, case_event(case))
    webhooks.dispatch_on_commit(event="case.updated", circle=case.circle, obj=case)
    return case
