"""Programs in a real browser: an operator enrolls a household, sees the refusal of an
ineligible one in Bahasa Indonesia, and reads the program's figures (no CSP violation)."""

import datetime

import pytest
from django.utils import timezone

from accounts.access import Role
from programs.models import Enrollment

from .conftest import browser_login
from .factories import TEST_PASSWORD, make_user
from .factories.programs import make_household, make_program, make_stage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_operator_enrolls_and_reads_the_figures(live_server, desk, regions):
    from regions.models import Village

    village = Village.objects.filter(district=regions["a"]).order_by("code").first()
    program = make_program("PKHB", max_desil=4)
    make_stage(program, timezone.localdate().year, 1)
    poor = make_household(village, desil=2)
    rich = make_household(village, desil=9)
    operator = make_user(Role.OPERATOR, username="op.program.uji", bidang_code="linjamsos")
    violations = []
    desk.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )

    browser_login(desk, live_server, operator.username, TEST_PASSWORD)
    desk.goto(f"{live_server.url}/program/")
    desk.get_by_role("link", name="PKHB").click()
    desk.get_by_role("link", name="Daftarkan", exact=True).click()
    desk.fill("#id_number", rich.no_kk)
    desk.fill("#id_start_date", str(datetime.date(timezone.localdate().year, 1, 2)))
    desk.locator("#enroll-form button[type=submit]").click()
    assert "Desil DTSEN keluarga ini 9" in desk.content()
    assert desk.input_value("#id_number") == rich.no_kk  # what the user typed is kept
    desk.fill("#id_number", poor.no_kk)
    desk.locator("#enroll-form button[type=submit]").click()
    desk.wait_for_selector("#enrollment-status")
    assert desk.locator("#enrollment-status").inner_text() == "Diusulkan"
    assert Enrollment.objects.get(household=poor).created_by == operator
    desk.goto(f"{live_server.url}/program/PKHB/")
    assert desk.locator("#program-stats").is_visible()
    assert violations == []


def test_a_recipient_with_payments_and_history_fits_a_phone(live_server, phone, regions):
    """The enrollment page (disbursements per tahap, the history of changes) and the targeting
    check read on a phone without sideways scrolling: each payment is a labelled card."""
    from programs import services

    from .factories.programs import enroll_active

    village = regions["a"].villages.order_by("code").first()
    program = make_program("PKHP", max_desil=4)
    year = timezone.localdate().year
    operator = make_user(Role.OPERATOR, username="op.hp.uji", bidang_code="linjamsos")
    enrollment = enroll_active(operator, program, village, start=datetime.date(year, 1, 2))
    for number in (1, 2):
        services.disbursements_plan(actor=operator, stage=make_stage(program, year, number))
    browser_login(phone, live_server, operator.username, TEST_PASSWORD)
    for url in (f"/program/penerima/{enrollment.pk}/", "/program/sasaran/"):
        phone.goto(f"{live_server.url}{url}")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1, url
    phone.goto(f"{live_server.url}/program/penerima/{enrollment.pk}/")
    payments = phone.locator("table.table-stack tbody tr")
    assert payments.first.locator("td[data-label='Tahap']").inner_text() == f"Tahap 1 {year}"
