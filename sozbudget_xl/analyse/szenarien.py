"""Scenario comparison: the budget per area under several variants of one situation.

A :class:`Variante` changes some choices of a :class:`~.situation.Situation` (method, sd type,
weights, indicator set, allocation key, transition years/step/cap, fund); every variant's
budget is computed exactly (:func:`~.situation.budget_cents`) and compared with a chosen
reference variant. Pure: no I/O.

>>> from sozbudget_xl import beispieldaten as bsp
>>> from sozbudget_xl.indicators import fuenf_indikatoren
>>> from sozbudget_xl.analyse.situation import situation_aus_tabelle
>>> sit = situation_aus_tabelle(bsp.SOZIALRAEUME, fuenf_indikatoren(), bsp.GESAMTBUDGET)
>>> v = vergleiche_szenarien(sit, [Variante("SPW"), Variante("z-Wert", methode="z")])
>>> str(v.budgets["SPW"]["Nordviertel"]), str(v.differenz["z-Wert"]["Nordviertel"])
('698767.79', '-108507.84')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from ..errors import EingabeFehler
from ..indicators import METHODEN, SCHLUESSEL
from .situation import METHODEN_TEXT, SD_TEXT, Situation, Uebergangsregel, budget_euro

__all__ = ["STANDARD_VARIANTEN", "Szenarienvergleich", "Variante", "lies_variante", "vergleiche_szenarien"]


@dataclass(frozen=True)
class Variante:
    """One scenario: None keeps the situation's own choice."""

    name: str
    methode: str | None = None
    ddof: int | None = None
    gewichte: Mapping[str, float] | None = None
    indikatoren: tuple[str, ...] | None = None
    schluessel: str | None = None
    jahre: int | None = None
    schritt: int | None = None
    kappung: Decimal | None = None
    ohne_kappung: bool = False
    fonds: Decimal | None = None

    def anwenden(self, sit: Situation) -> Situation:
        """The situation with this variant's choices."""
        aend: dict[str, Any] = {}
        if self.methode is not None:
            if self.methode not in METHODEN:
                raise EingabeFehler(
                    f"Variante „{self.name}“: unbekannte Methode „{self.methode}“",
                    expected=", ".join(METHODEN),
                )
            aend["methode"] = self.methode
        if self.ddof is not None:
            aend["ddof"] = self.ddof
        if self.schluessel is not None:
            if self.schluessel not in SCHLUESSEL:
                raise EingabeFehler(
                    f"Variante „{self.name}“: unbekannter Schlüssel „{self.schluessel}“",
                    expected=", ".join(SCHLUESSEL),
                )
            aend["schluessel"] = self.schluessel
        if self.indikatoren is not None:
            for n in self.indikatoren:
                if n not in sit.werte:
                    raise EingabeFehler(
                        f"Variante „{self.name}“: Indikator „{n}“ gibt es nicht",
                        expected=", ".join(sit.werte),
                    )
            aend["auswahl"] = tuple(self.indikatoren)
        if self.gewichte is not None:
            for n in self.gewichte:
                if n not in sit.werte:
                    raise EingabeFehler(f"Variante „{self.name}“: Gewicht für unbekannten Indikator „{n}“")
            aend["gewichte"] = {**sit.gewichte, **{k: float(v) for k, v in self.gewichte.items()}}
        if any(x is not None for x in (self.jahre, self.schritt, self.kappung)) or self.ohne_kappung:
            if sit.uebergang is None:
                raise EingabeFehler(
                    f"Variante „{self.name}“: Übergangsjahre und Kappung brauchen einen Status quo",
                    field="Übergang",
                )
            u: Uebergangsregel = sit.uebergang
            aend["uebergang"] = replace(
                u,
                jahre=self.jahre if self.jahre is not None else u.jahre,
                schritt=self.schritt if self.schritt is not None else min(u.schritt, self.jahre or u.jahre),
                kappung=None
                if self.ohne_kappung
                else (self.kappung if self.kappung is not None else u.kappung),
            )
        if self.fonds is not None:
            aend["fonds"] = self.fonds
        return sit.mit(**aend) if aend else sit

    def beschreibung(self, sit: Situation) -> str:
        """German one-line description of what the variant sets."""
        s = self.anwenden(sit)
        teile = [METHODEN_TEXT[s.methode], f"SD {SD_TEXT[s.ddof]}", f"Schlüssel {s.schluessel}"]
        if self.indikatoren is not None:
            teile.append("Indikatoren: " + ", ".join(s.auswahl))
        if self.gewichte is not None:
            teile.append(
                "Gewichte: " + ", ".join(f"{k} {v:.0%}".replace(".", ",") for k, v in self.gewichte.items())
            )
        if s.uebergang is not None and (self.jahre or self.kappung or self.ohne_kappung or self.schritt):
            kap = (
                "ohne Kappung" if s.uebergang.kappung is None else f"Kappung {float(s.uebergang.kappung):.0%}"
            )
            teile.append(f"Übergang Jahr {s.uebergang.schritt} von {s.uebergang.jahre}, {kap}")
        return "; ".join(teile)


#: default variants: the six standardisation methods and the sample sd
STANDARD_VARIANTEN: tuple[Variante, ...] = (
    Variante("SPW", methode="spw"),
    Variante("z-Wert", methode="z"),
    Variante("z-Wert (Stichprobe)", methode="z", ddof=1),
    Variante("Standardwert", methode="sw"),
    Variante("T-Wert", methode="t"),
    Variante("Index 100", methode="index100"),
    Variante("Rang", methode="rang"),
)


@dataclass(frozen=True)
class Szenarienvergleich:
    """Budgets per variant and area, and the differences to the reference variant."""

    ids: tuple[str, ...]
    varianten: tuple[str, ...]
    referenz: str
    budgets: dict[str, dict[str, Decimal]]  # variant → area → €
    differenz: dict[str, dict[str, Decimal]]  # variant → area → € (variant − reference)
    beschreibungen: dict[str, str]

    def zeilen(self) -> list[dict[str, Any]]:
        """German table: Sozialraum, per variant the budget and the difference to the reference."""
        rows = []
        for s in self.ids:
            row: dict[str, Any] = {"Sozialraum": s}
            for v in self.varianten:
                row[v] = self.budgets[v][s]
            for v in self.varianten:
                if v != self.referenz:
                    row[f"{v} − {self.referenz}"] = self.differenz[v][s]
            rows.append(row)
        return rows


def vergleiche_szenarien(
    sit: Situation, varianten: Sequence[Variante] = STANDARD_VARIANTEN, *, referenz: str | None = None
) -> Szenarienvergleich:
    """Budget per area for each variant (exact cents) and the difference to ``referenz``
    (default: the first variant)."""
    if not varianten:
        raise EingabeFehler("keine Varianten angegeben")
    namen = [v.name for v in varianten]
    if len(set(namen)) != len(namen):
        raise EingabeFehler("Variantennamen müssen verschieden sein", found=", ".join(namen))
    ref = referenz or namen[0]
    if ref not in namen:
        raise EingabeFehler(f"Referenzvariante „{ref}“ gibt es nicht", expected=", ".join(namen))
    budgets = {v.name: budget_euro(v.anwenden(sit)) for v in varianten}
    differenz = {n: {s: budgets[n][s] - budgets[ref][s] for s in sit.ids} for n in namen}
    return Szenarienvergleich(
        ids=sit.ids,
        varianten=tuple(namen),
        referenz=ref,
        budgets=budgets,
        differenz=differenz,
        beschreibungen={v.name: v.beschreibung(sit) for v in varianten},
    )


def _prozent(text: str) -> Decimal:
    t = text.strip().replace(",", ".")
    if t.endswith("%"):
        return Decimal(t[:-1].strip()) / 100
    return Decimal(t)


def lies_variante(text: str) -> Variante:
    """Parse „Name: methode=z, sd=stichprobe, gewichte=A 50%/B 50%, indikatoren=A;B,
    jahre=3, schritt=1, kappung=5%, fonds=10%, schluessel=kopf“ (German CLI syntax)."""
    if ":" in text:
        name, _, rest = text.partition(":")
    else:
        name, rest = text, ""
    name = name.strip()
    if not name:
        raise EingabeFehler("Variante ohne Namen", found=text, expected="Name: methode=z, …")
    args: dict[str, Any] = {}
    for teil in (t.strip() for t in rest.split(",") if t.strip()):
        key, sep, wert = teil.partition("=")
        key, wert = key.strip().lower(), wert.strip()
        if not sep:
            raise EingabeFehler(f"Variante „{name}“: Angabe „{teil}“ ohne „=“", expected="schlüssel=wert")
        try:
            if key == "methode":
                args["methode"] = wert.lower()
            elif key in ("sd", "standardabweichung"):
                args["ddof"] = 1 if wert.lower().startswith(("stich", "1", "s")) else 0
            elif key == "gewichte":
                g = {}
                for paar in wert.split("/"):
                    n, _, p = paar.strip().rpartition(" ")
                    g[n.strip()] = float(_prozent(p))
                args["gewichte"] = g
            elif key == "indikatoren":
                args["indikatoren"] = tuple(x.strip() for x in wert.split(";") if x.strip())
            elif key in ("schluessel", "schlüssel"):
                args["schluessel"] = wert.lower()
            elif key == "jahre":
                args["jahre"] = int(wert)
            elif key == "schritt":
                args["schritt"] = int(wert)
            elif key == "kappung":
                if wert.lower() in ("keine", "ohne", "nein"):
                    args["ohne_kappung"] = True
                else:
                    args["kappung"] = _prozent(wert)
            elif key == "fonds":
                args["fonds"] = _prozent(wert)
            else:
                raise EingabeFehler(
                    f"Variante „{name}“: unbekannte Angabe „{key}“",
                    expected="methode, sd, gewichte, indikatoren, schluessel, jahre, schritt, kappung, fonds",
                )
        except (ValueError, ArithmeticError):
            raise EingabeFehler(f"Variante „{name}“: Wert „{wert}“ für „{key}“ ist ungültig") from None
    return Variante(name, **args)
