"""Transition from the status quo to the index target: linear path, cap, common fund (spec §2.6)."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sozbudget_xl.errors import EingabeFehler, GewichtFehler
from sozbudget_xl.transition import uebergang

D = Decimal
SQ = {"A": "600.00", "B": "300.00", "C": "100.00"}
EQUAL = {"A": 1, "B": 1, "C": 1}


def test_linear_path_worked_example():
    """Two years from 600/400 to 500/500: share_t = share_0 + (target − share_0)·t/2 → 550/450, 500/500."""
    u = uebergang({"A": "600", "B": "400"}, {"A": 1, "B": 1}, jahre=2)
    assert u.budget(1) == {"A": D("550.00"), "B": D("450.00")}
    assert u.budget(2) == {"A": D("500.00"), "B": D("500.00")}
    assert u.ziel == {"A": D("500.00"), "B": D("500.00")}
    assert u.warnungen == ()


def test_linear_path_three_regions_exact_cents():
    """600/300/100 → 333,33 each over 3 years: year 1 = 511,11/311,11/177,78 (sum exactly 1.000)."""
    u = uebergang(SQ, EQUAL, jahre=3)
    assert u.budget(1) == {"A": D("511.11"), "B": D("311.11"), "C": D("177.78")}
    assert u.budget(3) == u.ziel == {"A": D("333.34"), "B": D("333.33"), "C": D("333.33")}


def test_rows_list_status_quo_target_amount_and_delta():
    """Each row has Sozialraum, Jahr, Status quo, Ziel, Übergangsbetrag, Veränderung, Abstand zum Ziel."""
    rows = uebergang({"A": "600", "B": "400"}, {"A": 1, "B": 1}, jahre=2).zeilen
    assert rows[0] == {
        "Sozialraum": "A",
        "Jahr": 1,
        "Status quo": D("600.00"),
        "Ziel": D("500.00"),
        "Übergangsbetrag": D("550.00"),
        "Veränderung": D("-50.00"),
        "Abstand zum Ziel": D("-50.00"),
    }
    assert len(rows) == 4


def test_cap_worked_example():
    """Cap 10 %: C may rise at most to 110, B to 330; A can only give what the others can take
    (1.000 − 330 − 110 = 560) — the target is not reached in 1 year, with a warning."""
    u = uebergang(SQ, EQUAL, jahre=1, kappung="0.10")
    assert u.budget(1) == {"A": D("560.00"), "B": D("330.00"), "C": D("110.00")}
    assert [w.code for w in u.warnungen] == ["ziel_nicht_erreicht"]


def test_cap_redistributes_over_uncapped_regions_by_target_key():
    """Cap 50 %: C is capped at 150; B may rise only up to its target 333,33 (issue 11: no region
    passes its target — before, the 850 € went 1:1 and B got 425 > 333,33), so A keeps
    1.000 − 150 − 333,33 = 516,67 (moving down, still above its target 333,34)."""
    u = uebergang(SQ, EQUAL, kappung="0.5")
    assert u.budget(1) == {"A": D("516.67"), "B": D("333.33"), "C": D("150.00")}
    assert u.ziel["B"] == D("333.33")


def test_common_fund_worked_example():
    """Fund 10 %: A, B, C pay 60, 30, 10 = 100 € into the fund, shared 1:1:1 → 33,34/33,33/33,33;
    budgets 540 + 33,34 = 573,34; 270 + 33,33 = 303,33; 90 + 33,33 = 123,33."""
    u = uebergang(SQ, EQUAL, fonds="0.1")
    assert u.budget(1) == {"A": D("573.34"), "B": D("303.33"), "C": D("123.33")}


def test_new_total_is_distributed():
    """A new total (1.100 €) is reached in the last year: target = 1.100 split 1:1."""
    u = uebergang({"A": "600", "B": "400"}, {"A": 1, "B": 1}, jahre=2, gesamt="1100")
    assert sum(u.budget(1).values()) == D("1100.00")
    assert u.budget(2) == {"A": D("550.00"), "B": D("550.00")}


def test_cap_too_tight_for_new_total_is_an_error():
    """A total that grows by more than the cap cannot be reached: a German error naming the field."""
    with pytest.raises(EingabeFehler, match=r"Kappungsgrenze.*zu eng"):
        uebergang(SQ, EQUAL, kappung="0.01", gesamt="2000")


@pytest.mark.parametrize(
    "kwargs,error,pattern",
    [
        (
            {"status_quo": {"A": "-5", "B": "1"}, "ziel_gewichte": {"A": 1, "B": 1}},
            EingabeFehler,
            "Sozialraum „A“",
        ),
        (
            {"status_quo": {"A": "5", "B": "1"}, "ziel_gewichte": {"A": 1, "C": 1}},
            EingabeFehler,
            "verschiedene",
        ),
        ({"status_quo": {"A": "5", "B": "1"}, "ziel_gewichte": {"A": -1, "B": 1}}, GewichtFehler, "negativ"),
        ({"status_quo": {"A": "5", "B": "1"}, "ziel_gewichte": {"A": 0, "B": 0}}, GewichtFehler, "alle"),
        (
            {"status_quo": {"A": "5", "B": "1"}, "ziel_gewichte": {"A": 1, "B": 1}, "kappung": "1.5"},
            EingabeFehler,
            "0 bis 100 %",
        ),
        (
            {"status_quo": {"A": "5", "B": "1"}, "ziel_gewichte": {"A": 1, "B": 1}, "jahre": 0},
            EingabeFehler,
            "Jahre",
        ),
    ],
)
def test_bad_input(kwargs, error, pattern):
    """Bad transition input is a German error naming the region or field."""
    with pytest.raises(error, match=pattern):
        uebergang(**kwargs)


regions = st.lists(st.tuples(st.integers(0, 10**8), st.integers(0, 1000)), min_size=1, max_size=25)


@settings(max_examples=150, deadline=None)
@given(regions, st.integers(1, 5), st.integers(1, 50))
def test_cap_never_exceeded_and_total_kept(rows, jahre, cap_percent):
    """Under a cap no region moves by more than the cap per year, and every year keeps the total."""
    sq = {f"R{i}": D(c) / 100 for i, (c, _) in enumerate(rows)}
    w = {f"R{i}": g for i, (_, g) in enumerate(rows)}
    assume(sum(sq.values()) > 0 and sum(w.values()) > 0)
    cap = D(cap_percent) / 100
    u = uebergang(sq, w, jahre=jahre, kappung=cap)
    prev = u.budget(0)
    for t in range(1, jahre + 1):
        cur = u.budget(t)
        assert sum(cur.values()) == sum(sq.values())
        for r in cur:
            assert abs(cur[r] - prev[r]) <= prev[r] * cap
        prev = cur


@settings(max_examples=150, deadline=None)
@given(regions, st.integers(1, 6))
def test_linear_path_reaches_target_and_keeps_total(rows, jahre):
    """Without a cap, every year keeps the total and the last year equals the target."""
    sq = {f"R{i}": D(c) / 100 for i, (c, _) in enumerate(rows)}
    w = {f"R{i}": g for i, (_, g) in enumerate(rows)}
    assume(sum(w.values()) > 0)
    u = uebergang(sq, w, jahre=jahre)
    for t in range(1, jahre + 1):
        assert sum(u.budget(t).values()) == sum(sq.values())
    assert u.budget(jahre) == u.ziel


@settings(max_examples=100, deadline=None)
@given(regions, st.integers(0, 100))
def test_fund_keeps_total_and_everyone_keeps_the_rest(rows, f_percent):
    """With a common fund every region keeps at least (1 − f) of its status quo, the total is kept."""
    sq = {f"R{i}": D(c) / 100 for i, (c, _) in enumerate(rows)}
    w = {f"R{i}": g for i, (_, g) in enumerate(rows)}
    assume(sum(sq.values()) > 0 and sum(w.values()) > 0)
    f = D(f_percent) / 100
    year = uebergang(sq, w, fonds=f).budget(1)
    assert sum(year.values()) == sum(sq.values())
    for r in year:
        assert year[r] >= (sq[r] * (1 - f)).quantize(D("0.01")) - D("0.01")


# ----------------------------------------------------------------------------- issue 11: no overshoot


def _demo_uebergang():
    """The demo's transition (3 years, cap 5 %) with the five indicators as rates, as in issue 11."""
    from sozbudget_xl import beispieldaten as bsp
    from sozbudget_xl.indicators import fuenf_indikatoren, schluessel_gewichte

    inds = fuenf_indikatoren(hlu_als_anzahl=False, arbeitslose_als_anzahl=False)
    ids, gewichte, _ = schluessel_gewichte(bsp.SOZIALRAEUME, inds, zielgruppe="Jugendeinwohner")
    return uebergang(bsp.STATUS_QUO, dict(zip(ids, gewichte)), jahre=3, kappung="0.05")


def test_altstadt_does_not_overshoot_its_target():
    """§6.2 „geeignete Übergangsberechnungen bis zur Erreichung einer akzeptierten und realitätsnahen
    Verteilungsgerechtigkeit“: Altstadt falls 420.000 → 404.084,89 → 386.999,81 € and would reach
    369.434,63 € in year 3, below its target 372.668,39 € (to climb back later). Now it stops at the
    target: year 3 = 372.668,39 €; the 3.233,76 € it keeps are missing from the regions still
    rising (Nordviertel 639.581,37 €, Westend 371.710,24 € instead of 641.626,53 / 372.898,84 €),
    which stay below their targets. Total 2.400.000,00 € every year."""
    u = _demo_uebergang()
    assert [u.budget(t)["Altstadt"] for t in (1, 2, 3)] == [D("404084.89"), D("386999.81"), D("372668.39")]
    assert u.ziel["Altstadt"] == D("372668.39")
    assert (u.budget(3)["Nordviertel"], u.budget(3)["Westend"]) == (D("639581.37"), D("371710.24"))
    assert all(sum(u.budget(t).values()) == D("2400000.00") for t in (1, 2, 3))


def _monoton_zum_ziel(u) -> None:
    """Every region's path from the status quo is monotone and stays between it and the target."""
    for r in u.regionen:
        pfad = [u.budget(t)[r] for t in range(u.jahre + 1)]
        a, z = u.status_quo[r], u.ziel[r]
        assert all(min(a, z) <= x <= max(a, z) for x in pfad), (r, pfad, z)
        schritte = [y - x for x, y in itertools.pairwise(pfad)]
        assert all(d >= 0 for d in schritte) or all(d <= 0 for d in schritte), (r, pfad)


_BETRAEGE = st.integers(1_000_00, 900_000_00).map(lambda c: D(c) / 100)


@settings(max_examples=150, deadline=None)
@given(
    sq=st.lists(_BETRAEGE, min_size=2, max_size=6),
    data=st.data(),
    jahre=st.integers(1, 5),
    kappung=st.sampled_from(["0.01", "0.03", "0.05", "0.1", "0.25", "0.5"]),
)
def test_property_capped_paths_are_monotone_and_never_overshoot(sq, data, jahre, kappung):
    """Under any cap every path is monotone, never passes its target, and keeps the total exactly."""
    regionen = [f"R{i}" for i in range(len(sq))]
    gewichte = data.draw(st.lists(st.integers(0, 1000), min_size=len(sq), max_size=len(sq)))
    assume(sum(gewichte) > 0)
    u = uebergang(dict(zip(regionen, sq)), dict(zip(regionen, gewichte)), jahre=jahre, kappung=kappung)
    _monoton_zum_ziel(u)
    assert all(sum(u.budget(t).values()) == sum(sq) for t in range(1, jahre + 1))


@settings(max_examples=150, deadline=None)
@given(sq=st.lists(_BETRAEGE, min_size=2, max_size=6), data=st.data(), jahre=st.integers(1, 6))
def test_property_linear_paths_are_monotone(sq, data, jahre):
    """Without a cap the linear path is monotone to the cent and ends at the target."""
    regionen = [f"R{i}" for i in range(len(sq))]
    gewichte = data.draw(st.lists(st.integers(0, 1000), min_size=len(sq), max_size=len(sq)))
    assume(sum(gewichte) > 0)
    u = uebergang(dict(zip(regionen, sq)), dict(zip(regionen, gewichte)), jahre=jahre)
    _monoton_zum_ziel(u)
    assert u.budget(jahre) == u.ziel
