"""An indicator-based budget as plain data (a *Situation*) and its exact budget per area.

A :class:`Situation` holds everything that decides an indicator-based budget (domain spec
§2.3–2.6): the total, the target group ``N_r``, the indicator values per area (rates already
computed with :func:`~sozbudget_xl.indicators.raten`), the indicator selection with directions,
the weights, the method (standardisation, sd type, allocation key), and optionally the
transition from a status quo (years, step, cap) or a common fund.

:func:`budget_cents` computes the budget with the existing core functions only
(:func:`~sozbudget_xl.indicators.schluessel_gewichte`,
:func:`~sozbudget_xl.indicators.budgets_aus_gewichten`,
:func:`~sozbudget_xl.transition.uebergang`), exactly as the models do, so the numbers are the
models' numbers to the cent. :class:`SchnellAuswerter` is the same computation with the
standard values cached per (indicator, method, sd type) — for thousands of draws per second.

Pure: no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

import numpy as np

from ..errors import EingabeFehler
from ..indicators import (
    GEWICHT_STELLEN,
    METHODEN,
    SCHLUESSEL,
    Indicator,
    budgets_aus_gewichten,
    index_aus_werten,
    jugendeinwohnerwert,
    raten,
    schluessel_gewichte,
    standardisiere,
)
from ..models.base import Warnung
from ..money import ZERO, allocate_cents, euro, from_cents
from ..transition import uebergang

__all__ = [
    "ERSATZWERTE",
    "SchnellAuswerter",
    "Situation",
    "Uebergangsregel",
    "budget_cents",
    "budget_euro",
    "ersetze_fehlende",
    "situation_aus_tabelle",
    "traeger_cents",
    "traeger_namen",
    "wirksame_gewichte",
]

#: German labels of the methods and sd types (for reports)
METHODEN_TEXT = {
    "spw": "Standardpunktwert (SPW)",
    "z": "z-Wert",
    "sw": "Standardwert",
    "t": "T-Wert",
    "index100": "Index 100",
    "rang": "Rang",
}
SD_TEXT = {0: "Grundgesamtheit", 1: "Stichprobe"}


@dataclass(frozen=True)
class Uebergangsregel:
    """Transition from the status quo toward the index target (spec §2.6).

    ``status_quo``: per area (in the situation's area order) last year's budget or, with
    ``skaliert=True``, shares of the total (the status quo is then the exact-cent split of
    the situation's total by these shares in name order, as the Celle model does).
    ``schritt``: which year of ``jahre`` is budgeted. ``kappung``: cap as a fraction.
    """

    status_quo: tuple[Decimal, ...]
    jahre: int = 1
    schritt: int = 1
    kappung: Decimal | None = None
    skaliert: bool = False


@dataclass(frozen=True)
class Situation:
    """One indicator-based budget (see module doc). Areas are kept in name order.

    ``werte``: indicator name → value per area; ``auswahl``: the indicators used, in order;
    ``richtung``: indicator name → +1/−1; ``gewichte``: indicator name → weight (fraction) or
    None (equal weights).
    """

    ids: tuple[str, ...]
    gesamt: Decimal
    zielgruppe: np.ndarray
    werte: Mapping[str, np.ndarray]
    auswahl: tuple[str, ...]
    richtung: Mapping[str, int] = field(default_factory=dict)
    gewichte: Mapping[str, float | None] = field(default_factory=dict)
    methode: str = "spw"
    ddof: int = 0
    schluessel: str = "jew"
    uebergang: Uebergangsregel | None = None
    fonds: Decimal | None = None
    zielgruppe_name: str = "Jugendeinwohner"
    bezeichnung: str = ""
    #: optional split of each area's budget among Träger: area → Träger → share (the model's
    #: largest-remainder split in name order, :func:`traeger_cents`); areas not listed go to nobody
    traeger: Mapping[str, Mapping[str, Decimal]] | None = None
    #: cells whose value was missing and imputed (area, indicator), see :func:`ersetze_fehlende`
    fehlend: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.methode not in METHODEN:
            raise EingabeFehler(f"unbekannte Methode „{self.methode}“", expected=", ".join(METHODEN))
        if self.schluessel not in SCHLUESSEL:
            raise EingabeFehler(
                f"unbekannter Verteilungsschlüssel „{self.schluessel}“", expected=", ".join(SCHLUESSEL)
            )
        if self.ddof not in (0, 1):
            raise EingabeFehler(
                "Standardabweichung: 0 (Grundgesamtheit) oder 1 (Stichprobe)", found=self.ddof
            )
        if list(self.ids) != sorted(self.ids):
            raise EingabeFehler(
                "Sozialräume müssen nach Namen sortiert sein (situation_aus_tabelle sortiert)"
            )
        for name in self.auswahl:
            if name not in self.werte:
                raise EingabeFehler("Indikator ohne Werte", column=name)

    def mit(self, **aenderungen: Any) -> Situation:
        """A copy with some fields changed (``dataclasses.replace``)."""
        return replace(self, **aenderungen)

    @property
    def gesamt_cents(self) -> int:
        return int(euro(self.gesamt, allow_negative=False) * 100)


class _Spalten:
    """Numeric columns of the rows; with ``luecken_erlaubt`` a blank indicator cell gets a
    placeholder and is recorded in ``luecken`` (indicator → row numbers) for imputation."""

    def __init__(self, rows: list[dict[str, Any]], id_spalte: str, luecken_erlaubt: bool) -> None:
        self.rows, self.id_spalte, self.erlaubt = rows, id_spalte, luecken_erlaubt
        self.luecken: dict[str, set[int]] = {}

    def __call__(self, name: str, indikator: str | None = None, ersatz: float = 0.0) -> np.ndarray:
        quelle = self.rows
        if self.erlaubt and indikator is not None and any(name in r for r in quelle):
            leer = {i for i, r in enumerate(quelle) if r.get(name) is None or str(r.get(name)).strip() == ""}
            if leer:  # blank cells: a placeholder now, imputed from the other areas later
                self.luecken.setdefault(indikator, set()).update(leer)
                quelle = [{**r, name: ersatz} if i in leer else r for i, r in enumerate(quelle)]
        try:
            return np.asarray([float(r[name]) for r in quelle], dtype=float)
        except KeyError:
            raise EingabeFehler("Spalte fehlt", column=name) from None
        except (TypeError, ValueError):
            bad = next(r for r in quelle if not _ist_zahl(r.get(name)))
            raise EingabeFehler(
                "Wert ist keine Zahl", column=name, region=bad.get(self.id_spalte), found=bad.get(name)
            ) from None


def situation_aus_tabelle(
    regionen: Sequence[Mapping[str, Any]],
    indikatoren: Sequence[Indicator],
    gesamt: Any,
    *,
    id_spalte: str = "Sozialraum",
    zielgruppe: str = "Jugendeinwohner",
    methode: str = "spw",
    ddof: int = 0,
    schluessel: str = "jew",
    uebergang: Uebergangsregel | None = None,
    status_quo: Mapping[str, Any] | None = None,
    jahre: int = 1,
    schritt: int = 1,
    kappung: Any = None,
    fonds: Any = None,
    status_quo_skaliert: bool = False,
    bezeichnung: str = "",
    fehlend: str | None = None,
) -> Situation:
    """Build a :class:`Situation` from rows of base data (as :func:`~sozbudget_xl.indicators.bewerte`
    takes them) and :class:`~sozbudget_xl.indicators.Indicator` definitions.

    Rates are computed with :func:`~sozbudget_xl.indicators.raten` (the same call as in
    ``bewerte``); areas are sorted by name as the models do. ``status_quo`` (area → amount or
    share) switches on the transition with ``jahre``/``schritt``/``kappung``. ``fehlend`` (one of
    :data:`ERSATZWERTE`) allows blank indicator cells: the area's value of that indicator is then
    imputed from the other areas (recorded in ``Situation.fehlend``); without it a blank is an error.
    """
    rows = sorted((dict(r) for r in regionen), key=lambda r: str(r.get(id_spalte, "")))
    if not rows:
        raise EingabeFehler("keine Sozialräume angegeben")
    ids = tuple(str(r.get(id_spalte, "")).strip() for r in rows)
    if len(set(ids)) != len(ids) or any(not i for i in ids):
        raise EingabeFehler("Sozialräume müssen eindeutige, nicht leere Namen haben", column=id_spalte)

    spalte = _Spalten(rows, id_spalte, fehlend is not None)
    werte: dict[str, np.ndarray] = {}
    for ind in indikatoren:
        nn = spalte(ind.nenner, ind.name, 1.0) if ind.nenner else None
        werte[ind.name] = raten(
            spalte(ind.zaehler, ind.name),
            nn,
            faktor=ind.faktor,
            name=ind.name,
            nenner_name=ind.nenner,
            ids=ids,
        )
    richtung = {ind.name: ind.richtung for ind in indikatoren}
    gewichte = {ind.name: None if ind.gewicht is None else float(ind.gewicht) for ind in indikatoren}
    luecken = spalte.luecken
    regel = uebergang
    if regel is None and status_quo is not None:
        sq = tuple(
            Decimal(str(status_quo[i])) if not isinstance(status_quo[i], Decimal) else status_quo[i]
            for i in ids
        )
        regel = Uebergangsregel(
            sq,
            jahre=jahre,
            schritt=schritt,
            kappung=None if kappung is None else Decimal(str(kappung)),
            skaliert=status_quo_skaliert,
        )
    sit = Situation(
        ids=ids,
        gesamt=euro(gesamt, allow_negative=False),
        zielgruppe=spalte(zielgruppe),
        werte=werte,
        auswahl=tuple(ind.name for ind in indikatoren),
        richtung=richtung,
        gewichte=gewichte,
        methode=methode,
        ddof=ddof,
        schluessel=schluessel,
        uebergang=regel,
        fonds=None if fonds is None else Decimal(str(fonds)),
        zielgruppe_name=zielgruppe,
        bezeichnung=bezeichnung,
    )
    if not luecken:
        return sit
    zellen = tuple((ids[i], n) for n in werte if n in luecken for i in sorted(luecken[n]))
    return ersetze_fehlende(sit.mit(fehlend=zellen), zellen, fehlend or "mittelwert")


#: how a missing indicator value is imputed (key → German label)
ERSATZWERTE = {
    "eingetragen": "Wert wie eingetragen",
    "mittelwert": "Mittelwert der übrigen Sozialräume",
    "median": "Median der übrigen Sozialräume",
    "minimum": "kleinster Wert der übrigen Sozialräume",
    "maximum": "größter Wert der übrigen Sozialräume",
    "null": "0",
}


def ersetze_fehlende(sit: Situation, zellen: Sequence[tuple[str, str]], art: str) -> Situation:
    """The situation with the values of ``zellen`` (area, indicator) imputed by ``art`` (a key of
    :data:`ERSATZWERTE`) from the other areas' values of the same indicator; „eingetragen“
    keeps the values as they are."""
    if art not in ERSATZWERTE:
        raise EingabeFehler(f"unbekannter Ersatzwert „{art}“", expected=", ".join(ERSATZWERTE))
    pos = {s: i for i, s in enumerate(sit.ids)}
    je: dict[str, set[int]] = {}
    for s, n in zellen:
        if s not in pos:
            raise EingabeFehler("Sozialraum gibt es nicht", region=s, expected=", ".join(sit.ids))
        if n not in sit.werte:
            raise EingabeFehler("Indikator gibt es nicht", column=n, expected=", ".join(sit.werte))
        je.setdefault(n, set()).add(pos[s])
    if art == "eingetragen" or not je:
        return sit
    werte = dict(sit.werte)
    for n, idx in je.items():
        arr = np.array(werte[n], dtype=float)
        rest = np.delete(arr, sorted(idx))
        if rest.size == 0:
            raise EingabeFehler(
                "kein Sozialraum mit einem Wert: nichts, woraus ersetzt werden kann", column=n
            )
        ersatz = {
            "mittelwert": lambda r: float(np.mean(r)),
            "median": lambda r: float(np.median(r)),
            "minimum": lambda r: float(np.min(r)),
            "maximum": lambda r: float(np.max(r)),
            "null": lambda r: 0.0,
        }[art](rest)
        arr[sorted(idx)] = ersatz
        werte[n] = arr
    return sit.mit(werte=werte)


def _ist_zahl(v: Any) -> bool:
    try:
        return math.isfinite(float(v))
    except (TypeError, ValueError):
        return False


def wirksame_gewichte(auswahl: Sequence[str], gewichte: Mapping[str, float | None]) -> list[float | None]:
    """The weights the composite uses for ``auswahl``: all given → as given (renormalised to
    100 % only when they do not already sum to 100 %, e.g. after an indicator was dropped);
    any missing → equal weights (None)."""
    g = [gewichte.get(n) for n in auswahl]
    if not g or any(x is None for x in g):
        return [None] * len(g)
    total = math.fsum(float(x) for x in g)  # type: ignore[arg-type]
    if total <= 0:
        return [None] * len(g)
    if abs(total - 1.0) <= 1e-9:
        return [float(x) for x in g]  # type: ignore[arg-type]
    return [float(x) / total for x in g]  # type: ignore[arg-type]


def _spalten(sit: Situation) -> tuple[dict[str, Any], list[Indicator], str]:
    """Columns and indicator definitions for :func:`schluessel_gewichte` (values as counts)."""
    cols: dict[str, Any] = {"Sozialraum": list(sit.ids)}
    ziel = sit.zielgruppe_name or "Zielgruppe"
    cols[ziel] = sit.zielgruppe
    inds = []
    g = wirksame_gewichte(sit.auswahl, sit.gewichte)
    for name, gew in zip(sit.auswahl, g):
        spalte = name if name not in cols else f"{name} (Wert)"
        cols[spalte] = sit.werte[name]
        inds.append(Indicator(name, spalte, None, richtung=sit.richtung.get(name, 1), gewicht=gew))
    return cols, inds, ziel


def ziel_gewichte(sit: Situation, warnungen: list[Warnung] | None = None) -> np.ndarray:
    """The allocation weights of the index key (after rounding to 6 decimals), area order."""
    cols, inds, ziel = _spalten(sit)
    _, w, warn = schluessel_gewichte(
        cols,
        inds,
        id_spalte="Sozialraum",
        schluessel=sit.schluessel,
        zielgruppe=ziel,
        methode=sit.methode,
        ddof=sit.ddof,
    )
    if warnungen is not None:
        warnungen.extend(warn)
    return w


def _status_quo(sit: Situation, regel: Uebergangsregel) -> dict[str, Decimal]:
    if not regel.skaliert:
        return dict(zip(sit.ids, regel.status_quo))
    from ..money import allocate

    # name order (ids are sorted), as the Celle model splits its frame
    return dict(zip(sit.ids, allocate(sit.gesamt, list(regel.status_quo))))


def budget_euro(sit: Situation, warnungen: list[Warnung] | None = None) -> dict[str, Decimal]:
    """The budget per area in € (exact cents, sums to the total), computed with the core."""
    w = ziel_gewichte(sit, warnungen)
    ziel = budgets_aus_gewichten(sit.gesamt, sit.ids, w)
    regel = sit.uebergang
    if regel is None and sit.fonds is None:
        return ziel
    if regel is None:
        raise EingabeFehler("ein Fonds braucht einen Status quo (Übergangsregel)", field="Fonds")
    fonds = sit.fonds
    kappung = None if fonds is not None else regel.kappung  # the fund goes first (transition: one step)
    u = uebergang(
        _status_quo(sit, regel), ziel, jahre=regel.jahre, kappung=kappung, fonds=fonds, gesamt=sit.gesamt
    )
    if warnungen is not None:
        warnungen.extend(u.warnungen)
    return u.budget(min(regel.schritt, u.jahre))


def budget_cents(sit: Situation, warnungen: list[Warnung] | None = None) -> np.ndarray:
    """:func:`budget_euro` as integer cents (int64 array in area order)."""
    b = budget_euro(sit, warnungen)
    return np.asarray([int(b[i] * 100) for i in sit.ids], dtype=np.int64)


def traeger_namen(*situationen: Situation) -> tuple[str, ...]:
    """All Träger of the situations' splits, in name order."""
    namen: set[str] = set()
    for sit in situationen:
        for anteile in (sit.traeger or {}).values():
            namen.update(anteile)
    return tuple(sorted(namen))


def traeger_cents(sit: Situation, cents: np.ndarray, namen: Sequence[str]) -> np.ndarray:
    """The budget per Träger (``namen`` order, int cents) from the budget per area in cents:
    each area's budget split by the Träger shares with the largest remainder in name order
    (as the Celle model splits a Sozialraum budget); an area without Träger gives nothing."""
    from ..models._pruefung import verteile_nach_namen

    pos = {n: i for i, n in enumerate(namen)}
    out = np.zeros(len(namen), dtype=np.int64)
    for s, c in zip(sit.ids, cents):
        anteile = (sit.traeger or {}).get(s)
        if not anteile:
            continue
        if len(anteile) == 1:
            out[pos[next(iter(anteile))]] += int(c)
            continue
        for t, b in verteile_nach_namen(from_cents(int(c)), dict(anteile)).items():
            out[pos[t]] += int(b * 100)
    return out


class SchnellAuswerter:
    """Exact budgets of many variants of one situation, fast.

    Standard values are cached per (indicator, method, sd type); each call then does what
    :func:`~sozbudget_xl.indicators.schluessel_gewichte` and
    :func:`~sozbudget_xl.indicators.budgets_aus_gewichten` do — the same functions, in the
    same order — so every result equals :func:`budget_cents` to the cent (tested). Variants
    with a transition or fund go through :func:`budget_cents`.
    """

    def __init__(self, sit: Situation) -> None:
        self.sit = sit
        self.total = sit.gesamt_cents
        self._cache: dict[tuple[str, str, int], np.ndarray] = {}
        self._n = sit.zielgruppe.astype(float)
        if self._n.size and float(self._n.min()) < 0:
            raise EingabeFehler("Einwohnerzahl darf nicht negativ sein", column=sit.zielgruppe_name)

    def standardwerte(self, name: str, methode: str, ddof: int) -> np.ndarray:
        key = (name, methode, ddof)
        s = self._cache.get(key)
        if s is None:
            s, _ = standardisiere(
                self.sit.werte[name], methode, richtung=self.sit.richtung.get(name, 1), ddof=ddof, name=name
            )
            self._cache[key] = s
        return s

    def gewichte(
        self,
        auswahl: Sequence[str],
        gewichte: Sequence[float | None],
        methode: str,
        ddof: int,
        schluessel: str,
    ) -> np.ndarray:
        """Allocation weights as :func:`schluessel_gewichte` computes them."""
        n = self._n
        if auswahl:
            comp = index_aus_werten(
                [self.standardwerte(a, methode, ddof) for a in auswahl], gewichte, auswahl
            )
        else:
            comp = np.zeros(n.size)
        if schluessel == "kopf":
            w = n
        elif schluessel == "basis_faktor":
            w = np.ones(n.size) * (comp / 100.0)
        else:
            w = jugendeinwohnerwert(n, comp)
        if np.any(w < 0):
            w = np.where(w < 0, 0.0, w)
        return np.round(w, GEWICHT_STELLEN)

    def budget(
        self,
        auswahl: Sequence[str] | None = None,
        gewichte: Mapping[str, float | None] | None = None,
        methode: str | None = None,
        ddof: int | None = None,
        schluessel: str | None = None,
    ) -> np.ndarray:
        """Exact budget in cents for a variant (None = the situation's own choice)."""
        sit = self.sit
        a = tuple(sit.auswahl if auswahl is None else auswahl)
        gmap = sit.gewichte if gewichte is None else gewichte
        m = sit.methode if methode is None else methode
        d = sit.ddof if ddof is None else ddof
        k = sit.schluessel if schluessel is None else schluessel
        if sit.uebergang is not None or sit.fonds is not None:
            return budget_cents(sit.mit(auswahl=a, gewichte=dict(gmap), methode=m, ddof=d, schluessel=k))
        w = self.gewichte(a, wirksame_gewichte(a, gmap), m, d, k)
        parts = allocate_cents(self.total, w)
        return np.asarray(parts, dtype=np.int64)


def euro_aus_cents(cents: int) -> Decimal:
    """Integer cents → Decimal euros (re-export for the report modules)."""
    return from_cents(int(cents)) if cents else ZERO
