"""A small eighth model, declared in one module and registered through the registry alone.

„Pauschale nach Anteilen“: the Gesamtbudget of a Sozialraum is split over its Träger by their
shares (largest remainder); the whole budget is paid in instalments.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sozbudget_xl.einheiten import Einheit
from sozbudget_xl.models import _pruefung as pr
from sozbudget_xl.models.base import LineItem
from sozbudget_xl.money import allocate
from sozbudget_xl.spec import (
    Angabe,
    Ausgabetabelle,
    Deklaration,
    Feld,
    Kennzahl,
    Spalte,
    Tabelle,
    Vertragstext,
    zahlung,
)

NAME = "zusatz"
TITEL = "Pauschale nach Anteilen (Testmodell)"
QUELLE = "Testmodell"
BESCHREIBUNG = "Verteilt das Gesamtbudget eines Sozialraums nach Anteilen auf die Träger."


@dataclass(frozen=True)
class Parameter:
    jahr: int = 2026
    zahlungsweise: str = "quartalsweise"
    werktag: bool = False
    bundesland: str | None = None


@dataclass(frozen=True)
class Traeger:
    name: str
    anteil: Decimal


@dataclass(frozen=True)
class Eingabe:
    gesamtbudget: Decimal
    traeger: tuple[Traeger, ...]
    sozialraum: str = "Mitte"


def berechne(eingabe: Eingabe, parameter: Parameter | None = None):
    p = parameter or Parameter()
    teile = allocate(Decimal(eingabe.gesamtbudget), [t.anteil for t in eingabe.traeger])
    positionen = [
        LineItem("Pauschale", b, traeger=t.name, sozialraum=eingabe.sozialraum)
        for t, b in zip(eingabe.traeger, teile)
    ]
    zeilen = [{"Träger": t.name, "Anteil": t.anteil, "Budget": b} for t, b in zip(eingabe.traeger, teile)]
    kennzahlen = {"Gesamtbudget": sum(teile, Decimal(0)), "Anzahl Träger": len(teile)}
    return pr.ergebnis(NAME, TITEL, QUELLE, p, positionen, [], kennzahlen, {"Übersicht": zeilen},
                       parameter=p, eingabe=eingabe)  # fmt: skip


def beispiel() -> tuple[Eingabe, Parameter]:
    traeger = (Traeger("Caritas", Decimal("0.6")), Traeger("AWO", Decimal("0.4")))
    return Eingabe(Decimal("100000.00"), traeger), Parameter()


DEKLARATION = Deklaration(
    eingabe=(
        Feld("sozialraum", "Sozialraum", "text", "Name des Sozialraums"),
        Feld("gesamtbudget", "Gesamtbudget", "betrag", "Budget des Sozialraums"),
    ),
    parameter=zahlung(termine=False),
    tabellen=(
        Tabelle(
            "Traeger",
            "Träger",
            "traeger",
            (Feld("name", "Träger", "text"), Feld("anteil", "Anteil", "prozent")),
        ),
    ),
    kennzahlen=(Kennzahl("Gesamtbudget", Einheit.EURO), Kennzahl("Anzahl Träger", Einheit.ANZAHL)),
    ausgaben=(
        Ausgabetabelle(
            "Übersicht",
            (
                Spalte("Träger", Einheit.TEXT),
                Spalte("Anteil", Einheit.ANTEIL),
                Spalte("Budget", Einheit.EURO),
            ),
            traeger="Träger",
        ),
    ),
    vertragstexte=(
        Vertragstext("regel", "Das Budget wird nach Anteilen verteilt und {{ w.zahlungsweise }} gezahlt."),
    ),
    angaben=(Angabe("Übersicht", "Budget des Trägers", "Budget"),),
)
