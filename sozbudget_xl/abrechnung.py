"""The settlement (Abrechnung) of a contract and year — the second document type beside the
annex (Vertragsanlage, the plan agreed before the year).

The annex carries only what is agreed in advance; everything the year brings goes here:
whether each condition was met, the bonus earned with the indicators' actual values, the
quality share redistributed between Träger, overruns and how they were covered, events, the
reserve formed. Nothing is recomputed: the facts are the model result's rows that name the
contract (every column, each formatted by its declared unit) and its warnings.

>>> from sozbudget_xl.models import modell
>>> from sozbudget_xl import annex
>>> m = modell("kgst")
>>> r = m.berechne(*m.beispiel())
>>> ctx = kontext(r, annex.vertraege(r)[0])
>>> ctx["art"], ctx["titel"]
('abrechnung', 'Abrechnung Sozialraumbudget 2026')
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .ergebnis import Art, ModelResult

__all__ = ["DOCX_VORLAGE", "HTML_VORLAGE", "kontext"]

HTML_VORLAGE = "abrechnung.html.j2"
DOCX_VORLAGE = "abrechnung.docx"

#: status words of a condition in the model's tables (lower case) → display class
_ERFUELLT = {"erfüllt", "ja", "ausgezahlt", "anerkannt"}
_NICHT = {"nicht erfüllt", "nein", "einbehalten", "nicht anerkannt"}


def _status(text: Any) -> str:
    t = str(text or "").strip().lower()
    if t in _ERFUELLT:
        return "erfuellt"
    if t in _NICHT:
        return "nicht-erfuellt"
    return ""


def _bedingungen(ctx: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The contract's conditional and bonus line items with their condition."""
    return [
        {
            "position": p["position"],
            "bedingung": p["bedingung"] or "–",
            "art_text": p["art_text"],
            "betrag": p["betrag"],
        }
        for p in ctx["positionen"]
        if p["art"] in (str(Art.BEDINGT), str(Art.BONUS))
    ]


def _ergebnistabellen(tabellen: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every result table row naming the contract, all columns (name, text, status class)."""
    out = []
    for name, t in tabellen.items():
        zeilen = [
            [
                {"spalte": s, "text": z[s]["text"], "zahl": z[s]["zahl"], "status": _status(z[s]["text"])}
                for s in t["spalten"]
            ]
            for z in t["zellen"]
        ]
        out.append({"name": name, "zeilen": zeilen})
    return out


def kontext(result: ModelResult, vertrag: Any) -> dict[str, Any]:
    """Template context of the settlement: the annex context (parties, line items, totals, plan)
    plus ``bedingungen``, ``ergebnistabellen`` (every row of the result naming the contract, all
    columns), ``bonusindikatoren`` with actual values and ``warnungen`` (overruns, events)."""
    from . import annex

    ctx = annex.kontext(result, vertrag, abrechnung=True)
    hat_bonus = bool(ctx["summe_bonus"]) or any(p["art"] == str(Art.BONUS) for p in ctx["positionen"])
    kopf = [f"Abrechnung {vertrag.haushaltsjahr}", f"Nr. {vertrag.vertragsnummer}", ctx["vertragspartei"]]
    ctx.update(
        {
            "art": "abrechnung",
            "titel": f"Abrechnung Sozialraumbudget {vertrag.haushaltsjahr}",
            "kopfzeile": " · ".join(k for k in [*kopf, ctx["sozialraum"] or ""] if k and k != "Nr. "),
            "bedingungen": _bedingungen(ctx),
            "ergebnistabellen": _ergebnistabellen(ctx["tabellen"]),
            "bonus_verdient": ctx["summe_bonus"] if hat_bonus else Decimal("0.00"),
            "abschlaege": ctx["zahlungsplan_summe"],
        }
    )
    return ctx
