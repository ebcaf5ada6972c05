# socwizard — every target sets itself up: a fresh machine needs only Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: run test lint typecheck pytest bench package-check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,serve]'
	touch $@ $(STAMP)

run: $(STAMP)  ## set up and launch the wizard
	$(BIN)/socwizard

test: $(TSTAMP)  ## set up and run the whole suite: ruff, mypy --strict, pytest
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest
	$(MAKE) --no-print-directory package-check

package-check: $(TSTAMP)  ## build the sdist, a wheel from it, install it in a fresh venv, run it
	$(BIN)/python tests/package_check.py

bench: $(TSTAMP)  ## measure socwizard against its floors (see BENCHMARKS.md)
	$(BIN)/python -m compileall -q src  # bytecode as an installed package has it
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache
