# Two commands do all set-up on a fresh machine with Python 3.11+, make and git:
#   make run   build what is missing, serve the dashboard on the demo release at http://localhost:8501
#   make test  the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
WORK_DB := build/work.duckdb
RELEASE := build/demo-release
PORT ?= 8501
SAMPLE_INPUTS := $(wildcard sample_data/crossings/* sample_data/notices/* sample_data/projects/*)
POLICY := sample_data/policy.toml

.PHONY: run test demo-release bench clean lock

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip uv
	$(BIN)/uv pip install -q --compile-bytecode --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

# Regenerate the lock file after changing dependencies in pyproject.toml.
lock: $(STAMP)
	$(BIN)/uv pip compile -q pyproject.toml --extra test --python-version 3.11 -o requirements.lock

$(WORK_DB): $(STAMP) $(SAMPLE_INPUTS)
	mkdir -p build
	rm -f $(WORK_DB)
	$(BIN)/borderlens ingest sample_data/crossings sample_data/notices sample_data/projects --db $(WORK_DB)

$(RELEASE)/release.json: $(WORK_DB) $(POLICY)
	$(BIN)/borderlens publish --db $(WORK_DB) --policy $(POLICY) --out $(RELEASE)

demo-release: $(RELEASE)/release.json

run: $(RELEASE)/release.json
	BORDERLENS_RELEASE=$(RELEASE) $(BIN)/borderlens serve --release $(RELEASE) --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/ingest.py --rows 10000000

clean:
	rm -rf build $(VENV)
