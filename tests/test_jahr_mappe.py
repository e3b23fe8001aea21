"""Controlling in the workbook (issue 16): the sheet „Ist“, recalc's Soll-Ist/Jahresabschluss
sheets and charts, CSV import, jahreswechsel and verlauf — through files and the CLI."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from sozbudget_xl.cli import main
from sozbudget_xl.jahr.blaetter import DIAGRAMM_TITEL, lies_jahresdaten
from sozbudget_xl.workbook.recalc import berechne_mappe, neu_berechnen

BEISPIELE = Path(__file__).resolve().parent.parent / "workbooks"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"


def _hash(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _kopie(tmp_path: Path, name: str) -> Path:
    ziel = tmp_path / f"{name}.xlsx"
    shutil.copy(BEISPIELE / f"{name}.xlsx", ziel)
    return ziel


def _blatt(pfad: Path, name: str) -> list[list]:
    wb = openpyxl.load_workbook(pfad, data_only=True)
    return [list(z) for z in wb[name].iter_rows(values_only=True)]


def _csv_sechs_monate(pfad: Path, result) -> Path:
    """A case-management export: six months for every budget row, German numbers, ``;``."""
    zeilen = ["Jahr;Monat;Träger;Sozialraum;Ausgaben;Fälle"]
    keys = list(dict.fromkeys((p.traeger, p.sozialraum) for p in result.positionen if p.traeger))
    for m in range(1, 7):
        for i, (t, s) in enumerate(keys):
            betrag = f"{10000 + 1000 * i + 10 * m:,}".replace(",", ".") + ",50"
            zeilen.append(f"{result.jahr};{m};{t};{s or ''};{betrag};{5 + i}")
    pfad.write_text("\n".join(zeilen) + "\n", encoding="utf-8")
    return pfad, keys


def test_new_workbook_has_the_empty_ist_sheet(tmp_path):
    assert main(["new", "celle", str(tmp_path / "neu.xlsx")]) == 0
    buchungen, vortraege = lies_jahresdaten(tmp_path / "neu.xlsx")
    assert buchungen == [] and vortraege == []
    kopf = _blatt(tmp_path / "neu.xlsx", "Ist")[0]
    assert kopf[:8] == [
        "Jahr",
        "Monat",
        "Träger",
        "Sozialraum",
        "Bereich",
        "Ausgaben",
        "Fälle",
        "Fachleistungsstunden",
    ]


@pytest.mark.parametrize(
    "name", ["kgst", "stuttgart", "neunkirchen", "muenchen", "tuebingen", "celle", "dreisaeulen"]
)
def test_examples_hold_six_months_of_ist(name):
    buchungen, _ = lies_jahresdaten(BEISPIELE / f"{name}.xlsx")
    assert buchungen and {b.monat for b in buchungen} == set(range(1, 7))
    kopf = _blatt(BEISPIELE / f"{name}.xlsx", "Soll-Ist")[0]
    assert kopf[:5] == ["Träger", "Sozialraum", "Jahres-Soll", "Soll bis Stand", "Ist bis Stand"]


def test_controller_round_trip(tmp_path, capsys):
    """Example workbook → fill Ist for six months (CSV import) → recalc → Soll/Ist sheet and
    forecast → Jahresabschluss → jahreswechsel → next year's workbook recalculates."""
    mappe = _kopie(tmp_path, "celle")
    b = berechne_mappe(mappe)
    csv, keys = _csv_sechs_monate(tmp_path / "export.csv", b.ergebnis)
    assert main(["ist-import", str(mappe), str(csv)]) == 0
    assert main(["recalc", str(mappe), "--inplace"]) == 0
    soll_ist = _blatt(mappe, "Soll-Ist")
    kopf = soll_ist[0]
    summe = next(z for z in soll_ist if z[0] == "Summe")
    zeilen = soll_ist[1 : soll_ist.index(summe)]
    ist_gesamt = sum((10000 + 1000 * i + 10 * m) + 0.5 for m in range(1, 7) for i in range(len(keys)))
    spalte = {k: i for i, k in enumerate(kopf)}
    assert summe[spalte["Ist bis Stand"]] == pytest.approx(ist_gesamt, abs=0.001)
    assert round(sum(z[spalte["Jahres-Soll"]] for z in zeilen), 2) == round(summe[spalte["Jahres-Soll"]], 2)
    assert {z[spalte["Prognoseart"]] for z in zeilen} == {"linear"}
    # linear forecast: twice the six months
    assert summe[spalte["Prognose Jahresende"]] == pytest.approx(2 * ist_gesamt, abs=0.05)
    assert any(str(z[0]).startswith("Stand: Juni") for z in soll_ist)
    verlauf = _blatt(mappe, "Soll-Ist Verlauf")
    assert len(verlauf) == 13 and verlauf[6][2] == pytest.approx(ist_gesamt) and verlauf[7][2] is None
    abschluss = _blatt(mappe, "Jahresabschluss")
    assert any("vorläufig" in str(z[0]) for z in abschluss if z and z[0])
    konto = next(z for z in abschluss if z[0] == "Rücklage Trägerverbund (zweckgebunden)")
    vorher = _hash(mappe)
    neu = tmp_path / "celle_2027.xlsx"
    assert main(["jahreswechsel", str(mappe), str(neu)]) == 0
    assert _hash(mappe) == vorher  # the old workbook stays untouched
    assert "Arbeitsmappe für 2027 angelegt" in capsys.readouterr().out
    b2 = berechne_mappe(neu)
    assert b2.ergebnis.jahr == 2027
    # Celle: the frame of the new year is last year's result (here the forecast)
    assert b2.eingabe.vorjahresrechnungsergebnis == D(str(summe[spalte["Prognose Jahresende"]])).quantize(
        D("0.01")
    )
    buchungen, vortraege = lies_jahresdaten(neu)
    assert {x.jahr for x in buchungen} == {2026} and len(buchungen) == 6 * len(keys)
    assert [(v.name, v.anfang) for v in vortraege] == [(konto[0], D(str(konto[5])).quantize(D("0.01")))]
    assert main(["recalc", str(neu), "--inplace"]) == 0
    abschluss_neu = _blatt(neu, "Jahresabschluss")
    konto_neu = next(z for z in abschluss_neu if z[0] == "Rücklage Trägerverbund (zweckgebunden)")
    assert konto_neu[2] == konto[5]  # opening balance 2027 = closing balance 2026


def test_stuttgart_round_trip_carries_the_reserve(tmp_path):
    mappe = _kopie(tmp_path, "stuttgart")
    b = berechne_mappe(mappe)
    from sozbudget_xl.models import stuttgart as st

    a, bb = b.ergebnis.kennzahlen[st.K_A], b.ergebnis.kennzahlen[st.K_B]
    t, s = b.ergebnis.traeger[0], b.ergebnis.sozialraeume[0]
    csv = tmp_path / "jahr.csv"
    csv.write_text(f"Monat;Träger;Sozialraum;Bereich;Ausgaben\n12;{t};{s};a;{a - 30000}\n12;{t};{s};b;{bb}\n")
    assert main(["ist-import", str(mappe), str(csv), "--kein-backup", "--alle-ersetzen"]) == 0
    assert len(lies_jahresdaten(mappe)[0]) == 2
    neu = tmp_path / "stuttgart_2027.xlsx"
    assert main(["jahreswechsel", str(mappe), str(neu)]) == 0
    _, vortraege = lies_jahresdaten(neu)
    assert {v.name: v.anfang for v in vortraege}["Rücklage frei (gesamte Jugendhilfe)"] == D("30000.00")
    p = openpyxl.load_workbook(neu)["Parameter"]
    werte = {z[0].value: z[1].value for z in p.iter_rows() if z[0].value}
    assert werte["Haushaltsjahr"] == 2027 and werte["Ist-Kosten a"] is None
    # the new year's agreed budget is stored: its Jahresabschluss shows the Revision (no change yet)
    abschluss = {str(z[0]).split(" (")[0]: z[1] for z in _blatt(neu, "Jahresabschluss") if z and z[0]}
    assert abschluss["Revision: Differenz"] == 0
    assert abschluss["Revision: wesentlich"] == "nein"


def test_jahreswechsel_refuses_an_existing_target_and_changes_nothing(tmp_path):
    mappe = _kopie(tmp_path, "kgst")
    ziel = tmp_path / "da.xlsx"
    ziel.write_bytes(b"meins")
    vorher = _hash(mappe)
    assert main(["jahreswechsel", str(mappe), str(ziel)]) == 2
    assert ziel.read_bytes() == b"meins" and _hash(mappe) == vorher
    assert sorted(p.name for p in tmp_path.iterdir()) == ["da.xlsx", "kgst.xlsx"]


def test_bad_csv_reports_every_cell_and_writes_nothing(tmp_path, capsys):
    mappe = _kopie(tmp_path, "kgst")
    vorher = _hash(mappe)
    csv = tmp_path / "kaputt.csv"
    csv.write_text("Monat;Träger;Ausgaben\nMai;A;12,5\nDreizehn;B;1.2.3,4\n14;C;\n", encoding="cp1252")
    assert main(["ist-import", str(mappe), str(csv)]) == 2
    fehler = capsys.readouterr().err
    assert "4 Fehler" in fehler and "kaputt.csv" in fehler
    for zelle in ("A3", "C3", "A4", "C4"):
        assert f"Zelle {zelle}" in fehler
    assert _hash(mappe) == vorher


def test_bad_ist_cell_stops_recalc_with_sheet_and_cell(tmp_path, capsys):
    mappe = _kopie(tmp_path, "kgst")
    csv = tmp_path / "a.csv"
    csv.write_text("Monat;Ausgaben\n1;100\n")
    assert main(["ist-import", str(mappe), str(csv), "--kein-backup"]) == 0
    wb = openpyxl.load_workbook(mappe)  # a user types junk (openpyxl drops charts: only for this test)
    wb["Ist"].append(["", "Juno", "", "", "", "viel"])
    wb.save(mappe)
    vorher = _hash(mappe)
    assert main(["recalc", str(mappe), "--inplace"]) == 2
    out = capsys.readouterr()
    text = out.out + out.err
    assert "Blatt „Ist“, Zelle B" in text and "Blatt „Ist“, Zelle F" in text
    assert _hash(mappe) == vorher


@pytest.mark.parametrize("ordner_da", [False, True])
def test_bad_ist_cell_with_out_writes_and_creates_nothing(tmp_path, capsys, ordner_da):
    """With --out, an error in the inputs of the year's sheets leaves no file, no temporary file
    and no new folder — every sheet is built before the folder is created or anything written."""
    mappe = _kopie(tmp_path, "kgst")
    csv = tmp_path / "a.csv"
    csv.write_text("Monat;Ausgaben\n1;100\n")
    assert main(["ist-import", str(mappe), str(csv), "--kein-backup"]) == 0
    wb = openpyxl.load_workbook(mappe)
    wb["Ist"].append(["", "Juno", "", "", "", "viel"])
    wb.save(mappe)
    vorher = _hash(mappe)
    ziel = tmp_path / "aus" / "neu"
    if ordner_da:
        ziel.mkdir(parents=True)
    assert main(["recalc", str(mappe), "--out", str(ziel)]) == 2
    text = "".join(capsys.readouterr())
    assert "Blatt „Ist“, Zelle F" in text
    assert _hash(mappe) == vorher
    assert (list(ziel.iterdir()) == []) if ordner_da else not (tmp_path / "aus").exists()


def _diagramm_bezuege(pfad: Path) -> list[str]:
    with zipfile.ZipFile(pfad) as zf:
        return [
            f.text
            for n in zf.namelist()
            if re.match(r"xl/charts/chart\d+\.xml$", n)
            for f in etree.fromstring(zf.read(n)).iter(f"{{{C}}}f")
        ]


def test_soll_ist_chart_follows_a_new_traeger(tmp_path):
    """The bar chart reads the block „Budget nach Träger: Soll und Ist“; a Träger that appears
    only in the Ist (spending without budget) gets its bar after recalc, and the curve chart
    keeps reading the 13 fixed rows of „Soll-Ist Verlauf“."""
    mappe = _kopie(tmp_path, "kgst")
    csv = tmp_path / "neu.csv"
    csv.write_text("Monat;Träger;Sozialraum;Ausgaben\n3;Neuer Träger e.V.;Musterstadt-Süd;5000\n")
    assert main(["ist-import", str(mappe), str(csv), "--kein-backup"]) == 0
    assert neu_berechnen(mappe, sicherung=False).ok
    zeilen = _blatt(mappe, "Soll-Ist")
    titel = next(i for i, z in enumerate(zeilen) if z[0] == DIAGRAMM_TITEL) + 1
    letzte = titel + 1
    while letzte < len(zeilen) and zeilen[letzte][0]:
        letzte += 1
    assert zeilen[letzte - 1][0] == "Neuer Träger e.V." and zeilen[letzte - 1][2] == 5000
    bezuege = _diagramm_bezuege(mappe)
    assert f"'Soll-Ist'!$C${titel + 2}:$C${letzte}" in bezuege
    assert f"'Soll-Ist'!$A${titel + 2}:$A${letzte}" in bezuege
    assert "'Soll-Ist Verlauf'!$C$2:$C$13" in bezuege


def test_verlauf_of_a_three_year_chain(tmp_path, capsys):
    mappe = _kopie(tmp_path, "neunkirchen")
    assert main(["jahreswechsel", str(mappe), str(tmp_path / "n2027.xlsx")]) == 0
    assert main(["jahreswechsel", str(tmp_path / "n2027.xlsx"), str(tmp_path / "n2028.xlsx")]) == 0
    ziel = tmp_path / "verlauf.xlsx"
    dateien = [str(tmp_path / n) for n in ("n2028.xlsx", "neunkirchen.xlsx", "n2027.xlsx")]
    assert main(["verlauf", *dateien, "--ziel", str(ziel)]) == 0
    out = capsys.readouterr().out
    assert out.index("2026:") < out.index("2027:") < out.index("2028:")
    jahre = _blatt(ziel, "Jahre")
    assert [z[0] for z in jahre[1:]] == ["2026", "2027", "2028"]
    assert _diagramm_bezuege(ziel)
    assert main(["verlauf", *dateien, "--ziel", str(ziel)]) == 2  # never replaced


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None, reason="LibreOffice fehlt"
)
def test_soll_ist_sheet_and_chart_render_in_libreoffice(tmp_path):
    mappe = _kopie(tmp_path, "kgst")
    assert neu_berechnen(mappe, sicherung=False).ok
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(mappe)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "kgst.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert DIAGRAMM_TITEL in text and "Kumulierter Verlauf: Soll, Ist und Prognose" in text
    assert "Prognose Jahresende" in text and "Jahresabschluss 2026: vorläufig" in text


def test_readme_example_runs_as_shown(tmp_path, monkeypatch, capsys):
    """Every command of the README's controlling example, run in a temp folder as shown."""
    import shlex
    import sys

    from sozbudget_xl.jahr import beispiel

    text = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- jahr-beispiel:start -->")[1].split("<!-- jahr-beispiel:ende -->")[0]
    befehle = [z for z in block.splitlines() if z and not z.startswith("```")]
    assert len(befehle) == 6
    monkeypatch.chdir(tmp_path)
    for zeile in befehle:
        teile = shlex.split(zeile)
        if (
            teile[:3] == [sys.executable.rsplit("/", 1)[-1], "-m", "sozbudget_xl.jahr.beispiel"]
            or teile[0] == "python"
        ):
            assert teile[1:3] == ["-m", "sozbudget_xl.jahr.beispiel"]
            assert beispiel.main(teile[3:]) == 0
        else:
            assert teile[0] == "sozbudget"
            assert main(teile[1:]) == 0, zeile
    out = capsys.readouterr().out
    assert "Ist-Zeilen aus „juli.csv“" in out and "Arbeitsmappe für 2027 angelegt" in out
    assert "Vortrag Rücklage Trägerverbund (zweckgebunden)" in out
    stand = _blatt(tmp_path / "out/jahr/celle_2026.xlsx", "Soll-Ist")
    assert any(str(z[0]).startswith("Stand: Juli 2026") for z in stand)
    assert (tmp_path / "out/jahr/verlauf.xlsx").is_file()


def test_old_workbook_without_ist_sheet_gets_one_by_import(tmp_path):
    """A workbook from before issue 16 (no „Ist“): recalc adds no controlling sheet; the first
    CSV import creates „Ist“, and from then on recalc writes Soll-Ist and Jahresabschluss."""
    mappe = _kopie(tmp_path, "kgst")
    wb = openpyxl.load_workbook(mappe)
    for name in ("Ist", "Soll-Ist", "Soll-Ist Verlauf", "Jahresabschluss", "Soll-Ist Diagramm"):
        del wb[name]
    wb.save(mappe)
    assert lies_jahresdaten(mappe) == (None, [])
    assert neu_berechnen(mappe, sicherung=False).ok
    assert "Soll-Ist" not in openpyxl.load_workbook(mappe, read_only=True).sheetnames
    csv = tmp_path / "q1.csv"
    csv.write_text(
        "Monat;Träger;Sozialraum;Ausgaben\nQ1;Caritasverband Musterstadt e.V.;Musterstadt-Süd;120.000\n"
    )
    assert main(["ist-import", str(mappe), str(csv), "--kein-backup"]) == 0
    assert neu_berechnen(mappe, sicherung=False).ok
    namen = openpyxl.load_workbook(mappe, read_only=True).sheetnames
    assert {"Ist", "Soll-Ist", "Soll-Ist Verlauf", "Jahresabschluss"} <= set(namen)
    zeilen = _blatt(mappe, "Soll-Ist")
    assert zeilen[1][:5] == ["Caritasverband Musterstadt e.V.", "Musterstadt-Süd", 537500, 134375.02, 120000]
