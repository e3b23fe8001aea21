"""UNO component of the LibreOffice extension sozbudget.oxt (copied into it as
``sozbudget_addin.py`` by :func:`sozbudget_xl.hosts.libreoffice.baue_oxt`).

Loaded by LibreOffice's Python (Debian: python3-uno); outside LibreOffice this module defines
nothing (its UNO imports fail). It registers

* ``de.sozbudget.Funktionen`` (service ``com.sun.star.sheet.AddIn``): one method per
  ``SRB_…`` worksheet function, listed in ``funktionen.json`` beside this file;
* ``de.sozbudget.ExcelNamen`` (service ``com.sun.star.task.Job``): re-enters formulas with
  plain ``SRB_`` names after a spreadsheet is loaded (workbooks saved by Excel);
* ``de.sozbudget.Befehle`` (``com.sun.star.task.XJobExecutor``): the menu „Sozialraumbudget“
  (Addons.xcu) — ``service:de.sozbudget.Befehle?neu_berechnen`` (``pruefen``, ``anlagen``).

The computation lives in the package ``sozbudget_xl`` (folder ``pythonpath`` of the
extension); it is imported on first use, so a missing dependency shows as a German text in
the cell or message instead of ``#NAME?``. Further folders with packages (e.g. numpy and
pandas on Windows) can be named in the environment variable ``SOZBUDGET_PYTHONPATH``.
"""

import json
import os
import sys

try:
    import unohelper
    from com.sun.star.task import XJob, XJobExecutor
    from de.sozbudget import XSozbudget
except ImportError:  # not inside LibreOffice: nothing to register
    unohelper = None

_HIER = os.path.dirname(os.path.abspath(__file__))
_HINWEIS = "siehe README, Abschnitt LibreOffice"
_TITEL = "Sozialraumbudget"


def _pfade():
    for ordner in (os.environ.get("SOZBUDGET_PYTHONPATH") or "").split(os.pathsep):
        if ordner and ordner not in sys.path:
            sys.path.append(ordner)
    if os.path.join(_HIER, "pythonpath") not in sys.path:
        sys.path.insert(0, os.path.join(_HIER, "pythonpath"))


def _ladefehler(exc):
    return f"Fehler: sozbudget_xl lässt sich nicht laden ({type(exc).__name__}: {exc}); {_HINWEIS}"[:255]


def _rufe(name, argumente):
    try:
        from sozbudget_xl.hosts import libreoffice
    except Exception as exc:  # e.g. numpy missing in LibreOffice's Python
        return ((_ladefehler(exc),),)
    return libreoffice.aufrufen(name, argumente)


def _methode(name):
    def methode(self, *argumente):
        return _rufe(name, argumente)

    methode.__name__ = name
    return methode


def _dokument_aus(argumente, schluessel="Model"):
    for a in argumente:
        if a.Name == "Environment":
            for e in a.Value:
                if e.Name == schluessel:
                    return e.Value
    return None


def _melde(ctx, dokument, text):
    """A message box over the document's window; with SOZBUDGET_MELDUNGEN (a file) the text is
    appended there instead (headless runs and tests, where no one can press OK)."""
    datei = os.environ.get("SOZBUDGET_MELDUNGEN")
    if datei:
        with open(datei, "a", encoding="utf-8") as f:
            f.write(text + "\n\x1e\n")
        return
    from com.sun.star.awt.MessageBoxType import INFOBOX

    fenster = dokument.getCurrentController().getFrame().getContainerWindow()
    toolkit = ctx.ServiceManager.createInstanceWithContext("com.sun.star.awt.Toolkit", ctx)
    toolkit.createMessageBox(fenster, INFOBOX, 1, _TITEL, text).execute()


if unohelper is not None:
    _pfade()
    with open(os.path.join(_HIER, "funktionen.json"), encoding="utf-8") as _datei:
        _FUNKTIONEN = json.load(_datei)

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
                dokument = _dokument_aus(argumente)
                if dokument is not None and hasattr(dokument, "getSheets"):
                    from sozbudget_xl.hosts import libreoffice

                    if libreoffice.excel_formeln_uebernehmen(dokument):
                        dokument.calculateAll()
            except Exception as exc:  # never break loading a document
                print(f"sozbudget: Excel-Formeln nicht übernommen: {exc}", file=sys.stderr)
            return None

    class Befehle(unohelper.Base, XJobExecutor):
        """The menu „Sozialraumbudget“: Neu berechnen, Prüfen, Anlagen erzeugen."""

        def __init__(self, ctx):
            self.ctx = ctx

        def trigger(self, befehl):
            desktop = self.ctx.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.Desktop", self.ctx
            )
            dokument = desktop.getCurrentComponent()
            try:
                from sozbudget_xl.hosts import calc_mappe

                text = calc_mappe.befehl(befehl, dokument)
            except Exception as exc:  # a message, never a traceback
                text = _ladefehler(exc)
            _melde(self.ctx, dokument, text)

    g_ImplementationHelper = unohelper.ImplementationHelper()
    g_ImplementationHelper.addImplementation(
        Funktionen, "de.sozbudget.Funktionen", ("com.sun.star.sheet.AddIn",)
    )
    g_ImplementationHelper.addImplementation(
        ExcelNamen, "de.sozbudget.ExcelNamen", ("com.sun.star.task.Job",)
    )
    g_ImplementationHelper.addImplementation(Befehle, "de.sozbudget.Befehle", ("de.sozbudget.Befehle",))
