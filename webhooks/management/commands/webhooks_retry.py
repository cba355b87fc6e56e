from django.core.management.base import BaseCommand

from webhooks.services import retry_due_deliveries


class Command(BaseCommand):
    help = "Send the webhook retries that are due (needed with the immediate task backend; run every minute)."

    def handle(self, *args, **options):
        count = retry_due_deliveries()
        self.stdout.write(f"{count} webhook deliveries retried")
