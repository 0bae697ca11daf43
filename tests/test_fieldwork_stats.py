"""Figures for the reports: disaster victims per kecamatan and type, and the hook for the
figures that come with the registry's forms (PPKS identified, verification visits)."""

import datetime

import pytest
from django.utils import timezone

from fieldwork import selectors
from fieldwork.field_forms import FieldForm, PastDateField
from fieldwork.kinds import (
    KIND_DISASTER,
    SubmissionKind,
    register_kind,
    unregister_kind,
)
from fieldwork.models import DisasterIncident

from .factories.fieldwork import approved_disaster, disaster_payload, review, submit

pytestmark = pytest.mark.django_db


def test_disaster_victims_per_kecamatan_and_type(
    users, village_a, village_b, django_assert_max_num_queries
):
    approved_disaster(users["tksk"], users["admin"], village_a, persons_affected=40, houses_light=6)
    approved_disaster(
        users["tksk"], users["admin"], village_a, disaster_type="tanah_longsor", persons_affected=12
    )
    approved_disaster(
        users["tksk_b"],
        users["admin"],
        village_b,
        disaster_type="puting_beliung",
        persons_affected=30,
    )
    waiting = submit(users["tksk"], KIND_DISASTER, disaster_payload(village_a, persons_affected=99))
    rejected = submit(
        users["tksk"], KIND_DISASTER, disaster_payload(village_a, persons_affected=77)
    )
    review(rejected, users["admin"], "reject", "ganda")
    old = approved_disaster(users["tksk"], users["admin"], village_a, persons_affected=500)
    DisasterIncident.objects.filter(pk=old.pk).update(occurred_on=datetime.date(2020, 5, 1))
    assert waiting.status == "submitted"

    year = timezone.localdate().year
    with django_assert_max_num_queries(2):
        matrix = selectors.disaster_victims(user=users["admin"], year=year)
    rows = {row.code: row for row in matrix.rows}
    assert len(matrix.rows) == 28
    assert rows["36.02.14"].cells["banjir"] == 40 and rows["36.02.14"].cells["tanah_longsor"] == 12
    assert rows["36.02.14"].total == 52 and rows["36.02.01"].cells["puting_beliung"] == 30
    assert matrix.totals["banjir"] == 40 and matrix.total == 82
    houses = selectors.disaster_victims(user=users["admin"], year=year, measure="houses_damaged")
    assert houses.totals["banjir"] == 1 + 2 + 6  # heavy + moderate + light
    incidents = selectors.disaster_victims(user=users["admin"], year=year, measure="incidents")
    assert incidents.total == 3
    assert selectors.disaster_victims(user=users["admin"], year=2020).total == 500
    own = selectors.disaster_victims(user=users["tksk"], year=year)
    assert [row.code for row in own.rows] == ["36.02.14"] and own.total == 52


def test_a_registered_kind_feeds_its_figure(users, village_a):
    code = "uji_figure"
    assert selectors.kind_figure(code, user=users["admin"]).available is False

    class NewPpksForm(FieldForm):
        date_field = "found_on"
        found_on = PastDateField(label="Ditemukan")

    def persons(queryset):
        counts = {}
        for district, payload in queryset.values_list("district_id", "payload"):
            counts[district] = counts.get(district, 0) + int(payload.get("persons", 0) or 3)
        return counts

    kind = register_kind(
        SubmissionKind(
            code=code,
            label="PPKS baru",
            description="uji",
            icon="person-plus",
            form_class=NewPpksForm,
            bidang_code="linjamsos",
            figure=persons,
            figure_label="PPKS teridentifikasi",
        )
    )
    try:
        found = submit(
            users["tksk"],
            code,
            {"found_on": timezone.localdate().isoformat(), "village": village_a.code},
        )
        figure = selectors.kind_figure(code, user=users["admin"])
        assert figure.available and figure.total == 0  # not approved yet
        review(found, users["admin"])
        figure = selectors.kind_figure(code, user=users["admin"])
        assert figure.by_district == {"36.02.14": 3} and figure.label == "PPKS teridentifikasi"
        # The registry kinds are registered on start (fieldwork.registry_kinds).
        assert selectors.ppks_identified_by_district(user=users["admin"]).available is True
        assert selectors.verification_visits_by_district(user=users["admin"]).available is True
    finally:
        unregister_kind(kind.code)
