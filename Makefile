# Softwarecatalogus: `make run` (site with demo data) and `make test` (every test) on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

help:
	@echo "make run    - set up and run the catalogue with demo data on http://$(HOST):$(PORT)"
	@echo "make test   - set up and run every test (real PostgreSQL, Chromium, npm tools)"
	@echo "make reset  - start again from an empty database"
	@echo "make lint   - ruff check and format check"
	@echo "make bench  - run the benchmarks (writes figures to stdout)"

# A Python >= 3.12: first on PATH, then pyenv's versions.
$(STAMP): pyproject.toml
	@set -e; py=""; \
	for c in python3.13 python3.12 python3; do \
	  if command -v $$c >/dev/null && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then py=$$(command -v $$c); break; fi; \
	done; \
	if [ -z "$$py" ] && command -v pyenv >/dev/null; then \
	  for v in $$(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9])' | sort -V -r); do py="$$(pyenv root)/versions/$$v/bin/python"; break; done; \
	fi; \
	if [ -z "$$py" ]; then \
	  echo "Geen Python >= 3.12 gevonden (PATH of pyenv). Installeer Python 3.12 of nieuwer, bijvoorbeeld 'pyenv install 3.12' of 'apt-get install python3.12', en probeer opnieuw." >&2; exit 1; \
	fi; \
	echo "Python: $$py"; \
	rm -rf $(VENV); "$$py" -m venv $(VENV); \
	$(PY) -m pip install --quiet --upgrade pip; \
	$(PY) -m pip install --quiet -e ".[test]"; \
	touch $(STAMP)

venv: $(STAMP)

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm ontbreekt: installeer Node.js 20+ (bijv. 'apt-get install nodejs npm')." >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

node: node_modules/.installed

# Debian's Chromium for the browser tests, installed when missing and we may (CI runs as root).
chromium:
	@if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium ontbreekt en kan niet automatisch worden geïnstalleerd (geen root/apt-get); browsertests zullen falen." >&2; fi; \
	fi

setup: venv node

run: setup
	SWC_DEMO=1 DEBUG=1 $(PY) manage.py prepare
	SWC_DEMO=1 DEBUG=1 $(PY) manage.py serve --host $(HOST) --port $(PORT)

test: setup chromium
	$(PY) manage.py load_schemas --check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

reset: setup
	$(PY) manage.py reset_database --yes

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: setup
	$(PY) -m benchmarks.run

.PHONY: help venv node chromium setup run test reset lint bench
