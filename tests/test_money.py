"""Exact money (spec §1): parsing, half-up rounding, DM conversion, largest-remainder allocation."""

from __future__ import annotations

import math
import random
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sozbudget_xl.errors import BetragFehler, GewichtFehler, SozbudgetError
from sozbudget_xl.money import (
    CENT,
    DM_PER_EUR,
    MAX_BETRAG,
    allocate,
    allocate_cents,
    dm_to_eur,
    euro,
    exact_weight,
    from_cents,
    percent,
    round_cents,
    to_cents,
)
from tests.strategies import (
    MAX_CENTS,
    betraege,
    cents,
    deutsche_betragstexte,
    distinct_weight_lists,
    exact,
    float_weight_arrays,
    int_weight_arrays,
    large_weight_lists,
    signed_cents,
    weight_lists,
)

D = Decimal


def reference_allocation(total_cents: int, weights: list) -> list[int]:
    """The spec's rule written out with Fractions: floor each exact quota, then one cent each to the largest
    remainders, ties to the larger weight, then to the earlier position."""
    fr = [exact(w) for w in weights]
    total_weight = sum(fr)
    quotas = [Fraction(total_cents) * f / total_weight for f in fr]
    parts = [math.floor(q) for q in quotas]
    remainders = [q - p for q, p in zip(quotas, parts)]
    leftover = total_cents - sum(parts)
    order = sorted(range(len(fr)), key=lambda i: (-remainders[i], -fr[i], i))
    for i in order[:leftover]:
        parts[i] += 1
    return parts


def as_list(parts) -> list[int]:
    return [int(p) for p in parts]


# =========================================================================== constants


def test_constants_of_the_spec():
    """One cent is 0,01, the fixed DM rate is 1,95583 and the plausibility limit is 999.999.999.999,99 €."""
    assert D("0.01") == CENT
    assert D("1.95583") == DM_PER_EUR
    assert D("999999999999.99") == MAX_BETRAG


# =========================================================================== round_cents


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.005", "0.01"),  # half up: the half cent goes up (half-even would give 0.00)
        ("0.015", "0.02"),
        ("0.025", "0.03"),  # half-even would give 0.02
        ("0.0049999", "0.00"),
        ("-0.005", "-0.01"),  # half up means away from zero for negatives
        ("2.675", "2.68"),
        ("1234.5", "1234.50"),
    ],
)
def test_round_cents_is_kaufmaennisch_half_up(value, expected):
    """round_cents rounds to whole cents with ROUND_HALF_UP: 0,005 → 0,01, 0,025 → 0,03, −0,005 → −0,01."""
    result = round_cents(D(value))
    assert result == D(expected)
    assert result.as_tuple().exponent == -2


# =========================================================================== euro: worked examples


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234,56 €", "1234.56"),  # German: dot groups thousands, comma is the decimal sign
        ("1234.56", "1234.56"),  # plain notation
        ("1,234.56", "1234.56"),  # English: the last separator is the decimal sign
        ("1.234", "1234.00"),  # German thousands (cents never have three digits)
        ("12.345", "12345.00"),
        ("1.234.567", "1234567.00"),
        ("1.234.567,89", "1234567.89"),
        ("1,234,567", "1234567.00"),  # several commas: English thousands
        ("12,5", "12.50"),  # German decimal comma
        ("12.5", "12.50"),
        ("-3,20 €", "-3.20"),
        ("3,20-", "-3.20"),  # trailing minus as printed by some bookkeeping systems
        ("(4,00)", "-4.00"),  # accountants' parentheses
        ("\u22125,00", "-5.00"),  # unicode minus sign U+2212
        ("+7", "7.00"),
        ("1 234,56", "1234.56"),  # space as thousands separator
        ("1\xa0234,56\xa0€", "1234.56"),  # no-break spaces as Babel writes them
        ("1\u202f234,56", "1234.56"),  # narrow no-break space
        ("EUR 99,99", "99.99"),
        ("  42  ", "42.00"),
        ("0,005", "0.01"),  # parsed exactly, then rounded half up
        ("999.999.999.999,99", "999999999999.99"),  # the largest plausible amount
    ],
)
def test_euro_parses_german_and_plain_text(text, expected):
    """euro reads German („1.234,56 €“), plain and English notation, signs and spaces, to the cent."""
    assert euro(text) == D(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, "3.00"),
        (np.int64(7), "7.00"),
        (D("12.345"), "12.35"),
        (0.125, "0.13"),  # 0.125 is exact in binary; half up
        (2.675, "2.68"),  # the float is 2.67499999…, but it is read as its shortest decimal 2.675
        (1.005, "1.01"),  # same: 1.00499999… in binary, shown as 1.005 by Excel
        (0.1 + 0.2, "0.30"),  # 0.30000000000000004
        (np.float64(0.005), "0.01"),
        (Fraction(1, 8), "0.13"),
        (-0.005, "-0.01"),
    ],
)
def test_euro_converts_numbers_half_up(value, expected):
    """Numbers are rounded to cents half up; floats are read as their shortest decimal (2.675 → 2,68)."""
    assert euro(value) == D(expected)


def test_euro_result_always_has_two_places():
    """euro returns a Decimal with exponent −2, also for integers (3 → 3.00)."""
    for value in (3, "4", 5.5, D("6")):
        result = euro(value)
        assert isinstance(result, Decimal)
        assert result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    "value",
    [
        "abc",
        "",
        "   ",
        "€",
        "1e15",
        "12,34,5x",
        "1.234,56.7",
        "--5",
        ".",
        None,
        float("nan"),
        float("inf"),
        float("-inf"),
        D("NaN"),
        D("Infinity"),
        True,
        False,
        1e15,  # a typo like this must not become a trillion-euro budget
        "1.000.000.000.000,00",  # one cent above the limit
        D("-1000000000000"),
        object(),
        [1, 2],
    ],
    ids=repr,
)
def test_euro_rejects_junk_with_german_betragfehler(value):
    """Junk, missing values, NaN, infinity, booleans and implausibly large amounts raise BetragFehler in
    German."""
    with pytest.raises(BetragFehler) as info:
        euro(value)
    assert isinstance(info.value, SozbudgetError)
    assert "Betrag" in str(info.value)


def test_euro_error_names_what_was_found():
    """The message quotes the rejected text in German quotes and says what was expected."""
    with pytest.raises(BetragFehler) as info:
        euro("abc")
    assert "„abc“ ist kein gültiger Betrag" in str(info.value)
    assert info.value.expected is not None
    with pytest.raises(BetragFehler, match="kein Betrag angegeben"):
        euro(None)
    with pytest.raises(BetragFehler, match="unplausibel groß") as info:
        euro(1e15)
    assert info.value.found == "1000000000000000.0"


def test_euro_allow_negative_false_rejects_negative_amounts():
    """With allow_negative=False a negative amount raises BetragFehler; zero and positives pass."""
    with pytest.raises(BetragFehler, match="nicht negativ"):
        euro("-0,01", allow_negative=False)
    assert euro("0", allow_negative=False) == D("0.00")
    assert euro("0,01", allow_negative=False) == D("0.01")


def test_euro_accepts_the_word_euro_as_currency():
    """„12 Euro“ is 12,00 € — the whole word is the currency, no stray „o“ is left after „EUR“."""
    assert euro("12 Euro") == D("12.00")
    assert euro("1.234,50 euro") == D("1234.50")
    assert euro("EUR 7") == D("7.00")


def test_euro_leading_zero_group_is_not_german_thousands():
    """„0.125“ cannot be German thousands (no number starts with a zero group), so it is 0,125 → 0,13 €."""
    assert euro("0.125") == D("0.13")
    assert euro("-0.125") == D("-0.13")
    assert euro("0,125") == D("0.13")


def test_euro_fraction_is_rounded_exactly_not_twice():
    """A Fraction is rounded half up exactly: 0,004999…9 (33 digits, just below half a cent) → 0,00, not
    0,005 → 0,01 as a 28-digit division would give; 1/200 → 0,01, −1/200 → −0,01, 1/3 → 0,33."""
    just_below_half_cent = Fraction(5 * 10**30 - 1, 10**33)
    assert just_below_half_cent < Fraction(1, 200)
    assert euro(just_below_half_cent) == D("0.00")
    assert euro(-just_below_half_cent) == D("0.00")
    assert euro(Fraction(1, 200)) == D("0.01")
    assert euro(Fraction(-1, 200)) == D("-0.01")
    assert euro(Fraction(1, 3)) == D("0.33")
    with pytest.raises(BetragFehler, match="unplausibel groß"):
        euro(Fraction(10**40, 3))


@settings(max_examples=200)
@given(deutsche_betragstexte())
def test_euro_reads_every_german_amount_text(case):
    """Every German text like „-1.234,56 €“ or „(1.234,56)“ parses to exactly the amount it denotes."""
    text, amount = case
    assert euro(text) == amount


@settings(max_examples=200)
@given(signed_cents(MAX_CENTS))
def test_euro_reads_plain_decimal_text_and_str_of_decimal(c):
    """str(Decimal) of any amount („-1234.56“) parses back to the same amount."""
    amount = D(c).scaleb(-2)
    assert euro(str(amount)) == amount
    assert euro(amount) == amount


@settings(max_examples=200)
@given(st.integers(min_value=-(10**13), max_value=10**13), st.integers(min_value=0, max_value=6))
def test_euro_of_float_equals_half_up_of_its_shortest_decimal(n, places):
    """For any float, euro(x) = ROUND_HALF_UP of Decimal(repr(x)) (the decimal Excel would show)."""
    x = n / 10**places
    expected = D(repr(x)).quantize(D("0.01"), rounding="ROUND_HALF_UP")
    assume(abs(expected) <= MAX_BETRAG)
    assert euro(x) == expected


# =========================================================================== cents


def test_to_cents_and_from_cents_worked_examples():
    """to_cents(„1.234,56 €“) = 123456 and from_cents(123456) = 1234,56; from_cents(5) = 0,05."""
    assert to_cents("1.234,56 €") == 123456
    assert to_cents(0.005) == 1
    assert to_cents("-3,20") == -320
    assert from_cents(123456) == D("1234.56")
    assert from_cents(5) == D("0.05")
    assert from_cents(-1) == D("-0.01")
    assert str(from_cents(0)) == "0.00"


@settings(max_examples=200)
@given(signed_cents())
def test_cents_round_trip(c):
    """to_cents(from_cents(c)) = c for every amount up to 10^11 cents, and from_cents has two places."""
    amount = from_cents(c)
    assert amount.as_tuple().exponent == -2
    assert to_cents(amount) == c


# =========================================================================== DM


@pytest.mark.parametrize(
    ("dm", "expected"),
    [
        # 100 000 / 1,95583 = 51 129,1881… → 51 129,19 (the §5.1 reserve threshold)
        (100000, "51129.19"),
        ("100.000", "51129.19"),
        # 3 213 000 / 1,95583 = 1 642 780,8142… → 1 642 780,81
        (3213000, "1642780.81"),
        ("3.213.000 DM", "1642780.81"),
        ("1,95583", "1.00"),  # exactly one euro
        (0, "0.00"),
    ],
)
def test_dm_to_eur_worked_examples(dm, expected):
    """DM → EUR divides by the fixed rate 1,95583 and rounds half up: 100.000 DM = 51.129,19 €."""
    assert dm_to_eur(dm) == D(expected)


@settings(max_examples=200)
@given(cents(0, MAX_CENTS))
def test_dm_to_eur_is_the_exact_quotient_rounded_half_up(dm_cents):
    """For any DM amount the result is the exact quotient amount / 1,95583, rounded half up to the cent."""
    dm = D(dm_cents).scaleb(-2)
    exact_eur_cents = Fraction(dm) / Fraction("1.95583") * 100
    half_up = math.floor(exact_eur_cents + Fraction(1, 2))
    assert dm_to_eur(dm) == D(half_up).scaleb(-2)


def test_dm_to_eur_rejects_junk():
    """A DM text that is no number raises BetragFehler naming the DM-Betrag."""
    with pytest.raises(BetragFehler, match="DM-Betrag"):
        dm_to_eur("zehn Mark")


# =========================================================================== percent


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12,5 %", "0.125"),  # text with a percent sign is divided by 100
        ("100%", "1"),
        ("0,5 %", "0.005"),
        (0.125, "0.125"),  # Excel percent cells hold the fraction
        (D("0.3"), "0.3"),
        ("0,25", "0.25"),
    ],
)
def test_percent_reads_texts_with_sign_and_fractions(value, expected):
    """„12,5 %“ → 0,125 (divided by 100) while the number 0.125 stays 0,125."""
    assert percent(value) == D(expected)


def test_percent_rejects_junk():
    """A percentage that is no number raises BetragFehler naming the Prozentsatz."""
    with pytest.raises(BetragFehler, match="Prozentsatz"):
        percent("viel %")


# =========================================================================== exact_weight


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, Fraction(3)),
        (np.int32(4), Fraction(4)),
        (0.1, Fraction(1, 10)),  # not 3602879701896397/36028797018963968
        (D("2.5"), Fraction(5, 2)),
        ("1,5", Fraction(3, 2)),
        (Fraction(1, 3), Fraction(1, 3)),
    ],
)
def test_exact_weight_reads_floats_as_shortest_decimal(value, expected):
    """exact_weight gives the exact Fraction; the float 0.1 is 1/10, as Excel shows it."""
    assert exact_weight(value) == expected


# =========================================================================== allocate: worked examples


def test_allocate_100_euro_one_to_one_to_one():
    """100,00 € by 1:1:1 → 33,34/33,33/33,33: 10000 cents / 3 = 3333 r 1, the one leftover cent goes to the
    first by input order."""
    assert allocate(D("100.00"), [1, 1, 1]) == [D("33.34"), D("33.33"), D("33.33")]


def test_allocate_cents_tie_between_equal_weights_goes_to_the_first():
    """6 cents by 1:2:2 → quotas 1,2/2,4/2,4, floors 1+2+2 = 5, remainders 0,2/0,4/0,4: the leftover cent goes
    to the first of the two tied 0,4 → [1, 3, 2]; 5 cents → quotas 1/2/2 exactly, no leftover."""
    assert allocate_cents(6, [1, 2, 2]) == [1, 3, 2]
    assert allocate_cents(5, [1, 2, 2]) == [1, 2, 2]


def test_allocate_cents_equal_remainders_larger_weight_wins():
    """10 cents by 1:3 → quotas 2,5 and 7,5, both remainders 0,5: the larger weight gets the cent, wherever it
    stands → [2, 8] and [8, 2]."""
    assert allocate_cents(10, [1, 3]) == [2, 8]
    assert allocate_cents(10, [3, 1]) == [8, 2]


def test_allocate_cents_equal_remainders_and_weights_first_position_wins():
    """2 cents by 1:1:1:1 → quotas 0,5 each, tied in remainder and weight: the first two get a cent each."""
    assert allocate_cents(2, [1, 1, 1, 1]) == [1, 1, 0, 0]


def test_allocate_cents_largest_remainder_beats_larger_weight():
    """The largest remainder wins, not the largest weight: 9 cents by 1:2:4 → quotas 9/7 = 1 2/7, 18/7 = 2
    4/7, 36/7 = 5 1/7; floors 1+2+5 = 8, the leftover cent goes to remainder 4/7 (weight 2) → [1, 3, 5]; 8
    cents → remainders 1/7, 2/7, 4/7 → [1, 2, 5]; 7 cents → exact [1, 2, 4]."""
    assert allocate_cents(9, [1, 2, 4]) == [1, 3, 5]
    assert allocate_cents(8, [1, 2, 4]) == [1, 2, 5]
    assert allocate_cents(7, [1, 2, 4]) == [1, 2, 4]


def test_allocate_zero_weight_gets_zero():
    """5 cents by 0:2:2 → the zero weight gets nothing, the tie of 2,5/2,5 goes to the first → [0, 3, 2]."""
    assert allocate_cents(5, [0, 2, 2]) == [0, 3, 2]
    assert allocate("1,00", [0, 1, 0]) == [D("0.00"), D("1.00"), D("0.00")]


def test_allocate_percent_shares_of_a_million():
    """1.000.000,00 € by 50:30:20 → 500.000/300.000/200.000 exactly."""
    assert allocate("1.000.000,00", [50, 30, 20]) == [D("500000.00"), D("300000.00"), D("200000.00")]


def test_allocate_mixed_weight_types_are_read_exactly():
    """Weights 0.1 (float), „0,2“ (text), 0.3 (Decimal), 2/5 (Fraction) are 1:2:3:4 → 10 € = 1/2/3/4 €."""
    parts = allocate("10", [0.1, "0,2", D("0.3"), Fraction(2, 5)])
    assert parts == [D("1.00"), D("2.00"), D("3.00"), D("4.00")]


def test_allocate_accepts_iterables():
    """allocate takes any iterable of weights (a generator, a tuple) and gives a list of Decimals."""
    assert allocate("1", (w for w in (1, 1))) == [D("0.50"), D("0.50")]
    assert allocate("1", (1, 3)) == [D("0.25"), D("0.75")]


def test_allocate_negative_total_mirrors_the_positive_split():
    """−100,00 € by 1:1:1 → −33,34/−33,33/−33,33 (the same cents with the sign flipped)."""
    assert allocate("-100,00", [1, 1, 1]) == [D("-33.34"), D("-33.33"), D("-33.33")]
    assert allocate_cents(-100, [1, 1, 1]) == [-34, -33, -33]


def test_allocate_single_recipient_gets_everything():
    """One recipient with any positive weight gets the whole amount."""
    assert allocate("123,45", [0.001]) == [D("123.45")]


# =========================================================================== allocate: errors


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([1, -1, 2], "Nr. 2 ist negativ"),
        ([D("-0.01")], "Nr. 1 ist negativ"),
        (["-3"], "negativ"),
        ([1, float("nan")], "Nr. 2"),
        ([1, float("inf")], "Nr. 2"),
        (["abc"], "Nr. 1"),
        ([True, 1], "Nr. 1"),
        ([None], "Nr. 1"),
        ([0, 0, 0], "alle Gewichte sind 0"),
        ([], "keine Empfänger"),
    ],
    ids=repr,
)
def test_allocate_rejects_bad_weights_with_german_gewichtfehler(weights, message):
    """Negative, NaN, infinite or non-numeric weights, all-zero weights and no recipients raise
    GewichtFehler."""
    with pytest.raises(GewichtFehler, match=message):
        allocate_cents(100, weights)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (np.array([1, -1, 2]), "Nr. 2 ist negativ"),
        (np.array([1.5, -0.5]), "Nr. 2 ist negativ"),
        (np.array([1.0, np.nan]), "Nr. 2 ist keine Zahl"),
        (np.array([np.inf, 1.0]), "Nr. 1 ist keine Zahl"),
        (np.zeros(3), "alle Gewichte sind 0"),
        (np.zeros(0, dtype=np.int64), "keine Empfänger"),
    ],
    ids=["neg-int", "neg-float", "nan", "inf", "zeros", "empty"],
)
def test_allocate_numpy_rejects_bad_weights(weights, message):
    """The numpy fast path raises the same GewichtFehler for negative, NaN, infinite, all-zero and empty
    weights."""
    with pytest.raises(GewichtFehler, match=message):
        allocate_cents(100, weights)


def test_allocate_zero_total_with_zero_weights_gives_zeros():
    """Nothing to split among all-zero weights is fine: 0 cents by 0:0:0 → [0, 0, 0]; no recipients → []."""
    assert allocate_cents(0, [0, 0, 0]) == [0, 0, 0]
    assert allocate("0", [0, 0]) == [D("0.00"), D("0.00")]
    assert allocate_cents(0, []) == []
    assert as_list(allocate_cents(0, np.zeros(3))) == [0, 0, 0]


# =========================================================================== allocate: properties


@settings(max_examples=200)
@given(cents(0, MAX_CENTS), weight_lists())
def test_allocation_follows_the_largest_remainder_rule(total, weights):
    """For any weights the parts equal the spec's rule computed with Fractions (floors, largest remainders,
    ties by larger weight then input order)."""
    assert allocate_cents(total, weights) == reference_allocation(total, weights)


@settings(max_examples=40, deadline=None)
@given(cents(1, MAX_CENTS), large_weight_lists())
def test_allocation_keeps_total_and_each_part_within_a_cent(total, weights):
    """1 to 10 000 parts: the parts add up to the total, none is negative, each is within one cent of its
    exact quota, and zero weights get zero."""
    parts = allocate_cents(total, weights)
    assert len(parts) == len(weights)
    assert sum(parts) == total
    fr = [exact(w) for w in weights]
    total_weight = sum(fr)
    for part, f in zip(parts, fr):
        quota = Fraction(total) * f / total_weight
        assert part >= 0
        assert abs(part - quota) < 1
        if f == 0:
            assert part == 0


@settings(max_examples=200)
@given(betraege(), weight_lists())
def test_allocate_decimal_parts_sum_to_the_total(total, weights):
    """allocate in euros: the Decimal parts have two places and add up to the total exactly."""
    parts = allocate(total, weights)
    assert sum(parts) == total
    assert all(p.as_tuple().exponent == -2 and p >= 0 for p in parts)


@settings(max_examples=200)
@given(signed_cents(), weight_lists())
def test_allocation_of_a_negative_total_is_the_mirror_image(total, weights):
    """allocate_cents(−T, w) = −allocate_cents(T, w) for any total T."""
    assert allocate_cents(-total, weights) == [-p for p in allocate_cents(total, weights)]


@settings(max_examples=200)
@given(cents(0, MAX_CENTS), distinct_weight_lists(), st.randoms(use_true_random=False))
def test_permuting_distinct_weights_permutes_the_parts(total, weights, rnd):
    """With pairwise distinct weights no tie depends on input order, so permuting the inputs permutes the
    outputs."""
    order = list(range(len(weights)))
    rnd.shuffle(order)
    parts = allocate_cents(total, weights)
    shuffled_parts = allocate_cents(total, [weights[i] for i in order])
    assert shuffled_parts == [parts[i] for i in order]


@settings(max_examples=200)
@given(cents(0, MAX_CENTS), weight_lists(), st.randoms(use_true_random=False))
def test_permuting_any_weights_keeps_the_multiset_of_weight_and_part(total, weights, rnd):
    """For any weights (ties included) permuting the inputs keeps the multiset of (weight, part) pairs: equal
    weights may swap their cents, but the same number of them get one."""
    shuffled = list(weights)
    rnd.shuffle(shuffled)
    before = sorted(zip((exact(w) for w in weights), allocate_cents(total, weights)))
    after = sorted(zip((exact(w) for w in shuffled), allocate_cents(total, shuffled)))
    assert before == after


@settings(max_examples=200)
@given(cents(0, MAX_CENTS), weight_lists(min_size=2))
def test_larger_weight_never_gets_less(total, weights):
    """Monotonicity: a larger weight never gets fewer cents than a smaller one, and equal weights differ by at
    most one cent."""
    parts = allocate_cents(total, weights)
    fr = [exact(w) for w in weights]
    for i in range(len(fr)):
        for j in range(len(fr)):
            if fr[i] > fr[j]:
                assert parts[i] >= parts[j]
            elif fr[i] == fr[j]:
                assert abs(parts[i] - parts[j]) <= 1


@settings(max_examples=100)
@given(cents(0, MAX_CENTS), weight_lists())
def test_same_input_gives_same_output(total, weights):
    """Allocation is deterministic: the same input twice gives the same parts, and the input is not
    changed."""
    copy = list(weights)
    first = allocate_cents(total, weights)
    assert allocate_cents(total, copy) == first
    assert copy == weights


@settings(max_examples=200)
@given(cents(0, MAX_CENTS), distinct_weight_lists(min_size=1), st.integers(min_value=2, max_value=1000))
def test_scaling_all_weights_changes_nothing(total, weights, factor):
    """Only the ratios count: multiplying every weight by the same factor gives the same parts."""
    assert allocate_cents(total, [w * factor for w in weights]) == allocate_cents(total, weights)


# =========================================================================== numpy fast path


@settings(max_examples=200)
@given(cents(0, MAX_CENTS), int_weight_arrays())
def test_numpy_int64_fast_path_equals_the_python_path(total, weights):
    """allocate_cents(total, np.array(int64)) returns an int64 array with exactly the parts of the list
    path."""
    result = allocate_cents(total, np.array(weights, dtype=np.int64))
    expected = allocate_cents(total, weights)
    if total * sum(weights) < 2**62:
        assert isinstance(result, np.ndarray)
        assert result.dtype == np.int64
    assert as_list(result) == expected


@settings(max_examples=200)
@given(cents(0, 10**9), float_weight_arrays())
def test_numpy_float_fast_path_equals_the_python_path(total, weights):
    """Float arrays with few decimals take the fast path and give exactly the parts of the list of the same
    floats."""
    result = allocate_cents(total, np.array(weights, dtype=np.float64))
    assert isinstance(result, np.ndarray)
    assert as_list(result) == allocate_cents(total, weights)
    assert as_list(result) == reference_allocation(total, weights)


@settings(max_examples=200)
@given(
    cents(0, MAX_CENTS),
    st.lists(
        st.one_of(
            st.floats(min_value=0, max_value=1e16, allow_nan=False, allow_infinity=False),
            st.integers(min_value=0, max_value=2**53).map(lambda n: n / 10**9),
        ),
        min_size=1,
        max_size=20,
    ),
)
def test_numpy_any_float_array_equals_the_python_path(total, weights):
    """For any non-negative floats (many digits, huge or tiny) the numpy path, fast or fallback, gives the
    same parts as the list of the same floats, i.e. the spec's rule on their shortest decimals."""
    assume(any(weights))
    result = as_list(allocate_cents(total, np.array(weights)))
    assert result == allocate_cents(total, weights) == reference_allocation(total, weights)


@settings(max_examples=100)
@given(cents(1, MAX_CENTS), st.lists(st.integers(1, 50), min_size=2, max_size=20))
def test_numpy_ties_are_broken_like_the_python_path(total, small_weights):
    """Many equal small weights create remainder ties: the fast path breaks them by larger weight, then
    position, exactly like the list path."""
    result = allocate_cents(total, np.array(small_weights))
    assert (
        as_list(result) == allocate_cents(total, small_weights) == reference_allocation(total, small_weights)
    )


@settings(max_examples=100)
@given(cents(1, MAX_CENTS), int_weight_arrays(max_size=20), st.sampled_from([np.int32, np.uint32, np.uint64]))
def test_numpy_other_integer_dtypes_equal_the_python_path(total, weights, dtype):
    """int32, uint32 and uint64 arrays give the same parts as the list of the same ints."""
    weights = [w % 2**31 for w in weights]
    assume(any(weights))
    assert as_list(allocate_cents(total, np.array(weights, dtype=dtype))) == allocate_cents(total, weights)


def test_numpy_fast_path_worked_example():
    """np.array([1, 1, 1]) splits 100 cents like the list: [34, 33, 33]; floats [0.5, 0.25, 0.25] → [50, 25,
    25]."""
    assert as_list(allocate_cents(100, np.array([1, 1, 1]))) == [34, 33, 33]
    assert as_list(allocate_cents(100, np.array([0.5, 0.25, 0.25]))) == [50, 25, 25]
    assert allocate(D("100.00"), np.array([1, 1, 1])) == [D("33.34"), D("33.33"), D("33.33")]


def test_numpy_two_dimensional_weights_are_flattened():
    """A 2×2 weight array is read row by row like the flat list [1, 1, 1, 1]."""
    assert as_list(allocate_cents(6, np.array([[1, 1], [1, 1]]))) == [2, 2, 1, 1]


def test_numpy_negative_total_mirrors():
    """The fast path mirrors a negative total like the list path: −100 by 1:1:1 → [−34, −33, −33]."""
    assert as_list(allocate_cents(-100, np.array([1, 1, 1]))) == [-34, -33, -33]


@pytest.mark.parametrize(
    "weights",
    [
        [2**62, 2**62 - 1, 12345],  # the int64 sum would overflow
        [2**62 - 1, 1],
        [2**40, 3, 2**41 + 7],  # total · sum of weights > 2**62
        [1, 2**60, 2**60 + 1, 0],
    ],
)
def test_numpy_int64_overflow_falls_back_to_exact_python_ints(weights):
    """Weights near 2**62 with a total of 10^11 cents overflow int64; the result is still the exact rule."""
    total = 10**11
    result = allocate_cents(total, np.array(weights, dtype=np.int64))
    assert as_list(result) == allocate_cents(total, weights) == reference_allocation(total, weights)
    assert sum(as_list(result)) == total


@pytest.mark.parametrize(
    "weights",
    [
        [1e300, 1.0],  # too large to scale to int64
        [1e-12, 3e-12],  # more than 9 decimals
        [0.1 + 0.2, 0.3],  # 0.30000000000000004 needs 17 digits
        [1e15, 0.5, 0.25],  # 1e15 · 100 overflows the 2**53 float range
    ],
)
def test_numpy_float_arrays_that_cannot_be_scaled_fall_back_exactly(weights):
    """Float arrays needing many digits or huge scales fall back to exact Python ints: same parts as the list
    path."""
    total = 10**11
    result = allocate_cents(total, np.array(weights))
    assert as_list(result) == allocate_cents(total, weights) == reference_allocation(total, weights)


def test_numpy_uint64_weights_above_int64_are_not_negative():
    """uint64 weights of 2**63 and more are positive, not wrapped to negative int64: 10 cents by [2**63, 1]
    → [10, 0], and by [2**64 − 1, 2**64 − 1] → [5, 5], as for the list of Python ints."""
    for weights, expected in (([2**63, 1], [10, 0]), ([2**64 - 1, 2**64 - 1], [5, 5])):
        assert allocate_cents(10, weights) == expected
        assert as_list(allocate_cents(10, np.array(weights, dtype=np.uint64))) == expected


def test_numpy_float_fast_path_reads_shortest_decimal_like_the_list_path():
    """The fast path reads floats as their shortest decimal even near 2**53 / 10**k: 1.953,13 € by
    [8641439.2, 22.122084352] has exact quotas 195312,5 and 0,5 cents, a tie the larger weight wins →
    [195313, 0] (reading 8641439.2 as 8641439.199999999 at 9 decimals would give [195312, 1])."""
    weights = [8641439.2, 22.122084352]
    # 22.122084352 = 8641439.2 / 390625 and 195313 = 390626 / 2: both quotas end in exactly half a cent
    assert reference_allocation(195313, weights) == [195313, 0]
    assert allocate_cents(195313, weights) == [195313, 0]
    assert as_list(allocate_cents(195313, np.array(weights))) == [195313, 0]


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=1, max_value=10_000), st.integers(min_value=0, max_value=2**32), cents(1, 10**8))
def test_numpy_fast_path_with_up_to_ten_thousand_parts(n, seed, total):
    """Up to 10 000 int and float weights (total up to 1.000.000 € so that total · Σw stays in int64): the
    fast path equals the list path and keeps the total."""
    rng = random.Random(seed)
    ints = [rng.randint(0, 10**6) for _ in range(n)]
    ints[0] += 1
    floats = [w / 100 for w in ints]
    for weights in (ints, floats):
        result = allocate_cents(total, np.array(weights))
        assert isinstance(result, np.ndarray)
        assert int(result.sum()) == total
        assert as_list(result) == allocate_cents(total, weights)


def test_allocate_the_largest_plausible_amount():
    """999.999.999.999,99 € by 1:2 → 99999999999999 cents / 3 = 33333333333333 exactly → 333.333.333.333,33
    and 666.666.666.666,66."""
    parts = allocate(MAX_BETRAG, [1, 2])
    assert parts == [D("333333333333.33"), D("666666666666.66")]
    assert sum(parts) == MAX_BETRAG


@pytest.mark.parametrize("text", ["1.2.3", "12.34.567,00", "1,23,4", "1.23.456,00"])
def test_misplaced_thousands_separators_are_rejected(text):
    """Thousands separators must stand every three digits: „1.2.3“ is no amount, not 123 €."""
    with pytest.raises(BetragFehler, match="Tausendertrennzeichen"):
        euro(text)


def test_dm_text_is_not_silently_taken_as_euro():
    """„100 DM“ is refused by euro() (it would be 100 € otherwise); dm_to_eur converts it."""
    with pytest.raises(BetragFehler, match="DM-Betrag"):
        euro("100 DM")
    assert dm_to_eur("100.000 DM") == Decimal("51129.19")
