"""UNO client for tests/test_libreoffice_addin.py — run with the system Python that has
``python3-uno`` (``/usr/bin/python3``), not the project's venv.

Usage: ``python3 uno_pruefclient.py PIPE AUFTRAG.json ERGEBNIS.json``. The job opens a
document (a file or a new spreadsheet) hidden, sets cells and (array) formulas, recalculates,
runs menu commands of the extension (``befehle``: dispatch URLs such as
``service:de.sozbudget.Befehle?neu_berechnen``), reads ranges back, lists the extension's menu
from the configuration and can export the document as PDF. The result is JSON:
``{"lesen": [[[...row...], ...], ...], "formeln": [...], "menue": [...], "blaetter": [...]}``.
"""

import json
import os
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def _prop(name, wert):
    p = PropertyValue()
    p.Name, p.Value = name, wert
    return p


def _verbinde(pipe):
    lokal = uno.getComponentContext()
    resolver = lokal.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", lokal)
    for _ in range(120):
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return ctx, ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except Exception:
            time.sleep(0.5)
    raise SystemExit("LibreOffice antwortet nicht")


def _menue(ctx):
    """The extension's entries under the menu bar of the add-ons configuration: [(title, URL)]."""
    anbieter = ctx.ServiceManager.createInstanceWithContext(
        "com.sun.star.configuration.ConfigurationProvider", ctx
    )
    zugang = anbieter.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationAccess",
        (_prop("nodepath", "/org.openoffice.Office.Addons/AddonUI/OfficeMenuBar"),),
    )
    aus = []
    for name in zugang.getElementNames():
        knoten = zugang.getByName(name)
        punkte = knoten.getByName("Submenu")
        eintraege = [
            [punkte.getByName(n).Title, punkte.getByName(n).URL, punkte.getByName(n).Context]
            for n in sorted(punkte.getElementNames())
        ]
        aus.append({"knoten": name, "titel": knoten.Title, "kontext": knoten.Context, "eintraege": eintraege})
    return aus


def _bereich(doc, blatt, adresse):
    return doc.getSheets().getByName(blatt).getCellRangeByName(adresse)


def main():
    pipe, auftrag_datei, ergebnis_datei = sys.argv[1:4]
    with open(auftrag_datei, encoding="utf-8") as f:
        auftrag = json.load(f)
    ctx, desktop = _verbinde(pipe)
    url = uno.systemPathToFileUrl(auftrag["datei"]) if auftrag.get("datei") else "private:factory/scalc"
    optionen = (
        () if auftrag.get("befehle") else (_prop("Hidden", True),)
    )  # menu commands act on the front document
    doc = desktop.loadComponentFromURL(url, "_blank", 0, optionen)
    ergebnis = {"lesen": [], "formeln": [], "menue": _menue(ctx) if auftrag.get("menue") else []}
    try:
        blaetter = doc.getSheets()
        for name in auftrag.get("blaetter_loeschen", []):
            blaetter.removeByName(name)
        for name in auftrag.get("neue_blaetter", []):
            if not blaetter.hasByName(name):
                blaetter.insertNewByName(name, blaetter.getCount())
        for blatt, adresse, wert in auftrag.get("werte", []):
            zelle = _bereich(doc, blatt, adresse)
            if isinstance(wert, str):
                zelle.setString(wert) if not wert.startswith("=") else zelle.setFormula(wert)
            elif wert is None:
                zelle.setString("")
            else:
                zelle.setValue(float(wert))
        for blatt, adresse, formel in auftrag.get("matrixformeln", []):
            _bereich(doc, blatt, adresse).setArrayFormula(formel)
        doc.calculateAll()
        helfer = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
        for befehl in auftrag.get("befehle", []):
            helfer.executeDispatch(doc.getCurrentController().getFrame(), befehl, "", 0, ())
        doc.calculateAll()
        ergebnis["blaetter"] = list(doc.getSheets().getElementNames())
        for blatt, adresse in auftrag.get("lesen", []):
            werte = _bereich(doc, blatt, adresse).getDataArray()
            ergebnis["lesen"].append([list(r) for r in werte])
        for blatt, adresse in auftrag.get("formeln_lesen", []):
            ergebnis["formeln"].append(_bereich(doc, blatt, adresse).getFormula())
        ergebnis["texte"] = [_bereich(doc, b, a).getString() for b, a in auftrag.get("texte_lesen", [])]
        if auftrag.get("pdf"):
            filter_ = [_prop("FilterName", "calc_pdf_Export")]
            doc.storeToURL(uno.systemPathToFileUrl(auftrag["pdf"]), tuple(filter_))
    finally:
        doc.close(True)
    with open(ergebnis_datei, "w", encoding="utf-8") as f:
        json.dump(ergebnis, f, ensure_ascii=False)


if __name__ == "__main__":
    main()
    # pyuno's bridge teardown at interpreter exit now and then crashes (segmentation fault) after
    # the result is written; leave without it — the result file is complete and closed.
    sys.stdout.flush()
    os._exit(0)
