"""München REGSAM / AEH (source §5.3; domain spec §3.4): regional budgets from staff positions.

Rules, in the order of the source:

1. **Regional budget from staff and rates** (§5.3 „Die Eckwerte des Gesamtvolumens orientieren
   sich … am Personalstand in der Sozialregion, sowie entsprechenden Kostensätzen pro
   Vollzeitstelle. Dazu kommt ein Festbetrag als flexibles Budget für sonstige Maßnahmen und
   fallübergreifende Arbeitsansätze“): budget of a Sozialregion = Σ over its staff rows of
   *Vollzeitstellen × Kostensatz je Vollzeitstelle* + *Festbetrag*. Vollzeitstellen may be
   fractional (2.5); a staff row without its own Kostensatz uses the parameter
   ``kostensatz_vollzeitstelle``. Each staff line item is rounded half up to the cent (a
   product, not a split). The staff money goes to the row's Träger; the Festbetrag goes to the
   team's federführender Träger (``federfuehrung``, required for a team with a Festbetrag: money
   is paid to a Träger, never to a team name). Each staff row says whether its Träger is a
   freier or the öffentlicher Träger (``traegerart``; „Die AEH-Teams bestehen aus öffentlichen und
   verschiedenen freien Trägern“); table „Träger“ lists every recipient with its Trägerart.
2. **AEH teams serve several Sozialregionen** (§5.3 „insgesamt 5 AEH-Teams die 13
   Sozialregionen der Stadt versorgen“): every Sozialregion belongs to exactly one team (an
   error otherwise); a team's budget is the sum of its regions' budgets (table „AEH-Teams“).
3. **Regionsbudgets for (teil)stationary help are planning figures** (§5.3 „Regionsbudgets für
   Sozialbürgerhäuser …, die aber nur als Planungs- und Steuerungsgrößen dienen und
   überschritten werden können“): they are no budget and no line item — they are reported in
   their own table „Regionsbudgets (teil)stationär“, outside the binding total (the result's
   Gesamt is the AEH regional budgets only). With actual spending per region the table shows
   Ausschöpfung (fraction, 4 places), Überschreitung and Rest; each overrun is a warning —
   never an error, never blocking.

Payment plan: the AEH regional budgets (``unbedingt``: staff and Festbetrag) in instalments
per recipient, monthly by default.

>>> e = Eingabe(
...     regionen=(Sozialregion("Nord", festbetrag="50000"), Sozialregion("Süd")),
...     teams=(AehTeam("AEH-Team 1", ("Nord", "Süd"), federfuehrung="Träger A"),),
...     stellen=(Stelle("Nord", "Träger A", "2.5"), Stelle("Süd", "Träger B", 3)))
>>> r = berechne(e, Parameter(kostensatz_vollzeitstelle="80000"))
>>> r.gesamt, r.tabellen["AEH-Teams"][0]["Budget"]
(Decimal('490000.00'), Decimal('490000.00'))
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any

from ..einheiten import Einheit
from ..formats import betrag as fmt_betrag
from ..formats import prozent as fmt_prozent
from ..money import ZERO, round_cents
from ..spec import (
    WERKTAG_SATZ,
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

NAME = "muenchen"
TITEL = "München REGSAM/AEH: Regionalbudgets nach Personalstand"
QUELLE = "Gutachten, Abschnitt 5.3"
BESCHREIBUNG = (
    "Berechnet das Budget jeder Sozialregion als Vollzeitstellen × Kostensatz je Vollzeitstelle plus "
    "Festbetrag, summiert es je AEH-Team und berichtet die Ausschöpfung der (teil)stationären "
    "Regionsbudgets als überschreitbare Planungsgrößen."
)

__all__ = [
    "BESCHREIBUNG",
    "NAME",
    "QUELLE",
    "TITEL",
    "AehTeam",
    "Eingabe",
    "Parameter",
    "Regionsbudget",
    "Sozialregion",
    "Stelle",
    "beispiel",
    "berechne",
]

_QUOTE = Decimal("0.0001")
#: kinds of Träger (§5.3 „Die AEH-Teams bestehen aus öffentlichen und verschiedenen freien Trägern“)
TRAEGERARTEN = {"frei": "freier Träger", "oeffentlich": "öffentlicher Träger"}


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Parameter(Zahlungsparameter):
    """Parameters of the München model."""

    #: annual cost rate per full-time position (Personal- und Sachkosten, Overhead), €/Jahr;
    #: used for every staff row without its own rate
    kostensatz_vollzeitstelle: Any = Decimal("85000.00")


@dataclass(frozen=True)
class Sozialregion:
    """A Sozialregion with its Festbetrag (flexible budget for other measures and work across
    cases, §5.3)."""

    name: str
    festbetrag: Any = Decimal("0.00")


@dataclass(frozen=True)
class AehTeam:
    """An AEH team and the Sozialregionen it serves; ``federfuehrung`` = the federführender
    Träger that receives the team's Festbeträge (required when a region of the team has one)."""

    name: str
    sozialregionen: tuple[str, ...]
    federfuehrung: str = ""


@dataclass(frozen=True)
class Stelle:
    """Staff of one Träger in one Sozialregion: Vollzeitstellen (fractional allowed), an
    optional own Kostensatz je Vollzeitstelle (None: the parameter) and the kind of Träger
    (``"frei"`` or ``"oeffentlich"``: the Jugendamt's own staff)."""

    sozialregion: str
    traeger: str
    vollzeitstellen: Any
    kostensatz: Any = None
    funktion: str = ""
    traegerart: str = "frei"


@dataclass(frozen=True)
class Regionsbudget:
    """Planning figure for (teil)stationary help of one Sozialregion at its Sozialbürgerhaus,
    with actual spending when known."""

    sozialregion: str
    planbetrag: Any
    ist: Any = None
    sozialbuergerhaus: str = ""


@dataclass(frozen=True)
class Eingabe:
    """Inputs: Sozialregionen, AEH teams, staff rows; optionally (teil)stationary planning figures."""

    regionen: tuple[Sozialregion, ...]
    teams: tuple[AehTeam, ...]
    stellen: tuple[Stelle, ...]
    regionsbudgets: tuple[Regionsbudget, ...] = ()


# --------------------------------------------------------------------------- validation


_fehler = partial(pr.fehler, NAME)
_name = partial(pr.bezeichnung, NAME)
_zahl = partial(pr.zahl, NAME)
_betrag = partial(pr.betrag, NAME)

#: validated staff row: (Sozialregion, Träger, Funktion, Vollzeitstellen, Kostensatz)
_Stelle = tuple[str, str, str, Decimal, Decimal]
#: Trägerart key by Träger name (from the staff rows)
_Arten = dict[str, str]
#: validated planning row: (Sozialregion, Sozialbürgerhaus, Planbetrag, Ist)
_Plan = tuple[str, str, Decimal, Decimal | None]
#: validated teams: team name → (its Sozialregionen, federführender Träger or "")
_Teams = dict[str, tuple[list[str], str]]


def _pruefe_parameter(p: Parameter) -> Decimal:
    satz = _betrag(
        p.kostensatz_vollzeitstelle,
        item="Parameter",
        field="Kostensatz je Vollzeitstelle",
        pfad=("parameter", "kostensatz_vollzeitstelle"),
    )
    if satz == 0:
        raise _fehler(
            "Kostensatz je Vollzeitstelle fehlt",
            item="Parameter",
            field="Kostensatz je Vollzeitstelle",
            expected="mehr als 0 €",
            found=p.kostensatz_vollzeitstelle,
            pfad=("parameter", "kostensatz_vollzeitstelle"),
        )
    pr.zahlung(NAME, p)
    return satz


def _pruefe_regionen(regionen: tuple[Sozialregion, ...]) -> dict[str, Decimal]:
    """Festbetrag by Sozialregion, in input order (so a region's position is its row index)."""
    if not regionen:
        raise _fehler(
            "keine Sozialregionen angegeben",
            field="Sozialregionen",
            expected="mindestens eine",
            pfad=("eingabe", "regionen"),
        )
    festbetrag: dict[str, Decimal] = {}
    seen: dict[str, str] = {}
    for i, r in enumerate(regionen):
        name = _name(r.name, item=r.name, field="Sozialregion", pfad=("regionen", i, "name"))
        pr.doppelt(NAME, name, seen, was="Sozialregion", jede="jede", pfad=("regionen", i, "name"))
        festbetrag[name] = _betrag(
            r.festbetrag, item=name, field="Festbetrag", pfad=("regionen", i, "festbetrag")
        )
    return festbetrag


def _pruefe_team_regionen(
    t: AehTeam, i: int, tname: str, festbetrag: dict[str, Decimal], team_von: dict[str, str]
) -> list[str]:
    """The Sozialregionen of team row ``i``: known, and not served by an earlier team."""
    if isinstance(t.sozialregionen, str) or not t.sozialregionen:
        raise _fehler(
            "keine Sozialregionen angegeben" if not t.sozialregionen else "Sozialregionen sind keine Liste",
            item=tname,
            field="Sozialregionen",
            expected="eine Liste von Sozialregionen",
            found=pr.gefunden(t.sozialregionen) or None,
            pfad=("teams", i, "sozialregionen"),
        )
    pr.text_oder_leer(
        NAME,
        t.federfuehrung,
        was="Federführung",
        item=tname,
        field="Federführung",
        pfad=("teams", i, "federfuehrung"),
    )
    regionen: list[str] = []
    for rn in t.sozialregionen:
        rname = _name(rn, item=tname, field="Sozialregionen", pfad=("teams", i, "sozialregionen"))
        if rname not in festbetrag:
            raise _fehler(
                "AEH-Team nennt eine unbekannte Sozialregion",
                item=tname,
                field="Sozialregionen",
                expected="eine der Sozialregionen",
                found=rname,
                pfad=("teams", i, "sozialregionen"),
            )
        if rname in team_von:
            raise _fehler(
                f"Sozialregion „{rname}“ ist mehreren AEH-Teams zugeordnet",
                item=rname,
                field="AEH-Team",
                expected="genau ein Team",
                found=f"{team_von[rname]}, {tname}",
                pfad=("teams", i, "sozialregionen"),
            )
        team_von[rname] = tname
        regionen.append(rname)
    return regionen


def _pruefe_teams(
    teams_ein: tuple[AehTeam, ...], festbetrag: dict[str, Decimal]
) -> tuple[dict[str, str], _Teams]:
    """Rule 2: every Sozialregion belongs to exactly one AEH team → (team of each region, teams)."""
    if not teams_ein:
        raise _fehler(
            "keine AEH-Teams angegeben",
            field="AEH-Teams",
            expected="mindestens ein Team",
            pfad=("eingabe", "teams"),
        )
    team_von: dict[str, str] = {}
    teams: _Teams = {}
    seen: dict[str, str] = {}
    for i, t in enumerate(teams_ein):
        tname = _name(t.name, item=t.name, field="AEH-Team", pfad=("teams", i, "name"))
        pr.doppelt(NAME, tname, seen, was="AEH-Team", jede="jedes", pfad=("teams", i, "name"))
        regionen = _pruefe_team_regionen(t, i, tname, festbetrag, team_von)
        teams[tname] = (regionen, (t.federfuehrung or "").strip())
    for j, rname in enumerate(festbetrag):  # j: the region's row (duplicates were refused)
        if rname not in team_von:
            raise _fehler(
                "Sozialregion ist keinem AEH-Team zugeordnet",
                item=rname,
                field="AEH-Team",
                expected="genau ein Team",
                found="keins",
                pfad=("regionen", j, "name"),
            )
    # rule 1: the Festbetrag is paid to a Träger (federführend), never to a team name
    for i, (tname, (regionen, federfuehrung)) in enumerate(teams.items()):
        if not federfuehrung and any(festbetrag[r] > 0 for r in regionen):
            raise _fehler(
                "AEH-Team ohne federführenden Träger: der Festbetrag wird an einen Träger gezahlt, "
                "nicht an das Team",
                item=tname,
                field="Federführung",
                expected="den federführenden Träger des AEH-Teams",
                pfad=("teams", i, "federfuehrung"),
            )
    return team_von, teams


def _pruefe_traegerart(s: Stelle, i: int, traeger: str, arten: _Arten) -> None:
    """The row's Trägerart (key or German word); one Träger has one kind in every row."""
    roh = "frei" if s.traegerart is None else s.traegerart
    text = roh.strip() if isinstance(roh, str) else roh
    art = next((k for k, w in TRAEGERARTEN.items() if text in (k, w)), None)
    if art is None:
        raise _fehler(
            "unbekannte Trägerart",
            item=traeger,
            field="Trägerart",
            expected=" oder ".join(TRAEGERARTEN.values()),
            found=pr.gefunden(roh),
            pfad=("stellen", i, "traegerart"),
        )
    frueher = next((t for t in arten if pr.namensschluessel(t) == pr.namensschluessel(traeger)), None)
    if frueher is not None and arten[frueher] != art:
        raise _fehler(
            "Träger ist in einer Zeile freier, in einer anderen öffentlicher Träger",
            item=traeger,
            field="Trägerart",
            expected=f"überall {TRAEGERARTEN[arten[frueher]]}",
            found=TRAEGERARTEN[art],
            pfad=("stellen", i, "traegerart"),
        )
    arten.setdefault(frueher or traeger, art)


def _pruefe_stellen(
    stellen_ein: tuple[Stelle, ...], festbetrag: dict[str, Decimal], standard_satz: Decimal
) -> tuple[list[_Stelle], _Arten]:
    """Staff rows: known region, one row per (region, Träger, Funktion), rate > 0 for staff,
    one Trägerart per Träger → (rows, Trägerart by Träger)."""
    if not stellen_ein:
        raise _fehler(
            "keine Vollzeitstellen angegeben",
            field="Stellen",
            expected="mindestens eine Zeile",
            pfad=("eingabe", "stellen"),
        )
    stellen: list[_Stelle] = []
    arten: _Arten = {}
    schluessel: dict[tuple[str, str, str], str] = {}
    for i, s in enumerate(stellen_ein):
        traeger = _name(s.traeger, item=s.traeger, field="Träger", pfad=("stellen", i, "traeger"))
        region = _name(
            s.sozialregion, item=traeger, field="Sozialregion", pfad=("stellen", i, "sozialregion")
        )
        if region not in festbetrag:
            raise _fehler(
                "Träger ist einer unbekannten Sozialregion zugeordnet",
                item=traeger,
                field="Sozialregion",
                expected="eine der Sozialregionen",
                found=region,
                pfad=("stellen", i, "sozialregion"),
            )
        funktion = pr.text_oder_leer(
            NAME, s.funktion, was="Funktion", item=traeger, field="Funktion", pfad=("stellen", i, "funktion")
        )
        key = (pr.namensschluessel(region), pr.namensschluessel(traeger), pr.namensschluessel(funktion))
        if key in schluessel:
            raise _fehler(
                f"Stellen des Trägers in „{region}“ doppelt angegeben",
                item=traeger,
                field="Träger",
                expected="je Sozialregion, Träger und Funktion eine Zeile",
                found=f"„{schluessel[key]}“ und „{traeger}“" + (f" ({funktion})" if funktion else ""),
                pfad=("stellen", i, "traeger"),
            )
        schluessel[key] = traeger
        vz = _zahl(
            s.vollzeitstellen, item=traeger, field="Vollzeitstellen", pfad=("stellen", i, "vollzeitstellen")
        )
        if s.kostensatz is None:
            satz = standard_satz
        else:
            satz = _betrag(
                s.kostensatz,
                item=traeger,
                field="Kostensatz je Vollzeitstelle",
                pfad=("stellen", i, "kostensatz"),
            )
            if vz > 0 and satz == 0:
                raise _fehler(
                    "Stellen ohne Kosten: Kostensatz ist 0",
                    item=traeger,
                    field="Kostensatz je Vollzeitstelle",
                    expected="mehr als 0 €",
                    found=s.kostensatz,
                    pfad=("stellen", i, "kostensatz"),
                )
        _pruefe_traegerart(s, i, traeger, arten)
        stellen.append((region, traeger, funktion, vz, satz))
    return stellen, arten


def _pruefe_regionsbudgets(rbs: tuple[Regionsbudget, ...], festbetrag: dict[str, Decimal]) -> list[_Plan]:
    """(Teil)stationary planning rows: known region, at most one row per region."""
    plan: list[_Plan] = []
    seen: dict[str, str] = {}
    for i, rb in enumerate(rbs):
        region = _name(
            rb.sozialregion,
            item=rb.sozialregion,
            field="Sozialregion",
            pfad=("regionsbudgets", i, "sozialregion"),
        )
        if region not in festbetrag:
            raise _fehler(
                "Regionsbudget für eine unbekannte Sozialregion",
                item=region,
                field="Sozialregion",
                expected="eine der Sozialregionen",
                found=region,
                pfad=("regionsbudgets", i, "sozialregion"),
            )
        pr.doppelt(
            NAME,
            region,
            seen,
            was="Regionsbudget",
            erwartet="je Sozialregion ein Regionsbudget",
            field="Sozialregion",
            pfad=("regionsbudgets", i, "sozialregion"),
        )
        sbh = pr.text_oder_leer(
            NAME,
            rb.sozialbuergerhaus,
            was="Sozialbürgerhaus",
            item=region,
            field="Sozialbürgerhaus",
            pfad=("regionsbudgets", i, "sozialbuergerhaus"),
        )
        planbetrag = _betrag(
            rb.planbetrag, item=region, field="Planbetrag", pfad=("regionsbudgets", i, "planbetrag")
        )
        ist = (
            None
            if rb.ist is None
            else _betrag(rb.ist, item=region, field="Ist", pfad=("regionsbudgets", i, "ist"))
        )
        plan.append((region, sbh, planbetrag, ist))
    return plan


# --------------------------------------------------------------------------- model


def berechne(eingabe: Eingabe, parameter: Parameter | None = None) -> ModelResult:
    """Regional AEH budgets, team budgets and the soft-cap report (see module doc)."""
    p = pr.pruefe_typen(NAME, eingabe, Eingabe, parameter, Parameter)
    standard_satz = _pruefe_parameter(p)
    # ---- validate everything first
    festbetrag = _pruefe_regionen(eingabe.regionen)
    team_von, teams = _pruefe_teams(eingabe.teams, festbetrag)
    stellen, arten = _pruefe_stellen(eingabe.stellen, festbetrag, standard_satz)
    plan = _pruefe_regionsbudgets(eingabe.regionsbudgets, festbetrag)

    positionen, warnungen, personal, vz_region = _regionalbudgets(festbetrag, team_von, teams, stellen)
    tabellen, kennzahlen = _uebersicht(festbetrag, team_von, teams, personal, vz_region)
    tabellen["Träger"] = _traeger_tabelle(positionen, stellen, arten)
    # rule 3: the planning figures are reported apart, outside the binding total
    if plan:
        plan_warnungen, zeilen, plan_kennzahlen = _planungsgroessen(plan)
        warnungen += plan_warnungen
        tabellen["Regionsbudgets (teil)stationär"] = zeilen
        kennzahlen.update(plan_kennzahlen)

    return pr.ergebnis(
        NAME,
        TITEL,
        QUELLE,
        p,
        positionen,
        warnungen,
        kennzahlen,
        tabellen,
        termine=p.termine or None,
        parameter=p,
        eingabe=eingabe,
    )


def _regionalbudgets(
    festbetrag: dict[str, Decimal], team_von: dict[str, str], teams: _Teams, stellen: list[_Stelle]
) -> tuple[list[LineItem], list[Warnung], dict[str, Decimal], dict[str, Decimal]]:
    """Rule 1: budget of a Sozialregion = Σ VZ × Kostensatz + Festbetrag, as line items grouped
    by region (region order) → (items, warnings, staff money and Vollzeitstellen per region)."""
    positionen: list[LineItem] = []
    warnungen: list[Warnung] = []
    personal: dict[str, Decimal] = dict.fromkeys(festbetrag, ZERO)
    vz_region: dict[str, Decimal] = dict.fromkeys(festbetrag, Decimal(0))
    for region in festbetrag:
        for r_, traeger, funktion, vz, satz in stellen:
            if r_ != region:
                continue
            betrag = round_cents(vz * satz)
            personal[region] += betrag
            vz_region[region] += vz
            was = f"AEH-Personal ({funktion})" if funktion else "AEH-Personal"
            positionen.append(
                LineItem(
                    f"{was}: {pr.zahl_text(vz)} Vollzeitstelle{'' if vz == 1 else 'n'} × {fmt_betrag(satz)}",
                    betrag,
                    Art.UNBEDINGT,
                    traeger=traeger,
                    sozialraum=region,
                    quelle="Gutachten, Abschnitt 5.3",
                )
            )
        team = team_von[region]
        empfaenger = teams[team][1]  # required for a Festbetrag > 0 (checked with the teams)
        if festbetrag[region] > 0:
            positionen.append(
                LineItem(
                    f"Festbetrag {team}: flexibles Budget für sonstige Maßnahmen und "
                    "fallübergreifende Arbeit",
                    festbetrag[region],
                    Art.UNBEDINGT,
                    traeger=empfaenger,
                    sozialraum=region,
                    quelle="Gutachten, Abschnitt 5.3",
                )
            )
        if vz_region[region] == 0:
            warnungen.append(
                Warnung(
                    f"Sozialregion „{region}“ hat keine Vollzeitstellen: Budget nur Festbetrag",
                    code="keine_stellen",
                    sozialraum=region,
                )
            )
    return positionen, warnungen, personal, vz_region


def _uebersicht(
    festbetrag: dict[str, Decimal],
    team_von: dict[str, str],
    teams: _Teams,
    personal: dict[str, Decimal],
    vz_region: dict[str, Decimal],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Rules 1 and 2: the tables „Sozialregionen“ and „AEH-Teams“ and the AEH Kennzahlen."""
    budget = {r: personal[r] + festbetrag[r] for r in festbetrag}
    tabellen: dict[str, Any] = {
        "Sozialregionen": [
            {
                "Sozialregion": r,
                "AEH-Team": team_von[r],
                "Vollzeitstellen": vz_region[r],
                "Personalbudget": personal[r],
                "Festbetrag": festbetrag[r],
                "Regionalbudget": budget[r],
            }
            for r in festbetrag
        ],
        # rule 2: a team's budget is the sum of its regions
        "AEH-Teams": [
            {
                "AEH-Team": t,
                "Sozialregionen": ", ".join(rs),
                "Anzahl Sozialregionen": len(rs),
                "Vollzeitstellen": sum((vz_region[r] for r in rs), Decimal(0)),
                "Personalbudget": sum((personal[r] for r in rs), ZERO),
                "Festbetrag": sum((festbetrag[r] for r in rs), ZERO),
                "Budget": sum((budget[r] for r in rs), ZERO),
            }
            for t, (rs, _) in teams.items()
        ],
    }
    kennzahlen: dict[str, Any] = {
        "AEH-Budget gesamt": sum(budget.values(), ZERO),
        "Vollzeitstellen gesamt": sum(vz_region.values(), Decimal(0)),
        "Personalbudget gesamt": sum(personal.values(), ZERO),
        "Festbeträge gesamt": sum(festbetrag.values(), ZERO),
        "Anzahl AEH-Teams": len(teams),
        "Anzahl Sozialregionen": len(festbetrag),
    }
    return tabellen, kennzahlen


def _traeger_tabelle(
    positionen: list[LineItem], stellen: list[_Stelle], arten: _Arten
) -> list[dict[str, Any]]:
    """Table „Träger“: every recipient (first-seen order) with its Trägerart, staff, staff money,
    Festbetrag and budget — the öffentliche Träger (Jugendamt) is recognisable by its Trägerart.
    A federführender Träger without staff rows counts as a freier Träger."""
    zeilen: dict[str, dict[str, Any]] = {}
    for x in positionen:
        t = x.traeger or ""
        z = zeilen.setdefault(
            t,
            {
                "Träger": t,
                "Trägerart": TRAEGERARTEN[_art_von(t, arten)],
                "Vollzeitstellen": Decimal(0),
                "Personalbudget": ZERO,
                "Festbetrag": ZERO,
                "Budget": ZERO,
            },
        )
        z["Festbetrag" if x.position.startswith("Festbetrag") else "Personalbudget"] += x.betrag
        z["Budget"] += x.betrag
    for _, traeger, _, vz, _ in stellen:
        zeilen[traeger]["Vollzeitstellen"] += vz
    return list(zeilen.values())


def _art_von(traeger: str, arten: _Arten) -> str:
    """The Trägerart key of a Träger (names compared as everywhere; not in the staff: „frei“)."""
    key = pr.namensschluessel(traeger)
    return next((a for t, a in arten.items() if pr.namensschluessel(t) == key), "frei")


def _planungsgroessen(plan: list[_Plan]) -> tuple[list[Warnung], list[dict[str, Any]], dict[str, Any]]:
    """Rule 3: (teil)stationary Regionsbudgets are planning figures with a soft cap, reported
    outside the binding total → (overrun warnings, report rows, Kennzahlen)."""
    warnungen: list[Warnung] = []
    zeilen: list[dict[str, Any]] = []
    for region, sbh, planbetrag, ist in plan:
        zeile: dict[str, Any] = {
            "Sozialregion": region,
            "Sozialbürgerhaus": sbh,
            "Planbetrag": planbetrag,
            "Ist": ist,
            "Ausschöpfung": None,
            "Überschreitung": None,
            "Rest": None,
            "Verbindlich": "nein: Planungs- und Steuerungsgröße, überschreitbar",
        }
        if ist is not None:
            ueber = max(ZERO, ist - planbetrag)
            quote = (ist / planbetrag).quantize(_QUOTE, ROUND_HALF_UP) if planbetrag > 0 else None
            zeile.update(
                {"Ausschöpfung": quote, "Überschreitung": ueber, "Rest": max(ZERO, planbetrag - ist)}
            )
            if ueber > 0:
                anteil = f" ({fmt_prozent(quote)} ausgeschöpft)" if quote is not None else ""
                warnungen.append(
                    Warnung(
                        f"Sozialregion „{region}“: Regionsbudget (teil)stationär um {fmt_betrag(ueber)} "
                        f"überschritten{anteil}; Planungsgröße, die Überschreitung wird berichtet, "
                        "nicht gesperrt",
                        code="deckel_weich_ueberschritten",
                        sozialraum=region,
                    )
                )
        zeilen.append(zeile)
    kennzahlen: dict[str, Any] = {
        "Planungsgrößen (teil)stationär gesamt": sum((z["Planbetrag"] for z in zeilen), ZERO)
    }
    mit_ist = [z for z in zeilen if z["Ist"] is not None]
    if mit_ist:
        plan_ist = sum((z["Planbetrag"] for z in mit_ist), ZERO)
        ist_summe = sum((z["Ist"] for z in mit_ist), ZERO)
        kennzahlen["Ist (teil)stationär gesamt"] = ist_summe
        kennzahlen["Ausschöpfung (teil)stationär"] = (
            (ist_summe / plan_ist).quantize(_QUOTE, ROUND_HALF_UP) if plan_ist > 0 else None
        )
        kennzahlen["Überschreitung (teil)stationär gesamt"] = sum(
            (z["Überschreitung"] for z in mit_ist), ZERO
        )
    return warnungen, zeilen, kennzahlen


# --------------------------------------------------------------------------- example

_BEISPIEL_REGIONEN: tuple[tuple[str, str, str, str], ...] = (
    # (Sozialregion, AEH team, Festbetrag, Sozialbürgerhaus)
    ("Schwabing-Freimann", "AEH-Team Nord", "60000", "Nord"),
    ("Milbertshofen-Am Hart", "AEH-Team Nord", "55000", "Nord"),
    ("Feldmoching-Hasenbergl", "AEH-Team Nord", "70000", "Nord"),
    ("Bogenhausen", "AEH-Team Ost", "45000", "Ost"),
    ("Berg am Laim-Trudering-Riem", "AEH-Team Ost", "65000", "Ost"),
    ("Ramersdorf-Perlach", "AEH-Team Ost", "80000", "Ost"),
    ("Giesing-Harlaching", "AEH-Team Süd", "50000", "Süd"),
    ("Sendling-Thalkirchen-Obersendling", "AEH-Team Süd", "55000", "Süd"),
    ("Pasing-Aubing-Lochhausen", "AEH-Team West", "60000", "West"),
    ("Laim-Schwanthalerhöhe", "AEH-Team West", "50000", "West"),
    ("Hadern-Fürstenried-Solln", "AEH-Team West", "40000", "West"),
    ("Neuhausen-Moosach", "AEH-Team Mitte", "55000", "Mitte"),
    ("Altstadt-Ludwigsvorstadt-Au-Haidhausen", "AEH-Team Mitte", "45000", "Mitte"),
)


def beispiel() -> tuple[Eingabe, Parameter]:
    """Five AEH teams for thirteen Sozialregionen (the source's shape), 2026.

    Kostensatz 85.000 € per Vollzeitstelle (TVöD SuE S 12 incl. Arbeitsplatz- und Overheadkosten,
    a realistic 2025/26 figure); public and free Träger share the staff; the (teil)stationary
    planning figures of three regions are exceeded (warnings, never blocking).
    """
    D = Decimal
    kommunal = "Stadtjugendamt Musterstadt (öffentlicher Träger)"
    frei = (
        "Caritasverband Musterstadt e.V.",
        "Evangelisches Hilfswerk Musterstadt e.V.",
        "AWO Kreisverband Musterstadt e.V.",
        "Paritätischer Jugendhilfeverein Musterstadt e.V.",
        "IB Süd Jugendhilfe gGmbH",
    )
    regionen = tuple(Sozialregion(r, festbetrag=D(f)) for r, _, f, _ in _BEISPIEL_REGIONEN)
    team_namen = ("AEH-Team Nord", "AEH-Team Ost", "AEH-Team Süd", "AEH-Team West", "AEH-Team Mitte")
    teams = tuple(
        AehTeam(t, tuple(r for r, tt, _, _ in _BEISPIEL_REGIONEN if tt == t), federfuehrung=frei[i])
        for i, t in enumerate(team_namen)
    )
    # staff per region: public share, lead free Träger, second free Träger (fractions of positions)
    vz = (
        ("2", "3.5", "1.5"),
        ("1.5", "3", "1"),
        ("2.5", "4", "2"),
        ("1", "2.5", "1"),
        ("2", "3", "1.5"),
        ("3", "4.5", "2"),
        ("1.5", "3", "1"),
        ("1.5", "3.5", "1"),
        ("2", "3.5", "1.5"),
        ("1.5", "2.5", "1"),
        ("1", "2", "0.75"),
        ("2", "3", "1.5"),
        ("1.5", "2.5", "1"),
    )
    stellen: list[Stelle] = []
    for i, ((region, team, _, _), (oeff, lead, second)) in enumerate(zip(_BEISPIEL_REGIONEN, vz)):
        ti = team_namen.index(team)
        stellen.append(
            Stelle(
                region,
                kommunal,
                D(oeff),
                kostensatz=D("92000.00"),
                funktion="Bezirkssozialarbeit",
                traegerart="oeffentlich",
            )
        )
        stellen.append(Stelle(region, frei[ti], D(lead)))
        stellen.append(Stelle(region, frei[(ti + 1 + i % 4) % len(frei)], D(second)))
    planzahlen = (
        ("4200000", "4415000"),
        ("3900000", "3712000"),
        ("5600000", "5890500"),
        ("2800000", "2655000"),
        ("4100000", "4080000"),
        ("6300000", "6302000"),
        ("3500000", "3390000"),
        ("3800000", "3650000"),
        ("4000000", "3920000"),
        ("3300000", "3100000"),
        ("2600000", "2480000"),
        ("3700000", "3610000"),
        ("3100000", "2950000"),
    )
    regionsbudgets = tuple(
        Regionsbudget(r, D(pl), ist=D(ist), sozialbuergerhaus=sbh)
        for (r, _, _, sbh), (pl, ist) in zip(_BEISPIEL_REGIONEN, planzahlen)
    )
    eingabe = Eingabe(regionen=regionen, teams=teams, stellen=tuple(stellen), regionsbudgets=regionsbudgets)
    return eingabe, Parameter(kostensatz_vollzeitstelle=D("85000.00"), jahr=2026, bundesland="BY")


# --------------------------------------------------------------------------- declaration

#: what this model means for workbook, worksheet functions, annex and README (:mod:`..spec`)
DEKLARATION = Deklaration(
    # the plan agreed before the year: no actual spending of the regions
    plan=(Planwert("regionsbudgets.ist", hilfe="Ist-Ausgaben erst in der Abrechnung"),),
    vertraege=Vertragsbildung(
        keine_partei=(
            KeinePartei(
                "pos.traeger in e.stellen|selectattr('traegerart', 'equalto', 'oeffentlich')"
                "|map(attribute='traeger')|list",
                "öffentlicher Träger: eigene Stellen des Jugendamts, kein Vertrag des Jugendamts mit sich "
                "selbst (Gutachten, Abschnitt 5.3)",
            ),
        ),
        parteien="die freien Träger der AEH-Teams",
    ),
    eingabe=(),
    parameter=(
        Feld(
            "kostensatz_vollzeitstelle",
            "Kostensatz je Vollzeitstelle",
            "betrag",
            "Jahreskosten einer Vollzeitstelle (Personal- und Sachkosten, Overhead); gilt für jede "
            "Stellenzeile ohne eigenen Kostensatz",
        ),
        *zahlung(termine=True),
    ),
    tabellen=(
        Tabelle(
            "Sozialregionen",
            "Sozialregionen",
            "regionen",
            (
                Feld("name", "Sozialregion", "text", "Name der Sozialregion"),
                Feld(
                    "festbetrag",
                    "Festbetrag",
                    "betrag",
                    "flexibles Budget für sonstige Maßnahmen und fallübergreifende Arbeit; geht an den "
                    "federführenden Träger des AEH-Teams",
                ),
            ),
            "Sozialregionen mit Festbetrag",
        ),
        Tabelle(
            "AehTeams",
            "AEH-Teams",
            "teams",
            (
                Feld("name", "AEH-Team", "text", "Name des Teams"),
                Feld(
                    "sozialregionen",
                    "Sozialregionen",
                    "liste",
                    "Sozialregionen des Teams, getrennt durch „;“",
                ),
                Feld(
                    "federfuehrung",
                    "Federführung",
                    "text",
                    "federführender Träger, der die Festbeträge des Teams erhält; Pflicht, sobald eine "
                    "Sozialregion des Teams einen Festbetrag hat (gezahlt wird an einen Träger, nie an das "
                    "Team)",
                ),
            ),
            "AEH-Teams und ihre Sozialregionen",
        ),
        Tabelle(
            "Stellen",
            "Stellen",
            "stellen",
            (
                Feld("sozialregion", "Sozialregion", "text", "Sozialregion (aus der Liste)"),
                Feld("traeger", "Träger", "text", "Träger der Stellen"),
                Feld(
                    "vollzeitstellen",
                    "Vollzeitstellen",
                    "zahl",
                    "Vollzeitäquivalente (z. B. 2,5)",
                    einheit_=Einheit.VOLLZEIT,
                ),
                Feld(
                    "kostensatz",
                    "Kostensatz",
                    "betrag",
                    "abweichender Kostensatz je Vollzeitstelle (leer: Parameter)",
                ),
                Feld("funktion", "Funktion", "text", "z. B. Bezirkssozialarbeit"),
                Feld(
                    "traegerart",
                    "Trägerart",
                    "text",
                    "freier Träger oder öffentlicher Träger (eigene Stellen des Jugendamts); ein Träger hat "
                    "in allen Zeilen dieselbe Art",
                    auswahl=wahlen(*TRAEGERARTEN.items()),
                ),
            ),
            "Personalstand je Sozialregion und Träger",
        ),
        Tabelle(
            "Regionsbudgets",
            "Regionsbudgets",
            "regionsbudgets",
            (
                Feld("sozialregion", "Sozialregion", "text", "Sozialregion (aus der Liste)"),
                Feld(
                    "planbetrag",
                    "Planbetrag",
                    "betrag",
                    "Planungs- und Steuerungsgröße der (teil)stationären Hilfen; darf überschritten werden "
                    "und zählt nicht zum verbindlichen Gesamtbudget",
                ),
                Feld("ist", "Ist", "betrag", "Ist-Ausgaben (leer: noch nicht bekannt)"),
                Feld("sozialbuergerhaus", "Sozialbürgerhaus", "text", "zuständiges Sozialbürgerhaus"),
            ),
            "Regionsbudgets (teil)stationärer Hilfen je Sozialregion (Plan/Ist) für den Bericht",
        ),
    ),
    verweise=(
        (("Stellen", "Sozialregion"), ("Sozialregionen", "Sozialregion")),
        (("Regionsbudgets", "Sozialregion"), ("Sozialregionen", "Sozialregion")),
    ),
    aliase=(("Stellen", "Sozialregion"), ("AEH-Teams", "AEH-Team")),
    kennzahlen=(
        Kennzahl("AEH-Budget gesamt", Einheit.EURO),
        Kennzahl("Vollzeitstellen gesamt", Einheit.VOLLZEIT),
        Kennzahl("Personalbudget gesamt", Einheit.EURO),
        Kennzahl("Festbeträge gesamt", Einheit.EURO),
        Kennzahl("Anzahl AEH-Teams", Einheit.ANZAHL),
        Kennzahl("Anzahl Sozialregionen", Einheit.ANZAHL),
        Kennzahl("Planungsgrößen (teil)stationär gesamt", Einheit.EURO),
        Kennzahl("Ist (teil)stationär gesamt", Einheit.EURO),
        Kennzahl("Ausschöpfung (teil)stationär", Einheit.ANTEIL),
        Kennzahl("Überschreitung (teil)stationär gesamt", Einheit.EURO),
    ),
    ausgaben=(
        Ausgabetabelle(
            "Sozialregionen",
            (
                Spalte("Sozialregion", Einheit.TEXT),
                Spalte("AEH-Team", Einheit.TEXT),
                Spalte("Vollzeitstellen", Einheit.VOLLZEIT),
                Spalte("Personalbudget", Einheit.EURO),
                Spalte("Festbetrag", Einheit.EURO),
                Spalte("Regionalbudget", Einheit.EURO),
            ),
            sozialraum="Sozialregion",
        ),
        Ausgabetabelle(
            "AEH-Teams",
            (
                Spalte("AEH-Team", Einheit.TEXT),
                Spalte("Sozialregionen", Einheit.TEXT),
                Spalte("Anzahl Sozialregionen", Einheit.ANZAHL),
                Spalte("Vollzeitstellen", Einheit.VOLLZEIT),
                Spalte("Personalbudget", Einheit.EURO),
                Spalte("Festbetrag", Einheit.EURO),
                Spalte("Budget", Einheit.EURO),
            ),
        ),
        Ausgabetabelle(
            "Regionsbudgets (teil)stationär",
            (
                Spalte("Sozialregion", Einheit.TEXT),
                Spalte("Sozialbürgerhaus", Einheit.TEXT),
                Spalte("Planbetrag", Einheit.EURO),
                Spalte("Ist", Einheit.EURO),
                Spalte("Ausschöpfung", Einheit.ANTEIL),
                Spalte("Überschreitung", Einheit.EURO),
                Spalte("Rest", Einheit.EURO),
                Spalte("Verbindlich", Einheit.TEXT),
            ),
            sozialraum="Sozialregion",
            hilfe="Planungs- und Steuerungsgrößen, nicht im verbindlichen Gesamtbudget",
        ),
        Ausgabetabelle(
            "Träger",
            (
                Spalte("Träger", Einheit.TEXT),
                Spalte("Trägerart", Einheit.TEXT),
                Spalte("Vollzeitstellen", Einheit.VOLLZEIT),
                Spalte("Personalbudget", Einheit.EURO),
                Spalte("Festbetrag", Einheit.EURO),
                Spalte("Budget", Einheit.EURO),
            ),
            traeger="Träger",
            hilfe="jeder Empfänger mit seiner Trägerart (öffentlicher Träger: eigene Stellen des Jugendamts)",
        ),
    ),
    angaben=(
        Angabe("Sozialregionen", "AEH-Team", "AEH-Team"),
        Angabe("Sozialregionen", "Vollzeitstellen der Sozialregion", "Vollzeitstellen"),
        Angabe("Sozialregionen", "Regionalbudget der Sozialregion", "Regionalbudget"),
        Angabe(
            "Regionsbudgets (teil)stationär",
            "Planungsgröße (teil)stationär, nicht verbindlich",
            "Planbetrag",
        ),
    ),
    vertragstexte=(
        Vertragstext(
            "regel",
            "Das Regionalbudget der Sozialregion orientiert sich am Personalstand: Vollzeitstellen × "
            "Kostensatz je Vollzeitstelle ({{ p.kostensatz_vollzeitstelle|betrag }}, soweit für die Stellen "
            "kein eigener Kostensatz vereinbart ist) zuzüglich eines Festbetrags als flexibles Budget für "
            "sonstige Maßnahmen und fallübergreifende Arbeitsansätze. Die AEH-Teams versorgen mehrere "
            "Sozialregionen; das Budget eines Teams ist die Summe der Budgets seiner Sozialregionen. Die "
            "Regionsbudgets für teilstationäre und stationäre Hilfen dienen nur als Planungs- und "
            "Steuerungsgrößen und können überschritten werden.",
            quelle="Gutachten, Abschnitt 5.3",
        ),
        Vertragstext(
            "regel",
            "Personalkosten und Festbetrag werden {{ w.zahlungsweise }} in Abschlägen gezahlt"
            + WERKTAG_SATZ
            + ". Der Festbetrag geht an den federführenden Träger des "
            "AEH-Teams. Die Regionsbudgets (teil)stationär sind nicht Teil des verbindlichen Budgets und "
            "werden nicht in Abschlägen gezahlt; die Hilfen werden nach tatsächlicher Inanspruchnahme "
            "abgerechnet, Ausschöpfung und Überschreitung der Regionsbudgets werden berichtet.",
            vorschlag=True,
        ),
        Vertragstext(
            "ruecklage",
            "Nicht verausgabte Mittel des Festbetrags werden zum Jahresende mit dem Jugendamt abgerechnet. "
            "Die Regionsbudgets für (teil)stationäre Hilfen sind Planungsgrößen; ihre Überschreitung wird "
            "berichtet, führt aber nicht zur Ablehnung notwendiger Hilfen.",
            vorschlag=True,
        ),
        Vertragstext(
            "bericht",
            "Vierteljährlicher Bericht über besetzte Vollzeitstellen und Verwendung des Festbetrags.",
            vorschlag=True,
        ),
        Vertragstext(
            "bericht",
            "Bericht über Nutzung und Überschreitung der Regionsbudgets (teil)stationärer Hilfen.",
            vorschlag=True,
        ),
    ),
    lesart=(
        "Budget je Sozialregion = Vollzeitstellen × Kostensatz (ein eigener Kostensatz der Stellenzeile "
        "geht dem Parameter vor) + Festbetrag, gezahlt an den federführenden Träger des AEH-Teams (nie "
        "an den Teamnamen); verbindlich ist nur die Summe dieser AEH-Regionalbudgets, die "
        "(teil)stationären Regionsbudgets sind „nur … Planungs- und Steuerungsgrößen“: eigene Tabelle "
        "mit Ausschöpfung, außerhalb des Gesamtbudgets, Überschreitung wird nur berichtet."
    ),
    lesarten=(
        Lesart(
            "kostensatz_vollzeitstelle",
            "„Die Eckwerte des Gesamtvolumens orientieren sich dabei am Personalstand in der "
            "Sozialregion, sowie entsprechenden Kostensätzen pro Vollzeitstelle“; das Gutachten nennt "
            "keinen Satz: 85.000 € je Vollzeitstelle und Jahr ist ein Beispielwert, ein eigener "
            "Kostensatz einer Stellenzeile geht vor. Die (teil)stationären Regionsbudgets „dienen nur als "
            "Planungs- und Steuerungsgrößen“ und werden nie zum verbindlichen Gesamtbudget gezählt.",
            auslegung=True,
        ),
    ),
)
