"""The vectorised allocation paths (issue 15, item 4) give exactly the parts of the slow exact rule.

Lists of ints, floats and Decimals and numpy arrays of any float take vectorised paths: exact int64
arithmetic, or float quotas settled exactly wherever a float could err (floors near an integer, the
band of remainders around the cut). The reference is the previous implementation, kept here
verbatim in spirit: every weight as an exact Fraction (floats via their shortest decimal), one common
integer scale, ``divmod`` per part, the leftover cents by ``heapq`` on (remainder, weight, position).
The inputs below aim at the places where floats could decide wrongly: exact ties between different
weights, near-ties a float cannot see, quotas that are whole numbers, equal floats of different
Decimals, ints beyond 2**53.
"""

from __future__ import annotations

import heapq
import math
import random
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sozbudget_xl import money
from sozbudget_xl.errors import GewichtFehler
from sozbudget_xl.money import allocate, allocate_cents

MAX_CENTS = 10**11


def genau(w) -> Fraction:
    """A weight as the spec reads it: floats via their shortest decimal (``repr``), all else exactly."""
    if isinstance(w, np.generic):
        w = w.item()
    return Fraction(repr(w)) if isinstance(w, float) else Fraction(w)


def alte_verteilung(total: int, weights) -> list[int]:
    """The previous exact implementation: common integer scale, divmod, heapq for the leftover."""
    fracs = [genau(w) for w in weights]
    common = math.lcm(*(f.denominator for f in fracs))
    ints = [f.numerator * (common // f.denominator) for f in fracs]
    total_weight = sum(ints)
    parts, rests = [], []
    for w in ints:
        q, r = divmod(total * w, total_weight)
        parts.append(q)
        rests.append(r)
    leftover = total - sum(parts)
    for i in heapq.nsmallest(leftover, range(len(ints)), key=lambda i: (-rests[i], -ints[i], i)):
        parts[i] += 1
    return parts


def alle_formen(total: int, weights: list) -> list[list[int]]:
    """The parts for the list, the numpy array of the same values and (for floats) their Decimals."""
    ergebnisse = [allocate_cents(total, weights)]
    if all(isinstance(w, float) for w in weights):
        ergebnisse.append(allocate_cents(total, np.array(weights, dtype=np.float64)).tolist())
        ergebnisse.append(allocate_cents(total, [Decimal(repr(w)) for w in weights]))
    for e in ergebnisse:
        assert all(type(p) is int for p in e)
    return ergebnisse


def pruefe(total: int, weights: list) -> None:
    erwartet = alte_verteilung(total, weights)
    for ergebnis in alle_formen(total, weights):
        assert ergebnis == erwartet


# --------------------------------------------------------------------------- strategies

siebzehn_stellen = st.floats(min_value=1e-6, max_value=1e9, allow_nan=False, allow_infinity=False)


@st.composite
def gewichte_mit_gleichstaenden(draw: st.DrawFn) -> list[float]:
    """Few distinct float values, their next floats up and down, zeros, repeated and shuffled."""
    basis = draw(st.lists(siebzehn_stellen, min_size=1, max_size=4))
    nachbarn = [float(np.nextafter(b, np.inf)) for b in basis] + [float(np.nextafter(b, 0)) for b in basis]
    vorrat = basis + draw(st.sampled_from([[], nachbarn])) + draw(st.sampled_from([[], [0.0]]))
    n = draw(st.integers(min_value=1, max_value=60))
    rnd = random.Random(draw(st.integers(0, 2**32)))
    werte = [rnd.choice(vorrat) for _ in range(n)]
    assume(any(werte))
    return werte


# --------------------------------------------------------------------------- property tests


@settings(max_examples=300, deadline=None)
@given(st.integers(0, MAX_CENTS), st.lists(siebzehn_stellen, min_size=1, max_size=40))
def test_floats_mit_17_stellen_wie_die_alte_exakte_verteilung(total, weights):
    """Floats of any precision as list, numpy array and as the Decimals of their shortest repr: the
    parts of the old exact rule."""
    pruefe(total, weights)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, MAX_CENTS), gewichte_mit_gleichstaenden())
def test_gleichstaende_und_fast_gleichstaende_wie_die_alte_verteilung(total, weights):
    """Equal floats (exact ties, decided by position), floats one ulp apart (near-ties no float
    quota resolves) and zeros: the parts of the old exact rule."""
    pruefe(total, weights)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 50), min_size=2, max_size=30), st.integers(1, 10**4), st.integers(0, 70))
def test_ganze_quoten_und_gleiche_reste_bei_grossen_ganzzahlen(kleine, faktor, shift):
    """Ints beyond 2**62 (float path): totals that are multiples of the weight sum make every quota a
    whole number, other totals give equal remainders for different weights."""
    weights = [k << shift for k in kleine] if shift else kleine
    weights = [w * 2**60 + (w % 3) for w in weights]  # beyond the exact int64 path
    for total in (sum(kleine) * faktor, faktor, sum(kleine) * faktor + 1):
        assert allocate_cents(total, weights) == alte_verteilung(total, weights)
        assert allocate_cents(total, np.array(weights, dtype=object)).tolist() == alte_verteilung(
            total, weights
        )


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, MAX_CENTS),
    st.lists(
        st.decimals(min_value=0, max_value=10**6, places=22, allow_nan=False, allow_infinity=False),
        min_size=1,
        max_size=30,
    ),
)
def test_decimals_mit_mehr_stellen_als_ein_float_haelt(total, weights):
    """Decimals with 22 places (several round to the same float): exact as the old rule."""
    assume(any(weights))
    assert allocate_cents(total, weights) == alte_verteilung(total, weights)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(0, MAX_CENTS),
    st.lists(st.integers(0, 10**6), min_size=1, max_size=40),
    st.lists(siebzehn_stellen, min_size=1, max_size=10),
)
def test_gemischte_listen_aus_ints_und_floats(total, ints, floats):
    """A list mixing ints and floats (numpy reads it as one float array) keeps the exact reading."""
    weights = ints + floats
    random.Random(total).shuffle(weights)
    assert allocate_cents(total, weights) == alte_verteilung(total, weights)


# --------------------------------------------------------------------------- adversarial examples


def test_decimals_mit_gleichem_float_werden_exakt_unterschieden():
    """Decimal('1') and Decimal('1.00000000000000000001') are the same float; the larger weight wins
    the tie of the remainders, though it stands later."""
    weights = [Decimal("1"), Decimal("1.00000000000000000001")]
    assert allocate_cents(1, weights) == alte_verteilung(1, weights) == [0, 1]
    weights = [Decimal("1.00000000000000000001"), Decimal("1")] * 3
    assert allocate_cents(1001, weights) == alte_verteilung(1001, weights)


def test_zehntausend_gleiche_lange_floats_gehen_nach_der_position():
    """10.000 equal 17-digit floats (0.1 + 0.2): 100 cents more than parts of ten thousand go to the
    first 100 positions."""
    w = 0.1 + 0.2
    total = 10_000 * 7 + 100
    teile = allocate_cents(total, [w] * 10_000)
    assert teile == [8] * 100 + [7] * 9_900
    assert allocate_cents(total, np.full(10_000, w)).tolist() == teile


def test_gleiche_reste_verschiedener_gewichte_groesseres_gewicht_zuerst():
    """100 cents by 1 : 4 : 1 (×0.30000000000000004, a 17-digit float): quotas 16⅔, 66⅔, 16⅔ —
    all remainders ⅔, the largest weight first, then position."""
    w = 0.1 + 0.2
    weights = [w, 4 * w, w]
    assert allocate_cents(100, weights) == alte_verteilung(100, weights) == [17, 67, 16]


def test_ganze_quoten_aus_langen_floats():
    """Weights whose exact quotas are whole numbers although the floats are long decimals."""
    weights = [0.1 + 0.2, 0.30000000000000004 * 2, 0.30000000000000004 * 3]
    pruefe(600, weights)


@pytest.mark.parametrize("n", [1, 2, 3, 1000])
def test_tausend_zufaellige_faelle_je_groesse(n):
    """Seeded random cases of several shapes (17-digit floats, their products with ints, zeros)."""
    rng = np.random.default_rng(n)
    for _ in range(max(1, 2000 // n)):
        x = rng.random(n) * 10.0 ** rng.integers(-5, 8)
        x[rng.random(n) < 0.1] = 0.0
        if not x.any():
            continue
        total = int(rng.integers(0, MAX_CENTS))
        weights = x.tolist()
        assert allocate_cents(total, weights) == alte_verteilung(total, weights)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32), st.integers(1, MAX_CENTS), st.sampled_from([2, 5, 50]))
def test_viele_teile_aus_wenigen_werten_und_ihren_nachbarn(seed, total, verschiedene):
    """5.000 parts drawn from a few 17-digit floats, their neighbours one ulp away and zeros: wide
    bands of equal and nearly equal remainders around the cut, settled like the old exact rule."""
    rng = np.random.default_rng(seed)
    basis = rng.random(verschiedene) * 10.0 ** rng.integers(-3, 6)
    vorrat = np.concatenate([basis, np.nextafter(basis, np.inf), np.nextafter(basis, 0), [0.0]])
    weights = rng.choice(vorrat, size=5_000).tolist()
    assume(any(weights))
    erwartet = alte_verteilung(total, weights)
    assert allocate_cents(total, weights) == erwartet
    assert allocate_cents(total, np.array(weights)).tolist() == erwartet


@pytest.mark.parametrize(
    "weights",
    [
        [Decimal("1E-400"), Decimal(1)],  # too small for a float: not read as 0
        [Decimal("1E+400"), Decimal(1)],  # too large for a float
        [0, Decimal("0.5")],
        [1.5, np.float32(0.1)],  # float32 read as its float64 value, as to_decimal does
        [2**70, 1],  # beyond int64
        [np.uint64(2**63), 5],
        [0.0, -0.0, 1.0],
        [1e-320, 1.0],  # subnormal
        [1e300, 1e300],
        [2**53 + 1, 0.5],  # an int a float would not hold exactly
    ],
    ids=repr,
)
def test_randfaelle_der_zahlbereiche(weights):
    """Weights at the edges of the float range, subnormals, ints beyond int64 or 2**53, float32
    and signed zeros: the parts of the old exact rule (via the exact Python path where needed)."""
    for total in (100, 10**11 + 7):
        assert allocate_cents(total, weights) == alte_verteilung(total, weights)


# --------------------------------------------------------------------------- the fast paths are taken


def _ohne_python_pfad(monkeypatch) -> None:
    def verboten(*args, **kwargs):
        raise AssertionError("der langsame Python-Pfad wurde benutzt")

    monkeypatch.setattr(money, "_to_python_ints", verboten)
    monkeypatch.setattr(money, "_allocate_python", verboten)


def test_listen_und_arrays_nehmen_die_vektorisierten_pfade(monkeypatch):
    """100.000 ints, 17-digit floats and Decimals as lists and arrays never reach the Python path,
    and typical float input needs no exact sum at all (only the cut is settled)."""
    rng = np.random.default_rng(7)
    ints = rng.integers(0, 50_001, size=100_000)
    floats = rng.random(100_000)
    decimals = [Decimal(repr(round(v * 1e5, 2))) for v in floats.tolist()]
    total = 12_345_678_901
    erwartet_f = allocate_cents(total, floats.tolist())
    _ohne_python_pfad(monkeypatch)

    def keine_summe(self):
        raise AssertionError("exakte Summe berechnet")

    monkeypatch.setattr(money._Naeherung, "summe", keine_summe)
    for weights in (ints, ints.tolist(), floats, floats.tolist(), decimals):
        teile = allocate_cents(total, weights)
        assert sum(int(p) for p in teile) == total
        assert isinstance(teile, np.ndarray) == isinstance(weights, np.ndarray)
    assert allocate_cents(total, floats).tolist() == erwartet_f
    assert allocate_cents(0, floats.tolist()) == [0] * floats.size


def test_ergebnis_gleich_der_alten_verteilung_bei_hunderttausend_teilen():
    """The 100.000-part inputs of the test above give the old rule's parts (one slow comparison)."""
    rng = np.random.default_rng(8)
    floats = rng.random(100_000) * 1e4
    total = 98_765_432_101
    assert allocate_cents(total, floats).tolist() == alte_verteilung(total, floats.tolist())


# --------------------------------------------------------------------------- errors and types unchanged


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([1.5, True], "Gewicht Nr. 2 ist keine gültige Zahl"),
        ([0, 2, False], "Gewicht Nr. 3 ist keine gültige Zahl"),
        ([1.5, float("nan")], "Gewicht Nr. 2 ist keine gültige Zahl"),
        ([2, -3], r"Gewicht Nr. 2 ist negativ .*gefunden -3\)"),
        ([2.5, -3], r"Gewicht Nr. 2 ist negativ .*gefunden -3\)"),
        ([Decimal("1"), Decimal("-1E+2")], r"Gewicht Nr. 2 ist negativ .*gefunden -1E\+2\)"),
        ([1.0, "abc"], "Gewicht Nr. 2 ist keine gültige Zahl"),
        ([[1.0], [2.0]], "Gewicht Nr. 1 ist keine gültige Zahl"),
    ],
)
def test_fehlertexte_wie_im_listenpfad(weights, message):
    """Invalid weights in lists raise the same German GewichtFehler as before, wherever they stand."""
    with pytest.raises(GewichtFehler, match=message):
        allocate_cents(100, weights)


def test_texte_in_listen_werden_weiter_deutsch_gelesen():
    """Texts in a list are read by the German parser, never by numpy: „1.234,50“ is 1234,5; „1e3“,
    which numpy would read as 1000, is no valid weight."""
    assert allocate_cents(100_000, ["1.234,50", 1234.5]) == [50_000, 50_000]
    with pytest.raises(GewichtFehler, match=r"Gewicht Nr\. 1 ist keine gültige Zahl"):
        allocate_cents(100, ["1e3", 1.0])


def test_allocate_liefert_decimal_mit_zwei_stellen():
    """allocate's fast conversion gives the same Decimals as from_cents (two places, sign)."""
    teile = allocate("-1.000,01", [1, 2, 0.5])
    assert teile == [money.from_cents(c) for c in allocate_cents(-100_001, [1, 2, 0.5])]
    assert all(t.as_tuple().exponent == -2 for t in teile)
    assert allocate("0", [1, 1]) == [Decimal("0.00"), Decimal("0.00")]


@settings(max_examples=200, deadline=None)
@given(
    total=st.integers(min_value=-MAX_CENTS, max_value=MAX_CENTS),
    weights=st.lists(st.floats(min_value=0, max_value=1e9, allow_nan=False), min_size=1, max_size=30),
)
def test_floats_fuer_arbeitsblattfunktionen_sind_die_naechsten_zu_den_exakten_cents(total, weights):
    """``allocate(..., float)`` (SRB_VERTEILEN) gives for each part exactly ``float(Decimal)`` of the
    Decimal part: cents / 100 is correctly rounded, as the Decimal's conversion is."""
    assume(sum(weights) > 0)
    betrag = Decimal(total).scaleb(-2)
    assert allocate(betrag, weights, float) == [float(d) for d in allocate(betrag, weights)]
    assert allocate(betrag, np.asarray(weights), float) == [float(d) for d in allocate(betrag, weights)]


def test_srb_verteilen_gibt_die_form_des_bereichs_und_exakte_summe():
    """SRB_VERTEILEN over 2×3 and 10.000×1 ranges: shape of the range, floats of the exact cents
    (123.456.789,01 € to 10.000 rows: the cents add up to the total)."""
    from sozbudget_xl.excel import SRB_VERTEILEN

    zwei = SRB_VERTEILEN("100,00", [[1.0, 2.0, 3.0], [4, 5, 6]])
    assert zwei == [[4.76, 9.52, 14.29], [19.05, 23.81, 28.57]]
    bereich = [[float(500 + (i * 37) % 30_000)] for i in range(10_000)]
    teile = SRB_VERTEILEN(123_456_789.01, bereich)
    assert len(teile) == 10_000 and all(len(r) == 1 and type(r[0]) is float for r in teile)
    assert sum(round(r[0] * 100) for r in teile) == 12_345_678_901
    assert [r[0] for r in teile] == [float(d) for d in allocate("123456789.01", [r[0] for r in bereich])]
