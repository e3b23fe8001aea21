"""How many decimals a share shows as percent (issue 15: a float without building a Decimal): one
decimal unless the share needs two (15,31 %) — for a float, decided from its shortest text as the
Decimal of that text decides it (``_stellen_prozent_dezimal``, the code before the change)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from sozbudget_xl.einheiten import Einheit, _stellen_prozent


def _stellen_prozent_dezimal(wert: Any) -> int:
    d = Decimal(str(wert)) * 1000
    return 1 if d == d.to_integral_value() else 2


@given(st.floats(allow_nan=True, allow_infinity=True))
@example(0.153)
@example(0.1534)
@example(12.0)
@example(-0.0)
@example(1e-05)
@example(1.5e-07)
@example(1e16)
@example(0.1 + 0.2)
@example(float("inf"))
@example(float("nan"))
def test_a_float_share_shows_as_many_decimals_as_its_decimal(wert: float) -> None:
    assert _stellen_prozent(wert) == _stellen_prozent_dezimal(wert)


@given(st.integers(0, 100_000))
def test_thousandths_show_one_decimal(tausendstel: int) -> None:
    assert _stellen_prozent(tausendstel / 1000) == 1
    assert Einheit.ANTEIL.excel_format(tausendstel / 1000) == "0.0%"


def test_a_share_of_ten_thousandths_shows_two() -> None:
    assert Einheit.ANTEIL.excel_format(0.1531) == "0.00%"
    assert Einheit.ANTEIL.anzeige(0.1531) == "15,31\u00a0%"
