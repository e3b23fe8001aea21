"""Transition from the status quo to the index target (domain spec §2.6, source §6.2
„Übergangsberechnungen“, „gemeinsamer Fonds“).

Given last year's budgets per region (status quo) and target weights (the index key):

* **linear path** over N years: ``share_t = share_0 + (share_target − share_0)·t/N``; year
  t's budgets are the exact-cent split of the total by ``share_t``;
* **cap** (Kappungsgrenze, ``kappung`` = p as a fraction): no region's budget changes by
  more than ±p of its previous-year budget. Regions hitting the cap are fixed at the cap
  (rounded to the cent towards the inside); the amount they free or miss is spread over
  the uncapped regions by the target key (added to their path amounts), as far as their
  own caps allow — solved exactly, not by trial. The total stays exact. No region passes
  its target and comes back (a region moving down stops at its target, one moving up too),
  so every path is monotone. If the target is not reached in N years, a warning says so;
* **common fund** (``fonds`` = f as a fraction): every region pays f of its status quo
  into a fund, and the fund is distributed by the index key (one step, year 1).

The result lists per region and year: status quo, target, transition amount and delta.

>>> u = uebergang({"A": "600.00", "B": "400.00"}, {"A": 1, "B": 1}, jahre=2)
>>> [str(u.budget(t)["A"]) for t in (1, 2)]
['550.00', '500.00']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .errors import EingabeFehler, GewichtFehler
from .models.base import Warnung
from .money import ZERO, allocate_cents, euro, exact_weight, from_cents, to_decimal

__all__ = ["Uebergang", "uebergang"]


@dataclass(frozen=True)
class Uebergang:
    """Budgets per year (1..jahre) and region; ``zeilen`` is the German result table."""

    regionen: tuple[str, ...]
    status_quo: Mapping[str, Decimal]
    ziel: Mapping[str, Decimal]
    budgets: tuple[Mapping[str, Decimal], ...]
    warnungen: tuple[Warnung, ...] = field(default=())

    @property
    def jahre(self) -> int:
        return len(self.budgets)

    @property
    def gesamt(self) -> Decimal:
        return sum(self.ziel.values(), ZERO)

    def budget(self, t: int) -> dict[str, Decimal]:
        """Budgets of transition year t (1..jahre); t = 0 is the status quo."""
        if t == 0:
            return dict(self.status_quo)
        if not 1 <= t <= self.jahre:
            raise EingabeFehler(f"Übergangsjahr {t} gibt es nicht", expected=f"1 bis {self.jahre}")
        return dict(self.budgets[t - 1])

    @property
    def zeilen(self) -> list[dict[str, Any]]:
        """Per region and year: Sozialraum, Jahr, Status quo, Ziel, Übergangsbetrag, Veränderung."""
        rows = []
        for t in range(1, self.jahre + 1):
            prev, cur = self.budget(t - 1), self.budget(t)
            for r in self.regionen:
                rows.append(
                    {
                        "Sozialraum": r,
                        "Jahr": t,
                        "Status quo": self.status_quo[r],
                        "Ziel": self.ziel[r],
                        "Übergangsbetrag": cur[r],
                        "Veränderung": cur[r] - prev[r],
                        "Abstand zum Ziel": self.ziel[r] - cur[r],
                    }
                )
        return rows


def _split(total_cents: int, weights: list[Fraction]) -> list[int]:
    return [int(c) for c in allocate_cents(total_cents, weights)]


def _capped_year(
    total: int, prev: list[int], share: list[Fraction], key: list[Fraction], cap: Fraction, target: list[int]
) -> list[int]:
    """One year under the cap, in cents: bounds ``prev·(1 ± cap)`` (whole cents, rounded towards
    the inside, so rounding never crosses the cap), tightened so that no region passes its
    target or turns back (:func:`_ohne_ueberschiessen`), then :func:`_bounded_year`."""
    lo = [_ceil(Fraction(p) * (1 - cap)) for p in prev]
    hi = [_floor(Fraction(p) * (1 + cap)) for p in prev]
    if not sum(lo) <= total <= sum(hi):
        raise EingabeFehler(
            "die Kappungsgrenze ist zu eng für die Änderung des Gesamtbudgets",
            field="Kappungsgrenze",
            expected=f"Gesamtbudget zwischen {from_cents(sum(lo))} und {from_cents(sum(hi))} €",
            found=f"{from_cents(total)} €",
        )
    lo, hi = _ohne_ueberschiessen(total, prev, target, lo, hi)
    return _bounded_year(total, share, key, lo, hi)


def _ohne_ueberschiessen(
    total: int, prev: list[int], target: list[int], lo: list[int], hi: list[int]
) -> tuple[list[int], list[int]]:
    """Bounds between last year's budget and the target: a region moving down stays at or above
    its target, one moving up at or below it, and none turns back — so every path is monotone
    and never overshoots the target to come back later. Last year's budget always lies within
    the tightened bounds; they are used whenever they can hold the total (always when the total
    equals last year's; a changed total in year 1 may need the cap's full range)."""
    lo2 = [max(a, min(p, t)) for a, p, t in zip(lo, prev, target)]
    hi2 = [min(b, max(p, t)) for b, p, t in zip(hi, prev, target)]
    if sum(lo2) <= total <= sum(hi2):
        return lo2, hi2
    return lo, hi


def _bounded_year(
    total: int, share: list[Fraction], key: list[Fraction], lo: list[int], hi: list[int]
) -> list[int]:
    """One year within whole-cent bounds ``lo_i ≤ budget_i ≤ hi_i`` (Σ lo ≤ total ≤ Σ hi).

    Each region wants its path amount ``d_i = share_i · total``. The amount that bounded
    regions free or miss is spread over the others by the target key ``key_i``: find
    μ with ``Σ clip(d_i + μ·key_i, lo_i, hi_i) = total`` (monotone in μ; breakpoints
    ``(lo_i − d_i)/key_i`` and ``(hi_i − d_i)/key_i``). Bounded regions keep their bound, the
    others share the rest in proportion to ``d_i + μ·key_i``, exact to the cent.
    """
    desired = [s * total for s in share]

    def clipped(mu: Fraction) -> list[Fraction]:
        return [min(max(d + mu * k, Fraction(a)), Fraction(b)) for d, k, a, b in zip(desired, key, lo, hi)]

    points = sorted({(x - d) / k for d, k, a, b in zip(desired, key, lo, hi) if k > 0 for x in (a, b)})
    if not points or sum(clipped(points[-1])) < total or sum(clipped(points[0])) > total:
        # the key alone cannot place the money (regions with key 0 stay where their path puts
        # them): start from the nearest end and move the rest by head-room, in proportion to it
        end = clipped(points[-1] if points else Fraction(0))
        base = [_floor(v) if sum(end) <= total else _ceil(v) for v in end]
        return _by_room(base, total, lo, hi)
    # binary search for the first breakpoint whose clipped sum reaches the total
    left, right = 0, len(points) - 1
    while left < right:
        mid = (left + right) // 2
        if sum(clipped(points[mid])) >= total:
            right = mid
        else:
            left = mid + 1
    upper = points[left]
    lower = points[left - 1] if left > 0 else upper
    probe = (lower + upper) / 2
    budgets: dict[int, int] = {}
    free: list[int] = []
    for i, (d, k, a, b) in enumerate(zip(desired, key, lo, hi)):
        v = d + probe * k
        if k > 0 and a < v < b:
            free.append(i)
        else:
            budgets[i] = _floor(min(max(v, Fraction(a)), Fraction(b)))
    if free:
        rest = total - sum(budgets.values())
        mu = (rest - sum(desired[i] for i in free)) / sum(key[i] for i in free)
        budgets.update(zip(free, _split(rest, [desired[i] + mu * key[i] for i in free])))
    return _by_room([budgets[i] for i in range(len(lo))], total, lo, hi)


def _by_room(base: list[int], total: int, lo: list[int], hi: list[int]) -> list[int]:
    """Move the cents still missing (or in excess) to the regions with head-room to their
    upper (lower) bound, in proportion to it; a no-op when ``base`` already sums to ``total``."""
    rest = total - sum(base)
    if rest == 0:
        return base
    room = [b - v for v, b in zip(base, hi)] if rest > 0 else [v - a for v, a in zip(base, lo)]
    moved = _split(abs(rest), room)
    return [v + (m if rest > 0 else -m) for v, m in zip(base, moved)]


def _floor(x: Fraction) -> int:
    return x.numerator // x.denominator


def _ceil(x: Fraction) -> int:
    return -((-x.numerator) // x.denominator)


def _pruefe_regionen(
    status_quo: Mapping[str, Any], ziel_gewichte: Mapping[str, Any], jahre: Any
) -> tuple[str, ...]:
    """The regions of the status quo; German errors for none, differing regions or bad years."""
    regionen = tuple(status_quo)
    if not regionen:
        raise EingabeFehler("keine Sozialräume für die Übergangsrechnung angegeben")
    if set(ziel_gewichte) != set(regionen):
        missing = sorted(set(regionen) ^ set(ziel_gewichte), key=str)[0]
        raise EingabeFehler("Status quo und Zielschlüssel nennen verschiedene Sozialräume", region=missing)
    if not isinstance(jahre, int) or isinstance(jahre, bool) or not 1 <= jahre <= 50:
        raise EingabeFehler(
            "Zahl der Übergangsjahre ungültig", field="Jahre", expected="1 bis 50", found=jahre
        )
    return regionen


def _status_quo_cent(status_quo: Mapping[str, Any], regionen: tuple[str, ...]) -> dict[str, int]:
    """Last year's budget per region in cents (errors name the region)."""
    sq = {}
    for r in regionen:
        try:
            sq[r] = int(euro(status_quo[r], allow_negative=False) * 100)
        except EingabeFehler as exc:
            raise type(exc)(exc.message, region=r, field="Status quo", found=status_quo[r]) from None
    return sq


def _zielgewichte(ziel_gewichte: Mapping[str, Any], regionen: tuple[str, ...]) -> list[Fraction]:
    """The target weights as exact fractions; none negative, not all 0."""
    w: list[Fraction] = []
    for r in regionen:
        try:
            f = exact_weight(ziel_gewichte[r])
        except EingabeFehler:
            raise GewichtFehler(
                "Zielgewicht ist keine Zahl", region=r, field="Zielgewicht", found=ziel_gewichte[r]
            ) from None
        if f < 0:
            raise GewichtFehler(
                "Zielgewicht ist negativ", region=r, field="Zielgewicht", found=ziel_gewichte[r]
            )
        w.append(f)
    if sum(w) == 0:
        raise GewichtFehler("alle Zielgewichte sind 0", field="Zielgewicht")
    return w


def _fonds_jahr(
    regionen: tuple[str, ...], sq: Mapping[str, int], total: int, w: list[Fraction], fund: Fraction
) -> list[int]:
    """Common fund: every region pays f of its status quo in; the fund follows the index key."""
    paid = [_floor(Fraction(sq[r]) * fund) for r in regionen]
    fund_total = total - sum(sq[r] - p for r, p in zip(regionen, paid))
    if fund_total < 0:
        raise EingabeFehler(
            "das neue Gesamtbudget ist kleiner als der Status quo nach Fondsabzug", field="Gesamtbudget"
        )
    extra = _split(fund_total, w)
    return [sq[r] - p + e for r, p, e in zip(regionen, paid, extra)]


def _pfad_jahre(
    regionen: tuple[str, ...],
    sq: Mapping[str, int],
    total: int,
    w: list[Fraction],
    jahre: int,
    cap: Fraction | None,
) -> list[list[int]]:
    """The budgets in cents of years 1..jahre on the linear path, under the cap if any."""
    sq_total = sum(sq.values())
    wsum = sum(w)
    s0 = [Fraction(sq[r], sq_total) if sq_total else Fraction(0) for r in regionen]
    st = [wi / wsum for wi in w]
    prev = [sq[r] for r in regionen]
    if sq_total == 0:
        prev = [0] * len(regionen)
    target = _split(total, w)
    years: list[list[int]] = []
    for t in range(1, jahre + 1):
        path = [a + (b - a) * Fraction(t, jahre) for a, b in zip(s0, st)] if sq_total else st
        if cap is not None:
            year = _capped_year(total, prev, path, st, cap, target)
        else:
            year = _split(total, path)
            zwischen = all(min(p, z) <= y <= max(p, z) for y, p, z in zip(year, prev, target))
            if not zwischen and sum(prev) == total:  # a remainder cent against the direction
                lo, hi = _ohne_ueberschiessen(total, prev, target, list(prev), list(prev))
                year = _bounded_year(total, path, st, lo, hi)
        years.append(year)
        prev = year
    return years


def uebergang(
    status_quo: Mapping[str, Any],
    ziel_gewichte: Mapping[str, Any],
    *,
    jahre: int = 1,
    kappung: Any = None,
    fonds: Any = None,
    gesamt: Any = None,
) -> Uebergang:
    """Transition budgets from the status quo towards the index target (see module doc).

    ``status_quo``: region → last year's budget; ``ziel_gewichte``: region → target weight
    (e.g. JEW); ``kappung``/``fonds``: fractions (0.05 = 5 %); ``gesamt``: the new total
    (default: the status-quo total).
    """
    regionen = _pruefe_regionen(status_quo, ziel_gewichte, jahre)
    sq = _status_quo_cent(status_quo, regionen)
    w = _zielgewichte(ziel_gewichte, regionen)
    total = int(euro(gesamt, allow_negative=False) * 100) if gesamt is not None else sum(sq.values())
    sq_total = sum(sq.values())
    cap = _fraction_param(kappung, "Kappungsgrenze")
    fund = _fraction_param(fonds, "Fonds")
    if fund is not None and kappung is not None:
        raise EingabeFehler("Fonds und Kappungsgrenze können nicht zugleich gewählt werden", field="Fonds")
    if sq_total == 0 and (cap is not None or fund is not None):
        raise EingabeFehler(
            "Status quo ist überall 0: Kappung und Fonds brauchen einen Status quo", field="Status quo"
        )

    target = _split(total, w)
    warnungen: list[Warnung] = []
    if fund is not None:
        years = [_fonds_jahr(regionen, sq, total, w, fund)]
    else:
        years = _pfad_jahre(regionen, sq, total, w, jahre, cap)
        if cap is not None and years[-1] != target:
            warnungen.append(
                Warnung(
                    f"wegen der Kappungsgrenze ist der Zielschlüssel nach {jahre} Jahr(en) "
                    "noch nicht erreicht",
                    code="ziel_nicht_erreicht",
                )
            )
    return Uebergang(
        regionen=regionen,
        status_quo={r: from_cents(sq[r]) for r in regionen},
        ziel={r: from_cents(c) for r, c in zip(regionen, target)},
        budgets=tuple({r: from_cents(c) for r, c in zip(regionen, year)} for year in years),
        warnungen=tuple(warnungen),
    )


def _fraction_param(value: Any, name: str) -> Fraction | None:
    if value is None:
        return None
    try:
        f = Fraction(to_decimal(value, name))
    except EingabeFehler:
        raise EingabeFehler(f"{name} ist keine Zahl", field=name, found=value) from None
    if not 0 <= f <= 1:
        raise EingabeFehler(
            f"{name} muss zwischen 0 und 100 % liegen", field=name, expected="0 bis 100 %", found=value
        )
    return f
