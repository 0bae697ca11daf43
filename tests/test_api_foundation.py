"""The API skeleton: health, schema and docs, JSON errors, optimistic locking (HTTP 409)."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError

from welfare.selectors import agency_get


@pytest.mark.django_db
def test_health_reports_app_and_database(client):
    response = client.get("/api/v1/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["database"]["vendor"] == "postgresql"
    assert body["app"]["status"] == "ok"


@pytest.mark.django_db
def test_health_says_when_the_database_is_down(client, monkeypatch):
    from welfare.api import views

    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(views.connection, "cursor", broken_cursor)
    response = client.get("/api/v1/health/")
    assert response.status_code == 503
    assert response.json()["database"]["status"] == "error"


def test_openapi_schema_generates_without_warnings(tmp_path):
    # --fail-on-warn: a serializer or view the generator cannot describe breaks the build, so
    # the published docs never drift from the code.
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert "/api/v1/health/" in text
    assert "/api/v1/agency/" in text


@pytest.mark.django_db
def test_docs_are_served_without_internet(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    redoc = client.get("/api/redoc/")
    html = redoc.content.decode()
    assert redoc.status_code == 200
    assert "/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js" in html
    assert "https://" not in html  # no web fonts or scripts from elsewhere
    assert "<style" not in html and "<script>" not in html


@pytest.mark.django_db
def test_only_the_docs_pages_allow_inline_styles(client, users, client_for):
    """The docs bundles style their elements at run time; the rest of the site keeps the strict
    policy, and scripts stay the app's own everywhere."""

    def policy(response):
        return dict(
            part.strip().split(" ", 1)
            for part in response["Content-Security-Policy"].split(";")
            if part.strip()
        )

    for url in ("/api/docs/", "/api/redoc/"):
        docs = policy(client.get(url))
        assert docs["style-src"] == "'self' 'unsafe-inline'"
        assert docs["script-src"] == "'self'" and docs["connect-src"] == "'self'"
    for response in (client.get("/akun/masuk/"), client_for(users["admin"]).get("/")):
        assert policy(response)["style-src"] == "'self'"


@pytest.mark.django_db
def test_errors_are_json_with_a_message(client, api_for, users):
    anonymous = client.get("/api/v1/me/")
    assert anonymous.status_code in (401, 403)
    assert anonymous["Content-Type"].startswith("application/json")
    assert anonymous.json()["detail"]

    missing = api_for(users["admin"]).get("/api/v1/tidak-ada/")
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("application/json")
    assert missing.json()["code"] == "not_found"

    forbidden = api_for(users["operator"]).put(
        "/api/v1/agency/", {"name": "X", "version": 1}, format="json"
    )
    assert forbidden.status_code == 403
    assert forbidden.json()["detail"] == "Peran Anda tidak diizinkan melakukan ini."


@pytest.mark.django_db
def test_validation_errors_name_the_field(api_for, users):
    agency = agency_get()
    response = api_for(users["admin"]).put(
        "/api/v1/agency/",
        {"name": "Dinas Sosial", "email": "bukan-email", "version": agency.version},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "email" in body["errors"]


@pytest.mark.django_db
def test_stale_api_write_gets_409_and_changes_nothing(api_for, users):
    agency = agency_get()
    first = api_for(users["admin"]).put(
        "/api/v1/agency/",
        {"name": "Dinas Sosial Kabupaten Lebak", "version": agency.version},
        format="json",
    )
    assert first.status_code == 200
    assert first.json()["version"] == agency.version + 1

    stale = api_for(users["admin"]).put(
        "/api/v1/agency/", {"name": "Nama Lama", "version": agency.version}, format="json"
    )
    assert stale.status_code == 409
    assert "diubah oleh" in stale.json()["detail"]
    assert agency_get().name == "Dinas Sosial Kabupaten Lebak"


@pytest.mark.django_db
def test_token_and_bearer_authentication(api_for, users, client):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=users["api_client"])
    for scheme in ("Token", "Bearer"):
        response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"{scheme} {token.key}")
        assert response.status_code == 200
        assert response.json()["role"] == "api_client"
        assert response.json()["can_view_personal"] is False
