"""Build the docxtpl template ``templates/vertragsanlage.docx`` with python-docx.

Run from the repository root to regenerate it after a change::

    .venv/bin/python templates/erzeuge_docx_vorlage.py

The placeholders are the keys of :func:`sozbudget_xl.annex.kontext` (see README). Rules for
editing the template by hand in Word/LibreOffice: keep every ``{{ … }}``/``{% … %}`` in one
run (type it in one go), ``{%tr … %}`` rows repeat table rows, ``{%p … %}`` paragraphs wrap
blocks; no ``%`` operator inside tags (docxtpl trap), formatting only via the filters
``betrag``, ``prozent``, ``zahl``, ``datum`` and ``formatiere``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

BLAU = RGBColor(0x1F, 0x3B, 0x63)
SCHRIFT = "Arial"  # LibreOffice uses the metric-compatible Liberation Sans
BREITE = 17.2  # usable width in cm (A4 21 cm − 2,0 cm − 1,8 cm)
TABELLE_PT = 8.5  # font size in tables (columns are sized for the wide DejaVu Sans fallback too)
ZIEL = Path(__file__).resolve().parent / "vertragsanlage.docx"
ZIEL_ABRECHNUNG = Path(__file__).resolve().parent / "abrechnung.docx"


# --------------------------------------------------------------------------- helpers
def _schrift(style, groesse: float, fett: bool = False, farbe: RGBColor | None = None) -> None:
    font = style.font
    font.name = SCHRIFT
    font.size = Pt(groesse)
    font.bold = fett
    if farbe is not None:
        font.color.rgb = farbe
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if rfonts.get(qn(attr)) is not None:
            del rfonts.attrib[qn(attr)]
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), SCHRIFT)


def _sprache(style) -> None:
    rpr = style.element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "de-DE")
    lang.set(qn("w:eastAsia"), "de-DE")


def _schattierung(cell, farbe: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), farbe)
    tcpr.append(shd)


def _rahmen(cell, **seiten: str) -> None:
    """Cell borders, e.g. top="single" or top="nil"."""
    tcpr = cell._tc.get_or_add_tcPr()
    borders = tcpr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        tcpr.append(borders)
    for seite, art in seiten.items():
        el = OxmlElement(f"w:{seite}")
        el.set(qn("w:val"), art)
        if art != "nil":
            el.set(qn("w:sz"), "6")
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        borders.append(el)


def _ohne_rahmen(table) -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for seite in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{seite}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tblpr.append(borders)


def _tabelle(doc, zeilen: int, breiten: list[float], *, gitter: bool = True):
    table = doc.add_table(rows=zeilen, cols=len(breiten))
    if gitter:
        table.style = doc.styles["Table Grid"]
    else:
        _ohne_rahmen(table)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    tblpr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    tblw = tblpr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        tblpr.append(tblw)
    tblw.set(qn("w:type"), "dxa")
    tblw.set(qn("w:w"), str(int(sum(breiten) * 567)))
    grid = table._tbl.tblGrid
    for col, b in zip(grid.findall(qn("w:gridCol")), breiten):
        col.set(qn("w:w"), str(int(b * 567)))
    for row in table.rows:
        for cell, b in zip(row.cells, breiten):
            cell.width = Cm(b)
    return table


def _kopfzeile_wiederholen(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)
    nicht_trennen = OxmlElement("w:cantSplit")
    trpr.append(nicht_trennen)


def _nicht_trennen(row) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _zelle(cell, text: str, *, fett: bool = False, rechts: bool = False, klein: bool = False) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    if rechts:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = p.add_run(text)
    run.bold = fett
    run.font.size = Pt(7.5 if klein else TABELLE_PT)


def _kopf(table, texte: list[str], rechts: tuple[int, ...] = ()) -> None:
    row = table.rows[0]
    _kopfzeile_wiederholen(row)
    for i, (cell, text) in enumerate(zip(row.cells, texte)):
        _zelle(cell, text, fett=True, rechts=i in rechts)
        _schattierung(cell, "E6EBF2")


def _tag(doc, text: str) -> None:
    """A paragraph holding only a docxtpl block tag (``{%p … %}``); docxtpl removes it."""
    doc.add_paragraph(text)


def _tr_zeile(table, index: int, text: str) -> None:
    """Put a ``{%tr … %}`` tag into the first cell of a row (docxtpl drops the whole row)."""
    table.rows[index].cells[0].paragraphs[0].add_run(text)


def _merge(row, von: int, bis: int):
    return row.cells[von].merge(row.cells[bis])


def _absatz(doc, text: str = "", *, style: str | None = None, klein: bool = False, fett: bool = False):
    p = doc.add_paragraph(style=style)
    p.paragraph_format.space_before = Pt(3)
    if text:
        run = p.add_run(text)
        run.bold = fett
        if klein:
            run.font.size = Pt(8.5)
    return p


def _feld(paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) in a paragraph."""
    run = paragraph.add_run()
    for typ, inhalt in (("begin", None), ("instr", code), ("separate", None), ("text", "1"), ("end", None)):
        if typ == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {inhalt} "
        elif typ == "text":
            el = OxmlElement("w:t")
            el.text = "1"
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), typ)
        run._r.append(el)


# --------------------------------------------------------------------------- document
#: marks a clause the report does not contain (placeholder: the loop variable)
_VORSCHLAG = " {{% if {0}.vorschlag %}}(Formulierungsvorschlag, nicht aus dem Gutachten){{% endif %}}"


def _dokument(titel: str):
    """A new A4 document with the styles, running header (``kopfzeile``) and page numbers."""
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin, sec.right_margin = Cm(2.0), Cm(1.8)
    sec.top_margin, sec.bottom_margin = Cm(1.8), Cm(2.0)
    sec.header_distance, sec.footer_distance = Cm(0.9), Cm(0.9)

    styles = doc.styles
    _schrift(styles["Normal"], 9.5)
    _sprache(styles["Normal"])
    styles["Normal"].paragraph_format.space_after = Pt(3)
    styles["Normal"].paragraph_format.line_spacing = 1.1
    _schrift(styles["Title"], 16, fett=True, farbe=BLAU)
    styles["Title"].paragraph_format.space_after = Pt(2)
    title_ppr = styles["Title"].element.get_or_add_pPr()
    for el in title_ppr.findall(qn("w:pBdr")):  # default Title style has a bottom border
        title_ppr.remove(el)
    _schrift(styles["Subtitle"], 11, farbe=RGBColor(0x22, 0x22, 0x22))
    styles["Subtitle"].font.italic = False
    _schrift(styles["Heading 1"], 11.5, fett=True, farbe=BLAU)
    styles["Heading 1"].paragraph_format.space_before = Pt(12)
    styles["Heading 1"].paragraph_format.space_after = Pt(4)
    _schrift(styles["Heading 2"], 10, fett=True, farbe=RGBColor(0x22, 0x22, 0x22))
    styles["Heading 2"].paragraph_format.space_before = Pt(8)
    styles["Heading 2"].paragraph_format.space_after = Pt(3)
    _schrift(styles["List Bullet"], 9.5)
    _schrift(styles["Header"], 8, farbe=RGBColor(0x44, 0x44, 0x44))
    styles["Header"].paragraph_format.tab_stops.clear_all()  # default centre tab would overlap
    styles["Header"].paragraph_format.tab_stops.add_tab_stop(Cm(BREITE), alignment=WD_TAB_ALIGNMENT.RIGHT)
    _schrift(styles["Footer"], 8, farbe=RGBColor(0x44, 0x44, 0x44))

    props = doc.core_properties
    props.title = titel
    props.subject = "Sozialraumbudget"
    props.author = "sozbudget_xl"
    props.language = "de-DE"
    props.comments = "Vorlage für docxtpl; erzeugt von templates/erzeuge_docx_vorlage.py"

    # header / footer
    kopf = sec.header.paragraphs[0]
    kopf.text = "{{ kopfzeile }}"
    fuss = sec.footer.paragraphs[0]
    fuss.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    fuss.add_run("Seite ")
    _feld(fuss, "PAGE")
    fuss.add_run(" von ")
    _feld(fuss, "NUMPAGES")
    return doc


def _titel(doc, titel: str) -> None:
    doc.add_paragraph(titel, style="Title")
    doc.add_paragraph(
        "{{ vertragspartei }}{% if sozialraum %} · Sozialraum {{ sozialraum }}{% endif %}", style="Subtitle"
    )


def _parteien(doc) -> None:
    """1. Vertragsparteien: the Gebietskörperschaft „vertreten durch“ the Jugendamt, and the Träger
    (or the declared party, e.g. a Trägerverbund, with its federführender Träger)."""
    doc.add_paragraph("1. Vertragsparteien", style="Heading 1")
    t = _tabelle(doc, 1, [BREITE / 2, BREITE / 2], gitter=False)
    links, rechts = t.rows[0].cells
    _zelle(links, "ÖFFENTLICHER TRÄGER DER JUGENDHILFE", klein=True)
    for text, fett in (
        (
            "{% if gebietskoerperschaft %}{{ gebietskoerperschaft.name }}"
            "{% else %}{{ jugendamt.name }}{% endif %}",
            True,
        ),
        ("{% if gebietskoerperschaft %}vertreten durch {{ jugendamt.name }}{% endif %}", False),
    ):
        p = links.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        p.add_run(text).bold = fett
    _zelle(rechts, "{% if zahlungsempfaenger %}TRÄGERVERBUND{% else %}FREIER TRÄGER{% endif %}", klein=True)
    for text, fett in (
        ("{{ vertragspartei }}", True),
        (
            "{% if zahlungsempfaenger %}Zahlungsempfänger (federführender Träger): "
            "{{ zahlungsempfaenger }}{% endif %}",
            False,
        ),
    ):
        p = rechts.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        p.add_run(text).bold = fett
    for cell, partei, kurz in ((links, "jugendamt", "Jugendamt"), (rechts, "traeger", "Träger")):
        for text in (f"{{%p for z in {partei}.anschrift_zeilen %}}", "{{ z }}", "{%p endfor %}"):
            q = cell.add_paragraph(text)
            q.paragraph_format.space_after = Pt(0)
        q = cell.add_paragraph()
        q.add_run(f"– nachfolgend „{kurz}“ –").font.size = Pt(8)
    _tag(doc, "{%p if parteien_regel %}")
    _absatz(
        doc,
        "Vertragsparteien sind nach dem Finanzierungsmodell die Gebietskörperschaft, vertreten durch das "
        "Jugendamt, und {{ parteien_regel }}.",
        klein=True,
    )
    _tag(doc, "{%p endif %}")


def _paartabelle(doc, links_cm: float, schleife: str, links: str, rechts: str) -> None:
    """A two-column table, one row per ``{%tr schleife %}``: shaded ``links`` | ``rechts``."""
    t = _tabelle(doc, 3, [links_cm, BREITE - links_cm])
    _tr_zeile(t, 0, "{%tr " + schleife + " %}")
    r = t.rows[1]
    _nicht_trennen(r)
    _zelle(r.cells[0], links)
    _schattierung(r.cells[0], "F3F5F8")
    _zelle(r.cells[1], rechts)
    _tr_zeile(t, 2, "{%tr endfor %}")


def _schluessel_wert_tabellen(doc, schleife: str, zeile: str, name: str, wert: str) -> None:
    """Result rows as small two-column tables (column | value): ``schleife`` loops over the
    tables, ``zeile`` over their rows; ``name``/``wert`` are the cell expressions."""
    _tag(doc, "{%p " + schleife + " %}")
    _absatz(doc, "{{ " + name + " }}", fett=True, klein=True)
    _tag(doc, "{%p " + zeile + " %}")
    _paartabelle(doc, 6.2, "for c in z", "{{ c.spalte }}", "{{ " + wert + " }}")
    _absatz(doc)
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endfor %}")


def _unterschrift(doc, zusammen: list) -> None:
    """Signature block; it and the paragraphs in ``zusammen`` (the last section) are kept together
    (keep with next, rows not split), so no page holds only the signatures."""
    for p in zusammen:
        p.paragraph_format.keep_with_next = True
    leer = _absatz(doc)
    leer.paragraph_format.keep_with_next = True
    t = _tabelle(doc, 3, [BREITE / 2 - 0.4, 0.8, BREITE / 2 - 0.4], gitter=False)
    ort = (
        '{{ vertrag.ort or "" }}{% if vertrag.ort and vertrag.datum %}, {% endif %}'
        "{% if vertrag.datum %}{{ vertrag.datum|datum }}{% endif %}"
    )
    for i in (0, 2):
        _zelle(t.rows[0].cells[i], ort)
        _rahmen(t.rows[0].cells[i], bottom="single")
        _zelle(t.rows[1].cells[i], "Ort, Datum", klein=True)
        t.rows[1].height = Cm(1.8)
    links, rechts = t.rows[2].cells[0], t.rows[2].cells[2]
    for cell, text, name, partei in (
        (
            links,
            "Für {% if gebietskoerperschaft %}{{ gebietskoerperschaft.name }}, vertreten durch"
            "{% else %}das Jugendamt{% endif %}",
            "{{ jugendamt.name }}",
            "jugendamt",
        ),
        (rechts, "Für den Träger", "{{ vertragspartei }}", "traeger"),
    ):
        _rahmen(cell, top="single")
        _zelle(cell, text, klein=True)
        p = cell.add_paragraph(name)
        p.paragraph_format.space_after = Pt(0)
        p = cell.add_paragraph(
            f"{{% if {partei}.unterzeichner %}}{{{{ {partei}.unterzeichner }}}}{{% endif %}}"
        )
        p.paragraph_format.space_after = Pt(0)
    for row in t.rows[:2]:
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True
    for row in t.rows:
        _nicht_trennen(row)


def _eckdaten(doc, eck: list[tuple[str, str]]) -> None:
    """A fixed two-column table: shaded label | value (template expression)."""
    t = _tabelle(doc, len(eck), [5.2, BREITE - 5.2])
    for row, (k, v) in zip(t.rows, eck):
        _zelle(row.cells[0], k)
        _schattierung(row.cells[0], "F3F5F8")
        _zelle(row.cells[1], v)


def _angaben(doc) -> None:
    """The model's facts for the contract (``angaben``): label | value, one row each."""
    _tag(doc, "{%p if angaben %}")
    _paartabelle(doc, 9.2, "for a in angaben", "{{ a.bezeichnung }}", "{{ a.text }}")
    _tag(doc, "{%p endif %}")


def _listentabelle(
    doc,
    breiten: list[float],
    kopf: list[str],
    schleife: str,
    zellen: list[str],
    rechts: tuple[int, ...] = (),
    extra: int = 0,
):
    """A table with a header row and one row repeated by ``{%tr schleife %}`` (cells ``zellen``,
    right-aligned columns ``rechts``); ``extra`` rows follow for totals. Returns the table."""
    t = _tabelle(doc, 4 + extra, breiten)
    _kopf(t, kopf, rechts=rechts)
    _tr_zeile(t, 1, "{%tr " + schleife + " %}")
    r = t.rows[2]
    _nicht_trennen(r)
    for i, (cell, text) in enumerate(zip(r.cells, zellen)):
        _zelle(cell, text, rechts=i in rechts)
    _tr_zeile(t, 3, "{%tr endfor %}")
    return t


def _abr_vertrag(doc) -> None:
    """Abrechnung 2. Vertrag."""
    doc.add_paragraph("2. Vertrag", style="Heading 1")
    _eckdaten(
        doc,
        [
            ("Vertragsnummer", '{{ vertrag.nummer or "–" }}'),
            (
                "Sozialraum",
                "{% if sozialraum %}{{ sozialraum }}{% else %}"
                '{{ sozialraeume|join(", ") or "–" }}{% endif %}',
            ),
            (
                "Haushaltsjahr",
                "{{ vertrag.haushaltsjahr }} ({{ vertrag.laufzeit_von|datum }} bis "
                "{{ vertrag.laufzeit_bis|datum }})",
            ),
            ("Finanzierungsmodell", '{{ modell.titel }} ({{ modell.quelle or "–" }})'),
        ],
    )


def _abr_budget(doc) -> None:
    """Abrechnung 3. Budget und Auszahlung."""
    doc.add_paragraph("3. Budget und Auszahlung", style="Heading 1")
    t = _tabelle(doc, 5, [BREITE - 4.0, 4.0])
    _tr_zeile(t, 0, "{%tr for s in summen_nach_art %}")
    _zelle(t.rows[1].cells[0], "{{ s.bezeichnung }}")
    _zelle(t.rows[1].cells[1], "{{ s.betrag|betrag }}", rechts=True)
    _tr_zeile(t, 2, "{%tr endfor %}")
    _zelle(t.rows[3].cells[0], "Budget dieses Vertrags", fett=True)
    _zelle(t.rows[3].cells[1], "{{ summe|betrag }}", fett=True, rechts=True)
    _zelle(t.rows[4].cells[0], "davon als Abschläge gezahlt")
    _zelle(t.rows[4].cells[1], "{{ abschlaege|betrag }}", rechts=True)


def _abr_bedingungen(doc) -> None:
    """Abrechnung 4. Bedingungen und Leistungsbonus (with the actual values)."""
    doc.add_paragraph("4. Bedingungen und Leistungsbonus", style="Heading 1")
    _tag(doc, "{%p if bedingungen %}")
    _listentabelle(
        doc,
        [6.4, 5.9, 1.7, 3.2],
        ["Position", "Bedingung", "Art", "Betrag"],
        "for b in bedingungen",
        ["{{ b.position }}", "{{ b.bedingung }}", "{{ b.art_text }}", "{{ b.betrag|betrag }}"],
        rechts=(3,),
    )
    _tag(doc, "{%p else %}")
    _absatz(doc, "Dieser Vertrag enthält keine bedingten Anteile und keinen Leistungsbonus.")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if bonusindikatoren %}")
    _absatz(doc)
    _listentabelle(
        doc,
        [6.2, 2.2, 2.8, 2.8, 3.2],
        ["Indikator", "Gewicht", "Zielwert", "Istwert", "Erfüllungsgrad"],
        "for b in bonusindikatoren",
        [
            "{{ b.indikator }}",
            '{{ b.gewicht|formatiere("prozent") }}',
            "{{ b.zielwert|formatiere(b.format) }}",
            "{{ b.istwert|formatiere(b.format) }}",
            '{{ b.erfuellungsgrad|formatiere("prozent") }}',
        ],
        rechts=(1, 2, 3, 4),
    )
    _absatz(doc, "Verdienter Leistungsbonus: {{ bonus_verdient|betrag }}.")
    _tag(doc, "{%p endif %}")


def _abr_ergebnisse(doc) -> None:
    """Abrechnung 5. Ergebnisse des Jahres."""
    doc.add_paragraph("5. Ergebnisse des Jahres", style="Heading 1")
    _angaben(doc)
    _tag(doc, "{%p if not ergebnistabellen %}")
    _absatz(doc, "Das Modell weist für diesen Vertrag keine Jahresergebnisse aus.")
    _tag(doc, "{%p endif %}")
    _schluessel_wert_tabellen(doc, "for t in ergebnistabellen", "for z in t.zeilen", "t.name", "c.text")


def _abr_jahresabschluss(doc) -> None:
    """Abrechnung 6. Jahresabschluss: the contract's part of the workbook's Jahresabschluss (only
    when the workbook has the sheet „Ist“; same as ``abschnitte/_jahresabschluss.html.j2``)."""
    j = "jahresabschluss"
    _tag(doc, "{%p if " + j + " %}")
    doc.add_paragraph("6. {{ " + j + ".titel }}", style="Heading 1")
    _absatz(doc, "{{ " + j + ".status }}")
    _absatz(doc, "Regel: {{ " + j + ".regel }}")
    _tag(doc, "{%p if not " + j + ".tabellen %}")
    _absatz(doc, "{{ " + j + ".leer_text }}")
    _tag(doc, "{%p endif %}")
    _schluessel_wert_tabellen(doc, "for t in " + j + ".tabellen", "for z in t.zeilen", "t.name", "c.text")
    _absatz(doc, "Rücklagen und Fonds", fett=True, klein=True).paragraph_format.keep_with_next = True
    _tag(doc, "{%p if " + j + ".konten %}")
    _listentabelle(
        doc,
        [3.4, 3.4, 3.2, 2.2, 2.2, 2.8],
        ["Konto", "Inhaber", "Anfangsbestand", "Zugang", "Abgang", "Endbestand"],
        "for k in " + j + ".konten",
        ["{{ k.name }}", "{{ k.inhaber }}", "{{ k.anfang|betrag }}", "{{ k.zugang|betrag }}",
         "{{ k.abgang|betrag }}", "{{ k.ende|betrag }}"],
        rechts=(2, 3, 4, 5),
    )  # fmt: skip
    _tag(doc, "{%p endif %}")
    _absatz(doc, "{{ " + j + ".konten_text }}")
    _tag(doc, "{%p for h in " + j + ".hinweise %}")
    _absatz(doc, "{{ h }}", klein=True)
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endif %}")


def _abr_hinweise(doc) -> None:
    """Abrechnung 6. (7. after the Jahresabschluss) Hinweise aus der Berechnung, then the
    signatures kept with them."""
    zusammen = [doc.add_paragraph("{{ nr_hinweise }}. Hinweise aus der Berechnung", style="Heading 1")]
    _tag(doc, "{%p for w in warnungen %}")
    zusammen.append(_absatz(doc, "{{ w }}", klein=True))
    _tag(doc, "{%p else %}")
    zusammen.append(_absatz(doc, "Keine Hinweise (keine Überschreitung, keine Ereignisse)."))
    _tag(doc, "{%p endfor %}")
    _unterschrift(doc, zusammen)


def _gegenstand(doc) -> None:
    """Section 2. Gegenstand, Sozialraum und Laufzeit."""
    # 2. subject and term
    doc.add_paragraph("2. Gegenstand, Sozialraum und Laufzeit", style="Heading 1")
    eck = [
        (
            "Sozialraum",
            "{% if sozialraum %}{{ sozialraum }}{% elif sozialraeume %}alle Sozialräume des Vertrags: "
            '{{ sozialraeume|join(", ") }}{% else %}gesamtes Gebiet des Jugendamts{% endif %}',
        ),
        ("Haushaltsjahr", "{{ vertrag.haushaltsjahr }}"),
        ("Laufzeit", "{{ vertrag.laufzeit_von|datum }} bis {{ vertrag.laufzeit_bis|datum }}"),
        ("Vertragsnummer", '{{ vertrag.nummer or "–" }}'),
        ("Finanzierungsmodell", "{{ modell.titel }}"),
        ("Grundlage", '{{ modell.quelle or "–" }}'),
    ]
    _eckdaten(doc, eck)
    _tag(doc, "{%p if modell.beschreibung %}")
    _absatz(doc, "{{ modell.beschreibung }}", klein=True)
    _tag(doc, "{%p endif %}")


def _budget(doc) -> None:
    """Section 3. Budget."""
    # 3. budget table
    doc.add_paragraph("3. Budget", style="Heading 1")
    breiten = [0.9, 6.0, 2.3, 4.7, 3.3]
    t = _tabelle(doc, 8, breiten)
    _kopf(t, ["Nr.", "Position", "Art", "Bedingung", "Betrag"], rechts=(4,))
    _tr_zeile(t, 1, "{%tr for p in positionen %}")
    r = t.rows[2]
    _nicht_trennen(r)
    _zelle(r.cells[0], "{{ p.nr }}")
    _zelle(
        r.cells[1],
        "{{ p.position }}{% if not sozialraum and p.sozialraum %} (Sozialraum {{ p.sozialraum }}){% endif %}",
    )
    _zelle(r.cells[2], "{{ p.art_text }}")
    _zelle(r.cells[3], '{{ p.bedingung or "–" }}')
    _zelle(r.cells[4], "{{ p.betrag|betrag }}", rechts=True)
    _tr_zeile(t, 3, "{%tr endfor %}")
    _tr_zeile(t, 4, "{%tr for s in summen_nach_art if summen_nach_art|length > 1 %}")
    r = t.rows[5]
    _nicht_trennen(r)
    zelle = _merge(r, 0, 3)
    _zelle(zelle, "davon {{ s.bezeichnung }}")
    _zelle(r.cells[4], "{{ s.betrag|betrag }}", rechts=True)
    for c in r.cells:
        _schattierung(c, "F3F5F8")
    _tr_zeile(t, 6, "{%tr endfor %}")
    r = t.rows[7]
    _nicht_trennen(r)
    zelle = _merge(r, 0, 3)
    _zelle(zelle, "Budget dieses Vertrags (Summe aller Positionen)", fett=True)
    _zelle(r.cells[4], "{{ summe|betrag }}", fett=True, rechts=True)
    for c in r.cells:
        _schattierung(c, "DFE6F0")
    _absatz(
        doc,
        "Das Budget dieses Vertrags beträgt {{ summe|betrag }}; es ist die Summe der oben aufgeführten "
        "Positionen."
        "{% if summe_bedingt %} Bedingte Anteile ({{ summe_bedingt|betrag }}) werden nur ausgezahlt, "
        "wenn die genannte Bedingung erfüllt ist.{% endif %}"
        "{% if summe_bonus %} Der Leistungsbonus (höchstens {{ summe_bonus|betrag }}) wird zusätzlich nach "
        "dem Grad der Zielerreichung gezahlt (Nr. 6).{% endif %}"
        "{% if summe_offen %} Offene Positionen ({{ summe_offen|betrag }}) sind Prognosen und werden nach "
        "tatsächlicher Inanspruchnahme abgerechnet.{% endif %}"
        "{% if summe_einbehalten %} Einbehaltene Anteile ({{ summe_einbehalten|betrag }}) verbleiben beim "
        "Jugendamt.{% endif %}",
        klein=True,
    )


def _modellabschnitt(doc) -> None:
    """Section 4. Regeln des Modells (Texte, Angaben, Tabellen)."""
    # model section: rules from the model's declaration, rendered with its parameters
    doc.add_paragraph("4. Regeln des Modells", style="Heading 1")
    _absatz(doc, "{{ modell.titel }}", klein=True)
    _tag(doc, "{%p for r in regeln %}")
    _absatz(doc, "{{ r.text }}{% if r.quelle %} ({{ r.quelle }}){% endif %}" + _VORSCHLAG.format("r"))
    _tag(doc, "{%p else %}")
    _absatz(doc, "Das Modell nennt keine weiteren Regeln.")
    _tag(doc, "{%p endfor %}")

    _angaben(doc)  # model facts
    _schluessel_wert_tabellen(doc, "for t in anlagetabellen", "for z in t.zeilen", "t.name", "c.text")


def _zahlungsplan(doc) -> None:
    """Section 5. Zahlungsplan."""
    # 5. payment plan
    doc.add_paragraph("5. Zahlungsplan", style="Heading 1")
    _tag(doc, "{%p if zahlungsplan %}")
    t = _listentabelle(
        doc,
        [1.2, 3.2, 8.8, 4.0],
        ["Nr.", "Fällig am", "Zweck", "Betrag"],
        "for r in zahlungsplan",
        ["{{ r.nr }}", "{{ r.faellig|datum }}", "{{ r.zweck }}", "{{ r.betrag|betrag }}"],
        rechts=(3,),
        extra=1,
    )
    r = t.rows[4]
    zelle = _merge(r, 0, 2)
    _zelle(zelle, "Summe der Abschläge dieses Vertrags", fett=True)
    _zelle(r.cells[3], "{{ zahlungsplan_summe|betrag }}", fett=True, rechts=True)
    for c in r.cells:
        _schattierung(c, "DFE6F0")
    _tag(doc, "{%p if zahlungsplan_hinweis %}")
    _absatz(doc, "{{ zahlungsplan_hinweis }}", klein=True)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p else %}")
    _absatz(
        doc,
        "Für diesen Vertrag sind keine Abschläge vorgesehen; die Auszahlung erfolgt nach Nachweis "
        "bzw. Abrechnung.",
    )
    _tag(doc, "{%p endif %}")


def _bonus(doc) -> None:
    """Section 6. Leistungsbonus (vereinbarte Indikatoren und Zielwerte)."""
    # 6. bonus (agreed indicators and targets; actual values belong to the settlement)
    doc.add_paragraph("6. Leistungsbonus und Indikatoren", style="Heading 1")
    _tag(doc, "{%p if bonusindikatoren %}")
    _listentabelle(
        doc,
        [7.9, 2.4, 3.1, 3.8],
        ["Indikator", "Gewicht", "Zielwert", "Richtung"],
        "for b in bonusindikatoren",
        [
            "{{ b.indikator }}",
            '{{ b.gewicht|formatiere("prozent") }}',
            "{{ b.zielwert|formatiere(b.format) }}",
            '{{ b.richtung or "–" }}',
        ],
        rechts=(1, 2),
    )
    _tag(doc, "{%p if summe_bonus %}")
    _absatz(
        doc,
        "Leistungsbonus dieses Vertrags: höchstens {{ summe_bonus|betrag }}; "
        "gezahlt wird nach dem Grad der Zielerreichung (Abrechnung).",
    )
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p elif summe_bonus %}")
    _absatz(
        doc,
        "Leistungsbonus dieses Vertrags: höchstens {{ summe_bonus|betrag }}; "
        "die Indikatoren vereinbaren die Vertragsparteien gesondert.",
    )
    _tag(doc, "{%p else %}")
    _absatz(doc, "Ein Leistungsbonus ist für diesen Vertrag nicht vereinbart.")
    _tag(doc, "{%p endif %}")


def _schluss(doc) -> None:
    """Section 7.–9. Rücklage, Revision, Berichte und Unterschriften."""
    # 7.–9. rules, then the signatures kept on the page of the last section
    doc.add_paragraph("7. Rücklagen und nicht verausgabte Mittel", style="Heading 1")
    _absatz(doc, "{{ ruecklage.text }}" + _VORSCHLAG.format("ruecklage"))
    doc.add_paragraph("8. Anpassung und Revision", style="Heading 1")
    _absatz(doc, "{{ revision.text }}" + _VORSCHLAG.format("revision"))
    zusammen = [doc.add_paragraph("9. Berichtspflichten", style="Heading 1")]
    _tag(doc, "{%p for b in berichte %}")
    zusammen.append(doc.add_paragraph("{{ b.text }}" + _VORSCHLAG.format("b"), style="List Bullet"))
    _tag(doc, "{%p endfor %}")
    _unterschrift(doc, zusammen)


#: the sections of each document, in order (the HTML templates carry the same, see the tests)
PLAN = (_gegenstand, _budget, _modellabschnitt, _zahlungsplan, _bonus, _schluss)
ABRECHNUNG = (
    _abr_vertrag,
    _abr_budget,
    _abr_bedingungen,
    _abr_ergebnisse,
    _abr_jahresabschluss,
    _abr_hinweise,
)


def baue(ziel: Path, name: str, titel: str, abschnitte) -> Path:
    """One DOCX template: document ``name``, title ``titel``, the parties, then ``abschnitte``."""
    doc = _dokument(name)
    _titel(doc, titel)
    _parteien(doc)
    for abschnitt in abschnitte:
        abschnitt(doc)
    ziel.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(ziel))
    return ziel


def erzeuge(ziel: Path = ZIEL) -> Path:
    """The annex template ``vertragsanlage.docx`` (same sections as ``vertragsanlage.html.j2``)."""
    titel = "Vertragsanlage Sozialraumbudget {{ vertrag.haushaltsjahr }}"
    return baue(ziel, "Vertragsanlage Sozialraumbudget", titel, PLAN)


def erzeuge_abrechnung(ziel: Path = ZIEL_ABRECHNUNG) -> Path:
    """The settlement template ``abrechnung.docx`` (same sections as ``abrechnung.html.j2``)."""
    return baue(ziel, "Abrechnung Sozialraumbudget", "{{ titel }}", ABRECHNUNG)


if __name__ == "__main__":
    if len(sys.argv) > 1:  # a folder: both templates go there
        ordner = Path(sys.argv[1])
        pfade = [erzeuge(ordner / ZIEL.name), erzeuge_abrechnung(ordner / ZIEL_ABRECHNUNG.name)]
    else:
        pfade = [erzeuge(), erzeuge_abrechnung()]
    for pfad in pfade:
        print(f"Vorlage geschrieben: {pfad}")
