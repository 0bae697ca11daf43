# Two commands on a fresh machine: `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Tests run against PostgreSQL; pytest-django creates and drops test_<name>.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/welfare
REDIS_URL_TEST ?= redis://127.0.0.1:6379/15

# Django 6 needs Python 3.12 or newer: take the first one found.
PYTHON ?= $(shell for c in python3.13 python3.12 python3.14 $$HOME/.pyenv/versions/3.13*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3 /usr/bin/python3 python3; do \
	  if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then command -v $$c; break; fi; done)

.PHONY: help install run demo test test-fast lint messages compilemessages system-deps check-postgres clean

help:
	@echo "make run    - install, set up the SQLite demo database and serve on http://127.0.0.1:$(PORT)"
	@echo "make test   - install and run every test against PostgreSQL ($(TEST_DATABASE_URL))"
	@echo "make lint   - ruff"

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.12 or newer is needed (Django 6). Install one and retry." >&2; exit 1; fi
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $@

install: $(VENV)/.installed compilemessages

compilemessages: $(VENV)/.installed
	@$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

# Debian packages the tests need: Chromium for browser tests, poppler for PDF-to-PNG,
# gettext for translations, WeasyPrint's Pango. Installed only when missing.
SYSTEM_PACKAGES := chromium chromium-driver poppler-utils gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

run: install
	@$(PY) manage.py migrate --noinput -v 0
	@$(PY) manage.py seed_demo
	@$(PY) manage.py serve --port $(PORT)

demo: install
	@$(PY) manage.py migrate --noinput -v 0
	@$(PY) manage.py seed_demo

check-postgres: $(VENV)/.installed
	@DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m welfare.checkdb

test: system-deps install check-postgres
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL_TEST=$(REDIS_URL_TEST) $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check . || true

messages: $(VENV)/.installed
	@$(PY) manage.py makemessages_all

clean:
	rm -rf $(VENV) var
