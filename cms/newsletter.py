"""Write paths of newsletter issues: send a test to the editor, send an issue to every subscriber once.

Sending is idempotent through NewsletterDelivery (one row per issue and subscriber, unique):

1. `newsletter_issue_send` marks the issue as sent with a conditional update, so only the first of
   two clicks (or a double POST) wins, and enqueues `cms.tasks.deliver_newsletter_issue` after commit;
2. `newsletter_issue_deliver` claims each recipient by creating their row in state `sending`
   (committed before the mail goes out), sends, and marks the row `sent`;
3. when the mail server refuses, the row becomes `failed` and the next run retries it. A row left in
   `sending` by a process that died may have been sent already: it is never retried, because a
   subscriber must not get the same issue twice.

The recipients are the subscribers who had confirmed when the editor pressed send and who have not
unsubscribed since. Run again (`manage.py send_newsletters`) to finish an interrupted send.
"""

import logging
from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import emails, tasks
from .models import NewsletterDelivery, NewsletterIssue, NewsletterSubscription

logger = logging.getLogger(__name__)

Delivery = NewsletterDelivery.State


@dataclass
class DeliveryReport:
    issue_id: int
    sent: int = 0
    skipped: int = 0
    failed: list[int] = field(default_factory=list)  # subscription ids

    def as_dict(self) -> dict:
        return {"issue": self.issue_id, "sent": self.sent, "skipped": self.skipped, "failed": self.failed}


def newsletter_issue_recipients(issue: NewsletterIssue):
    """Confirmed subscribers who still need this issue: before sending, everyone who would get it."""
    subscribers = NewsletterSubscription.objects.filter(status=NewsletterSubscription.Status.ACTIVE)
    if issue.send_requested_at is not None:
        subscribers = subscribers.filter(confirmed_at__lte=issue.send_requested_at)
    handled = NewsletterDelivery.objects.filter(issue=issue, subscription=OuterRef("pk")).filter(
        Q(state=Delivery.SENT) | Q(state=Delivery.SENDING)
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
    return delivery if retried else None


def _mark(delivery: NewsletterDelivery, state: str, **fields) -> None:
    NewsletterDelivery.objects.filter(pk=delivery.pk).update(state=state, **fields)


def newsletter_issue_deliver(*, issue_id: int) -> DeliveryReport:
    """Send a started issue to the recipients who do not have it yet; safe to run any number of times."""
    report = DeliveryReport(issue_id=issue_id)
    issue = NewsletterIssue.objects.filter(pk=issue_id, send_requested_at__isnull=False).first()
    if issue is None or issue.completed_at is not None:
        return report
    content = emails.newsletter_issue_content(issue)
    for subscription in newsletter_issue_recipients(issue):
        delivery = _claim(issue, subscription)
        if delivery is None:
            report.skipped += 1
            continue
        try:
            emails.newsletter_issue_message(content, subscription).send()
        except Exception as error:
            logger.exception("Newsletter %s could not be sent to subscription %s", issue.pk, subscription.pk)
            _mark(delivery, Delivery.FAILED, error=repr(error)[:500])
            report.failed.append(subscription.pk)
            continue
        except BaseException as error:  # interrupted while sending: not sent, so retry it next run
            _mark(delivery, Delivery.FAILED, error=repr(error)[:500])
            raise
        _mark(delivery, Delivery.SENT, sent_at=timezone.now())
        report.sent += 1
    if not report.failed and not newsletter_issue_recipients(issue).exists():
        NewsletterIssue.objects.filter(pk=issue.pk, completed_at__isnull=True).update(completed_at=timezone.now())
    return report


def newsletter_issues_resume() -> list[DeliveryReport]:
    """Finish every issue whose sending started but did not reach everyone (cron, or after a crash)."""
    unfinished = NewsletterIssue.objects.filter(send_requested_at__isnull=False, completed_at__isnull=True)
    return [newsletter_issue_deliver(issue_id=pk) for pk in unfinished.order_by("pk").values_list("pk", flat=True)]
