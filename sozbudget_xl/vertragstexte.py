"""Contract texts of a model, rendered from its declaration (:class:`~sozbudget_xl.spec.Vertragstext`).

A text is a Jinja snippet in the model's module. It sees

* ``p`` — the parameters the result was computed with (the model's ``Parameter``),
* ``w`` — the German display word of every choice parameter (``w.zahlungsweise`` →
  „zur Quartalsmitte“),
* ``e`` — the model's input (``Eingabe``), ``k`` — the Kennzahlen by name,
* ``vertrag`` — the contract (None outside an annex),
* the filters ``betrag``, ``prozent``, ``zahl``, ``datum``.

Rendering runs in Jinja's sandbox with undefined names as errors, so a text that names a
parameter the model does not have fails in the tests, not in a contract.

>>> from sozbudget_xl.models import modell
>>> m = modell("kgst")
>>> r = m.berechne(*m.beispiel())
>>> "70,0" in texte(r, "regel")[0]["text"]
True
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from .ergebnis import ModelResult
from .formats import JINJA_FILTERS
from .spec import Deklaration, Vertragstext

__all__ = ["kontext", "rendere", "texte"]


@cache
def _umgebung() -> Any:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
    env.filters.update(JINJA_FILTERS)
    return env


@cache
def _vorlage(text: str) -> Any:
    return _umgebung().from_string(text)


def _modul(result: ModelResult) -> Any:
    from .models import modell

    return modell(result.modell)


def _eine_zeile(text: str) -> str:
    """Line breaks and runs of blanks become one blank; the no-break spaces of the filters stay
    („85.000,00 €“ never breaks between number and unit)."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def kontext(result: ModelResult, vertrag: Any = None) -> dict[str, Any]:
    """The names a contract text sees (see the module docstring)."""
    modul = _modul(result)
    d: Deklaration = modul.DEKLARATION
    p = result.parameter if result.parameter is not None else modul.Parameter()
    w: dict[str, Any] = {}
    for f in d.parameter + d.eingabe:
        if f.auswahl is None:
            continue
        quelle = p if hasattr(p, f.feld) else result.eingabe
        if quelle is not None and hasattr(quelle, f.feld):
            w[f.feld] = f.anzeige_von(getattr(quelle, f.feld))
    return {"p": p, "w": w, "e": result.eingabe, "k": dict(result.kennzahlen), "vertrag": vertrag}


def rendere(text: Vertragstext | str, result: ModelResult, vertrag: Any = None) -> str:
    """One text rendered for ``result`` (and ``vertrag``), blanks collapsed."""
    quelle = text.text if isinstance(text, Vertragstext) else text
    return _eine_zeile(_vorlage(quelle).render(**kontext(result, vertrag)))


def texte(result: ModelResult, art: str, vertrag: Any = None) -> list[dict[str, Any]]:
    """The model's texts of one kind (``regel``, ``ruecklage``, ``revision``, ``bericht``) whose
    condition holds, rendered: ``{"text", "vorschlag", "quelle"}``."""
    d: Deklaration = _modul(result).DEKLARATION
    ctx = kontext(result, vertrag)
    out = []
    for t in d.texte(art):
        if t.wenn is not None and not _umgebung().compile_expression(t.wenn)(**ctx):
            continue
        text = _eine_zeile(_vorlage(t.text).render(**ctx))
        if text:
            out.append({"text": text, "vorschlag": t.vorschlag, "quelle": t.quelle})
    return out
