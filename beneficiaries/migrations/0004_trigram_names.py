"""Trigram similarity of names (PostgreSQL only): the pg_trgm extension, used by duplicate
detection (similar names with the same birth date in one village, joined on village and birth
date). No trigram index on the names: measured on a district import, maintaining it cost about
a third of the time of writing 1.2 million persons. On SQLite nothing is done."""

from django.db import migrations

FORWARD = ["CREATE EXTENSION IF NOT EXISTS pg_trgm"]
BACKWARD: list[str] = []


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
