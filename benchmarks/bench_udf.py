"""Benchmark (f): the UDF path. ``SRB_STANDARDPUNKTE`` over 10.000 rows in one call (a range, as
xlwings passes it: a list of 1-element rows) against the same standardisation in plain numpy,
and against 10.000 single-cell calls (one formula per row — the per-call overhead a user avoids
by giving the whole range). The Python functions of :mod:`sozbudget_xl.excel` are called
directly (the xlwings decorators are no-ops on Linux), so Excel's own call overhead
(COM, VBA wrapper) is not included.

``SRB_VERTEILEN`` over 10.000 rows (the same range shape) is measured against a numpy worksheet
function doing the float largest remainder on the same range and answering rows of floats
(goal ≤ 5×, issue 15).
"""

from __future__ import annotations

import numpy as np
from bench_common import Messung, abwechselnd, median_ms, zahl

from sozbudget_xl.excel import SRB_STANDARDPUNKTE, SRB_VERTEILEN

N_ZEILEN = 10_000
GESAMT = 123_456_789.01
ZIEL_VERTEILEN = 5.0


def verteilen_numpy(betrag: float, bereich: list[list[float]]) -> list[list[float]]:
    """Reference: what a numpy worksheet function would do with the same range — array from the
    rows, float largest remainder (argpartition), euros back as rows of floats."""
    w = np.asarray(bereich, dtype=np.float64).ravel()
    total = round(betrag * 100)
    quota = total * w / w.sum()
    parts = np.floor(quota)
    leftover = total - int(parts.sum())
    if leftover:
        parts[np.argpartition(parts - quota, leftover - 1)[:leftover]] += 1.0
    return (parts / 100).reshape(-1, 1).tolist()


def bench_verteilen(runs: int) -> Messung:
    """``SRB_VERTEILEN`` over 10.000 rows (a range as xlwings passes it) against numpy."""
    rng = np.random.default_rng(20240603)
    bereich = [[float(v)] for v in np.round(rng.uniform(500.0, 30_000.0, size=N_ZEILEN), 0)]
    t = abwechselnd(
        {
            "ours": lambda: SRB_VERTEILEN(GESAMT, bereich),
            "ref": lambda: verteilen_numpy(GESAMT, bereich),
        },
        max(5, 4 * runs),  # milliseconds: more runs for a stable median
        budget_s=10.0,
    )
    ergebnis = SRB_VERTEILEN(GESAMT, bereich)
    if isinstance(ergebnis, str) or round(sum(r[0] for r in ergebnis) * 100) != round(GESAMT * 100):
        raise AssertionError(f"SRB_VERTEILEN: Summe nicht exakt ({str(ergebnis)[:200]})")
    ours, ref = median_ms(t["ours"]), median_ms(t["ref"])
    return Messung(
        f"`SRB_VERTEILEN` über {N_ZEILEN:_} Zeilen in einem Aufruf (Bereich als Liste von Zeilen)".replace(
            "0_0", "0.0"
        ),
        f"SRB_VERTEILEN over {N_ZEILEN:,} rows, one call",
        f"{zahl(ours, 2)} ms",
        f"numpy: {zahl(ref, 2)} ms",
        ours / ref,
        "≤ 5×",
        ours / ref <= ZIEL_VERTEILEN,
        "Referenz: derselbe Bereich → `np.asarray` → Float-Quoten, `argpartition` der Reste → Euro als "
        "Zeilen von Floats (ohne Prüfungen, nicht centgenau garantiert) / reference: same range → numpy "
        "float largest remainder → rows of floats, no checks",
        f"{len(t['ours'])} / {len(t['ref'])}",
    )


def alle(runs: int, quick: bool) -> list[Messung]:
    rng = np.random.default_rng(20240602)
    werte = np.round(rng.uniform(0.5, 35.0, size=N_ZEILEN), 1)
    bereich = [[float(v)] for v in werte]  # what xlwings hands over for a 10.000 × 1 range
    einzeln = [float(v) for v in werte]

    def numpy_ref() -> np.ndarray:
        lo, hi = werte.min(), werte.max()
        return 100.0 * (werte - lo) / (hi - lo)

    t = abwechselnd(
        {
            "bereich": lambda: SRB_STANDARDPUNKTE(bereich),
            "ref": numpy_ref,
            "einzeln": lambda: [SRB_STANDARDPUNKTE(v) for v in einzeln],
        },
        max(3, runs),
        budget_s=20.0,
    )
    ergebnis = SRB_STANDARDPUNKTE(bereich)
    if not np.allclose([r[0] for r in ergebnis], numpy_ref(), rtol=0, atol=1e-9):
        raise AssertionError("SRB_STANDARDPUNKTE weicht von der numpy-Referenz ab")
    b, r, e = median_ms(t["bereich"]), median_ms(t["ref"]), median_ms(t["einzeln"])
    return [
        Messung(
            f"`SRB_STANDARDPUNKTE` über {N_ZEILEN:_} Zeilen in einem Aufruf (Bereich als Liste von "
            "Zeilen)".replace("0_0", "0.0"),
            f"SRB_STANDARDPUNKTE over {N_ZEILEN:,} rows, one call",
            f"{zahl(b, 2)} ms",
            f"numpy: {zahl(r, 3)} ms",
            b / r,
            "—",
            None,
            "Referenz: `100·(x−min)/(max−min)` auf einem numpy-Array, ohne Umwandlung der Excel-Werte und "
            "ohne Prüfungen / reference: plain numpy SPW without conversion or checks; ohne Ziel / no goal",
            f"{len(t['bereich'])} / {len(t['ref'])}",
        ),
        Messung(
            f"dieselben {N_ZEILEN:,} Zeilen als {N_ZEILEN:,} Einzelaufrufe (eine Formel je Zeile)".replace(
                ",", "."
            ),
            f"the same {N_ZEILEN:,} rows as {N_ZEILEN:,} single-cell calls",
            f"{zahl(e, 1)} ms ({zahl(1000 * e / N_ZEILEN, 1)} µs je Aufruf / per call)",
            f"ein Aufruf / one call: {zahl(b, 2)} ms",
            e / b,
            "—",
            None,
            "Mehraufwand je Aufruf, den ein Bereichsaufruf spart (in Excel kommt der COM-/VBA-Aufruf "
            "je Zelle hinzu) / per-call overhead a range call avoids (Excel adds its COM/VBA call per cell)",
            f"{len(t['einzeln'])} / {len(t['bereich'])}",
        ),
        bench_verteilen(runs),
    ]
