"""Tests for the Celle INTEGRA model (source §5.5, domain spec §3.6)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sozbudget_xl.errors import ModellFehler
from sozbudget_xl.indicators import Indicator
from sozbudget_xl.models import celle, modell
from sozbudget_xl.models.base import Art
from sozbudget_xl.models.celle import (
    Basisumsatz,
    Eingabe,
    IstAusgabe,
    Parameter,
    Sozialraum,
    Traeger,
    Zuordnung,
    anteile_aus_basisjahren,
    berechne,
)
from sozbudget_xl.money import allocate_cents

ZUORDNUNG = (
    Zuordnung("A", "Nord", "0.5"),
    Zuordnung("B", "Nord", "0.5"),
    Zuordnung("B", "Süd", "0.25"),
    Zuordnung("C", "Süd", "0.75"),
)


def _eingabe(**changes) -> Eingabe:
    """Frame 100.000 €, Nord 60 % (A 50 %, B 50 %), Süd 40 % (B 25 %, C 75 %)."""
    base = Eingabe(
        vorjahresrechnungsergebnis="100000.00",
        sozialraeume=(
            Sozialraum("Nord", "0.6", {"Jugendeinwohner": 1000}),
            Sozialraum("Süd", "0.4", {"Jugendeinwohner": 1000}),
        ),
        traeger=(Traeger("A"), Traeger("B"), Traeger("C")),
        zuordnung=ZUORDNUNG,
    )
    return dataclasses.replace(base, **changes)


def _pair(result, traeger, sozialraum) -> D:
    return result.summe(traeger=traeger, sozialraum=sozialraum)


def _codes(result) -> list[str]:
    return [w.code for w in result.warnungen]


def _assert_fehler(exc: pytest.ExceptionInfo, item: str, field: str) -> None:
    err = exc.value
    assert err.model == "celle" and "Modell „celle“" in str(err)
    assert err.item == item and f"„{item}“" in str(err)
    assert err.field == field and f"Feld „{field}“" in str(err)


# ----------------------------------------------------------------------------- contract


def test_module_contract():
    """The module is registered and provides the contract names with a German title and source."""
    assert modell("Celle INTEGRA") is celle
    assert celle.NAME == "celle" and "5.5" in celle.QUELLE and celle.TITEL and celle.BESCHREIBUNG
    p = Parameter()
    assert (p.jahr, p.zahlungsweise, p.werktag, p.bundesland) == (2026, "quartalsmitte", True, None)
    assert (p.anteil_ambulant, p.anteil_fallunspezifisch, p.anteil_tagesgruppe) == (
        D("0.70"),
        D("0.20"),
        D("0.10"),
    )


def test_beispiel_realistic():
    """The example: about 2 Mio €, four Träger, six Sozialräume, 70/20/10 split, four rates per Träger."""
    e, p = celle.beispiel()
    r = berechne(e, p)
    assert D("1900000") < r.gesamt < D("2100000")
    assert r.gesamt == D("2013480.00") == r.kennzahlen["Vorjahresrechnungsergebnis"]
    assert r.kennzahlen["Anzahl Träger"] == 4 and r.kennzahlen["Anzahl Sozialräume"] == 6
    assert r.kennzahlen["Ambulante Hilfen zur Erziehung"] == D("1409436.03")
    assert len(r.zahlungsplan) == 16
    # mid-quarter, moved to the next working day by default (15 Feb and 15 Nov 2026 are Sundays,
    # 15 Aug a Saturday)
    assert {x.faellig for x in r.zahlungsplan} == {
        dt.date(2026, 2, 16),
        dt.date(2026, 5, 15),
        dt.date(2026, 8, 17),
        dt.date(2026, 11, 16),
    }
    assert "traegerzahl" not in _codes(r)
    assert r.kennzahlen["Rücklage Trägerverbund (zweckgebunden)"] == D("53177.46")


# ----------------------------------------------------------------------------- rules


def test_split_frame_sozialraum_traeger_parts():
    """Frame 100.000 → Nord 60.000 (A 30.000, B 30.000), Süd 40.000 (B 10.000, C 30.000);
    A/Nord parts 70/20/10 % = 21.000 / 6.000 / 3.000; Träger totals A 30.000, B 40.000, C 30.000."""
    r = berechne(_eingabe())
    assert r.gesamt == D("100000.00")
    assert (_pair(r, "A", "Nord"), _pair(r, "B", "Nord")) == (D("30000.00"), D("30000.00"))
    assert (_pair(r, "B", "Süd"), _pair(r, "C", "Süd")) == (D("10000.00"), D("30000.00"))
    a_nord = [x.betrag for x in r.positionen if x.traeger == "A" and x.sozialraum == "Nord"]
    assert a_nord == [D("21000.00"), D("6000.00"), D("3000.00")]
    assert r.summen_nach("traeger") == {"A": D("30000.00"), "B": D("40000.00"), "C": D("30000.00")}
    assert all(x.art == Art.UNBEDINGT and x.bedingung == "" and "5.5" in x.quelle for x in r.positionen)
    assert r.tabellen["Trägerbudgets"][1]["Anteil am Budgetrahmen"] == D("0.4000")
    assert _codes(r) == []


def test_largest_remainder_cents():
    """Frame 100,01 €, Nord/Süd 50/50: Nord gets the odd cent (tie → name order: Nord < Süd) = 50,01;
    A/B 50/50 of 50,01 → A 25,01; 25,01 × 70/20/10 = 17,507 / 5,002 / 2,501 → floors 17,50 / 5,00 / 2,50,
    the leftover cent to the largest remainder (ambulant) → 17,51 / 5,00 / 2,50."""
    e = _eingabe(
        vorjahresrechnungsergebnis="100.01",
        sozialraeume=(Sozialraum("Süd", "0.5"), Sozialraum("Nord", "0.5")),
    )
    r = berechne(e)
    assert (r.summe(sozialraum="Nord"), r.summe(sozialraum="Süd")) == (D("50.01"), D("50.00"))
    assert _pair(r, "A", "Nord") == D("25.01")
    assert [x.betrag for x in r.positionen if x.traeger == "A"] == [D("17.51"), D("5.00"), D("2.50")]
    assert r.gesamt == D("100.01")


def test_tie_cents_do_not_depend_on_input_order():
    """0,03 € split 50/50 between A and B gives A 0,02 and B 0,01 whichever is listed first."""
    for order in ((0, 1), (1, 0)):
        z = (Zuordnung("A", "Nord", "0.5"), Zuordnung("B", "Nord", "0.5"))
        e = Eingabe(
            "0.03", (Sozialraum("Nord", 1),), (Traeger("A"), Traeger("B")), tuple(z[i] for i in order)
        )
        r = berechne(e)
        assert (r.summe(traeger="A"), r.summe(traeger="B")) == (D("0.02"), D("0.01"))


def test_zahlungsplan_mid_quarter():
    """Each Träger is paid in four equal instalments on 15 Feb, 15 May, 15 Aug, 15 Nov: B 4 × 10.000
    (without the working-day shift)."""
    r = berechne(_eingabe(), Parameter(werktag=False))
    b = [x for x in r.zahlungsplan if x.empfaenger == "B"]
    assert [x.faellig for x in b] == [dt.date(2026, m, 15) for m in (2, 5, 8, 11)]
    assert [x.betrag for x in b] == [D("10000.00")] * 4
    assert sum((x.betrag for x in r.zahlungsplan), D(0)) == r.gesamt


def test_zahlungsplan_working_day():
    """Default werktag (spec §4): 15 Feb 2026 is a Sunday → Monday 16 Feb; 15 Aug 2026 (Saturday) →
    Monday 17 Aug."""
    r = berechne(_eingabe(), Parameter(bundesland="NI"))
    days = sorted({x.faellig for x in r.zahlungsplan})
    assert days == [dt.date(2026, 2, 16), dt.date(2026, 5, 15), dt.date(2026, 8, 17), dt.date(2026, 11, 16)]


def test_budget_parts_parameter():
    """Parts 80/20/0 %: A/Nord 30.000 → 24.000 ambulant, 6.000 fallunspezifisch, no Tagesgruppe item."""
    p = Parameter(anteil_ambulant=D("0.8"), anteil_fallunspezifisch=D("0.2"), anteil_tagesgruppe=D("0"))
    r = berechne(_eingabe(), p)
    a = [(x.position.split(" – ")[0], x.betrag) for x in r.positionen if x.traeger == "A"]
    assert a == [
        ("Ambulante Hilfen zur Erziehung", D("24000.00")),
        ("Fallunspezifische Arbeit", D("6000.00")),
    ]
    assert r.kennzahlen["Tagesgruppe (teilstationär)"] == D("0.00")


def test_traegerzahl_warning():
    """Nord with one Träger (A 100 %) is outside 2–4 → warning naming the Sozialraum; min 1 silences it."""
    z = (Zuordnung("A", "Nord", 1), Zuordnung("B", "Süd", "0.25"), Zuordnung("C", "Süd", "0.75"))
    r = berechne(_eingabe(zuordnung=z))
    assert _codes(r) == ["traegerzahl"] and r.warnungen[0].sozialraum == "Nord"
    r1 = berechne(_eingabe(zuordnung=z), Parameter(min_traeger_je_sozialraum=1))
    assert _codes(r1) == []


def test_too_many_traeger_warning():
    """Five Träger in one Sozialraum (20 % each) is more than four → warning."""
    names = ["A", "B", "C", "D", "E"]
    e = Eingabe(
        "1000",
        (Sozialraum("Nord", 1),),
        tuple(Traeger(n) for n in names),
        tuple(Zuordnung(n, "Nord", "0.2") for n in names),
    )
    r = berechne(e)
    assert _codes(r) == ["traegerzahl"]
    assert r.summen_nach("traeger") == {n: D("200.00") for n in names}


def test_traeger_ohne_zuordnung_warning():
    """A Träger of the Verbund without any Sozialraum gets nothing and a warning."""
    r = berechne(_eingabe(traeger=(Traeger("A"), Traeger("B"), Traeger("C"), Traeger("D"))))
    assert _codes(r) == ["traeger_ohne_zuordnung"] and r.warnungen[0].traeger == "D"


# ----------------------------------------------------------------------------- Festschreibung


def test_festschreibung_unchanged_within_term():
    """Shares fixed since 2025, year 2026, unchanged → no warning, term 2025–2026."""
    r = berechne(_eingabe(festgeschrieben=ZUORDNUNG, festschreibung_seit=2025))
    assert _codes(r) == []
    assert (r.kennzahlen["Festschreibung seit"], r.kennzahlen["Festschreibung bis"]) == (2025, 2026)
    assert all(row["Differenz"] == 0 for row in r.tabellen["Festschreibung"])


NEU = (
    Zuordnung("A", "Nord", "0.6"),
    Zuordnung("B", "Nord", "0.4"),
    Zuordnung("B", "Süd", "0.25"),
    Zuordnung("C", "Süd", "0.75"),
)


def test_festschreibung_change_is_error():
    """Changing A/Nord from 50 % to 60 % inside the two-year term is an error naming Träger and field."""
    with pytest.raises(ModellFehler) as exc:
        berechne(_eingabe(zuordnung=NEU, festgeschrieben=ZUORDNUNG, festschreibung_seit=2025))
    _assert_fehler(exc, "A", "Anteil")
    assert "festgeschrieben" in str(exc.value) and "Nord" in str(exc.value)


def test_festschreibung_aufheben_warns():
    """With festschreibung_aufheben the change is allowed: one warning per changed share (A/Nord, B/Nord)."""
    r = berechne(
        _eingabe(zuordnung=NEU, festgeschrieben=ZUORDNUNG, festschreibung_seit=2025),
        Parameter(festschreibung_aufheben=True),
    )
    assert _codes(r) == ["festschreibung_aufgehoben"] * 2
    assert [(w.traeger, w.sozialraum) for w in r.warnungen] == [("A", "Nord"), ("B", "Nord")]
    assert _pair(r, "A", "Nord") == D("36000.00")


def test_festschreibung_expired():
    """Fixed since 2024 (term 2024–2025), year 2026: a change is allowed, a warning asks for the
    committee's decision on competition, and a new term 2026–2027 starts."""
    r = berechne(_eingabe(zuordnung=NEU, festgeschrieben=ZUORDNUNG, festschreibung_seit=2024))
    assert _codes(r) == ["festschreibung_abgelaufen"]
    assert "Wettbewerb" in r.warnungen[0].text
    assert (r.kennzahlen["Festschreibung seit"], r.kennzahlen["Festschreibung bis"]) == (2026, 2027)


def test_festschreibung_term_parameter():
    """With a three-year term the 2024 shares are still fixed in 2026 → error."""
    with pytest.raises(ModellFehler):
        berechne(
            _eingabe(zuordnung=NEU, festgeschrieben=ZUORDNUNG, festschreibung_seit=2024),
            Parameter(festschreibung_jahre=3),
        )


def test_festschreibung_new_term_without_previous():
    """Without previous shares the term starts in the budget year: 2026–2027."""
    r = berechne(_eingabe())
    assert (r.kennzahlen["Festschreibung seit"], r.kennzahlen["Festschreibung bis"]) == (2026, 2027)


def test_festschreibung_input_errors():
    """Previous shares without start year, or a start year after the budget year, are errors."""
    with pytest.raises(ModellFehler) as exc:
        berechne(_eingabe(festgeschrieben=ZUORDNUNG))
    _assert_fehler(exc, "Festschreibung", "Festschreibung seit")
    with pytest.raises(ModellFehler) as exc:
        berechne(_eingabe(festgeschrieben=ZUORDNUNG, festschreibung_seit=2027))
    assert exc.value.field == "Festschreibung seit"


# ----------------------------------------------------------------------------- indicator option (§2.6)


def test_indicator_option_off_by_default():
    """By default the Sozialraum split follows the shares, whatever the base data say."""
    r = berechne(_eingabe())
    assert r.summe(sozialraum="Nord") == D("60000.00")
    assert r.kennzahlen["Indikatoranpassung"] == "nein" and "Übergang" not in r.tabellen


def test_indicator_option_linear_path():
    """Equal Jugendeinwohner, no indicators → target 50/50; over 2 years year 1 is
    0,6 + (0,5 − 0,6)·1/2 = 0,55 → Nord 55.000, Süd 45.000; year 2 reaches 50.000 / 50.000."""
    r = berechne(_eingabe(), Parameter(indikator_anpassung=True, uebergang_jahre=2))
    assert (r.summe(sozialraum="Nord"), r.summe(sozialraum="Süd")) == (D("55000.00"), D("45000.00"))
    assert r.gesamt == D("100000.00")
    rows = {x["Sozialraum"]: x for x in r.tabellen["Sozialraumbudgets"]}
    assert rows["Nord"]["Ziel (Indikatorschlüssel)"] == D("50000.00")
    assert rows["Nord"]["Status quo"] == D("60000.00")
    r2 = berechne(_eingabe(), Parameter(indikator_anpassung=True, uebergang_jahre=2, uebergang_schritt=2))
    assert r2.summe(sozialraum="Nord") == D("50000.00")
    # the Träger matrix still applies inside the moved Sozialraum budget: A gets 50 % of 55.000
    assert _pair(r, "A", "Nord") == D("27500.00")


def test_indicator_option_kappung():
    """Cap 5 %: Süd may rise at most to 42.000 (40.000 × 1,05), so Nord keeps 58.000; target not reached."""
    r = berechne(_eingabe(), Parameter(indikator_anpassung=True, uebergang_jahre=1, kappung=D("0.05")))
    assert (r.summe(sozialraum="Nord"), r.summe(sozialraum="Süd")) == (D("58000.00"), D("42000.00"))
    assert "ziel_nicht_erreicht" in _codes(r)


def test_indicator_option_fonds():
    """Fund 10 %: Nord pays 6.000, Süd 4.000; the fund of 10.000 goes 50/50 → Nord 59.000, Süd 41.000."""
    r = berechne(_eingabe(), Parameter(indikator_anpassung=True, fonds=D("0.10")))
    assert (r.summe(sozialraum="Nord"), r.summe(sozialraum="Süd")) == (D("59000.00"), D("41000.00"))


def test_indicator_option_with_indicator():
    """Quote Nord 1, Süd 3 → SPW 0 / 100 → JEW 1.000 / 2.000 → 33.333,33 / 66.666,67 (one-year path)."""
    e = _eingabe(
        sozialraeume=(
            Sozialraum("Nord", "0.6", {"Jugendeinwohner": 1000, "Quote": 1}),
            Sozialraum("Süd", "0.4", {"Jugendeinwohner": 1000, "Quote": 3}),
        ),
        indikatoren=(Indicator("Quote", "Quote"),),
    )
    r = berechne(e, Parameter(indikator_anpassung=True, uebergang_jahre=1))
    assert (r.summe(sozialraum="Nord"), r.summe(sozialraum="Süd")) == (D("33333.33"), D("66666.67"))


def test_indicator_option_missing_column_is_model_error():
    """A missing target-group column is reported as a Celle model error at the parameter that
    names it (field „Zielgruppe“, the column as found, the structured path of the parameter)."""
    e = _eingabe(sozialraeume=(Sozialraum("Nord", "0.6"), Sozialraum("Süd", "0.4")))
    with pytest.raises(ModellFehler) as exc:
        berechne(e, Parameter(indikator_anpassung=True))
    assert exc.value.model == "celle" and exc.value.field == "Zielgruppe"
    assert exc.value.found == "„Jugendeinwohner“" and exc.value.pfad == ("parameter", "zielgruppe")


def test_indicator_option_parameter_errors():
    """Step beyond the path, cap over 100 % or cap together with fund are errors."""
    for p in (
        Parameter(indikator_anpassung=True, uebergang_jahre=2, uebergang_schritt=3),
        Parameter(indikator_anpassung=True, kappung=D("1.5")),
        Parameter(indikator_anpassung=True, kappung=D("0.05"), fonds=D("0.1")),
    ):
        with pytest.raises(ModellFehler) as exc:
            berechne(_eingabe(), p)
        assert exc.value.item == "Parameter"


# ----------------------------------------------------------------------------- savings → reserve


IST_ALLE = (
    IstAusgabe("A", "Nord", "28000.00"),
    IstAusgabe("B", "Nord", "31000.00"),
    IstAusgabe("B", "Süd", "10000.00"),
    IstAusgabe("C", "Süd", "29500.00"),
)


def test_ruecklage_netted_default():
    """Netted reserve: Σ Budget 100.000 − Σ Ist 98.500 = 1.500; B/Nord's overrun of 1.000 is a warning."""
    r = berechne(_eingabe(ist=IST_ALLE))
    assert r.kennzahlen["Rücklage Trägerverbund (zweckgebunden)"] == D("1500.00")
    assert _codes(r) == ["ueberschreitung"]
    assert (r.warnungen[0].traeger, r.warnungen[0].sozialraum) == ("B", "Nord")
    total = r.tabellen["Rücklage"][-1]
    assert (total["Ersparnis"], total["Überschreitung"]) == (D("2500.00"), D("1000.00"))
    assert r.gesamt == D("100000.00")  # the reserve is not a line item


def test_ruecklage_gross_option():
    """Option ruecklage_saldiert=False: Σ max(0, Budget − Ist) = 2.000 + 0 + 0 + 500 = 2.500."""
    r = berechne(_eingabe(ist=IST_ALLE), Parameter(ruecklage_saldiert=False))
    assert r.kennzahlen["Rücklage Trägerverbund (zweckgebunden)"] == D("2500.00")


def test_ruecklage_missing_ist_excluded():
    """Only A/Nord reported (28.000): reserve 2.000, three warnings for the unreported pairs."""
    r = berechne(_eingabe(ist=(IstAusgabe("A", "Nord", "28000"),)))
    assert r.kennzahlen["Rücklage Trägerverbund (zweckgebunden)"] == D("2000.00")
    assert _codes(r) == ["ist_fehlt"] * 3


def test_ruecklage_verbund_overrun():
    """Ist 110.000 in total against 100.000 → no reserve, warning for the Verbund as a whole."""
    ist = (
        IstAusgabe("A", "Nord", "33000"),
        IstAusgabe("B", "Nord", "33000"),
        IstAusgabe("B", "Süd", "11000"),
        IstAusgabe("C", "Süd", "33000"),
    )
    r = berechne(_eingabe(ist=ist))
    assert r.kennzahlen["Rücklage Trägerverbund (zweckgebunden)"] == D("0.00")
    assert _codes(r).count("ueberschreitung") == 4 and "verbund_ueberschreitung" in _codes(r)


# ----------------------------------------------------------------------------- helper


def test_anteile_aus_basisjahren():
    """Market shares: Nord 300 of 600 = 50 %, A 200/300 = 0,6667, B 0,3333 (largest remainder to 1)."""
    srs, z = anteile_aus_basisjahren(
        [Basisumsatz("A", "Nord", 200), Basisumsatz("B", "Nord", 100), Basisumsatz("A", "Süd", 300)]
    )
    assert [s.anteil for s in srs] == [D("0.5000"), D("0.5000")]
    assert [x.anteil for x in z] == [D("0.6667"), D("0.3333"), D("1.0000")]


# ----------------------------------------------------------------------------- bad input


def test_sozialraum_shares_not_100():
    """Sozialraum shares 60 % + 30 % = 90 % → error naming the field."""
    e = _eingabe(sozialraeume=(Sozialraum("Nord", "0.6"), Sozialraum("Süd", "0.3")))
    with pytest.raises(ModellFehler) as exc:
        berechne(e)
    _assert_fehler(exc, "Sozialräume", "Anteil")
    assert "90,00" in str(exc.value)


def test_matrix_shares_not_100():
    """Süd: B 25 % + C 70 % = 95 % → error naming the Sozialraum and the field Anteil."""
    z = (*ZUORDNUNG[:3], Zuordnung("C", "Süd", "0.70"))
    with pytest.raises(ModellFehler) as exc:
        berechne(_eingabe(zuordnung=z))
    _assert_fehler(exc, "Süd", "Anteil")


def test_float_shares_accepted():
    """Excel floats 0.6/0.4 and 0.25/0.75 are read as exact decimals and sum to 100 %."""
    e = _eingabe(
        sozialraeume=(Sozialraum("Nord", 0.6), Sozialraum("Süd", 0.4)),
        zuordnung=(
            Zuordnung("A", "Nord", 0.5),
            Zuordnung("B", "Nord", 0.5),
            Zuordnung("B", "Süd", 0.25),
            Zuordnung("C", "Süd", 0.75),
        ),
    )
    assert berechne(e).summe(traeger="B") == D("40000.00")


def test_unknown_sozialraum_in_matrix():
    """A Träger assigned to an unknown Sozialraum is an error naming the Träger and field Sozialraum."""
    z = (*ZUORDNUNG, Zuordnung("C", "Ost", "1"))
    with pytest.raises(ModellFehler) as exc:
        berechne(_eingabe(zuordnung=z))
    _assert_fehler(exc, "C", "Sozialraum")
    assert "Ost" in str(exc.value)


def test_unknown_traeger_in_matrix():
    """A Träger in the matrix that is not a member of the Verbund is an error."""
    z = (*ZUORDNUNG[:3], Zuordnung("X", "Süd", "0.75"))
    with pytest.raises(ModellFehler) as exc:
        berechne(_eingabe(zuordnung=z))
    _assert_fehler(exc, "X", "Träger")


@pytest.mark.parametrize("value", ["-1000", float("nan"), "kein Betrag"])
def test_bad_frame(value):
    """A negative, NaN or unreadable Vorjahresrechnungsergebnis is an error."""
    with pytest.raises(ModellFehler) as exc:
        berechne(_eingabe(vorjahresrechnungsergebnis=value))
    _assert_fehler(exc, "Budgetrahmen", "Vorjahresrechnungsergebnis")


@pytest.mark.parametrize("value", ["1.5", "-0.1", float("nan"), "150 %"])
def test_bad_share(value):
    """Shares over 100 %, negative or NaN are errors naming the cell."""
    z = (Zuordnung("A", "Nord", value), *ZUORDNUNG[1:])
    with pytest.raises(ModellFehler) as exc:
        berechne(_eingabe(zuordnung=z))
    _assert_fehler(exc, "A / Nord", "Anteil")
    assert exc.value.pfad == ("zuordnung", 0, "anteil")
    assert f"gefunden {value})" in str(exc.value)  # as typed, no quotes


def test_duplicates():
    """Duplicate Sozialraum, Träger or matrix cell names are errors."""
    with pytest.raises(ModellFehler) as exc:
        berechne(_eingabe(sozialraeume=(Sozialraum("Nord", "0.6"), Sozialraum("Nord", "0.4"))))
    _assert_fehler(exc, "Nord", "Sozialraum")
    with pytest.raises(ModellFehler) as exc:
        berechne(_eingabe(traeger=(Traeger("A"), Traeger("A"), Traeger("C"))))
    _assert_fehler(exc, "A", "Träger")
    with pytest.raises(ModellFehler) as exc:
        berechne(_eingabe(zuordnung=(*ZUORDNUNG, Zuordnung("A", "Nord", "0"))))
    _assert_fehler(exc, "A", "Sozialraum")
    assert "doppelt zugeordnet" in str(exc.value)


def test_empty_lists():
    """Empty Sozialräume, Träger or matrix are errors."""
    for changes, item, field in (
        ({"sozialraeume": ()}, "Sozialräume", "Sozialraum"),
        ({"traeger": ()}, "Trägerverbund", "Träger"),
        ({"zuordnung": ()}, "Zuordnung", "Anteil"),
    ):
        with pytest.raises(ModellFehler) as exc:
            berechne(_eingabe(**changes))
        _assert_fehler(exc, item, field)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"zuordnung": ("A", "Nord", "1")}, "Zuordnung"),
        ({"sozialraeume": "Nord"}, "Sozialräume"),
        ({"traeger": ({"name": "A"},)}, "Träger"),
        ({"zuordnung": (Zuordnung("A", "Nord", None), *ZUORDNUNG[1:])}, "Anteil"),
        ({"sozialraeume": (Sozialraum("Nord", "0.6", daten=[1]), Sozialraum("Süd", "0.4"))}, "Daten"),
    ],
)
def test_junk_rows(changes, field):
    """Junk inside the input (wrong row types, missing values) is a Celle model error, never a crash."""
    with pytest.raises(ModellFehler) as exc:
        berechne(_eingabe(**changes))
    assert exc.value.model == "celle" and exc.value.field == field


def test_junk_call():
    """Junk instead of Eingabe or Parameter is a German model error."""
    with pytest.raises(ModellFehler):
        berechne(None)  # type: ignore[arg-type]
    with pytest.raises(ModellFehler):
        berechne(_eingabe(), "falsch")  # type: ignore[arg-type]


def test_budget_parts_not_100():
    """Budget parts 70 + 20 + 20 = 110 % → error on the parameters."""
    with pytest.raises(ModellFehler) as exc:
        berechne(_eingabe(), Parameter(anteil_tagesgruppe=D("0.20")))
    _assert_fehler(exc, "Parameter", "Budgetteile")


def test_bad_ist():
    """Negative Ist, an Ist for an unassigned pair, or the same pair twice are errors."""
    with pytest.raises(ModellFehler) as exc:
        berechne(_eingabe(ist=(IstAusgabe("A", "Nord", "-5"),)))
    _assert_fehler(exc, "A / Nord", "Ist")
    with pytest.raises(ModellFehler) as exc:
        berechne(_eingabe(ist=(IstAusgabe("A", "Süd", "5"),)))
    _assert_fehler(exc, "A", "Sozialraum")
    with pytest.raises(ModellFehler) as exc:
        berechne(_eingabe(ist=(IstAusgabe("A", "Nord", "5"), IstAusgabe("A", "Nord", "6"))))
    _assert_fehler(exc, "A", "Ist")


# ----------------------------------------------------------------------------- properties


@st.composite
def _inputs(draw):
    """Random valid inputs: 1–6 Sozialräume, 1–5 Träger, every Sozialraum with 1–4 Träger; all
    shares in basis points (largest remainder) so they sum to exactly 100 %."""
    n_sr = draw(st.integers(1, 6))
    n_tr = draw(st.integers(1, 5))
    srs = [f"SR{i}" for i in range(n_sr)]
    trs = [f"T{i}" for i in range(n_tr)]
    # small weights make equal shares (tie cents) frequent
    sr_w = draw(st.lists(st.integers(1, 3), min_size=n_sr, max_size=n_sr))
    sr_bp = allocate_cents(10000, sr_w)
    zuordnung = []
    for s in srs:
        members = draw(st.lists(st.sampled_from(trs), min_size=1, max_size=min(4, n_tr), unique=True))
        w = draw(st.lists(st.integers(1, 3), min_size=len(members), max_size=len(members)))
        for t, bp in zip(members, allocate_cents(10000, w)):
            zuordnung.append(Zuordnung(t, s, D(bp) / 10000))
    frame = D(draw(st.one_of(st.integers(0, 10**9), st.integers(0, 999)))) / 100
    return Eingabe(
        frame,
        tuple(Sozialraum(s, D(bp) / 10000) for s, bp in zip(srs, sr_bp)),
        tuple(Traeger(t) for t in trs),
        tuple(zuordnung),
    )


@settings(max_examples=60, deadline=None)
@given(e=_inputs())
def test_property_sums_and_signs(e):
    """Line items sum to the frame exactly, no amount is negative, the payment plan pays the total."""
    r = berechne(e)
    assert r.gesamt == D(e.vorjahresrechnungsergebnis).quantize(D("0.01"))
    assert sum((x.betrag for x in r.positionen), D(0)) == r.gesamt
    assert all(x.betrag > 0 for x in r.positionen)
    assert sum((x.betrag for x in r.zahlungsplan), D(0)) == r.gesamt
    for s in e.sozialraeume:
        assert r.summe(sozialraum=s.name) == next(
            row["Budget"] for row in r.tabellen["Sozialraumbudgets"] if row["Sozialraum"] == s.name
        )


@settings(max_examples=60, deadline=None)
@given(e=_inputs(), data=st.data())
def test_property_permutation(e, data):
    """Permuting Sozialräume, Träger and matrix rows changes nothing but the order."""
    perm = dataclasses.replace(
        e,
        sozialraeume=tuple(data.draw(st.permutations(e.sozialraeume))),
        traeger=tuple(data.draw(st.permutations(e.traeger))),
        zuordnung=tuple(data.draw(st.permutations(e.zuordnung))),
    )
    a, b = berechne(e), berechne(perm)

    def per_cell(r):
        return {(x.traeger, x.sozialraum, x.position): x.betrag for x in r.positionen}

    assert per_cell(a) == per_cell(b)
    assert a.gesamt == b.gesamt


# ----------------------------------------------------------------------------- declaration (issue 10)


def _texte(r, art):
    from sozbudget_xl.vertragstexte import texte

    return [t["text"] for t in texte(r, art)]


def test_result_carries_the_parameters_used():
    """The result keeps the parameters it was computed with (defaults when None) and the input."""
    e = _eingabe()
    r = berechne(e)
    assert r.parameter == Parameter() and r.eingabe == e
    p = Parameter(festschreibung_jahre=3)
    assert berechne(e, p).parameter is p


def test_rule_text_follows_fixation_years_and_payment():
    """The rule text shows the fixation term, the Träger range and the payment rhythm of the
    parameters: „zwei Jahre“ and „zur Quartalsmitte (15. Februar …)“ by default, „drei Jahre“ and
    „monatlich“ when changed."""
    regel = _texte(berechne(_eingabe()), "regel")[0]
    assert "für zwei Jahre konstant" in regel and "zwei bis vier Träger" in regel
    assert "zur Quartalsmitte (15. Februar, 15. Mai, 15. August und 15. November) ausgezahlt" in regel
    p = Parameter(
        festschreibung_jahre=3, zahlungsweise="monatlich", werktag=True, max_traeger_je_sozialraum=5
    )
    regel = _texte(berechne(_eingabe(), p), "regel")[0]
    assert "für drei Jahre konstant" in regel and "zwei bis fünf Träger" in regel
    assert "monatlich ausgezahlt; fällt ein Zahltag" in regel and "15. Februar" not in regel
    einjahr = _texte(berechne(_eingabe(), Parameter(festschreibung_jahre=1)), "regel")[0]
    assert "für ein Jahr konstant" in einjahr
    ohne = _texte(berechne(_eingabe(), Parameter(festschreibung_jahre=0)), "regel")[0]
    assert "nicht festgeschrieben" in ohne


def test_budget_part_text_follows_parameters_and_is_a_proposal():
    """The split 70/20/10 % is not in the report: its text is a proposal and shows the parameters."""
    from sozbudget_xl.vertragstexte import texte

    p = Parameter(anteil_ambulant=D("0.6"), anteil_fallunspezifisch=D("0.25"), anteil_tagesgruppe=D("0.15"))
    teile = texte(berechne(_eingabe(), p), "regel")[1]
    assert teile["vorschlag"] and "(60,0\xa0%)" in teile["text"] and "(15,0\xa0%)" in teile["text"]


def test_reserve_and_revision_texts():
    """The reserve text follows ruecklage_saldiert; the revision text names the fixation period of the
    result and the committee's decision on competition (report §5.5)."""
    r = berechne(_eingabe(festgeschrieben=ZUORDNUNG, festschreibung_seit=2025))
    assert "für den Verbund insgesamt" in _texte(r, "ruecklage")[1]
    brutto = berechne(_eingabe(), Parameter(ruecklage_saldiert=False))
    assert "je Träger und Sozialraum" in _texte(brutto, "ruecklage")[1]
    revision = _texte(r, "revision")[0]
    assert "von 2025 bis 2026 festgeschrieben" in revision and "Wettbewerb" in revision


def test_texts_from_the_report_name_their_section():
    """Texts from the report cite „Gutachten, Abschnitt 5.5“; the others are proposals without source."""
    d = celle.DEKLARATION
    for t in d.vertragstexte:
        assert t.vorschlag != (t.quelle == "Gutachten, Abschnitt 5.5"), t.text[:40]
        assert "§" not in t.quelle
    assert d.lesart


def test_units_of_every_output_in_all_branches():
    """With indicator option, Festschreibung and actual spending every output has its declared unit."""
    from sozbudget_xl.einheiten import Einheit

    e = _eingabe(
        zuordnung=NEU, festgeschrieben=ZUORDNUNG, festschreibung_seit=2025, ist=IST_ALLE[:1] + IST_ALLE[2:]
    )
    r = berechne(e, Parameter(festschreibung_aufheben=True, indikator_anpassung=True, uebergang_jahre=2))
    assert set(r.tabellen) == {
        "Sozialraumbudgets",
        "Zuordnung",
        "Trägerbudgets",
        "Festschreibung",
        "Übergang",
        "Rücklage",
    }
    assert r.einheiten["Budgetrahmen"] is Einheit.EURO
    assert r.einheiten["Anzahl Träger"] is Einheit.ANZAHL
    assert r.einheiten["Festschreibung seit"] is Einheit.JAHR
    assert r.einheiten["Rücklage Trägerverbund (zweckgebunden)"] is Einheit.EURO
    assert r.spalten_einheiten["Festschreibung"]["Differenz"] is Einheit.ANTEIL
    assert r.spalten_einheiten["Sozialraumbudgets"]["Ziel (Indikatorschlüssel)"] is Einheit.EURO
    assert r.spalten_einheiten["Trägerbudgets"]["Sozialräume"] is Einheit.ANZAHL
    assert r.spalten_einheiten["Übergang"]["Veränderung"] is Einheit.EURO
    assert celle.DEKLARATION.feld("festschreibung_seit").einheit is Einheit.JAHR


def test_index_choices_have_german_words():
    """Index method and key show German words; the keys are exactly those the indicator module knows."""
    from sozbudget_xl.indicators import METHODEN, SCHLUESSEL
    from sozbudget_xl.parsing import konvertiere

    d = celle.DEKLARATION
    methode, schluessel = d.feld("index_methode"), d.feld("index_schluessel")
    assert methode.schluessel() == METHODEN and schluessel.schluessel() == SCHLUESSEL
    assert methode.anzeige_von("spw") == "Standardpunktwert (SPW)"
    assert schluessel.anzeige_von("jew") == "Jugendeinwohnerwert"
    for f in (methode, schluessel):
        assert len(set(f.anzeigewerte())) == len(f.anzeigewerte())
        assert not any(re.search(rf"\b{k}\b", f.hilfe) for k in f.schluessel()), f.hilfe
    assert konvertiere("text", "Kopfzahl", auswahl=schluessel.auswahl) == "kopf"


def _pfad(e, p=None):
    with pytest.raises(ModellFehler) as exc:
        berechne(e, p)
    return exc.value.pfad


def test_errors_carry_their_input_location():
    """Errors the model raises itself point at the input: parameter, Eingabe field or table row/column."""
    assert _pfad(_eingabe(), Parameter(anteil_tagesgruppe=D("0.2"))) == ("parameter", "anteil_ambulant")
    assert _pfad(_eingabe(), Parameter(festschreibung_jahre=-1)) == ("parameter", "festschreibung_jahre")
    p = Parameter(indikator_anpassung=True, kappung=D("0.05"), fonds=D("0.1"))
    assert _pfad(_eingabe(), p) == ("parameter", "fonds")
    p = Parameter(indikator_anpassung=True, uebergang_jahre=2, uebergang_schritt=3)
    assert _pfad(_eingabe(), p) == ("parameter", "uebergang_schritt")
    dup = _eingabe(sozialraeume=(Sozialraum("Nord", "0.6"), Sozialraum("Nord", "0.4")))
    assert _pfad(dup) == ("sozialraeume", 1, "name")
    summe = _eingabe(sozialraeume=(Sozialraum("Nord", "0.6"), Sozialraum("Süd", "0.3")))
    assert _pfad(summe) == ("eingabe", "sozialraeume")
    assert _pfad(_eingabe(traeger=(Traeger("A"), Traeger("A")))) == ("traeger", 1, "name")
    assert _pfad(_eingabe(zuordnung=(*ZUORDNUNG, Zuordnung("C", "Ost", "1")))) == (
        "zuordnung",
        4,
        "sozialraum",
    )
    assert _pfad(_eingabe(zuordnung=(*ZUORDNUNG[:3], Zuordnung("X", "Süd", "0.75")))) == (
        "zuordnung",
        3,
        "traeger",
    )
    z = (*ZUORDNUNG[:3], Zuordnung("C", "Süd", "0.70"))
    assert _pfad(_eingabe(zuordnung=z)) == ("zuordnung", 2, "anteil")
    assert _pfad(_eingabe(festgeschrieben=ZUORDNUNG)) == ("eingabe", "festschreibung_seit")
    e = _eingabe(zuordnung=NEU, festgeschrieben=ZUORDNUNG, festschreibung_seit=2025)
    assert _pfad(e) == ("zuordnung", 0, "anteil")
    doppelt = (IstAusgabe("A", "Nord", "5"), IstAusgabe("A", "Nord", "6"))
    assert _pfad(_eingabe(ist=doppelt)) == ("ist", 1, "ist")
    assert _pfad(_eingabe(ist=(IstAusgabe("A", "Süd", "5"),))) == ("ist", 0, "sozialraum")
    daten = _eingabe(sozialraeume=(Sozialraum("Nord", "0.6", daten=[1]), Sozialraum("Süd", "0.4")))
    assert _pfad(daten) == ("sozialraeume", 0, "daten")


def test_functions_stay_small():
    """No function of the module is longer than 100 lines (berechne is split into its budget parts)."""
    import ast
    import inspect

    baum = ast.parse(inspect.getsource(celle))
    laengen = {n.name: n.end_lineno - n.lineno + 1 for n in ast.walk(baum) if isinstance(n, ast.FunctionDef)}
    assert max(laengen.values()) <= 100, laengen


# ----------------------------------------------------------------------------- issue 11: readings of §5.5


def _fest(**changes) -> Eingabe:
    """The test input with its matrix fixed since 2025 (term 2025–2026 with the default two years)."""
    return _eingabe(**{"festgeschrieben": ZUORDNUNG, "festschreibung_seit": 2025, **changes})


def test_fixed_shares_win_over_indicator_adjustment_by_default():
    """§5.5 „Um in die Modellphase nicht zusätzliche Brisanz hinein zu bringen, bleiben für zwei
    Jahre die Budgetanteile konstant“: within the term 2025–2026 the adjustment toward the 50/50
    indicator key is suspended in 2026 — Nord stays 60 % × 100.000 = 60.000,00 €, A keeps
    50 % × 60.000 = 30.000,00 € (30 % of the frame), a Hinweis names the term and 2027."""
    r = berechne(_fest(), Parameter(indikator_anpassung=True, uebergang_jahre=2))
    assert r.summe(sozialraum="Nord") == D("60000.00") and _pair(r, "A", "Nord") == D("30000.00")
    assert r.kennzahlen["Indikatoranpassung"] == "ausgesetzt (Festschreibung)"
    hinweis = next(w for w in r.warnungen if w.code == "anpassung_ausgesetzt")
    assert "2025 bis 2026" in hinweis.text and "ab 2027" in hinweis.text
    assert "Übergang" not in r.tabellen


def test_adjustment_wins_option_moves_sozialraum_budgets_in_the_term():
    """Option „Anpassung geht vor“: year 1 of 2 moves Nord to 0,6 + (0,5 − 0,6)/2 = 55 % → 55.000,00 €,
    so A's budget falls to 50 % × 55.000 = 27.500,00 € although its matrix share stays 50 %."""
    r = berechne(_fest(), Parameter(indikator_anpassung=True, uebergang_jahre=2, vorrang="anpassung"))
    assert r.summe(sozialraum="Nord") == D("55000.00") and _pair(r, "A", "Nord") == D("27500.00")
    assert r.kennzahlen["Indikatoranpassung"] == "ja" and "anpassung_ausgesetzt" not in _codes(r)


def test_adjustment_applies_after_the_term_and_in_its_first_year():
    """After the term (2027 > 2026) and in the year the shares are agreed (seit = Haushaltsjahr) the
    adjustment applies: Nord 55.000,00 € in both cases."""
    nach = berechne(_fest(), Parameter(jahr=2027, indikator_anpassung=True, uebergang_jahre=2))
    erstes = berechne(
        _fest(festschreibung_seit=2026), Parameter(jahr=2026, indikator_anpassung=True, uebergang_jahre=2)
    )
    for r in (nach, erstes):
        assert r.summe(sozialraum="Nord") == D("55000.00")
        assert "anpassung_ausgesetzt" not in _codes(r)


def test_vorrang_text_follows_the_parameter():
    """The revision text states which reading holds; an unknown choice is an error on its cell."""
    from sozbudget_xl.vertragstexte import texte

    r = berechne(_eingabe())
    fest = " ".join(t["text"] for t in texte(r, "revision"))
    r2 = dataclasses.replace(r, parameter=Parameter(vorrang="anpassung"))
    anp = " ".join(t["text"] for t in texte(r2, "revision"))
    assert "ruht eine Anpassung an Sozialraumindikatoren" in fest
    assert "auch während der Festschreibung" in anp
    with pytest.raises(ModellFehler) as exc:
        berechne(_eingabe(), Parameter(vorrang="beides"))
    assert exc.value.pfad == ("parameter", "vorrang")


def test_stationary_help_option():
    """§5.5 „die Absicht, den stationären Hilfebereich mit einzubeziehen“: with parts 50/20/10/20 %
    A/Nord's 30.000 € split into 15.000 / 6.000 / 3.000 / 6.000 €; the frame's stationary part is
    20 % × 100.000 = 20.000,00 €. By default (0 %) no stationary column or Kennzahl appears."""
    p = Parameter(
        anteil_ambulant=D("0.5"),
        anteil_fallunspezifisch=D("0.2"),
        anteil_tagesgruppe=D("0.1"),
        anteil_stationaer=D("0.2"),
    )
    r = berechne(_eingabe(), p)
    a_nord = [x.betrag for x in r.positionen if x.traeger == "A" and x.sozialraum == "Nord"]
    assert a_nord == [D("15000.00"), D("6000.00"), D("3000.00"), D("6000.00")]
    assert r.kennzahlen["Stationäre Hilfen zur Erziehung"] == D("20000.00") and r.gesamt == D("100000.00")
    standard = berechne(_eingabe())
    assert "Stationäre Hilfen zur Erziehung" not in standard.kennzahlen
    assert all("Stationäre Hilfen zur Erziehung" not in z for z in standard.tabellen["Zuordnung"])
    with pytest.raises(ModellFehler):  # 70 + 20 + 10 + 20 = 120 %
        berechne(_eingabe(), Parameter(anteil_stationaer=D("0.2")))


def test_practice_figures_are_marked_as_not_from_the_report():
    """The 70/20/10 split is not in §5.5: help texts, the reading and the budget-part text say so."""
    d = celle.DEKLARATION
    for feld in ("anteil_ambulant", "anteil_fallunspezifisch", "anteil_tagesgruppe"):
        assert "Praxiszahl aus Celle, nicht aus dem Gutachten" in d.feld(feld).hilfe
    assert "Praxiszahlen, nicht aus dem Gutachten" in d.lesart
    assert all(t.vorschlag for t in d.vertragstexte if "anteil_ambulant" in t.text)


def test_thirds_typed_as_formulas_make_100_percent():
    """Issue 14: shares entered as =1/3 three times (0,333…3 as floats, sum 0,999…9) are 100 %:
    100.000 € → 33.333,34 / 33.333,33 / 33.333,33 € (largest remainder, name order for the tie)."""
    drittel = 1 / 3
    e = _eingabe(
        sozialraeume=(Sozialraum("Nord", drittel), Sozialraum("Ost", drittel), Sozialraum("Süd", drittel)),
        zuordnung=(
            Zuordnung("A", "Nord", 1),
            Zuordnung("B", "Ost", 1),
            Zuordnung("B", "Süd", drittel),
            Zuordnung("C", "Süd", drittel),
            Zuordnung("A", "Süd", drittel),
        ),
    )
    r = berechne(e, Parameter(min_traeger_je_sozialraum=1))
    assert [r.summe(sozialraum=s) for s in ("Nord", "Ost", "Süd")] == [
        D("33333.34"),
        D("33333.33"),
        D("33333.33"),
    ]
    assert r.gesamt == D("100000.00")
