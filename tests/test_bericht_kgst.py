"""KGSt (Gutachten §3) true to the report (issue 11): each test quotes the sentence it implements
and computes the expected figures by hand in its docstring."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from sozbudget_xl.errors import ModellFehler
from sozbudget_xl.models import kgst
from sozbudget_xl.models.base import Art
from sozbudget_xl.models.kgst import DEKLARATION, Eingabe, Parameter, Traeger, berechne
from sozbudget_xl.vertragstexte import texte


def _teil(r, traeger: str, beginnt: str) -> D:
    (x,) = [p for p in r.positionen if p.traeger == traeger and p.position.startswith(beginnt)]
    return x.betrag


def test_bericht_beispiel_70_10_20():
    """Report example: „dass vom Gesamtbudget der ambulanten Hilfen zur Erziehung ein auszuhandelnder
    Anteil (z.B. 70%) zu Grunde gelegt und als garantierter Sockelbetrag den freien Trägern in
    festgelegten Raten ausgezahlt wird … Weitere 10% erhalten die freien Träger für die Durchführung
    fallunspezifischer Tätigkeiten. Diese zusammengenommenen 80% … Die verbleibenden 20% werden an
    Qualitätsnachweise gekoppelt“.

    G = 1.000.000 €, Träger A 60 %, B 40 %, both with evidence: A 600.000 → 420.000 / 60.000 /
    120.000; B 400.000 → 280.000 / 40.000 / 80.000. Sockel (80 %) = 800.000 € unconditional in
    monthly instalments (A: 480.000 / 12 = 40.000 €), 200.000 € conditional on the evidence.
    """
    e = Eingabe(D("1000000"), (Traeger("A", D("0.6"), True), Traeger("B", D("0.4"), True)))
    r = berechne(e)
    assert [_teil(r, "A", t) for t in ("Sockelbetrag fallspez", "Sockelbetrag fallunspez", "Qualität")] == [
        D("420000.00"),
        D("60000.00"),
        D("120000.00"),
    ]
    assert [_teil(r, "B", t) for t in ("Sockelbetrag fallspez", "Sockelbetrag fallunspez", "Qualität")] == [
        D("280000.00"),
        D("40000.00"),
        D("80000.00"),
    ]
    assert r.summe(art=Art.UNBEDINGT) == D("800000.00") and r.summe(art=Art.BEDINGT) == D("200000.00")
    assert {x.betrag for x in r.zahlungsplan if x.empfaenger == "A"} == {D("40000.00")}


def test_gleiche_anteile_gleiche_betraege():
    """„Wird dieser Grundbetrag auf mehrere Träger verteilt, muss jeder entsprechend seinem Anteil
    Fallmengen bearbeiten“ — equal shares, equal money: the Träger totals are split first.

    G = 1.175.661,37 € = 117.566.137 ct, shares 35/35/30 %: 41.148.147,95 / 41.148.147,95 /
    35.269.841,1 ct → floors sum to 117.566.135, the two cents go to the remainders 0,95 → A and B
    411.481,48 € each, C 352.698,41 €. (Before: the three parts were split over the Träger one by
    one and A got 411.481,49 €, B 411.481,47 €.) A's 41.148.148 ct by 70/10/20: 28.803.703,6 /
    4.114.814,8 / 8.229.629,6 → floors 41.148.146, two cents to 0,8 (fallunspezifisch) and, on the
    tie of 0,6, to the larger share (fallspezifisch): 288.037,04 / 41.148,15 / 82.296,29 €. C's
    35.269.841 ct: 24.688.888,7 / 3.526.984,1 / 7.053.968,2 → one cent to 0,7: 246.888,89 /
    35.269,84 / 70.539,68 €.
    """
    e = Eingabe(
        D("1175661.37"),
        (Traeger("A", D("0.35"), True), Traeger("B", D("0.35"), True), Traeger("C", D("0.30"), True)),
    )
    r = berechne(e)
    assert [r.summe(traeger=t) for t in "ABC"] == [D("411481.48"), D("411481.48"), D("352698.41")]
    for t in "AB":
        assert [_teil(r, t, x) for x in ("Sockelbetrag fallspez", "Sockelbetrag fallunspez", "Qualität")] == [
            D("288037.04"),
            D("41148.15"),
            D("82296.29"),
        ]
    assert [_teil(r, "C", x) for x in ("Sockelbetrag fallspez", "Sockelbetrag fallunspez", "Qualität")] == [
        D("246888.89"),
        D("35269.84"),
        D("70539.68"),
    ]
    assert r.kennzahlen["Sockelbetrag fallspezifisch"] == D("822962.97")  # 2 × 288.037,04 + 246.888,89
    assert r.gesamt == D("1175661.37")


def test_fallverpflichtung_in_ganzen_faellen():
    """„muss jeder entsprechend seinem Anteil Fallmengen bearbeiten“: whole cases by default.

    186 cases at 40/35/25 %: 74,4 / 65,1 / 46,5 → floors 74 / 65 / 46 = 185; the last case goes
    to the largest remainder 0,5 (Diakonisches Werk): 74 / 65 / 47. The guide value (column
    „Rechnerisch“) stays 74,4 / 65,1 / 46,5.
    """
    r = berechne(*kgst.beispiel())
    zeilen = r.tabellen["Fallverpflichtung"]
    assert [z["Fallverpflichtung"] for z in zeilen] == [D(74), D(65), D(47)]
    assert [z["Rechnerisch (Anteil × Fallzahl)"] for z in zeilen] == [D("74.4"), D("65.1"), D("46.5")]


def test_fallverpflichtung_richtwert_und_bruchteil():
    """Option „Richtwert“: 186,5 cases at 40/35/25 % → 74,6 / 65,275 / 46,625 → cents 7.460 /
    6.527 / 4.662 (+1: remainders 0,5 tie → larger share 35 %): 74,60 / 65,28 / 46,62. With whole
    cases (default) a Fallzahl of 186,5 is an error naming the Fallzahl."""
    e, _ = kgst.beispiel()
    e = Eingabe(e.gesamtbudget, e.traeger, fallzahl=D("186.5"), sozialraum=e.sozialraum)
    r = berechne(e, Parameter(fallverpflichtung="richtwert"))
    assert [z["Fallverpflichtung"] for z in r.tabellen["Fallverpflichtung"]] == [
        D("74.60"),
        D("65.28"),
        D("46.62"),
    ]
    with pytest.raises(ModellFehler) as info:
        berechne(e)
    assert info.value.pfad == ("eingabe", "fallzahl") and "ganze" in str(info.value)


def test_qualitaetsanteil_leistungsbezogen_nach_zusatzfaellen():
    """„Die verbleibenden 20% werden an Qualitätsnachweise gekoppelt oder - falls dies nicht
    nachgewiesen werden kann - leistungsbezogen auf andere im Sozialraum tätige Träger für die
    Durchführung von ambulanten Erziehungshilfen verwandt.“ — by default by additional cases.

    G = 1.000.000 €, 50/30/20 %, C without evidence: C's quality part 40.000 € goes to A and B by
    their Zusatzfälle 1 : 3 → 10.000 / 30.000 €. A = 500.000 + 10.000 = 510.000 €, B = 300.000 +
    30.000 = 330.000 €, C = 140.000 + 20.000 = 160.000 €.
    """
    e = Eingabe(
        D("1000000"),
        (
            Traeger("A", D("0.5"), True, D(1)),
            Traeger("B", D("0.3"), True, D(3)),
            Traeger("C", D("0.2"), False),
        ),
    )
    r = berechne(e)
    assert Parameter().umverteilung == "zusatzfaelle"
    assert [r.summe(traeger=t) for t in "ABC"] == [D("510000.00"), D("330000.00"), D("160000.00")]


def test_was_kein_traeger_verdient_bleibt_zweckgebunden():
    """What no Träger earns „leistungsbezogen“ stays zweckgebunden für ambulante HzE, not merely
    „einbehalten“: 50/30/20 %, C without evidence, nobody took over additional cases → C's
    40.000 € stay with the Jugendamt, earmarked; A 500.000 €, B 300.000 €, C 160.000 €."""
    e = Eingabe(
        D("1000000"),
        (Traeger("A", D("0.5"), True), Traeger("B", D("0.3"), True), Traeger("C", D("0.2"), False)),
    )
    r = berechne(e)
    (x,) = [p for p in r.positionen if p.art is Art.EINBEHALTEN]
    assert x.betrag == D("40000.00") and x.traeger is None
    assert "zweckgebunden für ambulante Hilfen zur Erziehung" in x.position
    assert "Zweckgebunden" in x.bedingung
    assert r.kennzahlen["Zweckgebunden für ambulante HzE (beim Jugendamt)"] == D("40000.00")
    assert [r.summe(traeger=t) for t in "ABC"] == [D("500000.00"), D("300000.00"), D("160000.00")]
    assert any("zweckgebunden" in w.text for w in r.warnungen if w.code == "qualitaet_einbehalten")


def test_vertragstext_und_lesart_folgen_den_lesarten():
    """The rule text names the redistribution word, the earmarking and whole cases (or „Richtwert“);
    the README reading names the defaults."""
    r = berechne(*kgst.beispiel())
    (regel, *_) = [t["text"] for t in texte(r, "regel")]
    assert "(nach Zusatzfällen)" in regel and "zweckgebunden für ambulante Hilfen" in regel
    assert "in ganzen Fällen" in regel
    e, _ = kgst.beispiel()
    r2 = berechne(e, Parameter(fallverpflichtung="richtwert", umverteilung="anteilig"))
    (regel2, *_) = [t["text"] for t in texte(r2, "regel")]
    assert "(Richtwert)" in regel2 and "(anteilig nach Anteilen)" in regel2
    assert "leistungsbezogen" in DEKLARATION.lesart and "ganzen Fällen" in DEKLARATION.lesart
    assert DEKLARATION.feld("fallverpflichtung").anzeigewerte() == ("ganze Fälle", "Richtwert")
