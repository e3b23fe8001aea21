"""Workbooks built by the issue-14 tests (tests/test_sicherheit_*.py): a fresh example workbook
from code and small, targeted edits of its zip parts (hostile variants)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from sozbudget_xl.workbook import io as wio
from sozbudget_xl.workbook.vorlage import erzeuge

#: words that must never reach a user (English internals, reprs, tracebacks)
VERBOTEN = (
    "Traceback",
    "Errno",
    "Error",
    "error",
    "Exception",
    "datetime.",
    "zlib",
    "Permission denied",
    "No such file",
    "No space",
    "File exists",
    "interner Fehler (",
)


def mappe(ordner: Path, name: str = "kgst.xlsx", modell: str = "kgst") -> Path:
    """A fresh example workbook of ``modell`` written by the package itself."""
    ordner.mkdir(parents=True, exist_ok=True)
    pfad = ordner / name
    erzeuge(modell, pfad, leer=False)
    return pfad


def blatt_teil(pfad: Path, blatt: str) -> str:
    with zipfile.ZipFile(pfad) as zf:
        paket = wio._Paket(zf, pfad.name)
        info = paket.blatt(blatt)
        assert info is not None, blatt
        return info.teil


def teile_aendern(
    pfad: Path, aendern: Callable[[str, bytes], bytes | None], extra: dict[str, bytes] | None = None
) -> None:
    """Rewrite the zip: ``aendern(name, bytes)`` returns new bytes (or None: unchanged)."""
    with zipfile.ZipFile(pfad) as zf:
        teile = [(i, zf.read(i)) for i in zf.infolist()]
    with zipfile.ZipFile(pfad, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, daten in teile:
            neu = aendern(info.filename, daten)
            zout.writestr(info.filename, daten if neu is None else neu)
        for name, daten in (extra or {}).items():
            zout.writestr(name, daten)


def zelle_ersetzen(pfad: Path, blatt: str, ref: str, xml: str) -> None:
    """Replace cell ``ref`` of ``blatt`` by the raw ``<c …>…</c>`` element ``xml``."""
    teil = blatt_teil(pfad, blatt)
    muster = re.compile(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', re.S)

    def aendern(name: str, daten: bytes) -> bytes | None:
        if name != teil:
            return None
        neu, n = muster.subn(xml.encode(), daten, count=1)
        assert n == 1, (ref, daten[:400])
        return neu

    teile_aendern(pfad, aendern)


def parameter_zeile(pfad: Path, bezeichnung: str) -> int:
    import openpyxl

    ws = openpyxl.load_workbook(pfad)["Parameter"]
    for zeile in range(1, ws.max_row + 1):
        if ws.cell(zeile, 1).value == bezeichnung:
            return zeile
    raise AssertionError(bezeichnung)


def deutsch(text: str) -> None:
    """Assert the text shows no English internals."""
    for wort in VERBOTEN:
        assert wort not in text, (wort, text)
