# Two commands for a new machine with only Python 3.11+ and make:
#   make run   - set up, load the demo campaign and serve http://127.0.0.1:8000
#   make test  - set up and run the whole test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
export PATH := $(abspath $(VENV))/bin:$(PATH)

.PHONY: run test test-dates lint typecheck format lock bench install messages migrate demo demo-data makemessages check clean

# Installs exactly what requirements-dev.txt pins (every file checked against its hash),
# then the project itself without resolving anything again; refuses lock files that are
# behind pyproject.toml (run `make lock`).
$(STAMP): pyproject.toml requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) scripts/check_lock.py
	@touch $(STAMP)

install: $(STAMP)

# Compiles locale/*/LC_MESSAGES/django.po with Babel, so GNU gettext is not needed.
messages: $(STAMP)
	$(PY) scripts/compile_messages.py

migrate: install messages
	DEBUG=1 $(PY) manage.py migrate --no-input

# The demo campaign (its notices of work handed over sent as it is loaded, rather
# than queued for the worker), then one line per reminder sent (the mails
# themselves are in var/mail/), then the demo users.
demo: demo-data
	@DEBUG=1 $(PY) manage.py demo_users

demo-data: migrate
	DEBUG=1 CELERY_TASK_ALWAYS_EAGER=1 $(PY) manage.py load_demo --no-users
	DEBUG=1 $(PY) manage.py send_reminders

# Web server, Celery worker and beat (inside the worker, -B) on the embedded
# filesystem broker (Procfile.dev), the demo users printed when the server is
# ready; one Ctrl-C stops them all, cleanly (scripts/run_dev.py).
run: demo-data
	@DEBUG=1 $(PY) scripts/run_dev.py

# The suite runs on PYTEST_WORKERS processes (pytest-xdist; each has its own test
# database, Redis database, live server and browser). PYTEST_WORKERS=0 runs it in one.
PYTEST_WORKERS ?= 2
test: install messages
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The date-sensitive tests (browser, demo, reminders, sweeps, deadlines, working days,
# homes: the date_sensitive marker, see conftest.py) as if today were each of these:
# a day in March, the last day of a phase (the demo's Oct–Nov), and 31 December.
TEST_DATES ?= 2027-03-16 2026-11-30 2026-12-31
test-dates: install messages
	@for day in $(TEST_DATES); do \
		echo "==> date-sensitive tests as of $$day"; \
		$(PY) -m pytest -n $(PYTEST_WORKERS) -m date_sensitive --as-of $$day $(PYTEST_ARGS) || exit $$?; \
	done

# Ruff: lint (with import order) and formatting, as CI checks them.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# mypy with django-stubs, configured in pyproject.toml ([tool.mypy]; the overrides there
# say which modules are checked strictly).
typecheck: install
	$(VENV)/bin/mypy

# Rewrites the tree as `make lint` wants it.
format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Regenerates the hashed lock files from pyproject.toml with pip-tools: requirements.txt
# (the runtime dependencies; the Dockerfile installs it) and requirements-dev.txt (runtime
# and the dev extra, at the same versions; `make install` installs it). Pins already in
# the files are kept where pyproject.toml allows them: LOCK_ARGS=--upgrade moves every
# package to its newest allowed release, LOCK_ARGS="--upgrade-package NAME" one package.
PIP_COMPILE = $(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)
lock:
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet "pip-tools>=7.4,<8"
	$(PIP_COMPILE) --output-file requirements.txt pyproject.toml
	$(PIP_COMPILE) --extra dev --constraint requirements.txt --output-file requirements-dev.txt pyproject.toml

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
