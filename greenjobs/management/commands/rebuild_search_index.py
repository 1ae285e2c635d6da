import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from greenjobs.core.contentversion import bump_content_version
from greenjobs.discovery import search
from greenjobs.models import SearchDocument


class Command(BaseCommand):
    help = "Rebuild the site search index from every published item (after bulk loads)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-vacuum", action="store_true", help="Skip VACUUM ANALYZE of the index table afterwards."
        )

    def handle(self, *args, no_vacuum, **options):
        started = time.perf_counter()
        counts = search.rebuild()
        # Bulk loads send no signals: move the content version on, so nothing derived from the old
        # content (cached pages, the case list's index, search matches) is served any more.
        transaction.on_commit(bump_content_version)
        summary = ", ".join(f"{label}: {count}" for label, count in counts.items())
        self.stdout.write(
            f"Indexed {sum(counts.values())} documents ({summary}) in {time.perf_counter() - started:.1f} s."
        )
        if not no_vacuum and not connection.in_atomic_block:
            # The rebuild replaced every row: reclaim the old ones for reuse and refresh the planner's
            # statistics. A plain VACUUM takes no lock that blocks reads or writes (VACUUM FULL would).
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM (ANALYZE) {SearchDocument._meta.db_table}")
            self.stdout.write("Vacuumed and analysed the search table.")
