"""The streamed reader of the input sheets (issue 15): ``lese_mappe`` reads „Parameter“ and the
sheets with an Excel table without openpyxl, with exactly the result of the openpyxl path — the
same ``Mappendaten`` or the same German error (sheet and cell) — and hands anything it does not
read alike to openpyxl."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sozbudget_xl.errors import SozbudgetError
from sozbudget_xl.workbook import io

BEISPIELE = Path(__file__).resolve().parents[1] / "workbooks"
_FELDER = (
    "blaetter", "parameter", "tabellen", "tabellen_blatt", "_parameter_zellen", "_spalten",
    "_kopfzeile", "_erste_spalte", "_zeilen", "hinweise", "_datumsstile",
)  # fmt: skip


# --------------------------------------------------------------------------- comparing both paths


def _ergebnis(pfad: Path) -> Any:
    try:
        m = io.lese_mappe(pfad)
    except SozbudgetError as exc:
        return ("Fehler", str(exc), exc.sheet, exc.cell)
    return {f: getattr(m, f) for f in _FELDER}


def _mit_openpyxl(pfad: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    def nie(*_: Any) -> Any:
        raise io._NichtGestreamt("Test")

    with monkeypatch.context() as m:
        m.setattr(io, "_lies_eingaben", nie)
        return _ergebnis(pfad)


def _wege(pfad: Path) -> tuple[bool, list[str]]:
    """(streamed at all, names of the input sheets whose rows were read cell by cell with lxml
    instead of by the regular expressions)."""
    zf = io._oeffne_paket(pfad.read_bytes(), pfad.name)
    langsam: list[str] = []
    original = io._zeile_streamen

    def spion(elem: Any, zaehler: int, blatt: Any, k: Any) -> int:
        if blatt.title not in langsam:
            langsam.append(blatt.title)
        return original(elem, zaehler, blatt, k)

    io._zeile_streamen = spion  # type: ignore[assignment]
    try:
        io._lies_eingaben(zf, io._Paket(zf, pfad.name))
    except io._NichtGestreamt:
        return False, langsam
    finally:
        io._zeile_streamen = original  # type: ignore[assignment]
    return True, langsam


def _blaetter_wie_openpyxl(pfad: Path) -> None:
    """Every input sheet as streamed equals openpyxl's worksheet in what the reader and the checks
    use: ``max_row``, every value (and error cells), hidden rows and columns, merged ranges, tables."""
    zf = io._oeffne_paket(pfad.read_bytes(), pfad.name)
    mappe, _, datumsstile = io._lies_eingaben(zf, io._Paket(zf, pfad.name))
    wb = openpyxl.load_workbook(pfad, data_only=True)
    assert mappe.sheetnames == wb.sheetnames
    assert datumsstile == io._datumsstile(wb)
    for blatt in mappe.worksheets:
        ws = wb[blatt.title]
        assert blatt.max_row == ws.max_row, blatt.title
        soll = {k: (c.value, c.data_type == "e") for k, c in ws._cells.items() if c.value is not None}
        ist = {(z, s): (w, (z, s) in blatt.fehler) for z, r in blatt.werte.items() for s, w in r.items()}
        assert ist == soll, blatt.title
        assert {z for z, d in blatt.row_dimensions.items() if d.hidden} == {
            z for z, d in ws.row_dimensions.items() if d.hidden
        }
        assert [(b, d.min, d.max) for b, d in blatt.column_dimensions.items() if d.hidden] == [
            (b, d.min, d.max) for b, d in ws.column_dimensions.items() if d.hidden
        ]
        assert [r.coord for r in blatt.merged_cells.ranges] == [r.coord for r in ws.merged_cells.ranges]
        assert [_tabelle(t) for t in blatt.tables.values()] == [_tabelle(t) for t in ws.tables.values()]


def _tabelle(t: Any) -> tuple[Any, ...]:
    return (t.name, t.ref, t.headerRowCount, t.totalsRowCount, [c.name for c in t.tableColumns])


def _beispiele() -> list[Path]:
    return sorted(p for p in BEISPIELE.iterdir() if p.suffix in (".xlsx", ".xlsm"))


# --------------------------------------------------------------------------- example workbooks


@pytest.mark.parametrize("pfad", _beispiele(), ids=lambda p: p.name)
def test_beispiele_gestreamt_wie_openpyxl(pfad: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every example workbook: streamed, every cell by the regular expression, the same
    ``Mappendaten`` as the openpyxl path, and each input sheet as openpyxl reads it."""
    assert _wege(pfad) == (True, [])
    ergebnis = _ergebnis(pfad)
    assert isinstance(ergebnis, dict) and ergebnis["tabellen"]
    assert ergebnis == _mit_openpyxl(pfad, monkeypatch)
    _blaetter_wie_openpyxl(pfad)


def test_beispiele_von_openpyxl_gespeichert(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The examples saved by openpyxl (shared strings, other attribute layout): the same result."""
    for quelle in _beispiele():
        pfad = tmp_path / quelle.name
        openpyxl.load_workbook(quelle, keep_vba=quelle.suffix == ".xlsm").save(pfad)
        assert _wege(pfad) == (True, []), quelle.name
        assert _ergebnis(pfad) == _mit_openpyxl(pfad, monkeypatch), quelle.name
        _blaetter_wie_openpyxl(pfad)


@pytest.fixture(scope="module")
def lo_kopien(tmp_path_factory: pytest.TempPathFactory) -> Path:
    programm = shutil.which("soffice") or shutil.which("libreoffice")
    if programm is None:
        pytest.skip("LibreOffice (soffice) ist nicht installiert")
    basis = tmp_path_factory.mktemp("lo")
    subprocess.run(
        [programm, f"-env:UserInstallation=file://{basis / 'profil'}", "--headless", "--convert-to", "xlsx",
         "--outdir", str(basis / "lo"), *map(str, _beispiele())],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return basis / "lo"


def test_beispiele_von_libreoffice_gespeichert(lo_kopien: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The examples saved by LibreOffice: streamed by the regular expression, the same result."""
    kopien = sorted(lo_kopien.glob("*.xlsx"))
    assert len(kopien) == len(_beispiele())
    for pfad in kopien:
        assert _wege(pfad) == (True, []), pfad.name
        assert _ergebnis(pfad) == _mit_openpyxl(pfad, monkeypatch), pfad.name
        _blaetter_wie_openpyxl(pfad)


# --------------------------------------------------------------------------- hand-made workbooks

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STILE = (
    f'<styleSheet {_NS}><numFmts count="2"><numFmt numFmtId="164" formatCode="DD.MM.YYYY"/>'
    '<numFmt numFmtId="165" formatCode="#,##0.00 &quot;€&quot;"/></numFmts>'
    '<fonts count="1"><font/></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="6"><xf numFmtId="0"/>'
    '<xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"/>'
    '<xf numFmtId="46" applyNumberFormat="1"/><xf numFmtId="20" applyNumberFormat="1"/>'
    '<xf numFmtId="165" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
#: shared strings: plain, rich text runs, phonetic run (not part of the text), escapes
_TEXTE = [
    "<t>Name</t>", "<t>Wert</t>", "<t>Datum</t>", "<r><t>Ju</t></r><r><rPr><b/></rPr><t>gend</t></r>",
    '<t>Kita</t><rPh sb="0" eb="1"><t>KI</t></rPh>', "<t>a_x005F_x0041_b</t>", "<t>Zeile_x000D_2</t>",
    '<t xml:space="preserve"> Rand </t>', "<t>Modell</t>", "<t>kgst</t>",
]  # fmt: skip


def _baue(
    pfad: Path,
    daten: str,
    *,
    parameter: str = '<row r="1"><c r="A1" t="s"><v>8</v></c><c r="B1" t="s"><v>9</v></c></row>',
    ref: str = "A1:C4",
    nach_daten: str = "",
    datum1904: bool = False,
    tabelle: str = "",
    teile: dict[str, str] | None = None,
) -> Path:
    """A workbook written part by part: „Parameter“ and „Daten“ with the table „Daten“
    (columns Name, Wert, Datum) over ``ref``; ``daten`` is the ``<sheetData>`` content."""
    pr = '<workbookPr date1904="1"/>' if datum1904 else "<workbookPr/>"
    sst = "".join(f"<si>{t}</si>" for t in _TEXTE)
    inhalte = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/tables/table1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.table+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook {_NS} {_RNS}>{pr}<sheets><sheet name="Parameter" sheetId="1" r:id="rId1"/>'
            '<sheet name="Daten" sheetId="2" r:id="rId2"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{_REL}/worksheet" Target="worksheets/sheet2.xml"/>'
            f'<Relationship Id="rId3" Type="{_REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId4" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": _STILE,
        "xl/sharedStrings.xml": f'<sst {_NS} count="{len(_TEXTE)}" uniqueCount="{len(_TEXTE)}">{sst}</sst>',
        "xl/worksheets/sheet1.xml": f"<worksheet {_NS}><sheetData>{parameter}</sheetData></worksheet>",
        "xl/worksheets/sheet2.xml": (
            f"<worksheet {_NS} {_RNS}><sheetData>{daten}</sheetData>{nach_daten}"
            '<tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>'
        ),
        "xl/worksheets/_rels/sheet2.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/table" Target="../tables/table1.xml"/></Relationships>'
        ),
        "xl/tables/table1.xml": tabelle
        or (
            f'<table {_NS} id="1" name="Daten" displayName="Daten" ref="{ref}"><tableColumns count="3">'
            '<tableColumn id="1" name="Name"/><tableColumn id="2" name="Wert"/>'
            '<tableColumn id="3" name="Datum"/>'
            "</tableColumns></table>"
        ),
    }
    inhalte.update(teile or {})
    with zipfile.ZipFile(pfad, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, inhalt in inhalte.items():
            zf.writestr(name, inhalt)
    return pfad


_KOPF = (
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>'
)


def _gleich(pfad: Path, monkeypatch: pytest.MonkeyPatch, *, schnell: bool = True) -> Any:
    """Assert both paths agree and the streamed one was taken (by the regex when ``schnell``)."""
    gestreamt, langsam = _wege(pfad)
    assert gestreamt
    assert (langsam == []) is schnell, langsam
    ergebnis = _ergebnis(pfad)
    assert ergebnis == _mit_openpyxl(pfad, monkeypatch)
    _blaetter_wie_openpyxl(pfad)
    return ergebnis


def test_texte_zahlen_wahrheitswerte(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Shared strings (rich text runs, a phonetic run, ``_xHHHH_`` escapes), inline strings with
    character references, booleans, integers, floats with exponent, ``-0``."""
    daten = (
        _KOPF + '<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" t="b"><v>1</v></c>'
        '<c r="C2" t="inlineStr"><is><t>K&#246;ln &amp; Bonn</t></is></c></row>'
        '<row r="3"><c r="A3" t="s"><v>4</v></c><c r="B3"><v>1.5E3</v></c><c r="C3" t="s"><v>5</v></c></row>'
        '<row r="4"><c r="A4" t="s"><v>6</v></c><c r="B4" t="n"><v>-0</v></c>'
        '<c r="C4" t="s"><v>7</v></c></row>'
    )
    e = _gleich(_baue(tmp_path / "t.xlsx", daten), monkeypatch)
    assert e["tabellen"]["Daten"] == [
        {"Name": "Jugend", "Wert": True, "Datum": "Köln & Bonn"},
        {"Name": "Kita", "Wert": 1500.0, "Datum": "aAb"},  # openpyxl drops x005F_, then _x0041_ is „A“
        {"Name": "Zeile\r2", "Wert": 0, "Datum": " Rand "},
    ]


def test_rich_inline_string_liest_zelle_fuer_zelle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An inline string with rich text runs is outside the regex's shapes: the sheet is read
    cell by cell with lxml, with the same result."""
    daten = (
        _KOPF
        + '<row r="2"><c r="A2" t="inlineStr"><is><r><t>A</t></r><r><rPr><i/></rPr><t>B</t></r></is></c>'
        '<c r="B2"><v>2</v></c></row>'
    )
    e = _gleich(_baue(tmp_path / "r.xlsx", daten), monkeypatch, schnell=False)
    assert e["tabellen"]["Daten"] == [{"Name": "AB", "Wert": 2, "Datum": None}]


@pytest.mark.parametrize("datum1904", [False, True])
def test_datum_aus_zahlenformat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, datum1904: bool) -> None:
    """Dates from built-in and custom number formats (both date systems), an ISO date cell, a
    duration, a time of day; a money format stays a number."""
    daten = (
        _KOPF + '<row r="2"><c r="A2" t="s"><v>8</v></c><c r="B2" s="5"><v>12.5</v></c>'
        '<c r="C2" s="1"><v>46023</v></c></row>'
        '<row r="3"><c r="A3" t="s"><v>9</v></c><c r="B3" s="3"><v>1.25</v></c>'
        '<c r="C3" s="2"><v>46024.5</v></c></row>'
        '<row r="4"><c r="A4" t="s"><v>0</v></c><c r="B4" s="4"><v>0.5</v></c>'
        '<c r="C4" t="d"><v>2026-03-01T00:00:00</v></c></row>'
    )
    e = _gleich(_baue(tmp_path / "d.xlsx", daten, datum1904=datum1904), monkeypatch)
    basis = dt.date(1904, 1, 1) if datum1904 else dt.date(1899, 12, 30)
    zeilen = e["tabellen"]["Daten"]
    assert zeilen[0]["Wert"] == 12.5
    assert zeilen[0]["Datum"] == basis + dt.timedelta(days=46023)
    assert zeilen[1]["Datum"] == basis + dt.timedelta(days=46024)
    assert zeilen[1]["Wert"] == dt.timedelta(days=1.25)
    assert zeilen[2]["Wert"] == "12:00 Uhr" and zeilen[2]["Datum"] == dt.date(2026, 3, 1)


def test_leere_verstreute_und_ungeordnete_zellen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Empty styled cells, cells out of order, a repeated cell (the last one counts), rows without
    number, a sparse row and a cell far right of the table: as openpyxl reads them."""
    daten = (
        _KOPF + '<row r="2" spans="1:3"><c r="C2" s="1"/><c r="B2"><v>7</v></c><c r="A2" t="s"><v>8</v></c>'
        '<c r="B2"><v>8</v></c></row><row><c r="A3" t="s"><v>9</v></c><c r="Z3"><v>1</v></c></row>'
        '<row><c r="B4"></c><c r="C4" t="str"><v>x</v></c></row><row r="9"><c r="A9" s="2"/></row>'
    )
    e = _gleich(_baue(tmp_path / "l.xlsx", daten), monkeypatch)
    assert e["tabellen"]["Daten"] == [
        {"Name": "Modell", "Wert": 8, "Datum": None},
        {"Name": "kgst", "Wert": None, "Datum": None},
        {"Name": None, "Wert": None, "Datum": "x"},
    ]


def test_zellen_ohne_bezug_lesen_zelle_fuer_zelle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cells without ``r`` (allowed by the format) and prefixed elements: read cell by cell, alike."""
    daten = _KOPF + '<row r="2"><c t="s"><v>8</v></c><c><v>3</v></c></row>'
    e = _gleich(_baue(tmp_path / "o.xlsx", daten), monkeypatch, schnell=False)
    assert e["tabellen"]["Daten"] == [{"Name": "Modell", "Wert": 3, "Datum": None}]
    x = f'<x:worksheet xmlns:x="{_NS[7:-1]}" {_RNS}><x:sheetData><x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v>'
    x += '</x:c></x:row></x:sheetData><x:tableParts count="1"><x:tablePart r:id="rId1"/></x:tableParts>'
    x += "</x:worksheet>"
    pfad = _baue(tmp_path / "p.xlsx", "", ref="A1:A2", teile={"xl/worksheets/sheet2.xml": x})
    assert _gleich(pfad, monkeypatch, schnell=False)["_spalten"]["Daten"] == {"Name": 1}


def test_formeln_mit_und_ohne_wert(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cached formula values are read (cell by cell: a formula is outside the regex's shapes); a
    formula without cached value is the same German error with sheet and cell."""
    daten = (
        _KOPF + '<row r="2"><c r="A2" t="s"><v>8</v></c><c r="B2"><f>1+1</f><v>2</v></c>'
        '<c r="C2" t="str"><f>""</f><v></v></c></row>'
    )
    e = _gleich(_baue(tmp_path / "f.xlsx", daten), monkeypatch, schnell=False)
    assert e["tabellen"]["Daten"] == [{"Name": "Modell", "Wert": 2, "Datum": None}]
    daten = _KOPF + '<row r="2"><c r="A2" t="s"><v>8</v></c><c r="B2"><f>1+1</f></c></row>'
    e = _gleich(_baue(tmp_path / "g.xlsx", daten), monkeypatch, schnell=False)
    assert e[0] == "Fehler" and e[2:] == ("Daten", "B2") and "Formel ohne berechneten Wert" in e[1]


def test_fehlerwert_ist_deutscher_fehler(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An error value (#DIV/0!) in the table: the same German error naming sheet and cell; the
    same value outside the table is not read."""
    daten = _KOPF + '<row r="2"><c r="A2" t="s"><v>8</v></c><c r="B2" t="e"><v>#DIV/0!</v></c></row>'
    e = _gleich(_baue(tmp_path / "e.xlsx", daten), monkeypatch)
    assert e[0] == "Fehler" and e[2:] == ("Daten", "B2") and "#DIV/0!" in e[1]
    daten = _KOPF + '<row r="2"><c r="A2" t="s"><v>8</v></c><c r="F2" t="e"><v>#DIV/0!</v></c></row>'
    assert _gleich(_baue(tmp_path / "f.xlsx", daten), monkeypatch)["tabellen"]["Daten"][0]["Name"] == "Modell"


def test_ausgeblendete_zeilen_und_spalten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A hidden row (``hidden="true"``, also one without cells) or column in the table is the same
    German error; a hidden empty row and ``hidden="0"`` are not."""
    zeile = '<row r="2"{}><c r="A2" t="s"><v>8</v></c></row>'
    e = _gleich(_baue(tmp_path / "h.xlsx", _KOPF + zeile.format(' hidden="true"')), monkeypatch)
    assert e[0] == "Fehler" and e[2:] == ("Daten", "A2") and "ausgeblendete" in e[1]
    e = _gleich(_baue(tmp_path / "i.xlsx", _KOPF + zeile.format(' hidden="0" ht="20"')), monkeypatch)
    assert e["tabellen"]["Daten"] == [{"Name": "Modell", "Wert": None, "Datum": None}]
    leer = _KOPF + zeile.format("") + '<row r="3" hidden="1"/>'
    assert _gleich(_baue(tmp_path / "j.xlsx", leer), monkeypatch)["tabellen"]["Daten"][0]["Name"] == "Modell"
    spalte = '<cols><col min="2" max="3" hidden="1" width="0"/></cols>'
    pfad = _baue(tmp_path / "k.xlsx", _KOPF, teile={})
    pfad = _baue(
        tmp_path / "k.xlsx",
        _KOPF,
        teile={"xl/worksheets/sheet2.xml": f"<worksheet {_NS} {_RNS}>{spalte}<sheetData>{_KOPF}</sheetData>"
               '<tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>'},
    )  # fmt: skip
    e = _gleich(pfad, monkeypatch)
    assert e[0] == "Fehler" and e[2:] == ("Daten", "B1") and "ausgeblendete Spalte" in e[1]


def test_zeilen_unter_tabelle_und_verbundene_zellen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows typed below the table are taken in with a note; merged cells in the table are the same
    error; merged cells elsewhere keep only their top-left value, as in openpyxl."""
    daten = (
        _KOPF + '<row r="2"><c r="A2" t="s"><v>8</v></c></row><row r="3"><c r="A3" t="s"><v>9</v></c></row>'
        '<row r="4"><c r="A4" t="s"><v>3</v></c><c r="E4"><v>1</v></c><c r="F4"><v>2</v></c></row>'
    )
    e = _gleich(_baue(tmp_path / "u.xlsx", daten, ref="A1:C3"), monkeypatch)
    assert [z["Name"] for z in e["tabellen"]["Daten"]] == ["Modell", "kgst", "Jugend"]
    assert e["hinweise"] and "Zeile 4" in e["hinweise"][0]
    verbunden = '<mergeCells count="1"><mergeCell ref="E4:F5"/></mergeCells>'
    e = _gleich(_baue(tmp_path / "v.xlsx", daten, ref="A1:C3", nach_daten=verbunden), monkeypatch)
    assert [z["Name"] for z in e["tabellen"]["Daten"]] == ["Modell", "kgst", "Jugend"]
    verbunden = '<mergeCells count="1"><mergeCell ref="A2:B2"/></mergeCells>'
    e = _gleich(_baue(tmp_path / "w.xlsx", daten, nach_daten=verbunden), monkeypatch)
    assert e[0] == "Fehler" and e[2:] == ("Daten", "A2:B2") and "verbundene Zellen" in e[1]


def test_summenzeile_und_ergebniszeile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A total row typed below the table and a table with a totals row: as the openpyxl path."""
    daten = _KOPF + '<row r="2"><c r="A2" t="s"><v>8</v></c><c r="B2"><v>1</v></c></row>'
    summe = daten + '<row r="3"><c r="A3" t="inlineStr"><is><t>Summe</t></is></c><c r="B3"><v>1</v></c></row>'
    e = _gleich(_baue(tmp_path / "s.xlsx", summe, ref="A1:C2"), monkeypatch)
    assert e[0] == "Fehler" and e[2:] == ("Daten", "A3") and "Summenzeile" in e[1]
    tabelle = (
        f'<table {_NS} id="1" name="Daten" displayName="Daten" ref="A1:C3" totalsRowCount="1">'
        '<tableColumns count="3"><tableColumn id="1" name="Name"/><tableColumn id="2" name="Wert"/>'
        '<tableColumn id="3" name="Datum"/></tableColumns></table>'
    )
    e = _gleich(_baue(tmp_path / "t.xlsx", summe, tabelle=tabelle), monkeypatch)
    assert e["tabellen"]["Daten"] == [{"Name": "Modell", "Wert": 1, "Datum": None}]


def test_kommentare_zaehlen_links_gehen_an_openpyxl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """openpyxl creates cells for comments (they count for ``max_row``, which clips the table
    range): the streamed sheet knows the same ``max_row``. openpyxl writes a hyperlink's target
    into its empty cells: a sheet with hyperlinks goes to openpyxl."""
    links = '<hyperlinks><hyperlink ref="A3:B3" location="Parameter!A1"/></hyperlinks>'
    pfad = _baue(tmp_path / "h.xlsx", _KOPF, ref="A1:C100", nach_daten=links)
    assert _wege(pfad)[0] is False
    e = _ergebnis(pfad)
    assert e == _mit_openpyxl(pfad, monkeypatch)
    assert e["tabellen"]["Daten"] == [{"Name": "Parameter!A1", "Wert": "Parameter!A1", "Datum": None}]
    kommentare = (
        f'<comments {_NS}><authors><author>a</author></authors><commentList><comment ref="D40" authorId="0">'
    )
    kommentare += "<text><t>x</t></text></comment></commentList></comments>"
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/table" Target="../tables/table1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL}/comments" Target="../comments1.xml"/></Relationships>'
    )
    teile = {"xl/comments1.xml": kommentare, "xl/worksheets/_rels/sheet2.xml.rels": rels}
    pfad = _baue(tmp_path / "k.xlsx", _KOPF, ref="A1:C100", teile=teile)
    _gleich(pfad, monkeypatch)
    zf = io._oeffne_paket(pfad.read_bytes(), "k")
    assert io._lies_eingaben(zf, io._Paket(zf, "k"))[0]["Daten"].max_row == 40


@pytest.mark.parametrize(
    ("zelle", "text"),
    [
        ('<c r="B2"><v>NaN</v></c>', "ungültig"),
        ('<c r="B2" t="s"><v>99</v></c>', "konnte nicht gelesen werden"),
        ('<c r="B2" s="42"><v>1</v></c>', "konnte nicht gelesen werden"),
        ('<c r="b2"><v>1</v></c>', None),
        ('<c r="B2"><v>1&amp</v></c>', "konnte nicht gelesen werden"),  # not well-formed
    ],
)
def test_beschaedigte_zelle_gibt_den_fehler_von_openpyxl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, zelle: str, text: str | None
) -> None:
    """A cell openpyxl cannot read (a number „NaN“, a shared string or style that does not exist)
    or reads by its own rules (a lower-case reference): the workbook goes to openpyxl, with its
    German error or its result."""
    pfad = _baue(tmp_path / "b.xlsx", _KOPF + f'<row r="2"><c r="A2" t="s"><v>8</v></c>{zelle}</row>')
    assert _wege(pfad)[0] is False
    e = _ergebnis(pfad)
    if text is None:
        assert e["tabellen"]["Daten"] == [{"Name": "Modell", "Wert": 1, "Datum": None}]
    else:
        assert e[0] == "Fehler" and text in e[1]
    assert e == _mit_openpyxl(pfad, monkeypatch)


def test_doppelter_tabellenname_geht_an_openpyxl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A table named like a defined name (openpyxl refuses it): read by openpyxl, same error."""
    pfad = _baue(tmp_path / "n.xlsx", _KOPF)
    with zipfile.ZipFile(pfad) as zf:
        wb = zf.read("xl/workbook.xml").decode()
    wb = wb.replace(
        "</sheets>",
        '</sheets><definedNames><definedName name="daten">Daten!$A$1</definedName></definedNames>',
    )
    pfad = _baue(tmp_path / "n.xlsx", _KOPF, teile={"xl/workbook.xml": wb})
    assert _wege(pfad)[0] is False
    assert _ergebnis(pfad) == _mit_openpyxl(pfad, monkeypatch)


def test_grosse_tabelle_ohne_zellobjekte(tmp_path: Path) -> None:
    """A table of 20.000 rows: read by the regex, rows kept as small dicts of values (memory grows
    with the values, far below openpyxl's cell objects)."""
    import tracemalloc

    zeilen = "".join(
        f'<row r="{z}"><c r="A{z}" t="inlineStr"><is><t>Q{z}</t></is></c><c r="B{z}"><v>{z}.5</v></c></row>'
        for z in range(2, 20_002)
    )
    pfad = _baue(tmp_path / "g.xlsx", _KOPF + zeilen, ref="A1:C20001")
    assert _wege(pfad) == (True, [])
    tracemalloc.start()
    m = io.lese_mappe(pfad)
    spitze = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(m.tabellen["Daten"]) == 20_000 and m.tabellen["Daten"][-1] == {
        "Name": "Q20001", "Wert": 20001.5, "Datum": None
    }  # fmt: skip
    assert spitze < 40 * 1024 * 1024, spitze


@given(
    werte=st.lists(
        st.one_of(st.integers(-(10**15), 10**15), st.floats(allow_nan=False), st.booleans(), st.just(-0.0),
                  st.just(0), st.text(max_size=8), st.just("_x0041_b"), st.none()),
        min_size=1, max_size=6,
    )
)  # fmt: skip
def test_row_values_of_a_streamed_sheet_are_the_input_values(werte: list[object]) -> None:
    """Numbers take a short way past ``schutz.eingabewert`` (only −0 becomes 0); every value reads
    as that function gives it, with its type (an int stays int, a bool stays bool)."""
    from sozbudget_xl.workbook import schutz

    blatt = io._Blatt("Quartiere")
    blatt.werte[2] = {s: w for s, w in enumerate(werte, start=1) if w is not None}
    titel = {f"T{s}": s for s in range(1, len(werte) + 1)}
    gelesen = io._zeilenwerte(blatt, 2, titel, set())
    erwartet = {
        f"T{s}": None if w is None else schutz.eingabewert(w, "Quartiere", "") for s, w in enumerate(werte, 1)
    }
    assert gelesen == erwartet
    assert [type(v) for v in gelesen.values()] == [type(v) for v in erwartet.values()]
    assert all(str(gelesen[k]) == str(erwartet[k]) for k in gelesen)  # -0.0 vs 0.0 and 0 vs 0.0 apart
