"""The shipped holiday table (sozbudget_xl/feiertage.py, issue 15) is exactly the package ``holidays``.

The table is derived data: if an update of ``holidays`` changes a German holiday, the comparison
below fails; regenerate with ``python -m sozbudget_xl.feiertage``.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import holidays
import pytest

from sozbudget_xl import _feiertage_daten as daten
from sozbudget_xl import feiertage, schedule

WURZEL = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("schluessel", feiertage.SCHLUESSEL)
def test_tabelle_gleich_dem_paket_holidays(schluessel):
    """Every year of the table, for the federation and each Land, equals ``country_holidays``."""
    land = None if schluessel == "DE" else schluessel
    jahre = range(feiertage.ERSTES_JAHR, feiertage.LETZTES_JAHR + 1)
    paket = holidays.country_holidays("DE", subdiv=land, years=jahre)
    for jahr in jahre:
        erwartet = frozenset(tag for tag in paket if tag.year == jahr)
        assert feiertage.feiertage(land, jahr) == erwartet, (schluessel, jahr)


def test_tabelle_deckt_alle_haushaltsjahre():
    """Budget years run 1990–2200 (schedule.faelligkeiten) and a due date may move into January of
    the next year: the table covers all of them, so no valid plan needs the package."""
    assert feiertage.ERSTES_JAHR <= 1990
    assert feiertage.LETZTES_JAHR >= 2202
    assert feiertage.LAENDER == schedule.BUNDESLAENDER
    assert set(feiertage.LAENDER) <= set(holidays.country_holidays("DE").subdivisions)


def test_tabelle_stichproben():
    """Known holidays: Reformationstag 2017 everywhere, Frauentag in Berlin since 2019, Weltkindertag
    in Thüringen, Buß- und Bettag only in Sachsen since 1995."""
    assert dt.date(2017, 10, 31) in feiertage.feiertage(None, 2017)
    assert dt.date(2018, 10, 31) not in feiertage.feiertage(None, 2018)
    assert dt.date(2018, 10, 31) in feiertage.feiertage("NI", 2018)
    assert dt.date(2019, 3, 8) in feiertage.feiertage("BE", 2019)
    assert dt.date(2018, 3, 8) not in feiertage.feiertage("BE", 2018)
    assert dt.date(2026, 9, 20) in feiertage.feiertage("TH", 2026)
    assert dt.date(2026, 11, 18) in feiertage.feiertage("SN", 2026)
    assert dt.date(2026, 11, 18) not in feiertage.feiertage("BY", 2026)
    assert dt.date(1994, 11, 16) in feiertage.feiertage("BY", 1994)
    assert len(feiertage.feiertage(None, 2026)) == 9


def test_ausserhalb_der_tabelle_none_und_unbekanntes_land():
    assert feiertage.feiertage("BY", feiertage.ERSTES_JAHR - 1) is None
    assert feiertage.feiertage(None, feiertage.LETZTES_JAHR + 1) is None
    with pytest.raises(ValueError, match="unbekanntes Bundesland"):
        feiertage.feiertage("XY", 2026)


def test_ausserhalb_der_tabelle_fragt_schedule_das_paket():
    """Dates outside the table's years (given dates of the rhythm ``termine``) still move over
    holidays: the package answers."""
    jahr = feiertage.LETZTES_JAHR + 5
    erwartet = frozenset(holidays.country_holidays("DE", subdiv="BY", years=(jahr, jahr + 1)))
    assert schedule._holidays("BY", jahr) == erwartet
    erwartet = frozenset(holidays.country_holidays("DE", subdiv="BY", years=(1985, 1986)))
    assert schedule._holidays("BY", 1985) == erwartet


def test_erzeugte_datei_gleich_der_mitgelieferten(tmp_path, monkeypatch):
    """``python -m sozbudget_xl.feiertage`` writes the shipped module: the same table for the same
    years (its header names the version of ``holidays`` it was made from, which may differ)."""
    assert feiertage.tabelle_erzeugen(feiertage.ERSTES_JAHR, feiertage.LETZTES_JAHR) == daten.TABELLE
    ziel = tmp_path / "_feiertage_daten.py"
    monkeypatch.setattr(feiertage, "DATEI", ziel)
    assert feiertage.main([]) == 0
    namen: dict[str, object] = {}
    exec(ziel.read_text(encoding="utf-8"), namen)
    assert (namen["ERSTES_JAHR"], namen["LETZTES_JAHR"]) == (feiertage.ERSTES_JAHR, feiertage.LETZTES_JAHR)
    assert namen["TABELLE"] == daten.TABELLE
    assert f"holidays {holidays.__version__}" in ziel.read_text(encoding="utf-8")


def test_tabelle_laedt_holidays_nicht():
    """A lookup inside the table's years does not import ``holidays`` (≈ 40 ms of a start)."""
    code = (
        "import sys, datetime\n"
        "from sozbudget_xl import schedule\n"
        "print(schedule.naechster_werktag(datetime.date(2026, 1, 6), 'BY'), "
        "schedule.naechster_werktag(datetime.date(2196, 12, 31), 'SN'), 'holidays' in sys.modules)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=WURZEL, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["2026-01-07", "2197-01-02", "False"]
