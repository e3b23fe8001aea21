"""Host-neutral catalogue of the ``SRB_…`` worksheet functions.

One entry per function: its name, its German help text, its arguments (Python name, German
display name, German help, optional or not) and the Python function that computes it. The
entries come from :mod:`sozbudget_xl.excel`: the general functions as written there, one
function per model generated from the registry (:func:`sozbudget_xl.excel.modell_funktion`,
:func:`sozbudget_xl.models.namen`, the model's declaration). LibreOffice (IDL,
CalcAddIns.xcu) and xlwings Lite read this catalogue; nothing here is written per model.

>>> f = funktion("SRB_VERTEILEN")
>>> [(a.name, a.anzeige, a.optional) for a in f.argumente]
[('betrag', 'Betrag', False), ('gewichte', 'Gewichte', False)]
>>> [a.anzeige for a in funktion("SRB_KGST").argumente]
['Parameter', 'Träger']
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import excel
from ..models import modell, namen
from ..workbook import schema

__all__ = ["ALLGEMEINE", "Argument", "Funktion", "anzeigename", "funktion", "funktionen"]

#: the general worksheet functions (not per model), in the order users meet them
ALLGEMEINE = (
    "SRB_VERTEILEN",
    "SRB_BETRAG",
    "SRB_STANDARDPUNKTE",
    "SRB_INDEX",
    "SRB_JUGENDEINWOHNERINDEX",
    "SRB_BUDGETSCHLUESSEL",
    "SRB_RATEN",
    "SRB_SOLL_IST",
    "SRB_PROGNOSE",
    "SRB_VERAENDERUNG",
    "SRB_SZENARIEN",
)

#: German display words of argument names that are no plain German word once capitalised
_ANZEIGE = {
    "parameter_bereich": "Parameter",
    "standardwerte_bereich": "Standardwerte",
    "tabelle_mit_kopfzeile": "Tabelle",
    "schluessel": "Schlüssel",
}


@dataclass(frozen=True)
class Argument:
    """One argument of a worksheet function."""

    name: str
    anzeige: str
    hilfe: str
    optional: bool


@dataclass(frozen=True)
class Funktion:
    """One worksheet function: name, German help, arguments and the Python function."""

    name: str
    hilfe: str
    argumente: tuple[Argument, ...]
    aufruf: Callable[..., Any]
    #: registry name of the model (None for the general functions)
    modell: str | None = None


def anzeigename(argument: str) -> str:
    """The German display name of a Python argument name: ``tabelle_mit_kopfzeile`` → „Tabelle“."""
    return _ANZEIGE.get(argument) or argument.replace("_", " ").capitalize()


def _beschreibe(
    f: Callable[..., Any], anzeige: dict[str, str] | None = None, modell_name: str | None = None
) -> Funktion:
    hilfe = excel.ARGUMENT_HILFE.get(f.__name__, {})
    argumente = tuple(
        Argument(
            p.name,
            (anzeige or {}).get(p.name) or anzeigename(p.name),
            hilfe.get(p.name, ""),
            p.default is not inspect.Parameter.empty,
        )
        for p in inspect.signature(f).parameters.values()
    )
    return Funktion(f.__name__, (f.__doc__ or "").strip(), argumente, f, modell_name)


def _modell_eintrag(name: str) -> Funktion:
    """The worksheet function of a model, generated from its declaration; the arguments are
    shown with the German sheet names of the model's tables."""
    f = excel.modell_funktion(name)
    anzeige = {excel._parametername(t.name): t.blatt for t in schema.schema(modell(name).NAME).tabellen}
    return _beschreibe(f, anzeige, modell(name).NAME)


#: the catalogue of the registry as it was last asked for (models can be registered at run time)
_KATALOG: dict[tuple[tuple[str, int], ...], tuple[Funktion, ...]] = {}


def funktionen() -> tuple[Funktion, ...]:
    """All worksheet functions: the general ones, then one per model of the registry."""
    modelle = tuple((n, id(modell(n))) for n in namen())
    if modelle not in _KATALOG:
        allgemein = tuple(_beschreibe(getattr(excel, n)) for n in ALLGEMEINE)
        _KATALOG.clear()
        _KATALOG[modelle] = allgemein + tuple(_modell_eintrag(n) for n, _ in modelle)
    return _KATALOG[modelle]


def funktion(name: str) -> Funktion:
    """The catalogue entry of one function (KeyError when there is none)."""
    for f in funktionen():
        if f.name == name.upper():
            return f
    raise KeyError(name)
