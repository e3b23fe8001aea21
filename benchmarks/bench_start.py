"""Start-up benchmarks (issue 15, items 3 and 6): whole processes, as a user runs them.

(s1) ``sozbudget --help`` against ``python -c pass`` (the interpreter alone): what importing the
     command costs before it does anything.
(s2) ``sozbudget recalc celle.xlsx --out …`` (one workbook, new process) against a process that
     loads and saves the same file with openpyxl (``python -c "import openpyxl; load_workbook; save"``)
     — goal ≤ 1,3×. Both include the interpreter's start and all imports.

Each pair alternates run by run (:func:`bench_common.abwechselnd`); the median is reported. The
modules each process imports are listed in the notes (pandas must not be among them). The package's
byte code is compiled first (``compileall``), as ``pip install`` leaves it and as the reference has
it for openpyxl: the processes run with PYTHONDONTWRITEBYTECODE=1 and would otherwise compile every
module of the package anew (≈ 80 ms).
"""

from __future__ import annotations

import importlib.util
import resource
import shutil
import sys
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

from bench_common import (
    ROOT,
    WORKBOOKS,
    Messung,
    abwechselnd,
    faktor_text,
    lauf,
    median_ms,
    sozbudget_befehl,
    zahl,
)

BEISPIEL = WORKBOOKS / "celle.xlsx"
ZIEL_RECALC = 1.3

OPENPYXL = textwrap.dedent(
    """
    import sys, warnings
    import openpyxl
    warnings.simplefilter("ignore")
    wb = openpyxl.load_workbook(sys.argv[1])
    wb.save(sys.argv[2])
    """
)

#: runs the command like the entry point and names the heavy packages it loaded (on stderr)
MIT_MODULEN = textwrap.dedent(
    """
    import sys
    from sozbudget_xl.cli import main
    try:
        code = main(sys.argv[1:])
    except SystemExit as exc:
        code = exc.code
    schwer = {"numpy", "pandas", "openpyxl", "lxml", "babel", "docxtpl", "jinja2", "xlwings", "holidays"}
    print("MODULE", " ".join(sorted({m.split(".")[0] for m in sys.modules} & schwer)) or "—", file=sys.stderr)
    sys.exit(code or 0)
    """
)


def _module(*argumente: str) -> str:
    r = lauf([sys.executable, "-c", MIT_MODULEN, *argumente])
    return [z for z in r.stderr.splitlines() if z.startswith("MODULE")][-1].split(" ", 1)[1]


def bench_hilfe(runs: int) -> Messung:
    befehl = [*sozbudget_befehl(), "--help"]
    t = abwechselnd(
        {"ours": lambda: lauf(befehl), "ref": lambda: lauf([sys.executable, "-c", "pass"])},
        runs,
        budget_s=15.0,
    )
    ours, ref = median_ms(t["ours"]), median_ms(t["ref"])
    return Messung(
        "`sozbudget --help` (neuer Prozess) gegen `python -c pass`",
        "`sozbudget --help` (new process) vs `python -c pass`",
        f"{zahl(ours)} ms",
        f"{zahl(ref)} ms",
        ours / ref,
        "—",
        None,
        f"Importe über den Interpreter hinaus / imports beyond the interpreter: {zahl(ours - ref)} ms "
        "(Bytecode vorübersetzt wie nach pip install / byte code precompiled as after pip install); "
        f"geladene schwere Pakete / heavy packages loaded: {_module('--help')}",
        f"{len(t['ours'])} / {len(t['ref'])}",
    )


def bench_recalc_prozess(runs: int) -> Messung:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        quelle = tmp / BEISPIEL.name
        shutil.copy(BEISPIEL, quelle)
        out = tmp / "aus"
        ours_cmd = [*sozbudget_befehl(), "recalc", str(quelle), "--out", str(out)]
        ref_cmd = [sys.executable, "-c", OPENPYXL, str(quelle), str(tmp / "openpyxl.xlsx")]
        cpu: dict[str, list[float]] = {"ours": [], "ref": []}
        t = abwechselnd(
            {"ours": _mit_cpu(ours_cmd, cpu["ours"]), "ref": _mit_cpu(ref_cmd, cpu["ref"])},
            runs,
            budget_s=30.0,
        )
        if not (out / BEISPIEL.name).exists():
            raise AssertionError("recalc hat keine Ausgabe geschrieben")
        module = _module("recalc", str(quelle), "--out", str(tmp / "aus2"))
    ours, ref = median_ms(t["ours"]), median_ms(t["ref"])
    ratio = ours / ref
    cpu_ours, cpu_ref = median_ms(cpu["ours"][1:]), median_ms(cpu["ref"][1:])  # without the warm-up
    if "pandas" in module:
        raise AssertionError(f"recalc einer Mappe lädt pandas: {module}")
    return Messung(
        f"`sozbudget recalc {BEISPIEL.name}` (neuer Prozess) gegen einen Prozess, der dieselbe Datei mit "
        "openpyxl lädt und speichert",
        f"`sozbudget recalc {BEISPIEL.name}` (new process) vs an openpyxl load + save process of the "
        "same file",
        f"{zahl(ours)} ms",
        f"{zahl(ref)} ms",
        ratio,
        f"≤ {faktor_text(ZIEL_RECALC)}",
        ratio <= ZIEL_RECALC,
        "beide einschließlich Interpreterstart und Importen, Bytecode vorübersetzt wie nach pip install / "
        "both incl. interpreter start and imports, byte code precompiled as after pip install; "
        f"CPU-Zeit (Median, weniger lastabhängig) / CPU time (median, less load-dependent): {zahl(cpu_ours)} "
        f"gegen / vs {zahl(cpu_ref)} ms = {faktor_text(cpu_ours / cpu_ref)}; "
        f"geladene schwere Pakete / heavy packages loaded: {module}",
        f"{len(t['ours'])} / {len(t['ref'])}",
    )


def _mit_cpu(befehl: list[str], cpu: list[float]) -> Callable[[], None]:
    """Runs ``befehl`` like :func:`lauf` and appends the CPU time (user + system) of the process."""

    def messen() -> None:
        vorher = resource.getrusage(resource.RUSAGE_CHILDREN)
        lauf(befehl)
        nachher = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(nachher.ru_utime + nachher.ru_stime - vorher.ru_utime - vorher.ru_stime)

    return messen


def alle(runs: int, quick: bool) -> list[Messung]:
    runs = max(runs, 3 if quick else 9)  # processes vary more than in-process calls
    # an installed package has current byte code; sources edited since the last run would
    # otherwise be compiled anew by every measured process (they do not write byte code)
    lauf([sys.executable, "-m", "compileall", "-q", str(ROOT / "sozbudget_xl")])
    if not Path(importlib.util.cache_from_source(str(ROOT / "sozbudget_xl" / "cli.py"))).exists():
        raise AssertionError("compileall hat keinen Bytecode geschrieben")
    return [bench_hilfe(runs), bench_recalc_prozess(runs)]


if __name__ == "__main__":
    for m in alle(5, "--quick" in sys.argv):
        print(f"{m.en}\n  {m.wert} | {m.referenz} | {faktor_text(m.faktor)} | {m.ziel} | {m.notiz}")
