"""The vocabulary of the search index, for "did you mean": its words with a trigram (pg_trgm) index.

The words of the rows already indexed are added here; later writes add their own words.

Where the server has no pg_trgm (the embedded PostgreSQL of ``tools/dbprep.py`` ships without
contrib), the migration defines ``similarity()`` and ``%`` in plain SQL with pg_trgm's meaning for
single words, and skips the index: suggestions are then found by a scan of the vocabulary, which is
small on such a server. Every server with pg_trgm gets the extension and the index.
"""

import django.contrib.postgres.indexes
from django.db import migrations, models

FILL = r"""
    INSERT INTO greenjobs_searchword (word)
    SELECT DISTINCT word
    FROM greenjobs_searchdocument d,
         regexp_split_to_table(lower(concat_ws(' ', d.title, d.summary, d.themes, d.body)), '[^[:alpha:]]+') AS word
    WHERE length(word) BETWEEN 3 AND 40
    ON CONFLICT DO NOTHING
"""

TRIGRAMS = r"""
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX IF NOT EXISTS searchword_word_trgm ON greenjobs_searchword USING gin (word gin_trgm_ops);
  ELSIF to_regprocedure('similarity(text,text)') IS NULL THEN
    -- pg_trgm's trigrams of one word: two spaces before it, one after, lower case.
    CREATE FUNCTION greenjobs_trigrams(word text) RETURNS text[] LANGUAGE sql IMMUTABLE AS $f$
      SELECT coalesce(array_agg(DISTINCT substr(padded, i, 3)), '{}')
      FROM (SELECT '  ' || lower(word) || ' ' AS padded) AS p, generate_series(1, length(padded) - 2) AS i
    $f$;
    CREATE FUNCTION similarity(a text, b text) RETURNS real LANGUAGE sql IMMUTABLE AS $f$
      SELECT CASE WHEN cardinality(x) + cardinality(y) = 0 THEN 0 ELSE
        (SELECT count(*) FROM (SELECT unnest(x) INTERSECT SELECT unnest(y)) AS shared)::real
        / (SELECT count(*) FROM (SELECT unnest(x) UNION SELECT unnest(y)) AS every) END
      FROM (SELECT greenjobs_trigrams(a) AS x, greenjobs_trigrams(b) AS y) AS t
    $f$;
    CREATE FUNCTION greenjobs_similar(a text, b text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $f$
      SELECT similarity(a, b) >= 0.3
    $f$;
    CREATE OPERATOR % (LEFTARG = text, RIGHTARG = text, FUNCTION = greenjobs_similar);
  END IF;
END $$;
"""

NO_TRIGRAMS = r"""
DROP INDEX IF EXISTS searchword_word_trgm;
DO $$
BEGIN
  IF to_regprocedure('greenjobs_similar(text,text)') IS NOT NULL THEN
    DROP OPERATOR % (text, text);
    DROP FUNCTION greenjobs_similar(text, text);
    DROP FUNCTION similarity(text, text);
    DROP FUNCTION greenjobs_trigrams(text);
  END IF;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("greenjobs", "0005_searchdocument_generated_vector"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "word",
                    models.CharField(
                        help_text="Lower-case letters only.",
                        max_length=40,
                        primary_key=True,
                        serialize=False,
                        verbose_name="word",
                    ),
                ),
            ],
            options={
                "verbose_name": "search word",
                "verbose_name_plural": "search words",
            },
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="searchword",
                    index=django.contrib.postgres.indexes.GinIndex(
                        django.contrib.postgres.indexes.OpClass("word", name="gin_trgm_ops"),
                        name="searchword_word_trgm",
                    ),
                ),
            ],
            database_operations=[migrations.RunSQL(TRIGRAMS, NO_TRIGRAMS)],
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
