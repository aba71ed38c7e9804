"""Settings, read from the environment.

SAFETYNET_ENV selects the mode: ``production`` (default: a strong SAFETYNET_SECRET_KEY is
required), ``demo`` (demo accounts allowed), ``development`` or ``test``. Outside
production a random secret key is generated once into ``var/secret_key``.
"""

from __future__ import annotations

import secrets
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url

from safetynet.core.env import check_secret_key, env_bool, env_int, env_list, env_str
from safetynet.core.logs import install_slow_query_log, logging_config

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(env_str("SAFETYNET_VAR_DIR", str(PROJECT_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SAFETYNET_ENV = env_str("SAFETYNET_ENV", "test" if "pytest" in sys.modules else "production")
PRODUCTION = SAFETYNET_ENV == "production"
DEMO_MODE = SAFETYNET_ENV == "demo"
DEBUG = env_bool("SAFETYNET_DEBUG", default=False)


def _local_secret_key() -> str:
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = (
    check_secret_key(env_str("SAFETYNET_SECRET_KEY", ""))
    if PRODUCTION
    else env_str("SAFETYNET_SECRET_KEY", "") or _local_secret_key()
)
ALLOWED_HOSTS = env_list("SAFETYNET_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "safetynet.core",
    "safetynet.accounts",
    "safetynet.registry",
    "safetynet.rules",
    "safetynet.benefits",
    "safetynet.intake",
    "safetynet.payments",
    "safetynet.eldercare",
    "safetynet.children",
    "safetynet.discovery",
    "safetynet.reports",
    "safetynet.dci",
    "safetynet.demo",
]

MIDDLEWARE = [
    # First: every later middleware's and view's log line carries the request id.
    "safetynet.core.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files (hashed, compressed) served by the app server itself: no CDN, no nginx rule.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "safetynet.core.middleware.DefaultLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "safetynet.accounts.middleware.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "safetynet.rules.middleware.ParametersOncePerRequest",
]

ROOT_URLCONF = "safetynet.urls"
WSGI_APPLICATION = "safetynet.wsgi.application"

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
                "django.template.context_processors.i18n",
                "safetynet.core.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'safetynet.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# A persistent connection broken by a database restart is replaced, not reused.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "safetynet.accounts.passwords.ComplexityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout after 5 failed attempts for 10 minutes, counted per username.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=10)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "safetynet.accounts.lockout.axes_username"
# Township offices share one NAT address: locking by IP would lock out every clerk there.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_TEMPLATE = "locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "SafetyNet"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Our own static files (safetynet/ is no app, so the app finder does not see them), and
# browser libraries installed by npm (package.json), served by us: never from a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/echarts", PROJECT_DIR / "node_modules" / "echarts" / "dist"),
]
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Production serves what `collectstatic` wrote: hashed names (cached for a
# year) and gzip/brotli copies. The demo, development and tests read the source folders.
# SAFETYNET_STATIC_COMPRESS=0 keeps the hashed names but skips the (slow) compression, for
# quick checks of a deployment such as .ci/deploy_check; a county server leaves it on.
if env_bool("SAFETYNET_STATIC_MANIFEST", default=PRODUCTION):
    STORAGES["staticfiles"] = {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("SAFETYNET_STATIC_COMPRESS", default=True)
        else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
else:
    WHITENOISE_USE_FINDERS = True

TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if SAFETYNET_ENV == "test"
        else "django_tasks_db.DatabaseBackend"
    }
}

SESSION_COOKIE_AGE = 12 * 3600  # absolute limit; idle limits in accounts/middleware.py
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"], "script-src": ["'self'"], "style-src": ["'self'"],
        "img-src": ["'self'", "data:"], "frame-ancestors": ["'none'"],
        "form-action": ["'self'"], "base-uri": ["'self'"], "object-src": ["'none'"],
    }
}
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SAFETYNET_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# SAFETYNET_LOG_JSON=1: one JSON object per line; every line carries the request id and
# ID numbers in messages are masked. SAFETYNET_SLOW_QUERY_MS: log slower statements.
LOGGING = logging_config(
    env_bool("SAFETYNET_LOG_JSON", default=False),
    env_str("SAFETYNET_LOG_LEVEL", "INFO" if PRODUCTION or DEMO_MODE else "WARNING"))
if env_int("SAFETYNET_SLOW_QUERY_MS", 0) > 0:
    install_slow_query_log(env_int("SAFETYNET_SLOW_QUERY_MS", 0))

# The county this installation serves (division code).
SAFETYNET_COUNTY_CODE = env_str("SAFETYNET_COUNTY_CODE", "320722")
# Largest document (signed form, certificate, photo) the single window accepts, in MB.
SAFETYNET_UPLOAD_MAX_MB = env_int("SAFETYNET_UPLOAD_MAX_MB", 10)
