"""Input checks and small helpers shared by the budget models.

Every check raises a German :class:`~sozbudget_xl.errors.ModellFehler` in one wording for
all models: what is wrong (the message), where (``item``: the row, ``field``: the model's
German row name or column label, ``pfad``: the field of the model's dataclasses), what was
expected and what was found. ``found`` is the value as the user typed it (text as text,
numbers shown with a decimal comma by the error), never a ``repr``. A missing value is its
own error („kein Betrag angegeben“); a value that is no number keeps the message and the
expectation of the money parser. A model binds the model name once, e.g.
``_betrag = partial(betrag, NAME)``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, Protocol

import numpy as np

from ..einheiten import Einheit
from ..errors import ModellFehler, SozbudgetError
from ..formats import prozent as fmt_prozent
from ..formats import zahl as fmt_zahl
from ..money import ZERO, allocate, euro, percent, to_decimal
from ..schedule import BUNDESLAENDER, RHYTHMEN, Rate, faelligkeiten, zahlungsplaene
from ..spec import pruefe_ausgaben
from .base import Art, LineItem, ModelResult, Warnung

__all__ = [
    "anteil",
    "betrag",
    "bezeichnung",
    "doppelt",
    "eindeutige_namen",
    "einmalig",
    "ergebnis",
    "faelle_text",
    "faelle_wort",
    "fehler",
    "gefunden",
    "ja_nein",
    "namensschluessel",
    "prozent_text",
    "pruefe_typ",
    "pruefe_typen",
    "pruefe_zahlungsweise",
    "quote",
    "text_oder_leer",
    "verteile",
    "verteile_nach_namen",
    "wahl",
    "zahl",
    "zahl_text",
    "zahlung",
    "zeilen",
    "zeilenname",
]

_QUOTE = Decimal("0.0001")
#: a path into the model's input (see :class:`~sozbudget_xl.errors.SozbudgetError`)
Pfad = tuple[Any, ...] | None

# --------------------------------------------------------------------------- errors


def fehler(
    model: str, message: str, *, item: Any = None, field: str | None = None, **kw: Any
) -> ModellFehler:
    """A ModellFehler of ``model`` (``kw``: expected, found, region, pfad …)."""
    return ModellFehler(message, model=model, item=item, field=field, **kw)


def index_fehler(
    model: str,
    exc: SozbudgetError,
    *,
    was: str,
    daten: str,
    id_spalte: str,
    indikatoren: Sequence[Any],
    position: str,
) -> ModellFehler:
    """An error of :mod:`sozbudget_xl.indicators` as the model's error, keeping its structured
    location. A data column that a parameter (Zielgruppe) or an indicator (Zähler, Nenner) names
    but the table ``daten`` lacks is reported at the cell that names it, with the columns there
    are; ``was`` starts the message („Quartiersbudgets“), ``position`` names the item of other
    errors without a Sozialraum."""
    from ..indicators import SpalteFehlt

    if isinstance(exc, SpalteFehlt):
        pfad = exc.pfad
        item: Any = "Parameter"
        if pfad and pfad[0] == "indikatoren" and 0 <= pfad[1] < len(indikatoren):
            item = getattr(indikatoren[pfad[1]], "name", None) or f"Indikator Nr. {pfad[1] + 1}"
        vorhanden = ", ".join(f"„{s}“" for s in exc.vorhanden if s != id_spalte) or "keine"
        return fehler(
            model,
            f"{was}: diese Datenspalte gibt es in der Tabelle „{daten}“ nicht",
            item=item,
            field=exc.rolle,
            expected=f"eine der Spalten {vorhanden}",
            found=f"„{exc.spalte}“",
            pfad=pfad,
        )
    return fehler(
        model,
        f"{was}: {exc.message}",
        item=exc.region if exc.region is not None else position,
        field=exc.column or exc.field or "Indikator",
        expected=exc.expected,
        found=exc.found,
        pfad=exc.pfad,
    )


def gefunden(value: Any) -> Any:
    """``value`` as the user typed it, for ``found``: None and blank text give None (nothing is
    shown), texts are stripped, everything else is kept (numbers are formatted by the error)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    return value


def _umwandlung(
    model: str, exc: SozbudgetError, value: Any, *, item: Any, field: str, expected: Any, pfad: Pfad
) -> ModellFehler:
    """The error for a value that is no number: the parser's message and expectation, the value
    as typed."""
    return fehler(
        model,
        exc.message,
        item=item,
        field=field,
        expected=expected if expected is not None else exc.expected,
        found=gefunden(value),
        pfad=pfad,
    )


def _zu_klein(
    model: str, value: Any, *, item: Any, field: str, wort: str, positiv: bool = False, pfad: Pfad
) -> ModellFehler:
    """The error for a negative (or, with ``positiv``, zero) value; ``wort`` names it in the text."""
    return fehler(
        model,
        f"{wort} muss größer als 0 sein" if positiv else f"{wort} darf nicht negativ sein",
        item=item,
        field=field,
        expected="mehr als 0" if positiv else "0 oder mehr",
        found=gefunden(value),
        pfad=pfad,
    )


# --------------------------------------------------------------------------- numbers


def betrag(model: str, value: Any, *, item: Any, field: str, pfad: Pfad = None) -> Decimal:
    """A non-negative amount rounded to cents, or a ModellFehler naming item and field."""
    if gefunden(value) is None:
        raise fehler(
            model, "kein Betrag angegeben", item=item, field=field, expected="einen Betrag in €", pfad=pfad
        )
    try:
        amount = euro(value)
    except SozbudgetError as exc:
        raise _umwandlung(model, exc, value, item=item, field=field, expected=None, pfad=pfad) from exc
    if amount < 0:
        raise _zu_klein(model, value, item=item, field=field, wort="Betrag", pfad=pfad)
    return amount


def zahl(
    model: str, value: Any, *, item: Any, field: str, positiv: bool = False, pfad: Pfad = None
) -> Decimal:
    """A finite number ≥ 0 (> 0 with ``positiv``), e.g. cases or hours, or a ModellFehler."""
    if gefunden(value) is None:
        raise fehler(model, "keine Zahl angegeben", item=item, field=field, expected="eine Zahl", pfad=pfad)
    try:
        number = to_decimal(value, "Wert")
    except SozbudgetError as exc:
        raise _umwandlung(model, exc, value, item=item, field=field, expected=None, pfad=pfad) from exc
    if number < 0 or (positiv and number == 0):
        raise _zu_klein(model, value, item=item, field=field, wort="Zahl", positiv=positiv, pfad=pfad)
    return number


_PROZENT = "0 bis 100 %"


def anteil(model: str, value: Any, *, item: Any, field: str, pfad: Pfad = None) -> Decimal:
    """A percentage as a fraction in [0, 1] (text with a % sign accepted), or a ModellFehler."""
    if gefunden(value) is None:
        raise fehler(
            model, "kein Prozentsatz angegeben", item=item, field=field, expected=_PROZENT, pfad=pfad
        )
    try:
        fraction = percent(value)
    except SozbudgetError as exc:
        raise _umwandlung(model, exc, value, item=item, field=field, expected=_PROZENT, pfad=pfad) from exc
    if fraction < 0:
        raise fehler(
            model,
            "Prozentsatz darf nicht negativ sein",
            item=item,
            field=field,
            expected=_PROZENT,
            found=gefunden(value),
            pfad=pfad,
        )
    if fraction > 1:
        raise fehler(
            model,
            "Prozentsatz über 100 %",
            item=item,
            field=field,
            expected=f"{_PROZENT} (als Bruch wie 0,5 oder mit %-Zeichen wie 50 %)",
            found=gefunden(value),
            pfad=pfad,
        )
    return fraction


def ja_nein(
    model: str,
    value: Any,
    *,
    item: Any,
    field: str,
    ja: Collection[str],
    nein: Collection[str],
    offen: Collection[str] | None = None,
    pfad: Pfad = None,
) -> bool | None:
    """A yes/no input: bool, 0/1 or a text of ``ja``/``nein`` (casefolded, stripped).

    With ``offen`` (texts meaning „not yet assessed“) None and those texts give None.
    Anything else is a ModellFehler.
    """
    erwartet = "ja, nein oder offen" if offen is not None else "ja oder nein"
    if value is None:
        if offen is not None:
            return None
        raise fehler(model, "keine Ja/Nein-Angabe", item=item, field=field, expected=erwartet, pfad=pfad)
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().casefold()
        if text in ja:
            return True
        if text in nein:
            return False
        if offen is not None and text in offen:
            return None
    raise fehler(
        model,
        "ungültige Ja/Nein-Angabe",
        item=item,
        field=field,
        expected=erwartet,
        found=value.strip() if isinstance(value, str) else value,
        pfad=pfad,
    )


# --------------------------------------------------------------------------- names and rows


def bezeichnung(model: str, value: Any, *, item: Any, field: str, pfad: Pfad = None) -> str:
    """A non-blank text (stripped), or the ModellFehler „keine Bezeichnung angegeben“
    („Bezeichnung ist kein Text“ for a number or another object)."""
    if value is not None and not isinstance(value, str):
        raise fehler(
            model,
            "Bezeichnung ist kein Text",
            item=item,
            field=field,
            expected="einen Text",
            found=value,
            pfad=pfad,
        )
    if value is None or not value.strip():
        raise fehler(
            model, "keine Bezeichnung angegeben", item=item, field=field, expected="einen Text", pfad=pfad
        )
    return value.strip()


def zeilenname(model: str, value: Any, what: str, index: int | str, *, pfad: Pfad = None) -> str:
    """A required name (stripped) of input row ``index`` (a number, or the row's own name)."""
    item = f"Zeile {index}" if isinstance(index, int) else index
    return bezeichnung(model, value, item=item, field=what, pfad=pfad)


def zeilen(
    model: str, value: Any, typ: type | tuple[type, ...], field: str, *, pfad: Pfad = None
) -> tuple[Any, ...]:
    """A list field of the input: a list/tuple of ``typ`` rows (junk → German error).

    ``pfad`` is the list's own path, ``("eingabe", tabellenfeld)``; a row of the wrong type is
    reported at ``(tabellenfeld, zeilenindex)``.
    """
    if value is None:
        value = ()
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise fehler(
            model,
            "keine Liste",
            item="Eingabe",
            field=field,
            expected="eine Liste von Zeilen",
            found=type(value).__name__,
            pfad=pfad,
        )
    rows = tuple(value)
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, typ):
            raise fehler(
                model,
                "Zeile hat den falschen Typ",
                item=f"Zeile {i}",
                field=field,
                expected=getattr(typ, "__name__", "Text"),
                found=type(row).__name__,
                pfad=None if pfad is None else (pfad[-1], i - 1),
            )
    return rows


#: characters that never make two names different: zero-width ones are dropped, no-break and
#: other fixed spaces count as a blank
_UNSICHTBAR = str.maketrans(
    {
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\ufeff": None,
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
    }
)


def namensschluessel(name: str) -> str:
    """The key two names are compared by in every model: Unicode NFC, zero-width characters
    dropped, no-break spaces as blanks, runs of blanks folded, case ignored (casefold).

    >>> namensschluessel("AWO\\u00a0 Kreisverband\\u200b") == namensschluessel("awo kreisverband")
    True
    """
    text = unicodedata.normalize("NFC", str(name)).translate(_UNSICHTBAR)
    return unicodedata.normalize("NFC", " ".join(text.split()).casefold())


def einmalig(
    model: str,
    name: str,
    seen: dict[str, str],
    *,
    meldung: str,
    field: str,
    expected: str,
    pfad: Pfad = None,
    region: Any = None,
) -> None:
    """Record ``name`` in ``seen`` (key: :func:`namensschluessel`); a name seen before is a
    ModellFehler that shows both names as typed."""
    key = namensschluessel(name)
    if key in seen:
        raise fehler(
            model,
            meldung,
            item=name,
            field=field,
            expected=expected,
            found=f"„{seen[key]}“ und „{name}“",
            pfad=pfad,
            region=region,
        )
    seen[key] = name


def doppelt(
    model: str,
    name: str,
    seen: dict[str, str],
    *,
    was: str,
    jede: str = "jeden",
    pfad: Pfad = None,
    field: str | None = None,
    erwartet: str | None = None,
    region: Any = None,
) -> str:
    """:func:`einmalig` with the one wording of all models: „{was} doppelt angegeben“, expected
    „{jede} {was} nur einmal“ (``erwartet`` overrides it); returns ``name``."""
    einmalig(
        model,
        name,
        seen,
        meldung=f"{was} doppelt angegeben",
        field=field or was,
        expected=erwartet or f"{jede} {was} nur einmal",
        pfad=pfad,
        region=region,
    )
    return name


def text_oder_leer(model: str, value: Any, *, was: str, item: Any, field: str, pfad: Pfad = None) -> str:
    """An optional text (None: ""), stripped; a number or another object is the error „{was} ist
    kein Text“."""
    if value is not None and not isinstance(value, str):
        raise fehler(
            model,
            f"{was} ist kein Text",
            item=item,
            field=field,
            expected="einen Text",
            found=value,
            pfad=pfad,
        )
    return (value or "").strip()


def wahl(model: str, parameter: Any, feld: str, erlaubt: Sequence[str], was: str, *, field: str) -> str:
    """A choice parameter ``feld``: one of the keys ``erlaubt`` (the workbook reader has mapped the
    German words to keys), else the error „unbekannte {was} „…““ naming the parameter."""
    wert = getattr(parameter, feld)
    if wert not in erlaubt:
        raise fehler(
            model,
            f"unbekannte {was} „{wert}“",
            item="Parameter",
            field=field,
            expected=" oder ".join(erlaubt),
            found=wert,
            pfad=("parameter", feld),
        )
    return str(wert)


def eindeutige_namen(
    model: str,
    werte: Iterable[Any],
    *,
    was: str,
    tabelle: str,
    jede: str = "jeden",
    spalte: str = "name",
    field: str | None = None,
    zeile: bool = False,
) -> list[str]:
    """The names of input rows ``werte`` (table ``tabelle``), each required and unique: read as
    :func:`bezeichnung` (the error names the value) or, with ``zeile``, as :func:`zeilenname`
    (the error names „Zeile n“); a name seen before is the error of :func:`doppelt`."""
    feld = field or was
    seen: dict[str, str] = {}
    namen = []
    for i, wert in enumerate(werte):
        pfad = (tabelle, i, spalte)
        if zeile:
            name = zeilenname(model, wert, feld, i + 1, pfad=pfad)
        else:
            name = bezeichnung(model, wert, item=wert, field=feld, pfad=pfad)
        namen.append(doppelt(model, name, seen, was=was, jede=jede, pfad=pfad, field=feld))
    return namen


def pruefe_typ(
    model: str,
    value: Any,
    typ: type,
    meldung: str,
    *,
    item: Any = None,
    field: str | None = None,
    pfad: Pfad = None,
) -> None:
    """A ModellFehler ``meldung`` (expected „model.Typ“) unless ``value`` is a ``typ``."""
    if not isinstance(value, typ):
        raise fehler(
            model,
            meldung,
            item=item,
            field=field,
            expected=f"{model}.{typ.__name__}",
            found=type(value).__name__,
            pfad=pfad,
        )


def pruefe_typen(model: str, eingabe: Any, eingabe_typ: type, parameter: Any, parameter_typ: type) -> Any:
    """Check the argument types of ``berechne`` (parameters first) and return the parameters
    (defaults for None)."""
    p = parameter if parameter is not None else parameter_typ()
    pruefe_typ(model, p, parameter_typ, "Parameter haben den falschen Typ", field="Parameter")
    pruefe_typ(model, eingabe, eingabe_typ, "Eingabe fehlt oder hat den falschen Typ", field="Eingabe")
    return p


# --------------------------------------------------------------------------- payment parameters


class Zahlweise(Protocol):
    """The payment fields every model's parameters have."""

    @property
    def jahr(self) -> int: ...

    @property
    def zahlungsweise(self) -> str: ...

    @property
    def werktag(self) -> bool: ...

    @property
    def bundesland(self) -> str | None: ...


class ZahlweiseMitTerminen(Zahlweise, Protocol):
    """Payment fields including due dates for ``zahlungsweise="termine"``."""

    @property
    def termine(self) -> tuple[Any, ...]: ...


def _zahlungsweise_fehler(model: str, zahlungsweise: Any, expected: str) -> ModellFehler:
    return fehler(
        model,
        "unbekannte Zahlungsweise",
        item="Parameter",
        field="Zahlungsweise",
        expected=expected,
        found=gefunden(zahlungsweise),
        pfad=("parameter", "zahlungsweise"),
    )


#: Parameter field of a payment error by the field the schedule names
_ZAHLUNGSFELD = {
    "Jahr": "jahr",
    "Termine": "termine",
    "Zahlungsweise": "zahlungsweise",
    "Bundesland": "bundesland",
}


def zahlung(model: str, p: ZahlweiseMitTerminen) -> tuple[Any, ...] | None:
    """Check rhythm, Bundesland, year and due dates before anything is computed; returns the due
    dates (None: none given)."""
    if p.zahlungsweise not in RHYTHMEN:
        raise _zahlungsweise_fehler(model, p.zahlungsweise, ", ".join(RHYTHMEN))
    if p.bundesland is not None and p.bundesland not in BUNDESLAENDER:
        raise fehler(
            model,
            "unbekanntes Bundesland",
            item="Parameter",
            field="Bundesland",
            expected="Kürzel wie BW, BY, NW",
            found=gefunden(p.bundesland),
            pfad=("parameter", "bundesland"),
        )
    termine = tuple(p.termine or ()) or None
    try:
        faelligkeiten(
            p.jahr, p.zahlungsweise, termine=termine, werktag=bool(p.werktag), bundesland=p.bundesland
        )
    except SozbudgetError as exc:
        feld = exc.field or "Termine"
        raise fehler(
            model,
            exc.message,
            item="Parameter",
            field=feld,
            expected=exc.expected,
            found=gefunden(exc.found),
            pfad=("parameter", _ZAHLUNGSFELD.get(feld, "termine")),
        ) from exc
    return termine


def pruefe_zahlungsweise(model: str, zahlungsweise: str) -> None:
    """A rhythm without own due dates („termine“ is not offered)."""
    if zahlungsweise not in RHYTHMEN or zahlungsweise == "termine":
        raise _zahlungsweise_fehler(
            model, zahlungsweise, "monatlich, quartalsweise, quartalsmitte oder jaehrlich"
        )


# --------------------------------------------------------------------------- computation and texts


def verteile(total: Decimal, weights: Sequence[Any], order: Sequence[int]) -> list[Decimal]:
    """Largest-remainder split computed in the canonical ``order``, returned in input order."""
    parts = allocate(total, [weights[i] for i in order])
    out = [ZERO] * len(weights)
    for i, part in zip(order, parts):
        out[i] = part
    return out


def verteile_nach_namen(total: Decimal, weights: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Largest-remainder split in name order, so ties never depend on the input order
    (permuting Träger or Sozialräume changes nothing but the order of the output)."""
    names = list(weights)
    order = sorted(range(len(names)), key=names.__getitem__)
    return dict(zip(names, verteile(total, [weights[n] for n in names], order)))


def quote(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole with four decimals, half up (0.8534 = 85,34 %); None for whole 0."""
    return None if whole == 0 else (part / whole).quantize(_QUOTE, rounding=ROUND_HALF_UP)


def prozent_text(fraction: Decimal | Fraction, stellen: int | None = None) -> str:
    """Percentage for texts: 1 %, 12,5 % (up to four decimals); ``stellen`` fixes the decimals."""
    if stellen is None:
        stellen = 0
        d = Decimal(fraction) if isinstance(fraction, Decimal) else None
        while d is not None and stellen < 4 and (d * 100) != (d * 100).quantize(Decimal(1).scaleb(-stellen)):
            stellen += 1
    if isinstance(fraction, Fraction):
        fraction = Decimal(fraction.numerator) / Decimal(fraction.denominator)
    return fmt_prozent(fraction, stellen)


def zahl_text(x: Decimal) -> str:
    """A number in German notation with up to 2 decimals, trailing zeros dropped (2,5; 3; 0,75)."""
    text = fmt_zahl(x, 2)
    return text.rstrip("0").rstrip(",") if "," in text else text


def faelle_text(n: Decimal) -> str:
    """Cases in German notation: whole numbers without, others with 2 decimals (3; 2,50)."""
    return fmt_zahl(n, 0 if n == n.to_integral_value() else 2)


def faelle_wort(n: Decimal) -> str:
    """Cases with their noun: „1 Fall“, „3 Fälle“, „2,50 Fälle“."""
    return f"{faelle_text(n)} {'Fall' if n == 1 else 'Fälle'}"


# --------------------------------------------------------------------------- result


def ergebnis(
    model: str,
    titel: str,
    quelle: str,
    p: Zahlweise,
    positionen: Sequence[LineItem],
    warnungen: Sequence[Warnung],
    kennzahlen: Mapping[str, Any],
    tabellen: Mapping[str, Any],
    *,
    termine: Iterable[Any] | None = None,
    gesamt: Decimal | None = None,
    parameter: Any = None,
    eingabe: Any = None,
) -> ModelResult:
    """The model's result: the unconditional items in instalments (rhythm, year, Bundesland of
    ``p``) and ``gesamt`` (default: the sum of the line items). ``parameter`` and ``eingabe``
    are the model's own dataclasses (the contract texts are rendered from them)."""
    plan = _zahlungsplan(positionen, p, termine)
    einheiten, spalten_einheiten = einheiten_aus_deklaration(model, kennzahlen, tabellen)
    return ModelResult(
        modell=model,
        titel=titel,
        jahr=p.jahr,
        positionen=tuple(positionen),
        gesamt=sum((x.betrag for x in positionen), ZERO) if gesamt is None else gesamt,
        zahlungsplan=tuple(plan),
        warnungen=tuple(warnungen),
        kennzahlen=kennzahlen,
        tabellen=tabellen,
        quelle=quelle,
        einheiten=einheiten,
        spalten_einheiten=spalten_einheiten,
        parameter=parameter,
        eingabe=eingabe,
    )


#: the kinds of line items paid in instalments
_RATENARTEN = frozenset({Art.UNBEDINGT})


def _zahlungsplan(positionen: Sequence[LineItem], p: Zahlweise, termine: Iterable[Any] | None) -> list[Rate]:
    """The instalments of the unconditional items, exactly as :func:`~sozbudget_xl.ergebnis.
    raten_fuer_positionen` computes them (per recipient — Träger, else Sozialraum, else
    „Jugendamt“ — the sum split over the due dates; by date, then recipient order), built in that
    order by :func:`~sozbudget_xl.schedule.zahlungsplaene`: the dates once, no sort of the plan."""
    je_empfaenger: dict[str, Decimal] = {}
    for x in positionen:
        if x.art in _RATENARTEN:
            key = x.traeger or x.sozialraum or "Jugendamt"
            je_empfaenger[key] = je_empfaenger.get(key, ZERO) + x.betrag
    return zahlungsplaene(
        je_empfaenger,
        p.jahr,
        p.zahlungsweise,
        termine=termine,
        werktag=p.werktag,
        bundesland=p.bundesland,
        zweck="Abschlag",
    )


def einheiten_aus_deklaration(
    model: str, kennzahlen: Mapping[str, Any], tabellen: Mapping[str, Any]
) -> tuple[dict[str, Einheit], dict[str, dict[str, Einheit]]]:
    """Units of the Kennzahlen and table columns from the model's declaration.

    An undeclared Kennzahl or column is a programming error of the model (the declaration is
    the contract every renderer relies on): it raises instead of letting a renderer guess.
    """
    from . import modell

    d = modell(model).DEKLARATION
    fehlt: list[str] = []
    spalten = {name: _spalten(t) for name, t in tabellen.items()}
    pruefe_ausgaben(d, kennzahlen, spalten, fehlt.append)
    if fehlt:
        raise ModellFehler(
            "interner Fehler: Ausgabe ohne deklarierte Einheit", model=model, found="; ".join(fehlt)
        )
    einheiten = {k: d.kennzahl_einheit(k) for k in kennzahlen}
    spalten_einheiten = {
        name: {s: d.ausgabetabelle(name).einheit(s) for s in cols}  # type: ignore[union-attr]
        for name, cols in spalten.items()
    }
    return einheiten, spalten_einheiten  # type: ignore[return-value]


def _spalten(tabelle: Any) -> list[str]:
    """Column names of a result table (rows are dicts; first-seen order)."""
    zeilen = [tabelle] if isinstance(tabelle, Mapping) else list(tabelle)
    out: dict[str, None] = {}  # an ordered set: linear in the rows
    for z in zeilen:
        if isinstance(z, Mapping):
            out.update(dict.fromkeys(z))
    return list(out)
