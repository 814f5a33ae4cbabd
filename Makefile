# Set-up contract of the ИМЦ portal. Two commands matter:
#   make run   — a working portal on http://127.0.0.1:8000 with demo data (SQLite, Celery eager)
#   make test  — the whole test suite (CI runs exactly this through .ci/run)
# Every target is idempotent: run it again and it only does what is still needed.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
# Reinstall only when pyproject.toml is newer than this stamp.
STAMP := $(VENV)/.installed-from-pyproject
MANAGE := $(BIN)/python manage.py
RUN_ADDR ?= 127.0.0.1:8000
# Debian's Chromium; tests/e2e/conftest.py reads the same variable.
export CHROMIUM_PATH ?= /usr/bin/chromium
PYTEST_ARGS ?=
# CI starts from a fresh test database; developers keep theirs (--reuse-db in pyproject.toml).
PYTEST_DB_FLAG := $(if $(filter true 1 yes,$(CI)),--create-db,)

.PHONY: help install run demo migrate test lint check-deploy browser-check

help:
	@echo "make run           install, migrate, load demo data, serve on http://$(RUN_ADDR)"
	@echo "make test          the whole test suite (honours DATABASE_URL, CELERY_BROKER_URL)"
	@echo "make lint          ruff"
	@echo "make check-deploy  Django's deployment checks against the current environment"
	@echo "make migrate       apply migrations"
	@echo "make demo          migrate and load the demo data (prints the demo logins)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -e ".[dev]"
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

check-deploy: install
	$(MANAGE) check --deploy --fail-level WARNING
