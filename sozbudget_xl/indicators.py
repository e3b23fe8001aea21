"""Social indicators, standard values, composite index, classes and allocation keys.

Domain spec §2 (source §6.2). Three layers:

* **array layer** — numpy in, numpy out, vectorised (100.000 regions in milliseconds):
  :func:`standardisiere`, :func:`raten`, :func:`index_aus_werten`, :func:`klassifiziere`;
* **plain-Python layer** — regions as a sequence of mappings (``[{"Sozialraum": "Nord",
  "Einwohner": 12000, ...}, ...]``): :func:`bewerte`, :func:`verteile_nach_index`,
  :func:`rangfolge`;
* **pandas layer** — the same with DataFrames and German column names:
  :func:`bewerte_df`, :func:`budget_df`, :func:`berlin_mss`.

Standard-value methods (keyword ``methode``), direction −1 mirrors the scale:

========== ============================================ ===========================
keyword     formula                                       direction −1
========== ============================================ ===========================
``spw``     ``100·(x − min)/(max − min)`` (default)        ``100 − SPW``
``z``       ``(x − mean)/sd``                             ``−z``
``sw``      Standardwert ``100 + 10·z``                   ``100 − 10·z``
``t``       T-Wert ``50 + 10·z``                          ``50 − 10·z``
``index100`` ``100·x/mean`` (average area = 100)          ``200 − index``
``rang``    rank, 1 = highest value (ties share the best)  1 = lowest value
========== ============================================ ===========================

``sd`` is the population sd (ddof 0, Excel STDEV.P) by default, the sample sd (STDEV.S)
with ``ddof=1``. Mean and sd are unweighted by default, population-weighted with
``bevoelkerung``. All areas equal (max = min, sd = 0) → neutral value and a warning.

>>> standardisiere([10.0, 20.0, 30.0])[0].tolist()
[0.0, 50.0, 100.0]
>>> verteile_nach_index("1000.00", [
...     {"Sozialraum": "A", "Jugendeinwohner": 100, "Quote": 1.0},
...     {"Sozialraum": "B", "Jugendeinwohner": 100, "Quote": 3.0}],
...     [Indicator("Quote", "Quote")], zielgruppe="Jugendeinwohner")
{'A': Decimal('333.33'), 'B': Decimal('666.67')}
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pandas is only needed by the pandas layer and imported there
    import pandas as pd

from .ergebnis import Warnung
from .errors import DatenFehler, EingabeFehler, GewichtFehler, SozbudgetError
from .money import MehrdeutigeZahl, allocate_cents, euro, from_cents, to_decimal
from .parsing import zeige as _zeige

METHODEN = ("spw", "z", "sw", "t", "index100", "rang")
SCHLUESSEL = ("jew", "basis_faktor", "kopf")
#: JEW weights are rounded to this many decimals before the exact allocation, so the
#: weights a user sees in the workbook are exactly the ones the money follows.
GEWICHT_STELLEN = 6

__all__ = [
    "BERLIN_DYNAMIK_KLASSEN",
    "BERLIN_STATUS_KLASSEN",
    "FLAECHE",
    "METHODEN",
    "SCHLUESSEL",
    "Bewertung",
    "Indicator",
    "Klassenschema",
    "Teilindex",
    "berlin_mss",
    "bewerte",
    "bewerte_df",
    "budget_df",
    "budgets_aus_gewichten",
    "fuenf_indikatoren",
    "index_aus_werten",
    "jugend_einwohner_index",
    "jugendeinwohnerwert",
    "klassifiziere",
    "rangfolge",
    "raten",
    "schluessel_gewichte",
    "standardisiere",
    "verteile_nach_index",
]


# --------------------------------------------------------------------------- definitions


@dataclass(frozen=True, slots=True)
class Indicator:
    """An indicator: ``zaehler`` / ``nenner`` (optional) × ``faktor``.

    ``richtung`` +1: a higher value means more need; −1: a lower value means more need.
    ``gewicht``: weight in the composite as a fraction (0.25 for 25 %); None = equal.
    """

    name: str
    zaehler: str
    nenner: str | None = None
    richtung: int = 1
    gewicht: float | None = None
    faktor: float = 1.0

    def __post_init__(self) -> None:
        if self.richtung not in (1, -1):
            raise EingabeFehler(
                "Richtung muss +1 oder −1 sein", column=self.name, field="Richtung", found=self.richtung
            )
        if self.gewicht is not None and (not math.isfinite(float(self.gewicht)) or float(self.gewicht) < 0):
            raise GewichtFehler(
                "Gewicht muss eine Zahl ab 0 sein", column=self.name, field="Gewicht", found=self.gewicht
            )


@dataclass(frozen=True, slots=True)
class Teilindex:
    """A sub-index of the Jugendeinwohnerwert: target group column ``zielgruppe`` (N_r),
    weighted by the standard points of ``indikator`` (None: plain head count), with
    ``gewicht`` as a fraction of the whole key (Hamburg: four at 0.25)."""

    name: str
    zielgruppe: str
    indikator: Indicator | None = None
    gewicht: float = 1.0


@dataclass(frozen=True, slots=True)
class Klassenschema:
    """Classes of an index.

    ``art``: ``"sd"`` (boundaries in standard deviations of the values from their mean),
    ``"quantil"`` (boundaries are cumulative shares, e.g. 0.2, 0.8) or ``"grenzen"``
    (fixed cut-offs). ``labels`` has one more entry than ``grenzen``. ``zur_unteren``
    says per boundary whether a value exactly on it belongs to the lower class
    (default: all True).
    """

    grenzen: tuple[float, ...]
    labels: tuple[str, ...]
    art: str = "grenzen"
    zur_unteren: tuple[bool, ...] | None = None

    def __post_init__(self) -> None:
        if self.art not in ("sd", "quantil", "grenzen"):
            raise EingabeFehler(f"unbekannte Klassenart „{self.art}“", expected="sd, quantil oder grenzen")
        if len(self.labels) != len(self.grenzen) + 1:
            raise EingabeFehler(
                "Klassen: es braucht genau eine Bezeichnung mehr als Grenzen",
                expected=len(self.grenzen) + 1,
                found=len(self.labels),
            )
        if list(self.grenzen) != sorted(self.grenzen):
            raise EingabeFehler("Klassengrenzen müssen aufsteigend sein", found=list(self.grenzen))
        if self.zur_unteren is not None and len(self.zur_unteren) != len(self.grenzen):
            raise EingabeFehler("Klassen: zur_unteren braucht einen Eintrag je Grenze")


# Berlin MSS 2021 (spec §2.5a): < −1 hoch, −1 … +1 mittel, > +1 … +1,5 niedrig, > +1,5 sehr niedrig
BERLIN_STATUS_KLASSEN = Klassenschema(
    grenzen=(-1.0, 1.0, 1.5),
    labels=("hoch", "mittel", "niedrig", "sehr niedrig"),
    zur_unteren=(False, True, True),
)
BERLIN_DYNAMIK_KLASSEN = Klassenschema(
    grenzen=(-1.0, 1.0), labels=("positiv", "stabil", "negativ"), zur_unteren=(False, True)
)


# --------------------------------------------------------------------------- array layer


def _as_float_array(values: Any, column: str | None = None, ids: Sequence[Any] | None = None) -> np.ndarray:
    arr = np.asarray(values, dtype=float) if not isinstance(values, np.ndarray) else values
    if arr.dtype.kind not in "fiu":
        try:
            arr = arr.astype(float)
        except (TypeError, ValueError) as exc:
            raise EingabeFehler("Spalte enthält Werte, die keine Zahlen sind", column=column) from exc
    arr = arr.astype(float, copy=False)
    if arr.size and not np.all(np.isfinite(arr)):
        bad = int(np.flatnonzero(~np.isfinite(arr))[0])
        raise EingabeFehler(
            "Wert fehlt oder ist keine endliche Zahl",
            column=column,
            region=ids[bad] if ids is not None else f"Nr. {bad + 1}",
            found=str(arr[bad]),
        )
    return arr


def _mean_sd(x: np.ndarray, ddof: int, bevoelkerung: np.ndarray | None) -> tuple[float, float]:
    if bevoelkerung is None:
        mean = float(x.mean())
        n = x.size
        if n - ddof <= 0:
            return mean, 0.0
        sd = float(np.sqrt(np.sum((x - mean) ** 2) / (n - ddof)))
        return mean, sd
    w = bevoelkerung
    total = float(w.sum())
    mean = float(np.dot(w, x) / total)
    denom = total - ddof
    sd = float(np.sqrt(np.dot(w, (x - mean) ** 2) / denom)) if denom > 0 else 0.0
    return mean, sd


def standardisiere(
    werte: Any,
    methode: str = "spw",
    *,
    richtung: int = 1,
    ddof: int = 0,
    bevoelkerung: Any = None,
    name: str | None = None,
) -> tuple[np.ndarray, list[Warnung]]:
    """Standard values of one indicator over all areas (see module table).

    Returns ``(values, warnings)``. Equal values everywhere give the neutral value
    (SPW 0, z 0, SW 100, T 50, index 100, rank 1) and a warning instead of a division by 0.
    """
    if methode not in METHODEN:
        raise EingabeFehler(f"unbekannte Methode „{methode}“", column=name, expected=", ".join(METHODEN))
    if ddof not in (0, 1):
        raise EingabeFehler("ddof muss 0 (Grundgesamtheit) oder 1 (Stichprobe) sein", found=ddof)
    x = _as_float_array(werte, name)
    warnungen: list[Warnung] = []
    if x.size == 0:
        raise DatenFehler("keine Sozialräume angegeben", column=name)
    pop = None
    if bevoelkerung is not None:
        pop = _as_float_array(bevoelkerung, "Bevölkerung")
        if pop.shape != x.shape:
            raise DatenFehler("Bevölkerung und Werte haben unterschiedlich viele Zeilen", column=name)
        if np.any(pop < 0):
            raise EingabeFehler("Bevölkerung darf nicht negativ sein", column=name)
        if pop.sum() <= 0:
            raise GewichtFehler("Bevölkerung ist überall 0: keine Gewichtung möglich", column=name)
    label = f"„{name}“" if name else "der Indikator"

    if methode == "spw":
        lo, hi = float(x.min()), float(x.max())
        if hi == lo:
            warnungen.append(
                Warnung(f"{label}: alle Sozialräume haben denselben Wert; SPW überall 0", code="alle_gleich")
            )
            s = np.zeros_like(x)
        else:
            s = 100.0 * (x - lo) / (hi - lo)
        return (100.0 - s if richtung == -1 else s), warnungen
    if methode == "rang":
        keyed = -x if richtung == 1 else x
        # rank "min" (ties share the best rank), as float like pandas' Series.rank
        ranks = (np.searchsorted(np.sort(keyed), keyed, side="left") + 1).astype(float)
        if x.size > 1 and np.all(x == x[0]):
            warnungen.append(
                Warnung(f"{label}: alle Sozialräume haben denselben Wert; alle Rang 1", code="alle_gleich")
            )
        return ranks, warnungen
    mean, sd = _mean_sd(x, ddof, pop)
    if methode == "index100":
        if mean == 0:
            warnungen.append(Warnung(f"{label}: Mittelwert ist 0; Index überall 100", code="alle_gleich"))
            s = np.full_like(x, 100.0)
        else:
            s = 100.0 * x / mean
        return (200.0 - s if richtung == -1 else s), warnungen
    if sd == 0 or not math.isfinite(sd):
        warnungen.append(
            Warnung(f"{label}: alle Sozialräume haben denselben Wert; z überall 0", code="alle_gleich")
        )
        z = np.zeros_like(x)
    else:
        z = (x - mean) / sd
    if richtung == -1:
        z = -z
    if methode == "z":
        return z, warnungen
    if methode == "sw":
        return 100.0 + 10.0 * z, warnungen
    return 50.0 + 10.0 * z, warnungen  # "t"


def raten(
    zaehler: Any,
    nenner: Any = None,
    *,
    faktor: float = 1.0,
    name: str | None = None,
    nenner_name: str | None = None,
    ids: Sequence[Any] | None = None,
) -> np.ndarray:
    """Indicator value per area: ``zaehler / nenner × faktor`` (or the count when no nenner).

    A zero or negative denominator is an error naming the area and the column.
    """
    z = _as_float_array(zaehler, name, ids)
    if nenner is None:
        return z * faktor if faktor != 1.0 else z
    if isinstance(nenner, np.ndarray) and nenner.dtype.kind == "f":
        n = nenner
    else:
        n = _as_float_array(nenner, nenner_name, ids)
    if n.shape != z.shape:
        raise DatenFehler("Zähler und Nenner haben unterschiedlich viele Zeilen", column=name)
    # one min/max pass instead of a full finiteness check: NaN fails `lo > 0`, inf `hi < inf`
    if n.size and not (float(n.min()) > 0 and float(n.max()) < math.inf):
        n = _as_float_array(n, nenner_name, ids)  # names the row of a NaN or infinity
        bad = int(np.flatnonzero(n <= 0)[0])
        raise EingabeFehler(
            f"Nenner „{nenner_name}“ ist {'0' if n[bad] == 0 else 'negativ'}: "
            f"der Anteil „{name}“ kann nicht berechnet werden",
            column=nenner_name,
            region=ids[bad] if ids is not None else f"Nr. {bad + 1}",
            expected="mehr als 0",
            found=_fmt(n[bad]),
        )
    q = z / n
    return q if faktor == 1.0 else q * faktor


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _prozent_text(fraction: float) -> str:
    """A sum of weights as German percent text for messages (10000 % not 1e+04 %)."""
    from .formats import prozent

    return prozent(round(fraction, 6), 1).replace("\xa0", " ")


def _normalised_weights(gewichte: Sequence[float | None], namen: Sequence[str]) -> np.ndarray:
    """Weights as fractions summing to 1: None everywhere → equal; otherwise all must be
    given and sum to 100 % (tolerance 1e-9)."""
    if all(g is None for g in gewichte):
        return np.full(len(gewichte), 1.0 / len(gewichte))
    if any(g is None for g in gewichte):
        missing = namen[next(i for i, g in enumerate(gewichte) if g is None)]
        raise GewichtFehler("Gewicht fehlt: entweder alle Indikatoren gewichten oder keinen", column=missing)
    w = np.asarray(gewichte, dtype=float)
    if abs(float(w.sum()) - 1.0) > 1e-9:
        raise GewichtFehler(
            "die Gewichte der Indikatoren müssen zusammen 100 % ergeben",
            field="Gewicht",
            expected="100 %",
            found=_prozent_text(float(w.sum())),
        )
    return w


def index_aus_werten(
    standardwerte: Sequence[np.ndarray],
    gewichte: Sequence[float | None] | None = None,
    namen: Sequence[str] | None = None,
) -> np.ndarray:
    """Composite index: weighted mean of the standard values (equal weights by default).

    >>> index_aus_werten([np.array([0.0, 100.0]), np.array([50.0, 50.0])]).tolist()
    [25.0, 75.0]
    """
    k = len(standardwerte)
    if k == 0:
        raise DatenFehler("keine Indikatoren angegeben")
    namen = list(namen) if namen is not None else [f"Indikator {i + 1}" for i in range(k)]
    w = _normalised_weights(list(gewichte) if gewichte is not None else [None] * k, namen)
    out = np.zeros_like(np.asarray(standardwerte[0], dtype=float))
    for wi, s in zip(w, standardwerte):
        out += wi * s
    return out


def klassifiziere(werte: Any, schema: Klassenschema) -> list[str]:
    """Class label per value (see :class:`Klassenschema`)."""
    x = _as_float_array(werte, "Index")
    if schema.art == "sd":
        mean, sd = _mean_sd(x, 0, None)
        cuts = np.array([mean + g * sd for g in schema.grenzen])
    elif schema.art == "quantil":
        if any(not 0 < g < 1 for g in schema.grenzen):
            raise EingabeFehler("Quantilgrenzen müssen zwischen 0 und 1 liegen", found=list(schema.grenzen))
        cuts = np.quantile(x, schema.grenzen)
    else:
        cuts = np.array(schema.grenzen, dtype=float)
    lower = schema.zur_unteren or (True,) * len(cuts)
    idx = np.zeros(x.size, dtype=int)
    for cut, to_lower in zip(cuts, lower):
        idx += (x > cut) if to_lower else (x >= cut)
    labels = np.array(schema.labels, dtype=object)
    return labels[idx].tolist()


def jugend_einwohner_index(
    jugendeinwohner: Any, einwohner: Any, methode: str = "spw", *, ids: Sequence[Any] | None = None
) -> tuple[np.ndarray, np.ndarray, list[Warnung]]:
    """Jugend-Einwohner-Index (spec §2.2): ``JEI = Jugendeinwohner / Einwohner`` and its
    standard values. Returns ``(jei, standard values, warnings)``."""
    jung = _as_float_array(jugendeinwohner, "Jugendeinwohner", ids)
    alle = _as_float_array(einwohner, "Einwohner", ids)
    _check_population(jung, "Jugendeinwohner", ids)
    _check_population(alle, "Einwohner", ids)
    if np.any(jung > alle):
        bad = int(np.flatnonzero(jung > alle)[0])
        raise EingabeFehler(
            "mehr Jugendeinwohner als Einwohner",
            column="Jugendeinwohner",
            region=ids[bad] if ids is not None else f"Nr. {bad + 1}",
        )
    jei = raten(jung, alle, name="Jugend-Einwohner-Index", nenner_name="Einwohner", ids=ids)
    s, warnungen = standardisiere(jei, methode, name="Jugend-Einwohner-Index")
    return jei, s, warnungen


def _check_population(values: np.ndarray, column: str, ids: Sequence[Any] | None) -> None:
    if values.size and float(values.min()) < 0:
        bad = int(np.flatnonzero(values < 0)[0])
        raise EingabeFehler(
            "Einwohnerzahl darf nicht negativ sein",
            column=column,
            region=ids[bad] if ids is not None else f"Nr. {bad + 1}",
            found=_fmt(values[bad]),
        )


def jugendeinwohnerwert(zielgruppe: Any, spw: Any) -> np.ndarray:
    """Jugendeinwohnerwert ``JEW = N · (1 + SPW/100)`` (spec §2.3).

    >>> jugendeinwohnerwert([1000, 1000], [0, 50]).tolist()
    [1000.0, 1500.0]
    """
    n = np.asarray(zielgruppe, dtype=float)
    return n * (1.0 + np.asarray(spw, dtype=float) / 100.0)


# --------------------------------------------------------------------------- plain layer


@dataclass(frozen=True)
class Bewertung:
    """Result of :func:`bewerte`: per indicator the raw values and the standard values,
    the composite index, optional classes, and warnings."""

    ids: tuple[Any, ...]
    methode: str
    werte: Mapping[str, np.ndarray]
    standardwerte: Mapping[str, np.ndarray]
    index: np.ndarray
    klassen: tuple[str, ...] | None = None
    warnungen: tuple[Warnung, ...] = field(default=())

    def tabelle(self) -> pd.DataFrame:
        """German table: Sozialraum, per indicator Wert and standard value, Index (, Klasse)."""
        import pandas as pd

        label = _METHOD_LABEL[self.methode]
        data: dict[str, Any] = {"Sozialraum": list(self.ids)}
        for name in self.werte:
            data[f"{name} (Wert)"] = self.werte[name]
            data[f"{name} ({label})"] = self.standardwerte[name]
        data["Index"] = self.index
        if self.klassen is not None:
            data["Klasse"] = list(self.klassen)
        return pd.DataFrame(data)


_METHOD_LABEL = {
    "spw": "SPW",
    "z": "z-Wert",
    "sw": "Standardwert",
    "t": "T-Wert",
    "index100": "Index 100",
    "rang": "Rang",
}


def _columns(regionen: Any) -> tuple[dict[str, Any], int]:
    """Regions as columns: a DataFrame, a mapping of columns, or a sequence of row mappings."""
    pd = sys.modules.get("pandas")  # a DataFrame exists only if pandas was imported
    if pd is not None and isinstance(regionen, pd.DataFrame):
        return {str(c): regionen[c].to_numpy() for c in regionen.columns}, len(regionen)
    if isinstance(regionen, Mapping):
        cols = {str(k): v for k, v in regionen.items()}
        n = len(next(iter(cols.values()))) if cols else 0
        return cols, n
    cols: dict[str, list[Any]] = {}
    n = 0
    for row in regionen:  # rows read one by one (an iterator of rows is never held as a list)
        for k in row:
            if str(k) not in cols:  # a column first seen here: empty in the rows before
                cols[str(k)] = [None] * n
        for k, spalte in cols.items():
            spalte.append(row.get(k))
        n += 1
    return cols, n


def _texte_als_zahlen(values: Sequence[Any], name: str, ids: Sequence[Any] | None) -> list[Any]:
    """Number texts read like cells (German „1.234,5“; „1.234“ refused as ambiguous), not by
    Python's ``float`` (which would read „1.234“ as 1,234); other texts are left for the error."""
    out: list[Any] = []
    for i, v in enumerate(values):
        if not isinstance(v, str):
            out.append(v)
            continue
        try:
            out.append(float(to_decimal(v, "Zahl")))
        except MehrdeutigeZahl as exc:
            raise EingabeFehler(
                exc.message,
                column=name,
                region=ids[i] if ids is not None else f"Nr. {i + 1}",
                expected=exc.expected,
                found=v,
            ) from None
        except SozbudgetError:
            out.append(v)
    return out


#: German names of the arguments that name a data column (the last part of ``SpalteFehlt.pfad``)
ROLLEN = {
    "zielgruppe": "Zielgruppe",
    "basis": "Basis",
    "faktor": "Faktor",
    "bevoelkerung": "Bevölkerung",
    "zaehler": "Zähler",
    "nenner": "Nenner",
}


class SpalteFehlt(DatenFehler):
    """A data column named by an argument (the Zielgruppe, an indicator's Zähler …) does not exist.

    ``spalte`` is the name asked for, ``vorhanden`` the columns there are, ``pfad`` the argument
    that named it: ``("parameter", "zielgruppe" | "basis" | "faktor" | "bevoelkerung")``,
    ``("indikatoren", i, "zaehler" | "nenner")`` (``i``: position in ``indikatoren``) or
    ``("teilindizes", k, "zielgruppe" | "indikator")``; a model maps it to its own input."""

    def __init__(self, spalte: str, vorhanden: Sequence[str], pfad: tuple[Any, ...] | None) -> None:
        self.spalte = spalte
        self.vorhanden = tuple(vorhanden)
        self.rolle = ROLLEN.get(str(pfad[-1]), "Spalte") if pfad else "Spalte"
        super().__init__(
            "Spalte fehlt",
            column=spalte,
            expected="eine Spalte dieses Namens",
            found=", ".join(self.vorhanden) or "keine Spalten",
            pfad=pfad,
        )


def _column(
    cols: Mapping[str, Any],
    name: str,
    ids: Sequence[Any] | None = None,
    pfad: tuple[Any, ...] | None = None,
) -> np.ndarray:
    if name not in cols:
        raise SpalteFehlt(name, [str(c) for c in cols], pfad)
    values = cols[name]
    if any(isinstance(v, str) for v in values):
        values = _texte_als_zahlen(values, name, ids)
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        for i, v in enumerate(values):
            try:
                float(v)
            except (TypeError, ValueError):
                raise EingabeFehler(
                    "Wert ist keine Zahl",
                    column=name,
                    region=ids[i] if ids is not None else f"Nr. {i + 1}",
                    found=_zeige(v),
                ) from None
        raise
    return _as_float_array(arr, name, ids)


def _ids(cols: Mapping[str, Any], id_spalte: str, n: int) -> tuple[Any, ...]:
    if id_spalte not in cols:
        raise DatenFehler("Spalte fehlt", column=id_spalte)
    ids = tuple(cols[id_spalte])
    if len(set(ids)) == len(ids) and all(type(v) is str and v.strip() for v in ids):
        return ids  # the usual case: distinct, non-empty names
    seen: set[Any] = set()
    for i, v in enumerate(ids):
        if v is None or (isinstance(v, float) and math.isnan(v)) or str(v).strip() == "":
            raise DatenFehler("Sozialraum ohne Bezeichnung", column=id_spalte, region=f"Zeile {i + 1}")
        if v in seen:
            raise DatenFehler("Sozialraum ist doppelt aufgeführt", column=id_spalte, region=v)
        seen.add(v)
    return ids


def bewerte(
    regionen: Any,
    indikatoren: Sequence[Indicator],
    *,
    id_spalte: str = "Sozialraum",
    methode: str = "spw",
    ddof: int = 0,
    bevoelkerung: str | None = None,
    restandardisieren: bool = False,
    klassen: Klassenschema | None = None,
) -> Bewertung:
    """Score areas: rate per indicator, standard values, composite index, optional classes.

    ``bevoelkerung`` names a column used to weight mean and sd. ``restandardisieren``
    z-standardises the composite again (Berlin MSS). Raises a German error naming the area
    and column for bad data; nothing is returned half-computed.
    """
    if not indikatoren:
        raise DatenFehler("keine Indikatoren angegeben")
    names = [ind.name for ind in indikatoren]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise DatenFehler("Indikator ist doppelt angegeben", column=dup)
    cols, n = _columns(regionen)
    ids = _ids(cols, id_spalte, n)
    if n == 0:
        raise DatenFehler("keine Sozialräume angegeben")
    pop = _column(cols, bevoelkerung, ids, ("parameter", "bevoelkerung")) if bevoelkerung else None
    if pop is not None:
        _check_population(pop, bevoelkerung or "", ids)
    werte: dict[str, np.ndarray] = {}
    std: dict[str, np.ndarray] = {}
    warnungen: list[Warnung] = []
    for i, ind in enumerate(indikatoren):
        z = _column(cols, ind.zaehler, ids, ("indikatoren", i, "zaehler"))
        nn = _column(cols, ind.nenner, ids, ("indikatoren", i, "nenner")) if ind.nenner else None
        if nn is not None:
            _check_population(nn, ind.nenner or "", ids)
        x = raten(z, nn, faktor=ind.faktor, name=ind.name, nenner_name=ind.nenner, ids=ids)
        s, w = standardisiere(x, methode, richtung=ind.richtung, ddof=ddof, bevoelkerung=pop, name=ind.name)
        werte[ind.name], std[ind.name] = x, s
        warnungen.extend(w)
    index = index_aus_werten(list(std.values()), [i.gewicht for i in indikatoren], names)
    if restandardisieren:
        index, w = standardisiere(index, "z", ddof=ddof, bevoelkerung=pop, name="Index")
        warnungen.extend(w)
    labels = tuple(klassifiziere(index, klassen)) if klassen is not None else None
    return Bewertung(ids, methode, werte, std, index, labels, tuple(warnungen))


def schluessel_gewichte(
    regionen: Any,
    indikatoren: Sequence[Indicator] = (),
    *,
    id_spalte: str = "Sozialraum",
    schluessel: str = "jew",
    zielgruppe: str | None = None,
    methode: str = "spw",
    basis: str | None = None,
    faktor: str | None = None,
    teilindizes: Sequence[Teilindex] = (),
    ddof: int = 0,
) -> tuple[tuple[Any, ...], np.ndarray, list[Warnung]]:
    """Allocation weights per area for a key (spec §2.5). Returns ``(ids, weights, warnings)``.

    * ``jew`` (default): ``N_r · (1 + SPW_r/100)`` with ``N`` = column ``zielgruppe`` and SPW
      the composite of ``indikatoren`` (none: SPW 0). With ``teilindizes`` the area's weight is
      the weighted sum of its sub-index shares ``Σ a_k · JEW_rk / Σ_r JEW_rk`` (weights sum to 100 %).
    * ``basis_faktor``: ``Basis_r × Faktor_r``; Basis = column ``basis`` (None: 1), Faktor =
      column ``faktor`` or, if None, the composite standard value / 100.
    * ``kopf``: pure head count, column ``zielgruppe``.

    Negative weights are clipped to 0 with a warning. Weights are rounded to
    :data:`GEWICHT_STELLEN` decimals.
    """
    if schluessel not in SCHLUESSEL:
        raise EingabeFehler(
            f"unbekannter Verteilungsschlüssel „{schluessel}“",
            field="Schlüssel",
            expected=", ".join(SCHLUESSEL),
        )
    cols, n = _columns(regionen)
    ids = _ids(cols, id_spalte, n)
    if n == 0:
        raise DatenFehler("keine Sozialräume angegeben")
    warnungen: list[Warnung] = []

    def composite(inds: Sequence[Indicator]) -> np.ndarray:
        if not inds:
            return np.zeros(n)
        b = bewerte(cols, inds, id_spalte=id_spalte, methode=methode, ddof=ddof)
        warnungen.extend(b.warnungen)
        return b.index

    def target(column: str | None, pfad: tuple[Any, ...] = ("parameter", "zielgruppe")) -> np.ndarray:
        if not column:
            raise DatenFehler(
                "Zielgruppe (Spalte mit der Einwohnerzahl) fehlt", field="Zielgruppe", pfad=pfad
            )
        values = _column(cols, column, ids, pfad)
        _check_population(values, column, ids)
        return values

    if schluessel == "kopf":
        w = target(zielgruppe)
    elif schluessel == "basis_faktor":
        base = np.ones(n) if basis is None else target(basis, ("parameter", "basis"))
        fac = (
            _column(cols, faktor, ids, ("parameter", "faktor")) if faktor else composite(indikatoren) / 100.0
        )
        w = base * fac
    elif teilindizes:
        a = np.asarray([t.gewicht for t in teilindizes], dtype=float)
        if abs(float(a.sum()) - 1.0) > 1e-9:
            raise GewichtFehler(
                "die Gewichte der Teilindizes müssen zusammen 100 % ergeben",
                field="Gewicht",
                expected="100 %",
                found=_prozent_text(float(a.sum())),
            )
        w = np.zeros(n)
        for k, (ai, t) in enumerate(zip(a, teilindizes)):
            ziel = target(t.zielgruppe, ("teilindizes", k, "zielgruppe"))
            try:
                einzeln = composite([t.indikator] if t.indikator else [])
            except SpalteFehlt as exc:
                exc.pfad = ("teilindizes", k, "indikator")  # its one indicator (rolle stays Zähler/Nenner)
                raise
            jew = jugendeinwohnerwert(ziel, einzeln)
            total = float(jew.sum())
            if total <= 0:
                raise GewichtFehler("Teilindex hat überall 0 Einwohner", column=t.zielgruppe)
            w += ai * jew / total
    else:
        w = jugendeinwohnerwert(target(zielgruppe), composite(indikatoren))
    if np.any(w < 0):
        for i in np.flatnonzero(w < 0):
            warnungen.append(
                Warnung(
                    f"Sozialraum „{ids[i]}“: negatives Gewicht auf 0 gesetzt",
                    code="gewicht_negativ",
                    sozialraum=str(ids[i]),
                )
            )
        w = np.where(w < 0, 0.0, w)
    return ids, np.round(w, GEWICHT_STELLEN), warnungen


def verteile_nach_index(
    gesamt: Any,
    regionen: Any,
    indikatoren: Sequence[Indicator] = (),
    *,
    id_spalte: str = "Sozialraum",
    zielgruppe: str | None = None,
    methode: str = "spw",
    schluessel: str = "jew",
    basis: str | None = None,
    faktor: str | None = None,
    teilindizes: Sequence[Teilindex] = (),
    warnungen: list[Warnung] | None = None,
) -> dict[Any, Decimal]:
    """Budget per area by an allocation key, exact to the cent (sums to ``gesamt``).

    Warnings are appended to ``warnungen`` when a list is passed.
    """
    betrag = euro(gesamt, allow_negative=False)
    ids, w, warn = schluessel_gewichte(
        regionen,
        indikatoren,
        id_spalte=id_spalte,
        schluessel=schluessel,
        zielgruppe=zielgruppe,
        methode=methode,
        basis=basis,
        faktor=faktor,
        teilindizes=teilindizes,
    )
    if warnungen is not None:
        warnungen.extend(warn)
    return budgets_aus_gewichten(betrag, ids, w)


def budgets_aus_gewichten(gesamt: Any, ids: Sequence[Any], gewichte: Any) -> dict[Any, Decimal]:
    """Split ``gesamt`` by weights already computed (e.g. by :func:`schluessel_gewichte`),
    exact to the cent; keyed by area."""
    parts = allocate_cents(int(euro(gesamt, allow_negative=False) * 100), gewichte)
    betraege: dict[int, Decimal] = {}  # equal amounts share one Decimal (many areas, few amounts)
    out: dict[Any, Decimal] = {}
    for i, c in zip(ids, parts.tolist() if isinstance(parts, np.ndarray) else parts):
        d = betraege.get(c)
        if d is None:
            d = betraege[c] = from_cents(int(c))
        out[i] = d
    return out


def rangfolge(
    regionen: Any,
    indikatoren: Sequence[Indicator],
    *,
    id_spalte: str = "Sozialraum",
    methode: str = "spw",
) -> list[tuple[Any, float]]:
    """Areas by composite index, highest need first (ties in input order)."""
    b = bewerte(regionen, indikatoren, id_spalte=id_spalte, methode=methode)
    order = sorted(range(len(b.ids)), key=lambda i: (-b.index[i], i))
    return [(b.ids[i], float(b.index[i])) for i in order]


#: the area column of the five-indicator system (§6.2 „pro ha Siedlungs- und Verkehrsfläche“)
FLAECHE = "Siedlungs- und Verkehrsfläche (ha)"


def fuenf_indikatoren(
    *,
    hlu_als_anzahl: bool = True,
    arbeitslose_als_anzahl: bool = True,
    gewichte: Sequence[float] | None = None,
) -> list[Indicator]:
    """The five-indicator system of §6.2 / spec §2.4 (equal weights by default).

    The report's reading is the default: „die Zahl der Einwohner pro ha Siedlungs- und
    Verkehrsfläche, die Zahl der minderjährigen Empfänger von Hilfe zum Lebensunterhalt und die
    Zahl der Arbeitslosen sowie … den Bruttoaufwand für Hilfen zur Erziehung pro Jugendeinwohner
    und den Bruttoaufwand für ambulante Erziehungshilfen pro Jugendeinwohner“ — HLU recipients
    and unemployed as counts. Option (``…_als_anzahl=False``): as rates, HLU recipients per
    minor and unemployed per inhabitant (that is no Arbeitslosenquote, which relates to the
    labour force, so it is not called one).

    Expected columns: Einwohner, Jugendeinwohner, Minderjährige (rates only),
    Siedlungs- und Verkehrsfläche (ha), HLU-Empfänger unter 18, Arbeitslose,
    Bruttoaufwand HzE, Bruttoaufwand ambulante HzE.

    >>> [i.name for i in fuenf_indikatoren()][:3]
    ['Einwohner je ha Siedlungs- und Verkehrsfläche', 'HLU-Empfänger unter 18', 'Arbeitslose']
    >>> [i.name for i in fuenf_indikatoren(hlu_als_anzahl=False, arbeitslose_als_anzahl=False)][1:3]
    ['HLU-Empfänger je Minderjährigen', 'Arbeitslose je Einwohner']
    """
    g = list(gewichte) if gewichte is not None else [None] * 5
    hlu = (
        Indicator("HLU-Empfänger unter 18", "HLU-Empfänger unter 18", gewicht=g[1])
        if hlu_als_anzahl
        else Indicator(
            "HLU-Empfänger je Minderjährigen", "HLU-Empfänger unter 18", "Minderjährige", gewicht=g[1]
        )
    )
    arbeitslose = (
        Indicator("Arbeitslose", "Arbeitslose", gewicht=g[2])
        if arbeitslose_als_anzahl
        else Indicator("Arbeitslose je Einwohner", "Arbeitslose", "Einwohner", gewicht=g[2])
    )
    return [
        Indicator("Einwohner je ha Siedlungs- und Verkehrsfläche", "Einwohner", FLAECHE, gewicht=g[0]),
        hlu,
        arbeitslose,
        Indicator("HzE je Jugendeinwohner", "Bruttoaufwand HzE", "Jugendeinwohner", gewicht=g[3]),
        Indicator(
            "ambulante HzE je Jugendeinwohner", "Bruttoaufwand ambulante HzE", "Jugendeinwohner", gewicht=g[4]
        ),
    ]


# --------------------------------------------------------------------------- pandas layer


def bewerte_df(df: pd.DataFrame, indikatoren: Sequence[Indicator], **kwargs: Any) -> pd.DataFrame:
    """:func:`bewerte` on a DataFrame; returns the German result table (warnings in ``.attrs``)."""
    b = bewerte(df, indikatoren, **kwargs)
    out = b.tabelle()
    out.attrs["warnungen"] = [str(w) for w in b.warnungen]
    return out


def budget_df(
    gesamt: Any, df: pd.DataFrame, indikatoren: Sequence[Indicator] = (), **kwargs: Any
) -> pd.DataFrame:
    """Budget per Sozialraum as a German table: Sozialraum, Gewicht, Anteil, Budget (Decimal)."""
    import pandas as pd

    id_spalte = kwargs.get("id_spalte", "Sozialraum")
    warnungen = kwargs.pop("warnungen", None)
    ids, w, warn = schluessel_gewichte(df, indikatoren, **kwargs)
    if warnungen is not None:
        warnungen.extend(warn)
    budgets = budgets_aus_gewichten(gesamt, ids, w)
    total = float(w.sum())
    out = pd.DataFrame(
        {
            id_spalte: list(ids),
            "Gewicht": w,
            "Anteil": w / total if total else np.zeros_like(w),
            "Budget": [budgets[i] for i in ids],
        }
    )
    out.attrs["warnungen"] = [str(x) for x in warn]
    return out


BERLIN_STATUS = (
    "s1_percentage_unemployed",
    "s3_percentage_transfer_payments_recipients",
    "s4_percentage_transfer_payments_recipients_below_15_years",
)
BERLIN_DYNAMIK = (
    "d1_percentage_unemployed",
    "d3_percentage_transfer_payments_recipients",
    "d4_percentage_transfer_payments_recipients_below_15_years",
)


def berlin_mss(
    df: pd.DataFrame,
    *,
    id_spalte: str = "id",
    status: Sequence[str] = BERLIN_STATUS,
    dynamik: Sequence[str] = BERLIN_DYNAMIK,
    status_klassen: Klassenschema = BERLIN_STATUS_KLASSEN,
    dynamik_klassen: Klassenschema = BERLIN_DYNAMIK_KLASSEN,
    restandardisieren: bool = True,
) -> pd.DataFrame:
    """Preset ``berlin_mss`` (spec §2.5a): Berlin's Monitoring Soziale Stadtentwicklung.

    Over the evaluated areas each status indicator is z-standardised (unweighted mean,
    population sd), the z-values are added with equal weights and the sum is
    z-standardised again → Status-Index with classes hoch / mittel / niedrig / sehr
    niedrig; the same for the two-year changes → Dynamik-Index (positiv / stabil /
    negativ). Equal weights make "sum, then z" identical to "mean, then z".
    """
    import pandas as pd

    out = pd.DataFrame({id_spalte: df[id_spalte].to_numpy()})
    teile = (("Status", status, status_klassen), ("Dynamik", dynamik, dynamik_klassen))
    for prefix, spalten, schema in teile:
        inds = [Indicator(c, c) for c in spalten]
        b = bewerte(
            df, inds, id_spalte=id_spalte, methode="z", restandardisieren=restandardisieren, klassen=schema
        )
        out[f"{prefix}-Index"] = b.index
        out[f"{prefix}-Klasse"] = list(b.klassen or ())
    return out
