"""Robustness of an indicator key: Monte-Carlo over uncertain choices, every draw exact.

The user marks choices as uncertain (:class:`Unsicherheit`): the standardisation method, the
sd type, the allocation key, each indicator weight within ±x %, each indicator's inclusion.
Draws come from SALib's Saltelli/Sobol' sequence (seedable); each draw's budget is computed
exactly to the cent (:class:`~.situation.SchnellAuswerter`). Per area: the nominal budget,
median, 5 % and 95 % budget, the rank interval; first-order and total Sobol indices of each
choice on each area's budget and on the overall inequality (Gini of the budgets per head of
the target group), computed by SALib.

SALib is the optional extra ``[analyse]``; it is imported only when needed. Pure: no I/O.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from ..errors import EingabeFehler, SozbudgetError
from ..indicators import METHODEN, SCHLUESSEL
from ..money import from_cents
from .situation import (
    ERSATZWERTE,
    METHODEN_TEXT,
    SchnellAuswerter,
    Situation,
    budget_cents,
    ersetze_fehlende,
    wirksame_gewichte,
)

__all__ = [
    "Robustheit",
    "Unsicherheit",
    "Ziehungen",
    "gini",
    "robustheit",
    "salib",
    "sobol_indizes",
    "sobol_stichprobe",
    "ziehe",
]


def salib() -> tuple[Any, Any]:
    """SALib's Sobol sampler and analyser, or a German error naming the extra to install."""
    try:
        from SALib.analyze import sobol as analyse
        from SALib.sample import sobol as stichprobe
    except ImportError:  # pragma: no cover - depends on the installation
        raise SozbudgetError(
            "für die Robustheitsanalyse wird SALib benötigt: pip install 'sozbudget_xl[analyse]'"
        ) from None
    return stichprobe, analyse


def _problem(namen: Sequence[str]) -> dict[str, Any]:
    return {"num_vars": len(namen), "names": list(namen), "bounds": [[0.0, 1.0]] * len(namen)}


def sobol_stichprobe(
    namen: Sequence[str], n: int, seed: int, bounds: Sequence[Sequence[float]] | None = None
) -> np.ndarray:
    """Saltelli/Sobol' sample (SALib, no second order): ``n·(D+2)`` rows. ``n`` is rounded
    up to a power of two (Sobol' sequences need it)."""
    stichprobe, _ = salib()
    problem = _problem(namen)
    if bounds is not None:
        problem["bounds"] = [list(b) for b in bounds]
    n2 = 1 << max(0, math.ceil(math.log2(max(1, n))))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return stichprobe.sample(problem, n2, calc_second_order=False, scramble=True, seed=seed)


def sobol_indizes(
    namen: Sequence[str],
    y: np.ndarray,
    seed: int,
    bounds: Sequence[Sequence[float]] | None = None,
    num_resamples: int = 100,
) -> dict[str, np.ndarray]:
    """First-order ``S1`` and total ``ST`` Sobol indices (with 95 % intervals ``S1_conf``,
    ``ST_conf``) of the output ``y`` (rows as from :func:`sobol_stichprobe`), by SALib.
    A constant output has all indices 0 (no variance to explain)."""
    _, analyse = salib()
    problem = _problem(namen)
    if bounds is not None:
        problem["bounds"] = [list(b) for b in bounds]
    y = np.asarray(y, dtype=float)
    d = len(namen)
    if y.size == 0 or float(np.var(y)) == 0.0:
        z = np.zeros(d)
        return {"S1": z, "ST": z.copy(), "S1_conf": z.copy(), "ST_conf": z.copy()}
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        r = analyse.analyze(
            problem, y, calc_second_order=False, num_resamples=num_resamples, conf_level=0.95, seed=seed
        )
    return {k: np.nan_to_num(np.asarray(r[k], dtype=float)) for k in ("S1", "ST", "S1_conf", "ST_conf")}


@dataclass(frozen=True)
class Unsicherheit:
    """The choices a user marks as uncertain (empty/0 = fixed at the situation's choice).

    ``methoden``/``sd_typen``/``schluessel``: the alternatives, drawn with equal probability;
    ``gewichte_spanne``: each weight is multiplied by a factor uniform in 1 ± spanne (then all
    weights are renormalised to 100 %); ``indikatoren_weglassen``: each indicator is left out
    with probability ``weglass_anteil``; ``ersatzwerte``: how the missing values (the situation's
    ``fehlend`` and ``fehlende_werte``) are imputed — one choice for all of them.
    """

    methoden: tuple[str, ...] = ()
    sd_typen: tuple[int, ...] = ()
    schluessel: tuple[str, ...] = ()
    gewichte_spanne: float = 0.0
    indikatoren_weglassen: bool = False
    weglass_anteil: float = 0.25
    #: imputation of missing values: the alternatives (keys of ``ERSATZWERTE``) and the cells
    #: (area, indicator) treated as missing besides those the situation already imputed
    ersatzwerte: tuple[str, ...] = ()
    fehlende_werte: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        for m in self.methoden:
            if m not in METHODEN:
                raise EingabeFehler(f"unbekannte Methode „{m}“", expected=", ".join(METHODEN))
        for k in self.schluessel:
            if k not in SCHLUESSEL:
                raise EingabeFehler(f"unbekannter Schlüssel „{k}“", expected=", ".join(SCHLUESSEL))
        for s in self.sd_typen:
            if s not in (0, 1):
                raise EingabeFehler("Standardabweichung: 0 (Grundgesamtheit) oder 1 (Stichprobe)", found=s)
        if not 0 <= self.gewichte_spanne < 1:
            raise EingabeFehler(
                "Spanne der Gewichte muss zwischen 0 und 100 % liegen", found=self.gewichte_spanne
            )
        for e in self.ersatzwerte:
            if e not in ERSATZWERTE:
                raise EingabeFehler(f"unbekannter Ersatzwert „{e}“", expected=", ".join(ERSATZWERTE))
        if not 0 < self.weglass_anteil < 1:
            raise EingabeFehler("Anteil der Ziehungen ohne einen Indikator muss zwischen 0 und 100 % liegen")

    def faktoren(self, sit: Situation) -> list[tuple[str, str, Any]]:
        """(key, German label, payload) of each uncertain choice, in a fixed order."""
        out: list[tuple[str, str, Any]] = []
        if len(self.methoden) > 1:
            out.append(("methode", "Methode", tuple(self.methoden)))
        if len(self.sd_typen) > 1:
            out.append(("sd", "Standardabweichung", tuple(self.sd_typen)))
        if len(self.schluessel) > 1:
            out.append(("schluessel", "Schlüssel", tuple(self.schluessel)))
        if self.gewichte_spanne > 0 and len(sit.auswahl) > 1:
            out += [(f"gewicht:{n}", f"Gewicht „{n}“", n) for n in sit.auswahl]
        if self.indikatoren_weglassen:
            out += [(f"mit:{n}", f"„{n}“ einbezogen", n) for n in sit.auswahl]
        zellen = self.zellen(sit)
        if len(self.ersatzwerte) > 1 and zellen:
            out.append(("ersatz", "Ersatzwert fehlender Werte", tuple(self.ersatzwerte)))
        return out

    def zellen(self, sit: Situation) -> tuple[tuple[str, str], ...]:
        """The cells whose imputation is uncertain: the situation's missing ones and the marked."""
        return tuple(dict.fromkeys((*sit.fehlend, *self.fehlende_werte)))


@dataclass(frozen=True)
class Ziehungen:
    """Raw draws: the sample (rows in [0,1]^D), the budgets in cents (draws × areas)."""

    faktoren: tuple[tuple[str, str, Any], ...]
    x: np.ndarray
    budgets: np.ndarray
    sekunden: float = 0.0


def fakt_ersatz(fakt: Sequence[tuple[str, str, Any]]) -> tuple[str, ...]:
    """The imputation alternatives among the factors (empty when imputation is fixed)."""
    return next((f[2] for f in fakt if f[0] == "ersatz"), ())


def _auswahl(u: float, werte: Sequence[Any]) -> Any:
    return werte[min(int(u * len(werte)), len(werte) - 1)]


def ziehe(
    sit: Situation,
    unsicherheit: Unsicherheit,
    n: int = 256,
    *,
    seed: int = 0,
    fortschritt: Callable[[int, int], None] | None = None,
    x: np.ndarray | None = None,
) -> Ziehungen:
    """Draw the uncertain choices (SALib Sobol' sample, ``n`` rounded up to a power of two,
    ``n·(D+2)`` draws) and compute every draw's budget exactly in cents."""
    import time

    fakt = unsicherheit.faktoren(sit)
    if not fakt:
        raise EingabeFehler(
            "keine unsichere Wahl angegeben: mindestens zwei Methoden, zwei SD-Arten, eine Spanne der "
            "Gewichte, das Weglassen von Indikatoren oder zwei Ersatzwerte für fehlende Werte wählen"
        )
    if x is None:
        x = sobol_stichprobe([f[1] for f in fakt], n, seed)
    aus = SchnellAuswerter(sit)
    je_ersatz = {
        e: SchnellAuswerter(ersetze_fehlende(sit, unsicherheit.zellen(sit), e)) for e in fakt_ersatz(fakt)
    }
    basis_g = wirksame_gewichte(sit.auswahl, sit.gewichte)
    basis = {a: (1.0 / len(sit.auswahl) if g is None else g) for a, g in zip(sit.auswahl, basis_g)}
    spalte = {f[0]: j for j, f in enumerate(fakt)}
    jm, js, jk, je = (spalte.get(k) for k in ("methode", "sd", "schluessel", "ersatz"))
    jg = [(a, spalte.get(f"gewicht:{a}")) for a in sit.auswahl]
    jw = [(a, spalte.get(f"mit:{a}")) for a in sit.auswahl]
    spanne, p = unsicherheit.gewichte_spanne, unsicherheit.weglass_anteil
    out = np.empty((x.shape[0], len(sit.ids)), dtype=np.int64)
    gesamt = x.shape[0]
    t0 = time.perf_counter()
    for i, row in enumerate(x):
        methode = sit.methode if jm is None else _auswahl(row[jm], fakt[jm][2])
        ddof = sit.ddof if js is None else _auswahl(row[js], fakt[js][2])
        schl = sit.schluessel if jk is None else _auswahl(row[jk], fakt[jk][2])
        auswahl = [a for a, j in jw if j is None or row[j] >= p]
        if spanne > 0:
            roh = {
                a: basis[a] * (1.0 + spanne * (2.0 * row[j] - 1.0)) if j is not None else basis[a]
                for a, j in jg
                if a in auswahl
            }
            summe = math.fsum(roh.values())
            gew: dict[str, float | None] = {a: v / summe for a, v in roh.items()} if summe > 0 else {}
        elif len(auswahl) != len(sit.auswahl):
            gew = {a: basis[a] for a in auswahl}
        else:
            gew = dict(sit.gewichte)
        a = aus if je is None else je_ersatz[_auswahl(row[je], fakt[je][2])]
        out[i] = a.budget(auswahl, gew, methode, ddof, schl)
        if fortschritt is not None and ((i + 1) % 500 == 0 or i + 1 == gesamt):
            fortschritt(i + 1, gesamt)
    return Ziehungen(tuple(fakt), x, out, time.perf_counter() - t0)


def gini(budgets: np.ndarray, koepfe: np.ndarray) -> np.ndarray:
    """Gini coefficient (0 = equal, 1 = unequal) of the budgets per head of the target group,
    over the areas with a target group > 0; one value per row of ``budgets``."""
    b = np.atleast_2d(np.asarray(budgets, dtype=float))
    k = np.asarray(koepfe, dtype=float)
    mask = k > 0
    if not mask.any():
        return np.zeros(b.shape[0])
    x = np.sort(b[:, mask] / k[mask], axis=1)
    n = x.shape[1]
    summe = x.sum(axis=1)
    idx = np.arange(1, n + 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        g = (2.0 * (x * idx).sum(axis=1) / (n * summe)) - (n + 1.0) / n
    return np.nan_to_num(g)


def _raenge(b: np.ndarray) -> np.ndarray:
    """Rank 1 = largest budget, per row (ties share the best rank)."""
    out = np.empty_like(b)
    for i, row in enumerate(b):
        sortiert = np.sort(row)[::-1]
        out[i] = np.searchsorted(-sortiert, -row, side="left") + 1
    return out


@dataclass(frozen=True)
class Robustheit:
    """Result of :func:`robustheit` (areas in name order; amounts in €)."""

    ids: tuple[str, ...]
    faktoren: tuple[str, ...]  # German labels
    ziehungen: int
    seed: int
    sekunden: float
    nominal: dict[str, Decimal]
    median: dict[str, Decimal]
    q05: dict[str, Decimal]
    q95: dict[str, Decimal]
    minimum: dict[str, Decimal]
    maximum: dict[str, Decimal]
    rang_nominal: dict[str, int]
    rang_q05: dict[str, int]
    rang_median: dict[str, int]
    rang_q95: dict[str, int]
    s1: dict[str, np.ndarray]  # area (and "Ungleichheit (Gini)") → indices per factor
    st: dict[str, np.ndarray]
    gini_nominal: float = 0.0
    gini_q05: float = 0.0
    gini_q95: float = 0.0
    hinweise: tuple[str, ...] = field(default=())

    @property
    def ziehungen_je_sekunde(self) -> float:
        return self.ziehungen / self.sekunden if self.sekunden > 0 else float("inf")

    def zeilen(self) -> list[dict[str, Any]]:
        """German table: per area nominal, median, 5 %/95 % budget, rank interval, and per factor ST."""
        rows = []
        for s in self.ids:
            row: dict[str, Any] = {
                "Sozialraum": s,
                "Budget (gewählt)": self.nominal[s],
                "Median": self.median[s],
                "5 %": self.q05[s],
                "95 %": self.q95[s],
                "Rang (gewählt)": self.rang_nominal[s],
                "Rang 5 %": self.rang_q05[s],
                "Rang 95 %": self.rang_q95[s],
            }
            for j, f in enumerate(self.faktoren):
                row[f"S1 {f}"] = round(float(self.s1[s][j]), 3)
                row[f"ST {f}"] = round(float(self.st[s][j]), 3)
            rows.append(row)
        return rows


GINI = "Ungleichheit (Gini)"


def robustheit(
    sit: Situation,
    unsicherheit: Unsicherheit,
    n: int = 256,
    *,
    seed: int = 0,
    fortschritt: Callable[[int, int], None] | None = None,
    num_resamples: int = 100,
) -> Robustheit:
    """Monte-Carlo robustness analysis with Sobol indices (see module doc)."""
    z = ziehe(sit, unsicherheit, n, seed=seed, fortschritt=fortschritt)
    namen = [f[1] for f in z.faktoren]
    b = z.budgets
    nominal = budget_cents(sit)
    raenge = _raenge(b)
    rang_nom = _raenge(nominal[None, :])[0]

    def q(arr: np.ndarray, p: float) -> np.ndarray:
        return np.quantile(arr, p, axis=0, method="inverted_cdf")

    s1: dict[str, np.ndarray] = {}
    st: dict[str, np.ndarray] = {}
    for r, s in enumerate(sit.ids):
        ind = sobol_indizes(namen, b[:, r].astype(float) / 100.0, seed, num_resamples=num_resamples)
        s1[s], st[s] = ind["S1"], ind["ST"]
    g = gini(b, sit.zielgruppe)
    ind = sobol_indizes(namen, g, seed, num_resamples=num_resamples)
    s1[GINI], st[GINI] = ind["S1"], ind["ST"]

    def euro(arr: np.ndarray) -> dict[str, Decimal]:
        return {s: from_cents(int(c)) for s, c in zip(sit.ids, arr)}

    def ganz(arr: np.ndarray) -> dict[str, int]:
        return {s: int(c) for s, c in zip(sit.ids, arr)}

    return Robustheit(
        ids=sit.ids,
        faktoren=tuple(namen),
        ziehungen=int(b.shape[0]),
        seed=seed,
        sekunden=z.sekunden,
        nominal=euro(nominal),
        median=euro(q(b, 0.5)),
        q05=euro(q(b, 0.05)),
        q95=euro(q(b, 0.95)),
        minimum=euro(b.min(axis=0)),
        maximum=euro(b.max(axis=0)),
        rang_nominal=ganz(rang_nom),
        rang_q05=ganz(q(raenge, 0.05)),
        rang_median=ganz(q(raenge, 0.5)),
        rang_q95=ganz(q(raenge, 0.95)),
        s1=s1,
        st=st,
        gini_nominal=float(gini(nominal[None, :], sit.zielgruppe)[0]),
        gini_q05=float(np.quantile(g, 0.05)),
        gini_q95=float(np.quantile(g, 0.95)),
    )


def methoden_text(methoden: Sequence[str]) -> str:
    """German list of methods for reports."""
    return ", ".join(METHODEN_TEXT[m] for m in methoden)
