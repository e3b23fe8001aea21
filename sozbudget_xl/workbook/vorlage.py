"""Build example and empty workbooks of every model with openpyxl (``sozbudget new``).

A workbook follows :mod:`.schema`: „Anleitung“, „Parameter“, one sheet per input table
(a real Excel table with a style, data validation per column, German number formats,
frozen header), the outputs „Ergebnis“, „Zahlungsplan“, „Kennzahlen“ (filled from
:func:`.schema.ausgaben` of the example) and „Diagramm“ (a native bar chart of the budget by
Träger or Sozialraum that reads the summary block on „Kennzahlen“).

:func:`erzeuge_makro` builds the macro-enabled ``kgst_makro.xlsm`` for xlwings from the
template that ships with xlwings (it carries the xlwings VBA module in ``vbaProject.bin``).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from ..models import modell, namen
from ..spec import funktionsname
from . import schema as S

__all__ = [
    "FORMATE",
    "FORMELBLATT",
    "MAKRO_MODELL",
    "erzeuge",
    "erzeuge_makro",
    "schreibe_ausgabeblatt",
    "xlwings_vorlage",
]

#: Excel number format per cell type (Excel stores them locale-free; German Excel shows 1.234,56 €)
FORMATE = {
    "betrag": '#,##0.00 "€"',
    "prozent": "0.00%",
    "zahl": "General",
    "ganzzahl": "0",
    "datum": "DD.MM.YYYY",
}
TABELLENSTIL = "TableStyleMedium2"
#: rows below the data that still get the column's data validation (new entries)
RESERVE_ZEILEN = 500
MAKRO_MODELL = "kgst"
#: sheet of the macro workbook that computes the model live with the SRB_ worksheet functions
FORMELBLATT = "Formeln"

_KOPF_FUELLUNG = PatternFill("solid", fgColor="FF1F4E78")
_KOPF_SCHRIFT = Font(name="Calibri", bold=True, color="FFFFFFFF")
_TITEL_SCHRIFT = Font(name="Calibri", bold=True, size=14, color="FF1F4E78")
_ABSCHNITT_SCHRIFT = Font(name="Calibri", bold=True, size=11, color="FF1F4E78")
_FETT = Font(name="Calibri", bold=True)
_LINIE_OBEN = Border(top=Side(style="thin"))
_UMBRUCH = Alignment(wrap_text=True, vertical="top")
#: the choices of a yes/no cell: every word the Anleitung names (all in parsing.JA / parsing.NEIN)
JA_NEIN_AUSWAHL = ("ja", "nein", "x", "1", "0", "wahr", "falsch", "erfüllt", "nicht erfüllt", "✓")
#: what the Anleitung says about yes/no cells (the list offers exactly these words)
_JA_NEIN_TEXT = (
    "„ja“ oder „nein“ aus der Liste wählen oder eintippen; ebenso gelten x, 1/0, wahr/falsch, "
    "erfüllt/nicht erfüllt und ✓ (alle stehen in der Auswahlliste; Groß-/Kleinschreibung egal)"
)
#: the command that recalculates a workbook, as the Anleitung shows it
RECALC_BEFEHL = "sozbudget recalc <Datei> --inplace"
#: footer of every printed page: sheet name left, page numbers centred
_FUSSZEILE = ("&A", "Seite &P von &N")
#: sheets wider than this (characters) print in landscape
_QUER_AB = 100
_ANLEITUNG_BREITE = 110


# --------------------------------------------------------------------------- helpers


def _setze(zelle: Any, wert: Any) -> None:
    """Write a value; text starting with „=“ stays text (never becomes a formula)."""
    zelle.value = wert
    if isinstance(wert, str) and wert.startswith("="):
        zelle.data_type = "s"


def _liste(werte: Sequence[str]) -> str:
    return '"' + ",".join(werte) + '"'


def _validierung(
    typ: str,
    *,
    auswahl: Sequence[str] | None = None,
    negativ: bool = False,
    quelle: str | None = None,
    titel: str = "",
) -> DataValidation | None:
    """The data validation of a cell type (German prompts and error messages)."""
    dv: DataValidation | None
    if quelle is not None:
        dv = DataValidation(type="list", formula1=f"={quelle}", allow_blank=True)
        dv.error = f"Bitte einen Eintrag aus der Liste wählen ({titel})."
    elif auswahl is not None:
        dv = DataValidation(type="list", formula1=_liste(auswahl), allow_blank=True)
        dv.error = "Bitte einen Wert aus der Liste wählen: " + ", ".join(auswahl)
    elif typ == "ja_nein":
        dv = DataValidation(type="list", formula1=_liste(JA_NEIN_AUSWAHL), allow_blank=True)
        # other spellings the reader accepts (JA, Wahr as a boolean) pass after a note
        dv.errorStyle = "information"
        dv.error = "Angenommen werden: " + ", ".join(JA_NEIN_AUSWAHL) + "."
    elif typ == "prozent":
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="1", allow_blank=True)
        dv.error = "Bitte einen Prozentsatz von 0 % bis 100 % eingeben."
    elif typ in ("betrag", "zahl") and not negativ:
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.error = (
            "Bitte eine Zahl ab 0 eingeben." if typ == "zahl" else "Bitte einen Betrag ab 0 € eingeben."
        )
    elif typ == "ganzzahl" and not negativ:
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.error = "Bitte eine ganze Zahl ab 0 eingeben."
    elif typ == "datum":
        dv = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
        dv.error = "Bitte ein Datum eingeben (TT.MM.JJJJ)."
    else:
        return None
    dv.errorTitle = "Ungültige Eingabe"
    dv.showErrorMessage = True
    return dv


def _breiten(ws: Worksheet, *, mindest: float = 8, hoechst: float = 60) -> None:
    breite: dict[int, float] = {}
    for zeile in ws.iter_rows():
        for zelle in zeile:
            if zelle.value is None:
                continue
            wert = zelle.value
            if isinstance(wert, float):
                text = f"{wert:,.2f}"
            elif isinstance(wert, dt.date):
                text = "00.00.0000"
            else:
                text = str(wert)
            laenge = max(len(t) for t in text.split("\n")) + 2
            breite[zelle.column] = max(breite.get(zelle.column, 0), laenge)
    for spalte, b in breite.items():
        ws.column_dimensions[get_column_letter(spalte)].width = max(mindest, min(hoechst, b * 1.1))


def _kopfzeile(ws: Worksheet, zeile: int, titel: Sequence[str]) -> None:
    for j, t in enumerate(titel, start=1):
        z = ws.cell(row=zeile, column=j, value=t)
        z.font = _KOPF_SCHRIFT
        z.fill = _KOPF_FUELLUNG
        z.alignment = Alignment(vertical="center", wrap_text=False)


def _listenname(tabelle: str, spalte: str) -> str:
    return (
        f"Liste_{tabelle}_{spalte}".replace(" ", "_")
        .replace("-", "_")
        .replace("ä", "ae")
        .replace("ö", "oe")
        .replace("ü", "ue")
        .replace("Ä", "Ae")
        .replace("Ö", "Oe")
        .replace("Ü", "Ue")
        .replace("ß", "ss")
    )


# --------------------------------------------------------------------------- sheets


def _anleitung(ws: Worksheet, modul: Any, ms: S.Mappenschema) -> None:
    ws.sheet_properties.tabColor = "1F4E78"
    ws.column_dimensions["A"].width = _ANLEITUNG_BREITE
    zeilen = [*_anleitung_vorgehen(modul, ms), *_ANLEITUNG_EINGABEN, *_anleitung_ergebnisse(modul)]
    for i, (text, schrift) in enumerate(zeilen, start=1):
        z = ws.cell(row=i, column=1, value=text)
        z.alignment = _UMBRUCH
        if schrift is not None:
            z.font = schrift
        # openpyxl cannot measure text: estimate the wrapped lines so nothing overlaps
        zeilen_n = max(1, -(-len(text) * 11 // (_ANLEITUNG_BREITE * 10)))
        groesse = 14 if schrift is _TITEL_SCHRIFT else 11
        ws.row_dimensions[i].height = zeilen_n * (groesse * 1.35)


def _anleitung_vorgehen(modul: Any, ms: S.Mappenschema) -> list[tuple[str, Font | None]]:
    """Title, what the model computes, the report's readings and the steps (one per input table)."""
    from ..doku import lesarten  # every reading of the report with its default (as in the README)

    zeilen: list[tuple[str, Font | None]] = [
        (modul.TITEL, _TITEL_SCHRIFT),
        (f"Modell „{modul.NAME}“ · Quelle: {modul.QUELLE}", None),
        ("", None),
        ("Was das Modell berechnet", _ABSCHNITT_SCHRIFT),
        (modul.BESCHREIBUNG, None),
        ("", None),
        ("Lesarten des Gutachtens und Standardwerte (auf „Parameter“ änderbar)", _ABSCHNITT_SCHRIFT),
        *((f"• {z}", None) for z in lesarten(modul)),
        ("", None),
        ("So gehen Sie vor", _ABSCHNITT_SCHRIFT),
        (
            "1. Blatt „Parameter“: in Spalte B die Werte eintragen (Spalte C erklärt jeden Wert). "
            "„Modell“ nicht ändern; leere Felder bedeuten den Standardwert.",
            None,
        ),
    ]
    for nr, t in enumerate(ms.tabellen, start=2):
        pflicht = ", ".join(sp.titel for sp in t.spalten if sp.pflicht)
        frei = ", ".join(sp.titel for sp in t.spalten if not sp.pflicht)
        text = (
            f"{nr}. Blatt „{t.blatt}“ (Tabelle {t.name}): eine Zeile je Eintrag. Pflichtspalten: {pflicht}."
        )
        if frei:
            text += f" Optional: {frei}."
        zeilen.append((text, None))
        for sp in t.spalten:
            zeilen.append((f"      • {sp.titel}: {sp.hilfe}" + ("" if sp.pflicht else " (optional)"), None))
    schritt = len(ms.tabellen) + 2
    zeilen += [
        (
            f"{schritt}. Speichern und schließen, dann neu berechnen: in der Eingabeaufforderung "
            f"„{RECALC_BEFEHL}“ (schreibt die Ergebnisse in die Mappe; vorher wird eine Sicherungskopie "
            "im Ordner .sozbudget-sicherung angelegt) oder „sozbudget recalc <Datei> --out <Ordner>“ "
            "(schreibt eine Kopie mit Ergebnissen in den Ordner). Nur prüfen, ohne zu schreiben: "
            "„sozbudget check <Datei>“. Es werden nur die Ergebnisblätter überschrieben.",
            None,
        ),
    ]
    return zeilen


#: the rules for entering values (the same for every model)
_ANLEITUNG_EINGABEN: list[tuple[str, Font | None]] = [
    ("", None),
    ("Eingaben", _ABSCHNITT_SCHRIFT),
    (
        "• Beträge in Euro als Zahl (1234,56) oder Text („1.234,56 €“); keine DM-Beträge, "
        "keine negativen Beträge.",
        None,
    ),
    (
        "• Prozentsätze als Prozentzahl (70 %) – Excel speichert 0,7; Text „70 %“ geht auch. Erlaubt: "
        "0 % bis 100 %.",
        None,
    ),
    (
        "• Ja/Nein-Spalten: " + _JA_NEIN_TEXT + ". Listen in einer Zelle trennen Sie mit „;“. "
        "Auswahlfelder zeigen deutsche Wörter (z. B. „jährlich“); die Kürzel (jaehrlich) gelten auch.",
        None,
    ),
    (
        "• Neue Zeilen direkt unter der Tabelle eintragen – in Excel wächst die Tabelle mit. Wächst sie "
        "nicht (LibreOffice, eingefügte Zeilen), rechnet sozbudget die Zeilen direkt unter der Tabelle "
        "trotzdem mit und nennt sie unter „Hinweise“; eine Summenzeile unter der Tabelle bitte durch "
        "eine Leerzeile trennen.",
        None,
    ),
    (
        "• Fehler nennen Blatt und Zelle, z. B.: Blatt „Träger“, Zelle B3, Spalte „Anteil“: "
        "erwartet 0 bis 100 %, gefunden 120 %.",
        None,
    ),
]


def _anleitung_ergebnisse(modul: Any) -> list[tuple[str, Font | None]]:
    """What each output sheet holds, controlling in the year and the year-end."""
    zeilen: list[tuple[str, Font | None]] = [
        ("", None),
        (
            "Ergebnisse (nicht von Hand ändern – werden bei jeder Berechnung neu geschrieben)",
            _ABSCHNITT_SCHRIFT,
        ),
        (
            "• Ergebnis: jede Budgetposition mit Träger, Sozialraum, Art (unbedingt, bedingt, Bonus, offen, "
            "einbehalten), Bedingung, Betrag und Quelle; die letzte Zeile ist die Summe. Alle Beträge sind "
            "centgenau verteilt (Restcent-Verfahren), die Summe stimmt exakt.",
            None,
        ),
        (
            "• Zahlungsplan: die Abschläge je Empfänger mit Fälligkeit (Zahlungsweise aus „Parameter“). "
            "Darunter der Abgleich mit dem Gesamtbudget: gezahlt werden in Abschlägen nur die unbedingten "
            "Beträge; bedingte, Bonus- und offene Beträge werden später gezahlt, einbehaltene bleiben beim "
            "Jugendamt.",
            None,
        ),
        (
            "• Kennzahlen: Summen und Kennzahlen des Modells, darunter die Zusammenfassung für das Diagramm, "
            "weitere Tabellen des Modells und die Hinweise (Warnungen, die Sie prüfen sollten).",
            None,
        ),
        (
            "• Diagramm: Budget nach Träger (bzw. Sozialraum) als Balkendiagramm; es zeigt bei jeder "
            "Berechnung genau die aktuellen Zeilen. Beträge ohne Träger (Jugendamt) stehen getrennt unter "
            "„Nicht im Diagramm“ auf „Kennzahlen“.",
            None,
        ),
        (
            "• Verträge: je Vertrag eine Zeile mit fester Vertragsnummer, Träger, Anschrift und "
            "Unterzeichnenden (Spalten mit Anschrift und Unterzeichnenden füllen Sie aus; sie bleiben bei "
            "jeder Berechnung erhalten). Daraus entstehen die Vertragsanlagen: „sozbudget annex <Datei> "
            "--out <Ordner> --art plan“ (Budget und Zahlungsplan zur Unterschrift) bzw. mit „--art "
            "abrechnung“ die Abrechnung nach dem Jahr. Eine Anlage aus einer nicht neu berechneten Mappe "
            "wird abgelehnt.",
            None,
        ),
        ("", None),
        ("Controlling im Jahr und Jahresabschluss", _ABSCHNITT_SCHRIFT),
        (
            "• Blatt „Ist“: je Monat eine Zeile je Träger und Sozialraum mit den tatsächlichen Ausgaben "
            "(und Fällen bzw. Fachleistungsstunden, wo das Modell sie nutzt). Exporte aus der Fallsoftware "
            "übernimmt „sozbudget ist-import <Datei> <CSV-Datei>“ (Trennzeichen „;“, deutsche Zahlen); ein "
            "erneut eingelesener Monat ersetzt seine Zeilen.",
            None,
        ),
        (
            "• Soll-Ist, Soll-Ist Verlauf, Soll-Ist Diagramm: Soll bis zum letzten gemeldeten Monat (aus dem "
            "Zahlungsplan des Vertrags), Ist, Differenz, Ausschöpfung und Prognose zum Jahresende je Träger "
            "und Sozialraum; Überschreitungen stehen als Hinweis da, nie stillschweigend.",
            None,
        ),
        (
            "• Jahresabschluss: Rücklagen, Fonds und Bonus nach den Regeln des Modells – vorläufig, bis alle "
            "zwölf Monate eingetragen sind. Zum Jahreswechsel legt „sozbudget jahreswechsel <Datei> "
            "<Datei des nächsten Jahres>“ die Mappe des nächsten Jahres an (Salden als Vorträge); die "
            "alte bleibt unverändert.",
            None,
        ),
    ]
    if modul.NAME in ("dreisaeulen", "celle"):  # the models with an indicator key (sozbudget_xl.analyse)
        zeilen.append(
            (
                "• Veränderung: steht auf „Parameter“ eine Vorjahresmappe, zerlegt die Berechnung die "
                "Veränderung jedes Sozialraums und Trägers in € nach ihren Ursachen (Gesamtbudget, "
                "Zielgruppe, Indikatoren, Gewichte, Methode …); die Teile ergeben centgenau die Veränderung.",
                None,
            )
        )
    return zeilen


def _parameter(ws: Worksheet, ms: S.Mappenschema, werte: dict[str, Any]) -> None:
    _kopfzeile(ws, 1, S.PARAMETER_KOPF)
    for i, p in enumerate(ms.parameter, start=2):
        ws.cell(row=i, column=1, value=p.titel).font = (
            _FETT if p.ziel != "mappe" else Font(name="Calibri", italic=True)
        )
        wert = werte.get(p.titel)
        zelle = ws.cell(row=i, column=2)
        _setze(zelle, wert)
        if p.typ in FORMATE:
            zelle.number_format = FORMATE[p.typ]
        zelle.alignment = (
            Alignment(horizontal="left") if p.typ in ("text", "liste", "ja_nein") else Alignment()
        )
        hinweis = p.hilfe
        if p.standard is not None and p.ziel != "mappe" and "Standard" not in hinweis:
            hinweis += f" (Standard: {_anzeige(p.typ, p.standard)})"
        ws.cell(row=i, column=3, value=hinweis).alignment = Alignment(wrap_text=False)
        negativ = p.typ == "ganzzahl" and p.auswahl is not None and any(a.startswith("-") for a in p.auswahl)
        dv = _validierung(p.typ, auswahl=p.auswahl, negativ=negativ, titel=p.titel)
        if p.feld == "modell":
            dv = _validierung("text", auswahl=namen())
        if dv is not None:
            dv.prompt, dv.promptTitle, dv.showInputMessage = p.hilfe[:255], p.titel[:32], True
            ws.add_data_validation(dv)
            dv.add(zelle)
    ws.column_dimensions["A"].width = 38
    ws.column_dimensions["B"].width = 34
    ws.column_dimensions["C"].width = 100
    ws.freeze_panes = "A2"


def _anzeige(typ: str, wert: Any) -> str:
    if typ == "prozent" and isinstance(wert, int | float):
        return f"{wert * 100:.2f}".rstrip("0").rstrip(".").replace(".", ",") + " %"
    if typ == "betrag" and isinstance(wert, int | float):
        return f"{wert:,.2f} €".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return str(wert)


def _eingabetabelle(
    ws: Worksheet,
    modell_name: str,
    t: S.Tabelle,
    zeilen: list[dict[str, Any]],
    listen: dict[tuple[str, str], str],
) -> None:
    titel = [sp.titel for sp in t.spalten]
    for z in zeilen:  # further data columns of the example
        titel += [k for k in z if k not in titel]
    _kopfzeile(ws, 1, titel)
    arten = {sp.titel: sp for sp in t.spalten}
    for i, z in enumerate(zeilen, start=2):
        for j, k in enumerate(titel, start=1):
            zelle = ws.cell(row=i, column=j)
            _setze(zelle, z.get(k))
    letzte = max(2, len(zeilen) + 1)
    for j, k in enumerate(titel, start=1):
        sp = arten.get(k)
        typ = sp.typ if sp else "zahl"
        spalte = get_column_letter(j)
        for i in range(2, letzte + 1):  # Excel carries the format into new table rows
            if typ in FORMATE:
                ws.cell(row=i, column=j).number_format = FORMATE[typ]
        quelle = listen.get(S.verweise(modell_name).get((t.name, k), ("", "")))
        negativ = (
            typ in ("zahl", "ganzzahl")
            and sp is not None
            and sp.auswahl is None
            and S.negativ_erlaubt(modell_name, t.name, k)
        )
        if sp is not None and sp.auswahl is not None and typ == "ganzzahl":
            negativ = True
        dv = _validierung(typ, auswahl=sp.auswahl if sp else None, negativ=negativ, quelle=quelle, titel=k)
        if dv is not None:
            dv.prompt = (sp.hilfe if sp else "Datenspalte (Zahl)")[:255]
            dv.promptTitle, dv.showInputMessage = k[:32], True
            ws.add_data_validation(dv)
            dv.add(f"{spalte}2:{spalte}{letzte + RESERVE_ZEILEN}")
    ref = f"A1:{get_column_letter(len(titel))}{letzte}"
    tab = Table(displayName=t.name, ref=ref)
    tab.tableStyleInfo = TableStyleInfo(name=TABELLENSTIL, showRowStripes=True, showColumnStripes=False)
    ws.add_table(tab)
    ws.freeze_panes = "A2"
    _breiten(ws)
    for j in range(1, len(titel) + 1):  # room for the filter button
        d = ws.column_dimensions[get_column_letter(j)]
        d.width = max(d.width or 0, len(titel[j - 1]) * 1.1 + 5)


def schreibe_ausgabeblatt(ws: Worksheet, blatt: str, zeilen: Sequence[Sequence[Any]]) -> None:
    """Fill an output sheet with the rows of :func:`.schema.ausgaben`: number formats from the
    units, header fill, block titles, bold total row with a rule, wrapped long texts, widths,
    header row repeated on printed pages (the same presentation recalc writes)."""
    if not isinstance(zeilen, S.Blatt):
        zeilen = S.Blatt(zeilen)
        zeilen.arten[0] = "kopf"
    if not zeilen.breiten:
        zeilen.gestalte()
    formate, arten = zeilen.formate, zeilen.arten
    for i, z in enumerate(zeilen, start=1):
        art = arten.get(i - 1)
        if art == "kopf":
            _kopfzeile(ws, i, [str(x) for x in z])
            continue
        for j, wert in enumerate(z, start=1):
            zelle = ws.cell(row=i, column=j)
            _setze(zelle, wert)
            fmt = formate.get((i - 1, j - 1))
            if fmt:
                zelle.number_format = fmt
            if art == "titel":
                zelle.font = _ABSCHNITT_SCHRIFT
            elif art == "summe":
                zelle.font, zelle.border = _FETT, _LINIE_OBEN
            elif (i - 1, j - 1) in zeilen.umbruch or i - 1 in zeilen.hoehen:
                zelle.alignment = _UMBRUCH  # a taller row: every cell at the top, so the row reads as one
        if i - 1 in zeilen.hoehen:
            ws.row_dimensions[i].height = zeilen.hoehen[i - 1]
    ws.freeze_panes = "A2"
    summe = next((z for z in sorted(arten) if arten[z] == "summe"), len(zeilen))
    if blatt != "Kennzahlen" and summe > 1:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(zeilen[0]))}{summe}"
    for j, breite in enumerate(zeilen.breiten, start=1):
        ws.column_dimensions[get_column_letter(j)].width = breite
    _druck(ws, kopfzeilen=True)


def _druck(ws: Worksheet, *, kopfzeilen: bool) -> None:
    """Print setup: A4, one page wide, landscape when the columns are wide, page numbers in the
    footer, header row repeated on every page (``kopfzeilen``)."""
    breite = sum(
        (ws.column_dimensions[get_column_letter(j)].width or 9) for j in range(1, (ws.max_column or 1) + 1)
    )
    ws.page_setup.orientation = "landscape" if breite > _QUER_AB else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.oddFooter.left.text, ws.oddFooter.center.text = _FUSSZEILE
    ws.evenFooter.left.text, ws.evenFooter.center.text = _FUSSZEILE
    if kopfzeilen:
        ws.print_title_rows = "1:1"


def _diagramm(wb: Workbook, kennzahlen: Sequence[Sequence[Any]]) -> None:
    bereich = S.diagramm_bereich(kennzahlen)
    if bereich is None:
        return
    titel, erste, letzte = bereich
    ws = wb.create_sheet("Diagramm")
    ws["A1"] = titel
    ws["A1"].font = _TITEL_SCHRIFT
    ws["A2"] = (
        "Daten: Blatt „Kennzahlen“, Abschnitt „" + titel + "“. Bei jeder Berechnung zeigt das Diagramm "
        "genau die aktuellen Zeilen; Beträge ohne Träger stehen dort unter „Nicht im Diagramm“."
    )
    quelle = wb["Kennzahlen"]
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = titel
    chart.y_axis.title = "Betrag in €"
    chart.y_axis.numFmt = '#,##0 "€"'
    chart.y_axis.majorGridlines = None
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend = None
    # rows of `kennzahlen` are 0-based; sheet rows are 1-based
    daten = Reference(quelle, min_col=2, min_row=erste, max_row=letzte + 1)
    kategorien = Reference(quelle, min_col=1, min_row=erste + 1, max_row=letzte + 1)
    chart.add_data(daten, titles_from_data=True)
    chart.set_categories(kategorien)
    for reihe in chart.series:  # the categories are names: a text reference (openpyxl writes numbers)
        reihe.cat = AxDataSource(strRef=StrRef(f=str(kategorien)))
    chart.height = max(7.5, 1.0 * (letzte - erste + 1) + 3)
    chart.width = 24
    ws.add_chart(chart, "A4")
    ws.column_dimensions["A"].width = 20


# --------------------------------------------------------------------------- workbook


def _controlling(wb: Workbook, modell_name: str, *, leer: bool) -> None:
    """Controlling sheets (issue 16): „Ist“ (empty in new workbooks, six months in the examples),
    „Soll-Ist“, „Soll-Ist Verlauf“, „Jahresabschluss“ and „Soll-Ist Diagramm“."""
    from ..jahr.vorlage import controlling_blaetter

    controlling_blaetter(wb, modell_name, leer=leer)


def _fuelle(wb: Workbook, modell_name: str, *, leer: bool, anleitung: Worksheet) -> None:
    """Write all sheets of a model's workbook into ``wb`` (``anleitung``: its first sheet)."""
    modul = modell(modell_name)
    ms = S.schema(modul.NAME)
    werte, tabellen = S.beispiel_daten(modul.NAME)
    if leer:
        werte = {p.titel: p.standard for p in ms.parameter}
        werte["Modell"] = modul.NAME
        tabellen = {t.name: [] for t in ms.tabellen}
    anleitung.title = "Anleitung"
    _anleitung(anleitung, modul, ms)
    _parameter(wb.create_sheet(S.PARAMETER_BLATT), ms, werte)
    # master lists for validations: a defined name per referenced table column
    listen: dict[tuple[str, str], str] = {}
    for ziel in sorted(set(S.verweise(modul.NAME).values())):
        t = ms.tabelle(ziel[0])
        spalte = get_column_letter([sp.titel for sp in t.spalten].index(ziel[1]) + 1)
        name = _listenname(*ziel)
        blatt = quote_sheetname(t.blatt)
        # grows with the table: from row 2 down to the last filled cell of the column
        formel = f"OFFSET({blatt}!${spalte}$2,0,0,MAX(1,COUNTA({blatt}!${spalte}:${spalte})-1),1)"
        wb.defined_names[name] = DefinedName(name, attr_text=formel)
        listen[ziel] = name
    for t in ms.tabellen:
        _eingabetabelle(wb.create_sheet(t.blatt), modul.NAME, t, list(tabellen.get(t.name, [])), listen)
    if leer:  # header rows and the empty chart block: the same sheets as the examples
        ausgaben = S.leere_ausgaben(modul.NAME)
    else:
        eingabe, parameter = S.eingabe_aus_daten(modul.NAME, werte, tabellen)
        ausgaben = S.ausgaben(modul.berechne(eingabe, parameter))
    for blatt in S.AUSGABEBLAETTER:
        ws = wb.create_sheet(blatt)
        ws.sheet_properties.tabColor = "70AD47"
        schreibe_ausgabeblatt(ws, blatt, ausgaben[blatt])
    _diagramm(wb, ausgaben["Kennzahlen"])
    _controlling(wb, modul.NAME, leer=leer)
    wb.active = wb.sheetnames.index(S.PARAMETER_BLATT)  # open on „Parameter“
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws.title == S.PARAMETER_BLATT
    eingaben = {S.PARAMETER_BLATT, *(t.blatt for t in ms.tabellen)}
    for ws in wb.worksheets:  # print: one page wide, page numbers, header row on every page
        if ws.title not in S.AUSGABEBLAETTER:
            _druck(ws, kopfzeilen=ws.title in eingaben)
    wb.properties.title = modul.TITEL
    wb.properties.creator = "sozbudget_xl"


def erzeuge(modell_name: str, pfad: str | os.PathLike[str], *, leer: bool = False) -> Path:
    """Write the example workbook of a model (``leer=True``: empty tables, default parameters)."""
    pfad = Path(pfad)
    if pfad.suffix.lower() == ".xlsm":
        return erzeuge_makro(pfad, modell_name, leer=leer)
    wb = Workbook()
    _fuelle(wb, modell_name, leer=leer, anleitung=wb.active)
    wb.save(pfad)
    return pfad


def xlwings_vorlage() -> Path | None:
    """The macro template that ships with xlwings (with the xlwings VBA module), if any."""
    try:
        import xlwings
    except ImportError:  # pragma: no cover - xlwings is a dependency
        return None
    datei = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
    return datei if datei.exists() else None


def _bereich(ws: Worksheet, bis_spalte: int, bis_zeile: int) -> str:
    """A range from A1 on another sheet, e.g. ``'Träger'!A1:D4``."""
    return f"{quote_sheetname(ws.title)}!A1:{get_column_letter(bis_spalte)}{bis_zeile}"


def _formeln(wb: Workbook, modell_name: str) -> None:
    """Add the sheet „Formeln“: the model as one array formula of its worksheet function
    (``SRB_KGST(Parameter!A1:B16,'Träger'!A1:D4)``) over a range as large as its result
    (the „Ergebnis“ table of the example plus one „Hinweis:“ row per warning), and one example
    each of ``SRB_VERTEILEN`` and ``SRB_BETRAG``. In Excel with xlwings it recalculates live;
    the cells show the numbers ``sozbudget recalc`` writes to „Ergebnis“.
    """
    modul = modell(modell_name)
    ms = S.schema(modul.NAME)
    werte, tabellen = S.beispiel_daten(modul.NAME)
    ergebnis = modul.berechne(*S.eingabe_aus_daten(modul.NAME, werte, tabellen))
    kopf = [str(x) for x in S.ausgaben(ergebnis)["Ergebnis"][0]]
    hoehe = len(S.ausgaben(ergebnis)["Ergebnis"]) + len(ergebnis.warnungen)

    param = wb[S.PARAMETER_BLATT]
    argumente = [_bereich(param, 2, len(ms.parameter) + 1)]
    for t in ms.tabellen:
        ws_t = wb[t.blatt]
        ref = ws_t.tables[t.name].ref  # A1:D4, header row included
        argumente.append(f"{quote_sheetname(ws_t.title)}!{ref}")
    udf = funktionsname(modul.NAME)
    formel = f"={udf}({','.join(argumente)})"
    anzeige = formel.replace(",", ";")  # German Excel separates arguments with „;“

    ws = wb.create_sheet(FORMELBLATT)
    ws.sheet_properties.tabColor = "7030A0"
    ws["A1"] = f"Formeln: {modul.TITEL} – live in Excel berechnet"
    ws["A1"].font = _TITEL_SCHRIFT
    hinweise = [
        "Dieses Blatt rechnet mit den Excel-Funktionen SRB_… von sozbudget_xl: in Excel unter Windows mit "
        "dem xlwings-Add-in (Einstellungen auf Blatt „xlwings.conf“) wird es bei jeder Änderung "
        "auf „Parameter“ oder in den Eingabetabellen sofort neu berechnet.",
        "Die Zahlen stimmen centgenau mit dem Blatt „Ergebnis“ überein, das „sozbudget recalc“ schreibt; "
        "Zeilen „Hinweis: …“ unter der Summe sind die Hinweise des Modells.",
        f"Unten steht eine Matrixformel über {{ref}} ({len(kopf)} Spalten, {hoehe} Zeilen; älteres Excel: "
        f"Bereich markieren, Formel eingeben, Strg+Umschalt+Eingabe): {anzeige}",
        "In Excel 365 genügt dieselbe Formel als einzelne Formel in einer Zelle – ihr Ergebnis läuft "
        "automatisch über (dynamisches Array) und passt sich der Zahl der Zeilen an; mit Tabellenbezügen "
        "(z. B. " + ms.tabellen[0].name + "[#Alle]) wachsen auch die Eingabebereiche mit.",
        "Neue Zeilen in einer Eingabetabelle oder ein größeres Ergebnis: Bereiche der Formel erweitern. "
        "Ohne Python (z. B. in LibreOffice) zeigen diese Zellen #NAME?.",
    ]
    start = len(hinweise) + 3
    ende = start + hoehe - 1
    ref = f"A{start}:{get_column_letter(len(kopf))}{ende}"
    for i, text in enumerate(hinweise, start=2):
        ws.cell(row=i, column=1, value=text.replace("{ref}", ref))
    ws.cell(row=start - 1, column=1, value=f"Ergebnis ({udf})").font = _ABSCHNITT_SCHRIFT
    ws.cell(row=start, column=1).value = ArrayFormula(ref, formel)
    for j, titel in enumerate(kopf, start=1):
        z = ws.cell(row=start, column=j)
        z.font, z.fill = _KOPF_SCHRIFT, _KOPF_FUELLUNG
        if titel == "Betrag":  # the Betrag column of „Ergebnis“ (unit Euro)
            for zeile in range(start + 1, ende + 1):
                ws.cell(row=zeile, column=j).number_format = FORMATE["betrag"]

    # SRB_VERTEILEN: the total budget by the first table's first share column (KGSt: Anteil)
    zeile = ende + 2
    budget = next((i for i, p in enumerate(ms.parameter, start=2) if p.typ == "betrag"), None)
    t = ms.tabellen[0]
    anteil = next((j for j, sp in enumerate(t.spalten, start=1) if sp.typ in ("prozent", "zahl")), None)
    anzahl = max(1, len(tabellen.get(t.name, [])))
    blatt_t = quote_sheetname(t.blatt)
    if budget is not None and anteil is not None:
        ws.cell(row=zeile, column=1, value="Betrag verteilen (SRB_VERTEILEN)").font = _ABSCHNITT_SCHRIFT
        ws.cell(
            row=zeile + 1,
            column=1,
            value=f"„{ms.parameter[budget - 2].titel}“ centgenau im Verhältnis der Spalte "
            f"„{t.spalten[anteil - 1].titel}“ aufgeteilt (Restcent-Verfahren; Summe stimmt exakt).",
        )
        erste = zeile + 2
        sp = get_column_letter(anteil)
        for k in range(anzahl):
            ws.cell(row=erste + k, column=1, value=f"={blatt_t}!A{k + 2}")
            ws.cell(row=erste + k, column=2).number_format = FORMATE["betrag"]
        ws.cell(row=erste, column=2).value = ArrayFormula(
            f"B{erste}:B{erste + anzahl - 1}",
            f"=SRB_VERTEILEN({quote_sheetname(param.title)}!B{budget},{blatt_t}!{sp}2:{sp}{anzahl + 1})",
        )
        zeile = erste + anzahl + 1
        ws.cell(row=zeile, column=1, value="Betrag als Text (SRB_BETRAG)").font = _ABSCHNITT_SCHRIFT
        ws.cell(row=zeile + 1, column=1, value=ms.parameter[budget - 2].titel)
        ws.cell(row=zeile + 1, column=2, value=f"=SRB_BETRAG({quote_sheetname(param.title)}!B{budget})")
    for j in range(1, len(kopf) + 1):  # same widths as „Ergebnis“
        spalte = get_column_letter(j)
        ws.column_dimensions[spalte].width = wb["Ergebnis"].column_dimensions[spalte].width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def erzeuge_makro(
    pfad: str | os.PathLike[str], modell_name: str = MAKRO_MODELL, *, leer: bool = False
) -> Path:
    """Write the macro-enabled workbook for xlwings from xlwings' standalone template.

    The template's VBA project (the xlwings VBA module, so no add-in is needed) is kept;
    its two sheets are reused (same VBA code names): „Sheet1“ becomes „Anleitung“,
    „_xlwings.conf“ becomes the active settings sheet ``xlwings.conf`` with ``UDF Modules``
    = ``sozbudget_xl.excel`` (the module name must not depend on the file name).
    """
    vorlage = xlwings_vorlage()
    if vorlage is None:
        raise FileNotFoundError("keine xlwings-Makrovorlage (quickstart_standalone.xlsm) gefunden")
    pfad = Path(pfad)
    wb = load_workbook(vorlage, keep_vba=True)
    erstes, conf = wb.worksheets[0], wb.worksheets[1]
    _fuelle(wb, modell_name, leer=leer, anleitung=erstes)
    _formeln(wb, modell_name)
    conf.title = "xlwings.conf"
    wb.move_sheet(conf, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(conf.title))
    for zeile in conf.iter_rows(min_row=10):
        for z in zeile:
            z.value = None
    werte = {
        "Interpreter_Win": "python",
        "UDF Modules": "sozbudget_xl.excel",
        "Debug UDFs": False,
        "Use UDF Server": False,
        "Show Console": False,
    }
    for zeile in conf.iter_rows(min_row=1, max_row=9, max_col=1):
        if zeile[0].value in werte:
            conf.cell(row=zeile[0].row, column=2, value=werte[zeile[0].value])
    hinweise = [
        "Einstellungen für xlwings (ab Zelle A1; gelten vor dem Add-in und einer xlwings.conf-Datei):",
        "• Interpreter_Win: python.exe der Umgebung, in der sozbudget_xl installiert ist, z. B. "
        "C:\\sozbudget\\.venv\\Scripts\\python.exe („python“: der Python im Suchpfad).",
        "• UDF Modules: sozbudget_xl.excel – nicht ändern (die SRB_-Funktionen und Makros).",
        "• Funktionen importieren: Menü xlwings › Import Functions (einmal nach jeder Aktualisierung).",
    ]
    for i, text in enumerate(hinweise, start=12):
        conf.cell(row=i, column=1, value=text).font = _FETT if i == 12 else Font(name="Calibri")
    conf.column_dimensions["A"].width = 22
    conf.column_dimensions["B"].width = 30
    wb.save(pfad)
    from ..hosts.makromappe import vervollstaendige  # our VBA module, installed xlwings' VBA, buttons

    return vervollstaendige(pfad)
