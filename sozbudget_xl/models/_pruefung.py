"""Input checks and small helpers shared by the budget models.

Every check raises a German :class:`~sozbudget_xl.errors.ModellFehler` naming the model,
the item and the field. The models report bad values in one of three dialects
(:class:`Stil`); the helpers take the dialect as a parameter, so each model keeps its
exact messages. A model binds the model name once, e.g.
``_betrag = partial(betrag, NAME, stil=Stil.VOLL)``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from fractions import Fraction
from typing import Any, Protocol

import numpy as np

from ..einheiten import Einheit
from ..errors import ModellFehler, SozbudgetError
from ..formats import prozent as fmt_prozent
from ..formats import zahl as fmt_zahl
from ..money import ZERO, allocate, euro, percent, to_decimal
from ..schedule import BUNDESLAENDER, RHYTHMEN, faelligkeiten
from ..spec import pruefe_ausgaben
from .base import LineItem, ModelResult, Warnung, raten_fuer_positionen

__all__ = [
    "Stil",
    "anteil",
    "betrag",
    "bezeichnung",
    "einmalig",
    "ergebnis",
    "faelle_text",
    "faelle_wort",
    "fehler",
    "ja_nein",
    "prozent_text",
    "pruefe_typ",
    "pruefe_typen",
    "pruefe_zahlungsweise",
    "quote",
    "verteile",
    "verteile_nach_namen",
    "zahl",
    "zahl_text",
    "zahlung_kurz",
    "zahlung_voll",
    "zeilen",
    "zeilenname",
]

_QUOTE = Decimal("0.0001")


class Stil(Enum):
    """How a model reports a bad number (its messages stay as they were written)."""

    #: kgst, stuttgart: a missing value (None) is its own error; a conversion error keeps the
    #: message, expected and found of the money error; found = the value as text
    VOLL = "voll"
    #: neunkirchen, muenchen, tuebingen: a conversion error keeps the message of the money
    #: error with found = repr(value); found = the raw value
    KURZ = "kurz"
    #: celle, dreisaeulen: the messages name the field („Betrag ist kein gültiger Betrag“)
    FELD = "feld"


# --------------------------------------------------------------------------- errors


def fehler(
    model: str, message: str, *, item: Any = None, field: str | None = None, **kw: Any
) -> ModellFehler:
    """A ModellFehler of ``model`` (``kw``: expected, found, region …)."""
    return ModellFehler(message, model=model, item=item, field=field, **kw)


def _umwandlung(
    model: str, exc: SozbudgetError, value: Any, *, item: Any, field: str, stil: Stil, ungueltig: str
) -> ModellFehler:
    """The error for a value that is no number, in the model's dialect."""
    if stil is Stil.VOLL:
        return fehler(model, exc.message, item=item, field=field, expected=exc.expected, found=exc.found)
    if stil is Stil.KURZ:
        return fehler(model, exc.message, item=item, field=field, found=repr(value))
    return fehler(model, f"{field} {ungueltig}", item=item, field=field, found=value)


def _zu_klein(
    model: str, value: Any, *, item: Any, field: str, stil: Stil, wort: str, positiv: bool = False
) -> ModellFehler:
    """The error for a negative (or, with ``positiv``, zero) value; ``wort`` names it in the text."""
    if stil is Stil.FELD:
        wort = field
    return fehler(
        model,
        f"{wort} muss größer als 0 sein" if positiv else f"{wort} darf nicht negativ sein",
        item=item,
        field=field,
        expected="mehr als 0" if positiv else "0 oder mehr",
        found=value,
    )


# --------------------------------------------------------------------------- numbers


def betrag(model: str, value: Any, *, item: Any, field: str, stil: Stil) -> Decimal:
    """A non-negative amount rounded to cents, or a ModellFehler naming item and field."""
    if stil is Stil.VOLL and value is None:
        raise fehler(model, "kein Betrag angegeben", item=item, field=field, expected="einen Betrag in €")
    try:
        amount = euro(value)
    except SozbudgetError as exc:
        raise _umwandlung(
            model, exc, value, item=item, field=field, stil=stil, ungueltig="ist kein gültiger Betrag"
        ) from exc
    if amount < 0:
        raise _zu_klein(model, value, item=item, field=field, stil=stil, wort="Betrag")
    return amount


def zahl(model: str, value: Any, *, item: Any, field: str, stil: Stil, positiv: bool = False) -> Decimal:
    """A finite number ≥ 0 (> 0 with ``positiv``), e.g. cases or hours, or a ModellFehler."""
    if stil is Stil.VOLL and value is None:
        raise fehler(model, "keine Zahl angegeben", item=item, field=field, expected="eine Zahl")
    try:
        number = to_decimal(value, "Zahl" if stil is Stil.VOLL else field)
    except SozbudgetError as exc:
        raise _umwandlung(
            model, exc, value, item=item, field=field, stil=stil, ungueltig="ist keine gültige Zahl"
        ) from exc
    if number < 0 or (positiv and number == 0):
        wort = "Zahl" if stil is Stil.VOLL else "Wert"
        raise _zu_klein(model, value, item=item, field=field, stil=stil, wort=wort, positiv=positiv)
    return number


def anteil(model: str, value: Any, *, item: Any, field: str, stil: Stil, beispiel: str = "0,5") -> Decimal:
    """A percentage as a fraction in [0, 1] (text with a % sign accepted), or a ModellFehler.

    ``beispiel`` is the example fraction named in the Stil.VOLL error for more than 100 %.
    """
    if stil is Stil.VOLL:
        if value is None:
            raise fehler(model, "kein Prozentsatz angegeben", item=item, field=field, expected="0 bis 100 %")
        try:
            fraction = percent(value)
        except SozbudgetError as exc:
            raise fehler(
                model, exc.message, item=item, field=field, expected="0 bis 100 %", found=exc.found
            ) from exc
        if fraction < 0:
            raise fehler(
                model,
                "Prozentsatz darf nicht negativ sein",
                item=item,
                field=field,
                expected="0 bis 100 %",
                found=value,
            )
        if fraction > 1:
            raise fehler(
                model,
                "Prozentsatz über 100 %",
                item=item,
                field=field,
                expected=f"0 bis 100 % (als Bruch wie {beispiel} oder mit %-Zeichen)",
                found=value,
            )
        return fraction
    try:
        share = percent(value, field)
    except SozbudgetError as exc:
        raise _umwandlung(
            model, exc, value, item=item, field=field, stil=stil, ungueltig="ist keine gültige Zahl"
        ) from exc
    if stil is Stil.KURZ:
        if not share.is_finite() or share < 0 or share > 1:
            raise fehler(
                model,
                "Anteil muss zwischen 0 und 100 % liegen",
                item=item,
                field=field,
                expected="0 bis 100 %",
                found=value,
            )
        return share
    if share < 0:
        raise fehler(model, f"{field} darf nicht negativ sein", item=item, field=field, found=value)
    if share > 1:
        raise fehler(
            model,
            f"{field} darf 100 % nicht übersteigen",
            item=item,
            field=field,
            expected="0 bis 100 %",
            found=value,
        )
    return share


def ja_nein(
    model: str,
    value: Any,
    *,
    item: Any,
    field: str,
    ja: Collection[str],
    nein: Collection[str],
    offen: Collection[str] | None = None,
) -> bool | None:
    """A yes/no input: bool, 0/1 or a text of ``ja``/``nein`` (casefolded, stripped).

    With ``offen`` (texts meaning „not yet assessed“) None and those texts give None.
    Anything else is a ModellFehler.
    """
    if value is None and offen is not None:
        return None
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
        expected="ja, nein oder offen" if offen is not None else "ja oder nein",
        found=repr(value),
    )


# --------------------------------------------------------------------------- names and rows


def bezeichnung(model: str, value: Any, *, item: Any, field: str) -> str:
    """A non-blank text (stripped), or the ModellFehler „Bezeichnung fehlt“."""
    if not isinstance(value, str) or not value.strip():
        raise fehler(
            model, "Bezeichnung fehlt", item=item, field=field, expected="einen Text", found=repr(value)
        )
    return value.strip()


def zeilenname(model: str, value: Any, what: str, index: int | str) -> str:
    """A required name (stripped) of input row ``index`` (a number, or the row's own name)."""
    if not isinstance(value, str) or not value.strip():
        item = f"Zeile {index}" if isinstance(index, int) else index
        raise fehler(model, f"{what} ohne Bezeichnung", item=item, field=what, found=repr(value))
    return value.strip()


def zeilen(model: str, value: Any, typ: type | tuple[type, ...], field: str) -> tuple[Any, ...]:
    """A list field of the input: a list/tuple of ``typ`` rows (junk → German error)."""
    if value is None:
        value = ()
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise fehler(
            model, f"{field}: eine Liste erwartet", item="Eingabe", field=field, found=type(value).__name__
        )
    rows = tuple(value)
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, typ):
            raise fehler(
                model,
                f"{field}: Zeile {i} hat den falschen Typ",
                item=f"Zeile {i}",
                field=field,
                expected=getattr(typ, "__name__", "Text"),
                found=type(row).__name__,
            )
    return rows


def einmalig(model: str, name: str, seen: dict[str, str], *, meldung: str, field: str, expected: str) -> None:
    """Record ``name`` in ``seen`` (casefolded key); a name seen before is a ModellFehler."""
    key = name.casefold()
    if key in seen:
        raise fehler(
            model, meldung, item=name, field=field, expected=expected, found=f"„{seen[key]}“ und „{name}“"
        )
    seen[key] = name


def pruefe_typ(
    model: str, value: Any, typ: type, meldung: str, *, item: Any = None, field: str | None = None
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
        )


def pruefe_typen(model: str, eingabe: Any, eingabe_typ: type, parameter: Any, parameter_typ: type) -> Any:
    """Check the argument types of ``berechne`` (parameters first) and return the parameters
    (defaults for None)."""
    p = parameter if parameter is not None else parameter_typ()
    pruefe_typ(model, p, parameter_typ, "Parameter haben den falschen Typ", field="Parameter")
    pruefe_typ(model, eingabe, eingabe_typ, "Eingabe hat den falschen Typ")
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


def zahlung_voll(model: str, parameter: ZahlweiseMitTerminen) -> tuple[Any, ...] | None:
    """Check rhythm, year, due dates and Bundesland before anything is computed
    (Stil.VOLL messages); returns the due dates (None: none given)."""
    if parameter.zahlungsweise not in RHYTHMEN:
        raise fehler(
            model,
            f"unbekannte Zahlungsweise „{parameter.zahlungsweise}“",
            item="Parameter",
            field="Zahlungsweise",
            expected=", ".join(RHYTHMEN),
        )
    termine = tuple(parameter.termine) or None
    try:
        faelligkeiten(
            parameter.jahr,
            parameter.zahlungsweise,
            termine=termine,
            werktag=bool(parameter.werktag),
            bundesland=parameter.bundesland,
        )
    except SozbudgetError as exc:
        raise fehler(
            model, exc.message, item="Parameter", field=exc.field, expected=exc.expected, found=exc.found
        ) from exc
    return termine


def zahlung_kurz(model: str, p: ZahlweiseMitTerminen, *, bundesland_beispiel: str) -> None:
    """Check rhythm, Bundesland, year and due dates (Stil.KURZ messages); ``bundesland_beispiel``
    is the example code named in the error for an unknown Bundesland."""
    if p.zahlungsweise not in RHYTHMEN:
        raise fehler(
            model,
            "unbekannte Zahlungsweise",
            field="Zahlungsweise",
            expected=", ".join(RHYTHMEN),
            found=p.zahlungsweise,
        )
    if p.bundesland is not None and p.bundesland not in BUNDESLAENDER:
        raise fehler(
            model,
            "unbekanntes Bundesland",
            field="Bundesland",
            expected=f"Kürzel wie {bundesland_beispiel}",
            found=p.bundesland,
        )
    try:
        faelligkeiten(p.jahr, p.zahlungsweise, termine=p.termine, werktag=p.werktag, bundesland=p.bundesland)
    except SozbudgetError as exc:
        raise fehler(
            model, exc.message, field=exc.field or "Zahlungsweise", expected=exc.expected, found=exc.found
        ) from exc


def pruefe_zahlungsweise(model: str, zahlungsweise: str) -> None:
    """A rhythm without own due dates („termine“ is not offered), Stil.FELD message."""
    if zahlungsweise not in RHYTHMEN or zahlungsweise == "termine":
        raise fehler(
            model,
            f"unbekannte Zahlungsweise „{zahlungsweise}“",
            item="Parameter",
            field="Zahlungsweise",
            expected="monatlich, quartalsweise, quartalsmitte oder jaehrlich",
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
    plan = raten_fuer_positionen(
        positionen, p.jahr, p.zahlungsweise, termine=termine, werktag=p.werktag, bundesland=p.bundesland
    )
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
    out: list[str] = []
    for z in zeilen:
        if isinstance(z, Mapping):
            out += [k for k in z if k not in out]
    return out
