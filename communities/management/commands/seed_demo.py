"""Build the demo site. Idempotent: running it twice changes nothing.

Each app owns its part in `<app>/demo.py` (a `seed(stdout)` function); they run in order,
each inside one transaction.
"""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_MODULES = ["communities.demo_users", "cms.demo", "communities.demo", "casework.demo", "partners.demo"]


class Command(BaseCommand):
    help = "Create or update the demo content (pages, circle, cases, one user per role)."

    def handle(self, *args, **options):
        for module_name in DEMO_MODULES:
            try:
                module = import_module(module_name)
            except ModuleNotFoundError as error:
                if error.name != module_name:
                    raise
                continue
            with transaction.atomic():
                module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
