"""Issue 14: hostile cell values — absurd numbers, text where numbers belong, control characters,
formulas — are refused where they are read, with a German message naming sheet and cell, and the
workbook stays as it was (`check` and `recalc --inplace`).

Each test builds its workbook from a fresh example (tests/sicherheit_mappen.py); the sweep at the
end runs every input field of every model with each hostile value through the reader's parsers
and the model.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from sozbudget_xl import parsing
from sozbudget_xl.cli import main
from sozbudget_xl.errors import SozbudgetError
from sozbudget_xl.models import MODELLE
from sozbudget_xl.workbook import schema

from .sicherheit_mappen import deutsch, mappe, parameter_zeile, zelle_ersetzen


def _abgelehnt(pfad: Path, capsys: pytest.CaptureFixture[str], *, befehl: str = "check") -> str:
    """Run `check` (or `recalc --inplace`): exit 2, one German FEHLER line, file unchanged."""
    vorher = pfad.read_bytes()
    argumente = ["recalc", "--inplace", str(pfad)] if befehl == "recalc" else ["check", str(pfad)]
    code = main(argumente)
    text = capsys.readouterr().out
    assert pfad.read_bytes() == vorher
    deutsch(text)
    assert code == 2, text
    zeile = next(z for z in text.splitlines() if z.startswith("FEHLER"))
    assert "interner Fehler" not in zeile, zeile
    return zeile


def _zelle_setzen(pfad: Path, blatt: str, ref: str, wert: Any) -> None:
    wb = openpyxl.load_workbook(pfad)
    wb[blatt][ref] = wert
    if isinstance(wert, str) and wert.startswith("="):
        wb[blatt][ref].data_type = "s"  # typed text, as Excel stores '=…
    wb.save(pfad)


# --------------------------------------------------------------------------- counts


@pytest.mark.parametrize("wert", [1e308, 10**20, "1e308", 1e13], ids=["1e308", "10^20", "text_1e308", "1e13"])
@pytest.mark.parametrize("befehl", ["check", "recalc"])
def test_absurd_count_is_refused_when_read(tmp_path, capsys, wert, befehl):
    """A count (KGSt „Fallzahl“) of 1e308 is refused at read time — by `check` too, not only
    when writing — naming sheet and cell; never written as a 309-digit number."""
    pfad = mappe(tmp_path)
    nr = parameter_zeile(pfad, "Fallzahl")
    _zelle_setzen(pfad, "Parameter", f"B{nr}", wert)
    zeile = _abgelehnt(pfad, capsys, befehl=befehl)
    assert f"Blatt „Parameter“, Zelle B{nr}" in zeile
    assert "unplausibel groß" in zeile or "keine Zahl" in zeile, zeile
    assert "0000000000000000" not in zeile


@pytest.mark.parametrize(
    "modell,blatt,ref", [("neunkirchen", "Hilfearten", "C2"), ("dreisaeulen", "Fallarbeit", "B2")]
)
def test_absurd_count_in_a_table_is_refused_at_its_cell(tmp_path, capsys, modell, blatt, ref):
    """A count of 1e308 in a table column („Fälle“) once ended in an internal error; now it is a
    German error at its cell."""
    pfad = mappe(tmp_path, f"{modell}.xlsx", modell)
    assert openpyxl.load_workbook(pfad)[blatt][ref[0] + "1"].value == "Fälle"
    _zelle_setzen(pfad, blatt, ref, 1e308)
    zeile = _abgelehnt(pfad, capsys)
    assert f"Blatt „{blatt}“, Zelle {ref}" in zeile and "unplausibel groß" in zeile
    assert "1 · 10^308" in zeile


@pytest.mark.parametrize("xml", ["<v>1E+999</v>", "<v>-1E+999</v>", "<v>NaN</v>", "<v>abc</v>"])
def test_infinite_or_broken_stored_numbers_are_refused(tmp_path, capsys, xml):
    """Numbers stored as infinity, NaN or text in a hand-edited file are refused at their cell."""
    pfad = mappe(tmp_path)
    nr = parameter_zeile(pfad, "Fallzahl")
    zelle_ersetzen(pfad, "Parameter", f"B{nr}", f'<c r="B{nr}">{xml}</c>')
    zeile = _abgelehnt(pfad, capsys, befehl="recalc")
    assert f"Blatt „Parameter“, Zelle B{nr}" in zeile


def test_parser_bounds_for_counts():
    """The shared parsers: finite, at most 999.999.999.999; the bound itself is accepted."""
    grenze = parsing.MAX_EINGABEZAHL
    assert parsing.konvertiere("ganzzahl", int(grenze)) == int(grenze)
    assert parsing.konvertiere("zahl", float(grenze)) == grenze
    for typ in ("zahl", "ganzzahl"):
        for wert in (1e308, -1e308, 10**400, grenze + 1, math.inf, math.nan):
            with pytest.raises(parsing.Ungueltig):
                parsing.konvertiere(typ, wert, negativ=True)


# --------------------------------------------------------------------------- texts


@pytest.mark.parametrize(
    "gespeichert,zeichen",
    [
        ("Cari_x001B_[31mtas", "U+001B"),  # a terminal escape, stored the way Excel stores controls
        ("Cari_x0000_tas", "U+0000"),
        ("Cari\u202etas", "U+202E"),  # right-to-left override: the name would display reversed
        ("Cari\u2066tas", "U+2066"),
    ],
    ids=["escape", "nul", "rlo", "isolate"],
)
def test_control_characters_in_names_are_refused(tmp_path, capsys, gespeichert, zeichen):
    """Control characters and bidi overrides in a Träger name are refused at the cell (they once
    crashed the writer); the message shows them as ⟨U+…⟩, never raw on the terminal."""
    pfad = mappe(tmp_path)
    zelle_ersetzen(pfad, "Träger", "A2", f'<c r="A2" t="inlineStr"><is><t>{gespeichert}</t></is></c>')
    zeile = _abgelehnt(pfad, capsys, befehl="recalc")
    assert "Blatt „Träger“, Zelle A2" in zeile and zeichen in zeile
    assert not parsing.STEUERZEICHEN.search(zeile)


def test_line_breaks_and_tabs_in_texts_stay_allowed():
    """Alt+Enter line breaks and tabs are ordinary text."""
    assert parsing.konvertiere("text", "Caritas\nMusterstadt\tSüd") == "Caritas\nMusterstadt\tSüd"


@pytest.mark.parametrize(
    "blatt,ref,wert,wort",
    [
        ("Träger", "B2", "01.01.2026", "Prozentsatz"),  # a date typed as text into a share
        ("Träger", "B2", "=0,4", "Prozentsatz"),  # a formula typed as text
        ("Träger", "B2", "vierzig Prozent", "Prozentsatz"),
        ("Träger", "B2", dt.date(2026, 1, 1), "Prozentsatz"),  # a real date
        ("Träger", "C2", "vielleicht", "weder ja noch nein"),
        ("Träger", "D2", "ein paar", "keine Zahl"),  # text in a number column
        ("Träger", "D2", -3, "negativ"),
    ],
    ids=["datum_text", "formeltext", "wort", "datum", "ja_nein", "text_zahl", "negativ"],
)
def test_wrong_kind_of_value_is_refused_at_its_cell(tmp_path, capsys, blatt, ref, wert, wort):
    """Text in a number column, a date (typed or real) in a share, a formula typed as text:
    a German error at the cell, the workbook unchanged."""
    pfad = mappe(tmp_path)
    _zelle_setzen(pfad, blatt, ref, wert)
    zeile = _abgelehnt(pfad, capsys)
    assert f"Blatt „{blatt}“, Zelle {ref}" in zeile and wort in zeile, zeile


def test_all_bad_cells_are_reported_at_once(tmp_path, capsys):
    """Three bad cells in different places: one run names all three."""
    pfad = mappe(tmp_path)
    nr = parameter_zeile(pfad, "Fallzahl")
    wb = openpyxl.load_workbook(pfad)
    wb["Parameter"][f"B{nr}"] = 1e308
    wb["Träger"]["B2"] = "01.01.2026"
    wb["Träger"]["D3"] = "ein paar"
    wb.save(pfad)
    vorher = pfad.read_bytes()
    assert main(["check", str(pfad)]) == 2
    text = capsys.readouterr().out
    deutsch(text)
    for ort in (f"„Parameter“, Zelle B{nr}", "„Träger“, Zelle B2", "„Träger“, Zelle D3"):
        assert ort in text, (ort, text)
    assert pfad.read_bytes() == vorher


@pytest.mark.parametrize("umweg", [False, True], ids=["direkt", "ueber_hilfszelle"])
def test_input_formula_fed_by_an_output_sheet_is_refused(tmp_path, capsys, umweg):
    """„Gesamtbudget“ as a formula on „Ergebnis“ (directly or through a helper cell) would make
    each run feed on the previous one: refused at the input cell, the workbook unchanged."""
    pfad = mappe(tmp_path)
    nr = parameter_zeile(pfad, "Gesamtbudget")
    if umweg:
        zelle_ersetzen(pfad, "Parameter", "C1", '<c r="C1"><f>Ergebnis!G2*2</f><v>1250000</v></c>')
        formel = "C1"
    else:
        formel = "SUM(Ergebnis!G2:G20)"
    zelle_ersetzen(pfad, "Parameter", f"B{nr}", f'<c r="B{nr}"><f>{formel}</f><v>1250000</v></c>')
    zeile = _abgelehnt(pfad, capsys, befehl="recalc")
    assert f"Blatt „Parameter“, Zelle B{nr}" in zeile and "„Ergebnis“" in zeile, zeile


def test_own_tables_may_sum_the_output_sheets(tmp_path, capsys):
    """A table of the user's own (not a model input) that sums „Ergebnis“ is no reason to refuse."""
    pfad = mappe(tmp_path)
    wb = openpyxl.load_workbook(pfad)
    ws = wb.create_sheet("Auswertung")
    ws["A1"], ws["B1"], ws["A2"], ws["B2"] = "Was", "Betrag", "Summe", "=SUM(Ergebnis!G2:G20)"
    from openpyxl.worksheet.table import Table

    ws.add_table(Table(displayName="MeineAuswertung", ref="A1:B2"))
    wb.save(pfad)
    zelle_ersetzen(pfad, "Auswertung", "B2", '<c r="B2"><f>SUM(Ergebnis!G2:G20)</f><v>1250000</v></c>')
    assert main(["check", str(pfad)]) == 0, capsys.readouterr().out


def test_file_names_are_shown_without_control_characters():
    """The helper for message lines: a terminal escape or a line break in a file name is shown
    as ⟨U+…⟩, so it can neither recolour the terminal nor split the one-line-per-file output."""
    from sozbudget_xl.workbook import schutz

    assert (
        schutz.anzeigename("a\x1b[31mrot\nzeile\u202e.xlsx") == "a⟨U+001B⟩[31mrot⟨U+000A⟩zeile⟨U+202E⟩.xlsx"
    )
    assert schutz.anzeigename("Haushalt 2026 (Entwurf).xlsx") == "Haushalt 2026 (Entwurf).xlsx"


def test_file_name_with_control_characters_cannot_forge_output_lines(tmp_path, capsys):
    """`sozbudget check` on a file named with a terminal escape and a line break: every output
    line about it stays one line, without the escape."""
    quelle = mappe(tmp_path / "q")
    boese = tmp_path / "a\x1b[31mrot\nOK      gefälscht.xlsx"
    boese.write_bytes(quelle.read_bytes())
    main(["check", str(boese)])
    text = capsys.readouterr().out
    assert "\x1b" not in text
    assert not any(z.startswith("OK      gefälscht") for z in text.splitlines())


# --------------------------------------------------------------------------- every field of every model

FEINDLICHE_WERTE: list[Any] = [
    1e308,
    -1e308,
    float(parsing.MAX_EINGABEZAHL),  # the largest accepted: the model may refuse the total
    5e-324,
    -0.0,
    math.nan,
    math.inf,
    "1e308",
    True,
    dt.date(1900, 1, 1),
    "=SUMME(A1:A3)",
    "x" * 5000,
    "\u200b",
    "Cari\u202etas",
    "１２",
    2**63,
]


def test_every_field_of_every_model_refuses_hostile_values_in_german():
    """Each hostile value in each Parameter field and each table column of every model (first
    row): a result, or a SozbudgetError with a German message that is no internal error — never
    another exception (an InvalidOperation from a count of 1e308 once escaped here)."""
    faelle = 0
    mängel: list[tuple[Any, ...]] = []
    for name in MODELLE:
        ms = schema.schema(name)
        parameter0, tabellen0 = schema.beispiel_daten(name)
        ziele = [(None, p.titel) for p in ms.parameter if p.titel != "Modell"]
        ziele += [(t.name, s.titel) for t in ms.tabellen if tabellen0.get(t.name) for s in t.spalten]
        for tabelle, titel in ziele:
            for wert in FEINDLICHE_WERTE:
                parameter = dict(parameter0)
                tabellen = {k: [dict(z) for z in v] for k, v in tabellen0.items()}
                if tabelle is None:
                    parameter[titel] = wert
                else:
                    tabellen[tabelle][0][titel] = wert
                faelle += 1
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", RuntimeWarning)  # numpy overflow on the way
                        _, _, ergebnis = schema.berechne_aus_daten(name, parameter, tabellen)
                    schema.ausgaben(ergebnis)
                except SozbudgetError as exc:
                    text = str(exc)
                    try:
                        deutsch(text)
                        assert "interner Fehler" not in text
                        assert not parsing.STEUERZEICHEN.search(text)
                    except AssertionError:
                        mängel.append((name, tabelle, titel, repr(wert)[:30], text))
    assert faelle > 1000
    assert not mängel, "\n".join(map(str, mängel))


def test_date_in_an_indicator_column_is_quoted_german():
    """A date typed into an indicator column (Drei Säulen „Jugendeinwohner“) is quoted as a
    German date in the error, never as a Python repr „datetime.date(…)“."""
    parameter, tabellen = schema.beispiel_daten("dreisaeulen")
    tabellen = {k: [dict(z) for z in v] for k, v in tabellen.items()}
    tabellen["Quartiere"][0]["Jugendeinwohner"] = dt.date(2026, 1, 1)
    with pytest.raises(SozbudgetError) as exc:
        schema.berechne_aus_daten("dreisaeulen", parameter, tabellen)
    deutsch(str(exc.value))
    assert "01.01.2026" in str(exc.value) and "2026-01-01" not in str(exc.value)
