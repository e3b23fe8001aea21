"""The batch path for DOCX annexes (template prepared once) writes the same document as
docxtpl's full path: body, header and footer equal after XML canonicalisation, every other
member byte for byte; templates with placeholders it does not cover take docxtpl's path."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from sozbudget_xl import abrechnung, annex, annex_docx
from sozbudget_xl.models import MODELLE, modell


def _teile(pfad: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(pfad) as z:
        return {n: z.read(n) for n in z.namelist()}


def _kanonisch(xml: bytes) -> bytes:
    return etree.tostring(etree.fromstring(xml), method="c14n")


def _beide(ctx, tmp_path: Path, vorlage: str, monkeypatch) -> tuple[dict[str, bytes], dict[str, bytes]]:
    schnell = annex.render_docx(ctx, tmp_path / "schnell.docx", vorlage=vorlage)
    with monkeypatch.context() as m:
        m.setattr(annex_docx, "vorbereitet", lambda *a: None)
        voll = annex.render_docx(ctx, tmp_path / "voll.docx", vorlage=vorlage)
    return _teile(schnell), _teile(voll)


@pytest.mark.parametrize("name", MODELLE)
@pytest.mark.parametrize("art", ["plan", "abrechnung"])
def test_batch_path_writes_what_docxtpl_writes(name, art, tmp_path, monkeypatch):
    m = modell(name)
    r = m.berechne(*m.beispiel())
    v = annex.vertraege(r, "Jugendamt Musterstadt")[0]
    if art == "plan":
        ctx, vorlage = annex.kontext(r, v), annex.DOCX_VORLAGE
    else:
        ctx, vorlage = abrechnung.kontext(r, v), abrechnung.DOCX_VORLAGE
    schnell, voll = _beide(ctx, tmp_path, vorlage, monkeypatch)
    assert set(schnell) == set(voll)
    for teil in voll:
        if teil.startswith("word/") and teil.endswith(".xml") and b"{{" not in voll[teil]:
            assert _kanonisch(schnell[teil]) == _kanonisch(voll[teil]), teil
        elif teil == "docProps/core.xml":
            continue  # python-docx stamps its own revision/time on save
        else:
            assert schnell[teil] == voll[teil], teil
    text = "\n".join(p.text for p in Document(str(tmp_path / "schnell.docx")).paragraphs)
    assert ctx["vertragspartei"] in text and "{{" not in text


def test_template_with_placeholders_in_its_properties_takes_docxtpl(tmp_path):
    """A user template whose title holds a placeholder is rendered by docxtpl (title filled)."""
    doc = Document()
    doc.core_properties.title = "Anlage {{ vertrag.nummer }}"
    doc.add_paragraph("{{ vertragspartei }}")
    doc.save(str(tmp_path / "eigen.docx"))
    assert annex_docx.vorbereitet(tmp_path / "eigen.docx", annex._docx_klasse()) is None
    m = modell("kgst")
    r = m.berechne(*m.beispiel())
    v = annex.vertraege(r)[0]
    ziel = annex.render_docx(annex.kontext(r, v), tmp_path / "aus.docx", tmp_path, vorlage="eigen.docx")
    assert Document(str(ziel)).core_properties.title == f"Anlage {v.vertragsnummer}"


def test_edited_template_is_prepared_again(tmp_path):
    """The preparation is keyed by the file's time and size: an edited template is used at once."""
    m = modell("kgst")
    r = m.berechne(*m.beispiel())
    ctx = annex.kontext(r, annex.vertraege(r)[0])
    for text in ("Erste Fassung {{ vertragspartei }}", "Zweite, längere Fassung {{ vertragspartei }}"):
        doc = Document()
        doc.add_paragraph(text)
        doc.save(str(tmp_path / "eigen.docx"))
        ziel = annex.render_docx(ctx, tmp_path / "aus.docx", tmp_path, vorlage="eigen.docx")
        erwartet = text.replace("{{ vertragspartei }}", ctx["vertragspartei"])
        assert Document(str(ziel)).paragraphs[0].text == erwartet


def test_readme_command_regenerates_the_shipped_word_templates(tmp_path):
    """`python templates/erzeuge_docx_vorlage.py` (README, „Vertragsanlagen anpassen“) writes both
    Word templates; with a folder they go there and equal the shipped ones (no hand edits)."""
    import subprocess
    import sys

    wurzel = Path(__file__).resolve().parents[1]
    skript = wurzel / "templates" / "erzeuge_docx_vorlage.py"
    lauf = subprocess.run(
        [sys.executable, str(skript), str(tmp_path)], capture_output=True, text=True, check=True
    )
    assert lauf.stdout.count("Vorlage geschrieben") == 2
    for name in ("vertragsanlage.docx", "abrechnung.docx"):
        neu, alt = _teile(tmp_path / name), _teile(wurzel / "templates" / name)
        assert neu["word/document.xml"] == alt["word/document.xml"], name
