"""Settings for Green Jobs Portal.

This is the one place that reads the environment. See the README for every
variable. With no environment at all, development works on the local
PostgreSQL database ``greenjobs``.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Core -------------------------------------------------------------------

DEBUG = env_bool("DEBUG", True)

# INSECURE: development-only key. Start-up is refused with it when DEBUG is off.
DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "") or DEV_SECRET_KEY

if not DEBUG and (SECRET_KEY == DEV_SECRET_KEY or SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY is missing or is the insecure development key, and DEBUG is off. "
        "Set SECRET_KEY to a random string of at least 50 characters, for example: "
        "python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

# The one source of absolute links (emails, feeds, sitemap, calendars, canonical, Open Graph,
# JSON-LD): never the request's Host, never the Sites record. See greenjobs/siteurl.py.
SITE_URL = (os.environ.get("SITE_URL", "") or "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("SITE_URL must be an absolute http:// or https:// address.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before the admin: French and Spanish columns beside the English ones (each app's translation.py).
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "csp",
    "axes",
    "taggit",
    "django_countries",
    # The content apps first: each registers what it publishes in its ready(), and greenjobs' ready()
    # (last of ours) connects search, the content version and the page cache to what they registered.
    "cases",
    "events",
    "courses",
    "greenjobs",
    # After greenjobs, whose runmailer command (send, retry, survive outages) replaces django-mailer's.
    "mailer",
]

MIDDLEWARE = [
    # First, so that it runs last: a body left unread is read before the connection closes.
    "greenjobs.core.middleware.DrainRequestBodyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "greenjobs.core.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "greenjobs.discovery.pagecache.AnonymousPageCacheMiddleware",
    # Inside the page cache: a kept page keeps the headers they add, and a hit does not build them again.
    "csp.middleware.CSPMiddleware",
    "greenjobs.core.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language is the address's: /fr/… French, /es/… Spanish, anything else English.
    "greenjobs.core.middleware.LanguageFromAddressMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "greenjobs.urls"
WSGI_APPLICATION = "greenjobs.wsgi.application"
SITE_ID = 1

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
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------

DEFAULT_DATABASE_URL = "postgres:///greenjobs"
DATABASE_URL = os.environ.get("DATABASE_URL", "") or DEFAULT_DATABASE_URL
if not DATABASE_URL.startswith(("postgres://", "postgresql://", "postgis://")):
    raise ImproperlyConfigured("DATABASE_URL must point to a PostgreSQL server (postgres://...).")
# Seconds. Connecting gives up after DB_CONNECT_TIMEOUT. DB_STATEMENT_TIMEOUT bounds one statement of
# management commands (0: no limit, so migrate, seeding and bench are never cut short). Web processes
# (greenjobs/wsgi.py) bound every statement by DB_WEB_TIMEOUT instead, on the server and in the client,
# so that even a frozen server gives visitors a 503 within seconds (greenjobs/dbguard.py).
DB_CONNECT_TIMEOUT = max(int(os.environ.get("DB_CONNECT_TIMEOUT", "") or 2), 1)
DB_STATEMENT_TIMEOUT = float(os.environ.get("DB_STATEMENT_TIMEOUT", "") or 0)
DB_WEB_TIMEOUT = float(os.environ.get("DB_WEB_TIMEOUT", "") or 2)
# The busiest detail pages' queries are prepared on the server once per connection (greenjobs.core.prepared);
# 0 turns it off, as a connection pooler in transaction mode needs.
DB_SERVER_PREPARED = os.environ.get("DB_SERVER_PREPARED", "1") != "0"
# Persistent connections, checked at the start of each request: after an outage the broken one is
# dropped and the next request reconnects, with no restart. The backend is Django's, with a check that
# looks at the connection's socket instead of sending SELECT 1 (greenjobs/core/postgresql).
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
DATABASES["default"]["ENGINE"] = "greenjobs.core.postgresql"
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", DB_CONNECT_TIMEOUT)
if DB_STATEMENT_TIMEOUT:
    DATABASES["default"]["OPTIONS"]["options"] = " ".join(
        [DATABASES["default"]["OPTIONS"].get("options", ""), f"-c statement_timeout={int(DB_STATEMENT_TIMEOUT * 1000)}"]
    ).strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------
# Redis when REDIS_URL is set (what several app servers share: page cache, content version,
# rate limits); a process-local cache otherwise (one developer process).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "greenjobs")
# Never hang a request on Redis: short timeouts.
REDIS_TIMEOUTS = {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            # A dead Redis reads as a miss.
            "OPTIONS": {**REDIS_TIMEOUTS, "IGNORE_EXCEPTIONS": True},
        }
    }
    DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "greenjobs"}}

# Whole pages for anonymous visitors and the content version (greenjobs/pagecache.py) have their
# own cache: Redis (PAGE_CACHE_REDIS_URL, by default REDIS_URL's) whose errors the page cache sees
# and steps around, or a small process-local one, so that a flood of pages never evicts the
# rate-limit counters in "default". Give Redis a `maxmemory` and `maxmemory-policy allkeys-lru`
# (every key we write has a time-out), and no persistence.
PAGE_CACHE_REDIS_URL = os.environ.get("PAGE_CACHE_REDIS_URL", "") or REDIS_URL
PAGE_CACHE_ALIAS = "pages"
if PAGE_CACHE_REDIS_URL:
    CACHES[PAGE_CACHE_ALIAS] = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": PAGE_CACHE_REDIS_URL,
        "KEY_PREFIX": CACHE_KEY_PREFIX,
        "OPTIONS": {**REDIS_TIMEOUTS, "IGNORE_EXCEPTIONS": False},
    }
else:
    CACHES[PAGE_CACHE_ALIAS] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "greenjobs-pages",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("PAGE_CACHE_LOCAL_ENTRIES", "200"))},
    }
# Seconds a page is kept; any public content change invalidates it at once. 0 turns it off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
# A page whose compressed body is larger is not kept (the sitemap of 20,000 stories fits).
PAGE_CACHE_MAX_ENTRY_BYTES = int(os.environ.get("PAGE_CACHE_MAX_ENTRY_BYTES", str(512 * 1024)))
# Each web process also keeps copies of the large pages it served (>= 32 KB gzipped: calendars, sitemap
# sections), up to this many bytes, checked against the shared version before use (0: none).
PAGE_CACHE_LOCAL_BYTES = int(os.environ.get("PAGE_CACHE_LOCAL_BYTES", str(8 * 1024 * 1024)))
# Browsers, proxies and CDNs may reuse an anonymous page this many seconds (Cache-Control max-age).
PAGE_CACHE_MAX_AGE = int(os.environ.get("PAGE_CACHE_MAX_AGE", "60"))

# --- Themes (django-taggit): one tag vocabulary shared by cases, events and courses ---
TAGGIT_CASE_INSENSITIVE = True

# --- Auth -------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# Admin login throttling (django-axes): 5 failures from one address lock it out for 15 minutes.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "axes_lockout.html"
AXES_VERBOSE = False

# --- Client address, story limits, log-in throttling --------------------------
# Behind reverse proxies, the client's address is the TRUSTED_PROXIES-th entry from the right
# of X-Forwarded-For (greenjobs/clientip.py); 0 (default) uses the socket's address and ignores
# the header, which any client can send. The story limit and django-axes both key on it.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "greenjobs.core.clientip.client_ip"
RATELIMIT_IP_META_KEY = "greenjobs.core.clientip.client_ip"
# Stories an hour (cases/limits.py). Per address: a training room of 30 shares one address;
# per contributor email, case-insensitive: one person's flood. Every POST counts.
STORY_LIMIT_PER_ADDRESS = int(os.environ.get("STORY_LIMIT_PER_ADDRESS", "100"))
STORY_LIMIT_PER_EMAIL = int(os.environ.get("STORY_LIMIT_PER_EMAIL", "5"))
RATELIMIT_USE_CACHE = "default"
# Redis down: let stories through (a warning is logged) rather than refuse every contributor.
RATELIMIT_FAIL_OPEN = True
# django-ratelimit wants a shared, atomic cache (Redis); without REDIS_URL there is one
# process-local cache, which is right for one development process and for tests.
RATELIMIT_LOCAL_CACHE_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
SILENCED_SYSTEM_CHECKS = [] if REDIS_URL else RATELIMIT_LOCAL_CACHE_CHECKS

# Group whose members moderate and edit content (see greenjobs/webmaster.py).
WEBMASTER_GROUP = "Webmasters"
WEBMASTER_EMAILS = env_list("WEBMASTER_EMAILS")

# --- Internationalisation ---------------------------------------------------

# English keeps the unprefixed addresses; French and Spanish live under /fr/ and /es/ (greenjobs/urls.py).
# Each language is named in itself, as the language switch shows it.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# Content translations (django-modeltranslation): English is the original; a French or Spanish field
# left empty shows the English text (marked lang="en" by the ``in_language`` template tag).
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "fr", "es")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# Dates written as each language writes them; English keeps day-month-year (greenjobs/formats/).
FORMAT_MODULE_PATH = ["greenjobs.formats"]

# --- Static and media -------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", "") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", "") or BASE_DIR / "media")
# Django serves /media/ itself only in development; in production nginx does (deploy/nginx/greenjobs.conf).
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)
# Uploaded photos and documents: this machine's MEDIA_ROOT, or with MEDIA_STORAGE=s3 an
# S3-compatible bucket that every app server shares (django-storages); files are then public at
# AWS_S3_CUSTOM_DOMAIN, or at the endpoint's address, and never overwritten.
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "") or "filesystem"
MEDIA_ORIGINS: list[str] = []  # where pages load uploaded images from, besides 'self' (CSP)
if MEDIA_STORAGE == "s3":
    if not os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL", "").rstrip("/") or None
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN", "") or None
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": AWS_S3_ENDPOINT_URL,
            "region_name": os.environ.get("AWS_S3_REGION_NAME", "") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID", "") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY", "") or None,
            "custom_domain": AWS_S3_CUSTOM_DOMAIN,
            "url_protocol": "https:" if env_bool("AWS_S3_SECURE_URLS", True) else "http:",
            # Custom endpoints (MinIO, Ceph, moto) address buckets by path.
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE", "")
            or ("path" if AWS_S3_ENDPOINT_URL else None),
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
        },
    }
    if AWS_S3_CUSTOM_DOMAIN:
        MEDIA_ORIGINS = [DEFAULT_STORAGE["OPTIONS"]["url_protocol"] + "//" + AWS_S3_CUSTOM_DOMAIN.split("/")[0]]
    else:
        MEDIA_ORIGINS = [AWS_S3_ENDPOINT_URL or "https://*.amazonaws.com"]
elif MEDIA_STORAGE == "filesystem":
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'filesystem' or 's3'.")
STORAGES = {
    "default": DEFAULT_STORAGE,
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

# --- Email ------------------------------------------------------------------

EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "") or 10)
# Every email is queued in the database (django-mailer), in the same transaction as what it tells
# about: a story and its notices commit together, and no request ever waits on SMTP. The mail
# worker, `manage.py runmailer` (greenjobs/management/commands/runmailer.py), sends the queue
# through MAILER_EMAIL_BACKEND, the real backend: SMTP with EMAIL_HOST, the console otherwise.
EMAIL_BACKEND = "mailer.backend.DbBackend"
MAILER_EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "") or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
# Seconds between looks at an empty queue; minutes between retries of mail the server refused or
# did not answer for (deferred: listed in the admin under Mailer > Messages with their retry count).
MAILER_EMPTY_QUEUE_SLEEP = int(os.environ.get("MAILER_EMPTY_QUEUE_SLEEP", "") or 5)
MAILER_RETRY_MINUTES = float(os.environ.get("MAILER_RETRY_MINUTES", "") or 10)
# A round stops after this many failures: a server that never answers holds it 5 x EMAIL_TIMEOUT at most.
MAILER_EMAIL_MAX_DEFERRED = 5
# Each message row is locked while it is sent (SELECT ... FOR UPDATE NOWAIT), so two senders never
# send one message twice; no lock file in the working directory is needed.
MAILER_USE_FILE_LOCK = False
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Green Jobs Portal <noreply@greenjobs.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Error reporting ----------------------------------------------------------
# Server errors (500) are mailed to ADMINS (comma-separated addresses; WEBMASTER_EMAILS when unset),
# through the mail queue, at most once per distinct error per ERROR_MAIL_MINUTES (greenjobs/errorlog.py).
ADMINS = [("", address) for address in (env_list("ADMINS") or WEBMASTER_EMAILS)]
ERROR_MAIL_MINUTES = float(os.environ.get("ERROR_MAIL_MINUTES", "") or 10)
EMAIL_SUBJECT_PREFIX = "[Green Jobs Portal] "

# --- Security (production) --------------------------------------------------

HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script of ours reads it; forms carry the token
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content-Security-Policy (django-csp): our own scripts and styles only, no inline code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *MEDIA_ORIGINS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# One line per record on stderr, with the request (method, path, status) when there is one; a failed
# request is logged once, with its traceback. The "django" logger's own console and mail handlers are
# replaced: its records reach the console through the root logger, and mail_admins is rate-limited.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "once_per_window": {"()": "greenjobs.core.errorlog.OncePerWindow"},
    },
    "formatters": {
        "line": {
            "()": "greenjobs.core.errorlog.RequestFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_line)s] %(message)s",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "line"},
        "mail_admins": {
            "class": "greenjobs.core.errorlog.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "once_per_window"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True}},
}
