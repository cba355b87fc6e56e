"""Write paths of newsletter issues: send a test to the editor, send an issue to every subscriber once.

Sending is idempotent through NewsletterDelivery (one row per issue and subscriber, unique):

1. `newsletter_issue_send` marks the issue as sent with a conditional update, so only the first of
   two clicks (or a double POST) wins, and enqueues `cms.tasks.deliver_newsletter_issue` after commit;
2. `newsletter_issue_deliver` claims each recipient by creating their row in state `sending`
   (committed before the mail goes out), hands the mail to the server over one connection per run,
   and marks the row `sent` as soon as the server has accepted it;
3. when the server refuses the mail, the row becomes `failed` and the next run retries it, at most
   MAX_ATTEMPTS times in all; a permanent refusal of the address (5xx) is not retried. Either way
   the row then becomes `abandoned`, so one bad address cannot keep an issue from finishing;
4. any other error while sending (a dropped connection, a timeout, the process stopping) leaves the
   row in `sending`: the server may have accepted the mail, and a subscriber must not get the same
   issue twice, so such a row is never retried. Errors while closing the connection come after the
   mail was accepted and change nothing.

The recipients are the subscribers who had confirmed when the editor pressed send and who have not
unsubscribed since. Run again (`manage.py send_newsletters`) to finish an interrupted send.
"""

import logging
from dataclasses import dataclass, field
from functools import partial
from smtplib import SMTPDataError, SMTPRecipientsRefused, SMTPResponseException

from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import emails, tasks
from .models import NewsletterDelivery, NewsletterIssue, NewsletterSubscription

logger = logging.getLogger(__name__)

Delivery = NewsletterDelivery.State
MAX_ATTEMPTS = 3


@dataclass
class DeliveryReport:
    issue_id: int
    sent: int = 0
    skipped: int = 0
    failed: list[int] = field(default_factory=list)  # subscription ids, retried next run
    abandoned: list[int] = field(default_factory=list)  # refused for good or too often: not retried
    uncertain: list[int] = field(default_factory=list)  # may have gone out: not retried

    def as_dict(self) -> dict:
        return {
            "issue": self.issue_id,
            "sent": self.sent,
            "skipped": self.skipped,
            "failed": self.failed,
            "abandoned": self.abandoned,
            "uncertain": self.uncertain,
        }


def newsletter_issue_recipients(issue: NewsletterIssue):
    """Confirmed subscribers who still need this issue: before sending, everyone who would get it."""
    subscribers = NewsletterSubscription.objects.filter(status=NewsletterSubscription.Status.ACTIVE)
    if issue.send_requested_at is not None:
        subscribers = subscribers.filter(confirmed_at__lte=issue.send_requested_at)
    handled = NewsletterDelivery.objects.filter(issue=issue, subscription=OuterRef("pk")).exclude(
        state=Delivery.FAILED
    )
    return subscribers.exclude(Exists(handled)).order_by("pk")


def newsletter_issue_send_test(*, issue: NewsletterIssue, user) -> None:
    """Mail the issue as it is now to the editor alone, marked as a test; nothing is recorded."""
    if not user.email:
        raise ValidationError(_("Your account has no email address to send the test to."), code="no_email")
    transaction.on_commit(partial(tasks.send_newsletter_test.enqueue, issue.pk, user.email), robust=True)


@transaction.atomic
def newsletter_issue_send(*, issue: NewsletterIssue, user) -> NewsletterIssue:
    """Start sending the issue to every confirmed subscriber. Only the first call does anything."""
    started = NewsletterIssue.objects.filter(pk=issue.pk, send_requested_at__isnull=True).update(
        send_requested_at=timezone.now(), send_requested_by=user
    )
    if not started:
        raise ValidationError(_("This issue has already been sent."), code="already_sent")
    transaction.on_commit(partial(tasks.deliver_newsletter_issue.enqueue, issue.pk), robust=True)
    return NewsletterIssue.objects.get(pk=issue.pk)


def _claim(issue: NewsletterIssue, subscription: NewsletterSubscription) -> NewsletterDelivery | None:
    """This run's right to mail the subscriber, or None when another run has (or may have) done it."""
    now = timezone.now()
    with transaction.atomic():
        still_subscribed = NewsletterSubscription.objects.filter(
            pk=subscription.pk, status=NewsletterSubscription.Status.ACTIVE
        ).exists()
        if not still_subscribed:  # unsubscribed while this run was under way
            return None
        delivery, created = NewsletterDelivery.objects.get_or_create(
            issue=issue, subscription=subscription, defaults={"state": Delivery.SENDING, "claimed_at": now}
        )
    if created:
        return delivery
    retried = NewsletterDelivery.objects.filter(pk=delivery.pk, state=Delivery.FAILED).update(
        state=Delivery.SENDING, attempts=F("attempts") + 1, claimed_at=now, error=""
    )
    if not retried:
        return None
    delivery.attempts += 1
    return delivery


def _mark(delivery: NewsletterDelivery, state: str, **fields) -> None:
    NewsletterDelivery.objects.filter(pk=delivery.pk).update(state=state, **fields)


class NotAccepted(Exception):
    """The mail backend returned without accepting the mail (and without an error)."""


def _is_permanent_refusal(error: SMTPResponseException) -> bool:
    """The server refused this address or this mail for good (5xx): sending it again cannot help."""
    if isinstance(error, SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    return isinstance(error, SMTPDataError) and error.smtp_code >= 500


def _was_refused(error: Exception) -> bool:
    """The server answered with a refusal, so it did not accept the mail. (SMTPRecipientsRefused carries
    its codes per address rather than as an SMTPResponseException.)"""
    return isinstance(error, (SMTPResponseException, SMTPRecipientsRefused, NotAccepted))


def _close_quietly(connection) -> None:
    """Closing comes after the server accepted the mails: an error here must not undo `sent`."""
    try:
        connection.close()
    except Exception:
        logger.warning("Closing the mail connection failed; the mails it accepted stay sent", exc_info=True)


def _record_failure(delivery: NewsletterDelivery, error: Exception, report: DeliveryReport) -> None:
    subscription_id = delivery.subscription_id
    fields = {"error": repr(error)[:500]}
    if not _was_refused(error):
        logger.error("Newsletter mail to subscription %s may have gone out; not retried", subscription_id)
        _mark(delivery, Delivery.SENDING, **fields)
        report.uncertain.append(subscription_id)
    elif _is_permanent_refusal(error) or delivery.attempts >= MAX_ATTEMPTS:
        logger.warning("Newsletter mail to subscription %s abandoned: %r", subscription_id, error)
        _mark(delivery, Delivery.ABANDONED, **fields)
        report.abandoned.append(subscription_id)
    else:
        logger.warning("Newsletter mail to subscription %s refused, will be retried: %r", subscription_id, error)
        _mark(delivery, Delivery.FAILED, **fields)
        report.failed.append(subscription_id)


def _deliver(connection, content, subscription, issue, report: DeliveryReport) -> None:
    message = emails.newsletter_issue_message(content, subscription)
    connection.open()  # a server that cannot be reached ends the run before anyone is claimed
    delivery = _claim(issue, subscription)
    if delivery is None:
        report.skipped += 1
        return
    try:
        accepted = connection.send_messages([message])
    except Exception as error:
        _close_quietly(connection)  # start the next mail on a fresh connection
        _record_failure(delivery, error, report)
        return
    # BaseException (the process stopping) leaves the row in `sending`: never retried.
    if accepted == 1:
        _mark(delivery, Delivery.SENT, sent_at=timezone.now())
        report.sent += 1
    else:
        _record_failure(delivery, NotAccepted(), report)


def newsletter_issue_deliver(*, issue_id: int) -> DeliveryReport:
    """Send a started issue to the recipients who do not have it yet; safe to run any number of times."""
    report = DeliveryReport(issue_id=issue_id)
    issue = NewsletterIssue.objects.filter(pk=issue_id, send_requested_at__isnull=False).first()
    if issue is None or issue.completed_at is not None:
        return report
    content = emails.newsletter_issue_content(issue)
    connection = get_connection()
    try:
        for subscription in newsletter_issue_recipients(issue):
            _deliver(connection, content, subscription, issue, report)
    finally:
        _close_quietly(connection)
    if not newsletter_issue_recipients(issue).exists():
        NewsletterIssue.objects.filter(pk=issue.pk, completed_at__isnull=True).update(completed_at=timezone.now())
    return report


def newsletter_issues_resume() -> list[DeliveryReport]:
    """Finish every issue whose sending started but did not reach everyone (cron, or after a crash)."""
    unfinished = NewsletterIssue.objects.filter(send_requested_at__isnull=False, completed_at__isnull=True)
    return [newsletter_issue_deliver(issue_id=pk) for pk in unfinished.order_by("pk").values_list("pk", flat=True)]
