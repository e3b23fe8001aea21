"""The interactive path agrees with the batch path: the SRB_ formulas on „Formeln“ of the macro
workbook, evaluated by the ``formulas`` package with our worksheet functions registered (as Excel with
xlwings would compute them), give the numbers `sozbudget recalc` writes to „Ergebnis“."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest

from sozbudget_xl import excel, formats, money
from sozbudget_xl.cli import main
from sozbudget_xl.workbook.vorlage import FORMELBLATT

formulas = pytest.importorskip("formulas")
schedula = pytest.importorskip("schedula")  # a dependency of `formulas`: its EMPTY marks a blank cell

MAPPE = Path(__file__).resolve().parents[1] / "workbooks" / "kgst_makro.xlsm"
UDFS = ("SRB_KGST", "SRB_VERTEILEN", "SRB_BETRAG")


def _wie_xlwings(arg: Any) -> Any:
    """An argument as xlwings passes it: `formulas` hands over numpy arrays whose blank cells are
    ``schedula.EMPTY``; xlwings gives None for a blank cell."""

    def zelle(v: Any) -> Any:
        if v is schedula.EMPTY:
            return None
        return v.item() if isinstance(v, np.generic) else v

    if isinstance(arg, np.ndarray):
        if arg.ndim == 0:
            return zelle(arg.item())
        return [[zelle(v) for v in r] for r in np.atleast_2d(arg).tolist()]
    return zelle(arg)


def _zelle(v: Any) -> Any:
    """A computed cell as a plain Python value (`formulas` may wrap single values in 0-d arrays)."""
    while isinstance(v, np.ndarray):
        v = v.item() if v.size == 1 else v.tolist()
    return v.item() if isinstance(v, np.generic) else v


def _gleich(formel: Any, batch: Any) -> bool:
    """Numbers agree to the cent, texts exactly; a blank written by recalc (None) is an empty text."""
    batch = "" if batch is None else batch
    if isinstance(formel, bool) or isinstance(batch, bool):
        return formel == batch
    if isinstance(formel, int | float) and isinstance(batch, int | float):
        return round(Decimal(str(formel)) * 100) == round(Decimal(str(batch)) * 100)
    return formel == batch


def _array_formeln(ws: Any) -> dict[str, str]:
    """Array formulas of a sheet: range → formula text."""
    return {
        c.value.ref: c.value.text
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, openpyxl.worksheet.formula.ArrayFormula)
    }


def _werte(ws: Any) -> list[list[Any]]:
    """Rows of a sheet without trailing blank cells and blank rows."""
    out = []
    for row in ws.iter_rows(values_only=True):
        row = list(row)
        while row and row[-1] in (None, ""):
            row.pop()
        if row:
            out.append(row)
    return out


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    """The macro workbook recalculated by `sozbudget recalc --out`."""
    out = tmp_path_factory.mktemp("batch")
    assert main(["recalc", str(MAPPE), "--out", str(out)]) == 0
    return openpyxl.load_workbook(out / MAPPE.name)


@pytest.fixture(scope="module")
def interaktiv() -> dict[str, Any]:
    """The ORIGINAL workbook's formulas computed by `formulas` with our UDFs: cell or range → value.

    `formulas` reads the .xlsm directly (it ignores the VBA part), including the array formulas; the
    file was written by openpyxl, so it holds no cached values and every formula is really computed.
    """
    from formulas.functions import wrap_func

    funktionen = formulas.get_functions()
    mp = pytest.MonkeyPatch()
    for name in UDFS:
        f = getattr(excel, name)
        mp.setitem(
            funktionen,
            name,
            wrap_func(lambda *a, f=f: np.asarray(f(*map(_wie_xlwings, a)), dtype=object)),
        )
    try:
        loesung = formulas.ExcelModel().loads(str(MAPPE)).finish().calculate()
    finally:
        mp.undo()
    blatt = f"{FORMELBLATT.upper()}'!"
    werte = {}
    for k, v in loesung.items():
        if blatt in k:
            wert = np.asarray(v.value, dtype=object)
            werte[k.split("!")[1]] = [[_zelle(x) for x in r] for r in wert.tolist()]
    return werte


@pytest.fixture(scope="module")
def formeln() -> dict[str, str]:
    """Array formulas of the original „Formeln“ sheet (range → text)."""
    return _array_formeln(openpyxl.load_workbook(MAPPE)[FORMELBLATT])


def _bereich_von(formeln: dict[str, str], funktion: str) -> str:
    treffer = [ref for ref, text in formeln.items() if text.startswith(f"={funktion}(")]
    assert len(treffer) == 1, (funktion, formeln)
    return treffer[0]


def test_model_formula_gives_the_ergebnis_sheet_of_recalc(
    batch: openpyxl.Workbook, interaktiv: dict[str, Any], formeln: dict[str, str]
) -> None:
    """The SRB_KGST array formula on „Formeln“ equals recalc's „Ergebnis“ cell by cell (to the cent,
    texts equal), followed only by the model's hints, which recalc lists on „Kennzahlen“."""
    ref = _bereich_von(formeln, "SRB_KGST")
    got = interaktiv[ref]
    ergebnis = _werte(batch["Ergebnis"])
    assert len(ergebnis) > 2 and ergebnis[-1][1] == "Summe"
    assert not str(got[0][0]).startswith("Fehler"), got[0][0]
    for i, zeile in enumerate(ergebnis):
        breite = len(got[i])
        zeile = zeile + [None] * (breite - len(zeile))
        for j, (f, b) in enumerate(zip(got[i], zeile, strict=True)):
            assert _gleich(f, b), f"Zeile {i + 1}, Spalte {j + 1}: Formel {f!r}, recalc {b!r}"
    hinweise = [r[0] for r in got[len(ergebnis) :]]
    assert hinweise, "the example has a hint (Träger without Qualitätsnachweis)"
    kennzahlen = [r[0] for r in _werte(batch["Kennzahlen"])]
    erwartet = kennzahlen[kennzahlen.index("Hinweise") + 1 :][: len(hinweise)]
    assert hinweise == [f"Hinweis: {h}" for h in erwartet]
    assert all(v == "" for r in got[len(ergebnis) :] for v in r[1:])


def test_verteilen_formula_gives_money_allocate(
    batch: openpyxl.Workbook, interaktiv: dict[str, Any], formeln: dict[str, str]
) -> None:
    """The SRB_VERTEILEN array formula splits the Gesamtbudget exactly like money.allocate over the
    Träger shares, and the SRB_BETRAG cell shows it in German currency format."""
    parameter = {r[0]: r[1] for r in _werte(batch["Parameter"]) if len(r) > 1}
    gesamt = parameter["Gesamtbudget"]
    traeger = _werte(batch["Träger"])
    spalte = traeger[0].index("Anteil")
    anteile = [r[spalte] for r in traeger[1:]]
    erwartet = [float(x) for x in money.allocate(gesamt, anteile)]

    got = [r[0] for r in interaktiv[_bereich_von(formeln, "SRB_VERTEILEN")]]
    assert got == erwartet
    assert sum(Decimal(str(x)) for x in got) == Decimal(str(gesamt))

    betrag = openpyxl.load_workbook(MAPPE)[FORMELBLATT]
    zelle = next(
        c.coordinate
        for row in betrag.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=SRB_BETRAG(")
    )
    assert interaktiv[zelle] == [[formats.betrag(Decimal(str(gesamt)))]]
