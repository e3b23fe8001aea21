"""Decoding a written sheet part into the digest of its cells (standard library only).

:mod:`.io` checks every output sheet it writes: the digest of the cells decoded from the XML must
equal the one made from the values while rendering (:class:`Pruefsumme`). The decoding is done
here, in the writing process, or — for a big workbook — by a second process that decodes each
sheet from the very bytes that are deflated, while the next sheet is rendered
(:class:`Gegenpruefung`; this file is run as that process's script, so it imports nothing but the
standard library). On two cores the check then costs the writer almost no time.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import queue
import re
import struct
import subprocess
import sys
import threading
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, BinaryIO
from xml.parsers import expat

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
    leser, rest = expat_leser(), b""
    for stueck in itertools.chain(stuecke, (None,)):
        leser.Parse(b"" if stueck is None else stueck, stueck is None)
        puffer = rest + (stueck or b"")
        schnitt = len(puffer) if stueck is None else puffer.rfind(b"</row>") + 6
        if stueck is not None and schnitt < 6:  # no complete row yet
            rest = puffer
            continue
        teil, rest = puffer[:schnitt], puffer[schnitt:]
        yield teil


def zellen_in_pruefsumme(xml: bytes, pruef: Pruefsumme) -> int | None:
    """Decode the cells of a piece of a part (whole rows) into the digest; returns how many cells
    matched, ``None`` when a value is not in the writer's layout. Each step handles the whole
    piece at once (see :class:`Pruefsumme`): no Python step per cell."""
    gefunden = ZELLE_XML.findall(xml)
    if not gefunden:
        return 0
    flach = list(itertools.chain.from_iterable(gefunden))  # 3× faster than zip(*gefunden)
    refs, zm, zv, tm, tv, bm, bv = (flach[i::7] for i in range(7))
    texte = list(itertools.compress(tv, tm))
    verbunden = b"\x1f".join(texte)
    if b"\r" in verbunden:
        return None  # a parser would normalise a raw CR
    try:
        zahlen = array("d", map(float, itertools.compress(zv, zm)))
    except ValueError:
        return None  # an empty or unreadable <v>
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
    return len(gefunden)


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


# --------------------------------------------------------------------------- the second process
# Frames on its standard input: b"B" a sheet begins, b"D" + length (4 bytes, little endian) + that
# many bytes of the part, b"E" the sheet ends; end of input: done. Per sheet it answers one status
# byte and 32 bytes: b"G" + the digest, b"N" (not in the layout) or b"X" (not well-formed) + zeros.

_ANTWORT = 33
_LEER = bytes(32)


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
        digest = pruefsumme_stueckweise(quelle)
    except expat.ExpatError:
        for _ in quelle:  # the rest of the sheet's frames
            pass
        return b"X" + _LEER
    return b"N" + _LEER if digest is None else b"G" + digest


def main() -> None:
    """The second process: one answer per sheet, in order, until its input ends."""
    ein, aus = sys.stdin.buffer, sys.stdout.buffer
    try:
        while ein.read(1) == b"B":
            aus.write(_ein_blatt(ein))
            aus.flush()
    except _Abbruch:
        sys.exit(2)


class Gegenpruefung:
    """The writer's side of the second process. Sheets are sent in order (:meth:`anfang`,
    :meth:`stueck`, :meth:`ende`; the pieces may come from another thread, one sheet at a time);
    :meth:`ergebnisse` gives each sheet's decoded digest. Any failure (no such process, a broken
    pipe, a wrong answer, a timeout) only means no digest: the writer then decodes itself.

    A thread of its own writes to the pipe, with up to :data:`PUFFER` pieces waiting: the writer
    goes on rendering (and then follows the charts and writes the zip) while the process catches
    up, instead of waiting for it piece by piece."""

    #: pieces (≤ 1 MiB each) waiting for the pipe at most
    PUFFER = 4

    def __init__(self, prozess: subprocess.Popen[bytes]) -> None:
        self._prozess = prozess
        self._fd = prozess.stdin.fileno()  # type: ignore[union-attr]
        self._kaputt = False
        self.blaetter = 0
        self._warteschlange: queue.Queue[tuple[bytes, ...] | None] = queue.Queue(self.PUFFER)
        self._sender = threading.Thread(target=self._senden_bis_ende, name="sozbudget-pruefung", daemon=True)
        self._sender.start()

    def _senden_bis_ende(self) -> None:
        while (teile := self._warteschlange.get()) is not None:
            self._senden(*teile)

    @classmethod
    def starten(cls) -> Gegenpruefung | None:
        """Start the process with this interpreter (``-S``: this file needs no site packages;
        ``-P``: its folder, which holds a module named io, is not put first on the path);
        None where that is not possible (e.g. an interpreter embedded in another program)."""
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
        if daten:
            self._warteschlange.put((b"D" + struct.pack("<I", len(daten)), daten))

    def ende(self) -> None:
        self._warteschlange.put((b"E",))

    def _fertig_senden(self, timeout: float) -> None:
        """Let the sender write what waits and end; a process that stops reading is killed (the
        pipe breaks, the sender drops the rest)."""
        if not self._sender.is_alive():
            return
        with contextlib.suppress(queue.Full):
            self._warteschlange.put(None, timeout=timeout)
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

    def ergebnisse(self, timeout: float = 120.0) -> list[bytes | None]:
        """Each sheet's digest as the process decoded it (None: not in the layout, not
        well-formed, or no answer); ends the process."""
        self._fertig_senden(timeout)
        try:
            aus, _ = self._prozess.communicate(timeout=timeout)
        except (subprocess.TimeoutExpired, OSError, ValueError):
            self.beenden()
            return [None] * self.blaetter
        if self._kaputt or self._prozess.returncode != 0 or len(aus) != _ANTWORT * self.blaetter:
            return [None] * self.blaetter
        antworten = (aus[i : i + _ANTWORT] for i in range(0, len(aus), _ANTWORT))
        return [a[1:] if a[:1] == b"G" else None for a in antworten]

    def beenden(self) -> None:
        """Stop the process (when the writing failed half-way; after :meth:`ergebnisse` it has
        ended already)."""
        self._kaputt = True  # the sender drops what still waits
        self._toeten()
        self._fertig_senden(10.0)
        with contextlib.suppress(OSError, subprocess.TimeoutExpired, ValueError):
            self._prozess.communicate(timeout=10)


if __name__ == "__main__":
    main()
