# Two commands on a fresh machine with only python3 and make:
#   make report   the main job on the bundled dataset
#   make test     the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
REPORT_DIR := report

.PHONY: report test lint typecheck bench clean

# The stamp depends on pyproject.toml, so changing dependencies reinstalls.
$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

report: $(BIN)/.installed
	$(BIN)/cohort-reanalysis verify matsuoka2025 --format html --out $(REPORT_DIR)/matsuoka2025.html --figures $(REPORT_DIR)/figures
	$(BIN)/cohort-reanalysis verify matsuoka2025 --format text
	@echo "Report written to $(REPORT_DIR)/matsuoka2025.html"

test: $(BIN)/.installed
	$(BIN)/python -m pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check cohort_reanalysis tests bench
	$(BIN)/ruff format --check cohort_reanalysis tests bench
	$(BIN)/mypy

bench: $(BIN)/.installed
	$(BIN)/python bench/run.py --out bench/results.json

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache $(REPORT_DIR)
