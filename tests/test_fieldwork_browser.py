"""The TKSK journey in a real browser (headless Chromium on a phone-sized screen): a form
filled with no connection waits on the phone, is sent once when the connection returns, and
the TKSK sees it approved by the office."""

import datetime

import pytest
from django.utils import timezone

from accounts.access import Role
from fieldwork.models import ActivityEntry, DisasterIncident, Submission
from regions.models import Village

from .conftest import browser_login
from .factories import TEST_PASSWORD, make_user
from .factories.fieldwork import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch_csp(page, violations):
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )


def test_tksk_sends_a_form_offline_and_sees_it_approved(
    live_server, phone, desk, regions, tmp_path
):
    tksk = make_user(
        Role.TKSK,
        username="tksk.hp.lapangan",
        district=regions["a"],
        first_name="Ujang",
        last_name="Saputra",
    )
    reviewer = make_user(
        Role.KEPALA_BIDANG, username="kabid.linjamsos.uji", bidang_code="linjamsos"
    )
    village = Village.objects.filter(district=regions["a"]).order_by("name").first()
    photo = tmp_path / "longsor.jpg"
    photo.write_bytes(jpeg_bytes(size=(640, 480)))
    violations = []
    _watch_csp(phone, violations)

    # Online once: log in, open field work; the phone keeps the field pages.
    browser_login(phone, live_server, tksk.username, TEST_PASSWORD)
    phone.goto(f"{live_server.url}/lapangan/")
    phone.wait_for_selector("html[data-fieldwork-ready='1']", state="attached", timeout=20000)
    assert phone.evaluate("navigator.serviceWorker.controller !== null")

    # No connection: the form still opens, is filled in and waits on the phone.
    phone.context.set_offline(True)
    phone.goto(f"{live_server.url}/lapangan/formulir/disaster_incident/")
    assert "Kejadian bencana" in phone.locator("h1").inner_text()
    when = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    phone.fill("#id_incident_date", when)
    phone.select_option("#id_village", village.code)
    phone.select_option("#id_disaster_type", "tanah_longsor")
    phone.fill("#id_description", "Tebing longsor menimpa dua rumah setelah hujan.")
    phone.fill("#id_households_affected", "3")
    phone.fill("#id_persons_affected", "11")
    phone.fill("#id_houses_heavy", "2")
    phone.set_input_files("#id_photos", str(photo))
    phone.get_by_role("button", name="Kirim").click()
    status = phone.locator("[data-form-status]")
    status.filter(has_text="disimpan di ponsel").wait_for(timeout=10000)
    assert Submission.objects.count() == 0

    phone.goto(f"{live_server.url}/lapangan/kiriman/")
    waiting = phone.locator("[data-outbox-item][data-status='waiting']")
    waiting.wait_for(timeout=10000)
    assert "Menunggu dikirim" in waiting.inner_text()
    assert phone.locator("[data-connection]").is_visible()

    # The connection returns: it is sent, exactly once.
    phone.context.set_offline(False)
    phone.locator("[data-outbox-item][data-status='sent']").wait_for(timeout=30000)
    assert "Terkirim" in phone.locator("[data-outbox-item]").inner_text()
    phone.reload()
    phone.wait_for_selector("html[data-fieldwork-ready='1']", state="attached", timeout=20000)
    assert Submission.objects.count() == 1
    submission = Submission.objects.get()
    assert submission.submitted_by == tksk
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.payload["persons_affected"] == 11
    assert submission.photos.count() == 1
    assert phone.locator(f"[data-submission='{submission.pk}']").is_visible()

    # The office approves it.
    browser_login(desk, live_server, reviewer.username, TEST_PASSWORD)
    desk.goto(f"{live_server.url}/lapangan/kotak-masuk/")
    desk.locator(f"tr[data-submission='{submission.pk}'] a").first.click()
    desk.get_by_label("Setujui").check()
    desk.get_by_role("button", name="Simpan keputusan").click()
    desk.wait_for_url(f"{live_server.url}/lapangan/kotak-masuk/**")
    incident = DisasterIncident.objects.get()
    assert incident.persons_affected == 11 and incident.village_id == village.code

    # The TKSK sees it approved.
    phone.goto(f"{live_server.url}/lapangan/kiriman/")
    item = phone.locator(f"[data-submission='{submission.pk}']")
    assert "Disetujui" in item.inner_text()
    item.get_by_role("link").first.click()
    assert "Disetujui" in phone.locator("[data-status]").first.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    assert violations == []


def test_another_tksk_on_the_same_phone_sees_nothing_of_the_first(live_server, phone, regions):
    first = make_user(Role.TKSK, username="tksk.pertama", district=regions["a"])
    second = make_user(Role.TKSK, username="tksk.kedua", district=regions["b"])
    browser_login(phone, live_server, first.username, TEST_PASSWORD)
    phone.goto(f"{live_server.url}/lapangan/")
    phone.wait_for_selector("html[data-fieldwork-ready='1']", state="attached", timeout=20000)
    phone.context.set_offline(True)
    phone.goto(f"{live_server.url}/lapangan/kegiatan/")
    phone.fill("#id_description", "Catatan rahasia pengguna pertama")
    phone.get_by_role("button", name="Simpan catatan").click()
    phone.locator("[data-form-status]").filter(has_text="disimpan di ponsel").wait_for()
    phone.context.clear_cookies()  # the first TKSK's session ends before anything is sent
    phone.context.set_offline(False)

    browser_login(phone, live_server, second.username, TEST_PASSWORD)
    phone.goto(f"{live_server.url}/lapangan/kiriman/")
    phone.wait_for_selector("html[data-fieldwork-ready='1']", state="attached", timeout=20000)
    assert "Catatan rahasia" not in phone.locator("main").inner_text()
    kept_for = phone.evaluate(
        """() => caches.open('fieldwork-pages').then(cache => cache.keys().then(keys =>
            Promise.all(keys.map(key => cache.match(key)
                .then(r => r.headers.get('X-Fieldwork-User'))))))"""
    )
    second_tag = phone.evaluate("fetch('/lapangan/').then(r => r.headers.get('X-Fieldwork-User'))")
    assert kept_for and set(kept_for) == {second_tag}  # only the second TKSK's pages are kept
    assert not ActivityEntry.objects.exists()  # never sent as the second TKSK

    # The first TKSK comes back: their entry is sent, as theirs.
    phone.context.clear_cookies()
    browser_login(phone, live_server, first.username, TEST_PASSWORD)
    phone.goto(f"{live_server.url}/lapangan/kiriman/")
    phone.wait_for_selector("html[data-fieldwork-ready='1']", state="attached", timeout=20000)
    entry = ActivityEntry.objects.get()
    assert entry.tksk == first and entry.description == "Catatan rahasia pengguna pertama"
