"""Audit trail (who, when, before and after) and no lost updates on pages."""

import pytest

from welfare.selectors import agency_get


@pytest.mark.django_db
def test_a_change_is_recorded_with_before_and_after(client_for, users):
    agency = agency_get()
    client = client_for(users["admin"])
    response = client.post(
        "/pengaturan/instansi/", {"name": "Dinas Sosial Kabupaten Lebak", "version": agency.version}
    )
    assert response.status_code == 302
    audit = client_for(users["auditor"]).get("/audit/", {"model": "welfare.Agency"})
    html = audit.content.decode()
    assert audit.status_code == 200
    assert "Dinas Sosial Kabupaten Lebak" in html
    assert "<del>Dinas Sosial</del>" in html
    assert users["admin"].get_full_name() in html or users["admin"].username in html


@pytest.mark.django_db
def test_the_audit_trail_is_for_auditors_and_heads(client_for, users):
    assert client_for(users["auditor"]).get("/audit/").status_code == 200
    assert client_for(users["kepala_dinas"]).get("/audit/").status_code == 200
    assert client_for(users["operator"]).get("/audit/").status_code == 403
    assert client_for(users["tksk"]).get("/audit/").status_code == 403


@pytest.mark.django_db
def test_the_later_of_two_edits_is_refused_and_the_input_kept(client_for, users):
    agency = agency_get()
    opened_version = agency.version
    first = client_for(users["admin"]).post(
        "/pengaturan/instansi/", {"name": "Versi Pertama", "version": opened_version}
    )
    assert first.status_code == 302
    second = client_for(users["admin"]).post(
        "/pengaturan/instansi/", {"name": "Versi Kedua", "version": opened_version}
    )
    assert second.status_code == 409
    html = second.content.decode()
    assert "telah diubah oleh" in html
    assert 'value="Versi Kedua"' in html  # what the user typed is not lost
    assert agency_get().name == "Versi Pertama"


@pytest.mark.django_db
def test_user_edit_is_versioned_too(client_for, users):
    target = users["operator"]
    url = f"/akun/pengguna/{target.pk}/"
    data = {
        "first_name": "Baru",
        "last_name": "Nama",
        "email": "",
        "role": "operator",
        "bidang": target.bidang_id,
        "district": "",
        "nip": "",
        "position": "",
        "phone": "",
        "is_active": "on",
        "version": target.version,
    }
    assert client_for(users["admin"]).post(url, data).status_code == 302
    assert client_for(users["admin"]).post(url, {**data, "first_name": "Lain"}).status_code == 409
    target.refresh_from_db()
    assert target.first_name == "Baru"


@pytest.mark.django_db
def test_role_rules_are_checked_on_user_forms(client_for, users):
    response = client_for(users["admin"]).post(
        "/akun/pengguna/tambah/",
        {
            "username": "tksk.baru",
            "role": "tksk",
            "password": "Kata-Sandi-Kuat-1",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "TKSK harus ditugaskan pada satu kecamatan." in response.content.decode()


@pytest.mark.django_db
def test_years_and_keys_in_the_trail_are_shown_as_stored(client_for, users):
    from tests.factories.performance import RenstraFactory

    plan = RenstraFactory(start_year=2025, end_year=2029, name="Renstra 2025-2029")
    html = (
        client_for(users["auditor"])
        .get("/audit/", {"model": "performance.Renstra"}, HTTP_ACCEPT_LANGUAGE="id")
        .content.decode()
    )
    assert "Renstra 2025-2029" in html
    assert ": 2025</li>" in html and ": 2029</li>" in html  # not 2.025, as a count would be
    assert "2.025" not in html and "2.029" not in html
    # a related record by its name (one query per kind), not by its key
    assert f"Unit pengelola rencana</span>: {plan.bidang.name}</li>" in html


@pytest.mark.django_db
def test_a_personal_record_referred_to_stays_masked(client_for, users, village_a):
    from tests.factories.beneficiaries import HouseholdFactory, PersonFactory

    household = HouseholdFactory(village=village_a)
    PersonFactory(household=household)
    url = "/audit/"
    masked = client_for(users["auditor"]).get(url, {"model": "beneficiaries.Person"})
    assert f"keluarga #{household.pk}" in masked.content.decode()
    assert household.no_kk not in masked.content.decode()
    shown = client_for(users["admin"]).get(url, {"model": "beneficiaries.Person"})
    assert f"</span>: {household.no_kk}</li>" in shown.content.decode()


@pytest.mark.django_db
def test_yes_no_and_lists_in_the_trail_read_as_words(client_for, users, village_a):
    from fieldwork.models import PsksInstitution
    from tests.factories.fieldwork import PsksInstitutionFactory

    PsksInstitutionFactory(village=village_a, name="LKS Jejak Audit", active=True)
    html = (
        client_for(users["auditor"])
        .get("/audit/", {"model": "fieldwork.PsksInstitution"}, HTTP_ACCEPT_LANGUAGE="id")
        .content.decode()
    )
    assert PsksInstitution.objects.filter(name="LKS Jejak Audit").exists()
    assert "LKS Jejak Audit" in html
    assert "Aktif</span>: Ya</li>" in html
    assert "True" not in html and "[]" not in html


@pytest.mark.django_db
def test_a_log_in_is_no_change_in_the_audit_trail(client, users):
    operator = users["operator"]
    operator.set_password("Sandi-Uji-2026!")
    operator.save()
    before = operator.history.count()
    response = client.post(
        "/akun/masuk/", {"username": operator.username, "password": "Sandi-Uji-2026!"}
    )
    assert response.status_code == 302
    operator.refresh_from_db()
    assert operator.last_login is not None  # still kept
    assert operator.history.count() == before


@pytest.mark.django_db
def test_a_password_change_is_named_in_the_trail_without_the_password(client_for, users):
    from .factories import TEST_PASSWORD

    operator = users["operator"]
    response = client_for(operator).post(
        "/akun/kata-sandi/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Kopi-Lebak-Pagi-2026",
            "new_password2": "Kopi-Lebak-Pagi-2026",
        },
    )
    assert response.status_code == 302
    row = operator.history.latest()
    assert row.history_change_reason == "Kata sandi diganti oleh pemiliknya"
    html = client_for(users["auditor"]).get("/audit/", {"model": "accounts.User"}).content.decode()
    assert "Kata sandi diganti oleh pemiliknya" in html
    operator.refresh_from_db()
    assert operator.password not in html


def test_a_mapping_in_the_trail_reads_as_its_entries_or_its_message():
    from welfare.audit import _display

    assert _display({"code": "desil", "message": "Desil 7 di atas batas 4"}, None, False) == (
        "Desil 7 di atas batas 4"
    )
    assert _display({"anak": 2, "lansia": 1}, None, False) == "anak: 2, lansia: 1"
    assert _display({}, None, False) == "-"
