"""DOCX annexes prepared for LibreOffice's PDF conversion (issue 15: „PDF in as few LibreOffice
starts as possible“, ≥ 15 PDF/s).

LibreOffice spends most of a DOCX → PDF conversion importing the document, and most of the
import on ``word/styles.xml``: a template made with Word or python-docx carries ~160 style
definitions (100 of them table styles, 350 kB), of which an annex uses about twenty. Every one
becomes a LibreOffice style on import, document after document (≈ 40 % of the CPU time per
annex, measured with LibreOffice 7.4).

:func:`schlanke_kopien` writes, for the conversion only, a copy of each DOCX whose
``styles.xml`` keeps just the styles the document can reach: those its parts name
(``pStyle``, ``rStyle``, ``tblStyle``, numbering links), the defaults, and everything these
name in turn (``basedOn``, ``link``, ``next``, …). A style nothing reaches is never applied, so
the PDF is the same (checked pixel by pixel in the tests). The user's DOCX is left as it is.
Anything unusual — a field that finds text by style name (``STYLEREF``, ``TOC``), embedded
documents, a style id with entities, a part that does not parse — keeps the original for that
document: the copy is an optimisation, never a change of content.

:func:`lo_profil` seeds the throw-away LibreOffice profile so that a start does not run
LibreOffice's graphics self-test (``GraphicsRenderTests``, 100 drawings on 4096 × 4096 bitmaps):
LibreOffice runs it whenever the profile has not yet recorded the running version as seen, which
in headless mode is every start with a new profile — ≈ 0,6 s of the ≈ 1 s CPU of a start. The
test only writes a log and has no bearing on the PDF (checked pixel by pixel in the tests).

:func:`lo_umgebung` gives LibreOffice jemalloc as its memory allocator where the system has it
(Debian: ``libjemalloc2``): importing a DOCX allocates and frees small objects without end (glibc's
``malloc``/``free`` ≈ 12 % of the samples), and with jemalloc a conversion needs ≈ 18 % less CPU
(40 annexes: 6,1 → 5,0 s, medians of four alternating runs, 2 cores AMD EPYC). The PDFs are the
same pixel for pixel (tests). Without the library, or with ``SOZBUDGET_LO_JEMALLOC=0``, LibreOffice
runs as installed.
"""

from __future__ import annotations

import os
import re
import sys
import sysconfig
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

__all__ = ["lo_profil", "lo_umgebung", "schlanke_kopien", "schlanke_styles"]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_STYLES = "word/styles.xml"
#: parts LibreOffice does not read for a Writer document, or that hold the styles themselves
_OHNE_SUCHE = {_STYLES, "word/stylesWithEffects.xml"}
#: elements that name a style by its id: ``pStyle``, ``rStyle``, ``tblStyle``, ``numStyleLink``,
#: ``styleLink`` with any namespace prefix and either kind of quotes. Deliberately wide (any name
#: ending in „style“ or „styleLink“): a style kept too many costs nothing, one missing would.
_VERWEIS = re.compile(rb"[sS]tyle(?:Link)?\b[^<>]*?\bval=[\"']([^\"']*)[\"']")
_NAMEN_IN_STILEN = ("basedOn", "link", "next", "pStyle", "rStyle", "tblStyle", "numStyleLink", "styleLink")
#: what makes a document depend on styles it does not name by id: keep the original then
_FELD = re.compile(rb"<(?:[\w.-]+:)?instrText\b[^>]*>([^<]*)<|\binstr=[\"']([^\"']*)[\"']")
_FELD_MIT_STIL = re.compile(rb"STYLEREF|TOC", re.IGNORECASE)
_EINGEBETTET = re.compile(rb"<(?:[\w.-]+:)?(?:altChunk|subDoc)\b")


def schlanke_styles(styles: bytes, benutzt: Iterable[str]) -> bytes | None:
    """``styles.xml`` keeping only the styles reachable from ``benutzt`` and the defaults;
    ``None`` if there is nothing to drop or the part is not what we expect."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)
    try:
        wurzel = etree.fromstring(styles, parser)
    except etree.XMLSyntaxError:
        return None
    if wurzel.tag != f"{{{_W}}}styles":
        return None
    q = f"{{{_W}}}"
    stile = {s.get(f"{q}styleId"): s for s in wurzel.findall(f"{q}style")}
    behalten = {k for k in benutzt if k in stile}
    behalten |= {k for k, s in stile.items() if s.get(f"{q}default") in ("1", "true", "on")}
    offen = list(behalten)
    while offen:
        for e in stile[offen.pop()].iter(*(q + n for n in _NAMEN_IN_STILEN)):
            ziel = e.get(f"{q}val")
            if ziel in stile and ziel not in behalten:
                behalten.add(ziel)
                offen.append(ziel)
    weg = [s for k, s in stile.items() if k not in behalten]
    if not weg or None in stile:  # a style without id: leave the part alone
        return None
    for s in weg:
        wurzel.remove(s)
    return etree.tostring(wurzel, xml_declaration=True, encoding="UTF-8", standalone=True)


def _benutzte_stile(teile: dict[str, bytes]) -> set[str] | None:
    """Style ids the document's parts name; ``None`` when slimming would not be safe."""
    benutzt: set[str] = set()
    for name, daten in teile.items():
        if name in _OHNE_SUCHE or not (name.startswith("word/") and name.endswith(".xml")):
            continue
        if b"instr" in daten:  # an instruction may span runs: look at them joined
            felder = b"".join(a + b for a, b in _FELD.findall(daten))
            if _FELD_MIT_STIL.search(felder):
                return None
        if (b"altChunk" in daten or b"subDoc" in daten) and _EINGEBETTET.search(daten):
            return None
        for treffer in _VERWEIS.findall(daten):
            if b"&" in treffer:
                return None
            benutzt.add(treffer.decode("utf-8", "replace"))
    return benutzt


#: the profile's settings: the last version LibreOffice considers seen (``ooSetupLastVersion``);
#: a version above every real one, so no start counts as the first of a new version
_PROFIL_EINSTELLUNGEN = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" oor:op="fuse">\
<value>99.9</value></prop></item>
</oor:items>
"""


def lo_profil(ordner: str | Path) -> Path:
    """Seed the empty profile folder ``ordner`` (``-env:UserInstallation``) so a LibreOffice start
    skips its graphics self-test; returns ``ordner``."""
    einstellungen = Path(ordner) / "user" / "registrymodifications.xcu"
    einstellungen.parent.mkdir(parents=True, exist_ok=True)
    einstellungen.write_text(_PROFIL_EINSTELLUNGEN, encoding="utf-8")
    return Path(ordner)


#: the shared library of jemalloc as Debian, Ubuntu, Fedora and Arch install it
_JEMALLOC = "libjemalloc.so.2"


def _jemalloc_ordner() -> list[Path]:
    multiarch = sysconfig.get_config_var("MULTIARCH")
    vorne = [Path(w) / multiarch for w in ("/usr/lib", "/lib")] if multiarch else []
    return [*vorne, Path("/usr/lib64"), Path("/usr/lib"), Path("/usr/local/lib")]


def jemalloc(ordner: Iterable[Path] | None = None) -> Path | None:
    """The jemalloc library of this system (Linux), ``None`` if there is none."""
    if not sys.platform.startswith("linux"):
        return None
    for o in _jemalloc_ordner() if ordner is None else ordner:
        if (o / _JEMALLOC).is_file():
            return o / _JEMALLOC
    return None


def lo_umgebung(umgebung: dict[str, str] | None = None, *, bibliothek: Path | None = None) -> dict[str, str]:
    """The environment for a LibreOffice conversion: ``umgebung`` (default: this process's) with
    jemalloc added to ``LD_PRELOAD`` (after what is there: an allocator the user preloads wins;
    not again if a jemalloc of that name is there already).
    ``bibliothek`` defaults to :func:`jemalloc`; nothing is added without one or when
    ``SOZBUDGET_LO_JEMALLOC`` is ``0``."""
    env = dict(os.environ if umgebung is None else umgebung)
    pfad = jemalloc() if bibliothek is None else bibliothek
    if pfad is None or env.get("SOZBUDGET_LO_JEMALLOC", "").strip() == "0":
        return env
    vorhanden = env.get("LD_PRELOAD", "").replace(":", " ").split()
    if all(Path(v).name != pfad.name for v in vorhanden):  # not a second copy of it
        env["LD_PRELOAD"] = " ".join([*vorhanden, str(pfad)])
    return env


#: a DOCX larger than this (unpacked) is converted as it is: the copy would cost more than it saves
MAX_GROESSE = 64 * 1024 * 1024

_Merker = dict[tuple[bytes, frozenset[str]], bytes | None]


def _schlanke_kopie(quelle: Path, ziel: Path, merker: _Merker) -> bool:
    """Write the slim copy of ``quelle`` to ``ziel``; ``False`` (nothing written) if not useful
    or not safe for this document."""
    try:
        with zipfile.ZipFile(quelle) as zin:
            infos = zin.infolist()
            if sum(i.file_size for i in infos) > MAX_GROESSE:
                return False
            teile = {i.filename: zin.read(i) for i in infos}
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError, NotImplementedError):
        return False
    if _STYLES not in teile or len(teile) != len(infos):
        return False
    benutzt = _benutzte_stile(teile)
    if benutzt is None:
        return False
    schluessel = (teile[_STYLES], frozenset(benutzt))
    if schluessel not in merker:  # a batch shares one template: parse its styles once
        merker[schluessel] = schlanke_styles(teile[_STYLES], benutzt)
    schlank = merker[schluessel]
    if schlank is None:
        return False
    teile[_STYLES] = schlank
    with zipfile.ZipFile(ziel, "w", zipfile.ZIP_STORED) as zout:  # a temporary file: no deflate
        for info in infos:
            zout.writestr(info.filename, teile[info.filename])
    return True


def schlanke_kopien(quellen: Iterable[Path], ordner: Path) -> list[Path]:
    """For each DOCX the file LibreOffice should convert: its slim copy in ``ordner`` (same
    file name, so the PDF gets the same name) or, where slimming does not apply, the DOCX
    itself. ``ordner`` must exist and be a temporary folder of the caller's."""
    merker: _Merker = {}
    out = []
    for quelle in quellen:
        ziel = ordner / quelle.name
        out.append(ziel if _schlanke_kopie(quelle, ziel, merker) else quelle)
    return out
