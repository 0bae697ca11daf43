"""Field work pages: the service worker, pages kept for offline use, no inline code, the home
panel, and what reviewers see of a corrected form."""

import json
import re
import uuid

import pytest

from fieldwork.kinds import KIND_DISASTER, KIND_REFERRAL

from .factories.fieldwork import (
    PsksInstitutionFactory,
    PsksPersonFactory,
    approved_disaster,
    approved_referral,
    assign,
    disaster_payload,
    kind_form,
    referral_payload,
    review,
    submit,
    tksk_person,
)

pytestmark = pytest.mark.django_db


def test_the_service_worker_is_served_for_the_field_pages(client_for, users, client):
    response = client_for(users["tksk"]).get("/lapangan/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/lapangan/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    config = json.loads(re.match(r"self\.FIELDWORK_SW = (.*);\n", body).group(1))
    assert config["scope"] == "/lapangan/" and config["offlinePage"] == "/lapangan/kiriman/"
    assert (
        config["userHeader"] == "X-Fieldwork-User" and "Tidak ada koneksi" in config["offlineText"]
    )
    assert "/static/js/fieldwork.js" in config["precache"] and "/jsi18n/" in config["precache"]
    assert 'self.addEventListener("fetch"' in body
    assert client.get("/lapangan/sw.js").status_code == 302  # log-in first


def test_field_pages_are_marked_for_offline_use_for_a_tksk_only(client_for, users):
    tksk = client_for(users["tksk"])
    for url in [
        "/lapangan/",
        "/lapangan/kiriman/",
        "/lapangan/kegiatan/",
        f"/lapangan/formulir/{KIND_DISASTER}/",
    ]:
        response = tksk.get(url)
        assert response.status_code == 200, url
        assert response["X-Fieldwork-Offline"] == "1", url
        assert (
            len(response["X-Fieldwork-User"]) == 16 and "t.tksk" not in response["X-Fieldwork-User"]
        )
    other = client_for(users["tksk_b"]).get("/lapangan/")
    assert other["X-Fieldwork-User"] != tksk.get("/lapangan/")["X-Fieldwork-User"]
    assert "X-Fieldwork-Offline" not in client_for(users["operator"]).get("/lapangan/")
    assert "X-Fieldwork-Offline" not in tksk.get("/lapangan/kotak-masuk/")


def test_the_form_page_carries_what_the_outbox_needs(client_for, users):
    html = client_for(users["tksk"]).get(f"/lapangan/formulir/{KIND_DISASTER}/").content.decode()
    assert "data-offline-form" in html and "data-fresh" in html
    assert 'data-endpoint="/api/v1/fieldwork/submissions/"' in html
    assert 'data-sw="/lapangan/sw.js"' in html and 'data-user="t.tksk.a"' in html
    assert 'name="client_key"' in html and 'data-max-today="1"' in html
    assert '<script src="/jsi18n/"></script>' in html


def test_the_javascript_texts_are_in_indonesian(client):
    catalog = client.get("/jsi18n/").content.decode()
    assert "Menunggu dikirim" in catalog and "Perlu diperbaiki" in catalog


def test_no_inline_scripts_or_styles_on_field_pages(client_for, users, village_a, district_a):
    submission = submit(users["tksk"], KIND_DISASTER, disaster_payload(village_a))
    incident = approved_disaster(users["tksk"], users["admin"], village_a)
    referral = approved_referral(users["tksk"], users["admin"], village_a)
    person = PsksPersonFactory(district=district_a)
    institution = PsksInstitutionFactory(village=village_a)
    assignment = assign(tksk_person(district_a), district_a, actor=users["admin"])
    pages = {
        "admin": [
            "/lapangan/",
            "/lapangan/kotak-masuk/",
            f"/lapangan/kiriman/{submission.pk}/",
            "/lapangan/laporan-bulanan/",
            "/lapangan/kegiatan/",
            "/lapangan/bencana/",
            "/lapangan/bencana/rekap/",
            f"/lapangan/bencana/{incident.pk}/",
            "/lapangan/rujukan/",
            f"/lapangan/rujukan/{referral.pk}/",
            "/lapangan/psks/orang/",
            "/lapangan/psks/orang/tambah/",
            f"/lapangan/psks/orang/{person.pk}/",
            f"/lapangan/psks/orang/{person.pk}/ubah/",
            "/lapangan/psks/lembaga/",
            "/lapangan/psks/lembaga/tambah/",
            f"/lapangan/psks/lembaga/{institution.pk}/",
            f"/lapangan/psks/lembaga/{institution.pk}/ubah/",
            "/lapangan/psks/rekap/",
            "/lapangan/tksk/",
            "/lapangan/tksk/penugasan/tambah/",
            f"/lapangan/tksk/penugasan/{assignment.pk}/",
            f"/lapangan/tksk/kecamatan/{district_a.code}/",
            "/lapangan/pengaturan/",
            "/",
        ],
        "tksk": [
            "/",
            "/lapangan/",
            "/lapangan/kiriman/",
            "/lapangan/kegiatan/",
            f"/lapangan/formulir/{KIND_DISASTER}/",
            f"/lapangan/formulir/{KIND_REFERRAL}/",
            "/lapangan/formulir/referral_followup/",
            "/lapangan/formulir/monthly_report/",
        ],
    }
    for role, urls in pages.items():
        client = client_for(users[role])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (role, url, response.status_code)
            html = response.content.decode()
            for script in re.findall(r"<script\b[^>]*>", html):
                assert "src=" in script, f"inline script on {url}: {script}"
            assert "<style" not in html, url
            assert not re.search(r"\sstyle=", html), url
            assert not re.search(r"\son[a-z]+=", html), url


def test_home_panel_for_the_tksk_and_the_office(client_for, users, village_a):
    submit(users["tksk"], KIND_DISASTER, disaster_payload(village_a))
    tksk_home = client_for(users["tksk"]).get("/").content.decode()
    assert "Menunggu di ponsel ini:" in tksk_home and "/static/js/fieldwork.js" in tksk_home
    # a TKSK's daily work leads their home page; the office keeps the registry first
    field, registry = '<div class="card-header"><i class="bi bi-phone', 'bi-person-vcard" aria'
    assert tksk_home.index(field) < tksk_home.index(registry, tksk_home.index("<main"))
    office = client_for(users["kepala_bidang"]).get("/").content.decode()
    assert office.index(registry, office.index("<main")) < office.index(field)
    assert "Formulir lapangan menunggu pemeriksaan: <strong>1</strong>" in office
    assert "Kecamatan tanpa TKSK: <strong>28</strong>" in office


def test_the_reviewer_sees_what_a_correction_changed(client_for, users, village_a):
    submission = submit(users["tksk"], KIND_DISASTER, disaster_payload(village_a))
    review(submission, users["kepala_bidang"], "return", "KK salah.")
    form = kind_form(
        users["tksk"],
        KIND_DISASTER,
        disaster_payload(village_a, households_affected=7),
        submission=submission,
    )
    assert form.is_valid()
    from fieldwork import services

    services.submission_resubmit(
        actor=users["tksk"], submission=submission, form=form, client_key=uuid.uuid4()
    )
    response = client_for(users["kepala_bidang"]).get(f"/lapangan/kiriman/{submission.pk}/")
    rows = {label: (value, before) for label, value, before in response.context["rows"]}
    assert rows["KK terdampak"] == ("7", "4")
    assert rows["Jiwa terdampak"] == ("15", None)
    assert response.content.decode().count("data-corrected") == 1
    assert response.context["review_form"] is not None  # Linjamsos reviews disaster reports


def test_inbox_starts_with_the_forms_of_the_reviewers_bidang(client_for, users, village_a):
    submit(users["tksk"], KIND_DISASTER, disaster_payload(village_a))
    submit(users["tksk"], KIND_REFERRAL, referral_payload(village_a))
    linjamsos = client_for(users["kepala_bidang"]).get("/lapangan/kotak-masuk/")
    assert [s.kind for s in linjamsos.context["page"]] == [KIND_DISASTER]
    everything = client_for(users["kepala_bidang"]).get("/lapangan/kotak-masuk/?status=awaiting")
    assert {s.kind for s in everything.context["page"]} == {KIND_DISASTER, KIND_REFERRAL}
    operator = client_for(users["operator"]).get("/lapangan/kotak-masuk/")
    assert len(operator.context["page"]) == 2


def test_field_work_changes_appear_in_the_audit_trail(client_for, users, village_a, district_a):
    from fieldwork import services
    from fieldwork.models import PsksService

    from .factories.fieldwork import kind_of

    institution = services.psks_institution_create(
        actor=users["operator"],
        data={
            "kind": kind_of("lks"),
            "name": "LKS Audit Sejahtera",
            "district": district_a,
            "village": village_a,
            "leader_name": "Hj. Aminah Audit",
        },
        services=list(PsksService.objects.filter(code="anak")),
    )
    approved_disaster(users["tksk"], users["kepala_bidang"], village_a)
    admin_html = client_for(users["admin"]).get("/audit/").content.decode()
    assert "LKS Audit Sejahtera" in admin_html and "Hj. Aminah Audit" in admin_html
    assert "Formulir lapangan #" in admin_html  # the approval's reason on the incident
    auditor = client_for(users["auditor"]).get("/audit/")
    assert auditor.status_code == 200
    assert "Hj. Aminah Audit" not in auditor.content.decode()  # a personal field, masked
    assert institution.history.first().history_user == users["operator"]
