"""Send the daily notification digests. Meant for cron, once a day; safe to run more often.

    manage.py send_digests            # send now, in this process
    manage.py send_digests --enqueue  # hand it to the django-tasks worker instead
"""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Send today's notification digest to every member who has one waiting (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Queue the task for the worker instead.")

    def handle(self, *args, enqueue: bool = False, **options):
        if enqueue:
            from communities.notifications.tasks import send_daily_digests

            result = send_daily_digests.enqueue()
            self.stdout.write(f"Queued digest task {result.id}.")
            return
        from communities.notifications.digest import send_digests

        report = send_digests()
        self.stdout.write(
            f"Digests of {report.day}: {len(report.sent)} sent, {len(report.skipped)} skipped, "
            f"{len(report.failed)} failed."
        )
        if report.failed:
            raise CommandError(f"{len(report.failed)} digests could not be sent; run again to retry them.")
