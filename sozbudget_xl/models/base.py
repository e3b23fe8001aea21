"""Result types of the models: re-exported from the core module :mod:`sozbudget_xl.ergebnis`."""

from ..ergebnis import Art, BudgetModel, LineItem, ModelResult, Warnung, pruefe_aufruf, raten_fuer_positionen

__all__ = [
    "Art",
    "BudgetModel",
    "LineItem",
    "ModelResult",
    "Warnung",
    "pruefe_aufruf",
    "raten_fuer_positionen",
]
