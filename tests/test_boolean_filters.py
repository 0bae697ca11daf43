"""Yes/no filters refuse what is neither: `?active=mungkin` is a 400 naming the parameter in the
API and an error beside the field on a page — never a list that silently ignored the filter."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator

from tests.factories.fieldwork import PsksPersonFactory
from welfare.api.params import StrictNullBooleanField


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("true", True),
        ("True", True),
        ("1", True),
        ("ya", True),
        ("2", True),
        ("false", False),
        ("0", False),
        ("tidak", False),
        ("3", False),
        ("", None),
        ("unknown", None),
        (None, None),
    ],
)
def test_a_yes_no_value_is_read_as_django_and_the_select_write_it(raw, expected):
    assert StrictNullBooleanField(required=False).clean(raw) is expected


def test_any_other_value_is_refused_with_the_value_named():
    with translation.override("id"), pytest.raises(Exception) as refused:
        StrictNullBooleanField(required=False).clean("mungkin")
    assert refused.value.messages == ["“mungkin” bukan nilai ya/tidak: gunakan true atau false."]


def _boolean_list_parameters():
    """(path, parameter) for every boolean query parameter of a list endpoint in the schema, so
    that a new yes/no filter is tested without being listed here."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if "{" in path or not get:
            continue
        for parameter in get.get("parameters", []):
            if parameter["in"] == "query" and parameter["schema"].get("type") == "boolean":
                found.append((path, parameter["name"]))
    return found


@pytest.mark.django_db
def test_every_boolean_api_filter_refuses_a_word_it_does_not_know(users, api_for):
    parameters = _boolean_list_parameters()
    # the enrollments' overridden, the report versions' whole and approved, the PSKS filters
    assert {name for _, name in parameters} >= {"overridden", "whole", "approved", "certified"}
    client = api_for(users["admin"])
    for path, name in parameters:
        for good in ("true", "false", ""):
            response = client.get(path, {name: good}, HTTP_ACCEPT_LANGUAGE="id")
            assert response.status_code == 200, (path, name, good, response.content[:300])
        refused = client.get(path, {name: "mungkin"}, HTTP_ACCEPT_LANGUAGE="id")
        assert refused.status_code == 400, (path, name)
        assert refused.json()["errors"][name] == [
            "“mungkin” bukan nilai ya/tidak: gunakan true atau false."
        ], (path, refused.json())


@pytest.mark.django_db
def test_a_page_shows_the_refusal_beside_the_field_and_filters_on_the_rest(
    users, client_for, district_a, district_b
):
    certified = PsksPersonFactory(
        name="Siti Bersertifikat", district=district_a, certified_on=datetime.date(2024, 3, 1)
    )
    other = PsksPersonFactory(name="Budi Lain", district=district_b)
    client: Client = client_for(users["admin"])

    page = client.get(
        "/lapangan/psks/orang/",
        {"certified": "mungkin", "district": district_a.pk},
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "bukan nilai ya/tidak" in html
    assert certified.name in html and other.name not in html

    assert re.search(
        r'<select name="certified"[^>]*>\s*<option value="unknown"[^>]*>Semua</option>', html
    )  # the choice that filters nothing reads "All", not "Unknown"

    chosen = client.get("/lapangan/psks/orang/", {"certified": "false"})
    assert other.name in chosen.content.decode()
    assert certified.name not in chosen.content.decode()


@pytest.mark.django_db
def test_hand_read_parameters_refuse_what_they_cannot_read(users, api_for):
    client = api_for(users["admin"])
    for path, name in (
        ("/api/v1/performance/indicators/", "level"),
        ("/api/v1/performance/realizations/", "status"),
        ("/api/v1/fieldwork/stats/disaster-victims/", "measure"),
    ):
        refused = client.get(path, {name: "entah"}, HTTP_ACCEPT_LANGUAGE="id")
        assert refused.status_code == 400, (path, name)
        assert refused.json()["errors"][name][0].startswith("Pilih salah satu: "), path
    assert client.get("/api/v1/performance/indicators/", {"level": "sasaran"}).status_code == 200
