"""Test settings: the production module with the few overrides tests need."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
# The production module refuses a per-process cache and console mail with DEBUG
# off; the tests replace both below. Allowed for this import only, so that the
# subprocesses tests start with the production settings do not inherit it.
_ALLOWED = [name for name in ("ALLOW_LOCAL_CACHE", "ALLOW_CONSOLE_EMAIL") if name not in os.environ]
os.environ.update(dict.fromkeys(_ALLOWED, "1"))
try:
    from .settings import *  # noqa: E402,F403
finally:
    for _name in _ALLOWED:
        del os.environ[_name]

# The benchmark tooling (generate_scale_data and its tests) is never installed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]  # noqa: F405

# Fast hashing in tests only.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The live server for browser tests speaks plain HTTP.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
# Unit tests run tasks in-process; the integration test starts a real worker.
CELERY_TASK_ALWAYS_EAGER = True
# Figures computed on every request, so a test sees a change at once; the
# snapshot tests turn them on with override_settings.
FIGURES_MAX_AGE = 0
PUBLIC_PAGE_CACHE_SECONDS = 0
CELERY_TASK_EAGER_PROPAGATES = True
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405

# On PostgreSQL, the flush after each transactional test deletes rows rather than
# truncating every table (tests/postgresql/base.py): 0.09 s instead of 1 s.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["ENGINE"] = "tests.postgresql"  # noqa: F405
