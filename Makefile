# socwizard — every target sets itself up: a fresh machine needs only Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: run test test-tools lint typecheck pytest bench package-check clean

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

# System tools the tests use as real consumers: poppler-utils renders and reads the PDF
# exports (pdftoppm, pdftotext, pdffonts); a CJK TrueType font lets a Japanese vendor name
# be embedded. Installed with apt-get on Debian (CI runs as root); elsewhere those tests skip.
WIDE_FONT := /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf
test-tools:
	@if ! command -v pdftoppm >/dev/null || ! test -f $(WIDE_FONT); then \
	  if command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq poppler-utils fonts-droid-fallback >/dev/null; \
	  else echo "note: install poppler-utils to run the PDF tests"; fi; \
	fi

test: $(TSTAMP) test-tools  ## set up and run the whole suite: ruff, mypy --strict, pytest
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
