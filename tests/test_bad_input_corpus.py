"""The bad-input corpus: every import and form refuses bad values with a message in Bahasa
Indonesia naming the field (the column, for a file), and nothing reaches the database.

The corpus is data, in ``tests/corpus/*.json`` (files it uploads in ``tests/corpus/files/``).
Each JSON file names a ``target`` (the adapter below that sends its cases) and lists
``cases``; a case changes a valid ``base`` (``set``: field -> bad value, or ``files``) and says
which ``field`` (or import ``column``) must carry the error and a fragment of the Indonesian
``message`` (``a|b`` for alternatives, case-insensitive). For every case the test counts the
rows of every table of the project's apps before and after: they must not change.

Targets:

* ``page_form``: a page's form, POSTed by a user of a role (``forms``: url, user, base).
* ``fieldwork.field_form``: a TKSK's field form, on the web page and through the API
  (``channels`` limits a case to one).
* ``performance.import_rows``: a row of an XLSX import, through ``run_import(commit=True)``.
* ``performance.import_file``: the uploaded file itself, on the import page and the API.
* ``programs.import_rows``: a program import (disbursement results, a recipient list) through
  the import service with ``commit=True``: a row's problem on its row and column, a file or
  header problem on ``file``, a program the importer may not use on ``program``.
* ``programs.import_file``: the uploaded file itself, on the program import page and the API.
* ``registry.import_rows``: the registry's district import (``beneficiaries.importer``) with
  ``commit=True`` and all or nothing: the base rows (one family) as a CSV with semicolons, a
  case's ``set`` applied to its ``row`` (the header is row 1) or a row ``append``ed; the error
  is read from the import's report (its column labels). The import's own record
  (``ImportBatch``) is made before the rows are counted: it records the refused attempt.
* ``escaped``: HTML and script in names and texts are accepted as text and every page that
  shows them (``show``) renders them escaped.

Placeholders in values: ``{today}``, ``{yesterday}``, ``{tomorrow}``, ``{last_month}``,
``{next_month}``, ``{village_a}``/``{village_b}`` (codes of villages in the TKSK's kecamatan and
another), ``{village_a_id}``, ``{district_a}``, ``{bidang:<code>}``, ``{psks_kind:<code>}``,
``{sub_kegiatan:<code>}``, ``{agency_version}``, ``{repeat:<text>:<n>}``, ``{payload}``.
Generated files: ``{"head": "jpeg|png|pdf|xlsx|text", "megabytes": n | "bytes": n, "name": ...}``.

Adding the registry import later takes a few entries: a JSON file with
``"target": "page_form"`` and the page's url, user and a valid base (for a form), or a new
target: write an adapter ``send_<name>(ctx, spec, case) -> {field: [messages]}`` for its import
(e.g. run the import service with a CSV from ``tests/corpus/files/`` and map its problems to
columns), register it in ``ADAPTERS``, and list the new app in ``COUNTED_APPS`` if it is not.
The base of every form and import is checked to be accepted, so a case fails for its own reason.
"""

from __future__ import annotations

import copy
import datetime
import json
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.access import Role
from accounts.models import Bidang
from performance import clock, spreadsheets
from welfare.selectors import agency_get

from .factories import make_user
from .factories.performance import small_plan, xlsx

CORPUS = Path(__file__).resolve().parent / "corpus"
COUNTED_APPS = (
    "accounts",
    "regions",
    "beneficiaries",
    "programs",
    "fieldwork",
    "performance",
    "reports",
    "welfare",
)
MB = 1024 * 1024
TODAY = datetime.date(2026, 11, 20)
HEADS = {
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
    "png": b"\x89PNG\r\n\x1a\n",
    "pdf": b"%PDF-1.4\n",
    "xlsx": b"PK\x03\x04",
    "text": b"nama,umur\nUjang,40\n",
}


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.json"))


def load(name: str) -> dict:
    return json.loads((CORPUS / name).read_text(encoding="utf-8"))


def cases(target: str) -> list:
    params = []
    for path in corpus_files():
        spec = json.loads(path.read_text(encoding="utf-8"))
        if spec["target"] != target:
            continue
        for case in spec["cases"]:
            channels = case.get("channels") or spec.get("channels") or [None]
            if target == "fieldwork.field_form" and channels == [None]:
                channels = ["web", "api"]
            if target in ("performance.import_file", "programs.import_file") and channels == [None]:
                channels = ["page", "api"]
            for channel in channels:
                suffix = f"-{channel}" if channel else ""
                params.append(
                    pytest.param(path.name, case, channel, id=f"{path.stem}:{case['id']}{suffix}")
                )
    return params


@dataclass
class Ctx:
    users: dict
    village_a: object
    village_b: object
    district_a: object
    clients: dict
    apis: dict
    payload: str = ""
    extra: dict | None = None  # placeholders a target's data adds ({kk_paid}, {year}...)

    def user(self, key: str):
        return self.users[key]

    def client(self, key: str):
        return self.clients[key]

    def api(self, key: str):
        return self.apis[key]


@pytest.fixture
def ctx(regions, users, village_a, village_b, district_a, client_for, api_for, monkeypatch):
    """Users, their clients (logged in before rows are counted: a log-in writes the user's
    history) and the data every target needs."""
    from fieldwork.selectors import fieldwork_settings

    monkeypatch.setattr(clock, "today", lambda: datetime.date(2025, 4, 10))
    users = {
        **users,
        "planner": make_user(Role.OPERATOR, username="t.perencana", bidang_code="sekretariat"),
    }
    small_plan()
    agency_get()
    fieldwork_settings()
    clients = {key: client_for(users[key]) for key in ("admin", "planner", "tksk", "operator")}
    apis = {key: api_for(users[key]) for key in ("planner", "tksk", "operator")}
    return Ctx(users, village_a, village_b, district_a, clients, apis)


# --- Placeholders, files, counts --------------------------------------------------------------


def _month(day: datetime.date, delta: int) -> str:
    first = day.replace(day=1)
    if delta < 0:
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    else:
        first = (first + datetime.timedelta(days=32)).replace(day=1)
    return first.strftime("%Y-%m")


def resolve(value, ctx: Ctx):
    if isinstance(value, list):
        return [resolve(v, ctx) for v in value]
    if isinstance(value, dict):
        return {k: resolve(v, ctx) for k, v in value.items()}
    if not isinstance(value, str) or "{" not in value:
        return value
    from django.utils import timezone

    from fieldwork.models import PsksKind
    from performance.models import SubKegiatan

    today = timezone.localdate()
    simple = {
        "{today}": today.isoformat(),
        "{yesterday}": (today - datetime.timedelta(days=1)).isoformat(),
        "{tomorrow}": (today + datetime.timedelta(days=1)).isoformat(),
        "{last_month}": _month(today, -1),
        "{next_month}": _month(today, +1),
        "{village_a}": ctx.village_a.code,
        "{village_b}": ctx.village_b.code,
        "{village_a_id}": str(ctx.village_a.pk),
        "{village_b_id}": str(ctx.village_b.pk),
        "{district_a}": ctx.district_a.code,
        "{payload}": ctx.payload,
        **{f"{{{key}}}": v for key, v in (ctx.extra or {}).items()},
    }
    if value in simple:
        return simple[value]
    if value == "{agency_version}":
        return str(agency_get().version)
    match = re.fullmatch(r"\{(\w+):([^:}]+)(?::(\d+))?\}", value)
    if match:
        what, code, count = match.groups()
        if what == "bidang":
            return str(Bidang.objects.get(code=code).pk)
        if what == "psks_kind":
            return str(PsksKind.objects.get(code=code).pk)
        if what == "sub_kegiatan":
            return str(SubKegiatan.objects.get(code=code).pk)
        if what == "repeat":
            return code * int(count)
    return value


def make_file(spec: dict) -> SimpleUploadedFile:
    if "file" in spec:
        path = CORPUS / "files" / spec["file"]
        return SimpleUploadedFile(path.name, path.read_bytes())
    head = HEADS[spec["head"]]
    size = int(spec.get("megabytes", 0) * MB) or spec.get("bytes", len(head))
    name = (
        spec.get("name")
        or f"berkas.{ {'text': 'csv', 'jpeg': 'jpg'}.get(spec['head'], spec['head']) }"
    )
    return SimpleUploadedFile(name, head + b"\0" * max(0, size - len(head)))


def counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for app in COUNTED_APPS
        for model in apps.get_app_config(app).get_models()
    }


def assert_refused(errors: dict, case: dict, before: dict) -> None:
    field = case.get("field") or case.get("column")
    assert field in errors, f"no error on {field!r}; errors: {errors}"
    text = " ".join(str(m) for m in errors[field]).lower()
    options = [o.lower() for o in case["message"].split("|")]
    assert any(o in text for o in options), f"{field}: {errors[field]} lacks {case['message']!r}"
    after = counts()
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    assert not changed, f"rows written despite the error: {changed}"


def form_errors(response) -> dict:
    assert response.status_code in (200, 400, 409), (response.status_code, response.get("Location"))
    errors: dict = {}
    for name in ("form", "meta", "formset"):
        form = response.context.get(name) if response.context else None
        if form is not None and hasattr(form, "errors") and isinstance(form.errors, dict):
            for field, messages in form.errors.items():
                errors.setdefault(field, []).extend(messages)
    return errors


# --- Adapters ---------------------------------------------------------------------------------


def page_post(ctx: Ctx, spec: dict, form_key: str, overrides: dict, files: dict | None):
    form = spec["forms"][form_key]
    data = resolve(copy.deepcopy(form["base"]), ctx)
    data.update(resolve(overrides, ctx))
    data = {k: v for k, v in data.items() if v is not None}
    for name, file_spec in (files or {}).items():
        data[name] = make_file(file_spec)
    client = ctx.client(form["user"])
    return client, client.post(form["url"], data)


def send_page_form(ctx: Ctx, spec: dict, case: dict, channel) -> dict:
    _client, response = page_post(ctx, spec, case["form"], case.get("set", {}), case.get("files"))
    return form_errors(response)


def field_data(ctx: Ctx, spec: dict, kind: str, overrides: dict) -> dict:
    data = resolve(copy.deepcopy(spec["base"][kind]), ctx)
    data.update(resolve(overrides, ctx))
    return data


def field_post(ctx: Ctx, spec: dict, kind: str, overrides: dict, files, channel: str):
    data = field_data(ctx, spec, kind, overrides)
    if channel == "api":
        client = ctx.api("tksk")
        body = {"kind": kind, "client_key": str(uuid.uuid4()), "payload": data}
        return client, client.post("/api/v1/fieldwork/submissions/", body, format="json")
    form = {k: ("" if v is None else v) for k, v in data.items()}
    form["client_key"] = str(uuid.uuid4())
    for name, file_spec in (files or {}).items():
        form[name] = make_file(file_spec)
    client = ctx.client("tksk")
    return client, client.post(f"/lapangan/formulir/{kind}/", form)


def send_field_form(ctx: Ctx, spec: dict, case: dict, channel: str) -> dict:
    _client, response = field_post(
        ctx, spec, case["kind"], case.get("set", {}), case.get("files"), channel
    )
    if channel == "api":
        assert response.status_code == 400, (response.status_code, response.content[:500])
        return response.json().get("errors", {})
    return form_errors(response)


def import_sheets(spec: dict, case: dict) -> dict:
    sheets = copy.deepcopy(spec["base"][case["kind"]])
    rows = sheets[case["sheet"]]
    header = rows[0]
    for column, value in case.get("set", {}).items():
        rows[case["row"] - 1][header.index(column)] = value
    return sheets


IMPORT_ACTORS = {"plan": "planner", "budget": "planner", "realization": "operator"}


def send_import_rows(ctx: Ctx, spec: dict, case: dict, channel) -> dict:
    report = spreadsheets.run_import(
        kind=case["kind"],
        file=xlsx(import_sheets(spec, case)),
        actor=ctx.user(IMPORT_ACTORS[case["kind"]]),
        commit=True,
    )
    assert not report.committed
    errors: dict = {}
    for problem in report.problems:
        if (problem.sheet, problem.row) == (case["sheet"], case["row"]):
            errors.setdefault(problem.column, []).append(problem.message)
    return errors


def send_import_file(ctx: Ctx, spec: dict, case: dict, channel: str) -> dict:
    upload = make_file(case.get("generate") or case)
    if channel == "api":
        response = ctx.api("planner").post(
            "/api/v1/performance/imports/", {"kind": "budget", "file": upload}, format="multipart"
        )
        assert response.status_code == 400, (response.status_code, response.content[:500])
        return response.json().get("errors", {})
    response = ctx.client("planner").post("/kinerja/impor/", {"kind": "budget", "file": upload})
    return form_errors(response)


PROGRAM_IMPORTS = {
    # case kind -> (ProgramImport.Kind, the program of an enrollment list)
    "results": ("disbursements", None),
    "enrollments_kk": ("enrollments", "KORPUS-KK"),
    "enrollments_nik": ("enrollments", "KORPUS-NIK"),
}


@pytest.fixture
def program_data(ctx):
    """The programs, enrollments and planned disbursements the program import cases name, made
    before the rows are counted; their numbers become placeholders."""
    from django.utils import timezone

    from programs import services as program_services

    from .factories.programs import make_household, make_person, make_program, make_stage, quota

    year = timezone.localdate().year
    admin = ctx.user("admin")
    by_households = make_program("KORPUS-KK", max_desil=4)
    by_persons = make_program("KORPUS-NIK", unit="person")
    quota(make_program("KORPUS-Q"), year, village=ctx.village_a, n=0)
    make_program("KORPUS-KUBE", unit="group")
    paid_household = make_household(ctx.village_a, desil=2)
    paid_person = make_person(make_household(ctx.village_a, members=[]), age=35)
    for program, recipient in (
        (by_households, {"household": paid_household}),
        (by_persons, {"person": paid_person}),
    ):
        program_services.enrollment_create(
            actor=admin,
            program=program,
            start_date=timezone.localdate().replace(month=1, day=1),
            status="aktif",
            decree_number="460/SK-1",
            decree_date=timezone.localdate().replace(month=1, day=1),
            **recipient,
        )
        program_services.disbursements_plan(actor=admin, stage=make_stage(program, year, 1))
    ctx.extra = {
        "year": str(year),
        "kk_paid": paid_household.no_kk,
        "nik_paid": paid_person.nik,
        "kk_new": make_household(ctx.village_a, desil=2).no_kk,
        "kk_desil_9": make_household(ctx.village_a, desil=9).no_kk,
        "nik_new": make_person(make_household(ctx.village_a, members=[]), age=30).nik,
        "nik_deceased": make_person(
            make_household(ctx.village_a, members=[]), age=70, deceased=True
        ).nik,
    }
    return ctx


def program_import_file(ctx: Ctx, spec: dict, case: dict):
    """The case's file: a corpus file, or the kind's base rows with the case's changes (``set``
    on ``row``, ``append`` a row, or other ``rows`` altogether) as a CSV with semicolons."""
    import io

    if "file" in case:
        path = CORPUS / "files" / case["file"]
        upload = io.BytesIO(path.read_bytes())
        upload.name = path.name
        return upload
    rows = resolve(copy.deepcopy(case.get("rows") or spec["base"][case["kind"]]), ctx)
    header = rows[0]
    for column, value in resolve(case.get("set", {}), ctx).items():
        rows[case["row"] - 1][header.index(column)] = value
    if "append" in case:
        rows.append(resolve(case["append"], ctx))
    upload = io.BytesIO(("\n".join(";".join(r) for r in rows) + "\n").encode("utf-8-sig"))
    upload.name = "impor.csv"
    return upload


def send_program_import(ctx: Ctx, spec: dict, case: dict, channel) -> dict:
    from django.core.exceptions import PermissionDenied, ValidationError

    from programs import imports
    from programs.models import Program
    from welfare.tabular import TabularError

    kind, default_program = PROGRAM_IMPORTS[case["kind"]]
    actor = ctx.user(case.get("actor", "operator"))
    file = program_import_file(ctx, spec, case)
    try:
        if kind == "disbursements":
            report = imports.disbursement_results_import(actor=actor, file=file, commit=True)
        else:
            program = Program.objects.get(code=case.get("program", default_program))
            report = imports.enrollment_import(actor=actor, program=program, file=file, commit=True)
    except TabularError as exc:
        return {"file": [str(exc)]}
    except (PermissionDenied, ValidationError) as exc:
        return {"program": getattr(exc, "messages", None) or [str(exc)]}
    assert not report.committed and not report.saved
    errors: dict = {}
    for problem in report.problems:
        if problem.row == case.get("row"):
            errors.setdefault(problem.column, []).append(problem.message)
    return errors


def send_program_file(ctx: Ctx, spec: dict, case: dict, channel: str) -> dict:
    upload = make_file(case.get("generate") or case)
    data = {"kind": "disbursements", "mode": "all", "file": upload}
    if channel == "api":
        response = ctx.api("operator").post("/api/v1/programs/imports/", data, format="multipart")
        assert response.status_code == 400, (response.status_code, response.content[:500])
        return response.json().get("errors", {})
    return form_errors(ctx.client("operator").post("/program/impor/", data))


@pytest.fixture
def registry_data(ctx):
    """A valid family for the registry import cases: placeholders {kk}, {nik_head} (a man born
    17-05-1980), {nik_child} (a girl born 03-02-2010) in the TKSK's kecamatan."""
    from beneficiaries.demo import nik_for, no_kk_for

    district = ctx.village_a.district_id
    ctx.extra = {
        "kk": no_kk_for(district, datetime.date(2015, 3, 4), 71),
        "nik_head": nik_for(district, datetime.date(1980, 5, 17), "L", 711),
        "nik_child": nik_for(district, datetime.date(2010, 2, 3), "P", 712),
    }
    return ctx


def registry_import_file(ctx: Ctx, spec: dict, case: dict):
    import io

    rows = resolve(copy.deepcopy(spec["base"]), ctx)
    header = rows[0]
    for column, value in resolve(case.get("set", {}), ctx).items():
        rows[case["row"] - 1][header.index(column)] = value
    if "append" in case:
        rows.append(resolve(case["append"], ctx))
    return io.BytesIO(("\n".join(";".join(r) for r in rows) + "\n").encode("utf-8-sig"))


def send_registry_import(ctx: Ctx, spec: dict, case: dict, channel, batch=None) -> dict:
    from beneficiaries.importer import run_import
    from beneficiaries.models import ImportBatch
    from welfare.tabular import TabularError

    try:
        batch = run_import(
            file=registry_import_file(ctx, spec, case),
            actor=ctx.user("admin"),
            file_name="korpus.csv",
            commit=True,
            batch=batch,
        )
    except TabularError as exc:
        return {"file": [str(exc)]}
    assert batch.status == ImportBatch.Status.REFUSED, batch.status
    errors: dict = {}
    for problem in batch.error_items:
        if problem.row == case.get("row"):
            errors.setdefault(problem.column, []).append(problem.message)
    return errors


ADAPTERS = {
    "registry.import_rows": send_registry_import,
    "page_form": send_page_form,
    "fieldwork.field_form": send_field_form,
    "performance.import_rows": send_import_rows,
    "performance.import_file": send_import_file,
    "programs.import_rows": send_program_import,
    "programs.import_file": send_program_file,
}


# --- The tests --------------------------------------------------------------------------------


def test_every_corpus_file_has_a_known_target():
    targets = {load(p.name)["target"] for p in corpus_files()}
    assert targets <= {*ADAPTERS, "escaped"}, targets
    assert {
        "page_form",
        "fieldwork.field_form",
        "performance.import_rows",
        "programs.import_rows",
        "programs.import_file",
        "registry.import_rows",
    } <= targets


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "case", "channel"), cases("page_form"))
def test_page_forms_refuse(ctx, name, case, channel):
    spec = load(name)
    before = counts()
    assert_refused(send_page_form(ctx, spec, case, channel), case, before)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "case", "channel"), cases("fieldwork.field_form"))
def test_field_forms_refuse(ctx, name, case, channel):
    spec = load(name)
    before = counts()
    assert_refused(send_field_form(ctx, spec, case, channel), case, before)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "case", "channel"), cases("performance.import_rows"))
def test_import_rows_refused(ctx, name, case, channel):
    spec = load(name)
    before = counts()
    assert_refused(send_import_rows(ctx, spec, case, channel), case, before)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "case", "channel"), cases("performance.import_file"))
def test_import_files_refused(ctx, name, case, channel):
    spec = load(name)
    before = counts()
    assert_refused(send_import_file(ctx, spec, case, channel), case, before)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "case", "channel"), cases("programs.import_rows"))
def test_program_imports_refused(program_data, name, case, channel):
    ctx = program_data
    spec = load(name)
    before = counts()
    case = {**case, "message": resolve(case["message"], ctx)}
    assert_refused(send_program_import(ctx, spec, case, channel), case, before)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "case", "channel"), cases("programs.import_file"))
def test_program_import_files_refused(ctx, name, case, channel):
    from programs.models import ProgramImport
    from welfare.models import Job

    spec = load(name)
    before = counts()
    assert_refused(send_program_file(ctx, spec, case, channel), case, before)
    assert not ProgramImport.objects.exists() and not Job.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "case", "channel"), cases("registry.import_rows"))
def test_registry_imports_refused(registry_data, name, case, channel):
    from beneficiaries.models import ImportBatch

    ctx = registry_data
    spec = load(name)
    batch = ImportBatch.objects.create(file_name="korpus.csv", created_by=ctx.user("admin"))
    before = counts()
    assert_refused(send_registry_import(ctx, spec, case, channel, batch=batch), case, before)


# The bases are valid: each case fails because of its own change.


def _page_forms():
    return [
        pytest.param(p.name, key, id=f"{p.stem}:{key}")
        for p in corpus_files()
        if load(p.name)["target"] == "page_form"
        for key in load(p.name)["forms"]
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "form_key"), _page_forms())
def test_page_form_base_is_accepted(ctx, name, form_key):
    _client, response = page_post(ctx, load(name), form_key, {}, None)
    assert response.status_code == 302, form_errors(response)


@pytest.mark.django_db
@pytest.mark.parametrize("channel", ["web", "api"])
@pytest.mark.parametrize("kind", ["disaster_incident", "case_referral", "monthly_report"])
def test_field_form_base_is_accepted(ctx, kind, channel):
    _client, response = field_post(ctx, load("fieldwork_forms.json"), kind, {}, None, channel)
    assert response.status_code in (201, 302), response.content[:800]


@pytest.mark.django_db
def test_registry_import_base_is_accepted(registry_data):
    from beneficiaries.importer import run_import
    from beneficiaries.models import ImportBatch, Person

    spec = load("registry_imports.json")
    batch = run_import(
        file=registry_import_file(registry_data, spec, {}),
        actor=registry_data.user("admin"),
        file_name="korpus.csv",
        commit=True,
    )
    assert batch.status == ImportBatch.Status.COMMITTED, batch.error_items
    assert Person.objects.filter(nik=registry_data.extra["nik_child"]).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["plan", "budget", "realization"])
def test_import_base_is_accepted(ctx, kind):
    spec = load("performance_imports.json")
    report = spreadsheets.run_import(
        kind=kind,
        file=xlsx(spec["base"][kind]),
        actor=ctx.user(IMPORT_ACTORS[kind]),
        commit=False,
    )
    assert report.ok, report.problems


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(PROGRAM_IMPORTS))
def test_program_import_base_is_accepted(program_data, kind):
    """Each base file is accepted and saved (a check alone would pass a file whose save fails)."""
    from programs import imports
    from programs.models import Program

    ctx = program_data
    spec = load("programs_imports.json")
    file = program_import_file(ctx, spec, {"kind": kind})
    import_kind, code = PROGRAM_IMPORTS[kind]
    if import_kind == "disbursements":
        report = imports.disbursement_results_import(
            actor=ctx.user("operator"), file=file, commit=True
        )
    else:
        report = imports.enrollment_import(
            actor=ctx.user("operator"),
            program=Program.objects.get(code=code),
            file=file,
            commit=True,
        )
    assert report.ok and report.committed, report.problems
    assert report.saved == report.rows


@pytest.mark.django_db
@pytest.mark.parametrize("channel", ["page", "api"])
def test_program_import_file_base_is_accepted(ctx, channel):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("hasil.csv", b"no_kk;program;tahun;tahap;status\n")
    data = {"kind": "disbursements", "mode": "all", "file": upload}
    if channel == "api":
        response = ctx.api("operator").post("/api/v1/programs/imports/", data, format="multipart")
        assert response.status_code == 202, response.content[:500]
    else:
        response = ctx.client("operator").post("/program/impor/", data)
        assert response.status_code == 302, form_errors(response)


# HTML and script: accepted as text, rendered escaped.


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case", [pytest.param(c, id=c["id"]) for c in load("escaped_html.json")["cases"]]
)
def test_html_in_names_is_shown_escaped(ctx, case):
    ctx.payload = load("escaped_html.json")["payload"]
    spec = load(case["corpus"])
    if "kind" in case:
        client, response = field_post(ctx, spec, case["kind"], case["set"], None, "web")
        viewers = [client, ctx.client("admin")]
    else:
        client, response = page_post(ctx, spec, case["form"], case["set"], None)
        viewers = [client]
    assert response.status_code == 302, form_errors(response)
    created = response["Location"]
    shown = 0
    for viewer in viewers:
        for url in case["show"]:
            html = viewer.get(created if url == "{created}" else url).content.decode()
            assert "<script>alert(" not in html and "onerror=alert" not in html.replace(
                "onerror=alert(1)&gt;", ""
            ), url
            shown += html.count("&lt;script&gt;alert(")
    assert shown, "the text was not shown on any page: the check proved nothing"
