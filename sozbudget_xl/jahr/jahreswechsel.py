"""Carry-forward to next year's workbook (issue 16): ``sozbudget jahreswechsel ALT.xlsx NEU.xlsx``.

NEU is a copy of ALT (every sheet, table, parameter, chart) with

* Haushaltsjahr + 1 on „Parameter“;
* the closing balances of ALT's Jahresabschluss (Rücklagen, Präventionsfonds, Verbund reserve)
  as opening balances on the sheet „Vorträge“ — money is conserved: Endbestand of year n =
  Anfangsbestand of year n + 1;
* ALT's Ist rows kept with their year on „Ist“: they are the previous year's seasonal profile of
  the forecast, and the new year's rows are added below;
* per model (keyed by name): Celle's Vorjahresrechnungsergebnis = ALT's Ist of the year (the
  budget frame is the previous year's result, Gutachten 5.5) and its Festschreibung kept
  („bleiben für zwei Jahre die Budgetanteile konstant“: the year it started stays, the shares are
  copied); Stuttgart's and Neunkirchen's year-end Ist cells emptied (a new year has none yet);
* then NEU is recalculated. ALT is only read. NEU is written next to itself under a temporary
  name and linked into place only when everything succeeded; an existing NEU is never replaced.

The cell edits patch the sheet's XML in the package (no round trip through openpyxl, which would
drop charts).
"""

from __future__ import annotations

import contextlib
import io as _io
import os
import secrets
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from lxml import etree

from ..errors import SozbudgetError
from ..formats import betrag as _fmt
from ..money import ZERO

__all__ = ["Jahreswechsel", "jahreswechsel", "setze_zellen"]

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
#: a cell value to write: a number, a text, or None (empty the cell)
Wert = Decimal | int | str | None


@dataclass
class Jahreswechsel:
    """What the carry-forward did (for the CLI's summary)."""

    neu: Path
    jahr: int
    vortraege: list[Any] = field(default_factory=list)
    hinweise: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------- XML cells


def _blatt_teil(zf: zipfile.ZipFile, blatt: str) -> str:
    wb = etree.fromstring(zf.read("xl/workbook.xml"), _PARSER)
    rid = None
    for s in wb.iter(f"{{{_MAIN}}}sheet"):
        if s.get("name") == blatt:
            rid = s.get(f"{{{_R}}}id")
    if rid is None:
        raise SozbudgetError(f"das Blatt „{blatt}“ fehlt in der Mappe", sheet=blatt)
    rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"), _PARSER)
    for r in rels.iter(f"{{{_PKG}}}Relationship"):
        if r.get("Id") == rid:
            ziel = r.get("Target", "")
            return ziel.lstrip("/") if ziel.startswith("/") else "xl/" + ziel
    raise SozbudgetError(f"das Blatt „{blatt}“ ist in der Mappe nicht auffindbar", sheet=blatt)


def _spalte(ref: str) -> int:
    n = 0
    for ch in ref:
        if ch.isalpha():
            n = n * 26 + ord(ch.upper()) - 64
    return n


def _zelle(root: Any, ref: str) -> Any:
    """The ``<c r=ref>`` element of a sheet, created (in column order) when missing."""
    zeile_nr = int("".join(ch for ch in ref if ch.isdigit()))
    daten = root.find(f"{{{_MAIN}}}sheetData")
    zeile = None
    for z in daten.iter(f"{{{_MAIN}}}row"):
        if int(z.get("r", "0")) == zeile_nr:
            zeile = z
    if zeile is None:
        raise SozbudgetError(f"Zeile {zeile_nr} fehlt", cell=ref)
    for c in zeile.iter(f"{{{_MAIN}}}c"):
        if c.get("r") == ref:
            return c
    neu = etree.Element(f"{{{_MAIN}}}c", r=ref)
    nach = [c for c in zeile.iter(f"{{{_MAIN}}}c") if _spalte(c.get("r", "")) > _spalte(ref)]
    if nach:
        nach[0].addprevious(neu)
    else:
        zeile.append(neu)
    return neu


def _setze(c: Any, wert: Wert) -> None:
    for kind in list(c):
        c.remove(kind)
    c.attrib.pop("t", None)
    if wert is None:
        return
    if isinstance(wert, str):
        c.set("t", "inlineStr")
        t = etree.SubElement(etree.SubElement(c, f"{{{_MAIN}}}is"), f"{{{_MAIN}}}t")
        t.text = wert
    else:
        etree.SubElement(c, f"{{{_MAIN}}}v").text = str(wert)


def setze_zellen(daten: bytes, blatt: str, werte: Mapping[str, Wert]) -> bytes:
    """The package ``daten`` with cells of ``blatt`` set (ref → value); everything else is copied
    byte for byte."""
    if not werte:
        return daten
    with zipfile.ZipFile(_io.BytesIO(daten)) as zf:
        teil = _blatt_teil(zf, blatt)
        root = etree.fromstring(zf.read(teil), _PARSER)
        for ref, wert in werte.items():
            _setze(_zelle(root, ref), wert)
        neu = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        ausgabe = _io.BytesIO()
        with zipfile.ZipFile(ausgabe, "w") as out:
            for info in zf.infolist():
                out.writestr(info, neu if info.filename == teil else zf.read(info.filename))
    return ausgabe.getvalue()


# ----------------------------------------------------------------------------- per model


def _celle(b: Any, ist_jahr: Decimal, vollstaendig: bool, hinweise: list[str]) -> dict[str, Wert]:
    werte: dict[str, Wert] = {"Vorjahresrechnungsergebnis": ist_jahr}
    hinweise.append(
        f"Vorjahresrechnungsergebnis = Ist {b.ergebnis.jahr}: {_fmt(ist_jahr)}"
        + ("" if vollstaendig else " (vorläufig: Prognose, das Ist des Jahres ist noch nicht vollständig)")
    )
    seit = getattr(b.eingabe, "festschreibung_seit", None)
    jahre = getattr(b.parameter, "festschreibung_jahre", 2)
    if seit is None:
        seit = b.ergebnis.jahr
        werte["Festschreibung seit"] = seit
    if b.ergebnis.jahr + 1 < seit + jahre:
        hinweise.append(
            f"Festschreibung seit {seit}: die Budgetanteile bleiben {b.ergebnis.jahr + 1} unverändert "
            "(Gutachten 5.5: „bleiben für zwei Jahre die Budgetanteile konstant“)"
        )
    else:
        hinweise.append(
            f"Die Festschreibung seit {seit} endet: über die Wiedereinführung des Wettbewerbs entscheidet "
            "der Jugendhilfeausschuss (Gutachten 5.5)"
        )
    hinweise.append("Tabelle der Ist-Ausgaben je Träger und Sozialraum für das neue Jahr leeren")
    return werte


def _stuttgart(b: Any, ist_jahr: Decimal, vollstaendig: bool, hinweise: list[str]) -> dict[str, Wert]:
    hinweise.append(
        "Fallliste auf den Stand des abgelaufenen Jahres bringen (laufende Fälle, Zugänge): sie ist die "
        "Grundlage von Teilbudget a (Gutachten 5.1)"
    )
    return {"Ist-Kosten a": None, "Ist-Kosten b": None}


def _neunkirchen(b: Any, ist_jahr: Decimal, vollstaendig: bool, hinweise: list[str]) -> dict[str, Wert]:
    hinweise.append("Hilfearten mit den Fällen und Kosten des zuletzt abgerechneten Jahres aktualisieren")
    werte: dict[str, Wert] = {"Ist-Ausgaben": None}
    if getattr(b.eingabe, "abrechnungsjahr", None):
        werte["Abrechnungsjahr"] = b.eingabe.abrechnungsjahr + 1
    return werte


_REGELN: dict[str, Callable[[Any, Decimal, bool, list[str]], dict[str, Wert]]] = {
    "celle": _celle,
    "stuttgart": _stuttgart,
    "neunkirchen": _neunkirchen,
}


# ----------------------------------------------------------------------------- main


def _pruefe_pfade(alt: Path, neu: Path) -> None:
    if not alt.is_file():
        raise SozbudgetError(f"die Datei „{alt}“ gibt es nicht")
    if neu.suffix.lower() != alt.suffix.lower():
        raise SozbudgetError(f"„{neu.name}“ braucht die Endung {alt.suffix} wie „{alt.name}“")
    if neu.exists() or neu.is_symlink():
        raise SozbudgetError(
            f"„{neu}“ gibt es schon; sie wird nicht überschrieben. Bitte einen neuen Namen angeben."
        )
    from ..workbook.schutz import ordner_anlegen

    ordner_anlegen(neu.parent)  # like recalc --out: the folder the user named is created


def _parameterzellen(b: Any, werte: Mapping[str, Wert]) -> dict[str, Wert]:
    zellen: dict[str, Wert] = {}
    for titel, wert in werte.items():
        ort = b.mappe.ort("Parameter", None, titel)
        if ort is None:
            raise SozbudgetError(f"„{titel}“ steht nicht auf dem Blatt „Parameter“", sheet="Parameter")
        zellen[ort[1]] = wert
    return zellen


def _vereinbarungen(b: Any) -> list[Any]:
    """What the new year agrees on at its start: Stuttgart's Teilbudgets a + b (the base of the
    Revision, Gutachten 5.1 „nachträgliche Änderung der Budgethöhe“)."""
    from .abschluss import VEREINBART, Konto

    if b.modul.NAME != "stuttgart":
        return []
    from ..models import stuttgart as st

    traeger = b.ergebnis.traeger[0] if b.ergebnis.traeger else ""
    return [Konto(VEREINBART, traeger, b.ergebnis.kennzahlen[st.K_G])]


def jahreswechsel(alt: str | os.PathLike[str], neu: str | os.PathLike[str]) -> Jahreswechsel:
    """Create next year's workbook ``neu`` from ``alt`` (see the module docstring)."""
    from ..workbook import io
    from ..workbook.recalc import berechne_mappe, neu_berechnen
    from .abschluss import jahres_ist, jahresabschluss
    from .blaetter import VORTRAEGE, lies_jahresdaten, vortragsblatt
    from .ist import BLATT, Buchung, ist_blatt_zeilen
    from .sollist import soll_ist_stand

    alt, neu = Path(alt), Path(neu)
    _pruefe_pfade(alt, neu)
    b = berechne_mappe(alt)
    buchungen, vortraege = lies_jahresdaten(alt)
    buchungen = buchungen or []
    jahr = b.ergebnis.jahr
    stand = soll_ist_stand(b.ergebnis, buchungen)
    abschluss = jahresabschluss(b.ergebnis, stand, buchungen, vortraege)
    ist_jahr = sum(jahres_ist(stand).values(), ZERO)
    hinweise: list[str] = []
    if stand.stand < 12:
        hinweise.append(
            f"Das Ist {jahr} reicht erst bis Monat {stand.stand}: Jahresabschluss und Vorträge "
            "sind vorläufig (Prognose); nach dem Jahresende „sozbudget recalc“ und den Jahreswechsel "
            "wiederholen"
        )
    werte: dict[str, Wert] = {"Haushaltsjahr": jahr + 1}
    regel = _REGELN.get(b.modul.NAME)
    if regel is not None:
        werte.update(regel(b, ist_jahr, stand.stand >= 12, hinweise))
    daten = setze_zellen(alt.read_bytes(), "Parameter", _parameterzellen(b, werte))
    alte = [
        Buchung(
            x.monat, x.ausgaben, x.traeger, x.sozialraum, jahr, x.bereich, x.faelle, x.stunden, x.bemerkung
        )
        for x in buchungen
        if x.jahr in (None, jahr)
    ]
    tmp = neu.with_name(f".~sozbudget-{secrets.token_hex(4)}{neu.suffix}")
    try:
        with open(tmp, "xb") as f:
            f.write(daten)
        blaetter = {BLATT: ist_blatt_zeilen(alte), VORTRAEGE: vortragsblatt(abschluss.konten, jahr)}
        io.schreibe_ausgaben(tmp, blaetter, sicherung=False)
        vereinbart = _vereinbarungen(berechne_mappe(tmp))
        if vereinbart:
            blatt = vortragsblatt(abschluss.konten, jahr, vereinbart)
            io.schreibe_ausgaben(tmp, {VORTRAEGE: blatt}, sicherung=False)
        neu_berechnen(tmp, sicherung=False)
        os.link(tmp, neu)  # fails when NEU appeared meanwhile: never replaced
    except FileExistsError:
        raise SozbudgetError(f"„{neu}“ gibt es schon; sie wird nicht überschrieben.") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return Jahreswechsel(neu, jahr + 1, list(abschluss.konten), hinweise)
