"""Contracts kept in the workbook, and annexes/settlements from a workbook file (adapter).

* The sheet „Verträge“ lists every contract once: Vertragsnummer, Träger, Sozialraum, party,
  the Träger's address and signatory. ``sozbudget recalc`` writes it (:func:`vertragsblatt`),
  keeping every number and every text the user entered; new contracts get the next free
  numbers, contracts that disappeared stay listed („nicht mehr im Ergebnis“), so numbers are
  never reused or shifted.
* Below the list, recalc stores the fingerprint of the inputs it computed from. ``annex``
  compares it with the workbook's current inputs and refuses stale results
  (:class:`VeraltetFehler`), unless told otherwise.
* :func:`dokumente_aus_mappe` renders the annexes (``art="plan"``) or settlements
  (``art="abrechnung"``) of a workbook and says which rows got no annex and why.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import vertraege as _vertraege
from .errors import SozbudgetError

__all__ = [
    "BLATT",
    "Buchberechnung",
    "Dokumentenlauf",
    "VeraltetFehler",
    "dokumente",
    "dokumente_aus_mappe",
    "lies_vertragsblatt",
    "vertragsblatt",
    "vertragsblatt_aus_zeilen",
]

BLATT = "Verträge"
KOPF = (
    "Vertragsnummer",
    "Träger",
    "Sozialraum",
    "Vertragspartei",
    "Anschrift des Trägers",
    "Unterzeichnet für den Träger",
    "Stand",
)
PRUEFSUMME = "Prüfsumme (nicht ändern)"
#: the label of workbooks recalculated before the sheet got its print layout (still read)
_PRUEFSUMME_ALT = "Prüfsumme der Eingaben bei der letzten Neuberechnung (nicht ändern)"
#: notes below the list, one short line each (a block title: printed over the empty cells beside it)
HINWEIS = (
    "Vertragsnummern, Anschriften und Unterzeichner hier pflegen: sozbudget übernimmt sie bei jeder "
    "Neuberechnung.",
    "Neue Verträge bekommen die nächste freie Nummer; keine Nummer wird neu vergeben. Anschriften: "
    "Zeilen mit „;“ trennen.",
    "Die Prüfsumme hält die Eingaben der letzten Neuberechnung fest: „sozbudget annex“ lehnt veraltete "
    "Ergebnisse ab.",
)
_IM_ERGEBNIS = "im Ergebnis"
_NICHT_MEHR = "nicht mehr im Ergebnis"


@dataclass(frozen=True)
class Buchberechnung:
    """A live book of the macros, read and computed: the fields of :class:`~sozbudget_xl.workbook.
    recalc.Berechnung` (that module needs openpyxl, which xlwings Lite does not have); ``mappe``
    holds the book's „Verträge“ sheet as ``mappe.vertragsblatt``."""

    pfad: Path
    modul: Any
    eingabe: Any
    parameter: Any
    ergebnis: Any
    mappe: Any

    @property
    def mappen_parameter(self) -> dict[str, Any]:
        return dict(self.mappe.parameter)


class VeraltetFehler(SozbudgetError):
    """The workbook's inputs changed since its results were last computed."""


@dataclass
class Vertragsblatt:
    """What the sheet „Verträge“ holds: rows by contract key, and the stored fingerprint."""

    #: contract key → the row (column → text; read-only, compact: 50.000 rows keep every field)
    zeilen: dict[tuple[str, str | None], Mapping[str, str]] = field(default_factory=dict)
    pruefsumme: str | None = None
    vorhanden: bool = False

    def nummern(self) -> dict[tuple[str, str | None], str]:
        return {k: z.get("Vertragsnummer", "") for k, z in self.zeilen.items()}


def _text(wert: Any) -> str:
    if isinstance(wert, float) and wert.is_integer():  # a number typed in Excel reads back as 7.0
        wert = int(wert)
    return "" if wert is None else str(wert).strip()


def vertragsblatt_aus_zeilen(zeilen: Iterable[Sequence[Any]]) -> Vertragsblatt:
    """The contents of the sheet „Verträge“ from its rows (file or live book alike)."""
    from .ergebnis import Zeile

    blatt = Vertragsblatt(vorhanden=True)
    spalten: list[str] | None = None
    geteilt: dict[tuple[str, ...], dict[str, int]] = {}  # the column dict shared by the rows
    ganz: _GanzeZeilen | None = None
    for zeile in zeilen:
        # a text as it is read (nearly every cell) stripped at once, the rest through _text
        werte = [w.strip() if type(w) is str else _text(w) for w in zeile or ()]
        if werte and werte[0] in (PRUEFSUMME, _PRUEFSUMME_ALT):
            blatt.pruefsumme = (werte[1] if len(werte) > 1 else "") or None
        elif spalten is None:
            if werte and werte[0] == KOPF[0]:
                spalten = werte
                ganz = _GanzeZeilen.fuer(spalten, geteilt)
        elif ganz is not None and len(werte) == len(spalten):
            if traeger := werte[ganz.traeger]:  # a row as long as the header: no dict per row
                sozialraum = werte[ganz.sozialraum] if ganz.sozialraum is not None else None
                blatt.zeilen[(traeger, sozialraum or None)] = Zeile(ganz.index, werte)
        elif any(werte):
            z = dict(zip(spalten, werte, strict=False))
            if z.get("Träger"):
                blatt.zeilen[(z["Träger"], z.get("Sozialraum") or None)] = Zeile.aus(z, geteilt)
    return blatt


@dataclass(frozen=True)
class _GanzeZeilen:
    """For the rows as long as the header (of distinct names with „Träger“): the shared column
    dict and the positions of „Träger“ and „Sozialraum“ — what ``Zeile.aus`` of the row's dict
    would give."""

    index: dict[str, int]
    traeger: int
    sozialraum: int | None

    @classmethod
    def fuer(cls, spalten: list[str], geteilt: dict[tuple[str, ...], dict[str, int]]) -> _GanzeZeilen | None:
        if len(set(spalten)) != len(spalten) or "Träger" not in spalten:
            return None
        index = geteilt.setdefault(tuple(spalten), {n: i for i, n in enumerate(spalten)})
        return cls(index, index["Träger"], index.get("Sozialraum"))


def lies_vertragsblatt(pfad: str | os.PathLike[str]) -> Vertragsblatt:
    """Read the sheet „Verträge“ of a workbook (empty when it has none)."""
    import warnings

    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(str(pfad), read_only=True, data_only=True)
    try:
        if BLATT not in wb.sheetnames:
            return Vertragsblatt()
        return vertragsblatt_aus_zeilen(wb[BLATT].iter_rows(values_only=True))
    finally:
        wb.close()


def _altes_blatt(b: Any) -> Vertragsblatt:
    """The sheet as the workbook holds it: read with the workbook when its reader did (a live book
    of the macros: ``b.mappe.vertragsblatt``), else from the file ``b.pfad``."""
    alt = getattr(b.mappe, "vertragsblatt", None)
    return alt if isinstance(alt, Vertragsblatt) else lies_vertragsblatt(b.pfad)


def vertragsblatt(b: Any) -> dict[str, Any]:
    """The sheet „Verträge“ for a computed workbook ``b`` (:class:`~sozbudget_xl.workbook.recalc.
    Berechnung`): existing rows and numbers kept, new contracts numbered, the inputs' fingerprint
    below. Returned as ``{sheet: rows}`` for the writer (a laid-out :class:`~sozbudget_xl.workbook.
    schema.Blatt`: header row, wrapped long texts)."""
    result = b.ergebnis
    alt = _altes_blatt(b)
    schluessel = _vertraege.schluessel(result)
    nummern = _vertraege.naechste_nummern(
        [*alt.zeilen, *schluessel], alt.nummern(), result.jahr, result.modell
    )
    partei = _vertraege.partei_name(result)
    from .workbook.schema import Blatt

    blatt = Blatt()
    blatt.zeile(KOPF, art="kopf")
    im_ergebnis = set(schluessel)  # linear: a list lookup per row was quadratic (issue 15)
    leer: dict[str, str] = {}
    for k in dict.fromkeys([*alt.zeilen, *schluessel]):
        z = alt.zeilen.get(k, leer)
        stand = _IM_ERGEBNIS if k in im_ergebnis else _NICHT_MEHR
        blatt.zeile(
            [
                nummern[k],
                k[0],
                k[1] or "",
                z.get("Vertragspartei") or (partei if partei != k[0] else ""),
                z.get("Anschrift des Trägers", ""),
                z.get("Unterzeichnet für den Träger", ""),
                stand,
            ]
        )
    blatt.zeile([])
    for text in HINWEIS:
        blatt.zeile([text], art="titel")
    blatt.zeile([PRUEFSUMME, _fingerabdruck(b)])
    return {BLATT: blatt.gestalte()}


def _fingerabdruck(b: Any) -> str:
    return _vertraege.fingerabdruck(b.eingabe, b.parameter, b.modul.NAME)


# --------------------------------------------------------------------------- documents


@dataclass
class Dokumentenlauf:
    """What one workbook's run produced: the files and the notes for the summary."""

    dateien: list[Path]
    hinweise: list[str]


def _pruefe_aktuell(b: Any, blatt: Vertragsblatt, trotz_veraltet: bool, makro: bool = False) -> list[str]:
    """German notes, or a :class:`VeraltetFehler` when the inputs changed since the last recalc
    (``makro``: the advice names the menu command instead of the command line)."""
    name = b.pfad.name
    neu = "„Neu berechnen“" if makro else "„sozbudget recalc“"
    if blatt.pruefsumme is None:
        return [
            f"„{name}“ wurde noch nicht mit {neu} berechnet: Vertragsnummern sind vorläufig, "
            "ob die Ergebnisblätter zu den Eingaben passen, ist nicht geprüft"
        ]
    if blatt.pruefsumme == _fingerabdruck(b):
        return []
    text = (
        f"Die Eingaben der Arbeitsmappe „{name}“ wurden nach der letzten Neuberechnung geändert; "
        "die Blätter „Ergebnis“ und „Zahlungsplan“ zeigen noch die alten Beträge"
    )
    if trotz_veraltet:
        return [text + " (Dokumente trotzdem erzeugt, Option --trotz-veraltet)"]
    if makro:
        raise VeraltetFehler(text + ". Bitte zuerst „Neu berechnen“ ausführen.")
    raise VeraltetFehler(
        text
        + f". Bitte zuerst „sozbudget recalc {name} --inplace“ ausführen (oder --trotz-veraltet angeben)."
    )


def _parteien(b: Any, blatt: Vertragsblatt) -> dict[str, Any]:
    from .annex import Partei

    p = {str(k).strip(): _text(v) for k, v in b.mappen_parameter.items()}
    jugendamt = Partei(
        p.get("Jugendamt") or "Jugendamt",
        "\n".join(z.strip() for z in p.get("Anschrift des Jugendamts", "").split(";")),
        p.get("Unterzeichnet für das Jugendamt", ""),
    )
    gk = p.get("Gebietskörperschaft") or None
    anschriften: dict[str, str] = {}
    unterzeichner: dict[str, str] = {}
    for (traeger, _), z in blatt.zeilen.items():
        if z.get("Anschrift des Trägers") and traeger not in anschriften:
            anschriften[traeger] = "\n".join(s.strip() for s in z["Anschrift des Trägers"].split(";"))
        if z.get("Unterzeichnet für den Träger") and traeger not in unterzeichner:
            unterzeichner[traeger] = z["Unterzeichnet für den Träger"]
    ort = (gk or "").replace("Stadt ", "").replace("Landkreis ", "").strip()
    return {
        "jugendamt": jugendamt,
        "gebietskoerperschaft": gk,
        "anschriften": anschriften,
        "unterzeichner": unterzeichner,
        "ort": ort,
    }


def dokumente_aus_mappe(
    datei: str | os.PathLike[str], out_dir: str | os.PathLike[str], *, art: str = "plan", **optionen: Any
) -> Dokumentenlauf:
    """Render the annexes (``art="plan"``) or settlements (``"abrechnung"``) of a workbook into
    ``out_dir`` (``optionen``: ``formate``, ``templates_dir``, ``trotz_veraltet`` of
    :func:`dokumente`). Refuses a workbook whose inputs changed since the last recalc
    (:class:`VeraltetFehler`) unless ``trotz_veraltet``."""
    from .workbook.recalc import berechne_mappe

    if art not in ("plan", "abrechnung"):
        raise SozbudgetError("unbekannte Dokumentart", field="--art", expected="plan, abrechnung", found=art)
    return dokumente(berechne_mappe(datei), out_dir, art=art, **optionen)


def dokumente(
    b: Any,
    out_dir: str | os.PathLike[str],
    *,
    formate: Iterable[str] = ("docx", "html"),
    templates_dir: str | os.PathLike[str] | None = None,
    art: str = "plan",
    trotz_veraltet: bool = False,
    makro: bool = False,
) -> Dokumentenlauf:
    """The documents of a computed workbook ``b`` (file or live book of the macros, see
    :func:`_altes_blatt`): contract numbers, addresses and signatories from „Verträge“, parties
    from „Parameter“, stale results refused."""
    from .annex import alle_anlagen, vertraege

    blatt = _altes_blatt(b)
    hinweise = _pruefe_aktuell(b, blatt, trotz_veraltet, makro)
    kw = _parteien(b, blatt)
    liste = vertraege(b.ergebnis, nummern=blatt.nummern(), **kw)
    hinweise += [a.text() for a in _vertraege.ausgeschlossen(b.ergebnis)]
    from .abrechnung import jahresabschluss_der_mappe  # settlement: the year's Ist (issue 16)

    with jahresabschluss_der_mappe(b) if art == "abrechnung" else contextlib.nullcontext():
        dateien = alle_anlagen(
            b.ergebnis, liste, Path(out_dir), formate=formate, templates_dir=templates_dir, art=art
        )
    return Dokumentenlauf(dateien, hinweise)
