"""Adapter: a :class:`~.situation.Situation` from a workbook (reads files; no arithmetic).

Supported models: ``dreisaeulen`` (Säule 3: Quartiersbudgets by an indicator key) and
``celle`` (budget frame across the Sozialräume, optionally moved toward the indicator key).
The workbook is read and computed by :func:`sozbudget_xl.workbook.recalc.berechne_mappe`
(nothing is written); the situation's budget is checked against the model's own result to
the cent, so every analysis starts from the numbers the workbook shows.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import SozbudgetError
from ..money import from_cents
from .situation import (
    Situation,
    Uebergangsregel,
    budget_cents,
    budget_euro,
    situation_aus_tabelle,
    traeger_cents,
    traeger_namen,
)

__all__ = [
    "MODELLE",
    "VORJAHRESMAPPE",
    "analyseblaetter",
    "situation_aus_berechnung",
    "situation_aus_mappe",
    "szenarienblatt",
    "veraenderungsblatt",
]

#: models whose budget per area follows an indicator key
MODELLE = ("dreisaeulen", "celle")
#: the Parameter row naming the predecessor workbook (→ sheet „Veränderung“ on recalc)
VORJAHRESMAPPE = "Vorjahresmappe"
#: the Träger of a Quartier budget not (validly) awarded
NICHT_VERGEBEN = "(nicht vergeben)"
BLATT = "Veränderung"


def _zeilen(tabelle: Any) -> list[dict[str, Any]]:
    return [dict(r) for r in (tabelle or ())]


def situation_aus_mappe(pfad: str | Path) -> Situation:
    """Read a workbook and return its indicator-based budget as a situation (German errors)."""
    from ..workbook.recalc import berechne_mappe

    pfad = Path(pfad)
    if not pfad.exists():
        raise SozbudgetError(f"die Datei „{pfad}“ gibt es nicht")
    return situation_aus_berechnung(berechne_mappe(pfad))


def _traeger_dreisaeulen(rows: list[dict[str, Any]]) -> dict[str, dict[str, Decimal]]:
    """Quartier → its Budgetträger (share 1); an open award goes to „(nicht vergeben)“."""
    out: dict[str, dict[str, Decimal]] = {}
    for r in rows:
        t = r.get("Budgetträger") if str(r.get("vergeben", "")).strip().lower() == "ja" else None
        out[r["Quartier"]] = {str(t).strip() if t else NICHT_VERGEBEN: Decimal(1)}
    return out


def _traeger_celle(rows: list[dict[str, Any]]) -> dict[str, dict[str, Decimal]]:
    """Sozialraum → Träger → share of the matrix (table „Zuordnung“ of the result)."""
    out: dict[str, dict[str, Decimal]] = {}
    for r in rows:
        out.setdefault(r["Sozialraum"], {})[r["Träger"]] = Decimal(str(r["Anteil"]))
    return out


def situation_aus_berechnung(b: Any) -> Situation:
    """The situation of a computed workbook (:class:`~sozbudget_xl.workbook.recalc.Berechnung`),
    with the split of the areas among the Träger as the model made it."""
    pfad = Path(b.pfad)
    name = b.modul.NAME
    e, p = b.eingabe, b.parameter
    if name == "dreisaeulen":
        if not e.quartiere:
            raise SozbudgetError(f"„{pfad.name}“: keine Quartiere – nichts nach Indikatoren verteilt")
        regionen = [
            {**{str(k): v for k, v in dict(q.daten).items()}, "Quartier": q.name.strip()} for q in e.quartiere
        ]
        sit = situation_aus_tabelle(
            regionen,
            tuple(e.indikatoren),
            e.quartiersbudget,
            id_spalte="Quartier",
            zielgruppe=p.zielgruppe or "Jugendeinwohner",
            methode=p.index_methode,
            schluessel=p.index_schluessel,
            bezeichnung=pfad.name,
        )
        qb = _zeilen(b.ergebnis.tabellen.get("Quartiersbudgets"))
        modell = {r["Quartier"]: r["Quartiersbudget"] for r in qb}
        sit = sit.mit(traeger=_traeger_dreisaeulen(qb))
    elif name == "celle":
        rows = _zeilen(b.ergebnis.tabellen.get("Sozialraumbudgets"))
        anteile = {r["Sozialraum"]: Decimal(str(r["Anteil"])) for r in rows}
        regionen = [
            {**{str(k): v for k, v in dict(sr.daten).items()}, "Sozialraum": sr.name.strip()}
            for sr in e.sozialraeume
        ]
        ids = sorted(anteile)
        # the adjustment is off, or suspended while the Träger shares are fixed (§5.5)
        ausgesetzt = any(w.code == "anpassung_ausgesetzt" for w in b.ergebnis.warnungen)
        anpassung = bool(p.indikator_anpassung) and not ausgesetzt
        regel = Uebergangsregel(
            tuple(anteile[i] for i in ids),
            jahre=p.uebergang_jahre,
            # without the indicator adjustment the budget is the status quo: year 0
            schritt=p.uebergang_schritt if anpassung else 0,
            kappung=p.kappung,
            skaliert=True,
        )
        if not e.indikatoren and not any(p.zielgruppe in r for r in regionen):
            raise SozbudgetError(
                f"„{pfad.name}“: keine Indikatoren und keine Spalte „{p.zielgruppe}“ – "
                "kein Indikatorschlüssel"
            )
        sit = situation_aus_tabelle(
            regionen,
            tuple(e.indikatoren),
            e.vorjahresrechnungsergebnis,
            zielgruppe=p.zielgruppe,
            methode=p.index_methode,
            schluessel=p.index_schluessel,
            uebergang=regel,
            fonds=p.fonds if anpassung else None,
            bezeichnung=pfad.name,
        )
        modell = {r["Sozialraum"]: r["Budget"] for r in rows}
        sit = sit.mit(traeger=_traeger_celle(_zeilen(b.ergebnis.tabellen.get("Zuordnung"))))
    else:
        raise SozbudgetError(
            f"„{pfad.name}“ ist eine Mappe des Modells „{name}“; die Analyse braucht ein Modell mit "
            f"Indikatorschlüssel: {', '.join(MODELLE)}"
        )
    eigen = budget_euro(sit)
    abweichend = [s for s in sit.ids if modell.get(s) != eigen[s]]
    if abweichend:  # pragma: no cover - a guard: the analysis must start from the model's numbers
        s = abweichend[0]
        raise SozbudgetError(
            f"„{pfad.name}“: die Analyse weicht vom Modellergebnis ab (Sozialraum „{s}“: "
            f"{eigen[s]} statt {modell.get(s)}) – bitte melden",
        )
    tb = {r["Träger"]: r["Budget"] for r in _zeilen(b.ergebnis.tabellen.get("Trägerbudgets"))}
    namen = traeger_namen(sit)
    je_traeger = dict(zip(namen, (from_cents(int(c)) for c in traeger_cents(sit, budget_cents(sit), namen))))
    if tb and tb != je_traeger:  # pragma: no cover - the same guard for the Träger split
        raise SozbudgetError(f"„{pfad.name}“: Aufteilung auf die Träger weicht vom Modell ab – bitte melden")
    return sit


def _vorjahr_pfad(b: Any) -> tuple[Path, str, dict[str, Any]] | None:
    """(path, text, location) of the predecessor named in the Parameter row „Vorjahresmappe“."""
    werte = {str(k).strip().casefold(): v for k, v in b.mappen_parameter.items()}
    wert = werte.get(VORJAHRESMAPPE.casefold())
    if wert is None or not str(wert).strip():
        return None
    ort_f = getattr(b.mappe, "ort", None)
    ort = ort_f("Parameter", None, VORJAHRESMAPPE) if callable(ort_f) else None
    lage = {"sheet": ort[0], "cell": ort[1]} if ort else {"sheet": "Parameter"}
    text = str(wert).strip()
    pfad = Path(text).expanduser()
    if not pfad.is_absolute():
        pfad = Path(b.pfad).parent / pfad  # relative to the workbook's folder
    return pfad, text, lage


def veraenderungsblatt(b: Any) -> dict[str, Any]:
    """The sheet „Veränderung“ for a computed workbook whose Parameter row „Vorjahresmappe“
    names its predecessor (path relative to the workbook's folder): the change of every
    Sozialraum and Träger split into the contributions of the factors (:func:`~.zerlegung.
    zerlege`). ``{}`` without that row. Errors name the Parameter cell; nothing is written then."""
    angabe = _vorjahr_pfad(b)
    if angabe is None:
        return {}
    from .zerlegung import zerlege

    pfad, text, lage = angabe
    try:
        if pfad.suffix.lower() not in (".xlsx", ".xlsm"):
            raise SozbudgetError(
                f"„{VORJAHRESMAPPE}“ muss eine Arbeitsmappe (.xlsx, .xlsm) nennen", found=text
            )
        if not pfad.is_file():
            raise SozbudgetError(f"die Vorjahresmappe „{text}“ gibt es nicht (gesucht: {pfad})")
        if pfad.resolve() == Path(b.pfad).resolve():
            raise SozbudgetError("die Vorjahresmappe ist diese Mappe selbst", found=text)
        alt = situation_aus_mappe(pfad)
        z = zerlege(alt, situation_aus_berechnung(b))
    except SozbudgetError as exc:
        raise SozbudgetError(f"Vorjahresmappe „{text}“: {exc}").with_location(**lage) from exc
    from .blatt import veraenderung_zeilen

    return {BLATT: veraenderung_zeilen(z, vorjahr=pfad.name)}


#: Parameter rows „Szenario 1“, „Szenario 2“, … (any title starting with „Szenario“) list variants
SZENARIO = "Szenario"
EIGENE = "Mappe"


def szenarienblatt(b: Any) -> dict[str, Any]:
    """The sheet „Szenarien“ for a computed workbook whose Parameter sheet lists variants in rows
    „Szenario …“ (value „z-Wert: methode=z, sd=stichprobe“, the syntax of ``sozbudget szenarien
    --variante``; without „Name:“ the row title names it): the budget per Sozialraum under the
    workbook's own choice („Mappe“) and under each variant, with the differences. ``{}`` without
    such rows; an invalid variant names its Parameter cell."""
    from .szenarien import Variante, lies_variante, vergleiche_szenarien

    zeilen = [
        (str(k).strip(), str(v).strip())
        for k, v in b.mappen_parameter.items()
        if str(k).strip().casefold().startswith(SZENARIO.casefold()) and v is not None and str(v).strip()
    ]
    if not zeilen:
        return {}
    varianten = [Variante(EIGENE)]
    sit = situation_aus_berechnung(b)
    for titel, text in zeilen:
        try:
            v = lies_variante(text if ":" in text else f"{titel}: {text}")
            v.anwenden(sit)  # an unknown indicator or method is an error of this row
        except SozbudgetError as exc:
            ort_f = getattr(b.mappe, "ort", None)
            ort = ort_f("Parameter", None, titel) if callable(ort_f) else None
            lage = {"sheet": ort[0], "cell": ort[1]} if ort else {"sheet": "Parameter"}
            raise exc.with_location(**lage) from None  # the message names the variant (row title)
        varianten.append(v)
    from .blatt import szenarien_zeilen

    return {"Szenarien": szenarien_zeilen(vergleiche_szenarien(sit, varianten))}


def analyseblaetter(b: Any) -> dict[str, Any]:
    """The analysis sheets recalc adds: „Veränderung“ (Parameter „Vorjahresmappe“) and
    „Szenarien“ (Parameter rows „Szenario …“); ``{}`` when the workbook asks for neither."""
    return {**veraenderungsblatt(b), **szenarienblatt(b)}
