"""The one settings module. Every value comes from an environment variable listed in README.md."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import dj_database_url

from needlerx.env import env_bool, env_int, env_list, env_str
from needlerx.private_files import private_directory, private_file, publish_private_file

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("NEEDLERX_DATA_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = env_bool("NEEDLERX_DEBUG", False)
HTTPS = env_bool("NEEDLERX_HTTPS", False)


def _key(variable: str, file_name: str) -> str:
    """The key in ``variable``, or one generated once and kept in the data directory (0600)."""
    configured = env_str(variable)
    if configured:
        return configured
    key_file = private_directory(DATA_DIR) / file_name
    try:
        publish_private_file(key_file, secrets.token_urlsafe(50))
    except FileExistsError:
        private_file(key_file)
    return key_file.read_text().strip()


SECRET_KEY = _key("NEEDLERX_SECRET_KEY", "secret_key")
# Seals audit events (HMAC); kept outside the database. Every app server needs the same key.
AUDIT_SEAL_KEY = _key("NEEDLERX_AUDIT_KEY", "audit_key")
ALLOWED_HOSTS = env_list("NEEDLERX_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("NEEDLERX_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "ninja",  # serves the API docs' own static files, so they work under the CSP
    "needlerx.core",
    "needlerx.accounts",
    "needlerx.patients",
    "needlerx.audit",
    "needlerx.screening",
    "needlerx.web",
    "needlerx.bodychart",
    "needlerx.treatments",
    "needlerx.instruments",
    "needlerx.scheduling",
    "needlerx.learn",
    "needlerx.consultations",
    "needlerx.patient_tasks",
    "needlerx.documents",
    "needlerx.patient_accounts",
    "needlerx.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "needlerx.core.middleware.RefuseUnstorableInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "needlerx.audit.middleware.AuditMiddleware",
    "needlerx.accounts.middleware.SessionLifetimeMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "needlerx.accounts.middleware.TwoFactorMiddleware",
    "needlerx.accounts.middleware.PatientAccountMiddleware",
    "needlerx.web.middleware.ClinicLocalTime",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "needlerx.web.middleware.ApplicationErrorPages",
]

ROOT_URLCONF = "needlerx.urls"
WSGI_APPLICATION = "needlerx.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


# How long a server worker keeps its SQLite connection: opening one per request cost a signed-in
# page about 1.5 ms (a third of a bare page); closing it now and then still lets the statistics
# be refreshed (``core/sqlite_backend``).
SQLITE_CONNECTION_SECONDS = 600
# Whether each prepared read (``core/prepared``) is also built by the ORM, its statement compared
# with the prepared one: on in the tests, off in service, where it would undo what it saves.
PREPARED_READS_CHECK = False
# SQLite's page cache per connection, in MiB (its default is 2 MiB). Pages of a busy clinic
# share a working set of index and table pages (today's sessions and screens, open follow-ups):
# with 2 MiB a heavy read such as the outcomes dashboard pushed them out and the next home page
# read them again from the operating system. At 50,000 patients, with every page requested in
# turn, 64 MiB took the home from 7.5x to 6.5x a bare page and the follow-ups page from 4.1x to
# 3.4x. Each server worker's connection grows to at most this much.
SQLITE_CACHE_MIB = env_int("NEEDLERX_SQLITE_CACHE_MIB", 64, minimum=2)


# On PostgreSQL, a statement a connection has run this many times is prepared on the server
# (psycopg's automatic prepared statements, which need server-side binding): later runs skip
# parsing and planning, which for a page's joined reads cost more than running them. At 5,000
# patients it took the clinic home from 20.1 to 15.4 ms and a signed note from 16.7 to 13.2 ms
# (docs/performance.md). Set NEEDLERX_POSTGRES_PREPARED_STATEMENTS=0 behind a connection pooler
# that cannot keep prepared statements (PgBouncer before 1.21 in transaction mode).
POSTGRES_PREPARE_AFTER_RUNS = 5
POSTGRES_PREPARED_STATEMENTS = env_bool("NEEDLERX_POSTGRES_PREPARED_STATEMENTS", True)


def _postgres_statement_options() -> dict[str, Any]:
    if not POSTGRES_PREPARED_STATEMENTS:
        return {}
    return {"server_side_binding": True, "prepare_threshold": POSTGRES_PREPARE_AFTER_RUNS}


def _database() -> dict[str, Any]:
    url = env_str("DATABASE_URL")
    if url:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
        config.setdefault("TEST", {})
        if "postgresql" in config["ENGINE"]:
            config.setdefault("OPTIONS", {}).update(_postgres_statement_options())
        return config
    return {
        "ENGINE": "needlerx.core.sqlite_backend",
        "NAME": private_file(private_directory(DATA_DIR) / "needlerx.sqlite3"),
        # Each server worker keeps its connection for SQLITE_CONNECTION_SECONDS (checked before
        # each request) rather than opening one per request; closing it runs ``PRAGMA optimize``.
        "CONN_MAX_AGE": SQLITE_CONNECTION_SECONDS,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                f"PRAGMA cache_size=-{SQLITE_CACHE_MIB * 1024:d};"
            ),
        },
        "TEST": {"NAME": None},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("NEEDLERX_PASSWORD_MIN_LENGTH", 12, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_AGE = 60 * env_int("NEEDLERX_IDLE_TIMEOUT_MINUTES", 15, minimum=1)
# Activity renews the idle timeout, writing the session at most this often, not on every request
# (accounts/middleware.py, renew_idle_window): a minute with the default 15-minute timeout.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_EVERY_SECONDS = min(60, SESSION_COOKIE_AGE // 15)

# Form widgets are drawn by Jinja2 (Django ships the same widget templates for it): a form field
# rendered through the Django template engine costs an include per widget and per option, and the
# widgets of a note or follow-up form were a fifth of the page's time.
FORM_RENDERER = "needlerx.web.forms.renderer.FormRenderer"
# Absolute lifetime beside the idle timeout: sign in again after this many hours, active or not.
SESSION_MAX_HOURS = env_int("NEEDLERX_SESSION_MAX_HOURS", 12, minimum=1)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = HTTPS and env_bool("NEEDLERX_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): no inline script or style; pages load only their own
# static files. A QR code for two-factor set-up is a data: image.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Sign-in protection (docs/security.md): lockout counted from the audit trail; TOTP second factor.
AUTHENTICATION_BACKENDS = ["needlerx.accounts.backends.ThrottledModelBackend"]
LOGIN_FAILURE_LIMIT = env_int("NEEDLERX_LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("NEEDLERX_LOGIN_ADDRESS_FAILURE_LIMIT", 10, minimum=1)
LOGIN_ADDRESS_MAX_DELAY_SECONDS = env_int("NEEDLERX_LOGIN_ADDRESS_MAX_DELAY_SECONDS", 60, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("NEEDLERX_LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
TWO_FACTOR_REQUIRED_ROLES = (
    ["clinician", "front_desk", "clinic_admin"]
    if env_bool("NEEDLERX_2FA_FOR_EVERYONE", False)
    else ["clinic_admin"]
)
OTP_TOTP_ISSUER = "NeedleRx"
# Behind a reverse proxy that appends the client's address to X-Forwarded-For.
TRUST_X_FORWARDED_FOR = env_bool("NEEDLERX_TRUST_X_FORWARDED_FOR", False)

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("NEEDLERX_TIME_ZONE", "UTC")
USE_I18N = False
USE_TZ = True

# Email (appointment reminders): the console by default (the demo), a file backend or SMTP by
# setting. NEEDLERX_EMAIL_BACKEND is a Django backend path, e.g.
# django.core.mail.backends.smtp.EmailBackend with NEEDLERX_EMAIL_HOST, _PORT, _USER, _PASSWORD.
EMAIL_BACKEND = env_str("NEEDLERX_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = env_str("NEEDLERX_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("NEEDLERX_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("NEEDLERX_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("NEEDLERX_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("NEEDLERX_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("NEEDLERX_EMAIL_FROM", "NeedleRx <no-reply@localhost>")

# Public consultation requests: at most this many from one client address per window.
CONSULTATION_REQUESTS_PER_WINDOW = env_int("NEEDLERX_CONSULTATION_REQUESTS_PER_WINDOW", 5)
CONSULTATION_REQUEST_WINDOW_MINUTES = env_int("NEEDLERX_CONSULTATION_REQUEST_WINDOW_MINUTES", 60)
# Links /my/<token>/ that open nothing, per client address and window, before every link from
# that address is refused for the rest of the window (docs/patient-tasks.md).
PATIENT_LINK_MISSES_PER_WINDOW = env_int("NEEDLERX_PATIENT_LINK_MISSES_PER_WINDOW", 10)
PATIENT_LINK_MISS_WINDOW_MINUTES = env_int("NEEDLERX_PATIENT_LINK_MISS_WINDOW_MINUTES", 60)
# Requests for a new patient password from one address per window (the forgot-password page).
PATIENT_PASSWORD_RESETS_PER_WINDOW = env_int("NEEDLERX_PATIENT_PASSWORD_RESETS_PER_WINDOW", 5)
PATIENT_PASSWORD_RESET_WINDOW_MINUTES = env_int(
    "NEEDLERX_PATIENT_PASSWORD_RESET_WINDOW_MINUTES", 60
)

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("NEEDLERX_LOG_LEVEL", "WARNING")},
}
