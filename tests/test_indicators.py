"""Indicators: standard values, composite index, classes, Jugendeinwohnerwert and keys (spec §2)."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sozbudget_xl.errors import DatenFehler, EingabeFehler, GewichtFehler, SozbudgetError
from sozbudget_xl.indicators import (
    BERLIN_STATUS_KLASSEN,
    FLAECHE,
    Indicator,
    Klassenschema,
    Teilindex,
    bewerte,
    bewerte_df,
    budget_df,
    fuenf_indikatoren,
    index_aus_werten,
    jugend_einwohner_index,
    jugendeinwohnerwert,
    klassifiziere,
    rangfolge,
    raten,
    schluessel_gewichte,
    standardisiere,
    verteile_nach_index,
)

# ----------------------------------------------------------------- standard values


def test_spw_worked_example():
    """SPW puts the lowest area at 0 and the highest at 100, linearly between.

    x = 10, 20, 40: min 10, max 40 → 100·(20−10)/30 = 33,33…; 100·(40−10)/30 = 100.
    """
    s, w = standardisiere([10, 20, 40], "spw")
    assert s.tolist() == pytest.approx([0.0, 100 / 3, 100.0])
    assert w == []


def test_spw_direction_minus_one_mirrors():
    """Direction −1 mirrors the SPW scale to 100 − SPW (lower value = more need)."""
    s, _ = standardisiere([10, 20, 40], "spw", richtung=-1)
    assert s.tolist() == pytest.approx([100.0, 200 / 3, 0.0])


@pytest.mark.parametrize("methode,neutral", [("spw", 0.0), ("z", 0.0), ("sw", 100.0), ("t", 50.0)])
def test_all_equal_values_give_neutral_value_and_warning(methode, neutral):
    """If every area has the same value, each gets the neutral value and a warning, not a division by 0."""
    s, w = standardisiere([5, 5, 5], methode, name="Quote")
    assert s.tolist() == [neutral] * 3
    assert len(w) == 1 and "Quote" in w[0].text and "denselben Wert" in w[0].text


def test_z_sw_t_worked_example_population_sd():
    """x = 2,4,4,4,5,5,7,9: mean 5, population sd 2 → z(9) = 2, SW = 120, T = 70; z(2) = −1,5."""
    x = [2, 4, 4, 4, 5, 5, 7, 9]
    z, _ = standardisiere(x, "z")
    assert z[-1] == pytest.approx(2.0) and z[0] == pytest.approx(-1.5)
    assert standardisiere(x, "sw")[0][-1] == pytest.approx(120.0)
    assert standardisiere(x, "t")[0][-1] == pytest.approx(70.0)
    assert standardisiere(x, "sw", richtung=-1)[0][-1] == pytest.approx(80.0)


def test_z_sample_sd_option():
    """ddof=1 uses the sample sd (STDEV.S): Σ(x−5)² = 32, sd = √(32/7), z(9) = 4/√(32/7)."""
    z, _ = standardisiere([2, 4, 4, 4, 5, 5, 7, 9], "z", ddof=1)
    assert z[-1] == pytest.approx(4 / math.sqrt(32 / 7))


def test_population_weighted_mean_and_sd():
    """With population weights 3 and 1, x = 1 and 3: mean 1,5, variance (3·0,25 + 1·2,25)/4 = 0,75."""
    z, _ = standardisiere([1.0, 3.0], "z", bevoelkerung=[3, 1])
    sd = math.sqrt(0.75)
    assert z.tolist() == pytest.approx([(1 - 1.5) / sd, (3 - 1.5) / sd])


def test_index100_and_direction():
    """index100 = 100·x/mean: x = 50,100,150 (mean 100) → 50,100,150; direction −1 → 150,100,50."""
    assert standardisiere([50, 100, 150], "index100")[0].tolist() == pytest.approx([50, 100, 150])
    assert standardisiere([50, 100, 150], "index100", richtung=-1)[0].tolist() == pytest.approx(
        [150, 100, 50]
    )


def test_rank_highest_value_is_one_ties_share_best_rank():
    """Rang: 1 = highest value; equal values share the better rank (3,1,3,2 → 1,4,1,3)."""
    assert standardisiere([3, 1, 3, 2], "rang")[0].tolist() == [1, 4, 1, 3]
    assert standardisiere([3, 1, 3, 2], "rang", richtung=-1)[0].tolist() == [3, 1, 3, 2]


def test_unknown_method_is_a_german_error():
    """An unknown method keyword names the allowed methods."""
    with pytest.raises(EingabeFehler, match=r"unbekannte Methode „median“.*spw, z, sw, t, index100, rang"):
        standardisiere([1, 2], "median")


@pytest.mark.parametrize("bad", [[1.0, float("nan")], [1.0, float("inf")]])
def test_nan_and_inf_are_rejected(bad):
    """NaN or infinity in an indicator is an error naming the row."""
    with pytest.raises(EingabeFehler, match=r"Nr. 2"):
        standardisiere(bad, "z", name="Quote")


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=150)
@given(
    st.lists(finite, min_size=2, max_size=40),
    st.floats(min_value=0.01, max_value=1000),
    st.floats(min_value=-1000, max_value=1000),
)
def test_z_invariant_under_positive_affine_map(xs, a, b):
    """z-scores do not change when every value is mapped x → a·x + b with a > 0."""
    x = np.array(xs)
    if np.ptp(x) < 1e-3 * (1 + np.abs(x).max()):
        return  # (near-)constant data: z is 0 by definition, ill-conditioned otherwise
    z1, _ = standardisiere(x, "z")
    z2, _ = standardisiere(a * x + b, "z")
    assert np.allclose(z1, z2, atol=1e-6)


@settings(max_examples=100)
@given(st.lists(finite, min_size=2, max_size=40), st.sampled_from(["spw", "z", "sw", "t"]))
def test_standard_values_are_monotone(xs, methode):
    """A higher indicator value never gets a lower standard value (direction +1)."""
    x = np.array(xs)
    s, _ = standardisiere(x, methode)
    order = np.argsort(x, kind="stable")
    assert np.all(np.diff(s[order]) >= -1e-9)


@settings(max_examples=100)
@given(st.lists(finite, min_size=2, max_size=40))
def test_spw_stays_between_0_and_100(xs):
    """SPW "cannot be smaller than 0 or larger than 100"."""
    s, _ = standardisiere(xs, "spw")
    assert s.min() >= 0 and s.max() <= 100 + 1e-9


# ----------------------------------------------------------------- rates and composite


def test_rate_zero_denominator_names_region_and_column():
    """Zero inhabitants under a rate indicator is an error naming the Sozialraum and the column."""
    with pytest.raises(EingabeFehler) as exc:
        raten([5, 3], [100, 0], name="Arbeitslosenquote", nenner_name="Einwohner", ids=["Nord", "Süd"])
    text = str(exc.value)
    assert "Sozialraum „Süd“" in text and "Spalte „Einwohner“" in text and "ist 0" in text


def test_composite_equal_weights_is_mean():
    """Equal-weight composite of SPW 0 and 50 is 25; of 100 and 50 is 75."""
    assert index_aus_werten([np.array([0.0, 100.0]), np.array([50.0, 50.0])]).tolist() == [25.0, 75.0]


def test_composite_weights_must_sum_to_100_percent():
    """Given weights that do not add up to 100 % are rejected with the sum found."""
    with pytest.raises(GewichtFehler, match=r"100 %") as exc:
        index_aus_werten([np.zeros(2), np.zeros(2)], [0.5, 0.6], ["A", "B"])
    assert "110,0 %" in str(exc.value)
    with pytest.raises(GewichtFehler, match=r"Gewicht fehlt"):
        index_aus_werten([np.zeros(2), np.zeros(2)], [0.5, None], ["A", "B"])


@settings(max_examples=100)
@given(
    st.integers(2, 6).flatmap(
        lambda k: st.lists(st.lists(st.floats(0, 100), min_size=5, max_size=5), min_size=k, max_size=k)
    )
)
def test_equal_weight_composite_equals_mean_of_standard_values(columns):
    """The equal-weight composite is exactly the arithmetic mean of the standard values."""
    arrays = [np.array(c) for c in columns]
    assert np.allclose(index_aus_werten(arrays), np.mean(arrays, axis=0))


def test_weighted_composite_worked_example():
    """Weights 75 %/25 % of SPW 100 and 0 give 75."""
    assert index_aus_werten([np.array([100.0]), np.array([0.0])], [0.75, 0.25]).tolist() == [75.0]


REGIONEN = [
    {"Sozialraum": "Nord", "Einwohner": 10000, "Jugendeinwohner": 2000, "Arbeitslose": 400, "HLU": 150},
    {"Sozialraum": "Mitte", "Einwohner": 20000, "Jugendeinwohner": 3000, "Arbeitslose": 1200, "HLU": 300},
    {"Sozialraum": "Süd", "Einwohner": 10000, "Jugendeinwohner": 2500, "Arbeitslose": 300, "HLU": 500},
]


def test_bewerte_rates_and_composite_worked_example():
    """Arbeitslosenquote 4 %, 6 %, 3 % → SPW 33,3/100/0; HLU-Quote 7,5 %, 10 %, 20 % → SPW 0/20/100;
    composite = mean → 16,67 / 60 / 50."""
    b = bewerte(
        REGIONEN, [Indicator("ALQ", "Arbeitslose", "Einwohner"), Indicator("HLU", "HLU", "Jugendeinwohner")]
    )
    assert b.werte["ALQ"].tolist() == pytest.approx([0.04, 0.06, 0.03])
    assert b.standardwerte["HLU"].tolist() == pytest.approx([0.0, 20.0, 100.0])
    assert b.index.tolist() == pytest.approx([(100 / 3) / 2, 60.0, 50.0])
    table = b.tabelle()
    assert list(table.columns) == [
        "Sozialraum",
        "ALQ (Wert)",
        "ALQ (SPW)",
        "HLU (Wert)",
        "HLU (SPW)",
        "Index",
    ]


def test_duplicate_region_ids_are_rejected():
    """Two rows with the same Sozialraum are an error naming it."""
    rows = [*REGIONEN, dict(REGIONEN[0])]
    with pytest.raises(DatenFehler, match=r"Sozialraum „Nord“.*doppelt"):
        bewerte(rows, [Indicator("ALQ", "Arbeitslose", "Einwohner")])


def test_missing_column_names_it():
    """A missing input column is named in the error."""
    with pytest.raises(DatenFehler, match=r"Spalte „Fläche \(ha\)“: Spalte fehlt"):
        bewerte(REGIONEN, [Indicator("Dichte", "Einwohner", "Fläche (ha)")])


def test_non_numeric_and_negative_population_are_rejected():
    """Text in a number column and negative inhabitants are errors naming region and column."""
    rows = [dict(r) for r in REGIONEN]
    rows[1]["Arbeitslose"] = "viele"
    with pytest.raises(EingabeFehler) as exc:
        bewerte(rows, [Indicator("ALQ", "Arbeitslose", "Einwohner")])
    assert "Mitte" in str(exc.value) and "Arbeitslose" in str(exc.value)
    rows = [dict(r) for r in REGIONEN]
    rows[2]["Einwohner"] = -5
    with pytest.raises(EingabeFehler, match=r"Sozialraum „Süd“.*Spalte „Einwohner“.*negativ"):
        bewerte(rows, [Indicator("ALQ", "Arbeitslose", "Einwohner")])


def test_every_input_error_is_a_sozbudget_error():
    """Bad input never escapes as a plain Python exception."""
    for bad in ([{"Sozialraum": "A", "x": None}], [{"Sozialraum": None, "x": 1}], []):
        with pytest.raises(SozbudgetError):
            bewerte(bad, [Indicator("x", "x")])


def test_five_indicator_preset():
    """The five indicators of §2.4: density per ha Siedlungs- und Verkehrsfläche, HLU recipients and
    unemployed as counts (the report's reading), HzE and ambulant HzE per young inhabitant."""
    inds = fuenf_indikatoren()
    assert [i.nenner for i in inds] == [
        "Siedlungs- und Verkehrsfläche (ha)",
        None,
        None,
        "Jugendeinwohner",
        "Jugendeinwohner",
    ]
    quoten = fuenf_indikatoren(hlu_als_anzahl=False, arbeitslose_als_anzahl=False)
    assert [i.nenner for i in quoten][1:3] == ["Minderjährige", "Einwohner"]
    rows = [
        {
            "Sozialraum": s,
            "Einwohner": e,
            FLAECHE: f,
            "Minderjährige": m,
            "HLU-Empfänger unter 18": h,
            "Arbeitslose": a,
            "Jugendeinwohner": j,
            "Bruttoaufwand HzE": z,
            "Bruttoaufwand ambulante HzE": za,
        }
        for s, e, f, m, h, a, j, z, za in [
            ("A", 10000, 200, 1800, 180, 500, 2100, 1_050_000, 420_000),
            ("B", 12000, 600, 2000, 100, 360, 2400, 600_000, 300_000),
            ("C", 8000, 100, 1600, 320, 640, 1900, 1_330_000, 475_000),
        ]
    ]
    b = bewerte(rows, inds)
    # C has the highest value of every indicator (density A 50, B 20, C 80/ha; 320 HLU; 640 unemployed)
    assert b.index.tolist()[2] == pytest.approx(100.0)
    assert b.index.tolist()[1] == pytest.approx(0.0)


def _zwei_raeume() -> list[dict]:
    """X: 400 of 4.000 minors on HLU, 1.000 of 20.000 unemployed; Y: 200 of 1.000, 500 of 5.000;
    density (50/ha), HzE (500 €) and ambulant HzE (200 €) per young inhabitant are equal."""
    return [
        {"Sozialraum": "X", "Einwohner": 20000, FLAECHE: 400, "Minderjährige": 4000,
         "HLU-Empfänger unter 18": 400, "Arbeitslose": 1000, "Jugendeinwohner": 4000,
         "Bruttoaufwand HzE": 2_000_000, "Bruttoaufwand ambulante HzE": 800_000},
        {"Sozialraum": "Y", "Einwohner": 5000, FLAECHE: 100, "Minderjährige": 1000,
         "HLU-Empfänger unter 18": 200, "Arbeitslose": 500, "Jugendeinwohner": 1000,
         "Bruttoaufwand HzE": 500_000, "Bruttoaufwand ambulante HzE": 200_000},
    ]  # fmt: skip


def test_five_indicators_count_by_default_as_the_report_says():
    """§6.2 „Weitergehende Indikatorensysteme können die Zahl der Einwohner pro ha Siedlungs- und
    Verkehrsfläche, die Zahl der minderjährigen Empfänger von Hilfe zum Lebensunterhalt und die Zahl
    der Arbeitslosen … auswählen. Diese fünf Werte werden … einzeln dem Punkt-Standard-Verfahren
    unterzogen und anschließend gleichgewichtig berücksichtigt.“

    Counts: HLU 400 > 200 and unemployed 1.000 > 500 → X gets SPW 100 in both, the other three are
    equal (SPW 0) → X (0 + 100 + 100 + 0 + 0)/5 = 40, Y 0. As rates (option) the order flips:
    HLU 10 % < 20 %, unemployed 5 % < 10 % → X 0, Y 40."""
    anzahl = bewerte(_zwei_raeume(), fuenf_indikatoren())
    assert anzahl.index.tolist() == pytest.approx([40.0, 0.0])
    quote = bewerte(_zwei_raeume(), fuenf_indikatoren(hlu_als_anzahl=False, arbeitslose_als_anzahl=False))
    assert quote.index.tolist() == pytest.approx([0.0, 40.0])


def test_five_indicator_labels():
    """Label „Siedlungs- und Verkehrsfläche (ha)“; unemployed per inhabitant is not called an „ALQ“
    or a Quote (an Arbeitslosenquote relates to the labour force, not to all inhabitants)."""
    assert FLAECHE == "Siedlungs- und Verkehrsfläche (ha)"
    for inds in (fuenf_indikatoren(), fuenf_indikatoren(hlu_als_anzahl=False, arbeitslose_als_anzahl=False)):
        assert inds[0].name == "Einwohner je ha Siedlungs- und Verkehrsfläche"
        assert not any("ALQ" in i.name or "quote" in i.name.lower() for i in inds)
    assert fuenf_indikatoren(arbeitslose_als_anzahl=False)[2].name == "Arbeitslose je Einwohner"
    from sozbudget_xl import beispieldaten, demo

    assert FLAECHE in beispieldaten.SPALTEN
    assert "ALQ" not in demo.bericht()


# ----------------------------------------------------------------- classes


def test_berlin_class_boundaries():
    """Berlin status classes: < −1 hoch, −1 … +1 mittel, > +1 … 1,5 niedrig, > 1,5 sehr niedrig."""
    values = [-1.0001, -1.0, 0.0, 1.0, 1.0001, 1.5, 1.5001]
    assert klassifiziere(values, BERLIN_STATUS_KLASSEN) == [
        "hoch",
        "mittel",
        "mittel",
        "mittel",
        "niedrig",
        "niedrig",
        "sehr niedrig",
    ]


def test_quantile_classes():
    """Quantile classes at 50 %: the lower half (boundary included) is class „unten“."""
    schema = Klassenschema(grenzen=(0.5,), labels=("unten", "oben"), art="quantil")
    assert klassifiziere([1, 2, 3, 4, 5], schema) == ["unten", "unten", "unten", "oben", "oben"]


def test_sd_classes():
    """sd classes: boundaries mean ± 1 sd; x = 2,4,4,4,5,5,7,9 (mean 5, sd 2) → cuts 3 and 7."""
    schema = Klassenschema(grenzen=(-1.0, 1.0), labels=("niedrig", "mittel", "hoch"), art="sd")
    assert klassifiziere([2, 4, 4, 4, 5, 5, 7, 9], schema) == [
        "niedrig",
        "mittel",
        "mittel",
        "mittel",
        "mittel",
        "mittel",
        "mittel",
        "hoch",
    ]


def test_class_scheme_validation():
    """A class scheme needs one label more than boundaries, ascending."""
    with pytest.raises(EingabeFehler, match=r"eine Bezeichnung mehr"):
        Klassenschema(grenzen=(1.0,), labels=("a",))
    with pytest.raises(EingabeFehler, match=r"aufsteigend"):
        Klassenschema(grenzen=(2.0, 1.0), labels=("a", "b", "c"))


# ----------------------------------------------------------------- JEI, JEW and keys


def test_jugend_einwohner_index():
    """JEI = Jugendeinwohner / Einwohner: 2000/10000 = 0,2; 3000/20000 = 0,15; 2500/10000 = 0,25
    → SPW 50/0/100."""
    jei, s, _ = jugend_einwohner_index([2000, 3000, 2500], [10000, 20000, 10000])
    assert jei.tolist() == pytest.approx([0.2, 0.15, 0.25])
    assert s.tolist() == pytest.approx([50.0, 0.0, 100.0])
    with pytest.raises(EingabeFehler, match=r"mehr Jugendeinwohner als Einwohner"):
        jugend_einwohner_index([2000], [1000], ids=["X"])


def test_jugendeinwohnerwert():
    """JEW = N·(1 + SPW/100): 1000 young inhabitants with SPW 50 weigh 1500."""
    assert jugendeinwohnerwert([1000, 1000, 400], [0, 50, 100]).tolist() == [1000.0, 1500.0, 800.0]


def test_jew_key_budget_worked_example():
    """Key jew: ALQ SPW 33,33/100/0 → JEW 2000·1,3333 = 2666,67; 3000·2 = 6000; 2500·1 = 2500;
    Σ 11166,67 → shares 0,238806 / 0,537313 / 0,223881 → 100.000 € = 23.880,60 / 53.731,34 / 22.388,06."""
    budgets = verteile_nach_index(
        "100000", REGIONEN, [Indicator("ALQ", "Arbeitslose", "Einwohner")], zielgruppe="Jugendeinwohner"
    )
    assert sum(budgets.values()) == Decimal("100000.00")
    assert budgets == {"Nord": Decimal("23880.60"), "Mitte": Decimal("53731.34"), "Süd": Decimal("22388.06")}


def test_kopf_key_is_pure_head_count():
    """Key kopf: 2000 : 3000 : 2500 young inhabitants → 1.000 € = 266,67 / 400,00 / 333,33."""
    budgets = verteile_nach_index("1000", REGIONEN, schluessel="kopf", zielgruppe="Jugendeinwohner")
    assert budgets == {"Nord": Decimal("266.67"), "Mitte": Decimal("400.00"), "Süd": Decimal("333.33")}


def test_basis_faktor_key_with_standardwert_and_clipping():
    """basis_faktor: Basis 1 × Faktor = Standardwert/100; with method z the factor of the lowest
    area is negative → clipped to 0 with a warning."""
    warn: list = []
    budgets = verteile_nach_index(
        "900",
        REGIONEN,
        [Indicator("ALQ", "Arbeitslose", "Einwohner")],
        schluessel="basis_faktor",
        methode="z",
        warnungen=warn,
    )
    assert budgets["Süd"] == Decimal("0.00")
    assert sum(budgets.values()) == Decimal("900.00")
    assert any(w.code == "gewicht_negativ" and w.sozialraum == "Süd" for w in warn)
    budgets = verteile_nach_index(
        "900",
        REGIONEN,
        [Indicator("ALQ", "Arbeitslose", "Einwohner")],
        schluessel="basis_faktor",
        methode="sw",
        basis="Jugendeinwohner",
    )
    assert sum(budgets.values()) == Decimal("900.00")


def test_sub_indices_weighted_sum_of_shares():
    """Two sub-indices at 50 %: head count shares 2000/3000/2500 of 7500 and HLU-weighted
    JEW shares; the area's weight is the weighted sum of its sub-index shares."""
    subs = [
        Teilindex("Jugend", "Jugendeinwohner", None, 0.5),
        Teilindex("HLU", "HLU", Indicator("HLU-Quote", "HLU", "Jugendeinwohner"), 0.5),
    ]
    _, w, _ = schluessel_gewichte(REGIONEN, teilindizes=subs)
    # HLU SPW 0/20/100 → JEW 150, 360, 1000; Σ 1510
    expected = [
        0.5 * 2000 / 7500 + 0.5 * 150 / 1510,
        0.5 * 3000 / 7500 + 0.5 * 360 / 1510,
        0.5 * 2500 / 7500 + 0.5 * 1000 / 1510,
    ]
    assert w.tolist() == pytest.approx(expected, abs=1e-6)
    with pytest.raises(GewichtFehler, match=r"Teilindizes.*100 %"):
        schluessel_gewichte(REGIONEN, teilindizes=[Teilindex("a", "HLU", None, 0.3)])


def test_rangfolge_highest_need_first():
    """rangfolge lists areas by composite, highest first."""
    order = rangfolge(REGIONEN, [Indicator("ALQ", "Arbeitslose", "Einwohner")])
    assert [r for r, _ in order] == ["Mitte", "Nord", "Süd"]


def test_all_zero_target_group_cannot_be_allocated():
    """All weights zero is an error, not a division by zero."""
    rows = [{"Sozialraum": "A", "N": 0}, {"Sozialraum": "B", "N": 0}]
    with pytest.raises(GewichtFehler, match=r"alle Gewichte sind 0"):
        verteile_nach_index("100", rows, schluessel="kopf", zielgruppe="N")


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 50_000), st.floats(0, 50)), min_size=1, max_size=60),
    st.integers(1, 10**11),
    st.sampled_from(["spw", "z", "sw", "t", "index100", "rang"]),
)
def test_index_budget_sums_exactly(rows, cents, methode):
    """Any key and method: the budgets per area add up to the total to the cent, none negative."""
    regionen = [{"Sozialraum": f"R{i}", "N": n, "x": x} for i, (n, x) in enumerate(rows)]
    total = Decimal(cents) / 100
    budgets = verteile_nach_index(total, regionen, [Indicator("x", "x")], zielgruppe="N", methode=methode)
    assert sum(budgets.values()) == total
    assert min(budgets.values()) >= 0


# ----------------------------------------------------------------- pandas layer


def test_dataframe_api_german_columns():
    """The DataFrame API returns German column names and keeps warnings in attrs."""
    df = pd.DataFrame(REGIONEN)
    out = bewerte_df(df, [Indicator("ALQ", "Arbeitslose", "Einwohner")], methode="sw")
    assert "ALQ (Standardwert)" in out.columns and "Index" in out.columns
    budget = budget_df("1000", df, schluessel="kopf", zielgruppe="Jugendeinwohner")
    assert list(budget.columns) == ["Sozialraum", "Gewicht", "Anteil", "Budget"]
    assert sum(budget["Budget"]) == Decimal("1000.00")
    assert budget["Anteil"].sum() == pytest.approx(1.0)
