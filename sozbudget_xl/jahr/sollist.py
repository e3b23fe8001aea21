"""Soll/Ist during the year and the year-end forecast (issue 16; domain spec §5) — core, no I/O.

Per Träger × Sozialraum of a model result and in total:

* **Jahres-Soll**: the paid line items (unbedingt, bedingt, Bonus) and the open ones (forecasts
  billed by use, e.g. Fachleistungsstunden, Säule 1) — what is expected to be spent;
* **Soll bis Stand**: from the contracts' payment plan — the Träger's instalments due up to the
  end of the reporting month, split over its rows by their unconditional amounts (largest
  remainder), plus the parts outside the instalments pro rata temporis (months/12, half up);
* **Ist bis Stand**, Differenz = Soll − Ist, Ausschöpfung = Ist / Soll;
* Fallverpflichtung (where the model states one) vs the average monthly Ist-Fälle;
* **Prognose Jahresende**: with the previous year's monthly Ist (rows of Jahr − 1) by its
  seasonal profile (Ist bis Stand ÷ share of the previous year spent by the same month), else
  linear (Ist bis Stand × 12 ÷ months); the row's own profile first, else the total's;
* caps as the model defines them: München's planning figures are a soft cap (reported, never
  blocked, Gutachten 5.3), Neunkirchen's budget a hard cap (an overrun must be covered by the
  Verbund or justified as „unkalkulierbar, unvorhersehbar und unabweisbar“, Gutachten 5.2).

Every total is the sum of its rows to the cent (rows are rounded, never the total).

>>> prognose(Decimal("600.00"), 6)
(Decimal('1200.00'), 'linear')
>>> prognose(Decimal("600.00"), 6, [Decimal(100)] * 6 + [Decimal(300)] * 6)
(Decimal('2400.00'), 'saisonal (Vorjahr)')
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter
from typing import Any

import numpy as np

from ..controlling import _summe_aus
from ..ergebnis import Art, ModelResult, Warnung
from ..formats import betrag as _fmt
from ..money import ZERO, allocate, allocate_cents, from_cents_je, to_cents
from .ist import MONATE, Buchung

__all__ = [
    "DECKEL_JE_MODELL",
    "SOLL_ARTEN",
    "SollIstStand",
    "SollIstZeile",
    "prognose",
    "soll_ist_stand",
]

#: line item kinds that form the Jahres-Soll (expected spending)
SOLL_ARTEN = (Art.UNBEDINGT, Art.BEDINGT, Art.BONUS, Art.OFFEN)
#: cap kind by model (Gutachten 5.3 München: soft; 5.2 Neunkirchen: hard)
DECKEL_JE_MODELL = {"muenchen": "weich", "neunkirchen": "hart"}

_CENT = Decimal("0.01")
_QUOTE = Decimal("0.0001")
Key = tuple[str | None, str | None]


@dataclass(frozen=True, slots=True)
class SollIstZeile:
    """One Träger × Sozialraum (or the Summe) of the Soll/Ist sheet (slots: one per row)."""

    traeger: str | None
    sozialraum: str | None
    jahres_soll: Decimal
    soll_bis: Decimal
    ist_bis: Decimal
    prognose: Decimal
    prognoseart: str = ""
    soll_faelle: Decimal | None = None
    ist_faelle: Decimal | None = None
    stunden: Decimal | None = None

    @property
    def differenz(self) -> Decimal:
        return self.soll_bis - self.ist_bis

    @property
    def ausschoepfung(self) -> Decimal | None:
        return _quote(self.ist_bis, self.soll_bis)

    @property
    def prognose_abweichung(self) -> Decimal:
        """Jahres-Soll − Prognose (negative: overrun expected)."""
        return self.jahres_soll - self.prognose


#: the slots' setters of :class:`SollIstZeile` in field order (see :func:`_zeile`)
_SETZER = tuple(getattr(SollIstZeile, f.name).__set__ for f in fields(SollIstZeile))


def _zeile(werte: Sequence[Any]) -> SollIstZeile:
    """``SollIstZeile(*werte)`` (all ten fields) without the frozen ``__init__``'s
    ``object.__setattr__`` per field: the same object, in half the time (a row per Träger ×
    Sozialraum)."""
    z = object.__new__(SollIstZeile)
    for setze, wert in zip(_SETZER, werte, strict=True):
        setze(z, wert)
    return z


@dataclass(frozen=True)
class SollIstStand:
    """The Soll/Ist of a budget year at the reporting month ``stand`` (0: no Ist yet)."""

    modell: str
    jahr: int
    stand: int
    zeilen: tuple[SollIstZeile, ...]
    summe: SollIstZeile
    #: month 1..12 → (Soll kumuliert, Ist kumuliert or None, Prognose kumuliert or None)
    monate: tuple[tuple[int, Decimal, Decimal | None, Decimal | None], ...]
    warnungen: tuple[Warnung, ...] = ()
    deckel: str | None = None
    vorjahr_profil: bool = False
    ist_je: Mapping[Key, Decimal] = field(default_factory=dict)

    def nach_traeger(self) -> list[tuple[str, Decimal, Decimal, Decimal]]:
        """(Träger, Soll bis Stand, Ist bis Stand, Prognose) per Träger, in first-seen order."""
        out: dict[str, list[Decimal]] = {}
        for z in self.zeilen:
            acc = out.setdefault(z.traeger or "Jugendamt / ohne Zuordnung", [ZERO, ZERO, ZERO])
            acc[0] += z.soll_bis
            acc[1] += z.ist_bis
            acc[2] += z.prognose
        return [(t, *v) for t, v in out.items()]  # type: ignore[misc]


def _quote(ist: Decimal, soll: Decimal) -> Decimal | None:
    return None if soll == 0 else (ist / soll).quantize(_QUOTE, rounding=ROUND_HALF_UP)


def _cent(x: Decimal) -> Decimal:
    return x.quantize(_CENT, rounding=ROUND_HALF_UP)


def prognose(ist_bis: Decimal, stand: int, profil: Sequence[Decimal] | None = None) -> tuple[Decimal, str]:
    """Year-end forecast from the Ist of months 1..``stand``: by the previous year's monthly
    ``profil`` (12 values) when it has spending by then, else linear. Returns (amount, kind)."""
    if stand >= 12:
        return ist_bis, "Ist (Jahr vollständig)"
    if stand <= 0:
        return ist_bis, "kein Ist"
    if profil is not None and len(profil) == 12:
        bis = sum(profil[:stand], ZERO)
        gesamt = sum(profil, ZERO)
        if bis > 0 and gesamt > 0:
            return _cent(ist_bis * gesamt / bis), "saisonal (Vorjahr)"
    return _cent(ist_bis * 12 / stand), "linear"


def _kurve_anteil(stand: int, profil: Sequence[Decimal] | None, k: int) -> Decimal:
    """Share of the rest of the year (after ``stand``) spent by month ``k``."""
    if stand >= 12:
        return Decimal(1)
    if profil is not None and len(profil) == 12:
        rest = sum(profil[stand:], ZERO)
        if rest > 0:
            return sum(profil[stand:k], ZERO) / rest
    return Decimal(k - stand) / Decimal(12 - stand)


# ----------------------------------------------------------------------------- Soll


def _jahres_soll(result: ModelResult) -> tuple[dict[Key, Decimal], dict[Key, Decimal]]:
    """Jahres-Soll and its unconditional part per (Träger, Sozialraum), in first-seen order."""
    soll: dict[Key, Decimal] = {}
    unbedingt: dict[Key, Decimal] = {}
    for p in result.positionen:
        if p.art in SOLL_ARTEN:
            key = (p.traeger, p.sozialraum)
            alt = soll.get(key)
            soll[key] = _summe_aus(p.betrag) if alt is None else alt + p.betrag
            if p.art == Art.UNBEDINGT:
                alt = unbedingt.get(key)
                unbedingt[key] = _summe_aus(p.betrag) if alt is None else alt + p.betrag
    return soll, unbedingt


def _monatsende(jahr: int, monat: int) -> dt.date:
    return dt.date(jahr, 12, 31) if monat == 12 else dt.date(jahr, monat + 1, 1) - dt.timedelta(days=1)


def _monatsenden(jahr: int) -> list[dt.date]:
    """End of months 0..12 (month 0: the end of the previous year)."""
    return [dt.date(jahr - 1, 12, 31)] + [_monatsende(jahr, m) for m in range(1, 13)]


def _je_traeger(soll: Mapping[Key, Any]) -> dict[str | None, list[Key]]:
    je_traeger: dict[str | None, list[Key]] = {}
    for key in soll:
        je_traeger.setdefault(key[0], []).append(key)
    return je_traeger


def _soll_kurven_exakt(result: ModelResult, jahr: int) -> dict[Key, list[Decimal]]:
    """:func:`soll_kurven` in Decimals, one allocation per Träger and month (the reference the
    integer path :func:`_kurven_cent` equals; used where that path could overflow)."""
    soll, unbedingt = _jahres_soll(result)
    kurven: dict[Key, list[Decimal]] = {}
    for traeger, keys in _je_traeger(soll).items():
        raten = [r for r in result.zahlungsplan if traeger is not None and r.empfaenger == traeger]
        gewichte = [unbedingt.get(k, ZERO) for k in keys]
        if not raten or sum(gewichte, ZERO) == 0:
            gewichte = [ZERO] * len(keys)
            raten = []
        rest = [soll[k] - (unbedingt.get(k, ZERO) if raten else ZERO) for k in keys]
        for k in keys:
            kurven[k] = []
        for monat, ende in enumerate(_monatsenden(jahr)):
            faellig = sum((r.betrag for r in raten if r.faellig <= ende), ZERO)
            teile = allocate(faellig, gewichte) if faellig and raten else [ZERO] * len(keys)
            for k, teil, r in zip(keys, teile, rest, strict=True):
                kurven[k].append(teil + _cent(r * monat / 12))
    return kurven


def _in_cent(betrag: Decimal) -> int | None:
    """Whole cents of an amount (None for fractions of a cent)."""
    c = betrag.scaleb(2)
    return int(c) if c == c.to_integral_value() else None


def _in_cent_je(betraege: Mapping[Key, Any], je_wert: dict[Decimal, int | None]) -> dict[Key, int | None]:
    """``{k: _in_cent(v)}``, each distinct finite Decimal converted once (``je_wert``: the cents by
    value — they depend on the value only; thousands of rows share a few amounts)."""
    out: dict[Key, int | None] = {}
    for k, v in betraege.items():
        if type(v) is Decimal and v.is_finite():
            c = je_wert.get(v, -1)
            if c == -1 and v not in je_wert:
                c = je_wert[v] = _in_cent(v)
        else:
            c = _in_cent(v)
        out[k] = c
    return out


def _kurven_cent(
    result: ModelResult, jahr: int, jahres_soll: tuple[dict[Key, Decimal], dict[Key, Decimal]] | None = None
) -> tuple[dict[Key, int], np.ndarray] | None:
    """The curves of :func:`soll_kurven` as integer cents: (key → column, array 13 × keys) — the
    same parts (one allocation per Träger and distinct amount due, by the unconditional cents as
    weights: the same ratios), the rest pro rata rounded half up in integers. None when an amount
    is not in whole cents, a weight is negative, or the sums could leave int64 (then the exact
    Decimal path decides, also about every error). ``jahres_soll``: :func:`_jahres_soll` if known."""
    soll, unbedingt = jahres_soll or _jahres_soll(result)
    je_wert: dict[Decimal, int | None] = {}
    soll_c = _in_cent_je(soll, je_wert)
    unb_c = _in_cent_je(unbedingt, je_wert)
    werte = [*soll_c.values(), *unb_c.values()]
    if None in werte or min(unb_c.values(), default=0) < 0:  # type: ignore[type-var]
        return None
    enden = _monatsenden(jahr)
    faellig = _faellig_je_empfaenger(result.zahlungsplan, enden)
    if faellig is not None:  # every instalment in whole cents: its cents are the same bound
        raten_summe: Any = faellig[2]
    else:
        raten_summe = sum(abs(r.betrag) for r in result.zahlungsplan) * 100
    schranke = sum(map(abs, werte)) + raten_summe  # type: ignore[arg-type]
    if (schranke + len(soll)) * 12 >= 2**62:  # also rest × month below
        return None
    spalte = {k: i for i, k in enumerate(soll)}
    if faellig is None or int(np.abs(faellig[1]).max(initial=0)) > _MAX_CENT:
        # instalments in fractions of a cent, or sums beyond MAX_BETRAG (to_cents decides): each
        # month's sum of a Träger's instalments rounded to cents, one Träger after the other
        plan: dict[Any, list[Any]] = {}
        for r in result.zahlungsplan:
            plan.setdefault(r.empfaenger, []).append(r)
        return spalte, _kurven_je_traeger(
            soll, soll_c, unb_c, spalte, lambda t: _faellig_cent(plan[t], enden) if t in plan else None
        )
    zeile_von, matrix, _ = faellig
    return spalte, _kurven_je_traeger(
        soll, soll_c, unb_c, spalte, lambda t: matrix[zeile_von[t]] if t in zeile_von else None
    )


#: the cents of :data:`~sozbudget_xl.money.MAX_BETRAG` (``to_cents`` refuses more)
_MAX_CENT = 99_999_999_999_999


def _kurven_je_traeger(
    soll: Mapping[Key, Any],
    soll_c: Mapping[Key, Any],
    unb_c: Mapping[Key, Any],
    spalte: Mapping[Key, int],
    faellig_von: Any,
) -> np.ndarray:
    """The curves (13 × keys) per Träger: the rest pro rata, rounded half up away from zero, plus
    for a Träger with instalments and a positive unconditional amount the cents due by each month
    (``faellig_von(traeger)``: 13 cumulative cents, None without instalments; asked only then, in
    the Träger's order) split over its rows by their unconditional cents. Träger with one row
    are computed together at the end (a single row gets every cent due)."""
    kurven = np.zeros((13, len(soll)), dtype=np.int64)
    monate = np.arange(13, dtype=np.int64)[:, None]
    einzeln: list[tuple[int, int, Any]] = []  # one row: (column, rest, cents due or None)
    for traeger, keys in _je_traeger(soll).items():
        gewichte = [unb_c.get(k, 0) for k in keys]
        faellig = faellig_von(traeger) if traeger is not None and any(gewichte) else None
        rest = [soll_c[k] - (g if faellig is not None else 0) for k, g in zip(keys, gewichte)]
        if len(keys) == 1:
            einzeln.append((spalte[keys[0]], rest[0], faellig))
            continue
        spalten = [spalte[k] for k in keys]  # ascending (keys in the order of soll)
        zusammen = spalten[-1] - spalten[0] == len(spalten) - 1  # then computed in place
        anteile = _pro_rata(
            np.array(rest, dtype=np.int64),
            monate,
            kurven[:, spalten[0] : spalten[-1] + 1] if zusammen else None,
        )
        if faellig is not None:
            _faellige_teile(faellig, np.array(gewichte, dtype=np.int64), anteile)
        if not zusammen:
            kurven[:, spalten] = anteile
    if einzeln:
        anteile = _pro_rata(np.array([e[1] for e in einzeln], dtype=np.int64), monate)
        mit = [j for j, e in enumerate(einzeln) if e[2] is not None]
        if mit:
            anteile[:, mit] += np.array([einzeln[j][2] for j in mit], dtype=np.int64).T
        kurven[:, [e[0] for e in einzeln]] = anteile
    return kurven


def _pro_rata(rest: np.ndarray, monate: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """rest × month / 12 for months 0..12 (rows) in cents, rounded half up away from zero; month
    by month (no temporaries of 13 × rows: 5 MB each at 50.000 rows), into ``out`` if given."""
    betrag, vorzeichen = np.abs(rest), np.sign(rest)
    if out is None:
        out = np.empty((monate.shape[0], rest.size), dtype=np.int64)
    for m, monat in enumerate(monate[:, 0].tolist()):
        out[m] = vorzeichen * ((betrag * monat + 6) // 12)
    return out


def _faellig_je_empfaenger(
    raten: Sequence[Any], enden: Sequence[dt.date]
) -> tuple[dict[Any, int], np.ndarray, int] | None:
    """The cents due by the end of each month 0..12 per recipient, all instalments at once:
    (recipient → row, rows × 13 cumulative cents, sum of the instalments' absolute cents). The
    same numbers as :func:`_faellig_cent` per recipient when every instalment is a ``Decimal`` in
    whole cents due on a ``date`` (the sums are then exact); None otherwise. Amounts and dates
    are converted once per distinct value (a plan of thousands of rates has a few of each)."""
    if not raten:
        return {}, np.zeros((0, 13), dtype=np.int64), 0
    empfaenger = [r.empfaenger for r in raten]
    tage = [r.faellig for r in raten]
    betraege = [r.betrag for r in raten]
    try:
        zeile_von = {e: i for i, e in enumerate(dict.fromkeys(empfaenger))}
        cent_von = dict.fromkeys(betraege)
        monat_von = dict.fromkeys(tage)
    except TypeError:  # an unhashable value (a signalling NaN): the exact path decides
        return None
    if set(map(type, betraege)) != {Decimal} or set(map(type, tage)) != {dt.date}:
        return None
    for b in cent_von:
        c = _in_cent(b) if b.is_finite() else None
        if c is None:
            return None
        cent_von[b] = c
    for t in monat_von:
        monat_von[t] = bisect.bisect_left(enden, t)  # the first month whose end is ≥ the date
    summe = sum(map(abs, map(cent_von.__getitem__, betraege)))
    if summe * 12 >= 2**62:
        return None
    n = len(raten)
    zeilen = np.fromiter(map(zeile_von.__getitem__, empfaenger), dtype=np.intp, count=n)
    monate = np.fromiter(map(monat_von.__getitem__, tage), dtype=np.intp, count=n)
    cents = np.fromiter(map(cent_von.__getitem__, betraege), dtype=np.int64, count=n)
    faellig = np.zeros((len(zeile_von), 14), dtype=np.int64)  # month 13: after the year
    np.add.at(faellig, (zeilen, monate), cents)
    return zeile_von, np.cumsum(faellig, axis=1)[:, :13], summe


def _faellig_cent(raten: Sequence[Any], enden: Sequence[dt.date]) -> list[int]:
    """Cents of the instalments due by the end of each month 0..12 (cumulative)."""
    faellig = []
    for ende in enden:
        faellig.append(to_cents(sum((r.betrag for r in raten if r.faellig <= ende), ZERO)))
    return faellig


def _faellige_teile(faellig: Sequence[int], gewichte: np.ndarray, zu: np.ndarray | None = None) -> np.ndarray:
    """The cents due by each month split over a Träger's rows (13 × rows): each month's amount by
    the largest remainder as :func:`allocate_cents` splits it (ties: larger weight, then earlier
    row), each month over all rows at once; months with a negative amount (or sums near int64)
    by :func:`allocate_cents` itself. ``zu``: the parts are added to it (and it is returned)."""
    cent = np.asarray(faellig, dtype=np.int64)
    teile = np.zeros((len(faellig), gewichte.size), dtype=np.int64) if zu is None else zu
    summe = int(gewichte.sum())
    if summe <= 0:
        return teile
    if int(cent.min(initial=0)) < 0 or int(cent.max(initial=0)) * max(int(gewichte.max()), 1) >= 2**62:
        for m, c in enumerate(faellig):
            if c:
                teile[m] += np.asarray(allocate_cents(int(c), gewichte), dtype=np.int64)
        return teile
    # month by month (temporaries of one row each, not 13 × rows): rows by remainder (largest
    # first), then weight (largest first), then position; the first ``fehlend`` get a cent more
    position, minus_gewicht = np.arange(gewichte.size), -gewichte
    for m, c in enumerate(cent.tolist()):
        if c:
            teil, rest = np.divmod(c * gewichte, summe)
            fehlend = c - int(teil.sum())
            if fehlend:
                teil[np.lexsort((position, minus_gewicht, -rest))[:fehlend]] += 1
            teile[m] += teil
    return teile


def soll_kurven(result: ModelResult, jahr: int) -> dict[Key, list[Decimal]]:
    """Cumulative Soll per row at the end of months 0..12 (13 values): instalments due by then,
    split over the Träger's rows by their unconditional amounts, plus the rest pro rata."""
    schnell = _kurven_cent(result, jahr)
    if schnell is None:
        return _soll_kurven_exakt(result, jahr)
    spalte, cent = schnell
    spalten = cent.T.tolist()
    reihe = [k for keys in _je_traeger(spalte).values() for k in keys]  # by Träger, as the exact path
    return {k: [Decimal(c).scaleb(-2) for c in spalten[spalte[k]]] for k in reihe}


def _kurven_stand(
    result: ModelResult, jahr: int, stand: int, jahres_soll: Any = None
) -> tuple[dict[Key, Decimal], list[Decimal]]:
    """Soll bis Stand per row and the total Soll at the end of months 0..12."""
    schnell = _kurven_cent(result, jahr, jahres_soll)
    if schnell is not None:
        spalte, cent = schnell
        beim_stand = from_cents_je(cent[stand].tolist())  # 0,00 of 50.000 rows: one Decimal
        summen = [Decimal(int(s)).scaleb(-2) for s in cent.sum(axis=1).tolist()]
        return dict(zip(spalte, map(beim_stand.__getitem__, spalte.values()), strict=True)), summen
    kurven = _soll_kurven_exakt(result, jahr)
    summen = [sum((kv[m] for kv in kurven.values()), ZERO) for m in range(13)]
    return {k: kv[stand] for k, kv in kurven.items()}, summen


# ----------------------------------------------------------------------------- Ist


def _dieses_jahr(b: Buchung, jahr: int) -> bool:
    return b.jahr is None or b.jahr == jahr


def _monatswerte(buchungen: Iterable[Buchung]) -> dict[Key, list[Decimal]]:
    out: dict[Key, list[Decimal]] = {}
    for b in buchungen:
        out.setdefault((b.traeger, b.sozialraum), [ZERO] * 12)[b.monat - 1] += b.ausgaben
    return out


def _faelle(buchungen: Iterable[Buchung]) -> tuple[dict[Key, Decimal], dict[Key, Decimal]]:
    """Average monthly cases (one place) and the sum of Fachleistungsstunden per row."""
    je_monat: dict[Key, dict[int, Decimal]] = {}
    stunden: dict[Key, Decimal] = {}
    for b in buchungen:
        key = (b.traeger, b.sozialraum)
        if b.faelle is not None:
            m = je_monat.setdefault(key, {})
            m[b.monat] = m.get(b.monat, ZERO) + b.faelle
        if b.stunden is not None:
            stunden[key] = stunden.get(key, ZERO) + b.stunden
    schnitt = {
        k: (sum(m.values(), ZERO) / len(m)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        for k, m in je_monat.items()
    }
    return schnitt, stunden


def fallsoll(result: ModelResult) -> dict[Key, Decimal]:
    """Agreed case obligations of the result (a table with „Träger“ and „Fallverpflichtung“)."""
    out: dict[Key, Decimal] = {}
    for zeilen in result.tabellen.values():
        for z in zeilen or ():
            if isinstance(z, Mapping) and "Fallverpflichtung" in z and z.get("Träger"):
                wert = z["Fallverpflichtung"]
                if isinstance(wert, int | float | Decimal):
                    out[(z["Träger"], z.get("Sozialraum"))] = Decimal(str(wert))
    return out


def _fallsoll_fuer(key: Key, fs: Mapping[Key, Decimal], je_traeger: Mapping[Any, int]) -> Decimal | None:
    """The row's case obligation: its own, else its Träger's when the Träger has this one row
    (``je_traeger``: the number of rows of each Träger)."""
    if key in fs:
        return fs[key]
    if (key[0], None) in fs and je_traeger[key[0]] == 1:
        return fs[(key[0], None)]
    return None


# ----------------------------------------------------------------------------- Hinweise


def _zahl(x: Decimal) -> str:
    from ..formats import zahl

    return zahl(x, 0 if x == x.to_integral_value() else 1)


def _label(key: Key) -> str:
    return " / ".join(p for p in key if p) or "ohne Zuordnung"


def _hinweise(z: SollIstZeile, deckel: str | None, stand: int) -> list[Warnung]:
    key = (z.traeger, z.sozialraum)
    out: list[Warnung] = []
    if stand > 0 and z.jahres_soll > 0 and z.ist_bis == 0:
        out.append(Warnung(f"{_label(key)}: kein Ist gemeldet, gerechnet mit 0,00 €", "ist_fehlt", *key))
    if z.jahres_soll == 0 and z.ist_bis > 0:
        out.append(
            Warnung(
                f"{_label(key)}: Ausgaben von {_fmt(z.ist_bis)} ohne Budget (Soll 0,00 €)",
                "ist_ohne_soll",
                *key,
            )
        )
    if z.jahres_soll > 0 and stand > 0 and (ueber := z.prognose - z.jahres_soll) > 0:
        bereits = z.ist_bis > z.jahres_soll
        was = "überschritten" if bereits else "voraussichtlich überschritten (Prognose)"
        betrag = z.ist_bis - z.jahres_soll if bereits else ueber
        if deckel == "weich":
            text = (
                f"{_label(key)}: Planwert {was} um {_fmt(betrag)} – weicher Deckel (Gutachten 5.3): die "
                "Überschreitung wird berichtet, nicht gesperrt"
            )
            code = "deckel_weich"
        elif deckel == "hart":
            text = (
                f"{_label(key)}: Budget {was} um {_fmt(betrag)} – harter Deckel (Gutachten 5.2): der "
                "Trägerverbund muss die Überschreitung decken, oder sie wird als „unkalkulierbar, "
                "unvorhersehbar und unabweisbar“ schriftlich begründet (nachträgliche Anpassung)"
            )
            code = "deckel_hart"
        else:
            text = f"{_label(key)}: Jahres-Soll {was} um {_fmt(betrag)}"
            code = "ueberschreitung"
        out.append(Warnung(text, code, *key))
    if z.soll_faelle is not None and z.ist_faelle is not None and z.ist_faelle < z.soll_faelle:
        out.append(
            Warnung(
                f"{_label(key)}: Fallverpflichtung unterschritten: Ø {_zahl(z.ist_faelle)} statt "
                f"{_zahl(z.soll_faelle)} Fälle je Monat",
                "fallverpflichtung_unterschritten",
                *key,
            )
        )
    return out


# ----------------------------------------------------------------------------- main


def _summe(zeilen: Sequence[SollIstZeile]) -> SollIstZeile:
    def s(attr: str) -> Decimal:
        return sum(map(attrgetter(attr), zeilen), ZERO)

    def opt(attr: str) -> Decimal | None:
        werte = [w for w in map(attrgetter(attr), zeilen) if w is not None]
        return sum(werte, ZERO) if werte else None

    return SollIstZeile(
        "Summe", None, s("jahres_soll"), s("soll_bis"), s("ist_bis"), s("prognose"), "",
        opt("soll_faelle"), opt("ist_faelle"), opt("stunden"),
    )  # fmt: skip


def _monate(
    soll_summen: Sequence[Decimal],
    ist_monat: Mapping[Key, list[Decimal]],
    stand: int,
    summe: SollIstZeile,
    profil: Sequence[Decimal] | None,
) -> tuple[tuple[int, Decimal, Decimal | None, Decimal | None], ...]:
    gesamt_ist = [sum((m[i] for m in ist_monat.values()), ZERO) for i in range(12)]
    out = []
    for k in range(1, 13):
        soll_k = soll_summen[k]
        ist_k = sum(gesamt_ist[:k], ZERO) if k <= stand else None
        prog_k = None
        if stand > 0 and k >= stand:
            prog_k = _cent(summe.ist_bis + (summe.prognose - summe.ist_bis) * _kurve_anteil(stand, profil, k))
        out.append((k, soll_k, ist_k, prog_k))
    return tuple(out)


def _prognose_der_zeile(
    key: Key,
    ist_monat: Mapping[Key, list[Decimal]],
    vor_monat: Mapping[Key, list[Decimal]],
    stand: int,
    profil_gesamt: Sequence[Decimal] | None,
) -> tuple[Decimal, Decimal, str]:
    """(Ist bis Stand, Prognose, Prognoseart) of a row at a month ``stand`` > 0: by the row's own
    profile of last year when it has spending by then, else by the total's."""
    ist_bis = sum(ist_monat.get(key, [ZERO])[:stand], ZERO)
    eigen = vor_monat.get(key)
    profil = eigen if eigen and sum(eigen[:stand], ZERO) > 0 else profil_gesamt
    return (ist_bis, *prognose(ist_bis, stand, profil))


def _unvollstaendig(key: Key, monate: Sequence[Decimal] | None, stand: int) -> list[Warnung]:
    """The warning for a row whose last Ist is before the month ``stand`` (months missing)."""
    letzter = max((i + 1 for i, v in enumerate(monate or ()) if v), default=0)
    if not 0 < letzter < stand:
        return []
    return [
        Warnung(
            f"{_label(key)}: letzte Ist-Meldung für {MONATE[letzter - 1]}, "
            f"Stand ist {MONATE[stand - 1]} – "
            "Prognose und Ausschöpfung sind zu niedrig, bis die fehlenden Monate gemeldet sind",
            "ist_unvollstaendig",
            *key,
        )
    ]


def soll_ist_stand(
    result: ModelResult, buchungen: Iterable[Buchung], *, deckel: str | bool | None = True
) -> SollIstStand:
    """Soll/Ist of ``result``'s year with the bookings (rows of other years than the year and
    the previous year are ignored). ``deckel=True``: the model's own cap (:data:`DECKEL_JE_MODELL`)."""
    jahr = result.jahr
    if deckel is True:
        deckel = DECKEL_JE_MODELL.get(result.modell)
    buchungen = list(buchungen)
    jetzt = [b for b in buchungen if _dieses_jahr(b, jahr)]
    vorjahr = [b for b in buchungen if b.jahr == jahr - 1]
    stand = max((b.monat for b in jetzt), default=0)
    jahres_soll = _jahres_soll(result)
    soll = jahres_soll[0]
    soll_bis, soll_summen = _kurven_stand(result, jahr, stand, jahres_soll)
    ist_monat = _monatswerte(jetzt)
    vor_monat = _monatswerte(vorjahr)
    profil_gesamt = [sum((m[i] for m in vor_monat.values()), ZERO) for i in range(12)] if vor_monat else None
    schnitt, stunden = _faelle(jetzt)
    fs = fallsoll(result)
    keys = list(soll) + [k for k in ist_monat if k not in soll]
    zeilen_je_traeger = Counter(k[0] for k in keys)
    zeilen: list[SollIstZeile] = []
    warnungen: list[Warnung] = []
    for key in keys:
        if stand == 0:  # nothing known yet: the plan is the best estimate (no reserve, no overrun)
            ist_bis, prog, art = ZERO, soll.get(key, ZERO), "Plan (noch kein Ist)"
        else:
            ist_bis, prog, art = _prognose_der_zeile(key, ist_monat, vor_monat, stand, profil_gesamt)
            warnungen += _unvollstaendig(key, ist_monat.get(key), stand)
        z = _zeile((
            key[0], key[1], soll.get(key, ZERO), soll_bis.get(key, ZERO), ist_bis, prog, art,
            _fallsoll_fuer(key, fs, zeilen_je_traeger) if fs else None, schnitt.get(key), stunden.get(key),
        ))  # fmt: skip
        zeilen.append(z)
        if stand or z.soll_faelle is not None or not z.jahres_soll.is_finite():  # else none (no Ist)
            warnungen += _hinweise(z, deckel, stand)
    summe = _summe(zeilen)
    if stand == 0:
        warnungen.insert(0, Warnung(f"Für {jahr} ist noch kein Ist erfasst (Blatt „Ist“).", "kein_ist"))
    return SollIstStand(
        result.modell, jahr, stand, tuple(zeilen), summe,
        _monate(soll_summen, ist_monat, stand, summe, profil_gesamt), tuple(warnungen), deckel,
        profil_gesamt is not None, {k: sum(v, ZERO) for k, v in ist_monat.items()},
    )  # fmt: skip
