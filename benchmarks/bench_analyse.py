"""(h) Robustness draws of issue 18: exact budgets per second on 100 Sozialräume × 5 indicators.

Each draw picks a method (six), the sd type, five weights within ±50 %, the inclusion of
each of the five indicators and the imputation of one value treated as missing (five ways;
SALib Sobol' sample) and computes the budget of 5 Mio. € exactly
to the cent (:func:`sozbudget_xl.analyse.robustheit.ziehe`). Reference: the same draws through
the plain core path (:func:`sozbudget_xl.analyse.situation.budget_cents`, i.e.
``schluessel_gewichte`` + ``budgets_aus_gewichten`` per draw) on a subset. Goal: ≥ 2.000
draws per second on one core. Also: an exact Shapley decomposition of the same 100 areas.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from bench_common import Messung, zahl

from sozbudget_xl.analyse.robustheit import Unsicherheit, ziehe
from sozbudget_xl.analyse.situation import budget_cents, ersetze_fehlende, situation_aus_tabelle
from sozbudget_xl.analyse.zerlegung import zerlege
from sozbudget_xl.indicators import fuenf_indikatoren


def _situation(n: int = 100, seed: int = 11) -> Any:
    from run import regionen

    cols = regionen(np.random.default_rng(seed), n)
    rows = [{k: (str(v[i]) if k == "Sozialraum" else float(v[i])) for k, v in cols.items()} for i in range(n)]
    return rows, situation_aus_tabelle(rows, fuenf_indikatoren(), "5000000")


def alle(runs: int, quick: bool) -> list[Messung]:
    rows, sit = _situation()
    u = Unsicherheit(
        methoden=("spw", "z", "sw", "t", "index100", "rang"),
        sd_typen=(0, 1),
        gewichte_spanne=0.5,
        indikatoren_weglassen=True,
        # one value treated as missing: its imputation is uncertain too
        ersatzwerte=("eingetragen", "mittelwert", "median", "minimum", "maximum"),
        fehlende_werte=((sit.ids[0], sit.auswahl[1]),),
    )
    n = 128 if quick else 512
    raten = []
    for _ in range(max(1, runs)):
        z = ziehe(sit, u, n, seed=len(raten))
        raten.append(z.budgets.shape[0] / z.sekunden)
    ours = float(np.median(raten))
    # reference: the plain core path per draw, on the first 300 draws of the last run
    x = z.x[:300]
    ref = ziehe(sit, u, n, x=x)  # same draws through the fast path (must be equal)
    kern = []
    t = time.perf_counter()
    for i in range(x.shape[0]):
        # rebuild each draw's situation and compute it with the core functions
        kern.append(_kern_budget(sit, z.faktoren, x[i], u))
    kern_rate = x.shape[0] / (time.perf_counter() - t)
    if not np.array_equal(np.asarray(kern), ref.budgets):
        raise AssertionError("Robustheit: schnelle Ziehung weicht vom Kernpfad ab")
    # decomposition: population, one indicator and the total change
    neu_rows = [dict(r) for r in rows]
    for r in neu_rows[::7]:
        r["Jugendeinwohner"] = float(r["Jugendeinwohner"]) * 0.95
        r["Arbeitslose"] = float(r["Arbeitslose"]) * 1.1
    neu = situation_aus_tabelle(neu_rows, fuenf_indikatoren(), "5150000").mit(methode="z")
    t = time.perf_counter()
    zl = zerlege(sit, neu)
    zeit_z = time.perf_counter() - t
    return [
        Messung(
            de="Robustheit: centgenaue Ziehungen je Sekunde, 100 Sozialräume × 5 Indikatoren (1 Kern)",
            en="robustness: exact draws per second, 100 areas × 5 indicators (one core)",
            wert=f"{zahl(ours, 0)}/s",
            referenz=f"{zahl(kern_rate, 0)}/s (Kernpfad je Ziehung)",
            faktor=kern_rate / ours,
            ziel="≥ 2.000/s",
            erreicht=ours >= 2000,
            notiz=f"{z.budgets.shape[0]} Ziehungen je Lauf (N={n}, {len(z.faktoren)} unsichere Wahlen); "
            "jede Ziehung gleich dem Kernpfad (geprüft an 300 Ziehungen)",
            laeufe=f"{len(raten)}",
        ),
        Messung(
            de=f"Zerlegung ALT → NEU, 100 Sozialräume, {zl.koalitionen} Koalitionen (exakte Shapley-Werte)",
            en="change decomposition, 100 areas, exact Shapley over all coalitions",
            wert=f"{zahl(zeit_z * 1000, 0)} ms",
            referenz="—",
            faktor=None,
            ziel="—",
            erreicht=None,
            notiz="Summen je Sozialraum und je Faktor centgenau",
            laeufe="1",
        ),
    ]


def _kern_budget(sit: Any, faktoren: Any, row: np.ndarray, u: Unsicherheit) -> np.ndarray:
    """One draw through :func:`budget_cents` (rebuilt situation) — the reference path."""
    import math

    from sozbudget_xl.analyse.robustheit import _auswahl

    spalte = {f[0]: j for j, f in enumerate(faktoren)}
    ersatz = _auswahl(row[spalte["ersatz"]], faktoren[spalte["ersatz"]][2])
    sit = ersetze_fehlende(sit, u.zellen(sit), ersatz)
    methode = _auswahl(row[spalte["methode"]], faktoren[spalte["methode"]][2])
    ddof = _auswahl(row[spalte["sd"]], faktoren[spalte["sd"]][2])
    auswahl = [a for a in sit.auswahl if row[spalte[f"mit:{a}"]] >= u.weglass_anteil]
    basis = 1.0 / len(sit.auswahl)
    roh = {a: basis * (1.0 + u.gewichte_spanne * (2.0 * row[spalte[f"gewicht:{a}"]] - 1.0)) for a in auswahl}
    summe = math.fsum(roh.values())
    gew = {a: v / summe for a, v in roh.items()}
    return budget_cents(sit.mit(auswahl=tuple(auswahl), gewichte=gew, methode=methode, ddof=ddof))


if __name__ == "__main__":  # pragma: no cover
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    for m in alle(3, "--quick" in sys.argv):
        print(m.de, m.wert, m.referenz, m.erreicht)
