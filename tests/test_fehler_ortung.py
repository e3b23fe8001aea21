"""All input errors of a workbook in one run, each with sheet and cell (located by structure)."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from sozbudget_xl.cli import main
from sozbudget_xl.errors import MehrereFehler, SozbudgetError
from sozbudget_xl.workbook import recalc, schema

WORKBOOKS = Path(__file__).resolve().parents[1] / "workbooks"


def _zelle(ws, titel: str) -> str:
    """Coordinate of the value cell of a Parameter row."""
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == titel:
            return f"B{row[0].row}"
    raise KeyError(titel)


@pytest.fixture
def kaputt(tmp_path: Path) -> Path:
    """The KGSt example with a header typed in lower case, a Träger row with three wrong cells and
    a wrong parameter."""
    ziel = tmp_path / "kgst.xlsx"
    shutil.copy(WORKBOOKS / "kgst.xlsx", ziel)
    wb = openpyxl.load_workbook(ziel)
    ws = wb["Träger"]
    kopf = {c.value: c.column_letter for c in ws[1]}
    ws[f"{kopf['Anteil']}1"] = "anteil"  # header in another case
    tabelle = ws.tables["Traeger"]
    for spalte in tabelle.tableColumns:
        if spalte.name == "Anteil":
            spalte.name = "anteil"
    ws[f"{kopf['Anteil']}3"] = "viel"
    ws[f"{kopf['Qualitätsnachweis']}3"] = "vielleicht"
    ws[f"{kopf['Zusatzfälle']}3"] = "einige"
    p = wb["Parameter"]
    p[_zelle(p, "Anteil fallspezifisch")] = "siebzig"
    wb.save(ziel)
    return ziel


def test_all_errors_of_a_workbook_in_one_run_with_sheet_and_cell(kaputt):
    """Three wrong cells in one row and a wrong parameter are reported together, each with its
    sheet and cell — the header typed „anteil“ does not lose the cell."""
    with pytest.raises(MehrereFehler) as info:
        recalc.berechne_mappe(kaputt)
    fehler = info.value.fehler
    orte = {(f.sheet, f.cell) for f in fehler}
    wb = openpyxl.load_workbook(kaputt)
    kopf = {c.value: c.column_letter for c in wb["Träger"][1]}
    assert ("Träger", f"{kopf['anteil']}3") in orte
    assert ("Träger", f"{kopf['Qualitätsnachweis']}3") in orte
    assert ("Träger", f"{kopf['Zusatzfälle']}3") in orte
    assert ("Parameter", _zelle(wb["Parameter"], "Anteil fallspezifisch")) in orte
    assert len(fehler) == 4
    text = str(info.value)
    assert text.startswith("4 Fehler in der Eingabe:") and "Blatt „Träger“, Zelle" in text


def test_cli_check_lists_every_error_and_writes_nothing(kaputt, capsys):
    """`sozbudget check` names all four cells and exits 2; the file is unchanged."""
    vorher = kaputt.read_bytes()
    assert main(["check", str(kaputt)]) == 2
    ausgabe = capsys.readouterr()
    text = ausgabe.out + ausgabe.err
    assert text.count("Blatt „") >= 4
    assert kaputt.read_bytes() == vorher


def test_model_error_located_by_its_path_not_its_text():
    """A model error with a structured path lands on the cell of that row and column even when its
    message says nothing about the row."""
    parameter, tabellen = schema.beispiel_daten("kgst")
    exc = SozbudgetError("irgendetwas stimmt nicht", pfad=("traeger", 1, "zusatzfaelle"))
    verortet = schema.verorte(exc, "kgst", parameter, tabellen)
    spalten = list(tabellen["Traeger"][0])
    buchstabe = schema.spaltenbuchstabe(spalten.index("Zusatzfälle") + 1)
    assert (verortet.sheet, verortet.cell) == ("Träger", f"{buchstabe}3")
    exc = SozbudgetError("falsch", pfad=("parameter", "umverteilung"))
    verortet = schema.verorte(exc, "kgst", parameter, tabellen)
    assert verortet.sheet == "Parameter" and verortet.cell is not None
