"""Excel adapter: xlwings worksheet functions (``SRB_…``) and macros, thin wrappers only.

Every function here converts cells to core inputs, calls the core and converts back; no
arithmetic happens in this module. The xlwings decorators attach the metadata Excel needs
(function and argument help in German, category „Sozialraumbudget“, 2-D range arguments)
on Windows; on Linux and macOS they return the function unchanged, so every ``SRB_…``
function is also a plain Python function (tests call it with lists of lists, numpy arrays
or DataFrames).

Conventions of the worksheet functions:

* **range in, array out** — a range argument arrives as one 2-D list (``ndim=2``), one call
  per range; tables return a header row and spill as a dynamic array (Excel 365; older
  Excel needs an array formula with Ctrl+Shift+Enter). No legacy ``expand`` option: xlwings
  would then resize the formula itself.
* **floats, never Decimal** — amounts are exact cents computed with ``Decimal`` and leave as
  ``float`` (pywin32 would turn a Decimal into a 4-place Currency); dates leave as ``date``;
  ``None`` leaves as an empty text, so a spilled array shows no ``0`` for a blank.
* **errors are cell texts** — every :class:`~sozbudget_xl.errors.SozbudgetError` (and any
  unexpected exception) becomes ``Fehler: …`` of at most 255 characters (a longer text would
  show as ``#WERT!``), never a traceback. ``f.__wrapped__`` is the function that raises.

Macros (``SRB_NEU_BERECHNEN``, ``SRB_ANLAGEN_ERSTELLEN``) take the calling workbook
(``xw.Book.caller()``); their logic is in :func:`neu_berechnen_in_mappe` and
:func:`anlagen_aus_mappe`, which take any *book-like* object with ``.sheets[name]``,
``.range(address).options(ndim=2).value``, ``.used_range``, ``.clear_contents()``,
``.fullname`` and ``.app.alert`` (tests drive them with a small fake).

>>> SRB_VERTEILEN(100, [[1], [1], [1]])
[[33.34], [33.33], [33.33]]
>>> SRB_BETRAG(1234.5)
'1.234,50\\xa0€'
>>> SRB_VERTEILEN(100, [[1], [-1]])
'Fehler: Gewicht Nr. 2 ist negativ (erwartet 0 oder mehr, gefunden -1)'
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from ._pandas_spaet import pd  # pandas on first use (issue 15)

try:
    import xlwings as xw
except ImportError:  # LibreOffice's Python has no xlwings: the functions stay plain Python
    from .hosts import ohne_xlwings as xw

from . import formats, indicators, money, schedule
from .errors import DatenFehler, EingabeFehler, GewichtFehler, SozbudgetError
from .models import MODELLE
from .models import modell as _modell
from .spec import funktionsname
from .workbook import schema as _schema_modul

__all__ = [
    "AUSGABEBLAETTER",
    "KATEGORIE",
    "MAKROS",
    "MAX_TEXT",
    "MODELL_UDFS",
    "SRB_ANLAGEN_ERSTELLEN",
    "SRB_BETRAG",
    "SRB_BUDGETSCHLUESSEL",
    "SRB_INDEX",
    "SRB_JUGENDEINWOHNERINDEX",
    "SRB_NEU_BERECHNEN",
    "SRB_RATEN",
    "SRB_STANDARDPUNKTE",
    "SRB_VERTEILEN",
    "anlagen_aus_mappe",
    "berechne_mappe",
    "excel_wert",
    "excel_zeilen",
    "fehlertext",
    "funktionsname",
    "lese_buch",
    "modell_funktion",
    "neu_berechnen_in_mappe",
    "pruefen_in_mappe",
    "schreibe_blatt",
]

#: Excel shows a returned text longer than this as #WERT! (VBA wrapper, Err.Description).
MAX_TEXT = 255
#: Category of the functions in Excel's function wizard.
KATEGORIE = "Sozialraumbudget"
#: Output sheets written by the recalculation macro (in this order).
AUSGABEBLAETTER = _schema_modul.AUSGABEBLAETTER
PARAMETERBLATT = "Parameter"
MODELL_FELD = "Modell"
ANLAGENORDNER = "Vertragsanlagen"
#: Worksheet function of each model (registry name → function name), generated from the registry.
MODELL_UDFS = {n: "SRB_" + n.upper() for n in MODELLE}
#: Names of the macros (``@xw.sub``); every other ``SRB_`` name is a worksheet function.
MAKROS = ("SRB_NEU_BERECHNEN", "SRB_ANLAGEN_ERSTELLEN")

_F = TypeVar("_F", bound=Callable[..., Any])
_EINE_ZEILE = re.compile(r"[ \t\r\n]+")


# --------------------------------------------------------------------------- errors → cell text


def fehlertext(exc: BaseException) -> str:
    """A short German cell text for an exception (≤ :data:`MAX_TEXT` characters, no traceback)."""
    if isinstance(exc, SozbudgetError):
        text = f"Fehler: {exc}"
    else:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        text = f"Fehler: unerwarteter Fehler ({type(exc).__name__}{': ' + detail if detail else ''})"
    text = _EINE_ZEILE.sub(" ", text).strip()  # no line breaks in a cell; keep no-break spaces
    return _kurz(text)


def _excel_fehler(f: _F) -> _F:
    """Turn every exception of a worksheet function into its German cell text."""

    @functools.wraps(f)
    def wrapper(*args: Any) -> Any:
        try:
            return f(*args)
        except Exception as exc:  # a cell shows a text, never a traceback
            return fehlertext(exc)

    return _hilfe(wrapper)  # type: ignore[return-value]


def _hilfe(f: _F) -> _F:
    """Excel shows the docstring as one line of help: collapse line breaks and indentation."""
    if f.__doc__:
        f.__doc__ = _EINE_ZEILE.sub(" ", f.__doc__).strip()
    return f


#: German help of every argument of every worksheet function: function name → argument → text.
#: Recorded by :func:`_arg` for the other hosts (LibreOffice, xlwings Lite), where xlwings'
#: decorators keep no metadata (:mod:`sozbudget_xl.hosts.funktionen`).
ARGUMENT_HILFE: dict[str, dict[str, str]] = {}

# xlwings Lite and server mode export ``script`` instead of ``sub``; the macros are
# registered there by :mod:`sozbudget_xl.hosts.xlwings_lite`.
_sub = getattr(xw, "sub", None) or (lambda f: f)


def _arg(name: str, *, doc: str, **optionen: Any) -> Callable[[_F], _F]:
    """``xw.arg`` that also records the German help text in :data:`ARGUMENT_HILFE`."""

    def deco(f: _F) -> _F:
        ARGUMENT_HILFE.setdefault(f.__name__, {})[name] = doc
        return xw.arg(name, doc=doc, **optionen)(f)

    return deco


# --------------------------------------------------------------------------- cells ↔ Python


def excel_wert(value: Any) -> Any:
    """One Python value as a value Excel takes: Decimal → float, numpy → Python, None → "".

    >>> excel_wert(Decimal("12.30")), excel_wert(np.int64(3)), excel_wert(None)
    (12.3, 3, '')
    """
    if value is None:
        return ""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return value
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else ""
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value + 0.0 if math.isfinite(value) else ""  # + 0.0 turns -0.0 into 0.0
    if isinstance(value, dt.date):
        return value
    return str(value)


def excel_zeilen(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """A table as a rectangular list of lists of Excel values (short rows padded with "")."""
    width = max((len(r) for r in rows), default=0)
    return [[excel_wert(v) for v in r] + [""] * (width - len(r)) for r in rows]


def _zelle_ein(value: Any) -> Any:
    """A value read from a cell: numpy scalars → Python, NaN and blank text → None."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _matrix(x: Any, *, mit_kopf: bool = False) -> list[list[Any]]:
    """A range argument as a 2-D list of rows.

    Accepts what xlwings passes (scalar, list, list of lists) and what Python callers pass
    (numpy arrays, pandas objects). A flat list is a column. A DataFrame gives its header
    row first when ``mit_kopf``.
    """
    if isinstance(x, pd.DataFrame):
        werte = x.astype(object).to_numpy().tolist()
        kopf = [[str(c) for c in x.columns]] if mit_kopf else []
        return kopf + [[_zelle_ein(v) for v in r] for r in werte]
    if isinstance(x, pd.Series):
        x = x.to_numpy(dtype=object)
    if isinstance(x, np.ndarray):
        if x.ndim == 0:
            return [[_zelle_ein(x.item())]]
        if x.ndim == 1:
            return [[_zelle_ein(v)] for v in x.tolist()]
        if x.ndim == 2:
            return [[_zelle_ein(v) for v in r] for r in x.tolist()]
        raise EingabeFehler("Bereich hat mehr als zwei Dimensionen", found=x.ndim)
    if isinstance(x, list | tuple):
        if not x:
            return []
        if all(type(r) is list or isinstance(r, list | tuple | np.ndarray) for r in x):
            # a float that is no NaN needs no conversion: spares a call per cell of a large range
            return [[v if type(v) is float and v == v else _zelle_ein(v) for v in r] for r in x]
        return [[v if type(v) is float and v == v else _zelle_ein(v)] for v in x]
    return [[_zelle_ein(x)]]


def _skalar(x: Any, was: str) -> Any:
    """The single value of a one-cell argument (1×1 ranges included)."""
    m = _matrix(x)
    if len(m) != 1 or len(m[0]) != 1:
        groesse = f"{len(m)}×{len(m[0]) if m else 0} Zellen"
        raise EingabeFehler(f"„{was}“ muss eine einzelne Zelle sein", expected="1 Zelle", found=groesse)
    return m[0][0]


def _text(x: Any, was: str, standard: str) -> str:
    """An optional text argument (blank → default), stripped."""
    v = _skalar(x, was) if x is not None else None
    if v is None:
        return standard
    if isinstance(v, bool) or not isinstance(v, str | int | float):
        raise EingabeFehler(f"„{was}“ muss ein Text sein", found=repr(v))
    return str(v).strip() or standard


def _ganzzahl(x: Any, was: str, standard: int | None = None) -> int:
    v = _skalar(x, was) if x is not None else None
    if v is None and standard is not None:
        return standard
    if isinstance(v, str):
        v = v.strip()
        if re.fullmatch(r"[+-−]?\d+", v):
            return int(v.replace("−", "-"))
    if isinstance(v, int | float) and not isinstance(v, bool) and float(v).is_integer():
        return int(v)
    raise EingabeFehler(f"„{was}“ muss eine ganze Zahl sein", found=repr(v))


_JA = {"ja", "wahr", "true", "x", "1"}
_NEIN = {"nein", "falsch", "false", "0", ""}


def _ja_nein(x: Any, was: str, standard: bool = False) -> bool:
    v = _skalar(x, was) if x is not None else None
    if v is None:
        return standard
    if isinstance(v, bool):
        return v
    if isinstance(v, int | float) and v in (0, 1):
        return bool(v)
    if isinstance(v, str) and v.strip().casefold() in _JA | _NEIN:
        return v.strip().casefold() in _JA
    raise EingabeFehler(f"„{was}“ muss WAHR oder FALSCH sein", expected="WAHR/FALSCH, ja/nein", found=repr(v))


def _form_wie(werte: Sequence[Any], m: list[list[Any]], *, excelwerte: bool = False) -> list[list[Any]]:
    """Values laid out in the shape of the input range ``m`` (row-major); ``excelwerte``: the
    values are Excel values already (finite floats), no conversion per cell."""
    breite = len(m[0]) if m else 0
    if excelwerte:
        liste = list(werte)
        if breite == 1:
            return [[v] for v in liste[: len(m)]]
        return [liste[i : i + breite] for i in range(0, breite * len(m), breite)]
    it = iter(werte)
    return [[excel_wert(next(it)) for _ in range(breite)] for _ in m]


def _flach(m: list[list[Any]], was: str) -> list[Any]:
    werte = [v for r in m for v in r]
    if not werte:
        raise DatenFehler(f"„{was}“ ist leer")
    return werte


def _zahlen(m: list[list[Any]], was: str) -> list[float]:
    """Numbers of a range (numbers or German number texts); blanks and text are errors."""
    out = []
    for i, v in enumerate(_flach(m, was), start=1):
        if isinstance(v, int | float) and not isinstance(v, bool):
            out.append(float(v))
            continue
        try:
            out.append(float(money.to_decimal(v, "Zahl")))
        except SozbudgetError:
            raise EingabeFehler(
                f"„{was}“, Wert Nr. {i} ist keine Zahl",
                expected="Zahl",
                found="leer" if v is None else repr(v),
            ) from None
    return out


def _tabelle(x: Any, was: str) -> list[dict[str, Any]]:
    """A range with a header row → rows as dicts (column title → value); blank rows dropped."""
    m = _matrix(x, mit_kopf=True)
    if not m:
        raise DatenFehler(f"„{was}“ ist leer", expected="Kopfzeile und Daten")
    kopf = ["" if v is None else str(v).strip() for v in m[0]]
    if not any(kopf):
        raise DatenFehler(f"„{was}“: die erste Zeile muss die Spaltenüberschriften enthalten")
    doppelt = sorted({k for k in kopf if k and kopf.count(k) > 1})
    if doppelt:
        raise DatenFehler(f"„{was}“: Spaltenüberschrift doppelt", found=", ".join(doppelt))
    return [{k: v for k, v in zip(kopf, r) if k} for r in m[1:] if any(v is not None for v in r)]


# --------------------------------------------------------------------------- generic UDFs


@xw.func(category=KATEGORIE)
@_arg("betrag", doc="Gesamtbetrag in Euro (Zahl oder Text wie „1.234,56 €“).")
@_arg("gewichte", ndim=2, doc="Bereich mit den Gewichten (Zahlen ab 0), z. B. Einwohner je Sozialraum.")
@_excel_fehler
def SRB_VERTEILEN(betrag: Any, gewichte: Any) -> Any:
    """Teilt einen Betrag centgenau im Verhältnis der Gewichte auf (Verfahren der größten Reste): die Teile
    ergeben zusammen genau den Betrag. Das Ergebnis hat die Form des Gewichtsbereichs.
    """
    m = _matrix(gewichte)
    flach = _flach(m, "Gewichte")
    if None in flach:
        raise GewichtFehler(f"Gewicht Nr. {flach.index(None) + 1} fehlt (leere Zelle)", expected="Zahl ab 0")
    euro = money.allocate(_skalar(betrag, "Betrag"), flach, float)  # floats nearest the exact cents
    return _form_wie(euro, m, excelwerte=True)


@xw.func(category=KATEGORIE)
@_arg("werte", ndim=2, doc="Bereich mit den Indikatorwerten, ein Wert je Sozialraum.")
@_arg(
    "methode",
    doc=("spw (Standardpunktwert 0–100, Vorgabe), z, sw (100+10·z), t (50+10·z), index100 oder rang."),
)
@_arg("richtung", doc="1 (Vorgabe): höherer Wert = mehr Bedarf; -1: niedrigerer Wert = mehr Bedarf.")
@_arg("stichprobe", doc="FALSCH (Vorgabe): Standardabweichung der Grundgesamtheit; WAHR: der Stichprobe.")
@_excel_fehler
def SRB_STANDARDPUNKTE(
    werte: Any, methode: str = "spw", richtung: float = 1, stichprobe: bool = False
) -> Any:
    """Standardisiert einen Indikator über alle Sozialräume (Standardpunktwert, z-Wert, Standardwert, T-Wert,
    Index 100 oder Rang). Sind alle Werte gleich, entsteht der neutrale Wert. Ergebnis in der Form des
    Wertebereichs.
    """
    m = _matrix(werte)
    r = _ganzzahl(richtung, "Richtung", 1)
    if r not in (1, -1):
        raise EingabeFehler("Richtung muss 1 oder -1 sein", field="Richtung", found=r)
    s, _ = indicators.standardisiere(
        _zahlen(m, "Werte"),
        _text(methode, "Methode", "spw").casefold(),
        richtung=r,
        ddof=1 if _ja_nein(stichprobe, "Stichprobe") else 0,
    )
    return _form_wie(s.tolist(), m)


def _ist_kopf(zeile: Sequence[Any]) -> bool:
    """A header row: only texts that are no numbers."""
    if not zeile or any(not isinstance(v, str) for v in zeile):
        return False
    for v in zeile:
        try:
            money.to_decimal(v, "Zahl")
            return False
        except SozbudgetError:
            continue
    return True


@xw.func(category=KATEGORIE)
@_arg(
    "standardwerte_bereich",
    ndim=2,
    doc=(
        "Standardwerte: eine Spalte je Indikator, eine Zeile je Sozialraum; Überschriften in der "
        "ersten Zeile erlaubt."
    ),
)
@_arg(
    "gewichte",
    ndim=2,
    doc=("Optional: ein Gewicht je Indikator (zusammen 100 %); leer: gleiche Gewichte."),
)
@_excel_fehler
def SRB_INDEX(standardwerte_bereich: Any, gewichte: Any = None) -> Any:
    """Gesamtindex je Sozialraum: gewichteter Mittelwert der Standardwerte mehrerer Indikatoren (ohne
    Gewichte: gleich gewichtet). Mit Überschriftenzeile beginnt das Ergebnis mit „Index“.
    """
    m = _matrix(standardwerte_bereich)
    kopf = _ist_kopf(m[0]) if m else False
    daten = m[1:] if kopf else m
    if not daten:
        raise DatenFehler("keine Standardwerte angegeben")
    namen = [str(v) for v in m[0]] if kopf else [f"Indikator {i + 1}" for i in range(len(daten[0]))]
    spalten = [np.asarray(_zahlen([[r[j]] for r in daten], namen[j])) for j in range(len(daten[0]))]
    g: list[float | None] | None = None
    if gewichte is not None:
        gm = _matrix(gewichte)
        werte = [v for r in gm for v in r if v is not None]
        if werte:
            if len(werte) != len(spalten):
                raise EingabeFehler(
                    "je Indikator genau ein Gewicht angeben", expected=len(spalten), found=len(werte)
                )
            anteile = [money.percent(v, "Gewicht") for v in werte]
            if abs(sum(anteile) - 1) > Decimal("1e-9"):
                raise GewichtFehler(
                    "die Gewichte müssen zusammen 100 % ergeben (Prozentzellen oder Texte wie „25 %“)",
                    expected="100 %",
                    found=formats.prozent(sum(anteile)),
                )
            g = [float(a) for a in anteile]
    index = indicators.index_aus_werten(spalten, g, namen)
    return ([["Index"]] if kopf else []) + [[excel_wert(v)] for v in index.tolist()]


@xw.func(category=KATEGORIE)
@_arg("jugendeinwohner", ndim=2, doc="Jugendeinwohner (unter 21 Jahre) je Sozialraum.")
@_arg("einwohner", ndim=2, doc="Einwohner je Sozialraum, gleiche Anzahl Zellen wie die Jugendeinwohner.")
@_arg("methode", doc="Standardisierung: spw (Vorgabe), z, sw, t, index100 oder rang.")
@_excel_fehler
def SRB_JUGENDEINWOHNERINDEX(jugendeinwohner: Any, einwohner: Any, methode: str = "spw") -> Any:
    """Jugend-Einwohner-Index je Sozialraum: Spalte 1 = Jugendeinwohner ÷ Einwohner, Spalte 2 = sein
    Standardwert (Methode). Nur Spalte 2: INDEX(SRB_JUGENDEINWOHNERINDEX(…);;2).
    """
    jung = _zahlen(_matrix(jugendeinwohner), "Jugendeinwohner")
    alle = _zahlen(_matrix(einwohner), "Einwohner")
    if len(jung) != len(alle):
        raise DatenFehler(
            "Jugendeinwohner und Einwohner haben unterschiedlich viele Zellen",
            expected=len(jung),
            found=len(alle),
        )
    jei, s, _ = indicators.jugend_einwohner_index(jung, alle, _text(methode, "Methode", "spw").casefold())
    return [[excel_wert(a), excel_wert(b)] for a, b in zip(jei.tolist(), s.tolist())]


def _indikatoren(angabe: Any, spalten: Sequence[str], ausgenommen: set[str]) -> list[indicators.Indicator]:
    """Indicators from a text („A/B; C“, „alle“, „keine“) or a definition table.

    A definition table has a header row with „Zähler“ and optionally „Name“, „Nenner“,
    „Richtung“, „Gewicht“ (fraction or percentage text).
    """
    m = _matrix(angabe) if angabe is not None else [["alle"]]
    if len(m) == 1 and len(m[0]) == 1:
        text = "alle" if m[0][0] is None else str(m[0][0]).strip()
        if text.casefold() == "alle":
            return [indicators.Indicator(c, c) for c in spalten if c not in ausgenommen]
        if text.casefold() in ("keine", "-", ""):
            return []
        out = []
        for teil in (t.strip() for t in text.split(";")):
            if teil:
                zaehler, _, nenner = (s.strip() for s in teil.partition("/"))
                out.append(indicators.Indicator(teil, zaehler, nenner or None))
        return out
    zeilen = _tabelle(m, "Indikatoren")
    out = []
    for i, z in enumerate(zeilen, start=1):
        zaehler = z.get("Zähler")
        if zaehler is None:
            raise DatenFehler("Indikatoren: Spalte „Zähler“ fehlt oder ist leer", item=f"Zeile {i + 1}")
        gewicht = z.get("Gewicht")
        out.append(
            indicators.Indicator(
                str(z.get("Name") or zaehler),
                str(zaehler),
                str(z["Nenner"]) if z.get("Nenner") is not None else None,
                richtung=_ganzzahl(z.get("Richtung"), "Richtung", 1),
                gewicht=None if gewicht is None else float(money.percent(gewicht, "Gewicht")),
            )
        )
    return out


@xw.func(category=KATEGORIE)
@_arg("gesamt", doc="Gesamtbudget in Euro.")
@_arg(
    "tabelle_mit_kopfzeile",
    ndim=2,
    doc=(
        "Sozialräume mit Überschriftenzeile: Spalte „Sozialraum“, Zielgruppe (z. B. "
        "„Jugendeinwohner“) und Indikatorspalten."
    ),
)
@_arg("schluessel", doc="jew (Jugendeinwohnerwert, Vorgabe), basis_faktor oder kopf (reine Kopfzahl).")
@_arg("zielgruppe", doc="Spalte mit der Zielgruppe (Vorgabe „Jugendeinwohner“).")
@_arg(
    "indikatoren",
    ndim=2,
    doc=(
        "„alle“ (Vorgabe: alle übrigen Spalten), „keine“, Text wie „Arbeitslose/Einwohner; HzE“ "
        "oder Bereich mit Zähler, Nenner, Richtung, Gewicht."
    ),
)
@_arg("methode", doc="Standardisierung: spw (Vorgabe), z, sw, t, index100 oder rang.")
@_excel_fehler
def SRB_BUDGETSCHLUESSEL(
    gesamt: Any,
    tabelle_mit_kopfzeile: Any,
    schluessel: str = "jew",
    zielgruppe: str = "Jugendeinwohner",
    indikatoren: Any = "alle",
    methode: str = "spw",
) -> Any:
    """Budget je Sozialraum nach Verteilungsschlüssel, centgenau: Tabelle Sozialraum, Gewicht, Anteil, Budget
    (Summe = Gesamtbudget). Hinweise (z. B. alle Werte gleich) folgen als Zeilen „Hinweis: …“ unter der
    Tabelle.
    """
    zeilen = _tabelle(tabelle_mit_kopfzeile, "Tabelle")
    if not zeilen:
        raise DatenFehler("keine Sozialräume angegeben")
    df = pd.DataFrame(zeilen)
    if "Sozialraum" not in df.columns:
        raise DatenFehler("Spalte „Sozialraum“ fehlt", expected="Überschrift „Sozialraum“")
    key = _text(schluessel, "Schlüssel", "jew").casefold()
    ziel = _text(zielgruppe, "Zielgruppe", "Jugendeinwohner")
    inds = _indikatoren(indikatoren, [str(c) for c in df.columns], {"Sozialraum", ziel})
    tabelle = indicators.budget_df(
        _skalar(gesamt, "Gesamtbudget"),
        df,
        inds,
        schluessel=key,
        zielgruppe=ziel,
        basis=ziel if key == "basis_faktor" else None,
        methode=_text(methode, "Methode", "spw").casefold(),
    )
    rows: list[list[Any]] = [list(tabelle.columns)]
    rows += tabelle.astype(object).to_numpy().tolist()
    rows += [[f"Hinweis: {w}"] for w in tabelle.attrs.get("warnungen", [])]
    return excel_zeilen(rows)


_RHYTHMEN = {"jährlich": "jaehrlich", "quartalsweise": "quartalsweise", "vierteljährlich": "quartalsweise"}


@xw.func(category=KATEGORIE)
@_arg("betrag", doc="Jahresbetrag in Euro.")
@_arg("jahr", doc="Haushaltsjahr, z. B. 2026.")
@_arg(
    "rhythmus",
    doc=(
        "monatlich (Vorgabe, jeweils am 1.), quartalsweise, quartalsmitte (15.2., 15.5., 15.8., "
        "15.11.) oder jaehrlich."
    ),
)
@_arg("bundesland", doc="Optional: Kürzel wie BY oder NW für die Feiertage (nur mit Werktag = WAHR).")
@_arg(
    "werktag",
    doc=(
        "WAHR (Vorgabe): Fälligkeit am Wochenende oder Feiertag rückt auf den nächsten Werktag; "
        "FALSCH: Kalenderdatum."
    ),
)
@_excel_fehler
def SRB_RATEN(
    betrag: Any, jahr: float, rhythmus: str = "monatlich", bundesland: str = "", werktag: bool = True
) -> Any:
    """Zahlungsplan eines Jahresbetrags: Tabelle Fällig, Betrag; centgenau gleiche Raten, Restcent auf die
    ersten Raten. Datumsspalte bei Bedarf als Datum formatieren.
    """
    rh = _text(rhythmus, "Rhythmus", "monatlich").casefold()
    land = _text(bundesland, "Bundesland", "").upper() or None
    plan = schedule.zahlungsplan(
        _skalar(betrag, "Betrag"),
        _ganzzahl(jahr, "Jahr"),
        _RHYTHMEN.get(rh, rh),
        werktag=_ja_nein(werktag, "Werktag", standard=True),
        bundesland=land,
    )
    return excel_zeilen([["Fällig", "Betrag"]] + [[r.faellig, r.betrag] for r in plan])


@xw.func(category=KATEGORIE)
@_arg("wert", doc="Betrag (Zahl oder Text); bei einem Bereich entsteht je Zelle ein Text.")
@_excel_fehler
def SRB_BETRAG(wert: Any) -> Any:
    """Betrag als deutscher Text mit Tausenderpunkt, zwei Nachkommastellen (kaufmännisch gerundet) und
    Euro-Zeichen, z. B. „1.234,50 €“.
    """
    m = _matrix(wert)
    if len(m) == 1 and len(m[0]) == 1:
        return formats.betrag(m[0][0])
    return [[formats.betrag(v) if v is not None else "" for v in r] for r in m]


# --------------------------------------------------------------------------- one UDF per model


def _parameter_aus_bereich(bereich: Any) -> dict[str, Any]:
    """The Parameter range (Bezeichnung, Wert[, Hinweis]; header row optional) as title → value."""
    m = _matrix(bereich, mit_kopf=True)
    if not m or len(m[0]) < 2:
        raise DatenFehler(
            "der Parameterbereich braucht zwei Spalten", expected="Bezeichnung und Wert", field="Parameter"
        )
    return {titel: wert for _, titel, wert in _parameter_zeilen(m)}


def _modell_ergebnis(name: str, parameter_bereich: Any, *bereiche: Any) -> list[list[Any]]:
    """Run model ``name`` on a Parameter range and its table ranges (schema order, with header).

    Errors are located as if each range were its table on its own sheet at A1 (the contract
    layout). Returns the „Ergebnis“ table; the model's warnings follow as „Hinweis:“ rows.
    """
    tabellen = {
        t.name: [] if b is None else _tabelle(b, t.blatt)
        for t, b in zip(_schema_modul.schema(name).tabellen, bereiche)
    }
    parameter = _parameter_aus_bereich(parameter_bereich)
    _, _, result = _schema_modul.berechne_aus_daten(name, parameter, tabellen)
    rows = [list(r) for r in _schema_modul.ausgaben(result)["Ergebnis"]]
    rows += [[f"Hinweis: {w}"] for w in result.warnungen]
    return excel_zeilen(rows)


def _parametername(tabelle: str) -> str:
    """Python argument name of a table: ``AehTeams`` → ``aeh_teams``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", tabelle).lower()


def _kurz(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _modell_udf(name: str) -> Callable[[_F], _F]:
    """Decorate the worksheet function of model ``name``: German argument help from the schema
    (one table range per argument, in schema order), error texts, category."""

    def deco(f: _F) -> _F:
        f = _excel_fehler(f)
        f = _arg(
            "parameter_bereich",
            ndim=2,
            doc=(
                "Blatt „Parameter“, Spalten Bezeichnung und Wert (Kopfzeile erlaubt), z. B. Parameter!A1:B30."
            ),
        )(f)
        optional = f.__wrapped__.__defaults__ or ()  # type: ignore[attr-defined]
        tabellen = _schema_modul.schema(name).tabellen
        for i, t in enumerate(tabellen):
            titel = ", ".join(s.titel for s in t.spalten)
            wahl = "Optional: " if i >= len(tabellen) - len(optional) else ""
            doc = f"{wahl}Tabelle „{t.blatt}“ mit Überschriftenzeile ({titel}), z. B. {t.name}[#Alle]."
            f = _arg(_parametername(t.name), ndim=2, doc=_kurz(doc))(f)
        return xw.func(category=KATEGORIE)(f)

    return deco


def _tabellen_argumente(name: str) -> list[tuple[str, bool]]:
    """(argument name, optional) of each input table, in declaration order; a table is optional
    when the model's ``Eingabe`` has a default for it (and every table after an optional one)."""
    modul = _modell(name)
    standard = {
        f.name
        for f in dataclasses.fields(modul.Eingabe)
        if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
    }
    out: list[tuple[str, bool]] = []
    for t in _schema_modul.schema(name).tabellen:
        optional = t.feld in standard or (bool(out) and out[-1][1])
        out.append((_parametername(t.name), optional))
    return out


def modell_funktion(name: str) -> Callable[..., Any]:
    """The worksheet function of a model, generated from its declaration.

    xlwings reads the argument names from the function's code object, so the function is
    compiled with one argument per input table (``parameter_bereich`` first); German help for
    every argument comes from the declaration (:func:`_modell_udf`).
    """
    modul = _modell(name)
    fname = funktionsname(modul.NAME)
    args = _tabellen_argumente(modul.NAME)
    kopf = ", ".join(["parameter_bereich", *(a + ("=None" if opt else "") for a, opt in args)])
    aufruf = ", ".join(["parameter_bereich", *(a for a, _ in args)])
    quelle = f"def {fname}({kopf}):\n    return _modell_ergebnis({modul.NAME!r}, {aufruf})\n"
    namensraum: dict[str, Any] = {"_modell_ergebnis": _modell_ergebnis}
    exec(compile(quelle, f"<{fname}>", "exec"), namensraum)  # names are identifiers of the declaration
    f = namensraum[fname]
    f.__module__ = __name__
    f.__qualname__ = fname
    f.__annotations__ = {**{a: Any for a in ["parameter_bereich", *(a for a, _ in args)]}, "return": Any}
    f.__doc__ = _kurz(
        f"{modul.TITEL}. Ergebnis-Tabelle (Nr., Position, Träger, Sozialraum, Art, Bedingung, Betrag, "
        "Quelle) mit Summenzeile."
    )
    return _modell_udf(modul.NAME)(f)


for _name in MODELLE:
    globals()[funktionsname(_name)] = modell_funktion(_name)
__all__ += sorted(MODELL_UDFS.values())


# --------------------------------------------------------------------------- workbook (macros)


def _spaltenname(n: int) -> str:
    """1 → A, 27 → AA."""
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _blatt(book: Any, name: str) -> Any:
    namen = [s.name for s in book.sheets]
    if name not in namen:
        raise DatenFehler(f"Blatt „{name}“ fehlt in der Mappe", expected=name)
    return book.sheets[name]


def _bereich(sheet: Any, tabelle: str | None = None) -> tuple[list[list[Any]], int, int]:
    """Values of an Excel table (ListObject) or else the used range: (rows, first row, first column)."""
    tables = getattr(sheet, "tables", None)
    rng = None
    if tabelle and tables is not None and tabelle in [t.name for t in tables]:
        rng = tables[tabelle].range
    if rng is None:
        rng = sheet.used_range
    werte = rng.options(ndim=2).value
    return (
        _matrix(werte if werte is not None else []),
        int(getattr(rng, "row", 1)),
        int(getattr(rng, "column", 1)),
    )


def _norm(titel: Any) -> str:
    """Titles compare like the contract does: case and spacing do not matter."""
    return " ".join(str(titel).split()).casefold()


class _Mappe:
    """What a workbook holds for the model: parameters, tables and where each value sits."""

    def __init__(self) -> None:
        self.parameter: dict[str, Any] = {}
        self.tabellen: dict[str, list[dict[str, Any]]] = {}
        self.hinweise: list[str] = []  # notes of the reader (rows typed below a table)
        self._param_ort: dict[str, tuple[str, str]] = {}
        # table name → (sheet, header row, sheet row of each data row, column title → column number)
        self._tab_ort: dict[str, tuple[str, int, list[int], dict[str, int]]] = {}

    def ort(self, tabelle: str, zeile: int | None, spalte: str) -> tuple[str, str] | None:
        """(sheet, cell) of a parameter (``tabelle="Parameter"``) or of a table value
        (``zeile``: index into the table's rows, None: the header)."""
        if tabelle == PARAMETERBLATT:
            return self._param_ort.get(_norm(spalte))
        if tabelle not in self._tab_ort:
            return None
        blatt, kopfzeile, zeilen, spalten = self._tab_ort[tabelle]
        nummer = spalten.get(_norm(spalte), min(spalten.values(), default=1))
        reihe = zeilen[zeile] if zeile is not None and 0 <= zeile < len(zeilen) else kopfzeile
        return blatt, f"{_spaltenname(nummer)}{reihe}"


def _parameter_zeilen(m: list[list[Any]]) -> list[tuple[int, str, Any]]:
    """(row offset, Bezeichnung, Wert) of a Parameter range; header and blank rows skipped."""
    out = []
    for i, r in enumerate(m):
        titel = r[0] if r else None
        if titel is None or (i == 0 and str(titel).strip() == "Bezeichnung"):
            continue
        out.append((i, str(titel).strip(), r[1] if len(r) > 1 else None))
    return out


#: first words of a total row typed under a table (as the file reader, :mod:`.workbook.io`)
_SUMMENWORT = re.compile(r"^\s*(?:summe|gesamt|insgesamt|total|zusammen)\b", re.IGNORECASE)


def _zeilentext(zeilen: Sequence[int]) -> str:
    """„Zeile 7“ or „Zeilen 7–9“ (rows below a table are contiguous)."""
    return f"Zeile {zeilen[0]}" if len(zeilen) == 1 else f"Zeilen {zeilen[0]}–{zeilen[-1]}"


def _ausmass(sheet: Any, tabelle: str) -> tuple[int, int, int, int]:
    """(first row, first column, last row, last column) of the table ``tabelle`` of ``sheet``."""
    werte, zeile0, spalte0 = _bereich(sheet, tabelle)
    breite = max((len(r) for r in werte), default=1)
    return zeile0, spalte0, zeile0 + max(len(werte), 1) - 1, spalte0 + breite - 1


def _hat_summenzeile(tabelle: Any) -> bool:
    """Whether an Excel table shows its totals row (xlwings ``show_totals``; a host that does not
    know it, or a Lite book whose JSON lacks it, has none)."""
    try:
        return getattr(tabelle, "show_totals", False) is True
    except Exception:  # xlwings Lite: KeyError when the book's JSON has no such entry
        return False


def _zeilen_darunter(
    sheet: Any, tabelle: str, ende: int, spalte0: int, breite: int
) -> tuple[list[list[Any]], list[int], bool]:
    """The rows typed directly below the Excel table (ListObject; in Calc a database range)
    ``tabelle`` whose last row is ``ende`` (contiguous, not blank within its ``breite`` columns):
    LibreOffice, pasted rows or Excel without auto-expand leave them outside the table.
    ``(rows, sheet row numbers, has the table a totals row?)``; read from the used range."""
    tables = getattr(sheet, "tables", None)
    if tables is None or tabelle not in [t.name for t in tables]:
        return [], [], False
    summen = _hat_summenzeile(tables[tabelle])
    andere = [_ausmass(sheet, t.name) for t in tables if t.name != tabelle]
    genutzt, u0, v0 = _bereich(sheet)
    zeilen: list[list[Any]] = []
    nummern: list[int] = []
    for zeile in range(max(ende + 1, u0), u0 + len(genutzt)):
        if any(a[0] <= zeile <= a[2] and a[1] < spalte0 + breite and a[3] >= spalte0 for a in andere):
            break  # another table starts here
        r = genutzt[zeile - u0]
        werte = [r[s - v0] if 0 <= s - v0 < len(r) else None for s in range(spalte0, spalte0 + breite)]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in werte):
            break
        zeilen.append(werte)
        nummern.append(zeile)
    return zeilen, nummern, summen


def _pruefe_darunter(
    blatt: str, tabelle: str, spalte0: int, zeilen: list[list[Any]], nummern: list[int], summen: bool
) -> str:
    """Refuse rows below a totals row and a total row typed under the table; else the note."""
    text = _zeilentext(nummern)
    erste = f"{_spaltenname(spalte0)}{nummern[0]}"
    if summen:
        raise SozbudgetError(
            f"{text} stehen unter der Ergebniszeile der Tabelle „{tabelle}“ und können nicht zugeordnet "
            "werden – bitte die Einträge in die Tabelle einfügen (Zeile oberhalb der Ergebniszeile)",
            sheet=blatt,
            cell=erste,
        )
    for r, z in zip(zeilen, nummern):
        if r and isinstance(r[0], str) and _SUMMENWORT.match(r[0]):
            raise SozbudgetError(
                f"Zeile {z} direkt unter der Tabelle „{tabelle}“ sieht wie eine Summenzeile aus und wird "
                "nicht als Eintrag gelesen – bitte eine Leerzeile zwischen Tabelle und Summe lassen "
                f"(direkt angefügte Zeilen, hier {text}, werden sonst in die Tabelle übernommen)",
                sheet=blatt,
                cell=f"{_spaltenname(spalte0)}{z}",
            )
    return (
        f"Blatt „{blatt}“, {text}: direkt unter der Tabelle „{tabelle}“ eingetragen und mitgerechnet. Bitte "
        f"die Tabelle bis Zeile {nummern[-1]} erweitern (Excel: Tabellenentwurf › Tabellengröße ändern), "
        "damit Auswahllisten und Prüfregeln dort gelten."
    )


def lese_buch(book: Any) -> tuple[Any, _Mappe]:
    """Read „Parameter“ and the model's tables from a live book: ``(model module, Mappe)``.

    Only the reading is host-specific (xlwings ranges); which model, how cells convert and how
    errors are located is the one orchestration of :mod:`.workbook.schema` that the CLI uses too.
    Tables are read from their Excel table (ListObject) when the sheet has one of that name,
    else from the sheet's used range; blank rows are skipped, cell locations kept for errors.
    As the file reader does, rows typed directly below a table are taken in with a note
    (``Mappe.hinweise``); its totals row is left out, rows below it or a total row typed under
    the table are an error naming the rows.
    """
    mappe = _Mappe()
    m, zeile0, spalte0 = _bereich(_blatt(book, PARAMETERBLATT))
    for i, titel, wert in _parameter_zeilen(m):
        mappe.parameter[titel] = wert
        mappe._param_ort[_norm(titel)] = (PARAMETERBLATT, f"{_spaltenname(spalte0 + 1)}{zeile0 + i}")
    modul = _schema_modul.modell_der_mappe(mappe.parameter, mappe.ort)
    for t in _schema_modul.schema(modul.NAME).tabellen:
        sheet = _blatt(book, t.blatt)
        werte, zeile0, spalte0 = _bereich(sheet, t.name)
        kopf = ["" if v is None else str(v).strip() for v in (werte[0] if werte else [])]
        ende = zeile0 + max(len(werte), 1) - 1
        darunter, unter_nummern, summen = _zeilen_darunter(sheet, t.name, ende, spalte0, len(kopf))
        koerper = list(enumerate(werte[1:], start=1))
        if summen and koerper:
            koerper = koerper[:-1]  # the table's totals row is no entry
        zeilen, nummern = [], []
        for i, r in koerper:
            if any(v is not None for v in r):
                zeilen.append({k: v for k, v in zip(kopf, r) if k})
                nummern.append(zeile0 + i)
        if darunter:
            mappe.hinweise.append(_pruefe_darunter(t.blatt, t.name, spalte0, darunter, unter_nummern, summen))
            zeilen += [{k: v for k, v in zip(kopf, r) if k} for r in darunter]
            nummern += unter_nummern
        mappe.tabellen[t.name] = zeilen
        spalten = {_norm(k): spalte0 + j for j, k in enumerate(kopf) if k}
        mappe._tab_ort[t.name] = (t.blatt, zeile0, nummern, spalten)
    return modul, mappe


def berechne_mappe(book: Any) -> tuple[Any, Any, _Mappe]:
    """Read a book-like workbook and run its model: ``(model module, ModelResult, Mappe)``.

    Every error (conversion or model validation) names the sheet and cell it comes from.
    """
    _, mappe = lese_buch(book)
    modul, _, _, result = _schema_modul.berechne_mappendaten(
        mappe.parameter, mappe.tabellen, mappe.ort, mappe.hinweise
    )
    return modul, result, mappe


_EXCEL_LIEST_UM = re.compile(
    r"[\d\s.,:/%€()+\-−]*\d[\d\s.,:/%€()+\-−]*|wahr|falsch|true|false", re.IGNORECASE
)


def _als_text(value: Any) -> Any:
    """Texts that Excel would turn into a formula, number, date or truth value get a ' prefix."""
    value = excel_wert(value)
    if value == "":
        return None
    if isinstance(value, str) and (value[0] in "=+-@" or _EXCEL_LIEST_UM.fullmatch(value.strip())):
        return "'" + value
    return value


def schreibe_blatt(book: Any, name: str, rows: Sequence[Sequence[Any]]) -> None:
    """Replace the contents of sheet ``name`` (added when missing) by ``rows`` starting at A1."""
    if name not in [s.name for s in book.sheets]:
        book.sheets.add(name, after=book.sheets[len(book.sheets) - 1])
    sheet = book.sheets[name]
    sheet.used_range.clear_contents()
    zeilen = excel_zeilen(rows)
    if zeilen and zeilen[0]:
        sheet.range("A1").value = [[_als_text(v) for v in r] for r in zeilen]


def _hinweise(result: Any, hoechstens: int = 5) -> str:
    w = [str(x) for x in result.warnungen]
    if not w:
        return ""
    mehr = f" (und {len(w) - hoechstens} weitere)" if len(w) > hoechstens else ""
    return "\n\nHinweise:\n– " + "\n– ".join(w[:hoechstens]) + mehr


def _ab_a1(sheet: Any) -> list[list[Any]]:
    """The values of ``sheet`` from A1 to the end of its used range (empty rows and columns before
    the used range kept, so row and column numbers are the sheet's, as in the saved file)."""
    bereich = sheet.used_range
    werte = bereich.options(ndim=2).value or []
    links = [None] * (int(bereich.column) - 1)
    breite = len(links) + max((len(z) for z in werte), default=0)
    return [[None] * breite for _ in range(int(bereich.row) - 1)] + [links + list(z) for z in werte]


def _jahresdaten_aus_buch(book: Any, mappe: _Mappe) -> None:
    """Let Soll/Ist and Jahresabschluss (:func:`sozbudget_xl.jahr.blaetter.jahresstand`) read the
    sheets „Ist“ and „Vorträge“ from the live book, unsaved edits included (``mappe.blaetter`` and
    ``mappe.blattwerte``); a book without „Ist“ leaves them to the saved file as before."""
    from .jahr.blaetter import VORTRAEGE
    from .jahr.ist import BLATT as IST

    namen = [str(s.name) for s in book.sheets]
    if IST not in namen:
        return

    def blattwerte(name: str) -> list[list[Any]] | None:
        return _ab_a1(book.sheets[name]) if name in (IST, VORTRAEGE) and name in namen else None

    mappe.blaetter = namen  # type: ignore[attr-defined]
    mappe.blattwerte = blattwerte  # type: ignore[attr-defined]


def _berechnung(book: Any) -> Any:
    """Read and compute a book-like workbook as the CLI does (a :class:`~sozbudget_xl.workbook.
    recalc.Berechnung`); the sheets „Verträge“ (``mappe.vertragsblatt``), „Ist“ and „Vorträge“ are
    read from the live book, so contract numbers, the inputs' fingerprint, Soll/Ist and
    Jahresabschluss follow the book, saved or not."""
    from .vertragsmappe import BLATT, Buchberechnung, Vertragsblatt, vertragsblatt_aus_zeilen

    _, mappe = lese_buch(book)
    modul, eingabe, parameter, result = _schema_modul.berechne_mappendaten(
        mappe.parameter, mappe.tabellen, mappe.ort, mappe.hinweise
    )
    if BLATT in [s.name for s in book.sheets]:
        zeilen = book.sheets[BLATT].used_range.options(ndim=2).value or []
        mappe.vertragsblatt = vertragsblatt_aus_zeilen(zeilen)
    else:
        mappe.vertragsblatt = Vertragsblatt()
    _jahresdaten_aus_buch(book, mappe)
    return Buchberechnung(Path(str(book.fullname)), modul, eingabe, parameter, result, mappe)


def neu_berechnen_in_mappe(book: Any, *, zusatzblaetter: bool = False) -> str:
    """Recalculate a book-like workbook: read inputs, run the model, write the output sheets.
    With ``zusatzblaetter`` (the Excel macro) also the sheets ``sozbudget recalc`` adds (:func:`~
    sozbudget_xl.workbook.recalc.zusatzblaetter`, e.g. „Verträge“), so both write the same sheets.

    Returns the German summary shown to the user.
    """
    from .vertragsmappe import vertragsblatt

    b = _berechnung(book)
    zusatz: dict[str, Any] = {}
    if zusatzblaetter and b.pfad.is_file():
        from .workbook.recalc import zusatzblaetter as _zusatz

        zusatz = _zusatz(b)
    elif zusatzblaetter:  # an unsaved book: providers that read further sheets need the file
        zusatz = vertragsblatt(b)
        if getattr(b.mappe, "blattwerte", None) is not None:  # „Ist“ is read from the book itself
            from .jahr.blaetter import jahresblaetter

            zusatz.update(jahresblaetter(b))
    for name, rows in {**_schema_modul.ausgaben(b.ergebnis), **zusatz}.items():
        schreibe_blatt(book, name, rows)
    return (
        f"Neu berechnet: {b.modul.TITEL}\nGesamtbetrag {formats.betrag(b.ergebnis.gesamt)}, "
        f"{len(b.ergebnis.positionen)} Positionen." + _hinweise(b.ergebnis)
    )


def pruefen_in_mappe(book: Any) -> str:
    """Check a book-like workbook: read inputs and run the model, write nothing.

    Returns the German summary (what the recalculation would write).
    """
    modul, result, _ = berechne_mappe(book)
    return (
        f"Geprüft: {modul.TITEL}\nKeine Fehler in der Eingabe. Gesamtbetrag {formats.betrag(result.gesamt)}, "
        f"{len(result.positionen)} Positionen (nichts geschrieben)." + _hinweise(result)
    )


def anlagen_aus_mappe(
    book: Any,
    formate: Sequence[str] = ("docx", "html"),
    ausfuehren: Callable[[Callable[[], list[Path]]], list[Path]] = lambda arbeit: arbeit(),
) -> list[Path]:
    """Render the contract annexes of a book-like workbook into „Vertragsanlagen“ beside it.

    The workbook is read first; ``ausfuehren`` runs the rendering (LibreOffice hands it to a
    worker thread, see :mod:`sozbudget_xl.hosts.calc_mappe`).
    """
    from .vertragsmappe import dokumente

    pfad = str(book.fullname)
    if "://" in pfad or not Path(pfad).is_absolute():
        raise DatenFehler(
            "die Mappe muss zuerst als Datei gespeichert sein (Vertragsanlagen entstehen daneben)",
            found=pfad,
        )
    b = _berechnung(book)  # numbers, addresses and signatories from the book's „Verträge“ sheet
    ordner = Path(pfad).parent / ANLAGENORDNER
    ordner.mkdir(parents=True, exist_ok=True)
    return ausfuehren(lambda: dokumente(b, ordner, formate=formate, makro=True).dateien)


def _makro(book: Any, arbeit: Callable[[Any], str]) -> str:
    """Run a macro's work and show its summary or its German error in a message box."""
    try:
        text = arbeit(book)
    except Exception as exc:  # a message box, never a traceback
        text = fehlertext(exc)
    book.app.alert(text, title="Sozialraumbudget")
    return text


def _anlagen_meldung(book: Any) -> str:
    dateien = anlagen_aus_mappe(book)
    if not dateien:
        return "Keine Vertragsanlagen erstellt: das Ergebnis enthält keine Positionen mit Träger."
    return f"{len(dateien)} Dateien erstellt im Ordner\n{dateien[0].parent}"


# xlwings evaluates return annotations of macros as converters: a macro has none (None would fail).
@_sub
@_hilfe
def SRB_NEU_BERECHNEN():
    """Berechnet die aktive Mappe neu: liest „Parameter“ und die Eingabetabellen, rechnet das Modell und
    schreibt „Ergebnis“, „Zahlungsplan“, „Kennzahlen“ und „Verträge“ (wie „sozbudget recalc“).
    """
    _makro(xw.Book.caller(), functools.partial(neu_berechnen_in_mappe, zusatzblaetter=True))


@_sub
@_hilfe
def SRB_ANLAGEN_ERSTELLEN():
    """Erstellt die Vertragsanlagen (DOCX und HTML) der aktiven Mappe im Ordner „Vertragsanlagen“ neben der
    Mappe.
    """
    _makro(xw.Book.caller(), _anlagen_meldung)


# --------------------------------------------------------------------------- analysis (issue 18)
# Block of the analysis helper: SRB_VERAENDERUNG (why does the budget change?) and SRB_SZENARIEN
# (budgets of several variants side by side). Thin wrappers over sozbudget_xl.analyse.


def _analyse_situation(
    gesamt: Any, tabelle: Any, indikatoren: Any, zielgruppe: Any, methode: Any, schluessel: Any, was: str
) -> Any:
    """A situation of :mod:`sozbudget_xl.analyse` from a table range (Sozialraum, Zielgruppe,
    indicator columns, optionally „Träger“: the Träger that receives the Sozialraum's budget)."""
    from .analyse.situation import situation_aus_tabelle

    zeilen = _tabelle(tabelle, was)
    if not zeilen:
        raise DatenFehler(f"„{was}“: keine Sozialräume angegeben")
    spalten = list(dict.fromkeys(k for z in zeilen for k in z))
    if "Sozialraum" not in spalten:
        raise DatenFehler(f"„{was}“: Spalte „Sozialraum“ fehlt", expected="Überschrift „Sozialraum“")
    ziel = _text(zielgruppe, "Zielgruppe", "Jugendeinwohner")
    inds = _indikatoren(indikatoren, spalten, {"Sozialraum", ziel, "Träger"})
    sit = situation_aus_tabelle(
        zeilen,
        inds,
        _skalar(gesamt, "Gesamtbudget"),
        zielgruppe=ziel,
        methode=_text(methode, "Methode", "spw").casefold(),
        schluessel=_text(schluessel, "Schlüssel", "jew").casefold(),
    )
    if "Träger" not in spalten:
        return sit
    traeger = {
        str(z["Sozialraum"]).strip(): {str(z["Träger"]).strip(): Decimal(1)}
        for z in zeilen
        if z.get("Träger")
    }
    return sit.mit(traeger=traeger)


@xw.func(category=KATEGORIE)
@_arg("gesamt_alt", doc="Gesamtbudget des Vorjahres (bzw. der alten Fassung) in Euro.")
@_arg(
    "tabelle_alt",
    ndim=2,
    doc=(
        "Sozialräume des Vorjahres mit Überschriftenzeile: „Sozialraum“, Zielgruppe, Indikatorspalten; "
        "optional „Träger“."
    ),
)
@_arg("gesamt_neu", doc="Gesamtbudget des neuen Jahres in Euro.")
@_arg("tabelle_neu", ndim=2, doc="Sozialräume des neuen Jahres, gleiche Spalten und Sozialräume.")
@_arg("indikatoren", ndim=2, doc="„alle“ (Vorgabe), „keine“ oder Text wie „Arbeitslose/Einwohner; HzE“.")
@_arg("methode", doc="Standardisierung im Vorjahr: spw (Vorgabe), z, sw, t, index100 oder rang.")
@_arg("methode_neu", doc="Optional: Standardisierung im neuen Jahr (leer: wie im Vorjahr).")
@_arg("zielgruppe", doc="Spalte mit der Zielgruppe (Vorgabe „Jugendeinwohner“).")
@_excel_fehler
def SRB_VERAENDERUNG(
    gesamt_alt: Any,
    tabelle_alt: Any,
    gesamt_neu: Any,
    tabelle_neu: Any,
    indikatoren: Any = "alle",
    methode: str = "spw",
    methode_neu: str = "",
    zielgruppe: str = "Jugendeinwohner",
) -> Any:
    """Warum ändert sich das Budget? Zerlegt die Veränderung je Sozialraum centgenau in die Beiträge von
    Gesamtbudget, Zielgruppe, Indikatorwerten und Methode (Shapley-Werte), mit Erklärung; mit Spalte
    „Träger“ auch je Träger.
    """
    from .analyse.blatt import veraenderung_tabelle
    from .analyse.zerlegung import zerlege

    m_alt = _text(methode, "Methode", "spw")
    alt = _analyse_situation(gesamt_alt, tabelle_alt, indikatoren, zielgruppe, m_alt, "jew", "Tabelle ALT")
    m_neu = _text(methode_neu, "Methode neu", m_alt)
    neu = _analyse_situation(gesamt_neu, tabelle_neu, indikatoren, zielgruppe, m_neu, "jew", "Tabelle NEU")
    rows = veraenderung_tabelle(zerlege(alt, neu))
    return excel_zeilen([[_kurz(v) if isinstance(v, str) else v for v in r] for r in rows])


@xw.func(category=KATEGORIE)
@_arg("gesamt", doc="Gesamtbudget in Euro.")
@_arg(
    "tabelle_mit_kopfzeile",
    ndim=2,
    doc="Sozialräume mit Überschriftenzeile: „Sozialraum“, Zielgruppe und Indikatorspalten.",
)
@_arg(
    "varianten",
    ndim=2,
    doc=(
        "Bereich mit einer Variante je Zelle, z. B. „z-Wert: methode=z, sd=stichprobe“ oder „Kopf: "
        "schluessel=kopf“; leer: alle Methoden. Die erste ist die Referenz."
    ),
)
@_arg("indikatoren", ndim=2, doc="„alle“ (Vorgabe), „keine“ oder Text wie „Arbeitslose/Einwohner; HzE“.")
@_arg("zielgruppe", doc="Spalte mit der Zielgruppe (Vorgabe „Jugendeinwohner“).")
@_arg("methode", doc="Standardisierung ohne Angabe in der Variante: spw (Vorgabe), z, sw, t, index100, rang.")
@_excel_fehler
def SRB_SZENARIEN(
    gesamt: Any,
    tabelle_mit_kopfzeile: Any,
    varianten: Any = None,
    indikatoren: Any = "alle",
    zielgruppe: str = "Jugendeinwohner",
    methode: str = "spw",
) -> Any:
    """Szenarien: Budget je Sozialraum unter mehreren Varianten (Methode, Standardabweichung, Gewichte,
    Indikatoren, Schlüssel) nebeneinander, centgenau, mit den Differenzen zur ersten Variante und Summen.
    """
    from .analyse.blatt import szenarien_tabelle
    from .analyse.szenarien import STANDARD_VARIANTEN, lies_variante, vergleiche_szenarien

    sit = _analyse_situation(
        gesamt, tabelle_mit_kopfzeile, indikatoren, zielgruppe, methode, "jew", "Tabelle"
    )
    texte = [str(v).strip() for r in _matrix(varianten) for v in r if v is not None and str(v).strip()]
    liste = [lies_variante(t) for t in texte] if texte else list(STANDARD_VARIANTEN)
    return excel_zeilen(szenarien_tabelle(vergleiche_szenarien(sit, liste), beschreibungen=True))


__all__ += ["SRB_SZENARIEN", "SRB_VERAENDERUNG"]
# --------------------------------------------------------------------------- end of analysis block


# --------------------------------------------------------------------------- controlling block (issue 16)


@xw.func(category=KATEGORIE)
@_arg(
    "plan",
    ndim=2,
    doc="Plan mit Überschriftenzeile: „Träger“, „Sozialraum“ und „Soll“ (Jahresbetrag in Euro) je Zeile.",
)
@_arg(
    "ist",
    ndim=2,
    doc="Ist-Buchungen mit Überschriftenzeile: „Monat“ (1–12, Januar…, Q1–Q4), „Träger“, „Sozialraum“, "
    "„Ausgaben“; optional „Jahr“ (Vorjahr = Saisonprofil).",
)
@_arg("jahr", doc="Haushaltsjahr, z. B. 2026.")
@_excel_fehler
def SRB_SOLL_IST(plan: Any, ist: Any, jahr: Any) -> Any:
    """Soll/Ist je Träger und Sozialraum bis zum letzten gemeldeten Monat: Jahres-Soll, Soll bis Stand
    (anteilig), Ist, Differenz, Ausschöpfung, Prognose zum Jahresende; Summenzeile centgenau, Hinweise
    als Zeilen „Hinweis: …“.
    """
    from .jahr.tabelle import soll_ist_tabelle

    zeilen = _tabelle(plan, "Plan")
    if not zeilen:
        raise DatenFehler("kein Plan angegeben")
    rows, _ = soll_ist_tabelle(zeilen, _matrix(ist), _ganzzahl(jahr, "Jahr"))
    return excel_zeilen(rows)


@xw.func(category=KATEGORIE)
@_arg("ist_monate", ndim=2, doc="Ist je Monat ab Januar (leere Zellen: noch nicht gemeldet).")
@_arg("vorjahr", ndim=2, doc="Optional: Ist des Vorjahres je Monat (12 Zellen) für das Saisonprofil.")
@_excel_fehler
def SRB_PROGNOSE(ist_monate: Any, vorjahr: Any = None) -> Any:
    """Prognose der Ausgaben zum Jahresende: linear aus den gemeldeten Monaten (Ist × 12 / Monate) oder,
    mit dem Vorjahr, nach dessen Saisonprofil (Ist ÷ Anteil des Vorjahres bis zum selben Monat).
    """
    from .jahr.tabelle import prognose_aus_monaten

    monate = [v for r in _matrix(ist_monate) for v in r]
    profil = [v for r in _matrix(vorjahr) for v in r] if vorjahr not in (None, "") else []
    return excel_wert(prognose_aus_monaten(monate, profil))


__all__ += ["SRB_PROGNOSE", "SRB_SOLL_IST"]
# --------------------------------------------------------------------------- end of controlling block
