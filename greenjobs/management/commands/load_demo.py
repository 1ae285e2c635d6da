from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from greenjobs.core.registry import registry


def demo_modules() -> list:
    """The demo modules the apps register (``Publication.demo``), in loading order."""
    return [import_module(name) for name in registry.demo_modules()]


class Command(BaseCommand):
    help = (
        "Load the demo content: create the demo items that are missing, never change or delete one that exists. "
        "Safe to run again: nothing is duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only into a database without content (no case story, event, course or about page).",
        )

    def handle(self, *args, if_empty=False, **options):
        modules = demo_modules()
        if if_empty:
            found = [module.CONTENT for module in modules if module.has_content()]
            if found:
                self.stdout.write(f"Content found ({', '.join(found)}): the demo is not loaded (`make demo` adds it).")
                return
        # The demo's own text is English (translations are named fields): whatever language the caller has
        # active, a model's base fields are written in English.
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
            summaries = [(module.__name__, module.load()) for module in modules]
            # Then what joins items of two apps (an event naming its course), once both exist.
            summaries += [(module.__name__, module.link()) for module in modules if hasattr(module, "link")]
        for name, summary in summaries:
            self.stdout.write(f"{name}: {summary}")
