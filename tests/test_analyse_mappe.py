"""Issue 18 in the workbook: the sheet „Veränderung“ written by recalc when a workbook names its
predecessor, the worksheet functions SRB_VERAENDERUNG and SRB_SZENARIEN, the charts of the result
workbooks, and the sheets as LibreOffice renders them."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from sozbudget_xl.analyse.beispiel import AENDERUNGEN, folgejahr
from sozbudget_xl.analyse.mappe import VORJAHRESMAPPE, situation_aus_mappe
from sozbudget_xl.analyse.zerlegung import zerlege
from sozbudget_xl.cli import main

ROOT = Path(__file__).resolve().parent.parent
BEISPIEL = ROOT / "workbooks" / "dreisaeulen.xlsx"


def _zeilen(ws) -> list[tuple]:
    return [r for r in ws.iter_rows(values_only=True)]


def _block(zeilen: list[tuple], kopf: str) -> list[tuple]:
    """The rows of the table whose header starts with ``kopf`` (up to its „Summe“ row)."""
    start = next(i for i, r in enumerate(zeilen) if r[0] == kopf)
    ende = next(i for i in range(start, len(zeilen)) if zeilen[i][0] == "Summe")
    return zeilen[start : ende + 1]


def test_recalc_schreibt_veraenderung_wenn_vorjahresmappe_genannt(tmp_path: Path) -> None:
    """recalc on a workbook whose Parameter row „Vorjahresmappe“ names its predecessor writes the
    sheet „Veränderung“: per Sozialraum and per Träger the change split into contributions that add
    up to the cent, the same numbers as `zerlege`; a workbook without that row gets no such sheet."""
    neu = folgejahr(tmp_path / "2027" / "mappe.xlsx")
    assert main(["recalc", str(neu), "--inplace"]) == 0
    wb = openpyxl.load_workbook(neu)
    zeilen = _zeilen(wb["Veränderung"])
    assert "Vorjahresmappe „dreisaeulen.xlsx“" in zeilen[0][0]
    z = zerlege(situation_aus_mappe(BEISPIEL), situation_aus_mappe(neu))
    for kopf, zl in (("Sozialraum", z), ("Träger", z.traeger)):
        block = _block(zeilen, kopf)
        titel = list(block[0])
        assert titel[1:4] == ["Budget Vorjahr", "Budget jetzt", "Veränderung"]
        n_faktoren = titel.index("Erklärung") - 4
        for r in block[1:-1]:
            beitraege = [Decimal(str(v)) for v in r[4 : 4 + n_faktoren]]
            assert sum(beitraege) == Decimal(str(r[3])) == Decimal(str(r[2])) - Decimal(str(r[1]))
            assert Decimal(str(r[3])) == zl.veraenderung(r[0])
            assert r[-1] == zl.saetze[r[0]]
        assert Decimal(str(block[-1][4])) == Decimal("6000")  # the Gesamtbudget's total change
    assert "Nordstadt" in AENDERUNGEN and any(r[0] == "Nordstadt" for r in zeilen)
    assert wb["Veränderung"]["B4"].number_format.endswith('"€"')
    # the example itself names no predecessor: no sheet „Veränderung“
    kopie = tmp_path / "ohne.xlsx"
    shutil.copy(BEISPIEL, kopie)
    assert main(["recalc", str(kopie), "--inplace"]) == 0
    assert "Veränderung" not in openpyxl.load_workbook(kopie).sheetnames


def _mit_vorjahr(tmp_path: Path, wert: str) -> Path:
    ziel = tmp_path / "mappe.xlsx"
    wb = openpyxl.load_workbook(BEISPIEL)
    wb["Parameter"].append([VORJAHRESMAPPE, wert])
    wb.save(ziel)
    return ziel


@pytest.mark.parametrize(
    ("wert", "text"),
    [
        ("fehlt.xlsx", "gibt es nicht"),
        ("notizen.txt", "Arbeitsmappe"),
        ("mappe.xlsx", "diese Mappe selbst"),
        ("kgst.xlsx", "Indikatorschlüssel"),
    ],
)
def test_falsche_vorjahresmappe_nennt_die_zelle_und_aendert_nichts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], wert: str, text: str
) -> None:
    shutil.copy(ROOT / "workbooks" / "kgst.xlsx", tmp_path / "kgst.xlsx")
    (tmp_path / "notizen.txt").write_text("x", encoding="utf-8")
    pfad = _mit_vorjahr(tmp_path, wert)
    vorher = pfad.read_bytes()
    assert main(["recalc", str(pfad), "--inplace"]) != 0
    fehler = capsys.readouterr()
    meldung = fehler.out + fehler.err
    assert "Vorjahresmappe" in meldung and text in meldung
    assert "Parameter" in meldung and "B21" in meldung  # the appended row: sheet and cell
    assert pfad.read_bytes() == vorher


def _setze(wb, titel: str, wert) -> None:
    for z in wb["Parameter"].iter_rows(min_col=1, max_col=2):
        if z[0].value == titel:
            z[1].value = wert
            return
    raise KeyError(titel)


def test_celle_veraenderung_je_traeger_der_matrix(tmp_path: Path) -> None:
    """Celle with the indicator adjustment: the Träger block splits each Sozialraum's change by the
    matrix; its budgets are the model's „Trägerbudgets“ of both years, its rows add up to the cent."""
    from sozbudget_xl.workbook.recalc import berechne_mappe

    wb = openpyxl.load_workbook(ROOT / "workbooks" / "celle.xlsx")
    _setze(wb, "Anpassung an Indikatorschlüssel", "ja")
    _setze(wb, "Festschreibung aufheben", "ja")
    wb.save(tmp_path / "alt.xlsx")
    _setze(wb, "Vorjahresrechnungsergebnis", 2100000)
    ws = wb["Sozialräume"]
    spalte = [c.value for c in ws[1]].index("Jugendeinwohner") + 1
    ws.cell(2, spalte).value -= 200
    wb["Parameter"].append([VORJAHRESMAPPE, "alt.xlsx"])
    wb.save(tmp_path / "neu.xlsx")
    assert main(["recalc", str(tmp_path / "neu.xlsx"), "--inplace"]) == 0
    block = _block(_zeilen(openpyxl.load_workbook(tmp_path / "neu.xlsx")["Veränderung"]), "Träger")
    for datei, spalte_b in (("alt.xlsx", 1), ("neu.xlsx", 2)):
        modell = {
            r["Träger"]: r["Budget"]
            for r in berechne_mappe(tmp_path / datei).ergebnis.tabellen["Trägerbudgets"]
        }
        assert {r[0]: Decimal(str(r[spalte_b])) for r in block[1:-1]} == modell
    for r in block[1:-1]:
        assert sum(Decimal(str(v)) for v in r[4:-1]) == Decimal(str(r[3]))
    assert block[-1][1:5] == (2013480, 2100000, 86520, 86520)


def test_recalc_schreibt_szenarien_aus_parameterzeilen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Parameter rows „Szenario …“ list variants: recalc writes the sheet „Szenarien“ (the workbook's
    own choice „Mappe“ first, then each variant, the differences); a wrong variant names its cell."""
    wb = openpyxl.load_workbook(BEISPIEL)
    wb["Parameter"].append(["Szenario 1", "z-Wert: methode=z"])
    wb["Parameter"].append(["Szenario Kopfzahl", "schluessel=kopf"])
    wb.save(tmp_path / "s.xlsx")
    assert main(["recalc", str(tmp_path / "s.xlsx"), "--inplace"]) == 0
    zeilen = _zeilen(openpyxl.load_workbook(tmp_path / "s.xlsx")["Szenarien"])
    block = _block(zeilen, "Sozialraum")
    assert block[0][:6] == (
        "Sozialraum",
        "Mappe",
        "z-Wert",
        "Szenario Kopfzahl",
        "z-Wert − Mappe",
        "Szenario Kopfzahl − Mappe",
    )
    nord = next(r for r in block if r[0] == "Nordstadt")
    assert nord[1:3] == (63027.28, 49834.22) and nord[4] == -13193.06  # as in the README example
    assert block[-1][1:4] == (180000, 180000, 180000)
    wb["Parameter"].append(["Szenario falsch", "methode=farbe"])
    wb.save(tmp_path / "f.xlsx")
    vorher = (tmp_path / "f.xlsx").read_bytes()
    assert main(["recalc", str(tmp_path / "f.xlsx"), "--inplace"]) != 0
    fehler = capsys.readouterr()
    assert "Szenario falsch" in fehler.out + fehler.err and "B23" in fehler.out + fehler.err
    assert (tmp_path / "f.xlsx").read_bytes() == vorher


# --------------------------------------------------------------------------- worksheet functions

ALT = [
    ["Sozialraum", "Jugendeinwohner", "Arbeitslose", "Träger"],
    ["Nord", 1200, 80, "AWO"],
    ["Süd", 900, 30, "Caritas"],
    ["West", 1500, 55, "AWO"],
]
NEU = [
    ["Sozialraum", "Jugendeinwohner", "Arbeitslose", "Träger"],
    ["Nord", 1100, 80, "AWO"],
    ["Süd", 900, 42, "Caritas"],
    ["West", 1500, 55, "AWO"],
]


def test_srb_veraenderung_wie_der_kern() -> None:
    """SRB_VERAENDERUNG returns the decomposition of the core (floats of the exact cents): per
    Sozialraum and per Träger the contributions add up to the change; the Summe row holds the
    totals; bad input is a German cell text."""
    from sozbudget_xl.analyse.situation import situation_aus_tabelle
    from sozbudget_xl.excel import SRB_VERAENDERUNG
    from sozbudget_xl.indicators import Indicator

    out = SRB_VERAENDERUNG(100000, ALT, "104.000,00 €", NEU, "Arbeitslose", "spw", "z")
    assert out[0][:4] == ["Sozialraum", "Budget ALT", "Budget NEU", "Veränderung"]
    faktoren = out[0][4:-1]
    assert faktoren == ["Gesamtbudget", "Zielgruppe (Jugendeinwohner)", "Werte „Arbeitslose“", "Methode"]
    zeilen = {r[0]: r for r in out[1:] if r[0] and r[0] not in ("Summe", "Träger")}
    assert set(zeilen) == {"Nord", "Süd", "West", "AWO", "Caritas"}
    for r in zeilen.values():
        cents = [round(v * 100) for v in r[3 : 4 + len(faktoren)]]
        assert cents[0] == sum(cents[1:])
    assert [round(v * 100) for v in zeilen["AWO"][1:4]] == [
        round((zeilen["Nord"][k] + zeilen["West"][k]) * 100) for k in (1, 2, 3)
    ]
    ind = [Indicator("Arbeitslose", "Arbeitslose")]
    alt = situation_aus_tabelle([dict(zip(ALT[0], r)) for r in ALT[1:]], ind, 100000)
    neu = situation_aus_tabelle([dict(zip(NEU[0], r)) for r in NEU[1:]], ind, 104000, methode="z")
    z = zerlege(alt, neu)
    assert zeilen["Nord"][-1] == z.saetze["Nord"]
    assert zeilen["Süd"][4] == float(z.beitraege["Süd"]["gesamt"])
    summe = next(r for r in out if r[0] == "Summe")
    assert summe[1:5] == [100000.0, 104000.0, 4000.0, 4000.0]
    falsch = SRB_VERAENDERUNG(100000, ALT, 104000, NEU[:3])
    assert isinstance(falsch, str) and falsch.startswith("Fehler:") and "dieselben" in falsch


def test_srb_szenarien_wie_der_kern() -> None:
    from sozbudget_xl.analyse.situation import situation_aus_tabelle
    from sozbudget_xl.analyse.szenarien import lies_variante, vergleiche_szenarien
    from sozbudget_xl.excel import SRB_SZENARIEN
    from sozbudget_xl.indicators import Indicator

    varianten = [["SPW"], ["z-Wert: methode=z, sd=stichprobe"], [None], ["Kopf: schluessel=kopf"]]
    out = SRB_SZENARIEN(100000, ALT, varianten, "Arbeitslose")
    assert out[0] == ["Sozialraum", "SPW", "z-Wert", "Kopf", "z-Wert − SPW", "Kopf − SPW"]
    sit = situation_aus_tabelle(
        [dict(zip(ALT[0], r)) for r in ALT[1:]], [Indicator("Arbeitslose", "Arbeitslose")], 100000
    )
    v = vergleiche_szenarien(
        sit, [lies_variante(t) for t in ("SPW", "z-Wert: methode=z, sd=stichprobe", "Kopf: schluessel=kopf")]
    )
    for r in out[1:4]:
        assert r[1:4] == [float(v.budgets[n][r[0]]) for n in v.varianten]
        assert round(r[4] * 100) == round((r[2] - r[1]) * 100)
    assert out[4][:4] == ["Summe", 100000.0, 100000.0, 100000.0]
    assert out[6][0].startswith("SPW: Standardpunktwert")
    assert len(SRB_SZENARIEN(100000, ALT)[0]) == 1 + 7 + 6  # no variants given: every method
    assert SRB_SZENARIEN(100000, ALT, [["X: methode=farbe"]]).startswith("Fehler: Variante „X“")


# --------------------------------------------------------------------------- result workbooks

pytest.importorskip("matplotlib")
pytest.importorskip("SALib")


@pytest.fixture(scope="module")
def ergebnisse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("analyse")
    neu = folgejahr(out / "neu.xlsx")
    assert main(["vergleich", str(BEISPIEL), str(neu), "--out", str(out), "--kein-pdf"]) == 0
    assert main(["szenarien", str(BEISPIEL), "--out", str(out), "--kein-pdf"]) == 0
    args = ["robustheit", str(BEISPIEL), "--methoden", "spw,z", "--fehlend", "Südring:SGB-II-Quote U18"]
    assert main([*args, "--ziehungen", "32", "--out", str(out), "--kein-pdf"]) == 0
    return out


def test_ergebnismappen_haben_ihre_diagramme(ergebnisse: Path) -> None:
    """„Veränderung“: a bar chart of the contributions and one waterfall per Sozialraum (stacked
    columns on an invisible base) — its steps add up from ALT to NEU; „Szenarien“: budgets and
    differences; „Robustheit“: the intervals per Sozialraum as floating bars."""
    wb = openpyxl.load_workbook(ergebnisse / "vergleich.xlsx")
    ws = wb["Veränderung"]
    z = zerlege(situation_aus_mappe(BEISPIEL), situation_aus_mappe(ergebnisse / "neu.xlsx"))
    assert len(ws._charts) == 1 + len(z.ids)
    wasserfall = ws._charts[1]
    assert wasserfall.grouping == "stacked" and wasserfall.series[0].graphicalProperties.noFill
    zeilen = _zeilen(ws)
    start = next(i for i, r in enumerate(zeilen) if r[0] == f"Wasserfall {z.ids[0]}")
    schritte = zeilen[start + 2 : start + 2 + sum(1 for v in z.beitraege[z.ids[0]].values() if v) + 2]
    assert schritte[0][0] == "Budget ALT" and schritte[-1][0] == "Budget NEU"
    stand = Decimal(str(schritte[0][2]))
    for r in schritte[1:-1]:
        stand += Decimal(str(r[3])) - Decimal(str(r[4]))
    assert stand == Decimal(str(schritte[-1][2])) == z.neu[z.ids[0]]
    assert _block(zeilen, "Träger")[1][0] == "Caritasverband Musterstadt e.V."
    assert len(openpyxl.load_workbook(ergebnisse / "szenarien.xlsx")["Szenarien"]._charts) == 2
    rob = openpyxl.load_workbook(ergebnisse / "robustheit.xlsx")["Robustheit"]
    assert len(rob._charts) == 1 and rob._charts[0].type == "bar"
    assert any(r[0] == "Ungleichheit (Gini)" for r in _zeilen(rob))
    kopf = [c.value for c in rob[1]]
    assert "ST Ersatzwert fehlender Werte" in kopf


def test_robustheit_cli_fehlender_wert_falsch(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["robustheit", str(BEISPIEL), "--fehlend", "Nordstadt"]) == 2
    assert "Sozialraum:Indikator" in capsys.readouterr().err
    assert main(["robustheit", str(BEISPIEL), "--fehlend", "Nordstadt:Farbe"]) == 2
    assert "Indikator gibt es nicht" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) nicht installiert")
def test_libreoffice_zeigt_die_blaetter(ergebnisse: Path, tmp_path: Path) -> None:
    """LibreOffice opens the result workbooks and prints every sheet with its charts (PDF)."""
    pdftotext = shutil.which("pdftotext")
    for name in ("vergleich", "robustheit"):
        profil = f"-env:UserInstallation={(tmp_path / 'profil').as_uri()}"  # no clash with a running Office
        befehl = ["soffice", profil, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path)]
        lauf = subprocess.run([*befehl, str(ergebnisse / f"{name}.xlsx")], capture_output=True, timeout=240)
        pdf = tmp_path / f"{name}.pdf"
        assert lauf.returncode == 0 and pdf.stat().st_size > 5000, lauf.stderr
        if pdftotext:
            text = subprocess.run(
                [pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True
            ).stdout
            assert ("Wasserfall Nordstadt" if name == "vergleich" else "5 % bis Median") in text


def test_makro_neu_berechnen_schreibt_veraenderung_wie_recalc(tmp_path: Path) -> None:
    """The Excel macro (xlwings stand-in) writes the same sheet „Veränderung“ as recalc."""
    from sozbudget_xl import excel
    from sozbudget_xl.workbook.recalc import berechne_mappe, zusatzblaetter
    from tests.test_annex_makro import _buch_aus_datei

    neu = folgejahr(tmp_path / "2027.xlsx")
    book = _buch_aus_datei(neu)
    excel.neu_berechnen_in_mappe(book, zusatzblaetter=True)
    cli = excel.excel_zeilen(zusatzblaetter(berechne_mappe(neu))["Veränderung"])

    def leer_gleich(zeilen: list[list]) -> list[list]:  # a blank cell: "" written, None read back
        return [[None if v == "" else v for v in r] for r in zeilen]

    assert leer_gleich(book.sheets["Veränderung"].rows()) == leer_gleich(cli)
    assert any(r[0] == "Nordstadt" and r[3] == -3196.54 for r in cli)
