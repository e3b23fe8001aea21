"""Issue 13 for the live-book hosts (Excel macro, xlwings Lite, the Calc menu): rows typed directly
below a table are taken in by :func:`sozbudget_xl.excel.lese_buch` exactly as the file reader
takes them in — same rows, same result, same note; a totals row is no entry; rows below a totals
row or a total row typed under the table are errors naming the cell.

The book is a fake with xlwings' interface (sheets, used range, Excel tables with ``range`` and
``show_totals``) built from the edited example file, so both readers see the same cells.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils.cell import range_boundaries

from sozbudget_xl import excel
from sozbudget_xl.errors import SozbudgetError
from sozbudget_xl.models import MODELLE
from sozbudget_xl.workbook import recalc, schema

from .test_mappe_rundlauf import BEISPIELE, VERSCHIEBEN, tippe_unter_tabelle, verschiebe_unter_tabelle


class Bereich:
    """xlwings' Range as lese_buch uses it: ``.row``, ``.column``, ``.options(ndim=2).value``."""

    def __init__(self, blatt: Blatt, r0: int, c0: int, r1: int, c1: int) -> None:
        self.blatt, self.row, self.column, self.r1, self.c1 = blatt, r0, c0, r1, c1

    def options(self, **_: Any) -> Bereich:
        return self

    @property
    def value(self) -> list[list[Any]]:
        return [
            [self.blatt.zellen.get((r, c)) for c in range(self.column, self.c1 + 1)]
            for r in range(self.row, self.r1 + 1)
        ]


class Tabelle:
    def __init__(self, name: str, bereich: Bereich, show_totals: bool) -> None:
        self.name, self.range, self.show_totals = name, bereich, show_totals


class Tabellen(list):
    def __getitem__(self, schluessel: Any) -> Any:
        if isinstance(schluessel, str):
            return next(t for t in self if t.name == schluessel)
        return super().__getitem__(schluessel)


class Blatt:
    def __init__(self, ws: Any) -> None:
        self.name = ws.title
        self.zellen: dict[tuple[int, int], Any] = {}
        for zeile in ws.iter_rows():
            for c in zeile:
                if c.value is not None and c.value != "":
                    wert = c.value
                    self.zellen[(c.row, c.column)] = float(wert) if type(wert) is int else wert
        self.tables = Tabellen()
        for t in ws.tables.values():
            c0, r0, c1, r1 = range_boundaries(t.ref)
            self.tables.append(Tabelle(t.name, Bereich(self, r0, c0, r1, c1), bool(t.totalsRowCount)))

    @property
    def used_range(self) -> Bereich:
        zeilen = [k[0] for k in self.zellen] or [1]
        spalten = [k[1] for k in self.zellen] or [1]
        return Bereich(self, min(zeilen), min(spalten), max(zeilen), max(spalten))


class Blaetter(list):
    def __getitem__(self, schluessel: Any) -> Any:
        if isinstance(schluessel, str):
            return next(s for s in self if s.name == schluessel)
        return super().__getitem__(schluessel)


class Buch:
    def __init__(self, pfad: Path) -> None:
        wb = openpyxl.load_workbook(pfad, data_only=True)
        self.fullname = str(pfad)
        self.sheets = Blaetter(Blatt(ws) for ws in wb.worksheets)


def _datei(tmp_path: Path, modell: str, daten: bytes) -> Path:
    pfad = tmp_path / f"{modell}.xlsx"
    pfad.write_bytes(daten)
    return pfad


def _gleich(a: Any, b: Any) -> None:
    """Same output sheets (dates and numbers as the file reader hands them)."""

    def norm(rows: Any) -> Any:
        return [[v.date() if isinstance(v, dt.datetime) else v for v in r] for r in rows]

    for blatt, zeilen in schema.ausgaben(a).items():
        assert norm(zeilen) == norm(schema.ausgaben(b)[blatt]), blatt


@pytest.mark.parametrize("modell", MODELLE)
def test_live_book_takes_the_row_below_a_table_like_the_file_reader(tmp_path, modell):
    """Every example with a table row moved below its table: the macro's reader computes the same
    result as `sozbudget recalc` and gives the same note naming the row."""
    tabelle, index, text = VERSCHIEBEN[modell]
    daten = verschiebe_unter_tabelle((BEISPIELE / f"{modell}.xlsx").read_bytes(), tabelle, index, text)
    pfad = _datei(tmp_path, modell, daten)
    datei = recalc.berechne_mappe(pfad)
    _, ergebnis, mappe = excel.berechne_mappe(Buch(pfad))
    _gleich(ergebnis, datei.ergebnis)
    hinweise = [h for h in mappe.hinweise if "direkt unter der Tabelle" in h]
    assert hinweise and hinweise == [h for h in datei.mappe.hinweise if "direkt unter der Tabelle" in h]
    assert hinweise[0] in [w.text for w in ergebnis.warnungen]


def test_macro_message_names_the_row_and_the_result_includes_it(tmp_path):
    """KGSt: a fourth Träger typed under the table is computed and the macro's message says so;
    without the reader's change the Träger would be silently missing."""
    daten = tippe_unter_tabelle(
        (BEISPIELE / "kgst.xlsx").read_bytes(), "Traeger", ["Jugendhilfe Nord gGmbH", 0.0, "ja", 0]
    )
    buch = Buch(_datei(tmp_path, "kgst", daten))
    text = excel.pruefen_in_mappe(buch)
    assert "Zeile 5: direkt unter der Tabelle „Traeger“ eingetragen und mitgerechnet" in text
    _, ergebnis, _ = excel.berechne_mappe(buch)
    assert any(p.traeger == "Jugendhilfe Nord gGmbH" for p in ergebnis.positionen)


def test_a_blank_row_ends_the_table_for_the_live_book(tmp_path):
    """A note two rows below the table (one blank row between) is not read as an entry."""
    daten = tippe_unter_tabelle((BEISPIELE / "kgst.xlsx").read_bytes(), "Traeger", ["Notiz: Stand Mai"], 1)
    _, mappe = excel.lese_buch(Buch(_datei(tmp_path, "kgst", daten)))
    assert len(mappe.tabellen["Traeger"]) == 3 and not mappe.hinweise


def test_a_total_row_typed_below_is_an_error_naming_its_cell(tmp_path):
    """„Summe“ typed directly below the Träger table: an error at A5, nothing taken in."""
    daten = tippe_unter_tabelle((BEISPIELE / "kgst.xlsx").read_bytes(), "Traeger", ["Summe", 1.0, None, None])
    with pytest.raises(SozbudgetError) as exc:
        excel.lese_buch(Buch(_datei(tmp_path, "kgst", daten)))
    assert exc.value.sheet == "Träger" and exc.value.cell == "A5" and "Summenzeile" in str(exc.value)


def test_totals_row_is_no_entry_and_rows_below_it_are_refused(tmp_path):
    """An Excel table with its totals row shown: the totals row is not read as a Träger; a row
    typed below it cannot be placed and is an error naming it."""
    buch = Buch(_datei(tmp_path, "kgst", (BEISPIELE / "kgst.xlsx").read_bytes()))
    blatt = buch.sheets["Träger"]
    tabelle = blatt.tables["Traeger"]
    letzte = tabelle.range.r1 + 1
    for spalte, wert in enumerate(["Ergebnis", 1.0], start=1):
        blatt.zellen[(letzte, spalte)] = wert
    tabelle.range.r1, tabelle.show_totals = letzte, True
    _, mappe = excel.lese_buch(buch)
    assert [z["Träger"] for z in mappe.tabellen["Traeger"]][-1] != "Ergebnis"
    assert len(mappe.tabellen["Traeger"]) == 3

    blatt.zellen[(letzte + 1, 1)], blatt.zellen[(letzte + 1, 2)] = "Neu e.V.", 0.1
    with pytest.raises(SozbudgetError) as exc:
        excel.lese_buch(buch)
    assert exc.value.cell == f"A{letzte + 1}" and "Ergebniszeile" in str(exc.value)


def test_errors_in_a_row_below_name_its_cell_in_the_live_book(tmp_path):
    """A wrong share in the row typed below the table is located to B5."""
    daten = tippe_unter_tabelle(
        (BEISPIELE / "kgst.xlsx").read_bytes(), "Traeger", ["Neu e.V.", "viel", "ja", 0]
    )
    with pytest.raises(SozbudgetError) as exc:
        excel.berechne_mappe(Buch(_datei(tmp_path, "kgst", daten)))
    assert "Blatt „Träger“, Zelle B5" in str(exc.value)


def test_a_table_starting_right_below_is_not_taken_in(tmp_path):
    """Two tables on one sheet, the second directly below the first: its rows stay its own."""
    buch = Buch(_datei(tmp_path, "kgst", (BEISPIELE / "kgst.xlsx").read_bytes()))
    blatt = buch.sheets["Träger"]
    unten = blatt.tables["Traeger"].range.r1 + 1
    for spalte, wert in enumerate(["Notizen", "Wert"], start=1):
        blatt.zellen[(unten, spalte)] = wert
    blatt.zellen[(unten + 1, 1)], blatt.zellen[(unten + 1, 2)] = "x", 1.0
    blatt.tables.append(Tabelle("Notizen", Bereich(blatt, unten, 1, unten + 1, 2), False))
    _, mappe = excel.lese_buch(buch)
    assert len(mappe.tabellen["Traeger"]) == 3 and not mappe.hinweise
