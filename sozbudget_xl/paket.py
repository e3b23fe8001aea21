"""Part names in an Office Open XML package (xlsx, docx): where a part's relationships are and
which part a relationship points to. Shared by the workbook writer (:mod:`sozbudget_xl.workbook.io`)
and the annexes put together for LibreOffice (:mod:`sozbudget_xl.pdfbuendel`)."""

from __future__ import annotations

import posixpath


def rels_pfad(teil: str) -> str:
    """The relationships part of ``teil`` (``xl/workbook.xml`` → ``xl/_rels/workbook.xml.rels``)."""
    ordner, datei = posixpath.split(teil)
    return posixpath.join(ordner, "_rels", datei + ".rels")


def ziel_aufloesen(quelle: str, target: str) -> str:
    """The part a relationship of ``quelle`` with ``Target=target`` points to (an absolute target
    counts from the package's root)."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(quelle), target))
