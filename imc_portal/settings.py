"""Settings of the ИМЦ portal. Every value comes from the environment (see .env.example)."""
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# The default key is for development and tests only: `check --deploy` flags it (security.W009)
# and docker-compose.yml refuses to start without SECRET_KEY.
SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-development-key-for-local-use-only")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

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
    "core",
    "imc_portal",
    "clusters",
    "monitoring",
    "surveys",
    "reports",
    "demo",  # on top of everything: it calls every app's services, nobody imports it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "imc_portal.urls"

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
                "imc_portal.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "imc_portal.wsgi.application"

# The embedded default is a SQLite file next to manage.py; production and CI use PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # SQLite waits for a lock instead of failing at once while Celery (eager) and a request write.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "imc_portal.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Moscow")
USE_I18N = True
USE_TZ = True
# 17.12.2021 everywhere, also where a template formats a date without a filter.
DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATE_FORMAT = "d.m.Y"
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
FORMAT_MODULE_PATH = ["imc_portal.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production sets whitenoise.storage.CompressedManifestStaticFilesStorage (after collectstatic).
    "staticfiles": {
        "BACKEND": env.str("STATICFILES_STORAGE", default="django.contrib.staticfiles.storage.StaticFilesStorage")
    },
}
# Without collectstatic (development, tests) whitenoise serves straight from the app folders.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)

# Uploads: XLSX imports are read in memory; anything larger is refused by the import form.
IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)
# Zip-bomb guard: the unpacked size of an uploaded XLSX and its number of data rows.
IMPORT_MAX_UNCOMPRESSED_BYTES = env.int("IMPORT_MAX_UNCOMPRESSED_BYTES", default=64 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=20_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=10 * 1024 * 1024)

# Cache: rate-limit counters (core/ratelimit.py). Per-process memory by default; a server with
# several gunicorn workers sets CACHE_URL=redis://… so all workers share the counters.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# Reverse proxies in front of the portal that append X-Forwarded-For (nginx on the host = 1).
# 0 = use REMOTE_ADDR; a wrong number lets clients forge their address or lumps them together.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# The public verification page /v/<code>/: uploads per client address and window (core/ratelimit.py).
VERIFY_UPLOAD_RATE_LIMIT = env.int("VERIFY_UPLOAD_RATE_LIMIT", default=20)
VERIFY_UPLOAD_RATE_WINDOW = env.int("VERIFY_UPLOAD_RATE_WINDOW", default=600)

# List filters offer «Все» rather than django-filter's «---------».
FILTERS_EMPTY_CHOICE_LABEL = "Все"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_TAGS = {40: "danger"}

# Celery: with no broker configured, tasks run eagerly in the calling process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE = {
    # Monitoring facts of the current periods are recomputed every night (locked values are kept).
    "monitoring-recompute-nightly": {
        "task": "monitoring.tasks.recompute_nightly",
        "schedule": crontab(hour=2, minute=30),
    },
    # Survey campaigns: opening notices and reminders (idempotent, so hourly is safe).
    "surveys-campaign-notifications-hourly": {
        "task": "surveys.tasks.campaign_notifications_hourly",
        "schedule": crontab(minute=5),
    },
}

# Mail: console by default, SMTP in production through EMAIL_URL.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@imc.local")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The portal's public address: printed into signed PDFs (verification link and QR code, which can
# never be changed afterwards) and into e-mails. Required when DEBUG is off (core.E001); unset in
# the embedded default, reports take it from the approving request (core/links.py).
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="")
# Survey campaigns remind organisations that have not submitted this many days before closing.
SURVEY_REMINDER_DAYS = env.int("SURVEY_REMINDER_DAYS", default=3)

# Digital signature of reports (reports/signing.py): the ИМЦ's key and certificate in PKCS#12.
# `manage.py create_demo_certificate` writes a demo one (and its root, root-ca.pem) into var/certs/.
REPORT_SIGNING_PKCS12_PATH = Path(env.str("REPORT_SIGNING_PKCS12_PATH", default=str(BASE_DIR / "var" / "certs" / "signer.p12")))
REPORT_SIGNING_PKCS12_PASSWORD = env.str("REPORT_SIGNING_PKCS12_PASSWORD", default="")
# PEM files of the roots validate_pdf trusts; empty = root-ca.pem next to the PKCS#12 file.
REPORT_SIGNING_TRUST_ROOTS = env.list("REPORT_SIGNING_TRUST_ROOTS", default=[])
# RFC 3161 timestamp server: set = PAdES B-T, empty = B-B (no timestamp).
REPORT_SIGNING_TIMESTAMP_URL = env.str("REPORT_SIGNING_TIMESTAMP_URL", default="")

# HTTPS: off for the embedded default on 127.0.0.1; a deployment behind HTTPS turns them on
# through the environment (docker-compose.yml does; see .env.example).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 3600)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # fontTools logs every table it subsets at INFO (PDF rendering, signature stamps): keep it quiet.
    "loggers": {"fontTools": {"level": "WARNING"}},
}
