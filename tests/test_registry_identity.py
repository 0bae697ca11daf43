"""Identity rules (NIK, No. KK, desil), PPKS category rules and statuses, duplicates and merge,
deceased persons, soft delete and restore - through the services."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from beneficiaries import identity, selectors, services
from beneficiaries.demo import nik_for
from beneficiaries.models import CategoryPlacement, Household, Person

from .factories.beneficiaries import HouseholdFactory, PersonFactory, category

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian():
    with translation.override("id"):
        yield


def _data(village, **overrides):
    born = overrides.pop("birth_date", datetime.date(1985, 3, 12))
    sex = overrides.pop("sex", "P")
    data = {
        "nik": nik_for(village.district_id, born, sex, 4321),
        "name": "Siti Aminah",
        "sex": sex,
        "birth_date": born,
        "village": village,
        "relationship": "kepala",
    }
    data.update(overrides)
    return data


def test_valid_person_is_saved_with_normalised_name(users, village_a):
    person, notes = services.person_create(
        actor=users["operator"], data=_data(village_a, name=" Siti  Nur-Aminah ")
    )
    assert person.district_id == village_a.district_id
    assert person.name_normalized == "SITI NUR AMINAH"
    assert notes == []
    assert person.history.count() == 1 and person.history.first().history_user == users["operator"]


@pytest.mark.parametrize(
    ("nik", "fragment"),
    [
        ("360214520385432", "16 digit"),
        ("36021452038543AB", "16 digit"),
        ("3602143203854321", "bukan tanggal lahir"),  # day 32
        ("3602147202854321", "bukan tanggal lahir"),  # day 72
        ("3602145302854321", "bukan tanggal lahir yang sah"),  # 13-02? no: 53-40 = 13, month 02 ok
        ("9901015203854321", "bukan kode kecamatan"),
    ],
)
def test_bad_nik_is_refused_with_a_clear_message(users, village_a, nik, fragment):
    data = _data(village_a, nik=nik)
    if nik.startswith("36021453"):
        data["nik"] = "3602147102854321"  # 31-02 is not a real date
        fragment = "bukan tanggal lahir yang sah"
    with pytest.raises(ValidationError) as excinfo:
        services.person_create(actor=users["operator"], data=data)
    assert any(fragment in m for m in excinfo.value.message_dict["nik"]), excinfo.value.message_dict


def test_nik_must_agree_with_recorded_birth_date_and_sex(users, village_a):
    data = _data(village_a)
    data["sex"] = "L"
    data["birth_date"] = datetime.date(1985, 3, 13)
    with pytest.raises(ValidationError) as excinfo:
        services.person_create(actor=users["operator"], data=data)
    errors = excinfo.value.message_dict
    assert "Perempuan" in errors["sex"][0] and "Laki-laki" in errors["sex"][0]
    assert "12-03-..85" in errors["birth_date"][0] and "13-03-1985" in errors["birth_date"][0]


def test_nik_of_another_kecamatan_is_a_note_not_a_refusal(users, village_a, district_b):
    data = _data(village_a, nik=nik_for(district_b.code, datetime.date(1985, 3, 12), "P", 1))
    person, notes = services.person_create(actor=users["operator"], data=data)
    assert person.pk and len(notes) == 1
    assert district_b.code in notes[0] and "diperbolehkan" in notes[0]


def test_existing_nik_is_refused_with_the_existing_person(users, village_a):
    first, _notes = services.person_create(actor=users["operator"], data=_data(village_a))
    with pytest.raises(services.DuplicateNikError) as excinfo:
        services.person_create(actor=users["operator"], data=_data(village_a, name="Orang Lain"))
    assert excinfo.value.existing == first
    assert "sudah ada di registri" in excinfo.value.message_dict["nik"][0]


def test_no_kk_and_desil_rules(users, village_a):
    base = {"village": village_a, "desil": 3, "desil_date": datetime.date(2026, 8, 1)}
    with pytest.raises(ValidationError) as excinfo:
        services.household_create(actor=users["operator"], data={**base, "no_kk": "36021412"})
    assert "16 digit" in excinfo.value.message_dict["no_kk"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.household_create(
            actor=users["operator"], data={**base, "no_kk": "3602140101150001", "desil": 11}
        )
    assert "1 sampai 10" in excinfo.value.message_dict["desil"][0]
    household = services.household_create(
        actor=users["operator"], data={**base, "no_kk": "3602140101150001", "rt": "3"}
    )
    assert household.rt == "003" and household.district_id == village_a.district_id
    assert household.desil_records.get().desil == 3
    assert identity.desil_errors(0) and not identity.desil_errors(10)


def test_tksk_may_not_write_and_scope_is_enforced(users, village_a, village_b):
    with pytest.raises(PermissionDenied):
        services.person_create(actor=users["tksk"], data=_data(village_a))
    household = HouseholdFactory(village=village_b)
    assert not selectors.household_list(user=users["tksk"]).filter(pk=household.pk).exists()
    assert selectors.household_list(user=users["tksk_b"]).filter(pk=household.pk).exists()


def test_category_rules_are_data(users, village_a):
    household = HouseholdFactory(village=village_a)
    child = PersonFactory(
        household=household, birth_date=datetime.date(2023, 4, 1), relationship="anak"
    )
    man = PersonFactory(household=household, birth_date=datetime.date(1980, 1, 2))
    admin = users["admin"]
    with pytest.raises(ValidationError) as excinfo:
        services.placement_create(
            actor=admin, category=category("lanjut_usia_terlantar"), person=child
        )
    assert "60 tahun atau lebih" in excinfo.value.messages[0]
    with pytest.raises(ValidationError, match="hanya untuk orang perempuan"):
        services.placement_create(
            actor=admin, category=category("perempuan_rawan_sosek"), person=man
        )
    with pytest.raises(ValidationError, match="jenis disabilitas"):
        services.placement_create(
            actor=admin, category=category("penyandang_disabilitas"), person=man
        )
    with pytest.raises(ValidationError, match="untuk keluarga"):
        services.placement_create(actor=admin, category=category("fakir_miskin"), person=man)
    placement = services.placement_create(
        actor=admin, category=category("anak_balita_terlantar"), person=child
    )
    assert placement.district_id == village_a.district_id
    # The rule is data: change the category, the check follows.
    elderly = category("lanjut_usia_terlantar")
    elderly.min_age = 2
    elderly.save()
    services.placement_create(actor=admin, category=elderly, person=child)
    man.disability_physical = True
    man.save()
    services.placement_create(actor=admin, category=category("penyandang_disabilitas"), person=man)
    services.placement_create(actor=admin, category=category("fakir_miskin"), household=household)
    assert CategoryPlacement.objects.count() == 4
    with pytest.raises(ValidationError, match="masih terbuka"):
        services.placement_create(
            actor=admin, category=category("fakir_miskin"), household=household
        )


def test_placement_status_moves_forward_and_closing_needs_a_reason(users, village_a):
    household = HouseholdFactory(village=village_a)
    placement = services.placement_create(
        actor=users["admin"],
        category=category("fakir_miskin"),
        household=household,
        identified_on=datetime.date(2026, 1, 5),
        source="tksk",
    )
    placement = services.placement_transition(
        actor=users["admin"],
        placement=placement,
        version=placement.version,
        status="terverifikasi",
        on=datetime.date(2026, 2, 1),
    )
    assert placement.verified_on == datetime.date(2026, 2, 1)
    with pytest.raises(ValidationError, match="tidak dapat menjadi"):
        services.placement_transition(
            actor=users["admin"],
            placement=placement,
            version=placement.version,
            status="teridentifikasi",
        )
    with pytest.raises(ValidationError) as excinfo:
        services.placement_transition(
            actor=users["admin"], placement=placement, version=placement.version, status="keluar"
        )
    assert "alasan" in excinfo.value.message_dict["reason"][0]
    placement = services.placement_transition(
        actor=users["admin"],
        placement=placement,
        version=placement.version,
        status="keluar",
        on=datetime.date(2026, 3, 1),
        reason="Pindah domisili",
    )
    assert placement.closing_reason == "Pindah domisili" and not placement.is_open


def test_deceased_person_stays_out_of_active_lists_and_placements_close(users, village_a):
    household = HouseholdFactory(village=village_a)
    person = PersonFactory(household=household, birth_date=datetime.date(1950, 1, 1))
    services.placement_create(
        actor=users["admin"], category=category("lanjut_usia_terlantar"), person=person
    )
    person = services.person_mark_deceased(
        actor=users["admin"],
        person=person,
        version=person.version,
        death_date=datetime.date(2026, 5, 1),
    )
    assert Person.objects.filter(pk=person.pk).exists()
    assert not selectors.person_list(user=users["admin"]).filter(pk=person.pk).exists()
    assert (
        selectors.person_list(user=users["admin"], state="deceased").filter(pk=person.pk).exists()
    )
    placement = person.placements.get()
    assert placement.status == "keluar" and placement.closing_reason == "Meninggal dunia"
    with pytest.raises(ValidationError, match="sudah meninggal"):
        services.placement_create(
            actor=users["admin"], category=category("korban_bencana_alam"), person=person
        )


def test_soft_delete_and_restore_a_household_with_its_members(users, village_a):
    household = HouseholdFactory(village=village_a)
    member = PersonFactory(household=household)
    with pytest.raises(ValidationError):
        services.household_delete(actor=users["admin"], household=household, reason=" ")
    services.household_delete(actor=users["admin"], household=household, reason="Data ganda")
    assert not selectors.household_list(user=users["admin"]).filter(pk=household.pk).exists()
    assert not selectors.person_list(user=users["admin"]).filter(pk=member.pk).exists()
    services.household_restore(
        actor=users["admin"], household=Household.objects.get(pk=household.pk)
    )
    assert selectors.person_list(user=users["admin"]).filter(pk=member.pk).exists()
    assert [h.history_change_reason for h in household.history.order_by("history_id")][-2:] == [
        "Data ganda",
        "Dipulihkan",
    ]


def test_duplicates_are_listed_and_a_merge_keeps_both_histories(users, village_a):
    household = HouseholdFactory(village=village_a)
    born = datetime.date(1970, 7, 7)
    keep = PersonFactory(household=household, name="Ahmad Sobari", birth_date=born)
    twin = PersonFactory(household=household, name="AHMAD  SOBARI", birth_date=born, phone="0812")
    similar = PersonFactory(household=household, name="Ahmad Sobary", birth_date=born)
    PersonFactory(household=household, name="Ahmad Sobari", birth_date=datetime.date(1971, 7, 7))
    groups = selectors.duplicate_candidates(user=users["admin"])
    same = [g for g in groups if g.reason == "same_name_birth"]
    assert [{p.pk for p in g.persons} for g in same] == [{keep.pk, twin.pk}]
    similar_pairs = [{p.pk for p in g.persons} for g in groups if g.reason == "similar_name"]
    assert {keep.pk, similar.pk} in similar_pairs
    services.placement_create(
        actor=users["admin"], category=category("korban_bencana_alam"), person=twin
    )
    services.person_merge(actor=users["admin"], keep=keep, duplicate=twin, reason="KTP ganda")
    twin.refresh_from_db()
    keep.refresh_from_db()
    assert twin.merged_into == keep and twin.deleted_at is not None
    assert keep.phone == "0812" and keep.placements.count() == 1
    assert twin.history.count() >= 2 and keep.history.count() >= 2
    assert "Digabung" in twin.history.first().history_change_reason
    with pytest.raises(ValidationError):
        services.person_restore(actor=users["admin"], person=twin)
    assert not any(
        twin.pk in {p.pk for p in g.persons}
        for g in selectors.duplicate_candidates(user=users["admin"])
    )
