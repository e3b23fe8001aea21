"""The macro workbook for classic Excel with xlwings (``workbooks/kgst_makro.xlsm``).

:func:`sozbudget_xl.workbook.vorlage.erzeuge_makro` writes the workbook (sheets, settings
sheet ``xlwings.conf``) into xlwings' standalone template; :func:`vervollstaendige` then makes
its VBA project ours:

* the template's quick-start module ``Module1`` (``SampleCall``, which imports a module named
  like the file) is replaced by the module ``Sozialraumbudget`` with one ``Sub`` per macro of
  :data:`sozbudget_xl.excel.MAKROS`, each calling Python through xlwings' ``RunPython``;
* the xlwings VBA module is the ``xlwings.bas`` of the installed xlwings, so the VBA version
  is the version of the Python package (xlwings refuses a mismatch);
* the sheet „Anleitung“ gets a button per macro (form control, ``[0]!SRB_…``).

>>> print(vba_modul().splitlines()[0])
Attribute VB_Name = "Sozialraumbudget"
"""

from __future__ import annotations

import os
import posixpath
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from .. import excel, paket
from .vba import Modul, VbaProjekt

__all__ = ["KNOEPFE", "MODULNAME", "vba_modul", "vba_projekt", "vervollstaendige", "xlwings_bas"]

MODULNAME = "Sozialraumbudget"
#: caption of the button of each macro on „Anleitung“
KNOEPFE = {"SRB_NEU_BERECHNEN": "Neu berechnen", "SRB_ANLAGEN_ERSTELLEN": "Vertragsanlagen erstellen"}
_VORLAGEN_MODUL = "Module1"
_ANLEITUNG = "Anleitung"


def xlwings_bas() -> str:
    """The xlwings VBA module of the installed xlwings (its version is the package's)."""
    import xlwings

    return (Path(xlwings.__file__).parent / "xlwings.bas").read_text(encoding="utf-8")


def vba_modul() -> str:
    """Source of the VBA module ``Sozialraumbudget``: one Sub per macro, calling Python."""
    zeilen = [
        f'Attribute VB_Name = "{MODULNAME}"',
        "' Sozialraumbudget (sozbudget_xl): die Makros dieser Mappe. Erzeugt von sozbudget_xl;",
        "' nicht von Hand ändern. Gerechnet wird in Python (Modul sozbudget_xl.excel) über xlwings;",
        "' welches Python, steht auf dem Blatt „xlwings.conf“ (Interpreter_Win).",
        "Option Explicit",
    ]
    for name in excel.MAKROS:
        hilfe = " ".join((getattr(excel, name).__doc__ or "").split())
        zeilen += [
            "",
            f"' {hilfe}",
            f"Sub {name}()",
            f'    RunPython "import sozbudget_xl.excel as srb; srb.{name}()"',
            "End Sub",
        ]
    return "\r\n".join(zeilen) + "\r\n"


def vba_projekt(vorlage: bytes) -> bytes:
    """The template's VBA project with our macro module and the installed xlwings module."""
    projekt = VbaProjekt.lies(vorlage)
    module = []
    for m in projekt.module:
        if m.name == _VORLAGEN_MODUL:
            module.append(Modul(MODULNAME, False, vba_modul()))
        elif m.name == "xlwings":
            module.append(Modul("xlwings", False, xlwings_bas()))
        else:
            module.append(m)
    if MODULNAME not in [m.name for m in module]:
        module.append(Modul(MODULNAME, False, vba_modul()))
    projekt.module = module
    return projekt.bin()


# --------------------------------------------------------------------------- buttons


def _knopf(nr: int, makro: str, text: str, zeile: int) -> str:
    oben = 6 + zeile * 15
    return (
        f'<v:shape id="_x0000_s{1025 + nr}" type="#_x0000_t201" style="position:absolute;margin-left:600pt;'
        f'margin-top:{oben}pt;width:170pt;height:27pt;z-index:{nr + 1};mso-wrap-style:tight" o:button="t" '
        'fillcolor="buttonFace [67]" strokecolor="windowText [64]" o:insetmode="auto">'
        '<v:fill color2="buttonFace [67]" o:detectmouseclick="t"/><o:lock v:ext="edit" rotation="t"/>'
        '<v:textbox style="mso-direction-alt:auto" o:singleclick="f"><div style="text-align:center">'
        f'<font face="Calibri" size="220" color="#000000">{escape(text)}</font></div></v:textbox>'
        f'<x:ClientData ObjectType="Button"><x:Anchor>1, 10, {zeile}, 4, 4, 10, {zeile + 2}, 0</x:Anchor>'
        "<x:PrintObject>False</x:PrintObject><x:AutoFill>False</x:AutoFill>"
        f"<x:FmlaMacro>[0]!{makro}</x:FmlaMacro><x:TextHAlign>Center</x:TextHAlign>"
        "<x:TextVAlign>Center</x:TextVAlign></x:ClientData></v:shape>"
    )


def knoepfe_vml() -> str:
    """The legacy drawing (VML) with one form-control button per macro."""
    knoepfe = "".join(_knopf(i, m, t, 1 + 3 * i) for i, (m, t) in enumerate(KNOEPFE.items()))
    return (
        '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit">'
        '<o:idmap v:ext="edit" data="1"/></o:shapelayout><v:shapetype id="_x0000_t201" '
        'coordsize="21600,21600" o:spt="201" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
        '<v:path shadowok="f" o:extrusionok="f" strokeok="f" fillok="f" o:connecttype="rect"/>'
        f'<o:lock v:ext="edit" shapetype="t"/></v:shapetype>{knoepfe}</xml>'
    )


_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_VML_TYP = f"{_REL_NS}/vmlDrawing"


def _blatt_teil(teile: dict[str, bytes], blatt: str) -> str:
    """The zip path of a sheet's XML part, by its name."""
    buch = teile[_BUCH].decode("utf-8")
    rid = re.search(rf'<sheet [^>]*name="{re.escape(escape(blatt))}"[^>]*r:id="(\w+)"', buch)
    if rid is None:
        raise KeyError(blatt)
    rels = teile[paket.rels_pfad(_BUCH)].decode("utf-8")
    ziel = re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels) or re.search(
        rf'<Relationship [^>]*Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels
    )
    assert ziel is not None
    return paket.ziel_aufloesen(_BUCH, ziel.group(1))


#: the workbook part of the packages openpyxl writes
_BUCH = "xl/workbook.xml"


def _mit_knoepfen(teile: dict[str, bytes]) -> None:
    blatt = _blatt_teil(teile, _ANLEITUNG)
    rels_pfad = paket.rels_pfad(blatt)
    vml = "xl/drawings/vmlDrawingSozialraumbudget.vml"
    teile[vml] = knoepfe_vml().encode("utf-8")
    ziel = posixpath.relpath(vml, posixpath.dirname(blatt))
    rel = f'<Relationship Id="rIdSrbKnoepfe" Type="{_VML_TYP}" Target="{ziel}"/>'
    if rels_pfad in teile:
        teile[rels_pfad] = teile[rels_pfad].replace(b"</Relationships>", rel.encode() + b"</Relationships>")
    else:
        teile[rels_pfad] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rel}'
            "</Relationships>"
        ).encode()
    xml = teile[blatt].decode("utf-8")
    if f'xmlns:r="{_REL_NS}"' not in xml:
        xml = xml.replace("<worksheet ", f'<worksheet xmlns:r="{_REL_NS}" ', 1)
    element = '<legacyDrawing r:id="rIdSrbKnoepfe"/>'
    nach = re.search(
        r"<(legacyDrawingHF|picture|oleObjects|controls|webPublishItems|tableParts|extLst)\b", xml
    )
    if nach:
        xml = xml[: nach.start()] + element + xml[nach.start() :]
    else:
        xml = xml.replace("</worksheet>", element + "</worksheet>")
    teile[blatt] = xml.encode("utf-8")
    typen = teile["[Content_Types].xml"].decode("utf-8")
    if 'Extension="vml"' not in typen:
        typen = typen.replace(
            "<Default ",
            '<Default Extension="vml" '
            'ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/><Default ',
            1,
        )
    teile["[Content_Types].xml"] = typen.encode("utf-8")


def vervollstaendige(pfad: str | os.PathLike[str]) -> Path:
    """Give the macro workbook at ``pfad`` our VBA project and the buttons (in place)."""
    pfad = Path(pfad)
    with zipfile.ZipFile(pfad) as z:
        reihenfolge = z.namelist()
        teile = {n: z.read(n) for n in reihenfolge}
    teile["xl/vbaProject.bin"] = vba_projekt(teile["xl/vbaProject.bin"])
    _mit_knoepfen(teile)
    neu = pfad.with_name(pfad.name + ".tmp")
    with zipfile.ZipFile(neu, "w", zipfile.ZIP_DEFLATED) as z:
        for name in [*reihenfolge, *(n for n in teile if n not in reihenfolge)]:
            z.writestr(name, teile[name])
    neu.replace(pfad)
    return pfad
