"""Input sheets read by the regular expressions (issue 15): their rows are shown well-formed without
a parser (``io._zeilen_wohlgeformt``), expat checks the rest of the part. Whatever is done to the
rows, the answer is expat's over the whole part: a part it refuses is refused, one it takes is
taken."""

from __future__ import annotations

from unittest import mock

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree

from sozbudget_xl.workbook import io

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_KOPF = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}" '
    'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"><sheetData>'
).encode()
_ENDE = b"</sheetData></worksheet>"
_ZEILEN = [
    b'<row r="%d" spans="1:3"><c r="A%d" t="inlineStr"><is><t>Nord &amp; S\xc3\xbcd</t></is></c>'
    b'<c r="B%d" s="1"><v>1.5</v></c></row>',
    b'<row r="%d" spans="1:3" x14ac:dyDescent="0.25"><c r="A%d" t="n"><v>%d</v></c></row>',
    b'<row r="%d" customHeight="1" ht="20"><c r="C%d"/></row>',
    b'<row r="%d" hidden="1"><c r="A%d" t="inlineStr"><is><t xml:space="preserve"> x &#228; </t></is></c>'
    b"</row>",
    b'<row r="%d"/>',
    b'\n  <row r="%d">\n    <c r="D%d" s="2" t="b"><v>1</v></c>\n  </row>',
]
_FREMD = [
    b"<", b">", b"&", b"&amp;", b"&bogus;", b"&#0;", b"&#x1F;", b"&#65;", b"&#xD800;", b"&#xFFFE;",
    b"&#x110000;", b"&#x9;", b"]]>", b"]]", b"\x01", b"\x0b", b"\x0c", b"\xff", b"\xc3", b"\xef\xbf\xbe",
    b"\xed\xa0\x80", b'"', b"'", b"=", b" ", b"\t", b"\n", b"</row>", b"<row>", b'<row r="9"/>',
    b' ht="3" ht="3"', b' ht="3"', b' y:z="1"', b' x14ac:dyDescent="1"', b' xml:lang="de"', b' a="<"',
    b' a="&amp;"', b' a="x\x01"', b' r="9"', b'<c r="A1"/>', b'<c r="A1"><v>1</v></c>', b"<x/>", b"</c>",
    b"<v>", b"</v>", b'<c r="B2" t="inlineStr"><is><t>a</t></is></c>', b"</t>", b"<t>", b"<!-- x -->",
    b"<?pi?>", b"<![CDATA[x]]>", b"</sheetData>", b"<sheetData>", b"<!DOCTYPE x>",
]  # fmt: skip
_EINGRIFF = st.tuples(
    st.sampled_from(["einfuegen", "loeschen", "ersetzen"]), st.integers(0, 10**6), st.integers(1, 30),
    st.sampled_from(_FREMD),
)  # fmt: skip
_K = mock.Mock(datum=frozenset(), dauer=frozenset(), stile=3, texte=lambda: ["a"])


def _teil(zeilen: list[int]) -> bytes:
    rumpf = b"".join(_ZEILEN[i].replace(b"%d", str(z).encode()) for z, i in enumerate(zeilen, start=1))
    return _KOPF + rumpf + _ENDE


def _verwirft(pruefung: object) -> bool:
    try:
        pruefung()  # type: ignore[operator]
    except etree.XMLSyntaxError:
        return True
    return False


@settings(max_examples=1500, deadline=None)
@given(
    zeilen=st.lists(st.integers(0, len(_ZEILEN) - 1), min_size=1, max_size=6),
    eingriffe=st.lists(_EINGRIFF, max_size=3),
    je_stueck=st.sampled_from([1, 40, 1 << 20]),
)
@example(zeilen=[0], eingriffe=[("einfuegen", 13, 1, b' ht="3" ht="3"')], je_stueck=1 << 20)  # twice
@example(zeilen=[0], eingriffe=[("einfuegen", 13, 1, b' y:z="1"')], je_stueck=1 << 20)  # unbound prefix
@example(zeilen=[3], eingriffe=[("einfuegen", 90, 1, b"&bogus;")], je_stueck=1 << 20)  # undeclared entity
@example(zeilen=[3], eingriffe=[("einfuegen", 90, 1, b"]]>")], je_stueck=1 << 20)
@example(zeilen=[0, 3, 4], eingriffe=[("einfuegen", 200, 1, b"\x01")], je_stueck=40)  # in a later piece
def test_rows_shown_well_formed_without_a_parser_are_refused_where_expat_refuses(
    zeilen: list[int], eingriffe: list[tuple[str, int, int, bytes]], je_stueck: int
) -> None:
    """Insertions, deletions and overwrites inside ``<sheetData>`` (markup, references, control
    characters, broken UTF-8, duplicate and prefixed attributes, comments, a second root …): where
    the rows are still read by the regular expressions, the check without a parser refuses exactly
    the parts expat refuses — also with the characters checked in pieces of a few rows."""
    xml = _teil(zeilen)
    anfang, ende = len(_KOPF), len(xml) - len(_ENDE)
    for art, pos, laenge, fremd in eingriffe:
        pos = anfang + pos % max(1, ende - anfang)
        rumpf_bis = pos + (laenge if art != "einfuegen" else 0)
        neu = fremd if art != "loeschen" else b""
        xml = xml[:pos] + neu + xml[min(rumpf_bis, ende) :]
        ende = len(xml) - len(_ENDE)
    bereich = io._zeilenbereich(xml)
    if bereich is None:
        return  # comments, CDATA, PIs, CR: the rows are parsed (unchanged)
    try:
        schlicht = io._zeilen_schnell(xml, bereich, io._Blatt("Q"), _K)
    except Exception:  # the reader gives up: openpyxl reads the workbook
        return
    if schlicht is None:
        return
    with pytest.MonkeyPatch.context() as m:
        m.setattr(io, "_ZEICHEN_JE", je_stueck)
        ohne_parser = _verwirft(lambda: io._zeilen_wohlgeformt(xml, bereich, schlicht))
    assert ohne_parser == _verwirft(lambda: io._wohlgeformt(xml))


def test_the_rows_of_a_plain_part_go_without_the_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rows of our writer, openpyxl and LibreOffice (attributes distinct and without a prefix)
    are not given to expat; rows with Excel's prefixed ``x14ac:dyDescent`` are (its binding is the
    parser's to check)."""
    gesehen: list[int] = []
    echt = io._wohlgeformt
    monkeypatch.setattr(io, "_wohlgeformt", lambda xml: gesehen.append(len(xml)) or echt(xml))
    for zeilen, ganz in (([0, 2, 3, 4, 5], False), ([0, 1], True)):
        xml = _teil(zeilen)
        bereich = io._zeilenbereich(xml)
        assert bereich is not None
        schlicht = io._zeilen_schnell(xml, bereich, io._Blatt("Q"), _K)
        assert schlicht is (not ganz)
        gesehen.clear()
        io._zeilen_wohlgeformt(xml, bereich, schlicht)
        assert gesehen == [len(xml) if ganz else len(_KOPF) + len(_ENDE)]


def test_the_characters_of_a_big_sheet_are_checked_a_few_rows_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The rows' characters are checked in pieces cut before a ``<row`` (never the whole rows at
    once: at 50.000 Quartiere the copies raised the peak memory by 30 MB), together all of them."""
    xml = _teil([0, 1, 2, 3, 4, 5] * 20)
    bereich = io._zeilenbereich(xml)
    assert bereich is not None
    stuecke: list[bytes] = []
    echt = io._zp.zeichen_erlaubt
    monkeypatch.setattr(io._zp, "zeichen_erlaubt", lambda x: stuecke.append(x) or echt(x))
    monkeypatch.setattr(io, "_ZEICHEN_JE", 200)
    io._zeilen_wohlgeformt(xml, bereich, True)
    laengste_zeile = max(len(z) for z in _ZEILEN) + 10
    assert len(stuecke) > 10 and max(map(len, stuecke)) <= 200 + laengste_zeile
    assert b"".join(stuecke) == xml[bereich[0] : bereich[1]]
    assert all(s.lstrip().startswith(b"<row") for s in stuecke)
