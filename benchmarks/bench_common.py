"""Shared helpers of the benchmark modules: timing (median of alternating runs) and one result row.

The modules ``bench_*.py`` each return a list of :class:`Messung`; ``run.py`` prints them and
writes them to RESULTS.md next to the numpy benchmarks (a) and (b).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORKBOOKS = ROOT / "workbooks"
VENV_BIN = Path(sys.executable).parent


def sozbudget_befehl() -> list[str]:
    """The CLI as a user runs it: the ``sozbudget`` entry point of the venv (else ``-m``)."""
    exe = VENV_BIN / "sozbudget"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "sozbudget_xl.cli"]


@dataclass
class Messung:
    """One benchmark figure next to its reference (both measured in the same run)."""

    de: str
    en: str
    wert: str  # ours, formatted with unit
    referenz: str  # reference, formatted with unit ("—" when there is none)
    faktor: float | None  # ours / reference as "how many times the reference" (time ratio)
    ziel: str  # the goal as text ("≤ 1,5×", "schneller / faster", "≥ 30/s", "—")
    erreicht: bool | None  # None: no goal
    notiz: str = ""
    laeufe: str = ""  # runs (e.g. "5 / 5")


def median_ms(ts: Sequence[float]) -> float:
    return statistics.median(ts) * 1000.0


def abwechselnd(
    fns: dict[str, Callable[[], Any]], runs: int, *, warmup: bool = True, budget_s: float = 30.0
) -> dict[str, list[float]]:
    """Wall times in seconds of each function over up to ``runs`` runs, alternating the order run
    by run (a load change on the shared machine hits ours and the reference alike); one
    warm-up call each first; stops after 3 runs once ``budget_s`` is spent."""
    if warmup:
        for fn in fns.values():
            fn()
    keys = list(fns)
    times: dict[str, list[float]] = {k: [] for k in keys}
    spent = 0.0
    for i in range(runs):
        for key in keys[i % len(keys) :] + keys[: i % len(keys)]:
            t = time.perf_counter()
            fns[key]()
            elapsed = time.perf_counter() - t
            spent += elapsed
            times[key].append(elapsed)
        if i + 1 >= 3 and spent > budget_s:
            break
    return times


def lauf(befehl: Sequence[str], **kw: Any) -> subprocess.CompletedProcess[str]:
    """Run a command; raise with its output when it fails."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    r = subprocess.run(list(befehl), capture_output=True, text=True, env=env, check=False, **kw)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(befehl[:4])} … fehlgeschlagen ({r.returncode}): {r.stderr[-2000:]}")
    return r


def zahl(x: float, stellen: int = 1) -> str:
    """German number format with thin-space thousands: 1 234,5."""
    return f"{x:,.{stellen}f}".replace(",", "\u2009").replace(".", ",")


def faktor_text(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}×".replace(".", ",")
