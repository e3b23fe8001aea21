"""Every budget model honours the common interface (spec §3; models/base.py)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from sozbudget_xl.errors import ModellFehler, SozbudgetError
from sozbudget_xl.models import ALIASE, MODELLE, alle_modelle, modell
from sozbudget_xl.models.base import Art, ModelResult

MODULES = alle_modelle()
IDS = [m.NAME for m in MODULES]
README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_registry_has_the_seven_models_of_the_spec():
    """The registry lists the seven models of spec §3.1–§3.7 and each module's NAME is its key."""
    assert MODELLE == ("kgst", "stuttgart", "neunkirchen", "muenchen", "tuebingen", "celle", "dreisaeulen")
    assert [m.NAME for m in MODULES] == list(MODELLE)


@pytest.mark.parametrize("alias", sorted(ALIASE))
def test_aliases_resolve(alias):
    """German spellings (München, Tübingen, Drei Säulen …) find their model."""
    assert ALIASE[alias] == modell(alias).NAME
    assert ALIASE[alias] == modell(alias.upper()).NAME


def test_unknown_model_is_a_german_error_listing_the_models():
    """An unknown model name is a ModellFehler that lists the valid names."""
    with pytest.raises(ModellFehler, match=r"unbekanntes Modell „Hamburg“.*kgst, stuttgart"):
        modell("Hamburg")


@pytest.mark.parametrize("m", MODULES, ids=IDS)
def test_module_contract(m):
    """Each model module has title, source, description, Parameter, Eingabe, berechne, beispiel."""
    for attr in ("TITEL", "QUELLE", "BESCHREIBUNG"):
        assert isinstance(getattr(m, attr), str) and getattr(m, attr).strip()
    assert dataclasses.is_dataclass(m.Parameter) and dataclasses.is_dataclass(m.Eingabe)
    m.Parameter()  # every parameter has a default
    assert m.__doc__ and "§" in m.__doc__
    assert callable(m.berechne) and callable(m.beispiel)


@pytest.mark.parametrize("m", MODULES, ids=IDS)
def test_example_result_is_exact_and_complete(m):
    """The worked example computes; line items sum to the total to the cent, nothing negative,
    every item names its kind and source, and the instalments are whole cents ≥ 0."""
    eingabe, parameter = m.beispiel()
    result = m.berechne(eingabe, parameter)
    assert isinstance(result, ModelResult)
    assert result.modell == m.NAME
    assert result.positionen, "no line items"
    assert sum((p.betrag for p in result.positionen), Decimal("0.00")) == result.gesamt
    assert len(result.traeger) + len(result.sozialraeume) >= 3
    for p in result.positionen:
        assert p.betrag >= 0, p
        assert isinstance(p.art, Art)
        assert p.quelle, p
        assert p.position.strip()
        if p.art in (Art.BEDINGT, Art.BONUS):
            assert p.bedingung.strip(), f"{p.position}: bedingte Position ohne Bedingung"
    for rate in result.zahlungsplan:
        assert rate.betrag >= 0 and rate.betrag == rate.betrag.quantize(Decimal("0.01"))


@pytest.mark.parametrize("m", MODULES, ids=IDS)
def test_same_input_same_result(m):
    """A model is a pure function: the same input gives an equal result."""
    eingabe, parameter = m.beispiel()
    assert m.berechne(eingabe, parameter) == m.berechne(eingabe, parameter)


@pytest.mark.parametrize("m", MODULES, ids=IDS)
def test_default_parameters_work(m):
    """berechne works with the default parameters (parameter=None)."""
    eingabe, _ = m.beispiel()
    assert m.berechne(eingabe).gesamt >= 0


JUNK = [None, "", "€", 0, object(), [], {}]


@pytest.mark.parametrize("m", MODULES, ids=IDS)
@pytest.mark.parametrize("junk", JUNK, ids=[repr(j)[:12] for j in JUNK])
def test_junk_input_is_a_sozbudget_error(m, junk):
    """Junk instead of an Eingabe is a SozbudgetError naming the model, never another exception."""
    with pytest.raises(SozbudgetError) as exc:
        m.berechne(junk)
    assert m.NAME in str(exc.value) or m.TITEL in str(exc.value)


@pytest.mark.parametrize("m", MODULES, ids=IDS)
def test_junk_parameters_are_a_sozbudget_error(m):
    """Junk instead of Parameter is a SozbudgetError, never another exception."""
    eingabe, _ = m.beispiel()
    with pytest.raises(SozbudgetError):
        m.berechne(eingabe, "falsch")


@pytest.mark.parametrize("m", MODULES, ids=IDS)
def test_readme_documents_the_model(m):
    """The README's model table names every model with its key and source section."""
    assert f"`{m.NAME}`" in README
    assert m.TITEL in README


def test_readme_model_table_is_the_generated_one():
    """The README's model table is exactly what the registry and the declarations produce
    (regenerate with ``python -m sozbudget_xl.doku``): no row is written by hand."""
    from sozbudget_xl.doku import ANFANG, ENDE, modelltabelle

    _, _, rest = README.partition(ANFANG)
    tabelle, _, _ = rest.partition(ENDE)
    assert tabelle.strip() == modelltabelle().strip()


@pytest.mark.parametrize("m", MODULES, ids=IDS)
def test_readme_lists_every_model_parameter(m):
    """The README's model row names every model-specific parameter of the code by its German label."""
    row = next(line for line in README.splitlines() if line.startswith(f"| `{m.NAME}` |"))
    titel = {f.feld: f.titel for f in m.DEKLARATION.parameter}
    missing = [
        f.name
        for f in dataclasses.fields(m.Parameter)
        if f.name not in {"jahr", "zahlungsweise", "werktag", "bundesland", "termine"}
        and f"{titel.get(f.name, f.name)}:" not in row
    ]
    assert not missing, f"README-Zeile von {m.NAME} nennt nicht: {missing}"
