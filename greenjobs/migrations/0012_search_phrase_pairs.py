"""Quoted phrases found through an index of adjacent word pairs.

A phrase ("decent work") is matched on positions, which the GIN index of ``vector`` does not hold: it
finds every document with both words (7,000 at bench scale), and each one's whole vector is read back
from the toast table to check that they stand side by side, 45 ms. ``gj_pairs`` lists a vector's pairs
of adjacent words ('decent work'); a GIN index over it finds the 160 documents that hold the phrase's
pairs, and only those are checked. A document that holds the phrase holds its pairs, so the index only
narrows the candidates: positions still decide (greenjobs.core.searchindex). (This holds because each of
our configurations reads a word as one lexeme; a dictionary giving several at one position would need
their pairs OR'ed, not AND'ed.)

``gj_phrase_pairs`` turns the required phrases of one reading into the pairs they need (none across a
stop word, where the phrase allows a gap), ``gj_any_pairs`` ORs the readings, and is NULL when some
reading needs no pair: then there is nothing to narrow.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations
from django.db.models import F, Func

FUNCTIONS_SQL = r"""
CREATE OR REPLACE FUNCTION gj_pairs(vector tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_to_tsvector(array_agg(DISTINCT first.lexeme || ' ' || second.lexeme)), ''::tsvector)
  FROM (SELECT lexeme, unnest(positions) AS position FROM unnest(vector)) AS first
  JOIN (SELECT lexeme, unnest(positions) AS position FROM unnest(vector)) AS second
    ON second.position = first.position + 1
$$;

CREATE OR REPLACE FUNCTION gj_phrase_pairs(config regconfig, phrases text[]) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT string_agg(DISTINCT '''' || replace(replace(pair, '\', '\\'), '''', '''''') || '''', ' & ')::tsquery
  FROM unnest(phrases) AS phrase, unnest(tsvector_to_array(gj_pairs(to_tsvector(config, phrase)))) AS pair
$$;

CREATE OR REPLACE FUNCTION gj_any_pairs(VARIADIC readings tsquery[]) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN bool_or(reading IS NULL) THEN NULL
              ELSE string_agg(DISTINCT '(' || reading::text || ')', ' | ')::tsquery END
  FROM unnest(readings) AS reading
$$;
"""

DROP_SQL = """
DROP FUNCTION IF EXISTS gj_any_pairs(VARIADIC tsquery[]);
DROP FUNCTION IF EXISTS gj_phrase_pairs(regconfig, text[]);
DROP FUNCTION IF EXISTS gj_pairs(tsvector);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("greenjobs", "0011_search_compound_words"),
    ]

    operations = [
        migrations.RunSQL(FUNCTIONS_SQL, DROP_SQL),
        migrations.AddIndex(
            model_name="searchdocument",
            index=django.contrib.postgres.indexes.GinIndex(
                Func(F("vector"), function="gj_pairs", output_field=django.contrib.postgres.search.SearchVectorField()),
                name="searchdocument_pairs_gin",
            ),
        ),
    ]
