"""UNO component of the LibreOffice extension sozbudget.oxt (built by ``make oxt``).

Loaded by LibreOffice's Python (Debian: python3-uno). It registers

* ``de.sozbudget.Funktionen`` (service ``com.sun.star.sheet.AddIn``): one method per
  ``SRB_…`` worksheet function, listed in ``funktionen.json`` beside this file;
* ``de.sozbudget.ExcelNamen`` (service ``com.sun.star.task.Job``): re-enters formulas with
  plain ``SRB_`` names after a spreadsheet is loaded (workbooks saved by Excel).

The computation lives in the package ``sozbudget_xl`` (folder ``pythonpath`` of the
extension, :mod:`sozbudget_xl.hosts.libreoffice`); it is imported on the first call, so a
missing dependency shows as a German text in the cell instead of ``#NAME?``. Further
folders with packages (e.g. numpy and pandas on Windows) can be named in the environment
variable ``SOZBUDGET_PYTHONPATH`` (separated like PATH).
"""

import json
import os
import sys

import unohelper
from com.sun.star.task import XJob
from de.sozbudget import XSozbudget

_HIER = os.path.dirname(os.path.abspath(__file__))
for _ordner in (os.environ.get("SOZBUDGET_PYTHONPATH") or "").split(os.pathsep):
    if _ordner and _ordner not in sys.path:
        sys.path.append(_ordner)
if os.path.join(_HIER, "pythonpath") not in sys.path:
    sys.path.insert(0, os.path.join(_HIER, "pythonpath"))

with open(os.path.join(_HIER, "funktionen.json"), encoding="utf-8") as _datei:
    _FUNKTIONEN = json.load(_datei)

_HINWEIS = "siehe README, Abschnitt LibreOffice"


def _rufe(name, argumente):
    try:
        from sozbudget_xl.hosts import libreoffice
    except Exception as exc:  # e.g. numpy missing in LibreOffice's Python
        text = f"Fehler: sozbudget_xl lässt sich nicht laden ({type(exc).__name__}: {exc}); {_HINWEIS}"
        return ((text[:255],),)
    return libreoffice.aufrufen(name, argumente)


def _methode(name):
    def methode(self, *argumente):
        return _rufe(name, argumente)

    methode.__name__ = name
    return methode


class Funktionen(unohelper.Base, XSozbudget):
    """The SRB_ worksheet functions."""

    def __init__(self, ctx):
        self.ctx = ctx


for _f in _FUNKTIONEN:
    setattr(Funktionen, _f["name"], _methode(_f["name"]))


class ExcelNamen(unohelper.Base, XJob):
    """Job on OnLoadFinished: formulas saved by Excel compute with the add-in."""

    def __init__(self, ctx):
        self.ctx = ctx

    def execute(self, argumente):
        try:
            dokument = None
            for a in argumente:
                if a.Name == "Environment":
                    for e in a.Value:
                        if e.Name == "Model":
                            dokument = e.Value
            if dokument is not None and hasattr(dokument, "getSheets"):
                from sozbudget_xl.hosts import libreoffice

                if libreoffice.excel_formeln_uebernehmen(dokument):
                    dokument.calculateAll()
        except Exception as exc:  # never break loading a document
            print(f"sozbudget: Excel-Formeln nicht übernommen: {exc}", file=sys.stderr)
        return None


g_ImplementationHelper = unohelper.ImplementationHelper()
g_ImplementationHelper.addImplementation(Funktionen, "de.sozbudget.Funktionen", ("com.sun.star.sheet.AddIn",))
g_ImplementationHelper.addImplementation(ExcelNamen, "de.sozbudget.ExcelNamen", ("com.sun.star.task.Job",))
