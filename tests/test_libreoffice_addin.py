"""The LibreOffice Calc extension in a real LibreOffice: ``sozbudget.oxt`` is built, installed
with ``unopkg`` into a private profile, and the ``SRB_…`` functions compute inside Calc.

LibreOffice runs headless as an unprivileged user (``unopkg`` refuses root) with its own
HOME and profile; a UNO client (``libreoffice/uno_pruefclient.py``) runs with the system
Python that has ``python3-uno``. Every value Calc computes is compared with the project's
core run in this Python (same inputs, cells converted as Calc passes them).
``.ci/run`` installs LibreOffice, python3-uno, numpy/pandas for it and libreoffice-dev
(``unoidl-write``); the tests skip only where these are missing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula

from sozbudget_xl import excel
from sozbudget_xl.hosts import libreoffice as lo
from sozbudget_xl.hosts.funktionen import funktionen
from sozbudget_xl.workbook import recalc, schema

from .libreoffice_hilfe import profil_rohr, rohr_aufraeumen

HIER = Path(__file__).resolve().parent
MAPPEN = HIER.parent / "workbooks"
SYSTEM_PYTHON = "/usr/bin/python3"
CLIENT = HIER.parent / "libreoffice" / "uno_pruefclient.py"


def _hat_uno() -> bool:
    if not os.access(SYSTEM_PYTHON, os.X_OK):
        return False
    r = subprocess.run([SYSTEM_PYTHON, "-c", "import uno, numpy, pandas"], capture_output=True)
    return r.returncode == 0


FEHLT = [n for n in ("soffice", "unopkg") if not shutil.which(n)] + (
    [] if _hat_uno() else ["python3-uno/numpy"]
)
braucht_lo = pytest.mark.skipif(bool(FEHLT), reason=f"nicht installiert: {', '.join(FEHLT)} (.ci/run)")
pytestmark = pytest.mark.libreoffice

PROFIL = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N">
 <prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>en-US</value></prop></item>
</oor:items>
"""


class _UnoAbsturz(Exception):
    """The UNO client process crashed (segmentation fault) before it wrote a result."""


class Calc:
    """A private LibreOffice profile with the extension installed."""

    def __init__(self, basis: Path) -> None:
        self.basis = basis
        self.profil = basis / "profil"
        (self.profil / "user").mkdir(parents=True)
        (basis / "home").mkdir()
        (self.profil / "user" / "registrymodifications.xcu").write_text(PROFIL, encoding="utf-8")
        self.oxt = lo.baue_oxt(basis / "sozbudget.oxt")
        self.als = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []
        self._zaehler = 0
        self._freigeben()
        r = self.lauf(["unopkg", "add", "-s", self._env(), str(self.oxt)])
        assert r.returncode == 0, r.stderr

    def _freigeben(self) -> None:
        if self.als:
            subprocess.run(["chown", "-R", "nobody:nogroup", str(self.basis)], check=True)

    def _env(self) -> str:
        return f"-env:UserInstallation={self.profil.as_uri()}"

    def lauf(self, befehl: list[str], timeout: float = 180) -> subprocess.CompletedProcess[str]:
        umgebung = ["env", f"HOME={self.basis / 'home'}", "LC_ALL=C.UTF-8"]
        return subprocess.run(
            [*self.als, *umgebung, *befehl], capture_output=True, text=True, timeout=timeout, cwd=self.basis
        )

    def umwandeln(self, datei: Path, format_: str) -> Path:
        """``soffice --convert-to`` (recalculation on load, the extension's job runs)."""
        aus = self.basis / f"aus{self._zaehler}"
        self._zaehler += 1
        aus.mkdir()
        self._freigeben()
        r = self.lauf(
            [
                "soffice",
                "--headless",
                "--norestore",
                self._env(),
                "--convert-to",
                format_,
                "--outdir",
                str(aus),
                str(datei),
            ]
        )
        ziel = aus / (datei.stem + "." + format_.split(":")[0])
        assert ziel.exists(), r.stdout + r.stderr
        return ziel

    def uno(self, auftrag: dict[str, Any], umgebung: dict[str, str] | None = None) -> dict[str, Any]:
        """Run one job of the UNO client against a headless LibreOffice with this profile
        (``umgebung``: extra environment variables of LibreOffice). On a busy machine the UNO bridge
        of Debian's LibreOffice now and then dies with a segmentation fault (exit 139) before any
        value is read; such a crash — never a wrong value or a German error — is retried once with
        a fresh LibreOffice."""
        try:
            return self._uno_einmal(auftrag, umgebung)
        except _UnoAbsturz:
            return self._uno_einmal(auftrag, umgebung)

    def _uno_einmal(self, auftrag: dict[str, Any], umgebung: dict[str, str] | None) -> dict[str, Any]:
        zusatz = [f"{k}={v}" for k, v in (umgebung or {}).items()]
        self._zaehler += 1
        pipe = f"sozbudget_test_{os.getpid()}_{self._zaehler}"
        datei, ergebnis = (
            self.basis / f"auftrag{self._zaehler}.json",
            self.basis / f"ergebnis{self._zaehler}.json",
        )
        if auftrag.get("datei"):  # a copy LibreOffice may write: read-only documents refuse array formulas
            kopie = self.basis / f"mappe{self._zaehler}{Path(auftrag['datei']).suffix}"
            shutil.copy2(auftrag["datei"], kopie)
            auftrag = {**auftrag, "datei": str(kopie)}
        datei.write_text(json.dumps(auftrag, ensure_ascii=False), encoding="utf-8")
        self._freigeben()
        server = subprocess.Popen(
            [*self.als, "env", f"HOME={self.basis / 'home'}", *zusatz,
             "soffice", "--headless", "--invisible", "--norestore", "--nologo",
             self._env(), f"--accept=pipe,name={pipe};urp;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, cwd=self.basis,
        )  # fmt: skip
        try:
            r = self.lauf([SYSTEM_PYTHON, str(CLIENT), pipe, str(datei), str(ergebnis)])
            if r.returncode in (139, -11) and not ergebnis.exists():
                raise _UnoAbsturz(r.stderr)
            assert r.returncode == 0, r.stdout + r.stderr
            return json.loads(ergebnis.read_text(encoding="utf-8"))
        finally:
            os.killpg(server.pid, 15)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, 9)
            for rohr in (pipe, profil_rohr(self.profil.as_uri())):  # a LibreOffice ended with a
                rohr_aufraeumen(rohr)  # signal leaves its sockets in /tmp
            time.sleep(0.5)


@pytest.fixture(scope="module")
def calc():
    basis = Path(tempfile.mkdtemp(prefix="sozbudget-lo-"))
    basis.chmod(0o755)
    try:
        yield Calc(basis)
    finally:
        shutil.rmtree(basis, ignore_errors=True)


# --------------------------------------------------------------------------- helpers


def _wie_calc(v: Any) -> Any:
    """A cell value as Calc passes it to an add-in (numbers float, dates serial, blank "")."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, dt.datetime | dt.date):
        return lo._zelle_aus(v)
    if isinstance(v, int | float):
        return float(v)
    return v


def _bereich(ws: Any, ref: str) -> tuple[tuple[Any, ...], ...]:
    return tuple(tuple(_wie_calc(c.value) for c in r) for r in ws[ref])


def _spalte(n: int) -> str:
    return openpyxl.utils.get_column_letter(n)


def _ziel(links_oben: str, werte: tuple[tuple[Any, ...], ...]) -> str:
    spalte, zeile = openpyxl.utils.cell.coordinate_from_string(links_oben)
    s0 = openpyxl.utils.column_index_from_string(spalte)
    return f"{links_oben}:{_spalte(s0 + len(werte[0]) - 1)}{zeile + len(werte) - 1}"


def _gleich(calc_werte: list[list[Any]], erwartet: tuple[tuple[Any, ...], ...]) -> None:
    assert len(calc_werte) == len(erwartet)
    for zc, ze in zip(calc_werte, erwartet):
        for c, e in zip(zc, ze):
            if isinstance(e, float):
                assert c == pytest.approx(e, abs=1e-9), (zc, ze)
            else:
                assert c == e, (zc, ze)


def _modell_aufruf(pfad: Path) -> tuple[str, str, tuple[Any, ...]]:
    """(function, Calc argument list, core arguments) of an example workbook's model function."""
    wb = openpyxl.load_workbook(pfad)
    ws = wb["Parameter"]
    name = next(r[1] for r in ws.iter_rows(values_only=True) if r[0] == "Modell")
    f = next(f for f in funktionen() if f.modell == name)
    bereiche = [("Parameter", f"A1:C{ws.max_row}")]
    for t in schema.schema(name).tabellen:
        blatt = wb[t.blatt]
        ref = blatt.tables[t.name].ref if t.name in blatt.tables else blatt.dimensions
        bereiche.append((t.blatt, ref))
    args = tuple(_bereich(wb[b], r) for b, r in bereiche)
    formel_args = ";".join(f"$'{b}'.{r}" for b, r in bereiche)
    return f.name, formel_args, args


# --------------------------------------------------------------------------- the extension file


def test_oxt_enthaelt_alle_funktionen_mit_deutscher_hilfe(tmp_path):
    """The .oxt lists every function of the catalogue (general and one per model) in the type
    library, CalcAddIns.xcu (German names and help) and funktionen.json; the package and its
    pure dependencies are in pythonpath/; with unoidl-write the type library is a real .rdb."""
    oxt = lo.baue_oxt(tmp_path / "sozbudget.oxt")
    with zipfile.ZipFile(oxt) as z:
        namen = set(z.namelist())
        xcu = z.read("CalcAddIns.xcu").decode()
        manifest = z.read("META-INF/manifest.xml").decode()
        liste = json.loads(z.read("funktionen.json"))
    katalog = funktionen()
    assert [f["name"] for f in liste] == [f.name for f in katalog]
    assert {"SRB_KGST", "SRB_VERTEILEN", "SRB_BETRAG"} <= {f.name for f in katalog}
    for f in katalog:
        assert f'oor:name="{f.name}"' in xcu
        for a in f.argumente:
            assert a.hilfe, (f.name, a.name)
    assert "Tabelle „Träger“ mit Überschriftenzeile" in xcu
    assert '<value xml:lang="de">Träger</value>' in xcu
    assert "pythonpath/sozbudget_xl/hosts/libreoffice.py" in namen
    assert "pythonpath/babel/locale-data/de_DE.dat" in namen
    assert "pythonpath/babel/locale-data/fr.dat" not in namen
    assert "sozbudget_addin.py" in namen
    typbibliothek = "sozbudget.rdb" if lo.unoidl_write() else "sozbudget.idl"
    assert typbibliothek in namen and f'full-path="{typbibliothek}"' in manifest


def test_aufruf_wandelt_wie_calc():
    """Calc's arguments (tuples, floats, empty texts, omitted = None) reach the functions as
    they expect them; errors are German cell texts; dates leave as serial numbers."""
    assert lo.aufrufen("SRB_VERTEILEN", (100.0, ((1.0,), (1.0,), (1.0,)))) == ((33.34,), (33.33,), (33.33,))
    fehler = lo.aufrufen("SRB_VERTEILEN", (100.0, ((1.0,), (-1.0,))))[0][0]
    assert fehler.startswith("Fehler: Gewicht Nr. 2 ist negativ")
    raten = lo.aufrufen("SRB_RATEN", (1200.0, 2026.0, None, None, None))
    kern = excel.SRB_RATEN(1200.0, 2026.0)  # omitted arguments: the function's own defaults
    assert raten[0] == ("Fällig", "Betrag") and raten[1] == (lo._zelle_aus(kern[1][0]), 100.0)
    assert raten[1][0] in (46023.0, 46024.0)  # 01.01.2026, or 02.01. when shifted off the holiday
    assert lo.aufrufen("SRB_BETRAG", (1234.5,)) == (("1.234,50\xa0€",),)


# --------------------------------------------------------------------------- inside Calc


GEWICHTE = ((120.0,), (80.0,), (0.0,), (45.5,))
INDIKATOREN = (("Arbeitslose", "HzE"), (0.0, 100.0), (100.0, 50.0))
REGIONEN = (("Sozialraum", "Jugendeinwohner", "Quote"), ("A", 100.0, 1.0), ("B", 100.0, 3.0))
JUNGE, ALLE = ((100.0,), (200.0,), (300.0,)), ((1000.0,), (1000.0,), (1000.0,))
#: (cell, function, Calc arguments, core arguments): every general function of the catalogue
ALLGEMEINE_FAELLE = [
    ("C1", "SRB_VERTEILEN", "100000;A1:A4", (100000.0, GEWICHTE)),
    ("D1", "SRB_STANDARDPUNKTE", "A1:A4", (GEWICHTE,)),
    ("E1", "SRB_STANDARDPUNKTE", 'A1:A4;"z";-1', (GEWICHTE, "z", -1.0)),
    ("F1", "SRB_RATEN", '1200;2026;"quartalsweise";"BY";1', (1200.0, 2026.0, "quartalsweise", "BY", 1.0)),
    ("H1", "SRB_BETRAG", "A1:A4", (GEWICHTE,)),
    ("I1", "SRB_VERTEILEN", "100;{1;-1}", (100.0, ((1.0,), (-1.0,)))),
    ("J1", "SRB_BETRAG", "1234.5", (1234.5,)),
    ("P1", "SRB_INDEX", "K1:L3;{0.25;0.75}", (INDIKATOREN, ((0.25,), (0.75,)))),
    ("Q1", "SRB_INDEX", "K2:L3", (INDIKATOREN[1:],)),
    ("R1", "SRB_JUGENDEINWOHNERINDEX", "K5:K7;L5:L7", (JUNGE, ALLE)),
    ("T1", "SRB_BUDGETSCHLUESSEL", "1000;K9:M11", (1000.0, REGIONEN)),
    ("X1", "SRB_BUDGETSCHLUESSEL", '1000;K9:M11;"kopf"', (1000.0, REGIONEN, "kopf")),
    # analysis and controlling (issues 16, 18): checked as soon as the catalogue lists them
    ("A40", "SRB_VERAENDERUNG", '100000;A20:D23;104000;F20:I23;"Arbeitslose";"spw";"z"',
     (100000.0, None, 104000.0, None, "Arbeitslose", "spw", "z")),
    ("A70", "SRB_SZENARIEN", '100000;A20:D23;K20:K21;"Arbeitslose"', (100000.0, None, None, "Arbeitslose")),
    ("A100", "SRB_SOLL_IST", "A26:C28;E26:H29;2026", (None, None, 2026.0)),
    ("A120", "SRB_PROGNOSE", "A31:E31", (None,)),
]  # fmt: skip
ALT = (
    ("Sozialraum", "Jugendeinwohner", "Arbeitslose", "Träger"),
    ("Nord", 1200.0, 80.0, "AWO"),
    ("Süd", 900.0, 30.0, "Caritas"),
    ("West", 1500.0, 55.0, "AWO"),
)
NEU = (ALT[0], ("Nord", 1100.0, 80.0, "AWO"), ("Süd", 900.0, 42.0, "Caritas"), ALT[3])
VARIANTEN = (("Standard: methode=spw",), ("z-Wert: methode=z, sd=stichprobe",))
PLAN = (("Träger", "Sozialraum", "Soll"), ("A", "Nord", 12000.0), ("B", "Nord", 6000.0))
IST = (
    ("Monat", "Träger", "Sozialraum", "Ausgaben"),
    (1.0, "A", "Nord", 900.0),
    ("Feb", "A", "Nord", 1100.0),
    (2.0, "B", "Nord", "600,50"),
)
MONATE = ((100.0, 100.0, 100.0, "", ""),)
#: the ranges the analysis and controlling cases read (cell → values), and their core arguments
_DATEN = {"A20": ALT, "F20": NEU, "K20": VARIANTEN, "A26": PLAN, "E26": IST, "A31": MONATE}
_KERN = {
    "SRB_VERAENDERUNG": {1: ALT, 3: NEU},
    "SRB_SZENARIEN": {1: ALT, 2: VARIANTEN},
    "SRB_SOLL_IST": {0: PLAN, 1: IST},
    "SRB_PROGNOSE": {0: MONATE},
}


def _faelle() -> list[tuple[str, str, str, tuple[Any, ...]]]:
    """The cases of the functions the catalogue lists, core arguments filled in."""
    katalog = {f.name for f in funktionen()}
    aus = []
    for zelle, name, calc_args, args in ALLGEMEINE_FAELLE:
        if name in katalog:
            ersatz = _KERN.get(name, {})
            aus.append((zelle, name, calc_args, tuple(ersatz.get(i, a) for i, a in enumerate(args))))
    return aus


def _zellen(links_oben: str, werte: tuple[tuple[Any, ...], ...]) -> list[list[Any]]:
    spalte, zeile = openpyxl.utils.cell.coordinate_from_string(links_oben)
    s0 = openpyxl.utils.column_index_from_string(spalte)
    return [
        ["Sheet1", f"{_spalte(s0 + j)}{zeile + i}", v] for i, r in enumerate(werte) for j, v in enumerate(r)
    ]


def test_calc_pruefungen_decken_jede_funktion_ab():
    """The Calc tests call every function of the catalogue: each general function above and each
    model function on its example workbook."""
    modelle = {_modell_aufruf(p)[0] for p in MAPPEN.glob("*.xlsx")}
    fehlt = {f.name for f in funktionen()} - {n for _, n, _, _ in ALLGEMEINE_FAELLE} - modelle
    assert not fehlt, f"Calc-Prüffall fehlt (ALLGEMEINE_FAELLE ergänzen): {sorted(fehlt)}"
    assert {n for _, n, _, _ in _faelle()} | modelle == {f.name for f in funktionen()}


@braucht_lo
def test_allgemeine_funktionen_in_calc(calc):
    """Every general function computed by Calc – =SRB_BETRAG, =SRB_VERTEILEN, =SRB_STANDARDPUNKTE,
    =SRB_RATEN, =SRB_INDEX, =SRB_JUGENDEINWOHNERINDEX, =SRB_BUDGETSCHLUESSEL (arrays) and an error
    text – equals the core's values."""
    werte = _zellen("A1", GEWICHTE) + _zellen("K1", INDIKATOREN) + _zellen("K5", JUNGE)
    werte += _zellen("L5", ALLE) + _zellen("K9", REGIONEN)
    werte += [w for zelle, daten in _DATEN.items() for w in _zellen(zelle, daten)]
    faelle = _faelle()
    erwartet = {z: lo.aufrufen(name, args) for z, name, _, args in faelle}
    auftrag = {
        "werte": werte,
        "matrixformeln": [["Sheet1", _ziel(z, erwartet[z]), f"={name}({a})"] for z, name, a, _ in faelle],
        "lesen": [["Sheet1", _ziel(z, erwartet[z])] for z, *_ in faelle],
        "formeln_lesen": [["Sheet1", "J1"]],
    }
    ergebnis = calc.uno(auftrag)
    for (z, *_), gelesen in zip(faelle, ergebnis["lesen"]):
        _gleich(gelesen, erwartet[z])
    assert ergebnis["lesen"][0] == [[48879.84], [32586.56], [0.0], [18533.6]]
    assert ergebnis["lesen"][5][0][0].startswith("Fehler: Gewicht Nr. 2 ist negativ")
    assert ergebnis["lesen"][6] == [["1.234,50\xa0€"]]
    assert ergebnis["lesen"][7] == [["Index"], [75.0], [62.5]]
    assert [r[3] for r in ergebnis["lesen"][10]] == ["Budget", 333.33, 666.67]
    assert "SRB_BETRAG" in ergebnis["formeln"][0]
    fehler = [i for i, r in enumerate(ergebnis["lesen"]) if str(r[0][0]).startswith("Fehler")]
    assert fehler == [5]


@braucht_lo
@pytest.mark.parametrize("mappe", sorted(p.name for p in MAPPEN.glob("*.xlsx")))
def test_modellfunktion_auf_beispielmappe(calc, mappe):
    """Each example workbook opened in Calc: the model's function over its Parameter sheet and
    input tables, entered as array formula, gives the core's whole result table."""
    name, formel_args, args = _modell_aufruf(MAPPEN / mappe)
    erwartet = lo.aufrufen(name, args)
    assert not str(erwartet[0][0]).startswith("Fehler"), erwartet[0][0]
    ziel = _ziel("A1", erwartet)
    ergebnis = calc.uno(
        {
            "datei": str(MAPPEN / mappe),
            "neue_blaetter": ["Prüfung"],
            "matrixformeln": [["Prüfung", ziel, f"={name}({formel_args})"]],
            "lesen": [["Prüfung", ziel]],
        }
    )
    _gleich(ergebnis["lesen"][0], erwartet)


def _kgst_eine_million(pfad: Path) -> Path:
    """The KGSt example with the report's worked example: 1 Mio. €, A 50 %, B 30 %, C 20 %
    without quality evidence, quality share redistributed pro rata to the shares; a first sheet
    „SRB“ with the function formulas as Excel stores them (plain names, array formulas, commas)."""
    wb = openpyxl.load_workbook(MAPPEN / "kgst.xlsx")
    ws = wb["Parameter"]
    for r in ws.iter_rows(min_row=2):
        if r[0].value == "Gesamtbudget":
            r[1].value = 1000000
        if r[0].value == "Umverteilung":  # the report's reading: pro rata to the shares
            r[1].value = "anteilig"
    tr = wb["Träger"]
    for i, (n, a, q) in enumerate((("A", 0.5, "ja"), ("B", 0.3, "ja"), ("C", 0.2, "nein")), start=2):
        tr.cell(i, 1, n), tr.cell(i, 2, a), tr.cell(i, 3, q), tr.cell(i, 4, 0)
    parameter = tuple(tuple(_wie_calc(c.value) for c in r) for r in ws[f"A1:C{ws.max_row}"])
    n = len(lo.aufrufen("SRB_KGST", (parameter, _bereich(tr, "A1:D4"))))
    oben, unten = 13, 13 + n - 1
    srb = wb.create_sheet("SRB", 0)
    srb.page_setup.orientation = "landscape"
    srb.sheet_properties.pageSetUpPr.fitToPage = True
    srb.page_setup.fitToHeight = 0
    for spalte, breite in zip("ABCDEFGH", (34, 44, 24, 16, 12, 60, 14, 30)):
        srb.column_dimensions[spalte].width = breite
    srb["A1"] = "Träger"
    srb["B1"] = "Summe aus SRB_KGST (1 Mio. €)"
    srb["C1"] = "SRB_BETRAG"
    for i, n in enumerate("ABC", start=2):
        srb[f"A{i}"] = n
        # &"": LibreOffice 7.4 does not match texts of add-in array results in SUMIF/=
        srb[f"B{i}"] = f'=SUMPRODUCT((C{oben + 1}:C{unten}&"")=A{i},G{oben + 1}:G{unten})'
        srb[f"C{i}"] = f"=SRB_BETRAG(B{i})"
    srb["A6"] = "3.213.000 DM in Euro"
    srb["B6"] = "=ROUND(3213000/1.95583,2)"
    srb["C6"] = "=_xludf.SRB_BETRAG(B6)"
    srb["A8"] = "SRB_VERTEILEN: 100 € auf 1 : 1 : 1"
    srb["B8"] = ArrayFormula("B8:B10", "=SRB_VERTEILEN(100,{1;1;1})")
    srb["A12"] = "SRB_KGST (Matrixformel):"
    srb[f"A{oben}"] = ArrayFormula(f"A{oben}:H{unten}", f"=SRB_KGST(Parameter!A1:C{ws.max_row},Träger!A1:D4)")
    for zeile in (*range(2, 7), *range(8, 11), *range(oben, unten + 1)):
        srb[f"B{zeile}"].number_format = srb[f"G{zeile}"].number_format = "#,##0.00"
    srb["D7"] = "Überlauf (Excel 365):"
    srb["D8"] = ArrayFormula("D8:D9", "=_xludf.SRB_VERTEILEN(300,{1;2})")
    ziel = pfad / "kgst_excel.xlsx"
    wb.save(ziel)
    _als_ueberlauf(ziel, "D8")
    return ziel


_METADATEN = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<metadata xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:xda="http://schemas.microsoft.com/office/spreadsheetml/2017/dynamicarray">'
    '<metadataTypes count="1"><metadataType name="XLDAPR" minSupportedVersion="120000" copy="1" '
    'pasteAll="1" pasteValues="1" merge="1" splitFirst="1" rowColShift="1" clearFormats="1" '
    'clearComments="1" assign="1" coerce="1" cellMeta="1"/></metadataTypes>'
    '<futureMetadata name="XLDAPR" count="1"><bk><extLst><ext uri="{bdbb8cdc-fa1e-496e-a857-3c3f30c029c3}">'
    '<xda:dynamicArrayProperties fDynamic="1" fCollapsed="0"/></ext></extLst></bk></futureMetadata>'
    '<cellMetadata count="1"><bk><rc t="1" v="0"/></bk></cellMetadata></metadata>'
)


def _als_ueberlauf(datei: Path, zelle: str) -> None:
    """Turn the array formula at ``zelle`` of the first sheet into a spilled formula as Excel 365
    stores it: ``cm="1"`` on the cell, ``xl/metadata.xml`` (XLDAPR) with its relationship and
    content type, and a stale cached value (Excel's last result)."""
    with zipfile.ZipFile(datei) as zf:
        teile = {n: zf.read(n) for n in zf.namelist()}
    blatt = teile["xl/worksheets/sheet1.xml"].decode()
    alt = f'<c r="{zelle}"'
    assert blatt.count(alt) == 1, blatt[:300]
    blatt = blatt.replace(alt, f'{alt} cm="1"')
    blatt = blatt.replace("SRB_VERTEILEN(300,{1;2})</f><v></v>", "SRB_VERTEILEN(300,{1;2})</f><v>0</v>")
    teile["xl/worksheets/sheet1.xml"] = blatt.encode()
    teile["xl/metadata.xml"] = _METADATEN.encode()
    typen = teile["[Content_Types].xml"].decode()
    teile["[Content_Types].xml"] = typen.replace(
        "</Types>",
        '<Override PartName="/xl/metadata.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sheetMetadata+xml"/></Types>',
    ).encode()
    rels = teile["xl/_rels/workbook.xml.rels"].decode()
    teile["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdMeta1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sheetMetadata" Target="metadata.xml"/></Relationships>',
    ).encode()
    with zipfile.ZipFile(datei, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, daten in teile.items():
            zf.writestr(name, daten)


@braucht_lo
def test_excel_gespeicherte_mappe_rechnet_beim_laden(calc, tmp_path):
    """A workbook with =SRB_… formulas as Excel stores them (plain names, `_xludf.` prefix,
    array formulas, a spilled formula of Excel 365 with its cell metadata) converted headless by
    LibreOffice with the extension: the formulas compute on load — the report's worked example
    KGSt 1 Mio. → 525.000 / 315.000 / 160.000 €."""
    quelle = _kgst_eine_million(calc.basis)
    aus = calc.umwandeln(quelle, "xlsx")
    ws = openpyxl.load_workbook(aus, data_only=True)["SRB"]
    assert [ws[f"B{i}"].value for i in (2, 3, 4)] == [525000, 315000, 160000]
    assert [ws[f"C{i}"].value for i in (2, 3, 4)] == ["525.000,00\xa0€", "315.000,00\xa0€", "160.000,00\xa0€"]
    assert ws["C6"].value == "1.642.780,81\xa0€"
    assert [ws[f"B{i}"].value for i in (8, 9, 10)] == [33.34, 33.33, 33.33]
    assert [ws[f"D{i}"].value for i in (8, 9)] == [100, 200]  # the spilled formula of Excel 365
    assert ws["A13"].value == "Nr." and ws["G13"].value == "Betrag"


@braucht_lo
def test_dm_beispiel_neunkirchen_in_calc(calc):
    """Neunkirchen's 1997 costs in DM (report): 3.213.000 DM → start budget 1.642.780,81 €,
    computed by =SRB_NEUNKIRCHEN inside Calc on the example workbook's Parameter sheet."""
    wb = openpyxl.load_workbook(MAPPEN / "neunkirchen.xlsx")
    ws = wb["Parameter"]
    aenderungen = {"Haushaltsjahr": 1999, "Abrechnungsjahr": 1997, "Währung": "DM"}
    werte, parameter = [], []
    for i, r in enumerate(ws.iter_rows(values_only=True), start=1):
        zeile = [_wie_calc(v) for v in r[:3]]
        if r[0] in aenderungen:
            zeile[1] = _wie_calc(aenderungen[r[0]])
            werte.append(["Parameter", f"B{i}", aenderungen[r[0]]])
        parameter.append(tuple(zeile))
    hilfen = [
        ("Paragraph", "Bezeichnung", "Fälle", "Kosten je Fall"),
        ("§ 28 SGB VIII", "Erziehungsberatung", 40.0, 900.0),
        ("§ 30 SGB VIII", "Erziehungsbeistand", 15.0, 7200.0),
        ("§ 31 SGB VIII", "SPFH", 30.0, 14000.0),
        ("§ 32 SGB VIII", "Tagesgruppe", 10.0, 30000.0),
        ("§ 33 SGB VIII", "Vollzeitpflege", 20.0, 16500.0),
        ("§ 34 SGB VIII", "Heimerziehung", 25.0, 72000.0),
        ("§ 35a SGB VIII", "Eingliederungshilfe", 5.0, 43800.0),
    ]
    werte += [["DM", f"{_spalte(j + 1)}{i + 1}", v] for i, r in enumerate(hilfen) for j, v in enumerate(r)]
    erwartet = lo.aufrufen("SRB_NEUNKIRCHEN", (tuple(parameter), tuple(hilfen)))
    ziel = _ziel("A1", erwartet)
    ergebnis = calc.uno(
        {
            "datei": str(MAPPEN / "neunkirchen.xlsx"),
            "neue_blaetter": ["DM", "Prüfung"],
            "werte": werte,
            "matrixformeln": [["Prüfung", ziel, f"=SRB_NEUNKIRCHEN($Parameter.A1:C{ws.max_row};$DM.A1:D8)"]],
            "lesen": [["Prüfung", ziel]],
        }
    )
    gelesen = ergebnis["lesen"][0]
    _gleich(gelesen, erwartet)
    betrag = gelesen[0].index("Betrag")
    summe = next(r for r in gelesen if any(str(v).startswith("Summe") for v in r))
    assert summe[betrag] == pytest.approx(1642780.81, abs=0.001)


@braucht_lo
def test_menue_sozialraumbudget_in_calc(calc):
    """The extension adds the menu „Sozialraumbudget“ (Neu berechnen, Prüfen, Anlagen erzeugen)
    to Calc's menu bar for spreadsheets. Run through Calc's dispatcher on the KGSt example with
    stale cells on „Ergebnis“: „Prüfen“ reports the total and writes nothing, „Neu berechnen“
    writes „Ergebnis“, „Zahlungsplan“ and „Kennzahlen“ exactly as `sozbudget recalc` computes
    them (stale cells gone), „Anlagen erzeugen“ writes the annexes beside the file."""
    pfad = MAPPEN / "kgst.xlsx"
    ausgaben = schema.ausgaben(recalc.berechne_mappe(pfad).ergebnis)
    erwartet = {
        blatt: tuple(tuple(_wie_calc(v) for v in r) for r in excel.excel_zeilen(zeilen))
        for blatt, zeilen in ausgaben.items()
    }
    meldungen = calc.basis / "meldungen.txt"
    url = f"service:{lo.BEFEHLE_DIENST}?"
    auftrag = {
        "datei": str(pfad),
        "menue": True,
        "werte": [["Ergebnis", "A2", "alt"], ["Ergebnis", "J60", "alt"]],
        "blaetter_loeschen": ["Zahlungsplan"],  # added again, dates formatted by the command
        "befehle": [url + "pruefen", url + "neu_berechnen", url + "anlagen"],
        "lesen": [[b, _ziel("A1", w)] for b, w in erwartet.items()] + [["Ergebnis", "J60"]],
        "texte_lesen": [["Zahlungsplan", "B2"]],
    }
    ergebnis = calc.uno(auftrag, {"SOZBUDGET_MELDUNGEN": str(meldungen)})
    (menue,) = [m for m in ergebnis["menue"] if m["knoten"] == "de.sozbudget.menue"]
    assert (
        menue["titel"] == "Sozialraumbudget" and menue["kontext"] == "com.sun.star.sheet.SpreadsheetDocument"
    )
    assert [e[0] for e in menue["eintraege"]] == ["Neu berechnen", "Prüfen", "Anlagen erzeugen"]
    assert [e[1] for e in menue["eintraege"]] == [url + b for b in ("neu_berechnen", "pruefen", "anlagen")]
    texte = meldungen.read_text(encoding="utf-8").split("\n\x1e\n")[:-1]
    assert len(texte) == 3, texte
    assert texte[0].startswith("Geprüft: KGSt") and "nichts geschrieben" in texte[0]
    assert texte[1].startswith("Neu berechnet: KGSt")
    for werte, gelesen in zip(erwartet.values(), ergebnis["lesen"]):
        _gleich(gelesen, werte)
    assert ergebnis["lesen"][-1] == [[""]]
    faellig = dt.date(1899, 12, 30) + dt.timedelta(days=erwartet["Zahlungsplan"][1][1])
    assert erwartet["Zahlungsplan"][0][1].startswith("Fällig")
    assert ergebnis["texte"] == [f"{faellig:%d.%m.%Y}"]
    assert "Zahlungsplan" in ergebnis["blaetter"]
    assert "erstellt im Ordner" in texte[2], texte[2]
    ordner = Path(texte[2].splitlines()[-1])
    anlagen = sorted(ordner.rglob("*.html"))
    assert ordner == calc.basis / "Vertragsanlagen" and anlagen, (texte[2], sorted(ordner.rglob("*")))
    assert texte[2].startswith(f"{len([p for p in ordner.rglob('*') if p.is_file()])} Dateien")


@braucht_lo
def test_menue_nimmt_zeile_unter_der_tabelle(calc, tmp_path):
    """Issue 13 in Calc: a Träger typed directly below the Träger table (outside the database
    range, as Calc leaves it) is taken in by „Prüfen“ and „Neu berechnen“ with the note naming
    row 5, and „Ergebnis“ equals what `sozbudget recalc` computes from the same cells."""
    from .test_mappe_rundlauf import setze_zelle, tippe_unter_tabelle

    daten = setze_zelle((MAPPEN / "kgst.xlsx").read_bytes(), "Traeger", 0, "B", 0.3)
    daten = tippe_unter_tabelle(daten, "Traeger", ["Jugendhilfe Nord gGmbH", 0.1, "ja", 0])
    (tmp_path / "kgst.xlsx").write_bytes(daten)
    erwartet = tuple(
        tuple(_wie_calc(v) for v in r)
        for r in excel.excel_zeilen(
            schema.ausgaben(recalc.berechne_mappe(tmp_path / "kgst.xlsx").ergebnis)["Ergebnis"]
        )
    )
    meldungen = calc.basis / "meldungen_darunter.txt"
    url = f"service:{lo.BEFEHLE_DIENST}?"
    auftrag = {
        "datei": str(MAPPEN / "kgst.xlsx"),
        "werte": [
            ["Träger", "B2", 0.3],
            ["Träger", "A5", "Jugendhilfe Nord gGmbH"],
            ["Träger", "B5", 0.1],
            ["Träger", "C5", "ja"],
            ["Träger", "D5", 0],
        ],
        "befehle": [url + "pruefen", url + "neu_berechnen"],
        "lesen": [["Ergebnis", _ziel("A1", erwartet)]],
    }
    ergebnis = calc.uno(auftrag, {"SOZBUDGET_MELDUNGEN": str(meldungen)})
    texte = meldungen.read_text(encoding="utf-8").split("\n\x1e\n")[:-1]
    assert len(texte) == 2, texte
    for text in texte:
        assert "Zeile 5: direkt unter der Tabelle „Traeger“ eingetragen und mitgerechnet" in text, text
    _gleich(ergebnis["lesen"][0], erwartet)
    assert any("Jugendhilfe Nord gGmbH" in map(str, r) for r in ergebnis["lesen"][0])


@braucht_lo
@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="pdftoppm fehlt (poppler-utils)")
def test_seite_als_bild_ohne_namensfehler(calc):
    """The Excel-style KGSt workbook rendered by LibreOffice with the extension (PDF → PNG):
    the first page shows the computed amounts, no #NAME?."""
    quelle = _kgst_eine_million(calc.basis)
    pdf = calc.umwandeln(quelle, "pdf")
    text = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "#NAME" not in text and "Err:" not in text
    assert "525.000,00" in text and "1.642.780,81" in text
    png = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf), str(png)], check=True)
    bilder = list(pdf.parent.glob("*.png"))
    assert bilder and bilder[0].stat().st_size > 5000
    if os.environ.get("SOZBUDGET_BILD_AUFHEBEN"):
        shutil.copy2(bilder[0], os.environ["SOZBUDGET_BILD_AUFHEBEN"])


def test_calc_werte_der_menuebefehle():
    """Values the menu commands write into Calc: numbers float, dates serial numbers, blanks empty,
    and the ' that keeps Excel from reading a text as a number is dropped (Calc takes text as is);
    a text that merely starts with ' keeps it."""
    from sozbudget_xl.hosts.calc_mappe import _calc_wert

    assert _calc_wert(3) == 3.0 and _calc_wert(None) == "" and _calc_wert(True) == 1.0
    assert _calc_wert(dt.date(2026, 1, 1)) == 46023.0
    assert _calc_wert(excel._als_text("1.234")) == "1.234"
    assert _calc_wert(excel._als_text("=SUMME(A1)")) == "=SUMME(A1)"
    assert _calc_wert("'Zitat") == "'Zitat"
