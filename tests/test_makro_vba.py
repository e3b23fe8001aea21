"""The macro workbook ``workbooks/kgst_makro.xlsm``: its VBA project, read by oletools (olevba)
and by LibreOffice as independent parsers, holds our macros and the installed xlwings' VBA
module, no quick-start leftovers, and buttons on „Anleitung“ that call the macros."""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import tempfile
import tomllib
import warnings
import zipfile
from pathlib import Path

import pytest
import xlwings

with warnings.catch_warnings():  # oletools 0.60 uses pyparsing names that are deprecated
    warnings.simplefilter("ignore")
    from oletools.olevba import VBA_Parser, decompress_stream

from sozbudget_xl import excel
from sozbudget_xl.hosts import makromappe, vba
from sozbudget_xl.workbook.vorlage import erzeuge_makro, xlwings_vorlage

WURZEL = Path(__file__).resolve().parents[1]
MAKROMAPPE = WURZEL / "workbooks" / "kgst_makro.xlsm"


def _module(pfad: Path) -> dict[str, str]:
    """Module name → source, as olevba reads the workbook's VBA project."""
    parser = VBA_Parser(str(pfad))
    try:
        assert parser.detect_vba_macros()
        return {Path(name).stem: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def test_keine_schnellstart_reste_und_echte_makros() -> None:
    """The shipped workbook has no SampleCall/Module1 and no call of a module named like the file;
    module „Sozialraumbudget“ has one Sub per macro, each running that macro of sozbudget_xl.excel."""
    module = _module(MAKROMAPPE)
    alles = "\n".join(module.values())
    assert "SampleCall" not in alles and "Module1" not in module
    assert "ThisWorkbook.Name" not in module[makromappe.MODULNAME]
    assert ".main()" not in alles
    quelle = module[makromappe.MODULNAME]
    subs = re.findall(r"^Sub (\w+)\(\)", quelle, re.MULTILINE)
    assert subs == list(excel.MAKROS)
    for name in excel.MAKROS:
        assert f'RunPython "import sozbudget_xl.excel as srb; srb.{name}()"' in quelle
        assert callable(getattr(excel, name))
    assert set(module) == {"ThisWorkbook", "Sheet1", "Sheet2", "Dictionary", "xlwings", makromappe.MODULNAME}


def test_vba_version_ist_die_installierte_und_gepinnte() -> None:
    """The xlwings VBA module is the installed xlwings' module (version constant included), and
    pyproject.toml pins exactly that xlwings version."""
    xlw = _module(MAKROMAPPE)["xlwings"]
    version = re.search(r'XLWINGS_VERSION As String = "([^"]+)"', xlw)
    assert version and version.group(1) == xlwings.__version__
    assert xlw.replace("\r\n", "\n").strip() == makromappe.xlwings_bas().replace("\r\n", "\n").strip()
    abh = tomllib.loads((WURZEL / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert f"xlwings=={xlwings.__version__}" in abh


def test_knoepfe_auf_der_anleitung() -> None:
    """„Anleitung“ carries one form-control button per macro (German caption, [0]!SRB_… macro)."""
    with zipfile.ZipFile(MAKROMAPPE) as z:
        buch = z.read("xl/workbook.xml").decode()
        assert re.search(r'<sheet [^>]*name="Anleitung"[^>]*r:id="rId1"', buch)
        blatt = z.read("xl/worksheets/sheet1.xml").decode()
        rels = z.read("xl/worksheets/_rels/sheet1.xml.rels").decode()
        vml = z.read("xl/drawings/vmlDrawingSozialraumbudget.vml").decode()
        typen = z.read("[Content_Types].xml").decode()
    assert '<legacyDrawing r:id="rIdSrbKnoepfe"/>' in blatt
    assert 'Id="rIdSrbKnoepfe"' in rels and "vmlDrawingSozialraumbudget.vml" in rels
    assert 'Extension="vml"' in typen
    assert re.findall(r"<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>", vml) == list(excel.MAKROS)
    assert [t for t in makromappe.KNOEPFE.values() if t in vml] == [
        "Neu berechnen",
        "Vertragsanlagen erstellen",
    ]


def test_mappe_ist_aus_dem_code_erzeugt(tmp_path: Path) -> None:
    """Regenerating the macro workbook gives the same VBA project byte for byte (no hand edits)."""
    neu = erzeuge_makro(tmp_path / "kgst_makro.xlsm")
    with zipfile.ZipFile(neu) as a, zipfile.ZipFile(MAKROMAPPE) as b:
        assert a.read("xl/vbaProject.bin") == b.read("xl/vbaProject.bin")
        assert a.read("xl/drawings/vmlDrawingSozialraumbudget.vml") == b.read(
            "xl/drawings/vmlDrawingSozialraumbudget.vml"
        )


def test_komprimierung_gegen_oletools() -> None:
    """MS-OVBA compression round-trips and oletools decompresses what we compress (text, random
    bytes, long repeats, empty); our decompressor reads the template's xlwings module."""
    zufall = random.Random(17)
    proben = [
        makromappe.xlwings_bas().encode("cp1252", errors="replace"),
        bytes(zufall.randrange(256) for _ in range(9000)),
        b"A" * 10000,
        b"",
        b"Sub X()\r\nEnd Sub\r\n",
    ]
    for daten in proben:
        gepackt = vba.komprimiere(daten)
        assert vba.entpacke(gepackt) == daten
        assert decompress_stream(bytearray(gepackt)) == daten
    with zipfile.ZipFile(xlwings_vorlage()) as z:
        vorlage = vba.VbaProjekt.lies(z.read("xl/vbaProject.bin"))
    assert vorlage.modul("Module1").quelle.count("SampleCall") == 1


def test_verbunddatei_mit_vielen_stroemen_liest_oletools() -> None:
    """The compound-file writer: small (mini stream) and large streams in nested storages read back
    identically by olefile (as oletools uses it) and by our reader."""
    import io

    import olefile

    stroeme = {f"VBA/M{i}": bytes([i]) * (i * 97) for i in range(1, 60)}
    stroeme["PROJECT"] = b"x" * 5000
    stroeme["A/B/C"] = b"tief"
    datei = vba.schreibe_cfb(stroeme)
    ole = olefile.OleFileIO(io.BytesIO(datei))
    for pfad, daten in stroeme.items():
        assert ole.openstream(pfad).read() == daten, pfad
    assert vba.lies_cfb(datei) == stroeme


@pytest.mark.libreoffice
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) nicht installiert (.ci/run)")
def test_libreoffice_liest_makros_und_knoepfe() -> None:
    """LibreOffice, as an independent reader, imports the workbook's VBA project: the module
    „Sozialraumbudget“ with both Subs, and buttons bound to these macros."""
    als = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []
    tmp_path = Path(tempfile.mkdtemp(prefix="sozbudget-vba-"))
    tmp_path.chmod(0o777)
    try:
        _libreoffice_pruefung(tmp_path, als)
    finally:
        shutil.rmtree(tmp_path, ignore_errors=True)


def _libreoffice_pruefung(tmp_path: Path, als: list[str]) -> None:
    kopie = tmp_path / MAKROMAPPE.name
    shutil.copy2(MAKROMAPPE, kopie)
    kopie.chmod(0o644)
    r = subprocess.run(
        [*als, "env", f"HOME={tmp_path}", "soffice", "--headless", "--norestore",
         f"-env:UserInstallation={(tmp_path / 'profil').as_uri()}",
         "--convert-to", "ods", "--outdir", str(tmp_path), str(kopie)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    ods = tmp_path / "kgst_makro.ods"
    assert ods.exists(), r.stdout + r.stderr
    with zipfile.ZipFile(ods) as z:
        modul = z.read(f"Basic/VBAProject/{makromappe.MODULNAME}.xml").decode()
        inhalt = z.read("content.xml").decode()
    for name in excel.MAKROS:
        assert f"Sub {name}()" in modul
        assert f"vnd.sun.star.script:VBAProject.{makromappe.MODULNAME}.{name}?" in inhalt
    assert 'form:label="Neu berechnen"' in inhalt


def test_buttons_find_the_guide_sheet_wherever_its_part_lies() -> None:
    """The sheet's part follows the workbook's relationship as any package reader does (a target
    relative to ``xl/``, one from the package root, one with ``..``), and the buttons' drawing is
    referenced relative to that sheet's folder."""
    from xml.sax.saxutils import escape

    from sozbudget_xl import paket
    from sozbudget_xl.hosts import makromappe as m

    def teile(target: str, teil: str) -> dict[str, bytes]:
        buch = (
            f'<workbook><sheets><sheet name="{escape(m._ANLEITUNG)}" sheetId="1" r:id="rId7"/></sheets>'
            "</workbook>"
        )
        rels = f'<Relationships><Relationship Id="rId7" Type="x" Target="{target}"/></Relationships>'
        return {
            "xl/workbook.xml": buch.encode(),
            "xl/_rels/workbook.xml.rels": rels.encode(),
            "[Content_Types].xml": b"<Types></Types>",
            teil: b'<worksheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            b"<sheetData/></worksheet>",
        }

    for target, teil, vml in (
        ("worksheets/sheet1.xml", "xl/worksheets/sheet1.xml", "../drawings/vmlDrawingSozialraumbudget.vml"),
        ("/xl/blaetter/a.xml", "xl/blaetter/a.xml", "../drawings/vmlDrawingSozialraumbudget.vml"),
        ("../anleitung.xml", "anleitung.xml", "xl/drawings/vmlDrawingSozialraumbudget.vml"),
    ):
        t = teile(target, teil)
        assert m._blatt_teil(t, m._ANLEITUNG) == teil
        m._mit_knoepfen(t)
        rels = t[paket.rels_pfad(teil)]
        assert f'Target="{vml}"'.encode() in rels and b"<legacyDrawing" in t[teil]
