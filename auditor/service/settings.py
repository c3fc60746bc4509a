"""Django settings, from the environment only (see :mod:`auditor.deployment.config`).

Secure by default: no debug pages, CSRF on every form, session and CSRF
cookies HttpOnly and SameSite=Strict (``Secure`` too when the service is
told it is behind HTTPS with ``AUDITOR_HTTPS=1``), a content security
policy that allows only the service's own scripts and styles, no framing,
no MIME sniffing, no referrer sent elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url

from auditor.base.limits import DEFAULT_LIMITS
from auditor.base.resources import reports_dir
from auditor.deployment.config import private_file, read_config, secret_key
from auditor.service.languages import PAGE_LANGUAGES

CONFIG = read_config()
DATA_DIR = CONFIG.data_dir

DEBUG = False
SECRET_KEY = secret_key(CONFIG)
ALLOWED_HOSTS = list(CONFIG.allowed_hosts)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    # Only for its static files and templates: the API docs load Swagger UI from the
    # package itself, never from a CDN (which the content security policy would block).
    "ninja",
    "auditor.service.apps.ServiceConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "auditor.service.middleware.ApiErrorsMiddleware",
    "auditor.service.middleware.UploadSizeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's place for it: after the session, before CommonMiddleware. It reads the
    # browser's Accept-Language; PageLanguageMiddleware (once the user is known) puts her own
    # setting before it and her office's default after it (web.md, "The pages' language").
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "auditor.service.middleware.OfficeTimeZoneMiddleware",
    "auditor.service.languages.PageLanguageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditor.service.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "auditor.service.urls"
WSGI_APPLICATION = "auditor.service.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                # LANGUAGE_CODE and LANGUAGE_BIDI for <html lang dir>.
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "auditor.service.views_common.membership",
            ],
            # Every page may format times in the office's zone (page_filters.when).
            "builtins": ["auditor.service.page_filters"],
        },
    }
]


def _database() -> dict[str, Any]:
    if CONFIG.database_url:
        return dict(dj_database_url.parse(CONFIG.database_url, conn_max_age=60))
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(private_file(DATA_DIR / "auditor.sqlite3")),
        "OPTIONS": {
            # Several processes (the server's threads, the job workers) share the file:
            # WAL lets readers go on while one writes; IMMEDIATE takes the write lock at
            # the start of a transaction, so two writers queue instead of deadlocking.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
#: The pages' languages (issue 27), each named in its own language and script for the picker.
LANGUAGES = PAGE_LANGUAGES
#: Django's own list already has Arabic; said here because the pages' <html dir> depends on it.
LANGUAGES_BIDI = ["ar"]
#: The pages' catalogues (django.po); the library's reports have their own (Babel, auditor.po).
LOCALE_PATHS = [str(Path(__file__).resolve().parent / "locale")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = str(DATA_DIR / "static")
# The pages' few files are found in the package itself, so no collectstatic step is needed.
WHITENOISE_USE_FINDERS = True
# The report's Noto fonts, served to the pages as web fonts (/static/fonts/...).
STATICFILES_DIRS = [("fonts", str(reports_dir() / "fonts"))]
WHITENOISE_AUTOREFRESH = False

LOGIN_URL = "/login"
LOGIN_REDIRECT_URL = "/"

_HTTPS = os.environ.get("AUDITOR_HTTPS") == "1"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_SECURE = _HTTPS
SESSION_COOKIE_AGE = 8 * 60 * 60
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SECURE = _HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if _HTTPS:
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

#: Bodies above the library's file limit are refused with 413 before they are read.
MAX_UPLOAD_BYTES = DEFAULT_LIMITS.max_file_bytes
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "auditor": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # Django's request logger prints the path with its query string; the service's own
        # access log (middleware) replaces it.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "huey": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # A request with a Host header the service does not serve is refused with 400; one
        # line, not a traceback, so that such requests cannot flood the log.
        "django.security.DisallowedHost": {
            "handlers": ["console"],
            "level": "CRITICAL",
            "propagate": False,
        },
    },
}
