"""Headless recalculation of a workbook: read inputs → run the model → write outputs.

The glue between :mod:`.io` (files), :mod:`.schema` (cells ↔ model inputs and outputs) and
the models. No arithmetic happens here. Used by the CLI (``sozbudget recalc``/``check``/
``annex``) and, with an xlwings book instead of a file, by the Excel macros.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import functools
import gc
import os
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

from ..errors import SozbudgetError
from ..models.base import ModelResult
from . import io, schema, schutz

__all__ = [
    "MODELL_FELD",
    "Berechnung",
    "Zusammenfassung",
    "ausgabe_pfad",
    "berechne_mappe",
    "neu_berechnen",
    "pruefe_mappe",
]

#: label of the model name on the sheet „Parameter“
MODELL_FELD = schema.MODELL_FELD


@dataclass(frozen=True)
class Berechnung:
    """A workbook read and computed (nothing written)."""

    pfad: Path
    modul: ModuleType
    eingabe: Any
    parameter: Any
    ergebnis: ModelResult
    mappe: Any  # io.Mappendaten

    @property
    def mappen_parameter(self) -> dict[str, Any]:
        return dict(self.mappe.parameter)


@dataclass(frozen=True)
class Zusammenfassung:
    """What happened to one workbook (for the CLI's summary line)."""

    datei: Path
    modell: str = ""
    gesamt: Decimal | None = None
    positionen: int = 0
    hinweise: tuple[str, ...] = field(default=())
    geschrieben: Path | None = None
    ergebnisdatei: bool = False
    grund: str = ""
    fehler: str = ""
    sekunden: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.fehler


def berechne_mappe(pfad: str | Path) -> Berechnung:
    """Read a workbook and run the model named on „Parameter“ (German errors with sheet and cell)."""
    pfad = Path(pfad)
    mappe = io.lese_mappe(pfad)
    # recalc: the old sheets needed later („Verträge“, and those the writer needs), worked on by a
    # second process while the model runs
    io.vorab_starten(mappe, lesen=(_VERTRAEGE,))
    vorgelesen = mappe.wird_vorgelesen(_VERTRAEGE)
    if not vorgelesen:
        _vertragsblatt_mitlesen(mappe)  # now, while the file's bytes are held
    _datei_freigeben(mappe)
    try:
        modul, eingabe, parameter, ergebnis = schema.berechne_mappendaten(
            mappe.parameter, mappe.tabellen, mappe.ort, mappe.hinweise
        )
    except SozbudgetError as exc:
        raise _fehlende_tabelle(exc, mappe) from None
    if vorgelesen:
        _vertragsblatt_mitlesen(mappe)  # read while the model ran; taken before the sheets are built
    return Berechnung(pfad, modul, eingabe, parameter, ergebnis, mappe)


def _vertragsblatt_mitlesen(mappe: io.Mappendaten) -> None:
    """The sheet „Verträge“ streamed from the file already read, or as the second process read it
    (the contract numbering needs it), so it is not loaded a second time with openpyxl; left unset
    when it cannot be read alike (the numbering then reads the file)."""
    from ..vertragsmappe import BLATT, Vertragsblatt, vertragsblatt_aus_zeilen

    if BLATT not in mappe.blaetter:
        mappe.vertragsblatt = Vertragsblatt()
        return
    zeilen = mappe.blattwerte(BLATT)
    if zeilen is not None:
        mappe.vertragsblatt = vertragsblatt_aus_zeilen(zeilen)


def _datei_freigeben(mappe: io.Mappendaten) -> None:
    """The file's bytes (10 MB at 50.000 Quartiere) are not held while the model runs and the
    sheets are built: the sheets read later from the file as read („Ist“, „Vorträge“ for the year's
    sheets) are read now."""
    from ..jahr.blaetter import VORTRAEGE
    from ..jahr.ist import BLATT as IST

    mappe.datei_freigeben(behalten=(IST, VORTRAEGE))


#: the sheet of the contract numbers (:data:`sozbudget_xl.vertragsmappe.BLATT`)
_VERTRAEGE = "Verträge"


def _fehlende_tabelle(exc: SozbudgetError, mappe: Any) -> SozbudgetError:
    """Say so when the error's sheet lacks its Excel table (a missing table reads as empty)."""
    try:
        name = schema.modell_der_mappe(mappe.parameter, mappe.ort).NAME
    except SozbudgetError:
        return exc
    for t in schema.schema(name).tabellen:
        if t.blatt == exc.sheet and t.name not in mappe.tabellen:
            if t.blatt not in mappe.blaetter:
                grund = f"das Blatt „{t.blatt}“ fehlt in der Mappe"
            else:
                grund = (
                    f"auf dem Blatt steht keine Excel-Tabelle namens „{t.name}“ (Einfügen › Tabelle; "
                    "Name unter Tabellenentwurf › Tabellenname)"
                )
            exc.message = f"{exc.message} – {grund}"
            exc.args = (str(exc),)
    return exc


def _angaben(b: Berechnung) -> dict[str, Any]:
    """What the summary line reports of a computation (kept when the computation itself is dropped)."""
    return {
        "datei": b.pfad,
        "modell": b.modul.NAME,
        "gesamt": b.ergebnis.gesamt,
        "positionen": len(b.ergebnis.positionen),
        "hinweise": tuple(w.text for w in b.ergebnis.warnungen),
    }


def _zusammenfassung(angaben: dict[str, Any], start: float, **kw: Any) -> Zusammenfassung:
    return Zusammenfassung(**angaben, sekunden=time.perf_counter() - start, **kw)


def pruefe_mappe(pfad: str | Path) -> Zusammenfassung:
    """Validate and compute a workbook without writing anything."""
    start = time.perf_counter()
    return _zusammenfassung(_angaben(berechne_mappe(pfad)), start)


def neu_berechnen(
    pfad: str | Path, *, ausgabeordner: str | Path | None = None, sicherung: bool = True
) -> Zusammenfassung:
    """Recalculate one workbook: in place (``ausgabeordner=None``, with a backup when
    ``sicherung``) or as a copy in ``ausgabeordner``. Only the output sheets are written.

    If the workbook holds content the writer cannot keep (e.g. spilled dynamic-array
    formulas), the original stays untouched and the outputs go to a separate result file;
    the summary says why.
    """
    start = time.perf_counter()
    ziel = None if ausgabeordner is None else ausgabe_pfad(pfad, ausgabeordner)
    # the package read is opened again to write: its parts inflated once
    with io.einmal_pruefen(), _junge_objekte_seltener():
        return _berechnen_und_schreiben(pfad, ziel, sicherung, start)


#: new objects after which the cyclic garbage collector looks at the young ones during a recalc
#: (Python's default: 700)
_GC_JUNG = 10_000
_gc_sperre = threading.Lock()
#: recalcs running, and the thresholds from before the first of them
_gc_laeufe = 0
_gc_vorher: tuple[int, ...] = ()


@contextlib.contextmanager
def _junge_objekte_seltener() -> Any:
    """During a recalc the cyclic garbage collector looks at young objects every
    :data:`_GC_JUNG` new objects instead of every 700: the run builds millions of rows that live
    until they are written, nearly all without cycles (reference counting frees them), and every
    young collection walks those not yet promoted again. Measured at 10.000 Quartiere ≈ 4 % faster,
    at 50.000 the same peak memory (with 50.000 instead of 10.000 it grew by 30 MB). The thresholds
    are restored when the last running recalc ends; a host's higher threshold is kept."""
    global _gc_laeufe, _gc_vorher
    with _gc_sperre:
        if not _gc_laeufe:
            _gc_vorher = gc.get_threshold()
            gc.set_threshold(max(_gc_vorher[0], _GC_JUNG), *_gc_vorher[1:])
        _gc_laeufe += 1
    try:
        yield
    finally:
        with _gc_sperre:
            _gc_laeufe -= 1
            if not _gc_laeufe:
                gc.set_threshold(*_gc_vorher)


def _berechnen_und_schreiben(
    pfad: str | Path, ziel: Path | None, sicherung: bool, start: float
) -> Zusammenfassung:
    angaben, ausgaben = _berechne_ausgaben(pfad)
    quelle, alle = angaben["datei"], len(ausgaben)
    # asked again only when the writer has to name a wrong cell or refused half-way: computed once
    neu = functools.cache(lambda: _berechne_ausgaben(pfad)[1])
    if ziel is not None:
        schutz.ordner_anlegen(ziel.parent)
    try:
        # --out: an existing file of that name is backed up before it is replaced (issue 14); the
        # sheets are handed over (each dropped once written: a big book's rows are not all held
        # while the package is checked)
        io.schreibe_ausgaben(quelle, ausgaben, ziel=ziel, sicherung=sicherung, abgeben=neu)
    except io.VerlustGefahr as exc:
        extra = io.ergebnisdatei(ziel if ziel is not None else quelle)
        io.schreibe_ergebnisdatei(extra, ausgaben if len(ausgaben) == alle else neu())
        return _zusammenfassung(angaben, start, geschrieben=extra, ergebnisdatei=True, grund=str(exc))
    return _zusammenfassung(angaben, start, geschrieben=ziel or quelle)


def _berechne_ausgaben(pfad: str | Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(summary data, output sheets) of a workbook; the computation itself (inputs read, model
    input and result) is dropped on return, so it is not held while the sheets are written."""
    b = _ohne_tabellen(berechne_mappe(pfad))
    ausgaben: dict[str, Any] = schema.ausgaben(b.ergebnis)
    ausgaben.update(zusatzblaetter(b))
    return _angaben(b), ausgaben


def _ohne_tabellen(b: Berechnung) -> Berechnung:
    """``b`` without the raw rows of the input tables (read from the workbook, now in the model's
    input): once the model has run no sheet provider reads them (they use the Parameter values, the
    cell locations, the streamed sheets and the workbook's other data, all kept)."""
    mappe = copy.copy(b.mappe)
    mappe.tabellen = {}
    return dataclasses.replace(b, mappe=mappe)


def zusatzblaetter(b: Berechnung) -> dict[str, Any]:
    """Output sheets beyond the model's own: one provider per line, each returns
    ``{sheet name: sheet}`` in the form of :func:`schema.ausgaben` (empty when it has nothing)."""
    from ..jahr.blaetter import jahresblaetter  # Soll-Ist, Verlauf, Jahresabschluss when „Ist“ exists
    from ..vertragsmappe import vertragsblatt  # contract numbers and the inputs' fingerprint

    # built in the order of their peaks (the year's sheets pass through the most), listed in the
    # order of the sheets: a new sheet is added to the workbook in this order
    jahr = jahresblaetter(b)
    blaetter: dict[str, Any] = dict(vertragsblatt(b))
    blaetter.update(jahr)
    del jahr
    from ..analyse.mappe import analyseblaetter  # „Veränderung“/„Szenarien“ when the Parameter ask

    blaetter.update(analyseblaetter(b))
    return blaetter


def ausgabe_pfad(pfad: str | Path, ausgabeordner: str | Path) -> Path:
    """Where ``recalc --out`` writes the copy of ``pfad``; refuses the workbook itself (``--out .``
    in the workbook's folder would replace it without the in-place safeguards)."""
    pfad = Path(pfad)
    ziel = Path(ausgabeordner) / pfad.name
    gleich = os.path.realpath(ziel) == os.path.realpath(pfad)
    with contextlib.suppress(OSError):
        gleich = gleich or (ziel.exists() and os.path.samefile(ziel, pfad))
    if gleich:
        raise SozbudgetError(
            f"--out „{ausgabeordner}“ ist der Ordner der Mappe selbst: die Kopie würde die Mappe "
            f"„{pfad.name}“ überschreiben. Bitte einen anderen Ordner angeben oder --inplace verwenden."
        )
    return ziel
