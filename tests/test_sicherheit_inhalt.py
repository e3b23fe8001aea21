"""Issue 14, items 3, 5 and 6: what a workbook holds is never silently misread.

Each test builds its hostile workbook from a fresh example workbook (tests/sicherheit_mappen.py)
and runs `sozbudget check` (and where it matters `recalc`/`annex`) on it.
"""

from __future__ import annotations

import datetime as dt
import errno
import struct
import time
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from sozbudget_xl.cli import main
from sozbudget_xl.errors import SozbudgetError
from sozbudget_xl.formats import betrag
from sozbudget_xl.workbook import io as wio
from sozbudget_xl.workbook import schutz
from sozbudget_xl.workbook.recalc import berechne_mappe

from .sicherheit_mappen import blatt_teil, deutsch, mappe, parameter_zeile, teile_aendern, zelle_ersetzen


def _check(pfad: Path, capsys: pytest.CaptureFixture[str]) -> str:
    vorher = pfad.read_bytes()
    code = main(["check", str(pfad)])
    text = capsys.readouterr().out
    assert pfad.read_bytes() == vorher
    deutsch(text)
    assert code == 2, text
    return next(z for z in text.splitlines() if z.startswith("FEHLER"))


# --------------------------------------------------------------------------- structure


def test_hidden_table_row_is_refused(tmp_path, capsys):
    """A hidden (filtered) row in an input table would be counted unseen: refused naming sheet and row."""
    pfad = mappe(tmp_path)
    wb = openpyxl.load_workbook(pfad)
    wb["Träger"].row_dimensions[3].hidden = True
    wb.save(pfad)
    zeile = _check(pfad, capsys)
    assert "Blatt „Träger“" in zeile and "ausgeblendete" in zeile and "(3)" in zeile


def test_hidden_table_column_is_refused(tmp_path, capsys):
    """A hidden column inside an input table is refused as well."""
    pfad = mappe(tmp_path)
    wb = openpyxl.load_workbook(pfad)
    wb["Träger"].column_dimensions["C"].hidden = True
    wb.save(pfad)
    zeile = _check(pfad, capsys)
    assert "ausgeblendete Spalte (C)" in zeile and "Zelle C1" in zeile


def test_merged_parameter_cells_are_refused(tmp_path, capsys):
    """Merged cells in columns A/B of „Parameter“ (which used to drop Fallzahl) are refused."""
    pfad = mappe(tmp_path)
    zeile_nr = parameter_zeile(pfad, "Fallzahl")
    wb = openpyxl.load_workbook(pfad)
    wb["Parameter"].merge_cells(f"A{zeile_nr}:B{zeile_nr}")
    wb.save(pfad)
    zeile = _check(pfad, capsys)
    assert "Blatt „Parameter“" in zeile and f"A{zeile_nr}:B{zeile_nr}" in zeile and "verbundene" in zeile


@pytest.mark.parametrize("zweiter", ["Anteil ", "anteil", "An\u200bteil", "Anteil\u00a0", "Ante\u0301il"])
def test_duplicate_headers_after_normalisation_are_refused(tmp_path, capsys, zweiter):
    """Two headers equal after folding blanks, nbsp, zero-width characters, case and NFC are refused."""
    pfad = mappe(tmp_path)
    wb = openpyxl.load_workbook(pfad)
    ws = wb["Träger"]
    ws["C1"] = zweiter if zweiter != "Ante\u0301il" else "Anteil"
    wb.save(pfad)
    zeile = _check(pfad, capsys)
    assert "doppelt" in zeile and "B1" in zeile and "C1" in zeile and "Blatt „Träger“" in zeile


def test_duplicate_sheet_names_are_refused(tmp_path, capsys):
    """A hand-made package listing two sheets of the same name (case aside) is refused."""
    pfad = mappe(tmp_path)

    def aendern(name: str, daten: bytes) -> bytes | None:
        if name == "xl/workbook.xml":
            return daten.replace(b'name="Diagramm"', b'name="parameter"')
        return None

    teile_aendern(pfad, aendern)
    zeile = _check(pfad, capsys)
    assert "zwei Blätter mit demselben Namen" in zeile and "Parameter" in zeile


def test_duplicate_zip_member_is_refused(tmp_path, capsys):
    """A zip holding the same member twice (the reader would pick one silently) is refused."""
    pfad = mappe(tmp_path)
    with zipfile.ZipFile(pfad) as zf:
        blatt = zf.read("xl/worksheets/sheet3.xml")
    with pytest.warns(UserWarning), zipfile.ZipFile(pfad, "a") as zf:
        zf.writestr("xl/worksheets/sheet3.xml", blatt.replace(b"0.4", b"0.9"))
    zeile = _check(pfad, capsys)
    assert "doppelt" in zeile and "sheet3.xml" in zeile


def _formel(pfad: Path, bezeichnung: str, formel: str, wert: str) -> str:
    nr = parameter_zeile(pfad, bezeichnung)
    zelle_ersetzen(pfad, "Parameter", f"B{nr}", f'<c r="B{nr}"><f>{formel}</f><v>{wert}</v></c>')
    return f"B{nr}"


def test_cached_value_of_a_circular_reference_is_refused(tmp_path, capsys):
    """A parameter whose formula depends on itself (through another cell) is refused: its stored
    value is not reliable."""
    pfad = mappe(tmp_path)
    zelle = _formel(pfad, "Fallzahl", "D1+1", "186")
    teil = blatt_teil(pfad, "Parameter")
    d1 = f'<c r="D1"><f>{zelle}-1</f><v>185</v></c>'.encode()
    teile_aendern(
        pfad, lambda n, d: d.replace(b"</c></row>", b"</c>" + d1 + b"</row>", 1) if n == teil else None
    )
    zeile = _check(pfad, capsys)
    assert "Zirkelbezug" in zeile and f"Zelle {zelle}" in zeile


def test_self_reference_in_a_table_cell_is_refused(tmp_path, capsys):
    """A table cell whose formula refers to its own table column (structured reference) is refused."""
    pfad = mappe(tmp_path)
    zelle_ersetzen(pfad, "Träger", "B2", '<c r="B2"><f>1-SUM(Traeger[Anteil])+0.4</f><v>0.4</v></c>')
    zeile = _check(pfad, capsys)
    assert "Zirkelbezug" in zeile and "Zelle B2" in zeile and "Blatt „Träger“" in zeile


def test_cached_value_of_an_external_link_is_refused(tmp_path, capsys):
    """A parameter whose value comes from another workbook ([1]Tabelle1!A1) is refused."""
    pfad = mappe(tmp_path)
    zelle = _formel(pfad, "Gesamtbudget", "[1]Tabelle1!$A$1", "1250000")
    zeile = _check(pfad, capsys)
    assert "andere Arbeitsmappe" in zeile and f"Zelle {zelle}" in zeile


def test_plain_formulas_are_still_read(tmp_path, capsys):
    """A harmless formula with a stored value (=1000000+250000) is read as before."""
    pfad = mappe(tmp_path)
    _formel(pfad, "Gesamtbudget", "1000000+250000", "1250000")
    assert main(["check", str(pfad)]) == 0
    assert "1.250.000,00 €" in capsys.readouterr().out


# --------------------------------------------------------------------------- values


def test_x_escapes_are_decoded_when_read_and_kept_when_written(tmp_path):
    """`_x0041_` in a stored text is Excel's escape for „A“; a literal `_x0041_` (stored as
    `_x005F_x0041_`) stays literal, and is escaped again when written."""
    pfad = mappe(tmp_path)
    zelle_ersetzen(
        pfad, "Träger", "A2", '<c r="A2" t="inlineStr"><is><t>C_x0041_ritas_x005F_x0041_</t></is></c>'
    )
    b = berechne_mappe(pfad)
    assert b.mappe.tabellen["Traeger"][0]["Träger"] == "CAritas_x0041_"
    assert schutz.x_dekodieren("a_xD800_b_x000D_") == "a\ufffdb\r"  # no lone surrogate
    w = wio._konvertiere("CAritas_x0041_", "Ergebnis", "C2", False)
    assert w.text == "CAritas_x005F_x0041_"
    assert schutz.x_dekodieren(w.text) == "CAritas_x0041_"


def test_negative_zero_is_never_shown(tmp_path):
    """−0 is written as 0 and shown as „0,00 €“, never „-0,00 €“."""
    assert betrag(Decimal("-0.00")).replace("\xa0", " ") == "0,00 €"
    assert betrag(-0.0001).replace("\xa0", " ") == "0,00 €"
    assert wio._konvertiere(-0.0, "Ergebnis", "G2", False).text == "0"
    assert wio._konvertiere(Decimal("-0.001"), "Ergebnis", "G2", False).text == "0"


@pytest.mark.parametrize("wert", [10**308, 1e308, Decimal("1e308"), 10**15])
def test_absurd_magnitudes_are_never_written(wert):
    """A count of 1e308 is not written as a 309-digit number: a German error naming sheet and cell."""
    with pytest.raises(SozbudgetError) as exc:
        wio._konvertiere(wert, "Kennzahlen", "B7", False)
    assert "unplausibel groß" in str(exc.value) and "Zelle B7" in str(exc.value)


def test_time_of_day_in_an_amount_cell_is_shown_german(tmp_path, capsys):
    """A time (12:00) typed into an amount cell is reported as „12:00 Uhr“, not as a Python repr."""
    pfad = mappe(tmp_path)
    wb = openpyxl.load_workbook(pfad)
    zeile_nr = parameter_zeile(pfad, "Gesamtbudget")
    wb["Parameter"].cell(zeile_nr, 2, dt.time(12, 0))
    wb.save(pfad)
    zeile = _check(pfad, capsys)
    assert "12:00 Uhr" in zeile and f"B{zeile_nr}" in zeile


@pytest.mark.parametrize(
    "name", ["Caritasverband Musterstadt e.V.\u200b", "Caritasverband  Musterstadt e.V."]
)
def test_duplicate_traeger_after_normalisation_are_refused(tmp_path, capsys, name):
    """Two Träger differing only by a zero-width character or blanks are one Träger: refused."""
    pfad = mappe(tmp_path)
    wb = openpyxl.load_workbook(pfad)
    wb["Träger"]["A3"] = name
    wb.save(pfad)
    zeile = _check(pfad, capsys)
    assert "doppelt" in zeile and "Blatt „Träger“" in zeile


# --------------------------------------------------------------------------- container limits


def _luegender_bestandteil(pfad: Path, entpackt: int = 60 * 1024 * 1024) -> None:
    """Add a member whose headers claim 100 bytes but whose data inflates to ``entpackt``."""
    roh = zlib.compressobj(9, zlib.DEFLATED, -15)
    daten = roh.compress(b"\0" * entpackt) + roh.flush()
    teile_aendern(pfad, lambda n, d: None, extra={"customXml/item1.bin": b"x" * 100})
    inhalt = bytearray(pfad.read_bytes())
    name = b"customXml/item1.bin"
    # local header: replace the stored data by the bomb, sizes stay 100 (a lie)
    lokal = inhalt.find(b"PK\x03\x04" + b"", 0)
    while True:
        start = inhalt.find(b"PK\x03\x04", lokal)
        n_len, x_len = struct.unpack("<HH", inhalt[start + 26 : start + 30])
        if inhalt[start + 30 : start + 30 + n_len] == name:
            break
        lokal = start + 4
    comp_alt = struct.unpack("<I", inhalt[start + 18 : start + 22])[0]
    daten_start = start + 30 + n_len + x_len
    inhalt[daten_start : daten_start + comp_alt] = daten
    inhalt[start + 18 : start + 22] = struct.pack("<I", len(daten))
    delta = len(daten) - comp_alt
    # central directory: new compressed size, offsets of later entries and of the directory moved
    cd_ende = inhalt.rfind(b"PK\x05\x06")
    cd_start = struct.unpack("<I", inhalt[cd_ende + 16 : cd_ende + 20])[0] + delta
    inhalt[cd_ende + 16 : cd_ende + 20] = struct.pack("<I", cd_start)
    pos = cd_start
    while inhalt[pos : pos + 4] == b"PK\x01\x02":
        n_len, x_len, k_len = struct.unpack("<HHH", inhalt[pos + 28 : pos + 34])
        offset = struct.unpack("<I", inhalt[pos + 42 : pos + 46])[0]
        if inhalt[pos + 46 : pos + 46 + n_len] == name:
            inhalt[pos + 20 : pos + 24] = struct.pack("<I", len(daten))
        elif offset > start:
            inhalt[pos + 42 : pos + 46] = struct.pack("<I", offset + delta)
        pos += 46 + n_len + x_len + k_len
    pfad.write_bytes(bytes(inhalt))


@pytest.mark.parametrize("befehl", ["check", "recalc", "annex"])
def test_member_lying_about_its_size_is_refused_everywhere_quickly(tmp_path, capsys, befehl):
    """A member whose header says 100 bytes but inflates to 60 MB is refused by check, recalc and
    annex within a second, counted while inflating (never trusting the header)."""
    pfad = mappe(tmp_path)
    _luegender_bestandteil(pfad)
    with zipfile.ZipFile(pfad) as zf:
        assert zf.getinfo("customXml/item1.bin").file_size == 100
    args = {
        "check": ["check", str(pfad)],
        "recalc": ["recalc", "--inplace", str(pfad)],
        "annex": ["annex", str(pfad), "--out", str(tmp_path / "anl"), "--format", "html"],
    }[befehl]
    vorher = pfad.read_bytes()
    start = time.perf_counter()
    assert main(args) == 2
    assert time.perf_counter() - start < 5
    text = capsys.readouterr().out
    deutsch(text)
    assert "entpackt größer" in text and "customXml/item1.bin" in text
    assert pfad.read_bytes() == vorher
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kgst.xlsx"]  # no folder, no temp file


def test_table_over_whole_columns_is_read_in_bounded_time(tmp_path, capsys):
    """A table defined over whole columns (A1:D1048576, as Excel makes when a user formats whole
    columns as a table) is read within seconds, with the same result."""
    pfad = mappe(tmp_path)

    def aendern(name: str, daten: bytes) -> bytes | None:
        if name.startswith("xl/tables/"):
            return daten.replace(b'ref="A1:D4"', b'ref="A1:D1048576"')
        return None

    teile_aendern(pfad, aendern)
    assert openpyxl.load_workbook(pfad)["Träger"].tables["Traeger"].ref == "A1:D1048576"
    start = time.perf_counter()
    assert main(["check", str(pfad)]) == 0
    assert time.perf_counter() - start < 5
    assert "Gesamt 1.250.000,00 €" in capsys.readouterr().out


# --------------------------------------------------------------------------- German messages


@pytest.mark.parametrize(
    "exc",
    [
        PermissionError(errno.EACCES, "Permission denied", "/x/kgst.xlsx"),
        FileExistsError(errno.EEXIST, "File exists", "/x/out"),
        OSError(errno.ENOSPC, "No space left on device"),
        MemoryError(),
        RecursionError("maximum recursion depth exceeded"),
        zlib.error("Error -3 while decompressing data: invalid block type"),
        etree.XMLSyntaxError("StartTag: invalid element name", 1, 1, 1, "x"),
        KeyError("xl/worksheets/sheet9.xml"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_every_exception_becomes_german_text_without_repr(exc):
    """Errors from the system or libraries reach the user as German sentences naming the file,
    never as an English message or an exception's repr."""
    text = schutz.fehler_text(exc, "/daten/kgst.xlsx")
    deutsch(text)
    assert repr(exc) not in text and "kgst.xlsx" in text


def test_german_errno_texts():
    """Errno 13, 17 and 28 have German wording."""
    assert "keine Berechtigung" in schutz.oserror_text(PermissionError(errno.EACCES, "x"))
    assert "schon eine Datei" in schutz.oserror_text(FileExistsError(errno.EEXIST, "x"))
    assert "kein Platz" in schutz.oserror_text(OSError(errno.ENOSPC, "x"))


@pytest.mark.parametrize(
    "inhalt",
    [
        b"PK\x03\x04" + b"\0" * 200,  # truncated zip
        b"<?xml version='1.0'?><x/>",  # not a zip
        b"",  # empty
    ],
)
def test_broken_files_give_german_lines(tmp_path, capsys, inhalt):
    """Broken files give one German FEHLER line each, no English, no traceback."""
    pfad = tmp_path / "kaputt.xlsx"
    pfad.write_bytes(inhalt)
    zeile = _check(pfad, capsys)
    assert "kaputt.xlsx" in zeile


def test_malformed_xml_part_is_german(tmp_path, capsys):
    """A workbook whose sheet XML is malformed is reported as damaged, in German."""
    pfad = mappe(tmp_path)
    teile_aendern(pfad, lambda n, d: d[:-40] if n == "xl/worksheets/sheet3.xml" else None)
    zeile = _check(pfad, capsys)
    assert "kgst.xlsx" in zeile


def test_deeply_nested_xml_never_crashes(tmp_path, capsys):
    """A sheet nesting unknown elements 100 000 deep (a RecursionError trap) gives a normal
    summary (read or refused in German), never a traceback."""
    pfad = mappe(tmp_path)
    tief = b"<x>" * 100_000 + b"</x>" * 100_000
    teile_aendern(
        pfad,
        lambda n, d: d.replace(b"<sheetData>", b"<sheetData>" + tief) if n.endswith("sheet3.xml") else None,
    )
    code = main(["check", str(pfad)])
    text = capsys.readouterr().out
    deutsch(text)
    assert code in (0, 2) and "von 1 Arbeitsmappe(n)" in text


def test_many_formulas_over_large_ranges_are_checked_in_bounded_time(tmp_path, capsys):
    """20 000 formulas each summing 20 000 cells (400 million references) do not make the
    circular-reference check hang: bounded work, the run ends within seconds."""
    pfad = mappe(tmp_path)
    nr = parameter_zeile(pfad, "Fallzahl")
    teil = blatt_teil(pfad, "Parameter")
    zeilen = "".join(
        f'<row r="{r}"><c r="D{r}"><f>SUM(D100:D20099)</f><v>0</v></c></row>' for r in range(100, 20100)
    ).encode()
    teile_aendern(
        pfad, lambda n, d: d.replace(b"</sheetData>", zeilen + b"</sheetData>") if n == teil else None
    )
    zelle_ersetzen(pfad, "Parameter", f"B{nr}", f'<c r="B{nr}"><f>186+D100</f><v>186</v></c>')
    start = time.perf_counter()
    code = main(["check", str(pfad)])
    assert time.perf_counter() - start < 15
    text = capsys.readouterr().out
    deutsch(text)
    assert code in (0, 2) and "von 1 Arbeitsmappe(n)" in text


_FEINDLICH = {
    "zeile_jenseits_von_excel": ("Träger", lambda d: d.replace(b'<row r="4"', b'<row r="99999999"')),
    "zeile_null": ("Träger", lambda d: d.replace(b'<row r="3"', b'<row r="0"')),
    "zellbezug_ungueltig": ("Träger", lambda d: d.replace(b'r="B2"', b'r="ZZZZZ2"')),
    "utf16_blatt": ("Parameter", lambda d: d.decode().encode("utf-16")),
    "formel_5000_klammern": (
        "Parameter",
        lambda d: d.replace(
            b'<c r="C1"',
            b'<c r="D1"><f>' + b"(" * 5000 + b"1" + b")" * 5000 + b'</f><v>1</v></c><c r="C1"',
            1,
        ),
    ),
    "formel_ueber_alle_zellen": (
        "Parameter",
        lambda d: d.replace(b'<c r="C1"', b'<c r="D1"><f>SUM(A:XFD)</f><v>1</v></c><c r="C1"', 1),
    ),
    "steuerzeichen_im_xml": ("Träger", lambda d: d.replace(b"Caritasverband", b"Cari&#x1;tas")),
    "nan_gespeichert": ("Träger", lambda d: d.replace(b"<v>0.4</v>", b"<v>nan</v>")),
}


@pytest.mark.parametrize("fall", sorted(_FEINDLICH))
def test_hostile_sheet_xml_never_crashes_and_stays_german(tmp_path, capsys, fall):
    """Hand-made sheet XML (rows beyond Excel's limit, invalid references, UTF-16, deeply nested or
    whole-sheet formulas, control characters, NaN) gives a normal German summary within seconds
    and `check` leaves the file as it was."""
    pfad = mappe(tmp_path)
    blatt, aendern = _FEINDLICH[fall]
    teil = blatt_teil(pfad, blatt)
    teile_aendern(pfad, lambda n, d: aendern(d) if n == teil else None)
    vorher = pfad.read_bytes()
    start = time.perf_counter()
    code = main(["check", str(pfad)])
    assert time.perf_counter() - start < 10
    text = capsys.readouterr().out
    deutsch(text)
    assert code in (0, 2) and "von 1 Arbeitsmappe(n)" in text
    assert pfad.read_bytes() == vorher
