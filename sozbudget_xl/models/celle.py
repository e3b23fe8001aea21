"""Celle INTEGRA (source §5.5, domain spec §3.6): cooperative budget of a Trägerverbund.

Rules implemented (each marked in the code with its section):

* **Budget frame** = last year's accounting result (Vorjahresrechnungsergebnis, §5.5 „Zunächst
  wird der Budgetrahmen auf der Grundlage der Vorjahresrechnungsergebnisse ermittelt“).
  Option (off by default, ``indikator_anpassung``): the split of the frame across the
  Sozialräume is moved toward an indicator key (§5.5 „Zunehmend sollen aber auch
  Sozialraumindikatoren einbezogen werden“; spec §2.6) — status quo = frame × Sozialraum
  share, target = :func:`~sozbudget_xl.indicators.verteile_nach_index`, the year's budget =
  :func:`~sozbudget_xl.transition.uebergang` year ``uebergang_schritt`` of
  ``uebergang_jahre`` (with ``kappung`` or a common ``fonds``). The frame total is unchanged.
* **Split**: the frame is divided across the Sozialräume by their shares, each Sozialraum's
  budget across its Träger by the assignment matrix Träger × Sozialraum, and each Träger ×
  Sozialraum budget into the three budget parts ambulante HzE / fallunspezifische Arbeit /
  Tagesgruppe (parameters, default 70/20/10 %) — every step with the largest remainder
  method, so all line items add up to the frame exactly.
* **Matrix**: per Sozialraum the Träger shares sum to 100 % exactly (error naming the
  Sozialraum and field „Anteil“); a Träger assigned to an unknown Sozialraum or an unknown
  Träger is an error; 2–4 Träger per Sozialraum (§5.5 „zwei bis vier Träger“, parameters)
  — outside that range a warning.
* **Payment**: each Träger's budget share is paid at mid-quarter (§5.5 „zur
  Quartalsmitte“: 15 Feb, 15 May, 15 Aug, 15 Nov), four equal instalments per Träger
  (``zahlungsweise`` default ``quartalsmitte``). All line items are unconditional and go into
  the plan.
* **Festschreibung**: the shares stay constant for two years (§5.5 „bleiben für zwei Jahre
  die Budgetanteile konstant“, ``festschreibung_jahre``). Given the shares agreed in a
  previous period and their start year, new matrix shares that differ within the term are an
  error unless ``festschreibung_aufheben=True`` (then one warning per changed share). After
  the term a warning reminds that the Jugendhilfeausschuss decides on competition.
  Festschreibung covers the Träger shares (the matrix), not the Sozialraum split. **Indicator
  adjustment vs. Festschreibung** (``vorrang``): moving a Sozialraum's budget moves every Träger's
  budget share in it, so by default (report's reading, „Festschreibung geht vor“) the adjustment
  is suspended in the later years of a running term (Hinweis ``anpassung_ausgesetzt``); option
  „Anpassung geht vor“ applies it and keeps only the shares within each Sozialraum fixed.
* **Budget parts** 70/20/10 % are published practice figures of Celle, not from the report
  (help texts and reading say so). Option ``anteil_stationaer`` (§5.5 „den stationären
  Hilfebereich mit einzubeziehen“): a fourth part for stationary help, 0 % by default.
* **Savings** (optional actual spending per Träger × Sozialraum): savings become an
  earmarked reserve of the Verbund (§5.5 „Zweckbindung von Ersparnissen als Rücklagen im
  Trägerverbund“). Default: netted at Verbund level, Rücklage = max(0, Σ Budget − Σ Ist) (the
  reserve belongs to the Verbund, so one Träger's overrun is covered by another's savings);
  option ``ruecklage_saldiert=False``: Σ max(0, Budget − Ist) per Träger × Sozialraum.
  Overruns are warnings.

Helper :func:`anteile_aus_basisjahren` derives the Sozialraum shares and the matrix from
the base years' spending (each Träger's share = its market share), rounded to
``stellen`` decimals by the largest remainder method so each set sums to 100 % exactly.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from ..einheiten import Einheit
from ..errors import ModellFehler, SozbudgetError
from ..formats import betrag as fmt_betrag
from ..formats import prozent as fmt_prozent
from ..indicators import Indicator
from ..money import ZERO, allocate, allocate_cents
from ..parsing import ergibt_hundert_prozent
from ..spec import (
    INDIKATOREN,
    METHODEN_WAHLEN,
    SCHLUESSEL_WAHLEN,
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

NAME = "celle"
TITEL = "Celle INTEGRA: kooperatives Sozialraumbudget eines Trägerverbunds"
QUELLE = "Gutachten, Abschnitt 5.5"
BESCHREIBUNG = (
    "Verteilt den Budgetrahmen (Vorjahresrechnungsergebnis) auf die Sozialräume und nach "
    "festgeschriebenen Anteilen auf die Träger des Verbunds, zahlbar zur Quartalsmitte; "
    "Ersparnisse werden zweckgebundene Rücklage des Trägerverbunds."
)

__all__ = [
    "BESCHREIBUNG",
    "NAME",
    "QUELLE",
    "TITEL",
    "Basisumsatz",
    "Eingabe",
    "IstAusgabe",
    "Parameter",
    "Sozialraum",
    "Traeger",
    "Zuordnung",
    "anteile_aus_basisjahren",
    "beispiel",
    "berechne",
]

_TEILE = (
    ("anteil_ambulant", "Ambulante Hilfen zur Erziehung", "Anteil ambulante HzE"),
    ("anteil_fallunspezifisch", "Fallunspezifische Arbeit", "Anteil fallunspezifische Arbeit"),
    ("anteil_tagesgruppe", "Tagesgruppe (teilstationär)", "Anteil Tagesgruppe"),
    ("anteil_stationaer", "Stationäre Hilfen zur Erziehung", "Anteil stationär"),
)
#: §5.5 indicator adjustment vs. Festschreibung: which one wins within the fixed term
VORRANG = ("festschreibung", "anpassung")


# ----------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Parameter:
    """Negotiable numbers of the Celle model (defaults from spec §3.6)."""

    jahr: int = 2026
    zahlungsweise: str = "quartalsmitte"
    #: spec §4: a due date on a weekend or holiday moves to the next working day
    werktag: bool = True
    bundesland: str | None = None
    #: budget parts per Träger × Sozialraum, must sum to 100 %: published practice figures of
    #: Celle (about 70 % ambulant HzE, 20 % not tied to cases, 10 % day groups), NOT from the report
    anteil_ambulant: Decimal = Decimal("0.70")
    anteil_fallunspezifisch: Decimal = Decimal("0.20")
    anteil_tagesgruppe: Decimal = Decimal("0.10")
    #: §5.5 „in jedem Sozialraum … zwei bis vier Träger vertreten“ (warning outside)
    min_traeger_je_sozialraum: int = 2
    max_traeger_je_sozialraum: int = 4
    #: §5.5 shares constant for two years
    festschreibung_jahre: int = 2
    festschreibung_aufheben: bool = False
    #: §5.5 / spec §2.6: move the Sozialraum split toward the indicator key (off by default)
    indikator_anpassung: bool = False
    uebergang_jahre: int = 3
    uebergang_schritt: int = 1
    kappung: Decimal | None = None
    fonds: Decimal | None = None
    zielgruppe: str = "Jugendeinwohner"
    index_methode: str = "spw"
    index_schluessel: str = "jew"
    #: Verbund reserve: netted over the Verbund (default) or gross per Träger × Sozialraum
    ruecklage_saldiert: bool = True
    #: §5.5 „die Absicht, den stationären Hilfebereich mit einzubeziehen“: budget part for
    #: stationary help (0: not in the budget — the report names it as an intention only)
    anteil_stationaer: Decimal = Decimal("0")
    #: §5.5 „bleiben für zwei Jahre die Budgetanteile konstant“ vs. „zunehmend …
    #: Sozialraumindikatoren“: "festschreibung" (report's reading: within the fixed term the
    #: indicator adjustment is suspended, so no Träger's share moves) or "anpassung" (the
    #: adjustment moves the Sozialraum budgets; only the shares within a Sozialraum stay fixed)
    vorrang: str = "festschreibung"


@dataclass(frozen=True)
class Sozialraum:
    """A Sozialraum with its share of the frame (``anteil``, fraction) and optional base
    data for the indicator key (column name → value, e.g. ``{"Jugendeinwohner": 2100}``)."""

    name: str
    anteil: Any
    daten: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Traeger:
    """A member of the Trägerverbund."""

    name: str


@dataclass(frozen=True)
class Zuordnung:
    """One cell of the assignment matrix: the Träger's share of the Sozialraum's budget."""

    traeger: str
    sozialraum: str
    anteil: Any


@dataclass(frozen=True)
class IstAusgabe:
    """Actual spending of a Träger in a Sozialraum (for the savings → reserve rule)."""

    traeger: str
    sozialraum: str
    ist: Any


@dataclass(frozen=True)
class Basisumsatz:
    """Spending of a Träger in a Sozialraum in the base years (for market shares)."""

    traeger: str
    sozialraum: str
    betrag: Any


@dataclass(frozen=True)
class Eingabe:
    """Inputs: frame, Sozialräume, Träger, matrix; optionally the shares fixed in a previous
    period (``festgeschrieben`` with ``festschreibung_seit``), actual spending and the
    indicators for the optional indicator key."""

    vorjahresrechnungsergebnis: Any
    sozialraeume: tuple[Sozialraum, ...]
    traeger: tuple[Traeger, ...]
    zuordnung: tuple[Zuordnung, ...]
    festgeschrieben: tuple[Zuordnung, ...] = ()
    festschreibung_seit: int | None = None
    ist: tuple[IstAusgabe, ...] = ()
    indikatoren: tuple[Indicator, ...] = ()


# ----------------------------------------------------------------------------- validation


_fehler = partial(pr.fehler, NAME)
_name = partial(pr.zeilenname, NAME)
_anteil = partial(pr.anteil, NAME)
_betrag = partial(pr.betrag, NAME)
_zeilen = partial(pr.zeilen, NAME)

#: Eingabe field of a matrix table by the word its messages use
_MATRIXFELD = {"Zuordnung": "zuordnung", "festgeschrieben": "festgeschrieben"}


def _ganzzahl(
    value: Any, *, field: str, lo: int, hi: int | None = None, pfad: tuple[Any, ...] | None = None
) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < lo or (hi is not None and value > hi):
        bereich = f"{lo} bis {hi}" if hi is not None else f"mindestens {lo}"
        raise _fehler(
            f"{field} ist ungültig", item="Parameter", field=field, expected=bereich, found=value, pfad=pfad
        )
    return value


def _pct_text(share: Decimal) -> str:
    return fmt_prozent(share, 2)


def _normalisiere(e: Eingabe) -> Eingabe:
    """Check the list fields' row types and turn lists into tuples."""
    for i, sr in enumerate(
        _zeilen(e.sozialraeume, Sozialraum, "Sozialräume", pfad=("eingabe", "sozialraeume")), start=1
    ):
        if not isinstance(sr.daten, Mapping):
            raise _fehler(
                "Basisdaten müssen eine Zuordnung Spalte → Wert sein",
                item=f"Zeile {i}",
                field="Daten",
                pfad=("sozialraeume", i - 1, "daten"),
            )
    return dataclasses.replace(
        e,
        sozialraeume=_zeilen(e.sozialraeume, Sozialraum, "Sozialräume", pfad=("eingabe", "sozialraeume")),
        traeger=_zeilen(e.traeger, Traeger, "Träger", pfad=("eingabe", "traeger")),
        zuordnung=_zeilen(e.zuordnung, Zuordnung, "Zuordnung", pfad=("eingabe", "zuordnung")),
        festgeschrieben=_zeilen(
            e.festgeschrieben, Zuordnung, "Festgeschriebene Anteile", pfad=("eingabe", "festgeschrieben")
        ),
        ist=_zeilen(e.ist, IstAusgabe, "Ist-Ausgaben", pfad=("eingabe", "ist")),
        indikatoren=_zeilen(e.indikatoren, Indicator, "Indikatoren", pfad=("eingabe", "indikatoren")),
    )


def _check_parameter(p: Parameter) -> dict[str, Decimal]:
    _ganzzahl(p.jahr, field="Jahr", lo=1990, hi=2200, pfad=("parameter", "jahr"))
    pr.pruefe_zahlungsweise(NAME, p.zahlungsweise)
    if p.vorrang not in VORRANG:
        raise _fehler(
            "unbekannter Vorrang zwischen Festschreibung und Indikatoranpassung",
            item="Parameter",
            field="Vorrang",
            expected="Festschreibung geht vor oder Anpassung geht vor",
            found=pr.gefunden(p.vorrang),
            pfad=("parameter", "vorrang"),
        )
    # spec §3.6: the budget parts sum to 100 %
    titel = {f.feld: f.titel for f in DEKLARATION.parameter}
    teile = {
        attr: _anteil(getattr(p, attr), item="Parameter", field=titel[attr], pfad=("parameter", attr))
        for attr, _, _ in _TEILE
    }
    summe = sum(teile.values(), Decimal(0))
    if not ergibt_hundert_prozent(summe):
        raise _fehler(
            "die Anteile der Budgetteile müssen zusammen 100 % ergeben",
            item="Parameter",
            field="Budgetteile",
            expected="100 %",
            found=_pct_text(summe),
            pfad=("parameter", "anteil_ambulant"),
        )
    lo = _ganzzahl(
        p.min_traeger_je_sozialraum,
        field="Mindestzahl Träger je Sozialraum",
        lo=1,
        pfad=("parameter", "min_traeger_je_sozialraum"),
    )
    _ganzzahl(
        p.max_traeger_je_sozialraum,
        field="Höchstzahl Träger je Sozialraum",
        lo=lo,
        pfad=("parameter", "max_traeger_je_sozialraum"),
    )
    _ganzzahl(
        p.festschreibung_jahre,
        field="Festschreibung (Jahre)",
        lo=0,
        hi=50,
        pfad=("parameter", "festschreibung_jahre"),
    )
    if p.indikator_anpassung:
        n = _ganzzahl(
            p.uebergang_jahre, field="Übergangsjahre", lo=1, hi=50, pfad=("parameter", "uebergang_jahre")
        )
        _ganzzahl(
            p.uebergang_schritt, field="Übergangsschritt", lo=1, hi=n, pfad=("parameter", "uebergang_schritt")
        )
        for name, feld, value in (("Kappungsgrenze", "kappung", p.kappung), ("Fonds", "fonds", p.fonds)):
            if value is not None:
                _anteil(value, item="Parameter", field=name, pfad=("parameter", feld))
        if p.kappung is not None and p.fonds is not None:
            raise _fehler(
                "Kappungsgrenze und Fonds können nicht zugleich gewählt werden",
                item="Parameter",
                field="Fonds",
                pfad=("parameter", "fonds"),
            )
    return teile


def _matrix(
    rows: Iterable[Zuordnung], what: str
) -> tuple[dict[tuple[str, str], Decimal], list[tuple[str, str]]]:
    """Matrix rows → {(Träger, Sozialraum): share} (input order kept); duplicates are errors.
    The position of a cell in the returned order is its row index in the input."""
    cells: dict[tuple[str, str], Decimal] = {}
    order: list[tuple[str, str]] = []
    seen: dict[tuple[str, str], str] = {}
    tabelle = _MATRIXFELD[what]
    for i, z in enumerate(rows, start=1):
        t = _name(z.traeger, "Träger", i, pfad=(tabelle, i - 1, "traeger"))
        s = _name(z.sozialraum, "Sozialraum", i, pfad=(tabelle, i - 1, "sozialraum"))
        share = _anteil(z.anteil, item=f"{t} / {s}", field="Anteil", pfad=(tabelle, i - 1, "anteil"))
        key = (pr.namensschluessel(t), pr.namensschluessel(s))
        if key in seen:
            raise _fehler(
                f"Träger ist dem Sozialraum „{s}“ doppelt zugeordnet ({what})",
                item=t,
                field="Sozialraum",
                region=s,
                expected="je Träger und Sozialraum eine Zeile",
                found=f"„{seen[key]}“ und „{t} / {s}“",
                pfad=(tabelle, i - 1, "sozialraum"),
            )
        seen[key] = f"{t} / {s}"
        cells[(t, s)] = share
        order.append((t, s))
    return cells, order


@dataclass(frozen=True)
class _Geprueft:
    """The checked input of one run: names stripped, shares and amounts as Decimal, in input order."""

    rahmen: Decimal
    sr_names: list[str]
    sr_share: dict[str, Decimal]
    tr_names: list[str]
    #: (Träger, Sozialraum) → share; ``order`` lists the cells in input order (= row index)
    matrix: dict[tuple[str, str], Decimal]
    order: list[tuple[str, str]]
    per_sr: dict[str, list[str]]
    #: the shares fixed in a previous period (``alt_order``: row order) and their start year
    alt: dict[tuple[str, str], Decimal]
    alt_order: list[tuple[str, str]]
    seit: int | None
    ist: dict[tuple[str, str], Decimal]


def _sozialraeume(eingabe: Eingabe) -> tuple[list[str], dict[str, Decimal]]:
    """Sozialräume: unique names, shares of the frame summing to 100 %."""
    if not eingabe.sozialraeume:
        raise _fehler(
            "keine Sozialräume angegeben",
            item="Sozialräume",
            field="Sozialraum",
            pfad=("eingabe", "sozialraeume"),
        )
    sr_names: list[str] = []
    sr_share: dict[str, Decimal] = {}
    seen: dict[str, str] = {}
    for i, sr in enumerate(eingabe.sozialraeume, start=1):
        name = _name(sr.name, "Sozialraum", i, pfad=("sozialraeume", i - 1, "name"))
        pr.doppelt(NAME, name, seen, was="Sozialraum", pfad=("sozialraeume", i - 1, "name"))
        sr_share[name] = _anteil(sr.anteil, item=name, field="Anteil", pfad=("sozialraeume", i - 1, "anteil"))
        sr_names.append(name)
    total_share = sum(sr_share.values(), Decimal(0))
    if not ergibt_hundert_prozent(total_share):
        raise _fehler(
            "die Anteile der Sozialräume am Budgetrahmen müssen zusammen 100 % ergeben",
            item="Sozialräume",
            field="Anteil",
            expected="100 %",
            found=_pct_text(total_share),
            pfad=("eingabe", "sozialraeume"),
        )
    return sr_names, sr_share


def _traeger(eingabe: Eingabe) -> list[str]:
    """Träger of the Verbund: unique names."""
    if not eingabe.traeger:
        raise _fehler(
            "keine Träger angegeben", item="Trägerverbund", field="Träger", pfad=("eingabe", "traeger")
        )
    return pr.eindeutige_namen(
        NAME, (t.name for t in eingabe.traeger), was="Träger", tabelle="traeger", zeile=True
    )


def _zuordnung(
    eingabe: Eingabe, tr_names: list[str], sr_names: list[str]
) -> tuple[dict[tuple[str, str], Decimal], list[tuple[str, str]], dict[str, list[str]]]:
    """The assignment matrix Träger × Sozialraum (§5.5): known names, per Sozialraum 100 %."""
    if not eingabe.zuordnung:
        raise _fehler(
            "keine Zuordnung der Träger zu den Sozialräumen angegeben",
            item="Zuordnung",
            field="Anteil",
            pfad=("eingabe", "zuordnung"),
        )
    matrix, order = _matrix(eingabe.zuordnung, "Zuordnung")
    tr_set, sr_set = set(tr_names), set(sr_names)  # membership in O(1): linear in the rows
    for i, (t, s) in enumerate(order):
        if t not in tr_set:
            raise _fehler(
                "unbekannter Träger in der Zuordnung",
                item=t,
                field="Träger",
                region=s,
                pfad=("zuordnung", i, "traeger"),
            )
        if s not in sr_set:
            raise _fehler(
                f"Träger ist dem unbekannten Sozialraum „{s}“ zugeordnet",
                item=t,
                field="Sozialraum",
                expected=", ".join(sr_names),
                found=s,
                pfad=("zuordnung", i, "sozialraum"),
            )
    per_sr: dict[str, list[str]] = {s: [] for s in sr_names}
    for t, s in order:
        per_sr[s].append(t)
    for s in sr_names:
        summe = sum((matrix[(t, s)] for t in per_sr[s]), Decimal(0))
        if not ergibt_hundert_prozent(summe):
            erste = next((i for i, (_, ss) in enumerate(order) if ss == s), None)
            raise _fehler(
                "die Anteile der Träger im Sozialraum müssen zusammen 100 % ergeben",
                item=s,
                field="Anteil",
                region=s,
                expected="100 %",
                found=_pct_text(summe),
                pfad=("eingabe", "zuordnung") if erste is None else ("zuordnung", erste, "anteil"),
            )
    return matrix, order, per_sr


def _ist_ausgaben(
    eingabe: Eingabe, tr_names: list[str], sr_names: list[str], matrix: Mapping[tuple[str, str], Decimal]
) -> dict[tuple[str, str], Decimal]:
    """Actual spending per Träger × Sozialraum (optional): assigned pairs only, each once."""
    ist: dict[tuple[str, str], Decimal] = {}
    seen: dict[tuple[str, str], str] = {}
    tr_set, sr_set = set(tr_names), set(sr_names)
    for i, row in enumerate(eingabe.ist, start=1):
        t = _name(row.traeger, "Träger", i, pfad=("ist", i - 1, "traeger"))
        s = _name(row.sozialraum, "Sozialraum", i, pfad=("ist", i - 1, "sozialraum"))
        if t not in tr_set:
            raise _fehler(
                "Ist-Ausgabe für unbekannten Träger",
                item=t,
                field="Träger",
                region=s,
                pfad=("ist", i - 1, "traeger"),
            )
        if s not in sr_set:
            raise _fehler(
                f"Ist-Ausgabe für unbekannten Sozialraum „{s}“",
                item=t,
                field="Sozialraum",
                found=s,
                pfad=("ist", i - 1, "sozialraum"),
            )
        if (t, s) not in matrix:
            raise _fehler(
                f"Ist-Ausgabe, aber Träger ist dem Sozialraum „{s}“ nicht zugeordnet",
                item=t,
                field="Sozialraum",
                region=s,
                pfad=("ist", i - 1, "sozialraum"),
            )
        key = (pr.namensschluessel(t), pr.namensschluessel(s))
        if key in seen:
            raise _fehler(
                "Ist-Ausgabe doppelt angegeben",
                item=t,
                field="Ist",
                region=s,
                expected="je Träger und Sozialraum eine Zeile",
                found=f"„{seen[key]}“ und „{t} / {s}“",
                pfad=("ist", i - 1, "ist"),
            )
        seen[key] = f"{t} / {s}"
        ist[(t, s)] = _betrag(row.ist, item=f"{t} / {s}", field="Ist", pfad=("ist", i - 1, "ist"))
    return ist


def _pruefe_eingabe(eingabe: Eingabe, p: Parameter) -> _Geprueft:
    """Every check of the input, in the order the errors are reported."""
    # §5.5: frame = Vorjahresrechnungsergebnis
    rahmen = _betrag(
        eingabe.vorjahresrechnungsergebnis,
        item="Budgetrahmen",
        field="Vorjahresrechnungsergebnis",
        pfad=("eingabe", "vorjahresrechnungsergebnis"),
    )
    sr_names, sr_share = _sozialraeume(eingabe)
    tr_names = _traeger(eingabe)
    matrix, order, per_sr = _zuordnung(eingabe, tr_names, sr_names)

    # Festschreibung input (§5.5)
    alt: dict[tuple[str, str], Decimal] = {}
    alt_order: list[tuple[str, str]] = []
    seit = eingabe.festschreibung_seit
    if eingabe.festgeschrieben:
        alt, alt_order = _matrix(eingabe.festgeschrieben, "festgeschrieben")
        if seit is None:
            raise _fehler(
                "Beginn der Festschreibung fehlt",
                item="Festschreibung",
                field="Festschreibung seit",
                pfad=("eingabe", "festschreibung_seit"),
            )
    if seit is not None:
        _ganzzahl(
            seit, field="Festschreibung seit", lo=1990, hi=p.jahr, pfad=("eingabe", "festschreibung_seit")
        )

    ist = _ist_ausgaben(eingabe, tr_names, sr_names, matrix)
    return _Geprueft(rahmen, sr_names, sr_share, tr_names, matrix, order, per_sr, alt, alt_order, seit, ist)


# ----------------------------------------------------------------------------- model


def berechne(eingabe: Eingabe, parameter: Parameter | None = None) -> ModelResult:
    """Compute the Celle budget: frame → Sozialräume → Träger → budget parts (see module doc)."""
    p = pruefe_aufruf(NAME, eingabe, Eingabe, parameter, Parameter)
    eingabe = _normalisiere(eingabe)
    teile = _check_parameter(p)
    g = _pruefe_eingabe(eingabe, p)
    warnungen = _matrix_warnungen(p, g)
    fest_rows, festschreibung_seit, festschreibung_bis = _festschreibung(p, g, warnungen)

    # ---------------------------------------------------------------- frame → Sozialräume
    status_quo = pr.verteile_nach_namen(g.rahmen, {s: g.sr_share[s] for s in g.sr_names})
    sr_budget = dict(status_quo)
    ziel: dict[str, Decimal] | None = None
    uebergang_rows: list[dict[str, Any]] = []
    anpassung = p.indikator_anpassung and not _ausgesetzt(
        p, festschreibung_seit, festschreibung_bis, warnungen
    )
    if anpassung:
        # §5.5 „zunehmend Sozialraumindikatoren“; spec §2.6 transition toward the index key
        ziel, sr_budget, uebergang_rows = _indikator_anpassung(
            eingabe, p, g.rahmen, g.sr_names, status_quo, warnungen
        )

    positionen, zuordnung_rows, pair_budget, teil_summen = _aufteilung(g, sr_budget, teile)
    gesamt = sum((pos.betrag for pos in positionen), ZERO)

    kennzahlen: dict[str, Any] = {
        "Vorjahresrechnungsergebnis": g.rahmen,
        "Budgetrahmen": gesamt,
        "Ambulante Hilfen zur Erziehung": teil_summen["anteil_ambulant"],
        "Fallunspezifische Arbeit": teil_summen["anteil_fallunspezifisch"],
        "Tagesgruppe (teilstationär)": teil_summen["anteil_tagesgruppe"],
        "Anzahl Träger": len(g.tr_names),
        "Anzahl Sozialräume": len(g.sr_names),
        "Festschreibung seit": festschreibung_seit,
        "Festschreibung bis": festschreibung_bis,
        "Indikatoranpassung": (
            "ja" if anpassung else "ausgesetzt (Festschreibung)" if p.indikator_anpassung else "nein"
        ),
    }
    if teile["anteil_stationaer"] > 0:  # §5.5 option: stationary help in the budget
        kennzahlen["Stationäre Hilfen zur Erziehung"] = teil_summen["anteil_stationaer"]
    tabellen: dict[str, Any] = {
        "Sozialraumbudgets": _sozialraum_tabelle(g, status_quo, sr_budget, ziel),
        "Zuordnung": zuordnung_rows,
        "Trägerbudgets": _traeger_tabelle(g, pair_budget, gesamt),
    }
    if fest_rows:
        tabellen["Festschreibung"] = fest_rows
    if uebergang_rows:
        tabellen["Übergang"] = uebergang_rows
    if g.ist:
        # §5.5: savings → earmarked reserve of the Verbund
        tabellen["Rücklage"] = _ruecklage(p, g, pair_budget, kennzahlen, warnungen)

    # §5.5: budget shares paid at mid-quarter, per Träger
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


def _ausgesetzt(p: Parameter, seit: int, bis: int, warnungen: list[Warnung]) -> bool:
    """§5.5 „bleiben für zwei Jahre die Budgetanteile konstant“: with ``vorrang`` "festschreibung"
    (default) the indicator adjustment is suspended in the later years of a fixed term, since
    moving a Sozialraum's budget moves the budget share of every Träger in it (a Hinweis says
    so). In the first year of a term the shares are being agreed, so the adjustment may shape
    them; a lifted Festschreibung (``festschreibung_aufheben``) fixes nothing."""
    bis = seit + p.festschreibung_jahre - 1  # the agreed term (an expired one may run on unchanged)
    fest = p.festschreibung_jahre > 0 and seit < p.jahr <= bis and not p.festschreibung_aufheben
    if p.vorrang != "festschreibung" or not fest:
        return False
    warnungen.append(
        Warnung(
            f"Indikatoranpassung ausgesetzt: die Budgetanteile sind von {seit} bis {bis} festgeschrieben "
            "(Gutachten, Abschnitt 5.5 „bleiben für zwei Jahre die Budgetanteile konstant“); sie greift "
            f"ab {bis + 1}",
            "anpassung_ausgesetzt",
        )
    )
    return True


def _matrix_warnungen(p: Parameter, g: _Geprueft) -> list[Warnung]:
    """§5.5: two to four Träger per Sozialraum; every Träger of the Verbund in some Sozialraum."""
    warnungen: list[Warnung] = []
    for s in g.sr_names:
        n = sum(1 for t in g.per_sr[s] if g.matrix[(t, s)] > 0)
        if not p.min_traeger_je_sozialraum <= n <= p.max_traeger_je_sozialraum:
            warnungen.append(
                Warnung(
                    f"Sozialraum „{s}“: {n} Träger vertreten, vorgesehen sind "
                    f"{p.min_traeger_je_sozialraum} bis {p.max_traeger_je_sozialraum}",
                    "traegerzahl",
                    sozialraum=s,
                )
            )
    for t in g.tr_names:
        if not any(g.matrix[(tt, s)] > 0 for tt, s in g.order if tt == t):
            warnungen.append(
                Warnung(f"Träger „{t}“ ist keinem Sozialraum zugeordnet", "traeger_ohne_zuordnung", traeger=t)
            )
    return warnungen


def _abgelaufen(seit: int, bis: int) -> Warnung:
    return Warnung(
        f"die Festschreibung der Budgetanteile ({seit} bis {bis}) ist abgelaufen: der "
        "Jugendhilfeausschuss entscheidet über die Wiedereinführung des Wettbewerbs",
        "festschreibung_abgelaufen",
    )


def _festschreibung(
    p: Parameter, g: _Geprueft, warnungen: list[Warnung]
) -> tuple[list[dict[str, Any]], int, int]:
    """§5.5 Festschreibung: comparison table, the term (seit, bis); a change within the term is
    an error unless lifted (then warnings), an expired term a warning."""
    n_fest = p.festschreibung_jahre
    seit = g.seit
    if seit is None or not g.alt:
        festschreibung_seit = seit if seit is not None else p.jahr
        festschreibung_bis = festschreibung_seit + n_fest - 1
        if festschreibung_bis < p.jahr:
            warnungen.append(_abgelaufen(festschreibung_seit, festschreibung_bis))
        return [], festschreibung_seit, festschreibung_bis

    alt, matrix = g.alt, g.matrix
    ende = seit + n_fest - 1
    keys = list(g.alt_order) + [k for k in g.order if k not in alt]
    changed = [k for k in keys if alt.get(k, Decimal(0)) != matrix.get(k, Decimal(0))]
    fest_rows = [
        {
            "Träger": k[0],
            "Sozialraum": k[1],
            "Anteil bisher": alt.get(k, Decimal(0)),
            "Anteil neu": matrix.get(k, Decimal(0)),
            "Differenz": matrix.get(k, Decimal(0)) - alt.get(k, Decimal(0)),
        }
        for k in keys
    ]
    if p.jahr > ende:
        warnungen.append(_abgelaufen(seit, ende))
        if changed:
            return fest_rows, p.jahr, p.jahr + n_fest - 1
        return fest_rows, seit, p.jahr + n_fest - 1  # unchanged shares: the agreement simply continues

    if changed and not p.festschreibung_aufheben:
        t, s = changed[0]
        pfad = (
            ("zuordnung", g.order.index((t, s)), "anteil")
            if (t, s) in matrix
            else ("festgeschrieben", g.alt_order.index((t, s)), "anteil")
        )
        raise _fehler(
            f"die Budgetanteile sind von {seit} bis {ende} festgeschrieben; eine Änderung im "
            f"Sozialraum „{s}“ ist nur mit ausdrücklicher Aufhebung der Festschreibung zulässig",
            item=t,
            field="Anteil",
            region=s,
            expected=_pct_text(alt.get((t, s), Decimal(0))),
            found=_pct_text(matrix.get((t, s), Decimal(0))),
            pfad=pfad,
        )
    for t, s in changed:
        warnungen.append(
            Warnung(
                f"Festschreibung aufgehoben: Anteil von „{t}“ im Sozialraum „{s}“ ändert sich "
                f"von {_pct_text(alt.get((t, s), Decimal(0)))} auf "
                f"{_pct_text(matrix.get((t, s), Decimal(0)))} (festgeschrieben {seit} bis {ende})",
                "festschreibung_aufgehoben",
                traeger=t,
                sozialraum=s,
            )
        )
    return fest_rows, seit, ende


def _aufteilung(
    g: _Geprueft, sr_budget: Mapping[str, Decimal], teile: Mapping[str, Decimal]
) -> tuple[list[LineItem], list[dict[str, Any]], dict[tuple[str, str], Decimal], dict[str, Decimal]]:
    """Sozialraum → Träger (matrix) → budget parts: line items, the Zuordnung table, the budget
    per Träger × Sozialraum and the total per budget part."""
    positionen: list[LineItem] = []
    zuordnung_rows: list[dict[str, Any]] = []
    pair_budget: dict[tuple[str, str], Decimal] = {}
    teil_summen = {attr: ZERO for attr, _, _ in _TEILE}
    for s in g.sr_names:
        traeger_hier = g.per_sr[s]
        # §5.5: Sozialraum budget split by the matrix shares (largest remainder)
        betraege = pr.verteile_nach_namen(sr_budget[s], {t: g.matrix[(t, s)] for t in traeger_hier})
        for t in traeger_hier:
            b = betraege[t]
            pair_budget[(t, s)] = b
            # spec §3.6: budget parts ambulante HzE / fallunspezifisch / Tagesgruppe
            parts = allocate(b, [teile[attr] for attr, _, _ in _TEILE])
            row: dict[str, Any] = {"Träger": t, "Sozialraum": s, "Anteil": g.matrix[(t, s)], "Budget": b}
            for (attr, text, _), amount in zip(_TEILE, parts):
                if attr == "anteil_stationaer" and teile[attr] == 0:
                    continue  # stationary help not in the budget (default)
                row[text] = amount
                teil_summen[attr] += amount
                if amount == 0:
                    continue
                positionen.append(
                    LineItem(
                        position=f"{text} – Sozialraum {s}",
                        betrag=amount,
                        art=Art.UNBEDINGT,
                        traeger=t,
                        sozialraum=s,
                        quelle="Gutachten, Abschnitt 5.5",
                    )
                )
            zuordnung_rows.append(row)
    return positionen, zuordnung_rows, pair_budget, teil_summen


def _sozialraum_tabelle(
    g: _Geprueft,
    status_quo: Mapping[str, Decimal],
    sr_budget: Mapping[str, Decimal],
    ziel: Mapping[str, Decimal] | None,
) -> list[dict[str, Any]]:
    """Table „Sozialraumbudgets“: share, status quo, the year's budget, Träger count (and target)."""
    sr_rows = []
    for s in g.sr_names:
        row = {
            "Sozialraum": s,
            "Anteil": g.sr_share[s],
            "Status quo": status_quo[s],
            "Budget": sr_budget[s],
            "Anzahl Träger": sum(1 for t in g.per_sr[s] if g.matrix[(t, s)] > 0),
        }
        if ziel is not None:
            row["Ziel (Indikatorschlüssel)"] = ziel[s]
        sr_rows.append(row)
    return sr_rows


def _traeger_tabelle(
    g: _Geprueft, pair_budget: Mapping[tuple[str, str], Decimal], gesamt: Decimal
) -> list[dict[str, Any]]:
    """Table „Trägerbudgets“: each Träger's budget, its share of the frame and its Sozialräume."""
    tr_rows = []
    for t in g.tr_names:
        b = sum((v for (tt, _), v in pair_budget.items() if tt == t), ZERO)
        tr_rows.append(
            {
                "Träger": t,
                "Budget": b,
                "Anteil am Budgetrahmen": pr.quote(b, gesamt),
                "Sozialräume": sum(1 for (tt, s) in g.order if tt == t and g.matrix[(tt, s)] > 0),
            }
        )
    return tr_rows


def _ruecklage(
    p: Parameter,
    g: _Geprueft,
    pair_budget: Mapping[tuple[str, str], Decimal],
    kennzahlen: dict[str, Any],
    warnungen: list[Warnung],
) -> list[dict[str, Any]]:
    """§5.5 savings → earmarked reserve of the Verbund: the table „Rücklage“; adds the reserve
    Kennzahlen and the overrun warnings."""
    ruecklage_rows = []
    summe_budget = summe_ist = summe_ersparnis = summe_ueber = ZERO
    for t, s in g.order:
        b = pair_budget[(t, s)]
        if (t, s) not in g.ist:
            if b > 0:
                warnungen.append(
                    Warnung(
                        f"keine Ist-Ausgaben für „{t}“ im Sozialraum „{s}“ gemeldet: nicht in der "
                        "Rücklagenberechnung enthalten",
                        "ist_fehlt",
                        traeger=t,
                        sozialraum=s,
                    )
                )
            continue
        i_betrag = g.ist[(t, s)]
        ersparnis = max(ZERO, b - i_betrag)
        ueber = max(ZERO, i_betrag - b)
        summe_budget += b
        summe_ist += i_betrag
        summe_ersparnis += ersparnis
        summe_ueber += ueber
        if ueber > 0:
            warnungen.append(
                Warnung(
                    f"„{t}“ überschreitet im Sozialraum „{s}“ das Budget um {fmt_betrag(ueber)}: "
                    "vom Trägerverbund zu decken",
                    "ueberschreitung",
                    traeger=t,
                    sozialraum=s,
                )
            )
        ruecklage_rows.append(
            {
                "Träger": t,
                "Sozialraum": s,
                "Budget": b,
                "Ist": i_betrag,
                "Ersparnis": ersparnis,
                "Überschreitung": ueber,
            }
        )
    saldo = summe_budget - summe_ist
    if p.ruecklage_saldiert:
        ruecklage = max(ZERO, saldo)
        if saldo < 0:
            warnungen.append(
                Warnung(
                    f"der Trägerverbund überschreitet das Budget insgesamt um {fmt_betrag(-saldo)}: "
                    "keine Rücklage",
                    "verbund_ueberschreitung",
                )
            )
    else:
        ruecklage = summe_ersparnis
    ruecklage_rows.append(
        {
            "Träger": "Summe",
            "Sozialraum": None,
            "Budget": summe_budget,
            "Ist": summe_ist,
            "Ersparnis": summe_ersparnis,
            "Überschreitung": summe_ueber,
        }
    )
    kennzahlen["Ist-Ausgaben"] = summe_ist
    kennzahlen["Rücklage Trägerverbund (zweckgebunden)"] = ruecklage
    kennzahlen["Rücklage saldiert"] = "ja" if p.ruecklage_saldiert else "nein"
    return ruecklage_rows


def _indikator_anpassung(
    eingabe: Eingabe,
    p: Parameter,
    rahmen: Decimal,
    sr_names: Sequence[str],
    status_quo: Mapping[str, Decimal],
    warnungen: list[Warnung],
) -> tuple[dict[str, Decimal], dict[str, Decimal], list[dict[str, Any]]]:
    """Spec §2.6: status quo → index target; returns (target, year's budgets, table rows)."""
    from .. import indicators, transition

    # name order throughout, so tie cents never depend on the input order
    regionen = []
    for sr in sorted(eingabe.sozialraeume, key=lambda x: x.name.strip()):
        row = {str(k): v for k, v in dict(sr.daten).items()}
        row["Sozialraum"] = sr.name.strip()
        regionen.append(row)
    try:
        ziel = indicators.verteile_nach_index(
            rahmen,
            regionen,
            tuple(eingabe.indikatoren),
            id_spalte="Sozialraum",
            zielgruppe=p.zielgruppe,
            methode=p.index_methode,
            schluessel=p.index_schluessel,
            warnungen=warnungen,
        )
        u = transition.uebergang(
            {s: status_quo[s] for s in sorted(sr_names)},
            ziel,
            jahre=p.uebergang_jahre,
            kappung=p.kappung,
            fonds=p.fonds,
            gesamt=rahmen,
        )
    except ModellFehler:
        raise
    except SozbudgetError as exc:
        raise pr.index_fehler(
            NAME,
            exc,
            was="Indikatoranpassung nicht möglich",
            daten="Sozialräume",
            id_spalte="Sozialraum",
            indikatoren=eingabe.indikatoren,
            position="Indikatorschlüssel",
        ) from exc
    warnungen.extend(u.warnungen)
    # a common fund is one step (transition.uebergang gives one year); otherwise year t of N
    t = min(p.uebergang_schritt, u.jahre)
    budget = u.budget(t)
    by_name = {r["Sozialraum"]: r for r in u.zeilen if r["Jahr"] == t}
    rows = [by_name[s] for s in sr_names]
    return {s: ziel[s] for s in sr_names}, {s: budget[s] for s in sr_names}, rows


# ----------------------------------------------------------------------------- helpers


def anteile_aus_basisjahren(
    umsaetze: Sequence[Basisumsatz], *, stellen: int = 4
) -> tuple[tuple[Sozialraum, ...], tuple[Zuordnung, ...]]:
    """Sozialraum shares and matrix from the base years' spending (market shares, §3.6).

    Each Sozialraum's share = its spending / total spending; each Träger's share in a
    Sozialraum = its spending there / the Sozialraum's spending. Shares are rounded to
    ``stellen`` decimals by the largest remainder method, so each set sums to 100 % exactly.

    >>> srs, z = anteile_aus_basisjahren([Basisumsatz("A", "Nord", 200), Basisumsatz("B", "Nord", 100),
    ...                                   Basisumsatz("A", "Süd", 300)])
    >>> [(s.name, str(s.anteil)) for s in srs]
    [('Nord', '0.5000'), ('Süd', '0.5000')]
    >>> [(x.traeger, x.sozialraum, str(x.anteil)) for x in z]
    [('A', 'Nord', '0.6667'), ('B', 'Nord', '0.3333'), ('A', 'Süd', '1.0000')]
    """
    if not umsaetze:
        raise _fehler("keine Basisumsätze angegeben", item="Basisjahre", field="Betrag")
    unit = 10**stellen
    quantum = Decimal(1).scaleb(-stellen)
    cells: dict[tuple[str, str], Decimal] = {}
    for i, u in enumerate(umsaetze, start=1):
        t = _name(u.traeger, "Träger", i)
        s = _name(u.sozialraum, "Sozialraum", i)
        cells[(t, s)] = cells.get((t, s), ZERO) + _betrag(u.betrag, item=f"{t} / {s}", field="Betrag")
    sr_sum: dict[str, Decimal] = {}
    for (_, s), b in cells.items():
        sr_sum[s] = sr_sum.get(s, ZERO) + b

    def shares(weights: list[Decimal], item: str) -> list[Decimal]:
        if sum(weights, ZERO) == 0:
            raise _fehler("alle Basisumsätze sind 0", item=item, field="Betrag")
        return [(Decimal(int(c)) / unit).quantize(quantum) for c in allocate_cents(unit, weights)]

    names = list(sr_sum)
    sozialraeume = tuple(
        Sozialraum(s, a) for s, a in zip(names, shares([sr_sum[s] for s in names], "Basisjahre"))
    )
    zuordnung: list[Zuordnung] = []
    for s in names:
        keys = [k for k in cells if k[1] == s]
        for (t, _), a in zip(keys, shares([cells[k] for k in keys], s)):
            zuordnung.append(Zuordnung(t, s, a))
    return sozialraeume, tuple(zuordnung)


def beispiel() -> tuple[Eingabe, Parameter]:
    """Realistic example: Vorjahresrechnungsergebnis 2025 of about 2 Mio €, four Träger, six
    Sozialräume (2–4 Träger each), shares = market shares of the base years 2023–2024, paid
    at mid-quarter; the shares were fixed in 2025 (second year of the term), and actual
    spending of 2026 is reported for the reserve."""
    caritas = "Caritasverband Musterstadt e.V."
    awo = "AWO Kreisverband Musterstadt e.V."
    diakonie = "Diakonisches Werk Musterstadt e.V."
    jhw = "Jugendhilfewerk Allertal gGmbH"
    # base years 2023 + 2024: spending per Träger and Sozialraum (ambulant + teilstationär)
    basis = [
        Basisumsatz(caritas, "Altstadt", "182400.00"),
        Basisumsatz(awo, "Altstadt", "121600.00"),
        Basisumsatz(diakonie, "Altstadt", "76000.00"),
        Basisumsatz(awo, "Nord", "265300.00"),
        Basisumsatz(jhw, "Nord", "198700.00"),
        Basisumsatz(caritas, "Ost", "143900.00"),
        Basisumsatz(diakonie, "Ost", "155100.00"),
        Basisumsatz(jhw, "Ost", "61000.00"),
        Basisumsatz(awo, "Süd", "212000.00"),
        Basisumsatz(caritas, "Süd", "118500.00"),
        Basisumsatz(diakonie, "Süd", "97000.00"),
        Basisumsatz(jhw, "Süd", "52500.00"),
        Basisumsatz(diakonie, "West", "238800.00"),
        Basisumsatz(jhw, "West", "159200.00"),
        Basisumsatz(caritas, "Heideviertel", "176300.00"),
        Basisumsatz(awo, "Heideviertel", "143700.00"),
        Basisumsatz(jhw, "Heideviertel", "80000.00"),
    ]
    sozialraeume, zuordnung = anteile_aus_basisjahren(basis)
    jugend = {"Altstadt": 1850, "Nord": 2420, "Ost": 1960, "Süd": 2610, "West": 2140, "Heideviertel": 2230}
    hzequote = {"Altstadt": 3.1, "Nord": 4.6, "Ost": 3.4, "Süd": 4.2, "West": 3.8, "Heideviertel": 3.9}
    sozialraeume = tuple(
        Sozialraum(s.name, s.anteil, {"Jugendeinwohner": jugend[s.name], "HzE-Quote": hzequote[s.name]})
        for s in sozialraeume
    )
    # actual spending 2026 as reported at year end (three small overruns, netted in the Verbund)
    ist = (
        IstAusgabe(caritas, "Altstadt", "142343.89"),
        IstAusgabe(awo, "Altstadt", "99923.62"),
        IstAusgabe(diakonie, "Altstadt", "58015.25"),
        IstAusgabe(awo, "Nord", "210445.49"),
        IstAusgabe(jhw, "Nord", "160334.27"),
        IstAusgabe(caritas, "Ost", "111676.40"),
        IstAusgabe(diakonie, "Ost", "128412.12"),
        IstAusgabe(jhw, "Ost", "43993.33"),
        IstAusgabe(awo, "Süd", "167319.16"),
        IstAusgabe(caritas, "Süd", "91145.08"),
        IstAusgabe(diakonie, "Süd", "77990.87"),
        IstAusgabe(jhw, "Süd", "39832.06"),
        IstAusgabe(diakonie, "West", "190676.87"),
        IstAusgabe(jhw, "West", "125180.15"),
        IstAusgabe(caritas, "Heideviertel", "136204.33"),
        IstAusgabe(awo, "Heideviertel", "117282.96"),
        IstAusgabe(jhw, "Heideviertel", "59526.69"),
    )
    eingabe = Eingabe(
        vorjahresrechnungsergebnis="2013480.00",
        sozialraeume=sozialraeume,
        traeger=(Traeger(caritas), Traeger(awo), Traeger(diakonie), Traeger(jhw)),
        zuordnung=zuordnung,
        festgeschrieben=zuordnung,
        festschreibung_seit=2025,
        ist=ist,
        indikatoren=(Indicator("HzE-Quote", "HzE-Quote"),),
    )
    return eingabe, Parameter(jahr=2026)


# --------------------------------------------------------------------------- declaration


_ZAHLWOERTER = (
    "null",
    "ein",
    "zwei",
    "drei",
    "vier",
    "fünf",
    "sechs",
    "sieben",
    "acht",
    "neun",
    "zehn",
    "elf",
    "zwölf",
)


def _zahlwort(ausdruck: str) -> str:
    """A Jinja expression: the whole number ``ausdruck`` as a German word up to twelve (ein, zwei …),
    digits above.

    >>> from jinja2 import Environment
    >>> Environment().from_string("{{ " + _zahlwort("n") + " }}").render(n=2)
    'zwei'
    """
    return (
        f"({_ZAHLWOERTER!r}[{ausdruck}] if {ausdruck} is integer and 0 <= {ausdruck} <= 12 else {ausdruck})"
    )


#: what this model means for workbook, worksheet functions, annex and README (:mod:`..spec`)
DEKLARATION = Deklaration(
    # the plan agreed before the year: no actual spending
    plan=(Planwert("ist", (), hilfe="Ist-Ausgaben erst in der Abrechnung"),),
    vertraege=Vertragsbildung(parteien="jeder Träger des Trägerverbunds im Sozialraum"),
    eingabe=(
        Feld(
            "vorjahresrechnungsergebnis",
            "Vorjahresrechnungsergebnis",
            "betrag",
            "Budgetrahmen: Rechnungsergebnis des Vorjahres",
        ),
        Feld(
            "festschreibung_seit",
            "Festschreibung seit",
            "ganzzahl",
            "Jahr, seit dem die Anteile der Tabelle „Festschreibung“ gelten",
            einheit_=Einheit.JAHR,
        ),
    ),
    parameter=(
        Feld(
            "anteil_ambulant",
            "Anteil ambulant",
            "prozent",
            "Budgetteil ambulante Hilfen (Praxiszahl aus Celle, nicht aus dem Gutachten)",
        ),
        Feld(
            "anteil_fallunspezifisch",
            "Anteil fallunspezifisch",
            "prozent",
            "Budgetteil fallunspezifische Arbeit (Praxiszahl aus Celle, nicht aus dem Gutachten)",
        ),
        Feld(
            "anteil_tagesgruppe",
            "Anteil Tagesgruppe",
            "prozent",
            "Budgetteil Tagesgruppen (Praxiszahl aus Celle, nicht aus dem Gutachten); alle Budgetteile "
            "ergeben zusammen 100 %",
        ),
        Feld(
            "anteil_stationaer",
            "Anteil stationär",
            "prozent",
            "Budgetteil stationäre Hilfen; das Gutachten nennt ihre Einbeziehung als Absicht; 0 %: "
            "stationäre Hilfen nicht im Budget",
        ),
        Feld(
            "min_traeger_je_sozialraum",
            "Mindestzahl Träger je Sozialraum",
            "ganzzahl",
            "mindestens so viele Träger je Sozialraum",
        ),
        Feld(
            "max_traeger_je_sozialraum",
            "Höchstzahl Träger je Sozialraum",
            "ganzzahl",
            "höchstens so viele Träger je Sozialraum",
        ),
        Feld(
            "festschreibung_jahre",
            "Festschreibung (Jahre)",
            "ganzzahl",
            "Anteile gelten so viele Jahre",
        ),
        Feld(
            "festschreibung_aufheben",
            "Festschreibung aufheben",
            "ja_nein",
            "ja: neue Anteile trotz Festschreibung",
        ),
        Feld(
            "indikator_anpassung",
            "Anpassung an Indikatorschlüssel",
            "ja_nein",
            "ja: Anteile der Sozialräume schrittweise an den Indikatorschlüssel anpassen",
        ),
        Feld(
            "vorrang",
            "Vorrang",
            "text",
            "was während der Festschreibung gilt: die Indikatoranpassung ruht (kein Anteil ändert sich) "
            "oder die Budgets der Sozialräume werden angepasst, fest bleiben nur die Anteile in einem "
            "Sozialraum (siehe Anleitung, Lesarten)",
            auswahl=wahlen(
                ("festschreibung", "Festschreibung geht vor"), ("anpassung", "Anpassung geht vor")
            ),
        ),
        Feld("uebergang_jahre", "Übergangsjahre", "ganzzahl", "Dauer der Anpassung in Jahren"),
        Feld("uebergang_schritt", "Übergangsschritt", "ganzzahl", "aktuelles Jahr der Anpassung"),
        Feld(
            "kappung",
            "Kappungsgrenze",
            "prozent",
            "höchste Änderung je Sozialraum und Jahr (leer: keine)",
        ),
        Feld("fonds", "Fonds", "prozent", "Anteil für einen gemeinsamen Fonds (leer: keiner)"),
        Feld(
            "zielgruppe",
            "Zielgruppe",
            "text",
            "Datenspalte der Sozialräume mit der Zahl der Einwohner der Zielgruppe",
        ),
        Feld(
            "index_methode",
            "Index-Methode",
            "text",
            "Standardisierung der Indikatorwerte für den Indikatorschlüssel",
            auswahl=METHODEN_WAHLEN,
        ),
        Feld(
            "index_schluessel",
            "Index-Schlüssel",
            "text",
            "Verteilungsschlüssel, nach dem der Indikatorschlüssel den Budgetrahmen aufteilt",
            auswahl=SCHLUESSEL_WAHLEN,
        ),
        Feld(
            "ruecklage_saldiert",
            "Rücklage saldiert",
            "ja_nein",
            "ja: Rücklage über den Verbund saldiert; nein: je Träger und Sozialraum",
        ),
        *zahlung(termine=False),
    ),
    tabellen=(
        Tabelle(
            "Sozialraeume",
            "Sozialräume",
            "sozialraeume",
            (
                Feld("name", "Sozialraum", "text", "Name des Sozialraums"),
                Feld("anteil", "Anteil", "prozent", "Anteil am Budgetrahmen; zusammen 100 %"),
            ),
            "Sozialräume mit Anteil am Budgetrahmen und Basisdaten (weitere Spalten)",
            daten="daten",
            datenspalten=(
                ("Jugendeinwohner", "Zahl der Jugendeinwohner"),
                ("HzE-Quote", "Hilfen je 1.000 Jugendeinwohner"),
            ),
        ),
        Tabelle(
            "Traeger",
            "Träger",
            "traeger",
            (Feld("name", "Träger", "text", "Name des Trägers im Verbund"),),
            "Träger des Verbunds",
        ),
        Tabelle(
            "Zuordnung",
            "Zuordnung",
            "zuordnung",
            (
                Feld("traeger", "Träger", "text", "Träger (aus der Liste)"),
                Feld("sozialraum", "Sozialraum", "text", "Sozialraum (aus der Liste)"),
                Feld("anteil", "Anteil", "prozent", "Anteil des Trägers im Sozialraum; je Sozialraum 100 %"),
            ),
            "Anteile der Träger je Sozialraum",
        ),
        Tabelle(
            "Festschreibung",
            "Festschreibung",
            "festgeschrieben",
            (
                Feld("traeger", "Träger", "text", "Träger (aus der Liste)"),
                Feld("sozialraum", "Sozialraum", "text", "Sozialraum (aus der Liste)"),
                Feld("anteil", "Anteil", "prozent", "festgeschriebener Anteil"),
            ),
            "festgeschriebene Anteile der Vorperiode",
        ),
        Tabelle(
            "IstAusgaben",
            "Ist-Ausgaben",
            "ist",
            (
                Feld("traeger", "Träger", "text", "Träger (aus der Liste)"),
                Feld("sozialraum", "Sozialraum", "text", "Sozialraum (aus der Liste)"),
                Feld("ist", "Ist", "betrag", "tatsächliche Ausgaben"),
            ),
            "Ist-Ausgaben je Träger und Sozialraum",
        ),
        INDIKATOREN,
    ),
    verweise=tuple(
        ((tab, spalte), (master, spalte))
        for tab in ("Zuordnung", "Festschreibung", "IstAusgaben")
        for spalte, master in (("Träger", "Traeger"), ("Sozialraum", "Sozialraeume"))
    ),
    aliase=(
        ("Jahr", "Haushaltsjahr"),
        ("Anteil am Budgetrahmen", "Anteil"),
        ("Sozialräume", "Sozialraum"),
        ("Daten", "Sozialraum"),
        ("Budgetteile", "Anteil ambulant"),
    ),
    region_tabellen=(("Anteil", "Zuordnung"),),
    kennzahlen=(
        Kennzahl("Vorjahresrechnungsergebnis", Einheit.EURO),
        Kennzahl("Budgetrahmen", Einheit.EURO),
        Kennzahl("Ambulante Hilfen zur Erziehung", Einheit.EURO),
        Kennzahl("Fallunspezifische Arbeit", Einheit.EURO),
        Kennzahl("Tagesgruppe (teilstationär)", Einheit.EURO),
        Kennzahl("Stationäre Hilfen zur Erziehung", Einheit.EURO),
        Kennzahl("Anzahl Träger", Einheit.ANZAHL),
        Kennzahl("Anzahl Sozialräume", Einheit.ANZAHL),
        Kennzahl("Festschreibung seit", Einheit.JAHR),
        Kennzahl("Festschreibung bis", Einheit.JAHR),
        Kennzahl("Indikatoranpassung", Einheit.TEXT),
        Kennzahl("Ist-Ausgaben", Einheit.EURO),
        Kennzahl("Rücklage Trägerverbund (zweckgebunden)", Einheit.EURO),
        Kennzahl("Rücklage saldiert", Einheit.TEXT),
    ),
    ausgaben=(
        Ausgabetabelle(
            "Sozialraumbudgets",
            (
                Spalte("Sozialraum", Einheit.TEXT),
                Spalte("Anteil", Einheit.ANTEIL),
                Spalte("Status quo", Einheit.EURO),
                Spalte("Budget", Einheit.EURO),
                Spalte("Anzahl Träger", Einheit.ANZAHL),
                Spalte("Ziel (Indikatorschlüssel)", Einheit.EURO),
            ),
            sozialraum="Sozialraum",
        ),
        Ausgabetabelle(
            "Zuordnung",
            (
                Spalte("Träger", Einheit.TEXT),
                Spalte("Sozialraum", Einheit.TEXT),
                Spalte("Anteil", Einheit.ANTEIL),
                Spalte("Budget", Einheit.EURO),
                Spalte("Ambulante Hilfen zur Erziehung", Einheit.EURO),
                Spalte("Fallunspezifische Arbeit", Einheit.EURO),
                Spalte("Tagesgruppe (teilstationär)", Einheit.EURO),
                Spalte("Stationäre Hilfen zur Erziehung", Einheit.EURO),
            ),
            traeger="Träger",
            sozialraum="Sozialraum",
        ),
        Ausgabetabelle(
            "Trägerbudgets",
            (
                Spalte("Träger", Einheit.TEXT),
                Spalte("Budget", Einheit.EURO),
                Spalte("Anteil am Budgetrahmen", Einheit.ANTEIL),
                Spalte("Sozialräume", Einheit.ANZAHL),
            ),
            traeger="Träger",
        ),
        Ausgabetabelle(
            "Festschreibung",
            (
                Spalte("Träger", Einheit.TEXT),
                Spalte("Sozialraum", Einheit.TEXT),
                Spalte("Anteil bisher", Einheit.ANTEIL),
                Spalte("Anteil neu", Einheit.ANTEIL),
                Spalte("Differenz", Einheit.ANTEIL),
            ),
            traeger="Träger",
            sozialraum="Sozialraum",
        ),
        Ausgabetabelle(
            "Rücklage",
            (
                Spalte("Träger", Einheit.TEXT),
                Spalte("Sozialraum", Einheit.TEXT),
                Spalte("Budget", Einheit.EURO),
                Spalte("Ist", Einheit.EURO),
                Spalte("Ersparnis", Einheit.EURO),
                Spalte("Überschreitung", Einheit.EURO),
            ),
            traeger="Träger",
            sozialraum="Sozialraum",
        ),
        Ausgabetabelle(
            "Übergang",
            (
                Spalte("Sozialraum", Einheit.TEXT),
                Spalte("Jahr", Einheit.JAHR),
                Spalte("Status quo", Einheit.EURO),
                Spalte("Ziel", Einheit.EURO),
                Spalte("Übergangsbetrag", Einheit.EURO),
                Spalte("Veränderung", Einheit.EURO),
                Spalte("Abstand zum Ziel", Einheit.EURO),
            ),
            sozialraum="Sozialraum",
        ),
    ),
    angaben=(
        Angabe("Zuordnung", "Anteil des Trägers am Sozialraumbudget", "Anteil"),
        Angabe("Festschreibung", "Anteil bisher (festgeschrieben)", "Anteil bisher"),
        Angabe("Festschreibung seit", "Festschreibung seit"),
        Angabe("Festschreibung bis", "Festschreibung bis"),
        Angabe("Budgetrahmen", "Budgetrahmen des Trägerverbunds"),
    ),
    vertragstexte=(
        Vertragstext(
            "regel",
            "Der Budgetrahmen des Trägerverbunds wird auf der Grundlage des Vorjahresrechnungsergebnisses "
            "ermittelt{% if p.indikator_anpassung %}; seine Aufteilung auf die Sozialräume wird schrittweise "
            "an einen Schlüssel aus Sozialraumindikatoren angepasst{% endif %}. Er wird nach festen Anteilen "
            "auf die Sozialräume und innerhalb jedes Sozialraums nach der vereinbarten Zuordnung auf die "
            "Träger des Verbunds verteilt; in jedem Sozialraum sollen "
            "{{ " + _zahlwort("p.min_traeger_je_sozialraum") + " }} bis "
            "{{ " + _zahlwort("p.max_traeger_je_sozialraum") + " }} Träger vertreten sein. "
            "{% if p.festschreibung_jahre > 0 %}Die Budgetanteile der Träger bleiben für "
            "{{ " + _zahlwort("p.festschreibung_jahre") + " }} "
            "Jahr{{ 'e' if p.festschreibung_jahre != 1 else '' }} konstant. "
            "{% else %}Die Budgetanteile der Träger werden nicht festgeschrieben. {% endif %}"
            "Jedem Träger werden seine Budgetanteile {{ w.zahlungsweise }}"
            "{% if p.zahlungsweise == 'quartalsmitte' %} (15. Februar, 15. Mai, 15. August und "
            "15. November){% endif %} ausgezahlt{% if p.werktag %}; fällt ein Zahltag auf ein Wochenende "
            "oder einen Feiertag, wird am folgenden Werktag gezahlt{% endif %}.",
            quelle="Gutachten, Abschnitt 5.5",
        ),
        Vertragstext(
            "regel",
            "Das Budget jedes Trägers in einem Sozialraum gliedert sich in ambulante Hilfen zur Erziehung "
            "({{ p.anteil_ambulant|prozent }}), fallunspezifische Arbeit "
            "({{ p.anteil_fallunspezifisch|prozent }}){% if p.anteil_stationaer > 0 %}, Tagesgruppe "
            "({{ p.anteil_tagesgruppe|prozent }}) und stationäre Hilfen zur Erziehung "
            "({{ p.anteil_stationaer|prozent }}){% else %} und Tagesgruppe "
            "({{ p.anteil_tagesgruppe|prozent }}); stationäre Hilfen gehören nicht zum Budget{% endif %}.",
            vorschlag=True,
        ),
        Vertragstext(
            "ruecklage",
            "Ersparnisse gegenüber dem Budget bilden eine zweckgebundene Rücklage im Trägerverbund.",
            quelle="Gutachten, Abschnitt 5.5",
        ),
        Vertragstext(
            "ruecklage",
            "Die Rücklage wird {% if p.ruecklage_saldiert %}für den Verbund insgesamt ermittelt (Summe der "
            "Budgets abzüglich Summe der Ist-Ausgaben); Überschreitungen eines Trägers werden mit "
            "Ersparnissen anderer Träger verrechnet{% else %}je Träger und Sozialraum ermittelt (Budget "
            "abzüglich Ist-Ausgaben, soweit positiv); Überschreitungen mindern die Rücklage nicht und sind "
            "vom Trägerverbund zu decken{% endif %}. Sie ist für Hilfen in den Sozialräumen des Verbunds "
            "zu verwenden.",
            vorschlag=True,
        ),
        Vertragstext(
            "revision",
            "{% if k['Festschreibung bis'] >= k['Festschreibung seit'] %}Die Budgetanteile der Träger sind "
            "von {{ k['Festschreibung seit'] }} bis {{ k['Festschreibung bis'] }} festgeschrieben; danach "
            "entscheidet{% else %}Die Budgetanteile der Träger sind nicht festgeschrieben; es entscheidet"
            "{% endif %} der Jugendhilfeausschuss über die Wiedereinführung des Wettbewerbs.",
            quelle="Gutachten, Abschnitt 5.5",
        ),
        Vertragstext(
            "revision",
            "{% if p.vorrang == 'festschreibung' %}Solange die Budgetanteile festgeschrieben sind, ruht eine "
            "Anpassung an Sozialraumindikatoren; sie greift erst nach Ablauf der Festschreibung."
            "{% else %}Eine Anpassung an Sozialraumindikatoren verschiebt die Budgets der Sozialräume auch "
            "während der Festschreibung; festgeschrieben bleiben die Anteile der Träger innerhalb jedes "
            "Sozialraums.{% endif %}",
            vorschlag=True,
        ),
        Vertragstext(
            "bericht",
            "Fallbezogener finanzieller Nachweis über die Verwendung der Budgetanteile im Rahmen des "
            "Finanzcontrollings.",
            quelle="Gutachten, Abschnitt 5.5",
        ),
        Vertragstext(
            "bericht",
            "Mitwirkung an den Adressatenbefragungen zu vier Phasen des Hilfeplanverfahrens.",
            quelle="Gutachten, Abschnitt 5.5",
        ),
        Vertragstext(
            "bericht",
            "Einschätzung der Hilfeplanvorbereitung des ASD durch die Mitarbeiterinnen und Mitarbeiter "
            "des Trägers.",
            quelle="Gutachten, Abschnitt 5.5",
        ),
        Vertragstext(
            "bericht",
            "Vierteljährlicher Bericht des Trägerverbunds über Fälle und Ausgaben je Sozialraum.",
            vorschlag=True,
        ),
        Vertragstext(
            "bericht",
            "Jahresrechnung mit Ausweis der Rücklage bis zum 31. März des Folgejahres.",
            vorschlag=True,
        ),
    ),
    lesart=(
        "Budgetrahmen ist das Vorjahresrechnungsergebnis ohne Indikatoranpassung; die Festschreibung geht "
        "vor: während der zwei Jahre ruht eine Indikatoranpassung, kein Anteil eines Trägers ändert sich "
        "(Option: Anpassung geht vor); stationäre Hilfen sind nicht im Budget (Option: Anteil stationär); "
        "die Rücklage wird über den Verbund saldiert; die Aufteilung 70/20/10 in ambulante HzE, "
        "fallunspezifische Arbeit und Tagesgruppe folgt veröffentlichten Praxiszahlen, nicht aus dem "
        "Gutachten."
    ),
    lesarten=(
        Lesart(
            "vorrang",
            "„Um in die Modellphase nicht zusätzliche Brisanz hinein zu bringen, bleiben für zwei Jahre "
            "die Budgetanteile konstant“, zugleich „sollen aber auch Sozialraumindikatoren einbezogen "
            "werden“: während der Festschreibung ruht die Indikatoranpassung, kein Anteil eines Trägers "
            "ändert sich; „Anpassung geht vor“ passt die Budgets der Sozialräume an und hält nur die "
            "Anteile innerhalb eines Sozialraums fest.",
        ),
        Lesart(
            "festschreibung_jahre",
            "„bleiben für zwei Jahre die Budgetanteile konstant, danach wird … die Frage der "
            "Wiedereinführung des Wettbewerbs entschieden“.",
        ),
        Lesart(
            "indikator_anpassung",
            "„Zunächst wird der Budgetrahmen auf der Grundlage der Vorjahresrechnungsergebnisse "
            "ermittelt. Zunehmend sollen aber auch Sozialraumindikatoren einbezogen werden“: Standard ist "
            "der Rahmen aus dem Vorjahresergebnis ohne Indikatoranpassung.",
        ),
        Lesart(
            "anteil_ambulant",
            "Die Aufteilung 70 % ambulante HzE, 20 % fallunspezifische Arbeit, 10 % Tagesgruppe sind "
            "veröffentlichte Praxiszahlen aus Celle, nicht aus dem Gutachten.",
            auslegung=True,
        ),
        Lesart(
            "anteil_stationaer",
            "„die Absicht, den stationären Hilfebereich mit einzubeziehen“ ist im Gutachten nur eine "
            "Absicht: 0 % (stationäre Hilfen nicht im Budget); ein Anteil über 0 % nimmt sie auf.",
        ),
        Lesart(
            "ruecklage_saldiert",
            "„Es ist vorgesehen, eine Zweckbindung von Ersparnissen als Rücklagen im Trägerverbund zu "
            "verankern“: die Rücklage wird über den Verbund saldiert (zweckgebunden); „nein“ rechnet je "
            "Träger und Sozialraum.",
        ),
    ),
)
