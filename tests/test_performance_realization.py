"""Realization entry per quarter: the bidang's operator enters it with evidence and notes, the
Kepala Bidang approves or returns it, quarters lock, an administrator reopens one indicator,
and realizations computed from operational data keep where they came from."""

import datetime
import io
import zipfile
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.access import Role
from performance import clock, selectors, services
from performance.models import Evidence, QuarterReopen, Realization
from performance.sources import SourceValue, register_source, unregister_source

from .factories import make_user
from .factories.performance import PDF_BYTES, IndicatorFactory, small_plan, target


def pdf(name="bukti.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def today(monkeypatch):
    """Move the date the quarter locks are computed against."""

    def set_today(value: datetime.date):
        monkeypatch.setattr(clock, "today", lambda: value)

    set_today(datetime.date(2025, 4, 10))  # quarter I 2025 ended, not locked yet
    return set_today


@pytest.fixture
def plan(regions, today):
    return small_plan()


@pytest.fixture
def kabid(users):
    return users["kepala_bidang"]  # linjamsos, the bidang of the plan's indicators


@pytest.mark.django_db
def test_operator_enters_submits_and_head_approves(plan, users, kabid):
    operator = users["operator"]
    draft = services.realization_save(
        actor=operator, indicator=plan.count, year=2025, quarter=1,
        data={"value": D(18), "obstacles": "Hujan deras di Cibeber"},
    )  # fmt: skip
    assert draft.status == Realization.Status.DRAFT and draft.entered_by == operator
    with pytest.raises(ValidationError) as error:
        services.realization_submit(actor=operator, realization=draft, version=draft.version)
    assert "evidence" in error.value.message_dict
    submitted = services.realization_save(
        actor=operator, indicator=plan.count, year=2025, quarter=1, data={"value": D(19)},
        version=draft.version, uploads=[pdf()], submit=True,
    )  # fmt: skip
    assert submitted.status == Realization.Status.SUBMITTED
    assert submitted.evidence.count() == 1
    assert selectors.year_summary(year=2025).indicators[0].realization.value is None
    with pytest.raises(ValidationError):  # a submitted realization is not edited
        services.realization_save(
            actor=operator, indicator=plan.count, year=2025, quarter=1, data={"value": D(1)},
            version=submitted.version,
        )  # fmt: skip
    approved = services.realization_approve(
        actor=kabid, realization=submitted, version=submitted.version
    )
    assert approved.status == Realization.Status.APPROVED and approved.reviewed_by == kabid
    result = selectors.indicator_results(year=2025, indicators=[plan.count])[0]
    assert result.realization.value == 19
    assert result.quarters[0].capaian.value == D("95.00")  # 19 of the quarter's 20
    assert result.notes[0].obstacles == "Hujan deras di Cibeber"


@pytest.mark.django_db
def test_another_division_can_neither_enter_nor_approve(plan, users):
    with pytest.raises(PermissionDenied):
        services.realization_save(
            actor=users["operator_other_bidang"], indicator=plan.count, year=2025, quarter=1,
            data={"value": D(5)},
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.realization_save(
            actor=users["auditor"], indicator=plan.count, year=2025, quarter=1,
            data={"value": D(5)},
        )  # fmt: skip
    row = Realization.objects.create(
        indicator=plan.count, year=2025, quarter=1, value=D(5), status="submitted"
    )
    other_head = make_user(Role.KEPALA_BIDANG, username="t.kabid.rehsos", bidang_code="rehsos")
    with pytest.raises(PermissionDenied):
        services.realization_approve(actor=other_head, realization=row, version=row.version)
    with pytest.raises(PermissionDenied):
        services.realization_approve(actor=users["operator"], realization=row, version=row.version)
    approved = services.realization_approve(
        actor=users["kepala_dinas"], realization=row, version=row.version
    )
    assert approved.status == Realization.Status.APPROVED


@pytest.mark.django_db
def test_returning_needs_a_note_and_reopens_the_entry(plan, users, kabid):
    row = services.realization_save(
        actor=users["operator"], indicator=plan.count, year=2025, quarter=1,
        data={"value": D(20)}, uploads=[pdf()], submit=True,
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.realization_return(actor=kabid, realization=row, version=row.version, note="")
    returned = services.realization_return(
        actor=kabid, realization=row, version=row.version, note="Lampirkan daftar hadir."
    )
    assert returned.status == Realization.Status.RETURNED
    corrected = services.realization_save(
        actor=users["operator"], indicator=plan.count, year=2025, quarter=1,
        data={"value": D(21)}, version=returned.version, submit=True,
    )  # fmt: skip
    assert corrected.status == Realization.Status.SUBMITTED and corrected.review_note == ""


@pytest.mark.django_db
def test_a_missing_figure_is_submitted_with_its_reason(plan, users, kabid):
    row = services.realization_save(
        actor=users["operator"], indicator=plan.rate, year=2025, quarter=1,
        data={"unavailable_reason": "BPS merilis angka kemiskinan pada bulan Juli."}, submit=True,
    )  # fmt: skip
    services.realization_approve(actor=kabid, realization=row, version=row.version)
    result = selectors.indicator_results(year=2025, indicators=[plan.rate])[0]
    assert result.capaian.value == 0
    assert "Juli" in result.capaian.message
    with pytest.raises(ValidationError):  # neither a figure nor a reason
        services.realization_save(
            actor=users["operator"], indicator=plan.count, year=2025, quarter=1, data={},
            submit=True,
        )  # fmt: skip


@pytest.mark.django_db
def test_a_quarter_locks_and_an_administrator_reopens_one_indicator(plan, users, kabid, today):
    submitted = services.realization_save(
        actor=users["operator"], indicator=plan.rate, year=2025, quarter=1,
        data={"value": D("8.3")}, uploads=[pdf()], submit=True,
    )  # fmt: skip
    today(datetime.date(2025, 4, 16))  # 15 days after 31 March
    with pytest.raises(ValidationError) as error:
        services.realization_save(
            actor=users["operator"], indicator=plan.count, year=2025, quarter=1,
            data={"value": D(20)},
        )  # fmt: skip
    assert "16 April 2025" in " ".join(error.value.messages)
    # approving changes no figure: still allowed
    services.realization_approve(actor=kabid, realization=submitted, version=submitted.version)
    with pytest.raises(PermissionDenied):
        services.quarter_reopen(
            actor=users["kepala_dinas"], indicator=plan.count, year=2025, quarter=1,
            reason="Data susulan", days=5,
        )  # fmt: skip
    with pytest.raises(ValidationError):
        services.quarter_reopen(
            actor=users["admin"], indicator=plan.count, year=2025, quarter=1, reason="", days=5
        )
    reopen = services.quarter_reopen(
        actor=users["admin"], indicator=plan.count, year=2025, quarter=1,
        reason="Data kecamatan Cibeber terlambat karena banjir.", days=5,
    )  # fmt: skip
    assert reopen.open_until == datetime.date(2025, 4, 21)
    row = services.realization_save(
        actor=users["operator"], indicator=plan.count, year=2025, quarter=1,
        data={"value": D(20)},
    )  # fmt: skip
    assert row.value == 20
    with pytest.raises(ValidationError):  # only that indicator was opened
        services.realization_save(
            actor=users["operator"], indicator=plan.rate, year=2025, quarter=1,
            data={"obstacles": "x"}, version=submitted.version,
        )  # fmt: skip
    today(datetime.date(2025, 4, 22))
    with pytest.raises(ValidationError):
        services.realization_save(
            actor=users["operator"], indicator=plan.count, year=2025, quarter=1,
            data={"value": D(21)}, version=row.version,
        )  # fmt: skip
    assert QuarterReopen.objects.get().reason.startswith("Data kecamatan")


@pytest.mark.django_db
def test_lock_days_are_a_setting(plan, users, today):
    setting = selectors.performance_settings()
    services.settings_update(
        actor=users["admin"], version=setting.version, data={"lock_days": 30, "evidence_max_mb": 10}
    )
    today(datetime.date(2025, 4, 25))
    row = services.realization_save(
        actor=users["operator"], indicator=plan.count, year=2025, quarter=1,
        data={"value": D(20)},
    )  # fmt: skip
    assert row.pk
    with pytest.raises(PermissionDenied):
        services.settings_update(actor=users["kepala_dinas"], version=2, data={"lock_days": 1})


@pytest.mark.django_db
def test_a_quarter_that_has_not_started_takes_no_entry(plan, users):
    with pytest.raises(ValidationError) as error:
        services.realization_save(
            actor=users["operator"], indicator=plan.count, year=2025, quarter=3,
            data={"value": D(1)},
        )  # fmt: skip
    assert "belum dimulai" in " ".join(error.value.messages)


@pytest.mark.django_db
def test_a_percentage_takes_numerator_and_denominator(plan, users):
    indicator = IndicatorFactory(sasaran=plan.sasaran, code="IND-C", unit="%", aggregation="ratio")
    target(plan.agreement, indicator, 90, (90, 90, 90, 90))
    with pytest.raises(ValidationError) as error:
        services.realization_save(
            actor=users["operator"], indicator=indicator, year=2025, quarter=1,
            data={"value": D(90)},
        )  # fmt: skip
    assert "numerator" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.realization_save(
            actor=users["operator"], indicator=indicator, year=2025, quarter=1,
            data={"numerator": D(5), "denominator": D(0)},
        )  # fmt: skip
    assert "denominator" in error.value.message_dict
    row = services.realization_save(
        actor=users["operator"], indicator=indicator, year=2025, quarter=1,
        data={"numerator": D(45), "denominator": D(50)},
    )  # fmt: skip
    assert row.value == D("90.00")


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.django_db
def test_evidence_is_checked_by_content_and_size(plan, users):
    def save(upload):
        return services.realization_save(
            actor=users["operator"], indicator=plan.count, year=2025, quarter=1,
            data={"value": D(20)}, uploads=[upload],
        )  # fmt: skip

    with pytest.raises(ValidationError) as error:
        save(SimpleUploadedFile("laporan.pdf", b"MZ\x90\x00 not a pdf at all"))
    assert "laporan.pdf" in error.value.messages[0]
    with pytest.raises(ValidationError):  # a PNG named .pdf
        save(SimpleUploadedFile("foto.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 20))
    with pytest.raises(ValidationError):
        save(SimpleUploadedFile("kosong.pdf", b""))
    with pytest.raises(ValidationError) as error:
        save(pdf(content=PDF_BYTES + b"0" * (11 * 1024 * 1024)))
    assert "MB" in error.value.messages[0]
    assert not Realization.objects.exists()  # nothing half-written
    row = save(SimpleUploadedFile("notulen.docx", _docx()))
    evidence = row.evidence.get()
    assert evidence.content_type.endswith("wordprocessingml.document")
    assert evidence.original_name == "notulen.docx"
    assert "notulen" not in evidence.file.name  # the stored name is random


@pytest.mark.django_db
def test_evidence_is_served_only_through_the_access_check(plan, users, client_for):
    row = services.realization_save(
        actor=users["operator"], indicator=plan.count, year=2025, quarter=1,
        data={"value": D(20)}, uploads=[pdf()],
    )  # fmt: skip
    evidence = Evidence.objects.get(realization=row)
    url = f"/kinerja/bukti/{evidence.pk}/"
    response = client_for(users["operator"]).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"].startswith("attachment")
    assert client_for(users["auditor"]).get(url).status_code == 200
    assert client_for(users["api_client"]).get(url).status_code == 404
    assert client_for(users["tksk"]).get(url).status_code == 403
    # removing: the bidang's operator, while the entry is a draft
    response = client_for(users["operator_other_bidang"]).post(f"{url}hapus/")
    assert response.status_code == 404
    assert client_for(users["operator"]).post(f"{url}hapus/").status_code == 302
    assert not Evidence.objects.exists()


@pytest.fixture
def counted_source():
    calls = []

    def compute(year, quarter):
        calls.append((year, quarter))
        return SourceValue(
            value=D(42),
            provenance=f"42 kunjungan verifikasi disetujui pada triwulan {quarter} {year}",
            details={"visits": 42},
        )

    register_source("tests.visits", "Kunjungan verifikasi disetujui", compute)
    yield calls
    unregister_source("tests.visits")


@pytest.mark.django_db
def test_a_realization_computed_from_operational_data(plan, users, kabid, counted_source):
    indicator = IndicatorFactory(sasaran=plan.sasaran, code="IND-V", source_code="tests.visits")
    target(plan.agreement, indicator, 160, (40, 40, 40, 40))
    with pytest.raises(ValidationError):  # not typed
        services.realization_save(
            actor=users["operator"], indicator=indicator, year=2025, quarter=1,
            data={"value": D(50)},
        )  # fmt: skip
    row = services.realization_compute(
        actor=users["operator"], indicator=indicator, year=2025, quarter=1
    )
    assert counted_source == [(2025, 1)]
    assert row.value == 42 and row.source_code == "tests.visits"
    assert "kunjungan verifikasi" in row.provenance
    row = services.realization_submit(actor=users["operator"], realization=row, version=row.version)
    services.realization_approve(actor=kabid, realization=row, version=row.version)
    result = selectors.indicator_results(year=2025, indicators=[indicator])[0]
    assert result.provenance == [(1, "tests.visits", row.provenance)]
    with pytest.raises(ValidationError):
        services.realization_compute(
            actor=users["operator"], indicator=plan.count, year=2025, quarter=1
        )


@pytest.mark.django_db
def test_the_entry_page_shows_where_a_figure_came_from(plan, users, client_for, counted_source):
    indicator = IndicatorFactory(sasaran=plan.sasaran, code="IND-V", source_code="tests.visits")
    client = client_for(users["operator"])
    url = f"/kinerja/realisasi/{indicator.pk}/2025/1/"
    assert client.post(f"{url}hitung/").status_code == 302
    html = client.get(url).content.decode()
    assert "42 kunjungan verifikasi disetujui" in html
    assert "tests.visits" in html


@pytest.mark.django_db
def test_the_budget_absorption_source_reads_the_budget(plan):
    from performance.sources import budget_absorption

    from .factories.performance import budget_line

    budget_line(plan.renstra, 2025, "1.06.04.2.01.0001", 1000000, [(1, 100000), (2, 150000),
                                                                   (5, 500000)])  # fmt: skip
    first = budget_absorption(2025, 1)
    assert first.value == D("25.00")
    assert "Rp250.000" in first.provenance
    assert budget_absorption(2025, 2).value == D("75.00")
    assert budget_absorption(2030, 1).value is None


@pytest.mark.django_db
def test_the_history_on_the_entry_page_reads_in_indonesian_formats(plan, users, client_for):
    """The entry page turns number localization off for its own figures; the history of the
    row still reads 93,75 and 5 April 2025, not 93.7500 and 'April 5, 2025, 10 a.m.', and
    shows no database key."""
    from django.utils import timezone

    from .factories.performance import realization

    realization(
        plan.count,
        2025,
        1,
        status="submitted",
        value="93.7500",
        submitted_at=timezone.make_aware(datetime.datetime(2025, 4, 5, 10, 0)),
        entered_by=users["operator"],
    )
    html = client_for(users["operator"]).get(f"/kinerja/realisasi/{plan.count.pk}/2025/1/")
    history = html.content.decode().split('class="table table-sm align-top app-history')[1]
    assert "Realisasi</span>: 93,75</li>" in history
    assert "Diajukan pada</span>: 5 April 2025, 10.00</li>" in history
    assert "93.7500" not in history and "a.m" not in history
    assert ">ID</span>" not in history
