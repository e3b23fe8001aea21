"""Body rows rendered a run at a time (issue 15): the same bytes, column widths, digest, styles and
errors as rendering them one by one (``zeilenlaeufe``), on sheets drawn at random and on the
sheets of a real recalc; a text is taken as its own cell text only where the general conversion
would leave it so."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from sozbudget_xl.errors import SozbudgetError
from sozbudget_xl.workbook import io as wio
from sozbudget_xl.workbook import recalc, schema
from sozbudget_xl.workbook import zeilenlaeufe as zl

WORKBOOKS = Path(__file__).resolve().parent.parent / "workbooks"


def _stile_xml() -> bytes:
    puffer = io.BytesIO()
    openpyxl.Workbook().save(puffer)
    return zipfile.ZipFile(puffer).read("xl/styles.xml")


_STILE = _stile_xml()

_TEXTE = st.one_of(
    st.sampled_from(
        ["Quartier 00001", "Träger A", "", " vorn", "hinten ", "a & b", "x < y", "_x000D_", "zwei\nZeilen",
         "CR\r", "tab\tin", "nbsp\u00a0x", "L" * 61, "M" * 60, "Anführung \"a\" 'b'", "50 %", "%s", "\x01"]
    ),
    st.text(max_size=70),
)  # fmt: skip
_GANZ = st.one_of(
    st.integers(-(10**3), 10**6), st.integers(-(10**14), 10**14), st.sampled_from([0, -1, 2027])
)
_KOMMA = st.one_of(
    st.floats(-1e6, 1e6),
    st.sampled_from([0.0, -0.0, 2027.0, -5.0, 0.1 + 0.2, 1e-7, 999_999_999_999_999.0, 12.5]),
)
#: rare: what the general way refuses or writes otherwise
_ANDERE = st.sampled_from(
    [
        None,
        True,
        False,
        dt.date(2026, 3, 1),
        Decimal("1.25"),
        float("nan"),
        float("-inf"),
        1e15,
        -(10**16),
        "\x01",
    ]
)
_CODES = st.sampled_from([None, "#,##0", '#,##0.00 "€"', "0.0%", "50 %"])


@st.composite
def _blaetter(draw: Any) -> schema.Blatt:
    spalten = draw(st.integers(1, 5))
    arten = [draw(st.sampled_from(["text", "ganz", "komma", "zahl", "leer"])) for _ in range(spalten)]
    werte = {
        "text": _TEXTE,
        "ganz": _GANZ,
        "komma": _KOMMA,
        "zahl": st.one_of(_GANZ, _KOMMA),
        "leer": st.none(),
    }
    alle = st.one_of(_TEXTE, _GANZ, _KOMMA, st.none())
    anders = draw(st.sampled_from([0, 0, 0.02, 0.1, 0.3]))  # share of cells not of their column's kind
    selten = draw(st.sampled_from([0, 0, 0, 0.001, 0.01]))  # share of other values (and errors)
    zeilen = []
    for _ in range(draw(st.integers(0, 60))):
        zeile = []
        for art in arten:
            wahl = draw(st.floats(0, 1))
            zeile.append(draw(_ANDERE if wahl < selten else alle if wahl < anders else werte[art]))
        if draw(st.integers(0, 40)) == 0:
            zeile = zeile[:-1]  # a shorter row
        zeilen.append(zeile)
    blatt = schema.Blatt(zeilen)
    codes = [draw(_CODES) for _ in range(spalten)]
    for z in range(len(zeilen)):
        eigen = draw(st.integers(0, 15)) == 0
        blatt.formate.setze_zeile(z, [draw(_CODES) for _ in range(spalten)] if eigen else codes)
        wahl = draw(st.integers(0, 30))
        if wahl == 0:
            blatt.arten[z] = draw(st.sampled_from(["kopf", "titel", "summe"]))
        elif wahl == 1:
            blatt.hoehen[z] = draw(st.sampled_from([30.0, 45.0, 15.5]))
        elif wahl == 2:
            hoch = draw(st.integers(1, 30))  # a stretch of taller rows, as for wrapped texts
            for h in range(z, min(z + hoch, len(zeilen))):
                blatt.hoehen[h] = 30.0
        if draw(st.integers(0, 25)) == 0:
            blatt.umbruch.add((z, draw(st.integers(0, spalten - 1))))
    if draw(st.booleans()):
        blatt.breiten = [draw(st.sampled_from([8.0, 12.5, 50.0])) for _ in range(spalten)]
    return blatt


def _gerendert(blatt: schema.Blatt) -> tuple[Any, ...]:
    """(XML, widths, digest, styles part) of the sheet, or the error it raises."""
    stile = wio._Stile(_STILE)
    try:
        block = wio._block("Kennzahlen", blatt, stile, {}, False, blatt)
    except SozbudgetError as exc:
        return ("Fehler", str(exc))
    return block.zeilen_xml, block.breiten, block.pruefsumme, etree.tostring(stile.root)


def _zeile_fuer_zeile(blatt: schema.Blatt, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, ...]:
    with monkeypatch.context() as m:
        m.setattr(zl, "LAUF_MIN", 10**9)
        return _gerendert(blatt)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blatt=_blaetter(), lauf_min=st.sampled_from([1, 2, 8]), lauf_max=st.sampled_from([1, 3, 512]))
def test_runs_render_as_row_by_row(
    blatt: schema.Blatt, lauf_min: int, lauf_max: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the rows hold — texts to escape, long and multi-line texts, −0.0, NaN, numbers
    out of range, booleans, dates, Decimals, shorter rows, row kinds, taller rows, wrapped cells,
    number formats per row, given or measured widths —, runs give what one row at a time gives."""
    erwartet = _zeile_fuer_zeile(blatt, monkeypatch)
    with monkeypatch.context() as m:
        m.setattr(zl, "LAUF_MIN", lauf_min)
        m.setattr(zl, "LAUF_MAX", lauf_max)
        assert _gerendert(blatt) == erwartet


@given(st.lists(_TEXTE, min_size=1, max_size=5))
def test_a_plain_text_is_its_own_cell_text(texte: list[str]) -> None:
    """``schlicht``: only texts the general conversion leaves as they are (no escape, no line
    break, no space kept at an end); then their cell XML is the plain one."""
    if zl.schlicht(texte):
        for t in texte:
            eintrag = wio._texteintrag(wio._zelltext(t, "Blatt", "A1"))
            assert eintrag[:2] == (t, t) and eintrag[3:5] == (len(t), "")
            assert eintrag[2] == (len(t) > wio._UMBRUCH_AB)


def test_plain_texts_are_told_apart() -> None:
    assert zl.schlicht(["Quartier 00001", "Träger „Nord“ (Büro)", ""])
    for t in [" vorn", "hinten ", "a&b", "<", "_x0041_", "zwei\nZeilen", "\r", "\u00a0", "\x01", "\ufffe"]:
        assert not zl.schlicht(["ok", t]), t


def test_the_sheets_of_a_real_recalc_are_rendered_in_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The example workbook's output sheets (with „Ist“: the year's sheets too): most body rows go
    in runs, and every sheet renders exactly as row by row."""
    b = recalc._ohne_tabellen(recalc.berechne_mappe(WORKBOOKS / "celle.xlsx"))
    ausgaben = schema.ausgaben(b.ergebnis)
    ausgaben.update(recalc.zusatzblaetter(b))
    im_lauf = []
    echt = zl.lauf_xml

    def zaehlen(r: Any, start: int, lauf: Any, *rest: Any) -> bytes | None:
        xml = echt(r, start, lauf, *rest)
        im_lauf.append(len(lauf) if xml is not None else 0)
        return xml

    monkeypatch.setattr(zl, "lauf_xml", zaehlen)
    for name, blatt in ausgaben.items():
        if isinstance(blatt, schema.Blatt):
            assert _gerendert(blatt) == _zeile_fuer_zeile(blatt, monkeypatch), name
    assert sum(im_lauf) > 0


def _gleich_wie_zeilen(blatt: schema.Blatt, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, ...]:
    """The sheet rendered in runs (asserting one was taken) and row by row; both results."""
    genommen = []
    echt = zl.lauf_xml

    def zaehlen(*args: Any) -> bytes | None:
        xml = echt(*args)
        genommen.append(xml is not None)
        return xml

    with monkeypatch.context() as m:
        m.setattr(zl, "lauf_xml", zaehlen)
        in_laeufen = _gerendert(blatt)
    return in_laeufen, _zeile_fuer_zeile(blatt, monkeypatch), genommen


def test_a_nan_inside_a_run_is_refused_as_row_by_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """min() and max() do not see a NaN after the first value: it must still be refused."""
    blatt = schema.Blatt([["Betrag"], *([float(i)] for i in range(20)), [float("nan")], [1.5]])
    blatt.arten[0] = "kopf"
    in_laeufen, zeilen, _ = _gleich_wie_zeilen(blatt, monkeypatch)
    assert in_laeufen == zeilen and zeilen[0] == "Fehler" and "NaN" in zeilen[1] and "A22" in zeilen[1]


def test_a_wrapped_short_text_inside_a_run_keeps_its_style(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cell marked wrapped (schema.Blatt.umbruch) is styled as a long text, also where its
    neighbours would go in a run."""
    zeilen = [["Name"], ["L" * 70], *([f"Quartier {i:05d}"] for i in range(30))]
    blatt = schema.Blatt(zeilen)
    blatt.arten[0] = "kopf"
    blatt.umbruch.add((20, 0))
    in_laeufen, einzeln, _ = _gleich_wie_zeilen(blatt, monkeypatch)
    assert in_laeufen == einzeln  # the run around it is rendered row by row
    xml = einzeln[0].decode()

    def stil(ref: str) -> str:
        return re.search(f'<c r="{ref}"( s="\\d+")?', xml).group(1) or ""

    assert stil("A21") == stil("A2") != stil("A22")  # the wrapped cell as the long text above


def test_whole_floats_and_minus_zero_in_a_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """A whole float is written without ".0", −0.0 as 0, ints and floats mixed in one column."""
    werte = [2027.0, -0.0, 0.1 + 0.2, 5, -3, 1e-7, 999_999_999_999_999.0, 12.5] * 3
    blatt = schema.Blatt([["Wert"], *([w] for w in werte)])
    blatt.arten[0] = "kopf"
    in_laeufen, einzeln, genommen = _gleich_wie_zeilen(blatt, monkeypatch)
    assert in_laeufen == einzeln and any(genommen)
    assert b"<v>2027</v>" in einzeln[0] and b"<v>0</v>" in einzeln[0] and b"<v>-0<" not in einzeln[0]
    assert b"<v>0.30000000000000004</v>" in einzeln[0] and b"<v>999999999999999</v>" in einzeln[0]


@given(
    zeilen=st.lists(st.integers(1, 1_048_576), max_size=40),
    spalten=st.lists(st.sampled_from(["A", "B", "Z", "AA", "XFD"]), max_size=6),
)
def test_references_of_a_run_row_by_row(zeilen: list[int], spalten: list[str]) -> None:
    """The digest's references of a run (one C call per row) are each cell's reference, row by row."""
    zs = [str(z) for z in zeilen]
    erwartet = "\x1f".join(b + z for z in zs for b in spalten).encode()
    assert zl._referenzen(zs, spalten) == erwartet
