"""The ``sozbudget`` command. Thin: parse options, call the library, print German text.

Exit codes: 0 success, 2 a user error (:class:`SozbudgetError`, German message).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .errors import SozbudgetError


def _cmd_demo(args: argparse.Namespace) -> int:
    from .demo import bericht

    text = bericht()
    print(text, end="")
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "demo.txt").write_text(text, encoding="utf-8")
        print(f"Bericht gespeichert: {out / 'demo.txt'}")
    return 0


def _cmd_modelle(args: argparse.Namespace) -> int:
    from .models import alle_modelle

    for m in alle_modelle():
        print(f"{m.NAME:<12} {m.TITEL} — {m.QUELLE}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sozbudget",
        description="Sozialraumbudgets, Sozialindikatoren und Vertragsanlagen.",
    )
    parser.add_argument("--version", action="version", version=f"sozbudget_xl {__version__}")
    sub = parser.add_subparsers(dest="befehl", metavar="BEFEHL")
    demo = sub.add_parser("demo", help="Rechenbeispiel: Indikatoren, Budgetschlüssel, Übergang")
    demo.add_argument("--out", metavar="ORDNER", help="Bericht zusätzlich in ORDNER/demo.txt speichern")
    demo.set_defaults(func=_cmd_demo)
    modelle = sub.add_parser("modelle", help="Die Budgetmodelle auflisten")
    modelle.set_defaults(func=_cmd_modelle)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args))
    except SozbudgetError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
