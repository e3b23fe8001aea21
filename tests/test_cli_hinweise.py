"""A workbook with many hints (a KGSt budget with 40 Träger, half of them without Qualitätsnachweis)
does not flood the terminal: ``recalc`` shows the first ten and says where all of them are; the
sheet „Kennzahlen“ of the written workbook holds every one; ``check`` (nothing written) shows all."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import bench_kgst

from sozbudget_xl.cli import HINWEISE_ANGEZEIGT


def _sozbudget(*args: str) -> str:
    r = subprocess.run([sys.executable, "-m", "sozbudget_xl.cli", *args], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_recalc_shows_ten_hints_and_the_sheet_holds_all(tmp_path: Path) -> None:
    pfad = tmp_path / "kgst.xlsx"
    bench_kgst.kgst_mappe(pfad, 40)
    geprueft = _sozbudget("check", str(pfad))
    alle = [
        z.removeprefix("        Hinweis: ")
        for z in geprueft.splitlines()
        if z.startswith("        Hinweis: ")
    ]
    assert len(alle) >= 20 and sum("Qualitätsnachweis" in h for h in alle) == 20
    ausgabe = _sozbudget("recalc", "--inplace", "--kein-backup", str(pfad))
    gezeigt = [z for z in ausgabe.splitlines() if z.startswith("        Hinweis: ")]
    assert len(gezeigt) == HINWEISE_ANGEZEIGT
    assert f"… und {len(alle) - HINWEISE_ANGEZEIGT} weitere Hinweise, alle im Blatt „Kennzahlen“" in ausgabe
    ws = openpyxl.load_workbook(pfad, read_only=True)["Kennzahlen"]
    texte = [z[0] for z in ws.iter_rows(values_only=True) if z and isinstance(z[0], str)]
    start = texte.index("Hinweise")
    assert texte[start + 1 : start + 1 + len(alle)] == alle
