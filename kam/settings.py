"""Settings for the KAM CRM, read from the environment (one file for every deployment)."""

import ipaddress
import os
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Final

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("KAM_DATA_DIR", BASE_DIR / "data"))


TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


def env_bool(name: str, default: bool) -> bool:
    """1/0, true/false, yes/no, on/off in any case; anything else (a typo such as
    `flase`) stops the start with a line naming the variable, never a silent False."""
    value = os.environ.get(name, "").strip()
    if value == "":
        return default
    if value.lower() in TRUE_WORDS:
        return True
    if value.lower() in FALSE_WORDS:
        return False
    sys.exit(
        f"KAM CRM refuses to start: {name}={value!r} is not a yes/no value; "
        "write 1/0, true/false, yes/no or on/off."
    )


def env_int(name: str, default: int, *, minimum: int, maximum: int) -> int:
    """A whole number within bounds; anything else stops the start with a clear line."""
    value = os.environ.get(name, "").strip()
    if value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        sys.exit(f"KAM CRM refuses to start: {name}={value!r} is not a whole number.")
    if not minimum <= number <= maximum:
        sys.exit(f"KAM CRM refuses to start: {name}={number} is outside {minimum}..{maximum}.")
    return number


def env_int_map(name: str, default: dict[str, int], *, maximum: int) -> dict[str, int]:
    """`A=30,B=60,C=90`: whole numbers for exactly the keys of `default` (the missing ones
    keep their default); an unknown key or a bad number stops the start."""
    value = os.environ.get(name, "").strip()
    result = dict(default)
    if value == "":
        return result
    for item in value.split(","):
        key, sep, number = (part.strip() for part in item.partition("="))
        if not sep or key not in default or not number.isdigit() or int(number) > maximum:
            sys.exit(
                f"KAM CRM refuses to start: {name}={value!r}; write e.g. "
                + ",".join(f"{k}={v}" for k, v in default.items())
                + f" with numbers from 0 to {maximum}."
            )
        result[key] = int(number)
    return result


def env_int_list(name: str, default: list[int], *, maximum: int) -> list[int]:
    """`90,30,7`: distinct whole numbers from 1 to `maximum`, returned largest first."""
    value = os.environ.get(name, "").strip()
    if value == "":
        return sorted(default, reverse=True)
    items = [item.strip() for item in value.split(",")]
    if not all(item.isdigit() and 1 <= int(item) <= maximum for item in items):
        sys.exit(
            f"KAM CRM refuses to start: {name}={value!r}; write whole numbers from 1 to "
            f"{maximum} separated by commas, e.g. " + ",".join(map(str, default)) + "."
        )
    return sorted({int(item) for item in items}, reverse=True)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # A one-line refusal instead of a traceback: the operator must set a real key.
        sys.exit(
            "KAM CRM refuses to start: SECRET_KEY is not set and DEBUG is off. "
            "Set SECRET_KEY to a long random string (or DEBUG=1 for local development)."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "simple_history",
    "kam",
    "users",
    "accounts",
    "activities",
    "deals",
    "contracts",
    "customer_care",
    "planning",
    "reviews",
    "reminders",
    "portfolio",
    "imports",
    "webhooks",
    "calendars",
]

MIDDLEWARE = [
    "kam.middleware.RequestIdMiddleware",  # first: every answer and log line has the id
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kam.middleware.PrivateNoStoreMiddleware",
    "kam.middleware.RefuseNulMiddleware",
    "users.middleware.UserLanguageMiddleware",
    "kam.api.idempotency.IdempotencyMiddleware",  # after the language: errors translated
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kam.htmx.HtmxMessagesMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kam.urls"
WSGI_APPLICATION = "kam.wsgi.application"
ASGI_APPLICATION = "kam.asgi.application"

# A directory of templates that come before the built-in ones, so that an installation can
# override the presentation folder (reviews/print/folder.html and its blocks, see
# docs/annual-review.md). Empty: the built-in templates only.
FOLDER_TEMPLATE_DIR = os.environ.get("FOLDER_TEMPLATE_DIR", "")
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [
            *([Path(FOLDER_TEMPLATE_DIR)] if FOLDER_TEMPLATE_DIR else []),
            BASE_DIR / "templates",
        ],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kam.context_processors.installation",
                "kam.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite under the data folder unless DATABASE_URL names another (PostgreSQL in
# production and CI).
DATA_DIR.mkdir(parents=True, exist_ok=True)
# Connections per process (docs/production.md "Database connections"): either persistent
# connections kept DB_CONN_MAX_AGE seconds and checked before reuse (one per gunicorn
# thread or Celery child), or with DB_POOL_MAX_SIZE psycopg's pool of DB_POOL_MIN_SIZE to
# DB_POOL_MAX_SIZE connections per process (PostgreSQL only; it replaces DB_CONN_MAX_AGE).
DB_POOL_MAX_SIZE = env_int("DB_POOL_MAX_SIZE", 0, minimum=0, maximum=1000)
DB_POOL_MIN_SIZE = env_int("DB_POOL_MIN_SIZE", 1, minimum=0, maximum=1000)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'kam.sqlite3'}",
        conn_max_age=0
        if DB_POOL_MAX_SIZE
        else env_int("DB_CONN_MAX_AGE", 60, minimum=0, maximum=24 * 3600),
        conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", True),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Tests on SQLite use a file, not Django's shared in-memory database: the live server
    # of the browser tests runs in another thread, and one in-memory connection used by two
    # threads at once fails ("bad parameter or other API misuse"). Each parallel test
    # process gets its own file (pytest-django appends the worker's name). Writers wait for
    # each other instead of failing with "database is locked".
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test_kam.sqlite3")}
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
if IS_POSTGRES:
    INSTALLED_APPS.append("django.contrib.postgres")  # trigram search
    # JIT compilation costs more than it saves on short interactive queries (measured on
    # the "My work" page: 545 ms with it, 173 ms without; see benchmarks/README.md).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    if DB_POOL_MAX_SIZE:
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": min(DB_POOL_MIN_SIZE, DB_POOL_MAX_SIZE),
            "max_size": DB_POOL_MAX_SIZE,
            "timeout": env_int("DB_POOL_TIMEOUT", 10, minimum=1, maximum=300),
        }
elif DB_POOL_MAX_SIZE:
    sys.exit("KAM CRM refuses to start: DB_POOL_MAX_SIZE needs PostgreSQL (DATABASE_URL).")

AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttling: after AXES_FAILURE_LIMIT failures for one user name from one address
# the pair is locked for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "users.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "users.client_ip.client_ip"

# Internationalisation: German first, English second.
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True
# Off: ids printed into links and attributes must stay plain ("1380", not "1.380").
# Amounts are grouped explicitly by the `money` filter (force_grouping).
USE_THOUSAND_SEPARATOR = False
LANGUAGE_COOKIE_NAME = "kam_language"
# Every yes/no setting is read at start, also where DEBUG makes it moot, so that a typo
# stops the start in every environment.
HTTPS = env_bool("KAM_HTTPS", True) and not DEBUG
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE: Final = "Lax"
CURRENCY = os.environ.get("CURRENCY", "EUR")
# Our name and logo on the cover of the annual review's presentation folder (an SVG or PNG
# file; empty: the built-in logo).
COMPANY_NAME = os.environ.get("COMPANY_NAME", "KAM CRM")
COMPANY_LOGO = os.environ.get("COMPANY_LOGO", "")
# The folder's branding page (reviews.branding): the largest logo an administrator may
# upload.
BRANDING_LOGO_MAX_BYTES = int(os.environ.get("BRANDING_LOGO_MAX_BYTES", str(512 * 1024)))
# Planning: a plan not reviewed for this many days is stale; the target forecast says
# "on track" at or above the first share of the target, "at risk" at or above the second.
PLAN_STALE_DAYS = int(os.environ.get("PLAN_STALE_DAYS", "90"))
FORECAST_ON_TRACK_PERCENT = int(os.environ.get("FORECAST_ON_TRACK_PERCENT", "95"))
FORECAST_AT_RISK_PERCENT = int(os.environ.get("FORECAST_AT_RISK_PERCENT", "80"))
# Portfolio: ABC lines of the Pareto curve (cumulative share of revenue in %), the days
# without contact after which an account of tier A, B or C counts as neglected, the
# "contacted recently" window of the health score, and the health drop that is flagged.
PORTFOLIO_ABC_A = int(os.environ.get("PORTFOLIO_ABC_A", "80"))
PORTFOLIO_ABC_B = int(os.environ.get("PORTFOLIO_ABC_B", "95"))
# The days without contact per tier are one setting for the dashboard and the reminders:
# REMINDER_SILENCE_DAYS (below). The former PORTFOLIO_CONTACT_DAYS_A/B/C are refused so
# that no installation keeps two limits without noticing.
for _old in ("PORTFOLIO_CONTACT_DAYS_A", "PORTFOLIO_CONTACT_DAYS_B", "PORTFOLIO_CONTACT_DAYS_C"):
    if _old in os.environ:
        raise ImproperlyConfigured(
            f"{_old} is replaced by REMINDER_SILENCE_DAYS (one limit per tier for the"
            " dashboard and the reminders)."
        )
PORTFOLIO_HEALTH_CONTACT_DAYS = int(os.environ.get("PORTFOLIO_HEALTH_CONTACT_DAYS", "60"))
PORTFOLIO_HEALTH_DROP = int(os.environ.get("PORTFOLIO_HEALTH_DROP", "15"))
# Seconds the aggregates of kam/versioned_cache (cockpit, dashboard, drill-down counts, team
# figures, pipeline totals) stay cached at most; a write through a service (or the admin)
# refreshes them on commit by its domain event, writes around the services only after
# this. 0 turns the cache off. PORTFOLIO_CACHE_SECONDS, its former name, is read if the
# new one is not set.
VERSIONED_CACHE_SECONDS = env_int(
    "VERSIONED_CACHE_SECONDS",
    env_int("PORTFOLIO_CACHE_SECONDS", 300, minimum=0, maximum=86400),
    minimum=0,
    maximum=86400,
)
# Domain events (kam/events.py) run their subscribers after commit; tests, whose
# transaction never commits, run them at publish instead (tests/conftest.py).
EVENTS_RUN_AT_PUBLISH = False
# The activity, opportunity, issue and contact lists count at most this many rows and
# then say "more than" (kam/paging.py): an exact count would read every row.
LIST_COUNT_BOUND = env_int("LIST_COUNT_BOUND", 10_000, minimum=100, maximum=10_000_000)
# Entries per page of every per-object history (the account's History tab, a deal's,
# contract's, issue's, plan's ... history); older entries are a link away.
HISTORY_PAGE_SIZE = env_int("HISTORY_PAGE_SIZE", 50, minimum=5, maximum=500)
# Rows per database round trip of a list export (kam.export), and per piece of a
# streamed CSV: memory stays bounded by this, however long the list.
EXPORT_CHUNK_SIZE = env_int("EXPORT_CHUNK_SIZE", 2000, minimum=1, maximum=100_000)
# An XLSX export of more rows than this is built by a task, with a download link when it
# is ready (kam.export); 0: always in the request.
EXPORT_XLSX_TASK_ROWS = env_int("EXPORT_XLSX_TASK_ROWS", 50_000, minimum=0, maximum=10_000_000)
# Such files (and their records) are deleted this many days after they were asked for.
EXPORT_FILE_DAYS = env_int("EXPORT_FILE_DAYS", 7, minimum=1, maximum=365)
# Satisfaction: a year's NPS shows a trend only from this many NPS answers on.
NPS_MIN_ANSWERS = int(os.environ.get("NPS_MIN_ANSWERS", "5"))
# Business cases: the default discount rate (%) for net present value and IRR.
BUSINESS_CASE_DISCOUNT_RATE = Decimal(os.environ.get("BUSINESS_CASE_DISCOUNT_RATE", "8"))
# The run-rate part of the forecast for the months not yet covered by actuals: "last_year"
# (last year's revenue, pro rata), "trailing_year" (the twelve months up to the actuals'
# day, pro rata) or "none".
FORECAST_RUN_RATE = os.environ.get("FORECAST_RUN_RATE", "last_year")
if FORECAST_RUN_RATE not in ("last_year", "trailing_year", "none"):
    raise ImproperlyConfigured(
        f"FORECAST_RUN_RATE={FORECAST_RUN_RATE!r}: use last_year, trailing_year or none"
    )

# Static files, vendored under static/ and served by WhiteNoise.
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Stored files (contract documents, folder versions, coaching material) go through
# Django's storage API only, so that any storage serves: a local folder by default
# (MEDIA_ROOT), S3-compatible object storage (AWS S3, MinIO, Ceph...) when S3_BUCKET is set,
# shared by every web and worker process on every machine (docs/production.md "Storage").
S3_BUCKET = os.environ.get("S3_BUCKET", "").strip()
# Downloads: "stream" sends the file through the app; "redirect" answers (after the scope
# check) with a pre-signed URL of the object storage valid for FILE_URL_SECONDS.
FILE_DOWNLOAD = os.environ.get("FILE_DOWNLOAD", "stream").strip() or "stream"
if FILE_DOWNLOAD not in ("stream", "redirect"):
    sys.exit(f"KAM CRM refuses to start: FILE_DOWNLOAD={FILE_DOWNLOAD!r}; write stream or redirect")
if FILE_DOWNLOAD == "redirect" and not S3_BUCKET:
    sys.exit("KAM CRM refuses to start: FILE_DOWNLOAD=redirect needs object storage (S3_BUCKET).")
FILE_URL_SECONDS = env_int("FILE_URL_SECONDS", 60, minimum=5, maximum=3600)
if S3_BUCKET:
    DEFAULT_STORAGE: dict = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            # MinIO and most S3-compatible servers want the bucket in the path.
            "addressing_style": os.environ.get("S3_ADDRESSING_STYLE", "path"),
            "signature_version": "s3v4",
            "default_acl": "private",  # never a public object, whatever the bucket says
            "querystring_auth": True,
            "querystring_expire": FILE_URL_SECONDS,
            "file_overwrite": False,  # like the local folder: a taken name gets a new one
            "location": os.environ.get("S3_PREFIX", "").strip("/"),
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded documents live outside the web root: there is no MEDIA_URL route, they are
# served only through views that check the access scope.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_MB", "10")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Imports (CSV/XLSX): the largest file accepted, and the rows written per transaction.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_MB", 20, minimum=1, maximum=1024) * 1024 * 1024
# Webhooks (docs/integrating-webhooks.md): receivers on loopback or private addresses are
# refused unless this is on (development, tests).
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", False)
IMPORT_BATCH_ROWS = env_int("IMPORT_BATCH_ROWS", 500, minimum=1, maximum=100_000)

# HTTPS: on by default outside DEBUG. KAM_HTTPS=0 only for plain-HTTP test servers.
# (HTTPS itself is set above, next to the language cookie.)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True) and HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# HSTS preloading binds the whole domain to HTTPS for years and cannot be undone quickly;
# the operator opts in with SECURE_HSTS_PRELOAD=1, so the deploy check's reminder is silenced.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies append to X-Forwarded-For in front of the app (users.client_ip).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1" if BEHIND_TLS_PROXY else "0"))

# Content Security Policy: no inline scripts, no eval; scripts only from our origin.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

SMTP_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# E-mail: printed to the console unless EMAIL_HOST names an SMTP server (or EMAIL_FILE_PATH
# a folder to write them to).
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": SMTP_USE_TLS,
            },
        }
    }
elif os.environ.get("EMAIL_FILE_PATH"):
    # Each e-mail as a file in this folder (tests that count mails across processes).
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": os.environ["EMAIL_FILE_PATH"]},
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "KAM CRM <kam@localhost>")

# Redis: broker, result backend and cache when REDIS_URL is set. Without it, tasks run in
# process and the cache is local memory, so a laptop needs nothing but Python.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kam",
            # Fail fast when Redis is away: requests must not hang on the cache.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Redis hands an unacknowledged task to another worker after this many seconds. Tasks are
# acknowledged late, so a task must finish (time limit) well within it, and no task may be
# scheduled with an ETA or countdown beyond it (Redis would deliver it twice).
CELERY_VISIBILITY_TIMEOUT = env_int(
    "CELERY_VISIBILITY_TIMEOUT", 3600, minimum=600, maximum=7 * 24 * 3600
)
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # A web request that queues work must not hang while Redis is away.
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Reading a result with Redis away: a few quick tries, not about 20 s of them.
    "retry_policy": {"max_retries": 2, "interval_start": 0, "interval_step": 0.5,
                     "interval_max": 1},
}  # fmt: skip
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
# Folder renders (reviews.rendering): each attempt holds a lease of the hard time limit;
# at the soft limit it stops and fails with a readable message. A version whose lease ran
# out, or that waits "queued" longer than FOLDER_QUEUE_GRACE_SECONDS, is taken again by
# beat's scan or the next request, up to FOLDER_RENDER_MAX_ATTEMPTS attempts.
FOLDER_RENDER_TIME_LIMIT = env_int("FOLDER_RENDER_TIME_LIMIT", 300, minimum=10, maximum=3000)
FOLDER_RENDER_SOFT_TIME_LIMIT = FOLDER_RENDER_TIME_LIMIT * 4 // 5
FOLDER_RENDER_MAX_ATTEMPTS = env_int("FOLDER_RENDER_MAX_ATTEMPTS", 3, minimum=1, maximum=10)
FOLDER_QUEUE_GRACE_SECONDS = env_int("FOLDER_QUEUE_GRACE_SECONDS", 300, minimum=5, maximum=3600)
# Bounded input (kam.validators): characters per free text, entries per list a user grows.
TEXT_MAX_CHARS = env_int("TEXT_MAX_CHARS", 20_000, minimum=1000, maximum=1_000_000)
LIST_MAX_ITEMS = env_int("LIST_MAX_ITEMS", 100, minimum=10, maximum=10_000)
# A folder longer than this fails with a readable message instead of filling the disk.
FOLDER_MAX_PAGES = env_int("FOLDER_MAX_PAGES", 300, minimum=10, maximum=5000)
# Memory a folder render may use beyond the worker's own (reviews.rendering.memory_budget):
# past it the render fails with a readable message. A worker child that still grew past
# this is replaced after its task (Celery's worker_max_memory_per_child, in KiB).
FOLDER_RENDER_MEMORY_MB = env_int("FOLDER_RENDER_MEMORY_MB", 1024, minimum=64, maximum=65536)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = (FOLDER_RENDER_MEMORY_MB + 512) * 1024
if max(CELERY_TASK_TIME_LIMIT, FOLDER_RENDER_TIME_LIMIT) >= CELERY_VISIBILITY_TIMEOUT:
    sys.exit("KAM CRM refuses to start: CELERY_VISIBILITY_TIMEOUT must exceed the task time limit.")
CELERY_RESULT_EXPIRES = 3600
# Queues by kind of work (docs/production.md "Queues"), each served by workers of its own:
# a long folder render never holds up a reminder. "celery" takes everything else (imports,
# the nightly jobs, beat's scans). A worker names the queues it serves with -Q.
FOLDER_QUEUE = "folders"
NOTIFICATION_QUEUE = "notifications"
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {
    "reviews.tasks.render_folder": {"queue": FOLDER_QUEUE},
    "reminders.tasks.*": {"queue": NOTIFICATION_QUEUE},
    "webhooks.tasks.*": {"queue": NOTIFICATION_QUEUE},
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request that queues work or reads a result must not hang while Redis is away
# (the defaults retry for about 20 s): a few quick tries, then the error reaches the view.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1,
}  # fmt: skip
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 5
# Reminders (the reminders app; README "Reminders"). Beat scans each rule every
# REMINDER_SCAN_SECONDS; digests go out from REMINDER_DIGEST_HOUR (local time), the weekly
# one on REMINDER_DIGEST_WEEKDAY (0 = Monday) or, if that run was missed, later that week.
REMINDER_SCAN_SECONDS = env_int("REMINDER_SCAN_SECONDS", 3600, minimum=5, maximum=24 * 3600)
# A figures write queues the dependency ranking of its year (portfolio.dependency) this
# many seconds later: the writes of a burst (an ERP push) are ranked once.
DEPENDENCY_RANK_DELAY_SECONDS = env_int("DEPENDENCY_RANK_DELAY_SECONDS", 2, minimum=0, maximum=300)
# Periodic jobs, kept here so that they are reviewed with the code.
CELERY_BEAT_SCHEDULE = {
    "webhooks-send-due": {"task": "webhooks.tasks.send_due", "schedule": 30},
    "purge-idempotency-keys": {"task": "kam.tasks.purge_idempotency_keys", "schedule": 60 * 60},
    "purge-export-files": {"task": "kam.tasks.purge_export_files", "schedule": 60 * 60},
    "clear-expired-sessions": {
        "task": "kam.tasks.clear_expired_sessions",
        "schedule": 24 * 60 * 60,
    },
    "refresh-due-last-contacts": {
        "task": "activities.tasks.refresh_due_last_contacts",
        "schedule": 60 * 60,
    },
    "reviews-queue-waiting-folders": {
        # Folder renders never handed over, lost by Redis or past their lease (reviews.rendering).
        "task": "reviews.tasks.queue_waiting_folders",
        "schedule": 60,
    },
    "accounts-roll-over-revenue-keys": {
        # The account list's revenue sort key (Account.revenue_key) at New Year.
        "task": "accounts.tasks.roll_over_revenue_keys",
        "schedule": crontab(hour=0, minute=1),
    },
    "contracts-refresh-passed-notice-deadlines": {
        # Stored next notice deadlines (Contract.next_notice_on) that passed yesterday.
        "task": "contracts.tasks.refresh_passed_notice_deadlines",
        "schedule": crontab(hour=0, minute=15),
    },
    "planning-nightly-forecasts": {
        # The stored forecast of open objectives: the run-rate depends on today.
        "task": "planning.tasks.refresh_forecasts",
        "schedule": crontab(hour=2, minute=15),
    },
    "portfolio-nightly-scores": {
        # The portfolio matrix of this year and this week's health scores.
        "task": "portfolio.tasks.nightly_scores",
        "schedule": crontab(hour=2, minute=30),
    },
    "deals-weekly-snapshot": {
        # The open pipeline as it stands each Monday ("what changed in the pipeline").
        "task": "deals.tasks.take_snapshots",
        "schedule": crontab(day_of_week=1, hour=0, minute=30),
    },
    # The digest every quarter of an hour (it sends only what is due, reminders.digests).
    "reminders-digests": {"task": "reminders.tasks.send_digests", "schedule": 15 * 60},
}
# One scan per reminder rule (reminders/rules/), its key the only argument; a rule without
# its line here fails tests/reminders/test_celery_settings.py.
CELERY_BEAT_SCHEDULE |= {
    f"reminders-{key}": {
        "task": "reminders.tasks.scan",
        "schedule": REMINDER_SCAN_SECONDS,
        "args": (key,),
    }
    for key in (
        "follow_up_due", "deal_follow_up_due", "contract_notice", "contract_notice_missed",
        "contact_silence", "plan_not_reviewed", "objective_at_risk", "plan_action_overdue",
        "issue_overdue", "issue_escalated", "review_missing", "review_preparation",
        "contract_end", "review_overdue",
    )
}  # fmt: skip

REMINDER_DIGEST_HOUR = env_int("REMINDER_DIGEST_HOUR", 7, minimum=0, maximum=23)
REMINDER_DIGEST_WEEKDAY = env_int("REMINDER_DIGEST_WEEKDAY", 0, minimum=0, maximum=6)
# Contract notice deadlines are reminded this many days ahead (each stage once).
REMINDER_NOTICE_DAYS = env_int_list("REMINDER_NOTICE_DAYS", [90, 30, 7], maximum=365)
# A fixed-term contract (no automatic renewal) is reminded of its end this many days ahead.
REMINDER_CONTRACT_END_DAYS = env_int_list("REMINDER_CONTRACT_END_DAYS", [90, 30], maximum=365)
# Contact silence: a key account without logged contact for more than this many days, by tier.
REMINDER_SILENCE_DAYS = env_int_map(
    "REMINDER_SILENCE_DAYS", {"A": 30, "B": 60, "C": 90}, maximum=3650
)
# An overdue customer issue is escalated to its department's lead and the heads of sales
# this many days after its due date, by severity.
REMINDER_ESCALATION_DAYS = env_int_map(
    "REMINDER_ESCALATION_DAYS",
    {"critical": 0, "high": 1, "medium": 3, "low": 7},
    maximum=365,
)
# Annual reviews: a key account without one for this many months; preparation starts this
# many days before a planned review.
REMINDER_REVIEW_MONTHS = env_int("REMINDER_REVIEW_MONTHS", 12, minimum=1, maximum=60)
REMINDER_REVIEW_PREPARATION_DAYS = env_int(
    "REMINDER_REVIEW_PREPARATION_DAYS", 30, minimum=0, maximum=365
)
# Links in e-mails: the address users open the CRM at.
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "users.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "kam.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "kam.api.filters.FilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "kam.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "kam.api.errors.exception_handler",
    "DEFAULT_METADATA_CLASS": "kam.api.metadata.Metadata",
    # JSON bodies only (any other content type answers 415), so that the schema's types
    # are what arrives: in a form every value is text. Uploads add multipart in the view.
    "DEFAULT_PARSER_CLASSES": ["kam.api.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [
        "kam.api.throttling.AnonThrottle",
        "kam.api.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "60/min"),
        "user": os.environ.get("API_THROTTLE_USER", "1200/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
FILTERS_EMPTY_CHOICE_LABEL = _("– all –")  # a filter left empty filters nothing
SPECTACULAR_SETTINGS = {
    "TITLE": "KAM CRM API",
    "DESCRIPTION": "REST API of the Key Account Management CRM (accounts, contacts, plans).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # 400, 401, 403 and 404 in the error shape on every operation (kam.api.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "kam.api.schema.document_errors",
        "kam.api.schema.document_integration",  # request ids, idempotency, 429
        "kam.api.schema.state_rules",  # decimals with a digit, years in paths
    ],
    # Several models have a "status" or "kind"; give each choice set its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "AccountStatusEnum": "accounts.models.Account.Status",
        "ProfileSectionKindEnum": "accounts.models.ProfileSection.Kind",
        "ActivityKindEnum": "activities.models.Activity.Kind",
        "ContractKindEnum": "contracts.models.Contract.Kind",
        "ContractStatusEnum": "contracts.models.Contract.Status",
        "IssueKindEnum": "customer_care.models.CustomerIssue.Kind",
        "IssueStatusEnum": "customer_care.models.CustomerIssue.Status",
        "AccountPlanStatusEnum": "planning.models.AccountPlan.Status",
        "ObjectiveKindEnum": "planning.models.Objective.Kind",
        "ObjectiveStatusEnum": "planning.models.Objective.Status",
        "PlanActionStatusEnum": "planning.models.Action.Status",
        "ReviewStatusEnum": "reviews.models.AnnualReview.Status",
        "FolderVersionStatusEnum": "reviews.models.FolderVersion.Status",
        "LanguageEnum": "reviews.models.FOLDER_LANGUAGES",
    },
}

# Metrics at /metrics (kam.metrics) for a scraper that sends "Authorization: Bearer
# METRICS_TOKEN" or connects from METRICS_ALLOWED_NETWORKS (e.g. 10.0.0.0/8,127.0.0.1/32);
# with neither, /metrics answers 404 to everyone.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "").strip()
if METRICS_TOKEN and len(METRICS_TOKEN) < 24:
    sys.exit("KAM CRM refuses to start: METRICS_TOKEN must be at least 24 characters long.")
try:
    METRICS_ALLOWED_NETWORKS = [
        ipaddress.ip_network(item, strict=False) for item in env_list("METRICS_ALLOWED_NETWORKS")
    ]
except ValueError as exc:
    sys.exit(f"KAM CRM refuses to start: METRICS_ALLOWED_NETWORKS: {exc}.")
# The scraper asks over plain HTTP inside the private network, not through the proxy.
SECURE_REDIRECT_EXEMPT = [r"^metrics$"]

# Errors to Sentry (or a compatible service) when SENTRY_DSN is set; nothing is sent
# otherwise. No personal data: no user names, e-mail addresses, cookies or request bodies.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
# LOG_FORMAT=json: one JSON object per line (kam.logs) for a log collector; readable lines
# (the format above) otherwise.
LOG_JSON = os.environ.get("LOG_FORMAT", "").strip().lower() == "json"
if os.environ.get("LOG_FORMAT", "").strip().lower() not in ("", "json", "text"):
    sys.exit("KAM CRM refuses to start: LOG_FORMAT must be json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every line names the request (or the task a request queued) it was written for.
    "filters": {"request_id": {"()": "kam.request_id.RequestIdFilter"}},
    "formatters": {
        "default": {"format": LOG_FORMAT},
        "json": {"()": "kam.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_JSON else "default",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}
