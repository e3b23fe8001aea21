"""Neunkirchen (source §5.2; domain spec §3.3): Trägerverbund with a cost-based start budget.

Rules, in the order of the source:

1. **Budget from the last settled year** (§5.2 „Budgetbemessung … an den fallspezifischen und
   auf Hilfearten bezogenen Gegebenheiten zurückliegender Abrechnungsräume“): the budget of the
   Sozialraum is the sum over the Hilfearten (§§ 27–35, 35a, 41 SGB VIII) of *cases × annual
   cost per case* of the last settled year (``abrechnungsjahr`` must lie before the budget
   year). The whole budget is paid to the Trägerverbund, which must provide every help needed.
   A Hilfeart may name the Jugendamtsbezirk its cases come from (the source's pilot area is two
   Jugendamtsbezirke): its line item then names that Bezirk, and a table sums the budget per
   Bezirk; settlement and hard cap apply to the whole budget of the Sozialraum.
2. **Historical DM figures** (spec §1): with ``waehrung="DM"`` every input amount is Deutsche
   Mark. The DM total is converted once at the fixed rate (``money.dm_to_eur``) and split
   back onto the Hilfearten by largest remainder, so the euro total is exactly the converted
   DM total: the 1997 costs of DM 3.213.000 become a start budget of 1.642.780,81 €.
3. **Unspent money → Präventionsfonds** (§5.2 „werden sie für präventive Maßnahmen genutzt“):
   with actual spending (``ist_ausgaben``) the part of the budget not spent is reported as
   the prevention fund (table „Präventionsfonds“, kennzahl „Präventionsfonds“).
4. **Hard cap** (spec §5): the budget is a hard cap; an overrun is reported (table
   „Jahresabschluss“ and a warning).
5. **Upward adjustment only for unforeseeable and unavoidable events** (§5.2 „Nur wenn
   unkalkulierbare, unvorhersehbare und unabweisbare Einwirkungen … eintreten, kann das Budget
   im Nachhinein nach oben angepasst werden“; „schriftliche Vereinbarung“): an event is
   recognised when it has a written reason and is flagged both unforeseeable and unavoidable.
   The Jugendamt covers the overrun up to the recognised amounts (line items of kind
   ``bedingt``, split over the events by largest remainder when the overrun is smaller);
   the rest of the overrun is borne by the Verbund (warning). Without an overrun nothing is
   adjusted.
6. **Pilot Sozialraum by social indicators** (§5.2 „auf Grund von Sozialindikatoren …
   ausgewählt“): candidate areas are ranked by a composite of the optional indicators
   Wohnraumdichte, Ausländeranteil, mittlere Wohndauer (direction −1: shorter = more need),
   Anteil unter 25 and Sozialhilfequote: each standardised with the standard point method
   ``SPW = 100·(x − min)/(max − min)`` (mirrored for direction −1; all equal → 0 and a
   warning), averaged with equal weights. The first ``pilotraeume`` ranks are marked as pilot
   areas. The ranking is a table („Pilotraum-Rangfolge“), not money.

Payment plan: the budget (``unbedingt``) in instalments to the Verbund (monthly by default);
the after-the-fact adjustment is paid with the settlement and is not in the plan.

>>> e = Eingabe(sozialraum="Innenstadt", traegerverbund="Verbund",
...             hilfearten=(Hilfeart("34", "Heimerziehung", 1, "3.213.000"),), abrechnungsjahr=1997)
>>> berechne(e, Parameter(waehrung="DM", jahr=1999)).gesamt
Decimal('1642780.81')
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any

from ..einheiten import Einheit
from ..errors import SozbudgetError
from ..formats import betrag as fmt_betrag
from ..indicators import Indicator, bewerte, rangfolge
from ..money import ZERO, allocate, dm_to_eur, euro, round_cents
from ..spec import (
    WERKTAG_SATZ,
    Angabe,
    Ausgabetabelle,
    Deklaration,
    Feld,
    Kennzahl,
    Lesart,
    Planwert,
    Spalte,
    Tabelle,
    Vertragsbildung,
    Vertragstext,
    wahlen,
    zahlung,
)
from . import _pruefung as pr
from .base import Art, LineItem, ModelResult, Warnung, Zahlungsparameter

NAME = "neunkirchen"
TITEL = "Neunkirchen: Ressourcenverbund freier Träger mit kostenbasiertem Startbudget"
QUELLE = "Gutachten, Abschnitt 5.2"
BESCHREIBUNG = (
    "Berechnet das Sozialraumbudget des Trägerverbunds als Summe der Fälle × Jahreskosten je Fall "
    "über die Hilfearten des letzten abgerechneten Jahres, rechnet Präventionsfonds, harte Obergrenze "
    "und begründete Nachbewilligungen ab und ordnet Kandidaten für den Pilotsozialraum nach "
    "Sozialindikatoren."
)

__all__ = [
    "BESCHREIBUNG",
    "NAME",
    "QUELLE",
    "TITEL",
    "ZULAESSIGE_PARAGRAPHEN",
    "Eingabe",
    "Ereignis",
    "Hilfeart",
    "Kandidat",
    "Parameter",
    "beispiel",
    "berechne",
]

#: Hilfearten the budget may contain: §§ 27–35, 35a and 41 SGB VIII (spec §3.3)
ZULAESSIGE_PARAGRAPHEN = (*(str(n) for n in range(27, 36)), "35a", "41")
WAEHRUNGEN = ("EUR", "DM")

_PARAGRAPH = re.compile(
    r"(?:§+\s*)?(\d{1,3})\s*([a-z]?)(?:\s+abs\.?\s*\d+[a-z]?)?(?:\s+sgb\s*viii)?",
    re.IGNORECASE,
)
_QUOTE = Decimal("0.0001")
_ZWEI = Decimal("0.01")

# indicator columns of the pilot ranking: (attribute, German column, direction); spec §2.1, in the
# order of §5.2 („hohe Bevölkerungsdichte; hohe Wohnraumdichte; …“), then §6.2's Alleinerziehende
_INDIKATOREN: tuple[tuple[str, str, int], ...] = (
    ("bevoelkerungsdichte", "Bevölkerungsdichte", 1),
    ("wohnraumdichte", "Wohnraumdichte", 1),
    ("auslaenderanteil", "Ausländeranteil", 1),
    ("mittlere_wohndauer", "mittlere Wohndauer", -1),
    ("anteil_unter_25", "Anteil unter 25", 1),
    ("sozialhilfequote", "Sozialhilfequote", 1),
    ("alleinerziehende", "Anteil Alleinerziehende", 1),
)
_ANTEILE = {"auslaenderanteil", "anteil_unter_25", "sozialhilfequote", "alleinerziehende"}
#: the cap on legal entitlements: "hart" (§5.2, the Verbund bears an overrun) or "offen" (§7.1)
OBERGRENZEN = ("hart", "offen")
#: §7.1, quoted by the standing Hinweis wherever the budget caps HzE entitlements
ZITAT_7_1 = (
    "unzulässig, die Gewährung gesetzlich geregelter Muss- und Sollleistungen unter den Vorbehalt "
    "ausgehandelter Budgets zu stellen"
)


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Parameter(Zahlungsparameter):
    """Parameters of the Neunkirchen model (all with the spec defaults)."""

    #: currency of every input amount: "EUR" or "DM" (converted at the fixed rate, spec §1)
    waehrung: str = "EUR"
    #: number of pilot areas marked in the ranking (the source chose two Jugendamtsbezirke)
    pilotraeume: int = 2
    #: §5.2 vs. §7.1: "hart" (Neunkirchen: the Verbund bears an overrun not caused by
    #: „unkalkulierbare, unvorhersehbare und unabweisbare Einwirkungen“; a standing Hinweis
    #: quotes §7.1) or "offen" (§7.1 „Budgets in der Fallarbeit müssen bei steigendem Bedarf
    #: aufgestockt werden“: the Jugendamt tops up the whole overrun)
    obergrenze: str = "hart"


@dataclass(frozen=True)
class Hilfeart:
    """One Hilfeart of the last settled year: paragraph (e.g. "34", "§ 35a"), name, number of
    cases and annual cost per case; optionally the Jugendamtsbezirk within the Sozialraum the
    cases come from (the source's pilot area consists of two Jugendamtsbezirke)."""

    paragraph: Any
    bezeichnung: str
    faelle: Any
    kosten_je_fall: Any
    bezirk: str = ""


@dataclass(frozen=True)
class Ereignis:
    """An event that raised the costs during the year (for the upward adjustment, §5.2 „Nur wenn
    unkalkulierbare, unvorhersehbare und unabweisbare Einwirkungen in einem Jahreszyklus
    eintreten“): recognised only with a written reason and all three marks."""

    bezeichnung: str
    betrag: Any
    begruendung: str = ""
    unvorhersehbar: bool = False
    unabweisbar: bool = False
    unkalkulierbar: bool = False


@dataclass(frozen=True)
class Kandidat:
    """A candidate Sozialraum for the pilot with optional social indicators (spec §2.1).

    Shares (Ausländeranteil, Anteil unter 25, Sozialhilfequote) are fractions (0.18 = 18 %).
    """

    name: str
    wohnraumdichte: Any = None
    auslaenderanteil: Any = None
    mittlere_wohndauer: Any = None
    anteil_unter_25: Any = None
    sozialhilfequote: Any = None
    #: §5.2 „hohe Bevölkerungsdichte“: inhabitants per km² (or per ha, the same for all)
    bevoelkerungsdichte: Any = None
    #: §6.2 „Anteil der Alleinerziehenden … (z.B. Neunkirchen)“: share of households
    alleinerziehende: Any = None


@dataclass(frozen=True)
class Eingabe:
    """Inputs: the Sozialraum, the Verbund, the Hilfearten of the settled year; optionally
    actual spending and events of the budget year, and candidates for the pilot ranking."""

    sozialraum: str
    traegerverbund: str
    hilfearten: tuple[Hilfeart, ...]
    abrechnungsjahr: int | None = None
    mitglieder: tuple[str, ...] = ()
    ist_ausgaben: Any = None
    ereignisse: tuple[Ereignis, ...] = ()
    kandidaten: tuple[Kandidat, ...] = field(default=())
    #: §5.2: the Verbund has no legal form („gGmbH–Lösung … nicht umsetzbar“), so its budget is
    #: paid to a federführender Träger (one of the members when they are given)
    federfuehrender_traeger: str = ""


# --------------------------------------------------------------------------- validation helpers


_fehler = partial(pr.fehler, NAME)
_name = partial(pr.bezeichnung, NAME)
_zahl = partial(pr.zahl, NAME)
_betrag = partial(pr.betrag, NAME)
_anteil = partial(pr.anteil, NAME)


def _paragraph(value: Any, *, item: Any, pfad: tuple[Any, ...] | None = None) -> str:
    """Normalise "§ 35 a SGB VIII" → "35a"; must be one of ZULAESSIGE_PARAGRAPHEN (spec §3.3)."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _fehler(
            "kein Paragraph angegeben" if pr.gefunden(value) is None else "Paragraph ist ungültig",
            item=item,
            field="Paragraph",
            expected="27 bis 35, 35a oder 41",
            found=pr.gefunden(value),
            pfad=pfad,
        )
    match = _PARAGRAPH.fullmatch(str(value).strip())
    key = (match.group(1) + match.group(2).lower()) if match else ""
    if key not in ZULAESSIGE_PARAGRAPHEN:
        raise _fehler(
            "keine Hilfeart nach §§ 27–35, 35a oder 41 SGB VIII",
            item=item,
            field="Paragraph",
            expected="27 bis 35, 35a oder 41",
            found=value,
            pfad=pfad,
        )
    return key


def _pruefe_parameter(p: Parameter) -> None:
    if not isinstance(p.waehrung, str) or p.waehrung.strip().upper() not in WAEHRUNGEN:
        raise _fehler(
            "unbekannte Währung",
            item="Parameter",
            field="Währung",
            expected="EUR oder DM",
            found=pr.gefunden(p.waehrung),
            pfad=("parameter", "waehrung"),
        )
    if p.obergrenze not in OBERGRENZEN:
        raise _fehler(
            "unbekannte Art der Obergrenze",
            item="Parameter",
            field="Obergrenze",
            expected="fest (Gutachten, Abschnitt 5.2) oder offen (Abschnitt 7.1)",
            found=pr.gefunden(p.obergrenze),
            pfad=("parameter", "obergrenze"),
        )
    if isinstance(p.pilotraeume, bool) or not isinstance(p.pilotraeume, int) or p.pilotraeume < 1:
        raise _fehler(
            "Zahl der Pilotsozialräume ungültig",
            item="Parameter",
            field="Pilotsozialräume",
            expected="1 oder mehr",
            found=p.pilotraeume,
            pfad=("parameter", "pilotraeume"),
        )
    pr.zahlung(NAME, p)


#: a validated Hilfeart: (paragraph, name, cases, cost per case, Bezirk or "")
_Art = tuple[str, str, Decimal, Decimal, str]
#: a validated event: (name, amount in the input currency, written reason, marks by _MERKMALE)
_Ereignis = tuple[str, Decimal, str, tuple[bool, ...]]
#: §5.2 „unkalkulierbare, unvorhersehbare und unabweisbare Einwirkungen“: (attribute, word)
_MERKMALE = (
    ("unkalkulierbar", "unkalkulierbar"),
    ("unvorhersehbar", "unvorhersehbar"),
    ("unabweisbar", "unabweisbar"),
)


def _anerkannt(ev: _Ereignis) -> bool:
    """§5.2: an event counts with a written reason and all three marks."""
    return bool(ev[2]) and all(ev[3])


@dataclass(frozen=True)
class _Daten:
    """The validated input of one run (nothing is computed before all of it is checked)."""

    sozialraum: str
    verbund: str
    mitglieder: tuple[str, ...]
    arten: tuple[_Art, ...]
    ist: Decimal | None
    ereignisse: tuple[_Ereignis, ...]
    #: candidates of the pilot ranking: (name, {indicator column: value})
    kandidaten: tuple[tuple[str, dict[str, Decimal]], ...]
    #: indicator columns used by the ranking: (German column, direction)
    genutzt: tuple[tuple[str, int], ...]
    #: payee of every payment: the federführender Träger (§5.2), else the Verbund's name
    empfaenger: str


def _pruefe_abrechnungsjahr(abrechnungsjahr: Any, p: Parameter) -> None:
    """§5.2: the figures come from a settled (past) accounting period."""
    if abrechnungsjahr is None:
        return
    if isinstance(abrechnungsjahr, bool) or not isinstance(abrechnungsjahr, int):
        raise _fehler(
            "Abrechnungsjahr ist keine Jahreszahl",
            field="Abrechnungsjahr",
            expected="eine Jahreszahl",
            found=abrechnungsjahr,
            pfad=("eingabe", "abrechnungsjahr"),
        )
    if abrechnungsjahr >= p.jahr:
        raise _fehler(
            "das Abrechnungsjahr muss ein abgeschlossenes Jahr vor dem Haushaltsjahr sein",
            field="Abrechnungsjahr",
            expected=f"vor {p.jahr}",
            found=abrechnungsjahr,
            pfad=("eingabe", "abrechnungsjahr"),
        )


def _pruefe_mitglieder(mitglieder: Sequence[Any]) -> tuple[str, ...]:
    """Names of the Verbund's members, each once."""
    return tuple(pr.eindeutige_namen(NAME, mitglieder, was="Träger", field="Mitglied", tabelle="mitglieder"))


def _pruefe_hilfearten(hilfearten: Sequence[Hilfeart]) -> tuple[_Art, ...]:
    """The Hilfearten of the settled year: § of SGB VIII, unique name per Bezirk, cases and cost."""
    if not hilfearten:
        raise _fehler(
            "keine Hilfearten angegeben",
            field="Hilfearten",
            expected="mindestens eine Hilfeart",
            pfad=("eingabe", "hilfearten"),
        )
    arten: list[_Art] = []
    seen: dict[tuple[str, str], str] = {}
    for i, h in enumerate(hilfearten):
        bezirk = pr.text_oder_leer(
            NAME,
            h.bezirk,
            was="Jugendamtsbezirk",
            item=h.bezeichnung,
            field="Bezirk",
            pfad=("hilfearten", i, "bezirk"),
        )
        bez = _name(
            h.bezeichnung, item=h.bezeichnung, field="Bezeichnung", pfad=("hilfearten", i, "bezeichnung")
        )
        bez_item = f"{bezirk}: {bez}" if bezirk else bez
        key = (pr.namensschluessel(bezirk), pr.namensschluessel(bez))
        if key in seen:
            raise _fehler(
                "Hilfeart doppelt angegeben",
                item=bez,
                field="Bezeichnung",
                expected="jede Hilfeart je Bezirk nur einmal",
                found=f"„{seen[key]}“ und „{bez_item}“",
                pfad=("hilfearten", i, "bezeichnung"),
            )
        seen[key] = bez_item
        par = _paragraph(h.paragraph, item=bez_item, pfad=("hilfearten", i, "paragraph"))
        faelle = _zahl(h.faelle, item=bez_item, field="Fälle", pfad=("hilfearten", i, "faelle"))
        kosten = _betrag(
            h.kosten_je_fall, item=bez_item, field="Kosten je Fall", pfad=("hilfearten", i, "kosten_je_fall")
        )
        if faelle > 0 and kosten == 0:
            raise _fehler(
                "Fälle ohne Kosten: Jahreskosten je Fall fehlen",
                item=bez_item,
                field="Kosten je Fall",
                expected="mehr als 0",
                found=h.kosten_je_fall,
                pfad=("hilfearten", i, "kosten_je_fall"),
            )
        arten.append((par, bez, faelle, kosten, bezirk))
    return tuple(arten)


def _pruefe_ereignisse(ereignisse: Sequence[Ereignis]) -> tuple[_Ereignis, ...]:
    """Events for an upward adjustment: unique name, amount, reason text, yes/no flags."""
    out: list[_Ereignis] = []
    seen: dict[str, str] = {}
    for i, ev in enumerate(ereignisse):
        bez = _name(
            ev.bezeichnung, item=ev.bezeichnung, field="Ereignis", pfad=("ereignisse", i, "bezeichnung")
        )
        pr.doppelt(NAME, bez, seen, was="Ereignis", jede="jedes", pfad=("ereignisse", i, "bezeichnung"))
        b = _betrag(ev.betrag, item=bez, field="Betrag", pfad=("ereignisse", i, "betrag"))
        grund = ev.begruendung.strip() if isinstance(ev.begruendung, str) else ""
        pr.text_oder_leer(
            NAME,
            ev.begruendung,
            was="Begründung",
            item=bez,
            field="Begründung",
            pfad=("ereignisse", i, "begruendung"),
        )
        for attr, label in _MERKMALE:
            flag = getattr(ev, attr)
            if not isinstance(flag, bool):
                raise _fehler(
                    "ungültige Ja/Nein-Angabe" if flag is not None else "keine Ja/Nein-Angabe",
                    item=bez,
                    field=label,
                    expected="ja oder nein",
                    found=pr.gefunden(flag),
                    pfad=("ereignisse", i, attr),
                )
        out.append((bez, b, grund, tuple(getattr(ev, attr) for attr, _ in _MERKMALE)))
    return tuple(out)


def _pruefe_kandidaten(
    kandidaten: Sequence[Kandidat],
) -> tuple[tuple[tuple[str, dict[str, Decimal]], ...], tuple[tuple[str, int], ...]]:
    """Candidates of the pilot ranking and the indicator columns used (given for any candidate)."""
    if not kandidaten:
        return (), ()
    if len(kandidaten) < 2:
        raise _fehler(
            "für eine Rangfolge sind mindestens zwei Sozialräume nötig",
            field="Kandidaten",
            expected="2 oder mehr",
            found=len(kandidaten),
            pfad=("eingabe", "kandidaten"),
        )
    # an indicator column is used when any candidate has a value; then all must have one
    genutzt = tuple(
        (spalte, richtung)
        for attr, spalte, richtung in _INDIKATOREN
        if any(getattr(k, attr) is not None for k in kandidaten)
    )
    if not genutzt:
        raise _fehler(
            "keine Sozialindikatoren für die Pilotraum-Rangfolge angegeben",
            field="Sozialindikatoren",
            expected=", ".join(s for _, s, _ in _INDIKATOREN),
            pfad=("eingabe", "kandidaten"),
        )
    spalten = dict(genutzt)
    namen: dict[str, str] = {}
    out: list[tuple[str, dict[str, Decimal]]] = []
    for i, k in enumerate(kandidaten):
        name = _name(k.name, item=k.name, field="Sozialraum", pfad=("kandidaten", i, "name"))
        pr.doppelt(NAME, name, namen, was="Sozialraum", pfad=("kandidaten", i, "name"))
        werte: dict[str, Decimal] = {}
        for attr, spalte, _ in _INDIKATOREN:
            if spalte not in spalten:
                continue
            value = getattr(k, attr)
            if attr in _ANTEILE:
                werte[spalte] = _anteil(value, item=name, field=spalte, pfad=("kandidaten", i, attr))
            else:
                werte[spalte] = _zahl(value, item=name, field=spalte, pfad=("kandidaten", i, attr))
        out.append((name, werte))
    return tuple(out), genutzt


def _pruefe_eingabe(eingabe: Eingabe, p: Parameter) -> _Daten:
    """Validate everything first, in the order of the input (nothing partial is returned)."""
    sozialraum = _name(
        eingabe.sozialraum, item="Sozialraum", field="Sozialraum", pfad=("eingabe", "sozialraum")
    )
    verbund = _name(
        eingabe.traegerverbund,
        item="Trägerverbund",
        field="Trägerverbund",
        pfad=("eingabe", "traegerverbund"),
    )
    _pruefe_abrechnungsjahr(eingabe.abrechnungsjahr, p)
    mitglieder = _pruefe_mitglieder(eingabe.mitglieder)
    arten = _pruefe_hilfearten(eingabe.hilfearten)
    ist: Decimal | None = None
    if eingabe.ist_ausgaben is not None:
        ist = _betrag(
            eingabe.ist_ausgaben, item=sozialraum, field="Ist-Ausgaben", pfad=("eingabe", "ist_ausgaben")
        )
    ereignisse = _pruefe_ereignisse(eingabe.ereignisse)
    kandidaten, genutzt = _pruefe_kandidaten(eingabe.kandidaten)
    empfaenger = _pruefe_federfuehrung(eingabe.federfuehrender_traeger, mitglieder) or verbund
    return _Daten(sozialraum, verbund, mitglieder, arten, ist, ereignisse, kandidaten, genutzt, empfaenger)


def _pruefe_federfuehrung(name: Any, mitglieder: tuple[str, ...]) -> str:
    """§5.2: the federführender Träger receives the payments; one of the members when given."""
    if name is None or (isinstance(name, str) and not name.strip()):
        return ""
    text = _name(name, item=name, field="Federführender Träger", pfad=("eingabe", "federfuehrender_traeger"))
    if not mitglieder:
        return text
    for m in mitglieder:
        if pr.namensschluessel(m) == pr.namensschluessel(text):
            return m
    raise _fehler(
        "der federführende Träger ist kein Mitglied des Trägerverbunds",
        item=text,
        field="Federführender Träger",
        expected=", ".join(mitglieder),
        found=text,
        pfad=("eingabe", "federfuehrender_traeger"),
    )


# --------------------------------------------------------------------------- pilot ranking


def _rangfolge(
    kandidaten: Sequence[tuple[str, dict[str, Decimal]]],
    indikatoren: Sequence[tuple[str, int]],
) -> tuple[list[tuple[str, Decimal, dict[str, Decimal]]], list[Warnung]]:
    """Rank candidate areas by the equally weighted mean of their SPW standard points.

    Uses :func:`sozbudget_xl.indicators.rangfolge` (standard point method ``spw``, equal
    weights, direction −1 mirrored, ties in input order) for the order and the composite,
    and :func:`sozbudget_xl.indicators.bewerte` for the per-indicator points and the
    warnings (all areas equal → SPW 0). Returns rows ``(name, composite, {indicator: SPW})``
    in rank order and the warnings. Points are rounded to 2 decimals for display only.
    """
    rows = [{"Sozialraum": name, **{k: float(v) for k, v in werte.items()}} for name, werte in kandidaten]
    inds = [Indicator(name=spalte, zaehler=spalte, richtung=richtung) for spalte, richtung in indikatoren]
    try:
        order = rangfolge(rows, inds, id_spalte="Sozialraum", methode="spw")
        bewertung = bewerte(rows, inds, id_spalte="Sozialraum", methode="spw")
    except SozbudgetError as exc:  # pragma: no cover - inputs are validated before
        raise _fehler(exc.message, item=exc.region, field=exc.column or "Sozialindikatoren") from exc
    position = {name: i for i, name in enumerate(bewertung.ids)}
    result = []
    for name, index in order:
        i = position[name]
        punkte = {
            spalte: Decimal(repr(float(bewertung.standardwerte[spalte][i]))).quantize(_ZWEI, ROUND_HALF_UP)
            for spalte, _ in indikatoren
        }
        result.append((str(name), Decimal(repr(index)).quantize(_ZWEI, ROUND_HALF_UP), punkte))
    warnungen = [
        Warnung(f"Pilotraum-Rangfolge: {w.text}", code=w.code or "alle_gleich") for w in bewertung.warnungen
    ]
    return result, warnungen


# --------------------------------------------------------------------------- model


@dataclass
class _Aufbau:
    """The result while it is built, part by part (insertion order is the output order)."""

    positionen: list[LineItem] = field(default_factory=list)
    warnungen: list[Warnung] = field(default_factory=list)
    kennzahlen: dict[str, Any] = field(default_factory=dict)
    tabellen: dict[str, Any] = field(default_factory=dict)


def berechne(eingabe: Eingabe, parameter: Parameter | None = None) -> ModelResult:
    """Budget, year-end settlement and pilot ranking of the Neunkirchen model (see module doc)."""
    p = pr.pruefe_typen(NAME, eingabe, Eingabe, parameter, Parameter)
    _pruefe_parameter(p)
    dm = p.waehrung.strip().upper() == "DM"
    d = _pruefe_eingabe(eingabe, p)
    a = _Aufbau()
    a.kennzahlen["Federführender Träger"] = "" if d.empfaenger == d.verbund else d.empfaenger
    a.warnungen.extend(_hinweise(d, p))
    budget = _budget(d, eingabe.abrechnungsjahr, dm, a)
    _abschluss(d, budget, p, dm, a)
    _pilotraeume(d, p.pilotraeume, a)
    if d.mitglieder:
        a.tabellen["Trägerverbund"] = [
            {
                "Trägerverbund": d.verbund,
                "Mitglied": m,
                "federführend": "ja" if m == d.empfaenger else "nein",
                "Zahlungsempfänger": d.empfaenger,
            }
            for m in d.mitglieder
        ]
    gesamt = sum((x.betrag for x in a.positionen), ZERO)
    a.kennzahlen["Budget nach Anpassung"] = gesamt
    return pr.ergebnis(
        NAME,
        TITEL,
        QUELLE,
        p,
        a.positionen,
        a.warnungen,
        a.kennzahlen,
        a.tabellen,
        termine=p.termine or None,
        parameter=p,
        eingabe=eingabe,
    )


def _hinweise(d: _Daten, p: Parameter) -> list[Warnung]:
    """Standing Hinweise: §7.1 on a hard cap of HzE entitlements; §5.2 on the payee."""
    hinweise = []
    if p.obergrenze == "hart":
        hinweise.append(
            Warnung(
                "Hinweis: das Budget ist eine feste Obergrenze für Hilfen zur Erziehung mit Rechtsanspruch; "
                f"nach Gutachten, Abschnitt 7.1 ist es „{ZITAT_7_1}“ – notwendige Hilfen sind auch über "
                "das Budget hinaus zu gewähren",
                code="rechtsanspruch_vorbehalt",
                traeger=d.empfaenger,
                sozialraum=d.sozialraum,
            )
        )
    if d.empfaenger == d.verbund:
        hinweise.append(
            Warnung(
                f"kein federführender Träger angegeben: der Trägerverbund „{d.verbund}“ hat keine eigene "
                "Rechtsform (Gutachten, Abschnitt 5.2), Zahlungen sollten an einen federführenden Träger "
                "gehen",
                code="kein_federfuehrender_traeger",
                traeger=d.verbund,
                sozialraum=d.sozialraum,
            )
        )
    return hinweise


# ---- rules 1 + 2: budget = Σ cases × annual cost per case (DM converted once)


def _betraege(d: _Daten, dm: bool, a: _Aufbau) -> tuple[Decimal, list[Decimal], list[Decimal]]:
    """Budget in euro, its split onto the Hilfearten (euro) and the raw amounts (input currency)."""
    arten = d.arten
    roh = [round_cents(f * k) for _, _, f, k, _ in arten]  # in the input currency
    if dm:
        summe_dm = sum(roh, ZERO)
        budget = dm_to_eur(summe_dm)
        if summe_dm > 0:
            # remainder cents in a fixed order (Bezirk, §, Hilfeart), not by row order
            reihenfolge = sorted(range(len(arten)), key=lambda i: (arten[i][4], arten[i][0], arten[i][1]))
            betraege = pr.verteile(budget, roh, reihenfolge)
        else:
            betraege = [ZERO for _ in roh]
        a.kennzahlen["Budget in DM"] = summe_dm
    else:
        betraege = roh
        budget = sum(betraege, ZERO)
    try:
        euro(budget)
    except SozbudgetError as exc:
        raise _fehler(exc.message, item=d.sozialraum, field="Budget", found=str(budget)) from exc
    return budget, betraege, roh


def _budget(d: _Daten, abrechnungsjahr: int | None, dm: bool, a: _Aufbau) -> Decimal:
    """Rule 1 + 2: one unconditional line item per Hilfeart, table „Hilfearten“ and the sum per
    Jugendamtsbezirk; returns the budget in euro."""
    budget, betraege, roh = _betraege(d, dm, a)
    einheit = "DM" if dm else "€"
    herkunft = f"Abrechnungsjahr {abrechnungsjahr}" if abrechnungsjahr else "letztes Abrechnungsjahr"
    zeilen = []
    je_bezirk: dict[str, Decimal] = {}
    for (par, bez, faelle, kosten, bezirk), b, r in zip(d.arten, betraege, roh):
        ort = bezirk or d.sozialraum  # a line item names the Jugendamtsbezirk when given
        text = f"§ {par} SGB VIII {bez}: {pr.faelle_wort(faelle)} × "
        text += f"{fmt_betrag(kosten, waehrung=False)} {einheit} ({herkunft})"
        a.positionen.append(
            LineItem(
                text,
                b,
                Art.UNBEDINGT,
                traeger=d.empfaenger,
                sozialraum=ort,
                quelle="Gutachten, Abschnitt 5.2",
            )
        )
        je_bezirk[ort] = je_bezirk.get(ort, ZERO) + b
        zeile = {
            "Sozialraum": ort,
            "Paragraph": f"§ {par} SGB VIII",
            "Hilfeart": bez,
            "Fälle": faelle,
            f"Kosten je Fall ({einheit})": kosten,
        }
        if dm:
            zeile["Kosten (DM)"] = r
        zeile["Budget (€)"] = b
        zeilen.append(zeile)
        if faelle == 0:
            a.warnungen.append(
                Warnung(
                    f"Hilfeart „{bez}“ hat keine Fälle: Budgetanteil 0,00 €",
                    code="keine_faelle",
                    traeger=d.empfaenger,
                    sozialraum=ort,
                )
            )
    a.tabellen["Hilfearten"] = zeilen
    if any(art[4] for art in d.arten):
        a.tabellen["Budget je Jugendamtsbezirk"] = [
            {"Sozialraum": k, "Budget": v} for k, v in je_bezirk.items()
        ]
    a.kennzahlen["Budget"] = budget
    return budget


# ---- rules 3–5: year-end settlement against the hard cap


def _nicht_anerkannt(d: _Daten) -> list[Warnung]:
    """Rule 5: a warning for every event lacking a written reason or a flag."""
    warnungen = []
    for ev in d.ereignisse:
        if _anerkannt(ev):
            continue
        bez, _, grund, merkmale = ev
        fehlt = [] if grund else ["schriftliche Begründung fehlt"]
        fehlt += [f"nicht {wort}" for (_, wort), ja in zip(_MERKMALE, merkmale) if not ja]
        warnungen.append(
            Warnung(
                f"Ereignis „{bez}“ nicht als Grund für eine Nachbewilligung anerkannt: {', '.join(fehlt)}",
                code="ereignis_nicht_anerkannt",
                traeger=d.empfaenger,
                sozialraum=d.sozialraum,
            )
        )
    return warnungen


def _anpassung(
    d: _Daten, ueberschreitung: Decimal, dm: bool, offen: bool, a: _Aufbau
) -> tuple[Decimal, dict[str, Decimal]]:
    """Rule 5: the Jugendamt covers the overrun up to the recognised events (written reason,
    unkalkulierbar, unvorhersehbar, unabweisbar), split by largest remainder when the overrun is
    smaller; one conditional line item per event. With an open cap (§7.1) the rest of the overrun
    is topped up too (one more line item). Returns the adjustment and its part per recognised event."""
    anerkannt = [e for e in d.ereignisse if _anerkannt(e)]
    anerkannt_eur = [dm_to_eur(e[1]) if dm else e[1] for e in anerkannt]
    summe_anerkannt = sum(anerkannt_eur, ZERO)
    anpassung = min(ueberschreitung, summe_anerkannt)
    if anpassung == summe_anerkannt:
        anteile = anerkannt_eur
    else:  # overrun smaller than the recognised events: split by largest remainder
        anteile = allocate(anpassung, anerkannt_eur)
    for (bez, _, grund, _), x in zip(anerkannt, anteile):
        if x > 0:
            a.positionen.append(
                LineItem(
                    f"Nachträgliche Budgetanpassung durch das Jugendamt: {bez}",
                    x,
                    Art.BEDINGT,
                    traeger=d.empfaenger,
                    sozialraum=d.sozialraum,
                    bedingung="unkalkulierbare, unvorhersehbare und unabweisbare Einwirkung, schriftlich "
                    f"begründet: {grund}",
                    quelle="Gutachten, Abschnitt 5.2",
                )
            )
    rest = ueberschreitung - anpassung
    if offen and rest > 0:  # §7.1: budgets in case work are topped up when demand rises
        a.positionen.append(
            LineItem(
                "Aufstockung des Budgets bei steigendem Bedarf",
                rest,
                Art.BEDINGT,
                traeger=d.empfaenger,
                sozialraum=d.sozialraum,
                bedingung="nachgewiesener Mehrbedarf an Hilfen zur Erziehung im Haushaltsjahr",
                quelle="Gutachten, Abschnitt 7.1",
            )
        )
        anpassung += rest
    return anpassung, {e[0]: x for e, x in zip(anerkannt, anteile)}


def _ueberschreitung_warnungen(
    d: _Daten, ueberschreitung: Decimal, verbund_traegt: Decimal, offen: bool
) -> list[Warnung]:
    """Rule 4: the overrun of the cap and the part the Verbund bears."""
    warnungen = []
    if ueberschreitung > 0:
        art = "offene Obergrenze, aufgestockt nach Gutachten, Abschnitt 7.1" if offen else "harte Obergrenze"
        warnungen.append(
            Warnung(
                f"Budget ({art}) um {fmt_betrag(ueberschreitung)} überschritten",
                code="deckel_hart_ueberschritten",
                traeger=d.empfaenger,
                sozialraum=d.sozialraum,
            )
        )
    if verbund_traegt > 0:
        warnungen.append(
            Warnung(
                f"Überschreitung von {fmt_betrag(verbund_traegt)} ohne anerkannten Grund: "
                "trägt der Trägerverbund",
                code="ueberschreitung_verbund",
                traeger=d.empfaenger,
                sozialraum=d.sozialraum,
            )
        )
    return warnungen


def _abschluss(d: _Daten, budget: Decimal, p: Parameter, dm: bool, a: _Aufbau) -> None:
    """Rules 3–5 with actual spending: Präventionsfonds, cap, after-the-fact adjustment."""
    if d.ist is None:
        if d.ereignisse:
            a.warnungen.append(
                Warnung(
                    "Ereignisse für eine Nachbewilligung werden erst mit den Ist-Ausgaben abgerechnet",
                    code="ereignisse_ohne_ist",
                    traeger=d.empfaenger,
                    sozialraum=d.sozialraum,
                )
            )
        return
    ist_eur = dm_to_eur(d.ist) if dm else d.ist
    ueberschreitung = max(ZERO, ist_eur - budget)
    praevention = max(ZERO, budget - ist_eur)
    a.warnungen.extend(_nicht_anerkannt(d))
    offen = p.obergrenze == "offen"
    anpassung, anpassung_je = _anpassung(d, ueberschreitung, dm, offen, a)
    verbund_traegt = ueberschreitung - anpassung
    a.warnungen.extend(_ueberschreitung_warnungen(d, ueberschreitung, verbund_traegt, offen))
    ausschoepfung = (ist_eur / budget).quantize(_QUOTE, ROUND_HALF_UP) if budget > 0 else None
    kopf = {
        "Haushaltsjahr": p.jahr,
        "Sozialraum": d.sozialraum,
        "Trägerverbund": d.verbund,
        "Zahlungsempfänger": d.empfaenger,
    }
    werte = {
        "Ist": ist_eur,
        "Ausschöpfung": ausschoepfung,
        "Überschreitung": ueberschreitung,
        "Anpassung durch Jugendamt": anpassung,
        "Trägt Trägerverbund": verbund_traegt,
        "Präventionsfonds": praevention,
    }
    a.tabellen["Jahresabschluss"] = [{**kopf, "Budget": budget, **werte}]
    a.tabellen["Präventionsfonds"] = [
        {
            **kopf,
            "Budget": budget,
            "Ist": ist_eur,
            "Nicht verausgabt": praevention,
            "Präventionsfonds": praevention,
        }
    ]
    if d.ereignisse:
        einheit = "DM" if dm else "€"
        a.tabellen["Ereignisse"] = [
            {
                "Ereignis": bez,
                f"Betrag ({einheit})": b,
                "Begründung": grund,
                **{wort: "ja" if ja else "nein" for (_, wort), ja in zip(_MERKMALE, merkmale)},
                "anerkannt": "ja" if bez in anpassung_je else "nein",
                "Anpassung (€)": anpassung_je.get(bez, ZERO),
            }
            for bez, b, grund, merkmale in d.ereignisse
        ]
    a.kennzahlen.update(werte)


# ---- rule 6: pilot ranking by social indicators (a table, not money)


def _pilotraeume(d: _Daten, pilotraeume: int, a: _Aufbau) -> None:
    """Rule 6: table „Pilotraum-Rangfolge“ (shared ranks on equal composites; the first
    ``pilotraeume`` ranks are pilot areas) and the Kennzahl „Pilotsozialräume“."""
    if not d.kandidaten:
        return
    # sozbudget_xl.indicators exists: _rangfolge delegates to its rangfolge/bewerte (spec §2.3)
    rang, warn = _rangfolge(d.kandidaten, d.genutzt)
    a.warnungen.extend(warn)
    zeilen = []
    platz = 0
    vorher: Decimal | None = None
    for n, (name, index, punkte) in enumerate(rang, start=1):
        if index != vorher:
            platz, vorher = n, index
        zeile: dict[str, Any] = {"Rang": platz, "Sozialraum": name, "Gesamtpunktzahl": index}
        zeile.update({f"SPW {spalte}": punkte[spalte] for spalte, _ in d.genutzt})
        zeile["Pilotraum"] = "ja" if platz <= pilotraeume else "nein"
        zeilen.append(zeile)
    a.tabellen["Pilotraum-Rangfolge"] = zeilen
    piloten = [z["Sozialraum"] for z in zeilen if z["Pilotraum"] == "ja"]
    if len(piloten) > pilotraeume:
        a.warnungen.append(
            Warnung(
                f"Pilotraum-Rangfolge: Gleichstand an der Grenze, {len(piloten)} statt {pilotraeume} "
                "Sozialräume vorgeschlagen",
                code="gleichstand",
            )
        )
    a.kennzahlen["Pilotsozialräume"] = ", ".join(piloten)


# --------------------------------------------------------------------------- example


#: Hilfearten of the example with the annual cost per case of 2024: (paragraph, name, cost)
_BEISPIEL_KOSTEN: tuple[tuple[str, str, str], ...] = (
    ("28", "Erziehungsberatung", "1200.00"),
    ("29", "Soziale Gruppenarbeit", "4800.00"),
    ("30", "Erziehungsbeistand, Betreuungshelfer", "9600.00"),
    ("31", "Sozialpädagogische Familienhilfe", "14500.00"),
    ("32", "Erziehung in einer Tagesgruppe", "38000.00"),
    ("33", "Vollzeitpflege", "19800.00"),
    ("34", "Heimerziehung, sonstige betreute Wohnform", "72000.00"),
    ("35", "Intensive sozialpädagogische Einzelbetreuung", "95000.00"),
    ("35a", "Eingliederungshilfe für seelisch behinderte junge Menschen", "30000.00"),
    ("41", "Hilfe für junge Volljährige", "48000.00"),
)


def _beispiel_hilfearten(bezirk: str, faelle: tuple[int, ...]) -> tuple[Hilfeart, ...]:
    """The example's Hilfearten of one Jugendamtsbezirk with its numbers of cases."""
    return tuple(
        Hilfeart(par, bez, n, kosten, bezirk=bezirk)
        for (par, bez, kosten), n in zip(_BEISPIEL_KOSTEN, faelle)
    )


def beispiel() -> tuple[Eingabe, Parameter]:
    """A Sozialraum of two inner-city Jugendamtsbezirke, costs of 2024, budget year 2026.

    Budget 4.885.600,00 € (Bezirk 1: 2.829.400,00 €, Bezirk 2: 2.056.200,00 €); actual spending
    4.950.000,00 € (overrun 64.400,00 €), of which 52.000,00 € are recognised (sibling group after
    a house fire) and 12.400,00 € are borne by the Verbund; five candidate Jugendamtsbezirke are
    ranked for the pilot (the two inner-city Bezirke come first).
    """
    D = Decimal
    nord, sued = "Jugendamtsbezirk 1 Innenstadt-Nord", "Jugendamtsbezirk 2 Innenstadt-Süd"
    eingabe = Eingabe(
        sozialraum="Innenstadt (Jugendamtsbezirke 1 und 2)",
        traegerverbund="Trägerverbund Jugendhilfe Neunkirchen-Innenstadt",
        mitglieder=(
            "Caritasverband Musterstadt e.V.",
            "Diakonisches Werk Musterkreis e.V.",
            "AWO Kreisverband Musterkreis e.V.",
            "Kinder- und Jugendhilfe Saar-Mitte gGmbH",
        ),
        federfuehrender_traeger="Diakonisches Werk Musterkreis e.V.",
        abrechnungsjahr=2024,
        hilfearten=(
            *_beispiel_hilfearten(nord, (35, 10, 12, 22, 7, 14, 16, 2, 6, 5)),
            *_beispiel_hilfearten(sued, (25, 8, 10, 18, 5, 11, 12, 1, 4, 3)),
        ),
        ist_ausgaben="4950000.00",
        ereignisse=(
            Ereignis(
                "Unterbringung einer Geschwistergruppe nach Wohnungsbrand",
                "52000.00",
                "Vier Geschwister nach Brand der Familienwohnung im März stationär untergebracht; "
                "Inobhutnahme nicht planbar, Unterbringung unabweisbar.",
                unvorhersehbar=True,
                unabweisbar=True,
                unkalkulierbar=True,
            ),
            Ereignis(
                "Tariferhöhung Fachkräfte",
                "18000.00",
                "",
                unvorhersehbar=False,
                unabweisbar=True,
                unkalkulierbar=False,
            ),
        ),
        kandidaten=(
            Kandidat(
                "Jugendamtsbezirk 1 Innenstadt-Nord",
                D("1.45"),
                D("0.24"),
                D("6.1"),
                D("0.31"),
                D("0.142"),
                bevoelkerungsdichte=D("3850"),
                alleinerziehende=D("0.27"),
            ),
            Kandidat(
                "Jugendamtsbezirk 2 Innenstadt-Süd",
                D("1.38"),
                D("0.21"),
                D("6.8"),
                D("0.29"),
                D("0.128"),
                bevoelkerungsdichte=D("3420"),
                alleinerziehende=D("0.24"),
            ),
            Kandidat(
                "Jugendamtsbezirk 3 Wellesweiler",
                D("1.12"),
                D("0.11"),
                D("11.4"),
                D("0.25"),
                D("0.071"),
                bevoelkerungsdichte=D("1280"),
                alleinerziehende=D("0.16"),
            ),
            Kandidat(
                "Jugendamtsbezirk 4 Wiebelskirchen",
                D("1.05"),
                D("0.08"),
                D("13.9"),
                D("0.23"),
                D("0.052"),
                bevoelkerungsdichte=D("1050"),
                alleinerziehende=D("0.13"),
            ),
            Kandidat(
                "Jugendamtsbezirk 5 Furpach",
                D("0.98"),
                D("0.07"),
                D("14.6"),
                D("0.22"),
                D("0.038"),
                bevoelkerungsdichte=D("890"),
                alleinerziehende=D("0.12"),
            ),
        ),
    )
    return eingabe, Parameter(jahr=2026, zahlungsweise="monatlich", bundesland="SL")


# --------------------------------------------------------------------------- declaration

#: what this model means for workbook, worksheet functions, annex and README (:mod:`..spec`)
DEKLARATION = Deklaration(
    # the plan agreed before the year: no actual spending, no events of the year
    plan=(
        Planwert("ist_ausgaben", hilfe="Ist-Ausgaben erst in der Abrechnung"),
        Planwert("ereignisse", (), hilfe="Ereignisse des Jahres und Nachbewilligung erst in der Abrechnung"),
    ),
    vertraege=Vertragsbildung(
        je="traeger",
        partei="e.traegerverbund",
        nur_abrechnung="pos.position.startswith('Nachträgliche Budgetanpassung')",
        parteien="der Trägerverbund; er hat keine eigene Rechtsform, gezahlt wird an den "
        "federführenden Träger (Gutachten, Abschnitt 5.2)",
    ),
    eingabe=(
        Feld("sozialraum", "Sozialraum", "text", "Name des Sozialraums"),
        Feld("traegerverbund", "Trägerverbund", "text", "Name des Trägerverbunds"),
        Feld(
            "abrechnungsjahr",
            "Abrechnungsjahr",
            "ganzzahl",
            "abgerechnetes Jahr vor dem Haushaltsjahr, aus dem Fälle und Kosten stammen",
            einheit_=Einheit.JAHR,
        ),
        Feld("ist_ausgaben", "Ist-Ausgaben", "betrag", "tatsächliche Ausgaben (für die Abrechnung)"),
        Feld(
            "federfuehrender_traeger",
            "Federführender Träger",
            "text",
            "Mitglied des Verbunds, an das alle Zahlungen gehen (der Verbund hat keine eigene Rechtsform); "
            "leer: ein Hinweis erinnert daran",
        ),
    ),
    parameter=(
        Feld(
            "waehrung",
            "Währung",
            "text",
            "Währung aller eingegebenen Beträge; D-Mark wird zum festen Kurs in Euro umgerechnet",
            auswahl=wahlen(("EUR", "Euro"), ("DM", "Deutsche Mark (DM)")),
        ),
        Feld(
            "pilotraeume",
            "Pilotsozialräume",
            "ganzzahl",
            "Anzahl der Sozialräume, die in der Rangfolge als Pilotsozialraum markiert werden",
        ),
        Feld(
            "obergrenze",
            "Obergrenze",
            "text",
            "„fest“: eine Überschreitung trägt der Trägerverbund, außer bei unkalkulierbaren, "
            "unvorhersehbaren und unabweisbaren Einwirkungen; „offen“: das Jugendamt stockt bei "
            "steigendem Bedarf auf (siehe Anleitung, Lesarten)",
            auswahl=wahlen(("hart", "fest"), ("offen", "offen")),
        ),
        *zahlung(termine=True),
    ),
    tabellen=(
        Tabelle(
            "Hilfearten",
            "Hilfearten",
            "hilfearten",
            (
                Feld(
                    "paragraph",
                    "Paragraph",
                    "text",
                    "Rechtsgrundlage der Hilfeart im SGB VIII",
                    auswahl=wahlen(*((n, f"§ {n} SGB VIII") for n in ZULAESSIGE_PARAGRAPHEN)),
                ),
                Feld("bezeichnung", "Bezeichnung", "text", "Bezeichnung der Hilfeart"),
                Feld("faelle", "Fälle", "ganzzahl", "Fälle im Abrechnungsjahr"),
                Feld("kosten_je_fall", "Kosten je Fall", "betrag", "durchschnittliche Kosten je Fall"),
                Feld("bezirk", "Bezirk", "text", "Jugendamtsbezirk"),
            ),
            "Kostenbasis: Fälle und Kosten je Hilfeart",
        ),
        Tabelle(
            "Mitglieder",
            "Mitglieder",
            "mitglieder",
            (Feld("name", "Mitglied", "text", "Träger im Verbund"),),
            "Mitglieder des Trägerverbunds",
        ),
        Tabelle(
            "Ereignisse",
            "Ereignisse",
            "ereignisse",
            (
                Feld("bezeichnung", "Bezeichnung", "text", "Ereignis"),
                Feld("betrag", "Betrag", "betrag", "Mehrkosten"),
                Feld("begruendung", "Begründung", "text", "schriftliche Begründung"),
                Feld("unkalkulierbar", "Unkalkulierbar", "ja_nein", "Mehrkosten waren nicht kalkulierbar"),
                Feld("unvorhersehbar", "Unvorhersehbar", "ja_nein", "Ereignis war nicht vorhersehbar"),
                Feld("unabweisbar", "Unabweisbar", "ja_nein", "Hilfe war nicht abzuweisen"),
            ),
            "besondere Ereignisse (Nachforderung)",
        ),
        Tabelle(
            "Kandidaten",
            "Kandidaten",
            "kandidaten",
            (
                Feld("name", "Kandidat", "text", "Sozialraum oder Bezirk"),
                Feld(
                    "bevoelkerungsdichte",
                    "Bevölkerungsdichte",
                    "zahl",
                    "Einwohner je km² (in allen Zeilen dieselbe Einheit)",
                ),
                Feld("wohnraumdichte", "Wohnraumdichte", "zahl", "Personen je Raum"),
                Feld("auslaenderanteil", "Ausländeranteil", "prozent", "Anteil an der Bevölkerung"),
                Feld("mittlere_wohndauer", "Mittlere Wohndauer (Jahre)", "zahl", "in Jahren"),
                Feld("anteil_unter_25", "Anteil unter 25", "prozent", "Anteil der unter 25-Jährigen"),
                Feld("sozialhilfequote", "Sozialhilfequote", "prozent", "Anteil der Bevölkerung"),
                Feld(
                    "alleinerziehende",
                    "Anteil Alleinerziehende",
                    "prozent",
                    "Anteil der Alleinerziehenden an den Haushalten mit Kindern (Gutachten, Abschnitt 6.2)",
                ),
            ),
            "Kandidaten für die Pilotsozialräume mit Sozialindikatoren",
        ),
    ),
    aliase=(("Ereignis", "Bezeichnung"), ("Kandidaten", "Kandidat"), ("Sozialindikatoren", "Kandidat")),
    kennzahlen=(
        Kennzahl("Budget", Einheit.EURO),
        Kennzahl("Ist", Einheit.EURO),
        Kennzahl("Ausschöpfung", Einheit.ANTEIL),
        Kennzahl("Überschreitung", Einheit.EURO),
        Kennzahl("Anpassung durch Jugendamt", Einheit.EURO),
        Kennzahl("Trägt Trägerverbund", Einheit.EURO),
        Kennzahl("Präventionsfonds", Einheit.EURO),
        Kennzahl("Pilotsozialräume", Einheit.TEXT),
        Kennzahl("Budget nach Anpassung", Einheit.EURO),
        Kennzahl("Budget in DM", Einheit.DM),
        Kennzahl("Federführender Träger", Einheit.TEXT),
    ),
    ausgaben=(
        Ausgabetabelle(
            "Hilfearten",
            (
                Spalte("Sozialraum", Einheit.TEXT),
                Spalte("Paragraph", Einheit.TEXT),
                Spalte("Hilfeart", Einheit.TEXT),
                Spalte("Fälle", Einheit.ANZAHL),
                Spalte("Kosten je Fall (€)", Einheit.EURO),
                Spalte("Budget (€)", Einheit.EURO),
                Spalte("Kosten je Fall (DM)", Einheit.DM),
                Spalte("Kosten (DM)", Einheit.DM),
            ),
            sozialraum="Sozialraum",
        ),
        Ausgabetabelle(
            "Budget je Jugendamtsbezirk",
            (
                Spalte("Sozialraum", Einheit.TEXT),
                Spalte("Budget", Einheit.EURO),
            ),
            sozialraum="Sozialraum",
        ),
        Ausgabetabelle(
            "Jahresabschluss",
            (
                Spalte("Haushaltsjahr", Einheit.JAHR),
                Spalte("Sozialraum", Einheit.TEXT),
                Spalte("Trägerverbund", Einheit.TEXT),
                Spalte("Budget", Einheit.EURO),
                Spalte("Ist", Einheit.EURO),
                Spalte("Ausschöpfung", Einheit.ANTEIL),
                Spalte("Überschreitung", Einheit.EURO),
                Spalte("Anpassung durch Jugendamt", Einheit.EURO),
                Spalte("Trägt Trägerverbund", Einheit.EURO),
                Spalte("Präventionsfonds", Einheit.EURO),
                Spalte("Zahlungsempfänger", Einheit.TEXT),
            ),
            traeger="Zahlungsempfänger",
            sozialraum="Sozialraum",
        ),
        Ausgabetabelle(
            "Präventionsfonds",
            (
                Spalte("Haushaltsjahr", Einheit.JAHR),
                Spalte("Sozialraum", Einheit.TEXT),
                Spalte("Trägerverbund", Einheit.TEXT),
                Spalte("Budget", Einheit.EURO),
                Spalte("Ist", Einheit.EURO),
                Spalte("Nicht verausgabt", Einheit.EURO),
                Spalte("Präventionsfonds", Einheit.EURO),
                Spalte("Zahlungsempfänger", Einheit.TEXT),
            ),
            traeger="Zahlungsempfänger",
            sozialraum="Sozialraum",
        ),
        Ausgabetabelle(
            "Ereignisse",
            (
                Spalte("Ereignis", Einheit.TEXT),
                Spalte("Betrag (€)", Einheit.EURO),
                Spalte("Begründung", Einheit.TEXT),
                Spalte("unkalkulierbar", Einheit.TEXT),
                Spalte("unvorhersehbar", Einheit.TEXT),
                Spalte("unabweisbar", Einheit.TEXT),
                Spalte("anerkannt", Einheit.TEXT),
                Spalte("Anpassung (€)", Einheit.EURO),
                Spalte("Betrag (DM)", Einheit.DM),
            ),
        ),
        Ausgabetabelle(
            "Pilotraum-Rangfolge",
            (
                Spalte("Rang", Einheit.RANG),
                Spalte("Sozialraum", Einheit.TEXT),
                Spalte("Gesamtpunktzahl", Einheit.PUNKTE),
                Spalte("SPW .+", Einheit.PUNKTE, muster=True),
                Spalte("Pilotraum", Einheit.TEXT),
            ),
            sozialraum="Sozialraum",
        ),
        Ausgabetabelle(
            "Trägerverbund",
            (
                Spalte("Trägerverbund", Einheit.TEXT),
                Spalte("Mitglied", Einheit.TEXT),
                Spalte("federführend", Einheit.TEXT),
                Spalte("Zahlungsempfänger", Einheit.TEXT),
            ),
            anlage=("Mitglied", "federführend"),
            traeger="Zahlungsempfänger",
        ),
    ),
    angaben=(
        Angabe("Budget", "Startbudget des Sozialraums (Kosten des letzten abgerechneten Jahres)"),
        Angabe("Anpassung durch Jugendamt", "Nachbewilligung durch das Jugendamt", abrechnung=True),
        Angabe("Budget nach Anpassung", "Budget des Sozialraums nach Anpassung", abrechnung=True),
    ),
    vertragstexte=(
        Vertragstext(
            "regel",
            "Das Budget des Sozialraums bemisst sich an den Kosten der Hilfen zur Erziehung "
            "{% if e and e.abrechnungsjahr %}des Abrechnungsjahres {{ e.abrechnungsjahr }}"
            "{% else %}des letzten abgerechneten Jahres{% endif %}: je Hilfeart die Zahl der Fälle "
            "× Jahreskosten je Fall. Mit dem Budget gewährleistet der Trägerverbund alle im Einzelfall "
            "erforderlichen Hilfen.",
            quelle="Gutachten, Abschnitt 5.2",
        ),
        Vertragstext(
            "regel",
            "{% if p.waehrung|trim|upper == 'DM' %}Die Kosten in Deutscher Mark werden einmal zum festen "
            "Kurs von 1,95583 DM je Euro in Euro umgerechnet. {% endif %}Das Budget wird "
            "{{ w.zahlungsweise }} in Abschlägen an {% if k['Federführender Träger'] %}den "
            "federführenden Träger {{ k['Federführender Träger'] }} für den Trägerverbund{% else %}den "
            "Trägerverbund{% endif %} gezahlt"
            + WERKTAG_SATZ
            + ". Eine nachträgliche Anpassung wird mit dem Jahresabschluss gezahlt.",
            vorschlag=True,
        ),
        Vertragstext(
            "regel",
            "Die Pilotsozialräume wurden anhand von Sozialindikatoren ausgewählt: "
            "{% if p.pilotraeume == 1 %}der Sozialraum{% else %}die {{ p.pilotraeume }} Sozialräume"
            "{% endif %} mit der höchsten Gesamtpunktzahl ({{ k['Pilotsozialräume'] }}).",
            quelle="Gutachten, Abschnitt 5.2",
            wenn="'Pilotsozialräume' in k",
        ),
        Vertragstext(
            "ruecklage",
            "Werden die Mittel nicht vollständig für Hilfen zur Erziehung verausgabt, fließen sie in den "
            "Präventionsfonds des Sozialraums und werden für präventive Maßnahmen genutzt.",
            quelle="Gutachten, Abschnitt 5.2",
        ),
        Vertragstext(
            "regel",
            "{% if p.obergrenze == 'offen' %}Das Budget ist offen: Steigt der Bedarf an Hilfen zur "
            "Erziehung, stockt das Jugendamt das Budget auf; gesetzlich geregelte Muss- und Sollleistungen "
            "stehen nicht unter dem Vorbehalt des Budgets.{% else %}Das Budget ist eine feste Obergrenze: "
            "Eine Überschreitung trägt der Trägerverbund, soweit das Jugendamt das Budget nicht nachträglich "
            "anpasst. Die Gewährung gesetzlich geregelter Muss- und Sollleistungen im Einzelfall bleibt "
            "davon unberührt (Gutachten, Abschnitt 7.1).{% endif %}",
            quelle="Gutachten, Abschnitte 5.2 und 7.1",
        ),
        Vertragstext(
            "revision",
            "Nur wenn im Haushaltsjahr unkalkulierbare, unvorhersehbare und unabweisbare Einwirkungen "
            "eintreten, wird das Budget im Nachhinein nach oben angepasst, höchstens um die Überschreitung; "
            "jedes Ereignis ist schriftlich zu begründen.",
            quelle="Gutachten, Abschnitt 5.2",
            wenn="p.obergrenze != 'offen'",
        ),
        Vertragstext(
            "revision",
            "Die Bemessung nach den Kosten zurückliegender Abrechnungszeiträume gilt für das erste "
            "Erprobungsjahr; künftig soll das Budget an die Problemhaftigkeit des Sozialraums gekoppelt "
            "werden.",
            quelle="Gutachten, Abschnitt 5.2",
        ),
        Vertragstext(
            "bericht",
            "Der Trägerverbund wirkt am vertraglich vereinbarten Controlling mit (Organisation, Evaluation "
            "und Finanzierung).",
            quelle="Gutachten, Abschnitt 5.2",
        ),
        Vertragstext(
            "bericht",
            "Halbjährlicher Bericht des Trägerverbunds über Fälle und Ausgaben je Hilfeart.",
            vorschlag=True,
        ),
        Vertragstext(
            "bericht",
            "Jahresabschluss mit Ausweis des Präventionsfonds und der Ereignisse für eine Nachbewilligung "
            "bis zum 31. März des Folgejahres.",
            vorschlag=True,
        ),
    ),
    lesart=(
        "Startbudget sind die Kosten des letzten abgerechneten Jahres (Fälle × Jahreskosten je Fall, in "
        "Euro) als feste Obergrenze, nachbewilligt wird nur bei schriftlich begründeten „unkalkulierbaren, "
        "unvorhersehbaren und unabweisbaren Einwirkungen“, ein ständiger Hinweis zitiert Abschnitt 7.1 "
        "(Muss- und Sollleistungen nicht unter Budgetvorbehalt; Option: offene Obergrenze); gezahlt wird "
        "an einen federführenden Träger des Verbunds; wie im Gutachten werden zwei Pilotsozialräume nach "
        "Sozialindikatoren einschließlich Bevölkerungsdichte (und Anteil Alleinerziehender, Abschnitt 6.2) "
        "ausgewählt."
    ),
    lesarten=(
        Lesart(
            "obergrenze",
            "Neunkirchen (Abschnitt 5.2): „Nur wenn unkalkulierbare, unvorhersehbare und unabweisbare "
            "Einwirkungen in einem Jahreszyklus eintreten, kann das Budget im Nachhinein nach oben "
            "angepasst werden“ – eine feste Obergrenze, nachbewilligt nur bei allen drei Merkmalen mit "
            "schriftlicher Begründung; ein ständiger Hinweis zitiert Abschnitt 7.1: es ist „unzulässig, "
            "die Gewährung gesetzlich geregelter Muss- und Sollleistungen unter den Vorbehalt "
            "ausgehandelter Budgets zu stellen“. „offen“ folgt der Empfehlung in 7.1: „Budgets in der "
            "Fallarbeit müssen bei steigendem Bedarf aufgestockt werden“.",
        ),
        Lesart(
            "pilotraeume",
            "„zwei Jugendamtsbezirke des Innenstadtbereichs … auf Grund von Sozialindikatoren (hohe "
            "Bevölkerungsdichte; hohe Wohnraumdichte; …)“: die zwei Sozialräume mit dem höchsten "
            "Gesamtindex werden als Pilotsozialräume markiert.",
        ),
        Lesart(
            "waehrung",
            "Die Zahlen des Gutachtens sind D-Mark („3,213 Mio. DM“); Beträge in DM werden zum festen "
            "Kurs 1 € = 1,95583 DM in Euro umgerechnet, gerechnet und gezahlt wird in Euro.",
        ),
    ),
)
