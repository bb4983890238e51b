# Two commands do all the set-up on a fresh machine (Python >= 3.11 and pip):
#   make evaluate   # create .venv, install planlib, evaluate the shipped plans and draw
#                   # the figures of the default plan (or of PLAN) in figures/<plan_id>/zh/
#   make test       # same set-up, then the whole test suite (as CI runs it)
#   make test-fast  # the suite without the tests marked slow: under 90 s, for daily work
# Options: PLAN=<plan id or path to plan.yaml> (default: every shipped plan), PYTHON=python3.11

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PLAN   ?= all

.PHONY: setup evaluate validate test test-fast lint bench bench-calibration bench-scale lab clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "planlib needs Python >= 3.11; run: make PYTHON=python3.11 ...")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

# The tables of every plan, the figures and the notebook suite of the default plan (or PLAN),
# into a new run folder reports/<plan_id>/runs/<as_of>-<lang>-<n>/. The notebooks run on one
# plan only: `planlib run --plan all` takes ~2.4x as long (122 s against 52 s on 2 cores).
evaluate: $(STAMP)
	$(BIN)/planlib evaluate --plan $(PLAN)
	$(BIN)/planlib figures $(if $(filter-out all,$(PLAN)),--plan $(PLAN))
	$(BIN)/planlib run $(if $(filter all,$(PLAN)),,--plan $(PLAN))

# JupyterLab on the notebooks with the project's own kernel ("planlib", this .venv).
lab: $(STAMP)
	$(BIN)/python -m ipykernel install --user --name planlib --display-name "Python (planlib)"
	$(BIN)/jupyter lab notebooks/

validate: $(STAMP)
	$(BIN)/planlib validate --plan $(PLAN)

test: $(STAMP)
	$(BIN)/python -m pytest -q

# Every test not marked `slow` (pytest -m "not slow"); tests/ mirrors planlib/, so
# `.venv/bin/python -m pytest tests/core` runs one layer's tests.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(STAMP) bench-calibration
	$(BIN)/python benchmarks/backtest.py
	$(BIN)/python benchmarks/damped_fit.py
	$(BIN)/python benchmarks/cohort.py

bench-calibration: $(STAMP)
	$(BIN)/python benchmarks/calibration.py

bench-scale: $(STAMP)
	$(BIN)/python benchmarks/scale.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .hypothesis
