"""The controlling sheets of new workbooks and examples (issue 16): „Ist“ (input), „Soll-Ist“,
„Soll-Ist Verlauf“, „Jahresabschluss“ (outputs) and „Soll-Ist Diagramm“ with two native charts —
Soll vs Ist per Träger (reads the block „Budget nach Träger: …“ of „Soll-Ist“, moved by recalc
when Träger come or go) and the cumulative curve against the plan (reads the fixed 13 rows of
„Soll-Ist Verlauf“). Example Ist data: six months, plausible and deterministic
(:func:`beispiel_ist`).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..ergebnis import Art, ModelResult
from ..money import ZERO
from .ist import Buchung, ist_blatt_zeilen
from .sollist import SollIstStand, SollIstZeile, fallsoll, soll_ist_stand

__all__ = ["DIAGRAMMBLATT", "beispiel_ist", "controlling_blaetter"]

DIAGRAMMBLATT = "Soll-Ist Diagramm"
_AUSGABE_FARBE = "70AD47"
#: Soll blue (the header colour), Ist orange; the forecast continues the Ist dashed
_FARBEN = ("1F4E78", "ED7D31")
#: monthly spending pattern of the examples (share of a twelfth; summer and December lower/higher)
_MUSTER = (
    Decimal("0.97"),
    Decimal("0.99"),
    Decimal("1.03"),
    Decimal("1.01"),
    Decimal("1.04"),
    Decimal("0.96"),
)
#: per row a different level of use, so the example shows under- and overspending
_NIVEAU = (
    Decimal("0.96"),
    Decimal("1.05"),
    Decimal("0.91"),
    Decimal("1.00"),
    Decimal("1.08"),
    Decimal("0.94"),
)
#: example rate per Fachleistungsstunde (domain spec §3.5: 60–80 €)
_FLS_SATZ = Decimal("70")


def beispiel_ist(result: ModelResult, monate: int = 6) -> list[Buchung]:
    """Plausible Ist for the first ``monate`` months of every budget row: a twelfth of the row's
    Jahres-Soll × a monthly pattern × a row level; cases near the obligation; hours where the
    model bills Fachleistungsstunden (open items); Stuttgart's rows split into Bereich a and b."""
    from .sollist import _jahres_soll

    soll, _ = _jahres_soll(result)
    fs = fallsoll(result)
    offen = {(p.traeger, p.sozialraum) for p in result.positionen if p.art == Art.OFFEN}
    anteil_a = _stuttgart_anteil_a(result)
    out: list[Buchung] = []
    for i, (key, jahr_soll) in enumerate(soll.items()):
        if key[0] is None or jahr_soll <= 0:
            continue
        for m in range(monate):
            betrag = (jahr_soll / 12 * _MUSTER[m % 6] * _NIVEAU[i % 6]).quantize(
                Decimal("0.01"), ROUND_HALF_UP
            )
            faelle = fs.get(key) or fs.get((key[0], None))
            faelle = None if faelle is None else (faelle * _NIVEAU[(i + m) % 6]).quantize(Decimal(1))
            stunden = (betrag / _FLS_SATZ).quantize(Decimal("0.5")) if key in offen else None
            if anteil_a is not None and key[0] == result.traeger[0]:
                a = (betrag * anteil_a).quantize(Decimal("0.01"), ROUND_HALF_UP)
                out.append(Buchung(m + 1, a, key[0], key[1], bereich="a", faelle=faelle))
                out.append(Buchung(m + 1, betrag - a, key[0], key[1], bereich="b"))
            else:
                out.append(Buchung(m + 1, betrag, key[0], key[1], faelle=faelle, stunden=stunden))
    return out


def _stuttgart_anteil_a(result: ModelResult) -> Decimal | None:
    if result.modell != "stuttgart":
        return None
    from ..models import stuttgart as st

    a, b = result.kennzahlen.get(st.K_A, ZERO), result.kennzahlen.get(st.K_B, ZERO)
    return a / (a + b) if a + b else None


def _leerer_stand(modell: str, jahr: int) -> SollIstStand:
    null = SollIstZeile("Summe", None, ZERO, ZERO, ZERO, ZERO)
    monate = tuple((k, ZERO, None, None) for k in range(1, 13))
    return SollIstStand(modell, jahr, 0, (), null, monate)


def _ausgabe(wb: Any, name: str, blatt: Any) -> Any:
    from ..workbook.vorlage import schreibe_ausgabeblatt

    ws = wb.create_sheet(name)
    ws.sheet_properties.tabColor = _AUSGABE_FARBE
    schreibe_ausgabeblatt(ws, name, blatt)
    return ws


def _istblatt(wb: Any, buchungen: list[Buchung]) -> None:
    from ..workbook.schema import Blatt
    from ..workbook.vorlage import schreibe_ausgabeblatt

    zeilen = ist_blatt_zeilen(buchungen)
    blatt = Blatt()
    blatt.zeile(zeilen[0], art="kopf")
    from ..einheiten import Einheit as E

    einheiten = (E.JAHR, None, None, None, None, E.EURO, E.ANZAHL, E.STUNDEN, None)
    for z in zeilen[1:]:
        blatt.zeile(z, einheiten)
    ws = wb.create_sheet("Ist")
    schreibe_ausgabeblatt(ws, "Ist", blatt.gestalte())
    for spalte, breite in zip("ABCDEFGHI", (8, 8, 34, 26, 10, 16, 10, 20, 30), strict=True):
        ws.column_dimensions[spalte].width = max(breite, ws.column_dimensions[spalte].width or 0)
    ws["K1"] = (
        "Eine Zeile je Buchung: Monat 1–12 (oder Januar…, Q1–Q4), Ausgaben in €; Jahr leer = Haushaltsjahr, "
        "Zeilen des Vorjahres geben das Saisonprofil der Prognose. Stuttgart: Bereich a oder b."
    )


def _diagramme(wb: Any, soll_ist_zeilen: list[list[Any]]) -> None:
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.chart.data_source import AxDataSource, StrRef

    from .blaetter import DIAGRAMM_TITEL, SOLL_IST, VERLAUF

    ws = wb.create_sheet(DIAGRAMMBLATT)
    ws["A1"] = "Soll und Ist je Träger; kumulierter Verlauf gegen den Plan"
    ws["A2"] = (
        "Daten: Blatt „Soll-Ist“ (Abschnitt „" + DIAGRAMM_TITEL + "“) und Blatt „Soll-Ist Verlauf“; "
        "jede Neuberechnung aktualisiert beide Diagramme."
    )
    titel = next(i for i, z in enumerate(soll_ist_zeilen) if z and z[0] == DIAGRAMM_TITEL) + 1  # 1-based
    erste, letzte = titel + 2, titel + 1
    while letzte < len(soll_ist_zeilen) and soll_ist_zeilen[letzte] and soll_ist_zeilen[letzte][0]:
        letzte += 1
    letzte = max(letzte, erste)
    quelle = wb[SOLL_IST]
    balken = BarChart()
    balken.type, balken.style, balken.title = "col", 10, DIAGRAMM_TITEL
    balken.y_axis.title, balken.y_axis.numFmt = "Betrag in €", '#,##0 "€"'
    balken.x_axis.delete = balken.y_axis.delete = False
    daten = Reference(quelle, min_col=2, max_col=3, min_row=titel + 1, max_row=letzte)
    kategorien = Reference(quelle, min_col=1, min_row=erste, max_row=letzte)
    balken.add_data(daten, titles_from_data=True)
    balken.set_categories(kategorien)
    for reihe, farbe in zip(balken.series, _FARBEN, strict=False):
        reihe.cat = AxDataSource(strRef=StrRef(f=str(kategorien)))
        reihe.graphicalProperties.solidFill = farbe
        reihe.graphicalProperties.line.solidFill = farbe
    balken.height, balken.width = 9, 24
    ws.add_chart(balken, "A4")
    verlauf = wb[VERLAUF]
    linie = LineChart()
    linie.style, linie.title = 12, "Kumulierter Verlauf: Soll, Ist und Prognose"
    linie.y_axis.title, linie.y_axis.numFmt = "Betrag in €", '#,##0 "€"'
    linie.x_axis.delete = linie.y_axis.delete = False
    linie.add_data(Reference(verlauf, min_col=2, max_col=4, min_row=1, max_row=13), titles_from_data=True)
    monate = Reference(verlauf, min_col=1, min_row=2, max_row=13)
    linie.set_categories(monate)
    for reihe, farbe in zip(linie.series, (*_FARBEN, _FARBEN[1]), strict=False):
        reihe.cat = AxDataSource(strRef=StrRef(f=str(monate)))
        reihe.smooth = False
        reihe.graphicalProperties.line.solidFill = farbe
        reihe.graphicalProperties.line.width = 28575
    linie.series[2].graphicalProperties.line.dashStyle = "dash"
    linie.height, linie.width = 9, 24
    ws.add_chart(linie, "A23")
    ws.column_dimensions["A"].width = 20


def controlling_blaetter(wb: Any, modell_name: str, *, leer: bool) -> None:
    """Add the controlling sheets to a new workbook ``wb`` (``leer``: no Ist, empty outputs)."""
    from ..models import modell
    from ..workbook import schema as S
    from .abschluss import Abschluss, jahresabschluss
    from .blaetter import ABSCHLUSS, SOLL_IST, VERLAUF, abschlussblatt, soll_ist_blatt, verlaufsblatt

    modul = modell(modell_name)
    werte, tabellen = S.beispiel_daten(modul.NAME)
    eingabe, parameter = S.eingabe_aus_daten(modul.NAME, werte, tabellen)
    result = modul.berechne(eingabe, parameter)
    buchungen = [] if leer else beispiel_ist(result)
    _istblatt(wb, buchungen)
    if leer:
        stand = _leerer_stand(modul.NAME, result.jahr)
    else:
        stand = soll_ist_stand(result, buchungen)
    soll_ist = soll_ist_blatt(stand)
    _ausgabe(wb, SOLL_IST, soll_ist)
    _ausgabe(wb, VERLAUF, verlaufsblatt(stand))
    if leer:
        abschluss = Abschluss(
            modul.NAME, result.jahr, True, "Noch kein Ist erfasst.", ("Position", "Betrag"), ()
        )
    else:
        abschluss = jahresabschluss(result, stand, buchungen)
    _ausgabe(wb, ABSCHLUSS, abschlussblatt(abschluss))
    _diagramme(wb, soll_ist)
