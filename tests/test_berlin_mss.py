"""The preset berlin_mss reproduces every official class of Berlin's MSS 2021 (spec §2.5a)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sozbudget_xl.indicators import berlin_mss

# shared/ lies beside the repository (also in CI's fresh clone)
DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "berlin-mss-2021"


@pytest.fixture(scope="module")
def berlin():
    if not (DATA / "indikatoren_anteile_2021.csv").exists():
        pytest.skip(f"Berliner MSS-Daten nicht gefunden unter {DATA}")
    shares = pd.read_csv(DATA / "indikatoren_anteile_2021.csv", dtype={"id": str})
    official = pd.read_csv(DATA / "klassen_offiziell_2021.csv", dtype={"id": str})
    evaluated = official[official["status_index_klasse"].notna()]
    shares = shares[shares["id"].isin(evaluated["id"])]
    result = berlin_mss(shares)
    return result.merge(evaluated, on="id", how="inner"), len(evaluated)


def test_every_official_status_class(berlin):
    """All 536 evaluated Planungsräume get exactly the official Status-Index class."""
    merged, n = berlin
    assert len(merged) == n == 536
    wrong = merged[merged["Status-Klasse"] != merged["status_index_klasse"]]
    assert wrong.empty, wrong[["id", "Status-Index", "Status-Klasse", "status_index_klasse"]].to_string()


def test_every_official_dynamik_class(berlin):
    """All 536 evaluated Planungsräume get exactly the official Dynamik-Index class."""
    merged, _ = berlin
    wrong = merged[merged["Dynamik-Klasse"] != merged["dynamik_index_klasse"]]
    assert wrong.empty, wrong[["id", "Dynamik-Index", "Dynamik-Klasse", "dynamik_index_klasse"]].to_string()


def test_class_counts_match_the_report(berlin):
    """Class sizes as published: 75 hoch, 366 mittel, 46 niedrig, 49 sehr niedrig; 48/436/52 dynamics."""
    merged, _ = berlin
    assert merged["Status-Klasse"].value_counts().to_dict() == {
        "mittel": 366,
        "hoch": 75,
        "sehr niedrig": 49,
        "niedrig": 46,
    }
    assert merged["Dynamik-Klasse"].value_counts().to_dict() == {"stabil": 436, "negativ": 52, "positiv": 48}


def test_status_index_is_restandardised(berlin):
    """The Status-Index is z-standardised again: mean 0, population sd 1."""
    merged, _ = berlin
    assert merged["Status-Index"].mean() == pytest.approx(0.0, abs=1e-12)
    assert merged["Status-Index"].std(ddof=0) == pytest.approx(1.0)
