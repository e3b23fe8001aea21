"""Instalment plans (Zahlungsplan), domain spec §4.

Rhythms: ``monatlich`` (in advance, on the 1st), ``quartalsweise`` (first day of each
quarter), ``quartalsmitte`` (15 Feb, 15 May, 15 Aug, 15 Nov — Celle), ``jaehrlich``
(1 January) or given dates. The amount is split in exact cents by the largest remainder
method with equal weights, so by default the first instalments take the remainder
cents (option ``rest="letzte"``: the last ones). By default (spec §4) a due date on a
weekend or a public holiday (federal + the chosen state's, as the package ``holidays`` gives
them: :mod:`sozbudget_xl.feiertage`) moves to the next working day — Neujahr is no due date;
``werktag=False`` keeps the calendar dates.

>>> [str(r.betrag) for r in zahlungsplan("1000.00", 2026, "quartalsweise")]
['250.00', '250.00', '250.00', '250.00']
>>> [str(t) for t in faelligkeiten(2026, "quartalsweise")][:2]
['2026-01-02', '2026-04-01']
>>> [str(r.betrag) for r in zahlungsplan("100.00", 2026, "monatlich")][:3]
['8.34', '8.34', '8.34']
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from .errors import EingabeFehler
from .feiertage import LAENDER, feiertage
from .money import euro, from_cents_je

RHYTHMEN = ("monatlich", "quartalsweise", "quartalsmitte", "jaehrlich", "termine")
BUNDESLAENDER = LAENDER

__all__ = [
    "BUNDESLAENDER",
    "RHYTHMEN",
    "Rate",
    "faelligkeiten",
    "naechster_werktag",
    "raten",
    "zahlungsplaene",
    "zahlungsplan",
]


@dataclass(frozen=True, slots=True)
class Rate:
    """One instalment: due date, amount, optional recipient and purpose."""

    faellig: dt.date
    betrag: Decimal
    empfaenger: str | None = None
    zweck: str = ""
    nummer: int = 1


@lru_cache(maxsize=64)
def _holidays(bundesland: str | None, jahr: int) -> frozenset[dt.date]:
    """The holidays of ``jahr`` and ``jahr + 1``: from the table derived from the package
    ``holidays`` (:mod:`sozbudget_xl.feiertage`, no import of the package: ≈ 40 ms of every
    start), outside its years from the package itself."""
    diese, naechste = feiertage(bundesland, jahr), feiertage(bundesland, jahr + 1)
    if diese is not None and naechste is not None:
        return diese | naechste
    import holidays

    return frozenset(holidays.country_holidays("DE", subdiv=bundesland, years=(jahr, jahr + 1)))


def naechster_werktag(tag: dt.date, bundesland: str | None = None) -> dt.date:
    """The day itself if it is a working day, else the next one (Sat, Sun, holidays).

    >>> naechster_werktag(dt.date(2026, 5, 1))  # Tag der Arbeit (Fri) → Mon 4 May
    datetime.date(2026, 5, 4)
    """
    _check_bundesland(bundesland)
    while tag.weekday() >= 5 or tag in _holidays(bundesland, tag.year):
        tag += dt.timedelta(days=1)
    return tag


def _check_bundesland(bundesland: str | None) -> None:
    if bundesland is not None and bundesland not in BUNDESLAENDER:
        raise EingabeFehler(
            f"unbekanntes Bundesland „{bundesland}“",
            field="Bundesland",
            expected="Kürzel wie BY, NW, BE",
        )


def faelligkeiten(
    jahr: int,
    rhythmus: str = "monatlich",
    *,
    termine: Iterable[Any] | None = None,
    werktag: bool = True,
    bundesland: str | None = None,
) -> list[dt.date]:
    """Due dates of one budget year for a rhythm (see module docstring)."""
    if not isinstance(jahr, int) or not 1990 <= jahr <= 2200:
        raise EingabeFehler("ungültiges Haushaltsjahr", field="Jahr", expected="1990 bis 2200", found=jahr)
    if isinstance(rhythmus, str) and rhythmus in _FESTE_TAGE:
        _check_bundesland(bundesland)  # the same error as below, before the cache needs a hashable key
        return list(_feste_faelligkeiten(jahr, rhythmus, bool(werktag), bundesland))
    if rhythmus == "monatlich":
        tage = [dt.date(jahr, m, 1) for m in range(1, 13)]
    elif rhythmus == "quartalsweise":
        tage = [dt.date(jahr, m, 1) for m in (1, 4, 7, 10)]
    elif rhythmus == "quartalsmitte":
        tage = [dt.date(jahr, m, 15) for m in (2, 5, 8, 11)]
    elif rhythmus == "jaehrlich":
        tage = [dt.date(jahr, 1, 1)]
    elif rhythmus == "termine":
        from .formats import parse_datum

        if not termine:
            raise EingabeFehler("keine Zahlungstermine angegeben", field="Termine")
        tage = sorted(parse_datum(t) for t in termine)
    else:
        raise EingabeFehler(
            f"unbekannte Zahlungsweise „{rhythmus}“",
            field="Zahlungsweise",
            expected=", ".join(RHYTHMEN),
        )
    if werktag:
        tage = [naechster_werktag(t, bundesland) for t in tage]
    else:
        _check_bundesland(bundesland)
    return tage


#: the rhythms with fixed due dates: (months, day of the month)
_FESTE_TAGE: dict[str, tuple[tuple[int, ...], int]] = {
    "monatlich": (tuple(range(1, 13)), 1),
    "quartalsweise": ((1, 4, 7, 10), 1),
    "quartalsmitte": ((2, 5, 8, 11), 15),
    "jaehrlich": ((1,), 1),
}


@lru_cache(maxsize=256)
def _feste_faelligkeiten(
    jahr: int, rhythmus: str, werktag: bool, bundesland: str | None
) -> tuple[dt.date, ...]:
    """The due dates of a rhythm with fixed dates (computed once per year, rhythm and state: a
    plan of 1.000 Träger asks the same dates 1.000 times)."""
    monate, tag = _FESTE_TAGE[rhythmus]
    tage = [dt.date(jahr, m, tag) for m in monate]
    if werktag:
        tage = [naechster_werktag(t, bundesland) for t in tage]
    return tuple(tage)


def _gleiche_teile(cents: int, n: int) -> list[int]:
    """``allocate_cents(cents, [1] * n)`` without the general machinery: equal weights have equal
    remainders, so the first ``r`` parts get the ``r`` remainder cents (|cents| = q·n + r); a
    negative amount is the negated split of its absolute value."""
    q, r = divmod(abs(cents), n)
    teile = [q + 1] * r + [q] * (n - r)
    return teile if cents >= 0 else [-t for t in teile]


def raten(
    betrag: Any,
    termine: Sequence[dt.date],
    *,
    rest: str = "erste",
    empfaenger: str | None = None,
    zweck: str = "",
) -> list[Rate]:
    """Split an amount into equal instalments on the given dates, exact to the cent."""
    if rest not in ("erste", "letzte"):
        raise EingabeFehler(f"ungültige Restcent-Regel „{rest}“", field="Rest", expected="erste oder letzte")
    if not termine:
        raise EingabeFehler("keine Zahlungstermine angegeben", field="Termine")
    parts = _gleiche_teile(int(euro(betrag) * 100), len(termine))
    if rest == "letzte":
        parts.reverse()
    return [
        Rate(t, b, empfaenger, zweck, i + 1) for i, (t, b) in enumerate(zip(termine, from_cents_je(parts)))
    ]


def zahlungsplan(
    betrag: Any,
    jahr: int,
    rhythmus: str = "monatlich",
    *,
    termine: Iterable[Any] | None = None,
    werktag: bool = True,
    bundesland: str | None = None,
    rest: str = "erste",
    empfaenger: str | None = None,
    zweck: str = "",
) -> list[Rate]:
    """Instalments of one amount over one budget year."""
    tage = faelligkeiten(jahr, rhythmus, termine=termine, werktag=werktag, bundesland=bundesland)
    return raten(betrag, tage, rest=rest, empfaenger=empfaenger, zweck=zweck)


def zahlungsplaene(
    betraege: Mapping[str, Any],
    jahr: int,
    rhythmus: str = "monatlich",
    *,
    termine: Iterable[Any] | None = None,
    werktag: bool = True,
    bundesland: str | None = None,
    zweck: str = "",
) -> list[Rate]:
    """The instalments of several recipients (recipient → amount; an amount of 0 has none) over
    one budget year, sorted by due date, then by the recipients' order: the same as one
    :func:`zahlungsplan` per recipient (``empfaenger`` = the recipient), joined and sorted stably
    by (due date, recipient order) — built in that order, the due dates computed once (``termine``
    is read once: pass a sequence, as the models do, not a one-shot iterator)."""
    tage: list[dt.date] | None = None
    teile: list[tuple[str, list[Decimal]]] = []
    for empfaenger, betrag in betraege.items():
        if betrag == 0:
            continue
        if tage is None:  # the dates' errors come with the first recipient, as with zahlungsplan
            tage = faelligkeiten(jahr, rhythmus, termine=termine, werktag=werktag, bundesland=bundesland)
        teile.append((empfaenger, from_cents_je(_gleiche_teile(int(euro(betrag) * 100), len(tage)))))
    if tage is None:
        return []
    if any(a > b for a, b in itertools.pairwise(tage)):  # pragma: no cover - due dates are sorted
        plan = [Rate(t, b[i], e, zweck, i + 1) for e, b in teile for i, t in enumerate(tage)]
        rang = {e: i for i, (e, _) in enumerate(teile)}
        plan.sort(key=lambda r: (r.faellig, rang[r.empfaenger]))
        return plan
    plan = []
    for lauf in _laeufe(tage):  # per run of equal dates: each recipient's instalments of the run
        plan += [Rate(tage[i], b[i], e, zweck, i + 1) for e, b in teile for i in lauf]
    return plan


def _laeufe(tage: Sequence[dt.date]) -> list[range]:
    """The positions of the runs of equal consecutive dates."""
    out: list[range] = []
    start = 0
    for i in range(1, len(tage) + 1):
        if i == len(tage) or tage[i] != tage[start]:
            out.append(range(start, i))
            start = i
    return out
