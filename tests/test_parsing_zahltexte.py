"""Money and number texts (issue 14 item 5, issue 11 „ambiguous text numbers“).

Money keeps its German reading („1.125“ is 1.125,00 €, „1.000,-“ is 1.000,00 €); outside money a
text „d.ddd“ is refused, asking for the unambiguous spelling; shares summing to 100 % within
floating error (=1/3 three times) make 100 %.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sozbudget_xl.errors import ModellFehler, SozbudgetError
from sozbudget_xl.excel import SRB_BETRAG, SRB_VERTEILEN
from sozbudget_xl.models import neunkirchen
from sozbudget_xl.money import MehrdeutigeZahl, euro, to_decimal
from sozbudget_xl.parsing import Ungueltig, ergibt_hundert_prozent, konvertiere

GANZE_EURO = ["1.000,-", "1.000,–", "€ 1.000,-", "1.000,- €", "1.000,—", "EUR 1.000,-"]


@pytest.mark.parametrize("text", GANZE_EURO)
def test_whole_euro_dash_is_not_a_minus(text):
    """„1.000,-“ (German whole euros, also with en or em dash and a currency sign) = 1.000,00 €,
    not −1.000,00 € (issue 14 item 5)."""
    assert euro(text) == D("1000.00")
    assert konvertiere("betrag", text) == D("1000.00")  # the workbook cell parser: no false refusal


def test_worksheet_functions_read_whole_euro_dash():
    """SRB_BETRAG shows „1.000,-“ as 1.000,00 €; SRB_VERTEILEN splits 1.000,00 € (not −1.000) 1:1:2 →
    250 / 250 / 500."""
    assert SRB_BETRAG("1.000,-") == "1.000,00\u00a0€"
    assert SRB_VERTEILEN("€ 1.000,–", [[1, 1, 2]]) == [[250.0, 250.0, 500.0]]


def test_small_and_negative_whole_euro_texts():
    """„5,-“ is 5,00 €; a leading minus still makes it negative: „-1.000,-“ = −1.000,00 €; the
    accounting form „1.000-“ (trailing minus without comma) stays −1.000,00 €."""
    assert euro("5,-") == D("5.00")
    assert euro("-1.000,-") == D("-1000.00")
    assert euro("1.000-") == D("-1000.00")


@pytest.mark.parametrize("typ", ["ganzzahl", "zahl"])
def test_ambiguous_count_text_is_refused(typ):
    """Issue 11: „1.125“ in a count or Vollzeitstellen field could be 1125 or 1,125 — an error that
    asks for „1125“ or „1,125“ instead of reading 1125 silently."""
    with pytest.raises(Ungueltig) as exc:
        konvertiere(typ, "1.125")
    assert "mehrdeutig" in exc.value.meldung and exc.value.expected == "„1125“ oder „1,125“"
    assert exc.value.found == "1.125"


def test_unambiguous_number_texts_stay_accepted():
    """„2.5“ (one or two decimals), „1.234.567“ (two dots), „1125“ and „1,125“ are unambiguous:
    2,5 / 1234567 / 1125 / 1,125."""
    assert konvertiere("zahl", "2.5") == D("2.5")
    assert konvertiere("zahl", "12.75") == D("12.75")
    assert konvertiere("ganzzahl", "1.234.567") == 1234567
    assert konvertiere("ganzzahl", "1125") == 1125
    assert konvertiere("zahl", "1,125") == D("1.125")
    assert konvertiere("zahl", 1.125) == D("1.125")  # a number cell is never ambiguous


def test_money_keeps_the_german_reading():
    """In money fields „1.125“ stays the German thousands reading: 1.125,00 €."""
    assert konvertiere("betrag", "1.125") == D("1125.00")
    assert euro("1.125") == D("1125.00")
    with pytest.raises(MehrdeutigeZahl):
        to_decimal("1.125", "Zahl")


def test_model_count_field_reports_the_ambiguity_with_its_location():
    """A model called directly with „1.125“ cases names the row and field: Hilfearten row 0, Fälle."""
    e = neunkirchen.Eingabe("SR", "Verbund", (neunkirchen.Hilfeart("31", "SPFH", "1.125", "100.00"),))
    with pytest.raises(ModellFehler) as exc:
        neunkirchen.berechne(e)
    assert "mehrdeutig" in exc.value.message and exc.value.pfad == ("hilfearten", 0, "faelle")


@given(st.integers(1, 999), st.integers(0, 999))
def test_property_every_d_ddd_text_is_ambiguous_outside_money(tausend, rest):
    """For every „d.ddd“ text: money reads tausend·1000 + rest, a number field refuses it."""
    text = f"{tausend}.{rest:03d}"
    assert euro(text) == D(tausend * 1000 + rest)
    with pytest.raises(SozbudgetError):
        to_decimal(text, "Zahl")


def test_thirds_make_one_hundred_percent():
    """Issue 14: =1/3 three times (0,3333333333333333 as floats, sum 0,9999999999999999) is 100 %;
    0,999 (99,9 %) is not."""
    drittel = konvertiere("prozent", 1 / 3)
    assert ergibt_hundert_prozent(drittel * 3)
    assert not ergibt_hundert_prozent(D("0.999")) and not ergibt_hundert_prozent(D("1.001"))


def test_kgst_and_tuebingen_accept_thirds():
    """Issue 14: three KGSt Träger at =1/3 with evidence share 1.000.000 € as 333.333,34 / 333.333,33 /
    333.333,33 € (largest remainder); three Tübingen stations at =1/3 are accepted too."""
    import dataclasses

    from sozbudget_xl.models import kgst, tuebingen

    tr = tuple(kgst.Traeger(n, 1 / 3, True) for n in ("A", "B", "C"))
    r = kgst.berechne(kgst.Eingabe(D("1000000"), tr))
    assert sorted(r.summen_nach("traeger").values(), reverse=True) == [
        D("333333.34"),
        D("333333.33"),
        D("333333.33"),
    ]
    e, p = tuebingen.beispiel()
    st3 = tuple(dataclasses.replace(s, kostenanteil=1 / 3) for s in e.stationen[:3])
    r2 = tuebingen.berechne(dataclasses.replace(e, stationen=st3), p)
    assert r2.gesamt > 0


def test_ambiguous_text_in_a_base_data_column_is_an_error_at_its_cell():
    """Issue 11: „1.234“ in a base-data column (Celle's Sozialräume table, column Arbeitslose) is
    refused at its cell, asking for „1234“ or „1,234“, instead of a silent 1234 (or Python's 1,234)."""
    from sozbudget_xl.errors import MehrereFehler
    from sozbudget_xl.workbook import schema as S

    parameter, tabellen = S.beispiel_daten("celle")
    tabellen["Sozialraeume"][1]["Arbeitslose"] = "1.234"
    with pytest.raises(SozbudgetError) as exc:
        S.eingabe_aus_daten("celle", parameter, tabellen)
    fehler = exc.value.fehler if isinstance(exc.value, MehrereFehler) else [exc.value]
    assert len(fehler) == 1
    f = fehler[0]
    assert "mehrdeutig" in f.message and f.column == "Arbeitslose" and f.sheet == "Sozialräume"
    assert f.cell is not None and f.expected == "„1234“ oder „1,234“"


def test_indicator_columns_read_text_the_german_way():
    """A text value in an indicator column is read like a cell (German „1.234,5“ = 1234,5), and
    „1.234“ is refused instead of Python's float reading 1,234."""
    from sozbudget_xl.indicators import Indicator, bewerte

    rows = [{"Sozialraum": "A", "x": "1.234,5"}, {"Sozialraum": "B", "x": 2469}]
    assert bewerte(rows, [Indicator("x", "x")]).werte["x"].tolist() == [1234.5, 2469.0]
    with pytest.raises(SozbudgetError, match="mehrdeutig"):
        bewerte([{"Sozialraum": "A", "x": "1.234"}, {"Sozialraum": "B", "x": 2}], [Indicator("x", "x")])


class _Int(int):
    """An int that is not exactly ``int``: takes the general way (through Decimal)."""


class _Str(str):
    """A str that is not exactly ``str``: takes the general way (with the control-character search)."""


def _ergebnis(typ: str, wert: object, **kw: object) -> object:
    try:
        return konvertiere(typ, wert, **kw)
    except Ungueltig as u:
        return ("Fehler", u.args)


@given(
    st.integers(-(10**13), 10**13) | st.sampled_from([0, -1, 999_999_999_999, 10**12, -(10**12)]),
    st.booleans(),
)
def test_a_whole_number_cell_reads_as_through_decimal(wert: int, negativ: bool) -> None:
    """The shortcut for an exact int (issue 15) gives what the way through Decimal gives: the
    number, or the same error (negative, too large)."""
    schnell = _ergebnis("ganzzahl", wert, negativ=negativ)
    allgemein = _ergebnis("ganzzahl", _Int(wert), negativ=negativ)
    assert schnell == allgemein and type(schnell) is type(allgemein)


@given(
    st.text(max_size=30)
    | st.sampled_from([" Träger A ", "a\u202eb", "x\x7f", "\ttab", "zwei\nZeilen", "\u00a0"])
)
def test_a_text_cell_reads_as_with_the_control_character_search(wert: str) -> None:
    """The shortcut for a printable text gives what the general way gives (stripped text, or the
    same refusal of a control character or bidi override)."""
    if wert.strip():
        assert _ergebnis("text", wert) == _ergebnis("text", _Str(wert))
