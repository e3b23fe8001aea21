"""Neunkirchen model (Gutachten §5.2, Spezifikation §3.3): worked examples, bad input, properties."""

from __future__ import annotations

import math
from dataclasses import replace
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sozbudget_xl.einheiten import Einheit
from sozbudget_xl.errors import ModellFehler
from sozbudget_xl.models import modell
from sozbudget_xl.models.base import Art
from sozbudget_xl.models.neunkirchen import (
    DEKLARATION,
    NAME,
    ZULAESSIGE_PARAGRAPHEN,
    Eingabe,
    Ereignis,
    Hilfeart,
    Kandidat,
    Parameter,
    beispiel,
    berechne,
)
from sozbudget_xl.money import dm_to_eur
from sozbudget_xl.parsing import konvertiere
from sozbudget_xl.vertragstexte import texte

SR = "Innenstadt"
VB = "Trägerverbund Innenstadt"


def _eingabe(*hilfearten: Hilfeart, **kw) -> Eingabe:
    return Eingabe(sozialraum=SR, traegerverbund=VB, hilfearten=tuple(hilfearten), **kw)


def _basis(**kw) -> Eingabe:
    """Budget 100.000,00 €: § 31 4 × 10.000 € + § 34 1 × 60.000 €."""
    return _eingabe(Hilfeart("31", "SPFH", 4, "10000.00"), Hilfeart("34", "Heim", 1, "60000.00"), **kw)


def _fehler(eingabe: Eingabe, parameter: Parameter | None = None) -> ModellFehler:
    with pytest.raises(ModellFehler) as info:
        berechne(eingabe, parameter)
    err = info.value
    assert err.model == NAME
    assert "neunkirchen" in str(err)
    return err


# --------------------------------------------------------------------------- contract


def test_registry_liefert_modul():
    """The registry name „neunkirchen“ resolves to this module with the contract attributes."""
    m = modell("neunkirchen")
    assert m.NAME == "neunkirchen"
    assert m.QUELLE.startswith("Gutachten, Abschnitt 5.2")
    assert m.TITEL and m.BESCHREIBUNG.endswith(".")


def test_beispiel_ist_gueltig_und_realistisch():
    """The worked example computes: budget 4.885.600 €, overrun 64.400 €, 52.000 € recognised.

    Σ cases × cost: 72.000 + 86.400 + 211.200 + 580.000 + 456.000 + 495.000 + 2.016.000
    + 285.000 + 300.000 + 384.000 = 4.885.600 €; Ist 4.950.000 € → overrun 64.400 €;
    recognised event 52.000 € → Verbund bears 12.400 €.
    """
    e, p = beispiel()
    r = berechne(e, p)
    assert r.kennzahlen["Budget"] == D("4885600.00")
    assert r.kennzahlen["Überschreitung"] == D("64400.00")
    assert r.kennzahlen["Anpassung durch Jugendamt"] == D("52000.00")
    assert r.kennzahlen["Trägt Trägerverbund"] == D("12400.00")
    assert r.gesamt == D("4937600.00")
    assert len(e.mitglieder) >= 3
    assert len(r.tabellen["Pilotraum-Rangfolge"]) == 5
    assert {w.code for w in r.warnungen} >= {"ueberschreitung_verbund", "ereignis_nicht_anerkannt"}


# --------------------------------------------------------------------------- rule 1: budget


def test_budget_ist_summe_faelle_mal_jahreskosten():
    """The budget is Σ cases × annual cost per case over the Hilfearten.

    § 31: 3 × 14.500,00 € = 43.500,00 €; § 34: 2 × 72.000,50 € = 144.001,00 €;
    total 187.501,00 €.
    """
    r = berechne(_eingabe(Hilfeart("31", "SPFH", 3, "14500.00"), Hilfeart("§ 34", "Heim", 2, "72000.50")))
    assert [x.betrag for x in r.positionen] == [D("43500.00"), D("144001.00")]
    assert r.gesamt == D("187501.00")
    assert all(x.art == Art.UNBEDINGT and x.traeger == VB and x.sozialraum == SR for x in r.positionen)
    assert r.positionen[1].position.startswith("§ 34 SGB VIII Heim: 2 Fälle × 72.000,50 €")


def test_durchschnittliche_fallzahl_wird_kaufmaennisch_gerundet():
    """Fractional average case numbers are allowed; the product is rounded half up to the cent.

    2,5 Fälle × 1.000,01 € = 2.500,025 € → 2.500,03 €.
    """
    r = berechne(_eingabe(Hilfeart("30", "Erziehungsbeistand", "2.5", "1000.01")))
    assert r.gesamt == D("2500.03")


def test_startbudget_1997_in_dm_golden():
    """Golden: the 1997 costs of DM 3.213.000 become the start budget of 1.642.780,81 €.

    DM: 40 × 900 + 15 × 7.200 + 30 × 14.000 + 10 × 30.000 + 20 × 16.500 + 25 × 72.000
    + 5 × 43.800 = 36.000 + 108.000 + 420.000 + 300.000 + 330.000 + 1.800.000 + 219.000
    = 3.213.000 DM; 3.213.000 / 1,95583 = 1.642.780,8142… → 1.642.780,81 €.
    """
    e = _eingabe(
        Hilfeart("28", "Erziehungsberatung", 40, "900"),
        Hilfeart("30", "Erziehungsbeistand", 15, "7200"),
        Hilfeart("31", "SPFH", 30, "14000"),
        Hilfeart("32", "Tagesgruppe", 10, "30000"),
        Hilfeart("33", "Vollzeitpflege", 20, "16500"),
        Hilfeart("34", "Heimerziehung", 25, "72000"),
        Hilfeart("35a", "Eingliederungshilfe", 5, "43800"),
        abrechnungsjahr=1997,
    )
    r = berechne(e, Parameter(waehrung="DM", jahr=1999))
    assert dm_to_eur("3213000") == D("1642780.81")
    assert r.gesamt == dm_to_eur("3213000") == D("1642780.81")
    assert r.kennzahlen["Budget in DM"] == D("3213000.00")
    assert sum(x.betrag for x in r.positionen) == D("1642780.81")
    assert "DM" in r.positionen[0].position


def test_startbudget_1997_in_euro():
    """The same start budget entered in euros: Hilfearten summing to 1.642.780,81 € give exactly that.

    20 × 60.000,00 + 25 × 14.000,00 + 1 × 92.780,81 = 1.200.000 + 350.000 + 92.780,81
    = 1.642.780,81 € (= dm_to_eur(3.213.000)).
    """
    e = _eingabe(
        Hilfeart("34", "Heimerziehung", 20, "60000.00"),
        Hilfeart("31", "SPFH", 25, "14000.00"),
        Hilfeart("33", "Vollzeitpflege", 1, "92780.81"),
    )
    assert berechne(e).gesamt == dm_to_eur("3213000")


def test_dm_wird_einmal_umgerechnet_und_nach_groesstem_rest_verteilt():
    """In DM the total is converted once and split back by largest remainder (not per line).

    4 × 1 DM = 4 DM → 4 / 1,95583 = 2,0452 → 2,05 €; 205 ct / 4 = 51,25 ct → 51 ct each and
    the remaining cent to the first: 0,52 + 0,51 + 0,51 + 0,51 = 2,05 € (per line 4 × 0,51 =
    2,04 € would lose a cent).
    """
    e = _eingabe(*(Hilfeart(str(28 + i), f"H{i}", 1, "1.00") for i in range(4)))
    r = berechne(e, Parameter(waehrung="DM"))
    assert [x.betrag for x in r.positionen] == [D("0.52"), D("0.51"), D("0.51"), D("0.51")]
    assert r.gesamt == D("2.05")


def test_hilfearten_je_jugendamtsbezirk():
    """Hilfearten may name their Jugendamtsbezirk: items name it and a table sums per Bezirk.

    Bezirk 1: § 34 2 × 70.000 € = 140.000 €; Bezirk 2: § 34 1 × 70.000 € + § 31 2 × 15.000 €
    = 100.000 €; the same Hilfeart in two Bezirke is allowed. Total 240.000 €.
    """
    e = _eingabe(
        Hilfeart("34", "Heim", 2, "70000", bezirk="Bezirk 1"),
        Hilfeart("34", "Heim", 1, "70000", bezirk="Bezirk 2"),
        Hilfeart("31", "SPFH", 2, "15000", bezirk="Bezirk 2"),
    )
    r = berechne(e)
    assert [x.sozialraum for x in r.positionen] == ["Bezirk 1", "Bezirk 2", "Bezirk 2"]
    assert [(z["Sozialraum"], z["Budget"]) for z in r.tabellen["Budget je Jugendamtsbezirk"]] == [
        ("Bezirk 1", D("140000.00")),
        ("Bezirk 2", D("100000.00")),
    ]
    assert r.gesamt == D("240000.00")
    err = _fehler(
        _eingabe(Hilfeart("34", "Heim", 1, "1", bezirk="B"), Hilfeart("33", "Heim", 1, "1", bezirk="B"))
    )
    assert err.item == "Heim" and err.field == "Bezeichnung"
    assert err.found == "„B: Heim“ und „B: Heim“" and err.pfad == ("hilfearten", 1, "bezeichnung")


@pytest.mark.parametrize("text", ["§ 35a SGB VIII", "35 a", "35A", 34, 41.0, "§ 27 Abs. 2", "§§ 33"])
def test_zulaessige_paragraphen(text):
    """Paragraphs 27–35, 35a and 41 SGB VIII are accepted in the usual spellings."""
    r = berechne(_eingabe(Hilfeart(text, "Hilfe", 1, "100.00")))
    assert r.gesamt == D("100.00")


@pytest.mark.parametrize("text", ["36", "§ 13", "26", "42", "35b", "", "Heim", None, 34.5])
def test_unzulaessiger_paragraph(text):
    """A Hilfeart outside §§ 27–35, 35a, 41 SGB VIII is an error naming the Hilfeart and Paragraph."""
    err = _fehler(_eingabe(Hilfeart(text, "Sonderhilfe", 1, "100.00")))
    assert err.item == "Sonderhilfe" and err.field == "Paragraph"
    assert (*map(str, range(27, 36)), "35a", "41") == ZULAESSIGE_PARAGRAPHEN


def test_zahlungsplan_monatlich_an_den_verbund():
    """The budget is paid in 12 monthly instalments to the Verbund; remainder cents go first.

    100.000,01 € = 10.000.001 ct; 10.000.001 = 12 × 833.333 + 5 → the first five instalments are
    8.333,34 €, the other seven 8.333,33 €.
    """
    e = _eingabe(Hilfeart("31", "SPFH", 1, "100000.01"))
    r = berechne(e)
    assert len(r.zahlungsplan) == 12
    assert {x.empfaenger for x in r.zahlungsplan} == {VB}
    assert [x.betrag for x in r.zahlungsplan] == [D("8333.34")] * 5 + [D("8333.33")] * 7
    assert sum(x.betrag for x in r.zahlungsplan) == D("100000.01")


def test_zahlungsplan_quartalsweise_werktag():
    """Quarterly instalments on working days: 1 Jan 2026 (holiday) moves to Fri 2 Jan."""
    r = berechne(_basis(), Parameter(zahlungsweise="quartalsweise", werktag=True, bundesland="SL"))
    assert r.zahlungsplan[0].faellig.isoformat() == "2026-01-02"
    assert [x.betrag for x in r.zahlungsplan] == [D("25000.00")] * 4


# --------------------------------------------------------------------------- rules 3–5: settlement


def test_praeventionsfonds_aus_nicht_verausgabten_mitteln():
    """Unspent money goes to the Präventionsfonds: 100.000,00 − 92.345,67 = 7.654,33 €."""
    r = berechne(_basis(ist_ausgaben="92345.67"))
    assert r.kennzahlen["Präventionsfonds"] == D("7654.33")
    assert r.tabellen["Präventionsfonds"][0]["Präventionsfonds"] == D("7654.33")
    assert r.tabellen["Jahresabschluss"][0]["Ausschöpfung"] == D("0.9235")
    assert r.gesamt == D("100000.00")
    assert [w.code for w in r.warnungen] == ["rechtsanspruch_vorbehalt", "kein_federfuehrender_traeger"]


def test_ueberschreitung_ohne_anerkannten_grund_traegt_der_verbund():
    """An overrun without a recognised event is borne by the Verbund (warning); hard cap reported.

    Ist 110.000 − Budget 100.000 = 10.000 € overrun, nothing recognised → Verbund 10.000 €.
    """
    r = berechne(_basis(ist_ausgaben="110000.00"))
    assert r.kennzahlen["Überschreitung"] == D("10000.00")
    assert r.kennzahlen["Trägt Trägerverbund"] == D("10000.00")
    assert r.kennzahlen["Präventionsfonds"] == D("0.00")
    codes = [w.code for w in r.warnungen]
    assert "deckel_hart_ueberschritten" in codes and "ueberschreitung_verbund" in codes
    assert r.gesamt == D("100000.00")


def test_anerkanntes_ereignis_deckt_das_jugendamt():
    """A documented unforeseeable and unavoidable event is covered by the Jugendamt (bedingt item).

    Overrun 10.000 €, recognised 6.000 € → Jugendamt 6.000 €, Verbund 4.000 €; total 106.000 €.
    """
    ev = Ereignis("Geschwistergruppe", "6000.00", "Brand der Wohnung", True, True, True)
    r = berechne(_basis(ist_ausgaben="110000.00", ereignisse=(ev,)))
    anpassung = [x for x in r.positionen if x.art == Art.BEDINGT]
    assert [x.betrag for x in anpassung] == [D("6000.00")]
    assert "Brand der Wohnung" in anpassung[0].bedingung
    assert r.kennzahlen["Trägt Trägerverbund"] == D("4000.00")
    assert r.gesamt == D("106000.00") == r.kennzahlen["Budget nach Anpassung"]
    assert sum(x.betrag for x in r.zahlungsplan) == D("100000.00")  # adjustment not in the plan


def test_anerkannte_ereignisse_groesser_als_ueberschreitung_werden_gekappt():
    """Recognised events above the overrun are capped and split by largest remainder.

    Overrun 10.000 €, events 8.000 € and 4.000 € → 10.000 × 8/12 = 6.666,666… → 6.666,67 €,
    10.000 × 4/12 = 3.333,333… → 3.333,33 €; Verbund 0 €, no Verbund warning.
    """
    evs = (
        Ereignis("A", "8000.00", "Grund A", True, True, True),
        Ereignis("B", "4000.00", "Grund B", True, True, True),
    )
    r = berechne(_basis(ist_ausgaben="110000.00", ereignisse=evs))
    assert [x.betrag for x in r.positionen if x.art == Art.BEDINGT] == [D("6666.67"), D("3333.33")]
    assert r.kennzahlen["Trägt Trägerverbund"] == D("0.00")
    assert "ueberschreitung_verbund" not in [w.code for w in r.warnungen]
    assert [z["Anpassung (€)"] for z in r.tabellen["Ereignisse"]] == [D("6666.67"), D("3333.33")]


@pytest.mark.parametrize(
    ("grund", "unvorh", "unabw", "unkalk", "text"),
    [
        ("", True, True, True, "schriftliche Begründung fehlt"),
        ("   ", True, True, True, "schriftliche Begründung fehlt"),
        ("Tarif", False, True, True, "nicht unvorhersehbar"),
        ("Tarif", True, False, True, "nicht unabweisbar"),
        ("Tarif", True, True, False, "nicht unkalkulierbar"),
    ],
)
def test_ereignis_ohne_begruendung_oder_merkmal_nicht_anerkannt(grund, unvorh, unabw, unkalk, text):
    """§5.2 „Nur wenn unkalkulierbare, unvorhersehbare und unabweisbare Einwirkungen in einem
    Jahreszyklus eintreten, kann das Budget im Nachhinein nach oben angepasst werden“: an event
    lacking a written reason or one of the three marks is not recognised (warning); the Verbund
    pays 103.000 − 100.000 = 3.000,00 €."""
    ev = Ereignis("Tariferhöhung", "5000.00", grund, unvorh, unabw, unkalk)
    r = berechne(_basis(ist_ausgaben="103000.00", ereignisse=(ev,)))
    assert r.gesamt == D("100000.00")
    assert r.kennzahlen["Trägt Trägerverbund"] == D("3000.00")
    w = [w for w in r.warnungen if w.code == "ereignis_nicht_anerkannt"]
    assert len(w) == 1 and text in w[0].text and "Tariferhöhung" in w[0].text


def test_ereignis_ohne_ueberschreitung_passt_nicht_an():
    """Without an overrun a recognised event does not raise the budget."""
    ev = Ereignis("A", "8000.00", "Grund", True, True, True)
    r = berechne(_basis(ist_ausgaben="99000.00", ereignisse=(ev,)))
    assert r.gesamt == D("100000.00")
    assert r.kennzahlen["Präventionsfonds"] == D("1000.00")


def test_ereignisse_ohne_ist_werden_gewarnt():
    """Events given without actual spending are not settled and produce a warning."""
    r = berechne(_basis(ereignisse=(Ereignis("A", "1.00", "Grund", True, True, True),)))
    assert [w.code for w in r.warnungen][-1] == "ereignisse_ohne_ist"
    assert "Jahresabschluss" not in r.tabellen


def test_abrechnung_in_dm():
    """In DM mode actual spending and events are converted too.

    Budget 195.583 DM = 100.000,00 €; Ist 215.141,30 DM = 110.000,00 €; event 19.558,30 DM
    = 10.000,00 € recognised → adjustment 10.000,00 €, Verbund 0 €.
    """
    e = _eingabe(
        Hilfeart("34", "Heim", 1, "195583"),
        ist_ausgaben="215141.30",
        ereignisse=(Ereignis("A", "19558.30", "Grund", True, True, True),),
    )
    r = berechne(e, Parameter(waehrung="dm"))
    assert r.kennzahlen["Budget"] == D("100000.00")
    assert r.kennzahlen["Ist"] == D("110000.00")
    assert r.kennzahlen["Anpassung durch Jugendamt"] == D("10000.00")
    assert r.gesamt == D("110000.00")


# --------------------------------------------------------------------------- rule 6: pilot ranking


def test_pilotraum_rangfolge_spw_handgerechnet():
    """Candidates are ranked by the equal-weight mean of SPW points, Wohndauer mirrored.

    Wohnraumdichte 1,0 / 2,0 / 1,5 → SPW 0 / 100 / 50. Wohndauer 10 / 5 / 10 (direction −1):
    100·(x−5)/5 = 100 / 0 / 100 → mirrored 0 / 100 / 0. Composite A 0, B 100, C 25
    → ranks B, C, A; the first two are pilot areas.
    """
    kand = (
        Kandidat("A", wohnraumdichte="1.0", mittlere_wohndauer=10),
        Kandidat("B", wohnraumdichte="2.0", mittlere_wohndauer=5),
        Kandidat("C", wohnraumdichte="1.5", mittlere_wohndauer=10),
    )
    r = berechne(_basis(kandidaten=kand))
    rows = r.tabellen["Pilotraum-Rangfolge"]
    assert [(z["Rang"], z["Sozialraum"], z["Gesamtpunktzahl"]) for z in rows] == [
        (1, "B", D("100.00")),
        (2, "C", D("25.00")),
        (3, "A", D("0.00")),
    ]
    assert [z["SPW mittlere Wohndauer"] for z in rows] == [D("100.00"), D("0.00"), D("0.00")]
    assert [z["Pilotraum"] for z in rows] == ["ja", "ja", "nein"]
    assert set(rows[0]) == {
        "Rang",
        "Sozialraum",
        "Gesamtpunktzahl",
        "SPW Wohnraumdichte",
        "SPW mittlere Wohndauer",
        "Pilotraum",
    }
    assert r.gesamt == D("100000.00")  # ranking is not money
    assert r.kennzahlen["Pilotsozialräume"] == "B, C"


def test_pilotraum_anzahl_ist_parameter():
    """With pilotraeume=1 only the first rank is marked as pilot area."""
    kand = (Kandidat("A", sozialhilfequote="0.05"), Kandidat("B", sozialhilfequote="0.10"))
    rows = berechne(_basis(kandidaten=kand), Parameter(pilotraeume=1)).tabellen["Pilotraum-Rangfolge"]
    assert [(z["Sozialraum"], z["Pilotraum"]) for z in rows] == [("B", "ja"), ("A", "nein")]


def test_alle_gleich_ergibt_spw_null_und_warnung():
    """An indicator with the same value everywhere gives SPW 0 everywhere and a warning."""
    kand = (
        Kandidat("A", auslaenderanteil="0.10", anteil_unter_25="0.20"),
        Kandidat("B", auslaenderanteil="0.10", anteil_unter_25="0.30"),
    )
    r = berechne(_basis(kandidaten=kand))
    rows = r.tabellen["Pilotraum-Rangfolge"]
    assert [z["SPW Ausländeranteil"] for z in rows] == [D("0.00"), D("0.00")]
    assert [z["Gesamtpunktzahl"] for z in rows] == [D("50.00"), D("0.00")]
    assert any(w.code == "alle_gleich" and "Ausländeranteil" in w.text for w in r.warnungen)


def test_gleichstand_teilt_rang_und_warnt_an_der_grenze():
    """Equal composites share a rank (input order kept); a tie at the pilot boundary is a warning."""
    kand = (
        Kandidat("A", wohnraumdichte=1),
        Kandidat("B", wohnraumdichte=3),
        Kandidat("C", wohnraumdichte=2),
        Kandidat("D", wohnraumdichte=2),
    )
    r = berechne(_basis(kandidaten=kand))
    rows = r.tabellen["Pilotraum-Rangfolge"]
    assert [(z["Rang"], z["Sozialraum"]) for z in rows] == [(1, "B"), (2, "C"), (2, "D"), (4, "A")]
    assert [z["Pilotraum"] for z in rows] == ["ja", "ja", "ja", "nein"]
    assert "gleichstand" in [w.code for w in r.warnungen]


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("hilfeart", "item", "field"),
    [
        (Hilfeart("31", "SPFH", -1, "100.00"), "SPFH", "Fälle"),
        (Hilfeart("31", "SPFH", 1, "-100.00"), "SPFH", "Kosten je Fall"),
        (Hilfeart("31", "SPFH", 3, "0"), "SPFH", "Kosten je Fall"),
        (Hilfeart("31", "SPFH", float("nan"), "100.00"), "SPFH", "Fälle"),
        (Hilfeart("31", "SPFH", 1, float("nan")), "SPFH", "Kosten je Fall"),
        (Hilfeart("31", "SPFH", 1, None), "SPFH", "Kosten je Fall"),
        (Hilfeart("31", "", 1, "100.00"), "", "Bezeichnung"),
    ],
)
def test_ungueltige_hilfeart(hilfeart, item, field):
    """Negative, missing or NaN numbers and a case without cost are errors naming item and field."""
    err = _fehler(_eingabe(hilfeart))
    assert err.item == item and err.field == field
    assert field in str(err)


def test_fall_ohne_kosten_meldung():
    """Cases with annual cost 0 are rejected with a German message („Fälle ohne Kosten“)."""
    err = _fehler(_eingabe(Hilfeart("31", "SPFH", 3, "0")))
    assert "ohne Kosten" in str(err) and "SPFH" in str(err)


def test_keine_hilfearten():
    """An empty list of Hilfearten is an error."""
    assert _fehler(_eingabe()).field == "Hilfearten"


def test_doppelte_hilfeart():
    """Two Hilfearten with the same name are an error naming it."""
    err = _fehler(_eingabe(Hilfeart("31", "SPFH", 1, "1.00"), Hilfeart("30", "SPFH", 1, "1.00")))
    assert err.item == "SPFH" and "doppelt" in str(err)


def test_abrechnungsjahr_muss_abgeschlossen_sein():
    """Cost data from the budget year itself (not yet settled) are rejected."""
    err = _fehler(_basis(abrechnungsjahr=2026), Parameter(jahr=2026))
    assert err.field == "Abrechnungsjahr"


@pytest.mark.parametrize(
    ("kw", "item", "field"),
    [
        ({"ist_ausgaben": "-1"}, SR, "Ist-Ausgaben"),
        ({"ist_ausgaben": float("nan")}, SR, "Ist-Ausgaben"),
        ({"ereignisse": (Ereignis("X", "-5", "Grund", True, True),)}, "X", "Betrag"),
        (
            {"ereignisse": (Ereignis("X", "5", "G", True, True), Ereignis("X", "5", "G", True, True))},
            "X",
            "Ereignis",
        ),
        ({"ereignisse": (Ereignis("X", "5", "G", "ja", True),)}, "X", "unvorhersehbar"),
        ({"mitglieder": ("Caritas", "Caritas")}, "Caritas", "Mitglied"),
    ],
)
def test_ungueltige_abrechnungsdaten(kw, item, field):
    """Negative or NaN actual spending, bad events and duplicate members are errors naming them."""
    err = _fehler(_basis(**kw))
    assert err.item == item and err.field == field


@pytest.mark.parametrize(
    ("kandidaten", "item", "field"),
    [
        (
            (Kandidat("A", auslaenderanteil="1.2"), Kandidat("B", auslaenderanteil="0.1")),
            "A",
            "Ausländeranteil",
        ),
        (
            (Kandidat("A", sozialhilfequote="120 %"), Kandidat("B", sozialhilfequote="0.1")),
            "A",
            "Sozialhilfequote",
        ),
        ((Kandidat("A", wohnraumdichte=-1), Kandidat("B", wohnraumdichte=1)), "A", "Wohnraumdichte"),
        ((Kandidat("A", wohnraumdichte=math.nan), Kandidat("B", wohnraumdichte=1)), "A", "Wohnraumdichte"),
        ((Kandidat("A", wohnraumdichte=1), Kandidat("B")), "B", "Wohnraumdichte"),
        ((Kandidat("A", wohnraumdichte=1), Kandidat("A", wohnraumdichte=2)), "A", "Sozialraum"),
        ((Kandidat("A", wohnraumdichte=1),), None, "Kandidaten"),
        ((Kandidat("A"), Kandidat("B")), None, "Sozialindikatoren"),
    ],
)
def test_ungueltige_kandidaten(kandidaten, item, field):
    """Shares over 100 %, negative/NaN/missing values, duplicates, one candidate or no indicator: error."""
    err = _fehler(_basis(kandidaten=kandidaten))
    assert err.item == item and err.field == field


@pytest.mark.parametrize(
    ("parameter", "field"),
    [
        (Parameter(waehrung="USD"), "Währung"),
        (Parameter(pilotraeume=0), "Pilotsozialräume"),
        (Parameter(zahlungsweise="woechentlich"), "Zahlungsweise"),
        (Parameter(bundesland="XX"), "Bundesland"),
        (Parameter(zahlungsweise="termine"), "Termine"),
    ],
)
def test_ungueltige_parameter(parameter, field):
    """Invalid parameters are a ModellFehler naming the field."""
    assert _fehler(_basis(), parameter).field == field


def test_falscher_eingabetyp():
    """Passing something else than an Eingabe or Parameter is a ModellFehler, not an AttributeError."""
    _fehler(object())  # type: ignore[arg-type]
    assert _fehler(_basis(), "falsch").field == "Parameter"  # type: ignore[arg-type]


# --------------------------------------------------------------------------- properties

_HILFEARTEN = st.lists(
    st.tuples(
        st.sampled_from(ZULAESSIGE_PARAGRAPHEN),
        st.integers(0, 60),
        st.integers(1, 20_000_000).map(lambda c: D(c) / 100),
    ),
    min_size=1,
    max_size=8,
)


def _aus(rows, perm=None) -> Eingabe:
    hs = [Hilfeart(par, f"Hilfe {i}", f, k) for i, (par, f, k) in enumerate(rows)]
    if perm is not None:
        hs = [hs[i] for i in perm]
    return _eingabe(*hs)


@settings(max_examples=60, deadline=None)
@given(rows=_HILFEARTEN, waehrung=st.sampled_from(["EUR", "DM"]))
def test_eigenschaft_summe_und_keine_negativen(rows, waehrung):
    """For random valid Hilfearten the items sum to the total, none is negative, DM total is exact."""
    r = berechne(_aus(rows), Parameter(waehrung=waehrung))
    assert sum((x.betrag for x in r.positionen), D(0)) == r.gesamt
    assert all(x.betrag >= 0 for x in r.positionen)
    exakt = sum((D(f) * k for _, f, k in rows), D(0))
    assert r.gesamt == (dm_to_eur(exakt) if waehrung == "DM" else exakt)
    assert sum((x.betrag for x in r.zahlungsplan), D(0)) == r.gesamt


@settings(max_examples=60, deadline=None)
@given(rows=_HILFEARTEN, waehrung=st.sampled_from(["EUR", "DM"]), data=st.data())
def test_eigenschaft_reihenfolge_egal(rows, waehrung, data):
    """Permuting the Hilfearten changes only the order of the items (per-name amounts equal).

    In DM mode the DM amounts are made distinct, so that largest-remainder ties are broken by the
    weight and not by the input order.
    """
    if waehrung == "DM":
        rows = [(par, f + 1, k + i) for i, (par, f, k) in enumerate(rows)]
        betraege = [D(f) * k for _, f, k in rows]
        if len(set(betraege)) != len(betraege):
            return
    perm = data.draw(st.permutations(range(len(rows))))
    p = Parameter(waehrung=waehrung)
    a = {x.position: x.betrag for x in berechne(_aus(rows), p).positionen}
    b = {x.position: x.betrag for x in berechne(_aus(rows, perm), p).positionen}
    assert a == b


@settings(max_examples=60, deadline=None)
@given(
    ist=st.integers(0, 30_000_000).map(lambda c: D(c) / 100),
    events=st.lists(
        st.tuples(
            st.integers(0, 5_000_000).map(lambda c: D(c) / 100),
            st.booleans(),
            st.booleans(),
            st.booleans(),
            st.booleans(),
        ),
        max_size=5,
    ),
)
def test_eigenschaft_abrechnung(ist, events):
    """Settlement identities: adjustment + Verbund share = overrun, fund = max(0, budget − Ist)."""
    evs = tuple(
        Ereignis(f"E{i}", b, "Grund" if g else "", u1, u2, u3) for i, (b, g, u1, u2, u3) in enumerate(events)
    )
    r = berechne(_basis(ist_ausgaben=ist, ereignisse=evs))
    k = r.kennzahlen
    budget = D("100000.00")
    assert k["Überschreitung"] == max(D(0), ist - budget)
    assert k["Präventionsfonds"] == max(D(0), budget - ist)
    assert k["Anpassung durch Jugendamt"] + k["Trägt Trägerverbund"] == k["Überschreitung"]
    anerkannt = sum((b for b, g, u1, u2, u3 in events if g and u1 and u2 and u3), D(0))
    assert k["Anpassung durch Jugendamt"] == min(anerkannt, k["Überschreitung"])
    assert r.gesamt == budget + k["Anpassung durch Jugendamt"]
    assert all(x.betrag >= 0 for x in r.positionen)


@settings(max_examples=40, deadline=None)
@given(
    werte=st.lists(st.tuples(st.integers(0, 300), st.integers(1, 400)), min_size=2, max_size=7),
    data=st.data(),
)
def test_eigenschaft_rangfolge_reihenfolge_egal(werte, data):
    """Permuting the candidates does not change any candidate's points or the ranking's values."""
    kand = [
        Kandidat(f"Bezirk {i}", wohnraumdichte=D(w) / 100, mittlere_wohndauer=D(d) / 10)
        for i, (w, d) in enumerate(werte)
    ]
    perm = data.draw(st.permutations(range(len(kand))))

    def punkte(ks):
        rows = berechne(_basis(kandidaten=tuple(ks))).tabellen["Pilotraum-Rangfolge"]
        return {z["Sozialraum"]: (z["Rang"], z["Gesamtpunktzahl"]) for z in rows}

    assert punkte(kand) == punkte([kand[i] for i in perm])


def test_eingabe_ist_unveraendert():
    """berechne is pure: the frozen input is unchanged and a second call gives the same result."""
    e, p = beispiel()
    kopie = replace(e)
    assert berechne(e, p) == berechne(kopie, p)


def test_dm_remainder_cents_do_not_depend_on_row_order():
    """Two Hilfearten of 2 DM each: 4 DM = 2,05 € (2,0451…), split 1,03 / 1,02 €; the odd cent goes
    by § (§ 30 before § 31), not by row order, so swapping the rows changes nothing."""
    m = modell("neunkirchen")
    from sozbudget_xl.models.neunkirchen import Eingabe, Hilfeart, Parameter

    arten = (Hilfeart("31", "SPFH", 1, D("2")), Hilfeart("30", "Beistand", 1, D("2")))
    p = Parameter(waehrung="DM")

    def betraege(hilfearten):
        r = m.berechne(Eingabe("Mitte", "Verbund", hilfearten), p)
        return {li.position: li.betrag for li in r.positionen}

    vorwaerts, rueckwaerts = betraege(arten), betraege(arten[::-1])
    assert vorwaerts == rueckwaerts
    assert sum(vorwaerts.values()) == D("2.05")


# --------------------------------------------------------------------------- declaration (issue 10)


def _voll(**kw) -> Eingabe:
    """An input that reaches every branch: two Bezirke, members, Ist, events and candidates."""
    return _eingabe(
        Hilfeart("31", "SPFH", 4, "10000.00", bezirk="Nord"),
        Hilfeart("34", "Heim", 1, "60000.00", bezirk="Süd"),
        abrechnungsjahr=2024,
        mitglieder=("Caritas", "AWO"),
        ist_ausgaben="105000.00",
        ereignisse=(Ereignis("Brand", "3000.00", "Grund", True, True, True), Ereignis("Tarif", "1.00")),
        kandidaten=(Kandidat("Nord", wohnraumdichte=2), Kandidat("Süd", wohnraumdichte=1)),
        **kw,
    )


@pytest.mark.parametrize("waehrung", ["EUR", "DM"])
def test_jede_ausgabe_hat_die_richtige_einheit(waehrung):
    """Every Kennzahl and column of a run through all branches is declared with its unit (euro, DM,
    share, count, year, rank, points); DM amounts are DM, never euro."""
    r = berechne(_voll(), Parameter(waehrung=waehrung))
    e = r.einheiten
    for k in ("Budget", "Ist", "Überschreitung", "Anpassung durch Jugendamt", "Präventionsfonds"):
        assert e[k] is Einheit.EURO, k
    assert e["Ausschöpfung"] is Einheit.ANTEIL
    assert e["Pilotsozialräume"] is Einheit.TEXT
    assert e.get("Budget in DM") is (Einheit.DM if waehrung == "DM" else None)
    s = r.spalten_einheiten
    einheit = "DM" if waehrung == "DM" else "€"
    assert s["Hilfearten"]["Fälle"] is Einheit.ANZAHL
    assert s["Hilfearten"][f"Kosten je Fall ({einheit})"] is (
        Einheit.DM if waehrung == "DM" else Einheit.EURO
    )
    assert s["Hilfearten"]["Budget (€)"] is Einheit.EURO
    assert s["Ereignisse"][f"Betrag ({einheit})"] is (Einheit.DM if waehrung == "DM" else Einheit.EURO)
    assert s["Jahresabschluss"]["Haushaltsjahr"] is Einheit.JAHR
    assert s["Jahresabschluss"]["Ausschöpfung"] is Einheit.ANTEIL
    assert s["Pilotraum-Rangfolge"]["Rang"] is Einheit.RANG
    assert s["Pilotraum-Rangfolge"]["SPW Wohnraumdichte"] is Einheit.PUNKTE
    assert set(s) == {
        "Hilfearten",
        "Budget je Jugendamtsbezirk",
        "Jahresabschluss",
        "Präventionsfonds",
        "Ereignisse",
        "Pilotraum-Rangfolge",
        "Trägerverbund",
    }


def test_ausgabetabellen_nennen_verbund_und_sozialraum():
    """Settlement tables name the Verbund as Träger; the Hilfearten table names the Bezirk (the
    Sozialraum of its line items), which matches the line items of the Verbund."""
    d = DEKLARATION
    assert d.ausgabetabelle("Jahresabschluss").traeger == "Zahlungsempfänger"
    assert d.ausgabetabelle("Trägerverbund").anlage == ("Mitglied", "federführend")
    r = berechne(_voll())
    orte = {x.sozialraum for x in r.positionen if x.art is Art.UNBEDINGT}
    assert {z["Sozialraum"] for z in r.tabellen["Hilfearten"]} == orte == {"Nord", "Süd"}


def test_abrechnungsjahr_ist_eine_jahreszahl():
    """The Abrechnungsjahr input is a year (shown as 2024, not as the count 2.024)."""
    assert DEKLARATION.feld("abrechnungsjahr").einheit is Einheit.JAHR


def test_auswahl_mit_deutschen_woertern():
    """Währung and Paragraph show German words; the reader maps the word back to the model's key."""
    f = DEKLARATION.feld("waehrung")
    assert f.anzeigewerte() == ("Euro", "Deutsche Mark (DM)")
    assert konvertiere("text", "Deutsche Mark (DM)", auswahl=f.auswahl) == "DM"
    assert "EUR" not in f.hilfe and "Standard" not in f.hilfe
    par = next(sp for sp in DEKLARATION.tabellen[0].spalten if sp.feld == "paragraph")
    assert par.schluessel() == ZULAESSIGE_PARAGRAPHEN
    assert par.anzeige_von("35a") == "§ 35a SGB VIII"
    schluessel = konvertiere("text", "§ 35a SGB VIII", auswahl=par.auswahl)
    r = berechne(_eingabe(Hilfeart(schluessel, "Eingliederungshilfe", 1, "100.00")))
    assert r.positionen[0].position.startswith("§ 35a SGB VIII")


def _texte(r, art="regel") -> str:
    return " ".join(t["text"] for t in texte(r, art))


def test_vertragstext_folgt_den_parametern():
    """The rule texts show the Abrechnungsjahr, the payment rhythm in German, the working-day rule,
    the DM conversion only in DM mode, and the number of pilot areas."""
    e, p = beispiel()
    text = _texte(berechne(e, p))
    assert "Abrechnungsjahres 2024" in text
    assert "monatlich in Abschlägen" in text
    assert "am nächsten Werktag" in text and "DM" not in text
    assert "die 2 Sozialräume mit der höchsten Gesamtpunktzahl" in text
    assert "Werktag" not in _texte(berechne(e, replace(p, werktag=False)))
    p2 = replace(p, waehrung="dm", zahlungsweise="quartalsmitte", werktag=True, pilotraeume=1)
    text = _texte(berechne(e, p2))
    assert "zur Quartalsmitte in Abschlägen" in text
    assert "am nächsten Werktag" in text
    assert "1,95583 DM je Euro" in text
    assert "der Sozialraum mit der höchsten Gesamtpunktzahl (Jugendamtsbezirk 1 Innenstadt-Nord)" in text


def test_vertragstext_ohne_abrechnungsjahr_und_ohne_kandidaten():
    """Without Abrechnungsjahr the text names the last settled year; without candidates there is
    no pilot sentence."""
    text = _texte(berechne(_basis()))
    assert "des letzten abgerechneten Jahres" in text
    assert "Pilotsozialräume" not in text


def test_vertragstexte_aus_dem_gutachten_nennen_den_abschnitt():
    """Texts from the report cite „Gutachten, Abschnitt 5.2“ (the cap text also 7.1); the others are
    marked as proposals; the reading of the report the defaults follow is stated."""
    for t in DEKLARATION.vertragstexte:
        quellen = ("Gutachten, Abschnitt 5.2", "Gutachten, Abschnitte 5.2 und 7.1")
        assert t.vorschlag or t.quelle in quellen, t.text
        assert "§" not in t.quelle
    r = berechne(*beispiel())
    assert "Präventionsfonds" in _texte(r, "ruecklage")
    assert "unvorhersehbare und unabweisbare" in _texte(r, "revision")
    assert "zwei Pilotsozialräume" in DEKLARATION.lesart


def test_ergebnis_traegt_parameter_und_eingabe():
    """The result carries the Parameter used (defaults when None) and the Eingabe for the texts."""
    e = _basis()
    r = berechne(e)
    assert r.parameter == Parameter() and r.eingabe is e
    p = Parameter(waehrung="DM")
    assert berechne(e, p).parameter is p


@pytest.mark.parametrize(
    ("eingabe", "parameter", "pfad"),
    [
        (_basis(), Parameter(waehrung="USD"), ("parameter", "waehrung")),
        (_basis(), Parameter(pilotraeume=0), ("parameter", "pilotraeume")),
        (_basis(abrechnungsjahr="2024"), None, ("eingabe", "abrechnungsjahr")),
        (_basis(abrechnungsjahr=2026), None, ("eingabe", "abrechnungsjahr")),
        (_basis(mitglieder=("A", "B", "A")), None, ("mitglieder", 2, "name")),
        (_eingabe(), None, ("eingabe", "hilfearten")),
        (
            _eingabe(Hilfeart("31", "S", 1, "1"), Hilfeart("30", "S", 1, "1")),
            None,
            ("hilfearten", 1, "bezeichnung"),
        ),
        (
            _eingabe(Hilfeart("31", "S", 1, "1"), Hilfeart("99", "T", 1, "1")),
            None,
            ("hilfearten", 1, "paragraph"),
        ),
        (_eingabe(Hilfeart(None, "S", 1, "1")), None, ("hilfearten", 0, "paragraph")),
        (_eingabe(Hilfeart("31", "S", 3, "0")), None, ("hilfearten", 0, "kosten_je_fall")),
        (_eingabe(Hilfeart("31", "S", 3, "1", bezirk=7)), None, ("hilfearten", 0, "bezirk")),
        (_basis(ereignisse=(Ereignis("X", "5"), Ereignis("X", "5"))), None, ("ereignisse", 1, "bezeichnung")),
        (_basis(ereignisse=(Ereignis("X", "5", 3),)), None, ("ereignisse", 0, "begruendung")),
        (_basis(ereignisse=(Ereignis("X", "5", "G", True, "ja"),)), None, ("ereignisse", 0, "unabweisbar")),
        (_basis(kandidaten=(Kandidat("A", wohnraumdichte=1),)), None, ("eingabe", "kandidaten")),
        (_basis(kandidaten=(Kandidat("A"), Kandidat("B"))), None, ("eingabe", "kandidaten")),
        (
            _basis(kandidaten=(Kandidat("A", wohnraumdichte=1), Kandidat("A", wohnraumdichte=2))),
            None,
            ("kandidaten", 1, "name"),
        ),
        (
            _basis(kandidaten=(Kandidat("A", sozialhilfequote="0.1"), Kandidat("B"))),
            None,
            ("kandidaten", 1, "sozialhilfequote"),
        ),
    ],
)
def test_fehler_nennen_ihren_ort(eingabe, parameter, pfad):
    """Errors the model raises itself carry the structured location of the wrong input."""
    assert _fehler(eingabe, parameter).pfad == pfad


def test_keine_funktion_laenger_als_100_zeilen():
    """berechne is split into one function per budget part: no function has over 100 lines."""
    import ast
    import inspect

    from sozbudget_xl.models import neunkirchen

    baum = ast.parse(inspect.getsource(neunkirchen))
    laengen = {f.name: f.end_lineno - f.lineno + 1 for f in ast.walk(baum) if isinstance(f, ast.FunctionDef)}
    assert max(laengen.values()) <= 100, laengen


# --------------------------------------------------------------------------- issue 11: §5.2 / §7.1


def test_hinweis_7_1_steht_bei_fester_obergrenze():
    """§7.1: es ist „unzulässig, die Gewährung gesetzlich geregelter Muss- und Sollleistungen unter
    den Vorbehalt ausgehandelter Budgets zu stellen“ — the hard cap (default) always carries this
    Hinweis, quoted word for word, also without actual spending; budget 100.000,00 € unchanged."""
    r = berechne(_basis())
    hinweis = [w for w in r.warnungen if w.code == "rechtsanspruch_vorbehalt"]
    assert len(hinweis) == 1
    assert (
        "„unzulässig, die Gewährung gesetzlich geregelter Muss- und Sollleistungen unter den Vorbehalt "
        "ausgehandelter Budgets zu stellen“" in hinweis[0].text
    )
    assert "Abschnitt 7.1" in hinweis[0].text and r.gesamt == D("100000.00")
    assert "Muss- und Sollleistungen" in _texte(r)


def test_offene_obergrenze_stockt_auf():
    """§7.1 „Budgets in der Fallarbeit müssen bei steigendem Bedarf aufgestockt werden“ (option
    „offen“): Ist 110.000 − Budget 100.000 = 10.000,00 € are topped up (bedingt), the Verbund bears
    0,00 €, total 110.000,00 €; no §7.1 Hinweis, no adjustment-only-if text."""
    r = berechne(_basis(ist_ausgaben="110000.00"), Parameter(obergrenze="offen"))
    auf = [x for x in r.positionen if x.art == Art.BEDINGT]
    assert [(x.position, x.betrag) for x in auf] == [
        ("Aufstockung des Budgets bei steigendem Bedarf", D("10000.00"))
    ]
    assert r.kennzahlen["Trägt Trägerverbund"] == D("0.00") and r.gesamt == D("110000.00")
    assert "rechtsanspruch_vorbehalt" not in [w.code for w in r.warnungen]
    assert "Nur wenn" not in _texte(r, "revision") and "stockt das Jugendamt" in _texte(r)
    with pytest.raises(ModellFehler) as exc:
        berechne(_basis(), Parameter(obergrenze="gedeckelt"))
    assert exc.value.pfad == ("parameter", "obergrenze")


def test_offene_obergrenze_erst_anerkannte_ereignisse():
    """With an open cap recognised events keep their own line (6.000,00 €) and only the rest of the
    overrun, 10.000 − 6.000 = 4.000,00 €, is the top-up."""
    ev = Ereignis("Brand", "6000.00", "Grund", True, True, True)
    r = berechne(_basis(ist_ausgaben="110000.00", ereignisse=(ev,)), Parameter(obergrenze="offen"))
    assert [x.betrag for x in r.positionen if x.art == Art.BEDINGT] == [D("6000.00"), D("4000.00")]


def test_pilotrangfolge_mit_bevoelkerungsdichte_und_alleinerziehenden():
    """§5.2 „auf Grund von Sozialindikatoren (hohe Bevölkerungsdichte; hohe Wohnraumdichte; …)“ and
    §6.2 „Anteil der Alleinerziehenden – in einigen Modellen (z.B. Neunkirchen)“.

    Dichte 1.000 / 3.000 / 2.000 → SPW 0 / 100 / 50; Alleinerziehende 10 / 20 / 40 % → SPW
    0 / 33,33 / 100. Composite A 0, B (100 + 33,33)/2 = 66,67, C (50 + 100)/2 = 75 → C, B, A."""
    kand = (
        Kandidat("A", bevoelkerungsdichte=1000, alleinerziehende="0.10"),
        Kandidat("B", bevoelkerungsdichte=3000, alleinerziehende="0.20"),
        Kandidat("C", bevoelkerungsdichte=2000, alleinerziehende="0.40"),
    )
    rows = berechne(_basis(kandidaten=kand)).tabellen["Pilotraum-Rangfolge"]
    assert [(z["Sozialraum"], z["Gesamtpunktzahl"]) for z in rows] == [
        ("C", D("75.00")),
        ("B", D("66.67")),
        ("A", D("0.00")),
    ]
    assert [z["SPW Bevölkerungsdichte"] for z in rows] == [D("50.00"), D("100.00"), D("0.00")]
    assert [z["SPW Anteil Alleinerziehende"] for z in rows] == [D("100.00"), D("33.33"), D("0.00")]
    titel = [sp.titel for t in DEKLARATION.tabellen if t.feld == "kandidaten" for sp in t.spalten]
    assert "Bevölkerungsdichte" in titel and "Anteil Alleinerziehende" in titel


def test_zahlungen_an_den_federfuehrenden_traeger():
    """§5.2: the gGmbH solution was „nicht umsetzbar“, the Verbund has no legal form — every line
    item and instalment goes to the federführender Träger (a member, found by its name's key)."""
    e = _basis(mitglieder=("Caritas", "AWO"), federfuehrender_traeger=" awo ", ist_ausgaben="90000")
    r = berechne(e)
    assert {x.traeger for x in r.positionen} == {"AWO"} == {x.empfaenger for x in r.zahlungsplan}
    assert [(z["Mitglied"], z["federführend"]) for z in r.tabellen["Trägerverbund"]] == [
        ("Caritas", "nein"),
        ("AWO", "ja"),
    ]
    assert r.tabellen["Jahresabschluss"][0]["Zahlungsempfänger"] == "AWO"
    assert "kein_federfuehrender_traeger" not in [w.code for w in r.warnungen]
    assert "an den federführenden Träger AWO für den Trägerverbund" in _texte(r)
    err = _fehler(_basis(mitglieder=("Caritas",), federfuehrender_traeger="Diakonie"))
    assert err.pfad == ("eingabe", "federfuehrender_traeger")


def test_budget_1999_rund_3_4_mio_dm_golden():
    """Golden §5.2: „Das Budget von 1999 von rund 3,4 Mio. DM“ = 3.400.000 / 1,95583
    = 1.738.392,396… → 1.738.392,40 €."""
    r = berechne(_eingabe(Hilfeart("34", "HzE", 1, "3400000")), Parameter(waehrung="DM", jahr=1999))
    assert r.gesamt == D("1738392.40") and r.kennzahlen["Budget in DM"] == D("3400000.00")
