"""LibreOffice Calc extension (``sozbudget.oxt``): the ``SRB_…`` functions as a Python UNO add-in.

This module builds the extension and holds the run-time glue the UNO component
(:mod:`.libreoffice_uno`, shipped as ``sozbudget_addin.py``) calls; it imports nothing from UNO
itself, so the build and the conversions are tested with the project's own Python.

What the build writes, all generated from the catalogue :mod:`.funktionen` (registry and
declarations):

* ``sozbudget.idl`` → ``sozbudget.rdb``: the interface ``de.sozbudget.XSozbudget``, one method
  per worksheet function, every argument ``any`` (a cell, a range or omitted: Calc treats
  ``any`` arguments as optional), every result ``sequence< sequence< any > >`` (an array; one
  cell shows its top-left value). The ``.rdb`` is made with ``unoidl-write`` (Debian package
  ``libreoffice-dev``, Windows: LibreOffice SDK); without it the ``.idl`` itself is the type
  library (LibreOffice reads ``.idl`` files as type providers).
* ``CalcAddIns.xcu``: German function and argument names and help texts, English names equal
  to the Excel names (``CompatibilityName`` too, for the OOXML import of newer LibreOffice).
* ``Jobs.xcu``: a job on ``OnLoadFinished`` for spreadsheets that re-enters formulas still
  holding a plain ``SRB_…`` name (how Excel stores them) so that Excel workbooks compute on
  load (LibreOffice 7.4 does not map the names itself).
* ``Addons.xcu``: the menu „Sozialraumbudget“ in Calc with „Neu berechnen“, „Prüfen“ and
  „Anlagen erzeugen“ (:data:`.calc_mappe.BEFEHLE`, the orchestration of the Excel macros).
* ``pythonpath/``: this package (with its annex templates) and its pure-Python dependencies
  (Babel, holidays, python-dateutil, six, Jinja2, MarkupSafe), copied from the Python that
  builds the extension — the source tree or an installed wheel alike. numpy and pandas are
  binary and come from LibreOffice's Python (Debian: ``python3-numpy``, ``python3-pandas``)
  or from folders named in ``SOZBUDGET_PYTHONPATH``.

Build it with ``make oxt`` or, from an installed package, ``python -m
sozbudget_xl.hosts.libreoffice --ziel ORDNER``.

>>> print(idl([funktion("SRB_BETRAG")]).splitlines()[3].strip())
sequence< sequence< any > > SRB_BETRAG([in] any wert);
>>> zellwerte([[1, "x", None], [dt.date(2026, 1, 1)]])
((1.0, 'x', ''), (46023.0, '', ''))
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import math
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from .. import __version__
from .funktionen import Funktion, funktion, funktionen

__all__ = [
    "ADDIN",
    "BEFEHLE_DIENST",
    "INTERFACE",
    "JOB",
    "addons_xcu",
    "aufrufen",
    "baue_oxt",
    "calcaddins_xcu",
    "excel_formeln_uebernehmen",
    "idl",
    "idl_name",
    "unoidl_write",
    "zellwerte",
]

#: implementation name of the function add-in (= node under AddInInfo in CalcAddIns.xcu)
ADDIN = "de.sozbudget.Funktionen"
#: implementation name of the job that makes Excel-saved formulas compute
JOB = "de.sozbudget.ExcelNamen"
#: the UNO interface with one method per function
INTERFACE = "de.sozbudget.XSozbudget"
#: extension identifier (description.xml)
KENNUNG = "de.sozbudget.sozbudget_xl"
#: pure-Python distributions copied into the extension's pythonpath
REINE_PAKETE = ("babel", "holidays", "python-dateutil", "six", "jinja2", "markupsafe")
#: locales of Babel's data kept in the extension (the package formats German amounts)
_BABEL_LOCALES = re.compile(r"(root|de|de_.*|en|en_US)\.dat")
#: the UNO component (a module of this package, so a wheel can build the extension too)
KOMPONENTE = Path(__file__).resolve().with_name("libreoffice_uno.py")
#: service of the menu commands (``service:…?befehl``)
BEFEHLE_DIENST = "de.sozbudget.Befehle"
#: Calc's default null date: serial number 0
_NULLDATUM = dt.date(1899, 12, 30)
#: a formula name as Excel stores it: plain, or with the prefix of a function unknown to Excel
_EXCEL_NAME = re.compile(r"(?<![\w.])(?:_xludf\.)?(SRB_[A-Z0-9_]+)(?=\s*\()", re.IGNORECASE)
_FORMEL_ZELLEN = 16  # com.sun.star.sheet.CellFlags.FORMULA


# --------------------------------------------------------------------------- generated files


def idl_name(argument: str) -> str:
    """An argument name as UNO IDL allows it (no underscore in lower-case names): camelCase.

    >>> idl_name("standardwerte_bereich")
    'standardwerteBereich'
    """
    erster, *rest = argument.split("_")
    return erster + "".join(t[:1].upper() + t[1:] for t in rest)


def idl(liste: Iterable[Funktion] | None = None) -> str:
    """The UNO interface of the functions (IDL source, no includes needed)."""
    modul, name = INTERFACE.rsplit(".", 1)
    zeilen = [f"module {m} {{" for m in modul.split(".")]
    zeilen.append(f"    interface {name} : com::sun::star::uno::XInterface {{")
    for f in funktionen() if liste is None else liste:
        args = ", ".join(f"[in] any {idl_name(a.name)}" for a in f.argumente)
        zeilen.append(f"        sequence< sequence< any > > {f.name}({args});")
    zeilen.append("    };")
    zeilen.append(" ".join("};" for _ in modul.split(".")))
    return "\n".join(zeilen) + "\n"


def _wert(prop: str, texte: dict[str, str]) -> str:
    werte = "".join(f"<value xml:lang={quoteattr(lang)}>{escape(t)}</value>" for lang, t in texte.items())
    return f'<prop oor:name="{prop}">{werte}</prop>'


def calcaddins_xcu(liste: Iterable[Funktion] | None = None) -> str:
    """CalcAddIns.xcu: German names and help of every function and argument."""
    teile = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<oor:component-data xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'oor:name="CalcAddIns" oor:package="org.openoffice.Office">',
        '<node oor:name="AddInInfo">',
        f'<node oor:name="{ADDIN}" oor:op="replace">',
        '<node oor:name="AddInFunctions">',
    ]
    for f in funktionen() if liste is None else liste:
        teile += [
            f'<node oor:name="{f.name}" oor:op="replace">',
            _wert("DisplayName", {"de": f.name, "en-US": f.name}),
            _wert("Description", {"de": f.hilfe, "en-US": f.hilfe}),
            '<prop oor:name="Category"><value>Add-In</value></prop>',
            _wert("CompatibilityName", {"en-US": f.name}),
            '<node oor:name="Parameters">',
        ]
        for a in f.argumente:
            teile += [
                f'<node oor:name="{idl_name(a.name)}" oor:op="replace">',
                _wert("DisplayName", {"de": a.anzeige, "en-US": a.anzeige}),
                _wert("Description", {"de": a.hilfe, "en-US": a.hilfe}),
                "</node>",
            ]
        teile += ["</node>", "</node>"]
    teile += ["</node>", "</node>", "</node>", "</oor:component-data>"]
    return "\n".join(teile) + "\n"


def jobs_xcu() -> str:
    """Jobs.xcu: the Excel-name job on every loaded spreadsheet."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<oor:component-data xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
    oor:name="Jobs" oor:package="org.openoffice.Office">
  <node oor:name="Jobs">
    <node oor:name="SozbudgetExcelNamen" oor:op="replace">
      <prop oor:name="Service"><value>{JOB}</value></prop>
      <prop oor:name="Context"><value>com.sun.star.sheet.SpreadsheetDocument</value></prop>
    </node>
  </node>
  <node oor:name="Events">
    <node oor:name="OnLoadFinished" oor:op="fuse">
      <node oor:name="JobList">
        <node oor:name="SozbudgetExcelNamen" oor:op="replace"/>
      </node>
    </node>
  </node>
</oor:component-data>
"""


_CALC = "com.sun.star.sheet.SpreadsheetDocument"


def _menuepunkt(knoten: str, url: str, titel: str) -> str:
    return (
        f'<node oor:name="{knoten}" oor:op="replace">'
        f'<prop oor:name="URL" oor:type="xs:string"><value>{escape(url)}</value></prop>'
        f'<prop oor:name="Title" oor:type="xs:string"><value xml:lang="de">{escape(titel)}</value>'
        f'<value xml:lang="en-US">{escape(titel)}</value></prop>'
        '<prop oor:name="Target" oor:type="xs:string"><value>_self</value></prop>'
        f'<prop oor:name="Context" oor:type="xs:string"><value>{_CALC}</value></prop>'
        "</node>"
    )


def addons_xcu() -> str:
    """Addons.xcu: the menu „Sozialraumbudget“ of Calc, one entry per command of
    :data:`.calc_mappe.BEFEHLE`."""
    from .calc_mappe import BEFEHLE

    eintraege = "".join(
        _menuepunkt(f"m{i}", f"service:{BEFEHLE_DIENST}?{befehl}", titel)
        for i, (befehl, (titel, _)) in enumerate(BEFEHLE.items(), start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:component-data xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" oor:name="Addons" oor:package="org.openoffice.Office">'
        '<node oor:name="AddonUI"><node oor:name="OfficeMenuBar">'
        '<node oor:name="de.sozbudget.menue" oor:op="replace">'
        '<prop oor:name="Title" oor:type="xs:string"><value xml:lang="de">Sozialraumbudget</value>'
        '<value xml:lang="en-US">Sozialraumbudget</value></prop>'
        '<prop oor:name="Target" oor:type="xs:string"><value>_self</value></prop>'
        f'<prop oor:name="Context" oor:type="xs:string"><value>{_CALC}</value></prop>'
        f'<node oor:name="Submenu">{eintraege}</node>'
        "</node></node></node></oor:component-data>\n"
    )


def manifest(typbibliothek: str) -> str:
    eintraege = [
        ("application/vnd.sun.star.uno-typelibrary;type=RDB", typbibliothek),
        ("application/vnd.sun.star.configuration-data", "CalcAddIns.xcu"),
        ("application/vnd.sun.star.configuration-data", "Jobs.xcu"),
        ("application/vnd.sun.star.configuration-data", "Addons.xcu"),
        ("application/vnd.sun.star.uno-component;type=Python", "sozbudget_addin.py"),
    ]
    zeilen = "\n".join(
        f'  <manifest:file-entry manifest:media-type="{t}" manifest:full-path="{p}"/>' for t, p in eintraege
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<manifest:manifest xmlns:manifest="http://openoffice.org/2001/manifest">\n'
        f"{zeilen}\n</manifest:manifest>\n"
    )


def description_xml() -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<description xmlns="http://openoffice.org/extensions/description/2006" xmlns:xlink="http://www.w3.org/1999/xlink"
    xmlns:d="http://openoffice.org/extensions/description/2006">
  <identifier value="{KENNUNG}"/>
  <version value="{__version__}"/>
  <dependencies>
    <d:OpenOffice.org-minimal-version value="4.1" d:name="OpenOffice.org 4.1"/>
  </dependencies>
  <display-name>
    <name lang="de">Sozialraumbudget (SRB_-Funktionen)</name>
    <name lang="en">Sozialraumbudget (SRB_ functions)</name>
  </display-name>
  <extension-description>
    <src lang="de" xlink:href="beschreibung.txt"/>
  </extension-description>
</description>
"""


BESCHREIBUNG = (
    "Tabellenfunktionen für Sozialraumbudgets (sozbudget_xl): SRB_VERTEILEN, SRB_BETRAG, "
    "SRB_STANDARDPUNKTE, SRB_INDEX, SRB_BUDGETSCHLUESSEL, SRB_RATEN und je Budgetmodell eine "
    "Funktion (z. B. SRB_KGST). Tabellen als Matrixformel eingeben (Strg+Umschalt+Eingabe).\n"
    "Benötigt numpy und pandas in LibreOffices Python (Debian/Ubuntu: python3-numpy, python3-pandas).\n"
)


# --------------------------------------------------------------------------- build


def unoidl_write() -> str | None:
    """Path of ``unoidl-write`` (LibreOffice SDK) or None."""
    gefunden = shutil.which("unoidl-write")
    if gefunden:
        return gefunden
    for ort in ("/usr/lib/libreoffice/sdk/bin/unoidl-write", "/opt/libreoffice/sdk/bin/unoidl-write"):
        if os.access(ort, os.X_OK):
            return ort
    return None


def _typen_rdb() -> list[str]:
    """types.rdb and offapi.rdb of the installed LibreOffice (the base types of the IDL)."""
    for programm in ("/usr/lib/libreoffice/program", "/opt/libreoffice/program"):
        p = Path(programm)
        if (p / "types.rdb").exists():
            return [str(p / "types.rdb"), *[str(x) for x in sorted((p / "types").glob("offapi.rdb"))]]
    return []


def _kopiere_paket(quelle: Path, ziel: Path) -> None:
    for datei in quelle.rglob("*"):
        if "__pycache__" in datei.parts or datei.is_dir() or datei.suffix == ".pyc":
            continue
        (ziel / datei.relative_to(quelle.parent)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(datei, ziel / datei.relative_to(quelle.parent))


def _kopiere_vorlagen(ziel: Path) -> None:
    """The annex templates (package ``sozbudget_xl.vorlagen``: ``templates/`` in the source tree)."""
    from importlib.resources import as_file, files

    with as_file(files("sozbudget_xl.vorlagen")) as quelle:
        shutil.copytree(
            quelle, ziel, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )


def _kopiere_distribution(name: str, ziel: Path) -> None:
    """Copy an installed distribution (its files and metadata) into ``ziel``."""
    dist = importlib.metadata.distribution(name)
    for datei in dist.files or ():
        teile = Path(str(datei)).parts
        if "__pycache__" in teile or str(datei).endswith(".pyc") or ".." in teile or teile[0].endswith("bin"):
            continue
        if (
            len(teile) >= 3
            and teile[:2] == ("babel", "locale-data")
            and not _BABEL_LOCALES.fullmatch(teile[2])
        ):
            continue
        quelle = Path(str(dist.locate_file(datei)))
        if quelle.is_file():
            (ziel / datei).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(quelle, ziel / datei)


def baue_oxt(ziel: str | Path, *, rdb: bool | None = None) -> Path:
    """Build ``sozbudget.oxt`` at ``ziel``.

    ``rdb`` True: require ``unoidl-write``; False: ship the IDL as type library; None: the
    ``.rdb`` when ``unoidl-write`` is installed, else the IDL.
    """
    ziel = Path(ziel)
    liste = funktionen()
    with tempfile.TemporaryDirectory() as tmp:
        bau = Path(tmp)
        (bau / "META-INF").mkdir()
        (bau / "sozbudget.idl").write_text(idl(liste), encoding="utf-8")
        werkzeug = unoidl_write() if rdb is not False else None
        if rdb and not werkzeug:
            raise FileNotFoundError("unoidl-write fehlt (Debian: apt install libreoffice-dev)")
        if werkzeug:
            subprocess.run(
                [werkzeug, *_typen_rdb(), str(bau / "sozbudget.idl"), str(bau / "sozbudget.rdb")],
                check=True,
                capture_output=True,
            )
            typbibliothek = "sozbudget.rdb"
        else:
            typbibliothek = "sozbudget.idl"
        (bau / "META-INF" / "manifest.xml").write_text(manifest(typbibliothek), encoding="utf-8")
        (bau / "CalcAddIns.xcu").write_text(calcaddins_xcu(liste), encoding="utf-8")
        (bau / "Jobs.xcu").write_text(jobs_xcu(), encoding="utf-8")
        (bau / "Addons.xcu").write_text(addons_xcu(), encoding="utf-8")
        (bau / "description.xml").write_text(description_xml(), encoding="utf-8")
        (bau / "beschreibung.txt").write_text(BESCHREIBUNG, encoding="utf-8")
        (bau / "funktionen.json").write_text(
            json.dumps([{"name": f.name, "argumente": len(f.argumente)} for f in liste], indent=1),
            encoding="utf-8",
        )
        shutil.copy2(KOMPONENTE, bau / "sozbudget_addin.py")
        pythonpath = bau / "pythonpath"
        _kopiere_paket(Path(__file__).resolve().parents[1], pythonpath)
        _kopiere_vorlagen(pythonpath / "sozbudget_xl" / "vorlagen")
        for name in REINE_PAKETE:
            _kopiere_distribution(name, pythonpath)
        ziel.parent.mkdir(parents=True, exist_ok=True)
        neu = ziel.with_suffix(".oxt.tmp")
        with zipfile.ZipFile(neu, "w", zipfile.ZIP_DEFLATED) as z:
            for datei in sorted(bau.rglob("*")):
                if datei.is_file():
                    z.write(datei, datei.relative_to(bau).as_posix())
        neu.replace(ziel)
    return ziel


# --------------------------------------------------------------------------- run time


def _zelle_aus(v: Any) -> Any:
    """One value for Calc: numbers as float, dates as serial numbers, blanks as empty text."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, int | float | Decimal):
        x = float(v)
        return x + 0.0 if math.isfinite(x) else ""
    if isinstance(v, dt.datetime):
        return (v - dt.datetime(1899, 12, 30)).total_seconds() / 86400
    if isinstance(v, dt.date):
        return float((v - _NULLDATUM).days)
    if hasattr(v, "item"):  # numpy scalar
        return _zelle_aus(v.item())
    return str(v)


def zellwerte(ergebnis: Any) -> tuple[tuple[Any, ...], ...]:
    """A function result as Calc's ``sequence< sequence< any > >``: rectangular, padded with ""."""
    if not isinstance(ergebnis, list | tuple):
        ergebnis = [[ergebnis]]
    zeilen = [list(r) if isinstance(r, list | tuple) else [r] for r in ergebnis] or [[""]]
    breite = max(len(r) for r in zeilen) or 1
    return tuple(tuple(_zelle_aus(v) for v in r) + ("",) * (breite - len(r)) for r in zeilen)


def _argument_ein(v: Any) -> Any:
    """A Calc argument as the worksheet functions take it: arrays as lists of lists,
    empty cells and omitted arguments as None."""
    if isinstance(v, tuple | list):
        return [[_argument_ein(x) for x in r] if isinstance(r, tuple | list) else _argument_ein(r) for r in v]
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return int(v)
    return v


def aufrufen(name: str, argumente: Sequence[Any]) -> tuple[tuple[Any, ...], ...]:
    """Compute worksheet function ``name`` for Calc; every error becomes a German cell text."""
    from ..excel import fehlertext

    try:
        f = funktion(name)
        args = [_argument_ein(a) for a in argumente]
        while args and args[-1] is None and f.argumente[len(args) - 1].optional:
            args.pop()  # omitted optional arguments take the function's defaults
        return zellwerte(f.aufruf(*args))
    except Exception as exc:  # a cell shows a text, never a traceback
        return ((fehlertext(exc),),)


def _excel_formel(formel: str) -> str | None:
    """The formula with Excel's ``SRB_`` spellings in capitals (None: nothing to change)."""
    neu = _EXCEL_NAME.sub(lambda m: m.group(1).upper(), formel)
    return neu if _EXCEL_NAME.search(formel) and (neu != formel or "SRB_" in formel) else None


def excel_formeln_uebernehmen(dokument: Any) -> int:
    """Re-enter every formula of a Calc document that still holds a plain ``SRB_…`` name, so that
    it resolves to the add-in and computes (single cells and whole array formulas).
    Returns the number of formulas re-entered. Takes the UNO document (duck-typed)."""
    anzahl = 0
    blaetter = dokument.getSheets()
    for i in range(blaetter.getCount()):
        blatt = blaetter.getByIndex(i)
        erledigt: set[str] = set()
        bereiche = blatt.queryContentCells(_FORMEL_ZELLEN)
        for adresse in bereiche.getRangeAddresses():
            for zeile in range(adresse.StartRow, adresse.EndRow + 1):
                for spalte in range(adresse.StartColumn, adresse.EndColumn + 1):
                    zelle = blatt.getCellByPosition(spalte, zeile)
                    formel = zelle.getFormula()
                    if "srb_" not in formel.casefold():
                        continue
                    cursor = blatt.createCursorByRange(zelle)
                    try:
                        cursor.collapseToCurrentArray()
                        matrix = cursor.getRangeAddress()
                    except Exception:  # not part of an array formula
                        matrix = None
                    if matrix is not None:
                        schluessel = f"{matrix.StartColumn}:{matrix.StartRow}"
                        if schluessel in erledigt:
                            continue
                        erledigt.add(schluessel)
                        oben = blatt.getCellByPosition(matrix.StartColumn, matrix.StartRow).getFormula()
                        neu = _excel_formel(oben.strip("{}"))
                        if neu is not None:
                            cursor.setArrayFormula(neu)
                            anzahl += 1
                    else:
                        neu = _excel_formel(formel)
                        if neu is not None:
                            zelle.setFormula(neu)
                            anzahl += 1
    return anzahl


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    """``python -m sozbudget_xl.hosts.libreoffice --ziel ORDNER``: build sozbudget.oxt."""
    import argparse

    p = argparse.ArgumentParser(
        prog="python -m sozbudget_xl.hosts.libreoffice",
        description="Die LibreOffice-Erweiterung sozbudget.oxt bauen (aus dem installierten Paket)",
    )
    p.add_argument("--ziel", default=".", help="Ordner für sozbudget.oxt (Standard: aktueller Ordner)")
    p.add_argument(
        "--ohne-rdb", action="store_true", help="IDL statt .rdb als Typbibliothek (ohne unoidl-write)"
    )
    a = p.parse_args(argv)
    print(baue_oxt(Path(a.ziel) / "sozbudget.oxt", rdb=False if a.ohne_rdb else None))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
