"""DOCX annexes in a batch without reopening the template (issue 15: „template and converter reuse
across a batch“).

docxtpl opens the template for every document (python-docx parses every XML part, ~17 ms),
renders body, headers, footers and the core properties, and saves the whole package again,
deflating the 800 kB of styles each time (~13 ms). Here the template is prepared once per file
(and again only when it changes):

* the body, header and footer sources exactly as docxtpl prepares them (``patch_xml``), compiled
  once in the annex's sandboxed Jinja environment;
* the document part split around its ``<w:body>``;
* a zip holding every other member, compressed once.

A document is then: render the parts with docxtpl's own ``render_xml_part`` / ``fix_tables`` /
``fix_docpr_ids``, copy the prepared zip and append the three rendered parts. Templates using what
this path does not cover (placeholders in the core properties or footnotes) return ``None`` from
:func:`vorbereitet` and take docxtpl's full path.
"""

from __future__ import annotations

import functools
import io
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Vorbereitet", "vorbereitet"]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_KOPF_FUSS = (f"{_R}/header", f"{_R}/footer")
_PLATZHALTER = "sozbudget-koerper-7c1e"


@dataclass(frozen=True)
class Vorbereitet:
    """A DOCX template prepared for a batch (see the module docstring)."""

    vorlage: Any  # the docxtpl template (its post-processing methods, never rendered itself)
    basis: bytes  # zip with every member that does not change
    dokument_teil: str
    vorher: bytes  # document part up to the body
    nachher: bytes  # document part after the body
    koerper: str  # body source for Jinja (docxtpl-prepared)
    teile: tuple[tuple[str, str], ...]  # (member, source) of headers and footers

    def fuelle(self, ctx: dict[str, Any], env: Any) -> bytes:
        """The finished DOCX of one context (bytes)."""
        tpl = self.vorlage
        tpl.docx_ids_index = 1000
        tpl.current_rendering_part = None
        baum = tpl.fix_tables(tpl.render_xml_part(self.koerper, None, ctx, env))
        tpl.fix_docpr_ids(baum)
        from lxml import etree

        dokument = self.vorher + etree.tostring(baum, encoding="UTF-8") + self.nachher
        puffer = io.BytesIO(self.basis)
        puffer.seek(0, io.SEEK_END)
        with zipfile.ZipFile(puffer, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as z:
            z.writestr(self.dokument_teil, dokument)
            for name, quelle in self.teile:
                z.writestr(name, tpl.render_xml_part(quelle, None, ctx, env).encode("utf-8"))
        return puffer.getvalue()


def vorbereitet(quelle: Path, klasse: Any) -> Vorbereitet | None:
    """The prepared template of the file ``quelle`` (cached while the file is unchanged), or None
    when it needs docxtpl's full path. ``klasse``: the DocxTemplate class to use."""
    st = os.stat(quelle)
    return _vorbereiten(str(quelle), st.st_mtime_ns, st.st_size, klasse)


@functools.lru_cache(maxsize=8)
def _vorbereiten(pfad: str, _mtime: int, _groesse: int, klasse: Any) -> Vorbereitet | None:
    from docx.oxml import parse_xml
    from lxml import etree

    daten = Path(pfad).read_bytes()
    tpl = klasse(io.BytesIO(daten))
    tpl.render_init()
    if _braucht_docxtpl(tpl):
        return None
    teil = tpl.docx._part
    dokument_teil = str(teil.partname).lstrip("/")
    koerper = tpl.patch_xml(tpl.get_xml())
    teile = []
    for _, t in (*tpl.get_headers_footers(_KOPF_FUSS[0]), *tpl.get_headers_footers(_KOPF_FUSS[1])):
        teile.append((str(t.partname).lstrip("/"), tpl.patch_xml(tpl.get_part_xml(t))))
    wurzel = parse_xml(teil.blob)
    body = wurzel.find(f"{{{_W}}}body")
    body.addprevious(etree.Comment(_PLATZHALTER))
    wurzel.remove(body)
    xml = etree.tostring(wurzel, encoding="UTF-8", standalone=True)
    vorher, _, nachher = xml.partition(f"<!--{_PLATZHALTER}-->".encode())
    neu = {dokument_teil, *(n for n, _ in teile)}
    basis = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(daten)) as alt, zipfile.ZipFile(basis, "w", zipfile.ZIP_DEFLATED) as z:
        for info in alt.infolist():
            if info.filename not in neu:
                z.writestr(info, alt.read(info), compress_type=zipfile.ZIP_DEFLATED)
    return Vorbereitet(tpl, basis.getvalue(), dokument_teil, vorher, nachher, koerper, tuple(teile))


def _braucht_docxtpl(tpl: Any) -> bool:
    """Placeholders where only docxtpl's full path renders them: core properties, footnotes."""
    kern = tpl.docx.core_properties
    for name in ("author", "comments", "identifier", "language", "subject", "title"):
        if re.search(r"\{[{%]", getattr(kern, name) or ""):
            return True
    for part in tpl.docx.part.package.parts:
        if part.content_type.endswith("footnotes+xml") and re.search(rb"\{[{%]", part.blob):
            return True
    return False
