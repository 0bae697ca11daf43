"""Settings for the Dinas Sosial welfare application.

Everything that differs between a laptop demo and production comes from the environment
(see README.md, "Production"). With no environment at all the app runs on an embedded SQLite
database with the database-backed task queue, which is what `make run` uses.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("WELFARE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("WELFARE_DEBUG", False)
# WELFARE_DEV=1 marks a local demo or development machine: an insecure key is allowed and
# cookies are not marked secure. Production sets WELFARE_SECRET_KEY and leaves WELFARE_DEV unset.
DEV = env_bool("WELFARE_DEV", False)
SECRET_KEY = os.environ.get("WELFARE_SECRET_KEY") or (
    "dev-insecure-key-only-for-local-demo-" + "x" * 32 if DEBUG or DEV else ""
)
if not SECRET_KEY:
    raise RuntimeError(
        "WELFARE_SECRET_KEY is not set. Set it in production, or WELFARE_DEV=1 for a local demo."
    )
ALLOWED_HOSTS = env_list("WELFARE_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("WELFARE_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "django_tasks_db",
    "django_rq",
    # The product's own apps, one per domain.
    "welfare",
    "accounts",
    "regions",
    "beneficiaries",
    "programs",
    "fieldwork",
    "performance",
    "reports",
]

MIDDLEWARE = [
    "welfare.metrics.MetricsMiddleware",
    "welfare.logging.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "welfare.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "welfare.urls"
CSRF_FAILURE_VIEW = "welfare.views.csrf_failure"
FORM_RENDERER = "welfare.forms.FormRenderer"
WSGI_APPLICATION = "welfare.wsgi.application"
ASGI_APPLICATION = "welfare.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "welfare.context_processors.shell",
            ],
            # unlocalize: ids and years in links and values are written without grouping.
            "builtins": ["welfare.templatetags.formatting", "django.templatetags.l10n"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'welfare.sqlite3'}"),
        conn_max_age=int(os.environ.get("WELFARE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the background worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Covering indexes (INCLUDE) are measured on PostgreSQL; the embedded demo does without.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
# A streaming replica for statistics and reports (see welfare/db_router.py).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("WELFARE_CONN_MAX_AGE", "60")),
    )
DATABASE_ROUTERS = ["welfare.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, queue ---------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    # File-based so that the web process and the worker share job progress without a server.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Background jobs go through Django's Tasks framework. The default needs no server (the
# database is the queue, `manage.py db_worker` runs it); with REDIS_URL set, jobs go to RQ on
# Redis and `manage.py rqworker default` runs them on as many hosts as needed.
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 3600}}
RQ = {"JOB_CLASS": "django_tasks_rq.backend.Job"}  # RQ workers run Django Tasks
TASKS_BACKEND = os.environ.get("WELFARE_TASKS_BACKEND", "rq" if REDIS_URL else "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
            "immediate": "django.tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
        "QUEUES": ["default"],
    }
}

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling: after 5 failures for one user name from one address, wait 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("WELFARE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("WELFARE_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
SESSION_COOKIE_AGE = 60 * 60 * 10
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("WELFARE_TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["welfare.formats"]

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("WELFARE_STATIC_ROOT", VAR_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("WELFARE_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or DEV
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Serve from STATICFILES_DIRS directly when collectstatic has not run (demo, tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
# Uploads bigger than this are refused by the upload forms (bytes).
WELFARE_MAX_UPLOAD_SIZE = int(os.environ.get("WELFARE_MAX_UPLOAD_SIZE", str(300 * 1024 * 1024)))

# --- Security -------------------------------------------------------------------------------
SECURE = env_bool("WELFARE_SECURE", not DEBUG and not DEV)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env_bool("WELFARE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE and env_bool("WELFARE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere: every page satisfies this policy.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "worker-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "welfare.api.authentication.BearerOrTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "welfare.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "welfare.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "600/min"},
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Sistem Informasi Dinas Sosial",
    "DESCRIPTION": (
        "REST API for the registry, programs, field work, performance and reports of a "
        "Dinas Sosial. API clients receive aggregated statistics only."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]",
    "ENUM_NAME_OVERRIDES": {},
}

# --- Logging: JSON lines without personal data (welfare/logging.py) ---------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "welfare.logging.PersonalDataFilter"}},
    "formatters": {
        "json": {"()": "welfare.logging.JsonLogFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": os.environ.get("WELFARE_LOG_FORMAT", "plain" if DEV else "json"),
            "filters": ["personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("WELFARE_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Django logs 4xx/5xx with the raw path; welfare.request logs every request by route.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        "welfare.request": {"level": "INFO" if not DEV else "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# --- The deployment -------------------------------------------------------------------------
# The regency this office serves (Kemendagri code). Kabupaten Lebak by default.
WELFARE_HOME_REGENCY = os.environ.get("WELFARE_HOME_REGENCY", "36.02")
# Roles that see NIK, No. KK, names and addresses in full; other roles see them masked.
WELFARE_PERSONAL_DATA_ROLES = env_list(
    "WELFARE_PERSONAL_DATA_ROLES", "admin,kepala_bidang,operator,tksk"
)
# Bearer token of the Prometheus scraper for /api/v1/metrics/ (administrators may read it too).
WELFARE_METRICS_TOKEN = os.environ.get("WELFARE_METRICS_TOKEN", "")
# Statistics below this count are suppressed for API clients (no person can be singled out).
WELFARE_SMALL_COUNT_THRESHOLD = int(os.environ.get("WELFARE_SMALL_COUNT_THRESHOLD", "5"))

# --- Field work (fieldwork) -----------------------------------------------------------------
# Names of the field work enums in the API schema (two models have a "status").
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "SubmissionStatusEnum": "fieldwork.models.SubmissionStatus",
        "ReferralStatusEnum": "fieldwork.models.ReferralStatus",
        "DisabilitySeverityEnum": "beneficiaries.models.DisabilitySeverity",
    }
)
# The program imports' "kind" (the performance import and the jobs have a "kind" too).
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["ProgramImportKindEnum"] = (
    "programs.models.ProgramImport.Kind"
)
