"""CLI commands ``sozbudget ist-import``, ``jahreswechsel`` and ``verlauf`` (thin adapters).

:func:`registriere` adds them to the parser of :mod:`sozbudget_xl.cli`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..errors import SozbudgetError

__all__ = ["importiere_csv", "registriere"]


def _lies_text(pfad: Path) -> str:
    if not pfad.is_file():
        raise SozbudgetError(f"die Datei „{pfad}“ gibt es nicht")
    daten = pfad.read_bytes()
    try:
        return daten.decode("utf-8-sig")
    except UnicodeDecodeError:
        return daten.decode("cp1252")  # Excel's „CSV (Trennzeichen-getrennt)“ on German Windows


def _haushaltsjahr(mappe: Path) -> Any:
    from ..workbook import io

    return io.lese_mappe(mappe).parameter.get("Haushaltsjahr")


def importiere_csv(
    mappe: str | Path, csv_datei: str | Path, *, sicherung: bool = True, alle_ersetzen: bool = False
) -> tuple[int, int]:
    """Import a CSV export into the sheet „Ist“ of ``mappe`` (in place, with a backup). A row for
    the same Jahr, Monat, Träger, Sozialraum and Bereich as an imported one is replaced, so
    importing a month again does not count it twice (``alle_ersetzen``: the CSV replaces every row).
    Returns (imported, replaced). Any bad cell:
    nothing is written (all errors reported at once)."""
    from ..workbook import io
    from .blaetter import lies_jahresdaten
    from .ist import BLATT, buchungen_aus_zeilen, csv_zeilen, ist_blatt_zeilen

    mappe, csv_datei = Path(mappe), Path(csv_datei)
    if not mappe.is_file():
        raise SozbudgetError(f"die Arbeitsmappe „{mappe}“ gibt es nicht")
    neu = buchungen_aus_zeilen(csv_zeilen(_lies_text(csv_datei)), blatt=csv_datei.name)
    alt, _ = lies_jahresdaten(mappe)

    jahr = _haushaltsjahr(mappe)

    def schluessel(b: Any) -> tuple[Any, ...]:  # an empty Jahr is the workbook's Haushaltsjahr
        return (b.jahr or jahr, b.monat, b.traeger, b.sozialraum, (b.bereich or "").casefold())

    ersetzt = {schluessel(b) for b in neu}
    bleiben = [] if alle_ersetzen else [b for b in (alt or []) if schluessel(b) not in ersetzt]
    io.schreibe_ausgaben(mappe, {BLATT: ist_blatt_zeilen([*bleiben, *neu])}, sicherung=sicherung)
    return len(neu), len(alt or []) - len(bleiben)


def _cmd_ist_import(args: argparse.Namespace) -> int:
    n, ersetzt = importiere_csv(
        args.mappe, args.csv, sicherung=args.sicherung, alle_ersetzen=args.alle_ersetzen
    )
    print(f"{n} Ist-Zeilen aus „{Path(args.csv).name}“ in „{Path(args.mappe).name}“ übernommen"
          + (f" ({ersetzt} gleiche Zeilen ersetzt)" if ersetzt else ""))  # fmt: skip
    print(f"Soll/Ist und Jahresabschluss aktualisieren: sozbudget recalc {args.mappe} --inplace")
    return 0


def _cmd_jahreswechsel(args: argparse.Namespace) -> int:
    from ..formats import betrag
    from .jahreswechsel import jahreswechsel

    j = jahreswechsel(args.alt, args.neu)
    print(f"Arbeitsmappe für {j.jahr} angelegt: {j.neu} (aus {Path(args.alt).name}, unverändert)")
    for k in j.vortraege:
        print(f"  Vortrag {k.name} ({k.traeger}): {betrag(k.ende)}")
    for h in j.hinweise:
        print(f"  Hinweis: {h}")
    return 0


def _cmd_verlauf(args: argparse.Namespace) -> int:
    from ..formats import betrag
    from .verlauf import schreibe_verlauf, verlauf_aus_mappen

    zeilen = verlauf_aus_mappen(args.dateien)
    for jahr in dict.fromkeys(z.jahr for z in zeilen):
        teil = [z for z in zeilen if z.jahr == jahr]
        budget = sum(z.budget for z in teil)
        ist = sum(z.jahres_ist for z in teil)
        print(f"{jahr}: Budget {betrag(budget)}, Ist/Prognose {betrag(ist)}")
    print(f"geschrieben: {schreibe_verlauf(zeilen, args.ziel)}")
    return 0


def registriere(sub: Any) -> None:
    """Add ``ist-import``, ``jahreswechsel`` and ``verlauf`` to the CLI's subparsers."""
    i = sub.add_parser(
        "ist-import", help="Ist-Ausgaben aus einer CSV-Datei (;-getrennt) ins Blatt „Ist“ übernehmen"
    )
    i.add_argument("mappe", metavar="ARBEITSMAPPE")
    i.add_argument("csv", metavar="CSV-DATEI", help="Spalten wie Blatt „Ist“: Jahr;Monat;Träger;Sozialraum;…")
    i.add_argument("--kein-backup", dest="sicherung", action="store_false",
                   help="keine Sicherungskopie der vorigen Fassung anlegen")  # fmt: skip
    i.add_argument(
        "--alle-ersetzen",
        action="store_true",
        help="alle bisherigen Zeilen des Blatts „Ist“ durch die CSV-Datei ersetzen",
    )
    i.set_defaults(func=_cmd_ist_import)

    j = sub.add_parser(
        "jahreswechsel", help="Arbeitsmappe für das nächste Jahr anlegen (Vorträge, Haushaltsjahr + 1)"
    )
    j.add_argument(
        "alt", metavar="ALT.xlsx", help="Arbeitsmappe des abgelaufenen Jahres (bleibt unverändert)"
    )
    j.add_argument("neu", metavar="NEU.xlsx", help="neue Arbeitsmappe (wird nicht überschrieben)")
    j.set_defaults(func=_cmd_jahreswechsel)

    v = sub.add_parser("verlauf", help="Mehrjahresübersicht: Budget, Ist und Rücklagen je Jahr und Träger")
    v.add_argument("dateien", nargs="+", metavar="ARBEITSMAPPE", help="eine Arbeitsmappe je Jahr")
    v.add_argument("--ziel", required=True, metavar="DATEI.xlsx", help="neue Übersichtsmappe")
    v.set_defaults(func=_cmd_verlauf)
