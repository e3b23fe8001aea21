"""One set of cell parsers: Betrag, Zahl, Prozent, Ja/Nein, Datum, Auswahl, Liste.

The workbook reader, the worksheet functions and the models use these, so the same text
means the same thing everywhere: „erfüllt“ and „✓“ are yes in every place, a choice is
accepted as its German display word („jährlich“) or its internal key (``jaehrlich``).

>>> konvertiere("ja_nein", "erfüllt"), konvertiere("ja_nein", "✓"), konvertiere("ja_nein", "nicht erfüllt")
(True, True, False)
>>> from .spec import RHYTHMUS_WAHLEN
>>> w = RHYTHMUS_WAHLEN
>>> konvertiere("text", "Jährlich", auswahl=w), konvertiere("text", "jaehrlich", auswahl=w)
('jaehrlich', 'jaehrlich')
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Hashable, Sequence
from decimal import Decimal
from typing import Any

from .errors import BetragFehler, EingabeFehler, GewichtFehler, SozbudgetError
from .formats import parse_datum
from .money import MehrdeutigeZahl, euro, percent, to_decimal

__all__ = [
    "JA",
    "KEINE",
    "NEIN",
    "OFFEN",
    "Ungueltig",
    "als_text",
    "ergibt_hundert_prozent",
    "ja_nein",
    "konvertiere",
    "leer",
    "waehle",
    "zeige",
]


def _deutsch(d: Decimal, stellen: int = 2) -> str:
    text = f"{d:,.{stellen}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _schluessel(text: str) -> str:
    """Compare choices without case, umlauts or extra blanks („Jährlich“ = „jaehrlich“)."""
    t = " ".join(unicodedata.normalize("NFC", text).split()).casefold()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        t = t.replace(a, b)
    return t


def waehle(auswahl: Sequence[Any], text: str) -> str | None:
    """The internal key of a choice typed as key or display word (None: not allowed).

    ``auswahl``: :class:`~sozbudget_xl.spec.Wahl` objects or plain strings.
    """
    ziel = _schluessel(text)
    for w in auswahl:
        key, anzeige = (w, w) if isinstance(w, str) else (w.schluessel, w.anzeige)
        if ziel in (_schluessel(key), _schluessel(anzeige)):
            return key
    return None


def _anzeigen(auswahl: Sequence[Any]) -> list[str]:
    return [w if isinstance(w, str) else w.anzeige for w in auswahl]


def ja_nein(wert: Any, *, offen_erlaubt: bool = False) -> bool | None:
    """Yes/no from a bool, 0/1 or a text of :data:`JA`/:data:`NEIN` (with ``offen_erlaubt``
    also :data:`OFFEN` → None); raises :class:`Ungueltig`."""
    return konvertiere("ja_nein", wert, offen_erlaubt=offen_erlaubt)


def leer(wert: Any) -> bool:
    if wert is None:
        return True
    if isinstance(wert, str):
        return not wert.strip()
    return isinstance(wert, float) and math.isnan(wert)


class Ungueltig(Exception):
    """A cell value that cannot be converted (turned into a located SozbudgetError)."""

    def __init__(self, klasse: type[SozbudgetError], meldung: str, expected: Any = None, found: Any = None):
        meldung = _sichtbar(meldung)  # a message quoting the raw cell text never carries its controls
        found = _sichtbar(found) if isinstance(found, str) else found
        super().__init__(meldung)
        self.klasse, self.meldung, self.expected, self.found = klasse, meldung, expected, found


JA = frozenset({"ja", "j", "x", "1", "wahr", "true", "yes", "y", "✓", "erfüllt", "erbracht"})
NEIN = frozenset({"nein", "n", "0", "falsch", "false", "no", "✗", "nicht erfüllt", "nicht erbracht"})
OFFEN = frozenset({"offen", "?", "unbekannt"})
KEINE = frozenset({"keine", "keiner", "aus", "-", "–"})


ZEIGE_MAX = 80  # longest cell text quoted in a message

#: characters no input text may hold: control characters (a terminal escape, NUL; tab and line
#: breaks are fine) and the bidi overrides/isolates that make a name display other than it reads
#: („Trojan Source“); Excel stores the controls as ``_x001B_``
STEUERZEICHEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def _sichtbar(text: str) -> str:
    """``text`` with each control character shown as ⟨U+001B⟩ (never sent raw to a terminal)."""
    return STEUERZEICHEN.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)


def zeige(wert: Any) -> str:
    """A cell value as a message quotes it: German numbers, WAHR/FALSCH, long texts shortened."""
    if isinstance(wert, bool):
        return "WAHR" if wert else "FALSCH"
    if isinstance(wert, dt.datetime | dt.date):  # a date as a German reads it: 01.01.2026
        tag = wert.strftime("%d.%m.%Y")
        return tag if not isinstance(wert, dt.datetime) or wert.time() == dt.time() else f"{tag} {wert:%H:%M}"
    if isinstance(wert, int | float) and (1e15 <= abs(wert) < math.inf or 0 < abs(wert) < 1e-4):
        mantisse, _, exponent = format(Decimal(wert), ".6e").partition("e")  # 1e308 → „1 · 10^308“
        return f"{mantisse.rstrip('0').rstrip('.').replace('.', ',')} · 10^{int(exponent)}"
    if isinstance(wert, float) and wert.is_integer():
        return str(int(wert))
    if isinstance(wert, float):
        return str(wert).replace(".", ",")
    text = str(wert)
    text = text if len(text) <= ZEIGE_MAX else text[: ZEIGE_MAX - 1] + "…"
    return _sichtbar(text)


def _ohne_langen_wert(meldung: str, wert: Any) -> str:
    """A message of money.py that quotes a long cell text, with the text shortened."""
    roh = str(wert).strip()
    return meldung.replace(roh, zeige(roh)) if isinstance(wert, str) and len(roh) > ZEIGE_MAX else meldung


def als_text(wert: Any) -> str:
    if isinstance(wert, bool):
        return "ja" if wert else "nein"
    if isinstance(wert, float) and wert.is_integer():
        return str(int(wert))
    if isinstance(wert, dt.datetime):
        return wert.date().isoformat()
    return str(wert).strip()


def _dezimal(wert: Any, was: str) -> Decimal:
    if isinstance(wert, bool | dt.date):
        raise Ungueltig(EingabeFehler, f"„{zeige(wert)}“ ist keine Zahl", "eine Zahl", zeige(wert))
    try:
        return to_decimal(wert, was)
    except MehrdeutigeZahl as exc:  # „1.125“ in a count: 1125 or 1,125? never guessed
        raise Ungueltig(EingabeFehler, exc.message, exc.expected, zeige(wert)) from None
    except SozbudgetError:
        raise Ungueltig(
            EingabeFehler, f"„{zeige(wert)}“ ist keine Zahl", "eine Zahl wie 1.234,5", zeige(wert)
        ) from None


#: shares typed as ``=1/3`` three times sum to 0,9999999999999999 (float error): a sum this
#: close to 100 % is 100 % (a billionth of a percentage point is no share anyone negotiates)
TOLERANZ_HUNDERT = Decimal("1e-9")


def ergibt_hundert_prozent(summe: Any) -> bool:
    """True when shares summing to ``summe`` (a fraction) make 100 % within float error.

    >>> ergibt_hundert_prozent(Decimal(repr(1 / 3)) * 3), ergibt_hundert_prozent(Decimal("0.999"))
    (True, False)
    """
    return abs(Decimal(summe) - 1) <= TOLERANZ_HUNDERT


def _prozent_text(d: Decimal) -> str:
    """A share as a message quotes it in percent: two decimals at most, and where those would
    show 0 or a number of dozens of digits, as :func:`zeige` shows it („1 · 10^60 %“)."""
    prozent = d * 100
    if prozent and not Decimal("0.01") <= abs(prozent) < Decimal("1e15"):
        return f"{zeige(float(prozent))} %"
    return _deutsch(prozent, 2).rstrip("0").rstrip(",") + " %"


def _als_text_wert(wert: Any, *, auswahl: Sequence[Any] | None = None, **_: Any) -> str:
    """A text cell; with ``auswahl`` the internal key of the choice. Control characters and
    bidi overrides (:data:`STEUERZEICHEN`) are refused."""
    if type(wert) is str and auswahl is None:  # most cells: a printable text holds none of them
        text = wert.strip()
        if text.isprintable():
            return text
    text = als_text(wert)
    zeichen = STEUERZEICHEN.search(text)
    if zeichen:
        raise Ungueltig(
            EingabeFehler,
            f"der Text enthält das unsichtbare Steuerzeichen U+{ord(zeichen.group()):04X} – bitte entfernen "
            "(es kann die Anzeige verfälschen oder die Datei unlesbar machen)",
            "ein Text ohne Steuerzeichen",
            zeige(text),
        )
    if auswahl is not None:
        treffer = waehle(auswahl, text)
        if treffer is None:
            gezeigt = zeige(text if isinstance(wert, str) else wert)  # a number as a German reads it
            raise Ungueltig(
                EingabeFehler, f"„{gezeigt}“ ist kein zulässiger Wert", " oder ".join(_anzeigen(auswahl)),
                gezeigt,
            )  # fmt: skip
        return treffer
    return text


def _als_betrag(wert: Any, *, negativ: bool = False, **_: Any) -> Decimal:
    """A money amount in euro (negative only with ``negativ``)."""
    if isinstance(wert, bool | dt.date):
        raise Ungueltig(
            BetragFehler, f"„{zeige(wert)}“ ist kein Betrag", "ein Betrag wie 1.234,56", zeige(wert)
        )
    try:
        betrag = euro(wert)
    except SozbudgetError as exc:
        raise Ungueltig(
            BetragFehler,
            _ohne_langen_wert(exc.message, wert),
            exc.expected or "ein Betrag wie 1.234,56",
            zeige(wert),
        ) from None
    if betrag < 0 and not negativ:
        raise Ungueltig(BetragFehler, "Betrag darf nicht negativ sein", "0 € oder mehr", zeige(wert))
    return betrag


#: largest number (count, factor, weight) accepted in an input cell: a trillion, like the largest
#: amount (money.MAX_BETRAG); a count of 1e308 is a typo, refused where it is read
MAX_EINGABEZAHL = Decimal("999999999999")
_MAX_GANZ = int(MAX_EINGABEZAHL)


def _im_rahmen(zahl: Decimal, wert: Any) -> Decimal:
    """``zahl`` if finite and within :data:`MAX_EINGABEZAHL` (Decimal may carry NaN/∞ too)."""
    if not zahl.is_finite():
        raise Ungueltig(
            EingabeFehler, f"„{zeige(wert)}“ ist keine Zahl", "eine Zahl wie 1.234,5", zeige(wert)
        )
    if abs(zahl) > MAX_EINGABEZAHL:
        raise Ungueltig(
            EingabeFehler,
            "Zahl ist unplausibel groß",
            f"höchstens {_deutsch(MAX_EINGABEZAHL, 0)}",
            zeige(wert),
        )
    return zahl


def _als_zahl(wert: Any, *, negativ: bool = False, **_: Any) -> Decimal:
    """A number (negative only with ``negativ``), finite and at most :data:`MAX_EINGABEZAHL`."""
    zahl = _im_rahmen(_dezimal(wert, "Zahl"), wert)
    if zahl < 0 and not negativ:
        raise Ungueltig(EingabeFehler, "Zahl darf nicht negativ sein", "0 oder mehr", zeige(wert))
    return zahl


def _als_ganzzahl(wert: Any, *, negativ: bool = False, auswahl: Sequence[Any] | None = None, **_: Any) -> int:
    """A whole number (at most :data:`MAX_EINGABEZAHL`); with ``auswahl`` one of the choices
    (also typed as its German word)."""
    if type(wert) is int and auswahl is None and (wert >= 0 or negativ) and abs(wert) <= _MAX_GANZ:
        return wert  # most cells: as below, without the way through Decimal
    if auswahl is not None and isinstance(wert, str):
        treffer = waehle(auswahl, wert)  # a choice may be typed as its German word
        if treffer is not None:
            return int(treffer)
    zahl = _im_rahmen(_dezimal(wert, "Zahl"), wert)
    if zahl != zahl.to_integral_value():
        raise Ungueltig(EingabeFehler, "keine ganze Zahl", "eine ganze Zahl", zeige(wert))
    if zahl < 0 and not negativ:
        raise Ungueltig(EingabeFehler, "Zahl darf nicht negativ sein", "0 oder mehr", zeige(wert))
    ganz = int(zahl)
    if auswahl is not None and waehle(auswahl, str(ganz)) is None:
        raise Ungueltig(
            EingabeFehler, f"„{ganz}“ ist kein zulässiger Wert", " oder ".join(_anzeigen(auswahl)), ganz
        )
    return ganz


def _als_prozent(wert: Any, **_: Any) -> Decimal:
    """A percentage as a fraction from 0 to 1."""
    if isinstance(wert, bool | dt.date):
        raise Ungueltig(GewichtFehler, f"„{zeige(wert)}“ ist kein Prozentsatz", "0 bis 100 %", zeige(wert))
    try:
        anteil = percent(wert)
    except SozbudgetError as exc:
        raise Ungueltig(
            GewichtFehler, _ohne_langen_wert(exc.message, wert), "0 bis 100 %", zeige(wert)
        ) from None
    if not Decimal(0) <= anteil <= Decimal(1):
        raise Ungueltig(
            GewichtFehler, "Prozentsatz außerhalb von 0 bis 100 %", "0 bis 100 %", _prozent_text(anteil)
        )
    return anteil


def _als_ja_nein(wert: Any, *, offen_erlaubt: bool = False, **_: Any) -> bool | None:
    """Yes/no (with ``offen_erlaubt`` also open → None)."""
    if isinstance(wert, bool):
        return wert
    if isinstance(wert, int | float) and wert in (0, 1):
        return bool(wert)
    text = " ".join(als_text(wert).split()).casefold()
    if text in JA:
        return True
    if text in NEIN:
        return False
    if offen_erlaubt and text in OFFEN:
        return None
    raise Ungueltig(EingabeFehler, f"„{zeige(wert)}“ ist weder ja noch nein", "ja oder nein", zeige(wert))


def _als_datum(wert: Any, **_: Any) -> dt.date:
    """A date from an Excel serial number or a text like TT.MM.JJJJ."""
    if isinstance(wert, int | float) and not isinstance(wert, bool):
        if not 1 <= wert < 2958466:
            raise Ungueltig(EingabeFehler, "kein gültiges Datum", "TT.MM.JJJJ", zeige(wert))
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(wert))
    try:
        return parse_datum(wert)
    except SozbudgetError:
        raise Ungueltig(
            EingabeFehler, f"„{zeige(wert)}“ ist kein gültiges Datum", "TT.MM.JJJJ", zeige(wert)
        ) from None


def _als_liste(wert: Any, *, negativ: bool = False, element: str = "text", **_: Any) -> tuple[Any, ...]:
    """A list (text split at ; or line breaks) of non-empty ``element`` values."""
    if isinstance(wert, str):
        teile = [t.strip() for t in re.split(r"[;\n]", wert)]
    elif isinstance(wert, list | tuple):
        teile = list(wert)
    else:
        teile = [wert]
    return tuple(konvertiere(element, t, negativ=negativ) for t in teile if not leer(t))


_KONVERTER: dict[str, Callable[..., Any]] = {
    "text": _als_text_wert,
    "betrag": _als_betrag,
    "zahl": _als_zahl,
    "ganzzahl": _als_ganzzahl,
    "prozent": _als_prozent,
    "ja_nein": _als_ja_nein,
    "datum": _als_datum,
    "liste": _als_liste,
}


def konvertiere(
    typ: str,
    wert: Any,
    *,
    negativ: bool = False,
    auswahl: Sequence[Any] | None = None,
    element: str = "text",
    offen_erlaubt: bool = False,
) -> Any:
    """Convert one non-empty raw cell value; raises :class:`Ungueltig`."""
    konverter = _KONVERTER.get(typ) if isinstance(typ, Hashable) else None
    if konverter is None:
        raise TypeError(f"unbekannter Typ {typ}")
    return konverter(wert, negativ=negativ, auswahl=auswahl, element=element, offen_erlaubt=offen_erlaubt)
