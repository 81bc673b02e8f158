# Two commands on a fresh machine with only python3 and make:
#   make report   the main job on every bundled dataset (report/<dataset>.html)
#   make test     the whole test suite (it builds the documentation site too)
#   make docs     the documentation site, into docs/_build/html
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
REPORT_DIR := report
# Every bundled dataset (tests/test_makefile.py checks the list against list_datasets()).
REPORT_DATASETS := matsuoka2025 meta_t1dm_2025 simulated_registry student1908_sleep zea_mays_darwin1876

.PHONY: report $(addprefix report-,$(REPORT_DATASETS)) test docs lint typecheck bench clean

# Each command installs what it needs, no more: `make report` the package and its runtime
# dependencies (.installed-package), `make test`, `lint` and `bench` the test extra too
# (.installed-test). The stamps depend on pyproject.toml, so changing dependencies reinstalls.
# The test extra holds the package, so installing it stamps the package as installed as well.
$(BIN)/.installed-package: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(BIN)/.installed-test: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(BIN)/.installed-package

report: $(addprefix report-,$(REPORT_DATASETS))
	$(BIN)/cohort-reanalysis verify matsuoka2025 --format text
	@echo "Reports written to $(REPORT_DIR)/: one HTML file per dataset, figures in $(REPORT_DIR)/figures/"

$(addprefix report-,$(REPORT_DATASETS)): report-%: $(BIN)/.installed-package
	$(BIN)/cohort-reanalysis verify $* --format html --out $(REPORT_DIR)/$*.html --figures $(REPORT_DIR)/figures/$*

test: $(BIN)/.installed-test
	$(BIN)/python -m pytest

# The docs extra (Sphinx, its theme, numpydoc, MyST, myst-nb), without the test toolchain.
$(BIN)/.docs-installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[docs]'
	touch $@ $(BIN)/.installed-package

# Warnings are errors, cross-references are checked (-n), and the notebooks are executed.
docs: $(BIN)/.docs-installed
	$(BIN)/python -m sphinx -b html -n -W --keep-going docs docs/_build/html
	@echo "Documentation written to docs/_build/html/index.html"

lint: $(BIN)/.installed-test
	$(BIN)/ruff check cohort_reanalysis tests bench
	$(BIN)/ruff format --check cohort_reanalysis tests bench
	$(BIN)/mypy

bench: $(BIN)/.installed-test
	$(BIN)/python bench/run.py --out bench/results.json

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache $(REPORT_DIR) docs/_build docs/api
