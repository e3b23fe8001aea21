"""The workbook contract (sozbudget_xl.workbook.schema) and the example workbooks it generates."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from sozbudget_xl.errors import SozbudgetError
from sozbudget_xl.models import MODELLE, modell
from sozbudget_xl.money import euro
from sozbudget_xl.workbook import schema as S
from sozbudget_xl.workbook.vorlage import JA_NEIN_AUSWAHL, erzeuge

WORKBOOKS = Path(__file__).resolve().parents[1] / "workbooks"
ERLAUBT = (str, float, int, bool, dt.date)
_TEXTBETRAG = re.compile(r"-?\d+\.\d{2}")


def _kanonisch(obj: Any) -> Any:
    """The example with amounts given as text ("1200.00") turned into Decimal, as a cell gives them.

    Some models' beispiel() pass amounts of ``Any``-typed fields as text; a workbook cell holds
    a number, which the schema reads as ``Decimal`` — equal in value, not in type.
    """
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.replace(
            obj, **{f.name: _kanonisch(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.init}
        )
    if isinstance(obj, tuple):
        return tuple(_kanonisch(x) for x in obj)
    if isinstance(obj, str) and _TEXTBETRAG.fullmatch(obj):
        return euro(obj)
    return obj


def _fake_orte(ort: str, zeile: int | None, titel: str) -> tuple[str, str]:
    """Fake coordinates: sheet „Fake-<table>“, cell Q<100+row>, so tests see what orte gave."""
    return f"Fake-{ort}", f"Q{100 + (zeile if zeile is not None else -1)}"


# --------------------------------------------------------------------------- schema


@pytest.mark.parametrize("name", MODELLE)
def test_schema_fills_every_field_of_eingabe_and_parameter(name):
    """Every field of the model's Eingabe and Parameter is filled by a parameter row or a table."""
    assert S.pruefe_abdeckung(name) == []
    s = S.schema(name)
    assert s.modell == name
    assert [p.titel for p in s.parameter[:4]] == [
        "Modell",
        "Haushaltsjahr",
        "Gebietskörperschaft",
        "Jugendamt",
    ]
    titel = [p.titel for p in s.parameter]
    assert len(titel) == len(set(titel))


@pytest.mark.parametrize("name", MODELLE)
def test_tables_have_excel_safe_names_and_unique_columns(name):
    """Table names are ASCII identifiers, sheet names fit Excel, column titles are unique and typed."""
    s = S.schema(name)
    assert len({t.name for t in s.tabellen}) == len(s.tabellen)
    for t in s.tabellen:
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", t.name)
        assert len(t.blatt) <= 31 and not set(t.blatt) & set("[]:*?/\\")
        assert t.blatt not in ("Anleitung", "Parameter", *S.AUSGABEBLAETTER)
        titel = [sp.titel for sp in t.spalten]
        assert len(titel) == len(set(titel))
        assert all(sp.typ in S.TYPEN for sp in t.spalten)


def test_kgst_schema_names_the_columns_in_german():
    """The KGSt Träger table has the German columns Träger, Anteil (prozent), Qualitätsnachweis (ja_nein)."""
    t = S.schema("kgst").tabelle("Traeger")
    assert (t.blatt, t.feld) == ("Träger", "traeger")
    typen = {sp.titel: (sp.typ, sp.pflicht) for sp in t.spalten}
    assert typen == {
        "Träger": ("text", True),
        "Anteil": ("prozent", True),
        "Qualitätsnachweis": ("ja_nein", True),
        "Zusatzfälle": ("zahl", False),
    }


# --------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("name", MODELLE)
def test_round_trip_reproduces_the_example(name):
    """eingabe_aus_daten(beispiel_daten(m)) gives back the model's beispiel() (amount texts as Decimal)."""
    m = modell(name)
    eingabe, parameter = S.eingabe_aus_daten(name, *S.beispiel_daten(name))
    b_eingabe, b_parameter = m.beispiel()
    assert parameter == b_parameter
    assert eingabe == _kanonisch(b_eingabe)
    assert m.berechne(eingabe, parameter) == m.berechne(b_eingabe, b_parameter)


@pytest.mark.parametrize("name", MODELLE)
def test_example_data_holds_only_excel_values(name):
    """beispiel_daten gives raw cell values only (text, numbers, bool, dates, None) — never Decimal."""
    parameter, tabellen = S.beispiel_daten(name)
    werte = list(parameter.values()) + [v for zeilen in tabellen.values() for z in zeilen for v in z.values()]
    assert all(v is None or isinstance(v, ERLAUBT) for v in werte)
    assert parameter["Modell"] == name


def test_cells_accept_excel_and_text_spellings():
    """Percent as 0.4 or „40 %“, ja/nein as x/1/wahr, amounts as German text, all give the same input."""
    parameter, tabellen = S.beispiel_daten("kgst")
    zeilen = tabellen["Traeger"]
    zeilen[0].update({"Anteil": "40 %", "Qualitätsnachweis": "x"})
    zeilen[1].update({"Anteil": "35,0 %", "Qualitätsnachweis": 1})
    zeilen[2].update({"Qualitätsnachweis": "Falsch", "Zusatzfälle": None})
    parameter["Gesamtbudget"] = "1.250.000,00 €"
    eingabe, _ = S.eingabe_aus_daten("kgst", parameter, tabellen)
    assert eingabe == modell("kgst").beispiel()[0]


def test_empty_optional_cells_take_the_default():
    """An empty optional cell (Parameter or table) gives the dataclass default."""
    parameter, tabellen = S.beispiel_daten("kgst")
    parameter.update({"Umverteilung": None, "Anteil fallspezifisch": "", "Bundesland": None})
    _, p = S.eingabe_aus_daten("kgst", parameter, tabellen)
    standard = modell("kgst").Parameter()
    assert (p.umverteilung, p.anteil_fallspezifisch, p.bundesland) == (
        standard.umverteilung,
        standard.anteil_fallspezifisch,
        None,
    )


def test_list_cells_and_data_columns():
    """A „;“ list becomes a tuple; every further column of a base-data table becomes a data key."""
    parameter, tabellen = S.beispiel_daten("stuttgart")
    parameter["Kostentyp-Grenzen"] = "10.000; 20.000,50 €;40000"
    _, p = S.eingabe_aus_daten("stuttgart", parameter, tabellen)
    assert p.kostentyp_grenzen == (Decimal("10000.00"), Decimal("20000.50"), Decimal("40000.00"))
    parameter, tabellen = S.beispiel_daten("celle")
    for z in tabellen["Sozialraeume"]:
        z["Arbeitslose"] = "1.234.000"  # „1.234“ alone would be ambiguous (issue 11)
    eingabe, _ = S.eingabe_aus_daten("celle", parameter, tabellen)
    daten = {"Jugendeinwohner": 1850, "HzE-Quote": 3.1, "Arbeitslose": 1234000}
    assert eingabe.sozialraeume[0].daten == daten


# --------------------------------------------------------------------------- errors


FEHLERFAELLE = [
    ("Traeger", 1, "Anteil", "viel", "ist kein"),
    ("Traeger", 2, "Zusatzfälle", "drei", "keine Zahl"),
    ("Traeger", 0, "Anteil", 1.2, "gefunden 120 %"),
    ("Traeger", 0, "Anteil", "120 %", "gefunden 120 %"),
    ("Traeger", 1, "Qualitätsnachweis", "vielleicht", "weder ja noch nein"),
    ("Traeger", 2, "Träger", None, "Pflichtfeld ist leer"),
    ("Traeger", 2, "Anteil", "", "Pflichtfeld ist leer"),
    ("Parameter", None, "Gesamtbudget", -100, "nicht negativ"),
    ("Parameter", None, "Gesamtbudget", "zwei Millionen", "kein gültiger Betrag"),
    ("Parameter", None, "Gesamtbudget", None, "Pflichtfeld ist leer"),
    ("Parameter", None, "Haushaltsjahr", 2026.5, "keine ganze Zahl"),
    ("Parameter", None, "Umverteilung", "nach Gefühl", "kein zulässiger Wert"),
    ("Parameter", None, "Modell", "celle", "anderen Modell"),
]


@pytest.mark.parametrize(("ort", "zeile", "titel", "wert", "meldung"), FEHLERFAELLE)
def test_bad_cell_is_a_german_error_naming_sheet_and_cell(ort, zeile, titel, wert, meldung):
    """A bad cell value raises a SozbudgetError whose message names the sheet and cell orte gave."""
    parameter, tabellen = S.beispiel_daten("kgst")
    if ort == "Parameter":
        parameter[titel] = wert
    else:
        tabellen[ort][zeile][titel] = wert
    with pytest.raises(SozbudgetError) as info:
        S.eingabe_aus_daten("kgst", parameter, tabellen, orte=_fake_orte)
    blatt, zelle = _fake_orte(ort, zeile, titel)
    text = str(info.value)
    assert f"Blatt „{blatt}“" in text and f"Zelle {zelle}" in text
    assert meldung in text
    assert (info.value.sheet, info.value.cell) == (blatt, zelle)


def test_orte_receives_table_row_and_column_title():
    """orte is asked with the table name, the 0-based row and the column title of the bad cell."""
    fragen = []

    def orte(ort, zeile, titel):
        fragen.append((ort, zeile, titel))
        return ("Träger", "C4")

    parameter, tabellen = S.beispiel_daten("kgst")
    tabellen["Traeger"][2]["Qualitätsnachweis"] = "kaum"
    with pytest.raises(SozbudgetError, match=r"Blatt „Träger“, Zelle C4, Spalte „Qualitätsnachweis“"):
        S.eingabe_aus_daten("kgst", parameter, tabellen, orte=orte)
    assert fragen == [("Traeger", 2, "Qualitätsnachweis")]


def test_default_locations_follow_the_contract_layout():
    """Without orte, a table cell is located at A1-based table coordinates on its sheet."""
    parameter, tabellen = S.beispiel_daten("kgst")
    tabellen["Traeger"][1]["Anteil"] = 1.2
    with pytest.raises(SozbudgetError) as info:
        S.eingabe_aus_daten("kgst", parameter, tabellen)
    assert (info.value.sheet, info.value.cell) == ("Träger", "B3")


@pytest.mark.parametrize(
    ("name", "aendern", "ort", "zeile", "titel"),
    [
        # model validation: a Träger listed twice → the row of the second one, column Träger
        (
            "kgst",
            lambda p, t: t["Traeger"][2].update({"Träger": t["Traeger"][0]["Träger"]}),
            "Traeger",
            2,  # the row that repeats the name (the error's path)
            "Träger",
        ),
        # the shares do not add up to 100 % → the column Anteil of the table
        ("kgst", lambda p, t: t["Traeger"][1].update({"Anteil": 0.30}), "Traeger", None, "Anteil"),
        # the three budget parts do not add up to 100 % → the Parameter row
        ("kgst", lambda p, t: p.update({"Anteil qualitätsgebunden": 0.3}), "Parameter", None, None),
        # a project ending before it starts → its row, column Laufzeit Ende
        (
            "dreisaeulen",
            lambda p, t: t["Projekte"][0].update({"Laufzeit Ende": 2020}),
            "Projekte",
            0,
            "Laufzeit Ende",
        ),
        # an unknown Sozialregion → the row holding it
        (
            "muenchen",
            lambda p, t: t["Stellen"][3].update({"Sozialregion": "Atlantis"}),
            "Stellen",
            3,
            "Sozialregion",
        ),
    ],
)
def test_model_errors_are_located_to_the_cell(name, aendern, ort, zeile, titel):
    """A ModellFehler with item/field from the model comes out with the sheet and cell of that input."""
    parameter, tabellen = S.beispiel_daten(name)
    aendern(parameter, tabellen)
    gefragt = []

    def orte(o, z, t):
        gefragt.append((o, z, t))
        return _fake_orte(o, z, t)

    with pytest.raises(SozbudgetError) as info:
        S.eingabe_aus_daten(name, parameter, tabellen, orte=orte)
    assert info.value.sheet == f"Fake-{ort}"
    o, z, t = gefragt[-1]
    assert o == ort and z == zeile
    if titel is not None:
        assert t == titel


# --------------------------------------------------------------------------- outputs


def _werte(zeilen):
    return [v for z in zeilen for v in z]


@pytest.mark.parametrize("name", MODELLE)
def test_ausgaben_add_up_to_the_cent_and_hold_no_decimal(name):
    """The Ergebnis amounts (without „Summe“) add up to the total to the cent; no Decimal anywhere."""
    m = modell(name)
    result = m.berechne(*m.beispiel())
    a = S.ausgaben(result)
    assert list(a) == list(S.AUSGABEBLAETTER)
    for blatt, zeilen in a.items():
        assert tuple(zeilen[0]) == S.ausgabe_bereiche()[blatt]
        assert all(isinstance(v, ERLAUBT) for v in _werte(zeilen)), blatt
        assert not any(isinstance(v, Decimal) for v in _werte(zeilen))
    ergebnis = a["Ergebnis"]
    spalte = ergebnis[0].index("Betrag")
    assert ergebnis[-1][1] == "Summe"
    posten = [Decimal(str(z[spalte])) for z in ergebnis[1:-1]]
    assert len(posten) == len(result.positionen)
    assert sum(posten, Decimal(0)) == result.gesamt
    assert Decimal(str(ergebnis[-1][spalte])) == result.gesamt
    plan = a["Zahlungsplan"]
    summe = next(z for z, art in sorted(plan.arten.items()) if art == "summe")
    raten = [Decimal(str(z[4])) for z in plan[1:summe]]
    assert sum(raten, Decimal(0)) == sum((r.betrag for r in result.zahlungsplan), Decimal(0))
    assert Decimal(str(plan[summe][4])) == sum(raten, Decimal(0))


@pytest.mark.parametrize("name", MODELLE)
def test_kennzahlen_hold_the_chart_block_tables_and_warnings(name):
    """„Kennzahlen“ has the Kennzahl rows, the chart block (summing to the total), the tables, „Hinweise“."""
    m = modell(name)
    result = m.berechne(*m.beispiel())
    k = S.ausgaben(result)["Kennzahlen"]
    erste_spalte = [z[0] for z in k if z]
    for key in result.kennzahlen:
        assert str(key) in erste_spalte
    for tabelle in result.tabellen:
        assert [str(tabelle)] in k
    titel, erste, letzte = S.diagramm_bereich(k)
    assert titel.startswith("Budget nach ")
    summe = sum((Decimal(str(z[1])) for z in k[erste : letzte + 1]), Decimal(0))
    if ["Nicht im Diagramm"] in k:  # Jugendamt / unassigned amounts are listed apart
        i = k.index(["Nicht im Diagramm"]) + 2
        while i < len(k) and len(k[i]) == 2:
            summe += Decimal(str(k[i][1]))
            i += 1
    assert summe == result.gesamt
    hinweise = k.index(["Hinweise"])
    texte = [z[0] for z in k[hinweise + 1 :]]
    assert texte == ([w.text for w in result.warnungen] or ["Keine Hinweise."])


# --------------------------------------------------------------------------- generated workbooks


def _tabellenzeilen(ws, tabelle) -> list[dict[str, Any]]:
    min_col, min_row, max_col, max_row = range_boundaries(tabelle.ref)
    zeilen = list(
        ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col, values_only=True)
    )
    kopf = list(zeilen[0])
    out = [dict(zip(kopf, z)) for z in zeilen[1:]]
    return [z for z in out if any(v is not None for v in z.values())]


def _parameter(ws) -> dict[str, Any]:
    return {z[0]: z[1] for z in ws.iter_rows(min_row=2, max_col=2, values_only=True) if z[0] is not None}


@pytest.fixture(scope="module")
def mappen():
    """The committed example workbooks, opened once."""
    return {name: load_workbook(WORKBOOKS / f"{name}.xlsx") for name in MODELLE}


@pytest.mark.parametrize("name", MODELLE)
def test_example_workbook_has_the_sheets_and_tables_of_the_contract(mappen, name):
    """Each example workbook has Anleitung, Parameter, a real table per Tabelle, the outputs."""
    wb = mappen[name]
    s = S.schema(name)
    erwartet = ["Anleitung", "Parameter", *(t.blatt for t in s.tabellen), *S.AUSGABEBLAETTER]
    assert wb.sheetnames[: len(erwartet)] == erwartet
    assert [c.value for c in wb["Parameter"][1]][:3] == list(S.PARAMETER_KOPF)
    for t in s.tabellen:
        ws = wb[t.blatt]
        assert list(ws.tables) == [t.name]
        tab = ws.tables[t.name]
        assert tab.ref.startswith("A1:")
        assert tab.tableStyleInfo is not None and tab.tableStyleInfo.name
        assert [c.value for c in ws[1][: len(t.spalten)]] == [sp.titel for sp in t.spalten]
        min_col, _, max_col, _ = range_boundaries(tab.ref)
        assert max_col - min_col + 1 == len(t.spalten)
        assert ws.freeze_panes == "A2"


def _dv_fuer(ws, zelle: str):
    for dv in ws.data_validations.dataValidation:
        if zelle in dv.sqref:
            return dv
    return None


@pytest.mark.parametrize("name", MODELLE)
def test_example_workbook_validates_every_typed_column(mappen, name):
    """Percent columns allow 0–1, amounts ≥ 0, ja/nein a list, choices and master lists a list validation."""
    wb = mappen[name]
    s = S.schema(name)
    verweise = S.verweise(name)
    for t in s.tabellen:
        ws = wb[t.blatt]
        for j, sp in enumerate(t.spalten, start=1):
            zelle = f"{S.spaltenbuchstabe(j)}2"
            dv = _dv_fuer(ws, zelle)
            if (t.name, sp.titel) in verweise:
                assert dv.type == "list" and dv.formula1.startswith("=Liste_"), (t.name, sp.titel)
                assert dv.formula1[1:] in wb.defined_names
            elif sp.auswahl is not None or sp.typ == "ja_nein":
                assert dv.type == "list", (t.name, sp.titel)
                if sp.typ == "ja_nein":
                    assert dv.formula1 == '"' + ",".join(JA_NEIN_AUSWAHL) + '"'
            elif sp.typ == "prozent":
                assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("decimal", "between", "0", "1")
                assert ws[zelle].number_format.endswith("%")
            elif sp.typ == "betrag":
                assert (dv.type, dv.operator, dv.formula1) == ("decimal", "greaterThanOrEqual", "0")
                assert "€" in ws[zelle].number_format
    ps = wb["Parameter"]
    for i, p in enumerate(s.parameter, start=2):
        assert ps.cell(row=i, column=1).value == p.titel
        if p.typ == "prozent":
            dv = _dv_fuer(ps, f"B{i}")
            assert (dv.type, dv.formula1, dv.formula2) == ("decimal", "0", "1")
        if p.auswahl is not None:
            assert _dv_fuer(ps, f"B{i}").type == "list"


@pytest.mark.parametrize("name", MODELLE)
def test_example_workbook_reads_back_to_the_example_data(mappen, name):
    """Reading the workbook cell by cell through its tables reproduces beispiel_daten exactly."""
    wb = mappen[name]
    parameter, tabellen = S.beispiel_daten(name)
    gelesen = _parameter(wb["Parameter"])
    assert gelesen == parameter
    for t in S.schema(name).tabellen:
        ws = wb[t.blatt]
        zeilen = _tabellenzeilen(ws, ws.tables[t.name])
        assert zeilen == tabellen[t.name], t.name
    e, p = S.eingabe_aus_daten(
        name,
        gelesen,
        {
            t: _tabellenzeilen(wb[b.blatt], wb[b.blatt].tables[t])
            for t, b in ((b.name, b) for b in S.schema(name).tabellen)
        },
    )
    assert (e, p) == S.eingabe_aus_daten(name, parameter, tabellen)


@pytest.mark.parametrize("name", MODELLE)
def test_example_workbook_outputs_and_chart(mappen, name):
    """„Ergebnis“ holds ausgaben(berechne(beispiel)) and „Diagramm“ a bar chart over the Kennzahlen block."""
    wb = mappen[name]
    m = modell(name)
    a = S.ausgaben(m.berechne(*m.beispiel()))
    ergebnis = [list(z) for z in wb["Ergebnis"].iter_rows(values_only=True)]
    assert [[("" if v is None else v) for v in z] for z in ergebnis] == a["Ergebnis"]
    charts = wb["Diagramm"]._charts
    assert len(charts) == 1 and charts[0].tagname == "barChart"
    _, erste, letzte = S.diagramm_bereich(a["Kennzahlen"])
    serie = charts[0].series[0]
    # 0-based rows of ausgaben → 1-based sheet rows; the header cell above is the series title
    assert serie.val.numRef.f == f"'Kennzahlen'!$B${erste + 1}:$B${letzte + 1}"
    assert serie.tx.strRef.f == f"'Kennzahlen'!B{erste}"
    assert serie.cat.strRef.f == f"'Kennzahlen'!$A${erste + 1}:$A${letzte + 1}"  # names: a text reference
    assert wb["Kennzahlen"].cell(row=erste, column=2).value == "Betrag"


def test_empty_workbook_for_sozbudget_new(tmp_path):
    """erzeuge(leer=True) gives the same tables with no data, defaults on „Parameter“ and located errors."""
    pfad = erzeuge("kgst", tmp_path / "neu.xlsx", leer=True)
    wb = load_workbook(pfad)
    tab = wb["Träger"].tables["Traeger"]
    assert _tabellenzeilen(wb["Träger"], tab) == []
    werte = _parameter(wb["Parameter"])
    assert werte["Modell"] == "kgst" and werte["Anteil fallspezifisch"] == pytest.approx(0.7)
    assert werte["Gesamtbudget"] is None
    assert [z for z in wb["Ergebnis"].iter_rows(values_only=True)] == [S.KOPF_ERGEBNIS]
    with pytest.raises(SozbudgetError, match=r"Blatt „Parameter“, Zelle B\d+, Feld „Gesamtbudget“"):
        S.eingabe_aus_daten("kgst", werte, {"Traeger": []})


def test_macro_workbook_keeps_vba_and_configures_xlwings():
    """kgst_makro.xlsm carries xlwings' VBA project and an xlwings.conf sheet naming sozbudget_xl.excel."""
    pfad = WORKBOOKS / "kgst_makro.xlsm"
    with zipfile.ZipFile(pfad) as z:
        assert "xl/vbaProject.bin" in z.namelist()
        assert len(z.read("xl/vbaProject.bin")) > 10_000
        assert "macroEnabled" in z.read("[Content_Types].xml").decode()
    wb = load_workbook(pfad, keep_vba=True)
    conf = {z[0]: z[1] for z in wb["xlwings.conf"].iter_rows(max_col=2, values_only=True) if z[0]}
    assert conf["UDF Modules"] == "sozbudget_xl.excel"
    assert "Interpreter_Win" in conf
    assert wb.sheetnames[:2] == ["Anleitung", "Parameter"] and "Träger" in wb.sheetnames
    assert _parameter(wb["Parameter"]) == S.beispiel_daten("kgst")[0]


@pytest.mark.libreoffice
def test_example_workbooks_open_in_libreoffice(tmp_path):
    """LibreOffice converts every example workbook (and the .xlsm) to PDF without errors."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) ist nicht installiert")
    dateien = [WORKBOOKS / f"{n}.xlsx" for n in MODELLE] + [WORKBOOKS / "kgst_makro.xlsm"]
    lauf = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profil",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *map(str, dateien),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert lauf.returncode == 0, lauf.stderr
    for d in dateien:
        pdf = tmp_path / f"{d.stem}.pdf"
        assert pdf.exists() and pdf.stat().st_size > 5_000, d.name
