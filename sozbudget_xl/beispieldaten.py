"""Example data for „Musterstadt“ (fictitious, realistic magnitudes): six Sozialräume with
the base data of the five-indicator system (spec §2.1, §2.4) and last year's budgets.

Used by the demo, the example workbooks and the tests; plain data, no I/O.
"""

from __future__ import annotations

from decimal import Decimal

#: Columns as the workbook shows them (spec §2.1)
SPALTEN = (
    "Sozialraum",
    "Einwohner",
    "Jugendeinwohner",
    "Minderjährige",
    "Siedlungs- und Verkehrsfläche (ha)",
    "HLU-Empfänger unter 18",
    "Arbeitslose",
    "Bruttoaufwand HzE",
    "Bruttoaufwand ambulante HzE",
)

_ROWS = (
    ("Altstadt", 14_200, 2_480, 2_050, 310.0, 410, 820, 2_310_000, 890_000),
    ("Nordviertel", 18_900, 4_120, 3_460, 520.0, 980, 1_390, 4_020_000, 1_510_000),
    ("Südstadt", 11_300, 2_260, 1_880, 240.0, 260, 470, 1_480_000, 610_000),
    ("Am Bahnhof", 9_600, 2_010, 1_700, 150.0, 610, 880, 2_650_000, 940_000),
    ("Gartenstadt", 16_400, 3_330, 2_790, 780.0, 150, 390, 1_120_000, 520_000),
    ("Westend", 12_800, 2_700, 2_240, 430.0, 520, 760, 2_090_000, 830_000),
)

#: One row per Sozialraum as a dict with the German column names.
SOZIALRAEUME: tuple[dict[str, object], ...] = tuple(dict(zip(SPALTEN, r)) for r in _ROWS)

#: Budgets of the previous year (status quo) per Sozialraum.
STATUS_QUO: dict[str, Decimal] = {
    "Altstadt": Decimal("420000.00"),
    "Nordviertel": Decimal("560000.00"),
    "Südstadt": Decimal("350000.00"),
    "Am Bahnhof": Decimal("300000.00"),
    "Gartenstadt": Decimal("430000.00"),
    "Westend": Decimal("340000.00"),
}

#: Budget to distribute in the example (Haushaltsjahr 2026).
GESAMTBUDGET = Decimal("2400000.00")
