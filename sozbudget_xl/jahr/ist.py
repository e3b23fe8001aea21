"""Actual spending (Ist) of the budget year: the sheet „Ist“ and its CSV import (issue 16).

One row is one booking: Jahr (empty = Haushaltsjahr of the workbook), Monat (1–12, a month name
such as „Mai“, or a quarter „Q2“ = its last month), Träger, Sozialraum, Bereich (optional, e.g.
„a“/„b“ for Stuttgart's Teilbudgets), Ausgaben (€), Fälle (cases in that month, optional),
Fachleistungsstunden (optional). Rows of the previous year are the seasonal profile of the
forecast. The pure part turns raw rows (values with their cell) into :class:`Buchung` s and
reports every bad cell at once (sheet and cell named); :func:`lies_ist` is the thin openpyxl
adapter, :func:`csv_zeilen` reads the export of case-management software (``;``, German numbers).

>>> monat_aus("Mai"), monat_aus("Q3"), monat_aus(11.0)
(5, 9, 11)
"""

from __future__ import annotations

import csv
import io as _io
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..errors import EingabeFehler, MehrereFehler, SozbudgetError
from ..parsing import Ungueltig, als_text, konvertiere, leer, zeige

__all__ = [
    "BLATT",
    "KOPF",
    "Buchung",
    "buchungen_aus_zeilen",
    "csv_zeilen",
    "ist_blatt_zeilen",
    "lies_ist",
    "monat_aus",
]

BLATT = "Ist"
KOPF = (
    "Jahr",
    "Monat",
    "Träger",
    "Sozialraum",
    "Bereich",
    "Ausgaben",
    "Fälle",
    "Fachleistungsstunden",
    "Bemerkung",
)
_PFLICHT = ("Monat", "Ausgaben")
MONATE = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
_KURZ = {m[:3].casefold(): i for i, m in enumerate(MONATE, start=1)}
_KURZ["mrz"] = 3
_KURZ["mae"] = 3


@dataclass(frozen=True)
class Buchung:
    """One booking of actual spending (amounts exact to the cent)."""

    monat: int
    ausgaben: Decimal
    traeger: str | None = None
    sozialraum: str | None = None
    jahr: int | None = None
    bereich: str | None = None
    faelle: Decimal | None = None
    stunden: Decimal | None = None
    bemerkung: str = ""


def monat_aus(wert: Any) -> int:
    """The month 1–12 of a cell: a number, a German month name (or its first three letters) or a
    quarter „Q1“…„Q4“/„1. Quartal“ (booked in the quarter's last month). ``ValueError`` otherwise."""
    if isinstance(wert, bool):
        raise ValueError(wert)
    if isinstance(wert, int | float | Decimal):
        if wert != int(wert) or not 1 <= int(wert) <= 12:
            raise ValueError(wert)
        return int(wert)
    text = str(wert).strip().casefold().rstrip(".")
    if text.isdigit():
        return monat_aus(int(text))
    quartal = text.replace("quartal", "q").replace(" ", "").replace(".", "")
    if len(quartal) == 2 and "q" in quartal and quartal.replace("q", "") in "1234":
        return 3 * int(quartal.replace("q", ""))
    if text[:3] in _KURZ and (
        len(text) == 3 or text == "sept" or MONATE[_KURZ[text[:3]] - 1].casefold() == text
    ):
        return _KURZ[text[:3]]
    raise ValueError(wert)


def _spalten(kopf: Sequence[Any]) -> dict[str, int]:
    namen = {k.casefold(): k for k in KOPF}
    namen.update({"ist": "Ausgaben", "betrag": "Ausgaben", "fls": "Fachleistungsstunden", "quartal": "Monat"})
    spalten: dict[str, int] = {}
    for i, titel in enumerate(kopf):
        k = namen.get(als_text(titel).casefold()) if not leer(titel) else None
        if k and k not in spalten:
            spalten[k] = i
    return spalten


def _zahl(typ: str, wert: Any, zelle: str, blatt: str, titel: str, fehler: list[SozbudgetError]) -> Any:
    if leer(wert):
        return None
    try:
        return konvertiere(typ, wert)
    except Ungueltig as exc:
        fehler.append(
            exc.klasse(
                exc.meldung, sheet=blatt, cell=zelle, field=titel, expected=exc.expected, found=exc.found
            )
        )
        return None


def _buchung(
    werte: Mapping[str, tuple[Any, str]], blatt: str, fehler: list[SozbudgetError]
) -> Buchung | None:
    """One row (title → (value, cell)) as a booking; bad cells go to ``fehler``."""
    vorher = len(fehler)
    monat = 0
    wert, zelle = werte["Monat"]
    try:
        monat = monat_aus(wert)
    except (ValueError, TypeError):
        fehler.append(
            EingabeFehler(
                "Monat fehlt" if leer(wert) else "unbekannter Monat", sheet=blatt, cell=zelle, field="Monat",
                expected="1–12, Januar–Dezember oder Q1–Q4", found=None if leer(wert) else zeige(wert),
            )
        )  # fmt: skip
    ausgaben = _zahl("betrag", *werte["Ausgaben"], blatt, "Ausgaben", fehler) if "Ausgaben" in werte else None
    if leer(werte["Ausgaben"][0]):
        fehler.append(
            EingabeFehler("Ausgaben fehlen", sheet=blatt, cell=werte["Ausgaben"][1], field="Ausgaben")
        )
    jahr = _zahl("ganzzahl", *werte["Jahr"], blatt, "Jahr", fehler) if "Jahr" in werte else None
    faelle = _zahl("zahl", *werte["Fälle"], blatt, "Fälle", fehler) if "Fälle" in werte else None
    stunden = (
        _zahl("zahl", *werte["Fachleistungsstunden"], blatt, "Fachleistungsstunden", fehler)
        if "Fachleistungsstunden" in werte
        else None
    )
    if len(fehler) > vorher:
        return None

    def text(titel: str) -> str | None:
        w = werte.get(titel, (None, ""))[0]
        return None if leer(w) else als_text(w) or None

    return Buchung(
        monat, ausgaben, text("Träger"), text("Sozialraum"), jahr, text("Bereich"), faelle, stunden,
        text("Bemerkung") or "",
    )  # fmt: skip


def buchungen_aus_zeilen(
    zeilen: Iterable[Sequence[Any]], *, blatt: str = BLATT, zellname: Any = None
) -> list[Buchung]:
    """Bookings from raw rows (first row: header). ``zellname(zeile, spalte)`` names a cell
    (0-based; default: Excel style A1). Raises one :class:`MehrereFehler` with every bad cell, or
    an :class:`EingabeFehler` when a mandatory column is missing; empty rows are skipped."""
    from ..workbook.schema import spaltenbuchstabe  # no openpyxl: runs in Calc and xlwings Lite too

    def standard(z: int, s: int) -> str:
        return f"{spaltenbuchstabe(s + 1)}{z + 1}"

    zellname = zellname or standard
    it = iter(zeilen)
    kopf = next(it, None)
    if kopf is None:
        return []
    spalten = _spalten(kopf)
    fehlend = [t for t in _PFLICHT if t not in spalten]
    if fehlend:
        raise EingabeFehler(
            f"Spalte „{fehlend[0]}“ fehlt",
            sheet=blatt,
            cell=zellname(0, 0),
            expected="Kopfzeile " + "; ".join(KOPF),
            found="; ".join(als_text(k) for k in kopf if not leer(k)),
        )
    fehler: list[SozbudgetError] = []
    buchungen: list[Buchung] = []
    for z, zeile in enumerate(it, start=1):
        if all(leer(w) for w in zeile):
            continue
        werte = {t: (zeile[s] if s < len(zeile) else None, zellname(z, s)) for t, s in spalten.items()}
        b = _buchung(werte, blatt, fehler)
        if b is not None:
            buchungen.append(b)
    if fehler:
        raise MehrereFehler(fehler)
    return buchungen


def lies_ist(pfad: str | os.PathLike[str]) -> list[Buchung] | None:
    """The bookings of the sheet „Ist“ of a workbook; ``None`` when it has no such sheet."""
    import warnings

    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(str(pfad), read_only=True, data_only=True)
    try:
        if BLATT not in wb.sheetnames:
            return None
        return buchungen_aus_zeilen(wb[BLATT].iter_rows(values_only=True))
    finally:
        wb.close()


def csv_zeilen(text: str) -> list[list[str]]:
    """Rows of a CSV export (``;``-separated, German numbers stay text for the cell parsers)."""
    text = text.removeprefix("\ufeff")
    return [list(z) for z in csv.reader(_io.StringIO(text), delimiter=";")]


def ist_blatt_zeilen(buchungen: Iterable[Buchung]) -> list[list[Any]]:
    """The sheet „Ist“ as rows (header first) for the writer; amounts as floats to the cent."""
    zeilen: list[list[Any]] = [list(KOPF)]
    for b in buchungen:
        zeilen.append(
            [
                b.jahr,
                b.monat,
                b.traeger,
                b.sozialraum,
                b.bereich,
                float(b.ausgaben),
                None if b.faelle is None else float(b.faelle),
                None if b.stunden is None else float(b.stunden),
                b.bemerkung or None,
            ]
        )
    return zeilen
