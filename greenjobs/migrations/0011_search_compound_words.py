"""Hyphenated words matched as one word.

"e-waste" reads as the phrase 'e-wast' <-> 'e' <-> 'wast', and a phrase is checked against positions,
which means reading each candidate's whole vector back from the toast table (6,000 candidates at bench
scale, 40 ms). The parser always writes a hyphenated word's parts right after it, so a document holds
that phrase exactly when it holds the compound 'e-wast': ``gj_compounds`` asks for the compound alone,
which the GIN index answers without reading any vector. searchindex.AnyReading passes it only the
words outside quoted phrases, where the parts' positions matter.
"""

from django.db import migrations

COMPOUNDS_SQL = r"""
CREATE OR REPLACE FUNCTION gj_compounds(asked tsquery, config regconfig, words text[]) RETURNS tsquery
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  word text;
  phrase tsquery;
  compound text;
BEGIN
  FOREACH word IN ARRAY words LOOP
    phrase := websearch_to_tsquery(config, word);
    SELECT lexeme INTO compound FROM unnest(to_tsvector(config, word))
      WHERE positions[1] = 1 AND lexeme LIKE '_%-%_';
    IF compound IS NOT NULL AND numnode(phrase) > 1 THEN
      asked := ts_rewrite(
        asked, phrase, ('''' || replace(replace(compound, '\', '\\'), '''', '''''') || '''')::tsquery);
    END IF;
  END LOOP;
  RETURN asked;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("greenjobs", "0010_search_ranking_and_newest"),
    ]

    operations = [
        migrations.RunSQL(COMPOUNDS_SQL, "DROP FUNCTION IF EXISTS gj_compounds(tsquery, regconfig, text[])"),
    ]
