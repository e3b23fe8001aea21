"""Adapter: reports of the analysis — HTML and PDF with matplotlib plots, and a result
workbook (openpyxl) with the sheets „Veränderung“, „Szenarien“, „Robustheit“.

Writes only into the folder the user names; input workbooks are never touched.
matplotlib is the optional extra ``[analyse]``.
"""

from __future__ import annotations

import base64
import html
import io
import math
import textwrap
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import SozbudgetError
from ..formats import betrag
from .robustheit import GINI, Robustheit
from .szenarien import Szenarienvergleich
from .zerlegung import Zerlegung

__all__ = ["schreibe_robustheit", "schreibe_szenarien", "schreibe_vergleich"]


def _plt() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - depends on the installation
        raise SozbudgetError(
            "für Diagramme und PDF wird matplotlib benötigt: pip install 'sozbudget_xl[analyse]'"
        ) from None
    plt.rcParams.update({"font.size": 9, "axes.spines.top": False, "axes.spines.right": False})
    return plt


def _tausend(x: float, _pos: Any = None) -> str:
    return f"{x:,.0f}".replace(",", ".") + " €"


def _b(x: Any) -> str:
    return betrag(x).replace("\xa0", " ")


def _vz(x: Decimal) -> str:
    t = _b(abs(x))
    return ("+" if x > 0 else "−" if x < 0 else "") + t


# --------------------------------------------------------------------------- figures


def fig_wasserfall(z: Zerlegung, sr: str) -> Any:
    """Waterfall of one area: budget ALT, one bar per contributing factor, budget NEU."""
    plt = _plt()
    from matplotlib.ticker import FuncFormatter

    teile = [(z.bezeichnungen[f], float(z.beitraege[sr][f])) for f in z.faktoren if z.beitraege[sr][f] != 0]
    fig, ax = plt.subplots(figsize=(7.5, 3.4))
    labels = ["Budget ALT", *(t[0] for t in teile), "Budget NEU"]
    stand = float(z.alt[sr])
    ax.bar(0, stand, color="#5b7aa6")
    for i, (_, v) in enumerate(teile, start=1):
        ax.bar(i, v, bottom=stand, color="#3a9a5b" if v >= 0 else "#c0504d")
        ax.text(
            i,
            stand + v,
            _vz(Decimal(str(round(v, 2)))),
            ha="center",
            va="bottom" if v >= 0 else "top",
            fontsize=7,
        )
        stand += v
    ax.bar(len(labels) - 1, float(z.neu[sr]), color="#5b7aa6")
    werte = [float(z.alt[sr]), float(z.neu[sr])]
    lo = min(werte + [float(z.alt[sr]) + sum(v for _, v in teile[:k]) for k in range(len(teile) + 1)])
    hi = max(werte + [float(z.alt[sr]) + sum(v for _, v in teile[:k]) for k in range(len(teile) + 1)])
    spanne = max(hi - lo, 1.0)
    ax.set_ylim(max(0.0, lo - 0.6 * spanne), hi + 0.35 * spanne)
    ax.set_xticks(range(len(labels)), [textwrap.fill(x, 16) for x in labels], fontsize=7)
    ax.yaxis.set_major_formatter(FuncFormatter(_tausend))
    ax.set_title(f"{sr}: {_vz(z.veraenderung(sr))}")
    fig.tight_layout()
    return fig


def fig_intervalle(r: Robustheit) -> Any:
    """Budget interval per area: 5 %–95 % bar, median and chosen budget."""
    plt = _plt()
    from matplotlib.ticker import FuncFormatter

    ids = list(r.ids)
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(ids) + 1.4))
    y = range(len(ids))
    lo = [float(r.q05[s]) for s in ids]
    hi = [float(r.q95[s]) for s in ids]
    ax.hlines(y, lo, hi, color="#5b7aa6", linewidth=6, alpha=0.6, label="5 % bis 95 %")
    ax.plot([float(r.median[s]) for s in ids], y, "k|", markersize=14, label="Median")
    ax.plot([float(r.nominal[s]) for s in ids], y, "o", color="#c0504d", label="gewählte Methode")
    ax.set_yticks(list(y), ids)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(FuncFormatter(_tausend))
    ax.set_title("Budget je Sozialraum über alle Ziehungen")
    ax.legend(loc="lower right", fontsize=7)
    fig.tight_layout()
    return fig


def fig_sobol(r: Robustheit) -> Any:
    """Total Sobol index of each choice: mean over the areas and on the inequality."""
    plt = _plt()
    import numpy as np
    from matplotlib.ticker import FuncFormatter

    st_mittel = np.mean([r.st[s] for s in r.ids], axis=0)
    fig, ax = plt.subplots(figsize=(7.5, 0.35 * len(r.faktoren) + 1.4))
    y = np.arange(len(r.faktoren))
    ax.barh(y - 0.18, st_mittel, height=0.36, color="#5b7aa6", label="Budgets (Mittel der Sozialräume)")
    ax.barh(y + 0.18, r.st[GINI], height=0.36, color="#c0504d", label="Ungleichheit (Gini)")
    ax.set_yticks(y, [textwrap.fill(f, 40) for f in r.faktoren], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.05)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"{x:.1f}".replace(".", ",")))
    ax.set_xlabel("Totaler Sobol-Index (Anteil der Streuung, an dem die Wahl beteiligt ist)")
    ax.legend(loc="lower right", fontsize=7)
    fig.tight_layout()
    return fig


def fig_szenarien(v: Szenarienvergleich) -> Any:
    """Grouped bars: budget per area and variant."""
    plt = _plt()
    import numpy as np
    from matplotlib.ticker import FuncFormatter

    ids = list(v.ids)
    k = len(v.varianten)
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    x = np.arange(len(ids))
    breite = 0.8 / k
    for j, name in enumerate(v.varianten):
        ax.bar(
            x + (j - (k - 1) / 2) * breite, [float(v.budgets[name][s]) for s in ids], width=breite, label=name
        )
    ax.set_xticks(x, [textwrap.fill(s, 14) for s in ids], fontsize=7)
    ax.yaxis.set_major_formatter(FuncFormatter(_tausend))
    ax.legend(fontsize=6, ncol=min(k, 4), loc="upper center", bbox_to_anchor=(0.5, -0.14), frameon=False)
    ax.set_title("Budget je Sozialraum und Variante")
    fig.tight_layout()
    return fig


def fig_differenzen(v: Szenarienvergleich) -> Any:
    """Grouped bars: difference of each variant to the reference, per area."""
    plt = _plt()
    import numpy as np
    from matplotlib.ticker import FuncFormatter

    ids, andere = list(v.ids), [n for n in v.varianten if n != v.referenz]
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    x = np.arange(len(ids))
    breite = 0.8 / max(1, len(andere))
    for j, name in enumerate(andere):
        werte = [float(v.differenz[name][s]) for s in ids]
        farbe = f"C{v.varianten.index(name) % 10}"  # the same colour as in the budget chart
        ax.bar(x + (j - (len(andere) - 1) / 2) * breite, werte, width=breite, label=name, color=farbe)
    ax.axhline(0, color="#444", linewidth=0.8)
    ax.set_xticks(x, [textwrap.fill(s, 14) for s in ids], fontsize=7)
    ax.yaxis.set_major_formatter(FuncFormatter(_tausend))
    ax.legend(
        fontsize=6, ncol=min(len(andere), 4), loc="upper center", bbox_to_anchor=(0.5, -0.14), frameon=False
    )
    ax.set_title(f"Differenz zur Variante „{v.referenz}“")
    fig.tight_layout()
    return fig


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    _plt().close(fig)
    return buf.getvalue()


# --------------------------------------------------------------------------- HTML / PDF

_CSS = """
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 10pt; margin: 2em; color: #222; }
h1 { font-size: 16pt; } h2 { font-size: 12pt; margin-top: 1.5em; }
table { border-collapse: collapse; margin: 0.5em 0; } td, th { border: 1px solid #bbb; padding: 2px 6px; }
td.z { text-align: right; white-space: nowrap; } th { background: #eef; }
p.satz { margin: 0.3em 0; } img { max-width: 100%; }
@page { size: A4; margin: 1.5cm; }
"""


def _tabelle(zeilen: Sequence[dict[str, Any]]) -> str:
    if not zeilen:
        return ""
    kopf = list(zeilen[0])
    out = ["<table><tr>", *(f"<th>{html.escape(str(k))}</th>" for k in kopf), "</tr>"]
    for z in zeilen:
        out.append("<tr>")
        for k in kopf:
            v = z[k]
            if isinstance(v, Decimal):
                out.append(f'<td class="z">{html.escape(_b(v))}</td>')
            elif isinstance(v, int | float):
                out.append(f'<td class="z">{html.escape(str(v).replace(".", ","))}</td>')
            else:
                out.append(f"<td>{html.escape(str(v))}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def _bild(png: bytes, alt: str) -> str:
    return (
        f'<p><img alt="{html.escape(alt)}" src="data:image/png;base64,{base64.b64encode(png).decode()}"></p>'
    )


def _html(titel: str, teile: Sequence[str]) -> str:
    return (
        f'<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>{html.escape(titel)}</title>'
        f"<style>{_CSS}</style></head><body><h1>{html.escape(titel)}</h1>{''.join(teile)}</body></html>\n"
    )


def _pdf(pfad: Path, titel: str, absaetze: Sequence[str], figuren: Sequence[Any]) -> None:
    """A4 PDF with matplotlib: a text page (title and paragraphs), then one figure per page."""
    plt = _plt()
    from matplotlib.backends.backend_pdf import PdfPages

    with PdfPages(pfad) as pdf:
        zeilen: list[str] = []
        for a in absaetze:
            zeilen += textwrap.wrap(a, 95) or [""]
            zeilen.append("")
        seiten = [zeilen[i : i + 60] for i in range(0, max(len(zeilen), 1), 60)]
        for n, seite in enumerate(seiten):
            fig = plt.figure(figsize=(8.27, 11.69))
            if n == 0:
                fig.text(0.08, 0.95, titel, fontsize=15, weight="bold", va="top")
            fig.text(
                0.08, 0.91, "\n".join(seite), fontsize=8.5, va="top", family="DejaVu Sans", linespacing=1.45
            )
            pdf.savefig(fig)
            plt.close(fig)
        bilder = []
        for f in figuren:
            buf = io.BytesIO()
            f.savefig(buf, format="png", dpi=150)
            plt.close(f)
            buf.seek(0)
            bild = plt.imread(buf)
            h, w = bild.shape[:2]
            bilder.append((bild, min(0.88, 0.84 * (h / w) * (8.27 / 11.69))))
        seite, oben = None, 0.95
        for bild, hoehe in bilder:  # as many figures per A4 page as fit
            if seite is None or oben - hoehe < 0.04:
                if seite is not None:
                    pdf.savefig(seite)
                    plt.close(seite)
                seite, oben = plt.figure(figsize=(8.27, 11.69)), 0.95
            ax = seite.add_axes((0.08, oben - hoehe, 0.84, hoehe))
            ax.imshow(bild)
            ax.axis("off")
            oben -= hoehe + 0.02
        if seite is not None:
            pdf.savefig(seite)
            plt.close(seite)
        info = pdf.infodict()
        info["Title"] = titel


# --------------------------------------------------------------------------- workbook


def _blatt(
    wb: Any,
    name: str,
    zeilen: Sequence[dict[str, Any]],
    diagramm: str | None = None,
    spalten: Sequence[str] = (),
) -> Any:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    ws = wb.create_sheet(name)
    if not zeilen:
        return ws
    kopf = list(zeilen[0])
    ws.append(kopf)
    for c in ws[1]:
        c.font = Font(bold=True)
    for z in zeilen:
        werte = []
        for k in kopf:
            v = z[k]
            werte.append(float(v) if isinstance(v, Decimal) else v)
        ws.append(werte)
        for c in ws[ws.max_row]:
            if c.data_type == "f":  # a text starting with „=“ stays text, never a formula
                c.data_type = "s"
    for j, k in enumerate(kopf, start=1):
        if any(isinstance(z[k], Decimal) for z in zeilen):
            for zeile in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                zeile[0].number_format = '#,##0.00 "€"'
        ws.column_dimensions[ws.cell(1, j).column_letter].width = min(45, max(12, len(str(k)) + 2))
    if diagramm and spalten:
        chart = BarChart()
        chart.title = diagramm
        chart.type = "col"
        chart.height, chart.width = 9, 18
        for k in spalten:
            j = kopf.index(k) + 1
            chart.add_data(
                Reference(ws, min_col=j, min_row=1, max_row=len(zeilen) + 1), titles_from_data=True
            )
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=len(zeilen) + 1))
        ws.add_chart(chart, f"A{len(zeilen) + 4}")  # below the table
    return ws


def _mappe(
    pfad: Path, blaetter: Sequence[tuple[str, Sequence[dict[str, Any]], str | None, Sequence[str]]]
) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, zeilen, titel, spalten in blaetter:
        _querformat(_blatt(wb, name, zeilen, titel, spalten))
    wb.save(pfad)


def _zeilen_schreiben(ws: Any, rows: Sequence[Sequence[Any]], start: int = 1) -> int:
    """Write rows of lists (Decimal → number with € format; header and „Summe“ rows bold);
    returns the next free row."""
    from openpyxl.styles import Font

    for i, r in enumerate(rows):
        z = start + i
        fett = bool(r) and r[0] in ("Sozialraum", "Träger", "Schritt", "Summe")
        for j, v in enumerate(r, start=1):
            c = ws.cell(z, j, float(v) if isinstance(v, Decimal) else v)
            if c.data_type == "f":  # a text starting with „=“ stays text, never a formula
                c.data_type = "s"
            if isinstance(v, Decimal):
                c.number_format = '#,##0.00 "€"'
            if fett:
                c.font = Font(bold=True)
    return start + len(rows)


def _querformat(ws: Any) -> None:
    """Print setup: landscape, all columns on one page width."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0


def _wasserfall_daten(z: Zerlegung, sr: str) -> list[list[Any]]:
    """Data of an Excel waterfall (stacked columns, invisible base): Schritt, Sockel, Budget,
    Zunahme, Abnahme — ALT, one row per contributing factor, NEU."""
    rows: list[list[Any]] = [["Schritt", "Sockel", "Budget", "Zunahme", "Abnahme"]]
    stand = z.alt[sr]
    rows.append(["Budget ALT", Decimal(0), stand, Decimal(0), Decimal(0)])
    for f in z.faktoren:
        v = z.beitraege[sr][f]
        if v == 0:
            continue
        sockel = stand if v > 0 else stand + v
        rows.append([z.bezeichnungen[f], sockel, Decimal(0), max(v, Decimal(0)), max(-v, Decimal(0))])
        stand += v
    rows.append(["Budget NEU", Decimal(0), z.neu[sr], Decimal(0), Decimal(0)])
    return rows


def _achse(z: Zerlegung, sr: str) -> tuple[float, float]:
    """Value axis of a waterfall: around the running totals, so small steps are visible."""
    stand, staende = z.alt[sr], [z.alt[sr]]
    for f in z.faktoren:
        stand += z.beitraege[sr][f]
        staende.append(stand)
    lo, hi = float(min(staende)), float(max(staende))
    rand = max(hi - lo, 1.0)
    return max(0.0, math.floor((lo - 0.5 * rand) / 100) * 100), math.ceil((hi + 0.3 * rand) / 100) * 100


def _wasserfaelle(ws: Any, z: Zerlegung, start: int) -> None:
    """One waterfall chart per area below the table: its data block in A:E, the chart beside it."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    zeile = start
    for sr in z.ids:
        daten = _wasserfall_daten(z, sr)
        ws.cell(zeile, 1, f"Wasserfall {sr}").font = Font(bold=True)
        _zeilen_schreiben(ws, daten, zeile + 1)
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
        chart.title = f"{sr}: {_vz(z.veraenderung(sr))}"
        chart.height, chart.width = 9, 16
        chart.legend = None
        oben, unten = zeile + 1, zeile + len(daten)
        chart.add_data(
            Reference(ws, min_col=2, max_col=5, min_row=oben, max_row=unten), titles_from_data=True
        )
        chart.set_categories(Reference(ws, min_col=1, min_row=oben + 1, max_row=unten))
        for serie, farbe in zip(chart.series, (None, "5B7AA6", "3A9A5B", "C0504D")):
            if farbe is None:
                serie.graphicalProperties.noFill = True
                serie.graphicalProperties.line.noFill = True
            else:
                serie.graphicalProperties.solidFill = farbe
        chart.y_axis.numFmt = '#,##0 "€"'
        chart.y_axis.delete = False
        chart.x_axis.delete = False
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = _achse(z, sr)
        ws.add_chart(chart, f"G{zeile}")
        zeile += max(len(daten) + 3, 20)


def _intervall_diagramm(ws: Any, r: Robustheit, start: int) -> None:
    """Horizontal floating bars per area: 5 % to median and median to 95 % (invisible base)."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    ws.cell(start, 1, "Daten des Diagramms").font = Font(bold=True)
    rows: list[list[Any]] = [["Sozialraum", "bis 5 %", "5 % bis Median", "Median bis 95 %"]]
    for s in r.ids:
        rows.append([s, r.q05[s], r.median[s] - r.q05[s], r.q95[s] - r.median[s]])
    _zeilen_schreiben(ws, rows, start + 1)
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "bar", "stacked", 100
    chart.title = "Budget je Sozialraum (5 % bis 95 % der Ziehungen)"
    chart.height, chart.width = max(8.0, 3 + 1.2 * len(r.ids)), 20
    chart.legend.position = "b"
    unten_w = min(float(v) for v in r.q05.values())
    chart.y_axis.scaling.min = max(0.0, math.floor(unten_w * 0.8 / 1000) * 1000)
    chart.y_axis.crosses = "max"  # the value axis below the (reversed) list of areas
    oben, unten = start + 1, start + len(rows)
    chart.add_data(Reference(ws, min_col=2, max_col=4, min_row=oben, max_row=unten), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=oben + 1, max_row=unten))
    for serie, farbe in zip(chart.series, (None, "9DB3D1", "5B7AA6")):
        if farbe is None:
            serie.graphicalProperties.noFill = True
            serie.graphicalProperties.line.noFill = True
        else:
            serie.graphicalProperties.solidFill = farbe
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.numFmt = '#,##0 "€"'
    chart.x_axis.scaling.orientation = "maxMin"  # first area on top, as in the table
    ws.add_chart(chart, f"F{start}")


def _ordner(ordner: str | Path) -> Path:
    out = Path(ordner)
    out.mkdir(parents=True, exist_ok=True)
    return out


def schreibe_vergleich(
    z: Zerlegung, ordner: str | Path, *, titel_alt: str = "ALT", titel_neu: str = "NEU", pdf: bool = True
) -> list[Path]:
    """„Warum ändert sich das Budget?“ as HTML, PDF and a workbook with the sheet „Veränderung“."""
    out = _ordner(ordner)
    titel = "Warum ändert sich das Budget?"
    einleitung = (
        f"Vergleich {titel_alt} → {titel_neu}. Die Veränderung jedes Sozialraums wird auf die Faktoren "
        "aufgeteilt, die das Budget bestimmen (Shapley-Werte über alle "
        f"{z.koalitionen} Kombinationen der veränderten Faktoren, jede centgenau gerechnet). Die Beiträge "
        "eines Sozialraums ergeben genau seine Veränderung; die Beiträge eines Faktors zusammen ergeben die "
        "Veränderung des Gesamtbudgets (Faktor Gesamtbudget) oder 0 (alle anderen Faktoren verschieben nur)."
    )
    saetze = [z.saetze[s] for s in z.ids]
    summe = z.summe_je_faktor()
    summenzeile = "Summe je Faktor: " + ", ".join(
        f"{z.bezeichnungen[f]} {_vz(v)}" for f, v in summe.items() if v != 0
    )
    figs = {s: fig_wasserfall(z, s) for s in z.ids}
    pngs = {s: _png(fig_wasserfall(z, s)) for s in z.ids}
    teile = [f"<p>{html.escape(einleitung)}</p>", "<h2>In Sätzen</h2>"]
    teile += [f'<p class="satz">{html.escape(s)}</p>' for s in saetze]
    teile += [f"<p>{html.escape(summenzeile)}</p>", "<h2>Tabelle</h2>", _tabelle(_tabellenzeilen(z))]
    traeger_saetze = [] if z.traeger is None else [z.traeger.saetze[t] for t in z.traeger.ids]
    if z.traeger is not None:
        teile += ["<h2>Je Träger</h2>", *(f'<p class="satz">{html.escape(s)}</p>' for s in traeger_saetze)]
        teile.append(_tabelle(_tabellenzeilen(z.traeger)))
    teile += ["<h2>Wasserfall je Sozialraum</h2>", *(_bild(pngs[s], f"Wasserfall {s}") for s in z.ids)]
    pfade = [out / "vergleich.html", out / "vergleich.xlsx"]
    pfade[0].write_text(_html(titel, teile), encoding="utf-8")
    _vergleichsmappe(pfade[1], z)
    if pdf:
        pfade.append(out / "vergleich.pdf")
        je_traeger = ["Je Träger:", *traeger_saetze] if traeger_saetze else []
        _pdf(pfade[-1], titel, [einleitung, *saetze, summenzeile, *je_traeger], [figs[s] for s in z.ids])
    else:
        for f in figs.values():
            _plt().close(f)
    return pfade


def _vergleichsmappe(pfad: Path, z: Zerlegung) -> None:
    """Result workbook: sheet „Veränderung“ (table per area and per Träger, a bar chart of the
    contributions, one waterfall chart per area)."""
    import openpyxl
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment

    from .blatt import veraenderung_tabelle

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Veränderung"
    rows = veraenderung_tabelle(z)
    frei = _zeilen_schreiben(ws, rows)
    breite = len(rows[0])
    for j in range(1, breite + 1):
        ws.column_dimensions[ws.cell(1, j).column_letter].width = 18 if j < breite else 70
    ws.column_dimensions["A"].width = 30
    for zeile in ws.iter_rows(min_row=1, max_row=frei - 1, min_col=1, max_col=breite):
        for c in zeile:
            c.alignment = Alignment(wrap_text=True, vertical="top")
        laengen = [
            len(c.value) / (70 if c.column == breite else 14) for c in zeile if isinstance(c.value, str)
        ]
        if laengen:  # LibreOffice and Excel keep a stored height: give wrapped rows theirs
            ws.row_dimensions[zeile[0].row].height = 15 * max(1, math.ceil(max(laengen)))
    chart = BarChart()
    chart.type, chart.title = "col", "Beiträge je Faktor und Sozialraum"
    chart.height, chart.width = 9, 18
    n = len(z.ids)
    if breite > 5:
        chart.add_data(
            Reference(ws, min_col=5, max_col=breite - 1, min_row=1, max_row=n + 1), titles_from_data=True
        )
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=n + 1))
        chart.y_axis.numFmt = '#,##0 "€"'
        chart.x_axis.delete = chart.y_axis.delete = False
        ws.add_chart(chart, f"A{frei + 1}")
    _wasserfaelle(ws, z, frei + 20)
    _querformat(ws)
    wb.save(pfad)


def summe_abs(z: Zerlegung, f: str) -> bool:
    """True when factor ``f`` contributes anything in some area."""
    return any(z.beitraege[s][f] != 0 for s in z.ids)


def _tabellenzeilen(z: Zerlegung) -> list[dict[str, Any]]:
    rows = []
    for r in z.zeilen():
        rows.append(
            {
                k: v
                for k, v in r.items()
                if k == "Erklärung"
                or not isinstance(v, Decimal)
                or k in ("Budget ALT", "Budget NEU", "Veränderung")
                or summe_abs(z, _faktor(z, k))
            }
        )
    return rows


def _faktor(z: Zerlegung, bez: str) -> str:
    return next(f for f, b in z.bezeichnungen.items() if b == bez)


def schreibe_szenarien(
    v: Szenarienvergleich, ordner: str | Path, *, titel: str = "", pdf: bool = True
) -> list[Path]:
    """Scenario comparison as HTML, PDF and a workbook with the sheet „Szenarien“."""
    out = _ordner(ordner)
    ueber = "Szenarien: Budget je Sozialraum und Variante" + (f" – {titel}" if titel else "")
    beschr = [f"{n}: {v.beschreibungen[n]}" for n in v.varianten]
    spannen = []
    for s in v.ids:
        werte = [v.budgets[n][s] for n in v.varianten]
        spannen.append(f"{s}: {_b(min(werte))} bis {_b(max(werte))} (Spanne {_b(max(werte) - min(werte))})")
    teile = [
        "<h2>Varianten</h2>",
        *(f"<p>{html.escape(b)}</p>" for b in beschr),
        f"<p>Differenzen zur Referenzvariante „{html.escape(v.referenz)}“.</p>",
        _tabelle(v.zeilen()),
        "<h2>Spanne je Sozialraum</h2>",
        *(f"<p>{html.escape(s)}</p>" for s in spannen),
        _bild(_png(fig_szenarien(v)), "Szenarien"),
        _bild(_png(fig_differenzen(v)), "Differenzen"),
    ]
    pfade = [out / "szenarien.html", out / "szenarien.xlsx"]
    pfade[0].write_text(_html(ueber, teile), encoding="utf-8")
    _szenarienmappe(pfade[1], v)
    if pdf:
        pfade.append(out / "szenarien.pdf")
        _pdf(
            pfade[-1],
            ueber,
            [*beschr, f"Referenz: {v.referenz}", *spannen],
            [fig_szenarien(v), fig_differenzen(v)],
        )
    return pfade


def _robustheitsmappe(pfad: Path, r: Robustheit, sobol_zeilen: list[dict[str, Any]]) -> None:
    """Result workbook: sheet „Robustheit“ (budgets, ranks, Sobol indices per area), the chart
    of the intervals per area and the total indices on the inequality below."""
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    ws = _blatt(wb, "Robustheit", r.zeilen())
    frei = len(r.ids) + 3
    _intervall_diagramm(ws, r, frei)
    zeile = frei + max(len(r.ids) + 3, int(max(8.0, 3 + 1.2 * len(r.ids)) / 0.5) + 2)  # below the chart
    ws.column_dimensions["A"].width = 30
    titel = "Totale Sobol-Indizes (Anteil der Streuung, den jede Wahl erklärt)"
    ws.cell(zeile, 1, titel).font = Font(bold=True)
    _zeilen_schreiben(ws, [list(sobol_zeilen[0])] + [list(z.values()) for z in sobol_zeilen], zeile + 1)
    _querformat(ws)
    wb.save(pfad)


def _szenarienmappe(pfad: Path, v: Szenarienvergleich) -> None:
    """Result workbook: sheet „Szenarien“ (budget per area and variant, differences to the
    reference, totals, descriptions), a chart of the budgets and one of the differences."""
    import openpyxl
    from openpyxl.chart import BarChart, Reference

    from .blatt import szenarien_tabelle

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Szenarien"
    rows = szenarien_tabelle(v, beschreibungen=True)
    frei = _zeilen_schreiben(ws, rows)
    ws.column_dimensions["A"].width = 22
    for j in range(2, len(rows[0]) + 1):
        ws.column_dimensions[ws.cell(1, j).column_letter].width = max(14, len(str(rows[0][j - 1])) + 2)
    k, n = len(v.varianten), len(v.ids)
    for titel, von, bis, anker in (
        ("Budget je Sozialraum und Variante", 2, k + 1, f"A{frei + 1}"),
        (f"Differenz zur Variante „{v.referenz}“", k + 2, 2 * k, f"J{frei + 1}"),
    ):
        if bis < von:
            continue
        chart = BarChart()
        chart.type, chart.title = "col", titel
        chart.height, chart.width = 9, 16
        chart.add_data(
            Reference(ws, min_col=von, max_col=bis, min_row=1, max_row=n + 1), titles_from_data=True
        )
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=n + 1))
        chart.y_axis.numFmt = '#,##0 "€"'
        chart.x_axis.delete = chart.y_axis.delete = False
        chart.legend.position = "b"
        ws.add_chart(chart, anker)
    _querformat(ws)
    wb.save(pfad)


def robustheit_saetze(r: Robustheit) -> list[str]:
    """German summary sentences of a robustness result."""
    import numpy as np

    # estimates a little outside 0–100 % (sampling noise of the estimator) are shown as 0 or 100 %
    st = np.clip(np.mean([r.st[s] for s in r.ids], axis=0), 0.0, 1.0)
    wichtig = sorted(zip(r.faktoren, st), key=lambda t: -t[1])

    def de(x: float, stellen: int) -> str:
        return f"{x:,.{stellen}f}".replace(",", "\0").replace(".", ",").replace("\0", ".")

    out = [
        f"{de(r.ziehungen, 0)} centgenaue Neuberechnungen (Startwert {r.seed}) in {de(r.sekunden, 2)} s "
        f"({de(r.ziehungen_je_sekunde, 0)} je Sekunde).",
        "Unsichere Wahlen: " + ", ".join(r.faktoren) + ".",
        "Am meisten hängt das Ergebnis ab von: "
        + ", ".join(f"{f} ({str(round(float(v) * 100)).replace('.', ',')} %)" for f, v in wichtig[:3])
        + " (totaler Sobol-Index, Mittel über die Sozialräume).",
        f"Ungleichheit (Gini der Budgets je Kopf der Zielgruppe): gewählt {de(r.gini_nominal, 3)}, "
        f"5 % {de(r.gini_q05, 3)}, 95 % {de(r.gini_q95, 3)}.",
    ]
    for s in r.ids:
        out.append(
            f"{s}: gewählt {_b(r.nominal[s])} (Rang {r.rang_nominal[s]}), Median {_b(r.median[s])}, "
            f"90 % der Ziehungen zwischen {_b(r.q05[s])} und {_b(r.q95[s])}, "
            f"Rang {r.rang_q05[s]} bis {r.rang_q95[s]}."
        )
    return out


def schreibe_robustheit(
    r: Robustheit, ordner: str | Path, *, titel: str = "", pdf: bool = True
) -> list[Path]:
    """Robustness report as HTML, PDF and a workbook with the sheet „Robustheit“."""
    out = _ordner(ordner)
    ueber = "Wie robust ist der Verteilungsschlüssel?" + (f" – {titel}" if titel else "")
    saetze = robustheit_saetze(r)
    sobol_zeilen = [
        {"Ergebnis": s, **{f"ST {f}": round(float(r.st[s][j]), 3) for j, f in enumerate(r.faktoren)}}
        for s in (*r.ids, GINI)
    ]
    teile = [
        *(f'<p class="satz">{html.escape(s)}</p>' for s in saetze),
        _bild(_png(fig_intervalle(r)), "Intervalle"),
        "<h2>Budgets und Ränge</h2>",
        _tabelle([{k: v for k, v in z.items() if not k.startswith(("S1 ", "ST "))} for z in r.zeilen()]),
        "<h2>Sobol-Indizes (total)</h2>",
        _bild(_png(fig_sobol(r)), "Sobol-Indizes"),
        _tabelle(sobol_zeilen),
    ]
    pfade = [out / "robustheit.html", out / "robustheit.xlsx"]
    pfade[0].write_text(_html(ueber, teile), encoding="utf-8")
    _robustheitsmappe(pfade[1], r, sobol_zeilen)
    if pdf:
        pfade.append(out / "robustheit.pdf")
        _pdf(pfade[-1], ueber, saetze, [fig_intervalle(r), fig_sobol(r)])
    return pfade
