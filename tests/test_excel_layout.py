"""Workbooks as Excel and LibreOffice save them (issue 15): shared strings and their own cell and
row shapes — the usual state of a workbook once its inputs were edited in the spreadsheet. recalc
reads their old sheets by regular expressions piece by piece (``zellpruefung.rohzellen_excel``),
the shared strings likewise (``texte_schnell``), a chart block only as far as it goes
(``diagrammzeilen_excel``) and „Verträge“ by the rules of ``io._blattwerte``, in the second process
with the shared strings given along — each exactly what lxml reads cell by cell, or it declines and
lxml reads it; input rows as LibreOffice writes them read as lxml reads them."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sozbudget_xl import vertragsmappe
from sozbudget_xl.workbook import io, recalc

BEISPIELE = Path(__file__).resolve().parents[1] / "workbooks"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_KOPF = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}" '
    'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"><dimension ref="A1"/>'
    '<cols><col min="1" max="2" width="12"/></cols><sheetData>'
)
_ENDE = (
    '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
    "</worksheet>"
)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t\n &<>\"'"), max_size=12
)
_STIL = st.sampled_from(["", ' s="1"', ' s="12"'])


@st.composite
def _zelle(draw: st.DrawFn, ref: str) -> str:
    s = draw(_STIL)
    art = draw(
        st.sampled_from(
            ["zahl", "n", "geteilt", "inline", "str", "bool", "fehler", "leer", "leer2", "v_leer"]
        )
    )
    if art in ("zahl", "n"):
        zahl = draw(
            st.one_of(
                st.integers(-(10**12), 10**12).map(str),
                st.floats(allow_nan=False, allow_infinity=False).map(repr),
            )
        )
        typ = ' t="n"' if art == "n" else ""
        return f'<c r="{ref}"{s}{typ}><v>{zahl}</v></c>'
    if art == "geteilt":
        return f'<c r="{ref}"{s} t="s"><v>{draw(st.integers(0, 99))}</v></c>'
    if art == "inline":
        text = draw(_TEXT)
        raum = draw(st.sampled_from(["", ' xml:space="preserve"']))
        return f'<c r="{ref}"{s} t="inlineStr"><is><t{raum}>{_esc(text)}</t></is></c>'
    if art == "str":
        return f'<c r="{ref}"{s} t="str"><v>{_esc(draw(_TEXT))}</v></c>'
    if art == "bool":
        return f'<c r="{ref}"{s} t="b"><v>{draw(st.sampled_from("01"))}</v></c>'
    if art == "fehler":
        return f'<c r="{ref}"{s} t="e"><v>#NV</v></c>'
    if art == "v_leer":
        return f'<c r="{ref}"{s}><v></v></c>'
    return f'<c r="{ref}"{s}/>' if art == "leer" else f'<c r="{ref}"{s}></c>'


@st.composite
def _blatt(draw: st.DrawFn) -> bytes:
    zeilen = []
    for z in range(1, draw(st.integers(0, 12)) + 1):
        spalten = draw(st.lists(st.sampled_from(["A", "B", "C", "Z", "AB"]), unique=True, max_size=5))
        zellen = [draw(_zelle(f"{s}{z}")) for s in sorted(spalten, key=lambda s: (len(s), s))]
        attr = draw(
            st.sampled_from(
                ["", ' spans="1:3"', ' ht="30" customHeight="1"', ' hidden="1"', ' x14ac:dyDescent="0.25"']
            )
        )
        weiss = draw(st.sampled_from(["", "\n  "]))
        inhalt = weiss.join(zellen)
        zeilen.append(
            f'<row r="{z}"{attr}>{inhalt}</row>' if inhalt or draw(st.booleans()) else f'<row r="{z}"{attr}/>'
        )
    return (_KOPF + "\n".join(zeilen) + _ENDE).encode()


def _stuecke(xml: bytes, n: int) -> list[bytes]:
    return [xml[i : i + n] for i in range(0, len(xml), n)]


@settings(max_examples=150, deadline=None)
@given(_blatt(), st.integers(7, 5000), st.sampled_from([None, frozenset("A"), frozenset({"B", "AB"})]))
def test_excel_shapes_read_like_lxml_in_any_pieces(
    xml: bytes, stueck: int, spalten: frozenset[str] | None
) -> None:
    """Cells in the shapes Excel, LibreOffice and openpyxl save: the fast reader takes them (not
    None) and gives lxml's cells, however the part is cut into pieces."""
    schnell = io._rohzellen_excel(_stuecke(xml, stueck), spalten)
    assert schnell is not None
    assert schnell == list(io._rohzellen_lxml(xml, spalten))


_ANDERS = [
    b'<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>',  # formula
    b'<row r="1"><c r="A1" t="inlineStr"><is><r><t>a</t></r></is></c></row>',  # rich text
    b'<row r="1"><!-- x --><c r="A1"><v>1</v></c></row>',  # comment
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>a\rb</t></is></c></row>',  # CR: lxml normalises
    b'<row r="1"><c s="1" r="A1"><v>1</v></c></row>',  # attributes in another order
    b'<row r="1"><c r="A0"><v>1</v></c></row>',  # row 0
    b'<row r="1"><x:c xmlns:x="' + _MAIN.encode() + b'" r="A1"><v>1</v></x:c></row>',  # prefix
    b'<row r="1"><c r="A1"><v>1</v></c></row><foo/>',  # something else in <sheetData>
]


@pytest.mark.parametrize("zeilen", _ANDERS)
def test_other_shapes_are_left_to_lxml(zeilen: bytes) -> None:
    xml = _KOPF.encode() + zeilen + _ENDE.encode()
    assert io._rohzellen_excel((xml,)) is None
    assert list(io._rohzellen(xml)) == list(io._rohzellen_lxml(xml))


def test_a_cell_outside_sheet_data_is_left_to_lxml() -> None:
    xml = (_KOPF + '<row r="1"><c r="A1"><v>1</v></c></row>' + _ENDE).encode()
    assert io._rohzellen_excel((xml.replace(b"</worksheet>", b'<c r="B7"><v>2</v></c></worksheet>'),)) is None
    assert io._rohzellen_excel((xml.replace(b"<sheetData>", b'<c r="B7"/><sheetData>'),)) is None


def test_a_broken_part_is_an_error() -> None:
    xml = (_KOPF + '<row r="1"><c r="A1"><v>1</v></c></row>' + _ENDE).encode()
    with pytest.raises(io.etree.XMLSyntaxError):
        io._rohzellen_excel(_stuecke(xml[:-30], 64))
    with pytest.raises(io.etree.XMLSyntaxError):
        io._rohzellen_excel((xml.replace(b"<v>1</v>", b"<v>&bad;</v>"),))


def _sst(eintraege: list[str]) -> bytes:
    si = "".join(f"<si>{e}</si>" for e in eintraege)
    kopf = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    return f'{kopf}<sst xmlns="{_MAIN}" count="9" uniqueCount="9">{si}</sst>'.encode()


@given(st.lists(st.tuples(_TEXT, st.booleans()), max_size=20))
def test_plain_shared_strings_read_like_both_parsers(texte: list[tuple[str, bool]]) -> None:
    from openpyxl.reader.strings import read_string_table

    raum = ' xml:space="preserve"'
    xml = _sst([f"<t{raum if r else ''}>{_esc(t)}</t>" for t, r in texte])
    schnell = io._texte_schnell(xml)
    assert schnell == [io._texte(si) for si in io.SafeET.fromstring(xml)]
    assert [t.replace("x005F_", "") for t in schnell] == list(read_string_table(io._io.BytesIO(xml)))


@pytest.mark.parametrize(
    "eintrag",
    [
        "<r><t>Ju</t></r><r><t>gend</t></r>",
        '<t>Kita</t><rPh sb="0" eb="1"><t>KI</t></rPh>',
        "<t>a</t><!-- b -->",
    ],
)
def test_other_shared_strings_are_left_to_the_parser(eintrag: str) -> None:
    assert io._texte_schnell(_sst(["<t>x</t>", eintrag])) is None
    assert io._texte_schnell(_sst(["<t>x</t>"])[:-10]) is None  # broken: the parser raises its own error


@pytest.fixture(scope="module")
def lo_nach_recalc(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """celle after a recalc (with „Verträge“), and that file saved by LibreOffice (shared strings)."""
    programm = shutil.which("soffice") or shutil.which("libreoffice")
    if programm is None:
        pytest.skip("LibreOffice (soffice) ist nicht installiert")
    basis = tmp_path_factory.mktemp("excel-layout")
    assert recalc.neu_berechnen(BEISPIELE / "celle.xlsx", ausgabeordner=basis / "eigen").ok
    subprocess.run(
        [programm, f"-env:UserInstallation=file://{basis / 'profil'}", "--headless", "--convert-to", "xlsx",
         "--outdir", str(basis / "lo"), str(basis / "eigen" / "celle.xlsx")],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return basis / "eigen" / "celle.xlsx", basis / "lo" / "celle.xlsx"


def test_every_sheet_libreoffice_saved_is_read_fast_and_alike(lo_nach_recalc: tuple[Path, Path]) -> None:
    _, lo = lo_nach_recalc
    with zipfile.ZipFile(lo) as zf:
        paket = io._Paket(zf, lo.name)
        assert b' t="s"' in zf.read(paket.blatt("Verträge").teil)  # shared strings: not our layout
        for b in paket.blaetter:
            xml = zf.read(b.teil)
            assert io._rohzellen_excel(_stuecke(xml, 1 << 12)) == list(io._rohzellen_lxml(xml)), b.name
        sst = paket.teil_vom_typ("/sharedStrings")
        assert io._texte_schnell(zf.read(sst)) == [io._texte(si) for si in io._xml(zf, sst)]


def test_recalc_of_a_libreoffice_copy_reads_the_contracts_without_openpyxl(
    lo_nach_recalc: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The contract numbers of a workbook LibreOffice (or Excel) saved are read from the bytes
    already read, not by a second openpyxl load, nor any old sheet cell by cell with lxml; they stay
    what they were."""
    eigen, lo = lo_nach_recalc
    assert recalc.neu_berechnen(eigen, ausgabeordner=tmp_path / "a").ok

    def verboten(*args: object, **kwargs: object) -> None:
        raise AssertionError("zweites Laden oder Zelle für Zelle")

    monkeypatch.setattr(vertragsmappe, "lies_vertragsblatt", verboten)
    monkeypatch.setattr(io, "_rohzellen_lxml", verboten)
    assert recalc.neu_berechnen(lo, ausgabeordner=tmp_path / "b").ok

    def werte(pfad: Path) -> list[tuple[object, ...]]:
        return list(openpyxl.load_workbook(pfad, read_only=True)["Verträge"].iter_rows(values_only=True))

    assert werte(tmp_path / "b" / "celle.xlsx") == werte(tmp_path / "a" / "celle.xlsx")


@pytest.mark.parametrize("libreoffice", [False, True])
def test_the_second_process_reads_the_contracts_in_either_layout(
    lo_nach_recalc: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, libreoffice: bool
) -> None:
    """„Verträge“ goes to the second process in our layout and as Excel saved it (then with the
    workbook's shared strings); its answer is the sheet as read here, and nothing is read here."""
    monkeypatch.setattr(io, "_VORAB_AB", 0)
    pfad = lo_nach_recalc[libreoffice]
    with zipfile.ZipFile(pfad) as zf:
        paket = io._Paket(zf, pfad.name)
        hier = io._blattwerte(zf, paket, paket.blatt("Verträge").teil, io.lese_mappe(pfad)._datumsstile)
    assert hier is not None and len(hier) > 3

    def verboten(*args: object, **kwargs: object) -> None:
        raise AssertionError("hier gelesen")

    with io.einmal_pruefen():
        mappe = io.lese_mappe(pfad)
        io.vorab_starten(mappe, lesen=("Verträge",))
        assert mappe.wird_vorgelesen("Verträge")
        monkeypatch.setattr(io, "_blattwerte_gestreamt", verboten)
        monkeypatch.setattr(io, "_werte_gestreamt", verboten)
        assert mappe.blattwerte("Verträge") == hier


def _teile(pfad: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(pfad) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def test_the_second_process_reads_the_chart_columns_of_a_libreoffice_copy(
    lo_nach_recalc: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old chart blocks of a sheet saved with shared strings: the second process decodes its
    columns A and B while the model runs (the writer only maps the shared strings); the file is
    byte for byte the one the writer makes alone."""
    _, lo = lo_nach_recalc
    assert recalc.neu_berechnen(lo, ausgabeordner=tmp_path / "ohne").ok
    monkeypatch.setattr(io, "_VORAB_AB", 0)
    hier: list[str] = []
    echt = io._spalten_ab
    monkeypatch.setattr(io, "_spalten_ab", lambda zf, p, teil: hier.append(teil) or echt(zf, p, teil))
    assert recalc.neu_berechnen(lo, ausgabeordner=tmp_path / "mit").ok
    assert hier == []
    assert _teile(tmp_path / "mit" / lo.name) == _teile(tmp_path / "ohne" / lo.name)


_PREFIX = "Budget nach "
_TEXTE = [_PREFIX + "Träger", "Kopf", "Betrag", " ", "", _PREFIX + "Sozialraum", "Nord", "Süd & West"]


@st.composite
def _diagrammblatt(draw: st.DrawFn) -> bytes:
    """Rows with gaps, columns A and B (titles, texts, shared strings, numbers, blanks) and C."""
    zeilen, z = [], 0
    for _ in range(draw(st.integers(0, 14))):
        z += draw(st.integers(1, 3))
        zellen = []
        for spalte in "ABC":
            art = draw(st.sampled_from(["nichts", "geteilt", "inline", "zahl", "leer"]))
            ref = f"{spalte}{z}"
            if art == "geteilt":
                zellen.append(f'<c r="{ref}" s="1" t="s"><v>{draw(st.integers(0, len(_TEXTE) - 1))}</v></c>')
            elif art == "inline":
                zellen.append(
                    f'<c r="{ref}" t="inlineStr"><is><t>{_esc(draw(st.sampled_from(_TEXTE)))}</t></is></c>'
                )
            elif art == "zahl":
                zellen.append(f'<c r="{ref}" t="n"><v>{draw(st.integers(-5, 5))}</v></c>')
            elif art == "leer":
                zellen.append(f'<c r="{ref}" s="2"/>')
        zeilen.append(f'<row r="{z}" spans="1:3">{"".join(zellen)}</row>')
    return (_KOPF + "".join(zeilen) + _ENDE).encode()


def _alle_zeilen(xml: bytes) -> list[list[object]]:
    """Columns A and B of every row, read cell by cell with lxml (io's ``_spalten_ab``)."""
    zeilen: dict[int, list[object]] = {}
    for z, spalte, typ, v, _ in io._rohzellen_lxml(xml, frozenset("AB")):
        wert = _TEXTE[int(v)] if typ == "s" and v is not None else v
        zeilen.setdefault(z, [None, None])["AB".index(spalte)] = wert
    return [zeilen.get(z, [None, None]) for z in range(1, max(zeilen, default=0) + 1)]


@settings(max_examples=300, deadline=None)
@given(_diagrammblatt(), st.integers(16, 4000))
def test_the_chart_block_of_a_sheet_excel_saved_is_found_keeping_only_its_rows(
    xml: bytes, stueck: int
) -> None:
    """Streamed as far as its block, a sheet with shared strings gives the block every row gives,
    with the same rows; without its shared strings, or with rows out of order, no answer."""
    from sozbudget_xl.workbook import zellpruefung as zp

    zeilen = zp.diagrammzeilen_excel(_stuecke(xml, stueck), _PREFIX, _TEXTE)
    alle = _alle_zeilen(xml)
    assert zeilen is not None
    block = io._diagrammblock(alle)
    assert io._diagrammblock(zeilen) == block
    if block is None:
        assert zeilen == []
    if block is not None:
        assert len(zeilen) <= max(block.letzte, block.titelzeile + 1)  # nothing after the block is kept
        leer = [[None, None]] * block.letzte  # a row not there is an empty one
        von, bis = block.titelzeile - 1, block.letzte
        assert (zeilen + leer)[von:bis] == (alle + leer)[von:bis]
    if io.re.search(rb'<c r="[AB][0-9]+"[^>]* t="s"', xml):  # a shared string in A or B
        assert zp.diagrammzeilen_excel(_stuecke(xml, stueck), _PREFIX, None) is None


def test_rows_out_of_order_give_no_chart_block() -> None:
    from sozbudget_xl.workbook import zellpruefung as zp

    zeilen = '<row r="2"><c r="A2" t="s"><v>1</v></c></row><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    assert zp.diagrammzeilen_excel(((_KOPF + zeilen + _ENDE).encode(),), _PREFIX, _TEXTE) is None


def test_the_chart_job_reads_a_part_excel_saved_with_its_shared_strings() -> None:
    from sozbudget_xl.workbook import zellpruefung as zp

    xml = (
        _KOPF + '<row r="1"><c r="A1" t="s"><v>1</v></c><c r="C1"><v>3</v></c></row>'
        '<row r="3"><c r="A3" t="s"><v>0</v></c></row><row r="4"><c r="A4" t="s"><v>1</v></c>'
        '<c r="B4" t="s"><v>2</v></c></row><row r="5"><c r="A5" t="s"><v>6</v></c><c r="B5"><v>12.5</v></c>'
        '</row><row r="6"><c r="B6"><v>1</v></c></row><row r="9"><c r="A9" t="s"><v>7</v></c></row>' + _ENDE
    ).encode()
    sst = _sst([f"<t>{_esc(t)}</t>" for t in _TEXTE])
    mit, ohne = io._io.BytesIO(), io._io.BytesIO()
    for puffer, teile in (
        (mit, {"xl/worksheets/sheet1.xml": xml, "xl/sharedStrings.xml": sst}),
        (ohne, {"xl/worksheets/sheet1.xml": xml}),
    ):
        with zipfile.ZipFile(puffer, "w", zipfile.ZIP_DEFLATED) as z:
            for name, daten in teile.items():
                z.writestr(name, daten)
    antwort = zp.auftrag_ausfuehren("diagramm", "xl/worksheets/sheet1.xml", _PREFIX, mit.getvalue())
    assert antwort == [
        [None, None],
        [None, None],
        [_PREFIX + "Träger", None],
        ["Kopf", "Betrag"],
        ["Nord", "12.5"],
    ]
    assert io._diagrammblock(antwort) == io._diagrammblock(_alle_zeilen(xml))
    assert zp.auftrag_ausfuehren("diagramm", "xl/worksheets/sheet1.xml", _PREFIX, ohne.getvalue()) is None


_ATTRIBUTWERTE = {
    "customFormat": ["false"],
    "ht": ["12.8", "1\t2"],
    "hidden": ["false", "true", "1", "0"],
    "customHeight": ["false"],
    "outlineLevel": ["0"],
    "spans": ["1:3"],
    "x14ac:dyDescent": ["0.25"],
    "xmlns:y": ["urn:y"],
}
#: a row's attributes besides r, each at most once (in the order LibreOffice writes them)
_ZEILENATTRIBUTE = st.tuples(
    *(st.none() | st.sampled_from([f' {n}="{w}"' for w in werte]) for n, werte in _ATTRIBUTWERTE.items())
).map(lambda a: [x for x in a if x])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_ZEILENATTRIBUTE, st.booleans(), st.integers(0, 3)), max_size=12))
def test_input_rows_as_libreoffice_writes_them_read_like_lxml(
    zeilen: list[tuple[list[str], bool, int]],
) -> None:
    """Row attributes after r (LibreOffice: the same for every row) are understood once per
    distinct rest, and shared-string cells go straight into the row: the same values, the same rows
    hidden and the same last row as lxml reading every row and cell."""
    from unittest import mock

    xml_zeilen = []
    for z, (attribute, r_vorn, texte) in enumerate(zeilen, start=1):
        attr = "".join(attribute)
        attr = f' r="{z}"{attr}' if r_vorn else f'{attr} r="{z}"'
        zellen = "".join(f'<c r="{"ABC"[i]}{z}" s="0" t="s"><v>{(z + i) % 3}</v></c>' for i in range(texte))
        xml_zeilen.append(f"<row{attr}>{zellen}</row>" if zellen else f"<row{attr}/>")
    kopf = f'<worksheet xmlns="{_MAIN}" xmlns:x14ac="urn:x"><sheetData>'
    xml = (kopf + "".join(xml_zeilen) + "</sheetData></worksheet>").encode()
    k = mock.Mock(datum=frozenset(), dauer=frozenset(), stile=1, texte=lambda: ["a", "b", ""])

    def lesen(schnell: bool) -> tuple[object, ...]:
        blatt = io._strom_blatt(xml, "Q", k, schnell)[0]
        versteckt = {z for z, d in blatt.row_dimensions.items() if d.hidden}
        return {z: w for z, w in blatt.werte.items() if w}, versteckt, blatt.hoechste

    assert lesen(True) == lesen(False)


@pytest.mark.parametrize("r", ["x", "", "-1", "2.0", " 2"])
@pytest.mark.parametrize("dazu", ["", ' hidden="1"'])
def test_a_row_number_openpyxl_cannot_read_is_never_read_past(r: str, dazu: str) -> None:
    """A row whose r is no number (openpyxl's ``int(r)`` fails): the regular expressions leave the
    sheet as the streamed path does (openpyxl then reads the workbook), instead of keeping the rows
    before it and dropping the rest (the rows after it were lost without a word)."""
    from unittest import mock

    zeilen = [f'<row r="{z}"><c r="A{z}" t="n"><v>{z}</v></c></row>' for z in (1, 3)]
    xml = (
        f'<worksheet xmlns="{_MAIN}"><sheetData>{zeilen[0]}<row{dazu} r="{r}"><c r="A2" t="n"><v>2</v>'
        f"</c></row>{zeilen[1]}</sheetData></worksheet>"
    ).encode()
    k = mock.Mock(datum=frozenset(), dauer=frozenset(), stile=1, texte=lambda: [])
    for schnell in (True, False):
        with pytest.raises(io._NichtGestreamt):
            io._strom_blatt(xml, "Q", k, schnell)


def test_a_workbook_with_an_unreadable_row_number_is_refused_not_shortened(tmp_path: Path) -> None:
    """End to end: a row r="x" on „Träger“ gives the reader's German error, not a table that quietly
    ends above that row."""
    import re

    from sozbudget_xl.errors import SozbudgetError

    quelle = Path(__file__).resolve().parents[1] / "workbooks" / "kgst.xlsx"
    assert len(io.lese_mappe(quelle).tabellen["Traeger"]) >= 3
    kaputt = tmp_path / "kgst.xlsx"
    with zipfile.ZipFile(quelle) as zf, zipfile.ZipFile(kaputt, "w", zipfile.ZIP_DEFLATED) as neu:
        paket = io._Paket(zf, quelle.name)
        teil = paket.blatt("Träger").teil  # type: ignore[union-attr]
        for info in zf.infolist():
            daten = zf.read(info)
            if info.filename == teil:
                daten = re.sub(rb'<row r="3"', b'<row r="x"', daten, count=1)
                assert b'r="x"' in daten
            neu.writestr(info, daten)
    with pytest.raises(SozbudgetError, match="konnte nicht gelesen werden"):
        io.lese_mappe(kaputt)


_GETEILT = [f"Text {i}" for i in range(95)] + ["a_x0041_b", "", " ", "x005F_y", "Süd"]


_MIT_X = (
    _KOPF + '<row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" t="s"><v>95</v></c></row>'
    '<row r="2"><c r="A2" t="s"><v>98</v></c><c r="C2" t="n"><v>2.5</v></c></row>' + _ENDE
).encode()


@settings(max_examples=150, deadline=None)
@given(_blatt(), st.integers(7, 5000), st.sampled_from([None, frozenset(), frozenset({"1"})]))
@example(_MIT_X, 64, frozenset())  # an escape in a shared string: None as openpyxl would read it otherwise
@example(_MIT_X.replace(b"<v>95</v>", b"<v>94</v>"), 64, frozenset())
def test_values_of_a_sheet_excel_saved_read_like_cell_by_cell(
    xml: bytes, stueck: int, datumsstile: frozenset[str] | None
) -> None:
    """The values of an old sheet in the shapes Excel saves (the contract sheet after Excel saved
    it), piece by piece with its shared strings: exactly what reading every cell with lxml gives
    (``None`` alike where a cell cannot be read as openpyxl would)."""
    from unittest import mock

    from sozbudget_xl.workbook import zellpruefung as zp

    puffer = io._io.BytesIO()
    with zipfile.ZipFile(puffer, "w") as z:
        z.writestr("s.xml", xml)
    zf = zipfile.ZipFile(puffer)
    paket = mock.Mock()
    with mock.patch.object(io, "_geteilte_texte_wie_openpyxl", lambda *_: _GETEILT):
        schnell = io._blattwerte(zf, paket, "s.xml", datumsstile)
        with (
            mock.patch.object(io, "_werte_gestreamt", lambda *_: zp.KEIN_ERGEBNIS),
            mock.patch.object(io, "_rohzellen_excel", lambda *_: None),
        ):
            langsam = io._blattwerte(zf, paket, "s.xml", datumsstile)
    assert schnell == langsam
    stuecke = zp.blattwerte_excel(_stuecke(xml, stueck), datumsstile, _GETEILT)
    assert (None if stuecke is None else io._als_liste(stuecke)) == langsam
    if stuecke is not None and io.re.search(rb' t="s"><v>', xml):  # a shared string: not without the texts
        with pytest.raises(zp.Langsam):
            zp.blattwerte_excel(_stuecke(xml, stueck), datumsstile, None)


def test_the_shared_strings_in_a_jobs_zip_read_as_each_reader_reads_them() -> None:
    from sozbudget_xl.workbook import zellpruefung as zp

    puffer = io._io.BytesIO()
    with zipfile.ZipFile(puffer, "w") as z:
        z.writestr("xl/worksheets/sheet1.xml", b"<x/>")
        z.writestr("xl/sharedStrings.xml", _sst(["<t>a_x005F_x0041_b</t>", "<t>Nord &amp; Süd</t>"]))
    zf = zipfile.ZipFile(puffer)
    assert zp.texte_im_zip(zf, "xl/worksheets/sheet1.xml") == ["a_x005F_x0041_b", "Nord & Süd"]
    assert zp.texte_im_zip(zf, "xl/worksheets/sheet1.xml", openpyxl=True) == ["a_x0041_b", "Nord & Süd"]
    assert zp.texte_im_zip(zf, "xl/sharedStrings.xml") is None  # the other part is no shared-strings part
