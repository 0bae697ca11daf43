"""Web security: log-in throttling, the password policy, secure cookies in production."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.access import Role

from .factories import TEST_PASSWORD, make_user


@pytest.mark.django_db
def test_login_is_locked_after_five_failures(client, regions):
    make_user(Role.OPERATOR, username="korban", bidang_code="dayasos")
    statuses = [
        client.post("/akun/masuk/", {"username": "korban", "password": "salah-sandi"}).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks the account
    locked = client.post("/akun/masuk/", {"username": "korban", "password": TEST_PASSWORD})
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in locked.content.decode()
    # Another user from the same address is not locked out by someone else's failures.
    make_user(Role.OPERATOR, username="lain", bidang_code="dayasos")
    other = client.post("/akun/masuk/", {"username": "lain", "password": TEST_PASSWORD})
    assert other.status_code == 302


@pytest.mark.django_db
def test_a_successful_login_resets_the_counter(client, regions):
    make_user(Role.OPERATOR, username="lupa", bidang_code="dayasos")
    for _attempt in range(4):
        client.post("/akun/masuk/", {"username": "lupa", "password": "salah"})
    assert (
        client.post("/akun/masuk/", {"username": "lupa", "password": TEST_PASSWORD}).status_code
        == 302
    )
    client.post("/akun/keluar/")
    for _attempt in range(4):
        client.post("/akun/masuk/", {"username": "lupa", "password": "salah"})
    assert (
        client.post("/akun/masuk/", {"username": "lupa", "password": TEST_PASSWORD}).status_code
        == 302
    )


@pytest.mark.django_db
def test_password_policy(regions):
    user = make_user(Role.OPERATOR, username="siti.rahma", bidang_code="dayasos")
    for weak in ["pendek1", "1234567890123", "password123", "siti.rahma2026"]:
        with pytest.raises(ValidationError):
            validate_password(weak, user)
    validate_password("Kopi-Lebak-Pagi-2026", user)


@pytest.mark.django_db
def test_password_change_enforces_the_policy(client_for, users):
    client = client_for(users["operator"])
    response = client.post(
        "/akun/kata-sandi/",
        {"old_password": TEST_PASSWORD, "new_password1": "12345", "new_password2": "12345"},
    )
    assert response.status_code == 200
    assert "terlalu pendek" in response.content.decode()


def test_production_cookies_and_headers_are_secure():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("WELFARE_") and k != "DJANGO_SETTINGS_MODULE"
    }
    env.update(
        WELFARE_SECRET_KEY="x" * 60,
        DJANGO_SETTINGS_MODULE="welfare.settings",
        WELFARE_VAR_DIR=os.environ["WELFARE_VAR_DIR"],
    )
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0, "
        "s.SESSION_COOKIE_HTTPONLY, s.DEBUG)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).parent.parent,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["True", "True", "True", "True", "True", "False"], result.stderr
