from django.db import migrations


class Migration(migrations.Migration):
    """Keep vectors inline in the table and move long bodies out first: ranking then reads no TOAST."""

    dependencies = [("greenjobs", "0001_initial")]

    operations = [
        migrations.RunSQL(
            sql=[
                "ALTER TABLE greenjobs_searchdocument ALTER COLUMN vector SET STORAGE MAIN",
                "ALTER TABLE greenjobs_searchdocument ALTER COLUMN body SET STORAGE EXTERNAL",
            ],
            reverse_sql=[
                "ALTER TABLE greenjobs_searchdocument ALTER COLUMN vector SET STORAGE EXTENDED",
                "ALTER TABLE greenjobs_searchdocument ALTER COLUMN body SET STORAGE EXTENDED",
            ],
        )
    ]
