"""Fast paths of recalc's compute and layout stages (issue 15) equal their exact references:
the Soll curves in integer cents vs the Decimal allocation per month, the column widths measured
per column vs cell by cell, and the region columns of the indicator layer."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from sozbudget_xl.controlling import IstZeile, soll_ist
from sozbudget_xl.einheiten import Einheit
from sozbudget_xl.ergebnis import Art, LineItem, ModelResult
from sozbudget_xl.indicators import _columns
from sozbudget_xl.jahr import sollist
from sozbudget_xl.schedule import Rate
from sozbudget_xl.workbook import schema
from sozbudget_xl.workbook.schema import TEXT_BREITE, Blatt

# ----------------------------------------------------------------------------- Soll curves

_TRAEGER = ["A", "B", "C", None]
_cent = st.integers(min_value=0, max_value=10**9).map(lambda c: D(c).scaleb(-2))
_position = st.tuples(
    st.sampled_from(_TRAEGER),
    st.sampled_from(["Nord", "Süd", "Ost", None]),
    st.sampled_from([Art.UNBEDINGT, Art.BEDINGT, Art.BONUS, Art.OFFEN, Art.EINBEHALTEN]),
    _cent,
)
_rate = st.tuples(
    st.sampled_from(["A", "B", "C"]),
    st.dates(min_value=dt.date(2025, 11, 1), max_value=dt.date(2027, 2, 1)),
    st.integers(min_value=-(10**8), max_value=10**10).map(lambda c: D(c).scaleb(-2)),
)


def _ergebnis(positionen, raten) -> ModelResult:
    items = [LineItem(f"P{i}", b, art, t, s) for i, (t, s, art, b) in enumerate(positionen)]
    plan = [Rate(f, b, t) for t, f, b in raten]
    return ModelResult("test", "Test", 2026, items, sum((p.betrag for p in items), D("0.00")), plan)


@settings(max_examples=300, deadline=None)
@given(st.lists(_position, max_size=25), st.lists(_rate, max_size=15))
def test_soll_kurven_in_cent_equal_the_decimal_allocation(positionen, raten):
    r = _ergebnis(positionen, raten)
    assert sollist._kurven_cent(r, 2026) is not None  # the fast path is taken
    exakt = sollist._soll_kurven_exakt(r, 2026)
    schnell = sollist.soll_kurven(r, 2026)
    assert list(schnell) == list(exakt)
    for k in exakt:
        assert schnell[k] == exakt[k]
        assert [x.as_tuple().exponent for x in schnell[k]] == [x.as_tuple().exponent for x in exakt[k]]
    for stand in (0, 5, 12):
        beim_stand, summen = sollist._kurven_stand(r, 2026, stand)
        assert beim_stand == {k: v[stand] for k, v in exakt.items()}
        assert summen == [sum((v[m] for v in exakt.values()), D("0.00")) for m in range(13)]


def test_soll_kurven_fall_back_to_decimals_beyond_int64():
    """Amounts whose cents could overflow int64 in a sum take the Decimal path, same numbers."""
    riesig = D(2**61).scaleb(-2)
    items = [
        LineItem(f"P{i}", riesig + i, Art.UNBEDINGT if i else Art.BEDINGT, "A", f"S{i}") for i in range(3)
    ]
    plan = [Rate(dt.date(2026, m, 5), D("1000.01"), "A") for m in (1, 4, 7)]
    r = ModelResult("test", "Test", 2026, items, sum((p.betrag for p in items), D(0)), plan)
    assert sollist._kurven_cent(r, 2026) is None
    exakt = sollist._soll_kurven_exakt(r, 2026)
    assert sollist.soll_kurven(r, 2026) == exakt
    beim_stand, summen = sollist._kurven_stand(r, 2026, 7)
    assert beim_stand == {k: v[7] for k, v in exakt.items()}
    assert summen[12] == r.gesamt - 2 * riesig - 1 - 2 + D("3000.03")
    hundert = LineItem("P", D("100.00"), Art.UNBEDINGT, "A")
    klein = ModelResult("test", "Test", 2026, [hundert], hundert.betrag, plan)
    assert sollist._kurven_cent(klein, 2026) is not None


def test_negative_rest_rounds_half_away_from_zero():
    """Conditional −0,06 € pro rata: month 1 is −0,005 € → −0,01 € (half up, as Decimal)."""
    r = _ergebnis([("A", "Nord", Art.UNBEDINGT, D("10.00"))], [("A", dt.date(2026, 1, 2), D("10.00"))])
    items = [*r.positionen, LineItem("neg", D("-0.06"), Art.BEDINGT, "A", "Nord")]
    r = ModelResult("test", "Test", 2026, items, D("9.94"), r.zahlungsplan)
    assert sollist.soll_kurven(r, 2026)[("A", "Nord")][1] == D("9.99")
    assert sollist.soll_kurven(r, 2026) == sollist._soll_kurven_exakt(r, 2026)


# ----------------------------------------------------------------------------- column widths


def _gestalte_zellenweise(blatt: Blatt) -> tuple[list[float], set, dict]:
    """The layout cell by cell (the rule :meth:`Blatt.gestalte` must equal)."""
    spalten = max((len(z) for z in blatt), default=0)
    breiten = [8.0] * spalten
    umbruch = set()
    for z, zeile in enumerate(blatt):
        if blatt.arten.get(z) == "titel":
            continue
        for s, wert in enumerate(zeile):
            laenge = blatt._laenge(z, s, wert)
            if isinstance(wert, str) and (laenge > TEXT_BREITE or "\n" in wert):
                umbruch.add((z, s))
                laenge = TEXT_BREITE
            breiten[s] = max(breiten[s], laenge)
    hoehen: dict[int, float] = {}
    for z, s in umbruch:
        text = str(blatt[z][s])
        b = round(breiten[s], 1)
        n = sum(max(1, math.ceil(len(t) * 1.1 / (b - 1))) for t in text.split("\n"))
        hoehen[z] = max(hoehen.get(z, schema.ZEILENHOEHE), n * schema.ZEILENHOEHE)
    return [round(b, 1) for b in breiten], umbruch, hoehen


_zahl = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.floats(min_value=-1e16, max_value=1e16),
    st.sampled_from([0.0, -0.0, -0.001, 0.004, 0.005, -0.005, 999.995, -999.995, 1e15 - 0.5]),
    st.integers(min_value=-(10**20), max_value=10**20),
)
_wert = st.one_of(
    _zahl,
    st.text(alphabet="ab\n €", max_size=70),
    st.none(),
    st.booleans(),
    st.just(dt.date(2026, 3, 1)),
    st.just(D("1.5")),
)
_einheit = st.sampled_from([None, Einheit.EURO, Einheit.ANTEIL, Einheit.ANZAHL, Einheit.JAHR, Einheit.ZAHL])
_zeile = st.tuples(
    st.lists(st.tuples(_wert, _einheit), max_size=6),
    st.sampled_from([None, None, None, "kopf", "titel", "summe"]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_zeile, max_size=30))
def test_column_widths_equal_the_cell_by_cell_rule(zeilen):
    blatt = Blatt()
    for zellen, art in zeilen:
        blatt.zeile([w for w, _ in zellen], [e for _, e in zellen], art=art)  # inf/NaN counts too
    breiten, umbruch, hoehen = _gestalte_zellenweise(blatt)
    blatt.gestalte()
    assert blatt.breiten == breiten
    assert blatt.umbruch == umbruch
    assert blatt.hoehen == hoehen


def test_number_width_takes_the_sign_of_negative_zero():
    blatt = Blatt()
    for w in [123456.0, 0.0, -0.0, 5.0]:
        blatt.zeile(["x" * 3, 10**15 if w == 5.0 else w], (None, Einheit.EURO if w else None))
    blatt.gestalte()
    assert blatt.breiten == _gestalte_zellenweise(blatt)[0]
    b = Blatt()
    b.zeile([-0.0])
    b.zeile([0.0])
    assert b.gestalte().breiten == [8.0]  # „-0.00“ + 1 + 1 = 7: still the minimum


# ----------------------------------------------------------------------------- indicator columns


def test_columns_of_rows_fill_late_columns_with_none():
    rows = [{"Quartier": "A", "x": 1}, {"Quartier": "B", "y": 2}, {"x": 3, 4: "z"}]
    cols, n = _columns(rows)
    assert n == 3
    assert cols == {
        "Quartier": ["A", "B", None],
        "x": [1, None, 3],
        "y": [None, 2, None],
        "4": [None, None, None],
    }


# ----------------------------------------------------------------------------- cell formats


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 6), st.integers(0, 5), st.sampled_from(["0", "0.0%", '#,##0.00 "€"', None])),
        max_size=40,
    )
)
def test_zellformate_behave_as_a_dict_of_cells(schritte):
    """The per-row store of number formats answers like the dict (row, column) → code it replaced."""
    formate = schema.Zellformate()
    modell: dict[tuple[int, int], str] = {}
    for z, s, code in schritte:
        if code is None:  # a whole row set at once, its column s without a format
            zeile = [formate.get((z, i)) for i in range(6)]
            zeile[s] = None
            formate.setze_zeile(z, zeile)
            modell = {k: v for k, v in modell.items() if k != (z, s)}
        else:
            formate[(z, s)] = code
            modell[(z, s)] = code
    assert formate == modell and len(formate) == len(modell) and bool(formate) == bool(modell)
    assert set(formate) == set(modell)
    for z in range(-1, 8):
        for s in range(-1, 7):
            assert formate.get((z, s)) == modell.get((z, s))
            assert formate.get((z, s), "") == modell.get((z, s), "")
            assert ((z, s) in formate) == ((z, s) in modell)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.lists(st.tuples(_wert, _einheit), max_size=6), st.booleans()), max_size=30))
def test_number_formats_of_a_row_follow_its_units_and_values(zeilen):
    """Each cell's format is its unit's (for ANZAHL/ANTEIL the one for its value), also when the
    units of the rows before were the same object changed in place (they are kept per row)."""
    blatt = Blatt()
    einheiten: list = []
    for z, (zellen, gleiches_objekt) in enumerate(zeilen):
        if gleiches_objekt:
            einheiten[:] = [e for _, e in zellen]  # the same list, changed
        else:
            einheiten = [e for _, e in zellen]
        werte = [w for w, _ in zellen]
        blatt.zeile(werte, einheiten)
        for s, (w, e) in enumerate(zellen):
            erwartet = None
            if e is not None and w is not None and not isinstance(w, str | bool):
                erwartet = e.excel_format(w) or None
            assert blatt.formate.get((z, s)) == erwartet


def test_rows_with_equal_formats_share_one_tuple():
    blatt = Blatt()
    for i in range(3):
        blatt.zeile(["x", 1.5 * i, "y"], (None, Einheit.EURO, None))
    assert blatt.formate.codes(0) is blatt.formate.codes(2)
    assert dict(blatt.formate) == {(z, 1): '#,##0.00 "€"' for z in range(3)}


def test_one_type_columns_measured_whole_equal_the_cell_rule():
    """Columns of one type take the whole-column measurement; wrapping texts and mixed formats
    fall back to the cells — both as the cell-by-cell rule."""
    faelle = [
        [["kurz"], ["etwas länger"], ["x" * 49]],  # 49 characters: exactly the widest, no wrapping
        [["kurz"], ["zwei\nZeilen"]],  # a line break wraps
        [["kurz"], ["y" * 50]],  # 50 characters wrap
        [[1.5], [-1234567.891], [0.001]],
        [[3], [-(10**12)], [7]],
    ]
    for zeilen in faelle:
        arten = [(None,), (Einheit.EURO,), (Einheit.ANZAHL,)]
        for einheiten, gleich in itertools.product(arten, [True, False]):
            blatt = Blatt()
            for i, z in enumerate(zeilen):
                blatt.zeile(z, einheiten if gleich or i % 2 else (Einheit.ANTEIL,))  # one or two formats
            erwartet = _gestalte_zellenweise(blatt)
            blatt.gestalte()
            assert (blatt.breiten, blatt.umbruch, blatt.hoehen) == erwartet


# ----------------------------------------------------------------------------- Soll/Ist rows only


@settings(max_examples=100, deadline=None)
@given(
    st.lists(_position, min_size=1, max_size=15),
    st.lists(st.tuples(st.sampled_from(_TRAEGER), st.sampled_from(["Nord", None]), _cent), max_size=10),
    st.sampled_from([None, "weich", "hart"]),
    st.sampled_from(["zeile", "traeger", "sozialraum", "gesamt"]),
)
def test_soll_ist_without_group_totals_has_the_same_rows(positionen, ist, deckel, ebene):
    """``je_gruppe=False`` (the Jahresabschluss) leaves out the totals per Träger and Sozialraum only."""
    r = _ergebnis(positionen, [])
    zeilen = [IstZeile(t, s, b) for t, s, b in ist]
    voll = soll_ist(r, zeilen, deckel=deckel, deckel_ebene=ebene)
    knapp = soll_ist(r, zeilen, deckel=deckel, deckel_ebene=ebene, je_gruppe=False)
    assert knapp.zeilen == voll.zeilen and knapp.summen == voll.summen
    assert knapp.warnungen == voll.warnungen and knapp.kennzahlen == voll.kennzahlen
    assert knapp.nach_traeger == knapp.nach_sozialraum == ()
    assert len(voll.nach_traeger) == len({z["Träger"] for z in voll.zeilen})


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(0, 10**6), min_size=1, max_size=6).filter(any),
    st.lists(st.integers(-(10**9), 10**12), min_size=13, max_size=13),
)
def test_die_faelligen_teile_aller_monate_wie_je_monat_verteilt(
    gewichte: list[int], faellig: list[int]
) -> None:
    """All 13 months split at once give, month by month, the parts of allocate_cents (largest
    remainder, ties to the larger weight, then the earlier row) — also for negative amounts."""
    import numpy as np

    from sozbudget_xl.jahr.sollist import _faellige_teile
    from sozbudget_xl.money import allocate_cents

    w = np.array(gewichte, dtype=np.int64)
    erwartet = [allocate_cents(c, w).tolist() if c else [0] * len(gewichte) for c in faellig]
    assert _faellige_teile(faellig, w).tolist() == erwartet


def test_a_count_that_is_no_finite_number_gets_a_format_instead_of_a_crash() -> None:
    """Infinite or NaN counts (float or Decimal) are no whole numbers: a format with decimals, no
    OverflowError while the sheets are laid out (the writer then refuses the value in German)."""
    from decimal import Decimal

    from sozbudget_xl.einheiten import Einheit

    unendlich = (float("inf"), float("-inf"), float("nan"))
    for wert in (*unendlich, Decimal("Infinity"), Decimal("NaN"), Decimal("sNaN")):
        assert Einheit.ANZAHL.excel_format(wert) == "#,##0.00"
    for wert, code in ((None, "#,##0"), (3, "#,##0"), (3.0, "#,##0"), (Decimal("74"), "#,##0"),
                       (Decimal("74.4"), "#,##0.00"), (2.5, "#,##0.00")):  # fmt: skip
        assert Einheit.ANZAHL.excel_format(wert) == code
