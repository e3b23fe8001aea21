"""Reusable hypothesis strategies for money, weights and German amount texts.

Everything here produces *valid* input together with what it means exactly, so tests can
compare the code against an independent oracle (``fractions.Fraction``), never against
the code itself.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

#: Largest amount in cents the strategies produce: 10^11 cents = 1 000 000 000,00 €.
MAX_CENTS = 10**11

__all__ = [
    "MAX_CENTS",
    "betraege",
    "cents",
    "datums",
    "deutsche_betragstexte",
    "distinct_weight_lists",
    "exact",
    "few_decimal_floats",
    "float_weight_arrays",
    "int_weight_arrays",
    "large_weight_lists",
    "signed_cents",
    "weight_lists",
    "weights",
]


def exact(weight: Any) -> Fraction:
    """The exact value of a weight as the spec reads it (oracle, independent of the code).

    Floats are read as their shortest round-tripping decimal (``repr``), as Excel shows
    them; ints, Decimals and Fractions are taken exactly.
    """
    if isinstance(weight, float):
        return Fraction(repr(weight))
    return Fraction(weight)


# --------------------------------------------------------------------------- amounts


def cents(min_value: int = 1, max_value: int = MAX_CENTS) -> st.SearchStrategy[int]:
    """Whole cents, by default from 1 cent up to 10^11 cents."""
    return st.integers(min_value=min_value, max_value=max_value)


def signed_cents(max_value: int = MAX_CENTS) -> st.SearchStrategy[int]:
    """Whole cents including zero and negative amounts."""
    return st.integers(min_value=-max_value, max_value=max_value)


def betraege(min_cents: int = 1, max_cents: int = MAX_CENTS) -> st.SearchStrategy[Decimal]:
    """Amounts as ``Decimal`` euros with two places (0,01 € up to 1.000.000.000,00 €)."""
    return cents(min_cents, max_cents).map(lambda c: Decimal(c).scaleb(-2))


def _german(cents_value: int, *, decimals: bool) -> str:
    euros, rest = divmod(abs(cents_value), 100)
    text = f"{euros:,}".replace(",", ".")
    return f"{text},{rest:02d}" if decimals else text


@st.composite
def deutsche_betragstexte(draw: st.DrawFn, max_cents: int = MAX_CENTS) -> tuple[str, Decimal]:
    """A German amount text and the exact amount it denotes, e.g. ``("-1.234,56 €", -1234.56)``.

    Thousands are grouped with ``.``, the decimal comma is always present (``1.234`` alone
    would be ambiguous); the sign is ``-``, the typographic minus or parentheses; the
    currency suffix is none, ``€``, ``EUR`` after a space, a no-break space or nothing.
    """
    value = draw(st.integers(min_value=0, max_value=max_cents))
    negative = draw(st.booleans()) and value != 0
    number = _german(value, decimals=True)
    if negative:
        sign = draw(st.sampled_from(["-", "\u2212", "()"]))
        number = f"({number})" if sign == "()" else sign + number
    space = draw(st.sampled_from(["", " ", "\xa0"]))
    currency = draw(st.sampled_from(["", "€", "EUR"]))
    text = number + (space + currency if currency else "")
    amount = Decimal(-value if negative else value).scaleb(-2)
    return text, amount


# --------------------------------------------------------------------------- weights


def few_decimal_floats(max_value: int = 10**6, max_decimals: int = 3) -> st.SearchStrategy[float]:
    """Non-negative floats up to ``max_value`` with at most ``max_decimals`` decimals, e.g. 12.5 or 0.375."""
    return st.integers(min_value=0, max_value=max_decimals).flatmap(
        lambda d: st.integers(min_value=0, max_value=max_value * 10**d).map(lambda n: n / 10**d)
    )


def weights(max_value: int = 10**6) -> st.SearchStrategy[int | Decimal | float]:
    """One non-negative weight: an int, a Decimal with up to 4 places or a float of few decimals."""
    return st.one_of(
        st.integers(min_value=0, max_value=max_value),
        st.decimals(min_value=0, max_value=max_value, places=4, allow_nan=False, allow_infinity=False),
        few_decimal_floats(max_value),
    )


def weight_lists(min_size: int = 1, max_size: int = 30) -> st.SearchStrategy[list[Any]]:
    """Lists of non-negative weights (mixed types) with at least one positive weight."""
    return st.lists(weights(), min_size=min_size, max_size=max_size).filter(
        lambda ws: any(exact(w) > 0 for w in ws)
    )


def distinct_weight_lists(min_size: int = 2, max_size: int = 30) -> st.SearchStrategy[list[int]]:
    """Lists of pairwise distinct positive int weights (no tie can be broken by input order)."""
    return st.lists(
        st.integers(min_value=1, max_value=10**6), min_size=min_size, max_size=max_size, unique=True
    )


@st.composite
def large_weight_lists(draw: st.DrawFn, max_size: int = 10_000) -> list[Any]:
    """Up to 10 000 weights (ints, Decimals, floats with ≤ 3 decimals, some zeros).

    Drawing 10 000 elements one by one is slow in hypothesis, so only the size, the mix and
    a seed are drawn; the list itself comes from ``random.Random(seed)``.
    """
    size = draw(st.integers(min_value=1, max_value=max_size))
    seed = draw(st.integers(min_value=0, max_value=2**32))
    zero_share = draw(st.sampled_from([0.0, 0.1, 0.5]))
    kinds = draw(st.sets(st.sampled_from(["int", "decimal", "float"]), min_size=1))
    rng = random.Random(seed)
    kinds_list = sorted(kinds)
    result: list[Any] = []
    for _ in range(size):
        if rng.random() < zero_share:
            result.append(0)
            continue
        kind = rng.choice(kinds_list)
        n = rng.randint(1, 10**6)
        if kind == "int":
            result.append(n)
        elif kind == "decimal":
            result.append(Decimal(n).scaleb(-rng.randint(0, 4)))
        else:
            result.append(n / 10 ** rng.randint(0, 3))
    if not any(result):
        result[0] = 1
    return result


@st.composite
def int_weight_arrays(draw: st.DrawFn, max_size: int = 200, max_value: int = 10**9) -> list[int]:
    """Non-negative int weights for ``np.array(..., dtype=np.int64)`` (at least one positive)."""
    ws = draw(st.lists(st.integers(min_value=0, max_value=max_value), min_size=1, max_size=max_size))
    if not any(ws):
        ws[0] = 1
    return ws


@st.composite
def float_weight_arrays(draw: st.DrawFn, max_size: int = 200) -> list[float]:
    """Non-negative float weights with few (≤ 3) decimals, values up to 10^4 (at least one positive).

    Scaled to integers they stay below 10^7, so with up to 10^9 cents the numpy fast path applies.
    """
    ws = draw(st.lists(few_decimal_floats(10**4, 3), min_size=1, max_size=max_size))
    if not any(ws):
        ws[0] = 1.0
    return ws


# --------------------------------------------------------------------------- dates


def datums(min_year: int = 1990, max_year: int = 2200) -> st.SearchStrategy[dt.date]:
    """Calendar dates in the range of budget years the schedule accepts."""
    return st.dates(min_value=dt.date(min_year, 1, 1), max_value=dt.date(max_year, 12, 31))
