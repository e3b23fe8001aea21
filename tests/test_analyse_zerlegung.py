"""Change decomposition (issue 18): exact Shapley contributions, rounded to the cent."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sozbudget_xl import beispieldaten as bsp
from sozbudget_xl.analyse import budget_euro, situation_aus_tabelle, zerlege
from sozbudget_xl.analyse.situation import budget_cents
from sozbudget_xl.analyse.zerlegung import faktoren
from sozbudget_xl.indicators import fuenf_indikatoren, verteile_nach_index
from sozbudget_xl.transition import uebergang


def _alt():
    return situation_aus_tabelle(bsp.SOZIALRAEUME, fuenf_indikatoren(), bsp.GESAMTBUDGET)


def _zeilen(aenderung: dict[str, dict[str, float]]):
    rows = [dict(r) for r in bsp.SOZIALRAEUME]
    for r in rows:
        r.update(aenderung.get(str(r["Sozialraum"]), {}))
    return rows


def _pruefe_summen(z) -> None:
    for s in z.ids:
        assert sum(z.beitraege[s].values(), Decimal("0.00")) == z.neu[s] - z.alt[s]
        assert sum(z.exakt[s].values(), Fraction(0)) == Fraction(z.neu[s] - z.alt[s])
    summe = z.summe_je_faktor()
    delta_gesamt = sum(z.neu.values()) - sum(z.alt.values())
    for f, v in summe.items():
        assert v == (delta_gesamt if f == "gesamt" else Decimal("0.00")), f


def test_endpunkte_sind_die_modellzahlen() -> None:
    """The situation's budget is verteile_nach_index's (areas in name order), and with a
    transition the year's budget of uebergang."""
    sit = _alt()
    regionen = sorted(bsp.SOZIALRAEUME, key=lambda r: str(r["Sozialraum"]))
    ziel = verteile_nach_index(bsp.GESAMTBUDGET, regionen, fuenf_indikatoren(), zielgruppe="Jugendeinwohner")
    assert budget_euro(sit) == ziel
    mit = situation_aus_tabelle(
        bsp.SOZIALRAEUME,
        fuenf_indikatoren(),
        bsp.GESAMTBUDGET,
        status_quo=bsp.STATUS_QUO,
        jahre=3,
        schritt=2,
        kappung="0.05",
    )
    sq = {s: bsp.STATUS_QUO[s] for s in sorted(bsp.STATUS_QUO)}
    u = uebergang(sq, ziel, jahre=3, kappung="0.05", gesamt=bsp.GESAMTBUDGET)
    assert budget_euro(mit) == u.budget(2)


def test_beispiel_nordviertel_weniger_jugendeinwohner() -> None:
    """Fewer young inhabitants in one area: the sentence names it, sums are exact."""
    neu = situation_aus_tabelle(
        _zeilen({"Nordviertel": {"Jugendeinwohner": 3820}}), fuenf_indikatoren(), "2450000"
    )
    z = zerlege(_alt(), neu)
    _pruefe_summen(z)
    assert z.beitraege["Nordviertel"]["zielgruppe"] < 0
    assert z.beitraege["Nordviertel"]["gesamt"] > 0
    assert "weniger Jugendeinwohner" in z.saetze["Nordviertel"]
    assert z.saetze["Nordviertel"].startswith("Nordviertel: −")
    # unchanged factors contribute exactly 0 everywhere
    for f in ("methode", "gewichte", "auswahl", "uebergang", "fonds"):
        assert all(z.beitraege[s][f] == 0 and z.exakt[s][f] == 0 for s in z.ids)


def test_methode_uebergang_und_auswahl() -> None:
    """Method, transition, weights and indicator set changing together: still exact."""
    alt = situation_aus_tabelle(
        bsp.SOZIALRAEUME,
        fuenf_indikatoren(),
        bsp.GESAMTBUDGET,
        status_quo=bsp.STATUS_QUO,
        jahre=3,
        kappung="0.05",
    )
    neu_inds = fuenf_indikatoren(gewichte=[0.3, 0.3, 0.2, 0.1, 0.1])
    neu = situation_aus_tabelle(
        _zeilen({"Am Bahnhof": {"Arbeitslose": 980}}),
        neu_inds,
        "2500000",
        methode="z",
        ddof=1,
        status_quo=bsp.STATUS_QUO,
        jahre=2,
        kappung="0.1",
    ).mit(auswahl=tuple(i.name for i in neu_inds[:4]))
    z = zerlege(alt, neu)
    _pruefe_summen(z)
    assert z.koalitionen == 2**6  # gesamt, wert:Arbeitslose, auswahl, gewichte, methode, uebergang
    assert any(z.beitraege[s]["methode"] != 0 for s in z.ids)


def test_gleiche_situation_keine_veraenderung() -> None:
    sit = _alt()
    z = zerlege(sit, sit)
    assert z.koalitionen == 1
    assert all(v == 0 for s in z.ids for v in z.beitraege[s].values())
    assert z.saetze["Altstadt"] == "Altstadt: keine Veränderung."


def test_verschiedene_sozialraeume_sind_ein_fehler() -> None:
    from sozbudget_xl.errors import EingabeFehler

    neu = situation_aus_tabelle(bsp.SOZIALRAEUME[:5], fuenf_indikatoren(), bsp.GESAMTBUDGET)
    with pytest.raises(EingabeFehler, match="verschiedene Sozialräume"):
        zerlege(_alt(), neu)


_aenderung = st.fixed_dictionaries(
    {
        "gesamt": st.sampled_from([None, "2400000", "2399999.99", "2612345.67", "1800000"]),
        "jung": st.one_of(st.none(), st.integers(1500, 5000)),
        "alq": st.one_of(st.none(), st.integers(100, 2000)),
        "hze": st.one_of(st.none(), st.integers(500_000, 5_000_000)),
        "methode": st.sampled_from([None, "z", "sw", "t", "index100", "rang"]),
        "ddof": st.sampled_from([None, 1]),
        "gewichte": st.sampled_from([None, (0.4, 0.15, 0.15, 0.15, 0.15), (0.1, 0.2, 0.3, 0.2, 0.2)]),
        "sr": st.sampled_from([s["Sozialraum"] for s in bsp.SOZIALRAEUME]),
    }
)


def _neu(a: dict):
    aend = {}
    if a["jung"] is not None:
        aend["Jugendeinwohner"] = a["jung"]
    if a["alq"] is not None:
        aend["Arbeitslose"] = a["alq"]
    if a["hze"] is not None:
        aend["Bruttoaufwand HzE"] = a["hze"]
    sit = situation_aus_tabelle(
        _zeilen({a["sr"]: aend}),
        fuenf_indikatoren(gewichte=a["gewichte"]),
        a["gesamt"] or bsp.GESAMTBUDGET,
    )
    if a["methode"]:
        sit = sit.mit(methode=a["methode"])
    if a["ddof"]:
        sit = sit.mit(ddof=a["ddof"])
    return sit


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_aenderung)
def test_eigenschaft_summen_exakt_und_unveraenderte_faktoren_null(a: dict) -> None:
    """Property: contributions of each area sum to its change to the cent; per factor the sum
    over areas is the total's change (gesamt) or 0; a factor that did not change gives 0."""
    alt, neu = _alt(), _neu(a)
    z = zerlege(alt, neu)
    _pruefe_summen(z)
    from sozbudget_xl.analyse.zerlegung import _gleich, _teil

    for f in faktoren(alt, neu):
        if _gleich(_teil(alt, f), _teil(neu, f)):
            assert all(z.beitraege[s][f] == 0 and z.exakt[s][f] == 0 for s in z.ids), f


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_aenderung, st.randoms(use_true_random=False))
def test_eigenschaft_reihenfolge_der_faktoren_egal(a: dict, rnd) -> None:
    """Property: listing the factors in another order changes nothing (exact and in cents)."""
    alt, neu = _alt(), _neu(a)
    keys = faktoren(alt, neu)
    gemischt = list(keys)
    rnd.shuffle(gemischt)
    z1 = zerlege(alt, neu, reihenfolge=keys)
    z2 = zerlege(alt, neu, reihenfolge=list(reversed(gemischt)))
    assert z1.exakt == z2.exakt
    assert z1.beitraege == z2.beitraege
    assert z1.saetze == z2.saetze


def test_shapley_von_hand_zwei_faktoren() -> None:
    """Two factors: φ_gesamt = ½(v(G) − v(∅)) + ½(v(GN) − v(N)) computed by hand."""
    from sozbudget_xl.analyse.situation import budget_cents
    from sozbudget_xl.analyse.zerlegung import _mische

    alt = _alt()
    neu = situation_aus_tabelle(
        _zeilen({"Westend": {"Jugendeinwohner": 3100}}), fuenf_indikatoren(), "2500000"
    )
    z = zerlege(alt, neu)
    v0, v1 = budget_cents(alt), budget_cents(neu)
    vg = budget_cents(_mische(alt, neu, {"gesamt"}))
    vn = budget_cents(
        _mische(
            alt, neu, {"zielgruppe", "wert:HzE je Jugendeinwohner", "wert:ambulante HzE je Jugendeinwohner"}
        )
    )
    assert z.koalitionen == 16
    # sanity: exact values are multiples of 1/(4!·100) €
    for s in z.ids:
        for v in z.exakt[s].values():
            assert (v * 2400).denominator == 1
    assert np.all(v1 - v0 == np.array([int((z.neu[s] - z.alt[s]) * 100) for s in z.ids]))
    assert vg.sum() == 250_000_000 and vn.sum() == 240_000_000


# --------------------------------------------------------------------------- per Träger (issue 18)

_TRAEGER = ("AWO", "Caritas", "Diakonie")


def _anteile(rnd, ids) -> dict[str, dict[str, Decimal]]:
    """A random Träger × area matrix: each area split among 1–3 Träger (shares sum to 1)."""
    out = {}
    for s in ids:
        namen = rnd.sample(_TRAEGER, rnd.randint(1, 3))
        roh = [rnd.randint(1, 9) for _ in namen]
        anteile = [Decimal(r) / sum(roh) for r in roh]
        anteile[-1] = Decimal(1) - sum(anteile[:-1])
        out[s] = dict(zip(namen, anteile))
    return out


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_aenderung, st.randoms(use_true_random=False), st.booleans())
def test_eigenschaft_je_traeger_exakt(a: dict, rnd, neue_anteile: bool) -> None:
    """Property per Träger: the contributions of a Träger add up to its change to the cent (its
    budgets being the model's split of the area budgets), each factor's sum over the Träger equals
    its sum over the areas, an unchanged factor contributes 0, and the order of factors is irrelevant."""
    from sozbudget_xl.analyse.situation import traeger_cents, traeger_namen

    alt = _alt()
    alt = alt.mit(traeger=_anteile(rnd, alt.ids))
    neu = _neu(a).mit(traeger=_anteile(rnd, alt.ids) if neue_anteile else alt.traeger)
    z = zerlege(alt, neu)
    t = z.traeger
    assert t is not None and t.art == "Träger"
    namen = traeger_namen(alt, neu)
    assert t.ids == namen
    for sit, werte in ((alt, t.alt), (neu, t.neu)):
        cents = traeger_cents(sit, budget_cents(sit), namen)
        assert [int(werte[n] * 100) for n in namen] == cents.tolist()
    for n in namen:
        assert sum(t.beitraege[n].values(), Decimal("0.00")) == t.neu[n] - t.alt[n]
        assert sum(t.exakt[n].values(), Fraction(0)) == Fraction(t.neu[n] - t.alt[n])
    assert t.summe_je_faktor() == z.summe_je_faktor()
    from sozbudget_xl.analyse.zerlegung import _gleich, _teil

    for f in faktoren(alt, neu):
        if _gleich(_teil(alt, f), _teil(neu, f)):
            assert all(t.beitraege[n][f] == 0 for n in namen), f
    # Träger shares are a factor of their own: they move money between Träger, never between areas
    if "traeger" in z.faktoren:
        assert all(z.beitraege[s]["traeger"] == 0 for s in z.ids)
    umgekehrt = zerlege(alt, neu, reihenfolge=list(reversed(faktoren(alt, neu))))
    assert umgekehrt.traeger.beitraege == t.beitraege and umgekehrt.traeger.exakt == t.exakt


def test_traeger_mit_ganzen_gebieten_wie_die_gebiete() -> None:
    """Each area wholly to one Träger: a Träger's row is the sum of its areas' rows (to the cent),
    and a Träger with one area explains itself with that area's sentence."""
    alt = _alt()
    zuordnung = {s: {("Verbund" if i < 3 else f"Träger {s}"): Decimal(1)} for i, s in enumerate(alt.ids)}
    alt = alt.mit(traeger=zuordnung)
    neu = situation_aus_tabelle(
        _zeilen({"Westend": {"Jugendeinwohner": 3100}}), fuenf_indikatoren(), "2500000"
    ).mit(traeger=zuordnung)
    z = zerlege(alt, neu)
    drei = alt.ids[:3]
    for f in z.faktoren:
        assert z.traeger.beitraege["Verbund"][f] == sum(z.beitraege[s][f] for s in drei)
    s = alt.ids[4]
    assert z.traeger.saetze[f"Träger {s}"] == f"Träger {s} ({s})" + z.saetze[s][len(s) :]
