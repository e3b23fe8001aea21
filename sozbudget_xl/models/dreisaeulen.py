"""Three-pillar model (source §7.1 and §7.2, domain spec §3.7), the report's recommendation.

Rules implemented (each marked in the code with its section):

* **Säule 1 Fallarbeit** (§7.1 „Anspruchs- und Leistungsfinanzierung über individuelle
  Entgelte … keine Budgetierung“): not budgeted and open. Per Hilfeart (optionally per
  Sozialraum/Träger) the forecast is cases × fee (``faelle`` × ``entgelt``, the annual fee per
  case; cases may be an annual average with decimals), rounded half up to the cent, as an
  ``Art.OFFEN`` line item. §7.1 „Budgets in der Fallarbeit müssen bei steigendem Bedarf
  aufgestockt werden“: with actual figures, an actual amount above the forecast adds an
  ``OFFEN`` item „Aufstockung“ of the difference (option ``aufstockung_als_position``) and a
  warning; an actual amount more than ``prognose_toleranz`` below the forecast is a warning
  too. The table „Fallarbeit Prognose/Ist“ reports forecast vs actual. Open items are not
  in the payment plan (they are billed per case).
* **Säule 2 Strukturarbeit** (§7.1 „kooperative Projektfinanzierung“, §7.2 „über
  Ausschreibungsverfahren zeitlich befristet vergeben“): projects with Träger, Sozialraum,
  amount and term (start/end year; end before start is an error). Only projects running in
  the budget year are line items (``UNBEDINGT``). ``betrag`` is the annual amount by
  default; option ``projektbetrag="laufzeit"``: the amount for the whole term, split evenly
  over its years (largest remainder, earlier years take the remainder cents). A term longer
  than ``hoechstlaufzeit_jahre`` (default 3, None = no check) is a warning.
* **Plurality** (§7.2, against „Trägerexklusivität“ and „Kartellbildung“; „kleine und
  weniger finanzstarke Träger … zu stärken“), per Sozialraum over the year's project
  budget: no Träger above ``hoechstanteil_traeger`` (default 40 %: at least three Träger are
  then needed for a Sozialraum's projects), and the Träger flagged „klein“ together hold at
  least ``mindestanteil_kleine_traeger`` (default 15 %, the reserved share). Violations are
  warnings plus the tables „Pluralität“ and „Pluralität Sozialräume“, never errors.
* **Säule 3 Aktivierungs-/Milieuarbeit** (§7.1 „Quartiersbudgets … auf der Grundlage von
  Sozialraumanalysen und Sozialraumindikatoren“): a total distributed across the Quartiere
  by an indicator key (spec §2.5, :func:`~sozbudget_xl.indicators.verteile_nach_index`,
  default key ``jew`` on the column ``Jugendeinwohner``). §7.2 „Quartiersbudgets und kooperative
  Projektbudgets … über Ausschreibungsverfahren zeitlich befristet vergeben“: a Quartier's
  budget is paid (``UNBEDINGT``) to the Träger or Quartiersmanagement that won the tender, for
  the years of the award (``vergabe_beginn``–``vergabe_ende``), never to the Quartier's name.
  Without a valid award in the budget year the amount is an ``OFFEN`` item (not in the payment
  plan) with a warning; an award without an end or longer than ``hoechstlaufzeit_jahre`` is a
  warning.

Payment plan: the unconditional items (Säule 2 per Träger, Säule 3 per awarded Träger or
Quartiersmanagement) in the model's rhythm (default quarterly).

Input checks: every Träger named in a forecast or project must be in the Träger list (which
carries the „klein“ flag); when a list of Sozialräume is given, every Sozialraum named must
be in it; names are unique; amounts, cases and fees are not negative or NaN; a fee of 0 is a
case without cost; at least one pillar must have content.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, partial
from typing import Any

from ..einheiten import Einheit
from ..ergebnis import Zeile
from ..errors import SozbudgetError
from ..formats import betrag as fmt_betrag
from ..formats import prozent as fmt_prozent
from ..indicators import Indicator
from ..money import ZERO, allocate, round_cents
from ..spec import (
    INDIKATOREN,
    METHODEN_WAHLEN,
    SCHLUESSEL_WAHLEN,
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
from .base import Art, LineItem, ModelResult, Warnung, pruefe_aufruf

NAME = "dreisaeulen"
TITEL = "Drei-Säulen-Modell: Fallarbeit, Strukturarbeit, Aktivierungs- und Milieuarbeit"
QUELLE = "Gutachten, Abschnitte 7.1 und 7.2"
BESCHREIBUNG = (
    "Prognostiziert die offene Fallarbeit (Fälle × Entgelt), weist befristete Projektbudgets mit "
    "Pluralitätsprüfung zu und verteilt Quartiersbudgets nach einem Indikatorschlüssel."
)

__all__ = [
    "BESCHREIBUNG",
    "NAME",
    "QUELLE",
    "TITEL",
    "Eingabe",
    "FallIst",
    "Fallprognose",
    "Parameter",
    "Projekt",
    "Quartier",
    "Traeger",
    "beispiel",
    "berechne",
]

_Q1 = "Gutachten, Abschnitt 7.1"
_Q2 = "Gutachten, Abschnitte 7.1 und 7.2"
PROJEKTBETRAG = ("jahresbetrag", "laufzeit")
#: German words of the choices (the keys stay the values the model receives)
PROJEKTBETRAG_WAHLEN = wahlen(("jahresbetrag", "Jahresbetrag"), ("laufzeit", "Betrag für die ganze Laufzeit"))
#: Säule 1 row key: (Hilfeart, Sozialraum, Träger)
_Key = tuple[str, str | None, str | None]


# ----------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Parameter:
    """Negotiable numbers of the three-pillar model (defaults: spec §3.7, see module doc)."""

    jahr: int = 2026
    zahlungsweise: str = "quartalsweise"
    #: spec §4: a due date on a weekend or holiday moves to the next working day
    werktag: bool = True
    bundesland: str | None = None
    #: Säule 1: deviation below the forecast that triggers a warning
    prognose_toleranz: Decimal = Decimal("0.10")
    #: Säule 1: an actual amount above the forecast becomes an open line item „Aufstockung“
    aufstockung_als_position: bool = True
    #: Säule 2 (§7.2): highest share of one Träger in a Sozialraum's project budget
    hoechstanteil_traeger: Decimal = Decimal("0.40")
    #: Säule 2 (§7.2): share reserved for small Träger per Sozialraum
    mindestanteil_kleine_traeger: Decimal = Decimal("0.15")
    #: Säule 2 (§7.2 „zeitlich befristet“): longest term in years without warning (None: off)
    hoechstlaufzeit_jahre: int | None = 3
    #: Säule 2: ``betrag`` of a project is the annual amount or the amount for its whole term
    projektbetrag: str = "jahresbetrag"
    #: Säule 3 (spec §2.5): indicator key
    zielgruppe: str | None = "Jugendeinwohner"
    index_methode: str = "spw"
    index_schluessel: str = "jew"


@dataclass(frozen=True, slots=True)
class Traeger:
    """A Träger; ``klein`` marks small, less well-funded Träger (§7.2)."""

    name: str
    klein: bool = False


@dataclass(frozen=True, slots=True)
class Fallprognose:
    """Säule 1: expected cases of a Hilfeart × annual fee per case (Entgelt)."""

    hilfeart: str
    faelle: Any
    entgelt: Any
    sozialraum: str | None = None
    traeger: str | None = None


@dataclass(frozen=True, slots=True)
class FallIst:
    """Säule 1 actual figures of a Hilfeart (same Sozialraum/Träger as its forecast)."""

    hilfeart: str
    betrag: Any
    faelle: Any = None
    sozialraum: str | None = None
    traeger: str | None = None


@dataclass(frozen=True, slots=True)
class Projekt:
    """Säule 2: a time-limited project (term ``beginn`` … ``ende``, budget years)."""

    name: str
    traeger: str
    sozialraum: str
    betrag: Any
    beginn: int
    ende: int


@dataclass(frozen=True, slots=True)
class Quartier:
    """Säule 3: a Quartier with its base data (column → value), e.g. Jugendeinwohner, and the
    Träger or Quartiersmanagement its budget is awarded to by tender for a limited term (§7.2
    „Quartiersbudgets … über Ausschreibungsverfahren zeitlich befristet vergeben“)."""

    name: str
    daten: Mapping[str, Any] = field(default_factory=dict)
    #: Träger or Quartiersmanagement that won the tender (empty: not yet awarded)
    traeger: str = ""
    #: first and last budget year of the award
    vergabe_beginn: int | None = None
    vergabe_ende: int | None = None


@dataclass(frozen=True)
class Eingabe:
    """Inputs of the three pillars; a pillar may be empty, but not all three."""

    fallarbeit: tuple[Fallprognose, ...] = ()
    fallarbeit_ist: tuple[FallIst, ...] = ()
    traeger: tuple[Traeger, ...] = ()
    projekte: tuple[Projekt, ...] = ()
    quartiersbudget: Any = 0
    quartiere: tuple[Quartier, ...] = ()
    indikatoren: tuple[Indicator, ...] = ()
    #: optional list of known Sozialräume; when given, every named Sozialraum must be in it
    sozialraeume: tuple[str, ...] = ()


# ----------------------------------------------------------------------------- validation


_fehler = partial(pr.fehler, NAME)
_name = partial(pr.zeilenname, NAME)
_betrag = partial(pr.betrag, NAME)
_anzahl = partial(pr.zahl, NAME)
_zeilen = partial(pr.zeilen, NAME)
#: where an error points in the input: ``("parameter", feld)`` or ``(tabelle, index, feld)``
_Pfad = tuple[Any, ...]


def _opt_name(value: Any, what: str, index: int, pfad: _Pfad) -> str | None:
    """An optional name: None or blank text means „not given“."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _name(value, what, index, pfad=pfad)


def _anteil(value: Any, field: str, feld: str) -> Decimal:
    """A share parameter (``feld``: its Parameter field) in [0, 1]."""
    return pr.anteil(NAME, value, item="Parameter", field=field, pfad=("parameter", feld))


def _jahr(value: Any, *, item: str, field: str, pfad: _Pfad) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1990 <= value <= 2200:
        raise _fehler(
            f"{field} ist kein gültiges Jahr",
            item=item,
            field=field,
            expected="1990 bis 2200",
            found=value,
            pfad=pfad,
        )
    return value


def _label(*parts: str | None) -> str:
    return " / ".join(p for p in parts if p)


def _sozialraeume(eingabe: Eingabe) -> list[str]:
    """The optional list of known Sozialräume (names unique)."""
    return pr.eindeutige_namen(
        NAME, eingabe.sozialraeume, was="Sozialraum", tabelle="sozialraeume", zeile=True
    )


def _traegerliste(eingabe: Eingabe) -> dict[str, bool]:
    """Träger name → „klein“ flag (names unique)."""
    klein: dict[str, bool] = {}
    seen: dict[str, str] = {}
    for i, t in enumerate(eingabe.traeger, start=1):
        name = _name(t.name, "Träger", i, pfad=("traeger", i - 1, "name"))
        pr.doppelt(NAME, name, seen, was="Träger", pfad=("traeger", i - 1, "name"))
        if not isinstance(t.klein, bool):
            raise _fehler(
                "ungültige Ja/Nein-Angabe" if t.klein is not None else "keine Ja/Nein-Angabe",
                item=name,
                field="Kleiner Träger",
                expected="ja oder nein",
                found=pr.gefunden(t.klein),
                pfad=("traeger", i - 1, "klein"),
            )
        klein[name] = t.klein
    return klein


@dataclass(frozen=True)
class _Pruefer:
    """Checks a Sozialraum or Träger named in a row against the lists of the input."""

    sozialraeume: list[str]
    klein: Mapping[str, bool]

    @cached_property
    def _bekannt(self) -> frozenset[str]:
        """The known Sozialräume as a set (a check per row in O(1), linear for any number of rows)."""
        return frozenset(self.sozialraeume)

    def sozialraum(self, sr: str | None, item: str, pfad: _Pfad) -> None:
        known_sr = self.sozialraeume
        if known_sr and sr is not None and sr not in self._bekannt:
            raise _fehler(
                f"unbekannter Sozialraum „{sr}“",
                item=item,
                field="Sozialraum",
                expected=", ".join(known_sr),
                found=sr,
                pfad=pfad,
            )

    def traeger(self, t: str | None, item: str, pfad: _Pfad) -> None:
        if t is not None and t not in self.klein:
            raise _fehler(
                f"unbekannter Träger „{t}“",
                item=item,
                field="Träger",
                expected=", ".join(self.klein) or "Träger in der Trägerliste",
                found=t,
                pfad=pfad,
            )


# ----------------------------------------------------------------------------- model


def berechne(eingabe: Eingabe, parameter: Parameter | None = None) -> ModelResult:
    """Compute the three pillars for the budget year (see module doc)."""
    p = pruefe_aufruf(NAME, eingabe, Eingabe, parameter, Parameter)
    eingabe = _normalisiere(eingabe)
    _check_parameter(p)
    if not (eingabe.fallarbeit or eingabe.projekte or eingabe.quartiere):
        raise _fehler(
            "keine Angaben: weder Fallarbeit noch Projekte noch Quartiere", item="Eingabe", field="Säulen"
        )
    pruefer = _Pruefer(_sozialraeume(eingabe), _traegerliste(eingabe))

    warnungen: list[Warnung] = []
    positionen: list[LineItem] = []
    tabellen: dict[str, Any] = {}
    kennzahlen: dict[str, Any] = {}

    # ------------------------------------------------------------ Säule 1 (§7.1): open case work
    s1_prognose, s1_aufstockung = _saeule1(eingabe, p, pruefer, positionen, tabellen, warnungen)

    # ------------------------------------------------------------ Säule 2 (§7.1, §7.2): projects
    s2 = _saeule2(eingabe, p, pruefer, positionen, tabellen, warnungen)

    # ------------------------------------------------------------ Säule 3 (§7.1, spec §2.5): Quartiere
    s3 = _saeule3(eingabe, p, positionen, tabellen, warnungen)

    gesamt = sum((x.betrag for x in positionen), ZERO)
    kennzahlen.update(
        {
            "Säule 1 Fallarbeit (Prognose)": s1_prognose,
            "Säule 1 Aufstockung": s1_aufstockung,
            "Säule 2 Strukturarbeit (Projekte)": s2,
            "Säule 3 Quartiersbudgets": s3,
            "Gesamt": gesamt,
            "davon offen (Fallarbeit)": s1_prognose + s1_aufstockung,
            "davon fest budgetiert (Säulen 2 und 3)": s2 + s3,
        }
    )
    tabellen["Säulen"] = [
        {
            "Säule": "1 Fallarbeit",
            "Finanzierung": "Anspruchs-/Leistungsfinanzierung (offen)",
            "Betrag": s1_prognose + s1_aufstockung,
        },
        {"Säule": "2 Strukturarbeit", "Finanzierung": "kooperative Projektfinanzierung", "Betrag": s2},
        {"Säule": "3 Aktivierungs-/Milieuarbeit", "Finanzierung": "Quartiersbudgets", "Betrag": s3},
    ]
    return pr.ergebnis(
        NAME,
        TITEL,
        QUELLE,
        p,
        positionen,
        warnungen,
        kennzahlen,
        tabellen,
        gesamt=gesamt,
        parameter=p,
        eingabe=eingabe,
    )


def _normalisiere(e: Eingabe) -> Eingabe:
    """Check the list fields' row types and turn lists into tuples."""
    quartiere = _zeilen(e.quartiere, Quartier, "Quartiere", pfad=("eingabe", "quartiere"))
    for i, q in enumerate(quartiere):
        if not isinstance(q.daten, Mapping):
            raise _fehler(
                "Basisdaten müssen eine Zuordnung Spalte → Wert sein",
                item=str(q.name),
                field="Daten",
                pfad=("quartiere", i, "daten"),
            )
    return dataclasses.replace(
        e,
        fallarbeit=_zeilen(e.fallarbeit, Fallprognose, "Fallarbeit", pfad=("eingabe", "fallarbeit")),
        fallarbeit_ist=_zeilen(
            e.fallarbeit_ist, FallIst, "Fallarbeit Ist", pfad=("eingabe", "fallarbeit_ist")
        ),
        traeger=_zeilen(e.traeger, Traeger, "Träger", pfad=("eingabe", "traeger")),
        projekte=_zeilen(e.projekte, Projekt, "Projekte", pfad=("eingabe", "projekte")),
        quartiere=quartiere,
        indikatoren=_zeilen(e.indikatoren, Indicator, "Indikatoren", pfad=("eingabe", "indikatoren")),
        sozialraeume=_zeilen(e.sozialraeume, str, "Sozialräume", pfad=("eingabe", "sozialraeume")),
    )


def _check_parameter(p: Parameter) -> None:
    _jahr(p.jahr, item="Parameter", field="Jahr", pfad=("parameter", "jahr"))
    pr.pruefe_zahlungsweise(NAME, p.zahlungsweise)
    _anteil(p.prognose_toleranz, "Prognosetoleranz", "prognose_toleranz")
    _anteil(p.hoechstanteil_traeger, "Höchstanteil je Träger", "hoechstanteil_traeger")
    _anteil(p.mindestanteil_kleine_traeger, "Mindestanteil kleiner Träger", "mindestanteil_kleine_traeger")
    h = p.hoechstlaufzeit_jahre
    if h is not None and (isinstance(h, bool) or not isinstance(h, int) or h < 1):
        raise _fehler(
            "Höchstlaufzeit ist ungültig",
            item="Parameter",
            field="Höchstlaufzeit",
            expected="mindestens 1",
            found=h,
            pfad=("parameter", "hoechstlaufzeit_jahre"),
        )
    if p.projektbetrag not in PROJEKTBETRAG:
        raise _fehler(
            f"unbekannte Art des Projektbetrags „{p.projektbetrag}“",
            item="Parameter",
            field="Projektbetrag",
            expected=", ".join(PROJEKTBETRAG),
            found=pr.gefunden(p.projektbetrag),
            pfad=("parameter", "projektbetrag"),
        )


# ----------------------------------------------------------------------------- Säule 1


def _fallarbeit_prognosen(eingabe: Eingabe, pruefer: _Pruefer) -> dict[_Key, tuple[Decimal, Decimal]]:
    """§7.1 Säule 1: the checked forecast rows (cases, fee per case) by (Hilfeart, Sozialraum, Träger)."""
    rows: dict[_Key, tuple[Decimal, Decimal]] = {}
    seen: dict[tuple[str, ...], str] = {}
    for i, f in enumerate(eingabe.fallarbeit, start=1):
        art = _name(f.hilfeart, "Hilfeart", i, pfad=("fallarbeit", i - 1, "hilfeart"))
        sr = _opt_name(f.sozialraum, "Sozialraum", i, ("fallarbeit", i - 1, "sozialraum"))
        tr = _opt_name(f.traeger, "Träger", i, ("fallarbeit", i - 1, "traeger"))
        key = (art, sr, tr)
        item = _label(art, sr, tr)
        norm = tuple(pr.namensschluessel(x or "") for x in key)
        if norm in seen:
            raise _fehler(
                "Hilfeart doppelt angegeben",
                item=item,
                field="Hilfeart",
                expected="je Hilfeart, Sozialraum und Träger eine Zeile",
                found=f"„{seen[norm]}“ und „{item}“",
                pfad=("fallarbeit", i - 1, "hilfeart"),
            )
        seen[norm] = item
        pruefer.sozialraum(sr, item, ("fallarbeit", i - 1, "sozialraum"))
        pruefer.traeger(tr, item, ("fallarbeit", i - 1, "traeger"))
        faelle = _anzahl(f.faelle, item=item, field="Fälle", pfad=("fallarbeit", i - 1, "faelle"))
        entgelt = _betrag(f.entgelt, item=item, field="Entgelt", pfad=("fallarbeit", i - 1, "entgelt"))
        if entgelt == 0:
            raise _fehler(
                "Fall ohne Kosten: das Entgelt je Fall fehlt",
                item=item,
                field="Entgelt",
                expected="mehr als 0",
                pfad=("fallarbeit", i - 1, "entgelt"),
            )
        rows[key] = (faelle, entgelt)
    return rows


def _fallarbeit_ist(eingabe: Eingabe, rows: Mapping[_Key, Any]) -> dict[_Key, tuple[Decimal, Decimal | None]]:
    """Säule 1: the checked actual figures (amount, cases) of forecast rows."""
    ist: dict[_Key, tuple[Decimal, Decimal | None]] = {}
    for i, f in enumerate(eingabe.fallarbeit_ist, start=1):
        art = _name(f.hilfeart, "Hilfeart", i, pfad=("fallarbeit_ist", i - 1, "hilfeart"))
        sr = _opt_name(f.sozialraum, "Sozialraum", i, ("fallarbeit_ist", i - 1, "sozialraum"))
        tr = _opt_name(f.traeger, "Träger", i, ("fallarbeit_ist", i - 1, "traeger"))
        key = (art, sr, tr)
        item = _label(art, sr, tr)
        if key not in rows:
            raise _fehler(
                "Ist-Werte für eine Hilfeart ohne Prognose",
                item=item,
                field="Hilfeart",
                found=item,
                pfad=("fallarbeit_ist", i - 1, "hilfeart"),
            )
        if key in ist:
            raise _fehler(
                "Ist-Werte doppelt angegeben",
                item=item,
                field="Ist",
                pfad=("fallarbeit_ist", i - 1, "betrag"),
            )
        b = _betrag(f.betrag, item=item, field="Ist", pfad=("fallarbeit_ist", i - 1, "betrag"))
        n = (
            None
            if f.faelle is None
            else _anzahl(f.faelle, item=item, field="Ist-Fälle", pfad=("fallarbeit_ist", i - 1, "faelle"))
        )
        ist[key] = (b, n)
    return ist


def _saeule1(
    eingabe: Eingabe,
    p: Parameter,
    pruefer: _Pruefer,
    positionen: list[LineItem],
    tabellen: dict[str, Any],
    warnungen: list[Warnung],
) -> tuple[Decimal, Decimal]:
    """§7.1 Säule 1: forecast cases × fee, open; top-up and forecast/actual report."""
    rows = _fallarbeit_prognosen(eingabe, pruefer)
    ist = _fallarbeit_ist(eingabe, rows)

    summe_prognose = summe_aufstockung = ZERO
    report = []
    for key, (faelle, entgelt) in rows.items():
        art, sr, tr = key
        # §7.1: forecast = cases × fee, open (not a fixed, capped budget)
        prognose = round_cents(faelle * entgelt)
        summe_prognose += prognose
        positionen.append(
            LineItem(
                position=f"Fallarbeit: {art} ({pr.faelle_wort(faelle)} × {fmt_betrag(entgelt)})",
                betrag=prognose,
                art=Art.OFFEN,
                traeger=tr,
                sozialraum=sr,
                bedingung=(
                    "offen: Abrechnung über individuelle Entgelte nach tatsächlicher Inanspruchnahme; "
                    "bei steigendem Bedarf wird aufgestockt"
                ),
                quelle=_Q1,
            )
        )
        row: dict[str, Any] = {
            "Hilfeart": art,
            "Sozialraum": sr,
            "Träger": tr,
            "Fälle (Prognose)": faelle,
            "Entgelt je Fall": entgelt,
            "Prognose": prognose,
            "Fälle (Ist)": None,
            "Ist": None,
            "Mehrbedarf (Ist − Prognose)": None,
            "Aufstockung": ZERO,
        }
        if key in ist:
            mehr = _vergleiche_ist(key, faelle, prognose, ist[key], row, p, positionen, warnungen)
            if mehr is not None:
                summe_aufstockung += mehr
        elif ist:
            warnungen.append(
                Warnung(
                    f"Fallarbeit „{_label(art, sr, tr)}“: keine Ist-Werte gemeldet",
                    "saeule1_ist_fehlt",
                    traeger=tr,
                    sozialraum=sr,
                )
            )
        report.append(row)
    if report:
        tabellen["Fallarbeit Prognose/Ist"] = report
    return summe_prognose, summe_aufstockung


def _vergleiche_ist(
    key: _Key,
    faelle: Decimal,
    prognose: Decimal,
    ist: tuple[Decimal, Decimal | None],
    row: dict[str, Any],
    p: Parameter,
    positionen: list[LineItem],
    warnungen: list[Warnung],
) -> Decimal | None:
    """Säule 1 forecast vs actual of one row (fills ``row``); returns the top-up booked as an
    open line item (None: none)."""
    art, sr, tr = key
    label = _label(art, sr, tr)
    b, n = ist
    row["Ist"] = b
    row["Fälle (Ist)"] = n
    row["Mehrbedarf (Ist − Prognose)"] = b - prognose
    if b > prognose:
        # §7.1: „müssen bei steigendem Bedarf aufgestockt werden“
        mehr = b - prognose
        row["Aufstockung"] = mehr
        faelle_text = f" ({pr.faelle_text(n)} statt {pr.faelle_text(faelle)} Fälle)" if n is not None else ""
        warnungen.append(
            Warnung(
                f"Fallarbeit „{label}“: Ist {fmt_betrag(b)} über der Prognose {fmt_betrag(prognose)}"
                f"{faelle_text}: Aufstockung um {fmt_betrag(mehr)} (Rechtsanspruch, nicht gedeckelt)",
                "saeule1_aufstockung",
                traeger=tr,
                sozialraum=sr,
            )
        )
        if p.aufstockung_als_position:
            positionen.append(
                LineItem(
                    position=f"Aufstockung Fallarbeit: {art}",
                    betrag=mehr,
                    art=Art.OFFEN,
                    traeger=tr,
                    sozialraum=sr,
                    bedingung="offen: Mehrbedarf über der Prognose, nach Inanspruchnahme",
                    quelle=_Q1,
                )
            )
            return mehr
    elif prognose - b > p.prognose_toleranz * prognose:
        warnungen.append(
            Warnung(
                f"Fallarbeit „{label}“: Ist {fmt_betrag(b)} liegt mehr als "
                f"{fmt_prozent(p.prognose_toleranz)} unter der Prognose {fmt_betrag(prognose)}",
                "saeule1_unterschreitung",
                traeger=tr,
                sozialraum=sr,
            )
        )
    return None


# ----------------------------------------------------------------------------- Säule 2

#: a checked project: name, Träger, Sozialraum, amount, first and last budget year
_Projektzeile = tuple[str, str, str, Decimal, int, int]


def _projekte(eingabe: Eingabe, pruefer: _Pruefer) -> list[_Projektzeile]:
    """§7.2 Säule 2: the checked projects (names unique, term not ending before it begins)."""
    seen: dict[str, str] = {}
    projekte = []
    for i, projekt in enumerate(eingabe.projekte, start=1):
        name = _name(projekt.name, "Projekt", i, pfad=("projekte", i - 1, "name"))
        pr.doppelt(NAME, name, seen, was="Projekt", jede="jedes", pfad=("projekte", i - 1, "name"))
        tr = _name(projekt.traeger, "Träger", name, pfad=("projekte", i - 1, "traeger"))
        sr = _name(projekt.sozialraum, "Sozialraum", name, pfad=("projekte", i - 1, "sozialraum"))
        pruefer.traeger(tr, name, ("projekte", i - 1, "traeger"))
        pruefer.sozialraum(sr, name, ("projekte", i - 1, "sozialraum"))
        betrag = _betrag(projekt.betrag, item=name, field="Betrag", pfad=("projekte", i - 1, "betrag"))
        beginn = _jahr(projekt.beginn, item=name, field="Laufzeit Beginn", pfad=("projekte", i - 1, "beginn"))
        ende = _jahr(projekt.ende, item=name, field="Laufzeit Ende", pfad=("projekte", i - 1, "ende"))
        if ende < beginn:
            raise _fehler(
                "Laufzeit endet vor ihrem Beginn",
                item=name,
                field="Laufzeit",
                expected=f"Ende ab {beginn}",
                found=ende,
                pfad=("projekte", i - 1, "ende"),
            )
        projekte.append((name, tr, sr, betrag, beginn, ende))
    return projekte


def _saeule2(
    eingabe: Eingabe,
    p: Parameter,
    pruefer: _Pruefer,
    positionen: list[LineItem],
    tabellen: dict[str, Any],
    warnungen: list[Warnung],
) -> Decimal:
    """§7.1/§7.2 Säule 2: time-limited project budgets and plurality checks per Sozialraum."""
    projekte = _projekte(eingabe, pruefer)
    rows = []
    summe = ZERO
    jahresbetrag: dict[str, Decimal] = {}
    for name, tr, sr, betrag, beginn, ende in projekte:
        jahre = ende - beginn + 1
        laeuft = beginn <= p.jahr <= ende
        # §7.2 „zeitlich befristet“: warn about long terms
        if p.hoechstlaufzeit_jahre is not None and jahre > p.hoechstlaufzeit_jahre:
            warnungen.append(
                Warnung(
                    f"Projekt „{name}“ läuft {jahre} Jahre ({beginn}–{ende}), länger als die Höchstlaufzeit "
                    f"von {p.hoechstlaufzeit_jahre} Jahren: Befristung und Neuausschreibung prüfen",
                    "laufzeit_zu_lang",
                    traeger=tr,
                    sozialraum=sr,
                )
            )
        if p.projektbetrag == "laufzeit":
            # amount for the whole term, split evenly over its years (largest remainder)
            dieses = allocate(betrag, [1] * jahre)[p.jahr - beginn] if laeuft else ZERO
        else:
            dieses = betrag if laeuft else ZERO
        jahresbetrag[name] = dieses
        if laeuft and dieses > 0:
            summe += dieses
            positionen.append(
                LineItem(
                    position=f"Projekt „{name}“ (Strukturarbeit, Laufzeit {beginn}–{ende})",
                    betrag=dieses,
                    art=Art.UNBEDINGT,
                    traeger=tr,
                    sozialraum=sr,
                    quelle=_Q2,
                )
            )
        rows.append(
            {
                "Projekt": name,
                "Träger": tr,
                "Sozialraum": sr,
                "Beginn": beginn,
                "Ende": ende,
                "Betrag": betrag,
                f"Betrag {p.jahr}": dieses,
                "im Haushaltsjahr": "ja" if laeuft else "nein",
                "Neuausschreibung fällig": "ja" if ende == p.jahr else "nein",
            }
        )
    if rows:
        tabellen["Projekte"] = rows
    _pluralitaet(projekte, jahresbetrag, pruefer.klein, p, tabellen, warnungen)
    return summe


def _pluralitaet(
    projekte: list[_Projektzeile],
    jahresbetrag: Mapping[str, Decimal],
    klein: Mapping[str, bool],
    p: Parameter,
    tabellen: dict[str, Any],
    warnungen: list[Warnung],
) -> None:
    """§7.2 plurality per Sozialraum over the year's project budget (warnings + tables, never
    errors)."""
    per_sr: dict[str, dict[str, Decimal]] = {}
    for name, tr, sr, *_ in projekte:
        if jahresbetrag[name] > 0:
            per_sr.setdefault(sr, {})
            per_sr[sr][tr] = per_sr[sr].get(tr, ZERO) + jahresbetrag[name]
    detail: list[dict[str, Any]] = []
    summary = [
        _pluralitaet_sozialraum(sr, by_tr, klein, p, detail, warnungen) for sr, by_tr in per_sr.items()
    ]
    if detail:
        tabellen["Pluralität"] = detail
        tabellen["Pluralität Sozialräume"] = summary


def _pluralitaet_sozialraum(
    sr: str,
    by_tr: Mapping[str, Decimal],
    klein: Mapping[str, bool],
    p: Parameter,
    detail: list[dict[str, Any]],
    warnungen: list[Warnung],
) -> dict[str, Any]:
    """§7.2 plurality of one Sozialraum: its Träger rows go to ``detail``; returns its summary row."""
    max_share = p.hoechstanteil_traeger
    min_small = p.mindestanteil_kleine_traeger
    total = sum(by_tr.values(), ZERO)
    ueber = []
    for tr, b in by_tr.items():
        verletzt = b > max_share * total  # exact: b/total > max ⇔ b > max·total
        if verletzt:
            ueber.append(tr)
            warnungen.append(
                Warnung(
                    f"Sozialraum „{sr}“: „{tr}“ hält {fmt_prozent(b / total)} des Projektbudgets, "
                    f"mehr als der Höchstanteil von {fmt_prozent(max_share)} (Pluralität, §7.2)",
                    "pluralitaet_hoechstanteil",
                    traeger=tr,
                    sozialraum=sr,
                )
            )
        detail.append(
            {
                "Sozialraum": sr,
                "Träger": tr,
                "klein": "ja" if klein.get(tr) else "nein",
                "Projektbudget": b,
                "Anteil": pr.quote(b, total),
                "Höchstanteil": max_share,
                "Höchstanteil überschritten": "ja" if verletzt else "nein",
            }
        )
    small = sum((b for tr, b in by_tr.items() if klein.get(tr)), ZERO)
    vorbehalt = round_cents(min_small * total)
    fehlbetrag = max(ZERO, vorbehalt - small)
    small_ok = small >= min_small * total
    if not small_ok:
        warnungen.append(
            Warnung(
                f"Sozialraum „{sr}“: kleine Träger erhalten {fmt_prozent(small / total)} des "
                f"Projektbudgets, weniger als der vorbehaltene Anteil von {fmt_prozent(min_small)} "
                f"(Fehlbetrag {fmt_betrag(fehlbetrag)}, Pluralität, §7.2)",
                "pluralitaet_kleintraeger",
                sozialraum=sr,
            )
        )
    return {
        "Sozialraum": sr,
        "Projektbudget": total,
        "Anzahl Träger": len(by_tr),
        "Träger über Höchstanteil": ", ".join(ueber),
        "Anteil kleiner Träger": pr.quote(small, total),
        "Mindestanteil kleiner Träger": min_small,
        "Vorbehalt kleine Träger": vorbehalt,
        "Fehlbetrag kleine Träger": fehlbetrag,
        "eingehalten": "ja" if not ueber and small_ok else "nein",
    }


# ----------------------------------------------------------------------------- Säule 3


def _saeule3(
    eingabe: Eingabe,
    p: Parameter,
    positionen: list[LineItem],
    tabellen: dict[str, Any],
    warnungen: list[Warnung],
) -> Decimal:
    """§7.1 Säule 3 / spec §2.5: the Quartiersbudget total split by an indicator key."""
    from .. import indicators

    gesamt = _betrag(
        eingabe.quartiersbudget,
        item="Quartiersbudget",
        field="Quartiersbudget",
        pfad=("eingabe", "quartiersbudget"),
    )
    if not eingabe.quartiere:
        if gesamt > 0:
            raise _fehler(
                "Quartiersbudget angegeben, aber keine Quartiere",
                item="Quartiersbudget",
                field="Quartier",
                pfad=("eingabe", "quartiersbudget"),
            )
        return ZERO
    names: list[str] = []
    seen: dict[str, str] = {}
    for i, q in enumerate(eingabe.quartiere, start=1):
        name = _name(q.name, "Quartier", i, pfad=("quartiere", i - 1, "name"))
        pr.doppelt(NAME, name, seen, was="Quartier", jede="jedes", pfad=("quartiere", i - 1, "name"))
        names.append(name)
    del seen
    if gesamt == 0:
        warnungen.append(Warnung("Quartiersbudget ist 0,00 €: Säule 3 bleibt leer", "quartiersbudget_null"))
    try:
        # name order, so tie cents never depend on the input order
        budgets = indicators.verteile_nach_index(
            gesamt,
            _regionen(eingabe.quartiere, names),
            tuple(eingabe.indikatoren),
            id_spalte="Quartier",
            zielgruppe=p.zielgruppe,
            methode=p.index_methode,
            schluessel=p.index_schluessel,
            warnungen=warnungen,
        )
    except SozbudgetError as exc:
        raise pr.index_fehler(
            NAME,
            exc,
            was="Quartiersbudgets",
            daten="Quartiere",
            id_spalte="Quartier",
            indikatoren=eingabe.indikatoren,
            position="Quartiere",
        ) from exc
    rows = []
    spalten = {s: i for i, s in enumerate(_QUARTIERSBUDGET_SPALTEN)}  # shared by the rows
    anteile: dict[Decimal, Decimal | None] = {}  # equal budgets, one share object
    for i, (name, q) in enumerate(zip(names, eingabe.quartiere)):
        b = budgets[name]
        traeger, bis, vergeben = _vergabe(q, i, name, p, warnungen if b > 0 else [])
        anteil = anteile.get(b, anteile)
        if anteil is anteile:
            anteil = anteile[b] = pr.quote(b, gesamt)
        rows.append(Zeile(spalten, (name, b, anteil, traeger, bis, "ja" if vergeben else "nein")))
        if b > 0:
            positionen.append(
                LineItem(
                    position=f"Quartiersbudget „{name}“ (Aktivierungs-/Milieuarbeit)"
                    + ("" if vergeben else ": noch nicht vergeben, Ausschreibung"),
                    betrag=b,
                    art=Art.UNBEDINGT if vergeben else Art.OFFEN,
                    traeger=traeger if vergeben else None,
                    sozialraum=name,
                    bedingung=""
                    if vergeben
                    else "Vergabe über ein Ausschreibungsverfahren (zeitlich befristet)",
                    quelle=_Q2,
                )
            )
    tabellen["Quartiersbudgets"] = rows
    return sum(budgets.values(), ZERO)


#: columns of the table „Quartiersbudgets“
_QUARTIERSBUDGET_SPALTEN = (
    "Quartier",
    "Quartiersbudget",
    "Anteil",
    "Budgetträger",
    "Vergabe bis",
    "vergeben",
)


def _regionen(quartiere: Sequence[Quartier], names: Sequence[str]) -> Iterator[dict[str, Any]]:
    """The Quartiere as rows for the indicator key (base data and „Quartier“: the checked name), in
    name order; each row is built when it is read (the key keeps columns, not 50.000 rows)."""
    for i in sorted(range(len(names)), key=names.__getitem__):
        row = {str(k): v for k, v in quartiere[i].daten.items()}
        row["Quartier"] = names[i]
        yield row


def _vergabe(
    q: Quartier, i: int, name: str, p: Parameter, warnungen: list[Warnung]
) -> tuple[str | None, int | None, bool]:
    """§7.2: the award of one Quartier's budget — (Budgetträger, last year, valid this year);
    warnings for a missing, expired, open-ended or too long award."""
    traeger = _opt_name(q.traeger, "Budgetträger", i + 1, ("quartiere", i, "traeger"))
    beginn = ende = None
    if q.vergabe_beginn is not None:
        beginn = _jahr(
            q.vergabe_beginn, item=name, field="Vergabe Beginn", pfad=("quartiere", i, "vergabe_beginn")
        )
    if q.vergabe_ende is not None:
        ende = _jahr(q.vergabe_ende, item=name, field="Vergabe Ende", pfad=("quartiere", i, "vergabe_ende"))
    if beginn is not None and ende is not None and ende < beginn:
        raise _fehler(
            "die Vergabe endet vor ihrem Beginn",
            item=name,
            field="Vergabe Ende",
            expected=f"{beginn} oder später",
            found=ende,
            pfad=("quartiere", i, "vergabe_ende"),
        )
    laeuft = (beginn is None or beginn <= p.jahr) and (ende is None or p.jahr <= ende)
    if traeger is None or not laeuft:
        grund = "nicht vergeben" if traeger is None else f"Vergabe an „{traeger}“ gilt nicht für {p.jahr}"
        warnungen.append(
            Warnung(
                f"Quartiersbudget „{name}“ {grund}: über ein Ausschreibungsverfahren zeitlich befristet "
                "an einen Träger oder ein Quartiersmanagement vergeben (Gutachten, Abschnitt 7.2); bis dahin "
                "offen",
                "quartier_nicht_vergeben",
                sozialraum=name,
            )
        )
        return traeger, ende, False
    h = p.hoechstlaufzeit_jahre
    if ende is None:
        warnungen.append(
            Warnung(
                f"Quartiersbudget „{name}“: Vergabe an „{traeger}“ ohne Ende; das Gutachten (§7.2) sieht "
                "eine zeitlich befristete Vergabe vor",
                "quartier_unbefristet",
                traeger=traeger,
                sozialraum=name,
            )
        )
    elif h is not None and beginn is not None and ende - beginn + 1 > h:
        warnungen.append(
            Warnung(
                f"Quartiersbudget „{name}“: Vergabe an „{traeger}“ {beginn}–{ende} länger als die "
                f"Höchstlaufzeit von {h} Jahren: Befristung und Neuausschreibung prüfen",
                "quartier_laufzeit",
                traeger=traeger,
                sozialraum=name,
            )
        )
    return traeger, ende, True


# ----------------------------------------------------------------------------- example


def beispiel() -> tuple[Eingabe, Parameter]:
    """Realistic 2026 example: open case work for four Hilfearten (annual fees 2025/26),
    eight projects in three Sozialräume (Süd breaks both plurality rules), and a
    Quartiersbudget of 180.000 € over five Quartiere by the Jugendeinwohnerwert."""
    caritas = "Caritasverband Musterstadt e.V."
    awo = "AWO Kreisverband Musterstadt e.V."
    diakonie = "Diakonisches Werk Musterstadt e.V."
    verein = "Stadtteilverein Nordlicht e.V."
    initiative = "Elterninitiative Regenbogen e.V."
    traeger = (
        Traeger(caritas),
        Traeger(awo),
        Traeger(diakonie),
        Traeger(verein, klein=True),
        Traeger(initiative, klein=True),
    )
    fallarbeit = (
        Fallprognose("Erziehungsbeistand (§ 30 SGB VIII)", 48, "14880.00"),
        Fallprognose("Sozialpädagogische Familienhilfe (§ 31 SGB VIII)", 95, "19560.00"),
        Fallprognose("Tagesgruppe (§ 32 SGB VIII)", 22, "41250.00"),
        Fallprognose("Heimerziehung (§ 34 SGB VIII)", 37, "86400.00"),
    )
    fallarbeit_ist = (
        FallIst("Erziehungsbeistand (§ 30 SGB VIII)", "689105.20", 47),
        FallIst("Sozialpädagogische Familienhilfe (§ 31 SGB VIII)", "1961340.00", 101),
        FallIst("Tagesgruppe (§ 32 SGB VIII)", "792000.00", 19),
        FallIst("Heimerziehung (§ 34 SGB VIII)", "3261600.00", 38),
    )
    projekte = (
        Projekt("Familienzentrum Nordstadt", awo, "Nord", "45000.00", 2025, 2027),
        Projekt("Elterncafé am Markt", verein, "Nord", "24000.00", 2026, 2027),
        Projekt("Schulsozialarbeit plus", caritas, "Nord", "45000.00", 2024, 2026),
        Projekt("Jugendtreff Südring", diakonie, "Süd", "96000.00", 2026, 2028),
        Projekt("Nachbarschaftsnetz Süd", awo, "Süd", "31000.00", 2025, 2026),
        Projekt("Mütterfrühstück Weststadt", initiative, "West", "20000.00", 2026, 2027),
        Projekt("Übergang Schule–Beruf West", caritas, "West", "36000.00", 2025, 2027),
        Projekt("Sportbrücke West", diakonie, "West", "35000.00", 2026, 2028),
    )
    qm_nord = "Quartiersmanagement Nordstadt (Stadtteilbüro)"
    quartiere = (
        Quartier(
            "Nordstadt",
            {"Jugendeinwohner": 3120, "Einwohner": 14800, "SGB-II-Quote U18": 24.1},
            qm_nord,
            2025,
            2027,
        ),
        Quartier(
            "Am Markt",
            {"Jugendeinwohner": 1840, "Einwohner": 11200, "SGB-II-Quote U18": 12.7},
            verein,
            2026,
            2028,
        ),
        Quartier(
            "Südring",
            {"Jugendeinwohner": 2650, "Einwohner": 12900, "SGB-II-Quote U18": 19.8},
            diakonie,
            2024,
            2026,
        ),
        Quartier(
            "Weststadt",
            {"Jugendeinwohner": 2210, "Einwohner": 10400, "SGB-II-Quote U18": 15.3},
            caritas,
            2026,
            2027,
        ),
        Quartier(
            "Gartenvorstadt",
            {"Jugendeinwohner": 1590, "Einwohner": 9800, "SGB-II-Quote U18": 8.9},
            initiative,
            2026,
            2028,
        ),
    )
    eingabe = Eingabe(
        fallarbeit=fallarbeit,
        fallarbeit_ist=fallarbeit_ist,
        traeger=traeger,
        projekte=projekte,
        quartiersbudget="180000.00",
        quartiere=quartiere,
        indikatoren=(Indicator("SGB-II-Quote U18", "SGB-II-Quote U18"),),
        sozialraeume=("Nord", "Süd", "West"),
    )
    return eingabe, Parameter(jahr=2026)


# --------------------------------------------------------------------------- declaration

#: what this model means for workbook, worksheet functions, annex and README (:mod:`..spec`)
DEKLARATION = Deklaration(
    # the plan agreed before the year: no actual case costs (no Aufstockung yet)
    plan=(Planwert("fallarbeit_ist", (), hilfe="Ist-Kosten der Fallarbeit erst in der Abrechnung"),),
    vertraege=Vertragsbildung(parteien="jeder Träger eines Projekts der Strukturarbeit"),
    eingabe=(Feld("quartiersbudget", "Quartiersbudget", "betrag", "Säule 3: Budget für die Quartiere"),),
    parameter=(
        Feld(
            "prognose_toleranz",
            "Prognosetoleranz",
            "prozent",
            "Säule 1: Abweichung unter der Prognose, ab der gewarnt wird",
        ),
        Feld(
            "aufstockung_als_position",
            "Aufstockung als Position",
            "ja_nein",
            "Säule 1: Ist über der Prognose als offene Position „Aufstockung“",
        ),
        Feld(
            "hoechstanteil_traeger",
            "Höchstanteil je Träger",
            "prozent",
            "Säule 2: höchster Anteil eines Trägers am Projektbudget eines Sozialraums",
        ),
        Feld(
            "mindestanteil_kleine_traeger",
            "Mindestanteil kleiner Träger",
            "prozent",
            "Säule 2: Anteil für kleine Träger je Sozialraum",
        ),
        Feld(
            "hoechstlaufzeit_jahre",
            "Höchstlaufzeit",
            "ganzzahl",
            "Säule 2: längste Laufzeit in Jahren („keine“: aus)",
        ),
        Feld(
            "projektbetrag",
            "Projektbetrag",
            "text",
            "Säule 2: ob der Betrag eines Projekts für ein Haushaltsjahr gilt oder für die ganze "
            "Laufzeit (dann gleichmäßig auf deren Jahre verteilt)",
            auswahl=PROJEKTBETRAG_WAHLEN,
        ),
        Feld("zielgruppe", "Zielgruppe", "text", "Säule 3: Datenspalte der Zielgruppe"),
        Feld(
            "index_methode",
            "Index-Methode",
            "text",
            "Säule 3: wie die Indikatoren standardisiert werden",
            auswahl=METHODEN_WAHLEN,
        ),
        Feld(
            "index_schluessel",
            "Index-Schlüssel",
            "text",
            "Säule 3: Verteilungsschlüssel der Quartiersbudgets",
            auswahl=SCHLUESSEL_WAHLEN,
        ),
        *zahlung(termine=False),
    ),
    tabellen=(
        Tabelle(
            "Sozialraeume",
            "Sozialräume",
            "sozialraeume",
            (Feld("name", "Sozialraum", "text", "Name des Sozialraums"),),
            "Liste der Sozialräume (optional; dann muss jeder genannte Sozialraum darin stehen)",
        ),
        Tabelle(
            "Traeger",
            "Träger",
            "traeger",
            (
                Feld("name", "Träger", "text", "Name des Trägers"),
                Feld("klein", "Kleiner Träger", "ja_nein", "kleiner Träger (Mindestanteil)?"),
            ),
            "Träger (Säule 2)",
        ),
        Tabelle(
            "Fallarbeit",
            "Fallarbeit",
            "fallarbeit",
            (
                Feld("hilfeart", "Hilfeart", "text", "Hilfeart"),
                Feld("faelle", "Fälle", "zahl", "prognostizierte Fälle"),
                Feld("entgelt", "Entgelt", "betrag", "Jahresentgelt je Fall"),
                Feld("sozialraum", "Sozialraum", "text", "Sozialraum (optional)"),
                Feld("traeger", "Träger", "text", "Träger (optional)"),
            ),
            "Säule 1: Prognose der Fallarbeit",
        ),
        Tabelle(
            "FallarbeitIst",
            "Fallarbeit Ist",
            "fallarbeit_ist",
            (
                Feld("hilfeart", "Hilfeart", "text", "Hilfeart"),
                Feld("betrag", "Ist", "betrag", "tatsächliche Ausgaben"),
                Feld("faelle", "Ist-Fälle", "zahl", "tatsächliche Fälle"),
                Feld("sozialraum", "Sozialraum", "text", "Sozialraum (optional)"),
                Feld("traeger", "Träger", "text", "Träger (optional)"),
            ),
            "Säule 1: Ist der Fallarbeit",
        ),
        Tabelle(
            "Projekte",
            "Projekte",
            "projekte",
            (
                Feld("name", "Projekt", "text", "Name des Projekts"),
                Feld("traeger", "Träger", "text", "Träger (aus der Liste)"),
                Feld("sozialraum", "Sozialraum", "text", "Sozialraum (aus der Liste)"),
                Feld("betrag", "Betrag", "betrag", "Jahresbetrag (oder Betrag der Laufzeit)"),
                Feld("beginn", "Laufzeit Beginn", "ganzzahl", "erstes Haushaltsjahr", einheit_=Einheit.JAHR),
                Feld("ende", "Laufzeit Ende", "ganzzahl", "letztes Haushaltsjahr", einheit_=Einheit.JAHR),
            ),
            "Säule 2: befristete Projekte",
        ),
        Tabelle(
            "Quartiere",
            "Quartiere",
            "quartiere",
            (
                Feld("name", "Quartier", "text", "Name des Quartiers"),
                Feld(
                    "traeger",
                    "Budgetträger",
                    "text",
                    "Träger oder Quartiersmanagement, an den das Quartiersbudget per Ausschreibung vergeben "
                    "ist (leer: noch nicht vergeben, Betrag bleibt offen)",
                ),
                Feld(
                    "vergabe_beginn",
                    "Vergabe Beginn",
                    "ganzzahl",
                    "erstes Haushaltsjahr der Vergabe",
                    einheit_=Einheit.JAHR,
                ),
                Feld(
                    "vergabe_ende",
                    "Vergabe Ende",
                    "ganzzahl",
                    "letztes Haushaltsjahr der befristeten Vergabe",
                    einheit_=Einheit.JAHR,
                ),
            ),
            "Säule 3: Quartiere mit Budgetträger, befristeter Vergabe und Basisdaten (weitere Spalten)",
            daten="daten",
            datenspalten=(
                ("Jugendeinwohner", "Zahl der Jugendeinwohner"),
                ("Einwohner", "Zahl der Einwohner"),
                ("SGB-II-Quote U18", "SGB-II-Quote der unter 18-Jährigen in %"),
            ),
        ),
        INDIKATOREN,
    ),
    verweise=(
        (("Projekte", "Träger"), ("Traeger", "Träger")),
        (("Projekte", "Sozialraum"), ("Sozialraeume", "Sozialraum")),
    ),
    aliase=(
        ("Jahr", "Haushaltsjahr"),
        ("klein", "Kleiner Träger"),
        ("Säulen", "Quartiersbudget"),
        ("Laufzeit", "Laufzeit Ende"),
        ("Daten", "Quartier"),
    ),
    kennzahlen=(
        Kennzahl("Säule 1 Fallarbeit (Prognose)", Einheit.EURO),
        Kennzahl("Säule 1 Aufstockung", Einheit.EURO),
        Kennzahl("Säule 2 Strukturarbeit (Projekte)", Einheit.EURO),
        Kennzahl("Säule 3 Quartiersbudgets", Einheit.EURO),
        Kennzahl("Gesamt", Einheit.EURO),
        Kennzahl("davon offen (Fallarbeit)", Einheit.EURO),
        Kennzahl("davon fest budgetiert (Säulen 2 und 3)", Einheit.EURO),
    ),
    ausgaben=(
        Ausgabetabelle(
            "Fallarbeit Prognose/Ist",
            (
                Spalte("Hilfeart", Einheit.TEXT),
                Spalte("Sozialraum", Einheit.TEXT),
                Spalte("Träger", Einheit.TEXT),
                Spalte("Fälle (Prognose)", Einheit.ANZAHL),
                Spalte("Entgelt je Fall", Einheit.EURO),
                Spalte("Prognose", Einheit.EURO),
                Spalte("Fälle (Ist)", Einheit.ANZAHL),
                Spalte("Ist", Einheit.EURO),
                Spalte("Mehrbedarf (Ist − Prognose)", Einheit.EURO),
                Spalte("Aufstockung", Einheit.EURO),
            ),
            traeger="Träger",
            sozialraum="Sozialraum",
        ),
        Ausgabetabelle(
            "Projekte",
            (
                Spalte("Projekt", Einheit.TEXT),
                Spalte("Träger", Einheit.TEXT),
                Spalte("Sozialraum", Einheit.TEXT),
                Spalte("Beginn", Einheit.JAHR),
                Spalte("Ende", Einheit.JAHR),
                Spalte("Betrag", Einheit.EURO),
                Spalte("Betrag \\d{4}", Einheit.EURO, muster=True),
                Spalte("im Haushaltsjahr", Einheit.TEXT),
                Spalte("Neuausschreibung fällig", Einheit.TEXT),
            ),
            anlage=("Projekt", "Beginn", "Ende", "Betrag \\d{4}", "Neuausschreibung fällig"),
            traeger="Träger",
            sozialraum="Sozialraum",
        ),
        Ausgabetabelle(
            "Pluralität",
            (
                Spalte("Sozialraum", Einheit.TEXT),
                Spalte("Träger", Einheit.TEXT),
                Spalte("klein", Einheit.TEXT),
                Spalte("Projektbudget", Einheit.EURO),
                Spalte("Anteil", Einheit.ANTEIL),
                Spalte("Höchstanteil", Einheit.ANTEIL),
                Spalte("Höchstanteil überschritten", Einheit.TEXT),
            ),
            traeger="Träger",
            sozialraum="Sozialraum",
        ),
        Ausgabetabelle(
            "Pluralität Sozialräume",
            (
                Spalte("Sozialraum", Einheit.TEXT),
                Spalte("Projektbudget", Einheit.EURO),
                Spalte("Anzahl Träger", Einheit.ANZAHL),
                Spalte("Träger über Höchstanteil", Einheit.TEXT),
                Spalte("Anteil kleiner Träger", Einheit.ANTEIL),
                Spalte("Mindestanteil kleiner Träger", Einheit.ANTEIL),
                Spalte("Vorbehalt kleine Träger", Einheit.EURO),
                Spalte("Fehlbetrag kleine Träger", Einheit.EURO),
                Spalte("eingehalten", Einheit.TEXT),
            ),
            sozialraum="Sozialraum",
        ),
        Ausgabetabelle(
            "Quartiersbudgets",
            (
                Spalte("Quartier", Einheit.TEXT),
                Spalte("Quartiersbudget", Einheit.EURO),
                Spalte("Anteil", Einheit.ANTEIL),
                Spalte("Budgetträger", Einheit.TEXT),
                Spalte("Vergabe bis", Einheit.JAHR),
                Spalte("vergeben", Einheit.TEXT),
            ),
            anlage=("Quartier", "Quartiersbudget", "Vergabe bis"),
            traeger="Budgetträger",
            sozialraum="Quartier",
        ),
        Ausgabetabelle(
            "Säulen",
            (
                Spalte("Säule", Einheit.TEXT),
                Spalte("Finanzierung", Einheit.TEXT),
                Spalte("Betrag", Einheit.EURO),
            ),
        ),
    ),
    angaben=(
        Angabe("Säule 2 Strukturarbeit (Projekte)", "Säule 2 Strukturarbeit gesamt"),
        Angabe("Säule 3 Quartiersbudgets", "Säule 3 Quartiersbudgets gesamt"),
        Angabe("Pluralität", "Anteil am Projektbudget des Sozialraums", "Anteil"),
        Angabe("Pluralität", "Höchstanteil je Träger", "Höchstanteil"),
    ),
    vertragstexte=(
        Vertragstext(
            "regel",
            "Säule 1 (Fallarbeit) wird nicht budgetiert, sondern über individuelle Entgelte nach "
            "tatsächlicher Inanspruchnahme finanziert (Anspruchs- und Leistungsfinanzierung). Die Prognose "
            "(Fälle × Jahresentgelt je Fall) ist offen und nicht gedeckelt; steigt der Bedarf, wird "
            "aufgestockt{% if p.aufstockung_als_position %} und der Mehrbedarf über der Prognose als offene "
            "Position „Aufstockung“ ausgewiesen{% endif %}.",
            quelle="Gutachten, Abschnitt 7.1",
        ),
        Vertragstext(
            "regel",
            "Säule 2 (Strukturarbeit) ist eine kooperative Projektfinanzierung: Projekte werden über "
            "Ausschreibungsverfahren zeitlich befristet vergeben"
            "{% if p.hoechstlaufzeit_jahre is not none %}, in der Regel für höchstens "
            '{{ p.hoechstlaufzeit_jahre }} {{ "Jahr" if p.hoechstlaufzeit_jahre == 1 else "Jahre" }}'
            "{% endif %}. Der Projektbetrag gilt als {{ w.projektbetrag }}"
            '{% if p.projektbetrag == "laufzeit" %} und wird gleichmäßig auf die Jahre der Laufzeit '
            "verteilt{% endif %}. Um Trägerexklusivität zu vermeiden, erhält kein Träger mehr als "
            "{{ p.hoechstanteil_traeger|prozent }} des Projektbudgets eines Sozialraums; kleinen und "
            "weniger finanzstarken Trägern sind mindestens {{ p.mindestanteil_kleine_traeger|prozent }} "
            "vorbehalten.",
            quelle="Gutachten, Abschnitt 7.2",
        ),
        Vertragstext(
            "regel",
            "Säule 3 (Aktivierungs- und Milieuarbeit) wird über Quartiersbudgets finanziert: Der "
            "Gesamtbetrag wird nach einem Verteilungsschlüssel auf der Grundlage von "
            "Sozialraumindikatoren auf die Quartiere verteilt (Schlüssel: {{ w.index_schluessel }}"
            "{% if p.zielgruppe %}, Zielgruppe „{{ p.zielgruppe }}“{% endif %}"
            '{% if p.index_schluessel != "kopf" %}, Standardisierung: {{ w.index_methode }}{% endif %}).',
            quelle="Gutachten, Abschnitt 7.1",
        ),
        Vertragstext(
            "regel",
            "Die Projektbudgets (Säule 2) werden den Trägern, die Quartiersbudgets (Säule 3) dem Träger oder "
            "Quartiersmanagement, an den sie über ein Ausschreibungsverfahren zeitlich befristet vergeben "
            "sind, {{ w.zahlungsweise }} in Abschlägen ausgezahlt" + WERKTAG_SATZ + "; die Fallarbeit "
            "(Säule 1) wird nach Inanspruchnahme abgerechnet.",
            vorschlag=True,
        ),
        Vertragstext(
            "ruecklage",
            "Die Fallarbeit (Säule 1) wird nach tatsächlicher Inanspruchnahme abgerechnet. Nicht verausgabte "
            "Projektmittel (Säule 2) sind zum Ende der Projektlaufzeit, nicht verausgabte Quartiersmittel "
            "(Säule 3) zum Ende des Haushaltsjahres zurückzuzahlen, soweit das Jugendamt keiner Übertragung "
            "zustimmt.",
            vorschlag=True,
        ),
        Vertragstext(
            "revision",
            "Projekte der Strukturarbeit (Säule 2) sind befristet und werden nach Ablauf ihrer Laufzeit neu "
            "ausgeschrieben.",
            quelle="Gutachten, Abschnitt 7.2",
        ),
        Vertragstext(
            "revision",
            "Steigt der Bedarf in der Fallarbeit (Säule 1), wird die Prognose aufgestockt; sie ist kein "
            "festes, gedeckeltes Budget.",
            quelle="Gutachten, Abschnitt 7.1",
        ),
        Vertragstext(
            "bericht",
            "Fallarbeit (Säule 1): vierteljährlicher Vergleich von Prognose und tatsächlicher "
            "Inanspruchnahme (Fälle und Ausgaben); liegen die Ausgaben mehr als "
            "{{ p.prognose_toleranz|prozent }} unter der Prognose, wird die Abweichung begründet.",
            vorschlag=True,
        ),
        Vertragstext(
            "bericht",
            "Projekte (Säule 2): Sachbericht und Verwendungsnachweis zum Ende jedes Projektjahres.",
            vorschlag=True,
        ),
    ),
    lesart=(
        "Fallarbeit als offene Prognose (Fälle × Jahresentgelt je Fall), die bei höherem Ist aufgestockt "
        "wird; Projektbeträge als Jahresbeträge; die Pluralität nach Abschnitt 7.2 als Höchstanteil je "
        "Träger und vorbehaltener Mindestanteil kleiner Träger am Projektbudget jedes Sozialraums, deren "
        "Verletzung nur gewarnt wird; Quartiersbudgets nach dem Jugendeinwohnerwert, gezahlt an den Träger "
        "oder das Quartiersmanagement, an das sie per Ausschreibung befristet vergeben sind (sonst offen)."
    ),
    lesarten=(
        Lesart(
            "aufstockung_als_position",
            "Fallarbeit wird „nicht aus festen Budgets finanziert“; „Budgets in der Fallarbeit müssen bei "
            "steigendem Bedarf aufgestockt werden“: ein Ist über der Prognose wird als offene Position "
            "„Aufstockung“ ausgewiesen.",
        ),
        Lesart(
            "prognose_toleranz",
            "Das Gutachten nennt keine Toleranz: ab 10 % Ist unter der Prognose gibt es einen Hinweis.",
            auslegung=True,
        ),
        Lesart(
            "hoechstanteil_traeger",
            "„Trägerexklusivität oder „Kartellbildung“ im Sozialraum“ ist zu vermeiden, kleine Träger "
            "sind zu stärken (Abschnitt 7.2); das Gutachten nennt keine Zahlen: höchstens 40 % des "
            "Projektbudgets eines Sozialraums je Träger und 15 % für kleine Träger (siehe "
            "„Mindestanteil kleiner Träger“); Verletzungen werden nur gemeldet.",
            auslegung=True,
        ),
        Lesart(
            "hoechstlaufzeit_jahre",
            "Projekt- und Quartiersbudgets werden „über Ausschreibungsverfahren zeitlich befristet "
            "vergeben“; das Gutachten nennt keine Frist: höchstens 3 Jahre.",
            auslegung=True,
        ),
        Lesart(
            "projektbetrag",
            "Das Gutachten sagt nicht, ob ein Projektbetrag für ein Jahr oder die ganze Laufzeit gilt: "
            "Standard ist der Jahresbetrag; wahlweise wird der Betrag gleichmäßig auf die Laufzeitjahre "
            "verteilt.",
            auslegung=True,
        ),
    ),
)
