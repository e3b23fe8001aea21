"""An old output sheet part is cut while it inflates (issue 15, memory): the same root and the same
answer to „its rows held a formula“ as cutting the whole part, whatever falls on the seams of the
pieces; anything the streamed cut cannot decide exactly reads the whole part as before."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree

from sozbudget_xl.workbook import io as wio

_KOPF = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_MIB = 1 << 20


def _teil(zeilen: bytes, sd: bytes = b"sheetData") -> bytes:
    return (
        _KOPF
        + b"<worksheet "
        + _NS
        + b' xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="A1"/><' + sd + b">" + zeilen + b"</" + sd + b'><pageMargins left="0.7" right="0.7" '
        b'top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
    )


def _zeilen(n: int) -> bytes:
    return b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(1, n + 1))


def _zip(xml: bytes) -> zipfile.ZipFile:
    puffer = io.BytesIO()
    with zipfile.ZipFile(puffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", xml)
    return zipfile.ZipFile(puffer)


def _wie_ganz(xml: bytes) -> tuple[bytes, bool]:
    root, formeln = wio._ohne_zeilen(xml)
    return etree.tostring(root), formeln


def _gestreamt(xml: bytes) -> tuple[bytes, bool]:
    root, formeln = wio._alte_wurzel(_zip(xml), "xl/worksheets/sheet1.xml")
    return etree.tostring(root), formeln


def _mit_an(zeilen: bytes, pos: int, einschub: bytes) -> bytes:
    """``einschub`` put into the rows at the end of the row that holds byte ``pos``."""
    ende = zeilen.find(b"</row>", pos) + 6
    return zeilen[:ende] + einschub + zeilen[ende:]


@pytest.fixture(autouse=True)
def _klein(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wio, "_STROM_AB", 1 << 16)


def test_a_big_part_is_cut_while_it_inflates() -> None:
    xml = _teil(_zeilen(120_000))
    assert len(xml) > 3 * _MIB
    assert wio._ohne_zeilen_gestreamt(_zip(xml), "xl/worksheets/sheet1.xml") is not None
    assert _gestreamt(xml) == _wie_ganz(xml) and _gestreamt(xml)[1] is False


def _formel_auf_naht(formel: bytes, marke: bytes, naht: int, d: int) -> bytes:
    """A part whose byte ``marke`` of the row ``formel`` starts ``d`` bytes before offset ``naht``
    (where the reader's 1-MiB pieces meet), shifted there by a text row of fitting length."""
    zeilen = _zeilen(100_000)
    leer = _teil(b"")
    vorne = leer.index(b"<sheetData>") + len(b"<sheetData>")
    ziel = naht - d - vorne - formel.index(marke)  # where the formula row must start in the rows
    grenze = zeilen.rfind(b"</row>", 0, ziel - 200) + 6
    fueller = b'<row r="0"><c r="Z1" t="inlineStr"><is><t></t></is></c></row>'
    fueller = fueller.replace(b"<t></t>", b"<t>" + b"a" * (ziel - grenze - len(fueller)) + b"</t>")
    zeilen = zeilen[:grenze] + fueller + formel + zeilen[grenze:]
    xml = _teil(zeilen)
    assert xml.index(marke, vorne + grenze) == naht - d
    return xml


@pytest.mark.parametrize("d", [1, 2, 3, 4, 5, 6])
@pytest.mark.parametrize(
    ("formel", "marke"),
    [(b'<row r="0"><c r="B1"><f>1+1</f><v>2</v></c></row>', b"<f>"),
     (b'<row r="0"><c r="B1"><x:f>1</x:f><v>2</v></c></row>', b"<x:f>")],
)  # fmt: skip
def test_a_formula_on_a_seam_is_found(formel: bytes, marke: bytes, d: int) -> None:
    for naht in (_MIB, 2 * _MIB):
        xml = _formel_auf_naht(formel, marke, naht, d)
        assert _gestreamt(xml) == _wie_ganz(xml)
        assert _gestreamt(xml)[1] is True


@pytest.mark.parametrize("marke", [b"<!-- x -->", b"<?pi x?>"])
def test_a_comment_or_pi_among_the_rows_reads_the_whole_part(marke: bytes) -> None:
    xml = _teil(_mit_an(_zeilen(100_000), 2_500_000, marke))
    assert wio._ohne_zeilen_gestreamt(_zip(xml), "xl/worksheets/sheet1.xml") is None
    assert _gestreamt(xml) == _wie_ganz(xml)


def test_a_very_long_tag_name_on_a_seam_reads_the_whole_part() -> None:
    name = b"p" * 5000
    zeilen = _zeilen(100_000)
    ende = zeilen.rfind(b"</row>", 0, _MIB - 2000) + 6
    einschub = b'<row r="0"><c r="B1"><' + name + b":f xmlns:" + name + b'="u">1</' + name + b":f></c></row>"
    xml = _teil(zeilen[:ende] + einschub + zeilen[ende:])
    assert _gestreamt(xml) == _wie_ganz(xml)


def test_sheet_data_named_in_a_text_or_prefixed_reads_alike() -> None:
    mit_text = _teil(
        _mit_an(
            _zeilen(100_000),
            2_000_000,
            b'<row r="0"><c r="C1" t="inlineStr"><is><t>sheetData</t></is></c></row>',
        )
    )
    assert _gestreamt(mit_text) == _wie_ganz(mit_text)
    praefix = _teil(_zeilen(100_000), b"x:sheetData")
    assert _gestreamt(praefix) == _wie_ganz(praefix)


@pytest.mark.parametrize(
    "xml",
    [b"", b"<a/>", b"<f>", b"<f/>", b"<x:f>", b"<x:fo>", b"Kauf:f b", b"<fo>", b"<c><f\t/>", b"a:f>", b"<:f>",
     b"<abc.d-e:f\n>", b"<f", b"x<f>" * 3],
)  # fmt: skip
def test_the_formula_search_with_byte_prechecks_equals_the_expression(xml: bytes) -> None:
    for von, bis in ((0, None), (1, None), (0, max(len(xml) - 1, 0))):
        erwartet = wio._FORMEL_ELEMENT.search(xml, von, len(xml) if bis is None else bis) is not None
        assert wio._hat_formel(xml, von, bis) is erwartet
