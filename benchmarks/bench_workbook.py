"""Benchmarks (c), (d) and (g): recalculating workbooks.

(c) ``neu_berechnen`` of workbooks/celle.xlsx into a temp folder against a bare openpyxl load +
    save of the same file (goal ≤ 1,5×); and the ``sozbudget recalc`` command (new process, so
    Python's start-up included) against LibreOffice headless recalculating an equivalent
    workbook whose outputs are native Excel formulas (goal: faster; LibreOffice's start-up
    included).
(d) ``sozbudget recalc --jobs 2`` over 200 copies of the example workbooks: workbooks per
    second and the speed-up over ``--jobs 1`` (wall time of the command).
(g) Peak memory (max RSS) of ``sozbudget recalc`` on a Dreisäulen workbook with 10.000
    Quartiere (Sozialräume of Säule 3) — goal < 500 MB.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any
from unittest import mock

import openpyxl
from bench_common import (
    WORKBOOKS,
    Messung,
    abwechselnd,
    lauf,
    median_ms,
    sozbudget_befehl,
    zahl,
)
from openpyxl.utils import get_column_letter, quote_sheetname

from sozbudget_xl.workbook import schema
from sozbudget_xl.workbook.recalc import neu_berechnen

BEISPIEL = WORKBOOKS / "celle.xlsx"
N_MAPPEN = 200
N_QUARTIERE = 10_000
SPEICHER_ZIEL_MB = 500.0


# --------------------------------------------------------------------------- (c) one workbook


def _openpyxl_laden_speichern(quelle: Path, ziel: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(quelle)
        wb.save(ziel)


def bench_recalc(tmp: Path, runs: int) -> tuple[list[Messung], dict[str, Any]]:
    out = tmp / "recalc"
    out.mkdir()
    t = abwechselnd(
        {
            "ours": lambda: neu_berechnen(BEISPIEL, ausgabeordner=out),
            "ref": lambda: _openpyxl_laden_speichern(BEISPIEL, tmp / "openpyxl.xlsx"),
        },
        runs,
    )
    ours, ref = median_ms(t["ours"]), median_ms(t["ref"])
    z = neu_berechnen(BEISPIEL, ausgabeordner=out)
    if not z.ok or z.geschrieben != out / BEISPIEL.name or z.ergebnisdatei:
        raise AssertionError(f"recalc von {BEISPIEL.name} nicht wie erwartet: {z}")
    ratio = ours / ref
    m = Messung(
        f"`neu_berechnen` ({BEISPIEL.name}: lesen, rechnen, Ausgabeblätter schreiben und prüfen)",
        f"recalc of {BEISPIEL.name} (read, compute, write and verify the output sheets)",
        f"{zahl(ours)} ms",
        f"{zahl(ref)} ms",
        ratio,
        "≤ 1,5×",
        ratio <= 1.5,
        "Referenz: `openpyxl.load_workbook` + `save` derselben Datei (ohne Rechnen, ohne Prüfung) / "
        "reference: bare openpyxl load + save of the same file",
        f"{len(t['ours'])} / {len(t['ref'])}",
    )
    return [m], {"neu_berechnen_ms": ours, "gesamt": z.gesamt}


# --------------------------------------------------------------------------- (c) LibreOffice


def _parameterzeilen(ws: Any) -> dict[str, int]:
    return {str(ws.cell(r, 1).value).strip(): r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}


def native_mappe(quelle: Path, ziel: Path) -> int:
    """The Celle workbook with its output sheets replaced by native Excel formulas doing the
    model's arithmetic for the example data (ROUND per step instead of largest remainder):
    frame × Sozialraum share × Träger share × budget-part share, sums per Sozialraum and
    Träger, four quarterly instalments per Träger and the reserve Σ Budget − Σ Ist.
    Returns the number of formulas."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(quelle)
    for blatt in ("Ergebnis", "Zahlungsplan", "Kennzahlen", "Diagramm"):
        if blatt in wb.sheetnames:
            del wb[blatt]
    par = _parameterzeilen(wb["Parameter"])
    p = {k: f"Parameter!$B${r}" for k, r in par.items()}
    n_sr = wb["Sozialräume"].max_row
    n_zu = wb["Zuordnung"].max_row
    n_ist = wb["Ist-Ausgaben"].max_row
    sr = quote_sheetname("Sozialräume")
    teile = (
        ("Ambulante HzE", p["Anteil ambulant"]),
        ("Fallunspezifische Arbeit", p["Anteil fallunspezifisch"]),
        ("Tagesgruppe", p["Anteil Tagesgruppe"]),
    )
    ws = wb.create_sheet("Ergebnis")
    ws.append(
        ["Träger", "Sozialraum", "Budget Sozialraum", "Budget Träger × Sozialraum"] + [t for t, _ in teile]
    )
    n = 0
    for r in range(2, n_zu + 1):
        z = r
        ws.cell(z, 1, f"=Zuordnung!A{r}")
        ws.cell(z, 2, f"=Zuordnung!B{r}")
        ws.cell(
            z,
            3,
            f"=ROUND({p['Vorjahresrechnungsergebnis']}*SUMIF({sr}!$A$2:$A${n_sr},B{z},{sr}!$B$2:$B${n_sr}),2)",
        )
        ws.cell(z, 4, f"=ROUND(C{z}*Zuordnung!C{r},2)")
        for j, (_, anteil) in enumerate(teile, start=5):
            ws.cell(z, j, f"=ROUND($D{z}*{anteil},2)")
        n += 4 + len(teile)
    letzte = n_zu
    summe = letzte + 2
    ws.cell(summe, 1, "Summe")
    for j in range(4, 5 + len(teile)):
        c = get_column_letter(j)
        ws.cell(summe, j, f"=SUM({c}2:{c}{letzte})")
        n += 1
    ws.cell(summe + 1, 1, "Summe Budgetteile")
    ws.cell(summe + 1, 4, f"=SUM(E{summe}:{get_column_letter(4 + len(teile))}{summe})")
    ws.cell(summe + 2, 1, "Rücklage (Σ Budget − Σ Ist)")
    ws.cell(summe + 2, 4, f"=MAX(0,D{summe}-SUM('Ist-Ausgaben'!C2:C{n_ist}))")
    n += 2
    # per Sozialraum
    ws2 = wb.create_sheet("Kennzahlen")
    ws2.append(["Sozialraum", "Budget", "Anteil am Rahmen"])
    for r in range(2, n_sr + 1):
        ws2.cell(r, 1, f"={sr}!A{r}")
        ws2.cell(r, 2, f"=SUMIF(Ergebnis!$B$2:$B${letzte},A{r},Ergebnis!$D$2:$D${letzte})")
        ws2.cell(r, 3, f"=B{r}/{p['Vorjahresrechnungsergebnis']}")
        n += 3
    # four quarterly instalments per Träger, the last one takes the rounding rest
    ws3 = wb.create_sheet("Zahlungsplan")
    ws3.append(["Träger", "Jahresbetrag", "15.02.", "15.05.", "15.08.", "15.11."])
    n_tr = wb["Träger"].max_row
    for r in range(2, n_tr + 1):
        ws3.cell(r, 1, f"='Träger'!A{r}")
        ws3.cell(r, 2, f"=SUMIF(Ergebnis!$A$2:$A${letzte},A{r},Ergebnis!$D$2:$D${letzte})")
        for j in (3, 4, 5):
            ws3.cell(r, j, f"=ROUND(B{r}/4,2)")
        ws3.cell(r, 6, f"=B{r}-SUM(C{r}:E{r})")
        n += 6
    ws3.cell(n_tr + 2, 1, "Summe")
    ws3.cell(n_tr + 2, 2, f"=SUM(B2:B{n_tr})")
    n += 1
    wb.save(ziel)
    return n


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


def lo_befehl(lo: str, tmp: Path, quelle: Path, outdir: Path) -> list[str]:
    """``soffice --headless --convert-to xlsx`` with a throw-away profile that forces the recalc."""
    profil = tmp / "lo-profil"
    if not profil.exists():
        (profil / "user").mkdir(parents=True)
        (profil / "user" / "registrymodifications.xcu").write_text(REGISTRY, encoding="utf-8")
    return [
        lo,
        "--headless",
        "--norestore",
        "--nolockcheck",
        f"-env:UserInstallation={profil.resolve().as_uri()}",
        "--convert-to",
        "xlsx",
        "--outdir",
        str(outdir),
        str(quelle),
    ]


def bench_libreoffice(tmp: Path, runs: int, info: dict[str, Any]) -> list[Messung]:
    lo = soffice()
    if lo is None:
        return [
            Messung(
                "`sozbudget recalc` gegen LibreOffice headless (native Formeln)",
                "sozbudget recalc vs LibreOffice headless (native formulas)",
                "—",
                "—",
                None,
                "schneller / faster",
                None,
                "übersprungen: `soffice` nicht installiert / skipped: soffice not installed",
            )
        ]
    native = tmp / "celle_nativ.xlsx"
    n_formeln = native_mappe(BEISPIEL, native)
    lo_out = tmp / "lo-out"
    lo_out.mkdir()
    lo_aufruf = lo_befehl(lo, tmp, native, lo_out)
    cli_out = tmp / "cli-out"
    cli_befehl = [*sozbudget_befehl(), "recalc", str(BEISPIEL), "--out", str(cli_out)]
    t = abwechselnd(
        {"ours": lambda: lauf(cli_befehl), "ref": lambda: lauf(lo_aufruf, timeout=300)},
        runs,
        budget_s=40.0,
    )
    # LibreOffice really calculated: its frame sum equals the model's total (the example's
    # ROUND steps happen to add up to the frame) and the quarterly plan adds up as well
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(lo_out / native.name, data_only=True)
    ws = wb["Ergebnis"]
    werte = [ws.cell(r, 4).value for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Summe"]
    if not werte or not isinstance(werte[0], int | float):
        raise AssertionError(f"LibreOffice hat nicht gerechnet: Summe = {werte}")
    abweichung = abs(float(werte[0]) - float(info["gesamt"]))
    ours, ref = median_ms(t["ours"]), median_ms(t["ref"])
    return [
        Messung(
            f"`sozbudget recalc {BEISPIEL.name}` (neuer Prozess) gegen LibreOffice headless, das dieselbe "
            f"Mappe mit {n_formeln} nativen Formeln neu berechnet",
            f"`sozbudget recalc` (new process) vs LibreOffice headless recalculating the same workbook "
            f"with {n_formeln} native formulas",
            f"{zahl(ours)} ms",
            f"{zahl(ref)} ms",
            ours / ref,
            "schneller / faster",
            ours < ref,
            "beide Zeiten einschließlich Programmstart (Python bzw. LibreOffice; Wegwerf-Profil, durch "
            "den Aufwärmlauf schon angelegt, `OOXMLRecalcMode`=immer) / both include start-up. "
            f"LibreOffice: `soffice --headless --convert-to xlsx`; seine Summe weicht um {abweichung:.2f} € "
            "vom Modell ab (ROUND je Schritt statt größter Reste) / its total differs from the model's by "
            f"that. Im Prozess / in-process `neu_berechnen`: {zahl(info['neu_berechnen_ms'])} ms",
            f"{len(t['ours'])} / {len(t['ref'])}",
        )
    ]


# --------------------------------------------------------------------------- (d) batch


def bench_batch(tmp: Path, runs: int, n: int = N_MAPPEN) -> list[Messung]:
    quellen = sorted(WORKBOOKS.glob("*.xlsx"))
    ordner = tmp / "batch-in"
    ordner.mkdir()
    dateien = []
    for i in range(n):
        q = quellen[i % len(quellen)]
        ziel = ordner / f"{q.stem}_{i:03d}.xlsx"
        shutil.copyfile(q, ziel)
        dateien.append(str(ziel))

    def recalc(jobs: int) -> None:
        out = tmp / f"batch-out-{jobs}"
        shutil.rmtree(out, ignore_errors=True)
        r = lauf([*sozbudget_befehl(), "recalc", *dateien, "--out", str(out), "--jobs", str(jobs)])
        if f"{n} von {n} Arbeitsmappe(n) erfolgreich" not in r.stdout:
            raise AssertionError(r.stdout[-500:])

    t = abwechselnd({"j2": lambda: recalc(2), "j1": lambda: recalc(1)}, runs, warmup=False, budget_s=60.0)
    j2, j1 = statistics.median(t["j2"]), statistics.median(t["j1"])
    return [
        Messung(
            f"`sozbudget recalc --jobs 2` über {n} Arbeitsmappen (Kopien der {len(quellen)} Beispiele)",
            f"`recalc --jobs 2` over {n} workbooks (copies of the {len(quellen)} examples)",
            f"{zahl(n / j2)} Mappen/s ({zahl(j2, 2)} s)",
            f"`--jobs 1`: {zahl(n / j1)} Mappen/s ({zahl(j1, 2)} s)",
            j2 / j1,
            "—",
            None,
            f"Beschleunigung / speed-up {zahl(j1 / j2, 2)}× auf / on 2 Kernen / cores; Wandzeit des Befehls "
            "einschließlich Start / wall time of the command incl. start-up",
            f"{len(t['j2'])} / {len(t['j1'])}",
        )
    ]


# --------------------------------------------------------------------------- (g) memory


def grosse_mappe(ziel: Path, n: int = N_QUARTIERE) -> None:
    """A Dreisäulen workbook with ``n`` Quartiere, written by the workbook builder."""
    from sozbudget_xl.workbook import vorlage

    werte, tabellen = schema.beispiel_daten("dreisaeulen")
    vorbild = tabellen["Quartiere"][0]
    tabellen = dict(tabellen)
    tabellen["Quartiere"] = [
        {
            **vorbild,
            "Quartier": f"Quartier {i:05d}",
            "Jugendeinwohner": 500 + (i * 37) % 4000,
            "Einwohner": 3000 + (i * 101) % 20000,
            "SGB-II-Quote U18": round(5 + (i * 13) % 300 / 10, 1),
        }
        for i in range(n)
    ]
    echt = vorlage.S.beispiel_daten
    with contextlib.ExitStack() as stack:
        stack.enter_context(
            mock.patch.object(
                vorlage.S,
                "beispiel_daten",
                lambda name: (werte, tabellen) if name == "dreisaeulen" else echt(name),
            )
        )
        # the planning workload of the series: no example Ist bookings (six months for every
        # Quartier would add 6·n rows and, at 50.000 Quartiere, exceed the 200 MB zip guard)
        with contextlib.suppress(ImportError, AttributeError):
            from sozbudget_xl.jahr import vorlage as jahr_vorlage

            stack.enter_context(mock.patch.object(jahr_vorlage, "beispiel_ist", lambda *a, **k: []))
        vorlage.erzeuge("dreisaeulen", ziel)


#: runs the command and prints its exit code, the max RSS of its largest process (``ru_maxrss`` of
#: RUSAGE_CHILDREN, KiB) and the peak of the summed PSS of all its processes (the command and those it
#: starts, e.g. the process that reads the written sheets back; sampled every 5 ms from
#: /proc/<pid>/smaps_rollup, KiB; -1 where /proc does not give it). A process counts once per address
#: space: a child between vfork and exec shares its parent's and shows the parent's whole PSS (the
#: rollup's first line, the address range, is the same), which would count the parent twice.
#: So the sum is taken per address range.
_MESSER = """
import os, resource, subprocess, sys, threading, time
def baum(pid):
    pids = [pid]
    try:
        for t in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{t}/children") as f:
                for c in f.read().split():
                    pids += baum(int(c))
    except OSError:
        pass
    return pids
def pss(pid):
    # (address range, PSS in KiB) of a process, or None
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            bereich = f.readline().split()[0]
            for z in f:
                if z.startswith("Pss:"):
                    return bereich, int(z.split()[1])
    except (OSError, IndexError):
        pass
    return None
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
ausgabe = []
leser = threading.Thread(target=lambda: ausgabe.append(p.communicate()))
leser.start()
spitze = 0
while p.poll() is None:
    je_adressraum = dict(w for w in map(pss, baum(p.pid)) if w)
    spitze = max(spitze, sum(je_adressraum.values()))
    time.sleep(0.005)
leser.join()
kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(p.returncode, kb, spitze or -1)
sys.stderr.write(ausgabe[0][0][-300:] + ausgabe[0][1][-1500:])
"""


def recalc_gemessen(pfad: Path, out: Path) -> tuple[str, str, float, float | None]:
    """``sozbudget recalc pfad --out out`` in a fresh Python whose only child is the command
    (:data:`_MESSER`): (exit code, its stderr, max RSS of its largest process, peak of the summed
    PSS of all its processes or None where /proc does not give it), MiB."""
    r = lauf([sys.executable, "-c", _MESSER, *sozbudget_befehl(), "recalc", str(pfad), "--out", str(out)])
    rc, kb, pss_kb = r.stdout.split()
    return rc, r.stderr, int(kb) / 1024.0, int(pss_kb) / 1024.0 if int(pss_kb) > 0 else None


def bench_speicher(tmp: Path, runs: int) -> list[Messung]:
    pfad = tmp / "dreisaeulen_10000.xlsx"
    t0 = time.perf_counter()
    grosse_mappe(pfad)
    bau = time.perf_counter() - t0
    spitzen, zeiten = [], []
    for _ in range(runs):
        out = tmp / "gross-out"
        shutil.rmtree(out, ignore_errors=True)
        t = time.perf_counter()
        rc, stderr, mb, _ = recalc_gemessen(pfad, out)
        zeiten.append(time.perf_counter() - t)
        if rc != "0":
            raise AssertionError(f"recalc der großen Mappe fehlgeschlagen: {stderr}")
        spitzen.append(mb)
    mb = statistics.median(spitzen)
    return [
        Messung(
            f"Spitzen-Arbeitsspeicher von `sozbudget recalc` mit {N_QUARTIERE:_} Quartieren "
            "(Dreisäulen)".replace("_", "."),
            f"peak memory of `recalc`, workbook with {N_QUARTIERE:,} Quartiere (Sozialräume, Dreisäulen)",
            f"{zahl(mb)} MB",
            "—",
            None,
            f"< {SPEICHER_ZIEL_MB:g} MB",
            mb < SPEICHER_ZIEL_MB,
            "max RSS (`ru_maxrss` von RUSAGE_CHILDREN) des Befehls in eigenem Prozess / of the command "
            f"in its own process; Dauer / duration {zahl(statistics.median(zeiten), 1)} s; Datei / file "
            f"{zahl(pfad.stat().st_size / 1e6, 1)} MB, mit dem Mappen-Baukasten erzeugt in / built in "
            f"{zahl(bau, 1)} s",
            f"{len(spitzen)}",
        )
    ]


def alle(runs: int, quick: bool) -> list[Messung]:
    with tempfile.TemporaryDirectory(prefix="sozbudget-bench-") as d:
        tmp = Path(d)
        out, info = bench_recalc(tmp, 3 * runs)
        out += bench_libreoffice(tmp, 3, info)
        out += bench_batch(tmp, 1 if quick else 3, 60 if quick else N_MAPPEN)
        out += bench_speicher(tmp, 1 if quick else 3)
        print(f"[{dt.datetime.now():%H:%M:%S}] Arbeitsmappen fertig", file=sys.stderr)
        return out
