"""A trigram index on the persons' normalized names (PostgreSQL only), for the name search of
the registry (``name_normalized LIKE '%...%'``): across the regency's 1,2 million persons the
search read the whole table twice, the count and the page (970 ms at the median under the load
test, 250-360 ms a pass on the idle machine); through the index, 10-30 ms.

Migration 0004 left it out because maintaining it row by row cost a third of a district
import; a district's first load now drops the indexes and builds them again after the write
(beneficiaries/importer.py, ``_bulk_load``, which rebuilds every index it finds), and building
this one over 1,2 million names takes about 4 s. On SQLite nothing is done."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS person_name_trgm ON beneficiaries_person "
    "USING gin (name_normalized gin_trgm_ops)",
]
BACKWARD = ["DROP INDEX IF EXISTS person_name_trgm"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0008_no_import_batch_index")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
