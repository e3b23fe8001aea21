# sozbudget_xl — Einrichtung und Befehle. Siehe README.md.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench workbooks clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/sozbudget demo --out out

test: $(STAMP)
	$(VENV)/bin/ruff check sozbudget_xl tests benchmarks templates
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check sozbudget_xl tests benchmarks templates
	$(VENV)/bin/ruff format --check sozbudget_xl tests benchmarks templates

bench: $(STAMP)
	$(PY) benchmarks/run.py --write benchmarks/RESULTS.md

clean:
	rm -rf out .pytest_cache build *.egg-info
