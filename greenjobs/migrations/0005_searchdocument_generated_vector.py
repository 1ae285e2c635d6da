"""The search vector becomes a generated column: PostgreSQL computes it on every write (no second UPDATE).

A column cannot be altered into a generated one: the old column (and its index) is dropped and the
new one added, which computes every existing row's vector once.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

VECTOR = django.contrib.postgres.search.CombinedSearchVector(
    django.contrib.postgres.search.CombinedSearchVector(
        django.contrib.postgres.search.SearchVector("title", config="english", weight="A"),
        "||",
        django.contrib.postgres.search.SearchVector("summary", "themes", config="english", weight="B"),
        django.contrib.postgres.search.SearchConfig("english"),
    ),
    "||",
    django.contrib.postgres.search.SearchVector("body", config="english", weight="C"),
    django.contrib.postgres.search.SearchConfig("english"),
)


class Migration(migrations.Migration):
    dependencies = [
        ("greenjobs", "0004_content_version"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="searchdocument", name="searchdocument_kind_valid"),
        migrations.AlterField(
            model_name="searchdocument",
            name="kind",
            field=models.CharField(
                help_text="Filter of the search page: the app's kind.", max_length=10, verbose_name="kind"
            ),
        ),
        migrations.RemoveIndex(model_name="searchdocument", name="searchdocument_vector_gin"),
        migrations.RemoveField(model_name="searchdocument", name="vector"),
        migrations.AddField(
            model_name="searchdocument",
            name="vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=VECTOR,
                output_field=django.contrib.postgres.search.SearchVectorField(),
                verbose_name="search vector",
            ),
        ),
        migrations.AddIndex(
            model_name="searchdocument",
            index=django.contrib.postgres.indexes.GinIndex(fields=["vector"], name="searchdocument_vector_gin"),
        ),
    ]
