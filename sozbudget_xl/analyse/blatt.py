"""Rows of the analysis sheets „Veränderung“ and „Szenarien“ (plain lists, amounts as floats).

Used by the recalculation (sheet „Veränderung“ when a workbook names its predecessor), by the
worksheet functions ``SRB_VERAENDERUNG`` and ``SRB_SZENARIEN`` and by the result workbooks of
the commands. :func:`veraenderung_zeilen` returns a :class:`~sozbudget_xl.workbook.schema.Blatt`
(number formats, header and total rows) for the workbook writer. No arithmetic: every amount
comes from :mod:`.zerlegung` / :mod:`.szenarien` as an exact Decimal.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..einheiten import Einheit
from .szenarien import Szenarienvergleich
from .zerlegung import Zerlegung

__all__ = ["szenarien_tabelle", "szenarien_zeilen", "veraenderung_tabelle", "veraenderung_zeilen"]

ERKLAERUNG = (
    "So gerechnet: Jede Kombination „dieser Faktor schon neu, jener noch wie im Vorjahr“ wird "
    "centgenau berechnet; der Beitrag eines Faktors ist sein Mittel über alle Reihenfolgen "
    "(Shapley-Wert). Die Beiträge eines Sozialraums ergeben genau seine Veränderung."
)


def _aktiv(z: Zerlegung) -> list[str]:
    """The factors that contribute anything (in some row, areas or Träger)."""
    zeilen = [z.beitraege[s] for s in z.ids]
    if z.traeger is not None:
        zeilen += [z.traeger.beitraege[t] for t in z.traeger.ids]
    return [f for f in z.faktoren if any(b[f] != 0 for b in zeilen)]


def veraenderung_tabelle(
    z: Zerlegung, *, alt: str = "Budget ALT", neu: str = "Budget NEU", saetze: bool = True
) -> list[list[Any]]:
    """Header and one row per area (then the total, then the Träger block when there is one):
    area, ALT, NEU, Veränderung, one column per contributing factor[, Erklärung]."""
    aktiv = _aktiv(z)

    def block(zl: Zerlegung) -> list[list[Any]]:
        kopf = [zl.art, alt, neu, "Veränderung", *(zl.bezeichnungen[f] for f in aktiv)]
        rows: list[list[Any]] = [kopf + (["Erklärung"] if saetze else [])]
        for s in zl.ids:
            r = [s, zl.alt[s], zl.neu[s], zl.veraenderung(s), *(zl.beitraege[s][f] for f in aktiv)]
            rows.append(r + ([zl.saetze[s]] if saetze else []))
        summe = zl.summe_je_faktor()
        a, n = sum(zl.alt.values(), Decimal("0.00")), sum(zl.neu.values(), Decimal("0.00"))
        rows.append(["Summe", a, n, n - a, *(summe[f] for f in aktiv)] + ([""] if saetze else []))
        return rows

    out = block(z)
    if z.traeger is not None:
        out += [[], *block(z.traeger)]
    return out


def veraenderung_zeilen(z: Zerlegung, *, vorjahr: str = "") -> Any:
    """The sheet „Veränderung“ written by the recalculation (a ``schema.Blatt``)."""
    from ..workbook.schema import Blatt

    blatt = Blatt()
    titel = "Warum ändert sich das Budget?"
    if vorjahr:
        titel += f" Vergleich mit der Vorjahresmappe „{vorjahr}“"
    blatt.zeile([titel], art="titel")
    blatt.zeile([])
    for r in veraenderung_tabelle(z, alt="Budget Vorjahr", neu="Budget jetzt"):
        if not r:
            blatt.zeile([])
            continue
        art = "kopf" if r[1] == "Budget Vorjahr" else "summe" if r[0] == "Summe" else None
        einheiten = [None, *([Einheit.EURO] * (len(r) - 2)), None]
        blatt.zeile([float(v) if isinstance(v, Decimal) else v for v in r], einheiten, art=art)
    blatt.zeile([])
    blatt.zeile([ERKLAERUNG], art="titel")
    return blatt.gestalte()


def szenarien_tabelle(v: Szenarienvergleich, *, beschreibungen: bool = False) -> list[list[Any]]:
    """Header and one row per area: the budget of every variant, then the differences to the
    reference variant; a „Summe“ row; optionally the variants' descriptions below."""
    andere = [n for n in v.varianten if n != v.referenz]
    kopf = ["Sozialraum", *v.varianten, *(f"{n} − {v.referenz}" for n in andere)]
    rows: list[list[Any]] = [kopf]
    for s in v.ids:
        rows.append([s, *(v.budgets[n][s] for n in v.varianten), *(v.differenz[n][s] for n in andere)])
    rows.append(
        [
            "Summe",
            *(sum(v.budgets[n].values(), Decimal("0.00")) for n in v.varianten),
            *(sum(v.differenz[n].values(), Decimal("0.00")) for n in andere),
        ]
    )
    if beschreibungen:
        rows.append([])
        rows += [[f"{n}: {v.beschreibungen[n]}"] for n in v.varianten]
    return rows


def szenarien_zeilen(v: Szenarienvergleich) -> Any:
    """The sheet „Szenarien“ written by the recalculation (a ``schema.Blatt``)."""
    from ..workbook.schema import Blatt

    blatt = Blatt()
    blatt.zeile([f"Szenarien: Budget je Sozialraum und Variante, Differenzen zu „{v.referenz}“"], art="titel")
    blatt.zeile([])
    for r in szenarien_tabelle(v, beschreibungen=True):
        if not r:
            blatt.zeile([])
            continue
        art = "kopf" if r[0] == "Sozialraum" else "summe" if r[0] == "Summe" else None
        einheiten = [None, *([Einheit.EURO] * (len(r) - 1))]
        blatt.zeile([float(x) if isinstance(x, Decimal) else x for x in r], einheiten, art=art)
    return blatt.gestalte()
