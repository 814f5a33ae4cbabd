# Set-up contract of the ИМЦ portal. Two commands matter:
#   make run   — a working portal on http://127.0.0.1:8000 with demo data (SQLite, Celery eager)
#   make test  — the whole test suite (CI runs `make check` and then exactly this through .ci/run)
# Every target is idempotent: run it again and it only does what is still needed.
# Dependencies are installed from the lockfile requirements/dev.txt (exact versions with hashes;
# production and the Docker image use requirements/base.txt); `make lock` rewrites both.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
LOCK_BASE := requirements/base.txt
LOCK_DEV := requirements/dev.txt
# Reinstall only when the lockfile is newer than this stamp.
STAMP := $(VENV)/.installed-from-lock
MANAGE := $(BIN)/python manage.py
RUN_ADDR ?= 127.0.0.1:8000
# Debian's Chromium; tests/e2e/conftest.py reads the same variable.
export CHROMIUM_PATH ?= /usr/bin/chromium
PYTEST_ARGS ?=
# CI starts from a fresh test database; developers keep theirs (--reuse-db in pyproject.toml).
PYTEST_DB_FLAG := $(if $(filter true 1 yes,$(CI)),--create-db,)

# `make lock` runs pip-compile from its own small venv, so the project's venv holds only what the
# lockfile lists. It ignores the machine's pip configuration (mirrors, wheel folders, constraints)
# and resolves against pip's default index, so the hashes are the ones any machine downloads.
LOCK_VENV ?= .venv-lock
PIP_TOOLS_VERSION := 7.6.2
LOCK_ENV := env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_CONSTRAINT PIP_CONFIG_FILE=/dev/null
PIP_COMPILE := $(LOCK_ENV) $(LOCK_VENV)/bin/pip-compile --quiet --no-config --generate-hashes --strip-extras \
	--no-emit-index-url
# e.g. make lock LOCK_ARGS="--upgrade-package weasyprint" (or --upgrade for everything)
LOCK_ARGS ?=

.PHONY: help install run demo migrate test lint migrations-check django-check check check-deploy browser-check lock
.PHONY: backup restore compose-check screens bench-pages

help:
	@echo "make run           install, migrate, load demo data, serve on http://$(RUN_ADDR)"
	@echo "make test          the whole test suite (honours DATABASE_URL, CELERY_BROKER_URL)"
	@echo "make lint          ruff"
	@echo "make check         lint + missing-migrations check + Django system checks (CI runs it before tests)"
	@echo "make lock          rewrite requirements/base.txt and dev.txt from pyproject.toml (pinned, hashed)"
	@echo "make check-deploy  Django's deployment checks against the current environment"
	@echo "make migrate       apply migrations"
	@echo "make demo          migrate and load the demo data (prints the demo logins)"
	@echo "make backup        database dump + media archive into var/backups/<time> (COMPOSE=1: docker compose)"
	@echo "make restore FROM=var/backups/<time>  restore a backup (COMPOSE=1: docker compose; YES=1: no question)"
	@echo "make compose-check validate docker-compose.yml with docker compose config (skipped without Docker)"
	@echo "make screens       screenshots of every role's pages into docs/screens/ (own demo DB under /tmp)"
	@echo "make bench-pages   pages under load vs a bare page (DATABASE_URL of a prepared DB; BENCH_ARGS=\"--seconds 8\")"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Only what the lockfile lists, at its versions, each file checked against its hash. The project
# itself is not installed: manage.py and pytest run from this folder.
$(STAMP): $(LOCK_DEV) | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check --require-hashes -r $(LOCK_DEV)
	@touch $@

install: $(STAMP)

# The embedded default: DEBUG on, SQLite file next to manage.py unless DATABASE_URL is set,
# Celery eager unless CELERY_BROKER_URL is set.
run demo migrate: export DEBUG = true

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo

run: demo
	@echo "Портал: http://$(RUN_ADDR)/  (остановить: Ctrl+C)"
	$(MANAGE) runserver $(RUN_ADDR)

# Browser tests need Debian's Chromium (never a downloaded browser). Outside CI a missing
# Chromium only skips the e2e tests; in CI it is an error.
browser-check: install
	@if [ -x "$(CHROMIUM_PATH)" ]; then \
	  echo "Browser tests: $$($(CHROMIUM_PATH) --version 2>/dev/null)"; \
	elif [ -n "$${CI:-}" ] && [ "$${CI}" != "false" ] && [ "$${CI}" != "0" ]; then \
	  echo "ERROR: $(CHROMIUM_PATH) not found; CI runs the browser tests (apt-get install -y chromium)" >&2; exit 1; \
	else \
	  echo "NOTE: $(CHROMIUM_PATH) not found: browser tests (tests/e2e) will be SKIPPED."; \
	  echo "      Install it with: sudo apt-get install -y chromium fonts-liberation2 fonts-dejavu-core"; \
	fi
	@$(BIN)/python -c "import playwright" || { echo "ERROR: playwright is missing from $(VENV)" >&2; exit 1; }

test: install browser-check
	$(BIN)/pytest $(PYTEST_DB_FLAG) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

# A model change without its migration fails here. It compares models with migration files only:
# an empty in-memory database keeps it off whatever DATABASE_URL points at.
migrations-check: export DATABASE_URL = sqlite://:memory:
# The code's checks in the embedded default; a server's environment is `make check-deploy`'s job
# (with DEBUG off, the deployment checks core.E001 / reports.E003 demand PORTAL_BASE_URL and SIGNING_CREDENTIALS_KEY).
migrations-check django-check: export DEBUG ?= true
migrations-check: install
	$(MANAGE) makemigrations --check --dry-run

django-check: install
	$(MANAGE) check --fail-level WARNING

check: lint migrations-check django-check

$(LOCK_VENV)/bin/pip-compile:
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_ENV) $(LOCK_VENV)/bin/python -m pip install --quiet "pip-tools==$(PIP_TOOLS_VERSION)"

# Keeps every pinned version that still satisfies pyproject.toml (pass LOCK_ARGS to upgrade);
# dev.txt is constrained by base.txt, so production and development run the same versions.
lock: $(LOCK_VENV)/bin/pip-compile
	$(PIP_COMPILE) $(LOCK_ARGS) -o $(LOCK_BASE) pyproject.toml
	$(PIP_COMPILE) $(LOCK_ARGS) --extra dev -c $(LOCK_BASE) -o $(LOCK_DEV) pyproject.toml

check-deploy: install
	$(MANAGE) check --deploy --fail-level WARNING

# docs/screens/: the portal on its own demo database (/tmp/imc-screens, rebuilt when migrations or the demo
# change), each demo role signed in with Chromium, PNGs at 1366 and 390 px. SCREENS_ARGS="--ref HEAD" shoots
# the last commit instead of the working tree; "--fresh" rebuilds the database.
SCREENS_ARGS ?=
screens: install browser-check
	$(BIN)/python scripts/screens.py $(SCREENS_ARGS)

# Issue 15.8: gunicorn (2 sync workers, DEBUG off) on the database of DATABASE_URL — the demo (make demo) or
# `manage.py generate_city` — and a load generator (wrk if installed) over a bare page and the portal's pages in
# interleaved rounds; prints requests/s, p50, p95 and the ratio to the bare page (benchmarks/pages.py).
BENCH_ARGS ?=
bench-pages: install
	@test -n "$(DATABASE_URL)" || { echo "Укажите базу: make bench-pages DATABASE_URL=postgres://…" >&2; exit 1; }
	$(BIN)/python benchmarks/pages.py $(BENCH_ARGS)

# Backups (README, «Резервные копии»): scripts/backup.sh and scripts/restore.sh read the database and
# MEDIA_ROOT from the portal's settings; COMPOSE=1 works on the docker compose deployment instead.
backup:
	PYTHON=$(BIN)/python BACKUP_KEEP_DAYS=$(BACKUP_KEEP_DAYS) scripts/backup.sh

restore:
	@test -n "$(FROM)" || { echo "Укажите копию: make restore FROM=var/backups/<время>" >&2; exit 1; }
	PYTHON=$(BIN)/python scripts/restore.sh $(if $(filter 1 yes true,$(YES)),--yes,) "$(FROM)"

# Placeholders stand in for the variables docker-compose.yml demands (.env has the real ones).
COMPOSE_CHECK_ENV := SECRET_KEY=$${SECRET_KEY:-compose-check} POSTGRES_PASSWORD=$${POSTGRES_PASSWORD:-compose-check} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-imc.example.ru} CSRF_TRUSTED_ORIGINS=$${CSRF_TRUSTED_ORIGINS:-https://imc.example.ru} \
	PORTAL_BASE_URL=$${PORTAL_BASE_URL:-https://imc.example.ru} \
	SIGNING_CREDENTIALS_KEY=$${SIGNING_CREDENTIALS_KEY:-compose-check}

compose-check:
	@if command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then \
	  $(COMPOSE_CHECK_ENV) docker compose config -q && echo "docker-compose.yml: docker compose config — без ошибок"; \
	else \
	  echo "docker не найден: проверка docker-compose.yml пропущена"; \
	fi
