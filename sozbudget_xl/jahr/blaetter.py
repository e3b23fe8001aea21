"""Output sheets „Soll-Ist“, „Soll-Ist Verlauf“ and „Jahresabschluss“ (issue 16), and the provider
:func:`jahresblaetter` that recalc calls when a workbook has the sheet „Ist“.

The sheets are :class:`~sozbudget_xl.workbook.schema.Blatt` s: number formats from units (€,
percent, cases, hours), header fill, bold Summe row, print setup — like the other output sheets.
„Soll-Ist“ ends with the block „Budget nach Träger: Soll und Ist“ that its bar chart reads (the
writer moves the chart's ranges to the block's rows); „Soll-Ist Verlauf“ always has the same 13
rows (the cumulative curve's line chart reads them).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from itertools import groupby
from operator import attrgetter
from typing import Any

from ..controlling import Zeile
from ..einheiten import Einheit as E
from ..ergebnis import Warnung
from ..money import ZERO
from .abschluss import Abschluss, Konto
from .ist import MONATE, Buchung

__all__ = [
    "ABSCHLUSS",
    "DIAGRAMM_TITEL",
    "SOLL_IST",
    "VERLAUF",
    "VORTRAEGE",
    "abschlussblatt",
    "jahresblaetter",
    "jahresstand",
    "lies_jahresdaten",
    "soll_ist_blatt",
    "verlaufsblatt",
    "vortragsblatt",
]

SOLL_IST = "Soll-Ist"
VERLAUF = "Soll-Ist Verlauf"
ABSCHLUSS = "Jahresabschluss"
VORTRAEGE = "Vorträge"
DIAGRAMM_TITEL = "Budget nach Träger: Soll und Ist bis zum Stand"
KOPF_SOLL_IST = (
    "Träger", "Sozialraum", "Jahres-Soll", "Soll bis Stand", "Ist bis Stand", "Differenz (Soll − Ist)",
    "Ausschöpfung", "Soll-Fälle", "Ist-Fälle (Ø Monat)", "Fachleistungsstunden", "Prognose Jahresende",
    "Prognoseart", "Jahres-Soll − Prognose",
)  # fmt: skip
_EINH_SOLL_IST = (None, None, E.EURO, E.EURO, E.EURO, E.EURO, E.ANTEIL, E.ANZAHL, E.ANZAHL, E.STUNDEN,
                  E.EURO, None, E.EURO)  # fmt: skip
KOPF_VERLAUF = ("Monat", "Soll kumuliert", "Ist kumuliert", "Prognose kumuliert")
KOPF_VORTRAEGE = ("Konto", "Träger", "Anfangsbestand", "aus Jahr")
KOPF_KONTEN = ("Konto", "Träger", "Anfangsbestand", "Zugang", "Abgang", "Endbestand")


def _blatt() -> Any:
    from ..workbook.schema import Blatt

    return Blatt()


#: the cell 0,00 of every row (most rows of a large Soll-Ist have Ist, differences or overruns of
#: zero): one float object for all of them, not one per cell (issue 15)
_NULL = 0.0


def _zahl(x: Decimal) -> float:
    """Decimal → float; a zero without sign is the shared :data:`_NULL` (-0 stays its own)."""
    return float(x) if x or x.is_signed() else _NULL


def _f(x: Any) -> Any:
    """Decimal → float for the writer (cents stay exact in binary as far as Excel shows)."""
    if isinstance(x, Decimal):
        return _zahl(x)
    return x  # None stays an empty cell (a line chart leaves a gap, never a zero)


class _Floats(dict):  # type: ignore[type-arg]
    """Decimal → float of the cells of one sheet, one float per distinct value (equal Decimals give
    equal floats): Soll and Prognose of a row, and rows of equal amounts, share theirs. Only finite
    non-zero Decimals are keys (0 and -0 are equal keys, but -0 stays its own float)."""

    __slots__ = ()

    def __missing__(self, wert: Decimal) -> float:
        f = self[wert] = float(wert)
        return f


def _zellen(werte: Sequence[Any], summe: bool, floats: dict[Decimal, float]) -> list[Any]:
    """Cells for the writer (:func:`_f` of each value); a blank in a total row shows „–“ (the row is
    bold to its end, the same in a new workbook and after every recalculation). ``floats``: a
    :class:`_Floats` of the sheet, so that equal non-zero amounts are one float object."""
    leer = "–" if summe else None  # amounts (most cells) first
    return [
        ((floats[w] if w.is_finite() else float(w)) if w else _zahl(w))
        if type(w) is Decimal
        else leer
        if w is None or w == ""
        else _f(w)
        for w in werte
    ]


def _hinweise(blatt: Any, warnungen: Iterable[Warnung]) -> None:
    warnungen = list(warnungen)
    blatt.zeile([])
    blatt.zeile(["Hinweise"], art="titel")
    for w in warnungen or [Warnung("keine")]:
        blatt.zeile([w.text])


def soll_ist_blatt(stand: Any) -> Any:
    """The sheet „Soll-Ist“ of a :class:`~.sollist.SollIstStand`."""
    b = _blatt()
    summe = stand.summe
    weg = set()  # columns without any value: cases (models without an obligation), hours
    if summe.soll_faelle is None and summe.ist_faelle is None:
        weg |= {7, 8}
    if summe.stunden is None:
        weg.add(9)
    spalten = [i for i in range(len(KOPF_SOLL_IST)) if i not in weg]
    einheiten = [_EINH_SOLL_IST[i] for i in spalten]  # the same for every row
    b.zeile([KOPF_SOLL_IST[i] for i in spalten], art="kopf")
    floats = _Floats()
    hole = attrgetter(*[_ATTRIBUTE_SOLL_IST[i] for i in spalten[1:]])  # column 0 (Träger) is kept
    b.zeilen(
        (_zellen([z.traeger or "Jugendamt / ohne Zuordnung", *hole(z)], False, floats) for z in stand.zeilen),
        einheiten,
    )
    werte = _soll_ist_werte(summe, summe.traeger or "Summe")
    arten = {x.prognoseart for x in stand.zeilen}
    werte[1] = "alle"
    werte[11] = arten.pop() if len(arten) == 1 else ("gemischt" if arten else None)
    b.zeile(_zellen([werte[i] for i in spalten], True, floats), einheiten, art="summe")
    b.zeile([])
    monat = MONATE[stand.stand - 1] if stand.stand else "–"
    profil = "mit dem Saisonprofil des Vorjahres" if stand.vorjahr_profil else "linear"
    deckel = {"weich": "weicher Deckel (Planwerte, Gutachten 5.3)", "hart": "harter Deckel (Gutachten 5.2)"}
    b.zeile([f"Stand: {monat} {stand.jahr} ({stand.stand} von 12 Monaten); Prognose {profil}"
             + (f"; {deckel[stand.deckel]}" if stand.deckel else "")], art="titel")  # fmt: skip
    b.zeile([])
    b.zeile([DIAGRAMM_TITEL], art="titel")
    b.zeile(["Träger", "Soll bis Stand", "Ist bis Stand", "Prognose Jahresende"], art="kopf")
    for t, soll, ist, prog in stand.nach_traeger():
        b.zeile([t, _f(soll), _f(ist), _f(prog)], (None, E.EURO, E.EURO, E.EURO))
    _hinweise(b, stand.warnungen)
    return b.gestalte()


#: the attributes of a :class:`~.sollist.SollIstZeile` shown in the columns :data:`KOPF_SOLL_IST`
_ATTRIBUTE_SOLL_IST = (
    "traeger", "sozialraum", "jahres_soll", "soll_bis", "ist_bis", "differenz", "ausschoepfung",
    "soll_faelle", "ist_faelle", "stunden", "prognose", "prognoseart", "prognose_abweichung",
)  # fmt: skip


def _soll_ist_werte(z: Any, traeger: str) -> list[Any]:
    """The 13 values of a row of „Soll-Ist“ (:data:`KOPF_SOLL_IST`), ``traeger`` in the first."""
    return [traeger, *attrgetter(*_ATTRIBUTE_SOLL_IST[1:])(z)]


def verlaufsblatt(stand: Any) -> Any:
    """The sheet „Soll-Ist Verlauf“: 12 months, cumulative Soll, Ist and forecast (fixed rows)."""
    b = _blatt()
    b.zeile(KOPF_VERLAUF, art="kopf")
    for k, soll, ist, prog in stand.monate:
        b.zeile([MONATE[k - 1], _f(soll), _f(ist), _f(prog)], (None, E.EURO, E.EURO, E.EURO))
    return b.gestalte()


def abschlussblatt(a: Abschluss) -> Any:
    """The sheet „Jahresabschluss“: the model's settlement, the rule, reserves and funds."""
    b = _blatt()
    b.zeile(a.spalten, art="kopf")
    # rows of the same units and kind in one go (their number formats column by column)
    for (_, art), gleiche in groupby(_abschlusszeilen(a), key=lambda t: (id(t[0]), t[1])):
        gleiche = list(gleiche)
        b.zeilen([zellen for _, _, zellen in gleiche], gleiche[0][0], art)
    b.zeile([])
    status = "vorläufig (Jahresende geschätzt)" if a.vorlaeufig else "endgültig (Ist aller 12 Monate)"
    b.zeile([f"Jahresabschluss {a.jahr}: {status}"], art="titel")
    b.zeile([a.regel])
    b.zeile([])
    b.zeile(["Rücklagen und Fonds (Endbestand = Anfangsbestand des Folgejahres)"], art="titel")
    b.zeile(KOPF_KONTEN, art="kopf")
    for k in a.konten:
        b.zeile([k.name, k.traeger, _f(k.anfang), _f(k.zugang), _f(k.abgang), _f(k.ende)],
                (None, None, E.EURO, E.EURO, E.EURO, E.EURO))  # fmt: skip
    if not a.konten:
        b.zeile(["keine (das Gutachten nennt für dieses Modell keine Rücklage)"])
    _hinweise(b, a.warnungen)
    return b.gestalte()


def _abschlusszeilen(a: Abschluss) -> Iterator[tuple[list[E | None], str | None, list[Any]]]:
    """(units, kind, cells) of each row of the settlement table; rows of the same units share
    one list of them."""
    einheit_je: dict[tuple[str, bool], E | None] = {}  # by (name, amount or not): a few distinct
    # a row's units follow from its position (if any) and which cells are amounts: once per kind
    # (looked up by the cells' types, which decide that)
    je_art: dict[tuple[str | None, tuple[type, ...]], list[E | None]] = {}
    floats = _Floats()
    eigene: dict[int, bool] = {}  # id of a row's shared columns → whether they are a.spalten
    i_traeger, i_position = (a.spalten.index(s) if s in a.spalten else None for s in ("Träger", "Position"))
    for z in a.zeilen:
        werte = _eigene_werte(z, a.spalten, eigene)
        if werte is None:
            werte = [z.get(s) for s in a.spalten]
            summe = z.get("Träger") == "Summe"
            position = str(z["Position"]) if "Position" in z else None
        else:  # the row's own values: „Träger“ and „Position“ where a.spalten has them
            summe = i_traeger is not None and werte[i_traeger] == "Summe"
            position = None if i_position is None else str(werte[i_position])
        art = (position, tuple(map(type, werte)))
        einheiten = je_art.get(art)
        if einheiten is None:
            einheiten = je_art[art] = []
            for s, w in zip(a.spalten, werte, strict=True):
                schluessel = (art[0] if art[0] is not None else str(s), isinstance(w, Decimal))
                if schluessel not in einheit_je:
                    einheit_je[schluessel] = _einheit(schluessel[0], w)
                einheiten.append(einheit_je[schluessel])
        yield einheiten, "summe" if summe else None, _zellen(werte, summe, floats)


def _eigene_werte(z: Mapping[str, Any], spalten: tuple[str, ...], eigene: dict[int, bool]) -> Any:
    """The values of a :class:`~sozbudget_xl.controlling.Zeile` whose columns are ``spalten``
    (``[z.get(s) for s in spalten]``, without a lookup per cell); None for any other row.
    ``eigene`` remembers each shared column dict, by id (the rows hold them while the sheet is
    built)."""
    if type(z) is not Zeile:
        return None
    index = z.spalten
    passt = eigene.get(id(index))
    if passt is None:
        passt = eigene[id(index)] = tuple(index) == spalten
    return z.werte if passt else None


def _einheit(name: str, wert: Any) -> E | None:
    """Unit of a cell of the settlement table by its column (or, in a Position/Betrag table, its
    position): shares as percent, amounts in euro."""
    if isinstance(wert, Decimal) and ("Ausschöpfung" in name or "Erfüllungsgrad" in name):
        return E.ANTEIL
    if isinstance(wert, Decimal):
        return E.EURO
    return None


def vortragsblatt(konten: Iterable[Konto], jahr: int, vereinbart: Iterable[Konto] = ()) -> Any:
    """The sheet „Vorträge“ of the next year's workbook: closing balances as opening balances, then
    agreements of the new year (``vereinbart``, e.g. Stuttgart's agreed budget for the Revision)."""
    b = _blatt()
    b.zeile(KOPF_VORTRAEGE, art="kopf")
    for k in konten:
        b.zeile([k.name, k.traeger, _f(k.ende), jahr], (None, None, E.EURO, E.JAHR))
    for k in vereinbart:
        b.zeile([k.name, k.traeger, _f(k.anfang), jahr], (None, None, E.EURO, E.JAHR))
    return b.gestalte()


def _vortraege(zeilen: Iterable[Sequence[Any]]) -> list[Konto]:
    from ..errors import MehrereFehler, SozbudgetError
    from ..parsing import Ungueltig, als_text, konvertiere, leer

    out: list[Konto] = []
    fehler: list[SozbudgetError] = []
    for i, z in enumerate(zeilen, start=1):
        if i == 1 or not z or leer(z[0]):
            continue
        try:
            betrag = ZERO if len(z) < 3 or leer(z[2]) else konvertiere("betrag", z[2], negativ=True)
        except Ungueltig as exc:
            fehler.append(exc.klasse(exc.meldung, sheet=VORTRAEGE, cell=f"C{i}", found=exc.found))
            continue
        out.append(Konto(als_text(z[0]), als_text(z[1]) if len(z) > 1 and not leer(z[1]) else "", betrag))
    if fehler:
        raise MehrereFehler(fehler)
    return out


def lies_jahresdaten(pfad: str | os.PathLike[str]) -> tuple[list[Buchung] | None, list[Konto]]:
    """The bookings of „Ist“ (``None``: no such sheet) and the opening balances of „Vorträge“."""
    import warnings

    import openpyxl

    from .ist import BLATT, buchungen_aus_zeilen

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(str(pfad), read_only=True, data_only=True)
    try:
        if BLATT not in wb.sheetnames:
            return None, []
        buchungen = buchungen_aus_zeilen(wb[BLATT].iter_rows(values_only=True))
        vortraege = (
            _vortraege(wb[VORTRAEGE].iter_rows(values_only=True)) if VORTRAEGE in wb.sheetnames else []
        )
        return buchungen, vortraege
    finally:
        wb.close()


def _aus_gelesener_mappe(mappe: Any) -> tuple[list[Buchung] | None, list[Konto]] | None:
    """„Ist“ and „Vorträge“ from the workbook recalc has already read (``io.Mappendaten``), streamed
    without loading it again; ``None`` when that is not possible (then :func:`lies_jahresdaten`)."""
    from .ist import BLATT, buchungen_aus_zeilen

    blaetter, blattwerte = getattr(mappe, "blaetter", None), getattr(mappe, "blattwerte", None)
    if not isinstance(blaetter, list) or blattwerte is None:
        return None
    if BLATT not in blaetter:
        return None, []
    ist = blattwerte(BLATT)
    vortraege = blattwerte(VORTRAEGE) if VORTRAEGE in blaetter else []
    if ist is None or vortraege is None:
        return None
    return buchungen_aus_zeilen(ist), _vortraege(vortraege)


def jahresstand(b: Any) -> tuple[Any, Abschluss] | None:
    """Soll/Ist and Jahresabschluss of a computed workbook ``b`` (``b.pfad``, ``b.ergebnis``);
    None when it has no sheet „Ist“."""
    from .abschluss import jahresabschluss
    from .sollist import soll_ist_stand

    gelesen = _aus_gelesener_mappe(getattr(b, "mappe", None))
    buchungen, vortraege = lies_jahresdaten(b.pfad) if gelesen is None else gelesen
    if buchungen is None:
        return None
    stand = soll_ist_stand(b.ergebnis, buchungen)
    return stand, jahresabschluss(b.ergebnis, stand, buchungen, vortraege)


def jahresblaetter(b: Any) -> dict[str, Any]:
    """Provider for recalc (:func:`~sozbudget_xl.workbook.recalc.zusatzblaetter`): the sheets
    „Soll-Ist“, „Soll-Ist Verlauf“ and „Jahresabschluss“ when the workbook has the sheet „Ist“."""
    jetzt = jahresstand(b)
    if jetzt is None:
        return {}
    stand, a = jetzt
    del jetzt  # each is freed when its sheets are built (a row per Träger × Sozialraum each)
    blaetter = {SOLL_IST: soll_ist_blatt(stand), VERLAUF: verlaufsblatt(stand)}
    del stand
    blaetter[ABSCHLUSS] = abschlussblatt(a)
    return blaetter
