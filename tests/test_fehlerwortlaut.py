"""One wording for bad input in all seven models (issue 10, item 4).

The same bad value gives the same message, expectation and „gefunden“ in every model; only the
location (model, item, field, path) differs. Duplicate names are compared the same way everywhere
(case, Unicode NFC, zero-width characters and no-break spaces do not make two names different).
"""

from __future__ import annotations

import dataclasses
import unicodedata
from typing import Any

import pytest

from sozbudget_xl.errors import ModellFehler
from sozbudget_xl.models import modell
from sozbudget_xl.models._pruefung import namensschluessel

MODELLE = ("kgst", "stuttgart", "neunkirchen", "muenchen", "tuebingen", "celle", "dreisaeulen")


def _ersetze_zeile(eingabe: Any, tabelle: str, index: int, **werte: Any) -> Any:
    zeilen = list(getattr(eingabe, tabelle))
    zeilen[index] = dataclasses.replace(zeilen[index], **werte)
    return dataclasses.replace(eingabe, **{tabelle: tuple(zeilen)})


#: where each model takes a share: (change of the example, expected path, expected field)
ANTEIL = {
    "kgst": (lambda e, p, v: (e, dataclasses.replace(p, anteil_fallspezifisch=v)),
             ("parameter", "anteil_fallspezifisch"), "Anteil fallspezifisch"),
    "stuttgart": (lambda e, p, v: (e, dataclasses.replace(p, bonus_hoechstsatz=v)),
                  ("parameter", "bonus_hoechstsatz"), "Bonus-Höchstsatz"),
    "neunkirchen": (lambda e, p, v: (_ersetze_zeile(e, "kandidaten", 0, anteil_unter_25=v), p),
                    ("kandidaten", 0, "anteil_unter_25"), None),
    "tuebingen": (lambda e, p, v: (_ersetze_zeile(e, "stationen", 0, kostenanteil=v), p),
                  ("stationen", 0, "kostenanteil"), "Kostenanteil"),
    "celle": (lambda e, p, v: (e, dataclasses.replace(p, anteil_ambulant=v)),
              ("parameter", "anteil_ambulant"), "Anteil ambulant"),
    "dreisaeulen": (lambda e, p, v: (e, dataclasses.replace(p, prognose_toleranz=v)),
                    ("parameter", "prognose_toleranz"), "Prognosetoleranz"),
}  # fmt: skip

#: where each model takes an amount of money
BETRAG = {
    "kgst": (lambda e, p, v: (dataclasses.replace(e, gesamtbudget=v), p),
             ("eingabe", "gesamtbudget"), "Gesamtbudget"),
    "stuttgart": (lambda e, p, v: (dataclasses.replace(e, teilbudget_b=v), p),
                  ("eingabe", "teilbudget_b"), "Teilbudget b"),
    "neunkirchen": (lambda e, p, v: (_ersetze_zeile(e, "hilfearten", 0, kosten_je_fall=v), p),
                    ("hilfearten", 0, "kosten_je_fall"), "Kosten je Fall"),
    "muenchen": (lambda e, p, v: (e, dataclasses.replace(p, kostensatz_vollzeitstelle=v)),
                 ("parameter", "kostensatz_vollzeitstelle"), "Kostensatz je Vollzeitstelle"),
    "tuebingen": (lambda e, p, v: (dataclasses.replace(e, bereich_b1=v), p),
                  ("eingabe", "bereich_b1"), "Bereich B1"),
    "celle": (lambda e, p, v: (dataclasses.replace(e, vorjahresrechnungsergebnis=v), p),
              ("eingabe", "vorjahresrechnungsergebnis"), "Vorjahresrechnungsergebnis"),
    "dreisaeulen": (lambda e, p, v: (dataclasses.replace(e, quartiersbudget=v), p),
                    ("eingabe", "quartiersbudget"), "Quartiersbudget"),
}  # fmt: skip


def _fehler(name: str, aendern: Any, wert: Any) -> ModellFehler:
    m = modell(name)
    eingabe, parameter = aendern(*m.beispiel(), wert)
    with pytest.raises(ModellFehler) as info:
        m.berechne(eingabe, parameter)
    return info.value


def _wortlaut(err: ModellFehler) -> str:
    """The message without its location: what is wrong (expected …, found …)."""
    return str(err).split("“: ", 1)[1] if "“: " in str(err) else str(err)


#: bad value → (message, expected, found, the text after the location)
ANTEIL_FAELLE = {
    "abc": (
        "„abc“ ist kein gültiger Prozentsatz",
        "0 bis 100 %",
        "abc",
        "„abc“ ist kein gültiger Prozentsatz (erwartet 0 bis 100 %, gefunden abc)",
    ),
    1.2: (
        "Prozentsatz über 100 %",
        "0 bis 100 % (als Bruch wie 0,5 oder mit %-Zeichen wie 50 %)",
        1.2,
        "Prozentsatz über 100 % (erwartet 0 bis 100 % (als Bruch wie 0,5 oder mit %-Zeichen wie 50 %), "
        "gefunden 1,2)",
    ),
    None: (
        "kein Prozentsatz angegeben",
        "0 bis 100 %",
        None,
        "kein Prozentsatz angegeben (erwartet 0 bis 100 %)",
    ),
}

BETRAG_FAELLE = {
    -5: (
        "Betrag darf nicht negativ sein",
        "0 oder mehr",
        -5,
        "Betrag darf nicht negativ sein (erwartet 0 oder mehr, gefunden -5)",
    ),
    None: (
        "kein Betrag angegeben",
        "einen Betrag in €",
        None,
        "kein Betrag angegeben (erwartet einen Betrag in €)",
    ),
    "abc": (
        "„abc“ ist kein gültiger Betrag",
        "eine Zahl wie 1.234,56",
        "abc",
        "„abc“ ist kein gültiger Betrag (erwartet eine Zahl wie 1.234,56, gefunden abc)",
    ),
}


@pytest.mark.parametrize("wert", list(ANTEIL_FAELLE), ids=repr)
@pytest.mark.parametrize("name", sorted(ANTEIL))
def test_anteil_gleicher_wortlaut_in_allen_modellen(name, wert):
    """Anteil "abc", 1.2 or missing: the same message, expectation and found in every model."""
    aendern, pfad, feld = ANTEIL[name]
    err = _fehler(name, aendern, wert)
    meldung, erwartet, gefunden, text = ANTEIL_FAELLE[wert]
    assert (err.message, err.expected, err.found) == (meldung, erwartet, gefunden)
    assert _wortlaut(err) == text
    assert err.model == name and err.pfad == pfad
    if feld is not None:
        assert err.field == feld and f"Feld „{feld}“" in str(err)
    assert "'" not in str(err)  # never repr() quotes


@pytest.mark.parametrize("wert", list(BETRAG_FAELLE), ids=repr)
@pytest.mark.parametrize("name", MODELLE)
def test_betrag_gleicher_wortlaut_in_allen_modellen(name, wert):
    """Betrag -5, missing or "abc": the same message, expectation and found in every model."""
    aendern, pfad, feld = BETRAG[name]
    err = _fehler(name, aendern, wert)
    meldung, erwartet, gefunden, text = BETRAG_FAELLE[wert]
    assert (err.message, err.expected, err.found) == (meldung, erwartet, gefunden)
    assert _wortlaut(err) == text
    assert err.model == name and err.pfad == pfad and err.field == feld
    assert "'" not in str(err)


def test_jedes_modell_hat_einen_betrag_und_fast_jedes_einen_anteil():
    """The parametrisation covers all seven models (München has no share input)."""
    assert set(BETRAG) == set(MODELLE)
    assert set(ANTEIL) == set(MODELLE) - {"muenchen"}


# --------------------------------------------------------------------------- duplicate names


#: the first Träger's name in the tests (with an umlaut, so NFC and NFD differ)
ERSTER = "Caritasverband Musterstadt-Süd e.V."


def _traeger_doppelt(name: str, zweiter: str) -> tuple[Any, Any]:
    """The example of ``name`` with its first two Träger named ``ERSTER`` and ``zweiter``."""
    m = modell(name)
    eingabe, parameter = m.beispiel()
    if name == "neunkirchen":
        mitglieder = (ERSTER, zweiter, *eingabe.mitglieder[2:])
        return dataclasses.replace(eingabe, mitglieder=mitglieder), parameter
    eingabe = _ersetze_zeile(eingabe, "traeger", 0, name=ERSTER)
    return _ersetze_zeile(eingabe, "traeger", 1, name=zweiter), parameter


def _varianten(text: str) -> dict[str, str]:
    return {
        "gross": text.upper(),
        "klein": text.casefold(),
        "nfd": unicodedata.normalize("NFD", text),
        "nullbreite": text[:3] + "\u200b" + text[3:] + "\ufeff",
        "geschuetzt": text.replace(" ", "\u00a0 ", 1),
    }


@pytest.mark.parametrize("art", ["gross", "klein", "nfd", "nullbreite", "geschuetzt"])
@pytest.mark.parametrize("name", ["kgst", "neunkirchen", "celle", "dreisaeulen"])
def test_doppelte_traeger_gleich_verglichen(name, art):
    """Träger names differing only in case, NFC, zero-width characters or no-break spaces are
    refused as duplicates in every model with a Träger list; the message shows both as typed."""
    erster = ERSTER
    zweiter = _varianten(erster)[art]
    assert zweiter != erster and namensschluessel(zweiter) == namensschluessel(erster)
    eingabe, parameter = _traeger_doppelt(name, zweiter)
    with pytest.raises(ModellFehler) as info:
        modell(name).berechne(eingabe, parameter)
    err = info.value
    assert err.message == "Träger doppelt angegeben"
    assert err.found == f"„{erster}“ und „{zweiter.strip()}“"
    assert err.pfad is not None and err.pfad[:2] in (("traeger", 1), ("mitglieder", 1))


def test_nfd_und_nfc_sind_ein_name():
    """A name typed decomposed (NFD) equals its composed form (NFC)."""
    assert namensschluessel("Muenchen Süd") != namensschluessel("Muenchen Sud")
    assert namensschluessel(unicodedata.normalize("NFD", "Süd")) == namensschluessel("SÜD")
