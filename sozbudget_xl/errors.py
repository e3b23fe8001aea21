"""Domain errors.

Every error a user can cause is a :class:`SozbudgetError` with a German message.
Structured values (sheet, cell, region, column, expected, found) stay on the
exception so adapters (CLI, UDFs, workbook I/O) can format them for their context.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def _anzeige(value: Any) -> Any:
    """Numbers with a decimal comma for messages (-1,5; 1234,50); everything else unchanged.

    Texts are shown as the user typed them; only numeric values are reformatted.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite() or abs(number) >= 10**15:
        return str(value)
    return f"{number:f}".replace(".", ",")  # no thousands dots: years stay 2026


class SozbudgetError(Exception):
    """Base class for every user-facing error of sozbudget_xl (German message)."""

    def __init__(
        self,
        message: str,
        *,
        region: Any = None,
        column: str | None = None,
        model: str | None = None,
        item: Any = None,
        field: str | None = None,
        sheet: str | None = None,
        cell: str | None = None,
        expected: Any = None,
        found: Any = None,
        pfad: tuple[Any, ...] | None = None,
    ) -> None:
        self.message = message
        #: structured location in the model's input: ``("parameter", feld)``,
        #: ``("eingabe", feld)`` or ``(tabellenfeld, zeilenindex, spaltenfeld)`` (field names of
        #: the model's dataclasses; row index 0-based in the input tuple). The workbook layer maps
        #: it to sheet and cell through the model's declaration, without reading the message.
        self.pfad = pfad
        self.region = region
        self.column = column
        self.model = model
        self.item = item
        self.field = field
        self.sheet = sheet
        self.cell = cell
        self.expected = expected
        self.found = found
        super().__init__(self._full())

    #: location attributes in the order they are named, with their German label
    _ORT = (
        ("sheet", "Blatt „{}“"),
        ("cell", "Zelle {}"),
        ("model", "Modell „{}“"),
        ("item", "Position „{}“"),
        ("region", "Sozialraum „{}“"),
        ("column", "Spalte „{}“"),
        ("field", "Feld „{}“"),
    )

    def _full(self) -> str:
        parts = [
            label.format(getattr(self, attr)) for attr, label in self._ORT if getattr(self, attr) is not None
        ]
        prefix = ", ".join(parts)
        text = f"{prefix}: {self.message}" if prefix else self.message
        extra = [
            f"{word} {_anzeige(value)}"
            for word, value in (("erwartet", self.expected), ("gefunden", self.found))
            if value is not None
        ]
        return f"{text} ({', '.join(extra)})" if extra else text

    def with_location(self, *, sheet: str | None = None, cell: str | None = None) -> SozbudgetError:
        """Return the same error enriched with a workbook location (for adapters)."""
        if sheet is not None:
            self.sheet = sheet
        if cell is not None:
            self.cell = cell
        self.args = (self._full(),)
        return self

    def __str__(self) -> str:
        return self._full()


class MehrereFehler(SozbudgetError):
    """Several input errors of one workbook, reported together (each keeps its location)."""

    #: at most this many errors are listed; the message says how many more there are
    HOECHSTENS = 50

    def __init__(self, fehler: list[SozbudgetError]) -> None:
        self.fehler = list(fehler)
        gezeigt = self.fehler[: self.HOECHSTENS]
        rest = len(self.fehler) - len(gezeigt)
        zeilen = [str(f) for f in gezeigt]
        if rest > 0:
            zeilen.append(f"… und {rest} weitere Fehler")
        kopf = f"{len(self.fehler)} Fehler in der Eingabe:"
        super().__init__(kopf + "\n" + "\n".join("  " + z for z in zeilen))
        first = self.fehler[0]
        self.sheet, self.cell = first.sheet, first.cell

    def _full(self) -> str:
        return self.message

    def with_location(self, *, sheet: str | None = None, cell: str | None = None) -> SozbudgetError:
        return self


class EingabeFehler(SozbudgetError):
    """Invalid input value (wrong type, negative, NaN, missing)."""


class BetragFehler(EingabeFehler):
    """An amount of money that cannot be parsed or is out of range."""


class GewichtFehler(EingabeFehler):
    """Weights or shares that are invalid (negative, all zero, not 100 %)."""


class DatenFehler(EingabeFehler):
    """A data table with structural problems (duplicate IDs, missing columns)."""


class ModellFehler(SozbudgetError):
    """Invalid model name, parameter or model input."""
