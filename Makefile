# casb-pipeline: every target installs the project into .venv first when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The demo always uses the embedded simulator, whatever key the shell holds.
DEMO_ENV := env -u ANTHROPIC_COMPLIANCE_ACCESS_KEY -u CASB_API_BASE_URL

.PHONY: setup demo test lint ui bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(DEMO_ENV) $(BIN)/casb-pipeline run

test: lint
	$(BIN)/pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check casb_pipeline assets tests benchmarks
	$(BIN)/ruff format --check casb_pipeline assets tests benchmarks

ui: $(STAMP)
	$(BIN)/casb-pipeline ui

bench: $(STAMP)
	@for script in benchmarks/*.py; do \
		echo "== $$script"; $(BIN)/python $$script || exit 1; \
	done

clean:
	rm -rf $(VENV) data
