"""sozbudget_xl — Sozialraumbudgets, Sozialindikatoren und Vertragsanlagen für Excel.

The core (money, indicators, transition, models, schedule, controlling) is pure Python:
no I/O, no Excel. Adapters (workbook, excel, annex, cli) are thin and call the core.
"""

from .errors import SozbudgetError
from .money import allocate, dm_to_eur, euro

__version__ = "0.1.0"

__all__ = ["SozbudgetError", "__version__", "allocate", "dm_to_eur", "euro"]
