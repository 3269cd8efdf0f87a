"""The one settings module. Everything that differs between a laptop and production is an
environment variable (twelve-factor); see README.md for the list."""

import os
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# DJANGO_ENV_FILE names another file (os.devnull: none) — tests use it to ignore a developer's .env.
environ.Env.read_env(os.environ.get("DJANGO_ENV_FILE") or BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# The default is public (it is in the repository): fine for tests, refused in production (config/checks.py:
# `check --deploy` fails, gunicorn/uvicorn will not start with DEBUG off); `make run` writes a random one to .env.
SECRET_KEY = env(
    "SECRET_KEY",
    default="django-insecure-local-only-9f2c1e7a4b8d6e3f0a5c7b9d1e2f4a6c8b0d2e4f6a8c0e2",
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# HTTPS is on by default outside DEBUG; `make run` and `make test` serve plain http on loopback.
SECURE_HTTPS = env.bool("SECURE_HTTPS", default=not DEBUG)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "ninja",
    "dangjian.core",
    "dangjian.accounts",
    "dangjian.stations",
    "dangjian.organizations",
    "dangjian.people",
    "dangjian.news",
    "dangjian.disclosures",
    "dangjian.members",
    "dangjian.dues",
    "dangjian.activities",
    "dangjian.venues",
    "dangjian.courseware",
    "dangjian.learning",
    "dangjian.forum",
    "dangjian.feedback",
    "dangjian.evaluation",
    "dangjian.development",
    "dangjian.elections",
    "dangjian.funding",
    "dangjian.honors",
    "dangjian.dashboards",
    "dangjian.portal",
    "dangjian.api",
    "config.apps.ProjectConfig",  # config/checks.py: production refuses the default keys
]

# Demo data (`manage.py seed_demo`) is a separate app, installed only where demo data is wanted:
# `make run` and the test suite set DEMO_DATA=1; a production deployment leaves it out altogether.
DEMO_DATA = env.bool("DEMO_DATA", default=DEBUG)
if DEMO_DATA:
    INSTALLED_APPS.insert(INSTALLED_APPS.index("dangjian.api"), "dangjian.demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "dangjian.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "dangjian.core.middleware.RequestContextMiddleware",
    "dangjian.core.middleware.SecurityHeadersMiddleware",
    "dangjian.stations.middleware.CurrentStationMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "dangjian.stations.context_processors.stations",
                "dangjian.core.context_processors.notifications",
                "dangjian.core.cache.csrf_marker",  # last: a page rendered for the cache gets a marker
            ],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not shared-cache memory: tests then see real SQLite locking (WAL, IMMEDIATE writers).
    DATABASES["default"]["TEST"] = {
        # one file per test process, so parallel runs never share (and corrupt) a test database
        "NAME": env("SQLITE_TEST_NAME", default=str(BASE_DIR / f".test-db-{os.getpid()}.sqlite3"))
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "dangjian.accounts.backends.UsernameOrMobileBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "dangjian.accounts.passwords.CharacterClassValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"
# 忘记密码: an e-mailed link works once and for two hours.
PASSWORD_RESET_TIMEOUT = 2 * 3600
# Text messages (verification codes): a class with `send(*, mobile, text)`; the default writes them to
# the log. Production names its SMS provider's adapter (see dangjian/core/sms.py).
SMS_SENDER = env("SMS_SENDER", default="dangjian.core.sms.ConsoleSmsSender")

# DB3212/T 1124 platform security: lock (IP, username) after 5 failures for 30 minutes.
LOGIN_FAILURE_LIMIT = 5
LOGIN_LOCKOUT_MINUTES = 30

# How many reverse proxies stand in front of the app, each appending the address it saw to
# X-Forwarded-For. 0 (the default, and `make run`): the header is ignored and the socket address is
# the client. Behind one nginx: 1. Never more than the proxies you run, or clients choose their IP.
TRUSTED_PROXY_HOPS = env.int("TRUSTED_PROXY_HOPS", default=0)

# Sessions end after 30 minutes without a request.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the meta tag, not the cookie
SECURE_SSL_REDIRECT = SECURE_HTTPS and env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE_HTTPS else None
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if SECURE_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND", default="whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
UPLOAD_IMAGE_MAX_BYTES = 8 * 1024 * 1024
# Size limit of each kind of file that core.uploads.check_upload accepts (courseware, documents).
UPLOAD_MAX_BYTES = {
    "pdf": env.int("UPLOAD_MAX_PDF_MB", default=100) * 1024 * 1024,
    "docx": env.int("UPLOAD_MAX_OFFICE_MB", default=50) * 1024 * 1024,
    "pptx": env.int("UPLOAD_MAX_OFFICE_MB", default=50) * 1024 * 1024,
    "xlsx": env.int("UPLOAD_MAX_OFFICE_MB", default=50) * 1024 * 1024,
    "mp4": env.int("UPLOAD_MAX_VIDEO_MB", default=1024) * 1024 * 1024,
    "epub": env.int("UPLOAD_MAX_EPUB_MB", default=100) * 1024 * 1024,
    "image": UPLOAD_IMAGE_MAX_BYTES,
}

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # Django's Redis backend, reusing one client per connection pool (see the module)
    CACHES = {"default": {"BACKEND": "dangjian.core.cache_backends.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Anonymous portal pages and platform aggregates are cached (dangjian/core/cache.py) under keys versioned by
# what they show, renewed by the services on commit; this bounds how long an entry lives (0: no caching).
# Local memory is per process: more than one web process needs REDIS_URL.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="楼宇党建共享平台 <noreply@localhost>")
# Address of the site for links in emails, e.g. https://dangjian.example.gov.cn (no trailing slash).
SITE_URL = env("SITE_URL", default="")

NINJA_PAGINATION_PER_PAGE = 20
NINJA_PAGINATION_MAX_PER_PAGE_SIZE = 100

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
CSRF_FAILURE_VIEW = "dangjian.core.views.csrf_failure"
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private_media")))
# Courseware files go through this storage only (dangjian/courseware/models.py), never under /media/:
# a private folder by default; S3-compatible object storage by replacing the entry (docs/courseware.md).
STORAGES["courseware"] = {"BACKEND": "dangjian.core.storage.PrivateStorage"}
# Each person's courseware uploads (every stored version) together may not exceed this.
COURSEWARE_QUOTA_BYTES = env.int("COURSEWARE_QUOTA_MB", default=2048) * 1024 * 1024
SEARCH_VIEWER_FACTORY = "dangjian.accounts.viewer.viewer_for"
CELERY_BEAT_SCHEDULE = {
    "announce-due-articles": {"task": "news.announce_due_articles", "schedule": 60.0},
    "dues-reminders": {"task": "dues.send_reminders", "schedule": 24 * 3600.0},
    "dues-expire-orders": {"task": "dues.expire_orders", "schedule": 900.0},
    # 未签到的预约开始 30 分钟后释放（记为未到场，计入当月预约次数）
    "venues-release-no-shows": {"task": "venues.release_no_shows", "schedule": 300.0},
    # 候补名额逾期未确认：顺延给下一位候补人员
    "activities-expire-offers": {"task": "activities.expire_offers", "schedule": 300.0},
    # 活动邀约未答复：每天提醒一次；活动结束 7 天未建台账：提醒一次；年度计划、月度主题截止前提醒
    "activities-remind-silent-invitations": {
        "task": "activities.remind_silent_invitations",
        "schedule": 3600.0,
    },
    "activities-flag-missing-records": {"task": "activities.flag_missing_records", "schedule": 3600.0},
    "activities-remind-deadlines": {"task": "activities.remind_deadlines", "schedule": 6 * 3600.0},
    "activities-finish-ended": {"task": "activities.finish_ended", "schedule": 300.0},
    # 学习任务截止前 7 天、1 天提醒未学完的学员；超时未交的测验作答关闭
    "learning-remind-assignments": {"task": "learning.remind_assignments", "schedule": 24 * 3600.0},
    "learning-expire-attempts": {"task": "learning.expire_attempts", "schedule": 600.0},
    # 意见反馈超期：先提醒站点管理员，仍未办结再提醒总站
    "feedback-escalate-overdue": {"task": "feedback.escalate_overdue", "schedule": 3600.0},
    # 服务项目：排出后续场次、标记未兑现的场次；整改措施超期提醒
    "evaluation-daily": {"task": "evaluation.daily", "schedule": 24 * 3600.0},
    "evaluation-mark-missed": {"task": "evaluation.mark_missed", "schedule": 900.0},
    # 发展党员：各步骤到期前后提醒责任人和书记
    "development-send-reminders": {"task": "development.send_reminders", "schedule": 24 * 3600.0},
    # 就绪检查（/readyz）：后台任务进程每分钟报一次平安
    "core-heartbeat": {"task": "core.heartbeat", "schedule": 60.0},
    # 总站驾驶舱：重算各站统计数据（相关数据提交后一分钟内也会重算）
    "dashboards-refresh-figures": {"task": "dashboards.refresh_figures", "schedule": 900.0},
}

# Encryption of personal ID numbers (members). Production sets its own long random value and keeps it:
# changing it makes stored numbers unreadable. Without it production refuses to start (config/checks.py).
FIELD_ENCRYPTION_KEY = env("FIELD_ENCRYPTION_KEY", default="local-only-field-key-" + SECRET_KEY)

# Online dues payment: the built-in demo gateway (演示支付; no money moves) exists only when turned on
# (`make run` does) and given its own random callback key — never derived from SECRET_KEY.
DUES_DEMO_PROVIDER = env.bool("DUES_DEMO_PROVIDER", default=False)
DUES_DEMO_PROVIDER_KEY = env("DUES_DEMO_PROVIDER_KEY", default="")
