"""The ``sozbudget`` command. Thin: parse options, call the library, print German text.

Exit codes: 0 success; 2 a user error (:class:`SozbudgetError`, German message) or at least
one workbook of a batch with an error — also a workbook whose worker process died (its line
says so, the other workbooks are processed); 130 stopped with Ctrl-C (the summary says which
workbooks were finished and which were not touched). No traceback, no English system message.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
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


class Lauf:
    """State of one batch run shared with :func:`_ausfuehren` (was it interrupted?)."""

    def __init__(self) -> None:
        self.abgebrochen = False


#: error text of a workbook whose worker process died (killed, out of memory, crashed)
ABSTURZ = (
    "der Arbeitsprozess für diese Mappe wurde unerwartet beendet (z. B. zu wenig Arbeitsspeicher "
    "oder vom System abgebrochen); die Mappe ist unverändert oder vollständig geschrieben, nie halb"
)
#: error texts after Ctrl-C
UNTERBROCHEN = (
    "während der Bearbeitung abgebrochen (Strg+C); die Datei ist unverändert oder vollständig "
    "geschrieben, nie halb"
)
NICHT_BEARBEITET = "nicht bearbeitet (Abbruch mit Strg+C)"


def _worker_start() -> None:
    """Workers ignore Ctrl-C: the main process stops the batch and waits for running files."""
    with contextlib.suppress(ValueError, OSError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _ausfuehren(
    aufgabe: Callable[[str], Any], dateien: Sequence[str], jobs: int, lauf: Lauf | None = None
) -> Iterator[tuple[str, Any, str]]:
    """Run ``aufgabe`` per file (in ``jobs`` processes); yields (file, result, error text) for
    every file, also when a worker dies (that file gets :data:`ABSTURZ`, the others go on) or
    the user presses Ctrl-C (``lauf.abgebrochen``; unstarted files get :data:`NICHT_BEARBEITET`)."""
    lauf = lauf or Lauf()
    if jobs <= 1 or len(dateien) <= 1:
        for i, datei in enumerate(dateien):
            try:
                ergebnis = _sicher(aufgabe, datei)
            except KeyboardInterrupt:
                lauf.abgebrochen = True
                yield datei, None, UNTERBROCHEN
                yield from ((d, None, NICHT_BEARBEITET) for d in dateien[i + 1 :])
                return
            yield (datei, *ergebnis)
        return
    yield from _parallel(aufgabe, dateien, jobs, lauf)


def _parallel(
    aufgabe: Callable[[str], Any], dateien: Sequence[str], jobs: int, lauf: Lauf
) -> Iterator[tuple[str, Any, str]]:
    from concurrent.futures import ProcessPoolExecutor  # here: 20 ms of every start (issue 15)
    from concurrent.futures.process import BrokenProcessPool

    nachholen: list[str] = []
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_worker_start)
    futures: list[tuple[str, Any]] = []
    erledigt: set[str] = set()
    try:
        futures.extend((d, pool.submit(_sicher, aufgabe, d)) for d in dateien)
        for datei, future in futures:
            try:
                ergebnis = future.result()
            except BrokenProcessPool:
                nachholen.append(datei)
                continue
            erledigt.add(datei)
            yield (datei, *ergebnis)
    except KeyboardInterrupt:
        lauf.abgebrochen = True
        pool.shutdown(wait=True, cancel_futures=True)
        for datei in dateien[len(futures) :]:  # interrupted while submitting
            yield datei, None, NICHT_BEARBEITET
        for datei, future in futures:
            if datei in erledigt:
                continue
            if future.cancelled() or not future.done():
                yield datei, None, NICHT_BEARBEITET
            elif future.exception() is None:
                yield (datei, *future.result())
            else:
                yield datei, None, ABSTURZ
        return
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    for i, datei in enumerate(nachholen):  # each alone: the one that kills its worker is found
        try:
            yield (datei, *_einzeln(aufgabe, datei))
        except KeyboardInterrupt:
            lauf.abgebrochen = True
            yield from ((d, None, NICHT_BEARBEITET) for d in nachholen[i:])
            return


def _einzeln(aufgabe: Callable[[str], Any], datei: str) -> tuple[Any, str]:
    """Run one file in a process of its own (after a worker died in the shared pool)."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(max_workers=1, initializer=_worker_start) as pool:
        try:
            return pool.submit(_sicher, aufgabe, datei).result()
        except BrokenProcessPool:
            return None, ABSTURZ


def _sicher(aufgabe: Callable[[str], Any], datei: str) -> tuple[Any, str]:
    """Call ``aufgabe`` and turn every error into German text (picklable across processes;
    never an exception's repr or an English system message)."""
    try:
        return aufgabe(datei), ""
    except SozbudgetError as exc:
        return None, str(exc)
    except Exception as exc:
        from .workbook.schutz import fehler_text

        return None, fehler_text(exc, datei)


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


def _lade_eingefroren(modul: str) -> Any:
    """``importlib.import_module(modul)`` for a command's heavy modules (openpyxl, numpy, the
    models). The first import runs with the cyclic garbage collector paused, and what it built
    — objects that live until the process ends — goes into the permanent generation
    (:func:`gc.freeze`, Python's documented pattern for long-lived start-up objects). Otherwise
    every later collection, and those at exit, walk them all again: ≈ 50 ms of a one-workbook
    recalc (issue 15). Garbage made afterwards is collected as before; a module already loaded
    (a second call in the same process) freezes nothing."""
    if modul in sys.modules:
        return sys.modules[modul]
    import gc
    import importlib

    war_an = gc.isenabled()
    gc.disable()
    try:
        return importlib.import_module(modul)
    finally:
        gc.freeze()
        if war_an:
            gc.enable()


def _recalc_aufgabe(datei: str, ausgabeordner: str | None, sicherung: bool) -> Any:
    recalc = _lade_eingefroren("sozbudget_xl.workbook.recalc")
    return recalc.neu_berechnen(datei, ausgabeordner=ausgabeordner, sicherung=sicherung)


def _check_aufgabe(datei: str) -> Any:
    return _lade_eingefroren("sozbudget_xl.workbook.recalc").pruefe_mappe(datei)


class _Aufgabe:
    """Picklable partial for the process pool."""

    def __init__(self, func: Callable[..., Any], *args: Any) -> None:
        self.func, self.args = func, args

    def __call__(self, datei: str) -> Any:
        return self.func(datei, *self.args)


def _dateien(muster: Sequence[str]) -> tuple[list[str], list[str]]:
    """Expand wildcards ourselves (cmd.exe on Windows does not); a pattern without a match is
    kept, so it is reported as a missing file. Lock files of Excel and LibreOffice (``~$…``,
    ``.~lock.…#``) are never workbooks; a file named twice is processed once. Returns the
    files and notes for the user."""
    import glob

    from .workbook.schutz import ist_sperrdatei

    out: list[str] = []
    notizen: list[str] = []
    gesehen: set[str] = set()
    for m in muster:
        treffer = sorted(glob.glob(m)) if any(c in m for c in "*?[") and not Path(m).exists() else []
        for datei in treffer or [m]:
            if ist_sperrdatei(Path(datei).name):
                notizen.append(f"übersprungen: „{datei}“ ist eine Sperrdatei von Excel bzw. LibreOffice")
                continue
            schluessel = os.path.normcase(os.path.realpath(datei))
            if schluessel in gesehen:
                notizen.append(f"„{datei}“ ist mehrfach angegeben und wird einmal bearbeitet")
                continue
            gesehen.add(schluessel)
            out.append(datei)
    return out, notizen


def _pruefe_ziele(dateien: Sequence[str], schluessel: Callable[[Path], str], wohin: str) -> None:
    """Refuse, before anything is written, inputs that would land on the same output."""
    ziele: dict[str, list[str]] = {}
    for datei in dateien:
        ziele.setdefault(schluessel(Path(datei)), []).append(datei)
    doppelt = [d for d in ziele.values() if len(d) > 1]
    if doppelt:
        paare = "; ".join(" und ".join(f"„{x}“" for x in d) for d in doppelt[:5])
        raise SozbudgetError(
            f"mehrere Arbeitsmappen würden {wohin} landen und sich gegenseitig überschreiben: {paare}. "
            "Es wurde nichts geschrieben – bitte umbenennen oder getrennt mit verschiedenen --out-Ordnern "
            "aufrufen."
        )


def _batch(args: argparse.Namespace, aufgabe: Callable[[str], Any], verb: str, dateien: list[str]) -> int:
    fortschritt = Fortschritt(len(dateien))
    fehler = 0
    zeilen: list[str] = []
    lauf = Lauf()
    from .workbook.schutz import anzeigename as zeig  # a file name never forges an output line

    for datei, z, text in _ausfuehren(aufgabe, dateien, _jobs(args.jobs), lauf):
        name = zeig(Path(datei).name)
        if text:
            fehler += 1
            fortschritt.schritt(f"{name}: Fehler")
            zeilen.append(f"FEHLER  {zeig(datei)}: {zeig(text)}")
            continue
        fortschritt.schritt(f"{name}: ok")
        zeile = f"OK      {zeig(datei)}: {_summe_text(z)}"
        if getattr(z, "geschrieben", None):
            zeile += f" → {verb} {zeig(z.geschrieben)}"
        if getattr(z, "ergebnisdatei", False):
            zeile += f"\n        Original unverändert, Ergebnis in eigener Datei: {zeig(z.grund)}"
        zeilen.extend([zeile, *_hinweiszeilen(z, zeig)])
    print("\n".join(zeilen))
    if lauf.abgebrochen:
        print(_abbruch_text(dateien, zeilen))
        return EXIT_ABBRUCH
    ok = len(dateien) - fehler
    print(
        f"{ok} von {len(dateien)} Arbeitsmappe(n) erfolgreich" + (f", {fehler} mit Fehlern" if fehler else "")
    )
    return EXIT_FEHLER if fehler else EXIT_OK


#: hints shown per workbook that was written; all of them are in its sheet „Kennzahlen“
HINWEISE_ANGEZEIGT = 10


def _hinweiszeilen(z: Any, zeig: Callable[[str], str]) -> list[str]:
    """The hint lines of one workbook: all for a check; for a written workbook the first
    :data:`HINWEISE_ANGEZEIGT` and where the others are (1.000 Träger can give 500 hints)."""
    hinweise = list(z.hinweise)
    if getattr(z, "geschrieben", None) and len(hinweise) > HINWEISE_ANGEZEIGT + 1:
        rest = len(hinweise) - HINWEISE_ANGEZEIGT
        return [f"        Hinweis: {zeig(h)}" for h in hinweise[:HINWEISE_ANGEZEIGT]] + [
            f"        … und {rest} weitere Hinweise, alle im Blatt „Kennzahlen“ unter „Hinweise“"
        ]
    return [f"        Hinweis: {zeig(h)}" for h in hinweise]


def _abbruch_text(dateien: Sequence[str], zeilen: Sequence[str]) -> str:
    ok = sum(z.startswith("OK ") for z in zeilen)
    offen = sum(NICHT_BEARBEITET in z for z in zeilen)
    return (
        f"Abgebrochen (Strg+C): {ok} von {len(dateien)} Arbeitsmappe(n) fertig, "
        f"{offen} nicht bearbeitet, {len(dateien) - ok - offen} mit Fehler oder unterbrochen."
    )


def _vorbereiten(args: argparse.Namespace) -> list[str]:
    dateien, notizen = _dateien(args.dateien)
    for n in notizen:
        print(f"Hinweis: {n}", file=sys.stderr)
    if not dateien:
        raise SozbudgetError("keine Arbeitsmappe angegeben (nur Sperrdateien gefunden)")
    return dateien


#: endings of workbooks (a file argument that starts with „-“ is still a workbook)
_MAPPENENDUNGEN = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xls")
#: endings of files sozbudget reads or writes: „--out neu.xlsx“ means a file, but --out takes a folder
_DATEIENDUNGEN = (*_MAPPENENDUNGEN, ".ods", ".docx", ".pdf", ".html", ".htm")


def _pruefe_ordnerangabe(ordner: str, beispiel: str) -> None:
    """Refuse a --out that names a file of ours (``neu.xlsx``) and is no folder yet: it would become a
    folder of that name. An existing folder of such a name is taken as it is."""
    pfad = Path(ordner)
    if pfad.suffix.casefold() in _DATEIENDUNGEN and not pfad.is_dir():
        raise SozbudgetError(
            f"--out erwartet einen Ordner, „{ordner}“ ist aber ein Dateiname (es würde ein Ordner dieses "
            f"Namens angelegt). {beispiel}"
        )


def _cmd_recalc(args: argparse.Namespace) -> int:
    if bool(args.inplace) == bool(args.out):
        raise SozbudgetError("bitte genau eine der Optionen --inplace oder --out ORDNER angeben")
    dateien = _vorbereiten(args)
    if args.out:
        name = Path(dateien[0]).name
        _pruefe_ordnerangabe(
            args.out, f"Die Kopie behält den Namen der Mappe: „--out ergebnisse“ schreibt ergebnisse/{name}."
        )
        ausgabe_pfad = _lade_eingefroren("sozbudget_xl.workbook.recalc").ausgabe_pfad
        for datei in dateien:  # --out in the workbook's own folder: refused before anything is written
            ausgabe_pfad(datei, args.out)
        _pruefe_ziele(dateien, lambda p: p.name.casefold(), f"unter demselben Namen in „{args.out}“")
    return _batch(args, _Aufgabe(_recalc_aufgabe, args.out, args.sicherung), "geschrieben:", dateien)


def _cmd_check(args: argparse.Namespace) -> int:
    return _batch(args, _check_aufgabe, "", _vorbereiten(args))


def _cmd_new(args: argparse.Namespace) -> int:
    from .models import modell
    from .workbook.vorlage import erzeuge

    ziel = Path(args.datei)
    modul = modell(args.modell)
    if os.path.lexists(ziel):  # also a (dangling) symlink: never written through
        raise SozbudgetError(f"die Datei „{ziel}“ gibt es schon; sie wird nicht überschrieben")
    if ziel.suffix.lower() not in (".xlsx", ".xlsm"):
        raise SozbudgetError("der Dateiname muss auf .xlsx enden", found=ziel.name)
    erzeuge(modul.NAME, ziel, leer=not args.beispiel)
    art = "Arbeitsmappe mit Beispieldaten" if args.beispiel else "Leere Arbeitsmappe"
    print(f"{art} für „{modul.TITEL}“ angelegt: {ziel}")
    return 0


def _annex_aufgabe(
    datei: str,
    out: str,
    formate: tuple[str, ...],
    templates: str | None,
    art: str = "plan",
    trotz: bool = False,
) -> Any:
    docx = ("docxtpl", "sozbudget_xl.annex_docx") if {"docx", "pdf"} & set(formate) else ()
    for modul in ("sozbudget_xl.workbook.recalc", "sozbudget_xl.vertragsmappe", "sozbudget_xl.annex", *docx):
        _lade_eingefroren(modul)  # models, openpyxl, numpy, Jinja, docxtpl: out of the GC's way (see there)
    from .vertragsmappe import dokumente_aus_mappe

    ordner = Path(out) / Path(datei).stem
    neu = [p for p in (ordner, *ordner.parents) if not os.path.lexists(p)]
    _annex_ordner(ordner)
    try:
        lauf = dokumente_aus_mappe(
            datei, ordner, formate=formate, templates_dir=templates, art=art, trotz_veraltet=trotz
        )
    except BaseException:
        for p in neu:  # a refused workbook leaves no empty folders behind (deepest first)
            with contextlib.suppress(OSError):
                p.rmdir()
        raise
    lauf.hinweise.extend(_verwaiste_dateien(ordner, lauf.dateien))
    return lauf


def _annex_ordner(ordner: Path) -> Path:
    """The annex folder of one workbook: created, never a symlink (it could lead elsewhere)."""
    from .workbook.schutz import ordner_anlegen

    if ordner.is_symlink():
        raise SozbudgetError(
            f"der Ordner „{ordner}“ ist eine Verknüpfung (symbolischer Link) – die Anlagen werden nicht "
            "durch Verknüpfungen geschrieben; bitte sie entfernen"
        )
    ordner_anlegen(ordner)
    return ordner


def _verwaiste_dateien(ordner: Path, erzeugt: Sequence[Path]) -> list[str]:
    """A note naming documents in ``ordner`` of contracts that no longer exist (same name prefix
    as this run's files, not written now). Nothing is deleted."""
    staemme = {Path(d).stem for d in erzeugt}
    praefixe = tuple({s.split("_", 1)[0] + "_" for s in staemme})
    alt = sorted(
        d.name
        for d in ordner.iterdir()
        if d.suffix.lower() in (".docx", ".html", ".pdf")
        and d.stem not in staemme
        and d.name.startswith(praefixe)
    )
    if not alt:
        return []
    liste = ", ".join(alt[:5]) + (f" und {len(alt) - 5} weitere" if len(alt) > 5 else "")
    return [
        f"{len(alt)} ältere Datei(en) in „{ordner}“ gehören zu Verträgen, die es im Ergebnis nicht mehr "
        f"gibt (nicht gelöscht, bitte prüfen): {liste}"
    ]


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
    dateien = _vorbereiten(args)
    _pruefe_ordnerangabe(
        args.out,
        f"Die Dokumente kommen in einen Unterordner je Mappe: „--out anlagen“ schreibt in "
        f"anlagen/{Path(dateien[0]).stem}/.",
    )
    _pruefe_ziele(dateien, lambda p: p.stem.casefold(), f"im selben Unterordner von „{args.out}“")
    fortschritt = Fortschritt(len(dateien))
    fehler = 0
    lauf = Lauf()
    for datei, erzeugt, text in _ausfuehren(
        _Aufgabe(_annex_aufgabe, args.out, formate, args.templates, args.art, args.trotz_veraltet),
        dateien,
        _jobs(args.jobs),
        lauf,
    ):
        if text:
            fehler += 1
            fortschritt.schritt(f"{Path(datei).name}: Fehler")
            print(f"FEHLER  {datei}: {text}")
        else:
            n = len(erzeugt.dateien)
            fortschritt.schritt(f"{Path(datei).name}: {n} Datei(en)")
            print(f"OK      {datei}: {n} Datei(en) in {Path(args.out) / Path(datei).stem}")
            print("".join(f"        Hinweis: {h}\n" for h in erzeugt.hinweise), end="")
    if lauf.abgebrochen:
        print("Abgebrochen (Strg+C): nicht alle Anlagen wurden erzeugt.")
        return EXIT_ABBRUCH
    return EXIT_FEHLER if fehler else EXIT_OK


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
        help="keine Sicherungskopie der vorigen Fassung (bzw. einer gleichnamigen Datei in --out) anlegen",
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
    annex.add_argument(
        "--art",
        choices=("plan", "abrechnung"),
        default="plan",
        help="plan: Vertragsanlage (vor dem Jahr vereinbart, Standard); abrechnung: Abrechnung des Jahres",
    )
    annex.add_argument(
        "--trotz-veraltet",
        action="store_true",
        help="auch erzeugen, wenn die Eingaben seit der letzten Neuberechnung geändert wurden",
    )
    annex.set_defaults(func=_cmd_annex)

    from .analyse.befehle import registriere as _analyse_befehle

    _analyse_befehle(sub)  # vergleich, szenarien, robustheit (issue 18)
    from .jahr.befehle import registriere as _jahr_befehle

    _jahr_befehle(sub)  # ist-import, jahreswechsel, verlauf (issue 16)
    return parser


#: exit codes (module docstring)
EXIT_OK, EXIT_FEHLER, EXIT_ABBRUCH = 0, 2, 130


def _dateinamen_mit_minus(argv: Sequence[str]) -> list[str]:
    """A workbook named like an option (``-kgst.xlsx``) is taken as a file: no option of ours
    ends in .xlsx, so such an argument becomes ``./-kgst.xlsx`` (``--`` works as well)."""
    out: list[str] = []
    nach_strichen = False
    for a in argv:
        if a == "--":
            nach_strichen = True
        elif not nach_strichen and a.startswith("-") and "=" not in a and a.lower().endswith(_MAPPENENDUNGEN):
            a = os.path.join(".", a)
        out.append(a)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(_dateinamen_mit_minus(sys.argv[1:] if argv is None else argv))
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_FEHLER
    try:
        return int(args.func(args))
    except SozbudgetError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return EXIT_FEHLER
    except KeyboardInterrupt:
        print(
            "Abgebrochen (Strg+C). Angefangene Dateien sind unverändert oder vollständig geschrieben.",
            file=sys.stderr,
        )
        return EXIT_ABBRUCH
    except Exception as exc:
        from .workbook.schutz import fehler_text

        print(f"Fehler: {fehler_text(exc, getattr(exc, 'filename', None))}", file=sys.stderr)
        return EXIT_FEHLER


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
