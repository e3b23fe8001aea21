"""The ``sozbudget`` command. Thin: parse options, call the library, print German text.

Exit codes: 0 success, 2 a user error (:class:`SozbudgetError`, German message).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

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


# --------------------------------------------------------------------------- batch helpers


class Fortschritt:
    """A progress display on stderr: a bar on a terminal, one line per file otherwise."""

    def __init__(self, gesamt: int, stream: Any = None) -> None:
        self.gesamt = gesamt
        self.fertig = 0
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def schritt(self, text: str) -> None:
        self.fertig += 1
        if self.tty:
            breite = 30
            voll = breite * self.fertig // max(self.gesamt, 1)
            balken = "#" * voll + "-" * (breite - voll)
            self.stream.write(f"\r[{balken}] {self.fertig}/{self.gesamt} {text[:60]:<60}")
            if self.fertig == self.gesamt:
                self.stream.write("\n")
        else:
            self.stream.write(f"[{self.fertig}/{self.gesamt}] {text}\n")
        self.stream.flush()


def _ausfuehren(
    aufgabe: Callable[[str], Any], dateien: Sequence[str], jobs: int
) -> Iterator[tuple[str, Any, str]]:
    """Run ``aufgabe`` per file (in ``jobs`` processes); yields (file, result, error text)."""
    if jobs <= 1 or len(dateien) <= 1:
        for datei in dateien:
            yield (datei, *_sicher(aufgabe, datei))
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [(d, pool.submit(_sicher, aufgabe, d)) for d in dateien]
        for datei, future in futures:
            yield (datei, *future.result())


def _sicher(aufgabe: Callable[[str], Any], datei: str) -> tuple[Any, str]:
    """Call ``aufgabe`` and turn errors into German text (picklable across processes)."""
    try:
        return aufgabe(datei), ""
    except SozbudgetError as exc:
        return None, str(exc)
    except Exception as exc:
        return None, f"interner Fehler ({type(exc).__name__}): {exc}"


def _jobs(wert: int | None) -> int:
    if wert is None:
        return 1
    if wert < 1:
        raise SozbudgetError("--jobs muss mindestens 1 sein", field="--jobs", found=wert)
    return min(wert, os.cpu_count() or 1, 61)


def _summe_text(z: Any) -> str:
    from .formats import betrag

    teile = [f"Modell {z.modell}", f"{z.positionen} Positionen", f"Gesamt {betrag(z.gesamt)}"]
    if z.hinweise:
        teile.append(f"{len(z.hinweise)} Hinweis(e)")
    return ", ".join(teile).replace("\xa0", " ")


def _recalc_aufgabe(datei: str, ausgabeordner: str | None, sicherung: bool) -> Any:
    from .workbook.recalc import neu_berechnen

    return neu_berechnen(datei, ausgabeordner=ausgabeordner, sicherung=sicherung)


def _check_aufgabe(datei: str) -> Any:
    from .workbook.recalc import pruefe_mappe

    return pruefe_mappe(datei)


class _Aufgabe:
    """Picklable partial for the process pool."""

    def __init__(self, func: Callable[..., Any], *args: Any) -> None:
        self.func, self.args = func, args

    def __call__(self, datei: str) -> Any:
        return self.func(datei, *self.args)


def _dateien(muster: Sequence[str]) -> list[str]:
    """Expand wildcards ourselves (cmd.exe on Windows does not); a pattern without a match is
    kept, so it is reported as a missing file."""
    import glob

    out: list[str] = []
    for m in muster:
        treffer = sorted(glob.glob(m)) if any(c in m for c in "*?[") and not Path(m).exists() else []
        out.extend(treffer or [m])
    return out


def _batch(args: argparse.Namespace, aufgabe: Callable[[str], Any], verb: str) -> int:
    dateien = _dateien(args.dateien)
    fortschritt = Fortschritt(len(dateien))
    fehler = 0
    zeilen: list[str] = []
    for datei, z, text in _ausfuehren(aufgabe, dateien, _jobs(args.jobs)):
        name = Path(datei).name
        if text:
            fehler += 1
            fortschritt.schritt(f"{name}: Fehler")
            zeilen.append(f"FEHLER  {datei}: {text}")
            continue
        fortschritt.schritt(f"{name}: ok")
        zeile = f"OK      {datei}: {_summe_text(z)}"
        if getattr(z, "geschrieben", None):
            zeile += f" → {verb} {z.geschrieben}"
        if getattr(z, "ergebnisdatei", False):
            zeile += f"\n        Original unverändert, Ergebnis in eigener Datei: {z.grund}"
        zeilen.extend([zeile, *(f"        Hinweis: {h}" for h in z.hinweise)])
    print("\n".join(zeilen))
    ok = len(dateien) - fehler
    print(
        f"{ok} von {len(dateien)} Arbeitsmappe(n) erfolgreich" + (f", {fehler} mit Fehlern" if fehler else "")
    )
    return 2 if fehler else 0


def _cmd_recalc(args: argparse.Namespace) -> int:
    if bool(args.inplace) == bool(args.out):
        raise SozbudgetError("bitte genau eine der Optionen --inplace oder --out ORDNER angeben")
    return _batch(args, _Aufgabe(_recalc_aufgabe, args.out, args.sicherung), "geschrieben:")


def _cmd_check(args: argparse.Namespace) -> int:
    return _batch(args, _check_aufgabe, "")


def _cmd_new(args: argparse.Namespace) -> int:
    from .models import modell
    from .workbook.vorlage import erzeuge

    ziel = Path(args.datei)
    modul = modell(args.modell)
    if ziel.exists():
        raise SozbudgetError(f"die Datei „{ziel}“ gibt es schon; sie wird nicht überschrieben")
    if ziel.suffix.lower() not in (".xlsx", ".xlsm"):
        raise SozbudgetError("der Dateiname muss auf .xlsx enden", found=ziel.name)
    erzeuge(modul.NAME, ziel, leer=not args.beispiel)
    art = "Arbeitsmappe mit Beispieldaten" if args.beispiel else "Leere Arbeitsmappe"
    print(f"{art} für „{modul.TITEL}“ angelegt: {ziel}")
    return 0


def _annex_aufgabe(datei: str, out: str, formate: tuple[str, ...], templates: str | None) -> list[Path]:
    from .annex import alle_anlagen, vertraege
    from .workbook.recalc import berechne_mappe

    b = berechne_mappe(datei)
    jugendamt = str(b.mappen_parameter.get("Jugendamt") or "Jugendamt")
    ordner = Path(out) / Path(datei).stem
    ordner.mkdir(parents=True, exist_ok=True)
    return alle_anlagen(
        b.ergebnis, vertraege(b.ergebnis, jugendamt), ordner, formate=formate, templates_dir=templates
    )


def _cmd_annex(args: argparse.Namespace) -> int:
    formate = tuple(f.strip().lower() for f in args.format.split(",") if f.strip())
    erlaubt = ("docx", "html", "pdf")
    if not formate or any(f not in erlaubt for f in formate):
        raise SozbudgetError(
            "unbekanntes Format", field="--format", expected="docx, html, pdf", found=args.format
        )
    if "pdf" in formate:
        import shutil

        if not shutil.which("soffice"):
            raise SozbudgetError(
                "für PDF wird LibreOffice benötigt (Debian/Ubuntu: apt-get install libreoffice-writer); "
                "ohne PDF: --format docx,html"
            )
    dateien = _dateien(args.dateien)
    fortschritt = Fortschritt(len(dateien))
    fehler = 0
    for datei, erzeugt, text in _ausfuehren(
        _Aufgabe(_annex_aufgabe, args.out, formate, args.templates), dateien, _jobs(args.jobs)
    ):
        if text:
            fehler += 1
            fortschritt.schritt(f"{Path(datei).name}: Fehler")
            print(f"FEHLER  {datei}: {text}")
        else:
            fortschritt.schritt(f"{Path(datei).name}: {len(erzeugt)} Datei(en)")
            print(f"OK      {datei}: {len(erzeugt)} Datei(en) in {Path(args.out) / Path(datei).stem}")
    return 2 if fehler else 0


_UEBERSETZUNG = (
    ("the following arguments are required:", "diese Angaben fehlen:"),
    ("unrecognized arguments:", "unbekannte Angaben:"),
    ("invalid choice:", "ungültige Auswahl:"),
    ("choose from", "möglich sind"),
    ("invalid int value:", "keine ganze Zahl:"),
    ("not allowed with argument", "nicht zusammen mit"),
    ("expected one argument", "erwartet einen Wert"),
    ("argument ", "Angabe "),
    ("usage:", "Aufruf:"),
)


def _deutsch(text: str) -> str:
    for englisch, deutsch in _UEBERSETZUNG:
        text = text.replace(englisch, deutsch)
    return text


class DeutscherParser(argparse.ArgumentParser):
    """argparse with German usage, section titles, help option and error messages."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "Angaben"
        self._optionals.title = "Optionen"
        self.add_argument("-h", "--help", action="help", help="diese Hilfe zeigen und beenden")

    def format_usage(self) -> str:
        return _deutsch(super().format_usage())

    def format_help(self) -> str:
        return _deutsch(super().format_help())

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: Fehler: {_deutsch(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = DeutscherParser(
        prog="sozbudget",
        description="Sozialraumbudgets, Sozialindikatoren und Vertragsanlagen.",
    )
    parser.add_argument(
        "--version", action="version", version=f"sozbudget_xl {__version__}", help="Version zeigen"
    )
    sub = parser.add_subparsers(dest="befehl", metavar="BEFEHL", parser_class=DeutscherParser)
    sub.title = "Befehle"
    demo = sub.add_parser("demo", help="Rechenbeispiel: Indikatoren, Budgetschlüssel, Übergang")
    demo.add_argument("--out", metavar="ORDNER", help="Bericht zusätzlich in ORDNER/demo.txt speichern")
    demo.set_defaults(func=_cmd_demo)
    modelle = sub.add_parser("modelle", help="Die Budgetmodelle auflisten")
    modelle.set_defaults(func=_cmd_modelle)

    recalc = sub.add_parser("recalc", help="Arbeitsmappen neu berechnen (schreibt nur die Ergebnisblätter)")
    recalc.add_argument("dateien", nargs="+", metavar="ARBEITSMAPPE")
    ziel = recalc.add_mutually_exclusive_group()
    ziel.add_argument("--inplace", action="store_true", help="Ergebnisse in die Mappe selbst schreiben")
    ziel.add_argument("--out", metavar="ORDNER", help="Ergebnisse in Kopien in ORDNER schreiben")
    sicherung = recalc.add_mutually_exclusive_group()
    sicherung.add_argument(
        "--backup",
        "--sicherung",
        dest="sicherung",
        action="store_true",
        default=True,
        help="bei --inplace die vorige Fassung in den Ordner .sozbudget-sicherung neben der Mappe "
        "sichern (Standard; die neuesten 10 je Mappe bleiben)",
    )
    sicherung.add_argument(
        "--kein-backup",
        "--keine-sicherung",
        dest="sicherung",
        action="store_false",
        help="bei --inplace keine Sicherungskopie der vorigen Fassung anlegen",
    )
    recalc.add_argument("--jobs", type=int, metavar="N", help="N Mappen parallel (Prozessorkerne)")
    recalc.set_defaults(func=_cmd_recalc)

    check = sub.add_parser("check", help="Arbeitsmappen nur prüfen und rechnen, nichts schreiben")
    check.add_argument("dateien", nargs="+", metavar="ARBEITSMAPPE")
    check.add_argument("--jobs", type=int, metavar="N", help="N Mappen parallel")
    check.set_defaults(func=_cmd_check)

    new = sub.add_parser("new", help="Leere Arbeitsmappe für ein Modell anlegen")
    new.add_argument("modell", metavar="MODELL", help="z. B. kgst, stuttgart, celle")
    new.add_argument("datei", metavar="DATEI", help="neue .xlsx-Datei (wird nicht überschrieben)")
    new.add_argument(
        "--beispiel", action="store_true", help="mit dem Rechenbeispiel des Modells füllen statt leer"
    )
    new.set_defaults(func=_cmd_new)

    annex = sub.add_parser("annex", help="Vertragsanlagen je Träger und Sozialraum erzeugen")
    annex.add_argument("dateien", nargs="+", metavar="ARBEITSMAPPE")
    annex.add_argument(
        "--format", default="docx,html", help="docx, html, pdf (kommagetrennt; Standard docx,html)"
    )
    annex.add_argument("--out", required=True, metavar="ORDNER", help="Zielordner")
    annex.add_argument("--templates", metavar="ORDNER", help="eigene Vorlagen statt templates/")
    annex.add_argument("--jobs", type=int, metavar="N", help="N Mappen parallel")
    annex.set_defaults(func=_cmd_annex)

    from .analyse.befehle import registriere as _analyse_befehle

    _analyse_befehle(sub)  # vergleich, szenarien, robustheit (issue 18)
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
