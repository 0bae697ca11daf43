"""Settings for the test suite: PostgreSQL from DATABASE_URL, fast hashing, files in a temp dir."""

import os
import tempfile

os.environ.setdefault("WELFARE_DEV", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/welfare")
os.environ.setdefault("WELFARE_VAR_DIR", tempfile.mkdtemp(prefix="welfare-test-"))

from .settings import *  # noqa: F403
from .settings import TASKS

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SECURE_PROXY_SSL_HEADER = None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {**TASKS["default"], "BACKEND": "django_tasks_db.DatabaseBackend"}}
REDIS_URL_TEST = os.environ.get("REDIS_URL_TEST", "redis://127.0.0.1:6379/15")
RQ_QUEUES = {"default": {"URL": REDIS_URL_TEST, "DEFAULT_TIMEOUT": 600}}
AXES_ENABLED = True
LANGUAGE_CODE = "id"
