"""A year or quarter typed by hand into a page's address that cannot be read: the page says
so and shows its default, instead of ignoring it in silence (the API refuses it with a 400)."""

import pytest

from .factories.programs import make_program, make_stage

WARNING = "pada alamat bukan tahun antara 2000 dan 2100"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/kinerja/", "/kinerja/indikator/", "/kinerja/anggaran/"])
def test_performance_pages_say_the_year_was_not_read(client_for, users, url):
    client = client_for(users["kepala_dinas"])
    html = client.get(url, {"year": "2O25"}).content.decode()
    assert "Tahun “2O25” " + WARNING in html
    assert WARNING not in client.get(url, {"year": "2025"}).content.decode()
    assert WARNING not in client.get(url).content.decode()  # no year asked: no warning
    # out of range: named, and the page shows its default year instead of 1999
    from performance.selectors import default_year

    html = client.get(url, {"year": "1999"}).content.decode()
    assert f"Tahun “1999” {WARNING}; halaman ini menampilkan tahun {default_year()}." in html


@pytest.mark.django_db
def test_the_realization_page_says_the_quarter_was_not_read(client_for, users):
    client = client_for(users["kepala_dinas"])
    html = client.get("/kinerja/realisasi/", {"year": "2025", "quarter": "5"}).content.decode()
    assert "Triwulan “5” pada alamat bukan 1 sampai 4" in html
    assert "menampilkan triwulan 4" in html  # a past year opens on its last quarter


@pytest.mark.django_db
def test_a_program_page_says_the_year_was_not_read(client_for, users):
    program = make_program()
    make_stage(program, 2025, 1)
    client = client_for(users["kepala_dinas"])
    html = client.get(f"/program/{program.code}/", {"year": "dua ribu"}).content.decode()
    assert "Tahun “dua ribu” pada alamat" in html and "menampilkan tahun 2025." in html
    # a download has no page to warn on: it uses the default and leaves no message behind
    export = client.get(f"/program/{program.code}/rekap/", {"year": "x"})
    assert export.status_code == 200
    assert WARNING not in client.get("/program/").content.decode()


@pytest.mark.django_db
def test_the_disaster_recap_says_the_year_was_not_read(client_for, users):
    html = client_for(users["kepala_dinas"]).get("/lapangan/bencana/rekap/", {"tahun": "20256"})
    assert "Tahun “20256” " + WARNING in html.content.decode()
