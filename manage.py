#!/usr/bin/env python
import os
import sys
from pathlib import Path


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign_portal.settings")
    # A developer's checkout with nothing configured at all (no DEBUG, no
    # SECRET_KEY, no .env) is local development, as `make run` sets it.
    # Production always sets SECRET_KEY, and its web server and workers do not
    # start through manage.py (wsgi.py and Celery still refuse without a key).
    if (
        "DEBUG" not in os.environ
        and not os.environ.get("SECRET_KEY")
        and not (Path(__file__).resolve().parent / ".env").exists()
    ):
        os.environ["DEBUG"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
