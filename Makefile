# sozbudget_xl — Einrichtung und Befehle. Siehe README.md.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench workbooks clean oxt

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,bench,analyse]'
# byte code as a regular `pip install` leaves it (the editable install does not compile, and
# PYTHONDONTWRITEBYTECODE=1 would make every process compile the package anew); compileall
# writes it even then
	$(PY) -m compileall -q sozbudget_xl
	touch $(STAMP)

# PDF annexes only where LibreOffice is installed
comma := ,
ANNEX_FORMATS := docx,html$(if $(shell command -v soffice 2>/dev/null),$(comma)pdf)

demo: $(STAMP)
	$(VENV)/bin/sozbudget demo --out out
	$(VENV)/bin/sozbudget recalc workbooks/*.xlsx workbooks/*.xlsm --out out/arbeitsmappen --jobs 2
	$(VENV)/bin/sozbudget annex out/arbeitsmappen/*.xlsx --format $(ANNEX_FORMATS) --out out/vertragsanlagen --jobs 2
	@echo "Fertig: Arbeitsmappen in out/arbeitsmappen, Vertragsanlagen in out/vertragsanlagen"
	@echo "Befehle ausführen: erst '. $(VENV)/bin/activate', dann z. B. 'sozbudget check workbooks/kgst.xlsx'"
	@echo "(oder ohne Aktivieren: '$(VENV)/bin/sozbudget check workbooks/kgst.xlsx')"

# LibreOffice-Erweiterung (Extras → Extension Manager); .rdb mit unoidl-write (libreoffice-dev)
oxt: sozbudget.oxt
sozbudget.oxt: $(STAMP) $(wildcard sozbudget_xl/*.py sozbudget_xl/*/*.py templates/*.j2 templates/*/*.j2)
	$(PY) -m sozbudget_xl.hosts.libreoffice --ziel .

workbooks: $(STAMP)
	$(PY) workbooks/erzeuge_beispiele.py

test: $(STAMP)
	$(VENV)/bin/ruff check sozbudget_xl tests benchmarks templates workbooks libreoffice
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check sozbudget_xl tests benchmarks templates workbooks libreoffice
	$(VENV)/bin/ruff format --check sozbudget_xl tests benchmarks templates workbooks libreoffice

bench: $(STAMP)
	$(PY) benchmarks/run.py --write benchmarks/RESULTS.md

clean:
	rm -rf out .pytest_cache build *.egg-info sozbudget.oxt
