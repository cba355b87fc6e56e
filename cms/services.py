"""Write paths of the public site: event registration, cancellation, newsletter, lesson drafts.

Views, the admin and management commands call these; none of them writes the models directly.
Mails go out through cms.tasks, and only after the transaction has committed.
"""

from dataclasses import dataclass
from functools import partial

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Sum
from django.utils import formats, timezone, translation
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _
from wagtail.rich_text import RichText

from . import tasks
from .emails import (
    NEWSLETTER_CONFIRM_MAX_AGE,
    NEWSLETTER_CONFIRM_SALT,
    NEWSLETTER_UNSUBSCRIBE_SALT,
)
from .models import EventPage, EventRegistration, LessonIndexPage, LessonPage, NewsletterSubscription

Status = EventRegistration.Status


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _send_registration_email_on_commit(registration: EventRegistration, kind: str) -> None:
    transaction.on_commit(partial(tasks.send_registration_email.enqueue, registration.pk, kind), robust=True)


def _lock_event(event: EventPage) -> EventPage:
    """Serialise registrations and cancellations per event (a row lock; SQLite locks the database)."""
    return EventPage.objects.select_for_update(of=("self",)).get(pk=event.pk)


def _confirmed_seats(event: EventPage) -> int:
    return event.registrations.filter(status=Status.CONFIRMED).aggregate(n=Sum("seats"))["n"] or 0


# --- event registration -----------------------------------------------------------------


@dataclass(frozen=True)
class RegistrationResult:
    registration: EventRegistration
    waiting_position: int | None  # None when the registrant has a place

    @property
    def on_waiting_list(self) -> bool:
        return self.waiting_position is not None


@transaction.atomic
def registration_create(
    *,
    event: EventPage,
    name: str,
    email: str,
    organisation: str,
    job_title: str,
    extra_participants: list[str] | tuple[str, ...] = (),
    language: str | None = None,
) -> RegistrationResult:
    """Register someone for an event, or put them on the waiting list when it is full.

    Raises ValidationError (with a message for the visitor) when registration is closed,
    the email address is already registered, or the input is incomplete.
    """
    event = _lock_event(event)
    now = timezone.now()
    if not event.registration_enabled:
        raise ValidationError(_("You cannot register for this event through this website."), code="disabled")
    if now >= event.registration_closes_at:
        closed_at = formats.date_format(timezone.localtime(event.registration_closes_at), "j F Y H:i")
        raise ValidationError(
            _("Registration for this event closed on %(moment)s.") % {"moment": closed_at}, code="closed"
        )

    fields = {"name": name.strip(), "organisation": organisation.strip(), "job_title": job_title.strip()}
    missing = [key for key, value in fields.items() if not value]
    if missing:
        raise ValidationError(_("Fill in your name, organisation and job title."), code="missing")
    email = normalise_email(email)
    validate_email(email)
    extra = [line.strip() for line in extra_participants if line.strip()]
    if len(extra) > event.max_extra_participants:
        raise ValidationError(_("You are registering too many colleagues."), code="too_many")

    existing = EventRegistration.objects.filter(event=event, email=email).first()
    if existing is not None and existing.status != Status.CANCELLED:
        if existing.status == Status.WAITING:
            message = _("This email address is already on the waiting list for this event.")
        else:
            message = _("This email address is already registered for this event.")
        raise ValidationError(message, code="duplicate")

    seats = 1 + len(extra)
    someone_waiting = event.registrations.filter(status=Status.WAITING).exists()
    has_room = event.capacity is None or _confirmed_seats(event) + seats <= event.capacity
    status = Status.CONFIRMED if has_room and not someone_waiting else Status.WAITING

    registration = existing or EventRegistration(event=event, email=email)
    for key, value in fields.items():
        setattr(registration, key, value)
    registration.extra_participants = "\n".join(extra)
    registration.seats = seats
    registration.status = status
    registration.language = language or translation.get_language() or "nl"
    registration.registered_at = now
    registration.promoted_at = None
    registration.cancelled_at = None
    registration.full_clean(validate_unique=False, validate_constraints=False)
    registration.save()

    waiting_position = None
    if status == Status.WAITING:
        waiting_position = registration_waiting_position(registration=registration)
    _send_registration_email_on_commit(registration, "confirmed" if status == Status.CONFIRMED else "waiting")
    return RegistrationResult(registration=registration, waiting_position=waiting_position)


def registration_waiting_position(*, registration: EventRegistration) -> int:
    ahead = EventRegistration.objects.filter(
        event_id=registration.event_id, status=Status.WAITING, registered_at__lt=registration.registered_at
    ).count()
    return ahead + 1


def registration_for_token(*, event: EventPage, token: str) -> EventRegistration | None:
    pk = EventRegistration.pk_from_cancel_token(token)
    if pk is None:
        return None
    return EventRegistration.objects.filter(pk=pk, event=event).first()


@transaction.atomic
def registration_cancel(*, registration: EventRegistration) -> list[EventRegistration]:
    """Cancel a registration and give the freed places to the first people waiting, in order.

    Returns the registrations that moved from the waiting list; each of them is emailed.
    """
    event = _lock_event(registration.event)
    registration = EventRegistration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Status.CANCELLED:
        return []
    registration.status = Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    return _promote_waiting(event)


@transaction.atomic
def event_waiting_list_promote(*, event: EventPage) -> list[EventRegistration]:
    """Fill free places from the waiting list, for example after an editor raised the capacity."""
    return _promote_waiting(_lock_event(event))


def _promote_waiting(event: EventPage) -> list[EventRegistration]:
    now = timezone.now()
    if event.start <= now:
        return []
    promoted = []
    free = None if event.capacity is None else event.capacity - _confirmed_seats(event)
    for waiting in event.registrations.select_for_update().filter(status=Status.WAITING).order_by("registered_at", "pk"):
        if free is not None and waiting.seats > free:
            break  # first come, first served: nobody skips the queue
        waiting.status = Status.CONFIRMED
        waiting.promoted_at = now
        waiting.save(update_fields=["status", "promoted_at"])
        _send_registration_email_on_commit(waiting, "promoted")
        promoted.append(waiting)
        if free is not None:
            free -= waiting.seats
    return promoted


# --- newsletter -------------------------------------------------------------------------


class InvalidToken(ValidationError):
    pass


def _send_newsletter_email_on_commit(subscription: NewsletterSubscription, kind: str) -> None:
    transaction.on_commit(partial(tasks.send_newsletter_email.enqueue, subscription.pk, kind), robust=True)


@transaction.atomic
def newsletter_subscribe(*, email: str, language: str | None = None) -> NewsletterSubscription:
    """Start the double opt-in: a mail with a confirmation link. Nothing is sent to an active subscriber,
    and the visitor sees the same answer either way (no way to find out who is subscribed)."""
    email = normalise_email(email)
    validate_email(email)
    subscription, created = NewsletterSubscription.objects.select_for_update().get_or_create(
        email=email, defaults={"language": language or translation.get_language() or "nl"}
    )
    if subscription.status == NewsletterSubscription.Status.ACTIVE:
        return subscription
    if not created:
        subscription.status = NewsletterSubscription.Status.PENDING
        subscription.language = language or translation.get_language() or subscription.language
        subscription.unsubscribed_at = None
        subscription.save(update_fields=["status", "language", "unsubscribed_at"])
    _send_newsletter_email_on_commit(subscription, "confirm")
    return subscription


def _subscription_from_token(token: str, *, salt: str, max_age: int | None = None) -> NewsletterSubscription:
    try:
        pk, email = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise InvalidToken(_("This link has expired. Sign up again to get a new one."), code="expired") from error
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise InvalidToken(_("This link is not valid."), code="invalid") from error
    subscription = NewsletterSubscription.objects.select_for_update().filter(pk=pk, email=email).first()
    if subscription is None:
        raise InvalidToken(_("This link is not valid."), code="invalid")
    return subscription


@transaction.atomic
def newsletter_confirm(*, token: str) -> NewsletterSubscription:
    subscription = _subscription_from_token(token, salt=NEWSLETTER_CONFIRM_SALT, max_age=NEWSLETTER_CONFIRM_MAX_AGE)
    if subscription.status == NewsletterSubscription.Status.UNSUBSCRIBED:
        raise InvalidToken(_("You have unsubscribed since. Sign up again if you want the newsletter."), code="stale")
    if subscription.status == NewsletterSubscription.Status.PENDING:
        subscription.status = NewsletterSubscription.Status.ACTIVE
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["status", "confirmed_at"])
        _send_newsletter_email_on_commit(subscription, "welcome")
    return subscription


@transaction.atomic
def newsletter_unsubscribe(*, token: str) -> NewsletterSubscription:
    subscription = _subscription_from_token(token, salt=NEWSLETTER_UNSUBSCRIBE_SALT)
    if subscription.status != NewsletterSubscription.Status.UNSUBSCRIBED:
        subscription.status = NewsletterSubscription.Status.UNSUBSCRIBED
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["status", "unsubscribed_at"])
    return subscription


# --- lessons ----------------------------------------------------------------------------


@transaction.atomic
def lesson_draft_create(
    *, title: str, summary: str, body: str, themes: list[str] | tuple[str, ...] = (), user=None, parent=None
) -> LessonPage:
    """Create an unpublished LessonPage for the editors to review (body: plain text, blank-line paragraphs)."""
    parent = parent or LessonIndexPage.objects.order_by("path").first()
    if parent is None:
        raise ValidationError(_("There is no lesson overview page to add the lesson to."), code="no_index")
    paragraphs = [
        ("paragraph", RichText(linebreaks(escape(part.strip())))) for part in body.split("\n\n") if part.strip()
    ]
    lesson = LessonPage(title=title.strip(), intro=summary.strip(), body=paragraphs, live=False, owner=user)
    lesson.themes.set([theme.strip() for theme in themes if theme.strip()])
    parent.add_child(instance=lesson)
    lesson.save_revision(user=user, log_action=True)
    return lesson
