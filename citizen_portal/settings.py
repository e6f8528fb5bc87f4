"""Settings of « Votre espace citoyen », read from the environment.

With no variable set the portal runs on this machine alone (the embedded
default): SQLite under ``var/``, Celery tasks run in-process, mail written as
files under ``var/mail/``. See the README for the production variables.
"""

import os
import shutil
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from citizen_portal.cache_connection import shared_cache
from citizen_portal.directory_settings import directory_settings
from common.env import env_bool, env_int, env_list, env_str, load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
load_dotenv(BASE_DIR / ".env")
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
# The demo checkout: `make run` writes DEBUG=1 in var/demo.env, so that the README's
# `manage.py …` commands work there as written. Read only on the embedded default (no
# DATABASE_URL) and never over a variable already set: Compose and .env.example set both
# (DEBUG=0 and PostgreSQL), and var/ is in neither the image nor the repository.
DEMO_ENV_FILE = VAR_DIR / "demo.env"
if not env_str("DATABASE_URL"):
    load_dotenv(DEMO_ENV_FILE)

DEBUG = env_bool("DEBUG")
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not DEBUG and not (SECRET_KEY and ALLOWED_HOSTS):
    raise ImproperlyConfigured(
        "DEBUG est désactivé : SECRET_KEY et ALLOWED_HOSTS doivent être définis."
    )
if DEBUG:
    # A development key only: DEBUG is never on in production.
    SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-used-in-production"  # noqa: S105
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "testserver"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "citizen_portal.errors.csrf_failure"  # in French, with the site's chrome

INSTALLED_APPS = [
    "backoffice.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "captcha",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "citizen_portal",
    "accounts",
    "households",
    "procedures",
    "payments",
    "notifications",
    "backoffice",
    "privacy",
    "demo",
    "franceconnect",
    "staff_login",
    "appointments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "citizen_portal.csp.PortalCSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Issue 23: « Cache-Control: private, no-store » on every personal page.
    "common.personal_pages.PersonalPagesMiddleware",
    "citizen_portal.body_limit.RequestBodyLimitMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # Issue 23: a lock wait that runs out is the 503 « réessayez dans un instant ».
    "citizen_portal.busy.LockTimeoutMiddleware",
]

ROOT_URLCONF = "citizen_portal.urls"
WSGI_APPLICATION = "citizen_portal.wsgi.application"

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
                "citizen_portal.context_processors.town",
                "notifications.context_processors.unread_messages",
                "franceconnect.context_processors.franceconnect",
                "staff_login.context_processors.staff_login",
            ],
        },
    },
]

# Widgets may be overridden in templates/ (the captcha widget is).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}

# --- Timeouts: every call to another process gives up in bounded time -----------------
# A dependency that hangs (accepts connections, never answers) must cost a page a second
# or two, never a gunicorn worker. Seconds; see the README's configuration table.
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 3)
# Web requests only (citizen_portal/wsgi.py marks the process): below gunicorn's 30 s, so
# that a runaway query ends as an error page while ops commands and migrations run on.
DATABASE_STATEMENT_TIMEOUT = env_int("DATABASE_STATEMENT_TIMEOUT", 20)
# Web requests only: a row lock waited for longer is the 503 « réessayez dans un instant ».
DATABASE_LOCK_TIMEOUT = env_int("DATABASE_LOCK_TIMEOUT", 10)
WEB_PROCESS = os.environ.get("CITIZEN_PORTAL_PROCESS") == "web"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = DATABASE_CONNECT_TIMEOUT
    if WEB_PROCESS:
        DATABASES["default"]["OPTIONS"]["options"] = (
            f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT}s"
            f" -c lock_timeout={DATABASE_LOCK_TIMEOUT}s"
        )
# --- The embedded default under concurrency (issue 23) ---------------------------------
# SQLite: readers never block the writer (WAL), a transaction takes the write lock at its
# start (IMMEDIATE: no deadlock when two read-then-write transactions meet), and a writer
# waits up to SQLITE_BUSY_TIMEOUT seconds for the lock instead of failing at once. A wait
# that runs out is the portal's 503 « réessayez dans un instant » (citizen_portal.busy).
SQLITE_BUSY_TIMEOUT = env_int("SQLITE_BUSY_TIMEOUT", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": SQLITE_BUSY_TIMEOUT,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
# --- end of the embedded default under concurrency -------------------------------------
# The broker (connect, read and write); a page publishes once, without retrying.
BROKER_TIMEOUT = env_int("BROKER_TIMEOUT", 1)
# The shared cache (Redis): a miss is cheaper than a wait.
CACHE_SOCKET_TIMEOUT = env_int("CACHE_SOCKET_TIMEOUT", 1)
# One SMTP conversation, per network operation.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 15)
# One request to the payment provider (Stripe); the SDK tries it twice at most.
PAYMENT_PROVIDER_TIMEOUT = env_int("PAYMENT_PROVIDER_TIMEOUT", 8)
# One request to FranceConnect (discovery, token, JWKS, userinfo): mozilla-django-oidc's name.
OIDC_TIMEOUT = env_int("FRANCECONNECT_TIMEOUT", 5)
# /sante/ answers within this many seconds, whatever hangs behind it.
HEALTH_CHECK_TIMEOUT = 2.5
# --- end of timeouts -------------------------------------------------------------------
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds what every process must see the same way (unread counts, the
# catalogue): Redis as soon as there is more than one process, reached through
# django-redis with its errors answered as misses (citizen_portal/cache_connection.py).
# No HTML is cached: a fragment that could carry one citizen's data to another is not
# worth the millisecond it saves.
REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": (
        shared_cache(REDIS_URL, CACHE_SOCKET_TIMEOUT)
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"}
    ),
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.IdentifierBackend",
    # Names the way in of a session opened by FranceConnect; it checks no password.
    "franceconnect.backends.FranceConnectBackend",
    # Names the way in of a staff session opened by ProConnect; it checks no password.
    "staff_login.backends.ProConnectBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

PASSWORD_HASHERS = [
    "accounts.hashers.TunedArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Argon2id's costs (accounts/hashers.py): OWASP's minimum by default, about 17 ms of one
# core per check. Raise them and every password is hashed again at its next login.
ARGON2_MEMORY_KIB = env_int("ARGON2_MEMORY_KIB", 19 * 1024)
ARGON2_TIME_COST = env_int("ARGON2_TIME_COST", 2)
ARGON2_PARALLELISM = env_int("ARGON2_PARALLELISM", 1)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "accounts.validators.CharacterClassesValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Throttling (django-axes): locked per identifier and, separately, per IP.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "accounts.throttling.attempted_identifier"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.auth.lockout"
# The address counted is the client's, behind TRUSTED_PROXY_COUNT proxies of ours (0: none,
# REMOTE_ADDR): see citizen_portal/client_ip.py. Axes' own AXES_IPWARE_* settings need
# django-ipware, which picks the left-most entry unless told otherwise; ours is explicit.
# The variable keeps its old name, so that existing .env files go on working.
TRUSTED_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "citizen_portal.client_ip.client_ip"
# Masked in axes' stored post_data and logs: every password, the security answer.
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "password",
    "password1",
    "password2",
    "old_password",
    "new_password1",
    "new_password2",
    "answer",
    "security_answer",
]
AXES_VERBOSE = False
# Axes' database handler with fewer queries per login, the same lockouts (accounts/throttling.py).
AXES_HANDLER = "accounts.throttling.LoginThrottle"

# Staff log in to the admin with a second factor (TOTP, backup codes): always in production.
STAFF_TWO_FACTOR = env_bool("STAFF_TWO_FACTOR", not DEBUG)
OTP_TOTP_ISSUER = "Votre espace citoyen"
# Nobody, superusers included, reads a staff member's key: it would pass their second factor.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Sessions in the database, written once at a login (accounts/sessions.py).
SESSION_ENGINE = "accounts.sessions"
SESSION_COOKIE_AGE = 60 * 60 * 4
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)

# Content-Security-Policy: our own files only, no inline script or style anywhere (the
# progress bar's width is a class), no framing. Stripe Checkout is a redirect after a
# form post, which Chromium checks against form-action.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "media-src": [SELF],  # the captcha's audio version
        "connect-src": [SELF],
        "font-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF, "https://checkout.stripe.com"],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
# Permissions-Policy: the portal uses none of these powerful features; neither may a page
# injected into it.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
    )
}

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
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
# In development, serve straight from static/ (no collectstatic needed).
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG
# Uploads are private: there is no MEDIA_URL, files are served by views that check ownership.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
FILE_UPLOAD_PERMISSIONS = 0o640
# A body above this is refused before it is read (citizen_portal/body_limit.py): two or
# three documents of 10 MB at most each. The proxy (deploy/nginx.conf) stops a little above.
REQUEST_BODY_MAX_SIZE = 25 * 1024 * 1024
# One form holds at most MAX_DOCUMENTS_PER_REQUEST (10) documents; Django refuses more.
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# Mail: files under var/mail/ unless an SMTP server is configured.
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Votre espace citoyen <ne-pas-repondre@mairie.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# Celery: a real broker when CELERY_BROKER_URL is set, otherwise tasks run in-process.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or "memory://"
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL == "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_IGNORE_RESULT = True
# A broker that hangs costs one publish BROKER_TIMEOUT, not four (Celery retries by
# default): what could not be queued is in the outbox, and the beat re-queues it.
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": BROKER_TIMEOUT,
    "socket_timeout": BROKER_TIMEOUT,
    "max_retries": 0,
}
CELERY_TASK_PUBLISH_RETRY = False
# The worker logs through LOGGING below (format, masking) instead of its own root handler.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE = {
    "requeue-due-notifications": {
        "task": "notifications.tasks.requeue_due_messages",
        "schedule": 60.0,
    },
    "reconcile-payments": {
        "task": "payments.tasks.reconcile_payments",
        "schedule": 300.0,
    },
    "purge-old-drafts": {
        "task": "procedures.tasks.purge_drafts",
        "schedule": 3600.0,
    },
    "purge-access-journal": {
        "task": "backoffice.tasks.purge_access_journal",
        "schedule": 86400.0,
    },
    # Declarations and deletions owed to the ANTS, retried until it takes them.
    "push-ants-calls": {
        "task": "appointments.tasks.push_ants_calls",
        "schedule": 60.0,
    },
    # Every retention period of « Données personnelles », at night (manage.py purge).
    "purge-nightly": {
        "task": "privacy.tasks.purge",
        "schedule": crontab(hour=3, minute=17),
    },
}

# --- Decisions and deadlines (issue 25) ---
# The public page /verifier/<code>/: verifications a minute from one address.
VERIFICATION_REQUESTS_PER_MINUTE = env_int("VERIFICATION_REQUESTS_PER_MINUTE", 20)
CELERY_BEAT_SCHEDULE["run-deadlines"] = {
    # Reminders, « Classée sans suite », the clerks' daily digest and the silence rule
    # (procedures.deadlines; `manage.py run_deadlines` does the same for cron).
    "task": "procedures.tasks.run_deadlines",
    "schedule": crontab(hour="7-19", minute=5),
}

# Captcha (django-simple-captcha). The audio version, spelled in French, needs Debian's
# espeak-ng (common.captcha); the library's own (flite, English voices only) is off.
CAPTCHA_TEST_MODE = env_bool("CAPTCHA_TEST_MODE")
if CAPTCHA_TEST_MODE and not DEBUG:
    raise ImproperlyConfigured("CAPTCHA_TEST_MODE=1 est refusé lorsque DEBUG est désactivé.")
CAPTCHA_FLITE_PATH = None
CAPTCHA_SPEECH_PATH = shutil.which("espeak-ng")
CAPTCHA_SPEECH_VOICE = "fr"
CAPTCHA_LENGTH = 5
CAPTCHA_CHALLENGE_FUNCT = "common.captcha.unambiguous_challenge"
CAPTCHA_FONT_SIZE = 34
CAPTCHA_IMAGE_SIZE = (160, 54)
CAPTCHA_TIMEOUT = 15
CAPTCHA_2X_IMAGE = False

# With a real worker, a request's PDF is built as soon as the request changes, so that
# the citizen's click reads it from the cache (the embedded default builds it on demand).
PDF_PREBUILD = env_bool("PDF_PREBUILD", not CELERY_TASK_ALWAYS_EAGER)
# ... on their own queue, « pdf », which a worker of lower priority (nice) consumes
# (docker-compose.yml's worker-pdf): at the morning rush, building yields the cores to the
# pages and to the acknowledgements' mail, and « en préparation » covers the wait.
CELERY_TASK_ROUTES = {"procedures.tasks.build_request_pdf": {"queue": "pdf"}}

# Messages to citizens: attempts and exponential backoff on SMTP errors.
NOTIFICATIONS_MAX_ATTEMPTS = env_int("NOTIFICATIONS_MAX_ATTEMPTS", 6)
NOTIFICATIONS_RETRY_BASE_SECONDS = env_int("NOTIFICATIONS_RETRY_BASE_SECONDS", 60)
# Retention (manage.py purge): anonymous requests and their documents, sent messages.
ANONYMOUS_REQUEST_RETENTION_DAYS = env_int("ANONYMOUS_REQUEST_RETENTION_DAYS", 365)
SENT_MESSAGE_RETENTION_DAYS = env_int("SENT_MESSAGE_RETENTION_DAYS", 365)
# The access journal (who of the staff opened which citizen's data): six months.
ACCESS_JOURNAL_RETENTION_DAYS = env_int("ACCESS_JOURNAL_RETENTION_DAYS", 183)
# --- Retention of personal data (issue 14) ---
# The one source of truth: « Données personnelles » reads these periods, `manage.py purge`
# (nightly by beat) applies them, docs/registre-des-traitements.md explains them.
# An account unused this long is deleted (CNIL, « durées de conservation »: an inactive
# account is not kept beyond what its purpose needs; RGPD art. 5-1-e).
ACCOUNT_INACTIVITY_DAYS = env_int("ACCOUNT_INACTIVITY_DAYS", 365)
# ...after a mail that many days before, so that a citizen who still needs it logs in.
ACCOUNT_DELETION_NOTICE_DAYS = env_int("ACCOUNT_DELETION_NOTICE_DAYS", 30)
# Drafts are the citizen's work in progress, with no legal standing: 30 days.
DRAFT_RETENTION_DAYS = env_int("DRAFT_RETENTION_DAYS", 30)
# Requests, their documents and messages: 5 years after the decision, the limit of an
# appeal or a claim about it (Code civil art. 2224; archives' tables for procedures).
REQUEST_RETENTION_YEARS = env_int("REQUEST_RETENTION_YEARS", 5)
# Invoices and payments: 10 years (Code de commerce L123-22, public accounting pieces).
INVOICE_RETENTION_YEARS = env_int("INVOICE_RETENTION_YEARS", 10)
# Failed logins (django-axes attempts): 30 days, the CNIL's recommendation for them.
LOGIN_ATTEMPT_RETENTION_DAYS = env_int("LOGIN_ATTEMPT_RETENTION_DAYS", 30)
# Technical logs (successful logins with address and browser): six months (CNIL
# recommendation on logging, 2021: six months to a year).
TECHNICAL_LOG_RETENTION_DAYS = env_int("TECHNICAL_LOG_RETENTION_DAYS", 183)
# Messages whose delivery failed: kept for the front desk to resend, then as sent ones.
FAILED_MESSAGE_RETENTION_DAYS = env_int("FAILED_MESSAGE_RETENTION_DAYS", 90)
# Old values in account and household histories (a former address): a year for the
# front desk (a returned letter, a dispute); then only the fact of the change stays.
HISTORY_VALUES_RETENTION_DAYS = env_int("HISTORY_VALUES_RETENTION_DAYS", 365)
# The citizen's archive (« Télécharger mes données »): deleted a day after it is built.
DATA_EXPORT_LIFETIME_HOURS = env_int("DATA_EXPORT_LIFETIME_HOURS", 24)
# A file that no row names is deleted once this old (an upload whose save failed).
ORPHAN_FILE_GRACE_HOURS = env_int("ORPHAN_FILE_GRACE_HOURS", 24)
# --- end of retention ---
# Reminders go the day before the date, at this hour (Paris time).
REMINDER_HOUR = 8

# Payments: Stripe Checkout when a key is set, otherwise the simulated card page.
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET")
PAYMENT_PROVIDER = env_str("PAYMENT_PROVIDER", "stripe" if STRIPE_SECRET_KEY else "simulated")
# The simulated card page marks invoices paid without money: never in production
# unless a town explicitly wants a demo server (PAYMENT_ALLOW_SIMULATED=1).
if PAYMENT_PROVIDER == "simulated" and not DEBUG and not env_bool("PAYMENT_ALLOW_SIMULATED"):
    raise ImproperlyConfigured(
        "Paiement simulé refusé sans DEBUG : définissez STRIPE_SECRET_KEY "
        "(ou PAYMENT_ALLOW_SIMULATED=1 pour un serveur de démonstration)."
    )
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# --- Régies: PayFiP and the banks' systems through eopayment (payments/, README « Régies ») ---
# The simulated PayFiP (payments/payfip_simulator.py) answers only under DEBUG, or on a
# demo server that says so; a régie on it is refused otherwise.
PAYFIP_SIMULATOR_ENABLED = DEBUG or env_bool("PAYFIP_ALLOW_SIMULATED")
# Where eopayment calls the simulated web service; empty: this site's own (SITE_URL).
PAYFIP_SIMULATOR_URL = env_str("PAYFIP_SIMULATOR_URL")
# The portals (host[:port]) the simulated PayFiP notifies and sends citizens back to;
# empty: this site alone (SITE_URL's host, read at each call). Another demo portal that
# uses this one's simulator is added here.
PAYFIP_SIMULATOR_CALLBACK_HOSTS = env_list("PAYFIP_SIMULATOR_CALLBACK_HOSTS")
# « Payer » redirects to PayFiP's page, and a bank system's page is reached by posting its
# form: Chromium checks both against form-action. A bank's host is added here
# (PAYMENT_FORM_ACTION_HOSTS=https://paiement.systempay.fr,…).
CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] += [
    "https://www.payfip.gouv.fr",
    *env_list("PAYMENT_FORM_ACTION_HOSTS"),
]
# --- end of régies ---

# FranceConnect (franceconnect/): on when a client id is set, with the provider's discovery
# document (https://…/api/v2/.well-known/openid-configuration); off otherwise, no button.
FRANCECONNECT_CLIENT_ID = env_str("FRANCECONNECT_CLIENT_ID")
FRANCECONNECT_CLIENT_SECRET = env_str("FRANCECONNECT_CLIENT_SECRET")
FRANCECONNECT_DISCOVERY_URL = env_str("FRANCECONNECT_DISCOVERY_URL")
# The algorithms the client accepts for ID tokens and userinfo (FranceConnect v2: per client).
FRANCECONNECT_SIGN_ALGORITHMS = env_list("FRANCECONNECT_SIGN_ALGORITHMS", "RS256,ES256")
# The simulated provider (franceconnect/simulated.py): test identities served by the portal
# itself, so that `make run` shows the whole journey. On by default under DEBUG when no real
# client is configured; refused without DEBUG unless a demo server asks for it.
FRANCECONNECT_SIMULATED = env_bool("FRANCECONNECT_SIMULATED", DEBUG and not FRANCECONNECT_CLIENT_ID)
FRANCECONNECT_ALLOW_SIMULATED = env_bool("FRANCECONNECT_ALLOW_SIMULATED")
if FRANCECONNECT_SIMULATED and not DEBUG and not FRANCECONNECT_ALLOW_SIMULATED:
    raise ImproperlyConfigured(
        "FranceConnect simulé refusé sans DEBUG : définissez FRANCECONNECT_CLIENT_ID "
        "(ou FRANCECONNECT_ALLOW_SIMULATED=1 pour un serveur de démonstration)."
    )
if FRANCECONNECT_CLIENT_ID and not (FRANCECONNECT_CLIENT_SECRET and FRANCECONNECT_DISCOVERY_URL):
    raise ImproperlyConfigured(
        "FRANCECONNECT_CLIENT_ID est défini : FRANCECONNECT_CLIENT_SECRET et "
        "FRANCECONNECT_DISCOVERY_URL doivent l'être aussi."
    )

# --- Staff login: the town's directory (staff_login/directory.py) ---------------------------
# Off unless DIRECTORY_URI is set (README, « Connecter l'annuaire de la mairie »); then staff
# log in to /admin/ with their directory name and password, after the local accounts.
DIRECTORY = directory_settings()
globals().update(DIRECTORY)  # AUTH_LDAP_* for django-auth-ldap, DIRECTORY_* for us
DIRECTORY_ENABLED = DIRECTORY["DIRECTORY_ENABLED"]
DIRECTORY_ROLES = DIRECTORY["DIRECTORY_ROLES"]
if DIRECTORY_ENABLED:
    AUTHENTICATION_BACKENDS.append("staff_login.directory.DirectoryBackend")

# ProConnect (staff_login/proconnect.py), « S'identifier avec ProConnect » on the admin's
# login: on when a client id is set, with the federation's discovery document
# (https://proconnect.gouv.fr/api/v2/.well-known/openid-configuration); off otherwise.
PROCONNECT_CLIENT_ID = env_str("PROCONNECT_CLIENT_ID")
PROCONNECT_CLIENT_SECRET = env_str("PROCONNECT_CLIENT_SECRET")
PROCONNECT_DISCOVERY_URL = env_str("PROCONNECT_DISCOVERY_URL")
PROCONNECT_SIGN_ALGORITHMS = env_list("PROCONNECT_SIGN_ALGORITHMS", "RS256,ES256")
# One request to ProConnect (discovery, token, JWKS, userinfo), and each answer in all.
PROCONNECT_TIMEOUT = env_int("PROCONNECT_TIMEOUT", 5)
# ProConnect's identity provider checked a second factor (its acr says so): the portal's own
# code is then not asked. Off by default: the portal asks its code after every login.
PROCONNECT_TRUSTS_TWO_FACTOR = env_bool("PROCONNECT_TRUSTS_TWO_FACTOR")
# The simulated ProConnect of the demo: on by default under DEBUG with no real client;
# refused without DEBUG unless a demo server asks for it.
PROCONNECT_SIMULATED = env_bool("PROCONNECT_SIMULATED", DEBUG and not PROCONNECT_CLIENT_ID)
PROCONNECT_ALLOW_SIMULATED = env_bool("PROCONNECT_ALLOW_SIMULATED")
if PROCONNECT_SIMULATED and not DEBUG and not PROCONNECT_ALLOW_SIMULATED:
    raise ImproperlyConfigured(
        "ProConnect simulé refusé sans DEBUG : définissez PROCONNECT_CLIENT_ID "
        "(ou PROCONNECT_ALLOW_SIMULATED=1 pour un serveur de démonstration)."
    )
if PROCONNECT_CLIENT_ID and not (PROCONNECT_CLIENT_SECRET and PROCONNECT_DISCOVERY_URL):
    raise ImproperlyConfigured(
        "PROCONNECT_CLIENT_ID est défini : PROCONNECT_CLIENT_SECRET et "
        "PROCONNECT_DISCOVERY_URL doivent l'être aussi."
    )
# --- end of staff login ---------------------------------------------------------------------

# Account rules.
TEMPORARY_PASSWORD_VALIDITY = timedelta(hours=1)

# Town-specific facts shown on the legal pages and in the footer.
TOWN = {
    "name": env_str("TOWN_NAME", "Mairie de Villeneuve-sur-Example"),
    "address": env_str("TOWN_ADDRESS", "1 place de la Mairie, 99999 Villeneuve-sur-Example"),
    "phone": env_str("TOWN_PHONE", "01 23 45 67 89"),
    "email": env_str("TOWN_EMAIL", "guichet-unique@mairie.example"),
    "siret": env_str("TOWN_SIRET", "000 000 000 00000"),
    "publication_director": env_str("TOWN_PUBLICATION_DIRECTOR", "le Maire"),
    "host": env_str("TOWN_HOST", "Service informatique de la mairie, 1 place de la Mairie"),
    "dpo_name": env_str("TOWN_DPO_NAME", "Délégué à la protection des données"),
    "dpo_email": env_str("TOWN_DPO_EMAIL", "dpo@mairie.example"),
    "guichet_hours": env_str(
        "TOWN_GUICHET_HOURS", "du lundi au vendredi de 8 h 30 à 17 h 30, le samedi de 9 h à 12 h"
    ),
    "rgaa_status": env_str("TOWN_RGAA_STATUS", "partiellement conforme"),
    "rgaa_audit_date": env_str("TOWN_RGAA_AUDIT_DATE", "novembre 2026"),
    "accessibility_email": env_str("TOWN_ACCESSIBILITY_EMAIL", "accessibilite@mairie.example"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {
            "()": "common.logs.OneLineFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "json": {"()": "common.logs.JsonFormatter"},
    },
    "filters": {"mask_tracking_codes": {"()": "common.logs.MaskTrackingCodes"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if env_str("LOG_FORMAT") == "json" else "line",
            "filters": ["mask_tracking_codes"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Django gives its loggers handlers of its own (one prints 404s when DEBUG is on, and
        # runserver's request lines): through ours instead, masked like the rest.
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Its DEBUG lines print whole template contexts: a temporary password's mail too.
        "django.template": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # One line per delivered message is the outbox's job (admin), not the log's.
        "celery.app.trace": {"level": "WARNING"},
    },
}

# --- Appointments (appointments/, issue 27) ---
# Bookings are kept this long after their date (« Données personnelles »), then purged.
APPOINTMENT_RETENTION_DAYS = env_int("APPOINTMENT_RETENTION_DAYS", 92)
# The ANTS coordination API (« dédoublonnage » of passport and identity-card appointments):
# its base URL (https://api-coordination.rendezvouspasseport.ants.gouv.fr/api) and our
# editor's token (header x-rdv-opt-auth-token). Without a URL, numbers are not checked.
ANTS_API_URL = env_str("ANTS_API_URL").rstrip("/")
ANTS_API_TOKEN = env_str("ANTS_API_TOKEN")
# Every call to the ANTS gives up after this many seconds (the citizen's page waits on the
# status check only; declarations are sent by the worker and retried by beat).
ANTS_TIMEOUT_SECONDS = env_int("ANTS_TIMEOUT_SECONDS", 5)
# The token the national search engine sends in X-HUB-RDV-AUTH-TOKEN to our three
# endpoints (/ants/getManagedMeetingPoints…); empty: they answer 401 to everyone.
ANTS_HUB_TOKEN = env_str("ANTS_HUB_TOKEN")
# The simulated ANTS (appointments/ants/simulated.py), with its demo numbers: on under
# DEBUG when no real URL is set; refused without DEBUG.
ANTS_SIMULATED = env_bool("ANTS_SIMULATED", DEBUG and not ANTS_API_URL)
if ANTS_SIMULATED and not DEBUG:
    raise ImproperlyConfigured("L'ANTS simulée est refusée lorsque DEBUG est désactivé.")
