"""German display of amounts, percentages, numbers and dates (Babel, locale de_DE).

The functions are also the Jinja filters of the annex templates (``betrag``,
``prozent``, ``zahl``, ``datum``). Amounts are rounded half up to the cent *before*
Babel sees them (Babel would round half-even). Babel separates the unit with a
no-break space (U+00A0), so a line never breaks between number and unit.

>>> betrag("1234567.891")
'1.234.567,89\\xa0€'
>>> prozent(0.125)
'12,5\\xa0%'
>>> datum("2026-02-15")
'15.02.2026'
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import format_currency, format_decimal, format_percent

from .errors import EingabeFehler
from .money import euro, percent, to_decimal

LOCALE = "de_DE"

__all__ = ["JINJA_FILTERS", "betrag", "datum", "parse_datum", "prozent", "zahl"]


def betrag(value: Any, *, waehrung: bool = True) -> str:
    """Amount in German format: ``1.234,56 €`` (or ``1.234,56`` without currency sign)."""
    amount = euro(value) + 0  # -0.00 → 0.00: never „-0,00 €“ (issue 14)
    if waehrung:
        return format_currency(amount, "EUR", locale=LOCALE, currency_digits=True)
    return format_decimal(amount, format="#,##0.00", locale=LOCALE)


def prozent(value: Any, stellen: int = 1) -> str:
    """A fraction as German percentage: ``0.125`` (or the text ``"12,5 %"``) → ``12,5 %``."""
    fraction = percent(value)
    pattern = "#,##0" + ("." + "0" * stellen if stellen > 0 else "") + "\u00a0%"
    quantum = Decimal(1).scaleb(-(stellen + 2))
    return format_percent(_quantize(fraction, quantum, "Prozentsatz"), format=pattern, locale=LOCALE)


def zahl(value: Any, stellen: int = 2) -> str:
    """A plain number in German format: ``1234.5`` → ``1.234,50``."""
    number = to_decimal(value, "Zahl")
    pattern = "#,##0" + ("." + "0" * stellen if stellen > 0 else "")
    quantum = Decimal(1).scaleb(-stellen)
    return format_decimal(_quantize(number, quantum, "Zahl"), format=pattern, locale=LOCALE)


def _quantize(value: Decimal, quantum: Decimal, what: str) -> Decimal:
    """Round half up; a number too large for the decimal context is a German error."""
    try:
        return value.quantize(quantum, rounding="ROUND_HALF_UP") + 0  # -0 → 0 (issue 14)
    except InvalidOperation:
        raise EingabeFehler(f"{what} ist zu groß für die Anzeige", found=str(value)) from None


def parse_datum(value: Any) -> dt.date:
    """Read a date from a ``date``/``datetime``, ISO text (2026-02-15) or German text (15.02.2026)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"):
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
    raise EingabeFehler(f"„{value}“ ist kein gültiges Datum", expected="TT.MM.JJJJ")


def datum(value: Any, format: str = "dd.MM.yyyy") -> str:
    """A date in German format: ``15.02.2026``; ``format="long"`` gives ``15. Februar 2026``."""
    from babel.dates import format_date  # only here (issue 15: Babel pieces where used)

    return format_date(parse_datum(value), format=format, locale=LOCALE)


#: Filters registered in the annex Jinja environment.
JINJA_FILTERS = {"betrag": betrag, "prozent": prozent, "zahl": zahl, "datum": datum}
