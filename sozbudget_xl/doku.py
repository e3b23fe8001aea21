"""The README's model table, derived from the registry and the models' declarations.

``python -m sozbudget_xl.doku`` writes the table into README.md between the markers
``<!-- modelle:anfang -->`` and ``<!-- modelle:ende -->``; a test checks that the README holds
exactly what :func:`modelltabelle` produces, so a model's row is never written by hand.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Any

from .models import alle_modelle
from .spec import MAPPE, Feld, funktionsname, lesarten_von

__all__ = ["ANFANG", "ENDE", "lesarten", "modelltabelle", "schreibe_readme"]

ANFANG = "<!-- modelle:anfang (erzeugt von python -m sozbudget_xl.doku; nicht von Hand ändern) -->"
ENDE = "<!-- modelle:ende -->"
#: parameter rows every model shares (shown once above the table)
_GEMEINSAM = {"jahr", "zahlungsweise", "werktag", "bundesland", "termine"}


def _standard(f: Feld, wert: Any) -> str:
    """A default as the workbook shows it (German words, percent, euro)."""
    from .workbook.schema import _hilfe, _Info

    text = _hilfe(dataclasses.replace(f, hilfe=""), _Info(type(wert), False, True, wert))
    return text.removeprefix("Standard: ")


def _parameter(modul: Any) -> str:
    standards = {f.name: f.default for f in dataclasses.fields(modul.Parameter)}
    teile = []
    for f in modul.DEKLARATION.parameter:
        if f.feld in _GEMEINSAM or f.feld not in standards:
            continue
        wert = standards[f.feld]
        if wert is dataclasses.MISSING or wert is None or wert == ():
            teile.append(f"{f.titel}: –")
        else:
            teile.append(f"{f.titel}: {_standard(f, wert)}")
    return "; ".join(teile) or "–"


def lesarten(modul: Any) -> list[str]:
    """One German sentence per reading of the report: the parameter, its default as the workbook
    shows it, the other choices, what the report says, and „Auslegung“ where the default is a
    judgement call. The README and the workbook Anleitung show exactly these sentences."""
    d = modul.DEKLARATION
    standards = {f.name: f.default for f in dataclasses.fields(modul.Parameter)}
    zeilen = []
    for lesart in lesarten_von(d):
        f = d.feld(lesart.feld)
        wert = standards.get(lesart.feld, dataclasses.MISSING)
        leer = wert is dataclasses.MISSING or wert is None or wert == ()
        standard = "leer" if leer else _standard(f, wert)
        andere = [w for w in (f.anzeigewerte() or ()) if w != standard]
        if f.typ == "ja_nein" and not leer:
            andere = ["nein" if standard == "ja" else "ja"]
        wahl = f" (wahlweise: {', '.join(f'„{w}“' for w in andere)})" if andere else ""
        urteil = " [Auslegung: das Gutachten entscheidet das nicht eindeutig]" if lesart.auslegung else ""
        zeilen.append(f"{f.titel} – Standard: „{standard}“{wahl}. {lesart.text}{urteil}")
    return zeilen


def _lesarten_abschnitt() -> str:
    teile = ["", "**Lesarten des Gutachtens und ihre Standardwerte** (ebenso in der Anleitung jeder Mappe):"]
    for m in alle_modelle():
        teile.append("")
        teile.append(f"*{m.NAME}*:")
        teile += [f"- {_zelle(z)}" for z in lesarten(m)]
    return "\n".join(teile) + "\n"


def _zelle(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def modelltabelle() -> str:
    """The Markdown table of all registered models (one row each)."""
    zeilen = [
        "| Modell | Titel | Was es rechnet (Lesart des Gutachtens) | Parameter (Standard) "
        "| Tabellenfunktion | Quelle |",
        "|---|---|---|---|---|---|",
    ]
    for m in alle_modelle():
        d = m.DEKLARATION
        was = m.BESCHREIBUNG + (f" *Lesart:* {d.lesart}" if d.lesart else "")
        zeilen.append(
            "| "
            + " | ".join(
                _zelle(x)
                for x in (f"`{m.NAME}`", m.TITEL, was, _parameter(m), f"`{funktionsname(m.NAME)}`", m.QUELLE)
            )
            + " |"
        )
    gemeinsam = ", ".join(f.titel for f in MAPPE)
    return "\n".join(zeilen) + f"\n\nAlle Mappen haben zusätzlich: {gemeinsam}.\n" + _lesarten_abschnitt()


def schreibe_readme(pfad: Path) -> bool:
    """Replace the model table in ``pfad``; True when the file changed."""
    text = pfad.read_text(encoding="utf-8")
    vorher, _, rest = text.partition(ANFANG)
    _, _, nachher = rest.partition(ENDE)
    neu = f"{vorher}{ANFANG}\n{modelltabelle()}{ENDE}{nachher}"
    if neu != text:
        pfad.write_text(neu, encoding="utf-8")
    return neu != text


if __name__ == "__main__":  # pragma: no cover - a maintainer's command
    ziel = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("README.md")
    print("README aktualisiert" if schreibe_readme(ziel) else "README war aktuell")
