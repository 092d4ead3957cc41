# Two commands for a new machine with only Python 3.11+ and make:
#   make run   - set up, load the demo campaign and serve http://127.0.0.1:8000
#   make test  - set up and run the whole test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
export PATH := $(abspath $(VENV))/bin:$(PATH)

.PHONY: run test bench install messages migrate demo makemessages check clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

# Compiles locale/*/LC_MESSAGES/django.po with Babel, so GNU gettext is not needed.
messages: $(STAMP)
	$(PY) scripts/compile_messages.py

migrate: install messages
	DEBUG=1 $(PY) manage.py migrate --no-input

demo: migrate
	DEBUG=1 $(PY) manage.py load_demo
	DEBUG=1 $(PY) manage.py send_reminders

# Web server, Celery worker and beat (inside the worker, -B) on the embedded
# filesystem broker; one Ctrl-C stops them all.
run: demo
	DEBUG=1 $(VENV)/bin/honcho --procfile Procfile.dev start

test: install messages
	$(PY) -m pytest $(PYTEST_ARGS)

# Benchmarks at 1k and 1M complaints against PostgreSQL and Redis on this
# machine; writes docs/benchmarks.md (see benchmarks/harness.py). Not part of
# `make test`. BENCH_ARGS=--fresh regenerates the data.
bench: install messages
	$(PY) -m benchmarks.harness $(BENCH_ARGS)

# Re-extract the translatable strings (needs GNU gettext's xgettext).
makemessages: install
	DEBUG=1 $(PY) manage.py makemessages --locale zh_Hans --locale zh_Hant --locale en --no-obsolete --ignore ".venv/*" --ignore "var/*"

check: install
	DEBUG=1 $(PY) manage.py check
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var/broker var/static
