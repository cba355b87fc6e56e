import hashlib
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import Conflict, InvalidInput, NotFound
from ..models import Case, CaseGuest
from ..permissions import Action, check, forget_case_guests, get_readable_case
from .common import locked_case
from .mail import email_on_commit

GUEST_INVITATION_DAYS = 14


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def case_guest_invite(*, inviter, case: Case, email) -> tuple[CaseGuest, str]:
    """A facilitator invites an outside expert to this one case. Returns the guest and the
    token; only its hash is stored, the token itself goes out by email."""
    case = locked_case(case)
    check(inviter, case, Action.INVITE_GUEST)
    email = (email or "").strip() if isinstance(email, str) else ""
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(_("Enter a valid email address, like name@example.org."), code="invalid_email") from None
    existing = CaseGuest.objects.filter(case=case, email__iexact=email, revoked_at__isnull=True)
    if existing.filter(accepted_at__isnull=False).exists():
        raise Conflict(_("%(email)s is already a guest of this case.") % {"email": email}, code="already_guest")
    now = timezone.now()
    existing.filter(accepted_at__isnull=True).update(revoked_at=now)  # a new invitation replaces an open one
    token = secrets.token_urlsafe(32)
    guest = CaseGuest.objects.create(
        case=case,
        email=email,
        token_hash=hash_token(token),
        invited_by=inviter,
        expires_at=now + timedelta(days=GUEST_INVITATION_DAYS),
    )
    email_on_commit(
        to=email,
        template="guest_invitation",
        context={
            "case": case,
            "circle": case.circle,
            "inviter_name": getattr(getattr(inviter, "profile", None), "display_name", ""),
            "accept_path": reverse("casework:guest_accept", args=[token]),
            "days": GUEST_INVITATION_DAYS,
        },
    )
    return guest, token


def guest_invitation_for_token(token) -> CaseGuest:
    """The invitation behind a token, whatever its state; NotFound for an unknown token."""
    if not isinstance(token, str) or not token:
        raise NotFound(_("This invitation does not exist."))
    guest = CaseGuest.objects.select_related("case__circle").filter(token_hash=hash_token(token)).first()
    if guest is None:
        raise NotFound(_("This invitation does not exist."))
    return guest


def _email_matches(user, email: str) -> bool:
    if (user.email or "").lower() == email.lower():
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


@transaction.atomic
def case_guest_accept(*, user, token) -> CaseGuest:
    """The invited expert, signed in with the invited address, accepts: single use, before expiry."""
    guest = guest_invitation_for_token(token)
    guest = CaseGuest.objects.select_for_update(of=("self",)).select_related("case__circle").get(pk=guest.pk)
    if guest.revoked_at is not None:
        raise Conflict(_("This invitation has been withdrawn."), code="invitation_revoked")
    if guest.accepted_at is not None:
        if guest.user_id == user.pk:
            return guest
        raise Conflict(_("This invitation has already been used."), code="invitation_used")
    if guest.expires_at <= timezone.now():
        raise Conflict(_("This invitation has expired. Ask the facilitator for a new one."), code="invitation_expired")
    if not _email_matches(user, guest.email):
        raise Conflict(
            _("This invitation was sent to another email address. Sign in with the address the invitation was sent to."),
            code="wrong_account",
        )
    guest.user = user
    guest.accepted_at = timezone.now()
    guest.save(update_fields=["user", "accepted_at"])
    forget_case_guests(user)
    return guest


@transaction.atomic
def case_guest_revoke(*, revoker, guest: CaseGuest) -> CaseGuest:
    case = locked_case(guest.case)
    actor = get_readable_case(revoker, case)
    guest = CaseGuest.objects.select_for_update(of=("self",)).get(pk=guest.pk)
    if guest.case_id != case.pk:
        raise NotFound(_("This guest does not exist."))
    if not actor.is_facilitator:
        raise Conflict(_("Only a facilitator can withdraw a guest's access."), code="not_allowed")
    if guest.revoked_at is None:
        guest.revoked_at = timezone.now()
        guest.save(update_fields=["revoked_at"])
    return guest
