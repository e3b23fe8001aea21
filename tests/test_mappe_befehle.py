"""Every command the README or a workbook's Anleitung shows is run as a user would type it (with
the placeholders filled in) and succeeds — so no instruction tells a user something that fails."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

REPO = Path(__file__).resolve().parents[1]
SOZBUDGET = Path(sys.executable).parent / "sozbudget"
#: words of a command that are no command (a sentence mentions the command by name only)
_NUR_NAME = re.compile(r"^sozbudget (recalc|check|new|annex)$")


def befehle_im_readme() -> set[str]:
    """``sozbudget …`` in inline code and in shell blocks of README.md (blanks folded)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    befehle = {" ".join(m.group(1).split()) for m in re.finditer(r"`(sozbudget [^`]+)`", text)}
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for zeile in block.splitlines():
            zeile = zeile.split("  #")[0].strip()
            if zeile.startswith("sozbudget "):
                befehle.add(" ".join(zeile.split()))
    return befehle


#: commands whose files later commands of the same README block read
_ERZEUGT_DATEIEN = re.compile(r"^(python -m |sozbudget (new|recalc|ist-import|jahreswechsel) )")


def vorlaeufer_im_readme() -> dict[str, list[str]]:
    """Command of a shell block → the earlier lines of its block that make the files it reads
    (``python -m …`` examples, ``new``, ``recalc``, ``ist-import``, ``jahreswechsel``)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    aus: dict[str, list[str]] = {}
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        davor: list[str] = []
        for zeile in block.splitlines():
            zeile = " ".join(zeile.split("  #")[0].split())
            if zeile.startswith("sozbudget "):
                aus.setdefault(zeile, list(davor))
            if _ERZEUGT_DATEIEN.match(zeile):
                davor.append(zeile)
    return aus


def _schritte_davor(befehl: str, argv: list[str]) -> list[str]:
    """The README steps that make the files ``befehl`` reads: its block's earlier steps, or for a
    command outside a block (``vergleich ALT.xlsx NEU.xlsx``) the steps of the block up to the one
    that makes a file it names."""
    vorlaeufer = vorlaeufer_im_readme()
    if befehl in vorlaeufer:
        return vorlaeufer[befehl]
    for letzter, davor in vorlaeufer.items():
        schritte = [*davor, letzter] if _ERZEUGT_DATEIEN.match(letzter) else davor
        for i, schritt in enumerate(schritte):
            if any("/" in a and a in schritt.split() for a in argv):
                return schritte[: i + 1]
    return []


def befehle_der_anleitungen() -> set[str]:
    """``„sozbudget …“`` on the sheet „Anleitung“ of every example workbook and of a new one."""
    befehle: set[str] = set()
    for pfad in sorted((REPO / "workbooks").glob("*.xls[xm]")):
        wb = openpyxl.load_workbook(pfad, read_only=True)
        for (text,) in wb["Anleitung"].iter_rows(max_col=1, values_only=True):
            befehle |= set(re.findall(r"„(sozbudget [^“]+)“", str(text or "")))
        wb.close()
    return befehle


def _arbeitsordner(tmp: Path) -> Path:
    """A folder like the project's: the example workbooks, templates, an output folder."""
    shutil.copytree(REPO / "workbooks", tmp / "workbooks", ignore=shutil.ignore_patterns("*.py", ".*"))
    shutil.copytree(REPO / "templates", tmp / "vorlagen_kopie", ignore=shutil.ignore_patterns("*.py"))
    (tmp / "server").mkdir()
    for name in ("kgst.xlsx", "celle.xlsx"):
        shutil.copy(REPO / "workbooks" / name, tmp / "server" / name)
    from sozbudget_xl.jahr.beispiel import juli_csv  # an export as the Anleitung's ist-import reads it

    (tmp / "ist_juli.csv").write_text(juli_csv("kgst"), encoding="utf-8")
    return tmp


def ausfuellen(befehl: str, tmp: Path) -> tuple[list[str], str | None]:
    """The command with its placeholders filled in (optional parts included): (argv, stdout file)."""
    analyse = any(w in befehl for w in ("robustheit", "szenarien", "vergleich"))
    mappe = "workbooks/dreisaeulen.xlsx" if analyse else "workbooks/kgst.xlsx"
    ausgabe = None
    if " > " in befehl:
        befehl, ausgabe = (t.strip() for t in befehl.split(" > "))
    ersetzen = [
        ("\\\\server\\kaemmerei\\*.xlsx", "server/*.xlsx"),
        ("ALT.xlsx NEU.xlsx", "workbooks/dreisaeulen.xlsx out/analyse/dreisaeulen_2027.xlsx"),
        ("MAPPE…", mappe),
        ("MAPPE", mappe),
        ("<Datei des nächsten Jahres>", "out/naechstes_jahr.xlsx"),
        ("<CSV-Datei>", "ist_juli.csv"),
        ("<Datei>", mappe),
        (" … ", f" {mappe} --out out/anlagen "),  # „…“: the other arguments as above
        ("DATEI.xlsx", "neu/neue_mappe.xlsx"),
        ("MODELL", "kgst"),
        ("--templates ORDNER", "--templates MEIN_ORDNER"),
        ("MEIN_ORDNER", "vorlagen_kopie"),
        ("<Ordner>", "out/kopien"),
        ("ORDNER", "out/ordner"),
        ("--ziehungen N", "--ziehungen 32"),
        ("--seed S", "--seed 1"),
        ("Name: methode=z, sd=stichprobe, gewichte=A 60%/B 40%, indikatoren=A;B, schluessel=kopf, jahre=3, "
         "kappung=5%", "z-Wert: methode=z, sd=stichprobe"),
    ]  # fmt: skip
    for alt, neu in ersetzen:
        befehl = befehl.replace(alt, neu)
    befehl = re.sub(r"\[([^\]]*)\]…?", r"\1", befehl)  # optional parts: included
    (tmp / "neu").mkdir(exist_ok=True)
    argv = shlex.split(befehl)
    assert argv[0] == "sozbudget" and not any(z in a for a in argv for z in "[]…<>"), argv
    return argv[1:], ausgabe


ALLE = sorted(befehle_im_readme() | befehle_der_anleitungen())


def test_the_anleitung_shows_working_recalc_commands():
    """The Anleitung names „sozbudget recalc <Datei> --inplace“ (the bare command fails)."""
    befehle = befehle_der_anleitungen()
    assert "sozbudget recalc <Datei> --inplace" in befehle
    assert not any(re.fullmatch(r"sozbudget recalc <Datei>", b) for b in befehle)


@pytest.mark.parametrize("befehl", ALLE)
def test_every_command_shown_runs(tmp_path, befehl):
    """The command, with placeholders filled in, ends with exit code 0 (a bare command name in a
    sentence is checked with --help); a command of a README shell block runs after the block's
    earlier steps that make its files, as a user types them one after the other."""
    ordner = _arbeitsordner(tmp_path)
    if _NUR_NAME.match(befehl):
        argv, ausgabe = [*befehl.split()[1:], "--help"], None
    else:
        argv, ausgabe = ausfuellen(befehl, ordner)
    for schritt in _schritte_davor(befehl, argv):  # the block's earlier steps, in order
        if schritt.startswith("python -m "):
            vorher = [sys.executable, *shlex.split(schritt)[1:]]
        else:
            vorher = [str(SOZBUDGET), *ausfuellen(schritt, ordner)[0]]
        r = subprocess.run(vorher, cwd=ordner, capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, f"Vorschritt {schritt}: {r.stdout[-1500:]} {r.stderr[-1500:]}"
    lauf = subprocess.run([str(SOZBUDGET), *argv], cwd=ordner, capture_output=True, text=True, timeout=600)
    assert lauf.returncode == 0, f"{argv}: {lauf.stdout[-1500:]} {lauf.stderr[-1500:]}"
    if ausgabe:
        (ordner / ausgabe).write_text(lauf.stdout, encoding="utf-8")
        assert "erfolgreich" in lauf.stdout
