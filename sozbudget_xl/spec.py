"""Model declarations: what one budget model means, in one place (its own module).

A model module defines ``DEKLARATION = Deklaration(...)``: its inputs (parameter rows and
tables, with German titles, cell types, allowed values with German display labels), its
outputs (Kennzahlen and result tables, each with an :class:`~sozbudget_xl.einheiten.Einheit`),
its contract texts (Jinja snippets fed by parameters and results) and the facts an annex
shows. Everything else is derived from it: the workbook layout, validation lists, reader and
writer (:mod:`sozbudget_xl.workbook.schema`), the worksheet functions
(:mod:`sozbudget_xl.excel`), the model's annex section (:mod:`sozbudget_xl.annex`) and the
README model table (checked by a test).

This module is part of the core: it imports nothing from adapters.

>>> f = Feld("umverteilung", "Umverteilung", "text", auswahl=wahlen(("anteilig", "anteilig"),
...          ("zusatzfaelle", "nach Zusatzfällen")))
>>> f.anzeigewerte()
('anteilig', 'nach Zusatzfällen')
>>> f.einheit
<Einheit.TEXT: 'Text'>
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .einheiten import Einheit
from .feiertage import LAENDER as BUNDESLAENDER

__all__ = [
    "INDIKATOREN",
    "MAPPE",
    "MAPPE_BEISPIEL",
    "METHODEN_WAHLEN",
    "RHYTHMUS_WAHLEN",
    "SCHLUESSEL_WAHLEN",
    "TYPEN",
    "WERKTAG_LESART",
    "Angabe",
    "Ausgabetabelle",
    "Deklaration",
    "Feld",
    "KeinePartei",
    "Kennzahl",
    "Lesart",
    "Planwert",
    "Spalte",
    "Tabelle",
    "Vertragsbildung",
    "Vertragstext",
    "Wahl",
    "einheit_von_typ",
    "funktionsname",
    "lesarten_von",
    "wahlen",
    "zahlung",
]

#: cell types of inputs
TYPEN = ("text", "betrag", "zahl", "ganzzahl", "prozent", "ja_nein", "datum", "liste")

_EINHEIT_VON_TYP = {
    "text": Einheit.TEXT,
    "betrag": Einheit.EURO,
    "zahl": Einheit.ZAHL,
    "ganzzahl": Einheit.ANZAHL,
    "prozent": Einheit.ANTEIL,
    "ja_nein": Einheit.JA_NEIN,
    "datum": Einheit.DATUM,
    "liste": Einheit.TEXT,
}


def einheit_von_typ(typ: str) -> Einheit:
    """The unit a cell type stands for when a field declares none."""
    return _EINHEIT_VON_TYP[typ]


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Wahl:
    """One allowed value: the internal key and the German word users see in dropdowns."""

    schluessel: str
    anzeige: str


def wahlen(*paare: tuple[str, str] | str) -> tuple[Wahl, ...]:
    """Choices from ``(key, display)`` pairs (a plain string is key and display at once)."""
    return tuple(Wahl(p, p) if isinstance(p, str) else Wahl(*p) for p in paare)


@dataclass(frozen=True)
class Feld:
    """A parameter row or an input-table column.

    ``feld`` is the dataclass field it fills, ``titel`` the German label in the workbook,
    ``typ`` one of :data:`TYPEN`. ``hilfe`` never repeats the default: the workbook adds
    „Standard: …“ from the dataclass itself. ``pflicht`` None: required when the dataclass
    field has no default.
    """

    feld: str
    titel: str
    typ: str
    hilfe: str = ""
    auswahl: tuple[Wahl, ...] | None = None
    pflicht: bool | None = None
    #: negative numbers allowed
    negativ: bool = False
    #: element type of a "liste"
    element: str = "text"
    #: unit of the value (default: from ``typ``)
    einheit_: Einheit | None = None

    def __post_init__(self) -> None:
        if self.typ not in TYPEN:
            raise ValueError(f"unbekannter Zelltyp {self.typ!r} für {self.feld!r}")
        if self.auswahl is not None:
            object.__setattr__(
                self,
                "auswahl",
                wahlen(
                    *(
                        a if isinstance(a, str) else (a.schluessel, a.anzeige) if isinstance(a, Wahl) else a
                        for a in self.auswahl
                    )
                ),
            )

    @property
    def einheit(self) -> Einheit:
        return self.einheit_ or einheit_von_typ(self.typ)

    def schluessel(self) -> tuple[str, ...] | None:
        """Internal keys of the allowed values (None: free input)."""
        return None if self.auswahl is None else tuple(w.schluessel for w in self.auswahl)

    def anzeigewerte(self) -> tuple[str, ...] | None:
        """German display words of the allowed values (dropdown entries)."""
        return None if self.auswahl is None else tuple(w.anzeige for w in self.auswahl)

    def anzeige_von(self, schluessel: Any) -> Any:
        """The display word of an internal key (unchanged when it is none)."""
        for w in self.auswahl or ():
            if w.schluessel == schluessel:
                return w.anzeige
        return schluessel


@dataclass(frozen=True)
class Tabelle:
    """An input table: Excel table ``name`` on sheet ``blatt`` fills ``Eingabe.<feld>``."""

    name: str
    blatt: str
    feld: str
    spalten: tuple[Feld, ...]
    hilfe: str = ""
    #: Mapping field of the row class that takes every further column (base data)
    daten: str | None = None
    #: typical data columns shown in the workbook (title, help)
    datenspalten: tuple[tuple[str, str], ...] = ()


# --------------------------------------------------------------------------- outputs


@dataclass(frozen=True)
class Kennzahl:
    """A single figure of the result with its unit (``name`` is a regex with ``muster``)."""

    name: str
    einheit: Einheit
    hilfe: str = ""
    muster: bool = False

    def passt(self, name: str) -> bool:
        return re.fullmatch(self.name, name) is not None if self.muster else name == self.name


@dataclass(frozen=True)
class Spalte:
    """A column of a result table with its unit (``name`` is a regex with ``muster``)."""

    name: str
    einheit: Einheit
    muster: bool = False

    def passt(self, name: str) -> bool:
        return re.fullmatch(self.name, name) is not None if self.muster else name == self.name


@dataclass(frozen=True)
class Ausgabetabelle:
    """A result table: its columns with units, and which columns name the contract's Träger
    and Sozialraum (the annex shows a contract the rows that name it)."""

    name: str
    spalten: tuple[Spalte, ...]
    traeger: str | None = None
    sozialraum: str | None = None
    hilfe: str = ""
    muster: bool = False
    #: columns the contract's annex shows of the rows that name the contract (empty: none);
    #: each entry is a regular expression matched against the whole column name
    anlage: tuple[str, ...] = ()
    #: every row belongs to every contract of the model (a one-Träger model's own tables)
    alle_vertraege: bool = False

    def passt(self, name: str) -> bool:
        return re.fullmatch(self.name, name) is not None if self.muster else name == self.name

    def einheit(self, spalte: str) -> Einheit | None:
        for s in self.spalten:
            if s.passt(spalte):
                return s.einheit
        return None


# --------------------------------------------------------------------------- contract texts


@dataclass(frozen=True)
class Vertragstext:
    """A sentence block of the annex, as a Jinja snippet.

    The snippet sees ``p`` (the model's parameters), ``k`` (Kennzahlen by name), ``e`` (the
    model's input), ``vertrag`` (the contract) and the filters ``betrag``, ``prozent``,
    ``zahl``, ``datum``, ``wahl`` (display word of a choice). ``art``: "regel" (rules of the
    model), "ruecklage", "revision" or "bericht" (one obligation per text). ``vorschlag``: the
    report does not contain this clause; the annex marks it as a Formulierungsvorschlag.
    """

    art: str
    text: str
    quelle: str = ""
    vorschlag: bool = False
    #: Jinja expression: the text is shown only when it is true
    wenn: str | None = None


@dataclass(frozen=True)
class Angabe:
    """A fact of the annex's model table: a Kennzahl (``spalte`` None) or the contract's row of
    result table ``name``; its unit comes from the output declaration."""

    name: str
    titel: str
    spalte: str | None = None
    #: a fact of the year (e.g. a degree of fulfilment): shown in the settlement, not in the plan
    abrechnung: bool = False


@dataclass(frozen=True)
class Planwert:
    """An input that is a fact of the year, and the value the plan assumes for it (issue 12: the
    annex is the plan agreed before the year; the settlement shows the year's facts).

    ``pfad``: dotted path of the field in the model's ``Eingabe``; a tuple on the way applies the
    rest of the path to each of its rows (``"traeger.qualitaetsnachweis"``). ``wert``: the plan's
    value (e.g. None: not yet assessed); ``aus``: take it from this field of the same row instead
    (e.g. Ist = Soll: the bonus at its maximum). ``hilfe``: in German, what the plan assumes.
    The annex re-runs the model with every Planwert set (:func:`sozbudget_xl.vertraege.planansicht`).
    """

    pfad: str
    wert: Any = None
    aus: str = ""
    hilfe: str = ""


# --------------------------------------------------------------------------- contracts


@dataclass(frozen=True)
class KeinePartei:
    """Line items whose Träger is no budget party (no contract, no annex): e.g. the Jugendamt's
    own staff or homes paid case by case. ``wenn`` is a Jinja expression over ``pos`` (the
    :class:`~sozbudget_xl.ergebnis.LineItem`), ``e`` (input), ``p`` (parameters) and ``k``
    (Kennzahlen); ``grund`` says in German why these rows get no annex."""

    wenn: str
    grund: str


@dataclass(frozen=True)
class Vertragsbildung:
    """How a model forms its contracts (one annex per contract, domain spec §6).

    ``je``: ``"traeger_sozialraum"`` (one contract per Träger × Sozialraum) or ``"traeger"``
    (one contract per Träger over all its Sozialräume). ``partei``: a Jinja expression naming
    the contract party when it is not the payee (Neunkirchen: the Trägerverbund, paid to its
    federführender Träger); empty: the Träger of the line items. ``keine_partei``: rows that are
    not budget parties. ``parteien``: who the party beside the Gebietskörperschaft is (German,
    from the report; the annex completes the sentence „Vertragsparteien sind … und {parteien}“)."""

    je: str = "traeger_sozialraum"
    partei: str = ""
    keine_partei: tuple[KeinePartei, ...] = ()
    parteien: str = ""
    #: Jinja expression over ``pos`` (and ``e``, ``p``, ``k``): line items that are facts of the
    #: year (e.g. an adjustment granted afterwards) — in the settlement, not in the plan
    nur_abrechnung: str = ""

    def __post_init__(self) -> None:
        if self.je not in ("traeger_sozialraum", "traeger"):
            raise ValueError(f"unbekannte Vertragsbildung {self.je!r}")


# --------------------------------------------------------------------------- readings


@dataclass(frozen=True)
class Lesart:
    """A point where the report can be read more than one way, or where a default is not in the
    report: the parameter ``feld`` that chooses, and in German what the report says and why the
    default is what it is. ``auslegung``: the default is a judgement call (the report does not
    decide it). README and the workbook Anleitung show every reading with its default."""

    feld: str
    text: str
    auslegung: bool = False


# --------------------------------------------------------------------------- declaration


@dataclass(frozen=True)
class Deklaration:
    """Everything the adapters need to know about one model."""

    eingabe: tuple[Feld, ...]
    parameter: tuple[Feld, ...]
    tabellen: tuple[Tabelle, ...]
    kennzahlen: tuple[Kennzahl, ...] = ()
    ausgaben: tuple[Ausgabetabelle, ...] = ()
    vertragstexte: tuple[Vertragstext, ...] = ()
    angaben: tuple[Angabe, ...] = ()
    #: (table, column title) → (master table, master column title): values come from that list
    verweise: tuple[tuple[tuple[str, str], tuple[str, str]], ...] = ()
    #: README: one sentence on the reading of the report the defaults follow
    lesart: str = ""
    #: every reading of the report with its parameter (README and Anleitung show the default)
    lesarten: tuple[Lesart, ...] = ()
    #: field names used in model errors → titles of this workbook (legacy error location)
    aliase: tuple[tuple[str, str], ...] = ()
    #: errors with a Sozialraum (``region``) about this column title point to this table
    region_tabellen: tuple[tuple[str, str], ...] = ()
    #: how the model forms its contracts and which rows are no contract parties (annexes)
    vertraege: Vertragsbildung = Vertragsbildung()
    #: inputs that are facts of the year and their value in the plan (the annex's plan view)
    plan: tuple[Planwert, ...] = ()

    def feld(self, name: str) -> Feld:
        """The parameter or Eingabe row filling ``name``."""
        for f in self.eingabe + self.parameter:
            if f.feld == name:
                return f
        raise KeyError(name)

    def kennzahl_einheit(self, name: str) -> Einheit | None:
        for k in self.kennzahlen:
            if k.passt(name):
                return k.einheit
        return None

    def ausgabetabelle(self, name: str) -> Ausgabetabelle | None:
        for t in self.ausgaben:
            if t.passt(name):
                return t
        return None

    def texte(self, art: str) -> tuple[Vertragstext, ...]:
        return tuple(t for t in self.vertragstexte if t.art == art)


# --------------------------------------------------------------------------- shared rows

#: the first rows of every „Parameter“ sheet (Haushaltsjahr fills Parameter.jahr)
MAPPE: tuple[Feld, ...] = (
    Feld("modell", "Modell", "text", "Name des Rechenmodells (nicht ändern)"),
    Feld("jahr", "Haushaltsjahr", "ganzzahl", "Haushaltsjahr des Budgets, z. B. 2026", einheit_=Einheit.JAHR),
    Feld(
        "gebietskoerperschaft",
        "Gebietskörperschaft",
        "text",
        "Stadt oder Landkreis: örtlicher Träger der öffentlichen Jugendhilfe und Vertragspartei "
        "(§ 69 SGB VIII)",
    ),
    Feld(
        "jugendamt", "Jugendamt", "text", "Bezeichnung des Jugendamts, das die Gebietskörperschaft vertritt"
    ),
    Feld(
        "jugendamt_anschrift",
        "Anschrift des Jugendamts",
        "text",
        "Straße und Ort für die Vertragsanlagen; Zeilen mit „;“ trennen, "
        "z. B. Rathausplatz 1; 12345 Musterstadt",
    ),
    Feld(
        "jugendamt_unterzeichner",
        "Unterzeichnet für das Jugendamt",
        "text",
        "Name und Funktion der Person, die für das Jugendamt unterschreibt",
    ),
)

#: example values of the shared rows (example workbooks)
MAPPE_BEISPIEL: dict[str, str] = {
    "Gebietskörperschaft": "Stadt Musterstadt",
    "Jugendamt": "Jugendamt Musterstadt",
    "Anschrift des Jugendamts": "Rathausplatz 1; 12345 Musterstadt",
    "Unterzeichnet für das Jugendamt": "Dr. Erika Mustermann, Leiterin des Jugendamts",
}

#: instalment rhythms with the words users see
RHYTHMUS_WAHLEN: tuple[Wahl, ...] = wahlen(
    ("monatlich", "monatlich"),
    ("quartalsweise", "vierteljährlich"),
    ("quartalsmitte", "zur Quartalsmitte"),
    ("jaehrlich", "jährlich"),
    ("termine", "zu festen Terminen"),
)


#: German words of the standardisation methods (keys: :data:`~sozbudget_xl.indicators.METHODEN`)
METHODEN_WAHLEN = wahlen(
    ("spw", "Standardpunktwert (SPW)"),
    ("z", "z-Wert"),
    ("sw", "Standardwert (100 + 10·z)"),
    ("t", "T-Wert (50 + 10·z)"),
    ("index100", "Index (Durchschnitt = 100)"),
    ("rang", "Rangplatz"),
)
#: German words of the allocation keys (keys: :data:`~sozbudget_xl.indicators.SCHLUESSEL`)
SCHLUESSEL_WAHLEN = wahlen(
    ("jew", "Jugendeinwohnerwert"),
    ("basis_faktor", "Basis × Faktor"),
    ("kopf", "Kopfzahl"),
)


#: contract-text snippet shared by every model with an instalment plan (the ``werktag`` parameter)
WERKTAG_SATZ = (
    "{% if p.werktag %}; fällt ein Zahltag auf ein Wochenende oder einen Feiertag, wird am "
    "nächsten Werktag gezahlt{% endif %}"
)


#: the reading of the instalment dates every model with an instalment plan shares (domain spec §4)
WERKTAG_LESART = Lesart(
    "werktag",
    "Das Gutachten nennt nur „festgelegte Raten“ bzw. die Quartalsmitte (Celle), keine Regel für "
    "Wochenenden; nach der Fachvorgabe rückt ein Zahltag am Wochenende oder Feiertag auf den "
    "nächsten Werktag (Neujahr ist kein Zahltag). „nein“ behält die Kalenderdaten.",
    auslegung=True,
)


def lesarten_von(d: Deklaration) -> tuple[Lesart, ...]:
    """The model's readings plus the shared one of the instalment dates (when it has ``werktag``)."""
    felder = {f.feld for f in d.parameter}
    eigene = tuple(x for x in d.lesarten if x.feld != "werktag")
    return eigene + ((WERKTAG_LESART,) if "werktag" in felder else ())


def zahlung(*, termine: bool = True) -> tuple[Feld, ...]:
    """Parameter rows of the instalment plan (Zahlungsweise, Werktag, Bundesland, Termine)."""
    rhythmen = RHYTHMUS_WAHLEN if termine else tuple(w for w in RHYTHMUS_WAHLEN if w.schluessel != "termine")
    felder = [
        Feld("zahlungsweise", "Zahlungsweise", "text", "Rhythmus der Abschläge", auswahl=rhythmen),
        Feld(
            "werktag",
            "Zahltag auf Werktag verschieben",
            "ja_nein",
            "ja: fällt ein Zahltag auf Wochenende oder Feiertag, wird am nächsten Werktag gezahlt",
        ),
        Feld(
            "bundesland",
            "Bundesland",
            "text",
            "Kürzel für die Feiertage (z. B. NW, BY); leer: nur bundesweite Feiertage",
            auswahl=wahlen(*BUNDESLAENDER),
        ),
    ]
    if termine:
        felder.append(
            Feld(
                "termine",
                "Termine",
                "liste",
                "nur bei Zahlungsweise „zu festen Terminen“: Fälligkeiten, getrennt durch „;“, "
                "z. B. 15.01.2026; 15.07.2026",
                element="datum",
            )
        )
    return tuple(felder)


#: the indicator table shared by the index-based models
INDIKATOREN = Tabelle(
    "Indikatoren",
    "Indikatoren",
    "indikatoren",
    (
        Feld("name", "Indikator", "text", "Name des Indikators"),
        Feld("zaehler", "Zähler", "text", "Datenspalte des Zählers (Spaltenüberschrift der Datentabelle)"),
        Feld("nenner", "Nenner", "text", "Datenspalte des Nenners (leer: Zähler ist schon eine Quote)"),
        Feld(
            "richtung",
            "Richtung",
            "ganzzahl",
            "1: höherer Wert = mehr Bedarf; -1: niedrigerer Wert = mehr Bedarf",
            auswahl=wahlen("1", "-1"),
            negativ=True,
        ),
        Feld("gewicht", "Gewicht", "prozent", "Gewicht im Gesamtindex (leer: alle gleich)"),
        Feld("faktor", "Faktor", "zahl", "Faktor der Quote, z. B. 100 für Prozentwerte; leer: 1"),
    ),
    "Sozialindikatoren für den Verteilungsschlüssel",
)


def funktionsname(modell_name: str) -> str:
    """Name of a model's worksheet function in every host: ``SRB_`` and the registry key."""
    return "SRB_" + modell_name.strip().upper()


def parameter_in(text: str) -> set[str]:
    """Names of the parameters (``p.<name>`` or ``w.<name>``) a Jinja snippet uses."""
    return set(re.findall(r"\b[pw]\.([a-z_][a-z0-9_]*)", text))


def pruefe_ausgaben(
    d: Deklaration, kennzahlen: Iterable[str], tabellen: dict[str, Iterable[str]], melde: Callable[[str], Any]
) -> None:
    """Report (via ``melde``) every Kennzahl or table column without a declared unit."""
    for k in kennzahlen:
        if d.kennzahl_einheit(k) is None:
            melde(f"Kennzahl „{k}“ hat keine Einheit")
    for name, spalten in tabellen.items():
        t = d.ausgabetabelle(name)
        if t is None:
            melde(f"Tabelle „{name}“ ist nicht deklariert")
            continue
        for s in spalten:
            if t.einheit(s) is None:
                melde(f"Spalte „{s}“ der Tabelle „{name}“ hat keine Einheit")
