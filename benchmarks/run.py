#!/usr/bin/env python3
"""Benchmarks of sozbudget_xl, each measured against a plain-numpy reference on the same data.

Usage::

    python benchmarks/run.py [--write benchmarks/RESULTS.md] [--quick]

(a) Allocation of 123.456.789,01 € to 1.000.000 parts by largest remainder
    (:func:`sozbudget_xl.money.allocate_cents`, exact integer cents) against the same
    largest-remainder idea in float64 (quota = total·w/W, floor, argpartition of the remainders,
    leftover cents one each), for numpy arrays (ints, 2-decimal and 17-digit floats) and Python
    lists (ints, 17-digit floats, Decimals). Goal: at most 2× the reference.
(b) Scoring 100.000 Sozialräume × 5 indicators (five-indicator system, SPW, equal weights):
    :func:`raten` + :func:`standardisiere` + :func:`index_aus_werten` against the same
    arithmetic in plain numpy (goal: at most 2×); :func:`bewerte` on a dict of numpy columns
    (validation, ID checks) is reported against the same reference without a goal.

Start-up (``sozbudget --help`` and a one-workbook recalc as processes) lives in ``bench_start.py``;
(c)–(g) live in ``bench_workbook.py`` (recalc of one workbook vs openpyxl load + save and vs
LibreOffice headless; ``recalc --jobs 2`` over 200 workbooks; peak memory with 10.000
Quartiere), ``bench_annex.py`` (DOCX/HTML annexes per second) and ``bench_udf.py``
(``SRB_STANDARDPUNKTE`` range call vs single-cell calls, ``SRB_VERTEILEN`` over 10.000 rows);
(h) in ``bench_boden.py``: recalc with 10.000 and 50.000 Quartiere against the physical floor
(unzip + parse the input sheets, deflate the outputs), the growth exponent and peak memory at
50.000; (i) in ``bench_kgst.py``: the KGSt Träger series (1.000 Träger against LibreOffice
recalculating native formulas, 10.000 Träger without refusal by our own guards). Each module's
docstring says how.

Each figure is the median of several runs after one warm-up call (time.perf_counter); ours and
the reference alternate run by run; calls shorter than 20 ms are repeated inside a run and the
per-call time is reported. ``--nur numpy,start,mappen,boden,kgst,anlagen,udf`` runs only some groups.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

try:
    import resource
except ImportError:  # pragma: no cover - not on Windows
    resource = None  # type: ignore[assignment]

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the bench_* modules next to this file

try:
    from sozbudget_xl.indicators import (
        Indicator,
        bewerte,
        fuenf_indikatoren,
        index_aus_werten,
        raten,
        standardisiere,
    )
    from sozbudget_xl.money import allocate_cents, to_cents
except ImportError as exc:  # pragma: no cover - depends on the environment
    sys.exit(f"sozbudget_xl ist nicht installiert ({exc}); erst `make` bzw. `pip install -e .` ausführen")

SEED = 20240601
GESAMT = Decimal("123456789.01")
N_TEILE = 1_000_000
N_REGIONEN = 100_000
MIN_RUN_S = 0.02  # shorter calls are repeated inside one run
BUDGET_S = 12.0  # per group of measurements: stop after 3 runs once this much time is spent


# --------------------------------------------------------------------------- timing


@dataclass
class Timing:
    median_ms: float
    runs: int
    inner: int
    result: Any
    faults: float | None = None  # minor page faults per call (fresh memory from the OS)


def _minflt() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt if resource is not None else 0


def measure(fns: dict[str, Callable[[], Any]], repeats: int) -> dict[str, Timing]:
    """Median wall time in ms of each function: one warm-up call each, then up to ``repeats``
    runs in which the functions alternate (rotating order), so a load change on a shared
    machine hits ours and the reference alike."""
    results: dict[str, Any] = {}
    inner: dict[str, int] = {}
    for key, fn in fns.items():
        t0 = time.perf_counter()
        results[key] = fn()  # warm-up; its result is kept for the correctness checks
        first = time.perf_counter() - t0
        inner[key] = max(1, int(MIN_RUN_S / first)) if first < MIN_RUN_S else 1
    times: dict[str, list[float]] = {key: [] for key in fns}
    faults: dict[str, int] = dict.fromkeys(fns, 0)
    keys = list(fns)
    spent = 0.0
    for i in range(repeats):
        for key in keys[i % len(keys) :] + keys[: i % len(keys)]:
            fn, k = fns[key], inner[key]
            f0 = _minflt()
            t = time.perf_counter()
            for _ in range(k):
                fn()
            elapsed = time.perf_counter() - t
            faults[key] += _minflt() - f0
            spent += elapsed
            times[key].append(elapsed / k)
        if i + 1 >= 3 and spent > BUDGET_S:
            break
    return {
        key: Timing(
            statistics.median(times[key]) * 1000.0,
            len(times[key]),
            inner[key],
            results[key],
            faults[key] / (len(times[key]) * inner[key]) if resource is not None else None,
        )
        for key in fns
    }


@dataclass
class Row:
    de: str
    en: str
    ours: Timing
    ref: Timing
    goal: float | None
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.ours.median_ms / self.ref.median_ms

    @property
    def met(self) -> bool | None:
        return None if self.goal is None else self.ratio <= self.goal


# --------------------------------------------------------------------------- (a) allocation


def largest_remainder_float(total_cents: int, weights: Any) -> Any:
    """Reference: largest remainder in float64 (quota, floor, argpartition of the remainders, one
    cent each to the leftover largest). It takes the same input as ours — a list is converted with
    ``np.asarray`` — and answers in the same form (a list for a list)."""
    w = np.asarray(weights, dtype=np.float64)
    quotas = total_cents * w / w.sum()
    parts = np.floor(quotas)
    rest = quotas - parts
    leftover = max(0, total_cents - int(parts.sum()))
    if leftover:
        parts[np.argpartition(-rest, leftover - 1)[:leftover]] += 1.0
    result = parts.astype(np.int64)
    return result if isinstance(weights, np.ndarray) else result.tolist()


def allocation_cases(rng: np.random.Generator) -> list[tuple[str, str, Any]]:
    """The allocation inputs: numpy arrays (ints, 2-decimal floats, 17-digit floats) and Python lists
    (ints, 17-digit floats, Decimals with 2 places)."""
    einwohner = rng.integers(0, 50_001, size=N_TEILE, dtype=np.int64)
    gewichte_float = np.round(einwohner * rng.uniform(0.5, 1.5, size=N_TEILE), 2)
    lang = einwohner * rng.uniform(0.5, 1.5, size=N_TEILE)  # 15–17 significant digits
    dezimal = [Decimal(repr(v)) for v in gewichte_float.tolist()]
    return [
        (
            "ganzzahlige Gewichte (Einwohner 0…50.000, int64)",
            "integer weights (population, int64)",
            einwohner,
        ),
        ("Kommazahl-Gewichte (Einwohner × Faktor, 2 Stellen)", "float weights (2 decimals)", gewichte_float),
        ("Kommazahl-Gewichte mit 17 Stellen (Einwohner × Faktor)", "17-digit float weights", lang),
        ("Liste von Python-ints (Einwohner)", "list of Python ints (population)", einwohner.tolist()),
        ("Liste von Floats mit 17 Stellen", "list of 17-digit floats", lang.tolist()),
        ("Liste von Decimals mit 2 Stellen", "list of Decimals (2 places)", dezimal),
    ]


def bench_allocation(rng: np.random.Generator, repeats: int) -> list[Row]:
    total_cents = to_cents(GESAMT)
    rows = []
    for de, en, w in allocation_cases(rng):
        t = measure(
            {
                "ours": lambda w=w: allocate_cents(total_cents, w),
                "ref": lambda w=w: largest_remainder_float(total_cents, w),
            },
            repeats,
        )
        ours, ref = t["ours"], t["ref"]
        exact = np.asarray(ours.result, dtype=np.int64)
        if int(exact.sum()) != total_cents:
            raise AssertionError(f"allocate_cents: Summe {int(exact.sum())} ≠ {total_cents}")
        diff = int(np.count_nonzero(exact != np.asarray(ref.result)))
        kind = type(ours.result).__name__
        note = (
            f"Ergebnistyp / result type: `{kind}`; Summe exakt / sum exact; "
            f"Teile mit anderem Cent-Betrag als die Float-Referenz / parts differing from the float "
            f"reference: {diff:,}".replace(",", ".")
        )
        rows.append(
            Row(f"Verteilung 1 Mio. Teile, {de}", f"allocation, 1M parts, {en}", ours, ref, 2.0, note)
        )
    return rows


# --------------------------------------------------------------------------- (b) scoring


def regionen(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Realistic base data (spec §2.1) for ``n`` Sozialräume as numpy columns."""
    einwohner = rng.integers(2_000, 30_001, size=n).astype(float)
    jugend = np.floor(einwohner * rng.uniform(0.15, 0.28, size=n))
    minder = np.floor(jugend * rng.uniform(0.75, 0.9, size=n))
    return {
        "Sozialraum": np.array([f"SR-{i:06d}" for i in range(n)], dtype=object),
        "Einwohner": einwohner,
        "Jugendeinwohner": jugend,
        "Minderjährige": minder,
        "Siedlungs- und Verkehrsfläche (ha)": np.round(rng.uniform(30.0, 1_500.0, size=n), 1),
        "HLU-Empfänger unter 18": np.floor(minder * rng.uniform(0.02, 0.35, size=n)),
        "Arbeitslose": np.floor(einwohner * rng.uniform(0.02, 0.12, size=n)),
        "Bruttoaufwand HzE": np.round(jugend * rng.uniform(300.0, 2_500.0, size=n), 2),
        "Bruttoaufwand ambulante HzE": np.round(jugend * rng.uniform(100.0, 900.0, size=n), 2),
    }


def score_ours(cols: dict[str, np.ndarray], inds: list[Indicator]) -> np.ndarray:
    std = []
    for ind in inds:
        x = raten(cols[ind.zaehler], cols[ind.nenner] if ind.nenner else None, faktor=ind.faktor)
        s, _ = standardisiere(x, "spw", richtung=ind.richtung)
        std.append(s)
    return index_aus_werten(std, [i.gewicht for i in inds])


def score_reference(cols: dict[str, np.ndarray], inds: list[Indicator]) -> np.ndarray:
    """Reference: rate, SPW = 100·(x − min)/(max − min), equal-weight mean; no checks."""
    out = np.zeros(len(cols[inds[0].zaehler]))
    w = 1.0 / len(inds)
    for ind in inds:
        x = cols[ind.zaehler] / cols[ind.nenner] if ind.nenner else cols[ind.zaehler]
        lo, hi = x.min(), x.max()
        out += w * (100.0 * (x - lo) / (hi - lo))
    return out


def bench_scoring(rng: np.random.Generator, repeats: int) -> list[Row]:
    cols = regionen(rng, N_REGIONEN)
    inds = fuenf_indikatoren()
    t = measure(
        {
            "ref": lambda: score_reference(cols, inds),
            "ours": lambda: score_ours(cols, inds),
            "bewerte": lambda: bewerte(cols, inds).index,
        },
        3 * repeats,  # millisecond calls: more runs for a stable median
    )
    ref, ours, full = t["ref"], t["ours"], t["bewerte"]
    for name, t in (("Array-Pfad", ours), ("bewerte", full)):
        if not np.allclose(t.result, ref.result, rtol=0, atol=1e-9):
            raise AssertionError(f"{name}: Index weicht von der Referenz ab")
    return [
        Row(
            "Bewertung 100.000 Sozialräume × 5 Indikatoren (raten + standardisiere + index_aus_werten)",
            "scoring 100k regions × 5 indicators, array path",
            ours,
            ref,
            2.0,
            "Index gleich der Referenz (1e-9) / index equals reference",
        ),
        Row(
            "dieselbe Bewertung über bewerte(dict aus numpy-Spalten)",
            "same via bewerte() incl. validation and ID checks",
            full,
            ref,
            None,
            "ohne Ziel, zur Information / no goal, for information",
        ),
    ]


# --------------------------------------------------------------------------- output


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict[str, str]:
    return {
        "Datum / date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "Plattform / platform": platform.platform(),
        "CPU": f"{cpu_name()}, {os.cpu_count()} logische CPUs / logical CPUs",
        "Python": platform.python_version(),
        "numpy": np.__version__,
    }


def _met(row: Row) -> str:
    if row.met is None:
        return "—"
    return "ja / yes" if row.met else "**nein / no**"


def _ms(t: Timing) -> str:
    return f"{t.median_ms:,.2f}".replace(",", "\u2009")


def _faults(row: Row) -> str:
    if row.ours.faults is None or row.ref.faults is None:
        return "—"
    return f"{row.ours.faults:,.0f} / {row.ref.faults:,.0f}".replace(",", ".")


def print_table(rows: list[Row]) -> None:
    header = (
        f"{'Messung / benchmark':<58} {'ours ms':>10} {'ref ms':>10} {'Faktor':>7} {'Ziel':>5}  erreicht/met"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        goal = f"≤{r.goal:g}×" if r.goal is not None else "—"
        print(
            f"{r.en:<58} {r.ours.median_ms:>10.2f} {r.ref.median_ms:>10.2f} "
            f"{r.ratio:>6.2f}× {goal:>5}  {_met(r)}"
        )
        print(f"  {r.de}")
        print(f"  {r.note}")
        print(f"  Seitenfehler je Aufruf / page faults per call (ours / ref): {_faults(r)}")


def print_messungen(messungen: list[Any]) -> None:
    from bench_common import faktor_text

    for m in messungen:
        erreicht = "—" if m.erreicht is None else ("ja / yes" if m.erreicht else "NEIN / NO")
        print(f"{m.en}\n  {m.wert} | Referenz: {m.referenz} | {faktor_text(m.faktor)}", end="")
        print(f" | Ziel {m.ziel}: {erreicht}")


def markdown_messungen(messungen: list[Any]) -> list[str]:
    from bench_common import faktor_text

    if not messungen:
        return []
    lines = [
        "## Arbeitsmappen, Vertragsanlagen, Excel-Funktionen / workbooks, annexes, UDFs",
        "",
        "| Messung / benchmark | sozbudget_xl | Referenz / reference | Faktor / ratio (Zeit / time) "
        "| Ziel / goal | erreicht / met | Läufe / runs |",
        "|---|---:|---:|---:|---|---|---:|",
    ]
    for m in messungen:
        erreicht = "—" if m.erreicht is None else ("ja / yes" if m.erreicht else "**nein / no**")
        lines.append(
            f"| {m.de}<br>*{m.en}* | {m.wert} | {m.referenz} | {faktor_text(m.faktor)} | {m.ziel} "
            f"| {erreicht} | {m.laeufe} |"
        )
    lines += ["", "### Wie gemessen / how measured", ""]
    lines += [f"- **{m.en}**: {m.notiz}" for m in messungen if m.notiz]
    return [*lines, ""]


def markdown(rows: list[Row], repeats: int, quick: bool, messungen: list[Any] | None = None) -> str:
    lines = [
        "# Benchmarks — sozbudget_xl",
        "",
        "Erzeugt mit / generated by `python benchmarks/run.py --write benchmarks/RESULTS.md`"
        + (" `--quick`" if quick else "")
        + ". Median der Läufe nach einem Aufwärmlauf (`time.perf_counter`); eigene Funktion und Referenz "
        "laufen abwechselnd; Aufrufe unter 20 ms werden innerhalb eines Laufs wiederholt. / Median of "
        "runs after one warm-up call; ours and the reference alternate; calls under 20 ms are repeated "
        "within a run.",
        "",
        "| | |",
        "|---|---|",
    ]
    lines += [f"| {k} | {v} |" for k, v in machine().items()]
    lines += [
        f"| Läufe / runs | bis zu / up to {repeats}, Bewertung / scoring {3 * repeats} "
        f"(ab 3 Läufen Abbruch nach / stop after 3 runs beyond {BUDGET_S:g} s) |",
        "",
    ]
    lines += [
        "| Messung / benchmark | sozbudget_xl (ms) | Referenz / reference (ms) | Faktor / ratio "
        "| Ziel / goal | erreicht / met | Läufe×Aufrufe / runs×calls | Seitenfehler je Aufruf / "
        "page faults per call |",
        "|---|---:|---:|---:|---:|---|---:|---:|",
    ]
    for r in rows:
        goal = f"≤ {r.goal:g}×" if r.goal is not None else "—"
        runs = f"{r.ours.runs}×{r.ours.inner} / {r.ref.runs}×{r.ref.inner}"
        lines.append(
            f"| {r.de}<br>*{r.en}* | {_ms(r.ours)} | {_ms(r.ref)} | {r.ratio:.2f}× "
            f"| {goal} | {_met(r)} | {runs} | {_faults(r)} |"
        )
    lines += ["", "## Anmerkungen / notes", ""]
    lines += [f"- **{r.en}**: {r.note}" for r in rows]
    lines += [
        "- Referenz (a) / reference (a): float64-Quoten `total·w/W`, `floor`, `argpartition` der Reste, "
        "Restcents einzeln — dieselbe Idee ohne exakte Arithmetik; eine Liste wandelt sie mit `np.asarray` "
        "und gibt eine Liste zurück wie `allocate_cents` / same idea without exact arithmetic; a list is "
        "converted with `np.asarray` and answered with a list, as `allocate_cents` does.",
        "- Referenz (b) / reference (b): `z/n`, `100·(x−min)/(max−min)`, gleichgewichteter Mittelwert, "
        "ohne Prüfungen / without validation.",
        "- Seitenfehler / page faults: kleine Seitenfehler (`ru_minflt`) je Aufruf, d. h. frisch vom "
        "Betriebssystem geholter Speicher; sie hängen vom Zustand des Allocators ab (glibc gibt Speicher "
        "oberhalb der Trim-Schwelle zurück) und erklären Schwankungen zwischen Läufen / minor page "
        "faults per call (fresh memory from the OS); they depend on the allocator state and explain "
        "run-to-run variation.",
        "",
    ]
    lines += markdown_messungen(messungen or [])
    zusatz = Path(__file__).resolve().parent / "PROFIL.md"
    if zusatz.exists():  # profile findings and before/after of the fixes (maintained by hand)
        lines += [zusatz.read_text(encoding="utf-8").rstrip(), ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmarks von sozbudget_xl gegen numpy-Referenzen")
    parser.add_argument("--write", type=Path, help="Ergebnisse als Markdown in diese Datei schreiben")
    parser.add_argument("--quick", action="store_true", help="weniger Wiederholungen (3 statt 7)")
    parser.add_argument(
        "--nur",
        default="numpy,start,mappen,boden,kgst,anlagen,udf,analyse",
        help="nur diese Gruppen (numpy, start, mappen, boden, kgst, anlagen, udf, analyse)",
    )
    args = parser.parse_args(argv)
    gruppen = {g.strip() for g in args.nur.split(",") if g.strip()}
    repeats = 3 if args.quick else 7
    rng = np.random.default_rng(SEED)
    started = time.perf_counter()
    rows = bench_allocation(rng, repeats) + bench_scoring(rng, repeats) if "numpy" in gruppen else []
    print_table(rows)
    messungen: list[Any] = []
    runs = 3 if args.quick else 5
    for gruppe, modul in (
        ("start", "bench_start"),
        ("udf", "bench_udf"),
        ("anlagen", "bench_annex"),
        ("mappen", "bench_workbook"),
        ("boden", "bench_boden"),
        ("kgst", "bench_kgst"),
        ("analyse", "bench_analyse"),
    ):
        if gruppe in gruppen:
            t0 = time.perf_counter()
            # annexes: 7 alternating runs of HTML and DOCX (≈ 1–2 s each; 3 were too few for a
            # stable median on a shared machine), PDF stays at 3 (bench_annex caps it)
            neu = __import__(modul).alle(
                runs if gruppe != "anlagen" else 7 if not args.quick else 1, args.quick
            )
            print_messungen(neu)
            print(f"  ({modul}: {time.perf_counter() - t0:.1f} s)")
            messungen += neu
    print(f"\nGesamtlaufzeit / total runtime: {time.perf_counter() - started:.1f} s")
    if args.write:
        args.write.write_text(markdown(rows, repeats, args.quick, messungen), encoding="utf-8")
        print(f"geschrieben / written: {args.write}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
