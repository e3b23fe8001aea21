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


#: Celle uses its indicator key only when asked to and when the fixing of shares is lifted
CELLE_INDEX = {
    ("Parameter", "Anpassung an Indikatorschlüssel"): "ja",
    ("Parameter", "Festschreibung aufheben"): "ja",
}


def _mappe_mit(tmp_path: Path, modell: str, aenderungen: dict[tuple[str, str], object]) -> Path:
    """A copy of the model's example workbook with cells changed: ``{(blatt, zelle oder
    Parameter-Titel): wert}``."""
    ziel = tmp_path / f"{modell}.xlsx"
    shutil.copy(WORKBOOKS / f"{modell}.xlsx", ziel)
    wb = openpyxl.load_workbook(ziel)
    for (blatt, wo), wert in aenderungen.items():
        ws = wb[blatt]
        ws[_zelle(ws, wo) if blatt == "Parameter" else wo] = wert
    wb.save(ziel)
    return ziel


def _kopfzelle(pfad: Path, blatt: str, titel: str, zeile: int) -> str:
    ws = openpyxl.load_workbook(pfad)[blatt]
    kopf = {c.value: c.column_letter for c in ws[1]}
    return f"{kopf[titel]}{zeile}"


@pytest.mark.parametrize(
    ("modell", "extra", "daten"),
    [
        ("dreisaeulen", {}, "Quartiere"),
        ("celle", CELLE_INDEX, "Sozialräume"),
    ],
)
def test_zielgruppe_naming_a_missing_column_is_located_at_its_parameter_cell(
    tmp_path, capsys, modell, extra, daten
):
    """A Zielgruppe naming a data column that does not exist: `sozbudget check` names sheet
    „Parameter“ and the cell of „Zielgruppe“, the field by its title (not the value), the value as
    found and the columns there are; nothing is written."""
    mappe = _mappe_mit(tmp_path, modell, {**extra, ("Parameter", "Zielgruppe"): "Gibtsnicht"})
    zelle = _zelle(openpyxl.load_workbook(mappe)["Parameter"], "Zielgruppe")
    vorher = mappe.read_bytes()
    assert main(["check", str(mappe)]) == 2
    text = capsys.readouterr().out
    assert f"Blatt „Parameter“, Zelle {zelle}" in text, text
    assert "Feld „Zielgruppe“" in text and "Feld „Gibtsnicht“" not in text, text
    assert f"Tabelle „{daten}“" in text and "gefunden „Gibtsnicht“" in text, text
    assert "„Jugendeinwohner“" in text, text  # the columns that do exist
    assert mappe.read_bytes() == vorher


@pytest.mark.parametrize(
    ("modell", "extra", "titel"),
    [
        ("dreisaeulen", {}, "Zähler"),
        ("dreisaeulen", {}, "Nenner"),
        ("celle", CELLE_INDEX, "Zähler"),
    ],
)
def test_indicator_naming_a_missing_column_is_located_at_its_cell(tmp_path, modell, extra, titel):
    """An indicator whose Zähler or Nenner names no data column is located at that cell of
    „Indikatoren“, found by the error's structured path."""
    mappe = _mappe_mit(tmp_path, modell, extra)
    zelle = _kopfzelle(mappe, "Indikatoren", titel, 2)
    mappe = _mappe_mit(tmp_path, modell, {**extra, ("Indikatoren", zelle): "Gibtsnicht"})
    with pytest.raises(SozbudgetError) as info:
        recalc.berechne_mappe(mappe)
    fehler = getattr(info.value, "fehler", [info.value])
    assert [(f.sheet, f.cell) for f in fehler] == [("Indikatoren", zelle)], [str(f) for f in fehler]
    assert f"Feld „{titel}“" in str(fehler[0]) and "gefunden „Gibtsnicht“" in str(fehler[0])


def test_missing_column_names_the_argument_that_named_it():
    """:mod:`sozbudget_xl.indicators` tells which argument named a missing column — the
    Zielgruppe, the n-th indicator's Zähler or Nenner, a Teilindex — so a model can map it to
    its own input; the message keeps its form."""
    from sozbudget_xl import indicators as ix

    regionen = [{"Sozialraum": "A", "N": 10, "Q": 1.0}, {"Sozialraum": "B", "N": 20, "Q": 2.0}]
    faelle = [
        ({"zielgruppe": "X"}, ("parameter", "zielgruppe"), "Zielgruppe"),
        (
            {"zielgruppe": "N", "indikatoren": [ix.Indicator("Q", "Q"), ix.Indicator("R", "X")]},
            ("indikatoren", 1, "zaehler"),
            "Zähler",
        ),
        (
            {"zielgruppe": "N", "indikatoren": [ix.Indicator("Q", "Q", nenner="X")]},
            ("indikatoren", 0, "nenner"),
            "Nenner",
        ),
        (
            {"teilindizes": [ix.Teilindex("a", "N", gewicht=0.5), ix.Teilindex("b", "X", gewicht=0.5)]},
            ("teilindizes", 1, "zielgruppe"),
            "Zielgruppe",
        ),
        (
            {"teilindizes": [ix.Teilindex("a", "N", ix.Indicator("R", "X"))]},
            ("teilindizes", 0, "indikator"),
            "Zähler",
        ),
    ]
    for argumente, pfad, rolle in faelle:
        with pytest.raises(ix.SpalteFehlt) as info:
            ix.schluessel_gewichte(regionen, id_spalte="Sozialraum", **argumente)
        assert (info.value.pfad, info.value.rolle, info.value.spalte) == (pfad, rolle, "X"), argumente
        assert "Spalte „X“: Spalte fehlt" in str(info.value)
