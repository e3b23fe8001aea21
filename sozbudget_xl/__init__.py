"""sozbudget_xl — Sozialraumbudgets, Sozialindikatoren und Vertragsanlagen für Excel.

The core (money, indicators, transition, models, schedule, controlling) is pure Python:
no I/O, no Excel. Adapters (workbook, excel, annex, cli) are thin and call the core.
``allocate``, ``dm_to_eur`` and ``euro`` come from :mod:`.money` on first use, so that
``sozbudget --help`` starts without numpy (issue 15, item 3).
"""

from __future__ import annotations

from typing import Any

from .errors import SozbudgetError

__version__ = "0.1.0"

__all__ = ["SozbudgetError", "__version__", "allocate", "dm_to_eur", "euro"]


def __getattr__(name: str) -> Any:
    if name in ("allocate", "dm_to_eur", "euro"):
        from . import money

        return getattr(money, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
