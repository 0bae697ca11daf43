"""/api/v1/performance/: the summary exactly as issue 6 point 8 asks, the read endpoints, and
writes through the same services (validation, bidang, version -> HTTP 409)."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from performance import clock, demo
from performance.models import AgreementTarget, BudgetLine, Realization
from welfare.models import Job

from .factories.performance import small_plan, xlsx


@pytest.fixture
def lebak(regions):
    demo.seed(stdout=io.StringIO())


@pytest.fixture
def plan(regions, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: datetime.date(2025, 4, 10))
    return small_plan()


@pytest.mark.django_db
def test_summary_for_an_api_client(lebak, users, api_for):
    response = api_for(users["api_client"]).get("/api/v1/performance/summary/?year=2025")
    assert response.status_code == 200
    body = response.json()
    assert body["year"] == 2025 and body["basis"] == "latest"
    assert body["agreement"] == "PK Perubahan 2025"
    indicators = {i["code"]: i for i in body["indicators"]}
    ikm = indicators["IKU-2"]
    assert (ikm["target"], ikm["realization"], ikm["capaian"], ikm["rating"]) == (
        "85.0000", "84.6100", "99.54", "Sangat Tinggi",
    )  # fmt: skip
    assert ikm["efisiensi"] == "4.45"
    sakip = indicators["IKU-1"]
    assert sakip["capaian"] == "0.00" and "Maret 2026" in sakip["capaian_note"]
    assert len(ikm["quarters"]) == 4 and ikm["previous_year"]["year"] == 2024
    assert [(s["code"], s["capaian"], s["rating"]) for s in body["sasaran"]] == [
        ("S1", "49.77", "Sangat Rendah"),
        ("S2", "102.81", "Sangat Tinggi"),
    ]
    assert body["year_result"] == {"capaian": "76.29", "rating": "Tinggi", "realized": True}
    assert all(s["realized"] for s in body["sasaran"])  # S1: IKM is in, Nilai SAKIP is not
    assert body["budget"]["pagu"] == "11778490236.00"
    assert body["budget"]["realization"] == "11223919920.00"
    assert body["budget"]["absorption"] == "95.29"
    assert body["budget"]["effectiveness"] == "Efektif"
    assert body["sasaran"][0]["budget"]["absorption"] == "95.09"
    assert len(body["spm"]["services"]) == 5 and body["spm"]["total_percent"] == "99.58"
    assert len(body["programs"]) == 7


@pytest.mark.django_db
def test_summary_basis_and_bad_input(lebak, users, api_for):
    client = api_for(users["auditor"])
    murni = client.get("/api/v1/performance/summary/?year=2025&basis=murni").json()
    assert murni["agreement"] == "PK Murni 2025"
    assert murni["year_result"]["capaian"] == "76.13"
    under_way = client.get("/api/v1/performance/summary/?year=2026").json()
    assert under_way["year_result"]["realized"] is False  # IKU measured at the year's end
    assert not any(s["realized"] for s in under_way["sasaran"])
    assert client.get("/api/v1/performance/summary/?year=dua").status_code == 400
    bad = client.get("/api/v1/performance/summary/?year=2025&basis=x")
    assert bad.status_code == 400 and "basis" in bad.json()["errors"]
    missing = client.get("/api/v1/performance/summary/?year=2040")
    assert missing.status_code == 404 and "2040" in missing.json()["detail"]


@pytest.mark.django_db
def test_tksk_has_no_access_to_performance(lebak, users, api_for):
    assert api_for(users["tksk"]).get("/api/v1/performance/summary/").status_code == 403
    assert api_for(users["tksk"]).get("/api/v1/performance/budget/").status_code == 403


@pytest.mark.django_db
def test_read_endpoints(lebak, users, api_for):
    client = api_for(users["api_client"])
    plans = client.get("/api/v1/performance/renstra/").json()
    assert [p["start_year"] for p in plans] == [2025, 2019]
    assert plans[0]["tujuan"][1]["sasaran"][0]["programs"][:2] == ["1.06.02", "1.06.03"]
    indicators = client.get("/api/v1/performance/indicators/?year=2025&iku=1").json()
    assert [i["code"] for i in indicators["results"]] == ["IKU-1", "IKU-2", "IKU-3", "IKU-4"]
    assert indicators["results"][2]["renstra_targets"][0] == {"year": 2025, "value": "8.2700"}
    others = client.get("/api/v1/performance/indicators/?year=2025&iku=false&level=program")
    assert others.status_code == 200 and others.json()["results"]
    assert all(i["is_iku"] is False for i in others.json()["results"])
    targets = client.get("/api/v1/performance/targets/?year=2025&basis=murni").json()
    assert all(t["revision"] == 0 for t in targets["results"])
    realizations = client.get("/api/v1/performance/realizations/?year=2025&quarter=4").json()
    row = next(r for r in realizations["results"] if r["indicator_code"] == "IKU-3")
    assert row["value"] == "8.0300" and row["status"] == "approved"
    assert "entered_by" not in row  # no names in the API
    budget = client.get("/api/v1/performance/budget/?year=2025&page_size=100").json()
    assert budget["count"] == 37
    line = budget["results"][0]
    assert len(line["months"]) == 12 and line["program_code"] == "1.06.01"
    trend = client.get("/api/v1/performance/trend/?year=2025").json()
    assert trend["years"] == [2021, 2022, 2023, 2024, 2025]
    spm = client.get("/api/v1/performance/spm/?year=2025").json()
    assert spm["services"][2]["percent"] == "97.73"


@pytest.mark.django_db
def test_api_client_and_auditor_change_nothing(plan, users, api_for):
    target = AgreementTarget.objects.filter(agreement=plan.agreement).first()
    for role in ("api_client", "auditor"):
        response = api_for(users[role]).patch(
            f"/api/v1/performance/targets/{target.pk}/", {"target": "1", "version": 1},
            format="json",
        )  # fmt: skip
        assert response.status_code == 403


@pytest.mark.django_db
def test_realization_entry_and_approval_through_the_api(plan, users, api_for):
    operator = api_for(users["operator"])
    created = operator.post(
        "/api/v1/performance/realizations/",
        {"indicator": plan.rate.pk, "year": 2025, "quarter": 1, "value": "8.4",
         "obstacles": "Data BPS triwulan belum ada"},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "draft" and body["value"] == "8.4000"
    no_evidence = operator.post(
        f"/api/v1/performance/realizations/{body['id']}/submit/", {"version": body["version"]},
        format="json",
    )  # fmt: skip
    assert no_evidence.status_code == 400 and "evidence" in no_evidence.json()["errors"]
    stale = operator.patch(
        f"/api/v1/performance/realizations/{body['id']}/",
        {"value": "8.3", "version": body["version"] + 5},
        format="json",
    )
    assert stale.status_code == 409
    updated = operator.patch(
        f"/api/v1/performance/realizations/{body['id']}/",
        {"unavailable_reason": "", "value": None,
         "version": body["version"]},
        format="json",
    )  # fmt: skip
    assert updated.status_code == 200
    reason = operator.patch(
        f"/api/v1/performance/realizations/{body['id']}/",
        {"unavailable_reason": "BPS merilis pada Juli.", "submit": True,
         "version": updated.json()["version"]},
        format="json",
    )  # fmt: skip
    assert reason.status_code == 200 and reason.json()["status"] == "submitted"
    other = api_for(users["operator_other_bidang"]).post(
        f"/api/v1/performance/realizations/{body['id']}/approve/",
        {"version": reason.json()["version"]},
        format="json",
    )
    assert other.status_code in (403, 404)
    approved = api_for(users["kepala_bidang"]).post(
        f"/api/v1/performance/realizations/{body['id']}/approve/",
        {"version": reason.json()["version"], "note": "Sesuai"},
        format="json",
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    twice = operator.post(
        "/api/v1/performance/realizations/",
        {"indicator": plan.rate.pk, "year": 2025, "quarter": 1, "value": "8"},
        format="json",
    )  # fmt: skip
    assert twice.status_code == 400


@pytest.mark.django_db
def test_api_writes_follow_the_page_rules(plan, users, api_for):
    operator = api_for(users["operator"])
    future = operator.post(
        "/api/v1/performance/realizations/",
        {"indicator": plan.count.pk, "year": 2025, "quarter": 4, "value": "3"},
        format="json",
    )
    assert future.status_code == 400
    assert "belum dimulai" in str(future.json()["errors"])
    wrong_division = api_for(users["operator_other_bidang"]).post(
        "/api/v1/performance/realizations/",
        {"indicator": plan.count.pk, "year": 2025, "quarter": 1, "value": "3"},
        format="json",
    )
    assert wrong_division.status_code == 403
    assert not Realization.objects.exists()


@pytest.mark.django_db
def test_target_update_with_version(plan, users, api_for):
    target = AgreementTarget.objects.get(agreement=plan.agreement, indicator=plan.count)
    admin = api_for(users["admin"])
    bad = admin.patch(
        f"/api/v1/performance/targets/{target.pk}/",
        {"q1": "10", "version": target.version},
        format="json",
    )
    assert bad.status_code == 400 and "90" in str(bad.json()["errors"])
    good = admin.patch(
        f"/api/v1/performance/targets/{target.pk}/",
        {"target": "110", "q1": "20", "q2": "30", "q3": "30", "q4": "30",
         "version": target.version},
        format="json",
    )  # fmt: skip
    assert good.status_code == 200 and good.json()["target"] == "110.0000"
    stale = admin.patch(
        f"/api/v1/performance/targets/{target.pk}/", {"target": "1", "version": target.version},
        format="json",
    )  # fmt: skip
    assert stale.status_code == 409


@pytest.mark.django_db
def test_budget_update_through_the_api(plan, users, api_for):
    from .factories.performance import budget_line

    line = budget_line(plan.renstra, 2025, "1.06.04.2.01.0001", 1000000, [(1, 100000)])
    admin = api_for(users["admin"])
    response = admin.patch(
        f"/api/v1/performance/budget/{line.pk}/",
        {"pagu_perubahan": "1200000", "months": {"2": "200000"}, "version": line.version},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["realization"] == "300000.00" and body["absorption"] == "25.00"
    negative = admin.patch(
        f"/api/v1/performance/budget/{line.pk}/",
        {"months": {"3": "-5"}, "version": body["version"]},
        format="json",
    )
    assert negative.status_code == 400
    assert BudgetLine.objects.get(pk=line.pk).months.count() == 2


@pytest.mark.django_db
def test_import_through_the_api(regions, users, api_for):
    workbook = xlsx({"Renstra": [["nama", "tahun_awal", "tahun_akhir"],
                                 ["Renstra API", 2030, 2034]]})  # fmt: skip
    response = api_for(users["admin"]).post(
        "/api/v1/performance/imports/",
        {"kind": "plan", "file": SimpleUploadedFile("r.xlsx", workbook.getvalue()),
         "commit": True},
        format="multipart",
    )  # fmt: skip
    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()["job"])
    assert job.params == {"kind": "plan", "commit": True, "name": "r.xlsx"}
    assert response.json()["status_url"].endswith(f"/api/v1/jobs/{job.pk}/")
    forbidden = api_for(users["auditor"]).post(
        "/api/v1/performance/imports/",
        {"kind": "plan", "file": SimpleUploadedFile("r.xlsx", workbook.getvalue())},
        format="multipart",
    )
    assert forbidden.status_code == 403


@pytest.mark.django_db
def test_realizations_list_reads_in_a_constant_number_of_queries(
    lebak, users, api_for, django_assert_max_num_queries
):
    client = api_for(users["api_client"])
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/performance/realizations/?year=2025&page_size=200")
    assert response.json()["count"] > 150
    with django_assert_max_num_queries(12):
        client.get("/api/v1/performance/budget/?year=2025&page_size=100")
