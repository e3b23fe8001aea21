"""Reading workbooks and writing results without damaging the user's file (sozbudget_xl.workbook.io).

Every workbook is built here with openpyxl (and patched at the zip level where openpyxl cannot
produce the content, e.g. spilled dynamic-array formulas).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import select
import shutil
import signal
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.table import Table, TableStyleInfo

from sozbudget_xl.errors import SozbudgetError
from sozbudget_xl.workbook import io as wio

AUSGABEN = {
    "Ergebnis": [
        ["Träger", "Sozialraum", "Betrag", "Fällig am", "Hinweis"],
        ['=HYPERLINK("http://x")', "Nord", Decimal("1234.565"), dt.date(2026, 3, 1), "+1 Träger"],
        ["@Träger B", "Süd", 99.5, dt.date(2026, 4, 1), "-"],
    ],
    "Zahlungsplan": [["Rate", "Soll"], [1, 500.25], [2, 500.25]],
    "Kennzahlen": [["Kennzahl", "Wert", "Erfüllt"], ["Anteil", 0.25, True]],
}


# --------------------------------------------------------------------------- builders


def _tabelle(ws, name: str, ref: str) -> None:
    t = Table(displayName=name, ref=ref)
    t.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(t)


def baue_mappe(pfad: Path, *, ausgabe_mit_tabelle: bool = False) -> Path:
    """A small input workbook: Parameter, a table with an empty row and a totals row, styles,
    a formula, a defined name, a data validation and a conditional format."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Anleitung"
    ws["A1"] = "Bitte die Tabellen ausfüllen."
    ws["A1"].font = Font(bold=True, size=14, color="FF1F4E79")
    p = wb.create_sheet("Parameter")
    p.append(["Bezeichnung", "Wert", "Hinweis"])
    p.append(["Modell", "kgst", "Registry-Name"])
    p.append(["Haushaltsjahr", "=2025+1", None])
    p.append(["Stichtag", dt.datetime(2026, 1, 15), None])
    p.append([None, None, None])
    p.append(["  Gesamtbudget ", 1_000_000.5, "in Euro"])
    p["B6"].number_format = '#,##0.00 "€"'
    p["B6"].fill = PatternFill("solid", fgColor="FFFFFF00")
    t = wb.create_sheet("Träger")
    t.append(["ID", "Name", "Anteil"])
    t.append(["T1", "Jugendhilfe Nord", 0.6])
    t.append([None, "  ", None])
    t.append(["T2", "Caritas Süd", 0.4])
    t.append(["Summe", None, "=SUBTOTAL(109,C2:C4)"])
    tab = Table(displayName="Traeger", ref="A1:C5", totalsRowCount=1)
    tab.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2")
    t.add_table(tab)
    dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="1", showErrorMessage=True)
    dv.error = "Anteil zwischen 0 und 1"
    t.add_data_validation(dv)
    dv.add("C2:C4")
    t.conditional_formatting.add(
        "C2:C4", CellIsRule(operator="greaterThan", formula=["0.5"], font=Font(b=True))
    )
    t.column_dimensions["B"].width = 30
    wb.defined_names["Haushaltsjahr"] = DefinedName("Haushaltsjahr", attr_text="Parameter!$B$3")
    if ausgabe_mit_tabelle:
        e = wb.create_sheet("Ergebnis")
        e.append(["Alt", "Wert"])
        e.append(["a", 1])
        _tabelle(e, "AltesErgebnis", "A1:B2")
    wb.save(pfad)
    return pfad


def patch_zip(pfad: Path, aenderungen: dict) -> None:
    """Rewrite the zip at ``pfad``: value bytes replace/add a part, a callable maps old bytes."""
    with zipfile.ZipFile(pfad) as zf:
        teile = {n: zf.read(n) for n in zf.namelist()}
    for name, neu in aenderungen.items():
        teile[name] = neu(teile[name]) if callable(neu) else neu
    with zipfile.ZipFile(pfad, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, inhalt in teile.items():
            zf.writestr(name, inhalt)


def setze_cache(pfad: Path, teil: str, zelle: str, wert: str) -> None:
    """Give a formula cell written by openpyxl a cached value (as Excel would)."""

    def f(xml: bytes) -> bytes:
        kopf = f'<c r="{zelle}"'.encode()
        i = xml.index(kopf)
        j = xml.index(b"<v></v>", i)
        return xml[:j] + f"<v>{wert}</v>".encode() + xml[j + 7 :]

    patch_zip(pfad, {teil: f})


def teile(pfad: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(pfad) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def tempreste(ordner: Path) -> list[Path]:
    return list(ordner.glob(".~sozbudget-*"))


@pytest.fixture
def mappe(tmp_path: Path) -> Path:
    pfad = baue_mappe(tmp_path / "Haushalt 2026.xlsx")
    setze_cache(pfad, "xl/worksheets/sheet2.xml", "B3", "2026")
    return pfad


# --------------------------------------------------------------------------- reading


def test_lese_parameter_und_tabellen_mit_orten(mappe: Path) -> None:
    """Parameters and tables are read by name with dates as date, empty and totals rows left out,
    and ``ort`` gives the sheet and cell of every value."""
    m = wio.lese_mappe(mappe)
    assert m.blaetter == ["Anleitung", "Parameter", "Träger"]
    assert m.parameter == {
        "Modell": "kgst",
        "Haushaltsjahr": 2026,
        "Stichtag": dt.date(2026, 1, 15),
        "Gesamtbudget": 1_000_000.5,
    }
    assert m.tabellen == {
        "Traeger": [
            {"ID": "T1", "Name": "Jugendhilfe Nord", "Anteil": 0.6},
            {"ID": "T2", "Name": "Caritas Süd", "Anteil": 0.4},
        ]
    }
    assert m.ort("Traeger", 1, "Anteil") == ("Träger", "C4")
    assert m.ort("Traeger", 0, "ID") == ("Träger", "A2")
    assert m.ort("Traeger", None, "Name") == ("Träger", "B1")
    assert m.ort("Traeger", 5, "ID") is None
    assert m.ort("Gibtsnicht", 0, "ID") is None
    assert m.ort("Parameter", None, "Gesamtbudget") == ("Parameter", "B6")
    assert m.ort("Parameter", None, "Fehlt") is None


def test_formel_ohne_berechneten_wert_wird_gemeldet(tmp_path: Path) -> None:
    """An input formula without a cached value (saved by openpyxl) is a German error naming sheet and cell."""
    pfad = baue_mappe(tmp_path / "m.xlsx")
    with pytest.raises(SozbudgetError) as info:
        wio.lese_mappe(pfad)
    assert info.value.sheet == "Parameter" and info.value.cell == "B3"
    assert "Formel ohne berechneten Wert" in str(info.value)


def test_formel_mit_wert_und_leerem_text_wird_gelesen(tmp_path: Path) -> None:
    """Cached formula values are read, and a formula whose cached result is an empty text is no error."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Parameter"
    ws.append(["Bezeichnung", "Wert"])
    ws.append(["Summe", "=1+1"])
    ws.append(["Leer", '=""'])
    pfad = tmp_path / "f.xlsx"
    wb.save(pfad)
    setze_cache(pfad, "xl/worksheets/sheet1.xml", "B2", "2")
    patch_zip(pfad, {"xl/worksheets/sheet1.xml": lambda x: x.replace(b'<c r="B3">', b'<c r="B3" t="str">')})
    assert wio.lese_mappe(pfad).parameter == {"Summe": 2, "Leer": None}


def test_verbundene_zellen_in_tabelle(tmp_path: Path) -> None:
    """Merged cells inside a table are a German error naming the merged range."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Träger"
    ws.append(["ID", "Name"])
    ws.append(["T1", "A"])
    ws.append(["T2", "B"])
    _tabelle(ws, "Traeger", "A1:B3")
    ws.merge_cells("A2:A3")
    pfad = tmp_path / "m.xlsx"
    wb.save(pfad)
    with pytest.raises(SozbudgetError, match="verbundene Zellen A2:A3") as info:
        wio.lese_mappe(pfad)
    assert info.value.sheet == "Träger"


def _kaputte_dateien(tmp_path: Path, mappe: Path) -> dict[str, tuple[Path, str]]:
    text = tmp_path / "notiz.xlsx"
    text.write_text("Das ist keine Arbeitsmappe", encoding="utf-8")
    halb = tmp_path / "halb.xlsx"
    daten = mappe.read_bytes()
    halb.write_bytes(daten[: len(daten) // 2])
    geheim = tmp_path / "geheim.xlsx"
    geheim.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 500
    )
    bombe = tmp_path / "bombe.xlsx"
    with zipfile.ZipFile(bombe, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (5 * 1024 * 1024))
    dtd = tmp_path / "dtd.xlsx"
    shutil.copy(mappe, dtd)
    patch_zip(dtd, {"xl/workbook.xml": lambda x: b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + x})
    return {
        "text": (text, "keine Excel-Arbeitsmappe"),
        "halb": (halb, "beschädigt oder unvollständig"),
        "geheim": (geheim, "Kennwort"),
        "bombe": (bombe, "ZIP-Bombe"),
        "dtd": (dtd, "DTD"),
    }


def test_kaputte_dateien_werden_abgelehnt_und_nicht_veraendert(tmp_path: Path, mappe: Path) -> None:
    """Not-a-workbook, truncated, encrypted, zip-bomb and DTD files give German errors naming the
    file, for reading and writing, and stay byte for byte as they were."""
    for pfad, text in _kaputte_dateien(tmp_path, mappe).values():
        vorher = pfad.read_bytes()
        for aufruf in (lambda p=pfad: wio.lese_mappe(p), lambda p=pfad: wio.schreibe_ausgaben(p, AUSGABEN)):
            with pytest.raises(SozbudgetError) as info:
                aufruf()
            assert text in str(info.value), (pfad.name, str(info.value))
            assert pfad.name in str(info.value)
        assert pfad.read_bytes() == vorher
    assert not tempreste(tmp_path)


def test_gesamtgroesse_begrenzt(mappe: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A package whose members unpack to more than MAX_UNKOMPRIMIERT is refused before openpyxl reads it."""
    monkeypatch.setattr(wio, "MAX_UNKOMPRIMIERT", mappe.stat().st_size + 1)
    with pytest.raises(SozbudgetError, match="ZIP-Bombe"):
        wio.lese_mappe(mappe)


def test_openpyxl_liest_mit_defusedxml() -> None:
    """openpyxl parses worksheets with defusedxml in this installation (the documented guarantee)."""
    import defusedxml.ElementTree
    import openpyxl.xml.functions as f

    assert openpyxl.DEFUSEDXML is True
    assert f.iterparse is defusedxml.ElementTree.iterparse


# --------------------------------------------------------------------------- writing


def _eingaben(pfad: Path) -> dict:
    """Everything of the non-output sheets that must survive a write, as openpyxl sees it."""
    wb = openpyxl.load_workbook(pfad, keep_vba=pfad.suffix == ".xlsm")
    stand: dict = {"namen": sorted((n, d.attr_text) for n, d in wb.defined_names.items())}
    for ws in wb.worksheets:
        if ws.title in AUSGABEN:
            continue
        stand[ws.title] = {
            "zellen": {
                z.coordinate: (
                    z.value,
                    z.number_format,
                    z.font.b,
                    z.font.color and z.font.color.rgb,
                    z.fill.fgColor.rgb,
                )
                for row in ws.iter_rows()
                for z in row
            },
            "dv": [
                (str(d.sqref), d.type, d.formula1, d.formula2, d.error)
                for d in ws.data_validations.dataValidation
            ],
            "tabellen": {t.name: (t.ref, t.totalsRowCount) for t in ws.tables.values()},
            "cf": [(str(r.sqref), [x.formula for x in r.rules]) for r in ws.conditional_formatting],
            "breiten": {k: v.width for k, v in ws.column_dimensions.items()},
        }
    return stand


def _ausgabewerte(pfad: Path) -> dict:
    wb = openpyxl.load_workbook(pfad)
    return {
        name: [
            [(z.value, z.data_type, z.number_format, z.font.b) for z in row] for row in wb[name].iter_rows()
        ]
        for name in AUSGABEN
    }


def test_rundreise_behaelt_alles_ausser_ausgaben(mappe: Path) -> None:
    """After writing, every input cell, formula, style, name, validation, conditional format and
    table is unchanged, untouched parts are byte-identical, and a second write changes nothing."""
    vorher_stand, vorher_teile = _eingaben(mappe), teile(mappe)
    bericht = wio.schreibe_ausgaben(mappe, AUSGABEN)
    assert bericht.neu_angelegt == ["Ergebnis", "Zahlungsplan", "Kennzahlen"]
    assert _eingaben(mappe) == vorher_stand
    nachher = teile(mappe)
    bearbeitet = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml"}
    for name, inhalt in vorher_teile.items():
        if name not in bearbeitet:
            assert nachher[name] == inhalt, name
    assert openpyxl.load_workbook(mappe).sheetnames[-3:] == ["Ergebnis", "Zahlungsplan", "Kennzahlen"]
    erste = _ausgabewerte(mappe)
    wio.schreibe_ausgaben(mappe, AUSGABEN)
    assert _ausgabewerte(mappe) == erste
    zweite = teile(mappe)
    assert zweite == nachher  # idempotent: no styles pile up
    assert wio.lese_mappe(mappe).tabellen["Traeger"][1]["ID"] == "T2"  # cached values survive


def test_ausgabeformate(mappe: Path) -> None:
    """Header bold, money cells (unit Euro) ``#,##0.00 "€"`` rounded to cents, dates DD.MM.YYYY,
    bools stay bools; a cell without a unit gets no number format (nothing is guessed from titles)."""
    from sozbudget_xl.einheiten import Einheit as E
    from sozbudget_xl.workbook.schema import Blatt

    typisiert = {}
    for name, zeilen in AUSGABEN.items():
        b = Blatt()
        b.zeile(zeilen[0], art="kopf")
        for z in zeilen[1:]:
            b.zeile(z, [E.EURO if k in ("Betrag", "Soll") else None for k in zeilen[0]])
        typisiert[name] = b
    wio.schreibe_ausgaben(mappe, typisiert)
    wb = openpyxl.load_workbook(mappe)
    e = wb["Ergebnis"]
    assert all(z.font.b for z in e[1])
    assert e["C2"].value == 1234.57 and e["C2"].number_format == '#,##0.00 "€"'
    assert e["D2"].value == dt.datetime(2026, 3, 1) and e["D2"].number_format == "DD.MM.YYYY"
    assert wb["Zahlungsplan"]["B2"].number_format == '#,##0.00 "€"'
    assert wb["Zahlungsplan"]["A2"].number_format == "General"
    assert wb["Kennzahlen"]["B2"].number_format == "General"  # "Wert" is no money column
    assert wb["Kennzahlen"]["C2"].value is True


def test_formelinjektion_wird_text(mappe: Path) -> None:
    """Values starting with = + - @ are stored as text, never as formulas."""
    wio.schreibe_ausgaben(mappe, AUSGABEN)
    e = openpyxl.load_workbook(mappe)["Ergebnis"]
    assert e["A2"].value == '=HYPERLINK("http://x")' and e["A2"].data_type == "s"
    assert e["A3"].value == "@Träger B" and e["E2"].value == "+1 Träger" and e["E3"].value == "-"
    xml = teile(mappe)["xl/worksheets/sheet4.xml"]
    assert b"<f>" not in xml and b"<f " not in xml


def test_vorhandenes_ausgabeblatt_wird_geleert(mappe: Path) -> None:
    """An existing output sheet loses its old block (values, merges, validations) but keeps column widths."""
    wb = openpyxl.load_workbook(mappe)
    e = wb.create_sheet("Ergebnis")
    for z in range(1, 30):
        e.append([f"alt {z}", z, z * 2, "=B1*2"])
    e.merge_cells("A25:C26")
    dv = DataValidation(type="whole")
    e.add_data_validation(dv)
    dv.add("B1:B20")
    e.column_dimensions["A"].width = 42
    wb.save(mappe)
    setze_cache(mappe, "xl/worksheets/sheet2.xml", "B3", "2026")
    wio.schreibe_ausgaben(mappe, {"Ergebnis": AUSGABEN["Ergebnis"]})
    e = openpyxl.load_workbook(mappe)["Ergebnis"]
    assert e.max_row == 3 and e.max_column == 5
    assert not e.merged_cells.ranges and not e.data_validations.dataValidation
    assert e.column_dimensions["A"].width == 42


def test_ziel_laesst_original_unberuehrt(mappe: Path, tmp_path: Path) -> None:
    """With ``ziel`` the result goes there and the original stays byte for byte as it was."""
    vorher = mappe.read_bytes()
    ziel = tmp_path / "aus" / "kopie.xlsx"
    ziel.parent.mkdir()
    bericht = wio.schreibe_ausgaben(mappe, AUSGABEN, ziel=ziel, sicherung=False)
    assert bericht.pfad == ziel.resolve() and bericht.sicherung is None
    assert mappe.read_bytes() == vorher
    assert openpyxl.load_workbook(ziel)["Ergebnis"]["B2"].value == "Nord"
    assert not (tmp_path / wio.SICHERUNGSORDNER).exists()


def test_sicherung_des_vorigen_stands(mappe: Path) -> None:
    """An in-place write keeps the previous version in the backup folder beside the workbook."""
    vorher = mappe.read_bytes()
    bericht = wio.schreibe_ausgaben(mappe, AUSGABEN)
    assert bericht.sicherung is not None
    assert bericht.sicherung.parent == mappe.parent / wio.SICHERUNGSORDNER
    assert bericht.sicherung.read_bytes() == vorher
    assert (
        oct(mappe.stat().st_mode & 0o777) == oct(bericht.sicherung.stat().st_mode & 0o777) or os.name == "nt"
    )


def test_vba_bleibt_erhalten(tmp_path: Path) -> None:
    """The VBA project of an .xlsm is byte-identical after writing and the file stays macro-enabled."""
    import xlwings

    vorlage = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
    if not vorlage.exists():
        pytest.skip("keine .xlsm-Vorlage mit VBA im xlwings-Paket")
    pfad = tmp_path / "makro.xlsm"
    shutil.copy(vorlage, pfad)
    vorher = teile(pfad)
    wio.schreibe_ausgaben(pfad, AUSGABEN)
    nachher = teile(pfad)
    assert nachher["xl/vbaProject.bin"] == vorher["xl/vbaProject.bin"]
    assert b"macroEnabled" in nachher["[Content_Types].xml"]
    assert openpyxl.load_workbook(pfad, keep_vba=True)["Kennzahlen"]["A2"].value == "Anteil"


def test_excel_sperrdatei_verhindert_schreiben(mappe: Path) -> None:
    """A lock file ``~$<name>`` refuses the write with a German message and leaves the file untouched."""
    (mappe.parent / f"~${mappe.name}").write_bytes(b"x")
    vorher = mappe.read_bytes()
    with pytest.raises(SozbudgetError, match="in Excel geöffnet"):
        wio.schreibe_ausgaben(mappe, AUSGABEN)
    assert mappe.read_bytes() == vorher
    assert not tempreste(mappe.parent)


def _uebergelaufene_mappe(pfad: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Daten"
    for i, v in enumerate([3, 1, 2], start=1):
        ws.cell(i, 1, v)
    ws["B1"] = ArrayFormula("B1:B3", "=_xlfn._xlws.SORT(A1:A3)")
    wb.save(pfad)
    metadata = (
        b'<metadata xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:xda="http://schemas.microsoft.com/office/spreadsheetml/2017/dynamicarray">'
        b'<metadataTypes count="1"><metadataType name="XLDAPR" minSupportedVersion="120000" copy="1" '
        b'pasteAll="1" pasteValues="1" merge="1" splitFirst="1" rowColShift="1" clearFormats="1" '
        b'clearComments="1" assign="1" coerce="1" cellMeta="1"/></metadataTypes>'
        b'<futureMetadata name="XLDAPR" count="1"><bk><extLst>'
        b'<ext uri="{bdbb8cdc-fa1e-496e-a857-3c3f30c029c3}">'
        b'<xda:dynamicArrayProperties fDynamic="1" fCollapsed="0"/></ext></extLst></bk></futureMetadata>'
        b'<cellMetadata count="1"><bk><rc t="1" v="0"/></bk></cellMetadata></metadata>'
    )
    patch_zip(
        pfad,
        {
            "xl/worksheets/sheet1.xml": lambda x: x.replace(b'<c r="B1">', b'<c r="B1" cm="1">'),
            "xl/metadata.xml": metadata,
            "[Content_Types].xml": lambda x: x.replace(
                b"</Types>",
                b'<Override PartName="/xl/metadata.xml" ContentType="application/vnd.openxmlformats-'
                b'officedocument.spreadsheetml.sheetMetadata+xml"/></Types>',
            ),
            "xl/_rels/workbook.xml.rels": lambda x: x.replace(
                b"</Relationships>",
                b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                b'relationships/sheetMetadata" Target="metadata.xml"/></Relationships>',
            ),
        },
    )
    return pfad


def test_ueberlaufformeln_bleiben_erhalten(tmp_path: Path) -> None:
    """A workbook with a spilled dynamic-array formula is reported as lossy for openpyxl, yet the
    writer keeps the ``cm`` attribute and ``xl/metadata.xml`` byte-identical; a result file works too."""
    pfad = _uebergelaufene_mappe(tmp_path / "dyn.xlsx")
    assert "dynamische Array-Formeln (Überlauf-Bereiche)" in wio.verlustrisiken(pfad)
    vorher = teile(pfad)
    wio.schreibe_ausgaben(pfad, AUSGABEN)
    nachher = teile(pfad)
    assert nachher["xl/worksheets/sheet1.xml"] == vorher["xl/worksheets/sheet1.xml"]
    assert b'cm="1"' in nachher["xl/worksheets/sheet1.xml"]
    assert nachher["xl/metadata.xml"] == vorher["xl/metadata.xml"]
    assert b"sheetMetadata" in nachher["xl/_rels/workbook.xml.rels"]
    ziel = wio.ergebnisdatei(pfad)
    assert ziel.name == "dyn_Ergebnis.xlsx"
    wio.schreibe_ergebnisdatei(ziel, AUSGABEN)
    wb = openpyxl.load_workbook(ziel)
    assert wb.sheetnames == list(AUSGABEN)
    assert wb["Zahlungsplan"]["B3"].value == 500.25


def test_ausgabeblatt_mit_tabelle_wird_nicht_ueberschrieben(tmp_path: Path) -> None:
    """An output sheet holding an Excel table raises VerlustGefahr and the original stays unchanged."""
    pfad = baue_mappe(tmp_path / "m.xlsx", ausgabe_mit_tabelle=True)
    vorher = pfad.read_bytes()
    with pytest.raises(wio.VerlustGefahr, match=r"Ergebnis.*Tabelle"):
        wio.schreibe_ausgaben(pfad, AUSGABEN)
    assert pfad.read_bytes() == vorher
    assert not tempreste(tmp_path)


def test_pruefung_verhindert_verlust(mappe: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If the written package differed in a part it must not touch, nothing replaces the original."""
    echt = wio._bearbeite_paket

    def kaputt(*args, **kwargs):
        entwurf = echt(*args, **kwargs)
        puffer = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(entwurf.daten)) as alt, zipfile.ZipFile(puffer, "w") as neu:
            for name in alt.namelist():
                if name != "xl/worksheets/sheet2.xml":
                    neu.writestr(name, alt.read(name))
        entwurf.daten = puffer.getvalue()
        return entwurf

    monkeypatch.setattr(wio, "_bearbeite_paket", kaputt)
    vorher = mappe.read_bytes()
    with pytest.raises(wio.VerlustGefahr, match=r"sheet2\.xml fehlt"):
        wio.schreibe_ausgaben(mappe, AUSGABEN)
    assert mappe.read_bytes() == vorher
    assert not tempreste(mappe.parent)


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL and select on pipes need POSIX")
def test_abbruch_vor_dem_ersetzen_laesst_original_heil(mappe: Path) -> None:
    """A process killed right before the replace leaves the original intact; the next run cleans up."""
    vorher = mappe.read_bytes()
    code = (
        "import sys; from sozbudget_xl.workbook.io import schreibe_ausgaben; "
        "schreibe_ausgaben(sys.argv[1], {'Ergebnis': [['A'], ['b']]})"
    )
    env = dict(os.environ, SOZBUDGET_TEST_PAUSE_BEFORE_REPLACE="60")
    proc = subprocess.Popen([sys.executable, "-c", code, str(mappe)], stderr=subprocess.PIPE, env=env)
    try:
        bereit, _, _ = select.select([proc.stderr], [], [], 60)
        assert bereit, "writer did not reach the pause"
        assert b"SOZBUDGET_TEST_PAUSE" in proc.stderr.readline()
        assert tempreste(mappe.parent)  # the finished temp file is waiting
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()
    assert mappe.read_bytes() == vorher
    wio.schreibe_ausgaben(mappe, AUSGABEN)
    assert not tempreste(mappe.parent)
    assert openpyxl.load_workbook(mappe)["Ergebnis"]["A1"].value == "Träger"


def test_ungueltige_ausgaben(mappe: Path) -> None:
    """Invalid sheet names and NaN values are German errors and nothing is written."""
    vorher = mappe.read_bytes()
    with pytest.raises(SozbudgetError, match="kein gültiger Blattname"):
        wio.schreibe_ausgaben(mappe, {"Ergebnis/2026": [["A"]]})
    with pytest.raises(SozbudgetError, match="NaN") as info:
        wio.schreibe_ausgaben(mappe, {"Ergebnis": [["Betrag"], [float("nan")]]})
    assert (info.value.sheet, info.value.cell) == ("Ergebnis", "A2")
    assert mappe.read_bytes() == vorher


@pytest.mark.libreoffice
def test_libreoffice_oeffnet_ergebnis(mappe: Path, tmp_path: Path) -> None:
    """LibreOffice opens the written workbook and sees the output values and the input formula."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) nicht installiert")
    wio.schreibe_ausgaben(mappe, AUSGABEN)
    aus = tmp_path / "lo"
    profil = (tmp_path / "profil").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profil}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(aus),
            str(mappe),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    wb = openpyxl.load_workbook(aus / mappe.name)
    assert wb.sheetnames[-3:] == list(AUSGABEN)
    assert wb["Ergebnis"]["A2"].value == '=HYPERLINK("http://x")'
    assert wb["Ergebnis"]["C2"].value == 1234.57
    assert wb["Ergebnis"]["A1"].font.b
    assert wb["Träger"]["C5"].value == "=SUBTOTAL(109,C2:C4)"


def test_neue_blaetter_drucken_wie_die_anderen(mappe: Path) -> None:
    """A sheet created new prints like the workbook's other output sheets: fit to one page wide
    (``fitToPage`` in <sheetPr>, otherwise Excel ignores fitToWidth), landscape when its columns
    are wide, sheet name and „Seite &P von &N“ in the footer, row 1 repeated on every page
    (``_xlnm.Print_Titles`` scoped to the sheet); the workbook's own defined names stay unchanged
    and a second write adds nothing."""
    from lxml import etree

    from sozbudget_xl.workbook.vorlage import _QUER_AB

    assert wio._QUER_AB == _QUER_AB
    namen_vorher = wio._Paket(zipfile.ZipFile(mappe), mappe.name).definierte_namen
    breit = [["Vertragsnummer", *(f"Spalte {i} mit langem Titel" for i in range(8))], ["V-1", *range(8)]]
    wio.schreibe_ausgaben(mappe, {**AUSGABEN, "Breit": breit, "Einzeilig": [["nur ein Satz"]]})
    ns = {"m": wio._MAIN}
    with zipfile.ZipFile(mappe) as zf:
        paket = wio._Paket(zf, mappe.name)
        for name, lage in (("Zahlungsplan", "portrait"), ("Breit", "landscape"), ("Einzeilig", "portrait")):
            root = etree.fromstring(zf.read(paket.blatt(name).teil))
            assert root[0].tag == f"{{{wio._MAIN}}}sheetPr"  # first child, as the schema orders it
            assert root.find("m:sheetPr/m:pageSetUpPr", ns).get("fitToPage") == "1"
            setup = root.find("m:pageSetup", ns)
            assert (setup.get("orientation"), setup.get("fitToWidth"), setup.get("fitToHeight")) == (
                lage,
                "1",
                "0",
            )
            assert root.findtext("m:headerFooter/m:oddFooter", namespaces=ns) == "&L&A&CSeite &P von &N"
        namen = paket.definierte_namen
        position = {b.name: str(i) for i, b in enumerate(paket.blaetter)}
    titel = [(n[1], n[3]) for n in namen if n[0] == "_xlnm.Print_Titles"]
    assert namen[: len(namen_vorher)] == namen_vorher
    assert titel == [
        (position[b], f"'{b}'!$1:$1") for b in ("Ergebnis", "Zahlungsplan", "Kennzahlen", "Breit")
    ]  # not for a sheet of one row
    ws = openpyxl.load_workbook(mappe)["Breit"]
    assert ws.print_title_rows == "$1:$1" and ws.page_setup.orientation == "landscape"
    vorher = teile(mappe)
    wio.schreibe_ausgaben(mappe, {**AUSGABEN, "Breit": breit, "Einzeilig": [["nur ein Satz"]]})
    assert teile(mappe)["xl/workbook.xml"] == vorher["xl/workbook.xml"]


def test_druckkopf_ohne_definierte_namen_und_mit_apostroph(tmp_path: Path) -> None:
    """A workbook without <definedNames> gets one right after <sheets>; a quote in the sheet name
    is doubled in the reference."""
    pfad = tmp_path / "leer.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "x"
    wb.save(pfad)
    alle = teile(pfad)
    alle["xl/workbook.xml"] = alle["xl/workbook.xml"].replace(b"<definedNames/>", b"")
    assert b"definedNames" not in alle["xl/workbook.xml"]
    with zipfile.ZipFile(pfad, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, inhalt in alle.items():
            zf.writestr(name, inhalt)
    wio.schreibe_ausgaben(pfad, {"Träger's Blatt": [["Kopf"], [1]]})
    xml = teile(pfad)["xl/workbook.xml"].decode()
    assert xml.index("</sheets>") < xml.index("<definedNames>")
    assert "'Träger''s Blatt'!$1:$1" in xml
    assert openpyxl.load_workbook(pfad)["Träger's Blatt"].print_title_rows == "$1:$1"
