"""Trigram search on names (PostgreSQL only): the pg_trgm extension and a GIN index on the
normalised name, used by the name search of the lists and by duplicate detection (similar names
in one village). On SQLite nothing is done: the search falls back to a plain LIKE."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS person_name_trgm_idx ON beneficiaries_person "
    "USING gin (name_normalized gin_trgm_ops)",
]
BACKWARD = ["DROP INDEX IF EXISTS person_name_trgm_idx"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0003_import_batches")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
