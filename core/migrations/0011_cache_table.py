"""The table of the shared cache (settings.CACHES, DatabaseCache): every migrated database has
it, so `serve`, benchmarks and management commands never meet a missing cache table."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0010_drop_redundant_fk_indexes")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
