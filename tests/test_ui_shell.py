"""The page shell: Indonesian texts and formats, error pages, security headers, no inline code."""

import datetime
import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from welfare import formatting


def test_indonesian_number_money_percent_and_date_formats():
    with translation.override("id"):
        assert formatting.format_number(1234567.891, 2) == "1.234.567,89"
        assert formatting.format_number(1234567) == "1.234.567"
        assert formatting.format_number(None) == "-"
        assert formatting.format_number(-1500.5, 1) == "-1.500,5"
        assert formatting.format_rupiah(11223919920) == "Rp11.223.919.920"
        assert formatting.format_percent(Decimal("99.535")) == "99,54%"  # half up, not to even
        assert formatting.format_percent(Decimal("76.285")) == "76,29%"
        assert formatting.format_date(datetime.date(2026, 11, 23)) == "23 November 2026"
        assert formatting.format_date(datetime.date(2026, 8, 17)) == "17 Agustus 2026"


def test_english_formats_are_available():
    with translation.override("en"):
        assert formatting.format_number(1234567.891, 2) == "1,234,567.89"
        assert formatting.format_date(datetime.date(2026, 11, 23)) == "23 November 2026"


def test_template_filters_and_masking():
    with translation.override("id"):
        html = Template("{{ a|rupiah }} {{ b|num:2 }} {{ c|pct }} {{ d|tanggal }}").render(
            Context({"a": 200000, "b": 8.031, "c": 102.49, "d": datetime.date(2025, 12, 31)})
        )
    assert html == "Rp200.000 8,03 102,49% 31 Desember 2025"
    assert (
        formatting.mask_identity_number("3602141203850003")
        == "3602\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022003"
    )
    assert formatting.mask_name("Siti Rahmawati") == "S\u2022\u2022\u2022 R\u2022\u2022\u2022"


@pytest.mark.django_db
def test_login_page_is_in_indonesian_with_security_headers(client):
    response = client.get("/akun/masuk/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="id">' in html
    assert "Masuk" in html and "Kata sandi" in html
    csp = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "object-src 'none'" in csp
        and "frame-ancestors 'none'" in csp
    )
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_pages_have_no_inline_scripts_or_styles(client_for, users):
    client = client_for(users["admin"])
    for url in [
        "/",
        "/akun/profil/",
        "/akun/pengguna/",
        "/wilayah/",
        "/audit/",
        "/tugas/",
        "/pengaturan/instansi/",
    ]:
        html = client.get(url).content.decode()
        for script in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in script, f"inline script on {url}: {script}"
        assert "<style" not in html, f"inline style element on {url}"
        assert not re.search(r"\sstyle=", html), f"style attribute on {url}"
        assert not re.search(r"\son[a-z]+=", html), f"inline event handler on {url}"


@pytest.mark.django_db
def test_error_pages_are_in_indonesian(client_for, users, client):
    not_found = client_for(users["admin"]).get("/tidak-ada/")
    assert not_found.status_code == 404
    assert "Halaman tidak ditemukan" in not_found.content.decode()

    forbidden = client_for(users["tksk"]).get("/akun/pengguna/")
    assert forbidden.status_code == 403
    assert "Tidak ada akses" in forbidden.content.decode()


def test_server_error_page_is_in_indonesian(rf):
    from welfare.views import error_500

    with translation.override("id"):
        response = error_500(rf.get("/registri/"))
    assert response.status_code == 500
    assert "Terjadi kesalahan pada server" in response.content.decode()
    api = error_500(rf.get("/api/v1/persons/"))
    assert api["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_navigation_follows_the_role(client_for, users):
    admin_html = client_for(users["admin"]).get("/").content.decode()
    tksk_html = client_for(users["tksk"]).get("/").content.decode()
    assert "/akun/pengguna/" in admin_html and "/audit/" in admin_html
    assert "/akun/pengguna/" not in tksk_html and "/audit/" not in tksk_html
    auditor_html = client_for(users["auditor"]).get("/").content.decode()
    assert "/audit/" in auditor_html and "/pengaturan/instansi/" not in auditor_html


@pytest.mark.django_db
def test_static_files_are_served_by_the_app(client):
    response = client.get("/static/vendor/bootstrap/bootstrap.min.css")
    assert response.status_code == 200
    assert b"Bootstrap" in b"".join(response.streaming_content)[:400]


@pytest.mark.django_db
def test_english_is_available(client_for, users):
    client = client_for(users["admin"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert "Welcome" in html and "Log out" in html


@pytest.mark.django_db
def test_indonesian_even_for_an_english_browser(client_for, users):
    html = (
        client_for(users["admin"]).get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    )
    assert "Selamat datang" in html


@pytest.mark.django_db
def test_the_favicon_and_the_admin_header(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 301 and icon["Location"].endswith("/img/favicon.svg")
    admin = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="id")
    assert "Administrasi Sistem Informasi Dinas Sosial" in admin.content.decode()


@pytest.mark.django_db
def test_the_agency_logo_is_shown_from_a_checked_view_and_can_be_removed(client_for, users):
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    from welfare.selectors import agency_get

    admin = client_for(users["admin"])
    assert admin.get("/pengaturan/instansi/logo/").status_code == 404  # none uploaded yet
    picture = io.BytesIO()
    Image.new("RGB", (40, 40), (13, 71, 161)).save(picture, format="PNG")
    agency = agency_get()
    agency.logo.save("logo-uji.png", ContentFile(picture.getvalue()), save=True)

    page = admin.get("/pengaturan/instansi/").content.decode()
    assert f'<img src="/pengaturan/instansi/logo/?v={agency.logo.name}"' in page
    assert "Hapus logo" in page and "/media/" not in page  # uploads are not served there
    logo = admin.get("/pengaturan/instansi/logo/")
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
    assert logo["X-Content-Type-Options"] == "nosniff"
    for role in ("kepala_dinas", "operator", "tksk", "auditor"):
        assert client_for(users[role]).get("/pengaturan/instansi/logo/").status_code == 403

    agency.refresh_from_db()
    response = admin.post(
        "/pengaturan/instansi/",
        {"name": agency.name, "version": agency.version, "logo-clear": "on"},
    )
    assert response.status_code == 302
    assert not agency_get().logo
