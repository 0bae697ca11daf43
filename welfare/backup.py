"""Back up the database and the uploaded files into one archive, and restore it.

The archive (``.tar.gz``) holds:

* ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3`` (SQLite),
* ``media/``: every uploaded file (logos, evidence, photos, generated reports),
* ``manifest.json``: when, from which version, the applied migrations, and the row count of every
  table, which ``restore`` checks after restoring.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT_VERSION = 1


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class RestoreResult:
    tables: int
    rows: int
    media_files: int


def table_counts() -> dict[str, int]:
    """Row count of every table of the project's models (one query per table)."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        counts[model._meta.db_table] = model._base_manager.using("default").count()
    return dict(sorted(counts.items()))


def _pg_env() -> tuple[dict, list[str]]:
    db = connections["default"].settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = ["--host", db.get("HOST") or "127.0.0.1", "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return env, args


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")


def backup_create(*, output: Path) -> dict:
    """Write the archive to ``output``; return its manifest."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "vendor": connection.vendor,
        "app_version": settings.SPECTACULAR_SETTINGS["VERSION"],
        "migrations": sorted(MigrationRecorder(connection).applied_migrations()),
        "counts": table_counts(),
    }
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        if connection.vendor == "postgresql":
            env, args = _pg_env()
            name = connections["default"].settings_dict["NAME"]
            _run(
                [
                    "pg_dump",
                    *args,
                    "--format=custom",
                    "--no-owner",
                    "--no-acl",
                    "--file",
                    str(work_dir / "database.dump"),
                    name,
                ],
                env,
            )
        elif connection.vendor == "sqlite":
            source = sqlite3.connect(connections["default"].settings_dict["NAME"])
            target = sqlite3.connect(work_dir / "database.sqlite3")
            with target:
                source.backup(target)
            source.close()
            target.close()
        else:
            raise BackupError(f"unsupported database {connection.vendor}")
        (work_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, default=list))
        with tarfile.open(output, "w:gz") as archive:
            for item in work_dir.iterdir():
                archive.add(item, arcname=item.name)
            media = Path(settings.MEDIA_ROOT)
            if media.exists():
                archive.add(media, arcname="media")
    return manifest


def _database_is_empty() -> bool:
    return "django_migrations" not in connection.introspection.table_names()


def backup_restore(*, archive_path: Path, force: bool = False) -> RestoreResult:
    """Restore an archive into the configured (empty) database and media directory, then check
    every table's row count against the manifest."""
    if not force and not _database_is_empty():
        raise BackupError(
            _(
                "The target database is not empty. Restore into a new, empty database (or use --force)."
            )
        )
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(work_dir, filter="data")
        manifest = json.loads((work_dir / "manifest.json").read_text())
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError(_("This archive was made by an incompatible version."))
        if manifest["vendor"] != connection.vendor:
            raise BackupError(
                _("This archive holds a %(source)s database; the target is %(target)s.")
                % {"source": manifest["vendor"], "target": connection.vendor}
            )
        if connection.vendor == "postgresql":
            env, args = _pg_env()
            name = connections["default"].settings_dict["NAME"]
            connection.close()
            _run(
                [
                    "pg_restore",
                    *args,
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-acl",
                    "--single-transaction",
                    "--dbname",
                    name,
                    str(work_dir / "database.dump"),
                ],
                env,
            )
        else:
            target = connections["default"].settings_dict["NAME"]
            connection.close()
            source = sqlite3.connect(work_dir / "database.sqlite3")
            destination = sqlite3.connect(target)
            with destination:
                source.backup(destination)
            source.close()
            destination.close()
        media_files = 0
        media_source = work_dir / "media"
        if media_source.exists():
            media_root = Path(settings.MEDIA_ROOT)
            media_root.mkdir(parents=True, exist_ok=True)
            for path in media_source.rglob("*"):
                if path.is_file():
                    destination_path = media_root / path.relative_to(media_source)
                    destination_path.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, destination_path)
                    media_files += 1
    restored = table_counts()
    differences = {
        table: (count, restored.get(table))
        for table, count in manifest["counts"].items()
        if restored.get(table) != count
    }
    if differences:
        raise BackupError(
            _("Restored row counts differ from the backup: %(tables)s") % {"tables": differences}
        )
    return RestoreResult(tables=len(restored), rows=sum(restored.values()), media_files=media_files)
