"""Who may do what with a case, and in which phase (DESIGN.md, "Case consultation method").

Used by services (which enforce it), views and templates (which only show what is allowed),
the API and the real-time consumer (`can_read_case`). Order of checks, everywhere:

1. may the user see the case at all?  no -> NotFound (404: the case does not exist for them)
2. may their role do this?            no -> Conflict with the reason
3. does the phase allow it?           no -> Conflict with the reason (code "wrong_phase")
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from communities.models import Membership
from communities.permissions import active_membership

from .errors import Conflict, NotFound
from .models import Case, CaseGuest

Phase = Case.Phase


class Action(StrEnum):
    READ = "read"
    EDIT = "edit"
    ATTACH = "attach"
    ASK = "ask"
    ANSWER = "answer"
    FEEDBACK = "feedback"
    HELPFUL = "helpful"
    REFLECT = "reflect"
    LESSON = "lesson"
    ADVANCE = "advance"
    MOVE_BACK = "move_back"
    INVITE_GUEST = "invite_guest"


# The phases in which each contribution is allowed at all.
PHASES_FOR = {
    Action.READ: set(Phase),
    Action.EDIT: {Phase.DRAFT},
    Action.ATTACH: {Phase.DRAFT, Phase.QUESTIONS},
    Action.ASK: {Phase.QUESTIONS},
    Action.ANSWER: {Phase.QUESTIONS},
    Action.FEEDBACK: {Phase.ADVICE},
    Action.HELPFUL: {Phase.REFLECTION},
    Action.REFLECT: {Phase.REFLECTION},
    Action.LESSON: {Phase.CONCLUDED},
    Action.ADVANCE: set(Phase) - {Phase.CONCLUDED},
    Action.MOVE_BACK: set(Phase) - {Phase.DRAFT},
    Action.INVITE_GUEST: {Phase.QUESTIONS, Phase.ADVICE},
}


@dataclass(frozen=True)
class CaseActor:
    """The requester as seen from one case."""

    user: object
    membership: Membership | None
    guest: CaseGuest | None
    is_owner: bool

    @property
    def role(self) -> str | None:
        """owner / facilitator / expert / member / guest, or None for an outsider."""
        if self.membership is None:
            return "guest" if self.guest is not None else None
        if self.is_owner:
            return "owner"
        return self.membership.role

    @property
    def is_facilitator(self) -> bool:
        return self.membership is not None and self.membership.role == Membership.Role.FACILITATOR

    @property
    def is_guest(self) -> bool:
        return self.membership is None and self.guest is not None

    @property
    def feedback_kind(self) -> str:
        """Experts and case guests give expert feedback; members and facilitators peer feedback."""
        from .models import Feedback

        if self.is_guest or (self.membership is not None and self.membership.role == Membership.Role.EXPERT):
            return Feedback.Kind.EXPERT
        return Feedback.Kind.PEER


def active_guest(user, case: Case) -> CaseGuest | None:
    """The user's accepted, unrevoked guest place at this case. Not cached on the user: a
    long-lived WebSocket consumer must see a withdrawal at its next check."""
    if not getattr(user, "is_authenticated", False):
        return None
    return CaseGuest.objects.filter(
        case_id=case.pk, user=user, accepted_at__isnull=False, revoked_at__isnull=True
    ).first()


def forget_case_guests(user) -> None:
    """Kept for callers that reset a user's cached permissions; guests are never cached."""


def case_actor(user, case: Case) -> CaseActor:
    membership = active_membership(user, case.circle)
    guest = None if membership is not None else active_guest(user, case)
    is_owner = membership is not None and case.author_id == user.pk
    return CaseActor(user=user, membership=membership, guest=guest, is_owner=is_owner)


def _actor_can_read(actor: CaseActor, case: Case) -> bool:
    if actor.membership is None and actor.guest is None:
        return False
    if case.phase == Phase.DRAFT:
        return actor.is_owner
    return True


def can_read_case(user, case: Case) -> bool:
    """For views, the API and the real-time consumer (`subscribe_case`)."""
    return _actor_can_read(case_actor(user, case), case)


def get_readable_case(user, case: Case) -> CaseActor:
    actor = case_actor(user, case)
    if not _actor_can_read(actor, case):
        raise NotFound(_("This case does not exist."))
    return actor


def _role_refusal(actor: CaseActor, case: Case, action: Action) -> str | None:
    """The reason this actor's role may not do `action`, or None."""
    owner_only = {
        Action.EDIT: _("Only the case owner can edit the case."),
        Action.ATTACH: _("Only the case owner can add attachments."),
        Action.ANSWER: _("Only the case owner answers the clarifying questions."),
        Action.HELPFUL: _("Only the case owner marks feedback as helpful."),
        Action.REFLECT: _("Only the case owner writes the reflection."),
        Action.LESSON: _("Only the case owner writes the lesson learned."),
    }
    if action in owner_only:
        return None if actor.is_owner else owner_only[action]
    if action == Action.ASK:
        if actor.is_guest:
            return _("As a guest of this case you can give expert feedback only.")
        if actor.is_owner:
            return _("You cannot ask clarifying questions about your own case; you answer them.")
        return None
    if action == Action.FEEDBACK:
        if actor.is_owner:
            return _("You cannot give feedback on your own case.")
        return None
    if action == Action.ADVANCE:
        if actor.is_owner or actor.is_facilitator:
            return None
        return _("Only the case owner or a facilitator can move the case to the next phase.")
    if action == Action.MOVE_BACK:
        return None if actor.is_facilitator else _("Only a facilitator can move a case back to an earlier phase.")
    if action == Action.INVITE_GUEST:
        return None if actor.is_facilitator else _("Only a facilitator can invite a guest to a case.")
    return None


def phase_label(phase: str) -> str:
    return str(Phase(phase).label)


def _phase_refusal(case: Case, action: Action) -> str | None:
    if case.phase in PHASES_FOR[action]:
        return None
    current = phase_label(case.phase)
    messages = {
        Action.EDIT: _("The case can only be edited while it is a draft. It is now in the phase “%(phase)s”."),
        Action.ATTACH: _(
            "Attachments can only be added in the draft and questions phases. The case is now in the phase “%(phase)s”."
        ),
        Action.ASK: _("Clarifying questions can only be asked in the questions phase. The case is now in the phase “%(phase)s”."),
        Action.ANSWER: _("Questions can only be answered in the questions phase. The case is now in the phase “%(phase)s”."),
        Action.FEEDBACK: _("Feedback can only be given in the advice phase. The case is now in the phase “%(phase)s”."),
        Action.HELPFUL: _(
            "Feedback can only be marked as helpful in the reflection phase. The case is now in the phase “%(phase)s”."
        ),
        Action.REFLECT: _("The reflection is written in the reflection phase. The case is now in the phase “%(phase)s”."),
        Action.LESSON: _("The lesson learned is written once the case is concluded. The case is now in the phase “%(phase)s”."),
        Action.ADVANCE: _("This case is concluded: there is no next phase."),
        Action.MOVE_BACK: _("This case is a draft: there is no earlier phase."),
        Action.INVITE_GUEST: _(
            "Guests can only be invited in the questions and advice phases. The case is now in the phase “%(phase)s”."
        ),
    }
    return messages[action] % {"phase": current}


def refusal(actor: CaseActor, case: Case, action: Action) -> str | None:
    """Why `actor` may not do `action` now (assuming they can read the case), or None."""
    if action != Action.READ and case.circle.archived:
        return _("This learning circle is archived: nothing can be added any more.")
    return _role_refusal(actor, case, action) or _phase_refusal(case, action)


def check(user, case: Case, action: Action) -> CaseActor:
    """Raise NotFound or Conflict unless `user` may do `action` on `case` now."""
    actor = get_readable_case(user, case)
    if action == Action.READ:
        return actor
    if case.circle.archived:
        raise Conflict(_("This learning circle is archived: nothing can be added any more."), code="archived")
    reason = _role_refusal(actor, case, action)
    if reason:
        raise Conflict(reason, code="not_allowed")
    reason = _phase_refusal(case, action)
    if reason:
        raise Conflict(reason, code="wrong_phase")
    return actor


def allowed_actions(actor: CaseActor, case: Case) -> set[str]:
    """Everything `actor` may do now, for templates (`"feedback" in allowed`)."""
    if not _actor_can_read(actor, case):
        return set()
    return {action.value for action in Action if refusal(actor, case, action) is None}


def can_download_attachment(user, attachment) -> bool:
    return can_read_case(user, attachment.case)
