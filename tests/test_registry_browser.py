"""The operator's journey in a real browser: find a household by kecamatan, add a member with a
NIK that disagrees with the date of birth (told which), correct it, and see it on the household
page - with no Content Security Policy violation."""

import datetime

import pytest

from accounts.access import Role
from beneficiaries.demo import nik_for
from beneficiaries.models import Person

from .conftest import browser_login
from .factories import TEST_PASSWORD, make_user
from .factories.beneficiaries import HouseholdFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_operator_adds_a_member_to_a_household(live_server, desk, regions):
    operator = make_user(Role.OPERATOR, username="operator.registri", bidang_code="linjamsos")
    village = regions["a"].villages.order_by("code").first()
    household = HouseholdFactory(village=village)
    PersonFactory(household=household, name="Jajang Sunarya")
    violations = []
    desk.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    browser_login(desk, live_server, operator.username, TEST_PASSWORD)
    desk.goto(f"{live_server.url}/registri/?district={regions['a'].code}")
    assert "Jajang Sunarya" in desk.content()
    desk.click(f"text={household.no_kk}")
    desk.wait_for_selector("h1")
    assert household.no_kk in desk.locator("h1").inner_text()
    desk.click("text=Tambah anggota")
    born = datetime.date(2012, 6, 15)
    nik = nik_for(regions["a"].code, born, "P", 55)
    desk.fill("#id_nik", nik)
    desk.fill("#id_name", "Neng Sunarya")
    desk.select_option("#id_sex", "P")
    desk.fill("#id_birth_date", "2012-06-16")
    desk.select_option("#id_relationship", "anak")
    desk.click("form[novalidate] button[type=submit]")
    assert "15-06-..12" in desk.content()  # the NIK's date, and the one typed
    assert not Person.objects.filter(nik=nik).exists()
    desk.fill("#id_birth_date", born.isoformat())
    desk.click("form[novalidate] button[type=submit]")
    desk.wait_for_selector("text=Neng Sunarya")
    assert Person.objects.get(nik=nik).household == household
    desk.click("text=Keluarga " + household.no_kk)
    assert "Neng Sunarya" in desk.content()
    assert violations == []
