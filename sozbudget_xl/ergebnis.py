"""Result types shared by every budget model (domain spec §3) — part of the core.

A model is a module with

* ``NAME`` (registry key, e.g. ``"kgst"``), ``TITEL`` (German title), ``QUELLE``
  (source section), ``BESCHREIBUNG`` (one German sentence: what it computes);
* ``DEKLARATION`` — its :class:`~sozbudget_xl.spec.Deklaration` (inputs, outputs with units,
  contract texts);
* ``Parameter`` and ``Eingabe`` — frozen dataclasses (parameters all have defaults);
* ``berechne(eingabe, parameter=None) -> ModelResult`` — pure, raises
  :class:`~sozbudget_xl.errors.ModellFehler` for bad input and returns nothing partial;
* ``beispiel() -> tuple[Eingabe, Parameter]`` — a realistic worked example.

:class:`ModelResult` checks on construction that its line items add up to its total
to the cent. It carries the unit of every Kennzahl and table column (``einheiten``,
``spalten_einheiten``), so renderers never guess a unit from a name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Protocol

from .einheiten import Einheit
from .errors import ModellFehler
from .money import ZERO
from .schedule import Rate, zahlungsplan

__all__ = ["Art", "BudgetModel", "LineItem", "ModelResult", "Warnung", "Zeile", "raten_fuer_positionen"]


class Art(StrEnum):
    """Kind of a line item."""

    UNBEDINGT = "unbedingt"  # paid unconditionally (Sockel, Pauschale)
    BEDINGT = "bedingt"  # paid only when a condition is met
    BONUS = "Bonus"  # on top of the budget, by performance
    OFFEN = "offen"  # open-ended: forecast, billed by actual use
    EINBEHALTEN = "einbehalten"  # stays with the Jugendamt


@dataclass(frozen=True, slots=True)
class LineItem:
    """One budget position (Position, Träger, Sozialraum, Betrag, Art, Bedingung, Quelle)."""

    position: str
    betrag: Decimal
    art: Art = Art.UNBEDINGT
    traeger: str | None = None
    sozialraum: str | None = None
    bedingung: str = ""
    quelle: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.betrag, Decimal) or self.betrag != self.betrag.quantize(_CENT):
            raise ModellFehler(
                "Betrag muss ein Decimal in ganzen Cent sein", item=self.position, found=repr(self.betrag)
            )
        if type(self.art) is not Art:  # a text („bedingt“) becomes its Art
            object.__setattr__(self, "art", Art(self.art))


_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Warnung:
    """A warning the user must see (never swallowed)."""

    text: str
    code: str = ""
    traeger: str | None = None
    sozialraum: str | None = None

    def __str__(self) -> str:
        return self.text


class Zeile(Mapping[str, Any]):
    """A read-only row of a result table: column → value like the read-only dict it replaces (equal
    to it, same ``repr``), holding only its values; the columns (name → position) are one dict
    shared by the rows of a table. A copied dict and its view per row took ≈ 300 bytes at six
    columns, this ≈ 140 (50.000 Quartiersbudgets)."""

    __slots__ = ("_spalten", "_werte")

    def __init__(self, spalten: Mapping[str, int], werte: Sequence[Any]) -> None:
        if len(spalten) != len(werte):
            raise ValueError("so viele Werte wie Spalten erwartet")
        self._spalten = spalten
        self._werte = tuple(werte)

    @classmethod
    def aus(cls, zeile: Mapping[str, Any], spalten: dict[tuple[str, ...], dict[str, int]]) -> Zeile:
        """The row ``zeile`` (its columns in its order, values as they are); ``spalten`` collects the
        shared column dicts (one per column order)."""
        namen = tuple(zeile)
        index = spalten.get(namen)
        if index is None:
            index = spalten[namen] = {n: i for i, n in enumerate(namen)}
        return cls(index, tuple(zeile.values()))

    @property
    def spalten(self) -> Mapping[str, int]:
        """The shared columns: name → position (one dict for every row built with it)."""
        return self._spalten

    @property
    def werte(self) -> tuple[Any, ...]:
        """The values in the order of :attr:`spalten`."""
        return self._werte

    def __getitem__(self, name: str) -> Any:
        return self._werte[self._spalten[name]]

    def get(self, name: str, default: Any = None) -> Any:
        i = self._spalten.get(name)
        return default if i is None else self._werte[i]

    def __contains__(self, name: object) -> bool:
        return name in self._spalten

    def __iter__(self) -> Iterator[str]:
        return iter(self._spalten)

    def __len__(self) -> int:
        return len(self._werte)

    def __eq__(self, other: object) -> bool:
        if type(other) is Zeile and other._spalten is self._spalten:
            return self._werte == other._werte
        return super().__eq__(other)

    def __repr__(self) -> str:
        return f"mappingproxy({dict(zip(self._spalten, self._werte, strict=True))!r})"

    def __or__(self, other: Any) -> Any:  # as a read-only view: a new dict
        return {**self, **other} if isinstance(other, Mapping) else NotImplemented


#: values ``_freeze`` returns as they are (immutable, nothing inside to freeze)
_ATOME = frozenset({str, int, float, bool, Decimal, type(None)})


def _freeze(value: Any, spalten: dict[tuple[str, ...], dict[str, int]] | None = None) -> Any:
    """A read-only copy: mappings as read-only views, lists and tuples as tuples whose mapping
    elements (the rows of a table) become :class:`Zeile` s sharing their columns."""
    if type(value) in _ATOME or type(value) is Zeile:
        return value
    if isinstance(value, Mapping):
        if spalten is not None:
            return Zeile.aus({k: _freeze(v) for k, v in value.items()}, spalten)
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        spalten = {}  # the rows of one table share their column dicts
        return tuple([_freeze(v, spalten) for v in value])
    return value


@dataclass(frozen=True)
class ModelResult:
    """Immutable result of a model run.

    ``tabellen`` holds extra tables (name → tuple of row dicts with German keys) such as
    the case obligation per Träger or the reserve classification; ``kennzahlen`` holds
    single figures (name → value).
    """

    modell: str
    titel: str
    jahr: int
    positionen: tuple[LineItem, ...]
    gesamt: Decimal
    zahlungsplan: tuple[Rate, ...] = ()
    warnungen: tuple[Warnung, ...] = ()
    kennzahlen: Mapping[str, Any] = field(default_factory=dict)
    tabellen: Mapping[str, Any] = field(default_factory=dict)
    quelle: str = ""
    #: unit of every Kennzahl (name → Einheit)
    einheiten: Mapping[str, Einheit] = field(default_factory=dict)
    #: unit of every column of every table (table → column → Einheit)
    spalten_einheiten: Mapping[str, Mapping[str, Einheit]] = field(default_factory=dict)
    #: the model's ``Parameter`` and ``Eingabe`` the result was computed from (contract texts)
    parameter: Any = field(default=None, compare=False, repr=False)
    eingabe: Any = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "positionen", tuple(self.positionen))
        object.__setattr__(self, "zahlungsplan", tuple(self.zahlungsplan))
        object.__setattr__(self, "warnungen", tuple(self.warnungen))
        object.__setattr__(self, "kennzahlen", _freeze(dict(self.kennzahlen)))
        object.__setattr__(self, "tabellen", _freeze(dict(self.tabellen)))
        object.__setattr__(self, "einheiten", _freeze(dict(self.einheiten)))
        object.__setattr__(self, "spalten_einheiten", _freeze(dict(self.spalten_einheiten)))
        summe = sum((p.betrag for p in self.positionen), ZERO)
        if summe != self.gesamt:
            raise ModellFehler(
                "Summe der Positionen weicht vom Gesamtbetrag ab",
                model=self.modell,
                expected=str(self.gesamt),
                found=str(summe),
            )

    # ------------------------------------------------------------ views
    def einheit(self, kennzahl: str) -> Einheit:
        """Unit of a Kennzahl (TEXT for text values without a declared unit)."""
        return self.einheiten.get(kennzahl, Einheit.TEXT)

    def spalten_einheit(self, tabelle: str, spalte: str) -> Einheit:
        """Unit of a table column (TEXT when none is declared)."""
        return self.spalten_einheiten.get(tabelle, {}).get(spalte, Einheit.TEXT)

    def summe(
        self, *, art: Art | str | None = None, traeger: str | None = None, sozialraum: str | None = None
    ) -> Decimal:
        """Sum of the line items matching all given filters."""
        return sum(
            (
                p.betrag
                for p in self.positionen
                if (art is None or p.art == Art(art))
                and (traeger is None or p.traeger == traeger)
                and (sozialraum is None or p.sozialraum == sozialraum)
            ),
            ZERO,
        )

    def summen_nach(self, attribut: str) -> dict[Any, Decimal]:
        """Totals grouped by ``"art"``, ``"traeger"`` or ``"sozialraum"`` (in first-seen order)."""
        out: dict[Any, Decimal] = {}
        for p in self.positionen:
            key = getattr(p, attribut)
            out[key] = out.get(key, ZERO) + p.betrag
        return out

    @property
    def traeger(self) -> list[str]:
        """Recipients (Träger) in first-seen order."""
        return [t for t in self.summen_nach("traeger") if t is not None]

    @property
    def sozialraeume(self) -> list[str]:
        return [s for s in self.summen_nach("sozialraum") if s is not None]


class BudgetModel(Protocol):
    """What every module in :mod:`sozbudget_xl.models` provides."""

    NAME: str
    TITEL: str
    QUELLE: str
    BESCHREIBUNG: str
    Parameter: type
    Eingabe: type

    def berechne(self, eingabe: Any, parameter: Any = None) -> ModelResult: ...

    def beispiel(self) -> tuple[Any, Any]: ...


def raten_fuer_positionen(
    positionen: Iterable[LineItem],
    jahr: int,
    rhythmus: str = "monatlich",
    *,
    arten: Iterable[Art | str] = (Art.UNBEDINGT,),
    termine: Iterable[Any] | None = None,
    werktag: bool = False,
    bundesland: str | None = None,
) -> list[Rate]:
    """Instalment plan: per recipient (Träger, else Sozialraum), the sum of the line items of
    the given kinds, split over the year's due dates. Sorted by date, then recipient order."""
    wanted = {Art(a) for a in arten}
    per_recipient: dict[str, Decimal] = {}
    for p in positionen:
        if p.art in wanted:
            key = p.traeger or p.sozialraum or "Jugendamt"
            per_recipient[key] = per_recipient.get(key, ZERO) + p.betrag
    plan: list[Rate] = []
    order = {k: i for i, k in enumerate(per_recipient)}
    for empfaenger, betrag in per_recipient.items():
        if betrag == 0:
            continue
        plan.extend(
            zahlungsplan(
                betrag,
                jahr,
                rhythmus,
                termine=termine,
                werktag=werktag,
                bundesland=bundesland,
                empfaenger=empfaenger,
                zweck="Abschlag",
            )
        )
    plan.sort(key=lambda r: (r.faellig, order[r.empfaenger or ""]))
    return plan


def pruefe_aufruf(name: str, eingabe: Any, eingabe_typ: type, parameter: Any, parameter_typ: type) -> Any:
    """Check the argument types of ``berechne`` and return the parameters (defaults for None).

    Junk (None, text, a wrong object) becomes a German :class:`ModellFehler` naming the model
    instead of an AttributeError deep inside the computation.
    """
    if not isinstance(eingabe, eingabe_typ):
        raise ModellFehler(
            "Eingabe fehlt oder hat den falschen Typ",
            model=name,
            field="Eingabe",
            expected=eingabe_typ.__qualname__,
            found=type(eingabe).__name__,
        )
    if parameter is None:
        return parameter_typ()
    if not isinstance(parameter, parameter_typ):
        raise ModellFehler(
            "Parameter haben den falschen Typ",
            model=name,
            field="Parameter",
            expected=parameter_typ.__qualname__,
            found=type(parameter).__name__,
        )
    return parameter
