"""A TKSK reports a new PPKS from a phone with no connection; the form waits on the phone, is
sent once when the connection returns, and the approval puts the person in the registry."""

import datetime

import pytest
from django.utils import timezone

from accounts.access import Role
from beneficiaries.demo import nik_for
from beneficiaries.models import CategoryPlacement, Person, PpksCategory
from fieldwork.models import Submission
from regions.models import Village

from .conftest import browser_login
from .factories import TEST_PASSWORD, make_user
from .factories.fieldwork import jpeg_bytes, review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tksk_reports_a_new_ppks_offline(live_server, phone, regions, tmp_path):
    tksk = make_user(Role.TKSK, username="tksk.hp.ppks", district=regions["a"])
    reviewer = make_user(Role.KEPALA_BIDANG, username="kabid.rehsos.hp", bidang_code="rehsos")
    village = Village.objects.filter(district=regions["a"]).order_by("name").first()
    category = PpksCategory.objects.get(code="lanjut_usia_terlantar")
    photo = tmp_path / "lansia.jpg"
    photo.write_bytes(jpeg_bytes(size=(640, 480)))
    birth = datetime.date(1948, 3, 9)
    nik = nik_for(regions["a"].code, birth, "P", 5123)
    violations = []
    phone.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )

    browser_login(phone, live_server, tksk.username, TEST_PASSWORD)
    phone.goto(f"{live_server.url}/lapangan/")
    phone.wait_for_selector("html[data-fieldwork-ready='1']", state="attached", timeout=20000)
    phone.goto(f"{live_server.url}/lapangan/formulir/new_ppks/")
    phone.wait_for_selector("html[data-fieldwork-ready='1']", state="attached", timeout=20000)

    phone.context.set_offline(True)
    phone.reload()
    assert "Temuan PPKS baru" in phone.locator("h1").inner_text()
    phone.fill("#id_found_on", timezone.localdate().isoformat())
    phone.select_option("#id_unit", "person")
    phone.select_option("#id_category", str(category.pk))
    phone.select_option("#id_village", village.code)
    phone.fill("#id_nik", nik)
    phone.fill("#id_name", "Mak Icih")
    phone.select_option("#id_sex", "P")
    phone.fill("#id_birth_date", birth.isoformat())
    phone.fill("#id_situation", "Hidup sendiri di gubuk, tidak ada yang merawat.")
    phone.set_input_files("#id_photo", str(photo))
    phone.get_by_role("button", name="Kirim").click()
    phone.locator("[data-form-status]").filter(has_text="disimpan di ponsel").wait_for(
        timeout=10000
    )
    assert Submission.objects.count() == 0

    phone.context.set_offline(False)
    phone.goto(f"{live_server.url}/lapangan/kiriman/")
    phone.locator("[data-outbox-item][data-status='sent']").wait_for(timeout=30000)
    submission = Submission.objects.get()
    assert submission.kind == "new_ppks" and submission.photos.count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1

    review(submission, reviewer)
    person = Person.objects.get(nik=nik)
    assert person.name == "Mak Icih" and person.source == "tksk"
    assert CategoryPlacement.objects.get(person=person).category == category
    assert violations == []
