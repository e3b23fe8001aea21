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
   Schulsozialarbeit, Familienselbsthilfe, Jugendarbeit, bürgerschaftliches Engagement),
   pauschal; option ``bereich_c_bedingt``: paid only „nach Absprache und Beauftragung durch den
   öffentlichen Träger“ (kind ``bedingt``).
4. **Distribution of B and C by caused costs, not by indicators** (§5.4 „basiert nicht auf
   Sozialindikatoren, sondern auf den in den jeweiligen Jugendhilfestationen verursachten
   (prozentualen) Kosten“): each of B1, B2, B3 and C is split over the Jugendhilfestationen by
   their percentage of caused costs (input, must sum to exactly 100 %) with the largest
   remainder method, so every component is kept to the cent.
5. **One Träger per station** (§5.4 „exklusiv mit jeweils einem Träger“): a station listed with
   two Träger is an error; the station's B and C go to its Träger.
6. **Other Träger in individual help** (§5.4 „faktisch bis zu 50 % bei den
   Individualleistungen“): per station, the share of Bereich-A hours delivered by other Träger
   is reported (table „Anteil anderer Träger (Bereich A)“); above ``fremdanteil_max`` (default
   50 %, exactly 50 % is allowed) it is a warning.

Payment plan: the Pauschalen (``unbedingt``: B and, by default, C) in instalments to the
station Träger, monthly by default.

>>> e = Eingabe(
...     stationen=(Jugendhilfestation("Nord", "Träger N", "0.6"),
...                Jugendhilfestation("Süd", "Träger S", "0.4")),
...     einzelhilfen=(Einzelhilfe("Fall 1", "Nord", "Träger N", 100),),
...     bereich_b1="1000.00", bereich_c="0.01")
>>> r = berechne(e, Parameter(fls_satz="70"))
>>> r.summe(art="offen"), r.summe(traeger="Träger N"), r.summe(traeger="Träger S")
(Decimal('7000.00'), Decimal('7600.01'), Decimal('400.00'))
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
from . import _pruefung as pr
from .base import Art, LineItem, ModelResult, Warnung

NAME = "tuebingen"
TITEL = "Landkreis Tübingen: Einzelfallfinanzierung, Infrastrukturpauschale und Gemeinwesenbudget"
QUELLE = "Gutachten §5.4; Spezifikation §3.5"
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
_EINS = Decimal(1)

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


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Parameter:
    """Parameters of the Tübingen model."""

    #: uniform rate per Fachleistungsstunde, € (realistic 2024/25: 60–80 €)
    fls_satz: Any = Decimal("70.00")
    #: highest share of Bereich-A hours of a station that other Träger may deliver (fraction)
    fremdanteil_max: Any = Decimal("0.50")
    #: option: Bereich C only after agreement and commissioning by the Jugendamt (kind bedingt)
    bereich_c_bedingt: bool = False
    jahr: int = 2026
    zahlungsweise: str = "monatlich"
    werktag: bool = False
    bundesland: str | None = None
    #: due dates for zahlungsweise="termine"
    termine: tuple[Any, ...] = ()


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


# --------------------------------------------------------------------------- validation helpers


_fehler = partial(pr.fehler, NAME)
_name = partial(pr.bezeichnung, NAME)
_zahl = partial(pr.zahl, NAME, stil=pr.Stil.KURZ)
_betrag = partial(pr.betrag, NAME, stil=pr.Stil.KURZ)
_anteil = partial(pr.anteil, NAME, stil=pr.Stil.KURZ)


def _pruefe_parameter(p: Parameter) -> tuple[Decimal, Decimal]:
    satz = _betrag(p.fls_satz, item="Parameter", field="Fachleistungsstundensatz")
    if satz == 0:
        raise _fehler(
            "Fachleistungsstundensatz fehlt",
            item="Parameter",
            field="Fachleistungsstundensatz",
            expected="mehr als 0 €",
            found=p.fls_satz,
        )
    grenze = _anteil(p.fremdanteil_max, item="Parameter", field="Höchstanteil anderer Träger")
    if not isinstance(p.bereich_c_bedingt, bool):
        raise _fehler(
            "Angabe muss ja oder nein sein",
            item="Parameter",
            field="Bereich C bedingt",
            found=repr(p.bereich_c_bedingt),
        )
    pr.zahlung_kurz(NAME, p, bundesland_beispiel="BW")
    return satz, grenze


# --------------------------------------------------------------------------- model


def berechne(eingabe: Eingabe, parameter: Parameter | None = None) -> ModelResult:
    """Bereich A forecast, B and C by caused-cost shares, other-Träger report (see module doc)."""
    p = pr.pruefe_typen(NAME, eingabe, Eingabe, parameter, Parameter)
    satz, grenze = _pruefe_parameter(p)

    # ---- validate everything first
    if not eingabe.stationen:
        raise _fehler(
            "keine Jugendhilfestationen angegeben", field="Jugendhilfestationen", expected="mindestens eine"
        )
    stationen: dict[str, tuple[str, Decimal]] = {}
    for s in eingabe.stationen:
        name = _name(s.name, item=s.name, field="Jugendhilfestation")
        traeger = _name(s.traeger, item=name, field="Träger")
        if name in stationen:
            if stationen[name][0] != traeger:
                # rule 5: one Träger per station (exclusive)
                raise _fehler(
                    "Jugendhilfestation hat zwei Träger; je Station ist genau ein Träger zulässig (exklusiv)",
                    item=name,
                    field="Träger",
                    expected="einen Träger",
                    found=f"{stationen[name][0]}, {traeger}",
                )
            raise _fehler("Jugendhilfestation ist doppelt aufgeführt", item=name, field="Jugendhilfestation")
        stationen[name] = (traeger, _anteil(s.kostenanteil, item=name, field="Kostenanteil"))
    summe_anteile = sum((a for _, a in stationen.values()), Decimal(0))
    if summe_anteile != _EINS:  # rule 4: exact comparison
        raise _fehler(
            "die Kostenanteile der Jugendhilfestationen ergeben nicht 100 %",
            item="Jugendhilfestationen",
            field="Kostenanteil",
            expected="100 %",
            found=f"{fmt_prozent(summe_anteile, 2)}",
        )

    faelle: list[tuple[str, str, str, Decimal]] = []
    seen: set[str] = set()
    for h in eingabe.einzelhilfen:
        fall = _name(h.fall, item=h.fall, field="Fall")
        if fall in seen:
            raise _fehler("Fall ist doppelt aufgeführt", item=fall, field="Fall")
        seen.add(fall)
        station = _name(h.station, item=fall, field="Jugendhilfestation")
        if station not in stationen:
            raise _fehler(
                "Fall ist einer unbekannten Jugendhilfestation zugeordnet",
                item=fall,
                field="Jugendhilfestation",
                expected="eine der Jugendhilfestationen",
                found=station,
            )
        traeger = _name(h.traeger, item=fall, field="Träger")
        stunden = _zahl(h.fachleistungsstunden, item=fall, field="Fachleistungsstunden")
        if stunden == 0:
            raise _fehler(
                "Fall ohne Kosten: keine Fachleistungsstunden geplant",
                item=fall,
                field="Fachleistungsstunden",
                expected="mehr als 0",
                found=h.fachleistungsstunden,
            )
        faelle.append((fall, station, traeger, stunden))

    pauschalen = {
        attr: _betrag(getattr(eingabe, attr), item=f"Bereich {kurz}", field=f"Bereich {kurz}")
        for attr, kurz, _ in _PAUSCHALEN
    }

    # ---- rule 4: split each of B1, B2, B3, C over the stations by caused-cost shares
    # (remainder cents in name order, so the order of the station rows changes nothing)
    namen = list(stationen)
    gewichte = {n: stationen[n][1] for n in namen}
    anteile = {attr: pr.verteile_nach_namen(betrag, gewichte) for attr, betrag in pauschalen.items()}

    # ---- rule 1: Bereich A forecast per station and Träger (hours × uniform rate)
    # each case is billed on its own: its amount is rounded to the cent, the item adds them up
    stunden_je: dict[str, dict[str, Decimal]] = {n: {} for n in namen}
    betrag_je: dict[str, dict[str, Decimal]] = {n: {} for n in namen}
    for _, station, traeger, stunden in faelle:
        stunden_je[station][traeger] = stunden_je[station].get(traeger, Decimal(0)) + stunden
        betrag_je[station][traeger] = betrag_je[station].get(traeger, ZERO) + round_cents(stunden * satz)

    positionen: list[LineItem] = []
    warnungen: list[Warnung] = []
    verteilung = []
    fremd_zeilen = []
    art_c = Art.BEDINGT if p.bereich_c_bedingt else Art.UNBEDINGT
    for station in namen:
        stationstraeger, anteil = stationen[station]
        # station's own Träger first, then other Träger in first-seen order
        reihe = sorted(stunden_je[station].items(), key=lambda kv: kv[0] != stationstraeger)
        for traeger, stunden in reihe:
            positionen.append(
                LineItem(
                    f"Bereich A: Einzelfallhilfen und Gruppenangebote, {pr.zahl_text(stunden)} "
                    f"Fachleistungsstunden × {fmt_betrag(satz)} (Prognose, Abrechnung nach "
                    "Fachleistungsstunden)",
                    betrag_je[station][traeger],
                    Art.OFFEN,
                    traeger=traeger,
                    sozialraum=station,
                    quelle="Gutachten §5.4",
                )
            )
        for attr, _, text in _PAUSCHALEN:
            betrag = anteile[attr][station]
            if betrag == 0:
                continue
            ist_c = attr == "bereich_c"
            positionen.append(
                LineItem(
                    f"{text} ({fmt_prozent(anteil, 2)} Kostenanteil)",
                    betrag,
                    art_c if ist_c else Art.UNBEDINGT,
                    traeger=stationstraeger,
                    sozialraum=station,
                    bedingung=_BEDINGUNG_C if ist_c and p.bereich_c_bedingt else "",
                    quelle="Gutachten §5.4",
                )
            )
        b = sum((anteile[a][station] for a in ("bereich_b1", "bereich_b2", "bereich_b3")), ZERO)
        verteilung.append(
            {
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
        )
        # rule 6: share of Bereich-A hours delivered by other Träger
        gesamt_h = sum(stunden_je[station].values(), Decimal(0))
        eigen_h = stunden_je[station].get(stationstraeger, Decimal(0))
        fremd_h = gesamt_h - eigen_h
        quote = fremd_h / gesamt_h if gesamt_h > 0 else None
        ueber = quote is not None and quote > grenze
        fremd_zeilen.append(
            {
                "Jugendhilfestation": station,
                "Stationsträger": stationstraeger,
                "Fachleistungsstunden gesamt": gesamt_h,
                "davon Stationsträger": eigen_h,
                "davon andere Träger": fremd_h,
                "Anteil andere Träger": None if quote is None else quote.quantize(_QUOTE, ROUND_HALF_UP),
                "Höchstanteil": grenze,
                "Grenze überschritten": "ja" if ueber else "nein",
            }
        )
        if ueber:
            warnungen.append(
                Warnung(
                    f"Jugendhilfestation „{station}“: {fmt_prozent(quote)} der Fachleistungsstunden "
                    f"bei anderen Trägern (höchstens {fmt_prozent(grenze)} vereinbart)",
                    code="fremdanteil_ueberschritten",
                    traeger=stationstraeger,
                    sozialraum=station,
                )
            )

    if not faelle:
        warnungen.append(
            Warnung(
                "keine Einzelfallhilfen (Bereich A) angegeben: Prognose 0,00 €", code="keine_einzelhilfen"
            )
        )

    summe_a = sum((x.betrag for x in positionen if x.art == Art.OFFEN), ZERO)
    summe_b = sum((pauschalen[a] for a in ("bereich_b1", "bereich_b2", "bereich_b3")), ZERO)
    stunden_gesamt = sum((f[3] for f in faelle), Decimal(0))
    fremd_gesamt = sum((z["davon andere Träger"] for z in fremd_zeilen), Decimal(0))
    kennzahlen: dict[str, Any] = {
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
    tabellen: dict[str, Any] = {
        "Verteilung Bereich B und C": verteilung,
        "Anteil anderer Träger (Bereich A)": fremd_zeilen,
        "Bereich A Einzelfälle": [
            {
                "Fall": fall,
                "Jugendhilfestation": station,
                "Träger": traeger,
                "Fachleistungsstunden": stunden,
                "Prognose": round_cents(stunden * satz),
            }
            for fall, station, traeger, stunden in faelle
        ],
    }

    return pr.ergebnis(
        NAME, TITEL, QUELLE, p, positionen, warnungen, kennzahlen, tabellen, termine=p.termine or None
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
        Feld("fls_satz", "Fachleistungsstundensatz", "betrag", "Euro je Fachleistungsstunde"),
        Feld(
            "fremdanteil_max",
            "Höchstanteil anderer Träger",
            "prozent",
            "höchster Anteil der Fachleistungsstunden anderer Träger an einer Station",
        ),
        Feld(
            "bereich_c_bedingt",
            "Bereich C bedingt",
            "ja_nein",
            "ja: Bereich C nur nach Absprache und Beauftragung",
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
                Feld("fachleistungsstunden", "Fachleistungsstunden", "zahl", "Stunden im Jahr"),
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
        Angabe("Anteil anderer Träger (Bereich A)", "Höchstanteil anderer Träger", "Höchstanteil"),
    ),
    vertragstexte=(
        Vertragstext(
            "regel",
            "Bereich A (Einzelfallhilfen) wird nach Fachleistungsstunden zu einem einheitlichen Satz abgerechnet und ist nicht gedeckelt. Bereich B (Infrastruktur) und Bereich C (Aktivitäten im Gemeinwesen) sind Pauschalen, verteilt nach dem Anteil der Jugendhilfestation an den verursachten Kosten.",
        ),
        Vertragstext(
            "ruecklage",
            "Bereich A wird nach tatsächlich geleisteten Fachleistungsstunden abgerechnet. Nicht verausgabte Mittel der Pauschalen für Bereich B und C werden zum Jahresende mit dem Jugendamt abgerechnet oder mit dessen Zustimmung in das Folgejahr übertragen.",
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
            "bericht", "Ausweis des Anteils der Einzelhilfen, die andere Träger erbringen.", vorschlag=True
        ),
    ),
)
