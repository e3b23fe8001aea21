"""Why does an area's budget change? Exact Shapley decomposition between two situations.

Between a situation ALT and a situation NEU (:class:`~.situation.Situation`), the change of
each area's budget is split into the contributions of the *factors* that decide the budget:

========================= =======================================================
key                        factor
========================= =======================================================
``gesamt``                 total budget
``zielgruppe``             target group N_r (e.g. Jugendeinwohner)
``wert:<Indikator>``       the values of one indicator
``auswahl``                which indicators are used (and their direction)
``gewichte``               the indicator weights
``methode``                standardisation method, sd type, allocation key
``uebergang``              transition from the status quo (years, step, cap)
``fonds``                  common fund
========================= =======================================================

A *coalition* S of factors is the situation that takes the NEU value of every factor in S
and the ALT value of all others; its budget is computed exactly with the core functions
(:func:`~.situation.budget_cents`). The contribution of factor i is its Shapley value

    φ_i = Σ_{S ⊆ F∖{i}} |S|!·(n−|S|−1)!/n! · (v(S ∪ {i}) − v(S)),

computed with exact integer arithmetic over all 2^n coalitions. Factors that did not change
are dropped first (their Shapley value is exactly 0 and dropping them changes no other
value). The φ_i add up exactly to NEU − ALT per area (efficiency); per factor, the sum over
the areas is the change of the total (``gesamt``) or 0 (every other factor only moves money).
Rounding to cents keeps both: a controlled rounding (each exact value goes to its floor or
ceiling cent, largest remainders first, then repaired along alternating paths) so each
area's contributions add up to its change and each factor's contributions to its total.

Pure: no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np

from ..errors import EingabeFehler
from ..formats import betrag
from ..money import from_cents
from .situation import METHODEN_TEXT, SD_TEXT, Situation, budget_cents, traeger_cents, traeger_namen

__all__ = ["Beitrag", "Zerlegung", "faktoren", "zerlege"]

#: canonical order of the factor kinds (also the tie-break order in rounding)
_ORDNUNG = (
    "gesamt",
    "zielgruppe",
    "wert",
    "auswahl",
    "gewichte",
    "methode",
    "uebergang",
    "fonds",
    "traeger",
)
#: exact enumeration up to this many changed factors (2^12 coalitions); beyond, the indicator
#: values are grouped into one factor „Indikatorwerte“
MAX_FAKTOREN = 12


@dataclass(frozen=True)
class Beitrag:
    """One factor's contribution for one area."""

    faktor: str
    bezeichnung: str
    betrag: Decimal
    exakt: Fraction


@dataclass(frozen=True)
class Zerlegung:
    """Result of :func:`zerlege` (areas in name order)."""

    ids: tuple[str, ...]
    faktoren: tuple[str, ...]
    bezeichnungen: dict[str, str]
    alt: dict[str, Decimal]
    neu: dict[str, Decimal]
    beitraege: dict[str, dict[str, Decimal]]  # area → factor → €
    exakt: dict[str, dict[str, Fraction]]  # area → factor → exact € (Fraction)
    saetze: dict[str, str]
    koalitionen: int = 0
    gruppiert: bool = False
    hinweise: tuple[str, ...] = field(default=())
    #: what the rows are: „Sozialraum“ (areas) or „Träger“
    art: str = "Sozialraum"
    #: the same decomposition per Träger (when a situation splits its areas among Träger)
    traeger: Zerlegung | None = None

    def veraenderung(self, sr: str) -> Decimal:
        return self.neu[sr] - self.alt[sr]

    def summe_je_faktor(self) -> dict[str, Decimal]:
        return {f: sum((self.beitraege[s][f] for s in self.ids), Decimal("0.00")) for f in self.faktoren}

    def zeilen(self) -> list[dict[str, Any]]:
        """German table rows: Sozialraum (or Träger), ALT, NEU, Veränderung, one column per
        factor, Erklärung."""
        rows = []
        for s in self.ids:
            row: dict[str, Any] = {self.art: s, "Budget ALT": self.alt[s], "Budget NEU": self.neu[s]}
            row["Veränderung"] = self.veraenderung(s)
            for f in self.faktoren:
                row[self.bezeichnungen[f]] = self.beitraege[s][f]
            row["Erklärung"] = self.saetze[s]
            rows.append(row)
        return rows


def _ordnungsschluessel(key: str) -> tuple[int, str]:
    art = key.split(":", 1)[0]
    return (_ORDNUNG.index(art) if art in _ORDNUNG else len(_ORDNUNG), key)


def faktoren(alt: Situation, neu: Situation) -> list[str]:
    """All factor keys of the pair (changed or not), in canonical order."""
    keys = ["gesamt", "zielgruppe"]
    keys += [f"wert:{n}" for n in sorted(set(alt.werte) & set(neu.werte))]
    keys += ["auswahl", "gewichte", "methode", "uebergang", "fonds"]
    if alt.traeger is not None or neu.traeger is not None:
        keys.append("traeger")
    return keys


def _gleich(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.array_equal(np.asarray(a), np.asarray(b))
    return bool(a == b)


def _teil(sit: Situation, key: str) -> Any:
    """The value of one factor in a situation (for the change test)."""
    if key == "gesamt":
        return sit.gesamt
    if key == "zielgruppe":
        return sit.zielgruppe
    if key.startswith("wert:"):
        return sit.werte[key[5:]]
    if key == "auswahl":
        return (sit.auswahl, tuple(sorted(sit.richtung.items())))
    if key == "gewichte":
        return tuple(sorted(sit.gewichte.items()))
    if key == "methode":
        return (sit.methode, sit.ddof, sit.schluessel)
    if key == "uebergang":
        return sit.uebergang
    if key == "fonds":
        return sit.fonds
    if key == "traeger":
        return _anteile(sit)
    raise EingabeFehler(f"unbekannter Faktor „{key}“")


def _anteile(sit: Situation) -> dict[str, dict[str, Decimal]]:
    return {s: dict(a) for s, a in (sit.traeger or {}).items()}


def _mische(alt: Situation, neu: Situation, aus_neu: set[str]) -> Situation:
    """The coalition situation: NEU's value for every factor in ``aus_neu`` (group keys
    ``werte`` = all indicator values), ALT's otherwise."""

    def von(key: str) -> Situation:
        if key.startswith("wert:") and "werte" in aus_neu:
            return neu
        return neu if key in aus_neu else alt

    werte = dict(alt.werte)
    for n, v in neu.werte.items():
        if n not in werte:
            werte[n] = v  # only NEU has it: no ALT value exists, the selection decides
    for n in set(alt.werte) & set(neu.werte):
        werte[n] = von(f"wert:{n}").werte[n]
    a, m, u = von("auswahl"), von("methode"), von("uebergang")
    return Situation(
        ids=alt.ids,
        gesamt=von("gesamt").gesamt,
        zielgruppe=von("zielgruppe").zielgruppe,
        werte=werte,
        auswahl=a.auswahl,
        richtung={**alt.richtung, **neu.richtung, **a.richtung},
        gewichte=dict(von("gewichte").gewichte),
        methode=m.methode,
        ddof=m.ddof,
        schluessel=m.schluessel,
        uebergang=u.uebergang,
        fonds=von("fonds").fonds,
        zielgruppe_name=alt.zielgruppe_name,
        traeger=von("traeger").traeger,
    )


def bezeichnung(key: str, sit: Situation) -> str:
    """German label of a factor."""
    if key.startswith("wert:"):
        return f"Werte „{key[5:]}“"
    return {
        "gesamt": "Gesamtbudget",
        "zielgruppe": f"Zielgruppe ({sit.zielgruppe_name})",
        "werte": "Indikatorwerte",
        "auswahl": "Indikatorauswahl",
        "gewichte": "Gewichte",
        "methode": "Methode",
        "uebergang": "Übergang/Kappung",
        "fonds": "Fonds",
        "traeger": "Trägeranteile",
    }[key]


def _spieler(
    alt: Situation, neu: Situation, reihenfolge: Sequence[str] | None, max_faktoren: int
) -> tuple[list[str], list[str], bool]:
    """(keys considered, players = the changed factors, grouped?) — see :func:`zerlege`."""
    if alt.ids != neu.ids:
        fehlt = sorted(set(alt.ids) ^ set(neu.ids))
        raise EingabeFehler(
            "ALT und NEU haben verschiedene Sozialräume; die Zerlegung braucht dieselben",
            region=fehlt[0] if fehlt else None,
            expected=", ".join(alt.ids),
            found=", ".join(neu.ids),
        )
    alle = faktoren(alt, neu)
    keys = sorted(set(reihenfolge) if reihenfolge is not None else set(alle), key=_ordnungsschluessel)
    unbekannt = [k for k in keys if k not in alle]
    if unbekannt:
        raise EingabeFehler(f"unbekannter Faktor „{unbekannt[0]}“", expected=", ".join(alle))
    geaendert = [k for k in keys if not _gleich(_teil(alt, k), _teil(neu, k))]
    fehlend = [k for k in alle if k not in keys and not _gleich(_teil(alt, k), _teil(neu, k))]
    if fehlend:
        raise EingabeFehler(f"Faktor „{fehlend[0]}“ hat sich geändert, wird aber nicht betrachtet")
    spieler = list(geaendert)
    if len(spieler) <= max_faktoren:
        return keys, spieler, False
    werte = [k for k in spieler if k.startswith("wert:")]
    spieler = [k for k in spieler if not k.startswith("wert:")] + (["werte"] if werte else [])
    if len(spieler) > max_faktoren:
        raise EingabeFehler(
            "zu viele veränderte Faktoren für eine exakte Zerlegung",
            expected=f"höchstens {max_faktoren}",
            found=len(spieler),
        )
    spieler.sort(key=lambda k: _ordnungsschluessel(k if k != "werte" else "wert:"))
    return keys, spieler, True


_Euro2 = dict[str, dict[str, Decimal]]


def _shapley_zaehler(werte_v: dict[int, np.ndarray], n: int, breite: int) -> list[list[int]]:
    """n!·φ_i per row (exact integers) for each player i: rows × players."""
    spalten = []
    for i in range(n):
        bit = 1 << i
        je_groesse = [np.zeros(breite, dtype=np.int64) for _ in range(n)]
        for maske in range(1 << n):
            if not maske & bit:
                je_groesse[maske.bit_count()] += werte_v[maske | bit] - werte_v[maske]
        summe = [0] * breite
        for s in range(n):
            c = math.factorial(s) * math.factorial(n - s - 1)
            summe = [a + c * b for a, b in zip(summe, je_groesse[s].tolist())]
        spalten.append(summe)
    return [[spalten[j][r] for j in range(n)] for r in range(breite)]


def _aufteilen(
    ids: Sequence[str], spieler: list[str], alle_keys: list[str], werte_v: dict[int, np.ndarray]
) -> tuple[_Euro2, dict[str, dict[str, Fraction]], dict[str, Decimal], dict[str, Decimal]]:
    """Exact Shapley values of the rows of ``werte_v`` and their controlled rounding to cents:
    (contributions €, exact €, ALT €, NEU €) per row."""
    n = len(spieler)
    fak = math.factorial(n)
    v_alt, v_neu = werte_v[0], werte_v[(1 << n) - 1]
    matrix = _shapley_zaehler(werte_v, n, len(ids))
    zeilen_ziel = [int(x) for x in (v_neu - v_alt)]
    spalten_ziel: list[int | None] = []
    for j in range(n):
        total = sum(row[j] for row in matrix)
        spalten_ziel.append(total // fak if total % fak == 0 else None)
    gerundet = _kontrolliert_runden(matrix, fak, zeilen_ziel, spalten_ziel)
    beitraege: dict[str, dict[str, Decimal]] = {}
    exakt: dict[str, dict[str, Fraction]] = {}
    for r, s in enumerate(ids):
        beitraege[s] = {k: Decimal("0.00") for k in alle_keys}
        exakt[s] = {k: Fraction(0) for k in alle_keys}
        for j, k in enumerate(spieler):
            beitraege[s][k] = from_cents(gerundet[r][j])
            exakt[s][k] = Fraction(matrix[r][j], fak * 100)
    alt_e = {s: from_cents(int(c)) for s, c in zip(ids, v_alt)}
    neu_e = {s: from_cents(int(c)) for s, c in zip(ids, v_neu)}
    return beitraege, exakt, alt_e, neu_e


def _ganze_gebiete(situationen: Any) -> dict[str, str] | None:
    """Area → its only Träger when in every situation each area goes wholly to one Träger, the
    same one throughout (then a Träger's contributions are the sums of its areas'); else None."""
    ganz: dict[str, str] = {}
    for sit in situationen:
        for s in sit.ids:
            anteile = (sit.traeger or {}).get(s) or {}
            if len(anteile) != 1 or ganz.setdefault(s, next(iter(anteile))) != next(iter(anteile)):
                return None
    return ganz


def _traeger_saetze(
    namen: Sequence[str],
    ganz: dict[str, str] | None,
    saetze: dict[str, str],
    neu_t: dict[str, Decimal],
    alt_t: dict[str, Decimal],
    b_t: _Euro2,
    bez: dict[str, str],
) -> dict[str, str]:
    """A Träger's sentence; a Träger of exactly one whole area takes that area's sentence."""
    gebiete = {t: [s for s, tt in (ganz or {}).items() if tt == t] for t in namen}
    return {
        t: f"{t} ({gebiete[t][0]}){saetze[gebiete[t][0]][len(gebiete[t][0]) :]}"
        if len(gebiete[t]) == 1
        else traeger_satz(t, neu_t[t] - alt_t[t], b_t[t], bez)
        for t in namen
    }


def _summiere(
    namen: Sequence[str],
    ganz: dict[str, str],
    keys: list[str],
    beitraege: _Euro2,
    exakt: dict[str, dict[str, Fraction]],
    alt_e: dict[str, Decimal],
    neu_e: dict[str, Decimal],
) -> tuple[_Euro2, dict[str, dict[str, Fraction]], dict[str, Decimal], dict[str, Decimal]]:
    """Per Träger the sums of its areas' rows (contributions, exact values, ALT, NEU)."""
    b = {t: {k: Decimal("0.00") for k in keys} for t in namen}
    e = {t: {k: Fraction(0) for k in keys} for t in namen}
    a = {t: Decimal("0.00") for t in namen}
    n = {t: Decimal("0.00") for t in namen}
    for s, t in ganz.items():
        for k in keys:
            b[t][k] += beitraege[s][k]
            e[t][k] += exakt[s][k]
        a[t] += alt_e[s]
        n[t] += neu_e[s]
    return b, e, a, n


def zerlege(
    alt: Situation,
    neu: Situation,
    *,
    reihenfolge: Sequence[str] | None = None,
    max_faktoren: int = MAX_FAKTOREN,
) -> Zerlegung:
    """Decompose NEU − ALT per area into factor contributions (exact Shapley values, cents).

    ``reihenfolge`` lists the factor keys in any order (default: all, canonical); the result
    does not depend on it — it only says which factors are considered (a factor left out
    keeps its ALT value… and is then not allowed to change: error). When ALT or NEU split
    their areas among Träger (``Situation.traeger``), the same decomposition is computed per
    Träger (``.traeger``): the Shapley values of each coalition's budget per Träger.
    """
    keys, spieler, gruppiert = _spieler(alt, neu, reihenfolge, max_faktoren)
    n = len(spieler)
    mischungen: dict[int, Situation] = {0: alt, (1 << n) - 1: neu}
    for maske in range(1, (1 << n) - 1):
        mischungen[maske] = _mische(alt, neu, {spieler[i] for i in range(n) if maske >> i & 1})
    # v(all) of a mixed construction equals budget_cents(neu) by definition of _mische
    werte_v = {m: budget_cents(s) for m, s in mischungen.items()}
    alle_keys = [
        *spieler,
        *(k for k in keys if k not in spieler and not (gruppiert and k.startswith("wert:"))),
    ]
    alle_keys.sort(key=lambda k: _ordnungsschluessel(k if k != "werte" else "wert:"))
    bez = {k: bezeichnung(k, neu) for k in alle_keys}
    ids = alt.ids
    beitraege, exakt, alt_e, neu_e = _aufteilen(ids, spieler, alle_keys, werte_v)
    saetze = {s: satz(s, neu_e[s] - alt_e[s], beitraege[s], bez, alt, neu, r) for r, s in enumerate(ids)}
    traeger = None
    namen = traeger_namen(alt, neu)
    if namen:
        ganz = _ganze_gebiete(mischungen.values())
        if ganz is not None:  # every area wholly to one Träger: sums of the areas' rows
            b_t, e_t, alt_t, neu_t = _summiere(namen, ganz, alle_keys, beitraege, exakt, alt_e, neu_e)
        else:
            werte_t = {m: traeger_cents(mischungen[m], werte_v[m], namen) for m in mischungen}
            b_t, e_t, alt_t, neu_t = _aufteilen(namen, spieler, alle_keys, werte_t)
        traeger = Zerlegung(
            ids=namen,
            faktoren=tuple(alle_keys),
            bezeichnungen=bez,
            alt=alt_t,
            neu=neu_t,
            beitraege=b_t,
            exakt=e_t,
            saetze=_traeger_saetze(namen, ganz, saetze, neu_t, alt_t, b_t, bez),
            koalitionen=1 << n,
            gruppiert=gruppiert,
            art="Träger",
        )
    return Zerlegung(
        ids=ids,
        faktoren=tuple(alle_keys),
        bezeichnungen=bez,
        alt=alt_e,
        neu=neu_e,
        beitraege=beitraege,
        exakt=exakt,
        saetze=saetze,
        koalitionen=1 << n,
        gruppiert=gruppiert,
        traeger=traeger,
    )


def _kontrolliert_runden(
    matrix: list[list[int]], nenner: int, zeilen: list[int], spalten: list[int | None]
) -> list[list[int]]:
    """Round ``matrix / nenner`` (exact rationals) to integers: every entry to its floor or
    its ceiling, each row summing to ``zeilen[r]`` and each column to ``spalten[j]`` (when not
    None). Rows first by largest remainder (ties: earlier column), then columns repaired by
    moving one "round-up" along an alternating path (rows keep their sums)."""
    m = len(spalten)
    boden = [[x // nenner for x in row] for row in matrix]
    rest = [[x % nenner for x in row] for row in matrix]
    hoch = [[False] * m for _ in matrix]
    for r, row in enumerate(rest):
        bedarf = zeilen[r] - sum(boden[r])
        kandidaten = sorted((j for j in range(m) if row[j] > 0), key=lambda j: (-row[j], j))
        if bedarf < 0 or bedarf > len(kandidaten):  # pragma: no cover - efficiency guarantees this
            raise AssertionError("Zerlegung: Zeilensumme nicht erreichbar")
        for j in kandidaten[:bedarf]:
            hoch[r][j] = True
    if all(s is not None for s in spalten) and m > 1:
        for _ in range(len(matrix) * m + 1):
            ist = [sum(boden[r][j] + hoch[r][j] for r in range(len(matrix))) for j in range(m)]
            diff = [ist[j] - spalten[j] for j in range(m)]  # type: ignore[operator]
            quelle = next((j for j in range(m) if diff[j] > 0), None)
            if quelle is None:
                break
            pfad = _pfad(quelle, diff, hoch, rest)
            if pfad is None:  # pragma: no cover - a feasible rounding always exists
                break
            for r, von, nach in pfad:
                hoch[r][von], hoch[r][nach] = False, True
    return [[boden[r][j] + hoch[r][j] for j in range(m)] for r in range(len(matrix))]


def _pfad(
    quelle: int, diff: list[int], hoch: list[list[bool]], rest: list[list[int]]
) -> list[tuple[int, int, int]] | None:
    """Breadth-first search over columns: from a column with too many round-ups to one with
    too few, each step moving a round-up within one row from column a to column b."""
    vorher: dict[int, tuple[int, int, int] | None] = {quelle: None}
    schlange = [quelle]
    m = len(diff)
    while schlange:
        a = schlange.pop(0)
        for r, row in enumerate(hoch):
            if not row[a]:
                continue
            for b in range(m):
                if b in vorher or row[b] or rest[r][b] == 0:
                    continue
                vorher[b] = (r, a, b)
                if diff[b] < 0:
                    pfad = []
                    k: int | None = b
                    while k is not None and vorher[k] is not None:
                        schritt = vorher[k]
                        assert schritt is not None
                        pfad.append(schritt)
                        k = schritt[1]
                    return pfad[::-1]
                schlange.append(b)
    return None


def _euro(x: Decimal) -> str:
    text = betrag(abs(x)).replace("\xa0", " ")
    if x > 0:
        return "+" + text
    if x < 0:
        return "−" + text
    return text


def _richtung_text(alt_v: float, neu_v: float, mehr: str, weniger: str, sonst: str) -> str:
    if neu_v > alt_v:
        return mehr
    if neu_v < alt_v:
        return weniger
    return sonst


def satz(
    sr: str,
    delta: Decimal,
    beitraege: dict[str, Decimal],
    bez: dict[str, str],
    alt: Situation,
    neu: Situation,
    r: int,
) -> str:
    """Plain-German sentence: „Nordstadt: −23.400,00 €, davon −15.100,00 € weniger Jugendeinwohner, …“."""
    if delta == 0 and all(v == 0 for v in beitraege.values()):
        return f"{sr}: keine Veränderung."
    teile = []
    for k, v in sorted(beitraege.items(), key=lambda kv: (-abs(kv[1]), _ordnungsschluessel(kv[0]))):
        if v == 0:
            continue
        teile.append(f"{_euro(v)} {_ursache(k, alt, neu, r, bez)}")
    kopf = f"{sr}: {_euro(delta)}"
    return kopf + (", davon " + ", ".join(teile) if teile else "") + "."


def traeger_satz(t: str, delta: Decimal, beitraege: dict[str, Decimal], bez: dict[str, str]) -> str:
    """Plain-German sentence of a Träger: „Träger X: +1.200,00 €, davon +900,00 € Gesamtbudget, …“."""
    if delta == 0 and all(v == 0 for v in beitraege.values()):
        return f"{t}: keine Veränderung."
    teile = [
        f"{_euro(v)} {bez[k]}"
        for k, v in sorted(beitraege.items(), key=lambda kv: (-abs(kv[1]), _ordnungsschluessel(kv[0])))
        if v != 0
    ]
    return f"{t}: {_euro(delta)}" + (", davon " + ", ".join(teile) if teile else "") + "."


def _ursache(k: str, alt: Situation, neu: Situation, r: int, bez: dict[str, str]) -> str:
    zg = alt.zielgruppe_name
    if k == "gesamt":
        return _richtung_text(
            float(alt.gesamt),
            float(neu.gesamt),
            "durch das höhere Gesamtbudget",
            "durch das niedrigere Gesamtbudget",
            "Gesamtbudget",
        )
    if k == "zielgruppe":
        return _richtung_text(
            float(alt.zielgruppe[r]),
            float(neu.zielgruppe[r]),
            f"mehr {zg}",
            f"weniger {zg}",
            f"durch veränderte {zg}-Zahlen anderer Sozialräume",
        )
    if k.startswith("wert:"):
        name = k[5:]
        return _richtung_text(
            float(alt.werte[name][r]),
            float(neu.werte[name][r]),
            f"„{name}“ gestiegen",
            f"„{name}“ gesunken",
            f"„{name}“ in anderen Sozialräumen verändert",
        )
    if k == "methode":
        teile = []
        if alt.methode != neu.methode:
            teile.append(f"{METHODEN_TEXT[alt.methode]} → {METHODEN_TEXT[neu.methode]}")
        if alt.ddof != neu.ddof:
            teile.append(f"Standardabweichung {SD_TEXT[alt.ddof]} → {SD_TEXT[neu.ddof]}")
        if alt.schluessel != neu.schluessel:
            teile.append(f"Schlüssel {alt.schluessel} → {neu.schluessel}")
        return f"durch die Methode ({'; '.join(teile)})"
    if k == "auswahl":
        return "durch die geänderte Indikatorauswahl"
    if k == "gewichte":
        return "durch geänderte Gewichte"
    if k == "uebergang":
        return "durch Übergang/Kappung"
    if k == "fonds":
        return "durch den Fonds"
    if k == "traeger":
        return "durch geänderte Trägeranteile"
    if k == "werte":
        return "durch veränderte Indikatorwerte"
    return bez.get(k, k)
