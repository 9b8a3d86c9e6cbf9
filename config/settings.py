"""Settings: one module, every value from the environment with defaults that work on a developer machine."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# --- Core -------------------------------------------------------------------------------------------------------
DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "incidents",
    "incidents.integrations",
    "incidents.portal",
    "incidents.mail",
    "incidents.workspace",
    "sla",
    "knowledge",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "incidents.middleware.ViewerTimezoneMiddleware",
    # Axes goes last so it sees the authenticated user and can answer lockouts itself.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "incidents.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "incidents.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/itsm"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Security (production defaults switch on when DEBUG is off) -------------------------------------------------
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
X_FRAME_OPTIONS = "DENY"

# --- Email ------------------------------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Service Desk <servicedesk@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery and Redis -------------------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 60)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 90)
CELERY_TIMEZONE = "UTC"
# Publishing must fail fast when Redis is down: the outbox row is already committed and the sweep sends it later.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "incidents.outbox_sweep": {"task": "incidents.outbox_sweep", "schedule": env_int("OUTBOX_SWEEP_SECONDS", 30)},
    "incidents.auto_close_resolved": {"task": "incidents.auto_close_resolved", "schedule": 300},
}

# --- Incidents ----------------------------------------------------------------------------------------------------
INCIDENT_AUTO_CLOSE_DAYS = env_int("INCIDENT_AUTO_CLOSE_DAYS", 3)
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
ATTACHMENT_ALLOWED_TYPES = env_list(
    "ATTACHMENT_ALLOWED_TYPES",
    "image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain,text/csv,application/zip,"
    "application/json,message/rfc822,application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
OUTBOX_BACKOFF_SECONDS = env_int("OUTBOX_BACKOFF_SECONDS", 30)
OUTBOX_BATCH_SIZE = env_int("OUTBOX_BATCH_SIZE", 200)

# --- REST API -----------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ITSM Incident Management API",
    "DESCRIPTION": "Register, work and resolve incidents; SLA timers; knowledge; reports.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Sign-in lockout ------------------------------------------------------------------------------------------------
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# --- Logging: one JSON object per line, for log shippers --------------------------------------------------------
LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# --- SLA engine (owned by sla/) -----------------------------------------------------------------------------------
SLA_TICK_SECONDS = float(env("SLA_TICK_SECONDS", "1"))  # how often beat runs the tick (1-2 s keeps detection tight)
SLA_TICK_BATCH_SIZE = env_int("SLA_TICK_BATCH_SIZE", 500)  # timers claimed per transaction
SLA_TICK_MAX_SECONDS = float(env("SLA_TICK_MAX_SECONDS", "20"))  # a tick stops taking new batches after this
SLA_TICK_SOFT_TIME_LIMIT = env_int("SLA_TICK_SOFT_TIME_LIMIT", 50)
SLA_TICK_TIME_LIMIT = env_int("SLA_TICK_TIME_LIMIT", 60)
CELERY_BEAT_SCHEDULE["sla.tick"] = {"task": "sla.tick", "schedule": SLA_TICK_SECONDS}
# The tick has a queue of its own so a backlog of emails or webhooks never delays breach detection.
CELERY_TASK_ROUTES = {"sla.tick": {"queue": "sla"}}

# --- REST API and integrations (owned by incidents/api and incidents/integrations) ------------------------------
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = [
    # Bearer first: its WWW-Authenticate header turns "not signed in" into 401 rather than 403.
    "incidents.api.auth.BearerTokenAuthentication",
    "rest_framework.authentication.SessionAuthentication",
]
REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] = [
    "rest_framework.permissions.IsAuthenticated",
    "incidents.api.auth.TokenScopePermission",
]
REST_FRAMEWORK["EXCEPTION_HANDLER"] = "incidents.api.errors.exception_handler"
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "incidents.api.throttles.TokenRateThrottle",
    "incidents.api.throttles.UserRateThrottle",
    "incidents.api.throttles.AnonRateThrottle",
]
API_THROTTLE_TOKEN = env("API_THROTTLE_TOKEN", "600/min")  # per API token
API_THROTTLE_USER = env("API_THROTTLE_USER", "1200/min")  # per signed-in browser user
API_THROTTLE_ANON = env("API_THROTTLE_ANON", "60/min")  # per address, before sign-in
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "token": API_THROTTLE_TOKEN,
    "user": API_THROTTLE_USER,
    "anon": API_THROTTLE_ANON,
}
API_THROTTLE_ENABLED = env_bool("API_THROTTLE_ENABLED", True)
# Throttle counters live in Redis so every web process shares them; a Redis outage lets requests through.
API_THROTTLE_CACHE = env("API_THROTTLE_CACHE", "api_throttle")
CACHES = globals().get("CACHES") or {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CACHES["api_throttle"] = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": env("API_THROTTLE_REDIS_URL", REDIS_URL),
    "KEY_PREFIX": "itsm-throttle",
    "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
}
API_PAGE_SIZE = env_int("API_PAGE_SIZE", 50)
API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", 200)
API_IDEMPOTENCY_HOURS = env_int("API_IDEMPOTENCY_HOURS", 24)
API_TOKEN_TOUCH_SECONDS = env_int("API_TOKEN_TOUCH_SECONDS", 60)
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
WEBHOOK_DISABLE_AFTER_FAILURES = env_int("WEBHOOK_DISABLE_AFTER_FAILURES", 10)
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", True)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    "IncidentStateEnum": "incidents.choices.State",
    "LevelEnum": "incidents.choices.Level",
    "PriorityEnum": "incidents.choices.Priority",
}
CELERY_BEAT_SCHEDULE["integrations.purge_idempotency_keys"] = {
    "task": "integrations.purge_idempotency_keys",
    "schedule": 3600,
}

# --- Agent workspace (owned by incidents/views and incidents/workspace) --------------------------------------------
# Sign-in: a clear page when django-axes locks an account after AXES_FAILURE_LIMIT failed passwords.
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
# Session cookies: HttpOnly, SameSite=Lax, Secure outside DEBUG (set above); idle sessions end after SESSION_COOKIE_AGE.
SESSION_COOKIE_SAMESITE = env("SESSION_COOKIE_SAMESITE", "Lax")
CSRF_COOKIE_SAMESITE = env("CSRF_COOKIE_SAMESITE", "Lax")
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from the page (hx-headers), never from the cookie
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", False)
SESSION_SAVE_EVERY_REQUEST = env_bool("SESSION_SAVE_EVERY_REQUEST", False)  # True: the age counts from the last request
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60 * 24)
WORKSPACE_PAGE_SIZE = env_int("WORKSPACE_PAGE_SIZE", 50)
WORKSPACE_POLL_SECONDS = env_int("WORKSPACE_POLL_SECONDS", 30)
WORKSPACE_CATALOG_SECONDS = env_int("WORKSPACE_CATALOG_SECONDS", 30)  # how long filter menus may lag an admin edit

# --- Knowledge (owned by knowledge/) ------------------------------------------------------------------------------
KNOWLEDGE_REVIEW_MONTHS = env_int("KNOWLEDGE_REVIEW_MONTHS", 6)
KNOWLEDGE_SEARCH_PAGE_SIZE = env_int("KNOWLEDGE_SEARCH_PAGE_SIZE", 10)
KNOWLEDGE_SUGGESTIONS = env_int("KNOWLEDGE_SUGGESTIONS", 5)
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "ArticleStateEnum": "knowledge.choices.ArticleState",
        "ArticleVersionStatusEnum": "knowledge.choices.VersionStatus",
        "ArticleAudienceEnum": "knowledge.choices.Audience",
    }
)
CELERY_BEAT_SCHEDULE["knowledge.flag_overdue_reviews"] = {
    "task": "knowledge.flag_overdue_reviews",
    "schedule": env_int("KNOWLEDGE_REVIEW_CHECK_SECONDS", 3600),
}

# --- Portal and email channel (owned by incidents/portal and incidents/mail) --------------------------------------
# Self-service portal: a report form abandoned this long after a suggestion was opened counts as a deflection.
PORTAL_DEFLECTION_WINDOW_MINUTES = env_int("PORTAL_DEFLECTION_WINDOW_MINUTES", 30)
PORTAL_RECENT_SERVICES_DAYS = env_int("PORTAL_RECENT_SERVICES_DAYS", 90)
PORTAL_RATING_LINK_MAX_AGE_DAYS = env_int("PORTAL_RATING_LINK_MAX_AGE_DAYS", 30)
CELERY_BEAT_SCHEDULE["portal.decide_report_sessions"] = {"task": "portal.decide_report_sessions", "schedule": 300}

# Email channel: inbound mail becomes incidents or comments (docs/email.md).
EMAIL_MESSAGE_ID_DOMAIN = env("EMAIL_MESSAGE_ID_DOMAIN", "itsm.local")
EMAIL_UNKNOWN_SENDERS = env("EMAIL_UNKNOWN_SENDERS", "create")  # create | reject
if EMAIL_UNKNOWN_SENDERS not in {"create", "reject"}:
    raise ImproperlyConfigured("EMAIL_UNKNOWN_SENDERS must be 'create' or 'reject'.")
EMAIL_OWN_ADDRESSES = env_list("EMAIL_OWN_ADDRESSES")  # more addresses of ours, besides DEFAULT_FROM_EMAIL
EMAIL_INBOUND_MAX_BYTES = env_int("EMAIL_INBOUND_MAX_BYTES", 40 * 1024 * 1024)
EMAIL_LOOP_MAX_PER_HOUR = env_int("EMAIL_LOOP_MAX_PER_HOUR", 30)
IMAP_HOST = env("IMAP_HOST")
IMAP_USE_SSL = env_bool("IMAP_USE_SSL", True)
IMAP_PORT = env_int("IMAP_PORT", 993 if IMAP_USE_SSL else 143)
IMAP_USER = env("IMAP_USER")
IMAP_PASSWORD = env("IMAP_PASSWORD")
IMAP_FOLDER = env("IMAP_FOLDER", "INBOX")
IMAP_PROCESSED_FOLDER = env("IMAP_PROCESSED_FOLDER")  # empty: processed mail is flagged \Seen instead of moved
IMAP_BATCH_SIZE = env_int("IMAP_BATCH_SIZE", 50)
IMAP_TIMEOUT = env_int("IMAP_TIMEOUT", 60)
if IMAP_HOST:
    CELERY_BEAT_SCHEDULE["mail.poll_imap"] = {"task": "mail.poll_imap", "schedule": env_int("IMAP_POLL_SECONDS", 60)}

# --- Reporting (owned by reporting/) ------------------------------------------------------------------------------
# Periods (days, weeks, months) are cut in this zone unless the viewer's profile names another.
REPORTING_TIME_ZONE = env("REPORTING_TIME_ZONE", TIME_ZONE)
# Extra zones to keep daily rollups for (managers' own zones are added automatically, up to the cap).
REPORTING_ROLLUP_TIME_ZONES = env_list("REPORTING_ROLLUP_TIME_ZONES")
REPORTING_ROLLUP_MAX_ZONES = env_int("REPORTING_ROLLUP_MAX_ZONES", 6)
# Incidents changed this long before the last refresh are looked at again (covers transactions committing late).
REPORTING_ROLLUP_OVERLAP_MINUTES = env_int("REPORTING_ROLLUP_OVERLAP_MINUTES", 15)
REPORTING_DEFAULT_DAYS = env_int("REPORTING_DEFAULT_DAYS", 30)
# Business-time MTTA/MTTR are computed per incident; longer ranges show wall-clock figures only.
REPORTING_BUSINESS_TIME_MAX_DAYS = env_int("REPORTING_BUSINESS_TIME_MAX_DAYS", 92)
REPORTING_PROBLEM_MIN_INCIDENTS = env_int("REPORTING_PROBLEM_MIN_INCIDENTS", 5)
REPORTING_PROBLEM_WINDOW_DAYS = env_int("REPORTING_PROBLEM_WINDOW_DAYS", 7)
REPORTING_AT_RISK_REFRESH_SECONDS = env_int("REPORTING_AT_RISK_REFRESH_SECONDS", 30)
# Memory (MB) for the sort behind the exact MTTA/MTTR percentiles of one report query (Postgres work_mem).
REPORTING_SORT_WORK_MEM_MB = env_int("REPORTING_SORT_WORK_MEM_MB", 64)
CELERY_BEAT_SCHEDULE["reporting.refresh_rollups"] = {
    "task": "reporting.refresh_rollups",
    "schedule": env_int("REPORTING_ROLLUP_REFRESH_SECONDS", 60),
}
CELERY_BEAT_SCHEDULE["reporting.send_scheduled_reports"] = {"task": "reporting.send_scheduled_reports", "schedule": 900}
