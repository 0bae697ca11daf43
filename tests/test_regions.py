import pytest
from django.core.management import call_command

from regions.models import District, Province, Regency, Village
from regions.selectors import district_exists_for_nik_prefix


@pytest.mark.django_db
def test_lebak_has_28_kecamatan_and_345_villages(regions):
    lebak = Regency.objects.get(code="36.02")
    assert lebak.name == "Kabupaten Lebak" and lebak.kind == Regency.Kind.KABUPATEN
    assert District.objects.filter(regency=lebak).count() == 28
    villages = Village.objects.filter(district__regency=lebak)
    assert villages.count() == 345
    assert Village.objects.get(code="36.02.14.1002").kind == Village.Kind.KELURAHAN
    assert villages.filter(kind=Village.Kind.DESA).exists()


@pytest.mark.django_db
def test_loading_is_idempotent_and_codes_are_not_assumed_contiguous(regions):
    before = Village.objects.count()
    call_command("load_regions", "--regency", "36.02", verbosity=0)
    assert Village.objects.count() == before
    # Rangkasbitung's village numbers jump from the kelurahan (1xxx) to the desa (2xxx).
    numbers = sorted(
        int(c.rsplit(".", 1)[1])
        for c in Village.objects.filter(district_id="36.02.14").values_list("code", flat=True)
    )
    assert numbers[-1] - numbers[0] + 1 > len(numbers)


@pytest.mark.django_db
def test_all_of_indonesia_loads(regions):
    call_command("load_regions", verbosity=0)
    assert Province.objects.count() == 38
    assert Regency.objects.count() == 514
    assert District.objects.count() == 7285
    assert Village.objects.count() == 83762


@pytest.mark.django_db
def test_nik_prefix_must_name_an_existing_kecamatan(regions):
    assert district_exists_for_nik_prefix("360214")
    assert not district_exists_for_nik_prefix("369999")
    assert not district_exists_for_nik_prefix("36021")


@pytest.mark.django_db
def test_region_api_lists_the_home_regency(api_for, users):
    response = api_for(users["api_client"]).get("/api/v1/regions/districts/")
    assert response.status_code == 200
    assert response.json()["count"] == 28
    village = api_for(users["api_client"]).get("/api/v1/regions/villages/36.02.14.1002/")
    assert village.status_code == 200
    assert village.json()["district"] == "36.02.14"
