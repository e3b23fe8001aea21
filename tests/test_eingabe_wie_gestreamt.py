"""Input sheets read by regular expressions (issue 15) against the streamed path (lxml, row by row,
cell by cell, as openpyxl's reader): for any sheet — rows with and without r, numbers openpyxl
cannot read, other attributes, cells of every type, styles, references and values, right and wrong —
the fast path either gives exactly what the streamed path gives or gives up (then openpyxl reads
the workbook, as it does when the streamed path gives up). It never reads a sheet the streamed path
would not read, and never reads it otherwise: a row r="x" once made it keep the rows above and drop
every row after it without a word. And the whole reader, put into a real workbook, reads such a
sheet as openpyxl does."""

from __future__ import annotations

import functools
import io as _io
import re
import zipfile
from pathlib import Path
from typing import Any
from unittest import mock

import openpyxl
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from sozbudget_xl.workbook import io

from .test_lesen_gestreamt import _blaetter_wie_openpyxl

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#: style 1 reads as a date, style 2 as a duration; three shared strings
_K = mock.Mock(datum=frozenset({1}), dauer=frozenset({2}), stile=3, texte=lambda: ["a", "b &amp; c", ""])

_WERTE = [
    "1", "0", "-0", "1.5", "1e5", "1E-3", "nan", "inf", "-inf", "1_000", " 5", "5 ", "", "x", "0x1",
    "00012", "1.", ".5", "+3", "1e400", "99999999999999999999", "\u0663", "&#49;", "1&amp;", "TRUE",
    "#N/A", "2024-01-01", "2024-01-01T10:00:00", "2", "3", "-1",
]  # fmt: skip
_TEXTE = ["a", "", " ", "x &amp; y", "&lt;", "Süd", "a\nb", "&#13;", "  lead", "_x0041_", "&#65;"]
_ZEILENATTRIBUTE = [
    ' spans="1:3"', ' hidden="1"', ' hidden="0"', ' hidden="true"', ' ht="20" customHeight="1"',
    ' x14ac:dyDescent="0.25"', ' outlineLevel="0"',
]  # fmt: skip


@st.composite
def _zelle(draw: st.DrawFn, z: int) -> str:
    zeile = draw(st.sampled_from([str(z)] * 3 + ["0", str(z + 1), "1048577", "x"]))
    spalte = draw(st.sampled_from(["A", "B", "C", "AA", "ZZZ", "XFD", "XFE", "a"]))
    attribute = f' r="{spalte}{zeile}"' if draw(st.integers(0, 9)) else ""
    if draw(st.booleans()):
        attribute += f' s="{draw(st.sampled_from(["0", "1", "2", "3", "x", ""]))}"'
    if typ := draw(st.sampled_from(["", "n", "s", "b", "e", "str", "inlineStr", "d", "q"])):
        attribute += f' t="{typ}"'
    inhalt = draw(st.sampled_from(["v", "is", "leer", "selbst", "f", "vleer"]))
    if inhalt == "v":
        return f"<c{attribute}><v>{draw(st.sampled_from(_WERTE))}</v></c>"
    if inhalt == "vleer":
        return f"<c{attribute}><v></v></c>"
    if inhalt == "is":
        raum = ' xml:space="preserve"' if draw(st.booleans()) else ""
        return f"<c{attribute}><is><t{raum}>{draw(st.sampled_from(_TEXTE))}</t></is></c>"
    if inhalt == "f":
        return f"<c{attribute}><f>1+1</f><v>{draw(st.sampled_from(_WERTE))}</v></c>"
    return f"<c{attribute}></c>" if inhalt == "leer" else f"<c{attribute}/>"


@st.composite
def _zeile(draw: st.DrawFn, z: int) -> str:
    r = draw(st.sampled_from([str(z)] * 6 + ["x", "", "0", str(z + 5), "99999999", None]))
    weitere = "".join(draw(st.lists(st.sampled_from(_ZEILENATTRIBUTE), max_size=2, unique=True)))
    r_attribut = "" if r is None else f' r="{r}"'
    attribute = weitere + r_attribut if draw(st.booleans()) else r_attribut + weitere
    zellen = draw(st.lists(_zelle(z), max_size=3))
    vorn = draw(st.sampled_from(["", "", "\n  "]))
    if not zellen and draw(st.booleans()):
        return f"{vorn}<row{attribute}/>"
    return f"{vorn}<row{attribute}>{''.join(zellen)}</row>"


@st.composite
def _zeilen(draw: st.DrawFn) -> str:
    """One to five rows, numbered from 1 (the cells and attributes of :func:`_zeile`)."""
    return "".join(draw(_zeile(z)) for z in range(1, draw(st.integers(1, 5)) + 1))


_blatt = _zeilen().map(
    lambda z: (
        f'<worksheet xmlns="{_MAIN}" xmlns:x14ac="urn:x"><sheetData>{z}</sheetData></worksheet>'.encode()
    )
)


def _gelesen(xml: bytes, schnell: bool) -> Any:
    """What a path reads, or None where it gives up (any exception: ``_lies_eingaben`` then lets
    openpyxl read the workbook)."""
    try:
        blatt = io._strom_blatt(xml, "Q", _K, schnell)[0]
    except Exception:
        return None
    versteckt = {z: d.hidden for z, d in blatt.row_dimensions.items()}
    werte = {z: w for z, w in blatt.werte.items() if w}
    return werte, blatt.fehler, blatt.hoechste, versteckt, blatt.formeln, blatt.ohne_wert


_R_X = (
    f'<worksheet xmlns="{_MAIN}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="x">'
    '<c r="A2"><v>2</v></c></row><row r="3"><c r="A3"><v>3</v></c></row></sheetData></worksheet>'
).encode()


@settings(max_examples=400, deadline=None)
@given(_blatt)
@example(_R_X)  # the rows after it were dropped
@example(_R_X.replace(b'<row r="x">', b'<row r="">'))
def test_the_fast_path_reads_what_the_streamed_path_reads_or_gives_up(xml: bytes) -> None:
    schnell = _gelesen(xml, True)
    if schnell is not None:
        assert schnell == _gelesen(xml, False)


@functools.cache
def _mappe() -> tuple[bytes, str, bytes]:
    """A workbook saved by openpyxl: „Parameter“ and „Daten“ with a table, style 1 a date and
    style 2 a duration; (its bytes, the part of „Daten“, that part's XML)."""
    from openpyxl.worksheet.table import Table

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Parameter"
    ws["A1"], ws["B1"] = "Modell", "kgst"
    daten = wb.create_sheet("Daten")
    for spalte, titel in zip("ABC", "abc", strict=True):
        daten[f"{spalte}1"] = titel
    for zeile, format_ in ((2, "General"), (3, "DD.MM.YYYY"), (4, "[h]:mm:ss")):
        daten[f"A{zeile}"] = 1
        daten[f"A{zeile}"].number_format = format_
    daten.add_table(Table(displayName="T", ref="A1:C4"))
    puffer = _io.BytesIO()
    wb.save(puffer)
    teil = "xl/worksheets/sheet2.xml"
    with zipfile.ZipFile(puffer) as zf:
        return puffer.getvalue(), teil, zf.read(teil)


def _mit_zeilen(zeilen: bytes) -> bytes:
    """:func:`_mappe` with ``zeilen`` as the rows of „Daten“."""
    basis, teil, xml = _mappe()
    xml = re.sub(
        rb"<sheetData>.*</sheetData>", lambda _: b"<sheetData>" + zeilen + b"</sheetData>", xml, flags=re.S
    )
    xml = xml.replace(b"<worksheet ", b'<worksheet xmlns:x14ac="urn:x" ', 1)
    neu = _io.BytesIO()
    with zipfile.ZipFile(_io.BytesIO(basis)) as zf, zipfile.ZipFile(neu, "w", zipfile.ZIP_DEFLATED) as aus:
        for info in zf.infolist():
            aus.writestr(info, xml if info.filename == teil else zf.read(info))
    return neu.getvalue()


@settings(max_examples=150, deadline=None)
@given(_zeilen())
def test_the_reader_reads_a_generated_sheet_as_openpyxl_does(
    tmp_path_factory: pytest.TempPathFactory, zeilen: str
) -> None:
    """Where both read the workbook, every value, error cell, hidden row, ``max_row`` and table of
    „Daten“ is openpyxl's. Left out: rows and cells numbered 0 (no spreadsheet program writes them;
    openpyxl then counts ``max_row`` 0), and sheets openpyxl refuses (the reader may be kinder, e.g.
    to an empty ``s``: it never reads what openpyxl reads otherwise)."""
    rumpf = zeilen.encode()
    assume(b'r="0"' not in rumpf and not re.search(rb'r="[A-Za-z]+0"', rumpf))
    daten = _mit_zeilen(rumpf)
    try:
        zf = io._oeffne_paket(daten, "m.xlsx")
        io._lies_eingaben(zf, io._Paket(zf, "m.xlsx"))
    except io._NichtGestreamt:
        return  # openpyxl reads the workbook
    pfad = Path(tmp_path_factory.mktemp("m")) / "m.xlsx"
    pfad.write_bytes(daten)
    try:
        openpyxl.load_workbook(pfad, data_only=True)
    except Exception:
        return
    _blaetter_wie_openpyxl(pfad)
