"""The workbook contract: German sheets, tables and columns of every budget model.

A workbook of a model has the sheets „Anleitung“, „Parameter“ (Bezeichnung | Wert | Hinweis),
one sheet per input :class:`Tabelle` (a real Excel table named ``Tabelle.name`` at A1) and the
output sheets „Ergebnis“, „Zahlungsplan“, „Kennzahlen“ (:data:`AUSGABEBLAETTER`).

* :func:`schema` describes the sheets of a model;
* :func:`eingabe_aus_daten` turns raw cell values (as read from Excel) into the model's
  ``Eingabe`` and ``Parameter``; every error names sheet and cell;
* :func:`ausgaben` turns a :class:`~sozbudget_xl.models.base.ModelResult` into rows of
  Excel-safe values (never ``Decimal``);
* :func:`beispiel_daten` is the model's ``beispiel()`` as raw cell values (the inverse).

Cell conventions: amounts (``betrag``) are numbers or German text („1.234,56 €“);
``prozent`` cells hold Excel fractions (0.7) or text („70 %“); ``ja_nein`` accepts
ja/nein/x/1/0/wahr/falsch/True/False; a ``liste`` is one text cell with entries separated
by „;“; an empty optional cell means the model's default. Tables with base data (Celle
Sozialräume, Drei-Säulen Quartiere) take every further column as a data column.

>>> s = schema("kgst")
>>> [t.name for t in s.tabellen], [sp.titel for sp in s.tabellen[0].spalten]
(['Traeger'], ['Träger', 'Anteil', 'Qualitätsnachweis', 'Zusatzfälle'])
>>> e, p = eingabe_aus_daten("kgst", *beispiel_daten("kgst"))
>>> (e, p) == modell("kgst").beispiel()
True
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import math
import operator
import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping, MutableMapping, MutableSet, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any

from ..einheiten import Einheit
from ..errors import DatenFehler, EingabeFehler, MehrereFehler, ModellFehler, SozbudgetError
from ..formats import parse_datum
from ..models import Art, ModelResult, Warnung, modell
from ..money import MehrdeutigeZahl, euro, percent, to_decimal
from ..parsing import JA as _JA  # noqa: F401 - re-exported for the workbook layer
from ..parsing import KEINE as _KEINE
from ..parsing import Ungueltig as _Ungueltig
from ..parsing import als_text as _als_text
from ..parsing import konvertiere as _konvertiere
from ..parsing import leer as _leer
from ..spec import MAPPE, MAPPE_BEISPIEL, Deklaration, Feld
from ..spec import Tabelle as EingabeTabelle

__all__ = [
    "AUSGABEBLAETTER",
    "KOPF_ERGEBNIS",
    "KOPF_KENNZAHLEN",
    "KOPF_ZAHLUNGSPLAN",
    "MAPPE_FELDER",
    "PARAMETER_BLATT",
    "PARAMETER_KOPF",
    "TYPEN",
    "Blatt",
    "Mappenschema",
    "ParameterFeld",
    "Spalte",
    "Tabelle",
    "ausgabe_bereiche",
    "ausgaben",
    "beispiel_daten",
    "berechne_aus_daten",
    "berechne_mappendaten",
    "diagramm_bereich",
    "eingabe_aus_daten",
    "leere_ausgaben",
    "modell_der_mappe",
    "negativ_erlaubt",
    "schema",
    "spaltenbuchstabe",
    "standard_orte",
    "verorte",
    "verweise",
]

#: cell types of the contract
TYPEN = ("text", "betrag", "zahl", "ganzzahl", "prozent", "ja_nein", "datum", "liste")
#: output sheets, written by recalc from :func:`ausgaben`
AUSGABEBLAETTER = ("Ergebnis", "Zahlungsplan", "Kennzahlen")
PARAMETER_BLATT = "Parameter"
#: header row of the „Parameter“ sheet (row 1); the fields follow from row 2 in schema order
PARAMETER_KOPF = ("Bezeichnung", "Wert", "Hinweis")
KOPF_ERGEBNIS = ("Nr.", "Position", "Träger", "Sozialraum", "Art", "Bedingung", "Betrag", "Quelle")
KOPF_ZAHLUNGSPLAN = ("Nr.", "Fällig am", "Empfänger", "Zweck", "Betrag")
KOPF_KENNZAHLEN = ("Kennzahl", "Wert")
#: title prefix of the summary block on „Kennzahlen“ that the bar chart shows
DIAGRAMM_PREFIX = "Budget nach "

Orte = Callable[[str, int | None, str], tuple[str, str] | None]


# --------------------------------------------------------------------------- contract types


@dataclass(frozen=True)
class Spalte:
    """One column of an input table."""

    feld: str
    titel: str
    typ: str  # one of TYPEN
    pflicht: bool = True
    hilfe: str = ""
    auswahl: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Tabelle:
    """An input table: Excel table ``name`` on sheet ``blatt`` fills ``Eingabe.<feld>``."""

    name: str
    blatt: str
    feld: str
    spalten: tuple[Spalte, ...]


@dataclass(frozen=True)
class ParameterFeld:
    """One row of the „Parameter“ sheet; ``ziel``: "eingabe", "parameter" or "mappe"."""

    feld: str
    titel: str
    typ: str
    ziel: str
    standard: Any = None
    hilfe: str = ""
    auswahl: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Mappenschema:
    """Everything a workbook of one model holds as input."""

    modell: str
    tabellen: tuple[Tabelle, ...]
    parameter: tuple[ParameterFeld, ...]

    def tabelle(self, name: str) -> Tabelle:
        """The table with Excel name ``name``."""
        for t in self.tabellen:
            if t.name == name:
                return t
        raise DatenFehler(f"Tabelle „{name}“ gehört nicht zum Modell „{self.modell}“")


# --------------------------------------------------------------------------- declarations

# The model declarations (``modul.DEKLARATION``, :mod:`sozbudget_xl.spec`) are the definitions.
_F = Feld
_T = EingabeTabelle
_M = Deklaration
_MAPPE = MAPPE
#: the first rows of every „Parameter“ sheet (Haushaltsjahr fills Parameter.jahr)
MAPPE_FELDER = tuple(f.titel for f in _MAPPE)
_MAPPE_BEISPIEL = MAPPE_BEISPIEL


# --------------------------------------------------------------------------- introspection


def _ohne_none(hint: Any) -> tuple[Any, bool]:
    """``X | None`` → (X, True)."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        optional = len(args) < len(typing.get_args(hint))
        return (args[0] if len(args) == 1 else Any), optional
    return hint, False


@dataclass(frozen=True)
class _Info:
    """What introspection says about one dataclass field."""

    hint: Any
    optional: bool
    hat_standard: bool
    standard: Any


def _infos(cls: type) -> dict[str, _Info]:
    hints = typing.get_type_hints(cls)
    out = {}
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            hat, std = True, f.default
        elif f.default_factory is not dataclasses.MISSING:
            hat, std = True, f.default_factory()
        else:
            hat, std = False, None
        hint, optional = _ohne_none(hints[f.name])
        out[f.name] = _Info(hint, optional, hat, std)
    return out


def _zeilentyp(eingabe_cls: type, feld: str) -> Any:
    """Element type of ``Eingabe.<feld>: tuple[X, ...]``."""
    hint, _ = _ohne_none(typing.get_type_hints(eingabe_cls)[feld])
    args = typing.get_args(hint)
    if typing.get_origin(hint) is not tuple or not args:
        raise TypeError(f"{eingabe_cls.__qualname__}.{feld} ist keine Tupel-Tabelle")
    return args[0]


@dataclass(frozen=True)
class _Modell:
    """A model with its definitions resolved against its dataclasses (cached)."""

    name: str
    modul: Any
    d: _M
    schema: Mappenschema


_CACHE: dict[str, _Modell] = {}


def _modell(name: str) -> _Modell:
    m = modell(name)
    if m.NAME in _CACHE:
        return _CACHE[m.NAME]
    d = m.DEKLARATION
    e_info, p_info = _infos(m.Eingabe), _infos(m.Parameter)
    pfelder = []
    for f in _MAPPE:
        if f.feld == "modell":
            pfelder.append(ParameterFeld(f.feld, f.titel, f.typ, "mappe", m.NAME, f.hilfe))
        elif f.feld == "jahr":
            info = p_info["jahr"]
            pfelder.append(ParameterFeld("jahr", f.titel, f.typ, "parameter", info.standard, f.hilfe))
        else:
            pfelder.append(ParameterFeld(f.feld, f.titel, f.typ, "mappe", None, f.hilfe))
    for ziel, felder, infos in (("eingabe", d.eingabe, e_info), ("parameter", d.parameter, p_info)):
        for f in felder:
            info = infos[f.feld]
            std = _roh(f, info.standard) if info.hat_standard else None
            hilfe = _hilfe(f, info)
            pfelder.append(ParameterFeld(f.feld, f.titel, f.typ, ziel, std, hilfe, f.anzeigewerte()))
    tabellen = []
    for t in d.tabellen:
        zeile = _zeilentyp(m.Eingabe, t.feld)
        z_info = _infos(zeile) if dataclasses.is_dataclass(zeile) else {}
        spalten = []
        for f in t.spalten:
            if z_info:
                pflicht = f.pflicht if f.pflicht is not None else not z_info[f.feld].hat_standard
            else:
                pflicht = True if f.pflicht is None else f.pflicht
            spalten.append(Spalte(f.feld, f.titel, f.typ, pflicht, f.hilfe, f.anzeigewerte()))
        for titel, hilfe in t.datenspalten:
            spalten.append(Spalte(f"{t.daten}.{titel}", titel, "zahl", False, hilfe))
        tabellen.append(Tabelle(t.name, t.blatt, t.feld, tuple(spalten)))
    ergebnis = _Modell(m.NAME, m, d, Mappenschema(m.NAME, tuple(tabellen), tuple(pfelder)))
    _CACHE[m.NAME] = ergebnis
    return ergebnis


def schema(modell_name: str) -> Mappenschema:
    """The workbook schema of a model (name or alias)."""
    return _modell(modell_name).schema


def negativ_erlaubt(modell_name: str, tabelle: str, titel: str) -> bool:
    """Whether the column ``titel`` of ``tabelle`` (or a Parameter row) accepts negative numbers."""
    d = _modell(modell_name).d
    felder = (
        d.eingabe + d.parameter
        if tabelle == PARAMETER_BLATT
        else next((t.spalten for t in d.tabellen if t.name == tabelle), ())
    )
    return any(f.titel == titel and f.negativ for f in felder)


def verweise(modell_name: str) -> dict[tuple[str, str], tuple[str, str]]:
    """(table, column title) → (master table, column title) whose values the column must use
    (for list validations: e.g. Zuordnung[Träger] takes its values from Traeger[Träger])."""
    return dict(_modell(modell_name).d.verweise)


# --------------------------------------------------------------------------- raw values


def _deutsch(d: Decimal, stellen: int = 2) -> str:
    text = f"{d:,.{stellen}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _zahl_roh(wert: Any) -> int | float:
    """A number as an Excel cell value: int when whole, else float."""
    d = to_decimal(wert, "Zahl")
    if d == d.to_integral_value():
        return int(d)
    return float(d)


def _element_roh(typ: str, wert: Any) -> str:
    if typ == "betrag":
        return _deutsch(euro(wert))
    if typ == "datum":
        return parse_datum(wert).strftime("%d.%m.%Y")
    if typ in ("zahl", "prozent"):
        return str(wert)
    return str(wert)


def _roh(f: _F, wert: Any) -> Any:
    """A model value as the raw cell value a workbook holds (inverse of :func:`_lies`);
    a choice shows its German display word."""
    if wert is None:
        return None
    if f.typ == "text":
        wert = f.anzeige_von(wert)
        return str(wert) if str(wert) != "" else None
    if f.typ == "betrag":
        return float(euro(wert))
    if f.typ == "prozent":
        return float(percent(wert))
    if f.typ == "zahl":
        return _zahl_roh(wert)
    if f.typ == "ganzzahl":
        return int(wert)
    if f.typ == "ja_nein":
        return "ja" if wert else "nein"
    if f.typ == "datum":
        return parse_datum(wert)
    if f.typ == "liste":
        werte = tuple(wert)
        return "; ".join(_element_roh(f.element, w) for w in werte) if werte else None
    raise TypeError(f"unbekannter Typ {f.typ}")


def _hilfe(f: _F, info: _Info) -> str:
    """The help text of a parameter row with the default read from the dataclass itself
    (help texts never repeat a default by hand)."""
    std = info.standard if info.hat_standard else None
    if std is None or std == () or std == "":
        return f.hilfe
    roh = _roh(f, std)
    if f.typ == "prozent":
        text = _prozent_text(Decimal(str(roh)))
    elif f.typ == "betrag":
        text = _deutsch(Decimal(str(roh))) + " €"
    elif isinstance(roh, float | int) and not isinstance(roh, bool):
        text = str(roh).replace(".", ",")
    else:
        text = str(roh)
    return f"{f.hilfe} (Standard: {text})" if f.hilfe else f"Standard: {text}"


def _prozent_text(d: Decimal) -> str:
    return _deutsch(d * 100, 2).rstrip("0").rstrip(",") + " %"


# --------------------------------------------------------------------------- conversion


def _passend(wert: Any, info: _Info) -> Any:
    """Coerce a converted value to the Python type the dataclass field declares."""
    if info.hint is float and isinstance(wert, Decimal):
        return float(wert)
    if info.hint is int and isinstance(wert, Decimal):
        return int(wert)
    return wert


def _daten_wert(wert: Any) -> Any:
    """A base-data cell: numbers stay numbers (whole floats → int), number texts are parsed."""
    if isinstance(wert, bool):
        return wert
    if isinstance(wert, float) and wert.is_integer():
        return int(wert)
    if isinstance(wert, int | float):
        return wert
    if isinstance(wert, Decimal):
        return int(wert) if wert == wert.to_integral_value() else float(wert)
    if isinstance(wert, str):
        try:
            d = to_decimal(wert, "Zahl")
        except MehrdeutigeZahl:
            raise
        except SozbudgetError:
            return wert.strip()
        return int(d) if d == d.to_integral_value() else float(d)
    return wert


# --------------------------------------------------------------------------- locations


def spaltenbuchstabe(n: int) -> str:
    """1 → A, 27 → AA.

    >>> spaltenbuchstabe(1), spaltenbuchstabe(28)
    ('A', 'AB')
    """
    text = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        text = chr(65 + r) + text
    return text


def _norm(titel: Any) -> str:
    return " ".join(str(titel).split()).casefold()


def standard_orte(
    modell_name: str, tabellen: Mapping[str, Sequence[Mapping[str, Any]]] | None = None
) -> Orte:
    """Locations by the contract layout: „Parameter“ rows from row 2 in schema order (value in
    column B); each table at A1 with the header in row 1 and its columns in the order of the
    given rows' keys (else schema order)."""
    s = schema(modell_name)
    pzeilen = {_norm(p.titel): i + 2 for i, p in enumerate(s.parameter)}

    def orte(ort: str, zeile: int | None, titel: str) -> tuple[str, str] | None:
        if ort == PARAMETER_BLATT:
            nr = pzeilen.get(_norm(titel))
            return (PARAMETER_BLATT, f"B{nr}") if nr else None
        try:
            t = s.tabelle(ort)
        except SozbudgetError:
            return None
        zeilen = (tabellen or {}).get(ort) or ()
        kopf = [_norm(k) for k in zeilen[0]] if zeilen else []
        for sp in t.spalten:
            if _norm(sp.titel) not in kopf:
                kopf.append(_norm(sp.titel))
        spalte = kopf.index(_norm(titel)) + 1 if _norm(titel) in kopf else 1
        return t.blatt, f"{spaltenbuchstabe(spalte)}{1 if zeile is None else zeile + 2}"

    return orte


class _Verorter:
    def __init__(self, m: _Modell, orte: Orte | None, tabellen: Mapping[str, Sequence[Mapping[str, Any]]]):
        self.m = m
        self.orte = orte or standard_orte(m.name, tabellen)
        #: located errors of the cells read so far (all are reported together)
        self.gesammelt: list[SozbudgetError] = []

    def melde(self, exc: SozbudgetError) -> object:
        """Keep a located cell error and go on reading; returns the marker of a failed cell."""
        self.gesammelt.append(exc)
        return _FEHLT

    def pruefe(self) -> None:
        """Raise what was collected: one error as it is, several as :class:`MehrereFehler`."""
        if len(self.gesammelt) == 1:
            raise self.gesammelt[0]
        if self.gesammelt:
            raise MehrereFehler(self.gesammelt)

    def blatt(self, ort: str) -> str:
        if ort == PARAMETER_BLATT:
            return PARAMETER_BLATT
        try:
            return self.m.schema.tabelle(ort).blatt
        except SozbudgetError:
            return ort

    def setze(self, exc: SozbudgetError, ort: str, zeile: int | None, titel: str) -> SozbudgetError:
        stelle = self.orte(ort, zeile, titel)
        if stelle is None:
            return exc.with_location(sheet=self.blatt(ort))
        return exc.with_location(sheet=stelle[0], cell=stelle[1])

    def fehler(self, u: _Ungueltig, ort: str, zeile: int | None, titel: str) -> SozbudgetError:
        if ort == PARAMETER_BLATT:
            exc = u.klasse(u.meldung, field=titel, expected=u.expected, found=u.found)
        else:
            exc = u.klasse(u.meldung, column=titel, expected=u.expected, found=u.found)
        return self.setze(exc, ort, zeile, titel)


# --------------------------------------------------------------------------- reading

#: marker of a cell whose value could not be read (the error is collected)
_FEHLT = object()


def _nach_titel(werte: Mapping[str, Any], normiert: dict[Any, str] | None = None) -> dict[str, Any]:
    """Normalised title → value; ``normiert`` remembers each title's normal form (a table's rows
    share their titles, so each is normalised once per table)."""
    if normiert is None:
        return {_norm(k): v for k, v in werte.items() if k is not None}
    aus: dict[str, Any] = {}
    for k, v in werte.items():
        if k is not None:
            n = normiert.get(k)
            aus[normiert.setdefault(k, _norm(k)) if n is None else n] = v
    return aus


def _lies(v: _Verorter, f: _F, info: _Info, roh: Any, ort: str, zeile: int | None, *, pflicht: bool) -> Any:
    """Converted value, or ``dataclasses.MISSING`` for an empty optional cell (→ default)."""
    if _leer(roh):
        if pflicht:
            u = _Ungueltig(
                EingabeFehler, "Pflichtfeld ist leer", f"einen Wert ({_TYP_TEXT[f.typ]})", "nichts"
            )
            return v.melde(v.fehler(u, ort, zeile, f.titel))
        return dataclasses.MISSING
    if info.optional and isinstance(roh, str) and roh.strip().casefold() in _KEINE and f.typ != "text":
        return None
    try:
        wert = _konvertiere(
            f.typ,
            roh,
            negativ=f.negativ,
            auswahl=f.auswahl,
            element=f.element,
            offen_erlaubt=info.optional and f.typ == "ja_nein",
        )
    except _Ungueltig as u:
        return v.melde(v.fehler(u, ort, zeile, f.titel))
    return _passend(wert, info)


_TYP_TEXT = {
    "text": "Text",
    "betrag": "Betrag in €",
    "zahl": "Zahl",
    "ganzzahl": "ganze Zahl",
    "prozent": "0 bis 100 %",
    "ja_nein": "ja oder nein",
    "datum": "Datum",
    "liste": "Liste",
}


def _lies_tabelle(v: _Verorter, t: _T, zeilen: Sequence[Mapping[str, Any]], zeile_cls: Any) -> tuple:
    if not dataclasses.is_dataclass(zeile_cls):  # tuple of names: one column
        return _lies_namen(v, t, zeilen)
    z_info = _infos(zeile_cls)
    fest = {_norm(f.titel) for f in t.spalten}
    normiert: dict[Any, str] = {}
    gleich: dict[Any, dict[Any, Any]] = {}  # column → its values read so far (shared, see _geteilt)
    # per column of the table, once: field, normalised title, field info, required, shared values
    felder = []
    for f in t.spalten:
        info = z_info[f.feld]
        pflicht = f.pflicht if f.pflicht is not None else not info.hat_standard
        felder.append((f, _norm(f.titel), info, pflicht, gleich.setdefault(f.feld, {}), _Gelesen()))
    formen: dict[tuple[Any, ...], _Zeilenform] = {}  # the rows' titles, normalised once per shape
    out = []
    for i, roh_zeile in enumerate(zeilen):
        form = formen.get(schluessel := tuple(roh_zeile))
        if form is None or (form.typen is not None and form.typen != tuple(map(type, schluessel))):
            form = formen[schluessel] = _Zeilenform.aus(schluessel, normiert, fest)
        if all(_leer(roh_zeile[k]) for k in form.belegt):
            continue  # empty row of an Excel table
        fehlte = len(v.gesammelt)
        kwargs: dict[str, Any] = {}
        for f, f_titel, info, pflicht, geteilt, gelesen in felder:
            k = form.titel.get(f_titel, _FEHLT)
            if k is _FEHLT and pflicht:
                exc = DatenFehler(
                    "Spalte fehlt in der Tabelle", column=f.titel, expected=f"Spalte „{f.titel}“"
                )
                v.melde(v.setze(exc, t.name, None, t.spalten[0].titel))
                return tuple(out)
            roh = None if k is _FEHLT else roh_zeile[k]
            schon = gelesen.je_typ.get(type(roh))  # a text or number read before in this column?
            wert = _FEHLT if schon is None else schon.get(roh, _FEHLT)
            if wert is _FEHLT:
                wert = _lies(v, f, info, roh, t.name, i, pflicht=pflicht)
                if wert is not dataclasses.MISSING and wert is not _FEHLT:
                    wert = _geteilt(wert, geteilt)
                if schon is not None:
                    gelesen.merke(schon, roh, wert)
            if wert is not dataclasses.MISSING:
                kwargs[f.feld] = wert
        if len(v.gesammelt) > fehlte:
            continue  # this row has unreadable cells: reported, not built
        if t.daten:
            daten = _basisdaten(v, t, i, roh_zeile, form.daten, gleich)
            if len(v.gesammelt) > fehlte:
                continue
            kwargs[t.daten] = daten
        _zeile_bauen(v, t, i, zeile_cls, kwargs, fest, out)
    return tuple(out)


def _zeile_bauen(
    v: _Verorter, t: _T, i: int, zeile_cls: Any, kwargs: dict[str, Any], fest: set[str], out: list[Any]
) -> None:
    """Append row ``i`` built from its fields to ``out``; an error of the row's own checks is
    reported at the column it names (``fest``: the table's normalised titles), else the first."""
    try:
        out.append(zeile_cls(**kwargs))
    except SozbudgetError as exc:
        spalte = exc.column if exc.column and _norm(exc.column) in fest else t.spalten[0].titel
        for f in t.spalten:
            if exc.field and _norm(exc.field) == _norm(f.titel):
                spalte = f.titel
        v.melde(v.setze(exc, t.name, i, spalte))


def _lies_namen(v: _Verorter, t: _T, zeilen: Sequence[Mapping[str, Any]]) -> tuple:
    """A table of one column whose rows are names (no dataclass)."""
    f = t.spalten[0]
    info = _Info(str, False, False, None)
    normiert: dict[Any, str] = {}
    out = []
    for i, roh_zeile in enumerate(zeilen):
        werte = _nach_titel(roh_zeile, normiert)
        if all(_leer(x) for x in werte.values()):
            continue  # empty row of an Excel table
        out.append(_lies(v, f, info, werte.get(_norm(f.titel)), t.name, i, pflicht=True))
    return tuple(out)


class _Gelesen:
    """The values of a column read so far (issue 15: a Träger, a year, a head count repeats over
    many rows, and each was converted again): per type of raw cell (text, whole number, float),
    raw value → what :func:`_lies` made of it after :func:`_geteilt` (or ``MISSING`` for an empty
    optional cell). Kept only where that is the same for every equal raw value of that type and
    cannot be changed by a row: values of immutable types, never a failed cell (each reports its
    own error), never a float zero (±0.0 are equal) or NaN; at most :data:`_GETEILT_HOECHSTENS`."""

    __slots__ = ("anzahl", "je_typ")

    def __init__(self) -> None:
        self.je_typ: dict[type, dict[Any, Any]] = {str: {}, int: {}, float: {}}
        self.anzahl = 0

    def merke(self, schon: dict[Any, Any], roh: Any, wert: Any) -> None:
        if (
            self.anzahl < _GETEILT_HOECHSTENS
            and (wert is dataclasses.MISSING or type(wert) in _UNVERAENDERLICH)
            and (type(roh) is not float or (roh and roh == roh))
        ):
            schon[roh] = wert
            self.anzahl += 1


#: types of converted values that no row can change (shared between rows by :class:`_Gelesen`)
_UNVERAENDERLICH = frozenset({str, int, float, bool, Decimal, dt.date, dt.datetime, type(None)})


@dataclass(frozen=True)
class _Zeilenform:
    """What the titles of a row mean (the rows of a table share them): ``titel`` normalised title →
    the row's key of that column (the last of equal ones, as :func:`_nach_titel`), ``belegt`` those
    keys (the row is empty when they all are), ``daten`` (key, column name) of the base-data
    columns in order (not one of the table's own, ``fest``). ``typen``: the types of the keys
    where one is no text (a title 2024 equals 2024.0 but names another column: such a form is
    taken again only for keys of the same types)."""

    titel: dict[str, Any]
    belegt: tuple[Any, ...]
    daten: tuple[tuple[Any, str], ...]
    typen: tuple[type, ...] | None = None

    @classmethod
    def aus(cls, schluessel: tuple[Any, ...], normiert: dict[Any, str], fest: set[str]) -> _Zeilenform:
        titel: dict[str, Any] = {}
        daten = []
        for k in schluessel:
            if k is None:
                continue
            n = normiert.get(k)
            if n is None:
                n = normiert[k] = _norm(k)
            titel[n] = k
            if n not in fest:
                daten.append((k, str(k).strip()))
        typen = None if all(type(k) is str for k in schluessel) else tuple(map(type, schluessel))
        return cls(titel, tuple(titel.values()), tuple(daten), typen)


def _basisdaten(
    v: _Verorter,
    t: _T,
    i: int,
    roh_zeile: Mapping[Any, Any],
    spalten: Sequence[tuple[Any, str]],
    gleich: dict[Any, dict[Any, Any]],
) -> dict[str, Any]:
    """The base data of row ``i``: every non-empty cell of the base-data columns ``spalten`` ((key,
    column name), :attr:`_Zeilenform.daten`), numbers as numbers; an ambiguous number is a located
    error (collected)."""
    daten: dict[str, Any] = {}
    for k, spalte in spalten:
        x = roh_zeile[k]
        if _leer(x):
            continue
        try:
            daten[spalte] = _geteilt(_daten_wert(x), gleich.setdefault(spalte, {}))
        except MehrdeutigeZahl as exc:  # „1.234“ in a data column: 1234 or 1,234? (issue 11)
            exc = MehrdeutigeZahl(exc.message, column=spalte, expected=exc.expected, found=exc.found)
            v.melde(v.setze(exc, t.name, i, spalte))
    return daten


#: distinct values per column that :func:`_geteilt` keeps to share (later ones are shared as met)
_GETEILT_HOECHSTENS = 4096
#: types whose equal values are interchangeable (same type, same text), so one object may stand
#: for all of them
_TEILBAR = frozenset({str, int, float, dt.date})


def _geteilt(wert: Any, gleich: dict[Any, Any]) -> Any:
    """``wert``, or the equal value of the same type read before in its column (``gleich``): a value
    repeated over many rows (a Träger, a year, a head count) is then one object, not one per row.
    Never a float zero (±0.0 are equal but print apart) or NaN."""
    typ = type(wert)
    if typ not in _TEILBAR or (typ is float and (wert == 0 or wert != wert)):
        return wert
    alt = gleich.get(wert)
    if alt is not None and type(alt) is typ:
        return alt
    if alt is None and len(gleich) < _GETEILT_HOECHSTENS:
        gleich[wert] = wert
    return wert


def _pruefe_modell_zelle(v: _Verorter, werte: Mapping[str, Any]) -> None:
    roh = werte.get(_norm("Modell"))
    if _leer(roh):
        return
    try:
        name = modell(str(roh)).NAME
    except SozbudgetError:
        name = None
    if name != v.m.name:
        exc = EingabeFehler(
            "die Mappe gehört zu einem anderen Modell", field="Modell", expected=v.m.name, found=str(roh)
        )
        raise v.setze(exc, PARAMETER_BLATT, None, "Modell")


def _baue(
    m: _Modell,
    parameter: Mapping[str, Any],
    tabellen: Mapping[str, Sequence[Mapping[str, Any]]],
    v: _Verorter,
) -> tuple[Any, Any]:
    werte = _nach_titel(parameter)
    _pruefe_modell_zelle(v, werte)
    e_info, p_info = _infos(m.modul.Eingabe), _infos(m.modul.Parameter)
    e_kw: dict[str, Any] = {}
    p_kw: dict[str, Any] = {}
    jahr = next(f for f in _MAPPE if f.feld == "jahr")
    felder = [(jahr, p_info, p_kw)]
    felder += [(f, e_info, e_kw) for f in m.d.eingabe] + [(f, p_info, p_kw) for f in m.d.parameter]
    for f, infos, ziel in felder:
        info = infos[f.feld]
        pflicht = f.pflicht if f.pflicht is not None else not info.hat_standard
        wert = _lies(v, f, info, werte.get(_norm(f.titel)), PARAMETER_BLATT, None, pflicht=pflicht)
        if wert is not dataclasses.MISSING and wert is not _FEHLT:
            ziel[f.feld] = wert
    for t in m.d.tabellen:
        zeilen = tabellen.get(t.name)
        if zeilen is None:
            zeilen = next((z for k, z in tabellen.items() if _norm(k) == _norm(t.blatt)), ())
        e_kw[t.feld] = _lies_tabelle(v, t, zeilen, _zeilentyp(m.modul.Eingabe, t.feld))
    v.pruefe()  # every unreadable cell of the workbook at once, each with sheet and cell
    return m.modul.Eingabe(**e_kw), m.modul.Parameter(**p_kw)


def eingabe_aus_daten(
    modell_name: str,
    parameter: Mapping[str, Any],
    tabellen: Mapping[str, Sequence[Mapping[str, Any]]],
    orte: Orte | None = None,
    *,
    pruefen: bool = True,
) -> tuple[Any, Any]:
    """The model's ``(Eingabe, Parameter)`` from raw cell values.

    ``parameter``: Parameter-sheet title → raw value; ``tabellen``: table name → rows
    (column title → raw value). ``orte(table_or_"Parameter", row_index_or_None, title)``
    gives ``(sheet, cell)``; without it the contract layout is assumed
    (:func:`standard_orte`). With ``pruefen`` (default) the model also runs once, so its
    validation errors come out located to a cell, too (:func:`verorte`).
    """
    m = _modell(modell_name)
    v = _Verorter(m, orte, tabellen)
    eingabe, param = _baue(m, parameter, tabellen, v)
    if pruefen:
        try:
            m.modul.berechne(eingabe, param)
        except SozbudgetError as exc:
            raise verorte(exc, m.name, parameter, tabellen, orte) from None
    return eingabe, param


def berechne_aus_daten(
    modell_name: str,
    parameter: Mapping[str, Any],
    tabellen: Mapping[str, Sequence[Mapping[str, Any]]],
    orte: Orte | None = None,
) -> tuple[Any, Any, ModelResult]:
    """Read and compute in one go: ``(Eingabe, Parameter, ModelResult)``; every error located."""
    m = _modell(modell_name)
    eingabe, param = eingabe_aus_daten(m.name, parameter, tabellen, orte, pruefen=False)
    try:
        return eingabe, param, m.modul.berechne(eingabe, param)
    except SozbudgetError as exc:
        raise verorte(exc, m.name, parameter, tabellen, orte) from None


def _zeilen_von(t: Tabelle, tabellen: Mapping[str, Sequence[Mapping[str, Any]]]) -> Sequence[Mapping]:
    zeilen = tabellen.get(t.name)
    if zeilen is None:
        zeilen = next((z for k, z in tabellen.items() if _norm(k) == _norm(t.blatt)), ())
    return zeilen


def _ort_aus_pfad(
    v: _Verorter, exc: SozbudgetError, tabellen: Mapping[str, Sequence[Mapping[str, Any]]]
) -> SozbudgetError | None:
    """Sheet and cell from the error's structured path (field names of the model's dataclasses,
    mapped through the declaration; the message text is never read)."""
    pfad = exc.pfad or ()
    kopf = pfad[0]
    schema_ = v.m.schema
    if kopf in ("parameter", "eingabe") and len(pfad) >= 2:
        for p in schema_.parameter:
            if p.feld == pfad[1] and (p.ziel == kopf or p.feld == "jahr"):
                return v.setze(exc, PARAMETER_BLATT, None, p.titel)
        kopf, pfad = pfad[1], pfad[1:]  # ("eingabe", <table field>): the whole table
    t = next((t for t in schema_.tabellen if t.feld == kopf), None)
    if t is None:
        return None
    zeile = None
    if len(pfad) >= 2 and isinstance(pfad[1], int):
        rows = _zeilen_von(t, tabellen)
        belegt = [i for i, z in enumerate(rows) if not all(_leer(x) for x in _nach_titel(z).values())]
        zeile = belegt[pfad[1]] if 0 <= pfad[1] < len(belegt) else None
    titel = t.spalten[0].titel
    if len(pfad) >= 3:
        titel = next((sp.titel for sp in t.spalten if sp.feld == pfad[2]), titel)
    return v.setze(exc, t.name, zeile, titel)


MODELL_FELD = "Modell"


def modell_der_mappe(parameter: Mapping[str, Any], orte: Orte) -> Any:
    """The model module a workbook names on „Parameter“ (row „Modell“); a missing or unknown
    name is a German error at that cell."""
    name = next((w for k, w in parameter.items() if _norm(k) == _norm(MODELL_FELD)), None)
    ort = orte(PARAMETER_BLATT, None, MODELL_FELD)
    blatt, zelle = ort if ort else (PARAMETER_BLATT, None)
    if name is None or str(name).strip() == "":
        exc = ModellFehler(
            "kein Modell angegeben", field=MODELL_FELD, expected="z. B. kgst, stuttgart, celle"
        )
        raise exc.with_location(sheet=blatt, cell=zelle)
    try:
        return modell(str(name))
    except SozbudgetError as exc:
        raise exc.with_location(sheet=blatt, cell=zelle) from None


def berechne_mappendaten(
    parameter: Mapping[str, Any],
    tabellen: Mapping[str, Sequence[Mapping[str, Any]]],
    orte: Orte,
    hinweise: Sequence[str] = (),
) -> tuple[Any, Any, Any, ModelResult]:
    """The one orchestration of every host (CLI, macros, worksheet functions): the model named on
    „Parameter“, its input read from the raw cells, the computation; every error located.
    ``hinweise`` (notes of the reader, e.g. rows typed below a table) come first among the
    result's warnings. Returns ``(model module, Eingabe, Parameter, ModelResult)``."""
    modul = modell_der_mappe(parameter, orte)
    eingabe, param, ergebnis = berechne_aus_daten(modul.NAME, parameter, tabellen, orte)
    if hinweise:
        vorne = tuple(Warnung(str(h), code="mappe") for h in hinweise)
        ergebnis = dataclasses.replace(ergebnis, warnungen=vorne + tuple(ergebnis.warnungen))
    return modul, eingabe, param, ergebnis


def verorte(
    exc: SozbudgetError,
    modell_name: str,
    parameter: Mapping[str, Any],
    tabellen: Mapping[str, Sequence[Mapping[str, Any]]],
    orte: Orte | None = None,
) -> SozbudgetError:
    """Give a model error (``item``/``field``) the sheet and cell it comes from.

    The cell is found when ``field`` names a column and ``item`` the row (a text cell of the
    row equals it, or „… Nr. n“; among several rows the one holding ``found``); else the
    column header, the row, or the Parameter row of ``field``. Errors that already carry a
    sheet are returned unchanged.
    """
    if exc.sheet is not None:
        return exc
    m = _modell(modell_name)
    v = _Verorter(m, orte, tabellen)
    if exc.pfad:
        verortet = _ort_aus_pfad(v, exc, tabellen)
        if verortet is not None:
            return verortet
    aliase = {_norm(a): b for a, b in m.d.aliase}
    roh_feld = exc.field or exc.column or ""
    feld = _norm(aliase.get(_norm(roh_feld), roh_feld))
    item = str(exc.item).strip() if exc.item is not None else ""
    found = str(exc.found).strip().strip("„“") if exc.found is not None else ""
    ptitel = {_norm(p.titel): p.titel for p in m.schema.parameter}
    if feld not in ptitel and "/" in feld:  # „Anteil fallspezifisch/fallunspezifisch/…“
        feld = feld.split("/")[0].strip()

    if item == "Parameter" and feld in ptitel:
        return v.setze(exc, PARAMETER_BLATT, None, ptitel[feld])

    if exc.region is not None:
        for titel, name in m.d.region_tabellen:
            if _norm(titel) == feld:
                t = m.schema.tabelle(name)
                for i, z in enumerate(tabellen.get(t.name) or ()):
                    w = _nach_titel(z)
                    if _als_text(w.get(_norm("Sozialraum")) or "") == str(exc.region):
                        return v.setze(exc, t.name, i, titel)

    nr = re.search(r"Nr\.\s*(\d+)\s*$", item)
    treffer_zeile: tuple[Tabelle, int] | None = None
    treffer_spalte: tuple[Tabelle, str] | None = None
    for t in m.schema.tabellen:
        zeilen = tabellen.get(t.name) or ()
        titel = {_norm(sp.titel): sp.titel for sp in t.spalten}
        spalte = titel.get(feld)
        if spalte is None and feld in (_norm(t.blatt), _norm(t.name)):
            spalte = t.spalten[0].titel
        textspalten = [_norm(sp.titel) for sp in t.spalten if sp.typ == "text"]
        kandidaten = []
        if item:
            for i, z in enumerate(zeilen):
                w = _nach_titel(z)
                if any(_als_text(w[k]) == item for k in textspalten if k in w and not _leer(w[k])):
                    kandidaten.append(i)
            if not kandidaten and nr and spalte is not None and int(nr.group(1)) <= len(zeilen):
                kandidaten.append(int(nr.group(1)) - 1)
        if spalte is not None and found and len(kandidaten) != 1:
            # several rows (or none) of this item: the one whose cell holds the value found
            pool = kandidaten or (range(len(zeilen)) if not item else [])
            passend = [i for i in pool if _als_text(_nach_titel(zeilen[i]).get(_norm(spalte)) or "") == found]
            if passend:
                kandidaten = passend
        zeile = kandidaten[0] if kandidaten else None
        if spalte is not None and zeile is not None:
            return v.setze(exc, t.name, zeile, spalte)
        if zeile is not None and treffer_zeile is None:
            treffer_zeile = (t, zeile)
        if spalte is not None and treffer_spalte is None:
            treffer_spalte = (t, spalte)
    if feld in ptitel and (item in ("", "Parameter", "Eingabe") or treffer_zeile is None):
        return v.setze(exc, PARAMETER_BLATT, None, ptitel[feld])
    if treffer_zeile is not None:
        t, zeile = treffer_zeile
        return v.setze(exc, t.name, zeile, t.spalten[0].titel)
    if treffer_spalte is not None:
        t, spalte = treffer_spalte
        return v.setze(exc, t.name, None, spalte)
    if _norm(item) in ptitel:
        return v.setze(exc, PARAMETER_BLATT, None, ptitel[_norm(item)])
    return exc


# --------------------------------------------------------------------------- example data


def beispiel_daten(modell_name: str) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """The model's ``beispiel()`` as raw cell values ``(parameter, tabellen)``."""
    m = _modell(modell_name)
    eingabe, param = m.modul.beispiel()
    parameter: dict[str, Any] = {}
    for f in _MAPPE:
        if f.feld == "modell":
            parameter[f.titel] = m.name
        elif f.feld == "jahr":
            parameter[f.titel] = param.jahr
        else:
            parameter[f.titel] = _MAPPE_BEISPIEL[f.titel]
    for f in m.d.eingabe:
        parameter[f.titel] = _roh(f, getattr(eingabe, f.feld))
    for f in m.d.parameter:
        parameter[f.titel] = _roh(f, getattr(param, f.feld))
    tabellen: dict[str, list[dict[str, Any]]] = {}
    for t, tab in zip(m.d.tabellen, m.schema.tabellen):
        zeilen = []
        for obj in getattr(eingabe, t.feld):
            if not dataclasses.is_dataclass(obj):
                zeilen.append({t.spalten[0].titel: _roh(t.spalten[0], obj)})
                continue
            zeile = {f.titel: _roh(f, getattr(obj, f.feld)) for f in t.spalten}
            if t.daten:
                daten = dict(getattr(obj, t.daten))
                for sp in tab.spalten[len(t.spalten) :]:
                    zeile[sp.titel] = daten.pop(sp.titel, None)
                zeile.update(daten)
            zeilen.append(zeile)
        tabellen[t.name] = zeilen
    return parameter, tabellen


# --------------------------------------------------------------------------- outputs


def _excel(wert: Any) -> Any:
    """An Excel-safe cell value (str, float, int, bool, date): never Decimal."""
    typ = type(wert)
    if typ is str or typ is int:  # the common exact types first (as below)
        return wert
    if typ is float:
        return wert if math.isfinite(wert) else str(wert)
    if wert is None:
        return ""
    if isinstance(wert, bool | str):
        return wert
    if isinstance(wert, Enum):
        return str(wert.value)
    if isinstance(wert, Decimal):
        return _dezimal_excel(wert)
    if isinstance(wert, Fraction):
        return float(wert)
    if isinstance(wert, int):
        return wert
    if isinstance(wert, float):
        return wert if math.isfinite(wert) else str(wert)
    if isinstance(wert, dt.datetime):
        return wert.date()
    if isinstance(wert, dt.date):
        return wert
    if isinstance(wert, Mapping):
        return "; ".join(f"{k}: {_excel(x)}" for k, x in wert.items())
    if isinstance(wert, list | tuple | set | frozenset):
        return "; ".join(str(_excel(x)) for x in wert)
    try:
        import numpy as np

        if isinstance(wert, np.generic):
            return _excel(wert.item())
    except ImportError:  # pragma: no cover
        pass
    return str(wert)


def _dezimal_excel(wert: Decimal) -> Any:
    """A Decimal as a cell value: its text when not finite, an int when whole without decimals
    („4“, not „4.00“), else a float; the floats of equal fractional amounts (many rows, few
    amounts) are one object (:data:`_ALS_FLOAT`)."""
    if not wert.is_finite():
        return str(wert)
    f = _ALS_FLOAT.get(wert)  # only fractional values are kept: equal ones give the same float
    if f is not None:
        return f
    if wert == wert.to_integral_value():
        return int(wert) if wert.as_tuple().exponent >= 0 else float(wert)
    f = float(wert)
    if len(_ALS_FLOAT) < _GLEICHE_ZAHLEN:
        _ALS_FLOAT[wert] = f
    return f


def _cent(betrag: Decimal) -> float:
    """An amount rounded to the cent as a float; equal amounts give one object (:data:`_IN_CENT`)."""
    gleich = type(betrag) is Decimal and betrag.is_finite() and betrag
    f = _IN_CENT.get(betrag) if gleich else None
    if f is None:
        f = float(euro(betrag))
        if gleich and len(_IN_CENT) < _GLEICHE_ZAHLEN:  # not 0: ±0.00 are equal but print apart
            _IN_CENT[betrag] = f
    return f


#: floats of the Decimals converted while :func:`ausgaben` runs (emptied when it returns)
_ALS_FLOAT: dict[Decimal, float] = {}
_IN_CENT: dict[Decimal, float] = {}


#: widest text column of an output sheet (characters); longer texts wrap
TEXT_BREITE = 50
#: height of one line of text on an output sheet (points, Calibri 11)
ZEILENHOEHE = 15.0


class Zellformate(Mapping[tuple[int, int], str]):
    """(row, column) → number format of the cells of a :class:`Blatt` (0-based), a mapping held
    as one tuple of codes per row, equal tuples shared: a dict entry per cell took ≈ 1 KB per row
    of a large sheet."""

    def __init__(self) -> None:
        self._zeilen: list[tuple[str | None, ...] | None] = []
        self._gleiche: dict[tuple[str | None, ...], tuple[str | None, ...]] = {}
        self._anzahl = 0

    def codes(self, z: int) -> tuple[str | None, ...]:
        """The codes of row ``z`` by column (None: no format; shorter than the row when its last
        cells have none)."""
        return (self._zeilen[z] or ()) if 0 <= z < len(self._zeilen) else ()

    def setze_zeile(self, z: int, codes: Sequence[str | None]) -> None:
        """Set the codes of row ``z`` (None: no format)."""
        if z >= len(self._zeilen):
            self._zeilen.extend([None] * (z + 1 - len(self._zeilen)))
        alt = self._zeilen[z]
        if alt is not None:
            self._anzahl -= len(alt) - alt.count(None)
        t = tuple(codes)
        neu = len(t) - t.count(None)
        self._zeilen[z] = self._gleiche.setdefault(t, t) if neu else None
        self._anzahl += neu

    def get(self, key: Any, default: Any = None) -> Any:
        z, s = key
        codes = self.codes(z)
        code = codes[s] if 0 <= s < len(codes) else None
        return default if code is None else code

    def __getitem__(self, key: tuple[int, int]) -> str:
        code = self.get(key)
        if code is None:
            raise KeyError(key)
        return code

    def __setitem__(self, key: tuple[int, int], code: str) -> None:
        z, s = key
        codes = list(self.codes(z))
        codes += [None] * (s + 1 - len(codes))
        codes[s] = code
        self.setze_zeile(z, codes)

    def __iter__(self) -> typing.Iterator[tuple[int, int]]:
        for z, codes in enumerate(self._zeilen):
            for s, code in enumerate(codes or ()):
                if code is not None:
                    yield z, s

    def __len__(self) -> int:
        return self._anzahl


class Zellmenge(MutableSet[tuple[int, int]]):
    """A set of (row, column) cells (0-based), held as one flag byte per row of each column that
    has any: a tuple and a set entry per cell took ≈ 140 bytes, e.g. for the wrapped texts of
    50.000 rows of „Ergebnis“ (``Blatt.umbruch``)."""

    __slots__ = ("_anzahl", "_spalten")

    def __init__(self, zellen: Iterable[tuple[int, int]] = ()) -> None:
        self._spalten: list[bytearray | None] = []
        self._anzahl = 0
        for zelle in zellen:
            self.add(zelle)

    def __contains__(self, zelle: object) -> bool:
        try:
            z, s = zelle  # type: ignore[misc]
            return z >= 0 and s >= 0 and self._spalten[s][z] == 1  # type: ignore[index]
        except (TypeError, ValueError, IndexError):
            return False

    def spalte(self, s: int) -> bytes | None:
        """Column ``s``: one byte per row (1: in the set), up to its last such row; None if none."""
        spalte = self._spalten[s] if 0 <= s < len(self._spalten) else None
        return None if spalte is None else bytes(spalte)

    def add(self, zelle: tuple[int, int]) -> None:
        z, s = zelle
        if not (type(z) is int and type(s) is int and z >= 0 and s >= 0):
            raise TypeError(f"Zelle (Zeile, Spalte) ab 0 erwartet, nicht {zelle!r}")
        if s >= len(self._spalten):
            self._spalten.extend([None] * (s + 1 - len(self._spalten)))
        spalte = self._spalten[s]
        if spalte is None:
            spalte = self._spalten[s] = bytearray()
        if z >= len(spalte):
            spalte.extend(bytes(z + 1 - len(spalte)))
        if not spalte[z]:
            spalte[z] = 1
            self._anzahl += 1

    def in_spalte(self, s: int, zeilen: Sequence[int]) -> None:
        """Add the cells (z, ``s``) of the rows ``zeilen`` (as :meth:`add` of each, in one go)."""
        if not zeilen:
            return
        if type(s) is not int or s < 0 or set(map(type, zeilen)) != {int} or min(zeilen) < 0:
            for z in zeilen:
                self.add((z, s))  # its error
            return
        if s >= len(self._spalten):
            self._spalten.extend([None] * (s + 1 - len(self._spalten)))
        spalte = self._spalten[s]
        if spalte is None:
            spalte = self._spalten[s] = bytearray()
        if max(zeilen) >= len(spalte):
            spalte.extend(bytes(max(zeilen) + 1 - len(spalte)))
        vorher = spalte.count(1)
        for z in zeilen:
            spalte[z] = 1
        self._anzahl += spalte.count(1) - vorher

    def discard(self, zelle: tuple[int, int]) -> None:
        if zelle in self:
            z, s = zelle
            self._spalten[s][z] = 0  # type: ignore[index]
            self._anzahl -= 1

    def __iter__(self) -> typing.Iterator[tuple[int, int]]:
        for s, spalte in enumerate(self._spalten):
            if spalte is not None:
                z = spalte.find(1)
                while z >= 0:
                    yield z, s
                    z = spalte.find(1, z + 1)

    def __len__(self) -> int:
        return self._anzahl

    def __repr__(self) -> str:
        return f"Zellmenge({sorted(self)!r})"


class Zeilenwerte(MutableMapping[int, float]):
    """Row (0-based) → value, held as one slot per row (``Blatt.hoehen``: the heights of the rows
    with wrapped text; a dict entry per row took ≈ 100 bytes with its key and value)."""

    __slots__ = ("_anzahl", "_werte")

    def __init__(self, werte: Mapping[int, float] | None = None) -> None:
        self._werte: list[float | None] = []
        self._anzahl = 0
        for z, w in (werte or {}).items():
            self[z] = w

    def __getitem__(self, z: int) -> float:
        w = self._werte[z] if type(z) is int and 0 <= z < len(self._werte) else None
        if w is None:
            raise KeyError(z)
        return w

    def __contains__(self, z: object) -> bool:
        return type(z) is int and 0 <= z < len(self._werte) and self._werte[z] is not None

    def get(self, z: int, default: Any = None) -> Any:
        w = self._werte[z] if type(z) is int and 0 <= z < len(self._werte) else None
        return default if w is None else w

    def __setitem__(self, z: int, wert: float) -> None:
        if not (type(z) is int and z >= 0) or wert is None:
            raise TypeError(f"Zeile ab 0 und ein Wert erwartet, nicht {z!r}: {wert!r}")
        if z >= len(self._werte):
            self._werte.extend([None] * (z + 1 - len(self._werte)))
        self._anzahl += self._werte[z] is None
        self._werte[z] = wert

    def setze_alle(self, werte: Mapping[int, float]) -> None:
        """``self[z] = w`` for each row and value of ``werte`` (in one go)."""
        if not werte:
            return
        if set(map(type, werte)) != {int} or min(werte) < 0 or None in werte.values():
            for z, w in werte.items():
                self[z] = w  # its error
            return
        if max(werte) >= len(self._werte):
            self._werte.extend([None] * (max(werte) + 1 - len(self._werte)))
        vorher = self._werte.count(None)
        for z, w in werte.items():
            self._werte[z] = w
        self._anzahl += vorher - self._werte.count(None)

    def __delitem__(self, z: int) -> None:
        if z not in self:
            raise KeyError(z)
        self._werte[z] = None
        self._anzahl -= 1

    def __iter__(self) -> typing.Iterator[int]:
        return (z for z, w in enumerate(self._werte) if w is not None)

    def __len__(self) -> int:
        return self._anzahl

    def __repr__(self) -> str:
        return f"Zeilenwerte({dict(self.items())!r})"


#: distinct amounts :func:`ausgaben` keeps converted, to share equal cell values
_GLEICHE_ZAHLEN = 4096
#: wrapped cells from which a laid-out :class:`Blatt` keeps ``umbruch`` and ``hoehen`` compact
#: (:class:`Zellmenge`, :class:`Zeilenwerte`); below, a set and a dict (faster to ask)
_KOMPAKT_AB = 1024


class Blatt(list):
    """The rows of one output sheet (a list of rows) with their presentation, derived from units:

    * ``formate``: (row, column) → Excel number format of that cell (0-based),
    * ``arten``: row → "kopf" (header), "titel" (block title) or "summe" (total row),
    * after :meth:`gestalte`: ``breiten`` (column widths in characters), ``umbruch`` (cells whose
      text wraps, a set) and ``hoehen`` (row → height in points for rows with wrapped text, a
      mapping); for many wrapped cells these are the compact :class:`Zellmenge` and
      :class:`Zeilenwerte`.
    """

    def __init__(self, zeilen: Any = ()) -> None:
        super().__init__(zeilen)
        self.formate = Zellformate()
        self.arten: dict[int, str] = {}
        self.breiten: list[float] = []
        self.umbruch: MutableSet[tuple[int, int]] = Zellmenge()
        self.hoehen: MutableMapping[int, float] = Zeilenwerte()
        self._einheiten: tuple[Einheit | None, ...] = ()  # :meth:`_formate_der_einheiten`
        self._formate: list[str | Einheit | None] = []
        self._alle_fest = True  # no format of ``_formate`` depends on the value

    def _laenge(self, z: int, s: int, wert: Any) -> float:
        """Characters a cell needs (numbers as displayed, header bold with a filter button)."""
        if isinstance(wert, str):
            laenge = float(max((len(t) for t in wert.split("\n")), default=0))
        elif isinstance(wert, bool):
            laenge = 6.0
        elif isinstance(wert, dt.date):
            laenge = 11.0
        elif isinstance(wert, int | float):
            code = self.formate.get((z, s), "")
            laenge = len(f"{wert:,.2f}") + (3 if "€" in code or "%" in code else 1)
            if isinstance(wert, int) and "." not in code:
                laenge = len(f"{wert:,}") + 2
        else:
            laenge = 0.0
        return laenge * 1.15 + 3 if self.arten.get(z) == "kopf" else laenge + 1

    def _zelle(self, z: int, s: int, wert: Any) -> float:
        """Width one cell asks for (:meth:`_laenge`); a long or multi-line text wraps at
        :data:`TEXT_BREITE` (noted in ``umbruch``)."""
        laenge = self._laenge(z, s, wert)
        if isinstance(wert, str) and (laenge > TEXT_BREITE or "\n" in wert):
            self.umbruch.add((z, s))
            laenge = TEXT_BREITE
        return laenge

    def _spaltenbreite(
        self, s: int, zeilen: Sequence[int], werte: Sequence[Any], codes: Sequence[tuple[str | None, ...]]
    ) -> float:
        """The widest of the cells ``werte`` of column ``s`` (rows ``zeilen``, neither header nor
        block title; ``codes``: their rows' formats) as :meth:`_zelle` gives it: texts by their
        length, numbers grouped by type and format and measured at their extremes only."""
        schnell = _einheitliche_spalte(s, werte, codes)
        if schnell is None:
            schnell = self._gemischte_spalte(s, zeilen, werte, codes)
        if schnell is not None:
            return schnell
        breite: float = 0.0
        zahlen: dict[tuple[type, str], list[Any]] = {}
        for z, wert, zcodes in zip(zeilen, werte, codes):
            typ = type(wert)
            if typ is str:
                if len(wert) + 1 > TEXT_BREITE or "\n" in wert:
                    self.umbruch.add((z, s))
                    breite = max(breite, TEXT_BREITE)
                elif len(wert) + 1 > breite:
                    breite = len(wert) + 1.0
            elif typ is float or typ is int:
                code = zcodes[s] if s < len(zcodes) else None
                zahlen.setdefault((typ, code or ""), []).append(wert)
            elif wert is not None:  # other types cell by cell (None asks for 1 of at least 8)
                breite = max(breite, self._zelle(z, s, wert))
        for (typ, code), werte_ in zahlen.items():
            breite = max(breite, _zahlenbreite(typ, code, werte_))
        return breite

    def _gemischte_spalte(
        self, s: int, zeilen: Sequence[int], werte: Sequence[Any], codes: Sequence[tuple[str | None, ...]]
    ) -> float | None:
        """:meth:`_spaltenbreite` of a column of texts and numbers (and empty cells), each type of
        number and each of its formats measured apart at C speed (as :func:`_einheitliche_spalte`,
        with the steps of the cell-by-cell rule; the widths of numbers are whole, so the order of
        their groups does not matter); None for any other column."""
        typen = list(map(type, werte))
        arten = set(typen) - {type(None)}
        if not arten <= {str, float, int}:
            return None
        gruppen = []
        for typ in arten - {str}:
            maske = list(map(operator.is_, typen, itertools.repeat(typ)))
            zcodes = list(itertools.compress(codes, maske))
            teil = list(itertools.compress(werte, maske))
            spalte = {t[s] if s < len(t) else None for t in dict(zip(map(id, zcodes), zcodes)).values()}
            if len(spalte) == 1:
                gruppen.append((typ, spalte.pop() or "", teil))
                continue
            je_zelle = [(t[s] if s < len(t) else None) or "" for t in zcodes]  # e.g. 0.0 % and 0.00 %
            for code in {c or "" for c in spalte}:
                gruppen.append((typ, code, list(itertools.compress(teil, map(code.__eq__, je_zelle)))))
        breite: float = 0.0
        if str in arten:
            maske = list(map(operator.is_, typen, itertools.repeat(str)))
            breite = self._textbreite(
                s, itertools.compress(zeilen, maske), list(itertools.compress(werte, maske))
            )
        for typ, code, teil in gruppen:
            breite = max(breite, _zahlenbreite(typ, code, teil))
        return breite

    def _textbreite(self, s: int, zeilen: Iterable[int], texte: list[str]) -> float:
        """The widest of the texts of column ``s`` as the cell-by-cell rule measures them (wrapped
        texts, noted in ``umbruch``, ask for :data:`TEXT_BREITE`), in one pass when none wraps."""
        laengste = max(map(len, texte))
        if laengste + 1 <= TEXT_BREITE and "\n" not in "".join(texte):
            return laengste + 1.0
        # the texts that wrap found once each (a column repeats its texts), their cells noted at once
        lang = {t for t in set(texte) if len(t) + 1 > TEXT_BREITE or "\n" in t}
        maske = list(map(lang.__contains__, texte))
        umbrochen = list(itertools.compress(zeilen, maske))
        if type(self.umbruch) is Zellmenge:
            self.umbruch.in_spalte(s, umbrochen)
        else:
            self.umbruch |= {(z, s) for z in umbrochen}
        # cell by cell the width grew with the texts before the first that wraps, then took that one's
        erste = maske.index(True)
        return max(max(map(len, texte[:erste])) + 1.0 if erste else 0.0, TEXT_BREITE)

    def gestalte(self) -> Blatt:
        """Column widths from the contents (text columns at most :data:`TEXT_BREITE`; longer texts
        wrap, their rows get the height of their lines); numbers always fit (never „#####“)."""
        from itertools import zip_longest

        spalten = max(map(len, self), default=0)
        breiten = [8.0] * spalten
        besonders = {z for z, art in self.arten.items() if art in ("kopf", "titel")}
        for z in sorted(besonders):  # a block title may run over the following columns
            if self.arten[z] == "kopf" and 0 <= z < len(self):
                for s, wert in enumerate(self[z]):
                    breiten[s] = max(breiten[s], self._zelle(z, s, wert))
        rumpf = [z for z in range(len(self)) if z not in besonders]
        codes = [self.formate.codes(z) for z in rumpf]
        for s, werte in enumerate(zip_longest(*(self[z] for z in rumpf))):
            breiten[s] = max(breiten[s], self._spaltenbreite(s, rumpf, werte, codes))
        self.breiten = [round(b, 1) for b in breiten]
        self._hoehen_der_umbrueche()
        if len(self.umbruch) <= _KOMPAKT_AB:  # a few cells: a set and a dict (the writer asks per cell)
            self.umbruch, self.hoehen = set(self.umbruch), dict(self.hoehen)
        return self

    def _hoehen_der_umbrueche(self) -> None:
        """Each row with wrapped cells gets the height of its most lines (at least what it has):
        a text of one line (most) has the lines of its length, counted once per column and length."""
        je_laenge: dict[tuple[int, int], float] = {}
        neu: dict[int, float] = {}
        bisher = self.hoehen.get
        for z, s in self.umbruch:
            text = str(self[z][s])
            if "\n" in text:
                hoehe = self._zeilen_des_texts(text, s) * ZEILENHOEHE
            elif (hoehe := je_laenge.get((s, len(text)))) is None:
                hoehe = je_laenge[(s, len(text))] = self._zeilen_des_texts(text, s) * ZEILENHOEHE
            alt = neu.get(z)
            neu[z] = max(bisher(z, ZEILENHOEHE) if alt is None else alt, hoehe)
        gleiche: dict[float, float] = {}  # few distinct heights: one float each
        neu = {z: gleiche.setdefault(h, h) for z, h in neu.items()}
        if type(self.hoehen) is Zeilenwerte:
            self.hoehen.setze_alle(neu)
        else:
            self.hoehen.update(neu)

    def _zeilen_des_texts(self, text: str, s: int) -> int:
        """The lines a wrapped text takes in column ``s`` (as wide as :attr:`breiten` says)."""
        breite = self.breiten[s] - 1
        return sum(max(1, math.ceil(len(t) * 1.1 / breite)) for t in text.split("\n"))

    def zeile(
        self, werte: Sequence[Any], einheiten: Sequence[Einheit | None] = (), art: str | None = None
    ) -> None:
        """Append a row; ``einheiten`` gives each cell's unit (its number format follows)."""
        z = len(self)
        zeile = list(werte)
        self.append(zeile)
        if art:
            self.arten[z] = art
        if not einheiten:
            return
        formate = self._formate_der_einheiten(einheiten)
        if self._alle_fest:  # every format a str or None: a float or int cell takes it as it is
            codes = [
                f if type(w) is float or type(w) is int
                else None if f is None or w is None or isinstance(w, _OHNE_FORMAT)
                else f
                for w, f in zip(zeile, formate)
            ]  # fmt: skip
        else:
            codes = [
                None
                if f is None or w is None or isinstance(w, _OHNE_FORMAT)
                else (f if type(f) is str else f.excel_format(w)) or None
                for w, f in zip(zeile, formate)
            ]
        if any(codes):
            self.formate.setze_zeile(z, codes)

    def zeilen(
        self, zeilen: Iterable[Sequence[Any]], einheiten: Sequence[Einheit | None] = (),
        art: str | None = None,
    ) -> None:  # fmt: skip
        """Append rows of the same units and kind, as :meth:`zeile` for each (the same rows,
        kinds and formats): rows of one length take their number formats column by column — a
        column of numbers one format or one call per cell, no type test per cell (issue 15: the
        large tables of an output sheet, 10.000 rows and more)."""
        neu = [list(w) for w in zeilen]
        if not einheiten or len({len(w) for w in neu}) > 1:
            for w in neu:
                self.zeile(w, einheiten, art)
            return
        start = len(self)
        self.extend(neu)
        if art:
            self.arten.update(dict.fromkeys(range(start, len(self)), art))
        if not neu:
            return
        formate = self._formate_der_einheiten(einheiten)
        spalten = [_codes_der_spalte(f, werte) for f, werte in zip(formate, zip(*neu))]
        for z, codes in enumerate(zip(*spalten), start):
            if any(codes):
                self.formate.setze_zeile(z, codes)

    def _formate_der_einheiten(self, einheiten: Sequence[Einheit | None]) -> list[str | Einheit | None]:
        """Per unit its one number format (a str; None: no unit or none), or the unit itself when
        its format depends on the value; kept for the units of the last row (a sheet's rows repeat
        them: a unit looked up in a dict per cell hashed the enum member in Python)."""
        schluessel = tuple(einheiten)
        if schluessel != self._einheiten:
            self._einheiten = schluessel
            self._formate = [
                None if e is None else (_FESTES_FORMAT[e] or None) if e in _FESTES_FORMAT else e
                for e in schluessel
            ]
            self._alle_fest = all(f is None or type(f) is str for f in self._formate)
        return self._formate


#: values that never get a number format
_OHNE_FORMAT = (str, bool)
#: the types of a column whose cells all take its unit's format (:meth:`Blatt.zeilen`)
_ZAHLTYPEN = frozenset({float, int})


def _codes_der_spalte(f: str | Einheit | None, werte: Sequence[Any]) -> list[str | None]:
    """The number format of each cell of a column (:meth:`Blatt.zeile`'s codes of one column):
    ``f`` the format of its unit (a str), the unit where the format depends on the value, None
    without one."""
    if f is None:
        return [None] * len(werte)
    if set(map(type, werte)) <= _ZAHLTYPEN:
        return [f] * len(werte) if type(f) is str else [f.excel_format(w) or None for w in werte]
    return [
        None
        if w is None or isinstance(w, _OHNE_FORMAT)
        else (f if type(f) is str else f.excel_format(w)) or None
        for w in werte
    ]


#: number format of the units whose format does not depend on the value ("" : none)
_FESTES_FORMAT: dict[Einheit, str] = {
    e: e.excel_format(1) or "" for e in Einheit if e not in (Einheit.ANZAHL, Einheit.ANTEIL)
}


def _einheitliche_spalte(
    s: int, werte: Sequence[Any], codes: Sequence[tuple[str | None, ...]]
) -> float | None:
    """Width of a column of one type (text without wrapping, or numbers of one format) measured at
    C speed; None for any other column (then cell by cell)."""
    typen = set(map(type, werte))
    if len(typen) != 1:
        return None
    typ = typen.pop()
    if typ is str:
        laenge = max(map(len, werte))
        if laenge + 1 > TEXT_BREITE or "\n" in "".join(werte):
            return None
        return laenge + 1.0
    if typ is float or typ is int:
        verschiedene = dict(zip(map(id, codes), codes)).values()
        spalte = {t[s] if s < len(t) else None for t in verschiedene}
        if len(spalte) == 1:
            return _zahlenbreite(typ, spalte.pop() or "", werte)
    return None


def _zahlenbreite(typ: type, code: str, werte: Sequence[Any]) -> float:
    """The widest of the numbers ``werte`` (all of type ``typ``, format ``code``) as
    :meth:`Blatt._laenge` measures each: the length shown grows with the absolute value and a sign
    adds one, so the largest and the smallest value decide (and −0.0, shown with its sign)."""
    from itertools import repeat

    if typ is float and not all(map(math.isfinite, werte)):
        kandidaten = list(werte)  # nan/inf: no order, every value
    else:
        kandidaten = [max(werte), min(werte)]
        if typ is float and kandidaten[1] == 0 and min(map(math.copysign, repeat(1.0), werte)) < 0:
            kandidaten.append(-0.0)
    laenge = max(len(f"{w:,.2f}") for w in kandidaten) + (3 if "€" in code or "%" in code else 1)
    if typ is int and "." not in code:
        laenge = max(len(f"{w:,}") for w in kandidaten) + 2
    return laenge + 1


def _diagrammdaten(result: ModelResult) -> tuple[str, list[list[Any]], list[list[Any]]]:
    """Summary for the bar chart: by Träger when there are two or more, else by Sozialraum.
    Amounts without a Träger (Jugendamt, unassigned) are listed apart, below the chart data."""
    for attribut, titel in (("traeger", "Träger"), ("sozialraum", "Sozialraum")):  # noqa: B007 - used after
        summen = result.summen_nach(attribut)
        if len([k for k in summen if k is not None]) >= 2:
            break
    else:
        summen, titel = result.summen_nach("art"), "Art"
    zeilen = [[_excel(k), _cent(b)] for k, b in summen.items() if k is not None]
    ohne = [["Jugendamt / ohne Zuordnung", _cent(b)] for k, b in summen.items() if k is None]
    return titel, zeilen, ohne


_E = Einheit


def _ergebnisblatt(result: ModelResult) -> Blatt:
    blatt = Blatt()
    blatt.zeile(KOPF_ERGEBNIS, art="kopf")
    einheiten = (_E.ANZAHL, None, None, None, None, None, _E.EURO, None)
    blatt.zeilen(
        (
            [nr, p.position, p.traeger or "", p.sozialraum or "", str(p.art.value), p.bedingung,
             _cent(p.betrag), p.quelle]
            for nr, p in enumerate(result.positionen, start=1)
        ),
        einheiten,
    )  # fmt: skip
    blatt.zeile(["", "Summe", "", "", "", "", _cent(result.gesamt), ""], einheiten, art="summe")
    return blatt.gestalte()


#: how the parts of the budget that are not paid in instalments are paid (Zahlungsplan)
_NICHT_IM_PLAN = {
    Art.BEDINGT: "davon bedingt (Zahlung bei erfüllter Bedingung)",
    Art.BONUS: "davon Bonus (Zahlung nach Leistungsfeststellung)",
    Art.OFFEN: "davon offen (Zahlung nach Abrechnung)",
    Art.EINBEHALTEN: "davon einbehalten (bleibt beim Jugendamt)",
}
#: title of the reconciliation block under the instalments
ABGLEICH_TITEL = "Abgleich mit dem Gesamtbudget"


def _zahlungsblatt(result: ModelResult) -> Blatt:
    blatt = Blatt()
    blatt.zeile(KOPF_ZAHLUNGSPLAN, art="kopf")
    einheiten = (_E.ANZAHL, _E.DATUM, None, None, _E.EURO)
    summe = Decimal(0)
    for nr, rate in enumerate(result.zahlungsplan, start=1):
        blatt.zeile([nr, rate.faellig, rate.empfaenger or "", rate.zweck, _cent(rate.betrag)], einheiten)
        summe += rate.betrag
    blatt.zeile(["", "", "", "Summe", _cent(summe)], einheiten, art="summe")
    _abgleich(blatt, result, summe)
    return blatt.gestalte()


def _abgleich(blatt: Blatt, result: ModelResult, in_raten: Decimal) -> None:
    """Why the instalments differ from the total budget: the budget total, of which paid in
    instalments (the plan above), of which conditional, bonus, open or retained (paid later or
    not at all). The „davon“ rows add up to the total to the cent."""
    einheiten = (None, None, None, None, _E.EURO)
    blatt.zeile([])
    blatt.zeile([ABGLEICH_TITEL], art="titel")
    blatt.zeile(["", "", "", "Gesamtbudget (Blatt „Ergebnis“)", _cent(result.gesamt)], einheiten)
    blatt.zeile(["", "", "", "davon in Abschlägen (oben)", _cent(in_raten)], einheiten)
    rest = result.gesamt - in_raten
    je_art = result.summen_nach("art")  # one pass (as result.summe(art=…) per kind)
    for art, text in _NICHT_IM_PLAN.items():
        betrag = je_art.get(art)
        if betrag:
            blatt.zeile(["", "", "", text, _cent(betrag)], einheiten)
            rest -= betrag
    if rest:  # unconditional items the plan does not pay (e.g. no due date in the year)
        blatt.zeile(["", "", "", "davon unbedingt, nicht in Abschlägen", _cent(rest)], einheiten)


def _tabellenblock(blatt: Blatt, result: ModelResult, name: str, tabelle: Any) -> None:
    blatt.zeile([])
    blatt.zeile([str(name)], art="titel")
    zeilen_t = list(tabelle) if not isinstance(tabelle, Mapping) else [tabelle]
    if not zeilen_t or not isinstance(zeilen_t[0], Mapping):
        for z in zeilen_t:
            blatt.zeile([_excel(z)])
        return
    kopf = list(zeilen_t[0].keys())
    for z in zeilen_t[1:]:
        kopf += [k for k in z if k not in kopf]
    blatt.zeile([str(k) for k in kopf], art="kopf")
    einheiten = [result.spalten_einheit(name, k) for k in kopf]
    blatt.zeilen(([_excel(z.get(k)) for k in kopf] for z in zeilen_t), einheiten)


def _kennzahlenblatt(result: ModelResult) -> Blatt:
    blatt = Blatt()
    blatt.zeile(KOPF_KENNZAHLEN, art="kopf")
    blatt.zeile(["Modell", result.titel])
    blatt.zeile(["Haushaltsjahr", result.jahr], (None, _E.JAHR))
    blatt.zeile(["Gesamtbetrag", _cent(result.gesamt)], (None, _E.EURO))
    for name, wert in result.kennzahlen.items():
        blatt.zeile([str(name), _excel(wert)], (None, result.einheit(name)))
    titel, zeilen, ohne = _diagrammdaten(result)
    blatt.zeile([])
    blatt.zeile([DIAGRAMM_PREFIX + titel], art="titel")
    blatt.zeile([titel, "Betrag"], art="kopf")
    for z in zeilen:
        blatt.zeile(z, (None, _E.EURO))
    if ohne:
        blatt.zeile([])
        blatt.zeile(["Nicht im Diagramm"], art="titel")
        blatt.zeile(["Empfänger", "Betrag"], art="kopf")
        for z in ohne:
            blatt.zeile(z, (None, _E.EURO))
    for name, tabelle in result.tabellen.items():
        _tabellenblock(blatt, result, name, tabelle)
    blatt.zeile([])
    blatt.zeile(["Hinweise"], art="titel")
    for w in result.warnungen:
        blatt.zeile([str(w)])
    if not result.warnungen:
        blatt.zeile(["Keine Hinweise."])
    return blatt.gestalte()


def ausgaben(result: ModelResult) -> dict[str, Blatt]:
    """Rows of the output sheets „Ergebnis“, „Zahlungsplan“, „Kennzahlen“ (header row first),
    each a :class:`Blatt` whose number formats and row kinds come from the result's units.

    Amounts are floats rounded to the cent; the Betrag column of „Ergebnis“ (without the
    final „Summe“ row) adds up to ``result.gesamt``. „Zahlungsplan“ lists the instalments and their
    „Summe“, then the block „Abgleich mit dem Gesamtbudget“ (total, of which in instalments, of which
    conditional, bonus, open, retained). Every sheet carries its layout (:meth:`Blatt.gestalte`).
    „Kennzahlen“ lists the single figures,
    then a block „Budget nach …“ (the data of the chart, :func:`diagramm_bereich`), the amounts
    without a Träger apart („Nicht im Diagramm“), each extra table of the result (title row,
    header row, rows) and the „Hinweise“ (warnings).
    """
    try:
        return {
            "Ergebnis": _ergebnisblatt(result),
            "Zahlungsplan": _zahlungsblatt(result),
            "Kennzahlen": _kennzahlenblatt(result),
        }
    finally:
        _ALS_FLOAT.clear()
        _IN_CENT.clear()


def diagramm_bereich(kennzahlen: Sequence[Sequence[Any]]) -> tuple[str, int, int] | None:
    """(title, first, last) 0-based row indices of the chart's data rows in the „Kennzahlen“
    rows of :func:`ausgaben` (column 1: category, column 2: amount)."""
    for i, zeile in enumerate(kennzahlen):
        if len(zeile) == 1 and isinstance(zeile[0], str) and zeile[0].startswith(DIAGRAMM_PREFIX):
            erste = i + 2
            letzte = erste
            while letzte + 1 < len(kennzahlen) and len(kennzahlen[letzte + 1]) == 2:
                letzte += 1
            return zeile[0], erste, letzte
    return None


def leere_ausgaben(modell_name: str) -> dict[str, Blatt]:
    """The output sheets of an empty workbook (``sozbudget new``): the header rows, and on
    „Kennzahlen“ the empty chart block („Budget nach …“ as in the model's example) that the
    chart reads; the first recalculation fills it and moves the chart's ranges."""
    titel = DIAGRAMM_PREFIX + "Träger"
    try:  # the example's title (Träger or Sozialraum); recalc follows the data anyway
        beispiel = ausgaben(modell(modell_name).berechne(*modell(modell_name).beispiel()))
        titel = (diagramm_bereich(beispiel["Kennzahlen"]) or (titel,))[0]
    except SozbudgetError:
        pass
    leer = {blatt: Blatt() for blatt in AUSGABEBLAETTER}
    for blatt, kopf in ausgabe_bereiche().items():
        leer[blatt].zeile(kopf, art="kopf")
    k = leer["Kennzahlen"]
    k.zeile([])
    k.zeile([titel], art="titel")
    k.zeile([titel.removeprefix(DIAGRAMM_PREFIX), "Betrag"], art="kopf")
    return {blatt: b.gestalte() for blatt, b in leer.items()}


def ausgabe_bereiche() -> dict[str, tuple[str, ...]]:
    """Output sheet → its header row (the writer clears and rewrites these sheets only)."""
    return {"Ergebnis": KOPF_ERGEBNIS, "Zahlungsplan": KOPF_ZAHLUNGSPLAN, "Kennzahlen": KOPF_KENNZAHLEN}


def pruefe_abdeckung(modell_name: str) -> list[str]:
    """Fields of ``Eingabe``/``Parameter`` that no parameter row or table fills (should be [])."""
    m = _modell(modell_name)
    e_felder = {f.name for f in dataclasses.fields(m.modul.Eingabe)}
    p_felder = {f.name for f in dataclasses.fields(m.modul.Parameter)}
    e_belegt = {p.feld for p in m.schema.parameter if p.ziel == "eingabe"}
    e_belegt |= {t.feld for t in m.schema.tabellen}
    p_belegt = {p.feld for p in m.schema.parameter if p.ziel == "parameter"}
    return sorted(f"Eingabe.{f}" for f in e_felder - e_belegt) + sorted(
        f"Parameter.{f}" for f in p_felder - p_belegt
    )
