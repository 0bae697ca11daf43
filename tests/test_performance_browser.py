"""Performance in a real browser: the dashboard chart draws (no CSP violation), an operator
enters a quarter's realization with evidence, the head of division approves it."""

import datetime
import io

import pytest

from accounts.access import Role
from performance import clock, demo
from performance.models import Indicator, Realization

from .conftest import browser_login
from .factories import TEST_PASSWORD, make_user
from .factories.performance import PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _csp_watch(page) -> list:
    violations = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return violations


def test_dashboard_draws_the_five_year_chart(live_server, desk, regions):
    demo.seed(stdout=io.StringIO())
    user = make_user(Role.KEPALA_DINAS, username="kadis.grafik")
    violations = _csp_watch(desk)
    browser_login(desk, live_server, user.username, TEST_PASSWORD)
    desk.goto(f"{live_server.url}/kinerja/?year=2025")
    assert "76,29%" in desk.locator("[data-figure=year-capaian]").inner_text()
    desk.wait_for_selector("canvas[data-chart-ready='1']", timeout=10000)
    # the year picker submits by itself
    desk.select_option("#pick-basis", "murni")
    desk.wait_for_url("**basis=murni**")
    assert "76,13%" in desk.locator("[data-figure=year-capaian]").inner_text()
    assert violations == []


def test_operator_enters_and_head_approves(live_server, desk, regions, tmp_path, monkeypatch):
    demo.seed(stdout=io.StringIO())
    monkeypatch.setattr(clock, "today", lambda: datetime.date(2026, 11, 23))
    operator = make_user(Role.OPERATOR, username="op.rehsos.uji", bidang_code="rehsos")
    head = make_user(Role.KEPALA_BIDANG, username="kabid.rehsos.uji", bidang_code="rehsos")
    indicator = Indicator.objects.get(code="SK-1.06.04.2.01.0001")
    evidence = tmp_path / "daftar-penerima-permakanan.pdf"
    evidence.write_bytes(PDF_BYTES)
    violations = _csp_watch(desk)

    browser_login(desk, live_server, operator.username, TEST_PASSWORD)
    desk.goto(f"{live_server.url}/kinerja/realisasi/?year=2026&quarter=4")
    desk.locator(f"a[href='/kinerja/realisasi/{indicator.pk}/2026/4/']").click()
    desk.fill("#id_value", "58")
    desk.fill("#id_obstacles", "Hujan deras menunda distribusi di Cibeber.")
    desk.set_input_files("#id_evidence", str(evidence))
    desk.get_by_role("button", name="Simpan dan ajukan untuk disetujui").click()
    assert "Realisasi diajukan untuk disetujui." in desk.locator(".alert-success").inner_text()
    assert desk.locator("[data-status]").get_attribute("data-status") == "submitted"

    desk.context.clear_cookies()
    browser_login(desk, live_server, head.username, TEST_PASSWORD)
    desk.goto(f"{live_server.url}/kinerja/realisasi/{indicator.pk}/2026/4/")
    assert "daftar-penerima-permakanan.pdf" in desk.locator("main").inner_text()
    desk.get_by_role("button", name="Setujui").click()
    assert "Realisasi disetujui." in desk.locator(".alert-success").inner_text()
    row = Realization.objects.get(indicator=indicator, year=2026, quarter=4)
    assert row.status == "approved" and row.value == 58 and row.reviewed_by == head
    assert violations == []
