"""German display (spec §1 „Display“): Betrag, Prozent, Zahl, Datum — also the Jinja filters."""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sozbudget_xl.errors import BetragFehler, EingabeFehler, SozbudgetError
from sozbudget_xl.formats import JINJA_FILTERS, betrag, datum, parse_datum, prozent, zahl
from sozbudget_xl.money import euro
from tests.strategies import MAX_CENTS, datums, signed_cents

D = Decimal
NBSP = "\xa0"
GERMAN_AMOUNT = re.compile(r"-?\d{1,3}(\.\d{3})*,\d{2}\xa0€")


# =========================================================================== betrag


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("1234.56"), "1.234,56\xa0€"),
        ("1234567.891", "1.234.567,89\xa0€"),
        (1234.5, "1.234,50\xa0€"),
        (0, "0,00\xa0€"),
        (D("-1234.56"), "-1.234,56\xa0€"),
        ("-3,20 €", "-3,20\xa0€"),
        ("1.000.000,00", "1.000.000,00\xa0€"),
        (D("999999999999.99"), "999.999.999.999,99\xa0€"),
    ],
)
def test_betrag_german_format_with_no_break_space(value, expected):
    """betrag writes dots for thousands, a decimal comma and „\\xa0€“ (no-break space before the euro
    sign)."""
    assert betrag(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("0.125"), "0,13\xa0€"),  # Babel alone rounds half-even: 0,12 €
        (0.125, "0,13\xa0€"),
        (2.675, "2,68\xa0€"),  # the float 2.675 is read as its shortest decimal, then half up
        (D("0.005"), "0,01\xa0€"),
        (D("0.015"), "0,02\xa0€"),
        (D("0.025"), "0,03\xa0€"),  # half-even would give 0,02
        (D("-0.005"), "-0,01\xa0€"),
        (D("1234.565"), "1.234,57\xa0€"),
    ],
)
def test_betrag_rounds_half_up_before_babel(value, expected):
    """Amounts are rounded half up to the cent before Babel (which would round half-even): 0,125 → 0,13 €."""
    assert betrag(value) == expected


def test_betrag_of_plain_text_with_three_decimals():
    """The text „0.125“ is 0,125 € (no thousands group starts with a zero), shown half up: „0,13 €“."""
    assert betrag("0.125") == "0,13\xa0€"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("1234.56"), "1.234,56"),
        (1234.5, "1.234,50"),
        (D("-0.005"), "-0,01"),
        (D("0.125"), "0,13"),
    ],
)
def test_betrag_without_currency_sign(value, expected):
    """waehrung=False gives the same German number with two decimals and no unit."""
    assert betrag(value, waehrung=False) == expected


@pytest.mark.parametrize("value", ["abc", None, float("nan"), True, 1e15])
def test_betrag_rejects_junk_with_betragfehler(value):
    """betrag refuses what euro refuses: junk, None, NaN, booleans, implausible amounts (BetragFehler)."""
    with pytest.raises(BetragFehler):
        betrag(value)


@settings(max_examples=200)
@given(signed_cents(MAX_CENTS))
def test_betrag_round_trips_through_euro(c):
    """For any amount, betrag gives „[-]d.ddd,dd\\xa0€“ and euro reads that text back to the same amount."""
    amount = D(c).scaleb(-2)
    text = betrag(amount)
    assert GERMAN_AMOUNT.fullmatch(text), text
    assert euro(text) == amount
    assert " " not in text  # only no-break spaces


# =========================================================================== prozent


@pytest.mark.parametrize(
    ("value", "stellen", "expected"),
    [
        (0.125, 1, "12,5\xa0%"),
        (D("0.125"), 0, "13\xa0%"),  # 12,5 % half up → 13 % (Babel alone: 12 %)
        (D("0.0125"), 0, "1\xa0%"),  # 1,25 % → 1 %
        (D("0.00125"), 1, "0,1\xa0%"),  # 0,125 % → 0,1 %
        (D("0.00135"), 2, "0,14\xa0%"),  # 0,135 % half up → 0,14 %
        (0.123456, 2, "12,35\xa0%"),  # 12,3456 % → 12,35 %
        (1, 1, "100,0\xa0%"),
        (1, 4, "100,0000\xa0%"),
        (12.5, 1, "1.250,0\xa0%"),  # a number is a fraction: 12.5 means 1.250 %
        (-0.05, 1, "-5,0\xa0%"),
        (0, 1, "0,0\xa0%"),
    ],
)
def test_prozent_german_percent_half_up(value, stellen, expected):
    """prozent shows a fraction as German percent with „stellen“ decimals, half up, „\\xa0%“: 0.125 → „12,5
    %“."""
    assert prozent(value, stellen) == expected


def test_prozent_default_is_one_decimal():
    """Without „stellen“ the percentage has one decimal: 0.3 → „30,0 %“."""
    assert prozent(0.3) == "30,0\xa0%"


@pytest.mark.parametrize("value", ["viel", None, float("inf"), True])
def test_prozent_rejects_junk(value):
    """A percentage that is no finite number raises a German error naming the Prozentsatz."""
    with pytest.raises(EingabeFehler, match="Prozentsatz"):
        prozent(value)


# =========================================================================== zahl


@pytest.mark.parametrize(
    ("value", "stellen", "expected"),
    [
        (1234.5, 2, "1.234,50"),
        ("1.234,5", 2, "1.234,50"),
        (D("-1234567.125"), 2, "-1.234.567,13"),
        (2.5, 0, "3"),  # half up; Babel alone would give 2
        (3.5, 0, "4"),
        (0.5, 0, "1"),
        (D("1234.5678"), 3, "1.234,568"),
        (7, 2, "7,00"),
        (D("1000000"), 0, "1.000.000"),
    ],
)
def test_zahl_german_number_half_up(value, stellen, expected):
    """zahl writes a plain German number with „stellen“ decimals, rounded half up: 2.5 → „3“, 1234.5 →
    „1.234,50“."""
    assert zahl(value, stellen) == expected


def test_zahl_uses_no_space_and_no_unit():
    """zahl has neither a unit nor any space: „1.234.567,89“."""
    assert zahl(1234567.891) == "1.234.567,89"


def test_zahl_rejects_junk():
    """zahl of a non-number raises a German error naming the Zahl."""
    with pytest.raises(EingabeFehler, match="Zahl"):
        zahl("zwölf")


@pytest.mark.parametrize("func", [zahl, prozent], ids=["zahl", "prozent"])
def test_huge_numbers_give_a_german_error_not_a_decimal_exception(func):
    """zahl(1e30)/prozent(1e30) either format or raise a SozbudgetError — never decimal.InvalidOperation."""
    with contextlib.suppress(SozbudgetError):
        assert isinstance(func(1e30), str)


# =========================================================================== datum / parse_datum


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-02-15", "15.02.2026"),
        ("15.02.2026", "15.02.2026"),
        ("1.3.2026", "01.03.2026"),
        ("15.02.26", "15.02.2026"),
        (dt.date(2026, 2, 15), "15.02.2026"),
        (dt.datetime(2026, 12, 24, 13, 5), "24.12.2026"),
    ],
)
def test_datum_short_german_format(value, expected):
    """datum writes dd.MM.yyyy: „2026-02-15“ → „15.02.2026“; datetimes lose their time."""
    assert datum(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-02-15", "15. Februar 2026"),
        (dt.date(2026, 3, 1), "1. März 2026"),
        (dt.date(2026, 12, 31), "31. Dezember 2026"),
    ],
)
def test_datum_long_german_format(value, expected):
    """format="long" writes the German month name: 15. Februar 2026, 1. März 2026."""
    assert datum(value, "long") == expected


def test_datum_custom_babel_pattern():
    """A Babel pattern is passed through: „EEEE, d. MMMM yyyy“ → „Sonntag, 15. Februar 2026“."""
    assert datum("2026-02-15", "EEEE, d. MMMM yyyy") == "Sonntag, 15. Februar 2026"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-02-15", dt.date(2026, 2, 15)),  # ISO
        ("15.02.2026", dt.date(2026, 2, 15)),  # German
        ("5.1.2026", dt.date(2026, 1, 5)),  # German without leading zeros
        ("15.02.26", dt.date(2026, 2, 15)),  # German two-digit year
        ("  29.02.2028 ", dt.date(2028, 2, 29)),  # leap day, surrounding spaces
        (dt.date(2026, 2, 15), dt.date(2026, 2, 15)),
        (dt.datetime(2026, 2, 15, 23, 59), dt.date(2026, 2, 15)),
    ],
)
def test_parse_datum_reads_iso_german_and_date_objects(value, expected):
    """parse_datum reads ISO (2026-02-15), German (15.02.2026, 5.1.2026, 15.02.26), dates and datetimes."""
    result = parse_datum(value)
    assert result == expected
    assert type(result) is dt.date


@pytest.mark.parametrize(
    "value",
    ["31.02.2026", "29.02.2027", "2026-13-01", "15/02/2026", "Februar", "", None, 20260215, 46068.0],
    ids=repr,
)
def test_parse_datum_rejects_non_dates_in_german(value):
    """Impossible dates, other notations, empty text, None and numbers raise EingabeFehler „kein gültiges
    Datum“."""
    with pytest.raises(EingabeFehler, match="kein gültiges Datum") as info:
        parse_datum(value)
    assert info.value.expected == "TT.MM.JJJJ"


@settings(max_examples=200)
@given(datums())
def test_datum_round_trips_through_parse_datum(day):
    """For any date, parse_datum reads back both datum(day) and its ISO text."""
    assert parse_datum(datum(day)) == day
    assert parse_datum(day.isoformat()) == day


# =========================================================================== Jinja filters


def test_jinja_filters_are_the_four_functions():
    """The annex templates get exactly the filters betrag, prozent, zahl and datum."""
    expected = {"betrag": betrag, "prozent": prozent, "zahl": zahl, "datum": datum}
    assert expected == JINJA_FILTERS


@settings(max_examples=100)
@given(st.decimals(min_value=-(10**9), max_value=10**9, places=6, allow_nan=False, allow_infinity=False))
def test_filters_round_like_decimal_half_up(value):
    """zahl(x, 2) and betrag(x) show exactly the half-up rounding of x to two places."""
    rounded = value.quantize(D("0.01"), rounding=decimal.ROUND_HALF_UP)
    assert euro(zahl(value, 2)) == rounded
    assert euro(betrag(value)) == rounded


def test_prozent_accepts_percent_text():
    """prozent reads „12,5 %“ as 12,5 % (not as 1.250 %)."""
    assert prozent("12,5 %") == "12,5\xa0%"
