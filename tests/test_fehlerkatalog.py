"""Catalogue of broken workbooks, backups and untrusted content (issue „Reliability and security“).

Every catalogue row copies an example workbook (``workbooks/kgst.xlsx`` or ``celle.xlsx``), breaks
it in one way and runs it through the CLI (``sozbudget recalc --inplace``): exit code 2, a German
message naming the place (sheet and cell where one exists, else the file) and the file's bytes
unchanged. Where a worksheet function could meet the same data (values typed into cells), the
model UDF (``SRB_KGST``/``SRB_CELLE``) gets the broken ranges and must answer with a short German
„Fehler: …“ text instead of raising.

Covered elsewhere and not repeated here: killing the writer right before the atomic replace
(``test_workbook_io.py::test_abbruch_vor_dem_ersetzen_laesst_original_heil``), openpyxl parsing
worksheets with defusedxml (``test_workbook_io.py::test_openpyxl_liest_mit_defusedxml``) and the
template sandbox of the annexes (``test_annex.py::test_template_reaching_python_internals_fails_in_german``,
``test_hostile_values_appear_literally_in_both_formats``).
"""

from __future__ import annotations

import html
import io
import random
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from sozbudget_xl import excel
from sozbudget_xl.cli import build_parser, main
from sozbudget_xl.workbook import io as wio
from sozbudget_xl.workbook import schema

WORKBOOKS = Path(__file__).resolve().parent.parent / "workbooks"
AUSGABEBLAETTER = ("Ergebnis", "Zahlungsplan", "Kennzahlen")
MODELL_UDF = {"kgst": excel.SRB_KGST, "celle": excel.SRB_CELLE}


# --------------------------------------------------------------------------- ways to break a workbook

Brecher = Callable[[Path], None]


def _openpyxl(aendern: Callable[[Any], None]) -> Brecher:
    """Edit the workbook with openpyxl (input cells hold plain values, so nothing is lost)."""

    def brechen(pfad: Path) -> None:
        wb = openpyxl.load_workbook(pfad)
        aendern(wb)
        wb.save(pfad)

    return brechen


def _parameter(titel: str, wert: Any) -> Brecher:
    def aendern(wb: Any) -> None:
        ws = wb["Parameter"]
        zeile = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == titel)
        ws.cell(zeile, 2).value = wert

    return _openpyxl(aendern)


def _zelle(blatt: str, ref: str, wert: Any) -> Brecher:
    def aendern(wb: Any) -> None:
        wb[blatt][ref].value = wert

    return _openpyxl(aendern)


def _zip_teil(pfad: Path, teil: Callable[[zipfile.ZipFile], str], neu: Callable[[bytes], bytes]) -> None:
    """Rewrite one part of the package at ``pfad``."""
    zin = zipfile.ZipFile(io.BytesIO(pfad.read_bytes()))
    name = teil(zin)
    puffer = io.BytesIO()
    with zipfile.ZipFile(puffer, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            daten = zin.read(info)
            zout.writestr(info, neu(daten) if info.filename == name else daten)
    pfad.write_bytes(puffer.getvalue())


def _blatt_teil(blatt: str) -> Callable[[zipfile.ZipFile], str]:
    def finde(zf: zipfile.ZipFile) -> str:
        b = wio._Paket(zf, "test").blatt(blatt)
        assert b is not None, blatt
        return b.teil

    return finde


def _zell_xml(blatt: str, ref: str, xml: str) -> Brecher:
    """Replace the XML of one cell (to store what openpyxl cannot write: cached errors, NaN …)."""

    def neu(daten: bytes) -> bytes:
        text, n = re.subn(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', xml, daten.decode(), count=1)
        assert n == 1, ref
        return text.encode()

    return lambda pfad: _zip_teil(pfad, _blatt_teil(blatt), neu)


def _spalte_umbenennen(pfad: Path) -> None:
    wb = openpyxl.load_workbook(pfad)
    ws = wb["Träger"]
    ws["B1"].value = "Quote"
    ws.tables["Traeger"].tableColumns[1].name = "Quote"
    wb.save(pfad)


def _keine_mappe(pfad: Path) -> None:
    pfad.write_text("Träger;Anteil\nCaritas;40 %\n", encoding="utf-8")


def _kennwort(pfad: Path) -> None:
    pfad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + random.Random(1).randbytes(4096))


def _abgeschnitten(pfad: Path) -> None:
    daten = pfad.read_bytes()
    pfad.write_bytes(daten[: len(daten) // 2])


def _zip_bombe(pfad: Path) -> None:
    """20 MB of blanks after the root element of „Anleitung“: legal XML, compresses about 1000:1."""
    _zip_teil(pfad, _blatt_teil("Anleitung"), lambda d: d + b" " * 20_000_000)


_LACHEN = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    + "]>\n"
).encode()


def _milliarde_lacher(pfad: Path) -> None:
    """Billion laughs: a DTD with nested entities in the sheet part of „Parameter“, used in a cell."""

    def neu(daten: bytes) -> bytes:
        ohne_kopf = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", daten)
        return _LACHEN + ohne_kopf.replace(b"<v>kgst</v>", b"<v>&lol9;</v>", 1)

    _zip_teil(pfad, _blatt_teil("Parameter"), neu)


def _dtd_hinter_64kb(pfad: Path) -> None:
    """The DTD hidden behind a 70 KB comment in the prolog (beyond the package check's 64 KB look-ahead)."""

    def neu(daten: bytes) -> bytes:
        ohne_kopf = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", daten)
        kommentar = b"<!--" + b"x" * 70_000 + b"-->\n"
        return b'<?xml version="1.0"?>\n' + kommentar + _LACHEN.split(b"\n", 1)[1] + ohne_kopf

    _zip_teil(pfad, _blatt_teil("Parameter"), neu)


# --------------------------------------------------------------------------- the catalogue


@dataclass(frozen=True)
class Fall:
    """One broken workbook: how to break it and what the German message must contain."""

    id: str
    brechen: Brecher
    woerter: tuple[str, ...]  # words of the CLI message (besides the place)
    blatt: str | None  # sheet the message must name; None → it must name the file
    zelle: str | None = None
    basis: str = "kgst"
    udf: tuple[str, ...] | None = None  # words of the UDF text; None → no UDF sees this (file level)


KATALOG = [
    Fall("text_in_zahl", _parameter("Fallzahl", "viele"), ("keine Zahl", "viele"), "Parameter", "B10",
         udf=("Parameter", "B10", "keine Zahl")),
    Fall("text_in_tabelle", _zelle("Träger", "D2", "sechs"), ("keine Zahl",), "Träger", "D2",
         udf=("Träger", "D2", "keine Zahl")),
    Fall("pflichtzelle_leer", _zelle("Träger", "A3", None), ("Pflichtfeld ist leer",), "Träger", "A3",
         udf=("Träger", "A3", "Pflichtfeld ist leer")),
    Fall("pflichtparameter_leer", _parameter("Gesamtbudget", None), ("Pflichtfeld ist leer",), "Parameter",
         "B9", udf=("Parameter", "B9", "Pflichtfeld ist leer")),
    Fall("betrag_negativ", _parameter("Gesamtbudget", -1000), ("nicht negativ",), "Parameter", "B9",
         udf=("Parameter", "B9", "nicht negativ")),
    Fall("zahl_negativ", _zelle("Träger", "D2", -1), ("nicht negativ",), "Träger", "D2",
         udf=("Träger", "D2", "nicht negativ")),
    Fall("anteile_nicht_100", _zelle("Träger", "B2", 0.5), ("nicht 100 %", "110,00 %"), "Träger", "B1",
         udf=("Träger", "nicht 100 %")),
    Fall("parameteranteile_nicht_100", _parameter("Anteil fallspezifisch", 0.8), ("nicht 100 %",),
         "Parameter", "B11", udf=("Parameter", "nicht 100 %")),
    Fall("sozialraeume_nicht_100", _zelle("Sozialräume", "B2", 0.5), ("100 %",), "Sozialräume", None,
         basis="celle", udf=("Sozialräume", "100 %")),
    Fall("doppelte_id", _zelle("Träger", "A3", "Caritasverband Musterstadt e.V."), ("doppelt",), "Träger",
         "A", udf=("Träger", "doppelt")),
    Fall("doppelter_sozialraum", _zelle("Sozialräume", "A3", "Altstadt"), ("doppelt",), "Sozialräume", "A",
         basis="celle", udf=("Sozialräume", "doppelt")),
    Fall("unbekanntes_modell", _parameter("Modell", "hamburg"), ("unbekanntes Modell", "hamburg"),
         "Parameter", "B2"),
    Fall("modell_fehlt", _parameter("Modell", None), ("kein Modell",), "Parameter", "B2"),
    Fall("blatt_fehlt", _openpyxl(lambda wb: wb.remove(wb["Träger"])), ("Blatt „Träger“ fehlt",), "Träger"),
    Fall("tabelle_fehlt", _openpyxl(lambda wb: wb["Träger"].tables.pop("Traeger")),
         ("keine Excel-Tabelle", "Traeger"), "Träger"),
    Fall("spalte_umbenannt", _spalte_umbenennen, ("Spalte fehlt", "Anteil"), "Träger", "A1",
         udf=("Träger", "Spalte fehlt", "Anteil")),
    Fall("verbundene_zellen", _openpyxl(lambda wb: wb["Träger"].merge_cells("A2:A3")),
         ("verbundene Zellen", "A2:A3"), "Träger", "A2:A3", udf=("Träger", "A3", "Pflichtfeld ist leer")),
    Fall("betrag_1e15", _parameter("Gesamtbudget", 1e15), ("unplausibel groß", "999.999.999.999,99 €"),
         "Parameter", "B9", udf=("Parameter", "B9", "unplausibel groß")),
    Fall("betrag_1e308", _zell_xml("Parameter", "B9", '<c r="B9"><v>1E+308</v></c>'),
         ("unplausibel groß", "1 · 10^308"), "Parameter", "B9", udf=("B9", "unplausibel groß", "10^308")),
    Fall("prozent_riesig", _parameter("Anteil fallspezifisch", 1e60),
         ("außerhalb von 0 bis 100 %", "gefunden 1 · 10^62 %"), "Parameter", "B11"),  # not 64 digits
    Fall("auswahl_winzige_zahl", _parameter("Fallverpflichtung", -2e-260),
         ("„-2 · 10^-260“ ist kein zulässiger Wert", "ganze Fälle oder Richtwert"), "Parameter", "B15"),
    Fall("unendlich", _zell_xml("Parameter", "B9", '<c r="B9"><v>1E+400</v></c>'),
         ("kein gültiger Betrag", "endliche Zahl"), "Parameter", "B9", udf=("B9", "endliche Zahl")),
    Fall("nan_gespeichert", _zell_xml("Träger", "D2", '<c r="D2"><v>NaN</v></c>'),
         ("Zellwert „NaN“ ist ungültig",), "Träger", "D2"),
    Fall("fehlerwert_div0", _zell_xml("Parameter", "B9", '<c r="B9" t="e"><f>1/0</f><v>#DIV/0!</v></c>'),
         ("Fehlerwert #DIV/0!",), "Parameter", "B9", udf=("Parameter", "B9", "Pflichtfeld ist leer")),
    Fall("datum_als_text", _parameter("Termine", "31.02.2026"), ("kein gültiges Datum", "31.02.2026"),
         "Parameter", "B19", udf=("Parameter", "B19", "kein gültiges Datum")),
    Fall("datum_in_betragszelle", _zell_xml("Parameter", "B9", '<c r="B9" t="d"><v>2026-01-15</v></c>'),
         ("kein Betrag",), "Parameter", "B9"),
    Fall("keine_arbeitsmappe", _keine_mappe, ("keine Excel-Arbeitsmappe",), None),
    Fall("kennwortgeschuetzt", _kennwort, ("kennwortgeschützt",), None),
    Fall("abgeschnitten", _abgeschnitten, ("beschädigt oder unvollständig",), None),
    Fall("zip_bombe", _zip_bombe, ("ZIP-Bombe", "stark komprimiert"), None),
    Fall("milliarde_lacher", _milliarde_lacher, ("DTD/Entity", "xl/worksheets/"), None),
    Fall("dtd_hinter_64kb", _dtd_hinter_64kb, ("DTD/Entity", "xl/worksheets/"), None),
]  # fmt: skip


def _kopie(tmp_path: Path, basis: str) -> Path:
    ziel = tmp_path / f"{basis}.xlsx"
    shutil.copy(WORKBOOKS / f"{basis}.xlsx", ziel)
    return ziel


def _ort_pruefen(text: str, fall: Fall, datei: str) -> None:
    if fall.blatt is None:
        assert datei in text, text
        return
    assert f"Blatt „{fall.blatt}“" in text, text
    if fall.zelle is not None:
        assert f"Zelle {fall.zelle}" in text, text


@pytest.mark.parametrize("fall", KATALOG, ids=[f.id for f in KATALOG])
def test_kaputte_mappe_ueber_cli(fall: Fall, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`recalc --inplace` on the broken workbook exits with 2 and a German message naming the place,
    and leaves the workbook byte for byte as it was (no backup, no temp file, no other file)."""
    pfad = _kopie(tmp_path, fall.basis)
    fall.brechen(pfad)
    vorher = pfad.read_bytes()
    assert len(vorher) < 5 * 1024 * 1024
    assert main(["recalc", "--inplace", str(pfad)]) == 2
    ausgabe = capsys.readouterr()
    zeile = next(z for z in ausgabe.out.splitlines() if z.startswith("FEHLER")).replace("\xa0", " ")
    _ort_pruefen(zeile, fall, pfad.name)
    for wort in fall.woerter:
        assert wort in zeile, (wort, zeile)
    assert "interner Fehler" not in zeile and "Traceback" not in ausgabe.err
    assert pfad.read_bytes() == vorher
    assert [p.name for p in tmp_path.iterdir()] == [pfad.name]


def _bereich(ws: Any, ref: str) -> list[list[Any]]:
    """Cell values as xlwings passes them to a UDF: error values arrive as None."""
    zeilen = []
    for zeile in ws[ref]:
        werte = []
        for z in zeile:
            fehler = z.data_type == "e" or (isinstance(z.value, str) and z.value.startswith("#"))
            werte.append(None if fehler else z.value)
        zeilen.append(werte)
    return zeilen


def _udf_bereiche(pfad: Path, basis: str) -> tuple[list[list[Any]], list[Any]]:
    """The Parameter range (A:B from row 1) and one range per schema table, read from the workbook."""
    wb = openpyxl.load_workbook(pfad, data_only=True)
    ws = wb["Parameter"]
    parameter = _bereich(ws, f"A1:B{ws.max_row}")
    tabellen: list[Any] = []
    for t in schema.schema(basis).tabellen:
        ref = dict(wb[t.blatt].tables.items()).get(t.name) if t.blatt in wb.sheetnames else None
        tabellen.append(None if ref is None else _bereich(wb[t.blatt], ref))
    return parameter, tabellen


#: what Excel passes to a UDF for the cases stored at XML level (openpyxl cannot read 1E+400 back)
UDF_WERTE = {"betrag_1e308": 1e308, "unendlich": float("inf")}


@pytest.mark.parametrize("fall", [f for f in KATALOG if f.udf], ids=[f.id for f in KATALOG if f.udf])
def test_kaputte_werte_ueber_udf(fall: Fall, tmp_path: Path) -> None:
    """The model UDF given the broken ranges returns one German „Fehler: …“ text of at most 255
    characters naming sheet and cell where the workbook message does, and never raises."""
    pfad = _kopie(tmp_path, fall.basis)
    if fall.id in UDF_WERTE:
        parameter, tabellen = _udf_bereiche(pfad, fall.basis)
        zeile = next(r for r in parameter if r[0] == "Gesamtbudget")
        zeile[1] = UDF_WERTE[fall.id]
    else:
        fall.brechen(pfad)
        parameter, tabellen = _udf_bereiche(pfad, fall.basis)
    text = MODELL_UDF[fall.basis](parameter, *tabellen)
    assert isinstance(text, str) and text.startswith("Fehler: "), text
    assert len(text) <= excel.MAX_TEXT and "\n" not in text
    assert "unerwarteter Fehler" not in text
    for wort in fall.udf or ():
        assert wort in text, (wort, text)


@pytest.mark.parametrize(
    ("betrag", "gewichte", "wort"),
    [
        (100, [["viel"], [1]], "keine gültige Zahl"),
        (100, [[-1], [2]], "negativ"),
        (100, [[0], [0]], "0"),
        (1e15, [[1], [1]], "unplausibel groß"),
        (float("inf"), [[1], [1]], "endliche Zahl"),
        (100, [[float("inf")], [1]], "Gewicht"),
        (100, [[float("nan")], [1]], "fehlt"),
        ("=1+1", [[1]], "Betrag"),
        (100, [], "leer"),
    ],
    ids=[
        "text",
        "negativ",
        "alle_null",
        "1e15",
        "inf_betrag",
        "inf_gewicht",
        "nan_gewicht",
        "formeltext",
        "leer",
    ],
)
def test_verteilen_mit_kaputten_werten(betrag: Any, gewichte: Any, wort: str) -> None:
    """SRB_VERTEILEN answers text, negative, zero, huge, infinite and missing weights or amounts with
    a short German „Fehler: …“ text."""
    text = excel.SRB_VERTEILEN(betrag, gewichte)
    assert isinstance(text, str) and text.startswith("Fehler: "), text
    assert len(text) <= excel.MAX_TEXT and "unerwarteter Fehler" not in text
    assert wort in text, text


def test_riesige_mappe_wird_abgelehnt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A workbook whose parts unpack to more than MAX_UNKOMPRIMIERT (limit lowered to 1 MB here; the
    parts compress only about 2:1, so it is no ratio bomb) is refused via the CLI, file unchanged."""
    pfad = _kopie(tmp_path, "kgst")
    zufall = random.Random(7)
    fuellung = "".join(zufall.choice("0123456789abcdef") for _ in range(1_500_000)).encode()
    _zip_teil(pfad, lambda zf: "docProps/app.xml", lambda d: d + b"<!--" + fuellung + b"-->")
    assert pfad.stat().st_size < wio.MAX_UNKOMPRIMIERT
    monkeypatch.setattr(wio, "MAX_UNKOMPRIMIERT", 1024 * 1024)
    assert pfad.stat().st_size < wio.MAX_UNKOMPRIMIERT
    vorher = pfad.read_bytes()
    assert main(["recalc", "--inplace", str(pfad)]) == 2
    assert pfad.read_bytes() == vorher


# --------------------------------------------------------------------------- backups and lock files


def _sicherungen(pfad: Path) -> list[Path]:
    ordner = pfad.parent / wio.SICHERUNGSORDNER
    return sorted(ordner.iterdir()) if ordner.exists() else []


@pytest.mark.parametrize("option", ["--backup", "--sicherung", None])
def test_backup_enthaelt_die_vorige_fassung(option: str | None, tmp_path: Path) -> None:
    """With --backup (alias --sicherung, and by default) --inplace keeps the previous bytes in
    .sozbudget-sicherung/ beside the workbook."""
    pfad = _kopie(tmp_path, "kgst")
    _parameter("Gesamtbudget", 1_000_000)(pfad)
    vorher = pfad.read_bytes()
    assert main(["recalc", "--inplace", str(pfad), *([option] if option else [])]) == 0
    (sicherung,) = _sicherungen(pfad)
    assert sicherung.read_bytes() == vorher and sicherung.suffix == ".xlsx"
    assert pfad.read_bytes() != vorher
    assert openpyxl.load_workbook(pfad)["Ergebnis"]["G12"].value == 1_000_000


@pytest.mark.parametrize("option", ["--kein-backup", "--keine-sicherung"])
def test_ohne_backup(option: str, tmp_path: Path) -> None:
    """--kein-backup (alias --keine-sicherung) writes in place without a backup folder."""
    pfad = _kopie(tmp_path, "kgst")
    assert main(["recalc", "--inplace", str(pfad), option]) == 0
    assert not (tmp_path / wio.SICHERUNGSORDNER).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [pfad.name]


def test_backup_optionen_schliessen_sich_aus(capsys: pytest.CaptureFixture[str]) -> None:
    """--backup together with --kein-backup is refused by the German argument parser."""
    with pytest.raises(SystemExit) as info:
        main(["recalc", "--inplace", "x.xlsx", "--backup", "--kein-backup"])
    assert info.value.code == 2
    assert "nicht zusammen mit" in capsys.readouterr().err


def test_hilfe_nennt_beide_schreibweisen() -> None:
    """`recalc --help` (German) documents --backup/--sicherung, --kein-backup/--keine-sicherung and how
    many backups are kept."""
    recalc = build_parser()._subparsers._group_actions[0].choices["recalc"]  # type: ignore[union-attr]
    hilfe = " ".join(recalc.format_help().split())
    for option in ("--backup", "--sicherung", "--kein-backup", "--keine-sicherung"):
        assert option in hilfe
    assert "Standard" in hilfe and wio.SICHERUNGSORDNER in hilfe
    assert f"die neuesten {wio.SICHERUNGEN_BEHALTEN} je Mappe" in hilfe
    assert "Optionen:" in hilfe and "Aufruf:" in hilfe


def test_nur_die_neuesten_sicherungen_bleiben(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Older backups beyond SICHERUNGEN_BEHALTEN (lowered to 2 here) are removed, the newest stay."""
    monkeypatch.setattr(wio, "SICHERUNGEN_BEHALTEN", 2)
    pfad = _kopie(tmp_path, "kgst")
    fassungen = []
    for budget in (1_000_000, 1_100_000, 1_200_000):
        _parameter("Gesamtbudget", budget)(pfad)
        fassungen.append(pfad.read_bytes())
        assert main(["recalc", "--inplace", str(pfad)]) == 0
    inhalte = [p.read_bytes() for p in _sicherungen(pfad)]
    assert len(inhalte) == 2 and sorted(inhalte) == sorted(fassungen[1:])


@pytest.mark.parametrize("sperre", ["~$kgst.xlsx", ".~lock.kgst.xlsx#"])
def test_sperrdatei_verhindert_recalc(
    sperre: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """While Excel's ``~$name`` (or LibreOffice's lock file) exists, --inplace exits with 2 and a German
    message, and neither the workbook nor the backup folder is touched."""
    pfad = _kopie(tmp_path, "kgst")
    (tmp_path / sperre).write_bytes(b"benutzer")
    vorher = pfad.read_bytes()
    assert main(["recalc", "--inplace", str(pfad)]) == 2
    text = capsys.readouterr().out
    programm = "LibreOffice" if sperre.startswith(".~lock.") else "Excel"  # issue 14: named as such
    assert f"in {programm} geöffnet" in text and sperre in text and "schließen" in text
    assert pfad.read_bytes() == vorher
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([pfad.name, sperre])


# --------------------------------------------------------------------------- untrusted content

BOESE = ['=HYPERLINK("http://evil","x")', "@SUM(1)", "+1+1"]
BOESER_RAUM = "-2+3"


@pytest.fixture(scope="module")
def boese_mappe(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """kgst.xlsx whose Träger are formula-like texts (stored as text cells) and whose Sozialraum is „-2+3“,
    recalculated with --out."""
    ordner = tmp_path_factory.mktemp("boese")
    pfad = ordner / "kgst.xlsx"
    shutil.copy(WORKBOOKS / "kgst.xlsx", pfad)
    wb = openpyxl.load_workbook(pfad)
    for zeile, name in enumerate(BOESE, start=2):
        zelle = wb["Träger"].cell(zeile, 1)
        zelle.value = name
        zelle.data_type = "s"  # a text in the input, as Excel stores '=…
    ws = wb["Parameter"]
    zeile = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Sozialraum")
    ws.cell(zeile, 2).value = BOESER_RAUM
    wb.save(pfad)
    assert main(["recalc", str(pfad), "--out", str(ordner / "out")]) == 0
    return ordner / "out" / "kgst.xlsx"


def test_formelaehnliche_texte_werden_text_in_ausgabeblaettern(boese_mappe: Path) -> None:
    """Träger and Sozialraum texts starting with = @ + - reach the output sheets as inline strings:
    no output sheet part holds an <f> element, and openpyxl reads them back as text."""
    zf = zipfile.ZipFile(boese_mappe)
    paket = wio._Paket(zf, boese_mappe.name)
    gefunden: set[str] = set()
    for blatt in AUSGABEBLAETTER:
        xml = zf.read(paket.blatt(blatt).teil).decode()  # type: ignore[union-attr]
        assert not re.search(r"<(?:\w+:)?f[ >/]", xml), blatt
        for text in [*BOESE, BOESER_RAUM]:
            if html.escape(text, quote=False) in xml:
                gefunden.add(text)
                assert re.search(
                    r'<c [^>]*t="inlineStr"[^>]*><is><t>' + re.escape(html.escape(text, quote=False)), xml
                )
    assert gefunden == {*BOESE, BOESER_RAUM}
    wb = openpyxl.load_workbook(boese_mappe)
    werte = {z.value: z.data_type for z in wb["Ergebnis"]["C"] + wb["Ergebnis"]["D"] if z.value}
    for text in [*BOESE, BOESER_RAUM]:
        assert werte[text] == "s"


def test_formelaehnliche_texte_stehen_woertlich_in_anlagen(
    boese_mappe: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The annexes (HTML and DOCX) show the formula-like Träger names literally."""
    assert main(["annex", str(boese_mappe), "--format", "html,docx", "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    ordner = tmp_path / "kgst"
    seiten = [
        html.unescape(re.sub(r"<[^>]+>", "", p.read_text(encoding="utf-8"))) for p in ordner.glob("*.html")
    ]
    dokumente = []
    for p in ordner.glob("*.docx"):
        d = docx.Document(str(p))
        teile = [a.text for a in d.paragraphs]
        teile += [c.text for t in d.tables for r in t.rows for c in r.cells]
        dokumente.append("\n".join(teile))
    assert len(seiten) == len(dokumente) == len(BOESE)
    for name in BOESE:
        assert any(name in s for s in seiten) and any(name in d for d in dokumente), name
    assert all(BOESER_RAUM in s for s in seiten + dokumente)


@pytest.mark.parametrize("befehl", ["check", "recalc"])
def test_dtd_in_blatt_wird_abgelehnt(befehl: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A sheet part declaring entities (billion laughs) is refused by check and recalc with a German
    message naming the file and the part; nothing is expanded or written."""
    pfad = _kopie(tmp_path, "kgst")
    _milliarde_lacher(pfad)
    vorher = pfad.read_bytes()
    args = [befehl, str(pfad)] + (["--inplace"] if befehl == "recalc" else [])
    assert main(args) == 2
    text = capsys.readouterr().out
    assert "DTD/Entity-Deklaration" in text and pfad.name in text and "xl/worksheets/" in text
    assert pfad.read_bytes() == vorher
