"""The macros write what ``sozbudget recalc`` writes (one orchestration,
:func:`sozbudget_xl.workbook.recalc.zusatzblaetter`): the sheet „Verträge“ with the contract
numbers and the inputs' fingerprint, read back from the live book on the next run."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from sozbudget_xl import excel, vertragsmappe
from sozbudget_xl.models import MODELLE
from sozbudget_xl.workbook.recalc import berechne_mappe, neu_berechnen, zusatzblaetter
from tests.test_excel_udfs import FakeBook, FakeSheet, _fake_mappe

MAPPEN = Path(__file__).resolve().parents[1] / "workbooks"


def _buch_aus_datei(pfad: Path) -> FakeBook:
    """The xlwings stand-in holding every cell value of a workbook file (as Excel would show them)."""
    wb = openpyxl.load_workbook(pfad, data_only=True)
    blaetter = [
        FakeSheet(ws.title, [list(z) for z in ws.iter_rows(values_only=True)]) for ws in wb.worksheets
    ]
    return FakeBook(str(pfad), blaetter)


def _blatt(book) -> list[list]:
    return book.sheets[vertragsmappe.BLATT].rows()


@pytest.mark.parametrize("name", MODELLE)
def test_recalc_macro_writes_the_contract_sheet_like_the_cli(name, tmp_path):
    """Macro and CLI write the same „Verträge“ sheet for the same inputs: the same contracts,
    numbers and fingerprint (so „sozbudget annex“ accepts a book the macro recalculated)."""
    kopie = tmp_path / f"{name}.xlsx"
    shutil.copy(MAPPEN / f"{name}.xlsx", kopie)
    book = _buch_aus_datei(kopie)  # the same cells, read by the macro's reader
    excel.neu_berechnen_in_mappe(book, zusatzblaetter=True)
    makro = _blatt(book)

    neu_berechnen(kopie, sicherung=False)
    cli = excel.excel_zeilen(zusatzblaetter(berechne_mappe(kopie))[vertragsmappe.BLATT])
    assert makro == [[None if v == "" else v for v in z] for z in cli]
    (pruef,) = [z[1] for z in makro if z and z[0] == vertragsmappe.PRUEFSUMME]
    assert pruef == vertragsmappe.lies_vertragsblatt(kopie).pruefsumme


def test_recalc_macro_keeps_numbers_and_texts_the_user_entered_in_the_book(tmp_path):
    """The second run reads „Verträge“ from the live book: an edited number, address and signatory
    stay, nothing is renumbered."""
    book = _fake_mappe("kgst", str(tmp_path / "kgst.xlsm"))
    excel.neu_berechnen_in_mappe(book, zusatzblaetter=True)
    blatt = book.sheets[vertragsmappe.BLATT]
    kopf = _blatt(book)[0]
    zeile = 3  # the second contract (row 1 is the header)
    traeger = blatt.cells[(zeile, kopf.index("Träger") + 1)]
    blatt.cells[(zeile, 1)] = "JA-2026/17"
    blatt.cells[(zeile, kopf.index("Anschrift des Trägers") + 1)] = "Hauptstraße 1; 12345 Musterstadt"
    blatt.cells[(zeile, kopf.index("Unterzeichnet für den Träger") + 1)] = "Erika Beispiel"
    vorher = [z[0] for z in _blatt(book)[1:4]]
    excel.neu_berechnen_in_mappe(book, zusatzblaetter=True)
    nachher = _blatt(book)
    z = next(z for z in nachher if z[1] == traeger)
    assert z[0] == "JA-2026/17" and z[4] == "Hauptstraße 1; 12345 Musterstadt" and z[5] == "Erika Beispiel"
    assert [z[0] for z in nachher[1:4]] == vorher
    # the fingerprint matches the book's inputs: the next annex run is not refused as stale
    b = excel._berechnung(book)
    assert b.mappe.vertragsblatt.pruefsumme == vertragsmappe._fingerabdruck(b)


def test_annex_macro_uses_the_books_contract_numbers_and_refuses_stale_results(tmp_path):
    """SRB_ANLAGEN_ERSTELLEN reads „Verträge“ from the live book: an edited number is in the annex;
    after an input change without „Neu berechnen“ it refuses, naming the menu command."""
    book = _fake_mappe("kgst", str(tmp_path / "kgst.xlsm"))
    excel.neu_berechnen_in_mappe(book, zusatzblaetter=True)
    book.sheets[vertragsmappe.BLATT].cells[(2, 1)] = "JA-2026/17"
    dateien = excel.anlagen_aus_mappe(book, formate=("html",))
    assert any("JA-2026/17" in d.read_text(encoding="utf-8") for d in dateien)

    blatt = book.sheets["Träger"]
    kopf = blatt.rows()[0]
    blatt.cells[(2, kopf.index("Zusatzfälle") + 1)] = 99
    text = excel._makro(book, excel._anlagen_meldung)
    assert "nach der letzten Neuberechnung geändert" in text and "„Neu berechnen“" in text


def _summe_ist(book) -> float:
    """„Ist bis Stand“ of the Summe row of the book's sheet „Soll-Ist“."""
    zeilen = book.sheets["Soll-Ist"].rows()
    spalte = zeilen[0].index("Ist bis Stand")
    return next(z[spalte] for z in zeilen if z and z[0] == "Summe")


@pytest.mark.parametrize("gespeichert", [True, False])
def test_recalc_macro_reads_ist_from_the_live_book(tmp_path, gespeichert):
    """An Ist cell changed in the book without saving: „Neu berechnen“ shows it on „Soll-Ist“ and
    „Jahresabschluss“ (the saved file still holds the old value) — also for a book never saved."""
    kopie = tmp_path / "muenchen.xlsx"
    shutil.copy(MAPPEN / "muenchen.xlsx", kopie)
    book = _buch_aus_datei(kopie)
    if not gespeichert:
        book.fullname = "Mappe1"  # a new book in Excel: no file yet
    excel.neu_berechnen_in_mappe(book, zusatzblaetter=True)
    vorher = _summe_ist(book)
    ist = book.sheets["Ist"]
    kopf = ist.rows()[0]
    zelle = (2, kopf.index("Ausgaben") + 1)
    ist.cells[zelle] = ist.cells[zelle] + 1000.25  # not saved
    excel.neu_berechnen_in_mappe(book, zusatzblaetter=True)
    assert _summe_ist(book) == pytest.approx(vorher + 1000.25, abs=0.001)
    abschluss = book.sheets["Jahresabschluss"].rows()
    assert abschluss  # written from the book's „Ist“ as well
    if gespeichert:  # the file is unchanged and the CLI sees the old value
        cli = excel.excel_zeilen(zusatzblaetter(berechne_mappe(kopie))["Soll-Ist"])
        spalte = cli[0].index("Ist bis Stand")
        assert next(z[spalte] for z in cli if z and z[0] == "Summe") == pytest.approx(vorher, abs=0.001)


def test_recalc_macro_without_ist_sheet_writes_no_year_sheets(tmp_path):
    book = _fake_mappe("kgst", str(tmp_path / "kgst.xlsm"))
    excel.neu_berechnen_in_mappe(book, zusatzblaetter=True)
    assert "Soll-Ist" not in [s.name for s in book.sheets]
    assert not hasattr(excel._berechnung(book).mappe, "blattwerte")
