"""Template errors are German only and name the template and the place (line, placeholder) —
never Jinja's English exception text."""

from __future__ import annotations

import re

import pytest
from docx import Document

from sozbudget_xl import annex
from sozbudget_xl.annex import AnnexFehler
from sozbudget_xl.models import modell

#: fragments of Jinja's / Python's English messages that must not reach the user
ENGLISCH = re.compile(
    r"is undefined|has no attribute|unexpected|expected token|Error\b|access to attribute|unsafe|"
    r"division by zero|unsupported operand|not found|object",
)

FAELLE = [
    # (template text, expected line, words the message must contain)
    ("x\n{{ traegr.name }}", 2, ["unbekannten Platzhalter „traegr“"]),
    ("{{ traeger.nme }}", 1, ["unbekannten Platzhalter „nme“"]),
    ("x\ny\n{% if %}", 3, ["Syntaxfehler"]),
    ("{{ ''.__class__.__mro__ }}", 1, ["geschützte Python-Interna"]),
    ("\n\n{{ 1/0 }}", 3, ["Division durch null"]),
    ("{{ summe + 'x' }}", 1, ["nicht ausführbar"]),
]


@pytest.fixture(scope="module")
def ctx():
    m = modell("kgst")
    r = m.berechne(*m.beispiel())
    return annex.kontext(r, annex.vertraege(r)[0])


@pytest.mark.parametrize(("quelle", "zeile", "worte"), FAELLE)
def test_html_template_error_is_german_with_template_and_line(ctx, tmp_path, quelle, zeile, worte):
    (tmp_path / "eigen.html.j2").write_text(quelle, encoding="utf-8")
    with pytest.raises(AnnexFehler) as info:
        annex.render_html(ctx, tmp_path, vorlage="eigen.html.j2")
    text = str(info.value)
    assert f"Vorlage „eigen.html.j2“, Zeile {zeile}" in text
    for w in worte:
        assert w in text
    assert not ENGLISCH.search(text), text


def test_error_in_an_included_template_names_both(ctx, tmp_path):
    (tmp_path / "teil.j2").write_text("ok\n{{ gibtsnicht }}", encoding="utf-8")
    (tmp_path / "haupt.html.j2").write_text("{% include 'teil.j2' %}", encoding="utf-8")
    with pytest.raises(AnnexFehler, match=r"Vorlage „haupt\.html\.j2“ \(eingebunden: „teil\.j2“\), Zeile 2 "
                                          r"verwendet den unbekannten Platzhalter „gibtsnicht“"):  # fmt: skip
        annex.render_html(ctx, tmp_path, vorlage="haupt.html.j2")
    (tmp_path / "fehlt.html.j2").write_text("{% include 'nicht-da.j2' %}", encoding="utf-8")
    with pytest.raises(AnnexFehler) as info:
        annex.render_html(ctx, tmp_path, vorlage="fehlt.html.j2")
    assert "„nicht-da.j2“" in str(info.value) and not ENGLISCH.search(str(info.value))


@pytest.mark.parametrize(("quelle", "zeile", "worte"), [f for f in FAELLE if "%" not in f[0]])
def test_docx_template_error_is_german_with_template(ctx, tmp_path, quelle, zeile, worte):
    doc = Document()
    doc.add_paragraph(quelle.replace("\n", " "))
    doc.save(str(tmp_path / "eigen.docx"))
    with pytest.raises(AnnexFehler) as info:
        annex.render_docx(ctx, tmp_path / "aus.docx", tmp_path, vorlage="eigen.docx")
    text = str(info.value)
    assert text.startswith("Vorlage „eigen.docx“ ")
    for w in worte:
        assert w in text
    assert not ENGLISCH.search(text), text
    assert not (tmp_path / "aus.docx").exists()
