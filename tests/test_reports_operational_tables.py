"""The LKjIP tables that come from the registry (DTSEN recap by desil) and the programs (aid per
desa per tahap): built from the same selectors as the registry and program pages, with totals
that add up."""

import io

import pytest
from django.urls import reverse

from beneficiaries.selectors import desil_recap
from performance import demo
from programs import selectors as program_selectors
from reports.builtin_tables import aid_per_village, dtsen_by_desil
from reports.document import document_table
from reports.lkjip import build_lkjip
from reports.tables import format_cell

from .factories.programs import make_household
from .test_programs_stats import YEAR, world  # noqa: F401  (fixture)


def _body(table):
    return [row for row in table.rows if row["style"] != "total"]


def _values(row):
    """Cell values, counts as int (table cells store their values as text)."""
    return [
        int(cell["v"]) if cell.get("t") == "num" and cell.get("v") is not None else cell.get("v")
        for cell in row["cells"]
    ]


@pytest.mark.django_db
def test_dtsen_table_is_the_registry_recap(users, village_a, village_b):
    for desil in (1, 1, 2, 10):
        make_household(village_a, desil=desil)
    make_household(village_b, desil=1, members=(("kepala", 50, "L", ""), ("anak", 9, "P", "")))
    table = dtsen_by_desil(YEAR, users["admin"])
    recap = desil_recap(user=users["admin"])
    by_name = {_values(row)[1]: _values(row) for row in _body(table)}
    row_a = by_name[village_a.district.name.title()]
    assert row_a[2:12] == [2, 1, 0, 0, 0, 0, 0, 0, 0, 1]
    total = _values(table.rows[-1])
    assert total[-2] == recap["households_total"] == 5
    assert total[-1] == recap["persons_total"] == 6
    # every column's total is the sum of its rows
    for column in range(2, 12):
        assert total[column - 1] == sum(_values(row)[column] for row in _body(table))


@pytest.mark.django_db
def test_aid_table_is_the_program_realization(world, users, district_a):  # noqa: F811
    program = world["program"]
    table = aid_per_village(YEAR, users["admin"], program_code=program.code)
    rows = program_selectors.realization_by_area(
        program=program, year=YEAR, group_by="village", user=users["admin"]
    )
    total = _values(table.rows[-1])
    assert total[1] == rows[-1].recipients == 6
    # Tahap 1: 4 of 6 paid (66,67 %); tahap 2: 5 of 6 (83,33 %)
    assert [format_cell(c) for c in table.rows[-1]["cells"][2:]] == ["4", "66,67", "5", "83,33"]
    a1 = next(row for row in table.rows if _values(row)[2] == world["a1"].name.title())
    assert [format_cell(c) for c in a1["cells"][3:]] == ["3", "3", "100,00", "2", "66,67"]
    # The kecamatan is numbered and named on its first desa only, as the district reports it.
    body = [_values(row) for row in table.rows if row["style"] != "total"]
    assert [row[:2] for row in body if row[0]] == [
        [str(n), name]
        for n, name in enumerate(
            dict.fromkeys(r.district_name.title() for r in rows if not r.is_subtotal), 1
        )
    ]
    subtotal = next(
        row
        for row in table.rows
        if row["style"] == "total" and district_a.name.title() in str(_values(row)[0])
    )
    assert _values(subtotal)[1] == 4
    assert aid_per_village(YEAR, users["admin"], program_code="TIDAK-ADA") is None


@pytest.mark.django_db
def test_lkjip_holds_the_registry_table(regions, users, village_a, client_for):
    demo.seed(stdout=io.StringIO())
    make_household(village_a, desil=3)
    document = build_lkjip(2025, users["admin"], lambda percent, message="": None)
    table = document_table(document, "dtsen_desil")
    assert table is not None and table["number"].startswith("3.")
    assert table["orientation"] == "landscape"
    assert table["rows"][-1]["cells"][-2]["v"] == "1"
    # A program the deployment reports per desa but that paid nothing that year: the report
    # says there is no data rather than printing an empty table.
    aid = document_table(document, "bantuan_desa_tahap_bspd-kab")
    assert aid is not None and not aid["rows"]
    assert "2025" in aid["note"]
    assert client_for(users["admin"]).get(reverse("reports:report_list")).status_code == 200
