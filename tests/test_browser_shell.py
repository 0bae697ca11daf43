"""The shell in a real browser: log-in on a phone, the menu, no CSP violations, log-out."""

import pytest

from accounts.access import Role

from .conftest import browser_login
from .factories import TEST_PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tksk_logs_in_on_a_phone_and_uses_the_menu(live_server, phone, regions):
    user = make_user(
        Role.TKSK,
        username="tksk.hp",
        district=regions["a"],
        first_name="Ujang",
        last_name="Saputra",
    )
    violations = []
    phone.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )

    browser_login(phone, live_server, user.username, TEST_PASSWORD)
    assert phone.locator("h1").inner_text() == "Selamat datang, Ujang Saputra"
    assert "Rangkasbitung" in phone.locator("main").inner_text()

    # On a phone the menu is behind the toggler (offcanvas).
    assert not phone.locator("#sidebar").is_visible()
    phone.click("button.navbar-toggler")
    phone.locator("#sidebar").get_by_role("link", name="Wilayah").click()
    phone.wait_for_url(f"{live_server.url}/wilayah/")
    assert "Kecamatan" in phone.locator("h1").inner_text()
    assert phone.locator("table tbody tr").count() == 28
    # The page fits the phone: no horizontal scrolling of the whole page.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1

    phone.click(".dropdown > button")
    phone.get_by_role("button", name="Keluar").click()
    phone.wait_for_url(f"{live_server.url}/akun/masuk/")
    assert violations == []


def test_wrong_password_is_refused_in_indonesian(live_server, desk, regions):
    make_user(Role.OPERATOR, username="op.salah", bidang_code="dayasos")
    desk.goto(f"{live_server.url}/akun/masuk/")
    desk.fill("#id_username", "op.salah")
    desk.fill("#id_password", "bukan-sandinya")
    desk.click("button[type=submit]")
    assert "Nama pengguna atau kata sandi salah" in desk.locator(".alert-danger").inner_text()


def test_list_tables_become_labelled_cards_on_a_phone(live_server, phone, desk, users, village_a):
    from fieldwork.kinds import KIND_DISASTER

    from .factories.fieldwork import disaster_payload, submit

    submit(users["tksk"], KIND_DISASTER, disaster_payload(village_a))
    for page in (phone, desk):
        browser_login(page, live_server, users["kepala_bidang"].username, TEST_PASSWORD)
        page.goto(f"{live_server.url}/lapangan/kotak-masuk/")
    row = "table.table-stack tbody tr"
    cell = f"{row} td[data-label='Kecamatan']"

    # A phone: no column headings, each cell labelled, the row a card that fits the screen.
    assert phone.evaluate("getComputedStyle(document.querySelector('table thead')).display") == (
        "none"
    )
    assert phone.locator(row).count() == 1
    assert phone.locator(cell).inner_text().startswith(village_a.district.name)
    label = phone.evaluate(
        f"getComputedStyle(document.querySelector(\"{cell}\"), '::before').content"
    )
    assert label == '"Kecamatan"'
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1

    # A desk keeps the ordinary table with its headings and no labels drawn.
    assert desk.locator("table thead").is_visible()
    assert desk.evaluate(
        f"getComputedStyle(document.querySelector(\"{cell}\"), '::before').content"
    ) in ("none", "normal")


def test_the_api_docs_render_in_the_browser_without_internet(live_server, desk):
    """Swagger UI and ReDoc come from the app's static files and render under its Content
    Security Policy; no script or web font is fetched from elsewhere."""
    elsewhere = []
    desk.on(
        "request",
        lambda request: (
            elsewhere.append(request.url)
            if request.url.startswith("http") and not request.url.startswith(live_server.url)
            else None
        ),
    )
    desk.goto(f"{live_server.url}/api/docs/")
    desk.wait_for_selector(".swagger-ui .opblock", timeout=20000)
    assert "/api/v1/health/" in desk.locator(".swagger-ui").inner_text()
    desk.goto(f"{live_server.url}/api/redoc/")
    desk.wait_for_selector("redoc h1, #redoc-container h1, h1", timeout=20000)
    heading = desk.locator("h1").first.inner_text()
    assert heading.startswith("API Sistem Informasi Dinas Sosial")
    assert "Something went wrong" not in desk.locator("body").inner_text()
    # ReDoc's own "by Redocly" logo points at its CDN: the policy blocks it before it loads.
    assert [url for url in elsewhere if "cdn.redoc.ly" not in url] == []
