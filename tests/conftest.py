"""Fixtures shared by every test: regions of Kabupaten Lebak, users of every role, clients."""

import importlib

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.access import Role
from regions.models import District, Village
from regions.services import regions_load

from .factories import make_user

HOME = "36.02"
# Two real Lebak kecamatan: a TKSK of one must never see the other's data.
DISTRICT_A = "36.02.14"  # Rangkasbitung
DISTRICT_B = "36.02.01"  # Malingping


def ensure_reference_data() -> None:
    """Regions, and the reference data that data migrations seed: each app lists its seeding
    migrations in ``AppConfig.reference_seeds`` as (module, function, model label). A
    transactional test flushes the database, so they are re-run when their data is missing."""
    from django.apps import apps as django_apps

    if not Village.objects.filter(district__regency_id=HOME).exists():
        regions_load(regency_codes=[HOME])
    for config in django_apps.get_app_configs():
        for module_name, function, model_label in getattr(config, "reference_seeds", []):
            if not django_apps.get_model(model_label).objects.exists():
                getattr(importlib.import_module(module_name), function)(django_apps, None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the regions once into the test database (tests roll back their own changes)."""
    with django_db_blocker.unblock():
        ensure_reference_data()


@pytest.fixture
def regions(db):
    """All kecamatan of Indonesia and the villages of Kabupaten Lebak, and the seeded
    reference data (a transactional test flushes them, so they are re-checked each time)."""
    ensure_reference_data()
    return {"a": District.objects.get(code=DISTRICT_A), "b": District.objects.get(code=DISTRICT_B)}


@pytest.fixture
def district_a(regions):
    return regions["a"]


@pytest.fixture
def district_b(regions):
    return regions["b"]


@pytest.fixture
def village_a(district_a):
    return Village.objects.filter(district=district_a).order_by("code").first()


@pytest.fixture
def village_b(district_b):
    return Village.objects.filter(district=district_b).order_by("code").first()


@pytest.fixture
def users(regions):
    """One user per role; ``tksk`` works in kecamatan A, ``tksk_b`` in kecamatan B."""
    return {
        "admin": make_user(Role.ADMIN, username="t.admin"),
        "kepala_dinas": make_user(Role.KEPALA_DINAS, username="t.kadis"),
        "kepala_bidang": make_user(Role.KEPALA_BIDANG, username="t.kabid", bidang_code="linjamsos"),
        "operator": make_user(Role.OPERATOR, username="t.operator", bidang_code="linjamsos"),
        "operator_other_bidang": make_user(
            Role.OPERATOR, username="t.operator2", bidang_code="rehsos"
        ),
        "tksk": make_user(Role.TKSK, username="t.tksk.a", district=regions["a"]),
        "tksk_b": make_user(Role.TKSK, username="t.tksk.b", district=regions["b"]),
        "auditor": make_user(Role.AUDITOR, username="t.auditor"),
        "api_client": make_user(Role.API_CLIENT, username="t.api"),
    }


@pytest.fixture
def client_for():
    """``client_for(user)``: a Django test client logged in as ``user``."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


@pytest.fixture
def api_for():
    """``api_for(user)``: a DRF client authenticated with the user's API token."""
    from rest_framework.authtoken.models import Token

    def make(user) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


# --- Browser tests (headless Chromium from Debian, driven by Playwright) ----------------------
CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    import os
    import shutil

    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM", CHROMIUM)
    if not shutil.which(executable):
        pytest.fail(f"Chromium not found at {executable}: run `make test`, which installs it")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test body
    # are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(chromium):
    """A phone-sized browser page (what a TKSK uses)."""
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="id-ID")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desk(chromium):
    context = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
    page = context.new_page()
    yield page
    context.close()


def browser_login(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
