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
from dataclasses import dataclass
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    Inexact,
    InvalidOperation,
    localcontext,
)
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
    "MehrdeutigeZahl",
    "allocate",
    "allocate_cents",
    "dm_to_eur",
    "euro",
    "exact_weight",
    "from_cents",
    "from_cents_je",
    "percent",
    "round_cents",
    "to_cents",
]


def round_cents(value: Decimal) -> Decimal:
    """Round a Decimal to whole cents, half up (kaufmännisch)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


_NUMBER_CLEAN = re.compile(r"[\s\u00a0\u202f'’]")
_CURRENCY = re.compile(r"(€|Euro|EUR|DM)", re.IGNORECASE)


#: „,-“ / „,–“ / „,—“ at the end of an amount: whole euros (German „1.000,-“)
_GANZE_EURO = re.compile(r",[-\u2013\u2014]$")
#: ``what`` words of money amounts: only these read a text „1.125“ as German thousands
_GELD = ("Betrag", "DM-Betrag")


class MehrdeutigeZahl(BetragFehler):
    """A text number „d.ddd“ outside a money field: 1125 or 1,125? (never guessed)."""


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
    s = _GANZE_EURO.sub(",00", s)  # „1.000,-“ / „1.000,–“: whole euros, not a minus sign
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
        # 1.234.567 or 1.234: German thousands separators (cents never have 3 digits);
        # outside money „1.125“ may as well be 1,125: refused, asking for the plain spelling
        if s.count(".") == 1 and what not in _GELD:
            raise MehrdeutigeZahl(
                f"„{original}“ ist mehrdeutig (Tausenderpunkt oder Dezimalpunkt?), bitte eindeutig schreiben",
                expected=f"„{s.replace('.', '')}“ oder „{s.replace('.', ',')}“",
                found=original,
            )
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


def from_cents_je(cents: Iterable[int]) -> list[Decimal]:
    """:func:`from_cents` of each amount, one ``Decimal`` per distinct amount (immutable, so equal
    amounts can share it: an instalment plan or a month of 50.000 rows has a few)."""
    je: dict[int, Decimal] = {}
    out = []
    for c in cents:
        d = je.get(c)
        if d is None:
            d = je[c] = from_cents(c)
        out.append(d)
    return out


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


def _check_non_negative_array(ints: np.ndarray, original: np.ndarray) -> None:
    if ints.size and ints.min() < 0:
        bad = int(np.flatnonzero(ints < 0)[0])
        raise GewichtFehler(
            f"Gewicht Nr. {bad + 1} ist negativ", expected="0 oder mehr", found=str(original[bad])
        )


def _float_array_to_ints(arr: np.ndarray) -> np.ndarray | None:
    """Fast path: floats with at most 9 decimals → int64 numerators of a common 10**k.

    Uses the same reading as :func:`to_decimal` (shortest round-tripping decimal): for the
    smallest k where ``rint(x·10**k) / 10**k == x`` for every x, those integers are the
    decimals Python's ``repr`` would print (unique while ``|x|·10**k < 2**50``). Returns None
    when no such k ≤ 9 exists; the caller then takes the float path with exact settling.
    """
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    # below 2**50 the spacing of the decimals 10**-k exceeds four float ulps, so at most one
    # k-decimal rounds to x and rint finds it: the reading equals the shortest repr
    limit = float(2**50)
    amax = float(np.max(np.abs(arr)))
    # the whole array needs at least the k of any part: find it on a sample first, so that
    # floats with many digits cost a few microseconds here, not ten passes over the array
    probe = arr[:: max(1, arr.size // 64)]
    start = next((k for k in range(10) if _k_dezimalen(probe, k)), None)
    if start is None:
        return None
    for k in range(start, 10):
        scale = 10.0**k
        if amax * scale >= limit:
            return None
        if _k_dezimalen(arr, k):
            ints = np.rint(arr * scale).astype(np.int64)
            if int(np.abs(ints).max()) > _INT64_LIMIT // arr.size:
                return None
            return ints
    return None


def _k_dezimalen(arr: np.ndarray, k: int) -> bool:
    """Whether every float of ``arr`` reads back from its ``k``-decimal rounding."""
    scale = 10.0**k
    return bool(np.array_equal(np.rint(arr * scale) / scale, arr))


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


# --------------------------------------------------------------------------- fast forms of weights

#: unit round-off of float64
_U = 2.0**-53
#: floats below this (or above _MAX_NAEHERUNG) leave the float path: their products and quotients
#: could leave the normal range, where the relative error bound below no longer holds
_MIN_NAEHERUNG = 2.0**-960
_MAX_NAEHERUNG = 1e290
_INT_TYPEN = frozenset({int, np.int64, np.int32, np.uint32})
_FLOAT_TYPEN = frozenset({float, np.float64})


@dataclass
class _Naeherung:
    """Weights as float64 approximations ``x`` (|x − d| ≤ 2⁻⁵³·d for each exact weight d, and
    x = 0 exactly when d = 0) plus their exact values on demand: ``quelle`` is the float64
    array itself (exact weight = shortest decimal), an integer array, or a list of Python ints
    or Decimals."""

    x: np.ndarray
    quelle: np.ndarray | list[Any]
    _summe: Fraction | None = None

    def exakt(self, schluessel: Any) -> Fraction:
        """The exact weight of a key from :meth:`gruppen` (floats: their shortest decimal)."""
        if isinstance(schluessel, float):
            return Fraction(Decimal(repr(schluessel)))
        return Fraction(schluessel)

    def gleich(self, pos: np.ndarray) -> bool:
        """Whether the exact weights at the positions are all equal."""
        if isinstance(self.quelle, np.ndarray):
            werte = self.quelle[pos]
            return bool(np.all(werte == werte[0]))
        erster = self.quelle[int(pos[0])]
        return all(self.quelle[i] == erster for i in pos.tolist())

    def summe(self) -> Fraction:
        """The exact sum of all weights (computed once, only when settling needs it)."""
        if self._summe is None:
            q = self.quelle
            if isinstance(q, np.ndarray) and q.dtype.kind == "f":
                werte, anzahl = np.unique(q, return_counts=True)  # repr once per distinct float
                q = [Decimal(repr(v)) * k for v, k in zip(werte.tolist(), anzahl.tolist())]
            elif isinstance(q, np.ndarray):
                q = q.tolist()
            if q and isinstance(q[0], Decimal):
                with localcontext(Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[Inexact])):
                    self._summe = Fraction(sum(q, Decimal(0)))
            else:
                self._summe = Fraction(sum(q))
        return self._summe

    def gruppen(self, pos: np.ndarray) -> tuple[list[Any], np.ndarray]:
        """The distinct exact weights at the positions (as keys) and each position's index among them."""
        if isinstance(self.quelle, np.ndarray):
            werte, welche = np.unique(self.quelle[pos], return_inverse=True)
            return werte.tolist(), welche.ravel()
        index: dict[Any, int] = {}
        welche = [index.setdefault(self.quelle[i], len(index)) for i in pos.tolist()]
        return list(index), np.array(welche, dtype=np.int64)


def _schnelle_form(weights: np.ndarray | list[Any]) -> np.ndarray | _Naeherung | None:
    """Weights in a form the vectorised paths take: int64 integers with the same ratios (exact
    path), a :class:`_Naeherung` (float path), or None (the exact Python path decides, also
    about every error it must report). Raises :class:`GewichtFehler` as the other paths do."""
    if isinstance(weights, np.ndarray):
        if weights.dtype.kind not in "iuf":
            return None
        arr = weights.ravel()
        if arr.dtype.kind == "f":
            arr = arr.astype(np.float64, copy=False)
            if not np.all(np.isfinite(arr)):
                bad = int(np.flatnonzero(~np.isfinite(arr))[0])
                raise GewichtFehler(f"Gewicht Nr. {bad + 1} ist keine Zahl", found=str(arr[bad]))
            _check_non_negative_array(arr, arr)
            return _aus_floats(arr)
        return _aus_ints(arr)
    try:
        arr = np.array(weights)
    except (ValueError, TypeError, OverflowError):
        return None
    if arr.ndim != 1:
        return None
    if arr.dtype.kind in "iuf":
        if arr.dtype.kind == "f" and float(np.abs(arr).max(initial=0)) >= 2.0**53:
            return _liste_nach_typen(weights)  # ints among them may not be exact floats
        if _hat_wahrheitswerte(weights, arr):
            return None  # the list path names the bool as an invalid weight
        if arr.dtype.kind in "iu":
            return _aus_ints(arr)
        arr = arr.astype(np.float64, copy=False)
        if not np.all(np.isfinite(arr)):
            return None  # error texts of the list path
        _check_non_negative_array(arr, weights)
        return _aus_floats(arr)
    return _liste_nach_typen(weights) if arr.dtype.kind == "O" else None


def _hat_wahrheitswerte(weights: list[Any], arr: np.ndarray) -> bool:
    """Whether a bool hides in the list (numpy reads True/False as 1/0 among numbers)."""
    verdacht = np.flatnonzero((arr == 0) | (arr == 1)).tolist()
    return any(isinstance(weights[i], bool | np.bool_) for i in verdacht)


def _liste_nach_typen(weights: list[Any]) -> np.ndarray | _Naeherung | None:
    """Lists numpy cannot type as one number array: Decimals, Python ints beyond int64."""
    typen = set(map(type, weights))
    if typen == {Decimal} or typen == {int}:
        return _naeherung(weights, weights)
    if typen <= _INT_TYPEN | _FLOAT_TYPEN:
        arr = np.array(weights, dtype=np.float64)
        if np.all(np.isfinite(arr)) and (not typen & _INT_TYPEN or float(np.abs(arr).max()) < 2.0**53):
            _check_non_negative_array(arr, weights)
            return _aus_floats(arr)
    return None


def _aus_ints(arr: np.ndarray) -> np.ndarray | _Naeherung | None:
    if arr.dtype.kind == "u" and arr.size and int(arr.max()) > _INT64_LIMIT:
        return _naeherung(arr, arr)  # would wrap around in int64
    ints = arr.astype(np.int64, copy=False)
    _check_non_negative_array(ints, arr)
    if ints.size and int(ints.max()) > _INT64_LIMIT // max(1, ints.size):
        return _naeherung(ints, ints)
    return ints


def _aus_floats(arr: np.ndarray) -> np.ndarray | _Naeherung | None:
    """Non-negative finite floats: short decimals as exact int64, the rest for the float path."""
    scaled = _float_array_to_ints(arr)
    if scaled is not None:
        return scaled
    return _naeherung(arr, arr)


def _naeherung(werte: Any, quelle: np.ndarray | list[Any]) -> _Naeherung | None:
    """A :class:`_Naeherung` when the float path's error bound holds for these weights, else None."""
    try:
        x = np.asarray(werte, dtype=np.float64)  # correctly rounded from ints and Decimals
    except (OverflowError, ValueError, TypeError):
        return None
    if x.size == 0 or not np.all(np.isfinite(x)) or float(x.min()) < 0 or float(x.max()) > _MAX_NAEHERUNG:
        return None
    if float(x.min()) < _MIN_NAEHERUNG and float(np.where(x > 0, x, np.inf).min()) < _MIN_NAEHERUNG:
        return None
    if not isinstance(quelle, np.ndarray) or quelle.dtype.kind != "f":
        # a weight too small for a float would read as 0 here: only a true 0 may
        for i in np.flatnonzero(x == 0).tolist():
            if quelle[i] != 0:
                return None
    return _Naeherung(x, quelle)


# --------------------------------------------------------------------------- allocation


def allocate_cents(total_cents: int, weights: Any) -> list[int] | np.ndarray:
    """Split integer cents by weights with the largest-remainder method.

    Returns a numpy int64 array for numpy input, else a list of ints. Ties of the remainder
    go to the larger weight, then to the earlier position. Lists of ints, floats or Decimals
    and numpy arrays take vectorised paths (exact int64, or floats settled exactly where they
    could err); every path gives the parts of the exact rule.

    >>> allocate_cents(100, [1, 1, 1])
    [34, 33, 33]
    >>> allocate_cents(5, [0, 2, 2])
    [0, 3, 2]
    """
    total_cents = int(total_cents)
    if total_cents < 0:
        positive = allocate_cents(-total_cents, weights)
        return -positive if isinstance(positive, np.ndarray) else [-c for c in positive]
    is_numpy = isinstance(weights, np.ndarray)
    if not is_numpy and not isinstance(weights, list):
        weights = list(weights)
    form = _schnelle_form(weights)
    if isinstance(form, np.ndarray):
        total_weight = _gesamtgewicht(total_cents, form, form.size)
        if total_cents * int(form.max(initial=0)) < _INT64_LIMIT:
            if total_weight:
                parts = _allocate_numpy(total_cents, form, total_weight)
            else:
                parts = np.zeros(form.size, dtype=np.int64)
            return parts if is_numpy else parts.tolist()
        form = _naeherung(form, form)
    if form is not None and total_cents <= 2**53:
        if _gesamtgewicht(total_cents, form.x, form.x.size) and total_cents:
            parts = _allocate_naeherung(total_cents, form)
        else:
            parts = np.zeros(form.x.size, dtype=np.int64)
        return parts if is_numpy else parts.tolist()
    # the exact Python path: other types, weights beyond the float range, totals beyond 2**53
    werte = form.quelle if form is not None else weights.ravel().tolist() if is_numpy else weights
    ints = _to_python_ints(werte)
    py_parts = _allocate_python(total_cents, ints, _gesamtgewicht(total_cents, ints, len(ints)))
    return np.array(py_parts, dtype=np.int64) if is_numpy else py_parts


def _gesamtgewicht(total_cents: int, ints: Any, n: int) -> Any:
    """The sum of the weights; raises for no recipients or all-zero weights with cents to split."""
    if n == 0:
        if total_cents == 0:
            return 0
        raise GewichtFehler("keine Empfänger angegeben: der Betrag kann nicht verteilt werden")
    total = ints.sum() if isinstance(ints, np.ndarray) else sum(ints)
    if total == 0 and total_cents != 0:
        raise GewichtFehler("alle Gewichte sind 0: der Betrag kann nicht verteilt werden")
    return int(total) if isinstance(ints, np.ndarray) and ints.dtype.kind != "f" else total


def _allocate_python(total_cents: int, ints: list[int], total_weight: int) -> list[int]:
    if total_weight == 0:
        return [0] * len(ints)
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


def _allocate_naeherung(total_cents: int, g: _Naeherung) -> np.ndarray:
    """Largest remainder computed in floats, settled exactly where floats could err.

    With |x − d| ≤ u·d, numpy's pairwise sum (``numpy.sum`` without axis: depth ≤ log₂ n + 13)
    and two more roundings, every float quota is within ``err`` (twice that bound) of the exact
    one. A floor is certain unless the float quota lies within 2·err of an integer; those few
    quotas are computed exactly. The exact leftover-th largest remainder lies within ``err`` of
    the float one (t); remainders above t + 3·err surely get a cent, those below t − 3·err
    surely not (one err of room for the rounding of the tests); the band between is ordered by
    the exact rule (all equal weights there: by position, no exact arithmetic). The exact sum of
    the weights is computed only for such settling, which random data almost never needs.
    """
    x = g.x
    n = x.size
    scale = total_cents / float(np.sum(x))  # pairwise summation (numpy.sum without axis)
    quota = x * scale
    rel = (2 * (math.ceil(math.log2(n + 1)) + 20) + 8) * _U
    err = max(rel * float(x.max()) * scale * (1 + 4 * _U), 4 * _U)
    parts_f = np.floor(quota)
    parts = parts_f.astype(np.int64)
    frac = np.subtract(quota, parts_f, out=quota)  # exact (Sterbenz): parts_f ≥ quota/2 or 0
    abstand = np.abs(np.subtract(frac, 0.5, out=parts_f), out=parts_f)  # |frac − ½|
    grenz = np.flatnonzero(abstand >= 0.5 - 2 * err)  # 2·err: room for the roundings of this test
    grenz = grenz[x[grenz] > 0]  # zero weights: quota exactly 0
    if grenz.size:
        ganz, reste, _, welche = _exakte_quoten(total_cents, g, grenz)
        parts[grenz] = ganz
        frac[grenz] = np.array([float(r) for r in reste])[welche]  # within u/2 ≤ err of the exact ones
    leftover = total_cents - int(parts.sum())
    if leftover <= 0:
        return parts
    oben = np.argpartition(frac, n - leftover)[n - leftover :]
    t = float(frac[oben[0]])
    n_sicher = int(np.count_nonzero(frac > t + 3 * err))  # 3·err: 2·err plus room for rounding
    if int(np.count_nonzero(frac >= t - 3 * err)) == n_sicher + 1:
        parts[oben] += 1  # the band holds only the cut itself: the float order is the exact one
        return parts
    sicher = frac > t + 3 * err
    band = np.flatnonzero((frac >= t - 3 * err) & ~sicher)
    parts[sicher] += 1
    still = leftover - n_sicher
    if g.gleich(band):  # equal exact weights have equal remainders: earlier positions first
        parts[band[:still]] += 1
    else:
        parts[_exakt_geordnet(total_cents, g, band)[:still]] += 1
    return parts


def _exakte_quoten(
    total_cents: int, g: _Naeherung, pos: np.ndarray
) -> tuple[np.ndarray, np.ndarray, list[Any], np.ndarray]:
    """Exact floors and remainders of the quotas total·d/W at the positions, computed once per
    distinct weight: (floor per position, remainder per distinct weight as Fractions in an object
    array, the distinct weights as keys, each position's index among them)."""
    gesamt = g.summe()
    schluessel, welche = g.gruppen(pos)
    ganz, reste = [], []
    for s in schluessel:
        q = total_cents * g.exakt(s) / gesamt
        ganz.append(q.numerator // q.denominator)
        reste.append(q - ganz[-1])
    rest_array = np.empty(len(reste), dtype=object)
    rest_array[:] = reste
    return np.array(ganz, dtype=np.int64)[welche], rest_array, schluessel, welche


def _exakt_geordnet(total_cents: int, g: _Naeherung, pos: np.ndarray) -> np.ndarray:
    """The positions (ascending) ordered by the exact rule: larger remainder, larger weight, earlier
    position — sorted once per distinct weight, then stably by that rank."""
    _, reste, schluessel, welche = _exakte_quoten(total_cents, g, pos)
    rang = np.empty(len(schluessel), dtype=np.int64)
    reihe = sorted(range(len(schluessel)), key=lambda k: (-reste[k], -g.exakt(schluessel[k])))
    rang[reihe] = np.arange(len(reihe))
    return pos[np.argsort(rang[welche], kind="stable")]


def allocate(total: Any, weights: Iterable[Any] | np.ndarray, art: type = Decimal) -> list[Any]:
    """Split an amount into parts proportional to weights; parts sum to the total exactly.

    Weights may be ints, floats, Decimals, Fractions or German number texts. Zero weights
    get zero; negative weights, NaN and an all-zero weight list raise
    :class:`GewichtFehler`. ``art=float`` gives each part as the float nearest its exact euro
    amount (``cents / 100``, correctly rounded like ``float(Decimal)``), for worksheet functions.

    >>> allocate("1.000.000,00", [50, 30, 20])
    [Decimal('500000.00'), Decimal('300000.00'), Decimal('200000.00')]
    >>> allocate("0,10", [1, 2], float)
    [0.03, 0.07]
    """
    cents = to_cents(total)
    if not isinstance(weights, np.ndarray):
        weights = list(weights)
    parts = allocate_cents(cents, weights)
    if art is float:
        return (parts / 100).tolist() if isinstance(parts, np.ndarray) else [c / 100 for c in parts]
    if isinstance(parts, np.ndarray):
        parts = parts.tolist()
    return [Decimal(c).scaleb(-2) for c in parts]  # = from_cents(c), without a division
