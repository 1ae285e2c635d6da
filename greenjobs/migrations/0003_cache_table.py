from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    """The database cache (rate limits, page-cache version) must exist before any post_migrate save."""
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("greenjobs", "0002_searchdocument_storage")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
