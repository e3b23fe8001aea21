"""Multi-year view (issue 16): ``sozbudget verlauf A.xlsx B.xlsx C.xlsx --ziel VERLAUF.xlsx``.

One row per year and Träger with budget (Jahres-Soll), Ist (to the reporting month), the
year-end Ist or forecast and the reserves and funds at year end; a summary per year and a column
chart of budget, Ist and reserves over the years. The workbooks are only read; the summary is
a new workbook (an existing file of that name is never replaced).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import SozbudgetError
from ..money import ZERO

__all__ = ["Jahreszeile", "schreibe_verlauf", "verlauf", "verlauf_aus_mappen"]


@dataclass(frozen=True)
class Jahreszeile:
    """Budget, Ist and reserves of one Träger in one year."""

    jahr: int
    traeger: str
    budget: Decimal
    ist: Decimal
    jahres_ist: Decimal
    ruecklage: Decimal
    stand: int
    datei: str = ""


def verlauf(jahre: Iterable[tuple[str, Any, Any]]) -> list[Jahreszeile]:
    """Rows from (file name, :class:`~.sollist.SollIstStand`, :class:`~.abschluss.Abschluss`) per
    year, sorted by year; a year given twice is an error."""
    from .abschluss import jahres_ist

    out: list[Jahreszeile] = []
    gesehen: dict[int, str] = {}
    for datei, stand, abschluss in sorted(jahre, key=lambda t: t[1].jahr):
        if stand.jahr in gesehen:
            raise SozbudgetError(
                f"das Jahr {stand.jahr} kommt zweimal vor: „{gesehen[stand.jahr]}“ und „{datei}“"
            )
        gesehen[stand.jahr] = datei
        jist = jahres_ist(stand)
        je: dict[str, list[Decimal]] = {}
        for z in stand.zeilen:
            acc = je.setdefault(z.traeger or "Jugendamt / ohne Zuordnung", [ZERO, ZERO, ZERO, ZERO])
            acc[0] += z.jahres_soll
            acc[1] += z.ist_bis
            acc[2] += jist[(z.traeger, z.sozialraum)]
        for k in abschluss.konten:
            je.setdefault(k.traeger, [ZERO, ZERO, ZERO, ZERO])[3] += k.ende
        for t, (budget, ist, jahresist, ruecklage) in je.items():
            out.append(Jahreszeile(stand.jahr, t, budget, ist, jahresist, ruecklage, stand.stand, datei))
    return out


def verlauf_aus_mappen(pfade: Sequence[str | os.PathLike[str]]) -> list[Jahreszeile]:
    """Read and compute every workbook (nothing written) and return the rows of :func:`verlauf`."""
    from ..workbook.recalc import berechne_mappe
    from .abschluss import jahresabschluss
    from .blaetter import lies_jahresdaten
    from .sollist import soll_ist_stand

    jahre = []
    for p in pfade:
        b = berechne_mappe(p)
        buchungen, vortraege = lies_jahresdaten(p)
        stand = soll_ist_stand(b.ergebnis, buchungen or [])
        jahre.append((Path(p).name, stand, jahresabschluss(b.ergebnis, stand, buchungen or [], vortraege)))
    return verlauf(jahre)


_KOPF = ("Jahr", "Träger", "Budget", "Ist bis Stand", "Ist bzw. Prognose Jahresende",
         "Rücklagen und Fonds (Endbestand)", "Stand (Monate)", "Arbeitsmappe")  # fmt: skip
_KOPF_JAHR = ("Jahr", "Budget", "Ist bzw. Prognose Jahresende", "Rücklagen und Fonds (Endbestand)")


def _blaetter(zeilen: Sequence[Jahreszeile]) -> tuple[Any, Any]:
    from ..einheiten import Einheit as E
    from ..workbook.schema import Blatt

    e = (E.JAHR, None, E.EURO, E.EURO, E.EURO, E.EURO, E.ANZAHL, None)
    detail = Blatt()
    detail.zeile(_KOPF, art="kopf")
    for z in zeilen:
        werte = [z.jahr, z.traeger, z.budget, z.ist, z.jahres_ist, z.ruecklage, z.stand, z.datei]
        detail.zeile([float(w) if isinstance(w, Decimal) else w for w in werte], e)
    jahre = Blatt()
    jahre.zeile(_KOPF_JAHR, art="kopf")
    for jahr in dict.fromkeys(z.jahr for z in zeilen):
        teil = [z for z in zeilen if z.jahr == jahr]
        summen = [sum((getattr(z, a) for z in teil), ZERO) for a in ("budget", "jahres_ist", "ruecklage")]
        jahre.zeile([str(jahr), *map(float, summen)], (None, E.EURO, E.EURO, E.EURO))
    return detail.gestalte(), jahre.gestalte()


def schreibe_verlauf(zeilen: Sequence[Jahreszeile], ziel: str | os.PathLike[str]) -> Path:
    """Write the summary workbook ``ziel`` (sheets „Jahre“ with a chart, „Verlauf je Träger“)."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    from ..workbook.vorlage import schreibe_ausgabeblatt

    ziel = Path(ziel)
    if ziel.suffix.lower() != ".xlsx":
        raise SozbudgetError(f"„{ziel.name}“: die Übersicht ist eine .xlsx-Datei")
    if ziel.exists() or ziel.is_symlink():
        raise SozbudgetError(
            f"„{ziel}“ gibt es schon; sie wird nicht überschrieben. Bitte einen neuen Namen angeben."
        )
    detail, jahre = _blaetter(zeilen)
    from ..workbook.schutz import ordner_anlegen

    ordner_anlegen(ziel.parent)
    wb = Workbook()
    ws = wb.active
    ws.title = "Jahre"
    schreibe_ausgabeblatt(ws, "Jahre", jahre)
    schreibe_ausgabeblatt(wb.create_sheet("Verlauf je Träger"), "Verlauf je Träger", detail)
    chart = BarChart()
    chart.type, chart.style, chart.title = "col", 10, "Budget, Ist und Rücklagen je Jahr"
    chart.y_axis.title, chart.y_axis.numFmt = "Betrag in €", '#,##0 "€"'
    chart.x_axis.delete = chart.y_axis.delete = False
    n = len(jahre)
    chart.add_data(Reference(ws, min_col=2, max_col=4, min_row=1, max_row=n), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=n))
    chart.height, chart.width = 9, 20
    ws.add_chart(chart, f"A{n + 3}")
    tmp = ziel.with_name(f".~sozbudget-{secrets.token_hex(4)}.xlsx")
    try:
        wb.save(tmp)
        os.link(tmp, ziel)
    except FileExistsError:
        raise SozbudgetError(f"„{ziel}“ gibt es schon; sie wird nicht überschrieben.") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return ziel
