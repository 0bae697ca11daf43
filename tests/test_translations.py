"""Every user-facing text is translated to Bahasa Indonesia (the catalogues are complete and in
step with the code)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

BASE = Path(__file__).resolve().parent.parent
SKIP_DIRS = {
    ".venv",
    "var",
    "node_modules",
    ".git",
    "vendor",
    "benchmarks",
    ".pytest_cache",
    ".ruff_cache",
}


def catalogues(root: Path) -> list[Path]:
    return sorted(
        p
        for p in root.glob("**/locale/id/LC_MESSAGES/*.po")
        if not (set(p.relative_to(root).parts) & SKIP_DIRS)
    )


def msgids(path: Path) -> set[str]:
    return {entry.msgid for entry in polib.pofile(str(path)) if not entry.obsolete}


def test_every_catalogue_is_fully_translated():
    problems = []
    for path in catalogues(BASE):
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            if "fuzzy" in entry.flags:
                problems.append(f"{path.relative_to(BASE)}: fuzzy {entry.msgid!r}")
            elif not entry.translated():
                problems.append(f"{path.relative_to(BASE)}: untranslated {entry.msgid!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
def test_catalogues_hold_every_text_of_the_code(tmp_path):
    """makemessages on a copy of the tree finds no text that the committed catalogues lack."""
    copy = tmp_path / "tree"
    shutil.copytree(
        BASE,
        copy,
        ignore=lambda d, names: [n for n in names if n in SKIP_DIRS or n.endswith(".mo")],
    )
    env = {
        **os.environ,
        "WELFARE_DEV": "1",
        "DJANGO_SETTINGS_MODULE": "welfare.settings",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    env["WELFARE_VAR_DIR"] = str(tmp_path / "var")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages_all"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    missing = []
    for path in catalogues(copy):
        original = BASE / path.relative_to(copy)
        known = msgids(original) if original.exists() else set()
        for msgid in sorted(msgids(path) - known):
            missing.append(f"{path.relative_to(copy)}: {msgid!r}")
    assert not missing, (
        "Texts missing from the catalogues (run `make messages` and translate):\n"
        + "\n".join(missing)
    )


def test_a_word_shared_by_apps_has_one_meaning():
    """Catalogues are merged: one app's "Unit" (of a program's recipients) once showed on the
    performance pages as the unit of measure. Program pages say "Recipient unit"."""
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("id"):
        assert gettext("Unit") == "Satuan"
        assert gettext("Recipient unit") == "Satuan penerima"


def test_every_catalogue_entry_is_what_the_site_shows():
    """Django merges the catalogues into one (LOCALE_PATHS, then the apps in INSTALLED_APPS
    order, Django's own and the libraries' first): a msgid has one translation in the whole
    site, the first found. An entry another catalogue shadows is not what users read: a button
    "Open" read "Masih terbuka" (a status) on the reports page, a KUBE member's position
    "Peran". A text that means something else needs a context (``pgettext``,
    ``{% translate "..." context "..." %}``); a synonym takes the translation already shown."""
    from django.utils import translation

    shadowed = []
    with translation.override("id"):
        for path in catalogues(BASE):
            if path.stem != "django":
                continue  # djangojs is a catalogue of its own
            for entry in polib.pofile(str(path)):
                if entry.obsolete or not entry.msgstr or entry.msgid_plural:
                    continue
                shown = (
                    translation.pgettext(entry.msgctxt, entry.msgid)
                    if entry.msgctxt
                    else translation.gettext(entry.msgid)
                )
                if shown != entry.msgstr:
                    shadowed.append(
                        f"{path.relative_to(BASE)}: {entry.msgid!r} (context "
                        f"{entry.msgctxt!r}) shows {shown!r}, not {entry.msgstr!r}"
                    )
    assert not shadowed, "\n".join(shadowed)


def test_every_field_a_user_can_see_has_a_translated_label():
    """A field without a label of its own is named by Django in English from its attribute
    ("created by"): the history of a recipient read "Created by: Admin Sistem". Derived
    figures (the summaries) and internal links are never shown and are left out."""
    from django.apps import apps
    from django.utils.functional import Promise

    ours = {"accounts", "beneficiaries", "programs", "fieldwork", "performance", "reports"}
    ours |= {"regions", "welfare"}
    unlabelled = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in ours
        and not model.__name__.startswith("Historical")
        and not model.__name__.endswith(("Summary", "Stale"))
        and model.__name__ != "AppliedChange"
        for field in model._meta.concrete_fields
        if not field.primary_key and not isinstance(field.verbose_name, Promise)
    ]
    assert unlabelled == []


@pytest.mark.django_db
def test_djangos_own_texts_missing_in_indonesian_are_supplied(client_for, users):
    """Django 6.1 added a label for a select's empty choice that its Indonesian catalogue
    lacks: the person form read "- Select an option -"."""
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("id"):
        assert gettext("- Select an option -") == "- Pilih salah satu -"
    html = client_for(users["admin"]).get("/registri/orang/tambah/").content.decode()
    assert "- Pilih salah satu -" in html and "Select an option" not in html
