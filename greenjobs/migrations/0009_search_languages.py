"""Search in each language: a text search configuration per language, with unaccent, and the search
document's translations (title_fr…) in the vector beside the original text (in ``language``).

gj_english, gj_french and gj_spanish copy PostgreSQL's english, french and spanish configurations and
put unaccent before the stemmer, so "energia" finds "energía" and "emplois" finds "emploi". A server
without the unaccent extension (the embedded PostgreSQL of tools/dbprep.py has no contrib) gets the
configurations without it: the stemmers still work, accents must then be typed. French documents drop
a final s or x after a vowel before stemming (searchtext.FRENCH_PLURAL_SQL): the stemmer keeps "emplois" apart from "emploi".
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.expressions
from django.db import migrations, models


CONFIGS_SQL = """
DO $$
DECLARE
  pair text[];
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent') THEN
    CREATE EXTENSION IF NOT EXISTS unaccent;
  END IF;
  FOREACH pair SLICE 1 IN ARRAY ARRAY[['gj_english', 'english'], ['gj_french', 'french'], ['gj_spanish', 'spanish']]
  LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = pair[1]) THEN
      EXECUTE format('CREATE TEXT SEARCH CONFIGURATION %I (COPY = %I)', pair[1], pair[2]);
      IF EXISTS (SELECT 1 FROM pg_ts_dict WHERE dictname = 'unaccent') THEN
        EXECUTE format(
          'ALTER TEXT SEARCH CONFIGURATION %I ALTER MAPPING FOR hword, hword_part, word WITH unaccent, %I',
          pair[1], pair[2] || '_stem');
      END IF;
    END IF;
  END LOOP;
END
$$;
"""


# Any reading of a query, each distinct one once: immutable, so computed while planning (searchindex.AnyReading).
READINGS_SQL = """
CREATE OR REPLACE FUNCTION gj_readings(VARIADIC readings tsquery[]) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(string_agg(DISTINCT '(' || reading::text || ')', ' | ')::tsquery, ''::tsquery)
  FROM unnest(readings) AS reading WHERE reading::text <> ''
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("greenjobs", "0008_greenjobs_translations"),
    ]

    operations = [
        migrations.RunSQL(CONFIGS_SQL, migrations.RunSQL.noop),
        migrations.RunSQL(READINGS_SQL, "DROP FUNCTION IF EXISTS gj_readings(VARIADIC tsquery[])"),
        migrations.AddField(
            model_name="searchdocument",
            name="body_en",
            field=models.TextField(blank=True, db_default="", default="", verbose_name="body in English"),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="body_es",
            field=models.TextField(blank=True, db_default="", default="", verbose_name="body in Spanish"),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="body_fr",
            field=models.TextField(blank=True, db_default="", default="", verbose_name="body in French"),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="language",
            field=models.CharField(
                db_default="en",
                default="en",
                help_text="The language of title, summary and body.",
                max_length=5,
                verbose_name="language",
            ),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="summary_en",
            field=models.TextField(blank=True, db_default="", default="", verbose_name="summary in English"),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="summary_es",
            field=models.TextField(blank=True, db_default="", default="", verbose_name="summary in Spanish"),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="summary_fr",
            field=models.TextField(blank=True, db_default="", default="", verbose_name="summary in French"),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="title_en",
            field=models.CharField(blank=True, db_default="", default="", max_length=300, verbose_name="title in English"),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="title_es",
            field=models.CharField(blank=True, db_default="", default="", max_length=300, verbose_name="title in Spanish"),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="title_fr",
            field=models.CharField(blank=True, db_default="", default="", max_length=300, verbose_name="title in French"),
        ),
        # A generated column cannot be altered: dropped (with its index) and added again, which computes
        # every row's vector once.
        migrations.RemoveIndex(model_name="searchdocument", name="searchdocument_vector_gin"),
        migrations.RemoveField(model_name="searchdocument", name="vector"),
        migrations.AddField(
            model_name="searchdocument",
            name="vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.expressions.CombinedExpression(
                    django.db.models.expressions.CombinedExpression(
                        django.db.models.expressions.CombinedExpression(
                            models.Case(
                                models.When(
                                    language="fr",
                                    then=django.contrib.postgres.search.CombinedSearchVector(
                                        django.contrib.postgres.search.CombinedSearchVector(
                                            django.contrib.postgres.search.SearchVector(
                                                models.Func(
                                                    models.F("title"),
                                                    models.Value("([[:alpha:]]{3}[aeiouyéèêà])[sx]\\M"),
                                                    models.Value("\\1"),
                                                    models.Value("gi"),
                                                    function="regexp_replace",
                                                    output_field=models.TextField(),
                                                ),
                                                config="gj_french",
                                                weight="A",
                                            ),
                                            "||",
                                            django.contrib.postgres.search.SearchVector(
                                                models.Func(
                                                    models.F("summary"),
                                                    models.Value("([[:alpha:]]{3}[aeiouyéèêà])[sx]\\M"),
                                                    models.Value("\\1"),
                                                    models.Value("gi"),
                                                    function="regexp_replace",
                                                    output_field=models.TextField(),
                                                ),
                                                models.Func(
                                                    models.F("themes"),
                                                    models.Value("([[:alpha:]]{3}[aeiouyéèêà])[sx]\\M"),
                                                    models.Value("\\1"),
                                                    models.Value("gi"),
                                                    function="regexp_replace",
                                                    output_field=models.TextField(),
                                                ),
                                                config="gj_french",
                                                weight="B",
                                            ),
                                            django.contrib.postgres.search.SearchConfig("gj_french"),
                                        ),
                                        "||",
                                        django.contrib.postgres.search.SearchVector(
                                            models.Func(
                                                models.F("body"),
                                                models.Value("([[:alpha:]]{3}[aeiouyéèêà])[sx]\\M"),
                                                models.Value("\\1"),
                                                models.Value("gi"),
                                                function="regexp_replace",
                                                output_field=models.TextField(),
                                            ),
                                            config="gj_french",
                                            weight="C",
                                        ),
                                        django.contrib.postgres.search.SearchConfig("gj_french"),
                                    ),
                                ),
                                models.When(
                                    language="es",
                                    then=django.contrib.postgres.search.CombinedSearchVector(
                                        django.contrib.postgres.search.CombinedSearchVector(
                                            django.contrib.postgres.search.SearchVector(
                                                models.F("title"), config="gj_spanish", weight="A"
                                            ),
                                            "||",
                                            django.contrib.postgres.search.SearchVector(
                                                models.F("summary"), models.F("themes"), config="gj_spanish", weight="B"
                                            ),
                                            django.contrib.postgres.search.SearchConfig("gj_spanish"),
                                        ),
                                        "||",
                                        django.contrib.postgres.search.SearchVector(
                                            models.F("body"), config="gj_spanish", weight="C"
                                        ),
                                        django.contrib.postgres.search.SearchConfig("gj_spanish"),
                                    ),
                                ),
                                default=django.contrib.postgres.search.CombinedSearchVector(
                                    django.contrib.postgres.search.CombinedSearchVector(
                                        django.contrib.postgres.search.SearchVector(
                                            models.F("title"), config="gj_english", weight="A"
                                        ),
                                        "||",
                                        django.contrib.postgres.search.SearchVector(
                                            models.F("summary"), models.F("themes"), config="gj_english", weight="B"
                                        ),
                                        django.contrib.postgres.search.SearchConfig("gj_english"),
                                    ),
                                    "||",
                                    django.contrib.postgres.search.SearchVector(
                                        models.F("body"), config="gj_english", weight="C"
                                    ),
                                    django.contrib.postgres.search.SearchConfig("gj_english"),
                                ),
                                output_field=django.contrib.postgres.search.SearchVectorField(),
                            ),
                            "||",
                            django.contrib.postgres.search.CombinedSearchVector(
                                django.contrib.postgres.search.CombinedSearchVector(
                                    django.contrib.postgres.search.SearchVector(
                                        models.F("title_en"), config="gj_english", weight="A"
                                    ),
                                    "||",
                                    django.contrib.postgres.search.SearchVector(
                                        models.F("summary_en"), config="gj_english", weight="B"
                                    ),
                                    django.contrib.postgres.search.SearchConfig("gj_english"),
                                ),
                                "||",
                                django.contrib.postgres.search.SearchVector(
                                    models.F("body_en"), config="gj_english", weight="C"
                                ),
                                django.contrib.postgres.search.SearchConfig("gj_english"),
                            ),
                            output_field=django.contrib.postgres.search.SearchVectorField(),
                        ),
                        "||",
                        django.contrib.postgres.search.CombinedSearchVector(
                            django.contrib.postgres.search.CombinedSearchVector(
                                django.contrib.postgres.search.SearchVector(
                                    models.Func(
                                        models.F("title_fr"),
                                        models.Value("([[:alpha:]]{3}[aeiouyéèêà])[sx]\\M"),
                                        models.Value("\\1"),
                                        models.Value("gi"),
                                        function="regexp_replace",
                                        output_field=models.TextField(),
                                    ),
                                    config="gj_french",
                                    weight="A",
                                ),
                                "||",
                                django.contrib.postgres.search.SearchVector(
                                    models.Func(
                                        models.F("summary_fr"),
                                        models.Value("([[:alpha:]]{3}[aeiouyéèêà])[sx]\\M"),
                                        models.Value("\\1"),
                                        models.Value("gi"),
                                        function="regexp_replace",
                                        output_field=models.TextField(),
                                    ),
                                    config="gj_french",
                                    weight="B",
                                ),
                                django.contrib.postgres.search.SearchConfig("gj_french"),
                            ),
                            "||",
                            django.contrib.postgres.search.SearchVector(
                                models.Func(
                                    models.F("body_fr"),
                                    models.Value("([[:alpha:]]{3}[aeiouyéèêà])[sx]\\M"),
                                    models.Value("\\1"),
                                    models.Value("gi"),
                                    function="regexp_replace",
                                    output_field=models.TextField(),
                                ),
                                config="gj_french",
                                weight="C",
                            ),
                            django.contrib.postgres.search.SearchConfig("gj_french"),
                        ),
                        output_field=django.contrib.postgres.search.SearchVectorField(),
                    ),
                    "||",
                    django.contrib.postgres.search.CombinedSearchVector(
                        django.contrib.postgres.search.CombinedSearchVector(
                            django.contrib.postgres.search.SearchVector(
                                models.F("title_es"), config="gj_spanish", weight="A"
                            ),
                            "||",
                            django.contrib.postgres.search.SearchVector(
                                models.F("summary_es"), config="gj_spanish", weight="B"
                            ),
                            django.contrib.postgres.search.SearchConfig("gj_spanish"),
                        ),
                        "||",
                        django.contrib.postgres.search.SearchVector(
                            models.F("body_es"), config="gj_spanish", weight="C"
                        ),
                        django.contrib.postgres.search.SearchConfig("gj_spanish"),
                    ),
                    output_field=django.contrib.postgres.search.SearchVectorField(),
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
                verbose_name="search vector",
            ),
        ),
        migrations.AddIndex(
            model_name="searchdocument",
            index=django.contrib.postgres.indexes.GinIndex(fields=["vector"], name="searchdocument_vector_gin"),
        ),
    ]
