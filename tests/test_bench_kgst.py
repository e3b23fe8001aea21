"""The KGSt Träger benchmark (benchmarks/bench_kgst.py) measures what it says: the built workbook
holds the n Träger (shares summing to exactly 100 %), and the native-formula workbook, recalculated
by LibreOffice, gives the model's budgets for a small n."""

from __future__ import annotations

import sys
import warnings
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import bench_kgst
from bench_common import lauf


def test_traeger_anteile_genau_hundert_prozent():
    zeilen = bench_kgst.traeger_zeilen(10_000)
    assert len(zeilen) == 10_000
    assert sum(Decimal(repr(z[1])) for z in zeilen) == 1
    assert [z[2] for z in zeilen[:3]] == ["ja", "nein", "ja"]
    assert {z[3] for z in zeilen} == set(range(7))


def test_mappe_hat_n_traeger(tmp_path):
    pfad = tmp_path / "kgst.xlsx"
    bench_kgst.kgst_mappe(pfad, 25)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(pfad)
    ws = wb["Träger"]
    (tab,) = ws.tables.values()
    assert tab.ref == "A1:D26" and ws.max_row == 26
    assert ws["A26"].value == "Träger 00024 e.V."


@pytest.mark.skipif(bench_kgst.soffice() is None, reason="LibreOffice (soffice) nicht installiert")
def test_native_formeln_geben_die_budgets_des_modells(tmp_path):
    """10 Träger: LibreOffice's budgets from the native formulas equal the model's to the cent (the
    ROUND steps happen to agree with the largest remainders for these shares)."""
    mappe, native = tmp_path / "kgst.xlsx", tmp_path / "nativ.xlsx"
    bench_kgst.kgst_mappe(mappe, 10)
    assert bench_kgst.native_kgst_mappe(mappe, native) > 10 * 20
    lauf(bench_kgst.lo_befehl(bench_kgst.soffice(), tmp_path, native, tmp_path / "lo"), timeout=300)
    summe, je = bench_kgst.lo_werte(tmp_path / "lo" / native.name)
    modell, je_modell = bench_kgst.modell_budgets(10)
    assert summe == pytest.approx(modell, abs=0.005) and modell == 1_250_000.0
    assert je.keys() == je_modell.keys()
    assert all(je[k] == pytest.approx(je_modell[k], abs=0.005) for k in je)
