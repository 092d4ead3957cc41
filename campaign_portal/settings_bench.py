"""Benchmark settings (``make bench``): production settings plus two reference
views and a per-response SQL query count. Never deploy with this module.

Everything a production deployment has stays on: DEBUG off, whitenoise with
the compressed manifest, persistent database connections, the Redis cache,
CSP, django-axes, sessions and CSRF. The harness talks to gunicorn over plain
HTTP as a TLS proxy would, sending ``X-Forwarded-Proto: https``.

One deliberate difference, because every request comes from one address: the
per-IP limits on complaints and tracking are raised far beyond what the load
reaches (they would answer 429 after five complaints), so the limiter still
reads and writes its counters in Redis on every request as in production. The
harness varies the text of every complaint so the duplicate guard (same text
from the same source within ten minutes) does not merge them.
"""

import os

os.environ.setdefault("BEHIND_TLS_PROXY", "1")
os.environ.setdefault("CONN_MAX_AGE", "600")
os.environ.setdefault("CACHE_URL", "rediscache://127.0.0.1:6379/3")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# Notices are written but the e-mails go nowhere.
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")

from .settings import *  # noqa: E402,F403

if DEBUG:  # noqa: F405
    raise ImproperlyConfigured("The benchmark settings measure production behaviour: set DEBUG=0.")  # noqa: F405

# The benchmark app (generate_scale_data, reference views) exists only here and in the tests.
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]  # noqa: F405
ROOT_URLCONF = "benchmarks.urls"
# Counts the SQL queries of each request into the X-Bench-Queries header.
MIDDLEWARE = ["benchmarks.middleware.QueryCountMiddleware", *MIDDLEWARE]  # noqa: F405
COMPLAINT_SUBMIT_RATE = "100000000/m"
COMPLAINT_TRACK_RATE = "100000000/m"
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
