"""The old chart block of an output sheet is found by a byte search for its title (issue 15):
the same block as reading columns A and B cell by cell, on sheets in the writer's layout; any
sheet where a title could hide from the search is read cell by cell as before."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sozbudget_xl.workbook import io as wio
from sozbudget_xl.workbook.schema import DIAGRAMM_PREFIX

_KOPF = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _stile() -> bytes:
    puffer = io.BytesIO()
    openpyxl.Workbook().save(puffer)
    return zipfile.ZipFile(puffer).read("xl/styles.xml")


_STILE = _stile()


def _blatt(zeilen: list[list[object]]) -> bytes:
    block = wio._block("Kennzahlen", zeilen, wio._Stile(_STILE), {}, False)
    return _KOPF + b"<worksheet " + _NS + b"><sheetData>" + block.zeilen_xml + b"</sheetData></worksheet>"


def _zelle_fuer_zelle(xml: bytes) -> list[list[object]]:
    """Columns A/B as the cell-by-cell path of ``_spalten_ab`` reads them (no shared strings)."""
    zeilen: dict[int, list[object]] = {}
    for z, spalte, _, v, _ in wio._rohzellen(xml, frozenset("AB")):
        if z:
            zeilen.setdefault(z, [None, None])["AB".index(spalte)] = v
    return [zeilen.get(z, [None, None]) for z in range(1, max(zeilen, default=0) + 1)]


_WERTE = st.sampled_from(
    [None, "", "  ", "Nord", "Süd & Ost", 3, 1.5, DIAGRAMM_PREFIX + "Träger", DIAGRAMM_PREFIX + "Sozialraum",
     "x " + DIAGRAMM_PREFIX, DIAGRAMM_PREFIX.strip()]
)  # fmt: skip
_ZEILEN = st.lists(st.lists(_WERTE, min_size=0, max_size=3), min_size=1, max_size=14)


@settings(max_examples=400, deadline=None)
@given(zeilen=_ZEILEN, stueck=st.integers(1, 400))
def test_the_byte_search_finds_the_same_block_as_reading_every_cell(zeilen: list[list[object]], stueck: int):
    """Also when the part comes in pieces of any size (as it inflates)."""
    xml = _blatt([["Kopf", "Wert"], *zeilen])
    schnell = wio._diagrammzeilen_schnell(xml)
    assert schnell is not None  # the writer's layout: never the slow path
    assert wio._diagrammblock(schnell) == wio._diagrammblock(_zelle_fuer_zelle(xml))
    stuecke = (xml[i : i + stueck] for i in range(0, len(xml), stueck))
    assert wio._diagrammblock(wio._diagrammzeilen_gestreamt(stuecke)) == wio._diagrammblock(schnell)


def test_rows_out_of_order_are_read_cell_by_cell() -> None:
    """Reading every cell orders the rows by number; the search reads them in document order:
    rows out of order (not written by Excel, LibreOffice or us) go the slow way."""
    titel = DIAGRAMM_PREFIX + "Träger"
    xml = _blatt([["Kopf", "Wert"], [titel], ["Träger", "Betrag"], ["T1", 5], ["T2", 6]])
    vertauscht = xml.replace(b'<row r="4">', b'<row r="X">').replace(b'<row r="5">', b'<row r="4">')
    vertauscht = vertauscht.replace(b'<row r="X">', b'<row r="5">')
    vertauscht = (
        vertauscht.replace(b'r="A4"', b'r="AX"').replace(b'r="A5"', b'r="A4"').replace(b'r="AX"', b'r="A5"')
    )
    assert wio._diagrammzeilen_schnell(xml) is not None
    assert wio._diagrammzeilen_schnell(vertauscht) is None
    assert wio._diagrammblock(_zelle_fuer_zelle(vertauscht)) == wio._diagrammblock(_zelle_fuer_zelle(xml))


def test_a_real_block_is_found_with_its_rows() -> None:
    titel = DIAGRAMM_PREFIX + "Träger"
    zeilen = [
        ["Kopf", "Wert"],
        ["a", 1],
        [],
        [titel],
        ["Träger", "Budget"],
        ["T1", 5],
        ["T2", 7],
        [None, 3],
        ["z", 1],
    ]
    block = wio._diagrammblock(wio._diagrammzeilen_schnell(_blatt(zeilen)))
    assert block == wio._Diagrammblock(titel, 4, 6, 7)


@pytest.mark.parametrize(
    "verdeckt",
    [b'<c r="A9" t="s"><v>0</v></c>', b'<c r="A9" t="str"><f>1</f><v>x</v></c>', b"<!-- x -->",
     b'<c r="A9" t="inlineStr"><is><r><t>Budget </t></r><r><t>nach X</t></r></is></c>',
     b'<c r="A9" t="inlineStr"><is><t>&#66;udget nach X</t></is></c>'],
)  # fmt: skip
def test_where_a_title_could_hide_every_cell_is_read(verdeckt: bytes) -> None:
    xml = _blatt([["Kopf", "Wert"], ["a", 1]]).replace(
        b"</sheetData>", b'<row r="9">' + verdeckt + b"</row></sheetData>"
    )
    assert wio._diagrammzeilen_schnell(xml) is None


def test_a_title_in_a_cell_of_another_layout_is_read_cell_by_cell() -> None:
    xml = _blatt([["Kopf", "Wert"]]).replace(
        b"</sheetData>",
        b'<row r="3"><c t="inlineStr" r="A3"><is><t>'
        + DIAGRAMM_PREFIX.encode()
        + b"X</t></is></c></row></sheetData>",
    )
    assert wio._diagrammzeilen_schnell(xml) is None
    assert wio._diagrammblock(_zelle_fuer_zelle(xml)) is not None


def test_a_broken_part_is_still_an_error() -> None:
    with pytest.raises(wio.etree.XMLSyntaxError):
        wio._diagrammzeilen_schnell(_blatt([["Kopf", DIAGRAMM_PREFIX + "X"]])[:-15])


def test_a_big_part_in_another_layout_is_streamed_with_the_same_cells(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Shared strings (openpyxl, Excel) hide titles from the search: a big part is then read cell by
    cell straight from the inflating zip entry, with the same cells as from its bytes."""
    monkeypatch.setattr(wio, "_STROM_AB", 1 << 10)
    zeilen = b"".join(
        b'<row r="%d"><c r="A%d" t="s"><v>%d</v></c><c r="B%d" s="1"><v>%d.5</v></c>' % (i, i, i % 7, i, i)
        + b'<c r="C%d"><v>1</v></c></row>' % i
        for i in range(1, 3000)
    )
    xml = b'<?xml version="1.0"?><worksheet ' + _NS + b"><sheetData>" + zeilen + b"</sheetData></worksheet>"
    puffer = io.BytesIO()
    with zipfile.ZipFile(puffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", xml)
    zf = zipfile.ZipFile(puffer)
    gestreamt = list(wio._rohzellen_von(zf, "xl/worksheets/sheet1.xml", frozenset("AB")))
    assert gestreamt == list(wio._rohzellen(xml, frozenset("AB")))
    assert len(gestreamt) == 2 * 2999 and gestreamt[0] == (1, "A", "s", "1", None)
