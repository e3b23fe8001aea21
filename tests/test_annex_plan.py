"""The annex is the plan agreed before the year (issue 12, item 5): the facts of the year
(conditions met or not, evidence given, degree of fulfilment, redistributed quality share,
overruns) are in the settlement only. The plan is built from the model re-run with the inputs its
declaration names as facts of the year set to their plan values (``Deklaration.plan``)."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

import pytest

from sozbudget_xl import abrechnung, annex, vertraege
from sozbudget_xl.ergebnis import Art
from sozbudget_xl.models import MODELLE, kgst, modell, stuttgart

JUGENDAMT = annex.Partei("Jugendamt Musterstadt", "Rathausplatz 1\n12345 Musterstadt", "Dr. Erika Mustermann")


def _vertraege(result):
    return annex.vertraege(result, JUGENDAMT, gebietskoerperschaft="Stadt Musterstadt", ort="Musterstadt")


def _text(html: str) -> str:
    html = re.sub(r"<style.*?</style>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html.replace("\xa0", " ")).strip()


def _plan(result, v) -> str:
    return _text(annex.render_html(annex.kontext(result, v)))


def _zeilen(ctx) -> list[tuple]:
    return [(p["position"], p["art"], p["bedingung"], p["betrag"]) for p in ctx["positionen"]]


# --------------------------------------------------------------------------- declarations
@pytest.mark.parametrize("name", MODELLE)
def test_plan_view_of_every_model_example_computes_and_is_stable(name):
    """Every declared Planwert names a field of the model's input; the plan input is a fixed point
    (setting the plan values twice changes nothing) and the model computes with it."""
    m = modell(name)
    eingabe, parameter = m.beispiel()
    plan_e = vertraege.planeingabe(eingabe, m.DEKLARATION.plan)
    assert vertraege.planeingabe(plan_e, m.DEKLARATION.plan) == plan_e
    result = m.berechne(eingabe, parameter)
    plan = vertraege.planansicht(result)
    assert plan.jahr == result.jahr and plan.parameter == result.parameter
    # the actual result is untouched: the settlement keeps the year's numbers
    assert m.berechne(eingabe, parameter) == result
    # a result computed from the plan input is its own plan view
    assert vertraege.planansicht(m.berechne(plan_e, parameter)).positionen == plan.positionen


def test_an_unknown_planwert_field_is_a_declaration_error():
    from sozbudget_xl.spec import Planwert

    eingabe, _ = kgst.beispiel()
    with pytest.raises(ValueError, match="kein Feld „nachweis“"):
        vertraege.planeingabe(eingabe, (Planwert("traeger.nachweis", True),))


# --------------------------------------------------------------------------- KGSt
def _kgst(nachweis_diakonie: bool):
    eingabe, parameter = kgst.beispiel()
    traeger = tuple(
        dataclasses.replace(t, qualitaetsnachweis=nachweis_diakonie) if t.name.startswith("Diakon") else t
        for t in eingabe.traeger
    )
    return kgst.berechne(dataclasses.replace(eingabe, traeger=traeger), parameter)


def test_kgst_plan_is_the_same_with_or_without_quality_evidence():
    """A Träger without evidence gets the same plan as with evidence (its quality share shown as
    bedingt with its condition), and no other Träger's plan holds redistributed amounts."""
    mit, ohne = _kgst(True), _kgst(False)
    assert any("Umverteilung" in p.position for p in ohne.positionen)  # the year's fact exists
    v_mit, v_ohne = _vertraege(mit), _vertraege(ohne)
    assert [(v.traeger.name, v.sozialraum) for v in v_mit] == [(v.traeger.name, v.sozialraum) for v in v_ohne]
    for a, b in zip(v_mit, v_ohne, strict=True):
        ctx_a, ctx_b = annex.kontext(mit, a), annex.kontext(ohne, b)
        assert _zeilen(ctx_a) == _zeilen(ctx_b)
        assert ctx_a["zahlungsplan"] == ctx_b["zahlungsplan"]
        assert _plan(mit, a) == _plan(ohne, b)
        text = _plan(ohne, b)
        assert "Umverteilung" not in " ".join(p["position"] for p in ctx_b["positionen"])
        assert "Nachweis erbracht" not in text and "nicht erbracht" not in text
        qualitaet = [p for p in ctx_b["positionen"] if p["position"].startswith("Qualitätsgebundener Anteil")]
        assert len(qualitaet) == 1 and qualitaet[0]["art"] == str(Art.BEDINGT)
        assert qualitaet[0]["bedingung"] == "Auszahlung nur gegen Qualitätsnachweis"
        # the contract's payment plan is built from the plan view and sums to its payable amount
        assert ctx_b["zahlungsplan_summe"] == ctx_b["zahlbar"] == ctx_b["summe_unbedingt"]


def test_kgst_settlement_shows_the_share_not_paid_and_redistributed():
    """The settlement keeps the year's facts: the Träger without evidence gets no quality share,
    the others get the redistributed share."""
    ohne = _kgst(False)
    for v in _vertraege(ohne):
        plan = annex.kontext(ohne, v)
        s = abrechnung.kontext(ohne, v)
        positionen = " ".join(p["position"] for p in s["positionen"])
        if v.traeger.name.startswith("Diakon"):
            assert s["summe_bedingt"] == 0 < plan["summe_bedingt"]
            assert "Qualitätsgebundener Anteil" not in positionen
        else:
            assert "Qualitätsgebundener Anteil aus Umverteilung" in positionen
            assert s["summe_bedingt"] > plan["summe_bedingt"]


# --------------------------------------------------------------------------- Stuttgart
def _stuttgart(**aenderungen):
    eingabe, parameter = stuttgart.beispiel()
    return stuttgart.berechne(dataclasses.replace(eingabe, **aenderungen), parameter)


@pytest.mark.parametrize("feld", ["volunteers", "berichtswesen", "verwendungsnachweis"])
def test_stuttgart_plan_is_the_same_whether_a_condition_is_met_open_or_not_met(feld):
    """The plan shows every conditional share as bedingt with its condition, whatever the year
    brings; the settlement shows the status (withheld when not met)."""
    ergebnisse = {status: _stuttgart(**{feld: status}) for status in (True, None, False)}
    texte, zeilen = set(), set()
    for r in ergebnisse.values():
        v = _vertraege(r)[0]
        texte.add(_plan(r, v))
        zeilen.add(tuple(_zeilen(annex.kontext(r, v))))
    assert len(texte) == 1 and len(zeilen) == 1
    (text,) = texte
    for status in (
        "– Bedingung erfüllt",
        "nicht erfüllt",
        "noch nicht geprüft",
        "wird ausgezahlt",
        "offen –",
    ):
        assert status not in text
    assert "einbehalten" not in text
    bedingt = [z for z in next(iter(zeilen)) if z[1] == str(Art.BEDINGT)]
    assert len(bedingt) == 3 and all(z[2].startswith("Auszahlung nur bei ") for z in bedingt)
    nicht = ergebnisse[False]
    v = _vertraege(nicht)[0]
    s = abrechnung.kontext(nicht, v)
    assert s["summe_bedingt"] < annex.kontext(nicht, v)["summe_bedingt"]
    status = [z["Status"] for z in s["tabellen"]["Bedingte Anteile"]["zeilen"]]
    assert "nicht erfüllt – einbehalten" in status


def test_stuttgart_plan_names_the_bonus_at_most_without_the_degree():
    """The bonus in the plan is its maximum („höchstens …“) without the degree of fulfilment; the
    indicators' actual values do not change the plan."""
    r = _stuttgart()
    v = _vertraege(r)[0]
    ctx = annex.kontext(r, v)
    text = _plan(r, v)
    hoechstens = r.kennzahlen[stuttgart.K_BONUS_MAX]
    bonus = [p for p in ctx["positionen"] if p["art"] == str(Art.BONUS)]
    assert [p["betrag"] for p in bonus] == [hoechstens] and ctx["summe_bonus"] == hoechstens
    assert "von höchstens" in bonus[0]["bedingung"]
    assert not re.search(r"Leistungsindikatoren \(\d", text)
    grad = r.kennzahlen[stuttgart.K_GRAD]
    assert grad != 1 and "91,00" not in text and "91,0 %" not in text
    assert all(b["istwert"] is None and b["erfuellungsgrad"] is None for b in ctx["bonusindikatoren"])
    anders = tuple(dataclasses.replace(i, ist=i.soll * Decimal("0.5")) for i in r.eingabe.indikatoren)
    r2 = _stuttgart(indikatoren=anders)
    assert r2.positionen != r.positionen
    assert _plan(r2, _vertraege(r2)[0]) == text
    # the settlement keeps the earned bonus and the degree
    s = abrechnung.kontext(r, v)
    assert s["summe_bonus"] < hoechstens


def test_stuttgart_actual_costs_are_not_in_the_plan():
    """Actual costs of the year (the Jahresabschluss) leave the plan unchanged."""
    r = _stuttgart()
    v = _vertraege(r)[0]
    r2 = _stuttgart(ist_kosten_a=Decimal("1500000.00"), ist_kosten_b=Decimal("170000.00"))
    assert _plan(r2, _vertraege(r2)[0]) == _plan(r, v)


@pytest.mark.parametrize("name", MODELLE)
def test_facts_of_the_year_do_not_change_any_annex(name):
    """Every model: each contract's plan annex is the same whether the input holds the year's facts
    (evidence, conditions, actual values, events, actual spending) or only what is known before."""
    m = modell(name)
    eingabe, parameter = m.beispiel()
    mit = m.berechne(eingabe, parameter)
    ohne = m.berechne(vertraege.planeingabe(eingabe, m.DEKLARATION.plan), parameter)
    for v in _vertraege(mit)[:12]:
        assert _plan(mit, v) == _plan(ohne, v)
