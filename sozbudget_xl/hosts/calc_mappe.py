"""A LibreOffice Calc document as the *book-like* object of the macros, and the menu commands.

The menu „Sozialraumbudget“ of the extension (Neu berechnen, Prüfen, Anlagen erzeugen) runs the
same code as the Excel macros and the xlwings Lite scripts: :func:`sozbudget_xl.excel.
neu_berechnen_in_mappe`, :func:`~sozbudget_xl.excel.pruefen_in_mappe` and
:func:`~sozbudget_xl.excel.anlagen_aus_mappe`, which read through
:func:`~sozbudget_xl.excel.lese_buch` into the one orchestration
:func:`sozbudget_xl.workbook.schema.berechne_mappendaten`. Only reading and writing cells is
Calc's here (UNO objects, duck-typed, so the adapter is tested with fakes and in Calc).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import math
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import unquote, urlparse

from .. import excel

__all__ = ["BEFEHLE", "CalcBuch", "befehl"]

_NULLDATUM = dt.datetime(1899, 12, 30)
_INHALT = 1 | 2 | 4 | 16  # CellFlags VALUE | DATETIME | STRING | FORMULA
_DATUM = 2  # NumberFormat type DATE (DATETIME = 6 includes it)
_STANDARD_DATUM = "DD.MM.YYYY"


def _als_datum(x: float) -> dt.date | dt.datetime:
    wert = _NULLDATUM + dt.timedelta(days=x)
    return wert.date() if wert.time() == dt.time() else wert


def _seriennummer(v: dt.date) -> float:
    if not isinstance(v, dt.datetime):
        v = dt.datetime.combine(v, dt.time())
    return (v - _NULLDATUM).total_seconds() / 86400


class _Bereich:
    """A cell range with the parts of xlwings' ``Range`` the macros use."""

    def __init__(self, blatt: _Blatt, uno_bereich: Any) -> None:
        self._blatt = blatt
        self._r = uno_bereich
        adresse = uno_bereich.getRangeAddress()
        self.row, self.column = adresse.StartRow + 1, adresse.StartColumn + 1

    def options(self, **_: Any) -> _Bereich:
        return self

    def _ist_datum(self, spalte: int, zeile: int) -> bool:
        schluessel = self._r.getCellByPosition(spalte, zeile).NumberFormat
        return self._blatt.buch.ist_datumsformat(schluessel)

    @property
    def value(self) -> list[list[Any]]:
        zeilen = []
        for i, r in enumerate(self._r.getDataArray()):
            zeile = []
            for j, v in enumerate(r):
                if isinstance(v, str) and v == "":
                    v = None
                elif isinstance(v, float) and math.isfinite(v) and self._ist_datum(j, i):
                    v = _als_datum(v)
                zeile.append(v)
            zeilen.append(zeile)
        return zeilen

    @value.setter
    def value(self, zeilen: list[list[Any]]) -> None:
        if not zeilen or not zeilen[0]:
            return
        breite = max(len(r) for r in zeilen)
        daten, datumszellen = [], []
        for i, r in enumerate(zeilen):
            aus = []
            for j, v in enumerate(list(r) + [None] * (breite - len(r))):
                if isinstance(v, dt.date):
                    datumszellen.append((j, i))
                aus.append(_calc_wert(v))
            daten.append(tuple(aus))
        blatt = self._r.getSpreadsheet()
        ziel = blatt.getCellRangeByPosition(
            self.column - 1, self.row - 1, self.column - 2 + breite, self.row - 2 + len(zeilen)
        )
        ziel.setDataArray(tuple(daten))
        for j, i in datumszellen:
            zelle = ziel.getCellByPosition(j, i)
            if not self._blatt.buch.ist_datumsformat(zelle.NumberFormat):
                zelle.NumberFormat = self._blatt.buch.datumsformat()

    def clear_contents(self) -> None:
        self._r.clearContents(_INHALT)


def _calc_wert(v: Any) -> Any:
    """A value for setDataArray: numbers float, dates serial, blanks "", texts as they are
    (Calc's setDataArray never interprets text, so the ' that keeps Excel from converting a
    text is dropped again)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, int | float):
        return float(v)
    if isinstance(v, dt.date):
        return _seriennummer(v)
    text = str(v)
    if text.startswith("'") and excel._als_text(text[1:]) == text:
        return text[1:]
    return text


class _Tabelle:
    def __init__(self, name: str, bereich: _Bereich, show_totals: bool = False) -> None:
        self.name, self.range, self.show_totals = name, bereich, show_totals


class _Tabellen(list):
    """The tables of a sheet: iterated like xlwings' ``sheet.tables``, indexed by name."""

    def __getitem__(self, schluessel: Any) -> Any:
        if isinstance(schluessel, str):
            return next(t for t in self if t.name == schluessel)
        return super().__getitem__(schluessel)


class _Blatt:
    def __init__(self, buch: CalcBuch, uno_blatt: Any) -> None:
        self.buch, self._s = buch, uno_blatt
        self.name = uno_blatt.getName()

    @property
    def used_range(self) -> _Bereich:
        cursor = self._s.createCursor()
        cursor.gotoStartOfUsedArea(False)
        cursor.gotoEndOfUsedArea(True)
        return _Bereich(self, cursor)

    def range(self, adresse: str) -> _Bereich:
        return _Bereich(self, self._s.getCellRangeByName(adresse))

    @property
    def tables(self) -> _Tabellen:
        """Database ranges on this sheet (Excel tables become these when Calc opens an .xlsx)."""
        aus = _Tabellen()
        bereiche = getattr(self.buch.dokument, "DatabaseRanges", None)
        nummer = self._s.getRangeAddress().Sheet
        for name in bereiche.getElementNames() if bereiche is not None else ():
            bereich = bereiche.getByName(name)
            adresse = bereich.getDataArea()
            if adresse.Sheet == nummer:
                uno = self._s.getCellRangeByPosition(
                    adresse.StartColumn, adresse.StartRow, adresse.EndColumn, adresse.EndRow
                )
                summen = bool(getattr(bereich, "TotalsRow", False))  # an Excel table's totals row
                aus.append(_Tabelle(name, _Bereich(self, uno), summen))
        return aus


class _Blaetter:
    def __init__(self, buch: CalcBuch) -> None:
        self._buch = buch
        self._uno = buch.dokument.getSheets()

    def __iter__(self) -> Iterator[_Blatt]:
        for name in self._uno.getElementNames():
            yield _Blatt(self._buch, self._uno.getByName(name))

    def __len__(self) -> int:
        return self._uno.getCount()

    def __getitem__(self, schluessel: str | int) -> _Blatt:
        if isinstance(schluessel, int):
            return _Blatt(self._buch, self._uno.getByIndex(schluessel))
        return _Blatt(self._buch, self._uno.getByName(schluessel))

    def add(self, name: str, after: _Blatt | None = None) -> _Blatt:
        namen = list(self._uno.getElementNames())
        stelle = namen.index(after.name) + 1 if after is not None else len(namen)
        self._uno.insertNewByName(name, stelle)
        return self[name]


class CalcBuch:
    """A Calc document with the parts of ``xlwings.Book`` the macros use."""

    def __init__(self, dokument: Any) -> None:
        self.dokument = dokument
        self.sheets = _Blaetter(self)
        self._formate: dict[int, bool] = {}

    @property
    def fullname(self) -> str:
        url = self.dokument.getURL()
        return unquote(urlparse(url).path) if url.startswith("file:") else url

    def ist_datumsformat(self, schluessel: int) -> bool:
        if schluessel not in self._formate:
            typ = self.dokument.getNumberFormats().getByKey(schluessel).Type
            self._formate[schluessel] = bool(typ & _DATUM)
        return self._formate[schluessel]

    def datumsformat(self) -> int:
        """The number format 15.02.2026 (format code in English keywords, whatever the UI language)."""
        formate = self.dokument.getNumberFormats()
        gebiet = self.dokument.CharLocale  # a copy of the struct: its fields may be set
        gebiet.Language, gebiet.Country, gebiet.Variant = "en", "US", ""
        schluessel = formate.queryKey(_STANDARD_DATUM, gebiet, False)
        return schluessel if schluessel >= 0 else formate.addNew(_STANDARD_DATUM, gebiet)


def _anlagen(buch: CalcBuch) -> str:
    """Annexes beside the document: DOCX only where docxtpl is in LibreOffice's Python. They
    render in LibreOffice's thread under the templates' time limit, which needs no signal
    handler (:mod:`sozbudget_xl.vorlagenschutz`)."""
    formate = ("docx", "html") if importlib.util.find_spec("docxtpl") else ("html",)
    dateien = excel.anlagen_aus_mappe(buch, formate=formate)
    if not dateien:
        return "Keine Vertragsanlagen erstellt: das Ergebnis enthält keine Positionen mit Träger."
    arten = ", ".join(f.upper() for f in formate)
    return f"{len(dateien)} Dateien ({arten}) erstellt im Ordner\n{dateien[0].parent}"


#: the menu entries: command of the URL ``service:de.sozbudget.Befehle?…`` → (German title, work)
BEFEHLE: dict[str, tuple[str, Callable[[Any], str]]] = {
    "neu_berechnen": ("Neu berechnen", excel.neu_berechnen_in_mappe),
    "pruefen": ("Prüfen", excel.pruefen_in_mappe),
    "anlagen": ("Anlagen erzeugen", _anlagen),
}


def befehl(name: str, dokument: Any) -> str:
    """Run a menu command on a Calc document; returns the German message to show."""
    if dokument is None or not hasattr(dokument, "getSheets"):
        return "Fehler: „Sozialraumbudget“ arbeitet nur in einer Tabelle (LibreOffice Calc)."
    if name not in BEFEHLE:
        return f"Fehler: unbekannter Befehl „{name}“"
    try:
        return BEFEHLE[name][1](CalcBuch(dokument))
    except Exception as exc:  # a message, never a traceback
        return excel.fehlertext(exc)
