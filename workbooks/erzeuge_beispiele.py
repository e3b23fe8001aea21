"""Regenerate the example workbooks of every model (and the xlwings macro workbook).

Usage: ``python workbooks/erzeuge_beispiele.py [ORDNER]`` (default: this folder). Writes
``<modell>.xlsx`` for every registered model and ``kgst_makro.xlsm``. The builder lives in
:mod:`sozbudget_xl.workbook.vorlage`; ``erzeuge`` is re-exported for ``sozbudget new``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sozbudget_xl.models import MODELLE
from sozbudget_xl.workbook.vorlage import MAKRO_MODELL, erzeuge, erzeuge_makro

__all__ = ["alle_erzeugen", "erzeuge"]

ORDNER = Path(__file__).resolve().parent


def alle_erzeugen(ordner: Path = ORDNER) -> list[Path]:
    """Write every example workbook into ``ordner``; returns the paths."""
    ordner.mkdir(parents=True, exist_ok=True)
    pfade = [erzeuge(name, ordner / f"{name}.xlsx") for name in MODELLE]
    pfade.append(erzeuge_makro(ordner / f"{MAKRO_MODELL}_makro.xlsm"))
    return pfade


if __name__ == "__main__":
    ziel = Path(sys.argv[1]) if len(sys.argv) > 1 else ORDNER
    for pfad in alle_erzeugen(ziel):
        print(pfad)
