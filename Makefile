# Lägesbild: `make run` to start on demo data, `make test` to run every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA_DIR ?= $(or $(LAGESBILD_DATA_DIR),data)
CHROMIUM ?= /usr/bin/chromium
OIDC := tests/oidc

.PHONY: run test test-fast demo bench check clean install install-test browser oidc-provider

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## run: install, write demo data if the data directory is empty, start the app
run: install
	$(BIN)/python -m dashboard --data-dir "$(DATA_DIR)" demo --if-empty
	$(BIN)/python -m dashboard --data-dir "$(DATA_DIR)" run

## test: install test extras, a browser and the login test's provider, then run every test
test: install-test browser oidc-provider
	CHROMIUM="$(CHROMIUM)" $(BIN)/python -m pytest $(PYTEST_ARGS)

## test-fast: every test but the browser and the slow multi-process ones (for the edit-test loop)
test-fast: install-test
	$(BIN)/python -m pytest -m "not browser and not slow" $(PYTEST_ARGS)

## browser: Debian's Chromium for the browser tests (Playwright's own download cannot work here)
browser:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && apt-get install -y -qq chromium; \
	else \
		echo "No Chromium at $(CHROMIUM): browser tests will be skipped."; \
		echo "Install it with 'sudo apt-get install chromium' or set CHROMIUM=/path/to/chromium."; \
	fi

## oidc-provider: the OpenID Connect provider the login test runs (tests/oidc, from npm)
oidc-provider:
	@if ! command -v npm >/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && apt-get install -y -qq nodejs npm; \
	fi; \
	if command -v npm >/dev/null; then $(MAKE) -s $(OIDC)/node_modules/.installed; else \
		echo "No npm: the login test will be skipped. Install Node.js 20+ and npm (apt-get install nodejs npm)."; \
	fi

$(OIDC)/node_modules/.installed: $(OIDC)/package-lock.json
	npm ci --prefix $(OIDC) --no-audit --no-fund
	touch $@

## demo: replace the data directory with a fresh demo data set
demo: install
	$(BIN)/python -m dashboard --data-dir "$(DATA_DIR)" demo --force

## check: validate the data directory
check: install
	$(BIN)/python -m dashboard --data-dir "$(DATA_DIR)" check

## bench: measure speed and memory (see README, "Prestanda")
bench: install
	$(BIN)/python -m dashboard bench --out bench-data/results.json

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts bench-data dashboard/static/vendor $(OIDC)/node_modules
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
