"""Tests for sozbudget_xl.controlling (domain spec §5: Soll/Ist)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sozbudget_xl.controlling import ControllingErgebnis, Fallsoll, IstZeile, soll_ist
from sozbudget_xl.errors import EingabeFehler
from sozbudget_xl.models.base import Art, LineItem, ModelResult


def _ergebnis() -> ModelResult:
    """A/Nord 600 + 100 (bedingt), B/Nord 300, B/Süd 200 → total 1.200,00 €."""
    items = (
        LineItem("Sockel", D("600.00"), Art.UNBEDINGT, "A", "Nord"),
        LineItem("Berichtswesen", D("100.00"), Art.BEDINGT, "A", "Nord", bedingung="Bericht"),
        LineItem("Sockel", D("300.00"), Art.UNBEDINGT, "B", "Nord"),
        LineItem("Sockel", D("200.00"), Art.UNBEDINGT, "B", "Süd"),
    )
    return ModelResult("test", "Test", 2026, items, D("1200.00"))


IST = (
    IstZeile("A", "Nord", "650.00"),
    IstZeile("B", "Nord", "320.00"),
    IstZeile("B", "Süd", "150.00"),
)


def _row(c: ControllingErgebnis, traeger: str | None, sozialraum: str | None):
    return next(r for r in c.zeilen if r["Träger"] == traeger and r["Sozialraum"] == sozialraum)


def _codes(c: ControllingErgebnis) -> list[str]:
    return [w.code for w in c.warnungen]


# ----------------------------------------------------------------------------- worked examples


def test_soll_ist_worked_example():
    """Soll/Ist per Träger × Sozialraum.

    A/Nord: Soll 600 + 100 = 700, Ist 650 → Abweichung 50, Ausschöpfung 650/700 = 0,928571… → 0,9286,
    Rücklage 50. B/Nord: 300 vs 320 → −20, 320/300 = 1,0667, Überschreitung 20. B/Süd: 200 vs 150 →
    50, 0,75, Rücklage 50. Totals: Soll 1.200, Ist 1.120, Abweichung 80, Rücklage 100, Überschreitung 20.
    """
    c = soll_ist(_ergebnis(), IST)
    a = _row(c, "A", "Nord")
    assert (a["Soll"], a["Ist"], a["Abweichung"], a["Ausschöpfung"]) == (
        D("700.00"),
        D("650.00"),
        D("50.00"),
        D("0.9286"),
    )
    assert (a["Rücklage"], a["Überschreitung"]) == (D("50.00"), D("0.00"))
    b = _row(c, "B", "Nord")
    assert (b["Abweichung"], b["Ausschöpfung"], b["Rücklage"], b["Überschreitung"]) == (
        D("-20.00"),
        D("1.0667"),
        D("0.00"),
        D("20.00"),
    )
    s = _row(c, "B", "Süd")
    assert (s["Abweichung"], s["Ausschöpfung"], s["Rücklage"]) == (D("50.00"), D("0.7500"), D("50.00"))
    assert dict(c.summen) == {
        "Soll": D("1200.00"),
        "Ist": D("1120.00"),
        "Abweichung": D("80.00"),
        "Ausschöpfung": D("0.9333"),
        "Rücklage": D("100.00"),
        "Überschreitung": D("20.00"),
    }
    assert c.ruecklage == D("100.00")
    assert c.kennzahlen["Rücklagenbildung"] == D("100.00")


def test_aggregates_by_traeger_and_sozialraum():
    """Per Träger: A 700/650, B 500/470 (Rücklage 50, Überschreitung 20); per Sozialraum: Nord 1.000/970."""
    c = soll_ist(_ergebnis(), IST)
    by_t = {r["Träger"]: r for r in c.nach_traeger}
    assert (by_t["B"]["Soll"], by_t["B"]["Ist"], by_t["B"]["Abweichung"]) == (
        D("500.00"),
        D("470.00"),
        D("30.00"),
    )
    assert (by_t["B"]["Rücklage"], by_t["B"]["Überschreitung"]) == (D("50.00"), D("20.00"))
    by_s = {r["Sozialraum"]: r for r in c.nach_sozialraum}
    assert (by_s["Nord"]["Soll"], by_s["Nord"]["Ist"]) == (D("1000.00"), D("970.00"))
    assert set(c.tabellen) == {"Soll-Ist", "Soll-Ist nach Träger", "Soll-Ist nach Sozialraum"}


def test_soft_cap_reports_overrun():
    """A soft cap (München) reports the 20 € overrun of B/Nord as a warning of its own code."""
    c = soll_ist(_ergebnis(), IST, deckel="weich")
    assert _codes(c) == ["deckel_weich_ueberschritten"]
    w = c.warnungen[0]
    assert (w.traeger, w.sozialraum) == ("B", "Nord")
    assert "20,00" in w.text and "berichtet" in w.text


def test_hard_cap_overrun_must_be_covered():
    """A hard cap (Neunkirchen) gives a different code and says the overrun must be covered or justified."""
    c = soll_ist(_ergebnis(), IST, deckel="hart")
    assert _codes(c) == ["deckel_hart_ueberschritten"]
    assert "gedeckt" in c.warnungen[0].text and "begründet" in c.warnungen[0].text


def test_no_cap_no_cap_warning():
    """Without a cap an overrun is only in the table (Überschreitung), not a cap warning."""
    c = soll_ist(_ergebnis(), IST, deckel=None)
    assert _codes(c) == []
    assert c.summen["Überschreitung"] == D("20.00")


def test_cap_level_traeger():
    """At Träger level B (Soll 500) is within budget with Ist 470 but over with Ist 570 (overrun 70)."""
    assert _codes(soll_ist(_ergebnis(), IST, deckel="hart", deckel_ebene="traeger")) == []
    ist = (IstZeile("A", "Nord", "650"), IstZeile("B", "Nord", "420"), IstZeile("B", "Süd", "150"))
    c = soll_ist(_ergebnis(), ist, deckel="hart", deckel_ebene="traeger")
    assert _codes(c) == ["deckel_hart_ueberschritten"]
    assert c.warnungen[0].traeger == "B" and c.warnungen[0].sozialraum is None
    assert "70,00" in c.warnungen[0].text


def test_cap_level_sozialraum_and_total():
    """Nord: Soll 1.000, Ist 650 + 420 = 1.070 → over by 70; total 1.200 vs 1.220 → over by 20."""
    ist = (IstZeile("A", "Nord", "650"), IstZeile("B", "Nord", "420"), IstZeile("B", "Süd", "150"))
    c = soll_ist(_ergebnis(), ist, deckel="weich", deckel_ebene="sozialraum")
    assert _codes(c) == ["deckel_weich_ueberschritten"]
    assert c.warnungen[0].sozialraum == "Nord" and "70,00" in c.warnungen[0].text
    g = soll_ist(_ergebnis(), ist, deckel="weich", deckel_ebene="gesamt")
    assert _codes(g) == ["deckel_weich_ueberschritten"]
    assert "Gesamtbudget" in g.warnungen[0].text and "20,00" in g.warnungen[0].text


def test_case_obligation_shortfall_and_excess():
    """Case obligation A/Nord 10 with 8 actual cases → −2 and a warning; B/Nord 5 with 6 → +1, other code."""
    ist = (
        IstZeile("A", "Nord", "650", faelle=8),
        IstZeile("B", "Nord", "300", faelle=6),
        IstZeile("B", "Süd", "200", faelle=4),
    )
    soll = (Fallsoll("A", "Nord", 10), Fallsoll("B", "Nord", 5), Fallsoll("B", "Süd", 4))
    c = soll_ist(_ergebnis(), ist, fallsoll=soll)
    assert _row(c, "A", "Nord")["Fallabweichung"] == D(-2)
    assert _row(c, "B", "Nord")["Fallabweichung"] == D(1)
    assert _row(c, "B", "Süd")["Fallabweichung"] == D(0)
    assert _codes(c) == ["fallverpflichtung_unterschritten", "fallverpflichtung_ueberschritten"]
    assert "8 statt 10" in c.warnungen[0].text


def test_case_obligation_without_actual_cases_warns():
    """A case obligation without reported actual cases is a warning, Fallabweichung stays empty."""
    c = soll_ist(_ergebnis(), IST, fallsoll=(Fallsoll("A", "Nord", "12,5"),))
    assert _row(c, "A", "Nord")["Fallabweichung"] is None
    assert "faelle_fehlen" in _codes(c)
    assert "12,50" in c.warnungen[0].text


def test_missing_ist_counts_as_zero_with_warning():
    """A budget row without an Ist row counts as Ist 0,00 € (Rücklage = Soll) and is reported."""
    c = soll_ist(_ergebnis(), IST[:2])
    s = _row(c, "B", "Süd")
    assert (s["Ist"], s["Rücklage"]) == (D("0.00"), D("200.00"))
    assert "ist_fehlt" in _codes(c)


def test_ist_without_soll_gets_own_row():
    """Spending of a Träger without budget gets a row with Soll 0, Ausschöpfung empty and a warning."""
    c = soll_ist(_ergebnis(), (*IST, IstZeile("C", "Nord", "80.00")), deckel=None)
    r = _row(c, "C", "Nord")
    assert (r["Soll"], r["Ist"], r["Abweichung"], r["Ausschöpfung"]) == (
        D("0.00"),
        D("80.00"),
        D("-80.00"),
        None,
    )
    assert _codes(c) == ["ist_ohne_soll"]


def test_bookings_are_added_up():
    """Two Ist rows for A/Nord (400 + 250,50) are added up to 650,50."""
    ist = (IstZeile("A", "Nord", "400"), IstZeile("A", "Nord", "250,50"), *IST[1:])
    assert _row(soll_ist(_ergebnis(), ist), "A", "Nord")["Ist"] == D("650.50")


def test_arten_filter():
    """With arten=(UNBEDINGT,) only the Sockel counts: A/Nord Soll 600 instead of 700."""
    c = soll_ist(_ergebnis(), IST, arten=(Art.UNBEDINGT,))
    assert _row(c, "A", "Nord")["Soll"] == D("600.00")
    assert c.summen["Soll"] == D("1100.00")


def test_mapping_rows_with_german_keys():
    """Rows may be dicts with the German keys Träger, Sozialraum, Ist, Ist-Fälle; floats are read exactly."""
    ist = [
        {"Träger": "A", "Sozialraum": "Nord", "Ist": 650.1, "Ist-Fälle": 3},
        {"Träger": "B", "Sozialraum": "Nord", "Ist": 300},
        {"Träger": "B", "Sozialraum": "Süd", "Ist": 200},
    ]
    c = soll_ist(_ergebnis(), ist, fallsoll=[{"Träger": "A", "Sozialraum": "Nord", "Soll-Fälle": 3}])
    r = _row(c, "A", "Nord")
    assert (r["Ist"], r["Fallabweichung"]) == (D("650.10"), D(0))


def test_result_is_immutable():
    """The result and its rows cannot be changed after the fact."""
    c = soll_ist(_ergebnis(), IST)
    with pytest.raises(TypeError):
        c.zeilen[0]["Ist"] = D("0")  # type: ignore[index]
    with pytest.raises(TypeError):
        c.summen["Soll"] = D("0")  # type: ignore[index]
    with pytest.raises(AttributeError):
        c.deckel = "hart"  # type: ignore[misc]


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("value", ["-1", float("nan"), "abc"])
def test_bad_ist_amount(value):
    """A negative, NaN or non-numeric Ist is an error naming Träger/Sozialraum and the field Ist."""
    with pytest.raises(EingabeFehler) as exc:
        soll_ist(_ergebnis(), (IstZeile("A", "Nord", value),))
    text = str(exc.value)
    assert "A / Nord" in text and "Ist" in text and exc.value.field == "Ist"
    # the models' wording: the value as typed, never repr() quotes
    assert f"gefunden {str(value).replace('.', ',')})" in text and "'" not in text


def test_negative_cases():
    """Negative actual cases are an error on the field Ist-Fälle."""
    with pytest.raises(EingabeFehler) as exc:
        soll_ist(_ergebnis(), (IstZeile("A", "Nord", "1", faelle=-1),))
    assert exc.value.field == "Ist-Fälle"


def test_duplicate_case_obligation():
    """The same case obligation twice is an error."""
    with pytest.raises(EingabeFehler) as exc:
        soll_ist(_ergebnis(), IST, fallsoll=(Fallsoll("A", "Nord", 1), Fallsoll("A", "Nord", 2)))
    assert exc.value.field == "Soll-Fälle" and "doppelt" in str(exc.value)


def test_duplicate_case_obligation_ignores_case_and_invisible_characters():
    """Names differing only in case, NFC or zero-width characters are the same obligation."""
    zeilen = (Fallsoll("A", "Nord", 1), Fallsoll("a\u200b", "nord", 2))
    with pytest.raises(EingabeFehler) as exc:
        soll_ist(_ergebnis(), IST, fallsoll=zeilen)
    assert "doppelt" in str(exc.value) and exc.value.found == "„A / Nord“ und „a\u200b / nord“"


@pytest.mark.parametrize("junk", [None, "Ergebnis", 5])
def test_junk_result_is_german_error(junk):
    """Anything but a ModelResult is a German input error, not an AttributeError."""
    with pytest.raises(EingabeFehler, match="Modellergebnis"):
        soll_ist(junk, IST)


@pytest.mark.parametrize("junk", ["A;Nord;5", 5, [5], {"Ist": 5}])
def test_junk_rows_are_german_errors(junk):
    """Ist rows must be a list of IstZeile or mappings; anything else is a German input error."""
    with pytest.raises(EingabeFehler) as exc:
        soll_ist(_ergebnis(), junk)
    assert exc.value.field == "Ist"


def test_unknown_cap_and_level():
    """An unknown cap kind or cap level is an error with the expected values."""
    with pytest.raises(EingabeFehler, match="Deckelung") as exc:
        soll_ist(_ergebnis(), IST, deckel="mittel")
    assert exc.value.found == "mittel" and exc.value.expected == "weich, hart oder leer"
    with pytest.raises(EingabeFehler, match="Ebene") as exc:
        soll_ist(_ergebnis(), IST, deckel_ebene="bezirk")
    assert exc.value.found == "bezirk"


# ----------------------------------------------------------------------------- properties

_names = st.sampled_from(["A", "B", "C", None])
_regions = st.sampled_from(["Nord", "Süd", None])
_cents = st.integers(min_value=0, max_value=10**9)


@settings(max_examples=80, deadline=None)
@given(
    soll=st.lists(st.tuples(_names, _regions, _cents), min_size=1, max_size=8),
    ist=st.lists(st.tuples(_names, _regions, _cents), max_size=8),
    deckel=st.sampled_from([None, "weich", "hart"]),
)
def test_property_sums(soll, ist, deckel):
    """Σ Abweichung = Σ Soll − Σ Ist exactly; Σ Rücklage − Σ Überschreitung = Σ Abweichung; Σ Soll = total."""
    items = tuple(LineItem("P", D(c) / 100, Art.UNBEDINGT, t, s) for t, s, c in soll)
    total = sum((i.betrag for i in items), D("0.00"))
    r = ModelResult("t", "T", 2026, items, total)
    c = soll_ist(r, [IstZeile(t, s, D(x) / 100) for t, s, x in ist], deckel=deckel)
    sum_soll = sum((z["Soll"] for z in c.zeilen), D(0))
    sum_ist = sum((z["Ist"] for z in c.zeilen), D(0))
    sum_abw = sum((z["Abweichung"] for z in c.zeilen), D(0))
    assert sum_abw == sum_soll - sum_ist == c.summen["Abweichung"]
    assert sum_soll == total
    assert sum_ist == sum((D(x) / 100 for _, _, x in ist), D(0))
    assert c.summen["Rücklage"] - c.summen["Überschreitung"] == sum_abw
    assert all(z["Rücklage"] >= 0 and z["Überschreitung"] >= 0 for z in c.zeilen)
    overruns = sum(1 for z in c.zeilen if z["Ist"] > z["Soll"])
    cap_warnings = sum(1 for w in c.warnungen if w.code.startswith("deckel_"))
    assert cap_warnings == (0 if deckel is None else overruns)


# ----------------------------------------------------------------------------- issue 11: Soll = what is paid


def _mit_offen_und_einbehalten() -> ModelResult:
    """A/Nord: Sockel 600 (unbedingt), Bericht 100 (bedingt), Bonus 50; Fallarbeit-Prognose 1.000
    (offen); the quality share of 200 withheld by the Jugendamt (einbehalten, no Träger)."""
    items = (
        LineItem("Sockel", D("600.00"), Art.UNBEDINGT, "A", "Nord"),
        LineItem("Bericht", D("100.00"), Art.BEDINGT, "A", "Nord", bedingung="Bericht"),
        LineItem("Leistungsbonus", D("50.00"), Art.BONUS, "A", "Nord"),
        LineItem("Fallarbeit (Prognose)", D("1000.00"), Art.OFFEN, "A", "Nord"),
        LineItem("Qualitätsanteil ohne Nachweis", D("200.00"), Art.EINBEHALTEN, None, "Nord"),
    )
    return ModelResult("test", "Test", 2026, items, D("1950.00"))


def test_soll_counts_what_is_paid():
    """§5.5 „Zweckbindung von Ersparnissen als Rücklagen“: a reserve comes from money paid and not
    spent. Soll = 600 + 100 + 50 = 750,00 € (unbedingt, bedingt, Bonus); the open forecast 1.000 € and
    the withheld 200 € are not Soll (1.200,00 € „Nicht im Soll“). Ist 700 → Rücklage 50,00 €; no row
    for the withheld money, so no Rücklage of 200 € and no „Ist fehlt“ warning."""
    c = soll_ist(_mit_offen_und_einbehalten(), [IstZeile("A", "Nord", "700.00")])
    assert [(r["Träger"], r["Soll"], r["Rücklage"]) for r in c.zeilen] == [("A", D("750.00"), D("50.00"))]
    assert c.kennzahlen["Soll gesamt"] == D("750.00") and c.kennzahlen["Nicht im Soll"] == D("1200.00")
    assert c.ruecklage == D("50.00") and _codes(c) == []


def test_withheld_money_never_shows_as_reserve():
    """Asking for withheld items as Soll still leaves them out (they stay with the Jugendamt), with
    a warning: Soll 600 (unbedingt) only, Rücklage 600 − 550 = 50,00 €, never the 200 € withheld."""
    c = soll_ist(
        _mit_offen_und_einbehalten(),
        [IstZeile("A", "Nord", "550.00")],
        arten=(Art.UNBEDINGT, Art.EINBEHALTEN),
    )
    assert c.summen["Soll"] == D("600.00") and c.ruecklage == D("50.00")
    assert all(r["Träger"] is not None for r in c.zeilen)
    assert _codes(c) == ["einbehalten_kein_soll"]


def test_open_items_can_be_compared_on_request():
    """A forecast check may ask for the open kind: Soll = 1.000 (offen), Ist 1.100 → overrun 100 €."""
    c = soll_ist(_mit_offen_und_einbehalten(), [IstZeile("A", "Nord", "1100.00")], arten=("offen",))
    assert c.summen["Soll"] == D("1000.00") and c.summen["Überschreitung"] == D("100.00")
    with pytest.raises(EingabeFehler):
        soll_ist(_mit_offen_und_einbehalten(), [], arten=("irgendwas",))
