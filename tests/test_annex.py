"""Contract annexes (Vertragsanlagen, domain spec §6): DOCX, HTML and PDF from a model result."""

from __future__ import annotations

import importlib
import re
import shutil
import subprocess
import unicodedata
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from sozbudget_xl import annex
from sozbudget_xl import vertraege as vertraege_
from sozbudget_xl.annex import AnnexFehler, Partei, Vertrag
from sozbudget_xl.einheiten import Einheit
from sozbudget_xl.errors import SozbudgetError
from sozbudget_xl.formats import betrag
from sozbudget_xl.models import MODELLE
from sozbudget_xl.models.base import Art, LineItem, ModelResult
from sozbudget_xl.money import euro
from sozbudget_xl.schedule import zahlungsplan

JUGENDAMT = Partei(
    "Jugendamt der Stadt Musterstadt", "Rathausplatz 1\n12345 Musterstadt", "Dr. Erika Mustermann"
)
MAX_VERTRAEGE = 3


# --------------------------------------------------------------------------- helpers
def _ergebnis(name: str) -> ModelResult:
    """The model's worked example; skipped only while the module is unfinished."""
    try:
        m = importlib.import_module(f"sozbudget_xl.models.{name}")
        eingabe, parameter = m.beispiel()
        return m.berechne(eingabe, parameter)
    except (ImportError, NotImplementedError) as exc:
        pytest.skip(f"Modell {name} noch nicht fertig: {exc!r}")


def _docx_text(path: Path) -> tuple[str, list[list[list[str]]]]:
    """All paragraph and table-cell text of a DOCX (plus header), and its tables as rows of cells."""
    doc = Document(str(path))
    teile = [p.text for p in doc.paragraphs]
    tabellen = []
    for t in doc.tables:
        zeilen = [[c.text for c in row.cells] for row in t.rows]
        tabellen.append(zeilen)
        teile.extend(c for z in zeilen for c in z)
    for sec in doc.sections:
        teile.extend(p.text for p in sec.header.paragraphs)
    return "\n".join(teile), tabellen


class _Html(HTMLParser):
    """Collects the visible text and the tables (class, rows of cell texts) of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tabellen: list[tuple[str, list[list[str]]]] = []
        self._stack: list[tuple[str, list[list[str]]]] = []
        self._zelle: list[str] | None = None
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._in_style = True
        elif tag == "table":
            self._stack.append((dict(attrs).get("class") or "", []))
        elif tag == "tr" and self._stack:
            self._stack[-1][1].append([])
        elif tag in ("td", "th"):
            self._zelle = []

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._in_style = False
        elif tag in ("td", "th") and self._zelle is not None and self._stack:
            self._stack[-1][1][-1].append("".join(self._zelle).strip())
            self._zelle = None
        elif tag == "table" and self._stack:
            self.tabellen.append(self._stack.pop())

    def handle_data(self, data):
        if self._in_style:
            return
        self.text.append(data)
        if self._zelle is not None:
            self._zelle.append(data)


def _html_lesen(html: str) -> _Html:
    parser = _Html()
    parser.feed(html)
    parser.close()
    return parser


def _ist_betrag(text: str) -> bool:
    return bool(re.fullmatch(r"-?[\d.]+,\d\d\s€", text.strip()))


def _pruefe_budgettabelle(zeilen: list[list[str]], ctx: dict) -> None:
    """Item rows (numbered) add up exactly to the stated total in the last row, which is the budget."""
    posten = [z for z in zeilen if z and z[0].strip().isdigit()]
    assert len(posten) == len(ctx["positionen"])
    summe = sum((euro(z[-1]) for z in posten), Decimal("0.00"))
    angegeben = euro(zeilen[-1][-1])
    assert summe == angegeben == ctx["summe"]
    assert "Summe aller Positionen" in " ".join(zeilen[-1])


def _vertraege(result: ModelResult) -> list[Vertrag]:
    return annex.vertraege(result, jugendamt=JUGENDAMT, ort="Musterstadt")[:MAX_VERTRAEGE]


# --------------------------------------------------------------------------- every model renders
@pytest.mark.parametrize("name", MODELLE)
def test_every_model_example_renders_to_docx_and_html(name, tmp_path):
    """Each model's example renders every contract to DOCX and HTML with every line item and its amount,
    and the budget table adds up to the stated total."""
    result = _ergebnis(name)
    vertraege = _vertraege(result)
    assert vertraege, f"Modell {name}: keine Verträge"
    vergeben: set[str] = set()
    plan = vertraege_.planansicht(result)  # the plan before the year: the facts of the year unknown
    for v in vertraege:
        ctx = annex.kontext(result, v)
        eigene = [
            p
            for p in plan.positionen
            if p.traeger == v.traeger.name
            and (v.sozialraum is None or p.sozialraum == v.sozialraum)
            and not vertraege_.nur_abrechnung(plan, p)  # facts of the year: settlement only
        ]
        assert ctx["summe"] == sum((p.betrag for p in eigene), Decimal("0.00"))
        assert sum((s["betrag"] for s in ctx["summen_nach_art"]), Decimal("0.00")) == ctx["summe"]

        pfad = annex.render_docx(ctx, tmp_path / annex.dateiname(v, "docx", vergeben))
        text, tabellen = _docx_text(pfad)
        html = annex.render_html(ctx)
        seite = _html_lesen(html)
        html_text = "".join(seite.text)
        for p in eigene:
            position = vertraege_.planwortlaut(p.position)  # the plan names no condition's status
            assert position in text, position
            assert betrag(p.betrag) in text
            assert position in html_text, position
            assert betrag(p.betrag) in html_text
        assert v.traeger.name in text and v.traeger.name in html_text
        assert betrag(ctx["summe"]) in text and betrag(ctx["summe"]) in html_text

        docx_budget = [t for t in tabellen if t and t[0][:2] == ["Nr.", "Position"]]
        assert len(docx_budget) == 1
        _pruefe_budgettabelle(docx_budget[0], ctx)
        html_budget = [z for k, z in seite.tabellen if k == "budget"]
        assert len(html_budget) == 1
        _pruefe_budgettabelle(html_budget[0], ctx)

        # payment plan: the Träger's instalments, with German dates
        for r in ctx["zahlungsplan"]:
            assert r["faellig"].strftime("%d.%m.%Y") in text
        assert "{{" not in text.replace("{{ 7*7 }}", "") and "{%" not in text
    assert not list(tmp_path.glob(".~*")), "temporary files left behind"


def test_context_holds_decimal_amounts_and_the_traeger_payment_plan():
    """The context keeps amounts as Decimal and lists only the Träger's own instalments."""
    result = _ergebnis("kgst")
    v = annex.vertraege(result, jugendamt=JUGENDAMT)[0]
    ctx = annex.kontext(result, v)
    assert all(isinstance(p["betrag"], Decimal) for p in ctx["positionen"])
    assert ctx["zahlungsplan"]
    assert ctx["zahlungsplan_summe"] == sum(
        (r.betrag for r in result.zahlungsplan if r.empfaenger == v.traeger.name), Decimal("0.00")
    )
    assert ctx["modell"]["titel"] == result.titel and ctx["modell"]["quelle"] == result.quelle
    assert ctx["ruecklagenregelung"] and ctx["revisionsklausel"] and ctx["berichtspflichten"]


def test_items_without_traeger_belong_to_no_contract():
    """Line items without a Träger (open case work) produce no contract; a Träger without items is a
    German error."""
    result = _ergebnis("dreisaeulen")
    vertraege = annex.vertraege(result, jugendamt="Jugendamt")
    assert all(v.traeger.name for v in vertraege)
    assert {v.traeger.name for v in vertraege} == {p.traeger for p in result.positionen if p.traeger}
    fremd = Vertrag(jugendamt="Jugendamt", traeger="Unbekannter Träger e.V.", haushaltsjahr=result.jahr)
    with pytest.raises(SozbudgetError, match=r"Unbekannter Träger e\.V\.“ hat im Ergebnis keine Positionen"):
        annex.kontext(result, fremd)
    anderes_jahr = Vertrag(jugendamt="Jugendamt", traeger=vertraege[0].traeger, haushaltsjahr=result.jahr + 1)
    with pytest.raises(AnnexFehler, match="Haushaltsjahr"):
        annex.kontext(result, anderes_jahr)


def test_contract_without_sozialraum_covers_all_items_of_the_traeger(tmp_path):
    """A contract with Sozialraum None covers every item of the Träger; the payment plan then matches."""
    result = _ergebnis("celle")
    name = result.traeger[0]
    v = Vertrag(jugendamt=JUGENDAMT, traeger=Partei(name), haushaltsjahr=result.jahr)
    ctx = annex.kontext(result, v)
    assert ctx["summe"] == result.summe(traeger=name)
    assert len(ctx["sozialraeume"]) > 1
    assert not ctx["zahlungsplan_weitere_sozialraeume"]
    html = annex.render_html(ctx)
    assert "alle Sozialräume des Vertrags" in html


# --------------------------------------------------------------------------- PDF
@pytest.mark.libreoffice
def test_docx_converts_to_pdf_with_the_total(tmp_path):
    """LibreOffice headless turns a rendered DOCX into a PDF of at least one page that shows the total."""
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice (soffice) nicht installiert")
    result = _ergebnis("stuttgart")
    v = _vertraege(result)[0]
    ctx = annex.kontext(result, v)
    docx = annex.render_docx(ctx, tmp_path / annex.dateiname(v, "docx"))
    pdf = annex.render_pdf(docx, tmp_path)
    assert pdf.is_file() and pdf.suffix == ".pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 1
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert betrag(ctx["summe"]).replace("\xa0", " ") in text.replace("\xa0", " ")
        assert v.traeger.name in text


def test_pdf_batch_uses_one_libreoffice_start_per_core_at_most(monkeypatch):
    """A batch is converted by as few LibreOffice starts as possible: one for a small batch, one per
    core (at most PDF_PROZESSE) for a large one."""
    monkeypatch.setattr(annex.os, "cpu_count", lambda: 2)
    assert [annex._pdf_prozesse(n) for n in (1, 11, 23, 24, 100, 1000)] == [1, 1, 1, 2, 2, 2]
    monkeypatch.setattr(annex.os, "cpu_count", lambda: 16)
    assert annex._pdf_prozesse(1000) == annex.PDF_PROZESSE


@pytest.mark.libreoffice
def test_pdf_batch_split_over_processes_converts_every_file(tmp_path, monkeypatch):
    """Split over two LibreOffice processes, every DOCX of the batch becomes its PDF, in place."""
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice (soffice) nicht installiert")
    monkeypatch.setattr(annex, "PDF_JE_PROZESS", 1)
    monkeypatch.setattr(annex.os, "cpu_count", lambda: 2)
    starts = []
    popen = subprocess.Popen
    monkeypatch.setattr(
        annex.subprocess, "Popen", lambda befehl, **kw: starts.append(befehl) or popen(befehl, **kw)
    )
    result = _ergebnis("kgst")
    docx = [
        annex.render_docx(annex.kontext(result, v), tmp_path / annex.dateiname(v, "docx"))
        for v in _vertraege(result)[:3]
    ]
    pdfs = annex.render_pdfs(docx, tmp_path)
    assert len(starts) == 2
    assert [p.stem for p in pdfs] == [d.stem for d in docx]
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    assert not list(tmp_path.glob(".~pdf-*"))


def test_pdf_without_libreoffice_is_a_german_error(tmp_path, monkeypatch):
    """Without soffice, render_pdf says that LibreOffice is needed and how to install it."""
    monkeypatch.setattr(annex, "_soffice", lambda: None)
    with pytest.raises(AnnexFehler, match=r"LibreOffice.*apt-get install libreoffice-writer"):
        annex.render_pdf(tmp_path / "x.docx", tmp_path)


# --------------------------------------------------------------------------- hostile values
BOESE = ["<script>alert(1)</script>", "{{ 7*7 }}", "Musterstadt & Co <Kreis>"]


def _boeses_ergebnis() -> ModelResult:
    items = []
    for i, name in enumerate(BOESE):
        items.append(
            LineItem(
                f"Sockel für {name}",
                Decimal("1000.00") + i,
                Art.UNBEDINGT,
                traeger=name,
                sozialraum="Süd <b>&</b>",
                bedingung="",
            )
        )
        items.append(
            LineItem(
                "Qualitätsanteil {% raw %}",
                Decimal("250.50"),
                Art.BEDINGT,
                traeger=name,
                sozialraum="Süd <b>&</b>",
                bedingung=f"nur wenn {name} den Nachweis {{{{ bringt }}}} & <i>erfüllt</i>",
            )
        )
    raten = []
    for name in BOESE:
        summe = sum((p.betrag for p in items if p.traeger == name and p.art == Art.UNBEDINGT), Decimal(0))
        raten.extend(zahlungsplan(summe, 2026, "quartalsweise", empfaenger=name, zweck="Abschlag"))
    gesamt = sum((p.betrag for p in items), Decimal("0.00"))
    return ModelResult("kgst", "Test <Modell> & Co", 2026, tuple(items), gesamt, tuple(raten), quelle="§ <3>")


@pytest.mark.parametrize("name", BOESE)
def test_hostile_values_appear_literally_in_both_formats(name, tmp_path):
    """User text (<script>, {{ 7*7 }}, & and <>) is escaped: it appears literally, is never executed or
    evaluated, and does not truncate the document."""
    result = _boeses_ergebnis()
    jugendamt = Partei("Jugendamt <Kreis> & Stadt", "Weg 1 <b>\n{{ 7*7 }} Ort")
    (v,) = [v for v in annex.vertraege(result, jugendamt=jugendamt, ort="A&B") if v.traeger.name == name]
    ctx = annex.kontext(result, v)

    html = annex.render_html(ctx)
    assert "<script>alert" not in html
    assert "<Kreis>" not in html and "<b>&</b>" not in html
    seite = "".join(_html_lesen(html).text)
    for wort in (
        name,
        "Jugendamt <Kreis> & Stadt",
        "Süd <b>&</b>",
        "{{ 7*7 }} Ort",
        "Qualitätsanteil {% raw %}",
    ):
        assert wort in seite, wort
    if name.startswith("<script>"):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    if name.startswith("{{"):
        assert "{{ 7*7 }}" in html and "Sockel für 49" not in seite
    if "&" in name:
        assert "Musterstadt &amp; Co &lt;Kreis&gt;" in html
    budget = next(z for k, z in _html_lesen(html).tabellen if k == "budget")
    _pruefe_budgettabelle(budget, ctx)

    pfad = annex.render_docx(ctx, tmp_path / annex.dateiname(v, "docx"))
    text, tabellen = _docx_text(pfad)
    for wort in (
        name,
        f"Sockel für {name}",
        "Jugendamt <Kreis> & Stadt",
        "Süd <b>&</b>",
        "Qualitätsanteil {% raw %}",
    ):
        assert wort in text, wort
    assert "Sockel für 49" not in text
    assert "Berichtspflichten" in text  # nothing after the hostile value was lost
    docx_budget = next(t for t in tabellen if t and t[0][:2] == ["Nr.", "Position"])
    _pruefe_budgettabelle(docx_budget, ctx)
    assert "Weg 1 <b>" in text and "{{ 7*7 }} Ort" in text


INTERNA = [
    "{{ ''.__class__.__mro__ }}",
    "{{ betrag.__globals__ }}",
    "{{ lipsum.__globals__['os'] }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ (summe|betrag).__class__.__base__.__subclasses__() }}",
    "{{ positionen.__class__ }}",
    "{{ kennzahlen.clear() }}",
    "{{ ''.join.__self__ }}",
]


@pytest.mark.parametrize("vorlage", INTERNA)
def test_template_reaching_python_internals_fails_in_german(vorlage, tmp_path):
    """A template that tries to reach Python internals stops with a German AnnexFehler naming the template."""
    result = _ergebnis("kgst")
    ctx = annex.kontext(result, annex.vertraege(result, jugendamt=JUGENDAMT)[0])
    (tmp_path / "vertragsanlage.html.j2").write_text(f"<p>{vorlage}</p>", encoding="utf-8")
    with pytest.raises(AnnexFehler, match=r"Vorlage „vertragsanlage\.html\.j2“"):
        annex.render_html(ctx, tmp_path)

    doc = Document()
    doc.add_paragraph(vorlage)
    doc.save(str(tmp_path / "vertragsanlage.docx"))
    with pytest.raises(AnnexFehler, match=r"Vorlage „vertragsanlage\.docx“"):
        annex.render_docx(ctx, tmp_path / "out.docx", tmp_path)
    assert not (tmp_path / "out.docx").exists()


def test_unknown_placeholder_and_syntax_error_are_german_errors(tmp_path):
    """A misspelt placeholder or broken tag is a German AnnexFehler, not a silent blank."""
    result = _ergebnis("kgst")
    ctx = annex.kontext(result, annex.vertraege(result, jugendamt=JUGENDAMT)[0])
    (tmp_path / "a.html.j2").write_text("{{ traegr.name }}", encoding="utf-8")
    with pytest.raises(AnnexFehler, match="unbekannten Platzhalter"):
        annex.render_html(ctx, tmp_path, vorlage="a.html.j2")
    (tmp_path / "b.html.j2").write_text("{% if %}", encoding="utf-8")
    with pytest.raises(AnnexFehler, match="Syntaxfehler"):
        annex.render_html(ctx, tmp_path, vorlage="b.html.j2")


# --------------------------------------------------------------------------- file names
VERBOTEN = set('<>:"/\\|?*')
RESERVIERT = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{i}" for p in ("COM", "LPT") for i in range(10)}
name_text = st.text(min_size=1, max_size=300).filter(lambda s: s.strip())


def _sicher(name: str) -> None:
    assert 0 < len(name) <= 120
    assert not VERBOTEN & set(name)
    assert all(unicodedata.category(c)[0] != "C" for c in name), repr(name)
    assert not name.endswith((".", " "))
    assert name.split(".")[0].upper() not in RESERVIERT
    name.encode("utf-8")  # no lone surrogates


@settings(max_examples=200, deadline=None)
@given(
    traeger=name_text,
    raum=st.none() | name_text,
    endung=st.sampled_from(["docx", "html", "pdf", ".docx", "x y"]),
)
def test_file_names_are_safe_on_windows(traeger, raum, endung):
    """Any Träger or Sozialraum text gives a file name without forbidden or control characters, reserved
    device names or a trailing dot/space, at most 120 characters; two equal contracts get distinct names."""
    v = Vertrag(jugendamt="Jugendamt", traeger=traeger, haushaltsjahr=2026, sozialraum=raum)
    vergeben: set[str] = set()
    a = annex.dateiname(v, endung, vergeben)
    b = annex.dateiname(v, endung, vergeben)
    _sicher(a)
    _sicher(b)
    assert a.casefold() != b.casefold()


@pytest.mark.parametrize(
    ("traeger", "raum", "erwartet"),
    [
        (
            "Caritasverband Musterstadt",
            "Altstadt",
            "Vertragsanlage_2026_Caritasverband-Musterstadt_Altstadt.docx",
        ),
        ("Jugendhilfe Süd-Öst gGmbH", None, "Vertragsanlage_2026_Jugendhilfe-Süd-Öst-gGmbH.docx"),
        ("CON", "NUL", "Vertragsanlage_2026_CON_NUL.docx"),
        ('A<>:"/\\|?*B', "Raum\x00\x1f.", "Vertragsanlage_2026_A-B_Raum.docx"),
    ],
)
def test_file_name_examples(traeger, raum, erwartet):
    """File names keep umlauts and turn everything else into hyphens."""
    v = Vertrag(jugendamt="Jugendamt", traeger=traeger, haushaltsjahr=2026, sozialraum=raum)
    assert annex.dateiname(v, "docx") == erwartet


def test_colliding_names_get_a_number_case_insensitively():
    """Names that differ only by case or punctuation are made unique (Windows ignores case)."""
    vergeben: set[str] = set()
    a = Vertrag(jugendamt="J", traeger="AWO e.V.", haushaltsjahr=2026, sozialraum="Nord")
    b = Vertrag(jugendamt="J", traeger="awo eV", haushaltsjahr=2026, sozialraum="nord")
    assert annex.dateiname(a, "docx", vergeben) == "Vertragsanlage_2026_AWO-eV_Nord.docx"
    assert annex.dateiname(b, "docx", vergeben) == "Vertragsanlage_2026_awo-eV_nord_2.docx"


def test_vertrag_validates_its_data():
    """Empty names, impossible terms and years are German errors."""
    with pytest.raises(SozbudgetError, match="Träger“: darf nicht leer sein"):
        Vertrag(jugendamt="Jugendamt", traeger="  ", haushaltsjahr=2026)
    with pytest.raises(AnnexFehler, match="Laufzeit endet vor ihrem Beginn"):
        Vertrag(
            jugendamt="J",
            traeger="T",
            haushaltsjahr=2026,
            laufzeit_von="31.12.2026",
            laufzeit_bis="01.01.2026",
        )
    with pytest.raises(AnnexFehler, match="Haushaltsjahr"):
        Vertrag(jugendamt="J", traeger="T", haushaltsjahr="2026")
    v = Vertrag(jugendamt="J", traeger="T", haushaltsjahr=2026)
    assert (v.laufzeit_von.isoformat(), v.laufzeit_bis.isoformat()) == ("2026-01-01", "2026-12-31")


def test_alle_anlagen_writes_unique_files_for_every_contract(tmp_path):
    """All annexes of a result go into one folder as DOCX and HTML with distinct, safe names."""
    result = _ergebnis("kgst")
    vertraege = annex.vertraege(result, jugendamt=JUGENDAMT)
    dateien = annex.alle_anlagen(result, vertraege, tmp_path, formate=("docx", "html"))
    assert len(dateien) == 2 * len(vertraege) == len({d.name for d in dateien})
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(d.name for d in dateien)
    for d in dateien:
        _sicher(d.name)
    # values are shown by their declared unit, never guessed from the column title
    assert annex.wert(2026, Einheit.JAHR) == "2026"
    assert annex.wert(Decimal("0.25"), Einheit.ANTEIL) == "25,0\xa0%"
    assert annex.wert(Decimal("1234.50"), Einheit.EURO) == "1.234,50\xa0€"
    assert annex.wert(Decimal("100000.00"), Einheit.EURO) == "100.000,00\xa0€"  # was „10.000.000,0 %“
