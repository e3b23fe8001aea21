"""Result types of the models (re-exported from the core module :mod:`sozbudget_xl.ergebnis`)
and the instalment parameters the models share."""

from dataclasses import dataclass
from typing import Any

from ..ergebnis import Art, BudgetModel, LineItem, ModelResult, Warnung, pruefe_aufruf, raten_fuer_positionen

__all__ = [
    "Art",
    "BudgetModel",
    "LineItem",
    "ModelResult",
    "Warnung",
    "Zahlungsparameter",
    "pruefe_aufruf",
    "raten_fuer_positionen",
]


@dataclass(frozen=True)
class Zahlungsparameter:
    """The instalment parameters of a model's ``Parameter`` (domain spec §4): budget year, rhythm,
    working-day shift (default: a due date on a weekend or holiday moves to the next working day),
    Bundesland for the holidays and the due dates of ``zahlungsweise="termine"``. A model's
    ``Parameter`` inherits them (its own fields follow, all with defaults)."""

    jahr: int = 2026
    zahlungsweise: str = "monatlich"
    werktag: bool = True
    bundesland: str | None = None
    #: due dates for ``zahlungsweise="termine"``
    termine: tuple[Any, ...] = ()
