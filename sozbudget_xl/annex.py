"""Contract annexes (Vertragsanlagen), domain spec §6.

One annex per contract (Träger × Sozialraum × Haushaltsjahr): parties, term, model and
source, a budget table with every line item and its condition, totals that equal the
budget, the payment plan, bonus indicators, reserve rule, revision clause, reporting
duties and a signature block.

* :func:`vertraege` lists the contracts present in a :class:`ModelResult`;
* :func:`kontext` builds the template context from a result; the plan (the annex agreed before
  the year) comes from the model's plan view (:func:`sozbudget_xl.vertraege.planansicht`: the
  model re-run once with its declared facts of the year set to their plan values), the
  settlement from the result as it is; amounts stay ``Decimal``, the templates format them
  with the filters of :mod:`sozbudget_xl.formats` (``betrag``, ``prozent``, ``zahl``, ``datum``) and
  ``formatiere(wert, format)``;
* :func:`render_html`, :func:`render_docx`, :func:`render_pdf` render it. Templates run
  in a Jinja sandbox with autoescaping and ``StrictUndefined``: user text such as
  ``<script>`` or ``{{ 7*7 }}`` appears literally, and a template that reaches for Python
  internals fails with a German :class:`AnnexFehler`.

>>> from decimal import Decimal
>>> from sozbudget_xl.models.base import LineItem, ModelResult
>>> r = ModelResult("kgst", "Beispiel", 2026,
...     (LineItem("Sockelbetrag", Decimal("1000.00"), traeger="Caritas", sozialraum="Altstadt"),),
...     Decimal("1000.00"))
>>> [(v.traeger.name, v.sozialraum) for v in vertraege(r, jugendamt="Jugendamt Musterstadt")]
[('Caritas', 'Altstadt')]
>>> ctx = kontext(r, vertraege(r, jugendamt="Jugendamt Musterstadt")[0])
>>> ctx["summe"]
Decimal('1000.00')
>>> dateiname(vertraege(r, jugendamt="Jugendamt Musterstadt")[0], "docx")
'Vertragsanlage_2026_Caritas_Altstadt.docx'
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import itertools
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unicodedata
from collections.abc import Iterable, Mapping, MutableSet
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import vertraege as _vertraege
from . import vertragstexte
from .einheiten import Einheit
from .ergebnis import Art, LineItem, ModelResult
from .errors import SozbudgetError
from .formats import JINJA_FILTERS, betrag, parse_datum, prozent, zahl
from .money import ZERO
from .spec import Ausgabetabelle, Deklaration

__all__ = [
    "VORLAGEN_VERZEICHNIS",
    "AnnexFehler",
    "Bonusindikator",
    "Partei",
    "Vertrag",
    "alle_anlagen",
    "dateiname",
    "formatiere",
    "kontext",
    "render_docx",
    "render_html",
    "render_pdf",
    "vertraege",
]


def _vorlagen_verzeichnis() -> Path:
    """The folder of the shipped annex templates: the package data ``sozbudget_xl.vorlagen``
    (the top-level ``templates/`` of the repository, mapped in ``pyproject.toml``), found with
    ``importlib.resources`` so it is the same for wheel and editable installs."""
    from importlib.resources import files

    # Installed as files, so a real folder (Jinja's FileSystemLoader and docxtpl need paths).
    return Path(str(files(f"{__package__}.vorlagen")))


#: Default folder of the annex templates (package data ``sozbudget_xl.vorlagen``).
VORLAGEN_VERZEICHNIS = _vorlagen_verzeichnis()
HTML_VORLAGE = "vertragsanlage.html.j2"
DOCX_VORLAGE = "vertragsanlage.docx"
PDF_TIMEOUT = 180  # seconds for one LibreOffice conversion


class AnnexFehler(SozbudgetError):
    """A contract annex cannot be built or rendered (German message)."""


# --------------------------------------------------------------------------- contract data
def _text(value: Any, feld: str, *, leer_erlaubt: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise AnnexFehler("Text erwartet", field=feld, found=type(value).__name__)
    if not leer_erlaubt and not value.strip():
        raise AnnexFehler("darf nicht leer sein", field=feld)
    return value


@dataclass(frozen=True)
class Partei:
    """A contract party: name, postal address (lines separated by newlines), signatory."""

    name: str
    anschrift: str = ""
    unterzeichner: str = ""

    def __post_init__(self) -> None:
        _text(self.name, "Name", leer_erlaubt=False)
        _text(self.anschrift, "Anschrift")
        _text(self.unterzeichner, "Unterzeichner")

    @property
    def anschrift_zeilen(self) -> list[str]:
        return [z.strip() for z in self.anschrift.splitlines() if z.strip()]


@dataclass(frozen=True)
class Bonusindikator:
    """A performance indicator of the Leistungsbonus.

    ``gewicht`` is a fraction of the bonus (0.5 = 50 %) or None; ``zielwert``/``istwert``
    are shown with ``format`` (``prozent``, ``zahl``, ``ganzzahl``, ``betrag`` or ``text``).
    """

    indikator: str
    gewicht: Decimal | None = None
    zielwert: Any = ""
    istwert: Any = None
    format: str = "text"
    richtung: str = ""
    erfuellungsgrad: Decimal | None = None


def _partei(value: Any, feld: str) -> Partei:
    if isinstance(value, Partei):
        return value
    if isinstance(value, str):
        return Partei(_text(value, feld, leer_erlaubt=False))
    raise AnnexFehler("Partei (Name oder Partei) erwartet", field=feld, found=type(value).__name__)


@dataclass(frozen=True)
class Vertrag:
    """Contract data that a :class:`ModelResult` does not hold.

    ``sozialraum=None`` means all Sozialräume of the Träger. ``laufzeit_von``/``laufzeit_bis``
    default to the Haushaltsjahr. The texts ``ruecklagenregelung``, ``revisionsklausel`` and
    ``berichtspflichten`` default (None) to the German standard wording of the model;
    ``bonusindikatoren=None`` takes the indicators from the result (table
    „Leistungsindikatoren“) when there are any.
    """

    jugendamt: Partei
    traeger: Partei
    haushaltsjahr: int
    sozialraum: str | None = None
    #: the contract party: the Stadt or Landkreis (None: the Jugendamt alone is named)
    gebietskoerperschaft: Partei | None = None
    #: the party when it is not the payee (e.g. a Trägerverbund paid to its federführender Träger)
    vertragspartei: str = ""
    laufzeit_von: dt.date | None = None
    laufzeit_bis: dt.date | None = None
    vertragsnummer: str = ""
    ort: str = ""
    datum: dt.date | None = None
    ruecklagenregelung: str | None = None
    revisionsklausel: str | None = None
    berichtspflichten: tuple[str, ...] | None = None
    bonusindikatoren: tuple[Bonusindikator, ...] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "jugendamt", _partei(self.jugendamt, "Jugendamt"))
        object.__setattr__(self, "traeger", _partei(self.traeger, "Träger"))
        if self.gebietskoerperschaft is not None:
            object.__setattr__(
                self, "gebietskoerperschaft", _partei(self.gebietskoerperschaft, "Gebietskörperschaft")
            )
        _text(self.vertragspartei, "Vertragspartei")
        jahr = self.haushaltsjahr
        if isinstance(jahr, bool) or not isinstance(jahr, int) or not 1990 <= jahr <= 2200:
            raise AnnexFehler(
                "ungültiges Haushaltsjahr", field="Haushaltsjahr", expected="1990 bis 2200", found=jahr
            )
        if self.sozialraum is not None:
            _text(self.sozialraum, "Sozialraum", leer_erlaubt=False)
        von = dt.date(jahr, 1, 1) if self.laufzeit_von is None else parse_datum(self.laufzeit_von)
        bis = dt.date(jahr, 12, 31) if self.laufzeit_bis is None else parse_datum(self.laufzeit_bis)
        if bis < von:
            raise AnnexFehler(
                "Laufzeit endet vor ihrem Beginn",
                field="Laufzeit",
                expected=f"Ende ab {von:%d.%m.%Y}",
                found=f"{bis:%d.%m.%Y}",
            )
        object.__setattr__(self, "laufzeit_von", von)
        object.__setattr__(self, "laufzeit_bis", bis)
        if self.datum is not None:
            object.__setattr__(self, "datum", parse_datum(self.datum))
        _text(self.vertragsnummer, "Vertragsnummer")
        _text(self.ort, "Ort")
        for name in ("ruecklagenregelung", "revisionsklausel"):
            if getattr(self, name) is not None:
                _text(getattr(self, name), name)
        if self.berichtspflichten is not None:
            if isinstance(self.berichtspflichten, str):
                object.__setattr__(self, "berichtspflichten", (self.berichtspflichten,))
            object.__setattr__(
                self,
                "berichtspflichten",
                tuple(_text(b, "Berichtspflichten") for b in self.berichtspflichten),
            )
        if self.bonusindikatoren is not None:
            object.__setattr__(self, "bonusindikatoren", tuple(self.bonusindikatoren))


# --------------------------------------------------------------------------- default texts
# Model texts come from each model's declaration (its ``vertragstexte``); these are the
# fallbacks for a model that declares none (shown as Formulierungsvorschlag).
_RUECKLAGE_STANDARD = (
    "Nicht verausgabte Mittel sind dem Jugendamt zum Jahresende mitzuteilen; über ihre Verwendung "
    "oder Rückzahlung entscheidet das Jugendamt im Einvernehmen mit dem Träger."
)

_REVISION_STANDARD = (
    "Ändern sich die Struktur des Sozialraums, das Fallaufkommen oder die rechtlichen Grundlagen "
    "wesentlich, passen die Vertragsparteien das Budget auf Grundlage einer Neuberechnung an. Die "
    "Differenz zum vereinbarten Budget wird ausgewiesen. Änderungen bedürfen der Schriftform."
)

_BERICHTSPFLICHTEN_STANDARD = (
    "Halbjährlicher Sachbericht über Fälle, Angebote und Ausgaben.",
    "Verwendungsnachweis bis zum 30. Juni des Folgejahres.",
)

ART_TEXT: dict[Art, str] = {
    Art.UNBEDINGT: "unbedingt",
    Art.BEDINGT: "bedingt",
    Art.BONUS: "Bonus",
    Art.OFFEN: "offen",
    Art.EINBEHALTEN: "einbehalten",
}
ART_SUMME_TEXT: dict[Art, str] = {
    Art.UNBEDINGT: "unbedingt auszuzahlen (Sockel, Pauschalen)",
    Art.BEDINGT: "bedingt auszuzahlen (nach Erfüllung der Bedingung)",
    Art.BONUS: "Leistungsbonus (zusätzlich, nach Zielerreichung)",
    Art.OFFEN: "offen (Prognose, Abrechnung nach Inanspruchnahme)",
    Art.EINBEHALTEN: "beim Jugendamt einbehalten",
}


# --------------------------------------------------------------------------- formatting
def formatiere(wert: Any, format: str = "text") -> str:
    """Format a value for the annex: ``betrag``, ``prozent``, ``zahl``, ``ganzzahl``, ``datum``
    or ``text``; None/empty becomes „–“.

    >>> formatiere(0.4, "prozent")
    '40,0\\xa0%'
    >>> formatiere(None)
    '–'
    """
    if wert is None or (isinstance(wert, str) and not wert.strip()):
        return "–"
    if format == "betrag":
        return betrag(wert)
    if format == "prozent":
        return prozent(wert)
    if format == "zahl":
        d = Decimal(str(wert)) if not isinstance(wert, Decimal) else wert
        stellen = 0 if d == d.to_integral_value() else 2
        return zahl(d, stellen)
    if format == "ganzzahl":
        return zahl(wert, 0)
    if format == "datum":
        return JINJA_FILTERS["datum"](wert)
    if isinstance(wert, bool):
        return "ja" if wert else "nein"
    return str(wert)


def wert(value: Any, einheit: Einheit | str | None = None) -> str:
    """Display a value by its unit (from the model's declaration; nothing is guessed).

    >>> wert(Decimal("100000.00"), Einheit.EURO), wert(Decimal("0.4"), "Anteil"), wert(2026, "Jahr")
    ('100.000,00\xa0€', '40,0\xa0%', '2026')
    """
    if isinstance(einheit, str):
        einheit = Einheit(einheit)
    return (einheit or Einheit.TEXT).anzeige(value)


def css_text(value: Any) -> Any:
    r"""Text for a CSS string in the stylesheet (running header): quotes, backslashes, line breaks
    and ``<`` escaped as CSS escapes, so user text cannot end the string or the ``<style>``.

    >>> str(css_text('A "B" </style>'))
    'A \\22 B\\22  \\3C /style\\3E '
    """
    from markupsafe import Markup

    text = str(value)
    out = []
    for ch in text:
        if ch in "\\\"'<>&" or ord(ch) < 0x20 or ch in "\u2028\u2029":
            out.append(f"\\{ord(ch):X} ")
        else:
            out.append(ch)
    return Markup("".join(out))


_EINFACH = (str, int, float, Decimal, dt.date, type(None), Einheit)


def _gemerkt(f: Any) -> Any:
    """``f`` remembering its results for plain values (a batch formats the same amounts, dates and
    shares in every annex; Babel takes ~0.1 ms a call). The key holds each value's type and
    ``repr``, so ``Decimal("1.10")`` and ``Decimal("1.1")`` stay apart; other values are not kept."""
    speicher: dict[tuple[Any, ...], Any] = {}

    @functools.wraps(f)
    def aufruf(*args: Any, **kw: Any) -> Any:
        werte = (*args, *kw.values())
        if not all(isinstance(w, _EINFACH) for w in werte):
            return f(*args, **kw)
        schluessel = (*((type(w), repr(w)) for w in werte), *kw)
        if schluessel not in speicher:
            if len(speicher) >= 20_000:
                speicher.clear()
            speicher[schluessel] = f(*args, **kw)
        return speicher[schluessel]

    return aufruf


FILTER: dict[str, Any] = {
    **{k: _gemerkt(f) for k, f in JINJA_FILTERS.items()},
    "formatiere": _gemerkt(formatiere),
    "wert": _gemerkt(wert),
    "css_text": css_text,
}


# --------------------------------------------------------------------------- contracts
def vertraege(
    result: ModelResult,
    jugendamt: Partei | str = "Jugendamt",
    jahr: int | None = None,
    *,
    gebietskoerperschaft: Partei | str | None = None,
    nummern: Mapping[tuple[str, str | None], str] | None = None,
    anschriften: Mapping[str, str] | None = None,
    unterzeichner: Mapping[str, str] | None = None,
    **weitere: Any,
) -> list[Vertrag]:
    """The contracts of the result as the model's declaration defines them (one per Träger ×
    Sozialraum or one per Träger; rows that are no budget parties get none, see
    :func:`sozbudget_xl.vertraege.ausgeschlossen`), in first-seen order. ``nummern`` maps
    ``(Träger, Sozialraum)`` to the contract numbers kept in the workbook; contracts without one
    get the next free numbers. ``anschriften``/``unterzeichner`` map Träger names to address and
    signatory; further keyword arguments (``ort``, ``datum`` …) go to every :class:`Vertrag`."""
    _pruefe_ergebnis(result)
    if jahr is None:
        jahr = result.jahr
    _pruefe_jahr(result, jahr, "Haushaltsjahr passt nicht zum Berechnungsergebnis")
    anschriften = dict(anschriften or {})
    unterzeichner = dict(unterzeichner or {})
    schluessel = _vertraege.schluessel(result)
    vergeben = _vertraege.naechste_nummern(schluessel, dict(nummern or {}), jahr, result.modell)
    partei = _vertraege.partei_name(result)
    ja = jugendamt if isinstance(jugendamt, Partei) else Partei(jugendamt)
    gk = Partei(gebietskoerperschaft) if isinstance(gebietskoerperschaft, str) else gebietskoerperschaft
    out: list[Vertrag] = []
    for traeger, raum in schluessel:
        kw = dict(weitere)
        kw.setdefault("vertragsnummer", vergeben[(traeger, raum)])
        kw.setdefault("vertragspartei", partei if partei != traeger else "")
        t = Partei(traeger, anschriften.get(traeger, ""), unterzeichner.get(traeger, ""))
        out.append(
            Vertrag(
                jugendamt=ja, traeger=t, haushaltsjahr=jahr, sozialraum=raum, gebietskoerperschaft=gk, **kw
            )
        )
    return out


def _pruefe_ergebnis(result: Any) -> None:
    if not isinstance(result, ModelResult):
        raise AnnexFehler(
            "Berechnungsergebnis erwartet",
            field="Ergebnis",
            expected="ModelResult",
            found=type(result).__name__,
        )


def _pruefe_jahr(result: ModelResult, jahr: Any, text: str) -> None:
    if jahr != result.jahr:
        raise AnnexFehler(text, model=result.modell, field="Haushaltsjahr", expected=result.jahr, found=jahr)


def _deklaration(result: ModelResult) -> Deklaration | None:
    from .models import modell as _modell

    try:
        return _modell(result.modell).DEKLARATION
    except SozbudgetError:  # an unregistered model: the annex renders without model section
        return None


def _passt(row: Mapping[str, Any], t: Ausgabetabelle, traeger: str, raum: str | None) -> bool:
    """Whether a table row belongs to the contract: its declared Träger column names the Träger
    and its Sozialraum column (if declared, and if the contract has a Sozialraum) the Sozialraum."""
    if t.alle_vertraege:
        return True
    if t.traeger is None and t.sozialraum is None:
        return False
    if t.traeger is not None and row.get(t.traeger) != traeger:
        return False
    if raum is not None and t.sozialraum is not None and row.get(t.sozialraum) not in (raum, None):
        return False
    return not (raum is None and t.traeger is None)


def _modelltabellen(result: ModelResult) -> dict[str, list[Any]]:
    """Every table of the model as plain rows (the same for all contracts of a result)."""
    return {
        str(k): [_plain(r) for r in v if isinstance(r, Mapping)]
        for k, v in result.tabellen.items()
        if isinstance(v, list | tuple)
    }


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _zelle(value: Any, einheit: Einheit) -> dict[str, Any]:
    """A table cell for the templates: display text and whether it is a number (right-aligned)."""
    zahl = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
    return {"text": FILTER["wert"](value, einheit), "zahl": zahl, "wert": value}


def _tabellen_index(result: ModelResult) -> dict[str, tuple[Ausgabetabelle, list[Any], dict[Any, list[Any]]]]:
    """Each declared result table: (declaration, rows, rows by the value of its Träger column)."""
    d = _deklaration(result)
    out: dict[str, tuple[Ausgabetabelle, list[Any], dict[Any, list[Any]]]] = {}
    for name, rows in result.tabellen.items():
        t = d.ausgabetabelle(str(name)) if d else None
        if t is None or not isinstance(rows, list | tuple):
            continue
        zeilen = [r for r in rows if isinstance(r, Mapping)]
        nach: dict[Any, list[Any]] = {}
        for r in zeilen if t.traeger is not None else ():
            nach.setdefault(r.get(t.traeger), []).append(r)
        out[str(name)] = (t, zeilen, nach)
    return out


def _tabellen(result: ModelResult, traeger: str, raum: str | None) -> dict[str, dict[str, Any]]:
    """The rows of each result table that name this contract (by the declared columns), each cell
    formatted by its unit; ``anlage``: the columns the model's annex section shows."""
    out: dict[str, dict[str, Any]] = {}
    index = _vertraege.je_ergebnis(result, "tabellen", lambda: _tabellen_index(result))
    for name, (t, rows, nach_traeger) in index.items():
        kandidaten = rows if t.alle_vertraege or t.traeger is None else nach_traeger.get(traeger, ())
        zeilen = [dict(r) for r in kandidaten if _passt(r, t, traeger, raum)]
        if not zeilen:
            continue
        spalten = list(dict.fromkeys(k for z in zeilen for k in z))
        anlage = [sp for muster in t.anlage for sp in spalten if re.fullmatch(muster, sp)]
        out[name] = {
            "spalten": spalten,
            "anlage": anlage,
            "zeilen": zeilen,
            "zellen": [
                {k: _zelle(z.get(k), result.spalten_einheit(str(name), k)) for k in spalten} for z in zeilen
            ],
        }
    return out


def _angaben(
    result: ModelResult, tabellen: Mapping[str, Any], *, abrechnung: bool = False
) -> list[dict[str, Any]]:
    """The model's declared facts for this contract, formatted by their units (facts of the year,
    ``Angabe.abrechnung``, only for the settlement)."""
    d = _deklaration(result)
    out: list[dict[str, Any]] = []
    for a in d.angaben if d else ():
        if a.abrechnung and not abrechnung:
            continue
        if a.spalte is None:
            if a.name in result.kennzahlen and result.kennzahlen[a.name] is not None:
                w = result.kennzahlen[a.name]
                out.append({"bezeichnung": a.titel, "wert": w, "text": wert(w, result.einheit(a.name))})
            continue
        zeilen = tabellen.get(a.name, {}).get("zeilen", [])
        werte = list(dict.fromkeys(z.get(a.spalte) for z in zeilen if z.get(a.spalte) is not None))
        if len(werte) == 1:
            text = wert(werte[0], result.spalten_einheit(a.name, a.spalte))
            out.append({"bezeichnung": a.titel, "wert": werte[0], "text": text})
    return out


def _modelltexte(result: ModelResult, vertrag: Vertrag) -> dict[str, Any]:
    """Rules, reserve, revision and reporting texts from the model's declaration, rendered with
    the parameters of the result; a text the contract sets itself replaces the model's."""
    d = _deklaration(result)
    gerendert = {art: (vertragstexte.texte(result, art, vertrag) if d else []) for art in _TEXTARTEN}

    def eins(art: str, eigen: str | None, standard: str) -> dict[str, Any]:
        if eigen is not None:
            return {"text": eigen, "vorschlag": False, "quelle": ""}
        texte = gerendert[art]
        if not texte:
            return {"text": standard, "vorschlag": True, "quelle": ""}
        return {
            "text": " ".join(t["text"] for t in texte),
            "vorschlag": any(t["vorschlag"] for t in texte),
            "quelle": "; ".join(dict.fromkeys(t["quelle"] for t in texte if t["quelle"])),
        }

    if vertrag.berichtspflichten is not None:
        berichte = [{"text": b, "vorschlag": False, "quelle": ""} for b in vertrag.berichtspflichten]
    else:
        berichte = gerendert["bericht"] or [
            {"text": b, "vorschlag": True, "quelle": ""} for b in _BERICHTSPFLICHTEN_STANDARD
        ]
    return {
        "regeln": gerendert["regel"],
        "ruecklage": eins("ruecklage", vertrag.ruecklagenregelung, _RUECKLAGE_STANDARD),
        "revision": eins("revision", vertrag.revisionsklausel, _REVISION_STANDARD),
        "berichte": berichte,
    }


_TEXTARTEN = ("regel", "ruecklage", "revision", "bericht")


def _texte_kontext(texte: Mapping[str, Any]) -> dict[str, Any]:
    """Context keys of the model texts (the plain strings stay for custom templates)."""
    return {
        "regeln": texte["regeln"],
        "ruecklage": texte["ruecklage"],
        "revision": texte["revision"],
        "berichte": texte["berichte"],
        "ruecklagenregelung": texte["ruecklage"]["text"],
        "revisionsklausel": texte["revision"]["text"],
        "berichtspflichten": [b["text"] for b in texte["berichte"]],
    }


def _bonusindikatoren(result: ModelResult, vertrag: Vertrag, abrechnung: bool = True) -> list[dict[str, Any]]:
    """The bonus indicators; the plan shows targets only (actual values and degrees are facts of
    the year, shown in the settlement)."""
    if vertrag.bonusindikatoren is not None:
        quelle = list(vertrag.bonusindikatoren)
    else:
        quelle = []
        for row in result.tabellen.get("Leistungsindikatoren", ()):
            soll, ist = row.get("Soll"), row.get("Ist")
            anteilig = all(isinstance(v, Decimal | float | int) and 0 <= v <= 1 for v in (soll, ist))
            quelle.append(
                Bonusindikator(
                    indikator=str(row.get("Indikator", "")),
                    gewicht=row.get("Gewicht"),
                    zielwert=soll,
                    istwert=ist,
                    format="prozent" if anteilig else "zahl",
                    richtung=str(row.get("Richtung", "") or ""),
                    erfuellungsgrad=row.get("Erfüllungsgrad"),
                )
            )
    gewichte = [Decimal(str(b.gewicht)) for b in quelle if b.gewicht is not None]
    summe = sum(gewichte, Decimal(0))
    out = []
    for b in quelle:
        if not isinstance(b, Bonusindikator):
            raise AnnexFehler("Bonusindikator erwartet", field="Bonusindikatoren", found=type(b).__name__)
        anteil = None
        if b.gewicht is not None and summe > 0:
            anteil = Decimal(str(b.gewicht)) / summe
        out.append(
            {
                "indikator": b.indikator,
                "gewicht": anteil,
                "zielwert": b.zielwert,
                "istwert": b.istwert if abrechnung else None,
                "format": b.format,
                "richtung": b.richtung,
                "erfuellungsgrad": b.erfuellungsgrad if abrechnung else None,
            }
        )
    return out


def _warnungen(result: ModelResult, traeger: str, raeume: list[str]) -> tuple[list[str], list[str]]:
    """(warnings about this contract, model-wide warnings that name no Träger or Sozialraum)."""
    eigene: list[str] = []
    allgemein: list[str] = []
    for w in result.warnungen:
        if w.traeger is not None:
            if w.traeger == traeger and (w.sozialraum is None or w.sozialraum in raeume):
                eigene.append(w.text)
        elif w.sozialraum is not None:
            if w.sozialraum in raeume:
                eigene.append(w.text)
        elif traeger in w.text or any(r in w.text for r in raeume):
            eigene.append(w.text)
        else:
            allgemein.append(w.text)
    return eigene, allgemein


def _anlagetabellen(tabellen: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The model tables' columns the annex shows, as rows of (column, text) for key-value tables."""
    return [
        {
            "name": name,
            "zeilen": [
                [{"spalte": n, "text": z[n]["text"], "zahl": z[n]["zahl"]} for n in t["anlage"]]
                for z in t["zellen"]
            ],
        }
        for name, t in tabellen.items()
        if t["anlage"]
    ]


def quelle_text(quelle: str | None) -> str:
    """A source label as documents show it: „Gutachten, Abschnitt 5.1“ (no „§“, no internal
    specification references).

    >>> quelle_text("Gutachten §5.1; Spezifikation §3.2")
    'Gutachten, Abschnitt 5.1'
    >>> quelle_text("Gutachten §7.1, §7.2")
    'Gutachten, Abschnitte 7.1 und 7.2'
    """
    text = re.sub(r";?\s*Spezifikation\s*§\s*[\d.]+", "", quelle or "").strip()
    text = re.sub(r"Gutachten\s*§\s*([\d.]+),\s*§\s*([\d.]+)", r"Gutachten, Abschnitte \1 und \2", text)
    text = re.sub(r"Gutachten\s*§\s*([\d.]+)", r"Gutachten, Abschnitt \1", text)
    return re.sub(r"(?<!SGB VIII)(?<![\w])§\s*(\d+(?:\.\d+)+)", r"Abschnitt \1", text).strip(" ;")


def _pruefe_vertrag(result: ModelResult, vertrag: Any, abrechnung: bool = False) -> list[LineItem]:
    """The contract's line items (the plan's, or with ``abrechnung`` also the facts of the year);
    German errors for a wrong contract."""
    _pruefe_ergebnis(result)
    if not isinstance(vertrag, Vertrag):
        raise AnnexFehler("Vertrag erwartet", field="Vertrag", found=type(vertrag).__name__)
    _pruefe_jahr(
        result, vertrag.haushaltsjahr, "Haushaltsjahr des Vertrags passt nicht zum Berechnungsergebnis"
    )
    name, raum = vertrag.traeger.name, vertrag.sozialraum
    eigene = _vertraege.positionen(result, name, None, abrechnung=True)
    if not eigene:
        raise AnnexFehler(
            f"Träger „{name}“ hat im Ergebnis keine Positionen",
            model=result.modell,
            field="Träger",
            expected=", ".join(result.traeger) or "mindestens eine Position mit Träger",
        )
    items = [p for p in eigene if raum is None or p.sozialraum == raum]
    if not abrechnung:
        items = [p for p in items if not _vertraege.nur_abrechnung(result, p)]
    if not items:
        raise AnnexFehler(
            f"Träger „{name}“ hat im Sozialraum keine Positionen",
            model=result.modell,
            region=raum,
            expected=", ".join(dict.fromkeys(str(p.sozialraum) for p in eigene)),
        )
    return items


def _summen(items: list[LineItem]) -> dict[str, Any]:
    """Totals of the contract: overall, per kind (with German wording), and the per-kind keys."""
    nach_art: dict[Art, Decimal] = {}
    anzahl: dict[Art, int] = {}
    for p in items:
        nach_art[p.art] = nach_art.get(p.art, ZERO) + p.betrag
        anzahl[p.art] = anzahl.get(p.art, 0) + 1
    return {
        "summe": sum((p.betrag for p in items), ZERO),
        "summen_nach_art": [
            {"art": str(a), "bezeichnung": ART_SUMME_TEXT[a], "betrag": nach_art[a], "anzahl": anzahl[a]}
            for a in Art
            if a in nach_art
        ],
        **{f"summe_{a.name.lower()}": nach_art.get(a, ZERO) for a in Art},
    }


def _positionen(items: list[LineItem], *, abrechnung: bool = False) -> list[dict[str, Any]]:
    """The contract's line items; the plan states each condition, the settlement also whether it
    was met (:func:`sozbudget_xl.vertraege.planwortlaut`)."""
    text = (lambda t: t) if abrechnung else _vertraege.planwortlaut
    return [
        {
            "nr": i,
            "position": text(p.position),
            "art": str(p.art),
            "art_text": ART_TEXT[p.art],
            "bedingung": text(p.bedingung),
            "betrag": p.betrag,
            "sozialraum": p.sozialraum,
            "quelle": quelle_text(p.quelle),
        }
        for i, p in enumerate(items, start=1)
    ]


def _zahlungsplan_hinweis(summen: Mapping[str, Any], zahlbar: Decimal) -> str:
    """Why the instalments differ from the contract's budget (only some kinds are paid in advance)."""
    teile = []
    for schluessel, text in (
        ("summe_bedingt", "bedingte Anteile ({}), gezahlt erst nach Erfüllung ihrer Bedingung"),
        ("summe_bonus", "der Leistungsbonus (höchstens {}), gezahlt nach der Zielerreichung"),
        ("summe_offen", "offene Positionen ({}), abgerechnet nach tatsächlicher Inanspruchnahme"),
        ("summe_einbehalten", "einbehaltene Anteile ({}), die beim Jugendamt verbleiben"),
    ):
        if summen[schluessel]:
            teile.append(text.format(betrag(summen[schluessel])))
    if zahlbar == summen["summe"] or not teile:
        return ""
    return (
        f"Die Abschläge umfassen die unbedingt auszuzahlenden Anteile dieses Vertrags ({betrag(zahlbar)}). "
        f"Nicht darin enthalten sind {'; '.join(teile)} (siehe Abrechnung)."
    )


def _zahlungsplan(result: ModelResult, vertrag: Vertrag, summen: Mapping[str, Any]) -> dict[str, Any]:
    """The contract's own instalments (the Träger's split exactly over its contracts)."""
    raten, zahlbar = _vertraege.vertragsraten(result, vertrag.traeger.name, vertrag.sozialraum)
    return {
        "zahlungsplan": [
            {
                "nr": i,
                "faellig": r.faellig,
                "betrag": r.betrag,
                "zweck": r.zweck or "Abschlag",
                "nummer": r.nummer,
            }
            for i, r in enumerate(raten, start=1)
        ],
        "zahlungsplan_summe": sum((r.betrag for r in raten), ZERO),
        "zahlbar": zahlbar,
        "zahlungsplan_hinweis": _zahlungsplan_hinweis(summen, zahlbar),
        # kept for custom templates: the plan is now always the contract's own
        "zahlungsplan_weitere_sozialraeume": False,
    }


def _partei_kontext(p: Partei | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "name": p.name,
        "anschrift": p.anschrift,
        "anschrift_zeilen": p.anschrift_zeilen,
        "unterzeichner": p.unterzeichner,
    }


def _parteien(result: ModelResult, vertrag: Vertrag) -> dict[str, Any]:
    """Both sides: the Gebietskörperschaft „vertreten durch“ the Jugendamt, and the Träger (or
    the declared party, e.g. a Trägerverbund, with the Träger that receives the payments)."""
    regel = _vertraege.vertragsbildung(result)
    return {
        "gebietskoerperschaft": _partei_kontext(vertrag.gebietskoerperschaft),
        "jugendamt": _partei_kontext(vertrag.jugendamt),
        "traeger": _partei_kontext(vertrag.traeger),
        "vertragspartei": vertrag.vertragspartei or vertrag.traeger.name,
        "zahlungsempfaenger": vertrag.traeger.name if vertrag.vertragspartei else "",
        "parteien_regel": regel.parteien,
    }


def _modell(result: ModelResult) -> dict[str, Any]:
    try:
        from .models import modell as _m

        beschreibung = str(getattr(_m(result.modell), "BESCHREIBUNG", ""))
    except Exception:  # an unregistered or unfinished model: the annex still renders
        beschreibung = ""
    return {
        "name": result.modell,
        "titel": result.titel,
        "quelle": quelle_text(result.quelle),
        "beschreibung": beschreibung,
    }


def _vertrag(vertrag: Vertrag) -> dict[str, Any]:
    return {
        "nummer": vertrag.vertragsnummer,
        "haushaltsjahr": vertrag.haushaltsjahr,
        "laufzeit_von": vertrag.laufzeit_von,
        "laufzeit_bis": vertrag.laufzeit_bis,
        "ort": vertrag.ort,
        "datum": vertrag.datum,
    }


def kontext(result: ModelResult, vertrag: Vertrag, *, abrechnung: bool = False) -> dict[str, Any]:
    """Template context of one contract annex (the plan agreed before the year; see the README
    for the placeholders). Nothing is recomputed: the line items and tables come from
    ``result``; totals are exact sums of the contract's line items, and the payment plan is the
    contract's own share of the Träger's instalments (:func:`sozbudget_xl.vertraege.vertragsraten`).

    The plan is built from the model's plan view (:func:`sozbudget_xl.vertraege.planansicht`: the
    facts of the year set to what is known before it — conditions open, no redistribution, the
    bonus at its maximum); ``abrechnung=True`` (the settlement) keeps the actual result."""
    if not abrechnung:
        _pruefe_ergebnis(result)
        try:
            result = _vertraege.planansicht(result)
        except SozbudgetError as exc:
            raise AnnexFehler(
                "Der Plan vor dem Haushaltsjahr (ohne die Angaben des Jahres) lässt sich nicht "
                f"berechnen: {exc}"
            ) from exc
    items = _pruefe_vertrag(result, vertrag, abrechnung)
    name, raum = vertrag.traeger.name, vertrag.sozialraum
    summen = _summen(items)
    tabellen = _tabellen(result, name, raum)
    raeume = list(dict.fromkeys(p.sozialraum for p in items if p.sozialraum is not None))
    warnungen, warnungen_modell = ([quelle_text(w) for w in ws] for ws in _warnungen(result, name, raeume))
    hat_bonus = bool(summen["summe_bonus"]) or bool(vertrag.bonusindikatoren)
    texte = _modelltexte(result, vertrag)
    for t in [*texte["regeln"], texte["ruecklage"], texte["revision"], *texte["berichte"]]:
        t["quelle"] = quelle_text(t["quelle"])
        t["text"] = quelle_text(t["text"])
    partei = vertrag.vertragspartei or name
    kopf = [f"Vertragsanlage {vertrag.haushaltsjahr}", f"Nr. {vertrag.vertragsnummer}", partei, raum or ""]
    return {
        "art": "plan",
        "kopfzeile": " · ".join(k for k in kopf if k and k != "Nr. "),
        "modell": _modell(result),
        "vertrag": _vertrag(vertrag),
        **_parteien(result, vertrag),
        "sozialraum": raum,
        "sozialraeume": raeume,
        "positionen": _positionen(items, abrechnung=abrechnung),
        **summen,
        "modell_gesamt": result.gesamt,
        **_zahlungsplan(result, vertrag, summen),
        "bonusindikatoren": _bonusindikatoren(result, vertrag, abrechnung) if hat_bonus else [],
        **_texte_kontext(texte),
        "warnungen": warnungen,
        "warnungen_modell": warnungen_modell,
        "angaben": _angaben(result, tabellen, abrechnung=abrechnung),
        "tabellen": tabellen,
        "anlagetabellen": _anlagetabellen(tabellen),
        "modelltabellen": _vertraege.je_ergebnis(result, "modelltabellen", lambda: _modelltabellen(result)),
        "kennzahlen": dict(result.kennzahlen),
    }


# --------------------------------------------------------------------------- rendering
def _umgebung(loader: Any = None) -> Any:
    from jinja2 import StrictUndefined

    from .vorlagenschutz import GeschuetzteUmgebung  # sandbox + time/size limits (issue 14)

    env = GeschuetzteUmgebung(
        loader=loader,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTER)
    return env


@functools.lru_cache(maxsize=8)
def _html_umgebung(ordner: str, loader_cls: Any) -> Any:
    """One environment per template folder, so a template is compiled once, not per annex
    (Jinja's cache; ``auto_reload`` still picks up edited templates)."""
    return _umgebung(loader_cls(ordner))


@functools.lru_cache(maxsize=1)
def _docx_umgebung() -> Any:
    """The environment for docxtpl, remembering the compiled template of each XML part: docxtpl
    compiles every part of the document with ``from_string`` on every render (~40 ms per annex)."""
    env = _umgebung()
    kompiliert: dict[str, Any] = {}
    from_string = env.from_string

    def gemerkt(source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return from_string(source, globals, template_class)
        if source not in kompiliert:
            if len(kompiliert) >= 64:
                kompiliert.clear()
            kompiliert[source] = from_string(source)
        return kompiliert[source]

    env.from_string = gemerkt
    return env


@functools.lru_cache(maxsize=1)
def _docx_klasse() -> Any:
    """DocxTemplate remembering its XML clean-up (``patch_xml``, a pure function of the part's
    XML: a dozen regular expressions, ~10 ms per annex)."""
    from docxtpl import DocxTemplate

    bereinigt: dict[str, str] = {}

    class _DocxVorlage(DocxTemplate):  # type: ignore[misc]
        def patch_xml(self, src_xml: str) -> str:
            if src_xml not in bereinigt:
                if len(bereinigt) >= 64:
                    bereinigt.clear()
                bereinigt[src_xml] = super().patch_xml(src_xml)
            return bereinigt[src_xml]

        def resolve_listing(self, xml: str) -> str:
            return xml if _ohne_listing(xml) else super().resolve_listing(xml)

    return _DocxVorlage


#: where docxtpl's ``resolve_listing`` looks: each paragraph ``<w:p>`` or ``<w:p …>`` (not ``<w:pPr>``)
_ABSATZ = re.compile(r"<w:p(?: [^>]*)?>")


def _ohne_listing(xml: str) -> bool:
    """Whether docxtpl's ``resolve_listing`` would return ``xml`` unchanged: it rewrites every
    paragraph, run and text with regular expressions (≈ 4 ms per annex, issue 15) only to replace
    tab, bell, line and form feed characters in the texts — none of them from the first paragraph
    on, and each rewritten piece is its own text again."""
    anfang = _ABSATZ.search(xml)
    return anfang is None or not any(xml.find(z, anfang.start()) >= 0 for z in "\t\a\n\f")


_FEHLERART = {
    ZeroDivisionError: "eine Division durch null",
    OverflowError: "eine zu große Zahl",
    TypeError: "Werte unpassender Art (z. B. Text statt Zahl)",
    KeyError: "einen unbekannten Schlüssel",
    IndexError: "eine Listenposition, die es nicht gibt",
    AttributeError: "ein unbekanntes Feld",
    ValueError: "einen ungültigen Wert",
}


def _stelle(exc: BaseException, vorlage: str) -> str:
    """Where in the template the error arose: „Vorlage „x“, Zeile 12“ (the line of the template's
    own frame in the traceback; a syntax error carries it). DOCX templates are compiled part by
    part, their lines mean nothing to the user: only the template is named there."""
    zeile = getattr(exc, "lineno", None)
    datei = getattr(exc, "name", None) or vorlage
    # the limits of vorlagenschutz re-raise in German: the template's frame is in the cause
    for e in (exc, exc.__cause__ or exc.__context__):
        tb = e.__traceback__ if e is not None else None
        while tb is not None:
            code = tb.tb_frame.f_code.co_filename
            if code.endswith((".j2", ".html", ".htm")) or code == "<template>":
                zeile, datei = tb.tb_lineno, (Path(code).name if code != "<template>" else vorlage)
            tb = tb.tb_next
    if vorlage.endswith(".docx") or not zeile:
        return f"Vorlage „{vorlage}“"
    wo = f"Vorlage „{vorlage}“" if datei == vorlage else f"Vorlage „{vorlage}“ (eingebunden: „{datei}“)"
    return f"{wo}, Zeile {zeile}"


def _platzhalter(exc: BaseException) -> str:
    """The name a Jinja error is about („traegr“ from ``'traegr' is undefined``), or ""."""
    text = str(getattr(exc, "message", None) or exc)
    for muster in (r"'([^']+)' is undefined", r"has no attribute '([^']+)'", r"has no element '?([^']+?)'?$"):
        m = re.search(muster, text)
        if m:
            return m.group(1)
    return ""


def _fehler(exc: BaseException, vorlage: str) -> AnnexFehler:
    """A German :class:`AnnexFehler` naming the template and the place (line, placeholder);
    Jinja's English message is not shown."""
    from jinja2.exceptions import SecurityError, TemplateNotFound, TemplateSyntaxError, UndefinedError

    wo = _stelle(exc, vorlage)
    name = _platzhalter(exc)
    if isinstance(exc, SecurityError):
        text = f"{wo} greift auf geschützte Python-Interna zu und wurde abgebrochen"
    elif isinstance(exc, UndefinedError):
        was = f"den unbekannten Platzhalter „{name}“" if name else "einen unbekannten Platzhalter"
        text = f"{wo} verwendet {was}; erlaubt sind die im README genannten Platzhalter"
    elif isinstance(exc, TemplateNotFound):
        text = f"Vorlage „{vorlage}“ nicht gefunden (gesucht: „{exc.name}“)"
    elif isinstance(exc, TemplateSyntaxError):
        text = f"{wo} hat einen Syntaxfehler (Klammern {{{{ … }}}} und {{% … %}} prüfen)"
    elif isinstance(exc, SozbudgetError):
        text = re.sub(r"^die Vorlage „[^“]*“ ", f"{wo} ", str(exc))
        text = text if text != str(exc) else f"{wo}: {exc}"
    else:
        art = next((t for k, t in _FEHLERART.items() if isinstance(exc, k)), "eine ungültige Rechnung")
        text = f"{wo} kann nicht gefüllt werden: ein Ausdruck enthält {art}"
    return AnnexFehler(text)


def _render_fehler() -> tuple[type[BaseException], ...]:
    from jinja2.exceptions import TemplateError

    return (TemplateError, SozbudgetError, TypeError, ValueError, AttributeError, KeyError, ArithmeticError)


def render_html(
    ctx: Mapping[str, Any],
    templates_dir: str | os.PathLike[str] | None = None,
    *,
    vorlage: str = HTML_VORLAGE,
) -> str:
    """Render the HTML annex (A4 print stylesheet) in a sandboxed, autoescaping Jinja
    environment with ``StrictUndefined``; German :class:`AnnexFehler` on any template error."""
    from .vorlagenschutz import SichererLoader  # no symlinks, nothing outside the folder (issue 14)

    ordner = Path(templates_dir) if templates_dir is not None else VORLAGEN_VERZEICHNIS
    env = _html_umgebung(str(ordner), SichererLoader)
    try:
        return env.get_template(vorlage).render(dict(ctx))
    except _render_fehler() as exc:
        raise _fehler(exc, vorlage) from exc


def _schreibe_atomar(ziel: Path, schreiben: Any) -> Path:
    ziel = Path(ziel)
    ordner = ziel.parent if str(ziel.parent) else Path(".")
    if not ordner.is_dir():
        raise AnnexFehler(f"Zielordner „{ordner}“ existiert nicht")
    fd, tmp = tempfile.mkstemp(prefix=".~", suffix=ziel.suffix, dir=ordner)
    os.close(fd)
    try:
        schreiben(tmp)
        os.replace(tmp, ziel)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return ziel


def render_docx(
    ctx: Mapping[str, Any],
    path: str | os.PathLike[str],
    templates_dir: str | os.PathLike[str] | None = None,
    *,
    vorlage: str = DOCX_VORLAGE,
) -> Path:
    """Render the DOCX annex with docxtpl (autoescape, sandboxed Jinja with the same filters)
    and write it atomically (temp file in the target folder, then ``os.replace``)."""
    ordner = Path(templates_dir) if templates_dir is not None else VORLAGEN_VERZEICHNIS
    from .vorlagenschutz import pruefe_vorlagendatei

    quelle = pruefe_vorlagendatei(ordner, vorlage)  # no symlinks, nothing outside the folder (issue 14)
    if not quelle.is_file():
        raise AnnexFehler(f"Vorlage „{vorlage}“ nicht gefunden in „{ordner}“")
    from .annex_docx import vorbereitet

    schnell = vorbereitet(quelle, _docx_klasse())  # prepared once per template file (batch)
    try:
        if schnell is not None:
            daten = schnell.fuelle(dict(ctx), _docx_umgebung())
            return _schreibe_atomar(Path(path), lambda tmp: Path(tmp).write_bytes(daten))
        tpl = _docx_klasse()(str(quelle))
        tpl.render(dict(ctx), jinja_env=_docx_umgebung(), autoescape=True)
    except _render_fehler() as exc:
        raise _fehler(exc, vorlage) from exc
    return _schreibe_atomar(Path(path), tpl.save)


# --------------------------------------------------------------------------- file names
_RESERVIERT = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{p}{i}" for p in ("COM", "LPT") for i in [*range(10), "¹", "²", "³"]
}
MAX_NAME = 120


def _slug(text: str) -> str:
    """Letters and digits (umlauts kept), everything else becomes „-“."""
    text = unicodedata.normalize("NFC", text).replace(".", "")
    out = []
    for ch in text:
        kat = unicodedata.category(ch)
        out.append(ch if kat[0] in "LNM" or ch == "_" else "-")
    return re.sub(r"-{2,}", "-", "".join(out)).strip("-_")


def _sicher(stamm: str) -> str:
    stamm = stamm.rstrip(". ")
    if stamm.split(".")[0].upper() in _RESERVIERT or not stamm:
        stamm = f"_{stamm}"
    return stamm


def dateiname(
    vertrag: Vertrag, endung: str, vergeben: MutableSet[str] | None = None, *, praefix: str = "Vertragsanlage"
) -> str:
    """A file name safe on Windows, macOS and Linux: ``Vertragsanlage_2026_Träger_Sozialraum.docx``.

    No ``<>:"/\\|?*``, control characters, reserved device names or trailing dots/spaces;
    at most 120 characters; umlauts kept. Pass the same set ``vergeben`` for all files of one
    folder to get unique names (``…_2.docx``); comparison ignores case like Windows does.
    """
    endung = _slug(str(endung).lstrip(".")) or "dat"
    endung = endung[:10]
    teile = [_slug(praefix) or "Vertragsanlage", str(vertrag.haushaltsjahr)]
    traeger = _slug(vertrag.traeger.name) or "Traeger"
    raum = _slug(vertrag.sozialraum) if vertrag.sozialraum else ""
    # room for the separators and a uniqueness suffix "_2" … "_9999"
    platz = MAX_NAME - len(endung) - 1 - len("_".join(teile)) - 6 - (2 if raum else 1)
    if len(traeger) + len(raum) > platz:
        if raum:
            raum = raum[: max(platz // 3, platz - len(traeger))].strip("-_")
        traeger = traeger[: max(1, platz - len(raum))].strip("-_") or "Traeger"
    stamm = _sicher("_".join([*teile, traeger] + ([raum] if raum else [])))
    name = f"{stamm}.{endung}"
    if vergeben is not None:
        schon = {v.casefold() for v in vergeben}
        n = 2
        while name.casefold() in schon:
            name = f"{stamm}_{n}.{endung}"
            n += 1
        vergeben.add(name)
    return name


# --------------------------------------------------------------------------- PDF
def _soffice() -> str | None:
    for kandidat in ("soffice", "libreoffice"):
        pfad = shutil.which(kandidat)
        if pfad:
            return pfad
    return None


def render_pdf(
    docx_path: str | os.PathLike[str], out_dir: str | os.PathLike[str], *, timeout: float = PDF_TIMEOUT
) -> Path:
    """Convert a DOCX annex to PDF with LibreOffice headless (throw-away profile, timeout).

    The PDF is written into a temporary folder inside ``out_dir`` and then moved in place.
    """
    return render_pdfs([docx_path], out_dir, timeout=timeout)[0]


#: documents per LibreOffice process at least (a start costs ≈ 0,4 s CPU with the seeded profile of
#: :func:`sozbudget_xl.pdfwandler.lo_profil`, a document ≈ 70 ms)
PDF_JE_PROZESS = 12
#: LibreOffice processes at most (each converts a share of the batch on its own core)
PDF_PROZESSE = 4
#: annexes per document at most when a group is converted as documents of several annexes
#: (:mod:`sozbudget_xl.pdfbuendel`): while LibreOffice converts the next document, the PDF of the
#: last one is cut; a document of 100 annexes or more costs LibreOffice more per annex
PDF_JE_DOKUMENT = 25


def _gleich_geteilt(gruppe: list[Path], hoechstens: int) -> list[list[Path]]:
    """``gruppe`` in as few pieces of at most ``hoechstens`` as can be, of sizes differing by one
    at most, in order."""
    stuecke = -(-len(gruppe) // hoechstens)
    groesse, mehr = divmod(len(gruppe), stuecke)
    grenzen = [i * groesse + min(i, mehr) for i in range(stuecke + 1)]
    return [gruppe[a:b] for a, b in itertools.pairwise(grenzen)]


def _pdf_prozesse(n: int) -> int:
    """How many LibreOffice processes convert ``n`` documents: one per core, never more than
    one per :data:`PDF_JE_PROZESS` documents (a small batch stays one start)."""
    return max(1, min(n // PDF_JE_PROZESS, os.cpu_count() or 1, PDF_PROZESSE))


#: the PDF filter with LibreOffice's bookmarks as named destinations (LibreOffice ≥ 7.4 reads filter
#: options as JSON): :func:`sozbudget_xl.pdfbuendel.aufteilen` finds the end of each annex by them
PDF_MIT_MARKEN = 'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'


def _pdf_befehl(
    soffice: str, profil: str | Path, arbeit: str, quellen: list[Path], filter_: str = "pdf"
) -> list[str]:
    return [
        soffice,
        "--headless",
        "--norestore",
        "--nolockcheck",
        f"-env:UserInstallation={Path(profil).resolve().as_uri()}",
        "--convert-to",
        filter_,
        "--outdir",
        arbeit,
        *map(str, quellen),
    ]


def _soffice_fehlt() -> AnnexFehler:
    return AnnexFehler(
        "Für PDF wird LibreOffice benötigt, es ist aber nicht installiert (Befehl „soffice“ "
        "fehlt). Installation: „sudo apt-get install libreoffice-writer“ (Debian/Ubuntu) oder "
        "https://de.libreoffice.org/download/ – DOCX und HTML lassen sich ohne LibreOffice erzeugen."
    )


def _gruppengroessen(n: int, k: int, vorlauf: float) -> list[int]:
    """Sizes of ``k`` groups of ``n`` documents in the order they start. A group started while
    later documents are still being rendered has that much more time: with ``vorlauf`` = 1 +
    render time / conversion time per document, each group is ``vorlauf`` times the next, so all
    finish together. ``vorlauf`` 1: equal groups (all files exist already)."""
    gewichte = [vorlauf ** (k - 1 - i) for i in range(k)]
    groessen = [max(1, round(n * g / sum(gewichte))) for g in gewichte]
    while sum(groessen[:-1]) > n - 1:  # only for n close to k: the last group keeps one
        groessen[groessen.index(max(groessen[:-1]))] -= 1
    groessen[-1] = n - sum(groessen[:-1])
    return groessen


#: 1 + render time / conversion time per document when DOCX rendering and LibreOffice overlap
#: (≈ 11 ms DOCX + copy vs ≈ 70 ms LibreOffice, measured on 2 cores)
PDF_VORLAUF = 1.15


def _stat_felder(stat: bytes) -> list[bytes]:
    """The fields of a ``/proc/<pid>/stat`` after the process name (state, parent, group, …): the
    name stands in parentheses and may itself hold spaces and „)“, so they follow the last one."""
    return stat[stat.rfind(b")") + 2 :].split()


def _lebende_in_gruppe(gruppe: int, proc: str = "/proc") -> bool | None:
    """Whether a process of the group ``gruppe`` still runs, read from ``proc`` (Linux); ``None``
    where that cannot be told. A zombie does not count: it runs nothing and writes nothing, it only
    waits to be reaped by its parent — for the tools LibreOffice starts and leaves behind (``gpg``,
    ``gpgconf``) that is process 1, which in a container may take a second (issue 15)."""
    try:
        eintraege = os.scandir(proc)
    except OSError:
        return None
    with eintraege:
        for e in eintraege:
            if not e.name.isdigit():
                continue
            try:
                with open(os.path.join(e.path, "stat"), "rb") as f:
                    stat = f.read()
            except OSError:  # ended meanwhile
                continue
            felder = _stat_felder(stat)
            if len(felder) > 2 and felder[2] == b"%d" % gruppe and felder[0] != b"Z":
                return True
    return False


def _warte_bis_gruppe_leer(gruppe: int, frist: float) -> None:
    """Wait (at most ``frist`` seconds) until no process of the group runs any more (a zombie
    left for another parent to reap counts as ended: :func:`_lebende_in_gruppe`)."""
    ende = time.monotonic() + frist
    while time.monotonic() < ende:
        try:
            os.killpg(gruppe, 0)
        except OSError:  # ProcessLookupError: the group is gone
            return
        if _lebende_in_gruppe(gruppe) is False:
            return
        time.sleep(0.02)


class _PdfStapel:
    """Converts DOCX files to PDF in ``k`` LibreOffice processes (:func:`_pdf_prozesse`), each
    started as soon as its group of files is there — while the rest is still being rendered. A
    group goes as documents of up to :data:`PDF_JE_DOKUMENT` annexes each, whose PDFs are cut
    per annex while LibreOffice converts the next (:mod:`sozbudget_xl.pdfbuendel`), where the
    annexes allow it; otherwise each annex is a document of its own.

    Use as a context manager: :meth:`hinzu` each DOCX (in order), then :meth:`fertig` waits and
    moves the PDFs into ``out_dir``. PDFs are written into a temporary folder inside ``out_dir``
    and moved in place only when every conversion succeeded; leaving the block early ends every
    LibreOffice process still running and removes all temporary files.
    """

    def __init__(
        self, out_dir: str | os.PathLike[str], anzahl: int, *, timeout: float, vorlauf: float
    ) -> None:
        self.soffice = _soffice()
        if self.soffice is None:
            raise _soffice_fehlt()
        if not Path(out_dir).is_dir():
            raise AnnexFehler(f"Zielordner „{out_dir}“ existiert nicht")
        self.ziel_ordner = Path(out_dir)
        self.groessen = _gruppengroessen(anzahl, _pdf_prozesse(anzahl), vorlauf) if anzahl else []
        self.timeout = timeout
        self.quellen: list[Path] = []
        self.staemme: set[str] = set()
        self.laeufe: list[_Lauf] = []
        self.stapel = contextlib.ExitStack()

    def __enter__(self) -> _PdfStapel:
        self.arbeit = Path(
            self.stapel.enter_context(tempfile.TemporaryDirectory(prefix=".~pdf-", dir=self.ziel_ordner))
        )
        self.kopien = Path(self.stapel.enter_context(tempfile.TemporaryDirectory(prefix="sozbudget-docx-")))
        self.stapel.callback(self._beende)  # runs before the folders are removed
        return self

    def __exit__(self, *exc: object) -> None:
        self.stapel.close()

    def hinzu(self, docx: str | os.PathLike[str]) -> None:
        quelle = Path(docx).resolve()
        if not quelle.is_file():
            raise AnnexFehler(f"DOCX-Datei „{quelle}“ nicht gefunden")
        if quelle.stem in self.staemme:
            raise AnnexFehler("zwei DOCX-Dateien mit demselben Namen: die PDFs würden sich überschreiben")
        self.staemme.add(quelle.stem)
        self.quellen.append(quelle)
        begonnen = sum(len(lauf.gruppe) for lauf in self.laeufe)
        naechste = len(self.laeufe)  # groups but the last start as soon as they are complete
        if naechste < len(self.groessen) - 1 and len(self.quellen) - begonnen == self.groessen[naechste]:
            self._starte(self.quellen[begonnen:])

    def _starte(self, gruppe: list[Path], einzeln: bool = False) -> _Lauf:
        """Start LibreOffice on ``gruppe``: as documents of up to :data:`PDF_JE_DOKUMENT` annexes
        each (:mod:`sozbudget_xl.pdfbuendel`) where the annexes allow it and not ``einzeln``,
        otherwise each annex on its own (slim copies)."""
        from . import pdfbuendel  # issue 15: see there
        from .pdfwandler import lo_profil, lo_umgebung, schlanke_kopien

        profil = lo_profil(self.stapel.enter_context(tempfile.TemporaryDirectory(prefix="lo-profil-")))
        ordner = self.kopien / f"lauf-{len(self.laeufe)}"
        ordner.mkdir()
        buendel: list[_Buendel] = []
        stuecke = [] if einzeln or len(gruppe) < 2 else _gleich_geteilt(gruppe, PDF_JE_DOKUMENT)
        for k, teil in enumerate(stuecke):  # one annex alone goes as it is
            marken = pdfbuendel.zusammenfuegen(teil, ordner / f"anlagen-{k}.docx")
            if marken is None:  # all of the group on their own: one filter for the whole run
                buendel = []
                break
            buendel.append(_Buendel(ordner / f"anlagen-{k}.pdf", marken, teil))
        if buendel:
            ausgabe, filter_ = ordner, PDF_MIT_MARKEN
            dateien = [b.pdf.with_suffix(".docx") for b in buendel]
        else:
            ausgabe, dateien, filter_ = self.arbeit, schlanke_kopien(gruppe, self.kopien), "pdf"
        befehl = _pdf_befehl(str(self.soffice), profil, str(ausgabe), dateien, filter_)
        neu = {"start_new_session": True} if os.name == "posix" else {}  # to end soffice.bin too
        # messages into a file, not a pipe: nobody reads a pipe while later annexes are rendered
        meldungen = ordner / "meldungen.txt"
        with meldungen.open("wb") as aus:
            prozess = subprocess.Popen(
                befehl, stdout=subprocess.DEVNULL, stderr=aus, env=lo_umgebung(), **neu
            )
        lauf = _Lauf(prozess, gruppe, meldungen, buendel)
        self.laeufe.append(lauf)
        return lauf

    def _beende(self) -> None:
        """End every LibreOffice run with its whole process group: soffice.bin may still work when
        the process we started (oosplash) has already ended."""
        for lauf in self.laeufe:
            prozess = lauf.prozess
            if os.name == "posix":
                with contextlib.suppress(OSError):
                    os.killpg(prozess.pid, signal.SIGKILL)
            if prozess.poll() is None:
                with contextlib.suppress(OSError):
                    prozess.kill()
            prozess.wait()
            if os.name == "posix":
                _warte_bis_gruppe_leer(prozess.pid, 5.0)

    def fertig(self) -> list[Path]:
        """Wait for every conversion (the timeout grows with the files of a group), cut the PDFs
        of the documents of several annexes (:meth:`_teilen`; the annexes of one that does not cut
        are converted again one by one) and move the PDFs in place; German :class:`AnnexFehler` if
        one is missing."""
        begonnen = sum(len(lauf.gruppe) for lauf in self.laeufe)
        if begonnen < len(self.quellen):
            self._starte(self.quellen[begonnen:])
        frist = self.timeout + 5 * (max((len(lauf.gruppe) for lauf in self.laeufe), default=1) - 1)
        ende = time.monotonic() + frist
        offen = self._teilen(ende)
        for lauf in list(self.laeufe):
            self._warte(lauf, ende, frist)
        if offen:
            self._warte(self._starte(offen, einzeln=True), time.monotonic() + frist, frist)
        ziele = [self.ziel_ordner / (q.stem + ".pdf") for q in self.quellen]
        for quelle, ziel in zip(self.quellen, ziele, strict=True):
            os.replace(self.arbeit / (quelle.stem + ".pdf"), ziel)
        return ziele

    def _teilen(self, ende: float) -> list[Path]:
        """Cut the PDF of each document of several annexes as soon as it is complete, while the
        runs go on (:func:`_vollstaendig`); returns the annexes of documents that did not convert
        or cut. Returns when every run has ended or at ``ende``."""
        from . import pdfbuendel

        offen: list[Path] = []
        if not any(lauf.buendel for lauf in self.laeufe):
            return offen  # nothing to cut: :meth:`_warte` waits for the runs
        geteilt = {id(lauf): 0 for lauf in self.laeufe}
        while True:
            laufend = [lauf.prozess.poll() is None for lauf in self.laeufe]
            for lauf, laeuft in zip(self.laeufe, laufend, strict=True):
                bis = _vollstaendig(lauf, laeuft)
                for b in lauf.buendel[geteilt[id(lauf)] : bis]:
                    ziele = [self.arbeit / (q.stem + ".pdf") for q in b.gruppe]
                    if not (_pdf_fertig(b.pdf) and pdfbuendel.aufteilen(b.pdf, b.marken, ziele)):
                        offen += b.gruppe
                geteilt[id(lauf)] = max(bis, geteilt[id(lauf)])
            if not any(laufend) or time.monotonic() > ende:  # :meth:`_warte` names a run that hangs
                return offen
            with contextlib.suppress(subprocess.TimeoutExpired):  # back at once when it ends
                self.laeufe[laufend.index(True)].prozess.wait(timeout=0.02)

    def _warte(self, lauf: _Lauf, ende: float, frist: float) -> None:
        """Wait for ``lauf`` (German :class:`AnnexFehler` at ``ende``); a run of annexes each on
        its own must have written every PDF (a document of several annexes that did not convert
        is converted again, see :meth:`_teilen`)."""
        namen = ", ".join(q.name for q in self.quellen[:3]) + (" …" if len(self.quellen) > 3 else "")
        try:
            lauf.prozess.wait(timeout=max(0.1, ende - time.monotonic()))
        except subprocess.TimeoutExpired as exc:
            raise AnnexFehler(
                f"LibreOffice hat die PDF-Umwandlung von „{namen}“ nicht innerhalb von {frist:.0f} "
                "Sekunden beendet"
            ) from exc
        if lauf.buendel:
            return
        fehlend = [q for q in lauf.gruppe if not (self.arbeit / (q.stem + ".pdf")).is_file()]
        if lauf.prozess.returncode != 0 or fehlend:
            meldung = lauf.meldungen.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
            raise AnnexFehler(
                f"LibreOffice konnte „{fehlend[0].name if fehlend else namen}“ nicht in PDF umwandeln "
                f"(Rückgabewert {lauf.prozess.returncode}): {' '.join(meldung) or 'keine Meldung'}"
            )


def _pdf_fertig(pdf: Path) -> bool:
    """Whether LibreOffice has written ``pdf`` completely: it writes into a temporary file, renames
    it to ``pdf`` and then removes its lock file ``.~lock.<name>#``."""
    return pdf.is_file() and not pdf.with_name(f".~lock.{pdf.name}#").exists()


def _vollstaendig(lauf: _Lauf, laeuft: bool) -> int:
    """How many of the run's documents of several annexes are done: all once the run has ended,
    before that those up to the first whose PDF is not complete (LibreOffice converts them one
    after the other)."""
    if not laeuft:
        return len(lauf.buendel)
    return next((i for i, b in enumerate(lauf.buendel) if not _pdf_fertig(b.pdf)), len(lauf.buendel))


@dataclass
class _Buendel:
    """Annexes converted as one document: its PDF, the bookmarks at the annexes' ends, the DOCX."""

    pdf: Path
    marken: list[str]
    gruppe: list[Path]


@dataclass
class _Lauf:
    """One LibreOffice process of a :class:`_PdfStapel`: its group of DOCX files, the file its
    messages go to and, where the group is converted as documents of several annexes, those."""

    prozess: subprocess.Popen[bytes]
    gruppe: list[Path]
    meldungen: Path
    buendel: list[_Buendel]


def render_pdfs(
    docx_paths: Iterable[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    timeout: float = PDF_TIMEOUT,
) -> list[Path]:
    """Convert several DOCX annexes to PDF with as few LibreOffice starts as possible: one process
    per core for a large batch (:func:`_pdf_prozesse`), each converting its share in one run.

    The PDFs are written into a temporary folder inside ``out_dir`` and moved in place only
    when every conversion succeeded. The timeout grows with the number of files.
    """
    quellen = list(docx_paths)
    with _PdfStapel(out_dir, len(quellen), timeout=timeout, vorlauf=1.0) as pdf:
        for quelle in quellen:
            pdf.hinzu(quelle)
        return pdf.fertig()


def alle_anlagen(
    result: ModelResult,
    vertraege_: Iterable[Vertrag],
    out_dir: str | os.PathLike[str],
    *,
    formate: Iterable[str] = ("docx", "html"),
    templates_dir: str | os.PathLike[str] | None = None,
    art: str = "plan",
) -> list[Path]:
    """Render every contract's annex (``art="plan"``) or settlement (``art="abrechnung"``) into
    ``out_dir`` (unique, safe file names: ``Vertragsanlage_…`` or ``Abrechnung_…``). For PDF,
    LibreOffice starts converting the first DOCX files while the rest are rendered."""
    if art == "abrechnung":
        from . import abrechnung

        bau, html_v, docx_v, praefix = (
            abrechnung.kontext,
            abrechnung.HTML_VORLAGE,
            abrechnung.DOCX_VORLAGE,
            "Abrechnung",
        )
    elif art == "plan":
        bau, html_v, docx_v, praefix = kontext, HTML_VORLAGE, DOCX_VORLAGE, "Vertragsanlage"
    else:
        raise AnnexFehler("unbekannte Dokumentart", field="Art", expected="plan, abrechnung", found=art)
    ordner = Path(out_dir)
    vergeben: set[str] = set()
    formate = tuple(formate)
    vertraege_ = list(vertraege_)
    dateien: list[Path] = []
    with (
        _PdfStapel(ordner, len(vertraege_), timeout=PDF_TIMEOUT, vorlauf=PDF_VORLAUF)
        if "pdf" in formate and vertraege_
        else contextlib.nullcontext()
    ) as pdf:
        for v in vertraege_:
            ctx = bau(result, v)
            if "html" in formate:
                ziel = ordner / dateiname(v, "html", vergeben, praefix=praefix)
                html = render_html(ctx, templates_dir, vorlage=html_v)
                dateien.append(
                    _schreibe_atomar(ziel, lambda tmp, h=html: Path(tmp).write_text(h, encoding="utf-8"))
                )
            if "docx" in formate or "pdf" in formate:
                ziel = ordner / dateiname(v, "docx", vergeben, praefix=praefix)
                dateien.append(render_docx(ctx, ziel, templates_dir, vorlage=docx_v))
                if pdf is not None:
                    pdf.hinzu(ziel)
        if pdf is not None:
            dateien.extend(pdf.fertig())
    return dateien
