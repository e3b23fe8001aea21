"""Rows of an output sheet appended in one go (issue 15): ``Blatt.zeilen`` takes the number
formats of rows of the same units column by column; the sheet — rows, kinds, every cell's format,
the units remembered for the next row — is exactly the one :meth:`Blatt.zeile` builds row by row
(the code before the change, still the way for single rows)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from sozbudget_xl.einheiten import Einheit
from sozbudget_xl.workbook import recalc, schema

_WERTE = st.one_of(
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.integers(-(10**6), 10**6),
    st.sampled_from([0.125, 0.1531, 3.0, 74.4, -0.0, 12, 0]),
    st.text(max_size=3),
    st.booleans(),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-1000, max_value=1000),
    st.just(dt.date(2026, 12, 2)),
    st.just(np.float64(0.25)),
)
#: numbers only: a column of them takes its format without a type test per cell
_ZAHLEN = st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.integers(-10**6, 10**6),
                    st.sampled_from([0.125, 0.1531, 3.0, 74.4, -0.0, 12, 0]))  # fmt: skip
_EINHEITEN = st.lists(  # the two units whose format depends on the value, often
    st.one_of(st.sampled_from([None, Einheit.ANTEIL, Einheit.ANZAHL]), st.sampled_from(list(Einheit))),
    max_size=6,
)


def _zustand(b: schema.Blatt) -> tuple:
    codes = [b.formate.codes(z) for z in range(len(b))]
    return ([list(z) for z in b], dict(b.arten), codes, dict(b.formate), len(b.formate),
            b._einheiten, b._formate, b._alle_fest)  # fmt: skip


@given(
    vorher=st.lists(st.tuples(st.lists(_WERTE, max_size=6), _EINHEITEN), max_size=3),
    spalten=st.integers(0, 6),
    zeilen=st.one_of(
        st.lists(st.lists(_WERTE, min_size=6, max_size=6), max_size=12),
        st.lists(st.lists(_ZAHLEN, min_size=6, max_size=6), max_size=12),
    ),
    kurz=st.one_of(st.just([]), st.lists(st.integers(0, 6), max_size=12)),
    einheiten=_EINHEITEN,
    art=st.sampled_from([None, "summe", "kopf"]),
)
def test_rows_in_one_go_as_row_by_row(
    vorher: list, spalten: int, zeilen: list[list[Any]], kurz: list[int], einheiten: list, art: str | None
) -> None:
    """Rows of one length or of several (then row by row), with or without units, after other
    rows of other units."""
    zeilen = [z[:spalten] for z in zeilen]
    for i, n in enumerate(kurz[: len(zeilen)]):
        if n % 3 == 0:
            zeilen[i] = zeilen[i][:n]  # a shorter row now and then
    a, b = schema.Blatt(), schema.Blatt()
    for w, e in vorher:
        a.zeile(w, e)
        b.zeile(w, e)
    for z in zeilen:
        a.zeile(z, einheiten, art)
    b.zeilen(iter(zeilen), einheiten, art)
    assert _zustand(b) == _zustand(a)


def test_a_share_column_takes_its_format_per_value() -> None:
    b = schema.Blatt()
    einheiten = [None, Einheit.ANTEIL, Einheit.ANZAHL, Einheit.EURO]
    b.zeilen([["Q1", 0.125, 3, 1.5], ["Q2", 0.1531, 2.5, 2]], einheiten)  # columns of numbers
    b.zeilen([["Q3", None, "–", "–"], ["Q4", 0.5, 4.0, None]], einheiten)  # and mixed ones
    assert [b.formate.codes(z) for z in range(4)] == [
        (None, "0.0%", "#,##0", '#,##0.00 "€"'),
        (None, "0.00%", "#,##0.00", '#,##0.00 "€"'),
        (),
        (None, "0.0%", "#,##0", None),
    ]


def test_the_sheets_of_a_recalc_are_those_built_row_by_row(monkeypatch: Any, tmp_path: Path) -> None:
    """The output sheets of the example workbook: the same with ``zeilen`` as with ``zeile`` for
    each row."""
    beispiel = Path(__file__).resolve().parents[1] / "workbooks" / "dreisaeulen.xlsx"

    def blaetter() -> dict[str, tuple]:
        b = recalc.berechne_mappe(beispiel)
        alle = {**schema.ausgaben(b.ergebnis), **recalc.zusatzblaetter(b)}
        return {name: _zustand(blatt) for name, blatt in alle.items() if isinstance(blatt, schema.Blatt)}

    neu = blaetter()

    def zeilenweise(self: schema.Blatt, zeilen: Any, einheiten: Any = (), art: Any = None) -> None:
        for z in zeilen:
            self.zeile(z, einheiten, art)

    monkeypatch.setattr(schema.Blatt, "zeilen", zeilenweise)
    alt = blaetter()
    assert (
        neu.keys() == alt.keys() and {"Ergebnis", "Kennzahlen", "Soll-Ist", "Jahresabschluss"} <= neu.keys()
    )
    assert neu == alt
