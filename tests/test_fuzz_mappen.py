"""Fuzzing whole workbooks: random valid and invalid workbooks of every model through the batch path.

Each example starts from a model's worked example (``schema.beispiel_daten``), changes cells per
column type (plausible values mostly; junk sometimes: wrong types, negatives, huge numbers,
NaN/∞, blanks, formula-like text, unicode, very long text), may add or drop rows, drop a
column or a sheet, writes the workbook with openpyxl (tables as real Excel tables, the contract
layout) and recalculates it into a temporary folder with :func:`recalc.neu_berechnen`.

The outcome must be either a result whose output sheet „Ergebnis“ adds up exactly (line items
= Summe row = the model's total, to the cent) or a :class:`SozbudgetError` with a German message —
never another exception.
"""

from __future__ import annotations

import datetime as dt
import math
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from sozbudget_xl.errors import SozbudgetError
from sozbudget_xl.models import MODELLE
from sozbudget_xl.workbook import recalc, schema

EINSTELLUNGEN = settings(
    max_examples=45,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: characters openpyxl can store (no control characters, no surrogates)
ZEICHEN = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
TEXTE = st.one_of(
    st.text(ZEICHEN, min_size=1, max_size=20),
    st.sampled_from(
        ['=HYPERLINK("http://evil","x")', "@SUM(1)", "+1+1", "-2+3", "=1/0", "Jugendhilfe Süd ✓"]
    ),
    st.text(ZEICHEN, min_size=300, max_size=2000),
)
JUNK = st.one_of(
    st.none(),
    st.just(""),
    st.just("   "),
    TEXTE,
    st.booleans(),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
    st.integers(-(10**6), -1),
    st.sampled_from([1e15, -1e15, 1e308, math.inf, -math.inf, math.nan, 10**30, 1e-9]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["1.234,56 €", "12,5 %", "-0,01", "31.02.2026", "15.01.2026", "ja", "vielleicht"]),
)


def plausibel(typ: str, alt: Any) -> st.SearchStrategy[Any]:
    """A value a careful user could type into a cell of this type (the model may still refuse it)."""
    if typ == "betrag":
        return st.integers(0, 5 * 10**8).map(lambda c: c / 100)
    if typ == "zahl":
        return st.one_of(st.integers(0, 5000), st.integers(0, 10**6).map(lambda x: x / 100))
    if typ == "ganzzahl":
        return st.integers(0, 50) if not isinstance(alt, int) or alt < 1900 else st.integers(2000, 2040)
    if typ == "prozent":
        return st.just(alt) if alt is not None else st.integers(0, 100).map(lambda x: x / 100)
    if typ == "ja_nein":
        return st.sampled_from(["ja", "nein", True, False, "Ja", "x"])
    if typ == "datum":
        return st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31))
    return st.just(alt)  # text and lists: names refer to each other, keep them


def _setze(zelle: Any, wert: Any) -> None:
    zelle.value = wert
    if isinstance(wert, str) and wert.startswith("="):
        zelle.data_type = "s"  # typed text, as Excel stores '=…


def schreibe_mappe(
    pfad: Path,
    name: str,
    parameter: dict[str, Any],
    tabellen: dict[str, list[dict[str, Any]]],
    *,
    ohne_blatt: str | None = None,
    ohne_spalte: tuple[str, str] | None = None,
) -> None:
    """The workbook by the contract layout: „Parameter“ (A Bezeichnung, B Wert) and one sheet per table
    holding an Excel table at A1."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Parameter"
    ws.append(["Bezeichnung", "Wert", "Hinweis"])
    for zeile, (titel, wert) in enumerate(parameter.items(), start=2):
        ws.cell(zeile, 1).value = titel
        _setze(ws.cell(zeile, 2), wert)
    for t in schema.schema(name).tabellen:
        zeilen = tabellen.get(t.name, [])
        kopf = list(dict.fromkeys([*(k for z in zeilen for k in z), *(s.titel for s in t.spalten)]))
        if ohne_spalte is not None and ohne_spalte[0] == t.name:
            kopf = [k for k in kopf if k != ohne_spalte[1]] or kopf
        ws = wb.create_sheet(t.blatt)
        for s, titel in enumerate(kopf, start=1):
            ws.cell(1, s).value = titel
        for z, werte in enumerate(zeilen, start=2):
            for s, titel in enumerate(kopf, start=1):
                _setze(ws.cell(z, s), werte.get(titel))
        ref = f"A1:{get_column_letter(len(kopf))}{max(len(zeilen) + 1, 2)}"
        tabelle = Table(displayName=t.name, ref=ref)
        tabelle.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
        ws.add_table(tabelle)
    if ohne_blatt is not None and ohne_blatt in wb.sheetnames:
        wb.remove(wb[ohne_blatt])
    wb.save(pfad)


@st.composite
def mappen(draw: st.DrawFn, *, junk: bool) -> dict[str, Any]:
    """A model's example with changed cells (and, with ``junk``, broken structure)."""
    name = draw(st.sampled_from(MODELLE))
    ms = schema.schema(name)
    parameter, tabellen = schema.beispiel_daten(name)
    parameter = dict(parameter)
    tabellen = {k: [dict(z) for z in v] for k, v in tabellen.items()}
    quote = 0.3 if junk else 0.15

    def neuer_wert(typ: str, alt: Any) -> Any:
        if junk and draw(st.booleans()):
            return draw(JUNK)
        return draw(plausibel(typ, alt))

    for p in ms.parameter:
        if p.titel != "Modell" and draw(st.floats(0, 1)) < quote / 3:
            parameter[p.titel] = neuer_wert(p.typ, parameter.get(p.titel))
    for t in ms.tabellen:
        zeilen = tabellen.setdefault(t.name, [])
        for zeile in zeilen:
            for s in t.spalten:
                if draw(st.floats(0, 1)) < quote:
                    zeile[s.titel] = neuer_wert(s.typ, zeile.get(s.titel))
        if junk and zeilen and draw(st.integers(0, 9)) == 0:
            zeilen.append({s.titel: draw(JUNK) for s in t.spalten})
        if zeilen and draw(st.integers(0, 9)) == 0:
            del zeilen[draw(st.integers(0, len(zeilen) - 1))]
    ohne_blatt = ohne_spalte = None
    if junk and draw(st.integers(0, 5)) == 0:
        ohne_blatt = draw(st.sampled_from(["Parameter", *(t.blatt for t in ms.tabellen)]))
    if junk and draw(st.integers(0, 5)) == 0:
        t = draw(st.sampled_from(ms.tabellen))
        ohne_spalte = (t.name, draw(st.sampled_from([s.titel for s in t.spalten])))
    return {
        "name": name,
        "parameter": parameter,
        "tabellen": tabellen,
        "ohne_blatt": ohne_blatt,
        "ohne_spalte": ohne_spalte,
    }


def _cent(wert: Any) -> int:
    assert isinstance(wert, int | float) and not isinstance(wert, bool), wert
    cent = round(wert * 100)
    assert abs(wert * 100 - cent) < 1e-6 * max(1.0, abs(wert)), wert  # a cent amount, no fraction
    return cent


def rechnen_und_pruefen(m: dict[str, Any]) -> str:
    """Write, recalculate, and check the outcome; returns "<model>: Ergebnis" or "<model>: <error class>"."""
    with tempfile.TemporaryDirectory() as ordner:
        pfad = Path(ordner) / f"{m['name']}.xlsx"
        schreibe_mappe(
            pfad,
            m["name"],
            m["parameter"],
            m["tabellen"],
            ohne_blatt=m["ohne_blatt"],
            ohne_spalte=m["ohne_spalte"],
        )
        try:
            z = recalc.neu_berechnen(pfad, ausgabeordner=Path(ordner) / "aus")
        except SozbudgetError as exc:
            text = str(exc)
            assert text.strip() and "Traceback" not in text and "interner Fehler" not in text, text
            return f"{m['name']}: {type(exc).__name__}"
        assert z.ok and z.modell == m["name"] and not z.ergebnisdatei
        assert isinstance(z.gesamt, Decimal)
        ergebnis = list(
            openpyxl.load_workbook(z.geschrieben, read_only=True)["Ergebnis"].iter_rows(values_only=True)
        )
        kopf = list(ergebnis[0])
        betrag, position = kopf.index("Betrag"), kopf.index("Position")
        posten = [r for r in ergebnis[1:] if isinstance(r[0], int)]
        (summe,) = [r for r in ergebnis[1:] if r[position] == "Summe"]
        assert len(posten) == z.positionen
        assert sum(_cent(r[betrag]) for r in posten) == _cent(summe[betrag]) == int(z.gesamt * 100)
        return f"{m['name']}: Ergebnis"


@EINSTELLUNGEN
@given(mappen(junk=False))
def test_plausible_mappen_rechnen_centgenau(m: dict[str, Any]) -> None:
    """A workbook with plausible random values gives either exact totals on „Ergebnis“ (items = Summe =
    model total, to the cent) or a German SozbudgetError — never another exception."""
    ausgang = rechnen_und_pruefen(m)
    event(ausgang)
    assert ausgang.startswith(m["name"])


@EINSTELLUNGEN
@given(mappen(junk=True))
def test_kaputte_mappen_geben_nur_sozbudgetfehler(m: dict[str, Any]) -> None:
    """Junk values, extra junk rows, missing columns and missing sheets end in a SozbudgetError or in
    exact totals — never in another exception."""
    ausgang = rechnen_und_pruefen(m)
    event(ausgang)
    assert ausgang.startswith(m["name"])


def test_unveraenderte_beispiele_rechnen() -> None:
    """The fuzz builder itself is sound: every model's unchanged example written by it recalculates
    with exact totals (so the fuzz tests reach the success path)."""
    for name in MODELLE:
        parameter, tabellen = schema.beispiel_daten(name)
        m = {
            "name": name,
            "parameter": parameter,
            "tabellen": tabellen,
            "ohne_blatt": None,
            "ohne_spalte": None,
        }
        assert rechnen_und_pruefen(m) == f"{name}: Ergebnis"
