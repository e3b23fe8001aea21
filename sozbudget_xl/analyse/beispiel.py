"""Example for the change decomposition: the Drei-Säulen example workbook one year later.

``python -m sozbudget_xl.analyse.beispiel ZIEL.xlsx [QUELLE.xlsx]`` writes a copy of
``workbooks/dreisaeulen.xlsx`` (or QUELLE) with the Quartier data of a following year
(fictitious, realistic changes: fewer young inhabitants in Nordstadt, a higher SGB-II rate in
Südring, a larger Quartiersbudget). The source is never modified. The copy names its source in
the Parameter row „Vorjahresmappe“ (path relative to the copy's folder), so ``sozbudget recalc``
adds the sheet „Veränderung“ to it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from ..errors import SozbudgetError
from .mappe import VORJAHRESMAPPE

__all__ = ["AENDERUNGEN", "folgejahr"]

#: Quartier → column → new value; and the new Quartiersbudget
AENDERUNGEN: dict[str, dict[str, Any]] = {
    "Nordstadt": {"Jugendeinwohner": 2890, "SGB-II-Quote U18": 23.4},
    "Südring": {"SGB-II-Quote U18": 21.6},
    "Gartenvorstadt": {"Jugendeinwohner": 1710},
}
QUARTIERSBUDGET = 186_000


def folgejahr(ziel: str | Path, quelle: str | Path | None = None) -> Path:
    """Write the following-year example workbook to ``ziel`` (must not exist)."""
    import openpyxl

    quelle = (
        Path(quelle) if quelle else Path(__file__).resolve().parents[2] / "workbooks" / "dreisaeulen.xlsx"
    )
    ziel = Path(ziel)
    if ziel.exists():
        raise SozbudgetError(f"die Datei „{ziel}“ gibt es schon; sie wird nicht überschrieben")
    if not quelle.exists():
        raise SozbudgetError(f"die Beispielmappe „{quelle}“ fehlt")
    wb = openpyxl.load_workbook(quelle)
    ws = wb["Parameter"]
    for zeile in ws.iter_rows(min_col=1, max_col=2):
        if zeile[0].value == "Quartiersbudget":
            zeile[1].value = QUARTIERSBUDGET
    try:
        name = Path(os.path.relpath(quelle.resolve(), ziel.resolve().parent)).as_posix()
    except ValueError:  # another drive (Windows): the absolute path
        name = str(quelle.resolve())
    ws.append([VORJAHRESMAPPE, name, "Vorgänger dieser Mappe: Blatt „Veränderung“"])
    ws = wb["Quartiere"]
    kopf = [c.value for c in ws[1]]
    for zeile in ws.iter_rows(min_row=2):
        name = zeile[0].value
        for spalte, wert in AENDERUNGEN.get(name, {}).items():
            zeile[kopf.index(spalte)].value = wert
    ziel.parent.mkdir(parents=True, exist_ok=True)
    wb.save(ziel)
    return ziel


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - thin wrapper
    args = sys.argv[1:] if argv is None else argv
    if not 1 <= len(args) <= 2:
        print("Aufruf: python -m sozbudget_xl.analyse.beispiel ZIEL.xlsx [QUELLE.xlsx]", file=sys.stderr)
        return 2
    try:
        print(f"Beispiel Folgejahr geschrieben: {folgejahr(*args)}")
    except SozbudgetError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
