# The two commands a newcomer needs: `make reports` and `make test`.
# Each builds .venv (with the project installed) when it is missing or older than pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JOBS ?= 2

.PHONY: reports test lint lab bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

reports: $(STAMP)
	$(BIN)/workbook run --jobs $(JOBS)

test: $(STAMP)
	$(BIN)/ruff check models workbook tests benchmarks
	$(BIN)/python -m pytest -q -n auto --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check models workbook tests benchmarks
	$(BIN)/ruff format --check models workbook tests benchmarks

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) reports/*/ reports/index.html
