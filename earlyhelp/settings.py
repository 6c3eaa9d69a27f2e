"""Settings for Early Help, read from environment variables.

Every setting has a default that works for a developer on the embedded SQLite
database. Production sets DEBUG=0 and must then provide SECRET_KEY,
ALLOWED_HOSTS and DATABASE_URL (see docs/PRODUCTION.md).
"""

import os
import re
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from .environment import envbool, envint, envlist, secret, var_dir

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = var_dir()


DEBUG = envbool("DEBUG", True)


def _secret_key():
    """Production must set SECRET_KEY (or SECRET_KEY_FILE). A developer's key
    is the one `earlyhelp` wrote into var/ (earlyhelp/environment.py): importing
    settings writes nothing."""
    if key := secret("SECRET_KEY"):
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off, set SECRET_KEY (or SECRET_KEY_FILE) to a "
            "long random value (for example: python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))')."
        )
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    # Not yet written (settings imported outside the earlyhelp command, as in
    # tests): a key for this process only.
    return secrets.token_urlsafe(50)


SECRET_KEY = _secret_key()
# The key of the child ids in statutory returns (returns/annex_a.py): the
# same child must keep the same id in every return, so production sets it once
# and never rotates it; without it the ids follow SECRET_KEY.
RETURNS_CHILD_ID_KEY = secret("RETURNS_CHILD_ID_KEY") or SECRET_KEY
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")

INSTALLED_APPS = [
    # Django admin, signing in through the service's two-factor sign-in.
    "accounts.apps.EarlyHelpAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "accounts",
    "people",
    "episodes",
    "consent",
    "assessments",
    "meetings",
    "plans",
    "reviews",
    "referrals",
    "notes",
    "notifications",
    "audit",
    "panels",
    "privacy",
    "matching",
    "advice",
    "police",
    "oversight",
    "performance",
    "quality",
    "outcomes",
    "returns",
    "reporting",
    "families",
    # The partner API (docs/API.md): REST framework and its OpenAPI document.
    "rest_framework",
    "drf_spectacular",
    "api",
    # Events about cases, posted to partner systems' webhooks (docs/API.md).
    "webhooks",
    # Django's tasks API (django.tasks from Django 6) and its database queue.
    "django_tasks",
    "django_tasks_db",
    # RQ over Redis (TASKS_BACKEND=rq): the backend, and django-rq's `rqworker`.
    "django_tasks_rq",
    "django_rq",
]

MIDDLEWARE = [
    # First, so every log record of the request carries its id (core/logging.py).
    "core.logging.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "accounts.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The family pages' language from their path; English everywhere else (families/languages.py).
    "families.languages.FamilyLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # No record of another council is loaded while serving a user (core/councils.py).
    "core.councils.CouncilScopeMiddleware",
    # Sign-in security (accounts/middleware.py): no session without its second
    # factor, sign-out after inactivity, nothing cached for signed-in pages.
    "accounts.middleware.RequireTwoFactorMiddleware",
    "accounts.middleware.IdleSessionMiddleware",
    "accounts.middleware.NoStoreWhenSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Last, so only the view of a report or export reads from the replica.
    "core.routers.ReplicaReadsMiddleware",
]

ROOT_URLCONF = "earlyhelp.urls"
WSGI_APPLICATION = "earlyhelp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.service",
                "accounts.context_processors.session_timeout",
            ],
        },
    },
]
FORM_RENDERER = "core.forms.GovukFormRenderer"
# A page that reads a person's restrictable values without people.restrictions
# (people/guard.py): "raise" an error (development, tests) or "mask" the value
# and log the mistake (production: the page fails closed instead of leaking).
PERSON_VALUES_GUARD = os.environ.get("PERSON_VALUES_GUARD", "raise" if DEBUG else "mask")
if PERSON_VALUES_GUARD not in ("raise", "mask"):
    raise ImproperlyConfigured("PERSON_VALUES_GUARD must be 'raise' or 'mask'")
# A record of another council loaded while serving a council's user
# (core/councils.py): "raise" an error (development, tests) or "deny" the
# request with a 403 and log it (production).
COUNCIL_GUARD = os.environ.get("COUNCIL_GUARD", "raise" if DEBUG else "deny")
if COUNCIL_GUARD not in ("raise", "deny"):
    raise ImproperlyConfigured("COUNCIL_GUARD must be 'raise' or 'deny'")


# DATABASE_URL may point at a connection pooler. "transaction": PgBouncer (or
# another pooler) in transaction pooling mode, which hands each transaction any
# server connection, so nothing may rely on the session (docs/PRODUCTION.md).
DATABASE_POOLER = os.environ.get("DATABASE_POOLER", "").strip().lower()
if DATABASE_POOLER not in ("", "transaction"):
    raise ImproperlyConfigured(
        f"DATABASE_POOLER is set to {DATABASE_POOLER!r}. Use 'transaction' when DATABASE_URL "
        "is PgBouncer in transaction pooling mode, or leave it unset (a direct connection, "
        "or a pooler in session mode)."
    )


def _database():
    """DATABASE_URL, or an SQLite file under var/ tuned for a small web service."""
    url = secret("DATABASE_URL")
    if not url:
        url = f"sqlite:///{VAR_DIR / 'earlyhelp.sqlite3'}"
    config = dj_database_url.parse(
        url, conn_max_age=envint("CONN_MAX_AGE", 0), conn_health_checks=True
    )
    if DATABASE_POOLER and config["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_POOLER is for a PostgreSQL DATABASE_URL.")
    if config["ENGINE"] == "django.db.backends.postgresql":
        # Connections are kept for a minute (checked before reuse), so a page
        # does not pay for a new connection and its authentication; SQLite
        # opens a file, which costs nothing to redo.
        config["CONN_MAX_AGE"] = envint("CONN_MAX_AGE", 60)
        options = config.setdefault("OPTIONS", {})
        if DATABASE_POOLER == "transaction":
            # Behind PgBouncer in transaction mode each transaction may run on a
            # different server connection: no cursor may outlive its
            # transaction, and no statement is prepared on the server (Django's
            # default, kept here on purpose). PgBouncer refuses the `options`
            # startup parameter, so jit=off and random_page_cost are set on the
            # role instead (docs/PRODUCTION.md).
            config["DISABLE_SERVER_SIDE_CURSORS"] = True
            options["prepare_threshold"] = None
        else:
            # The JIT compiler starts on queries the planner thinks are expensive;
            # the visibility rule's estimates are pessimistic, so it would compile
            # (220-650 ms) queries that then run in a few milliseconds.
            # random_page_cost: stock PostgreSQL prices a page read at random four
            # times a page read in order (spinning disks). A council's cases, people
            # and consents stay in memory, so the planner should reach a few
            # hundred cases by their index rather than read the whole case table:
            # 1.1 is the usual setting for SSDs and cached data (the count behind a
            # practitioner's closed list fell from 93 to 33 ms at 300,000 people).
            options["options"] = (
                f"{options.get('options', '')} -c jit=off -c random_page_cost=1.1".strip()
            )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers run beside a writer; IMMEDIATE takes the write lock at
        # the start of a transaction so two writers queue instead of failing
        # half-way (the audit chain relies on writers being serialised).
        config["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    return config


DATABASES = {"default": _database()}


def _replica_database(url):
    """A read-only copy of the primary for reports and exports (core/routers.py).
    In tests it mirrors the default database, so the same rows are read."""
    config = dj_database_url.parse(url, conn_max_age=envint("CONN_MAX_AGE", 0))
    config["TEST"] = {"MIRROR": "default"}
    return config


# Reports' and exports' reads go to the replica when there is one (core/routers.py);
# every write, and everything else, to the primary.
if _replica_url := secret("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = _replica_database(_replica_url)
DATABASE_ROUTERS = ["core.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.UserBackend"]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:sign_in"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# How long an invitation link stays valid (Django's password-reset tokens).
PASSWORD_RESET_TIMEOUT = envint("INVITATION_TIMEOUT_SECONDS", 7 * 24 * 3600)

# Two-factor sign-in (accounts/security.py): a password, then a code from an
# authenticator app (TOTP) or a one-time recovery code. Wrong passwords and
# codes count together; this many in a row from one client (network address)
# refuse that client the address for this long...
SIGN_IN_MAX_FAILURES = envint("SIGN_IN_MAX_FAILURES", 5)
SIGN_IN_LOCKOUT_MINUTES = envint("SIGN_IN_LOCKOUT_MINUTES", 15)
# The account itself is locked, for everyone, only after this many in a row
# from any clients: one client alone cannot lock a colleague out.
SIGN_IN_ACCOUNT_MAX_FAILURES = envint("SIGN_IN_ACCOUNT_MAX_FAILURES", 20)
# Failures from one client across any addresses (password spraying): this many
# within the window block the client for a while (0: no such block). A client
# is its REMOTE_ADDR, which must be each client's own (docs/PRODUCTION.md).
SIGN_IN_CLIENT_MAX_FAILURES = envint("SIGN_IN_CLIENT_MAX_FAILURES", 30)
SIGN_IN_CLIENT_WINDOW_MINUTES = envint("SIGN_IN_CLIENT_WINDOW_MINUTES", 15)
SIGN_IN_CLIENT_BLOCK_MINUTES = envint("SIGN_IN_CLIENT_BLOCK_MINUTES", 15)

# The partner API (api/, docs/API.md): a token lasts API_TOKEN_DAYS unless
# rotated sooner; each client may make API_REQUESTS_PER_MINUTE calls a minute
# (counted in the cache, so shared by every web process when it is Redis).
API_TOKEN_DAYS = envint("API_TOKEN_DAYS", 365)
API_REQUESTS_PER_MINUTE = envint("API_REQUESTS_PER_MINUTE", 120)
# Webhooks (webhooks/, docs/API.md): a delivery refused or unanswered within
# WEBHOOK_TIMEOUT_SECONDS is tried again after WEBHOOK_RETRY_SECONDS, then
# twice as long each time; after WEBHOOK_MAX_ATTEMPTS it has failed, for the
# council's administrator to see and send again. Only https addresses on the
# internet are posted to, unless DEBUG is on or the host is one of
# WEBHOOK_ALLOWED_HOSTS (a host name or address, e.g. a partner's private
# link, or 127.0.0.1 in tests): private, loopback and link-local addresses
# are otherwise refused, so a webhook cannot reach the service's own network.
WEBHOOK_MAX_ATTEMPTS = envint("WEBHOOK_MAX_ATTEMPTS", 8)
WEBHOOK_RETRY_SECONDS = envint("WEBHOOK_RETRY_SECONDS", 60)
WEBHOOK_TIMEOUT_SECONDS = envint("WEBHOOK_TIMEOUT_SECONDS", 5)
WEBHOOK_ALLOWED_HOSTS = envlist("WEBHOOK_ALLOWED_HOSTS", "")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerClientRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.SafeJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Early Help partner API",
    "DESCRIPTION": "For partner systems of a council: see docs/API.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
}
OTP_TOTP_ISSUER = "Early Help"
# django-otp's own back-off would refuse a right code a second after a wrong
# one; the lockout above already limits guessing.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# Django admin never shows an authenticator's key or a recovery code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# DEBUG only (a system check refuses it otherwise): the code page shows the
# demo account's current code, so people trying the demo need no app.
DEMO_MODE = envbool("DEMO_MODE", False)

LANGUAGE_CODE = "en-gb"
# The practitioner pages are in British English (LANGUAGE_CODE, whatever the
# browser asks for); the family pages (families/) are in each of LANGUAGES,
# named in their own language for the language links, from the path
# (/pl/ask-for-help/). Pashto is written right to left, like Arabic.
LANGUAGES = [
    ("en", "English"),
    ("pl", "Polski"),
    ("ar", "العربية"),
    ("ps", "پښتو"),
    ("ro", "Română"),
    ("uk", "Українська"),
]
LANGUAGES_BIDI = ["ar", "ps"]
FAMILY_DEFAULT_LANGUAGE = "en"
# The public ask-for-help page: requests (or honeypot catches) one client may
# send an hour, counted by a keyed hash of its address (families/services.py).
FAMILY_REQUESTS_PER_HOUR = envint("FAMILY_REQUESTS_PER_HOUR", 5)
# The link pages (a family member's feedback, their plan online): visits one
# client may make an hour, counted alike (families/links.py).
FAMILY_LINK_VISITS_PER_HOUR = envint("FAMILY_LINK_VISITS_PER_HOUR", 30)
# The whole form is a few kilobytes even in Arabic script; far more is refused (413).
FAMILY_REQUEST_MAX_BYTES = 64 * 1024
# A family's own request closed without a case is deleted this long after
# closing (families/retention.py); one that became a case goes with its family.
FAMILY_REQUEST_RETENTION_DAYS = envint("FAMILY_REQUEST_RETENTION_DAYS", 365)
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/London"
USE_TZ = True

STATIC_URL = "/static/"
# WhiteNoise looks for this folder even when it serves from the finders; the
# earlyhelp command creates it (earlyhelp/environment.py).
STATIC_ROOT = VAR_DIR / "staticfiles"
# GOV.UK Frontend's built files are copied here from npm by scripts/build_assets.py.
STATICFILES_DIRS = [BASE_DIR / "build" / "static"]


def _file_storage():
    """Attachments on the local disk (MEDIA_ROOT), or in an S3-compatible object
    store when OBJECT_STORE_BUCKET is set, so any number of web servers share them.
    Objects are private: no ACL is sent (the bucket's own, private, applies) and
    no URL is ever handed out; downloads stream through notes.views.download."""
    bucket = os.environ.get("OBJECT_STORE_BUCKET", "")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": os.environ.get("OBJECT_STORE_ENDPOINT_URL") or None,
            "region_name": os.environ.get("OBJECT_STORE_REGION") or None,
            "access_key": secret("OBJECT_STORE_ACCESS_KEY_ID"),
            "secret_key": secret("OBJECT_STORE_SECRET_ACCESS_KEY"),
            "location": os.environ.get("OBJECT_STORE_PREFIX", ""),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


STORAGES = {
    "default": _file_storage(),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploaded attachments (when no object store is configured): outside the web
# root, served only through a view that checks permission (notes.views.download).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
ATTACHMENT_MAX_BYTES = envint("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Django's cache: Redis, shared by every web server, when REDIS_URL is set (it
# may carry a password, so REDIS_URL_FILE works too); otherwise each process's memory.
if _redis_url := secret("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work goes through Django's tasks API. By default a task runs in the
# process that queues it (the hourly audit_checkpoint command, never a web
# request); production may queue it in the database, for `earlyhelp db_worker`
# (TASKS_BACKEND=database), or in Redis, for RQ's `earlyhelp rqworker`
# (TASKS_BACKEND=rq, with REDIS_URL). A full class path is accepted too.
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
}
_tasks_backend = os.environ.get("TASKS_BACKEND", "").strip() or "immediate"
TASKS_BACKEND = TASK_BACKENDS.get(_tasks_backend, _tasks_backend)
if "." not in TASKS_BACKEND:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND is set to {_tasks_backend!r}. Use one of "
        f"{', '.join(TASK_BACKENDS)}, or a backend's full class path."
    )
# RQ's queue is in the cache's Redis (its keys start "rq:"), or in a Redis of
# its own (TASKS_REDIS_URL), which can keep every job while the cache's evicts.
_tasks_redis_url = secret("TASKS_REDIS_URL") or _redis_url
if TASKS_BACKEND.startswith("django_tasks_rq.") and not _tasks_redis_url:
    raise ImproperlyConfigured(
        "TASKS_BACKEND=rq queues background work in Redis, but REDIS_URL is not set. "
        "Set REDIS_URL (or REDIS_URL_FILE, or TASKS_REDIS_URL for a Redis of the queue's "
        "own), for example redis://127.0.0.1:6379/0, or choose TASKS_BACKEND=database."
    )
TASKS = {"default": {"BACKEND": TASKS_BACKEND, "QUEUES": ["default"]}}
# The worker runs each task through django-tasks' own job class; django-rq's
# admin dashboard stays off, since changing jobs there would bypass the audit trail.
RQ_QUEUES = {"default": {"URL": _tasks_redis_url}} if _tasks_redis_url else {}
RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
RQ_SHOW_ADMIN_LINK = False


def _audit_checkpoint_key():
    """AUDIT_CHECKPOINT_KEY, or the contents of AUDIT_CHECKPOINT_KEY_FILE; a developer
    uses the one `earlyhelp` wrote into var/. In production only the checkpoint job
    and verify_audit need it (they refuse to run without it); the web pages do not."""
    if key := secret("AUDIT_CHECKPOINT_KEY"):
        return key
    key_file = VAR_DIR / "audit_checkpoint_key"
    if DEBUG and key_file.exists():
        return key_file.read_text().strip()
    return ""


def _secrets_encryption_keys():
    """SECRETS_ENCRYPTION_KEY (or _FILE): the keys secrets stored in the
    database are encrypted with (core/encrypted_fields.py), first one first.
    A developer uses the one `earlyhelp` wrote into var/, or one made from
    SECRET_KEY. Production without it can run but cannot store a Notify key
    (the settings page says so and `check --deploy` warns)."""
    if keys := secret("SECRETS_ENCRYPTION_KEY"):
        return [key for key in re.split(r"[\s,]+", keys) if key]
    key_file = VAR_DIR / "secrets_encryption_key"
    if DEBUG and key_file.exists():
        return [key_file.read_text().strip()]
    return [f"derived-from-secret-key:{SECRET_KEY}"] if DEBUG else []


SECRETS_ENCRYPTION_KEYS = _secrets_encryption_keys()


# The audit chain's checkpoints (audit/checkpoints.py): the chain's end, signed
# with a key the database does not hold, appended hourly to a file the
# operating system keeps append-only ("file"), or sent to syslog ("syslog").
AUDIT_CHECKPOINT_KEY = _audit_checkpoint_key()
AUDIT_CHECKPOINT_DESTINATION = os.environ.get("AUDIT_CHECKPOINT_DESTINATION", "file")
AUDIT_CHECKPOINT_FILE = Path(
    os.environ.get("AUDIT_CHECKPOINT_FILE", VAR_DIR / "audit-checkpoints.jsonl")
)
# A Unix socket path, or host:port for UDP, or tcp://host:port.
AUDIT_CHECKPOINT_SYSLOG_ADDRESS = os.environ.get("AUDIT_CHECKPOINT_SYSLOG_ADDRESS", "/dev/log")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = secret("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = secret("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "early-help@localhost")
# Every email goes through the outbox (notifications/outbox.py): a failed
# attempt is tried again after EMAIL_RETRY_SECONDS, then twice as long each
# time; after EMAIL_MAX_ATTEMPTS it is shown to the council's administrator.
EMAIL_MAX_ATTEMPTS = envint("EMAIL_MAX_ATTEMPTS", 5)
EMAIL_RETRY_SECONDS = envint("EMAIL_RETRY_SECONDS", 60)
# Where a council that set a GOV.UK Notify key sends its emails.
# The service's address as people reach it, for links in emails sent by
# background work (a daily digest has no request to take it from).
SERVICE_URL = os.environ.get("SERVICE_URL", "http://127.0.0.1:8000").rstrip("/")
NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")

# Signed out after this many seconds without a request (IdleSessionMiddleware
# keeps the session alive while it is used); pages warn this long before.
SESSION_IDLE_TIMEOUT = envint("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
SESSION_TIMEOUT_WARNING = envint("SESSION_TIMEOUT_WARNING", 2 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Our own files only: no inline scripts or styles, no third parties, no frames.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    ]
)
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    # A load balancer's health check may ask over plain HTTP (core/health.py).
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Demo data may only be loaded where DEBUG is on; this is its shared password.
DEMO_PASSWORD = "early-help-demo-2026"  # noqa: S105  (published on purpose, DEBUG only)

# Logs (core/logging.py): one line per request with its id, user id, council
# id, method, URL route, status and duration, never bodies, query strings, names
# or email addresses. LOG_FORMAT=json writes one JSON object per line.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured("LOG_FORMAT must be 'plain' or 'json'")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # The development server's own lines carry query strings; ours do not.
        "django.server": {"level": "WARNING" if LOG_FORMAT == "json" else "INFO"},
        # WeasyPrint reports each rule of GOV.UK Frontend's stylesheet it skips
        # (screen widths, properties paper has no use for), and its progress,
        # for every PDF: hundreds of lines a family's document. Its errors stay.
        "weasyprint": {"level": "ERROR"},
    },
}
