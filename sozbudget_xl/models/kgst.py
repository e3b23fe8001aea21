"""KGSt report 12/1998 — pauschal Sozialraumbudget for ambulant HzE.

Source: Gutachten §3 (KGSt-Bericht 12/1998 „Kontraktmanagement zwischen öffentlichen und
freien Trägern“); domain specification §3.1.

Rules:

1. The Gesamtbudget G of the Sozialraum is split into three parts (percentages are
   parameters, their sum must be exactly 100 %): Sockelbetrag for case work
   (fallspezifisch, default 70 %), Sockelbetrag for work not tied to cases
   (fallunspezifisch, default 10 %) and the quality-bound part (qualitätsgebunden,
   default 20 %). Each split is exact to the cent (largest remainder, spec §1).
2. Every Träger i has a share s_i (the shares must add up to exactly 100 %). Its total
   s_i × G is split first (largest remainder over the Träger), then its total into its three
   parts by the percentages of rule 1 — so two Träger with equal shares get equal totals and
   equal parts (§3 „Wird dieser Grundbetrag auf mehrere Träger verteilt, muss jeder
   entsprechend seinem Anteil …“). The part totals are the sums over the Träger.
3. Case obligation (§3 „muss jeder entsprechend seinem Anteil Fallmengen bearbeiten“): Träger
   i takes on s_i × Fallzahl cases of the Sozialraum (table „Fallverpflichtung“). Option
   ``fallverpflichtung="ganze_faelle"`` (default): whole cases, split by the largest remainder
   over integers (the Fallzahl must be whole); ``"richtwert"``: a guide value with two
   decimals. Both add up to the Fallzahl.
4. The quality part is paid only against a Qualitätsnachweis. The quality parts of the
   Träger without evidence are pooled and go „leistungsbezogen auf andere im Sozialraum tätige
   Träger für die Durchführung von ambulanten Erziehungshilfen“: option
   ``umverteilung="zusatzfaelle"`` (default) pro rata to the additional cases each Träger with
   evidence has taken over; option ``"anteilig"`` pro rata to their shares.
   What no Träger earns (no Träger with evidence, or none with a positive weight) stays
   „zweckgebunden für ambulante HzE“ of the Sozialraum with the Jugendamt (Art.EINBEHALTEN,
   never a free saving) and a warning says so.
5. Payment plan: the Sockel (70 % + 10 %, Art.UNBEDINGT) is paid in instalments
   (parameter ``zahlungsweise``, default monthly in advance, spec §4). Quality parts are
   Art.BEDINGT and are not part of the instalment plan (paid once the evidence is accepted).

Remainder cents: the spec breaks ties by input order; to make the result independent of
the order in which the Träger are listed, every split is computed with the Träger sorted
by name, so on a tie the alphabetically first Träger gets the cent.

Worked example of the spec (G = 1.000.000 €, shares 50/30/20 %, evidence yes/yes/no,
redistribution pro rata to the shares):

>>> e = Eingabe(
...     gesamtbudget=Decimal("1000000"),
...     traeger=(
...         Traeger("A", Decimal("0.5"), True),
...         Traeger("B", Decimal("0.3"), True),
...         Traeger("C", Decimal("0.2"), False),
...     ),
... )
>>> r = berechne(e, Parameter(umverteilung="anteilig"))
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
from ..money import ZERO, allocate, allocate_cents
from ..parsing import ergibt_hundert_prozent
from ..spec import (
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

__all__ = [
    "BESCHREIBUNG",
    "FALLVERPFLICHTUNGEN",
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
QUELLE = "Gutachten, Abschnitt 3 (KGSt-Bericht 12/1998)"
BESCHREIBUNG = (
    "Teilt das Gesamtbudget der ambulanten Hilfen zur Erziehung eines Sozialraums in Sockelbeträge "
    "(fallspezifisch, fallunspezifisch) und einen qualitätsgebundenen Anteil auf die Träger nach ihren "
    "Anteilen auf und verteilt den Qualitätsanteil von Trägern ohne Qualitätsnachweis um."
)

#: redistribution options for the quality part of Träger without evidence (spec §3.1)
UMVERTEILUNGEN = ("zusatzfaelle", "anteilig")
#: the case obligation: whole cases (largest remainder over integers) or a guide value (2 decimals)
FALLVERPFLICHTUNGEN = ("ganze_faelle", "richtwert")
#: what happens to the quality money no Träger earns (§3)
ZWECKBINDUNG = "zweckgebunden für ambulante Hilfen zur Erziehung im Sozialraum"
#: Kennzahl: quality money no Träger earned, kept by the Jugendamt for ambulant HzE
K_ZWECKGEBUNDEN = "Zweckgebunden für ambulante HzE (beim Jugendamt)"


@dataclass(frozen=True)
class Parameter(Zahlungsparameter):
    """Negotiable numbers of the KGSt model (fractions: ``Decimal("0.70")`` = 70 %)."""

    anteil_fallspezifisch: Decimal = Decimal("0.70")
    anteil_fallunspezifisch: Decimal = Decimal("0.10")
    anteil_qualitaet: Decimal = Decimal("0.20")
    #: "zusatzfaelle" (performance-based: pro rata to the additional cases taken over by the
    #: Träger with evidence) or "anteilig" (pro rata to their shares)
    umverteilung: str = "zusatzfaelle"
    #: "ganze_faelle" (whole cases, largest remainder) or "richtwert" (guide value, 2 decimals)
    fallverpflichtung: str = "ganze_faelle"


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
    fallverpflichtung: str
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
    if not ergibt_hundert_prozent(sum(teile, Decimal(0))):
        raise _fehler(
            "Sockel- und Qualitätsanteile ergeben nicht 100 %",
            item="Parameter",
            field="Anteil fallspezifisch/fallunspezifisch/qualitätsgebunden",
            expected="100 %",
            found=_fmt_prozent(sum(teile, Decimal(0)), 2),
            pfad=("parameter", "anteil_fallspezifisch"),
        )
    pr.wahl(NAME, parameter, "umverteilung", UMVERTEILUNGEN, "Umverteilung", field="Umverteilung")
    pr.wahl(
        NAME,
        parameter,
        "fallverpflichtung",
        FALLVERPFLICHTUNGEN,
        "Fallverpflichtung",
        field="Fallverpflichtung",
    )
    termine = pr.zahlung(NAME, parameter)  # checks year, rhythm, dates and Bundesland first
    return _P(
        teile,
        parameter.umverteilung,
        parameter.fallverpflichtung,
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
        pr.doppelt(NAME, name, seen, was="Träger", pfad=("traeger", i, "name"))
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
    if not ergibt_hundert_prozent(summe):  # =1/3 three times is 100 % (issue 14)
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
    „leistungsbezogen“ to the Träger with evidence (what nobody earns stays zweckgebunden)."""
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
    """§3.1 rules 1, 2 and 4: G → each Träger's total s_i × G (largest remainder over the
    Träger), each total → its Sockel fallspezifisch / fallunspezifisch / qualitätsgebunden (so
    equal shares give equal totals and equal parts), and the redistribution of the quality parts."""
    summen = pr.verteile(g, [t.anteil for t in traeger], order)
    teile_von: dict[Decimal, list[Decimal]] = {}  # equal totals split alike: compute each once
    je_traeger = [teile_von.get(s) or teile_von.setdefault(s, allocate(s, p.teile)) for s in summen]
    sockel_f = [x[0] for x in je_traeger]
    sockel_u = [x[1] for x in je_traeger]
    qualitaet = [x[2] for x in je_traeger]
    umverteilt, pool, einbehalten, grundlage = _umverteilung(p, traeger, qualitaet, order)
    return _Teile(
        sum(sockel_f, ZERO),
        sum(sockel_u, ZERO),
        sum(qualitaet, ZERO),
        sockel_f,
        sockel_u,
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
    # each distinct amount formatted once (equal shares give equal parts; the text of an amount
    # depends on its value only): hundreds of Träger without evidence, a few distinct amounts
    texte: dict[Decimal, str] = {}

    def betrag_text(x: Decimal) -> str:
        text = texte.get(x)
        if text is None:
            text = texte[x] = _fmt_betrag(x)
        return text

    if t.einbehalten > 0:
        if len(ohne) == len(traeger):
            grund = "kein Träger hat einen Qualitätsnachweis erbracht"
        elif p.umverteilung == "zusatzfaelle":
            grund = "kein Träger mit Qualitätsnachweis hat Zusatzfälle übernommen"
        else:
            grund = "die Träger mit Qualitätsnachweis haben zusammen einen Anteil von 0 %"
        warnungen.append(
            Warnung(
                f"Qualitätsgebundener Anteil von {_fmt_betrag(t.pool)} bleibt {ZWECKBINDUNG} beim "
                f"Jugendamt: {grund}.",
                code="qualitaet_einbehalten",
                sozialraum=sozialraum,
            )
        )
    for i in ohne:
        if t.qualitaet[i] > 0:
            ziel = "wird umverteilt" if t.einbehalten == 0 else f"bleibt {ZWECKBINDUNG} beim Jugendamt"
            warnungen.append(
                Warnung(
                    f"{traeger[i].name} hat keinen Qualitätsnachweis erbracht: qualitätsgebundener Anteil "
                    f"von {betrag_text(t.qualitaet[i])} {ziel}.",
                    code="kein_qualitaetsnachweis",
                    traeger=traeger[i].name,
                    sozialraum=sozialraum,
                )
            )
    return warnungen


def _positionen_traeger(
    titel: tuple[str, str, str], x: _T, i: int, t: _Teile, sr: str | None, namen_ohne: str
) -> list[LineItem]:
    """The line items of one Träger: both Sockel parts, its own and the redistributed quality part
    (``titel``: the three position names with their percentages, formatted once)."""
    q = _QUELLE_POSITION
    out = [
        LineItem(titel[0], t.sockel_f[i], Art.UNBEDINGT, x.name, sr, quelle=q),
        LineItem(titel[1], t.sockel_u[i], Art.UNBEDINGT, x.name, sr, quelle=q),
    ]
    if not x.nachweis:
        return out
    out.append(
        LineItem(
            titel[2],
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


#: up to this many Träger without evidence are named in a redistribution row; more are counted
#: and referenced to the table „Übersicht“ (a row's text stays short for any number of Träger)
_NAMEN_HOECHSTENS = 3


def _herkunft(traeger: list[_T], ohne: list[int]) -> str:
    """Whose quality parts were redistributed: their names, or for many a count and the table."""
    if len(ohne) <= _NAMEN_HOECHSTENS:
        return ", ".join(traeger[i].name for i in ohne)
    return f"{len(ohne)} Träger, siehe Tabelle „Übersicht“, Spalte „Qualitätsanteil abgegeben“"


def _positionen(p: _P, traeger: list[_T], t: _Teile, sozialraum: str | None) -> list[LineItem]:
    """All line items: per Träger, then the quality parts no Träger earned (zweckgebunden)."""
    ohne = [i for i, x in enumerate(traeger) if not x.nachweis]
    namen_ohne = _herkunft(traeger, ohne)
    titel = (
        f"Sockelbetrag fallspezifische Arbeit ({_pz(p.teile[0])})",
        f"Sockelbetrag fallunspezifische Arbeit ({_pz(p.teile[1])})",
        f"Qualitätsgebundener Anteil ({_pz(p.teile[2])})",
    )
    positionen: list[LineItem] = []
    for i, x in enumerate(traeger):
        positionen += _positionen_traeger(titel, x, i, t, sozialraum, namen_ohne)
    if t.einbehalten > 0:
        for i in ohne:
            if t.qualitaet[i] > 0:
                positionen.append(
                    LineItem(
                        f"Qualitätsgebundener Anteil von {traeger[i].name} – {ZWECKBINDUNG}, beim "
                        "Jugendamt (kein Träger mit Qualitätsnachweis hat ihn leistungsbezogen erhalten)",
                        t.qualitaet[i],
                        Art.EINBEHALTEN,
                        None,
                        sozialraum,
                        bedingung=f"{ZWECKBINDUNG[0].upper()}{ZWECKBINDUNG[1:]}; keine freie Einsparung",
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
        K_ZWECKGEBUNDEN: t.einbehalten,
        "Umverteilung": p.umverteilung,
        "Träger mit Qualitätsnachweis": sum(1 for x in traeger if x.nachweis),
    }


_QUELLE_POSITION = "Gutachten, Abschnitt 3"


def _pruefe_fallzahl(p: _P, eingabe: Eingabe, sozialraum: str | None) -> Decimal | None:
    """The Fallzahl (optional); whole with ``fallverpflichtung="ganze_faelle"``."""
    if eingabe.fallzahl is None:
        return None
    item = sozialraum or "Sozialraum"
    fallzahl = _zahl(eingabe.fallzahl, item=item, field="Fallzahl", pfad=("eingabe", "fallzahl"))
    if p.fallverpflichtung == "ganze_faelle" and fallzahl != fallzahl.to_integral_value():
        raise _fehler(
            "Fallzahl ist keine ganze Zahl: die Fallverpflichtung wird in ganzen Fällen verteilt",
            item=item,
            field="Fallzahl",
            expected="eine ganze Zahl von Fällen (oder Fallverpflichtung „Richtwert“)",
            found=pr.gefunden(eingabe.fallzahl),
            pfad=("eingabe", "fallzahl"),
        )
    return fallzahl


def _fallverpflichtung(p: _P, traeger: list[_T], fallzahl: Decimal, order: list[int]) -> list[dict[str, Any]]:
    """§3.1 rule 3: s_i × Fallzahl per Träger — whole cases by the largest remainder over
    integers (ties: larger share, then name), or a guide value with two decimals."""
    anteile = [x.anteil for x in traeger]
    if p.fallverpflichtung == "ganze_faelle":
        ganz = allocate_cents(int(fallzahl), [anteile[i] for i in order])
        faelle = [Decimal(0)] * len(traeger)
        for i, n in zip(order, ganz):
            faelle[i] = Decimal(int(n))
    else:
        faelle = pr.verteile(fallzahl, anteile, order)
    return [
        {
            "Träger": x.name,
            "Anteil": x.anteil,
            "Fallverpflichtung": faelle[i],
            "Rechnerisch (Anteil × Fallzahl)": x.anteil * fallzahl,
            "Zusatzfälle": x.zusatzfaelle,
        }
        for i, x in enumerate(traeger)
    ]


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
    fallzahl = _pruefe_fallzahl(p, eingabe, sozialraum)
    # remainder cents go by name, not by row order
    order = sorted(range(len(traeger)), key=lambda i: (traeger[i].name.casefold(), traeger[i].name))
    t = _teile(p, g, traeger, order)
    tabellen: dict[str, Any] = {"Übersicht": _uebersicht(traeger, t)}
    kennzahlen = _kennzahlen(p, g, traeger, t)
    # §3.1 rule 3: case obligation s_i × Fallzahl (whole cases or a guide value, exact sum)
    if fallzahl is not None:
        tabellen["Fallverpflichtung"] = _fallverpflichtung(p, traeger, fallzahl, order)
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
    # the plan agreed before the year: every Träger's quality share open, nothing redistributed
    plan=(
        Planwert(
            "traeger.qualitaetsnachweis",
            True,
            hilfe="Der Qualitätsnachweis ist vor dem Jahr offen: der Plan zeigt jeden qualitätsgebundenen "
            "Anteil als bedingt, ohne Umverteilung.",
        ),
    ),
    vertraege=Vertragsbildung(
        parteien="jeder Träger ambulanter Hilfen zur Erziehung im Sozialraum",
        # redistributed after the year (a Träger without evidence): a fact of the settlement
        nur_abrechnung="pos.position == 'Qualitätsgebundener Anteil aus Umverteilung'",
    ),
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
            "wohin der Qualitätsanteil von Trägern ohne Nachweis geht: an Träger mit Nachweis nach "
            "ihren Zusatzfällen oder nach ihren Anteilen (siehe Anleitung, Lesarten)",
            auswahl=wahlen(("zusatzfaelle", "nach Zusatzfällen"), ("anteilig", "anteilig nach Anteilen")),
        ),
        Feld(
            "fallverpflichtung",
            "Fallverpflichtung",
            "text",
            "Fälle des Sozialraums nach den Anteilen: ganze Fälle nach größten Resten (Fallzahl ganz) "
            "oder Richtwert mit zwei Nachkommastellen",
            auswahl=wahlen(("ganze_faelle", "ganze Fälle"), ("richtwert", "Richtwert")),
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
        Kennzahl(K_ZWECKGEBUNDEN, Einheit.EURO),
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
                Spalte("Rechnerisch (Anteil × Fallzahl)", Einheit.ANZAHL),
                Spalte("Zusatzfälle", Einheit.ANZAHL),
            ),
            traeger="Träger",
        ),
    ),
    angaben=(
        Angabe("Fallverpflichtung", "Anteil des Trägers am Gesamtbudget", "Anteil"),
        Angabe("Fallverpflichtung", "Fallverpflichtung (Fälle)", "Fallverpflichtung"),
        Angabe("Übersicht", "Qualitätsnachweis erbracht", "Qualitätsnachweis", abrechnung=True),
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
            "({{ w.umverteilung }}) an andere im Sozialraum tätige Träger mit Nachweis für die "
            "Durchführung von ambulanten Erziehungshilfen; was kein Träger erhält, bleibt zweckgebunden "
            "für ambulante Hilfen zur Erziehung im Sozialraum. Der Träger übernimmt die seinem Anteil "
            'entsprechende Zahl von Fällen des Sozialraums{% if p.fallverpflichtung == "richtwert" %} '
            "(Richtwert){% else %} in ganzen Fällen{% endif %}.",
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
        "Jeder Träger erhält zuerst seinen Anteil am Gesamtbudget, der dann in 70 % fallspezifisch, "
        "10 % fallunspezifisch und 20 % qualitätsgebunden geteilt wird (gleiche Anteile, gleiche "
        "Beträge); der Qualitätsanteil ohne Nachweis geht standardmäßig „leistungsbezogen“ nach "
        "übernommenen Zusatzfällen an Träger mit Nachweis (wahlweise anteilig), was kein Träger "
        "erhält, bleibt zweckgebunden für ambulante HzE; die Fallverpflichtung wird in ganzen Fällen "
        "nach größten Resten verteilt (wahlweise als Richtwert)."
    ),
    lesarten=(
        Lesart(
            "anteil_fallspezifisch",
            "„ein auszuhandelnder Anteil (z.B. 70%)“ als garantierter Sockelbetrag; „Weitere 10%“ für "
            "fallunspezifische Tätigkeiten, „Die verbleibenden 20%“ qualitätsgebunden – die Beispielzahlen "
            "des Gutachtens sind die Standardwerte, die drei Anteile ergeben 100 %.",
        ),
        Lesart(
            "umverteilung",
            "Die 20 % gehen ohne Qualitätsnachweis „leistungsbezogen auf andere im Sozialraum tätige "
            "Träger für die Durchführung von ambulanten Erziehungshilfen“: „leistungsbezogen“ heißt nach "
            "den Zusatzfällen, die ein Träger mit Nachweis übernommen hat; „anteilig nach Anteilen“ "
            "verteilt nach den Anteilen der Träger mit Nachweis (so rechnet das durchgerechnete Beispiel "
            "der Fachvorgabe: 1.000.000 €, 50/30/20 %, C ohne Nachweis → 525.000 / 315.000 / 160.000 €). "
            "Was kein Träger erhält, bleibt zweckgebunden für ambulante HzE beim Jugendamt.",
        ),
        Lesart(
            "fallverpflichtung",
            "„muss jeder entsprechend seinem Anteil Fallmengen bearbeiten“: Fälle sind ganze Fälle, "
            "verteilt nach größten Resten; „Richtwert“ zeigt Anteil × Fallzahl mit zwei "
            "Nachkommastellen.",
        ),
    ),
)
