"""Explain and stress-test an indicator-based budget (issue 18).

* :mod:`.situation` — an indicator-based budget as plain data and its exact budget;
* :mod:`.zerlegung` — why an area's budget changes: exact Shapley contributions in cents;
* :mod:`.szenarien` — budgets of several method/weight/indicator variants side by side;
* :mod:`.robustheit` — Monte-Carlo over uncertain choices, every draw exact to the cent,
  with Sobol indices (SALib, optional extra ``[analyse]``).

The core modules are pure (no I/O); :mod:`.mappe` reads workbooks, :mod:`.bericht` writes the
HTML/PDF report and the result workbook (matplotlib, openpyxl).
"""

from .situation import Situation, Uebergangsregel, budget_cents, budget_euro, situation_aus_tabelle
from .zerlegung import Zerlegung, zerlege

__all__ = [
    "Situation",
    "Uebergangsregel",
    "Zerlegung",
    "budget_cents",
    "budget_euro",
    "situation_aus_tabelle",
    "zerlege",
]
