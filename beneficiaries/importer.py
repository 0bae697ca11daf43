# ruff: noqa: S608 - SQL is built from constant identifiers only; values are parameters.
"""Import of a district's registry file (DTSEN-style, one row per person) - set-based.

Steps (the page's background job, ``manage.py registry_import`` and the API all call
``run_import``):

1. **Read and check each row** (streaming, ``welfare.tabular``): identity numbers, dates
   (Excel serials too), sex, desil, the NIK's date and sex against the birth date and sex.
   Good rows are written to a temporary staging table - with ``COPY`` on PostgreSQL, in
   batches elsewhere; nothing of the file is held in memory.
2. **Check the rows together, in SQL**: the village code exists in the home regency, the NIK's
   kecamatan exists, a NIK appears once in the file, the rows of one No. KK name one village.
3. **Report** every problem as (row, column, message); the report and the file of refused rows
   (the rows as sent, with a column saying what is wrong) are stored on the ``ImportBatch``.
4. **Save** (when asked): all or nothing, or - when the user chooses it - the valid rows, with
   the others returned in the file of refused rows. Households are upserted by No. KK, persons
   by NIK (one ``UPDATE ... FROM`` of the rows where something differs, one ``INSERT`` of the
   new ones), so importing the same file twice changes nothing. Changed rows carry the batch
   (``import_batch``) so that their page says which import changed them; desil changes go to
   ``DesilRecord``. A district's first load rebuilds the tables' indexes and keys after the
   write instead of maintaining them row by row (``_bulk_load``).
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import Action, Domain, require
from welfare import tabular
from welfare.tabular import CellError, Column, RowErrors, TabularError

from .models import (
    DisabilitySeverity,
    Household,
    ImportBatch,
    Person,
    Relationship,
    Sex,
    Source,
    normalize_name,
)

COLUMNS = [
    Column(
        "no_kk",
        gettext_lazy("No. KK"),
        required=True,
        aliases=("nokk", "nomor kk"),
        example="3602141201150001",
    ),
    Column(
        "nik", gettext_lazy("NIK"), required=True, aliases=("no nik",), example="3602145203850001"
    ),
    Column(
        "name",
        gettext_lazy("Nama"),
        required=True,
        aliases=("nama lengkap",),
        example="Siti Aminah",
    ),
    Column("sex", gettext_lazy("Jenis Kelamin"), required=True, aliases=("jk", "l/p"), example="P"),
    Column("birth_place", gettext_lazy("Tempat Lahir"), example="Lebak"),
    Column(
        "birth_date",
        gettext_lazy("Tanggal Lahir"),
        required=True,
        aliases=("tgl lahir",),
        example="12-03-1985",
    ),
    Column(
        "relationship",
        gettext_lazy("Hubungan Keluarga"),
        aliases=("shdk", "hubungan"),
        example="Kepala Keluarga",
    ),
    Column(
        "village",
        gettext_lazy("Kode Desa"),
        required=True,
        aliases=("kode desa/kelurahan", "kode wilayah"),
        example="36.02.14.1001",
    ),
    Column("address", gettext_lazy("Alamat"), example="Kp. Pasir No. 3"),
    Column("rt", gettext_lazy("RT"), example="003"),
    Column("rw", gettext_lazy("RW"), example="001"),
    Column("desil", gettext_lazy("Desil"), aliases=("desil dtsen",), example="2"),
    Column(
        "desil_date", gettext_lazy("Tanggal Desil"), aliases=("tgl desil",), example="01-08-2026"
    ),
    Column("life", gettext_lazy("Status Hidup"), aliases=("status",), example="Hidup"),
    Column("death_date", gettext_lazy("Tanggal Meninggal"), example=""),
    Column("disability", gettext_lazy("Jenis Disabilitas"), aliases=("disabilitas",), example=""),
    Column("severity", gettext_lazy("Tingkat Disabilitas"), example=""),
    Column("phone", gettext_lazy("No. HP"), aliases=("telepon", "no telepon"), example=""),
]

SEX_VALUES = {
    "l": Sex.MALE,
    "lk": Sex.MALE,
    "laki-laki": Sex.MALE,
    "laki laki": Sex.MALE,
    "pria": Sex.MALE,
    "1": Sex.MALE,
    "p": Sex.FEMALE,
    "pr": Sex.FEMALE,
    "perempuan": Sex.FEMALE,
    "wanita": Sex.FEMALE,
    "2": Sex.FEMALE,
}
RELATIONSHIP_VALUES = {
    "kepala keluarga": Relationship.HEAD,
    "kepala": Relationship.HEAD,
    "kk": Relationship.HEAD,
    "1": Relationship.HEAD,
    "istri": Relationship.SPOUSE,
    "suami": Relationship.SPOUSE,
    "istri/suami": Relationship.SPOUSE,
    "suami/istri": Relationship.SPOUSE,
    "pasangan": Relationship.SPOUSE,
    "2": Relationship.SPOUSE,
    "anak": Relationship.CHILD,
    "3": Relationship.CHILD,
    "menantu": Relationship.CHILD_IN_LAW,
    "cucu": Relationship.GRANDCHILD,
    "orang tua": Relationship.PARENT,
    "orangtua": Relationship.PARENT,
    "mertua": Relationship.PARENT_IN_LAW,
    "famili lain": Relationship.OTHER_FAMILY,
    "famili": Relationship.OTHER_FAMILY,
    "pembantu": Relationship.HOUSEHOLD_HELP,
    "lainnya": Relationship.OTHER,
    "": "",
}
DISABILITY_VALUES = {
    "fisik": "p",
    "intelektual": "i",
    "mental": "m",
    "sensorik": "s",
    "netra": "s",
    "rungu": "s",
    "wicara": "s",
    "daksa": "p",
    "grahita": "i",
}
LIFE_VALUES = {"": False, "hidup": False, "meninggal": True, "meninggal dunia": True, "mati": True}

STAGE_COLUMNS = (
    "line",
    "no_kk",
    "village_code",
    "address",
    "rt",
    "rw",
    "desil",
    "desil_date",
    "nik",
    "nik_district",
    "name",
    "name_norm",
    "sex",
    "birth_place",
    "birth_date",
    "relationship",
    "deceased",
    "death_date",
    "dis_p",
    "dis_i",
    "dis_m",
    "dis_s",
    "severity",
    "phone",
)
STAGE = "registry_import_stage"
COPY_BATCH = 20000
# A save that adds at least this many rows to a table, and at least as many as the table holds
# already, is a bulk load (a district's first import): the table's secondary indexes and
# foreign keys are dropped for the INSERT and rebuilt after it, as pg_restore does. Building an
# index from sorted rows and checking a foreign key with one join are many times faster than
# maintaining them row by row (measured in benchmarks/registry_import.py).
BULK_LOAD_MIN_ROWS = 50_000
IMPORT_WORK_MEM = "128MB"

logger = logging.getLogger(__name__)


def template_file(fmt: str = "xlsx") -> bytes:
    """The import template: the headers and one example row (all cells Text)."""
    return tabular.write_template(COLUMNS, fmt=fmt, examples=[[c.example for c in COLUMNS]])


def _label(key: str) -> str:
    return str(next(c.header for c in COLUMNS if c.key == key))


class _RowChecker:
    """Turns one raw row into a staging tuple or records its problems (no database access)."""

    def __init__(self, errors: RowErrors):
        self.errors = errors
        self.labels = {c.key: _label(c.key) for c in COLUMNS}
        self.today = timezone.localdate()

    def __call__(self, number: int, row: dict) -> tuple | None:
        problems: list[tuple[str, str, object]] = []
        L = self.labels

        def row_says(label) -> bool:
            return any(problem[0] == label for problem in problems)

        def cell(key, func):
            try:
                return func(row.get(key))
            except CellError as exc:
                problems.append((L[key], exc.message, row.get(key)))
                return None

        no_kk = cell("no_kk", lambda v: tabular.parse_digits(v, length=16, label=L["no_kk"]))
        nik = cell("nik", lambda v: tabular.parse_digits(v, length=16, label=L["nik"]))
        name = " ".join(tabular.clean_text(row.get("name")).split())
        if not name:
            problems.append((L["name"], _("%(label)s is empty.") % {"label": L["name"]}, ""))
        elif len(name) > 150:
            problems.append((L["name"], _("The name is longer than 150 characters."), name[:40]))
        sex_raw = tabular.clean_text(row.get("sex")).lower()
        sex = SEX_VALUES.get(sex_raw)
        if sex is None:
            problems.append(
                (
                    L["sex"],
                    _("Write L (laki-laki) or P (perempuan); %(value)s is not understood.")
                    % {"value": sex_raw or "-"},
                    row.get("sex"),
                )
            )
        birth_date = cell(
            "birth_date", lambda v: tabular.parse_date(v, label=L["birth_date"], required=True)
        )
        if birth_date and birth_date > self.today:
            problems.append(
                (L["birth_date"], _("The date of birth is in the future."), row.get("birth_date"))
            )
        village = tabular.clean_text(row.get("village")).replace(".", "").replace(" ", "")
        if len(village) != 10 or not village.isdigit():
            problems.append(
                (
                    L["village"],
                    _("The village code must have 10 digits, e.g. 36.02.14.1001."),
                    row.get("village"),
                )
            )
            village_code = ""
        else:
            village_code = f"{village[0:2]}.{village[2:4]}.{village[4:6]}.{village[6:10]}"
        desil = cell(
            "desil", lambda v: tabular.parse_int(v, label=L["desil"], minimum=1, maximum=10)
        )
        desil_date = cell("desil_date", lambda v: tabular.parse_date(v, label=L["desil_date"]))
        if desil and not desil_date:
            problems.append(
                (
                    L["desil_date"],
                    _("Give the date of the desil (the DTSEN ranking it comes from)."),
                    "",
                )
            )
        relationship_raw = tabular.clean_text(row.get("relationship")).lower()
        relationship = RELATIONSHIP_VALUES.get(relationship_raw)
        if relationship is None:
            problems.append(
                (
                    L["relationship"],
                    _(
                        "The relationship %(value)s is not known (e.g. Kepala Keluarga, Istri, Anak)."
                    )
                    % {"value": relationship_raw},
                    row.get("relationship"),
                )
            )
        life_raw = tabular.clean_text(row.get("life")).lower()
        deceased = LIFE_VALUES.get(life_raw)
        if deceased is None:
            problems.append((L["life"], _("Write Hidup or Meninggal."), row.get("life")))
        death_date = cell("death_date", lambda v: tabular.parse_date(v, label=L["death_date"]))
        if deceased and not death_date:
            problems.append((L["death_date"], _("Give the date of death."), ""))
        if death_date and deceased is False:
            if life_raw:
                problems.append(
                    (
                        L["life"],
                        _(
                            "The status is Hidup but a date of death is given: write Meninggal "
                            "or remove the date."
                        ),
                        row.get("life"),
                    )
                )
            deceased = True  # an empty status with a date of death: the date says it
        if death_date and birth_date and death_date < birth_date:
            problems.append(
                (L["death_date"], _("The date of death is before the date of birth."), "")
            )
        if death_date and death_date > self.today:
            problems.append((L["death_date"], _("The date of death is in the future."), ""))
        disabilities = set()
        for part in (
            tabular.clean_text(row.get("disability"))
            .lower()
            .replace("/", ",")
            .replace(";", ",")
            .split(",")
        ):
            part = part.strip()
            if not part or part in ("-", "tidak", "tidak ada"):
                continue
            code = DISABILITY_VALUES.get(part)
            if code is None:
                problems.append(
                    (
                        L["disability"],
                        _(
                            "The disability type %(value)s is not known (fisik, intelektual, mental, sensorik)."
                        )
                        % {"value": part},
                        row.get("disability"),
                    )
                )
            else:
                disabilities.add(code)
        severity = tabular.clean_text(row.get("severity")).lower()
        if severity and severity not in DisabilitySeverity.values:
            problems.append((L["severity"], _("Write ringan, sedang or berat."), severity))
        elif severity and not disabilities and not row_says(L["disability"]):
            problems.append(
                (L["severity"], _("A severity needs at least one disability type."), severity)
            )
        rt = tabular.clean_text(row.get("rt"))
        rw = tabular.clean_text(row.get("rw"))
        for key, value in (("rt", rt), ("rw", rw)):
            if value and (not value.isdigit() or len(value) > 3):
                problems.append((L[key], _("RT and RW are numbers, e.g. 003."), value))
        if nik and birth_date and sex:
            problems += self._nik_agreement(nik, birth_date, sex)
        if problems:
            for column, message, value in problems:
                self.errors.add(number, column, message, value)
            return None
        return (
            number,
            no_kk,
            village_code,
            tabular.clean_text(row.get("address"))[:255],
            rt.zfill(3) if rt else "",
            rw.zfill(3) if rw else "",
            desil,
            desil_date,
            nik,
            f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}",
            name,
            normalize_name(name)[:150],
            sex,
            tabular.clean_text(row.get("birth_place"))[:100],
            birth_date,
            relationship,
            bool(deceased),
            death_date if deceased else None,
            "p" in disabilities,
            "i" in disabilities,
            "m" in disabilities,
            "s" in disabilities,
            severity,
            tabular.clean_text(row.get("phone"))[:20],
        )

    def _nik_agreement(self, nik: str, birth_date: datetime.date, sex: str) -> list:
        from . import identity

        problems = []
        day = int(nik[6:8])
        if not (1 <= day <= 31 or 41 <= day <= 71) or identity.nik_errors_date_only(nik):
            problems.append(
                (
                    self.labels["nik"],
                    _("The NIK's date part %(part)s is not a real date of birth.")
                    % {"part": nik[6:12]},
                    nik,
                )
            )
            return problems
        for field, message in identity.nik_agreement_errors(
            nik, birth_date=birth_date, sex=sex
        ).items():
            column = self.labels["birth_date"] if field == "birth_date" else self.labels["sex"]
            problems.append((column, message, nik))
        return problems


class _Stager:
    """Writes staging rows: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self, cursor):
        self.cursor = cursor
        self.pg = connection.vendor == "postgresql"
        self.buffer: list[tuple] = []
        self.count = 0

    def add(self, values: tuple) -> None:
        self.buffer.append(values)
        if len(self.buffer) >= COPY_BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        self.count += len(self.buffer)
        if self.pg:
            out = io.StringIO()
            writer = csv.writer(out)
            for values in self.buffer:
                writer.writerow(["\\N" if v is None else v for v in values])
            out.seek(0)
            self.cursor.copy_expert(
                f"COPY {STAGE} ({', '.join(STAGE_COLUMNS)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
                out,
            )
        else:
            marks = ", ".join(["%s"] * len(STAGE_COLUMNS))
            self.cursor.executemany(
                f"INSERT INTO {STAGE} ({', '.join(STAGE_COLUMNS)}) VALUES ({marks})", self.buffer
            )
        self.buffer = []


def _create_stage(cursor) -> None:
    pg = connection.vendor == "postgresql"
    boolean = "boolean" if pg else "integer"
    cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
    cursor.execute(
        f"""CREATE TEMPORARY TABLE {STAGE} (
            line integer PRIMARY KEY, no_kk varchar(16), village_code varchar(13),
            address varchar(255), rt varchar(3), rw varchar(3), desil smallint,
            desil_date date, nik varchar(16), nik_district varchar(8), name varchar(150),
            name_norm varchar(150), sex varchar(1), birth_place varchar(100), birth_date date,
            relationship varchar(12), deceased {boolean}, death_date date, dis_p {boolean},
            dis_i {boolean}, dis_m {boolean}, dis_s {boolean}, severity varchar(8),
            phone varchar(20), ok {boolean} NOT NULL DEFAULT {"true" if pg else 1}
        )"""
    )


# --- PostgreSQL: COPY the file as it is, check the rows in SQL ------------------------------
#
# The common case (every cell in its plain form) is checked and normalised set-based in SQL.
# A row SQL does not accept in full - any problem, or a form SQL does not handle (a date written
# 1/2/1980, an Excel serial, a name with non-ASCII letters, several disability types) - is read
# back and given to ``_RowChecker``, which decides and writes the messages: the rules and their
# texts exist once, in Python, and SQL only takes the rows it can prove are good.

RAW = "registry_import_raw"


def _digits(text: str) -> str:
    """SQL: ``text`` is digits only (an empty text included). A regular expression of one
    character class: PostgreSQL runs it faster than ``translate`` (measured, per row of a
    district file)."""
    return f"{text} ~ '^[0-9]*$'"


def _date_number(text: str) -> str:
    """SQL: ``text`` written DD-MM-YYYY or YYYY-MM-DD as the number YYYYMMDD, NULL for any
    other form (the date is not checked yet: ``_date_of``). One conversion to a number per
    date, instead of one per use of each part."""
    shape = f"length({text}) = 10 AND {text} ~ '^[0-9]+-[0-9]+-[0-9]+$'"
    return (
        f"(CASE WHEN {shape} THEN CASE "
        f"WHEN substr({text}, 3, 1) = '-' AND substr({text}, 6, 1) = '-' "
        f"THEN (substr({text}, 7, 4) || substr({text}, 4, 2) || substr({text}, 1, 2))::int "
        f"WHEN substr({text}, 5, 1) = '-' AND substr({text}, 8, 1) = '-' "
        f"THEN (substr({text}, 1, 4) || substr({text}, 6, 2) || substr({text}, 9, 2))::int "
        f"END END)"
    )


def _date_of(number: str) -> str:
    """SQL: the date of the number YYYYMMDD (``_date_number``), NULL when it is not a real
    date."""
    y, m, d = f"({number} / 10000)", f"({number} / 100 %% 100)", f"({number} %% 100)"
    days = (
        f"CASE WHEN {m} IN (4, 6, 9, 11) THEN 30 WHEN {m} = 2 THEN "
        f"CASE WHEN ({y} %% 4 = 0 AND {y} %% 100 <> 0) OR {y} %% 400 = 0 THEN 29 ELSE 28 END "
        f"ELSE 31 END"
    )
    return (
        f"(CASE WHEN {y} >= 1 AND {m} BETWEEN 1 AND 12 AND {d} BETWEEN 1 AND ({days}) "
        f"THEN make_date({y}, {m}, {d}) END)"
    )


class _NotPlain(Exception):
    """The CSV is not regular enough for COPY (ragged rows, stray quotes): read it in Python."""


class _BlankLinesAsEmptyRows:
    """Feeds COPY the file after its header, an empty line replaced by an empty row (so that
    row numbers stay those of the spreadsheet)."""

    def __init__(self, file, separator: str, width: int, encoding: str):
        self.file = file
        self.empty = (separator * (width - 1) + "\n").encode(encoding)
        self.pending = b""

    def read(self, size: int = 65536) -> bytes:
        out = [self.pending]
        length = len(self.pending)
        while length < size:
            line = self.file.readline()
            if not line:
                break
            if not line.strip():
                line = self.empty
            out.append(line)
            length += len(line)
        data = b"".join(out)
        self.pending = data[size:] if len(data) > size else b""
        return data[:size] if len(data) > size else data

    def readline(self, size: int = -1) -> bytes:  # psycopg2 may ask for lines
        return self.read(65536 if size < 0 else size)


def _driver_error() -> type[Exception]:
    import psycopg2

    return psycopg2.Error


def _copy_raw(cursor, file, table: tabular.Table) -> None:
    width = len(table.headers)
    columns = ", ".join(f"c{i} text" for i in range(width))
    cursor.execute(f"DROP TABLE IF EXISTS {RAW}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {RAW} (line bigint GENERATED ALWAYS AS IDENTITY "
        f"(START WITH 2) PRIMARY KEY, {columns})"
    )
    file.seek(0)
    file.readline()  # the header, already read
    encoding = "WIN1252" if table.encoding == "cp1252" else "UTF8"
    separator = table.separator.replace("'", "''")
    source = _BlankLinesAsEmptyRows(
        file, table.separator, width, table.encoding.replace("-sig", "")
    )
    try:
        cursor.execute("SAVEPOINT registry_copy")
        cursor.copy_expert(
            f"COPY {RAW} ({', '.join(f'c{i}' for i in range(width))}) FROM STDIN WITH "
            f"(FORMAT csv, DELIMITER E'{separator}', ENCODING '{encoding}')",
            source,
        )
        cursor.execute("RELEASE SAVEPOINT registry_copy")
    except (DatabaseError, _driver_error()) as exc:
        cursor.execute("ROLLBACK TO SAVEPOINT registry_copy")
        raise _NotPlain(str(exc)) from exc


def _mapping_case(column: str, mapping: dict, cast: str = "") -> tuple[str, list]:
    """CASE lower(trim(col)) WHEN k THEN v ... END, with parameters."""
    parts, params = [], []
    for key, value in mapping.items():
        parts.append("WHEN %s THEN %s")
        params += [key, value]
    return f"(CASE lower(btrim({column})) {' '.join(parts)} END){cast}", params


def _sql_stage(cursor, table: tabular.Table) -> int:
    """Stage the rows SQL accepts in full, in one INSERT ... SELECT; return how many."""
    m = table.mapping

    def col(key: str) -> str:
        return f"coalesce(btrim(r.c{m[key]}), '')" if key in m else "''"

    sex_case, sex_params = _mapping_case("r.sex_raw", dict(SEX_VALUES))
    rel_case, rel_params = _mapping_case("r.rel_raw", dict(RELATIONSHIP_VALUES))
    life_case, life_params = _mapping_case(
        "r.life_raw", {k: ("t" if v else "f") for k, v in LIFE_VALUES.items()}, "::boolean"
    )
    fields = {
        "no_kk": col("no_kk"), "nik": col("nik"), "name": col("name"),
        "sex_raw": col("sex"), "birth_place": col("birth_place"), "birth_raw": col("birth_date"),
        "rel_raw": col("relationship"), "village": col("village"), "address": col("address"),
        "rt": col("rt"), "rw": col("rw"), "desil": col("desil"), "desil_raw": col("desil_date"),
        "life_raw": col("life"), "death_raw": col("death_date"),
        "disability": f"lower({col('disability')})", "severity": f"lower({col('severity')})",
        "phone": col("phone"),
    }  # fmt: skip
    inner = ", ".join(f"{expr} AS {name}" for name, expr in fields.items())
    # Three steps, each computed once per row (OFFSET 0 keeps each level a separate step
    # instead of copying its expressions into every place that uses them): the cells as text;
    # the codes looked up and the dates and the NIK's date part as numbers; the dates.
    coded = (
        f"SELECT r.*, {sex_case} AS sex, {rel_case} AS relationship, {life_case} AS deceased, "
        f"{_date_number('r.birth_raw')} AS birth_number, "
        f"{_date_number('r.desil_raw')} AS desil_number, "
        f"{_date_number('r.death_raw')} AS death_number, "
        f"CASE WHEN length(r.nik) = 16 AND {_digits('r.nik')} THEN substr(r.nik, 7, 6)::int END "
        f"AS nik_dmy, "
        f"CASE WHEN length(r.village) = 13 THEN replace(r.village, '.', '') ELSE r.village END "
        f"AS village_digits "
        f"FROM (SELECT r.line, {inner} FROM {RAW} r OFFSET 0) r OFFSET 0"
    )
    parsed = (
        f"SELECT c.*, {_date_of('c.birth_number')} AS birth_date, "
        f"{_date_of('c.desil_number')} AS desil_date, {_date_of('c.death_number')} AS death_date "
        f"FROM ({coded}) c OFFSET 0"
    )
    day = "(n.nik_dmy / 10000)"  # DD(+40 for a woman) MM YY of the NIK
    cursor.execute(
        f"""INSERT INTO {STAGE} ({", ".join(STAGE_COLUMNS)})
        SELECT n.line, n.no_kk,
               substr(n.village_digits, 1, 2) || '.' || substr(n.village_digits, 3, 2) || '.'
               || substr(n.village_digits, 5, 2) || '.' || substr(n.village_digits, 7, 4),
               left(n.address, 255),
               CASE WHEN n.rt = '' THEN '' ELSE lpad(n.rt, 3, '0') END,
               CASE WHEN n.rw = '' THEN '' ELSE lpad(n.rw, 3, '0') END,
               nullif(n.desil, '')::smallint, n.desil_date, n.nik,
               substr(n.nik, 1, 2) || '.' || substr(n.nik, 3, 2) || '.' || substr(n.nik, 5, 2),
               n.name, upper(n.name), n.sex, left(n.birth_place, 100), n.birth_date,
               n.relationship, n.deceased, CASE WHEN n.deceased THEN n.death_date END,
               n.disability = 'fisik', n.disability = 'intelektual', n.disability = 'mental',
               n.disability = 'sensorik', n.severity, left(n.phone, 20)
        FROM ({parsed}) n
        WHERE length(n.no_kk) = 16 AND {_digits("n.no_kk")}
          AND n.nik_dmy IS NOT NULL
          AND length(n.name) <= 150 AND n.name ~ '^[A-Za-z]+( [A-Za-z]+)*$'
          AND n.sex IS NOT NULL AND n.relationship IS NOT NULL
          AND n.birth_date IS NOT NULL AND n.birth_date <= %s
          AND length(n.village_digits) = 10 AND {_digits("n.village_digits")}
          AND (length(n.village) = 10 OR (substr(n.village, 3, 1) = '.'
               AND substr(n.village, 6, 1) = '.' AND substr(n.village, 9, 1) = '.'))
          AND length(n.rt) <= 3 AND {_digits("n.rt")}
          AND length(n.rw) <= 3 AND {_digits("n.rw")}
          AND n.desil IN ('', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10')
          AND (n.desil_raw = '' OR n.desil_date IS NOT NULL)
          AND (n.desil = '' OR n.desil_date IS NOT NULL)
          AND n.deceased IS NOT NULL
          AND (n.death_raw = '' OR n.death_date IS NOT NULL)
          AND n.deceased = (n.death_raw <> '')
          AND n.disability IN ('', 'fisik', 'intelektual', 'mental', 'sensorik')
          AND n.severity IN ('', 'ringan', 'sedang', 'berat')
          AND (n.severity = '' OR n.disability <> '')
          AND (n.death_date IS NULL OR (n.death_date >= n.birth_date AND n.death_date <= %s))
          AND ({day} BETWEEN 1 AND 31 OR {day} BETWEEN 41 AND 71)
          AND ({day} > 40) = (n.sex = 'P')
          AND {day} %% 40 = n.birth_number %% 100
          AND n.nik_dmy / 100 %% 100 = n.birth_number / 100 %% 100
          AND n.nik_dmy %% 100 = n.birth_number / 10000 %% 100""",
        [*sex_params, *rel_params, *life_params, timezone.localdate(), timezone.localdate()],
    )
    return cursor.rowcount


def _python_for_the_rest(
    cursor, table: tabular.Table, checker: _RowChecker, stager: _Stager
) -> int:
    """Rows SQL did not take: read them back and let the Python checker decide."""
    width = len(table.headers)
    cursor.execute(
        f"""SELECT r.line, {", ".join(f"r.c{i}" for i in range(width))} FROM {RAW} r
            WHERE NOT EXISTS (SELECT 1 FROM {STAGE} s WHERE s.line = r.line)
            ORDER BY r.line"""
    )
    count = 0
    while True:
        chunk = cursor.fetchmany(5000)
        if not chunk:
            break
        for line, *values in chunk:
            if not any(v and v.strip() for v in values):
                continue  # a blank line
            count += 1
            row = {
                key: (values[pos] if pos < len(values) else None)
                for key, pos in table.mapping.items()
            }
            staged = checker(line, row)
            if staged is not None:
                stager.add(staged)
    return count


def _fast_path(cursor, file, table, checker, stager, progress) -> int | None:
    """COPY + SQL checks; None when the file must be read row by row instead."""
    try:
        _copy_raw(cursor, file, table)
    except _NotPlain:
        return None
    progress(25, _("Checking the rows"))
    staged = _sql_stage(cursor, table)
    others = 0
    cursor.execute(f"SELECT count(*) FROM {RAW}")
    if staged < cursor.fetchone()[0]:  # some rows (or blank lines) SQL did not take
        cursor.execute(f"ANALYZE {STAGE}")
        others = _python_for_the_rest(cursor, table, checker, stager)
    cursor.execute(f"DROP TABLE IF EXISTS {RAW}")
    return staged + others


def _set_checks(cursor, errors: RowErrors, home_regency: str) -> None:
    """The checks that need the database or several rows, set-based."""
    pg = connection.vendor == "postgresql"
    false = "false" if pg else "0"
    if pg:
        # Every check below is a hash join or a grouping over the whole file: PostgreSQL needs
        # statistics, not indexes (building them cost more than the checks they served).
        cursor.execute(f"ANALYZE {STAGE}")
    else:
        cursor.execute(f"CREATE INDEX {STAGE}_nik ON {STAGE} (nik)")
        cursor.execute(f"CREATE INDEX {STAGE}_kk ON {STAGE} (no_kk, line)")
    checks = [
        (
            "village",
            f"""SELECT s.line, s.village_code FROM {STAGE} s
                WHERE NOT EXISTS (SELECT 1 FROM regions_village v JOIN regions_district d
                  ON d.code = v.district_id WHERE v.code = s.village_code AND d.regency_id = %s)""",
            [home_regency],
            _("The village code %(value)s is not a desa/kelurahan of this regency."),
        ),
        (
            "nik",
            f"""SELECT s.line, s.nik_district FROM {STAGE} s
                WHERE NOT EXISTS (SELECT 1 FROM regions_district d WHERE d.code = s.nik_district)""",
            [],
            _("The NIK's first six digits (%(value)s) are not the code of an existing kecamatan."),
        ),
        (
            "nik",
            f"""SELECT s.line, f.first_line FROM {STAGE} s JOIN (
                  SELECT nik, min(line) AS first_line FROM {STAGE} GROUP BY nik HAVING count(*) > 1
                ) f ON f.nik = s.nik WHERE s.line <> f.first_line""",
            [],
            _("This NIK is also in row %(value)s of the file; a person appears once."),
        ),
        (
            "village",
            # The first row's village is looked up by its line for the mixed families only
            # (a join would hash the whole file first, even when no family is mixed).
            f"""WITH mixed AS (SELECT no_kk, min(line) AS first_line FROM {STAGE}
                               GROUP BY no_kk HAVING min(village_code) <> max(village_code))
                SELECT s.line, m.first_line FROM {STAGE} s JOIN mixed m ON m.no_kk = s.no_kk
                WHERE s.village_code <> (SELECT f.village_code FROM {STAGE} f
                                         WHERE f.line = m.first_line)""",
            [],
            _("The rows of one No. KK must name one village; row %(value)s names another."),
        ),
        (
            "nik",
            f"""SELECT s.line, s.nik FROM {STAGE} s JOIN beneficiaries_person p ON p.nik = s.nik
                WHERE p.merged_into_id IS NOT NULL""",
            [],
            _("The person with NIK %(value)s was merged into another record; correct the NIK."),
        ),
    ]
    bad_lines: set[int] = set()
    for key, sql, params, message in checks:
        cursor.execute(sql, params)
        label = _label(key)
        for line, value in cursor.fetchall():
            errors.add(line, label, message % {"value": value}, value)
            bad_lines.add(line)
    if bad_lines:
        lines = sorted(bad_lines)
        for start in range(0, len(lines), 5000):
            chunk = lines[start : start + 5000]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"UPDATE {STAGE} SET ok = {false} WHERE line IN ({marks})", chunk)


def _distinct(pg: bool, left: str, right: str) -> str:
    return f"{left} IS DISTINCT FROM {right}" if pg else f"{left} IS NOT {right}"


def _is_bulk_load(cursor, table: str, new_rows: int) -> bool:
    if connection.vendor != "postgresql" or new_rows < BULK_LOAD_MIN_ROWS:
        return False
    cursor.execute(f"SELECT count(*) FROM {table}")
    return new_rows >= cursor.fetchone()[0]


@contextmanager
def _bulk_load(cursor, table: str, enabled: bool, keep_unique: bool = False) -> Iterator[None]:
    """Drop ``table``'s indexes, unique keys and foreign keys (all but the primary key) around
    a large write and rebuild them after it, from the definitions PostgreSQL reports, so that
    they are exactly the migrations' own; a duplicate or a dangling reference still fails the
    import. Inside the import's transaction: a failure restores them with the rest. The table
    is locked for the import's duration, which a district's first load can afford.
    ``keep_unique`` keeps the unique keys and their indexes (for a table whose new rows are
    looked up by that key while they are written)."""
    if not enabled:
        yield
        return
    # Fire the deferred checks already queued, so that no table altered below has pending
    # trigger events; the constraints stay deferred for the rest of the transaction.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    cursor.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = ANY(%s) ORDER BY contype DESC",
        [table, ["f"] if keep_unique else ["u", "f"]],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        """SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
           JOIN pg_class i ON i.oid = x.indexrelid
           WHERE x.indrelid = %s::regclass
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid
                             AND c.conrelid = x.indrelid)
             AND NOT (x.indisunique AND %s)""",
        [table, keep_unique],
    )
    indexes = cursor.fetchall()
    quote = connection.ops.quote_name
    for name, _kind, _definition in constraints:
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    for name, _kind, definition in constraints:  # unique keys first ('u' > 'f')
        cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
    for _name, definition in indexes:
        cursor.execute(definition)
    cursor.execute(f"ANALYZE {table}")


def _history_columns(model) -> list[str]:
    """The columns a historical record copies from the live row."""
    return [
        f.column
        for f in model.history.model._meta.concrete_fields
        if not f.name.startswith("history_")
    ]


def _changed_rows(cursor, model, name: str, join: str) -> None:
    """Note in the temporary table ``name`` (id, line) the rows of ``model`` the import will
    change, ``join`` being their join with the file and the condition that something differs:
    the one pass over the whole table that both the history and the update then use."""
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TEMPORARY TABLE {name} AS SELECT x.id AS id, s.line AS line {join}")
    history = model.history.model._meta.db_table
    columns = _history_columns(model)
    # Rows without history yet (added by a bulk load) first get their current state, so that
    # the page shows what the import changed.
    cursor.execute(
        f"""INSERT INTO {history} ({", ".join(columns)}, history_date, history_type,
              history_change_reason)
            SELECT {", ".join(f"x.{c}" for c in columns)}, x.created_at, '+', ''
            FROM {model._meta.db_table} x JOIN {name} c ON c.id = x.id
            WHERE NOT EXISTS (SELECT 1 FROM {history} y WHERE y.id = x.id)"""
    )


def _history_record(cursor, model, *, batch: ImportBatch, actor, now, created: bool) -> None:
    """After the write: one historical record per row the import changed ("~") and, unless
    ``created`` is False (a bulk load), per row it added ("+"), with the user and the batch."""
    columns = _history_columns(model)
    table = model._meta.db_table
    reason = (_("Import #%(number)s") % {"number": batch.pk})[:100]
    cursor.execute(
        f"""INSERT INTO {model.history.model._meta.db_table} ({", ".join(columns)},
              history_date, history_type, history_user_id, history_change_reason)
            SELECT {", ".join(columns)}, %s, CASE WHEN version = 1 THEN '+' ELSE '~' END, %s, %s
            FROM {table} WHERE import_batch_id = %s AND updated_at = %s
            {"" if created else "AND version > 1"}""",
        [now, actor.pk, reason, batch.pk, now],
    )


def _upsert(cursor, batch: ImportBatch, actor) -> tuple[dict, list[str]]:
    """Save the checked rows: the counts, and the tables written as a bulk load."""
    pg = connection.vendor == "postgresql"
    true = "true" if pg else "1"
    now = timezone.now()
    source = batch.source
    cursor.execute(f"DROP TABLE IF EXISTS {STAGE}_hh")
    # A household is described by the first row of its No. KK (a grouping, not a sort).
    # A join, not ``line IN (...)``: the planner cannot tell how many lines that list holds,
    # guesses a few hundred and looks each one up in the staging table's key, three hundred
    # thousand random reads for a district (measured: twice the time of a hash join).
    cursor.execute(
        f"""CREATE TEMPORARY TABLE {STAGE}_hh AS
            SELECT s.line, s.no_kk, s.village_code, s.address, s.rt, s.rw, s.desil, s.desil_date
            FROM {STAGE} s JOIN (SELECT min(line) AS line FROM {STAGE} WHERE ok = {true}
                                 GROUP BY no_kk) f ON f.line = s.line"""
    )
    cursor.execute(f"CREATE UNIQUE INDEX {STAGE}_hh_kk ON {STAGE}_hh (no_kk)")
    hh_fields = ("village_id", "address", "rt", "rw", "desil", "desil_date")
    hh_source = ("s.village_code", "s.address", "s.rt", "s.rw", "s.desil", "s.desil_date")
    differs_hh = " OR ".join(
        _distinct(pg, f"x.{f}", src) for f, src in zip(hh_fields, hh_source, strict=True)
    )
    cursor.execute(
        f"""SELECT count(*) FROM {STAGE}_hh s WHERE NOT EXISTS
              (SELECT 1 FROM beneficiaries_household h WHERE h.no_kk = s.no_kk)"""
    )
    hh_created = cursor.fetchone()[0]
    cols = ", ".join(hh_fields)
    insert_hh = f"""INSERT INTO beneficiaries_household
          (no_kk, district_id, {cols}, status, source, notes, version, created_at,
           updated_at, deleted_reason, import_batch_id)
        SELECT s.no_kk, substr(s.village_code, 1, 8), {", ".join(hh_source)}, 'aktif',
               %s, '', 1, %s, %s, '', %s
        FROM {STAGE}_hh s"""
    insert_params = [source, now, now, batch.pk]
    set_hh = ", ".join(f"{f} = {src}" for f, src in zip(hh_fields, hh_source, strict=True))
    bulk = _is_bulk_load(cursor, "beneficiaries_household", hh_created)
    bulk_tables = ["beneficiaries_household"] if bulk else []
    with _bulk_load(cursor, "beneficiaries_household", bulk):
        # Two set-based statements, not INSERT ... ON CONFLICT: that probes the key row by
        # row, and a district file that changes nothing would pay it for every row.
        _changed_rows(
            cursor,
            Household,
            f"{STAGE}_hchg",
            f"FROM beneficiaries_household x JOIN {STAGE}_hh s ON x.no_kk = s.no_kk "
            f"WHERE ({differs_hh})",
        )
        cursor.execute(
            f"""UPDATE beneficiaries_household AS h SET {set_hh},
                  district_id = substr(s.village_code, 1, 8), version = h.version + 1,
                  updated_at = %s, import_batch_id = %s
                FROM {STAGE}_hchg c JOIN {STAGE}_hh s ON s.line = c.line
                WHERE h.id = c.id""",
            [now, batch.pk],
        )
        hh_updated = cursor.rowcount
        if hh_created:
            cursor.execute(
                f"""{insert_hh} WHERE NOT EXISTS
                      (SELECT 1 FROM beneficiaries_household h WHERE h.no_kk = s.no_kk)""",
                insert_params,
            )
    _history_record(cursor, Household, batch=batch, actor=actor, now=now, created=not bulk)
    if pg:
        # The persons are joined to the households just written: without fresh statistics the
        # planner takes the table for empty and loops over it for every row.
        cursor.execute("ANALYZE beneficiaries_household")
    desil_source = Source.DTSEN if source == Source.DTSEN else Source.IMPORT
    bulk = _is_bulk_load(cursor, "beneficiaries_desilrecord", hh_created)
    bulk_tables += ["beneficiaries_desilrecord"] if bulk else []
    with _bulk_load(cursor, "beneficiaries_desilrecord", bulk, keep_unique=True):
        # A correction of the desil of a date already recorded, then the new dates.
        cursor.execute(
            f"""UPDATE beneficiaries_desilrecord AS d SET desil = s.desil, source = %s,
                  recorded_by_id = %s
                FROM {STAGE}_hh s JOIN beneficiaries_household h ON h.no_kk = s.no_kk
                WHERE d.household_id = h.id AND d.as_of = s.desil_date AND d.desil <> s.desil""",
            [desil_source, actor.pk],
        )
        cursor.execute(
            f"""INSERT INTO beneficiaries_desilrecord (household_id, desil, as_of, source,
                  recorded_at, recorded_by_id)
                SELECT h.id, s.desil, s.desil_date, %s, %s, %s
                FROM {STAGE}_hh s JOIN beneficiaries_household h ON h.no_kk = s.no_kk
                WHERE s.desil IS NOT NULL AND s.desil_date IS NOT NULL AND NOT EXISTS
                  (SELECT 1 FROM beneficiaries_desilrecord d
                   WHERE d.household_id = h.id AND d.as_of = s.desil_date)""",
            [desil_source, now, actor.pk],
        )
    p_fields = (
        "name",
        "name_normalized",
        "sex",
        "birth_place",
        "birth_date",
        "relationship",
        "deceased",
        "death_date",
        "disability_physical",
        "disability_intellectual",
        "disability_mental",
        "disability_sensory",
        "disability_severity",
        "phone",
        "household_id",
        "district_id",
        "village_id",
    )
    p_source = (
        "s.name",
        "s.name_norm",
        "s.sex",
        "s.birth_place",
        "s.birth_date",
        "s.relationship",
        "s.deceased",
        "s.death_date",
        "s.dis_p",
        "s.dis_i",
        "s.dis_m",
        "s.dis_s",
        "s.severity",
        "s.phone",
        "h.id",
        "h.district_id",
        "h.village_id",
    )
    differs_p = " OR ".join(
        _distinct(pg, f"x.{f}", src) for f, src in zip(p_fields, p_source, strict=True)
    )
    cursor.execute(
        f"""SELECT count(*) FROM {STAGE} s WHERE s.ok = {true} AND NOT EXISTS
              (SELECT 1 FROM beneficiaries_person p WHERE p.nik = s.nik)"""
    )
    p_created = cursor.fetchone()[0]
    insert_p = f"""INSERT INTO beneficiaries_person (nik, {", ".join(p_fields)}, source, notes,
          version, created_at, updated_at, deleted_reason, import_batch_id)
        SELECT s.nik, {", ".join(p_source)}, %s, '', 1, %s, %s, '', %s
        FROM {STAGE} s JOIN beneficiaries_household h ON h.no_kk = s.no_kk
        WHERE s.ok = {true}"""
    insert_params = [source, now, now, batch.pk]
    set_p = ", ".join(f"{f} = {src}" for f, src in zip(p_fields, p_source, strict=True))
    bulk = _is_bulk_load(cursor, "beneficiaries_person", p_created)
    bulk_tables += ["beneficiaries_person"] if bulk else []
    with _bulk_load(cursor, "beneficiaries_person", bulk):
        _changed_rows(
            cursor,
            Person,
            f"{STAGE}_pchg",
            f"FROM beneficiaries_person x JOIN {STAGE} s ON x.nik = s.nik "
            f"JOIN beneficiaries_household h ON h.no_kk = s.no_kk "
            f"WHERE s.ok = {true} AND ({differs_p})",
        )
        cursor.execute(
            f"""UPDATE beneficiaries_person AS p SET {set_p}, version = p.version + 1,
                  updated_at = %s, import_batch_id = %s
                FROM {STAGE}_pchg c JOIN {STAGE} s ON s.line = c.line
                JOIN beneficiaries_household h ON h.no_kk = s.no_kk
                WHERE p.id = c.id""",
            [now, batch.pk],
        )
        p_updated = cursor.rowcount
        if p_created:
            cursor.execute(
                f"""{insert_p} AND NOT EXISTS
                      (SELECT 1 FROM beneficiaries_person p WHERE p.nik = s.nik)""",
                insert_params,
            )
    _history_record(cursor, Person, batch=batch, actor=actor, now=now, created=not bulk)
    for suffix in ("hh", "hchg", "pchg"):
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}_{suffix}")
    counts = {
        "households_created": hh_created,
        "households_updated": hh_updated,
        "persons_created": p_created,
        "persons_updated": p_updated,
    }
    return counts, bulk_tables


def _vacuum(tables: list[str]) -> None:
    """After a bulk load has committed: mark the new rows visible to all in the visibility
    map (and refresh the statistics), so that counts read the small indexes only
    (``person_active_count_idx``) from the first page served, not once autovacuum comes
    round, or never where it is off. Outside any transaction (VACUUM refuses one; inside
    one, as in the tests' transactions, it is left to autovacuum); about a second for a
    district's 1,2 million persons."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    try:
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"VACUUM (ANALYZE) {table}")
    except DatabaseError:
        # The import is saved: a vacuum refused (a database user that does not own the
        # tables, say) only leaves the counts to autovacuum; it must not fail the job.
        logger.warning("VACUUM after the registry's bulk load failed", exc_info=True)


def _rejected_rows(file, table_columns, errors: RowErrors) -> tuple[list[str], list]:
    """Read the file again and pick the refused rows, as the user sent them."""
    file.seek(0)
    table = tabular.read_table(file, table_columns)
    wanted = errors.rows
    rows = []
    for number, values in enumerate(table.raw_rows(), start=2):
        if number in wanted:
            rows.append((number, values))
    return table.headers, rows


def run_import(
    *,
    file,
    actor,
    file_name: str,
    commit: bool,
    mode: str = ImportBatch.Mode.ALL_OR_NOTHING,
    source: str = Source.DTSEN,
    batch: ImportBatch | None = None,
    progress: Callable[[int, str], None] | None = None,
    report_format: str = "xlsx",
) -> ImportBatch:
    """Check (and, when ``commit``, save) a registry file. Returns the ``ImportBatch`` with the
    counts, the report and the refused rows. Raises TabularError for an unreadable file."""
    require(actor, Domain.REGISTRY, Action.IMPORT)
    progress = progress or (lambda percent, message="": None)
    started = time.monotonic()
    if batch is None:
        batch = ImportBatch.objects.create(
            file_name=file_name[:255], created_by=actor, mode=mode, source=source
        )
    errors = RowErrors()
    checker = _RowChecker(errors)
    table = tabular.read_table(file, COLUMNS)
    rows = 0
    bulk_tables: list[str] = []
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # The checks and the save join and group whole files: with the default 4 MB
                # every hash spills to disk. For this transaction only.
                cursor.execute("SET LOCAL work_mem = %s", [IMPORT_WORK_MEM])
            _create_stage(cursor)
            stager = _Stager(cursor)
            progress(5, _("Reading and checking the rows"))
            rows = None
            if connection.vendor == "postgresql" and table.fmt == "csv":
                rows = _fast_path(cursor, file, table, checker, stager, progress)
            batch.set_based = rows is not None
            if rows is None:
                if table.fmt == "csv" and connection.vendor == "postgresql":
                    file.seek(0)
                    table = tabular.read_table(file, COLUMNS)
                rows = 0
                for number, row in table.rows():
                    rows += 1
                    values = checker(number, row)
                    if values is not None:
                        stager.add(values)
                    if rows % 100000 == 0:
                        progress(
                            5 + min(40, rows // 30000), _("%(rows)s rows read") % {"rows": rows}
                        )
            stager.flush()
            progress(50, _("Checking the rows together"))
            _set_checks(cursor, errors, settings.WELFARE_HOME_REGENCY)
            invalid = len(errors.rows)
            batch.rows = rows
            batch.invalid_rows = invalid
            batch.valid_rows = rows - invalid
            batch.problems = len(errors)
            do_save = commit and rows > 0 and (invalid == 0 or mode == ImportBatch.Mode.VALID_ONLY)
            if do_save:
                progress(65, _("Saving households and persons"))
                counts, bulk_tables = _upsert(cursor, batch, actor)
                for name, value in counts.items():
                    setattr(batch, name, value)
                batch.status = ImportBatch.Status.COMMITTED
                batch.committed_at = timezone.now()
            elif commit:
                batch.status = ImportBatch.Status.REFUSED
            else:
                batch.status = ImportBatch.Status.CHECKED
            cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        if errors:
            progress(90, _("Writing the report"))
            batch.report_file.save(
                f"laporan-impor-{batch.pk}.{report_format}",
                ContentFile(tabular.write_report(errors, fmt=report_format)),
                save=False,
            )
            headers, rejected = _rejected_rows(file, COLUMNS, errors)
            batch.rejected_file.save(
                f"baris-ditolak-{batch.pk}.{report_format}",
                ContentFile(
                    tabular.write_rows(headers, rejected, fmt=report_format, errors=errors)
                ),
                save=False,
            )
        batch.save()
    _vacuum(bulk_tables)
    batch.elapsed = time.monotonic() - started
    batch.error_items = errors.sorted()[:200]
    return batch


def example_file() -> bytes:
    """A small example import (CSV, ``;``) for the demo: valid rows and two with problems."""
    from .demo import example_rows

    headers = [str(c.header) for c in COLUMNS]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(headers)
    for row in example_rows():
        writer.writerow([row.get(c.key, "") for c in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


__all__ = ["COLUMNS", "TabularError", "run_import", "template_file"]
