"""Reading the rows of an input table (issue 15: less CPU per cell): the titles of a row are
normalised once per shape of row (``schema._Zeilenform``), not once per row, and the base-data
columns are known per shape. The model input and every located error stay exactly those of the
way row by row through a dict per row, kept here as the reference (``_lies_tabelle_zeilenweise``,
the code before the change)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sozbudget_xl.errors import DatenFehler, SozbudgetError
from sozbudget_xl.money import MehrdeutigeZahl
from sozbudget_xl.workbook import io, schema

BEISPIEL = Path(__file__).resolve().parents[1] / "workbooks" / "dreisaeulen.xlsx"


def _lies_tabelle_zeilenweise(v: Any, t: Any, zeilen: Sequence[Mapping[str, Any]], zeile_cls: Any) -> tuple:
    """``schema._lies_tabelle`` as it was: a dict of normalised titles per row (building the row
    from its fields, which did not change, is shared)."""
    ist_klasse = dataclasses.is_dataclass(zeile_cls)
    z_info = schema._infos(zeile_cls) if ist_klasse else {}
    fest = {schema._norm(f.titel) for f in t.spalten}
    spalten = [(f, schema._norm(f.titel)) for f in t.spalten]
    normiert: dict[Any, str] = {}
    gleich: dict[Any, dict[Any, Any]] = {}
    out = []
    for i, roh_zeile in enumerate(zeilen):
        werte = schema._nach_titel(roh_zeile, normiert)
        if all(schema._leer(x) for x in werte.values()):
            continue
        if not ist_klasse:
            f = t.spalten[0]
            info = schema._Info(str, False, False, None)
            out.append(schema._lies(v, f, info, werte.get(schema._norm(f.titel)), t.name, i, pflicht=True))
            continue
        fehlte = len(v.gesammelt)
        kwargs: dict[str, Any] = {}
        for f, f_titel in spalten:
            info = z_info[f.feld]
            pflicht = f.pflicht if f.pflicht is not None else not info.hat_standard
            if f_titel not in werte and pflicht:
                exc = DatenFehler(
                    "Spalte fehlt in der Tabelle", column=f.titel, expected=f"Spalte „{f.titel}“"
                )
                v.melde(v.setze(exc, t.name, None, t.spalten[0].titel))
                return tuple(out)
            wert = schema._lies(v, f, info, werte.get(f_titel), t.name, i, pflicht=pflicht)
            if wert is not dataclasses.MISSING:
                kwargs[f.feld] = schema._geteilt(wert, gleich.setdefault(f.feld, {}))
        if len(v.gesammelt) > fehlte:
            continue
        if t.daten:
            daten: dict[str, Any] = {}
            for k, x in roh_zeile.items():
                if k is None or (normiert.get(k) or schema._norm(k)) in fest or schema._leer(x):
                    continue
                spalte = str(k).strip()
                try:
                    daten[spalte] = schema._geteilt(schema._daten_wert(x), gleich.setdefault(spalte, {}))
                except MehrdeutigeZahl as exc:
                    exc = MehrdeutigeZahl(exc.message, column=spalte, expected=exc.expected, found=exc.found)
                    v.melde(v.setze(exc, t.name, i, spalte))
            if len(v.gesammelt) > fehlte:
                continue
            kwargs[t.daten] = daten
        schema._zeile_bauen(v, t, i, zeile_cls, kwargs, fest, out)  # unchanged, shared
    return tuple(out)


@pytest.fixture(scope="module")
def beispiel() -> Any:
    return io.lese_mappe(BEISPIEL)


def _ergebnis(mappe: Any, tabellen: Mapping[str, Any]) -> tuple[str, Any]:
    try:
        eingabe, param = schema.eingabe_aus_daten("dreisaeulen", mappe.parameter, tabellen, pruefen=False)
    except SozbudgetError as exc:
        return "Fehler", str(exc)
    return "ok", repr((eingabe, param))


_WERT = st.one_of(
    st.none(),
    st.sampled_from(["", "  ", "abc", "1.234", "1,5", "12", "-3", "ja", "Nord", "-", 0.0, -0.0, 2025.0]),
    st.integers(-5, 5000),
    st.floats(-10, 1e6, allow_nan=False),
)
_TITEL = st.sampled_from(
    ["Quartier", " quartier ", "QUARTIER", "Jugendeinwohner", "jugend einwohner", "Einwohner", "Budgetträger",
     "Vergabe Beginn", "Extra", " Extra", "Index 2", None, 2024, 2024.0, True, 1]
)  # fmt: skip


@settings(max_examples=160, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    aenderungen=st.lists(
        st.tuples(
            st.integers(0, 40), st.sampled_from(["setze", "loesche", "leer", "jede_zweite"]), _TITEL, _WERT
        ),
        max_size=12,
    ),
    form_wechsel=st.booleans(),
    hoechstens=st.sampled_from([0, 1, 3, 4096]),
)
def test_rows_read_by_their_shape_give_what_the_rows_one_by_one_gave(
    beispiel: Any,
    monkeypatch: pytest.MonkeyPatch,
    aenderungen: list[Any],
    form_wechsel: bool,
    hoechstens: int,
) -> None:
    """Rows of the example's „Quartiere“ with titles that normalise alike (the last one counts),
    a ``None`` title, base-data columns (numbers, texts, an ambiguous „1.234“), empty rows, rows of
    another shape, a missing required column, one value in every other row (read once per column:
    ``schema._Gelesen``, also when it fails — every row reports its own error —, a float zero, a
    title of another type; with room for 0, 1, 3 or all values): the same input or the same errors
    as before."""
    tabellen = {k: [dict(z) for z in v] for k, v in beispiel.tabellen.items()}
    zeilen = tabellen["Quartiere"]
    for nr, art, titel, wert in aenderungen:
        zeile = zeilen[nr % len(zeilen)]
        if art == "setze":
            zeile[titel] = wert
        elif art == "loesche":
            zeile.pop(titel, None)
        elif art == "jede_zweite":
            for z in zeilen[nr % 2 :: 2]:
                z[titel] = wert
        else:
            for k in zeile:
                zeile[k] = None
    monkeypatch.setattr(schema, "_GETEILT_HOECHSTENS", hoechstens)
    if form_wechsel:  # every other row in another order of its columns: another shape
        for i in range(0, len(zeilen), 2):
            zeilen[i] = dict(reversed(list(zeilen[i].items())))
    neu = _ergebnis(beispiel, tabellen)
    with monkeypatch.context() as m:  # undone before the next example
        m.setattr(schema, "_lies_tabelle", _lies_tabelle_zeilenweise)
        alt = _ergebnis(beispiel, tabellen)
    assert neu == alt


def test_titles_equal_but_of_other_types_name_their_own_columns(
    beispiel: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Titles 2024 and 2024.0 (or True and 1) are equal keys, but name the base-data columns
    „2024“ and „2024.0“: a row whose keys equal another's but differ in type gets its own shape."""
    tabellen = {k: [dict(z) for z in v] for k, v in beispiel.tabellen.items()}
    zeilen = tabellen["Quartiere"]
    zeilen[0][2024], zeilen[1][2024.0], zeilen[2][True], zeilen[3][1] = 5, 6, 7, 8
    art, neu = _ergebnis(beispiel, tabellen)
    assert art == "ok" and "'2024.0': 6" in neu and "'1': 8" in neu
    with monkeypatch.context() as m:
        m.setattr(schema, "_lies_tabelle", _lies_tabelle_zeilenweise)
        assert (art, neu) == _ergebnis(beispiel, tabellen)


def test_the_example_workbooks_read_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every example workbook: the same model input as row by row."""
    for pfad in sorted(BEISPIEL.parent.glob("*.xlsx")):
        mappe = io.lese_mappe(pfad)
        modell = schema.modell_der_mappe(mappe.parameter, mappe.ort).NAME
        neu = schema.eingabe_aus_daten(modell, mappe.parameter, mappe.tabellen, pruefen=False)
        with monkeypatch.context() as m:
            m.setattr(schema, "_lies_tabelle", _lies_tabelle_zeilenweise)
            alt = schema.eingabe_aus_daten(modell, mappe.parameter, mappe.tabellen, pruefen=False)
        assert repr(neu) == repr(alt), pfad.name


def _codes_allgemein(werte: Sequence[Any], einheiten: Sequence[Any]) -> tuple[Any, ...]:
    """The number formats of a row as :meth:`schema.Blatt.zeile` made them for every row before
    its shortcut for units of fixed formats."""
    formate = [
        None if e is None else (schema._FESTES_FORMAT[e] or None) if e in schema._FESTES_FORMAT else e
        for e in einheiten
    ]
    return tuple(
        None
        if f is None or w is None or isinstance(w, schema._OHNE_FORMAT)
        else (f if type(f) is str else f.excel_format(w)) or None
        for w, f in zip(werte, formate)
    )


class _Text(str):
    pass


@settings(max_examples=300, deadline=None)
@given(
    zeilen=st.lists(
        st.lists(
            st.tuples(
                st.one_of(
                    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False),
                    st.decimals(allow_nan=False, allow_infinity=False, places=2), st.text(max_size=3),
                    st.builds(_Text, st.text(max_size=3)),
                    st.builds(lambda x: __import__("numpy").float64(x), st.floats(-1e6, 1e6)),
                ),
                st.one_of(st.none(), st.sampled_from(list(schema.Einheit))),
            ),
            max_size=8,
        ),
        max_size=6,
    )
)  # fmt: skip
def test_number_formats_of_a_row_are_those_of_the_general_way(zeilen: list[list[tuple[Any, Any]]]) -> None:
    """Rows whose units all have one format (a float or int cell takes it without a check) and
    rows with units whose format depends on the value (ANZAHL, ANTEIL), one after the other in a
    sheet: every row's formats as cell by cell — numbers of subclasses (numpy), booleans, Decimals,
    texts of str subclasses, empty cells."""
    blatt = schema.Blatt()
    for zeile in zeilen:
        werte, einheiten = [w for w, _ in zeile], [e for _, e in zeile]
        blatt.zeile(werte, einheiten)
        erwartet = _codes_allgemein(werte, einheiten)
        gespeichert = blatt.formate.codes(len(blatt) - 1)
        assert tuple(gespeichert) + (None,) * (len(erwartet) - len(gespeichert)) == erwartet
