"""`make bench-search`: median and p95 time of site searches over the seeded benchmark database."""

import statistics
import time

from django.db import transaction

from greenjobs.core import searchindex
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


def time_searches(rounds: int = 10, explain: bool = False) -> str:
    """Time the site search (counts, one ranked page, headlines) on the current database; a one-line report.

    Each search runs in a transaction, where results kept per content version are neither read nor kept
    (``greenjobs.core.derived``): the same queries are asked ten times, and this times the index, not
    the cache. With `explain`, the plan of the second query follows."""
    documents = SearchDocument.objects.count()
    if not documents:
        return "The search index is empty: run `manage.py rebuild_search_index` first."
    for query in QUERIES:  # warm caches
        list(searchindex.run_search(query, page=1).page_obj or [])
    timings = []
    for _ in range(rounds):
        for query in QUERIES:
            started = time.perf_counter()
            with transaction.atomic():
                list(searchindex.run_search(query, page=1).page_obj or [])
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    report = (
        f"search: {len(timings)} searches over {documents} documents: "
        f"median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms"
    )
    return f"{report}\n{searchindex.explain(QUERIES[1])}" if explain else report
