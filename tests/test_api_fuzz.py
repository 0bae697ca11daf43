"""Fuzzing the API (issue 8 point 3): schemathesis generates requests from the OpenAPI schema for
every operation and sends them as an operator and as an API client. No request may cause a
server error. Bounded: FUZZ_EXAMPLES examples per operation (default 15)."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())

fuzz_settings = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Like Django's test client: the test's database connection (inside its transaction) must
    not be closed at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _token(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key


@pytest.mark.django_db
@schema.parametrize()
@fuzz_settings
def test_fuzz_as_operator(case, users):
    case.call_and_validate(
        headers={"Authorization": f"Token {_token(users['operator'])}"}, checks=[not_a_server_error]
    )


@pytest.mark.django_db
@schema.parametrize()
@fuzz_settings
def test_fuzz_as_api_client(case, users):
    case.call_and_validate(
        headers={"Authorization": f"Token {_token(users['api_client'])}"},
        checks=[not_a_server_error],
    )
