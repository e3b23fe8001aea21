"""Readings of the report, their defaults and the texts that show them (issue 11).

Each reading the report allows (or each default it does not give) is a parameter with a
:class:`~sozbudget_xl.spec.Lesart`; the README model section and every workbook's Anleitung
state it with its default. Due dates move to the next working day by default in every model.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sozbudget_xl import schedule
from sozbudget_xl.doku import lesarten
from sozbudget_xl.models import alle_modelle, modell
from sozbudget_xl.spec import MAPPE, lesarten_von
from sozbudget_xl.workbook import schema as S
from sozbudget_xl.workbook import vorlage

MODELLE = ["kgst", "stuttgart", "neunkirchen", "muenchen", "tuebingen", "celle", "dreisaeulen"]
README = Path(__file__).resolve().parents[1] / "README.md"
#: choices that are no reading of the report (payment rhythm, holidays, index method and key)
_KEINE_LESART = {"zahlungsweise", "bundesland", "index_methode", "index_schluessel"}
#: Excel cuts a data-validation input prompt after 255 characters
_PROMPT_MAX = 255


def test_sieben_modelle():
    assert set(MODELLE) <= {m.NAME for m in alle_modelle()}


# --------------------------------------------------------------------------- working days


@pytest.mark.parametrize("name", MODELLE)
def test_zahltag_standardmaessig_naechster_werktag(name):
    """Issue 11: „Schedule: due dates shift to the next working day by default (Neujahr is no due
    date)“; domain spec §4: „By default a due date on a weekend or public holiday … moves to the
    next working day.“ The report itself only says „in festgelegten Raten“ (KGSt) and „zur
    Quartalsmitte“ (Celle).

    Every model defaults to ``werktag=True``; in its example no due date falls on a Saturday,
    Sunday or holiday — e.g. monthly 2026: 1 January (Neujahr, Thu) → Fri 2 January, 1 February
    (Sun) → Mon 2 February, 1 March (Sun) → Mon 2 March.
    """
    m = modell(name)
    assert m.Parameter().werktag is True
    eingabe, parameter = m.beispiel()
    r = m.berechne(eingabe, parameter)
    assert r.zahlungsplan, name
    for rate in r.zahlungsplan:
        assert schedule.naechster_werktag(rate.faellig, parameter.bundesland) == rate.faellig, (name, rate)
        assert (rate.faellig.month, rate.faellig.day) != (1, 1)
    aus = m.berechne(eingabe, dataclasses.replace(parameter, werktag=False))
    kalender = {r.faellig for r in aus.zahlungsplan}
    if parameter.zahlungsweise in ("monatlich", "quartalsweise", "jaehrlich"):
        assert dt.date(parameter.jahr, 1, 1) in kalender  # werktag=False keeps the calendar dates


def test_monatlich_2026_hand_gerechnet():
    """Domain spec §4 (monthly, in advance, on the 1st; next working day): the twelve due dates of
    2026 without a Bundesland are 2.1. (Neujahr), 2.2. (1.2. Sun), 2.3. (1.3. Sun), 1.4., 4.5.
    (1.5. Tag der Arbeit, Fri → Mon 4.5.), 1.6., 1.7., 3.8. (1.8. Sat), 1.9., 1.10., 2.11.
    (1.11. Sun), 1.12."""
    tage = schedule.faelligkeiten(2026, "monatlich")
    assert [(t.month, t.day) for t in tage] == [
        (1, 2), (2, 2), (3, 2), (4, 1), (5, 4), (6, 1), (7, 1), (8, 3), (9, 1), (10, 1), (11, 2), (12, 1)
    ]  # fmt: skip


# --------------------------------------------------------------------------- help texts


def _prompts(name: str) -> list[tuple[str, str]]:
    ms = S.schema(name)
    texte = [(f"Parameter „{p.titel}“", p.hilfe) for p in ms.parameter]
    texte += [(f"{t.blatt} „{sp.titel}“", sp.hilfe) for t in ms.tabellen for sp in t.spalten]
    return texte


@pytest.mark.parametrize("name", MODELLE)
def test_hilfetexte_passen_in_die_eingabemeldung(name):
    """Excel's data-validation input prompt holds at most 255 characters: every help text the
    workbook shows as prompt (with its „(Standard: …)“) fits, so nothing is cut off; the full
    readings stand in the Anleitung."""
    zu_lang = [(wo, len(t)) for wo, t in _prompts(name) if len(t) > _PROMPT_MAX]
    assert zu_lang == []
    assert all(len(f.hilfe) <= _PROMPT_MAX for f in MAPPE)


def test_hilfetext_mit_standard_wird_vollstaendig_geschrieben(tmp_path):
    """In a written workbook every parameter prompt is the whole help text (no cut)."""
    pfad = vorlage.erzeuge("stuttgart", tmp_path / "s.xlsx")
    ws = load_workbook(pfad)["Parameter"]
    hilfe = {p.titel: p.hilfe for p in S.schema("stuttgart").parameter}
    zeile = {ws.cell(row=i, column=1).value: i for i in range(2, ws.max_row + 1)}
    prompts = {str(dv.sqref): dv.prompt for dv in ws.data_validations.dataValidation}
    lesart = hilfe["Lesart Gesamtbudget"]
    assert prompts[f"B{zeile['Lesart Gesamtbudget']}"] == lesart
    assert lesart.endswith("(Standard: a + b ausgezahlt, Bedingtes zusätzlich)")


# --------------------------------------------------------------------------- readings


@pytest.mark.parametrize("name", MODELLE)
def test_jede_wahl_des_gutachtens_hat_eine_lesart(name):
    """Every choice parameter that is a reading of the report (not the payment rhythm, the
    holidays or the index method) and every ``*_lesart`` parameter has a Lesart; every Lesart
    names a parameter of the model."""
    d = modell(name).DEKLARATION
    felder = {f.feld for f in d.parameter}
    mit_lesart = {x.feld for x in lesarten_von(d)}
    assert mit_lesart <= felder
    noetig = {f.feld for f in d.parameter if f.auswahl and f.feld not in _KEINE_LESART}
    noetig |= {f for f in felder if "lesart" in f} | {"werktag"}
    assert noetig <= mit_lesart, noetig - mit_lesart


@pytest.mark.parametrize("name", MODELLE)
def test_readme_und_anleitung_nennen_jede_lesart_mit_standard(name, tmp_path):
    """Issue 11, Done when: „The README model table and the workbook Anleitung state each reading
    and its default.“ Each sentence of :func:`~sozbudget_xl.doku.lesarten` (parameter, „Standard:
    …“, other choices, quote of the report) stands in the README and in the model's Anleitung."""
    zeilen = lesarten(modell(name))
    assert zeilen and all("– Standard: „" in z for z in zeilen)
    readme = README.read_text(encoding="utf-8")
    anleitung = [
        t for (t,) in load_workbook(vorlage.erzeuge(name, tmp_path / "m.xlsx"))["Anleitung"].iter_rows(
            min_col=1, max_col=1, values_only=True
        ) if t
    ]  # fmt: skip
    for z in zeilen:
        assert f"- {z}" in readme, z
        assert f"• {z}" in anleitung, z


def test_stuttgart_lesarten_und_urteile():
    """§5.1: the reading of the Gesamtbudget, the bonus cap (2 % or 1 %) and the Revision threshold
    are judgement calls and say so; the default reading is the detailed rule („… bilden eine
    Gesamtsumme von 95 %, die zur Auszahlung gelangt“), bonus 1 %, threshold 5 %."""
    m = modell("stuttgart")
    p = m.Parameter()
    assert (p.gesamtbudget_lesart, p.bonus_hoechstsatz, p.revision_schwelle) == (
        "ab_ausgezahlt",
        D("0.01"),
        D("0.05"),
    )
    zeilen = {z.split(" – ")[0]: z for z in lesarten(m)}
    assert "Standard: „a + b ausgezahlt, Bedingtes zusätzlich“" in zeilen["Lesart Gesamtbudget"]
    assert "Gesamtsumme von 95 %, die zur Auszahlung gelangt" in zeilen["Lesart Gesamtbudget"]
    for titel in ("Lesart Gesamtbudget", "Bonus-Höchstsatz", "Revision-Schwelle"):
        assert "[Auslegung" in zeilen[titel], titel
    assert (
        "Standard: „5 %“" in zeilen["Revision-Schwelle"] and "keine Schwelle" in zeilen["Revision-Schwelle"]
    )


def test_kgst_standard_leistungsbezogen_beispiel_anteilig():
    """§3: „… leistungsbezogen auf andere im Sozialraum tätige Träger für die Durchführung von
    ambulanten Erziehungshilfen verwandt“ — default: by additional cases. The spec's worked example
    needs „anteilig“: G = 1.000.000 €, 50/30/20 %, C without evidence: C's 20 % of 200.000 € =
    40.000 € go to A and B 50 : 30 → 25.000 / 15.000 € → A 500.000 + 25.000 = 525.000 €, B
    300.000 + 15.000 = 315.000 €, C 200.000 − 40.000 = 160.000 €. With the default and no
    additional cases the 40.000 € stay zweckgebunden."""
    m = modell("kgst")
    e = m.Eingabe(
        D("1000000"),
        (m.Traeger("A", D("0.5"), True), m.Traeger("B", D("0.3"), True), m.Traeger("C", D("0.2"), False)),
    )
    assert m.Parameter().umverteilung == "zusatzfaelle"
    r = m.berechne(e, m.Parameter(umverteilung="anteilig"))
    assert [r.summe(traeger=t) for t in "ABC"] == [D("525000.00"), D("315000.00"), D("160000.00")]
    standard = m.berechne(e)
    assert [standard.summe(traeger=t) for t in "ABC"] == [D("500000.00"), D("300000.00"), D("160000.00")]
    assert standard.kennzahlen["Zweckgebunden für ambulante HzE (beim Jugendamt)"] == D("40000.00")
    (zeile,) = [z for z in lesarten(m) if z.startswith("Umverteilung")]
    assert "Standard: „nach Zusatzfällen“" in zeile and "525.000" in zeile


def test_srb_raten_standardmaessig_naechster_werktag():
    """The worksheet function follows the same default (domain spec §4): without the Werktag
    argument 1.200 € quarterly in 2026 fall due on Fri 2.1. (Neujahr), 1.4., 1.7., 1.10. (300 €
    each); Werktag = FALSCH keeps 1.1.; an empty cell (Calc passes None) means the default."""
    import inspect

    from sozbudget_xl.excel import SRB_RATEN

    assert inspect.signature(SRB_RATEN).parameters["werktag"].default is True
    plan = SRB_RATEN(1200, 2026, "quartalsweise")
    assert [z[0] for z in plan[1:]] == [
        dt.date(2026, 1, 2),
        dt.date(2026, 4, 1),
        dt.date(2026, 7, 1),
        dt.date(2026, 10, 1),
    ]
    assert [z[1] for z in plan[1:]] == [300.0] * 4
    assert SRB_RATEN(1200, 2026, "quartalsweise", "", False)[1][0] == dt.date(2026, 1, 1)
    assert SRB_RATEN(1200, 2026, "quartalsweise", "", None)[1][0] == dt.date(2026, 1, 2)
