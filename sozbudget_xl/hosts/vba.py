"""VBA projects (``vbaProject.bin``) without Excel: read, change modules, write.

Used to build the macro workbook ``kgst_makro.xlsm`` (:mod:`.makromappe`). A VBA project is a
compound file (MS-CFB) with the streams ``PROJECT``, ``PROJECTwm``, ``VBA/dir``,
``VBA/_VBA_PROJECT`` and one stream per module holding its compressed source (MS-OVBA).
Written here as the specification asks a writer to: modules carry source only (offset 0),
``_VBA_PROJECT`` carries no performance cache (version 0xFFFF), so Excel compiles the source
when the workbook opens — as xlwings' own template does. Reading and writing need no
optional package (oletools reads the result in the tests).

>>> entpacke(komprimiere(b"abcabcabcabc" * 50)) == b"abcabcabcabc" * 50
True
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

__all__ = ["Modul", "VbaProjekt", "entpacke", "komprimiere", "lies_cfb", "schreibe_cfb"]

_FREI, _ENDE, _FAT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
_KEIN = 0xFFFFFFFF
_SEKTOR, _MINI, _GRENZE = 512, 64, 4096


# --------------------------------------------------------------------------- MS-OVBA compression


def entpacke(daten: bytes) -> bytes:
    """Decompress a CompressedContainer (MS-OVBA 2.4.1)."""
    if not daten or daten[0] != 1:
        raise ValueError("kein komprimierter VBA-Container")
    aus = bytearray()
    pos = 1
    while pos < len(daten):
        kopf = struct.unpack_from("<H", daten, pos)[0]
        groesse, komprimiert = (kopf & 0x0FFF) + 3, bool(kopf & 0x8000)
        ende, pos = min(len(daten), pos + groesse), pos + 2
        start = len(aus)
        if not komprimiert:
            aus += daten[pos : pos + 4096]
            pos += 4096
            continue
        while pos < ende:
            flags, pos = daten[pos], pos + 1
            for bit in range(8):
                if pos >= ende:
                    break
                if not flags & (1 << bit):
                    aus.append(daten[pos])
                    pos += 1
                    continue
                token = struct.unpack_from("<H", daten, pos)[0]
                pos += 2
                bits = max((len(aus) - start - 1).bit_length(), 4)
                laenge = (token & (0xFFFF >> bits)) + 3
                abstand = (token >> (16 - bits)) + 1
                for _ in range(laenge):
                    aus.append(aus[-abstand])
    return bytes(aus)


def _chunk(daten: bytes) -> bytes:
    """One compressed chunk of at most 4096 bytes (raw when compression does not help)."""
    aus = bytearray()
    pos, orte = 0, {}
    while pos < len(daten):
        flags, flag_ort = 0, len(aus)
        aus.append(0)
        for bit in range(8):
            if pos >= len(daten):
                break
            bits = max((pos - 1).bit_length(), 4)
            hoechst = min((0xFFFF >> bits) + 3, len(daten) - pos)
            best, best_ort = 0, 0
            for kandidat in reversed(orte.get(daten[pos : pos + 3], [])[-64:]):
                n = 0
                while n < hoechst and daten[kandidat + n] == daten[pos + n]:
                    n += 1
                if n > best:
                    best, best_ort = n, kandidat
            schritt = best if best >= 3 else 1
            if best >= 3:
                aus += struct.pack("<H", ((pos - best_ort - 1) << (16 - bits)) | (best - 3))
                flags |= 1 << bit
            else:
                aus.append(daten[pos])
            for i in range(pos, pos + schritt):
                orte.setdefault(daten[i : i + 3], []).append(i)
            pos += schritt
        aus[flag_ort] = flags
    if len(aus) > 4096:
        return struct.pack("<H", 0x3FFF) + daten.ljust(4096, b"\0")
    return struct.pack("<H", 0xB000 | (len(aus) - 1)) + bytes(aus)


def komprimiere(daten: bytes) -> bytes:
    """Compress into a CompressedContainer (MS-OVBA 2.4.1.3)."""
    return b"\x01" + b"".join(_chunk(daten[i : i + 4096]) for i in range(0, len(daten), 4096))


# --------------------------------------------------------------------------- MS-CFB


def _kette(fat: list[int], start: int) -> list[int]:
    aus = []
    while start not in (_ENDE, _FREI) and len(aus) <= len(fat):
        aus.append(start)
        start = fat[start]
    return aus


def lies_cfb(daten: bytes) -> dict[str, bytes]:
    """All streams of a compound file: path (``VBA/dir``) → bytes."""
    if daten[:8] != bytes.fromhex("D0CF11E0A1B11AE1"):
        raise ValueError("keine OLE-Verbunddatei")
    groesse = 1 << struct.unpack_from("<H", daten, 30)[0]
    anzahl_fat, erstes_verz = struct.unpack_from("<II", daten, 44)
    mini_grenze, erste_minifat, _, erste_difat, anzahl_difat = struct.unpack_from("<IIIII", daten, 56)
    difat = list(struct.unpack_from("<109I", daten, 76))
    sektor = erste_difat
    for _ in range(anzahl_difat):
        basis = (sektor + 1) * groesse
        difat += struct.unpack_from(f"<{groesse // 4 - 1}I", daten, basis)
        sektor = struct.unpack_from("<I", daten, basis + groesse - 4)[0]

    def lies(s: int) -> bytes:
        return daten[(s + 1) * groesse : (s + 2) * groesse]

    fat: list[int] = []
    for s in difat[:anzahl_fat]:
        fat += struct.unpack(f"<{groesse // 4}I", lies(s))
    verzeichnis = b"".join(lies(s) for s in _kette(fat, erstes_verz))
    eintraege = [verzeichnis[i : i + 128] for i in range(0, len(verzeichnis), 128)]
    minifat_roh = b"".join(lies(s) for s in _kette(fat, erste_minifat))
    minifat = list(struct.unpack(f"<{len(minifat_roh) // 4}I", minifat_roh))
    wurzel_start = struct.unpack_from("<I", eintraege[0], 116)[0]
    ministrom = b"".join(lies(s) for s in _kette(fat, wurzel_start))
    aus: dict[str, bytes] = {}

    def gehe(nr: int, pfad: str) -> None:
        if nr == _KEIN:
            return
        e = eintraege[nr]
        laenge = struct.unpack_from("<H", e, 64)[0]
        name = e[: max(laenge - 2, 0)].decode("utf-16-le")
        typ = e[66]
        links, rechts, kind = struct.unpack_from("<III", e, 68)
        start, groesse_strom = struct.unpack_from("<IQ", e, 116)
        gehe(links, pfad)
        gehe(rechts, pfad)
        if typ == 1:
            gehe(kind, f"{pfad}{name}/")
        elif typ == 2:
            if groesse_strom < mini_grenze:
                teile = [ministrom[s * _MINI : (s + 1) * _MINI] for s in _kette(minifat, start)]
            else:
                teile = [lies(s) for s in _kette(fat, start)]
            aus[pfad + name] = b"".join(teile)[:groesse_strom]

    gehe(struct.unpack_from("<I", eintraege[0], 76)[0], "")
    return aus


@dataclass
class _Eintrag:
    name: str
    typ: int  # 1 storage, 2 stream, 5 root
    daten: bytes = b""
    kinder: list[_Eintrag] = field(default_factory=list)
    nr: int = 0
    start: int = _ENDE
    links: int = _KEIN
    rechts: int = _KEIN
    kind: int = _KEIN


def _schluessel(e: _Eintrag) -> tuple[int, str]:
    return (len(e.name), e.name.upper())  # MS-CFB order: length first, then upper case


def _baum(kinder: list[_Eintrag]) -> int:
    """A binary search tree of siblings (all nodes black, which MS-CFB allows); returns the root."""
    if not kinder:
        return _KEIN
    mitte = len(kinder) // 2
    wurzel = kinder[mitte]
    wurzel.links = _baum(kinder[:mitte])
    wurzel.rechts = _baum(kinder[mitte + 1 :])
    return wurzel.nr


def _sektoren(daten: bytes, groesse: int) -> list[bytes]:
    return [daten[i : i + groesse].ljust(groesse, b"\0") for i in range(0, len(daten), groesse)]


def _verzeichnis_eintrag(e: _Eintrag) -> bytes:
    name = e.name.encode("utf-16-le") + b"\0\0" if e.typ else b""
    groesse = len(e.daten) if e.typ != 1 else 0
    return (
        name.ljust(64, b"\0")
        + struct.pack("<HBB", len(name), e.typ, 1 if e.typ else 0)
        + struct.pack("<III", e.links, e.rechts, e.kind)
        + b"\0" * 16
        + b"\0" * 4
        + b"\0" * 16
        + struct.pack("<IQ", e.start if e.typ != 1 else 0, groesse)
    )


def schreibe_cfb(stroeme: dict[str, bytes]) -> bytes:
    """A compound file (MS-CFB version 3) holding ``stroeme`` (paths like ``VBA/dir``)."""
    wurzel = _Eintrag("Root Entry", 5)
    for pfad, daten in stroeme.items():
        knoten = wurzel
        *ordner, name = pfad.split("/")
        for teil in ordner:
            vorhanden = next((k for k in knoten.kinder if k.name == teil and k.typ == 1), None)
            if vorhanden is None:
                vorhanden = _Eintrag(teil, 1)
                knoten.kinder.append(vorhanden)
            knoten = vorhanden
        knoten.kinder.append(_Eintrag(name, 2, daten))
    alle = [wurzel]
    for e in alle:  # breadth first: numbers in order
        e.kinder.sort(key=_schluessel)
        alle.extend(e.kinder)
    for i, e in enumerate(alle):
        e.nr = i
    for e in alle:
        e.kind = _baum(e.kinder)

    mini, minifat, gross = bytearray(), [], []
    for e in alle:
        if e.typ != 2:
            continue
        if len(e.daten) < _GRENZE:
            teile = _sektoren(e.daten, _MINI)
            e.start = len(minifat) if teile else _ENDE
            minifat += [len(minifat) + i + 1 for i in range(len(teile))]
            if teile:
                minifat[-1] = _ENDE
            mini += b"".join(teile)
        else:
            gross.append(e)
    # sector layout: big streams, mini stream, minifat, directory, then FAT sectors
    sektoren: list[bytes] = []
    fat: list[int] = []

    def lege_ab(daten: bytes) -> int:
        teile = _sektoren(daten, _SEKTOR)
        if not teile:
            return _ENDE
        start = len(sektoren)
        sektoren.extend(teile)
        fat.extend(range(start + 1, start + len(teile)))
        fat.append(_ENDE)
        return start

    for e in gross:
        e.start = lege_ab(e.daten)
    wurzel.start = lege_ab(bytes(mini))
    wurzel.daten = bytes(mini)
    minifat_start = lege_ab(struct.pack(f"<{len(minifat)}I", *minifat)) if minifat else _ENDE
    verzeichnis = b"".join(_verzeichnis_eintrag(e) for e in alle)
    verzeichnis += b"".join(
        _verzeichnis_eintrag(_Eintrag("", 0, links=_KEIN, rechts=_KEIN, kind=_KEIN, start=0))
        for _ in range((-len(alle)) % 4)
    )
    verz_start = lege_ab(verzeichnis)
    anzahl_fat = 1
    while len(sektoren) + anzahl_fat > anzahl_fat * 128:
        anzahl_fat += 1
    if anzahl_fat > 109:
        raise ValueError("VBA-Projekt zu groß")
    fat_sektoren = list(range(len(sektoren), len(sektoren) + anzahl_fat))
    fat += [_FAT] * anzahl_fat
    fat += [_FREI] * (anzahl_fat * 128 - len(fat))
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    difat = fat_sektoren + [_FREI] * (109 - anzahl_fat)
    kopf = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack(
            "<IIIIIIIII",
            0,
            anzahl_fat,
            verz_start,
            0,
            _GRENZE,
            minifat_start,
            (len(minifat) * 4 + _SEKTOR - 1) // _SEKTOR,
            _ENDE,
            0,
        )
        + struct.pack("<109I", *difat)
    )
    return kopf + b"".join(sektoren) + fat_bytes


# --------------------------------------------------------------------------- the VBA project


@dataclass
class Modul:
    """One module of a VBA project: name, kind and source (Windows code page text)."""

    name: str
    dokument: bool  # a document module (ThisWorkbook, a sheet) or a class; else a standard module
    quelle: str
    klasse: bool = False


def _records(daten: bytes) -> list[tuple[int, bytes]]:
    """The records of the dir stream: (id, data); PROJECTVERSION (9) keeps its 6 bytes."""
    aus, pos = [], 0
    while pos < len(daten):
        nr, groesse = struct.unpack_from("<HI", daten, pos)
        pos += 6
        if nr == 0x0009:
            groesse = 6
        aus.append((nr, daten[pos : pos + groesse]))
        pos += groesse
    return aus


def _record(nr: int, daten: bytes) -> bytes:
    groesse = 4 if nr == 0x0009 else len(daten)
    return struct.pack("<HI", nr, groesse) + daten


@dataclass
class VbaProjekt:
    """A VBA project read from a ``vbaProject.bin``: its head records and its modules."""

    kopf: list[tuple[int, bytes]]
    module: list[Modul]
    codepage: str
    project: str

    @classmethod
    def lies(cls, bin_daten: bytes) -> VbaProjekt:
        stroeme = lies_cfb(bin_daten)
        records = _records(entpacke(stroeme["VBA/dir"]))
        codepage = "cp1252"
        for nr, d in records:
            if nr == 0x0003:
                codepage = f"cp{struct.unpack('<H', d)[0]}"
        ende_kopf = next(i for i, (nr, _) in enumerate(records) if nr == 0x000F)  # PROJECTMODULES
        module, aktuell = [], {}
        for nr, d in records[ende_kopf + 2 :]:
            if nr == 0x0019:
                aktuell = {"name": d.decode(codepage), "dokument": False}
            elif nr == 0x001A:
                aktuell["strom"] = d.decode(codepage)
            elif nr == 0x0031:
                aktuell["offset"] = struct.unpack("<I", d)[0]
            elif nr == 0x0022:
                aktuell["dokument"] = True
            elif nr == 0x002B:
                quelle = entpacke(stroeme["VBA/" + aktuell["strom"]][aktuell["offset"] :])
                module.append(Modul(aktuell["name"], aktuell["dokument"], quelle.decode(codepage)))
        projekt = stroeme["PROJECT"].decode(codepage)
        for m in module:
            m.klasse = f"Class={m.name}" in projekt.splitlines()
        return cls(records[:ende_kopf], module, codepage, projekt)

    def modul(self, name: str) -> Modul:
        return next(m for m in self.module if m.name == name)

    def _dir(self) -> bytes:
        teile = [_record(nr, d) for nr, d in self.kopf]
        teile.append(_record(0x000F, struct.pack("<H", len(self.module))))
        teile.append(_record(0x0013, struct.pack("<H", 0xFFFF)))  # PROJECTCOOKIE
        for m in self.module:
            name, uname = m.name.encode(self.codepage), m.name.encode("utf-16-le")
            teile += [
                _record(0x0019, name),
                _record(0x0047, uname),
                _record(0x001A, name),
                _record(0x0032, uname),
                _record(0x001C, b""),
                _record(0x0048, b""),
                _record(0x0031, struct.pack("<I", 0)),
                _record(0x001E, struct.pack("<I", 0)),
                _record(0x002C, struct.pack("<H", 0xFFFF)),
                _record(0x0022 if m.dokument or m.klasse else 0x0021, b""),
                _record(0x002B, b""),
            ]
        teile.append(_record(0x0010, b""))
        return b"".join(teile)

    def _project_text(self) -> str:
        zeilen, arbeitsbereich, im_arbeitsbereich = [], [], False
        for z in self.project.splitlines():
            if z.startswith(("Document=", "Module=", "Class=")):
                continue
            if z == "[Workspace]":
                im_arbeitsbereich = True
                continue
            if im_arbeitsbereich:
                continue
            zeilen.append(z)
        eintraege = []
        for m in self.module:
            if m.klasse:
                eintraege.append(f"Class={m.name}")
            elif m.dokument:
                eintraege.append(f"Document={m.name}/&H00000000")
            else:
                eintraege.append(f"Module={m.name}")
            arbeitsbereich.append(f"{m.name}=0, 0, 0, 0, C")
        text = zeilen[:1] + eintraege + zeilen[1:]
        while text and not text[-1]:
            text.pop()
        return "\r\n".join([*text, "", "[Workspace]", *arbeitsbereich, "", ""])

    def bin(self) -> bytes:
        """The project as ``vbaProject.bin`` (source only, compiled by Excel on open)."""
        stroeme = {
            "PROJECT": self._project_text().encode(self.codepage),
            "PROJECTwm": b"".join(
                m.name.encode(self.codepage) + b"\0" + m.name.encode("utf-16-le") + b"\0\0"
                for m in self.module
            )
            + b"\0\0",
            # no performance cache (version 0xFFFF): Excel compiles the source; bytes as in xlwings' template
            "VBA/_VBA_PROJECT": bytes.fromhex("CC61FFFF000100"),
            "VBA/dir": komprimiere(self._dir()),
        }
        for m in self.module:
            quelle = m.quelle.replace("\r\n", "\n").replace("\n", "\r\n")
            stroeme["VBA/" + m.name] = komprimiere(quelle.encode(self.codepage))
        return schreibe_cfb(stroeme)
