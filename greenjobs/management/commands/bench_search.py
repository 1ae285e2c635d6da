"""`make bench-search`: median and p95 time of site searches over the seeded benchmark database."""

import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, reset_queries

from greenjobs import search
from greenjobs.models import SearchDocument

QUERIES = [
    "solar",
    "renewable energy",
    "recycling",
    "waste pickers cooperative",
    '"decent work"',
    "training -coal",
    "tourism or agriculture",
    "women workers safety",
    "construction skills",
    "climate adaptation farmers",
    "policy",
    "green jobs",
    "e-waste",
    "apprentices",
    "energy efficiency buildings",
    "wages",
]


class Command(BaseCommand):
    help = "Time the site search (counts, one ranked page, headlines) on the current database (see bench_seed)."

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=10, help="Times each query runs (default 10).")
        parser.add_argument("--explain", action="store_true", help="Print the plan of the first query.")

    def handle(self, *args, rounds, explain, **options):
        documents = SearchDocument.objects.count()
        if not documents:
            self.stderr.write("The search index is empty: run `manage.py rebuild_search_index` first.")
            return
        for query in QUERIES:  # warm caches
            list(search.run_search(query, page=1).page_obj or [])
        timings, pages = [], 0
        for _ in range(rounds):
            for query in QUERIES:
                started = time.perf_counter()
                results = search.run_search(query, page=1)
                pages += len(list(results.page_obj or []))
                timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
        self.stdout.write(
            f"search: {len(timings)} searches over {documents} documents: "
            f"median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms"
        )
        if explain:
            reset_queries()
            self.stdout.write(search.explain(QUERIES[1]))
        connection.close()
