"""Deleting a goal, an objective, an indicator or a budget line entered by mistake: the services
refuse an item whose dependants carry data (naming them), keep the deletion in the history with
the user and the reason, and check the role and the unit keeping the plan; the confirmation
pages and the API go through them."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.access import Role
from performance import clock, services
from performance.models import (
    AgreementTarget,
    BudgetLine,
    BudgetRealization,
    Indicator,
    Program,
    QuarterReopen,
    RenstraTarget,
    Sasaran,
    SasaranProgram,
    Tujuan,
)
from welfare.concurrency import ConcurrentUpdateError

from .factories import make_user
from .factories.performance import (
    IndicatorFactory,
    RenstraFactory,
    SasaranFactory,
    TujuanFactory,
    budget_line,
    evidence,
    realization,
    renstra_targets,
    small_plan,
)

REASON = "Salah input, tujuan ganda"


@pytest.fixture
def plan(regions, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: datetime.date(2025, 4, 10))
    return small_plan()


@pytest.fixture
def planner(regions):
    """An operator of the Sekretariat, the unit keeping the plan (Subbagian Program)."""
    return make_user(Role.OPERATOR, username="t.perencana", bidang_code="sekretariat")


def deleted_entry(model, pk):
    """The history entry of a deletion (the newest entry of the record)."""
    entry = model.history.filter(id=pk).order_by("-history_id").first()
    assert entry is not None and entry.history_type == "-", entry
    return entry


def spare_tujuan(plan):
    return TujuanFactory(renstra=plan.renstra, code="T9", name="Tujuan salah input")


def spare_sasaran(plan):
    return SasaranFactory(tujuan=plan.tujuan, renstra=plan.renstra, code="S9")


def spare_indicator(plan):
    indicator = IndicatorFactory(sasaran=plan.sasaran, code="IND-X", name="Indikator salah")
    renstra_targets(indicator, {2025: 10, 2026: 12})
    return indicator


# --- Deleted: no dependants that carry data -------------------------------------------------


@pytest.mark.django_db
def test_a_goal_without_dependants_is_deleted_with_user_and_reason(plan, planner):
    tujuan = spare_tujuan(plan)
    pk = tujuan.pk
    services.tujuan_delete(actor=planner, tujuan=tujuan, version=tujuan.version, reason=REASON)
    assert not Tujuan.objects.filter(pk=pk).exists()
    entry = deleted_entry(Tujuan, pk)
    assert (entry.history_user, entry.history_change_reason) == (planner, REASON)
    assert (entry.code, entry.name) == ("T9", "Tujuan salah input")


@pytest.mark.django_db
def test_an_objective_goes_with_its_program_links_and_the_program_stays(plan, planner):
    sasaran = spare_sasaran(plan)
    program = Program.objects.get(code="1.06.05")
    link = SasaranProgram.objects.create(renstra=plan.renstra, sasaran=sasaran, program=program)
    pk, link_pk = sasaran.pk, link.pk
    services.sasaran_delete(
        actor=planner, sasaran=sasaran, version=sasaran.version, reason="  Dobel  "
    )
    assert not Sasaran.objects.filter(pk=pk).exists()
    assert not SasaranProgram.objects.filter(pk=link_pk).exists()
    assert Program.objects.filter(pk=program.pk).exists()
    assert deleted_entry(Sasaran, pk).history_change_reason == "Dobel"
    link_entry = deleted_entry(SasaranProgram, link_pk)
    assert (link_entry.history_user, link_entry.history_change_reason) == (planner, "Dobel")
    # The sasaran of the plan keeps its own program.
    assert SasaranProgram.objects.filter(sasaran=plan.sasaran).count() == 1


@pytest.mark.django_db
def test_an_indicator_goes_with_its_renstra_targets_and_reopenings(plan, planner):
    indicator = spare_indicator(plan)
    QuarterReopen.objects.create(
        indicator=indicator, year=2025, quarter=1, reason="Terlambat",
        open_until=datetime.date(2025, 4, 30), opened_by=planner,
    )  # fmt: skip
    target_ids = list(indicator.renstra_targets.values_list("pk", flat=True))
    pk = indicator.pk
    services.indicator_delete(
        actor=planner, indicator=indicator, version=indicator.version, reason=REASON
    )
    assert not Indicator.objects.filter(pk=pk).exists()
    assert len(target_ids) == 2 and not RenstraTarget.objects.filter(pk__in=target_ids).exists()
    assert not QuarterReopen.objects.filter(indicator_id=pk).exists()
    entry = deleted_entry(Indicator, pk)
    assert (entry.history_user, entry.history_change_reason, entry.code) == (
        planner,
        REASON,
        "IND-X",
    )
    for pk in target_ids:
        assert deleted_entry(RenstraTarget, pk).history_change_reason == REASON
    # The other indicators of the plan are untouched.
    assert Indicator.objects.filter(renstra=plan.renstra).count() == 2


@pytest.mark.django_db
def test_a_budget_line_without_realization_is_deleted(plan, planner):
    line = budget_line(plan.renstra, 2025, "1.06.04.2.01.0001", 60000000, [(1, 0)])
    pk, month_pk = line.pk, line.months.get().pk
    services.budget_line_delete(actor=planner, line=line, version=line.version, reason=REASON)
    assert not BudgetLine.objects.filter(pk=pk).exists()
    assert not BudgetRealization.objects.filter(pk=month_pk).exists()
    assert deleted_entry(BudgetRealization, month_pk).history_user == planner
    entry = deleted_entry(BudgetLine, pk)
    assert (entry.history_user, entry.history_change_reason) == (planner, REASON)
    assert entry.pagu_murni == D("60000000")


# --- Refused: dependants that carry data ----------------------------------------------------


def refused(call) -> str:
    with pytest.raises(services.DeletionRefused) as error:
        call()
    return " ".join(error.value.messages)


@pytest.mark.django_db
def test_a_goal_with_objectives_or_indicators_is_refused(plan, planner):
    message = refused(
        lambda: services.tujuan_delete(
            actor=planner, tujuan=plan.tujuan, version=plan.tujuan.version, reason=REASON
        )
    )
    assert message.startswith(
        "Tujuan ini masih memiliki 1 sasaran (S1), sehingga tidak dapat dihapus."
    )
    lone = spare_tujuan(plan)
    IndicatorFactory(renstra=plan.renstra, level="tujuan", tujuan=lone, sasaran=None, code="IT-1")
    message = refused(
        lambda: services.tujuan_delete(
            actor=planner, tujuan=lone, version=lone.version, reason=REASON
        )
    )
    assert "1 indikator (IT-1)" in message
    assert Tujuan.objects.filter(pk__in=[plan.tujuan.pk, lone.pk]).count() == 2
    assert not Tujuan.history.filter(history_type="-").exists()


@pytest.mark.django_db
def test_an_objective_with_indicators_is_refused(plan, planner):
    message = refused(
        lambda: services.sasaran_delete(
            actor=planner, sasaran=plan.sasaran, version=plan.sasaran.version, reason=REASON
        )
    )
    assert message.startswith(
        "Sasaran ini masih memiliki 2 indikator (IND-A, IND-B), sehingga tidak dapat dihapus."
    )
    assert Sasaran.objects.filter(pk=plan.sasaran.pk).exists()
    assert SasaranProgram.objects.filter(sasaran=plan.sasaran).exists()


@pytest.mark.django_db
def test_an_indicator_with_agreement_targets_is_refused(plan, planner):
    message = refused(
        lambda: services.indicator_delete(
            actor=planner, indicator=plan.count, version=plan.count.version, reason=REASON
        )
    )
    assert message.startswith(
        "Indikator ini masih memiliki 1 target Perjanjian Kinerja (PK Murni 2025), sehingga "
        "tidak dapat dihapus."
    )
    assert "halaman target PK" in message
    assert Indicator.objects.filter(pk=plan.count.pk).exists()
    assert plan.count.renstra_targets.count() == 5


@pytest.mark.django_db
def test_an_indicator_with_realizations_and_evidence_is_refused(plan, planner):
    AgreementTarget.objects.filter(indicator=plan.count).delete()
    first = realization(plan.count, 2025, 1, status="approved", value=18)
    realization(plan.count, 2025, 2, status="draft", value=7)
    evidence(first, planner)
    evidence(first, planner, name="foto.pdf")
    message = refused(
        lambda: services.indicator_delete(
            actor=planner, indicator=plan.count, version=plan.count.version, reason=REASON
        )
    )
    assert message.startswith(
        "Indikator ini masih memiliki 2 realisasi (Triwulan I 2025, Triwulan II 2025) dan "
        "2 berkas bukti dukung, sehingga tidak dapat dihapus."
    )
    assert plan.count.realizations.count() == 2


@pytest.mark.django_db
def test_an_indicator_with_targets_and_realizations_names_both(plan, planner):
    realization(plan.rate, 2025, 1, status="draft", value="8.4")
    message = refused(
        lambda: services.indicator_delete(
            actor=planner, indicator=plan.rate, version=plan.rate.version, reason=REASON
        )
    )
    assert "1 target Perjanjian Kinerja (PK Murni 2025) dan 1 realisasi (Triwulan I 2025)" in (
        message
    )


@pytest.mark.django_db
def test_an_indicator_continued_in_a_later_renstra_is_refused(plan, planner):
    indicator = spare_indicator(plan)
    later = RenstraFactory(start_year=2030)
    sasaran = SasaranFactory(renstra=later, tujuan=TujuanFactory(renstra=later), code="S1")
    IndicatorFactory(sasaran=sasaran, code="IND-X2", continues=indicator)
    message = refused(
        lambda: services.indicator_delete(
            actor=planner, indicator=indicator, version=indicator.version, reason=REASON
        )
    )
    assert "1 indikator pada Renstra berikutnya yang melanjutkannya (IND-X2)" in message
    assert Indicator.objects.filter(pk=indicator.pk).exists()


@pytest.mark.django_db
def test_a_budget_line_with_realization_is_refused(plan, planner):
    line = budget_line(
        plan.renstra, 2025, "1.06.04.2.01.0001", 60000000, [(1, 5000000), (2, 0), (3, 2500000)]
    )
    message = refused(
        lambda: services.budget_line_delete(
            actor=planner, line=line, version=line.version, reason=REASON
        )
    )
    assert message.startswith(
        "Baris anggaran ini masih memiliki realisasi anggaran yang tercatat pada 2 bulan "
        "(Januari, Maret; seluruhnya Rp7.500.000), sehingga tidak dapat dihapus."
    )
    assert line.months.count() == 3 and BudgetLine.objects.filter(pk=line.pk).exists()


# --- Who may delete -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["operator", "kepala_bidang", "kepala_dinas", "auditor", "tksk", "api_client"]
)
def test_only_the_unit_keeping_the_plan_deletes(plan, users, role):
    """``operator`` and ``kepala_bidang`` belong to another bidang (Linjamsos) than the unit
    keeping the plan (Sekretariat); the Kepala Dinas and the auditor only read."""
    tujuan = spare_tujuan(plan)
    line = budget_line(plan.renstra, 2025, "1.06.04.2.01.0001", 60000000)
    indicator = spare_indicator(plan)
    user = users[role]
    calls = [
        lambda: services.tujuan_delete(actor=user, tujuan=tujuan, version=0, reason=REASON),
        lambda: services.indicator_delete(
            actor=user, indicator=indicator, version=0, reason=REASON
        ),
        lambda: services.budget_line_delete(actor=user, line=line, version=0, reason=REASON),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert Tujuan.objects.filter(pk=tujuan.pk).exists()
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    assert BudgetLine.objects.filter(pk=line.pk).exists()


@pytest.mark.django_db
def test_an_administrator_deletes(plan, users):
    sasaran = spare_sasaran(plan)
    pk = sasaran.pk
    services.sasaran_delete(
        actor=users["admin"], sasaran=sasaran, version=sasaran.version, reason=REASON
    )
    assert deleted_entry(Sasaran, pk).history_user == users["admin"]


# --- Bad input ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_reason_is_required(plan, planner, reason):
    tujuan = spare_tujuan(plan)
    with pytest.raises(ValidationError) as error:
        services.tujuan_delete(actor=planner, tujuan=tujuan, version=tujuan.version, reason=reason)
    assert error.value.message_dict == {"reason": ["Isi alasan penghapusan."]}
    assert Tujuan.objects.filter(pk=tujuan.pk).exists()


@pytest.mark.django_db
def test_a_reason_longer_than_the_history_keeps_is_refused(plan, planner):
    tujuan = spare_tujuan(plan)
    with pytest.raises(ValidationError) as error:
        services.tujuan_delete(
            actor=planner, tujuan=tujuan, version=tujuan.version, reason="x" * 101
        )
    assert error.value.message_dict["reason"] == [
        "Alasan paling banyak 100 karakter (saat ini 101)."
    ]
    assert Tujuan.objects.filter(pk=tujuan.pk).exists()


@pytest.mark.django_db
def test_a_stale_version_is_refused(plan, planner):
    indicator = spare_indicator(plan)
    seen = indicator.version
    services.indicator_save(
        actor=planner, renstra=plan.renstra, indicator=indicator, version=seen,
        data={"name": "Diubah orang lain"},
    )  # fmt: skip
    with pytest.raises(ConcurrentUpdateError):
        services.indicator_delete(actor=planner, indicator=indicator, version=seen, reason=REASON)
    with pytest.raises(ConcurrentUpdateError):
        services.indicator_delete(actor=planner, indicator=indicator, version=None, reason=REASON)
    assert Indicator.objects.filter(pk=indicator.pk).exists()


# --- Pages ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_confirmation_page_then_deletion_with_a_message(plan, planner, users, client_for):
    tujuan = spare_tujuan(plan)
    client = client_for(planner)
    url = reverse("performance:tujuan_delete", args=[tujuan.pk])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Hapus tujuan" in html and "Tujuan salah input" in html
    assert 'name="reason"' in html and "Alasan penghapusan" in html
    assert f'name="version" value="{tujuan.version}"' in html
    response = client.post(url, {"reason": REASON, "version": tujuan.version}, follow=True)
    assert response.redirect_chain == [
        (reverse("performance:renstra_detail", args=[plan.renstra.pk]), 302)
    ]
    assert "T9. Tujuan salah input telah dihapus." in response.content.decode()
    assert not Tujuan.objects.filter(pk=tujuan.pk).exists()
    assert deleted_entry(Tujuan, tujuan.pk).history_user == planner
    audit = client_for(users["kepala_dinas"]).get("/audit/?model=performance.Tujuan")
    html = audit.content.decode()
    assert REASON in html and planner.get_full_name() in html and "Tujuan salah input" in html


@pytest.mark.django_db
def test_confirmation_page_lists_what_goes_with_the_indicator(plan, planner, client_for):
    indicator = spare_indicator(plan)
    html = client_for(planner).get(f"/kinerja/indikator/{indicator.pk}/hapus/").content.decode()
    assert "Ikut terhapus bersamanya:" in html and "2 target Renstra (2025, 2026)" in html


@pytest.mark.django_db
def test_page_of_an_item_with_dependants_explains_and_deletes_nothing(plan, planner, client_for):
    client = client_for(planner)
    url = reverse("performance:sasaran_delete", args=[plan.sasaran.pk])
    html = client.get(url).content.decode()
    assert "Sasaran ini masih memiliki 2 indikator (IND-A, IND-B)" in html
    assert 'name="reason"' not in html
    response = client.post(url, {"reason": REASON, "version": plan.sasaran.version})
    assert response.status_code == 200
    assert "Sasaran ini masih memiliki 2 indikator" in response.content.decode()
    assert Sasaran.objects.filter(pk=plan.sasaran.pk).exists()


@pytest.mark.django_db
def test_page_without_a_reason_keeps_the_item(plan, planner, client_for):
    line = budget_line(plan.renstra, 2025, "1.06.04.2.01.0001", 60000000)
    url = reverse("performance:budget_delete", args=[line.pk])
    response = client_for(planner).post(url, {"reason": "", "version": line.version})
    assert response.status_code == 200
    assert "Bidang ini harus diisi." in response.content.decode()
    assert BudgetLine.objects.filter(pk=line.pk).exists()
    stale = client_for(planner).post(url, {"reason": REASON, "version": line.version + 1})
    assert stale.status_code == 409
    assert BudgetLine.objects.filter(pk=line.pk).exists()
    done = client_for(planner).post(url, {"reason": REASON, "version": line.version})
    assert done.status_code == 302
    assert done["Location"] == reverse("performance:budget_tree") + "?year=2025"
    assert not BudgetLine.objects.filter(pk=line.pk).exists()


@pytest.mark.django_db
def test_page_refuses_other_roles_and_bidang(plan, users, client_for):
    indicator = spare_indicator(plan)
    url = reverse("performance:indicator_delete", args=[indicator.pk])
    data = {"reason": REASON, "version": indicator.version}
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    for role, expected in [
        ("tksk", 403),
        ("kepala_dinas", 403),
        ("auditor", 403),
        ("operator", 404),  # Linjamsos: the plan is the Sekretariat's
        ("kepala_bidang", 404),
    ]:
        client = client_for(users[role])
        assert client.get(url).status_code == expected, role
        assert client.post(url, data).status_code == expected, role
    assert Client().post(url, data).status_code == 302
    assert Indicator.objects.filter(pk=indicator.pk).exists()


@pytest.mark.django_db
def test_deletion_needs_the_csrf_token(plan, planner):
    tujuan = spare_tujuan(plan)
    client = Client(enforce_csrf_checks=True)
    client.force_login(planner, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("performance:tujuan_delete", args=[tujuan.pk])
    assert client.post(url, {"reason": REASON, "version": tujuan.version}).status_code == 403
    assert Tujuan.objects.filter(pk=tujuan.pk).exists()


@pytest.mark.django_db
def test_delete_buttons_only_for_who_may_delete(plan, users, planner, client_for):
    line = budget_line(plan.renstra, 2025, "1.06.04.2.01.0001", 60000000)
    tujuan_url = reverse("performance:tujuan_delete", args=[plan.tujuan.pk])
    sasaran_url = reverse("performance:sasaran_delete", args=[plan.sasaran.pk])
    indicator_url = reverse("performance:indicator_delete", args=[plan.count.pk])
    budget_url = reverse("performance:budget_delete", args=[line.pk])
    pages = {
        reverse("performance:renstra_detail", args=[plan.renstra.pk]): [tujuan_url, sasaran_url],
        reverse("performance:indicator_detail", args=[plan.count.pk]): [indicator_url],
    }
    edit_pages = {
        reverse("performance:tujuan_edit", args=[plan.tujuan.pk]): tujuan_url,
        reverse("performance:sasaran_edit", args=[plan.sasaran.pk]): sasaran_url,
        reverse("performance:indicator_edit", args=[plan.count.pk]): indicator_url,
        reverse("performance:budget_edit", args=[line.pk]): budget_url,
    }
    planner_client = client_for(planner)
    for page, links in pages.items():
        html = planner_client.get(page).content.decode()
        for link in links:
            assert f'href="{link}"' in html, (page, link)
    for page, link in edit_pages.items():
        html = planner_client.get(page).content.decode()
        assert f'href="{link}"' in html, page
    for role in ("kepala_dinas", "auditor", "operator"):
        client = client_for(users[role])
        for page, links in pages.items():
            html = client.get(page).content.decode()
            assert all(link not in html for link in links), (role, page)


# --- API ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_deletes_an_indicator_through_the_service(plan, planner, api_for):
    indicator = spare_indicator(plan)
    url = reverse("api:performance-indicator-detail", args=[indicator.pk])
    response = api_for(planner).delete(f"{url}?version={indicator.version}&reason=Dobel")
    assert response.status_code == 204, response.content
    assert not Indicator.objects.filter(pk=indicator.pk).exists()
    entry = deleted_entry(Indicator, indicator.pk)
    assert (entry.history_user, entry.history_change_reason) == (planner, "Dobel")


@pytest.mark.django_db
def test_api_takes_the_reason_in_a_json_body(plan, planner, api_for):
    line = budget_line(plan.renstra, 2025, "1.06.04.2.01.0001", 60000000)
    url = reverse("api:performance-budget-detail", args=[line.pk])
    response = api_for(planner).delete(
        url, {"version": line.version, "reason": REASON}, format="json"
    )
    assert response.status_code == 204, response.content
    assert deleted_entry(BudgetLine, line.pk).history_change_reason == REASON


@pytest.mark.django_db
def test_api_refusal_is_409_with_the_message(plan, planner, api_for):
    line = budget_line(plan.renstra, 2025, "1.06.04.2.01.0001", 60000000, [(4, 1000000)])
    url = reverse("api:performance-budget-detail", args=[line.pk])
    response = api_for(planner).delete(f"{url}?version={line.version}&reason=Dobel")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "protected"
    assert body["detail"].startswith("Baris anggaran ini masih memiliki realisasi anggaran")
    assert "April" in body["detail"]
    assert BudgetLine.objects.filter(pk=line.pk).exists()


@pytest.mark.django_db
def test_api_bad_input(plan, planner, api_for):
    indicator = spare_indicator(plan)
    url = reverse("api:performance-indicator-detail", args=[indicator.pk])
    client = api_for(planner)
    no_reason = client.delete(f"{url}?version={indicator.version}")
    assert no_reason.status_code == 400
    assert no_reason.json()["errors"] == {"reason": ["Isi alasan penghapusan."]}
    no_version = client.delete(f"{url}?reason=Dobel")
    assert no_version.status_code == 400 and "version" in no_version.json()["errors"]
    bad_version = client.delete(f"{url}?version=abc&reason=Dobel")
    assert bad_version.status_code == 400 and "version" in bad_version.json()["errors"]
    stale = client.delete(f"{url}?version={indicator.version + 1}&reason=Dobel")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    assert Indicator.objects.filter(pk=indicator.pk).exists()


@pytest.mark.django_db
def test_api_refuses_other_roles_and_bidang(plan, users, api_for):
    indicator = spare_indicator(plan)
    url = reverse("api:performance-indicator-detail", args=[indicator.pk])
    query = f"?version={indicator.version}&reason=Dobel"
    for role, expected in [
        ("api_client", 403),
        ("kepala_dinas", 403),
        ("auditor", 403),
        ("tksk", 403),
        ("operator", 404),
    ]:
        assert api_for(users[role]).delete(url + query).status_code == expected, role
    assert APIClient().delete(url + query).status_code in (401, 403)
    assert Indicator.objects.filter(pk=indicator.pk).exists()
