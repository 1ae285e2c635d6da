"""Bench-scale data for the scale tests, seeded in one statement per table (a few seconds).

The data is committed (no test transaction), as in production: the story index is then kept per
content version, which is what these tests measure. The fixtures delete exactly what they added.
"""

import json

import pytest
from django.core.cache import cache
from django.db import connection

from cases import selectors
from greenjobs.core import contentversion

THEMES = 300
FAVOURED = 11  # most stories carry one of the first themes, as in the bench data
COUNTRIES = ("NP", "IN", "FJ", "TH", "KE", "PE", "BR", "VN")
TYPES = ("enterprise", "workers", "employers", "government", "cooperative", "community", "other")


def pytest_configure(config):
    config.addinivalue_line("markers", "scale: seeds bench-sized data (20,000 stories) and checks query plans")


FILLER = " ".join(f"Sentence {n} about what changed for the workers and the land." for n in range(25))


def seed(stories: int) -> None:
    """``stories`` published stories (and a tenth as many pending), two themes each, and their search rows.

    Word frequencies and text lengths are those of real stories: "mangroves" in 1 story of 50,
    "cooperative" in 1 of 8, a body of about 1,500 characters.
    """
    pending = max(1, stories // 10)
    countries = "ARRAY[" + ", ".join(f"'{c}'" for c in COUNTRIES) + "]"
    types = "ARRAY[" + ", ".join(f"'{t}'" for t in TYPES) + "]"
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO taggit_tag (name, slug) SELECT 'Scale theme ' || n, 'scale-theme-' || n "
            f"FROM generate_series(1, {THEMES}) n"
        )
        cursor.execute(
            f"""
            INSERT INTO cases_casestory (
                title, slug, summary, challenge, actions, environment_results, job_results, lessons,
                country, organisation, organisation_type, photo, photo_renditions, photo_description,
                photo_credit, contributor_name, contributor_email, consent, consent_at, status,
                submitted_at, published_at, decision_reason, status_token)
            SELECT 'Scale story ' || n, 'scale-story-' || n, 'Summary of story ' || n,
                   CASE WHEN n % 50 = 0 THEN 'Storms hit the mangroves.' ELSE 'Costs rose.' END,
                   CASE WHEN n % 8 = 0 THEN 'A cooperative formed.' ELSE 'Workers trained.' END,
                   'Less waste.', 'Jobs.', '',
                   ({countries})[1 + n % {len(COUNTRIES)}], 'Organisation ' || n % 900,
                   ({types})[1 + (n / 3) % {len(TYPES)}], '', '[]', '', '', 'Contributor',
                   'c' || n || '@example.org', true, now(),
                   CASE WHEN n > {stories} THEN 'pending' ELSE 'published' END, now(),
                   CASE WHEN n > {stories} THEN NULL ELSE now() - n * interval '1 minute' END,
                   '', md5('token' || n)
            FROM generate_series(1, {stories + pending}) n
            """
        )
        cursor.execute(
            f"""
            INSERT INTO taggit_taggeditem (object_id, content_type_id, tag_id)
            SELECT s.id, ct.id, t.id
            FROM cases_casestory s
            CROSS JOIN django_content_type ct
            JOIN taggit_tag t ON t.slug IN (
                'scale-theme-' || (1 + s.id % {FAVOURED}),
                'scale-theme-' || ({FAVOURED} + 1 + s.id * 7 % {THEMES - FAVOURED}))
            WHERE ct.app_label = 'cases' AND ct.model = 'casestory'
            """
        )
        cursor.execute(
            """
            INSERT INTO greenjobs_searchdocument (
                content_type_id, object_id, kind, title, summary, body, url, themes, theme_ids, date, updated)
            SELECT ct.id, s.id, 'case', s.title, s.summary, s.challenge || ' ' || s.actions || ' ' || %s,
                   '/cases/' || s.slug || '/', '',
                   ARRAY(SELECT tag_id FROM taggit_taggeditem ti
                         WHERE ti.object_id = s.id AND ti.content_type_id = ct.id),
                   s.published_at, now()
            FROM cases_casestory s CROSS JOIN django_content_type ct
            WHERE s.status = 'published' AND ct.app_label = 'cases' AND ct.model = 'casestory'
            """,
            [FILLER],
        )
        cursor.execute("ANALYZE cases_casestory, taggit_tag, taggit_taggeditem, greenjobs_searchdocument")
    contentversion.bump_content_version()


def unseed() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM greenjobs_searchdocument WHERE kind = 'case' AND object_id IN "
            "(SELECT id FROM cases_casestory WHERE slug LIKE 'scale-story-%')"
        )
        cursor.execute(
            "DELETE FROM taggit_taggeditem WHERE tag_id IN (SELECT id FROM taggit_tag WHERE slug LIKE 'scale-theme-%')"
        )
        cursor.execute("DELETE FROM cases_casestory WHERE slug LIKE 'scale-story-%'")
        cursor.execute("DELETE FROM taggit_tag WHERE slug LIKE 'scale-theme-%'")
    contentversion.bump_content_version()
    selectors.forget()
    cache.clear()


def seeded(blocker, stories: int):
    with blocker.unblock():
        unseed()
        seed(stories)
        selectors.forget()
        cache.clear()
        selectors.story_index()  # what the first request after a content change does
    yield stories
    with blocker.unblock():
        unseed()


@pytest.fixture(scope="module")
def big(django_db_setup, django_db_blocker):
    """20,000 published stories, committed, for every test of a module.

    (``django_db_setup`` creates the test database only if some test of the run is marked
    ``django_db``: each module using this has one.)
    """
    yield from seeded(django_db_blocker, 20_000)


@pytest.fixture(scope="module")
def small(django_db_setup, django_db_blocker):
    yield from seeded(django_db_blocker, 20)


@pytest.fixture
def db_open(django_db_blocker):
    """Database access in autocommit mode, as a web request has it (no test transaction)."""
    with django_db_blocker.unblock():
        yield


def _explained(sql: str, options: str) -> list:
    """The JSON plan of ``sql``; a query that starts with SET LOCAL is explained with that setting (both in
    one implicit transaction, as it was run)."""
    settings = ""
    if sql.lstrip().upper().startswith("SET LOCAL"):
        settings, sql = sql.split(";", 1)
        settings += ";"
    with connection.cursor() as cursor:
        cursor.execute(f"{settings} EXPLAIN ({options}FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    return json.loads(plan) if isinstance(plan, str) else plan


def plan_nodes(sql: str) -> list[tuple[str, str]]:
    """(node type, relation) of every node of the query's plan."""
    plan = _explained(sql, "")
    found, nodes = [], [plan[0]["Plan"]]
    while nodes:
        node = nodes.pop()
        found.append((node["Node Type"], node.get("Relation Name", "")))
        nodes.extend(node.get("Plans", []))
    return found


def rows_read(sql: str, relation: str) -> int:
    """Rows of ``relation`` that running ``sql`` reads: those its scans return and those they filter out."""
    plan = _explained(sql, "ANALYZE, ")
    total, nodes = 0, [plan[0]["Plan"]]
    while nodes:
        node = nodes.pop()
        if node.get("Relation Name") == relation:
            loops = node.get("Actual Loops", 1)
            total += (node["Actual Rows"] + node.get("Rows Removed by Filter", 0)) * loops
            total += node.get("Rows Removed by Index Recheck", 0)
        nodes.extend(node.get("Plans", []))
    return total
