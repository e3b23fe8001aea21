"""Excel adapter (sozbudget_xl.excel): worksheet functions as plain Python, their xlwings
metadata and VBA wrappers (generated on Linux with stand-ins for pywin32), the macros with a
fake workbook, and a workbook's SRB_ formulas evaluated by the ``formulas`` package."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import importlib.util
import inspect
import io
import re
import sys
import types
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import xlwings as xw

from sozbudget_xl import excel
from sozbudget_xl.excel import (
    SRB_BETRAG,
    SRB_BUDGETSCHLUESSEL,
    SRB_INDEX,
    SRB_JUGENDEINWOHNERINDEX,
    SRB_RATEN,
    SRB_STANDARDPUNKTE,
    SRB_VERTEILEN,
)
from sozbudget_xl.models import MODELLE, modell
from sozbudget_xl.workbook import schema

UDF_NAMEN = sorted(n for n in excel.__all__ if n.startswith("SRB_") and n not in excel.MAKROS)
ALLE_SRB = sorted(n for n in dir(excel) if n.startswith("SRB_"))


def _flach(value: Any) -> list[Any]:
    if isinstance(value, list):
        return [x for v in value for x in _flach(v)]
    return [value]


def _excel_typen(value: Any) -> None:
    """Every cell is a type Excel takes from pywin32 without surprises (no Decimal, no numpy)."""
    for v in _flach(value):
        assert type(v) in (str, float, int, bool, dt.date, dt.datetime), (v, type(v))


# --------------------------------------------------------------------------- the stand-in harness


class _ComError(Exception):
    pass


@pytest.fixture(scope="module")
def windows() -> Any:
    """xlwings.udfs with stand-ins for pywin32, and sozbudget_xl.excel loaded with its real
    Windows decorators (xlfunc/xlsub/xlarg/xlret) under a separate module name."""
    namen = ("pythoncom", "pywintypes", "win32com", "win32com.client", "xlwings.udfs")
    gesichert = {n: sys.modules.get(n) for n in namen}
    pythoncom = types.ModuleType("pythoncom")
    pythoncom.CoInitialize = lambda: None
    pywintypes = types.ModuleType("pywintypes")
    pywintypes.com_error = _ComError
    win32com = types.ModuleType("win32com")
    client = types.ModuleType("win32com.client")
    client.Dispatch = lambda *a, **k: None
    win32com.client = client
    sys.modules.update(
        {"pythoncom": pythoncom, "pywintypes": pywintypes, "win32com": win32com, "win32com.client": client}
    )
    sys.modules.pop("xlwings.udfs", None)
    mp = pytest.MonkeyPatch()
    try:
        udfs = importlib.import_module("xlwings.udfs")
        mp.setattr(xw, "func", udfs.xlfunc, raising=False)
        mp.setattr(xw, "sub", udfs.xlsub, raising=False)
        mp.setattr(xw, "arg", udfs.xlarg, raising=False)
        mp.setattr(xw, "ret", udfs.xlret, raising=False)
        spec = importlib.util.spec_from_file_location("sozbudget_xl._excel_windows", excel.__file__)
        assert spec is not None and spec.loader is not None
        modul = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(modul)
        yield types.SimpleNamespace(udfs=udfs, modul=modul)
    finally:
        mp.undo()
        for n, m in gesichert.items():
            if m is None:
                sys.modules.pop(n, None)
            else:
                sys.modules[n] = m


def test_linux_decorators_leave_functions_plain() -> None:
    """On Linux xlwings' decorators attach no metadata: the SRB_ functions are plain Python."""
    for name in UDF_NAMEN:
        assert not hasattr(getattr(excel, name), "__xlfunc__"), name


# --------------------------------------------------------------------------- SRB_VERTEILEN


def test_verteilen_worked_example_column() -> None:
    """100 € over three equal weights: the first gets the remainder cent."""
    assert SRB_VERTEILEN(100, [[1], [1], [1]]) == [[33.34], [33.33], [33.33]]


def test_verteilen_keeps_the_shape_of_the_weights() -> None:
    """A row of weights gives a row, a 2×2 block a 2×2 block (row-major order), and parts sum to the total."""
    assert SRB_VERTEILEN("1.000,00 €", [[1, 2, 3]]) == [[166.67, 333.33, 500.0]]
    block = SRB_VERTEILEN(10, [[1, 1], [1, 0]])
    assert block == [[3.34, 3.33], [3.33, 0.0]]


def test_verteilen_accepts_numpy_dataframe_and_flat_list() -> None:
    """numpy columns, DataFrames (values only) and flat lists are read like Excel ranges."""
    expected = [[50.0], [30.0], [20.0]]
    assert SRB_VERTEILEN(np.array([[100.0]]), np.array([[50], [30], [20]])) == expected
    assert SRB_VERTEILEN(100, pd.DataFrame({"Einwohner": [50, 30, 20]})) == expected
    assert SRB_VERTEILEN(100, [50, 30, 20]) == expected


def test_verteilen_parts_are_floats_that_sum_to_the_cent() -> None:
    """Parts are floats (never Decimal) and add up to the total exactly in cents."""
    out = SRB_VERTEILEN(1234567.89, [[w] for w in (3, 7, 11, 13, 17, 19)])
    _excel_typen(out)
    assert sum(round(v * 100) for v in _flach(out)) == 123456789


def test_verteilen_blank_weight_is_a_german_error() -> None:
    """A blank weight cell is named in a German error text instead of being taken as 0."""
    assert (
        SRB_VERTEILEN(100, [[1], [None]]) == "Fehler: Gewicht Nr. 2 fehlt (leere Zelle) (erwartet Zahl ab 0)"
    )


# --------------------------------------------------------------------------- standard values, index, JEI


def test_standardpunkte_spw_z_and_sample_sd() -> None:
    """SPW maps min→0 and max→100; z with direction −1 mirrors; the sample sd of 10, 20, 30 is 10."""
    werte = [[10], [20], [30]]
    assert SRB_STANDARDPUNKTE(werte) == [[0.0], [50.0], [100.0]]
    assert SRB_STANDARDPUNKTE(werte, "spw", -1) == [[100.0], [50.0], [0.0]]
    assert SRB_STANDARDPUNKTE(werte, "z", -1, True) == [[1.0], [0.0], [-1.0]]
    pop = _flach(SRB_STANDARDPUNKTE(werte, "Z"))
    assert pop == pytest.approx([-1.224744871, 0.0, 1.224744871])
    assert SRB_STANDARDPUNKTE(pd.DataFrame({"x": [1.0, 3.0]}), "index100") == [[50.0], [150.0]]


def test_standardpunkte_rejects_bad_direction_and_text() -> None:
    """Direction 2 and a text among the values give German error texts."""
    assert SRB_STANDARDPUNKTE([[1], [2]], "spw", 2).startswith("Fehler: Feld „Richtung“: Richtung muss 1")
    assert (
        SRB_STANDARDPUNKTE([[1], ["x"]])
        == "Fehler: „Werte“, Wert Nr. 2 ist keine Zahl (erwartet Zahl, gefunden 'x')"
    )


def test_index_weighted_with_header_and_equal_without() -> None:
    """A header row gives the heading „Index“; weights 25 %/75 % (numbers or texts) weight the columns."""
    bereich = [["Arbeitslose", "HzE"], [0, 100], [100, 50]]
    assert SRB_INDEX(bereich, [[0.25], [0.75]]) == [["Index"], [75.0], [62.5]]
    assert SRB_INDEX(bereich, [["25 %", "75 %"]]) == [["Index"], [75.0], [62.5]]
    assert SRB_INDEX([[0, 100], [100, 50]]) == [[50.0], [75.0]]


def test_index_weights_must_sum_to_100_percent() -> None:
    """Weights that do not add up to 100 % are refused with the sum found."""
    text = SRB_INDEX([[0, 100], [100, 50]], [[25], [75]])
    assert text == (
        "Fehler: die Gewichte müssen zusammen 100 % ergeben (Prozentzellen oder Texte wie „25 %“) "
        "(erwartet 100 %, gefunden 10.000,0\xa0%)"
    )


def test_jugendeinwohnerindex_two_columns() -> None:
    """Column 1 is Jugendeinwohner ÷ Einwohner, column 2 its standard value (SPW by default)."""
    out = SRB_JUGENDEINWOHNERINDEX([[100], [200], [300]], [[1000], [1000], [1000]])
    assert [r[0] for r in out] == pytest.approx([0.1, 0.2, 0.3])
    assert [r[1] for r in out] == pytest.approx([0.0, 50.0, 100.0])
    _excel_typen(out)


def test_jugendeinwohnerindex_more_young_than_all_is_an_error() -> None:
    """More Jugendeinwohner than Einwohner is refused naming the column."""
    text = SRB_JUGENDEINWOHNERINDEX([[100], [2000]], [[1000], [1000]])
    assert text.startswith("Fehler: Sozialraum „Nr. 2“, Spalte „Jugendeinwohner“")


# --------------------------------------------------------------------------- SRB_BUDGETSCHLUESSEL

_REGIONEN = [["Sozialraum", "Jugendeinwohner", "Quote"], ["A", 100, 1.0], ["B", 100, 3.0]]


def test_budgetschluessel_jew_worked_example() -> None:
    """Quote 1 and 3 give SPW 0 and 100, JEW 100 and 200, so 1.000 € splits 333,33 / 666,67."""
    assert SRB_BUDGETSCHLUESSEL(1000, _REGIONEN) == [
        ["Sozialraum", "Gewicht", "Anteil", "Budget"],
        ["A", 100.0, pytest.approx(1 / 3), 333.33],
        ["B", 200.0, pytest.approx(2 / 3), 666.67],
    ]


def test_budgetschluessel_dataframe_kopf_and_text_indicators() -> None:
    """A DataFrame works like a range with header; „kopf“ splits by head count; a text names ratios."""
    df = pd.DataFrame(_REGIONEN[1:], columns=_REGIONEN[0])
    assert [r[3] for r in SRB_BUDGETSCHLUESSEL(1000, df, "kopf")[1:]] == [500.0, 500.0]
    tabelle = [["Sozialraum", "Jugendeinwohner", "Fälle"], ["A", 100, 1], ["B", 300, 9]]
    out = SRB_BUDGETSCHLUESSEL(1000, tabelle, "jew", "Jugendeinwohner", "Fälle/Jugendeinwohner")
    # rates 0.01 and 0.03 → SPW 0 and 100 → JEW 100 and 600
    assert [r[3] for r in out[1:]] == [142.86, 857.14]


def test_budgetschluessel_indicator_table_and_warning_rows() -> None:
    """An indicator table (Zähler, Richtung) is read; equal values add a „Hinweis:“ row below the table."""
    defs = [["Zähler", "Richtung"], ["Quote", -1]]
    out = SRB_BUDGETSCHLUESSEL(1000, _REGIONEN, "jew", "Jugendeinwohner", defs)
    assert [r[3] for r in out[1:3]] == [666.67, 333.33]
    gleich = [["Sozialraum", "Jugendeinwohner", "Quote"], ["A", 100, 1.0], ["B", 100, 1.0]]
    out = SRB_BUDGETSCHLUESSEL(1000, gleich)
    assert out[-1][0].startswith("Hinweis: „Quote“: alle Sozialräume haben denselben Wert")
    assert {len(r) for r in out} == {4}


def test_budgetschluessel_missing_column_names_it() -> None:
    """A missing Sozialraum column and an unknown key are German errors."""
    assert SRB_BUDGETSCHLUESSEL(1000, [["Raum", "Jugendeinwohner"], ["A", 1]]).startswith(
        "Fehler: Spalte „Sozialraum“ fehlt"
    )
    assert "unbekannter Verteilungsschlüssel „quote“" in SRB_BUDGETSCHLUESSEL(1000, _REGIONEN, "quote")


# --------------------------------------------------------------------------- SRB_RATEN, SRB_BETRAG


def test_raten_monthly_remainder_cents_go_first() -> None:
    """100 € monthly without working-day shift: 12 rows on the 1st of each month, the first four
    take 8,34 €."""
    out = SRB_RATEN(100, 2026.0, "monatlich", "", False)
    assert out[0] == ["Fällig", "Betrag"]
    assert [r[0] for r in out[1:]] == [dt.date(2026, m, 1) for m in range(1, 13)]
    assert [r[1] for r in out[1:]] == [8.34] * 4 + [8.33] * 8
    _excel_typen(out)


def test_raten_default_moves_to_the_next_working_day() -> None:
    """Default (domain spec §4): a due date on a weekend or public holiday moves to the next
    working day — 1.1.2026 (Neujahr) → 2.1., Sunday 1.2. → 2.2., 1.5. (Friday, holiday) → 4.5.,
    Saturday 1.8. → 3.8., Sunday 1.11. → 2.11."""
    out = SRB_RATEN(100, 2026.0)
    tage = [(2, 1), (2, 2), (2, 3), (1, 4), (4, 5), (1, 6), (1, 7), (3, 8), (1, 9), (1, 10), (2, 11), (1, 12)]
    assert [r[0] for r in out[1:]] == [dt.date(2026, m, t) for t, m in tage]
    assert sum(r[1] for r in out[1:]) == pytest.approx(100.0)


def test_raten_quarterly_working_day_shift() -> None:
    """Quarterly with working-day shift in Bavaria: 1 January 2026 (holiday) moves to Friday 2 January."""
    out = SRB_RATEN(1000, 2026, "quartalsweise", "by", True)
    assert out[1] == [dt.date(2026, 1, 2), 250.0]
    assert SRB_RATEN(1000, 2026, "jährlich") == [["Fällig", "Betrag"], [dt.date(2026, 1, 2), 1000.0]]
    ohne_werktag = SRB_RATEN(1000, 2026, "jährlich", "", False)
    assert ohne_werktag == [["Fällig", "Betrag"], [dt.date(2026, 1, 1), 1000.0]]


def test_raten_bad_year_and_rhythm() -> None:
    """A fractional year and an unknown rhythm are German errors."""
    assert SRB_RATEN(100, 2026.5) == "Fehler: „Jahr“ muss eine ganze Zahl sein (gefunden 2026.5)"
    assert "unbekannte Zahlungsweise „wöchentlich“" in SRB_RATEN(100, 2026, "wöchentlich")


def test_betrag_text_scalar_and_range() -> None:
    """SRB_BETRAG formats German with a no-break space before €, cell by cell for a range."""
    assert SRB_BETRAG(1234.5) == "1.234,50\xa0€"
    assert SRB_BETRAG([[1], [2.005], [None]]) == [["1,00\xa0€"], ["2,01\xa0€"], [""]]
    assert SRB_BETRAG("abc").startswith("Fehler: „abc“ ist kein gültiger Betrag")


# --------------------------------------------------------------------------- errors


def test_errors_are_short_german_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Long messages are cut to 255 characters; unexpected exceptions show type and first line only."""
    lang = "X" * 400
    text = SRB_BUDGETSCHLUESSEL(1000, _REGIONEN, "jew", lang)
    assert text.startswith("Fehler:") and len(text) == 255 and text.endswith("…")

    def kaputt(*_: Any) -> None:
        raise RuntimeError("boom\nTraceback (most recent call last): ...")

    monkeypatch.setattr(excel.money, "allocate", kaputt)
    assert SRB_VERTEILEN(100, [[1]]) == "Fehler: unerwarteter Fehler (RuntimeError: boom)"


@pytest.mark.parametrize("name", UDF_NAMEN)
def test_every_udf_turns_junk_into_a_short_error_text(name: str) -> None:
    """Every worksheet function answers junk arguments with „Fehler: …“ (≤ 255 characters), never raising."""
    f = getattr(excel, name)
    n = len([p for p in f.__wrapped__.__code__.co_varnames[: f.__wrapped__.__code__.co_argcount]])
    for junk in (object(), [[object()]], "€"):
        out = f(*([junk] * n))
        if isinstance(out, str) and out.startswith("Fehler"):
            assert len(out) <= excel.MAX_TEXT and "\n" not in out
        else:  # SRB_BETRAG("€") etc. may legitimately fail only on some junk
            _excel_typen(out)
    assert f(*([object()] * n)).startswith("Fehler: ")


def test_excel_wert_never_returns_decimal_or_numpy() -> None:
    """Decimal, numpy scalars, NaN, -0.0 and None become plain Excel values."""
    assert excel.excel_wert(Decimal("1.10")) == 1.1 and type(excel.excel_wert(Decimal("1.10"))) is float
    assert type(excel.excel_wert(np.float64(2.5))) is float and type(excel.excel_wert(np.int64(2))) is int
    assert excel.excel_wert(float("nan")) == "" and excel.excel_wert(None) == ""
    assert str(excel.excel_wert(-0.0)) == "0.0"
    assert excel.excel_zeilen([[1], [1, Decimal("2.00")]]) == [[1, ""], [1, 2.0]]


# --------------------------------------------------------------------------- one UDF per model


def _bereiche(name: str) -> tuple[list[list[Any]], list[list[list[Any]]]]:
    """The model's example as Excel ranges: Parameter (with header) and one range per table."""
    parameter, tabellen = schema.beispiel_daten(name)
    prange = [["Bezeichnung", "Wert"]] + [[k, v] for k, v in parameter.items()]
    ranges = []
    for t in schema.schema(name).tabellen:
        rows = tabellen.get(t.name, [])
        kopf = list(rows[0]) if rows else [s.titel for s in t.spalten]
        ranges.append([kopf] + [[r.get(k) for k in kopf] for r in rows])
    return prange, ranges


@pytest.mark.parametrize("name", MODELLE)
def test_model_udf_gives_the_model_result_table(name: str) -> None:
    """SRB_<MODELL> on the example ranges returns the „Ergebnis“ rows of a direct model run, then hints."""
    prange, ranges = _bereiche(name)
    out = getattr(excel, excel.MODELL_UDFS[name])(prange, *ranges)
    eingabe, parameter = modell(name).beispiel()
    result = modell(name).berechne(eingabe, parameter)
    ref = excel.excel_zeilen(schema.ausgaben(result)["Ergebnis"])
    assert out[: len(ref)] == ref
    assert out[0][:2] == ["Nr.", "Position"] and out[len(ref) - 1][1] == "Summe"
    assert out[len(ref) - 1][6] == float(result.gesamt)
    assert [r[0] for r in out[len(ref) :]] == [f"Hinweis: {w}" for w in result.warnungen]
    assert len({len(r) for r in out}) == 1
    _excel_typen(out)


def test_model_udf_accepts_dataframes_and_names_the_bad_cell() -> None:
    """SRB_KGST takes DataFrames; a share of 120 % is a German error naming sheet „Träger“ and „Anteil“."""
    prange, (traeger,) = _bereiche("kgst")
    df = pd.DataFrame(traeger[1:], columns=traeger[0])
    ok = excel.SRB_KGST(pd.DataFrame(prange[1:], columns=prange[0]), df)
    assert isinstance(ok, list) and any(r[1] == "Summe" for r in ok)
    df.loc[0, "Anteil"] = 1.2
    text = excel.SRB_KGST(prange, df)
    assert text.startswith("Fehler: Blatt „Träger“, Zelle ") and "Anteil" in text
    assert len(text) <= excel.MAX_TEXT


def test_model_udf_refuses_parameters_of_another_model() -> None:
    """A Parameter range of Stuttgart given to SRB_KGST is refused naming the Modell cell."""
    prange, (traeger,) = _bereiche("kgst")
    prange = [r if r[0] != "Modell" else ["Modell", "stuttgart"] for r in prange]
    text = excel.SRB_KGST(prange, traeger)
    assert text.startswith("Fehler: Blatt „Parameter“") and "anderen Modell" in text


def test_model_udf_arguments_follow_the_schema() -> None:
    """Every model's UDF takes the Parameter range and then one range per schema table, in schema order;
    tables whose Eingabe field has a default are optional."""
    assert set(excel.MODELL_UDFS) == set(MODELLE)
    for name, fname in excel.MODELL_UDFS.items():
        f = getattr(excel, fname).__wrapped__
        params = list(inspect.signature(f).parameters.values())
        tabellen = schema.schema(name).tabellen
        assert [p.name for p in params] == ["parameter_bereich"] + [
            excel._parametername(t.name) for t in tabellen
        ]
        felder = {f.name: f for f in dataclasses.fields(modell(name).Eingabe)}
        for p, t in zip(params[1:], tabellen):
            hat_standard = felder[t.feld].default is not dataclasses.MISSING or (
                felder[t.feld].default_factory is not dataclasses.MISSING
            )
            assert (p.default is None) == hat_standard, (name, t.name)


# --------------------------------------------------------------------------- xlwings metadata and VBA


def test_udf_and_macro_lists_are_complete() -> None:
    """Every SRB_ name of the module is exported, and is either a listed macro or a worksheet function."""
    assert sorted(n for n in excel.__all__ if n.startswith("SRB_")) == ALLE_SRB
    assert set(excel.MAKROS) <= set(ALLE_SRB)
    assert set(excel.MODELL_UDFS.values()) <= set(UDF_NAMEN)


def test_windows_metadata_of_every_udf(windows: Any) -> None:
    """With xlwings' Windows decorators each UDF carries its name, a one-line German help ≤ 255 characters,
    category „Sozialraumbudget“, German help for every argument, and no legacy „expand“ (dynamic arrays)."""
    from xlwings.conversion import accessors

    for name in UDF_NAMEN:
        xlf = getattr(windows.modul, name).__xlfunc__
        assert xlf["name"] == name and xlf["sub"] is False
        assert xlf["category"] == "Sozialraumbudget"
        doc = xlf["ret"]["doc"]
        assert doc == getattr(excel, name).__doc__
        assert 40 <= len(doc) <= 255 and "\n" not in doc, (name, len(doc))
        assert "expand" not in xlf["ret"]["options"]
        for arg in xlf["args"]:
            assert not arg["doc"].startswith("Positional argument"), (name, arg["name"])
            assert len(arg["doc"]) <= 255 and not arg["vararg"]
            # a type hint becomes a converter: it must be one xlwings knows (no Union, no Decimal)
            assert arg["options"]["convert"] in accessors, (name, arg["name"])
        assert xlf["ret"]["options"].get("convert", None) in accessors


def test_windows_metadata_range_arguments_are_2d(windows: Any) -> None:
    """Range arguments arrive as 2-D lists (ndim=2), scalars as plain values; optional ones keep defaults."""
    xlf = windows.modul.SRB_VERTEILEN.__xlfunc__
    assert xlf["argmap"]["gewichte"]["options"]["ndim"] == 2
    assert "ndim" not in xlf["argmap"]["betrag"]["options"]
    assert xlf["argmap"]["betrag"]["doc"].startswith("Gesamtbetrag in Euro")
    xlf = windows.modul.SRB_STANDARDPUNKTE.__xlfunc__
    assert [a.get("optional", "-") for a in xlf["args"]] == ["-", "spw", 1, False]
    xlf = windows.modul.SRB_CELLE.__xlfunc__
    assert [a["name"] for a in xlf["args"]][:4] == [
        "parameter_bereich",
        "sozialraeume",
        "traeger",
        "zuordnung",
    ]
    assert all(a["options"]["ndim"] == 2 for a in xlf["args"])
    assert xlf["argmap"]["traeger"]["doc"].startswith("Tabelle „Träger“ mit Überschriftenzeile")
    assert xlf["argmap"]["indikatoren"]["doc"].startswith("Optional: Tabelle „Indikatoren“")


def test_windows_metadata_of_macros(windows: Any) -> None:
    """The two macros are xlwings subs without arguments and with German one-line help."""
    for name in excel.MAKROS:
        xlf = getattr(windows.modul, name).__xlfunc__
        assert xlf["sub"] is True and xlf["args"] == []
        assert "\n" not in xlf["ret"]["doc"] and "Mappe" in xlf["ret"]["doc"]
        assert "convert" not in xlf["ret"]["options"]  # a None return hint would break the sub


def test_windows_wrappers_still_compute(windows: Any) -> None:
    """Decorated with the Windows decorators, the functions compute the same as on Linux."""
    assert windows.modul.SRB_VERTEILEN(100, [[1], [1], [1]]) == [[33.34], [33.33], [33.33]]
    assert windows.modul.SRB_BETRAG("x").startswith("Fehler: ")


@pytest.mark.parametrize("mappe", ["Haushalt 2026.xlsm", "sozbudget.xlam"])
def test_vba_module_declares_every_udf_and_macro(windows: Any, mappe: str) -> None:
    """The VBA module xlwings would import declares Function SRB_… for every UDF (optional arguments marked,
    errors shown as Err.Description) and Sub SRB_… for every macro; an add-in calls ActiveWorkbook."""
    puffer = io.StringIO()
    windows.udfs.generate_vba_wrapper(
        "sozbudget_xl.excel", windows.modul, puffer, types.SimpleNamespace(Name=mappe)
    )
    vba = puffer.getvalue()
    funktionen = set(re.findall(r"^Function (SRB_\w+)\(", vba, re.M))
    subs = set(re.findall(r"^Sub (SRB_\w+)\(\)", vba, re.M))
    assert funktionen == set(UDF_NAMEN)
    assert subs == set(excel.MAKROS)
    assert "Function SRB_VERTEILEN(betrag, gewichte)" in vba
    assert (
        "Function SRB_STANDARDPUNKTE(werte, Optional methode, Optional richtung, Optional stichprobe)" in vba
    )
    assert 'XLPy.CallUDF("sozbudget_xl.excel", "SRB_KGST", Array(parameter_bereich, traeger)' in vba
    assert vba.count(" = Err.Description") == len(UDF_NAMEN)
    buch = "ActiveWorkbook" if mappe.endswith(".xlam") else "ThisWorkbook"
    assert vba.count(f", {buch}, Application.Caller") == len(UDF_NAMEN) + len(excel.MAKROS)


# --------------------------------------------------------------------------- macros with a fake workbook


def _zelle(adresse: str) -> tuple[int, int]:
    m = re.fullmatch(r"([A-Z]+)(\d+)", adresse)
    assert m, adresse
    spalte = 0
    for ch in m.group(1):
        spalte = spalte * 26 + ord(ch) - 64
    return int(m.group(2)), spalte


class FakeRange:
    """Just enough of xlwings.Range: .value (get/set, 2-D with options(ndim=2)), .row, .column,
    .clear_contents()."""

    def __init__(self, sheet: FakeSheet, r0: int, c0: int, r1: int, c1: int, ndim: int | None = None):
        self.sheet, self.row, self.column, self.r1, self.c1, self.ndim = sheet, r0, c0, r1, c1, ndim

    def options(self, ndim: int | None = None) -> FakeRange:
        return FakeRange(self.sheet, self.row, self.column, self.r1, self.c1, ndim)

    @property
    def value(self) -> Any:
        rows = [
            [self.sheet.cells.get((r, c)) for c in range(self.column, self.c1 + 1)]
            for r in range(self.row, self.r1 + 1)
        ]
        if self.ndim == 2:
            return rows
        if len(rows) == 1:  # xlwings squeezes a single row or cell
            return rows[0][0] if len(rows[0]) == 1 else rows[0]
        return rows

    @value.setter
    def value(self, rows: Any) -> None:
        if not isinstance(rows, list):
            rows = [[rows]]
        for i, r in enumerate(rows):
            for j, v in enumerate(r):
                assert type(v) in (str, float, int, bool, dt.date, type(None)), (v, type(v))
                self.sheet.write((self.row + i, self.column + j), v)

    def clear_contents(self) -> None:
        for key in [
            k for k in self.sheet.cells if self.row <= k[0] <= self.r1 and self.column <= k[1] <= self.c1
        ]:
            del self.sheet.cells[key]


class FakeSheet:
    def __init__(self, name: str, rows: list[list[Any]] | None = None) -> None:
        self.name = name
        self.cells: dict[tuple[int, int], Any] = {}
        for i, r in enumerate(rows or []):
            for j, v in enumerate(r):
                self.write((i + 1, j + 1), v)

    def write(self, key: tuple[int, int], v: Any) -> None:
        if v is None or v == "":
            self.cells.pop(key, None)
        else:
            self.cells[key] = v

    def range(self, adresse: str) -> FakeRange:
        r, c = _zelle(adresse)
        return FakeRange(self, r, c, r, c)

    @property
    def used_range(self) -> FakeRange:
        if not self.cells:
            return FakeRange(self, 1, 1, 1, 1)
        rows = [k[0] for k in self.cells]
        cols = [k[1] for k in self.cells]
        return FakeRange(self, min(rows), min(cols), max(rows), max(cols))

    def rows(self) -> list[list[Any]]:
        """Contents as written, the ' text prefix removed."""
        werte = self.used_range.options(ndim=2).value if self.cells else []
        return [[v[1:] if isinstance(v, str) and v.startswith("'") else v for v in r] for r in werte]


class FakeSheets(list):
    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return next(s for s in self if s.name == key)
        return list.__getitem__(self, key)

    def add(self, name: str, after: Any = None) -> FakeSheet:
        self.append(FakeSheet(name))
        return self[-1]


class FakeBook:
    def __init__(self, fullname: str, sheets: list[FakeSheet]) -> None:
        self.fullname = fullname
        self.sheets = FakeSheets(sheets)
        self.app = types.SimpleNamespace(meldungen=[])
        self.app.alert = lambda text, title="": self.app.meldungen.append((title, text))


def _fake_mappe(name: str, fullname: str = "/tmp/Haushalt 2026 (Entwurf).xlsm") -> FakeBook:
    """A book laid out by the contract, holding the model's example, with stale output sheets."""
    parameter, tabellen = schema.beispiel_daten(name)
    blaetter = [FakeSheet("Anleitung", [["Bitte Parameter ausfüllen"]])]
    blaetter.append(
        FakeSheet("Parameter", [["Bezeichnung", "Wert", "Hinweis"]] + [[k, v] for k, v in parameter.items()])
    )
    for t in schema.schema(name).tabellen:
        rows = tabellen.get(t.name, [])
        kopf = list(rows[0]) if rows else [s.titel for s in t.spalten]
        blaetter.append(FakeSheet(t.blatt, [kopf] + [[r.get(k) for k in kopf] for r in rows]))
    blaetter.append(FakeSheet("Ergebnis", [["alt"] * 3] * 200))
    blaetter.append(FakeSheet("Kennzahlen", [["alt"]]))
    return FakeBook(fullname, blaetter)


@pytest.mark.parametrize("name", MODELLE)
def test_recalc_macro_writes_what_the_model_computes(name: str) -> None:
    """SRB_NEU_BERECHNEN's logic writes „Ergebnis“, „Zahlungsplan“ (added when missing) and „Kennzahlen“
    with exactly the values of the model run directly, stale rows cleared, and reports the total."""
    book = _fake_mappe(name)
    text = excel.neu_berechnen_in_mappe(book)
    eingabe, parameter = modell(name).beispiel()
    result = modell(name).berechne(eingabe, parameter)
    for blatt, rows in schema.ausgaben(result).items():
        erwartet = [[None if v == "" else v for v in r] for r in excel.excel_zeilen(rows)]
        assert book.sheets[blatt].rows() == erwartet, blatt
    assert text.startswith("Neu berechnet: ") and excel.formats.betrag(result.gesamt) in text


def test_recalc_escapes_texts_excel_would_convert() -> None:
    """Texts like „=1+1“, „-5“ or „1.2“ are written with a ' prefix so Excel keeps them as text."""
    assert excel._als_text("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert excel._als_text("1.2") == "'1.2" and excel._als_text("WAHR") == "'WAHR"
    assert excel._als_text("Nord 1") == "Nord 1" and excel._als_text(Decimal("2.50")) == 2.5
    assert excel._als_text("") is None


def test_recalc_macro_shows_located_german_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    """The macro shows a message box: an unknown model names „Parameter“ B2, a bad share its Träger cell."""
    book = _fake_mappe("kgst")
    book.sheets["Parameter"].cells[(2, 2)] = "Bremen"
    monkeypatch.setattr(xw.Book, "caller", classmethod(lambda cls: book))
    excel.SRB_NEU_BERECHNEN()
    titel, text = book.app.meldungen[-1]
    assert titel == "Sozialraumbudget"
    assert text.startswith("Fehler: Blatt „Parameter“, Zelle B2") and "unbekanntes Modell „Bremen“" in text

    book = _fake_mappe("kgst")
    blatt = book.sheets["Träger"]
    blatt.cells[(1, 5)] = "Notiz"  # an extra column does not shift the cells of the known ones
    spalte = [blatt.cells[(1, c)] for c in range(1, 6)].index("Anteil") + 1
    blatt.cells[(3, spalte)] = 1.2
    excel.SRB_NEU_BERECHNEN()
    text = book.app.meldungen[-1][1]
    assert text.startswith(f"Fehler: Blatt „Träger“, Zelle {excel._spaltenname(spalte)}3"), text
    assert book.sheets["Ergebnis"].rows()[0] == ["alt"] * 3  # nothing written after an error


def test_recalc_macro_skips_blank_rows_and_keeps_locations() -> None:
    """A blank row inside a table is skipped, and errors below it still name the right sheet row."""
    book = _fake_mappe("kgst")
    blatt = book.sheets["Träger"]
    zeilen = blatt.rows()
    blatt.cells.clear()
    for i, r in enumerate([zeilen[0], zeilen[1], [None] * len(zeilen[0]), *zeilen[2:]]):
        for j, v in enumerate(r):
            blatt.write((i + 1, j + 1), v)
    assert excel.neu_berechnen_in_mappe(book).startswith("Neu berechnet")
    spalte = zeilen[0].index("Anteil") + 1
    blatt.cells[(5, spalte)] = -0.1
    with pytest.raises(excel.SozbudgetError) as info:
        excel.berechne_mappe(book)
    assert (info.value.sheet, info.value.cell) == ("Träger", f"{excel._spaltenname(spalte)}5")


def test_annex_macro_writes_files_beside_the_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SRB_ANLAGEN_ERSTELLEN renders a DOCX and an HTML per contract into „Vertragsanlagen“ by the book."""
    book = _fake_mappe("kgst", str(tmp_path / "Haushalt 2026.xlsm"))
    monkeypatch.setattr(xw.Book, "caller", classmethod(lambda cls: book))
    excel.SRB_ANLAGEN_ERSTELLEN()
    ordner = tmp_path / "Vertragsanlagen"
    docx = sorted(ordner.glob("*.docx"))
    html = sorted(ordner.glob("*.html"))
    assert len(docx) == len(html) == 3  # three Träger in one Sozialraum
    assert "Jugendamt Musterstadt" in html[0].read_text(encoding="utf-8")
    assert book.app.meldungen[-1][1].startswith("6 Dateien erstellt im Ordner")


def test_annex_macro_needs_a_saved_workbook() -> None:
    """An unsaved book (no folder) or one on the web gives a German message instead of files."""
    for name in ("Mappe1", "https://firma.sharepoint.com/Haushalt.xlsx"):
        book = _fake_mappe("kgst", name)
        text = excel._makro(book, excel._anlagen_meldung)
        assert text.startswith("Fehler: die Mappe muss zuerst als Datei gespeichert sein")


# ------------------------------------------------------------------------- a workbook computed by `formulas`


def test_formulas_package_evaluates_srb_formulas_like_python(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workbook with SRB_VERTEILEN (array formula and inside SUM/INDEX) and SRB_BETRAG, computed by the
    `formulas` package with our functions registered, gives the numbers of the Python calls."""
    formulas = pytest.importorskip("formulas")
    openpyxl = pytest.importorskip("openpyxl")
    from formulas.functions import wrap_func
    from openpyxl.worksheet.formula import ArrayFormula

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Budget"
    ws["A1"] = 1000
    for i, w in enumerate((3, 3, 1), start=1):
        ws[f"B{i}"] = w
    ws["C1"] = ArrayFormula("C1:C3", "=SRB_VERTEILEN(A1,B1:B3)")
    ws["D1"] = "=SUM(SRB_VERTEILEN(A1,B1:B3))"
    ws["D2"] = "=INDEX(SRB_VERTEILEN(A1,B1:B3),3,1)"
    ws["E1"] = "=SRB_BETRAG(A1)"
    pfad = tmp_path / "udf.xlsx"
    wb.save(pfad)

    funktionen = formulas.get_functions()
    for name in ("SRB_VERTEILEN", "SRB_BETRAG"):
        f = getattr(excel, name)
        monkeypatch.setitem(funktionen, name, wrap_func(lambda *a, f=f: np.asarray(f(*a), dtype=object)))
    loesung = formulas.ExcelModel().loads(str(pfad)).finish().calculate()
    werte = {k.split("!")[1]: v.value.tolist() for k, v in loesung.items() if "!" in k}

    python = SRB_VERTEILEN(1000, [[3], [3], [1]])
    # cents 300000/7 = 42857 rest 1 (twice), 100000/7 = 14285 rest 5: the leftover cent goes to rest 5
    assert python == [[428.57], [428.57], [142.86]]
    assert werte["C1:C3"] == python
    assert werte["D1"] == [[pytest.approx(1000.0)]]
    assert werte["D2"] == [[142.86]]
    assert werte["E1"] == [["1.000,00\xa0€"]]


def test_pruefen_macro_writes_nothing_and_reports_the_total() -> None:
    """The check shared by the LibreOffice menu and the xlwings Lite script reads and computes the
    workbook, changes no cell and names the total; a wrong cell is reported with sheet and cell."""
    book = _fake_mappe("kgst")
    vorher = {s.name: s.rows() for s in book.sheets}
    text = excel.pruefen_in_mappe(book)
    assert {s.name: s.rows() for s in book.sheets} == vorher
    result = modell("kgst").berechne(*modell("kgst").beispiel())
    assert text.startswith("Geprüft: ") and excel.formats.betrag(result.gesamt) in text
    traeger = book.sheets["Träger"]
    traeger.write((2, 2), "viel")
    with pytest.raises(excel.SozbudgetError, match="Blatt „Träger“, Zelle B2"):
        excel.pruefen_in_mappe(book)
