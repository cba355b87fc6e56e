"""The daily digest: one email per user per day with the unread notifications they chose to
receive that way. Run by `manage.py send_digests` (cron) or the `send_daily_digests` task.

Idempotent through NotificationDigest (one row per user per day):

1. claim: in one transaction, create the user's row for today (or take a failed one) in
   state `sending` and attach the waiting notifications to it; commit;
2. send the email;
3. mark the row `sent` and its notifications `digested`.

A second run on the same day finds the row `sending` or `sent` and skips the user, so the
same digest is never mailed twice. When sending raises, the row becomes `failed` and the
next run retries it (with whatever arrived since). Notifications that came in after a
user's digest went out wait for the next day's digest.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from communities.models import Notification, NotificationDigest

from .emails import digest_email, display_queryset

logger = logging.getLogger(__name__)


@dataclass
class DigestReport:
    day: date
    sent: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"day": self.day.isoformat(), "sent": self.sent, "skipped": self.skipped, "failed": self.failed}


def _waiting(user_id: int, now: datetime, digest: NotificationDigest | None = None):
    attached = Q(digest__isnull=True) | Q(digest=digest) if digest is not None else Q(digest__isnull=True)
    return Notification.objects.filter(
        attached, recipient_id=user_id, email_state=Notification.EmailState.DIGEST, created_at__lte=now
    )


def users_with_waiting_notifications(now: datetime) -> list[int]:
    return list(
        Notification.objects.filter(email_state=Notification.EmailState.DIGEST, created_at__lte=now)
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )


@transaction.atomic
def _claim(user_id: int, day: date, now: datetime) -> NotificationDigest | None:
    existing = NotificationDigest.objects.select_for_update().filter(user_id=user_id, day=day).first()
    if existing is not None and existing.state != NotificationDigest.State.FAILED:
        return None  # sent, or being sent, today already
    waiting = _waiting(user_id, now, existing)
    # Read in the meantime on the website: nothing to tell by email any more.
    waiting.filter(read_at__isnull=False).update(email_state=Notification.EmailState.DIGESTED, digest=existing)
    unread_ids = list(waiting.filter(read_at__isnull=True).values_list("pk", flat=True))
    if not unread_ids:
        return None
    digest = existing or NotificationDigest(user_id=user_id, day=day)
    digest.state = NotificationDigest.State.SENDING
    digest.attempts += 1
    digest.error = ""
    digest.save()
    Notification.objects.filter(pk__in=unread_ids).update(digest=digest)
    return digest


def _send(digest: NotificationDigest) -> None:
    notifications = list(
        display_queryset().select_related("recipient__profile").filter(digest=digest).order_by("created_at", "id")
    )
    user = notifications[0].recipient
    digest_email(user=user, notifications=notifications, day=digest.day).send()


@transaction.atomic
def _mark_sent(digest: NotificationDigest, now: datetime) -> None:
    NotificationDigest.objects.filter(pk=digest.pk).update(state=NotificationDigest.State.SENT, sent_at=now)
    Notification.objects.filter(digest=digest).update(email_state=Notification.EmailState.DIGESTED, emailed_at=now)


def _mark_failed(digest: NotificationDigest, error: BaseException) -> None:
    NotificationDigest.objects.filter(pk=digest.pk).update(
        state=NotificationDigest.State.FAILED, error=repr(error)[:500]
    )


def send_digests(*, now: datetime | None = None) -> DigestReport:
    """Send today's digest to every user who has one waiting; safe to run any number of times."""
    now = now or timezone.now()
    report = DigestReport(day=timezone.localdate(now))
    for user_id in users_with_waiting_notifications(now):
        digest = _claim(user_id, report.day, now)
        if digest is None:
            report.skipped.append(user_id)
            continue
        try:
            _send(digest)
        except Exception as error:
            logger.exception("Digest %s for user %s could not be sent", report.day, user_id)
            _mark_failed(digest, error)
            report.failed.append(user_id)
            continue
        except BaseException as error:  # interrupted: leave it retryable, then stop
            _mark_failed(digest, error)
            raise
        _mark_sent(digest, now)
        report.sent.append(user_id)
    return report
