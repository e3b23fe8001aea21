"""Memory of the contract fingerprint and the year stage of a recalc (issue 15): the same digests
and rows as before, without the large transient copies."""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import hashlib
import tracemalloc
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sozbudget_xl import vertraege
from sozbudget_xl.models import celle, dreisaeulen, kgst, muenchen, neunkirchen, stuttgart, tuebingen

BEISPIELE = Path(__file__).resolve().parents[1] / "workbooks"


def _wie_bisher(eingabe: Any, parameter: Any, modell: str = "") -> str:
    """The fingerprint as it was computed before (and is stored in users' workbooks)."""
    return hashlib.sha256(repr((modell, eingabe, parameter)).encode("utf-8")).hexdigest()[:24]


@dataclasses.dataclass(frozen=True)
class _Zeile:
    name: str
    betrag: Decimal
    teile: tuple[Any, ...] = ()
    geheim: Any = dataclasses.field(default=None, repr=False)


@dataclasses.dataclass(frozen=True, slots=True)
class _Schlank:
    a: Any
    b: Any = None


@dataclasses.dataclass(frozen=True)
class _EigenesRepr:
    a: Any

    def __repr__(self) -> str:
        return f"<eigen {len(repr(self.a))}>"


@dataclasses.dataclass(frozen=True, repr=False)
class _ErbtRepr(_Zeile):
    mehr: int = 7  # not printed: the base's __repr__ knows only its own fields


class _Unterklasse(_Zeile):
    pass


class _Tupel(tuple):
    pass


_Benannt = collections.namedtuple("_Benannt", "x y")

_blatt = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(),
    st.floats(allow_nan=False),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1990, 1, 1)),
)


def _zusammengesetzt(kinder: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.lists(kinder, max_size=40).map(tuple),
        st.lists(kinder, max_size=40),
        st.lists(kinder, min_size=1, max_size=1).map(tuple),
        st.dictionaries(st.text(max_size=3), kinder, max_size=3),
        st.builds(
            _Zeile, st.text(), st.decimals(allow_nan=False), st.lists(kinder, max_size=3).map(tuple), kinder
        ),
        st.builds(_Schlank, kinder, kinder),
        st.builds(_EigenesRepr, kinder),
        st.builds(
            _ErbtRepr, st.text(), st.decimals(allow_nan=False), st.tuples(kinder), kinder, st.integers()
        ),
        st.builds(_Unterklasse, st.text(), st.decimals(allow_nan=False), st.tuples(kinder)),
        st.lists(kinder, max_size=3).map(_Tupel),
        st.builds(_Benannt, kinder, kinder),
    )


_werte = st.recursive(_blatt, _zusammengesetzt, max_leaves=120)


@settings(max_examples=300, deadline=None)
@given(_werte, _werte, st.text(max_size=12))
def test_fingerabdruck_wie_bisher_fuer_beliebige_eingaben(eingabe: Any, parameter: Any, modell: str) -> None:
    assert vertraege.fingerabdruck(eingabe, parameter, modell) == _wie_bisher(eingabe, parameter, modell)


@pytest.mark.parametrize("modul", [celle, dreisaeulen, kgst, muenchen, neunkirchen, stuttgart, tuebingen])
def test_fingerabdruck_wie_bisher_fuer_die_beispiele_der_modelle(modul: Any) -> None:
    eingabe, parameter = modul.beispiel()
    assert vertraege.fingerabdruck(eingabe, parameter, modul.NAME) == _wie_bisher(
        eingabe, parameter, modul.NAME
    )
    lang = dataclasses.replace(parameter)  # a second object with equal contents: equal digest
    assert vertraege.fingerabdruck(eingabe, lang, modul.NAME) == _wie_bisher(eingabe, parameter, modul.NAME)


def test_fingerabdruck_lange_folgen_und_grenzen() -> None:
    for n in (0, 1, 2, vertraege._LANG - 1, vertraege._LANG, vertraege._LANG + 1, 5000):
        for folge in (tuple, list):
            e = _Zeile("ä€𝄞", Decimal("1.10"), folge(_Zeile(f"z{i}", Decimal(i), (i,)) for i in range(n)))
            assert vertraege.fingerabdruck(e, folge(range(n)), "m") == _wie_bisher(e, folge(range(n)), "m")


def test_fingerabdruck_zyklisch_wie_bisher() -> None:
    liste: list[Any] = [1, 2]
    liste.append(liste)
    assert vertraege.fingerabdruck(liste, None, "x") == _wie_bisher(liste, None, "x")


def test_fingerabdruck_unterscheidet_und_braucht_keine_kopie_der_eingabe() -> None:
    zeilen = tuple(_Zeile(f"Quartier {i}", Decimal(i) / 100, (i, "Nord")) for i in range(40_000))
    e = _Zeile("Eingabe", Decimal("1.00"), zeilen)
    text = len(repr(("dreisaeulen", e, None)))
    tracemalloc.start()
    try:
        neu = vertraege.fingerabdruck(e, None, "dreisaeulen")
        spitze = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert neu == _wie_bisher(e, None, "dreisaeulen")
    assert spitze < text / 10  # before: the text and its UTF-8 copy (> 2 × text)
    anders = dataclasses.replace(
        e, teile=(*zeilen[:-1], dataclasses.replace(zeilen[-1], betrag=Decimal("0.01")))
    )
    assert vertraege.fingerabdruck(anders, None, "dreisaeulen") != neu


@pytest.mark.parametrize("datei", sorted(BEISPIELE.glob("*.xls*")), ids=lambda p: p.name)
def test_fingerabdruck_der_beispielmappen_wie_bisher(datei: Path, tmp_path: Path) -> None:
    from sozbudget_xl.vertragsmappe import _fingerabdruck, lies_vertragsblatt
    from sozbudget_xl.workbook.recalc import berechne_mappe, neu_berechnen

    b = berechne_mappe(datei)
    assert _fingerabdruck(b) == _wie_bisher(b.eingabe, b.parameter, b.modul.NAME)
    neu_berechnen(datei, ausgabeordner=tmp_path)  # the digest recalc stores on „Verträge“
    assert lies_vertragsblatt(tmp_path / datei.name).pruefsumme == _fingerabdruck(b)


# ----------------------------------------------------------------------------- rows of the year stage


def test_zeile_verhaelt_sich_wie_die_bisherige_nur_lesbare_zeile() -> None:
    from types import MappingProxyType

    from sozbudget_xl.controlling import Zeile

    roh = {"Träger": "A", "Sozialraum": None, "Soll": Decimal("700.00"), "Ausschöpfung": None}
    spalten: dict[tuple[str, ...], dict[str, int]] = {}
    z, w = Zeile.aus(roh, spalten), Zeile.aus(dict(roh, Soll=Decimal("1.00")), spalten)
    alt = MappingProxyType(dict(roh))
    assert z == roh and roh == z and z == alt and z != w
    assert list(z) == list(roh) and list(z.items()) == list(roh.items()) and len(z) == 4
    assert z["Soll"] == Decimal("700.00") and z.get("Ausschöpfung", 1) is None and z.get("fehlt", 7) == 7
    assert "Träger" in z and "fehlt" not in z and dict(z) == roh and {**z} == roh
    assert repr(z) == repr(alt) and (z | {"Soll": 1}) == (alt | {"Soll": 1})
    assert z._spalten is w._spalten  # one column dict per table, not per row
    with pytest.raises(KeyError):
        z["fehlt"]
    with pytest.raises(TypeError):
        z["Soll"] = Decimal(0)  # type: ignore[index]
    with pytest.raises(ValueError, match="Werte"):
        Zeile({"a": 0}, ())


def test_soll_ist_zeilen_sind_kompakt_und_unveraendert() -> None:
    import sys

    from sozbudget_xl.controlling import IstZeile, Zeile, soll_ist
    from sozbudget_xl.models import modell

    r = modell("dreisaeulen").berechne(*dreisaeulen.beispiel())
    ist = [IstZeile(p.traeger, p.sozialraum, p.betrag + 1) for p in r.positionen[:5]]
    c = soll_ist(r, ist, deckel="hart")
    assert c.zeilen and all(type(z) is Zeile for z in c.zeilen)
    assert len({id(z._spalten) for z in c.zeilen}) == 1
    z = c.zeilen[0]
    assert list(z) == [
        "Träger", "Sozialraum", "Soll", "Ist", "Abweichung", "Ausschöpfung", "Rücklage", "Überschreitung",
        "Soll-Fälle", "Ist-Fälle", "Fallabweichung",
    ]  # fmt: skip
    assert z["Abweichung"] == z["Soll"] - z["Ist"]
    assert sys.getsizeof(z) + sys.getsizeof(z._werte) < sys.getsizeof(dict(z)) / 2
    assert c.summen["Soll"] == sum((z["Soll"] for z in c.zeilen), Decimal(0))
    assert not hasattr(ist[0], "__dict__")  # one IstZeile per row of a Jahresabschluss: slots
    assert dataclasses.replace(ist[0], ist=Decimal(1)).ist == Decimal(1)


def test_jahresabschluss_zeilen_geteilte_spalten_und_gleiches_blatt() -> None:
    from sozbudget_xl.controlling import Zeile
    from sozbudget_xl.jahr.abschluss import jahresabschluss
    from sozbudget_xl.jahr.blaetter import abschlussblatt
    from sozbudget_xl.jahr.ist import Buchung
    from sozbudget_xl.jahr.sollist import soll_ist_stand
    from sozbudget_xl.models import modell

    r = modell("dreisaeulen").berechne(*dreisaeulen.beispiel())
    p = r.positionen[0]
    a = jahresabschluss(r, soll_ist_stand(r, [Buchung(12, p.betrag + 5, p.traeger, p.sozialraum)]))
    rumpf, summe = a.zeilen[:-1], a.zeilen[-1]
    assert rumpf and all(type(z) is Zeile and list(z) == list(a.spalten) for z in rumpf)
    assert len({id(z._spalten) for z in rumpf}) == 1 and summe["Träger"] == "Summe"
    als_dict = dataclasses.replace(a, zeilen=tuple(dict(z) for z in a.zeilen))
    assert list(abschlussblatt(a)) == list(abschlussblatt(als_dict))
    assert summe["Aufstockung"] == sum((z["Aufstockung"] for z in rumpf), Decimal(0))


def test_null_als_eine_zahl_vorzeichen_und_werte_bleiben() -> None:
    import math

    from sozbudget_xl.jahr.blaetter import _NULL, _Floats, _zellen

    werte = [Decimal("0.00"), Decimal("0"), Decimal("-0.00"), Decimal("1.25"), None, "x", Decimal("-3")]
    zellen = _zellen(werte, summe=False, floats=_Floats())
    assert zellen[0] is _NULL and zellen[1] is _NULL
    assert zellen[2] == 0.0 and math.copysign(1, zellen[2]) == -1  # -0 stays -0 (its own object)
    assert zellen[3:] == [1.25, None, "x", -3.0]
    assert [type(z) for z in zellen] == [float, float, float, float, type(None), str, float]
