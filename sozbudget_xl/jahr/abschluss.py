"""Jahresabschluss per model (issue 16) — core, no I/O; per-model rules keyed by model name.

The year's Ist (or, before December, the forecast: the settlement is then marked „vorläufig“) is
settled as the report describes, through each model's own public functions:

* **stuttgart** (Gutachten 5.1): „Bei einem Überschuss des Teilbudgets a kann der Träger
  Rücklagen bilden … Eine Anrechnung auf das Finanzvolumen des nächsten Jahres erfolgt nicht.
  Beträge, die unter einer Summe von DM 100.000 liegen, können für den gesamten Bereich der
  Jugendhilfe eingesetzt werden“ — :func:`sozbudget_xl.models.stuttgart.jahresabschluss` with
  the Ist of Bereich a and b; the reserve goes to the accounts „Rücklage frei …“/„… gebunden …“;
  the Leistungsbonus is settled on top of the budget;
* **neunkirchen** (5.2): „Werden die Mittel nicht vollständig für Hilfen zur Erziehung
  verausgabt, werden sie für präventive Maßnahmen genutzt“ — the model recomputed with the Ist:
  surplus to the Präventionsfonds, an overrun borne by the Verbund unless recognised;
* **celle** (5.5): „Zweckbindung von Ersparnissen als Rücklagen im Trägerverbund“ — the model
  recomputed with the Ist per Träger × Sozialraum: the Verbund reserve (saldiert or per Träger);
* every other model: Soll, Ist, Ergebnis and Ausschöpfung per Träger × Sozialraum (München
  5.3: planning figures, overrun reported), the Drei-Säulen model's open Säule 1 with the
  Aufstockung it needs (§7.1); the report names no reserve rule for them, so none is formed.

Accounts (:class:`Konto`) carry reserves and funds into the next year: Endbestand =
Anfangsbestand + Zugang − Abgang, and the next year's Anfangsbestand is this Endbestand.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..controlling import (
    DECKEL,
    IstZeile,
    Zeile,
    _betrag_warnungen,
    _deckel_warnung,
    _quote,
    _soll_je_zuordnung,
    soll_ist,
)
from ..ergebnis import Art, ModelResult, Warnung
from ..errors import SozbudgetError
from ..money import DM_PER_EUR, MAX_BETRAG, ZERO
from .ist import Buchung
from .sollist import DECKEL_JE_MODELL, SOLL_ARTEN, SollIstStand

__all__ = [
    "ERSETZT", "VEREINBART", "Abschluss", "Konto", "jahres_ist", "jahresabschluss", "konten_fortschreiben",
]  # fmt: skip

_CENT = Decimal("0.01")
#: row of „Vorträge“ holding the budget agreed at the start of the year (Stuttgart's Revision)
VEREINBART = "Vereinbartes Budget (Teilbudgets a + b)"


@dataclass(frozen=True)
class Konto:
    """A reserve or fund carried from year to year."""

    name: str
    traeger: str
    anfang: Decimal = ZERO
    zugang: Decimal = ZERO
    abgang: Decimal = ZERO

    @property
    def ende(self) -> Decimal:
        return self.anfang + self.zugang - self.abgang


@dataclass(frozen=True)
class Abschluss:
    """The year-end settlement: a table (``spalten`` × ``zeilen``), accounts and Hinweise."""

    modell: str
    jahr: int
    vorlaeufig: bool
    regel: str
    spalten: tuple[str, ...]
    zeilen: tuple[Mapping[str, Any], ...]
    konten: tuple[Konto, ...] = ()
    warnungen: tuple[Warnung, ...] = ()
    #: months of Ist entered (0: none yet)
    stand: int = 0
    #: whose settlement a „Position/Betrag“ table is (Stuttgart's Versorgungsträger, Neunkirchen's
    #: Trägerverbund); empty for tables with a row per Träger × Sozialraum
    partei: str = ""


def _cent(x: Decimal) -> Decimal:
    return x.quantize(_CENT, rounding=ROUND_HALF_UP)


def jahres_ist(stand: SollIstStand) -> dict[tuple[str | None, str | None], Decimal]:
    """Ist of the whole year per row: the Ist when all 12 months are in, else the forecast."""
    voll = stand.stand >= 12
    return {(z.traeger, z.sozialraum): (z.ist_bis if voll else z.prognose) for z in stand.zeilen}


def konten_fortschreiben(neu: Iterable[Konto], vortraege: Iterable[Konto]) -> tuple[Konto, ...]:
    """This year's accounts with the opening balances of ``vortraege`` (carried from last year);
    an account carried but not moved this year keeps its balance."""
    vor = {(k.name, k.traeger): k.ende for k in vortraege}
    out = []
    for k in neu:
        out.append(dataclasses.replace(k, anfang=vor.pop((k.name, k.traeger), ZERO) + k.anfang))
    out += [Konto(name, traeger, betrag) for (name, traeger), betrag in vor.items()]
    return tuple(out)


# ----------------------------------------------------------------------------- models


def _revision(result: ModelResult, vereinbart: Decimal | None) -> tuple[list[dict[str, Any]], list[Warnung]]:
    """Gutachten 5.1: „Eine nachträgliche Änderung der Budgethöhe ist in bestimmten Fällen auch
    möglich“ — the current inputs against the budget agreed at the start of the year (stored by
    ``jahreswechsel`` on „Vorträge“), „wesentlich“ from the model's Revision-Schwelle."""
    from ..formats import prozent
    from ..models import stuttgart as st

    if vereinbart is None:
        return [], [
            Warnung(
                "Revision: kein vereinbartes Budget gespeichert (Blatt „Vorträge“, Zeile „"
                + VEREINBART
                + "“; "
                "„sozbudget jahreswechsel“ trägt es ein)",
                "revision_ohne_vereinbarung",
            )
        ]
    r = st.revision(result.eingabe, vereinbart, result.parameter)
    zeilen = [
        {"Position": "Revision: vereinbartes Budget (a + b)", "Betrag": r.vereinbart},
        {"Position": "Revision: mit den aktuellen Eingaben (a + b)", "Betrag": r.neu},
        {"Position": "Revision: Differenz", "Betrag": r.differenz},
        {"Position": f"Revision: wesentlich (ab Schwelle {prozent(r.schwelle, 2)})",
         "Betrag": "ja" if r.wesentlich else "nein"},
    ]  # fmt: skip
    return zeilen, list(r.warnungen)


def _stuttgart(
    result: ModelResult, stand: SollIstStand, buchungen: Sequence[Buchung], vereinbart: Decimal | None = None
) -> dict[str, Any]:
    from ..models import stuttgart as st

    traeger = result.traeger[0] if result.traeger else ""
    # Teilbudget a and b are the Versorgungsträger's; Altfälle elsewhere are financed case by case
    jetzt = [
        b for b in buchungen
        if b.jahr in (None, result.jahr) and b.monat <= stand.stand and b.traeger in (None, traeger)
    ]  # fmt: skip
    ist_a = sum(
        (b.ausgaben for b in jetzt if (b.bereich or "a").strip().casefold() in ("a", "teilbudget a")), ZERO
    )
    ist_bis = sum((b.ausgaben for b in jetzt), ZERO)
    warnungen = []
    if any(not b.bereich for b in jetzt):
        warnungen.append(
            Warnung(
                "Ist-Zeilen ohne Bereich zählen zu Teilbudget a (Spalte „Bereich“: a oder b)", "bereich_fehlt"
            )
        )
    gesamt = sum((v for (t, _), v in jahres_ist(stand).items() if t in (None, traeger)), ZERO)
    a = _cent(ist_a * gesamt / ist_bis) if ist_bis else ZERO
    j = st.jahresabschluss(result, a, gesamt - a, result.parameter)
    zeilen = list(j.zeilen())
    bonus = result.kennzahlen.get(st.K_BONUS, ZERO)
    zeilen.append({"Position": "Leistungsbonus (zusätzlich zum Budget ausgezahlt)", "Betrag": bonus})
    rev_zeilen, rev_hinweise = _revision(result, vereinbart)
    zeilen += rev_zeilen
    konten = [
        Konto("Rücklage frei (gesamte Jugendhilfe)", traeger, zugang=j.ruecklage_frei),
        Konto("Rücklage gebunden (Erziehungshilfe)", traeger, zugang=j.ruecklage_gebunden),
    ]
    return {
        "partei": traeger,
        "regel": "Gutachten 5.1: Rücklage aus dem Überschuss des Teilbudgets a, ohne Anrechnung auf das "
        "nächste Jahr; unter DM 100.000 frei für die gesamte Jugendhilfe, darüber nur für Erziehungshilfe",
        "spalten": ("Position", "Betrag"),
        "zeilen": zeilen,
        "konten": konten,
        "warnungen": warnungen + list(j.warnungen) + rev_hinweise,
    }


def _celle(
    result: ModelResult, stand: SollIstStand, buchungen: Sequence[Buchung], **_: Any
) -> dict[str, Any]:
    from ..models import celle

    ist = jahres_ist(stand)
    zeilen = tuple(celle.IstAusgabe(t, s, betrag) for (t, s), betrag in ist.items() if t and s)
    r = celle.berechne(dataclasses.replace(result.eingabe, ist=zeilen), result.parameter)
    ruecklage = r.kennzahlen.get("Rücklage Trägerverbund (zweckgebunden)", ZERO)
    saldiert = getattr(result.parameter, "ruecklage_saldiert", True)
    return {
        "regel": "Gutachten 5.5: „Zweckbindung von Ersparnissen als Rücklagen im Trägerverbund“ "
        + ("(saldiert über den Verbund)" if saldiert else "(Ersparnisse je Träger und Sozialraum)"),
        "spalten": ("Träger", "Sozialraum", "Budget", "Ist", "Ersparnis", "Überschreitung"),
        "zeilen": list(r.tabellen.get("Rücklage", ())),
        "konten": [Konto("Rücklage Trägerverbund (zweckgebunden)", "Trägerverbund", zugang=ruecklage)],
        "warnungen": [
            w for w in r.warnungen if w.code in ("ueberschreitung", "verbund_ueberschreitung", "ist_fehlt")
        ],
    }


def _neunkirchen(
    result: ModelResult, stand: SollIstStand, buchungen: Sequence[Buchung], **_: Any
) -> dict[str, Any]:
    from ..models import neunkirchen as nk

    gesamt = sum(jahres_ist(stand).values(), ZERO)
    dm = str(getattr(result.parameter, "waehrung", "EUR")).strip().upper() == "DM"
    r = nk.berechne(
        dataclasses.replace(result.eingabe, ist_ausgaben=_cent(gesamt * DM_PER_EUR) if dm else gesamt),
        result.parameter,
    )
    zeile = dict((r.tabellen.get("Jahresabschluss") or [{}])[0])
    verbund = str(zeile.get("Trägerverbund") or getattr(result.eingabe, "traegerverbund", "Trägerverbund"))
    werte = [(k, zeile.get(k)) for k in ("Budget", "Ist", "Ausschöpfung", "Überschreitung",
             "Anpassung durch Jugendamt", "Trägt Trägerverbund", "Präventionsfonds")]  # fmt: skip
    codes = ("deckel_hart_ueberschritten", "ueberschreitung_verbund", "ereignis_nicht_anerkannt")
    return {
        "partei": verbund,
        "regel": "Gutachten 5.2: nicht verausgabte Mittel fließen in präventive Maßnahmen "
        "(Präventionsfonds); eine Überschreitung trägt der Trägerverbund, außer bei „unkalkulierbaren, "
        "unvorhersehbaren und unabweisbaren Einwirkungen“ (nachträgliche Anpassung)",
        "spalten": ("Position", "Betrag"),
        "zeilen": [{"Position": k, "Betrag": v} for k, v in werte if v is not None],
        "konten": [Konto("Präventionsfonds", verbund, zugang=zeile.get("Präventionsfonds", ZERO))],
        "warnungen": [w for w in r.warnungen if w.code in codes or "Ereignis" in w.text],
    }


_REGEL_ALLGEMEIN = {
    "muenchen": "Gutachten 5.3: Ausschöpfung der Budgets; Planwerte dürfen überschritten werden – die "
    "Überschreitung wird berichtet, nie gesperrt. Das Gutachten nennt keine Rücklage.",
    "dreisaeulen": "Gutachten 7.1: Säule 1 (Entgelte) ist offen und wird bei steigendem Bedarf "
    "aufgestockt (Spalte „Aufstockung“); das Gutachten nennt keine Rücklage.",
}


def _allgemein(
    result: ModelResult, stand: SollIstStand, buchungen: Sequence[Buchung], **_: Any
) -> dict[str, Any]:
    deckel = DECKEL_JE_MODELL.get(result.modell)
    spalten = ["Träger", "Sozialraum", "Soll", "Ist", "Abweichung", "Ausschöpfung", "Überschreitung"]
    if result.modell == "dreisaeulen":
        spalten.append("Aufstockung")
    tabelle = _tabelle_schnell(result, jahres_ist(stand), deckel, tuple(spalten))
    if tabelle is None:
        tabelle = _tabelle_controlling(result, stand, deckel, spalten)
    zeilen, warnungen = tabelle
    regel = _REGEL_ALLGEMEIN.get(
        result.modell, "Das Gutachten nennt für dieses Modell keine Rücklagenregel: Überschuss und "
        "Fehlbetrag werden ausgewiesen, nichts wird übertragen."
    )  # fmt: skip
    return {"regel": regel, "spalten": tuple(spalten), "zeilen": zeilen, "konten": [], "warnungen": warnungen}


def _tabelle_controlling(
    result: ModelResult, stand: SollIstStand, deckel: str | None, spalten: list[str]
) -> tuple[list[Mapping[str, Any]], list[Warnung]]:
    """The settlement's rows (Summe last) and warnings through :func:`~sozbudget_xl.controlling.
    soll_ist` — every check and error of the comparison (:func:`_tabelle_schnell` equals it)."""
    ist = [IstZeile(t, s, betrag) for (t, s), betrag in jahres_ist(stand).items()]
    c = soll_ist(result, ist, deckel=deckel, arten=SOLL_ARTEN, je_gruppe=False)  # the rows only
    del ist  # a row per Träger × Sozialraum: freed before the settlement's rows are built
    offen = {(p.traeger, p.sozialraum) for p in result.positionen if p.art == Art.OFFEN}
    zeilen: list[Mapping[str, Any]] = []
    namen: dict[tuple[str, ...], dict[str, int]] = {}  # the rows' columns, shared (issue 15)
    for z in c.zeilen:
        row = {k: z[k] for k in spalten if k in z}
        if "Aufstockung" in spalten:
            row["Aufstockung"] = z["Überschreitung"] if (z["Träger"], z["Sozialraum"]) in offen else ZERO
        zeilen.append(Zeile.aus(row, namen))
    summe = {"Träger": "Summe", "Sozialraum": None, **{k: c.summen[k] for k in spalten[2:] if k in c.summen}}
    if "Aufstockung" in spalten:
        summe["Aufstockung"] = sum((r["Aufstockung"] for r in zeilen), ZERO)
    zeilen.append(summe)
    warnungen = [w for w in c.warnungen if w.code.startswith("deckel") or w.code == "ist_ohne_soll"]
    return zeilen, warnungen


#: amounts beyond this are left to :func:`~sozbudget_xl.money.euro` (its errors, its rounding)
_GRENZE = Decimal(10) ** 13
_MINUS_NULL = Decimal("-0.00")
#: the Ausschöpfung of a row whose Ist is its Soll (``_quote`` gives this number in this form)
_EINS = Decimal("1.0000")


def _ist_betrag(wert: Any) -> Decimal | None:
    """The Ist as :func:`~sozbudget_xl.controlling.soll_ist` books it (``ZERO + euro(wert)``), the
    same object when it is already that (cents, not zero: 50.000 rows share the forecast's
    Decimals); None for anything the comparison would check further (then it decides)."""
    if type(wert) is not Decimal or not wert.is_finite() or abs(wert) >= _GRENZE:
        return None
    betrag = wert if wert and wert.same_quantum(_CENT) else ZERO + _cent(wert)
    return betrag if ZERO <= betrag <= MAX_BETRAG else None


def _ist_ohne_weiteres(key: tuple[Any, Any]) -> bool:
    """Whether the comparison keeps the names of ``key`` as they are (text without surrounding
    blanks, or None)."""
    t, s = key
    return (t is None or (type(t) is str and t != "" and t.strip() == t)) and (
        s is None or (type(s) is str and s != "" and s.strip() == s)
    )


def _tabelle_schnell(
    result: ModelResult, ist: Mapping[tuple[Any, Any], Any], deckel: str | None, spalten: tuple[str, ...]
) -> tuple[list[Mapping[str, Any]], list[Warnung]] | None:
    """:func:`_tabelle_controlling` without the general comparison: Soll, Ist, Abweichung,
    Ausschöpfung, Überschreitung (and Aufstockung) per Träger × Sozialraum, computed as
    :func:`~sozbudget_xl.controlling.soll_ist` computes them, the warnings it would keep. Equal
    Decimals are shared (zeros, the Ausschöpfung). None when an Ist or a name needs its checks."""
    if not isinstance(result, ModelResult) or deckel not in DECKEL:
        return None
    betraege: dict[tuple[Any, Any], Decimal] = {}
    for key, wert in ist.items():
        betrag = _ist_betrag(wert)
        if betrag is None or not _ist_ohne_weiteres(key):
            return None
        betraege[key] = betrag
    soll, _ = _soll_je_zuordnung(result, set(SOLL_ARTEN))
    keys = [*soll, *(k for k in betraege if k not in soll)]
    offen = {(p.traeger, p.sozialraum) for p in result.positionen if p.art == Art.OFFEN}
    aufstockung = "Aufstockung" in spalten
    index = {n: i for i, n in enumerate(spalten)}
    quoten: dict[Decimal, Decimal] = {}  # Ist/Soll to 4 places (never zero here): a few distinct
    zeilen: list[Mapping[str, Any]] = []
    ohne_soll: list[Warnung] = []
    ueber_soll: list[tuple[Any, Any, Decimal]] = []
    summen = [ZERO, ZERO, ZERO, ZERO, ZERO]  # Soll, Ist, Abweichung, Überschreitung, Aufstockung
    for key in keys:
        s, i = soll.get(key, ZERO), betraege.get(key, ZERO)
        if key not in soll:
            ohne_soll += [w for w in _betrag_warnungen(key, soll, betraege) if w.code == "ist_ohne_soll"]
        abw = s - i
        if not abw and abw.same_quantum(_CENT):
            abw = _MINUS_NULL if abw.is_signed() else ZERO
        if s == 0:
            q = None
        elif i == s:  # Ist/Soll is exactly 1
            q = _EINS
        else:
            q = _quote(i, s)
            q = quoten.setdefault(q, q) if q else q
        ueber = -abw if abw < 0 else ZERO
        werte = [key[0], key[1], s, i, abw, q, ueber]
        if aufstockung:
            werte.append(ueber if key in offen else ZERO)
            summen[4] += werte[-1]
        zeilen.append(Zeile(index, werte))
        summen[0] += s
        summen[1] += i
        summen[2] += abw
        summen[3] += ueber
        if i > s:
            ueber_soll.append((key[0], key[1], i - s))
    soll_summe, ist_summe, abw_summe, ueber_summe = summen[:4]
    summe = dict(
        zip(
            spalten,
            ["Summe", None, soll_summe, ist_summe, abw_summe, _quote(ist_summe, soll_summe), ueber_summe],
        )
    )
    if aufstockung:
        summe["Aufstockung"] = summen[4]
    zeilen.append(summe)
    if deckel is not None:
        try:
            ohne_soll += [_deckel_warnung(deckel, t, sr, over) for t, sr, over in ueber_soll]
        except SozbudgetError:  # an overrun beyond MAX_BETRAG (a negative Soll): the comparison decides
            return None
    return zeilen, ohne_soll


#: year-end rule by model name
REGELN = {"stuttgart": _stuttgart, "celle": _celle, "neunkirchen": _neunkirchen}

#: model → (result tables, warning codes) that settle the year with the model's own Ist input;
#: with an Ist sheet the Jahresabschluss settles it again from the Ist, so a settlement document
#: shows only the Jahresabschluss' figures (one overrun, one reserve)
_NK_CODES = ("deckel_hart_ueberschritten", "ueberschreitung_verbund", "ereignis_nicht_anerkannt")
ERSETZT: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "neunkirchen": (("Jahresabschluss", "Präventionsfonds"), (*_NK_CODES, "ereignisse_ohne_ist")),
    "celle": (("Rücklage",), ("ueberschreitung", "verbund_ueberschreitung", "ist_fehlt")),
}


def jahresabschluss(
    result: ModelResult,
    stand: SollIstStand,
    buchungen: Sequence[Buchung] = (),
    vortraege: Iterable[Konto] = (),
) -> Abschluss:
    """The Jahresabschluss of ``result``'s year from its Soll/Ist ``stand`` (forecast when the
    year is incomplete: ``vorlaeufig``), with last year's closing balances ``vortraege``."""
    regel = REGELN.get(result.modell, _allgemein)
    vortraege = list(vortraege)
    vereinbart = next((k.anfang for k in vortraege if k.name == VEREINBART), None)
    vortraege = [k for k in vortraege if k.name != VEREINBART]
    teile = regel(result, stand, list(buchungen), vereinbart=vereinbart)
    warnungen = list(teile["warnungen"])
    vorlaeufig = stand.stand < 12
    if vorlaeufig:
        warnungen.insert(
            0,
            Warnung(
                f"Vorläufiger Jahresabschluss: Ist erst bis Monat {stand.stand}, "
                "das Jahresende ist geschätzt (Prognose)",
                "vorlaeufig",
            ),
        )
    return Abschluss(
        result.modell, result.jahr, vorlaeufig, teile["regel"], tuple(teile["spalten"]),
        tuple(teile["zeilen"]), konten_fortschreiben(teile["konten"], vortraege), tuple(warnungen),
        stand=stand.stand, partei=teile.get("partei", ""),
    )  # fmt: skip
