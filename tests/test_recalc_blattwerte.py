"""Recalc reads „Ist“ and „Vorträge“ from the workbook it has already read (issue 15): streamed,
without a second openpyxl load, with exactly the values openpyxl's read-only mode gives."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest

from sozbudget_xl.jahr import blaetter
from sozbudget_xl.workbook import io, recalc

BEISPIELE = Path(__file__).resolve().parents[1] / "workbooks"


@pytest.mark.parametrize("name", ["celle", "muenchen", "stuttgart"])
def test_jahresdaten_aus_gelesener_mappe_wie_openpyxl(name):
    b = recalc.berechne_mappe(BEISPIELE / f"{name}.xlsx")
    assert not b.mappe._paket  # the file's bytes are dropped once „Ist“ and „Vorträge“ are read
    gelesen = blaetter._aus_gelesener_mappe(b.mappe)
    assert gelesen is not None
    assert gelesen == blaetter.lies_jahresdaten(b.pfad)
    assert b.mappe.blattwerte("Ergebnis") is None  # any other sheet: its caller reads the file


def test_ohne_dateibytes_liest_recalc_nichts_mit_openpyxl(tmp_path, monkeypatch):
    """The year's sheets of a recalc come from the values read before the bytes were dropped, not
    from a second (openpyxl) load of the file."""

    def verboten(*args, **kwargs):
        raise AssertionError("lies_jahresdaten aufgerufen")

    monkeypatch.setattr(blaetter, "lies_jahresdaten", verboten)
    z = recalc.neu_berechnen(BEISPIELE / "stuttgart.xlsx", ausgabeordner=tmp_path)
    assert z.ok
    assert "Jahresabschluss" in openpyxl.load_workbook(tmp_path / "stuttgart.xlsx", read_only=True).sheetnames


def test_datumsformat_faellt_auf_openpyxl_zurueck(tmp_path):
    """A number formatted as a date cannot be read from the XML alone: ``blattwerte`` says so
    (``None``), a money format is read as a number; a missing „Ist“ means no year sheets."""
    pfad = tmp_path / "celle.xlsx"
    shutil.copy(BEISPIELE / "celle.xlsx", pfad)
    wb = openpyxl.load_workbook(pfad)
    ws = wb["Ist"]
    ws["L1"] = 12.5
    ws["L1"].number_format = '#,##0.00 "€"'
    wb.save(pfad)
    mappe = io.lese_mappe(pfad)
    werte = mappe.blattwerte("Ist")
    assert werte is not None and werte[0][11] == 12.5
    ws["L2"] = dt.date(2026, 3, 1)
    wb.save(pfad)
    assert io.lese_mappe(pfad).blattwerte("Ist") is None
    del wb["Ist"]
    wb.save(pfad)
    assert blaetter._aus_gelesener_mappe(io.lese_mappe(pfad)) == (None, [])


def _langsam(xml: bytes) -> list:
    from unittest import mock

    with mock.patch.object(io, "_schnell_lesbar", lambda _xml: False):
        return list(io._rohzellen(xml))


_KOPF = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'


@pytest.mark.parametrize(
    "zeilen",
    [
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>a &amp; b &#228;</t></is></c>'
        b'<c r="B1" s="3"><v>1.5</v></c></row>',
        b'<row r="2"><c r="A2" t="b"><v>1</v></c><c r="C2"><v>1&#48;</v></c></row>',
        b'<row r="1"><c r="A1" t="inlineStr"><v>7</v></c></row>',  # type and content disagree
        b'<row r="1"><c r="A1" t="b"><is><t>x</t></is></c></row>',
        b'<row r="1"><!-- <c r="Z9"><v>5</v></c> --><c r="A1"><v>1</v></c></row>',  # comment: lxml path
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>a\rb</t></is></c></row>',  # CR: lxml normalises
        b'<row r="1"><c r="A1"/><c s="1" r="B1"><v>2</v></c></row>',  # other layout: lxml path
    ],
)
def test_rohzellen_schnell_wie_lxml(zeilen):
    """The regular-expression path reads exactly what lxml reads, or declines."""
    xml = _KOPF + zeilen + b"</sheetData></worksheet>"
    assert list(io._rohzellen(xml)) == _langsam(xml)
    assert list(io._rohzellen(xml, frozenset("A"))) == [z for z in _langsam(xml) if z[1] == "A"]


def test_rohzellen_schnell_an_geschriebenen_blaettern():
    """Output sheets written by recalc take the fast path, with the same cells."""
    import zipfile

    with zipfile.ZipFile(BEISPIELE / "celle.xlsx") as zf:
        paket = io._Paket(zf, "celle.xlsx")
        xml = zf.read(paket.blatt("Ergebnis").teil)
    from sozbudget_xl.workbook import schema

    b = recalc.berechne_mappe(BEISPIELE / "celle.xlsx")

    stile = io._Stile(zipfile.ZipFile(BEISPIELE / "celle.xlsx").read("xl/styles.xml"))
    neu = io._neues_blatt(io._block("Ergebnis", schema.ausgaben(b.ergebnis)["Ergebnis"], stile, {}, False))
    for teil in (xml, neu):
        assert list(io._rohzellen(teil)) == _langsam(teil)
    assert io._schnell_lesbar(neu)


def test_schnell_lesbar_nur_im_layout_des_schreibers():
    """Type and content that disagree, a comment, CR or another attribute order: the lxml path."""
    for zeilen in (
        b'<row r="1"><c r="A1" t="inlineStr"><v>7</v></c></row>',
        b'<row r="1"><!-- x --><c r="A1"><v>1</v></c></row>',
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>a\rb</t></is></c></row>',
        b'<row r="1"><c s="1" r="B1"><v>2</v></c></row>',
    ):
        assert not io._schnell_lesbar(_KOPF + zeilen + b"</sheetData></worksheet>")
    assert io._schnell_lesbar(
        _KOPF + b'<row r="1"><c r="A1" t="b"><v>1</v></c></row></sheetData></worksheet>'
    )


def _blattwerte_beide(xml: bytes, datumsstile: frozenset[str] | None) -> tuple:
    """(fast, lxml) result of ``_blattwerte`` for one sheet part."""
    import io as _io
    import zipfile
    from unittest import mock

    puffer = _io.BytesIO()
    with zipfile.ZipFile(puffer, "w") as neu:
        neu.writestr("s.xml", xml)
    zf = zipfile.ZipFile(puffer)
    paket = mock.Mock(teil_vom_typ=lambda _: None, namen=set())
    schnell = io._blattwerte(zf, paket, "s.xml", datumsstile)

    def langsam(*_: object) -> None:
        raise io._Langsam

    with mock.patch.object(io, "_blattwerte_gestreamt", langsam):
        return schnell, io._blattwerte(zf, paket, "s.xml", datumsstile)


@pytest.mark.parametrize(
    "zeilen",
    [
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>a &amp; b</t></is></c><c r="C1"><v>1.5E3</v></c></row>'
        b'<row r="3"><c r="B3" t="b"><v>0</v></c><c r="A3"><v>1&#48;</v></c><c r="D3"><v></v></c></row>',
        b'<row r="1"><c r="A1" s="2"><v>3</v></c></row>',  # a date style: None on both paths
        b'<row r="1"><c r="A1" s="1"><v>3</v></c></row>',  # a money style: a number
        b'<row r="1"><c r="A1" t="b"><v>2</v></c></row>',
        b'<row r="1"><c r="A1"><v>1,5</v></c></row>',
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>_x0041_</t></is></c></row>',
        b'<row r="0"><c r="A0"><v>1</v></c></row>',
    ],
)
def test_blattwerte_schnell_wie_lxml(zeilen):
    """The values straight from the regular expression equal the cell-by-cell values (or both
    decline with ``None``)."""
    xml = _KOPF + zeilen + b"</sheetData></worksheet>"
    assert io._schnell_lesbar(xml)
    schnell, langsam = _blattwerte_beide(xml, frozenset({"2"}))
    assert schnell == langsam


def test_a_value_in_the_last_row_costs_no_row_object_above_it():
    """A value typed into the sheet's last row (1.048.576) of „Ist“ or „Verträge“: the rows above it
    are one shared empty row on both paths, not a list each (that cost ≈ 400 MB and 2 s)."""
    import tracemalloc

    xml = (
        _KOPF + b'<row r="1"><c r="A1" t="inlineStr"><is><t>Datum</t></is></c></row><row r="1048576">'
        b'<c r="O1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>'
    )
    tracemalloc.start()
    try:
        schnell, langsam = _blattwerte_beide(xml, None)
        spitze = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert schnell == langsam
    assert len(schnell) == 1_048_576 and schnell[0][0] == "Datum" and schnell[-1][-1] == "x"
    assert {id(z) for z in schnell[1:-1]} == {id(())}
    assert spitze < 40 * 2**20


def test_blattwerte_schnell_an_allen_blaettern_der_beispiele():
    """Every sheet of every example workbook: the same values on both paths, and the output sheets
    (written by recalc) take the fast one."""
    import zipfile

    schnell_gelesen = 0
    for pfad in sorted(BEISPIELE.glob("*.xls*")):
        mappe = io.lese_mappe(pfad)
        with zipfile.ZipFile(pfad) as zf:
            for b in io._Paket(zf, pfad.name).blaetter:
                xml = zf.read(b.teil)
                schnell, langsam = _blattwerte_beide(xml, mappe._datumsstile)
                assert schnell == langsam, (pfad.name, b.name)
                schnell_gelesen += io._schnell_lesbar(xml) and schnell is not None
    assert schnell_gelesen >= 20


def test_schnell_lesbar_lehnt_kaputtes_xml_ab():
    """A part whose cells all match but which is not well-formed raises like the lxml path."""
    from lxml import etree

    kaputt = _KOPF + b'<row r="1"><c r="A1"><v>1</v></c></row></sheetData>'  # </worksheet> fehlt
    with pytest.raises(etree.XMLSyntaxError):
        io._schnell_lesbar(kaputt)
    with pytest.raises(etree.XMLSyntaxError):
        _langsam(kaputt)


@pytest.mark.parametrize("stueck", [1, 5, 64, 1 << 20])
def test_an_old_output_sheet_read_in_pieces_reads_as_whole(stueck: int) -> None:
    """The sheet is read as it inflates, whole rows at a time: any piece size gives the values of
    the whole part; a comment or CR anywhere sends it the slow way, as the whole-part check did."""
    zeilen = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>T%d &amp; x</t></is></c>' % (i, i, i)
        + b'<c r="B%d"><v>%d.5</v></c></row>' % (i, i)
        for i in range(1, 300)
    )
    xml = _KOPF + zeilen + b"</sheetData></worksheet>"
    ganz = io._blattwerte_schnell(xml, frozenset())
    assert ganz is not None and ganz[7] == ["T7 & x", 7.5]
    assert (
        io._blattwerte_gestreamt((xml[i : i + stueck] for i in range(0, len(xml), stueck)), frozenset())
        == ganz
    )
    spaet = xml.replace(b'<row r="290">', b'<!-- x --><row r="290">')
    with pytest.raises(io._Langsam):
        io._blattwerte_gestreamt((spaet[i : i + stueck] for i in range(0, len(spaet), stueck)), frozenset())


def test_repeated_texts_of_an_old_output_sheet_are_one_object() -> None:
    """50.000 contract rows repeat a few Träger and one „Stand“: each text is one object (and still
    the same value; a text with _xHHHH_ still makes the sheet unreadable alike, also when repeated)."""
    zeilen = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>Tr\xc3\xa4ger &amp; Co</t></is></c>' % (i, i)
        + b'<c r="B%d" t="inlineStr"><is><t>N%d</t></is></c></row>' % (i, i)
        for i in range(1, 50)
    )
    werte = io._blattwerte_gestreamt((_KOPF + zeilen + b"</sheetData></worksheet>",), frozenset())
    assert werte is not None
    assert {id(z[0]) for z in werte.values()} == {id(werte[1][0])} and werte[7][0] == "Träger & Co"
    assert werte[7][1] == "N7"
    mit_x = zeilen.replace(b"Co</t>", b"_x0041_</t>")
    assert io._blattwerte_gestreamt((_KOPF + mit_x + b"</sheetData></worksheet>",), frozenset()) is None
