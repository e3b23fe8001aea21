"""Many DOCX annexes through LibreOffice as one document (issue 15: ≥ 15 PDF/s).

LibreOffice spends ≈ 110 ms CPU per annex when each is a document of its own, ≈ 58 ms when the
annexes of a group come as one (2 cores AMD EPYC, LibreOffice 7.4): most of the cost of a document
is setting it up, not its pages. :func:`zusammenfuegen` writes the annexes of a group as one DOCX
for the conversion only, :func:`aufteilen` cuts the PDF LibreOffice makes of it into one PDF per
annex (pikepdf, i.e. qpdf: ≈ 3 ms per annex, pypdf needed ≈ 7). The result is the same PDF page
for page, pixel for pixel (tests), because each annex keeps what makes it a document of its own:

- it is a section of its own that starts on a new page, with its own header and footer (copies of
  its own header and footer parts) and page numbers restarting at 1 (``w:pgNumType w:start="1"``);
- „Seite X von Y“: ``NUMPAGES`` would count all annexes, so it becomes ``PAGEREF`` to a bookmark at
  the end of the annex — the page number of its last page, counted from 1 within the annex;
- the PDF of each annex gets the metadata, language, viewer preferences and opening view of the
  whole, and the outline entries (the headings) on its pages.

Only annexes made from one template are put together: every part but ``word/document.xml`` and
the header and footer parts must be the same in all of them (styles, numbering, settings,
relationships, document properties). Anything the restarted numbering or the shared document
would change keeps each annex a document of its own (:func:`zusammenfuegen` answers ``None``):
fields other than ``PAGE``, ``NUMPAGES``, ``DATE`` and ``TIME`` (a ``SEQ`` or ``REF`` counts or
points across annexes), numbered lists, also through a paragraph style (they would count on from
annex to annex; bullet lists do not count), footnotes,
endnotes, comments, tracked changes, links to bookmarks, embedded documents, a section break
inside an annex, a page numbering that starts elsewhere or counts otherwise, a section that does
not start on a new page. The bookmark ids and names of each annex are made unique. A PDF that
does not split as expected (:func:`aufteilen` answers ``False``) is converted again annex by annex.
"""

from __future__ import annotations

import importlib.util
import itertools
import zipfile
import zlib
from pathlib import Path
from typing import Any

from .paket import rels_pfad, ziel_aufloesen

__all__ = ["aufteilen", "zusammenfuegen"]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "word/document.xml"
_RELS = "word/_rels/document.xml.rels"
_CT = "[Content_Types].xml"
_KOPF = {_R + "/header": "kopf", _R + "/footer": "fuss"}
#: the bookmark at the end of annex ``i`` (its last page is the annex's page count)
MARKE = "sozbudgetAnlageEnde{}"
#: fields whose value does not depend on the other annexes (``NUMPAGES`` is rewritten)
_FELDER = {"PAGE", "NUMPAGES", "DATE", "TIME"}
#: what the shared document would change (see the module text)
_VERBOTEN = tuple(
    f"{{{_W}}}{n}"
    for n in (
        "footnoteReference", "endnoteReference", "commentReference", "commentRangeStart", "ins",
        "del", "moveFrom", "moveTo", "pPrChange", "rPrChange", "sectPrChange", "tblPrChange",
        "altChunk", "subDoc",
    )
)  # fmt: skip
#: elements of ``w:sectPr`` that come after ``w:pgNumType`` (the schema's order)
_NACH_SEITENZAHL = {
    f"{{{_W}}}{n}"
    for n in ("cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi",
              "rtlGutter", "docGrid", "printerSettings")
}  # fmt: skip
#: a DOCX larger than this (unpacked) is converted on its own
MAX_GROESSE = 64 * 1024 * 1024
_BOOKMARK_ID = 1_000_000  # ids of annex i's bookmarks: (i + 1) · this + the id it had
_MARKE_ID = 2_000_000_000  # id of annex i's end bookmark: this − i (below 2³¹)
_ZIP_FEHLER = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError)


class _Nicht(Exception):
    """The annexes are not put together (see the module text)."""


def zusammenfuegen(quellen: list[Path], ziel: Path) -> list[str] | None:
    """Write the DOCX annexes ``quellen`` as one DOCX ``ziel`` (a temporary file of the caller's);
    returns the bookmark at the end of each annex, in order, for :func:`aufteilen`. ``None``
    (nothing written) when there are none, they are not to be put together or pikepdf, which
    cuts the PDF, is not installed."""
    if not quellen or importlib.util.find_spec("pikepdf") is None:  # nothing to cut it with
        return None
    try:
        teile = _buendel(quellen)
    except (_Nicht, ValueError, KeyError, SyntaxError, *_ZIP_FEHLER):  # SyntaxError: lxml's XMLSyntaxError
        return None
    with zipfile.ZipFile(ziel, "w", zipfile.ZIP_STORED) as zout:  # a temporary file: no deflate
        for name, daten in teile.items():
            zout.writestr(name, daten)
    return [MARKE.format(i) for i in range(len(quellen))]


def _buendel(quellen: list[Path]) -> dict[str, bytes]:
    """The parts of the document that holds all annexes (raises :class:`_Nicht`)."""
    from lxml import etree

    with zipfile.ZipFile(quellen[0]) as z0:
        infos = {i.filename: (i.CRC, i.file_size) for i in z0.infolist()}
        if sum(g for _, g in infos.values()) > MAX_GROESSE or len(infos) != len(z0.infolist()):
            raise _Nicht
        teile = {n: z0.read(n) for n in infos}
    kopfteile = _kopfteile(teile[_RELS])
    variabel = {_DOC, *(teil for _, teil in kopfteile.values())}
    gleich = {n: v for n, v in infos.items() if n not in variabel}
    typen = _inhaltstypen(teile[_CT])
    zaehlend = _zaehlende_stile(teile)
    rahmen, koerper, neue, rels, ct = None, [], {}, [], []
    for i, quelle in enumerate(quellen):
        with zipfile.ZipFile(quelle) as z:
            eigene = {x.filename: (x.CRC, x.file_size) for x in z.infolist()}
            if eigene.keys() != infos.keys() or any(eigene[n] != v for n, v in gleich.items()):
                raise _Nicht  # another template, other properties, pictures of its own
            doc = etree.fromstring(z.read(_DOC), _parser())
            kopf = {teil: z.read(teil) for _, teil in kopfteile.values()}
        abschnitt = _Anlage(i, i == len(quellen) - 1, kopfteile, typen, teile, zaehlend)
        innen, signatur = abschnitt.koerper(doc, kopf)
        if rahmen is None:
            rahmen = (signatur, _rahmen(doc))
        elif signatur != rahmen[0]:
            raise _Nicht  # other namespace declarations
        koerper.append(innen)
        neue.update(abschnitt.neue)
        rels += abschnitt.rels
        ct += abschnitt.ct
    assert rahmen is not None
    vor, nach = rahmen[1]
    teile[_DOC] = b"".join((vor, *koerper, nach))
    teile.update(neue)
    teile[_RELS] = _einfuegen(teile[_RELS], b"</Relationships>", "".join(rels))
    teile[_CT] = _einfuegen(teile[_CT], b"</Types>", "".join(ct))
    _schlanke_stile(teile)
    return teile


def _zaehlende_stile(teile: dict[str, bytes]) -> tuple[set[str], set[str]]:
    """(the numIds of lists that count — any level with a number format other than bullet or
    none, or defined through a numbering style —, the paragraph styles that make such a list,
    also through the styles they are based on). Raises :class:`_Nicht` when the default
    paragraph style counts."""
    from lxml import etree

    def zaehlt_selbst(el: Any) -> bool:  # a level below ``el`` with a number format that counts
        return any(f.get(_w("val")) not in ("bullet", "none") for f in el.iter(_w("numFmt")))

    zaehlend: set[str] = set()
    if "word/numbering.xml" in teile:
        wurzel = etree.fromstring(teile["word/numbering.xml"], _parser())
        abstrakt = {
            a.get(_w("abstractNumId")): zaehlt_selbst(a) or a.find(_w("numStyleLink")) is not None
            for a in wurzel.iter(_w("abstractNum"))
        }
        for n in wurzel.iter(_w("num")):  # a list, with its own levels over the abstract ones
            a = n.find(_w("abstractNumId"))
            if a is None or abstrakt.get(a.get(_w("val")), True) or zaehlt_selbst(n):
                zaehlend.add(n.get(_w("numId"), ""))
    if "word/styles.xml" not in teile:
        return zaehlend, set()
    stile: dict[str, tuple[str | None, str | None, bool]] = {}
    for st in etree.fromstring(teile["word/styles.xml"], _parser()).iter(_w("style")):
        basis, nummer = st.find(_w("basedOn")), st.find(f"{_w('pPr')}/{_w('numPr')}/{_w('numId')}")
        stile[st.get(_w("styleId"), "")] = (
            None if basis is None else basis.get(_w("val")),
            None if nummer is None else nummer.get(_w("val")),
            st.get(_w("type")) == "paragraph" and st.get(_w("default")) in ("1", "true", "on"),
        )

    def zaehlt(sid: str | None, tiefe: int = 0) -> bool:
        if sid not in stile or tiefe > 50:
            return False
        basis, nummer, _ = stile[sid]
        return nummer in zaehlend if nummer is not None else zaehlt(basis, tiefe + 1)

    stil_zaehlt = {sid for sid in stile if zaehlt(sid)}
    if any(stile[sid][2] for sid in stil_zaehlt):
        raise _Nicht
    return zaehlend, stil_zaehlt


def _parser() -> Any:
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _kopfteile(rels: bytes) -> dict[str, tuple[str, str]]:
    """rId → (``"kopf"`` or ``"fuss"``, part name) of the document's headers and footers."""
    from lxml import etree

    aus = {}
    for r in etree.fromstring(rels, _parser()).iter(f"{{{_PR}}}Relationship"):
        art = _KOPF.get(r.get("Type", ""))
        if art is not None:
            if r.get("TargetMode") == "External":
                raise _Nicht
            aus[r.get("Id", "")] = (art, _teilname(r.get("Target", "")))
    return aus


def _teilname(ziel: str) -> str:
    """The part a relationship of ``word/document.xml`` points to; none outside the package."""
    name = ziel_aufloesen(_DOC, ziel)
    if name.startswith(".."):
        raise _Nicht
    return name


def _inhaltstypen(ct: bytes) -> dict[str, str]:
    """Part name → content type of the overrides in ``[Content_Types].xml``."""
    from lxml import etree

    ns = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    wurzel = etree.fromstring(ct, _parser())
    return {o.get("PartName", "").lstrip("/"): o.get("ContentType", "") for o in wurzel.iter(ns + "Override")}


def _rahmen(doc: Any) -> tuple[bytes, bytes]:
    """``document.xml`` of the first annex up to its body's start tag, and from the body's end."""
    import copy

    from lxml import etree

    wurzel = copy.deepcopy(doc)
    body = wurzel.find(_w("body"))
    for kind in list(body):
        body.remove(kind)
    body.text = None
    body.append(etree.Comment("sozbudget-anlagen"))
    xml = etree.tostring(wurzel, xml_declaration=True, encoding="UTF-8", standalone=True)
    vor, _, nach = xml.partition(b"<!--sozbudget-anlagen-->")
    return vor, nach


def _einfuegen(xml: bytes, vor: bytes, neu: str) -> bytes:
    if xml.count(vor) != 1:
        raise _Nicht
    return xml.replace(vor, neu.encode() + vor)


def _schlanke_stile(teile: dict[str, bytes]) -> None:
    """The styles the document reaches, as :mod:`sozbudget_xl.pdfwandler` keeps them."""
    from .pdfwandler import _STYLES, _benutzte_stile, schlanke_styles

    benutzt = _benutzte_stile(teile) if _STYLES in teile else None
    if benutzt is not None and (schlank := schlanke_styles(teile[_STYLES], benutzt)) is not None:
        teile[_STYLES] = schlank


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


class _Anlage:
    """One annex as a section of the document: :meth:`koerper` gives its body's content; the
    header and footer parts it needs are in :attr:`neue`, their relationships and content types in
    :attr:`rels` and :attr:`ct`."""

    def __init__(
        self, i: int, letzte: bool, kopfteile: dict[str, tuple[str, str]], typen: dict[str, str],
        teile: dict[str, bytes], zaehlend: tuple[set[str], set[str]],
    ) -> None:  # fmt: skip
        self.i, self.letzte, self.kopfteile, self.typen, self.teile = i, letzte, kopfteile, typen, teile
        self.zaehlend = zaehlend
        self.marke = MARKE.format(i)
        self.neue: dict[str, bytes] = {}
        self.rels: list[str] = []
        self.ct: list[str] = []

    def koerper(self, doc: Any, kopf: dict[str, bytes]) -> tuple[bytes, tuple[Any, ...]]:
        """(the body's content with the section's properties in place, the namespace declarations
        the content relies on)."""
        from lxml import etree

        body = doc.find(_w("body"))
        kinder = list(body) if body is not None else []
        if not kinder or kinder[-1].tag != _w("sectPr") or len(doc.findall(f".//{_w('sectPr')}")) != 1:
            raise _Nicht  # no section, or a section break inside the annex
        self._pruefe_und_felder(doc)
        sect = kinder[-1]
        self._abschnitt(sect, kopf)
        absatz = kinder[-2] if len(kinder) > 1 and kinder[-2].tag == _w("p") else None
        if absatz is None:  # ends with a table: the paragraph LibreOffice adds there anyway
            absatz = etree.SubElement(body, _w("p"))
            sect.addprevious(absatz)
        kennung = str(_MARKE_ID - self.i)
        etree.SubElement(absatz, _w("bookmarkStart"), {_w("id"): kennung, _w("name"): self.marke})
        etree.SubElement(absatz, _w("bookmarkEnd"), {_w("id"): kennung})
        if not self.letzte:  # the section ends with this paragraph
            ppr = absatz.find(_w("pPr"))
            if ppr is None:
                ppr = etree.SubElement(absatz, _w("pPr"))
                absatz.insert(0, ppr)
            ppr.append(sect)
        xml = etree.tostring(body, encoding="UTF-8", xml_declaration=False)
        start = xml.find(b">") + 1
        if not start or xml[start - 2 : start] == b"/>" or not xml.endswith(b"</w:body>"):
            raise _Nicht
        return xml[start : -len(b"</w:body>")], tuple(sorted(body.nsmap.items(), key=str))

    def _pruefe_und_felder(self, wurzel: Any) -> None:
        """Refuse what the shared document would change; ``NUMPAGES`` → ``PAGEREF`` to the end
        bookmark; bookmark ids and names made unique."""
        if next(wurzel.iter(*_VERBOTEN), None) is not None:
            raise _Nicht
        if any(h.get(_w("anchor")) is not None for h in wurzel.iter(_w("hyperlink"))):
            raise _Nicht
        listen, stile = self.zaehlend
        if any(n.get(_w("val")) in listen for n in wurzel.iter(_w("numId"))):
            raise _Nicht
        if any(p.get(_w("val")) in stile for p in wurzel.iter(_w("pStyle"))):
            raise _Nicht
        for el in wurzel.iter(_w("instrText")):
            el.text = self._feld(el.text or "")
        for el in wurzel.iter(_w("fldSimple")):
            el.set(_w("instr"), self._feld(el.get(_w("instr"), "")))
        for el in wurzel.iter(_w("bookmarkStart"), _w("bookmarkEnd")):
            kennung = el.get(_w("id"), "")
            if not kennung.isdigit() or int(kennung) >= _BOOKMARK_ID:
                raise _Nicht
            el.set(_w("id"), str((self.i + 1) * _BOOKMARK_ID + int(kennung)))
            if (name := el.get(_w("name"))) is not None:
                el.set(_w("name"), f"{name}_a{self.i}")

    def _feld(self, text: str) -> str:
        worte = text.split()
        if not worte:
            return text
        if worte[0].upper() not in _FELDER:
            raise _Nicht  # also a field whose instruction is split over several runs
        if worte[0].upper() == "NUMPAGES":
            return text.replace(worte[0], f"PAGEREF {self.marke}", 1)
        return text

    def _abschnitt(self, sect: Any, kopf: dict[str, bytes]) -> None:
        """Own header and footer parts, page numbers from 1, a new page."""
        from lxml import etree

        art = sect.find(_w("type"))
        if art is not None and art.get(_w("val")) not in (None, "nextPage"):
            raise _Nicht
        zahl = sect.find(_w("pgNumType"))
        if zahl is None:
            nach = next((k for k in sect if k.tag in _NACH_SEITENZAHL), None)
            zahl = etree.SubElement(sect, _w("pgNumType"))
            if nach is not None:
                nach.addprevious(zahl)
        elif zahl.get(_w("start"), "1") != "1" or zahl.get(_w("fmt"), "decimal") != "decimal":
            raise _Nicht
        zahl.set(_w("start"), "1")
        neu: dict[str, str] = {}
        for ref in sect:
            if ref.tag not in (_w("headerReference"), _w("footerReference")):
                continue
            alt = ref.get(f"{{{_R}}}id", "")
            if alt not in self.kopfteile:
                raise _Nicht
            if alt not in neu:
                neu[alt] = self._kopfteil_kopie(alt, kopf)
            ref.set(f"{{{_R}}}id", neu[alt])

    def _kopfteil_kopie(self, alt: str, kopf: dict[str, bytes]) -> str:
        """A copy of the header or footer part ``alt`` for this annex; returns its new rId."""
        from lxml import etree

        art, teil = self.kopfteile[alt]
        if teil not in self.typen:
            raise _Nicht
        wurzel = etree.fromstring(kopf[teil], _parser())
        self._pruefe_und_felder(wurzel)
        k = len(self.rels)
        name = f"sozbudget{art}{self.i}_{k}.xml"
        self.neue[f"word/{name}"] = etree.tostring(
            wurzel, xml_declaration=True, encoding="UTF-8", standalone=True
        )
        rels_alt = rels_pfad(teil)
        if rels_alt in self.teile:  # the same in every annex (checked): pictures of the header
            self.neue[rels_pfad(f"word/{name}")] = self.teile[rels_alt]
        rid = f"rIdSozbudget{self.i}_{k}"
        typ = next(t for t, a in _KOPF.items() if a == art)
        self.rels.append(f'<Relationship Id="{rid}" Type="{typ}" Target="{name}"/>')
        self.ct.append(f'<Override PartName="/word/{name}" ContentType="{self.typen[teil]}"/>')
        return rid


def aufteilen(pdf: Path, marken: list[str], ziele: list[Path]) -> bool:
    """Cut the PDF of :func:`zusammenfuegen`'s document into one PDF per annex (``ziele``, in
    order): annex ``i`` ends on the page of bookmark ``marken[i]``. ``False`` (the caller converts
    the annexes one by one) when the PDF is not as expected or pikepdf is missing."""
    try:
        import pikepdf
    except ImportError:
        return False
    try:
        with pikepdf.open(pdf) as ganz:
            seiten = {s.obj.objgen: i for i, s in enumerate(ganz.pages)}
            enden = _enden(ganz, seiten, marken)
            if enden is None:
                return False
            with ganz.open_outline() as gliederung_:
                gliederung = _gliederung(gliederung_.root, seiten)
            if gliederung is None:
                return False
            von = 0
            for bis, ziel in zip(enden, ziele, strict=True):
                _schreibe_teil(ganz, von, bis, [g for g in gliederung if von <= g[2] <= bis], ziel)
                von = bis + 1
    except Exception:  # anything pikepdf or the PDF may raise: the annexes are converted one by one
        return False
    return True


def _enden(ganz: Any, seiten: dict[tuple[int, int], int], marken: list[str]) -> list[int] | None:
    """The last page (index) of each annex, from the bookmarks LibreOffice exported as named
    destinations (``/Dests`` of the catalogue, as LibreOffice 7 writes them, or a name tree);
    ``None`` unless each annex has pages and the last ends the document."""
    import pikepdf

    ziele: dict[str, Any] = {}
    if "/Dests" in ganz.Root:
        ziele.update((str(k).lstrip("/"), v) for k, v in ganz.Root.Dests.items())
    if "/Names" in ganz.Root and "/Dests" in ganz.Root.Names:
        for k, v in pikepdf.NameTree(ganz.Root.Names.Dests).items():
            ziele.setdefault(str(k), v)
    enden = []
    for m in marken:
        ziel = ziele.get(m)
        if ziel is None:
            return None
        ziel = ziel.D if isinstance(ziel, pikepdf.Dictionary) else ziel
        enden.append(seiten.get(ziel[0].objgen, -1))
    steigend = all(a < b for a, b in itertools.pairwise(enden))
    if min(enden) < 0 or not steigend or enden[-1] != len(ganz.pages) - 1:
        return None
    return enden


def _gliederung(eintraege: Any, seiten: dict[tuple[int, int], int]) -> list[tuple[int, str, int, Any]] | None:
    """The outline as (depth, title, page index, (left, top, zoom)) in order; ``None`` for an entry
    that is not an /XYZ destination on a page."""
    aus: list[tuple[int, str, int, Any]] = []

    def durch(liste: Any, tiefe: int) -> bool:
        for e in liste:
            ziel = e.destination
            if e.action is not None or ziel is None or len(ziel) != 5 or str(ziel[1]) != "/XYZ":
                return False
            seite = seiten.get(ziel[0].objgen, -1)
            if seite < 0:
                return False
            aus.append((tiefe, e.title, seite, tuple(None if z is None else float(z) for z in ziel[2:])))
            if not durch(e.children, tiefe + 1):
                return False
        return True

    return aus if durch(eintraege, 0) else None


def _schreibe_teil(ganz: Any, von: int, bis: int, gliederung: list[Any], ziel: Path) -> None:
    """Pages ``von``–``bis`` as a PDF of their own, with the whole's metadata, language, viewer
    preferences, opening view and the outline entries on these pages."""
    import pikepdf

    with pikepdf.new() as teil:
        teil.pages.extend(ganz.pages[von : bis + 1])
        teil.docinfo = _pdf_wert_kopie(teil, ganz.docinfo)
        for schluessel in ("/Lang", "/ViewerPreferences"):
            if schluessel in ganz.Root:
                teil.Root[schluessel] = _pdf_wert_kopie(teil, ganz.Root[schluessel])
        teil.Root.OpenAction = pikepdf.Array([teil.pages[0].obj, pikepdf.Name.XYZ, None, None, 0])
        with teil.open_outline() as aus:
            eltern: list[Any] = []
            for tiefe, titel, seite, (links, oben, zoom) in gliederung:
                del eltern[tiefe:]
                eintrag = pikepdf.OutlineItem(titel, seite - von, "XYZ", left=links, top=oben, zoom=zoom)
                (eltern[-1].children if eltern else aus.root).append(eintrag)
                eltern.append(eintrag)
        teil.save(ziel)


def _pdf_wert_kopie(teil: Any, wert: Any) -> Any:
    """``wert`` of the whole PDF for the PDF ``teil``: an indirect object copied over, a direct
    dictionary (simple values, as LibreOffice writes them) or string rebuilt."""
    import pikepdf

    if wert.is_indirect:
        return teil.copy_foreign(wert)
    if isinstance(wert, pikepdf.Dictionary):
        return pikepdf.Dictionary({k: v for k, v in wert.items()})
    return pikepdf.String(str(wert))
