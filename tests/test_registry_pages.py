"""Registry pages: lists with filters and search (no N+1), masking, forms, the household page
with extension panels and filters, soft delete and restore, imports from the page, stats."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html

from beneficiaries import extensions, importer
from beneficiaries.models import Household, ImportBatch, Person
from welfare.models import Job

from .factories.beneficiaries import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian():
    with translation.override("id"):
        yield


@pytest.fixture
def registry(village_a, village_b):
    households = [HouseholdFactory(village=village_a, desil=d) for d in (1, 2, 7)]
    people = [
        PersonFactory(
            household=households[0],
            name="Siti Aminah",
            sex="P",
            birth_date=datetime.date(1950, 4, 2),
        ),
        PersonFactory(
            household=households[1], name="Budi Santoso", birth_date=datetime.date(2023, 1, 3)
        ),
        PersonFactory(
            household=households[2], name="Asep Saepudin", birth_date=datetime.date(1990, 6, 6)
        ),
    ]
    other = HouseholdFactory(village=village_b, desil=1)
    people.append(
        PersonFactory(household=other, name="Ujang Beta", birth_date=datetime.date(1985, 1, 1))
    )
    return households, people


def _names(response):
    return [p.name for p in response.context["page"]]


def test_list_filters_and_search(client_for, users, registry, district_a):
    households, people = registry
    client = client_for(users["operator"])
    url = reverse("beneficiaries:person_list")
    assert len(_names(client.get(url))) == 4
    assert _names(client.get(url, {"district": district_a.code})) == [
        "Asep Saepudin",
        "Budi Santoso",
        "Siti Aminah",
    ]
    assert _names(client.get(url, {"desil": "1"})) == ["Siti Aminah", "Ujang Beta"]
    assert _names(client.get(url, {"sex": "P"})) == ["Siti Aminah"]
    assert _names(client.get(url, {"age_band": "60+"})) == ["Siti Aminah"]
    assert _names(client.get(url, {"age_band": "0-5"})) == ["Budi Santoso"]
    assert _names(client.get(url, {"q": people[2].nik})) == ["Asep Saepudin"]
    assert _names(client.get(url, {"q": "saepu"})) == ["Asep Saepudin"]
    response = client.get(url, {"desil": "99"})
    assert response.status_code == 200 and _names(response) == []
    hh = client.get(reverse("beneficiaries:household_list"), {"desil": "7"})
    assert [h.pk for h in hh.context["page"]] == [households[2].pk]
    assert hh.context["page"][0].member_count == 1


def test_list_queries_do_not_grow_with_rows(
    client_for, users, village_a, django_assert_max_num_queries
):
    for _n in range(30):
        PersonFactory(household=HouseholdFactory(village=village_a))
    client = client_for(users["operator"])
    with django_assert_max_num_queries(16):
        assert client.get(reverse("beneficiaries:person_list")).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("beneficiaries:household_list")).status_code == 200


def test_nik_and_no_kk_are_masked_for_roles_without_personal_access(client_for, users, registry):
    households, people = registry
    person = people[0]
    full = client_for(users["operator"]).get(reverse("beneficiaries:person_list")).content.decode()
    assert person.nik in full and households[0].no_kk in full
    for role in ("kepala_dinas", "auditor"):
        page = client_for(users[role]).get(reverse("beneficiaries:person_list")).content.decode()
        assert person.nik not in page and households[0].no_kk not in page
        assert f"{person.nik[:4]}•••••••••{person.nik[-3:]}" in page
        detail = client_for(users[role]).get(
            reverse("beneficiaries:household_detail", args=[households[0].pk])
        )
        assert households[0].no_kk not in detail.content.decode()


def test_tksk_sees_only_their_kecamatan(client_for, users, registry):
    _households, people = registry
    response = client_for(users["tksk"]).get(reverse("beneficiaries:person_list"))
    assert "Ujang Beta" not in _names(response)
    other = people[3]
    assert (
        client_for(users["tksk"])
        .get(reverse("beneficiaries:person_detail", args=[other.pk]))
        .status_code
        == 404
    )


def test_a_tksk_is_offered_only_their_own_kecamatan_to_filter_on(
    client_for, api_for, users, district_a, district_b
):
    """Choosing another kecamatan could only ever show nothing: the filters of the registry,
    the recipients and the disasters offer a TKSK their own, and the API names the refusal."""
    for url in ("/registri/", "/program/penerima/", "/lapangan/bencana/"):
        tksk_page = client_for(users["tksk"]).get(url).content.decode()
        offered = re.findall(r'<option value="([\d.]+)"', _select(tksk_page, "district"))
        assert offered == [district_a.code], url
        staff_page = client_for(users["operator"]).get(url).content.decode()
        assert len(re.findall(r'<option value="[\d.]+"', _select(staff_page, "district"))) == 28
    refused = api_for(users["tksk"]).get("/api/v1/persons/", {"district": district_b.code})
    assert refused.status_code == 400 and "district" in refused.json()["errors"]
    own = api_for(users["tksk"]).get("/api/v1/persons/", {"district": district_a.code})
    assert own.status_code == 200


def _select(html: str, name: str) -> str:
    match = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert match, name
    return match.group(1)


@pytest.fixture
def own_extensions(monkeypatch):
    """The test's panels and filters replace the apps' own ("programs", "program") only for
    the test: the registries are copies, restored afterwards."""
    monkeypatch.setattr(extensions, "_PANELS", dict(extensions._PANELS))
    monkeypatch.setattr(extensions, "_FILTERS", dict(extensions._FILTERS))


def test_household_page_shows_members_history_and_extension_panels(
    client_for, users, registry, own_extensions
):
    households, _people = registry
    extensions.register_household_panel(
        "programs",
        title="Program bantuan",
        render=lambda request, household: format_html("<p>PKH aktif untuk {}</p>", household.no_kk),
        order=10,
    )
    extensions.register_household_panel("hidden", title="Tersembunyi", render=lambda r, h: None)
    extensions.register_household_panel("broken", title="Rusak", render=lambda r, h: 1 / 0)
    try:
        response = client_for(users["operator"]).get(
            reverse("beneficiaries:household_detail", args=[households[0].pk])
        )
    finally:
        for key in ("programs", "hidden", "broken"):
            extensions.unregister_household_panel(key)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Siti Aminah" in page
    assert f"PKH aktif untuk {households[0].no_kk}" in page
    assert "Tersembunyi" not in page
    assert "Panel ini tidak dapat ditampilkan." in page


def test_extension_filter_serves_page_and_api(client_for, api_for, users, registry, own_extensions):
    households, _people = registry
    chosen = households[1]

    def apply(queryset, value):
        if queryset.model is Person:
            return queryset.filter(household_id=chosen.pk) if value == "pkh" else queryset.none()
        return queryset.filter(pk=chosen.pk) if value == "pkh" else queryset.none()

    extensions.register_list_filter(
        "program", label="Program", choices=lambda: [("pkh", "PKH")], apply=apply
    )
    try:
        page = client_for(users["operator"]).get(
            reverse("beneficiaries:person_list"), {"program": "pkh"}
        )
        api = api_for(users["operator"]).get("/api/v1/households/", {"program": "pkh"})
        bad = api_for(users["operator"]).get("/api/v1/households/", {"program": "nope"})
    finally:
        extensions.unregister_list_filter("program")
    assert _names(page) == ["Budi Santoso"]
    assert [row["id"] for row in api.json()["results"]] == [chosen.pk]
    assert bad.status_code == 400


def test_add_person_form_refuses_an_existing_nik_with_a_link(
    client_for, users, registry, village_a
):
    _households, people = registry
    existing = people[0]
    response = client_for(users["operator"]).post(
        reverse("beneficiaries:person_add"),
        {
            "nik": existing.nik,
            "name": "Orang Baru",
            "sex": existing.sex,
            "birth_date": existing.birth_date.isoformat(),
            "village": village_a.code,
            "source": "walk_in",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "sudah ada di registri" in page
    assert reverse("beneficiaries:person_detail", args=[existing.pk]) in page
    assert Person.objects.filter(name="Orang Baru").count() == 0


def test_add_and_edit_household_then_delete_and_restore(client_for, users, village_a):
    client = client_for(users["operator"])
    response = client.post(
        reverse("beneficiaries:household_add"),
        {
            "no_kk": "3602140101150009",
            "village": village_a.code,
            "desil": "2",
            "desil_date": "2026-08-01",
            "status": "aktif",
            "source": "walk_in",
            "rt": "4",
            "rw": "1",
        },
    )
    household = Household.objects.get(no_kk="3602140101150009")
    assert response.status_code == 302 and household.rt == "004"
    stale = household.version
    response = client.post(
        reverse("beneficiaries:household_edit", args=[household.pk]),
        {
            "no_kk": household.no_kk,
            "village": village_a.code,
            "desil": "3",
            "desil_date": "2026-11-01",
            "status": "aktif",
            "source": "walk_in",
            "version": stale,
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("beneficiaries:household_edit", args=[household.pk]),
        {
            "no_kk": household.no_kk,
            "village": village_a.code,
            "desil": "4",
            "desil_date": "2026-11-01",
            "status": "aktif",
            "source": "walk_in",
            "version": stale,
        },
    )
    assert response.status_code == 409
    household.refresh_from_db()
    assert household.desil == 3 and household.desil_records.count() == 2
    client.post(
        reverse("beneficiaries:household_delete", args=[household.pk]), {"reason": "Salah input"}
    )
    household.refresh_from_db()
    assert household.deleted_at is not None
    deleted = client.get(reverse("beneficiaries:household_list"), {"state": "deleted"})
    assert household in list(deleted.context["page"])
    client.post(reverse("beneficiaries:household_restore", args=[household.pk]))
    household.refresh_from_db()
    assert household.deleted_at is None
    history = client.get(
        reverse("beneficiaries:household_detail", args=[household.pk])
    ).content.decode()
    assert "Salah input" in history


def test_import_from_the_page_runs_as_a_job(client_for, users, village_a):
    client = client_for(users["operator"])
    template = client.get(reverse("beneficiaries:import_template"))
    assert template.status_code == 200 and template["Content-Disposition"].endswith('.xlsx"')
    example = client.get(reverse("beneficiaries:import_example")).content
    upload = io.BytesIO(example)
    upload.name = "contoh.csv"
    response = client.post(
        reverse("beneficiaries:import_start"),
        {"file": upload, "mode": "valid", "commit": "on", "source": "dtsen"},
    )
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "job_detail", args=[job.pk]
    )
    batch = ImportBatch.objects.get()
    assert batch.job == job and batch.mode == "valid"


@pytest.mark.django_db(transaction=True)
def test_import_job_saves_valid_rows_and_offers_the_refused_ones(
    client_for, users, regions, village_a
):
    client = client_for(users["operator"])
    upload = io.BytesIO(importer.example_file())
    upload.name = "contoh.csv"
    client.post(
        reverse("beneficiaries:import_start"),
        {"file": upload, "mode": "valid", "commit": "on", "source": "dtsen"},
    )
    call_command("db_worker", "--batch", "--queue-name", "default")
    job = Job.objects.get()
    assert job.status == Job.Status.SUCCEEDED, job.error
    batch = ImportBatch.objects.get()
    assert batch.status == "committed" and batch.invalid_rows == 2
    assert Person.objects.count() == 9
    detail = client.get(reverse("beneficiaries:import_detail", args=[batch.pk]))
    assert (
        reverse("beneficiaries:import_download", args=[batch.pk, "ditolak"])
        in detail.content.decode()
    )
    download = client.get(reverse("beneficiaries:import_download", args=[batch.pk, "laporan"]))
    assert download.status_code == 200
    person = Person.objects.first()
    page = client.get(reverse("beneficiaries:person_detail", args=[person.pk])).content.decode()
    assert f"#{batch.pk}" in page


def test_stats_page_and_dashboard(client_for, users, registry):
    response = client_for(users["kepala_dinas"]).get(reverse("beneficiaries:stats"))
    assert response.status_code == 200
    recap = response.context["recap"]
    assert recap["households_total"] == 4 and recap["persons_total"] == 4
    home = client_for(users["operator"]).get(reverse("home")).content.decode()
    assert "Registri PPKS" in home


def test_name_search_can_use_the_trigram_index(users, registry):
    """The name search (``LIKE '%...%'`` on the normalized name, as the filter writes it) can
    be served by the trigram index instead of reading every person: with the plain scans priced
    out (a test table is too small for the planner to prefer an index on its own), PostgreSQL
    finds the persons the filter's condition matches through ``person_name_trgm``."""
    from django.db import connection, transaction

    from beneficiaries import selectors
    from beneficiaries.filters import PersonFilter

    page = PersonFilter({"q": "aminah"}, queryset=selectors.person_list(user=users["operator"]))
    assert [p.name for p in page.qs] == ["Siti Aminah"]
    condition = PersonFilter({"q": "aminah"}, queryset=Person.objects.only("pk")).qs
    sql, params = condition.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        for scan in ("seqscan", "indexscan", "indexonlyscan"):
            cursor.execute(f"SET LOCAL enable_{scan} = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on person_name_trgm" in plan, plan


@pytest.mark.django_db
def test_counting_the_active_persons_can_read_the_small_index_only(users, registry):
    """The home dashboard counts the active persons of the user's scope: the condition of
    ``person_active_count_idx`` (the kecamatan alone, with the list's condition) holds for that
    count, so PostgreSQL can answer from the small index without reading the table (at Lebak's
    size it prefers it on its own: 45-72 ms against 203-215 ms, see docs/beneficiaries.md).
    Plain scans priced out: a test table is too small for the planner to prefer an index."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from beneficiaries import selectors

    persons = selectors.person_list(user=users["admin"])
    assert (
        persons.count()
        == Person.objects.filter(
            deleted_at__isnull=True, deceased=False, merged_into__isnull=True
        ).count()
    )
    for queryset in (persons, selectors.person_list(user=users["tksk"])):
        with CaptureQueriesContext(connection) as counted:
            queryset.count()
        (sql,) = [q["sql"] for q in counted.captured_queries if "COUNT(*)" in q["sql"]]
        with transaction.atomic(), connection.cursor() as cursor:
            # The wide list index costs the same as the small one on a table of a few rows:
            # set it aside for this savepoint (DDL is transactional), then roll back.
            cursor.execute("DROP INDEX person_active_list_idx")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            transaction.set_rollback(True)
        assert "Index Only Scan using person_active_count_idx" in plan, plan
    assert "person_active_list_idx" in connection.introspection.get_constraints(
        connection.cursor(), Person._meta.db_table
    )


def test_a_record_loaded_in_bulk_shows_its_creation_in_its_history(client_for, users, village_a):
    from django.utils import timezone

    from beneficiaries import services

    operator = users["operator"]
    batch = ImportBatch.objects.create(file_name="dtsen.csv", created_by=operator)
    loaded, demo = Household.objects.bulk_create(  # as a first load or the demo writes them
        [
            Household(
                no_kk=f"360201010101000{n}", district_id=village_a.district_id, village=village_a
            )
            for n in (1, 2)
        ]
    )
    Household.objects.filter(pk=loaded.pk).update(import_batch=batch)
    batch.committed_at = timezone.now()
    batch.save()
    client = client_for(operator)

    def history(household) -> str:
        page = client.get(reverse("beneficiaries:household_detail", args=[household.pk]))
        return page.content.decode().split("app-history", 1)[1]

    shown = history(loaded)
    assert f"Dibuat sekaligus oleh impor #{batch.pk}" in shown
    assert operator.get_full_name() in shown or operator.username in shown
    assert "Belum ada perubahan yang tercatat" not in shown
    assert "Dibuat sekaligus (muat data massal)" in history(demo)

    # Once edited, the page shows the edit above the creation, which stays.
    demo.refresh_from_db()
    services.household_update(
        actor=operator, household=demo, data={"address": "Kp. Baru"}, version=demo.version
    )
    shown = history(demo)
    assert shown.index("Kp. Baru") < shown.index("Dibuat sekaligus")
