"""Guards of the workbook layer (issue 14): container, structure, cell values, paths, writing.

Kept apart from :mod:`.io` so the reader and writer only call these checks at a few places.

Container
    :func:`pruefe_bestandteile` inflates every zip member itself, in bounded chunks, and counts
    the bytes really produced: a member whose header understates its size, an encrypted member,
    an unknown compression method or a duplicate member name is refused before openpyxl (or
    anything calling ``ZipFile.read``) sees the file.
Structure (:func:`pruefe_aufbau`)
    duplicate sheet names, merged cells on „Parameter“, hidden rows or columns in an input
    table, duplicate column titles after normalising blanks, NFC and zero-width characters,
    input cells whose stored value comes from another workbook (external link) or from a
    circular reference.
Values (:func:`eingabewert`)
    ``_xHHHH_`` escapes decoded, absurd magnitudes refused, a time of day shown as ``12:00``.
Paths and writing
    lock files of Excel and LibreOffice named as such (also beside a symlink's target), targets
    that are symbolic links refused, read-only files respected, an atomic replace that checks
    identity *and* content hash right before ``os.replace`` (a race keeps the user's file and
    puts ours beside it: :class:`Wettlauf`), backups cleaned up when they fail half-way.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import os
import re
import struct
import sys
import tempfile
import time
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import SozbudgetError

__all__ = [
    "MAX_ZAHL",
    "Wettlauf",
    "eingabewert",
    "gepackte_bloecke",
    "ist_sperrdatei",
    "oserror_text",
    "pruefe_aufbau",
    "pruefe_bestandteile",
    "tabellenbereich",
    "x_maskieren",
]

#: Largest magnitude of a number written to a cell (Excel keeps 15 digits).
MAX_ZAHL = 1e15
#: Inflate in chunks of this size.
_BLOCK = 1 << 20
#: Formula cells above this count are not searched for circular references (time bound).
_MAX_FORMELZELLEN = 50_000

_X_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_UNSICHTBAR = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_EXTERN = re.compile(r"^'?\[[^\]]+\]")
_TEMP_PREFIX = ".~sozbudget-"


class Wettlauf(SozbudgetError):
    """Another program changed the file between our read and our replace: it was kept."""


# --------------------------------------------------------------------------- texts


def normalisiert(text: Any) -> str:
    """A name as compared for duplicates: NFC, no zero-width or soft hyphen, blanks (incl. nbsp)
    folded, case ignored. ``normalisiert("Tr\u00e4ger\u200b  A") == normalisiert("tra\u0308ger a")``."""
    t = unicodedata.normalize("NFC", str(text)).translate(_UNSICHTBAR)
    return " ".join(t.split()).casefold()


def x_dekodieren(text: str) -> str:
    """Decode Excel's ``_xHHHH_`` escapes (``_x000D_`` → CR; ``_x005F_x0041_`` → ``_x0041_``)."""
    if "_x" not in text:
        return text
    return _X_ESCAPE.sub(_zeichen, text)


def _zeichen(m: re.Match[str]) -> str:
    code = int(m.group(1), 16)
    return "\ufffd" if 0xD800 <= code <= 0xDFFF else chr(code)  # a lone surrogate cannot be written


def x_maskieren(text: str) -> str:
    """Escape a literal ``_xHHHH_`` for writing, so Excel shows it as typed (inverse of
    :func:`x_dekodieren`)."""
    if "_x" not in text:
        return text
    return _X_ESCAPE.sub(lambda m: "_x005F" + m.group(0), text)


def eingabewert(wert: Any, blatt: str, zelle: str) -> Any:
    """An input cell's value as the model sees it (escapes decoded, -0 as 0, a time as text).
    Magnitudes and control characters are refused by the cell parsers (:mod:`sozbudget_xl.
    parsing`: numbers finite and at most 999.999.999.999, texts without control characters), so
    every bad cell is reported in one run; the writer still refuses absurd numbers
    (:func:`pruefe_ausgabezahl`)."""
    if isinstance(wert, str):
        return x_dekodieren(wert)
    if isinstance(wert, dt.datetime):
        return wert.date()
    if isinstance(wert, dt.time):
        return wert.strftime("%H:%M") + " Uhr"
    if isinstance(wert, int | float) and not isinstance(wert, bool) and wert == 0:
        return type(wert)(0)  # -0.0 → 0.0
    return wert


def pruefe_ausgabezahl(wert: Any, blatt: str, zelle: str) -> None:
    """Refuse writing a number Excel cannot show faithfully (15 digits) — e.g. a count of 1e308."""
    try:
        zu_gross = abs(wert) >= MAX_ZAHL
    except (TypeError, ValueError, ArithmeticError):
        return
    if zu_gross:
        raise SozbudgetError(
            "die Zahl ist unplausibel groß (ab 1 Billiarde) und wird nicht geschrieben – bitte die "
            "Eingaben prüfen",
            sheet=blatt,
            cell=zelle,
        )


# --------------------------------------------------------------------------- container


def _abgelehnt(name: str, grund: str) -> SozbudgetError:
    return SozbudgetError(f"Die Datei „{name}“ wird abgelehnt: {grund}.")


def pruefe_bestandteile(
    zf: zipfile.ZipFile, name: str, max_gesamt: int, leser: Callable[[zipfile.ZipInfo], Any] | None = None
) -> None:
    """Refuse duplicate, encrypted or oddly compressed members and any member that inflates to
    more than its header says (counted while inflating, never trusting the header). ``leser``:
    for each member, None or a callable that sees its inflated bytes piece by piece in the same
    pass (another check without inflating the package a second time)."""
    gesehen: set[str] = set()
    for info in zf.infolist():
        schluessel = info.filename.casefold()
        if schluessel in gesehen:
            raise _abgelehnt(name, f"der Bestandteil „{info.filename}“ kommt doppelt vor")
        gesehen.add(schluessel)
        if info.flag_bits & 0x1:
            raise _abgelehnt(name, f"der Bestandteil „{info.filename}“ ist verschlüsselt")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _abgelehnt(name, f"der Bestandteil „{info.filename}“ ist ungewöhnlich komprimiert")
    gesamt = 0
    for info in zf.infolist():
        gesamt += _entpackt_groesse(zf, info, name, leser(info) if leser else None)
        if gesamt > max_gesamt:
            raise _abgelehnt(
                name, f"entpackt wäre sie größer als {max_gesamt // (1024 * 1024)} MB (mögliche ZIP-Bombe)"
            )


def gepackte_bloecke(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> Iterable[bytes]:
    """The member's compressed bytes as stored, read in chunks behind its local header (German
    error naming ``name`` for a broken header or a short member)."""
    fp = zf.fp
    if fp is None:
        raise _abgelehnt(name, "das Archiv ist geschlossen")
    fp.seek(info.header_offset)
    kopf = fp.read(zipfile.sizeFileHeader)
    if len(kopf) != zipfile.sizeFileHeader or kopf[:4] != zipfile.stringFileHeader:
        raise SozbudgetError(
            f"Die Datei „{name}“ ist beschädigt oder unvollständig (Bestandteil „{info.filename}“)."
        )
    felder = struct.unpack(zipfile.structFileHeader, kopf)
    fp.seek(felder[zipfile._FH_FILENAME_LENGTH] + felder[zipfile._FH_EXTRA_FIELD_LENGTH], os.SEEK_CUR)
    rest = info.compress_size
    while rest > 0:
        block = fp.read(min(rest, _BLOCK))
        if not block:
            raise SozbudgetError(
                f"Die Datei „{name}“ ist beschädigt oder unvollständig (Bestandteil „{info.filename}“)."
            )
        rest -= len(block)
        yield block


def _entpackt_groesse(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, sieht: Callable[[bytes], Any] | None = None
) -> int:
    """Bytes the member really inflates to; refused as soon as that exceeds its header. ``sieht``
    gets the inflated bytes piece by piece."""
    grenze = info.file_size
    zuviel = _abgelehnt(
        name,
        f"der Bestandteil „{info.filename}“ ist entpackt größer, als die Datei angibt (mögliche ZIP-Bombe)",
    )
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size:
            raise zuviel
        if sieht is not None:
            for block in gepackte_bloecke(zf, info, name):
                sieht(block)
        return info.file_size
    entpacker = zlib.decompressobj(-15)
    anzahl = 0
    try:
        for block in gepackte_bloecke(zf, info, name):
            daten = entpacker.decompress(block, _BLOCK)
            while True:
                anzahl += len(daten)
                if anzahl > grenze:
                    raise zuviel
                if sieht is not None and daten:
                    sieht(daten)
                if not entpacker.unconsumed_tail:
                    break
                daten = entpacker.decompress(entpacker.unconsumed_tail, _BLOCK)
    except zlib.error:
        raise SozbudgetError(
            f"Die Datei „{name}“ ist beschädigt (Bestandteil „{info.filename}“ lässt sich nicht entpacken)."
        ) from None
    return anzahl


# --------------------------------------------------------------------------- structure


def tabellenbereich(ws: Any, tabelle: Any) -> tuple[int, int, int, int]:
    """The table's range clipped to the sheet's used rows (a table over whole columns,
    ``A1:D1048576``, would otherwise read a million empty rows)."""
    from openpyxl.utils.cell import range_boundaries

    min_col, min_row, max_col, max_row = range_boundaries(tabelle.ref)
    benutzt = max(ws.max_row, min_row) + (tabelle.totalsRowCount or 0)
    return min_col, min_row, max_col, min(max_row, benutzt)


def pruefe_aufbau(wb: Any, zf: zipfile.ZipFile, blaetter: Iterable[Any], name: str) -> None:
    """Structural checks before any value is read (German errors with sheet and cell);
    ``blaetter``: the package's sheet entries (``name``, ``teil``) as listed in workbook.xml."""
    blaetter = list(blaetter)
    _pruefe_blattnamen([b.name for b in blaetter], name)
    if "Parameter" in wb.sheetnames:
        _pruefe_parameter_verbunden(wb["Parameter"])
    eingaben: dict[str, list[tuple[int, int, int, int]]] = {}
    if "Parameter" in wb.sheetnames:
        eingaben["Parameter"] = [(1, 1, 2, max(wb["Parameter"].max_row, 1))]
    for ws in wb.worksheets:
        for tabelle in ws.tables.values():
            bereich = tabellenbereich(ws, tabelle)
            _pruefe_ausgeblendet(ws, tabelle.name, bereich, tabelle.headerRowCount)
            _pruefe_kopf(ws, tabelle, bereich)
            eingaben.setdefault(ws.title, []).append(bereich)
    from .formelpruefung import pruefe_formeln

    teile = {b.name: b.teil for b in blaetter if b.name in wb.sheetnames}
    pruefe_formeln(zf, teile, eingaben, _MAX_FORMELZELLEN, wb)


def _pruefe_blattnamen(namen: list[str], datei: str) -> None:
    gesehen: dict[str, str] = {}
    for n in namen:
        k = normalisiert(n)
        if k in gesehen:
            raise SozbudgetError(
                f"Die Datei „{datei}“ enthält zwei Blätter mit demselben Namen („{gesehen[k]}“ und „{n}“) "
                "– bitte eines umbenennen."
            )
        gesehen[k] = n


def _pruefe_parameter_verbunden(ws: Any) -> None:
    for bereich in ws.merged_cells.ranges:
        if bereich.min_col <= 2:
            raise SozbudgetError(
                f"verbundene Zellen {bereich.coord} auf dem Blatt „Parameter“ – Bezeichnung und Wert "
                "müssen in eigenen Zellen stehen (Spalte A und B); bitte die Verbindung aufheben "
                "(Start › Verbinden und zentrieren)",
                sheet="Parameter",
                cell=bereich.coord,
            )


def _zeile_leer(ws: Any, zeile: int, min_col: int, max_col: int) -> bool:
    for spalte in range(min_col, max_col + 1):
        wert = ws._cells.get((zeile, spalte))
        if wert is not None and wert.value not in (None, "") and str(wert.value).strip():
            return False
    return True


def _pruefe_ausgeblendet(ws: Any, tabelle: str, bereich: tuple[int, int, int, int], kopf: Any) -> None:
    from openpyxl.utils.cell import column_index_from_string, get_column_letter

    min_col, min_row, max_col, max_row = bereich
    erste = min_row + (1 if kopf is None else kopf)
    versteckt = sorted(
        z
        for z, d in ws.row_dimensions.items()
        if d.hidden and erste <= z <= max_row and not _zeile_leer(ws, z, min_col, max_col)
    )
    if versteckt:
        liste = ", ".join(map(str, versteckt[:5])) + (" …" if len(versteckt) > 5 else "")
        raise SozbudgetError(
            f"die Tabelle „{tabelle}“ hat ausgeblendete oder weggefilterte Zeilen ({liste}); sie würden "
            "unsichtbar mitgerechnet – bitte einblenden (Filter löschen) oder die Zeilen löschen",
            sheet=ws.title,
            cell=f"{get_column_letter(min_col)}{versteckt[0]}",
        )
    for buchstabe, d in ws.column_dimensions.items():
        if not d.hidden:
            continue
        von = d.min or column_index_from_string(buchstabe)
        bis = d.max or von
        if von <= max_col and bis >= min_col:
            spalte = get_column_letter(max(von, min_col))
            raise SozbudgetError(
                f"die Tabelle „{tabelle}“ hat eine ausgeblendete Spalte ({spalte}); sie würde unsichtbar "
                "mitgelesen – bitte einblenden",
                sheet=ws.title,
                cell=f"{spalte}{min_row}",
            )


def _pruefe_kopf(ws: Any, tabelle: Any, bereich: tuple[int, int, int, int]) -> None:
    from openpyxl.utils.cell import get_column_letter

    min_col, min_row, max_col, _ = bereich
    if tabelle.headerRowCount == 0:
        return
    namen = [c.name for c in tabelle.tableColumns]
    gesehen: dict[str, str] = {}
    for i, spalte in enumerate(range(min_col, max_col + 1)):
        zelle = ws._cells.get((min_row, spalte))
        wert = zelle.value if zelle is not None else None
        if wert is None or not str(wert).strip():
            wert = namen[i] if i < len(namen) else ""
        k = normalisiert(x_dekodieren(str(wert)))
        if not k:
            continue
        ort = f"{get_column_letter(spalte)}{min_row}"
        if k in gesehen:
            raise SozbudgetError(
                f"die Spaltenüberschrift „{' '.join(str(wert).split())}“ steht in der Tabelle "
                f"„{tabelle.name}“ doppelt ({gesehen[k]} und {ort}) – bitte eine Spalte umbenennen",
                sheet=ws.title,
                cell=ort,
            )
        gesehen[k] = ort


# --------------------------------------------------------------------------- messages


_ERRNO_TEXT = {
    errno.EACCES: "keine Berechtigung (Zugriff verweigert)",
    errno.EPERM: "keine Berechtigung (Zugriff verweigert)",
    errno.EEXIST: "es gibt dort schon eine Datei gleichen Namens",
    errno.ENOSPC: "kein Platz mehr auf dem Datenträger",
    errno.EROFS: "der Datenträger ist schreibgeschützt",
    errno.ENOENT: "Datei oder Ordner nicht gefunden",
    errno.ENOTDIR: "ein Teil des Pfads ist kein Ordner",
    errno.EISDIR: "das ist ein Ordner, keine Datei",
    errno.ENAMETOOLONG: "der Dateiname ist zu lang",
    errno.EDQUOT: "das Speicherkontingent ist erschöpft",
    errno.EIO: "Ein-/Ausgabefehler des Datenträgers",
    errno.EBUSY: "die Datei wird gerade von einem anderen Programm benutzt",
    errno.ELOOP: "zu viele verkettete Verknüpfungen (symbolische Links)",
}


#: characters a file name may not show raw in a message line (controls incl. line breaks, bidi)
_NAMENSZEICHEN = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def anzeigename(pfad: str | os.PathLike[str]) -> str:
    """A file name as a message line shows it: control characters (a terminal escape, a line
    break that would split the one-line-per-file output) as ⟨U+001B⟩, never raw."""
    return _NAMENSZEICHEN.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", os.fsdecode(pfad))


def oserror_text(exc: OSError, datei: str | os.PathLike[str] | None = None) -> str:
    """A German sentence for a file-system error (never the English ``[Errno n] …`` text)."""
    grund = _ERRNO_TEXT.get(exc.errno or -1, "Fehler beim Zugriff auf die Datei")
    betroffen = exc.filename if exc.filename is not None else datei
    wo = f" (betroffen: „{Path(os.fsdecode(betroffen)).name}“)" if betroffen is not None else ""
    return f"{grund}{wo}"


def fehler_text(exc: BaseException, datei: str | os.PathLike[str] | None) -> str:
    """German text for any exception while processing ``datei`` (no repr, no English)."""
    name = Path(os.fsdecode(datei)).name if datei else "der Datei"
    if isinstance(exc, SozbudgetError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"Dateifehler bei „{name}“: {oserror_text(exc, datei)} – nichts wurde ersetzt"
    if isinstance(exc, MemoryError):
        return f"zu wenig Arbeitsspeicher für „{name}“ – die Datei ist zu groß oder beschädigt"
    if isinstance(exc, RecursionError):
        return f"„{name}“ ist zu tief verschachtelt und wird nicht verarbeitet (beschädigt oder manipuliert?)"
    if isinstance(exc, zlib.error | zipfile.BadZipFile | EOFError):
        return f"Die Datei „{name}“ ist beschädigt oder unvollständig (nicht zu entpacken)."
    if _ist_xml_fehler(exc):
        return f"Die Datei „{name}“ ist beschädigt (ein XML-Bestandteil ist fehlerhaft)."
    art = f" ({type(exc).__name__})" if os.environ.get("SOZBUDGET_DEBUG") else ""
    return (
        f"unerwarteter interner Fehler bei „{name}“{art} – die Datei wurde nicht verändert; bitte "
        "melden (mit SOZBUDGET_DEBUG=1 erscheinen Einzelheiten)"
    )


def fehler_art(exc: BaseException) -> str:
    """A German hint at the kind of a library error (never its class name or English text)."""
    if _ist_xml_fehler(exc):
        return " (ein XML-Bestandteil ist fehlerhaft)"
    if isinstance(exc, zlib.error | zipfile.BadZipFile | EOFError):
        return " (ein Bestandteil lässt sich nicht entpacken)"
    if isinstance(exc, RecursionError):
        return " (zu tief verschachtelt)"
    if isinstance(exc, MemoryError):
        return " (zu wenig Arbeitsspeicher)"
    return ""


def _ist_xml_fehler(exc: BaseException) -> bool:
    from xml.etree.ElementTree import ParseError

    from lxml import etree

    try:
        from defusedxml import DefusedXmlException
    except ImportError:  # pragma: no cover
        DefusedXmlException = ParseError
    return isinstance(exc, etree.XMLSyntaxError | ParseError | DefusedXmlException)


# --------------------------------------------------------------------------- lock files and paths


def ist_sperrdatei(name: str) -> bool:
    """Lock and temp files of Excel (``~$…``), LibreOffice (``.~lock.…#``) and ours — never workbooks."""
    return name.startswith(("~$", ".~lock.", _TEMP_PREFIX))


def sperrdateien(pfad: Path) -> list[tuple[Path, str]]:
    """Lock files of ``pfad`` beside the named path and beside a symlink's target: (file, program)."""
    orte = [pfad]
    with contextlib.suppress(OSError):
        echt = Path(os.path.realpath(pfad))
        if echt != pfad:
            orte.append(echt)
    gefunden: list[tuple[Path, str]] = []
    for p in orte:
        name = p.name
        kandidaten = [(p.with_name("~$" + name), "Excel"), (p.with_name(f".~lock.{name}#"), "LibreOffice")]
        if len(name) > 2:
            kandidaten.append((p.with_name("~$" + name[2:]), "Excel"))
        gefunden.extend(
            (k, prog) for k, prog in kandidaten if os.path.lexists(k) and (k, prog) not in gefunden
        )
    return gefunden


def pruefe_sperre(pfad: Path) -> None:
    gefunden = sperrdateien(pfad)
    if not gefunden:
        return
    datei, programm = gefunden[0]
    raise SozbudgetError(
        f"Die Datei „{pfad.name}“ ist in {programm} geöffnet (Sperrdatei „{datei.name}“ von {programm}) – "
        f"bitte die Datei in {programm} schließen und erneut versuchen. Ist sie nirgends geöffnet, die "
        "Sperrdatei löschen."
    )


def zielpfad(ziel: str | os.PathLike[str]) -> Path:
    """An output path with its folder resolved but never its last component: a symbolic link
    there is refused (writing through it could land outside the folder the user named)."""
    p = Path(ziel)
    ordner = Path(os.path.realpath(p.parent))
    echt = ordner / p.name
    if echt.is_symlink():
        raise SozbudgetError(
            f"„{p.name}“ im Zielordner ist eine Verknüpfung (symbolischer Link) auf "
            f"„{os.readlink(echt)}“ – sozbudget schreibt nicht durch Verknüpfungen; bitte die "
            "Verknüpfung entfernen oder einen anderen Zielordner wählen."
        )
    if echt.exists() and not echt.is_file():
        raise SozbudgetError(f"„{p.name}“ im Zielordner ist keine Datei und wird nicht überschrieben.")
    return echt


def quellpfad_inplace(pfad: str | os.PathLike[str]) -> Path:
    """The workbook to replace in place: a symlink is followed only when its target lies in
    the same folder; a read-only file is refused."""
    p = Path(pfad)
    echt = Path(os.path.realpath(p))
    if p.is_symlink() and echt.parent != Path(os.path.realpath(p.parent)):
        raise SozbudgetError(
            f"„{p.name}“ ist eine Verknüpfung (symbolischer Link) auf „{echt}“ außerhalb des Ordners – "
            "sozbudget ändert nur Dateien im angegebenen Ordner; bitte die Mappe selbst angeben "
            "oder --out ORDNER verwenden."
        )
    pruefe_beschreibbar(echt)
    return echt


def pruefe_beschreibbar(pfad: Path) -> None:
    """Refuse to replace a file marked read-only (it would otherwise be replaced silently)."""
    try:
        st = pfad.stat()
    except FileNotFoundError:
        return
    if not st.st_mode & 0o222 or not os.access(pfad, os.W_OK):
        raise SozbudgetError(
            f"Die Datei „{pfad.name}“ ist schreibgeschützt und wird nicht ersetzt – bitte den "
            "Schreibschutz aufheben oder --out ORDNER verwenden."
        )


def schreibpfade(
    pfad: str | os.PathLike[str], ziel: str | os.PathLike[str] | None
) -> tuple[Path, Path, bool]:
    """(workbook read, file written, in place) for a write; refuses symlinks leading out of the
    folder, read-only targets, open workbooks and missing folders (German errors)."""
    quelle = Path(os.path.realpath(pfad))
    zp = None if ziel is None else zielpfad(ziel)
    if zp is None or zp == quelle:
        echt = quellpfad_inplace(pfad)
        pruefe_sperre(Path(pfad))
        return echt, echt, True
    if zp.exists() and os.path.samefile(zp, quelle):
        raise SozbudgetError(
            f"Das Ziel „{zp}“ ist dieselbe Datei wie die Mappe „{Path(pfad).name}“ (Verknüpfung) – "
            "sie wird so nicht überschrieben; bitte --inplace oder einen anderen Zielordner verwenden."
        )
    pruefe_sperre(quelle)
    pruefe_sperre(zp)
    if not zp.parent.is_dir():
        raise SozbudgetError(f"Der Zielordner „{zp.parent}“ existiert nicht.")
    pruefe_beschreibbar(zp)
    return quelle, zp, False


def ordner_anlegen(ordner: Path) -> None:
    """Create the output folder (German errors: a file in the way, no permission …)."""
    if ordner.exists() and not ordner.is_dir():
        raise SozbudgetError(f"Der Zielordner „{ordner}“ ist eine Datei, kein Ordner.")
    try:
        ordner.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SozbudgetError(
            f"Der Zielordner „{ordner}“ kann nicht angelegt werden: {oserror_text(exc)}."
        ) from None


# --------------------------------------------------------------------------- identity


@dataclass(frozen=True)
class Stand:
    """What a file was when we read it: identity, size, time and content hash."""

    geraet: int
    inode: int
    groesse: int
    mtime_ns: int
    sha256: str


def stand(pfad: Path, daten: bytes | None = None) -> Stand | None:
    """The file's current :class:`Stand` (``daten``: the bytes already read), ``None`` if absent."""
    try:
        st = os.stat(pfad)
        if daten is None:
            with open(pfad, "rb") as fh:
                daten = fh.read()
    except FileNotFoundError:
        return None
    return Stand(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, hashlib.sha256(daten).hexdigest())


def _unveraendert(pfad: Path, erwartet: Stand | None) -> bool:
    try:
        jetzt = stand(pfad)
    except OSError:
        return False
    if erwartet is None or jetzt is None:
        return erwartet is None and jetzt is None
    return jetzt == erwartet


# --------------------------------------------------------------------------- temp files and backups


def _prozess_laeuft(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def alte_tempdateien_entfernen(ordner: Path) -> None:
    """Remove our temp files left by crashed runs (dead process or older than a day)."""
    if not ordner.is_dir() or ordner.is_symlink():
        return
    jetzt = time.time()
    for datei in ordner.glob(_TEMP_PREFIX + "*"):
        m = re.match(re.escape(_TEMP_PREFIX) + r"(\d+)-", datei.name)
        if m is None or datei.is_symlink():
            continue
        try:
            alter = jetzt - datei.stat().st_mtime
        except OSError:
            continue
        pid = int(m.group(1))
        tot = pid != os.getpid() and not _prozess_laeuft(pid)
        if tot or alter > (3600 if os.name == "nt" else 86400):
            with contextlib.suppress(OSError):
                datei.unlink()


def _schreibe_temp(ordner: Path, daten: bytes, suffix: str) -> Path:
    """Write ``daten`` to a fsynced temp file in ``ordner`` (removed again on any error)."""
    fd, name = tempfile.mkstemp(dir=ordner, prefix=f"{_TEMP_PREFIX}{os.getpid()}-", suffix=suffix)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(daten)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return tmp


def sicherung_anlegen(pfad: Path, daten: bytes, ordnername: str, behalten: int) -> Path:
    """Copy ``daten`` (the version being replaced) into ``ordnername`` beside ``pfad``; keep the
    newest ``behalten`` per workbook. A symlinked backup folder is refused; a backup that fails
    half-way (disk full) leaves no partial file."""
    ordner = pfad.parent / ordnername
    if ordner.is_symlink() or (ordner.exists() and not ordner.is_dir()):
        raise SozbudgetError(
            f"Der Sicherungsordner „{ordner.name}“ neben „{pfad.name}“ ist eine Verknüpfung oder keine "
            "Ordner – aus Sicherheitsgründen wird nichts gesichert und nichts ersetzt; bitte ihn entfernen."
        )
    try:
        ordner.mkdir(exist_ok=True)
        alte_tempdateien_entfernen(ordner)
        stempel = dt.datetime.now().strftime("%Y-%m-%d_%H-%M-%S")
        ziel = ordner / f"{pfad.stem}_{stempel}{pfad.suffix}"
        n = 2
        while os.path.lexists(ziel):
            ziel = ordner / f"{pfad.stem}_{stempel}_{n}{pfad.suffix}"
            n += 1
        tmp = _schreibe_temp(ordner, daten, pfad.suffix)
        try:
            _rechte_uebernehmen(tmp, pfad)
            os.replace(tmp, ziel)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
    except OSError as exc:
        raise SozbudgetError(
            f"Die Sicherungskopie von „{pfad.name}“ konnte nicht angelegt werden ({oserror_text(exc)}) – "
            "die Mappe bleibt unverändert."
        ) from None
    _alte_sicherungen_loeschen(ordner, pfad, behalten)
    return ziel


def _alte_sicherungen_loeschen(ordner: Path, pfad: Path, behalten: int) -> None:
    muster = re.compile(
        re.escape(pfad.stem) + r"_\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d(?:_\d+)?" + re.escape(pfad.suffix)
    )
    alte = sorted(
        (d for d in ordner.iterdir() if muster.fullmatch(d.name) and d.is_file() and not d.is_symlink()),
        key=lambda d: (d.stat().st_mtime, d.name),
    )
    for d in alte[:-behalten] if behalten > 0 else alte:
        with contextlib.suppress(OSError):
            d.unlink()


def daneben(pfad: Path, zusatz: str = "neu berechnet") -> Path:
    """A free file name beside ``pfad``: ``<Name> (neu berechnet).xlsx``, ``… 2`` …"""
    n = 1
    while True:
        teil = zusatz if n == 1 else f"{zusatz} {n}"
        kandidat = pfad.with_name(f"{pfad.stem} ({teil}){pfad.suffix}")
        if not os.path.lexists(kandidat):
            return kandidat
        n += 1


def _ohne_ueberschreiben(tmp: Path, ziel: Path) -> bool:
    """Move ``tmp`` to ``ziel`` only if ``ziel`` does not exist (atomic: a hard link)."""
    try:
        os.link(tmp, ziel)
    except FileExistsError:
        return False
    except OSError:  # no hard links on this file system: check, then rename (tiny window)
        if os.path.lexists(ziel):
            return False
        os.replace(tmp, ziel)
        return True
    with contextlib.suppress(OSError):
        tmp.unlink()
    return True


@dataclass
class Ersetzen:
    """One atomic replace: ``ziel`` gets ``daten``; ``ziel_stand`` is what ``ziel`` was when we
    read it (``None``: absent), ``quelle``/``quelle_stand`` the workbook read (if different)."""

    ziel: Path
    daten: bytes
    ziel_stand: Stand | None
    sicherung: bool
    ordnername: str
    behalten: int
    alt_daten: bytes | None = None  # the bytes of ``ziel`` we read (backup source)
    quelle: Path | None = None
    quelle_stand: Stand | None = None
    pause_env: str = "SOZBUDGET_TEST_PAUSE_BEFORE_REPLACE"


def atomar_ersetzen(auftrag: Ersetzen) -> Path | None:
    """Temp file beside the target (fsync) → backup of the version we read → lock check and
    identity + content-hash check of target and source → ``os.replace``. On a change by another
    program, the user's file stays and ours is put beside it (:class:`Wettlauf`)."""
    ziel = auftrag.ziel
    ordner = ziel.parent
    alte_tempdateien_entfernen(ordner)
    tmp = _schreibe_temp(ordner, auftrag.daten, ziel.suffix or ".xlsx")
    try:
        _rechte_uebernehmen(tmp, ziel)
        gesichert = None
        if auftrag.sicherung and auftrag.ziel_stand is not None:
            alt = auftrag.alt_daten if auftrag.alt_daten is not None else ziel.read_bytes()
            gesichert = sicherung_anlegen(ziel, alt, auftrag.ordnername, auftrag.behalten)
        pause = os.environ.get(auftrag.pause_env)
        if pause:  # test-only hook: a test can kill us here or change the file
            sys.stderr.write("SOZBUDGET_TEST_PAUSE\n")
            sys.stderr.flush()
            time.sleep(float(pause))
        pruefe_sperre(ziel)
        geaendert = not _unveraendert(ziel, auftrag.ziel_stand)
        if auftrag.quelle is not None and not _unveraendert(auftrag.quelle, auftrag.quelle_stand):
            geaendert = True
        if geaendert:
            _wettlauf(tmp, ziel, auftrag.quelle or ziel)
        if auftrag.ziel_stand is None:
            if not _ohne_ueberschreiben(tmp, ziel):
                _wettlauf(tmp, ziel, ziel)
        else:
            try:
                os.replace(tmp, ziel)
            except PermissionError:
                raise SozbudgetError(
                    f"Die Datei „{ziel.name}“ kann nicht ersetzt werden (von einem anderen Programm "
                    "geöffnet oder schreibgeschützt?) – sie bleibt unverändert."
                ) from None
        _fsync_ordner(ordner)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return gesichert


def _wettlauf(tmp: Path, ziel: Path, geaendert: Path) -> None:
    neben = daneben(ziel)
    while not _ohne_ueberschreiben(tmp, neben):
        neben = daneben(ziel)
    raise Wettlauf(
        f"Die Datei „{geaendert.name}“ wurde während der Berechnung von einem anderen Programm "
        f"verändert. Ihre Fassung bleibt unangetastet; das Ergebnis von sozbudget liegt daneben in "
        f"„{neben.name}“. Bitte prüfen und ggf. erneut rechnen."
    )


def _rechte_uebernehmen(tmp: Path, ziel: Path) -> None:
    with contextlib.suppress(OSError):
        if ziel.exists():
            os.chmod(tmp, ziel.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)


def _fsync_ordner(ordner: Path) -> None:
    if os.name == "nt":
        return
    with contextlib.suppress(OSError):
        fd = os.open(ordner, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
