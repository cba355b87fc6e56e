"""Ask case owners what came of their case, six weeks after it was concluded.

Run it daily (cron, systemd timer or the django-tasks worker via
casework.tasks.send_lesson_followups). Safe to run as often as you like: each owner is
asked once per lesson.
"""

from django.core.management.base import BaseCommand

from casework.services import lesson_followups_send


class Command(BaseCommand):
    help = "Email case owners “Wat is ervan terechtgekomen?” six weeks after their case was concluded."

    def handle(self, *args, **options):
        asked = lesson_followups_send()
        self.stdout.write(f"Follow-up requests sent: {asked}")
