"""Scenario comparison and robustness analysis (issue 18): exact draws, Sobol indices."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from sozbudget_xl import beispieldaten as bsp
from sozbudget_xl.analyse.situation import SchnellAuswerter, budget_cents, situation_aus_tabelle
from sozbudget_xl.analyse.szenarien import Variante, lies_variante, vergleiche_szenarien
from sozbudget_xl.indicators import Indicator, fuenf_indikatoren

pytest.importorskip("SALib")

from sozbudget_xl.analyse.robustheit import (
    Unsicherheit,
    gini,
    robustheit,
    sobol_indizes,
    sobol_stichprobe,
    ziehe,
)


def _sit():
    return situation_aus_tabelle(bsp.SOZIALRAEUME, fuenf_indikatoren(), bsp.GESAMTBUDGET)


def test_sobol_reproduziert_ishigami() -> None:
    """Our SALib wrapper gives the analytic Ishigami indices (a=7, b=0.1) within tolerance:
    S1 = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437)."""
    from SALib.test_functions import Ishigami

    namen = ["x1", "x2", "x3"]
    grenzen = [[-np.pi, np.pi]] * 3
    x = sobol_stichprobe(namen, 2**13, seed=7, bounds=grenzen)
    r = sobol_indizes(namen, Ishigami.evaluate(x), seed=7, bounds=grenzen)
    assert np.allclose(r["S1"], [0.3139, 0.4424, 0.0], atol=0.03)
    assert np.allclose(r["ST"], [0.5576, 0.4424, 0.2437], atol=0.03)


def test_schnellauswerter_gleich_kernpfad() -> None:
    """Every fast draw equals the budget computed with the core functions to the cent."""
    sit = _sit()
    aus = SchnellAuswerter(sit)
    rng = np.random.default_rng(5)
    namen = list(sit.auswahl)
    for _ in range(40):
        methode = str(rng.choice(["spw", "z", "sw", "t", "index100", "rang"]))
        ddof = int(rng.integers(0, 2))
        schl = str(rng.choice(["jew", "kopf", "basis_faktor"]))
        k = int(rng.integers(1, 6))
        auswahl = [namen[i] for i in sorted(rng.choice(5, k, replace=False))]
        g = rng.uniform(0.5, 1.5, k)
        gew = {a: float(w) for a, w in zip(auswahl, g / g.sum())}
        schnell = aus.budget(auswahl, gew, methode, ddof, schl)
        kern = budget_cents(
            sit.mit(auswahl=tuple(auswahl), gewichte=gew, methode=methode, ddof=ddof, schluessel=schl)
        )
        assert np.array_equal(schnell, kern)
        assert int(schnell.sum()) == sit.gesamt_cents


def test_ziehungen_exakt_und_seedbar() -> None:
    sit = _sit()
    u = Unsicherheit(
        methoden=("spw", "index100", "t"), sd_typen=(0, 1), gewichte_spanne=0.5, indikatoren_weglassen=True
    )
    z1 = ziehe(sit, u, 32, seed=3)
    z2 = ziehe(sit, u, 32, seed=3)
    assert np.array_equal(z1.budgets, z2.budgets)
    assert z1.budgets.shape == (32 * (len(z1.faktoren) + 2), 6)
    assert np.all(z1.budgets.sum(axis=1) == sit.gesamt_cents)
    assert not np.array_equal(ziehe(sit, u, 32, seed=4).budgets, z1.budgets)


def test_nur_eine_wahl_variiert_totaler_index_eins() -> None:
    """Method and sd type uncertain, but with SPW/index100 the sd does not matter: the method
    explains everything (ST ≈ 1, S1 ≈ 1), the sd nothing."""
    sit = _sit()
    r = robustheit(sit, Unsicherheit(methoden=("spw", "index100"), sd_typen=(0, 1)), 512, seed=2)
    assert r.faktoren == ("Methode", "Standardabweichung")
    for s in sit.ids:
        assert r.st[s][0] == pytest.approx(1.0, abs=0.05)
        assert r.s1[s][0] == pytest.approx(1.0, abs=0.05)
        assert abs(r.st[s][1]) < 1e-9
    # only one uncertain choice at all
    r1 = robustheit(sit, Unsicherheit(gewichte_spanne=0.5), 256, seed=1)
    assert len(r1.faktoren) == 5
    r2 = robustheit(sit, Unsicherheit(methoden=("spw", "z")), 256, seed=1)
    assert all(r2.st[s][0] == pytest.approx(1.0, abs=0.05) for s in sit.ids)


def test_robustheit_kennzahlen() -> None:
    sit = _sit()
    r = robustheit(sit, Unsicherheit(methoden=("spw", "index100", "t"), gewichte_spanne=0.5), 128, seed=1)
    for s in sit.ids:
        assert r.q05[s] <= r.median[s] <= r.q95[s]
        assert r.minimum[s] <= r.q05[s] and r.q95[s] <= r.maximum[s]
        assert 1 <= r.rang_q05[s] <= r.rang_q95[s] <= 6
        assert isinstance(r.q05[s], Decimal) and r.q05[s] == r.q05[s].quantize(Decimal("0.01"))
    assert r.nominal["Nordviertel"] == Decimal("698767.79")
    assert r.ziehungen_je_sekunde > 500
    zeilen = r.zeilen()
    assert zeilen[0]["Sozialraum"] == "Altstadt" and "ST Methode" in zeilen[0]


def test_gini() -> None:
    assert gini(np.array([[100, 100]]), np.array([1, 1]))[0] == pytest.approx(0.0)
    assert gini(np.array([[0, 100]]), np.array([1, 1]))[0] == pytest.approx(0.5)


def test_keine_unsicherheit_ist_ein_fehler() -> None:
    from sozbudget_xl.errors import EingabeFehler

    with pytest.raises(EingabeFehler, match="keine unsichere Wahl"):
        ziehe(_sit(), Unsicherheit(), 16)


def test_szenarien_und_differenzen() -> None:
    sit = _sit()
    v = vergleiche_szenarien(
        sit,
        [
            Variante("SPW"),
            Variante("z", methode="z"),
            lies_variante("Ohne HzE: indikatoren=Einwohner je ha Siedlungs- und Verkehrsfläche;Arbeitslose"),
        ],
    )
    for n in v.varianten:
        assert sum(v.budgets[n].values()) == bsp.GESAMTBUDGET
        assert sum(v.differenz[n].values()) == 0
    assert all(x == 0 for x in v.differenz["SPW"].values())
    assert v.budgets["SPW"]["Nordviertel"] == Decimal("698767.79")
    zeile = v.zeilen()[0]
    assert "z − SPW" in zeile


def test_lies_variante() -> None:
    v = lies_variante("B: methode=z, sd=stichprobe, gewichte=A 60%/B 40%, kappung=5 %, jahre=3")
    assert (v.name, v.methode, v.ddof, dict(v.gewichte or {}), v.kappung, v.jahre) == (
        "B",
        "z",
        1,
        {"A": 0.6, "B": 0.4},
        Decimal("0.05"),
        3,
    )
    from sozbudget_xl.errors import EingabeFehler

    with pytest.raises(EingabeFehler, match="unbekannte Angabe"):
        lies_variante("X: farbe=blau")


def test_hundert_sozialraeume_mindestens_2000_ziehungen_je_sekunde() -> None:
    """Speed goal of issue 18 (generous margin for a loaded test machine: ≥ 1.000/s here;
    the benchmark measures the 2.000/s goal)."""
    rng = np.random.default_rng(1)
    rows = []
    for i in range(100):
        ew = int(rng.integers(2000, 30000))
        rows.append(
            {
                "Sozialraum": f"SR {i:03d}",
                "Jugendeinwohner": ew // 5,
                "A": float(rng.uniform(1, 9)),
                "B": float(rng.uniform(1, 9)),
                "C": float(rng.uniform(1, 9)),
                "D": float(rng.uniform(1, 9)),
                "E": float(rng.uniform(1, 9)),
            }
        )
    sit = situation_aus_tabelle(rows, [Indicator(c, c) for c in "ABCDE"], "5000000")
    u = Unsicherheit(
        methoden=("spw", "z", "sw", "t", "index100", "rang"),
        sd_typen=(0, 1),
        gewichte_spanne=0.5,
        indikatoren_weglassen=True,
    )
    z = ziehe(sit, u, 128, seed=0)
    assert z.budgets.shape[0] / z.sekunden > 1000


# --------------------------------------------------------------------------- imputation (issue 18)


def _mit_luecke(fehlend: str | None = "median"):
    rows = [dict(r) for r in bsp.SOZIALRAEUME]
    rows[2]["Bruttoaufwand HzE"] = " "  # a blank cell (the numerator of a rate)
    return rows, situation_aus_tabelle(rows, fuenf_indikatoren(), bsp.GESAMTBUDGET, fehlend=fehlend)


def test_fehlender_wert_wird_ersetzt_wie_von_hand() -> None:
    """A blank cell is imputed from the other areas: the same budget as with the value filled in
    by hand (median of the other areas' rates, back to a count); without ``fehlend`` an error."""
    from sozbudget_xl.analyse.situation import ersetze_fehlende
    from sozbudget_xl.errors import EingabeFehler

    rows, sit = _mit_luecke("median")
    name = str(rows[2]["Sozialraum"])
    ind = next(i for i in fuenf_indikatoren() if i.zaehler == "Bruttoaufwand HzE")
    assert sit.fehlend == ((name, ind.name),)
    andere = [float(r[ind.zaehler]) / float(r[ind.nenner]) for r in rows if r is not rows[2]]
    i = sit.ids.index(name)
    assert sit.werte[ind.name][i] == pytest.approx(float(np.median(andere)), rel=1e-12)
    # the same cell, imputed otherwise: the mean and the minimum give other budgets
    mittel = ersetze_fehlende(sit, sit.fehlend, "mittelwert")
    assert mittel.werte[ind.name][i] == pytest.approx(float(np.mean(andere)), rel=1e-12)
    assert not np.array_equal(budget_cents(mittel), budget_cents(sit))
    assert ersetze_fehlende(sit, sit.fehlend, "eingetragen") is sit
    with pytest.raises(EingabeFehler, match="keine Zahl"):
        situation_aus_tabelle(rows, fuenf_indikatoren(), bsp.GESAMTBUDGET)
    with pytest.raises(EingabeFehler, match="Ersatzwert"):
        ersetze_fehlende(sit, sit.fehlend, "raten")


def test_ersatzwert_als_unsichere_wahl() -> None:
    """Imputation as the only uncertain choice: every draw is the exact budget of one of the
    imputed situations, all alternatives occur, and the choice explains all the variance."""
    from sozbudget_xl.analyse.situation import ersetze_fehlende

    _, sit = _mit_luecke()
    arten = ("mittelwert", "median", "minimum", "maximum")
    u = Unsicherheit(ersatzwerte=arten)
    z = ziehe(sit, u, 64, seed=3)
    assert [f[1] for f in z.faktoren] == ["Ersatzwert fehlender Werte"]
    moeglich = {tuple(budget_cents(ersetze_fehlende(sit, sit.fehlend, a)).tolist()) for a in arten}
    gezogen = {tuple(b.tolist()) for b in z.budgets}
    assert gezogen == moeglich
    r = robustheit(sit, u, 256, seed=3)
    assert all(r.st[s][0] == pytest.approx(1.0, abs=0.1) for s in sit.ids)
    # a value marked uncertain in a complete table: the entered value is one alternative
    voll = _sit()
    zelle = (voll.ids[0], voll.auswahl[0])
    u2 = Unsicherheit(methoden=("spw", "z"), ersatzwerte=("eingetragen", "maximum"), fehlende_werte=(zelle,))
    z2 = ziehe(voll, u2, 32, seed=1)
    assert [f[0] for f in z2.faktoren] == ["methode", "ersatz"]
    assert np.all(z2.budgets.sum(axis=1) == voll.gesamt_cents)
    # without missing cells the imputation is no uncertain choice
    assert Unsicherheit(ersatzwerte=arten).faktoren(voll) == []
