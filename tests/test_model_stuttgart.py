"""Tests of the Stuttgart model (Gutachten §5.1, Spezifikation §3.2)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sozbudget_xl.einheiten import Einheit
from sozbudget_xl.errors import ModellFehler
from sozbudget_xl.models import modell, stuttgart
from sozbudget_xl.models.base import Art
from sozbudget_xl.models.stuttgart import (
    Eingabe,
    Fall,
    Indikator,
    Parameter,
    berechne,
    jahresabschluss,
    revision,
)
from sozbudget_xl.money import dm_to_eur

D = Decimal
TRAEGER = "Jugendhilfe Musterstadt e.V."
#: the reading „Beides zusammen ergibt das Gesamtbudget“ (a + b = G, 95 % of it unconditional):
#: the default before issue 11, now an option (the default pays a + b and adds 5 % of G, see
#: tests/test_bericht_stuttgart.py); the tests of this module that pin the old figures use it
GESAMT_AB = Parameter(gesamtbudget_lesart="ab_gesamtbudget")
#: the whole surplus of a and b forms the Rücklage (before issue 11 the default; now an option)
AUS_A_UND_B = Parameter(ruecklage_quelle="a_und_b")


def klein(**felder: object) -> Eingabe:
    """A hand-checkable case list.

    Running cases: F1 8.000 (Typ 1), F2 12.000 new (Typ 2), F3 18.000 (Typ 2), F4 60.000 new
    (Typ 4); Altfall A1 90.000. Anfangsbestand = 98.000; means Typ 2 = 15.000, Typ 4 = 60.000;
    new cases = 15.000 + 60.000 = 75.000; a = 173.000; b = 20.000; G = 193.000.
    """
    werte: dict[str, object] = {
        "traeger": TRAEGER,
        "sozialraum": "Nord",
        "faelle": (
            Fall("F1", D("8000")),
            Fall("F2", D("12000"), zugang_im_vorjahr=True),
            Fall("F3", D("18000")),
            Fall("F4", D("60000"), zugang_im_vorjahr=True),
            Fall("A1", D("90000"), altfall_extern=True),
        ),
        "teilbudget_b": D("20000"),
    }
    werte.update(felder)
    return Eingabe(**werte)  # type: ignore[arg-type]


def position(result, beginnt: str):
    treffer = [p for p in result.positionen if p.position.startswith(beginnt)]
    assert len(treffer) == 1, (beginnt, [p.position for p in result.positionen])
    return treffer[0]


# --------------------------------------------------------------------------- contract


def test_modul_vertrag():
    """The module provides the registry name, German texts and a valid worked example."""
    assert modell("stuttgart") is stuttgart
    assert stuttgart.NAME == "stuttgart" and "5.1" in stuttgart.QUELLE
    assert stuttgart.TITEL and stuttgart.BESCHREIBUNG.endswith(".")
    eingabe, parameter = stuttgart.beispiel()
    result = berechne(eingabe, parameter)
    assert result.modell == "stuttgart"
    assert result.kennzahlen["Laufende Fälle"] == 30 and result.kennzahlen["Altfälle (Anzahl)"] == 2
    assert result.gesamt == result.kennzahlen["Gesamtmittel (Budget, Bonus, Altfälle)"]


def test_standardparameter():
    """Defaults: bounds 10/25/50/100 T€, 1/3/1 % conditional, bonus cap 1 %, threshold DM 100.000, monthly."""
    p = Parameter()
    assert p.kostentyp_grenzen == (D("10000"), D("25000"), D("50000"), D("100000"))
    assert (p.anteil_volunteers, p.anteil_berichtswesen, p.anteil_verwendungsnachweis) == (
        D("0.01"),
        D("0.03"),
        D("0.01"),
    )
    assert p.bonus_hoechstsatz == D("0.01")
    assert p.ruecklage_schwelle == dm_to_eur(100000) == D("51129.19")
    assert p.ruecklage_lesart == "gesamt" and p.neuzugaenge == "mittelwert" and p.zahlungsweise == "monatlich"


# --------------------------------------------------------------------------- Teilbudget a


def test_kostentypen_grenze_gehoert_zum_unteren_typ():
    """A case costing exactly a bound belongs to the lower type; one cent more to the next."""
    faelle = (
        Fall("a", D("10000.00")),
        Fall("b", D("10000.01")),
        Fall("c", D("100000.00")),
        Fall("d", D("100000.01")),
        Fall("e", D("0.01")),
    )
    result = berechne(klein(faelle=faelle))
    typ = {r["Fall-ID"]: r["Kostentyp"] for r in result.tabellen["Fallliste"]}
    assert typ["a"].startswith("Typ 1") and typ["e"].startswith("Typ 1")
    assert typ["b"].startswith("Typ 2")
    assert typ["c"].startswith("Typ 4")
    assert typ["d"].startswith("Typ 5")
    assert [r["Fälle"] for r in result.tabellen["Kostentypen"]] == [2, 1, 0, 1, 1]


def test_teilbudget_a_mittelwert():
    """a = Anfangsbestand 98.000 + new cases (1 × 15.000 Typ 2 + 1 × 60.000 Typ 4) = 173.000 €."""
    result = berechne(klein())
    k = result.kennzahlen
    assert k["Anfangsbestand"] == D("98000.00")
    assert k["Neuzugänge (erwartete Kosten)"] == D("75000.00")
    assert k["Teilbudget a"] == D("173000.00")
    assert k["Teilbudget b"] == D("20000.00")
    assert k["Teilbudgets a + b"] == D("193000.00")
    assert k["Laufende Fälle"] == 4 and k["Zugänge im Vorjahr"] == 2
    typen = result.tabellen["Kostentypen"]
    assert typen[1]["Mittlere Jahreskosten"] == D("15000.00")
    assert typen[1]["Erwartete Kosten Neuzugänge"] == D("15000.00")
    assert typen[2]["Mittlere Jahreskosten"] is None  # no case of Typ 3


def test_mittelwert_kaufmaennisch_gerundet():
    """The mean per type is rounded half up to the cent and then multiplied by the new cases.

    Typ 1 cases 0,01 € and 0,02 € (both new): mean 0,015 → 0,02 €; 2 new cases → 0,04 €;
    a = 0,03 + 0,04 = 0,07 €.
    """
    faelle = (Fall("x", D("0.01"), True), Fall("y", D("0.02"), True))
    k = berechne(klein(faelle=faelle, teilbudget_b=D("0"))).kennzahlen
    assert k["Neuzugänge (erwartete Kosten)"] == D("0.04")
    assert k["Teilbudget a"] == D("0.07")


def test_neuzugaenge_option_kostensatz():
    """Option „kostensatz“: rates 5/14/30/65/120 T€ → new cases 14.000 + 65.000 = 79.000 €."""
    p = Parameter(
        neuzugaenge="kostensatz",
        kostensaetze=(D("5000"), D("14000"), D("30000"), D("65000"), D("120000")),
    )
    result = berechne(klein(), p)
    assert result.kennzahlen["Neuzugänge (erwartete Kosten)"] == D("79000.00")
    assert result.kennzahlen["Teilbudget a"] == D("177000.00")
    assert result.tabellen["Kostentypen"][3]["Kostensatz Neuzugang"] == D("65000.00")


def test_kostentyp_grenzen_sind_parameter():
    """Two bounds give three types: with bounds 15.000 / 50.000 F1 and F2 share Typ 1 (mean 10.000).

    New: F2 (Typ 1, mean (8.000 + 12.000)/2 = 10.000), F4 (Typ 3, 60.000) → 70.000 €.
    """
    result = berechne(klein(), Parameter(kostentyp_grenzen=(D("15000"), D("50000"))))
    assert len(result.tabellen["Kostentypen"]) == 3
    assert result.kennzahlen["Neuzugänge (erwartete Kosten)"] == D("70000.00")


def test_altfaelle_ausserhalb_von_a():
    """Altfälle are open-ended items per case (forecast = previous-year cost), outside a."""
    result = berechne(klein())
    alt = position(result, "Altfall A1")
    assert alt.art is Art.OFFEN and alt.betrag == D("90000.00") and alt.traeger is None
    assert "Hilfeplan" in alt.bedingung
    assert result.kennzahlen["Altfälle (Prognose)"] == D("90000.00")
    assert result.tabellen["Altfälle"][0]["Fall-ID"] == "A1"
    assert result.kennzahlen["Anfangsbestand"] == D("98000.00")  # 90.000 not included


def test_altfall_an_externen_leistungserbringer():
    """An Altfall with a named external provider is an open item for that provider, not for the Träger."""
    faelle = (
        *klein().faelle[:4],
        Fall("A1", D("90000"), altfall_extern=True, leistungserbringer="Heim Sonnenhof"),
    )
    result = berechne(klein(faelle=faelle))
    assert position(result, "Altfall A1").traeger == "Heim Sonnenhof"
    assert result.summe(traeger="Heim Sonnenhof", art=Art.OFFEN) == D("90000.00")
    assert result.tabellen["Altfälle"][0]["Leistungserbringer"] == "Heim Sonnenhof"
    assert all(r.empfaenger == TRAEGER for r in result.zahlungsplan)


def test_altfall_mit_zugangsflag_warnt_und_zaehlt_nicht():
    """An Altfall also flagged as new arrival is not counted as a new case, with a warning."""
    faelle = (*klein().faelle[:4], Fall("A1", D("90000"), zugang_im_vorjahr=True, altfall_extern=True))
    result = berechne(klein(faelle=faelle))
    assert result.kennzahlen["Neuzugänge (erwartete Kosten)"] == D("75000.00")
    assert any(w.code == "altfall_zugang" for w in result.warnungen)


def test_fall_mit_kosten_null_warnt():
    """A case with annual cost 0,00 € is accepted with a warning."""
    result = berechne(klein(faelle=(*klein().faelle, Fall("F9", 0))))  # type: ignore[arg-type]
    assert any(w.code == "fall_ohne_kosten" and "F9" in w.text for w in result.warnungen)


# --------------------------------------------------------------------------- 95 % / 5 %


def test_unbedingt_95_und_bedingt_1_3_1():
    """Reading „a + b ist das Gesamtbudget“: G = 193.000: 95 % = 183.350 unconditional (a 164.350,
    b 19.000), Volunteers 1.930, Berichtswesen 5.790, Verwendungsnachweis 1.930 — all open (not yet
    assessed) by default."""
    result = berechne(klein(), GESAMT_AB)
    assert position(result, "Teilbudget a").betrag == D("164350.00")
    assert position(result, "Teilbudget b").betrag == D("19000.00")
    assert result.kennzahlen["Unbedingte Auszahlung"] == D("183350.00")
    v = position(result, "Bedingter Anteil: Einsatz von Volunteers")
    b = position(result, "Bedingter Anteil: Einsatz eines aussagekräftigen")
    n = position(result, "Bedingter Anteil: Erstellung eines Verwendungsnachweises")
    assert (v.betrag, b.betrag, n.betrag) == (D("1930.00"), D("5790.00"), D("1930.00"))
    assert all(x.art is Art.BEDINGT and x.bedingung.startswith("Auszahlung nur bei") for x in (v, b, n))
    assert result.kennzahlen["Bedingte Anteile offen"] == D("9650.00")
    assert result.summe(art=Art.UNBEDINGT) + result.kennzahlen["Bedingte Anteile offen"] == D("193000.00")


def test_bedingungen_erfuellt_nicht_erfuellt_offen():
    """Fulfilled → BEDINGT paid; not fulfilled → EINBEHALTEN (Jugendamt, warned); unknown → BEDINGT open."""
    result = berechne(klein(volunteers=True, berichtswesen=False, verwendungsnachweis=None), GESAMT_AB)
    v = position(result, "Bedingter Anteil: Einsatz von Volunteers")
    b = position(result, "Bedingter Anteil: Einsatz eines aussagekräftigen")
    n = position(result, "Bedingter Anteil: Erstellung eines Verwendungsnachweises")
    assert v.art is Art.BEDINGT and "erfüllt" in v.position and v.traeger == TRAEGER
    assert b.art is Art.EINBEHALTEN and b.traeger is None and b.betrag == D("5790.00")
    assert n.art is Art.BEDINGT and "nicht geprüft" in n.position
    k = result.kennzahlen
    assert (
        k["Bedingte Anteile ausgezahlt"],
        k["Bedingte Anteile einbehalten"],
        k["Bedingte Anteile offen"],
    ) == (
        D("1930.00"),
        D("5790.00"),
        D("1930.00"),
    )
    status = [r["Ausgezahlt"] for r in result.tabellen["Bedingte Anteile"]]
    assert status == ["ja", "nein", "offen"]
    assert any(w.code == "bedingung_nicht_erfuellt" for w in result.warnungen)
    assert result.summe(traeger=TRAEGER) == D("193000.00") - D("5790.00")


def test_bedingungen_als_text():
    """Fulfilment given as text („ja“, „nein“, „offen“/empty cell) is read like True/False/None."""
    result = berechne(klein(volunteers="ja", berichtswesen="nein", verwendungsnachweis=""))
    assert [r["Ausgezahlt"] for r in result.tabellen["Bedingte Anteile"]] == ["ja", "nein", "offen"]


def test_bedingte_anteile_sind_parameter():
    """Conditional parts 2/2/1 % of 193.000 → 3.860 / 3.860 / 1.930; unconditional 95 % stays 183.350
    (reading „a + b ist das Gesamtbudget“)."""
    p = Parameter(
        anteil_volunteers=D("0.02"), anteil_berichtswesen=D("0.02"), gesamtbudget_lesart="ab_gesamtbudget"
    )
    result = berechne(klein(), p)
    assert position(result, "Bedingter Anteil: Einsatz von Volunteers").betrag == D("3860.00")
    assert result.kennzahlen["Unbedingte Auszahlung"] == D("183350.00")


def test_zahlungsplan_nur_unbedingt():
    """The plan pays only the unconditional 183.350 € monthly: 12 × 15.279,17 with remainder cents first
    (reading „a + b ist das Gesamtbudget“). The first due date, Neujahr 2026, moves to Friday
    2 January (default: next working day, domain spec §4)."""
    result = berechne(klein(volunteers=True), GESAMT_AB)
    assert len(result.zahlungsplan) == 12
    assert sum(r.betrag for r in result.zahlungsplan) == D("183350.00")
    # 18.335.000 ct / 12 = 1.527.916,67 → 8 instalments of 15.279,17 and 4 of 15.279,16
    assert [r.betrag for r in result.zahlungsplan].count(D("15279.17")) == 8
    assert result.zahlungsplan[0].empfaenger == TRAEGER
    assert result.zahlungsplan[0].faellig == dt.date(2026, 1, 2)


# --------------------------------------------------------------------------- bonus


def test_leistungsbonus_gewichteter_erfuellungsgrad():
    """Cap 1 % × 193.000 = 1.930 (reading „a + b ist das Gesamtbudget“); degrees 5/10 = 0,5 (w 2)
    and min(6/4, 1) = 1 (w 1) → 2/3; bonus = 1.930 × 2/3 = 1.286,666… → 1.286,67 € on top of G."""
    ind = (Indikator("Orte der Hilfen", D(2), D(10), D(5)), Indikator("Beendigungen", D(1), D(4), D(6)))
    result = berechne(klein(indikatoren=ind), GESAMT_AB)
    bonus = position(result, "Leistungsbonus")
    assert bonus.art is Art.BONUS and bonus.betrag == D("1286.67")
    assert "Erfüllungsgrad" in bonus.bedingung
    assert result.kennzahlen["Leistungsbonus (Höchstbetrag)"] == D("1930.00")
    assert result.kennzahlen["Erfüllungsgrad Leistungsindikatoren"] == D("0.6667")
    grade = [r["Erfüllungsgrad"] for r in result.tabellen["Leistungsindikatoren"]]
    assert grade == [D("0.5000"), D("1.0000")]
    # on top: total = G + bonus + Altfälle
    assert result.gesamt == D("193000.00") + D("1286.67") + D("90000.00")


def test_leistungsbonus_richtung_negativ():
    """Direction −1 (lower is better): Soll 4, Ist 5 → 0,8; Ist 0 → 100 %. Bonus 0,8 × 1.930 = 1.544 €
    (cap of G = a + b = 193.000, reading „a + b ist das Gesamtbudget“)."""
    ind = (Indikator("Neue Fremdunterbringungen", D(1), D(4), D(5), richtung=-1),)
    assert position(berechne(klein(indikatoren=ind), GESAMT_AB), "Leistungsbonus").betrag == D("1544.00")
    ind0 = (Indikator("Abbrüche", D(1), D(4), D(0), richtung=-1),)
    assert position(berechne(klein(indikatoren=ind0), GESAMT_AB), "Leistungsbonus").betrag == D("1930.00")


def test_leistungsbonus_hoechstsatz_parameter():
    """With the cap 2 % (the source's other figure) and full fulfilment the bonus is 3.860 € (2 % of
    G = a + b = 193.000, reading „a + b ist das Gesamtbudget“)."""
    ind = (Indikator("Orte der Hilfen", D(1), D(10), D(12)),)
    p = Parameter(bonus_hoechstsatz=D("0.02"), gesamtbudget_lesart="ab_gesamtbudget")
    result = berechne(klein(indikatoren=ind), p)
    assert position(result, "Leistungsbonus").betrag == D("3860.00")


def test_ohne_indikatoren_kein_bonus():
    """Without indicators there is no bonus item; the cap is still reported (1 % of G = a + b)."""
    result = berechne(klein(), GESAMT_AB)
    assert not any(p.art is Art.BONUS for p in result.positionen)
    assert result.kennzahlen["Leistungsbonus"] == D("0.00")
    assert result.kennzahlen["Leistungsbonus (Höchstbetrag)"] == D("1930.00")
    assert result.kennzahlen["Erfüllungsgrad Leistungsindikatoren"] is None


# --------------------------------------------------------------------------- Jahresabschluss


def test_schwelle_dm_100000():
    """The reserve threshold is DM 100.000 at 1,95583 DM/€ = 51.129,19 €."""
    assert stuttgart.RUECKLAGE_SCHWELLE == dm_to_eur(100000) == D("51129.19")


def test_ruecklage_unter_schwelle_frei():
    """Surplus 40.000 € (a 900.000 − 880.000 = 20.000, b 100.000 − 80.000 = 20.000; < 51.129,19):
    with the whole surplus of a and b as Rücklage it is free for all Jugendhilfe (both readings of
    the threshold)."""
    for lesart in ("gesamt", "anteilig"):
        j = jahresabschluss(
            (D("900000"), D("100000")),
            D("880000"),
            D("80000"),
            Parameter(ruecklage_lesart=lesart, ruecklage_quelle="a_und_b"),
        )
        assert (j.ruecklage, j.ruecklage_frei, j.ruecklage_gebunden, j.fehlbetrag) == (
            D("40000.00"),
            D("40000.00"),
            D("0.00"),
            D("0.00"),
        )
        assert j.warnungen == ()


def test_ruecklage_ueber_schwelle_lesart_gesamt():
    """Reading „gesamt“ (default): a reserve of 60.000 € (whole surplus of a and b) exceeds the
    threshold → all 60.000 € bound."""
    j = jahresabschluss((D("900000"), D("100000")), D("880000"), D("60000"), AUS_A_UND_B)
    assert (j.ruecklage, j.ruecklage_frei, j.ruecklage_gebunden) == (D("60000.00"), D("0.00"), D("60000.00"))


def test_ruecklage_ueber_schwelle_lesart_anteilig():
    """Reading „anteilig“: 60.000 € (whole surplus of a and b) → 51.129,18 free, 8.870,82 bound to
    Erziehungshilfe. Before issue 11 the free part was 51.129,19 €: the report frees only „Beträge,
    die unter einer Summe von DM 100.000 liegen“, and 51.129,19 € are already 100.000,01 DM."""
    j = jahresabschluss(
        (D("900000"), D("100000")),
        D("880000"),
        D("60000"),
        Parameter(ruecklage_lesart="anteilig", ruecklage_quelle="a_und_b"),
    )
    assert (j.ruecklage_frei, j.ruecklage_gebunden) == (D("51129.18"), D("8870.82"))


def test_ruecklage_genau_schwelle_gebunden():
    """A reserve of exactly 51.129,19 € is bound (reading „gesamt“); 51.129,18 € is free.

    Before issue 11 exactly 51.129,19 € counted as free; the report frees only „Beträge, die unter
    einer Summe von DM 100.000 liegen“ — strictly below, and 51.129,19 € = 100.000,01 DM."""
    j = jahresabschluss((D("51129.19"), D("0")), D("0"), D("0"))
    assert j.ruecklage_frei == D("0.00") and j.ruecklage_gebunden == D("51129.19")
    j2 = jahresabschluss((D("51129.18"), D("0")), D("0"), D("0"))
    assert j2.ruecklage_frei == D("51129.18") and j2.ruecklage_gebunden == D("0.00")


def test_fehlbetrag_warnt():
    """Actual costs 1.010.000 € over a + b = 1.000.000 €: deficit 10.000 €, no reserve, a warning."""
    j = jahresabschluss((D("900000"), D("100000")), D("950000"), D("60000"))
    assert j.fehlbetrag == D("10000.00") and j.ruecklage == D("0.00") and j.ergebnis == D("-10000.00")
    assert any(w.code == "fehlbetrag" and "10.000,00" in w.text for w in j.warnungen)


def test_gegenseitige_deckung():
    """a overrun by 20.000 € is covered by b's surplus of 30.000 €: coverage 20.000, reserve 10.000
    (whole surplus of a and b as Rücklage; by default b's rest forms none, see test_bericht_stuttgart)."""
    j = jahresabschluss((D("900000"), D("100000")), D("920000"), D("70000"), AUS_A_UND_B)
    assert (j.ergebnis_a, j.ergebnis_b, j.deckung, j.ruecklage) == (
        D("-20000.00"),
        D("30000.00"),
        D("20000.00"),
        D("10000.00"),
    )
    assert any(w.code == "deckung" for w in j.warnungen)
    zeilen = {z["Position"]: z["Betrag"] for z in j.zeilen()}
    assert zeilen["Gegenseitige Deckung a/b"] == D("20000.00")


def test_jahresabschluss_aus_ergebnis_ohne_nicht_ausgezahlte_anteile():
    """From a result of the reading „a + b ist das Gesamtbudget“, withheld (5.790) and unassessed
    (1.930) conditional parts are not available.

    Available = 193.000 − 7.720 = 185.280; actual 150.000 + 15.000 → reserve 20.280 € (whole surplus).
    """
    result = berechne(klein(volunteers=True, berichtswesen=False), GESAMT_AB)
    j = jahresabschluss(result, D("150000"), D("15000"), AUS_A_UND_B)
    assert j.nicht_ausgezahlt == D("7720.00")
    assert j.verfuegbar == D("185280.00")
    assert j.ruecklage == D("20280.00")
    assert any(w.code == "bedingung_offen" for w in j.warnungen)


def test_jahresabschluss_in_berechne():
    """With actual costs in the input, berechne reports the settlement table, key figures and warnings."""
    result = berechne(
        klein(
            volunteers=True,
            berichtswesen=True,
            verwendungsnachweis=True,
            ist_kosten_a=D("100000"),
            ist_kosten_b=D("20000"),
        ),
        AUS_A_UND_B,
    )
    # all conditions fulfilled: 193.000 − 120.000 = 73.000 > threshold → bound (reading „gesamt“)
    assert result.kennzahlen["Rücklage"] == D("73000.00")
    assert result.kennzahlen["Rücklage gebunden (Erziehungshilfe)"] == D("73000.00")
    zeilen = {z["Position"]: z["Betrag"] for z in result.tabellen["Jahresabschluss"]}
    assert zeilen["Ergebnis gesamt"] == D("73000.00")
    # the reserve is not offset: the budget itself is unchanged
    assert result.kennzahlen["Teilbudgets a + b"] == D("193000.00")


def test_jahresabschluss_fehlbetrag_in_berechne_warnt():
    """A deficit found in berechne is a warning of the result."""
    result = berechne(
        klein(
            volunteers=True,
            berichtswesen=True,
            verwendungsnachweis=True,
            ist_kosten_a=D("190000"),
            ist_kosten_b=D("20000"),
        )
    )
    assert result.kennzahlen["Fehlbetrag"] == D("17000.00")
    assert any(w.code == "fehlbetrag" for w in result.warnungen)


# --------------------------------------------------------------------------- revision


def test_revision_gegen_betrag():
    """An extra running case of 30.000 € raises the agreed 193.000 € by 30.000 € (15,54 %)."""
    neu = klein(faelle=(*klein().faelle, Fall("F5", D("30000"))))
    r = revision(neu, D("193000"))
    assert (r.vereinbart, r.neu, r.differenz) == (D("193000.00"), D("223000.00"), D("30000.00"))
    assert r.differenz_prozent == D("0.1554")
    assert any(w.code == "revision" and "über" in w.text for w in r.warnungen)
    assert r.zeilen[0]["Differenz"] == D("30000.00")


def test_revision_gegen_ergebnis():
    """Against the agreed result every figure is compared: one new case less (F4) lowers a by 120.000."""
    vereinbart = berechne(klein())
    neu = klein(faelle=tuple(f for f in klein().faelle if f.fall_id != "F4"))
    r = revision(neu, vereinbart)
    zeilen = {z["Größe"]: z for z in r.zeilen}
    # F4 was 60.000 running + 60.000 expected new (Typ 4 mean) → a drops by 120.000
    assert zeilen["Teilbudget a"]["Differenz"] == D("-120000.00")
    assert zeilen["Zugänge im Vorjahr"]["Differenz"] == -1
    assert r.differenz == D("-120000.00")
    assert any("unter" in w.text for w in r.warnungen)


def test_revision_ohne_aenderung_ohne_warnung():
    """Unchanged inputs give a delta of 0 and no warning."""
    r = revision(klein(), berechne(klein()))
    assert r.differenz == D("0.00") and r.warnungen == ()


# --------------------------------------------------------------------------- bad input


def fehler(eingabe: Eingabe, parameter: Parameter | None = None) -> ModellFehler:
    with pytest.raises(ModellFehler) as info:
        berechne(eingabe, parameter)
    exc = info.value
    assert exc.model == "stuttgart" and "Modell „stuttgart“" in str(exc)
    return exc


def test_keine_faelle_ist_kein_fehler():
    """An empty case list is no error since issue 11 (a Sozialraum without cases last year gets
    Teilbudget b and a Hinweis, see test_bericht_stuttgart)."""
    result = berechne(klein(faelle=()))
    assert result.kennzahlen["Teilbudget a"] == D("0.00")
    assert any(w.code == "keine_faelle" for w in result.warnungen)


def test_fehler_fall_ohne_kosten():
    """A case without annual cost is an error naming the case."""
    exc = fehler(klein(faelle=(Fall("F1", None),)))  # type: ignore[arg-type]
    assert exc.item == "F1" and exc.field == "Jahreskosten" and "kein Betrag angegeben" in str(exc)
    assert exc.pfad == ("faelle", 0, "jahreskosten")


def test_fehler_negative_oder_nan_kosten():
    """Negative or NaN annual costs are an error naming the case."""
    for wert in (D("-1"), float("nan")):
        exc = fehler(klein(faelle=(Fall("F1", wert),)))  # type: ignore[arg-type]
        assert exc.item == "F1" and exc.field == "Jahreskosten"


def test_fehler_doppelte_fall_id():
    """The same Fall-ID twice is an error."""
    exc = fehler(klein(faelle=(Fall("F1", D(1)), Fall("f1", D(2)))))
    assert exc.field == "Fall-ID" and "doppelt" in str(exc)


def test_fehler_teilbudget_b_negativ():
    """A negative Teilbudget b is an error."""
    exc = fehler(klein(teilbudget_b=D("-5")))
    assert exc.field == "Teilbudget b" and exc.item == "Nord"


def test_fehler_grenzen_nicht_aufsteigend():
    """Kostentyp bounds that do not ascend are an error naming the bound."""
    exc = fehler(klein(), Parameter(kostentyp_grenzen=(D("10000"), D("10000"), D("50000"))))
    assert exc.field == "Kostentyp-Grenzen" and exc.item == "Grenze 2"
    assert fehler(klein(), Parameter(kostentyp_grenzen=())).field == "Kostentyp-Grenzen"


def test_fehler_kostensaetze_falsche_anzahl():
    """Option „kostensatz“ with the wrong number of rates is an error."""
    exc = fehler(klein(), Parameter(neuzugaenge="kostensatz", kostensaetze=(D(1), D(2))))
    assert exc.field == "Kostensätze" and "5" in str(exc.expected)


def test_fehler_prozentsaetze_ueber_100():
    """A conditional part or bonus cap over 100 %, or conditional parts together over 100 %, are errors."""
    assert "über 100 %" in str(fehler(klein(), Parameter(anteil_volunteers=D("1.5"))))
    assert fehler(klein(), Parameter(bonus_hoechstsatz="120 %")).field == "Bonus-Höchstsatz"  # type: ignore[arg-type]
    exc = fehler(klein(), Parameter(anteil_volunteers=D("0.6"), anteil_berichtswesen=D("0.5")))
    assert exc.field == "bedingte Anteile"


def test_fehler_indikatoren():
    """Indicators: Soll 0, all weights 0, duplicates, NaN actual and a bad direction are errors."""
    assert fehler(klein(indikatoren=(Indikator("I", D(1), D(0), D(1)),))).field == "Soll"
    assert fehler(klein(indikatoren=(Indikator("I", D(0), D(1), D(1)),))).field == "Gewicht"
    dup = (Indikator("I", D(1), D(1), D(1)), Indikator("i", D(1), D(1), D(1)))
    assert "doppelt" in str(fehler(klein(indikatoren=dup)))
    exc = fehler(klein(indikatoren=(Indikator("I", D(1), D(1), float("nan")),)))  # type: ignore[arg-type]
    assert exc.item == "I" and exc.field == "Ist"
    assert fehler(klein(indikatoren=(Indikator("I", D(1), D(1), D(1), richtung=2),))).field == "Richtung"


def test_fehler_bedingung_ungueltig():
    """An unreadable fulfilment flag is an error naming the condition."""
    exc = fehler(klein(volunteers="vielleicht"))
    assert exc.item == "Einsatz von Volunteers" and exc.field == "Bedingung Volunteers erfüllt"
    assert "gefunden vielleicht)" in str(exc) and exc.pfad == ("eingabe", "volunteers")


def test_fehler_ist_kosten_unvollstaendig():
    """Only one of the two actual costs is an error."""
    assert fehler(klein(ist_kosten_a=D("1"))).field == "Ist-Kosten b"


def test_fehler_optionen():
    """Unknown options (Neuzugänge, Rücklage-Lesart, Zahlungsweise) are errors listing the choices."""
    assert "mittelwert" in str(fehler(klein(), Parameter(neuzugaenge="median")).expected)
    assert "gesamt" in str(fehler(klein(), Parameter(ruecklage_lesart="halb")).expected)
    assert fehler(klein(), Parameter(zahlungsweise="woechentlich")).field == "Zahlungsweise"


def test_fehler_traeger_ohne_namen():
    """A missing Träger name is an error."""
    assert fehler(klein(traeger=" ")).field == "Träger"


def test_fehler_jahresabschluss_und_revision():
    """The settlement and the revision check their inputs too (wrong model, negative costs)."""
    from sozbudget_xl.models import kgst

    fremd = kgst.berechne(*kgst.beispiel())
    with pytest.raises(ModellFehler) as info:
        jahresabschluss(fremd, 1, 1)
    assert info.value.field == "Modell"
    with pytest.raises(ModellFehler) as info:
        jahresabschluss((D(1), D(1)), D("-1"), D(0))
    assert info.value.field == "Ist-Kosten a"
    with pytest.raises(ModellFehler) as info:
        revision(klein(), D("-1"))
    assert info.value.field == "Vereinbartes Gesamtbudget"


# --------------------------------------------------------------------------- properties


@st.composite
def stuttgart_eingaben(draw: st.DrawFn) -> tuple[Eingabe, Parameter]:
    n = draw(st.integers(1, 25))
    faelle = tuple(
        Fall(
            f"F{i:03d}",
            D(draw(st.integers(1, 30_000_000))) / 100,
            draw(st.booleans()),
            draw(st.integers(0, 9)) == 0,
        )
        for i in range(n)
    )
    status = st.sampled_from((True, False, None))
    indikatoren = tuple(
        Indikator(
            f"I{i}",
            D(draw(st.integers(1, 10))),
            D(draw(st.integers(1, 100))),
            D(draw(st.integers(0, 150))),
            draw(st.sampled_from((1, -1))),
        )
        for i in range(draw(st.integers(0, 3)))
    )
    eingabe = Eingabe(
        traeger=TRAEGER,
        sozialraum="Nord",
        faelle=faelle,
        teilbudget_b=D(draw(st.integers(0, 50_000_000))) / 100,
        volunteers=draw(status),
        berichtswesen=draw(status),
        verwendungsnachweis=draw(status),
        indikatoren=indikatoren,
    )
    p = Parameter(
        neuzugaenge=draw(st.sampled_from(stuttgart.NEUZUGAENGE)),
        kostensaetze=tuple(D(draw(st.integers(0, 200_000))) for _ in range(5)),
        bonus_hoechstsatz=D(draw(st.integers(0, 3))) / 100,
        gesamtbudget_lesart=draw(st.sampled_from(stuttgart.GESAMTBUDGET_LESARTEN)),
    )
    return eingabe, p


@settings(max_examples=80, deadline=None)
@given(stuttgart_eingaben())
def test_eigenschaft_summen_und_keine_negativen_betraege(daten):
    """For random valid inputs items add up, nothing is negative, unconditional + conditional = G
    (= a + b, or a + b paid in full with the conditional parts on top), bonus ≤ cap."""
    eingabe, p = daten
    result = berechne(eingabe, p)
    k = result.kennzahlen
    assert sum(x.betrag for x in result.positionen) == result.gesamt
    assert all(x.betrag >= 0 for x in result.positionen)
    assert k["Teilbudget a"] + k["Teilbudget b"] == k["Teilbudgets a + b"]
    assert k["Anfangsbestand"] + k["Neuzugänge (erwartete Kosten)"] == k["Teilbudget a"]
    bedingt = (
        k["Bedingte Anteile ausgezahlt"] + k["Bedingte Anteile einbehalten"] + k["Bedingte Anteile offen"]
    )
    assert k["Unbedingte Auszahlung"] + bedingt == k["Gesamtbudget"]
    if p.gesamtbudget_lesart == "ab_ausgezahlt":
        assert k["Unbedingte Auszahlung"] == k["Teilbudgets a + b"]
    else:
        assert k["Gesamtbudget"] == k["Teilbudgets a + b"]
    assert result.summe(art=Art.UNBEDINGT) == k["Unbedingte Auszahlung"]
    assert sum(r.betrag for r in result.zahlungsplan) == k["Unbedingte Auszahlung"]
    assert k["Leistungsbonus"] <= k["Leistungsbonus (Höchstbetrag)"]
    assert result.summe(art=Art.OFFEN) == k["Altfälle (Prognose)"]


@settings(max_examples=60, deadline=None)
@given(stuttgart_eingaben(), st.randoms(use_true_random=False))
def test_eigenschaft_reihenfolge_der_faelle_egal(daten, zufall):
    """Permuting the cases and indicators changes nothing but the order of the Altfall items."""
    eingabe, p = daten
    faelle, indikatoren = list(eingabe.faelle), list(eingabe.indikatoren)
    zufall.shuffle(faelle)
    zufall.shuffle(indikatoren)
    a = berechne(eingabe, p)
    b = berechne(dataclasses.replace(eingabe, faelle=tuple(faelle), indikatoren=tuple(indikatoren)), p)
    assert dict(a.kennzahlen) == dict(b.kennzahlen)
    assert sorted((x.position, x.betrag, x.art) for x in a.positionen) == sorted(
        (x.position, x.betrag, x.art) for x in b.positionen
    )


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 10**9),
    st.integers(0, 10**9),
    st.integers(0, 10**9),
    st.sampled_from(stuttgart.RUECKLAGE_LESARTEN),
)
def test_eigenschaft_ruecklage_aufteilung(budget_ct, ist_a_ct, ist_b_ct, lesart):
    """Reserve = free + bound, never negative; the free part never exceeds the threshold."""
    j = jahresabschluss(
        (D(budget_ct) / 100, D(0)), D(ist_a_ct) / 100, D(ist_b_ct) / 100, Parameter(ruecklage_lesart=lesart)
    )
    assert j.ruecklage == j.ruecklage_frei + j.ruecklage_gebunden
    assert min(j.ruecklage, j.ruecklage_frei, j.ruecklage_gebunden, j.fehlbetrag) >= 0
    assert j.ruecklage_frei <= j.schwelle
    assert j.ruecklage - j.fehlbetrag == j.ergebnis


def test_excel_werte():
    """Excel-style values: numeric Fall-IDs (101.0 → „101“), float costs and 0/1 flags are accepted."""
    faelle = (Fall(101.0, 8000.0, 0, 0), Fall(102, 12000.5, 1, 0))  # type: ignore[arg-type]
    result = berechne(klein(faelle=faelle))
    assert [r["Fall-ID"] for r in result.tabellen["Fallliste"]] == ["101", "102"]
    # a = 8.000 + 12.000,50 + 1 new case × 12.000,50 (mean of Typ 2)
    assert result.kennzahlen["Teilbudget a"] == D("32001.00")


# --------------------------------------------------------------------------- declaration


def _texte(result, art: str) -> list[str]:
    from sozbudget_xl.vertragstexte import texte

    return [t["text"].replace("\xa0", " ") for t in texte(result, art)]  # no-break spaces as blanks


def test_ergebnis_traegt_parameter_und_eingabe():
    """berechne keeps the parameters it used (defaults when none are given) and the input for the texts."""
    eingabe = klein()
    result = berechne(eingabe)
    assert result.parameter == Parameter() and result.eingabe is eingabe
    p = Parameter(bonus_hoechstsatz=D("0.02"))
    assert berechne(eingabe, p).parameter is p


def test_vertragstexte_standard():
    """Defaults: the texts show a + b = 95 % paid, 5 % (1 / 3 / 1 %) on top, the bonus cap, five
    Kostentypen, the threshold „unter“ 51.129,19 €."""
    result = berechne(klein())
    regel = " ".join(_texte(result, "regel"))
    assert "bilden zusammen 95,0 % des Gesamtbudgets" in regel
    assert "Teilbudget a und b gelangen ganz zur Auszahlung: sie werden unbedingt monatlich" in regel
    assert "zusätzlich zu Teilbudget a und b" in regel
    assert "übrigen 5,0 %" in regel and "Volunteers (1,0 %" in regel and "Berichtswesens (3,0 %)" in regel
    assert "höchstens 1,0 % des Gesamtbudgets" in regel
    assert "in 5 Kostentypen" in regel and "100.000,00 €)" in regel
    assert "mittleren Jahreskosten" in regel
    (ruecklage,) = _texte(result, "ruecklage")
    assert "unter 51.129,19 €" in ruecklage and "insgesamt nur für Aufgaben der Erziehungshilfe" in ruecklage
    assert "Überschuss des Teilbudgets a" in ruecklage
    d = stuttgart.DEKLARATION
    assert all(t.quelle == "Gutachten, Abschnitt 5.1" and not t.vorschlag for t in d.texte("regel"))
    assert not d.texte("ruecklage")[0].vorschlag and not d.texte("revision")[0].vorschlag
    assert all(t.vorschlag for t in d.texte("bericht"))
    assert d.lesart.endswith(".")


def test_vertragstexte_folgen_geaenderten_parametern():
    """Changed shares, bonus cap, bounds, threshold, reading, rhythm and rating show in the texts."""
    p = Parameter(
        kostentyp_grenzen=(D("20000"), D("60000")),
        neuzugaenge="kostensatz",
        kostensaetze=(D(1), D(2), D(3)),
        anteil_volunteers=D("0.02"),
        anteil_berichtswesen=D("0.04"),
        anteil_verwendungsnachweis=D("0.01"),
        bonus_hoechstsatz=D("0.02"),
        ruecklage_schwelle=D("60000"),
        ruecklage_lesart="anteilig",
        zahlungsweise="quartalsmitte",
        gesamtbudget_lesart="ab_gesamtbudget",
        ruecklage_quelle="a_und_b",
    )
    result = berechne(klein(), p)
    regel = " ".join(_texte(result, "regel"))
    assert "93,0 % des Gesamtbudgets werden unbedingt zur Quartalsmitte" in regel
    assert "übrigen 7,0 %" in regel and "Volunteers (2,0 %" in regel and "Berichtswesens (4,0 %)" in regel
    assert "höchstens 2,0 % des Gesamtbudgets" in regel
    assert "in 3 Kostentypen" in regel and "20.000,00 €; 60.000,00 €" in regel
    assert "vereinbarten Kostensatz" in regel
    (ruecklage,) = _texte(result, "ruecklage")
    assert "unter 60.000,00 €" in ruecklage and "der übrige Teil" in ruecklage
    assert "Teilbudget a und b) über die tatsächlichen Kosten" in ruecklage
    assert "51.129,19" not in ruecklage
    assert any("Bedingung für 2,0 %" in t for t in _texte(result, "bericht"))


def test_vertragstexte_ohne_bedingte_anteile():
    """Without conditional parts the rule names 100 % unconditional and no condition reports are asked for."""
    null = Parameter(
        anteil_volunteers=D(0),
        anteil_berichtswesen=D(0),
        anteil_verwendungsnachweis=D(0),
        gesamtbudget_lesart="ab_gesamtbudget",
    )
    result = berechne(klein(), null)
    assert "100,0 % des Gesamtbudgets werden unbedingt" in _texte(result, "regel")[1]
    assert "Bedingungen" not in _texte(result, "regel")[1]
    assert _texte(result, "bericht") == [
        "Bericht über den Erfüllungsgrad der Leistungsindikatoren zum Jahresende."
    ]


def test_auswahl_mit_deutschen_woertern():
    """Neuzugänge and Rücklage-Lesart show German words; the reader accepts word and key alike."""
    from sozbudget_xl.parsing import konvertiere

    d = stuttgart.DEKLARATION
    neu, lesart = d.feld("neuzugaenge"), d.feld("ruecklage_lesart")
    assert neu.schluessel() == stuttgart.NEUZUGAENGE
    assert lesart.schluessel() == stuttgart.RUECKLAGE_LESARTEN
    assert neu.anzeigewerte() == ("Mittelwert der Kostentypen", "Kostensatz je Kostentyp")
    assert lesart.anzeigewerte() == ("ganze Rücklage", "nur Teil über der Schwelle")
    assert konvertiere("text", "Kostensatz je Kostentyp", auswahl=neu.auswahl) == "kostensatz"
    assert konvertiere("text", "nur Teil über der Schwelle", auswahl=lesart.auswahl) == "anteilig"
    for f in d.parameter:
        for schluessel in f.schluessel() or ():
            if f.anzeige_von(schluessel) != schluessel:
                assert schluessel not in f.hilfe, (f.feld, f.hilfe)


def test_einheiten_aller_ausgaben():
    """Every branch (indicators, Altfälle, settlement) gives outputs with the declared units."""
    result = berechne(
        klein(
            indikatoren=(Indikator("I", D(1), D(2), D(1)),),
            ist_kosten_a=D("100000"),
            ist_kosten_b=D("20000"),
        )
    )
    e, s = result.einheiten, result.spalten_einheiten
    assert e["Teilbudget a"] is e["Fehlbetrag"] is e["Ergebnis Jahresabschluss"] is Einheit.EURO
    assert e["Laufende Fälle"] is e["Altfälle (Anzahl)"] is Einheit.ANZAHL
    assert e["Erfüllungsgrad Leistungsindikatoren"] is Einheit.ANTEIL
    assert e["Neuzugänge bewertet nach"] is Einheit.TEXT
    assert (
        s["Kostentypen"]["Fälle"] is Einheit.ANZAHL and s["Kostentypen"]["Obergrenze (bis)"] is Einheit.EURO
    )
    assert s["Bedingte Anteile"]["Anteil"] is Einheit.ANTEIL
    assert s["Leistungsindikatoren"]["Erfüllungsgrad"] is Einheit.ANTEIL
    assert s["Leistungsindikatoren"]["Gewicht"] is Einheit.ZAHL
    assert s["Altfälle"]["Kosten Vorjahr (Prognose)"] is Einheit.EURO
    assert s["Jahresabschluss"]["Betrag"] is Einheit.EURO
    assert set(result.tabellen) == {t.name for t in stuttgart.DEKLARATION.ausgaben}


def test_altfaelle_nennen_ihren_leistungserbringer():
    """The Altfälle table names the external provider as the Träger of its rows (its line item goes there)."""
    t = stuttgart.DEKLARATION.ausgabetabelle("Altfälle")
    assert t.traeger == "Leistungserbringer" and t.sozialraum is None
    result = berechne(*stuttgart.beispiel())
    empfaenger = {p.traeger for p in result.positionen if p.art is Art.OFFEN}
    assert empfaenger == {z["Leistungserbringer"] for z in result.tabellen["Altfälle"]}
    spalten = list(result.tabellen["Altfälle"][0])
    assert [sp for m in t.anlage for sp in spalten if re.fullmatch(m, sp)] == [
        "Fall-ID",
        "Kosten Vorjahr (Prognose)",
        "Finanzierung",
    ]


def test_fehlerorte_als_pfad():
    """Errors the model raises itself name the input field or row (pfad) for the workbook."""
    assert fehler(klein(traeger=" ")).pfad == ("eingabe", "traeger")
    assert fehler(klein(sozialraum="")).pfad == ("eingabe", "sozialraum")
    zweiter = (Fall("F1", D(1)), Fall("F2", None))  # type: ignore[arg-type]
    assert fehler(klein(faelle=zweiter)).pfad == ("faelle", 1, "jahreskosten")
    assert fehler(klein(faelle=(Fall("F1", D(1)), Fall(" ", D(1))))).pfad == ("faelle", 1, "fall_id")
    assert fehler(klein(faelle=(Fall("F1", D(1), False, True, 7),))).pfad == (  # type: ignore[arg-type]
        "faelle",
        0,
        "leistungserbringer",
    )
    ind = (Indikator("I", D(1), D(1), D(1)), Indikator("J", D(1), D(1), D(1), richtung=0))
    assert fehler(klein(indikatoren=ind)).pfad == ("indikatoren", 1, "richtung")
    assert fehler(klein(indikatoren=(Indikator("", D(1), D(1), D(1)),))).pfad == ("indikatoren", 0, "name")
    assert fehler(klein(indikatoren=(Indikator("I", D(0), D(1), D(1)),))).pfad == ("eingabe", "indikatoren")
    assert fehler(klein(ist_kosten_a=D(1))).pfad == ("eingabe", "ist_kosten_b")
    assert fehler(klein(ist_kosten_b=D(1))).pfad == ("eingabe", "ist_kosten_a")
    assert fehler(klein(), Parameter(kostentyp_grenzen=())).pfad == ("parameter", "kostentyp_grenzen")
    absteigend = Parameter(kostentyp_grenzen=(D(2), D(1)))
    assert fehler(klein(), absteigend).pfad == ("parameter", "kostentyp_grenzen")
    assert fehler(klein(), Parameter(neuzugaenge="median")).pfad == ("parameter", "neuzugaenge")
    zu_wenig = Parameter(neuzugaenge="kostensatz", kostensaetze=(D(1),))
    assert fehler(klein(), zu_wenig).pfad == ("parameter", "kostensaetze")
    assert fehler(klein(), Parameter(ruecklage_lesart="halb")).pfad == ("parameter", "ruecklage_lesart")


def test_kleine_funktionen():
    """No function of the module is longer than 100 lines (berechne is split into one function per part)."""
    import ast
    import inspect

    baum = ast.parse(inspect.getsource(stuttgart))
    laengen = {
        n.name: n.end_lineno - n.lineno + 1
        for n in ast.walk(baum)
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    assert max(laengen.values()) <= 100, max(laengen.items(), key=lambda x: x[1])
