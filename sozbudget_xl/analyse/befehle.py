"""CLI commands ``sozbudget vergleich``, ``szenarien``, ``robustheit`` (thin adapters).

:func:`registriere` adds the three subcommands to the parser of :mod:`sozbudget_xl.cli`.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..errors import SozbudgetError

__all__ = ["registriere"]


def _pdf_moeglich(args: argparse.Namespace) -> bool:
    return not args.kein_pdf


def _ausgabe(pfade: list[Any]) -> None:
    for p in pfade:
        print(f"geschrieben: {p}")


def _cmd_vergleich(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .bericht import schreibe_vergleich
    from .mappe import situation_aus_mappe
    from .zerlegung import zerlege

    alt, neu = situation_aus_mappe(args.alt), situation_aus_mappe(args.neu)
    z = zerlege(alt, neu)
    print(f"Warum ändert sich das Budget? ({Path(args.alt).name} → {Path(args.neu).name})")
    for s in z.ids:
        print("  " + z.saetze[s])
    if z.traeger is not None:
        print("Je Träger:")
        for t in z.traeger.ids:
            print("  " + z.traeger.saetze[t])
    if args.out:
        _ausgabe(
            schreibe_vergleich(
                z,
                args.out,
                titel_alt=Path(args.alt).name,
                titel_neu=Path(args.neu).name,
                pdf=_pdf_moeglich(args),
            )
        )
    return 0


def _cmd_szenarien(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..formats import betrag
    from .bericht import schreibe_szenarien
    from .mappe import situation_aus_mappe
    from .szenarien import STANDARD_VARIANTEN, lies_variante, vergleiche_szenarien

    sit = situation_aus_mappe(args.mappe)
    varianten = [lies_variante(t) for t in args.variante] if args.variante else list(STANDARD_VARIANTEN)
    v = vergleiche_szenarien(sit, varianten, referenz=args.referenz)
    print(f"Szenarien für {Path(args.mappe).name} (Referenz: {v.referenz})")
    breite = max(len(s) for s in v.ids)
    print(" " * (breite + 2) + "".join(f"{n[:16]:>18}" for n in v.varianten))
    for s in v.ids:
        zellen = "".join(f"{betrag(v.budgets[n][s]).replace(chr(160), ' '):>18}" for n in v.varianten)
        print(f"  {s:<{breite}}{zellen}")
    if args.out:
        _ausgabe(schreibe_szenarien(v, args.out, titel=Path(args.mappe).name, pdf=_pdf_moeglich(args)))
    return 0


def _prozent(text: str) -> float:
    t = text.strip().replace(",", ".")
    try:
        return float(t[:-1]) / 100 if t.endswith("%") else float(t)
    except ValueError:
        raise SozbudgetError("ungültige Prozentangabe", field="--gewichte-spanne", found=text) from None


#: imputations compared when a value is marked as missing and no --ersatzwerte are given
ERSATZ_STANDARD = ("eingetragen", "mittelwert", "median", "minimum", "maximum")


def _liste(text: str) -> tuple[str, ...]:
    return tuple(m.strip().lower() for m in text.split(",") if m.strip())


def _zelle(text: str) -> tuple[str, str]:
    s, sep, n = text.partition(":")
    if not sep or not s.strip() or not n.strip():
        raise SozbudgetError(
            "fehlender Wert: Sozialraum und Indikator angeben",
            field="--fehlend",
            found=text,
            expected="„Sozialraum:Indikator“",
        )
    return s.strip(), n.strip()


def _cmd_robustheit(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..cli import Fortschritt
    from .bericht import robustheit_saetze, schreibe_robustheit
    from .mappe import situation_aus_mappe
    from .robustheit import Unsicherheit, robustheit

    sit = situation_aus_mappe(args.mappe)
    methoden = _liste(args.methoden) if args.methoden else ()
    zellen = tuple(_zelle(z) for z in args.fehlend or ())
    ersatz = (
        _liste(args.ersatzwerte) if args.ersatzwerte else (ERSATZ_STANDARD if zellen or sit.fehlend else ())
    )
    u = Unsicherheit(
        methoden=methoden,
        sd_typen=(0, 1) if args.sd else (),
        gewichte_spanne=_prozent(args.gewichte_spanne) if args.gewichte_spanne else 0.0,
        indikatoren_weglassen=args.weglassen,
        ersatzwerte=ersatz,
        fehlende_werte=zellen,
    )
    balken: dict[str, Any] = {}

    def fortschritt(fertig: int, gesamt: int) -> None:
        if "f" not in balken:
            balken["f"] = Fortschritt(max(1, -(-gesamt // 500)), sys.stderr)
        balken["f"].schritt(f"{fertig} von {gesamt} Ziehungen")

    r = robustheit(sit, u, args.ziehungen, seed=args.seed, fortschritt=fortschritt)
    print(f"Robustheit für {Path(args.mappe).name}")
    for s in robustheit_saetze(r):
        print("  " + s)
    if args.out:
        _ausgabe(schreibe_robustheit(r, args.out, titel=Path(args.mappe).name, pdf=_pdf_moeglich(args)))
    return 0


def registriere(sub: Any) -> None:
    """Add ``vergleich``, ``szenarien`` and ``robustheit`` to the CLI's subparsers."""
    v = sub.add_parser(
        "vergleich", help="Warum ändert sich das Budget? Veränderung ALT → NEU je Sozialraum zerlegen"
    )
    v.add_argument("alt", metavar="ALT.xlsx", help="Arbeitsmappe des Vorjahres (bzw. der alten Fassung)")
    v.add_argument("neu", metavar="NEU.xlsx", help="Arbeitsmappe des neuen Jahres (bzw. der neuen Fassung)")
    v.add_argument(
        "--out", metavar="ORDNER", help="Bericht (HTML, PDF) und Ergebnismappe in ORDNER schreiben"
    )
    v.add_argument("--kein-pdf", action="store_true", help="keinen PDF-Bericht schreiben")
    v.set_defaults(func=_cmd_vergleich)

    s = sub.add_parser(
        "szenarien", help="Budget je Sozialraum unter mehreren Varianten (Methode, Gewichte, …)"
    )
    s.add_argument("mappe", metavar="ARBEITSMAPPE")
    s.add_argument(
        "--variante",
        action="append",
        metavar="TEXT",
        help="„Name: methode=z, sd=stichprobe, gewichte=A 60%%/B 40%%, indikatoren=A;B, schluessel=kopf, "
        "jahre=3, schritt=1, kappung=5%%, fonds=10%%“ (mehrfach; ohne Angabe: alle Methoden)",
    )
    s.add_argument("--referenz", metavar="NAME", help="Variante, zu der die Differenzen gerechnet werden")
    s.add_argument(
        "--out", metavar="ORDNER", help="Bericht (HTML, PDF) und Ergebnismappe in ORDNER schreiben"
    )
    s.add_argument("--kein-pdf", action="store_true", help="keinen PDF-Bericht schreiben")
    s.set_defaults(func=_cmd_szenarien)

    r = sub.add_parser("robustheit", help="Wie robust ist der Schlüssel? Monte-Carlo mit Sobol-Indizes")
    r.add_argument("mappe", metavar="ARBEITSMAPPE")
    r.add_argument("--methoden", metavar="LISTE", help="unsichere Methode: Auswahl, z. B. spw,index100,t")
    r.add_argument(
        "--sd", action="store_true", help="Standardabweichung Grundgesamtheit oder Stichprobe offen"
    )
    r.add_argument(
        "--gewichte-spanne", metavar="PROZENT", help="jedes Gewicht um ± PROZENT variieren, z. B. 50%%"
    )
    r.add_argument(
        "--weglassen", action="store_true", help="jeden Indikator in einem Viertel der Ziehungen weglassen"
    )
    r.add_argument(
        "--fehlend",
        action="append",
        metavar="SOZIALRAUM:INDIKATOR",
        help="diesen Wert als fehlend behandeln und ersetzen (mehrfach möglich)",
    )
    r.add_argument(
        "--ersatzwerte",
        metavar="LISTE",
        help="unsicherer Ersatz fehlender Werte, Auswahl aus eingetragen, mittelwert, median, minimum, "
        "maximum, null (Standard mit --fehlend: die ersten fünf)",
    )
    r.add_argument(
        "--ziehungen",
        type=int,
        default=256,
        metavar="N",
        help="Basisgröße N der Stichprobe (Zweierpotenz; insgesamt N·(Wahlen+2) Ziehungen; Standard 256)",
    )
    r.add_argument(
        "--seed", type=int, default=0, metavar="ZAHL", help="Startwert des Zufallsgenerators (Standard 0)"
    )
    r.add_argument(
        "--out", metavar="ORDNER", help="Bericht (HTML, PDF) und Ergebnismappe in ORDNER schreiben"
    )
    r.add_argument("--kein-pdf", action="store_true", help="keinen PDF-Bericht schreiben")
    r.set_defaults(func=_cmd_robustheit)
