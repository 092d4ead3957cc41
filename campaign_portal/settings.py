"""Settings for Campaign Portal, read from the environment (django-environ).

Every value has an embedded default so that nothing but Python is needed to run
the portal locally: SQLite under ``var/`` and kombu's filesystem broker under
``var/broker/``. Production sets ``DATABASE_URL``, ``CELERY_BROKER_URL``,
``SECRET_KEY`` and friends; see ``docs/operations.md``.
"""

import ipaddress
import secrets
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kernel.cache import production_cache

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)


def _dev_secret_key() -> str:
    """A random key kept in var/ so sessions survive a restart of ``make run``."""
    path = VAR_DIR / "dev-secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the portal refuses to start without "
            "one; generate it with `python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    SECRET_KEY = _dev_secret_key()

# Earlier keys still accepted after a rotation (sessions, reset links, access codes).
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_celery_beat",
    "axes",
    "csp",
    "kernel",
    "campaigns",
    "complaints",
    "rectification",
    "evaluations",
    "notifications",
    "oversight",
]

MIDDLEWARE = [
    # Drops X-Forwarded-Proto from peers that are not our proxies (TRUSTED_PROXIES).
    "kernel.middleware.UntrustedForwardingMiddleware",
    # An id per request for the logs and the X-Request-ID header (LOG_FORMAT=json).
    "kernel.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which campaign the page shows: ?campaign=<id> among the user's (campaigns/current.py).
    "campaigns.current.CampaignMiddleware",
    "kernel.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Control characters nobody types are cleaned from every posted form (kernel/text.py).
    "kernel.text.CleanTextMiddleware",
    # A step saved while the broker is away says so (kernel/dispatch.py).
    "kernel.dispatch.DispatchNoticeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # django-axes wants to be last.
    "axes.middleware.AxesMiddleware",
]

# With DEBUG on, the portal's own 404 page rather than Django's (DEBUG_TECHNICAL_404=1 keeps Django's).
if DEBUG and not env.bool("DEBUG_TECHNICAL_404", default=False):
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
        "kernel.middleware.PortalNotFoundMiddleware",
    )

ROOT_URLCONF = "campaign_portal.urls"
WSGI_APPLICATION = "campaign_portal.wsgi.application"

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
                "campaigns.context_processors.portal",
                "notifications.context_processors.inbox",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the Celery worker share the file in `make run`:
    # WAL and IMMEDIATE transactions keep them from tripping over each other.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis in production, through kernel.cache.FallbackRedisCache: while Redis is
# away every page still works from the database and this process's memory.
CACHES = {"default": production_cache(env.str("CACHE_URL", default="locmemcache://"))}

# --- Users and logins ---------------------------------------------------------
AUTH_USER_MODEL = "campaigns.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff:workspace"
LOGOUT_REDIRECT_URL = "home"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes: 5 failures from one IP for one username lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address for every limiter and every stored IP (kernel/net.py):
# the TCP peer, or, when the peer is one of our own reverse proxies listed here,
# the address that proxy put into X-Forwarded-For. Empty: no proxy, the header
# is ignored. See "Client addresses behind a proxy" in docs/operations.md.
if env.str("AXES_IPWARE_PROXY_COUNT", default=""):
    raise ImproperlyConfigured(
        "AXES_IPWARE_PROXY_COUNT is no longer read: list the addresses of your reverse proxies in "
        "TRUSTED_PROXIES instead (docs/operations.md, Client addresses behind a proxy)."
    )
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy.strip(), strict=False)
    except ValueError as _exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network.") from _exc
AXES_CLIENT_IP_CALLABLE = "kernel.net.client_ip"
RATELIMIT_IP_META_KEY = "kernel.net.ratelimit_ip"

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", _("Simplified Chinese")),
    ("zh-hant", _("Traditional Chinese")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_TZ = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and uploaded files ------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns at startup when it is missing
# Uploads live outside the web root and are only ever served through views
# that check who is asking.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Nothing serves this prefix (no URL pattern, not whitenoise); it exists because
# Django expects a string here.
MEDIA_URL = "/media/"
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
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# No form takes more than five files; Django refuses more before storing any.
DATA_UPLOAD_MAX_NUMBER_FILES = 10
# Uploads over FILE_UPLOAD_MAX_MEMORY_SIZE are spooled here, not to /tmp: private
# to the portal's user, and swept of what an interrupted upload leaves behind.
FILE_UPLOAD_TEMP_DIR = str(Path(env.str("FILE_UPLOAD_TEMP_DIR", default=str(VAR_DIR / "upload-tmp"))))
Path(FILE_UPLOAD_TEMP_DIR).mkdir(mode=0o700, parents=True, exist_ok=True)
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
FILE_UPLOAD_PERMISSIONS = 0o600
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail -------------------------------------------------------------------
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    # With DEBUG on, mail is written to files under var/mail/ (one file per batch) rather
    # than into the console, where make run's 50-odd demo notices buried everything else;
    # EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend prints them again.
    EMAIL_BACKEND = env.str(
        "EMAIL_BACKEND",
        default="django.core.mail.backends.filebased.EmailBackend"
        if DEBUG
        else "django.core.mail.backends.console.EmailBackend",
    )
    EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
# Seconds an SMTP connection may wait on the mail server (connect, each reply):
# a server that accepts and never answers must not hold a worker for good.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=vars().get("EMAIL_TIMEOUT") or 20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="campaign-portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Production needs a cache every process shares (limits, the page cache, figure
# snapshots) and mail that reaches people. A per-process cache or mail printed
# to the log is refused with DEBUG off unless explicitly allowed (a one-process
# trial, the tests' production probes).
if not DEBUG:
    if CACHES["default"]["BACKEND"].endswith(("locmem.LocMemCache", "dummy.DummyCache")) and not env.bool(
        "ALLOW_LOCAL_CACHE", default=False
    ):
        raise ImproperlyConfigured(
            "CACHE_URL is a per-process cache: every gunicorn worker would keep its own limits and pages. "
            "Set CACHE_URL=redis://... (ALLOW_LOCAL_CACHE=1 accepts it for a single-process trial)."
        )
    if EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend" and not env.bool(
        "ALLOW_CONSOLE_EMAIL", default=False
    ):
        raise ImproperlyConfigured(
            "E-mail goes to the log only (console backend): set EMAIL_URL=smtp+tls://... "
            "(ALLOW_CONSOLE_EMAIL=1 accepts it for a trial)."
        )

# --- Celery -------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
BROKER_DIR = VAR_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    # kombu's filesystem transport: one folder for messages in both directions,
    # so a worker with beat runs on one machine with no server at all.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
    for _folder in ("queue", "control"):
        (BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Longer than the longest task, so an unacknowledged message is not
        # redelivered while its first worker is still busy with it.
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
        # A broker that accepts the connection and never answers (a hung Redis, a
        # half-open connection through a firewall) gives up after this many seconds
        # instead of waiting forever; kombu's own default is to wait forever.
        # Longer than the worker's BRPOP poll (1 s), so an idle worker never times out.
        "socket_connect_timeout": env.float("CELERY_BROKER_TIMEOUT", default=2.0),
        "socket_timeout": env.float("CELERY_BROKER_TIMEOUT", default=2.0),
        "retry_on_timeout": False,
    }
    # The same timeout for results, as the Celery docs ask when both use Redis.
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = dict(CELERY_BROKER_TRANSPORT_OPTIONS)
# No task may outlive the visibility timeout, or Redis would hand it to a second worker.
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Queueing a task is tried twice (Celery's default is four times, with three
# reconnections): a step whose task cannot be queued is saved all the same and a
# sweep makes the task good (kernel/dispatch.py), so a request waits at most about
# twice CELERY_BROKER_TIMEOUT on a broker that is away or hung.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Every periodic job is declared here, in one place; django-celery-beat copies
# them into the database where admins can see and tune them.
CELERY_BEAT_SCHEDULE: dict = {
    # Reminders and escalations before and after every deadline, and the delivery
    # of every notice waiting to be sent: one idempotent sweep.
    "reminder-sweep": {
        "task": "notifications.tasks.sweep",
        "schedule": env.int("REMINDER_SWEEP_SECONDS", default=15 * 60),
    },
    # The complaints' time limits (accountability cases), auto-closing, and the
    # complainant notices whose task was lost: idempotent too.
    "complaints-sweep": {
        "task": "complaints.tasks.sweep",
        "schedule": env.int("COMPLAINTS_SWEEP_SECONDS", default=15 * 60),
    },
    # The notices of work handed over (plans, completions, deliverables, tasks
    # reopened) and the exports whose task was lost while the broker was away.
    "hand-over-sweep": {
        "task": "campaigns.tasks.sweep_hand_overs",
        "schedule": env.int("COMPLAINTS_SWEEP_SECONDS", default=15 * 60),
    },
    "export-sweep": {"task": "oversight.tasks.sweep_exports", "schedule": 15 * 60},
    # The snapshots of the figures that aggregate whole tables (public complaint
    # statistics, the dashboard's complaint columns and trends): recomputed
    # before they reach FIGURES_MAX_AGE, so no visitor waits for one.
    "refresh-figures": {
        "task": "kernel.tasks.refresh_figures",
        "schedule": env.int("FIGURES_REFRESH_SECONDS", default=4 * 60),
    },
    # Attachments that no row refers to (a worker killed before its commit) and
    # upload temp files an interrupted request left, once they are an hour old.
    "sweep-files": {"task": "kernel.tasks.sweep_files", "schedule": 60 * 60},
}
# Seconds a snapshot of aggregate figures may be served (kernel/figurecache.py);
# 0 computes them on every request.
FIGURES_MAX_AGE = env.int("FIGURES_MAX_AGE", default=5 * 60)
# Seconds a public page, as anonymous visitors see it, is served from the cache
# (kernel/pagecache.py); 0 renders every request.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=60)

# --- Security -----------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

# No inline scripts, no eval: all JavaScript lives in static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws select arrows and check marks as data: SVGs.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Logging and error reports ------------------------------------------------
# Plain lines by default; LOG_FORMAT=json writes one JSON object per line with
# the request's id (kernel/logs.py) for a log collector.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured("LOG_FORMAT must be plain or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "kernel.logs.RequestIdFilter"},
        "quiet_client_errors": {"()": "kernel.logs.NoTracebackForClientErrors"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "not_health_checks": {"()": "kernel.logs.NotHealthChecks"},
    },
    "formatters": {
        # Times in TIME_ZONE (Django sets the process's TZ to it), as every other line.
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "kernel.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "quiet_client_errors"],
        },
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false", "not_health_checks"],
            # Django's handler, sending from a thread of its own (a hung mail server never
            # holds the failed request) and without the posted values (kernel/logs.py).
            "class": "kernel.logs.AdminEmailHandler",
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own console handler printed every django.* line a second time.
        "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}
# Server errors are mailed to ADMINS ("Name <address>, other@example.gov.cn") by
# Django with DEBUG off, and sent to Sentry (or a self-hosted GlitchTip) when
# SENTRY_DSN is set.
DEFAULT_EXCEPTION_REPORTER_FILTER = "kernel.logs.NoRequestBodyReporterFilter"
ADMINS = [(name, address) for name, address in getaddresses(env.list("ADMINS", default=[])) if address]
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        integrations=[DjangoIntegration(), CeleryIntegration()],
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        # Complainants' names, phones and addresses travel in request bodies and
        # cookies: none of it leaves the portal with an error report.
        send_default_pii=False,
        max_request_body_size="never",
    )

# --- Portal -------------------------------------------------------------------
# The portal's address as users reach it, for links in e-mails and SMS.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Text messages: a class with send(phone, text); see notifications/sms.py.
SMS_BACKEND = env.str("SMS_BACKEND", default="notifications.sms.FileBackend")
SMS_FILE_PATH = Path(env.str("SMS_FILE_PATH", default=str(VAR_DIR / "sms" / "outbox.log")))
# Tasks due within this many days are listed as "due soon" in the workspace.
DUE_SOON_DAYS = 7
