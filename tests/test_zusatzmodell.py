"""An eighth model registered through the registry alone gets workbook, recalc, worksheet
function and annex — without touching any other file (issue „One declaration per model“)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from sozbudget_xl import excel
from sozbudget_xl.cli import main
from sozbudget_xl.models import _REGISTRIERT, modell, namen, registriere
from sozbudget_xl.workbook import schema

from . import zusatzmodell


@pytest.fixture(scope="module", autouse=True)
def registriert():
    registriere(zusatzmodell)
    yield
    _REGISTRIERT.pop(zusatzmodell.NAME, None)


def test_registry_knows_the_extra_model():
    """The registered module is found by name and listed after the seven models of the report."""
    assert modell("Zusatz") is zusatzmodell
    assert namen()[-1] == "zusatz"


def test_new_recalc_formats_and_annex(tmp_path: Path, capsys):
    """`sozbudget new --beispiel`, `recalc` and `annex` work for the extra model; every numeric output
    cell has the number format of its unit and the annex shows the amounts in €."""
    mappe = tmp_path / "zusatz.xlsx"
    assert main(["new", "zusatz", str(mappe), "--beispiel"]) == 0
    leer = tmp_path / "leer.xlsx"
    assert main(["new", "zusatz", str(leer)]) == 0
    assert {"Anleitung", "Parameter", "Träger"} <= set(openpyxl.load_workbook(leer).sheetnames)

    ausgabe = tmp_path / "neu"
    assert main(["recalc", str(mappe), "--out", str(ausgabe)]) == 0
    ergebnis = ausgabe / "zusatz.xlsx"
    wb = openpyxl.load_workbook(ergebnis)
    e = wb["Ergebnis"]
    kopf = [c.value for c in e[1]]
    betrag = kopf.index("Betrag") + 1
    assert e.cell(2, betrag).value == 60000 and e.cell(2, betrag).number_format == '#,##0.00 "€"'
    k = wb["Kennzahlen"]
    formate = {r[0].value: r[1].number_format for r in k.iter_rows(min_row=2) if r[0].value and len(r) > 1}
    assert formate["Gesamtbudget"] == '#,##0.00 "€"' and formate["Anzahl Träger"] == "#,##0"
    zahlen = [c for blatt in ("Ergebnis", "Zahlungsplan", "Kennzahlen") for row in wb[blatt].iter_rows()
              for c in row if isinstance(c.value, int | float) and not isinstance(c.value, bool)]  # fmt: skip
    geld = [c for c in zahlen if c.number_format == '#,##0.00 "€"']
    assert geld and all(c.number_format != "General" for c in zahlen if c.column > 1)

    anlagen = tmp_path / "anlagen"
    assert main(["annex", str(ergebnis), "--format", "html", "--out", str(anlagen)]) == 0
    html = "\n".join(p.read_text(encoding="utf-8") for p in anlagen.rglob("*.html"))
    assert "60.000,00\xa0€" in html and "40.000,00\xa0€" in html
    assert "vierteljährlich gezahlt" in html  # the contract text follows the parameter's German word
    capsys.readouterr()


def test_generated_worksheet_function_computes_the_model():
    """The worksheet function is generated from the declaration: one range per input table."""
    f = excel.modell_funktion("zusatz")
    assert f.__name__ == "SRB_ZUSATZ"
    code = f.__wrapped__.__code__  # the generated function (f adds the error-text wrapper)
    assert code.co_varnames[: code.co_argcount] == ("parameter_bereich", "traeger")
    parameter, tabellen = schema.beispiel_daten("zusatz")
    bereich = [["Bezeichnung", "Wert"], *([k, v] for k, v in parameter.items())]
    traeger = [list(tabellen["Traeger"][0]), *(list(z.values()) for z in tabellen["Traeger"])]
    tabelle = f(bereich, traeger)
    betraege = [z[6] for z in tabelle[1:] if z[1] == "Pauschale"]
    assert betraege == [60000.0, 40000.0]
