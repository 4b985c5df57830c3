"""Settings for the recruiter CRM.

Everything that differs between a laptop, CI and production is an environment
variable (see `.env.example` and the README). Without any variable set the project
runs on an embedded default: SQLite and Celery's filesystem transport under `var/`.
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from crm.env import envbool, envint, envlist, envrate, parse_email_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


DEBUG = envbool("DEBUG", "false")
# Under pytest the test settings apply without anyone having to remember a variable.
TESTING = envbool("TESTING", "true" if "pytest" in sys.modules else "false")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it (a long random string) in production, "
            "or DEBUG=true for local development."
        )

ALLOWED_HOSTS = envlist(
    "ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG or TESTING else ""
)
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "Keep in Touch CRM")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "axes",
    # Two-factor sign-in: authenticator-app codes (TOTP) and one-time recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    # The {% has_perm %} template tag; imports each app's rules.py at start-up.
    "rules.apps.AutodiscoverRulesConfig",
    "core",
    "accounts",
    "clients",
    "placements",
    "activities",
    "followups",
    "imports",
    "dashboards",
    "ops",
    "demo",
]

MIDDLEWARE = [
    "core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static files (an SVG can hold a script) get the policy
    # and the other headers too.
    "csp.middleware.CSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): the session has passed two-factor sign-in.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "core.middleware.SessionIdleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signed in with a password but not yet with a code: only the code page.
    "accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    # Last, as django-axes asks: it turns a lockout into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "crm.urls"
WSGI_APPLICATION = "crm.wsgi.application"

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
                "accounts.context_processors.site",
            ],
        },
    },
]

# Database: DATABASE_URL (PostgreSQL in CI and production) or embedded SQLite.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", "60")
        )
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": {
                # The web server and the Celery worker write at the same time.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "followups:dashboard"
# A record's page shows what the apps above it add (health, follow-ups, the plan),
# so it is a page of the highest app involved; the record's own app may not name
# it. Here, in the wiring, every record still gets its get_absolute_url (links,
# redirects, the admin's "view on site").
ABSOLUTE_URL_OVERRIDES = {
    "clients.client": lambda o: reverse("followups:client_detail", args=[o.pk]),
    "clients.contact": lambda o: reverse("followups:contact_detail", args=[o.pk]),
    "clients.candidate": lambda o: reverse("followups:candidate_detail", args=[o.pk]),
    "placements.placement": lambda o: reverse(
        "followups:placement_detail", args=[o.pk]
    ),
}
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2 first; older hashes still verify and are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out account or address before any
    # password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Permissions are named rules (accounts/rules.py), asked with
    # user.has_perm(name, record): django-rules answers the CRM's own, Django's
    # model permissions (the admin site) the rest. Signing in is the model
    # backend's alone.
    "accounts.rules.PermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Brute force: after LOGIN_FAILURE_LIMIT failed sign-ins for one account, or from
# one address, within LOGIN_LOCKOUT_MINUTES, sign-in is refused for that long (an
# admin can unlock sooner: admin "Access attempts", or `manage.py axes_reset`).
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "10")
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.lockout.username_of"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Two-factor sign-in (accounts.two_factor_views): the issuer the authenticator app
# shows; wrong codes wait 1, 2, 4, 8 ... seconds per device (django-otp's throttle,
# kept in the database across sessions) and 5 in a row end the half-signed-in
# session. The admin never shows a secret or a recovery code.
OTP_TOTP_ISSUER = SITE_NAME
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Signed-in sessions end after this long without a request (and at a password
# change, on every other device).
SESSION_COOKIE_AGE = envint("SESSION_IDLE_HOURS", "12") * 3600
SESSION_RENEW_SECONDS = 300  # core.middleware.SessionIdleMiddleware

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security: on by default, relaxed only by variables (and for local runs and tests).
_NOT_LOCAL = "false" if DEBUG or TESTING else "true"
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", _NOT_LOCAL)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", _NOT_LOCAL)
# Load balancers probe health over plain HTTP, inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = envint(
    "SECURE_HSTS_SECONDS", "0" if DEBUG or TESTING else "31536000"
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "true")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "true")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts, styles and everything else from this
# site only; no inline script, event handler or style attribute (behaviours are in
# static/js/app.js, styles in static/css/), no eval, no framing, no plugins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws its icons (the navbar toggler, form checks) as data: SVGs.
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# Browser features no page uses, turned off (core.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), "
    "screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()"
)
BEHIND_PROXY = envbool("BEHIND_PROXY", "false")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# One client's address for lockouts and rate limits: behind the proxy, the last
# X-Forwarded-For hop (AXES_IPWARE_* would need django-ipware, not installed).
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.client_address"

# Email: with DEBUG (make run) files under var/mail, so a newcomer can read what was
# sent; otherwise SMTP, so production never "sends" digests into a folder by mistake
# (Django's SMTP backend that also keeps the server's reply: core/mail.py).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG or TESTING
    else "core.mail.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "false")
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", "false")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "20")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "crm@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# EMAIL_URL (smtp://user:pass@host:port?tls=true) sets the SMTP backend, host, port,
# user, password and TLS in one variable; it wins over the separate EMAIL_* ones,
# except an explicit EMAIL_BACKEND.
EMAIL_URL = os.environ.get("EMAIL_URL", "").strip()
if EMAIL_URL:
    _email = parse_email_url(EMAIL_URL)
    if "EMAIL_BACKEND" not in os.environ:
        EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email["EMAIL_HOST"]
    EMAIL_PORT = _email["EMAIL_PORT"]
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
    EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
    EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
    EMAIL_TIMEOUT = _email.get("EMAIL_TIMEOUT", EMAIL_TIMEOUT)
# Digests: a delivery left in "sending" this long is marked stuck, never resent; a
# temporary SMTP failure is retried at most this many times in all.
DIGEST_STUCK_AFTER_MINUTES = envint("DIGEST_STUCK_AFTER_MINUTES", "15")

# Import files (imports/checks.py; README, Importing and exporting): over a limit,
# a file is refused with one line naming the setting.
IMPORT_MAX_UPLOAD_MB = envint("IMPORT_MAX_UPLOAD_MB", "100")
IMPORT_MAX_UNCOMPRESSED_MB = envint("IMPORT_MAX_UNCOMPRESSED_MB", "200")
IMPORT_MAX_COMPRESSION_RATIO = envint("IMPORT_MAX_COMPRESSION_RATIO", "100")
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", "1000000")
IMPORT_MAX_COLUMNS = envint("IMPORT_MAX_COLUMNS", "1000")
IMPORT_MAX_CELL_KB = envint("IMPORT_MAX_CELL_KB", "32")
# Uploads never imported lose their file after this (nightly sweep_imports).
IMPORT_ABANDONED_AFTER_HOURS = envint("IMPORT_ABANDONED_AFTER_HOURS", "24")
# An import queued or running without progress this long is marked failed.
IMPORT_STUCK_AFTER_MINUTES = envint("IMPORT_STUCK_AFTER_MINUTES", "60")
DIGEST_MAX_ATTEMPTS = envint("DIGEST_MAX_ATTEMPTS", "5")
# How long the done / snooze links in a digest work.
EMAIL_ACTION_MAX_AGE_DAYS = envint("EMAIL_ACTION_MAX_AGE_DAYS", "7")

# /readyz: beat's heartbeat older than this, or a digest waiting longer than this,
# makes it answer 503; READYZ_TOKEN (a long random string) shows what each check found.
BEAT_HEARTBEAT_MAX_AGE_MINUTES = envint("BEAT_HEARTBEAT_MAX_AGE_MINUTES", "15")
DIGEST_PENDING_MAX_MINUTES = envint("DIGEST_PENDING_MAX_MINUTES", "30")
READYZ_TOKEN = os.environ.get("READYZ_TOKEN", "")
READYZ_WORKER_TIMEOUT = envint("READYZ_WORKER_TIMEOUT", "1")

# Celery: Redis when REDIS_URL is set, else the filesystem transport under var/.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
else:
    _queue = VAR_DIR / "celery"
    for sub in ("out", "processed", "control"):
        (_queue / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue / "out"),
        "data_folder_out": str(_queue / "out"),
        "processed_folder": str(_queue / "processed"),
        "control_folder": str(_queue / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
# Workers log through LOGGING above (JSON lines too), not Celery's own setup.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", "false")
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
# The queue tasks are sent to and workers read by default: several deployments (or
# test runs) can share one Redis with a queue each.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "celery")
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# The rate-limit counters (core.ratelimit) are one for every process: in Redis under
# a prefix (by default the queue's name) that keeps deployments sharing it apart; or
# in files under VAR_DIR (one machine); in memory under pytest (cleared per test).
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", CELERY_TASK_DEFAULT_QUEUE)
if TESTING:
    _cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
elif REDIS_URL:
    _cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # A sick Redis fails fast, and the limiter then lets requests through.
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
else:  # past MAX_ENTRIES files, a third is dropped at random
    _cache = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": VAR_DIR / "cache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
CACHES = {"default": {**_cache, "KEY_PREFIX": CACHE_KEY_PREFIX}}
# Rate limits (core.ratelimit; README): over one, 429 with Retry-After.
RATE_LIMIT_EMAIL_LINK = envrate("RATE_LIMIT_EMAIL_LINK", "20/minute")
RATE_LIMIT_EMAIL_LINK_ADDRESS = envrate("RATE_LIMIT_EMAIL_LINK_ADDRESS", "60/minute")
RATE_LIMIT_CALENDAR = envrate("RATE_LIMIT_CALENDAR", "60/hour")
RATE_LIMIT_DIGEST_PREVIEW = envrate("RATE_LIMIT_DIGEST_PREVIEW", "5/hour")
RATE_LIMIT_PASSWORD_RESET = envrate("RATE_LIMIT_PASSWORD_RESET", "5/hour")
RATE_LIMIT_PASSWORD_RESET_ADDRESS = envrate(
    "RATE_LIMIT_PASSWORD_RESET_ADDRESS", "20/hour"
)

# Logs: plain lines, or with LOG_FORMAT=json one JSON object per line; each line
# carries the request id (and a task's name and id) it was written under.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower()
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "core.logging.ContextFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s%(context)s %(message)s"},
        "json": {"()": "core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["context"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
# Errors to Sentry only when SENTRY_DSN is set (nothing is sent otherwise); beat's
# tasks become cron monitors there.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration(), CeleryIntegration(monitor_beat_tasks=True)],
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,
    )
