"""Memory of the objects a recalc builds before it writes (issue 15): result rows that share their
columns, inputs that share repeated values, compact layout sets, and the computation dropped before
the sheets are written — each the same values, rows and texts as before."""

from __future__ import annotations

import copy
import gc
import hashlib
import math
import pickle
import tracemalloc
import weakref
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sozbudget_xl import indicators, vertraege
from sozbudget_xl.ergebnis import ModelResult, Zeile
from sozbudget_xl.models import dreisaeulen
from sozbudget_xl.money import from_cents
from sozbudget_xl.workbook import recalc, schema
from sozbudget_xl.workbook.schema import Blatt, Zeilenwerte, Zellmenge
from tests.test_schnelle_pfade import _gestalte_zellenweise, _zeile

BEISPIELE = Path(__file__).resolve().parents[1] / "workbooks"


def _roh(n: int) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """The Drei-Säulen example as raw cells with ``n`` Quartiere (repeated Träger, years, data)."""
    parameter, tabellen = schema.beispiel_daten("dreisaeulen")
    vorlage = tabellen["Quartiere"][0]
    tabellen["Quartiere"] = [
        {
            **vorlage,
            "Quartier": f"Quartier {i:05d}",
            "Budgetträger": "".join(list(vorlage["Budgetträger"])),  # one text object per cell
            "Vergabe Beginn": float(vorlage["Vergabe Beginn"]),  # as Excel stores numbers
            "Jugendeinwohner": 500 + i % 700,
            "Einwohner": 3000 + i % 2000,
            "SGB-II-Quote U18": float(5 + i % 30) + 0.5,
        }
        for i in range(n)
    ]
    return parameter, tabellen


# ----------------------------------------------------------------------------- result rows


def test_zeile_verhaelt_sich_wie_die_bisherige_nur_lesbare_zeile() -> None:
    roh = {"Quartier": "A", "Budgetträger": None, "Quartiersbudget": Decimal("4.01"), "Anteil": None}
    spalten: dict[tuple[str, ...], dict[str, int]] = {}
    z, w = Zeile.aus(roh, spalten), Zeile.aus(dict(roh, Quartiersbudget=Decimal("1.00")), spalten)
    alt = MappingProxyType(dict(roh))
    assert z == roh and roh == z and z == alt and alt == z and z != w
    assert list(z) == list(roh) and list(z.items()) == list(roh.items()) and len(z) == 4
    assert z["Quartiersbudget"] == Decimal("4.01") and z.get("Anteil", 1) is None and z.get("fehlt", 7) == 7
    assert "Quartier" in z and "fehlt" not in z and dict(z) == roh and {**z} == roh
    assert repr(z) == repr(alt) and (z | {"Anteil": 1}) == (alt | {"Anteil": 1})
    assert z._spalten is w._spalten  # one column dict per table, not per row
    assert pickle.loads(pickle.dumps(z)) == z and copy.deepcopy(z) == z
    with pytest.raises(KeyError):
        z["fehlt"]
    with pytest.raises(TypeError):
        z["Anteil"] = Decimal(0)  # type: ignore[index]
    with pytest.raises(TypeError):
        hash(z)


def test_ergebnistabellen_teilen_ihre_spalten_und_gleichen_den_dicts() -> None:
    zeilen = [{"a": i, "b": [i, {"x": i}]} for i in range(50)] + [{"b": 1, "a": 2}]
    r = ModelResult("m", "T", 2026, (), Decimal(0), tabellen={"T": zeilen, "E": {"a": 1}})
    t = r.tabellen["T"]
    assert isinstance(t, tuple) and all(type(z) is Zeile for z in t)
    assert (
        t[3]
        == MappingProxyType({"a": 3, "b": (3, MappingProxyType({"x": 3}))})
        == {"a": 3, "b": (3, {"x": 3})}
    )
    assert t[-1] == {"b": 1, "a": 2} and list(t[-1]) == ["b", "a"]
    assert len({id(z._spalten) for z in t}) == 2  # one per column order
    assert isinstance(r.tabellen["E"], MappingProxyType) and r.tabellen["E"] == {"a": 1}
    gleich = ModelResult("m", "T", 2026, (), Decimal(0), tabellen={"T": zeilen, "E": {"a": 1}})
    assert gleich == r and gleich.tabellen["T"][0]._spalten is not t[0]._spalten
    kopie = ModelResult("m", "T", 2026, (), Decimal(0), tabellen=r.tabellen)
    assert kopie.tabellen["T"][0] is t[0]  # frozen rows are kept, not copied again


def test_dreisaeulen_liefert_die_quartiersbudgets_wie_bisher() -> None:
    """The Quartier rows streamed into the key and built as shared-column rows: the same budgets as
    the eager computation over a sorted list of row dicts."""
    parameter, tabellen = _roh(400)
    eingabe, param, r = schema.berechne_aus_daten("dreisaeulen", parameter, tabellen)
    regionen = [{**dict(q.daten), "Quartier": q.name} for q in eingabe.quartiere]
    erwartet = indicators.verteile_nach_index(
        eingabe.quartiersbudget,
        sorted(regionen, key=lambda x: x["Quartier"]),
        tuple(eingabe.indikatoren),
        id_spalte="Quartier",
        zielgruppe=param.zielgruppe,
        methode=param.index_methode,
        schluessel=param.index_schluessel,
    )
    zeilen = r.tabellen["Quartiersbudgets"]
    assert [z["Quartier"] for z in zeilen] == [q.name for q in eingabe.quartiere]
    assert {z["Quartier"]: z["Quartiersbudget"] for z in zeilen} == erwartet
    assert all(type(z) is Zeile and z._spalten is zeilen[0]._spalten for z in zeilen)
    assert r == dreisaeulen.berechne(eingabe, param)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from("abcd"), st.integers() | st.none(), max_size=4), max_size=12))
def test_spalten_aus_einem_iterator_gleich_denen_aus_einer_liste(zeilen: list[dict[str, Any]]) -> None:
    assert indicators._columns(iter(zeilen)) == indicators._columns(list(zeilen))


def test_gleiche_betraege_sind_ein_objekt() -> None:
    b = indicators.budgets_aus_gewichten(Decimal("100.00"), ["a", "b", "c", "d"], [1, 1, 1, 1])
    assert b == {i: from_cents(2500) for i in "abcd"} and b["a"] is b["d"]


# ----------------------------------------------------------------------------- inputs


def test_wiederholte_werte_der_eingabe_sind_ein_objekt_und_der_fingerabdruck_bleibt() -> None:
    parameter, tabellen = _roh(300)
    eingabe, param = schema.eingabe_aus_daten("dreisaeulen", parameter, tabellen)
    q = eingabe.quartiere
    assert q[0].traeger == q[299].traeger and q[0].traeger is q[299].traeger
    assert q[0].vergabe_beginn is q[299].vergabe_beginn and type(q[0].vergabe_beginn) is int
    assert q[10].daten["SGB-II-Quote U18"] is q[40].daten["SGB-II-Quote U18"]  # 15.5 both
    assert not hasattr(q[0], "__dict__")  # slotted rows
    # the inputs print as ever: the fingerprint stored in users' workbooks is unchanged
    wie_bisher = hashlib.sha256(repr(("dreisaeulen", eingabe, param)).encode("utf-8")).hexdigest()[:24]
    assert vertraege.fingerabdruck(eingabe, param, "dreisaeulen") == wie_bisher
    assert "Quartier(name='Quartier 00000', daten={'Jugendeinwohner': 500," in repr(q[0])


def test_geteilt_tauscht_nie_typ_oder_vorzeichen() -> None:
    gleich: dict[Any, Any] = {}
    assert schema._geteilt(1, gleich) == 1
    assert type(schema._geteilt(1.0, gleich)) is float and schema._geteilt(True, gleich) is True
    assert math.copysign(1, schema._geteilt(-0.0, {0.0: 0.0})) == -1.0
    a, b = "".join(["Tr", "äger"]), "".join(["Trä", "ger"])
    assert a is not b and schema._geteilt(a, gleich) is a and schema._geteilt(b, gleich) is a
    assert schema._geteilt(Decimal("1.50"), gleich) == Decimal("1.50")
    assert str(schema._geteilt(Decimal("1.5"), gleich)) == "1.5"


def test_mittelgrosse_rechnung_haelt_wenig_speicher() -> None:
    """Input and result of 3.000 Quartiere: ≈ 780 bytes per Quartier (before: ≈ 1.200, peak
    ≈ 1.500); the bound fails if the rows went back to a dict plus a view each or the inputs to a
    dict per row."""
    n = 3000
    parameter, tabellen = _roh(n)
    schema.berechne_aus_daten("dreisaeulen", parameter, tabellen)  # imports and caches first
    gc.collect()
    tracemalloc.start()
    try:
        vorher = tracemalloc.get_traced_memory()[0]
        ergebnis = schema.berechne_aus_daten("dreisaeulen", parameter, tabellen)
        gc.collect()
        danach, spitze = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(ergebnis[2].tabellen["Quartiersbudgets"]) == n
    assert (danach - vorher) / n < 950
    assert (spitze - vorher) / n < 1150


# ----------------------------------------------------------------------------- layout


def test_zellmenge_und_zeilenwerte_wie_set_und_dict() -> None:
    m, h = Zellmenge([(3, 1), (0, 0)]), Zeilenwerte({2: 30.0})
    m.add((3, 1))
    m.add((70, 4))
    assert m == {(3, 1), (0, 0), (70, 4)} and len(m) == 3 and (70, 4) in m
    assert (2, 1) not in m and (-1, 0) not in m and (0, -1) not in m and "x" not in m and (9, 99) not in m
    m.discard((3, 1))
    m.discard((5, 5))
    assert sorted(m) == [(0, 0), (70, 4)]
    with pytest.raises(TypeError):
        m.add((-1, 0))
    h[5] = 15.0
    assert h == {2: 30.0, 5: 15.0} and 5 in h and 4 not in h and -1 not in h and h.get(9, 1.0) == 1.0
    assert h[2] == 30.0 and list(h) == [2, 5] and len(h) == 2
    del h[2]
    with pytest.raises(KeyError):
        h[2]
    with pytest.raises(KeyError):
        del h[7]


@given(
    vorher=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 5)), max_size=10),
    spalte=st.integers(0, 6),
    zeilen=st.lists(st.integers(0, 60), max_size=20),
)
def test_zellen_einer_spalte_auf_einmal_wie_einzeln(vorher: list, spalte: int, zeilen: list[int]) -> None:
    """``Zellmenge.in_spalte`` (the wrapped cells of a column at once) as ``add`` of each cell, also
    for cells already there and repeated rows; ``Zeilenwerte.setze_alle`` as ``h[z] = w`` of each."""
    a, b = Zellmenge(vorher), Zellmenge(vorher)
    for z in zeilen:
        a.add((z, spalte))
    b.in_spalte(spalte, zeilen)
    assert sorted(b) == sorted(a) and len(b) == len(a) and b.spalte(spalte) == a.spalte(spalte)
    h, g = Zeilenwerte({z: 15.0 for z, _ in vorher}), Zeilenwerte({z: 15.0 for z, _ in vorher})
    werte = {z: 15.0 * (1 + z % 3) for z in zeilen}
    for z, w in werte.items():
        h[z] = w
    g.setze_alle(werte)
    assert dict(g) == dict(h) and len(g) == len(h)


def test_zellen_einer_spalte_auf_einmal_mit_fehler() -> None:
    with pytest.raises(TypeError):
        Zellmenge().in_spalte(0, [1, -1])
    with pytest.raises(TypeError):
        Zeilenwerte().setze_alle({-1: 15.0})


def test_hoehe_je_spalte_auch_bei_gleich_langen_texten() -> None:
    """Texts of the same length wrap into as many lines as their own column's width gives: a wide
    column (a large number in it) takes one line, a narrow one two."""
    blatt = Blatt()
    for zeile in (["a" * 60, ""], ["", "b" * 60], [10**60, "x"]):
        blatt.zeile(zeile)
    erwartet = _gestalte_zellenweise(blatt)
    blatt.gestalte()
    assert (blatt.breiten, blatt.umbruch, blatt.hoehen) == erwartet
    assert blatt.hoehen == {0: 15.0, 1: 30.0}


def test_breite_einer_umbrochenen_spalte_wie_zellenweise_auch_im_typ() -> None:
    """A column whose texts wrap is as wide as the cell-by-cell rule makes it, to the type of the
    number (50 or 50.0 in the sheet's XML): a text of 49 characters before the first wrapped one
    leaves 50.0, none leaves 50."""
    for texte in (["x" * 49, "y" * 60, "kurz"], ["kurz", "y" * 60, "x" * 49], ["z\nz", "a"]):
        blatt = Blatt()
        for t in texte:
            blatt.zeile([t])
        erwartet = _gestalte_zellenweise(blatt)
        blatt.gestalte()
        assert (blatt.breiten, blatt.umbruch, blatt.hoehen) == erwartet
        assert [type(b) for b in blatt.breiten] == [type(b) for b in erwartet[0]]


@settings(max_examples=150, deadline=None)
@given(st.lists(_zeile, max_size=30))
def test_kompakte_gestaltung_gleich_der_zellenweisen(zeilen: list[Any]) -> None:
    """With ``umbruch``/``hoehen`` kept compact from the first wrapped cell on, the layout is the
    cell-by-cell rule's (the same generated sheets as :mod:`tests.test_schnelle_pfade`)."""
    blatt = Blatt()
    for zellen, art in zeilen:
        blatt.zeile([w for w, _ in zellen], [e for _, e in zellen], art=art)  # inf/NaN counts too
    breiten, umbruch, hoehen = _gestalte_zellenweise(blatt)
    alt, schema._KOMPAKT_AB = schema._KOMPAKT_AB, 0
    try:
        blatt.gestalte()
    finally:
        schema._KOMPAKT_AB = alt
    assert blatt.breiten == breiten
    assert blatt.umbruch == umbruch
    assert blatt.hoehen == hoehen
    if umbruch:
        assert type(blatt.umbruch) is Zellmenge and type(blatt.hoehen) is Zeilenwerte


def test_grosses_ergebnisblatt_kompakt_und_gleich() -> None:
    parameter, tabellen = _roh(3000)
    r = schema.berechne_aus_daten("dreisaeulen", parameter, tabellen)[2]
    blatt = schema.ausgaben(r)["Ergebnis"]
    breiten, umbruch, hoehen = _gestalte_zellenweise(blatt)
    assert type(blatt.umbruch) is Zellmenge and len(umbruch) > schema._KOMPAKT_AB
    assert (blatt.breiten, blatt.umbruch, blatt.hoehen) == (breiten, umbruch, hoehen)
    betraege = [z[6] for z in blatt[1:-1]]
    assert sum(map(Decimal, map(str, betraege))) == r.gesamt  # as before: to the cent
    gleiche = {}
    for b in betraege:
        gleiche.setdefault(b, set()).add(id(b))
    assert all(len(ids) == 1 for b, ids in gleiche.items() if b)  # equal amounts: one float


# ----------------------------------------------------------------------------- recalc


def test_recalc_schreibt_ohne_die_berechnung_im_speicher(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the sheets are written, the computation (inputs read, model input, result) is gone;
    the sheet providers see the workbook's data without the raw table rows."""
    quelle = next(p for p in sorted(BEISPIELE.glob("*.xlsx")) if "dreisaeulen" in p.name.lower())
    berechnet = recalc.berechne_mappe
    refs: list[Any] = []
    gesehen: list[Any] = []

    def merken(pfad: Any) -> Any:
        b = berechnet(pfad)
        refs.extend([weakref.ref(b), weakref.ref(b.ergebnis), weakref.ref(b.mappe)])
        return b

    zusatz = recalc.zusatzblaetter

    def zusatz_merken(b: Any) -> Any:
        gesehen.append((dict(b.mappe.tabellen), b.mappe.parameter.get("Modell"), b.mappe is not refs[2]()))
        return zusatz(b)

    schreiben = recalc.io.schreibe_ausgaben

    def schreibe(*a: Any, **k: Any) -> Any:
        gc.collect()
        b, ergebnis, mappe = (r() for r in refs)
        # nothing of the computation, the result included: the per-result cache of the contract
        # facts (vertraege) holds results weakly
        assert b is None and mappe is None and ergebnis is None
        return schreiben(*a, **k)

    monkeypatch.setattr(recalc, "berechne_mappe", merken)
    monkeypatch.setattr(recalc, "zusatzblaetter", zusatz_merken)
    monkeypatch.setattr(recalc.io, "schreibe_ausgaben", schreibe)
    z = recalc.neu_berechnen(quelle, ausgabeordner=tmp_path, sicherung=False)
    assert z.ok and z.modell == "dreisaeulen" and z.positionen > 0 and z.geschrieben == tmp_path / quelle.name
    assert gesehen == [({}, "dreisaeulen", True)]


def test_contract_rows_are_compact_and_read_like_the_dicts_they_replace() -> None:
    """„Verträge“ rows keep every field the users maintain (50.000 rows): compact rows with one
    shared column dict, equal to ``dict(zip(header, row))`` — also for short rows, long rows and a
    header with empty or repeated titles."""
    from sozbudget_xl.vertragsmappe import KOPF, PRUEFSUMME, _text, vertragsblatt_aus_zeilen

    kopf = [*KOPF, None, "Stand"]
    zeilen = [
        ["Verträge"], [], kopf,
        ["SRB-1", "Träger A", "Nord", "A e.V.", "Weg 1", "Frau X", "2026", "x", "neu"],
        ["SRB-2", "Träger B", None, 7.0],
        ["", "", "", ""],
        ["SRB-3", "Träger C", "Süd", "C", "", "", "", "", "", "zu lang"],
        [PRUEFSUMME, "abc"],
    ]  # fmt: skip
    blatt = vertragsblatt_aus_zeilen(zeilen)
    spalten = [_text(w) for w in kopf]
    erwartet = {}
    for zeile in zeilen[3:6]:
        z = dict(zip(spalten, [_text(w) for w in zeile], strict=False))
        if z.get("Träger"):
            erwartet[(z["Träger"], z.get("Sozialraum") or None)] = z
    z = dict(zip(spalten, [_text(w) for w in zeilen[6]], strict=False))
    erwartet[(z["Träger"], z.get("Sozialraum") or None)] = z
    assert blatt.zeilen == erwartet and blatt.pruefsumme == "abc"
    assert [dict(z) for z in blatt.zeilen.values()] == list(erwartet.values())
    assert blatt.nummern() == {
        ("Träger A", "Nord"): "SRB-1",
        ("Träger B", None): "SRB-2",
        ("Träger C", "Süd"): "SRB-3",
    }
    assert len({id(z._spalten) for z in blatt.zeilen.values()}) <= 2  # one column dict per row shape


_VERTRAGSWERT = st.one_of(
    st.none(), st.sampled_from(["", " ", "Nord", " Nord ", "Träger A", "Träger B"]), st.integers(-3, 3),
    st.floats(allow_nan=False, allow_infinity=False, width=32), st.text(max_size=4),
)  # fmt: skip


@given(
    st.permutations(["Vertragsnummer", "Träger", "Sozialraum", "Stand", "Anschrift"]),
    st.integers(0, 4),
    st.lists(st.lists(_VERTRAGSWERT, min_size=3, max_size=6), max_size=12),
)
@settings(max_examples=150, deadline=None)
def test_contract_rows_as_long_as_the_header_read_as_their_dicts(
    reihenfolge: list[str], weg: int, rumpf: list[list[Any]]
) -> None:
    """Rows as long as the header take a shortcut without a dict per row: the same rows, keys,
    values, order and shared column dicts as ``dict(zip(header, row))`` — any column order, with
    „Sozialraum“ absent or present, rows shorter, longer or equal, repeated contract keys."""
    from sozbudget_xl.vertragsmappe import KOPF, PRUEFSUMME, _text, vertragsblatt_aus_zeilen

    kopf = [KOPF[0], *[n for n in reihenfolge if n != "Vertragsnummer"]][: 5 - (weg == 4)]
    if weg == 3:
        kopf = [n for n in kopf if n != "Sozialraum"]
    davor = {0: [KOPF[0]], 1: [PRUEFSUMME]}
    zeilen = [["Verträge"], kopf, *(davor.get(i % 5, []) + r for i, r in enumerate(rumpf))]
    blatt = vertragsblatt_aus_zeilen(zeilen)
    erwartet = {}  # the rows as read before the shortcut
    for zeile in zeilen[2:]:
        werte = [_text(w) for w in zeile]
        z = dict(zip(kopf, werte, strict=False))
        if werte[0] != PRUEFSUMME and any(werte) and z.get("Träger"):
            erwartet[(z["Träger"], z.get("Sozialraum") or None)] = z
    assert list(blatt.zeilen) == list(erwartet)
    gelesen = [list(dict(z).items()) for z in blatt.zeilen.values()]
    assert gelesen == [list(z.items()) for z in erwartet.values()]
    assert len({id(z._spalten) for z in blatt.zeilen.values()}) == len({tuple(z) for z in erwartet.values()})


def test_the_contract_facts_cache_holds_results_weakly() -> None:
    """Each fact is computed once per result, and a result nobody else holds is freed with its
    entry (the cache kept the last results and their 50.000 input rows alive while writing)."""
    from sozbudget_xl import vertraege

    ergebnis = recalc.berechne_mappe(Path(__file__).parent.parent / "workbooks" / "kgst.xlsx").ergebnis
    aufrufe: list[int] = []
    for _ in range(3):
        assert vertraege.je_ergebnis(ergebnis, "x", lambda: aufrufe.append(1) or 42) == 42
    assert aufrufe == [1]
    schluessel = id(ergebnis)
    assert schluessel in vertraege._JE_ERGEBNIS
    ref = weakref.ref(ergebnis)
    del ergebnis
    gc.collect()
    assert ref() is None and schluessel not in vertraege._JE_ERGEBNIS


@settings(max_examples=50, deadline=None)
@given(st.sets(st.tuples(st.integers(0, 300), st.integers(0, 5)), max_size=40))
def test_a_column_of_a_cell_set_flags_exactly_its_cells(zellen: set[tuple[int, int]]) -> None:
    """``Zellmenge.spalte`` (the renderer asks a column's flags instead of a tuple per cell): a
    row is flagged exactly when its cell is in the set, also after a cell left it."""
    from sozbudget_xl.workbook.schema import Zellmenge

    menge = Zellmenge(zellen)
    if zellen:
        menge.discard(min(zellen))
        zellen = zellen - {min(zellen)}
    for s in range(7):
        flags = menge.spalte(s)
        for z in range(302):
            assert (flags is not None and z < len(flags) and flags[z] == 1) == ((z, s) in zellen)
