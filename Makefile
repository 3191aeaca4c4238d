# Two commands do all set-up on a fresh machine with Python 3.11+, make and git:
#   make run   build what is missing, serve the dashboard on the demo release at http://localhost:8501
#   make test  the whole test suite
#   make check lint (ruff), types (mypy), import contracts (lint-imports) and the fast tests: a minute or two,
#              before every commit
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
WORK_DB := build/work.duckdb
RELEASE := build/demo-release
PORT ?= 8501
SAMPLE_INPUTS := $(wildcard sample_data/crossings/* sample_data/notices/* sample_data/exercises/* sample_data/projects/*)
POLICY := sample_data/policy.toml

# Tests without a browser, a server or a release build (unit tests of the rules, writers and policy checks).
FAST_TESTS := tests/test_charts.py tests/test_sample_data.py tests/test_downloads.py tests/test_feed.py \
	tests/test_policy.py tests/test_csv_safety.py tests/test_datapackage.py tests/test_import_contracts.py \
	tests/test_policy_options.py

.PHONY: run test coverage check lint types imports demo-release reference screenshots bench clean lock bytecode

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip uv
	$(BIN)/uv pip install -q --compile-bytecode --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

# The project's own modules compiled ahead, as an installed package's are: where PYTHONDONTWRITEBYTECODE is set (CI
# images often set it) every command and test process would otherwise compile them again (about 0.05 s each).
# compileall skips the files whose bytecode is current, so this costs about a second.
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q -j 0 data_pipeline dashboard_ui pages app.py

# Regenerate the lock file after changing dependencies in pyproject.toml.
lock: $(STAMP)
	$(BIN)/uv pip compile -q pyproject.toml --extra test --python-version 3.11 -o requirements.lock

# Built again after a new migration (sql/schema) and, for the release, a new release format: the dashboard serves
# only releases of its own format (data_pipeline/publish/release_format.py).
$(WORK_DB): $(STAMP) $(SAMPLE_INPUTS) $(wildcard sql/schema/*.sql) | bytecode
	mkdir -p build
	rm -f $(WORK_DB)
	$(BIN)/borderlens ingest sample_data/crossings sample_data/notices sample_data/exercises sample_data/projects --db $(WORK_DB)

$(RELEASE)/release.json: $(WORK_DB) $(POLICY) data_pipeline/publish/release_format.py
	$(BIN)/borderlens publish --db $(WORK_DB) --policy $(POLICY) --out $(RELEASE)

demo-release: $(RELEASE)/release.json

run: $(RELEASE)/release.json bytecode
	BORDERLENS_RELEASE=$(RELEASE) $(BIN)/borderlens serve --release $(RELEASE) --port $(PORT)

# The whole suite in TEST_WORKERS processes (pytest-xdist), one test file to a process: most tests wait on a
# subprocess, a server or Chromium, so three keep two cores busy (TEST_WORKERS=0: one process); the longest files
# first, in the order tests/conftest.py gives them (FIRST_FILES), not the most tests first; it ends with the 25 slowest.
# `make coverage` runs the same suite measuring line and branch coverage of data_pipeline/, dashboard_ui/, pages/ and
# app.py ([tool.coverage] in pyproject.toml; htmlcov/ has the details). It is not part of `make test`: the tracer
# made the tests that run in the test processes (AppTest pages) about 60% slower (27 -> 43 CPU s for two page files).
TEST_WORKERS ?= 3
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder --durations=25

test: $(STAMP) bytecode
	$(PYTEST)

coverage: $(STAMP)
	$(PYTEST) --cov --cov-report=term:skip-covered --cov-report=html

lint: $(STAMP)
	$(BIN)/ruff check .

types: $(STAMP)
	$(BIN)/mypy

# The layer rules of [tool.importlinter] in pyproject.toml.
imports: $(STAMP)
	$(BIN)/lint-imports

check: lint types imports
	$(BIN)/python -m pytest -q $(FAST_TESTS) -k "not demo_release and not a_release_names"

reference: $(STAMP)   ## rebuild the prebuilt reference tables (sample_data/geo/prebuilt) from the GeoJSON
	$(BIN)/python -m data_pipeline.geo.reference_tables

screenshots: $(RELEASE)/release.json   ## renew the README's screenshots from the demo release (Chromium)
	$(BIN)/python docs/screenshots.py --release $(RELEASE)

bench: $(STAMP) bytecode
	$(BIN)/python bench/ingest.py --rows 10000000

clean:
	rm -rf build $(VENV) htmlcov .coverage .coverage.*
