"""KGSt report 12/1998 — pauschal Sozialraumbudget for ambulant HzE.

Source: Gutachten §3 (KGSt-Bericht 12/1998 „Kontraktmanagement zwischen öffentlichen und
freien Trägern“); domain specification §3.1.

Rules:

1. The Gesamtbudget G of the Sozialraum is split into three parts (percentages are
   parameters, their sum must be exactly 100 %): Sockelbetrag for case work
   (fallspezifisch, default 70 %), Sockelbetrag for work not tied to cases
   (fallunspezifisch, default 10 %) and the quality-bound part (qualitätsgebunden,
   default 20 %). Each split is exact to the cent (largest remainder, spec §1).
2. Every Träger i has a share s_i (the shares must add up to exactly 100 %) and gets s_i of
   each of the three parts (each part split by the largest-remainder method).
3. Case obligation: Träger i must take on s_i × Fallzahl cases of the Sozialraum (table
   „Fallverpflichtung“, fractional cases with two decimals that add up to the Fallzahl).
4. The quality part is paid only against a Qualitätsnachweis. The quality parts of the
   Träger without evidence are pooled and go „leistungsbezogen“ to the Träger with
   evidence: option ``umverteilung="anteilig"`` (default) pro rata to their shares,
   option ``"zusatzfaelle"`` pro rata to the additional cases each has taken over.
   If no Träger has evidence (or no Träger with evidence has a positive weight), the pooled
   part stays with the Jugendamt (Art.EINBEHALTEN) and a warning says so.
5. Payment plan: the Sockel (70 % + 10 %, Art.UNBEDINGT) is paid in instalments
   (parameter ``zahlungsweise``, default monthly in advance, spec §4). Quality parts are
   Art.BEDINGT and are not part of the instalment plan (paid once the evidence is accepted).

Remainder cents: the spec breaks ties by input order; to make the result independent of
the order in which the Träger are listed, every split is computed with the Träger sorted
by name, so on a tie the alphabetically first Träger gets the cent.

Worked example of the spec (G = 1.000.000 €, shares 50/30/20 %, evidence yes/yes/no):

>>> e = Eingabe(
...     gesamtbudget=Decimal("1000000"),
...     traeger=(
...         Traeger("A", Decimal("0.5"), True),
...         Traeger("B", Decimal("0.3"), True),
...         Traeger("C", Decimal("0.2"), False),
...     ),
... )
>>> r = berechne(e)
>>> [str(r.summe(traeger=t)) for t in ("A", "B", "C")]
['525000.00', '315000.00', '160000.00']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from ..einheiten import Einheit
from ..formats import betrag as _fmt_betrag
from ..formats import prozent as _fmt_prozent
from ..money import ZERO, allocate
from ..spec import (
    Angabe,
    Ausgabetabelle,
    Deklaration,
    Feld,
    Kennzahl,
    Spalte,
    Tabelle,
    Vertragstext,
    wahlen,
    zahlung,
)
from . import _pruefung as pr
from .base import Art, LineItem, ModelResult, Warnung

__all__ = [
    "BESCHREIBUNG",
    "NAME",
    "QUELLE",
    "TITEL",
    "UMVERTEILUNGEN",
    "Eingabe",
    "Parameter",
    "Traeger",
    "beispiel",
    "berechne",
]

NAME = "kgst"
TITEL = "KGSt-Bericht 12/1998: pauschales Sozialraumbudget für ambulante Hilfen zur Erziehung"
QUELLE = "Gutachten §3 (KGSt-Bericht 12/1998); Spezifikation §3.1"
BESCHREIBUNG = (
    "Teilt das Gesamtbudget der ambulanten Hilfen zur Erziehung eines Sozialraums in Sockelbeträge "
    "(fallspezifisch, fallunspezifisch) und einen qualitätsgebundenen Anteil auf die Träger nach ihren "
    "Anteilen auf und verteilt den Qualitätsanteil von Trägern ohne Qualitätsnachweis um."
)

#: redistribution options for the quality part of Träger without evidence (spec §3.1)
UMVERTEILUNGEN = ("anteilig", "zusatzfaelle")

_EINS = Decimal(1)


@dataclass(frozen=True)
class Parameter:
    """Negotiable numbers of the KGSt model (fractions: ``Decimal("0.70")`` = 70 %)."""

    anteil_fallspezifisch: Decimal = Decimal("0.70")
    anteil_fallunspezifisch: Decimal = Decimal("0.10")
    anteil_qualitaet: Decimal = Decimal("0.20")
    #: "anteilig" (pro rata to the shares of the Träger with evidence) or "zusatzfaelle"
    umverteilung: str = "anteilig"
    jahr: int = 2026
    zahlungsweise: str = "monatlich"
    werktag: bool = False
    bundesland: str | None = None
    #: due dates for ``zahlungsweise="termine"``
    termine: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Traeger:
    """One Träger of the Sozialraum: name, share (fraction), evidence, additional cases."""

    name: str
    anteil: Decimal
    qualitaetsnachweis: bool
    #: additional cases taken over (weight for ``umverteilung="zusatzfaelle"``)
    zusatzfaelle: Decimal = Decimal(0)


@dataclass(frozen=True)
class Eingabe:
    """Gesamtbudget, Träger and (optional) Fallzahl of one Sozialraum."""

    gesamtbudget: Decimal
    traeger: tuple[Traeger, ...]
    fallzahl: Decimal | None = None
    sozialraum: str | None = None


# --------------------------------------------------------------------------- validation


_fehler = partial(pr.fehler, NAME)
_pz = pr.prozent_text
_betrag = partial(pr.betrag, NAME)
_zahl = partial(pr.zahl, NAME)
_anteil = partial(pr.anteil, NAME)

_JA = {"ja", "j", "x", "yes", "true", "wahr", "1"}
_NEIN = {"nein", "n", "no", "false", "falsch", "0", ""}
_ja_nein = partial(pr.ja_nein, NAME, ja=_JA, nein=_NEIN)


@dataclass(frozen=True)
class _T:
    """A validated Träger."""

    name: str
    anteil: Decimal
    nachweis: bool
    zusatzfaelle: Decimal


@dataclass(frozen=True)
class _P:
    """Validated parameters."""

    teile: tuple[Decimal, Decimal, Decimal]
    umverteilung: str
    jahr: int
    zahlungsweise: str
    werktag: bool
    bundesland: str | None
    termine: tuple[Any, ...] | None


def _pruefe_parameter(parameter: Parameter) -> _P:
    pr.pruefe_typ(NAME, parameter, Parameter, "Parameter haben den falschen Typ", field="Parameter")
    teile = (
        _anteil(
            parameter.anteil_fallspezifisch,
            item="Parameter",
            field="Anteil fallspezifisch",
            pfad=("parameter", "anteil_fallspezifisch"),
        ),
        _anteil(
            parameter.anteil_fallunspezifisch,
            item="Parameter",
            field="Anteil fallunspezifisch",
            pfad=("parameter", "anteil_fallunspezifisch"),
        ),
        _anteil(
            parameter.anteil_qualitaet,
            item="Parameter",
            field="Anteil qualitätsgebunden",
            pfad=("parameter", "anteil_qualitaet"),
        ),
    )
    # §3.1: the three parts of the budget must add up to exactly 100 %
    if sum(teile, Decimal(0)) != _EINS:
        raise _fehler(
            "Sockel- und Qualitätsanteile ergeben nicht 100 %",
            item="Parameter",
            field="Anteil fallspezifisch/fallunspezifisch/qualitätsgebunden",
            expected="100 %",
            found=_fmt_prozent(sum(teile, Decimal(0)), 2),
            pfad=("parameter", "anteil_fallspezifisch"),
        )
    if parameter.umverteilung not in UMVERTEILUNGEN:
        raise _fehler(
            f"unbekannte Umverteilung „{parameter.umverteilung}“",
            item="Parameter",
            field="Umverteilung",
            expected=" oder ".join(UMVERTEILUNGEN),
            found=parameter.umverteilung,
            pfad=("parameter", "umverteilung"),
        )
    termine = pr.zahlung(NAME, parameter)  # checks year, rhythm, dates and Bundesland first
    return _P(
        teile,
        parameter.umverteilung,
        parameter.jahr,
        parameter.zahlungsweise,
        bool(parameter.werktag),
        parameter.bundesland,
        termine,
    )


def _pruefe_traeger(traeger: Sequence[Traeger]) -> list[_T]:
    if traeger is None or len(traeger) == 0:
        raise _fehler(
            "keine Träger angegeben",
            item="Träger",
            field="Träger",
            expected="mindestens ein Träger",
            pfad=("eingabe", "traeger"),
        )
    out: list[_T] = []
    seen: dict[str, str] = {}
    for i, t in enumerate(traeger):
        pr.pruefe_typ(
            NAME,
            t,
            Traeger,
            "Zeile hat den falschen Typ",
            item=f"Träger Nr. {i + 1}",
            field="Träger",
            pfad=("traeger", i),
        )
        name = pr.bezeichnung(
            NAME, t.name, item=f"Träger Nr. {i + 1}", field="Träger", pfad=("traeger", i, "name")
        )
        pr.einmalig(
            NAME,
            name,
            seen,
            meldung="Träger doppelt angegeben",
            field="Träger",
            expected="jeden Träger nur einmal",
            pfad=("traeger", i, "name"),
        )
        out.append(
            _T(
                name=name,
                anteil=_anteil(t.anteil, item=name, field="Anteil", pfad=("traeger", i, "anteil")),
                nachweis=_ja_nein(
                    t.qualitaetsnachweis,
                    item=name,
                    field="Qualitätsnachweis",
                    pfad=("traeger", i, "qualitaetsnachweis"),
                ),
                zusatzfaelle=_zahl(
                    t.zusatzfaelle, item=name, field="Zusatzfälle", pfad=("traeger", i, "zusatzfaelle")
                ),
            )
        )
    # §3.1: the Träger shares must add up to exactly 100 %
    summe = sum((t.anteil for t in out), Decimal(0))
    if summe != _EINS:
        raise _fehler(
            "Anteile der Träger ergeben nicht 100 %",
            item="Summe der Anteile",
            field="Anteil",
            expected="100 %",
            found=_fmt_prozent(summe, 2),
        )
    return out


# --------------------------------------------------------------------------- computation


@dataclass(frozen=True)
class _Teile:
    """The budget split into its parts and per Träger (rules 1, 2 and 4)."""

    teil_f: Decimal
    teil_u: Decimal
    teil_q: Decimal
    sockel_f: list[Decimal]
    sockel_u: list[Decimal]
    qualitaet: list[Decimal]
    umverteilt: list[Decimal]
    pool: Decimal
    einbehalten: Decimal
    grundlage: str


def _umverteilung(
    p: _P, traeger: list[_T], qualitaet: list[Decimal], order: list[int]
) -> tuple[list[Decimal], Decimal, Decimal, str]:
    """§3.1 rule 4: pool the quality parts of the Träger without evidence and redistribute them
    „leistungsbezogen“ to the Träger with evidence (or keep them at the Jugendamt)."""
    pool = sum((qualitaet[i] for i, t in enumerate(traeger) if not t.nachweis), ZERO)
    if p.umverteilung == "anteilig":
        gewichte = [t.anteil if t.nachweis else Decimal(0) for t in traeger]
        grundlage = "anteilig nach den Anteilen der Träger mit Qualitätsnachweis"
    else:
        gewichte = [t.zusatzfaelle if t.nachweis else Decimal(0) for t in traeger]
        grundlage = "anteilig nach den übernommenen Zusatzfällen"
    umverteilt = [ZERO] * len(traeger)
    einbehalten = ZERO
    if pool > 0:
        if any(w > 0 for w in gewichte):
            umverteilt = pr.verteile(pool, gewichte, order)
        else:  # nobody (with evidence and a positive weight) can receive it
            einbehalten = pool
    return umverteilt, pool, einbehalten, grundlage


def _teile(p: _P, g: Decimal, traeger: list[_T], order: list[int]) -> _Teile:
    """§3.1 rules 1, 2 and 4: G → Sockel fallspezifisch / fallunspezifisch / qualitätsgebunden,
    each Träger's share of each part, and the redistribution of the quality parts."""
    teil_f, teil_u, teil_q = allocate(g, p.teile)
    anteile = [t.anteil for t in traeger]
    qualitaet = pr.verteile(teil_q, anteile, order)
    umverteilt, pool, einbehalten, grundlage = _umverteilung(p, traeger, qualitaet, order)
    return _Teile(
        teil_f,
        teil_u,
        teil_q,
        pr.verteile(teil_f, anteile, order),
        pr.verteile(teil_u, anteile, order),
        qualitaet,
        umverteilt,
        pool,
        einbehalten,
        grundlage,
    )


def _warnungen(p: _P, traeger: list[_T], t: _Teile, sozialraum: str | None) -> list[Warnung]:
    """What the user must see about quality parts that are redistributed or kept."""
    warnungen: list[Warnung] = []
    ohne = [i for i, x in enumerate(traeger) if not x.nachweis]
    if t.einbehalten > 0:
        if len(ohne) == len(traeger):
            grund = "kein Träger hat einen Qualitätsnachweis erbracht"
        elif p.umverteilung == "zusatzfaelle":
            grund = "kein Träger mit Qualitätsnachweis hat Zusatzfälle übernommen"
        else:
            grund = "die Träger mit Qualitätsnachweis haben zusammen einen Anteil von 0 %"
        warnungen.append(
            Warnung(
                f"Qualitätsgebundener Anteil von {_fmt_betrag(t.pool)} bleibt beim Jugendamt: {grund}.",
                code="qualitaet_einbehalten",
                sozialraum=sozialraum,
            )
        )
    for i in ohne:
        if t.qualitaet[i] > 0:
            ziel = "wird umverteilt" if t.einbehalten == 0 else "bleibt beim Jugendamt"
            warnungen.append(
                Warnung(
                    f"{traeger[i].name} hat keinen Qualitätsnachweis erbracht: qualitätsgebundener Anteil "
                    f"von {_fmt_betrag(t.qualitaet[i])} {ziel}.",
                    code="kein_qualitaetsnachweis",
                    traeger=traeger[i].name,
                    sozialraum=sozialraum,
                )
            )
    return warnungen


def _positionen_traeger(p: _P, x: _T, i: int, t: _Teile, sr: str | None, namen_ohne: str) -> list[LineItem]:
    """The line items of one Träger: both Sockel parts, its own and the redistributed quality part."""
    q = _QUELLE_POSITION
    out = [
        LineItem(f"Sockelbetrag fallspezifische Arbeit ({_pz(p.teile[0])})", t.sockel_f[i], Art.UNBEDINGT,
                 x.name, sr, quelle=q),
        LineItem(f"Sockelbetrag fallunspezifische Arbeit ({_pz(p.teile[1])})", t.sockel_u[i], Art.UNBEDINGT,
                 x.name, sr, quelle=q),
    ]  # fmt: skip
    if not x.nachweis:
        return out
    out.append(
        LineItem(
            f"Qualitätsgebundener Anteil ({_pz(p.teile[2])})",
            t.qualitaet[i],
            Art.BEDINGT,
            x.name,
            sr,
            bedingung="Auszahlung nur gegen Qualitätsnachweis (Nachweis erbracht)",
            quelle=q,
        )
    )
    if t.umverteilt[i] > 0:
        out.append(
            LineItem(
                "Qualitätsgebundener Anteil aus Umverteilung",
                t.umverteilt[i],
                Art.BEDINGT,
                x.name,
                sr,
                bedingung=(
                    "Leistungsbezogene Umverteilung des qualitätsgebundenen Anteils von Trägern "
                    f"ohne Qualitätsnachweis ({namen_ohne}), {t.grundlage}; Auszahlung nur gegen "
                    "eigenen Qualitätsnachweis (Nachweis erbracht)"
                ),
                quelle=q,
            )
        )
    return out


def _positionen(p: _P, traeger: list[_T], t: _Teile, sozialraum: str | None) -> list[LineItem]:
    """All line items: per Träger, then the quality parts kept at the Jugendamt."""
    ohne = [i for i, x in enumerate(traeger) if not x.nachweis]
    namen_ohne = ", ".join(traeger[i].name for i in ohne)
    positionen: list[LineItem] = []
    for i, x in enumerate(traeger):
        positionen += _positionen_traeger(p, x, i, t, sozialraum, namen_ohne)
    if t.einbehalten > 0:
        for i in ohne:
            if t.qualitaet[i] > 0:
                positionen.append(
                    LineItem(
                        f"Qualitätsgebundener Anteil von {traeger[i].name} – beim Jugendamt einbehalten "
                        "(kein empfangsberechtigter Träger mit Qualitätsnachweis)",
                        t.qualitaet[i],
                        Art.EINBEHALTEN,
                        None,
                        sozialraum,
                        quelle=_QUELLE_POSITION,
                    )
                )
    return positionen


def _uebersicht(traeger: list[_T], t: _Teile) -> list[dict[str, Any]]:
    """Table „Übersicht“: the parts of every Träger and its total."""
    zeilen = []
    for i, x in enumerate(traeger):
        eigen = t.qualitaet[i] if x.nachweis else ZERO
        zeilen.append(
            {
                "Träger": x.name,
                "Anteil": x.anteil,
                "Qualitätsnachweis": "ja" if x.nachweis else "nein",
                "Sockel fallspezifisch": t.sockel_f[i],
                "Sockel fallunspezifisch": t.sockel_u[i],
                "Qualitätsanteil (eigener)": eigen,
                "Qualitätsanteil abgegeben": ZERO if x.nachweis else t.qualitaet[i],
                "Qualitätsanteil aus Umverteilung": t.umverteilt[i],
                "Budget gesamt": t.sockel_f[i] + t.sockel_u[i] + eigen + t.umverteilt[i],
            }
        )
    return zeilen


def _kennzahlen(p: _P, g: Decimal, traeger: list[_T], t: _Teile) -> dict[str, Any]:
    return {
        "Gesamtbudget": g,
        "Sockelbetrag fallspezifisch": t.teil_f,
        "Sockelbetrag fallunspezifisch": t.teil_u,
        "Qualitätsgebundener Anteil": t.teil_q,
        "Umverteilter Qualitätsanteil": t.pool - t.einbehalten,
        "Beim Jugendamt einbehalten": t.einbehalten,
        "Umverteilung": p.umverteilung,
        "Träger mit Qualitätsnachweis": sum(1 for x in traeger if x.nachweis),
    }


_QUELLE_POSITION = "Gutachten §3; Spezifikation §3.1"


def berechne(eingabe: Eingabe, parameter: Parameter | None = None) -> ModelResult:
    """Budget of every Träger of the Sozialraum by the KGSt rules (see module docstring)."""
    p = _pruefe_parameter(parameter if parameter is not None else Parameter())
    pr.pruefe_typ(NAME, eingabe, Eingabe, "Eingabe fehlt oder hat den falschen Typ", field="Eingabe")
    sozialraum = eingabe.sozialraum.strip() if isinstance(eingabe.sozialraum, str) else None
    sozialraum = sozialraum or None
    g = _betrag(
        eingabe.gesamtbudget,
        item=sozialraum or "Sozialraum",
        field="Gesamtbudget",
        pfad=("eingabe", "gesamtbudget"),
    )
    traeger = _pruefe_traeger(eingabe.traeger)
    fallzahl = (
        None
        if eingabe.fallzahl is None
        else _zahl(
            eingabe.fallzahl, item=sozialraum or "Sozialraum", field="Fallzahl", pfad=("eingabe", "fallzahl")
        )
    )
    # remainder cents go by name, not by row order
    order = sorted(range(len(traeger)), key=lambda i: (traeger[i].name.casefold(), traeger[i].name))
    t = _teile(p, g, traeger, order)
    tabellen: dict[str, Any] = {"Übersicht": _uebersicht(traeger, t)}
    kennzahlen = _kennzahlen(p, g, traeger, t)
    # §3.1 rule 3: case obligation s_i × Fallzahl (fractional cases, two decimals, exact sum)
    if fallzahl is not None:
        faelle = pr.verteile(fallzahl, [x.anteil for x in traeger], order)
        tabellen["Fallverpflichtung"] = [
            {
                "Träger": x.name,
                "Anteil": x.anteil,
                "Fallverpflichtung": faelle[i],
                "Zusatzfälle": x.zusatzfaelle,
            }
            for i, x in enumerate(traeger)
        ]
        kennzahlen["Fallzahl"] = fallzahl
    # §3.1 rule 5 / spec §4: the Sockel (unconditional items) is paid in instalments
    return pr.ergebnis(
        NAME,
        TITEL,
        QUELLE,
        p,
        _positionen(p, traeger, t, sozialraum),
        _warnungen(p, traeger, t, sozialraum),
        kennzahlen,
        tabellen,
        termine=p.termine,
        gesamt=g,
        parameter=parameter if parameter is not None else Parameter(),
        eingabe=eingabe,
    )


def beispiel() -> tuple[Eingabe, Parameter]:
    """A Sozialraum with three Träger; the Diakonisches Werk has no Qualitätsnachweis."""
    eingabe = Eingabe(
        gesamtbudget=Decimal("1250000.00"),
        traeger=(
            Traeger("Caritasverband Musterstadt e.V.", Decimal("0.40"), True, Decimal(6)),
            Traeger("AWO Kreisverband Musterstadt e.V.", Decimal("0.35"), True, Decimal(4)),
            Traeger("Diakonisches Werk Musterstadt", Decimal("0.25"), False, Decimal(0)),
        ),
        fallzahl=Decimal(186),
        sozialraum="Musterstadt-Süd",
    )
    return eingabe, Parameter(jahr=2026)


# --------------------------------------------------------------------------- declaration

#: what this model means for workbook, worksheet functions, annex and README (:mod:`..spec`)
DEKLARATION = Deklaration(
    eingabe=(
        Feld("sozialraum", "Sozialraum", "text", "Name des Sozialraums"),
        Feld("gesamtbudget", "Gesamtbudget", "betrag", "Gesamtbudget der ambulanten HzE des Sozialraums"),
        Feld("fallzahl", "Fallzahl", "zahl", "Fallzahl des Sozialraums (für die Fallverpflichtung)"),
    ),
    parameter=(
        Feld(
            "anteil_fallspezifisch",
            "Anteil fallspezifisch",
            "prozent",
            "Sockelbetrag fallspezifische Arbeit",
        ),
        Feld(
            "anteil_fallunspezifisch",
            "Anteil fallunspezifisch",
            "prozent",
            "Sockelbetrag fallunspezifische Arbeit",
        ),
        Feld(
            "anteil_qualitaet",
            "Anteil qualitätsgebunden",
            "prozent",
            "nur gegen Qualitätsnachweis; die drei Anteile ergeben 100 %",
        ),
        Feld(
            "umverteilung",
            "Umverteilung",
            "text",
            "wohin der Qualitätsanteil von Trägern ohne Nachweis geht: anteilig nach den Anteilen "
            "der Träger mit Nachweis oder nach den übernommenen Zusatzfällen",
            auswahl=wahlen(("anteilig", "anteilig nach Anteilen"), ("zusatzfaelle", "nach Zusatzfällen")),
        ),
        *zahlung(termine=True),
    ),
    tabellen=(
        Tabelle(
            "Traeger",
            "Träger",
            "traeger",
            (
                Feld("name", "Träger", "text", "Name des Trägers"),
                Feld("anteil", "Anteil", "prozent", "Anteil am Budget; alle Anteile ergeben 100 %"),
                Feld("qualitaetsnachweis", "Qualitätsnachweis", "ja_nein", "Qualitätsnachweis erbracht?"),
                Feld(
                    "zusatzfaelle",
                    "Zusatzfälle",
                    "zahl",
                    "übernommene Zusatzfälle (für Umverteilung „zusatzfaelle“)",
                ),
            ),
            "Träger des Sozialraums mit Anteil und Qualitätsnachweis",
        ),
    ),
    aliase=(("Name", "Träger"),),
    kennzahlen=(
        Kennzahl("Gesamtbudget", Einheit.EURO),
        Kennzahl("Sockelbetrag fallspezifisch", Einheit.EURO),
        Kennzahl("Sockelbetrag fallunspezifisch", Einheit.EURO),
        Kennzahl("Qualitätsgebundener Anteil", Einheit.EURO),
        Kennzahl("Umverteilter Qualitätsanteil", Einheit.EURO),
        Kennzahl("Beim Jugendamt einbehalten", Einheit.EURO),
        Kennzahl("Umverteilung", Einheit.TEXT),
        Kennzahl("Träger mit Qualitätsnachweis", Einheit.ANZAHL),
        Kennzahl("Fallzahl", Einheit.ANZAHL),
    ),
    ausgaben=(
        Ausgabetabelle(
            "Übersicht",
            (
                Spalte("Träger", Einheit.TEXT),
                Spalte("Anteil", Einheit.ANTEIL),
                Spalte("Qualitätsnachweis", Einheit.TEXT),
                Spalte("Sockel fallspezifisch", Einheit.EURO),
                Spalte("Sockel fallunspezifisch", Einheit.EURO),
                Spalte("Qualitätsanteil (eigener)", Einheit.EURO),
                Spalte("Qualitätsanteil abgegeben", Einheit.EURO),
                Spalte("Qualitätsanteil aus Umverteilung", Einheit.EURO),
                Spalte("Budget gesamt", Einheit.EURO),
            ),
            traeger="Träger",
        ),
        Ausgabetabelle(
            "Fallverpflichtung",
            (
                Spalte("Träger", Einheit.TEXT),
                Spalte("Anteil", Einheit.ANTEIL),
                Spalte("Fallverpflichtung", Einheit.ANZAHL),
                Spalte("Zusatzfälle", Einheit.ANZAHL),
            ),
            traeger="Träger",
        ),
    ),
    angaben=(
        Angabe("Fallverpflichtung", "Anteil des Trägers am Gesamtbudget", "Anteil"),
        Angabe("Fallverpflichtung", "Fallverpflichtung (Fälle)", "Fallverpflichtung"),
        Angabe("Übersicht", "Qualitätsnachweis erbracht", "Qualitätsnachweis"),
        Angabe("Gesamtbudget", "Gesamtbudget des Sozialraums"),
        Angabe("Fallzahl", "Fallzahl des Sozialraums"),
    ),
    vertragstexte=(
        Vertragstext(
            "regel",
            "Das Budget gliedert sich in einen Sockelbetrag für fallspezifische Arbeit "
            "({{ p.anteil_fallspezifisch|prozent }}), einen Sockelbetrag für fallunspezifische Arbeit "
            "({{ p.anteil_fallunspezifisch|prozent }}) und einen qualitätsgebundenen Anteil "
            "({{ p.anteil_qualitaet|prozent }}). Der Sockelbetrag wird {{ w.zahlungsweise }} in Abschlägen "
            "gezahlt; der qualitätsgebundene Anteil nur gegen Nachweis der vereinbarten Qualitätsstandards. "
            "Der qualitätsgebundene Anteil eines Trägers ohne Nachweis geht leistungsbezogen "
            "({{ w.umverteilung }}) an die Träger mit Nachweis. Der Träger übernimmt die seinem Anteil "
            "entsprechende Zahl von Fällen des Sozialraums.",
            quelle="Gutachten, Abschnitt 3",
        ),
        Vertragstext(
            "ruecklage",
            "Nicht verausgabte Mittel des Sockelbetrags verbleiben bis zur Höhe von 10 % des Budgets als "
            "Rücklage beim Träger und sind im Folgejahr für Hilfen im Sozialraum zu verwenden; darüber "
            "hinausgehende Beträge werden mit dem Jugendamt abgerechnet.",
            vorschlag=True,
        ),
        Vertragstext(
            "bericht", "Nachweis der Qualitätsstandards bis zum 31. März des Haushaltsjahres.", vorschlag=True
        ),
        Vertragstext(
            "bericht",
            "Vierteljährliche Meldung der betreuten Fälle im Vergleich zur Fallverpflichtung.",
            vorschlag=True,
        ),
        Vertragstext("bericht", "Verwendungsnachweis bis zum 30. Juni des Folgejahres.", vorschlag=True),
    ),
    lesart=(
        "Qualitätsanteil ohne Nachweis geht standardmäßig anteilig an die Träger mit Nachweis; "
        "Fallverpflichtung als Anteil × Fallzahl mit zwei Nachkommastellen."
    ),
)
