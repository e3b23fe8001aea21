"""Controlling and year-end (issue 16): Soll/Ist to date, forecast, Jahresabschluss per model,
carry-forward — golden tests from the report's rules and property tests (core, no files)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sozbudget_xl.errors import EingabeFehler, MehrereFehler
from sozbudget_xl.jahr.abschluss import Konto, jahresabschluss, konten_fortschreiben
from sozbudget_xl.jahr.ist import Buchung, buchungen_aus_zeilen, csv_zeilen, monat_aus
from sozbudget_xl.jahr.sollist import prognose, soll_ist_stand, soll_kurven
from sozbudget_xl.models import modell


def _ergebnis(name: str):
    m = modell(name)
    return m.berechne(*m.beispiel())


KGST = _ergebnis("kgst")
CARITAS = ("Caritasverband Musterstadt e.V.", "Musterstadt-Süd")


# ----------------------------------------------------------------------------- Soll to date


def test_soll_bis_stand_follows_the_payment_plan():
    """Soll to date „from the contract's payment plan“ (issue 16): KGSt example, Caritas: monthly
    instalments of 33.333,34 € on the unconditional 400.000 €, the conditional 137.500 € pro rata.
    End of January: 33.333,34 + 137.500/12 = 33.333,34 + 11.458,33 = 44.791,67 €; end of
    December: the whole Jahres-Soll 537.500,00 €."""
    kurve = soll_kurven(KGST, 2026)[CARITAS]
    assert kurve[0] == D("0.00")
    assert kurve[1] == D("44791.67")
    assert kurve[12] == D("537500.00")


def test_prognose_linear_and_seasonal():
    """Linear: 6 months 600 € → 1.200 €. Seasonal: the previous year spent 600 of 2.400 € by
    June (a quarter), so 600 € by June → 600 / 0,25 = 2.400 €."""
    assert prognose(D("600.00"), 6) == (D("1200.00"), "linear")
    profil = [D(100)] * 6 + [D(300)] * 6
    assert prognose(D("600.00"), 6, profil) == (D("2400.00"), "saisonal (Vorjahr)")
    assert prognose(D("600.00"), 6, [D(0)] * 12) == (D("1200.00"), "linear")
    assert prognose(D("7.00"), 12) == (D("7.00"), "Ist (Jahr vollständig)")


def test_previous_year_rows_give_the_seasonal_profile():
    buchungen = [Buchung(m, D("1000"), *CARITAS) for m in range(1, 4)]
    vorjahr = [Buchung(m, D("500") if m <= 3 else D("1500"), *CARITAS, jahr=2025) for m in range(1, 13)]
    ohne = soll_ist_stand(KGST, buchungen)
    mit = soll_ist_stand(KGST, buchungen + vorjahr)
    zeile = next(z for z in mit.zeilen if (z.traeger, z.sozialraum) == CARITAS)
    # 3.000 € by March; the previous year spent 1.500 of 15.000 € by March → 30.000 €
    assert zeile.prognose == D("30000.00") and zeile.prognoseart == "saisonal (Vorjahr)"
    assert next(z for z in ohne.zeilen if (z.traeger, z.sozialraum) == CARITAS).prognose == D("12000.00")
    assert mit.vorjahr_profil and not ohne.vorjahr_profil


def test_no_ist_yet_forecasts_the_plan_and_says_so():
    s = soll_ist_stand(KGST, [])
    assert s.stand == 0
    assert s.summe.prognose == s.summe.jahres_soll == KGST.gesamt
    assert s.warnungen[0].code == "kein_ist"


def test_missing_latest_month_is_a_hinweis():
    b = [Buchung(m, D("100"), *CARITAS) for m in range(1, 7)]
    b.append(Buchung(7, D("100"), "AWO Kreisverband Musterstadt e.V.", "Musterstadt-Süd"))
    codes = [w.code for w in soll_ist_stand(KGST, b).warnungen if w.traeger == CARITAS[0]]
    assert "ist_unvollstaendig" in codes


# ----------------------------------------------------------------------------- golden year-end


def _jahr(result, betraege: dict[tuple, D], **kw) -> list[Buchung]:
    """Bookings of a whole year: everything in December (the year is complete)."""
    return [Buchung(12, b, t, s, **kw) for (t, s), b in betraege.items()]


def test_muenchen_ausschoepfung_soft_cap_reported_not_blocked():
    """Gutachten 5.3: Regionsbudgets „die aber nur als Planungs- und Steuerungsgrößen dienen und
    überschritten werden können“. Stadtjugendamt in Schwabing-Freimann: Soll 184.000 €, Ist
    200.000 € → Ausschöpfung 200.000 / 184.000 = 108,70 %, overrun 16.000 € reported (soft cap)."""
    r = _ergebnis("muenchen")
    key = ("Stadtjugendamt Musterstadt (öffentlicher Träger)", "Schwabing-Freimann")
    s = soll_ist_stand(r, _jahr(r, {key: D("200000")}))
    a = jahresabschluss(r, s)
    zeile = next(z for z in a.zeilen if (z["Träger"], z["Sozialraum"]) == key)
    assert zeile["Soll"] == D("184000.00") and zeile["Ausschöpfung"] == D("1.0870")
    assert zeile["Überschreitung"] == D("16000.00")
    hinweise = [w.text for w in s.warnungen if w.traeger == key[0] and w.sozialraum == key[1]]
    assert any("16.000,00" in h and "weicher Deckel" in h and "nicht gesperrt" in h for h in hinweise)
    assert a.konten == () and not a.vorlaeufig


def _stuttgart(ueberschuss_a: D):
    r = _ergebnis("stuttgart")
    from sozbudget_xl.models import stuttgart as st_

    traeger, raum = r.traeger[0], r.sozialraeume[0]
    a, b = r.kennzahlen[st_.K_A], r.kennzahlen[st_.K_B]
    buchungen = [
        Buchung(12, a - ueberschuss_a, traeger, raum, bereich="a"),
        Buchung(12, b, traeger, raum, bereich="b"),
    ]
    return jahresabschluss(r, soll_ist_stand(r, buchungen), buchungen)


def test_stuttgart_reserve_split_at_the_threshold():
    """Gutachten 5.1: „Bei einem Überschuss des Teilbudgets a kann der Träger Rücklagen bilden …
    Beträge, die unter einer Summe von DM 100.000 liegen, können für den gesamten Bereich der
    Jugendhilfe eingesetzt werden. Rücklagen, die über dieser Grenze liegen, sind nur für Aufgaben
    der Erziehungshilfe zu verwenden.“ DM 100.000 = 51.129,19 €. Surplus of a 51.129,18 € (b spent
    exactly): free; 51.129,19 € or 60.000 €: bound (default reading: the whole reserve by the threshold)."""
    frei = {k.name: k.zugang for k in _stuttgart(D("51129.18")).konten}
    assert frei == {
        "Rücklage frei (gesamte Jugendhilfe)": D("51129.18"),
        "Rücklage gebunden (Erziehungshilfe)": 0,
    }
    gebunden = {k.name: k.zugang for k in _stuttgart(D("51129.19")).konten}
    assert gebunden["Rücklage gebunden (Erziehungshilfe)"] == D("51129.19")
    assert gebunden["Rücklage frei (gesamte Jugendhilfe)"] == 0
    a = _stuttgart(D("60000"))
    assert sum(k.zugang for k in a.konten) == D("60000.00")
    zeilen = {z["Position"]: z["Betrag"] for z in a.zeilen}
    assert zeilen["Leistungsbonus (zusätzlich zum Budget ausgezahlt)"] == D("17136.39")


def _neunkirchen(ist: D):
    r = _ergebnis("neunkirchen")
    traeger = r.positionen[0].traeger
    buchungen = [Buchung(12, ist, traeger, "Innenstadt (Jugendamtsbezirke 1 und 2)")]
    return jahresabschluss(r, soll_ist_stand(r, buchungen), buchungen)


def test_neunkirchen_surplus_goes_to_the_praeventionsfonds():
    """Gutachten 5.2: „Werden die Mittel nicht vollständig für Hilfen zur Erziehung verausgabt,
    werden sie für präventive Maßnahmen genutzt.“ Budget 4.885.600 €, Ist 4.785.600 € →
    Präventionsfonds 100.000 €; with an opening balance of 20.000 € the fund closes at 120.000 €."""
    a = _neunkirchen(D("4785600"))
    werte = {z["Position"]: z["Betrag"] for z in a.zeilen}
    assert werte["Präventionsfonds"] == D("100000.00") and werte["Trägt Trägerverbund"] == 0
    verbund = a.konten[0].traeger
    mit = konten_fortschreiben(a.konten, [Konto("Präventionsfonds", verbund, D("20000.00"))])
    assert mit[0].ende == D("120000.00")


def test_neunkirchen_overrun_covered_by_recognised_event_and_the_verbund():
    """Gutachten 5.2: „Nur wenn unkalkulierbare, unvorhersehbare und unabweisbare Einwirkungen in
    einem Jahreszyklus eintreten, kann das Budget im Nachhinein nach oben angepasst werden.“ Ist
    4.950.000 € against 4.885.600 €: overrun 64.400 €; the fire (52.000 €, all three marks) is
    recognised, the pay rise (18.000 €) is not → the Verbund bears 64.400 − 52.000 = 12.400 €."""
    a = _neunkirchen(D("4950000"))
    werte = {z["Position"]: z["Betrag"] for z in a.zeilen}
    assert werte["Überschreitung"] == D("64400.00")
    assert werte["Anpassung durch Jugendamt"] == D("52000.00")
    assert werte["Trägt Trägerverbund"] == D("12400.00")
    assert werte["Präventionsfonds"] == 0
    assert any("Trägerverbund" in w.text for w in a.warnungen)


def test_celle_savings_become_the_verbund_reserve_saldiert():
    """Gutachten 5.5: „Zweckbindung von Ersparnissen als Rücklagen im Trägerverbund“. Every row
    spends its budget except one that saves 10.000 € and one that overspends 4.000 €: saldiert
    the Verbund reserve is 10.000 − 4.000 = 6.000 €."""
    r = _ergebnis("celle")
    budgets = {(z["Träger"], z["Sozialraum"]): z["Budget"] for z in r.tabellen["Rücklage"] if z["Sozialraum"]}
    if not budgets:
        budgets = {(p.traeger, p.sozialraum): D(0) for p in r.positionen}
        for p in r.positionen:
            budgets[(p.traeger, p.sozialraum)] += p.betrag
    keys = list(budgets)
    ist = dict(budgets)
    ist[keys[0]] -= D("10000")
    ist[keys[1]] += D("4000")
    a = jahresabschluss(r, soll_ist_stand(r, _jahr(r, ist)))
    assert a.konten[0].name == "Rücklage Trägerverbund (zweckgebunden)"
    assert a.konten[0].zugang == D("6000.00")


def test_dreisaeulen_open_pillar_needs_aufstockung():
    """Gutachten 7.1: Säule 1 (Entgelte) is open and topped up when demand rises: a row of open
    items spent 1.000 € above its forecast needs an Aufstockung of 1.000 €."""
    from sozbudget_xl.ergebnis import Art

    r = _ergebnis("dreisaeulen")
    offen = {}
    for p in r.positionen:
        if p.art == Art.OFFEN:
            offen[(p.traeger, p.sozialraum)] = offen.get((p.traeger, p.sozialraum), D(0)) + p.betrag
    key, soll = next(iter(offen.items()))
    zeilen = [z for z in r.positionen if (z.traeger, z.sozialraum) == key]
    ganz = sum((z.betrag for z in zeilen), D(0))
    a = jahresabschluss(r, soll_ist_stand(r, _jahr(r, {key: ganz + D("1000")})))
    zeile = next(z for z in a.zeilen if (z["Träger"], z["Sozialraum"]) == key)
    assert zeile["Aufstockung"] == D("1000.00")
    assert soll > 0


def test_incomplete_year_gives_a_preliminary_settlement():
    b = [Buchung(m, D("1000"), *CARITAS) for m in range(1, 7)]
    a = jahresabschluss(KGST, soll_ist_stand(KGST, b), b)
    assert a.vorlaeufig and a.warnungen[0].code == "vorlaeufig"


# ----------------------------------------------------------------------------- properties

_TRAEGER = [t for t, _ in dict.fromkeys((p.traeger, p.sozialraum) for p in KGST.positionen)] + [
    "Neuer Träger"
]
_BUCHUNG = st.builds(
    Buchung,
    monat=st.integers(1, 12),
    ausgaben=st.integers(0, 10_000_000).map(lambda c: D(c) / 100),
    traeger=st.sampled_from(_TRAEGER),
    sozialraum=st.sampled_from(["Musterstadt-Süd", None]),
    faelle=st.none() | st.integers(0, 90).map(D),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_BUCHUNG, max_size=30))
def test_soll_ist_totals_are_the_sums_of_their_parts(buchungen):
    s = soll_ist_stand(KGST, buchungen)
    for attr in ("jahres_soll", "soll_bis", "ist_bis", "prognose", "differenz", "prognose_abweichung"):
        assert getattr(s.summe, attr) == sum((getattr(z, attr) for z in s.zeilen), D(0)), attr
    assert s.summe.ist_bis == sum((b.ausgaben for b in buchungen if b.monat <= s.stand), D(0))
    assert s.summe.jahres_soll == KGST.gesamt
    assert sum(t[2] for t in s.nach_traeger()) == s.summe.ist_bis
    assert s.monate[-1][1] == KGST.gesamt  # the plan is paid by December
    if s.stand:
        assert s.monate[s.stand - 1][2] == s.summe.ist_bis
        assert s.monate[-1][3] == s.summe.prognose


_KONTO = st.builds(
    Konto,
    name=st.sampled_from(["Rücklage", "Präventionsfonds"]),
    traeger=st.sampled_from(["A", "B"]),
    zugang=st.integers(0, 10**9).map(lambda c: D(c) / 100),
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(_KONTO, max_size=4, unique_by=lambda k: (k.name, k.traeger)), min_size=1, max_size=5)
)
def test_carry_forward_conserves_money(jahre):
    """Closing balance of year n = opening balance of year n + 1, per account and in total."""
    vortraege: tuple[Konto, ...] = ()
    for neu in jahre:
        konten = konten_fortschreiben(neu, vortraege)
        anfang = {(k.name, k.traeger): k.anfang for k in konten}
        for k in vortraege:
            assert anfang[(k.name, k.traeger)] == k.ende
        assert sum(k.anfang for k in konten) == sum(k.ende for k in vortraege)
        assert sum(k.ende for k in konten) == sum(k.ende for k in vortraege) + sum(k.zugang for k in neu)
        vortraege = konten


# ----------------------------------------------------------------------------- Ist input


def test_month_words():
    assert [monat_aus(x) for x in (1, "12", "März", "mär", "Q2", "4. Quartal", "Sept")] == [
        1,
        12,
        3,
        3,
        6,
        12,
        9,
    ]
    for schlecht in (0, 13, 1.5, "Frühling", True):
        with pytest.raises(ValueError):
            monat_aus(schlecht)


def test_csv_with_german_numbers_and_every_error_at_once():
    text = "\ufeffJahr;Monat;Träger;Sozialraum;Ausgaben;Fälle\n2026;Mai;A;Nord;1.234,56;12\n;6;A;Nord;99;\n"
    b = buchungen_aus_zeilen(csv_zeilen(text))
    assert [(x.jahr, x.monat, x.ausgaben, x.faelle) for x in b] == [
        (2026, 5, D("1234.56"), D(12)),
        (None, 6, D("99.00"), None),
    ]
    with pytest.raises(MehrereFehler) as e:
        buchungen_aus_zeilen(csv_zeilen("Monat;Ausgaben;Fälle\n13;x;1\n2;;zwei\n"), blatt="export.csv")
    text = str(e.value)
    assert "4 Fehler" in text and "Zelle A2" in text and "Zelle B2" in text and "Zelle B3" in text
    assert "Zelle C3" in text and "export.csv" in text
    with pytest.raises(EingabeFehler, match="Spalte „Ausgaben“ fehlt"):
        buchungen_aus_zeilen([["Monat", "Betrag in €"]])


def test_an_empty_month_is_named_missing_not_shown_as_none():
    """A booking row without a month (e.g. a note typed further right, in the sheet's last row):
    „Monat fehlt“ like „Ausgaben fehlen“, with its cell — no Python ``None`` in the message."""
    with pytest.raises(MehrereFehler) as e:
        buchungen_aus_zeilen([["Monat", "Ausgaben", "Bemerkung"], [None, None, "Notiz"], ["  ", 5, None]])
    text = str(e.value)
    assert "Zelle A2, Feld „Monat“: Monat fehlt (erwartet 1–12" in text and "Zelle B2" in text
    assert "Zelle A3, Feld „Monat“: Monat fehlt" in text
    assert "None" not in text and "gefunden" not in text


# ----------------------------------------------------------------------------- worksheet functions


def test_srb_soll_ist_table_and_totals():
    """Plan A 12.000 €, B 6.000 €; Ist A Jan 900 + Feb 1.100, B Feb 600,50 → Stand Februar:
    Soll bis Stand A 2.000 €, B 1.000 € (pro rata 2/12); Prognose linear A 12.000 €, B 3.603 €."""
    from sozbudget_xl.excel import SRB_SOLL_IST

    out = SRB_SOLL_IST(
        [["Träger", "Sozialraum", "Soll"], ["A", "Nord", 12000], ["B", "Nord", 6000]],
        [["Monat", "Träger", "Sozialraum", "Ausgaben"], [1, "A", "Nord", 900], ["Feb", "A", "Nord", 1100],
         [2, "B", "Nord", "600,50"]],
        2026,
    )  # fmt: skip
    assert out[0][:5] == ["Träger", "Sozialraum", "Jahres-Soll", "Soll bis Stand", "Ist bis Stand"]
    assert out[1] == ["A", "Nord", 12000.0, 2000.0, 2000.0, 0.0, 1.0, 12000.0, "linear"]
    assert out[2][3:8] == [1000.0, 600.5, 399.5, 0.6005, 3603.0]
    assert out[3][:8] == ["Summe", "", 18000.0, 3000.0, 2600.5, 399.5, 0.8668, 15603.0]


def test_srb_prognose_and_errors_as_cell_text():
    from sozbudget_xl.excel import SRB_PROGNOSE, SRB_SOLL_IST

    assert SRB_PROGNOSE([[100, 100, 100, None, None]]) == 1200.0
    assert SRB_PROGNOSE([[100], [100], [100]], [[100] * 3 + [300] * 9]) == 3000.0
    assert SRB_PROGNOSE([["x"]]).startswith("Fehler: ")
    assert "das Vorjahr braucht 12 Monatswerte" in SRB_PROGNOSE([[1]], [[1, 2]])
    assert SRB_SOLL_IST([["Träger", "Soll"]], [["Monat", "Ausgaben"]], 2026) == "Fehler: kein Plan angegeben"
    assert "unbekannter Monat" in SRB_SOLL_IST([["Soll"], [1]], [["Monat", "Ausgaben"], [13, 1]], 2026)


def test_stuttgart_revision_wesentlich_from_the_threshold():
    """Gutachten 5.1: „Eine nachträgliche Änderung der Budgethöhe ist in bestimmten Fällen auch
    möglich … Veränderung im Fallaufkommen (diese Fälle sind anhand der Controllingdaten
    nachzuweisen).“ Agreed a + b 1.000 € below today's 1.788.963,63 €: 0,06 % < 5 % → not
    wesentlich; agreed 10 % lower (1.610.067,27 €): 178.896,36 € more → wesentlich."""
    from sozbudget_xl.jahr.abschluss import VEREINBART
    from sozbudget_xl.models import stuttgart as st_

    r = _ergebnis("stuttgart")
    neu = r.kennzahlen[st_.K_G]
    assert neu == D("1788963.63")
    s = soll_ist_stand(r, [])

    def revision(vereinbart: D) -> dict:
        a = jahresabschluss(r, s, [], [Konto(VEREINBART, r.traeger[0], vereinbart)])
        assert all(k.name != VEREINBART for k in a.konten)  # an agreement is no account
        return {
            z["Position"].split(" (")[0]: z["Betrag"]
            for z in a.zeilen
            if z["Position"].startswith("Revision")
        }

    klein = revision(neu - 1000)
    assert klein["Revision: Differenz"] == D("1000.00") and klein["Revision: wesentlich"] == "nein"
    gross = revision(D("1610067.27"))
    assert gross["Revision: Differenz"] == D("178896.36") and gross["Revision: wesentlich"] == "ja"
    ohne = jahresabschluss(r, s)
    assert any(w.code == "revision_ohne_vereinbarung" for w in ohne.warnungen)


def test_neunkirchen_hard_cap_hinweis_during_the_year():
    """Gutachten 5.2 (hard cap): a forecast above the budget must be covered by the Verbund or
    justified. Bezirk 1 (Soll 42.000 + 48.000 + 115.200 + 319.000 + 266.000 + 277.200 + 1.152.000 +
    190.000 + 180.000 + 240.000 = 2.829.400 €), six months of 450.000 € → linear forecast
    5.400.000 €, overrun 5.400.000 − 2.829.400 = 2.570.600 €."""
    r = _ergebnis("neunkirchen")
    traeger = r.positionen[0].traeger
    raum = "Jugendamtsbezirk 1 Innenstadt-Nord"
    s = soll_ist_stand(r, [Buchung(m, D("450000"), traeger, raum) for m in range(1, 7)])
    zeile = next(z for z in s.zeilen if z.sozialraum == raum)
    assert zeile.jahres_soll == D("2829400.00") and zeile.prognose == D("5400000.00")
    hart = [w for w in s.warnungen if w.code == "deckel_hart"]
    assert hart and "harter Deckel" in hart[0].text and "unvorhersehbar und unabweisbar" in hart[0].text
    assert "2.570.600,00" in hart[0].text
    assert s.deckel == "hart"
