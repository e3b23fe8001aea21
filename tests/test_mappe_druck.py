"""Printing: every example workbook, recalculated, is rendered by LibreOffice to PDF (one call for
all) and to PNG pages (``pdftoppm -png -r 50``) for a person to look at. The PDF text shows no
„#####“, every word of every text on „Ergebnis“ (nothing cut off), page numbers on every page and
the header row again on every page of a multi-page output sheet.

Set ``SOZBUDGET_DRUCK_ORDNER`` to keep the PDFs and PNGs in that folder.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from sozbudget_xl.models import MODELLE
from sozbudget_xl.workbook.recalc import neu_berechnen

BEISPIELE = Path(__file__).resolve().parents[1] / "workbooks"
#: the header words each page of an output sheet must show
KOPF = {"Ergebnis": ("Nr.", "Position", "Betrag", "Quelle"), "Zahlungsplan": ("Fällig am", "Empfänger")}
_FUSS = re.compile(r"^\s*(?P<blatt>\S.*?)\s{2,}Seite (?P<seite>\d+) von (?P<von>\d+)\s*$", re.M)


@pytest.fixture(scope="module")
def gedruckt(tmp_path_factory):
    """model → list of page texts (``pdftotext -layout``); PNGs beside the PDFs."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftoppm") is None:
        pytest.skip("LibreOffice (soffice) oder poppler (pdftoppm) ist nicht installiert")
    ordner = Path(os.environ.get("SOZBUDGET_DRUCK_ORDNER") or tmp_path_factory.mktemp("druck"))
    mappen = ordner / "mappen"
    mappen.mkdir(parents=True, exist_ok=True)
    for name in MODELLE:
        shutil.copy(BEISPIELE / f"{name}.xlsx", mappen / f"{name}.xlsx")
        neu_berechnen(mappen / f"{name}.xlsx", sicherung=False)
    profil = tmp_path_factory.mktemp("lo_profil")
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profil}", "--headless", "--convert-to", "pdf",
         "--outdir", str(ordner), *(str(mappen / f"{n}.xlsx") for n in MODELLE)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    seiten = {}
    for name in MODELLE:
        pdf = ordner / f"{name}.pdf"
        assert pdf.exists(), f"kein PDF für {name}"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "50", str(pdf), str(ordner / name)], check=True, timeout=120
        )
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True, timeout=60
        ).stdout
        seiten[name] = text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")
    print(f"Druckbilder: {ordner}")
    return seiten, mappen


def _woerter(text: str) -> list[str]:
    """Words; a line may break after a dash (2024–|2026), so dashes separate words, too."""
    return [w for w in re.split(r"[\s–-]+", text) if w]


def _blatt(seite: str) -> str | None:
    """The sheet a page belongs to (from its footer); ``None`` without a footer."""
    treffer = _FUSS.findall(seite)
    return treffer[-1][0].strip() if treffer else None


#: sheets the workbook template creates (all carry the footer); recalc may add others at the end
def _vorlagenblaetter(name: str) -> list[str]:
    return openpyxl.load_workbook(BEISPIELE / f"{name}.xlsx", read_only=True).sheetnames


@pytest.mark.parametrize("name", MODELLE)
def test_printed_pages_have_page_numbers_and_no_hash_marks(gedruckt, name):
    """Every page carries „Seite n von m“ with the sheet name; no number shows as „###“."""
    seiten, mappen = gedruckt
    ohne_fuss = 0
    for nr, seite in enumerate(seiten[name], start=1):
        assert "###" not in seite, f"{name}, Seite {nr}"
        m = _FUSS.findall(seite)
        if not m:  # only pages of sheets added after the template (e.g. by recalc), at the end
            ohne_fuss += 1
            continue
        assert not ohne_fuss, f"{name}, Seite {nr}: Seite ohne Fußzeile mitten in der Mappe"
        assert int(m[-1][1]) == nr and int(m[-1][2]) == len(seiten[name]), f"{name}, Seite {nr}"
    vorlage = _vorlagenblaetter(name)
    gedruckte = {_blatt(s) for s in seiten[name]} - {None}
    assert set(vorlage) <= gedruckte, set(vorlage) - gedruckte
    if ohne_fuss:
        assert len(openpyxl.load_workbook(mappen / f"{name}.xlsx", read_only=True).sheetnames) > len(vorlage)


@pytest.mark.parametrize("name", MODELLE)
def test_every_page_of_an_output_sheet_repeats_its_header(gedruckt, name):
    """Each printed page of „Ergebnis“ and „Zahlungsplan“ starts with the header row."""
    seiten, _ = gedruckt
    for seite in seiten[name]:
        blatt = _blatt(seite)
        for wort in KOPF.get(blatt, ()):
            assert wort in seite, f"{name}: Seite von „{blatt}“ ohne Kopfzeile ({wort})"


def test_some_output_sheet_runs_over_several_pages(gedruckt):
    """The header check above is meaningful: at least one output sheet prints on two or more pages."""
    seiten, _ = gedruckt
    zaehler: dict[tuple[str, str], int] = {}
    for name, liste in seiten.items():
        for seite in liste:
            schluessel = (name, _blatt(seite))
            zaehler[schluessel] = zaehler.get(schluessel, 0) + 1
    assert max(n for (_, blatt), n in zaehler.items() if blatt in KOPF) >= 2


@pytest.mark.parametrize("name", MODELLE)
def test_no_text_on_ergebnis_is_cut_off(gedruckt, name):
    """Every word of every text cell on „Ergebnis“ appears on its printed pages (a text cut at
    the column edge would lose its last words, e.g. „× 72,50 €“)."""
    seiten, mappen = gedruckt
    text = " ".join(s for s in seiten[name] if _blatt(s) == "Ergebnis")
    woerter = set(_woerter(text))
    ws = openpyxl.load_workbook(mappen / f"{name}.xlsx", data_only=True)["Ergebnis"]
    fehlt = {
        (z.coordinate, w)
        for zeile in ws.iter_rows(min_row=2)
        for z in zeile
        if isinstance(z.value, str)
        for w in _woerter(z.value)
        if w not in woerter
    }
    assert not fehlt, sorted(fehlt)[:10]
