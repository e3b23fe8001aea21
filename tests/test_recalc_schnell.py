"""Recalc near the floor (issue 15, item 1): the reader parses only the input sheets, the writer's
output is verified from the XML it wrote (no second openpyxl parse), each value converted once."""

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
from hypothesis import given, settings
from hypothesis import strategies as st

from sozbudget_xl.errors import SozbudgetError
from sozbudget_xl.workbook import io as wio
from tests.test_workbook_io import AUSGABEN, baue_mappe, patch_zip, setze_cache

BESONDERE = {
    "Ergebnis": [
        ["Text", "Zahl", "Wahr", "Datum"],
        ["a & b < c > d", Decimal("-0.004"), True, dt.date(2026, 2, 28)],
        ["  Leerzeichen \r\nZeilen ", 1e-7, False, dt.datetime(2026, 1, 1, 12, 30)],
        ["_x000D_ bleibt", -0.0, None, dt.time(8, 15)],
        ["\"Anführung\" 'einfach'", 2**40, "", 123456789.125],
    ]
}


@pytest.fixture
def mappe(tmp_path: Path) -> Path:
    pfad = baue_mappe(tmp_path / "Haushalt.xlsx")
    setze_cache(pfad, "xl/worksheets/sheet2.xml", "B3", "2026")
    return pfad


def _langsam(xml: bytes) -> bytes:
    return wio._pruefsumme_aus(wio._geschriebene_zellen(xml))


def test_fast_decoder_agrees_with_the_xml_parser_and_the_rendered_digest(mappe: Path) -> None:
    """Escaped text, CR, blanks, _xHHHH_, −0, tiny floats, booleans, dates, times: the regular
    expression decodes exactly what lxml decodes, and both equal the digest made while rendering."""
    wio.schreibe_ausgaben(mappe, BESONDERE)
    with zipfile.ZipFile(mappe) as zf:
        paket = wio._Paket(zf, mappe.name)
        xml = zf.read(paket.blatt("Ergebnis").teil)
    stile = wio._Stile(zipfile.ZipFile(mappe).read("xl/styles.xml"))
    block = wio._block("Ergebnis", BESONDERE["Ergebnis"], stile, {}, False)
    schnell = wio._pruefsumme_schnell(xml)
    assert schnell is not None  # the layout of the writer: no fallback
    assert schnell == _langsam(xml) == block.pruefsumme
    wb = openpyxl.load_workbook(mappe)
    assert wb["Ergebnis"]["A2"].value == "a & b < c > d"
    assert wb["Ergebnis"]["B3"].value == 1e-7


def test_fast_decoder_falls_back_on_another_layout() -> None:
    """A cell the expression does not cover (other attribute order) is not silently skipped."""
    xml = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1"><v>1</v></c><c t="b" r="B1"><v>1</v></c></row></sheetData></worksheet>'
    )
    assert wio._pruefsumme_schnell(xml) is None
    assert [w for _, w in wio._geschriebene_zellen(xml)] == ["n" + (1.0).hex(), "b1"]


def verfaelscht(monkeypatch: pytest.MonkeyPatch, alt: bytes, neu: bytes) -> None:
    echt = wio._block

    def block(*args, **kwargs):
        b = echt(*args, **kwargs)
        if alt in b.zeilen_xml:
            b.zeilen_xml = b.zeilen_xml.replace(alt, neu, 1)
        return b

    monkeypatch.setattr(wio, "_block", block)


#: (rendered bytes, what they are changed to, the error that must stop the write)
FALSCHE_ZELLEN = [
    (b"<v>500.25</v>", b"<v>500.26</v>", r"Zahlungsplan“, Zelle B2 falsch"),
    (b"<t>Nord</t>", b"<t>Nord </t>", r"Ergebnis“, Zelle B2 falsch"),
    (b"<t>-</t>", b"<t>-</t></is><f>1+1</f><is><t>-</t>", r"Zelle E3: Formel statt Text"),
    (b'<c r="C2">', b'<c r="C9">', r"Ergebnis“ unvollständig"),
    (b'<c r="C2">', b'<c r="C2" t="e">', r"Ergebnis“, Zelle C2 falsch"),
    (b"<t>Nord</t>", b"<t>Nord</x>", r"Ergebnis“ ist kein gültiges XML"),
    (b"<t>Nord</t>", b"<t>Nord&nbsp;</t>", r"Ergebnis“ ist kein gültiges XML"),
    (b"<t>Nord</t>", b'<t><x:b xmlns:y="u">Nord</x:b></t>', r"Ergebnis“ ist kein gültiges XML"),
]


@pytest.mark.parametrize(("alt", "neu", "meldung"), FALSCHE_ZELLEN)
def test_a_wrong_cell_in_the_written_xml_stops_the_write(
    mappe: Path, monkeypatch: pytest.MonkeyPatch, alt: bytes, neu: bytes, meldung: str
) -> None:
    """The check reads the XML that was written, not the rows it was meant to hold: a wrong value,
    a formula or a misplaced cell is a VerlustGefahr naming sheet and cell; nothing is replaced."""
    verfaelscht(monkeypatch, alt, neu)
    vorher = mappe.read_bytes()
    with pytest.raises(wio.VerlustGefahr, match=meldung):
        wio.schreibe_ausgaben(mappe, AUSGABEN)
    assert mappe.read_bytes() == vorher


def test_a_correct_cell_in_another_layout_is_accepted(mappe: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Attributes in another order: the regular expression gives up, the XML parser reads the
    cell, and since its value is right the write goes through."""
    verfaelscht(monkeypatch, b'<c r="C2">', b'<c t="n" r="C2">')
    wio.schreibe_ausgaben(mappe, AUSGABEN)
    assert openpyxl.load_workbook(mappe)["Ergebnis"]["C2"].value == 1234.57


def test_writing_needs_no_second_openpyxl_parse(mappe: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Writing the outputs of a workbook loads nothing with openpyxl (verified from the XML)."""

    def verboten(*args, **kwargs):
        raise AssertionError("openpyxl.load_workbook beim Schreiben aufgerufen")

    monkeypatch.setattr(wio.openpyxl, "load_workbook", verboten)
    bericht = wio.schreibe_ausgaben(mappe, AUSGABEN)
    assert set(bericht.blaetter) == set(AUSGABEN)


def _ausgabeblatt_mit(pfad: Path, zellen: bytes) -> None:
    """Give the (non-input) sheet „Anleitung“ of the test workbook extra cells."""
    patch_zip(pfad, {"xl/worksheets/sheet1.xml": lambda x: x.replace(b"</row>", zellen + b"</row>", 1)})


def test_reader_never_parses_the_cells_of_other_sheets(mappe: Path) -> None:
    """A cell of a sheet that is no input (no table, not „Parameter“) is not parsed: a stored value
    openpyxl cannot read there (old outputs are overwritten anyway) does not stop the reader."""
    _ausgabeblatt_mit(mappe, b'<c r="D1"><v>NaN</v></c>')
    daten = wio.lese_mappe(mappe)
    assert daten.parameter["Haushaltsjahr"] == 2026
    assert [z["Name"] for z in daten.tabellen["Traeger"]] == ["Jugendhilfe Nord", "Caritas Süd"]
    assert "Anleitung" in daten.blaetter


def test_same_invalid_value_on_an_input_sheet_is_still_refused(mappe: Path) -> None:
    """The same unreadable value on „Parameter“ is an error with sheet and cell."""
    patch_zip(
        mappe,
        {"xl/worksheets/sheet2.xml": lambda x: x.replace(b"</row>", b'<c r="D1"><v>NaN</v></c></row>', 1)},
    )
    with pytest.raises(SozbudgetError) as info:
        wio.lese_mappe(mappe)
    assert (info.value.sheet, info.value.cell) == ("Parameter", "D1")


def test_cycle_through_another_sheet_is_still_found(mappe: Path) -> None:
    """A sheet with formulas keeps its cells for the formula check: Parameter!B3 → Anleitung!D1 →
    Parameter!B3 is a circular reference, refused with sheet and cell."""
    patch_zip(
        mappe,
        {
            "xl/worksheets/sheet2.xml": lambda x: x.replace(b"<f>2025+1</f>", b"<f>Anleitung!D1+1</f>"),
        },
    )
    _ausgabeblatt_mit(mappe, b'<c r="D1"><f>Parameter!B3-1</f><v>2025</v></c>')
    with pytest.raises(SozbudgetError, match="Zirkelbezug") as info:
        wio.lese_mappe(mappe)
    assert (info.value.sheet, info.value.cell) == ("Parameter", "B3")


def test_sheet_data_is_emptied_only_where_safe() -> None:
    """Only a plain <sheetData> without formulas, comments or CDATA is emptied."""
    kopf = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    zeilen = b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>'
    ende = b"<pageMargins/></worksheet>"
    assert wio._ohne_zellen(kopf + zeilen + ende) == kopf + b"<sheetData></sheetData>" + ende
    assert wio._ohne_zellen(kopf + zeilen.replace(b"<v>", b"<f>A2</f><v>") + ende) is None
    assert wio._ohne_zellen(kopf + b"<!-- <sheetData> -->" + zeilen + ende) is None
    assert wio._ohne_zellen(kopf + b"<sheetData/>" + ende) is None


_KOPF = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _geparst_und_geleert(xml: bytes, geschnitten: bool) -> tuple[bytes, bool]:
    """(the root with <sheetData> emptied, serialised; old sheet had formulas) by one path."""
    from lxml import etree

    if geschnitten:
        ergebnis = wio._ohne_zeilen_geschnitten(xml)
        assert ergebnis is not None
    else:
        ergebnis = _langsamer_weg(xml)
    root, formeln = ergebnis
    for sd in root.iter(f"{{{wio._MAIN}}}sheetData"):
        sd.clear()
    return etree.tostring(root), formeln


def _langsamer_weg(xml: bytes) -> tuple[object, bool]:
    echt = wio._ohne_zeilen_geschnitten
    try:
        wio._ohne_zeilen_geschnitten = lambda _x: None  # type: ignore[assignment]
        return wio._ohne_zeilen(xml)
    finally:
        wio._ohne_zeilen_geschnitten = echt  # type: ignore[assignment]


@pytest.mark.parametrize(
    "xml",
    [
        _KOPF + b"<worksheet " + _NS + b'><dimension ref="A1"/><sheetData><row r="1"><c r="A1"><v>1</v>'
        b'</c></row></sheetData><pageMargins left="0.7"/></worksheet>',
        _KOPF + b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<x:sheetData><x:row r="1"><x:c r="A1"><x:f>1+1</x:f><x:v>2</x:v></x:c></x:row></x:sheetData>'
        b"</x:worksheet>",
        _KOPF + b"<worksheet " + _NS + b'><sheetData/><mergeCells count="0"/></worksheet>',
        _KOPF + b"<worksheet " + _NS + b'><sheetData><row r="2"><c r="B2"><f t="shared" si="0"/>'
        b"<v>3</v></c></row></sheetData></worksheet>",
        _KOPF + b"<worksheet " + _NS + b'>\n  <sheetData\n  >\n<row r="1"><c r="A1" t="inlineStr"><is><t>'
        b"a &lt;f&gt; b</t></is></c></row>\n</sheetData  >\n</worksheet>",
    ],
    ids=["einfach", "praefix-formel", "leer", "geteilte-formel", "leerraum-text"],
)
def test_cutting_the_old_rows_reads_like_parsing_them(xml: bytes) -> None:
    """Old output sheet: cutting <sheetData> out before parsing gives the tree and the formula
    flag that parsing and dropping the rows gives (issue 15: the old rows are never parsed)."""
    assert _geparst_und_geleert(xml, True) == _geparst_und_geleert(xml, False)


@pytest.mark.parametrize(
    "xml",
    [
        _KOPF + b"<worksheet " + _NS + b'><!-- <sheetData> --><sheetData><row r="1"/></sheetData>'
        b"</worksheet>",
        _KOPF + b"<worksheet " + _NS + b'><sheetData><row r="1"><!-- <f>x</f> --></row></sheetData>'
        b"</worksheet>",
        _KOPF + b"<worksheet " + _NS + b'><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA['
        b"</sheetData>]]></t></is></c></row></sheetData></worksheet>",
        _KOPF + b"<worksheet " + _NS + b"><sheetDataX/><sheetData></sheetData></worksheet>",
        _KOPF + b"<worksheet " + _NS + b'><sheetData><row r="1"/></sheetData><extLst><sheetData/></extLst>'
        b"</worksheet>",
    ],
    ids=["kommentar-davor", "kommentar-darin", "cdata", "anderer-name", "zweimal"],
)
def test_cutting_gives_up_where_it_could_be_wrong(xml: bytes) -> None:
    """Comments, CDATA, another element named like it or two of them: no cut, the parser reads."""
    assert wio._ohne_zeilen_geschnitten(xml) is None
    root, _ = wio._ohne_zeilen(xml)
    assert root.tag == f"{{{wio._MAIN}}}worksheet"


def test_an_enum_text_renders_like_the_same_text(mappe: Path) -> None:
    """A value that becomes text another way (an Enum, any object) is written exactly like the
    same string: escaping, kept blanks, line breaks (wrap style) and column width."""
    import enum

    class Art(enum.Enum):
        LANG = " Zeile 1 & <2>\nZeile 2 "

    class Eigen:
        def __str__(self) -> str:
            return "x" * 70

    stile = wio._Stile(zipfile.ZipFile(mappe).read("xl/styles.xml"))
    als_text = wio._block("Ergebnis", [["a", "b"], [Art.LANG.value, "x" * 70]], stile, {}, False)
    anders = wio._block("Ergebnis", [["a", "b"], [Art.LANG, Eigen()]], stile, {}, False)
    assert anders.zeilen_xml == als_text.zeilen_xml
    assert anders.breiten == als_text.breiten
    assert anders.pruefsumme == als_text.pruefsumme
    assert b'xml:space="preserve"> Zeile 1 &amp; &lt;2&gt;\nZeile 2 </t>' in als_text.zeilen_xml


@pytest.mark.parametrize("spalten", [frozenset("AB"), frozenset({"A"}), frozenset({"AB", "C"}), frozenset()])
def test_reading_some_columns_skips_the_others_exactly(spalten: frozenset[str]) -> None:
    """Old output sheets are read for columns A/B only (chart block): the expression for those
    columns yields exactly the cells of the full read in these columns — ``AB1`` is not ``A``."""
    zellen = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>a&amp;%d</t></is></c><c r="AB%d"><v>%d</v></c>'
        b'<c r="B%d" s="2" t="b"><v>1</v></c><c r="BA%d"><v>2</v></c><c r="C%d"><v>3</v></c></row>'
        % ((i,) * 8)
        for i in range(1, 40)
    )
    xml = _KOPF + b"<worksheet " + _NS + b"><sheetData>" + zellen + b"</sheetData></worksheet>"
    assert wio._schnell_lesbar(xml)
    alle = [z for z in wio._rohzellen_lxml(xml) if z[1] in spalten]
    assert list(wio._rohzellen(xml, spalten)) == alle
    assert {z[1] for z in alle} == set(spalten)


def _schnell_wie_lxml(zeilen: bytes) -> tuple[bytes, list[tuple[object, ...]]]:
    """A sheet part with these rows: read fast, and exactly the cells lxml reads."""
    xml = _KOPF + b"<worksheet " + _NS + b"><sheetData>" + zeilen + b"</sheetData></worksheet>"
    assert wio._schnell_lesbar(xml)
    zellen = list(wio._rohzellen(xml))
    assert zellen == list(wio._rohzellen_lxml(xml))
    return xml, zellen


def test_numbers_typed_n_as_openpyxl_writes_them_are_read_fast_and_alike() -> None:
    """``t="n"`` (openpyxl's number cells, e.g. a workbook the builder made) is no reason to fall
    back to lxml: the fast read gives the cells lxml gives, and the values read back as numbers."""
    _, zellen = _schnell_wie_lxml(
        b'<row r="1"><c r="A1" s="3" t="n"><v>2026</v></c><c r="B1" t="n"><v>-1.5E-3</v></c>'
        b'<c r="C1"><v>7</v></c><c r="D1" t="b"><v>0</v></c></row>'
    )
    assert [z[2] for z in zellen] == ["n", "n", "n", "b"]


def test_an_empty_inline_string_as_openpyxl_writes_it_keeps_the_fast_read() -> None:
    """``<c t="inlineStr"></c>`` (openpyxl's empty text, in every workbook the builder made): read
    fast, as lxml reads it — a cell without value, skipped by the sheet values."""
    xml, zellen = _schnell_wie_lxml(
        b'<row r="1"><c r="A1" t="inlineStr"></c><c r="B1" s="4" t="inlineStr"><is><t>x</t></is></c>'
        b'<c r="C1" t="n"><v>1</v></c></row><row r="2"><c r="A2" t="inlineStr"></c></row>'
    )
    assert zellen[0] == (1, "A", "inlineStr", None, None)
    assert wio._blattwerte_schnell(xml, frozenset()) == {1: [None, "x", 1]}


def test_counting_cells_in_pieces_counts_every_cell_once() -> None:
    """A sheet of several MiB is counted in pieces cut before ``<row``: no cell is lost or counted
    twice at a cut, for the cell start and for the writer's full cell form."""
    zeile = b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c><c r="B%d" s="3"><v>%d</v></c></row>'
    xml = (
        _KOPF + b"<worksheet " + _NS + b"><sheetData>"
        + b"".join(zeile % (i, i, b"x" * (i % 97), i, i) for i in range(1, 60_000))
        + b"</sheetData></worksheet>"
    )  # fmt: skip
    assert len(xml) > 3 << 20
    assert wio._anzahl(wio._ZELLE_ANFANG, xml) == sum(1 for _ in wio._ZELLE_ANFANG.finditer(xml)) == 119_998
    assert wio._anzahl(wio._ZELLE_ROH_GANZ, xml) == sum(1 for _ in wio._ZELLE_ROH.finditer(xml)) == 119_998


class _Gestaltet(list):
    """Rows with the layout a schema.Blatt gives (widths known before rendering): streamed."""

    def __init__(self, zeilen: list[list[object]]) -> None:
        super().__init__(zeilen)
        self.breiten = [12.0] * max(len(z) for z in zeilen)


def test_a_sheet_with_known_widths_is_rendered_straight_into_the_package(
    mappe: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Widths given by the layout: the rows are rendered while the part is deflated (never the
    whole sheet in memory); the result reads back as written and the widths are the given ones."""
    gestreamt: list[bool] = []
    echt = wio._block

    def block(*args, **kwargs):
        b = echt(*args, **kwargs)
        gestreamt.append(b.strom is not None)
        return b

    monkeypatch.setattr(wio, "_block", block)
    wio.schreibe_ausgaben(mappe, {name: _Gestaltet(z) for name, z in AUSGABEN.items()})
    assert gestreamt == [True, True, True]
    wb = openpyxl.load_workbook(mappe)
    assert wb["Zahlungsplan"]["B3"].value == 500.25
    assert wb["Ergebnis"]["A2"].value == '=HYPERLINK("http://x")'
    assert wb["Ergebnis"].column_dimensions["E"].width >= 12.0


def test_a_wrong_cell_rendered_into_the_package_stops_the_write(
    mappe: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The streamed rows are checked like the others: a wrong value is a VerlustGefahr naming
    sheet and cell, and the workbook stays as it was."""
    echt = wio._Renderer.zeile

    def zeile(self, z, werte, art):
        return echt(self, z, werte, art).replace(b"<v>500.25</v>", b"<v>500.26</v>")

    monkeypatch.setattr(wio._Renderer, "zeile", zeile)
    vorher = mappe.read_bytes()
    with pytest.raises(wio.VerlustGefahr, match=r"Zahlungsplan“, Zelle B2 falsch"):
        wio.schreibe_ausgaben(mappe, {name: _Gestaltet(z) for name, z in AUSGABEN.items()})
    assert mappe.read_bytes() == vorher


def test_a_wrong_cell_rendered_in_a_run_stops_the_write(mappe: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows rendered a run at a time (zeilenlaeufe) are checked alike: a wrong value in a run is a
    VerlustGefahr naming sheet and cell, and the workbook stays as it was."""
    from sozbudget_xl.workbook import zeilenlaeufe

    echt = zeilenlaeufe.lauf_xml
    genommen = []

    def lauf_xml(*args):
        xml = echt(*args)
        genommen.append(xml is not None)
        return None if xml is None else xml.replace(b"<v>500.25</v>", b"<v>500.26</v>", 1)

    monkeypatch.setattr(zeilenlaeufe, "lauf_xml", lauf_xml)
    ausgaben = dict(AUSGABEN, Zahlungsplan=[["Rate", "Soll"], *([i, 500.25] for i in range(1, 41))])
    vorher = mappe.read_bytes()
    with pytest.raises(wio.VerlustGefahr, match=r"Zahlungsplan“, Zelle B3 falsch"):
        wio.schreibe_ausgaben(mappe, {name: _Gestaltet(z) for name, z in ausgaben.items()})
    assert mappe.read_bytes() == vorher
    assert any(genommen)


@pytest.mark.parametrize("stueck", [1, 7, 100, 4096, 1 << 20])
def test_the_digest_read_in_pieces_equals_the_whole(mappe: Path, stueck: int) -> None:
    """The written part is checked while it inflates: any piece size gives the digest of the
    whole part (cells are decoded only up to the last complete row)."""
    wio.schreibe_ausgaben(mappe, BESONDERE)
    with zipfile.ZipFile(mappe) as zf:
        xml = zf.read(wio._Paket(zf, mappe.name).blatt("Ergebnis").teil)
    ganz = wio._pruefsumme_schnell(xml)
    assert ganz is not None and ganz == _langsam(xml)
    assert wio._pruefsumme_stueckweise(xml[i : i + stueck] for i in range(0, len(xml), stueck)) == ganz
    kurz = xml[:-20]  # cut off: not well-formed, whatever the pieces
    with pytest.raises(wio.etree.XMLSyntaxError):
        wio._pruefsumme_stueckweise(kurz[i : i + stueck] for i in range(0, len(kurz), stueck))


def test_a_part_is_checked_to_its_end_also_after_a_cell_outside_the_layout() -> None:
    """A cell the expression does not cover decides the answer (None: the parser decodes), but
    the part is still checked for well-formedness to its end: a broken end is an error."""
    zeilen = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(2, 4000))
    xml = (
        _KOPF + b"<worksheet " + _NS + b'><sheetData><row r="1"><c t="n" r="A1"><v>1</v></c></row>'
        + zeilen + b"</sheetData></worksheet>"
    )  # fmt: skip
    stuecke = [xml[i : i + 4096] for i in range(0, len(xml), 4096)]
    assert wio._pruefsumme_stueckweise(stuecke) is None
    with pytest.raises(wio.etree.XMLSyntaxError):
        wio._pruefsumme_stueckweise([*stuecke[:-1], stuecke[-1][:-12]])


def _stile() -> bytes:
    puffer = io.BytesIO()
    openpyxl.Workbook().save(puffer)
    return zipfile.ZipFile(puffer).read("xl/styles.xml")


def _blatt_xml(zeilen_xml: bytes) -> bytes:
    return _KOPF + b"<worksheet " + _NS + b"><sheetData>" + zeilen_xml + b"</sheetData></worksheet>"


@pytest.mark.parametrize(
    ("alt", "neu"),
    [
        (b'<c r="A2" t="inlineStr"><is><t>x</t></is></c><c r="B2"><v>1.5</v></c>',
         b'<c r="B2"><v>1.5</v></c><c r="A2" t="inlineStr"><is><t>x</t></is></c>'),  # order
        (b'<c r="B2"><v>1.5</v></c>', b'<c r="B2" t="inlineStr"><is><t>1.5</t></is></c>'),  # kind
        (b'<c r="C2" t="b"><v>1</v></c>', b'<c r="C2"><v>1</v></c>'),  # boolean as number
        (b'<c r="B2"><v>1.5</v></c><c r="C2" t="b"><v>1</v></c>',
         b'<c r="B2"><v>1</v></c><c r="C2" t="b"><v>1</v></c>'),  # value
        (b"<t>x</t>", b"<t>x&#10;</t>"),  # text
        (b'<c r="B2"><v>1.5</v></c>', b'<c r="B3"><v>1.5</v></c>'),  # place
    ],
)  # fmt: skip
def test_the_digest_tells_order_kind_value_and_place_apart(alt: bytes, neu: bytes) -> None:
    """The digest is made of streams (references, then references and values per kind) decoded a
    whole piece at a time; any swap of cells, change of kind, value or place still changes it."""
    zeilen = [["Text", "Zahl", "Wahr"], ["x", 1.5, True]]
    block = wio._block("Ergebnis", zeilen, wio._Stile(_stile()), {}, False)
    xml = _blatt_xml(re.sub(rb' s="[0-9]+"', b"", block.zeilen_xml))
    assert wio._pruefsumme_schnell(xml) == _langsam(xml) == block.pruefsumme
    assert alt in xml, xml
    falsch = xml.replace(alt, neu)
    assert _langsam(falsch) != block.pruefsumme
    assert wio._pruefsumme_schnell(falsch) in (None, _langsam(falsch))


class _Tag(dt.date):
    """A date that is not exactly ``dt.date``: takes the general conversion path."""


def test_dates_take_a_fast_path_with_the_same_cells_and_digest() -> None:
    """Payment plans repeat twelve dates per Träger: a ``dt.date`` is converted once per date and
    written exactly as the general path writes the same date (XML, widths and digest)."""
    tage = [dt.date(2026, m, 1) for m in range(1, 13)] + [dt.date(1900, 3, 1), dt.date(2200, 12, 31)]
    schnell = [["Datum", "Betrag"], *([t, 1.0] for t in tage * 3)]
    allgemein = [["Datum", "Betrag"], *([_Tag(t.year, t.month, t.day), 1.0] for t in tage * 3)]
    for datum1904 in (False, True):
        a = wio._block("Zahlungsplan", schnell, wio._Stile(_stile()), {}, datum1904)
        b = wio._block("Zahlungsplan", allgemein, wio._Stile(_stile()), {}, datum1904)
        assert a.zeilen_xml == b.zeilen_xml and a.breiten == b.breiten and a.pruefsumme == b.pruefsumme
        assert wio._pruefsumme_schnell(_blatt_xml(a.zeilen_xml)) == a.pruefsumme


@pytest.mark.parametrize(
    "stueck",
    [b'<c r="A1"><v>1</v></c>', b"<cols><col min=\"1\"/></cols>", b"<x:c r=\"A1\"/>", b"<c>", b"<c/>",
     b"<c\tr=\"A1\"/>", b"<cfRule/><c r=\"A2\"/>", b"a:c b", b""],
)  # fmt: skip
def test_counting_cell_starts_by_bytes_equals_the_expression(stueck: bytes) -> None:
    for xml in (stueck, stueck * 3, b"<row>" + stueck + b'<c r="B1"/></row>'):
        assert wio._zellanfaenge(xml) == wio._anzahl(wio._ZELLE_ANFANG, xml)


_CODES = [None, "#,##0.00 €", "0.0%", "0", "#,##0"]
_WERT = st.one_of(st.none(), st.floats(-1e6, 1e6), st.integers(-9, 9), st.text(max_size=3))


@settings(max_examples=60, deadline=None)
@given(
    zeilen=st.lists(
        st.tuples(
            st.sampled_from([None, "kopf", "summe", "titel"]),
            st.booleans(),
            st.lists(st.tuples(_WERT, st.sampled_from(_CODES)), max_size=5),
        ),
        min_size=1, max_size=12,
    )
)  # fmt: skip
def test_each_cell_gets_the_style_of_its_row_kind_and_format(
    zeilen: list[tuple[Any, bool, list[Any]]],
) -> None:
    """Styles are looked up once per row kind and number format (not per cell): every cell still
    carries the style of its row's kind, its own or its column's format and a tall row's wrap."""
    from sozbudget_xl.workbook.schema import Blatt

    blatt = Blatt([[w for w, _ in zellen] for _, _, zellen in zeilen])
    for z, (art, hoch, zellen) in enumerate(zeilen):
        blatt.formate.setze_zeile(z, [c for _, c in zellen])
        if art:
            blatt.arten[z] = art
        if hoch:
            blatt.hoehen[z] = 30.0
    stile = wio._Stile(_stile())
    xml = wio._block("Ergebnis", blatt, stile, {}, False, blatt).zeilen_xml
    for m in re.finditer(rb'<c r="([A-Z]+)([0-9]+)"(?: s="([0-9]+)")?>(<v>)', xml):
        z, s = int(m[2]) - 1, ord(m[1].decode()) - ord("A")
        art, hoch, zellen = zeilen[z]
        erwartet = stile.xf(art, zellen[s][1], hoch and art is None)
        assert int(m[3] or 0) == erwartet, (m[0], art, hoch, zellen[s])


def test_the_rows_are_asked_once_while_writing_and_again_only_to_name_a_wrong_cell(
    mappe: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writer takes each sheet's rows once (a caller may build them when asked and drop them
    once written: nothing keeps them); to name a wrong cell it asks for that sheet again."""

    class Einmal(dict):
        def __init__(self, werte: dict[str, Any]) -> None:
            super().__init__(werte)
            self.gefragt: list[str] = []

        def items(self):  # type: ignore[override]
            for name in self:
                yield name, self[name]

        def __getitem__(self, name: str):  # type: ignore[override]
            self.gefragt.append(name)
            return super().__getitem__(name)

    ausgaben = Einmal(AUSGABEN)
    wio.schreibe_ausgaben(mappe, ausgaben)
    assert sorted(ausgaben.gefragt) == sorted(AUSGABEN)
    ausgaben.gefragt.clear()
    verfaelscht(monkeypatch, b"<v>500.25</v>", b"<v>500.26</v>")
    with pytest.raises(wio.VerlustGefahr, match=r"Zahlungsplan“, Zelle B2 falsch"):
        wio.schreibe_ausgaben(mappe, ausgaben)
    assert sorted(ausgaben.gefragt) == sorted([*AUSGABEN, "Zahlungsplan"])


def test_recalc_looks_at_young_objects_less_often_and_restores_the_thresholds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """During a recalc the cyclic GC looks at young objects every 10.000 new objects (the run's rows
    live until written); afterwards, also after an error, the thresholds are as before, and a
    host's higher threshold is kept."""
    import gc

    from sozbudget_xl.workbook import recalc

    beispiel = Path(__file__).resolve().parents[1] / "workbooks" / "celle.xlsx"
    gesehen: list[tuple[int, ...]] = []
    echt = recalc.zusatzblaetter
    monkeypatch.setattr(recalc, "zusatzblaetter", lambda b: gesehen.append(gc.get_threshold()) or echt(b))
    vorher = gc.get_threshold()
    assert vorher[0] < recalc._GC_JUNG
    recalc.neu_berechnen(beispiel, ausgabeordner=tmp_path / "a")
    assert gesehen == [(recalc._GC_JUNG, *vorher[1:])] and gc.get_threshold() == vorher
    try:
        gc.set_threshold(50_000, *vorher[1:])
        recalc.neu_berechnen(beispiel, ausgabeordner=tmp_path / "b")
        assert gesehen[-1][0] == 50_000 and gc.get_threshold()[0] == 50_000
    finally:
        gc.set_threshold(*vorher)

    def kaputt(b: object) -> None:
        raise ZeroDivisionError

    monkeypatch.setattr(recalc, "zusatzblaetter", kaputt)
    with pytest.raises(ZeroDivisionError):
        recalc.neu_berechnen(beispiel, ausgabeordner=tmp_path / "c")
    assert gc.get_threshold() == vorher
