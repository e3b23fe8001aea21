"""Controlling (Soll/Ist), domain spec §5.

Compares a model's budget (Soll = its line items, grouped by Träger and Sozialraum) with
actual spending (Ist) and reports, per Träger × Sozialraum row:

* Soll, Ist, Abweichung = Soll − Ist (positive: budget not used up, negative: overrun) and
  Ausschöpfung = Ist / Soll (a fraction, 4 places, half up; ``None`` when Soll is 0);
* reserve build-up (Stuttgart §5.1, Celle §5.5): Rücklage = max(0, Soll − Ist) per row and
  in total; Überschreitung = max(0, Ist − Soll). Always Σ Rücklage − Σ Überschreitung =
  Σ Abweichung = Σ Soll − Σ Ist, exactly;
* case obligation vs actual cases (KGSt §3, Stuttgart §5.1): Fallabweichung = Ist-Fälle −
  Soll-Fälle, a shortfall or an excess is a warning;
* caps: a soft cap (``"weich"``, München §5.3: planning figures that may be exceeded — the
  overrun is reported, never blocked) or a hard cap (``"hart"``, Neunkirchen §5.2: an
  overrun must be covered by the Verbund or justified as unforeseeable and unavoidable).
  The cap is checked per row (default), per Träger, per Sozialraum or for the total.

Nothing is ever blocked or swallowed: every finding is a :class:`Warnung` in the result.

Interpretation choices (documented, the spec is silent):

* Soll counts what is paid: the line items of kind unbedingt, bedingt and Bonus (issue 11);
  open items (forecasts billed by use) and withheld items are not Soll, their sum is shown as
  Kennzahl „Nicht im Soll“. ``arten=`` chooses other kinds (e.g. only
  the unconditional Sockel, or ``offen`` for a forecast check) — but withheld money stays with
  the Jugendamt and never counts as Soll, so it never shows as a Rücklage (a warning says so
  when it is asked for).
* Several Ist rows for the same Träger × Sozialraum are bookings and are added up.
* A budget row without any Ist row counts as Ist = 0 with a warning (``ist_fehlt``); an Ist
  row without budget gets Soll = 0 with a warning (``ist_ohne_soll``).

>>> from sozbudget_xl.models.base import LineItem, ModelResult
>>> from decimal import Decimal as D
>>> r = ModelResult("x", "X", 2026, (LineItem("Sockel", D("1000.00"), traeger="A"),), D("1000.00"))
>>> c = soll_ist(r, [IstZeile(traeger="A", ist="1100")], deckel="hart")
>>> c.summen["Abweichung"], c.summen["Überschreitung"], [w.code for w in c.warnungen]
(Decimal('-100.00'), Decimal('100.00'), ['deckel_hart_ueberschritten'])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Any

from .ergebnis import Art, ModelResult, Warnung, Zeile
from .errors import EingabeFehler, SozbudgetError
from .formats import betrag as _fmt_betrag
from .formats import zahl as _fmt_zahl
from .models._pruefung import namensschluessel
from .money import ZERO, euro, to_decimal

__all__ = [
    "DECKEL",
    "EBENEN",
    "GEZAHLT",
    "ControllingErgebnis",
    "Fallsoll",
    "IstZeile",
    "Zeile",
    "soll_ist",
]

#: cap kinds: None (no cap check), soft cap (München), hard cap (Neunkirchen)
DECKEL = (None, "weich", "hart")
#: level at which the cap is checked
EBENEN = ("zeile", "traeger", "sozialraum", "gesamt")
#: the line item kinds that are paid and so count as Soll by default
GEZAHLT = (Art.UNBEDINGT, Art.BEDINGT, Art.BONUS)

_QUOTE = Decimal("0.0001")
_MODUL = "Controlling"

Key = tuple[str | None, str | None]


@dataclass(frozen=True, slots=True)
class IstZeile:
    """Actual spending (and optionally actual cases) of one Träger in one Sozialraum (slots: the
    Jahresabschluss passes one per Träger × Sozialraum)."""

    traeger: str | None = None
    sozialraum: str | None = None
    ist: Any = 0
    faelle: Any = None


@dataclass(frozen=True)
class Fallsoll:
    """Agreed case obligation (Soll-Fälle) of one Träger in one Sozialraum."""

    traeger: str | None = None
    sozialraum: str | None = None
    faelle: Any = 0


@dataclass(frozen=True)
class ControllingErgebnis:
    """Immutable Soll/Ist result: rows, aggregates, totals and warnings.

    ``zeilen`` has one row dict per Träger × Sozialraum with the German keys ``Träger``,
    ``Sozialraum``, ``Soll``, ``Ist``, ``Abweichung``, ``Ausschöpfung``, ``Rücklage``,
    ``Überschreitung``, ``Soll-Fälle``, ``Ist-Fälle``, ``Fallabweichung``;
    ``nach_traeger`` and ``nach_sozialraum`` the same money columns aggregated.
    """

    zeilen: tuple[Mapping[str, Any], ...]
    nach_traeger: tuple[Mapping[str, Any], ...]
    nach_sozialraum: tuple[Mapping[str, Any], ...]
    summen: Mapping[str, Any]
    warnungen: tuple[Warnung, ...] = ()
    deckel: str | None = None
    modell: str = ""
    jahr: int | None = None
    kennzahlen: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        freeze = _freeze_rows
        object.__setattr__(self, "zeilen", freeze(self.zeilen))
        object.__setattr__(self, "nach_traeger", freeze(self.nach_traeger))
        object.__setattr__(self, "nach_sozialraum", freeze(self.nach_sozialraum))
        object.__setattr__(self, "summen", MappingProxyType(dict(self.summen)))
        object.__setattr__(self, "warnungen", tuple(self.warnungen))
        object.__setattr__(self, "kennzahlen", MappingProxyType(dict(self.kennzahlen)))

    @property
    def tabellen(self) -> Mapping[str, tuple[Mapping[str, Any], ...]]:
        """The tables by German name (for workbook sheets)."""
        return MappingProxyType(
            {
                "Soll-Ist": self.zeilen,
                "Soll-Ist nach Träger": self.nach_traeger,
                "Soll-Ist nach Sozialraum": self.nach_sozialraum,
            }
        )

    @property
    def ruecklage(self) -> Decimal:
        """Total reserve build-up Σ max(0, Soll − Ist) over the rows."""
        return self.summen["Rücklage"]


def _freeze_rows(rows: Iterable[Mapping[str, Any]]) -> tuple[Mapping[str, Any], ...]:
    """Read-only copies of the rows; read-only views and :class:`Zeile` s are kept as they are
    (:func:`soll_ist` builds rows it holds nowhere else: no second copy of every row)."""
    return tuple(r if type(r) in (MappingProxyType, Zeile) else MappingProxyType(dict(r)) for r in rows)


# ----------------------------------------------------------------------------- input


def _name(value: Any, what: str, index: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise EingabeFehler(
            "Name ist kein Text",
            model=_MODUL,
            item=f"Zeile {index}",
            field=what,
            expected="einen Namen",
            found=value,
        )
    text = value.strip()
    return text or None


def _rows(value: Any, typ: type, what: str) -> list[Any]:
    """Rows as a list; each row a ``typ`` or a mapping (junk → German error)."""
    if value is None:
        return []
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise EingabeFehler(
            "keine Liste",
            model=_MODUL,
            item="Eingabe",
            field=what,
            expected="eine Liste von Zeilen",
            found=type(value).__name__,
        )
    rows = list(value)
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, typ | Mapping):
            raise EingabeFehler(
                "Zeile hat den falschen Typ",
                model=_MODUL,
                item=f"Zeile {i}",
                field=what,
                expected=f"{typ.__name__} oder Zuordnung",
                found=type(row).__name__,
            )
    return rows


def _get(row: Any, *names: str, default: Any = None) -> Any:
    """Field of a dataclass row or a mapping row (German or code spelling)."""
    for n in names:
        if isinstance(row, Mapping):
            if n in row:
                return row[n]
        elif hasattr(row, n):
            return getattr(row, n)
    return default


def _label(key: Key) -> str:
    traeger, sozialraum = key
    parts = [p for p in (traeger, sozialraum) if p]
    return " / ".join(parts) if parts else "ohne Zuordnung"


def _non_negative(parse: Any, value: Any, key: Key, what: str, wort: str) -> Decimal:
    """``parse(value)`` as a non-negative Decimal; German errors naming the row and field in the
    wording of the models (the parser's message and expectation, the value as typed)."""
    try:
        number = parse(value)
    except SozbudgetError as exc:
        raise EingabeFehler(
            exc.message,
            model=_MODUL,
            item=_label(key),
            field=what,
            expected=exc.expected,
            found=value.strip() if isinstance(value, str) else value,
        ) from exc
    if number < 0:
        raise EingabeFehler(
            f"{wort} darf nicht negativ sein",
            model=_MODUL,
            item=_label(key),
            field=what,
            expected="0 oder mehr",
            found=value,
        )
    return number


def _amount(value: Any, key: Key, what: str) -> Decimal:
    return _non_negative(euro, value, key, what, "Betrag")


def _count(value: Any, key: Key, what: str) -> Decimal | None:
    if value is None:
        return None
    return _non_negative(lambda v: to_decimal(v, "Wert"), value, key, what, "Zahl")


def _n(number: Decimal) -> str:
    """A case count in German format (no decimals for whole numbers)."""
    return _fmt_zahl(number, 0 if number == number.to_integral_value() else 2)


def _quote(ist: Decimal, soll: Decimal) -> Decimal | None:
    """Ausschöpfung Ist/Soll as a fraction with 4 places (0,01 %), None when Soll is 0."""
    if soll == 0:
        return None
    return (ist / soll).quantize(_QUOTE, rounding=ROUND_HALF_UP)


def _money_row(traeger: str | None, sozialraum: str | None, soll: Decimal, ist: Decimal) -> dict[str, Any]:
    abweichung = soll - ist
    return {
        "Träger": traeger,
        "Sozialraum": sozialraum,
        "Soll": soll,
        "Ist": ist,
        "Abweichung": abweichung,
        "Ausschöpfung": _quote(ist, soll),
        "Rücklage": max(ZERO, abweichung),
        "Überschreitung": max(ZERO, -abweichung),
    }


def _aggregate(rows: Sequence[Mapping[str, Any]], by: str) -> list[dict[str, Any]]:
    sums: dict[str | None, list[Decimal]] = {}
    for r in rows:
        acc = sums.setdefault(r[by], [ZERO, ZERO, ZERO, ZERO])
        acc[0] += r["Soll"]
        acc[1] += r["Ist"]
        acc[2] += r["Rücklage"]
        acc[3] += r["Überschreitung"]
    out = []
    for name, (soll, ist, ruecklage, ueber) in sums.items():
        out.append(
            {
                by: name,
                "Soll": soll,
                "Ist": ist,
                "Abweichung": soll - ist,
                "Ausschöpfung": _quote(ist, soll),
                "Rücklage": ruecklage,
                "Überschreitung": ueber,
            }
        )
    return out


# ----------------------------------------------------------------------------- main


def _pruefe_ergebnis(ergebnis: Any) -> None:
    """German error when no model result is given."""
    if not isinstance(ergebnis, ModelResult):
        raise EingabeFehler(
            "kein Modellergebnis angegeben",
            model=_MODUL,
            field="Ergebnis",
            expected="ModelResult",
            found=type(ergebnis).__name__,
        )


def _pruefe_deckel(deckel: str | None, deckel_ebene: str) -> None:
    """German errors for an unknown cap kind or cap level."""
    if deckel not in DECKEL:
        raise EingabeFehler(
            "unbekannte Deckelung",
            model=_MODUL,
            field="Deckel",
            expected="weich, hart oder leer",
            found=deckel,
        )
    if deckel_ebene not in EBENEN:
        raise EingabeFehler(
            "unbekannte Ebene der Deckelung",
            model=_MODUL,
            field="Deckel-Ebene",
            expected=", ".join(EBENEN),
            found=deckel_ebene,
        )


def _zuordnung(row: Any, index: int) -> Key:
    """The (Träger, Sozialraum) key of an Ist or Soll-Fälle row."""
    return (
        _name(_get(row, "traeger", "Träger"), "Träger", index),
        _name(_get(row, "sozialraum", "Sozialraum"), "Sozialraum", index),
    )


def _summe_aus(betrag: Any) -> Decimal:
    """``ZERO + betrag`` (a sum of one amount): ``betrag`` itself when that is the same number in
    the same form (a Decimal in cents, not zero, within the precision) — rows of one line item
    share its Decimal instead of holding a copy (50.000 Quartiere: 5 MB)."""
    if type(betrag) is Decimal and betrag and betrag.same_quantum(ZERO) and betrag.adjusted() < 26:
        return betrag
    return ZERO + betrag


def _soll_je_zuordnung(ergebnis: ModelResult, wanted: set[Art]) -> tuple[dict[Key, Decimal], Decimal]:
    """Soll: the wanted line items grouped by (Träger, Sozialraum), in first-seen order (§5);
    and the sum of the items left out (not paid, or not wanted)."""
    soll: dict[Key, Decimal] = {}
    ausser = ZERO
    for p in ergebnis.positionen:
        if p.art in wanted:
            key = (p.traeger, p.sozialraum)
            alt = soll.get(key)
            soll[key] = _summe_aus(p.betrag) if alt is None else alt + p.betrag
        else:
            ausser += p.betrag
    return soll, ausser


def _gewuenschte_arten(arten: Iterable[Art | str] | None, warnungen: list[Warnung]) -> set[Art]:
    """The kinds counting as Soll: paid kinds by default; withheld money never (a warning)."""
    try:
        wanted = set(GEZAHLT) if arten is None else {Art(a) for a in arten}
    except (ValueError, TypeError):
        raise EingabeFehler(
            "unbekannte Art einer Position",
            field="Arten",
            expected=", ".join(a.value for a in Art),
            found=", ".join(map(str, arten or ())),
        ) from None
    if Art.EINBEHALTEN in wanted:
        wanted.discard(Art.EINBEHALTEN)
        warnungen.append(
            Warnung(
                "einbehaltene Beträge bleiben beim Jugendamt: sie zählen nicht zum Soll und bilden keine "
                "Rücklage",
                "einbehalten_kein_soll",
            )
        )
    return wanted


def _ist_je_zuordnung(ist: Sequence[Any]) -> tuple[dict[Key, Decimal], dict[Key, Decimal]]:
    """Ist: bookings and actual cases added up per (Träger, Sozialraum)."""
    ist_sum: dict[Key, Decimal] = {}
    ist_faelle: dict[Key, Decimal] = {}
    for i, row in enumerate(ist, start=1):
        key = _zuordnung(row, i)
        ist_sum[key] = ist_sum.get(key, ZERO) + _amount(_get(row, "ist", "Ist", default=0), key, "Ist")
        faelle = _count(_get(row, "faelle", "Ist-Fälle"), key, "Ist-Fälle")
        if faelle is not None:
            ist_faelle[key] = ist_faelle.get(key, Decimal(0)) + faelle
    return ist_sum, ist_faelle


def _fallsoll_je_zuordnung(fallsoll: Sequence[Any]) -> dict[Key, Decimal]:
    """Agreed case obligations per (Träger, Sozialraum); a duplicate is an error."""
    soll_faelle: dict[Key, Decimal] = {}
    seen: dict[tuple[str, str], str] = {}
    for i, row in enumerate(fallsoll, start=1):
        key = _zuordnung(row, i)
        norm = (namensschluessel(key[0] or ""), namensschluessel(key[1] or ""))
        if norm in seen:
            raise EingabeFehler(
                "Fallverpflichtung doppelt angegeben",
                model=_MODUL,
                item=_label(key),
                field="Soll-Fälle",
                expected="je Träger und Sozialraum eine Zeile",
                found=f"„{seen[norm]}“ und „{_label(key)}“",
            )
        seen[norm] = _label(key)
        number = _count(_get(row, "faelle", "Soll-Fälle", default=0), key, "Soll-Fälle")
        soll_faelle[key] = number if number is not None else Decimal(0)
    return soll_faelle


def _betrag_warnungen(key: Key, soll: Mapping[Key, Decimal], ist_sum: Mapping[Key, Decimal]) -> list[Warnung]:
    """Warnings for a row without Ist (``ist_fehlt``) or with Ist but no budget (``ist_ohne_soll``)."""
    traeger, sozialraum = key
    warnungen: list[Warnung] = []
    s = soll.get(key, ZERO)
    if key in ist_sum:
        i_betrag = ist_sum[key]
    else:
        i_betrag = ZERO
        if s > 0:
            warnungen.append(
                Warnung(
                    f"{_label(key)}: kein Ist gemeldet, gerechnet mit 0,00 €",
                    "ist_fehlt",
                    traeger,
                    sozialraum,
                )
            )
    if key not in soll and i_betrag > 0:
        warnungen.append(
            Warnung(
                f"{_label(key)}: Ausgaben von {_fmt_betrag(i_betrag)} ohne Budget (Soll 0,00 €)",
                "ist_ohne_soll",
                traeger,
                sozialraum,
            )
        )
    return warnungen


def _fall_warnungen(key: Key, sf: Decimal | None, istf: Decimal | None) -> list[Warnung]:
    """Warnings for missing actual cases or a case obligation under- or overshot."""
    traeger, sozialraum = key
    if sf is not None and istf is None:
        return [
            Warnung(
                f"{_label(key)}: Fallverpflichtung {_n(sf)}, aber keine Ist-Fälle gemeldet",
                "faelle_fehlen",
                traeger,
                sozialraum,
            )
        ]
    if sf is not None and istf is not None and istf < sf:
        return [
            Warnung(
                f"{_label(key)}: Fallverpflichtung unterschritten: {_n(istf)} statt {_n(sf)} Fälle",
                "fallverpflichtung_unterschritten",
                traeger,
                sozialraum,
            )
        ]
    if sf is not None and istf is not None and istf > sf:
        return [
            Warnung(
                f"{_label(key)}: mehr Fälle als vereinbart: {_n(istf)} statt {_n(sf)} Fälle",
                "fallverpflichtung_ueberschritten",
                traeger,
                sozialraum,
            )
        ]
    return []


def _vergleichszeile(
    key: Key,
    soll: Mapping[Key, Decimal],
    ist_sum: Mapping[Key, Decimal],
    soll_faelle: Mapping[Key, Decimal],
    ist_faelle: Mapping[Key, Decimal],
    warnungen: list[Warnung],
) -> dict[str, Any]:
    """One Soll/Ist row (money and cases) for a (Träger, Sozialraum); appends its warnings."""
    traeger, sozialraum = key
    warnungen.extend(_betrag_warnungen(key, soll, ist_sum))
    row = _money_row(traeger, sozialraum, soll.get(key, ZERO), ist_sum.get(key, ZERO))
    # case obligation vs actual cases (§5; KGSt §3, Stuttgart §5.1)
    sf = soll_faelle.get(key)
    istf = ist_faelle.get(key)
    row["Soll-Fälle"] = sf
    row["Ist-Fälle"] = istf
    row["Fallabweichung"] = None if sf is None or istf is None else istf - sf
    warnungen.extend(_fall_warnungen(key, sf, istf))
    return row


def _summen(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Totals of the money columns over all rows, with the total Ausschöpfung."""
    total_soll = sum((r["Soll"] for r in rows), ZERO)
    total_ist = sum((r["Ist"] for r in rows), ZERO)
    return {
        "Soll": total_soll,
        "Ist": total_ist,
        "Abweichung": sum((r["Abweichung"] for r in rows), ZERO),
        "Ausschöpfung": _quote(total_ist, total_soll),
        "Rücklage": sum((r["Rücklage"] for r in rows), ZERO),
        "Überschreitung": sum((r["Überschreitung"] for r in rows), ZERO),
    }


def _deckel_warnung(deckel: str, traeger: str | None, sozialraum: str | None, over: Decimal) -> Warnung:
    """The warning for one overrun of a soft or a hard cap."""
    wer = _label((traeger, sozialraum)) if (traeger or sozialraum) else "Gesamtbudget"
    if deckel == "weich":
        return Warnung(
            f"{wer}: Planwert überschritten um {_fmt_betrag(over)} (weicher Deckel: "
            "Überschreitung wird berichtet, nicht gesperrt)",
            "deckel_weich_ueberschritten",
            traeger,
            sozialraum,
        )
    return Warnung(
        f"{wer}: Budget überschritten um {_fmt_betrag(over)} (harter Deckel): die "
        "Überschreitung muss vom Träger bzw. Verbund gedeckt oder als unvorhersehbar "
        "und unabweisbar begründet werden",
        "deckel_hart_ueberschritten",
        traeger,
        sozialraum,
    )


def _deckel_warnungen(
    deckel: str | None,
    deckel_ebene: str,
    rows: Sequence[Mapping[str, Any]],
    nach_traeger: Sequence[Mapping[str, Any]],
    nach_sozialraum: Sequence[Mapping[str, Any]],
    summen: Mapping[str, Any],
) -> list[Warnung]:
    """Caps: soft (München §5.3) reports, hard (Neunkirchen §5.2) must be covered/justified."""
    if deckel is None:
        return []
    if deckel_ebene == "zeile":
        checked = [(r["Träger"], r["Sozialraum"], r) for r in rows]
    elif deckel_ebene == "traeger":
        checked = [(r["Träger"], None, r) for r in nach_traeger]
    elif deckel_ebene == "sozialraum":
        checked = [(None, r["Sozialraum"], r) for r in nach_sozialraum]
    else:
        checked = [(None, None, {**summen, "Überschreitung": max(ZERO, summen["Ist"] - summen["Soll"])})]
    warnungen: list[Warnung] = []
    for traeger, sozialraum, r in checked:
        ist_r = r["Ist"]
        soll_r = r["Soll"]
        if ist_r <= soll_r:
            continue
        warnungen.append(_deckel_warnung(deckel, traeger, sozialraum, ist_r - soll_r))
    return warnungen


def _kennzahlen(summen: Mapping[str, Any]) -> dict[str, Any]:
    """Key figures of the comparison, from the totals."""
    return {
        "Soll gesamt": summen["Soll"],
        "Ist gesamt": summen["Ist"],
        "Abweichung gesamt": summen["Abweichung"],
        "Ausschöpfung gesamt": summen["Ausschöpfung"],
        "Rücklagenbildung": summen["Rücklage"],
        "Überschreitung gesamt": summen["Überschreitung"],
    }


def soll_ist(
    ergebnis: ModelResult,
    ist: Iterable[IstZeile | Mapping[str, Any]],
    *,
    fallsoll: Iterable[Fallsoll | Mapping[str, Any]] = (),
    deckel: str | None = "weich",
    deckel_ebene: str = "zeile",
    arten: Iterable[Art | str] | None = None,
    je_gruppe: bool = True,
) -> ControllingErgebnis:
    """Soll/Ist comparison of a model result with actual spending (domain spec §5).

    ``ist``: rows with Träger, Sozialraum, Ist (and optionally actual cases ``faelle``);
    dataclass :class:`IstZeile` or mappings with the keys ``Träger``/``Sozialraum``/``Ist``/
    ``Ist-Fälle`` (or the code names). ``fallsoll``: agreed case obligations per Träger ×
    Sozialraum. ``deckel``: ``None``, ``"weich"`` (default) or ``"hart"``; ``deckel_ebene``:
    ``"zeile"`` (default), ``"traeger"``, ``"sozialraum"`` or ``"gesamt"``. ``arten``:
    the line item kinds that count as Soll (default: the paid kinds :data:`GEZAHLT`; withheld
    items never count). ``je_gruppe=False``: ``nach_traeger`` and ``nach_sozialraum`` stay empty
    (for callers that use the rows only: with a Sozialraum per row they repeat every row).

    Raises :class:`EingabeFehler` (German) for negative or invalid amounts and counts, an
    unknown cap kind or level, or a duplicate case obligation.
    """
    _pruefe_ergebnis(ergebnis)
    ist = _rows(ist, IstZeile, "Ist")
    fallsoll = _rows(fallsoll, Fallsoll, "Soll-Fälle")
    _pruefe_deckel(deckel, deckel_ebene)
    warnungen: list[Warnung] = []
    wanted = _gewuenschte_arten(arten, warnungen)

    soll, ausser = _soll_je_zuordnung(ergebnis, wanted)
    ist_sum, ist_faelle = _ist_je_zuordnung(ist)
    soll_faelle = _fallsoll_je_zuordnung(fallsoll)

    keys: list[Key] = list(soll)
    keys += [k for k in ist_sum if k not in soll]
    keys += [k for k in soll_faelle if k not in soll and k not in ist_sum]
    spalten: dict[tuple[str, ...], dict[str, int]] = {}
    rows = [
        Zeile.aus(_vergleichszeile(key, soll, ist_sum, soll_faelle, ist_faelle, warnungen), spalten)
        for key in keys
    ]

    nach_traeger = _aggregate(rows, "Träger") if je_gruppe or deckel_ebene == "traeger" else []
    nach_sozialraum = _aggregate(rows, "Sozialraum") if je_gruppe or deckel_ebene == "sozialraum" else []
    summen = _summen(rows)
    warnungen += _deckel_warnungen(deckel, deckel_ebene, rows, nach_traeger, nach_sozialraum, summen)
    if not je_gruppe:
        nach_traeger, nach_sozialraum = [], []
    return ControllingErgebnis(
        zeilen=tuple(rows),
        nach_traeger=tuple(map(MappingProxyType, nach_traeger)),
        nach_sozialraum=tuple(map(MappingProxyType, nach_sozialraum)),
        summen=summen,
        warnungen=tuple(warnungen),
        deckel=deckel,
        modell=ergebnis.modell,
        jahr=ergebnis.jahr,
        kennzahlen={**_kennzahlen(summen), "Nicht im Soll": ausser},
    )
