"""The README's controlling example: ``python -m sozbudget_xl.jahr.beispiel out/jahr/juli.csv`` writes
the July export of the Celle example (one row per Träger × Sozialraum, ``;``-separated, German
numbers) as a case-management program would; the folder is created when missing.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

from ..formats import betrag

__all__ = ["juli_csv"]


def juli_csv(modell_name: str = "celle") -> str:
    """The CSV text: July's Ist of the model's example (the examples' pattern, month 7)."""
    from ..models import modell
    from .vorlage import beispiel_ist

    m = modell(modell_name)
    result = m.berechne(*m.beispiel())
    zeilen = ["Jahr;Monat;Träger;Sozialraum;Ausgaben;Fälle"]
    for b in beispiel_ist(result, monate=7):
        if b.monat == 7:
            faelle = "" if b.faelle is None else str(int(b.faelle))
            geld = betrag(b.ausgaben * Decimal("1.02"), waehrung=False)
            zeilen.append(f"{result.jahr};7;{b.traeger};{b.sozialraum or ''};{geld};{faelle}")
    return "\n".join(zeilen) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("Aufruf: python -m sozbudget_xl.jahr.beispiel ZIEL.csv", file=sys.stderr)
        return 2
    ziel = Path(argv[0])
    ziel.parent.mkdir(parents=True, exist_ok=True)
    ziel.write_text(juli_csv(), encoding="utf-8")
    print(f"geschrieben: {ziel}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
