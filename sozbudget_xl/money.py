"""Exact money: ``Decimal`` euros with two places, integer cents inside.

Rules (domain spec §1):

* amounts are ``Decimal`` with two places; values from Excel (floats) are rounded to
  cents at the edge with ROUND_HALF_UP (kaufmännisches Runden);
* every split of a total uses the largest-remainder method (Hare–Niemeyer): each exact
  quota is floored to the cent and the remaining cents go one each to the largest
  remainders; ties go to the larger weight, then to the earlier input position;
* a zero weight gets zero, a negative weight is an error.

>>> euro("1.234,56 €")
Decimal('1234.56')
>>> allocate(Decimal("100.00"), [1, 1, 1])
[Decimal('33.34'), Decimal('33.33'), Decimal('33.33')]
>>> dm_to_eur("100000")
Decimal('51129.19')
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from numbers import Rational
from typing import Any

import numpy as np

from .errors import BetragFehler, GewichtFehler

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
DM_PER_EUR = Decimal("1.95583")
#: Largest amount accepted anywhere (a trillion euros): guards against typos like 1e15.
MAX_BETRAG = Decimal("999999999999.99")

_MAX_BETRAG_TEXT = "höchstens 999.999.999.999,99 €"

_INT64_LIMIT = 2**62  # head-room below 2**63 for sums of products

__all__ = [
    "CENT",
    "DM_PER_EUR",
    "MAX_BETRAG",
    "ZERO",
    "allocate",
    "allocate_cents",
    "dm_to_eur",
    "euro",
    "exact_weight",
    "from_cents",
    "percent",
    "round_cents",
    "to_cents",
]


def round_cents(value: Decimal) -> Decimal:
    """Round a Decimal to whole cents, half up (kaufmännisch)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


_NUMBER_CLEAN = re.compile(r"[\s\u00a0\u202f'’]")
_CURRENCY = re.compile(r"(€|Euro|EUR|DM)", re.IGNORECASE)


def _parse_text(text: str, what: str) -> Decimal:
    """Parse German (``1.234,56 €``) or plain (``1234.56``) notation."""
    original = text
    if what != "DM-Betrag" and re.search(r"(?<![A-Za-z])DM(?![A-Za-z])", text, re.IGNORECASE):
        raise BetragFehler(
            f"„{original}“ ist ein DM-Betrag; bitte in Euro angeben (1 € = 1,95583 DM)",
            expected="Betrag in Euro",
        )
    s = _CURRENCY.sub("", text)
    s = _NUMBER_CLEAN.sub("", s)
    s = s.replace("\u2212", "-")  # typographic minus
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    if s.endswith("-") and not s.startswith("-"):
        negative, s = True, s[:-1]
    if s.startswith("+"):
        s = s[1:]
    elif s.startswith("-"):
        negative, s = not negative, s[1:]
    if not s or not re.fullmatch(r"[0-9.,]+", s):
        raise BetragFehler(f"„{original}“ ist kein gültiger {what}", expected="eine Zahl wie 1.234,56")

    def grouped(number: str, sep: str) -> str:
        """Remove thousands separators after checking the groups (1.234.567, not 1.2.3)."""
        if sep in number and not re.fullmatch(rf"[1-9]\d{{0,2}}(\{sep}\d{{3}})+", number):
            raise BetragFehler(
                f"„{original}“ ist kein gültiger {what}: Tausendertrennzeichen falsch gesetzt",
                expected="eine Zahl wie 1.234.567,89",
            )
        return number.replace(sep, "")

    if "," in s and "." in s:
        if s.rfind(",") > s.rfind("."):  # German: 1.234,56
            head, _, tail = s.rpartition(",")
            s = grouped(head, ".") + "." + tail
        else:  # English: 1,234.56
            head, _, tail = s.rpartition(".")
            s = grouped(head, ",") + "." + tail
    elif "," in s:
        if s.count(",") > 1:  # 1,234,567 (English thousands)
            s = grouped(s, ",")
        else:  # German decimal comma: 12,5
            s = s.replace(",", ".")
    elif s.count(".") > 1 or re.fullmatch(r"[1-9]\d{0,2}\.\d{3}", s):
        # 1.234.567 or 1.234: German thousands separators (cents never have 3 digits)
        s = grouped(s, ".")
    if not re.fullmatch(r"\d*\.?\d*", s) or s in ("", "."):
        raise BetragFehler(f"„{original}“ ist kein gültiger {what}", expected="eine Zahl wie 1.234,56")
    value = Decimal(s)
    return -value if negative else value


def to_decimal(value: Any, what: str = "Betrag") -> Decimal:
    """Convert an int, float, Decimal, Fraction or text to an exact ``Decimal`` (not rounded).

    Floats are read as the shortest decimal that round-trips (``0.1`` is 0.1, as Excel
    shows it). NaN, infinity, booleans and other types raise :class:`BetragFehler`.
    """
    if isinstance(value, bool) or value is None:
        raise BetragFehler(f"kein {what} angegeben" if value is None else f"„{value}“ ist kein {what}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int | np.integer):
        result = Decimal(int(value))
    elif isinstance(value, float | np.floating):
        f = float(value)
        if not math.isfinite(f):
            raise BetragFehler(f"„{f}“ ist kein gültiger {what}", expected="eine endliche Zahl")
        result = Decimal(repr(f))
    elif isinstance(value, Fraction | Rational):
        return Decimal(value.numerator) / Decimal(value.denominator)
    elif isinstance(value, str):
        result = _parse_text(value.strip(), what)
    else:
        raise BetragFehler(f"„{value!r}“ ist kein {what}", expected="Zahl oder Text")
    if not result.is_finite():
        raise BetragFehler(f"„{value}“ ist kein gültiger {what}", expected="eine endliche Zahl")
    return result


def euro(value: Any, *, allow_negative: bool = True) -> Decimal:
    """Parse any supported amount and round it to cents (ROUND_HALF_UP).

    >>> euro(0.125), euro("12.345"), euro("-7,5 €"), euro(3)
    (Decimal('0.13'), Decimal('12345.00'), Decimal('-7.50'), Decimal('3.00'))
    """
    try:
        if isinstance(value, Fraction | Rational) and not isinstance(value, int | bool):
            # exact half-up rounding of a fraction (no intermediate 28-digit division)
            cents = Fraction(value) * 100
            whole = (abs(cents.numerator) * 2 + cents.denominator) // (2 * cents.denominator)
            amount = from_cents(whole if cents >= 0 else -whole)
        else:
            amount = round_cents(to_decimal(value))
    except InvalidOperation as exc:  # more digits than the decimal context holds
        raise BetragFehler(
            "Betrag ist unplausibel groß", expected=_MAX_BETRAG_TEXT, found=str(value)
        ) from exc
    if abs(amount) > MAX_BETRAG:
        raise BetragFehler("Betrag ist unplausibel groß", expected=_MAX_BETRAG_TEXT, found=str(value))
    if amount < 0 and not allow_negative:
        raise BetragFehler("Betrag darf nicht negativ sein", found=str(value))
    return amount


def to_cents(value: Any) -> int:
    """Amount → integer cents (rounded half up)."""
    return int(euro(value) * 100)


def from_cents(cents: int) -> Decimal:
    """Integer cents → ``Decimal`` euros with two places."""
    return (Decimal(int(cents)) / 100).quantize(CENT)


def dm_to_eur(value: Any) -> Decimal:
    """Convert Deutsche Mark to euro at the fixed rate 1 EUR = 1,95583 DM, to the cent.

    >>> dm_to_eur(3213000)
    Decimal('1642780.81')
    """
    return round_cents(to_decimal(value, "DM-Betrag") / DM_PER_EUR)


def percent(value: Any, what: str = "Prozentsatz") -> Decimal:
    """Parse a percentage into a fraction: ``"12,5 %"`` → 0.125, ``0.125`` → 0.125.

    Text with a ``%`` sign is divided by 100; numbers are taken as fractions (Excel's
    percent cells hold 0.125 for 12,5 %).
    """
    if isinstance(value, str) and "%" in value:
        return to_decimal(value.replace("%", ""), what) / 100
    return to_decimal(value, what)


# --------------------------------------------------------------------------- weights


def exact_weight(value: Any) -> Fraction:
    """One weight as an exact ``Fraction`` (floats via their shortest decimal)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        return Fraction(int(value))
    return Fraction(to_decimal(value, "Gewicht"))


def _weights_as_integers(weights: Any) -> tuple[list[int] | np.ndarray, bool]:
    """Scale weights to non-negative integers with the same ratios.

    Returns ``(ints, is_numpy)``. Numeric numpy arrays stay arrays (fast path) when the
    scaled integers fit comfortably in int64; everything else becomes Python ints.
    Raises :class:`GewichtFehler` for negative, NaN or infinite weights.
    """
    if isinstance(weights, np.ndarray) and weights.dtype.kind in "iuf":
        arr = weights.ravel()
        if arr.dtype.kind == "f":
            if not np.all(np.isfinite(arr)):
                bad = int(np.flatnonzero(~np.isfinite(arr))[0])
                raise GewichtFehler(f"Gewicht Nr. {bad + 1} ist keine Zahl", found=str(arr[bad]))
            scaled = _float_array_to_ints(arr)
            if scaled is not None:
                _check_non_negative_array(scaled, arr)
                return scaled, True
            return _to_python_ints([float(x) for x in arr]), False
        if arr.dtype.kind == "u" and arr.size and int(arr.max()) > _INT64_LIMIT:
            return [int(x) for x in arr], False  # would wrap around in int64
        ints = arr.astype(np.int64, copy=False)
        _check_non_negative_array(ints, arr)
        if ints.size and int(ints.max()) > _INT64_LIMIT // max(1, ints.size):
            return [int(x) for x in ints], False
        return ints, True
    return _to_python_ints(list(weights)), False


def _check_non_negative_array(ints: np.ndarray, original: np.ndarray) -> None:
    if ints.size and int(ints.min()) < 0:
        bad = int(np.flatnonzero(ints < 0)[0])
        raise GewichtFehler(
            f"Gewicht Nr. {bad + 1} ist negativ", expected="0 oder mehr", found=str(original[bad])
        )


def _float_array_to_ints(arr: np.ndarray) -> np.ndarray | None:
    """Fast path: floats with at most 9 decimals → int64 numerators of a common 10**k.

    Uses the same reading as :func:`to_decimal` (shortest round-tripping decimal): for the
    smallest k where ``rint(x·10**k) / 10**k == x`` for every x, those integers are the
    decimals Python's ``repr`` would print (unique while ``|x|·10**k < 2**50``). Returns None
    when no such k ≤ 9 exists; the caller then takes the exact Python path.
    """
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    # below 2**50 the spacing of the decimals 10**-k exceeds four float ulps, so at most one
    # k-decimal rounds to x and rint finds it: the reading equals the shortest repr
    limit = float(2**50)
    amax = float(np.max(np.abs(arr)))
    for k in range(10):
        scale = 10.0**k
        if amax * scale >= limit:
            return None
        r = np.rint(arr * scale)
        if np.array_equal(r / scale, arr):
            ints = r.astype(np.int64)
            if int(np.abs(ints).max()) > _INT64_LIMIT // arr.size:
                return None
            return ints
    return None


def _to_python_ints(values: Sequence[Any]) -> list[int]:
    fracs = []
    for i, v in enumerate(values):
        try:
            f = exact_weight(v)
        except BetragFehler as exc:
            raise GewichtFehler(f"Gewicht Nr. {i + 1} ist keine gültige Zahl", found=str(v)) from exc
        if f < 0:
            raise GewichtFehler(f"Gewicht Nr. {i + 1} ist negativ", expected="0 oder mehr", found=str(v))
        fracs.append(f)
    if not fracs:
        return []
    common = math.lcm(*(f.denominator for f in fracs))
    return [f.numerator * (common // f.denominator) for f in fracs]


def allocate_cents(total_cents: int, weights: Any) -> list[int] | np.ndarray:
    """Split integer cents by weights with the largest-remainder method.

    Returns a numpy int64 array for numpy input (fast path), else a list of ints.
    Ties of the remainder go to the larger weight, then to the earlier position.

    >>> allocate_cents(100, [1, 1, 1])
    [34, 33, 33]
    >>> allocate_cents(5, [0, 2, 2])
    [0, 3, 2]
    """
    total_cents = int(total_cents)
    if total_cents < 0:
        positive = allocate_cents(-total_cents, weights)
        return -positive if isinstance(positive, np.ndarray) else [-c for c in positive]
    ints, is_numpy = _weights_as_integers(weights)
    n = len(ints)
    if n == 0:
        if total_cents == 0:
            return []
        raise GewichtFehler("keine Empfänger angegeben: der Betrag kann nicht verteilt werden")
    total_weight = int(ints.sum()) if is_numpy else sum(ints)
    if total_weight == 0:
        if total_cents == 0:
            return np.zeros(n, dtype=np.int64) if is_numpy else [0] * n
        raise GewichtFehler("alle Gewichte sind 0: der Betrag kann nicht verteilt werden")
    # int64 is enough when every product weight × total fits; quotients and remainders are
    # then below those products, and the sum of the weights was bounded when scaling
    if is_numpy and total_cents * int(ints.max()) < _INT64_LIMIT:
        return _allocate_numpy(total_cents, ints, total_weight)
    if is_numpy:
        ints = [int(x) for x in ints]
    return _allocate_python(total_cents, ints, total_weight)


def _allocate_python(total_cents: int, ints: list[int], total_weight: int) -> list[int]:
    parts: list[int] = []
    remainders: list[int] = []
    for w in ints:
        q, r = divmod(total_cents * w, total_weight)
        parts.append(q)
        remainders.append(r)
    leftover = total_cents - sum(parts)
    if leftover:
        order = heapq.nsmallest(leftover, range(len(ints)), key=lambda i: (-remainders[i], -ints[i], i))
        for i in order:
            parts[i] += 1
    return parts


def _allocate_numpy(total_cents: int, ints: np.ndarray, total_weight: int) -> np.ndarray:
    parts, remainders = np.divmod(ints * total_cents, total_weight)
    leftover = total_cents - int(parts.sum())
    if leftover:
        n = ints.size
        if leftover < n:
            # remainder threshold: the leftover-th largest remainder
            threshold = np.partition(remainders, n - leftover)[n - leftover]
            above = remainders > threshold
            parts[above] += 1
            still = leftover - int(above.sum())
            if still:
                tied = np.flatnonzero(remainders == threshold)
                # larger weight first, then earlier position (lexsort: last key is primary)
                order = tied[np.lexsort((tied, -ints[tied]))]
                parts[order[:still]] += 1
        else:  # pragma: no cover - leftover is always < n for non-negative weights
            raise AssertionError("largest remainder invariant broken")
    return parts


def allocate(total: Any, weights: Iterable[Any] | np.ndarray) -> list[Decimal]:
    """Split an amount into parts proportional to weights; parts sum to the total exactly.

    Weights may be ints, floats, Decimals, Fractions or German number texts. Zero weights
    get zero; negative weights, NaN and an all-zero weight list raise
    :class:`GewichtFehler`.

    >>> allocate("1.000.000,00", [50, 30, 20])
    [Decimal('500000.00'), Decimal('300000.00'), Decimal('200000.00')]
    """
    cents = to_cents(total)
    if not isinstance(weights, np.ndarray):
        weights = list(weights)
    parts = allocate_cents(cents, weights)
    return [from_cents(int(c)) for c in parts]
