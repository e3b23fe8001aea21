"""Stuttgart model — one provider, Teilbudget a + b, conditional parts, bonus, reserve.

Source: Gutachten §5.1 (Modellvertrag Jugendamt Stuttgart / Evangelische Gesellschaft,
1999); domain specification §3.2.

Rules:

1. Kostentypen (§5.1): every previous-year case is put into one of five Kostentypen by its
   annual cost. The band bounds are a parameter (``kostentyp_grenzen``, four ascending
   bounds → five types; any number of bounds n gives n + 1 types). A case whose cost equals
   a bound belongs to the lower type (Typ k: über Grenze k−1 bis einschließlich Grenze k).
   Defaults (2024–26 euros, annual cost of one help): Typ 1 bis 10.000 € (short ambulant
   help, Erziehungsberatung-like), Typ 2 bis 25.000 € (SPFH, Erziehungsbeistand), Typ 3 bis
   50.000 € (intensive ambulant help, Tagesgruppe), Typ 4 bis 100.000 € (Heimerziehung,
   Pflegefamilie with extras), Typ 5 über 100.000 € (intensive stationary care, §35).
2. Teilbudget a (fallbezogen) = Anfangsbestand + expected new cases. Anfangsbestand = sum of
   the previous-year costs of all running cases (every case of the list except the Altfälle,
   the Reintegrationsfälle and the cases that ended in the base year, including last year's
   new arrivals). Expected new cases = last year's new cases („Zugang im Vorjahr“, also those
   that ended in the base year: „Diese Zugänge sind identisch mit der absoluten Anzahl der
   Zugänge für 1998“) per Kostentyp, each costed at a rate per case: option
   ``neuzugaenge="mittelwert"`` (default) the mean annual cost of all running cases of that
   Kostentyp (of its ended cases when it has no running one, with a Hinweis), rounded half up
   to the cent; option ``"kostensatz"``: a given rate per Kostentyp (``kostensaetze``). Per
   type: Zugänge × Satz. A Sozialraum without any case last year gets a = 0 and b, with a
   Hinweis (no error).
3. Teilbudget b (fallunspezifisch) is a negotiated amount (input); a and b are mutually
   coverable (only the sum matters at year end, rule 8).
4. Gesamtbudget and conditional parts — the report reads two ways (``gesamtbudget_lesart``):
   ``"ab_ausgezahlt"`` (default, §5.1 „Die beiden Teilbudgets a und b bilden eine Gesamtsumme
   von 95 %, die zur Auszahlung gelangt. Die Auszahlung der restlichen 5 % des Gesamtbudgets
   ist an folgende Bedingungen geknüpft“): a + b are paid unconditionally and are 95 % of the
   Gesamtbudget G = (a + b) / 95 %; the conditional 5 % of G come on top (together
   (a + b) × 5/95, rounded half up, split 1 : 3 : 1 by the largest remainder).
   ``"ab_gesamtbudget"`` (§5.1 „Beides zusammen ergibt das Gesamtbudget“): G = a + b, 95 % of
   it unconditional (split back onto a and b pro rata), 5 % conditional — one
   largest-remainder split of G. The shares are parameters (Volunteers 1 %,
   betriebswirtschaftliches Berichtswesen 3 %, Verwendungsnachweis 1 %; the unconditional
   part is the rest). Per condition the input says whether it is fulfilled: ``True`` →
   Art.BEDINGT, paid; ``None`` (not yet assessed) → Art.BEDINGT, open; ``False`` →
   Art.EINBEHALTEN (stays with the Jugendamt, still listed, so the line items keep adding up).
5. Leistungsbonus on top of the Gesamtbudget G (Art.BONUS): cap = ``bonus_hoechstsatz`` × G
   (default 1 %; the source also names 2 % once), paid in proportion to the
   weighted degree of fulfilment of the year's indicators: degree_i = min(Ist/Soll, 1)
   (direction −1: min(Soll/Ist, 1), Ist 0 → 1), overall degree = Σ w_i·degree_i / Σ w_i,
   bonus = cap × degree rounded half up. Without indicators there is no bonus item.
6. Altfälle (externally placed old cases) and Reintegrationsfälle (Altfälle brought back,
   §5.1 „Die Kosten für die Fälle werden nicht aus dem Teilbudget a mitfinanziert, sondern
   einzelfallbezogen nach dem im Hilfeplan festgelegten Leistungsumfang“) are financed case by
   case outside Teilbudget a: one Art.OFFEN line item per case (forecast = its previous-year
   cost, billed by the Hilfeplan; recipient = the case's ``leistungserbringer`` — an Altfall's
   external home; a Reintegrationsfall's default is the Versorgungsträger), plus the table
   „Altfälle“ (with Fallart and Trägerart). They do not count for a, the Kostentypen or the
   new-case projection. Cases that ended in the base year are not financed.
7. Payment plan: the unconditional part in instalments (default monthly in advance).
   Conditional parts, bonus and Altfälle are not in the plan (paid after proof / billed).
8. Year-end settlement (:func:`jahresabschluss`, also in :func:`berechne` when actual costs
   are given): available = a + b minus the conditional parts not paid (reading
   ``"ab_gesamtbudget"`` only: withheld or not yet assessed, charged to a and b pro rata);
   result = available − (Ist a + Ist b) (a and b mutually coverable). §5.1 „Bei einem
   Überschuss des Teilbudgets a kann der Träger Rücklagen bilden“: with ``ruecklage_quelle=
   "teilbudget_a"`` (default) the Rücklage is the surplus of a (after covering an overrun of
   b), a surplus of b alone forms none; ``"a_und_b"``: the whole surplus. The Rücklage is
   carried into the next year, not offset against next year's budget. Classification by
   „Beträge, die unter einer Summe von DM 100.000 liegen“ — strictly below DM 100.000, i.e. at
   most 51.129,18 € (51.129,19 € is already 100.000,01 DM; ``ruecklage_schwelle``): reading
   ``"gesamt"`` (default) — a reserve below the threshold is free for all Jugendhilfe, from the
   threshold on the whole reserve is bound to Erziehungshilfe; reading ``"anteilig"`` — the
   part below the threshold is free, only the rest is bound. A deficit gives a warning (the
   Träger bears it; no reserve).
9. Revision (:func:`revision`): recompute with new inputs (changed Sozialraum structure or
   case volume, shown by the controlling figures) and report the delta to the agreed budget;
   a change of at least ``revision_schwelle`` (default 5 %, not in the report) is
   „wesentlich“ and allows a nachträgliche Änderung, a smaller one only gives a Hinweis.

>>> e = Eingabe(
...     traeger="Jugendhilfe Musterstadt e.V.",
...     sozialraum="Nord",
...     faelle=(Fall("F1", Decimal("8000")), Fall("F2", Decimal("12000"), zugang_im_vorjahr=True)),
...     teilbudget_b=Decimal("10000"),
... )
>>> r = berechne(e)
>>> r.kennzahlen["Teilbudget a"], r.kennzahlen["Teilbudgets a + b"], r.kennzahlen["Gesamtbudget"]
(Decimal('32000.00'), Decimal('42000.00'), Decimal('44210.53'))
"""

from __future__ import annotations

import bisect
import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import partial
from typing import Any

import numpy as np

from ..einheiten import Einheit
from ..formats import betrag as _fmt_betrag
from ..money import ZERO, allocate, dm_to_eur, from_cents
from ..spec import (
    Angabe,
    Ausgabetabelle,
    Deklaration,
    Feld,
    KeinePartei,
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

__all__ = [
    "BEDINGUNGEN",
    "BESCHREIBUNG",
    "GESAMTBUDGET_LESARTEN",
    "NAME",
    "NEUZUGAENGE",
    "QUELLE",
    "RUECKLAGE_LESARTEN",
    "RUECKLAGE_QUELLEN",
    "RUECKLAGE_SCHWELLE",
    "STANDARD_GRENZEN",
    "TITEL",
    "Eingabe",
    "Fall",
    "Indikator",
    "Jahresabschluss",
    "Parameter",
    "Revision",
    "beispiel",
    "berechne",
    "jahresabschluss",
    "revision",
]

NAME = "stuttgart"
TITEL = "Stuttgarter Modell: raumbezogenes Budget Hilfen zur Erziehung für einen Versorgungsträger"
QUELLE = "Gutachten, Abschnitt 5.1"
BESCHREIBUNG = (
    "Berechnet aus der Fallliste des Vorjahres das fallbezogene Teilbudget a nach Kostentypen, "
    "addiert das fallunspezifische Teilbudget b, teilt das Gesamtbudget in unbedingte und bedingte "
    "Anteile, ermittelt den Leistungsbonus, die Einzelfinanzierung der Altfälle und den Jahresabschluss "
    "mit Rücklage."
)

#: options for costing the expected new cases (spec §3.2)
NEUZUGAENGE = ("mittelwert", "kostensatz")
#: readings of the DM 100.000 reserve rule (spec §3.2)
RUECKLAGE_LESARTEN = ("gesamt", "anteilig")
#: readings of „Gesamtbudget“ (rule 4): a + b paid and 95 % of G, or a + b = G
GESAMTBUDGET_LESARTEN = ("ab_ausgezahlt", "ab_gesamtbudget")
#: which surplus forms the Rücklage (rule 8): of Teilbudget a only, or of a and b
RUECKLAGE_QUELLEN = ("teilbudget_a", "a_und_b")
#: default upper bounds of Kostentyp 1–4 (Typ 5: above the last bound), euros per year
STANDARD_GRENZEN: tuple[Decimal, ...] = (
    Decimal("10000.00"),
    Decimal("25000.00"),
    Decimal("50000.00"),
    Decimal("100000.00"),
)
#: reserve threshold of §5.1: DM 100.000 at the fixed rate = 51.129,19 €
RUECKLAGE_SCHWELLE: Decimal = dm_to_eur(100000)
#: the conditional parts: (Eingabe field, parameter field, German text)
BEDINGUNGEN: tuple[tuple[str, str, str], ...] = (
    ("volunteers", "anteil_volunteers", "Einsatz von Volunteers"),
    (
        "berichtswesen",
        "anteil_berichtswesen",
        "Einsatz eines aussagekräftigen betriebswirtschaftlichen Berichtswesens",
    ),
    ("verwendungsnachweis", "anteil_verwendungsnachweis", "Erstellung eines Verwendungsnachweises"),
)

# keys of ModelResult.kennzahlen (read back by jahresabschluss() and revision())
K_ANFANGSBESTAND = "Anfangsbestand"
K_NEUZUGAENGE = "Neuzugänge (erwartete Kosten)"
K_A = "Teilbudget a"
K_B = "Teilbudget b"
K_G = "Teilbudgets a + b"
K_GESAMT = "Gesamtbudget"
K_UNBEDINGT = "Unbedingte Auszahlung"
K_BED_AUSGEZAHLT = "Bedingte Anteile ausgezahlt"
K_BED_EINBEHALTEN = "Bedingte Anteile einbehalten"
K_BED_OFFEN = "Bedingte Anteile offen"
K_BONUS_MAX = "Leistungsbonus (Höchstbetrag)"
K_BONUS = "Leistungsbonus"
K_GRAD = "Erfüllungsgrad Leistungsindikatoren"
K_ALTFAELLE = "Altfälle (Prognose)"
K_LAUFEND = "Laufende Fälle"
K_ZUGAENGE = "Zugänge im Vorjahr"
K_ALT_ANZAHL = "Altfälle (Anzahl)"
K_REINT = "Reintegrationsfälle (Prognose)"
K_REINT_ANZAHL = "Reintegrationsfälle (Anzahl)"
K_BEENDET = "Im Vorjahr beendete Fälle"
K_UEBERSCHUSS_B = "Überschuss ohne Rücklage (Teilbudget b)"
K_GESAMTMITTEL = "Gesamtmittel (Budget, Bonus, Altfälle)"

_QUELLE_POS = "Gutachten, Abschnitt 5.1"
_QUELLE_BONUS = "Gutachten, Abschnitt 5.1 (Qualitätsentwicklungsvereinbarung § 78b SGB VIII)"


@dataclass(frozen=True)
class Parameter(Zahlungsparameter):
    """Negotiable numbers of the Stuttgart model (fractions: ``Decimal("0.01")`` = 1 %)."""

    #: ascending upper bounds of the Kostentypen (n bounds → n + 1 types), euros per year
    kostentyp_grenzen: tuple[Decimal, ...] = STANDARD_GRENZEN
    #: "mittelwert" (mean cost of the Kostentyp) or "kostensatz" (given rates below)
    neuzugaenge: str = "mittelwert"
    #: rate per case for each Kostentyp, used with ``neuzugaenge="kostensatz"``
    kostensaetze: tuple[Decimal, ...] = ()
    anteil_volunteers: Decimal = Decimal("0.01")
    anteil_berichtswesen: Decimal = Decimal("0.03")
    anteil_verwendungsnachweis: Decimal = Decimal("0.01")
    #: cap of the Leistungsbonus as a fraction of the Gesamtbudget
    bonus_hoechstsatz: Decimal = Decimal("0.01")
    #: "ab_ausgezahlt" (a + b paid, = 95 % of the Gesamtbudget, conditional parts on top) or
    #: "ab_gesamtbudget" (a + b = Gesamtbudget, 95 % of it paid unconditionally)
    gesamtbudget_lesart: str = "ab_ausgezahlt"
    #: DM 100.000 in euros; a reserve strictly below it is free
    ruecklage_schwelle: Decimal = RUECKLAGE_SCHWELLE
    #: "gesamt" (whole reserve classified by the threshold) or "anteilig"
    ruecklage_lesart: str = "gesamt"
    #: "teilbudget_a" (only a surplus of a forms a reserve) or "a_und_b"
    ruecklage_quelle: str = "teilbudget_a"
    #: relative change of a + b from which a revision is „wesentlich“ (fraction)
    revision_schwelle: Decimal = Decimal("0.05")


@dataclass(frozen=True)
class Fall:
    """One case of the previous year's case list."""

    fall_id: str
    jahreskosten: Decimal
    zugang_im_vorjahr: bool = False
    #: externally placed old case, financed case by case outside Teilbudget a
    altfall_extern: bool = False
    #: Altfall/Reintegrationsfall: the provider paid case by case (empty: not named; for a
    #: Reintegrationsfall the Versorgungsträger)
    leistungserbringer: str = ""
    #: the case ended in the base year: counts as Zugang, not for the Anfangsbestand
    beendet_im_vorjahr: bool = False
    #: Altfall brought back (Reintegrationsfall): financed case by case like an Altfall
    reintegration: bool = False


@dataclass(frozen=True)
class Indikator:
    """One performance indicator of the year (Leistungsbonus)."""

    name: str
    gewicht: Decimal
    soll: Decimal
    ist: Decimal
    #: +1: higher is better (default); −1: lower is better
    richtung: int = 1


@dataclass(frozen=True)
class Eingabe:
    """Inputs of one Träger's Sozialraum budget.

    ``volunteers``/``berichtswesen``/``verwendungsnachweis``: condition fulfilled
    (True), not fulfilled (False) or not yet assessed (None). ``ist_kosten_a`` and
    ``ist_kosten_b`` (both or neither): actual costs for the year-end settlement.
    """

    traeger: str
    sozialraum: str
    faelle: tuple[Fall, ...]
    teilbudget_b: Decimal
    volunteers: bool | None = None
    berichtswesen: bool | None = None
    verwendungsnachweis: bool | None = None
    indikatoren: tuple[Indikator, ...] = ()
    ist_kosten_a: Decimal | None = None
    ist_kosten_b: Decimal | None = None


# --------------------------------------------------------------------------- validation


_fehler = partial(pr.fehler, NAME)
_pz = pr.prozent_text
_betrag = partial(pr.betrag, NAME)
_zahl = partial(pr.zahl, NAME)
_anteil = partial(pr.anteil, NAME)

_JA = {"ja", "j", "x", "yes", "true", "wahr", "1", "erfüllt"}
_NEIN = {"nein", "n", "no", "false", "falsch", "0", "nicht erfüllt"}
_OFFEN = {"", "offen", "?", "ungeprüft", "nicht geprüft"}
#: without „offen“ a blank text means „nein“
_NEIN_ODER_LEER = _NEIN | {""}


def _titel(feld: str) -> str:
    """The German row name of an Eingabe or Parameter field (from the declaration)."""
    return next(f.titel for f in (*DEKLARATION.eingabe, *DEKLARATION.parameter) if f.feld == feld)


def _ja_nein(
    value: Any, *, item: Any, field: str, pfad: tuple[Any, ...], offen_erlaubt: bool = False
) -> bool | None:
    """A yes/no input (bool, 0/1, „ja“/„nein“; None/„offen“ if allowed), or a ModellFehler."""
    if offen_erlaubt:
        return pr.ja_nein(NAME, value, item=item, field=field, ja=_JA, nein=_NEIN, offen=_OFFEN, pfad=pfad)
    return pr.ja_nein(NAME, value, item=item, field=field, ja=_JA, nein=_NEIN_ODER_LEER, pfad=pfad)


def _name(value: Any, *, item: str, field: str, pfad: tuple[Any, ...]) -> str:
    """A non-empty name or ID; whole numbers from Excel (101.0) become „101“."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        value = int(value)
    ok = isinstance(value, str | int | np.integer) and not isinstance(value, bool | np.bool_)
    text = str(value).strip() if ok else ""
    if not text:
        raise _fehler(
            "kein Name angegeben" if pr.gefunden(value) is None else "Name ist kein Text",
            item=item,
            field=field,
            expected="einen Namen",
            found=pr.gefunden(value),
            pfad=pfad,
        )
    return text


def _optionaler_name(value: Any, *, item: str, field: str, pfad: tuple[Any, ...]) -> str | None:
    """An optional name: None or blank → None, else a string."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise _fehler(
            "Name ist kein Text", item=item, field=field, expected="einen Namen", found=value, pfad=pfad
        )
    return value.strip()


def _runde(value: Fraction) -> Decimal:
    """Exact value → cents, half up (kaufmännisch); value ≥ 0."""
    cents = math.floor(value * 100 + Fraction(1, 2))
    return from_cents(int(cents))


def _grad_dezimal(value: Fraction) -> Decimal:
    """Degree of fulfilment as a fraction with four decimals (0.8534 = 85,34 %)."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.0001"), "ROUND_HALF_UP"
    )


@dataclass(frozen=True)
class _P:
    """Validated parameters."""

    grenzen: tuple[Decimal, ...]
    neuzugaenge: str
    kostensaetze: tuple[Decimal, ...]
    bedingt: tuple[Decimal, Decimal, Decimal]
    bonus_satz: Decimal
    schwelle: Decimal
    lesart: str
    quelle: str
    gesamtbudget: str
    revision_schwelle: Decimal
    jahr: int
    zahlungsweise: str
    werktag: bool
    bundesland: str | None
    termine: tuple[Any, ...] | None


def _wahl(parameter: Parameter, feld: str, erlaubt: tuple[str, ...], was: str) -> str:
    """A choice parameter: one of ``erlaubt`` (the reader has mapped German words to keys)."""
    return pr.wahl(NAME, parameter, feld, erlaubt, was, field=_titel(feld))


@dataclass(frozen=True)
class _Abschlussregeln:
    """The parameters of the year-end settlement (rule 8)."""

    schwelle: Decimal
    lesart: str
    quelle: str
    gesamtbudget: str


def _pruefe_abschluss_parameter(parameter: Parameter) -> _Abschlussregeln:
    schwelle = _betrag(
        parameter.ruecklage_schwelle,
        item="Parameter",
        field="Rücklage-Schwelle",
        pfad=("parameter", "ruecklage_schwelle"),
    )
    return _Abschlussregeln(
        schwelle,
        _wahl(parameter, "ruecklage_lesart", RUECKLAGE_LESARTEN, "Lesart der Rücklagenregel"),
        _wahl(parameter, "ruecklage_quelle", RUECKLAGE_QUELLEN, "Rücklagenquelle"),
        _wahl(parameter, "gesamtbudget_lesart", GESAMTBUDGET_LESARTEN, "Lesart des Gesamtbudgets"),
    )


def _pruefe_bedingt(parameter: Parameter, gesamtbudget: str) -> tuple[Decimal, Decimal, Decimal]:
    """§3.2 rule 4: the conditional shares, each and together at most 100 % — below 100 % when
    a + b are paid (they are then the rest of the Gesamtbudget, which must be more than 0)."""
    bedingt = tuple(
        _anteil(getattr(parameter, feld), item="Parameter", field=_titel(feld), pfad=("parameter", feld))
        for _, feld, _text in BEDINGUNGEN
    )
    summe = sum(bedingt, Decimal(0))
    if summe > 1 or (summe == 1 and gesamtbudget == "ab_ausgezahlt"):
        raise _fehler(
            "bedingte Anteile zusammen über 100 %" if summe > 1 else "bedingte Anteile zusammen 100 %",
            item="Parameter",
            field="bedingte Anteile",
            expected="höchstens 100 %" if gesamtbudget != "ab_ausgezahlt" else "weniger als 100 %",
            found=_pz(summe, 2),
            pfad=("parameter", "anteil_volunteers"),
        )
    return bedingt[0], bedingt[1], bedingt[2]


def _pruefe_parameter(parameter: Parameter | None) -> _P:
    if parameter is None:
        parameter = Parameter()
    pr.pruefe_typ(NAME, parameter, Parameter, "Parameter haben den falschen Typ", field="Parameter")
    # §3.2 rule 1: ascending Kostentyp bounds
    roh = tuple(parameter.kostentyp_grenzen or ())
    if not roh:
        raise _fehler(
            "keine Kostentyp-Grenzen angegeben",
            item="Parameter",
            field="Kostentyp-Grenzen",
            expected="aufsteigende Beträge, z. B. 10.000; 25.000; 50.000; 100.000",
            pfad=("parameter", "kostentyp_grenzen"),
        )
    grenzen = tuple(
        _betrag(g, item=f"Grenze {nr}", field="Kostentyp-Grenzen", pfad=("parameter", "kostentyp_grenzen"))
        for nr, g in enumerate(roh, start=1)
    )
    for nr in range(1, len(grenzen)):
        if grenzen[nr] <= grenzen[nr - 1]:
            raise _fehler(
                "Kostentyp-Grenzen müssen streng aufsteigend sein",
                item=f"Grenze {nr + 1}",
                field="Kostentyp-Grenzen",
                expected=f"mehr als {grenzen[nr - 1]}",
                found=str(grenzen[nr]),
                pfad=("parameter", "kostentyp_grenzen"),
            )
    pr.wahl(NAME, parameter, "neuzugaenge", NEUZUGAENGE, "Bewertung der Neuzugänge", field="Neuzugänge")
    saetze: tuple[Decimal, ...] = tuple(
        _betrag(s, item=f"Typ {nr}", field="Kostensätze", pfad=("parameter", "kostensaetze"))
        for nr, s in enumerate(parameter.kostensaetze or (), start=1)
    )
    if parameter.neuzugaenge == "kostensatz" and len(saetze) != len(grenzen) + 1:
        raise _fehler(
            "je Kostentyp muss ein Kostensatz angegeben sein",
            item="Parameter",
            field="Kostensätze",
            expected=f"{len(grenzen) + 1} Kostensätze",
            found=f"{len(saetze)} Kostensätze",
            pfad=("parameter", "kostensaetze"),
        )
    regeln = _pruefe_abschluss_parameter(parameter)
    bedingt = _pruefe_bedingt(parameter, regeln.gesamtbudget)
    bonus_satz = _anteil(
        parameter.bonus_hoechstsatz,
        item="Parameter",
        field="Bonus-Höchstsatz",
        pfad=("parameter", "bonus_hoechstsatz"),
    )
    revision_schwelle = _anteil(
        parameter.revision_schwelle,
        item="Parameter",
        field="Revision-Schwelle",
        pfad=("parameter", "revision_schwelle"),
    )
    termine = pr.zahlung(NAME, parameter)  # year, rhythm, dates and Bundesland first
    return _P(
        grenzen,
        parameter.neuzugaenge,
        saetze,
        bedingt,
        bonus_satz,
        regeln.schwelle,
        regeln.lesart,
        regeln.quelle,
        regeln.gesamtbudget,
        revision_schwelle,
        parameter.jahr,
        parameter.zahlungsweise,
        bool(parameter.werktag),
        parameter.bundesland,
        termine,
    )


@dataclass(frozen=True)
class _F:
    fall_id: str
    kosten: Decimal
    zugang: bool
    altfall: bool
    leistungserbringer: str | None
    beendet: bool = False
    reintegration: bool = False

    @property
    def einzeln(self) -> bool:
        """Financed case by case outside Teilbudget a (Altfall or Reintegrationsfall, rule 6)."""
        return self.altfall or self.reintegration


@dataclass(frozen=True)
class _I:
    name: str
    gewicht: Decimal
    soll: Decimal
    ist: Decimal
    richtung: int


@dataclass(frozen=True)
class _E:
    traeger: str
    sozialraum: str
    faelle: tuple[_F, ...]
    b: Decimal
    bedingungen: tuple[bool | None, bool | None, bool | None]
    indikatoren: tuple[_I, ...]
    ist_a: Decimal | None
    ist_b: Decimal | None


def _flag(f: Fall, nr: int, fid: str, feld: str, titel: str) -> bool:
    """A yes/no column of case row ``nr`` (blank: no)."""
    return bool(_ja_nein(getattr(f, feld), item=fid, field=titel, pfad=("faelle", nr - 1, feld)))


def _pruefe_faelle(roh: Sequence[Fall] | None) -> tuple[_F, ...]:
    """The previous year's case list: unique IDs, annual costs, flags (§3.2 rules 1, 2, 6).
    An empty list is allowed (a Sozialraum without cases last year, rule 2)."""
    faelle: list[_F] = []
    seen: dict[str, str] = {}
    for nr, f in enumerate(roh or (), start=1):
        pr.pruefe_typ(
            NAME,
            f,
            Fall,
            "Zeile hat den falschen Typ",
            item=f"Fall Nr. {nr}",
            field="Fallliste",
            pfad=("faelle", nr - 1),
        )
        fid = _name(f.fall_id, item=f"Fall Nr. {nr}", field="Fall-ID", pfad=("faelle", nr - 1, "fall_id"))
        pr.doppelt(NAME, fid, seen, was="Fall-ID", jede="jede", pfad=("faelle", nr - 1, "fall_id"))
        faelle.append(
            _F(
                fid,
                _betrag(
                    f.jahreskosten, item=fid, field="Jahreskosten", pfad=("faelle", nr - 1, "jahreskosten")
                ),
                _flag(f, nr, fid, "zugang_im_vorjahr", "Zugang im Vorjahr"),
                _flag(f, nr, fid, "altfall_extern", "Altfall/extern"),
                _optionaler_name(
                    f.leistungserbringer,
                    item=fid,
                    field="Leistungserbringer",
                    pfad=("faelle", nr - 1, "leistungserbringer"),
                ),
                _flag(f, nr, fid, "beendet_im_vorjahr", "Beendet im Vorjahr"),
                _flag(f, nr, fid, "reintegration", "Reintegrationsfall"),
            )
        )
    return tuple(faelle)


def _pruefe_indikatoren(roh: Sequence[Indikator] | None) -> tuple[_I, ...]:
    """The year's performance indicators: unique names, direction ±1, not all weights 0."""
    indikatoren: list[_I] = []
    seen: dict[str, str] = {}
    for nr, ind in enumerate(roh or (), start=1):
        pr.pruefe_typ(
            NAME,
            ind,
            Indikator,
            "Zeile hat den falschen Typ",
            item=f"Indikator Nr. {nr}",
            field="Indikatoren",
            pfad=("indikatoren", nr - 1),
        )
        name = _name(
            ind.name, item=f"Indikator Nr. {nr}", field="Indikator", pfad=("indikatoren", nr - 1, "name")
        )
        pr.doppelt(NAME, name, seen, was="Indikator", pfad=("indikatoren", nr - 1, "name"))
        if ind.richtung not in (1, -1) or isinstance(ind.richtung, bool):
            raise _fehler(
                "ungültige Richtung",
                item=name,
                field="Richtung",
                expected="+1 (höher ist besser) oder −1 (niedriger ist besser)",
                found=pr.gefunden(ind.richtung),
                pfad=("indikatoren", nr - 1, "richtung"),
            )
        indikatoren.append(
            _I(
                name,
                _zahl(ind.gewicht, item=name, field="Gewicht", pfad=("indikatoren", nr - 1, "gewicht")),
                _zahl(ind.soll, item=name, field="Soll", positiv=True, pfad=("indikatoren", nr - 1, "soll")),
                _zahl(ind.ist, item=name, field="Ist", pfad=("indikatoren", nr - 1, "ist")),
                int(ind.richtung),
            )
        )
    if indikatoren and sum((i.gewicht for i in indikatoren), Decimal(0)) == 0:
        raise _fehler(
            "alle Gewichte der Leistungsindikatoren sind 0",
            item="Leistungsindikatoren",
            field="Gewicht",
            expected="mindestens ein Gewicht größer als 0",
            found="0",
            pfad=("eingabe", "indikatoren"),
        )
    return tuple(indikatoren)


def _pruefe_ist_kosten(eingabe: Eingabe, sozialraum: str) -> tuple[Decimal | None, Decimal | None]:
    """Actual costs of a and b for the year-end settlement: both or neither (§3.2 rule 8)."""
    if (eingabe.ist_kosten_a is None) != (eingabe.ist_kosten_b is None):
        fehlt = "Ist-Kosten a" if eingabe.ist_kosten_a is None else "Ist-Kosten b"
        raise _fehler(
            "für den Jahresabschluss fehlen Ist-Kosten",
            item=sozialraum,
            field=fehlt,
            expected="Ist-Kosten für Teilbudget a und b",
            pfad=("eingabe", "ist_kosten_a" if eingabe.ist_kosten_a is None else "ist_kosten_b"),
        )
    ist_a = (
        None
        if eingabe.ist_kosten_a is None
        else _betrag(
            eingabe.ist_kosten_a, item=sozialraum, field="Ist-Kosten a", pfad=("eingabe", "ist_kosten_a")
        )
    )
    ist_b = (
        None
        if eingabe.ist_kosten_b is None
        else _betrag(
            eingabe.ist_kosten_b, item=sozialraum, field="Ist-Kosten b", pfad=("eingabe", "ist_kosten_b")
        )
    )
    return ist_a, ist_b


def _pruefe_eingabe(eingabe: Eingabe) -> _E:
    pr.pruefe_typ(NAME, eingabe, Eingabe, "Eingabe fehlt oder hat den falschen Typ", field="Eingabe")
    traeger = _name(eingabe.traeger, item="Träger", field="Träger", pfad=("eingabe", "traeger"))
    sozialraum = _name(
        eingabe.sozialraum, item="Sozialraum", field="Sozialraum", pfad=("eingabe", "sozialraum")
    )
    faelle = _pruefe_faelle(eingabe.faelle)
    b = _betrag(eingabe.teilbudget_b, item=sozialraum, field="Teilbudget b", pfad=("eingabe", "teilbudget_b"))
    bedingungen = tuple(
        _ja_nein(
            getattr(eingabe, feld), item=text, field=_titel(feld), pfad=("eingabe", feld), offen_erlaubt=True
        )
        for feld, _, text in BEDINGUNGEN
    )
    indikatoren = _pruefe_indikatoren(eingabe.indikatoren)
    ist_a, ist_b = _pruefe_ist_kosten(eingabe, sozialraum)
    return _E(
        traeger,
        sozialraum,
        faelle,
        b,
        (bedingungen[0], bedingungen[1], bedingungen[2]),
        indikatoren,
        ist_a,
        ist_b,
    )


# --------------------------------------------------------------------------- settlement


@dataclass(frozen=True)
class Jahresabschluss:
    """Year-end settlement of a and b against actual costs (§3.2 rule 8); plain data.

    Signed results: positive = surplus. ``deckung`` is the overrun of one Teilbudget
    covered by the surplus of the other (mutual coverability).
    """

    teilbudget_a: Decimal
    teilbudget_b: Decimal
    ist_kosten_a: Decimal
    ist_kosten_b: Decimal
    nicht_ausgezahlt: Decimal
    verfuegbar: Decimal
    ergebnis_a: Decimal
    ergebnis_b: Decimal
    deckung: Decimal
    ergebnis: Decimal
    ruecklage: Decimal
    ruecklage_frei: Decimal
    ruecklage_gebunden: Decimal
    fehlbetrag: Decimal
    schwelle: Decimal
    lesart: str
    warnungen: tuple[Warnung, ...] = ()
    #: surplus that forms no Rücklage (of b alone, with ``ruecklage_quelle="teilbudget_a"``)
    ueberschuss_ohne_ruecklage: Decimal = ZERO
    quelle: str = "teilbudget_a"

    def zeilen(self) -> list[dict[str, Any]]:
        """The settlement as table rows (keys „Position“, „Betrag“)."""
        rows = [
            ("Teilbudget a (Soll)", self.teilbudget_a),
            ("Ist-Kosten Teilbudget a", self.ist_kosten_a),
            ("Ergebnis Teilbudget a", self.ergebnis_a),
            ("Teilbudget b (Soll)", self.teilbudget_b),
            ("Ist-Kosten Teilbudget b", self.ist_kosten_b),
            ("Ergebnis Teilbudget b", self.ergebnis_b),
            ("Gegenseitige Deckung a/b", self.deckung),
            ("Nicht ausgezahlte bedingte Anteile", -self.nicht_ausgezahlt),
            ("Verfügbar (a + b, ausgezahlt)", self.verfuegbar),
            ("Ergebnis gesamt", self.ergebnis),
            ("Rücklage (Übertrag ins Folgejahr, ohne Anrechnung auf das Budget)", self.ruecklage),
            ("davon frei für die gesamte Jugendhilfe", self.ruecklage_frei),
            ("davon gebunden an Erziehungshilfe", self.ruecklage_gebunden),
            ("Überschuss ohne Rücklage (Teilbudget b)", self.ueberschuss_ohne_ruecklage),
            ("Fehlbetrag", self.fehlbetrag),
            (f"Schwelle (DM 100.000, Lesart „{self.lesart}“)", self.schwelle),
        ]
        return [{"Position": text, "Betrag": betrag} for text, betrag in rows]


def _deckung(
    ergebnis_a: Decimal, ergebnis_b: Decimal, traeger: str | None, sozialraum: str | None
) -> tuple[Decimal, list[Warnung]]:
    """§3.2: a and b are mutually coverable — an overrun of one is covered by the other's surplus."""
    if ergebnis_a < 0 < ergebnis_b:
        deckung, ueber, von = min(-ergebnis_a, ergebnis_b), "a", "b"
    elif ergebnis_b < 0 < ergebnis_a:
        deckung, ueber, von = min(-ergebnis_b, ergebnis_a), "b", "a"
    else:
        return ZERO, []
    betrag = -(ergebnis_a if ueber == "a" else ergebnis_b)
    return deckung, [
        Warnung(
            f"Teilbudget {ueber} um {_fmt_betrag(betrag)} überschritten; "
            f"{_fmt_betrag(deckung)} sind durch Teilbudget {von} gedeckt (gegenseitige Deckungsfähigkeit).",
            code="deckung",
            traeger=traeger,
            sozialraum=sozialraum,
        )
    ]


def _ruecklage(
    a: Decimal, b: Decimal, nicht_ausgezahlt: Decimal, ist_a: Decimal, ergebnis: Decimal, quelle: str
) -> Decimal:
    """§3.2 rule 8: the Rücklage. „Bei einem Überschuss des Teilbudgets a“ (``teilbudget_a``): the
    surplus of a after what was not paid (charged to a and b pro rata) and after covering an
    overrun of b; ``a_und_b``: the whole surplus."""
    if ergebnis <= 0:
        return ZERO
    if quelle == "a_und_b":
        return ergebnis
    nicht_a = allocate(nicht_ausgezahlt, [a, b])[0] if a + b > 0 else ZERO
    return max(ZERO, min(ergebnis, a - nicht_a - ist_a))


def _einstufung(ruecklage: Decimal, schwelle: Decimal, lesart: str) -> Decimal:
    """The free part of a Rücklage: „Beträge, die unter einer Summe von DM 100.000 liegen“ —
    strictly below the threshold (51.129,19 € is already above DM 100.000)."""
    if lesart == "gesamt":
        return ruecklage if ruecklage < schwelle else ZERO
    return max(ZERO, min(ruecklage, schwelle - Decimal("0.01")))


def _abschluss(
    a: Decimal,
    b: Decimal,
    einbehalten: Decimal,
    offen: Decimal,
    ist_a: Decimal,
    ist_b: Decimal,
    regeln: _Abschlussregeln,
    traeger: str | None = None,
    sozialraum: str | None = None,
) -> Jahresabschluss:
    if regeln.gesamtbudget == "ab_ausgezahlt":  # the conditional parts are on top of a + b
        einbehalten = offen = ZERO
    ergebnis_a = a - ist_a
    ergebnis_b = b - ist_b
    deckung, warnungen = _deckung(ergebnis_a, ergebnis_b, traeger, sozialraum)
    if offen > 0:
        warnungen.append(
            Warnung(
                f"Bedingte Anteile über {_fmt_betrag(offen)} sind noch nicht geprüft und im Jahresabschluss "
                "nicht als ausgezahlt berücksichtigt.",
                code="bedingung_offen",
                traeger=traeger,
                sozialraum=sozialraum,
            )
        )
    nicht_ausgezahlt = einbehalten + offen
    verfuegbar = a + b - nicht_ausgezahlt
    ergebnis = verfuegbar - ist_a - ist_b
    ruecklage = _ruecklage(a, b, nicht_ausgezahlt, ist_a, ergebnis, regeln.quelle)
    fehlbetrag = max(-ergebnis, ZERO)
    frei = _einstufung(ruecklage, regeln.schwelle, regeln.lesart)
    ohne = max(ergebnis, ZERO) - ruecklage
    if ohne > 0:
        warnungen.append(
            Warnung(
                f"Überschuss von {_fmt_betrag(ohne)} aus Teilbudget b bildet keine Rücklage (Gutachten: "
                "„Bei einem Überschuss des Teilbudgets a kann der Träger Rücklagen bilden“).",
                code="ueberschuss_b",
                traeger=traeger,
                sozialraum=sozialraum,
            )
        )
    if fehlbetrag > 0:
        warnungen.append(
            Warnung(
                "Fehlbetrag im Jahresabschluss: die Ist-Kosten übersteigen das ausgezahlte Budget "
                f"(a + b) um {_fmt_betrag(fehlbetrag)}; es wird keine Rücklage gebildet.",
                code="fehlbetrag",
                traeger=traeger,
                sozialraum=sozialraum,
            )
        )
    return Jahresabschluss(
        teilbudget_a=a,
        teilbudget_b=b,
        ist_kosten_a=ist_a,
        ist_kosten_b=ist_b,
        nicht_ausgezahlt=nicht_ausgezahlt,
        verfuegbar=verfuegbar,
        ergebnis_a=ergebnis_a,
        ergebnis_b=ergebnis_b,
        deckung=deckung,
        ergebnis=ergebnis,
        ruecklage=ruecklage,
        ruecklage_frei=frei,
        ruecklage_gebunden=ruecklage - frei,
        fehlbetrag=fehlbetrag,
        schwelle=regeln.schwelle,
        lesart=regeln.lesart,
        warnungen=tuple(warnungen),
        ueberschuss_ohne_ruecklage=ohne,
        quelle=regeln.quelle,
    )


def jahresabschluss(
    budget: ModelResult | tuple[Any, Any],
    ist_kosten_a: Any,
    ist_kosten_b: Any,
    parameter: Parameter | None = None,
) -> Jahresabschluss:
    """Year-end settlement (§3.2 rule 8) of a computed budget or of planned amounts ``(a, b)``.

    From a :class:`ModelResult` of this model computed with ``gesamtbudget_lesart=
    "ab_gesamtbudget"`` the conditional parts that were withheld or are not yet assessed are not
    counted as available (that reading is then taken from the result); from ``(a, b)`` the whole
    sum is.

    a = 900.000, b = 100.000, Ist a = 880.000, Ist b = 60.000: surplus of a 20.000 € → Rücklage
    (below DM 100.000: free); the 40.000 € surplus of b forms none.

    >>> j = jahresabschluss((Decimal("900000"), Decimal("100000")), Decimal("880000"), Decimal("60000"))
    >>> j.ruecklage, j.ruecklage_frei, j.ruecklage_gebunden, j.ueberschuss_ohne_ruecklage
    (Decimal('20000.00'), Decimal('20000.00'), Decimal('0.00'), Decimal('40000.00'))
    """
    if parameter is None:
        parameter = Parameter()
    pr.pruefe_typ(NAME, parameter, Parameter, "Parameter haben den falschen Typ", field="Parameter")
    regeln = _pruefe_abschluss_parameter(parameter)
    traeger = sozialraum = None
    if isinstance(budget, ModelResult):
        if budget.modell != NAME:
            raise _fehler(
                "Ergebnis stammt nicht aus dem Stuttgarter Modell",
                item="Budget",
                field="Modell",
                expected=NAME,
                found=budget.modell,
            )
        k = budget.kennzahlen
        a, b = k[K_A], k[K_B]
        einbehalten, offen = k[K_BED_EINBEHALTEN], k[K_BED_OFFEN]
        if isinstance(budget.parameter, Parameter):
            regeln = dataclasses.replace(regeln, gesamtbudget=budget.parameter.gesamtbudget_lesart)
        traeger = budget.traeger[0] if budget.traeger else None
        sozialraum = budget.sozialraeume[0] if budget.sozialraeume else None
    else:
        try:
            roh_a, roh_b = budget
        except (TypeError, ValueError) as exc:
            raise _fehler(
                "ungültiges Budget für den Jahresabschluss",
                item="Budget",
                field="Budget",
                expected="Ergebnis des Modells oder (Teilbudget a, Teilbudget b)",
                found=type(budget).__name__,
            ) from exc
        a = _betrag(roh_a, item="Budget", field="Teilbudget a")
        b = _betrag(roh_b, item="Budget", field="Teilbudget b")
        einbehalten = offen = ZERO
    ist_a = _betrag(ist_kosten_a, item="Jahresabschluss", field="Ist-Kosten a")
    ist_b = _betrag(ist_kosten_b, item="Jahresabschluss", field="Ist-Kosten b")
    return _abschluss(a, b, einbehalten, offen, ist_a, ist_b, regeln, traeger, sozialraum)


# --------------------------------------------------------------------------- budget


def _typ_name(nr: int, grenzen: Sequence[Decimal]) -> str:
    if nr == 0:
        return f"Typ 1 (bis {_fmt_betrag(grenzen[0])})"
    if nr == len(grenzen):
        return f"Typ {nr + 1} (über {_fmt_betrag(grenzen[-1])})"
    return f"Typ {nr + 1} (über {_fmt_betrag(grenzen[nr - 1])} bis {_fmt_betrag(grenzen[nr])})"


@dataclass(frozen=True)
class _Typen:
    """Teilbudget a by Kostentyp (§3.2 rules 1 and 2); lists are indexed by type."""

    typ_von: dict[str, int]
    anzahl: list[int]
    summe: list[Decimal]
    zugaenge: list[int]
    mittel: list[Decimal | None]
    satz: list[Decimal]
    neu_kosten: list[Decimal]
    anfangsbestand: Decimal
    neuzugaenge: Decimal
    a: Decimal
    #: Kostentypen whose rate comes from ended cases only (no running case of the type)
    nur_beendet: tuple[int, ...] = ()


@dataclass(frozen=True)
class _Auszahlung:
    """The unconditional part and the conditional parts of the Gesamtbudget (§3.2 rule 4)."""

    unbedingt: Decimal
    positionen: list[LineItem]
    tabelle: list[dict[str, Any]]
    ausgezahlt: Decimal
    einbehalten: Decimal
    offen: Decimal
    warnungen: list[Warnung]
    #: the Gesamtbudget G (conditional shares and bonus are fractions of it)
    gesamtbudget: Decimal


@dataclass(frozen=True)
class _Bonus:
    """The Leistungsbonus (§3.2 rule 5); ``position`` None without indicators."""

    hoechstbetrag: Decimal
    bonus: Decimal
    grad: Fraction | None
    tabelle: list[dict[str, Any]]
    position: LineItem | None


def _hinweise(e: _E, laufend: Sequence[_F], p: _P) -> list[Warnung]:
    """Warnings about the case list and unused rates."""
    t, sr = e.traeger, e.sozialraum
    warnungen: list[Warnung] = []
    for f in e.faelle:
        if f.kosten == 0:
            warnungen.append(
                Warnung(
                    f"Fall {f.fall_id} hat Jahreskosten von 0,00 €.",
                    code="fall_ohne_kosten",
                    traeger=t,
                    sozialraum=sr,
                )
            )
        if f.einzeln and f.zugang:
            art = "Reintegrationsfall" if f.reintegration else "Altfall (extern)"
            warnungen.append(
                Warnung(
                    f"Fall {f.fall_id} ist als {art} und als Zugang im Vorjahr markiert; "
                    f"er wird als {art} außerhalb von Teilbudget a finanziert und nicht als Zugang gezählt.",
                    code="altfall_zugang",
                    traeger=t,
                    sozialraum=sr,
                )
            )
        if f.einzeln and f.beendet:
            warnungen.append(
                Warnung(
                    f"Fall {f.fall_id} ist im Vorjahr beendet und wird nicht mehr einzeln finanziert.",
                    code="einzelfall_beendet",
                    traeger=t,
                    sozialraum=sr,
                )
            )
    if not e.faelle:
        warnungen.append(
            Warnung(
                "Keine Fälle im Vorjahr: Teilbudget a ist 0,00 €; der Sozialraum erhält Teilbudget b "
                "(fallunspezifische Arbeit). Kommen im Haushaltsjahr Fälle hinzu, ist eine nachträgliche "
                "Änderung des Budgets anhand der Controllingdaten zu prüfen.",
                code="keine_faelle",
                traeger=t,
                sozialraum=sr,
            )
        )
    elif not laufend:
        warnungen.append(
            Warnung(
                "Keine laufenden Fälle: der Anfangsbestand ist 0,00 €.",
                code="keine_faelle",
                traeger=t,
                sozialraum=sr,
            )
        )
    if p.neuzugaenge == "mittelwert" and p.kostensaetze:
        warnungen.append(
            Warnung(
                "Kostensätze je Kostentyp sind angegeben, werden aber nur mit der Option „kostensatz“ "
                "verwendet.",
                code="kostensaetze_ungenutzt",
                traeger=t,
                sozialraum=sr,
            )
        )
    return warnungen


def _mittelwerte(
    n_typen: int, typ_von: dict[str, int], laufend: Sequence[_F], beendet: Sequence[_F]
) -> tuple[list[int], list[Decimal], list[Decimal | None], tuple[int, ...]]:
    """Running cases and their cost per Kostentyp, and the mean annual cost of each type: of its
    running cases, or of its ended cases when it has no running one (rule 2)."""
    anzahl = [0] * n_typen
    summe = [ZERO] * n_typen
    for f in laufend:
        anzahl[typ_von[f.fall_id]] += 1
        summe[typ_von[f.fall_id]] += f.kosten
    mittel = [_runde(Fraction(summe[k]) / anzahl[k]) if anzahl[k] else None for k in range(n_typen)]
    nur_beendet = []
    for k in range(n_typen):
        kosten = [f.kosten for f in beendet if typ_von[f.fall_id] == k]
        if mittel[k] is None and kosten:
            mittel[k] = _runde(Fraction(sum(kosten, ZERO)) / len(kosten))
            nur_beendet.append(k)
    return anzahl, summe, mittel, tuple(nur_beendet)


def _teilbudget_a(faelle: Sequence[_F], p: _P) -> _Typen:
    """Kostentypen, Anfangsbestand and expected new cases (§3.2 rules 1 and 2). ``faelle``: the
    cases of Teilbudget a (no Altfälle or Reintegrationsfälle), running and ended in the base year."""
    # §3.2 rule 1: Kostentypen by annual-cost bands (cost = bound → lower type)
    n_typen = len(p.grenzen) + 1
    typ_von = {f.fall_id: bisect.bisect_left(p.grenzen, f.kosten) for f in faelle}
    laufend = [f for f in faelle if not f.beendet]
    anzahl, summe, mittel, nur_beendet = _mittelwerte(
        n_typen, typ_von, laufend, [f for f in faelle if f.beendet]
    )
    # §3.2 rule 2: Zugänge of the base year per type, ended ones included
    zugaenge = [0] * n_typen
    for f in faelle:
        zugaenge[typ_von[f.fall_id]] += int(f.zugang)
    # §3.2 rule 2: Anfangsbestand = previous-year cost of all running cases
    anfangsbestand = sum(summe, ZERO)
    # §3.2 rule 2: expected new cases = last year's new cases per type × rate of the type
    if p.neuzugaenge == "kostensatz":
        satz = list(p.kostensaetze)
    else:
        satz = [m if m is not None else ZERO for m in mittel]
    neu_kosten = [zugaenge[k] * satz[k] for k in range(n_typen)]
    neuzugaenge = sum(neu_kosten, ZERO)
    return _Typen(
        typ_von,
        anzahl,
        summe,
        zugaenge,
        mittel,
        satz,
        neu_kosten,
        anfangsbestand,
        neuzugaenge,
        anfangsbestand + neuzugaenge,
        nur_beendet if p.neuzugaenge == "mittelwert" else (),
    )


def _teile(a: Decimal, b: Decimal, p: _P) -> tuple[Decimal, Decimal, list[Decimal], Decimal]:
    """§3.2 rule 4: (unconditional a, unconditional b, conditional parts, Gesamtbudget G).

    ``ab_ausgezahlt``: a + b are paid and are the unconditional share u of G = (a + b)/u; the
    conditional parts (a + b)·s/u (rounded half up) are split by their shares. ``ab_gesamtbudget``:
    G = a + b, one largest-remainder split into u and the conditional shares, u split onto a and b
    pro rata."""
    s = sum(p.bedingt, Decimal(0))
    u = Decimal(1) - s
    if p.gesamtbudget == "ab_ausgezahlt":
        zusatz = _runde(Fraction(a + b) * Fraction(s) / Fraction(u)) if s > 0 else ZERO
        bedingt = allocate(zusatz, p.bedingt) if zusatz > 0 else [ZERO] * len(p.bedingt)
        return a, b, bedingt, a + b + zusatz
    g = a + b
    unbedingt, *bedingt = allocate(g, [u, *p.bedingt])
    unbedingt_a, unbedingt_b = allocate(unbedingt, [a, b]) if g > 0 else (ZERO, ZERO)
    return unbedingt_a, unbedingt_b, bedingt, g


def _bedingung_status(status: bool | None) -> tuple[Art, str, str]:
    """(kind of the item, text in the position, text in the table) of a condition's status."""
    if status is True:
        return Art.BEDINGT, "Bedingung erfüllt", "erfüllt – wird ausgezahlt"
    if status is False:
        return (
            Art.EINBEHALTEN,
            "Bedingung nicht erfüllt, beim Jugendamt einbehalten",
            "nicht erfüllt – einbehalten",
        )
    return Art.BEDINGT, "Erfüllung noch nicht geprüft", "offen – noch nicht geprüft"


def _auszahlung(a: Decimal, b: Decimal, p: _P, e: _E) -> _Auszahlung:
    """The unconditional part and the conditional 1 % / 3 % / 1 % of the Gesamtbudget (§3.2 rule 4)."""
    t, sr, q = e.traeger, e.sozialraum, _QUELLE_POS
    unbedingt_a, unbedingt_b, bedingt_betraege, g = _teile(a, b, p)
    unbedingt_satz = Decimal(1) - sum(p.bedingt, Decimal(0))
    if p.gesamtbudget == "ab_ausgezahlt":
        zusatz = f"ganz ausgezahlt; a + b = {_pz(unbedingt_satz)} des Gesamtbudgets"
    else:
        zusatz = f"unbedingter Anteil ({_pz(unbedingt_satz)})"
    positionen: list[LineItem] = [
        LineItem(f"Teilbudget a – fallbezogene Erziehungshilfe, {zusatz}", unbedingt_a, Art.UNBEDINGT, t, sr,
                 quelle=q),
        LineItem(f"Teilbudget b – fallunspezifische Arbeit, {zusatz}", unbedingt_b, Art.UNBEDINGT, t, sr,
                 quelle=q),
    ]  # fmt: skip
    tabelle: list[dict[str, Any]] = []
    warnungen: list[Warnung] = []
    summen = {Art.BEDINGT: ZERO, Art.EINBEHALTEN: ZERO, None: ZERO}
    for (_, _, text), satz_b, betrag, status in zip(BEDINGUNGEN, p.bedingt, bedingt_betraege, e.bedingungen):
        art, zusatz_b, status_text = _bedingung_status(status)
        summen[art if status is not None else None] += betrag
        tabelle.append(
            {
                "Bedingung": text,
                "Anteil": satz_b,
                "Betrag": betrag,
                "Status": status_text,
                "Ausgezahlt": "ja" if status is True else ("nein" if status is False else "offen"),
            }
        )
        if satz_b == 0:
            continue
        positionen.append(
            LineItem(
                f"Bedingter Anteil: {text} ({_pz(satz_b)} des Gesamtbudgets) – {zusatz_b}",
                betrag,
                art,
                t if art is not Art.EINBEHALTEN else None,
                sr,
                bedingung=f"Auszahlung nur bei {text} ({_pz(satz_b)} des Gesamtbudgets)"
                if art is Art.BEDINGT
                else "",
                quelle=q,
            )
        )
        if status is False and betrag > 0:
            warnungen.append(
                Warnung(
                    f"Bedingung „{text}“ nicht erfüllt: {_fmt_betrag(betrag)} werden einbehalten.",
                    code="bedingung_nicht_erfuellt",
                    traeger=t,
                    sozialraum=sr,
                )
            )
    return _Auszahlung(
        unbedingt_a + unbedingt_b,
        positionen,
        tabelle,
        summen[Art.BEDINGT],
        summen[Art.EINBEHALTEN],
        summen[None],
        warnungen,
        g,
    )


def _leistungsbonus(g: Decimal, p: _P, e: _E) -> _Bonus:
    """Leistungsbonus on top, cap × weighted degree of fulfilment (§3.2 rule 5)."""
    bonus_max = _runde(Fraction(g) * Fraction(p.bonus_satz))
    if not e.indikatoren:
        return _Bonus(bonus_max, ZERO, None, [], None)
    tabelle: list[dict[str, Any]] = []
    summe_w = sum((Fraction(i.gewicht) for i in e.indikatoren), Fraction(0))
    gewichtet = Fraction(0)
    for ind in e.indikatoren:
        soll, ist = Fraction(ind.soll), Fraction(ind.ist)
        if ind.richtung == 1:
            grad = min(ist / soll, Fraction(1))
        else:
            grad = Fraction(1) if ist == 0 else min(soll / ist, Fraction(1))
        gewichtet += Fraction(ind.gewicht) * grad
        tabelle.append(
            {
                "Indikator": ind.name,
                "Gewicht": ind.gewicht,
                "Soll": ind.soll,
                "Ist": ind.ist,
                "Richtung": "höher ist besser" if ind.richtung == 1 else "niedriger ist besser",
                "Erfüllungsgrad": _grad_dezimal(grad),
            }
        )
    grad_gesamt = gewichtet / summe_w
    bonus = _runde(Fraction(bonus_max) * grad_gesamt)
    position = LineItem(
        "Leistungsbonus (zusätzlich zum Gesamtbudget)",
        bonus,
        Art.BONUS,
        e.traeger,
        e.sozialraum,
        bedingung=(
            f"Höhe nach dem gewichteten Erfüllungsgrad der Leistungsindikatoren "
            f"({_pz(grad_gesamt, 2)}) von höchstens {_pz(p.bonus_satz)} des Gesamtbudgets "
            f"({_fmt_betrag(bonus_max)}); Verwendung nur im eigenen Bereich in Abstimmung mit dem ASD"
        ),
        quelle=_QUELLE_BONUS,
    )
    return _Bonus(bonus_max, bonus, grad_gesamt, tabelle, position)


def _empfaenger(f: _F, traeger: str) -> str | None:
    """Who is paid for a case financed one by one: the named provider; a Reintegrationsfall
    without one is the Versorgungsträger's (the case is back in its area)."""
    return f.leistungserbringer or (traeger if f.reintegration else None)


def _altfall_positionen(einzeln: Sequence[_F], traeger: str, sozialraum: str) -> list[LineItem]:
    """Altfälle and Reintegrationsfälle financed case by case (open-ended, forecast = previous-year
    cost; §3.2 rule 6)."""
    return [
        LineItem(
            (
                f"Reintegrationsfall {f.fall_id}"
                if f.reintegration
                else f"Altfall {f.fall_id} (extern untergebracht)"
            )
            + " – Einzelfinanzierung außerhalb von Teilbudget a",
            f.kosten,
            Art.OFFEN,
            _empfaenger(f, traeger),
            sozialraum,
            bedingung="Abrechnung im Einzelfall nach dem im Hilfeplan festgelegten Leistungsumfang; "
            "Betrag = Prognose aus den Kosten des Vorjahres",
            quelle=_QUELLE_POS,
        )
        for f in einzeln
    ]


def _fallart(f: _F, typen: _Typen, p: _P) -> str:
    if f.reintegration:
        return "Reintegrationsfall"
    if f.altfall:
        return "Altfall (extern)"
    return _typ_name(typen.typ_von[f.fall_id], p.grenzen)


def _tabellen(
    e: _E, p: _P, typen: _Typen, auszahlung: _Auszahlung, bonus: _Bonus, einzeln: Sequence[_F]
) -> dict[str, Any]:
    """The result tables (Kostentypen, Fallliste, Bedingte Anteile, indicators, Altfälle)."""
    kostentypen = [
        {
            "Kostentyp": _typ_name(k, p.grenzen),
            "Untergrenze (über)": p.grenzen[k - 1] if k > 0 else ZERO,
            "Obergrenze (bis)": p.grenzen[k] if k < len(p.grenzen) else None,
            "Fälle": typen.anzahl[k],
            "Kosten Vorjahr": typen.summe[k],
            "Mittlere Jahreskosten": typen.mittel[k],
            "Zugänge im Vorjahr": typen.zugaenge[k],
            "Kostensatz Neuzugang": typen.satz[k],
            "Erwartete Kosten Neuzugänge": typen.neu_kosten[k],
        }
        for k in range(len(p.grenzen) + 1)
    ]
    fallliste = [
        {
            "Fall-ID": f.fall_id,
            "Jahreskosten": f.kosten,
            "Kostentyp": _fallart(f, typen, p),
            "Zugang im Vorjahr": "ja" if f.zugang else "nein",
            "Altfall/extern": "ja" if f.altfall else "nein",
            "Beendet im Vorjahr": "ja" if f.beendet else "nein",
            "Reintegrationsfall": "ja" if f.reintegration else "nein",
        }
        for f in e.faelle
    ]
    tabellen: dict[str, Any] = {
        "Kostentypen": kostentypen,
        "Fallliste": fallliste,
        "Bedingte Anteile": auszahlung.tabelle,
    }
    if bonus.tabelle:
        tabellen["Leistungsindikatoren"] = bonus.tabelle
    if einzeln:
        tabellen["Altfälle"] = [
            {
                "Fall-ID": f.fall_id,
                "Leistungserbringer": _empfaenger(f, e.traeger) or "",
                "Kosten Vorjahr (Prognose)": f.kosten,
                "Finanzierung": "Einzelfall nach Hilfeplan",
                "Fallart": "Reintegrationsfall" if f.reintegration else "Altfall (extern untergebracht)",
                "Trägerart": "Versorgungsträger"
                if _empfaenger(f, e.traeger) == e.traeger
                else "externer Leistungserbringer",
            }
            for f in einzeln
        ]
    return tabellen


def _kennzahlen(
    p: _P,
    faelle: Sequence[_F],
    typen: _Typen,
    b: Decimal,
    auszahlung: _Auszahlung,
    bonus: _Bonus,
    einzeln: Sequence[_F],
    gesamt: Decimal,
) -> dict[str, Any]:
    altfaelle = [f for f in einzeln if not f.reintegration]
    reintegration = [f for f in einzeln if f.reintegration]
    return {
        K_LAUFEND: sum(1 for f in faelle if not f.beendet),
        K_ZUGAENGE: sum(typen.zugaenge),
        K_BEENDET: sum(1 for f in faelle if f.beendet),
        K_ALT_ANZAHL: len(altfaelle),
        K_REINT_ANZAHL: len(reintegration),
        K_ANFANGSBESTAND: typen.anfangsbestand,
        K_NEUZUGAENGE: typen.neuzugaenge,
        K_A: typen.a,
        K_B: b,
        K_G: typen.a + b,
        K_GESAMT: auszahlung.gesamtbudget,
        K_UNBEDINGT: auszahlung.unbedingt,
        K_BED_AUSGEZAHLT: auszahlung.ausgezahlt,
        K_BED_EINBEHALTEN: auszahlung.einbehalten,
        K_BED_OFFEN: auszahlung.offen,
        K_BONUS_MAX: bonus.hoechstbetrag,
        K_BONUS: bonus.bonus,
        K_GRAD: None if bonus.grad is None else _grad_dezimal(bonus.grad),
        K_ALTFAELLE: sum((f.kosten for f in altfaelle), ZERO),
        K_REINT: sum((f.kosten for f in reintegration), ZERO),
        K_GESAMTMITTEL: gesamt,
        "Neuzugänge bewertet nach": p.neuzugaenge,
        "Lesart Gesamtbudget": p.gesamtbudget,
    }


def _typ_hinweise(typen: _Typen, p: _P, e: _E) -> list[Warnung]:
    """A Hinweis per Kostentyp whose rate comes from cases that ended in the base year only."""
    return [
        Warnung(
            f"{_typ_name(k, p.grenzen)}: keine laufenden Fälle; die Neuzugänge werden mit den mittleren "
            "Kosten der im Vorjahr beendeten Fälle dieses Kostentyps bewertet.",
            code="kostentyp_nur_beendet",
            traeger=e.traeger,
            sozialraum=e.sozialraum,
        )
        for k in typen.nur_beendet
    ]


def berechne(eingabe: Eingabe, parameter: Parameter | None = None) -> ModelResult:
    """Budget of the Träger by the Stuttgart rules (see module docstring)."""
    p = _pruefe_parameter(parameter)
    e = _pruefe_eingabe(eingabe)
    # §3.2 rule 6: Altfälle and Reintegrationsfälle are outside Teilbudget a; ended ones are not financed
    faelle_a = [f for f in e.faelle if not f.einzeln]
    einzeln = [f for f in e.faelle if f.einzeln and not f.beendet]
    warnungen = _hinweise(e, [f for f in faelle_a if not f.beendet], p)
    typen = _teilbudget_a(faelle_a, p)
    warnungen += _typ_hinweise(typen, p, e)
    auszahlung = _auszahlung(typen.a, e.b, p, e)
    warnungen += auszahlung.warnungen
    bonus = _leistungsbonus(auszahlung.gesamtbudget, p, e)
    positionen = list(auszahlung.positionen)
    if bonus.position is not None:
        positionen.append(bonus.position)
    positionen += _altfall_positionen(einzeln, e.traeger, e.sozialraum)

    tabellen = _tabellen(e, p, typen, auszahlung, bonus, einzeln)
    gesamt = sum((pos.betrag for pos in positionen), ZERO)
    kennzahlen = _kennzahlen(p, faelle_a, typen, e.b, auszahlung, bonus, einzeln, gesamt)

    # §3.2 rule 8: year-end settlement when actual costs are given
    if e.ist_a is not None and e.ist_b is not None:
        regeln = _Abschlussregeln(p.schwelle, p.lesart, p.quelle, p.gesamtbudget)
        abschluss = _abschluss(
            typen.a,
            e.b,
            auszahlung.einbehalten,
            auszahlung.offen,
            e.ist_a,
            e.ist_b,
            regeln,
            e.traeger,
            e.sozialraum,
        )
        tabellen["Jahresabschluss"] = abschluss.zeilen()
        kennzahlen["Ergebnis Jahresabschluss"] = abschluss.ergebnis
        kennzahlen["Rücklage"] = abschluss.ruecklage
        kennzahlen["Rücklage frei (gesamte Jugendhilfe)"] = abschluss.ruecklage_frei
        kennzahlen["Rücklage gebunden (Erziehungshilfe)"] = abschluss.ruecklage_gebunden
        kennzahlen[K_UEBERSCHUSS_B] = abschluss.ueberschuss_ohne_ruecklage
        kennzahlen["Fehlbetrag"] = abschluss.fehlbetrag
        warnungen.extend(abschluss.warnungen)

    # §3.2 rule 7: instalments for the unconditional part
    return pr.ergebnis(
        NAME,
        TITEL,
        QUELLE,
        p,
        positionen,
        warnungen,
        kennzahlen,
        tabellen,
        termine=p.termine,
        gesamt=gesamt,
        parameter=parameter if parameter is not None else Parameter(),
        eingabe=eingabe,
    )


# --------------------------------------------------------------------------- revision

#: figures compared by revision() when the agreed budget is a ModelResult
_VERGLEICH = (
    K_LAUFEND,
    K_ZUGAENGE,
    K_ANFANGSBESTAND,
    K_NEUZUGAENGE,
    K_A,
    K_B,
    K_G,
    K_GESAMT,
    K_UNBEDINGT,
    K_BONUS_MAX,
    K_ALTFAELLE,
    K_REINT,
)


@dataclass(frozen=True)
class Revision:
    """Recomputed budget vs the agreed one (§3.2 rule 9); ``differenz`` = neu − vereinbart (of the
    Teilbudgets a + b)."""

    vereinbart: Decimal
    neu: Decimal
    differenz: Decimal
    #: differenz / vereinbart as a fraction (four decimals), None if nothing was agreed
    differenz_prozent: Decimal | None
    zeilen: tuple[Mapping[str, Any], ...]
    warnungen: tuple[Warnung, ...]
    ergebnis: ModelResult
    #: the change reaches ``revision_schwelle``: a nachträgliche Änderung is possible
    wesentlich: bool = False
    schwelle: Decimal = Decimal("0.05")


def revision(
    eingabe_neu: Eingabe, vereinbart: ModelResult | Any, parameter: Parameter | None = None
) -> Revision:
    """Recompute with new inputs and report the delta to the agreed Teilbudgets a + b.

    ``vereinbart`` is either the agreed amount (a + b) or the agreed :class:`ModelResult` (then
    every figure — cases, Anfangsbestand, a, b, … — is compared). A change of at least
    ``revision_schwelle`` of the agreed amount (or any change when nothing was agreed) is
    „wesentlich“: the budget may be changed afterwards; a smaller one gives a Hinweis only.

    >>> e, p = beispiel()
    >>> r = revision(e, Decimal("1500000"), p)
    >>> r.neu - r.vereinbart == r.differenz
    True
    """
    if isinstance(vereinbart, ModelResult):
        if vereinbart.modell != NAME:
            raise _fehler(
                "Ergebnis stammt nicht aus dem Stuttgarter Modell",
                item="Revision",
                field="Vereinbart",
                expected=NAME,
                found=vereinbart.modell,
            )
        alt = vereinbart.kennzahlen[K_G]
    else:
        alt = _betrag(vereinbart, item="Revision", field="Vereinbartes Gesamtbudget")
    ergebnis = berechne(eingabe_neu, parameter)
    neu = ergebnis.kennzahlen[K_G]
    differenz = neu - alt
    prozent = None if alt == 0 else (differenz / alt).quantize(Decimal("0.0001"), "ROUND_HALF_UP")
    if isinstance(vereinbart, ModelResult):
        zeilen = [
            {
                "Größe": key,
                "Vereinbart": vereinbart.kennzahlen[key],
                "Neu": ergebnis.kennzahlen[key],
                "Differenz": ergebnis.kennzahlen[key] - vereinbart.kennzahlen[key],
            }
            for key in _VERGLEICH
        ]
    else:
        zeilen = [{"Größe": K_G, "Vereinbart": alt, "Neu": neu, "Differenz": differenz}]
    schwelle = _pruefe_parameter(parameter).revision_schwelle  # checked by berechne already
    wesentlich = differenz != 0 and (prozent is None or abs(differenz) >= schwelle * alt)
    warnungen = _revision_hinweise(differenz, prozent, schwelle, wesentlich, ergebnis)
    return Revision(
        alt, neu, differenz, prozent, tuple(zeilen), tuple(warnungen), ergebnis, wesentlich, schwelle
    )


def _revision_hinweise(
    differenz: Decimal, prozent: Decimal | None, schwelle: Decimal, wesentlich: bool, ergebnis: ModelResult
) -> list[Warnung]:
    """The Hinweis of a revision: a wesentliche change (at least the threshold) or a smaller one."""
    if differenz == 0:
        return []
    richtung = "über" if differenz > 0 else "unter"
    anteil = f" ({_pz(abs(prozent), 2)})" if prozent is not None else ""
    lage = (
        f"Das neu berechnete Budget (a + b) liegt um {_fmt_betrag(abs(differenz))}{anteil} {richtung} dem "
        "vereinbarten Budget"
    )
    ort = {
        "traeger": ergebnis.traeger[0] if ergebnis.traeger else None,
        "sozialraum": ergebnis.sozialraeume[0] if ergebnis.sozialraeume else None,
    }
    if wesentlich:
        text = (
            f"Nachträgliche Änderung: {lage[0].lower()}{lage[1:]}; das ist eine wesentliche Änderung "
            f"(Schwelle {_pz(schwelle, 2)}). Anlass (Änderung der Sozialraumstruktur oder des "
            "Fallaufkommens) anhand der Controllingdaten nachweisen."
        )
        return [Warnung(text, code="revision", **ort)]
    text = (
        f"{lage}; das ist weniger als die Schwelle von {_pz(schwelle, 2)} für eine wesentliche Änderung: "
        "das vereinbarte Budget gilt weiter."
    )
    return [Warnung(text, code="revision_unwesentlich", **ort)]


# --------------------------------------------------------------------------- example


def beispiel() -> tuple[Eingabe, Parameter]:
    """A Sozialraum with 30 running cases (8 new last year), 2 Altfälle, three indicators."""
    kosten = [
        # (Fall-ID, Jahreskosten, Zugang im Vorjahr, Altfall/extern)
        ("N-001", "6480.00", False, False),
        ("N-002", "8950.50", True, False),
        ("N-003", "9720.00", False, False),
        ("N-004", "4310.25", True, False),
        ("N-005", "14200.00", False, False),
        ("N-006", "18760.00", False, False),
        ("N-007", "21340.80", True, False),
        ("N-008", "16900.00", False, False),
        ("N-009", "24880.00", False, False),
        ("N-010", "12650.40", True, False),
        ("N-011", "19990.00", False, False),
        ("N-012", "22450.00", False, False),
        ("N-013", "31200.00", False, False),
        ("N-014", "38450.60", True, False),
        ("N-015", "44120.00", False, False),
        ("N-016", "29875.00", False, False),
        ("N-017", "47300.00", False, False),
        ("N-018", "35610.00", False, False),
        ("N-019", "62400.00", False, False),
        ("N-020", "71850.00", True, False),
        ("N-021", "84300.00", False, False),
        ("N-022", "58990.00", False, False),
        ("N-023", "93120.00", False, False),
        ("N-024", "77640.00", False, False),
        ("N-025", "66210.00", False, False),
        ("N-026", "118400.00", False, False),
        ("N-027", "134250.00", True, False),
        ("N-028", "109870.00", False, False),
        ("N-029", "11480.00", True, False),
        ("N-030", "7260.00", False, False),
        ("A-101", "96400.00", False, True),
        ("A-102", "112800.00", False, True),
    ]
    extern = {"A-101": "Kinderheim Sonnenhof gGmbH", "A-102": "Jugendhilfeverbund Talblick e.V."}
    eingabe = Eingabe(
        traeger="Evangelische Jugendhilfe Musterstadt e.V.",
        sozialraum="Musterstadt-Nord",
        faelle=tuple(
            Fall(fid, Decimal(k), zugang, alt, extern.get(fid, "")) for fid, k, zugang, alt in kosten
        ),
        teilbudget_b=Decimal("185000.00"),
        volunteers=True,
        berichtswesen=True,
        verwendungsnachweis=None,
        indikatoren=(
            Indikator(
                "Orte der Hilfen: Anteil wohnortnaher Hilfen", Decimal(50), Decimal("0.80"), Decimal("0.72")
            ),
            Indikator("Hilfen planmäßig beendet", Decimal(30), Decimal("0.70"), Decimal("0.75")),
            Indikator("Neue Fremdunterbringungen", Decimal(20), Decimal(4), Decimal(5), richtung=-1),
        ),
    )
    return eingabe, Parameter(jahr=2026)


# --------------------------------------------------------------------------- declaration

#: what this model means for workbook, worksheet functions, annex and README (:mod:`..spec`)
DEKLARATION = Deklaration(
    # the plan agreed before the year: conditions not yet assessed, the bonus at its maximum,
    # no actual costs
    plan=(
        Planwert("volunteers", hilfe="Bedingung vor dem Jahr noch nicht geprüft"),
        Planwert("berichtswesen", hilfe="Bedingung vor dem Jahr noch nicht geprüft"),
        Planwert("verwendungsnachweis", hilfe="Bedingung vor dem Jahr noch nicht geprüft"),
        Planwert("indikatoren.ist", aus="soll", hilfe="Leistungsbonus im Plan mit seinem Höchstbetrag"),
        Planwert("ist_kosten_a", hilfe="Ist-Kosten erst in der Abrechnung"),
        Planwert("ist_kosten_b", hilfe="Ist-Kosten erst in der Abrechnung"),
    ),
    vertraege=Vertragsbildung(
        keine_partei=(
            KeinePartei(
                "pos.traeger != e.traeger",
                "extern untergebrachte Altfälle: die Einrichtung wird je Fall finanziert und ist keine "
                "Budgetpartei (Gutachten, Abschnitt 5.1)",
            ),
        ),
        parteien="der Versorgungsträger des Sozialraums",
    ),
    eingabe=(
        Feld("traeger", "Träger", "text", "Versorgungsträger des Sozialraums"),
        Feld("sozialraum", "Sozialraum", "text", "Name des Sozialraums"),
        Feld("teilbudget_b", "Teilbudget b", "betrag", "Teilbudget b (fallunabhängige Leistungen)"),
        Feld("volunteers", "Bedingung Volunteers erfüllt", "ja_nein", "ja / nein / leer (noch offen)"),
        Feld("berichtswesen", "Bedingung Berichtswesen erfüllt", "ja_nein", "ja / nein / leer (noch offen)"),
        Feld(
            "verwendungsnachweis",
            "Bedingung Verwendungsnachweis erfüllt",
            "ja_nein",
            "ja / nein / leer (noch offen)",
        ),
        Feld("ist_kosten_a", "Ist-Kosten a", "betrag", "für den Jahresabschluss (zusammen mit b)"),
        Feld("ist_kosten_b", "Ist-Kosten b", "betrag", "für den Jahresabschluss (zusammen mit a)"),
    ),
    parameter=(
        Feld(
            "kostentyp_grenzen",
            "Kostentyp-Grenzen",
            "liste",
            "aufsteigende Obergrenzen der Kostentypen in € je Jahr, getrennt durch „;“ "
            "(n Grenzen ergeben n + 1 Kostentypen)",
            element="betrag",
        ),
        Feld(
            "neuzugaenge",
            "Neuzugänge",
            "text",
            "wie die erwarteten Neuzugänge je Kostentyp bewertet werden: mit den mittleren Jahreskosten "
            "der laufenden Fälle des Kostentyps oder mit einem vereinbarten Kostensatz",
            auswahl=wahlen(
                ("mittelwert", "Mittelwert der Kostentypen"),
                ("kostensatz", "Kostensatz je Kostentyp"),
            ),
        ),
        Feld(
            "kostensaetze",
            "Kostensätze",
            "liste",
            "nur bei Neuzugänge „Kostensatz je Kostentyp“: Satz je Kostentyp in €, getrennt durch „;“ "
            "(einer mehr als Kostentyp-Grenzen)",
            element="betrag",
        ),
        Feld(
            "gesamtbudget_lesart",
            "Lesart Gesamtbudget",
            "text",
            "a + b ganz gezahlt und die bedingten Anteile zusätzlich, oder a + b ist das Gesamtbudget "
            "und die bedingten Anteile werden daraus zurückgehalten (das Gutachten sagt beides, siehe "
            "Anleitung, Lesarten)",
            auswahl=wahlen(
                ("ab_ausgezahlt", "a + b ausgezahlt, Bedingtes zusätzlich"),
                ("ab_gesamtbudget", "a + b ist das Gesamtbudget"),
            ),
        ),
        Feld(
            "anteil_volunteers",
            "Anteil Volunteers",
            "prozent",
            "bedingter Anteil am Gesamtbudget, ausgezahlt nur bei Einsatz von Volunteers",
        ),
        Feld(
            "anteil_berichtswesen",
            "Anteil Berichtswesen",
            "prozent",
            "bedingter Anteil am Gesamtbudget, ausgezahlt nur bei einem aussagekräftigen "
            "betriebswirtschaftlichen Berichtswesen",
        ),
        Feld(
            "anteil_verwendungsnachweis",
            "Anteil Verwendungsnachweis",
            "prozent",
            "bedingter Anteil am Gesamtbudget, ausgezahlt nur gegen Verwendungsnachweis; "
            "der Rest des Gesamtbudgets (a + b oder ein Anteil davon, je nach Lesart) wird unbedingt gezahlt",
        ),
        Feld(
            "bonus_hoechstsatz",
            "Bonus-Höchstsatz",
            "prozent",
            "Leistungsbonus höchstens dieser Anteil des Gesamtbudgets (zusätzlich zum Budget)",
        ),
        Feld(
            "ruecklage_schwelle",
            "Rücklage-Schwelle",
            "betrag",
            "eine Rücklage unter diesem Betrag ist frei für die gesamte Jugendhilfe verwendbar "
            "(Gutachten: „unter einer Summe von DM 100.000“; 51.129,19 € sind schon mehr als 100.000 DM)",
        ),
        Feld(
            "ruecklage_lesart",
            "Rücklage-Lesart",
            "text",
            "was bei einer Rücklage ab der Schwelle an die Erziehungshilfe gebunden ist: die ganze "
            "Rücklage oder nur der Teil ab der Schwelle",
            auswahl=wahlen(("gesamt", "ganze Rücklage"), ("anteilig", "nur Teil über der Schwelle")),
        ),
        Feld(
            "ruecklage_quelle",
            "Rücklage aus",
            "text",
            "welcher Überschuss eine Rücklage bildet (Gutachten: „Bei einem Überschuss des Teilbudgets a "
            "kann der Träger Rücklagen bilden“): nur der von Teilbudget a (nach Deckung von b) oder der "
            "ganze Überschuss von a und b",
            auswahl=wahlen(
                ("teilbudget_a", "Überschuss von Teilbudget a"), ("a_und_b", "Überschuss von a und b")
            ),
        ),
        Feld(
            "revision_schwelle",
            "Revision-Schwelle",
            "prozent",
            "ab dieser Abweichung des neu berechneten Budgets (a + b) vom vereinbarten ist eine Änderung "
            "„wesentlich“ und das Budget kann nachträglich geändert werden; das Gutachten nennt keinen Wert",
        ),
        *zahlung(termine=True),
    ),
    tabellen=(
        Tabelle(
            "Faelle",
            "Fälle",
            "faelle",
            (
                Feld("fall_id", "Fall-ID", "text", "Kennung des Falls"),
                Feld("jahreskosten", "Jahreskosten", "betrag", "Kosten des Falls im Vorjahr"),
                Feld(
                    "zugang_im_vorjahr",
                    "Zugang im Vorjahr",
                    "ja_nein",
                    "Fall im Vorjahr neu hinzugekommen?",
                ),
                Feld(
                    "altfall_extern",
                    "Altfall/extern",
                    "ja_nein",
                    "extern untergebrachter Altfall (einzeln finanziert)?",
                ),
                Feld(
                    "leistungserbringer",
                    "Leistungserbringer",
                    "text",
                    "nur Altfälle und Reintegrationsfälle: wer im Einzelfall bezahlt wird (Altfall: die "
                    "externe Einrichtung; Reintegrationsfall leer: der Versorgungsträger)",
                ),
                Feld(
                    "beendet_im_vorjahr",
                    "Beendet im Vorjahr",
                    "ja_nein",
                    "Fall im Vorjahr beendet? Zählt als Zugang, nicht zum Anfangsbestand",
                ),
                Feld(
                    "reintegration",
                    "Reintegrationsfall",
                    "ja_nein",
                    "zurückgeführter Altfall (einzeln finanziert wie ein Altfall)?",
                ),
            ),
            "Fallliste des Vorjahres",
        ),
        Tabelle(
            "Indikatoren",
            "Leistungsindikatoren",
            "indikatoren",
            (
                Feld("name", "Indikator", "text", "Name des Leistungsindikators"),
                Feld("gewicht", "Gewicht", "zahl", "Gewicht im Leistungsbonus"),
                Feld("soll", "Soll", "zahl", "Zielwert", negativ=True),
                Feld("ist", "Ist", "zahl", "erreichter Wert", negativ=True),
                Feld(
                    "richtung",
                    "Richtung",
                    "ganzzahl",
                    "1: höher ist besser; -1: niedriger ist besser",
                    auswahl=wahlen("1", "-1"),
                    negativ=True,
                ),
            ),
            "Leistungsindikatoren für den Leistungsbonus",
        ),
    ),
    aliase=(("Fallliste", "Fall-ID"), ("Indikatoren", "Indikator"), ("Bedingung erfüllt", "Bedingung")),
    kennzahlen=(
        Kennzahl(K_LAUFEND, Einheit.ANZAHL),
        Kennzahl(K_ZUGAENGE, Einheit.ANZAHL),
        Kennzahl(K_ALT_ANZAHL, Einheit.ANZAHL),
        Kennzahl(K_REINT_ANZAHL, Einheit.ANZAHL),
        Kennzahl(K_BEENDET, Einheit.ANZAHL),
        Kennzahl(K_ANFANGSBESTAND, Einheit.EURO),
        Kennzahl(K_NEUZUGAENGE, Einheit.EURO),
        Kennzahl(K_A, Einheit.EURO),
        Kennzahl(K_B, Einheit.EURO),
        Kennzahl(K_G, Einheit.EURO),
        Kennzahl(K_GESAMT, Einheit.EURO),
        Kennzahl(K_UNBEDINGT, Einheit.EURO),
        Kennzahl(K_BED_AUSGEZAHLT, Einheit.EURO),
        Kennzahl(K_BED_EINBEHALTEN, Einheit.EURO),
        Kennzahl(K_BED_OFFEN, Einheit.EURO),
        Kennzahl(K_BONUS_MAX, Einheit.EURO),
        Kennzahl(K_BONUS, Einheit.EURO),
        Kennzahl(K_GRAD, Einheit.ANTEIL),
        Kennzahl(K_ALTFAELLE, Einheit.EURO),
        Kennzahl(K_REINT, Einheit.EURO),
        Kennzahl(K_GESAMTMITTEL, Einheit.EURO),
        Kennzahl("Neuzugänge bewertet nach", Einheit.TEXT),
        Kennzahl("Lesart Gesamtbudget", Einheit.TEXT),
        # only with actual costs in the input (year-end settlement); the result may be negative
        Kennzahl("Ergebnis Jahresabschluss", Einheit.EURO),
        Kennzahl("Rücklage", Einheit.EURO),
        Kennzahl("Rücklage frei (gesamte Jugendhilfe)", Einheit.EURO),
        Kennzahl("Rücklage gebunden (Erziehungshilfe)", Einheit.EURO),
        Kennzahl(K_UEBERSCHUSS_B, Einheit.EURO),
        Kennzahl("Fehlbetrag", Einheit.EURO),
    ),
    ausgaben=(
        Ausgabetabelle(
            "Kostentypen",
            (
                Spalte("Kostentyp", Einheit.TEXT),
                Spalte("Untergrenze (über)", Einheit.EURO),
                Spalte("Obergrenze (bis)", Einheit.EURO),
                Spalte("Fälle", Einheit.ANZAHL),
                Spalte("Kosten Vorjahr", Einheit.EURO),
                Spalte("Mittlere Jahreskosten", Einheit.EURO),
                Spalte("Zugänge im Vorjahr", Einheit.ANZAHL),
                Spalte("Kostensatz Neuzugang", Einheit.EURO),
                Spalte("Erwartete Kosten Neuzugänge", Einheit.EURO),
            ),
        ),
        Ausgabetabelle(
            "Fallliste",
            (
                Spalte("Fall-ID", Einheit.TEXT),
                Spalte("Jahreskosten", Einheit.EURO),
                Spalte("Kostentyp", Einheit.TEXT),
                Spalte("Zugang im Vorjahr", Einheit.TEXT),
                Spalte("Altfall/extern", Einheit.TEXT),
                Spalte("Beendet im Vorjahr", Einheit.TEXT),
                Spalte("Reintegrationsfall", Einheit.TEXT),
            ),
        ),
        Ausgabetabelle(
            "Bedingte Anteile",
            (
                Spalte("Bedingung", Einheit.TEXT),
                Spalte("Anteil", Einheit.ANTEIL),
                Spalte("Betrag", Einheit.EURO),
                Spalte("Status", Einheit.TEXT),
                Spalte("Ausgezahlt", Einheit.TEXT),
            ),
            anlage=("Bedingung", "Anteil", "Betrag"),
            alle_vertraege=True,
        ),
        Ausgabetabelle(
            "Leistungsindikatoren",
            (
                Spalte("Indikator", Einheit.TEXT),
                Spalte("Gewicht", Einheit.ZAHL),
                Spalte("Soll", Einheit.ZAHL),
                Spalte("Ist", Einheit.ZAHL),
                Spalte("Richtung", Einheit.TEXT),
                Spalte("Erfüllungsgrad", Einheit.ANTEIL),
            ),
        ),
        Ausgabetabelle(
            "Altfälle",
            (
                Spalte("Fall-ID", Einheit.TEXT),
                Spalte("Leistungserbringer", Einheit.TEXT),
                Spalte("Kosten Vorjahr (Prognose)", Einheit.EURO),
                Spalte("Finanzierung", Einheit.TEXT),
                Spalte("Fallart", Einheit.TEXT),
                # „externer Leistungserbringer“ (an external home) or „Versorgungsträger“
                Spalte("Trägerart", Einheit.TEXT),
            ),
            # an Altfall's line item goes to its external provider (LineItem.traeger)
            traeger="Leistungserbringer",
            # the annex reads these as patterns (re.fullmatch): brackets escaped
            anlage=("Fall-ID", r"Kosten Vorjahr \(Prognose\)", "Finanzierung"),
        ),
        Ausgabetabelle(
            "Jahresabschluss",
            (
                Spalte("Position", Einheit.TEXT),
                Spalte("Betrag", Einheit.EURO),
            ),
        ),
    ),
    angaben=(
        Angabe(K_A, "Teilbudget a (fallbezogen)"),
        Angabe(K_B, "Teilbudget b (fallunspezifisch)"),
        Angabe(K_G, "Teilbudgets a + b"),
        Angabe(K_GESAMT, "Gesamtbudget"),
        Angabe(K_BONUS_MAX, "Leistungsbonus höchstens"),
        Angabe(K_GRAD, "Erfüllungsgrad der Indikatoren", abrechnung=True),
        Angabe(K_ALTFAELLE, "Altfälle, Einzelfinanzierung (Prognose)"),
    ),
    vertragstexte=(
        Vertragstext(
            "regel",
            '{% if p.gesamtbudget_lesart == "ab_gesamtbudget" %}Teilbudget a (fallbezogene Erziehungshilfe) '
            "und Teilbudget b (fallunspezifische Arbeit) ergeben zusammen das Gesamtbudget"
            "{% else %}Teilbudget a (fallbezogene Erziehungshilfe) und Teilbudget b (fallunspezifische "
            "Arbeit) bilden zusammen "
            "{{ (1 - p.anteil_volunteers - p.anteil_berichtswesen - p.anteil_verwendungsnachweis)|prozent }} "
            "des Gesamtbudgets{% endif %}; beide sind gegenseitig deckungsfähig. Teilbudget a umfasst die "
            "Kosten der laufenden Fälle des Vorjahres (Anfangsbestand) und die erwarteten Neuzugänge: so "
            "viele Zugänge je Kostentyp wie im Vorjahr (auch im Vorjahr beendete Fälle), bewertet "
            '{% if p.neuzugaenge == "kostensatz" %}mit dem vereinbarten Kostensatz des Kostentyps'
            "{% else %}mit den mittleren Jahreskosten der laufenden Fälle des Kostentyps{% endif %}. "
            "Die Fälle werden nach ihren Jahreskosten in {{ p.kostentyp_grenzen|length + 1 }} Kostentypen "
            "eingeteilt (Obergrenzen: {{ p.kostentyp_grenzen|map('betrag')|join('; ') }}).",
            quelle="Gutachten, Abschnitt 5.1",
        ),
        Vertragstext(
            "regel",
            '{% if p.gesamtbudget_lesart == "ab_gesamtbudget" %}'
            "{{ (1 - p.anteil_volunteers - p.anteil_berichtswesen - p.anteil_verwendungsnachweis)|prozent }} "
            "des Gesamtbudgets werden unbedingt {{ w.zahlungsweise }} in Abschlägen gezahlt."
            "{% else %}Teilbudget a und b gelangen ganz zur Auszahlung: sie werden unbedingt "
            "{{ w.zahlungsweise }} in Abschlägen gezahlt.{% endif %}"
            "{% if p.anteil_volunteers + p.anteil_berichtswesen + p.anteil_verwendungsnachweis > 0 %} "
            "Die Auszahlung der übrigen "
            "{{ (p.anteil_volunteers + p.anteil_berichtswesen + p.anteil_verwendungsnachweis)|prozent }} "
            "ist an Bedingungen geknüpft: Einsatz von Volunteers ({{ p.anteil_volunteers|prozent }} des "
            "Gesamtbudgets), Einsatz eines aussagekräftigen betriebswirtschaftlichen Berichtswesens "
            "({{ p.anteil_berichtswesen|prozent }}) und Erstellung eines Verwendungsnachweises "
            "({{ p.anteil_verwendungsnachweis|prozent }}) des Gesamtbudgets"
            '{% if p.gesamtbudget_lesart != "ab_gesamtbudget" %}; sie werden zusätzlich zu Teilbudget a '
            "und b gezahlt{% endif %}.{% endif %}",
            quelle="Gutachten, Abschnitt 5.1",
        ),
        Vertragstext(
            "regel",
            "Zusätzlich zum Gesamtbudget erhält der Träger einen Leistungsbonus von höchstens "
            "{{ p.bonus_hoechstsatz|prozent }} des Gesamtbudgets; seine Höhe richtet sich nach der "
            "Erfüllung der für das Jahr festgelegten Leistungsindikatoren. Der Bonus ist innerhalb des "
            "eigenen Bereichs in Abstimmung mit dem Allgemeinen Sozialdienst zu verwenden. Extern "
            "untergebrachte Altfälle und zurückgeführte Altfälle (Reintegrationsfälle) werden nicht aus "
            "Teilbudget a, sondern im Einzelfall nach dem im Hilfeplan festgelegten Leistungsumfang "
            "finanziert.",
            quelle="Gutachten, Abschnitt 5.1",
        ),
        Vertragstext(
            "ruecklage",
            '{% if p.ruecklage_quelle == "a_und_b" %}Ein Überschuss des ausgezahlten Budgets (Teilbudget '
            "a und b) über die tatsächlichen Kosten bildet eine Rücklage des Trägers"
            "{% else %}Bei einem Überschuss des Teilbudgets a (nach Deckung einer Überschreitung von "
            "Teilbudget b) kann der Träger eine Rücklage bilden; ein Überschuss allein des Teilbudgets b "
            "bildet keine Rücklage{% endif %}. Die Rücklage wird in das nächste Rechnungsjahr übertragen "
            "und nicht auf das Budget des Folgejahres angerechnet. "
            '{% if p.ruecklage_lesart == "anteilig" %}Der Teil der Rücklage unter '
            "{{ p.ruecklage_schwelle|betrag }} (DM 100.000) kann für den gesamten Bereich der Jugendhilfe "
            "eingesetzt werden, der übrige Teil nur für Aufgaben der Erziehungshilfe."
            "{% else %}Eine Rücklage unter {{ p.ruecklage_schwelle|betrag }} (DM 100.000) kann für den "
            "gesamten Bereich der Jugendhilfe eingesetzt werden; eine Rücklage, die diese Grenze erreicht "
            "oder übersteigt, ist insgesamt nur für Aufgaben der Erziehungshilfe zu verwenden.{% endif %}",
            quelle="Gutachten, Abschnitt 5.1",
        ),
        Vertragstext(
            "revision",
            "Die Budgethöhe kann nachträglich geändert werden, wenn sich die Struktur des Sozialraums "
            "(z. B. durch die Schließung eines Betriebes und dadurch erhöhte Arbeitslosigkeit) oder das "
            "Fallaufkommen verändert; Veränderungen im Fallaufkommen sind anhand der Controllingdaten "
            "nachzuweisen. Das Budget wird dann mit den neuen Ausgangsdaten neu berechnet und die Differenz "
            "zum vereinbarten Budget ausgewiesen; als wesentlich gilt eine Abweichung von mindestens "
            "{{ p.revision_schwelle|prozent }} des vereinbarten Budgets (a + b).",
            quelle="Gutachten, Abschnitt 5.1",
        ),
        Vertragstext(
            "bericht",
            "Betriebswirtschaftliches Berichtswesen (Bedingung für {{ p.anteil_berichtswesen|prozent }} "
            "des Gesamtbudgets): Quartalsbericht über Kosten und Fallzahlen.",
            vorschlag=True,
            wenn="p.anteil_berichtswesen > 0",
        ),
        Vertragstext(
            "bericht",
            "Verwendungsnachweis (Bedingung für {{ p.anteil_verwendungsnachweis|prozent }} des "
            "Gesamtbudgets) bis zum 30. Juni des Folgejahres.",
            vorschlag=True,
            wenn="p.anteil_verwendungsnachweis > 0",
        ),
        Vertragstext(
            "bericht",
            "Bericht über den Erfüllungsgrad der Leistungsindikatoren zum Jahresende.",
            vorschlag=True,
        ),
        Vertragstext(
            "bericht",
            "Nachweis des Einsatzes von Volunteers (Bedingung für {{ p.anteil_volunteers|prozent }} des "
            "Gesamtbudgets).",
            vorschlag=True,
            wenn="p.anteil_volunteers > 0",
        ),
    ),
    lesart=(
        "„Die beiden Teilbudgets a und b bilden eine Gesamtsumme von 95 %, die zur Auszahlung gelangt“: "
        "a + b werden ganz gezahlt und 5 % des Gesamtbudgets ((a + b)/95 %) kommen bedingt hinzu "
        "(wahlweise „Beides zusammen ergibt das Gesamtbudget“: von a + b werden 95 % unbedingt und 5 % "
        "bedingt gezahlt) — wie beim Bonus entscheidet die ausführliche Regel mit den Zahlen des "
        "Modellvertrags über die zusammenfassende Aussage; der Leistungsbonus beträgt höchstens 1 % "
        "(nicht 2 %); Neuzugänge sind so "
        "viele wie die Zugänge des Vorjahres (auch beendete) und werden mit dem Mittelwert ihres "
        "Kostentyps bewertet; Altfälle und Reintegrationsfälle werden einzeln finanziert; eine Rücklage "
        "entsteht nur aus einem Überschuss von Teilbudget a, unter 51.129,19 € (DM 100.000) ist sie frei, "
        "ab dieser Grenze ganz an die Erziehungshilfe gebunden; eine Revision ist ab 5 % Abweichung "
        "wesentlich (kein Wert im Gutachten)."
    ),
    lesarten=(
        Lesart(
            "gesamtbudget_lesart",
            "Das Gutachten sagt beides: „Beides zusammen ergibt das Gesamtbudget“ und „Die beiden "
            "Teilbudgets a und b bilden eine Gesamtsumme von 95 %, die zur Auszahlung gelangt. Die "
            "Auszahlung der restlichen 5 % des Gesamtbudgets ist an folgende Bedingungen geknüpft“. "
            "Standard ist die ausführliche Regel: a + b werden ganz gezahlt, das Gesamtbudget ist "
            "(a + b)/95 %, die 5 % kommen bedingt hinzu; „a + b ist das Gesamtbudget“ zahlt 95 % von "
            "a + b unbedingt und hält 5 % bedingt zurück.",
            auslegung=True,
        ),
        Lesart(
            "anteil_volunteers",
            "„Einsatz von Volunteers (1 % des Gesamtbudgets)“, „betriebswirtschaftlichen Berichtswesens "
            "(3 % …)“, „Verwendungsnachweises (1 % …)“: die Zahlen des Gutachtens; jeder Anteil wird nur "
            "bei erfüllter Bedingung gezahlt.",
        ),
        Lesart(
            "bonus_hoechstsatz",
            "Das Gutachten nennt „maximal 2% des Gesamtbudgets“ und im Abschnitt zum Bonus „maximal 1 % "
            "des Gesamtbudgets und wird zusätzlich zu diesem an den Träger ausgezahlt“; Standard ist "
            "die ausführliche Stelle (1 %).",
            auslegung=True,
        ),
        Lesart(
            "neuzugaenge",
            "„Diese Zugänge sind identisch mit der absoluten Anzahl der Zugänge für 1998, sowie deren "
            "Verteilung nach den Kostentypen“: so viele Neuzugänge je Kostentyp wie Zugänge im Vorjahr "
            "(auch beendete Fälle), bewertet mit den mittleren Jahreskosten des Kostentyps, wahlweise "
            "mit einem vereinbarten Kostensatz.",
            auslegung=True,
        ),
        Lesart(
            "ruecklage_quelle",
            "„Bei einem Überschuss des Teilbudgets a kann der Träger Rücklagen bilden“: nur ein "
            "Überschuss von a (nach Deckung eines Fehlbetrags von b) bildet eine Rücklage, ein "
            "Überschuss von b allein nicht; wahlweise der ganze Überschuss von a und b.",
        ),
        Lesart(
            "ruecklage_schwelle",
            "„Beträge, die unter einer Summe von DM 100.000 liegen, können für den gesamten Bereich der "
            "Jugendhilfe eingesetzt werden“: strikt unter 51.129,19 € (= 100.000,01 DM); höchstens "
            "51.129,18 € sind frei.",
        ),
        Lesart(
            "ruecklage_lesart",
            "„Rücklagen, die über dieser Grenze liegen, sind nur für Aufgaben der Erziehungshilfe zu "
            "verwenden“: Standard ordnet die ganze Rücklage nach der Schwelle ein; wahlweise ist nur der "
            "Teil über der Schwelle gebunden.",
            auslegung=True,
        ),
        Lesart(
            "revision_schwelle",
            "„Eine nachträgliche Änderung der Budgethöhe ist in bestimmten Fällen auch möglich“, etwa "
            "bei „Veränderung im Fallaufkommen (diese Fälle sind anhand der Controllingdaten "
            "nachzuweisen)“; das Gutachten nennt keine Schwelle: ab 5 % Abweichung gilt die Änderung als "
            "wesentlich, darunter gibt es nur einen Hinweis.",
            auslegung=True,
        ),
    ),
)
