"""Soll/Ist and forecast from plain tables (the worksheet functions ``SRB_SOLL_IST`` and
``SRB_PROGNOSE``) — core, no I/O.

Without a model result there is no payment plan: the Soll to date is the Jahres-Soll pro rata
temporis (months/12, half up per row; the Summe adds the rows).

>>> prognose_aus_monaten([100, 100, 100, None, None])
Decimal('1200.00')
>>> prognose_aus_monaten([100, 100, 100], [100] * 3 + [300] * 9)
Decimal('3000.00')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from ..ergebnis import LineItem, ModelResult
from ..errors import EingabeFehler
from ..parsing import Ungueltig, als_text, konvertiere, leer
from .ist import buchungen_aus_zeilen
from .sollist import SollIstStand, prognose, soll_ist_stand

__all__ = ["prognose_aus_monaten", "soll_ist_tabelle"]

KOPF = (
    "Träger", "Sozialraum", "Jahres-Soll", "Soll bis Stand", "Ist bis Stand", "Differenz",
    "Ausschöpfung", "Prognose Jahresende", "Prognoseart",
)  # fmt: skip


def _betrag(wert: Any, was: str) -> Decimal:
    try:
        return konvertiere("betrag", wert)
    except Ungueltig as exc:
        raise EingabeFehler(exc.meldung, field=was, expected=exc.expected, found=exc.found) from None


def _monatswerte(werte: Sequence[Any], was: str) -> list[Decimal | None]:
    out = [None if leer(w) else _betrag(w, f"{was}, Monat {i}") for i, w in enumerate(werte, start=1)]
    if len(out) > 12:
        raise EingabeFehler(
            "mehr als 12 Monatswerte", field=was, expected="höchstens 12 Zellen", found=len(out)
        )
    return out


def prognose_aus_monaten(ist_monate: Sequence[Any], vorjahr: Sequence[Any] = ()) -> Decimal:
    """Year-end forecast from the monthly Ist (blank = not yet reported; the last filled month is
    the reporting month) and optionally the previous year's 12 monthly values (seasonal profile)."""
    werte = _monatswerte(ist_monate, "Ist")
    stand = max((i + 1 for i, w in enumerate(werte) if w is not None), default=0)
    profil = _monatswerte(vorjahr, "Vorjahr") if vorjahr else []
    if profil and len(profil) != 12:
        raise EingabeFehler("das Vorjahr braucht 12 Monatswerte", field="Vorjahr", found=len(profil))
    ist = sum((w for w in werte[:stand] if w is not None), Decimal(0))
    return prognose(ist, stand, [w or Decimal(0) for w in profil] if profil else None)[0]


def _plan(zeilen: Sequence[Mapping[str, Any]], jahr: int) -> ModelResult:
    positionen = []
    for i, z in enumerate(zeilen, start=1):
        soll = next((z[k] for k in ("Jahres-Soll", "Soll", "Budget", "Betrag") if k in z), None)
        if soll is None:
            raise EingabeFehler(
                "Spalte „Soll“ fehlt", item=f"Zeile {i}", expected="Überschrift „Soll“ oder „Budget“"
            )
        traeger = None if leer(z.get("Träger")) else als_text(z["Träger"])
        raum = None if leer(z.get("Sozialraum")) else als_text(z["Sozialraum"])
        positionen.append(
            LineItem("Plan", _betrag(soll, f"Soll, Zeile {i}"), traeger=traeger, sozialraum=raum)
        )
    gesamt = sum((p.betrag for p in positionen), Decimal(0))
    return ModelResult("tabelle", "Plan", jahr, tuple(positionen), gesamt)


def soll_ist_tabelle(
    plan: Sequence[Mapping[str, Any]], ist: Sequence[Sequence[Any]], jahr: int
) -> tuple[list[list[Any]], SollIstStand]:
    """Rows (header first, Summe last, then „Hinweis: …“ rows) of the Soll/Ist of a plan table
    (Träger, Sozialraum, Soll) and an Ist range with header (Monat, Träger, Sozialraum, Ausgaben)."""
    s = soll_ist_stand(_plan(plan, jahr), buchungen_aus_zeilen(ist, blatt="Ist-Bereich"), deckel=None)
    rows: list[list[Any]] = [list(KOPF)]
    for z in (*s.zeilen, s.summe):
        rows.append(
            [z.traeger or "", z.sozialraum or "", z.jahres_soll, z.soll_bis, z.ist_bis, z.differenz,
             z.ausschoepfung, z.prognose, z.prognoseart]
        )  # fmt: skip
    rows += [[f"Hinweis: {w.text}"] for w in s.warnungen]
    return rows, s
