"""Registry of the budget models: name → module with one common interface.

Every model module provides ``NAME``, ``TITEL``, ``QUELLE``, ``BESCHREIBUNG``,
``Parameter``, ``Eingabe``, ``berechne(eingabe, parameter=None)`` and ``beispiel()``
(see :mod:`sozbudget_xl.models.base`).
"""

from __future__ import annotations

import importlib
from types import ModuleType

from ..errors import ModellFehler
from .base import Art, BudgetModel, LineItem, ModelResult, Warnung

#: registry key → module name (in the order of the domain spec §3.1–§3.7)
_MODULES: dict[str, str] = {
    "kgst": "kgst",
    "stuttgart": "stuttgart",
    "neunkirchen": "neunkirchen",
    "muenchen": "muenchen",
    "tuebingen": "tuebingen",
    "celle": "celle",
    "dreisaeulen": "dreisaeulen",
}

#: spellings a user may type (German umlauts, short forms)
ALIASE: dict[str, str] = {
    "kgst 12/1998": "kgst",
    "kgst-bericht": "kgst",
    "münchen": "muenchen",
    "tübingen": "tuebingen",
    "landkreis tübingen": "tuebingen",
    "celle integra": "celle",
    "integra": "celle",
    "drei säulen": "dreisaeulen",
    "drei-säulen": "dreisaeulen",
    "drei-säulen-modell": "dreisaeulen",
    "dreisäulen": "dreisaeulen",
}

__all__ = [
    "ALIASE",
    "MODELLE",
    "Art",
    "BudgetModel",
    "LineItem",
    "ModelResult",
    "Warnung",
    "alle_modelle",
    "modell",
    "namen",
    "registriere",
]

MODELLE: tuple[str, ...] = tuple(_MODULES)

#: models registered at run time (:func:`registriere`): name → module
_REGISTRIERT: dict[str, ModuleType] = {}

#: what a model module must provide
PFLICHT = (
    "NAME",
    "TITEL",
    "QUELLE",
    "BESCHREIBUNG",
    "DEKLARATION",
    "Parameter",
    "Eingabe",
    "berechne",
    "beispiel",
)


def namen() -> tuple[str, ...]:
    """Names of all models: the seven of the report, then the registered ones."""
    return MODELLE + tuple(n for n in _REGISTRIERT if n not in MODELLE)


def registriere(modul: ModuleType) -> ModuleType:
    """Add a model module to the registry. Workbook, worksheet function, annex and README row
    are derived from its ``DEKLARATION``; nothing else needs to change."""
    fehlt = [a for a in PFLICHT if not hasattr(modul, a)]
    if fehlt:
        raise ModellFehler("Modellmodul unvollständig", field="Modell", expected=", ".join(fehlt))
    name = str(modul.NAME).strip().lower()
    if name in _MODULES:
        raise ModellFehler(f"Modell „{name}“ gibt es schon", field="Modell")
    _REGISTRIERT[name] = modul
    return modul


def modell(name: str) -> ModuleType:
    """The model module for a name or alias (case-insensitive); German error if unknown."""
    key = str(name).strip().lower()
    key = ALIASE.get(key, key)
    if key in _REGISTRIERT:
        return _REGISTRIERT[key]
    if key not in _MODULES:
        raise ModellFehler(
            f"unbekanntes Modell „{name}“",
            field="Modell",
            expected=", ".join(namen()),
        )
    return importlib.import_module(f"{__name__}.{_MODULES[key]}")


def alle_modelle() -> list[ModuleType]:
    """All model modules in registry order."""
    return [modell(n) for n in namen()]
