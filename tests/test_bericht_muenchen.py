"""München REGSAM/AEH (Gutachten §5.3) true to the report (issue 11): each test quotes the sentence
it implements and computes the expected figures by hand in its docstring."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from sozbudget_xl.errors import ModellFehler
from sozbudget_xl.models.base import Art
from sozbudget_xl.models.muenchen import (
    DEKLARATION,
    AehTeam,
    Eingabe,
    Regionsbudget,
    Sozialregion,
    Stelle,
    beispiel,
    berechne,
)
from sozbudget_xl.vertragstexte import texte


def _eingabe(**kw) -> Eingabe:
    base = {
        "regionen": (Sozialregion("Nord", festbetrag="40000.00"), Sozialregion("Süd")),
        "teams": (AehTeam("Team 1", ("Nord", "Süd"), federfuehrung="Caritas"),),
        "stellen": (
            Stelle("Nord", "Caritas", "2.5"),
            Stelle("Nord", "Stadtjugendamt", 1, kostensatz="92000.00", traegerart="oeffentlich"),
            Stelle("Süd", "AWO", 3),
        ),
    }
    base.update(kw)
    return Eingabe(**base)


def test_personalstand_mal_kostensatz_plus_festbetrag():
    """„Die Eckwerte des Gesamtvolumens orientieren sich dabei am Personalstand in der Sozialregion,
    sowie entsprechenden Kostensätzen pro Vollzeitstelle. Dazu kommt ein Festbetrag als flexibles
    Budget für sonstige Maßnahmen und fallübergreifende Arbeitsansätze.“

    Nord: 2,5 × 85.000 = 212.500 € + 1 × 92.000 € + Festbetrag 40.000 € = 344.500 €; Süd: 3 ×
    85.000 = 255.000 €; Gesamt 599.500 €.
    """
    r = berechne(_eingabe())
    assert [z["Regionalbudget"] for z in r.tabellen["Sozialregionen"]] == [D("344500.00"), D("255000.00")]
    assert r.gesamt == D("599500.00")


def test_regionsbudgets_nur_planungsgroessen_ausserhalb_des_gesamtbudgets():
    """„Für die teilstationären und stationären Hilfen ist an Regionsbudgets für Sozialbürgerhäuser
    gedacht, die aber nur als Planungs- und Steuerungsgrößen dienen und überschritten werden
    können.“

    The example: binding AEH budgets = Personal 6.982.250 € (public 23 VZ × 92.000 = 2.116.000 €,
    free 57,25 VZ × 85.000 = 4.866.250 €) + Festbeträge 730.000 € = 7.712.250 € — the Gesamt. The
    13 planning figures (50.900.000 €) are reported apart; before issue 11 they were added and the
    Gesamt read 58.612.250 €. Ist 50.154.500 € → Ausschöpfung 50.154.500 / 50.900.000 = 0,98535…
    → 98,54 %; overruns Schwabing-Freimann 215.000 (4.415.000 / 4.200.000 = 105,12 %),
    Feldmoching-Hasenbergl 290.500, Ramersdorf-Perlach 2.000 → 507.500 €, three warnings, nothing
    blocked.
    """
    r = berechne(*beispiel())
    k = r.kennzahlen
    assert r.gesamt == k["AEH-Budget gesamt"] == D("7712250.00")
    assert k["Personalbudget gesamt"] == D("6982250.00") and k["Festbeträge gesamt"] == D("730000.00")
    assert not [x for x in r.positionen if x.art is not Art.UNBEDINGT]
    assert k["Planungsgrößen (teil)stationär gesamt"] == D("50900000.00")
    assert k["Ist (teil)stationär gesamt"] == D("50154500.00")
    assert k["Ausschöpfung (teil)stationär"] == D("0.9854")
    assert k["Überschreitung (teil)stationär gesamt"] == D("507500.00")
    erste = r.tabellen["Regionsbudgets (teil)stationär"][0]
    assert (erste["Ausschöpfung"], erste["Überschreitung"]) == (D("1.0512"), D("215000.00"))
    assert erste["Verbindlich"].startswith("nein")
    assert sum(1 for w in r.warnungen if w.code == "deckel_weich_ueberschritten") == 3
    assert sum(x.betrag for x in r.zahlungsplan) == D("7712250.00")


def test_festbetrag_an_einen_traeger_nie_an_das_team():
    """„In München wurden für die ambulanten Erziehungshilfen Regionalbudgets für Träger bzw.
    Trägerverbunde eingeführt.“ — the Festbetrag (40.000 € for Nord) is paid to the team's
    federführender Träger; a team with a Festbetrag but no federführender Träger is an error (it
    was paid to the team's name before issue 11); without any Festbetrag none is needed."""
    r = berechne(_eingabe())
    (fest,) = [x for x in r.positionen if x.position.startswith("Festbetrag")]
    assert (fest.traeger, fest.betrag) == ("Caritas", D("40000.00"))
    with pytest.raises(ModellFehler) as info:
        berechne(_eingabe(teams=(AehTeam("Team 1", ("Nord", "Süd")),)))
    assert info.value.pfad == ("teams", 0, "federfuehrung") and "federführend" in str(info.value)
    ohne = _eingabe(
        regionen=(Sozialregion("Nord"), Sozialregion("Süd")), teams=(AehTeam("Team 1", ("Nord", "Süd")),)
    )
    assert berechne(ohne).gesamt == D("559500.00")  # 212.500 + 92.000 + 255.000
    assert "Team 1" not in berechne(_eingabe()).traeger


def test_oeffentliche_und_freie_traeger():
    """„Die AEH–Teams bestehen aus öffentlichen und verschiedenen freien Trägern.“ — table „Träger“
    says who is which: the Stadtjugendamt (öffentlicher Träger) 1 VZ, 92.000 €; Caritas 2,5 VZ,
    212.500 € + Festbetrag 40.000 € = 252.500 €; AWO 3 VZ, 255.000 €. In the example the Jugendamt's
    own staff is 23 VZ × 92.000 € = 2.116.000 €. One Träger with two kinds is an error."""
    r = berechne(_eingabe())
    zeilen = {z["Träger"]: z for z in r.tabellen["Träger"]}
    assert zeilen["Stadtjugendamt"]["Trägerart"] == "öffentlicher Träger"
    assert zeilen["Stadtjugendamt"]["Budget"] == D("92000.00")
    assert (zeilen["Caritas"]["Trägerart"], zeilen["Caritas"]["Budget"]) == ("freier Träger", D("252500.00"))
    assert zeilen["Caritas"]["Festbetrag"] == D("40000.00") and zeilen["AWO"]["Vollzeitstellen"] == D(3)
    assert sum(z["Budget"] for z in zeilen.values()) == r.gesamt
    b = {z["Träger"]: z for z in berechne(*beispiel()).tabellen["Träger"]}
    (oeff,) = [z for z in b.values() if z["Trägerart"] == "öffentlicher Träger"]
    assert (oeff["Vollzeitstellen"], oeff["Budget"]) == (D(23), D("2116000.00"))
    # the German word is accepted as well as the key
    wort = _eingabe(
        stellen=(Stelle("Nord", "Stadt", 1, traegerart="öffentlicher Träger"), Stelle("Süd", "AWO", 1))
    )
    assert berechne(wort).tabellen["Träger"][0]["Trägerart"] == "öffentlicher Träger"
    zwei = _eingabe(
        stellen=(
            Stelle("Nord", "Stadt", 1, traegerart="oeffentlich"),
            Stelle("Süd", "Stadt", 1, traegerart="frei"),
        )
    )
    with pytest.raises(ModellFehler) as info:
        berechne(zwei)
    assert info.value.pfad == ("stellen", 1, "traegerart")


def test_vertragstext_und_lesart():
    """The contract texts and the README reading say the planning figures are not binding and the
    Festbetrag goes to the federführender Träger."""
    rb = (Regionsbudget("Nord", "1000000", ist="1050000"),)
    r = berechne(_eingabe(regionsbudgets=rb))
    regel = " ".join(t["text"] for t in texte(r, "regel"))
    assert "nicht Teil des verbindlichen Budgets" in regel and "federführenden Träger" in regel
    assert "Planungs- und Steuerungsgrößen" in DEKLARATION.lesart and "nie" in DEKLARATION.lesart
    assert r.gesamt == D("599500.00")
