"""Contract annexes fit to sign (issue 12): parties, one annex per contract, the contract's own
payment plan, texts from the parameters, plan apart from settlement, stable numbers, stale guard."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from sozbudget_xl import abrechnung, annex, vertraege, vertragsmappe
from sozbudget_xl.cli import main
from sozbudget_xl.ergebnis import Art
from sozbudget_xl.models import MODELLE, modell
from sozbudget_xl.spec import MAPPE, parameter_in
from sozbudget_xl.workbook.recalc import Berechnung, berechne_mappe, neu_berechnen
from tests.test_deklaration import _anders

SNAPSHOTS = Path(__file__).parent / "snapshots" / "vertragsanlagen"
MAPPEN = Path(__file__).resolve().parents[1] / "workbooks"
JUGENDAMT = annex.Partei("Jugendamt Musterstadt", "Rathausplatz 1\n12345 Musterstadt", "Dr. Erika Mustermann")


def _ergebnis(name: str):
    m = modell(name)
    return m.berechne(*m.beispiel())


def _vertraege(result):
    return annex.vertraege(result, JUGENDAMT, gebietskoerperschaft="Stadt Musterstadt", ort="Musterstadt")


def _text(html: str) -> str:
    """Visible text of an HTML annex, normalised: no tags, no style, one blank between words."""
    html = re.sub(r"<style.*?</style>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    html = html.replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&").replace("\xa0", " ")
    return re.sub(r"\s+", " ", html).strip()


# --------------------------------------------------------------------------- golden annexes
@pytest.mark.parametrize("name", MODELLE)
def test_annex_text_matches_the_reviewed_snapshot(name):
    """The first contract's annex text (normalised) equals the reviewed snapshot
    (regenerate with SOZBUDGET_SNAPSHOTS=neu and review the diff)."""
    result = _ergebnis(name)
    text = _text(annex.render_html(annex.kontext(result, _vertraege(result)[0])))
    datei = SNAPSHOTS / f"{name}.txt"
    if os.environ.get("SOZBUDGET_SNAPSHOTS") == "neu":
        datei.parent.mkdir(parents=True, exist_ok=True)
        datei.write_text(text.replace(". ", ".\n") + "\n", encoding="utf-8")
    erwartet = datei.read_text(encoding="utf-8").replace("\n", " ").strip()
    assert text == erwartet


@pytest.mark.parametrize("name", MODELLE)
def test_documents_show_no_paragraph_sign_or_internal_keys(name):
    """Source labels read „Gutachten, Abschnitt …“; no „Spezifikation“, no internal option keys."""
    result = _ergebnis(name)
    ctx = annex.kontext(result, _vertraege(result)[0])
    text = _text(annex.render_html(ctx)) + _text(
        annex.render_html(abrechnung.kontext(result, _vertraege(result)[0]), vorlage=abrechnung.HTML_VORLAGE)
    )
    assert "Spezifikation" not in text
    assert not re.search(r"Gutachten\s*§", text)
    assert "Gutachten, Abschnitt" in text
    d = modell(name).DEKLARATION
    for f in d.parameter + d.eingabe:
        for w in f.auswahl or ():
            if w.schluessel != w.anzeige and "_" in w.schluessel:
                assert w.schluessel not in text, w.schluessel


# --------------------------------------------------------------------------- texts follow parameters
@pytest.mark.parametrize("name", MODELLE)
def test_annex_text_follows_every_parameter_its_texts_use(name):
    """Changing any parameter a contract text uses changes the rendered annex (the input is the
    plan's already, so the annex renders the result as it is, without recomputing the model)."""
    m = modell(name)
    eingabe, parameter = m.beispiel()
    result = m.berechne(vertraege.planeingabe(eingabe, m.DEKLARATION.plan), parameter)
    assert vertraege.planansicht(result) is result
    v = _vertraege(result)[0]
    d = modell(name).DEKLARATION
    felder = {f.feld: f for f in MAPPE + d.parameter + d.eingabe}
    namen = sorted({n for t in d.vertragstexte for n in parameter_in(t.text)})
    assert namen, f"{name}: no text uses a parameter"
    vorher = _text(annex.render_html(annex.kontext(result, v)))
    for feld in namen:
        neu = _anders(feld, getattr(result.parameter, feld), felder[feld].auswahl)
        r2 = dataclasses.replace(result, parameter=dataclasses.replace(result.parameter, **{feld: neu}))
        nachher = _text(annex.render_html(annex.kontext(r2, v)))
        assert nachher != vorher, f"{name}: annex ignores {feld}"


# --------------------------------------------------------------------------- parties and contracts
def test_no_annex_for_the_jugendamt_itself_or_homes_paid_per_case():
    """München's own Jugendamt staff and Stuttgart's external homes are no budget parties; the
    summary names them with the reason."""
    m = _ergebnis("muenchen")
    assert not [v for v in _vertraege(m) if "öffentlicher Träger" in v.traeger.name]
    (aus,) = vertraege.ausgeschlossen(m)
    assert "jugendamt" in aus.traeger.lower() and "kein Vertrag" in aus.text()
    s = _ergebnis("stuttgart")
    namen = {v.traeger.name for v in _vertraege(s)}
    heime = {p.traeger for p in s.positionen if p.position.startswith("Altfall")}
    assert heime and not namen & heime
    assert {a.traeger for a in vertraege.ausgeschlossen(s)} == heime
    assert all("je Fall finanziert" in a.text() for a in vertraege.ausgeschlossen(s))


def test_neunkirchen_is_one_contract_with_the_verbund_paid_to_its_lead_traeger():
    """One annex for the Trägerverbund over all its Sozialräume, paid to the federführender Träger."""
    r = _ergebnis("neunkirchen")
    (v,) = _vertraege(r)
    ctx = annex.kontext(r, v)
    nachtraeglich = [p for p in r.positionen if p.position.startswith("Nachträgliche Budgetanpassung")]
    assert nachtraeglich, "example has an adjustment granted afterwards"
    # the plan is the budget agreed before the year; the adjustment is a fact of the settlement
    assert ctx["summe"] == r.gesamt - sum(p.betrag for p in nachtraeglich) == ctx["zahlungsplan_summe"]
    assert "Brand" not in _text(annex.render_html(ctx))
    s = abrechnung.kontext(r, v)
    assert s["summe"] == r.gesamt and "Brand" in _text(annex.render_html(s, vorlage=abrechnung.HTML_VORLAGE))
    assert ctx["vertragspartei"] == r.eingabe.traegerverbund
    assert ctx["zahlungsempfaenger"] == v.traeger.name != ctx["vertragspartei"]
    text = _text(annex.render_html(ctx))
    assert f"Zahlungsempfänger (federführender Träger): {v.traeger.name}" in text


def test_parties_are_the_gebietskoerperschaft_represented_by_the_jugendamt(tmp_path):
    """The public party is the Stadt, „vertreten durch“ the Jugendamt, in HTML and DOCX alike."""
    r = _ergebnis("kgst")
    v = _vertraege(r)[0]
    ctx = annex.kontext(r, v)
    html = _text(annex.render_html(ctx))
    assert "Stadt Musterstadt vertreten durch Jugendamt Musterstadt" in html
    doc = Document(str(annex.render_docx(ctx, tmp_path / "a.docx")))
    zellen = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "Stadt Musterstadt" in zellen and "vertreten durch Jugendamt Musterstadt" in zellen


# --------------------------------------------------------------------------- payment plan
@pytest.mark.parametrize("name", MODELLE)
def test_each_contract_plan_sums_to_its_payable_amount(name):
    """Every annex's plan sums to the contract's unconditional amount; the contracts of a Träger
    together get exactly the Träger's instalments, date by date."""
    result = _ergebnis(name)
    liste = _vertraege(result)
    je_traeger: dict[tuple, Decimal] = {}
    for v in liste:
        ctx = annex.kontext(result, v)
        assert ctx["zahlungsplan_summe"] == ctx["zahlbar"] == ctx["summe_unbedingt"]
        assert all(r["betrag"] > 0 for r in ctx["zahlungsplan"])
        for r in ctx["zahlungsplan"]:
            key = (v.traeger.name, r["faellig"], r["nummer"])
            je_traeger[key] = je_traeger.get(key, Decimal(0)) + r["betrag"]
    for rate in result.zahlungsplan:
        key = (rate.empfaenger, rate.faellig, rate.nummer)
        if key in je_traeger:
            assert je_traeger[key] == rate.betrag


cents = st.integers(min_value=0, max_value=10**9)


@settings(max_examples=300, deadline=None)
@given(raten=st.lists(cents, min_size=1, max_size=14), gewichte=st.lists(cents, min_size=1, max_size=8))
def test_split_of_instalments_is_exact_both_ways(raten, gewichte):
    """Splitting instalments over contracts: each instalment keeps its amount, each contract gets
    exactly its amount, no part is negative."""
    raten_d = [Decimal(c) / 100 for c in raten]
    gesamt = sum(raten_d, Decimal(0))
    if not any(gewichte):
        gewichte = [1] * len(gewichte)
    from sozbudget_xl.money import allocate

    anteile = allocate(gesamt, gewichte)
    teile = vertraege.aufteilen(raten_d, anteile)
    for zeile, rate in zip(teile, raten_d, strict=True):
        assert sum(zeile, Decimal(0)) == rate
        assert all(t >= 0 for t in zeile)
    for j, a in enumerate(anteile):
        assert sum((z[j] for z in teile), Decimal(0)) == a


def test_plan_explains_why_it_differs_from_the_budget():
    """Where only some kinds are paid in advance the annex says so; the settlement has the facts."""
    r = _ergebnis("kgst")
    v = next(v for v in _vertraege(r) if annex.kontext(r, v)["summe_bedingt"])
    ctx = annex.kontext(r, v)
    assert "bedingte Anteile" in ctx["zahlungsplan_hinweis"]
    assert "Hinweise aus der Berechnung" not in _text(annex.render_html(ctx))


# --------------------------------------------------------------------------- document shape
def _ueberschriften_docx(pfad: Path) -> list[str]:
    return [p.text for p in Document(str(pfad)).paragraphs if p.style.name == "Heading 1"]


@pytest.mark.parametrize("art", ["plan", "abrechnung"])
def test_docx_and_html_carry_the_same_sections(art, tmp_path):
    """Both formats have the same numbered sections (incl. „Regeln des Modells“); the HTML has a
    running header and page numbers for print; the signatures stay with the last section."""
    r = _ergebnis("stuttgart")
    v = _vertraege(r)[0]
    bau, h, d = (annex.kontext, annex.HTML_VORLAGE, annex.DOCX_VORLAGE)
    if art == "abrechnung":
        bau, h, d = abrechnung.kontext, abrechnung.HTML_VORLAGE, abrechnung.DOCX_VORLAGE
    ctx = bau(r, v)
    html = annex.render_html(ctx, vorlage=h)
    html_h2 = [re.sub(r"\s+", " ", t).strip() for t in re.findall(r"<h2>(.*?)</h2>", html, flags=re.S)]
    docx_h1 = _ueberschriften_docx(annex.render_docx(ctx, tmp_path / "a.docx", vorlage=d))
    assert html_h2 == docx_h1
    if art == "plan":
        assert "4. Regeln des Modells" in docx_h1
    assert "counter(page)" in html and "counter(pages)" in html and "@top-left" in html
    assert '<div class="zusammen">' in html and html.index('<div class="zusammen">') < html.index(
        '<table class="unterschrift">'
    )


def test_running_header_escapes_user_text():
    """A Träger name with quotes or </style> cannot break the stylesheet's header string."""
    r = _ergebnis("kgst")
    v = dataclasses.replace(_vertraege(r)[0], vertragsnummer='X"; } body { display:none } </style>')
    html = annex.render_html(annex.kontext(r, v))
    stil = html[html.index("<style>") : html.index("</style>")]
    assert "</style" not in stil[7:] and 'X"' not in stil


def test_settlement_of_a_model_with_bonus_shows_conditions_and_actuals(tmp_path):
    """Stuttgart's settlement shows the conditional shares with their status, the bonus indicators
    with actual values and degree of fulfilment, and the bonus earned; the plan shows none of it."""
    r = _ergebnis("stuttgart")
    v = _vertraege(r)[0]
    ctx = abrechnung.kontext(r, v)
    text = _text(annex.render_html(ctx, vorlage=abrechnung.HTML_VORLAGE))
    assert "Erfüllungsgrad" in text and "Verdienter Leistungsbonus" in text
    assert "Bedingte Anteile" in text and "Status" in text
    plan = _text(annex.render_html(annex.kontext(r, v)))
    assert "Istwert" not in plan and "Erfüllungsgrad der Indikatoren" not in plan
    assert "Erfüllungsgrad der Indikatoren" in text
    dateien = annex.alle_anlagen(r, [v], tmp_path, art="abrechnung")
    assert sorted(d.name.split("_")[0] for d in dateien) == ["Abrechnung", "Abrechnung"]


# --------------------------------------------------------------------------- workbook: numbers, stale guard
@pytest.fixture
def celle_mappe(tmp_path):
    ziel = tmp_path / "celle.xlsx"
    shutil.copy(MAPPEN / "celle.xlsx", ziel)
    neu_berechnen(ziel, sicherung=False)
    return ziel


def test_contract_numbers_survive_added_and_reordered_rows(celle_mappe):
    """Numbers are kept in the sheet „Verträge“: reordering the assignment rows and adding a Träger
    in West keeps every existing number; the new contract gets the next free one."""
    blatt = vertragsmappe.lies_vertragsblatt(celle_mappe)
    alt = blatt.nummern()
    assert len(alt) == len(vertraege.schluessel(berechne_mappe(celle_mappe).ergebnis)) and blatt.pruefsumme
    b = berechne_mappe(celle_mappe)
    e = b.eingabe
    west = [z for z in e.zuordnung if z.sozialraum == "West"]
    neu_traeger = next(t.name for t in e.traeger if t.name not in {z.traeger for z in west})
    erster = dataclasses.replace(west[0], anteil=Decimal(str(west[0].anteil)) - Decimal("0.1"))
    zuordnung = [erster if z is west[0] else z for z in reversed(e.zuordnung)]
    zuordnung.append(dataclasses.replace(west[0], traeger=neu_traeger, anteil=Decimal("0.1")))
    e2 = dataclasses.replace(e, zuordnung=tuple(zuordnung))
    p2 = dataclasses.replace(b.parameter, festschreibung_aufheben=True)
    r2 = b.modul.berechne(e2, p2)
    b2 = Berechnung(b.pfad, b.modul, e2, p2, r2, b.mappe)
    zeilen = vertragsmappe.vertragsblatt(b2)[vertragsmappe.BLATT]
    kopf = zeilen[0]
    neu = {
        (z[1], z[2] or None): z[0]
        for z in zeilen[1:]
        if len(z) == len(kopf) and z[1] and z[0] != vertragsmappe.PRUEFSUMME and z[0].startswith("SRB")
    }
    for k, nr in alt.items():
        assert neu[k] == nr
    hoechste = max(int(n[-3:]) for n in alt.values())
    assert neu[(neu_traeger, "West")].endswith(f"{hoechste + 1:03d}")


def test_user_edits_in_the_contract_sheet_are_kept_and_used(celle_mappe, tmp_path):
    """A number, address and signatory typed into „Verträge“ survive recalc and appear in the annex."""
    wb = openpyxl.load_workbook(celle_mappe)
    ws = wb[vertragsmappe.BLATT]
    ws["A2"] = "SOZ-7"
    ws["E2"] = "Hauptstraße 5; 29221 Celle"
    ws["F2"] = "Maria Beispiel, Geschäftsführerin"
    traeger, raum = ws["B2"].value, ws["C2"].value
    wb.save(celle_mappe)
    neu_berechnen(celle_mappe, sicherung=False)
    assert vertragsmappe.lies_vertragsblatt(celle_mappe).nummern()[(traeger, raum)] == "SOZ-7"
    lauf = vertragsmappe.dokumente_aus_mappe(celle_mappe, tmp_path, formate=("html",))
    html = next(p for p in lauf.dateien if traeger.split()[0] in p.name and raum in p.name).read_text()
    assert "SOZ-7" in html and "Hauptstraße 5" in html and "Maria Beispiel" in html


def test_annex_from_a_stale_workbook_is_refused(celle_mappe, tmp_path, capsys):
    """After an input changed without recalc, annex refuses with a German message naming the
    workbook; --trotz-veraltet overrides; after recalc it works again."""
    wb = openpyxl.load_workbook(celle_mappe)
    ws = wb["Parameter"]
    zeile = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Vorjahresrechnungsergebnis")
    ws.cell(zeile, 2).value = float(ws.cell(zeile, 2).value) + 1000
    wb.save(celle_mappe)
    with pytest.raises(vertragsmappe.VeraltetFehler, match=r"„celle\.xlsx“.*geändert"):
        vertragsmappe.dokumente_aus_mappe(celle_mappe, tmp_path, formate=("html",))
    assert main(["annex", str(celle_mappe), "--out", str(tmp_path / "a"), "--format", "html"]) == 2
    assert "celle.xlsx" in capsys.readouterr().out
    assert (
        main(
            ["annex", str(celle_mappe), "--out", str(tmp_path / "b"), "--format", "html", "--trotz-veraltet"]
        )
        == 0
    )
    neu_berechnen(celle_mappe, sicherung=False)
    lauf = vertragsmappe.dokumente_aus_mappe(celle_mappe, tmp_path, formate=("html",))
    assert lauf.dateien and not any("geändert" in h for h in lauf.hinweise)


def test_kinds_of_items_in_the_contract_plan_are_unconditional_only():
    """The contract's instalments pay only unconditional amounts (the model's plan rule)."""
    r = _ergebnis("tuebingen")
    for v in _vertraege(r):
        ctx = annex.kontext(r, v)
        offen = sum((p["betrag"] for p in ctx["positionen"] if p["art"] == str(Art.OFFEN)), Decimal(0))
        assert (
            ctx["zahlungsplan_summe"]
            == ctx["summe"] - offen - ctx["summe_bedingt"] - ctx["summe_bonus"] - ctx["summe_einbehalten"]
        )


def test_redistributed_quality_share_is_in_the_settlement_not_in_the_plan():
    """KGSt: the quality share redistributed after the year (a Träger without evidence) is a fact
    of the settlement; the plan shows the budget agreed before the year."""
    r = _ergebnis("kgst")
    umverteilt = "Qualitätsgebundener Anteil aus Umverteilung"
    assert any(p.position == umverteilt for p in r.positionen)
    for v in _vertraege(r):
        plan = annex.kontext(r, v)
        assert umverteilt not in [p["position"] for p in plan["positionen"]]
        s = abrechnung.kontext(r, v)
        eigene = [p for p in r.positionen if p.traeger == v.traeger.name and p.sozialraum == v.sozialraum]
        assert s["summe"] == sum((p.betrag for p in eigene), Decimal(0))
