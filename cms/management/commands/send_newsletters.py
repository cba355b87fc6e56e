"""Finish sending newsletter issues that editors started but that did not reach everyone yet.

The admin's "send" button enqueues the delivery task; run this from cron (or by hand after a
crash or a mail server outage) to resume. Safe to run any number of times: nobody gets an issue twice.

    manage.py send_newsletters            # every unfinished issue, in this process
    manage.py send_newsletters --issue 7  # only this issue
"""

from django.core.management.base import BaseCommand, CommandError

from cms import newsletter


class Command(BaseCommand):
    help = "Send started newsletter issues to the subscribers who do not have them yet (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--issue", type=int, help="Only this issue (its id).")

    def handle(self, *args, issue: int | None = None, **options):
        if issue is not None:
            reports = [newsletter.newsletter_issue_deliver(issue_id=issue)]
        else:
            reports = newsletter.newsletter_issues_resume()
        failed = 0
        for report in reports:
            self.stdout.write(
                f"Issue {report.issue_id}: {report.sent} sent, {report.skipped} skipped, {len(report.failed)} failed, "
                f"{len(report.abandoned)} abandoned, {len(report.uncertain)} uncertain."
            )
            if report.uncertain:
                self.stderr.write(
                    f"Issue {report.issue_id}: subscriptions {report.uncertain} may have received the mail; "
                    "they are not retried (check the mail server log)."
                )
            failed += len(report.failed)
        if failed:  # only mails that a next run will retry; abandoned ones cannot be helped by running again
            raise CommandError(f"{failed} newsletter mails could not be sent; run again to retry them.")
