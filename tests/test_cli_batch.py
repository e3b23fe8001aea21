"""Headless batch use: `sozbudget recalc`, `check`, `new`, `annex` on the example workbooks."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula

from sozbudget_xl.cli import main
from sozbudget_xl.models import MODELLE, modell
from sozbudget_xl.workbook import schema
from sozbudget_xl.workbook.schema import AUSGABEBLAETTER

WORKBOOKS = Path(__file__).resolve().parents[1] / "workbooks"
EXAMPLES = sorted(WORKBOOKS.glob("*.xlsx")) + sorted(WORKBOOKS.glob("*.xlsm"))


def _sheet_values(path: Path, sheet: str) -> list[list]:
    wb = openpyxl.load_workbook(path, data_only=False)
    ws = wb[sheet]
    return [[c.value for c in row] for row in ws.iter_rows()]


def _trim(rows: list[list]) -> list[list]:
    """Rows without trailing empty cells and without empty rows (for comparisons)."""
    out = []
    for row in rows:
        row = list(row)
        while row and row[-1] in (None, ""):
            row.pop()
        if row:
            out.append(row)
    return out


def _formel(value):
    """A cell value comparable across loads (openpyxl's ArrayFormula has no equality)."""
    if isinstance(value, ArrayFormula):
        return ("array", value.ref, value.text)
    return value


def _srb_zellen(path: Path) -> set[tuple[str, str]]:
    """(sheet, cell) of every cell computed by an SRB_ formula (array formulas: their whole range)."""
    zellen = set()
    for ws in openpyxl.load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for c in row:
                text = c.value.text if isinstance(c.value, ArrayFormula) else c.value
                if not (isinstance(text, str) and text.startswith("=") and "SRB_" in text.upper()):
                    continue
                ref = c.value.ref if isinstance(c.value, ArrayFormula) else c.coordinate
                for zeile in ws[ref] if ":" in ref else ((ws[ref],),):
                    zellen |= {(ws.title, z.coordinate) for z in zeile}
    return zellen


def _normalise(value):
    if hasattr(value, "date") and callable(value.date):  # datetime from openpyxl → date
        return value.date()
    return value


def test_every_model_has_an_example_workbook():
    """workbooks/ holds one example workbook per model plus the macro workbook."""
    assert {p.stem for p in WORKBOOKS.glob("*.xlsx")} == set(MODELLE)
    assert (WORKBOOKS / "kgst_makro.xlsm").exists()


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    """All example workbooks recalculated once with --out (two worker processes)."""
    out = tmp_path_factory.mktemp("recalc")
    code = main(["recalc", *map(str, EXAMPLES), "--out", str(out), "--jobs", "2"])
    assert code == 0
    return out


@pytest.mark.parametrize("name", MODELLE)
def test_recalc_gives_the_numbers_of_the_core(recalculated, name):
    """The output sheets `recalc` writes equal `ausgaben(berechne(beispiel()))` cell by cell."""
    m = modell(name)
    expected = schema.ausgaben(m.berechne(*m.beispiel()))
    for sheet in AUSGABEBLAETTER:
        got = _trim(_sheet_values(recalculated / f"{name}.xlsx", sheet))
        want = _trim(expected[sheet])
        assert [[_normalise(v) for v in r] for r in got[: len(want)]] == want, sheet


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_recalc_leaves_inputs_names_validations_and_vba_unchanged(recalculated, path):
    """Everything but the output sheets is unchanged: cells, formulas, styles, names,
    validations, tables and the VBA part."""
    before = openpyxl.load_workbook(path, keep_vba=path.suffix == ".xlsm")
    after = openpyxl.load_workbook(recalculated / path.name, keep_vba=path.suffix == ".xlsm")
    assert set(before.defined_names) == set(after.defined_names)
    for ws in before.worksheets:
        if ws.title in AUSGABEBLAETTER:
            continue
        other = after[ws.title]
        for row in ws.iter_rows():
            for c in row:
                o = other[c.coordinate]
                assert (_formel(o.value), o.number_format, o.font.b, o.fill.fgColor.rgb) == (
                    _formel(c.value),
                    c.number_format,
                    c.font.b,
                    c.fill.fgColor.rgb,
                ), f"{ws.title}!{c.coordinate}"
        assert len(ws.data_validations.dataValidation) == len(other.data_validations.dataValidation)
        assert sorted(ws.tables) == sorted(other.tables)
    if path.suffix == ".xlsm":
        with zipfile.ZipFile(path) as a, zipfile.ZipFile(recalculated / path.name) as b:
            assert a.read("xl/vbaProject.bin") == b.read("xl/vbaProject.bin")


def test_second_recalc_is_identical(recalculated, tmp_path):
    """Recalculating an already recalculated workbook gives identical output sheets."""
    first = recalculated / "kgst.xlsx"
    assert main(["recalc", str(first), "--out", str(tmp_path)]) == 0
    for sheet in AUSGABEBLAETTER:
        assert _sheet_values(first, sheet) == _sheet_values(tmp_path / "kgst.xlsx", sheet)


def test_inplace_keeps_a_backup(tmp_path):
    """--inplace writes into the workbook and keeps the previous version as a backup."""
    ziel = tmp_path / "kgst.xlsx"
    shutil.copy(WORKBOOKS / "kgst.xlsx", ziel)
    original = ziel.read_bytes()
    assert main(["recalc", str(ziel), "--inplace"]) == 0
    backups = [p for p in tmp_path.rglob("*") if p.is_file() and p != ziel]
    assert any(b.read_bytes() == original for b in backups)


def test_bad_cell_gives_exit_2_naming_sheet_and_cell_and_leaves_file_untouched(tmp_path, capsys):
    """A text in a percent cell fails with exit 2, a German message with sheet and cell,
    and the workbook's bytes stay as they were."""
    ziel = tmp_path / "kgst.xlsx"
    shutil.copy(WORKBOOKS / "kgst.xlsx", ziel)
    wb = openpyxl.load_workbook(ziel)
    tabelle = schema.schema("kgst").tabellen[0]
    ws = wb[tabelle.blatt]
    spalte = next(i for i, s in enumerate(tabelle.spalten) if s.typ == "prozent")
    ws.cell(row=2, column=spalte + 1, value="viel")
    wb.save(ziel)
    vorher = ziel.read_bytes()
    assert main(["recalc", str(ziel), "--inplace"]) == 2
    out = capsys.readouterr().out
    assert f"Blatt „{tabelle.blatt}“" in out and "Zelle " in out and "FEHLER" in out
    assert ziel.read_bytes() == vorher


def test_check_writes_nothing(tmp_path, capsys):
    """`check` validates and computes but never changes the file."""
    ziel = tmp_path / "celle.xlsx"
    shutil.copy(WORKBOOKS / "celle.xlsx", ziel)
    vorher = ziel.read_bytes()
    assert main(["check", str(ziel)]) == 0
    assert "1 von 1 Arbeitsmappe(n) erfolgreich" in capsys.readouterr().out
    assert ziel.read_bytes() == vorher
    assert sorted(p.name for p in tmp_path.iterdir()) == ["celle.xlsx"]


def test_not_a_workbook_is_a_german_error(tmp_path, capsys):
    """A file that is not a workbook fails with exit 2 and a German message."""
    kaputt = tmp_path / "kaputt.xlsx"
    kaputt.write_bytes(b"kein Excel")
    assert main(["check", str(kaputt)]) == 2
    assert "kaputt.xlsx" in capsys.readouterr().out


def test_recalc_needs_inplace_or_out(capsys):
    """recalc without --inplace or --out is refused with a German message."""
    assert main(["recalc", str(WORKBOOKS / "kgst.xlsx")]) == 2
    assert "--inplace" in capsys.readouterr().err


@pytest.mark.parametrize("befehl", [["recalc"], ["annex", "--format", "html"]])
def test_out_that_names_a_file_is_refused_before_anything_is_written(tmp_path, capsys, befehl):
    """„--out neu.xlsx“ would make a folder called neu.xlsx: refused with a German hint (the name the
    copy gets), nothing written; a folder that already has such a name is used as it is."""
    mappe = tmp_path / "kgst.xlsx"
    shutil.copy(WORKBOOKS / "kgst.xlsx", mappe)
    vorher = mappe.read_bytes()
    for falsch in ("neu.xlsx", "Anlagen.PDF"):
        assert main([befehl[0], str(mappe), *befehl[1:], "--out", str(tmp_path / falsch)]) == 2
        err = capsys.readouterr().err
        assert "erwartet einen Ordner" in err and falsch in err and "kgst" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kgst.xlsx"] and mappe.read_bytes() == vorher
    (tmp_path / "ordner.xlsx").mkdir()
    assert main([befehl[0], str(mappe), *befehl[1:], "--out", str(tmp_path / "ordner.xlsx")]) == 0
    assert any((tmp_path / "ordner.xlsx").rglob("*.*"))


def test_new_creates_an_empty_workbook_and_refuses_to_overwrite(tmp_path, capsys):
    """`new` creates an empty workbook with the model's sheets and never overwrites a file."""
    ziel = tmp_path / "neu.xlsx"
    assert main(["new", "stuttgart", str(ziel)]) == 0
    wb = openpyxl.load_workbook(ziel)
    assert {"Anleitung", "Parameter"} <= set(wb.sheetnames)
    for t in schema.schema("stuttgart").tabellen:
        assert t.name in wb[t.blatt].tables
    assert main(["new", "stuttgart", str(ziel)]) == 2
    assert "gibt es schon" in capsys.readouterr().err
    assert main(["new", "hamburg", str(tmp_path / "x.xlsx")]) == 2


@pytest.mark.libreoffice
def test_recalculated_workbooks_open_in_libreoffice_without_error_values(recalculated, tmp_path):
    """LibreOffice opens every recalculated workbook; after its recalculation no cell holds an error value
    (except cells of SRB_ formulas: LibreOffice cannot run our Python functions and shows #NAME?)."""
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) nicht installiert")
    dateien = sorted(recalculated.glob("*.xls*"))
    profil = (tmp_path / "profil").as_uri()
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation={profil}",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path / "lo"),
            *map(str, dateien),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    for datei in dateien:
        lo = tmp_path / "lo" / (datei.stem + ".xlsx")
        assert lo.exists(), datei.name
        wb = openpyxl.load_workbook(lo, data_only=True)
        udf = _srb_zellen(WORKBOOKS / datei.name)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if (ws.title, c.coordinate) in udf:
                        continue
                    assert not (
                        isinstance(c.value, str)
                        and c.value.startswith("#")
                        and c.value.endswith(("!", "?", "A"))
                    ), f"{datei.name} {ws.title}!{c.coordinate}: {c.value}"


def test_annex_command_renders_one_file_per_contract_and_format(recalculated, tmp_path, capsys):
    """`annex` renders DOCX and HTML per contract of a workbook into OUT/<workbook>/."""
    assert (
        main(["annex", str(recalculated / "kgst.xlsx"), "--format", "docx,html", "--out", str(tmp_path)]) == 0
    )
    dateien = sorted(p.suffix for p in (tmp_path / "kgst").iterdir())
    assert dateien.count(".docx") == dateien.count(".html") == 3
    assert main(["annex", str(recalculated / "kgst.xlsx"), "--format", "odt", "--out", str(tmp_path)]) == 2


def test_wildcards_are_expanded_by_the_command(capsys):
    """`check workbooks/*.xlsx` works without a shell that expands wildcards (cmd.exe)."""
    assert main(["check", str(WORKBOOKS / "k*.xlsx")]) == 0
    assert "1 von 1 Arbeitsmappe(n) erfolgreich" in capsys.readouterr().out
    assert main(["check", str(WORKBOOKS / "gibtsnicht*.xlsx")]) == 2


def _stile(path: Path, sheet: str) -> dict:
    ws = openpyxl.load_workbook(path)[sheet]
    return {
        c.coordinate: (
            c.number_format,
            bool(c.font.b),
            c.fill.fgColor.rgb,
            c.border.top.style,
            c.alignment.wrap_text,
        )
        for row in ws.iter_rows()
        for c in row
        if c.value not in (None, "")
    }


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_recalc_formats_every_number_and_keeps_the_example_styles(recalculated, path):
    """Issue 10: after recalc no number on an output sheet is left in the General format (money,
    shares, counts, hours all carry the format of their unit), and formats, bold Summe row with
    its rule, header fill and wrapping are those of the example workbook; the chart survives."""
    out = recalculated / path.name
    wb = openpyxl.load_workbook(out)
    for sheet in AUSGABEBLAETTER:
        ws = wb[sheet]
        ohne_format = [
            f"{sheet}!{c.coordinate}={c.value!r}"
            for row in ws.iter_rows(min_row=2)
            for c in row
            if isinstance(c.value, int | float)
            and not isinstance(c.value, bool)
            and c.number_format == "General"
        ]
        assert not ohne_format, ohne_format[:10]
        assert _stile(out, sheet) == _stile(path, sheet), sheet
        assert ws.print_title_rows, sheet
    vorher = {ws.title: len(ws._charts) for ws in openpyxl.load_workbook(path).worksheets}
    # recalc adds the sheet „Verträge“ (contract numbers, inputs' fingerprint) when it is missing
    assert {t: len(wb[t]._charts) for t in vorher} == vorher


def test_different_names_from_different_folders_share_an_out_folder(tmp_path, capsys):
    """Issue 14: the same-name refusal has no false positives — kgst.xlsx and celle.xlsx from two
    folders go into one --out folder (with --jobs 2), each with its own OK line."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shutil.copy(WORKBOOKS / "kgst.xlsx", tmp_path / "a" / "kgst.xlsx")
    shutil.copy(WORKBOOKS / "celle.xlsx", tmp_path / "b" / "celle.xlsx")
    out = tmp_path / "out"
    args = [
        "recalc",
        str(tmp_path / "a" / "kgst.xlsx"),
        str(tmp_path / "b" / "celle.xlsx"),
        "--out",
        str(out),
    ]
    assert main([*args, "--jobs", "2"]) == 0
    text = capsys.readouterr().out
    assert text.count("OK      ") == 2 and "2 von 2 Arbeitsmappe(n) erfolgreich" in text
    assert sorted(p.name for p in out.iterdir()) == ["celle.xlsx", "kgst.xlsx"]
