"""Decoding sheet parts in the writer's layout (standard library only).

:mod:`.io` checks every output sheet it writes: the digest of the cells decoded from the XML must
equal the one made from the values while rendering (:class:`Pruefsumme`). It also reads old output
sheets it wrote before: their chart block (:func:`diagrammzeilen_gestreamt`) and the part without
its rows (:func:`ohne_zeilen_gestreamt`). All of that is done here, in the writing process, or —
for a big workbook — by a second process (:class:`Gegenpruefung`): started while the workbook is
read, it works on the old sheets while the model runs; another one decodes each written sheet from
the very bytes that are deflated, while the next sheet is rendered — its rows shown well-formed
without a parser (:func:`pruefsumme_ohne_parser`; where that fails, the writer parses the part).
This file is that process's script, so it imports nothing but the standard library (and only what
it needs). On two cores the work costs the writer almost no time.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import os
import re
import struct
import sys
from array import array
from xml.parsers import expat

# The process that reads the written sheets back imports no more than it needs (its memory counts
# beside the writer's): what only the writer's side or the jobs use is imported where it is used.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import subprocess
    from collections.abc import Callable, Iterable, Iterator, Sequence
    from typing import Any, BinaryIO

#: a cell as io's renderer writes it: (reference, then per kind a marker and the value: number,
#: text, boolean); a marker is non-empty exactly for its kind
ZELLE_XML = re.compile(
    rb'<c r="([A-Z]{1,3}[0-9]{1,7})"(?: s="[0-9]{1,9}")?'
    rb'(?:(>)<v>([^<]*)</v>|( )t="inlineStr"><is><t(?: xml:space="preserve")?>([^<]*)</t></is>'
    rb'|( )t="b"><v>([01])</v>)</c>'
)
ENTITAET_B = re.compile(rb"&(?:#([0-9]{1,7})|#x([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));")
ENTITAETEN = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
#: the start of a cell element, with or without a namespace prefix
ZELLE_ANFANG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")


def entitaet_b(m: re.Match[bytes]) -> bytes:
    if m[3]:
        return ENTITAETEN[m[3].decode()].encode()
    return chr(int(m[1]) if m[1] else int(m[2], 16)).encode()


class Pruefsumme:
    """Digest of a sheet's cells in row-major order, made while rendering and again from the
    written XML. Seven streams, so that the decoding side can feed whole pieces at C speed (a
    regular expression, ``zip``, ``compress``, ``join``, ``float``) instead of one Python step per
    cell: every reference in order; the references and values of the numbers (as IEEE doubles:
    numbers compare by value), of the texts (unescaped, UTF-8) and of the booleans; and anything
    else (a formula, a cell type the writer never writes), which makes the digests differ.
    References plus per-kind references fix each cell's kind, position and order; each stream is
    its items, each followed by U+001F (not allowed in XML)."""

    __slots__ = ("_h",)
    REFS, ZREFS, ZAHLEN, TREFS, TEXTE, BREFS, BOOLS, ANDERE = range(8)

    def __init__(self) -> None:
        self._h = [hashlib.blake2b(digest_size=32) for _ in range(8)]

    def strom(self, i: int, teile: Sequence[str] | Sequence[bytes]) -> None:
        if teile:
            if isinstance(teile[0], bytes):
                verbunden = b"\x1f".join(teile)  # type: ignore[arg-type]
            else:
                verbunden = "\x1f".join(teile).encode()  # type: ignore[arg-type]
            self._h[i].update(verbunden + b"\x1f")

    def verbunden(self, i: int, verbunden: bytes) -> None:
        """Items already joined with U+001F (at least one item)."""
        self._h[i].update(verbunden + b"\x1f")

    def zahlen(self, werte: array) -> None:
        self._h[self.ZAHLEN].update(werte.tobytes())

    def digest(self) -> bytes:
        return hashlib.blake2b(b"".join(h.digest() for h in self._h), digest_size=32).digest()


def _ohne_dtd(*_: Any) -> None:
    raise expat.ExpatError("DOCTYPE in einem geschriebenen Blatt")


def expat_leser() -> Any:
    """An expat parser without element handlers (C speed, nothing kept) that checks namespace
    prefixes and refuses a DOCTYPE (raising ``expat.ExpatError``)."""
    leser = expat.ParserCreate(namespace_separator=" ")
    leser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    leser.StartDoctypeDeclHandler = _ohne_dtd
    return leser


def anzahl(muster: re.Pattern[bytes], xml: bytes) -> int:
    """How often ``muster`` matches in a sheet part, counted by the regular expression engine in
    pieces of about 1 MiB that end before a ``<row`` (no cell spans two pieces), so neither a
    Python step per match nor a list of all matches of a big sheet is needed."""
    gezaehlt, von = 0, 0
    while von < len(xml):
        bis = xml.find(b"<row", von + (1 << 20))
        bis = len(xml) if bis == -1 else bis
        gezaehlt += len(muster.findall(xml, von, bis))
        von = bis
    return gezaehlt


def zellanfaenge(xml: bytes) -> int:
    """``anzahl(ZELLE_ANFANG, xml)``: when every ``<c`` is followed by a blank or starts ``<col``
    (``<cols>``, ``<col …/>``, ``<colBreaks>``: no cell) and no ``:c`` is there (no prefix),
    ``bytes.count`` gives the same number; otherwise the expression counts."""
    einfach = xml.count(b"<c ")
    andere = xml.count(b"<c") - einfach
    if (andere == 0 or andere == xml.count(b"<col")) and b":c" not in xml:
        return einfach
    return anzahl(ZELLE_ANFANG, xml)


def zeilenstuecke(stuecke: Iterable[bytes]) -> Iterator[bytes]:
    """The pieces of a part as they come, each cut after its last complete row (the rest goes
    with the next piece; the last one holds the part's end), every piece fed to expat first:
    raises ``expat.ExpatError`` unless the part is well-formed (:func:`expat_leser`)."""
    leser = expat_leser()

    def geprueft() -> Iterator[bytes]:
        for stueck in stuecke:
            leser.Parse(stueck, False)
            yield stueck
        leser.Parse(b"", True)

    yield from _nach_zeilen(geprueft())


def _nach_zeilen(stuecke: Iterable[bytes]) -> Iterator[bytes]:
    """The pieces as they come, each cut after its last complete row (the rest goes with the next
    piece; a piece without a complete row waits for the next); last what follows the last row
    (holds no ``</row>``; ``b""`` when nothing does)."""
    rest = b""
    for stueck in stuecke:
        puffer = rest + stueck
        schnitt = puffer.rfind(b"</row>") + 6
        if schnitt < 6:  # no complete row yet
            rest = puffer
            continue
        yield puffer[:schnitt]
        rest = puffer[schnitt:]
    yield rest


def zellen_in_pruefsumme(xml: bytes, pruef: Pruefsumme) -> int | None:
    """Decode the cells of a piece of a part (whole rows) into the digest; returns how many cells
    matched, ``None`` when a value is not in the writer's layout. Each step handles the whole
    piece at once (see :class:`Pruefsumme`): no Python step per cell."""
    gefunden = ZELLE_XML.findall(xml)
    if not gefunden:
        return 0
    flach = list(itertools.chain.from_iterable(gefunden))  # 3× faster than zip(*gefunden)
    if not _einspeisen(pruef, *(flach[i::7] for i in range(7))):
        return None
    return len(gefunden)


def _einspeisen(
    pruef: Pruefsumme, refs: list[bytes], zm: list[bytes], zv: list[bytes], tm: list[bytes],
    tv: list[bytes], bm: list[bytes], bv: list[bytes],
) -> bool:  # fmt: skip
    """Feed decoded cells into the digest (per cell its reference, and per kind a marker and the
    value, as :data:`ZELLE_XML` groups them); ``False`` (nothing fed) when a value is not in the
    writer's layout."""
    texte = list(itertools.compress(tv, tm))
    verbunden = b"\x1f".join(texte)
    if b"\r" in verbunden:
        return False  # a parser would normalise a raw CR
    try:
        zahlen = array("d", map(float, itertools.compress(zv, zm)))
    except ValueError:
        return False  # an empty or unreadable <v>
    pruef.strom(pruef.REFS, refs)
    pruef.strom(pruef.ZREFS, list(itertools.compress(refs, zm)))
    pruef.zahlen(zahlen)
    pruef.strom(pruef.TREFS, list(itertools.compress(refs, tm)))
    if texte:
        if b"&" in verbunden:
            verbunden = ENTITAET_B.sub(entitaet_b, verbunden)
        pruef.verbunden(pruef.TEXTE, verbunden)
    pruef.strom(pruef.BREFS, list(itertools.compress(refs, bm)))
    pruef.strom(pruef.BOOLS, list(itertools.compress(bv, bm)))
    return True


def pruefsumme_stueckweise(stuecke: Iterable[bytes]) -> bytes | None:
    """The digest of a sheet part in the layout io's renderer writes, given in pieces of any size
    (as it inflates or as it is rendered): the cells are decoded up to the last complete row of
    what has come, so a big sheet is never held whole. ``None`` when a cell is not in that layout.
    Raises ``expat.ExpatError`` unless the part is well-formed — checked to its end also when a
    cell outside the layout already decided the answer None."""
    pruef = Pruefsumme()
    zellen, anfaenge, im_layout = 0, 0, True
    for teil in zeilenstuecke(stuecke):
        for stueck in _zeilenweise(teil) if im_layout else ():
            gezaehlt = zellen_in_pruefsumme(stueck, pruef)
            if gezaehlt is None:
                im_layout = False  # the rest is only checked for well-formedness
                break
            zellen, anfaenge = zellen + gezaehlt, anfaenge + zellanfaenge(stueck)
    return pruef.digest() if im_layout and zellen == anfaenge else None


# --------------------------------------------------------------------------- rows without a parser
# The second process checks each written sheet without parsing its rows (expat took a third of
# its time): the bytes between ``<sheetData>`` and ``</sheetData>`` are shown to be well-formed
# content by accounting for every ``<`` in them, the rest of the part goes through expat.


def ohne_rueckschritt(muster: bytes, zelle: bytes = b"") -> bytes:
    """``muster`` with its repetitions possessive (``*+``) and each ``zelle`` in it an atomic
    group, where a given-back character could never let the rest match (each repeated class is
    followed by a character outside it; a cell ends with ``>`` and what follows it starts with
    ``<``, a blank or the end): the same matches with less backtracking (the rows of an input
    sheet ≈ 25 % faster, issue 15). The tests compare both on random rows."""
    if zelle:
        muster = muster.replace(zelle, b"(?>" + zelle + b")")
    for teil in (rb"\s*", rb"[^<]*", rb"[^\"<&]*", rb"[^'<&]*", rb"[^>]*", rb")*"):
        muster = muster.replace(teil, teil + b"+")
    return muster


#: a cell of :data:`ZELLE_XML` (groups 1–7) and the row tags right after it (group 8: a row's end
#: and the next rows' starts, loosely: :data:`ZEILENFOLGE` checks them); the expression keeps the
#: cell's literal start, so that the engine looks for ``<c r="`` at C speed as for the cell alone
ZELLE_MIT_ZEILEN_FORM = ZELLE_XML.pattern + rb"(</row>(?:<row[^>]*>)*)?"
ZELLE_MIT_ZEILEN = re.compile(ohne_rueckschritt(ZELLE_MIT_ZEILEN_FORM))
#: the row tags of whole rows as the writer writes them, in order: each row opened and closed (or
#: empty), none nested
ZEILENFOLGE = re.compile(
    rb'(?:<row r="[0-9]{1,7}"(?: ht="[0-9.e+-]{1,24}" customHeight="1")?(?:></row>|/>))*'
)
#: the bytes below U+0020 that XML 1.0 does not allow (tab, line feed and carriage return it does)
STEUERZEICHEN = bytes(range(9)) + b"\x0b\x0c" + bytes(range(14, 32))


def zeilen_ohne_parser(xml: bytes, pruef: Pruefsumme) -> bool:
    """Decode a piece of whole rows into the digest as :func:`zellen_in_pruefsumme` does, and show
    that the piece is well-formed element content without parsing it; ``False`` (the digest then
    is of no use) when that cannot be shown or a value is not in the writer's layout. Shown so:
    the row tags before the first cell and after each cell (:data:`ZELLE_MIT_ZEILEN`), in order,
    open and close whole rows (:data:`ZEILENFOLGE`); every ``<`` of the piece lies in a cell
    match (balanced: a number or boolean cell holds 4, a text cell 6) or in one of those tags
    (the count of ``<`` is the sum); the characters are allowed (:func:`zeichen_erlaubt`)."""
    gefunden = ZELLE_MIT_ZEILEN.findall(xml)
    flach = list(itertools.chain.from_iterable(gefunden))
    erste = xml.find(b'<c r="')
    zeilentags = (xml if erste == -1 else xml[:erste]) + b"".join(flach[7::8])
    refs, tm = flach[0::8], flach[3::8]
    if xml.count(b"<") != 4 * len(refs) + 2 * (len(tm) - tm.count(b"")) + zeilentags.count(b"<"):
        return False
    if not ZEILENFOLGE.fullmatch(zeilentags) or not zeichen_erlaubt(xml):
        return False
    return _einspeisen(pruef, refs, flach[1::8], flach[2::8], tm, flach[4::8], flach[5::8], flach[6::8])


def zeichen_erlaubt(xml: bytes) -> bool:
    """Whether a piece of character data and tags (cut where no character is split) is UTF-8 of
    characters XML 1.0 allows, holds no ``]]>`` and only well-formed references (``&amp;`` and the
    other four, ``&#…;`` of an allowed character)."""
    # one-byte searches (memchr speed) first: "]" and the byte BF are rare in a sheet's rows
    if len(xml.translate(None, STEUERZEICHEN)) != len(xml) or (b"]" in xml and b"]]>" in xml):
        return False
    if not xml.isascii():
        try:
            xml.decode("utf-8")  # refuses surrogates and what lies beyond U+10FFFF
        except UnicodeDecodeError:
            return False
        if b"\xbf" in xml and (b"\xef\xbf\xbe" in xml or b"\xef\xbf\xbf" in xml):  # U+FFFE, U+FFFF
            return False
    if b"&" not in xml:
        return True
    bezuege = ENTITAET_B.findall(xml)
    if len(bezuege) != xml.count(b"&"):  # an ``&`` that starts no reference
        return False
    return all(_zeichen_erlaubt(int(d) if d else int(h, 16)) for d, h, _ in bezuege if d or h)


def _zeichen_erlaubt(code: int) -> bool:
    """Whether XML 1.0 allows the character (its production ``Char``)."""
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def pruefsumme_ohne_parser(stuecke: Iterable[bytes]) -> bytes | None:
    """:func:`pruefsumme_stueckweise` without parsing the rows: the part up to ``<sheetData>`` and
    from ``</sheetData>`` on goes through expat (raising ``expat.ExpatError`` unless well-formed,
    as there), the rows between are shown well-formed by :func:`zeilen_ohne_parser`. The digest
    only where that succeeded: ``None`` for anything else (another layout, a prefix, a comment
    before ``<sheetData>``, anything but rows before ``</sheetData>``) — the caller then parses the
    part. Every piece is taken (also when the answer is known early)."""
    quelle = iter(stuecke)
    try:
        return _ohne_parser(quelle)
    finally:
        for _ in quelle:  # the rest of the sheet
            pass


def _ohne_parser(quelle: Iterator[bytes]) -> bytes | None:
    kopf = b""
    for stueck in quelle:
        kopf += stueck
        if (m := SHEETDATA_START.search(kopf)) is not None:
            break
        if len(kopf) > KOPF_HOECHSTENS:
            return None
    else:
        return None
    vor = kopf[: m.start()]
    if m.group(1) or m.group(2) or not _vorspann_schlicht(vor) or zellanfaenge(vor):
        return None  # a cell outside <sheetData> (the parsed digest counts it): left to the parser
    leser = expat_leser()
    leser.Parse(kopf[: m.end()], False)
    pruef, rest = Pruefsumme(), kopf[m.end() :]
    del kopf
    for teil in _nach_zeilen(itertools.chain((rest,), quelle)):  # first the rows that came with the head
        if not teil.endswith(b"</row>"):
            rest = teil  # the last: what follows the last row
            break
        for stueck in _zeilenweise(teil):
            if not zeilen_ohne_parser(stueck, pruef):
                return None
    ende = rest.find(b"</sheetData>")  # after the last row's end: empty rows, then the end tag
    if ende == -1 or (ende and not zeilen_ohne_parser(rest[:ende], pruef)) or zellanfaenge(rest[ende:]):
        return None
    leser.Parse(rest[ende:], True)
    return pruef.digest()


def _vorspann_schlicht(vor: bytes) -> bool:
    """Whether the bytes before ``<sheetData`` hold nothing in which that tag could stand without
    being one (:func:`ohne_sonderteile`: a comment, CDATA, a processing instruction — but an XML
    declaration at the start, after a UTF-8 byte order mark if any) and declare no other encoding
    than UTF-8."""
    ohne_bom = vor.removeprefix(b"\xef\xbb\xbf")
    return ohne_sonderteile(ohne_bom, ohne_bom.startswith(b"<?xml ")) and not andere_kodierung(ohne_bom)


#: bytes of whole rows decoded at once: the matches of a piece of 1 MiB as Python objects take
#: ~10 MB, of 256 KiB a quarter (the pieces of a part come in any size)
_DEKODIERT_JE = 1 << 18


def _zeilenweise(teil: bytes) -> Iterator[bytes]:
    """``teil`` (whole rows) in pieces of about :data:`_DEKODIERT_JE` bytes, each cut after a row."""
    von = 0
    while len(teil) - von > _DEKODIERT_JE:
        bis = teil.find(b"</row>", von + _DEKODIERT_JE)
        if bis == -1:
            break
        yield teil[von : bis + 6]
        von = bis + 6
    if von < len(teil):
        yield teil[von:] if von else teil


# --------------------------------------------------------------------------- old output sheets
# Reading the parts the writer wrote earlier (old output sheets) without a parser per cell.

FORMEL_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
ENTITAET = re.compile(r"&(?:#([0-9]{1,7})|#x([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));")
ZELLE_ROH = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]{1,7})"(?: s="([0-9]{1,9})")?'
    rb'(?:(?:( t="b")| t="n")?><v>([^<]*)</v>'
    rb'| t="inlineStr">(?:<is><t(?: xml:space="preserve")?>([^<]*)</t></is>)?)</c>'
)  # t="n" (a number, as openpyxl writes it) reads like no type; an empty inline string has no <is>
#: :data:`ZELLE_ROH` without groups, for counting (:func:`anzahl`)
ZELLE_ROH_GANZ = re.compile(re.sub(rb"\((?!\?)", b"(?:", ZELLE_ROH.pattern))
#: what could hide a text of column A from a byte search (shared or formula strings, rich text,
#: character references, comments, CDATA, PIs, CR): then the sheet is read cell by cell
VERDECKT = (b' t="s"', b' t="str"', b"<r>", b"<r ", b"<rPh", b"&#", b"<!--", b"<![CDATA[", b"\r")
ZEILENNUMMER = re.compile(rb'<row r="([0-9]{1,7})"')


def leer(wert: Any) -> bool:
    return wert is None or (isinstance(wert, str) and not wert.strip())


def entitaet(m: re.Match[str]) -> str:
    if m[3]:
        return ENTITAETEN[m[3]]
    return chr(int(m[1]) if m[1] else int(m[2], 16))


def hat_formel(xml: bytes | bytearray, von: int = 0, bis: int | None = None) -> bool:
    """Whether :data:`FORMEL_ELEMENT` occurs in ``xml[von:bis]``; the expression (a scan from
    every ``<``) runs only where ``<f`` or ``:f`` is there at all (two byte searches)."""
    bis = len(xml) if bis is None else bis
    if xml.find(b"<f", von, bis) == -1 and xml.find(b":f", von, bis) == -1:
        return False
    return FORMEL_ELEMENT.search(xml, von, bis) is not None


@functools.lru_cache(maxsize=8)
def zelle_roh_in(spalten: frozenset[str]) -> re.Pattern[bytes]:
    """:data:`ZELLE_ROH` for cells of the given columns only: the other cells are skipped by the
    regular expression engine, not by Python (``r="AB1"`` does not match ``A``: a digit must follow)."""
    wahl = b"|".join(re.escape(s.encode()) for s in sorted(spalten) if re.fullmatch("[A-Z]{1,3}", s))
    return re.compile(ZELLE_ROH.pattern.replace(b"([A-Z]{1,3})", b"(" + (wahl or b"(?!)") + b")", 1))


def rohzelle(m: re.Match[bytes]) -> tuple[int, str, str, str | None, str | None]:
    """One cell matched by :data:`ZELLE_ROH` as io's ``_rohzellen`` gives it: (row, column, type,
    stored text, style)."""
    spalte, zeile, stil, b, v, t = m.groups()
    if v is None and t is None:  # <c … t="inlineStr"></c>: an empty inline string (openpyxl)
        wert: str | None = None
    else:
        text = (v if t is None else t).decode()
        wert = ENTITAET.sub(entitaet, text) if "&" in text else text
    art = "inlineStr" if v is None else ("b" if b else "n")
    return int(zeile), spalte.decode(), art, wert, None if stil is None else stil.decode()


class Langsam(Exception):
    """The byte search cannot decide exactly: every cell is read."""


def ohne_sonderteile(xml: bytes, anfang: bool = True) -> bool:
    """No comment, CDATA, processing instruction or CR in a part or a piece of it (``anfang``: the
    piece starts the part, where the XML declaration may stand): there ``<`` stands only at
    markup, and a regular expression reads the part as a parser would."""
    return not (
        b"<!--" in xml or b"<![CDATA[" in xml or xml.find(b"<?", 1 if anfang else 0) != -1 or b"\r" in xml
    )


def andere_kodierung(xml: bytes) -> bool:
    """Whether a part starts with a UTF-16 byte order mark or declares another encoding than UTF-8."""
    return xml.startswith((b"\xff\xfe", b"\xfe\xff")) or KODIERUNG.match(xml) is not None


def im_schreiberlayout(xml: bytes, anfang: bool = True) -> bool:
    """The layout checks of io's ``_schnell_lesbar`` for a part or a piece of whole rows (``anfang``:
    the piece starts the part): :func:`ohne_sonderteile`, and every cell start matched by
    :data:`ZELLE_ROH`."""
    return ohne_sonderteile(xml, anfang) and anzahl(ZELLE_ROH_GANZ, xml) == zellanfaenge(xml)


def als_datum_gelesen(stil: str | None, datumsstile: frozenset[str] | None) -> bool:
    """Whether openpyxl could read a number of this style as a date or duration (when unknown: any
    style but the default one)."""
    if stil is None:
        return False
    if datumsstile is None or not stil.isdigit() or str(int(stil)) != stil:
        return stil != "0"
    return stil in datumsstile


def setze_wert(zeilen: dict[int, list[Any]], z: int, spalte: int, wert: Any) -> None:
    """Cell (row ``z``, 1-based column) of io's ``_blattwerte``: a row is a list up to its last
    value (a list costs a third of a dict per row), a later cell of the same place replaces."""
    zeile = zeilen.get(z)
    if zeile is None:
        zeile = zeilen[z] = []
    if spalte > len(zeile):
        zeile.extend([None] * (spalte - len(zeile)))
    zeile[spalte - 1] = wert


def blattwerte_gestreamt(stuecke: Any, datumsstile: frozenset[str] | None) -> dict[int, list[Any]] | None:
    """:func:`blattwerte_schnell` of a part given in pieces, whole rows at a time, with the checks
    of io's ``_schnell_lesbar`` made piece by piece; raises :class:`Langsam` where they fail (then
    the part is read cell by cell) and ``expat.ExpatError`` for a broken part."""
    return _zusammen(_blattwerte_je_stueck(stuecke, datumsstile))


def _zusammen(je_stueck: Iterable[dict[int, list[Any]] | None]) -> dict[int, list[Any]] | None:
    """The rows of all pieces as one mapping (:func:`_dazu`); None when a piece was not readable
    alike (the rest is still gone through: it is checked to the end)."""
    zeilen: dict[int, list[Any]] | None = {}
    for stueck in je_stueck:
        if stueck is None:
            zeilen = None
        elif zeilen is not None:
            _dazu(zeilen, stueck)
    return zeilen


def blattwerte_gepickelt(stuecke: Any, datumsstile: frozenset[str] | None) -> list[bytes] | None:
    """:func:`blattwerte_gestreamt` for the job „werte“: the rows of each piece pickled as soon as
    they are read (the process answering never holds the rows of a big sheet, whose memory it would
    keep beside the writer's); :func:`blattwerte_entpickelt` gives the rows again."""
    return _gepickelt(_blattwerte_je_stueck(stuecke, datumsstile))


def _gepickelt(je_stueck: Iterable[dict[int, list[Any]] | None]) -> list[bytes] | None:
    import pickle

    teile: list[bytes] | None = []
    for stueck in je_stueck:
        if stueck is None:
            teile = None
        elif stueck and teile is not None:
            teile.append(pickle.dumps(stueck, protocol=pickle.HIGHEST_PROTOCOL))
    return teile


def blattwerte_entpickelt(teile: Iterable[bytes]) -> dict[int, list[Any]]:
    """The rows of :func:`blattwerte_gepickelt`'s pieces, as :func:`blattwerte_gestreamt` gives them."""
    import pickle

    zeilen: dict[int, list[Any]] = {}
    for teil in teile:
        _dazu(zeilen, pickle.loads(teil))
    return zeilen


def _blattwerte_je_stueck(
    stuecke: Any, datumsstile: frozenset[str] | None
) -> Iterator[dict[int, list[Any]] | None]:
    """The rows of each piece of whole rows (:func:`blattwerte_schnell`, texts shared across the
    pieces), the layout checked piece by piece (raises :class:`Langsam`, and ``expat.ExpatError``
    for a broken part). ``None`` for a piece not readable alike; after it nothing more is decoded,
    the rest of the part is only checked (the caller goes on to the end)."""
    erstes, unlesbar = True, False
    texte: dict[bytes, str] = {}
    for teil in zeilenstuecke(stuecke):
        if not im_schreiberlayout(teil, erstes):
            raise Langsam
        erstes = False
        if not unlesbar:
            zeilen = blattwerte_schnell(teil, datumsstile, texte)
            unlesbar = zeilen is None
            yield zeilen


def _dazu(zeilen: dict[int, list[Any]], neu: dict[int, list[Any]]) -> None:
    """The rows ``neu`` of a later piece into ``zeilen``: the cells of a row met again are set as
    :func:`setze_wert` sets them."""
    for z, zeile in neu.items():
        if z not in zeilen:
            zeilen[z] = zeile
            continue
        for spalte, wert in enumerate(zeile, start=1):
            if wert is not None:
                setze_wert(zeilen, z, spalte, wert)


#: distinct texts per sheet that :func:`blattwerte_schnell` shares (later ones are kept as read)
GETEILTE_TEXTE = 4096


def blattwerte_schnell(
    xml: bytes, datumsstile: frozenset[str] | None, texte: dict[bytes, str] | None = None
) -> dict[int, list[Any]] | None:
    """io's ``_blattwerte`` of a part its ``_schnell_lesbar`` accepted, straight from the regular
    expression's matches (the cells of its ``_rohzellen_schnell``, read by the same rules), sharing
    the texts of ``texte`` (those of earlier pieces)."""
    zeilen: dict[int, list[Any]] = {}
    texte = {} if texte is None else texte
    spalten: dict[bytes, int] = {}
    datum: dict[bytes | None, bool] = {}
    for m in ZELLE_ROH.finditer(xml):
        spalte_b, zeile_b, stil, b, v, t = m.groups()
        if t is not None:  # inline string: a repeated text is one object (Träger, Stand …)
            wert: Any = texte.get(t)
            if wert is None:
                wert = t.decode()
                wert = ENTITAET.sub(entitaet, wert) if "&" in wert else wert
                if "_x" in wert:
                    return None
                if len(texte) < GETEILTE_TEXTE:
                    texte[t] = wert
        elif v is None:  # an empty inline string: no value, as openpyxl reads it
            continue
        elif b"&" in v:  # a character reference in a number or boolean: decoded as text first
            text = ENTITAET.sub(entitaet, v.decode())
            if b:
                if text not in ("0", "1"):
                    return None
                wert = text == "1"
            elif not text:
                continue
            elif als_datum_gelesen(None if stil is None else stil.decode(), datumsstile):
                return None
            else:
                try:
                    wert = float(text) if any(c in text for c in ".eE") else int(text)
                except ValueError:
                    return None
        elif b:
            if v not in (b"0", b"1"):
                return None
            wert = v == b"1"
        elif not v:
            continue
        else:
            if stil not in datum:
                datum[stil] = als_datum_gelesen(None if stil is None else stil.decode(), datumsstile)
            if datum[stil]:
                return None
            try:
                wert = float(v) if b"." in v or b"e" in v or b"E" in v else int(v)
            except ValueError:
                return None
        z = int(zeile_b)
        if not z:
            return None
        spalte = spalten.get(spalte_b)
        if spalte is None:
            spalte = spalten[spalte_b] = spaltennummer(spalte_b)
        setze_wert(zeilen, z, spalte, wert)
    return zeilen


#: a cell in one of the shapes Excel, LibreOffice, openpyxl and io's writer save an input cell in
#: (no formula): reference, style, type; empty, a ``<v>`` or a plain inline string
ZELLE_FORM = (
    rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"(?: s="([0-9]{1,9})")?(?: t="([A-Za-z]{1,9})")?'
    rb'(?:/>|></c>|><v>([^<]*)</v></c>|><is><t(?: xml:space="preserve")?>([^<]*)</t></is></c>)'
)
#: :data:`ZELLE_FORM` without groups (a cell within a row of :data:`ZEILE_EINGABE`)
_ZELLE_OHNE_GRUPPEN = re.sub(rb"\((?!\?)", b"(?:", ZELLE_FORM)
#: :data:`ZEILE_EINGABE` as written (the test's reference)
ZEILE_EINGABE_FORM = (
    rb"\s*<row((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:\"[^\"<&]*\"|'[^'<&]*'))*)\s*"
    rb"(?:/>|>((?:\s*" + _ZELLE_OHNE_GRUPPEN + rb")*)\s*</row>)"
)
#: one ``<row>`` whose children are all cells of :data:`ZELLE_FORM` (attribute values without
#: ``&`` or ``<``); group 1 the attributes, group 2 the cells
ZEILE_EINGABE = re.compile(ohne_rueckschritt(ZEILE_EINGABE_FORM, _ZELLE_OHNE_GRUPPEN))
#: an XML declaration naming another encoding than UTF-8
KODIERUNG = re.compile(rb"^<\?xml[^>]*encoding=[\"'](?!utf-8[\"'])", re.IGNORECASE)
SHEETDATA_START = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?)sheetData\b[^>]*?(/?)>")


#: :data:`ZELLE_FORM` for ``findall`` with a group more for a ``<v>`` (even an empty one) and
#: one for an inline string's ``<is>`` (unmatched groups are b"")
ZELLE_ROHFORM = re.compile(
    ZELLE_FORM.replace(b"><v>([^<]*)</v>", b">(<v>)([^<]*)</v>").replace(
        b"><is><t(?: xml:space", b"><is>(<t)(?: xml:space"
    )
)


@functools.lru_cache(maxsize=8)
def rohform_in(spalten: frozenset[str]) -> re.Pattern[bytes]:
    """:data:`ZELLE_ROHFORM` for the cells of the given columns only (within a row matched by
    :data:`ZEILE_EINGABE` a match can start only where a cell starts: texts hold no ``<``)."""
    wahl = b"|".join(re.escape(s.encode()) for s in sorted(spalten) if re.fullmatch("[A-Z]{1,3}", s))
    return re.compile(ZELLE_ROHFORM.pattern.replace(b"([A-Z]{1,3})", b"(" + (wahl or b"(?!)") + b")", 1))


#: a cell element's start, with or without a namespace prefix
ZELLSTART = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")


def rohzellen_excel(stuecke: Any, nur_spalten: frozenset[str] | None = None) -> list[Any] | None:
    """The cells of io's ``_rohzellen_lxml`` of a part given in pieces, when every row of its
    ``<sheetData>`` is one of :data:`ZEILE_EINGABE` (cells as Excel, LibreOffice and openpyxl
    save them: shared, inline or plain values, no formula), decoded by regular expressions a piece
    at a time (an old output sheet after Excel saved it: shared strings); ``None`` when any part is
    in another shape (no comment, CDATA, PI, CR, other encoding or prefix: as io's ``_zeilenbereich``).
    Raises ``expat.ExpatError`` for a broken part."""
    try:
        return [zelle for zellen in excel_zellen_je_stueck(stuecke, nur_spalten) for zelle in zellen]
    except Langsam:
        return None


def excel_zellen_je_stueck(
    stuecke: Iterable[bytes], nur_spalten: frozenset[str] | None
) -> Iterator[list[Any]]:
    """The cells of :func:`rohzellen_excel` piece by piece (whole rows each). Raises :class:`Langsam`
    for a piece in another shape and, at the end, for a part without a whole ``<sheetData>``;
    ``expat.ExpatError`` for a broken part."""
    stand = [True, False]  # [before <sheetData>, after </sheetData>]
    for teil in zeilenstuecke(stuecke):
        zellen: list[Any] = []
        if not _rohzellen_stueck(teil, stand, zellen, nur_spalten):
            raise Langsam
        yield zellen
    if stand[0] or not stand[1]:
        raise Langsam


def _rohzellen_stueck(
    teil: bytes, stand: list[bool], zellen: list[Any], nur_spalten: frozenset[str] | None
) -> bool:
    """The cells of one piece of :func:`rohzellen_excel` into ``zellen``; False where the piece is
    not in those shapes."""
    if not ohne_sonderteile(teil, stand[0]):
        return False
    von = 0
    if stand[0]:
        if andere_kodierung(teil):
            return False
        m = SHEETDATA_START.search(teil)
        if m is None or m[1] or m[2] or ZELLSTART.search(teil, 0, m.start()):
            return False  # an empty <sheetData/> (rare) goes to lxml
        von, stand[0] = m.end(), False
    elif stand[1]:
        return b"<row" not in teil and b"sheetData" not in teil and not ZELLSTART.search(teil)
    ende = teil.find(b"</sheetData>", von)
    if ende == -1:
        ende = len(teil)
    else:
        stand[1] = True
        if b"sheetData" in teil[ende + 12 :] or b"<row" in teil[ende:] or ZELLSTART.search(teil, ende):
            return False
    if teil.count(b"sheetData", von, ende):
        return False
    pos = von
    while pos < ende:
        m = ZEILE_EINGABE.match(teil, pos, ende)
        if m is None:
            return not teil[pos:ende].strip()
        if m[2]:
            _rohzellen_zeile(teil, m.start(2), m.end(2), zellen, nur_spalten)
        pos = m.end()
    return True


def _rohzellen_zeile(
    teil: bytes, von: int, bis: int, zellen: list[Any], nur_spalten: frozenset[str] | None
) -> None:
    """The cells of one row (:data:`ZELLE_ROHFORM`) as io's ``_rohzellen_lxml`` gives them."""
    muster = ZELLE_ROHFORM if nur_spalten is None else rohform_in(nur_spalten)
    for buchstaben, z, s, t, ist_v, v, ist_text, text in muster.findall(teil, von, bis):
        spalte = buchstaben.decode()
        typ = t.decode() if t else "n"
        roh = (text if ist_text else None) if typ == "inlineStr" else (v if ist_v else None)
        wert = None if roh is None else roh.decode()
        if wert and "&" in wert:
            wert = ENTITAET.sub(entitaet, wert)
        zellen.append((int(z), spalte, typ, wert, s.decode() if s else None))


#: a shared string as Excel and LibreOffice write a plain one
SI_EINFACH = re.compile(rb'<si><t(?: xml:space="preserve")?>([^<]*)</t></si>')
SST_WURZEL = re.compile(
    rb'(?:<\?xml[^>]*\?>)?\s*<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"[\s/>]'
)


def texte_schnell(xml: bytes) -> list[str] | None:
    """The texts of a shared-strings part in which every ``<si>`` is one plain ``<t>`` (as Excel and
    LibreOffice save texts without formatting), by a regular expression; they read alike with both
    of io's rules (``_texte``, openpyxl's). ``None`` for anything else — rich text, phonetic runs, a
    prefix, another encoding, comment, CDATA, PI, CR, a broken part —: then a parser reads it."""
    if not ohne_sonderteile(xml) or b":si" in xml or andere_kodierung(xml) or not SST_WURZEL.match(xml):
        return None
    roh = SI_EINFACH.findall(xml)
    if len(roh) != xml.count(b"<si"):
        return None
    leser, ansicht = expat_leser(), memoryview(xml)
    try:
        for von in range(0, len(xml), 1 << 20):  # in pieces: expat copies what it is given
            leser.Parse(ansicht[von : von + (1 << 20)], False)
        leser.Parse(b"", True)
    except expat.ExpatError:
        return None
    texte = [t.decode() for t in roh]
    return [ENTITAET.sub(entitaet, t) if "&" in t else t for t in texte]


class Zeilenblock:
    """io's ``_diagrammblock`` over the rows of columns A and B fed in ascending order (values as
    io's ``_spalten_ab`` gives them; a row not fed is empty), keeping only the block's rows: the
    first row whose A starts with the prefix and whose B is empty, its header row, then the rows up
    to the first one after the header without a value in A. Raises :class:`Langsam` for a row
    number not above the one before (then the rows are read as a whole)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.titel = 0  # row of the block's title (0: none yet)
        self.zeilen: dict[int, list[Any]] = {}
        self.zuletzt = 0  # the last row fed
        self.bis = 0  # the block's last row (0: not ended)

    def zeile(self, z: int, a: Any, b: Any) -> None:
        if z <= self.zuletzt:
            raise Langsam
        vorige, self.zuletzt = self.zuletzt, z
        if self.bis:
            return
        if not self.titel:
            if isinstance(a, str) and a.startswith(self.prefix) and leer(b):
                self.titel, self.zeilen = z, {z: [a, b]}
            return
        if z >= self.titel + 2 and (max(vorige + 1, self.titel + 2) < z or leer(a)):
            self.bis = max(self.zeilen)  # a row after the header without a value in A came first
            return
        self.zeilen[z] = [a, b]

    def ergebnis(self) -> list[list[Any]]:
        """The rows up to the block's end, those before its title empty ([] without a title)."""
        if not self.titel:
            return []
        bis = self.bis or max(self.zeilen)
        nichts = [[None, None]] * (self.titel - 1)
        return nichts + [self.zeilen.get(z, [None, None]) for z in range(self.titel, bis + 1)]


def geteilter_text(texte: Sequence[str], index: str) -> str | None:
    """A shared string by the index a cell stores, as io's ``_spalten_ab`` reads it (None: no
    such index)."""
    return texte[int(index)] if index.isdigit() and int(index) < len(texte) else None


def diagrammzeilen_excel(
    stuecke: Iterable[bytes], prefix: str, texte: Sequence[str] | None
) -> list[list[Any]] | None:
    """io's ``_spalten_ab`` of a part in the shapes Excel saves cells in (:func:`rohzellen_excel`),
    as far as its chart block goes (:class:`Zeilenblock`): the cells of columns A and B decoded
    piece by piece, shared strings resolved with ``texte`` (io's ``_geteilte_texte``), nothing but
    the block's rows kept. ``None`` where a part is in another shape, its rows do not ascend, or a
    shared string is met without ``texte``. Raises ``expat.ExpatError`` for a broken part (checked
    to its end, as is every row's shape)."""
    block = Zeilenblock(prefix)
    offen: list[Any] = [0, None, None]  # the row being collected: number, A, B
    try:
        for zellen in excel_zellen_je_stueck(stuecke, frozenset("AB")):
            for z, spalte, typ, wert, _ in zellen:
                if typ == "s" and wert is not None:
                    if texte is None:
                        return None
                    wert = geteilter_text(texte, wert)
                if z != offen[0]:
                    if offen[0]:
                        block.zeile(*offen)
                    offen = [z, None, None]
                offen[1 if spalte == "A" else 2] = wert
        if offen[0]:
            block.zeile(*offen)
    except Langsam:
        return None
    return block.ergebnis()


def texte_im_zip(zf: Any, teil: str, openpyxl: bool = False) -> list[str] | None:
    """The plain shared strings (:func:`texte_schnell`) of the part beside ``teil`` in a job's zip
    (``openpyxl``: as openpyxl reads them, ``x005F_`` removed); None without one or where not plain."""
    andere = [n for n in zf.namelist() if n != teil]
    texte = texte_schnell(zf.read(andere[0])) if andere else None
    return [t.replace("x005F_", "") for t in texte] if openpyxl and texte is not None else texte


def werte_aus_zellen(
    zellen: Iterable[Any], zeilen: dict[int, list[Any]], datumsstile: frozenset[str] | None,
    texte: Sequence[str] | None,
) -> bool:  # fmt: skip
    """The cells (io's ``_rohzellen``) into ``zeilen`` by the rules of io's ``_blattwerte`` (values as
    openpyxl's read-only mode gives them; ``texte``: the shared strings as openpyxl reads them);
    False where a cell cannot be read alike (then the sheet is None). Raises :class:`Langsam` for a
    shared string without ``texte``."""
    for z, spalte, typ, v, stil in zellen:
        if not z:
            return False
        if v is None or (v == "" and typ == "n"):
            continue
        if typ == "n":
            if als_datum_gelesen(stil, datumsstile):
                return False
            try:
                wert: Any = float(v) if any(c in v for c in ".eE") else int(v)
            except ValueError:
                return False
        elif typ in ("s", "inlineStr", "str", "e"):
            if typ == "s":
                if texte is None:
                    raise Langsam
                if not v.isdigit() or int(v) >= len(texte):
                    return False
                v = texte[int(v)]
            if "_x" in v:
                return False
            wert = v
        elif typ == "b" and v in ("0", "1"):
            wert = v == "1"
        else:
            return False
        setze_wert(zeilen, z, spaltennummer(spalte.encode()), wert)
    return True


def blattwerte_excel(
    stuecke: Iterable[bytes], datumsstile: frozenset[str] | None, texte: Sequence[str] | None
) -> dict[int, list[Any]] | None:
    """:func:`blattwerte_excel_je_stueck` as one mapping of rows (None: not readable alike)."""
    return _zusammen(blattwerte_excel_je_stueck(stuecke, datumsstile, texte))


def blattwerte_excel_je_stueck(
    stuecke: Iterable[bytes], datumsstile: frozenset[str] | None, texte: Sequence[str] | None
) -> Iterator[dict[int, list[Any]] | None]:
    """The values of each piece of a part in the shapes Excel saves cells in (:func:`rohzellen_excel`)
    by the rules of io's ``_blattwerte`` (:func:`werte_aus_zellen`), as
    :func:`_blattwerte_je_stueck` gives them for the writer's layout: ``None`` for a piece not
    readable alike, after which the rest is only checked. Raises :class:`Langsam` for a part in
    another shape or a shared string without ``texte``, ``expat.ExpatError`` for a broken part."""
    unlesbar = False
    for zellen in excel_zellen_je_stueck(stuecke, None):
        if not unlesbar:
            zeilen: dict[int, list[Any]] = {}
            unlesbar = not werte_aus_zellen(zellen, zeilen, datumsstile, texte)
            yield None if unlesbar else zeilen


def spaltennummer(buchstaben: bytes) -> int:
    """The 1-based number of a column given by its letters (``b"A"`` → 1, ``b"AA"`` → 27)."""
    n = 0
    for c in buchstaben:
        n = n * 26 + c - 64
    return n


def diagrammzeilen_gestreamt(stuecke: Iterable[bytes], prefix: str) -> list[list[Any]] | None:
    """Columns A/B of a sheet part (io's ``_spalten_ab``) up to the end of the first chart block
    (title starting ``prefix``) only, found by a byte search for its title instead of decoding
    every cell (rows before the title are empty; the block's rows and the row after it are decoded
    as io's ``_rohzellen`` does), read piece by piece as the part inflates (whole rows at a time).
    ``None`` where a title could be hidden from the search (:data:`VERDECKT`), sits in a cell of
    another layout, or the rows are out of order: then every cell is read. Raises
    ``expat.ExpatError`` for a broken part."""
    suche, erstes = Blocksuche(prefix), True
    try:
        for teil in zeilenstuecke(stuecke):
            if any(v in teil for v in VERDECKT) or teil.find(b"<?", 1 if erstes else 0) != -1:
                return None
            erstes = False
            suche.weiter(teil)
    except Langsam:
        return None
    return suche.ergebnis()


class Blocksuche:
    """The state of :func:`diagrammzeilen_gestreamt` across pieces of whole rows: looking for the
    title, reading the block (columns A/B) or done."""

    def __init__(self, prefix: str) -> None:
        self.titel_b = prefix.encode()
        self.suche = zelle_roh_in(frozenset("AB"))
        self.titel = 0  # row of the block's title (0: none yet)
        self.zeilen: dict[int, list[Any]] = {}
        self.vorige = 0
        self.fertig = False
        self.letzte_zeile = 0  # the highest row number seen so far (rows must ascend)

    def weiter(self, teil: bytes) -> None:
        nummern = ZEILENNUMMER.findall(teil)
        if len(nummern) != teil.count(b"<row"):
            raise Langsam  # a row without its number, or another form of the row tag
        for n in map(int, nummern):
            if n <= self.letzte_zeile:
                raise Langsam  # rows out of order: the search in document order could differ
            self.letzte_zeile = n
        if self.fertig:
            return
        if self.titel:
            self._block(teil, 0)
            return
        pos = teil.find(self.titel_b)
        while pos != -1 and not self.titel:
            m = ZELLE_ROH.match(teil, max(teil.rfind(b"<c ", 0, pos), 0))
            if m is None or m.end() <= pos:
                raise Langsam  # not in a cell of the writer's layout
            if m[1] == b"A" and m[6] is not None and m[6].startswith(self.titel_b):
                self.titel, self.vorige = int(m[2]), int(m[2])
                self.zeilen = {self.titel: [None, None]}
                if not self._block(teil, m.start()):
                    self.titel = 0  # a value in B: no block title, search on
            pos = teil.find(self.titel_b, m.end())

    def _block(self, teil: bytes, von: int) -> bool:
        """Columns A/B from ``von`` on, up to the row after the block (the first row after the
        header without a value in A); False when the title row has a value in B."""
        titel, zeilen = self.titel, self.zeilen
        for m in self.suche.finditer(teil, von):
            z, spalte, _, wert, _ = rohzelle(m)
            if z < self.vorige:
                raise Langsam  # rows out of order
            nach_dem_block = z - 1 > self.vorige or leer(zeilen[self.vorige][0])
            if z > self.vorige and z - 1 >= titel + 2 and nach_dem_block:
                self.fertig = True  # a row after the header without a value in A lies before this one
                return True
            if z == titel and spalte == "B" and not leer(wert):
                return False
            zeilen.setdefault(z, [None, None])["AB".index(spalte)] = wert
            self.vorige = z
        return True

    def ergebnis(self) -> list[list[Any]]:
        if not self.titel:
            return []  # no title anywhere: no block, as reading every cell would find
        nichts = [[None, None]] * (self.titel - 1)
        return nichts + [self.zeilen.get(z, [None, None]) for z in range(self.titel, self.vorige + 1)]


#: the most bytes read before ``<sheetData …>`` when cutting; the window kept across pieces
KOPF_HOECHSTENS, UEBERLAPPUNG = 4 << 20, 4096
NAME_ENDE = re.compile(rb"[\s/>]")


def ohne_zeilen_gestreamt(lesen: Callable[[int], bytes]) -> tuple[bytes, bool] | None:
    """(the part without the bytes between ``<sheetData …>`` and ``</sheetData>``, those bytes held
    a formula), read with ``lesen(n)`` (``lesen(-1)``: the rest) piece by piece: what io's
    ``_ohne_zeilen_geschnitten`` cuts, for a part too big to hold twice. The caller checks the cut
    part with that function (one start and one end tag, nothing else named sheetData). ``None``
    (read the whole part) for an empty ``<sheetData/>``, a comment, CDATA or PI among the rows, or a
    tag name longer than the window kept across pieces (a formula tag could hide in the seam)."""
    kopf = b""
    while (auf := kopf.find(b"sheetData")) == -1 or kopf.find(b">", auf) == -1:
        stueck = lesen(1 << 20)
        if not stueck or len(kopf) > KOPF_HOECHSTENS:
            return None
        kopf += stueck
    ende_auf = kopf.find(b">", auf)
    if kopf[ende_auf - 1 : ende_auf] == b"/":
        return None
    fenster, kopf, formeln = kopf[ende_auf + 1 :], kopf[: ende_auf + 1], False
    while True:
        zu = fenster.find(b"sheetData")
        grenze = len(fenster) if zu == -1 else fenster.rfind(b"<", 0, zu)
        innen = fenster[: max(grenze, 0)]
        if any(marke in innen for marke in (b"<!--", b"<![CDATA[", b"<?")):
            return None
        formeln = formeln or hat_formel(innen)
        if zu != -1:
            return (kopf + fenster[grenze:] + lesen(-1), formeln) if grenze >= 0 else None
        lt = fenster.rfind(b"<")
        if lt != -1 and len(fenster) - lt > UEBERLAPPUNG - 64 and not NAME_ENDE.search(fenster, lt):
            return None
        stueck = lesen(1 << 20)
        if not stueck:
            return None
        fenster = fenster[-UEBERLAPPUNG:] + stueck


# --------------------------------------------------------------------------- the second process
# Frames on its standard input: b"B" a sheet begins, b"D" + length (4 bytes, little endian) + that
# many bytes of the part, b"E" the sheet ends; b"J" + length + a job (pickled: kind, part, chart
# prefix or date styles, a zip holding just that part as stored in the workbook). End of input:
# done. Per sheet it answers one status byte and 32 bytes: b"G" + the digest, b"N" (not in the
# layout) or b"X" (not well-formed) + zeros; per job b"A" + length + the pickled result
# (:data:`KEIN_ERGEBNIS` when it failed: then the writer does the job itself).

_LEER = bytes(32)
#: bytes of a sheet per frame to the process
_RAHMEN = 1 << 18
#: a job's answer when it failed (a plain string, so that it pickles anywhere)
KEIN_ERGEBNIS = "sozbudget:kein-ergebnis"


class _Abbruch(Exception):
    """The input ended inside a sheet or holds an unknown frame."""


def _genau(ein: BinaryIO, n: int) -> bytes:
    daten = ein.read(n)
    if len(daten) != n:
        raise _Abbruch
    return daten


def _frames(ein: BinaryIO) -> Iterator[bytes]:
    """The pieces of one sheet, up to its end frame."""
    while True:
        art = _genau(ein, 1)
        if art == b"E":
            return
        if art != b"D":
            raise _Abbruch
        (laenge,) = struct.unpack("<I", _genau(ein, 4))
        yield _genau(ein, laenge)


def _ein_blatt(ein: BinaryIO) -> bytes:
    quelle = _frames(ein)
    try:
        digest = pruefsumme_ohne_parser(quelle)
    except expat.ExpatError:
        for _ in quelle:  # the rest of the sheet's frames
            pass
        return b"X" + _LEER
    return b"N" + _LEER if digest is None else b"G" + digest


def auftrag_ausfuehren(art: str, teil: str, angabe: Any, paket: bytes) -> Any:
    """A job on an old sheet part (``paket``: a zip holding just that part): ``"schnitt"`` →
    :func:`ohne_zeilen_gestreamt`, ``"diagramm"`` → :func:`diagrammzeilen_gestreamt` (``angabe``:
    the chart prefix), ``"werte"`` → :func:`blattwerte_gepickelt` (``angabe``: the date styles);
    for a part in the shapes Excel saves, :func:`diagrammzeilen_excel` and
    :func:`blattwerte_excel_je_stueck` with the shared strings of the zip's other part, if any."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(paket)) as zf:

        def stuecke() -> Iterator[bytes]:
            with zf.open(teil) as fh:
                yield from iter(lambda: fh.read(1 << 20), b"")

        if art == "schnitt":
            with zf.open(teil) as fh:
                return ohne_zeilen_gestreamt(fh.read)
        if art == "diagramm":
            zeilen = diagrammzeilen_gestreamt(stuecke(), angabe)
            if zeilen is not None:
                return zeilen
            # a sheet Excel saved: its shared strings come along in the zip (when plain texts)
            return diagrammzeilen_excel(stuecke(), angabe, texte_im_zip(zf, teil))
        if art == "werte":
            try:
                return blattwerte_gepickelt(stuecke(), angabe)
            except Langsam:  # a sheet Excel saved: its shared strings come along in the zip
                texte = texte_im_zip(zf, teil, openpyxl=True)
                return _gepickelt(blattwerte_excel_je_stueck(stuecke(), angabe, texte))
    raise ValueError(art)


def _ein_auftrag(ein: BinaryIO, aus: BinaryIO) -> None:
    """Do one job and write its answer (header and result apart: a big result is not copied)."""
    import pickle

    (laenge,) = struct.unpack("<I", _genau(ein, 4))
    daten = _genau(ein, laenge)
    try:
        ergebnis = auftrag_ausfuehren(*pickle.loads(daten))
    except Exception:  # broken XML, a broken zip, anything: the writer does the job itself
        ergebnis = KEIN_ERGEBNIS
    del daten
    antwort = pickle.dumps(ergebnis, protocol=pickle.HIGHEST_PROTOCOL)
    del ergebnis
    aus.write(b"A" + struct.pack("<I", len(antwort)))
    aus.write(antwort)


def _speicher_zurueckgeben() -> None:
    """Give memory freed back to the system (glibc keeps freed large blocks otherwise): this
    process runs beside the writer, whose peak it would add to. Nothing where that is not glibc."""
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError, ImportError, TypeError):  # TypeError: Windows has no CDLL(None)
        pass


def main() -> None:
    """The second process: one answer per sheet and per job, in order, until its input ends."""
    ein, aus = sys.stdin.buffer, sys.stdout.buffer
    try:
        while art := ein.read(1):
            if art == b"B":
                aus.write(_ein_blatt(ein))
            elif art == b"J":
                _ein_auftrag(ein, aus)
                aus.flush()
                _speicher_zurueckgeben()
            else:
                raise _Abbruch
            aus.flush()
    except _Abbruch:
        sys.exit(2)


class Gegenpruefung:
    """The writer's side of the second process. Jobs on old sheet parts (:meth:`auftrag`) and the
    sheets written are sent in order (:meth:`anfang`, :meth:`stueck`, :meth:`ende`; the pieces may
    come from another thread, one sheet at a time); :meth:`auftragsergebnisse` gives the jobs'
    results, :meth:`ergebnisse` each sheet's decoded digest. Any failure (no such process, a broken
    pipe, a wrong answer, a timeout) only means no result: the writer then does the work itself.

    A thread of its own writes to the pipe, with up to :data:`PUFFER` pieces waiting: the writer
    goes on rendering (and then follows the charts and writes the zip) while the process catches
    up; another thread takes the answers as they come."""

    #: frames (≤ 256 KiB each, :data:`_RAHMEN`) waiting for the pipe at most
    PUFFER = 16

    def __init__(self, prozess: subprocess.Popen[bytes]) -> None:
        import queue
        import threading

        self._prozess = prozess
        self._fd = prozess.stdin.fileno()  # type: ignore[union-attr]
        self._kaputt = False
        self.blaetter = 0
        self.auftraege = 0
        self._warteschlange: queue.Queue[tuple[bytes, ...] | None] = queue.Queue(self.PUFFER)
        self._digests: list[bytes | None] = []
        self._antworten: list[bytes] = []
        self._gelesen = False  # the answers have ended (the process closed its output)
        self._geschlossen = False  # the end of the input is queued
        self._bedingung = threading.Condition()
        self._sender = threading.Thread(target=self._senden_bis_ende, name="sozbudget-pruefung", daemon=True)
        self._leser = threading.Thread(target=self._lesen, name="sozbudget-antworten", daemon=True)
        self._sender.start()
        self._leser.start()

    def _senden_bis_ende(self) -> None:
        while (teile := self._warteschlange.get()) is not None:
            self._senden(*teile)
        with contextlib.suppress(OSError, ValueError):
            self._prozess.stdin.close()  # type: ignore[union-attr]  # nothing more: the process ends

    def _lesen(self) -> None:
        aus = self._prozess.stdout
        try:
            while art := aus.read(1):  # type: ignore[union-attr]
                if art in (b"G", b"N", b"X"):
                    rest = aus.read(32)  # type: ignore[union-attr]
                    if len(rest) != 32:
                        break
                    eintrag: tuple[list[Any], Any] = (self._digests, rest if art == b"G" else None)
                elif art == b"A":
                    kopf = aus.read(4)  # type: ignore[union-attr]
                    daten = aus.read(struct.unpack("<I", kopf)[0]) if len(kopf) == 4 else b""
                    if len(kopf) != 4 or len(daten) != struct.unpack("<I", kopf)[0]:
                        break
                    eintrag = (self._antworten, daten)
                else:
                    break
                with self._bedingung:
                    eintrag[0].append(eintrag[1])
                    self._bedingung.notify_all()
                eintrag = daten = None  # type: ignore[assignment]  # not held until the next answer
        except (OSError, ValueError):
            pass
        finally:
            with self._bedingung:
                self._gelesen = True
                self._bedingung.notify_all()

    @classmethod
    def starten(cls) -> Gegenpruefung | None:
        """Start the process with this interpreter (``-S``: this file needs no site packages;
        ``-P``: its folder, which holds a module named io, is not put first on the path);
        None where that is not possible (e.g. an interpreter embedded in another program)."""
        import subprocess

        exe = sys.executable
        if not exe or not os.path.basename(exe).lower().startswith("python") or not os.path.isfile(__file__):
            return None
        try:
            prozess = subprocess.Popen(
                [exe, "-S", "-P", __file__],  # -P: not this folder first on sys.path (io.py!)
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
            )
        except (OSError, ValueError):
            return None
        return cls(prozess)

    def _senden(self, *teile: bytes) -> None:
        if self._kaputt:
            return
        try:
            for teil in teile:
                ansicht = memoryview(teil)
                while ansicht:
                    ansicht = ansicht[os.write(self._fd, ansicht) :]
        except OSError:
            self._kaputt = True

    def anfang(self) -> int:
        """A sheet begins; returns its number (the index of its answer)."""
        self._warteschlange.put((b"B",))
        self.blaetter += 1
        return self.blaetter - 1

    def stueck(self, daten: bytes) -> None:
        """A piece of the sheet, sent in frames of at most :data:`_RAHMEN` bytes (views of it, no
        copies): the process holds little at a time."""
        ansicht = memoryview(daten)
        for von in range(0, len(daten), _RAHMEN):
            teil = ansicht[von : von + _RAHMEN]
            self._warteschlange.put((b"D" + struct.pack("<I", len(teil)), teil))

    def ende(self) -> None:
        self._warteschlange.put((b"E",))

    def _fertig_senden(self, timeout: float) -> None:
        """Let the sender write what waits and end; a process that stops reading is killed (the
        pipe breaks, the sender drops the rest)."""
        if not self._sender.is_alive():
            return
        self.eingabe_schliessen(timeout)
        self._sender.join(timeout)
        if self._sender.is_alive():
            self._kaputt = True
            self._toeten()
            self._warteschlange.put(None)  # there is room: the sender drops what waits
            self._sender.join()

    def _toeten(self) -> None:
        if self._prozess.poll() is None:
            with contextlib.suppress(OSError):
                self._prozess.kill()

    def auftrag(self, art: str, teil: str, angabe: Any, paket: bytes) -> int:
        """Send a job (:func:`auftrag_ausfuehren`); returns its number (the index of its result)."""
        import pickle

        daten = pickle.dumps((art, teil, angabe, paket), protocol=pickle.HIGHEST_PROTOCOL)
        self._warteschlange.put((b"J" + struct.pack("<I", len(daten)), daten))
        self.auftraege += 1
        return self.auftraege - 1

    def auftragsergebnis(self, nummer: int, timeout: float = 120.0) -> Any:
        """The result of job ``nummer`` (:data:`KEIN_ERGEBNIS` where there is none); waits for its
        answer. Each result is given once (its bytes are dropped): a second call gives none."""
        import pickle

        with self._bedingung:
            self._bedingung.wait_for(lambda: len(self._antworten) > nummer or self._gelesen, timeout)
            if nummer >= len(self._antworten):
                return KEIN_ERGEBNIS
            antwort, self._antworten[nummer] = self._antworten[nummer], b""
        try:
            return pickle.loads(antwort)
        except Exception:
            return KEIN_ERGEBNIS

    def auftragsergebnisse(self, timeout: float = 120.0) -> list[Any]:
        """Each job's result not yet taken (:meth:`auftragsergebnis`); waits for the answers."""
        import time

        ende = time.monotonic() + timeout
        return [self.auftragsergebnis(i, max(0.0, ende - time.monotonic())) for i in range(self.auftraege)]

    def eingabe_schliessen(self, timeout: float = 120.0) -> None:
        """Nothing more to send: the sender closes the input after what waits, and the process ends
        once it has answered it all (its answers are still taken). Returns at once."""
        import queue

        if not self._geschlossen:
            with contextlib.suppress(queue.Full):
                self._warteschlange.put(None, timeout=timeout)
                self._geschlossen = True

    def ergebnisse(self, timeout: float = 120.0) -> list[bytes | None]:
        """Each sheet's digest as the process decoded it (None: not in the layout, not
        well-formed, or no answer); ends the process."""
        import subprocess

        self._fertig_senden(timeout)
        self._leser.join(timeout)
        try:
            self._prozess.wait(timeout)
        except subprocess.TimeoutExpired:
            self.beenden()
            return [None] * self.blaetter
        with self._bedingung:
            digests = list(self._digests)
        if (
            self._kaputt
            or self._leser.is_alive()
            or self._prozess.returncode != 0
            or len(digests) != self.blaetter
        ):
            return [None] * self.blaetter
        return digests

    def beenden(self) -> None:
        """Stop the process (when the writing failed half-way; after :meth:`ergebnisse` it has
        ended already) and the threads talking to it."""
        import subprocess

        self._kaputt = True  # the sender drops what still waits
        self._toeten()
        self._fertig_senden(10.0)
        with contextlib.suppress(OSError, subprocess.TimeoutExpired, ValueError):
            self._prozess.wait(10)
        self._leser.join(10)
        for strom in (self._prozess.stdin, self._prozess.stdout):
            with contextlib.suppress(OSError, ValueError, AttributeError):
                strom.close()  # type: ignore[union-attr]


if __name__ == "__main__":
    main()
