"""Read workbooks and write results without ever damaging a user's file.

Public API
----------
``lese_mappe(pfad) -> Mappendaten``
    Reads the sheet „Parameter“ (column A Bezeichnung, column B Wert) and every Excel
    Table (ListObject) of every sheet into plain Python values (cached values of
    formulas; dates as :class:`datetime.date`). ``Mappendaten.ort`` is the ``orte``
    callable of the workbook contract (``schema.eingabe_aus_daten``).
``schreibe_ausgaben(pfad, ausgaben, *, ziel=None, sicherung=True, zahlenformate=None) -> Schreibbericht``
    Writes only the given output sheets (block from A1, header bold, money columns
    ``#,##0.00 "€"``, dates ``DD.MM.YYYY``), in place (atomic, with a backup) or to ``ziel``.
``schreibe_ergebnisdatei(pfad_ziel, ausgaben)`` / ``ergebnisdatei(pfad)``
    A new workbook holding only the output sheets (``<name>_Ergebnis.xlsx``): the fallback
    when :class:`VerlustGefahr` is raised.
``verlustrisiken(pfad) -> list[str]``
    German descriptions of content that openpyxl would drop when *it* saved the file.

How writing keeps everything else (design decision)
---------------------------------------------------
The writer does **not** save the workbook with openpyxl (that drops cached formula values,
spilled dynamic-array metadata, sparklines, x14 extensions, shapes, …). It edits the zip
package directly: the output sheets' XML parts are replaced (or added at the end), and only
the bookkeeping parts change — ``xl/workbook.xml`` and its rels (new sheets), ``[Content_Types].xml``
(new sheets), ``xl/styles.xml`` (formats are *appended*, existing entries stay unchanged) and
``xl/calcChain.xml`` (dropped when a replaced output sheet held formulas; Excel rebuilds it) and
the charts whose series read the block „Budget nach …“ of an output sheet: their ranges and cached
values are moved to the block's current rows (charts follow the data).
Every other part — input sheets, tables, drawings, ``xl/vbaProject.bin``, ``xl/metadata.xml`` …
— is copied byte for byte. Text is written as inline strings, so a value like ``=HYPERLINK(…)``
can never become a formula. Existing formatting of an output sheet (column widths, page setup,
frozen panes, drawings) is kept; its old cells, merges, validations, conditional formats and
hyperlinks are cleared. An output sheet that holds a table, pivot table, slicer or control
cannot be replaced safely: :class:`VerlustGefahr` is raised (the caller writes a result file).

After writing, the result is verified against the original before it replaces anything:
all parts still present (calcChain excepted), unchanged parts byte-identical (so also the VBA
project), existing style entries unchanged, defined names equal; every output sheet written is
decoded from its XML (expat checks it is well-formed, a regular expression — or lxml for any
other cell form — reads every cell) and the digest of its cells must equal the one made while
rendering (on a difference the first wrong cell is named). For a big workbook a second process
decodes the very bytes deflated; it shows the rows well-formed without parsing them (every ``<``
in a cell or row tag of the writer's layout, allowed characters and references only:
``zellpruefung.pruefsumme_ohne_parser``) and expat checks the rest of the part; where it cannot
show that, this process parses the part as above. Only when some other part the other
sheets are read from changed, openpyxl also compares values and formulas, data validations and
tables of every non-output sheet. Any difference raises :class:`VerlustGefahr` and leaves the
original untouched. Rendered sheets are kept deflated until the package is written (issue 15).

In place (``ziel=None``): temp file ``.~sozbudget-<pid>-…`` in the same folder, fsync, verify,
backup of the previous version into the folder ``.sozbudget-sicherung`` beside the workbook
(``<name>_<JJJJ-MM-TT_hh-mm-ss>.xlsx``, the newest :data:`SICHERUNGEN_BEHALTEN` per workbook are
kept), then ``os.replace``. Stale temp files of crashed runs are removed by the next run. A
lock file of Excel (``~$<name>``) or LibreOffice (``.~lock.<name>#``) refuses the write.

Test-only hook: the environment variable ``SOZBUDGET_TEST_PAUSE_BEFORE_REPLACE`` (seconds)
makes the writer print ``SOZBUDGET_TEST_PAUSE`` to stderr and sleep right before ``os.replace``,
so a test can kill it there.

Defensive parsing
-----------------
Before any parser sees a file, the zip is checked (not a workbook, truncated, encrypted OLE
container ``D0 CF 11 E0``, more than :data:`MAX_EINTRAEGE` members, more than
:data:`MAX_UNKOMPRIMIERT` bytes uncompressed, a member compressed more than
:data:`MAX_KOMPRESSIONSRATE`:1) and every XML part is refused if it declares a DTD or entity.
The input sheets („Parameter“ and every sheet with a table) are read streamed (issue 15): expat
checks each part is well-formed, regular expressions read the usual cell forms, lxml (no
entities, no network) the rest; a workbook the streamed reader would not read exactly as
openpyxl does is loaded with openpyxl instead (same values, same German errors). openpyxl
itself parses worksheets with ``defusedxml.ElementTree.iterparse`` when defusedxml is
installed (``openpyxl.DEFUSEDXML`` is true; it is a dependency of this package) and the other
parts with lxml ``XMLParser(resolve_entities=False)``; this module parses with defusedxml
(reading) and with lxml without entity resolution or network access (editing).

>>> ergebnisdatei("Haushalt 2026.xlsm").name
'Haushalt 2026_Ergebnis.xlsx'
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import datetime as dt
import enum
import functools
import hashlib
import io as _io
import itertools
import math
import numbers
import os
import posixpath
import re
import time
import uuid
import warnings
import zipfile
import zlib
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from xml.parsers import expat

import openpyxl
from defusedxml import ElementTree as SafeET
from lxml import etree
from openpyxl.utils.cell import column_index_from_string, get_column_letter, range_boundaries

from ..errors import SozbudgetError
from ..paket import rels_pfad, ziel_aufloesen
from . import schutz
from . import zeilenlaeufe as _zl
from . import zellpruefung as _zp

__all__ = [
    "MAX_EINTRAEGE",
    "MAX_KOMPRESSIONSRATE",
    "MAX_UNKOMPRIMIERT",
    "SICHERUNGEN_BEHALTEN",
    "Mappendaten",
    "Schreibbericht",
    "VerlustGefahr",
    "ergebnisdatei",
    "lese_mappe",
    "schreibe_ausgaben",
    "schreibe_ergebnisdatei",
    "verlustrisiken",
]

#: Largest total uncompressed size of all zip members (bytes).
MAX_UNKOMPRIMIERT = 200 * 1024 * 1024
#: Largest compression ratio of one member bigger than :data:`_RATIO_AB` bytes.
MAX_KOMPRESSIONSRATE = 100
#: Largest number of zip members.
MAX_EINTRAEGE = 10_000
#: Backups kept per workbook in :data:`SICHERUNGSORDNER`.
SICHERUNGEN_BEHALTEN = 10
#: Folder beside the workbook that receives the previous version on an in-place write.
SICHERUNGSORDNER = ".sozbudget-sicherung"

_RATIO_AB = 1024 * 1024
_TEMP_PREFIX = ".~sozbudget-"
_PAUSE_ENV = "SOZBUDGET_TEST_PAUSE_BEFORE_REPLACE"
_OLE_SIGNATUR = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_WS_TYPE = _R + "/worksheet"
_WS_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"

_GELD_FORMAT = '#,##0.00 "€"'
_DATUM_FORMAT = "DD.MM.YYYY"
_DATUMZEIT_FORMAT = "DD.MM.YYYY HH:MM"
_ZEIT_FORMAT = "HH:MM"
_MAX_TEXT = 32767
#: a new sheet wider than this (sum of column widths in characters) prints in landscape, as
#: ``vorlage._QUER_AB`` for the sheets of a new workbook
_QUER_AB = 100
_MAX_ZEILEN = 1_048_576
_MAX_SPALTEN = 16_384

_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_UNGUELTIGE_BLATTZEICHEN = re.compile(r"[\[\]:*?/\\]")


class VerlustGefahr(SozbudgetError):
    """Writing would lose content of the workbook: nothing was replaced; write a result file."""


# --------------------------------------------------------------------------- helpers: paths


def ergebnisdatei(pfad: str | os.PathLike[str]) -> Path:
    """The separate result file beside ``pfad``: ``<name>_Ergebnis.xlsx``."""
    p = Path(pfad)
    return p.with_name(f"{p.stem}_Ergebnis.xlsx")


def _pruefe_sperre(pfad: Path) -> None:
    schutz.pruefe_sperre(pfad)  # names Excel or LibreOffice; also beside a symlink's target


# --------------------------------------------------------------------------- package checks


def _lies_bytes(pfad: Path) -> bytes:
    if not pfad.exists():
        raise SozbudgetError(f"Die Datei „{pfad.name}“ wurde nicht gefunden ({pfad}).")
    if not pfad.is_file():
        raise SozbudgetError(f"„{pfad.name}“ ist keine Datei.")
    groesse = pfad.stat().st_size
    if groesse > MAX_UNKOMPRIMIERT:
        raise SozbudgetError(
            f"Die Datei „{pfad.name}“ ist zu groß ({groesse // (1024 * 1024)} MB, höchstens "
            f"{MAX_UNKOMPRIMIERT // (1024 * 1024)} MB)."
        )
    try:
        return pfad.read_bytes()
    except OSError as exc:
        raise SozbudgetError(
            f"Die Datei „{pfad.name}“ kann nicht gelesen werden: {schutz.oserror_text(exc)}."
        ) from None


def _oeffne_paket(daten: bytes, name: str, digest: bytes | None = None) -> zipfile.ZipFile:
    """Open the bytes as an OOXML zip after the safety checks (German errors naming ``name``);
    ``digest``: :func:`_paket_digest` of ``daten`` where the caller has it already."""
    if daten.startswith(_OLE_SIGNATUR):
        if "EncryptionInfo".encode("utf-16-le") in daten:
            raise SozbudgetError(
                f"Die Datei „{name}“ ist mit einem Kennwort geschützt (verschlüsselt). Bitte in Excel "
                "das Kennwort entfernen (Datei › Informationen › Arbeitsmappe schützen) und erneut versuchen."
            )
        raise SozbudgetError(
            f"Die Datei „{name}“ ist eine alte Excel-Datei (.xls) oder kennwortgeschützt. Bitte in Excel "
            "als „Excel-Arbeitsmappe (*.xlsx)“ speichern."
        )
    if not daten.startswith(b"PK"):
        raise SozbudgetError(f"Die Datei „{name}“ ist keine Excel-Arbeitsmappe (.xlsx/.xlsm).")
    try:
        zf = zipfile.ZipFile(_io.BytesIO(daten))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise SozbudgetError(
            f"Die Datei „{name}“ ist beschädigt oder unvollständig (kein lesbares ZIP-Archiv)."
        ) from None
    infos = zf.infolist()
    if len(infos) > MAX_EINTRAEGE:
        raise SozbudgetError(f"Die Datei „{name}“ hat zu viele Bestandteile ({len(infos)}).")
    gesamt = 0
    for info in infos:
        gesamt += info.file_size
        if info.file_size > _RATIO_AB and info.file_size > MAX_KOMPRESSIONSRATE * max(info.compress_size, 1):
            raise SozbudgetError(
                f"Die Datei „{name}“ wird abgelehnt: der Bestandteil „{info.filename}“ ist ungewöhnlich "
                f"stark komprimiert (mehr als {MAX_KOMPRESSIONSRATE}:1, mögliche ZIP-Bombe)."
            )
    if gesamt > MAX_UNKOMPRIMIERT:
        raise SozbudgetError(
            f"Die Datei „{name}“ wird abgelehnt: entpackt wäre sie größer als "
            f"{MAX_UNKOMPRIMIERT // (1024 * 1024)} MB (mögliche ZIP-Bombe)."
        )
    lauf = _LAUF.get()
    schluessel = None
    if lauf is not None:
        schluessel = (digest or _paket_digest(daten), MAX_UNKOMPRIMIERT)
        if schluessel in lauf.gepruefte:  # the same bytes passed the checks below already
            return zf
    dtd = _DtdSuche()  # in the same pass: every part inflated once
    schutz.pruefe_bestandteile(zf, name, MAX_UNKOMPRIMIERT, dtd.leser)  # sizes counted while inflating
    namen = set(zf.namelist())
    if "[Content_Types].xml" not in namen:
        raise SozbudgetError(f"Die Datei „{name}“ ist keine Excel-Arbeitsmappe (.xlsx/.xlsm).")
    for info in infos:
        if info.filename in dtd.gefunden:
            raise SozbudgetError(
                f"Die Datei „{name}“ wird abgelehnt: der Bestandteil „{info.filename}“ enthält "
                "eine DTD/Entity-Deklaration (in Excel-Dateien nicht zulässig)."
            )
    if lauf is not None and schluessel is not None:
        lauf.gepruefte.add(schluessel)
    return zf


def _paket_digest(daten: bytes) -> bytes:
    return hashlib.blake2b(daten, digest_size=32).digest()


@dataclass
class _Lauf:
    """One recalc (:func:`einmal_pruefen`): the packages (digest of their bytes, size limit) that
    passed the checks of :func:`_oeffne_paket` which inflate every part — they depend on the bytes
    and the limit only (the name appears in their errors); only passes are kept —, and the second
    process started while reading (:func:`vorab_starten`) with the jobs it was given for the package
    of digest ``digest``."""

    gepruefte: set[tuple[bytes, int]] = field(default_factory=set)
    gegen: _zp.Gegenpruefung | None = None
    digest: bytes = b""
    auftraege: dict[tuple[str, str], int] = field(default_factory=dict)


_LAUF: contextvars.ContextVar[_Lauf | None] = contextvars.ContextVar("_LAUF", default=None)


@contextlib.contextmanager
def einmal_pruefen() -> Iterator[None]:
    """Within the block, the same package bytes are inflated and checked once: recalc reads a
    workbook and then opens it again to write (read from the file anew, so a file changed in
    between has other bytes and is checked anew). Outside, every open checks everything. A second
    process started in the block (:func:`vorab_starten`) ends with it at the latest."""
    lauf = _Lauf()
    token = _LAUF.set(lauf)
    try:
        yield
    finally:
        _LAUF.reset(token)
        if lauf.gegen is not None:
            lauf.gegen.beenden()


#: inflated bytes of the old sheets from which the second process is started while reading, to
#: work on them while the model runs (below, the writer does it in less time than the start takes)
_VORAB_AB = 1 << 20
#: once it runs, the second process also cuts the rows out of every old sheet part from this size
#: on (the writer would cut a part below :data:`_STROM_AB` itself: ≈ 23 ms for 3,5 MB, while both
#: cores are busy writing; the second process does it while the model runs)
_VORAB_SCHNITT_AB = 1 << 20


def vorab_starten(mappe: Mappendaten, lesen: Sequence[str] = ()) -> None:
    """Within :func:`einmal_pruefen`: start a second process now (:class:`zellpruefung.Gegenpruefung`)
    and give it the old sheet parts of the workbook read that are needed later (a zip each, holding
    the part as stored): the sheets ``lesen``, whose values :meth:`Mappendaten.blattwerte` then
    gives from the process's answer (:class:`_Vorab`), and for the writer every old sheet named in a
    chart (its chart block, :func:`_spalten_ab`) and every one from :data:`_VORAB_SCHNITT_AB` on,
    whose rows it cuts out as it inflates (:func:`_ohne_zeilen_gestreamt`; the writer would cut one
    below :data:`_STROM_AB` itself). It works on them while the model runs and ends when done (it
    is not held while the sheets are built); the writer takes the results if it opens the very
    same bytes."""
    from .schema import DIAGRAMM_PREFIX

    lauf, offen = _LAUF.get(), mappe.geoeffnet()
    alte = _alte_blaetter(*offen) if offen is not None else []
    if lauf is None or offen is None or lauf.gegen is not None or sum(g for _, _, g in alte) < _VORAB_AB:
        return
    zf, paket = offen
    diagramme = [zf.read(n) for n in sorted(paket.namen) if _DIAGRAMM_TEIL.match(n)]
    gegen = _zp.Gegenpruefung.starten()
    if gegen is None:
        return
    lauf.gegen, lauf.digest = gegen, mappe._digest or _paket_digest(mappe._paket)
    sst = paket.teil_vom_typ("/sharedStrings")

    @functools.cache  # a part may get two jobs
    def einzeln_je(teil: str) -> bytes | None:
        if sst in paket.namen and not _beginnt_im_schreiberlayout(zf, teil):
            return _einzeln_gepackt(zf, teil, sst)  # a sheet Excel saved: its shared strings go along
        return _einzeln_gepackt(zf, teil)

    for name, teil, _ in alte:  # first: they are asked for before the writer starts
        if name in lesen and (einzeln := einzeln_je(teil)) is not None:
            nummer = gegen.auftrag("werte", teil, mappe._datumsstile, einzeln)
            mappe._vorgelesen[name] = _Vorab(gegen, nummer, teil, einzeln, mappe._datumsstile)
    for name, teil, groesse in alte:
        namen = {name.encode(), _xml_text(name).encode(), name.replace("'", "''").encode()}
        arten = ["diagramm"] if any(n in d for d in diagramme for n in namen) else []
        arten += ["schnitt"] if groesse >= min(_STROM_AB, _VORAB_SCHNITT_AB) else []
        einzeln = einzeln_je(teil) if arten else None
        for art in arten if einzeln is not None else ():
            lauf.auftraege[(art, teil)] = gegen.auftrag(art, teil, DIAGRAMM_PREFIX, einzeln)
    gegen.eingabe_schliessen()


def _beginnt_im_schreiberlayout(zf: zipfile.ZipFile, teil: str) -> bool:
    """Whether the rows in the first 64 KiB of a part are in the writer's layout (else it is a sheet
    Excel saved, whose shared strings the second process needs)."""
    with zf.open(teil) as fh:
        anfang = fh.read(1 << 16)
    schnitt = anfang.rfind(b"</row>")
    return schnitt != -1 and _zp.im_schreiberlayout(anfang[: schnitt + 6])


@dataclass
class _Vorab:
    """The values of an old sheet part (:func:`_blattwerte`) as the second process reads them
    (job ``nummer``); when it gives none (or when asked again: its answer is taken once), read here
    from ``einzeln`` (a zip holding just the part, as stored in the workbook) — or ``None``, where
    that needs more than the part."""

    gegen: _zp.Gegenpruefung
    nummer: int
    teil: str
    einzeln: bytes
    datumsstile: frozenset[str] | None

    def werte(self) -> list[Sequence[Any]] | None:
        teile = self.gegen.auftragsergebnis(self.nummer)
        zeilen = teile if teile is None or teile == _zp.KEIN_ERGEBNIS else _zp.blattwerte_entpickelt(teile)
        if zeilen == _zp.KEIN_ERGEBNIS:  # read here, a sheet Excel saved with its shared strings
            with zipfile.ZipFile(_io.BytesIO(self.einzeln)) as zf:
                texte = _zp.texte_im_zip(zf, self.teil, openpyxl=True)
                zeilen = _werte_gestreamt(zf, self.teil, self.datumsstile, texte)
            if zeilen == _zp.KEIN_ERGEBNIS:
                return None  # another layout: the caller reads the file
        return None if zeilen is None else _als_liste(zeilen)


def _einzeln_gepackt(zf: zipfile.ZipFile, teil: str, *dazu: str) -> bytes | None:
    """A zip holding just the part ``teil`` of ``zf`` (and the parts ``dazu``, e.g. the shared
    strings of a sheet Excel saved), their compressed bytes as they are."""
    puffer = _io.BytesIO()
    with zipfile.ZipFile(puffer, "w") as zout:
        for name in (teil, *dazu):
            info = zf.getinfo(name)
            roh = _rohdaten(zf, info)
            neu = zipfile.ZipInfo(name, date_time=info.date_time)
            neu.compress_type = info.compress_type
            if roh is None or not _roh_schreiben(zout, neu, roh, info.CRC, info.file_size):
                return None
    return puffer.getvalue()


def _alte_blaetter(zf: zipfile.ZipFile, paket: _Paket) -> list[tuple[str, str, int]]:
    """(sheet, part, bytes inflated) of the worksheets of a package that are no input (no table,
    not „Parameter“): old outputs and the user's own sheets."""
    alte = []
    for b in paket.blaetter:
        if b.teil not in paket.namen or not b.typ.endswith("/worksheet") or b.name == "Parameter":
            continue
        if any(typ.endswith("/table") for typ, _ in paket.blatt_rels(b.teil)):
            continue
        alte.append((b.name, b.teil, zf.getinfo(b.teil).file_size))
    return alte


def _vorab_fuer(digest: bytes | None) -> dict[tuple[str, str], Any]:
    """The results of the jobs given while reading (:func:`vorab_starten`), for the package the
    writer opens (``digest``: its :func:`_paket_digest`): only when they were worked out from the
    very same bytes."""
    lauf = _LAUF.get()
    if lauf is None or lauf.gegen is None:
        return {}
    gegen, lauf.gegen = lauf.gegen, None
    try:
        if lauf.digest != digest:
            return {}
        ergebnisse = {k: gegen.auftragsergebnis(i) for k, i in lauf.auftraege.items()}
        return {k: e for k, e in ergebnisse.items() if e != _zp.KEIN_ERGEBNIS}
    finally:
        gegen.beenden()


_DTD_MARKEN = tuple(
    m.encode(k) for m in ("<!DOCTYPE", "<!ENTITY") for k in ("utf-8", "utf-16-le", "utf-16-be")
)


def _dtd_marke(daten: bytes) -> bool:
    """Whether a DTD or entity marker is in ``daten``: every marker holds the byte "!" — one scan
    at memchr speed (≈ 50× faster than a two-byte search) decides for nearly every part —, and "<!"
    (UTF-8) or "<\\0!" (UTF-16, either order), so two more scans decide for most of the others
    before the six markers."""
    if b"!" not in daten:
        return False
    return (b"<!" in daten or b"<\x00!" in daten) and any(m in daten for m in _DTD_MARKEN)


class _DtdSuche:
    """Which XML parts declare a DTD or entity anywhere (a prolog can be padded with comments),
    seen while :func:`schutz.pruefe_bestandteile` inflates them. Markup cannot hide in cell text:
    a literal ``<`` there is always escaped as ``&lt;``."""

    def __init__(self) -> None:
        self.gefunden: set[str] = set()

    def leser(self, info: zipfile.ZipInfo) -> Any:
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            return None
        rest = b""

        def sieht(block: bytes) -> None:
            nonlocal rest
            if _dtd_marke(rest + block[:40]) or _dtd_marke(block):  # the seam, then the block itself
                self.gefunden.add(info.filename)
            rest = (rest + block)[-40:] if len(block) < 40 else block[-40:]

        return sieht


def _xml(zf: zipfile.ZipFile, teil: str) -> Any:
    """Parse a part read-only with defusedxml."""
    return SafeET.fromstring(zf.read(teil))


@dataclass
class _Blattinfo:
    name: str
    sheet_id: str
    rid: str
    teil: str
    typ: str


class _Paket:
    """Read-only view of the package structure: workbook part, sheets and their parts."""

    def __init__(self, zf: zipfile.ZipFile, name: str) -> None:
        self.zf = zf
        self.namen = set(zf.namelist())
        try:
            root_rels = _xml(zf, "_rels/.rels")
            wb_teil = None
            for rel in root_rels:
                if rel.get("Type", "").endswith("/officeDocument"):
                    wb_teil = ziel_aufloesen("", rel.get("Target", ""))
            if wb_teil is None or wb_teil not in self.namen:
                raise KeyError(wb_teil)
            self.wb_teil = wb_teil
            self.wb_rels_teil = rels_pfad(wb_teil)
            wb = _xml(zf, wb_teil)
            if wb.tag == f"{{{_STRICT_MAIN}}}workbook":
                raise SozbudgetError(
                    f"Die Datei „{name}“ ist im Format „Strict Open XML“ gespeichert; bitte in Excel als "
                    "normale „Excel-Arbeitsmappe (*.xlsx)“ speichern."
                )
            if wb.tag != f"{{{_MAIN}}}workbook":
                raise KeyError(wb.tag)
            rels = _xml(zf, self.wb_rels_teil) if self.wb_rels_teil in self.namen else []
        except SozbudgetError:
            raise
        except Exception:
            raise SozbudgetError(
                f"Die Datei „{name}“ ist keine Excel-Arbeitsmappe (.xlsx/.xlsm) oder beschädigt."
            ) from None
        self.rels: dict[str, tuple[str, str]] = {}
        for rel in rels:
            self.rels[rel.get("Id", "")] = (
                rel.get("Type", ""),
                ziel_aufloesen(self.wb_teil, rel.get("Target", "")),
            )
        pr = wb.find(f"{{{_MAIN}}}workbookPr")
        self.datum1904 = pr is not None and pr.get("date1904", "0").lower() in ("1", "true")
        #: the shared strings as each reader reads them, parsed once (:func:`_geteilte_texte`)
        self.texte: dict[str, list[str]] = {}
        self.blaetter: list[_Blattinfo] = []
        sheets = wb.find(f"{{{_MAIN}}}sheets")
        for s in sheets if sheets is not None else []:
            rid = s.get(f"{{{_R}}}id", "")
            typ, teil = self.rels.get(rid, ("", ""))
            self.blaetter.append(_Blattinfo(s.get("name", ""), s.get("sheetId", ""), rid, teil, typ))
        self.definierte_namen = [
            (d.get("name"), d.get("localSheetId"), d.get("hidden"), d.text)
            for d in wb.iter(f"{{{_MAIN}}}definedName")
        ]

    def teil_vom_typ(self, endung: str) -> str | None:
        for typ, teil in self.rels.values():
            if typ.endswith(endung):
                return teil
        return None

    def blatt(self, name: str) -> _Blattinfo | None:
        for b in self.blaetter:
            if b.name.casefold() == name.casefold():
                return b
        return None

    def _rels_von(self, teil: str) -> list[tuple[str, str, str]]:
        """(Id, type, target as written) of every relationship of a part."""
        pfad = rels_pfad(teil)
        if pfad not in self.namen:
            return []
        return [(r.get("Id", ""), r.get("Type", ""), r.get("Target", "")) for r in _xml(self.zf, pfad)]

    def blatt_rels(self, teil: str) -> list[tuple[str, str]]:
        return [(typ, ziel) for _, typ, ziel in self._rels_von(teil)]

    def beziehungen(self, teil: str) -> dict[str, tuple[str, str]]:
        """Id → (type, part) of a part's relationships."""
        return {rid: (typ, ziel_aufloesen(teil, ziel)) for rid, typ, ziel in self._rels_von(teil)}


# --------------------------------------------------------------------------- reading


@dataclass
class Mappendaten:
    """Everything ``lese_mappe`` read: parameters, tables (rows as dicts) and cell locations."""

    pfad: Path
    blaetter: list[str]
    parameter: dict[str, Any]
    tabellen: dict[str, list[dict[str, Any]]]
    tabellen_blatt: dict[str, str] = field(default_factory=dict)
    _parameter_zellen: dict[str, str] = field(default_factory=dict, repr=False)
    _spalten: dict[str, dict[str, int]] = field(default_factory=dict, repr=False)
    _kopfzeile: dict[str, int] = field(default_factory=dict, repr=False)
    _erste_spalte: dict[str, int] = field(default_factory=dict, repr=False)
    _zeilen: dict[str, list[int]] = field(default_factory=dict, repr=False)
    #: notes of the reader for the user (rows typed directly below a table and taken in)
    hinweise: list[str] = field(default_factory=list)
    #: the sheet „Verträge“ as its reader read it (set by ``recalc.berechne_mappe``; ``None``: not read)
    vertragsblatt: Any = None
    _paket: bytes = field(default=b"", repr=False)  # the file as read (checked), for blattwerte
    #: style ids (``s``) that openpyxl reads as date or duration (``None``: unknown, any style counts)
    _datumsstile: frozenset[str] | None = field(default=None, repr=False)
    _geoeffnet: Any = field(default=None, repr=False, compare=False)
    #: :func:`_paket_digest` of ``_paket`` when it was read within :func:`einmal_pruefen`
    _digest: bytes = field(default=b"", repr=False, compare=False)
    #: sheet → its values, read before the file's bytes were dropped (:meth:`datei_freigeben`) or
    #: being read by a second process (:func:`vorab_starten`)
    _vorgelesen: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def blattwerte(self, blatt: str) -> list[Sequence[Any]] | None:
        """The values of a sheet that is no input (e.g. an old output sheet), streamed from the file
        as read, without openpyxl; ``None`` when the sheet is missing or not readable alike."""
        if blatt in self._vorgelesen:
            werte = self._vorgelesen[blatt]
            return werte.werte() if isinstance(werte, _Vorab) else werte  # rows not kept: asked once
        offen = self.geoeffnet() if blatt in self.blaetter else None
        if offen is None:
            return None
        zf, paket = offen
        info = next((b for b in paket.blaetter if b.name == blatt), None)
        if info is None or info.teil not in paket.namen or not info.typ.endswith("/worksheet"):
            return None
        return _blattwerte(zf, paket, info.teil, self._datumsstile)

    def wird_vorgelesen(self, blatt: str) -> bool:
        """Whether a second process reads the sheet (:func:`vorab_starten`): :meth:`blattwerte`
        then gives its answer, also once the file's bytes are dropped."""
        return isinstance(self._vorgelesen.get(blatt), _Vorab)

    def geoeffnet(self) -> tuple[zipfile.ZipFile, _Paket] | None:
        """(zip, package structure) of the file as read, parsed once per workbook; None once its
        bytes are dropped (:meth:`datei_freigeben`)."""
        if not self._paket:
            return None
        if self._geoeffnet is None:
            zf = zipfile.ZipFile(_io.BytesIO(self._paket))
            self._geoeffnet = (zf, _Paket(zf, self.pfad.name))
        return self._geoeffnet

    def datei_freigeben(self, behalten: Sequence[str] = ()) -> None:
        """Drop the file's bytes once no other sheet is to be read from them: the sheets
        ``behalten`` are read now and their values kept; :meth:`blattwerte` answers None for any
        other sheet from then on (its caller then reads the file itself)."""
        for blatt in behalten:
            if blatt in self.blaetter and blatt not in self._vorgelesen:
                self._vorgelesen[blatt] = self.blattwerte(blatt)
        self._paket, self._geoeffnet = b"", None

    def ort(self, tabelle: str, zeile: int | None, titel: str) -> tuple[str, str] | None:
        """(sheet, cell) of a parameter value or a table cell (``zeile`` = index into the rows
        returned, ``None`` = header); ``None`` when unknown. The ``orte`` callable of the contract."""
        if tabelle == "Parameter":
            zelle = _finde(titel, self._parameter_zellen)
            return None if zelle is None else ("Parameter", zelle)
        blatt = self.tabellen_blatt.get(tabelle)
        if blatt is None:
            return None
        spalte = _finde(titel, self._spalten[tabelle])
        if zeile is None:  # header: an unknown column points at the table's first header cell
            spalte = spalte or self._erste_spalte[tabelle]
            excel_zeile = self._kopfzeile[tabelle]
        elif spalte is None:
            return None
        else:
            zeilen = self._zeilen[tabelle]
            if not 0 <= zeile < len(zeilen):
                return None
            excel_zeile = zeilen[zeile]
        return (blatt, f"{get_column_letter(spalte)}{excel_zeile}")


def _norm_titel(titel: Any) -> str:
    return " ".join(str(titel).split())


def _finde(titel: Any, orte: Mapping[str, Any]) -> Any:
    """A title's entry, matched as the reader matches titles: blanks folded, case ignored
    (a header typed „anteil“ still locates the cells of „Anteil“)."""
    t = _norm_titel(titel)
    if t in orte:
        return orte[t]
    t = t.casefold()
    return next((v for k, v in orte.items() if k.casefold() == t), None)


def _formeln_ohne_wert(zf: zipfile.ZipFile, teil: str) -> set[str]:
    """Coordinates of formula cells without a cached value (files saved by openpyxl)."""
    treffer: set[str] = set()
    if not _hat_formel(zf.read(teil)):
        return treffer
    c_tag, f_tag, v_tag, row_tag = (f"{{{_MAIN}}}{t}" for t in ("c", "f", "v", "row"))
    zeile, spalte = 0, 0
    for ereignis, elem in SafeET.iterparse(_io.BytesIO(zf.read(teil)), events=("start", "end")):
        if ereignis == "start":
            if elem.tag == row_tag:
                zeile = int(elem.get("r") or zeile + 1)
                spalte = 0
            continue
        if elem.tag == c_tag:
            ref = elem.get("r")
            if ref:
                spalte = range_boundaries(ref)[0]
            else:
                spalte += 1
                ref = f"{get_column_letter(spalte)}{zeile}"
            if elem.find(f_tag) is not None:
                v = elem.find(v_tag)
                leer = v is None or not (v.text or "").strip()
                if leer and not (v is not None and elem.get("t") in ("str", "inlineStr")):
                    treffer.add(ref)
            elem.clear()
        elif elem.tag == row_tag:
            elem.clear()
    return treffer


def _unlesbare_zelle(zf: zipfile.ZipFile, paket: _Paket) -> tuple[str, str, str] | None:
    """(sheet, cell, stored text) of the first cell whose number, boolean or ISO date openpyxl
    cannot parse (e.g. ``<v>NaN</v>`` in a hand-edited file); ``None`` when there is none."""
    c_tag, v_tag = f"{{{_MAIN}}}c", f"{{{_MAIN}}}v"
    for b in paket.blaetter:
        if b.teil not in paket.namen or not b.typ.endswith("/worksheet"):
            continue
        with contextlib.suppress(Exception):
            for _, elem in SafeET.iterparse(_io.BytesIO(zf.read(b.teil))):
                if elem.tag != c_tag:
                    continue
                t, v = elem.get("t", "n"), elem.findtext(v_tag)
                try:
                    if v is None or t not in ("n", "b", "d"):
                        pass
                    elif t == "n":
                        float(v) if any(z in v for z in ".eE") else int(v)  # openpyxl's _cast_number
                    elif t == "b":
                        int(v)
                    else:
                        dt.datetime.fromisoformat(v)
                except (ValueError, OverflowError):
                    return b.name, elem.get("r") or "?", v or ""
                elem.clear()
    return None


def _zellwert_lesen(zelle: Any, blatt: str, ohne_wert: set[str]) -> Any:
    koordinate = zelle.coordinate
    if koordinate in ohne_wert:
        raise SozbudgetError(
            "Formel ohne berechneten Wert – bitte die Datei in Excel oder LibreOffice öffnen und speichern",
            sheet=blatt,
            cell=koordinate,
        )
    if zelle.data_type == "e":
        raise SozbudgetError(
            f"die Zelle enthält den Fehlerwert {zelle.value} – bitte die Formel oder Eingabe korrigieren",
            sheet=blatt,
            cell=koordinate,
        )
    return schutz.eingabewert(zelle.value, blatt, koordinate)  # dates, _xHHHH_, -0, times of day


def _zeilenwerte(ws: Any, zeile: int, titel: Mapping[str, int], ohne_wert: set[str]) -> dict[str, Any]:
    """Title → value of one row in the columns ``titel`` (title → column), read as
    :func:`_zellwert_lesen` reads each cell; a streamed sheet without error values and formulas
    lacking a value straight from its rows (no cell objects)."""
    if not isinstance(ws, _Blatt) or ohne_wert or ws.fehler:
        return {t: _zellwert_lesen(ws.cell(zeile, s), ws.title, ohne_wert) for t, s in titel.items()}
    zellen = ws.werte.get(zeile, {})
    werte: dict[str, Any] = {}
    for t, s in titel.items():
        wert = zellen.get(s)
        typ = type(wert)
        if typ is float or typ is int:
            if not wert:
                wert = typ(0)  # -0.0 → 0.0, as schutz.eingabewert
        elif wert is not None:
            wert = schutz.eingabewert(wert, ws.title, f"{get_column_letter(s)}{zeile}")
        elif zeile > ws.hoechste:  # openpyxl's ws.cell creates the missing cell
            ws.hoechste = zeile
        werte[t] = wert
    return werte


_leer = _zp.leer


_SHEETDATA_START = _zp.SHEETDATA_START
_FORMEL_ELEMENT = _zp.FORMEL_ELEMENT


_hat_formel = _zp.hat_formel


def _ohne_zellen(xml: bytes) -> bytes | None:
    """A sheet part with an empty ``<sheetData>``, or ``None`` when it cannot be emptied safely
    (formulas — the formula check follows references through every sheet —, comments or CDATA
    that could hide the markup, an unusual layout)."""
    if b"<!--" in xml or b"<![CDATA[" in xml or _hat_formel(xml):
        return None
    m = _SHEETDATA_START.search(xml)
    if m is None or m[2]:
        return None
    ende = xml.rfind(b"</" + m[1] + b"sheetData>")
    if ende < m.end() or xml.count(b"sheetData", m.end(), ende):
        return None
    return xml[: m.end()] + xml[ende:]


def _geleert(zf: zipfile.ZipFile, leer: Mapping[str, bytes]) -> tuple[bytes, zipfile.ZipFile]:
    """The package with the parts ``leer`` replaced, its members stored uncompressed."""
    puffer = _io.BytesIO()
    with zipfile.ZipFile(puffer, "w", zipfile.ZIP_STORED) as neu:
        for info in zf.infolist():
            inhalt = leer.get(info.filename)
            neu.writestr(info.filename, zf.read(info) if inhalt is None else inhalt)
    daten = puffer.getvalue()
    return daten, zipfile.ZipFile(_io.BytesIO(daten))


def _nur_eingaben(zf: zipfile.ZipFile, paket: _Paket) -> tuple[bytes, zipfile.ZipFile, zipfile.ZipFile]:
    """The package as the reader needs it: sheets that are no input (neither „Parameter“ nor a
    sheet with an Excel table) lose their cells, so openpyxl never parses the old output sheets
    (≈ 90 % of the bytes of a recalculated workbook). Also the package for the formula check, in
    which every sheet without formulas (inputs too) is empty."""
    leer: dict[str, bytes] = {}
    ohne_formeln: dict[str, bytes] = {}
    for b in paket.blaetter:
        if b.teil not in paket.namen or not b.typ.endswith("/worksheet"):
            continue
        xml = _ohne_zellen(zf.read(b.teil))
        if xml is None:
            continue
        ohne_formeln[b.teil] = xml
        eingabe = b.name == "Parameter" or any(typ.endswith("/table") for typ, _ in paket.blatt_rels(b.teil))
        if not eingabe:
            leer[b.teil] = xml
    daten, lesen = _geleert(zf, leer)
    return daten, lesen, _geleert(lesen, ohne_formeln)[1]


def lese_mappe(pfad: str | os.PathLike[str]) -> Mappendaten:
    """Read parameters and all tables of a workbook (cached values; German errors with sheet+cell).
    Only the input sheets are parsed, streamed (:func:`_lies_eingaben`); a workbook the streamed
    reader does not read exactly as openpyxl would is loaded with openpyxl (:func:`_lade_eingaben`)."""
    pfad = Path(pfad)
    daten = _lies_bytes(pfad)
    digest = _paket_digest(daten) if _LAUF.get() is not None else b""  # kept for the writer's check
    zf = _oeffne_paket(daten, pfad.name, digest)
    paket = _Paket(zf, pfad.name)
    try:
        wb, formelpaket, datumsstile = _lies_eingaben(zf, paket)
    except _NichtGestreamt:
        wb, formelpaket, datumsstile = _lade_eingaben(zf, paket, pfad.name)
    teile = {b.name: b.teil for b in paket.blaetter}
    # merged, hidden, duplicates, cycles (issue 14); formulas from the package of the formula sheets
    schutz.pruefe_aufbau(wb, formelpaket, paket.blaetter, pfad.name)
    mappe = Mappendaten(
        pfad=pfad,
        blaetter=list(wb.sheetnames),
        parameter={},
        tabellen={},
        _paket=daten,
        _datumsstile=datumsstile,
        _geoeffnet=(zf, paket),
        _digest=digest,
    )
    if "Parameter" in wb.sheetnames:
        _lies_parameter(wb["Parameter"], _ohne_wert(wb["Parameter"], zf, teile.get("Parameter")), mappe)
    for ws in wb.worksheets:
        if not ws.tables:
            continue
        ohne_wert = _ohne_wert(ws, zf, teile.get(ws.title))
        for tabelle in ws.tables.values():
            _lies_tabelle(ws, tabelle, ohne_wert, mappe)
            _zeilen_unter_tabelle(ws, tabelle, ohne_wert, mappe, (zf, teile.get(ws.title)))
    return mappe


def _lade_eingaben(zf: zipfile.ZipFile, paket: _Paket, name: str) -> tuple[Any, Any, frozenset[str] | None]:
    """The openpyxl path (``data_only``): the workbook without the cells of its other sheets
    (:func:`_nur_eingaben`), the package for the formula check and the date styles."""
    daten, leer_zf, formelpaket = _nur_eingaben(zf, paket)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(_io.BytesIO(daten), data_only=True)
    except Exception as exc:
        ort = _unlesbare_zelle(leer_zf, paket)
        if ort is not None:
            raise SozbudgetError(
                f"der gespeicherte Zellwert „{ort[2][:40]}“ ist ungültig (Datei „{name}“ beschädigt "
                "oder von Hand verändert) – bitte den Wert in Excel neu eingeben",
                sheet=ort[0],
                cell=ort[1],
            ) from None
        raise SozbudgetError(
            f"Die Datei „{name}“ konnte nicht gelesen werden: beschädigt oder kein gültiges "
            f"Excel-Format{schutz.fehler_art(exc)}."
        ) from None
    return wb, formelpaket, _datumsstile(wb)


def _ohne_wert(ws: Any, zf: zipfile.ZipFile, teil: str | None) -> set[str]:
    """Formula cells without cached value of a sheet (found while streaming, else from the part)."""
    if isinstance(ws, _Blatt):
        return ws.ohne_wert
    return set() if teil is None else _formeln_ohne_wert(zf, teil)


def _lies_parameter(ws: Any, ohne_wert: set[str], mappe: Mappendaten) -> None:
    """Column A Bezeichnung, column B Wert of „Parameter“ (a header row „Bezeichnung“/„Wert“ skipped)."""
    for zeile in range(1, ws.max_row + 1):
        bezeichnung = _zellwert_lesen(ws.cell(zeile, 1), "Parameter", ohne_wert)
        if _leer(bezeichnung):
            continue
        titel = _norm_titel(bezeichnung)
        wert = _zellwert_lesen(ws.cell(zeile, 2), "Parameter", ohne_wert)
        if titel == "Bezeichnung" and isinstance(wert, str) and wert.strip() == "Wert":
            continue
        if titel in mappe._parameter_zellen:
            raise SozbudgetError(
                f"die Bezeichnung „{titel}“ steht doppelt in Spalte A "
                f"({mappe._parameter_zellen[titel].replace('B', 'A')} und A{zeile})",
                sheet="Parameter",
                cell=f"A{zeile}",
            )
        mappe.parameter[titel] = wert
        mappe._parameter_zellen[titel] = f"B{zeile}"


def _lies_tabelle(ws: Any, tabelle: Any, ohne_wert: set[str], mappe: Mappendaten) -> None:
    blatt = ws.title
    name = tabelle.name
    if name in mappe.tabellen:
        raise SozbudgetError(f"die Tabelle „{name}“ gibt es mehrfach", sheet=blatt)
    min_col, min_row, max_col, max_row = schutz.tabellenbereich(ws, tabelle)  # clipped to the used rows
    for bereich in ws.merged_cells.ranges:
        if not (
            bereich.max_col < min_col
            or bereich.min_col > max_col
            or bereich.max_row < min_row
            or bereich.min_row > max_row
        ):
            raise SozbudgetError(
                f"verbundene Zellen {bereich.coord} in der Tabelle „{name}“ – bitte die Verbindung "
                "aufheben (Start › Verbinden und zentrieren)",
                sheet=blatt,
                cell=bereich.coord,
            )
    kopf = tabelle.headerRowCount if tabelle.headerRowCount is not None else 1
    if kopf < 1:
        raise SozbudgetError(
            f"die Tabelle „{name}“ hat keine Kopfzeile – bitte unter Tabellenentwurf › Kopfzeile einschalten",
            sheet=blatt,
            cell=f"{get_column_letter(min_col)}{min_row}",
        )
    summen = tabelle.totalsRowCount or 0
    spalten_namen = [c.name for c in tabelle.tableColumns]
    titel: dict[str, int] = {}
    for i, spalte in enumerate(range(min_col, max_col + 1)):
        wert = _zellwert_lesen(ws.cell(min_row, spalte), blatt, ohne_wert)
        if _leer(wert):
            wert = spalten_namen[i] if i < len(spalten_namen) else ""
        t = _norm_titel(wert)
        if not t:
            raise SozbudgetError(
                f"Spaltenüberschrift fehlt in der Tabelle „{name}“",
                sheet=blatt,
                cell=f"{get_column_letter(spalte)}{min_row}",
            )
        titel.setdefault(t, spalte)
    zeilen: list[dict[str, Any]] = []
    excel_zeilen: list[int] = []
    for zeile in range(min_row + kopf, max_row - summen + 1):
        werte = _zeilenwerte(ws, zeile, titel, ohne_wert)
        if all(_leer(w) for w in werte.values()):
            continue
        zeilen.append(werte)
        excel_zeilen.append(zeile)
    mappe.tabellen[name] = zeilen
    mappe.tabellen_blatt[name] = blatt
    mappe._spalten[name] = titel
    mappe._kopfzeile[name] = min_row
    mappe._erste_spalte[name] = min_col
    mappe._zeilen[name] = excel_zeilen


# --------------------------------------------------------------------------- streamed input sheets


class _NichtGestreamt(Exception):
    """The streamed reader does not read this workbook exactly as openpyxl would: :func:`lese_mappe`
    loads it with openpyxl instead (which also gives the German error of a damaged file)."""


@dataclass
class _Zelle:
    """What the reader and :func:`schutz.pruefe_aufbau` use of an openpyxl cell (``data_type``:
    only ``"e"`` — an error value — is told apart)."""

    coordinate: str
    value: Any
    data_type: str


@dataclass
class _Dim:
    """A row's or column's dimension as far as the checks use it."""

    hidden: bool
    min: int | None = None
    max: int | None = None


@dataclass
class _Tabelle:
    """An Excel table as openpyxl's ``Table`` shows it to the reader (same attribute names)."""

    name: str
    ref: str
    headerRowCount: int | None  # openpyxl's attribute names: the checks read both kinds
    totalsRowCount: int | None
    tableColumns: list[Any]


@dataclass
class _Spalte:
    name: str | None


@dataclass
class _Verbunden:
    ranges: Any  # openpyxl MultiCellRange.ranges (same order of iteration as openpyxl's)


class _Zellen:
    """``ws._cells`` of a streamed sheet: ``get((row, column))`` without creating a cell."""

    def __init__(self, blatt: _Blatt) -> None:
        self._blatt = blatt

    def get(self, schluessel: tuple[int, int], standard: Any = None) -> Any:
        zeile, spalte = schluessel
        werte = self._blatt.werte.get(zeile)
        if werte is None or spalte not in werte:
            return standard
        return self._blatt.cell(zeile, spalte)


class _Blatt:
    """An input sheet read by :func:`_strom_blatt`: the parts of an openpyxl worksheet (loaded with
    ``data_only=True``) that :func:`lese_mappe` and the checks use. Values are kept row by row
    (row → column → value; empty cells only count for ``max_row``), no cell objects."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.werte: dict[int, dict[int, Any]] = {}
        self.fehler: set[tuple[int, int]] = set()  # cells holding an error value (#DIV/0! …)
        self.hoechste = 0  # highest row of any cell openpyxl would create
        self.tables: dict[str, _Tabelle] = {}
        self.merged_cells = _Verbunden([])
        self.row_dimensions: dict[int, _Dim] = {}
        self.column_dimensions: dict[str, _Dim] = {}
        self.ohne_wert: set[str] = set()  # formula cells without cached value (_formeln_ohne_wert)
        self.formeln = False
        self._cells = _Zellen(self)

    @property
    def max_row(self) -> int:
        return max(self.hoechste, 1)

    def cell(self, row: int, column: int) -> _Zelle:
        """The cell as openpyxl's ``ws.cell`` gives it (a missing cell counts for ``max_row``)."""
        werte = self.werte.get(row)
        if werte is None or column not in werte:
            self.hoechste = max(self.hoechste, row)
            return _Zelle(f"{get_column_letter(column)}{row}", None, "n")
        typ = "e" if (row, column) in self.fehler else "n"
        return _Zelle(f"{get_column_letter(column)}{row}", werte[column], typ)

    def setze(self, zeile: int, spalte: int, wert: Any, fehler: bool) -> None:
        """Store a cell as openpyxl does (a later cell of the same reference replaces it)."""
        if zeile > self.hoechste:
            self.hoechste = zeile
        werte = self.werte.get(zeile)
        if wert is None:
            if werte:
                werte.pop(spalte, None)
        else:
            if werte is None:
                werte = self.werte[zeile] = {}
            werte[spalte] = wert
        if fehler and wert is not None:
            self.fehler.add((zeile, spalte))
        elif self.fehler:
            self.fehler.discard((zeile, spalte))


@dataclass
class _Mappe:
    """The workbook as the checks see it (``sheetnames``, ``worksheets``, ``wb[name]``)."""

    sheetnames: list[str]
    worksheets: list[_Blatt]

    def __getitem__(self, name: str) -> _Blatt:
        return next(ws for ws in self.worksheets if ws.title == name)


@dataclass
class _Lesestand:
    """What every input sheet needs: shared strings (read on first use), styles, date system."""

    zf: zipfile.ZipFile
    paket: _Paket
    stile: int
    datum: frozenset[int]
    dauer: frozenset[int]
    epoche: dt.datetime

    def texte(self) -> list[str]:
        return _geteilte_texte_wie_openpyxl(self.zf, self.paket)  # read once per package


class _Formelteile:
    """The package as the formula check reads it (``namelist``/``read``): only the sheet parts that
    hold a formula are listed — the others cannot change its result (as :func:`_nur_eingaben`)."""

    def __init__(self, zf: zipfile.ZipFile, teile: set[str]) -> None:
        self._zf, self._teile = zf, teile

    def namelist(self) -> list[str]:
        return sorted(self._teile)

    def read(self, teil: str) -> bytes:
        return self._zf.read(teil)


def _als_bool(text: str | None) -> bool:
    """An attribute read like openpyxl's ``Bool`` descriptor (``"false"``, ``"f"``, ``"0"``, ``""``:
    false; anything else true)."""
    return bool(text) and text not in ("false", "f", "0")


def _inline_text(element: Any) -> str:
    """The text of an ``<is>``/``<si>`` element exactly as openpyxl's ``Text.content``: plain text
    and rich text runs, no phonetic runs (unusual shapes through openpyxl's own class)."""
    if len(element) == 1 and element[0].tag == _T_TAG and not len(element[0]):
        return element[0].text or ""
    from openpyxl.cell.text import Text

    return str(Text.from_tree(element).content)


_T_TAG = f"{{{_MAIN}}}t"
_SST_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def _geteilte_texte_wie_openpyxl(zf: zipfile.ZipFile, paket: _Paket) -> list[str]:
    """The shared strings as openpyxl's ``read_string_table`` gives them (``x005F_`` removed); read
    once per package."""
    if (texte := paket.texte.get("openpyxl")) is not None:
        return texte
    ct = _xml(zf, "[Content_Types].xml")
    teil = next(
        (
            o.get("PartName", "")[1:]
            for o in ct.iter(f"{{{_CT}}}Override")
            if o.get("ContentType") == _SST_CONTENT
        ),
        None,
    )
    texte = paket.texte["openpyxl"] = [] if teil is None else _texte_wie_openpyxl(zf.read(teil))
    return texte


def _texte_wie_openpyxl(xml: bytes) -> list[str]:
    """:func:`_geteilte_texte_wie_openpyxl` of the shared-strings part ``xml``."""
    if (schnell := _texte_schnell(xml)) is not None:
        return [t.replace("x005F_", "") for t in schnell]
    texte: list[str] = []
    leser = etree.iterparse(
        _io.BytesIO(xml), events=("end",), tag=f"{{{_MAIN}}}si",
        resolve_entities=False, no_network=True, huge_tree=False,
    )  # fmt: skip
    for _, si in leser:
        texte.append(_inline_text(si).replace("x005F_", ""))
        si.clear()
    return texte


_C_TAG, _V_TAG, _F_TAG, _IS_TAG = (f"{{{_MAIN}}}{t}" for t in ("c", "v", "f", "is"))
_ROW_TAG, _COL_TAG, _MERGE_TAG, _LINK_TAG, _TPART_TAG = (
    f"{{{_MAIN}}}{t}" for t in ("row", "col", "mergeCell", "hyperlink", "tablePart")
)
_REF_STRENG = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")


def _zahl_wie_openpyxl(text: str) -> int | float:
    """openpyxl's ``_cast_number``."""
    return float(text) if "." in text or "E" in text or "e" in text else int(text)


def _zellwert_roh(c: Any, typ: str, stil: int, k: _Lesestand) -> tuple[Any, bool]:
    """(value, is an error value) of a ``<c>`` as openpyxl's ``parse_cell`` with ``data_only``."""
    if typ == "inlineStr":
        inhalt = c.find(_IS_TAG)
        return (None if inhalt is None else _inline_text(inhalt)), False
    return _wert_aus_text(c.findtext(_V_TAG) or None, typ, stil, k)


def _wert_aus_text(wert: Any, typ: str, stil: int, k: _Lesestand) -> tuple[Any, bool]:
    """(value, is an error value) of a cell's stored ``<v>`` text (``None``: none) of type ``typ``."""
    if wert is None:
        return None, False
    if typ == "n":
        wert = _zahl_wie_openpyxl(wert)
        if stil in k.datum:
            from openpyxl.utils.datetime import from_excel

            try:
                return from_excel(wert, k.epoche, timedelta=stil in k.dauer), False
            except (OverflowError, ValueError):
                return "#VALUE!", True  # openpyxl: an error cell
    elif typ == "s":
        wert = k.texte()[int(wert)]
    elif typ == "b":
        wert = bool(int(wert))
    elif typ == "d":
        from openpyxl.utils.datetime import from_ISO8601

        wert = from_ISO8601(wert)
    return wert, typ == "e"


def _zeile_streamen(elem: Any, zaehler: int, blatt: _Blatt, k: _Lesestand) -> int:
    """Store the cells of one ``<row>`` (as openpyxl's ``parse_row``); returns the row counter."""
    zaehler = _zeilenattribute(elem, zaehler, blatt)
    spalte = 0
    for c in elem:
        if c.tag != _C_TAG:
            if isinstance(c.tag, str):  # openpyxl makes a cell of any child element
                raise _NichtGestreamt(c.tag)
            continue  # comment or processing instruction: openpyxl's parser drops them
        ref = c.get("r")
        if ref:
            m = _REF_STRENG.fullmatch(ref)
            if m is None or int(m[2]) > _MAX_ZEILEN:
                raise _NichtGestreamt(ref)
            zeile, spalte = int(m[2]), column_index_from_string(m[1])
        else:
            zeile, spalte = zaehler, spalte + 1
        typ, s = c.get("t", "n"), c.get("s")
        stil = 0
        if s:  # openpyxl: int(s), an index into the cell styles
            stil = int(s)
            if not 0 <= stil < k.stile:
                raise _NichtGestreamt(s)
        wert, fehler = _zellwert_roh(c, typ, stil, k)
        if c.find(_F_TAG) is not None:
            blatt.formeln = True
            v = c.find(_V_TAG)
            if (v is None or not (v.text or "").strip()) and not (
                v is not None and typ in ("str", "inlineStr")
            ):
                blatt.ohne_wert.add(ref or f"{get_column_letter(spalte)}{zeile}")
        blatt.setze(zeile, spalte, wert, fehler)
    return zaehler


_ZELLE_FORM = _zp.ZELLE_FORM
_ZELLE_EINGABE = re.compile(_ZELLE_FORM)
#: :data:`_ZELLE_EINGABE` for ``findall`` (unmatched groups are b"", not None): a group more that
#: tells an inline string's ``<is>`` (even with an empty text) from none
_ZELLE_FINDALL = re.compile(_ZELLE_FORM.replace(b"><is><t(?: xml:space", b"><is>(<t)(?: xml:space"))
_STILNUMMERN: dict[bytes, int] = {}  # style attribute → number
_ZEILE_EINGABE = _zp.ZEILE_EINGABE
_EINFACHE_ZEILE = re.compile(rb' r="([0-9]{1,7})"(?: spans="[0-9]{1,5}:[0-9]{1,5}")?')
_ATTRIBUT = re.compile(rb"([A-Za-z_][\w.:-]*)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


def _zeilenbereich(xml: bytes) -> tuple[int, int] | None:
    """(start, end) of the content of ``<sheetData>`` when the fast path may read the part: no
    comment, CDATA, processing instruction, CR, other encoding or namespace prefix; else ``None``."""
    if not _zp.ohne_sonderteile(xml) or _zp.andere_kodierung(xml):
        return None
    m = _SHEETDATA_START.search(xml)
    if m is None or m[1]:
        return None
    if m[2]:
        return m.end(), m.end()
    ende = xml.find(b"</sheetData>", m.end())
    if ende < 0 or xml.count(b"sheetData", m.end(), ende) or xml.find(b"<row", ende) != -1:
        return None
    return m.end(), ende


#: a row's attribute r first, as LibreOffice writes it
_R_VORN = re.compile(rb' r="([0-9]{1,7})"')
_VERSTECKT, _SICHTBAR, _OHNE = object(), object(), object()


def _zeilenart(attribute: Mapping[bytes, bytes]) -> object:
    """What a row's attributes other than r mean, as openpyxl's ``parse_row`` reads them: False
    (the fast path may not read the sheet: a namespace declaration, a tab or line break in a
    value), :data:`_VERSTECKT` or :data:`_SICHTBAR` (openpyxl keeps or drops a row dimension),
    :data:`_OHNE` (nothing but spans or prefixed ones)."""
    if any(a.startswith(b"xmlns") or any(z in v for z in b"\t\n") for a, v in attribute.items()):
        return False
    if {a for a in attribute if b":" not in a} - {b"spans"}:
        return _VERSTECKT if _als_bool((attribute.get(b"hidden") or b"").decode()) else _SICHTBAR
    return _OHNE


def _attribute(text: bytes) -> tuple[dict[bytes, bytes], bool]:
    """A row's attributes (name → value) and whether they are distinct and none has a prefix
    (Excel's ``x14ac:dyDescent`` has one: its binding is the parser's to check)."""
    gefunden = _ATTRIBUT.findall(text)
    attribute = {a: v + w for a, v, w in gefunden}  # one of v, w
    return attribute, len(gefunden) == len(attribute) and not any(b":" in a for a in attribute)


def _zeilen_schnell(xml: bytes, bereich: tuple[int, int], blatt: _Blatt, k: _Lesestand) -> bool | None:
    """Store the rows of ``<sheetData>`` (``bereich``) when each is matched by :data:`_ZEILE_EINGABE`
    one after the other (nothing else between them): row attributes as :func:`_zeilenattribute`,
    cells by :func:`_zellen_schnell`. ``None`` (the sheet partly filled) when any part is not;
    otherwise whether every row's attributes are distinct and without a prefix (then
    :func:`_zeilen_wohlgeformt` needs no parser for the rows)."""
    pos, ende = bereich
    zaehler = 0
    schlicht = True
    zeilenarten: dict[bytes, tuple[object, bool]] = {}  # attributes after a leading r → their meaning
    while pos < ende:
        m = _ZEILE_EINGABE.match(xml, pos, ende)
        if m is None:
            return schlicht if not xml[pos:ende].strip() else None
        einfach = _EINFACHE_ZEILE.fullmatch(m[1])  # r and spans only, as the writers of .xlsx put them
        if einfach is not None:
            r: bytes | None = einfach[1]
            art: object = _OHNE
        elif (r_vorn := _R_VORN.match(m[1])) is not None:  # LibreOffice: the same rest on every row
            r, rest = r_vorn[1], m[1][r_vorn.end() :]
            if (gemerkt := zeilenarten.get(rest)) is None:
                attribute, einzeln = _attribute(rest)
                art = False if b"r" in attribute else _zeilenart(attribute)
                gemerkt = zeilenarten[rest] = (art, einzeln)
            art, schlicht = gemerkt[0], schlicht and gemerkt[1]
        else:
            attribute, einzeln = _attribute(m[1]) if m[1] else ({}, True)
            schlicht = schlicht and einzeln
            r, art = attribute.pop(b"r", None), _zeilenart(attribute)
        if art is False:
            return None
        if r is None:
            zaehler += 1
        elif r.isdigit():
            zaehler = int(r)
        else:  # as the streamed path (:func:`_zeilenattribute`): openpyxl reads the workbook
            raise _NichtGestreamt(r)
        if art is _VERSTECKT:
            blatt.row_dimensions[zaehler] = _Dim(True)
        elif art is _SICHTBAR:
            blatt.row_dimensions.pop(zaehler, None)
        if m[2]:
            _zellen_schnell(xml, blatt, k, m.start(2), m.end(2))
        pos = m.end()
    return schlicht


def _zeilen_wohlgeformt(xml: bytes, bereich: tuple[int, int], schlicht: bool) -> bytes:
    """:func:`_wohlgeformt` for a part whose rows (``bereich``) :func:`_zeilen_schnell` read; returns
    the part without its rows (for lxml, which reads the rest of it). The rows matched
    :data:`_ZEILE_EINGABE` one after the other, so every ``<`` between ``<sheetData>`` and
    ``</sheetData>`` opens or closes one of their tags in order and no attribute value holds ``<``
    or ``&``. With distinct attributes without a prefix (``schlicht``) and only characters
    and references XML allows (:func:`zellpruefung.zeichen_erlaubt`: UTF-8, no control
    character, no ``]]>``, only the five entities and character references of allowed
    characters), the rows are well-formed content, and expat checks the part without them, as
    the second process does for the sheets it reads back (issue 15: the parser took ≈ 35 ms of
    the 10.000 rows of „Quartiere“). Otherwise expat parses the whole part."""
    von, bis = bereich
    ohne_zeilen = xml[:von] + xml[bis:]
    _wohlgeformt(ohne_zeilen if schlicht and _zeichen_erlaubt_je_stueck(xml, von, bis) else xml)
    return ohne_zeilen


#: bytes of rows whose characters are checked at once (each check copies its piece, twice)
_ZEICHEN_JE = 1 << 20


def _zeichen_erlaubt_je_stueck(xml: bytes, von: int, bis: int) -> bool:
    """:func:`zellpruefung.zeichen_erlaubt` of the rows ``xml[von:bis]`` in pieces of about
    :data:`_ZEICHEN_JE` bytes, each cut before a ``<row`` (rows matched one after the other: a
    ``<row`` starts a row, so no character, reference or ``]]>`` is cut), so that a big sheet is
    not copied whole (50.000 Quartiere: 18 MB of rows, copied twice, raised the peak by 30 MB)."""
    while von < bis:
        schnitt = xml.find(b"<row", von + _ZEICHEN_JE, bis) if bis - von > _ZEICHEN_JE else -1
        schnitt = bis if schnitt == -1 else schnitt
        if not _zp.zeichen_erlaubt(xml[von:schnitt]):
            return False
        von = schnitt
    return True


def _strom_blatt(
    xml: bytes, titel: str, k: _Lesestand, schnell: bool = True
) -> tuple[_Blatt, list[str], list[str]]:
    """Stream one input sheet part: the sheet, the ``r:id`` of its table parts and its hyperlink
    ranges. ``schnell``: when every row and cell is in a shape of :data:`_ZEILE_EINGABE`, the part
    is checked well-formed without building a tree, the rows and cells are read by regular
    expressions and lxml reads the part without its rows; otherwise lxml streams it row by row,
    cell by cell (no entities, no network, no huge trees; each row dropped once read)."""
    from openpyxl.worksheet.cell_range import MultiCellRange

    blatt = _Blatt(titel)
    bereich = _zeilenbereich(xml) if schnell else None
    if bereich is not None:
        # a broken part raises (then openpyxl reads the workbook), so does anything the rows' reader
        # does not read as openpyxl would
        schlicht = _zeilen_schnell(xml, bereich, blatt, k)
        if schlicht is not None:
            xml = _zeilen_wohlgeformt(xml, bereich, schlicht)
        else:
            _wohlgeformt(xml)
            blatt = _Blatt(titel)
    tabellen, links, verbunden = _blattteile(xml, blatt, k)
    for bereich_v in verbunden:  # openpyxl keeps only the top-left cell of a merged range
        blatt.hoechste = max(blatt.hoechste, bereich_v.max_row)
        for zeile in [z for z in blatt.werte if bereich_v.min_row <= z <= bereich_v.max_row]:
            for spalte in range(bereich_v.min_col, bereich_v.max_col + 1):
                if (zeile, spalte) != (bereich_v.min_row, bereich_v.min_col):
                    blatt.setze(zeile, spalte, None, False)
    blatt.merged_cells = _Verbunden(MultiCellRange(verbunden).ranges)
    return blatt, tabellen, links


def _blattteile(xml: bytes, blatt: _Blatt, k: _Lesestand) -> tuple[list[str], list[str], list[Any]]:
    """The rows of a sheet part cell by cell (:func:`_zeile_streamen`), its hidden columns, and the
    ``r:id`` of its tables, its hyperlink ranges and its merged ranges, streamed with lxml."""
    from openpyxl.worksheet.cell_range import CellRange

    tabellen: list[str] = []
    links: list[str] = []
    verbunden: list[Any] = []
    leser = etree.iterparse(
        _io.BytesIO(xml), events=("end",), tag=(_ROW_TAG, _COL_TAG, _MERGE_TAG, _LINK_TAG, _TPART_TAG),
        resolve_entities=False, no_network=True, huge_tree=False,
    )  # fmt: skip
    zaehler = 0
    for _, elem in leser:
        tag = elem.tag
        if tag == _ROW_TAG:
            zaehler = _zeile_streamen(elem, zaehler, blatt, k)
            elem.clear()
            eltern = elem.getparent()
            while elem.getprevious() is not None:
                del eltern[0]
        elif tag == _COL_TAG:
            von = int(elem.get("min") or "")
            bis = elem.get("max")
            blatt.column_dimensions[get_column_letter(von)] = _Dim(
                _als_bool(elem.get("hidden")), von, None if bis is None else int(bis)
            )
        elif tag == _MERGE_TAG:
            verbunden.append(CellRange(elem.get("ref")))
        elif tag == _LINK_TAG:
            links.append(elem.get("ref") or "")
        else:
            tabellen.append(elem.get(f"{{{_R}}}id") or "")
    return tabellen, links, verbunden


def _zellen_schnell(xml: bytes, blatt: _Blatt, k: _Lesestand, von: int, bis: int) -> None:
    """Store the cells of :data:`_ZELLE_EINGABE` between ``von`` and ``bis`` (one row) in document
    order (as :func:`_zeile_streamen`). A plain number (no date style, no character reference) is
    converted from the bytes as :func:`_zahl_wie_openpyxl` converts its text."""
    werte, datum, spalten, stile, anzahl_stile = blatt.werte, k.datum, _SPALTEN, _STILNUMMERN, k.stile
    zeile_b, zeile, zellen = b"", 0, None
    texte: list[str] | None = None
    for buchstaben, z, s, t, v, ist_text, text in _ZELLE_FINDALL.findall(xml, von, bis):  # b"": no match
        if z != zeile_b:
            zeile_b, zeile = z, int(z)
            if zeile > _MAX_ZEILEN:
                raise _NichtGestreamt(z)
            zellen = werte.get(zeile)
        if s:
            stil = stile.get(s)
            if stil is None:
                stil = stile[s] = int(s)
        else:
            stil = 0
        if stil >= anzahl_stile:
            raise _NichtGestreamt(s)
        spalte = spalten.get(buchstaben) or _spalte(buchstaben)
        if v and (not t or t == b"n") and stil not in datum and b"&" not in v:
            wert: Any = float(v) if b"." in v or b"e" in v or b"E" in v else int(v)
            if zellen is not None and not blatt.fehler:  # the common case: straight into the row
                zellen[spalte] = wert
                if zeile > blatt.hoechste:
                    blatt.hoechste = zeile
                continue
            fehler = False
        elif t == b"s" and v and b"&" not in v:  # a shared string (Excel, LibreOffice): straight into the row
            if texte is None:
                texte = k.texte()
            wert = texte[int(v)]
            if zellen is not None and not blatt.fehler:
                zellen[spalte] = wert
                if zeile > blatt.hoechste:
                    blatt.hoechste = zeile
                continue
            fehler = False
        elif t == b"inlineStr":  # openpyxl reads only the <is> of an inline string, never its <v>
            wert = text.decode() if ist_text else None
            if wert and "&" in wert:
                wert = _ENTITAET.sub(_entitaet, wert)
            if wert is not None and zellen is not None and not blatt.fehler:  # straight into the row
                zellen[spalte] = wert
                if zeile > blatt.hoechste:
                    blatt.hoechste = zeile
                continue
            fehler = False
        elif v:
            roh = v.decode()
            typ = t.decode() if t else "n"
            wert, fehler = _wert_aus_text(_ENTITAET.sub(_entitaet, roh) if "&" in roh else roh, typ, stil, k)
        else:
            wert, fehler = None, False
        blatt.setze(zeile, spalte, wert, fehler)
        zellen = werte.get(zeile)


_SPALTEN: dict[bytes, int] = {}


def _spalte(buchstaben: bytes) -> int:
    """Column number of column letters (as openpyxl's ``column_index_from_string``), remembered."""
    spalte = _SPALTEN[buchstaben] = column_index_from_string(buchstaben.decode())
    return spalte


def _zeilenattribute(elem: Any, zaehler: int, blatt: _Blatt) -> int:
    """The row counter after a ``<row>`` and its hidden flag (as openpyxl's ``parse_row``)."""
    r = elem.get("r")
    if r is None:
        zaehler += 1
    elif r.isdigit():
        zaehler = int(r)
    else:
        raise _NichtGestreamt(r)
    if {a for a in elem.attrib if not a.startswith("{")} - {"r", "spans"}:
        if _als_bool(elem.get("hidden")):
            blatt.row_dimensions[zaehler] = _Dim(True)
        else:
            blatt.row_dimensions.pop(zaehler, None)
    return zaehler


def _tabelle_lesen(xml: bytes) -> _Tabelle:
    """A table part as openpyxl's ``Table`` reads the attributes the reader uses."""
    wurzel = SafeET.fromstring(xml)
    name, ref = wurzel.get("name"), wurzel.get("ref")
    if wurzel.tag != f"{{{_MAIN}}}table" or not name or not ref:
        raise _NichtGestreamt("Tabelle")
    kopf, summen = wurzel.get("headerRowCount"), wurzel.get("totalsRowCount")
    spalten = [_Spalte(s.get("name")) for s in wurzel.iter(f"{{{_MAIN}}}tableColumn")]
    range_boundaries(ref)  # an invalid range: openpyxl decides
    return _Tabelle(
        name, ref, 1 if kopf is None else int(kopf), None if summen is None else int(summen), spalten
    )


def _lesestand(zf: zipfile.ZipFile, paket: _Paket) -> _Lesestand:
    """Styles (count, date and duration styles, read by openpyxl's own ``Stylesheet``) and the date
    system (``date1904`` read like openpyxl's ``Bool``)."""
    from openpyxl.styles.stylesheet import Stylesheet
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH
    from openpyxl.xml.functions import fromstring

    stile, datum, dauer = 1, frozenset[int](), frozenset[int]()  # openpyxl's defaults without styles
    if "xl/styles.xml" in paket.namen:
        blatt = Stylesheet.from_tree(fromstring(zf.read("xl/styles.xml")))
        if blatt.cell_styles:
            stile, datum, dauer = (
                len(blatt.cell_styles),
                frozenset(blatt.date_formats),
                frozenset(blatt.timedelta_formats),
            )
    pr = _xml(zf, paket.wb_teil).find(f"{{{_MAIN}}}workbookPr")
    epoche = CALENDAR_MAC_1904 if pr is not None and _als_bool(pr.get("date1904")) else WINDOWS_EPOCH
    return _Lesestand(zf, paket, stile, datum, dauer, epoche)


def _eingabeblatt(
    k: _Lesestand, info: _Blattinfo, rels: dict[str, tuple[str, str]], vergeben: set[str]
) -> _Blatt:
    """One input sheet streamed, with its tables and the cells openpyxl creates for comments (they
    count for ``max_row``); a sheet with hyperlinks goes to openpyxl."""
    zf = k.zf
    blatt, tabellen, links = _strom_blatt(zf.read(info.teil), info.name, k)
    if links:  # openpyxl writes a hyperlink's target into its empty cells
        raise _NichtGestreamt("Hyperlink")
    for typ, ziel in rels.values():
        if typ == f"{_R}/comments":
            for kommentar in _xml(zf, ziel).iter(f"{{{_MAIN}}}comment"):
                ref = kommentar.get("ref") or ""
                if not _REF_STRENG.fullmatch(ref):
                    raise _NichtGestreamt(ref)
                blatt.hoechste = max(blatt.hoechste, range_boundaries(ref)[1])
    for rid in tabellen:
        tabelle = _tabelle_lesen(zf.read(rels[rid][1]))
        if tabelle.name.lower() in vergeben:  # openpyxl refuses a duplicate table name
            raise _NichtGestreamt(tabelle.name)
        vergeben.add(tabelle.name.lower())
        blatt.tables[tabelle.name] = tabelle
    return blatt


def _lies_eingaben(zf: zipfile.ZipFile, paket: _Paket) -> tuple[_Mappe, Any, frozenset[str]]:
    """„Parameter“ and every sheet with an Excel table, streamed (:func:`_strom_blatt`) instead of
    loaded with openpyxl; the other sheets are never parsed. Returns the workbook as the checks see
    it, the package for the formula check (:class:`_Formelteile`) and the date styles. Raises
    :class:`_NichtGestreamt` for anything it does not read exactly as openpyxl would."""
    try:
        return _lies_eingaben_gestreamt(zf, paket)
    except _NichtGestreamt:
        raise
    except Exception as exc:  # damaged or unusual: openpyxl reads it (or gives the German error)
        raise _NichtGestreamt(type(exc).__name__) from None


def _lies_eingaben_gestreamt(zf: zipfile.ZipFile, paket: _Paket) -> tuple[_Mappe, Any, frozenset[str]]:
    from openpyxl.workbook.child import INVALID_TITLE_REGEX

    k = _lesestand(zf, paket)
    mappe = _Mappe([], [])
    vergeben = {str(d[0]).lower() for d in paket.definierte_namen if d[0]}
    for info in paket.blaetter:
        if not info.rid:
            continue  # openpyxl skips a sheet without relationship id
        if info.rid not in paket.rels:
            raise _NichtGestreamt(info.rid)
        if info.teil not in paket.namen:
            continue
        if "chartsheet" in info.typ and info.name != "Parameter":
            mappe.sheetnames.append(info.name)
            continue
        if not info.typ.endswith("/worksheet") or not info.name or INVALID_TITLE_REGEX.search(info.name):
            raise _NichtGestreamt(info.name)
        mappe.sheetnames.append(info.name)
        rels = paket.beziehungen(info.teil)
        if info.name != "Parameter" and not any(typ.endswith("/table") for typ, _ in rels.values()):
            continue
        mappe.worksheets.append(_eingabeblatt(k, info, rels, vergeben))
    teile: set[str] = set()
    if any(ws.formeln for ws in mappe.worksheets):  # else no input cell can depend on a formula
        teile = {b.teil for b in paket.blaetter if b.teil in paket.namen and _hat_formel(zf.read(b.teil))}
    datumsstile = frozenset(str(i) for i in (*k.datum, *k.dauer))
    return mappe, _Formelteile(zf, teile), datumsstile


# --------------------------------------------------------------------------- rows below a table

#: a formula of a total row (stored in English, with or without the _xlfn. prefix)
_SUMMENFORMEL = re.compile(r"\b(?:SUM|SUBTOTAL|AGGREGATE|SUMIFS?|SUMPRODUCT)\s*\(", re.IGNORECASE)
#: first words of a total row typed under a table
_SUMMENWORT = re.compile(r"^\s*(?:summe|gesamt|insgesamt|total|zusammen)\b", re.IGNORECASE)


def _formeln(zf: zipfile.ZipFile, teil: str | None) -> dict[str, str]:
    """Coordinate → formula text of every formula cell of a sheet part (shared formulas: the
    anchor's text for all of them)."""
    formeln: dict[str, str] = {}
    if teil is None:
        return formeln
    c_tag, f_tag = f"{{{_MAIN}}}c", f"{{{_MAIN}}}f"
    for _, elem in SafeET.iterparse(_io.BytesIO(zf.read(teil))):
        if elem.tag == c_tag:
            f = elem.find(f_tag)
            if f is not None and elem.get("r"):
                formeln[elem.get("r")] = f.text or "SUM("  # a shared formula without text: assume the worst
            elem.clear()
    return formeln


def _zeilen_text(zeilen: Sequence[int]) -> str:
    """„Zeile 7“, „Zeilen 7–9“ or „Zeilen 7, 9“."""
    if len(zeilen) == 1:
        return f"Zeile {zeilen[0]}"
    if list(zeilen) == list(range(zeilen[0], zeilen[-1] + 1)):
        return f"Zeilen {zeilen[0]}–{zeilen[-1]}"
    return "Zeilen " + ", ".join(map(str, zeilen))


def _zeilen_unter_tabelle(
    ws: Any, tabelle: Any, ohne_wert: set[str], mappe: Mappendaten, quelle: tuple[zipfile.ZipFile, str | None]
) -> None:
    """Take in the rows typed directly below a table (contiguous, not empty within the table's
    columns) — LibreOffice, pasted rows or Excel without auto-expand leave them outside the table.
    They are read like table rows and named in a note; a total row below the table (a SUM formula
    or „Summe“), rows below a totals row or merged cells there are an error naming the rows."""
    blatt, name = ws.title, tabelle.name
    min_col, _, max_col, max_row = range_boundaries(tabelle.ref)
    andere = [range_boundaries(t.ref) for t in ws.tables.values() if t.name != name]
    titel = mappe._spalten[name]
    neu: list[int] = []
    zeile = max_row + 1
    while zeile <= ws.max_row:
        if any(a[0] <= max_col and a[2] >= min_col and a[1] <= zeile <= a[3] for a in andere):
            break  # another table starts here
        werte = _zeilenwerte(ws, zeile, titel, ohne_wert)
        if all(_leer(w) for w in werte.values()):
            break
        neu.append(zeile)
        mappe.tabellen[name].append(werte)
        mappe._zeilen[name].append(zeile)
        zeile += 1
    if not neu:
        return
    text = _zeilen_text(neu)
    erste = f"{get_column_letter(min_col)}{neu[0]}"
    if tabelle.totalsRowCount:
        raise SozbudgetError(
            f"{text} stehen unter der Ergebniszeile der Tabelle „{name}“ und können nicht zugeordnet "
            "werden – bitte die Einträge in die Tabelle einfügen (Zeile oberhalb der Ergebniszeile)",
            sheet=blatt,
            cell=erste,
        )
    for bereich in ws.merged_cells.ranges:
        if bereich.min_row <= neu[-1] and bereich.max_row >= neu[0] and bereich.min_col <= max_col:
            raise SozbudgetError(
                f"verbundene Zellen {bereich.coord} direkt unter der Tabelle „{name}“ ({text}) – bitte "
                "die Verbindung aufheben oder eine Leerzeile zwischen Tabelle und diesen Zellen lassen",
                sheet=blatt,
                cell=bereich.coord,
            )
    alle_formeln = _formeln(*quelle)
    for z in neu:
        for s in range(min_col, max_col + 1):
            ref = f"{get_column_letter(s)}{z}"
            wert = ws.cell(z, s).value
            summe = _SUMMENFORMEL.search(alle_formeln.get(ref, "")) or (
                isinstance(wert, str) and _SUMMENWORT.match(wert) and s == min_col
            )
            if summe:
                raise SozbudgetError(
                    f"Zeile {z} direkt unter der Tabelle „{name}“ sieht wie eine Summenzeile aus und wird "
                    "nicht als Eintrag gelesen – bitte eine Leerzeile zwischen Tabelle und Summe lassen "
                    f"(direkt angefügte Zeilen, hier {text}, werden sonst in die Tabelle übernommen)",
                    sheet=blatt,
                    cell=ref,
                )
    mappe.hinweise.append(
        f"Blatt „{blatt}“, {text}: direkt unter der Tabelle „{name}“ eingetragen und mitgerechnet. Bitte die "
        f"Tabelle bis Zeile {neu[-1]} erweitern (Excel: Tabellenentwurf › Tabellengröße ändern), damit "
        "Auswahllisten und Prüfregeln dort gelten."
    )


# --------------------------------------------------------------------------- loss risks (openpyxl)

_RISIKO_TEILE = (
    ("xl/metadata.xml", "dynamische Array-Formeln (Überlauf-Bereiche)"),
    ("xl/slicers/", "Datenschnitte"),
    ("xl/slicerCaches/", "Datenschnitte"),
    ("xl/timelines/", "Zeitachsen"),
    ("xl/pivotTables/", "PivotTabellen"),
    ("xl/comments", "Kommentare (Größe und Formatierung)"),
    ("xl/threadedComments/", "Kommentare mit Antworten"),
    ("xl/ctrlProps/", "Formularsteuerelemente"),
    ("xl/activeX/", "ActiveX-Steuerelemente"),
    ("xl/embeddings/", "eingebettete Objekte"),
    ("xl/model/", "Datenmodell (Power Pivot)"),
    ("xl/queryTables/", "Abfragetabellen"),
    ("customUI/", "angepasstes Menüband"),
)
_RISIKO_MUSTER = (
    (re.compile(rb"<(?:\w+:)?c\b[^>]*\bcm=\""), "dynamische Array-Formeln (Überlauf-Bereiche)"),
    (re.compile(rb"<(?:\w+:)?sparklineGroups\b"), "Sparklines"),
    (re.compile(rb"<(?:\w+:)?dataBar\b[^>]*>\s*<(?:\w+:)?extLst|<x14:dataBar\b"), "erweiterte Datenbalken"),
    (re.compile(rb"<(?:\w+:)?extLst\b"), "Excel-Erweiterungen (extLst)"),
)
_RISIKO_ZEICHNUNG = (
    (re.compile(rb"<(?:\w+:)?(?:sp|grpSp|cxnSp)\b"), "Formen und Textfelder"),
    (re.compile(rb"<(?:\w+:)?pic\b"), "Bilder"),
)


def verlustrisiken(pfad: str | os.PathLike[str]) -> list[str]:
    """Content of the workbook that openpyxl would drop or change if *it* saved the file.

    (:func:`schreibe_ausgaben` does not save with openpyxl and keeps all of it.)"""
    pfad = Path(pfad)
    zf = _oeffne_paket(_lies_bytes(pfad), pfad.name)
    gefunden: list[str] = []

    def merke(text: str) -> None:
        if text not in gefunden:
            gefunden.append(text)

    for name in zf.namelist():
        for praefix, text in _RISIKO_TEILE:
            if name.startswith(praefix):
                merke(text)
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            inhalt = zf.read(name)
            for muster, text in _RISIKO_MUSTER:
                if muster.search(inhalt):
                    merke(text)
        if name.startswith("xl/drawings/") and name.endswith(".xml") and "/_rels/" not in name:
            inhalt = zf.read(name)
            for muster, text in _RISIKO_ZEICHNUNG:
                if muster.search(inhalt):
                    merke(text)
    return gefunden


# --------------------------------------------------------------------------- cell values


@dataclass(frozen=True)
class _Wert:
    t: str | None  # XML cell type: None (number), "b", "inlineStr"
    text: str
    art: str  # "zahl" | "text" | "bool" | "datum" | "datumzeit" | "zeit"
    soll: Any  # value openpyxl must read back


def _excel_serial(wert: dt.date | dt.datetime, datum1904: bool) -> float | int:
    basis = dt.datetime(1904, 1, 1) if datum1904 else dt.datetime(1899, 12, 30)
    if isinstance(wert, dt.datetime):
        naive = wert.replace(tzinfo=None)
        delta = naive - basis
        return delta.days + delta.seconds / 86400 + delta.microseconds / 86_400_000_000
    return (wert - basis.date()).days


def _zahl_text(wert: float | int) -> str:
    if isinstance(wert, int):
        return str(wert)
    if wert.is_integer() and abs(wert) < 1e15:
        return str(int(wert))
    return repr(wert)


def _konvertiere(wert: Any, blatt: str, zelle: str, datum1904: bool) -> _Wert | None:
    typ = type(wert)  # the common exact types first: isinstance on the numbers ABCs is slow
    if typ is str:
        return _textwert(wert, blatt, zelle)
    if typ is Decimal or typ is float:
        f = _dezimal_float(wert, blatt, zelle) if typ is Decimal else wert + 0.0  # -0.0 → 0.0
        schutz.pruefe_ausgabezahl(f, blatt, zelle)
        if not math.isfinite(f):
            raise SozbudgetError(
                "ungültige Zahl (NaN/unendlich) kann nicht geschrieben werden", sheet=blatt, cell=zelle
            )
        return _Wert(None, _zahl_text(f), "zahl", f)
    if typ is int:
        schutz.pruefe_ausgabezahl(wert, blatt, zelle)
        return _Wert(None, str(wert), "zahl", wert)
    return _konvertiere_sonst(wert, blatt, zelle, datum1904)


def _dezimal_float(wert: Decimal, blatt: str, zelle: str) -> float:
    if not wert.is_finite():
        raise SozbudgetError(
            "ungültige Zahl (NaN/unendlich) kann nicht geschrieben werden", sheet=blatt, cell=zelle
        )
    schutz.pruefe_ausgabezahl(wert, blatt, zelle)
    return float(wert.quantize(_CENT, rounding=ROUND_HALF_UP)) + 0.0


_CENT = Decimal("0.01")


def _textwert(wert: str, blatt: str, zelle: str) -> _Wert:
    text = _zelltext(wert, blatt, zelle)
    return _Wert("inlineStr", text, "text", text)


def _zelltext(wert: str, blatt: str, zelle: str) -> str:
    """A text as its cell holds it: characters XML cannot hold dropped, ``_xHHHH_`` escaped."""
    text = schutz.x_maskieren(_ILLEGAL_XML.sub("", wert))
    if len(text) > _MAX_TEXT:
        raise SozbudgetError(
            f"Text zu lang für eine Excel-Zelle ({len(text)} Zeichen, höchstens {_MAX_TEXT})",
            sheet=blatt,
            cell=zelle,
        )
    return text


def _konvertiere_sonst(wert: Any, blatt: str, zelle: str, datum1904: bool) -> _Wert | None:
    if wert is None:
        return None
    if isinstance(wert, enum.Enum):
        wert = wert.value
    if isinstance(wert, bool):
        return _Wert("b", "1" if wert else "0", "bool", wert)
    if isinstance(wert, Decimal):
        if not wert.is_finite():
            raise SozbudgetError(
                "ungültige Zahl (NaN/unendlich) kann nicht geschrieben werden", sheet=blatt, cell=zelle
            )
        schutz.pruefe_ausgabezahl(wert, blatt, zelle)
        wert = float(wert.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    if isinstance(wert, dt.datetime):
        return _Wert(None, _zahl_text(_excel_serial(wert, datum1904)), "datumzeit", wert.replace(tzinfo=None))
    if isinstance(wert, dt.date):
        return _Wert(None, _zahl_text(_excel_serial(wert, datum1904)), "datum", wert)
    if isinstance(wert, dt.time):
        anteil = (wert.hour * 3600 + wert.minute * 60 + wert.second) / 86400
        return _Wert(None, _zahl_text(anteil), "zeit", wert)
    if isinstance(wert, numbers.Integral):
        schutz.pruefe_ausgabezahl(wert, blatt, zelle)
        return _Wert(None, str(int(wert)), "zahl", int(wert))
    if isinstance(wert, numbers.Real):
        f = float(wert) + 0.0  # -0.0 → 0.0: never „-0,00 €“
        schutz.pruefe_ausgabezahl(f, blatt, zelle)
        if not math.isfinite(f):
            raise SozbudgetError(
                "ungültige Zahl (NaN/unendlich) kann nicht geschrieben werden", sheet=blatt, cell=zelle
            )
        return _Wert(None, _zahl_text(f), "zahl", f)
    return _textwert(wert if isinstance(wert, str) else str(wert), blatt, zelle)


# --------------------------------------------------------------------------- styles.xml (append only)


_KOPF_FUELLUNG = "1F4E78"  # header fill of the example workbooks
_KOPF_SCHRIFT = "FFFFFF"
_TITEL_FARBE = "1F4E78"
_UMBRUCH_AB = 60  # texts longer than this wrap (column width stays ≤ 60)


def _form(el: Any) -> tuple[Any, ...]:
    """An element's shape without namespaces (local name, attributes, children) for comparing."""
    return (
        etree.QName(el).localname,
        tuple(sorted((etree.QName(k).localname, v) for k, v in el.attrib.items())),
        tuple(_form(k) for k in el if isinstance(k.tag, str)),
    )


def _ausrichtung(xf: Any) -> bool:
    """Whether a cellXfs entry wraps text (and has no other alignment or protection child)."""
    kinder = list(xf)
    if not kinder:
        return False
    if len(kinder) == 1 and etree.QName(kinder[0]).localname == "alignment":
        al = kinder[0]
        return al.get("wrapText") == "1" and al.get("vertical") == "top" and len(al.attrib) == 2
    return None  # type: ignore[return-value] # never equal to a bool


class _Stile:
    """Append-only editor of ``xl/styles.xml``: finds or adds the cell formats the outputs need."""

    def __init__(self, xml: bytes) -> None:
        self.root = etree.fromstring(xml, _XML_PARSER)
        self.geaendert = False
        self._xf: dict[tuple[Any, str | None, bool], int] = {}
        for teil in ("fonts", "fills", "borders", "cellXfs"):
            if self.root.find(f"{{{_MAIN}}}{teil}") is None or not len(self.root.find(f"{{{_MAIN}}}{teil}")):
                raise SozbudgetError(
                    f"Die Formatvorlagen der Datei sind unvollständig (styles.xml ohne „{teil}“)."
                )

    def _el(self, name: str) -> Any:
        return self.root.find(f"{{{_MAIN}}}{name}")

    def _zahlformat_id(self, code: str) -> int:
        numfmts = self._el("numFmts")
        if numfmts is None:
            numfmts = etree.Element(f"{{{_MAIN}}}numFmts")
            self.root.insert(0, numfmts)
        hoechste = 163
        for nf in numfmts:
            nid = int(nf.get("numFmtId", "0"))
            if nf.get("formatCode") == code:
                return nid
            hoechste = max(hoechste, nid)
        neu = etree.SubElement(numfmts, f"{{{_MAIN}}}numFmt")
        neu.set("numFmtId", str(hoechste + 1))
        neu.set("formatCode", code)
        numfmts.set("count", str(len(numfmts)))
        self.geaendert = True
        return hoechste + 1

    def _font_id(self, farbe: str | None, fett: bool) -> int:
        fonts = self._el("fonts")
        neu = copy.deepcopy(fonts[0])
        for kind in list(neu):
            if etree.QName(kind).localname in ("b", "color"):
                neu.remove(kind)
        if fett:
            neu.insert(0, etree.Element(f"{{{_MAIN}}}b"))
        if farbe:
            c = etree.Element(f"{{{_MAIN}}}color")
            c.set("rgb", "FF" + farbe)
            neu.insert(1 if fett else 0, c)
        return self._finde_oder_neu("fonts", neu)

    def _finde_oder_neu(self, teil: str, neu: Any) -> int:
        liste = self._el(teil)
        ziel = _form(neu)
        for i, f in enumerate(liste):
            if _form(f) == ziel:
                return i
        liste.append(neu)
        liste.set("count", str(len(liste)))
        self.geaendert = True
        return len(liste) - 1

    def _fill_id(self, farbe: str) -> int:
        fill = etree.Element(f"{{{_MAIN}}}fill", nsmap={None: _MAIN})
        pf = etree.SubElement(fill, f"{{{_MAIN}}}patternFill")
        pf.set("patternType", "solid")
        etree.SubElement(pf, f"{{{_MAIN}}}fgColor").set("rgb", "FF" + farbe)
        etree.SubElement(pf, f"{{{_MAIN}}}bgColor").set("indexed", "64")
        return self._finde_oder_neu("fills", fill)

    def _rahmen_oben_id(self) -> int:
        border = etree.Element(f"{{{_MAIN}}}border", nsmap={None: _MAIN})
        for seite in ("left", "right", "top", "bottom", "diagonal"):
            el = etree.SubElement(border, f"{{{_MAIN}}}{seite}")
            if seite == "top":
                el.set("style", "thin")
                etree.SubElement(el, f"{{{_MAIN}}}color").set("indexed", "64")
        return self._finde_oder_neu("borders", border)

    def xf(self, stil: str | bool | None, format_code: str | None, umbruch: bool = False) -> int:
        """Index of the cell format: ``stil`` None (plain), "kopf" (white bold on blue, as the
        example workbooks), "titel" (bold blue), "summe" (bold with a rule above) or True (bold);
        ``format_code`` an Excel number format; ``umbruch`` wraps long text (top-aligned)."""
        if stil is True:
            stil = "fett"
        schluessel = (stil, format_code, umbruch)
        if schluessel in self._xf:
            return self._xf[schluessel]
        if not stil and format_code is None and not umbruch:
            self._xf[schluessel] = 0
            return 0
        font = {"kopf": (_KOPF_SCHRIFT, True), "titel": (_TITEL_FARBE, True), "summe": (None, True),
                "fett": (None, True)}.get(stil or "")  # fmt: skip
        attribute = {
            "numFmtId": str(self._zahlformat_id(format_code)) if format_code else "0",
            "fontId": str(self._font_id(*font)) if font else "0",
            "fillId": str(self._fill_id(_KOPF_FUELLUNG)) if stil == "kopf" else "0",
            "borderId": str(self._rahmen_oben_id()) if stil == "summe" else "0",
            "xfId": "0",
        }
        if format_code:
            attribute["applyNumberFormat"] = "1"
        if font:
            attribute["applyFont"] = "1"
        if stil == "kopf":
            attribute["applyFill"] = "1"
        if stil == "summe":
            attribute["applyBorder"] = "1"
        if umbruch:
            attribute["applyAlignment"] = "1"
        cellxfs = self._el("cellXfs")
        for i, x in enumerate(cellxfs):
            if dict(x.attrib) == attribute and _ausrichtung(x) == umbruch:
                self._xf[schluessel] = i
                return i
        neu = etree.SubElement(cellxfs, f"{{{_MAIN}}}xf")
        for k, v in attribute.items():
            neu.set(k, v)
        if umbruch:
            al = etree.SubElement(neu, f"{{{_MAIN}}}alignment")
            al.set("vertical", "top")
            al.set("wrapText", "1")
        cellxfs.set("count", str(len(cellxfs)))
        self.geaendert = True
        self._xf[schluessel] = len(cellxfs) - 1
        return len(cellxfs) - 1

    def bytes(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --------------------------------------------------------------------------- sheet XML

# Order of the children of <worksheet> (ECMA-376 CT_Worksheet).
_BLATT_REIHENFOLGE = (
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr",
    "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate",
    "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting", "dataValidations",
    "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks",
    "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing", "legacyDrawing",
    "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts",
    "extLst",
)  # fmt: skip
_BLATT_BEHALTEN = frozenset((
    "sheetPr", "sheetViews", "sheetFormatPr", "cols", "sheetProtection", "printOptions", "pageMargins",
    "pageSetup", "headerFooter", "rowBreaks", "colBreaks", "drawing", "legacyDrawing", "legacyDrawingHF",
    "drawingHF", "picture",
))  # fmt: skip
_BLATT_ABLEHNEN = {"tableParts": "eine Tabelle (ListObject)", "oleObjects": "eingebettete Objekte",
                   "controls": "Steuerelemente"}  # fmt: skip
_REL_ABLEHNEN = {
    "/table": "eine Tabelle (ListObject)",
    "/pivotTable": "eine PivotTabelle",
    "/slicer": "Datenschnitte",
    "/timeline": "Zeitachsen",
    "/control": "Steuerelemente",
    "/oleObject": "eingebettete Objekte",
}


@dataclass
class _Block:
    """One output sheet rendered: the ``<row>`` elements of <sheetData> as UTF-8 bytes (written
    row by row, not as an element tree: ~750 bytes per cell in lxml), dimension, column widths."""

    zeilen_xml: bytes
    dimension: str
    breiten: list[float]
    zeilen: int
    spalten: int
    fest: bool = False  # widths from the sheet's layout: widen the kept <cols> where needed
    pruefsumme: bytes = b""  # digest of the cells as they must read back (see _kanonisch)
    #: rows not rendered yet (``strom=True`` and widths known beforehand): :func:`_mit_zeilen`
    #: renders them straight into the deflated part and then sets :attr:`pruefsumme`
    strom: Any = None
    renderer: Any = None


@dataclass
class _Soll:
    """What an output sheet must read back, re-derived from its rows when checked (a stored
    :class:`_Wert` per cell would cost ~80 MB for 350.000 cells)."""

    blatt: str
    #: the rows as given, asked again only to name a wrong cell (not held: the caller's mapping may
    #: build a sheet's rows when asked and drop them once written)
    quelle: Callable[[], Sequence[Sequence[Any]]]
    datum1904: bool
    pruefsumme: bytes = b""  # :attr:`_Block.pruefsumme` of the sheet written
    #: the part as deflated (CRC and length of its bytes) and, when the second process
    #: (:class:`zellpruefung.Gegenpruefung`) decoded those bytes, its digest of them
    crc: int = 0
    laenge: int = 0
    gegen_nummer: int | None = None
    gegen: bytes | None = None

    def zellen(self) -> Any:
        """(row, column, reference, expected value) of every non-empty cell in row-major order."""
        for z, zeile in enumerate(self.quelle(), start=1):
            for s, wert in enumerate(zeile, start=1):
                ref = f"{get_column_letter(s)}{z}"
                w = _konvertiere(wert, self.blatt, ref, self.datum1904)
                if w is not None:
                    yield z, s, ref, w


_Pruefsumme = _zp.Pruefsumme


@dataclass
class _Zellstroeme:
    """A sheet's cells collected for :class:`_Pruefsumme` (fed every few thousand cells)."""

    pruef: _Pruefsumme = field(default_factory=_Pruefsumme)
    refs: list[str] = field(default_factory=list)
    zrefs: list[str] = field(default_factory=list)
    zahlen: array = field(default_factory=lambda: array("d"))
    trefs: list[str] = field(default_factory=list)
    texte: list[str] = field(default_factory=list)
    brefs: list[str] = field(default_factory=list)
    bools: list[str] = field(default_factory=list)
    andere: list[str] = field(default_factory=list)

    def zelle(self, ref: str, kanonisch: str) -> None:
        """One cell in the form of :func:`_kanonisch` (``n``/``s``/``b`` + value; else other)."""
        self.refs.append(ref)
        art, rest = kanonisch[:1], kanonisch[1:]
        if art == "n":
            self.zrefs.append(ref)
            self.zahlen.append(float.fromhex(rest))
        elif art == "s":
            self.trefs.append(ref)
            self.texte.append(rest)
        elif art == "b":
            self.brefs.append(ref)
            self.bools.append(rest)
        else:
            self.andere.append(ref + kanonisch)

    def leeren(self) -> None:
        p = self.pruef
        stroeme = ((p.REFS, self.refs), (p.ZREFS, self.zrefs), (p.TREFS, self.trefs), (p.TEXTE, self.texte),
                   (p.BREFS, self.brefs), (p.BOOLS, self.bools), (p.ANDERE, self.andere))  # fmt: skip
        for i, liste in stroeme:
            p.strom(i, liste)
            liste.clear()
        p.zahlen(self.zahlen)
        del self.zahlen[:]

    def digest(self) -> bytes:
        self.leeren()
        return self.pruef.digest()


def _pruefsumme_aus(zellen: Any) -> bytes:
    """The digest of (reference, :func:`_kanonisch` value) pairs, e.g. :func:`_geschriebene_zellen`."""
    stroeme = _Zellstroeme()
    for ref, wert in zellen:
        stroeme.zelle(ref, wert)
    return stroeme.digest()


def _kanonisch(w: _Wert) -> str:
    """A cell's value as it must read back, in the form :func:`_geschriebene_zellen` decodes the
    XML to: ``s`` + text, ``b`` + 0/1, ``n`` + the float in hex (numbers compare by value)."""
    if w.t == "inlineStr":
        return "s" + w.text
    if w.t == "b":
        return "b" + w.text
    return "n" + float(w.soll if w.art == "zahl" else w.text).hex()


def _xml_text(text: str) -> str:
    """Escape character data exactly as lxml serialises it (``&``, ``<``, ``>``, CR)."""
    if "&" in text or "<" in text or ">" in text or "\r" in text:
        return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("\r", "&#13;")
    return text


def _block(blatt: str, zeilen: Sequence[Sequence[Any]], stile: _Stile, formate: Mapping[Any, str],
           datum1904: bool, gestaltung: Any = None, strom: bool = False,
           texte: dict[str, tuple[str, str, bool, int, str, str]] | None = None) -> _Block:  # fmt: skip
    """Render one output sheet. ``gestaltung`` (a :class:`.schema.Blatt`) gives each cell's
    number format (from its unit) and each row's kind (header, block title, total); without
    it the first row is the header and ``formate`` maps column titles to number formats.
    ``strom``: when the widths are given (nothing to measure first), the rows are left to be
    rendered while the part is deflated (:attr:`_Block.strom`): a big sheet never exists whole.
    ``texte``: converted texts shared by the sheets of one write (names repeat on every sheet)."""
    if len(zeilen) > _MAX_ZEILEN:
        raise SozbudgetError(f"zu viele Zeilen ({len(zeilen)}) für ein Excel-Blatt", sheet=blatt)
    spalten = max((len(z) for z in zeilen), default=0)
    if spalten > _MAX_SPALTEN:
        raise SozbudgetError(f"zu viele Spalten ({spalten}) für ein Excel-Blatt", sheet=blatt)
    kopf = list(zeilen[0]) if zeilen else []
    r = _Renderer(
        blatt, stile, datum1904, [get_column_letter(i + 1) for i in range(spalten)],
        [
            (formate.get((blatt, k)) or formate.get(k)) if isinstance(k, str) else None
            for k in kopf[:spalten] + [None] * (spalten - len(kopf))
        ],
        getattr(gestaltung, "formate", {}), getattr(gestaltung, "umbruch", set()),
        getattr(gestaltung, "hoehen", {}), [8.0] * spalten,
    )  # fmt: skip
    arten: Mapping[int, str] = getattr(gestaltung, "arten", {0: "kopf"})
    dimension = f"A1:{r.buchstaben[-1]}{len(zeilen)}" if spalten and zeilen else "A1"
    fest = list(getattr(gestaltung, "breiten", None) or [])
    if len(fest) != spalten or not spalten:
        fest = []
    r.messen = not fest  # given widths replace the measured ones
    if texte is not None:
        r.texte = texte
    zeilen_xml = _zl.zeilen(r, zeilen, arten, _UMBRUCH_AB)  # alike body rows a run at a time
    if strom and fest and zeilen:
        return _Block(
            b"", dimension, [float(b) for b in fest], len(zeilen), spalten, True, b"", zeilen_xml, r
        )
    gerendert = b"".join(zeilen_xml)
    breiten = [float(b) for b in fest] if fest else r.breiten  # schema.Blatt's widths replace narrower ones
    return _Block(gerendert, dimension, breiten, len(zeilen), spalten, bool(fest), r.pruef.digest())


_ART_FORMAT = {"datum": _DATUM_FORMAT, "datumzeit": _DATUMZEIT_FORMAT, "zeit": _ZEIT_FORMAT}


@dataclass
class _Renderer:
    """Renders the rows of one output sheet: cell XML, column widths, the digest of the cells."""

    blatt: str
    stile: _Stile
    datum1904: bool
    buchstaben: list[str]
    spalten_formate: list[str | None]
    zellformate: Mapping[tuple[int, int], str]
    umbruch: set[tuple[int, int]]
    hoehen: Mapping[int, float]
    breiten: list[float]
    pruef: _Zellstroeme = field(default_factory=_Zellstroeme)
    stilattribute: dict[tuple[Any, str | None, bool], str] = field(default_factory=dict)
    texte: dict[str, tuple[str, str, bool, int, str, str]] = field(default_factory=dict)
    daten: dict[dt.date, str] = field(default_factory=dict)  # date → serial number text
    messen: bool = True  # False: the widths are given (schema.Blatt), not measured from the cells
    #: (row kind, tall row) → number format → style attribute, for the cells of such rows
    zeilenstile: dict[tuple[Any, bool], dict[str | None, str]] = field(default_factory=dict)
    zeilenformate: dict[tuple[str | None, ...], list[str | None]] = field(default_factory=dict)
    #: (row kind, tall row) → long or wrapped → style attribute, for the text cells of such rows
    textzeilenstile: dict[tuple[Any, bool], dict[bool, str]] = field(default_factory=dict)
    _umbruch_spalten: list[bytes | bytearray | None] | None = None

    def stil(self, art: Any, code: str | None, umbruch: bool) -> str:
        schluessel = (art, code, umbruch)
        stil = self.stilattribute.get(schluessel)
        if stil is None:
            xf = self.stile.xf(art, code, umbruch)
            stil = self.stilattribute[schluessel] = f' s="{xf}"' if xf else ""
        return stil

    def text(self, wert: str, ref: str) -> tuple[str, str, bool, int, str, str]:
        """:func:`_texteintrag` of a text cell, kept per distinct text (names and status words
        repeat in every row); errors as :func:`_textwert`."""
        # most texts are their own cell text (zeilenlaeufe.schlicht): no conversion to make
        eintrag = _texteintrag(wert if _zl.schlicht((wert,)) else _zelltext(wert, self.blatt, ref))
        self.texte[wert] = eintrag
        return eintrag

    def gemachter_stil(self, art: Any, code: str | None, umbruch: bool) -> str | None:
        """:meth:`stil` where it is made already, else None (styles are numbered as first used)."""
        return self.stilattribute.get((art, code, umbruch))

    def formate_der_zeile(self, z: int) -> Sequence[str | None]:
        """The number format of each cell of row ``z`` (0-based): its own or its column's."""
        zf, spalten = self.zellformate, self.spalten_formate
        if not zf:
            return spalten
        if hasattr(zf, "codes"):  # schema.Zellformate: one tuple per row, equal rows share it
            codes = zf.codes(z)
            if not codes:
                return spalten
            formate = self.zeilenformate.get(codes)
            if formate is None:
                formate = self.zeilenformate[codes] = [
                    (codes[s] if s < len(codes) else None) or spalten[s] for s in range(len(spalten))
                ]
            return formate
        return [zf.get((z, s)) or spalten[s] for s in range(len(spalten))]

    def zeilenstil(self, art: Any, hoch: bool) -> dict[str | None, str]:
        """Number format → style attribute of the number cells of a row of kind ``art``."""
        schluessel = (art, hoch)
        stile = self.zeilenstile.get(schluessel)
        if stile is None:
            stile = self.zeilenstile[schluessel] = {}
        return stile

    def zeile(self, z: int, zeile: Sequence[Any], art: Any) -> bytes:
        """One ``<row>``; updates the column widths and the digest (each value converted once)."""
        zellen: list[str] = []
        zelle = zellen.append
        p = self.pruef
        ref_dazu, zref_dazu, zahl_dazu = p.refs.append, p.zrefs.append, p.zahlen.append
        tref_dazu, text_dazu = p.trefs.append, p.texte.append
        hoch = z - 1 in self.hoehen
        koerper = hoch and art is None  # a row made taller for wrapped text: all its cells top-aligned
        zahlstile = self.zeilenstil(art, koerper)
        textstile = self.textzeilenstile.setdefault((art, hoch), {})
        umbrochen, z1 = self.umbruch_spalten(), z - 1
        formate = self.formate_der_zeile(z - 1)
        faktor = 1.2 if art == "kopf" else 1.0
        breiten, buchstaben, zs, texte = self.breiten, self.buchstaben, str(z), self.texte
        messen, titel = self.messen, art == "titel"
        for s, wert in enumerate(zeile):
            if wert is None:
                continue
            ref = buchstaben[s] + zs
            typ = type(wert)
            if typ is str:
                text, _, lang, laenge, _, rest = texte.get(wert) or self.text(wert, ref)
                ref_dazu(ref)
                tref_dazu(ref)
                text_dazu(text)
                if not lang and (flags := umbrochen[s]) is not None:
                    lang = z1 < len(flags) and flags[z1] == 1
                stil = textstile.get(lang)
                if stil is None:  # made when first used: the styles part lists them in that order
                    stil = textstile[lang] = self.stil(art, None, (lang or hoch) and art is None)
                zelle(f'<c r="{ref}"{stil}{rest}')
                if titel:
                    laenge = 0  # a block title may run over the following columns
            elif (typ is float or typ is int) and -schutz.MAX_ZAHL < wert < schutz.MAX_ZAHL:
                if typ is int:
                    text, f = str(wert), float(wert)
                else:
                    f = wert + 0.0  # -0.0 → 0.0
                    text = str(int(f)) if f.is_integer() else repr(f)
                ref_dazu(ref)
                zref_dazu(ref)
                zahl_dazu(f)
                code = formate[s]
                stil = zahlstile.get(code)
                if stil is None:
                    stil = zahlstile[code] = self.stil(art, code, koerper)
                zelle(f'<c r="{ref}"{stil}><v>{text}</v></c>')
                if not messen:
                    continue
                laenge = 16 if code and "€" in code else len(text) + 4
            else:
                laenge = self.sonst(zellen, z, s, ref, wert, art, hoch)
                if laenge is None:
                    continue
            if messen:
                breite = min(laenge * faktor + 2, _UMBRUCH_AB)
                if breite > breiten[s]:
                    breiten[s] = breite
        if len(p.refs) >= 4096:
            p.leeren()
        hoehe = f' ht="{self.hoehen[z - 1]:g}" customHeight="1"' if hoch else ""
        if zellen:
            return f'<row r="{z}"{hoehe}>{"".join(zellen)}</row>'.encode()
        return f'<row r="{z}"{hoehe}/>'.encode()

    def umbruch_spalten(self) -> list[bytes | bytearray | None]:
        """The wrapped cells (:attr:`umbruch`) per column: one flag byte per row (None: none in
        that column), as :class:`.schema.Zellmenge` holds them (no object per cell)."""
        if self._umbruch_spalten is None:
            spalte = getattr(self.umbruch, "spalte", None)
            if spalte is not None:
                self._umbruch_spalten = [spalte(s) for s in range(len(self.buchstaben))]
            else:
                from .schema import Zellmenge

                n = len(self.buchstaben)
                menge = Zellmenge(
                    (z, s) for z, s in self.umbruch if type(z) is type(s) is int and z >= 0 and 0 <= s < n
                )
                self._umbruch_spalten = [menge.spalte(s) for s in range(len(self.buchstaben))]
        return self._umbruch_spalten

    def sonst(self, zellen: list[str], z: int, s: int, ref: str, wert: Any, art: Any,
              hoch: bool) -> int | None:  # fmt: skip
        """Any other value (Decimal, bool, date, time, enum, absurd numbers → their error): appends
        the cell and its canonical form; returns its width in characters (None: an empty cell)."""
        if type(wert) is dt.date:
            return self.datum(zellen, z, s, ref, wert, art, hoch)
        w = _konvertiere(wert, self.blatt, ref, self.datum1904)
        if w is None:
            return None
        self.pruef.zelle(ref, _kanonisch(w))
        if w.t == "inlineStr":  # an enum's or another object's text: as a text cell in zeile()
            _, _, lang, laenge, _, rest = _texteintrag(w.text)
            lang = lang or (z - 1, s) in self.umbruch
            stil = self.stil(art, None, (lang or hoch) and art is None)
            zellen.append(f'<c r="{ref}"{stil}{rest}')
            return 0 if art == "titel" else laenge
        code = self.zellformate.get((z - 1, s)) or self.spalten_formate[s]
        if w.art != "zahl":
            code = (code or _ART_FORMAT[w.art]) if w.art in _ART_FORMAT else None
        typ = f' t="{w.t}"' if w.t else ""
        zellen.append(f'<c r="{ref}"{self.stil(art, code, hoch and art is None)}{typ}><v>{w.text}</v></c>')
        if w.art in ("datum", "datumzeit"):
            return 16 if w.art == "datumzeit" else 10
        return 16 if code and "€" in code else len(w.text) + 4

    def datum(self, zellen: list[str], z: int, s: int, ref: str, wert: dt.date, art: Any, hoch: bool) -> int:
        """A date (not a datetime) as :meth:`sonst` writes it, its serial number kept per date
        (a payment plan repeats the same twelve dates for every Träger)."""
        text = self.daten.get(wert)
        if text is None:
            text = self.daten[wert] = _zahl_text(_excel_serial(wert, self.datum1904))
        self.pruef.refs.append(ref)
        self.pruef.zrefs.append(ref)
        self.pruef.zahlen.append(float(text))
        code = self.zellformate.get((z - 1, s)) or self.spalten_formate[s] or _DATUM_FORMAT
        zellen.append(f'<c r="{ref}"{self.stil(art, code, hoch and art is None)}><v>{text}</v></c>')
        return 10


def _texteintrag(text: str) -> tuple[str, str, bool, int, str, str]:
    """(text, escaped text, long, width in characters, space attribute, the cell's XML after its
    style attribute) of a converted text."""
    lang = "\n" in text or len(text) > _UMBRUCH_AB
    laenge = max(map(len, text.split("\n"))) if "\n" in text else len(text)
    raum = ' xml:space="preserve"' if "\n" in text or text != text.strip() else ""
    xml_text = _xml_text(text)
    return text, xml_text, lang, laenge, raum, _zl.TEXTZELLE % (raum, xml_text)


def _mit_zeilen(
    root: Any, platzhalter: Any, block: _Block, gegen: _zp.Gegenpruefung | None = None
) -> bytes | _Gepackt:
    """Serialise ``root`` with the placeholder comment replaced by the block's <sheetData>
    (rows still to render: rendered into the deflated part, see :meth:`_Gepackt.strom`)."""
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    vorher, marke, nachher = xml.partition(etree.tostring(platzhalter))
    if not marke or marke in nachher:
        raise AssertionError("Platzhalter für <sheetData> nicht eindeutig")
    # the rows are unprefixed: declare the main namespace unless it is the root's default already
    xmlns = b"" if root.nsmap.get(None) == _MAIN else f' xmlns="{_MAIN}"'.encode()
    if block.strom is not None:
        gepackt = _Gepackt.strom(
            itertools.chain((vorher, b"<sheetData", xmlns, b">"), block.strom, (b"</sheetData>", nachher)),
            gegen,
        )
        block.strom, block.pruefsumme = None, block.renderer.pruef.digest()
        return gepackt
    if block.zeilen_xml:  # one join: a big sheet is copied once, not once per concatenation
        return b"".join((vorher, b"<sheetData", xmlns, b">", block.zeilen_xml, b"</sheetData>", nachher))
    return b"".join((vorher, b"<sheetData", xmlns, b"/>", nachher))


def _platzhalter() -> Any:
    return etree.Comment(f" sozbudget-sheetData-{uuid.uuid4().hex} ")


def _cols(breiten: list[float]) -> Any:
    cols = etree.Element(f"{{{_MAIN}}}cols")
    for i, b in enumerate(breiten, start=1):
        col = etree.SubElement(cols, f"{{{_MAIN}}}col")
        col.set("min", str(i))
        col.set("max", str(i))
        col.set("width", f"{b:.1f}")
        col.set("customWidth", "1")
    return cols


def _cols_breiter(alt: Any, breiten: list[float]) -> Any:
    """The kept column widths of an output sheet, each at least as wide as its new contents need
    (a wider column the user set stays; a too narrow one would cut texts or show „#####“)."""
    alte: dict[int, float] = {}
    for col in alt:
        if isinstance(col.tag, str) and col.get("width"):
            for i in range(int(col.get("min", "1")), min(int(col.get("max", "1")), len(breiten)) + 1):
                alte[i] = float(col.get("width"))
    return _cols([max(b, alte.get(i, 0.0)) for i, b in enumerate(breiten, start=1)])


def _neues_blatt(block: _Block, gegen: _zp.Gegenpruefung | None = None) -> bytes | _Gepackt:
    root = etree.Element(f"{{{_MAIN}}}worksheet", nsmap={None: _MAIN, "r": _R})
    # without fitToPage Excel ignores fitToWidth/fitToHeight below
    etree.SubElement(etree.SubElement(root, f"{{{_MAIN}}}sheetPr"), f"{{{_MAIN}}}pageSetUpPr").set(
        "fitToPage", "1"
    )
    etree.SubElement(root, f"{{{_MAIN}}}dimension").set("ref", block.dimension)
    views = etree.SubElement(root, f"{{{_MAIN}}}sheetViews")
    view = etree.SubElement(views, f"{{{_MAIN}}}sheetView")
    view.set("workbookViewId", "0")
    if block.zeilen > 1:
        pane = etree.SubElement(view, f"{{{_MAIN}}}pane")
        for k, v in (
            ("ySplit", "1"),
            ("topLeftCell", "A2"),
            ("activePane", "bottomLeft"),
            ("state", "frozen"),
        ):
            pane.set(k, v)
        sel = etree.SubElement(view, f"{{{_MAIN}}}selection")
        for k, v in (("pane", "bottomLeft"), ("activeCell", "A2"), ("sqref", "A2")):
            sel.set(k, v)
    etree.SubElement(root, f"{{{_MAIN}}}sheetFormatPr").set("defaultRowHeight", "15")
    if block.breiten:
        root.append(_cols(block.breiten))
    platzhalter = _platzhalter()
    root.append(platzhalter)
    margins = etree.SubElement(root, f"{{{_MAIN}}}pageMargins")
    for k, v in (("left", "0.7"), ("right", "0.7"), ("top", "0.79"), ("bottom", "0.79"),
                 ("header", "0.3"), ("footer", "0.3")):  # fmt: skip
        margins.set(k, v)
    # a new sheet prints like the others (vorlage._druck): A4, one page wide, landscape when the
    # columns are wide, sheet name and page numbers in the footer, row 1 on every page (_druckkopf)
    setup = etree.SubElement(root, f"{{{_MAIN}}}pageSetup")
    quer = sum(block.breiten) > _QUER_AB
    for k, v in (("paperSize", "9"), ("orientation", "landscape" if quer else "portrait"),
                 ("fitToWidth", "1"), ("fitToHeight", "0")):  # fmt: skip
        setup.set(k, v)
    etree.SubElement(
        etree.SubElement(root, f"{{{_MAIN}}}headerFooter"), f"{{{_MAIN}}}oddFooter"
    ).text = "&L&A&CSeite &P von &N"
    return _mit_zeilen(root, platzhalter, block, gegen)


_SHEETDATA_TAG = re.compile(rb"</?(?:([A-Za-z_][\w.-]*):)?sheetData(?:[\s/>]|$)")


def _ohne_zeilen_geschnitten(alt: bytes) -> tuple[Any, bool] | None:
    """:func:`_ohne_zeilen` by cutting the bytes between ``<sheetData …>`` and ``</sheetData>``
    before parsing: the old rows are thrown away unread and lxml parses only the rest. Only when
    the part names ``sheetData`` exactly at one start and one end tag (or one empty tag), and the
    cut holds no comment, CDATA or processing instruction — there ``<`` cannot occur unescaped
    in text or attributes, so the cut is exact. Else None (then the rows are parsed and dropped)."""
    anzahl = alt.count(b"sheetData")
    if anzahl not in (1, 2):
        return None
    auf = alt.find(b"sheetData")
    tag_auf = _SHEETDATA_TAG.match(alt, alt.rfind(b"<", 0, auf), auf + 10)
    if tag_auf is None or tag_auf[0].startswith(b"</"):
        return None
    ende_auf = alt.find(b">", auf)
    if anzahl == 1:  # <sheetData/>: nothing to cut
        if alt[ende_auf - 1 : ende_auf] != b"/":
            return None
        innen_von = innen_bis = ende_auf + 1
    else:
        innen_von, innen_bis = ende_auf + 1, alt.rfind(b"<", 0, alt.rfind(b"sheetData"))
        zu = _SHEETDATA_TAG.match(alt, innen_bis, alt.find(b">", innen_bis) + 1)
        if zu is None or not zu[0].startswith(b"</") or zu[1] != tag_auf[1] or innen_bis < innen_von:
            return None
        for marke in (b"<!--", b"<![CDATA[", b"<?"):
            if alt.find(marke, innen_von, innen_bis) != -1:
                return None
    hatte_formeln = _hat_formel(alt, innen_von, innen_bis)
    try:
        root = etree.fromstring(alt[:innen_von] + alt[innen_bis:], _XML_PARSER)
    except etree.XMLSyntaxError:
        return None
    if len(root.findall(f"{{{_MAIN}}}sheetData")) != 1:
        return None
    return root, hatte_formeln


def _ohne_zeilen(alt: bytes) -> tuple[Any, bool]:
    """Parse an old sheet, dropping the rows of <sheetData> while they are read (its cells would
    cost ~750 bytes each as a tree); returns (root, <sheetData> held a formula)."""
    geschnitten = _ohne_zeilen_geschnitten(alt)
    if geschnitten is not None:
        return geschnitten
    sd_tag, row_tag, f_tag = (f"{{{_MAIN}}}{t}" for t in ("sheetData", "row", "f"))
    hatte_formeln = False
    leser = etree.iterparse(
        _io.BytesIO(alt), events=("end",), tag=(row_tag, f_tag),
        resolve_entities=False, no_network=True, huge_tree=False,
    )  # fmt: skip
    for _, elem in leser:
        if elem.tag == f_tag:
            if not hatte_formeln:
                hatte_formeln = any(a.tag == sd_tag for a in elem.iterancestors())
            continue
        eltern = elem.getparent()
        if eltern is not None and eltern.tag == sd_tag:
            elem.clear()
            while elem.getprevious() is not None:
                del eltern[0]
    return leser.root, hatte_formeln


def _alte_wurzel(
    zf: zipfile.ZipFile, teil: str, vorab: Mapping[tuple[str, str], Any] | None = None
) -> tuple[Any, bool]:
    """:func:`_ohne_zeilen` of an old output sheet part; a big part is cut while it inflates
    (:func:`_ohne_zeilen_gestreamt`, or as the second process cut it: ``vorab``), so its rows are
    never held."""
    if vorab is not None and ("schnitt", teil) in vorab:
        gestreamt = vorab[("schnitt", teil)]
    else:
        gestreamt = _ohne_zeilen_gestreamt(zf, teil)
    if gestreamt is not None:
        geschnitten = _ohne_zeilen_geschnitten(gestreamt[0])
        if geschnitten is not None:
            return geschnitten[0], gestreamt[1]
    return _ohne_zeilen(zf.read(teil))


#: parts from this size on are cut while they inflate (:func:`zellpruefung.ohne_zeilen_gestreamt`)
_STROM_AB = 4 << 20


def _ohne_zeilen_gestreamt(zf: zipfile.ZipFile, teil: str) -> tuple[bytes, bool] | None:
    """:func:`zellpruefung.ohne_zeilen_gestreamt` of a part of ``zf`` from :data:`_STROM_AB` bytes on
    (``None`` for a smaller one: it is read whole)."""
    info = zf.getinfo(teil)
    if info.file_size < _STROM_AB:
        return None
    with zf.open(info) as fh:
        return _zp.ohne_zeilen_gestreamt(fh.read)


def _ersetze_blatt(alt: tuple[Any, bool], block: _Block, blatt: str, name: str) -> tuple[Any, Any, bool]:
    """The old output sheet, given as :func:`_alte_wurzel`, ready for a new <sheetData>: (its root,
    the placeholder for the rows — see :func:`_mit_zeilen` —, old sheet had formulas)."""
    root, hatte_formeln = alt
    kinder: dict[str, list[Any]] = {}
    for kind in root:
        if not isinstance(kind.tag, str):
            continue
        ns, _, lokal = kind.tag.rpartition("}")
        if ns.lstrip("{") == _MC or lokal in _BLATT_ABLEHNEN:
            was = _BLATT_ABLEHNEN.get(lokal, "Steuerelemente oder eingebettete Objekte")
            raise VerlustGefahr(
                f"Das Ausgabeblatt „{blatt}“ der Datei „{name}“ enthält {was}; es wird nicht überschrieben. "
                "Die Ergebnisse werden in eine eigene Ergebnisdatei geschrieben.",
                sheet=blatt,
            )
        kinder.setdefault(lokal, []).append(kind)
    for pr in kinder.get("sheetPr", []):
        pr.attrib.pop("filterMode", None)  # the old autoFilter is dropped with the old block
    # a new root that takes over the kept children: removing the old <sheetData> from the parsed
    # tree instead costs lxml seconds per 10.000 rows (it re-homes every node it unlinks)
    neu = etree.Element(root.tag, attrib=dict(root.attrib), nsmap=root.nsmap)
    platzhalter = _platzhalter()
    for lokal in _BLATT_REIHENFOLGE:
        if lokal == "dimension":
            etree.SubElement(neu, f"{{{_MAIN}}}dimension").set("ref", block.dimension)
        elif lokal == "sheetData":
            neu.append(platzhalter)
        elif lokal == "cols" and "cols" not in kinder and block.breiten:
            neu.append(_cols(block.breiten))
        elif lokal == "cols" and block.fest:
            neu.append(_cols_breiter(kinder["cols"][0], block.breiten))
        elif lokal in _BLATT_BEHALTEN:
            for kind in kinder.get(lokal, []):
                neu.append(kind)
    return neu, platzhalter, hatte_formeln


def _pruefe_blattname(name: str) -> None:
    if not name or len(name) > 31 or _UNGUELTIGE_BLATTZEICHEN.search(name) or name.startswith("'"):
        raise SozbudgetError(
            f"„{name}“ ist kein gültiger Blattname (1 bis 31 Zeichen, ohne [ ] : * ? / \\)", sheet=name
        )


# --------------------------------------------------------------------------- charts follow the data

_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_DIAGRAMM_TEIL = re.compile(r"^xl/charts/chart[^/]*\.xml$")
_BEZUG = re.compile(
    r"^(?P<blatt>'(?:[^']|'')+'|[^!']+)!\$?(?P<s1>[A-Z]{1,3})\$?(?P<z1>\d+)"
    r"(?::\$?(?P<s2>[A-Z]{1,3})\$?(?P<z2>\d+))?$"
)


@dataclass(frozen=True)
class _Diagrammblock:
    """The chart's summary block on „Kennzahlen“ (1-based sheet rows): title, header, data rows
    ``erste``..``letzte`` (``letzte < erste``: no data rows)."""

    titel: str
    titelzeile: int
    erste: int
    letzte: int

    @property
    def kopfzeile(self) -> int:
        return self.titelzeile + 1


def _diagrammblock(zeilen: Sequence[Sequence[Any]]) -> _Diagrammblock | None:
    """The block „Budget nach …“ in rows of an output sheet (title in column A, then a header row,
    then the data rows up to the first row without a category)."""
    from .schema import DIAGRAMM_PREFIX

    for i, zeile in enumerate(zeilen):
        erste = zeile[0] if zeile else None
        if isinstance(erste, str) and erste.startswith(DIAGRAMM_PREFIX) and all(_leer(w) for w in zeile[1:]):
            letzte = i + 2
            while letzte < len(zeilen) and zeilen[letzte] and not _leer(zeilen[letzte][0]):
                letzte += 1
            return _Diagrammblock(erste, i + 1, i + 3, letzte)
    return None


def _bezug_neu(
    text: str, blatt: str, alt: _Diagrammblock, neu: _Diagrammblock
) -> tuple[str, int, int] | None:
    """A chart reference into the old block, moved to the new block: (formula, first, last row)."""
    m = _BEZUG.match(text.strip())
    if m is None:
        return None
    name = m["blatt"][1:-1].replace("''", "'") if m["blatt"].startswith("'") else m["blatt"]
    if name.casefold() != blatt.casefold():
        return None
    z1 = int(m["z1"])
    z2 = int(m["z2"]) if m["z2"] else None
    if z2 is None and z1 in (alt.titelzeile, alt.kopfzeile):
        zeile = neu.titelzeile if z1 == alt.titelzeile else neu.kopfzeile
        return f"{m['blatt']}!${m['s1']}${zeile}", zeile, zeile
    if m["s1"] != (m["s2"] or m["s1"]) or z1 not in (alt.erste, alt.kopfzeile):
        return None  # a single cell of the data rows counts as a range of one row
    von = neu.erste if z1 == alt.erste else neu.kopfzeile
    bis = max(neu.letzte, neu.erste)  # no data rows: one empty row keeps the series valid
    return f"{m['blatt']}!${m['s1']}${von}:${m['s1']}${bis}", von, bis


def _cache_neu(ref: Any, zeilen: Sequence[Sequence[Any]], spalte: int, von: int, bis: int) -> None:
    """Rewrite the cached values of a chart reference (``c:strRef``/``c:numRef``) from the new rows."""
    if etree.QName(ref).localname == "numRef" and etree.QName(ref.getparent()).localname == "cat":
        ref.tag = f"{{{_C}}}strRef"  # categories are names: a number reference would show 1, 2, 3
        for alt in ref.findall(f"{{{_C}}}numCache"):
            ref.remove(alt)
    zahl = etree.QName(ref).localname == "numRef"
    cache = ref.find(f"{{{_C}}}{'numCache' if zahl else 'strCache'}")
    if cache is None:
        cache = etree.SubElement(ref, f"{{{_C}}}{'numCache' if zahl else 'strCache'}")
    for kind in list(cache):
        if etree.QName(kind).localname != "formatCode":
            cache.remove(kind)
    etree.SubElement(cache, f"{{{_C}}}ptCount").set("val", str(bis - von + 1))
    for k, zeile in enumerate(range(von, bis + 1)):
        werte = zeilen[zeile - 1] if zeile - 1 < len(zeilen) else []
        wert = werte[spalte] if spalte < len(werte) else None
        if _leer(wert) or (zahl and not isinstance(wert, int | float)):
            continue
        pt = etree.SubElement(cache, f"{{{_C}}}pt")
        pt.set("idx", str(k))
        etree.SubElement(pt, f"{{{_C}}}v").text = repr(float(wert)) if zahl else str(wert)


def _diagramm_neu(xml: bytes, blatt: str, zeilen: Sequence[Sequence[Any]], alt: _Diagrammblock,
                  neu: _Diagrammblock) -> bytes | None:  # fmt: skip
    """One chart part with its references into the old block moved to the new rows (caches and a
    title „Budget nach …“ follow); ``None`` when the chart does not show the block."""
    root = etree.fromstring(xml, _XML_PARSER)
    geaendert = False
    for f in root.iter(f"{{{_C}}}f"):
        neu_bezug = _bezug_neu(f.text or "", blatt, alt, neu)
        if neu_bezug is None:
            continue
        f.text, von, bis = neu_bezug
        spalte = range_boundaries(f.text.split("!")[-1].replace("$", ""))[0] - 1
        _cache_neu(f.getparent(), zeilen, spalte, von, bis)
        geaendert = True
    if not geaendert:
        return None
    for titel in root.iter(f"{{{_C}}}title"):
        for t in titel.iter(f"{{{_A}}}t"):
            if t.text == alt.titel:
                t.text = neu.titel
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _texte(el: Any) -> str:
    """The text of a shared or inline string (``<si>``/``<is>``: plain or rich text runs)."""
    return "".join(t.text or "" for t in el.iter(f"{{{_MAIN}}}t"))


_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


_ZELLE_ROH, _ZELLE_ROH_GANZ = _zp.ZELLE_ROH, _zp.ZELLE_ROH_GANZ


_anzahl = _zp.anzahl


_zellanfaenge = _zp.zellanfaenge


def _schnell_lesbar(xml: bytes) -> bool:
    """Whether a sheet part is in the layout :func:`_block` writes (an old output sheet), so that
    :func:`_rohzellen_schnell` reads every cell: each cell matches one regular expression (its type
    agrees with its content), no comment, CDATA, processing instruction or CR, and the part is
    well-formed (:func:`_wohlgeformt`: no tree built; raises ``etree.XMLSyntaxError`` like the
    cell-by-cell path)."""
    if not _im_schreiberlayout(xml):
        return False
    _wohlgeformt(xml)
    return True


_im_schreiberlayout = _zp.im_schreiberlayout


_zelle_roh_in = _zp.zelle_roh_in


def _rohzellen_schnell(xml: bytes, nur_spalten: frozenset[str] | None = None) -> Any:
    """The cells of :func:`_rohzellen` decoded with the regular expression (only for a part that
    :func:`_schnell_lesbar` accepted), one at a time (no list of all cells in memory)."""
    muster = _ZELLE_ROH if nur_spalten is None else _zelle_roh_in(nur_spalten)
    for m in muster.finditer(xml):
        yield _rohzelle(m)


_rohzelle = _zp.rohzelle


def _zellelemente(xml: Any) -> Any:
    """The ``<c>`` elements of a sheet part (bytes or a file) in document order, streamed with lxml
    (no entities, no network, no huge trees); each row is dropped from the tree once read, so
    memory stays flat."""
    c_tag, row_tag = f"{{{_MAIN}}}c", f"{{{_MAIN}}}row"
    leser = etree.iterparse(
        xml if hasattr(xml, "read") else _io.BytesIO(xml), events=("end",), tag=(c_tag, row_tag),
        resolve_entities=False, no_network=True, huge_tree=False,
    )  # fmt: skip
    for _, elem in leser:
        if elem.tag == row_tag:
            elem.clear()
            eltern = elem.getparent()
            while elem.getprevious() is not None:
                del eltern[0]
            continue
        yield elem


def _rohzellen_von(zf: zipfile.ZipFile, teil: str, nur_spalten: frozenset[str] | None = None) -> Any:
    """:func:`_rohzellen` of a part of ``zf``; a big one streamed from the inflating entry (the same
    cells, never the whole part in memory): in the shapes Excel, LibreOffice and openpyxl save
    cells in by :func:`_rohzellen_excel`, else with lxml."""
    if zf.getinfo(teil).file_size < _STROM_AB:
        yield from _rohzellen(zf.read(teil), nur_spalten)
        return
    with zf.open(teil) as fh:
        zellen = _rohzellen_excel(iter(lambda: fh.read(1 << 20), b""), nur_spalten)
    if zellen is not None:
        yield from zellen
        return
    with zf.open(teil) as fh:
        yield from _rohzellen_lxml(fh, nur_spalten)


def _rohzellen(xml: bytes, nur_spalten: frozenset[str] | None = None) -> Any:
    """(row, column letters, type, stored text, style) of the cells of a sheet part (``nur_spalten``:
    only these columns): the ``<v>`` text or an inline string's text; row 0 and column ``""`` for
    a cell without a valid reference. Parsed with lxml (no entities, no network; DTDs are refused
    before); rows are dropped once read. A part in the writer's own layout is decoded faster
    (:func:`_rohzellen_schnell`), with the same result."""
    if _schnell_lesbar(xml):
        yield from _rohzellen_schnell(xml, nur_spalten)
        return
    if (zellen := _rohzellen_excel((xml,), nur_spalten)) is not None:
        yield from zellen
        return
    yield from _rohzellen_lxml(xml, nur_spalten)


def _rohzellen_excel(stuecke: Any, nur_spalten: frozenset[str] | None = None) -> list[Any] | None:
    """:func:`zellpruefung.rohzellen_excel` (the cells of :func:`_rohzellen_lxml` of a part in the
    shapes Excel, LibreOffice and openpyxl save cells in, else ``None``), a broken part raising
    ``etree.XMLSyntaxError``."""
    with _als_syntaxfehler():
        return _zp.rohzellen_excel(stuecke, nur_spalten)


def _rohzellen_lxml(xml: Any, nur_spalten: frozenset[str] | None = None) -> Any:
    """:func:`_rohzellen` cell by cell with lxml."""
    v_tag, is_tag, t_tag = (f"{{{_MAIN}}}{t}" for t in ("v", "is", "t"))
    for elem in _zellelemente(xml):
        m = _REF.fullmatch(elem.get("r") or "")
        if m is None or nur_spalten is None or m[1] in nur_spalten:
            typ = elem.get("t") or "n"
            if typ == "inlineStr":
                inhalt = elem.find(is_tag)
                wert = None if inhalt is None else "".join(t.text or "" for t in inhalt.iter(t_tag))
            else:
                wert = elem.findtext(v_tag)
            yield (0, "", typ, wert, None) if m is None else (int(m[2]), m[1], typ, wert, elem.get("s"))
        elem.clear()


def _geteilte_texte(zf: zipfile.ZipFile, paket: _Paket) -> list[str]:
    """The shared strings, each the text of all its runs (:func:`_texte`); read once per package."""
    sst = paket.teil_vom_typ("/sharedStrings")
    if sst not in paket.namen:
        return []
    if (texte := paket.texte.get("alle")) is None:
        xml = zf.read(sst)
        texte = _texte_schnell(xml)
        texte = paket.texte["alle"] = (
            [_texte(si) for si in SafeET.fromstring(xml)] if texte is None else texte
        )
    return texte


_texte_schnell = _zp.texte_schnell


_VERDECKT = _zp.VERDECKT


def _diagrammzeilen_schnell(xml: bytes) -> list[list[Any]] | None:
    """:func:`_diagrammzeilen_gestreamt` of a part given whole."""
    return _diagrammzeilen_gestreamt((xml,))


_Langsam, _ZEILENNUMMER, _Blocksuche = _zp.Langsam, _zp.ZEILENNUMMER, _zp.Blocksuche


def _diagrammzeilen_gestreamt(stuecke: Any) -> list[list[Any]] | None:
    """:func:`zellpruefung.diagrammzeilen_gestreamt` for the chart block „Budget nach …“, a broken
    part raising ``etree.XMLSyntaxError``."""
    from .schema import DIAGRAMM_PREFIX

    with _als_syntaxfehler():
        return _zp.diagrammzeilen_gestreamt(stuecke, DIAGRAMM_PREFIX)


def _spalten_ab(zf: zipfile.ZipFile, paket: _Paket, teil: str) -> list[list[Any]]:
    """Rows of columns A and B of a sheet part as texts (numbers as stored): enough to find the
    chart block, without loading the workbook."""
    with zf.open(teil) as fh:  # a big part is searched as it inflates, never held whole
        schnell = _diagrammzeilen_gestreamt(iter(lambda: fh.read(1 << 20), b""))
    if schnell is not None:
        return schnell
    from .schema import DIAGRAMM_PREFIX

    texte = _Spaeter(lambda: _geteilte_texte(zf, paket))  # read when a cell needs them
    with zf.open(teil) as fh, _als_syntaxfehler():  # a sheet Excel saved: as far as its block goes
        schnell = _zp.diagrammzeilen_excel(iter(lambda: fh.read(1 << 20), b""), DIAGRAMM_PREFIX, texte)
    if schnell is not None:
        return schnell
    zeilen: dict[int, list[Any]] = {}
    for z, spalte, typ, v, _ in _rohzellen_von(zf, teil, frozenset("AB")):
        if z:
            wert = _zp.geteilter_text(texte, v) if typ == "s" and v is not None else v
            zeilen.setdefault(z, [None, None])["AB".index(spalte)] = wert
    return [zeilen.get(z, [None, None]) for z in range(1, max(zeilen, default=0) + 1)]


def _datumsstile(wb: Any) -> frozenset[str] | None:
    """The style ids whose number format makes openpyxl read a number as a date, time or duration
    (from the workbook it loaded; the styles part is never changed before loading)."""
    datum, dauer = getattr(wb, "_date_formats", None), getattr(wb, "_timedelta_formats", None)
    if not isinstance(datum, set | frozenset | dict) or not isinstance(dauer, set | frozenset | dict):
        return None
    if not all(isinstance(i, int) for i in (*datum, *dauer)):
        return None
    return frozenset(str(i) for i in (*datum, *dauer))


_als_datum_gelesen = _zp.als_datum_gelesen


def _blattwerte(
    zf: zipfile.ZipFile, paket: _Paket, teil: str, datumsstile: frozenset[str] | None = None
) -> list[Sequence[Any]] | None:
    """The values of a sheet part row by row from row 1 and column A, as openpyxl's read-only mode
    gives them (numbers, texts, booleans, error texts; cached values of formulas); ``None`` when a
    cell would need more than the XML to be read alike (a number with a date format — or with any
    format when ``datumsstile`` is unknown —, ``_xHHHH_`` escapes, an unknown type or a cell
    without reference). A part in the writer's own layout is read by :func:`_blattwerte_schnell`."""
    texte = _Spaeter(lambda: _geteilte_texte_wie_openpyxl(zf, paket))  # read when a cell needs them
    zeilen = _werte_gestreamt(zf, teil, datumsstile, texte)
    if zeilen == _zp.KEIN_ERGEBNIS:
        zeilen = {}  # any other shape: cell by cell, by the same rules
        if not _zp.werte_aus_zellen(_rohzellen_von(zf, teil), zeilen, datumsstile, texte):
            return None
    return None if zeilen is None else _als_liste(zeilen)


_setze_wert = _zp.setze_wert


class _Spaeter(Sequence[str]):
    """A list of texts made when first used."""

    def __init__(self, machen: Callable[[], list[str]]) -> None:
        self._machen: Callable[[], list[str]] | None = machen
        self._liste: list[str] = []

    def _gemacht(self) -> list[str]:
        if self._machen is not None:
            self._liste, self._machen = self._machen(), None
        return self._liste

    def __len__(self) -> int:
        return len(self._gemacht())

    def __getitem__(self, i: Any) -> Any:
        return self._gemacht()[i]


def _werte_gestreamt(
    zf: zipfile.ZipFile, teil: str, datumsstile: frozenset[str] | None, texte: Sequence[str] | None
) -> Any:
    """The rows of a part of ``zf`` by the rules of :func:`_blattwerte`, read as it inflates (a big
    old output sheet is never held whole): in the writer's layout (:func:`_blattwerte_gestreamt`),
    else in the shapes Excel saves (:func:`zellpruefung.blattwerte_excel`, shared strings
    ``texte``); None where a cell cannot be read alike, :data:`zellpruefung.KEIN_ERGEBNIS` for a
    part in any other shape. A broken part raises ``etree.XMLSyntaxError``."""
    try:
        with zf.open(teil) as fh:
            return _blattwerte_gestreamt(iter(lambda: fh.read(1 << 20), b""), datumsstile)
    except _Langsam:
        pass
    try:
        with zf.open(teil) as fh, _als_syntaxfehler():
            return _zp.blattwerte_excel(iter(lambda: fh.read(1 << 20), b""), datumsstile, texte)
    except _Langsam:
        return _zp.KEIN_ERGEBNIS


def _als_liste(zeilen: dict[int, list[Any]]) -> list[Sequence[Any]]:
    """Rows from row 1, each from column A to the widest row's last column (the rows' lists are
    widened in place and taken over); a row without values is the empty tuple, one object for all
    (a single value typed into the sheet's last row, 1.048.576, cost a list per row above it:
    ≈ 400 MB and 2 s; every reader of these rows skips an empty one)."""
    breite = max(map(len, zeilen.values()), default=0)
    ergebnis: list[Sequence[Any]] = []
    for z in range(1, max(zeilen, default=0) + 1):
        zeile = zeilen.pop(z, None)
        if zeile is None:
            ergebnis.append(())
            continue
        zeile.extend([None] * (breite - len(zeile)))
        ergebnis.append(zeile)
    return ergebnis


def _blattwerte_gestreamt(stuecke: Any, datumsstile: frozenset[str] | None) -> dict[int, list[Any]] | None:
    """:func:`zellpruefung.blattwerte_gestreamt`, a broken part raising ``etree.XMLSyntaxError``."""
    with _als_syntaxfehler():
        return _zp.blattwerte_gestreamt(stuecke, datumsstile)


_GETEILTE_TEXTE = _zp.GETEILTE_TEXTE
_blattwerte_schnell = _zp.blattwerte_schnell


def _nachfrage(
    ausgaben: Mapping[str, Any] | Callable[[], Mapping[str, Any]], blatt: str
) -> Callable[[], Any]:
    """The rows of ``blatt`` when asked again (to name a wrong cell): from ``ausgaben``, or from
    the sheets built anew by it when it is :func:`schreibe_ausgaben`'s ``abgeben``."""
    if callable(ausgaben):
        return lambda: ausgaben()[blatt]
    return lambda: ausgaben[blatt]


def _diagrammdaten(zeilen: Sequence[Sequence[Any]]) -> tuple[_Diagrammblock, list[Sequence[Any]]] | None:
    """A sheet's chart block and its rows as :func:`_cache_neu` reads them (rows before the block
    empty, none after it), kept while the sheet's own rows are dropped once written."""
    neu = _diagrammblock(zeilen)
    if neu is None:
        return None
    bis = max(neu.letzte, neu.erste)
    return neu, [[]] * (neu.titelzeile - 1) + list(zeilen[neu.titelzeile - 1 : bis])


def _diagramme_nachfuehren(
    zf: zipfile.ZipFile, paket: _Paket, diagramme: Mapping[str, tuple[_Diagrammblock, Sequence[Any]]],
    vorab: Mapping[tuple[str, str], Any] | None = None,
) -> dict[str, bytes]:  # fmt: skip
    """Charts follow the data: every chart whose series read the block „Budget nach …“ of an output
    sheet gets its ranges (and cached values) rewritten to the block's rows in the new output, so a
    fifth Träger appears and a removed one leaves no empty slot. ``diagramme``: sheet → its new
    block and rows (:func:`_diagrammdaten`). Returns the changed chart parts."""
    teile = sorted(n for n in paket.namen if _DIAGRAMM_TEIL.match(n))
    if not teile:
        return {}
    neu_teile: dict[str, bytes] = {}
    for blatt, (neu, zeilen) in diagramme.items():
        info = paket.blatt(blatt)
        if info is None:
            continue
        schnell = (vorab or {}).get(("diagramm", info.teil))  # the second process's search
        alt = _diagrammblock(schnell if isinstance(schnell, list) else _spalten_ab(zf, paket, info.teil))
        if alt is None:
            continue
        for teil in teile:
            ergebnis = _diagramm_neu(neu_teile.get(teil, zf.read(teil)), info.name, zeilen, alt, neu)
            if ergebnis is not None:
                neu_teile[teil] = ergebnis
    return neu_teile


# --------------------------------------------------------------------------- package editing


@dataclass
class _Entwurf:
    daten: bytes
    geaendert: set[str]
    entfernt: set[str]
    soll: dict[str, _Soll]  # output sheet (as named in the workbook) -> expected cells
    neu: list[str]
    blaetter: dict[str, tuple[int, int]]
    neue_namen: list[tuple[Any, ...]] = field(default_factory=list)  # defined names added (print titles)


@dataclass
class _Platzierung:
    """The output sheets rendered into parts, with their expected cells and sizes."""

    neue_teile: dict[str, bytes | _Gepackt] = field(default_factory=dict)
    soll: dict[str, _Soll] = field(default_factory=dict)
    neu: list[str] = field(default_factory=list)
    groessen: dict[str, tuple[int, int]] = field(default_factory=dict)
    neue_blaetter: list[tuple[str, str]] = field(default_factory=list)  # (sheet name, part)
    druckkopf: list[str] = field(default_factory=list)  # new sheets whose row 1 repeats on every page
    #: sheet → its chart block and the rows up to the block's end (:func:`_diagrammdaten`)
    diagramme: dict[str, tuple[_Diagrammblock, list[Sequence[Any]]]] = field(default_factory=dict)
    calc_weg: bool = False


def _pruefe_zielblatt(paket: _Paket, info: _Blattinfo, name: str) -> None:
    """Refuse to overwrite a sheet that is no plain worksheet or holds content that would be lost."""
    if not info.typ.endswith("/worksheet") or info.teil not in paket.namen:
        raise VerlustGefahr(
            f"„{info.name}“ in der Datei „{name}“ ist kein normales Tabellenblatt (z. B. ein "
            "Diagrammblatt) und wird nicht überschrieben.",
            sheet=info.name,
        )
    for typ, _ in paket.blatt_rels(info.teil):
        for endung, was in _REL_ABLEHNEN.items():
            if typ.endswith(endung):
                raise VerlustGefahr(
                    f"Das Ausgabeblatt „{info.name}“ der Datei „{name}“ enthält {was}; es wird "
                    "nicht überschrieben. Die Ergebnisse werden in eine eigene Ergebnisdatei "
                    "geschrieben.",
                    sheet=info.name,
                )


def _freier_blatt_teil(vergeben: set[str]) -> str:
    """The first unused part name ``xl/worksheets/sheetN.xml`` (and mark it as used)."""
    n = 1
    while f"xl/worksheets/sheet{n}.xml" in vergeben:
        n += 1
    teil = f"xl/worksheets/sheet{n}.xml"
    vergeben.add(teil)
    return teil


def _platziere_blaetter(
    zf: zipfile.ZipFile,
    paket: _Paket,
    name: str,
    ausgaben: Mapping[str, Sequence[Sequence[Any]]],
    stile: _Stile,
    formate: Mapping[Any, str],
    gegen: _zp.Gegenpruefung | None = None,
    vorab: Mapping[tuple[str, str], Any] | None = None,
    abgeben: Callable[[], Mapping[str, Sequence[Sequence[Any]]]] | None = None,
) -> _Platzierung:
    """Render every output sheet and replace the existing sheet or place it in a new part
    (``gegen``: each sheet's bytes also go to the second process that decodes them; ``abgeben``:
    each sheet leaves ``ausgaben`` once written, see :func:`schreibe_ausgaben`)."""
    p = _Platzierung()
    vergeben = set(paket.namen)
    texte: dict[str, tuple[str, str, bool, int, str, str]] = {}  # converted once for all sheets
    if len({b.casefold() for b in ausgaben}) != len(ausgaben):
        raise SozbudgetError("Ausgabeblätter doppelt benannt (Groß-/Kleinschreibung zählt in Excel nicht)")
    mit_diagrammen = any(_DIAGRAMM_TEIL.match(n) for n in paket.namen)
    for blatt in list(ausgaben):
        zeilen = ausgaben[blatt]
        _pruefe_blattname(blatt)
        if mit_diagrammen and (diagramm := _diagrammdaten(zeilen)) is not None:
            p.diagramme[blatt] = diagramm
        block = _block(blatt, zeilen, stile, formate, paket.datum1904, zeilen, strom=True, texte=texte)
        info = paket.blatt(blatt)
        if info is not None:
            _pruefe_zielblatt(paket, info, name)
            neu, platzhalter, hatte_formeln = _ersetze_blatt(
                _alte_wurzel(zf, info.teil, vorab), block, info.name, name
            )
            nummer = None if gegen is None else gegen.anfang()
            xml = _mit_zeilen(neu, platzhalter, block, gegen)
            gepackt = p.neue_teile[info.teil] = _Gepackt.aus(xml, gegen)
            p.calc_weg = p.calc_weg or hatte_formeln
            blattname = info.name
        else:
            teil = _freier_blatt_teil(vergeben)
            nummer = None if gegen is None else gegen.anfang()
            gepackt = p.neue_teile[teil] = _Gepackt.aus(_neues_blatt(block, gegen), gegen)
            p.neue_blaetter.append((blatt, teil))
            if block.zeilen > 1:
                p.druckkopf.append(blatt)
            p.neu.append(blatt)
            blattname = blatt
        if gegen is not None:
            gegen.ende()
        p.soll[blattname] = _Soll(
            blatt, _nachfrage(abgeben or ausgaben, blatt), paket.datum1904, block.pruefsumme,
            gepackt.crc, gepackt.laenge, nummer,
        )  # fmt: skip
        p.groessen[blattname] = (block.zeilen, block.spalten)
        if abgeben is not None:
            del ausgaben[blatt]  # type: ignore[attr-defined]
    return p


def _entferne_calc_chain(rels: Any, ct: Any, calc_teil: str) -> None:
    """Drop the calculation chain from the workbook relationships and the content types."""
    for rel in list(rels):
        if rel.get("Type", "").endswith("/calcChain"):
            rels.remove(rel)
    for o in list(ct):
        if o.get("PartName", "").lstrip("/") == calc_teil:
            ct.remove(o)


def _trage_blaetter_ein(
    wb: Any, rels: Any, ct: Any, wb_teil: str, neue_blaetter: Sequence[tuple[str, str]]
) -> None:
    """Add new sheets to workbook.xml, its relationships and the content types."""
    sheets = wb.find(f"{{{_MAIN}}}sheets")
    ids = [int(s.get("sheetId", "0")) for s in sheets]
    rids = {r.get("Id") for r in rels}
    wb_ordner = posixpath.dirname(wb_teil)
    for blatt, teil in neue_blaetter:
        k = 1
        while f"rId{k}" in rids:
            k += 1
        rid = f"rId{k}"
        rids.add(rid)
        rel = etree.SubElement(rels, f"{{{_PKG_REL}}}Relationship")
        rel.set("Id", rid)
        rel.set("Type", _WS_TYPE)
        rel.set("Target", posixpath.relpath(teil, wb_ordner) if wb_ordner else teil)
        s = etree.SubElement(sheets, f"{{{_MAIN}}}sheet")
        s.set("name", blatt)
        s.set("sheetId", str(max(ids, default=0) + 1))
        ids.append(max(ids, default=0) + 1)
        s.set(f"{{{_R}}}id", rid)
        o = etree.SubElement(ct, f"{{{_CT}}}Override")
        o.set("PartName", "/" + teil)
        o.set("ContentType", _WS_CONTENT)


def _registriere_blaetter(
    zf: zipfile.ZipFile,
    paket: _Paket,
    neue_blaetter: Sequence[tuple[str, str]],
    calc_teil: str | None,
    neue_teile: dict[str, bytes],
    druckkopf: Sequence[str] = (),
) -> list[tuple[Any, ...]]:
    """Register new sheets (and drop the calc chain) in workbook.xml, its rels and content types;
    returns the defined names added (print titles of ``druckkopf``, as ``_Paket.definierte_namen``)."""
    wb = etree.fromstring(zf.read(paket.wb_teil), _XML_PARSER)
    rels = etree.fromstring(zf.read(paket.wb_rels_teil), _XML_PARSER)
    ct = etree.fromstring(zf.read("[Content_Types].xml"), _XML_PARSER)
    if calc_teil:
        _entferne_calc_chain(rels, ct, calc_teil)
    _trage_blaetter_ein(wb, rels, ct, paket.wb_teil, neue_blaetter)
    neue_namen = _druckkopf(wb, druckkopf)
    neue_teile[paket.wb_teil] = etree.tostring(wb, xml_declaration=True, encoding="UTF-8", standalone=True)
    neue_teile[paket.wb_rels_teil] = etree.tostring(
        rels, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    neue_teile["[Content_Types].xml"] = etree.tostring(
        ct, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    return neue_namen


#: elements of workbook.xml that precede <definedNames> (ECMA-376 CT_Workbook)
_VOR_NAMEN = ("fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews", "sheets",
              "functionGroups", "externalReferences")  # fmt: skip


def _druckkopf(wb: Any, blaetter: Sequence[str]) -> list[tuple[Any, ...]]:
    """Print titles (row 1 on every printed page) for the new sheets ``blaetter``: one defined name
    ``_xlnm.Print_Titles`` each, scoped to the sheet (``localSheetId`` = its position), appended to
    <definedNames> (created after <sheets> when missing)."""
    if not blaetter:
        return []
    positionen = {s.get("name"): i for i, s in enumerate(wb.find(f"{{{_MAIN}}}sheets"))}
    namen = wb.find(f"{{{_MAIN}}}definedNames")
    if namen is None:
        namen = etree.Element(f"{{{_MAIN}}}definedNames")
        vorher = [k for k in wb if isinstance(k.tag, str) and etree.QName(k).localname in _VOR_NAMEN]
        vorher[-1].addnext(namen)
    neu = []
    for blatt in blaetter:
        d = etree.SubElement(namen, f"{{{_MAIN}}}definedName")
        d.set("name", "_xlnm.Print_Titles")
        d.set("localSheetId", str(positionen[blatt]))
        d.text = "'" + blatt.replace("'", "''") + "'!$1:$1"
        neu.append(("_xlnm.Print_Titles", d.get("localSheetId"), None, d.text))
    return neu


@dataclass
class _Gepackt:
    """A rendered sheet part kept deflated until the package is written (the parts of all output
    sheets are held at once, raw they cost ~110 MB at 50.000 Quartiere): deflated once, at the zip
    writer's own level, with its CRC, so that the zip takes the bytes as they are."""

    daten: bytes
    laenge: int
    crc: int = 0

    @classmethod
    def aus(cls, xml: bytes | _Gepackt, gegen: _zp.Gegenpruefung | None = None) -> _Gepackt:
        return xml if isinstance(xml, _Gepackt) else cls.strom((xml,), gegen)

    @classmethod
    def strom(cls, stuecke: Any, gegen: _zp.Gegenpruefung | None = None) -> _Gepackt:
        """Deflate the pieces as they come (a sheet's rows while they are rendered). From the
        second piece on, a second thread deflates while this one renders the next rows (zlib
        works without the interpreter lock): on two cores the deflating costs no time. ``gegen``:
        every piece also goes to the second process that decodes the cells."""
        packer = _Packer(gegen)
        stuecke = _gesammelt(stuecke, 1 << 20)  # few hand-overs between the threads
        erstes = next(stuecke, None)
        zweites = next(stuecke, None)
        if erstes is None or zweites is None:  # a small part: no thread
            return packer.fertig(erstes)
        from concurrent.futures import ThreadPoolExecutor  # only for parts of more than one piece

        with ThreadPoolExecutor(1, thread_name_prefix="sozbudget-zip") as helfer:
            offen = [helfer.submit(packer.packe, erstes), helfer.submit(packer.packe, zweites)]
            for stueck in stuecke:  # in order: one worker thread
                offen.append(helfer.submit(packer.packe, stueck))
                if len(offen) > 4:  # at most a few pieces waiting (memory)
                    offen.pop(0).result()
            for aufgabe in offen:
                aufgabe.result()  # raises what the packer raised
        return packer.fertig(None)

    def stuecke(self) -> Any:
        """The part's bytes in pieces of at most 1 MiB."""
        entpacker = zlib.decompressobj(-15)
        for von in range(0, len(self.daten), 1 << 18):
            stueck = entpacker.decompress(self.daten[von : von + (1 << 18)], 1 << 20)
            while True:
                if stueck:
                    yield stueck
                if not entpacker.unconsumed_tail:
                    break
                stueck = entpacker.decompress(entpacker.unconsumed_tail, 1 << 20)
        if rest := entpacker.flush():
            yield rest


def _gesammelt(stuecke: Any, groesse: int = 1 << 16) -> Any:
    """The pieces joined to about ``groesse`` bytes (a sheet's rows come one by one: one call of
    the packer and of the CRC per row cost more than the work)."""
    sammel: list[bytes] = []
    n = 0
    for stueck in stuecke:
        sammel.append(stueck)
        n += len(stueck)
        if n >= groesse:
            yield b"".join(sammel)
            sammel.clear()
            n = 0
    if sammel:
        yield b"".join(sammel)


class _Packer:
    """Deflates pieces in order (:meth:`packe`, also from one other thread) with length and CRC."""

    def __init__(self, gegen: _zp.Gegenpruefung | None = None) -> None:
        self.packer = zlib.compressobj(_ZIP_STUFE, zlib.DEFLATED, -15)
        self.teile: list[bytes] = []
        self.laenge = 0
        self.crc = 0
        self.gegen = gegen

    def packe(self, stueck: bytes) -> None:
        self.laenge += len(stueck)
        self.crc = zlib.crc32(stueck, self.crc)
        if gepackt := self.packer.compress(stueck):
            self.teile.append(gepackt)
        if self.gegen is not None:  # the very bytes deflated, to the second process (GIL released)
            self.gegen.stueck(stueck)

    def fertig(self, letztes: bytes | None) -> _Gepackt:
        if letztes is not None:
            self.packe(letztes)
        self.teile.append(self.packer.flush())
        return _Gepackt(b"".join(self.teile), self.laenge, self.crc)


#: zipfile's level for ZIP_DEFLATED without ``compresslevel`` (zlib's default, 6)
_ZIP_STUFE = zlib.Z_DEFAULT_COMPRESSION
_ROH_MOEGLICH = hasattr(zipfile.ZipFile, "_writecheck") and hasattr(zipfile.ZipInfo, "FileHeader")


def _roh_schreiben(zout: zipfile.ZipFile, info: zipfile.ZipInfo, roh: bytes, crc: int, laenge: int) -> bool:
    """Put an entry whose data is already compressed (``info.compress_type``) into ``zout`` as it
    is, the way ``ZipFile.open(…, "w")`` writes one (header, data; CRC and sizes known, so no data
    descriptor). ``False`` (nothing written) where that is not possible: ZIP64 sizes, or a Python
    whose zipfile lacks the pieces used."""
    if not _ROH_MOEGLICH or max(len(roh), laenge) >= zipfile.ZIP64_LIMIT or zout.fp is None:
        return False
    info.CRC, info.compress_size, info.file_size = crc, len(roh), laenge
    zout._writecheck(info)  # type: ignore[attr-defined]
    zout._didModify = True  # type: ignore[attr-defined]
    info.header_offset = zout.fp.tell()
    zout.fp.write(info.FileHeader(False))
    zout.fp.write(roh)
    zout.filelist.append(info)
    zout.NameToInfo[info.filename] = info
    zout.start_dir = zout.fp.tell()  # type: ignore[attr-defined]
    return True


def _rohdaten(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    """The compressed bytes of an entry as stored (:func:`schutz.gepackte_bloecke`; STORED or
    DEFLATED, not encrypted), to copy without inflating and deflating again; None where they
    cannot be read so."""
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x1:
        return None
    try:
        return b"".join(schutz.gepackte_bloecke(zf, info, zf.filename or ""))
    except SozbudgetError:
        return None


def _schreibe_teil(zout: zipfile.ZipFile, info: zipfile.ZipInfo, inhalt: bytes | _Gepackt) -> None:
    if isinstance(inhalt, bytes):
        zout.writestr(info, inhalt)
        return
    if _roh_schreiben(zout, info, inhalt.daten, inhalt.crc, inhalt.laenge):
        return
    info.file_size = inhalt.laenge
    with zout.open(info, "w") as ziel:
        for stueck in inhalt.stuecke():
            ziel.write(stueck)


def _kopiere_teil(
    zf: zipfile.ZipFile, zout: zipfile.ZipFile, info: zipfile.ZipInfo, neu_info: zipfile.ZipInfo
) -> None:
    """An unchanged part: its compressed bytes as they are where possible, else inflated and
    deflated again (other compression methods become DEFLATED)."""
    roh = _rohdaten(zf, info) if neu_info.compress_type == info.compress_type else None
    if roh is None or not _roh_schreiben(zout, neu_info, roh, info.CRC, info.file_size):
        zout.writestr(neu_info, zf.read(info))


def _schreibe_zip(zf: zipfile.ZipFile, neue_teile: dict[str, bytes | _Gepackt], entfernt: set[str]) -> bytes:
    """The new package: old parts (replaced where changed, minus removed ones; unchanged ones
    copied without recompressing them), then new parts."""
    ausgabe = _io.BytesIO()
    with zipfile.ZipFile(ausgabe, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zf.infolist():
            if info.filename in entfernt:
                continue
            neu_info = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            neu_info.compress_type = (
                info.compress_type if info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
                else zipfile.ZIP_DEFLATED
            )  # fmt: skip
            neu_info.external_attr = info.external_attr
            inhalt = neue_teile.pop(info.filename, None)
            if inhalt is None:
                _kopiere_teil(zf, zout, info, neu_info)
                continue
            if isinstance(inhalt, _Gepackt) and neu_info.compress_type != zipfile.ZIP_DEFLATED:
                inhalt = b"".join(inhalt.stuecke())  # a STORED part stays STORED
            _schreibe_teil(zout, neu_info, inhalt)
        for teil, inhalt in neue_teile.items():  # new sheets
            neu_info = zipfile.ZipInfo(teil, date_time=time.localtime()[:6])
            neu_info.compress_type = zipfile.ZIP_DEFLATED
            _schreibe_teil(zout, neu_info, inhalt)
    return ausgabe.getvalue()


def _bearbeite_paket(
    daten: bytes,
    name: str,
    ausgaben: Mapping[str, Sequence[Sequence[Any]]],
    zahlenformate: Mapping[Any, str] | None,
    abgeben: Callable[[], Mapping[str, Sequence[Sequence[Any]]]] | None = None,
) -> _Entwurf:
    """Write the output sheets into the package ``daten``: the new bytes and what changed
    (``abgeben``: see :func:`schreibe_ausgaben`)."""
    digest = _paket_digest(daten) if _LAUF.get() is not None else None
    zf = _oeffne_paket(daten, name, digest)
    paket = _Paket(zf, name)
    styles_teil = paket.teil_vom_typ("/styles")
    if styles_teil is None or styles_teil not in paket.namen:
        raise SozbudgetError(
            f"Die Datei „{name}“ hat keine Formatvorlagen (styles.xml) und wird nicht verändert."
        )
    stile = _Stile(zf.read(styles_teil))
    vorab = _vorab_fuer(digest)
    gegen = _gegenpruefung(ausgaben)
    try:
        formate = dict(zahlenformate or {})
        return _packe_neu(zf, paket, name, ausgaben, stile, formate, gegen, vorab, abgeben)
    finally:
        if gegen is not None:
            gegen.beenden()


#: from this many rows of all output sheets a second process decodes the written sheets while the
#: next ones are rendered (:class:`zellpruefung.Gegenpruefung`; its start costs ~20 ms)
_GEGENPRUEFUNG_AB = 20_000


def _gegenpruefung(ausgaben: Mapping[str, Sequence[Sequence[Any]]]) -> _zp.Gegenpruefung | None:
    if sum(len(zeilen) for zeilen in ausgaben.values()) < _GEGENPRUEFUNG_AB:
        return None
    return _zp.Gegenpruefung.starten()


def _packe_neu(
    zf: zipfile.ZipFile, paket: _Paket, name: str, ausgaben: Mapping[str, Sequence[Sequence[Any]]],
    stile: _Stile, formate: dict[Any, str], gegen: _zp.Gegenpruefung | None,
    vorab: Mapping[tuple[str, str], Any] | None = None, abgeben: Any = None,
) -> _Entwurf:  # fmt: skip
    """:func:`_bearbeite_paket` once the styles are read: place the sheets, follow the charts,
    register new sheets, write the zip; with the second process's digests in the expected cells."""
    namen = list(ausgaben)  # handed over (``abgeben``), the sheets leave ``ausgaben`` once written
    p = _platziere_blaetter(zf, paket, name, ausgaben, stile, formate, gegen, vorab, abgeben)
    styles_teil = paket.teil_vom_typ("/styles")
    diagramme = _diagramme_nachfuehren(zf, paket, p.diagramme, vorab)
    p.neue_teile.update(diagramme)
    entfernt: set[str] = set()

    calc_teil = paket.teil_vom_typ("/calcChain")
    if p.calc_weg and calc_teil and calc_teil in paket.namen:
        entfernt.add(calc_teil)
    else:
        calc_teil = None

    neue_namen: list[tuple[Any, ...]] = []
    if p.neue_blaetter or calc_teil:
        neue_namen = _registriere_blaetter(zf, paket, p.neue_blaetter, calc_teil, p.neue_teile, p.druckkopf)
    if stile.geaendert:
        p.neue_teile[styles_teil] = stile.bytes()

    daten_neu = _schreibe_zip(zf, p.neue_teile, entfernt)
    if gegen is not None:  # asked last: meanwhile the second process decoded the last sheets
        ergebnisse = gegen.ergebnisse()
        for soll in p.soll.values():
            if soll.gegen_nummer is not None:
                soll.gegen = ergebnisse[soll.gegen_nummer]
    geaendert = {paket.wb_teil, paket.wb_rels_teil, "[Content_Types].xml", styles_teil}
    geaendert |= {paket.blatt(b).teil for b in namen if paket.blatt(b) is not None}  # type: ignore[union-attr]
    geaendert |= set(diagramme)
    return _Entwurf(daten_neu, geaendert, entfernt, p.soll, p.neu, p.groessen, neue_namen)


# --------------------------------------------------------------------------- verification


def _zellen(ws: Any) -> dict[str, Any]:
    ergebnis = {}
    for (zeile, spalte), zelle in ws._cells.items():
        wert = zelle.value
        if wert is None:
            continue
        if hasattr(wert, "text") and hasattr(wert, "ref"):  # ArrayFormula
            wert = ("array", wert.ref, wert.text)
        elif not isinstance(wert, (str, int, float, bool, dt.date, dt.time, dt.timedelta)):
            wert = repr(vars(wert)) if hasattr(wert, "__dict__") else repr(wert)
        ergebnis[f"{get_column_letter(spalte)}{zeile}"] = (wert, zelle.number_format)
    return ergebnis


def _validierungen(ws: Any) -> list[tuple[Any, ...]]:
    return sorted(
        (
            str(dv.sqref),
            dv.type,
            dv.formula1,
            dv.formula2,
            dv.operator,
            dv.allow_blank,
            dv.showErrorMessage,
            dv.error,
            dv.errorTitle,
            dv.prompt,
            dv.promptTitle,
        )
        for dv in ws.data_validations.dataValidation
    )


def _tabellen(ws: Any) -> list[tuple[Any, ...]]:
    return sorted(
        (
            t.name,
            t.ref,
            tuple(c.name for c in t.tableColumns),
            t.tableStyleInfo.name if t.tableStyleInfo else None,
        )
        for t in ws.tables.values()
    )


def _lade(daten: bytes, vba: bool) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(_io.BytesIO(daten), keep_vba=vba, keep_links=True)


def _stil_abschnitte(xml: bytes) -> dict[str, list[bytes]]:
    root = etree.fromstring(xml, _XML_PARSER)
    return {
        etree.QName(kind).localname: [etree.tostring(k, method="c14n") for k in kind]
        for kind in root
        if isinstance(kind.tag, str)
    }


def _ct_eintraege(zf: zipfile.ZipFile) -> set[tuple[str, str, str]]:
    ct = etree.fromstring(zf.read("[Content_Types].xml"), _XML_PARSER)
    return {
        (etree.QName(e).localname, (e.get("PartName") or e.get("Extension") or "").lstrip("/").lower(),
         e.get("ContentType", ""))
        for e in ct if isinstance(e.tag, str)
    }  # fmt: skip


def _nur_ausgaben_geaendert(
    zo: zipfile.ZipFile, ze: zipfile.ZipFile, paket_o: _Paket, paket_e: _Paket, entwurf: _Entwurf
) -> bool:
    """Whether the result reads every non-output sheet exactly like the original, given that the
    byte and style checks of :func:`_pruefe` passed: the original sheets keep name, id and part;
    the workbook's relationships and content types are kept (parts found through them: shared
    strings, styles …); the 1904 date system is unchanged; and no custom number format id is
    used twice (openpyxl maps number formats by id). Otherwise the full comparison runs."""
    if paket_e.blaetter[: len(paket_o.blaetter)] != paket_o.blaetter:
        return False
    if paket_o.datum1904 != paket_e.datum1904:
        return False
    if any(
        paket_e.rels.get(rid) != rel for rid, rel in paket_o.rels.items() if rel[1] not in entwurf.entfernt
    ):
        return False
    entfernt = {t.lower() for t in entwurf.entfernt}
    if not {e for e in _ct_eintraege(zo) if e[1] not in entfernt} <= _ct_eintraege(ze):
        return False
    styles_teil = paket_e.teil_vom_typ("/styles")
    if styles_teil:
        ids = [
            nf.get("numFmtId")
            for nf in etree.fromstring(ze.read(styles_teil), _XML_PARSER).iter(f"{{{_MAIN}}}numFmt")
        ]
        if len(ids) != len(set(ids)):
            return False
    return True


def _teil_gleich(zo: zipfile.ZipFile, ze: zipfile.ZipFile, teil: str) -> bool:
    """Whether a part reads the same in both packages: the same compressed bytes with the same
    method (copied as they were), else compared piece by piece while both inflate (a big input
    sheet is never held twice)."""
    io_, ie = zo.getinfo(teil), ze.getinfo(teil)
    if io_.compress_type == ie.compress_type and io_.CRC == ie.CRC:
        roh = _rohdaten(zo, io_)
        if roh is not None and roh == _rohdaten(ze, ie):
            return True
    if io_.file_size != ie.file_size:
        return False
    with zo.open(io_) as a, ze.open(ie) as b:
        while True:
            stueck = a.read(1 << 20)
            if stueck != b.read(len(stueck) or 1):
                return False
            if not stueck:
                return True


def _pruefe(original: bytes, ergebnis: bytes, entwurf: _Entwurf, name: str, vba: bool) -> None:
    """Compare original and result; raise VerlustGefahr listing every loss."""
    fehler: list[str] = []
    zo = zipfile.ZipFile(_io.BytesIO(original))
    try:
        ze = zipfile.ZipFile(_io.BytesIO(ergebnis))
        paket_e = _Paket(ze, name)
        # the output sheets are inflated to their end (CRC checked) by _pruefe_ausgaben below
        kaputt = _testzip(ze, {i.teil for b in entwurf.soll if (i := paket_e.blatt(b)) is not None})
    except zipfile.BadZipFile:
        kaputt = "ZIP-Archiv"
    if kaputt:
        raise VerlustGefahr(
            f"Die geschriebene Datei wäre beschädigt ({kaputt}); „{name}“ bleibt unverändert."
        )
    neu_namen = set(ze.namelist())
    paket_o = _Paket(zo, name)
    for teil in zo.namelist():
        if teil in entwurf.entfernt:
            continue
        if teil not in neu_namen:
            fehler.append(f"Bestandteil {teil} fehlt")
        elif teil not in entwurf.geaendert and not _teil_gleich(zo, ze, teil):
            fehler.append(f"Bestandteil {teil} verändert")
    styles_teil = paket_o.teil_vom_typ("/styles")
    if styles_teil:
        alt, neu = _stil_abschnitte(zo.read(styles_teil)), _stil_abschnitte(ze.read(styles_teil))
        for abschnitt, eintraege in alt.items():
            if neu.get(abschnitt, [])[: len(eintraege)] != eintraege:
                fehler.append(f"Formatvorlagen ({abschnitt}) verändert")
    if paket_o.definierte_namen + entwurf.neue_namen != paket_e.definierte_namen:
        fehler.append("definierte Namen verändert")
    if [b.name for b in paket_o.blaetter] != [b.name for b in paket_e.blaetter][: len(paket_o.blaetter)]:
        fehler.append("Blattreihenfolge verändert")
    if not fehler and _nur_ausgaben_geaendert(zo, ze, paket_o, paket_e, entwurf):
        # Every part the other sheets are read from is byte-identical or provably read the same
        # way, so openpyxl's view of them cannot differ: load only the output sheets (read-only
        # mode parses a sheet when it is accessed). Saves two full loads of the workbook.
        fehler.extend(_pruefe_ausgaben(ze, paket_e, entwurf))
    elif not fehler:
        ausgaben_cf = {b.casefold() for b in entwurf.soll}
        wo = _lade(original, vba)
        vorher = {  # one workbook in memory at a time
            ws.title: (_zellen(ws), _validierungen(ws), _tabellen(ws))
            for ws in wo.worksheets
            if ws.title.casefold() not in ausgaben_cf
        }
        del wo
        we = _lade(ergebnis, vba)
        for titel, (zellen, validierungen, tabellen) in vorher.items():
            if titel not in we.sheetnames:
                fehler.append(f"Blatt „{titel}“ fehlt")
                continue
            wn = we[titel]
            if zellen != _zellen(wn):
                fehler.append(f"Werte oder Formeln auf Blatt „{titel}“ verändert")
            if validierungen != _validierungen(wn):
                fehler.append(f"Datenüberprüfungen auf Blatt „{titel}“ verändert")
            if tabellen != _tabellen(wn):
                fehler.append(f"Tabellen auf Blatt „{titel}“ verändert")
        del we
        fehler.extend(_pruefe_ausgaben(ze, paket_e, entwurf))
    if fehler:
        raise VerlustGefahr(
            f"Beim Schreiben von „{name}“ ginge etwas verloren: {'; '.join(fehler[:10])}. "
            "Die Datei bleibt unverändert; die Ergebnisse können in eine eigene Ergebnisdatei "
            "geschrieben werden."
        )


def _testzip(zf: zipfile.ZipFile, ohne: set[str]) -> str | None:
    """``zf.testzip()`` without the members in ``ohne``: the first member that does not inflate to
    its CRC, or None."""
    for info in zf.infolist():
        if info.filename in ohne:
            continue
        try:
            with zf.open(info) as fh:
                while fh.read(1 << 20):
                    pass
        except zipfile.BadZipFile:
            return info.filename
    return None


def _geschriebene_zellen(xml: bytes) -> Any:
    """(reference, value) of every cell with a value in a written sheet part, decoded from the XML
    independently of the writer, in the form of :func:`_kanonisch` (``f`` = a formula, ``?`` = a
    cell type the writer never writes). Rows are dropped once read (the tree never holds them)."""
    f_tag, v_tag, is_tag, t_tag = (f"{{{_MAIN}}}{t}" for t in ("f", "v", "is", "t"))
    for elem in _zellelemente(xml):
        typ = elem.get("t")
        if elem.find(f_tag) is not None:
            wert: str | None = "f"
        elif typ == "inlineStr":
            inhalt = elem.find(is_tag)
            wert = None if inhalt is None else "s" + "".join(t.text or "" for t in inhalt.iter(t_tag))
        else:
            v = elem.findtext(v_tag)
            if not v:
                wert = None
            elif typ in (None, "n"):
                try:
                    wert = "n" + float(v).hex()
                except ValueError:
                    wert = "?" + v
            elif typ == "b" and v in ("0", "1"):
                wert = "b" + v
            else:
                wert = f"?{typ}"
        ref = elem.get("r") or "?"
        elem.clear()
        if wert is not None:
            yield ref, wert


_ZELLE_XML, _ENTITAET_B, _ZELLE_ANFANG = _zp.ZELLE_XML, _zp.ENTITAET_B, _zp.ZELLE_ANFANG
_ENTITAET = _zp.ENTITAET
_ENTITAETEN = _zp.ENTITAETEN


_entitaet = _zp.entitaet


_entitaet_b = _zp.entitaet_b


_expat_leser = _zp.expat_leser


@contextlib.contextmanager
def _als_syntaxfehler() -> Any:
    """expat's error raised as lxml's (``etree.XMLSyntaxError``), so a broken part counts as a
    loss, not as a crash."""
    try:
        yield
    except expat.ExpatError as e:
        zeile, spalte = getattr(e, "lineno", 0), getattr(e, "offset", 0)
        raise etree.XMLSyntaxError(f"nicht wohlgeformt: {e}", None, zeile, spalte) from e


def _wohlgeformt(xml: bytes) -> None:
    """Check that a part is well-formed XML with bound namespace prefixes (:func:`_expat_leser`),
    fed in pieces of 1 MiB (expat copies what it is given: a big part would be held twice)."""
    leser, ansicht = _expat_leser(), memoryview(xml)
    with _als_syntaxfehler():
        for von in range(0, len(xml), 1 << 20):
            leser.Parse(ansicht[von : von + (1 << 20)], False)
        leser.Parse(b"", True)


def _pruefsumme_schnell(xml: bytes) -> bytes | None:
    """The digest of :func:`_pruefe_ausgaben` for a sheet part in the layout :func:`_block` writes,
    decoded with one regular expression while expat checks that the part is well-formed.
    ``None`` when a cell is not in that layout (then the XML parser decodes every cell)."""
    return _pruefsumme_stueckweise((xml,))


def _pruefsumme_stueckweise(stuecke: Any) -> bytes | None:
    """:func:`zellpruefung.pruefsumme_stueckweise`, a broken part raising ``etree.XMLSyntaxError``."""
    with _als_syntaxfehler():
        return _zp.pruefsumme_stueckweise(stuecke)


def _zeilenstuecke(stuecke: Any) -> Iterator[bytes]:
    """:func:`zellpruefung.zeilenstuecke` (pieces of whole rows, expat checking them), a broken part
    raising ``etree.XMLSyntaxError``."""
    with _als_syntaxfehler():
        yield from _zp.zeilenstuecke(stuecke)


_zellen_in_pruefsumme = _zp.zellen_in_pruefsumme


def _pruefe_ausgaben(ze: zipfile.ZipFile, paket_e: _Paket, entwurf: _Entwurf) -> list[str]:
    """Check every output sheet written against the rows it was built from, by decoding its XML
    (no openpyxl): the digest of the decoded cells must equal the one :func:`_block` made while
    rendering (each value converted once). On a difference the cells are compared one by one,
    streaming both sides, to name the first wrong cell."""
    fehler = []
    for blatt, soll in entwurf.soll.items():
        info = paket_e.blatt(blatt)
        if info is None or info.teil not in paket_e.namen:
            fehler.append(f"Ausgabeblatt „{blatt}“ fehlt")
            continue
        if soll.gegen and soll.gegen == soll.pruefsumme:
            # the second process decoded the bytes deflated into this sheet's part: the part must
            # hold exactly those (length and CRC as packed, inflated to its end: CRC checked)
            if not _inflated_wie_gepackt(ze, info.teil, soll):
                fehler.append(f"Ausgabeblatt „{blatt}“ ist beschädigt ({info.teil})")
            continue
        try:
            with ze.open(info.teil) as fh:  # inflated piece by piece (to its end: CRC checked)
                digest = _pruefsumme_stueckweise(iter(lambda fh=fh: fh.read(1 << 20), b""))
        except etree.XMLSyntaxError:
            fehler.append(f"Ausgabeblatt „{blatt}“ ist kein gültiges XML")
            continue
        except zipfile.BadZipFile:
            fehler.append(f"Ausgabeblatt „{blatt}“ ist beschädigt ({info.teil})")
            continue
        if digest is not None and soll.pruefsumme and digest == soll.pruefsumme:
            continue
        xml = ze.read(info.teil)
        if digest is None:
            digest = _pruefsumme_aus(_geschriebene_zellen(xml))
        if not soll.pruefsumme or digest != soll.pruefsumme:
            fehler.extend(_zellfehler(blatt, xml, soll))
    return fehler


def _inflated_wie_gepackt(ze: zipfile.ZipFile, teil: str, soll: _Soll) -> bool:
    """Whether the part holds the bytes packed for the sheet: its header's length and CRC are the
    packer's, and it inflates to them (zipfile checks the CRC at the end)."""
    info = ze.getinfo(teil)
    if (info.CRC, info.file_size) != (soll.crc, soll.laenge):
        return False
    try:
        with ze.open(info) as fh:
            while fh.read(1 << 20):
                pass
    except zipfile.BadZipFile:
        return False
    return True


def _zellfehler(blatt: str, xml: bytes, soll: _Soll) -> list[str]:
    """The cells of an output sheet that do not read back as intended (first difference in order)."""
    fehler = []
    for ist, erwartet in itertools.zip_longest(_geschriebene_zellen(xml), soll.zellen()):
        if ist is None or erwartet is None or ist[0] != erwartet[2]:
            return [f"Ausgabeblatt „{blatt}“ unvollständig"]
        ref, wert = ist
        if wert == "f":
            fehler.append(f"Ausgabeblatt „{blatt}“, Zelle {ref}: Formel statt Text")
        elif wert != _kanonisch(erwartet[3]):
            fehler.append(f"Ausgabeblatt „{blatt}“, Zelle {ref} falsch")
    return fehler or [f"Ausgabeblatt „{blatt}“ nicht wie berechnet"]


# --------------------------------------------------------------------------- atomic file handling
# Temp file, backup, lock and race checks and os.replace live in schutz.atomar_ersetzen (issue 14).


# --------------------------------------------------------------------------- writing


@dataclass
class Schreibbericht:
    """What ``schreibe_ausgaben`` did."""

    pfad: Path  # the file written
    quelle: Path  # the workbook read
    sicherung: Path | None  # backup of the previous version (in place only)
    blaetter: dict[str, tuple[int, int]]  # output sheet -> (rows incl. header, columns)
    neu_angelegt: list[str]
    hinweise: list[str] = field(default_factory=list)


def schreibe_ausgaben(
    pfad: str | os.PathLike[str],
    ausgaben: Mapping[str, Sequence[Sequence[Any]]],
    *,
    ziel: str | os.PathLike[str] | None = None,
    sicherung: bool = True,
    zahlenformate: Mapping[Any, str] | None = None,
    abgeben: Callable[[], Mapping[str, Sequence[Sequence[Any]]]] | None = None,
) -> Schreibbericht:
    """Write only the output sheets ``ausgaben`` (sheet -> rows, first row = header) into the workbook.

    ``ziel=None`` writes in place (atomic, backup when ``sicherung``); otherwise the result goes
    to ``ziel`` and the original is never touched. ``zahlenformate`` maps a column title (or
    ``(sheet, title)``) to an Excel number format and overrides the defaults. ``abgeben``: the
    caller hands the sheets over — each is removed from ``ausgaben`` (a dict) once written, so a
    big workbook's rows are not all held while the package is assembled and checked; where a
    wrong cell is to be named, ``abgeben()`` builds the sheets anew. Raises :class:`VerlustGefahr`
    when something would be lost (nothing is written then)."""
    # symlinks, read-only files, locks (issue 14): see schutz.schreibpfade
    quelle, ziel_pfad, in_place = schutz.schreibpfade(pfad, ziel)
    daten = _lies_bytes(quelle)
    vorher = schutz.stand(quelle, daten)
    ziel_vorher = vorher if in_place else schutz.stand(ziel_pfad)
    entwurf = _bearbeite_paket(daten, quelle.name, ausgaben, zahlenformate, abgeben)
    vba = "xl/vbaProject.bin" in zipfile.ZipFile(_io.BytesIO(daten)).namelist()
    _pruefe(daten, entwurf.daten, entwurf, quelle.name, vba)
    gesichert = schutz.atomar_ersetzen(  # identity + hash checked right before os.replace
        schutz.Ersetzen(ziel_pfad, entwurf.daten, ziel_vorher, sicherung, SICHERUNGSORDNER,
                        SICHERUNGEN_BEHALTEN, alt_daten=daten if in_place else None, pause_env=_PAUSE_ENV)
    )  # fmt: skip
    hinweise = []
    if entwurf.entfernt:
        hinweise.append("Berechnungskette (calcChain) entfernt; Excel legt sie beim Öffnen neu an.")
    return Schreibbericht(ziel_pfad, quelle, gesichert, entwurf.blaetter, entwurf.neu, hinweise)


def schreibe_ergebnisdatei(
    pfad_ziel: str | os.PathLike[str],
    ausgaben: Mapping[str, Sequence[Sequence[Any]]],
    *,
    zahlenformate: Mapping[Any, str] | None = None,
) -> Schreibbericht:
    """Write a new workbook that holds only the output sheets (e.g. ``ergebnisdatei(pfad)``)."""
    ziel = schutz.zielpfad(pfad_ziel)  # never through a symlink
    if not ausgaben:
        raise SozbudgetError("keine Ausgaben zum Schreiben")
    if not ziel.parent.is_dir():
        raise SozbudgetError(f"Der Zielordner „{ziel.parent}“ existiert nicht.")
    _pruefe_sperre(ziel)
    wb = openpyxl.Workbook()
    erstes = next(iter(ausgaben))
    _pruefe_blattname(erstes)
    wb.active.title = erstes
    leer = _io.BytesIO()
    wb.save(leer)
    entwurf = _bearbeite_paket(leer.getvalue(), ziel.name, ausgaben, zahlenformate)
    ze = zipfile.ZipFile(_io.BytesIO(entwurf.daten))
    fehler = _pruefe_ausgaben(ze, _Paket(ze, ziel.name), entwurf)
    if fehler:
        raise SozbudgetError(f"Die Ergebnisdatei „{ziel.name}“ wäre fehlerhaft: {'; '.join(fehler[:10])}.")
    schutz.pruefe_beschreibbar(ziel)
    gesichert = schutz.atomar_ersetzen(  # an existing file of that name is backed up first
        schutz.Ersetzen(ziel, entwurf.daten, schutz.stand(ziel), True, SICHERUNGSORDNER, SICHERUNGEN_BEHALTEN)
    )
    return Schreibbericht(ziel, ziel, gesichert, entwurf.blaetter, list(ausgaben), [])
