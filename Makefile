# Weft — see README.md. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres
WORKERS ?= 2

.PHONY: install chromium run test test-sqlite test-postgres lint bench clean

NODE_STAMP := node_modules/.installed-stamp
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# Browser assets (bpmn-js, htmx, Chart.js, the modeler's packages) from npm, exactly as package-lock.json says; never committed.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# The modeler's bundle (bpmn-js, its properties panel, camunda-bpmn-moddle and the Weft group
# from platform/weft/web/bundle/), built by esbuild into platform/weft/web/build/; never committed.
BUNDLE := platform/weft/web/build/modeler.js
$(BUNDLE): $(NODE_STAMP) $(wildcard platform/weft/web/bundle/*)
	npm run --silent build

# Debian's chromium for the browser tests (Playwright drives it; nothing is downloaded by Playwright).
chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

install: $(STAMP) $(NODE_STAMP) $(BUNDLE)

run: install
	$(BIN)/weft init
	$(BIN)/weft demo
	$(BIN)/weft run

lint: install
	$(BIN)/ruff check platform tests benchmarks
	$(BIN)/mypy platform/weft/engine platform/weft/packages platform/weft/persistence platform/weft/services platform/weft/connectors platform/weft/entities platform/weft/forms platform/weft/scenarios

test-sqlite: install chromium
	WEFT_TEST_DB=sqlite $(BIN)/pytest -q -n $(WORKERS) tests

test-postgres: install chromium
	WEFT_TEST_DB=postgresql WEFT_TEST_POSTGRES_URL=$${WEFT_TEST_POSTGRES_URL:-$(PG_URL)} \
		$(BIN)/pytest -q -n $(WORKERS) tests/integration tests/e2e

# The whole suite on SQLite, then the database-backed tests again on PostgreSQL when it answers.
test: lint test-sqlite
	@if [ -n "$$WEFT_TEST_POSTGRES_URL" ] || $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2)" 2>/dev/null; then \
		$(MAKE) --no-print-directory test-postgres; \
	else \
		echo "PostgreSQL does not answer on 127.0.0.1:5432 and WEFT_TEST_POSTGRES_URL is unset: PostgreSQL run skipped"; \
	fi

bench: install
	$(BIN)/python benchmarks/engine.py

clean:
	rm -rf $(VENV) node_modules platform/weft/web/build instance .pytest_cache .mypy_cache .ruff_cache
