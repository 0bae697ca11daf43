"""The district import: every row checked, a report of row/column/message, all-or-nothing or
valid rows only with the others returned, idempotent, bad files."""

import csv
import datetime
import io
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.utils import translation
from openpyxl import Workbook, load_workbook

from beneficiaries.demo import nik_for, no_kk_for
from beneficiaries.importer import COLUMNS, run_import, template_file
from beneficiaries.models import DesilRecord, Household, ImportBatch, Person
from welfare.tabular import TabularError

HEADERS = [str(c.header) for c in COLUMNS]


@pytest.fixture(autouse=True)
def _indonesian():
    with translation.override("id"):
        yield


def _row(village, *, serial=1, member=1, sex="L", birth=datetime.date(1980, 5, 17), **extra):
    district = village.district_id
    row = {
        "no_kk": no_kk_for(district, datetime.date(2015, 3, 4), serial),
        "nik": nik_for(district, birth, sex, serial * 10 + member),
        "name": f"Warga Impor {serial}-{member}",
        "sex": sex,
        "birth_place": "Lebak",
        "birth_date": birth.strftime("%d-%m-%Y"),
        "relationship": "Kepala Keluarga" if member == 1 else "Anak",
        "village": village.code,
        "address": "Kp. Impor",
        "rt": "1",
        "rw": "2",
        "desil": "3",
        "desil_date": "01-08-2026",
        "life": "Hidup",
    }
    row.update(extra)
    return row


def _csv(rows, *, sep=";", encoding="utf-8-sig") -> io.BytesIO:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([row.get(c.key, "") for c in COLUMNS])
    return io.BytesIO(out.getvalue().encode(encoding))


def _families(village, count=3):
    rows = []
    for serial in range(1, count + 1):
        rows.append(_row(village, serial=serial, member=1))
        rows.append(
            _row(village, serial=serial, member=2, sex="P", birth=datetime.date(2010, 2, 3))
        )
    return rows


def _run(file, user, **kwargs):
    kwargs.setdefault("commit", True)
    return run_import(file=file, actor=user, file_name="uji.csv", **kwargs)


@pytest.mark.django_db
def test_good_file_is_saved_and_second_import_changes_nothing(users, village_a):
    admin = users["admin"]
    batch = _run(_csv(_families(village_a)), admin)
    assert batch.status == ImportBatch.Status.COMMITTED
    assert batch.set_based  # COPY and SQL checks, not row by row
    assert (batch.rows, batch.invalid_rows) == (6, 0)
    assert (batch.households_created, batch.persons_created) == (3, 6)
    assert Household.objects.count() == 3 and Person.objects.count() == 6
    household = Household.objects.get(no_kk=_families(village_a)[0]["no_kk"])
    assert household.rt == "001" and household.desil == 3
    assert household.import_batch_id == batch.pk
    assert DesilRecord.objects.filter(household=household, desil=3).count() == 1
    girl = Person.objects.get(nik=_families(village_a)[1]["nik"])
    assert girl.household == household and girl.sex == "P" and girl.relationship == "anak"
    assert girl.name_normalized == "WARGA IMPOR"

    versions = dict(Person.objects.values_list("nik", "version"))
    again = _run(_csv(_families(village_a)), admin)
    assert again.status == ImportBatch.Status.COMMITTED
    assert (again.households_created, again.households_updated) == (0, 0)
    assert (again.persons_created, again.persons_updated) == (0, 0)
    assert dict(Person.objects.values_list("nik", "version")) == versions
    assert not Person.objects.filter(import_batch=again).exists()


@pytest.mark.django_db
def test_changed_rows_are_updated_and_carry_the_batch(users, village_a):
    admin = users["admin"]
    _run(_csv(_families(village_a)), admin)
    rows = _families(village_a)
    rows[0]["desil"] = "5"
    rows[0]["desil_date"] = "01-11-2026"
    rows[1]["name"] = "Nama Baru"
    batch = _run(_csv(rows), admin)
    assert (batch.households_updated, batch.persons_updated) == (1, 1)
    household = Household.objects.get(no_kk=rows[0]["no_kk"])
    assert household.desil == 5 and household.version == 2
    assert household.import_batch_id == batch.pk
    assert list(household.desil_records.values_list("desil", flat=True)) == [5, 3]
    assert Person.objects.get(nik=rows[1]["nik"]).name == "Nama Baru"


@pytest.mark.django_db
def test_all_or_nothing_saves_nothing_and_reports_row_and_column(users, village_a):
    rows = _families(village_a)
    rows[2]["nik"] = "3.6021E+15"
    rows[3]["birth_date"] = "31-02-2010"
    batch = _run(_csv(rows), users["admin"])
    assert batch.status == ImportBatch.Status.REFUSED
    assert Household.objects.count() == 0 and Person.objects.count() == 0
    assert batch.invalid_rows == 2
    report = load_workbook(batch.report_file.path, read_only=True).active
    values = list(report.iter_rows(values_only=True))
    assert values[0] == ("Baris", "Kolom", "Pesan", "Nilai")
    problems = {(r[0], r[1]): r[2] for r in values[1:]}
    assert "notasi ilmiah" in problems[(4, "NIK")]
    assert "Tanggal Lahir" in problems[(5, "Tanggal Lahir")]


@pytest.mark.django_db
def test_valid_rows_only_returns_the_others_in_a_file(users, village_a):
    rows = _families(village_a)
    rows[1]["sex"] = "X"
    batch = _run(_csv(rows), users["admin"], mode=ImportBatch.Mode.VALID_ONLY)
    assert batch.status == ImportBatch.Status.COMMITTED
    assert Person.objects.count() == 5
    with open(batch.rejected_file.path, "rb") as handle:
        rejected = load_workbook(handle, read_only=True).active
        values = list(rejected.iter_rows(values_only=True))
    assert values[0][-1] == "Masalah"
    assert len(values) == 2
    assert values[1][1] == rows[1]["nik"]  # as the user sent it
    assert "Jenis Kelamin" in values[1][-1]


@pytest.mark.django_db
def test_cross_row_and_database_checks(users, village_a, village_b):
    rows = _families(village_a, 2)  # rows 2-5 of the file
    rows[2]["village"] = village_b.code  # KK 2 names two villages (rows 4 and 5)
    rows.append(dict(rows[0], name="Orang Lain"))  # row 6: the NIK of row 2 again
    unknown_village = _row(village_a, serial=9)
    unknown_village["village"] = "36.02.99.9999"
    rows.append(unknown_village)  # row 7
    bad_region = _row(village_a, serial=8)
    bad_region["nik"] = "990101" + bad_region["nik"][6:]
    rows.append(bad_region)  # row 8
    batch = _run(_csv(rows), users["admin"], commit=False)
    assert batch.status == ImportBatch.Status.CHECKED and batch.set_based
    messages = {(item.row, item.column): item.message for item in batch.error_items}
    assert "baris 4" in messages[(5, "Kode Desa")]
    assert "baris 2" in messages[(6, "NIK")]
    assert "36.02.99.9999" in messages[(7, "Kode Desa")]
    assert "99.01.01" in messages[(8, "NIK")]
    assert set(messages) == {(5, "Kode Desa"), (6, "NIK"), (7, "Kode Desa"), (8, "NIK")}
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_nik_must_agree_with_birth_date_and_sex(users, village_a):
    row = _row(village_a, sex="L")
    row["sex"] = "P"
    row2 = _row(village_a, serial=2)
    row2["birth_date"] = "18-05-1980"
    batch = _run(_csv([row, row2]), users["admin"], commit=False)
    columns = {(item.row, item.column) for item in batch.error_items}
    assert (2, "Jenis Kelamin") in columns
    assert (3, "Tanggal Lahir") in columns


@pytest.mark.django_db
def test_nik_with_a_dropped_leading_zero_or_a_float_is_refused(users, village_a):
    row = _row(village_a)
    row["nik"] = row["nik"][1:]
    batch = _run(_csv([row]), users["admin"], commit=False)
    assert "nol di depan" in batch.error_items[0].message

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    good = _row(village_a, serial=2)
    values = [good.get(c.key, "") for c in COLUMNS]
    values[HEADERS.index("NIK")] = int(good["nik"])
    values[HEADERS.index("Tanggal Lahir")] = 29358  # Excel serial of 17-05-1980
    sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    batch = _run(buffer, users["admin"], commit=False)
    assert [item.column for item in batch.error_items] == ["NIK"]
    assert "angka" in batch.error_items[0].message


@pytest.mark.django_db
@pytest.mark.parametrize(("sep", "encoding"), [(";", "utf-8-sig"), (",", "utf-8"), (";", "cp1252")])
def test_separators_and_encodings(users, village_a, sep, encoding):
    rows = _families(village_a, 1)
    rows[0]["name"] = "André Sêmbiring"
    batch = _run(_csv(rows, sep=sep, encoding=encoding), users["admin"])
    assert batch.status == ImportBatch.Status.COMMITTED
    assert Person.objects.filter(name="André Sêmbiring").exists()


@pytest.mark.django_db
def test_xlsx_with_dates_and_the_template_round_trip(users, village_a):
    data = template_file()
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == HEADERS
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    row = _row(village_a)
    values = [row.get(c.key, "") for c in COLUMNS]
    values[HEADERS.index("Tanggal Lahir")] = datetime.datetime(1980, 5, 17)
    sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    batch = _run(buffer, users["admin"])
    assert batch.status == ImportBatch.Status.COMMITTED
    assert Person.objects.get(nik=row["nik"]).birth_date == datetime.date(1980, 5, 17)


@pytest.mark.django_db
def test_bad_files_are_refused_with_a_message(users):
    with pytest.raises(TabularError, match=r"No\. KK"):
        _run(io.BytesIO(b"NIK;Nama\n1;2\n"), users["admin"])
    with pytest.raises(TabularError):
        _run(io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1xx"), users["admin"])


@pytest.mark.django_db
def test_only_roles_that_import_may(users, village_a):
    from django.core.exceptions import PermissionDenied

    for role in ("tksk", "auditor", "kepala_dinas", "api_client"):
        with pytest.raises(PermissionDenied):
            _run(_csv(_families(village_a, 1)), users[role])
    assert _run(_csv(_families(village_a, 1)), users["operator"]).status == "committed"


@pytest.mark.django_db
def test_management_command(users, village_a, tmp_path):
    path = tmp_path / "registri.csv"
    path.write_bytes(_csv(_families(village_a, 2)).getvalue())
    out = io.StringIO()
    call_command(
        "registry_import", str(path), "--user", users["admin"].username, "--commit", stdout=out
    )
    assert Person.objects.count() == 4
    assert "Tersimpan" in out.getvalue() or "Saved" in out.getvalue()


@pytest.mark.django_db
def test_ragged_csv_and_blank_lines_keep_row_numbers(users, village_a):
    rows = _families(village_a, 1)
    data = _csv(rows).getvalue().decode("utf-8-sig").splitlines()
    data.insert(2, "")  # a blank line: row 3
    data.append(data[1] + ";extra")  # a longer row: COPY refuses, Python reads it
    batch = _run(io.BytesIO("\n".join(data).encode()), users["admin"], commit=False)
    assert not batch.set_based
    assert {item.row for item in batch.error_items} == {5}  # the repeated NIK, row 5


@pytest.mark.django_db
def test_sql_and_python_checks_agree_on_unusual_forms(users, village_a):
    """Forms only Python accepts (1/2/1980, Excel serial, non-ASCII name, two disability types)
    are checked by Python; the result is the same as for plain forms."""
    row = _row(village_a, serial=1)
    row.update(
        birth_date="17/5/1980",
        name="Siti Nur\u2019aini",
        disability="fisik, sensorik",
        severity="berat",
    )
    plain = _row(village_a, serial=2)
    batch = _run(_csv([row, plain]), users["admin"])
    assert batch.set_based and batch.invalid_rows == 0
    person = Person.objects.get(nik=row["nik"])
    assert person.birth_date == datetime.date(1980, 5, 17)
    assert person.disability_physical and person.disability_sensory
    assert person.name_normalized == "SITI NUR AINI"


def _schema(table):
    """The table's indexes and constraints as PostgreSQL reports them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s ORDER BY 1", [table]
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass ORDER BY 1",
            [table],
        )
        return indexes, cursor.fetchall()


@pytest.mark.django_db
def test_bulk_load_rebuilds_every_index_and_key_and_still_upserts(users, village_a, monkeypatch):
    """A district's first load drops the tables' indexes and keys and rebuilds them: afterwards
    the schema is exactly the migrations' one, changed rows are updated, new ones added."""
    from beneficiaries import importer

    tables = ("beneficiaries_person", "beneficiaries_household", "beneficiaries_desilrecord")
    before = {table: _schema(table) for table in tables}
    # the name search's trigram index is among them (it is created by raw SQL)
    assert "person_name_trgm" in dict(before["beneficiaries_person"][0])
    admin = users["admin"]
    _run(_csv(_families(village_a, count=1)), admin)  # 1 household, 2 persons (not bulk)
    monkeypatch.setattr(importer, "BULK_LOAD_MIN_ROWS", 2)
    rows = _families(village_a, count=4)
    rows[1]["name"] = "Nama Diubah"
    batch = _run(_csv(rows), admin)
    assert batch.status == ImportBatch.Status.COMMITTED
    assert (batch.households_created, batch.households_updated) == (3, 0)
    assert (batch.persons_created, batch.persons_updated) == (6, 1)
    assert Person.objects.count() == 8 and Household.objects.count() == 4
    changed = Person.objects.get(nik=rows[1]["nik"])
    assert changed.name == "Nama Diubah" and changed.version == 2
    assert changed.import_batch_id == batch.pk
    assert DesilRecord.objects.count() == 4
    assert {table: _schema(table) for table in tables} == before
    # The unique keys are back: the same file again changes nothing.
    again = _run(_csv(rows), admin)
    assert (again.persons_created, again.persons_updated) == (0, 0)
    assert Person.objects.count() == 8


def _all_visible_pages(table: str) -> int:
    """``pg_class.relallvisible``: the pages the visibility map marks all-visible (set by
    VACUUM only), which an index-only scan needs to skip the table."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT relallvisible FROM pg_class WHERE oid = %s::regclass", [table])
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_committed_bulk_load_is_vacuumed_so_counts_can_read_the_indexes(
    users, village_a, monkeypatch
):
    """After a district's first load has committed, the tables it loaded are vacuumed: their
    pages are marked all-visible and the dashboard's count reads the small index only, even
    where autovacuum is off or has not come round. A load that is not bulk is left alone."""
    from beneficiaries import importer

    admin = users["admin"]
    _run(_csv(_families(village_a, count=1)), admin)  # not a bulk load: nothing vacuumed
    assert _all_visible_pages("beneficiaries_person") == 0
    monkeypatch.setattr(importer, "BULK_LOAD_MIN_ROWS", 2)
    batch = _run(_csv(_families(village_a, count=4)), admin)
    assert batch.status == ImportBatch.Status.COMMITTED and batch.persons_created == 6
    for table in ("beneficiaries_person", "beneficiaries_household"):
        assert _all_visible_pages(table) > 0, table


@pytest.mark.django_db(transaction=True)
def test_a_vacuum_that_fails_after_the_commit_does_not_fail_the_import(caplog):
    """The import is saved before the vacuum: a vacuum the database refuses is logged, not
    raised (the job would otherwise be marked failed for saved data)."""
    from beneficiaries import importer

    with caplog.at_level("WARNING", logger="beneficiaries.importer"):
        importer._vacuum(["registry_no_such_table"])
    assert "VACUUM after the registry's bulk load failed" in caplog.text
    assert Person.objects.count() == 0  # the connection is usable afterwards


@pytest.mark.django_db
def test_bulk_load_that_fails_leaves_the_schema_and_the_data_as_they_were(
    users, village_a, monkeypatch
):
    from beneficiaries import importer

    before = _schema("beneficiaries_person")
    monkeypatch.setattr(importer, "BULK_LOAD_MIN_ROWS", 2)
    real = importer._bulk_load

    @contextmanager
    def failing(cursor, table, enabled, keep_unique=False):
        with real(cursor, table, enabled, keep_unique):
            if table == "beneficiaries_person":
                cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [table])
                assert cursor.fetchall() == [("beneficiaries_person_pkey",)]  # all else dropped
                raise RuntimeError("simulated failure during the save")
            yield

    monkeypatch.setattr(importer, "_bulk_load", failing)
    with pytest.raises(RuntimeError):
        _run(_csv(_families(village_a, count=3)), users["admin"])
    assert Household.objects.count() == 0 and Person.objects.count() == 0
    assert _schema("beneficiaries_person") == before


@pytest.mark.django_db
def test_rows_of_one_family_in_two_villages_are_refused_with_the_first_row(
    users, village_a, village_b
):
    rows = _families(village_a, count=2)
    rows[1]["village"] = village_b.code  # the second member of family 1 elsewhere
    batch = _run(_csv(rows), users["admin"])
    assert batch.status == ImportBatch.Status.REFUSED and batch.invalid_rows == 1
    (problem,) = batch.error_items
    assert (problem.row, problem.column) == (3, "Kode Desa")
    assert "baris 2" in problem.message
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_history_says_who_changed_what_through_an_import(users, village_a):
    admin = users["admin"]
    first = _run(_csv(_families(village_a, count=1)), admin)
    rows = _families(village_a, count=1)
    person = Person.objects.get(nik=rows[1]["nik"])
    created = list(person.history.values_list("history_type", "history_user_id"))
    assert created == [("+", admin.pk)]
    assert person.history.get().history_change_reason == f"Impor #{first.pk}"

    rows[1]["name"] = "Nama Sesudah Impor"
    second = _run(_csv(rows), admin)
    newest = person.history.order_by("-history_id").first()
    assert (newest.history_type, newest.history_user_id) == ("~", admin.pk)
    assert newest.name == "Nama Sesudah Impor"
    assert newest.history_change_reason == f"Impor #{second.pk}"
    head = Household.objects.get(no_kk=rows[0]["no_kk"])
    assert head.history.count() == 1  # the household did not change


@pytest.mark.django_db
def test_a_bulk_load_writes_no_creation_entries_but_later_changes_show_against_the_load(
    users, village_a, monkeypatch
):
    from beneficiaries import importer
    from welfare.audit import object_history

    admin = users["admin"]
    monkeypatch.setattr(importer, "BULK_LOAD_MIN_ROWS", 2)
    rows = _families(village_a, count=3)
    _run(_csv(rows), admin)
    person = Person.objects.get(nik=rows[1]["nik"])
    assert person.history.count() == 0  # a district's first load: no million "+" entries
    # ... yet the record's page tells when it was created, by which import and user
    [created] = object_history(person, user=admin)
    assert (created.change_type, created.user) == ("+", admin)
    assert f"#{person.import_batch_id}" in created.reason and not created.changes

    rows[1]["name"] = "Nama Dikoreksi"
    _run(_csv(rows), admin)  # 1 change against 6 persons: not a bulk load
    entries = object_history(person, user=admin)
    assert [entry.change_type for entry in entries] == ["~", "+"]
    changed = {change.field: (change.old, change.new) for change in entries[0].changes}
    assert any(new == "Nama Dikoreksi" for _old, new in changed.values())
