"""Issue 14, items 1 and 7: nothing lost, nothing outside the folder the user named.

Output paths (same names, symlinks, read-only files, --out onto the input), lock files,
file names that look like options, annex folders with documents of vanished contracts.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import openpyxl
import pytest

from sozbudget_xl.cli import main
from sozbudget_xl.workbook import io as wio
from sozbudget_xl.workbook.schema import AUSGABEBLAETTER

from .sicherheit_mappen import deutsch, mappe, parameter_zeile

symlinks = pytest.mark.skipif(os.name == "nt", reason="symbolische Links brauchen unter Windows Rechte")


def _dateien(ordner: Path) -> dict[str, bytes]:
    return {str(p.relative_to(ordner)): p.read_bytes() for p in sorted(ordner.rglob("*")) if p.is_file()}


def _gesamtbudget(pfad: Path, betrag: int) -> None:
    wb = openpyxl.load_workbook(pfad)
    wb["Parameter"].cell(parameter_zeile(pfad, "Gesamtbudget"), 2, betrag)
    wb.save(pfad)


# --------------------------------------------------------------------------- same names


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_same_named_workbooks_from_two_folders_are_refused_before_writing(tmp_path, capsys, jobs):
    """`recalc a/kgst.xlsx b/kgst.xlsx --out out` is refused before anything is written
    (it used to write both, the last one winning)."""
    a, b = mappe(tmp_path / "a"), mappe(tmp_path / "b")
    _gesamtbudget(b, 2_000_000)
    out = tmp_path / "out"
    assert main(["recalc", str(a), str(b), "--out", str(out), "--jobs", jobs]) == 2
    fehler = capsys.readouterr().err
    deutsch(fehler)
    assert "überschreiben" in fehler and str(a) in fehler and str(b) in fehler
    assert not out.exists()


def test_names_differing_only_in_case_collide_too(tmp_path, capsys):
    """KGST.xlsx and kgst.xlsx are one file on Windows and macOS: refused as well."""
    a, b = mappe(tmp_path / "a"), mappe(tmp_path / "b", "KGST.xlsx")
    assert main(["recalc", str(a), str(b), "--out", str(tmp_path / "out")]) == 2
    assert "überschreiben" in capsys.readouterr().err


def test_annex_refuses_two_workbooks_for_one_folder(tmp_path, capsys):
    """`annex a/kgst.xlsx b/kgst.xlsx` would fill one folder with b's documents only: refused."""
    a, b = mappe(tmp_path / "a"), mappe(tmp_path / "b")
    out = tmp_path / "anl"
    assert main(["annex", str(a), str(b), "--out", str(out), "--format", "html"]) == 2
    assert "Unterordner" in capsys.readouterr().err
    assert not out.exists()


def test_same_file_twice_is_processed_once(tmp_path, capsys):
    """A workbook named twice (`kgst.xlsx ./kgst.xlsx`) is processed once, with a note."""
    a = mappe(tmp_path)
    assert main(["recalc", str(a), str(tmp_path / "." / "kgst.xlsx"), "--inplace", "--jobs", "2"]) == 0
    captured = capsys.readouterr()
    assert "mehrfach angegeben" in captured.err
    assert "1 von 1 Arbeitsmappe(n) erfolgreich" in captured.out


# --------------------------------------------------------------------------- --out onto the input


def test_out_into_the_workbooks_own_folder_is_refused(tmp_path, capsys, monkeypatch):
    """`recalc kgst.xlsx --out .` in the workbook's folder would overwrite the input: refused,
    nothing changed, no backup folder."""
    pfad = mappe(tmp_path)
    vorher = _dateien(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["recalc", "kgst.xlsx", "--out", "."]) == 2
    text = capsys.readouterr().err
    assert "Ordner der Mappe selbst" in text and "kgst.xlsx" in text
    assert _dateien(tmp_path) == vorher
    assert pfad.exists()


@symlinks
def test_out_folder_linked_to_the_workbooks_folder_is_refused(tmp_path, capsys):
    """An --out folder that is a link to the workbook's folder is the same folder: refused."""
    pfad = mappe(tmp_path / "daten")
    (tmp_path / "ausgabe").symlink_to(tmp_path / "daten")
    vorher = pfad.read_bytes()
    assert main(["recalc", str(pfad), "--out", str(tmp_path / "ausgabe")]) == 2
    assert pfad.read_bytes() == vorher


# --------------------------------------------------------------------------- symlinks


@symlinks
def test_out_never_writes_through_a_symlink(tmp_path, capsys):
    """A symlink out/kgst.xlsx → a file elsewhere is never written through: the run fails for that
    workbook and the file outside stays byte for byte."""
    pfad = mappe(tmp_path / "daten")
    fremd = tmp_path / "fremd.xlsx"
    fremd.write_bytes(b"fremde Datei")
    out = tmp_path / "out"
    out.mkdir()
    (out / "kgst.xlsx").symlink_to(fremd)
    assert main(["recalc", str(pfad), "--out", str(out)]) == 2
    text = capsys.readouterr().out
    deutsch(text)
    assert "Verknüpfung" in text
    assert fremd.read_bytes() == b"fremde Datei"
    assert (out / "kgst.xlsx").is_symlink()


@symlinks
def test_inplace_refuses_a_workbook_linked_from_another_folder(tmp_path, capsys):
    """--inplace on a symlink whose target lies outside the named folder changes nothing there."""
    echt = mappe(tmp_path / "anderswo")
    (tmp_path / "hier").mkdir()
    link = tmp_path / "hier" / "kgst.xlsx"
    link.symlink_to(echt)
    vorher = echt.read_bytes()
    assert main(["recalc", str(link), "--inplace"]) == 2
    assert "außerhalb des Ordners" in capsys.readouterr().out
    assert echt.read_bytes() == vorher
    assert sorted(p.name for p in (tmp_path / "anderswo").iterdir()) == ["kgst.xlsx"]


@symlinks
def test_lock_file_beside_a_symlinks_target_is_respected(tmp_path, capsys):
    """Excel opened the target of a link (lock file beside the target): the write is refused."""
    echt = mappe(tmp_path)
    link = tmp_path / "verweis.xlsx"
    link.symlink_to(echt.name)
    (tmp_path / "~$kgst.xlsx").write_bytes(b"benutzer")
    vorher = echt.read_bytes()
    assert main(["recalc", str(link), "--inplace"]) == 2
    assert "in Excel geöffnet" in capsys.readouterr().out
    assert echt.read_bytes() == vorher


@symlinks
def test_symlinked_backup_folder_is_refused_and_foreign_files_survive(tmp_path, capsys):
    """A backup folder that is a link elsewhere is refused: pruning never deletes foreign files."""
    pfad = mappe(tmp_path / "daten")
    fremd = tmp_path / "fremd"
    fremd.mkdir()
    for i in range(12):  # names that match the backup pattern
        (fremd / f"kgst_2020-01-{i + 1:02d}_00-00-00.xlsx").write_bytes(b"fremd")
    (tmp_path / "daten" / wio.SICHERUNGSORDNER).symlink_to(fremd)
    vorher = pfad.read_bytes()
    assert main(["recalc", str(pfad), "--inplace"]) == 2
    assert "Sicherungsordner" in capsys.readouterr().out
    assert len(list(fremd.iterdir())) == 12
    assert pfad.read_bytes() == vorher


@symlinks
def test_new_refuses_a_dangling_symlink(tmp_path, capsys):
    """`new` never writes through a (dangling) link to a place outside the folder."""
    ziel = tmp_path / "neu.xlsx"
    ziel.symlink_to(tmp_path / "woanders" / "x.xlsx")
    assert main(["new", "kgst", str(ziel)]) == 2
    assert not (tmp_path / "woanders").exists()


@symlinks
def test_annex_folder_that_is_a_symlink_is_refused(tmp_path, capsys):
    """The annex subfolder OUT/<Mappe> being a link to elsewhere is refused."""
    pfad = mappe(tmp_path / "daten")
    fremd = tmp_path / "fremd"
    fremd.mkdir()
    (tmp_path / "anl").mkdir()
    (tmp_path / "anl" / "kgst").symlink_to(fremd)
    assert main(["annex", str(pfad), "--out", str(tmp_path / "anl"), "--format", "html"]) == 2
    assert "Verknüpfung" in capsys.readouterr().out
    assert list(fremd.iterdir()) == []


# --------------------------------------------------------------------------- files we did not create


def test_out_backs_up_an_existing_file_before_replacing_it(tmp_path, capsys):
    """A file of the same name already in --out is kept as a backup before it is replaced."""
    pfad = mappe(tmp_path / "daten")
    out = tmp_path / "out"
    out.mkdir()
    (out / "kgst.xlsx").write_bytes(b"Nutzerdatei")
    assert main(["recalc", str(pfad), "--out", str(out)]) == 0
    sicherungen = list((out / wio.SICHERUNGSORDNER).iterdir())
    assert [s.read_bytes() for s in sicherungen] == [b"Nutzerdatei"]
    assert openpyxl.load_workbook(out / "kgst.xlsx").sheetnames


def test_result_file_fallback_never_overwrites_without_backup(tmp_path):
    """The `<Name>_Ergebnis.xlsx` fallback backs up a user's file of that name first."""
    ziel = tmp_path / "kgst_Ergebnis.xlsx"
    ziel.write_bytes(b"eigene Auswertung")
    bericht = wio.schreibe_ergebnisdatei(ziel, {"Ergebnis": [["A", "B"], [1, 2]]})
    assert bericht.sicherung is not None and bericht.sicherung.read_bytes() == b"eigene Auswertung"
    assert openpyxl.load_workbook(ziel).sheetnames == ["Ergebnis"]


def test_read_only_workbook_is_not_replaced(tmp_path, capsys):
    """--inplace on a workbook marked read-only refuses; file, mode and folder stay as they were."""
    pfad = mappe(tmp_path)
    pfad.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        vorher = pfad.read_bytes()
        assert main(["recalc", str(pfad), "--inplace"]) == 2
        text = capsys.readouterr().out
        assert "schreibgeschützt" in text and "kgst.xlsx" in text
        assert pfad.read_bytes() == vorher
        assert stat.S_IMODE(pfad.stat().st_mode) == stat.S_IRUSR | stat.S_IRGRP
        assert sorted(p.name for p in tmp_path.iterdir()) == ["kgst.xlsx"]
    finally:
        pfad.chmod(0o644)


def test_read_only_file_in_out_is_not_replaced(tmp_path, capsys):
    """A read-only file of the same name in --out is not replaced."""
    pfad = mappe(tmp_path / "daten")
    out = tmp_path / "out"
    out.mkdir()
    (out / "kgst.xlsx").write_bytes(b"schreibgeschuetzt")
    (out / "kgst.xlsx").chmod(0o444)
    try:
        assert main(["recalc", str(pfad), "--out", str(out)]) == 2
        assert "schreibgeschützt" in capsys.readouterr().out
        assert (out / "kgst.xlsx").read_bytes() == b"schreibgeschuetzt"
    finally:
        (out / "kgst.xlsx").chmod(0o644)


def test_out_that_is_a_file_is_a_german_error(tmp_path, capsys):
    """--out naming an existing file (Errno 17 before) gives a German error, nothing written."""
    pfad = mappe(tmp_path / "daten")
    (tmp_path / "out").write_bytes(b"x")
    assert main(["recalc", str(pfad), "--out", str(tmp_path / "out")]) == 2
    text = capsys.readouterr().out
    deutsch(text)
    assert "ist eine Datei, kein Ordner" in text


# --------------------------------------------------------------------------- lock files and names


def test_libreoffice_lock_is_named_as_such(tmp_path, capsys):
    """LibreOffice's lock file is called a LibreOffice lock, not „in Excel geöffnet“."""
    pfad = mappe(tmp_path)
    (tmp_path / ".~lock.kgst.xlsx#").write_text("benutzer,rechner")
    assert main(["recalc", str(pfad), "--inplace"]) == 2
    text = capsys.readouterr().out
    assert "in LibreOffice geöffnet" in text and "Excel" not in text


def test_excel_lock_files_never_count_as_workbooks(tmp_path, capsys):
    """`check *.xlsx` (also as the shell expands it) skips Excel's `~$kgst.xlsx`."""
    mappe(tmp_path)
    (tmp_path / "~$kgst.xlsx").write_bytes(b"\0" * 165)
    assert main(["check", str(tmp_path / "*.xlsx")]) == 0
    captured = capsys.readouterr()
    assert "1 von 1 Arbeitsmappe(n) erfolgreich" in captured.out
    assert main(["check", str(tmp_path / "kgst.xlsx"), str(tmp_path / "~$kgst.xlsx")]) == 0
    assert "Sperrdatei" in capsys.readouterr().err


@pytest.mark.parametrize("mit_strichen", [True, False])
def test_file_named_like_an_option_is_a_file(tmp_path, capsys, monkeypatch, mit_strichen):
    """A workbook named `-kgst.xlsx` is taken as a file (after `--` or plain)."""
    mappe(tmp_path, "-kgst.xlsx")
    monkeypatch.chdir(tmp_path)
    args = ["check", "--", "-kgst.xlsx"] if mit_strichen else ["check", "-kgst.xlsx"]
    assert main(args) == 0
    assert "1 von 1 Arbeitsmappe(n) erfolgreich" in capsys.readouterr().out


# --------------------------------------------------------------------------- annex folders


def test_annex_reports_documents_of_contracts_that_no_longer_exist(tmp_path, capsys):
    """A second annex run after a Träger was removed names the old documents (and deletes nothing)."""
    pfad = mappe(tmp_path / "daten")
    out = tmp_path / "anl"
    assert main(["annex", str(pfad), "--out", str(out), "--format", "html"]) == 0
    alt = sorted(p.name for p in (out / "kgst").iterdir())
    wb = openpyxl.load_workbook(pfad)
    ws = wb["Träger"]
    ws.delete_rows(4)
    ws.tables["Traeger"].ref = "A1:D3"
    ws["B2"], ws["B3"] = 0.5, 0.5
    wb.save(pfad)
    capsys.readouterr()
    assert main(["annex", str(pfad), "--out", str(out), "--format", "html", "--trotz-veraltet"]) == 0
    text = capsys.readouterr().out
    assert "nicht mehr" in text and "Diakonisches" in text
    assert sorted(p.name for p in (out / "kgst").iterdir()) == alt


def test_outputs_are_written_only_into_the_named_folder(tmp_path, capsys):
    """recalc --out writes the copy, and nothing else anywhere (no temp files left)."""
    pfad = mappe(tmp_path / "daten")
    vorher = _dateien(tmp_path / "daten")
    assert main(["recalc", str(pfad), "--out", str(tmp_path / "out")]) == 0
    assert _dateien(tmp_path / "daten") == vorher
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["kgst.xlsx"]
    assert set(AUSGABEBLAETTER) <= set(openpyxl.load_workbook(tmp_path / "out" / "kgst.xlsx").sheetnames)
    shutil.rmtree(tmp_path / "out")
