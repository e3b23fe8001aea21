"""The Jahresabschluss of one contract (issue 16 item 3, issue 12 item 5) — core, no I/O.

The settlement (Abrechnung) of a contract carries the part of the workbook's Jahresabschluss
(:func:`.abschluss.jahresabschluss`) that concerns the contract:

* a table with a row per Träger × Sozialraum (Celle's Verbund reserve, München's Ausschöpfung,
  the Drei-Säulen Aufstockung, every other model's Soll/Ist): the contract's rows — the
  Träger's row in the contract's Sozialraum, or all its rows when the contract covers every
  Sozialraum of the Träger — with their total when there are several;
* a „Position/Betrag“ table settled for one party (Stuttgart's Versorgungsträger, Neunkirchen's
  Trägerverbund): the whole table for the contract of that party (named as Träger or as
  Vertragspartei), nothing for any other contract;
* the reserves and funds of the contract's party, and those held jointly (a Trägerverbund) with
  the contract's part of each (:func:`anteile`: every amount split over the table's rows by
  their share of the Verbund budget, largest remainder, so the parts of all contracts add up
  to the joint account to the cent);
* the Hinweise that name the contract's Träger (and Sozialraum), and those naming no Träger.

Nothing else is recomputed or rounded: every amount is the Jahresabschluss' own, so the rows of
all contracts add up to the sheet's totals to the cent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..ergebnis import Warnung
from ..money import ZERO, allocate
from .abschluss import Abschluss, Konto

__all__ = ["Vertragsabschluss", "anteile", "vertragsabschluss"]

_QUOTE = Decimal("0.0001")
#: Hinweise for the workbook's user only (how to fill the workbook), never in a contract document
NUR_MAPPE = ("vorlaeufig", "revision_ohne_vereinbarung", "bereich_fehlt")
#: columns of the settlement table that are shares (Ist ÷ Soll), never added up
ANTEILE = ("Ausschöpfung",)


@dataclass(frozen=True)
class Vertragsabschluss:
    """The part of a :class:`~.abschluss.Abschluss` that concerns one contract."""

    jahr: int
    stand: int
    vorlaeufig: bool
    regel: str
    spalten: tuple[str, ...]
    #: the contract's rows of the settlement table (all rows of a „Position/Betrag“ table)
    zeilen: tuple[Mapping[str, Any], ...]
    #: total of ``zeilen`` (row tables with more than one row), else None
    summe: Mapping[str, Any] | None
    #: reserves and funds of the contract's party
    konten: tuple[Konto, ...]
    #: reserves and funds held jointly (e.g. the Trägerverbund's)
    gemeinsam: tuple[Konto, ...]
    warnungen: tuple[Warnung, ...]
    #: the contract's part of each account in ``gemeinsam`` (same name and holder)
    anteile: tuple[Konto, ...] = ()
    #: the contract's share of the key the joint accounts are split by (its Budget ÷ the Verbund's)
    quote: Decimal | None = None


def _zeilentabelle(a: Abschluss) -> bool:
    return "Träger" in a.spalten


def _eigene_zeilen(a: Abschluss, traeger: str, sozialraum: str | None) -> list[Mapping[str, Any]]:
    return [
        z
        for z in a.zeilen
        if z.get("Träger") == traeger and (sozialraum is None or z.get("Sozialraum") == sozialraum)
    ]


def _summe(spalten: Sequence[str], zeilen: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """The total row of ``zeilen``: amounts added, shares recomputed as Ist ÷ Soll (or Budget)."""
    if len(zeilen) < 2:
        return None
    out: dict[str, Any] = {"Träger": "Summe", "Sozialraum": None}
    for s in spalten[2:]:
        werte = [z.get(s) for z in zeilen]
        if s not in ANTEILE and all(isinstance(w, Decimal) for w in werte):
            out[s] = sum(werte, ZERO)
    soll = out.get("Soll", out.get("Budget"))
    for s in ANTEILE:
        if s in spalten and isinstance(soll, Decimal) and soll and isinstance(out.get("Ist"), Decimal):
            out[s] = (out["Ist"] / soll).quantize(_QUOTE)
    return out


def _schluessel(a: Abschluss) -> list[tuple[tuple[Any, Any], Decimal]]:
    """(Träger, Sozialraum) → weight of each row in the split of joint accounts: its Budget
    (its Soll when there is no Budget column); equal weights when all are zero."""
    spalte = "Budget" if "Budget" in a.spalten else "Soll"
    zeilen = [z for z in a.zeilen if z.get("Träger") not in (None, "", "Summe")]
    werte = [z.get(spalte) if isinstance(z.get(spalte), Decimal) else ZERO for z in zeilen]
    if not any(w > 0 for w in werte):
        werte = [Decimal(1)] * len(zeilen)
    paare = zip(zeilen, werte, strict=True)
    return [((z.get("Träger"), z.get("Sozialraum")), max(w, ZERO)) for z, w in paare]


def anteile(a: Abschluss, konto: Konto) -> list[tuple[tuple[Any, Any], Konto]]:
    """The joint ``konto`` split over the rows (Träger, Sozialraum) of ``a``'s table by their
    share of the Verbund budget: Anfangsbestand, Zugang and Abgang each by largest remainder, so
    every amount of the parts adds up to the account's to the cent (Endbestand too)."""
    schluessel = _schluessel(a)
    if not schluessel:
        return []
    gewichte = [w for _, w in schluessel]
    spalten = [allocate(b, gewichte) for b in (konto.anfang, konto.zugang, konto.abgang)]
    return [
        (key, Konto(konto.name, konto.traeger, an, zu, ab))
        for (key, _), an, zu, ab in zip(schluessel, *spalten, strict=True)
    ]


def _anteile_des_vertrags(
    a: Abschluss, gemeinsam: Sequence[Konto], zeilen: Sequence[Mapping[str, Any]]
) -> tuple[tuple[Konto, ...], Decimal | None]:
    """The contract's part (sum over its rows) of every joint account, and its share of the key."""
    eigene = {(z.get("Träger"), z.get("Sozialraum")) for z in zeilen}
    schluessel = _schluessel(a)
    gesamt = sum((w for _, w in schluessel), ZERO)
    quote = sum((w for k, w in schluessel if k in eigene), ZERO) / gesamt if gesamt else None
    out = []
    for k in gemeinsam:
        teile = [t for key, t in anteile(a, k) if key in eigene]
        betraege = (sum((getattr(t, f) for t in teile), ZERO) for f in ("anfang", "zugang", "abgang"))
        out.append(Konto(k.name, k.traeger, *betraege))
    return tuple(out), quote


def _genannt(text: str, namen: Iterable[str], muster: str = "{}") -> str | None:
    """The longest of ``namen`` that ``text`` contains (in the form ``muster``)."""
    treffer = [n for n in namen if n and muster.format(n) in text]
    return max(treffer, key=len) if treffer else None


def _betrifft(
    w: Warnung, a: Abschluss, parteien: Sequence[str], sozialraum: str | None, alle_traeger: Sequence[str]
) -> bool:
    """Whether a Hinweis concerns the contract: it names one of its ``parteien`` (and, for a
    contract in one Sozialraum, no other Sozialraum), or names no Träger at all."""
    t = w.traeger or _genannt(w.text, alle_traeger)
    if t is None:
        return True
    if t not in parteien:
        return False
    raeume = {str(z.get("Sozialraum")) for z in a.zeilen if z.get("Sozialraum")}
    s = w.sozialraum or _genannt(w.text, raeume, "„{}“") or _genannt(w.text, raeume, "/ {}:")
    return sozialraum is None or s is None or s == sozialraum


def vertragsabschluss(
    a: Abschluss, traeger: str, sozialraum: str | None = None, vertragspartei: str = ""
) -> Vertragsabschluss:
    """The Jahresabschluss ``a`` for the contract with ``traeger`` in ``sozialraum`` (None: all
    its Sozialräume); ``vertragspartei`` is the party when it is not the Träger (a Verbund)."""
    parteien = [p for p in (traeger, vertragspartei) if p]
    zeilentraeger = {str(z["Träger"]) for z in a.zeilen if z.get("Träger") and z.get("Träger") != "Summe"}
    if _zeilentabelle(a):
        zeilen = _eigene_zeilen(a, traeger, sozialraum)
        eigene = [k for k in a.konten if k.traeger in parteien]
        gemeinsam = [k for k in a.konten if k.traeger not in parteien and k.traeger not in zeilentraeger]
    else:
        ist_partei = a.partei in parteien
        zeilen = list(a.zeilen) if ist_partei else []
        eigene = [k for k in a.konten if k.traeger in parteien]
        gemeinsam = []
    alle = sorted(zeilentraeger | {a.partei} | {k.traeger for k in a.konten} - {""})
    if not _zeilentabelle(a) and a.partei and a.partei not in parteien:
        warnungen: list[Warnung] = []
    else:
        warnungen = [
            w for w in a.warnungen if w.code not in NUR_MAPPE and _betrifft(w, a, parteien, sozialraum, alle)
        ]
    teile, quote = _anteile_des_vertrags(a, gemeinsam, zeilen) if gemeinsam else ((), None)
    return Vertragsabschluss(
        a.jahr, a.stand, a.vorlaeufig, a.regel, a.spalten, tuple(zeilen), _summe(a.spalten, zeilen),
        tuple(eigene), tuple(gemeinsam), tuple(warnungen), teile, quote,
    )  # fmt: skip
