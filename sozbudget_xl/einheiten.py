"""Units of model inputs and outputs: one place decides how a value is shown.

Every Kennzahl and every column of a result table carries an :class:`Einheit` (declared in
the model's module, see :mod:`sozbudget_xl.spec`). Workbook number formats, annex text and
worksheet-function output all come from the unit; nothing guesses a unit from a German word.

>>> Einheit.EURO.anzeige(Decimal("1234.5"))
'1.234,50\\xa0€'
>>> Einheit.ANTEIL.anzeige(Decimal("0.4"))
'40,0\\xa0%'
>>> Einheit.STUNDEN.anzeige(Decimal("3450.5"))
'3.450,50\\xa0Std.'
>>> Einheit.ANZAHL.excel_format(3), Einheit.ANZAHL.excel_format(Decimal("74.4"))
('#,##0', '#,##0.00')
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Any

__all__ = ["EXCEL_FORMATE", "Einheit"]


class Einheit(StrEnum):
    """The unit of a value (its German name is the enum value)."""

    EURO = "Euro"
    DM = "DM"  # historic amounts in Deutsche Mark (Neunkirchen's cost basis)
    ANTEIL = "Anteil"  # a fraction 0..1, shown as percent
    ANZAHL = "Anzahl"  # counts, cases (may carry two decimals: 74,40 Fälle)
    STUNDEN = "Stunden"
    VOLLZEIT = "Vollzeitstellen"
    DATUM = "Datum"
    JAHR = "Jahr"
    ZAHL = "Zahl"  # a plain number without unit (factors, weights, raw indicator values)
    PUNKTE = "Punkte"  # index values, standard scores
    RANG = "Rang"
    FLAECHE = "Hektar"
    JA_NEIN = "Ja/Nein"
    TEXT = "Text"

    # ----------------------------------------------------------------- Excel
    def excel_format(self, wert: Any = None) -> str | None:
        """Excel number format code for a value of this unit (Excel stores codes locale-free;
        German Excel shows ``#,##0.00 "€"`` as 1.234,56 €). None: no number format (text)."""
        if self is Einheit.ANZAHL:
            return "#,##0" if _ganzzahlig(wert) else "#,##0.00"
        if self is Einheit.ANTEIL and wert is not None and not isinstance(wert, str):
            return "0.0%" if _stellen_prozent(wert) == 1 else "0.00%"
        return EXCEL_FORMATE.get(self)

    # ----------------------------------------------------------------- text
    def anzeige(self, wert: Any) -> str:
        """German display text (annexes, messages); None or empty → „–“."""
        from . import formats

        if wert is None or (isinstance(wert, str) and not wert.strip()):
            return "–"
        if isinstance(wert, bool):
            return "ja" if wert else "nein"
        if isinstance(wert, str):
            return wert
        if self is Einheit.EURO:
            return formats.betrag(wert)
        if self is Einheit.DM:
            return formats.zahl(wert, 2) + "\u00a0DM"
        if self is Einheit.ANTEIL:
            return formats.prozent(wert, _stellen_prozent(wert))
        if self is Einheit.DATUM and isinstance(wert, dt.date):
            return formats.datum(wert)
        if self in (Einheit.JAHR, Einheit.RANG):
            return str(int(wert))
        if self is Einheit.ANZAHL:
            d = Decimal(str(wert))
            return formats.zahl(d, 0 if d == d.to_integral_value() else 2)
        if self is Einheit.STUNDEN:
            return formats.zahl(wert, 2) + "\u00a0Std."
        if self is Einheit.VOLLZEIT:
            return formats.zahl(wert, 2) + "\u00a0VZ"
        if self is Einheit.FLAECHE:
            return formats.zahl(wert, 2) + "\u00a0ha"
        if self in (Einheit.ZAHL, Einheit.PUNKTE):
            d = Decimal(str(wert))
            return formats.zahl(d, 0 if d == d.to_integral_value() else 2)
        return str(wert)


def _stellen_prozent(wert: Any) -> int:
    """One decimal of a percent unless the share needs two (15,31 %)."""
    if type(wert) is float:  # its shortest text without exponent: thousandths at most → one decimal
        text = repr(wert)  # (as the Decimal of that text below, without building it; issue 15)
        if "e" not in text and "n" not in text:
            return 1 if len(text.partition(".")[2].rstrip("0")) <= 3 else 2
    try:
        d = Decimal(str(wert)) * 1000
    except Exception:  # text is shown as typed by formats.prozent's own error
        return 1
    return 1 if d == d.to_integral_value() else 2


#: Excel number format per unit (ANZAHL depends on the value, see :meth:`Einheit.excel_format`)
EXCEL_FORMATE: dict[Einheit, str] = {
    Einheit.EURO: '#,##0.00 "€"',
    Einheit.DM: '#,##0.00 "DM"',
    Einheit.ANTEIL: "0.0%",
    Einheit.STUNDEN: '#,##0.00 "Std."',
    Einheit.VOLLZEIT: "#,##0.00",
    Einheit.DATUM: "DD.MM.YYYY",
    Einheit.JAHR: "0",
    Einheit.ZAHL: "#,##0.00##",
    Einheit.PUNKTE: "#,##0.00##",
    Einheit.RANG: "0",
    Einheit.FLAECHE: '#,##0.00 "ha"',
}


def _ganzzahlig(wert: Any) -> bool:
    """Whether a count shows without decimals: None, an int, or a finite whole float/Decimal (an
    infinite or NaN value is no whole number: the writer refuses it with its own message)."""
    if wert is None or isinstance(wert, int):
        return True
    if isinstance(wert, float):
        return wert.is_integer()
    if isinstance(wert, Decimal):
        return wert.is_finite() and wert == wert.to_integral_value()
    return False
