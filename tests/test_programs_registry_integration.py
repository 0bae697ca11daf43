"""The programs plugged into the registry: the household page shows the household's programs,
and the registry's lists (page and API) filter by program."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from programs import services

from .factories.programs import make_household, make_program

YEAR = timezone.localdate().year
START = datetime.date(YEAR, 1, 2)


@pytest.fixture
def enrolled(users, district_a):
    from regions.models import Village

    village = Village.objects.filter(district=district_a).order_by("code").first()
    program = make_program("BANSOS-UJI", max_desil=4)
    inside = make_household(village, desil=2)
    outside = make_household(village, desil=3)
    services.enrollment_create(
        actor=users["operator"],
        program=program,
        household=inside,
        start_date=START,
        status="aktif",
        decree_number="460/7",
        decree_date=START,
    )
    return program, inside, outside


@pytest.mark.django_db
def test_household_page_lists_its_programs(client_for, users, enrolled):
    program, inside, outside = enrolled
    page = client_for(users["operator"]).get(
        reverse("beneficiaries:household_detail", args=[inside.pk])
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert program.code in html
    assert reverse("programs:enrollment_detail", args=[inside.enrollments.get().pk]) in html

    other = client_for(users["operator"]).get(
        reverse("beneficiaries:household_detail", args=[outside.pk])
    )
    assert "tidak terdaftar dalam program apa pun" in other.content.decode()


@pytest.mark.django_db
def test_registry_lists_filter_by_program(client_for, api_for, users, enrolled):
    program, inside, outside = enrolled
    url = reverse("beneficiaries:household_list")
    page = client_for(users["operator"]).get(url, {"program": program.code})
    assert page.status_code == 200
    html = page.content.decode()
    assert inside.get_absolute_url() in html
    assert outside.get_absolute_url() not in html

    answer = api_for(users["operator"]).get("/api/v1/households/", {"program": program.code})
    assert answer.status_code == 200
    ids = {row["id"] for row in answer.json()["results"]}
    assert ids == {inside.pk}

    persons = api_for(users["operator"]).get("/api/v1/persons/", {"program": program.code})
    assert {row["household"] for row in persons.json()["results"]} <= {inside.pk}
    assert len(persons.json()["results"]) == inside.members.count()

    refused = api_for(users["operator"]).get("/api/v1/households/", {"program": "TIDAK-ADA"})
    assert refused.status_code == 400
