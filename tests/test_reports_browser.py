"""The report journey in a real browser: check, generate as a draft, the job, download."""

import io

import pytest
from django.core.management import call_command

from accounts.access import Role
from performance import demo
from reports.models import ReportVersion

from .conftest import browser_login
from .factories import TEST_PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_generate_then_download(live_server, desk, regions):
    demo.seed(stdout=io.StringIO())
    user = make_user(Role.OPERATOR, username="op.laporan", bidang_code="sekretariat")
    violations = []
    desk.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    browser_login(desk, live_server, user.username, TEST_PASSWORD)
    desk.goto(f"{live_server.url}/laporan/")
    desk.get_by_role("button", name="Buka").click()
    desk.wait_for_url("**/laporan/lkjip/**")
    assert "Pemeriksaan sebelum membuat laporan" in desk.content()
    assert "belum memiliki realisasi yang disetujui" in desk.content()
    desk.check("#id_allow_draft")
    desk.get_by_test_id("generate").click()
    desk.wait_for_url("**/tugas/**")
    call_command("db_worker", "--batch", "--queue-name", "default", verbosity=0)
    version = ReportVersion.objects.get()
    assert version.status == ReportVersion.Status.DONE
    desk.goto(f"{live_server.url}/laporan/lkjip/2025/")
    with desk.expect_download() as info:
        desk.get_by_test_id("download").first.click()
    download = info.value
    path = download.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert download.suggested_filename.startswith("LKjIP-2025-v1")
    assert violations == []


def test_the_program_is_offered_when_the_program_statistics_kind_is_chosen(
    live_server, desk, regions
):
    from .factories.programs import make_program

    make_program("UJI")
    user = make_user(Role.OPERATOR, username="op.statistik", bidang_code="linjamsos")
    violations = []
    desk.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    browser_login(desk, live_server, user.username, TEST_PASSWORD)
    desk.goto(f"{live_server.url}/laporan/")
    program = desk.locator("#id_program")
    assert program.is_hidden()  # the LKjIP is chosen: it takes no program
    desk.select_option("#id_kind", "program_stats")
    assert program.is_visible()
    desk.select_option("#id_program", "UJI")
    desk.get_by_role("button", name="Buka").click()
    desk.wait_for_url("**/laporan/program_stats/**?program=UJI")
    assert "UJI - Program UJI" in desk.get_by_test_id("scope").inner_text()
    assert violations == []
