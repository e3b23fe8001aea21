"""Landkreis Tübingen (source §5.4; domain spec §3.5): individual help, infrastructure, Gemeinwesen.

Rules, in the order of the source:

1. **Bereich A — individual help by Fachleistungsstunden** (§5.4 „Einzelfallabrechnung nach
   Fachleistungsstunden, die nun einheitlich … zwischen den Trägern gestaltet sind“; „nach oben
   offene Festsetzungen“): each case or group offer has planned hours; amount = hours × the
   uniform rate ``fls_satz`` (parameter, realistic 60–80 €), rounded to the cent per case.
   Open-ended: the items are a forecast of kind ``offen`` per station and Träger (the sum of
   their cases), billed by actual hours and never paid in
   instalments. A case with 0 hours is an error (a case without cost).
2. **Bereich B — Pauschale for the infrastructure** (§5.4 „Budget zur Sicherung der
   Infrastruktur … Pauschalfinanzierung“): B = B1 (Fachberatung, Leitung, Verwaltung) + B2
   (arbeitsplatzbezogene Sach- und Raumkosten) + B3 (Personalanteile für fallübergreifende
   Arbeit im Gemeinwesen, niederschwellige Beratung und Krisenintervention).
3. **Bereich C — Budget für Aktivitäten im Gemeinwesen** (§5.4 Milieuarbeit, Prävention,
   Schulsozialarbeit, Familienselbsthilfe, Jugendarbeit, bürgerschaftliches Engagement): „Diese
   Leistungen werden pauschal finanziert nach Absprache und Beauftragung durch den öffentlichen
   Träger der Jugendhilfe“ — by default (``bereich_c_bedingt=True``) of kind ``bedingt`` and not
   in the instalments; ``False`` makes C an unconditional Pauschale like B.
4. **Distribution of B and C by caused costs, not by indicators** (§5.4 „basiert nicht auf
   Sozialindikatoren, sondern auf den in den jeweiligen Jugendhilfestationen verursachten
   (prozentualen) Kosten“): each of B1, B2, B3 and C is split over the Jugendhilfestationen by
   their percentage of caused costs (input, must sum to exactly 100 %) with the largest
   remainder method, so every component is kept to the cent.
5. **One Träger per station** (§5.4 „exklusiv mit jeweils einem Träger“): a station listed with
   two Träger is an error; the station's B and C go to its Träger.
6. **Other Träger in individual help** (§5.4 „faktisch bis zu 50 % bei den
   Individualleistungen“ — an observation of the report, not an agreed limit): per station, the
   share of Bereich-A hours delivered by other Träger is reported (table „Anteil anderer Träger
   (Bereich A)“); above the Hinweis threshold ``fremdanteil_max`` (default 50 %, exactly 50 %
   gives none) a Hinweis says that „die bei Einzelfallhilfen zunächst immer zu prüfende
   vorrangige Inanspruchnahme des für den Sozialraum zuständigen Trägers“ is to be checked.
   Nothing is capped or refused.

Payment plan: the Pauschalen of kind ``unbedingt`` (B; C only with ``bereich_c_bedingt=False``)
in instalments to the station Träger, monthly by default.

>>> e = Eingabe(
...     stationen=(Jugendhilfestation("Nord", "Träger N", "0.6"),
...                Jugendhilfestation("Süd", "Träger S", "0.4")),
...     einzelhilfen=(Einzelhilfe("Fall 1", "Nord", "Träger N", 100),),
...     bereich_b1="1000.00", bereich_c="0.01")
>>> r = berechne(e, Parameter(fls_satz="70"))
>>> r.summe(art="offen"), r.summe(traeger="Träger N"), r.summe(traeger="Träger S")
(Decimal('7000.00'), Decimal('7600.01'), Decimal('400.00'))
>>> r.summe(art="bedingt")
Decimal('0.01')
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
from ..parsing import ergibt_hundert_prozent
from ..spec import (
    Angabe,
    Ausgabetabelle,
    Deklaration,
    Feld,
    Kennzahl,
    Lesart,
    Spalte,
    Tabelle,
    Vertragsbildung,
    Vertragstext,
    zahlung,
)
from . import _pruefung as pr
from .base import Art, LineItem, ModelResult, Warnung, Zahlungsparameter

NAME = "tuebingen"
TITEL = "Landkreis Tübingen: Einzelfallfinanzierung, Infrastrukturpauschale und Gemeinwesenbudget"
QUELLE = "Gutachten, Abschnitt 5.4"
BESCHREIBUNG = (
    "Berechnet je Jugendhilfestation die offene Prognose der Einzelfallhilfen nach Fachleistungsstunden "
    "(Bereich A) und verteilt die Infrastrukturpauschale (Bereich B1–B3) und das Gemeinwesenbudget "
    "(Bereich C) nach dem Anteil der verursachten Kosten auf die Stationsträger."
)

__all__ = [
    "BESCHREIBUNG",
    "NAME",
    "QUELLE",
    "TITEL",
    "Eingabe",
    "Einzelhilfe",
    "Jugendhilfestation",
    "Parameter",
    "beispiel",
    "berechne",
]

_QUOTE = Decimal("0.0001")

#: the pauschal components of Bereich B and C: (Eingabe attribute, short label, position text)
_PAUSCHALEN: tuple[tuple[str, str, str], ...] = (
    ("bereich_b1", "B1", "Bereich B1: Fachberatung, Leitung, Verwaltung"),
    ("bereich_b2", "B2", "Bereich B2: arbeitsplatzbezogene Sach- und Raumkosten"),
    (
        "bereich_b3",
        "B3",
        "Bereich B3: Personalanteile für fallübergreifende Arbeit, niederschwellige Beratung und "
        "Krisenintervention",
    ),
    ("bereich_c", "C", "Bereich C: Budget für Aktivitäten im Gemeinwesen"),
)
_BEDINGUNG_C = "nach Absprache und Beauftragung durch den öffentlichen Träger der Jugendhilfe"
#: rule 6: what a share of other Träger above the Hinweis threshold asks for (§5.4)
_HINWEIS_VORRANG = "vorrangige Inanspruchnahme des für den Sozialraum zuständigen Trägers prüfen"


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Parameter(Zahlungsparameter):
    """Parameters of the Tübingen model."""

    #: uniform rate per Fachleistungsstunde, € (realistic 2024/25: 60–80 €)
    fls_satz: Any = Decimal("70.00")
    #: Hinweis threshold: share of Bereich-A hours of a station delivered by other Träger above
    #: which the priority of the station's Träger is to be checked (an observation, no limit)
    fremdanteil_max: Any = Decimal("0.50")
    #: Bereich C only „nach Absprache und Beauftragung“ by the Jugendamt (kind bedingt); False:
    #: an unconditional Pauschale like B
    bereich_c_bedingt: bool = True


@dataclass(frozen=True)
class Jugendhilfestation:
    """A Jugendhilfestation, its one (exclusive) Träger and its share of the caused costs
    (fraction: 0.45 for 45 %)."""

    name: str
    traeger: str
    kostenanteil: Any


@dataclass(frozen=True)
class Einzelhilfe:
    """One hilfeplan-steered case or group offer of Bereich A: planned Fachleistungsstunden, the
    station it belongs to and the Träger that delivers it (may be another Träger)."""

    fall: str
    station: str
    traeger: str
    fachleistungsstunden: Any


@dataclass(frozen=True)
class Eingabe:
    """Inputs: the stations, the Bereich-A cases and the Landkreis totals of B1, B2, B3 and C (€)."""

    stationen: tuple[Jugendhilfestation, ...]
    einzelhilfen: tuple[Einzelhilfe, ...] = ()
    bereich_b1: Any = Decimal("0.00")
    bereich_b2: Any = Decimal("0.00")
    bereich_b3: Any = Decimal("0.00")
    bereich_c: Any = Decimal("0.00")


# --------------------------------------------------------------------------- validation


_fehler = partial(pr.fehler, NAME)
_name = partial(pr.bezeichnung, NAME)
_zahl = partial(pr.zahl, NAME)
_betrag = partial(pr.betrag, NAME)
_anteil = partial(pr.anteil, NAME)


@dataclass(frozen=True)
class _Fall:
    """A validated Bereich-A case."""

    fall: str
    station: str
    traeger: str
    stunden: Decimal


def _pruefe_parameter(p: Parameter) -> tuple[Decimal, Decimal]:
    """The rate per Fachleistungsstunde and the limit of the other-Träger share."""
    satz = _betrag(
        p.fls_satz, item="Parameter", field="Fachleistungsstundensatz", pfad=("parameter", "fls_satz")
    )
    if satz == 0:
        raise _fehler(
            "Fachleistungsstundensatz fehlt",
            item="Parameter",
            field="Fachleistungsstundensatz",
            expected="mehr als 0 €",
            found=p.fls_satz,
            pfad=("parameter", "fls_satz"),
        )
    grenze = _anteil(
        p.fremdanteil_max,
        item="Parameter",
        field="Höchstanteil anderer Träger",
        pfad=("parameter", "fremdanteil_max"),
    )
    if not isinstance(p.bereich_c_bedingt, bool):
        raise _fehler(
            "ungültige Ja/Nein-Angabe" if p.bereich_c_bedingt is not None else "keine Ja/Nein-Angabe",
            item="Parameter",
            field="Bereich C bedingt",
            expected="ja oder nein",
            found=pr.gefunden(p.bereich_c_bedingt),
            pfad=("parameter", "bereich_c_bedingt"),
        )
    pr.zahlung(NAME, p)
    return satz, grenze


def _pruefe_stationen(eingabe: Eingabe) -> dict[str, tuple[str, Decimal]]:
    """Station → (its one Träger, its share of the caused costs); rules 4 and 5."""
    if not eingabe.stationen:
        raise _fehler(
            "keine Jugendhilfestationen angegeben",
            field="Jugendhilfestationen",
            expected="mindestens eine",
            pfad=("eingabe", "stationen"),
        )
    stationen: dict[str, tuple[str, Decimal]] = {}
    seen: dict[str, str] = {}
    for i, s in enumerate(eingabe.stationen):
        name = _name(s.name, item=s.name, field="Jugendhilfestation", pfad=("stationen", i, "name"))
        traeger = _name(s.traeger, item=name, field="Träger", pfad=("stationen", i, "traeger"))
        frueher = seen.get(pr.namensschluessel(name))
        if frueher is not None and pr.namensschluessel(stationen[frueher][0]) != pr.namensschluessel(traeger):
            # rule 5: one Träger per station (exclusive)
            raise _fehler(
                "Jugendhilfestation hat zwei Träger; je Station ist genau ein Träger zulässig (exklusiv)",
                item=name,
                field="Träger",
                expected="einen Träger",
                found=f"„{stationen[frueher][0]}“ und „{traeger}“",
                pfad=("stationen", i, "traeger"),
            )
        pr.doppelt(NAME, name, seen, was="Jugendhilfestation", jede="jede", pfad=("stationen", i, "name"))
        stationen[name] = (
            traeger,
            _anteil(s.kostenanteil, item=name, field="Kostenanteil", pfad=("stationen", i, "kostenanteil")),
        )
    summe_anteile = sum((a for _, a in stationen.values()), Decimal(0))
    if not ergibt_hundert_prozent(summe_anteile):  # rule 4 (float error of =1/3 accepted, issue 14)
        raise _fehler(
            "die Kostenanteile der Jugendhilfestationen ergeben nicht 100 %",
            item="Jugendhilfestationen",
            field="Kostenanteil",
            expected="100 %",
            found=f"{fmt_prozent(summe_anteile, 2)}",
            pfad=("eingabe", "stationen"),
        )
    return stationen


def _pruefe_einzelhilfen(eingabe: Eingabe, stationen: dict[str, tuple[str, Decimal]]) -> list[_Fall]:
    """The Bereich-A cases: unique ids, known stations, more than 0 hours (rule 1)."""
    faelle: list[_Fall] = []
    seen: dict[str, str] = {}
    for i, h in enumerate(eingabe.einzelhilfen):
        fall = _name(h.fall, item=h.fall, field="Fall", pfad=("einzelhilfen", i, "fall"))
        pr.doppelt(NAME, fall, seen, was="Fall", pfad=("einzelhilfen", i, "fall"))
        station = _name(h.station, item=fall, field="Jugendhilfestation", pfad=("einzelhilfen", i, "station"))
        if station not in stationen:
            raise _fehler(
                "Fall ist einer unbekannten Jugendhilfestation zugeordnet",
                item=fall,
                field="Jugendhilfestation",
                expected="eine der Jugendhilfestationen",
                found=station,
                pfad=("einzelhilfen", i, "station"),
            )
        traeger = _name(h.traeger, item=fall, field="Träger", pfad=("einzelhilfen", i, "traeger"))
        stunden = _zahl(
            h.fachleistungsstunden,
            item=fall,
            field="Fachleistungsstunden",
            pfad=("einzelhilfen", i, "fachleistungsstunden"),
        )
        if stunden == 0:
            raise _fehler(
                "Fall ohne Kosten: keine Fachleistungsstunden geplant",
                item=fall,
                field="Fachleistungsstunden",
                expected="mehr als 0",
                found=h.fachleistungsstunden,
                pfad=("einzelhilfen", i, "fachleistungsstunden"),
            )
        faelle.append(_Fall(fall, station, traeger, stunden))
    return faelle


def _pruefe_pauschalen(eingabe: Eingabe) -> dict[str, Decimal]:
    """The Landkreis totals of B1, B2, B3 and C by Eingabe attribute."""
    return {
        attr: _betrag(
            getattr(eingabe, attr), item=f"Bereich {kurz}", field=f"Bereich {kurz}", pfad=("eingabe", attr)
        )
        for attr, kurz, _ in _PAUSCHALEN
    }


# --------------------------------------------------------------------------- Bereich A (rule 1)


@dataclass
class _BereichA:
    """Bereich-A hours and amounts per station and Träger (Träger in first-seen order)."""

    stunden: dict[str, dict[str, Decimal]]
    betrag: dict[str, dict[str, Decimal]]


def _bereich_a(faelle: list[_Fall], satz: Decimal, namen: list[str]) -> _BereichA:
    """Hours × uniform rate; each case is billed on its own: its amount is rounded to the cent,
    the station's item per Träger adds them up."""
    a = _BereichA({n: {} for n in namen}, {n: {} for n in namen})
    for f in faelle:
        je_h, je_b = a.stunden[f.station], a.betrag[f.station]
        je_h[f.traeger] = je_h.get(f.traeger, Decimal(0)) + f.stunden
        je_b[f.traeger] = je_b.get(f.traeger, ZERO) + round_cents(f.stunden * satz)
    return a


def _positionen_a(a: _BereichA, station: str, stationstraeger: str, satz: Decimal) -> list[LineItem]:
    """The open forecast items of one station: its own Träger first, then other Träger in
    first-seen order."""
    reihe = sorted(a.stunden[station].items(), key=lambda kv: kv[0] != stationstraeger)
    return [
        LineItem(
            f"Bereich A: Einzelfallhilfen und Gruppenangebote, {pr.zahl_text(stunden)} "
            f"Fachleistungsstunden × {fmt_betrag(satz)} (Prognose, Abrechnung nach "
            "Fachleistungsstunden)",
            a.betrag[station][traeger],
            Art.OFFEN,
            traeger=traeger,
            sozialraum=station,
            quelle="Gutachten, Abschnitt 5.4",
        )
        for traeger, stunden in reihe
    ]


def _einzelfaelle(faelle: list[_Fall], satz: Decimal) -> list[dict[str, Any]]:
    """Table „Bereich A Einzelfälle“: one row per case with its forecast."""
    return [
        {
            "Fall": f.fall,
            "Jugendhilfestation": f.station,
            "Träger": f.traeger,
            "Fachleistungsstunden": f.stunden,
            "Prognose": round_cents(f.stunden * satz),
        }
        for f in faelle
    ]


# --------------------------------------------------------------------------- Bereich B and C (rules 2–5)


def _positionen_bc(
    anteile: dict[str, dict[str, Decimal]], station: str, stationstraeger: str, anteil: Decimal, bedingt: bool
) -> list[LineItem]:
    """The station's parts of B1, B2, B3 and C, all to its one Träger (parts of 0 € give no item);
    C is conditional with option ``bereich_c_bedingt``."""
    positionen = []
    for attr, _, text in _PAUSCHALEN:
        betrag = anteile[attr][station]
        if betrag == 0:
            continue
        ist_c = attr == "bereich_c"
        positionen.append(
            LineItem(
                f"{text} ({fmt_prozent(anteil, 2)} Kostenanteil)",
                betrag,
                Art.BEDINGT if ist_c and bedingt else Art.UNBEDINGT,
                traeger=stationstraeger,
                sozialraum=station,
                bedingung=_BEDINGUNG_C if ist_c and bedingt else "",
                quelle="Gutachten, Abschnitt 5.4",
            )
        )
    return positionen


def _verteilungszeile(
    anteile: dict[str, dict[str, Decimal]], station: str, stationstraeger: str, anteil: Decimal
) -> dict[str, Any]:
    """The station's row of table „Verteilung Bereich B und C“."""
    b = sum((anteile[a][station] for a in ("bereich_b1", "bereich_b2", "bereich_b3")), ZERO)
    return {
        "Jugendhilfestation": station,
        "Träger": stationstraeger,
        "Kostenanteil": anteil,
        "B1": anteile["bereich_b1"][station],
        "B2": anteile["bereich_b2"][station],
        "B3": anteile["bereich_b3"][station],
        "Bereich B": b,
        "Bereich C": anteile["bereich_c"][station],
        "Summe B und C": b + anteile["bereich_c"][station],
    }


# --------------------------------------------------------------------------- other Träger (rule 6)


def _fremdanteil(
    a: _BereichA, station: str, stationstraeger: str, grenze: Decimal
) -> tuple[dict[str, Any], Warnung | None]:
    """The station's row of „Anteil anderer Träger (Bereich A)“ and the warning above the limit."""
    gesamt_h = sum(a.stunden[station].values(), Decimal(0))
    eigen_h = a.stunden[station].get(stationstraeger, Decimal(0))
    fremd_h = gesamt_h - eigen_h
    quote = fremd_h / gesamt_h if gesamt_h > 0 else None
    ueber = quote is not None and quote > grenze
    zeile = {
        "Jugendhilfestation": station,
        "Stationsträger": stationstraeger,
        "Fachleistungsstunden gesamt": gesamt_h,
        "davon Stationsträger": eigen_h,
        "davon andere Träger": fremd_h,
        "Anteil andere Träger": None if quote is None else quote.quantize(_QUOTE, ROUND_HALF_UP),
        "Höchstanteil": grenze,
        "Grenze überschritten": "ja" if ueber else "nein",
        "Hinweis": _HINWEIS_VORRANG if ueber else "",
    }
    if not ueber:
        return zeile, None
    return zeile, Warnung(
        f"Jugendhilfestation „{station}“: {fmt_prozent(quote)} der Fachleistungsstunden bei anderen "
        f"Trägern, mehr als die Hinweisschwelle von {fmt_prozent(grenze)} (das Gutachten beobachtet "
        "„faktisch bis zu 50 %“, keine vereinbarte Grenze); die vorrangige Inanspruchnahme des für "
        "den Sozialraum zuständigen Trägers ist zu prüfen",
        code="fremdanteil_ueberschritten",
        traeger=stationstraeger,
        sozialraum=station,
    )


# --------------------------------------------------------------------------- model


def _kennzahlen(
    satz: Decimal,
    faelle: list[_Fall],
    positionen: list[LineItem],
    pauschalen: dict[str, Decimal],
    fremd_zeilen: list[dict[str, Any]],
) -> dict[str, Any]:
    """The model's Kennzahlen: rate, hours, the Bereich totals and the overall other-Träger share."""
    summe_a = sum((x.betrag for x in positionen if x.art == Art.OFFEN), ZERO)
    summe_b = sum((pauschalen[a] for a in ("bereich_b1", "bereich_b2", "bereich_b3")), ZERO)
    stunden_gesamt = sum((f.stunden for f in faelle), Decimal(0))
    fremd_gesamt = sum((z["davon andere Träger"] for z in fremd_zeilen), Decimal(0))
    return {
        "Fachleistungsstundensatz": satz,
        "Fachleistungsstunden gesamt": stunden_gesamt,
        "Bereich A (Prognose)": summe_a,
        "Bereich B1": pauschalen["bereich_b1"],
        "Bereich B2": pauschalen["bereich_b2"],
        "Bereich B3": pauschalen["bereich_b3"],
        "Bereich B": summe_b,
        "Bereich C": pauschalen["bereich_c"],
        "Anteil andere Träger gesamt": (
            (fremd_gesamt / stunden_gesamt).quantize(_QUOTE, ROUND_HALF_UP) if stunden_gesamt > 0 else None
        ),
    }


def berechne(eingabe: Eingabe, parameter: Parameter | None = None) -> ModelResult:
    """Bereich A forecast, B and C by caused-cost shares, other-Träger report (see module doc)."""
    p = pr.pruefe_typen(NAME, eingabe, Eingabe, parameter, Parameter)
    satz, grenze = _pruefe_parameter(p)
    # ---- validate everything first
    stationen = _pruefe_stationen(eingabe)
    faelle = _pruefe_einzelhilfen(eingabe, stationen)
    pauschalen = _pruefe_pauschalen(eingabe)

    # ---- rule 4: split each of B1, B2, B3, C over the stations by caused-cost shares
    # (remainder cents in name order, so the order of the station rows changes nothing)
    namen = list(stationen)
    gewichte = {n: stationen[n][1] for n in namen}
    anteile = {attr: pr.verteile_nach_namen(betrag, gewichte) for attr, betrag in pauschalen.items()}
    # ---- rule 1: Bereich A forecast per station and Träger (hours × uniform rate)
    a = _bereich_a(faelle, satz, namen)

    positionen: list[LineItem] = []
    warnungen: list[Warnung] = []
    verteilung = []
    fremd_zeilen = []
    for station in namen:
        stationstraeger, anteil = stationen[station]
        positionen += _positionen_a(a, station, stationstraeger, satz)
        positionen += _positionen_bc(anteile, station, stationstraeger, anteil, p.bereich_c_bedingt)
        verteilung.append(_verteilungszeile(anteile, station, stationstraeger, anteil))
        zeile, warnung = _fremdanteil(a, station, stationstraeger, grenze)
        fremd_zeilen.append(zeile)
        if warnung is not None:
            warnungen.append(warnung)
    if not faelle:
        warnungen.append(
            Warnung(
                "keine Einzelfallhilfen (Bereich A) angegeben: Prognose 0,00 €", code="keine_einzelhilfen"
            )
        )

    tabellen: dict[str, Any] = {
        "Verteilung Bereich B und C": verteilung,
        "Anteil anderer Träger (Bereich A)": fremd_zeilen,
        "Bereich A Einzelfälle": _einzelfaelle(faelle, satz),
    }
    return pr.ergebnis(
        NAME,
        TITEL,
        QUELLE,
        p,
        positionen,
        warnungen,
        _kennzahlen(satz, faelle, positionen, pauschalen, fremd_zeilen),
        tabellen,
        termine=p.termine or None,
        parameter=p,
        eingabe=eingabe,
    )


# --------------------------------------------------------------------------- example


def beispiel() -> tuple[Eingabe, Parameter]:
    """Three Jugendhilfestationen run by three Träger (the source's shape), 2026.

    FLS rate 72,50 €; B1 390.000 €, B2 165.000 €, B3 480.000 €, C 270.000 € split 45/35/20 %;
    in Rottenburg other Träger deliver more than half of the hours (warning).
    """
    D = Decimal
    evang = "Evangelische Jugendhilfe Musterkreis e.V."
    caritas = "Caritasverband Musterkreis e.V."
    verein = "Jugendhilfeverbund Steinlach e.V."
    awo = "AWO Kreisverband Musterkreis e.V."
    stationen = (
        Jugendhilfestation("Jugendhilfestation Tübingen-Stadt", evang, D("0.45")),
        Jugendhilfestation("Jugendhilfestation Rottenburg", caritas, D("0.35")),
        Jugendhilfestation("Jugendhilfestation Steinlach-Mössingen", verein, D("0.20")),
    )
    t, r, s = (x.name for x in stationen)
    einzelhilfen = (
        Einzelhilfe("TÜ-2026-001 Erziehungsbeistand", t, evang, D("180")),
        Einzelhilfe("TÜ-2026-002 Sozialpädagogische Familienhilfe", t, evang, D("420")),
        Einzelhilfe("TÜ-2026-003 Soziale Gruppenarbeit (Gruppenangebot)", t, evang, D("310")),
        Einzelhilfe("TÜ-2026-004 Sozialpädagogische Familienhilfe", t, caritas, D("380")),
        Einzelhilfe("TÜ-2026-005 Erziehungsbeistand", t, awo, D("160")),
        Einzelhilfe("RO-2026-001 Sozialpädagogische Familienhilfe", r, caritas, D("400")),
        Einzelhilfe("RO-2026-002 Erziehungsbeistand", r, caritas, D("150")),
        Einzelhilfe("RO-2026-003 Sozialpädagogische Familienhilfe", r, evang, D("450")),
        Einzelhilfe("RO-2026-004 Intensive Einzelbetreuung", r, awo, D("260.5")),
        Einzelhilfe("MÖ-2026-001 Sozialpädagogische Familienhilfe", s, verein, D("360")),
        Einzelhilfe("MÖ-2026-002 Soziale Gruppenarbeit (Gruppenangebot)", s, verein, D("240")),
        Einzelhilfe("MÖ-2026-003 Erziehungsbeistand", s, evang, D("140")),
    )
    eingabe = Eingabe(
        stationen=stationen,
        einzelhilfen=einzelhilfen,
        bereich_b1=D("390000.00"),
        bereich_b2=D("165000.00"),
        bereich_b3=D("480000.00"),
        bereich_c=D("270000.00"),
    )
    return eingabe, Parameter(fls_satz=D("72.50"), jahr=2026, bundesland="BW")


# --------------------------------------------------------------------------- declaration

#: what this model means for workbook, worksheet functions, annex and README (:mod:`..spec`)
DEKLARATION = Deklaration(
    vertraege=Vertragsbildung(parteien="der Träger jeder Jugendhilfestation"),
    eingabe=(
        Feld("bereich_b1", "Bereich B1", "betrag", "Fachberatung, Leitung, Verwaltung"),
        Feld("bereich_b2", "Bereich B2", "betrag", "arbeitsplatzbezogene Sach- und Raumkosten"),
        Feld(
            "bereich_b3",
            "Bereich B3",
            "betrag",
            "fallübergreifende Arbeit, niederschwellige Beratung, Krisenintervention",
        ),
        Feld("bereich_c", "Bereich C", "betrag", "Budget für Aktivitäten im Gemeinwesen"),
    ),
    parameter=(
        Feld(
            "fls_satz",
            "Fachleistungsstundensatz",
            "betrag",
            "einheitlicher Satz je Fachleistungsstunde für alle Träger (Bereich A)",
        ),
        Feld(
            "fremdanteil_max",
            "Höchstanteil anderer Träger",
            "prozent",
            "Hinweisschwelle, keine vereinbarte Grenze: über diesem Anteil anderer Träger an den "
            "Fachleistungsstunden einer Station ist die vorrangige Inanspruchnahme des zuständigen "
            "Trägers zu prüfen",
        ),
        Feld(
            "bereich_c_bedingt",
            "Bereich C bedingt",
            "ja_nein",
            "ja: Bereich C wird, wie im Gutachten, nur nach Absprache und Beauftragung durch das "
            "Jugendamt gezahlt (bedingt, nicht in den Abschlägen); nein: unbedingte Pauschale wie "
            "Bereich B",
        ),
        *zahlung(termine=True),
    ),
    tabellen=(
        Tabelle(
            "Stationen",
            "Jugendhilfestationen",
            "stationen",
            (
                Feld("name", "Jugendhilfestation", "text", "Name der Station"),
                Feld("traeger", "Träger", "text", "Träger der Station"),
                Feld("kostenanteil", "Kostenanteil", "prozent", "Anteil an den Pauschalen; zusammen 100 %"),
            ),
            "Jugendhilfestationen mit Träger und Kostenanteil",
        ),
        Tabelle(
            "Einzelhilfen",
            "Einzelhilfen",
            "einzelhilfen",
            (
                Feld("fall", "Fall", "text", "Kennung und Art der Hilfe"),
                Feld("station", "Jugendhilfestation", "text", "Station (aus der Liste)"),
                Feld("traeger", "Träger", "text", "leistender Träger"),
                Feld(
                    "fachleistungsstunden",
                    "Fachleistungsstunden",
                    "zahl",
                    "geplante Stunden im Jahr",
                    einheit_=Einheit.STUNDEN,
                ),
            ),
            "Einzelfallhilfen in Fachleistungsstunden",
        ),
    ),
    verweise=((("Einzelhilfen", "Jugendhilfestation"), ("Stationen", "Jugendhilfestation")),),
    aliase=(("Jugendhilfestationen", "Jugendhilfestation"),),
    kennzahlen=(
        Kennzahl("Fachleistungsstundensatz", Einheit.EURO),
        Kennzahl("Fachleistungsstunden gesamt", Einheit.STUNDEN),
        Kennzahl("Bereich A (Prognose)", Einheit.EURO),
        Kennzahl("Bereich B1", Einheit.EURO),
        Kennzahl("Bereich B2", Einheit.EURO),
        Kennzahl("Bereich B3", Einheit.EURO),
        Kennzahl("Bereich B", Einheit.EURO),
        Kennzahl("Bereich C", Einheit.EURO),
        Kennzahl("Anteil andere Träger gesamt", Einheit.ANTEIL),
    ),
    ausgaben=(
        Ausgabetabelle(
            "Verteilung Bereich B und C",
            (
                Spalte("Jugendhilfestation", Einheit.TEXT),
                Spalte("Träger", Einheit.TEXT),
                Spalte("Kostenanteil", Einheit.ANTEIL),
                Spalte("B1", Einheit.EURO),
                Spalte("B2", Einheit.EURO),
                Spalte("B3", Einheit.EURO),
                Spalte("Bereich B", Einheit.EURO),
                Spalte("Bereich C", Einheit.EURO),
                Spalte("Summe B und C", Einheit.EURO),
            ),
            traeger="Träger",
            sozialraum="Jugendhilfestation",
        ),
        Ausgabetabelle(
            "Anteil anderer Träger (Bereich A)",
            (
                Spalte("Jugendhilfestation", Einheit.TEXT),
                Spalte("Stationsträger", Einheit.TEXT),
                Spalte("Fachleistungsstunden gesamt", Einheit.STUNDEN),
                Spalte("davon Stationsträger", Einheit.STUNDEN),
                Spalte("davon andere Träger", Einheit.STUNDEN),
                Spalte("Anteil andere Träger", Einheit.ANTEIL),
                Spalte("Höchstanteil", Einheit.ANTEIL),
                Spalte("Grenze überschritten", Einheit.TEXT),
                Spalte("Hinweis", Einheit.TEXT),
            ),
            traeger="Stationsträger",
            sozialraum="Jugendhilfestation",
        ),
        Ausgabetabelle(
            "Bereich A Einzelfälle",
            (
                Spalte("Fall", Einheit.TEXT),
                Spalte("Jugendhilfestation", Einheit.TEXT),
                Spalte("Träger", Einheit.TEXT),
                Spalte("Fachleistungsstunden", Einheit.STUNDEN),
                Spalte("Prognose", Einheit.EURO),
            ),
            anlage=("Fall", "Fachleistungsstunden", "Prognose"),
            traeger="Träger",
            sozialraum="Jugendhilfestation",
        ),
    ),
    angaben=(
        Angabe("Fachleistungsstundensatz", "Fachleistungsstundensatz"),
        Angabe("Verteilung Bereich B und C", "Kostenanteil der Station", "Kostenanteil"),
        Angabe("Anteil anderer Träger (Bereich A)", "Anteil anderer Träger", "Anteil andere Träger"),
        Angabe(
            "Anteil anderer Träger (Bereich A)",
            "Hinweisschwelle anderer Träger (keine vereinbarte Grenze)",
            "Höchstanteil",
        ),
    ),
    vertragstexte=(
        Vertragstext(
            "regel",
            "Die Vereinbarung über die Jugendhilfestation wird exklusiv mit einem Träger geschlossen. "
            "Bereich A (hilfeplangesteuerte Einzelfallhilfen und Gruppenangebote) wird je Fall nach "
            "Fachleistungsstunden zum einheitlichen Satz von {{ p.fls_satz|betrag }} je "
            "Fachleistungsstunde abgerechnet; die Festsetzung ist nach oben offen. Bei Einzelfallhilfen "
            "ist zunächst immer die vorrangige Inanspruchnahme des für den Sozialraum zuständigen Trägers zu "
            "prüfen. "
            "Bereich B (Sicherung der Infrastruktur: B1 Fachberatung, Leitung und Verwaltung, B2 "
            "arbeitsplatzbezogene Sach- und Raumkosten, B3 Personalanteile für fallübergreifende Arbeit "
            "im Gemeinwesen, niederschwellige Beratung und Krisenintervention) und Bereich C (Budget für "
            "Aktivitäten im Gemeinwesen) werden pauschal finanziert und nach dem Anteil der "
            "Jugendhilfestation an den verursachten Kosten verteilt, nicht nach Sozialindikatoren."
            "{% if p.bereich_c_bedingt %} Bereich C wird nur nach Absprache und Beauftragung durch den "
            "öffentlichen Träger der Jugendhilfe gezahlt.{% endif %}",
            quelle="Gutachten, Abschnitt 5.4",
        ),
        Vertragstext(
            "regel",
            "{% if p.bereich_c_bedingt %}Die Pauschale für Bereich B wird{% else %}Die Pauschalen für "
            "Bereich B und C werden{% endif %} {{ w.zahlungsweise }} in Abschlägen an den Träger der "
            "Jugendhilfestation gezahlt; Bereich A wird nicht in Abschlägen gezahlt.",
            vorschlag=True,
        ),
        Vertragstext(
            "ruecklage",
            "Bereich A wird nach tatsächlich geleisteten Fachleistungsstunden abgerechnet. Nicht "
            "verausgabte Mittel der Pauschalen für Bereich B und C werden zum Jahresende mit dem "
            "Jugendamt abgerechnet oder mit dessen Zustimmung in das Folgejahr übertragen.",
            vorschlag=True,
        ),
        Vertragstext(
            "bericht",
            "Monatliche Abrechnung der geleisteten Fachleistungsstunden (Bereich A).",
            vorschlag=True,
        ),
        Vertragstext(
            "bericht",
            "Jährlicher Sachbericht über Bereich B und C bis zum 31. März des Folgejahres.",
            vorschlag=True,
        ),
        Vertragstext(
            "bericht",
            "Ausweis des Anteils der Fachleistungsstunden je Jugendhilfestation, die andere Träger "
            "erbringen; bei einem Anteil über {{ p.fremdanteil_max|prozent }} wird die vorrangige "
            "Inanspruchnahme des für den Sozialraum zuständigen Trägers geprüft.",
            vorschlag=True,
        ),
    ),
    lesart=(
        "Bereich C wird wie im Gutachten „nach Absprache und Beauftragung“ durch den öffentlichen "
        "Träger gezahlt, also bedingt (wahlweise als unbedingte Pauschale); die „faktisch bis zu 50 %“ "
        "anderer Träger sind eine Beobachtung und nur eine Hinweisschwelle, über der die vorrangige "
        "Inanspruchnahme des zuständigen Trägers zu prüfen ist, keine vereinbarte Grenze; 70 € je "
        "Fachleistungsstunde ist ein heute realistischer Satz, den das Gutachten nicht nennt."
    ),
    lesarten=(
        Lesart(
            "bereich_c_bedingt",
            "„Diese Leistungen werden pauschal finanziert nach Absprache und Beauftragung durch den "
            "öffentlichen Träger der Jugendhilfe“: Bereich C ist bedingt (gezahlt nach Beauftragung, "
            "nicht in den Abschlägen); „nein“ zahlt ihn wie Bereich B als unbedingte Pauschale.",
        ),
        Lesart(
            "fremdanteil_max",
            "„Bei der individuellen Leistungserbringung werden jedoch auch andere Träger in Anspruch "
            "genommen, faktisch bis zu 50 %“ ist eine Beobachtung, keine vereinbarte Grenze: über der "
            "Schwelle gibt es nur den Hinweis, die „vorrangige Inanspruchnahme des für den Sozialraum "
            "zuständigen Trägers“ zu prüfen.",
        ),
        Lesart(
            "fls_satz",
            "Das Gutachten nennt Fachleistungsstunden, aber keinen Satz; 70 € ist ein heute realistischer "
            "Satz (60–80 €) für Beispieldaten.",
            auslegung=True,
        ),
    ),
)
