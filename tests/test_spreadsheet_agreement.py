"""Our standard values agree with the same formulas computed by a spreadsheet (LibreOffice Calc).

One workbook is written with openpyxl (7 Sozialräume, one rate indicator), LibreOffice
recalculates it headless with a throw-away profile, and the computed cells are read back
with ``data_only=True`` and compared with :func:`sozbudget_xl.indicators.standardisiere`.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest

from sozbudget_xl.indicators import raten, standardisiere

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(
        shutil.which("soffice") is None,
        reason="LibreOffice (soffice) ist nicht installiert: Tabellenabgleich übersprungen",
    ),
]

SOFFICE_TIMEOUT_S = 180
TOL = 1e-9

SOZIALRAEUME = ["Nord", "Süd", "Mitte", "Ost", "West", "Hafen", "Altstadt"]
HLU_UNTER_18 = [143, 87, 412, 29, 256, 198, 75]
MINDERJAEHRIGE = [2310, 1875, 3120, 1450, 2980, 2645, 1790]
N = len(SOZIALRAEUME)
FIRST, LAST = 2, N + 1  # data rows 2..8
RATE = f"$D${FIRST}:$D${LAST}"

# column → (header, formula template with {r} for the row).
# Prefix trap (verified with LibreOffice 7.4): STDEV.P / STDEV.S need ``_xlfn.``, but STANDARDIZE is an
# old Excel function and must NOT get it (``_xlfn.STANDARDIZE`` gives #NAME?).
FORMEL_SPALTEN: dict[str, tuple[str, str]] = {
    "D": ("Quote", "=B{r}/C{r}"),
    "E": ("z (STDEV.P)", f"=STANDARDIZE(D{{r}},AVERAGE({RATE}),_xlfn.STDEV.P({RATE}))"),
    "F": ("SW (STDEV.P)", "=100+10*E{r}"),
    "G": ("T (STDEV.P)", "=50+10*E{r}"),
    "H": ("z (STDEV.S)", f"=STANDARDIZE(D{{r}},AVERAGE({RATE}),_xlfn.STDEV.S({RATE}))"),
    "I": ("SW (STDEV.S)", "=100+10*H{r}"),
    "J": ("SPW", f"=100*(D{{r}}-MIN({RATE}))/(MAX({RATE})-MIN({RATE}))"),
    "K": ("SPW Richtung −1", "=100-J{r}"),
    "L": ("Index 100", f"=100*D{{r}}/AVERAGE({RATE})"),
}
STAT_ZEILE = LAST + 2
STATISTIK: dict[str, tuple[str, str]] = {
    "B": ("Mittelwert", f"=AVERAGE({RATE})"),
    "C": ("STDEV.P", f"=_xlfn.STDEV.P({RATE})"),
    "D": ("STDEV.S", f"=_xlfn.STDEV.S({RATE})"),
    "E": ("Minimum", f"=MIN({RATE})"),
    "F": ("Maximum", f"=MAX({RATE})"),
}
EXCEL_FEHLER = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "Err:502", "Err:504"}


def _write_workbook(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Indikator"
    ws.append(
        ["Sozialraum", "HLU-Empfänger unter 18", "Minderjährige", *(h for h, _ in FORMEL_SPALTEN.values())]
    )
    for i, (name, hlu, minder) in enumerate(zip(SOZIALRAEUME, HLU_UNTER_18, MINDERJAEHRIGE)):
        r = FIRST + i
        ws.cell(r, 1, name)
        ws.cell(r, 2, hlu)
        ws.cell(r, 3, minder)
        for col, (_, formel) in FORMEL_SPALTEN.items():
            ws[f"{col}{r}"] = formel.format(r=r)
    ws.cell(STAT_ZEILE, 1, "Statistik")
    for col, (label, formel) in STATISTIK.items():
        ws[f"{col}{STAT_ZEILE - 1}"] = label  # label above its figure
        ws[f"{col}{STAT_ZEILE}"] = formel
    wb.save(path)


@pytest.fixture(scope="module")
def berechnet(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    """The workbook after one headless LibreOffice recalculation, read with cached values."""
    tmp = tmp_path_factory.mktemp("libreoffice")
    source = tmp / "indikator.xlsx"
    _write_workbook(source)
    outdir = tmp / "out"
    profile = (tmp / "profile").as_uri()
    cmd = [
        shutil.which("soffice") or "soffice",
        "--headless",
        "--norestore",
        f"-env:UserInstallation={profile}",
        "--convert-to",
        "xlsx",
        "--outdir",
        str(outdir),
        str(source),
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=SOFFICE_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"LibreOffice hat nach {SOFFICE_TIMEOUT_S} s nicht fertig gerechnet")
    result = outdir / source.name
    assert result.exists(), f"LibreOffice hat keine Datei erzeugt: {proc.stdout}\n{proc.stderr}"
    return openpyxl.load_workbook(result, data_only=True)


def _spalte(wb: openpyxl.Workbook, col: str) -> np.ndarray:
    ws = wb["Indikator"]
    values = [ws[f"{col}{r}"].value for r in range(FIRST, LAST + 1)]
    assert all(isinstance(v, int | float) for v in values), f"Spalte {col}: {values}"
    return np.asarray(values, dtype=float)


def _statistik(wb: openpyxl.Workbook, col: str) -> float:
    value = wb["Indikator"][f"{col}{STAT_ZEILE}"].value
    assert isinstance(value, int | float), f"Zelle {col}{STAT_ZEILE}: {value!r}"
    return float(value)


def _quote() -> np.ndarray:
    return raten(HLU_UNTER_18, MINDERJAEHRIGE, name="Quote", nenner_name="Minderjährige")


def _assert_close(ours: np.ndarray, calc: Any) -> None:
    np.testing.assert_allclose(ours, calc, rtol=0, atol=TOL)


def test_no_cell_holds_an_error_value(berechnet: openpyxl.Workbook) -> None:
    """After recalculation every formula cell holds a number, none an error like #NAME? or #DIV/0!."""
    ws = berechnet["Indikator"]
    errors = [
        f"{cell.coordinate}={cell.value}"
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "e" or (isinstance(cell.value, str) and cell.value in EXCEL_FEHLER)
    ]
    assert errors == []
    formula_cells = [f"{c}{r}" for c in FORMEL_SPALTEN for r in range(FIRST, LAST + 1)]
    formula_cells += [f"{c}{STAT_ZEILE}" for c in STATISTIK]
    assert [a for a in formula_cells if not isinstance(ws[a].value, int | float)] == []


def test_rate_equals_spreadsheet_division(berechnet: openpyxl.Workbook) -> None:
    """``raten`` gives the same quotient as the spreadsheet's ``=B/C``."""
    _assert_close(_quote(), _spalte(berechnet, "D"))


def test_mean_and_sd_equal_average_stdev_p_and_stdev_s(berechnet: openpyxl.Workbook) -> None:
    """Mean, population sd (ddof 0) and sample sd (ddof 1) equal AVERAGE, STDEV.P and STDEV.S."""
    x = _quote()
    assert abs(float(x.mean()) - _statistik(berechnet, "B")) <= TOL
    assert abs(float(x.std(ddof=0)) - _statistik(berechnet, "C")) <= TOL
    assert abs(float(x.std(ddof=1)) - _statistik(berechnet, "D")) <= TOL
    assert abs(float(x.min()) - _statistik(berechnet, "E")) <= TOL
    assert abs(float(x.max()) - _statistik(berechnet, "F")) <= TOL


@pytest.mark.parametrize(
    ("methode", "ddof", "spalte"),
    [
        ("z", 0, "E"),
        ("sw", 0, "F"),
        ("t", 0, "G"),
        ("z", 1, "H"),
        ("sw", 1, "I"),
        ("spw", 0, "J"),
        ("index100", 0, "L"),
    ],
)
def test_standard_values_equal_spreadsheet_formulas(
    berechnet: openpyxl.Workbook, methode: str, ddof: int, spalte: str
) -> None:
    """``standardisiere`` equals STANDARDIZE / 100+10·z / 50+10·z / the SPW and index formulas to 1e-9."""
    ours, warnungen = standardisiere(_quote(), methode, ddof=ddof, name="Quote")
    assert warnungen == []
    _assert_close(ours, _spalte(berechnet, spalte))


def test_spw_direction_minus_one_equals_100_minus_spw(berechnet: openpyxl.Workbook) -> None:
    """SPW with direction −1 equals the spreadsheet's ``=100-SPW``."""
    ours, _ = standardisiere(_quote(), "spw", richtung=-1, name="Quote")
    _assert_close(ours, _spalte(berechnet, "K"))


def test_spreadsheet_spw_spans_0_to_100(berechnet: openpyxl.Workbook) -> None:
    """The spreadsheet's SPW column runs from exactly 0 to exactly 100 (sanity check of the workbook)."""
    spw = _spalte(berechnet, "J")
    assert spw.min() == 0.0
    assert spw.max() == 100.0
