"""Golden tests for examples with numbers in the report that had no test quoting them (issue 11).

Each test quotes the report's sentence and computes the expected figures by hand in its
docstring. The other examples are covered where the model is tested (see the report of issue 11:
KGSt 70/10/20 in test_bericht_kgst, Stuttgart 95 %/1-3-1 %/DM 100.000 in test_bericht_stuttgart,
Neunkirchen 3,213 and 3,4 Mio. DM in test_model_neunkirchen, München 5 Teams / 13 Sozialregionen
in test_model_muenchen, Tübingen „bis zu 50 %“ in test_bericht_tuebingen).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from sozbudget_xl.models import celle, stuttgart
from sozbudget_xl.models.base import Art, ModelResult


def _stuttgart(**parameter: object) -> ModelResult:
    """Running cases F1 8.000, F2 12.000 (new), F3 18.000, F4 60.000 (new): Anfangsbestand 98.000;
    new cases one of Typ 2 (mean (12.000 + 18.000)/2 = 15.000) and one of Typ 4 (60.000) → a =
    173.000 €, b = 20.000 €; the indicator „Orte der Hilfen“ is fully met (12 of target 10)."""
    e = stuttgart.Eingabe(
        traeger="Evangelische Gesellschaft",
        sozialraum="Nord",
        faelle=(
            stuttgart.Fall("F1", D("8000")),
            stuttgart.Fall("F2", D("12000"), zugang_im_vorjahr=True),
            stuttgart.Fall("F3", D("18000")),
            stuttgart.Fall("F4", D("60000"), zugang_im_vorjahr=True),
        ),
        teilbudget_b=D("20000"),
        indikatoren=(stuttgart.Indikator("Orte der Hilfen", D(1), D(10), D(12)),),
    )
    return stuttgart.berechne(e, stuttgart.Parameter(**parameter))  # type: ignore[arg-type]


def _betrag(r, beginnt: str) -> D:
    (x,) = [p for p in r.positionen if p.position.startswith(beginnt)]
    return x.betrag


def test_stuttgart_95_prozent_ausgezahlt_5_prozent_bedingt_1_3_1():
    """§5.1: „Die beiden Teilbudgets a und b bilden eine Gesamtsumme von 95 %, die zur Auszahlung
    gelangt. Die Auszahlung der restlichen 5 % des Gesamtbudgets ist an folgende Bedingungen
    geknüpft: Einsatz von Volunteers (1 % des Gesamtbudgets); … Berichtswesens (3 % …);
    … Verwendungsnachweises (1 % …)“.

    a + b = 193.000 € = 95 % → Gesamtbudget 193.000 / 0,95 = 203.157,894… → 203.157,89 €; the 5 %
    are 10.157,89 € split 1 : 3 : 1 = 2.031,578 / 6.094,734 / 2.031,578 → floors 10.157,87 €, the two
    cents to the remainders 0,8 and 0,8: 2.031,58 / 6.094,73 / 2.031,58 €.
    """
    r = _stuttgart()
    assert r.summe(art=Art.UNBEDINGT) == D("193000.00")
    assert r.kennzahlen["Gesamtbudget"] == D("203157.89")
    assert [
        _betrag(r, f"Bedingter Anteil: {w}") for w in ("Einsatz von V", "Einsatz eines", "Erstellung")
    ] == [
        D("2031.58"),
        D("6094.73"),
        D("2031.58"),
    ]


def test_stuttgart_leistungsbonus_hoechstens_1_prozent_zusaetzlich():
    """§5.1: „Der Leistungsbonus beträgt maximal 1 % des Gesamtbudgets und wird zusätzlich zu
    diesem an den Träger ausgezahlt“ (earlier: „Hinzu kommt ein Leistungsbonus von maximal 2% des
    Gesamtbudgets“ — the cap is a parameter, default 1 %).

    Fully met indicator: 1 % of 203.157,89 € = 2.031,5789 → 2.031,58 € (Art Bonus, on top of the
    Gesamtbudget); with the cap 2 %: 4.063,1578 → 4.063,16 €.
    """
    r = _stuttgart()
    (bonus,) = [p for p in r.positionen if p.art is Art.BONUS]
    assert bonus.betrag == D("2031.58") and "zusätzlich" in bonus.position
    assert _betrag(_stuttgart(bonus_hoechstsatz=D("0.02")), "Leistungsbonus") == D("4063.16")


def test_celle_budgetanteile_zur_quartalsmitte():
    """§5.5: „Jedem Träger werden Budgetanteile zur Quartalsmitte ausgezahlt“ (15.2., 15.5., 15.8.,
    15.11.); by default a due date on a weekend moves to the next working day: in 2026 15.2. is a
    Sunday → Mon 16.2., 15.5. a Friday, 15.8. a Saturday → Mon 17.8., 15.11. a Sunday → Mon 16.11.

    Example: the Caritasverband's budget share 503.877,24 € / 4 = 125.969,31 € exactly, four times.
    """
    e, p = celle.beispiel()
    r = celle.berechne(e, p)
    raten = [
        (x.faellig, x.betrag) for x in r.zahlungsplan if x.empfaenger == "Caritasverband Musterstadt e.V."
    ]
    assert r.summe(traeger="Caritasverband Musterstadt e.V.") == D("503877.24")
    assert raten == [
        (dt.date(2026, 2, 16), D("125969.31")),
        (dt.date(2026, 5, 15), D("125969.31")),
        (dt.date(2026, 8, 17), D("125969.31")),
        (dt.date(2026, 11, 16), D("125969.31")),
    ]
