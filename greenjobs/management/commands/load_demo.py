from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app adds its part in <app>/demo.py, in this order (cases bring the themes).
DEMO_MODULES = ("greenjobs.demo", "cases.demo", "events.demo", "courses.demo")


class Command(BaseCommand):
    help = "Load the demo content. Safe to run again: nothing is duplicated."

    def handle(self, *args, **options):
        for name in DEMO_MODULES:
            try:
                module = import_module(name)
            except ModuleNotFoundError as error:
                if error.name != name:
                    raise
                continue
            with transaction.atomic():
                summary = module.load()
            self.stdout.write(f"{name}: {summary}")
