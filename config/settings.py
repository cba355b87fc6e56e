"""Leerkring settings: one module, driven by the environment.

With no variables set this is the embedded default (SQLite under var/, in-memory channel
layer, console email, tasks run immediately, DEBUG on). DATABASE_URL selects PostgreSQL,
REDIS_URL the channels-redis layer and a Redis cache. See README.md for the full table.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LEERKRING_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
TESTING = env_bool("LEERKRING_TESTING", "pytest" in sys.modules)
# bench/pages.py: serve /bench/leeg/, an empty view behind every middleware (the stack's floor).
BENCH_VIEWS = env_bool("LEERKRING_BENCH_VIEWS", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-never-used-when-debug-is-off"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # project apps first so their templates override third-party ones
    "cms",
    "communities",
    "casework",
    "partners",
    "idempotency",
    "webhooks",
    "channels",
    "django_htmx",
    "django_tasks",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # So that /api/v1/docs serves Swagger UI from our static files, not from a CDN (the CSP
    # allows scripts from this site only).
    "ninja",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # Outermost, so that what it stores carries every header (cms/page_cache.py).
    "cms.page_cache.PageCacheMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.DropDamagedCookiesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.ratelimit.RateLimitHeadersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.RejectNulCharactersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.LeerkringCSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # In place of allauth.usersessions.middleware.UserSessionsMiddleware (which writes on every
    # request): refreshes the session and its usersessions record every few minutes.
    "config.middleware.SessionActivityMiddleware",
    "config.middleware.AbsoluteSessionTimeoutMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "csp.context_processors.nonce",
                "config.context_processors.site",
                "communities.notifications.context_processors.notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DB_POOL = env_bool("DB_POOL", True) and DATABASE_URL.startswith(("postgres:", "postgresql:", "pgsql:"))
    if DB_POOL:
        # psycopg's connection pool (Django 5.1+): a request or a WebSocket consumer call takes
        # an open connection from the process's pool and closing it gives it back (config/asgi.py
        # closes a request's connection when it ends). Persistent connections (CONN_MAX_AGE) do
        # not mix with it. With health checks the pool tests a connection before handing it out,
        # so a restarted PostgreSQL costs no failed request.
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0, conn_health_checks=True)}
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": int(os.environ.get("DB_POOL_MIN_SIZE", 2)),
            "max_size": int(os.environ.get("DB_POOL_MAX_SIZE", 10)),
            "timeout": float(os.environ.get("DB_POOL_TIMEOUT", 10)),
            "max_idle": 300,
        }
        if env_bool("DB_PREPARED_STATEMENTS", True):
            # Parameters bound by the server, and a query run a third time on a pooled connection
            # is prepared: PostgreSQL stops planning the same page queries again for every request
            # (half its CPU per channel page, bench/README.md). Django leaves both off for poolers
            # in transaction mode (PgBouncer), which this pool is not. A migration that changes a
            # column's type makes the running processes' prepared statements fail ("cached plan
            # must not change result type"): restart them after migrating, as a deploy does.
            DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=2)
    else:
        # Without the pool (DB_POOL=0): kept connections serve the WebSocket consumers' one
        # database thread per process; HTTP requests close theirs at the end (config/asgi.py).
        DATABASES = {
            "default": dj_database_url.parse(
                DATABASE_URL, conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", 60)), conn_health_checks=True
            )
        }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", VAR_DIR / "leerkring.sqlite3"),
            # WAL lets the ASGI server read while a write is in progress.
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"},
            # A file, not memory, so that ASGI server processes started by tests share it.
            "TEST": {"NAME": VAR_DIR / "test.sqlite3"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Channel layer and cache ----------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
_layer_prefix = os.environ.get("CHANNEL_LAYER_PREFIX", "leerkring")
if REDIS_URL and TESTING and os.environ.get("PYTEST_XDIST_WORKER"):
    # Parallel test workers each get a Redis database of their own: a cache.clear() (FLUSHDB)
    # or a cached Wagtail site root of one worker must not reach the other.
    from urllib.parse import urlsplit, urlunsplit

    _parts = urlsplit(REDIS_URL)
    _base_db = int(_parts.path.strip("/") or 0)
    _worker = int(os.environ["PYTEST_XDIST_WORKER"].removeprefix("gw") or 0)
    REDIS_URL = urlunsplit(_parts._replace(path=f"/{(_base_db + 1 + _worker) % 16}"))
    # Pub/sub channels are not scoped by database number: the layer prefix must differ too,
    # or one worker's events reach the other's sockets (user groups are named by pk).
    _layer_prefix = f"{_layer_prefix}-gw{_worker}"
if REDIS_URL:
    from redis.asyncio.retry import Retry
    from redis.backoff import ExponentialBackoff

    # After Redis restarts, redis-py finds out that a pooled connection is dead only when a
    # command fails on it: without a retry the first group_send after the restart is lost.
    # Three retries with 50-500 ms backoff (reconnecting in between) bridge a restart.
    _layer_retry = Retry(ExponentialBackoff(cap=0.5, base=0.05), 3)
    CHANNEL_LAYER_CHOICES = {
        # The layer in use. bench/fanout.py (README, "Performance") measures both layers on
        # one message to 200 sockets over two processes: pub/sub delivers faster, with a far
        # shorter tail, because group_send is one PUBLISH that Redis hands to each subscribed
        # process (which fans out in memory) instead of a push onto a list per member socket.
        # It also has no group expiry (a socket older than group_expiry silently stops
        # receiving on the list layer) and keeps one Redis connection per process where the
        # list layer's pool (redis-py's 100 by default) runs out when hundreds of sockets
        # join or leave at once. It has no capacity or expiry settings: a message waits in
        # its consumer's in-process queue until the consumer takes it (a dead client is
        # dropped by the server's WebSocket ping timeout, 20 s in uvicorn), and is lost if
        # the process dies. Neither layer guarantees delivery; clients catch up from the database
        # with `since` (communities/consumers.py).
        # communities.layers.ResumingPubSubChannelLayer is RedisPubSubChannelLayer plus a signal
        # to the consumers when the connection to Redis is back, so they catch up on what was
        # published while it was gone (bench/loadfault.py's fault run: Redis restarted).
        "pubsub": {
            "BACKEND": "communities.layers.ResumingPubSubChannelLayer",
            "CONFIG": {"hosts": [{"address": REDIS_URL, "retry": _layer_retry}], "prefix": _layer_prefix},
        },
        # CHANNEL_LAYER=core, for the benchmark's comparison. capacity 500: a burst that a
        # socket cannot drain in time is cut where the client would have to resync anyway
        # (the consumer's catch-up limit); expiry 30 s: a message nobody fetched for that long
        # belongs to a dead consumer; group_expiry: as long as a session may live, because a
        # socket lives no longer than its session; socket_timeout None: redis-py 8 times out
        # the layer's blocking BZPOPMIN after 5 s otherwise (channels_redis issue #422).
        "core": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "socket_timeout": None}],
                "prefix": _layer_prefix,
                "capacity": 500,
                "expiry": 30,
                "group_expiry": int(os.environ.get("SESSION_ABSOLUTE_MAX_AGE", 60 * 60 * 24 * 14)),
            },
        },
    }
    CHANNEL_LAYERS = {"default": CHANNEL_LAYER_CHOICES[os.environ.get("CHANNEL_LAYER", "pubsub")]}
    CACHES = {
        "default": {
            # Django's RedisCache, with one connection pool per process (config/cache.py).
            "BACKEND": "config.cache.ProcessRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "leerkring"),
            # An unreachable Redis fails fast (rate limits then let posts through) instead of
            # holding each request for the operating system's connect timeout.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    # Channel pages keep each message's HTML in the cache (communities/thread_html.py): the
    # default 300 entries would be culled by a single page, and other entries with them.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 20000}}}

# Anonymous visitors' Wagtail pages from the cache (cms/page_cache.py). It needs a cache that
# every server process shares, hence on by default with Redis only.
PAGE_CACHE = env_bool("PAGE_CACHE", bool(REDIS_URL))
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 5 * 60))

# --- Background tasks -----------------------------------------------------------------
if os.environ.get("TASKS_BACKEND", "immediate") == "database":
    INSTALLED_APPS.append("django_tasks_db")
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Outgoing webhooks (webhooks/) ------------------------------------------------------
# Loopback receivers (http or https to 127.0.0.1/::1/localhost) only where this is on: tests
# and local development. Otherwise https to public addresses only.
WEBHOOK_ALLOW_LOOPBACK = env_bool("WEBHOOK_ALLOW_LOOPBACK", TESTING)
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", 5))
WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", 5))
WEBHOOK_RETRY_BASE_SECONDS = int(os.environ.get("WEBHOOK_RETRY_BASE_SECONDS", 60))  # then 2x, 4x, ...
WEBHOOK_DISABLE_AFTER_FAILURES = int(os.environ.get("WEBHOOK_DISABLE_AFTER_FAILURES", 15))

# --- Email ----------------------------------------------------------------------------
EMAIL_URL = os.environ.get("EMAIL_URL", "")
if EMAIL_URL:
    from urllib.parse import unquote, urlparse

    _email = urlparse(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or 25
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_TLS = _email.scheme in {"smtp+tls", "submission"}
    EMAIL_USE_SSL = _email.scheme == "smtps"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Leerkring <noreply@leerkring.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Authentication (allauth) ---------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Leerkring] "
ACCOUNT_SIGNUP_FORM_CLASS = "communities.forms.SignupProfileForm"
# Sign-up saves user, profile and email address in one transaction; people are named by
# their profile's display name (see communities/accounts.py).
ACCOUNT_FORMS = {"signup": "communities.accounts.SignupForm"}
ACCOUNT_USER_DISPLAY = "communities.accounts.user_display"
# Sign-up and password reset say plainly when an email address is (not) known, instead of
# allauth's default "check your mail" for both; login stays rate limited per IP and address.
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_REAUTHENTICATION_REQUIRED = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Leerkring"
USERSESSIONS_TRACK_ACTIVITY = True

# Sessions: 2 hours of inactivity, at most 14 days in all (see README "Security and privacy").
# A session is written when it changes, and otherwise refreshed (expiry renewed, usersessions'
# "last seen" updated) at most every SESSION_REFRESH_INTERVAL seconds by
# config.middleware.SessionActivityMiddleware, instead of on every request
# (SESSION_SAVE_EVERY_REQUEST): inactivity then ends a session after 1 h 55 min to 2 h.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 60 * 60 * 2))
SESSION_REFRESH_INTERVAL = int(os.environ.get("SESSION_REFRESH_INTERVAL", 5 * 60))
SESSION_ABSOLUTE_MAX_AGE = int(os.environ.get("SESSION_ABSOLUTE_MAX_AGE", 60 * 60 * 24 * 14))

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
# Pages are translated with wagtail.contrib.simple_translation; both languages share the same
# URLs (the language comes from the visitor's choice, see cms.models.base.BasePage.route).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = [("nl", "Nederlands"), ("en", "English")]

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every start otherwise
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Case attachments never live under MEDIA_ROOT: they are served only through a view
# that checks permission.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        # Django's and whitenoise's storages, each file's URL worked out once (config/storage.py).
        "BACKEND": (
            "config.storage.StaticFilesStorageURLsOnce"
            if DEBUG or TESTING
            else "config.storage.CompressedManifestStaticFilesStorageURLsOnce"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Wagtail --------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Leerkring"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
# No request may leave the site for a third party: the admin shows initials, not Gravatar images.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Security -------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Set by config.middleware.SecurityHeadersMiddleware on every response (static files too).
LEERKRING_SECURITY_HEADERS = {
    "Permissions-Policy": ", ".join(
        f"{feature}=()"
        for feature in (
            "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope",
            "magnetometer", "microphone", "midi", "payment", "usb",
        )
    ),
    "Cross-Origin-Resource-Policy": "same-origin",
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# No script reads the CSRF or language cookie (forms carry the token), so neither is readable from JS.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
# The Wagtail admin needs inline styles and scripts; it is exempted by path in
# config.middleware (CSP_EXCLUDE_URL_PREFIXES is gone from django-csp 4).
CSP_EXEMPT_PATH_PREFIXES = ("/cms/", "/django-admin/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
