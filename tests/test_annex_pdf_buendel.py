"""Issue 15 (≥ 15 PDF/s): the annexes of a LibreOffice group are converted as one document and
the PDF is cut into one per annex (:mod:`sozbudget_xl.pdfbuendel`) — the same PDFs as converting
each annex on its own, and each annex on its own wherever the shared document could change it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from sozbudget_xl import abrechnung, annex, pdfbuendel, pdfwandler
from sozbudget_xl.models import kgst

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _soffice() -> None:
    if annex._soffice() is None:
        pytest.skip("LibreOffice (soffice) nicht installiert")
    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftoppm, pdftotext) nicht installiert")


def _anlagen(ordner: Path, art: str = "plan") -> list[Path]:
    """The DOCX annexes (``art="plan"``) or settlements of the three contracts of the KGSt example."""
    result = kgst.berechne(*kgst.beispiel())
    ordner.mkdir(parents=True)
    bau, vorlage = (
        (annex.kontext, annex.DOCX_VORLAGE)
        if art == "plan"
        else (abrechnung.kontext, abrechnung.DOCX_VORLAGE)
    )
    return [
        annex.render_docx(bau(result, v), ordner / annex.dateiname(v, "docx"), vorlage=vorlage)
        for v in annex.vertraege(result, jugendamt="Jugendamt Musterstadt")
    ]


def _abwandeln(quelle: Path, ziel: Path, teil: str, aendern) -> Path:
    """A copy of the DOCX ``quelle`` with part ``teil`` changed by ``aendern`` (str → str)."""
    with zipfile.ZipFile(quelle) as zin, zipfile.ZipFile(ziel, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            daten = zin.read(info)
            if info.filename == teil:
                daten = aendern(daten.decode("utf-8")).encode("utf-8")
            zout.writestr(info, daten)
    return ziel


def _vor_abschnitt(xml: str, einschub: str) -> str:
    """``einschub`` at the end of the body, before its section properties."""
    i = xml.rindex("<w:sectPr")
    return xml[:i] + einschub + xml[i:]


def _absatz(text: str, ppr: str = "") -> str:
    return f"<w:p>{ppr}<w:r><w:t>{text}</w:t></w:r></w:p>"


def _bilder(pdf: Path, ziel: Path) -> list[bytes]:
    ziel.mkdir()
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(ziel / "s")], check=True)
    return [p.read_bytes() for p in sorted(ziel.glob("*.png"))]


def _text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode()


def _beschreibung(pdf: Path) -> tuple:
    """What a reader shows of a PDF beside its pages: metadata (without the time it was made),
    language, viewer preferences, opening view, outline (depth, title, page, position)."""
    import pikepdf

    with pikepdf.open(pdf) as doc:
        seiten = {s.obj.objgen: i for i, s in enumerate(doc.pages)}
        info = {str(k): str(v) for k, v in doc.docinfo.items() if k != "/CreationDate"}
        oeffnen = doc.Root.OpenAction
        gliederung: list[tuple] = []

        def durch(liste, tiefe: int) -> None:
            for e in liste:
                z = e.destination
                gliederung.append((tiefe, e.title, seiten[z[0].objgen], str(z[1]), *map(float, z[2:4])))
                durch(e.children, tiefe + 1)

        with doc.open_outline() as ol:
            durch(ol.root, 0)
        return (
            info,
            str(doc.Root.get("/Lang")),
            {str(k): bool(v) for k, v in doc.Root.ViewerPreferences.items()},
            (
                seiten[oeffnen[0].objgen],
                str(oeffnen[1]),
                *(None if x is None else float(x) for x in oeffnen[2:]),
            ),
            gliederung,
        )


def _beide(docx: list[Path], tmp_path: Path, monkeypatch) -> tuple[list[Path], list[Path]]:
    """(PDFs through one document and cut, PDFs converted one by one the plain way: the DOCX as
    they are, an empty profile, LibreOffice's own allocator); the first way checked to be taken."""
    geteilt: list[bool] = []
    echt = pdfbuendel.aufteilen
    monkeypatch.setattr(pdfbuendel, "aufteilen", lambda *a: geteilt.append(echt(*a)) or geteilt[-1])
    (tmp_path / "buendel").mkdir()
    buendel = annex.render_pdfs(docx, tmp_path / "buendel")
    assert geteilt == [True]
    with monkeypatch.context() as m:
        m.setattr(pdfbuendel, "zusammenfuegen", lambda q, z: None)
        m.setattr(pdfwandler, "schlanke_kopien", lambda q, o: list(q))
        m.setattr(pdfwandler, "lo_profil", Path)
        m.setattr(pdfwandler, "lo_umgebung", lambda: dict(os.environ, SOZBUDGET_LO_JEMALLOC="0"))
        (tmp_path / "einzeln").mkdir()
        einzeln = annex.render_pdfs(docx, tmp_path / "einzeln")
    return buendel, einzeln


def _gleich(buendel: list[Path], einzeln: list[Path], tmp_path: Path) -> list[int]:
    """Every page pixel for pixel, the text and the description equal; the page counts."""
    zahlen = []
    for i, (a, b) in enumerate(zip(buendel, einzeln, strict=True)):
        assert a.name == b.name
        seiten = _bilder(a, tmp_path / f"a{i}")
        assert len(seiten) >= 1 and seiten == _bilder(b, tmp_path / f"b{i}"), a.name
        assert _text(a) == _text(b)
        assert _beschreibung(a) == _beschreibung(b)
        zahlen.append(len(seiten))
    return zahlen


@pytest.mark.libreoffice
@pytest.mark.parametrize("art", ["plan", "abrechnung"])
def test_annexes_through_one_document_equal_those_converted_one_by_one(art, tmp_path, monkeypatch):
    """The annexes (and the settlements) of the KGSt example through one document are the PDFs of
    each annex converted on its own: same pages pixel for pixel, same text, same metadata, outline
    and opening view; each with its own header and „Seite X von Y“ counted within the annex. One
    annex is made a page longer, one ends with a paragraph instead of the signature table."""
    _soffice()
    docx = _anlagen(tmp_path / "docx", art)
    lang = "".join(_absatz(f"Zusatzzeile {k}") for k in range(70))
    _abwandeln(docx[1], docx[1].with_suffix(".tmp"), "word/document.xml", lambda x: _vor_abschnitt(x, lang))
    _abwandeln(
        docx[2],
        docx[2].with_suffix(".tmp"),
        "word/document.xml",
        lambda x: _vor_abschnitt(x, _absatz("Ende.")),
    )
    for d in docx[1:]:
        d.with_suffix(".tmp").replace(d)
    vorher = [d.read_bytes() for d in docx]
    buendel, einzeln = _beide(docx, tmp_path, monkeypatch)
    assert [d.read_bytes() for d in docx] == vorher  # the user's DOCX stay as rendered
    zahlen = _gleich(buendel, einzeln, tmp_path)
    assert zahlen[1] > zahlen[0]
    for pdf, n, v in zip(buendel, zahlen, annex.vertraege(kgst.berechne(*kgst.beispiel()), "J"), strict=True):
        text = _text(pdf)
        assert [int(x) for x in re.findall(r"Seite (\d+) von (\d+)", text)[-1]] == [n, n]
        assert re.findall(r"Seite \d+ von (\d+)", text) == [str(n)] * n
        assert text.count(v.traeger.name) >= n  # the header of its own contract on every page


def _drei(tmp_path: Path) -> list[Path]:
    return _anlagen(tmp_path / "docx")


def test_one_document_holds_each_annex_as_a_section_of_its_own(tmp_path):
    """The document: one section per annex, each starting its page numbers at 1, with copies of
    its own header and footer; ``NUMPAGES`` became ``PAGEREF`` to the bookmark at the annex's end;
    bookmark names and ids are unique; the styles are slimmed once."""
    from lxml import etree

    docx = _drei(tmp_path)
    marken = pdfbuendel.zusammenfuegen(docx, tmp_path / "b.docx")
    assert marken == [pdfbuendel.MARKE.format(i) for i in range(3)]
    with zipfile.ZipFile(tmp_path / "b.docx") as z:
        teile = {n: z.read(n) for n in z.namelist()}
    doc = etree.fromstring(teile["word/document.xml"])
    abschnitte = list(doc.iter(f"{{{W}}}sectPr"))
    assert len(abschnitte) == 3
    assert [a.find(f"{{{W}}}pgNumType").get(f"{{{W}}}start") for a in abschnitte] == ["1"] * 3
    r_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    ids = [e.get(r_id) for a in abschnitte for e in a if e.tag.endswith("Reference")]
    assert len(ids) == len(set(ids)) == 6
    fuesse = sorted(n for n in teile if n.startswith("word/sozbudgetfuss"))
    assert len(fuesse) == 3
    for i, fuss in enumerate(fuesse):
        assert b"NUMPAGES" not in teile[fuss] and f"PAGEREF {marken[i]}".encode() in teile[fuss]
    for i, v in enumerate(annex.vertraege(kgst.berechne(*kgst.beispiel()), "J")):
        kopf = teile[f"word/sozbudgetkopf{i}_0.xml"].decode()
        assert v.traeger.name in kopf and v.vertragsnummer in kopf
    namen = [b.get(f"{{{W}}}name") for b in doc.iter(f"{{{W}}}bookmarkStart")]
    kennungen = [b.get(f"{{{W}}}id") for b in doc.iter(f"{{{W}}}bookmarkStart")]
    assert marken == [n for n in namen if n in marken] and len(set(kennungen)) == len(kennungen)
    assert len(teile["word/styles.xml"]) < len(zipfile.ZipFile(docx[0]).read("word/styles.xml"))
    for n in ("word/_rels/document.xml.rels", "[Content_Types].xml"):
        etree.fromstring(teile[n])  # well-formed


ABWANDLUNGEN = {
    "ein Feld SEQ zählt über die Anlagen": (
        "word/document.xml",
        lambda x: _vor_abschnitt(x, '<w:p><w:fldSimple w:instr=" SEQ Tabelle "/></w:p>'),
    ),
    "ein Feld, dessen Anweisung auf zwei Läufe verteilt ist": (
        "word/document.xml",
        lambda x: _vor_abschnitt(
            x, "<w:p><w:r><w:instrText> NUM</w:instrText><w:instrText>PAGES </w:instrText></w:r></w:p>"
        ),
    ),
    "eine Fußnote": (
        "word/document.xml",
        lambda x: _vor_abschnitt(x, '<w:p><w:r><w:footnoteReference w:id="1"/></w:r></w:p>'),
    ),
    "eine nummerierte Liste (numPr)": (
        "word/document.xml",
        lambda x: _vor_abschnitt(x, _absatz("a", '<w:pPr><w:numPr><w:numId w:val="5"/></w:numPr></w:pPr>')),
    ),
    "eine nummerierte Liste über die Formatvorlage": (
        "word/document.xml",
        lambda x: _vor_abschnitt(x, _absatz("a", '<w:pPr><w:pStyle w:val="ListNumber"/></w:pPr>')),
    ),
    "ein Abschnittswechsel in der Anlage": (
        "word/document.xml",
        lambda x: _vor_abschnitt(x, _absatz("a", "<w:pPr><w:sectPr/></w:pPr>")),
    ),
    "Seitenzahlen ab 3": (
        "word/document.xml",
        lambda x: x.replace("<w:cols ", '<w:pgNumType w:start="3"/><w:cols '),
    ),
    "römische Seitenzahlen": (
        "word/document.xml",
        lambda x: x.replace("<w:cols ", '<w:pgNumType w:fmt="lowerRoman"/><w:cols '),
    ),
    "ein Abschnitt ohne neue Seite": (
        "word/document.xml",
        lambda x: x.replace("<w:pgSz ", '<w:type w:val="continuous"/><w:pgSz '),
    ),
    "ein Verweis auf eine Textmarke": (
        "word/document.xml",
        lambda x: _vor_abschnitt(
            x, '<w:p><w:hyperlink w:anchor="Ziel"><w:r><w:t>x</w:t></w:r></w:hyperlink></w:p>'
        ),
    ),
    "ein Teil, der kein XML ist": ("word/document.xml", lambda x: x[:-20]),
    "eine andere Vorlage (andere Formatvorlagen)": (
        "word/styles.xml",
        lambda x: x.replace("</w:styles>", '<w:style w:type="paragraph" w:styleId="Neu"/></w:styles>'),
    ),
}


@pytest.mark.parametrize("fall", list(ABWANDLUNGEN))
def test_annexes_the_shared_document_would_change_stay_documents_of_their_own(fall, tmp_path):
    """Anything whose meaning would change in the shared document — a field that counts or points
    across annexes, a numbered list, a footnote, a section break, another page numbering, another
    template — keeps the group apart (``None``, nothing written): the annexes are then converted
    one by one, as before."""
    docx = _drei(tmp_path)
    teil, aendern = ABWANDLUNGEN[fall]
    anders = _abwandeln(docx[1], tmp_path / "anders.docx", teil, aendern)
    assert pdfbuendel.zusammenfuegen([docx[0], anders, docx[2]], tmp_path / "b.docx") is None, fall
    assert not (tmp_path / "b.docx").exists()
    assert pdfbuendel.zusammenfuegen(docx, tmp_path / "b.docx") is not None  # the control


def test_bullet_lists_bookmarks_and_page_fields_are_put_together(tmp_path):
    """A bullet list does not count, a bookmark of the annex is renamed, ``PAGE`` and ``DATE``
    mean the same in the section: these annexes go together."""
    docx = _drei(tmp_path)
    einschub = (
        _absatz("Punkt", '<w:pPr><w:pStyle w:val="ListBullet"/></w:pPr>')
        + '<w:p><w:bookmarkStart w:id="0" w:name="_GoBack"/><w:bookmarkEnd w:id="0"/></w:p>'
        + '<w:p><w:fldSimple w:instr=" PAGE "/>'
        + '<w:fldSimple w:instr=" DATE \\@ &quot;dd.MM.yyyy&quot; "/></w:p>'
    )
    alle = [
        _abwandeln(d, tmp_path / f"x{i}.docx", "word/document.xml", lambda x: _vor_abschnitt(x, einschub))
        for i, d in enumerate(docx)
    ]
    assert pdfbuendel.zusammenfuegen(alle, tmp_path / "b.docx") is not None
    doc = zipfile.ZipFile(tmp_path / "b.docx").read("word/document.xml").decode()
    assert [f"_GoBack_a{i}" in doc for i in range(3)] == [True] * 3


def test_no_annex_an_unreadable_file_or_no_pikepdf_is_not_put_together(tmp_path, monkeypatch):
    docx = _drei(tmp_path)
    assert pdfbuendel.zusammenfuegen([], tmp_path / "b.docx") is None
    with monkeypatch.context() as m:  # nothing could cut the PDF: each annex on its own
        m.setattr(pdfbuendel.importlib.util, "find_spec", lambda name: None)  # no pikepdf
        assert pdfbuendel.zusammenfuegen(docx, tmp_path / "b.docx") is None
    kaputt = tmp_path / "kaputt.docx"
    kaputt.write_bytes(b"kein zip")
    assert pdfbuendel.zusammenfuegen([docx[0], kaputt], tmp_path / "b.docx") is None
    assert not (tmp_path / "b.docx").exists()


def _pdf_mit_marken(ziel: Path, seiten: int, marken: dict[str, int]) -> Path:
    import pikepdf

    with pikepdf.new() as doc:
        for _ in range(seiten):
            doc.add_blank_page(page_size=(200, 200))
        doc.Root.Dests = pikepdf.Dictionary(
            {
                f"/{n}": pikepdf.Array([doc.pages[s].obj, pikepdf.Name.XYZ, None, None, 0])
                for n, s in marken.items()
            }
        )
        doc.save(ziel)
    return ziel


def test_cutting_needs_every_end_in_order_and_the_last_on_the_last_page(tmp_path, monkeypatch):
    """Pages 0–1, 2, 3–4 for ends on 1, 2, 4; ``False`` (the caller converts one by one) when an
    end is missing, out of order, not the last page, or pikepdf is not there."""
    import pikepdf

    pdf = _pdf_mit_marken(tmp_path / "g.pdf", 5, {"a": 1, "b": 2, "c": 4})
    ziele = [tmp_path / f"{n}.pdf" for n in "xyz"]
    assert pdfbuendel.aufteilen(pdf, ["a", "b", "c"], ziele)
    assert [len(pikepdf.open(z).pages) for z in ziele] == [2, 1, 2]
    for marken in (["a", "fehlt", "c"], ["b", "a", "c"], ["a", "b", "b"], ["a", "b"]):
        assert not pdfbuendel.aufteilen(pdf, marken, ziele[: len(marken)]), marken
    kaputt = tmp_path / "kaputt.pdf"
    kaputt.write_bytes(pdf.read_bytes()[:200])
    assert not pdfbuendel.aufteilen(kaputt, ["a", "b", "c"], ziele)
    monkeypatch.setitem(__import__("sys").modules, "pikepdf", None)
    assert not pdfbuendel.aufteilen(pdf, ["a", "b", "c"], ziele)


def _pdfs_mit_starts(docx: list[Path], tmp_path: Path, monkeypatch) -> tuple[list[list[str]], list[Path]]:
    """(the files each LibreOffice start was given, the PDFs) of ``render_pdfs`` into ``pdf``."""
    starts: list[list[str]] = []
    popen = annex.subprocess.Popen
    monkeypatch.setattr(
        annex.subprocess,
        "Popen",
        lambda b, **kw: starts.append([Path(x).name for x in b[9:]]) or popen(b, **kw),
    )
    (tmp_path / "pdf").mkdir()
    return starts, annex.render_pdfs(docx, tmp_path / "pdf")


@pytest.mark.libreoffice
@pytest.mark.parametrize("panne", ["teilen", "libreoffice"])
def test_a_group_that_does_not_split_is_converted_one_by_one(panne, tmp_path, monkeypatch):
    """If the PDF of the shared document cannot be cut (or LibreOffice fails on it), the group is
    converted again annex by annex: every PDF arrives, under its name, nothing else is left."""
    _soffice()
    docx = _drei(tmp_path)
    if panne == "teilen":
        monkeypatch.setattr(pdfbuendel, "aufteilen", lambda *a: False)
    else:
        monkeypatch.setattr(annex, "PDF_MIT_MARKEN", "pdf:gibt_es_nicht")
    starts, pdfs = _pdfs_mit_starts(docx, tmp_path, monkeypatch)
    assert starts == [["anlagen-0.docx"], [d.name for d in docx]]
    assert [p.stem for p in pdfs] == [d.stem for d in docx]
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    assert sorted(p.name for p in (tmp_path / "pdf").iterdir()) == sorted(p.name for p in pdfs)


@pytest.mark.libreoffice
def test_a_large_group_goes_as_several_documents_in_one_run(tmp_path, monkeypatch):
    """A group of more than :data:`annex.PDF_JE_DOKUMENT` annexes becomes several documents, all
    converted by the same LibreOffice start; each annex still gets its own PDF with its own page
    count."""
    _soffice()
    monkeypatch.setattr(annex, "PDF_JE_DOKUMENT", 2)
    docx = _drei(tmp_path)
    starts, pdfs = _pdfs_mit_starts(docx, tmp_path, monkeypatch)
    assert starts == [["anlagen-0.docx", "anlagen-1.docx"]]
    assert [p.stem for p in pdfs] == [d.stem for d in docx]
    for pdf in pdfs:
        assert re.findall(r"Seite (\d+) von (\d+)", _text(pdf)) == [("1", "2"), ("2", "2")]


def test_a_group_is_cut_into_even_documents_of_at_most_the_limit():
    """As few documents as the limit allows, sizes differing by one at most, nothing lost or
    reordered."""
    for n in range(1, 120):
        for grenze in (1, 2, 7, 25):
            stuecke = annex._gleich_geteilt(list(range(n)), grenze)
            assert [x for s in stuecke for x in s] == list(range(n))
            assert len(stuecke) == -(-n // grenze) and max(map(len, stuecke)) <= grenze
            assert max(map(len, stuecke)) - min(map(len, stuecke)) <= 1
    assert [len(s) for s in annex._gleich_geteilt(list(range(53)), 25)] == [18, 18, 17]


def test_a_pdf_counts_as_complete_once_libreoffice_has_renamed_it_and_dropped_its_lock(tmp_path):
    """LibreOffice writes a PDF under a temporary name, renames it and then removes its lock file:
    while it runs, the documents up to the first PDF not yet complete are cut; once it has ended,
    all (a missing PDF then means the document failed)."""

    class Prozess:
        def poll(self):
            return None

    buendel = [annex._Buendel(tmp_path / f"anlagen-{k}.pdf", [], []) for k in range(3)]
    lauf = annex._Lauf(Prozess(), [], tmp_path / "m.txt", buendel)  # type: ignore[arg-type]
    assert annex._vollstaendig(lauf, True) == 0
    buendel[0].pdf.write_bytes(b"%PDF")
    sperre = tmp_path / ".~lock.anlagen-0.pdf#"
    sperre.write_text("x")
    assert not annex._pdf_fertig(buendel[0].pdf) and annex._vollstaendig(lauf, True) == 0
    sperre.unlink()
    assert annex._pdf_fertig(buendel[0].pdf) and annex._vollstaendig(lauf, True) == 1
    buendel[2].pdf.write_bytes(b"%PDF")  # the second one is missing: the third waits
    assert annex._vollstaendig(lauf, True) == 1
    assert annex._vollstaendig(lauf, False) == 3
