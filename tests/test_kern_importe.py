"""The core imports and computes with numpy and Babel alone (issue 10, item 9).

pandas, openpyxl, xlwings, docxtpl, jinja2, lxml and defusedxml belong to the adapters
(workbook, excel, annex, vertragstexte). A fresh interpreter that cannot import any of them
must still load every budget model, compute its example and run the indicator functions on
plain numpy input; and ``import sozbudget_xl.cli`` must not pull in pandas.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

WURZEL = Path(__file__).resolve().parents[1]

GESPERRT = ("pandas", "openpyxl", "xlwings", "docxtpl", "jinja2", "lxml", "defusedxml")

KERN_SKRIPT = textwrap.dedent(
    """
    import sys
    from importlib.abc import MetaPathFinder

    GESPERRT = {gesperrt!r}


    class Sperre(MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in GESPERRT:
                raise ModuleNotFoundError(f"gesperrt im Kerntest: {{name}}", name=name)
            return None


    sys.meta_path.insert(0, Sperre())
    for mod in [m for m in sys.modules if m.split(".")[0] in GESPERRT]:
        del sys.modules[mod]

    import numpy as np

    import sozbudget_xl
    from sozbudget_xl import indicators as ind
    from sozbudget_xl.models import alle_modelle
    from sozbudget_xl.money import euro

    for modul in alle_modelle():
        ergebnis = modul.berechne(*modul.beispiel())
        assert ergebnis is not None, modul.NAME

    werte = np.array([10.0, 20.0, 20.0, 40.0])
    for methode in ind.METHODEN:
        for richtung in (1, -1):
            s, _ = ind.standardisiere(werte, methode, richtung=richtung, name="Quote")
            assert s.shape == werte.shape, methode
    rang, _ = ind.standardisiere(werte, "rang")
    assert rang.tolist() == [4.0, 2.0, 2.0, 1.0], rang

    quote = ind.raten(np.array([5.0, 10.0, 30.0, 8.0]), np.array([100.0, 100.0, 200.0, 50.0]), faktor=100)
    spw, _ = ind.standardisiere(quote)
    index = ind.index_aus_werten([spw, ind.standardisiere(werte)[0]], [0.75, 0.25])
    ind.klassifiziere(index, ind.Klassenschema(grenzen=(50.0,), labels=("niedrig", "hoch")))
    ind.klassifiziere(ind.standardisiere(werte, "z")[0], ind.BERLIN_STATUS_KLASSEN)
    ind.jugend_einwohner_index(np.array([100.0, 300.0]), np.array([1000.0, 1200.0]))
    ind.jugendeinwohnerwert(np.array([1000.0, 1000.0]), spw[:2])
    ind.fuenf_indikatoren()

    regionen = {{
        "Sozialraum": np.array(["A", "B", "C", "D"]),
        "Jugendeinwohner": np.array([100.0, 200.0, 150.0, 50.0]),
        "Fälle": np.array([5.0, 10.0, 30.0, 8.0]),
        "Quote": quote,
    }}
    quote_ind = ind.Indicator("Quote", "Quote")
    faelle_ind = ind.Indicator("Fälle je Jugendeinwohner", "Fälle", "Jugendeinwohner", richtung=1)
    indikatoren = [quote_ind, faelle_ind]
    b = ind.bewerte(regionen, indikatoren, klassen=ind.BERLIN_STATUS_KLASSEN, methode="z")
    assert len(b.index) == 4
    zeilen = [dict(zip(regionen, z)) for z in zip(*regionen.values())]
    budget = ind.verteile_nach_index("1000.00", zeilen, indikatoren, zielgruppe="Jugendeinwohner")
    assert sum(budget.values()) == euro("1000.00"), budget
    ids, w, _ = ind.schluessel_gewichte(regionen, indikatoren, zielgruppe="Jugendeinwohner")
    assert sum(ind.budgets_aus_gewichten("99.99", ids, w).values()) == euro("99.99")
    assert [r for r, _ in ind.rangfolge(zeilen, indikatoren)][0] == "C"
    ind.rangfolge(regionen, indikatoren, methode="rang")

    geladen = sorted(m for m in sys.modules if m.split(".")[0] in GESPERRT)
    assert not geladen, geladen
    print("OK")
    """
).format(gesperrt=set(GESPERRT))


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=WURZEL, capture_output=True, text=True, timeout=300
    )


def test_kern_rechnet_ohne_adapterpakete():
    r = _python(KERN_SKRIPT)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().endswith("OK"), r.stdout


def test_cli_import_laedt_kein_pandas():
    r = _python("import sys, sozbudget_xl.cli; print('pandas' in sys.modules)")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "False"
