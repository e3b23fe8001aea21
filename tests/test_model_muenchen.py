"""München REGSAM/AEH model (Gutachten §5.3, Spezifikation §3.4): worked examples, bad input, properties."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sozbudget_xl.einheiten import Einheit
from sozbudget_xl.errors import ModellFehler
from sozbudget_xl.models import modell
from sozbudget_xl.models.base import Art
from sozbudget_xl.models.muenchen import (
    DEKLARATION,
    NAME,
    AehTeam,
    Eingabe,
    Parameter,
    Regionsbudget,
    Sozialregion,
    Stelle,
    beispiel,
    berechne,
)
from sozbudget_xl.vertragstexte import texte


def _eingabe(**kw) -> Eingabe:
    """Two regions in one team: Nord (2,5 VZ Caritas, 1 VZ Stadt at 92.000 €, Festbetrag 40.000 €),
    Süd (3 VZ AWO, Festbetrag 0)."""
    base = {
        "regionen": (Sozialregion("Nord", festbetrag="40000.00"), Sozialregion("Süd")),
        "teams": (AehTeam("Team 1", ("Nord", "Süd"), federfuehrung="Caritas"),),
        "stellen": (
            Stelle("Nord", "Caritas", "2.5"),
            Stelle("Nord", "Stadtjugendamt", 1, kostensatz="92000.00", funktion="Bezirkssozialarbeit"),
            Stelle("Süd", "AWO", 3),
        ),
    }
    base.update(kw)
    return Eingabe(**base)


def _fehler(eingabe, parameter=None) -> ModellFehler:
    with pytest.raises(ModellFehler) as info:
        berechne(eingabe, parameter)
    assert info.value.model == NAME
    assert "muenchen" in str(info.value)
    return info.value


# --------------------------------------------------------------------------- contract


def test_registry_liefert_modul():
    """The registry names „muenchen“ and „münchen“ resolve to this module."""
    assert modell("münchen").NAME == modell("muenchen").NAME == "muenchen"
    assert modell("muenchen").QUELLE.startswith("Gutachten, Abschnitt 5.3")


def test_beispiel_hat_fuenf_teams_fuer_dreizehn_regionen():
    """The worked example has the source's shape: 5 AEH teams serving 13 Sozialregionen."""
    e, p = beispiel()
    r = berechne(e, p)
    assert len(e.teams) == 5 and len(e.regionen) == 13
    assert sorted(len(t.sozialregionen) for t in e.teams) == [2, 2, 3, 3, 3]
    teams = r.tabellen["AEH-Teams"]
    assert sum(z["Budget"] for z in teams) == r.kennzahlen["AEH-Budget gesamt"]
    assert r.summe(art="unbedingt") == r.kennzahlen["AEH-Budget gesamt"]
    assert len(r.traeger) >= 3
    assert any(w.code == "deckel_weich_ueberschritten" for w in r.warnungen)


# --------------------------------------------------------------------------- rule 1


def test_regionalbudget_stellen_mal_kostensatz_plus_festbetrag():
    """Budget of a region = Σ Vollzeitstellen × Kostensatz + Festbetrag.

    Nord: 2,5 × 85.000 € = 212.500 € + 1 × 92.000 € = 92.000 € + Festbetrag 40.000 € = 344.500 €.
    Süd: 3 × 85.000 € = 255.000 €. Total 599.500 €.
    """
    r = berechne(_eingabe())
    regionen = {z["Sozialregion"]: z for z in r.tabellen["Sozialregionen"]}
    assert regionen["Nord"]["Regionalbudget"] == D("344500.00")
    assert regionen["Nord"]["Personalbudget"] == D("304500.00")
    assert regionen["Nord"]["Vollzeitstellen"] == D("3.5")
    assert regionen["Süd"]["Regionalbudget"] == D("255000.00")
    assert r.gesamt == D("599500.00")
    assert [x.betrag for x in r.positionen] == [D("212500.00"), D("92000.00"), D("40000.00"), D("255000.00")]
    assert r.positionen[0].position == "AEH-Personal: 2,5 Vollzeitstellen × 85.000,00\xa0€"
    assert "Bezirkssozialarbeit" in r.positionen[1].position


def test_kostensatz_ist_parameter():
    """Rows without their own rate use the parameter: Nord 2,5 × 80.000 = 200.000 € (own rate kept)."""
    r = berechne(_eingabe(), Parameter(kostensatz_vollzeitstelle="80000"))
    assert r.summe(traeger="Caritas", sozialraum="Nord", art="unbedingt") == D("240000.00")  # + Festbetrag
    assert r.summe(traeger="Stadtjugendamt") == D("92000.00")
    assert r.summe(traeger="AWO") == D("240000.00")


def test_bruchteile_von_stellen_werden_kaufmaennisch_gerundet():
    """Fractional positions: 0,3333 VZ × 85.000,01 € = 28.330,503333 € → 28.330,50 €."""
    e = _eingabe(
        stellen=(Stelle("Nord", "Caritas", "0.3333", kostensatz="85000.01"), Stelle("Süd", "AWO", 1))
    )
    r = berechne(e)
    assert r.positionen[0].betrag == D("28330.50")


def test_festbetrag_geht_an_federfuehrung():
    """The Festbetrag goes to the team's federführender Träger. (Before issue 11 a team without one
    received it under its own name; the report pays Träger, so that is now an error, see
    test_bericht_muenchen.)"""
    r = berechne(_eingabe())
    fest = [x for x in r.positionen if x.position.startswith("Festbetrag")]
    assert [(x.traeger, x.sozialraum, x.betrag) for x in fest] == [("Caritas", "Nord", D("40000.00"))]


def test_region_ohne_stellen_warnt():
    """A region without any staff gets only its Festbetrag and a warning."""
    e = _eingabe(stellen=(Stelle("Süd", "AWO", 3),))
    r = berechne(e)
    assert r.tabellen["Sozialregionen"][0]["Regionalbudget"] == D("40000.00")
    assert [w.code for w in r.warnungen] == ["keine_stellen"]


def test_zahlungsplan_monatlich_je_empfaenger():
    """The AEH budget is paid monthly per recipient: Caritas 252.500 € → 21.041,67 € × 8 + 21.041,66 € × 4.

    252.500,00 € = 25.250.000 ct = 12 × 2.104.166 + 8 → eight instalments of 21.041,67 € and
    four of 21.041,66 €.
    """
    r = berechne(_eingabe())
    caritas = [x.betrag for x in r.zahlungsplan if x.empfaenger == "Caritas"]
    assert caritas == [D("21041.67")] * 8 + [D("21041.66")] * 4
    assert sum(x.betrag for x in r.zahlungsplan) == r.gesamt


# --------------------------------------------------------------------------- rule 2


def test_teambudget_ist_summe_seiner_regionen():
    """A team's budget is the sum of its regions: 344.500 € + 255.000 € = 599.500 €."""
    e = _eingabe(
        regionen=(Sozialregion("Nord", "40000"), Sozialregion("Süd"), Sozialregion("West", "10000")),
        teams=(AehTeam("Team 1", ("Nord", "Süd"), "Caritas"), AehTeam("Team 2", ("West",), "AWO")),
    )
    r = berechne(e)
    teams = {z["AEH-Team"]: z for z in r.tabellen["AEH-Teams"]}
    assert teams["Team 1"]["Budget"] == D("599500.00")
    assert teams["Team 1"]["Sozialregionen"] == "Nord, Süd"
    assert teams["Team 2"]["Budget"] == D("10000.00")
    assert r.kennzahlen["AEH-Budget gesamt"] == D("609500.00")


def test_region_in_zwei_teams_ist_fehler():
    """A region served by two AEH teams is an error naming the region and both teams."""
    e = _eingabe(teams=(AehTeam("Team 1", ("Nord", "Süd")), AehTeam("Team 2", ("Süd",))))
    err = _fehler(e)
    assert err.item == "Süd" and err.field == "AEH-Team"
    assert "Team 1" in str(err) and "Team 2" in str(err)


def test_region_ohne_team_ist_fehler():
    """A region that belongs to no AEH team is an error."""
    err = _fehler(_eingabe(teams=(AehTeam("Team 1", ("Nord",)),)))
    assert err.item == "Süd" and err.field == "AEH-Team"


def test_team_mit_unbekannter_region_ist_fehler():
    """A team naming an unknown Sozialregion is an error naming the team."""
    err = _fehler(_eingabe(teams=(AehTeam("Team 1", ("Nord", "Süd", "Ost")),)))
    assert err.item == "Team 1" and err.field == "Sozialregionen" and err.found == "Ost"


# --------------------------------------------------------------------------- rule 3: soft cap


def test_weicher_deckel_bericht():
    """Planning figures may be exceeded: Ausschöpfung, Überschreitung and a warning, never an error.

    Nord: Plan 1.000.000 €, Ist 1.050.000 € → 105,00 %, Überschreitung 50.000 €, Rest 0 €, warning.
    Süd: Plan 800.000 €, Ist 600.000 € → 75,00 %, Rest 200.000 €, no warning.
    Total: Ist 1.650.000 / Plan 1.800.000 = 0,9167.
    """
    rb = (
        Regionsbudget("Nord", "1000000", ist="1050000", sozialbuergerhaus="Nord"),
        Regionsbudget("Süd", "800000", ist="600000"),
    )
    r = berechne(_eingabe(regionsbudgets=rb))
    rows = {z["Sozialregion"]: z for z in r.tabellen["Regionsbudgets (teil)stationär"]}
    assert (rows["Nord"]["Ausschöpfung"], rows["Nord"]["Überschreitung"], rows["Nord"]["Rest"]) == (
        D("1.0500"),
        D("50000.00"),
        D("0.00"),
    )
    assert (rows["Süd"]["Ausschöpfung"], rows["Süd"]["Überschreitung"], rows["Süd"]["Rest"]) == (
        D("0.7500"),
        D("0.00"),
        D("200000.00"),
    )
    warn = [w for w in r.warnungen if w.code == "deckel_weich_ueberschritten"]
    assert len(warn) == 1 and warn[0].sozialraum == "Nord" and "50.000,00" in warn[0].text
    assert r.kennzahlen["Ausschöpfung (teil)stationär"] == D("0.9167")
    assert r.kennzahlen["Überschreitung (teil)stationär gesamt"] == D("50000.00")


def test_planungsgroessen_sind_keine_positionen_und_nicht_im_gesamt():
    """Planning figures are no line items and not in the total, and are not paid in instalments.

    Before issue 11 they were open line items and the total was 1.599.500 €; the report calls them
    „nur … Planungs- und Steuerungsgrößen“, so the total is the binding 599.500 € only and the
    1.000.000 € stand in their own table."""
    r = berechne(_eingabe(regionsbudgets=(Regionsbudget("Nord", "1000000", sozialbuergerhaus="Nord"),)))
    assert not [x for x in r.positionen if x.art == Art.OFFEN]
    assert r.gesamt == D("599500.00")
    assert sum(x.betrag for x in r.zahlungsplan) == D("599500.00")
    zeile = r.tabellen["Regionsbudgets (teil)stationär"][0]
    assert (zeile["Sozialbürgerhaus"], zeile["Planbetrag"]) == ("Nord", D("1000000.00"))


def test_ohne_ist_kein_bericht_der_ausschoepfung():
    """Without actual spending the report shows no Ausschöpfung and gives no warning."""
    r = berechne(_eingabe(regionsbudgets=(Regionsbudget("Nord", "1000000"),)))
    row = r.tabellen["Regionsbudgets (teil)stationär"][0]
    assert row["Ist"] is None and row["Ausschöpfung"] is None and row["Überschreitung"] is None
    assert not r.warnungen
    assert "Ist (teil)stationär gesamt" not in r.kennzahlen


def test_planbetrag_null_mit_ausgaben():
    """Planning figure 0 € with spending: no quota (None), overrun = spending, a warning, no error."""
    r = berechne(_eingabe(regionsbudgets=(Regionsbudget("Süd", "0", ist="5000"),)))
    row = r.tabellen["Regionsbudgets (teil)stationär"][0]
    assert row["Ausschöpfung"] is None and row["Überschreitung"] == D("5000.00")
    assert [w.code for w in r.warnungen] == ["deckel_weich_ueberschritten"]


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kw", "item", "field"),
    [
        ({"regionen": ()}, None, "Sozialregionen"),
        ({"teams": ()}, None, "AEH-Teams"),
        ({"stellen": ()}, None, "Stellen"),
        ({"regionen": (Sozialregion("Nord"), Sozialregion("Nord"))}, "Nord", "Sozialregion"),
        ({"regionen": (Sozialregion("Nord", "-1"), Sozialregion("Süd"))}, "Nord", "Festbetrag"),
        ({"regionen": (Sozialregion("Nord", float("nan")), Sozialregion("Süd"))}, "Nord", "Festbetrag"),
        ({"teams": (AehTeam("T", ("Nord",)), AehTeam("T", ("Süd",)))}, "T", "AEH-Team"),
        ({"teams": (AehTeam("T", ()),)}, "T", "Sozialregionen"),
        ({"teams": (AehTeam("T", "Nord"),)}, "T", "Sozialregionen"),
        ({"stellen": (Stelle("Ost", "Caritas", 1),)}, "Caritas", "Sozialregion"),
        ({"stellen": (Stelle("Nord", "Caritas", -1),)}, "Caritas", "Vollzeitstellen"),
        ({"stellen": (Stelle("Nord", "Caritas", float("nan")),)}, "Caritas", "Vollzeitstellen"),
        (
            {"stellen": (Stelle("Nord", "Caritas", 1, kostensatz="-5"),)},
            "Caritas",
            "Kostensatz je Vollzeitstelle",
        ),
        (
            {"stellen": (Stelle("Nord", "Caritas", 1, kostensatz=0),)},
            "Caritas",
            "Kostensatz je Vollzeitstelle",
        ),
        (
            {"stellen": (Stelle("Nord", "Caritas", 1), Stelle("Nord", "Caritas", 2))},
            "Caritas",
            "Träger",
        ),
        ({"stellen": (Stelle("Nord", "", 1),)}, "", "Träger"),
        ({"regionsbudgets": (Regionsbudget("Ost", "1"),)}, "Ost", "Sozialregion"),
        ({"regionsbudgets": (Regionsbudget("Nord", "-1"),)}, "Nord", "Planbetrag"),
        ({"regionsbudgets": (Regionsbudget("Nord", "1", ist="-1"),)}, "Nord", "Ist"),
        (
            {"regionsbudgets": (Regionsbudget("Nord", "1"), Regionsbudget("Nord", "2"))},
            "Nord",
            "Sozialregion",
        ),
    ],
)
def test_ungueltige_eingaben(kw, item, field):
    """Empty lists, duplicates, unknown regions, negative/NaN numbers and staff without cost: errors."""
    err = _fehler(_eingabe(**kw))
    assert err.item == item and err.field == field
    assert field in str(err)


def test_stelle_ohne_kosten_meldung():
    """Staff with a Kostensatz of 0 is rejected as „Stellen ohne Kosten“."""
    err = _fehler(_eingabe(stellen=(Stelle("Nord", "Caritas", 1, kostensatz=0),)))
    assert "ohne Kosten" in str(err)


def test_zwei_stellenzeilen_mit_verschiedener_funktion_sind_erlaubt():
    """The same Träger may have two staff rows in a region when their Funktion differs."""
    e = _eingabe(
        stellen=(
            Stelle("Nord", "Caritas", 1, funktion="Sozialpädagogik"),
            Stelle("Nord", "Caritas", "0.5", kostensatz="60000", funktion="Verwaltung"),
        )
    )
    assert berechne(e).summe(traeger="Caritas") == D("155000.00")  # 85.000 + 30.000 + 40.000 Festbetrag


@pytest.mark.parametrize(
    ("parameter", "field"),
    [
        (Parameter(kostensatz_vollzeitstelle=0), "Kostensatz je Vollzeitstelle"),
        (Parameter(kostensatz_vollzeitstelle="-1"), "Kostensatz je Vollzeitstelle"),
        (Parameter(zahlungsweise="täglich"), "Zahlungsweise"),
        (Parameter(bundesland="Bayern"), "Bundesland"),
    ],
)
def test_ungueltige_parameter(parameter, field):
    """Invalid parameters are a ModellFehler naming the field."""
    assert _fehler(_eingabe(), parameter).field == field


# --------------------------------------------------------------------------- properties


@st.composite
def _zufall(draw):
    n = draw(st.integers(1, 8))
    regionen = [f"Region {i}" for i in range(n)]
    k = draw(st.integers(1, n))
    team_von = [draw(st.integers(0, k - 1)) for _ in range(n)]
    teams = [
        AehTeam(f"Team {t}", tuple(r for r, tt in zip(regionen, team_von) if tt == t), f"Träger {t}")
        for t in range(k)
        if t in team_von
    ]
    fest = [D(draw(st.integers(0, 10_000_000))) / 100 for _ in regionen]
    stellen = []
    for r in regionen:
        for j in range(draw(st.integers(0, 3))):
            vz = D(draw(st.integers(0, 1000))) / 100
            satz = draw(st.one_of(st.none(), st.integers(1, 15_000_000).map(lambda c: D(c) / 100)))
            stellen.append(Stelle(r, f"Träger {j}", vz, kostensatz=satz))
    if not stellen:
        stellen.append(Stelle(regionen[0], "Träger 0", 1))
    plan = [
        Regionsbudget(
            r,
            D(draw(st.integers(0, 10**9))) / 100,
            ist=draw(st.one_of(st.none(), st.integers(0, 10**9).map(lambda c: D(c) / 100))),
        )
        for r in regionen
        if draw(st.booleans())
    ]
    return regionen, fest, teams, stellen, plan


def _bau(regionen, fest, teams, stellen, plan) -> Eingabe:
    return Eingabe(
        regionen=tuple(Sozialregion(r, f) for r, f in zip(regionen, fest)),
        teams=tuple(teams),
        stellen=tuple(stellen),
        regionsbudgets=tuple(plan),
    )


@settings(max_examples=60, deadline=None)
@given(daten=_zufall())
def test_eigenschaft_summe_und_keine_negativen(daten):
    """For random valid input the items sum to the total, no amount is negative, teams add up."""
    r = berechne(_bau(*daten))
    assert sum((x.betrag for x in r.positionen), D(0)) == r.gesamt
    assert all(x.betrag >= 0 for x in r.positionen)
    assert sum((z["Budget"] for z in r.tabellen["AEH-Teams"]), D(0)) == r.kennzahlen["AEH-Budget gesamt"]
    assert sum((x.betrag for x in r.zahlungsplan), D(0)) == r.kennzahlen["AEH-Budget gesamt"]
    for z in r.tabellen.get("Regionsbudgets (teil)stationär", ()):
        if z["Ist"] is not None:
            assert z["Planbetrag"] - z["Rest"] + z["Überschreitung"] == z["Ist"]


@settings(max_examples=60, deadline=None)
@given(daten=_zufall(), data=st.data())
def test_eigenschaft_reihenfolge_egal(daten, data):
    """Permuting regions, teams, staff rows and planning rows changes only the order of the items."""
    regionen, fest, teams, stellen, plan = daten
    pr = data.draw(st.permutations(range(len(regionen))))
    ps = data.draw(st.permutations(stellen))
    pt = data.draw(st.permutations(teams))
    pp = data.draw(st.permutations(plan))
    a = berechne(_bau(regionen, fest, teams, stellen, plan))
    b = berechne(_bau([regionen[i] for i in pr], [fest[i] for i in pr], pt, ps, pp))

    def je_name(r):
        out: dict = {}
        for x in r.positionen:
            key = (x.traeger, x.sozialraum, x.art)
            out[key] = out.get(key, D(0)) + x.betrag
        return out

    assert je_name(a) == je_name(b)
    assert a.gesamt == b.gesamt
    ta = {z["AEH-Team"]: z["Budget"] for z in a.tabellen["AEH-Teams"]}
    tb = {z["AEH-Team"]: z["Budget"] for z in b.tabellen["AEH-Teams"]}
    assert ta == tb


def test_falscher_typ_von_eingabe_oder_parameter():
    """Something else than an Eingabe or a Parameter is a ModellFehler naming the model."""
    _fehler(object())
    assert _fehler(_eingabe(), "falsch").field == "Parameter"


# --------------------------------------------------------------------------- declaration


def test_ergebnis_traegt_parameter_und_eingabe():
    """The result keeps the Parameter actually used (defaults for None) and the input, for the texts."""
    e = _eingabe()
    r = berechne(e)
    assert r.parameter == Parameter() and r.eingabe is e
    p = Parameter(kostensatz_vollzeitstelle="80000")
    assert berechne(e, p).parameter is p


def test_regeltext_folgt_kostensatz_und_zahlungsweise():
    """The rule texts show the Kostensatz parameter and the German word of the payment rhythm.

    (The no-break space before „€“ stays, so the amount never breaks across lines.)
    """
    r = berechne(_eingabe())
    regel = " ".join(t["text"] for t in texte(r, "regel"))
    assert "85.000,00\xa0€" in regel and "monatlich in Abschlägen" in regel
    assert "nächsten Werktag" in regel  # default: next working day (domain spec §4)
    regel = " ".join(t["text"] for t in texte(berechne(_eingabe(), Parameter(werktag=False)), "regel"))
    assert "nächsten Werktag" not in regel
    p = Parameter(kostensatz_vollzeitstelle="91234.50", zahlungsweise="quartalsweise", werktag=True)
    regel = " ".join(t["text"] for t in texte(berechne(_eingabe(), p), "regel"))
    assert "91.234,50\xa0€" in regel and "85.000" not in regel
    assert "vierteljährlich in Abschlägen" in regel and "quartalsweise" not in regel
    assert "nächsten Werktag" in regel


def test_vertragstexte_quelle_und_vorschlag():
    """The rule text from the report cites Abschnitt 5.3; clauses the report lacks are proposals."""
    r = berechne(_eingabe())
    regel = texte(r, "regel")
    assert regel[0]["quelle"] == "Gutachten, Abschnitt 5.3" and not regel[0]["vorschlag"]
    assert "Planungs- und Steuerungsgrößen" in regel[0]["text"]
    andere = regel[1:] + texte(r, "ruecklage") + texte(r, "bericht")
    assert andere and all(t["vorschlag"] and t["quelle"] == "" for t in andere)
    for t in DEKLARATION.vertragstexte:
        assert "§" not in t.quelle and "Spezifikation" not in t.quelle
    assert DEKLARATION.lesart.endswith(".") and "Planungs- und Steuerungsgrößen" in DEKLARATION.lesart


def test_einheiten_der_ausgaben():
    """Money is Euro, staff is Vollzeitstellen, the Ausschöpfung a share, counts are Anzahl (all branches)."""
    rb = (Regionsbudget("Nord", "1000000", ist="1050000"), Regionsbudget("Süd", "800000"))
    r = berechne(_eingabe(regionsbudgets=rb))
    assert set(r.einheiten) == set(r.kennzahlen)
    assert r.einheiten["AEH-Budget gesamt"] is Einheit.EURO
    assert r.einheiten["Vollzeitstellen gesamt"] is Einheit.VOLLZEIT
    assert r.einheiten["Anzahl AEH-Teams"] is Einheit.ANZAHL
    assert r.einheiten["Ausschöpfung (teil)stationär"] is Einheit.ANTEIL
    assert r.einheiten["Überschreitung (teil)stationär gesamt"] is Einheit.EURO
    assert r.spalten_einheiten["Sozialregionen"]["Vollzeitstellen"] is Einheit.VOLLZEIT
    assert r.spalten_einheiten["AEH-Teams"]["Anzahl Sozialregionen"] is Einheit.ANZAHL
    assert r.spalten_einheiten["Regionsbudgets (teil)stationär"]["Ausschöpfung"] is Einheit.ANTEIL
    assert r.spalten_einheiten["Regionsbudgets (teil)stationär"]["Rest"] is Einheit.EURO
    assert DEKLARATION.feld("kostensatz_vollzeitstelle").einheit is Einheit.EURO


def test_tabellen_nennen_sozialraum_und_nur_die_traegertabelle_den_traeger():
    """Region rows name the contract's Sozialraum; only table „Träger“ (with the Trägerart) names a
    Träger."""
    tabellen = {t.name: t for t in DEKLARATION.ausgaben}
    assert tabellen["Sozialregionen"].sozialraum == "Sozialregion"
    assert tabellen["Regionsbudgets (teil)stationär"].sozialraum == "Sozialregion"
    assert tabellen["AEH-Teams"].sozialraum is None
    assert [t.name for t in DEKLARATION.ausgaben if t.traeger is not None] == ["Träger"]
    stellen = next(t for t in DEKLARATION.tabellen if t.feld == "stellen")
    vz = next(f for f in stellen.spalten if f.feld == "vollzeitstellen")
    assert vz.einheit is Einheit.VOLLZEIT


@pytest.mark.parametrize(
    ("kw", "pfad"),
    [
        ({"regionen": ()}, ("eingabe", "regionen")),
        ({"teams": ()}, ("eingabe", "teams")),
        ({"stellen": ()}, ("eingabe", "stellen")),
        ({"regionen": (Sozialregion("Nord"), Sozialregion("Nord"))}, ("regionen", 1, "name")),
        ({"teams": (AehTeam("T", ("Nord",)), AehTeam("T", ("Süd",)))}, ("teams", 1, "name")),
        ({"teams": (AehTeam("T", ()),)}, ("teams", 0, "sozialregionen")),
        ({"teams": (AehTeam("T", ("Nord", "Süd"), federfuehrung=5),)}, ("teams", 0, "federfuehrung")),
        ({"teams": (AehTeam("T", ("Nord", "Süd", "Ost")),)}, ("teams", 0, "sozialregionen")),
        ({"teams": (AehTeam("T", ("Nord", "Süd")), AehTeam("U", ("Süd",)))}, ("teams", 1, "sozialregionen")),
        ({"teams": (AehTeam("T", ("Nord",)),)}, ("regionen", 1, "name")),
        ({"stellen": (Stelle("Nord", "A", 1), Stelle("Ost", "B", 1))}, ("stellen", 1, "sozialregion")),
        ({"stellen": (Stelle("Nord", "A", 1, funktion=7),)}, ("stellen", 0, "funktion")),
        ({"stellen": (Stelle("Nord", "A", 1), Stelle("Nord", "A", 2))}, ("stellen", 1, "traeger")),
        (
            {"stellen": (Stelle("Nord", "A", 1), Stelle("Süd", "B", 1, kostensatz=0))},
            ("stellen", 1, "kostensatz"),
        ),
        ({"regionsbudgets": (Regionsbudget("Ost", "1"),)}, ("regionsbudgets", 0, "sozialregion")),
        (
            {"regionsbudgets": (Regionsbudget("Nord", "1"), Regionsbudget("Nord", "2"))},
            ("regionsbudgets", 1, "sozialregion"),
        ),
        (
            {"regionsbudgets": (Regionsbudget("Nord", "1", sozialbuergerhaus=3),)},
            ("regionsbudgets", 0, "sozialbuergerhaus"),
        ),
    ],
)
def test_fehler_nennen_ihren_pfad(kw, pfad):
    """Errors the model raises itself carry the structured location of the bad input row and field."""
    assert _fehler(_eingabe(**kw)).pfad == pfad


def test_kostensatz_null_nennt_parameterpfad():
    """A Kostensatz of 0 as parameter points to the parameter row."""
    err = _fehler(_eingabe(), Parameter(kostensatz_vollzeitstelle=0))
    assert err.pfad == ("parameter", "kostensatz_vollzeitstelle")
