"""Registry API: the same filters as the pages, cursor pagination, scope, masking, no rows for
API clients, PPKS statistics with small counts suppressed, the DTSEN desil recap, imports."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from beneficiaries import selectors, services
from beneficiaries.importer import example_file
from beneficiaries.models import ImportBatch

from .factories.beneficiaries import HouseholdFactory, PersonFactory, category

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian():
    with translation.override("id"):
        yield


@pytest.fixture
def placed(users, village_a, village_b):
    """Six elderly PPKS in A (desil 1), two in B (desil 3), one household in Fakir Miskin."""
    admin = users["admin"]
    elderly = category("lanjut_usia_terlantar")
    household_a = HouseholdFactory(village=village_a, desil=1)
    household_b = HouseholdFactory(village=village_b, desil=3)
    for n in range(6):
        person = PersonFactory(
            household=household_a,
            sex="P" if n % 2 else "L",
            birth_date=datetime.date(1950, 1, 1 + n),
        )
        services.placement_create(actor=admin, category=elderly, person=person)
    for n in range(2):
        person = PersonFactory(household=household_b, birth_date=datetime.date(1955, 2, 1 + n))
        services.placement_create(actor=admin, category=elderly, person=person)
    services.placement_create(actor=admin, category=category("fakir_miskin"), household=household_a)
    return household_a, household_b


def test_persons_with_filters_and_cursor_pagination(api_for, users, placed, district_a):
    client = api_for(users["operator"])
    response = client.get("/api/v1/persons/", {"district": district_a.code, "page_size": 4})
    body = response.json()
    assert response.status_code == 200 and len(body["results"]) == 4
    assert "cursor=" in body["next"]
    rest = client.get(body["next"]).json()
    assert len(rest["results"]) == 2 and rest["next"] is None
    assert (
        client.get("/api/v1/persons/", {"category": "lanjut_usia_terlantar", "desil": "3"})
        .json()["results"]
        .__len__()
        == 2
    )
    assert client.get("/api/v1/persons/", {"age_band": "bogus"}).status_code == 400
    assert client.get("/api/v1/persons/", {"district": "99.99.99"}).status_code == 400


def test_households_category_includes_members(api_for, users, placed):
    household_a, household_b = placed
    client = api_for(users["operator"])
    ids = [
        row["id"]
        for row in client.get("/api/v1/households/", {"category": "lanjut_usia_terlantar"}).json()[
            "results"
        ]
    ]
    assert sorted(ids) == sorted([household_a.pk, household_b.pk])
    ids = [
        row["id"]
        for row in client.get("/api/v1/households/", {"category": "fakir_miskin"}).json()["results"]
    ]
    assert ids == [household_a.pk]


def test_scope_and_masking(api_for, users, placed):
    household_a, household_b = placed
    tksk = api_for(users["tksk"]).get("/api/v1/households/").json()["results"]
    assert [row["id"] for row in tksk] == [household_a.pk]
    assert tksk[0]["no_kk"] == household_a.no_kk  # a TKSK may see personal data of their area
    masked = api_for(users["kepala_dinas"]).get(f"/api/v1/households/{household_b.pk}/").json()
    assert masked["no_kk"] != household_b.no_kk and "•" in masked["no_kk"]
    person = api_for(users["auditor"]).get("/api/v1/persons/").json()["results"][0]
    assert "•" in person["nik"] and person["name"] != household_a.members.first().name


def test_api_client_gets_no_rows_and_suppressed_counts(api_for, users, placed, district_a):
    client = api_for(users["api_client"])
    assert client.get("/api/v1/persons/").json()["results"] == []
    assert client.get("/api/v1/households/").json()["results"] == []
    stats = client.get("/api/v1/stats/ppks/").json()
    assert stats["suppressed_below"] == 5
    by_district = {row["code"]: row["count"] for row in stats["by_district"]}
    assert by_district[district_a.code] == 7  # 6 persons + 1 household
    assert None in by_district.values()  # B's 2 are hidden
    by_category = {row["code"]: row["count"] for row in stats["by_category"]}
    assert by_category == {"lanjut_usia_terlantar": 8, "fakir_miskin": None}
    assert all("nik" not in str(row) for row in stats["by_village"])
    full = api_for(users["kepala_dinas"]).get("/api/v1/stats/ppks/").json()
    assert full["suppressed_below"] is None
    assert {row["code"]: row["count"] for row in full["by_category"]}["fakir_miskin"] == 1
    assert {row["band"]: row["count"] for row in full["by_age_band"]}["60+"] == 8
    assert {row["sex"]: row["count"] for row in full["by_sex"]} == {"L": 5, "P": 3}
    assert client.get("/api/v1/stats/ppks/", {"category": "nope"}).status_code == 400


def test_ppks_counts_every_dimension_in_one_aggregate(users, placed, village_a, village_b):
    """Each dimension adds up to the total (desil and desa of a person's placement are its
    household's), from one aggregate over the placements whatever the number of dimensions."""
    with CaptureQueriesContext(connection) as queries:
        stats = selectors.ppks_counts(user=users["kepala_dinas"])
    assert stats["total"] == 9
    assert {row["desil"]: row["count"] for row in stats["by_desil"]} == {1: 7, 3: 2}
    assert {row["code"]: row["count"] for row in stats["by_village"]} == {
        village_a.code: 7,
        village_b.code: 2,
    }
    assert sum(row["count"] for row in stats["by_district"]) == 9
    assert sum(row["count"] for row in stats["by_sex"]) == 8  # persons only
    assert [row["band"] for row in stats["by_age_band"]] == ["0-5", "6-18", "19-59", "60+"]
    placement_reads = [q for q in queries.captured_queries if "categoryplacement" in q["sql"]]
    assert len(placement_reads) == 1, [q["sql"][:200] for q in placement_reads]
    # The home dashboard's panel reads only the total and the categories, the same figures.
    for user in (users["kepala_dinas"], users["api_client"], users["tksk"]):
        full, light = selectors.ppks_counts(user=user), selectors.ppks_by_category(user=user)
        assert (light["total"], light["by_category"]) == (full["total"], full["by_category"])


def test_ppks_counts_leave_out_deceased_and_deleted_persons_and_deleted_households(users, placed):
    """A placement still open for a person who died or was deleted (written by SQL or an old
    import, not through the services, which close it), or for a deleted household, is not
    counted: in the statistics nor in the dashboard's panel."""
    from django.utils import timezone

    from beneficiaries.models import Household, Person

    household_a, _household_b = placed
    elderly_a = list(Person.objects.filter(household=household_a).order_by("pk"))
    Person.objects.filter(pk=elderly_a[0].pk).update(deceased=True)
    Person.objects.filter(pk=elderly_a[1].pk).update(deleted_at=timezone.now())
    kepala = users["kepala_dinas"]
    stats = selectors.ppks_counts(user=kepala)
    assert stats["total"] == 7  # 9 - the deceased - the deleted
    assert {row["code"]: row["count"] for row in stats["by_category"]} == {
        "lanjut_usia_terlantar": 6,
        "fakir_miskin": 1,
    }
    Household.objects.filter(pk=household_a.pk).update(deleted_at=timezone.now())
    stats = selectors.ppks_counts(user=kepala)
    assert {row["code"]: row["count"] for row in stats["by_category"]} == {
        "lanjut_usia_terlantar": 6,  # the persons' own placements stay
    }
    assert stats["total"] == 6
    light = selectors.ppks_by_category(user=kepala)
    assert (light["total"], light["by_category"]) == (stats["total"], stats["by_category"])


def test_stats_are_scoped_for_a_tksk(api_for, users, placed, district_a):
    stats = api_for(users["tksk"]).get("/api/v1/stats/ppks/").json()
    assert [row["code"] for row in stats["by_district"]] == [district_a.code]
    assert stats["total"] == 7


def test_desil_recap_selector(users, placed, district_a, district_b):
    recap = selectors.desil_recap(user=users["kepala_dinas"])
    rows = {row.code: row for row in recap["rows"]}
    assert rows[district_a.code].households[0] == 1 and rows[district_a.code].persons[0] == 6
    assert rows[district_b.code].households[2] == 1 and rows[district_b.code].persons[2] == 2
    assert recap["households_total"] == 2 and recap["persons_total"] == 8
    hidden = selectors.desil_recap(user=users["api_client"])
    assert {row.code: row for row in hidden["rows"]}[district_b.code].persons[2] is None


def test_import_through_the_api(api_for, users, village_a):
    upload = io.BytesIO(example_file())
    upload.name = "contoh.csv"
    response = api_for(users["operator"]).post(
        "/api/v1/registry/imports/",
        {"file": upload, "mode": "valid", "commit": "true"},
        format="multipart",
    )
    assert response.status_code == 202, response.json()
    batch = ImportBatch.objects.get(pk=response.json()["id"])
    assert str(batch.job_id) == response.json()["job"]
    bad = io.BytesIO(b"\x00\x01binary")
    bad.name = "x.csv"
    response = api_for(users["operator"]).post(
        "/api/v1/registry/imports/", {"file": bad}, format="multipart"
    )
    assert response.status_code == 400 and "file" in response.json()["errors"]
    denied = api_for(users["api_client"]).post(
        "/api/v1/registry/imports/", {"file": upload}, format="multipart"
    )
    assert denied.status_code == 403
