"""Every model's declaration (spec.py) is complete and the adapters follow it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal

import pytest

from sozbudget_xl.einheiten import Einheit
from sozbudget_xl.models import MODELLE, modell
from sozbudget_xl.parsing import konvertiere
from sozbudget_xl.spec import MAPPE, Deklaration, parameter_in
from sozbudget_xl.vertragstexte import texte


@pytest.fixture(scope="module", params=MODELLE)
def beispiel(request):
    m = modell(request.param)
    return m, m.berechne(*m.beispiel())


def test_every_model_has_a_declaration():
    """Each registered model module defines DEKLARATION with inputs, outputs and contract texts."""
    for name in MODELLE:
        d = modell(name).DEKLARATION
        assert isinstance(d, Deklaration), name
        assert d.kennzahlen and d.ausgaben, name
        assert d.texte("regel"), f"{name}: no rule text for the annex"


def test_every_output_carries_a_unit(beispiel):
    """The example result knows the unit of every Kennzahl and of every table column."""
    _, r = beispiel
    assert set(r.einheiten) == set(r.kennzahlen)
    for name, zeilen in r.tabellen.items():
        spalten = {k for z in zeilen for k in z}
        assert set(r.spalten_einheiten[name]) == spalten, name
    assert all(isinstance(e, Einheit) for e in r.einheiten.values())


def test_money_outputs_hold_decimals(beispiel):
    """A Kennzahl declared as Euro holds a Decimal in whole cents (or None), never float or text."""
    _, r = beispiel
    for k, e in r.einheiten.items():
        if e is Einheit.EURO and r.kennzahlen[k] is not None:
            wert = r.kennzahlen[k]
            assert isinstance(wert, Decimal) and wert == wert.quantize(Decimal("0.01")), k


def _anders(feld, wert, auswahl):
    """A different valid-looking value of the same type (the text must show the change)."""
    if auswahl:
        return next(w.schluessel for w in auswahl if w.schluessel != wert)
    if isinstance(wert, bool):
        return not wert
    if isinstance(wert, Decimal):
        return wert + Decimal("0.0437") if wert < 1 else wert + Decimal("1234.57")
    if isinstance(wert, int):
        return wert + 3
    if isinstance(wert, dt.date):
        return wert + dt.timedelta(days=17)
    if isinstance(wert, tuple):
        return (*wert, wert[-1]) if wert else (Decimal("1000"),)
    if wert is None:
        return "BY"
    return f"{wert}x"


def test_contract_texts_follow_every_parameter_they_name(beispiel):
    """Changing any parameter a contract text uses changes that text (no fixed numbers)."""
    m, r = beispiel
    d = m.DEKLARATION
    felder = {f.feld: f for f in MAPPE + d.parameter + d.eingabe}
    for text in d.vertragstexte:
        for name in sorted(parameter_in(text.text)):
            assert hasattr(r.parameter, name), f"{m.NAME}: text names unknown parameter {name}"
            alt = getattr(r.parameter, name)
            neu = dataclasses.replace(r.parameter, **{name: _anders(name, alt, felder[name].auswahl)})
            r2 = dataclasses.replace(r, parameter=neu)
            vorher = [t["text"] for t in texte(r, text.art)]
            nachher = [t["text"] for t in texte(r2, text.art)]
            assert vorher != nachher, f"{m.NAME}: text „{text.text[:60]}…“ ignores {name}"


def test_choices_accept_key_and_german_word():
    """Every choice is accepted as its internal key and as its German display word."""
    for name in MODELLE:
        d = modell(name).DEKLARATION
        felder = list(d.eingabe + d.parameter) + [sp for t in d.tabellen for sp in t.spalten]
        for f in felder:
            for w in f.auswahl or ():
                typ = "ganzzahl" if f.typ == "ganzzahl" else "text"
                erwartet = int(w.schluessel) if typ == "ganzzahl" else w.schluessel
                assert konvertiere(typ, w.schluessel, auswahl=f.auswahl, negativ=True) == erwartet
                assert konvertiere(typ, w.anzeige, auswahl=f.auswahl, negativ=True) == erwartet


def test_help_texts_never_repeat_a_default_by_hand():
    """Defaults appear in help texts only through the workbook layer (read from the dataclass)."""
    for name in MODELLE:
        d = modell(name).DEKLARATION
        for f in d.eingabe + d.parameter:
            hand = re.search(r"\(Standard|Standard:|Standard \d", f.hilfe)
            assert not hand, f"{name}: {f.titel}: {f.hilfe}"


def test_shared_choice_words_cover_every_method_and_key():
    """The German words of index methods and allocation keys cover exactly the core's keys."""
    from sozbudget_xl.indicators import METHODEN, SCHLUESSEL
    from sozbudget_xl.spec import METHODEN_WAHLEN, SCHLUESSEL_WAHLEN

    assert tuple(w.schluessel for w in METHODEN_WAHLEN) == METHODEN
    assert tuple(w.schluessel for w in SCHLUESSEL_WAHLEN) == SCHLUESSEL
    assert len({w.anzeige for w in METHODEN_WAHLEN}) == len(METHODEN_WAHLEN)


def test_anleitung_yes_no_words_are_accepted_by_the_reader():
    """Every yes/no word the workbook's Anleitung names is accepted by the one cell parser."""
    from sozbudget_xl.workbook.vorlage import _JA_NEIN_TEXT

    for wort in ("ja", "x", "1", "wahr", "erfüllt", "✓"):
        assert wort in _JA_NEIN_TEXT and konvertiere("ja_nein", wort) is True
    for wort in ("nein", "0", "falsch", "nicht erfüllt"):
        assert wort in _JA_NEIN_TEXT and konvertiere("ja_nein", wort) is False
