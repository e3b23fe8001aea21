"""Landkreis Tübingen model (Gutachten §5.4, Spezifikation §3.5): worked examples, bad input, properties."""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sozbudget_xl.einheiten import Einheit
from sozbudget_xl.errors import ModellFehler
from sozbudget_xl.models import modell
from sozbudget_xl.models.base import Art
from sozbudget_xl.models.tuebingen import (
    DEKLARATION,
    NAME,
    Eingabe,
    Einzelhilfe,
    Jugendhilfestation,
    Parameter,
    beispiel,
    berechne,
)
from sozbudget_xl.vertragstexte import texte

STATIONEN = (
    Jugendhilfestation("Nord", "Evangelische Jugendhilfe", "0.5"),
    Jugendhilfestation("Mitte", "Caritas", "0.3"),
    Jugendhilfestation("Süd", "Jugendhilfeverbund", "0.2"),
)


def _eingabe(**kw) -> Eingabe:
    base = {"stationen": STATIONEN}
    base.update(kw)
    return Eingabe(**base)


def _fehler(eingabe, parameter=None) -> ModellFehler:
    with pytest.raises(ModellFehler) as info:
        berechne(eingabe, parameter)
    assert info.value.model == NAME
    assert "tuebingen" in str(info.value)
    return info.value


# --------------------------------------------------------------------------- contract


def test_registry_liefert_modul():
    """The registry names „tuebingen“, „tübingen“ and „landkreis tübingen“ resolve to this module."""
    assert modell("Landkreis Tübingen").NAME == modell("tübingen").NAME == "tuebingen"
    assert modell("tuebingen").QUELLE.startswith("Gutachten, Abschnitt 5.4")


def test_beispiel_drei_stationen_drei_traeger():
    """The worked example: three stations with three Träger, B and C kept to the cent, one warning.

    B = 390.000 + 165.000 + 480.000 = 1.035.000 € (unconditional); C = 270.000 €, conditional
    „nach Absprache und Beauftragung“ (since issue 11 the default: the report says so; before,
    B + C = 1.305.000 € were unconditional); Rottenburg: other Träger 710,5 of 1.260,5 hours =
    56,4 % > 50 % → Hinweis.
    """
    e, p = beispiel()
    r = berechne(e, p)
    assert len({s.traeger for s in e.stationen}) == 3
    assert r.kennzahlen["Bereich B"] == D("1035000.00")
    assert r.summe(art="unbedingt") == D("1035000.00")
    assert r.summe(art="bedingt") == D("270000.00")
    assert D("60") <= p.fls_satz <= D("80")
    assert [w.code for w in r.warnungen] == ["fremdanteil_ueberschritten"]
    assert r.warnungen[0].sozialraum == "Jugendhilfestation Rottenburg"


# --------------------------------------------------------------------------- rule 1: Bereich A


def test_bereich_a_stunden_mal_einheitlichem_satz_offen():
    """Bereich A = hours × uniform rate, an open forecast item per station and Träger.

    Nord, own Träger: 100,5 h × 72,50 € = 7.286,25 € and 50 h × 72,50 € = 3.625,00 € → 10.911,25 €;
    Nord, Caritas: 20 h × 72,50 € = 1.450,00 €.
    """
    e = _eingabe(
        einzelhilfen=(
            Einzelhilfe("F1", "Nord", "Evangelische Jugendhilfe", "100.5"),
            Einzelhilfe("F2", "Nord", "Caritas", 20),
            Einzelhilfe("F3", "Nord", "Evangelische Jugendhilfe", 50),
        )
    )
    r = berechne(e, Parameter(fls_satz="72.50"))
    a = [(x.traeger, x.betrag) for x in r.positionen if x.art == Art.OFFEN]
    assert a == [("Evangelische Jugendhilfe", D("10911.25")), ("Caritas", D("1450.00"))]
    assert r.kennzahlen["Bereich A (Prognose)"] == D("12361.25")
    assert "150,5 Fachleistungsstunden × 72,50" in r.positionen[0].position
    assert r.zahlungsplan == ()  # A is open-ended, B/C are 0 here


def test_bereich_a_je_fall_gerundet():
    """Each case is rounded to the cent on its own: 2 × (0,01 h × 72,50 € = 0,725 → 0,73 €) = 1,46 €."""
    e = _eingabe(
        einzelhilfen=(Einzelhilfe("F1", "Nord", "X", "0.01"), Einzelhilfe("F2", "Nord", "X", "0.01"))
    )
    r = berechne(e, Parameter(fls_satz="72.50"))
    assert r.kennzahlen["Bereich A (Prognose)"] == D("1.46")
    assert [z["Prognose"] for z in r.tabellen["Bereich A Einzelfälle"]] == [D("0.73"), D("0.73")]


def test_fls_satz_standard_70_euro():
    """The default rate is 70 € per Fachleistungsstunde: 10 h → 700,00 €."""
    r = berechne(_eingabe(einzelhilfen=(Einzelhilfe("F1", "Süd", "Jugendhilfeverbund", 10),)))
    assert r.gesamt == D("700.00")


# --------------------------------------------------------------------------- rules 2–4: B and C


def test_b_und_c_nach_kostenanteilen_mit_groesstem_rest():
    """B1, B2, B3 and C are each split by caused-cost shares with the largest remainder method.

    B1 100.000 € → 50.000 / 30.000 / 20.000 €. B2 0,05 € = 5 ct: quotas 2,5 / 1,5 / 1,0 → floors
    2 / 1 / 1, the remaining cent goes to the larger weight among the tied remainders 0,5 (Nord)
    → 3 / 1 / 1 ct. B3 10 € → 5 / 3 / 2 €. C 1.000 € → 500 / 300 / 200 €.
    """
    r = berechne(_eingabe(bereich_b1="100000", bereich_b2="0.05", bereich_b3="10", bereich_c="1000"))
    rows = {z["Jugendhilfestation"]: z for z in r.tabellen["Verteilung Bereich B und C"]}
    assert [rows[s]["B1"] for s in ("Nord", "Mitte", "Süd")] == [D("50000.00"), D("30000.00"), D("20000.00")]
    assert [rows[s]["B2"] for s in ("Nord", "Mitte", "Süd")] == [D("0.03"), D("0.01"), D("0.01")]
    assert [rows[s]["Bereich B"] for s in ("Nord", "Mitte", "Süd")] == [
        D("50005.03"),
        D("30003.01"),
        D("20002.01"),
    ]
    assert [rows[s]["Bereich C"] for s in ("Nord", "Mitte", "Süd")] == [D("500.00"), D("300.00"), D("200.00")]
    assert r.kennzahlen["Bereich B"] == D("100010.05")
    assert r.gesamt == D("101010.05")
    assert r.summe(traeger="Caritas") == D("30303.01")


def test_b_und_c_gehen_an_den_stationstraeger():
    """All Pauschale items of a station go to its one Träger; with „Bereich C bedingt“ = nein all of
    them are unconditional (the default is bedingt since issue 11, see test_bericht_tuebingen)."""
    r = berechne(_eingabe(bereich_b1="1000", bereich_c="100"), Parameter(bereich_c_bedingt=False))
    pausch = [x for x in r.positionen if x.art != Art.OFFEN]
    assert {(x.sozialraum, x.traeger) for x in pausch} == {(s.name, s.traeger) for s in STATIONEN}
    assert all(x.art == Art.UNBEDINGT and x.bedingung == "" for x in pausch)
    assert len(pausch) == 6  # B2/B3 = 0 give no items


def test_option_bereich_c_bedingt():
    """Option: C only after agreement and commissioning (bedingt, not in the instalment plan)."""
    r = berechne(_eingabe(bereich_b1="1200", bereich_c="600"), Parameter(bereich_c_bedingt=True))
    c = [x for x in r.positionen if x.position.startswith("Bereich C")]
    assert all(x.art == Art.BEDINGT and "Beauftragung" in x.bedingung for x in c)
    assert sum(x.betrag for x in r.zahlungsplan) == D("1200.00")


def test_zahlungsplan_monatlich_fuer_pauschalen():
    """B and C are paid monthly to the station Träger: Nord 50 % of 12.000 € = 6.000 € → 500 € × 12."""
    r = berechne(_eingabe(bereich_b1="12000", einzelhilfen=(Einzelhilfe("F", "Nord", "X", 10),)))
    nord = [x.betrag for x in r.zahlungsplan if x.empfaenger == "Evangelische Jugendhilfe"]
    assert nord == [D("500.00")] * 12
    assert "X" not in {x.empfaenger for x in r.zahlungsplan}


def test_anteile_als_float_und_prozenttext():
    """Shares given as floats (0.45) or German percent text („35 %“) sum exactly to 100 %."""
    st_ = (
        Jugendhilfestation("A", "T1", 0.45),
        Jugendhilfestation("B", "T2", "35 %"),
        Jugendhilfestation("C", "T3", 0.2),
    )
    r = berechne(Eingabe(stationen=st_, bereich_b1="1000"))
    assert [x.betrag for x in r.positionen] == [D("450.00"), D("350.00"), D("200.00")]


# --------------------------------------------------------------------------- rule 5: exclusive Träger


def test_station_mit_zwei_traegern_ist_fehler():
    """A station listed with two Träger is an error (exclusive Trägerschaft) naming both."""
    st_ = (*STATIONEN, Jugendhilfestation("Nord", "AWO", "0"))
    err = _fehler(Eingabe(stationen=st_))
    assert err.item == "Nord" and err.field == "Träger"
    assert "zwei Träger" in str(err) and "AWO" in str(err)


def test_station_doppelt_mit_gleichem_traeger_ist_fehler():
    """The same station listed twice with the same Träger is a duplicate error."""
    err = _fehler(Eingabe(stationen=(*STATIONEN, Jugendhilfestation("Süd", "Jugendhilfeverbund", "0"))))
    assert err.item == "Süd" and "doppelt" in str(err)


# --------------------------------------------------------------------------- rule 6: other Träger


def test_anteil_anderer_traeger_genau_50_prozent_erlaubt():
    """Exactly 50 % of a station's hours at other Träger is allowed (no warning)."""
    e = _eingabe(
        einzelhilfen=(
            Einzelhilfe("F1", "Nord", "Evangelische Jugendhilfe", 100),
            Einzelhilfe("F2", "Nord", "Caritas", 60),
            Einzelhilfe("F3", "Nord", "AWO", 40),
        )
    )
    r = berechne(e)
    row = r.tabellen["Anteil anderer Träger (Bereich A)"][0]
    assert (row["Fachleistungsstunden gesamt"], row["davon andere Träger"], row["Anteil andere Träger"]) == (
        D("200"),
        D("100"),
        D("0.5000"),
    )
    assert row["Grenze überschritten"] == "nein"
    assert not r.warnungen


def test_anteil_anderer_traeger_ueber_grenze_warnt():
    """Above the limit it is a warning: 101 of 201 hours = 50,25 % > 50 %."""
    e = _eingabe(
        einzelhilfen=(
            Einzelhilfe("F1", "Mitte", "Caritas", 100),
            Einzelhilfe("F2", "Mitte", "Evangelische Jugendhilfe", 101),
        )
    )
    r = berechne(e)
    rows = {z["Jugendhilfestation"]: z for z in r.tabellen["Anteil anderer Träger (Bereich A)"]}
    assert rows["Mitte"]["Anteil andere Träger"] == D("0.5025")
    assert rows["Mitte"]["Grenze überschritten"] == "ja"
    assert rows["Nord"]["Anteil andere Träger"] is None
    assert [(w.code, w.sozialraum, w.traeger) for w in r.warnungen] == [
        ("fremdanteil_ueberschritten", "Mitte", "Caritas")
    ]


def test_grenze_ist_parameter():
    """With fremdanteil_max = 30 % a share of 37,5 % (30 of 80 hours) is a warning."""
    e = _eingabe(
        einzelhilfen=(Einzelhilfe("F1", "Süd", "Jugendhilfeverbund", 50), Einzelhilfe("F2", "Süd", "AWO", 30))
    )
    assert not berechne(e).warnungen
    r = berechne(e, Parameter(fremdanteil_max="30 %"))
    assert [w.code for w in r.warnungen] == ["fremdanteil_ueberschritten"]
    assert r.kennzahlen["Anteil andere Träger gesamt"] == D("0.3750")


# --------------------------------------------------------------------------- bad input


def test_anteile_nicht_100_prozent():
    """Shares that do not sum exactly to 100 % are an error with the sum found."""
    st_ = (Jugendhilfestation("A", "T1", "0.5"), Jugendhilfestation("B", "T2", "0.4999"))
    err = _fehler(Eingabe(stationen=st_))
    assert err.field == "Kostenanteil" and err.expected == "100 %" and "99,99" in str(err)


@pytest.mark.parametrize(
    ("stationen", "item", "field"),
    [
        ((), None, "Jugendhilfestationen"),
        ((Jugendhilfestation("A", "T", "1.2"), Jugendhilfestation("B", "T", "-0.2")), "A", "Kostenanteil"),
        ((Jugendhilfestation("A", "T", "120 %"),), "A", "Kostenanteil"),
        ((Jugendhilfestation("A", "T", float("nan")),), "A", "Kostenanteil"),
        ((Jugendhilfestation("A", "", "1"),), "A", "Träger"),
        ((Jugendhilfestation("", "T", "1"),), "", "Jugendhilfestation"),
    ],
)
def test_ungueltige_stationen(stationen, item, field):
    """Empty lists, shares over 100 % or negative, NaN and missing names are errors naming the field."""
    err = _fehler(Eingabe(stationen=stationen))
    assert err.item == item and err.field == field


@pytest.mark.parametrize(
    ("hilfe", "item", "field"),
    [
        (Einzelhilfe("F1", "Ost", "Caritas", 10), "F1", "Jugendhilfestation"),
        (Einzelhilfe("F1", "Nord", "Caritas", 0), "F1", "Fachleistungsstunden"),
        (Einzelhilfe("F1", "Nord", "Caritas", -3), "F1", "Fachleistungsstunden"),
        (Einzelhilfe("F1", "Nord", "Caritas", float("nan")), "F1", "Fachleistungsstunden"),
        (Einzelhilfe("F1", "Nord", None, 3), "F1", "Träger"),
    ],
)
def test_ungueltige_einzelhilfen(hilfe, item, field):
    """Unknown station, a case without cost (0 hours), negative or NaN hours: errors naming case and field."""
    err = _fehler(_eingabe(einzelhilfen=(hilfe,)))
    assert err.item == item and err.field == field
    assert field in str(err)


def test_fall_ohne_kosten_und_doppelter_fall():
    """A case with 0 hours is „ohne Kosten“; a case id used twice is a duplicate error."""
    assert "ohne Kosten" in str(_fehler(_eingabe(einzelhilfen=(Einzelhilfe("F1", "Nord", "X", 0),))))
    err = _fehler(
        _eingabe(einzelhilfen=(Einzelhilfe("F1", "Nord", "X", 1), Einzelhilfe("F1", "Süd", "Y", 1)))
    )
    assert err.item == "F1" and err.field == "Fall"


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"bereich_b1": "-1"}, "Bereich B1"),
        ({"bereich_c": float("nan")}, "Bereich C"),
        ({"bereich_b3": None}, "Bereich B3"),
    ],
)
def test_ungueltige_pauschalen(kw, field):
    """Negative, NaN or missing Pauschale amounts are errors naming the Bereich."""
    err = _fehler(_eingabe(**kw))
    assert err.field == field and err.item == field


@pytest.mark.parametrize(
    ("parameter", "field"),
    [
        (Parameter(fls_satz=0), "Fachleistungsstundensatz"),
        (Parameter(fls_satz="-70"), "Fachleistungsstundensatz"),
        (Parameter(fremdanteil_max="1.5"), "Höchstanteil anderer Träger"),
        (Parameter(bereich_c_bedingt="ja"), "Bereich C bedingt"),
        (Parameter(zahlungsweise="x"), "Zahlungsweise"),
    ],
)
def test_ungueltige_parameter(parameter, field):
    """Invalid parameters (rate 0 or negative, limit over 100 %, …) are errors naming the field."""
    assert _fehler(_eingabe(), parameter).field == field


# --------------------------------------------------------------------------- properties


@st.composite
def _zufall(draw):
    n = draw(st.integers(1, 6))
    # distinct positive shares in basis points summing to exactly 10.000 (100 %)
    cuts = sorted(draw(st.sets(st.integers(1, 9999), min_size=n - 1, max_size=n - 1)))
    bp = [b - a for a, b in zip([0, *cuts], [*cuts, 10000])]
    assume(len(set(bp)) == n)
    stationen = [Jugendhilfestation(f"Station {i}", f"Träger {i}", D(x) / 10000) for i, x in enumerate(bp)]
    traeger = [f"Träger {i}" for i in range(n)] + ["AWO", "DRK"]
    faelle = [
        Einzelhilfe(
            f"Fall {j}",
            f"Station {draw(st.integers(0, n - 1))}",
            draw(st.sampled_from(traeger)),
            D(draw(st.integers(1, 100_000))) / 100,
        )
        for j in range(draw(st.integers(0, 10)))
    ]
    betraege = [D(draw(st.integers(0, 100_000_000))) / 100 for _ in range(4)]
    satz = D(draw(st.integers(6000, 8000))) / 100
    return stationen, faelle, betraege, satz


def _bau(stationen, faelle, betraege) -> Eingabe:
    b1, b2, b3, c = betraege
    return Eingabe(
        stationen=tuple(stationen),
        einzelhilfen=tuple(faelle),
        bereich_b1=b1,
        bereich_b2=b2,
        bereich_b3=b3,
        bereich_c=c,
    )


@settings(max_examples=60, deadline=None)
@given(daten=_zufall())
def test_eigenschaft_summe_und_keine_negativen(daten):
    """For random valid input the items sum to the total, each Bereich is kept, nothing is negative."""
    stationen, faelle, betraege, satz = daten
    r = berechne(_bau(stationen, faelle, betraege), Parameter(fls_satz=satz))
    assert sum((x.betrag for x in r.positionen), D(0)) == r.gesamt
    assert all(x.betrag >= 0 for x in r.positionen)
    rows = r.tabellen["Verteilung Bereich B und C"]
    for key, total in zip(("B1", "B2", "B3", "Bereich C"), betraege):
        assert sum((z[key] for z in rows), D(0)) == total
        # each part within one cent of its exact quota
        for z in rows:
            assert abs(z[key] - total * z["Kostenanteil"]) < D("0.01")
    cent = D("0.01")
    erwartet = sum(((f.fachleistungsstunden * satz).quantize(cent, ROUND_HALF_UP) for f in faelle), D(0))
    assert r.summe(art="offen") == erwartet


@settings(max_examples=60, deadline=None)
@given(daten=_zufall(), data=st.data())
def test_eigenschaft_reihenfolge_egal(daten, data):
    """Permuting stations and cases changes only the order of the items (per station/Träger totals equal)."""
    stationen, faelle, betraege, satz = daten
    p = Parameter(fls_satz=satz)
    a = berechne(_bau(stationen, faelle, betraege), p)
    b = berechne(_bau(data.draw(st.permutations(stationen)), data.draw(st.permutations(faelle)), betraege), p)

    def je_name(r):
        out: dict = {}
        for x in r.positionen:
            key = (x.traeger, x.sozialraum, x.art)
            out[key] = out.get(key, D(0)) + x.betrag
        return out

    assert je_name(a) == je_name(b)
    fa = {
        z["Jugendhilfestation"]: z["Anteil andere Träger"]
        for z in a.tabellen["Anteil anderer Träger (Bereich A)"]
    }
    fb = {
        z["Jugendhilfestation"]: z["Anteil andere Träger"]
        for z in b.tabellen["Anteil anderer Träger (Bereich A)"]
    }
    assert fa == fb


def test_falscher_typ_von_eingabe_oder_parameter():
    """Something else than an Eingabe or a Parameter is a ModellFehler naming the model."""
    _fehler(object())
    assert _fehler(_eingabe(), "falsch").field == "Parameter"


def test_remainder_cents_do_not_depend_on_station_order():
    """Two stations with equal cost shares: swapping their rows changes no station's amount
    (the odd cent of B and C goes by name, not by row order)."""
    import dataclasses

    from sozbudget_xl.models import tuebingen as t

    e, p = t.beispiel()
    a, b = e.stationen[0], e.stationen[1]
    gleich = (
        dataclasses.replace(a, kostenanteil=D("0.5")),
        dataclasses.replace(b, kostenanteil=D("0.5")),
    )
    einzel = tuple(h for h in e.einzelhilfen if h.station in (a.name, b.name))
    basis = dataclasses.replace(e, stationen=gleich, einzelhilfen=einzel, bereich_b1=D("1000.01"))
    gedreht = dataclasses.replace(basis, stationen=gleich[::-1])

    def je_station(r):
        return {(li.position, li.sozialraum): li.betrag for li in r.positionen}

    assert je_station(t.berechne(basis, p)) == je_station(t.berechne(gedreht, p))


# --------------------------------------------------------------------------- declaration


def test_einheiten_der_kennzahlen_und_spalten():
    """Money is Euro, hours are Stunden, shares are Anteil, names are Text in the example result."""
    r = berechne(*beispiel())
    assert r.einheiten["Fachleistungsstundensatz"] is Einheit.EURO
    assert r.einheiten["Fachleistungsstunden gesamt"] is Einheit.STUNDEN
    assert r.einheiten["Bereich A (Prognose)"] is Einheit.EURO
    assert r.einheiten["Anteil andere Träger gesamt"] is Einheit.ANTEIL
    fremd = r.spalten_einheiten["Anteil anderer Träger (Bereich A)"]
    assert fremd["davon andere Träger"] is Einheit.STUNDEN
    assert fremd["Anteil andere Träger"] is fremd["Höchstanteil"] is Einheit.ANTEIL
    assert fremd["Grenze überschritten"] is Einheit.TEXT
    verteilung = r.spalten_einheiten["Verteilung Bereich B und C"]
    assert verteilung["Kostenanteil"] is Einheit.ANTEIL and verteilung["Summe B und C"] is Einheit.EURO
    assert r.spalten_einheiten["Bereich A Einzelfälle"]["Prognose"] is Einheit.EURO


def test_ergebnis_traegt_parameter_und_eingabe():
    """The result carries the parameters it was computed with (defaults for None) and the input."""
    e = _eingabe(bereich_b1="100")
    assert berechne(e).parameter == Parameter()
    p = Parameter(fls_satz="65")
    r = berechne(e, p)
    assert r.parameter is p and r.eingabe is e


def _texte(r, art):
    return [t["text"] for t in texte(r, art)]


def test_vertragstext_zeigt_satz_und_bedingung_von_bereich_c():
    """The rule text shows the rate of the parameters and names the condition of C only with the option;
    it comes from the report (Abschnitt 5.4)."""
    e, p = beispiel()
    regel = _texte(berechne(e, dataclasses.replace(p, bereich_c_bedingt=False)), "regel")
    assert "72,50\xa0€ je Fachleistungsstunde" in regel[0] and "Beauftragung" not in regel[0]
    bedingt = _texte(berechne(e, Parameter(fls_satz="65", bereich_c_bedingt=True)), "regel")
    assert "65,00\xa0€ je Fachleistungsstunde" in bedingt[0]
    assert "nur nach Absprache und Beauftragung" in bedingt[0]
    assert texte(berechne(e, p), "regel")[0]["quelle"] == "Gutachten, Abschnitt 5.4"


def test_vertragstext_zeigt_zahlungsweise_und_pauschalen_im_abschlag():
    """The instalment text names the German word of the rhythm and, with C conditional, only B."""
    e = _eingabe(bereich_b1="1200", bereich_c="600")
    monatlich = _texte(berechne(e, Parameter(bereich_c_bedingt=False)), "regel")[1]
    assert "Pauschalen für Bereich B und C werden monatlich in Abschlägen" in monatlich
    mitte = _texte(berechne(e, Parameter(zahlungsweise="quartalsmitte", bereich_c_bedingt=True)), "regel")[1]
    assert "Pauschale für Bereich B wird zur Quartalsmitte in Abschlägen" in mitte


def test_vertragstext_zeigt_hoechstanteil_anderer_traeger():
    """The report obligation on other Träger shows fremdanteil_max (50,0 % by default, 30,0 % when set)."""
    e = _eingabe()
    assert any("über 50,0\xa0%" in t for t in _texte(berechne(e), "bericht"))
    berichte = _texte(berechne(e, Parameter(fremdanteil_max="0.3")), "bericht")
    assert any("über 30,0\xa0%" in t for t in berichte)


def test_deklaration_fachleistungsstunden_in_stunden_und_lesart():
    """The input column of hours is declared in Stunden; the declaration states its reading of the report."""
    einzel = next(t for t in DEKLARATION.tabellen if t.feld == "einzelhilfen")
    spalte = next(f for f in einzel.spalten if f.feld == "fachleistungsstunden")
    assert spalte.einheit is Einheit.STUNDEN
    assert "Bereich C" in DEKLARATION.lesart and "50 %" in DEKLARATION.lesart
    assert DEKLARATION.feld("zahlungsweise").anzeige_von("quartalsweise") == "vierteljährlich"


# --------------------------------------------------------------------------- error locations


@pytest.mark.parametrize(
    ("eingabe", "pfad"),
    [
        (Eingabe(stationen=()), ("eingabe", "stationen")),
        (
            Eingabe(stationen=(*STATIONEN, Jugendhilfestation("Nord", "AWO", "0"))),
            ("stationen", 3, "traeger"),
        ),
        (
            Eingabe(stationen=(*STATIONEN, Jugendhilfestation("Süd", "Jugendhilfeverbund", "0"))),
            ("stationen", 3, "name"),
        ),
        (Eingabe(stationen=STATIONEN[:2]), ("eingabe", "stationen")),
        (
            _eingabe(einzelhilfen=(Einzelhilfe("F1", "Nord", "X", 1), Einzelhilfe("F1", "Süd", "Y", 1))),
            ("einzelhilfen", 1, "fall"),
        ),
        (
            _eingabe(einzelhilfen=(Einzelhilfe("F1", "Nord", "X", 1), Einzelhilfe("F2", "Ost", "Y", 1))),
            ("einzelhilfen", 1, "station"),
        ),
        (
            _eingabe(einzelhilfen=(Einzelhilfe("F1", "Nord", "X", 0),)),
            ("einzelhilfen", 0, "fachleistungsstunden"),
        ),
    ],
)
def test_fehler_nennen_zeile_und_feld_der_eingabe(eingabe, pfad):
    """Errors the model raises itself carry the structured location (table field, 0-based row, column)."""
    assert _fehler(eingabe).pfad == pfad


@pytest.mark.parametrize(
    ("parameter", "pfad"),
    [
        (Parameter(fls_satz=0), ("parameter", "fls_satz")),
        (Parameter(bereich_c_bedingt="ja"), ("parameter", "bereich_c_bedingt")),
    ],
)
def test_fehler_nennen_den_parameter(parameter, pfad):
    """A rate of 0 € and a non-boolean option point to their Parameter field."""
    assert _fehler(_eingabe(), parameter).pfad == pfad
