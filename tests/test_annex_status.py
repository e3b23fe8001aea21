"""Conditions in the plan and in the settlement (issue 12: „An annex is the plan agreed before the
year; the settlement is another document“): the plan (Vertragsanlage) names each condition and
never says whether it was met; the settlement (Abrechnung) says it as the workbook's inputs say it
— each status input changes the settlement's text and leaves the plan's wording alone."""

from __future__ import annotations

import dataclasses
import re

import pytest

from sozbudget_xl import abrechnung, annex, vertraege
from sozbudget_xl.models import modell

#: status words of a condition (any of them in the plan would state a fact of the year)
STATUSWORTE = re.compile(r"– Bedingung (nicht )?erfüllt|noch nicht geprüft|Nachweis (nicht )?erbracht\)")


def _text(html: str) -> str:
    html = re.sub(r"<style.*?</style>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html).replace("&#34;", '"').replace("&amp;", "&").replace("\xa0", " ")
    return re.sub(r"\s+", " ", html).strip()


def _plan_und_abrechnung(result, traeger: str) -> tuple[str, str]:
    (v,) = [v for v in annex.vertraege(result) if v.traeger.name == traeger]
    plan = _text(annex.render_html(annex.kontext(result, v)))
    s = _text(annex.render_html(abrechnung.kontext(result, v), vorlage=abrechnung.HTML_VORLAGE))
    return plan, s


# Stuttgart (Gutachten 3.2, rule 4): „Die restlichen 5 % werden erst bei Erfüllung bestimmter
# Bedingungen ausgezahlt“ — the plan names the condition, the settlement its status.
STUTTGART_STATUS = {
    True: "Bedingung erfüllt",
    None: "Erfüllung noch nicht geprüft",
    False: "nicht erfüllt",
}


@pytest.mark.parametrize("feld", ["volunteers", "berichtswesen", "verwendungsnachweis"])
@pytest.mark.parametrize("status", [True, None, False])
def test_stuttgart_condition_status_is_in_the_settlement_only(feld, status):
    m = modell("stuttgart")
    e, p = m.beispiel()
    andere = {f: None for f in ("volunteers", "berichtswesen", "verwendungsnachweis") if f != feld}
    r = m.berechne(dataclasses.replace(e, **{feld: status}, **andere), p)
    plan, s = _plan_und_abrechnung(r, e.traeger)
    assert not STATUSWORTE.search(plan), STATUSWORTE.search(plan)
    wort = {
        "volunteers": "Volunteers",
        "berichtswesen": "Berichtswesens",
        "verwendungsnachweis": "Verwendungs",
    }
    # the settlement names this condition together with its status
    treffer = [t for t in re.split(r"(?=Bedingter Anteil:|Bedingung „|Bedingung Einsatz|Bedingung Erst)", s)
               if wort[feld] in t]  # fmt: skip
    assert any(STUTTGART_STATUS[status] in t for t in treffer), treffer
    if status is not False:  # a condition not met leaves the contract (retained by the Jugendamt)
        assert "Einsatz von Volunteers (1 % des Gesamtbudgets) bedingt Auszahlung nur bei Einsatz von" in plan


@pytest.mark.parametrize("nachweis", [True, False])
def test_kgst_evidence_status_is_in_the_settlement_only(nachweis):
    """KGSt (Gutachten 3): the quality share is paid „nur gegen Nachweis“; whether the evidence
    was given is a fact of the year."""
    m = modell("kgst")
    e, p = m.beispiel()
    erster = dataclasses.replace(e.traeger[0], qualitaetsnachweis=nachweis)
    r = m.berechne(dataclasses.replace(e, traeger=(erster, *e.traeger[1:])), p)
    plan, s = _plan_und_abrechnung(r, erster.name)
    assert "Nachweis erbracht)" not in plan
    if nachweis:
        assert "Auszahlung nur gegen Qualitätsnachweis" in plan
        assert "Auszahlung nur gegen Qualitätsnachweis (Nachweis erbracht)" in s
    else:
        assert "(Nachweis erbracht)" not in s
        assert f"{erster.name} hat keinen Qualitätsnachweis erbracht" in s


def test_plan_wording_keeps_everything_but_the_status():
    assert vertraege.planwortlaut("Bedingter Anteil: X (1 % des Gesamtbudgets) – Bedingung erfüllt") == (
        "Bedingter Anteil: X (1 % des Gesamtbudgets)"
    )
    assert vertraege.planwortlaut("A (B) – Bedingung nicht erfüllt, beim Jugendamt einbehalten") == "A (B)"
    assert vertraege.planwortlaut("A – Erfüllung noch nicht geprüft") == "A"
    assert vertraege.planwortlaut("Umverteilung (X), Y; Auszahlung nur gegen eigenen Qualitätsnachweis "
                                  "(Nachweis erbracht)") == (
        "Umverteilung (X), Y; Auszahlung nur gegen eigenen Qualitätsnachweis"
    )  # fmt: skip
    # texts without a status stay as they are (a dash inside a name is no status)
    for t in ("Teilbudget a – fallbezogene Erziehungshilfe", "Sockelbetrag (70 %)", ""):
        assert vertraege.planwortlaut(t) == t
