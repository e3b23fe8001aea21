"""Benchmark (i), issue 15: the KGSt Träger series.

KGSt workbooks (one Sozialraum, example parameters: 70/10/20 %, redistribution „nach
Zusatzfällen“, monthly instalments) with ``n`` Träger: equal shares by largest remainder summing
to exactly 100 %, every second Träger without Qualitätsnachweis, Zusatzfälle 0…6 (as
``tests/test_modelle_linear.py``). Built from the example workbook of the workbook builder
(``vorlage.erzeuge("kgst")``, no example Ist bookings) whose Träger table is then replaced by the
``n`` rows with openpyxl — seconds even for 10.000 Träger.

1.000 Träger: ``sozbudget recalc`` (new process) against LibreOffice headless recalculating the
same workbook with the model's budget arithmetic as native formulas (:func:`native_kgst_mappe`),
both including start-up, alternating run by run (goal: faster).
10.000 Träger: ``sozbudget recalc`` of a workbook that already holds the outputs of an earlier
recalc must succeed (exit 0, no refusal by the zip-bomb or size guards); time, max RSS and the
longest text cell written (≤ 32.767 characters, Excel's limit) are reported.
"""

from __future__ import annotations

import contextlib
import shutil
import statistics
import sys
import tempfile
import time
import warnings
import zipfile
from pathlib import Path
from typing import Any
from unittest import mock

import openpyxl
from bench_common import Messung, abwechselnd, lauf, median_ms, sozbudget_befehl, zahl
from bench_workbook import lo_befehl, recalc_gemessen, soffice
from lxml import etree
from openpyxl.utils import get_column_letter, quote_sheetname

from sozbudget_xl.money import allocate_cents

N_LO = 1_000
N_GROSS = 10_000
EXCEL_ZELLE_MAX = 32_767
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _ohne_ist() -> contextlib.ExitStack:
    stack = contextlib.ExitStack()
    with contextlib.suppress(ImportError, AttributeError):
        from sozbudget_xl.jahr import vorlage as jahr_vorlage

        stack.enter_context(mock.patch.object(jahr_vorlage, "beispiel_ist", lambda *a, **k: []))
    return stack


def traeger_zeilen(n: int) -> list[list[Any]]:
    """The ``n`` Träger rows: equal shares (largest remainder, exactly 100 %), every second one
    without Qualitätsnachweis, Zusatzfälle 0…6."""
    basis = allocate_cents(10**8, [1] * n)
    return [
        [f"Träger {i:05d} e.V.", int(b) / 10**8, "ja" if i % 2 == 0 else "nein", i % 7]
        for i, b in enumerate(basis)
    ]


def kgst_mappe(ziel: Path, n: int) -> None:
    """The KGSt example workbook with its Träger table replaced by ``n`` Träger."""
    from sozbudget_xl.workbook import vorlage

    with _ohne_ist():
        vorlage.erzeuge("kgst", ziel)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(ziel)
    ws = wb["Träger"]
    (tab,) = ws.tables.values()
    ws.delete_rows(2, ws.max_row)
    for zeile in traeger_zeilen(n):
        ws.append(zeile)
    tab.ref = f"A1:D{n + 1}"
    if tab.autoFilter is not None:
        tab.autoFilter.ref = tab.ref
    wb.save(ziel)


# --------------------------------------------------------------------------- native formulas

#: columns of the native „Ergebnis“ sheet (row 1: headers; rows 2…n+1: one Träger each)
SPALTEN = (
    "Träger",
    "Summe (Anteil × Gesamtbudget)",
    "Sockel fallspezifisch",
    "Sockel fallunspezifisch",
    "Qualitätsanteil",
    "Nachweis (1/0)",
    "Gewicht Umverteilung",
    "Qualitätsanteil abgegeben",
    "Qualitätsanteil aus Umverteilung",
    "Budget gesamt",
    "Fallverpflichtung",
)
MONATE = 12


def native_kgst_mappe(quelle: Path, ziel: Path) -> int:
    """The KGSt workbook with its output sheets replaced by native formulas doing the model's
    budget arithmetic (ROUND to cents per step instead of largest remainder): per Träger its total
    (share × Gesamtbudget), the Sockel parts by the percentages and the quality part as the rest,
    the pool of the quality parts of the Träger without evidence, redistributed pro rata to the
    Zusatzfälle (or the shares, after the parameter „Umverteilung“) of the Träger with evidence, the
    budget per Träger, the case obligation and twelve monthly instalments of the Sockel (the last
    one takes the rounding rest); sums in a row below. Returns the number of formulas."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(quelle)
    for blatt in list(wb.sheetnames):
        if blatt not in ("Anleitung", "Parameter", "Träger"):
            del wb[blatt]
    wp = wb["Parameter"]
    zeile = {str(wp.cell(r, 1).value).strip(): r for r in range(1, wp.max_row + 1) if wp.cell(r, 1).value}
    p = {k: f"Parameter!$B${r}" for k, r in zeile.items()}
    n = wb["Träger"].max_row - 1
    tr = quote_sheetname("Träger")
    letzte = n + 1
    s = letzte + 2  # the row of the sums
    ws = wb.create_sheet("Ergebnis")
    ws.append([*SPALTEN, *(f"Abschlag {m}" for m in range(1, MONATE + 1))])
    formeln = 0
    for r in range(2, letzte + 1):
        werte = [
            f"={tr}!A{r}",
            f"=ROUND({p['Gesamtbudget']}*{tr}!B{r},2)",
            f"=ROUND(B{r}*{p['Anteil fallspezifisch']},2)",
            f"=ROUND(B{r}*{p['Anteil fallunspezifisch']},2)",
            f"=B{r}-C{r}-D{r}",
            f'=IF({tr}!C{r}="ja",1,0)',
            f'=F{r}*IF({p["Umverteilung"]}="nach Zusatzfällen",{tr}!D{r},{tr}!B{r})',
            f"=(1-F{r})*E{r}",
            f"=IF($G${s}>0,ROUND($H${s}*G{r}/$G${s},2),0)",
            f"=C{r}+D{r}+F{r}*E{r}+I{r}",
            f"=ROUND({p['Fallzahl']}*{tr}!B{r},2)",
        ]
        abschlag = get_column_letter(len(SPALTEN) + 1)
        werte += [f"=ROUND((C{r}+D{r})/{MONATE},2)"] * (MONATE - 1)
        werte.append(f"=C{r}+D{r}-SUM({abschlag}{r}:{get_column_letter(len(SPALTEN) + MONATE - 1)}{r})")
        ws.append(werte)
        formeln += len(werte) - 1
    ws.cell(s, 1, "Summe")
    for j in range(2, len(SPALTEN) + MONATE + 1):
        c = get_column_letter(j)
        ws.cell(s, j, f"=SUM({c}2:{c}{letzte})")
        formeln += 1
    ws.cell(s + 1, 1, "Zweckgebunden beim Jugendamt")
    ws.cell(s + 1, 2, f"=H{s}-I{s}")
    formeln += 1
    wb.save(ziel)
    return formeln


def lo_werte(pfad: Path) -> tuple[float, dict[str, float]]:
    """(Σ Budget gesamt, budget per Träger) of the native workbook as LibreOffice computed it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(pfad, data_only=True, read_only=True)
    zeilen = list(wb["Ergebnis"].iter_rows(min_col=1, max_col=10, values_only=True))
    wb.close()
    summe = next(z[9] for z in zeilen if z[0] == "Summe")
    je = {str(z[0]): z[9] for z in zeilen[1:] if z[0] and str(z[0]).startswith("Träger ")}
    if not isinstance(summe, int | float) or not all(isinstance(x, int | float) for x in je.values()):
        raise AssertionError(f"LibreOffice hat nicht gerechnet: Summe = {summe!r}")
    return float(summe), {k: float(v) for k, v in je.items()}


def bench_lo(tmp: Path, runs: int) -> list[Messung]:
    de = f"`sozbudget recalc` KGSt mit {N_LO:_} Trägern gegen LibreOffice headless (native Formeln)".replace(
        "_", "."
    )
    en = f"`sozbudget recalc` KGSt with {N_LO:,} Träger vs LibreOffice headless (native formulas)"
    lo = soffice()
    if lo is None:
        return [
            Messung(
                de,
                en,
                "—",
                "—",
                None,
                "schneller / faster",
                None,
                "übersprungen: `soffice` nicht installiert / skipped: soffice not installed",
            )
        ]
    t0 = time.perf_counter()
    mappe = tmp / f"kgst_{N_LO}.xlsx"
    kgst_mappe(mappe, N_LO)
    bau = time.perf_counter() - t0
    native = tmp / f"kgst_{N_LO}_nativ.xlsx"
    n_formeln = native_kgst_mappe(mappe, native)
    lo_out = tmp / "kgst-lo-out"
    lo_out.mkdir()
    cli_out = tmp / "kgst-cli-out"
    cli = [*sozbudget_befehl(), "recalc", str(mappe), "--out", str(cli_out)]
    t = abwechselnd(
        {"ours": lambda: lauf(cli), "ref": lambda: lauf(lo_befehl(lo, tmp, native, lo_out), timeout=600)},
        runs,
        budget_s=60.0,
    )
    summe, je = lo_werte(lo_out / native.name)
    modell, je_modell = modell_budgets(N_LO)
    if je.keys() != je_modell.keys():
        raise AssertionError("LibreOffice und Modell haben verschiedene Träger")
    abw_je = max(abs(je[k] - je_modell[k]) for k in je)
    ours, ref = median_ms(t["ours"]), median_ms(t["ref"])
    im_prozess = median_ms(_im_prozess(mappe, tmp / "kgst-neu-berechnen", 3))
    return [
        Messung(
            f"`sozbudget recalc` (neuer Prozess) einer KGSt-Mappe mit {N_LO:_} Trägern gegen LibreOffice "
            f"headless, das dieselbe Rechnung als {n_formeln:_} native Formeln neu berechnet".replace(
                "_", "."
            ),
            f"`sozbudget recalc` (new process) of a KGSt workbook with {N_LO:,} Träger vs LibreOffice "
            f"headless recalculating the same budgets as {n_formeln:,} native formulas",
            f"{zahl(ours)} ms",
            f"{zahl(ref)} ms",
            ours / ref,
            "schneller / faster",
            ours < ref,
            "Wie gemessen / how measured: beide Zeiten einschließlich Programmstart (Wegwerf-Profil, "
            "`OOXMLRecalcMode`=immer, `soffice --headless --convert-to xlsx`) / both include start-up. "
            "Native Formeln je Träger / native formulas per Träger: Summe, Sockel 70/10 %, Qualitätsanteil, "
            "Pool der Träger ohne Nachweis nach Zusatzfällen umverteilt, Budget, Fallverpflichtung, 12 "
            f"Abschläge; Summe LibreOffice {zahl(summe, 2)} €, Modell {zahl(modell, 2)} € (Abweichung "
            f"{zahl(abs(summe - modell), 2)} €: ROUND je Schritt statt größter Reste / ROUND per step "
            f"instead of largest remainder; je Träger höchstens / per Träger at most {zahl(abw_je, 2)} €). "
            f"Im Prozess / in-process `neu_berechnen`: {zahl(im_prozess)} ms; Mappe gebaut in / built in "
            f"{zahl(bau, 1)} s",
            f"{len(t['ours'])} / {len(t['ref'])}",
        )
    ]


def _im_prozess(mappe: Path, out: Path, runs: int) -> list[float]:
    """Wall times of ``neu_berechnen`` of the workbook in this process (no start-up)."""
    from sozbudget_xl.workbook.recalc import neu_berechnen

    out.mkdir(exist_ok=True)
    zeiten = []
    for _ in range(runs):
        t = time.perf_counter()
        z = neu_berechnen(mappe, ausgabeordner=out)
        zeiten.append(time.perf_counter() - t)
        if not z.ok:
            raise AssertionError(f"recalc von {mappe.name} nicht wie erwartet: {z}")
    return zeiten


def modell_budgets(n: int) -> tuple[float, dict[str, float]]:
    """The model's exact total and budget per Träger for the ``n`` Träger of :func:`traeger_zeilen`
    and the example parameters (largest remainder, ``kgst.berechne``)."""
    from decimal import Decimal

    from sozbudget_xl.models import kgst
    from sozbudget_xl.workbook import schema

    werte, _ = schema.beispiel_daten("kgst")
    e = kgst.Eingabe(
        Decimal(repr(werte["Gesamtbudget"])),
        tuple(kgst.Traeger(a, Decimal(repr(b)), c == "ja", Decimal(d)) for a, b, c, d in traeger_zeilen(n)),
        fallzahl=Decimal(werte["Fallzahl"]),
    )
    r = kgst.berechne(e)
    return float(r.summe()), {k: float(v) for k, v in r.summen_nach("traeger").items() if k}


# --------------------------------------------------------------------------- 10.000 Träger


def laengste_textzelle(pfad: Path) -> int:
    """The longest text in any cell of the workbook (shared strings and inline strings)."""
    laengste = 0
    with zipfile.ZipFile(pfad) as zf:
        for name in zf.namelist():
            if not (name == "xl/sharedStrings.xml" or name.startswith("xl/worksheets/sheet")):
                continue
            with zf.open(name) as f:
                for _, elem in etree.iterparse(f, events=("end",), tag=(f"{_NS}si", f"{_NS}is")):
                    text = "".join(elem.itertext())
                    laengste = max(laengste, len(text))
                    elem.clear()
    return laengste


def bench_gross(tmp: Path, runs: int) -> list[Messung]:
    t0 = time.perf_counter()
    frisch = tmp / f"kgst_{N_GROSS}.xlsx"
    kgst_mappe(frisch, N_GROSS)
    bau = time.perf_counter() - t0
    # a first recalc writes the outputs for 10.000 Träger; the measured runs recalculate that file
    erst = tmp / "kgst-gross-erst"
    pfad = erst / frisch.name
    out = tmp / "kgst-gross-out"
    zeiten: list[float] = []
    spitzen: list[float] = []
    fehler: list[str] = []
    try:
        lauf([*sozbudget_befehl(), "recalc", str(frisch), "--out", str(erst)])
    except RuntimeError as exc:  # refused already: reported as not met, the other groups go on
        fehler.append(str(exc)[-300:])
        pfad = frisch
    for _ in range(runs if not fehler else 0):
        shutil.rmtree(out, ignore_errors=True)
        t = time.perf_counter()
        rc, stderr, mb, _ = recalc_gemessen(pfad, out)
        zeiten.append(time.perf_counter() - t)
        if rc != "0":
            fehler.append(stderr[-300:])
        spitzen.append(mb)
    ok = not fehler and (out / frisch.name).exists()
    laengste = laengste_textzelle(out / frisch.name) if ok else 0
    rss = zahl(statistics.median(spitzen)) if spitzen else "—"
    groesse = pfad.stat().st_size / 1e6
    return [
        Messung(
            f"`sozbudget recalc` einer KGSt-Mappe mit {N_GROSS:_} Trägern, die schon unsere Ausgaben "
            "enthält".replace("_", "."),
            f"`sozbudget recalc` of a KGSt workbook with {N_GROSS:,} Träger that holds our earlier outputs",
            f"{zahl(statistics.median(zeiten), 1)} s" if zeiten else "—",
            "—",
            None,
            "ohne Abbruch / no refusal",
            ok and laengste <= EXCEL_ZELLE_MAX,
            "Wie gemessen / how measured: Exit-Code 0 in jedem Lauf, keine Ablehnung durch die "
            "Zip-Bomben-/Größenwächter / exit 0, no refusal by the zip-bomb or size guards"
            + (f" (Fehler / errors: {fehler[0]!r})" if fehler else "")
            + f"; max RSS {rss} MB; längste Textzelle / longest text cell "
            f"{laengste:_} Zeichen / characters (Grenze / limit {EXCEL_ZELLE_MAX:_}); Eingabedatei / input "
            f"file {zahl(groesse, 1)} MB, gebaut in / built in {zahl(bau, 1)} s".replace("_", "."),
            f"{len(zeiten)}",
        )
    ]


def alle(runs: int, quick: bool) -> list[Messung]:
    import datetime as dt

    with tempfile.TemporaryDirectory(prefix="sozbudget-bench-kgst-") as d:
        tmp = Path(d)
        out = bench_lo(tmp, 3)
        out += bench_gross(tmp, 1 if quick else 3)
        print(f"[{dt.datetime.now():%H:%M:%S}] KGSt-Träger fertig", file=sys.stderr)
        return out
