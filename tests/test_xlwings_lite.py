"""xlwings Lite adapter: the generated ``main.py`` on xlwings' own Lite/server code path.

Excel cannot run here, so the test goes as far as Python can: ``main.py``, ``requirements.txt``
and the core-only wheel are generated (``python -m sozbudget_xl.hosts.xlwings_lite``), then a
separate Python in xlwings' server mode (``XLWINGS_ON_SERVER=true``: ``from xlwings import func,
script`` resolve to the Office.js implementation that Lite uses) imports ``main.py`` with the
package taken from the wheel and openpyxl, docxtpl, Jinja2 and lxml made unimportable. There,
xlwings' own registration (``custom_functions_meta``), call path (``custom_functions_call``)
and script runner (``custom_scripts_call`` on an ``xw.Book`` built from JSON, as Lite sends it)
are used. What Pyodide itself does (installing numpy/pandas from its CDN) is not tested.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlwings as xw

from sozbudget_xl import __version__, excel
from sozbudget_xl.hosts import xlwings_lite as lite
from sozbudget_xl.hosts.funktionen import funktionen
from sozbudget_xl.workbook import recalc, schema

MAPPEN = Path(__file__).resolve().parents[1] / "workbooks"
BEISPIELE = sorted(p.name for p in MAPPEN.glob("*.xlsx"))

#: runs in xlwings' server mode: import main.py, register, call functions, run scripts
_IN_LITE = r"""
import asyncio, importlib.util, json, sys
auftrag = json.load(open(sys.argv[1], encoding="utf-8"))
for name in ("openpyxl", "docxtpl", "docx", "jinja2", "lxml", "defusedxml"):
    sys.modules[name] = None  # not in Lite's requirements.txt: must not be needed
sys.path.insert(0, auftrag["paketordner"])
import xlwings as xw
from xlwings.server import custom_functions_call, custom_functions_meta
from xlwings.server import custom_scripts_call, custom_scripts_meta
vorher = {n.split(".")[0] for n in sys.modules}
spec = importlib.util.spec_from_file_location("main", auftrag["main_py"])
main = importlib.util.module_from_spec(spec)
spec.loader.exec_module(main)
import sozbudget_xl
neu = {n.split(".")[0] for n in sys.modules} - vorher - set(sys.stdlib_module_names)
aus = {"paket": sozbudget_xl.__file__, "neu_geladen": sorted(neu), "meta": custom_functions_meta(main),
       "skripte": custom_scripts_meta(main), "ergebnisse": [], "aktionen": []}
for name, args in auftrag["aufrufe"]:
    daten = {"func_name": name, "args": args, "caller_address": "Tabelle1!A1",
             "version": xw.__version__, "runtime": "1.4", "client": "Office.js"}
    aus["ergebnisse"].append(asyncio.run(custom_functions_call(daten, main)))
for skript, buch in auftrag["skripte"]:
    book = xw.Book(json=buch)
    asyncio.run(custom_scripts_call(main, skript, typehint_to_value={xw.Book: book}))
    aus["aktionen"].append(book.json()["actions"])
json.dump(aus, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False, default=str)
"""


@pytest.fixture(scope="module")
def lite_dateien(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """main.py, requirements.txt and the wheel written by the module's command line."""
    ordner = tmp_path_factory.mktemp("lite")
    r = subprocess.run(
        [sys.executable, "-m", "sozbudget_xl.hosts.xlwings_lite", "--ziel", str(ordner)],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    paket = ordner / "paket"
    with zipfile.ZipFile(ordner / lite.wheel_name()) as z:
        z.extractall(paket)
    return ordner


def _in_lite(ordner: Path, aufrufe: list[Any] = (), skripte: list[Any] = ()) -> dict[str, Any]:
    auftrag = {
        "paketordner": str(ordner / "paket"),
        "main_py": str(ordner / "main.py"),
        "aufrufe": list(aufrufe),
        "skripte": list(skripte),
    }
    datei, ergebnis = ordner / "auftrag.json", ordner / "ergebnis.json"
    datei.write_text(json.dumps(auftrag, ensure_ascii=False, default=str), encoding="utf-8")
    umgebung = {**os.environ, "XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial"}
    r = subprocess.run(
        [sys.executable, "-c", _IN_LITE, str(datei), str(ergebnis)],
        capture_output=True,
        text=True,
        env=umgebung,
        cwd=ordner,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(ergebnis.read_text(encoding="utf-8"))


def _wie_officejs(v: Any) -> Any:
    """A value as Office.js returns it from a custom function (dates as serial numbers)."""
    if isinstance(v, list):
        return [_wie_officejs(x) for x in v]
    if isinstance(v, dt.date):
        return float((v - dt.date(1899, 12, 30)).days)
    return v


def _zelle(v: Any) -> Any:
    """A cell value as Lite sends it in a range argument or a book (dates as ISO text)."""
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat() if isinstance(v, dt.datetime) else f"{v.isoformat()}T00:00:00"
    return v


def _modell_aufruf(pfad: Path) -> tuple[str, list[Any]]:
    """The model function of an example workbook and its arguments: Parameter and every table."""
    wb = openpyxl.load_workbook(pfad)
    name = next(r[1] for r in wb["Parameter"].iter_rows(values_only=True) if r[0] == "Modell")
    f = next(f for f in funktionen() if f.modell == name)
    args = [[[_zelle(v) for v in r] for r in wb["Parameter"].iter_rows(values_only=True)]]
    for t in schema.schema(name).tabellen:
        ws = wb[t.blatt]
        args.append([[_zelle(c.value) for c in r] for r in ws[ws.tables[t.name].ref]])
    return f.name, args


# --------------------------------------------------------------------------- files


def test_lite_dateien_nur_mit_dem_rechenkern(lite_dateien: Path) -> None:
    """requirements.txt names the wheel and the core's packages, never openpyxl, docxtpl or xlwings;
    the wheel's metadata requires the same, and it holds the whole package."""
    req = (lite_dateien / "requirements.txt").read_text(encoding="utf-8")
    zeilen = [z for z in req.splitlines() if z and not z.startswith("#")]
    assert zeilen[0].startswith("sozbudget_xl @ ") and zeilen[0].endswith(lite.wheel_name())
    assert zeilen[1:] == list(lite.ABHAENGIGKEITEN)
    for fremd in ("openpyxl", "docxtpl", "jinja2", "lxml", "xlwings"):
        assert not any(fremd in z.lower().split("@")[0] for z in zeilen), fremd
    with zipfile.ZipFile(lite_dateien / lite.wheel_name()) as z:
        namen = set(z.namelist())
        meta = z.read(f"sozbudget_xl-{__version__}.dist-info/METADATA")
    assert "sozbudget_xl/excel.py" in namen and "sozbudget_xl/hosts/xlwings_lite.py" in namen
    abh = [z.split(": ", 1)[1] for z in meta.decode().splitlines() if z.startswith("Requires-Dist")]
    assert abh == list(lite.ABHAENGIGKEITEN)


def test_lite_registriert_jede_funktion_mit_deutscher_hilfe(lite_dateien: Path) -> None:
    """xlwings' Lite registration of main.py lists every SRB_ function of the catalogue with its
    German help, every argument with its German help (optional ones marked) and both scripts;
    the package comes from the wheel and imports without openpyxl, docxtpl, Jinja2 and lxml."""
    aus = _in_lite(lite_dateien)
    assert aus["paket"].startswith(str(lite_dateien / "paket"))
    erlaubt = {"main", "sozbudget_xl", "numpy", "pandas", "babel", "holidays", "dateutil", "six"}
    erlaubt |= {"pytz", "tzdata"}  # pandas' own
    assert set(aus["neu_geladen"]) <= erlaubt, aus["neu_geladen"]
    gemeldet = {f["name"]: f for f in aus["meta"]["functions"]}
    katalog = funktionen()
    assert sorted(gemeldet) == sorted(f.name for f in katalog)
    for f in katalog:
        m = gemeldet[f.name]
        assert m["description"] == f.hilfe and f.hilfe
        assert [p["name"] for p in m["parameters"]] == [a.name for a in f.argumente]
        for p, a in zip(m["parameters"], f.argumente):
            assert p["description"] == a.hilfe and a.hilfe, (f.name, a.name)
            assert bool(p.get("optional")) == a.optional, (f.name, a.name)
            assert p["dimensionality"] == "matrix"
    assert "Tabelle „Träger“ mit Überschriftenzeile" in json.dumps(gemeldet["SRB_KGST"], ensure_ascii=False)
    skripte = {s["function_name"]: s["name"] for s in aus["skripte"]}
    assert skripte == {n: anzeige for n, (anzeige, _) in lite.SKRIPTE.items()}


ALLGEMEINE_AUFRUFE = [
    ("SRB_VERTEILEN", [[[100000]], [[120], [80], [0], [45.5]]]),
    ("SRB_VERTEILEN", [[[100]], [[1], [-1]]]),
    ("SRB_BETRAG", [[[1234.5]]]),
    ("SRB_BETRAG", [[[1642780.81], [525000]]]),
    ("SRB_STANDARDPUNKTE", [[[120], [80], [0], [45.5]], [["z"]], [[-1]], [[None]]]),
    ("SRB_INDEX", [[["Arbeitslose", "HzE"], [0, 100], [100, 50]], [[0.25], [0.75]]]),
    ("SRB_JUGENDEINWOHNERINDEX", [[[100], [200], [300]], [[1000], [1000], [1000]], [[None]]]),
    (
        "SRB_BUDGETSCHLUESSEL",
        [[[1000]], [["Sozialraum", "Jugendeinwohner", "Quote"], ["A", 100, 1.0], ["B", 100, 3.0]]],
    ),
    ("SRB_RATEN", [[[1200]], [[2026]], [["quartalsweise"]], [["BY"]], [[True]]]),
]
_ALT = [
    ["Sozialraum", "Jugendeinwohner", "Arbeitslose", "Träger"],
    ["Nord", 1200, 80, "AWO"],
    ["Süd", 900, 30, "Caritas"],
    ["West", 1500, 55, "AWO"],
]
_NEU = [_ALT[0], ["Nord", 1100, 80, "AWO"], ["Süd", 900, 42, "Caritas"], _ALT[3]]
#: analysis and controlling (issues 16, 18): called as soon as the catalogue lists them
ALLGEMEINE_AUFRUFE += [
    ("SRB_VERAENDERUNG", [[[100000]], _ALT, [[104000]], _NEU, [["Arbeitslose"]], [["spw"]], [["z"]]]),
    ("SRB_SZENARIEN", [[[100000]], _ALT, [["Standard: methode=spw"], ["z-Wert: methode=z"]],
                       [["Arbeitslose"]]]),
    ("SRB_SOLL_IST", [[["Träger", "Sozialraum", "Soll"], ["A", "Nord", 12000], ["B", "Nord", 6000]],
                      [["Monat", "Träger", "Sozialraum", "Ausgaben"], [1, "A", "Nord", 900],
                       ["Feb", "A", "Nord", 1100], [2, "B", "Nord", "600,50"]], [[2026]]]),
    ("SRB_PROGNOSE", [[[100, 100, 100, None, None]]]),
]  # fmt: skip


def _aufrufe() -> list[tuple[str, list[Any]]]:
    """The general calls of the functions the catalogue lists."""
    katalog = {f.name for f in funktionen()}
    return [(n, a) for n, a in ALLGEMEINE_AUFRUFE if n in katalog]


def test_lite_funktionen_rechnen_wie_der_kern(lite_dateien: Path) -> None:
    """Every SRB_ function called through xlwings' Lite call path with real values – the general
    functions and each model function on its example workbook – returns the core's values
    (dates as serial numbers, errors as German texts); together they cover the whole catalogue."""
    fehlt = (
        {f.name for f in funktionen()}
        - {n for n, _ in ALLGEMEINE_AUFRUFE}
        - {f.name for f in funktionen() if f.modell}
    )
    assert not fehlt, f"Lite-Aufruf fehlt (ALLGEMEINE_AUFRUFE ergänzen): {sorted(fehlt)}"
    aufrufe = _aufrufe() + [_modell_aufruf(MAPPEN / m) for m in BEISPIELE]
    assert {n for n, _ in aufrufe} == {f.name for f in funktionen()}
    aus = _in_lite(lite_dateien, aufrufe=aufrufe)
    for (name, args), ergebnis in zip(aufrufe, aus["ergebnisse"]):
        kern = getattr(excel, name)(*args)
        erwartet = _wie_officejs(kern if isinstance(kern, list) else [[kern]])
        assert ergebnis == erwartet, name
    fehler = [i for i, e in enumerate(aus["ergebnisse"]) if str(e[0][0]).startswith("Fehler")]
    assert fehler == [1] and aus["ergebnisse"][1][0][0].startswith("Fehler: Gewicht Nr. 2 ist negativ")
    assert aus["ergebnisse"][0] == [[48879.84], [32586.56], [0.0], [18533.6]]
    assert aus["ergebnisse"][3] == [["1.642.780,81\xa0€"], ["525.000,00\xa0€"]]
    kgst = aus["ergebnisse"][len(_aufrufe()) + BEISPIELE.index("kgst.xlsx")]
    assert kgst[0][:2] == ["Nr.", "Position"]


def _buch(pfad: Path) -> dict[str, Any]:
    """The JSON of a workbook as xlwings Lite sends it to a script (values of every sheet)."""
    wb = openpyxl.load_workbook(pfad)
    blaetter = []
    for ws in wb.worksheets:
        werte = [[_zelle(v) for v in r] for r in ws.iter_rows(values_only=True)] or [[]]
        tabellen = [
            {"name": t.name, "range_address": ref, "header_row_range_address": ref.split(":")[0]}
            for t, ref in ((ws.tables[n], ws.tables[n].ref) for n in ws.tables)
        ]
        blaetter.append({"name": ws.title, "values": werte, "pictures": [], "tables": tabellen})
    return {
        "client": "Office.js",
        "version": xw.__version__,
        "book": {"name": pfad.name, "active_sheet_index": 0, "selection": "A1"},
        "sheets": blaetter,
        "names": [],
    }


def _geschrieben(aktionen: list[dict[str, Any]], blaetter: list[str]) -> dict[str, list[list[Any]]]:
    """Sheet name → values written by setValues actions (blank cells as None, ' prefix removed)."""
    aus = {}
    for a in aktionen:
        if a["func"] == "setValues":
            werte = [[None if v in ("", None) else v for v in r] for r in a["values"]]
            aus[blaetter[a["sheet_position"]]] = [
                [v[1:] if isinstance(v, str) and v.startswith("'") else v for v in r] for r in werte
            ]
    return aus


def _ohne_leere_enden(zeilen: list[list[Any]]) -> list[list[Any]]:
    while zeilen and all(v is None for v in zeilen[-1]):
        zeilen = zeilen[:-1]
    return zeilen


def _wie_json(v: Any) -> Any:
    """A written cell compared across hosts: blank text is an empty cell, dates ISO, numbers float."""
    if v == "":
        return None
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, int) and not isinstance(v, bool):
        return float(v)
    return v


def test_lite_skript_neu_berechnen_schreibt_was_recalc_schreibt(lite_dateien: Path, tmp_path: Path) -> None:
    """The script SRB_NEU_BERECHNEN on every example workbook (as Lite sends it) writes into
    „Ergebnis“, „Zahlungsplan“ and „Kennzahlen“ exactly the values `sozbudget recalc` writes,
    clears the old contents first and shows the summary; SRB_PRUEFEN writes nothing."""
    buecher = [_buch(MAPPEN / m) for m in BEISPIELE]
    skripte = [("SRB_NEU_BERECHNEN", b) for b in buecher] + [("SRB_PRUEFEN", buecher[0])]
    aus = _in_lite(lite_dateien, skripte=skripte)
    for mappe, buch, aktionen in zip(BEISPIELE, buecher, aus["aktionen"]):
        namen = [s["name"] for s in buch["sheets"]]
        recalc.neu_berechnen(MAPPEN / mappe, ausgabeordner=tmp_path, sicherung=False)
        batch = openpyxl.load_workbook(tmp_path / mappe)
        geschrieben = _geschrieben(aktionen, namen)
        assert sorted(geschrieben) == sorted(schema.AUSGABEBLAETTER), mappe
        for blatt in schema.AUSGABEBLAETTER:
            erwartet = [[_wie_json(v) for v in r] for r in batch[blatt].iter_rows(values_only=True)]
            gelesen = [[_wie_json(v) for v in r] for r in geschrieben[blatt]]
            breite = max(len(r) for r in gelesen)
            erwartet = [(r + [None] * breite)[:breite] for r in erwartet]
            assert _ohne_leere_enden(gelesen) == _ohne_leere_enden(erwartet), (mappe, blatt)
        funktionen_ = [a["func"] for a in aktionen]
        assert funktionen_.count("rangeClearContents") == 3, funktionen_
        alarm = next(a for a in aktionen if a["func"] == "alert")
        assert alarm["args"][0].startswith("Neu berechnet: ") and alarm["args"][1] == "Sozialraumbudget"
    pruefung = aus["aktionen"][-1]
    assert [a["func"] for a in pruefung] == ["alert"]
    assert pruefung[0]["args"][0].startswith("Geprüft: ")


def test_lite_skript_meldet_fehler_mit_blatt_und_zelle(lite_dateien: Path) -> None:
    """A wrong input in Lite ends in a German message naming sheet and cell; nothing is written."""
    buch = _buch(MAPPEN / "kgst.xlsx")
    traeger = next(s for s in buch["sheets"] if s["name"] == "Träger")
    traeger["values"][1][1] = "viel"
    aktionen = _in_lite(lite_dateien, skripte=[("SRB_NEU_BERECHNEN", buch)])["aktionen"][0]
    assert [a["func"] for a in aktionen] == ["alert"]
    assert "Blatt „Träger“, Zelle B2" in aktionen[0]["args"][0]


def test_lite_befehl_ohne_xlwings_lite_installiert(tmp_path: Path) -> None:
    """The command writes the three files with a given address; main.py is valid Python."""
    pfade = lite.schreibe(tmp_path, "https://intranet.example/sozbudget_xl.whl")
    assert [p.name for p in pfade] == ["main.py", "requirements.txt", lite.wheel_name()]
    compile((tmp_path / "main.py").read_text(encoding="utf-8"), "main.py", "exec")
    assert (
        "sozbudget_xl @ https://intranet.example/sozbudget_xl.whl"
        in (tmp_path / "requirements.txt").read_text()
    )
