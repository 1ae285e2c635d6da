import datetime as dt
import random
import statistics
import time

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, reset_queries, transaction
from django.utils import timezone

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


SUBJECTS = [
    "Women farmers",
    "A waste pickers' cooperative",
    "The city council",
    "A family hotel",
    "Young technicians",
    "A textile factory",
    "Fishing communities",
    "A building firm",
    "The workers' union",
    "A rice mill",
    "Bus drivers",
    "Street vendors",
    "A brick kiln",
    "A dairy cooperative",
    "Forest guards",
]
ACTIONS = [
    "installed solar pumps",
    "sorted e-waste safely",
    "retrofitted old buildings for energy efficiency",
    "trained apprentices in recycling",
    "planted mangroves against storms",
    "switched to biogas",
    "negotiated safer working conditions",
    "set up a repair workshop",
    "cut water use in dyeing",
    "opened an eco-tourism trail",
    "formalised informal jobs",
    "insulated public schools",
    "built a composting plant",
    "replaced diesel generators with mini-grids",
    "restored degraded land",
]
RESULTS = [
    "wages rose and accidents fell",
    "emissions dropped by a third",
    "forty decent jobs were created",
    "women took half of the new jobs",
    "energy bills fell",
    "waste sent to landfill halved",
    "the cooperative gained social protection",
    "young people stayed in the village",
    "the skills programme was copied by two provinces",
    "income became steadier through the year",
]


def seed_stories(count: int, *, rng: random.Random) -> int:
    """Bulk-create published stories with varied text (slugs bench-search-N), replacing earlier ones."""
    CaseStory = apps.get_model("cases", "CaseStory")
    CaseStory.objects.filter(slug__startswith="bench-search-").delete()
    now = timezone.now()

    def sentence():
        return f"{rng.choice(SUBJECTS)} {rng.choice(ACTIONS)}, and {rng.choice(RESULTS)}."

    def paragraph(n):
        return " ".join(sentence() for _ in range(n))

    stories = [
        CaseStory(
            title=f"{rng.choice(SUBJECTS)} {rng.choice(ACTIONS)}"[:200],
            slug=f"bench-search-{n}",
            summary=sentence()[:300],
            challenge=paragraph(4),
            actions=paragraph(6),
            environment_results=paragraph(3),
            job_results=paragraph(3),
            lessons=paragraph(2),
            country=rng.choice(["NP", "KE", "BR", "IN", "ZA", "PH", "PE", "GH"]),
            organisation=f"Organisation {n}",
            contributor_name="Bench",
            contributor_email=f"bench{n}@example.org",
            consent=True,
            consent_at=now,
            status="published",
            published_at=now - dt.timedelta(minutes=n),
            status_token=f"bench-search-token-{n}",
        )
        for n in range(count)
    ]
    with transaction.atomic():
        CaseStory.objects.bulk_create(stories, batch_size=2000)
    return count


class Command(BaseCommand):
    help = "Time the site search (counts, one ranked page, headlines) on the current database."

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=10, help="Times each query runs (default 10).")
        parser.add_argument("--explain", action="store_true", help="Print the plan of the first query.")
        parser.add_argument(
            "--seed", type=int, default=0, help="First bulk-create this many published stories and rebuild the index."
        )

    def handle(self, *args, rounds, explain, seed, **options):
        if seed:
            started = time.perf_counter()
            seed_stories(seed, rng=random.Random(7))
            counts = search.rebuild()
            if not connection.in_atomic_block:
                with connection.cursor() as cursor:
                    cursor.execute(f"VACUUM (FULL, ANALYZE) {SearchDocument._meta.db_table}")
            seconds = time.perf_counter() - started
            self.stdout.write(f"seeded {seed} stories, indexed {sum(counts.values())} documents in {seconds:.1f} s")
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
