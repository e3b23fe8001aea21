"""The settlement (Abrechnung) of a contract and year — the second document type beside the
annex (Vertragsanlage, the plan agreed before the year).

The annex carries only what is agreed in advance; everything the year brings goes here:
whether each condition was met, the bonus earned with the indicators' actual values, the
quality share redistributed between Träger, overruns and how they were covered, events, the
reserve formed. Nothing is recomputed: the facts are the model result's rows that name the
contract (every column, each formatted by its declared unit) and its warnings.

When the workbook has the sheet „Ist“, the settlement also carries the contract's part of the
Jahresabschluss (section „Jahresabschluss“, marked „vorläufig“ before all 12 months are in):
:func:`sozbudget_xl.jahr.vertragsabschluss.vertragsabschluss` selects it, this module formats it.
:func:`jahresabschluss_der_mappe` makes a workbook's Jahresabschluss available to every
:func:`kontext` within it (the annex batch passes only result and contract).

>>> from sozbudget_xl.models import modell
>>> from sozbudget_xl import annex
>>> m = modell("kgst")
>>> r = m.berechne(*m.beispiel())
>>> ctx = kontext(r, annex.vertraege(r)[0])
>>> ctx["art"], ctx["titel"]
('abrechnung', 'Abrechnung Sozialraumbudget 2026')
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .ergebnis import Art, ModelResult

if TYPE_CHECKING:
    from .jahr.abschluss import Abschluss

__all__ = ["DOCX_VORLAGE", "HTML_VORLAGE", "jahresabschluss_der_mappe", "jahresabschluss_kontext", "kontext"]

HTML_VORLAGE = "abrechnung.html.j2"
DOCX_VORLAGE = "abrechnung.docx"

#: status words of a condition in the model's tables (lower case) → display class
_ERFUELLT = {"erfüllt", "ja", "ausgezahlt", "anerkannt"}
_NICHT = {"nicht erfüllt", "nein", "einbehalten", "nicht anerkannt"}


def _status(text: Any) -> str:
    t = str(text or "").strip().lower()
    if t in _ERFUELLT:
        return "erfuellt"
    if t in _NICHT:
        return "nicht-erfuellt"
    return ""


def _bedingungen(ctx: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The contract's conditional and bonus line items with their condition."""
    return [
        {
            "position": p["position"],
            "bedingung": p["bedingung"] or "–",
            "art_text": p["art_text"],
            "betrag": p["betrag"],
        }
        for p in ctx["positionen"]
        if p["art"] in (str(Art.BEDINGT), str(Art.BONUS))
    ]


def _ergebnistabellen(tabellen: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every result table row naming the contract, all columns (name, text, status class)."""
    out = []
    for name, t in tabellen.items():
        zeilen = [
            [
                {"spalte": s, "text": z[s]["text"], "zahl": z[s]["zahl"], "status": _status(z[s]["text"])}
                for s in t["spalten"]
            ]
            for z in t["zellen"]
        ]
        out.append({"name": name, "zeilen": zeilen})
    return out


#: the Jahresabschluss of the workbook whose settlements are being rendered (see
#: :func:`jahresabschluss_der_mappe`)
_MAPPE: ContextVar[Abschluss | None] = ContextVar("sozbudget_jahresabschluss", default=None)


@contextlib.contextmanager
def jahresabschluss_der_mappe(b: Any) -> Iterator[Abschluss | None]:
    """Within the block, :func:`kontext` gives each contract of the computed workbook ``b`` its
    part of the Jahresabschluss (none when ``b`` has no sheet „Ist“ or is not a file)."""
    from .jahr.blaetter import jahresstand

    pfad = getattr(b, "pfad", None)
    jetzt = jahresstand(b) if pfad is not None and Path(pfad).is_file() else None
    token = _MAPPE.set(None if jetzt is None else jetzt[1])
    try:
        yield _MAPPE.get()
    finally:
        _MAPPE.reset(token)


def _jahreswert(name: str, wert: Any) -> dict[str, Any]:
    """A cell of the settlement: shares (Ausschöpfung) in percent, amounts in euro, text as is."""
    from .formats import betrag, prozent

    if isinstance(wert, Decimal):
        text = prozent(wert) if "Ausschöpfung" in name else betrag(wert)
        return {"spalte": name, "text": text, "zahl": True, "status": ""}
    return {"spalte": name, "text": "–" if wert in (None, "") else str(wert), "zahl": False, "status": ""}


def _jahrestabellen(va: Any, partei: str) -> list[dict[str, Any]]:
    """The contract's rows as small tables: one for a „Position/Betrag“ settlement, else one per
    Sozialraum (and the contract's Summe)."""
    if "Position" in va.spalten:
        z = [_jahreswert(str(r.get("Position")), r.get("Betrag")) for r in va.zeilen]
        return [{"name": f"Abrechnung für {partei}", "zeilen": [z]}] if z else []
    out = []
    for r in (*va.zeilen, *([va.summe] if va.summe else [])):
        name = "Summe des Vertrags" if r is va.summe else f"Sozialraum {r.get('Sozialraum') or '–'}"
        zellen = [_jahreswert(s, r.get(s)) for s in va.spalten if s not in ("Träger", "Sozialraum")]
        out.append({"name": name, "zeilen": [zellen]})
    return out


def _jahresstatus(va: Any) -> str:
    from .jahr.ist import MONATE

    if not va.vorlaeufig:
        return "Endgültig: die Ist-Ausgaben aller 12 Monate sind erfasst."
    if not va.stand:
        return "Vorläufig: noch kein Ist erfasst."
    return (
        f"Vorläufig: Ist-Ausgaben bis {MONATE[va.stand - 1]} {va.jahr} erfasst ({va.stand} von 12 Monaten); "
        "das Jahresende ist geschätzt (Prognose) und wird mit dem Ist aller Monate endgültig."
    )


def _gemeinsam_text(va: Any) -> str:
    """The sentence on the jointly held accounts: their whole balance and how this contract's part
    was found."""
    from .formats import betrag, prozent

    ganz = "; ".join(
        f"{k.name}: Anfangsbestand {betrag(k.anfang)}, Zugang {betrag(k.zugang)}, Abgang {betrag(k.abgang)}, "
        f"Endbestand {betrag(k.ende)}"
        for k in va.gemeinsam
    )
    anteil = f" ({prozent(va.quote)})" if va.quote is not None else ""
    return (
        f"Die Rücklage des Trägerverbunds wird für alle Verträge des Verbunds gemeinsam geführt ({ganz}). "
        f"Auf diesen Vertrag entfällt der Teil nach seinem Anteil am Budget des Verbunds{anteil}, "
        "centgenau verteilt (größter Rest); die Teile aller Verträge ergeben zusammen genau die Rücklage. "
        "Endbestand = Anfangsbestand des Folgejahres."
    )


def jahresabschluss_kontext(a: Abschluss, vertrag: Any) -> dict[str, Any]:
    """The section „Jahresabschluss“ of ``vertrag``'s settlement from the workbook's ``a``."""
    from .jahr.vertragsabschluss import vertragsabschluss

    partei = vertrag.vertragspartei or vertrag.traeger.name
    va = vertragsabschluss(a, vertrag.traeger.name, vertrag.sozialraum, vertrag.vertragspartei)
    konten = [
        {"name": k.name, "inhaber": k.traeger or partei, "anfang": k.anfang, "zugang": k.zugang,
         "abgang": k.abgang, "ende": k.ende}
        for k in va.konten
    ]  # fmt: skip
    konten += [
        {"name": k.name, "inhaber": f"{k.traeger} – Anteil dieses Vertrags", "anfang": k.anfang,
         "zugang": k.zugang, "abgang": k.abgang, "ende": k.ende}
        for k in va.anteile
    ]  # fmt: skip
    if va.gemeinsam:
        konten_text = _gemeinsam_text(va)
    elif konten:
        konten_text = "Endbestand = Anfangsbestand des Folgejahres."
    elif a.konten:
        konten_text = "Dieser Vertrag führt keine eigene Rücklage und keinen Fonds."
    else:
        konten_text = "Das Gutachten nennt für dieses Modell keine Rücklage; es wird keine gebildet."
    tabellen = _jahrestabellen(va, partei)
    return {
        "titel": f"Jahresabschluss {a.jahr}" + (" – vorläufig" if va.vorlaeufig else ""),
        "vorlaeufig": va.vorlaeufig,
        "status": _jahresstatus(va),
        "regel": va.regel,
        "tabellen": tabellen,
        "leer_text": "" if tabellen else (
            f"Der Jahresabschluss wird für „{a.partei}“ geführt; für diesen Vertrag ist nichts abzurechnen."
            if a.partei else "Der Jahresabschluss enthält für diesen Vertrag keine Zeile."
        ),
        "konten": konten,
        "konten_text": konten_text,
        "hinweise": [w.text for w in va.warnungen],
    }  # fmt: skip


def _ohne_eigene_abrechnung(ctx: dict[str, Any], result: ModelResult) -> None:
    """With a Jahresabschluss from the Ist, the model's own settlement of the year (its tables and
    overrun Hinweise computed from the model's Ist input) gives way to it: one figure per overrun
    and reserve in the document, and section 5 points to section 6."""
    from .annex import quelle_text
    from .jahr.abschluss import ERSETZT

    tabellen, codes = ERSETZT.get(result.modell, ((), ()))
    ersetzt = {quelle_text(w.text) for w in result.warnungen if w.code in codes}
    for schluessel in ("warnungen", "warnungen_modell"):
        ctx[schluessel] = [w for w in ctx.get(schluessel, []) if w not in ersetzt]
    weg = [n for n in tabellen if n in ctx["tabellen"]]
    ctx["tabellen"] = {n: t for n, t in ctx["tabellen"].items() if n not in weg}
    if weg:
        ctx["angaben"] = [
            *ctx.get("angaben", []),
            {"bezeichnung": "Abrechnung des Jahres (" + ", ".join(weg) + ")", "wert": None,
             "text": "mit den erfassten Ist-Ausgaben: siehe Abschnitt 6 „Jahresabschluss“"},
        ]  # fmt: skip


def kontext(result: ModelResult, vertrag: Any, jahresabschluss: Abschluss | None = None) -> dict[str, Any]:
    """Template context of the settlement: the annex context (parties, line items, totals, plan)
    plus ``bedingungen``, ``ergebnistabellen`` (every row of the result naming the contract, all
    columns), ``bonusindikatoren`` with actual values and ``warnungen`` (overruns, events), and
    ``jahresabschluss`` (None without Ist) from ``jahresabschluss`` or, when not given, the
    workbook of :func:`jahresabschluss_der_mappe`; ``nr_hinweise`` numbers the last section."""
    from . import annex

    ctx = annex.kontext(result, vertrag, abrechnung=True)
    a = jahresabschluss if jahresabschluss is not None else _MAPPE.get()
    if a is not None and (a.modell, a.jahr) != (result.modell, result.jahr):
        a = None
    ctx["jahresabschluss"] = None if a is None else jahresabschluss_kontext(a, vertrag)
    if a is not None:
        _ohne_eigene_abrechnung(ctx, result)
    ctx["nr_hinweise"] = 6 if a is None else 7
    hat_bonus = bool(ctx["summe_bonus"]) or any(p["art"] == str(Art.BONUS) for p in ctx["positionen"])
    kopf = [f"Abrechnung {vertrag.haushaltsjahr}", f"Nr. {vertrag.vertragsnummer}", ctx["vertragspartei"]]
    ctx.update(
        {
            "art": "abrechnung",
            "titel": f"Abrechnung Sozialraumbudget {vertrag.haushaltsjahr}",
            "kopfzeile": " · ".join(k for k in [*kopf, ctx["sozialraum"] or ""] if k and k != "Nr. "),
            "bedingungen": _bedingungen(ctx),
            "ergebnistabellen": _ergebnistabellen(ctx["tabellen"]),
            "bonus_verdient": ctx["summe_bonus"] if hat_bonus else Decimal("0.00"),
            "abschlaege": ctx["zahlungsplan_summe"],
        }
    )
    return ctx
