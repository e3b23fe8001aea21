"""Regenerate the example workbooks of every model (and the xlwings macro workbook).

Usage: ``python workbooks/erzeuge_beispiele.py [--nur-makro] [ORDNER]`` (default: this folder).
Writes ``<modell>.xlsx`` for every registered model and ``kgst_makro.xlsm`` (with ``--nur-makro``
only the latter). The builder lives in :mod:`sozbudget_xl.workbook.vorlage`; the macro
workbook's VBA project (module „Sozialraumbudget“ with one Sub per macro, the installed xlwings'
VBA module, buttons on „Anleitung“) comes from :mod:`sozbudget_xl.hosts.makromappe`.
``erzeuge`` is re-exported for ``sozbudget new``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sozbudget_xl.models import MODELLE
from sozbudget_xl.workbook.vorlage import MAKRO_MODELL, erzeuge, erzeuge_makro

__all__ = ["alle_erzeugen", "erzeuge"]

ORDNER = Path(__file__).resolve().parent


def alle_erzeugen(ordner: Path = ORDNER, *, nur_makro: bool = False) -> list[Path]:
    """Write every example workbook (``nur_makro``: only the macro workbook) into ``ordner``."""
    ordner.mkdir(parents=True, exist_ok=True)
    pfade = [] if nur_makro else [erzeuge(name, ordner / f"{name}.xlsx") for name in MODELLE]
    pfade.append(erzeuge_makro(ordner / f"{MAKRO_MODELL}_makro.xlsm"))
    return pfade


if __name__ == "__main__":
    argumente = [a for a in sys.argv[1:] if a != "--nur-makro"]
    ziel = Path(argumente[0]) if argumente else ORDNER
    for pfad in alle_erzeugen(ziel, nur_makro="--nur-makro" in sys.argv[1:]):
        print(pfad)
