"""The field work API: the same validation, scope and idempotency as the pages."""

import json
import uuid

import pytest
from django.utils import timezone

from fieldwork.kinds import KIND_DISASTER, KIND_MONTHLY_REPORT
from fieldwork.models import ActivityEntry, DisasterIncident, Submission

from .factories.fieldwork import (
    approved_disaster,
    disaster_payload,
    jpeg_bytes,
    review,
    submit,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/fieldwork/submissions/"


def _send(client, payload, kind=KIND_DISASTER, key=None):
    return client.post(
        URL,
        {"kind": kind, "client_key": str(key or uuid.uuid4()), "payload": payload},
        format="json",
    )


def test_send_once_then_resend_returns_the_same(api_for, users, village_a):
    client = api_for(users["tksk"])
    key = uuid.uuid4()
    first = _send(client, disaster_payload(village_a), key=key)
    assert first.status_code == 201, first.json()
    body = first.json()
    assert body["status"] == "submitted" and body["kind_label"] == "Kejadian bencana"
    assert (
        body["village"] == village_a.code and body["page_url"] == f"/lapangan/kiriman/{body['id']}/"
    )
    again = _send(client, disaster_payload(village_a, persons_affected=99), key=key)
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Submission.objects.count() == 1
    assert Submission.objects.get().payload["persons_affected"] == 15


def test_validation_errors_name_the_field_in_indonesian(api_for, users, village_a, village_b):
    client = api_for(users["tksk"])
    tomorrow = (timezone.localdate() + __import__("datetime").timedelta(days=1)).isoformat()
    response = _send(client, disaster_payload(village_b, incident_date=tomorrow))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"]["village"] == [
        f"{village_b.name} berada di Kecamatan Malingping, di luar wilayah kerja Anda "
        "(Kecamatan Rangkasbitung)."
    ]
    assert body["errors"]["incident_date"][0].startswith("Tanggal kejadian tidak boleh")
    assert Submission.objects.count() == 0
    assert (
        client.post(
            URL,
            {"kind": "tidak_ada", "client_key": str(uuid.uuid4()), "payload": {}},
            format="json",
        ).status_code
        == 404
    )
    response = client.post(
        URL, {"kind": KIND_DISASTER, "client_key": "bukan-uuid", "payload": {}}, format="json"
    )
    assert response.status_code == 400 and "client_key" in response.json()["errors"]


def test_multipart_with_photos(api_for, users, village_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api_for(users["tksk"])
    response = client.post(
        URL,
        {
            "kind": KIND_DISASTER,
            "client_key": str(uuid.uuid4()),
            "payload": json.dumps(disaster_payload(village_a)),
            "client_created_at": "2026-01-01T07:00:00+07:00",
            "photos": [
                SimpleUploadedFile("a.jpg", jpeg_bytes(), "image/jpeg"),
                SimpleUploadedFile("b.jpg", jpeg_bytes(color=(0, 0, 200)), "image/jpeg"),
            ],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert len(body["photos"]) == 2 and body["photos"][0]["url"].startswith("/lapangan/foto/")
    assert body["client_created_at"].startswith("2026-01-01")
    bad = client.post(
        URL,
        {
            "kind": KIND_DISASTER,
            "client_key": str(uuid.uuid4()),
            "payload": json.dumps(disaster_payload(village_a)),
            "photos": [SimpleUploadedFile("x.jpg", b"bukan gambar", "image/jpeg")],
        },
        format="multipart",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"]["photos"] == [
        "Foto kejadian: berkas x.jpg bukan foto (gambar JPEG, PNG atau WebP)."
    ]


def test_scope_of_the_list_and_who_may_send(api_for, users, village_a, village_b):
    mine = submit(users["tksk"], KIND_DISASTER, disaster_payload(village_a))
    theirs = submit(users["tksk_b"], KIND_DISASTER, disaster_payload(village_b))
    ids = [row["id"] for row in api_for(users["tksk"]).get(URL).json()["results"]]
    assert ids == [mine.pk]
    assert api_for(users["tksk"]).get(f"{URL}{theirs.pk}/").status_code == 404
    assert {row["id"] for row in api_for(users["admin"]).get(URL).json()["results"]} == {
        mine.pk,
        theirs.pk,
    }
    assert api_for(users["api_client"]).get(URL).json()["results"] == []
    assert _send(api_for(users["operator"]), disaster_payload(village_a)).status_code == 403
    assert _send(api_for(users["auditor"]), disaster_payload(village_a)).status_code == 403


def test_review_and_resubmit_through_the_api(api_for, users, village_a):
    submission = submit(users["tksk"], KIND_DISASTER, disaster_payload(village_a))
    reviewer = api_for(users["kepala_bidang"])
    response = reviewer.post(
        f"{URL}{submission.pk}/review/",
        {"decision": "return", "comment": "", "version": submission.version},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["comment"] == ["Tuliskan apa yang harus diperbaiki TKSK."]
    response = reviewer.post(
        f"{URL}{submission.pk}/review/",
        {"decision": "return", "comment": "Tambah foto", "version": submission.version},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "returned"
    stale = reviewer.post(
        f"{URL}{submission.pk}/review/",
        {"decision": "approve", "version": submission.version},
        format="json",
    )
    assert stale.status_code == 409

    key = str(uuid.uuid4())
    body = {"client_key": key, "payload": disaster_payload(village_a, persons_affected=20)}
    tksk = api_for(users["tksk"])
    assert tksk.post(f"{URL}{submission.pk}/resubmit/", body, format="json").status_code == 200
    again = tksk.post(f"{URL}{submission.pk}/resubmit/", body, format="json")
    assert again.status_code == 200 and again.json()["status"] == "resubmitted"
    assert Submission.objects.get().events.filter(action="resubmitted").count() == 1
    assert (
        api_for(users["tksk_b"])
        .post(f"{URL}{submission.pk}/resubmit/", body, format="json")
        .status_code
        == 404
    )

    version = Submission.objects.get().version
    response = reviewer.post(
        f"{URL}{submission.pk}/review/", {"decision": "approve", "version": version}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["applied_changes"][0]["model"] == "disasterincident"
    assert DisasterIncident.objects.get().persons_affected == 20
    assert (
        api_for(users["tksk"])
        .post(
            f"{URL}{submission.pk}/review/",
            {"decision": "approve", "version": version},
            format="json",
        )
        .status_code
        == 403
    )


def test_kinds_describe_the_forms_for_the_user(api_for, users, village_a, village_b):
    kinds = {
        kind["code"]: kind for kind in api_for(users["tksk"]).get("/api/v1/fieldwork/kinds/").json()
    }
    assert {KIND_DISASTER, KIND_MONTHLY_REPORT} <= set(kinds)
    fields = {field["name"]: field for field in kinds[KIND_DISASTER]["fields"]}
    assert fields["incident_date"]["type"] == "date" and fields["incident_date"]["required"]
    villages = {choice["value"] for choice in fields["village"]["choices"]}
    assert village_a.code in villages and village_b.code not in villages
    assert {c["value"] for c in fields["disaster_type"]["choices"]} == {
        "banjir",
        "tanah_longsor",
        "puting_beliung",
        "kebakaran",
        "gempa",
        "lainnya",
    }
    assert kinds[KIND_DISASTER]["photos"][0]["keeps_location"] is True


def test_daily_entries_through_the_api(api_for, users, village_a):
    client = api_for(users["tksk"])
    body = {
        "client_key": str(uuid.uuid4()),
        "date": timezone.localdate().isoformat(),
        "activity_type": "outreach",
        "description": "Sosialisasi PKH",
        "people_served": 30,
        "village": village_a.code,
    }
    assert client.post("/api/v1/fieldwork/activities/", body, format="json").status_code == 201
    assert client.post("/api/v1/fieldwork/activities/", body, format="json").status_code == 200
    assert ActivityEntry.objects.count() == 1
    bad = client.post(
        "/api/v1/fieldwork/activities/",
        {**body, "client_key": str(uuid.uuid4()), "activity_type": "x"},
        format="json",
    )
    assert bad.status_code == 400 and "activity_type" in bad.json()["errors"]
    assert api_for(users["tksk_b"]).get("/api/v1/fieldwork/activities/").json()["results"] == []


def test_disaster_victim_statistics_for_an_api_client(api_for, users, village_a, village_b):
    approved_disaster(users["tksk"], users["admin"], village_a, persons_affected=40)
    approved_disaster(
        users["tksk_b"],
        users["admin"],
        village_b,
        disaster_type="kebakaran",
        persons_affected=3,
        households_affected=1,
        displaced=1,
        infants=0,
        children=0,
        elderly=0,
        pregnant=0,
    )
    year = timezone.localdate().year
    body = (
        api_for(users["api_client"])
        .get(f"/api/v1/fieldwork/stats/disaster-victims/?year={year}")
        .json()
    )
    rows = {row["code"]: row for row in body["rows"]}
    assert rows["36.02.14"]["cells"]["banjir"] == 40
    assert rows["36.02.01"]["cells"]["kebakaran"] is None  # 3 < 5: suppressed
    assert body["totals"] == {
        "banjir": 40,
        "tanah_longsor": 0,
        "puting_beliung": 0,
        "kebakaran": 3,
        "gempa": 0,
        "lainnya": 0,
    }
    admin = (
        api_for(users["admin"])
        .get(f"/api/v1/fieldwork/stats/disaster-victims/?year={year}&measure=incidents")
        .json()
    )
    assert admin["total"] == 2
    assert (
        api_for(users["admin"])
        .get("/api/v1/fieldwork/stats/disaster-victims/?measure=nonsense")
        .status_code
        == 400
    )
    incidents = api_for(users["api_client"]).get("/api/v1/fieldwork/disaster-incidents/").json()
    assert incidents["count"] == 2 and "description" not in incidents["results"][0]


def test_report_figures_of_the_registry_kinds(api_for, users, village_a):
    submission = submit(users["tksk"], KIND_DISASTER, disaster_payload(village_a))
    review(submission, users["admin"])
    figures = {
        f["kind"]: f for f in api_for(users["admin"]).get("/api/v1/fieldwork/stats/figures/").json()
    }
    assert figures["new_ppks"]["available"] is True
    assert figures["new_ppks"]["by_district"] == {}
    assert figures["verification_visit"]["available"] is True
    assert figures[KIND_DISASTER]["by_district"] == {"36.02.14": 1}
