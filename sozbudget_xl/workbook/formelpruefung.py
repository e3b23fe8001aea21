"""Input cells whose stored value cannot be trusted: circular references, external links and
references to the sheets sozbudget writes.

The reader uses the value Excel stored with each formula. For a formula that (directly or
through other cells) refers to itself, or to another workbook, that stored value is stale or
arbitrary; one that refers to an output sheet („Ergebnis“, „Zahlungsplan“, „Kennzahlen“,
„Verträge“) holds the result of the previous run, so each run would feed on the last one.
:func:`pruefe_formeln` finds such input cells from the formulas in the sheet XML
(shared formulas translated, A1 references, sheet references and table references) and
refuses them with sheet and cell. Iterative (no recursion), bounded by a cell count.
"""

from __future__ import annotations

import io as _io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from defusedxml import ElementTree as SafeET
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.formula.translate import Translator
from openpyxl.utils.cell import get_column_letter, range_boundaries

from ..errors import SozbudgetError

__all__ = ["pruefe_formeln"]

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_MAX_ZEILEN, _MAX_SPALTEN = 1_048_576, 16_384
_KLAMMER = re.compile(r"\[([^\[\]]*)\]")

Zelle = tuple[str, int, int]  # sheet, row, column
Bereich = tuple[str, int, int, int, int]  # sheet, min_col, min_row, max_col, max_row
Formel = str | tuple[str, str]  # text, or (anchor text, anchor cell) of a shared formula
#: cells looked at while following references (bounds the time on hostile files)
MAX_ARBEIT = 2_000_000
#: the sheets a recalculation rewrites (workbook.schema.ausgabe_bereiche and „Verträge“)
AUSGABEBLAETTER = ("Ergebnis", "Zahlungsplan", "Kennzahlen", "Verträge")


def _formeln(zf: zipfile.ZipFile, teil: str) -> Iterator[tuple[int, int, Formel]]:
    """(row, column, formula) of every formula cell of a sheet part; a shared formula's cell gets
    its anchor (text, anchor cell), translated when needed."""
    geteilt: dict[str, tuple[str, str]] = {}
    for _, elem in SafeET.iterparse(_io.BytesIO(zf.read(teil))):
        if elem.tag != _MAIN + "c":
            continue
        f = elem.find(_MAIN + "f")
        ref = elem.get("r")
        if f is not None and ref:
            text = f.text or ""
            if f.get("t") == "shared":
                si = f.get("si", "")
                if text:
                    geteilt[si] = (text, ref)
                elif si in geteilt:
                    c1, r1, _, _ = range_boundaries(ref)
                    yield r1, c1, geteilt[si]  # translated only when the cell is reached
            if text:
                c1, r1, _, _ = range_boundaries(ref)
                yield r1, c1, text
        elem.clear()


def _tabellen(wb: Any) -> dict[str, tuple[str, int, int, int, int, list[str]]]:
    aus: dict[str, tuple[str, int, int, int, int, list[str]]] = {}
    for ws in wb.worksheets:
        for t in ws.tables.values():
            c1, r1, c2, r2 = range_boundaries(t.ref)
            kopf = 1 if t.headerRowCount is None else t.headerRowCount
            aus[t.name.casefold()] = (ws.title, c1, r1 + kopf, c2, r2, [c.name for c in t.tableColumns])
    return aus


def _strukturiert(wert: str, blatt: str, zeile: int, tabellen: dict[str, Any]) -> Bereich | None:
    """A table reference (``Traeger[Anteil]``, ``[@Anteil]``, ``T[[#This Row],[A]]``) as a range."""
    name = wert.split("[", 1)[0]
    info = tabellen.get(name.casefold()) if name else None
    if info is None:
        info = next((t for t in tabellen.values() if t[0] == blatt and t[2] - 1 <= zeile <= t[4]), None)
    if info is None:
        return None
    tblatt, c1, r1, c2, r2, spalten = info
    innen = [s.strip() for s in _KLAMMER.findall(wert)]
    diese_zeile = "@" in wert or any(s.lower() == "#this row" for s in innen)
    namen = [s.lstrip("@").strip() for s in innen if s and not s.startswith("#")]
    idx = [i for i, s in enumerate(spalten) if any(s.casefold() == n.casefold() for n in namen)]
    if idx:
        c1, c2 = c1 + min(idx), c1 + max(idx)
    if diese_zeile:
        r1 = r2 = zeile
    return (tblatt, c1, r1, c2, r2)


def _bezuege(text: str, blatt: str, zeile: int, tabellen: dict[str, Any]) -> tuple[list[Bereich], bool]:
    """Ranges a formula refers to, and whether it refers to another workbook."""
    try:
        tokens = Tokenizer("=" + text).items
    except Exception:  # an unparsable formula: no references known
        return [], False
    bereiche: list[Bereich] = []
    extern = False
    for tok in tokens:
        if tok.type != Token.OPERAND or tok.subtype != Token.RANGE:
            continue
        wert = tok.value
        if "!" in wert:
            vor, adresse = wert.rsplit("!", 1)
            if "[" in vor:
                extern = True
                continue
            ziel_blatt = vor.strip("'").replace("''", "'")
        elif wert.startswith("[") and re.match(r"^\[\d+\]", wert):
            extern = True
            continue
        elif "[" in wert:
            b = _strukturiert(wert, blatt, zeile, tabellen)
            if b is not None:
                bereiche.append(b)
            continue
        else:
            ziel_blatt, adresse = blatt, wert
        try:
            c1, r1, c2, r2 = range_boundaries(adresse.replace("$", ""))
        except (ValueError, TypeError):
            continue  # a defined name
        bereiche.append((ziel_blatt, c1 or 1, r1 or 1, c2 or _MAX_SPALTEN, r2 or _MAX_ZEILEN))
    return bereiche, extern


class _Graph:
    """References between formula cells, computed only for cells reachable from the inputs,
    within :data:`MAX_ARBEIT` cell look-ups (``None`` from :meth:`folge` when exceeded)."""

    def __init__(self, formeln: dict[Zelle, Formel], tabellen: dict[str, Any]) -> None:
        self.formeln = formeln
        self.tabellen = tabellen
        self.je_blatt: dict[str, list[Zelle]] = {}
        for z in formeln:
            self.je_blatt.setdefault(z[0].casefold(), []).append(z)
        self.kanten: dict[Zelle, list[Zelle]] = {}
        self.extern: set[Zelle] = set()
        self.ausgabe: dict[Zelle, str] = {}  # cell → the output sheet it refers to
        self._ausgabeblaetter = {b.casefold(): b for b in AUSGABEBLAETTER}
        self.arbeit = MAX_ARBEIT

    def _text(self, z: Zelle) -> str:
        f = self.formeln[z]
        if isinstance(f, str):
            return f
        quelle, ursprung = f
        try:
            return Translator("=" + quelle, origin=ursprung).translate_formula(
                f"{get_column_letter(z[2])}{z[1]}"
            )[1:]
        except Exception:
            return quelle

    def folge(self, z: Zelle) -> list[Zelle] | None:
        if z in self.kanten:
            return self.kanten[z]
        bereiche, ist_extern = _bezuege(self._text(z), z[0], z[1], self.tabellen)
        if ist_extern:
            self.extern.add(z)
        ziele: list[Zelle] = []
        for b, c1, r1, c2, r2 in bereiche:
            if b.casefold() in self._ausgabeblaetter and b.casefold() != z[0].casefold():
                self.ausgabe.setdefault(z, self._ausgabeblaetter[b.casefold()])
            kandidaten = self.je_blatt.get(b.casefold(), [])
            flaeche = (c2 - c1 + 1) * (r2 - r1 + 1)
            self.arbeit -= min(flaeche, len(kandidaten))
            if self.arbeit < 0:
                return None
            if kandidaten and flaeche <= len(kandidaten):
                name = kandidaten[0][0]
                ziele.extend(
                    (name, r, c)
                    for r in range(r1, r2 + 1)
                    for c in range(c1, c2 + 1)
                    if (name, r, c) in self.formeln
                )
            else:
                ziele.extend(k for k in kandidaten if c1 <= k[2] <= c2 and r1 <= k[1] <= r2)
        self.kanten[z] = ziele
        return ziele

    def erreichbar(self, start: list[Zelle]) -> bool:
        """Compute the edges of every cell reachable from ``start``; False when over budget."""
        offen = list(start)
        gesehen = set(start)
        while offen:
            nachfolger = self.folge(offen.pop())
            if nachfolger is None:
                return False
            for w in nachfolger:
                if w not in gesehen:
                    gesehen.add(w)
                    offen.append(w)
        return True


def _zyklisch(kanten: dict[Zelle, list[Zelle]]) -> set[Zelle]:
    """Cells on a cycle (strongly connected components of size > 1, or a self-reference);
    iterative Tarjan, so deep chains never hit Python's recursion limit."""
    index: dict[Zelle, int] = {}
    tief: dict[Zelle, int] = {}
    stapel: list[Zelle] = []
    auf_stapel: set[Zelle] = set()
    ergebnis: set[Zelle] = set()
    zaehler = 0
    for start in kanten:
        if start in index:
            continue
        arbeit: list[tuple[Zelle, int]] = [(start, 0)]
        while arbeit:
            v, i = arbeit.pop()
            if i == 0:
                index[v] = tief[v] = zaehler
                zaehler += 1
                stapel.append(v)
                auf_stapel.add(v)
            nachfolger = kanten.get(v, [])
            if i < len(nachfolger):
                arbeit.append((v, i + 1))
                w = nachfolger[i]
                if w not in index:
                    arbeit.append((w, 0))
                elif w in auf_stapel:
                    tief[v] = min(tief[v], index[w])
                continue
            if tief[v] == index[v]:
                komponente = []
                while True:
                    w = stapel.pop()
                    auf_stapel.discard(w)
                    komponente.append(w)
                    if w == v:
                        break
                if len(komponente) > 1 or v in nachfolger:
                    ergebnis.update(komponente)
            if arbeit:
                eltern = arbeit[-1][0]
                tief[eltern] = min(tief[eltern], tief[v])
    return ergebnis


def _in(z: Zelle, eingaben: dict[str, list[tuple[int, int, int, int]]]) -> bool:
    return any(c1 <= z[2] <= c2 and r1 <= z[1] <= r2 for c1, r1, c2, r2 in eingaben.get(z[0], []))


def pruefe_formeln(
    zf: zipfile.ZipFile,
    blatt_teile: dict[str, str],
    eingaben: dict[str, list[tuple[int, int, int, int]]],
    hoechstens: int,
    wb: Any = None,
) -> None:
    """Refuse an input cell (``eingaben``: sheet → ranges) whose formula depends on a circular
    reference, on another workbook or on an output sheet (:data:`AUSGABEBLAETTER`). Skipped above
    ``hoechstens`` formula cells."""
    formeln: dict[Zelle, Formel] = {}
    for blatt, teil in blatt_teile.items():
        if teil not in zf.namelist():
            continue
        for zeile, spalte, text in _formeln(zf, teil):
            formeln[(blatt, zeile, spalte)] = text
            if len(formeln) > hoechstens:
                return
    start = [z for z in formeln if _in(z, eingaben)]
    if not start:
        return
    graph = _Graph(formeln, _tabellen(wb) if wb is not None else {})
    if not graph.erreichbar(start):
        return  # too many references to follow in bounded time: the stored values are used
    zyklisch = _zyklisch(graph.kanten)
    modell = _modell_eingaben(wb, eingaben)
    for z in start:
        ausgabe = graph.ausgabe if _in(z, modell) else {}  # a user's own table may sum „Ergebnis“
        grund = _erreicht(z, graph.kanten, zyklisch, graph.extern, ausgabe)
        if grund:
            raise SozbudgetError(grund, sheet=z[0], cell=f"{get_column_letter(z[2])}{z[1]}")


def _modell_eingaben(
    wb: Any, eingaben: dict[str, list[tuple[int, int, int, int]]]
) -> dict[str, list[tuple[int, int, int, int]]]:
    """The input ranges a model reads: „Parameter“ and the tables named like a table of some
    model (other tables of the workbook are the user's own)."""
    from ..models import namen as modellnamen
    from .schema import schema

    namen = {t.name.casefold() for m in modellnamen() for t in schema(m).tabellen}
    aus = {"Parameter": list(eingaben.get("Parameter", []))}
    for ws in wb.worksheets if wb is not None else ():
        for t in ws.tables.values():
            if t.name.casefold() in namen:
                c1, r1, c2, r2 = range_boundaries(t.ref)
                aus.setdefault(ws.title, []).append((c1, r1, c2, r2))
    return aus


def _erreicht(
    start: Zelle,
    kanten: dict[Zelle, list[Zelle]],
    zyklisch: set[Zelle],
    extern: set[Zelle],
    ausgabe: dict[Zelle, str],
) -> str:
    gesehen = {start}
    offen = [start]
    while offen:
        z = offen.pop()
        if z in zyklisch:
            return (
                "die Formel hängt von einem Zirkelbezug ab (eine Formel verweist auf sich selbst) – ihr "
                "gespeicherter Wert ist nicht verlässlich; bitte den Zirkelbezug auflösen "
                "(Formeln › Fehlerüberprüfung › Zirkelbezüge)"
            )
        if z in extern:
            return (
                "die Formel verweist auf eine andere Arbeitsmappe (externe Verknüpfung) – ihr gespeicherter "
                "Wert kann veraltet sein; bitte den Wert direkt eintragen oder die Verknüpfung lösen "
                "(Daten › Verknüpfungen bearbeiten)"
            )
        if z in ausgabe:
            return (
                f"die Formel verweist auf das Blatt „{ausgabe[z]}“, das sozbudget bei jeder Berechnung neu "
                "schreibt – ihr gespeicherter Wert stammt aus der vorigen Berechnung, jede Berechnung "
                "baute auf der letzten auf; bitte den Wert direkt eintragen"
            )
        for w in kanten.get(z, []):
            if w not in gesehen:
                gesehen.add(w)
                offen.append(w)
    return ""
