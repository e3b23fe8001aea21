"""Adapter: a :class:`~.situation.Situation` from a workbook (reads files; no arithmetic).

Supported models: ``dreisaeulen`` (Säule 3: Quartiersbudgets by an indicator key) and
``celle`` (budget frame across the Sozialräume, optionally moved toward the indicator key).
The workbook is read and computed by :func:`sozbudget_xl.workbook.recalc.berechne_mappe`
(nothing is written); the situation's budget is checked against the model's own result to
the cent, so every analysis starts from the numbers the workbook shows.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import SozbudgetError
from .situation import Situation, Uebergangsregel, budget_euro, situation_aus_tabelle

__all__ = ["MODELLE", "situation_aus_mappe"]

#: models whose budget per area follows an indicator key
MODELLE = ("dreisaeulen", "celle")


def _zeilen(tabelle: Any) -> list[dict[str, Any]]:
    return [dict(r) for r in (tabelle or ())]


def situation_aus_mappe(pfad: str | Path) -> Situation:
    """Read a workbook and return its indicator-based budget as a situation (German errors)."""
    from ..workbook.recalc import berechne_mappe

    pfad = Path(pfad)
    if not pfad.exists():
        raise SozbudgetError(f"die Datei „{pfad}“ gibt es nicht")
    b = berechne_mappe(pfad)
    name = b.modul.NAME
    e, p = b.eingabe, b.parameter
    if name == "dreisaeulen":
        if not e.quartiere:
            raise SozbudgetError(f"„{pfad.name}“: keine Quartiere – nichts nach Indikatoren verteilt")
        regionen = [
            {**{str(k): v for k, v in dict(q.daten).items()}, "Quartier": q.name.strip()} for q in e.quartiere
        ]
        sit = situation_aus_tabelle(
            regionen,
            tuple(e.indikatoren),
            e.quartiersbudget,
            id_spalte="Quartier",
            zielgruppe=p.zielgruppe or "Jugendeinwohner",
            methode=p.index_methode,
            schluessel=p.index_schluessel,
            bezeichnung=pfad.name,
        )
        modell = {
            r["Quartier"]: r["Quartiersbudget"] for r in _zeilen(b.ergebnis.tabellen.get("Quartiersbudgets"))
        }
    elif name == "celle":
        rows = _zeilen(b.ergebnis.tabellen.get("Sozialraumbudgets"))
        anteile = {r["Sozialraum"]: Decimal(str(r["Anteil"])) for r in rows}
        regionen = [
            {**{str(k): v for k, v in dict(sr.daten).items()}, "Sozialraum": sr.name.strip()}
            for sr in e.sozialraeume
        ]
        ids = sorted(anteile)
        regel = Uebergangsregel(
            tuple(anteile[i] for i in ids),
            jahre=p.uebergang_jahre,
            # without the indicator adjustment the budget is the status quo: year 0
            schritt=p.uebergang_schritt if p.indikator_anpassung else 0,
            kappung=p.kappung,
            skaliert=True,
        )
        if not e.indikatoren and not any(p.zielgruppe in r for r in regionen):
            raise SozbudgetError(
                f"„{pfad.name}“: keine Indikatoren und keine Spalte „{p.zielgruppe}“ – "
                "kein Indikatorschlüssel"
            )
        sit = situation_aus_tabelle(
            regionen,
            tuple(e.indikatoren),
            e.vorjahresrechnungsergebnis,
            zielgruppe=p.zielgruppe,
            methode=p.index_methode,
            schluessel=p.index_schluessel,
            uebergang=regel,
            fonds=p.fonds if p.indikator_anpassung else None,
            bezeichnung=pfad.name,
        )
        modell = {r["Sozialraum"]: r["Budget"] for r in rows}
    else:
        raise SozbudgetError(
            f"„{pfad.name}“ ist eine Mappe des Modells „{name}“; die Analyse braucht ein Modell mit "
            f"Indikatorschlüssel: {', '.join(MODELLE)}"
        )
    eigen = budget_euro(sit)
    abweichend = [s for s in sit.ids if modell.get(s) != eigen[s]]
    if abweichend:  # pragma: no cover - a guard: the analysis must start from the model's numbers
        s = abweichend[0]
        raise SozbudgetError(
            f"„{pfad.name}“: die Analyse weicht vom Modellergebnis ab (Sozialraum „{s}“: "
            f"{eigen[s]} statt {modell.get(s)}) – bitte melden",
        )
    return sit
