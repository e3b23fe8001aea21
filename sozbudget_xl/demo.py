"""The demo report: a worked indicator and allocation example as German text tables.

Calls the core only; :func:`bericht` returns the text, the CLI prints and saves it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import beispieldaten as bsp
from .formats import betrag, zahl
from .indicators import bewerte, budgets_aus_gewichten, fuenf_indikatoren, schluessel_gewichte
from .transition import uebergang


def textabelle(kopf: Sequence[str], zeilen: Sequence[Sequence[Any]], rechts: set[int] | None = None) -> str:
    """A plain text table; columns in ``rechts`` (default: all but the first) are right-aligned."""
    rechts = set(range(1, len(kopf))) if rechts is None else rechts
    cells = [list(map(str, kopf))] + [[str(c) for c in z] for z in zeilen]
    widths = [max(len(r[i]) for r in cells) for i in range(len(kopf))]

    def line(r: list[str]) -> str:
        return "  ".join(c.rjust(w) if i in rechts else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths)))

    sep = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), sep, *(line(r) for r in cells[1:])])


def _plain(text: str) -> str:
    """No-break spaces from Babel become plain spaces in the terminal table."""
    return text.replace("\xa0", " ")


def bericht() -> str:
    """The demo text: five-indicator scores, budget by Jugendeinwohnerwert, 3-year transition."""
    regionen = bsp.SOZIALRAEUME
    inds = fuenf_indikatoren()
    teile: list[str] = []

    b = bewerte(regionen, inds)
    teile.append("1. Fünf-Indikatoren-System (Standard-Punktzahl-Verfahren, 0 bis 100)")
    kurz = ["Dichte", "HLU", "Arbeitslose", "HzE", "amb. HzE"]
    zeilen = [
        [r, *(zahl(b.standardwerte[i.name][k], 1) for i in inds), zahl(b.index[k], 1)]
        for k, r in enumerate(b.ids)
    ]
    teile.append(textabelle(["Sozialraum", *kurz, "Index"], zeilen))

    teile.append(
        f"\n2. Budget {_plain(betrag(bsp.GESAMTBUDGET))} nach Jugendeinwohnerwert "
        "JEW = Jugendeinwohner · (1 + Index/100)"
    )
    ids, gewichte, _ = schluessel_gewichte(regionen, inds, zielgruppe="Jugendeinwohner")
    budgets = budgets_aus_gewichten(bsp.GESAMTBUDGET, ids, gewichte)
    summe_gewichte = float(gewichte.sum())
    zeilen = [
        [r, zahl(g, 1), zahl(100 * g / summe_gewichte, 2) + " %", _plain(betrag(budgets[r]))]
        for r, g in zip(ids, gewichte)
    ]
    zeilen.append(["Summe", zahl(summe_gewichte, 1), "100,00 %", _plain(betrag(sum(budgets.values())))])
    teile.append(textabelle(["Sozialraum", "JEW", "Anteil", "Budget"], zeilen))

    u = uebergang(bsp.STATUS_QUO, dict(zip(ids, gewichte)), jahre=3, kappung="0.05")
    teile.append("\n3. Übergang vom Status quo in 3 Jahren, Kappungsgrenze 5 % je Jahr")
    zeilen = [
        [
            r,
            _plain(betrag(u.status_quo[r])),
            *(_plain(betrag(u.budget(t)[r])) for t in (1, 2, 3)),
            _plain(betrag(u.ziel[r])),
        ]
        for r in u.regionen
    ]
    zeilen.append(
        [
            "Summe",
            *(_plain(betrag(sum(u.budget(t).values()))) for t in (0, 1, 2, 3)),
            _plain(betrag(sum(u.ziel.values()))),
        ]
    )
    teile.append(textabelle(["Sozialraum", "Status quo", "Jahr 1", "Jahr 2", "Jahr 3", "Ziel"], zeilen))
    for w in (*b.warnungen, *u.warnungen):
        teile.append(f"Hinweis: {w.text}")
    return "\n".join(teile) + "\n"
