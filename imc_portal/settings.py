"""Settings of the ИМЦ portal. Every value comes from the environment (see .env.example)."""
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Only with DEBUG on: Django's technical 404 and traceback pages instead of the portal's Russian ones
# (the embedded default shows users what a server shows; a developer asks for these explicitly).
TECHNICAL_ERROR_PAGES = env.bool("TECHNICAL_ERROR_PAGES", default=False)
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
    "axes",  # login throttling and lockout (see «Login, lockout, sessions» below)
    "csp",  # Content-Security-Policy header with per-request nonces
    "core",
    "imc_portal",
    "clusters",
    "monitoring",
    "network",
    "surveys",
    "diagnostics",
    "reports",
    "events",
    "setup",  # the wizard that onboards a new district (portal admin)
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
    # Before LoginRequiredMiddleware: an idle or too old session is logged out first, so the page
    # answers like any anonymous request (a redirect to the login form).
    "core.middleware.SessionTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The city level and the portal admin read a district chosen in the navbar, read-only (imc_portal/district_switch.py).
    "imc_portal.district_switch.DistrictSwitchMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.PrivacyHeadersMiddleware",  # Permissions-Policy; Cache-Control: private, no-store
    # With DEBUG on: the Russian 404/500 pages instead of Django's technical ones (core/error_pages.py).
    # After everything a page's context needs (user, messages, CSP nonce).
    "core.error_pages.RussianErrorPagesMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the Russian lockout page.
    "axes.middleware.AxesMiddleware",
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
                "csp.context_processors.nonce",  # {{ CSP_NONCE }} for an inline <script nonce=…>
            ],
        },
    },
]

WSGI_APPLICATION = "imc_portal.wsgi.application"

# The embedded default is a SQLite file next to manage.py; production and CI use PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# A persistent connection the server dropped (PostgreSQL restarted, pg_terminate_backend) is
# tested before a request reuses it, so the first request after a restart gets no 500.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
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
PRACTICE_FILE_MAX_BYTES = env.int("PRACTICE_FILE_MAX_BYTES", default=20 * 1024 * 1024)  # each file of a practice
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=10 * 1024 * 1024)

# Cache: rate-limit counters (core/ratelimit.py). Per-process memory by default; a server with
# several gunicorn workers sets CACHE_URL=redis://… so all workers share the counters.
# clusters.Teacher's partial index for the district's active-teacher count INCLUDEs the id (an index-only
# count on PostgreSQL); SQLite builds it without the non-key column and Django warns (models.W040) on every
# command of the embedded default. Nothing to do about it there.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# Drawn charts (core/charts.py): each SVG under a hash of what it shows, so a read of unchanged data runs
# no matplotlib. An alias of its own so charts never evict the rate-limit counters: with CACHE_URL (Redis)
# the same server under the prefix "charts" (one drawing serves every worker and the PDF jobs), else this
# process's memory. Kept a week (CHART_CACHE_SECONDS); new values are new keys, old ones just expire.
CHART_CACHE_SECONDS = env.int("CHART_CACHE_SECONDS", default=7 * 24 * 3600)
if env.str("CHART_CACHE_URL", default=""):  # production: a bounded LRU Redis of its own (docker-compose.yml)
    CACHES["charts"] = {**env.cache("CHART_CACHE_URL"), "KEY_PREFIX": "charts", "TIMEOUT": CHART_CACHE_SECONDS}
elif CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    CACHES["charts"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "imc-charts",
                        "TIMEOUT": CHART_CACHE_SECONDS, "OPTIONS": {"MAX_ENTRIES": 2000}}
else:
    CACHES["charts"] = {**CACHES["default"], "KEY_PREFIX": "charts", "TIMEOUT": CHART_CACHE_SECONDS}
# Whole list and detail pages kept per reader and per version of the tables they read (core/page_cache.py),
# in the "charts" alias; 10 minutes bounds what a page may show of the clock (ages, deadlines).
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=True)
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
# Reverse proxies in front of the portal that append X-Forwarded-For (nginx on the host = 1).
# 0 = use REMOTE_ADDR; a wrong number lets clients forge their address or lumps them together.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# The public verification page /v/<code>/: uploads per client address and window (core/ratelimit.py).
VERIFY_UPLOAD_RATE_LIMIT = env.int("VERIFY_UPLOAD_RATE_LIMIT", default=20)
VERIFY_UPLOAD_RATE_WINDOW = env.int("VERIFY_UPLOAD_RATE_WINDOW", default=600)
# Accepted answers per client address and survey link per window (surveys/views/respond.py): a
# computer class of 30 behind one school NAT address answers within ten minutes.
SURVEY_SUBMIT_RATE_LIMIT = env.int("SURVEY_SUBMIT_RATE_LIMIT", default=30)
SURVEY_SUBMIT_RATE_WINDOW = env.int("SURVEY_SUBMIT_RATE_WINDOW", default=600)

# List filters offer «Все» rather than django-filter's «---------».
FILTERS_EMPTY_CHOICE_LABEL = "Все"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_TAGS = {40: "danger"}

# Celery: with no broker configured, tasks run eagerly in the calling process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# With no broker, where a job a page queues runs (core/embedded_worker.py): "thread" — on a background
# thread of the web process, the request returns at once and the page polls its progress (`make run`);
# "eager" — inside the request, synchronously (the test suite's default, tests/conftest.py).
EMBEDDED_TASKS = env.str("EMBEDDED_TASKS", default="thread")
if CELERY_TASK_ALWAYS_EAGER and EMBEDDED_TASKS == "thread" and DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Two threads write: a transaction takes SQLite's write lock when it begins and waits for it
    # (the timeout above), instead of failing at once with «database is locked» on upgrading a read.
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
# A worker killed mid-task (kill -9, OOM) leaves its message unacked: it is delivered again.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The longest task renders a справка (WeasyPrint): 300 s soft / 360 s hard for every task. Redis
# redelivers an unacked message after visibility_timeout, so it must exceed the hard limit (or a
# render still running would be handed to a second worker) — 900 s, not Redis's default hour.
# A request publishing a job or a mail (core/outbox.py) waits at most ~2 s for a broker that is
# down: short socket timeouts here, no publish retries there; the sweeper publishes it later.
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# (No "max_retries" here: it would also stop a worker reconnecting after a Redis restart.)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 900, "socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 5
OUTBOX_SWEEP_SECONDS = env.int("OUTBOX_SWEEP_SECONDS", default=60)
CELERY_BEAT_SCHEDULE = {
    # The outbox sweeper (core/outbox.py): publishes jobs and e-mails whose message never left
    # (broker down), re-queues jobs whose worker died.
    "core-outbox-sweep": {"task": "core.tasks.outbox_sweep", "schedule": OUTBOX_SWEEP_SECONDS},
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
    # Diagnostic campaigns: one reminder per unfinished invitation 3 days before closing (reminded_at).
    "diagnostics-reminders-hourly": {
        "task": "diagnostics.tasks.send_reminders",
        "schedule": crontab(minute=15),
    },
    # Events: a reminder the day before to every registered participant with an e-mail, once (reminded_at);
    # hourly in the daytime, so later registrations of the day are reminded too and nobody at night.
    "events-reminders-daytime": {
        "task": "events.tasks.send_reminders",
        "schedule": crontab(minute=20, hour="9-20"),
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

# Digital signature of reports (reports/signing.py): every signer has their own PKCS#12, stored in
# the database sealed with this Fernet key (comma-separated keys rotate: the first seals). Empty: a
# key derived from SECRET_KEY, allowed only with DEBUG on (system check reports.E003).
SIGNING_CREDENTIALS_KEY = env.str("SIGNING_CREDENTIALS_KEY", default="")
# The demo CA of `manage.py create_demo_certificate` (its root-ca.pem and key), never committed.
REPORT_SIGNING_DEMO_CA_DIR = Path(env.str("REPORT_SIGNING_DEMO_CA_DIR", default=str(BASE_DIR / "var" / "certs")))
# PEM files of the roots validate_pdf trusts; empty = root-ca.pem of the demo CA.
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

# --- Login, lockout, sessions (README «Вход, блокировка, сеансы») --------------------------------
# django-axes counts failed logins per user name and per client address (the login form and
# /admin/login/ alike): AXES_FAILURE_LIMIT failures lock that name / that address out for
# AXES_COOLOFF_MINUTES. The first backend only checks the lockout; ModelBackend authenticates.
AUTHENTICATION_BACKENDS = [
    "imc_portal.auth.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))


def _lockout_parameters(value: list[str]) -> list:
    """«username,ip_address» = each on its own; «username+ip_address» = only the pair together."""
    return [part.split("+") if "+" in part else part for part in (p.strip() for p in value) if part]


AXES_LOCKOUT_PARAMETERS = _lockout_parameters(env.list("AXES_LOCKOUT_PARAMETERS", default=["username", "ip_address"]))
# A successful login clears the user's failures: yesterday's typos do not count towards today's lockout.
AXES_RESET_ON_SUCCESS = True
# The address as core.ratelimit sees it (REMOTE_ADDR, or X-Forwarded-For behind TRUSTED_PROXY_COUNT
# proxies): behind the HTTPS proxy REMOTE_ADDR is the proxy, and one lockout would lock everybody out.
AXES_CLIENT_IP_CALLABLE = "imc_portal.auth.axes_client_ip"
AXES_LOCKOUT_CALLABLE = "imc_portal.auth.lockout_response"  # the Russian page, HTTP 429
AXES_HTTP_RESPONSE_CODE = 429
# Failed attempts stay in AccessAttempt (admin «Axes»); every successful login in AccessLog.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# No start-up banner and no user agent in axes' own log lines; imc_portal.auth logs name and address.
AXES_VERBOSE = False
# Sessions: an absolute lifetime from login and an idle timeout (core.middleware.SessionTimeoutMiddleware).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 3600)
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=60 * 60)
# Password reset links (PasswordResetView) are valid this long.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=24 * 3600)
# Reset e-mails one client address may ask for per hour (a mailbox is not to be flooded).
PASSWORD_RESET_RATE_LIMIT = env.int("PASSWORD_RESET_RATE_LIMIT", default=5)

# --- Headers: CSP, Permissions-Policy (README «Заголовки безопасности») --------------------------
# No 'unsafe-inline' anywhere: scripts are static files (static/js/portal.js), styles are classes in
# static/css, charts are SVG with presentation attributes (core/charts.py). An inline <script> needs
# nonce="{{ CSP_NONCE }}". data: images: Bootstrap's icons in CSS and the QR code of the preview.
_CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "frame-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
}
# (No module-level CSP_* names: django-csp 4 takes them for its old settings and refuses to start.)
if _csp_report_uri := env.str("CSP_REPORT_URI", default=""):
    _CSP_DIRECTIVES["report-uri"] = [_csp_report_uri]
# CSP_REPORT_ONLY=true: browsers report violations but block nothing (to try a stricter policy).
if env.bool("CSP_REPORT_ONLY", default=False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES}
# Browser features the portal never uses, switched off for every page (core.middleware).
PERMISSIONS_POLICY = {
    feature: []
    for feature in ("accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone",
                    "payment", "usb", "browsing-topics")
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # fontTools logs every table it subsets at INFO (PDF rendering, signature stamps): keep it quiet.
    "loggers": {
        "fontTools": {"level": "WARNING"},
        # axes logs every successful login and clean-up at INFO; failures and lockouts are WARNING,
        # and imc_portal.auth writes its own line per failed login (name and address).
        "axes": {"level": "WARNING"},
    },
}
