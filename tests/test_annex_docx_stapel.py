"""The batch path for DOCX annexes (template prepared once) writes the same document as
docxtpl's full path: body, header and footer equal after XML canonicalisation, every other
member byte for byte; templates with placeholders it does not cover take docxtpl's path."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
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


def _kontext(name: str, art: str) -> tuple[dict, str]:
    """Context and template of the first contract of a model's example: its annex ("plan") or
    its settlement ("abrechnung")."""
    m = modell(name)
    r = m.berechne(*m.beispiel())
    v = annex.vertraege(r, "Jugendamt Musterstadt")[0]
    if art == "plan":
        return annex.kontext(r, v), annex.DOCX_VORLAGE
    return abrechnung.kontext(r, v), abrechnung.DOCX_VORLAGE


@pytest.mark.parametrize("name", MODELLE)
@pytest.mark.parametrize("art", ["plan", "abrechnung"])
def test_batch_path_writes_what_docxtpl_writes(name, art, tmp_path, monkeypatch):
    ctx, vorlage = _kontext(name, art)
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


@pytest.mark.parametrize("name", MODELLE)
@pytest.mark.parametrize("art", ["plan", "abrechnung"])
def test_listing_shortcut_writes_what_docxtpl_writes(name, art, tmp_path, monkeypatch):
    """Issue 15: docxtpl's ``resolve_listing`` (≈ 4 ms per annex) is skipped where it would change
    nothing — the same bytes as with it, for every model and both annexes."""
    ctx, vorlage = _kontext(name, art)
    genommen = []
    echt = annex._ohne_listing
    monkeypatch.setattr(annex, "_ohne_listing", lambda xml: genommen.append(echt(xml)) or genommen[-1])
    kurz = _teile(annex.render_docx(ctx, tmp_path / "kurz.docx", vorlage=vorlage))
    monkeypatch.setattr(annex, "_ohne_listing", lambda xml: False)
    voll = _teile(annex.render_docx(ctx, tmp_path / "voll.docx", vorlage=vorlage))
    assert genommen and all(genommen)  # the shortcut was taken for every part
    assert set(kurz) == set(voll)
    for teil in voll:
        if teil != "docProps/core.xml":  # python-docx stamps its own revision/time on save
            assert kurz[teil] == voll[teil], teil


_STUECKE = [
    "<w:p>", '<w:p w:rsidR="00A1">', "<w:pPr><w:jc w:val=\"left\"/></w:pPr>", "</w:p>", "<w:r>",
    '<w:r w:rsidR="1">', "<w:rPr><w:b/></w:rPr>", "</w:r>", "<w:t>", '<w:t xml:space="preserve">',
    "</w:t>", "<w:tab/>", "<w:pPr>", "<w:body>", "<w:tbl><w:tr><w:tc>", "</w:tc></w:tr></w:tbl>",
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>', "Text", "ä €", " ", "\t", "\a", "\n",
    "\f", "\r", ">", "<w:p",
]  # fmt: skip


_TEXT = st.text(alphabet="ab ä€<>&\t\a\n\f\r", max_size=6)
_LAUF = st.builds(
    lambda a, rpr, texte: f"<w:r{a}>{rpr}" + "".join(texte) + "</w:r>",
    st.sampled_from(["", ' w:rsidR="1"']),
    st.sampled_from(["", "<w:rPr><w:b/></w:rPr>"]),
    st.lists(
        st.builds(lambda a, t: f"<w:t{a}>{t}</w:t>", st.sampled_from(["", ' xml:space="preserve"']), _TEXT)
    ),
)
_ABSATZ = st.builds(
    lambda a, ppr, laeufe: f"<w:p{a}>{ppr}" + "".join(laeufe) + "</w:p>",
    st.sampled_from(["", ' w:rsidR="00A1"']),
    st.sampled_from(["", '<w:pPr><w:jc w:val="left"/></w:pPr>', "<w:pPr>\n</w:pPr>"]),
    st.lists(_LAUF, max_size=3),
)


@given(st.lists(st.one_of(_ABSATZ, _TEXT, st.sampled_from(_STUECKE)), max_size=12))
@settings(max_examples=400, deadline=None)
def test_listing_shortcut_only_where_docxtpl_changes_nothing(stuecke):
    """Paragraphs as docxtpl sees them (texts with tab, bell, line and form feed) among loose
    pieces of markup and text: the shortcut returns what docxtpl returns."""
    from docxtpl import DocxTemplate

    xml = "".join(stuecke)
    vorlage = annex._docx_klasse().__new__(annex._docx_klasse())
    erwartet = DocxTemplate.resolve_listing(vorlage, xml)
    assert vorlage.resolve_listing(xml) == erwartet
    if annex._ohne_listing(xml):
        assert erwartet == xml


def test_listing_shortcut_cases():
    kopf = '<?xml version="1.0"?>\n<w:document><w:body>'
    ohne = kopf + '<w:p><w:pPr><w:jc w:val="left"/></w:pPr><w:r><w:t>a b</w:t></w:r></w:p></w:body>'
    assert annex._ohne_listing(ohne)  # a line feed before the first paragraph does not count
    assert annex._ohne_listing("<w:body><w:pPr>\n</w:pPr></w:body>")  # no paragraph at all
    for zeichen in "\t\a\n\f":
        mit = ohne.replace("a b", f"a{zeichen}b")
        assert not annex._ohne_listing(mit)
        vorlage = annex._docx_klasse().__new__(annex._docx_klasse())
        assert vorlage.resolve_listing(mit) != mit  # docxtpl turns it into markup
