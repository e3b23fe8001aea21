"""Tests for the three-pillar model (source §7.1, §7.2; domain spec §3.7)."""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sozbudget_xl.einheiten import Einheit
from sozbudget_xl.errors import ModellFehler
from sozbudget_xl.indicators import METHODEN, SCHLUESSEL, Indicator
from sozbudget_xl.models import dreisaeulen, modell
from sozbudget_xl.models.base import Art
from sozbudget_xl.models.dreisaeulen import (
    Eingabe,
    FallIst,
    Fallprognose,
    Parameter,
    Projekt,
    Quartier,
    Traeger,
    berechne,
)
from sozbudget_xl.parsing import konvertiere
from sozbudget_xl.vertragstexte import texte

TRAEGER = (Traeger("A"), Traeger("B"), Traeger("C"), Traeger("K", klein=True))


def _codes(result) -> list[str]:
    return [w.code for w in result.warnungen]


def _assert_fehler(exc: pytest.ExceptionInfo, item: str, field: str) -> None:
    err = exc.value
    assert err.model == "dreisaeulen" and "Modell „dreisaeulen“" in str(err)
    assert err.item == item and f"„{item}“" in str(err)
    assert err.field == field and f"Feld „{field}“" in str(err)


def _item(result, text: str):
    return next(x for x in result.positionen if text in x.position)


# ----------------------------------------------------------------------------- contract


def test_module_contract():
    """The module is registered under its aliases and provides the contract names."""
    assert modell("Drei-Säulen-Modell") is dreisaeulen
    assert dreisaeulen.NAME == "dreisaeulen" and "7.1" in dreisaeulen.QUELLE and "7.2" in dreisaeulen.QUELLE
    p = Parameter()
    assert (p.jahr, p.zahlungsweise, p.werktag, p.bundesland) == (2026, "quartalsweise", True, None)
    assert (p.hoechstanteil_traeger, p.mindestanteil_kleine_traeger) == (D("0.40"), D("0.15"))


def test_beispiel_realistic():
    """The example computes all three pillars; Süd breaks both plurality rules, Nord and West comply."""
    e, p = dreisaeulen.beispiel()
    r = berechne(e, p)
    assert r.kennzahlen["Säule 3 Quartiersbudgets"] == D("180000.00")
    assert r.kennzahlen["Säule 1 Fallarbeit (Prognose)"] == D("6676740.00")
    assert r.gesamt == sum((x.betrag for x in r.positionen), D(0))
    plural = [(w.code, w.sozialraum) for w in r.warnungen if w.code.startswith("pluralitaet")]
    assert plural == [("pluralitaet_hoechstanteil", "Süd"), ("pluralitaet_kleintraeger", "Süd")]
    assert len(e.traeger) >= 3 and len(e.quartiere) >= 3


# ----------------------------------------------------------------------------- Säule 1


def test_saeule1_forecast_open():
    """Forecast = cases × fee: 10 × 19.560 = 195.600,00 € and 12,5 × 14.880 = 186.000,00 €, both open
    (Art offen, with a condition text) and not in the payment plan."""
    e = Eingabe(
        fallarbeit=(
            Fallprognose("SPFH", 10, "19560.00", sozialraum="Nord", traeger="A"),
            Fallprognose("Erziehungsbeistand", "12,5", 14880),
        ),
        traeger=TRAEGER,
    )
    r = berechne(e)
    amounts = [(x.betrag, x.art) for x in r.positionen]
    assert amounts == [(D("195600.00"), Art.OFFEN), (D("186000.00"), Art.OFFEN)]
    assert all("offen" in x.bedingung for x in r.positionen)
    assert r.gesamt == D("381600.00") == r.kennzahlen["davon offen (Fallarbeit)"]
    assert r.zahlungsplan == ()
    assert (r.positionen[0].traeger, r.positionen[0].sozialraum) == ("A", "Nord")


def test_saeule1_rounding_half_up():
    """2,5 cases × 100,01 € = 250,025 € → 250,03 € (kaufmännisch)."""
    r = berechne(Eingabe(fallarbeit=(Fallprognose("X", "2.5", "100.01"),)))
    assert r.gesamt == D("250.03")


def test_saeule1_topped_up():
    """Ist 200.000 against the forecast 195.600 → open item Aufstockung 4.400,00 € and a warning."""
    e = Eingabe(
        fallarbeit=(Fallprognose("SPFH", 10, "19560"),), fallarbeit_ist=(FallIst("SPFH", "200000", 11),)
    )
    r = berechne(e)
    auf = _item(r, "Aufstockung")
    assert (auf.betrag, auf.art) == (D("4400.00"), Art.OFFEN)
    assert r.gesamt == D("200000.00")
    assert _codes(r) == ["saeule1_aufstockung"] and "11 statt 10" in r.warnungen[0].text
    row = r.tabellen["Fallarbeit Prognose/Ist"][0]
    assert (row["Mehrbedarf (Ist − Prognose)"], row["Aufstockung"], row["Fälle (Ist)"]) == (
        D("4400.00"),
        D("4400.00"),
        D(11),
    )


def test_saeule1_top_up_option_off():
    """With aufstockung_als_position=False the top-up is only reported: total stays at the forecast."""
    e = Eingabe(fallarbeit=(Fallprognose("SPFH", 10, "19560"),), fallarbeit_ist=(FallIst("SPFH", "200000"),))
    r = berechne(e, Parameter(aufstockung_als_position=False))
    assert r.gesamt == D("195600.00") and _codes(r) == ["saeule1_aufstockung"]
    assert r.kennzahlen["Säule 1 Aufstockung"] == D("0.00")


def test_saeule1_below_forecast():
    """Forecast 195.600, tolerance 10 % = 19.560: Ist 170.000 (−25.600) warns, Ist 180.000 (−15.600) does not,
    but does with tolerance 5 % (9.780)."""

    def run(ist, **kw):
        e = Eingabe(fallarbeit=(Fallprognose("SPFH", 10, "19560"),), fallarbeit_ist=(FallIst("SPFH", ist),))
        return berechne(e, Parameter(**kw))

    assert _codes(run("170000")) == ["saeule1_unterschreitung"]
    assert _codes(run("180000")) == []
    assert _codes(run("180000", prognose_toleranz=D("0.05"))) == ["saeule1_unterschreitung"]
    assert run("170000").gesamt == D("195600.00")


def test_saeule1_missing_actual_warns():
    """When actual figures are given, a Hilfeart without them is reported."""
    e = Eingabe(
        fallarbeit=(Fallprognose("SPFH", 1, "100"), Fallprognose("EB", 1, "100")),
        fallarbeit_ist=(FallIst("SPFH", "100"),),
    )
    assert _codes(berechne(e)) == ["saeule1_ist_fehlt"]


# ----------------------------------------------------------------------------- Säule 2


PROJEKTE = (
    Projekt("P1", "A", "Nord", "60000", 2025, 2027),
    Projekt("P2", "B", "Nord", "30000", 2026, 2026),
    Projekt("P3", "K", "Nord", "30000", 2026, 2027),
    Projekt("P4", "B", "Süd", "40000", 2026, 2027),
    Projekt("P5", "C", "Süd", "30000", 2026, 2027),
    Projekt("P6", "K", "Süd", "30000", 2026, 2027),
    Projekt("P7", "B", "West", "35000", 2026, 2027),
    Projekt("P8", "C", "West", "35000", 2026, 2027),
    Projekt("P9", "A", "West", "30000", 2026, 2027),
    Projekt("P10", "A", "West", "99000", 2027, 2028),
)


def test_saeule2_projects_of_the_year():
    """Projects running in 2026 are unconditional items (P1–P9 = 320.000 €); P10 (2027–2028) is not."""
    r = berechne(Eingabe(traeger=TRAEGER, projekte=PROJEKTE))
    assert r.gesamt == D("320000.00") == r.kennzahlen["Säule 2 Strukturarbeit (Projekte)"]
    assert all(x.art == Art.UNBEDINGT for x in r.positionen)
    assert not any("P10" in x.position for x in r.positionen)
    rows = {x["Projekt"]: x for x in r.tabellen["Projekte"]}
    assert rows["P10"]["im Haushaltsjahr"] == "nein" and rows["P10"]["Betrag 2026"] == D("0.00")
    assert rows["P2"]["Neuausschreibung fällig"] == "ja"


def test_saeule2_plurality():
    """Nord 120.000: A 60.000 = 50 % > 40 % → warning; small K 30.000 = 25 % ≥ 15 % ok. Süd 100.000: B
    exactly 40 % (allowed), K 30 % → no warning. West 100.000: no small Träger → warning with
    Fehlbetrag 15 % × 100.000 = 15.000."""
    r = berechne(Eingabe(traeger=TRAEGER, projekte=PROJEKTE))
    assert [(w.code, w.sozialraum, w.traeger) for w in r.warnungen] == [
        ("pluralitaet_hoechstanteil", "Nord", "A"),
        ("pluralitaet_kleintraeger", "West", None),
    ]
    summary = {x["Sozialraum"]: x for x in r.tabellen["Pluralität Sozialräume"]}
    assert summary["Süd"]["eingehalten"] == "ja"
    assert summary["West"]["Fehlbetrag kleine Träger"] == D("15000.00")
    assert summary["Nord"]["Anteil kleiner Träger"] == D("0.2500")
    detail = next(x for x in r.tabellen["Pluralität"] if x["Sozialraum"] == "Nord" and x["Träger"] == "A")
    assert (detail["Anteil"], detail["Höchstanteil überschritten"]) == (D("0.5000"), "ja")


def test_saeule2_plurality_boundaries_exact():
    """A at exactly 40 % and the small K at exactly 15 % are allowed; only B at 45 % is reported."""
    projekte = (
        Projekt("a", "A", "Nord", "40000", 2026, 2026),
        Projekt("b", "B", "Nord", "45000", 2026, 2026),
        Projekt("k", "K", "Nord", "15000", 2026, 2026),
    )
    r = berechne(Eingabe(traeger=TRAEGER, projekte=projekte))
    assert [(w.code, w.traeger) for w in r.warnungen] == [("pluralitaet_hoechstanteil", "B")]


def test_saeule2_plurality_parameters():
    """With a 50 % cap and a 30 % reservation: Nord A 50 % is allowed, but K's 25 % is too little."""
    r = berechne(
        Eingabe(traeger=TRAEGER, projekte=PROJEKTE[:3]),
        Parameter(hoechstanteil_traeger=D("0.5"), mindestanteil_kleine_traeger=D("0.3")),
    )
    assert _codes(r) == ["pluralitaet_kleintraeger"]
    assert r.tabellen["Pluralität Sozialräume"][0]["Fehlbetrag kleine Träger"] == D("6000.00")


def test_saeule2_betrag_for_whole_term():
    """Option projektbetrag="laufzeit": 100.000,01 € over 2025–2027 → 33.333,34 / 33.333,34 / 33.333,33;
    2026 takes the second year's 33.333,34, 2027 the third's 33.333,33."""
    e = Eingabe(traeger=TRAEGER, projekte=(Projekt("P", "A", "Nord", "100000.01", 2025, 2027),))
    assert berechne(e, Parameter(projektbetrag="laufzeit")).gesamt == D("33333.34")
    assert berechne(e, Parameter(projektbetrag="laufzeit", jahr=2027)).gesamt == D("33333.33")
    assert berechne(e).gesamt == D("100000.01")  # default: annual amount


def test_saeule2_long_term_warning():
    """A four-year project exceeds the default maximum term of 3 years; None switches the check off."""
    e = Eingabe(traeger=TRAEGER, projekte=(Projekt("P", "A", "Nord", "1000", 2025, 2028),))
    r = berechne(e, Parameter(hoechstanteil_traeger=D(1), mindestanteil_kleine_traeger=D(0)))
    assert _codes(r) == ["laufzeit_zu_lang"]
    r2 = berechne(
        e,
        Parameter(hoechstlaufzeit_jahre=None, hoechstanteil_traeger=D(1), mindestanteil_kleine_traeger=D(0)),
    )
    assert _codes(r2) == []


def test_zahlungsplan_quarterly():
    """Unconditional items are paid quarterly per recipient: A's 60.000 + 30.000 (West) = 4 × 22.500;
    by default (spec §4) Neujahr is no due date: 1 Jan 2026 → Friday 2 Jan; without the shift the 1st."""
    r = berechne(Eingabe(traeger=TRAEGER, projekte=PROJEKTE))
    a = [x for x in r.zahlungsplan if x.empfaenger == "A"]
    assert [x.faellig for x in a] == [dt.date(2026, 1, 2), *(dt.date(2026, m, 1) for m in (4, 7, 10))]
    r0 = berechne(Eingabe(traeger=TRAEGER, projekte=PROJEKTE), Parameter(werktag=False))
    assert [x.faellig for x in r0.zahlungsplan if x.empfaenger == "A"] == [
        dt.date(2026, m, 1) for m in (1, 4, 7, 10)
    ]
    assert [x.betrag for x in a] == [D("22500.00")] * 4
    assert sum((x.betrag for x in r.zahlungsplan), D(0)) == r.gesamt


# ----------------------------------------------------------------------------- Säule 3


QUARTIERE = (
    Quartier("Q-A", {"Jugendeinwohner": 100, "Quote": 1.0}, "QM Q-A", 2026, 2027),
    Quartier("Q-B", {"Jugendeinwohner": 100, "Quote": 3.0}, "Träger Q-B", 2025, 2026),
)


def test_saeule3_indicator_key():
    """Quote 1 / 3 → SPW 0 / 100 → JEW 100 / 200 → 1.000 € split 333,33 / 666,67."""
    e = Eingabe(quartiersbudget="1000", quartiere=QUARTIERE, indikatoren=(Indicator("Quote", "Quote"),))
    r = berechne(e)
    assert [(x.sozialraum, x.betrag) for x in r.positionen] == [("Q-A", D("333.33")), ("Q-B", D("666.67"))]
    assert all(x.art == Art.UNBEDINGT for x in r.positionen)
    assert r.kennzahlen["Säule 3 Quartiersbudgets"] == D("1000.00")
    assert {x.empfaenger for x in r.zahlungsplan} == {"QM Q-A", "Träger Q-B"}


def test_saeule3_head_count_without_indicators():
    """Without indicators the key is the head count: 100 : 300 → 250 / 750."""
    q = (Quartier("Q-A", {"Jugendeinwohner": 100}), Quartier("Q-B", {"Jugendeinwohner": 300}))
    r = berechne(Eingabe(quartiersbudget="1000", quartiere=q))
    assert [x.betrag for x in r.positionen] == [D("250.00"), D("750.00")]


def test_saeule3_key_parameter():
    """Key "kopf" on the column Einwohner: 1.000 : 3.000 → 250 / 750 even with an indicator."""
    q = (
        Quartier("Q-A", {"Einwohner": 1000, "Quote": 3}),
        Quartier("Q-B", {"Einwohner": 3000, "Quote": 1}),
    )
    e = Eingabe(quartiersbudget="1000", quartiere=q, indikatoren=(Indicator("Quote", "Quote"),))
    r = berechne(e, Parameter(index_schluessel="kopf", zielgruppe="Einwohner"))
    assert [x.betrag for x in r.positionen] == [D("250.00"), D("750.00")]


def test_saeule3_tie_independent_of_order():
    """0,01 € over two equal Quartiere goes to the first by name (Q-A), whichever is listed first."""
    q = (Quartier("Q-B", {"Jugendeinwohner": 1}), Quartier("Q-A", {"Jugendeinwohner": 1}))
    r = berechne(Eingabe(quartiersbudget="0.01", quartiere=q))
    assert [(x.sozialraum, x.betrag) for x in r.positionen] == [("Q-A", D("0.01"))]


def test_saeule3_errors():
    """Missing key column → model error at the parameter Zielgruppe naming the column as found;
    a budget without Quartiere; duplicate Quartier."""
    with pytest.raises(ModellFehler) as exc:
        berechne(Eingabe(quartiersbudget="1000", quartiere=(Quartier("Q", {"Einwohner": 5}),)))
    assert exc.value.model == "dreisaeulen" and exc.value.field == "Zielgruppe"
    assert exc.value.found == "„Jugendeinwohner“" and exc.value.pfad == ("parameter", "zielgruppe")
    with pytest.raises(ModellFehler) as exc:
        berechne(Eingabe(quartiersbudget="1000", fallarbeit=(Fallprognose("X", 1, 1),)))
    _assert_fehler(exc, "Quartiersbudget", "Quartier")
    with pytest.raises(ModellFehler) as exc:
        berechne(Eingabe(quartiersbudget="1", quartiere=(QUARTIERE[0], QUARTIERE[0])))
    _assert_fehler(exc, "Q-A", "Quartier")


# ----------------------------------------------------------------------------- all pillars


def test_three_pillars_together():
    """Gesamt = Säule 1 (195.600) + Säule 2 (P1–P3 = 120.000) + Säule 3 (1.000) = 316.600; only
    Säulen 2 and 3 (121.000) are in the payment plan."""
    e = Eingabe(
        fallarbeit=(Fallprognose("SPFH", 10, "19560"),),
        traeger=TRAEGER,
        projekte=PROJEKTE[:3],
        quartiersbudget="1000",
        quartiere=QUARTIERE,
    )
    r = berechne(e)
    assert r.gesamt == D("316600.00")
    assert r.kennzahlen["davon fest budgetiert (Säulen 2 und 3)"] == D("121000.00")
    assert sum((x.betrag for x in r.zahlungsplan), D(0)) == D("121000.00")
    assert [x["Betrag"] for x in r.tabellen["Säulen"]] == [D("195600.00"), D("120000.00"), D("1000.00")]


# ----------------------------------------------------------------------------- bad input


def test_empty_input():
    """No pillar at all is an error."""
    with pytest.raises(ModellFehler) as exc:
        berechne(Eingabe())
    _assert_fehler(exc, "Eingabe", "Säulen")


def test_case_without_cost():
    """A case forecast with fee 0 is a case without cost → error naming the Hilfeart and field Entgelt."""
    with pytest.raises(ModellFehler) as exc:
        berechne(Eingabe(fallarbeit=(Fallprognose("SPFH", 3, 0),)))
    _assert_fehler(exc, "SPFH", "Entgelt")


@pytest.mark.parametrize(
    ("faelle", "entgelt", "field"),
    [(-1, 100, "Fälle"), (1, "-100", "Entgelt"), (float("nan"), 100, "Fälle"), (1, float("nan"), "Entgelt")],
)
def test_negative_or_nan_case_values(faelle, entgelt, field):
    """Negative or NaN cases and fees are errors naming the field."""
    with pytest.raises(ModellFehler) as exc:
        berechne(Eingabe(fallarbeit=(Fallprognose("SPFH", faelle, entgelt),)))
    _assert_fehler(exc, "SPFH", field)


def test_duplicate_hilfeart_and_unknown_actual():
    """The same Hilfeart twice, or actual figures for a Hilfeart without forecast, are errors."""
    with pytest.raises(ModellFehler) as exc:
        berechne(Eingabe(fallarbeit=(Fallprognose("SPFH", 1, 1), Fallprognose("SPFH", 2, 1))))
    _assert_fehler(exc, "SPFH", "Hilfeart")
    with pytest.raises(ModellFehler) as exc:
        berechne(Eingabe(fallarbeit=(Fallprognose("SPFH", 1, 1),), fallarbeit_ist=(FallIst("EB", 1),)))
    _assert_fehler(exc, "EB", "Hilfeart")


def test_project_errors():
    """End before start, unknown Träger, unknown Sozialraum, duplicate project, negative amount."""
    cases = [
        (Projekt("P", "A", "Nord", "1", 2027, 2026), "P", "Laufzeit", ()),
        (Projekt("P", "Z", "Nord", "1", 2026, 2026), "P", "Träger", ()),
        (Projekt("P", "A", "Ost", "1", 2026, 2026), "P", "Sozialraum", ("Nord", "Süd")),
        (Projekt("P", "A", "Nord", "-1", 2026, 2026), "P", "Betrag", ()),
    ]
    for projekt, item, field, srs in cases:
        with pytest.raises(ModellFehler) as exc:
            berechne(Eingabe(traeger=TRAEGER, projekte=(projekt,), sozialraeume=srs))
        _assert_fehler(exc, item, field)
    with pytest.raises(ModellFehler) as exc:
        berechne(Eingabe(traeger=TRAEGER, projekte=(PROJEKTE[0], PROJEKTE[0])))
    _assert_fehler(exc, "P1", "Projekt")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"projekte": ("P", "A", "Nord", 1, 2026, 2026)}, "Projekte"),
        ({"fallarbeit": "SPFH"}, "Fallarbeit"),
        ({"fallarbeit": (Fallprognose("SPFH", None, 100),)}, "Fälle"),
        ({"projekte": (Projekt("P", "A", "Nord", "1", "2026", 2026),)}, "Laufzeit Beginn"),
        ({"sozialraeume": (1, 2)}, "Sozialräume"),
        ({"quartiere": (Quartier("Q", daten=5),), "quartiersbudget": 1}, "Daten"),
    ],
)
def test_junk_rows(changes, field):
    """Junk inside the input (wrong row types, missing values) is a model error, never a crash."""
    with pytest.raises(ModellFehler) as exc:
        berechne(dataclasses.replace(Eingabe(traeger=TRAEGER), **changes))
    assert exc.value.model == "dreisaeulen" and exc.value.field == field


def test_junk_call():
    """Junk instead of Eingabe or Parameter is a German model error."""
    with pytest.raises(ModellFehler):
        berechne([])  # type: ignore[arg-type]
    with pytest.raises(ModellFehler):
        berechne(Eingabe(fallarbeit=(Fallprognose("X", 1, 1),)), "falsch")  # type: ignore[arg-type]


def test_duplicate_traeger():
    """A Träger listed twice is an error."""
    with pytest.raises(ModellFehler) as exc:
        berechne(Eingabe(traeger=(Traeger("A"), Traeger("A")), projekte=PROJEKTE[:1]))
    _assert_fehler(exc, "A", "Träger")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"hoechstanteil_traeger": D("1.2")}, "Höchstanteil je Träger"),
        ({"mindestanteil_kleine_traeger": D("-0.1")}, "Mindestanteil kleiner Träger"),
        ({"prognose_toleranz": float("nan")}, "Prognosetoleranz"),
        ({"projektbetrag": "monatlich"}, "Projektbetrag"),
        ({"zahlungsweise": "wöchentlich"}, "Zahlungsweise"),
    ],
)
def test_bad_parameters(changes, field):
    """Percentages over 100 %, negative or NaN, and unknown options are parameter errors."""
    with pytest.raises(ModellFehler) as exc:
        berechne(Eingabe(fallarbeit=(Fallprognose("X", 1, 1),)), Parameter(**changes))
    _assert_fehler(exc, "Parameter", field)


# ----------------------------------------------------------------------------- properties

_TR = ("A", "B", "C", "K")
_SR = ("Nord", "Süd", "West")


@st.composite
def _inputs(draw):
    """Random valid inputs of all three pillars (amounts in cents, small weights for ties)."""
    n_f = draw(st.integers(0, 4))
    fallarbeit = tuple(
        Fallprognose(
            f"H{i}",
            D(draw(st.integers(0, 400))) / 2,
            D(draw(st.integers(1, 10**7))) / 100,
            sozialraum=draw(st.sampled_from((None, *_SR))),
            traeger=draw(st.sampled_from((None, *_TR))),
        )
        for i in range(n_f)
    )
    ist = tuple(
        FallIst(f.hilfeart, D(draw(st.integers(0, 10**8))) / 100, sozialraum=f.sozialraum, traeger=f.traeger)
        for f in fallarbeit
        if draw(st.booleans())
    )
    n_p = draw(st.integers(0, 6))
    projekte = []
    for i in range(n_p):
        beginn = draw(st.integers(2024, 2027))
        projekte.append(
            Projekt(
                f"P{i}",
                draw(st.sampled_from(_TR)),
                draw(st.sampled_from(_SR)),
                D(draw(st.integers(0, 10**7))) / 100,
                beginn,
                beginn + draw(st.integers(0, 4)),
            )
        )
    n_q = draw(st.integers(0, 4))
    quartiere = tuple(Quartier(f"Q{i}", {"Jugendeinwohner": draw(st.integers(1, 3))}) for i in range(n_q))
    budget = D(draw(st.integers(0, 10**7))) / 100 if n_q else D(0)
    if not (fallarbeit or projekte or quartiere):
        fallarbeit = (Fallprognose("H", 1, 1),)
    return Eingabe(
        fallarbeit=fallarbeit,
        fallarbeit_ist=ist,
        traeger=TRAEGER,
        projekte=tuple(projekte),
        quartiersbudget=budget,
        quartiere=quartiere,
    ), draw(st.sampled_from(PROJEKTBETRAEGE))


PROJEKTBETRAEGE = ("jahresbetrag", "laufzeit")


@settings(max_examples=60, deadline=None)
@given(data=_inputs())
def test_property_sums_and_signs(data):
    """Line items sum to the total, pillars add up, nothing is negative, the plan pays the fixed pillars."""
    e, art = data
    r = berechne(e, Parameter(projektbetrag=art))
    assert sum((x.betrag for x in r.positionen), D(0)) == r.gesamt
    k = r.kennzahlen
    assert (
        k["Säule 1 Fallarbeit (Prognose)"]
        + k["Säule 1 Aufstockung"]
        + k["Säule 2 Strukturarbeit (Projekte)"]
        + k["Säule 3 Quartiersbudgets"]
        == r.gesamt
    )
    assert all(x.betrag >= 0 for x in r.positionen)
    assert sum((x.betrag for x in r.zahlungsplan), D(0)) == r.summe(art=Art.UNBEDINGT)
    assert k["Säule 3 Quartiersbudgets"] == D(e.quartiersbudget).quantize(D("0.01"))


@settings(max_examples=60, deadline=None)
@given(data=_inputs(), perm=st.data())
def test_property_permutation(data, perm):
    """Permuting forecasts, projects, Träger and Quartiere changes nothing but the order."""
    e, art = data
    p = Parameter(projektbetrag=art)
    shuffled = dataclasses.replace(
        e,
        fallarbeit=tuple(perm.draw(st.permutations(e.fallarbeit))),
        fallarbeit_ist=tuple(perm.draw(st.permutations(e.fallarbeit_ist))),
        traeger=tuple(perm.draw(st.permutations(e.traeger))),
        projekte=tuple(perm.draw(st.permutations(e.projekte))),
        quartiere=tuple(perm.draw(st.permutations(e.quartiere))),
    )
    a, b = berechne(e, p), berechne(shuffled, p)

    def cells(r):
        return sorted((x.position, x.traeger or "", x.sozialraum or "", x.betrag) for x in r.positionen)

    assert cells(a) == cells(b)
    assert sorted(w.text for w in a.warnungen) == sorted(w.text for w in b.warnungen)


# ----------------------------------------------------------------------------- declaration


def _regel(r) -> str:
    return " ".join(t["text"] for t in texte(r, "regel"))


def test_result_carries_parameters_and_input():
    """The result keeps the parameters it was computed with (defaults for None) and the checked input."""
    e = Eingabe(traeger=TRAEGER, projekte=list(PROJEKTE[:2]))
    r = berechne(e)
    assert r.parameter == Parameter()
    assert r.eingabe.projekte == PROJEKTE[:2] and isinstance(r.eingabe.projekte, tuple)
    assert berechne(e, Parameter(jahr=2027)).parameter.jahr == 2027


def test_contract_texts_follow_the_plurality_and_term_parameters():
    """The Säule-2 rule shows the Höchstanteil, the reserved share of small Träger and the longest
    term of the parameters, and drops the term when it is switched off."""
    e, _ = dreisaeulen.beispiel()
    text = _regel(berechne(e, Parameter()))
    assert "mehr als 40,0\u00a0% des Projektbudgets" in text and "mindestens 15,0\u00a0%" in text
    assert "höchstens 3 Jahre" in text and "gilt als Jahresbetrag." in text
    p = Parameter(
        hoechstanteil_traeger=D("0.35"),
        mindestanteil_kleine_traeger=D("0.2"),
        hoechstlaufzeit_jahre=1,
        projektbetrag="laufzeit",
    )
    text = _regel(berechne(e, p))
    assert "mehr als 35,0\u00a0% des Projektbudgets" in text and "mindestens 20,0\u00a0%" in text
    assert "höchstens 1 Jahr." in text
    assert "gilt als Betrag für die ganze Laufzeit und wird gleichmäßig" in text
    text = _regel(berechne(e, Parameter(hoechstlaufzeit_jahre=None)))
    assert "höchstens" not in text and "zeitlich befristet vergeben." in text


def test_contract_texts_follow_the_choices_of_saeule1_and_saeule3():
    """Key, method, target group, rhythm and the top-up option appear as the German words of the
    parameters; the method is left out for the plain head count."""
    e, _ = dreisaeulen.beispiel()
    text = _regel(berechne(e, Parameter()))
    assert "Schlüssel: Jugendeinwohnerwert, Zielgruppe „Jugendeinwohner“" in text
    assert "Standardisierung: Standardpunktwert (SPW)" in text
    assert (
        "an den sie über ein Ausschreibungsverfahren zeitlich befristet vergeben sind, vierteljährlich"
        in text
    )
    assert "als offene Position „Aufstockung“" in text
    p = Parameter(index_schluessel="kopf", zahlungsweise="quartalsmitte", aufstockung_als_position=False)
    text = _regel(berechne(e, p))
    assert "Schlüssel: Kopfzahl, Zielgruppe „Jugendeinwohner“)" in text and "Standardisierung" not in text
    assert "vergeben sind, zur Quartalsmitte in Abschlägen" in text
    assert "Aufstockung“" not in text and "wird aufgestockt." in text
    text = _regel(berechne(e, Parameter(index_methode="t")))
    assert "Standardisierung: T-Wert (50 + 10·z)" in text
    bericht = " ".join(
        t["text"] for t in texte(berechne(e, Parameter(prognose_toleranz=D("0.25"))), "bericht")
    )
    assert "mehr als 25,0\u00a0% unter der Prognose" in bericht


def test_contract_texts_name_their_source():
    """Texts from the report name its section (7.1 or 7.2); the others are marked as proposals."""
    for t in dreisaeulen.DEKLARATION.vertragstexte:
        if t.vorschlag:
            assert t.quelle == ""
        else:
            assert t.quelle in ("Gutachten, Abschnitt 7.1", "Gutachten, Abschnitt 7.2"), t.text[:40]
        assert "§" not in t.quelle and "Spezifikation" not in t.quelle
    regeln = dreisaeulen.DEKLARATION.texte("regel")
    assert [t.quelle for t in regeln if not t.vorschlag] == [
        "Gutachten, Abschnitt 7.1",
        "Gutachten, Abschnitt 7.2",
        "Gutachten, Abschnitt 7.1",
    ]
    assert "Quartiersbudgets nach dem Jugendeinwohnerwert" in dreisaeulen.DEKLARATION.lesart


def test_choices_show_german_words():
    """Projektbetrag, Index-Methode and Index-Schlüssel offer German words for exactly the keys the
    model accepts; the words are read back as keys and help texts list no keys."""
    d = dreisaeulen.DEKLARATION
    assert d.feld("projektbetrag").anzeigewerte() == ("Jahresbetrag", "Betrag für die ganze Laufzeit")
    assert d.feld("projektbetrag").schluessel() == dreisaeulen.PROJEKTBETRAG
    assert d.feld("index_methode").schluessel() == METHODEN
    assert d.feld("index_schluessel").schluessel() == SCHLUESSEL
    assert d.feld("index_methode").anzeige_von("spw") == "Standardpunktwert (SPW)"
    assert d.feld("index_schluessel").anzeige_von("jew") == "Jugendeinwohnerwert"
    assert d.feld("index_schluessel").anzeige_von("kopf") == "Kopfzahl"
    for name in ("projektbetrag", "index_methode", "index_schluessel", "zahlungsweise"):
        f = d.feld(name)
        assert len(set(f.anzeigewerte())) == len(f.anzeigewerte()), name
        for w in f.auswahl:
            assert konvertiere("text", w.anzeige, auswahl=f.auswahl) == w.schluessel
        keys = [w.schluessel for w in f.auswahl if w.schluessel != w.anzeige.casefold()]
        assert not any(k in f.hilfe.split() for k in keys), f.hilfe
    assert konvertiere("text", "Betrag für die ganze Laufzeit", auswahl=d.feld("projektbetrag").auswahl) == (
        "laufzeit"
    )


def test_units_of_key_outputs():
    """Money is Euro, shares are Anteil, project years are Jahr, counts are Anzahl — also for the
    budget-year column of another year."""
    e, _ = dreisaeulen.beispiel()
    r = berechne(e, Parameter(jahr=2027, projektbetrag="laufzeit"))
    assert set(r.einheiten.values()) == {Einheit.EURO}
    s = r.spalten_einheiten
    assert s["Projekte"]["Betrag 2027"] is Einheit.EURO
    assert (s["Projekte"]["Beginn"], s["Projekte"]["Ende"]) == (Einheit.JAHR, Einheit.JAHR)
    assert (s["Pluralität"]["Anteil"], s["Pluralität"]["Höchstanteil"]) == (Einheit.ANTEIL, Einheit.ANTEIL)
    assert s["Pluralität Sozialräume"]["Anzahl Träger"] is Einheit.ANZAHL
    assert s["Pluralität Sozialräume"]["Fehlbetrag kleine Träger"] is Einheit.EURO
    assert s["Quartiersbudgets"]["Anteil"] is Einheit.ANTEIL
    assert s["Fallarbeit Prognose/Ist"]["Fälle (Ist)"] is Einheit.ANZAHL
    assert s["Fallarbeit Prognose/Ist"]["Mehrbedarf (Ist − Prognose)"] is Einheit.EURO
    projekte = next(t for t in dreisaeulen.DEKLARATION.tabellen if t.feld == "projekte")
    assert {f.feld: f.einheit for f in projekte.spalten}["beginn"] is Einheit.JAHR
    t = dreisaeulen.DEKLARATION.ausgabetabelle("Quartiersbudgets")
    assert (t.traeger, t.sozialraum) == ("Budgetträger", "Quartier")


@pytest.mark.parametrize(
    ("eingabe", "parameter", "pfad"),
    [
        (Eingabe(fallarbeit=(Fallprognose("X", 1, 1),)), Parameter(jahr=1800), ("parameter", "jahr")),
        (
            Eingabe(fallarbeit=(Fallprognose("X", 1, 1),)),
            Parameter(hoechstanteil_traeger=D("1.2")),
            ("parameter", "hoechstanteil_traeger"),
        ),
        (
            Eingabe(fallarbeit=(Fallprognose("X", 1, 1),)),
            Parameter(hoechstlaufzeit_jahre=0),
            ("parameter", "hoechstlaufzeit_jahre"),
        ),
        (
            Eingabe(fallarbeit=(Fallprognose("X", 1, 1),)),
            Parameter(projektbetrag="monatlich"),
            ("parameter", "projektbetrag"),
        ),
        (Eingabe(traeger=(Traeger("A"), Traeger("A")), projekte=PROJEKTE[:1]), None, ("traeger", 1, "name")),
        (Eingabe(traeger=(Traeger("A", klein="ja"),), projekte=PROJEKTE[:1]), None, ("traeger", 0, "klein")),
        (
            Eingabe(fallarbeit=(Fallprognose("X", 1, 1),), sozialraeume=("Nord", "Nord")),
            None,
            ("sozialraeume", 1, "name"),
        ),
        (
            Eingabe(fallarbeit=(Fallprognose("X", 1, 1), Fallprognose("X", 2, 1))),
            None,
            ("fallarbeit", 1, "hilfeart"),
        ),
        (
            Eingabe(
                fallarbeit=(Fallprognose("X", 1, 1), Fallprognose("Y", 1, 1, traeger="Z")), traeger=TRAEGER
            ),
            None,
            ("fallarbeit", 1, "traeger"),
        ),
        (
            Eingabe(fallarbeit=(Fallprognose("X", 1, 1, sozialraum="Ost"),), sozialraeume=("Nord",)),
            None,
            ("fallarbeit", 0, "sozialraum"),
        ),
        (Eingabe(fallarbeit=(Fallprognose("X", 1, 0),)), None, ("fallarbeit", 0, "entgelt")),
        (
            Eingabe(fallarbeit=(Fallprognose("X", 1, 1),), fallarbeit_ist=(FallIst("X", 1), FallIst("Y", 1))),
            None,
            ("fallarbeit_ist", 1, "hilfeart"),
        ),
        (
            Eingabe(fallarbeit=(Fallprognose("X", 1, 1),), fallarbeit_ist=(FallIst("X", 1), FallIst("X", 2))),
            None,
            ("fallarbeit_ist", 1, "betrag"),
        ),
        (Eingabe(traeger=TRAEGER, projekte=(PROJEKTE[0], PROJEKTE[0])), None, ("projekte", 1, "name")),
        (
            Eingabe(traeger=TRAEGER, projekte=(Projekt("P", "A", "Nord", "1", 2027, 2026),)),
            None,
            ("projekte", 0, "ende"),
        ),
        (
            Eingabe(traeger=TRAEGER, projekte=(Projekt("P", "A", "Nord", "1", 1900, 2026),)),
            None,
            ("projekte", 0, "beginn"),
        ),
        (
            Eingabe(traeger=TRAEGER, projekte=(PROJEKTE[0], Projekt("P", "Z", "Nord", "1", 2026, 2026))),
            None,
            ("projekte", 1, "traeger"),
        ),
        (
            Eingabe(
                traeger=TRAEGER, projekte=(Projekt("P", "A", "Ost", "1", 2026, 2026),), sozialraeume=("Nord",)
            ),
            None,
            ("projekte", 0, "sozialraum"),
        ),
        (
            Eingabe(quartiersbudget="1000", fallarbeit=(Fallprognose("X", 1, 1),)),
            None,
            ("eingabe", "quartiersbudget"),
        ),
        (
            Eingabe(quartiersbudget="1", quartiere=(QUARTIERE[0], QUARTIERE[0])),
            None,
            ("quartiere", 1, "name"),
        ),
        (
            Eingabe(quartiersbudget=1, quartiere=(QUARTIERE[0], Quartier("Q", daten=5))),
            None,
            ("quartiere", 1, "daten"),
        ),
    ],
)
def test_errors_point_to_the_input(eingabe, parameter, pfad):
    """Errors the model raises itself name the parameter field or the row (0-based) and column."""
    with pytest.raises(ModellFehler) as exc:
        berechne(eingabe, parameter)
    assert exc.value.pfad == pfad


def test_functions_are_small():
    """No function of the module is longer than 100 lines (one function per budget part)."""
    baum = ast.parse(Path(dreisaeulen.__file__).read_text(encoding="utf-8"))
    laengen = {
        f.name: f.end_lineno - f.lineno + 1
        for f in ast.walk(baum)
        if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    assert max(laengen.values()) <= 100, sorted(laengen.items(), key=lambda x: -x[1])[:3]


# ------------------------------------------------------------------- issue 11: §7.2 award of Quartiersbudgets


def _quartiere(*q: Quartier) -> Eingabe:
    return Eingabe(quartiersbudget="1000", quartiere=q)


def test_quartiersbudget_goes_to_the_awarded_traeger_not_the_quartier():
    """§7.2 „sollten nach Ebenen getrennt entsprechende Quartiersbudgets und kooperative
    Projektbudgets entwickelt und über Ausschreibungsverfahren zeitlich befristet vergeben werden“:
    1.000 € over 100 : 300 Jugendeinwohner = 250 / 750 € paid to „QM Nord“ and „Träger Süd“ in
    four instalments each (62,50 and 187,50 €), no payment to a Quartier's name."""
    r = berechne(
        _quartiere(
            Quartier("Nord", {"Jugendeinwohner": 100}, "QM Nord", 2026, 2027),
            Quartier("Süd", {"Jugendeinwohner": 300}, "Träger Süd", 2024, 2026),
        )
    )
    assert [(x.traeger, x.sozialraum, x.betrag, x.art) for x in r.positionen] == [
        ("QM Nord", "Nord", D("250.00"), Art.UNBEDINGT),
        ("Träger Süd", "Süd", D("750.00"), Art.UNBEDINGT),
    ]
    assert {x.empfaenger for x in r.zahlungsplan} == {"QM Nord", "Träger Süd"}
    assert [x.betrag for x in r.zahlungsplan if x.empfaenger == "QM Nord"] == [D("62.50")] * 4
    zeilen = r.tabellen["Quartiersbudgets"]
    assert [(z["Budgetträger"], z["Vergabe bis"], z["vergeben"]) for z in zeilen] == [
        ("QM Nord", 2027, "ja"),
        ("Träger Süd", 2026, "ja"),
    ]
    assert _codes(r) == []


def test_quartiersbudget_without_valid_award_stays_open():
    """Not awarded, or awarded for 2023–2025 only: in 2026 the 500 € each are open items (not paid,
    not in the plan), each with a warning asking for a time-limited tender."""
    r = berechne(
        _quartiere(
            Quartier("Nord", {"Jugendeinwohner": 1}),
            Quartier("Süd", {"Jugendeinwohner": 1}, "Träger Süd", 2023, 2025),
        )
    )
    assert [(x.art, x.traeger, x.betrag) for x in r.positionen] == [
        (Art.OFFEN, None, D("500.00")),
        (Art.OFFEN, None, D("500.00")),
    ]
    assert r.zahlungsplan == () or list(r.zahlungsplan) == []
    assert _codes(r) == ["quartier_nicht_vergeben", "quartier_nicht_vergeben"]
    assert "Ausschreibungsverfahren zeitlich befristet" in r.warnungen[0].text
    assert "gilt nicht für 2026" in r.warnungen[1].text


def test_quartiersbudget_award_term_is_checked():
    """An award without end or longer than the Höchstlaufzeit (3 years: 2026–2029 = 4) is a warning;
    an end before the start is an error on its cell."""
    r = berechne(
        _quartiere(
            Quartier("Nord", {"Jugendeinwohner": 1}, "QM Nord", 2026),
            Quartier("Süd", {"Jugendeinwohner": 1}, "Träger Süd", 2026, 2029),
        )
    )
    assert _codes(r) == ["quartier_unbefristet", "quartier_laufzeit"]
    assert all(x.art == Art.UNBEDINGT for x in r.positionen)
    with pytest.raises(ModellFehler) as exc:
        berechne(_quartiere(Quartier("Nord", {"Jugendeinwohner": 1}, "QM", 2026, 2025)))
    assert exc.value.pfad == ("quartiere", 0, "vergabe_ende")
