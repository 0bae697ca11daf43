"""The registry's household page shows the household's field visits: the field forms about the
household or its members (verification visits, new PPKS, aid monitoring, referrals and their
follow-ups), with the scope of the inbox, masked names, a bounded number of queries, and a link
to the inbox filtered on the household."""

import datetime
import io
import random
import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.access import PERMISSIONS, Domain, Role
from beneficiaries.demo import nik_for
from beneficiaries.models import Household
from fieldwork import selectors
from fieldwork.integrations import household_visits_panel
from fieldwork.kinds import KIND_NEW_PPKS, KIND_VERIFICATION_VISIT
from fieldwork.models import Submission
from regions.models import District
from welfare.formatting import mask_name

from .factories import make_user
from .factories.beneficiaries import HouseholdFactory, PersonFactory
from .factories.fieldwork import (
    KIND_DISASTER,
    KIND_REFERRAL,
    KIND_REFERRAL_FOLLOWUP,
    disaster_payload,
    photo_upload,
    referral_payload,
    review,
    submit,
)

pytestmark = pytest.mark.django_db
WIFE = "Siti Rohmah Uji"


def _today():
    return timezone.localdate().isoformat()


def _days_ago(days):
    return (timezone.localdate() - datetime.timedelta(days=days)).isoformat()


def _visit(user, household, days_ago=0, **overrides):
    payload = {
        "visit_date": _days_ago(days_ago),
        "no_kk": household.no_kk,
        "finding": "found",
        "still_eligible": "yes",
        "latitude": "",
        "longitude": "",
        "note": "",
    }
    payload.update(overrides)
    return submit(user, KIND_VERIFICATION_VISIT, payload, files={"house_photo": [photo_upload()]})


def _page(client, household):
    response = client.get(reverse("beneficiaries:household_detail", args=[household.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _panel(html):
    """The field visits section of the household page ('' when it is not shown)."""
    found = re.search(r'<section[^>]*data-panel="fieldwork".*?</section>', html, re.S)
    return found.group(0) if found else ""


def _visit_ids(html):
    return {int(pk) for pk in re.findall(r'data-visit="(\d+)"', html)}


@pytest.fixture
def visited(users, village_a):
    """Household H (head and wife) with a verification visit (approved), a referral of the wife
    (approved) and its follow-up (waiting); household O with a visit of its own; a disaster
    report that names nobody."""
    household = HouseholdFactory(village=village_a)
    PersonFactory(household=household, birth_date=datetime.date(1958, 2, 3))
    wife = PersonFactory(
        household=household,
        name=WIFE,
        relationship="pasangan",
        sex="P",
        birth_date=datetime.date(1961, 7, 8),
    )
    other = HouseholdFactory(village=village_a)
    tksk = users["tksk"]
    visit = _visit(tksk, household, days_ago=3)
    review(visit, users["kepala_bidang"])
    referral = submit(
        tksk,
        KIND_REFERRAL,
        referral_payload(village_a, nik=wife.nik, person_name=WIFE, referral_date=_days_ago(2)),
    )
    review(referral, users["admin"])
    referral.refresh_from_db()
    followup = submit(
        tksk,
        KIND_REFERRAL_FOLLOWUP,
        {
            "referral": str(referral.referral.pk),
            "followup_date": _today(),
            "status": "in_progress",
            "note": "Sudah diantar ke puskesmas.",
        },
    )
    other_visit = _visit(tksk, other, days_ago=1)
    disaster = submit(tksk, KIND_DISASTER, disaster_payload(village_a))
    return {
        "household": household,
        "wife": wife,
        "other": other,
        "visit": visit,
        "referral": referral,
        "followup": followup,
        "other_visit": other_visit,
        "disaster": disaster,
    }


def test_household_page_lists_its_field_visits(client_for, users, visited):
    household = visited["household"]
    panel = _panel(_page(client_for(users["operator"]), household))
    assert "Kunjungan lapangan" in panel
    # Newest first: the follow-up (today), the referral (2 days ago), the visit (3 days ago).
    ids = [int(pk) for pk in re.findall(r'data-visit="(\d+)"', panel)]
    assert ids == [visited["followup"].pk, visited["referral"].pk, visited["visit"].pk]
    for key in ("followup", "referral", "visit"):
        assert reverse("fieldwork:submission_detail", args=[visited[key].pk]) in panel
    assert "Kunjungan verifikasi keluarga" in panel and "Tindak lanjut rujukan" in panel
    assert "Disetujui" in panel and "Dikirim" in panel
    # Who sent it, and what the approval changed.
    assert str(users["tksk"]) in panel
    # The referral and its follow-up are about the wife: named (full for an operator), linked.
    assert WIFE in panel
    assert reverse("beneficiaries:person_detail", args=[visited["wife"].pk]) in panel
    # Not the other household's visit, not a disaster report.
    assert visited["other_visit"].pk not in ids and visited["disaster"].pk not in ids
    inbox = reverse("fieldwork:inbox")
    assert f"{inbox}?status=&amp;household={household.pk}" in panel

    other_panel = _panel(_page(client_for(users["operator"]), visited["other"]))
    assert _visit_ids(other_panel) == {visited["other_visit"].pk}


def test_approved_changes_are_listed_with_the_visit(client_for, users, village_a):
    household = HouseholdFactory(village=village_a)
    visit = _visit(users["tksk"], household, finding="moved", still_eligible="")
    review(visit, users["kepala_bidang"])
    panel = _panel(_page(client_for(users["operator"]), household))
    assert _visit_ids(panel) == {visit.pk}
    assert "Keluarga: Pindah." in panel


def test_names_are_masked_for_roles_without_personal_data(client_for, users, visited):
    panel = _panel(_page(client_for(users["auditor"]), visited["household"]))
    assert _visit_ids(panel) == {
        visited["followup"].pk,
        visited["referral"].pk,
        visited["visit"].pk,
    }
    assert WIFE not in panel and mask_name(WIFE) in panel


def test_a_tksk_sees_only_the_forms_they_sent(client_for, users, visited, district_a):
    household = visited["household"]
    own = _panel(_page(client_for(users["tksk"]), household))
    assert _visit_ids(own) == {
        visited["followup"].pk,
        visited["referral"].pk,
        visited["visit"].pk,
    }
    assert "hanya yang Anda kirim" in own
    # Another TKSK of the same kecamatan (the next one, say) sees the household, not the forms.
    successor = make_user(Role.TKSK, username="t.tksk.a2", district=district_a)
    theirs = _panel(_page(client_for(successor), household))
    assert _visit_ids(theirs) == set()
    assert "Anda belum mengirim formulir lapangan" in theirs


def test_outside_the_region_scope_nothing_is_shown(client_for, users, visited):
    household = visited["household"]
    # The TKSK of kecamatan B cannot open the household at all ...
    response = client_for(users["tksk_b"]).get(
        reverse("beneficiaries:household_detail", args=[household.pk])
    )
    assert response.status_code == 404
    # ... and the panel itself, asked directly, shows none of A's forms to them.
    request = RequestFactory().get("/")
    request.user = users["tksk_b"]
    html = household_visits_panel(request, household)
    assert html is not None and _visit_ids(html) == set()
    # Nor does the inbox filtered on that household: out of scope is not found.
    inbox = client_for(users["tksk_b"]).get(
        reverse("fieldwork:inbox"), {"status": "", "household": household.pk}
    )
    assert inbox.status_code == 404


def test_without_field_work_permission_there_is_no_panel(client_for, users, visited, monkeypatch):
    household = visited["household"]
    auditor = dict(PERMISSIONS[Role.AUDITOR])
    auditor.pop(Domain.FIELDWORK)
    monkeypatch.setitem(PERMISSIONS, Role.AUDITOR, auditor)
    html = _page(client_for(users["auditor"]), household)
    assert 'data-panel="fieldwork"' not in html
    assert 'data-panel="programs"' in html  # the rest of the page is there
    # An API client gets no personal rows: no panel either.
    request = RequestFactory().get("/")
    request.user = users["api_client"]
    assert household_visits_panel(request, household) is None
    assert selectors.household_visits(user=users["api_client"], household=household) is None


def test_empty_panel_says_so(client_for, users, village_a):
    household = HouseholdFactory(village=village_a)
    panel = _panel(_page(client_for(users["operator"]), household))
    assert "Belum ada formulir lapangan tentang keluarga ini" in panel


def _panel_queries(user, household):
    request = RequestFactory().get("/")
    request.user = user
    with CaptureQueriesContext(connection) as queries:
        html = household_visits_panel(request, household)
    return len(queries), html


def test_panel_queries_do_not_grow_with_the_forms(users, village_a, django_assert_max_num_queries):
    household = HouseholdFactory(village=village_a)
    members = [
        PersonFactory(household=household, birth_date=datetime.date(1980 + n, 1, 5))
        for n in range(4)
    ]
    _visit(users["tksk"], household)
    few, html = _panel_queries(users["operator"], household)
    assert len(_visit_ids(html)) == 1
    for n in range(6):
        visit = _visit(users["tksk"], household, days_ago=n + 1)
        if n % 2:
            review(visit, users["kepala_bidang"])
    for member in members:
        submit(
            users["tksk"],
            KIND_REFERRAL,
            referral_payload(village_a, nik=member.nik, person_name=member.name),
        )
    many, html = _panel_queries(users["operator"], household)
    assert len(_visit_ids(html)) == 11
    assert many == few
    with django_assert_max_num_queries(8):
        _panel_queries(users["operator"], household)


def test_the_newest_are_shown_with_a_link_to_all(client_for, users, village_a):
    household = HouseholdFactory(village=village_a)
    sent = [_visit(users["tksk"], household, days_ago=n) for n in range(23)]
    panel = _panel(_page(client_for(users["operator"]), household))
    assert _visit_ids(panel) == {s.pk for s in sent[: selectors.HOUSEHOLD_VISITS_LIMIT]}
    assert "20 formulir lapangan terbaru dari 23" in panel

    inbox = client_for(users["operator"]).get(
        reverse("fieldwork:inbox"), {"status": "", "household": household.pk}
    )
    assert inbox.status_code == 200
    listed = set(map(int, re.findall(r'data-submission="(\d+)"', inbox.content.decode())))
    assert listed == {s.pk for s in sent}
    assert "Kembali ke keluarga" in inbox.content.decode()


def test_inbox_and_api_filter_on_the_household(client_for, api_for, users, visited):
    household = visited["household"]
    about = {visited[key].pk for key in ("visit", "referral", "followup")}
    inbox = client_for(users["operator"]).get(
        reverse("fieldwork:inbox"), {"status": "", "household": household.pk}
    )
    html = inbox.content.decode()
    assert set(map(int, re.findall(r'data-submission="(\d+)"', html))) == about
    assert household.no_kk in html  # the operator sees the No. KK in full
    auditor = client_for(users["auditor"]).get(
        reverse("fieldwork:inbox"), {"status": "", "household": household.pk}
    )
    assert household.no_kk not in auditor.content.decode()  # masked

    url = "/api/v1/fieldwork/submissions/"
    answer = api_for(users["operator"]).get(url, {"household": household.pk})
    assert answer.status_code == 200
    assert {row["id"] for row in answer.json()["results"]} == about
    # A TKSK of kecamatan B may not name a household of A; bad input is refused.
    refused = api_for(users["tksk_b"]).get(url, {"household": household.pk})
    assert refused.status_code == 400 and "household" in refused.json()["errors"]
    assert api_for(users["operator"]).get(url, {"household": "abc"}).status_code == 400
    assert api_for(users["operator"]).get(url, {"household": "9" * 30}).status_code == 400
    missing = client_for(users["operator"]).get(
        reverse("fieldwork:inbox"), {"household": "999999999"}
    )
    assert missing.status_code == 404


def test_forms_named_by_nik_or_by_an_approved_change(users, village_a):
    """A new PPKS form for a member (by NIK) counts; so does a form whose approval changed the
    household even after its No. KK was corrected."""
    household = HouseholdFactory(village=village_a)
    head = PersonFactory(household=household, birth_date=datetime.date(1950, 4, 12))
    from beneficiaries.models import PpksCategory

    ppks = submit(
        users["tksk"],
        KIND_NEW_PPKS,
        {
            "found_on": _today(),
            "unit": "person",
            "category": str(PpksCategory.objects.get(code="lanjut_usia_terlantar").pk),
            "village": village_a.code,
            "nik": head.nik,
            "name": head.name,
            "sex": head.sex,
            "birth_place": "Lebak",
            "birth_date": head.birth_date.isoformat(),
            "address": "",
            "situation": "Tinggal sendiri.",
        },
        files={"photo": [photo_upload()]},
    )
    visit = _visit(users["tksk"], household, days_ago=1, finding="not_found", still_eligible="")
    review(visit, users["kepala_bidang"])
    Household.objects.filter(pk=household.pk).update(no_kk=household.no_kk[:-4] + "9999")
    household.refresh_from_db()
    visits = selectors.household_visits(user=users["operator"], household=household)
    assert [(v.submission.pk, v.member) for v in visits.visits] == [
        (ppks.pk, (head.pk, head.name)),
        (visit.pk, None),
    ]
    assert visits.total == 2
    assert Submission.objects.count() == 2


def test_demo_household_pages_show_visits(client_for, users):
    from accounts import demo as accounts_demo
    from beneficiaries import demo as registry_demo
    from fieldwork import demo
    from programs import demo as programs_demo

    out = io.StringIO()
    accounts_demo.seed(stdout=out)
    registry_demo.seed(stdout=out)
    programs_demo.seed(stdout=out)
    demo.seed(stdout=out)
    kinds = set(Submission.objects.values_list("kind", flat=True))
    assert {"new_ppks", "verification_visit", "aid_monitoring"} <= kinds
    visited_household = Household.objects.get(
        no_kk=Submission.objects.filter(kind="verification_visit", status="approved")
        .order_by("pk")
        .first()
        .payload["no_kk"]
    )
    visits = Submission.objects.filter(kind="verification_visit")
    assert set(visits.values_list("status", flat=True)) == {"approved", "submitted", "returned"}
    assert not Submission.objects.filter(
        kind__in=["new_ppks", "aid_monitoring"], status__in=["submitted", "returned"]
    ).exists()  # both approved
    new_member = visited_household.members.get(
        nik=nik_for(visited_household.district_id, datetime.date(1946, 3, 17), "P", 9901)
    )
    assert new_member.source == "tksk"
    panel = _panel(_page(client_for(users["operator"]), visited_household))
    assert "Kunjungan verifikasi keluarga" in panel and "Temuan PPKS baru" in panel
    assert len(_visit_ids(panel)) == 2 and "Disetujui" in panel
    assert reverse("beneficiaries:person_detail", args=[new_member.pk]) in panel
    assert "terverifikasi melalui kunjungan" in panel  # what the approval changed
    monitored = Household.objects.get(
        no_kk=Submission.objects.get(kind="aid_monitoring").payload["recipient_number"]
    )
    assert "Pemantauan penyaluran bantuan" in _panel(
        _page(client_for(users["operator"]), monitored)
    )
    # Idempotent: the same forms are not sent twice (the rest of the demo is checked in
    # test_fieldwork_demo).
    count = Submission.objects.count()
    district = District.objects.get(name="Rangkasbitung", regency_id="36.02")
    assert demo._registry_forms(district, timezone.now(), random.Random(1)) == 0
    assert Submission.objects.count() == count
