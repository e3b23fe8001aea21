"""xlwings Lite (Excel on Windows, Mac and the web): ``main.py`` and ``requirements.txt``.

xlwings Lite runs Python inside Excel (Office.js add-in, Pyodide). Its code lives in two tabs
of the add-in: ``main.py`` with the worksheet functions (``@func``) and scripts (``@script``,
the macros), and ``requirements.txt`` with the packages. Both are generated here from the
catalogue :mod:`.funktionen` (registry and declarations), like the classic xlwings functions
and the LibreOffice extension: one ``@func`` per ``SRB_…`` function with its German help
text and argument help, and the scripts ``SRB_NEU_BERECHNEN`` and ``SRB_PRUEFEN``, which run
the same orchestration as ``sozbudget recalc`` on the open workbook
(:func:`sozbudget_xl.excel.neu_berechnen_in_mappe`). Vertragsanlagen need files and stay
on the desktop (``sozbudget annex``).

Packages: Lite installs only what ``requirements.txt`` names. sozbudget_xl is no PyPI
package, so :func:`baue_wheel` writes a wheel of this package with the core's dependencies
only (Babel, holidays, numpy, pandas; no openpyxl, docxtpl, Jinja2 or lxml), which the
municipal IT puts on a web server or a private package index; ``requirements.txt`` names
its address. Write all three files with ``python -m sozbudget_xl.hosts.xlwings_lite --ziel
ORDNER [--adresse URL]``.

>>> "def SRB_VERTEILEN(betrag, gewichte):" in main_py()
True
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .. import __version__
from .funktionen import Funktion, funktion, funktionen

__all__ = [
    "ABHAENGIGKEITEN",
    "SKRIPTE",
    "baue_wheel",
    "main_py",
    "neu_berechnen",
    "pruefen",
    "requirements_txt",
    "rufe",
    "schreibe",
]

#: what the core needs in Lite; numpy and pandas come from Pyodide's own builds (never pinned)
ABHAENGIGKEITEN = ("babel>=2.14", "holidays>=0.60", "python-dateutil", "numpy", "pandas")
#: the scripts of main.py: Python name → (display name, help)
SKRIPTE = {
    "SRB_NEU_BERECHNEN": (
        "Sozialraumbudget neu berechnen",
        "Liest „Parameter“ und die Eingabetabellen, rechnet das Modell und schreibt „Ergebnis“, "
        "„Zahlungsplan“ und „Kennzahlen“ – wie sozbudget recalc.",
    ),
    "SRB_PRUEFEN": (
        "Sozialraumbudget prüfen",
        "Prüft die Eingaben und rechnet das Modell, ohne etwas zu schreiben; zeigt Gesamtbetrag "
        "und Hinweise.",
    ),
}
_TITEL = "Sozialraumbudget"


# --------------------------------------------------------------------------- run time (in Lite)


def rufe(name: str, *argumente: Any) -> Any:
    """Compute worksheet function ``name`` as Lite passes its arguments (omitted = None)."""
    f = funktion(name)
    args = list(argumente)
    while args and args[-1] is None and f.argumente[len(args) - 1].optional:
        args.pop()  # omitted optional arguments take the function's defaults
    return f.aufruf(*args)


def _melde(book: Any, arbeit: Any) -> str:
    from .. import excel

    try:
        text = arbeit(book)
    except Exception as exc:  # a message, never a traceback
        text = excel.fehlertext(exc)
    book.app.alert(text, title=_TITEL)
    return text


def neu_berechnen(book: Any) -> str:
    """Script „Sozialraumbudget neu berechnen“ on the open workbook (same as the Excel macro)."""
    from .. import excel

    return _melde(book, excel.neu_berechnen_in_mappe)


def pruefen(book: Any) -> str:
    """Script „Sozialraumbudget prüfen“: read and compute, write nothing."""
    from .. import excel

    return _melde(book, excel.pruefen_in_mappe)


# --------------------------------------------------------------------------- generated files


def _python_text(text: str) -> str:
    return repr(text)


def _funktion_quelle(f: Funktion) -> str:
    zeilen = ["@func"]
    for a in f.argumente:
        zeilen.append(f"@arg({a.name!r}, ndim=2, doc={_python_text(a.hilfe)})")
    kopf = ", ".join(a.name + ("=None" if a.optional else "") for a in f.argumente)
    aufruf = ", ".join([repr(f.name), *(a.name for a in f.argumente)])
    zeilen += [
        f"def {f.name}({kopf}):",
        f"    {_python_text(f.hilfe)}",
        f"    return _srb.rufe({aufruf})",
    ]
    return "\n".join(zeilen)


def _skript_quelle(name: str) -> str:
    anzeige, hilfe = SKRIPTE[name]
    ziel = {"SRB_NEU_BERECHNEN": "neu_berechnen", "SRB_PRUEFEN": "pruefen"}[name]
    return "\n".join(
        [
            f"@script(name={anzeige!r})",
            f"def {name}(book: xw.Book):",
            f"    {_python_text(hilfe)}",
            f"    _srb.{ziel}(book)",
        ]
    )


def main_py(liste: Iterable[Funktion] | None = None) -> str:
    """The source of ``main.py`` for xlwings Lite."""
    teile = [
        '"""Sozialraumbudget (sozbudget_xl) in xlwings Lite: die SRB_-Funktionen und die Skripte\n'
        "SRB_NEU_BERECHNEN und SRB_PRUEFEN. Erzeugt von python -m sozbudget_xl.hosts.xlwings_lite "
        f'(sozbudget_xl {__version__}); nicht von Hand ändern."""',
        "",
        "import xlwings as xw",
        "from xlwings import arg, func, script",
        "",
        "from sozbudget_xl.hosts import xlwings_lite as _srb",
    ]
    for f in funktionen() if liste is None else liste:
        teile += ["", "", _funktion_quelle(f)]
    for name in SKRIPTE:
        teile += ["", "", _skript_quelle(name)]
    return "\n".join(teile) + "\n"


def wheel_name() -> str:
    return f"sozbudget_xl-{__version__}-py3-none-any.whl"


def requirements_txt(adresse: str | None = None) -> str:
    """``requirements.txt`` for Lite: the core-only wheel (at ``adresse``) and its dependencies."""
    ort = adresse or f"https://IHR-SERVER/pfad/{wheel_name()}"
    return (
        "# sozbudget_xl für xlwings Lite (nur der Rechenkern; Vertragsanlagen am Desktop).\n"
        "# Die Adresse der Wheel-Datei stellt Ihre IT bereit (python -m sozbudget_xl.hosts.xlwings_lite).\n"
        f"sozbudget_xl @ {ort}\n" + "".join(f"{a}\n" for a in ABHAENGIGKEITEN)
    )


def _metadata() -> str:
    zeilen = [
        "Metadata-Version: 2.1",
        "Name: sozbudget_xl",
        f"Version: {__version__}",
        "Summary: Sozialraumbudgets (Rechenkern für xlwings Lite)",
        "Requires-Python: >=3.11",
        *(f"Requires-Dist: {a}" for a in ABHAENGIGKEITEN),
    ]
    return "\n".join(zeilen) + "\n"


def _record_zeile(name: str, daten: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(daten).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(daten)}"


def baue_wheel(ziel_ordner: str | Path) -> Path:
    """A wheel of this package whose metadata names only the core's dependencies."""
    paket = Path(__file__).resolve().parents[1]
    ziel = Path(ziel_ordner) / wheel_name()
    info = f"sozbudget_xl-{__version__}.dist-info"
    dateien: list[tuple[str, bytes]] = []
    for datei in sorted(paket.rglob("*")):
        if datei.is_file() and "__pycache__" not in datei.parts and datei.suffix != ".pyc":
            dateien.append((f"sozbudget_xl/{datei.relative_to(paket).as_posix()}", datei.read_bytes()))
    dateien.append((f"{info}/METADATA", _metadata().encode()))
    wheel = "Wheel-Version: 1.0\nGenerator: sozbudget_xl\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    dateien.append((f"{info}/WHEEL", wheel.encode()))
    record = [_record_zeile(n, d) for n, d in dateien] + [f"{info}/RECORD,,"]
    dateien.append((f"{info}/RECORD", ("\n".join(record) + "\n").encode()))
    ziel.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(ziel, "w", zipfile.ZIP_DEFLATED) as z:
        for name, daten in dateien:
            z.writestr(name, daten)
    return ziel


def schreibe(ziel: str | Path, adresse: str | None = None) -> list[Path]:
    """Write ``main.py``, ``requirements.txt`` and the wheel into the folder ``ziel``."""
    ordner = Path(ziel)
    ordner.mkdir(parents=True, exist_ok=True)
    (ordner / "main.py").write_text(main_py(), encoding="utf-8")
    (ordner / "requirements.txt").write_text(requirements_txt(adresse), encoding="utf-8")
    return [ordner / "main.py", ordner / "requirements.txt", baue_wheel(ordner)]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m sozbudget_xl.hosts.xlwings_lite",
        description="main.py, requirements.txt und die Wheel-Datei für xlwings Lite schreiben",
    )
    p.add_argument("--ziel", default=".", help="Ordner für die drei Dateien (Standard: aktueller Ordner)")
    p.add_argument("--adresse", help="Web-Adresse, unter der die Wheel-Datei bereitsteht")
    a = p.parse_args(argv)
    for pfad in schreibe(a.ziel, a.adresse):
        print(pfad)
    return 0


if __name__ == "__main__":
    sys.exit(main())
