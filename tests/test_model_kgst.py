"""Tests of the KGSt 12/1998 model (Gutachten §3, Spezifikation §3.1)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sozbudget_xl.errors import ModellFehler
from sozbudget_xl.models import kgst, modell
from sozbudget_xl.models.base import Art
from sozbudget_xl.models.kgst import Eingabe, Parameter, Traeger, berechne

D = Decimal


#: the spec's worked example redistributes pro rata to the shares (since issue 11 an option: the
#: report's „leistungsbezogen“ made redistribution by Zusatzfälle the default)
ANTEILIG = Parameter(umverteilung="anteilig")


def golden(**parameter: object) -> tuple[Eingabe, Parameter]:
    """The worked example of spec §3.1: G = 1.000.000 €, shares 50/30/20 %, evidence yes/yes/no,
    redistribution pro rata to the shares (option „anteilig“ unless ``parameter`` says otherwise)."""
    parameter.setdefault("umverteilung", "anteilig")
    eingabe = Eingabe(
        gesamtbudget=D("1000000"),
        traeger=(
            Traeger("A", D("0.5"), True),
            Traeger("B", D("0.3"), True),
            Traeger("C", D("0.2"), False),
        ),
        sozialraum="Musterstadt-Mitte",
    )
    return eingabe, Parameter(**parameter)  # type: ignore[arg-type]


def betrag_von(result, traeger: str, position_beginnt: str) -> Decimal:
    treffer = [
        p.betrag
        for p in result.positionen
        if p.traeger == traeger and p.position.startswith(position_beginnt)
    ]
    assert len(treffer) == 1, (traeger, position_beginnt, treffer)
    return treffer[0]


# --------------------------------------------------------------------------- contract


def test_modul_vertrag():
    """The module provides the registry name, German texts and a valid worked example."""
    assert modell("kgst") is kgst
    assert modell("KGSt 12/1998") is kgst
    assert kgst.NAME == "kgst" and "Abschnitt 3" in kgst.QUELLE
    assert kgst.TITEL and kgst.BESCHREIBUNG.endswith(".")
    eingabe, parameter = kgst.beispiel()
    result = berechne(eingabe, parameter)
    assert len(eingabe.traeger) >= 3
    assert result.gesamt == eingabe.gesamtbudget == D("1250000.00")
    assert result.modell == "kgst" and result.quelle == kgst.QUELLE


def test_standardparameter():
    """The default parts are 70/10/20 %, redistribution by Zusatzfälle („leistungsbezogen“, §3),
    whole cases of obligation, monthly instalments."""
    p = Parameter()
    assert (p.anteil_fallspezifisch, p.anteil_fallunspezifisch, p.anteil_qualitaet) == (
        D("0.70"),
        D("0.10"),
        D("0.20"),
    )
    assert p.umverteilung == "zusatzfaelle" and p.zahlungsweise == "monatlich"
    assert p.fallverpflichtung == "ganze_faelle"


# --------------------------------------------------------------------------- golden example


def test_goldenes_beispiel_spezifikation():
    """Spec §3.1: A 525.000 €, B 315.000 €, C 160.000 €.

    C has no evidence: it keeps 70 % + 10 % of 20 % of 1 M = 140.000 + 20.000 = 160.000; its
    quality part 20 % × 200.000 = 40.000 goes to A and B pro rata 50 : 30, i.e. A 25.000 and
    B 15.000. A = 350.000 + 50.000 + 100.000 + 25.000 = 525.000; B = 210.000 + 30.000 +
    60.000 + 15.000 = 315.000.
    """
    result = berechne(*golden())
    assert result.summe(traeger="A") == D("525000.00")
    assert result.summe(traeger="B") == D("315000.00")
    assert result.summe(traeger="C") == D("160000.00")
    assert result.gesamt == D("1000000.00")
    assert betrag_von(result, "A", "Sockelbetrag fallspezifisch") == D("350000.00")
    assert betrag_von(result, "A", "Sockelbetrag fallunspezifisch") == D("50000.00")
    assert betrag_von(result, "A", "Qualitätsgebundener Anteil (") == D("100000.00")
    assert betrag_von(result, "A", "Qualitätsgebundener Anteil aus Umverteilung") == D("25000.00")
    assert betrag_von(result, "B", "Qualitätsgebundener Anteil aus Umverteilung") == D("15000.00")
    assert result.summe(traeger="C", art=Art.BEDINGT) == D("0.00")
    assert result.kennzahlen["Umverteilter Qualitätsanteil"] == D("40000.00")
    assert result.kennzahlen["Zweckgebunden für ambulante HzE (beim Jugendamt)"] == D("0.00")


def test_goldenes_beispiel_mit_floats_und_prozenttext():
    """Shares given as Excel floats or as „50 %“ text give the same result as Decimals."""
    for anteile in ((0.5, 0.3, 0.2), ("50 %", "30 %", "20 %"), ("50,0 %", "30 %", "0,2")):
        eingabe = Eingabe(
            gesamtbudget=1000000.0,  # type: ignore[arg-type]
            traeger=tuple(
                Traeger(n, a, q)  # type: ignore[arg-type]
                for n, a, q in zip("ABC", anteile, (True, True, False))
            ),
        )
        result = berechne(eingabe, ANTEILIG)
        assert [result.summe(traeger=t) for t in "ABC"] == [D("525000.00"), D("315000.00"), D("160000.00")]


def test_warnung_fuer_traeger_ohne_nachweis():
    """A Träger without Qualitätsnachweis gets a warning naming it and its redistributed amount."""
    result = berechne(*golden())
    warnungen = [w for w in result.warnungen if w.code == "kein_qualitaetsnachweis"]
    assert len(warnungen) == 1
    assert warnungen[0].traeger == "C"
    assert "40.000,00" in warnungen[0].text and "umverteilt" in warnungen[0].text


# --------------------------------------------------------------------------- rules


def test_jeder_traeger_erhaelt_seinen_anteil_jedes_teils_centgenau():
    """Each part is split by shares with the largest remainder method, exact to the cent.

    G = 1.000,01 € = 100.001 ct; 70/10/20 → quotas 70.000,7 / 10.000,1 / 20.000,2 ct → floors
    70.000 / 10.000 / 20.000, the leftover cent goes to the largest remainder (0,7): 700,01 /
    100,00 / 200,00 €. 700,01 € by 50/25/25 → 35.000,5 / 17.500,25 / 17.500,25 ct → the cent goes
    to A: 350,01 / 175,00 / 175,00.
    """
    eingabe = Eingabe(
        gesamtbudget=D("1000.01"),
        traeger=(Traeger("A", D("0.5"), True), Traeger("B", D("0.25"), True), Traeger("C", D("0.25"), True)),
    )
    result = berechne(eingabe)
    assert result.kennzahlen["Sockelbetrag fallspezifisch"] == D("700.01")
    assert result.kennzahlen["Sockelbetrag fallunspezifisch"] == D("100.00")
    assert result.kennzahlen["Qualitätsgebundener Anteil"] == D("200.00")
    assert betrag_von(result, "A", "Sockelbetrag fallspezifisch") == D("350.01")
    assert betrag_von(result, "B", "Sockelbetrag fallspezifisch") == D("175.00")
    assert betrag_von(result, "C", "Sockelbetrag fallspezifisch") == D("175.00")
    assert betrag_von(result, "A", "Qualitätsgebundener Anteil (") == D("100.00")
    assert result.gesamt == D("1000.01")


def test_teile_sind_parameter():
    """With parts 60/25/15 % of 1 M, A (50 %, evidence) gets 300.000 + 125.000 + 75.000 = 500.000 €."""
    eingabe, _ = golden()
    p = Parameter(
        anteil_fallspezifisch=D("0.60"),
        anteil_fallunspezifisch=D("0.25"),
        anteil_qualitaet=D("0.15"),
        umverteilung="anteilig",
    )
    result = berechne(eingabe, p)
    assert betrag_von(result, "A", "Sockelbetrag fallspezifisch") == D("300000.00")
    assert betrag_von(result, "A", "Sockelbetrag fallunspezifisch") == D("125000.00")
    assert betrag_von(result, "A", "Qualitätsgebundener Anteil (") == D("75000.00")
    # C's quality part 15 % × 200.000 = 30.000 → A 30.000 × 50/80 = 18.750
    assert betrag_von(result, "A", "Qualitätsgebundener Anteil aus Umverteilung") == D("18750.00")
    assert "(60\u00a0%)" in next(p.position for p in result.positionen if p.traeger == "A")


def test_arten_und_bedingungen():
    """Sockel items are unconditional, quality items conditional on the Qualitätsnachweis."""
    result = berechne(*golden())
    for p in result.positionen:
        if p.position.startswith("Sockelbetrag"):
            assert p.art is Art.UNBEDINGT and p.bedingung == ""
        else:
            assert p.art is Art.BEDINGT
            assert "Qualitätsnachweis" in p.bedingung
        assert p.sozialraum == "Musterstadt-Mitte"
        assert "Abschnitt 3" in p.quelle


def test_fallverpflichtung():
    """Option „Richtwert“: the case obligation is s_i × Fallzahl with two decimals: 75 cases at
    50/30/20 % → 37,50 / 22,50 / 15,00."""
    eingabe, p = golden(fallverpflichtung="richtwert")
    result = berechne(dataclasses.replace(eingabe, fallzahl=75), p)
    tabelle = result.tabellen["Fallverpflichtung"]
    assert [r["Träger"] for r in tabelle] == ["A", "B", "C"]
    assert [r["Fallverpflichtung"] for r in tabelle] == [D("37.50"), D("22.50"), D("15.00")]
    assert result.kennzahlen["Fallzahl"] == D(75)


def test_fallverpflichtung_bruchteile_summe_exakt():
    """Option „Richtwert“: fractional obligations keep two decimals and add up to the Fallzahl.

    10 cases at 33,33/33,33/33,34 % → 3,333 / 3,333 / 3,334 → floors 3,33 each (9,99); the
    missing 0,01 goes to the largest remainder (0,4 of the third): 3,33 / 3,33 / 3,34.
    """
    eingabe = Eingabe(
        gesamtbudget=D("90000"),
        traeger=(
            Traeger("A", D("0.3333"), True),
            Traeger("B", D("0.3333"), True),
            Traeger("C", D("0.3334"), True),
        ),
        fallzahl=D("10"),
    )
    tabelle = berechne(eingabe, Parameter(fallverpflichtung="richtwert")).tabellen["Fallverpflichtung"]
    assert [r["Fallverpflichtung"] for r in tabelle] == [D("3.33"), D("3.33"), D("3.34")]
    assert sum(r["Fallverpflichtung"] for r in tabelle) == D("10.00")


def test_ohne_fallzahl_keine_fallverpflichtung():
    """Without a Fallzahl there is no table „Fallverpflichtung“ and no key figure Fallzahl."""
    result = berechne(*golden())
    assert "Fallverpflichtung" not in result.tabellen
    assert "Fallzahl" not in result.kennzahlen


def test_umverteilung_zusatzfaelle():
    """Option „zusatzfaelle“: C's 40.000 € go to A and B pro rata 1 : 3 additional cases → 10.000 / 30.000."""
    eingabe, p = golden(umverteilung="zusatzfaelle")
    eingabe = dataclasses.replace(
        eingabe,
        traeger=(
            Traeger("A", D("0.5"), True, D(1)),
            Traeger("B", D("0.3"), True, D(3)),
            Traeger("C", D("0.2"), False, D(5)),  # cases of a Träger without evidence do not count
        ),
    )
    result = berechne(eingabe, p)
    assert betrag_von(result, "A", "Qualitätsgebundener Anteil aus Umverteilung") == D("10000.00")
    assert betrag_von(result, "B", "Qualitätsgebundener Anteil aus Umverteilung") == D("30000.00")
    assert result.summe(traeger="A") == D("510000.00")
    assert result.summe(traeger="B") == D("330000.00")
    assert result.summe(traeger="C") == D("160000.00")
    umv = [p for p in result.positionen if "Umverteilung" in p.position]
    assert all("Zusatzfällen" in p.bedingung for p in umv)


def test_umverteilung_zusatzfaelle_bruchteile():
    """Fractional additional cases are weights too: 0,5 : 1,5 → C's 40.000 € split 10.000 / 30.000."""
    eingabe, p = golden(umverteilung="zusatzfaelle")
    eingabe = dataclasses.replace(
        eingabe,
        traeger=(
            Traeger("A", D("0.5"), True, D("0.5")),
            Traeger("B", D("0.3"), True, 1.5),  # type: ignore[arg-type]
            Traeger("C", D("0.2"), False),
        ),
    )
    result = berechne(eingabe, p)
    assert result.summe(traeger="A") == D("510000.00")


def test_zusatzfaelle_ohne_uebernommene_faelle_bleibt_beim_jugendamt():
    """Option „zusatzfaelle“ without additional cases: C's quality part stays with the Jugendamt."""
    eingabe, p = golden(umverteilung="zusatzfaelle")
    result = berechne(eingabe, p)
    assert result.summe(art=Art.EINBEHALTEN) == D("40000.00")
    assert result.summe(traeger="A") == D("500000.00")
    assert result.gesamt == D("1000000.00")
    assert any(w.code == "qualitaet_einbehalten" and "Zusatzfälle" in w.text for w in result.warnungen)


def test_kein_traeger_mit_nachweis_einbehalten():
    """Nobody has evidence: the whole quality part (200.000 €) is an EINBEHALTEN item of the Jugendamt."""
    eingabe, p = golden()
    eingabe = dataclasses.replace(
        eingabe, traeger=tuple(dataclasses.replace(t, qualitaetsnachweis=False) for t in eingabe.traeger)
    )
    result = berechne(eingabe, p)
    einbehalten = [x for x in result.positionen if x.art is Art.EINBEHALTEN]
    assert sum(x.betrag for x in einbehalten) == D("200000.00")
    assert [x.betrag for x in einbehalten] == [D("100000.00"), D("60000.00"), D("40000.00")]
    assert all(x.traeger is None and "Jugendamt" in x.position for x in einbehalten)
    assert all("zweckgebunden für ambulante Hilfen zur Erziehung" in x.position for x in einbehalten)
    assert result.summe(traeger="A") == D("400000.00")
    assert result.summe(art=Art.BEDINGT) == D("0.00")
    assert result.kennzahlen["Zweckgebunden für ambulante HzE (beim Jugendamt)"] == D("200000.00")
    assert result.gesamt == D("1000000.00")
    assert any(w.code == "qualitaet_einbehalten" for w in result.warnungen)


def test_alle_mit_nachweis_keine_umverteilung():
    """All Träger with evidence: no redistribution item, no warning, each gets s_i × G."""
    eingabe, p = golden()
    eingabe = dataclasses.replace(
        eingabe, traeger=tuple(dataclasses.replace(t, qualitaetsnachweis=True) for t in eingabe.traeger)
    )
    result = berechne(eingabe, p)
    assert [result.summe(traeger=t) for t in "ABC"] == [D("500000.00"), D("300000.00"), D("200000.00")]
    assert not any("Umverteilung" in x.position for x in result.positionen)
    assert result.warnungen == ()


def test_ja_nein_als_text():
    """Evidence given as „ja“/„nein“ text (workbook cells) is read like booleans."""
    eingabe, p = golden()
    eingabe = dataclasses.replace(
        eingabe,
        traeger=(Traeger("A", D("0.5"), "ja"), Traeger("B", D("0.3"), "Ja"), Traeger("C", D("0.2"), "nein")),  # type: ignore[arg-type]
    )
    assert berechne(eingabe, p).summe(traeger="A") == D("525000.00")


def test_gleichstand_unabhaengig_von_der_reihenfolge():
    """A remainder-cent tie between equal shares goes to the alphabetically first Träger, whatever the order.

    G = 0,01 €: the cent goes to the 70 % part, then 50 : 50 is a tie → „Alpha“ gets it.
    """
    for reihenfolge in ((0, 1), (1, 0)):
        traeger = [Traeger("Alpha", D("0.5"), True), Traeger("Beta", D("0.5"), True)]
        eingabe = Eingabe(gesamtbudget=D("0.01"), traeger=tuple(traeger[i] for i in reihenfolge))
        result = berechne(eingabe, ANTEILIG)
        assert result.summe(traeger="Alpha") == D("0.01")
        assert result.summe(traeger="Beta") == D("0.00")


def test_uebersichtstabelle():
    """The table „Übersicht“ lists per Träger the parts and a total equal to its line items."""
    result = berechne(*golden())
    zeilen = {r["Träger"]: r for r in result.tabellen["Übersicht"]}
    assert zeilen["C"]["Qualitätsanteil abgegeben"] == D("40000.00")
    assert zeilen["A"]["Qualitätsanteil aus Umverteilung"] == D("25000.00")
    for name, zeile in zeilen.items():
        assert zeile["Budget gesamt"] == result.summe(traeger=name)


# --------------------------------------------------------------------------- payment plan


def test_zahlungsplan_sockel_monatlich():
    """Only the Sockel (80 %) is paid monthly: A 400.000 € → 12 × 33.333,33, remainder cents first.
    The first due date, 1 January 2026, is Neujahr: by default (domain spec §4) it moves to the next
    working day, Friday 2 January 2026."""
    result = berechne(*golden())
    raten_a = [r for r in result.zahlungsplan if r.empfaenger == "A"]
    assert len(raten_a) == 12
    assert [r.betrag for r in raten_a[:5]] == [D("33333.34")] * 4 + [D("33333.33")]
    assert sum(r.betrag for r in raten_a) == D("400000.00")
    assert raten_a[0].faellig == dt.date(2026, 1, 2)
    assert sum(r.betrag for r in result.zahlungsplan) == D("800000.00")
    assert sum(r.betrag for r in result.zahlungsplan if r.empfaenger == "C") == D("160000.00")


def test_zahlungsplan_quartalsweise_und_werktag():
    """Quarterly with working-day shift: 1 Jan 2026 (Neujahr) moves to Fri 2 Jan; A gets 4 × 100.000 €."""
    eingabe, p = golden(zahlungsweise="quartalsweise", werktag=True, bundesland="BW", jahr=2026)
    result = berechne(eingabe, p)
    raten_a = [r for r in result.zahlungsplan if r.empfaenger == "A"]
    assert [r.betrag for r in raten_a] == [D("100000.00")] * 4
    assert raten_a[0].faellig == dt.date(2026, 1, 2)
    assert result.jahr == 2026


def test_zahlungsplan_termine():
    """Given due dates: A's Sockel 400.000 € in two instalments on the given dates; 1 March 2026
    is a Sunday and moves to Monday 2 March (default: next working day), with ``werktag=False``
    it stays."""
    eingabe, p = golden(zahlungsweise="termine", termine=("01.03.2026", "2026-09-01"))
    raten_a = [r for r in berechne(eingabe, p).zahlungsplan if r.empfaenger == "A"]
    assert [r.faellig for r in raten_a] == [dt.date(2026, 3, 2), dt.date(2026, 9, 1)]
    eingabe, p = golden(zahlungsweise="termine", termine=("01.03.2026", "2026-09-01"), werktag=False)
    raten_a = [r for r in berechne(eingabe, p).zahlungsplan if r.empfaenger == "A"]
    assert [(r.faellig, r.betrag) for r in raten_a] == [
        (dt.date(2026, 3, 1), D("200000.00")),
        (dt.date(2026, 9, 1), D("200000.00")),
    ]


# --------------------------------------------------------------------------- bad input


def fehler(eingabe: Eingabe, parameter: Parameter | None = None) -> ModellFehler:
    with pytest.raises(ModellFehler) as info:
        berechne(eingabe, parameter)
    exc = info.value
    assert exc.model == "kgst"
    assert "Modell „kgst“" in str(exc)
    return exc


def mit_traeger(*traeger: Traeger, **felder: object) -> Eingabe:
    return Eingabe(gesamtbudget=felder.pop("gesamtbudget", D("1000000")), traeger=tuple(traeger), **felder)  # type: ignore[arg-type]


def test_fehler_anteile_nicht_100_prozent():
    """Shares summing to 99,999 % (exact comparison) are an error naming the field Anteil."""
    exc = fehler(mit_traeger(Traeger("A", D("0.5"), True), Traeger("B", D("0.49999"), True)))
    assert exc.field == "Anteil" and exc.item == "Summe der Anteile"
    assert "100" in str(exc.expected) and "nicht 100 %" in str(exc)


def test_fehler_teile_nicht_100_prozent():
    """Parts 70/10/25 % are an error naming the parameters."""
    eingabe, _ = golden()
    exc = fehler(eingabe, Parameter(anteil_qualitaet=D("0.25")))
    assert exc.item == "Parameter" and "Anteil" in (exc.field or "")
    assert "105" in str(exc.found)


def test_fehler_anteil_ueber_100_prozent():
    """A share of 150 % is an error naming the Träger and the field."""
    exc = fehler(mit_traeger(Traeger("A", D("1.5"), True), Traeger("B", D("-0.5"), True)))
    assert exc.item == "A" and exc.field == "Anteil" and "über 100 %" in str(exc)


def test_fehler_anteil_negativ():
    """A negative share is an error naming the Träger."""
    exc = fehler(mit_traeger(Traeger("A", D("0.5"), True), Traeger("B", D("-0.5"), True)))
    assert exc.item == "B" and exc.field == "Anteil" and "negativ" in str(exc)


def test_fehler_anteil_nan():
    """A NaN share (empty Excel cell read as float NaN) is an error naming the Träger."""
    exc = fehler(mit_traeger(Traeger("A", float("nan"), True), Traeger("B", D("0.5"), True)))  # type: ignore[arg-type]
    assert exc.item == "A" and exc.field == "Anteil"


def test_fehler_gesamtbudget_negativ_oder_nan():
    """A negative or NaN Gesamtbudget is an error naming the Sozialraum and the field."""
    for wert in (D("-1"), float("nan"), None, "abc"):
        exc = fehler(mit_traeger(Traeger("A", 1, True), gesamtbudget=wert, sozialraum="Nord"))  # type: ignore[arg-type]
        assert exc.item == "Nord" and exc.field == "Gesamtbudget"


def test_fehler_keine_traeger():
    """An empty Träger list is an error."""
    exc = fehler(mit_traeger())
    assert exc.field == "Träger" and "keine Träger" in str(exc)


def test_fehler_doppelte_traeger():
    """The same Träger twice (ignoring case and blanks) is an error naming it."""
    exc = fehler(mit_traeger(Traeger("AWO", D("0.5"), True), Traeger(" awo ", D("0.5"), True)))
    assert exc.item == "awo" and exc.field == "Träger" and "doppelt" in str(exc)
    assert exc.found == "„AWO“ und „awo“" and exc.pfad == ("traeger", 1, "name")


def test_fehler_traeger_ohne_namen():
    """A Träger without a name is an error naming its row."""
    exc = fehler(mit_traeger(Traeger("  ", D("1"), True)))
    assert exc.item == "Träger Nr. 1" and exc.field == "Träger"
    assert "keine Bezeichnung angegeben" in str(exc) and exc.pfad == ("traeger", 0, "name")


def test_fehler_zusatzfaelle_negativ():
    """Negative additional cases are an error naming the Träger."""
    exc = fehler(mit_traeger(Traeger("A", D("1"), True, D("-2"))))
    assert exc.item == "A" and exc.field == "Zusatzfälle"


def test_fehler_fallzahl_negativ_oder_nan():
    """A negative or NaN Fallzahl is an error naming the field."""
    for wert in (D("-1"), float("nan")):
        exc = fehler(mit_traeger(Traeger("A", D("1"), True), fallzahl=wert))
        assert exc.field == "Fallzahl" and exc.item == "Sozialraum"


def test_fehler_qualitaetsnachweis_ungueltig():
    """An unreadable evidence flag is an error naming Träger and field."""
    exc = fehler(mit_traeger(Traeger("A", D("1"), "vielleicht")))  # type: ignore[arg-type]
    assert exc.item == "A" and exc.field == "Qualitätsnachweis"


def test_fehler_unbekannte_umverteilung():
    """An unknown redistribution option is an error listing the options."""
    eingabe, _ = golden()
    exc = fehler(eingabe, Parameter(umverteilung="gleich"))
    assert exc.field == "Umverteilung" and "anteilig" in str(exc.expected)


def test_fehler_zahlungsweise_und_bundesland():
    """An unknown payment rhythm or Bundesland is an error before anything is computed."""
    eingabe, _ = golden()
    assert fehler(eingabe, Parameter(zahlungsweise="woechentlich")).field == "Zahlungsweise"
    assert fehler(eingabe, Parameter(werktag=True, bundesland="XX")).field == "Bundesland"


def test_fehler_falscher_typ():
    """A wrong input object is an error, not an AttributeError."""
    with pytest.raises(ModellFehler):
        berechne({"gesamtbudget": 1})  # type: ignore[arg-type]
    with pytest.raises(ModellFehler):
        berechne(golden()[0], object())  # type: ignore[arg-type]


# --------------------------------------------------------------------------- properties


@st.composite
def kgst_eingaben(draw: st.DrawFn) -> tuple[Eingabe, Parameter]:
    n = draw(st.integers(1, 7))
    # shares in basis points that add up to exactly 100 %
    schnitte = sorted(draw(st.lists(st.integers(0, 10000), min_size=n - 1, max_size=n - 1)))
    grenzen = [0, *schnitte, 10000]
    anteile = [D(grenzen[i + 1] - grenzen[i]) / 10000 for i in range(n)]
    traeger = tuple(
        Traeger(
            f"Träger {i}",
            anteile[i],
            draw(st.booleans()),
            D(draw(st.integers(0, 40))) / 2,
        )
        for i in range(n)
    )
    g = D(draw(st.integers(0, 10**10))) / 100
    teile_bp = sorted(draw(st.lists(st.integers(0, 100), min_size=2, max_size=2)))
    teile = [D(teile_bp[0]) / 100, D(teile_bp[1] - teile_bp[0]) / 100, D(100 - teile_bp[1]) / 100]
    p = Parameter(
        anteil_fallspezifisch=teile[0],
        anteil_fallunspezifisch=teile[1],
        anteil_qualitaet=teile[2],
        umverteilung=draw(st.sampled_from(kgst.UMVERTEILUNGEN)),
        zahlungsweise=draw(st.sampled_from(("monatlich", "quartalsweise", "jaehrlich"))),
    )
    fallzahl = draw(st.one_of(st.none(), st.integers(0, 500).map(D)))
    return Eingabe(gesamtbudget=g, traeger=traeger, fallzahl=fallzahl), p


@settings(max_examples=80, deadline=None)
@given(kgst_eingaben())
def test_eigenschaft_summe_und_keine_negativen_betraege(daten):
    """For random valid inputs the line items add up to G, nothing is negative, the plan pays the Sockel."""
    eingabe, p = daten
    result = berechne(eingabe, p)
    assert sum(x.betrag for x in result.positionen) == result.gesamt == eingabe.gesamtbudget
    assert all(x.betrag >= 0 for x in result.positionen)
    assert sum(r.betrag for r in result.zahlungsplan) == result.summe(art=Art.UNBEDINGT)
    assert result.summe(art=Art.UNBEDINGT) == (
        result.kennzahlen["Sockelbetrag fallspezifisch"] + result.kennzahlen["Sockelbetrag fallunspezifisch"]
    )
    # quality money reaches only Träger with evidence
    ohne = {t.name for t in eingabe.traeger if not t.qualitaetsnachweis}
    assert all(x.art is not Art.BEDINGT for x in result.positionen if x.traeger in ohne)
    if eingabe.fallzahl is not None:
        assert sum(r["Fallverpflichtung"] for r in result.tabellen["Fallverpflichtung"]) == eingabe.fallzahl


@settings(max_examples=60, deadline=None)
@given(kgst_eingaben(), st.randoms(use_true_random=False))
def test_eigenschaft_reihenfolge_der_traeger_egal(daten, zufall):
    """Permuting the Träger changes nothing but the order: per-name totals and items stay the same."""
    eingabe, p = daten
    gemischt = list(eingabe.traeger)
    zufall.shuffle(gemischt)
    a = berechne(eingabe, p)
    b = berechne(dataclasses.replace(eingabe, traeger=tuple(gemischt)), p)
    assert a.summen_nach("traeger") == b.summen_nach("traeger")
    assert sorted((x.traeger or "", x.position, x.betrag) for x in a.positionen) == sorted(
        (x.traeger or "", x.position, x.betrag) for x in b.positionen
    )
    if eingabe.fallzahl is not None:
        fa = {r["Träger"]: r["Fallverpflichtung"] for r in a.tabellen["Fallverpflichtung"]}
        fb = {r["Träger"]: r["Fallverpflichtung"] for r in b.tabellen["Fallverpflichtung"]}
        assert fa == fb


def test_traeger_mit_nachweis_aber_anteil_null_einbehalten():
    """If the only Träger with evidence has a 0 % share, C's quality part stays with the Jugendamt."""
    eingabe = mit_traeger(Traeger("A", D("0"), True), Traeger("C", D("1"), False))
    result = berechne(eingabe, ANTEILIG)
    assert result.summe(art=Art.EINBEHALTEN) == D("200000.00")
    assert result.summe(traeger="A") == D("0.00")
    assert any(w.code == "qualitaet_einbehalten" and "0 %" in w.text for w in result.warnungen)


def test_numpy_werte_aus_pandas():
    """Values as pandas/numpy hands them in (np.float64 shares, np.bool_ evidence) are accepted."""
    import numpy as np

    eingabe = mit_traeger(
        Traeger("A", np.float64(0.5), np.bool_(True)),  # type: ignore[arg-type]
        Traeger("B", np.float64(0.3), np.bool_(True)),  # type: ignore[arg-type]
        Traeger("C", np.float64(0.2), np.bool_(False)),  # type: ignore[arg-type]
        gesamtbudget=np.float64(1e6),
    )
    assert berechne(eingabe, ANTEILIG).summe(traeger="A") == D("525000.00")
