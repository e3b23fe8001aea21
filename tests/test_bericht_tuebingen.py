"""Landkreis Tübingen (Gutachten §5.4) true to the report (issue 11): each test quotes the sentence
it implements and computes the expected figures by hand in its docstring."""

from __future__ import annotations

from decimal import Decimal as D

from sozbudget_xl.models.base import Art
from sozbudget_xl.models.tuebingen import DEKLARATION, Parameter, beispiel, berechne
from sozbudget_xl.vertragstexte import texte


def test_bereich_c_nach_absprache_und_beauftragung():
    """„Diese Leistungen werden pauschal finanziert nach Absprache und Beauftragung durch den
    öffentlichen Träger der Jugendhilfe.“ — Bereich C is conditional by default.

    Example: C = 270.000 € by caused costs 45/35/20 % → 121.500 / 94.500 / 54.000 €, each of kind
    „bedingt“ with that condition; the instalments pay only B = 390.000 + 165.000 + 480.000 =
    1.035.000 €. With „Bereich C bedingt“ = nein the plan pays B + C = 1.305.000 €.
    """
    r = berechne(*beispiel())
    c = [x for x in r.positionen if x.position.startswith("Bereich C")]
    assert [x.betrag for x in c] == [D("121500.00"), D("94500.00"), D("54000.00")]
    assert all(x.art is Art.BEDINGT and "nach Absprache und Beauftragung" in x.bedingung for x in c)
    assert sum(x.betrag for x in r.zahlungsplan) == D("1035000.00")
    e, p = beispiel()
    unbedingt = berechne(e, Parameter(fls_satz=p.fls_satz, bereich_c_bedingt=False, bundesland="BW"))
    assert sum(x.betrag for x in unbedingt.zahlungsplan) == D("1305000.00")


def test_bis_zu_50_prozent_anderer_traeger_sind_ein_hinweis():
    """„Bei der individuellen Leistungserbringung werden jedoch auch andere Träger in Anspruch
    genommen, faktisch bis zu 50 % bei den Individualleistungen.“ and „über die bei
    Einzelfallhilfen zunächst immer zu prüfende vorrangige Inanspruchnahme des für den Sozialraum
    zuständigen Trägers“ — an observation, not an agreed limit: a Hinweis, nothing capped.

    Rottenburg: station Träger 400 + 150 = 550 h, others 450 + 260,5 = 710,5 h of 1.260,5 h →
    0,56366… → 56,37 % > 50 %: one Hinweis asking to check the priority. The other Träger's hours
    are forecast in full: 450 × 72,50 = 32.625 €, 260,5 × 72,50 = 18.886,25 €. Tübingen-Stadt
    540 / 1.450 = 37,24 %, Steinlach-Mössingen 140 / 740 = 18,92 %: no Hinweis.
    """
    r = berechne(*beispiel())
    anteile = [z["Anteil andere Träger"] for z in r.tabellen["Anteil anderer Träger (Bereich A)"]]
    assert anteile == [D("0.3724"), D("0.5637"), D("0.1892")]
    (w,) = r.warnungen
    assert w.code == "fremdanteil_ueberschritten" and w.sozialraum == "Jugendhilfestation Rottenburg"
    assert "vorrangige Inanspruchnahme" in w.text and "zu prüfen" in w.text
    assert "keine vereinbarte Grenze" in w.text and "vereinbart)" not in w.text
    rottenburg = r.tabellen["Anteil anderer Träger (Bereich A)"][1]
    assert rottenburg["Hinweis"].startswith("vorrangige Inanspruchnahme")
    fremd = {
        x.traeger: x.betrag
        for x in r.positionen
        if x.sozialraum == "Jugendhilfestation Rottenburg" and x.art is Art.OFFEN
    }
    assert fremd["Evangelische Jugendhilfe Musterkreis e.V."] == D("32625.00")
    assert fremd["AWO Kreisverband Musterkreis e.V."] == D("18886.25")


def test_vertragstext_und_lesart():
    """The rule text asks to check the priority of the responsible Träger and names the condition of
    C by default; the README reading calls the 50 % an observation."""
    r = berechne(*beispiel())
    regel = " ".join(t["text"] for t in texte(r, "regel"))
    assert "vorrangige Inanspruchnahme des für den Sozialraum zuständigen Trägers zu prüfen" in regel
    assert "nur nach Absprache und Beauftragung" in regel
    assert "Beobachtung" in DEKLARATION.lesart and "Hinweisschwelle" in DEKLARATION.lesart
    assert Parameter().bereich_c_bedingt is True
