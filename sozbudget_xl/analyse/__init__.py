"""Explain and stress-test an indicator-based budget (issue 18).

* :mod:`.situation` — an indicator-based budget as plain data and its exact budget;
* :mod:`.zerlegung` — why an area's budget changes: exact Shapley contributions in cents;
* :mod:`.szenarien` — budgets of several method/weight/indicator variants side by side;
* :mod:`.robustheit` — Monte-Carlo over uncertain choices, every draw exact to the cent,
  with Sobol indices (SALib, optional extra ``[analyse]``);
* :mod:`.blatt` — the rows of the sheets „Veränderung“ and „Szenarien“ (recalc, worksheet functions).

The core modules are pure (no I/O); :mod:`.mappe` reads workbooks, :mod:`.bericht` writes the
HTML/PDF report and the result workbook (matplotlib, openpyxl). A workbook whose Parameter
sheet names its predecessor („Vorjahresmappe“) or lists variants („Szenario …“) gets the sheets
„Veränderung“/„Szenarien“ on recalc (:func:`.mappe.analyseblaetter`).
"""

from __future__ import annotations

import importlib
from typing import Any

#: where each public name lives; imported on first use, so that the CLI can register the
#: analysis commands without loading numpy (issue 15, item 3)
_HERKUNFT = {
    "ERSATZWERTE": "situation",
    "Situation": "situation",
    "Uebergangsregel": "situation",
    "budget_cents": "situation",
    "budget_euro": "situation",
    "ersetze_fehlende": "situation",
    "situation_aus_tabelle": "situation",
    "Zerlegung": "zerlegung",
    "zerlege": "zerlegung",
}


def __getattr__(name: str) -> Any:
    if name not in _HERKUNFT:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_HERKUNFT[name]}", __name__), name)


__all__ = [
    "ERSATZWERTE",
    "Situation",
    "Uebergangsregel",
    "Zerlegung",
    "budget_cents",
    "budget_euro",
    "ersetze_fehlende",
    "situation_aus_tabelle",
    "zerlege",
]
