"""Instalment plans (spec §4): rhythms, exact cents, remainder cents, working-day shift."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sozbudget_xl.errors import BetragFehler, EingabeFehler
from sozbudget_xl.schedule import (
    BUNDESLAENDER,
    RHYTHMEN,
    Rate,
    faelligkeiten,
    naechster_werktag,
    raten,
    zahlungsplan,
)
from tests.strategies import MAX_CENTS, datums, signed_cents

D = Decimal
date = dt.date


def betraege_of(plan: list[Rate]) -> list[Decimal]:
    return [r.betrag for r in plan]


def tage_of(plan: list[Rate]) -> list[dt.date]:
    return [r.faellig for r in plan]


# =========================================================================== due dates


def test_monthly_is_twelve_instalments_on_the_first():
    """„monatlich“ gives the 1st of every month, January to December (payment in advance)."""
    assert faelligkeiten(2026, "monatlich", werktag=False) == [date(2026, m, 1) for m in range(1, 13)]


def test_monthly_is_the_default_rhythm():
    """Without a rhythm the plan is monthly."""
    assert faelligkeiten(2026) == faelligkeiten(2026, "monatlich")


def test_quarterly_is_the_first_day_of_each_quarter():
    """„quartalsweise“ gives 1 January, 1 April, 1 July and 1 October."""
    assert faelligkeiten(2026, "quartalsweise", werktag=False) == [
        date(2026, 1, 1),
        date(2026, 4, 1),
        date(2026, 7, 1),
        date(2026, 10, 1),
    ]


def test_mid_quarter_is_the_fifteenth_of_the_middle_month():
    """„quartalsmitte“ (Celle) gives 15 February, 15 May, 15 August and 15 November."""
    assert faelligkeiten(2026, "quartalsmitte", werktag=False) == [
        date(2026, 2, 15),
        date(2026, 5, 15),
        date(2026, 8, 15),
        date(2026, 11, 15),
    ]


def test_yearly_is_the_first_of_january():
    """„jaehrlich“ gives one due date, 1 January."""
    assert faelligkeiten(2027, "jaehrlich", werktag=False) == [date(2027, 1, 1)]


def test_given_dates_are_parsed_and_sorted():
    """„termine“ reads ISO, German text and date objects and returns them in calendar order; by
    default Saturday 10 Jan → Monday 12 Jan, Sunday 15 Mar → Monday 16 Mar."""
    termine = ["2026-06-30", "15.03.2026", date(2026, 1, 10), "01.12.2026"]
    assert faelligkeiten(2026, "termine", termine=termine, werktag=False) == [
        date(2026, 1, 10),
        date(2026, 3, 15),
        date(2026, 6, 30),
        date(2026, 12, 1),
    ]
    assert faelligkeiten(2026, "termine", termine=termine)[:2] == [date(2026, 1, 12), date(2026, 3, 16)]


@pytest.mark.parametrize("termine", [None, []])
def test_given_dates_must_not_be_empty(termine):
    """„termine“ without dates raises EingabeFehler „keine Zahlungstermine“."""
    with pytest.raises(EingabeFehler, match="keine Zahlungstermine"):
        faelligkeiten(2026, "termine", termine=termine)


def test_given_dates_reject_invalid_dates():
    """An impossible given date (31.02.) raises EingabeFehler."""
    with pytest.raises(EingabeFehler, match="kein gültiges Datum"):
        faelligkeiten(2026, "termine", termine=["31.02.2026"])


def test_unknown_rhythm_lists_the_allowed_values_in_german():
    """An unknown rhythm raises EingabeFehler „unbekannte Zahlungsweise“ that lists every allowed value."""
    with pytest.raises(EingabeFehler, match="unbekannte Zahlungsweise „woechentlich“") as info:
        faelligkeiten(2026, "woechentlich")
    message = str(info.value)
    assert "Zahlungsweise" in message
    for rhythmus in RHYTHMEN:
        assert rhythmus in message
    assert RHYTHMEN == ("monatlich", "quartalsweise", "quartalsmitte", "jaehrlich", "termine")


@pytest.mark.parametrize("jahr", [1989, 2201, "2026", 2026.0, None])
def test_year_must_be_an_int_between_1990_and_2200(jahr):
    """The budget year must be an int from 1990 to 2200, else EingabeFehler „ungültiges Haushaltsjahr“."""
    with pytest.raises(EingabeFehler, match="ungültiges Haushaltsjahr"):
        faelligkeiten(jahr, "monatlich")


# =========================================================================== amounts


def test_100_euro_monthly_first_four_take_the_remainder():
    """100,00 € monthly: 10000 = 12·833 + 4, so the first four instalments are 8,34 € and the other eight 8,33
    €."""
    plan = zahlungsplan("100,00", 2026, "monatlich")
    assert betraege_of(plan) == [D("8.34")] * 4 + [D("8.33")] * 8
    assert sum(betraege_of(plan)) == D("100.00")


def test_100_euro_monthly_rest_last_puts_the_extra_cents_last():
    """rest="letzte": 100,00 € monthly → eight instalments of 8,33 € and then four of 8,34 €."""
    plan = zahlungsplan("100,00", 2026, "monatlich", rest="letzte")
    assert betraege_of(plan) == [D("8.33")] * 8 + [D("8.34")] * 4


def test_quarterly_even_amount_has_no_remainder():
    """1.000,00 € quarterly → 4 × 250,00 € on 1 Jan/Apr/Jul/Oct (calendar dates, no shift)."""
    plan = zahlungsplan("1.000,00 €", 2026, "quartalsweise", werktag=False)
    assert betraege_of(plan) == [D("250.00")] * 4
    assert tage_of(plan) == [date(2026, 1, 1), date(2026, 4, 1), date(2026, 7, 1), date(2026, 10, 1)]


def test_ten_cents_monthly_last_two_get_nothing():
    """0,10 € monthly: 10 cents for 12 dates → ten instalments of 0,01 € and two of 0,00 €."""
    assert betraege_of(zahlungsplan("0,10", 2026)) == [D("0.01")] * 10 + [D("0.00")] * 2


def test_quartalsmitte_uneven_amount():
    """1.000,01 € quartalsmitte: 100001 = 4·25000 + 1 → 250,01 € on 15 Feb, then 3 × 250,00 €."""
    plan = zahlungsplan("1000.01", 2026, "quartalsmitte", werktag=False)
    assert betraege_of(plan) == [D("250.01"), D("250.00"), D("250.00"), D("250.00")]
    assert tage_of(plan)[0] == date(2026, 2, 15)


def test_negative_amount_is_split_like_a_positive_one():
    """A repayment of −100,00 € quarterly → 4 × −25,00 €; −0,02 € → −0,01, −0,01, 0,00, 0,00."""
    assert betraege_of(zahlungsplan("-100,00", 2026, "quartalsweise")) == [D("-25.00")] * 4
    assert betraege_of(zahlungsplan("-0,02", 2026, "quartalsweise")) == [D("-0.01")] * 2 + [D("0.00")] * 2


def test_rates_carry_number_date_recipient_and_purpose():
    """Each Rate has its due date, a running number from 1, the recipient and the purpose."""
    plan = zahlungsplan("300", 2026, "quartalsweise", empfaenger="Träger A", zweck="Sockelbetrag")
    assert [r.nummer for r in plan] == [1, 2, 3, 4]
    assert all(r.empfaenger == "Träger A" and r.zweck == "Sockelbetrag" for r in plan)
    assert plan[0] == Rate(date(2026, 1, 2), D("75.00"), "Träger A", "Sockelbetrag", 1)


def test_rate_is_immutable():
    """A Rate is a frozen value: assigning a field raises FrozenInstanceError."""
    rate = raten("10", [date(2026, 1, 1)])[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        rate.betrag = D("0")  # type: ignore[misc]


def test_raten_on_given_dates_keeps_their_order():
    """raten splits on the dates as given (no sorting): 10,00 € on 3 dates → 3,34 / 3,33 / 3,33."""
    termine = [date(2026, 5, 1), date(2026, 2, 1), date(2026, 9, 1)]
    plan = raten("10,00", termine)
    assert tage_of(plan) == termine
    assert betraege_of(plan) == [D("3.34"), D("3.33"), D("3.33")]


def test_raten_rejects_unknown_remainder_rule_and_no_dates():
    """rest must be „erste“ or „letzte“, and at least one date is needed; otherwise EingabeFehler."""
    with pytest.raises(EingabeFehler, match="Restcent-Regel „mitte“"):
        raten("10", [date(2026, 1, 1)], rest="mitte")
    with pytest.raises(EingabeFehler, match="keine Zahlungstermine"):
        raten("10", [])


def test_raten_rejects_a_bad_amount():
    """An amount that is no number raises BetragFehler."""
    with pytest.raises(BetragFehler):
        zahlungsplan("viel Geld", 2026)


@settings(max_examples=200)
@given(
    signed_cents(MAX_CENTS),
    st.sampled_from(["monatlich", "quartalsweise", "quartalsmitte", "jaehrlich"]),
    st.sampled_from(["erste", "letzte"]),
)
def test_instalments_always_sum_exactly(c, rhythmus, rest):
    """For any amount and rhythm the instalments add up to the amount exactly and differ by at most one cent;
    with „erste“ the larger ones come first, with „letzte“ last."""
    amount = D(c).scaleb(-2)
    plan = zahlungsplan(amount, 2026, rhythmus, rest=rest)
    betraege = betraege_of(plan)
    assert sum(betraege) == amount
    assert all(b.as_tuple().exponent == -2 for b in betraege)
    assert max(betraege) - min(betraege) <= D("0.01")
    magnitudes = [abs(b) for b in betraege]
    assert magnitudes == sorted(magnitudes, reverse=(rest == "erste"))


@settings(max_examples=100)
@given(signed_cents(MAX_CENTS), st.lists(datums(2026, 2026), min_size=1, max_size=40))
def test_instalments_on_given_dates_sum_exactly(c, termine):
    """For any amount and any list of dates (duplicates allowed) the instalments add up to the amount."""
    amount = D(c).scaleb(-2)
    plan = zahlungsplan(amount, 2026, "termine", termine=termine, werktag=False)
    assert sum(betraege_of(plan)) == amount
    assert tage_of(plan) == sorted(termine)


# =========================================================================== working days


def test_labour_day_friday_moves_to_monday():
    """1 May 2026 is a Friday and a federal holiday (Tag der Arbeit): the instalment moves to Monday 4 May."""
    assert date(2026, 5, 1).weekday() == 4
    assert naechster_werktag(date(2026, 5, 1)) == date(2026, 5, 4)


def test_new_year_moves_to_next_working_day():
    """1 January 2026 (Thursday, Neujahr) → Friday 2 January; 1 January 2022 (Saturday) → Monday 3 January."""
    assert naechster_werktag(date(2026, 1, 1)) == date(2026, 1, 2)
    assert naechster_werktag(date(2022, 1, 1)) == date(2022, 1, 3)


def test_weekend_crossing_into_the_next_year():
    """Saturday 31 December 2022 → Sunday → 1 January 2023 is Neujahr (a Sunday, too) → Monday 2 January
    2023."""
    assert date(2022, 12, 31).weekday() == 5
    assert naechster_werktag(date(2022, 12, 31)) == date(2023, 1, 2)


def test_easter_moves_past_good_friday_and_easter_monday():
    """Karfreitag 3 April 2026 → Sat, Sun, Ostermontag 6 April → Tuesday 7 April 2026."""
    assert naechster_werktag(date(2026, 4, 3)) == date(2026, 4, 7)


def test_working_day_stays():
    """A working day stays where it is: Wednesday 1 April 2026."""
    assert naechster_werktag(date(2026, 4, 1)) == date(2026, 4, 1)


def test_state_holiday_epiphany_in_bavaria_not_in_nrw():
    """6 January 2026 is a Tuesday; Heilige Drei Könige is a holiday in BY (→ 7 January) but not in NW or
    federally."""
    assert date(2026, 1, 6).weekday() == 1
    assert date(2026, 1, 6) in holidays.country_holidays("DE", subdiv="BY", years=2026)
    assert naechster_werktag(date(2026, 1, 6), "BY") == date(2026, 1, 7)
    assert naechster_werktag(date(2026, 1, 6), "NW") == date(2026, 1, 6)
    assert naechster_werktag(date(2026, 1, 6)) == date(2026, 1, 6)


def test_state_holiday_reformation_day_in_saxony():
    """31 October 2025 is a Friday and Reformationstag in SN (→ Monday 3 November) but not in BY."""
    assert date(2025, 10, 31).weekday() == 4
    assert naechster_werktag(date(2025, 10, 31), "SN") == date(2025, 11, 3)
    assert naechster_werktag(date(2025, 10, 31), "BY") == date(2025, 10, 31)


def test_monthly_plan_2026_with_working_day_shift():
    """2026 monthly with shift: 1 Jan → 2 Jan (Neujahr), 1 Feb/1 Mar/1 Nov are Sundays → the 2nd, 1 May → 4
    May, 1 Aug is a Saturday → 3 Aug; all others stay on the 1st."""
    assert faelligkeiten(2026, "monatlich", werktag=True) == [
        date(2026, 1, 2),
        date(2026, 2, 2),
        date(2026, 3, 2),
        date(2026, 4, 1),
        date(2026, 5, 4),
        date(2026, 6, 1),
        date(2026, 7, 1),
        date(2026, 8, 3),
        date(2026, 9, 1),
        date(2026, 10, 1),
        date(2026, 11, 2),
        date(2026, 12, 1),
    ]


def test_mid_quarter_assumption_day_in_saarland():
    """15 August 2025 is a Friday and Mariä Himmelfahrt in SL: quartalsmitte moves it to Monday 18 August (15
    Feb and 15 Nov 2025 are Saturdays → the 17th)."""
    assert faelligkeiten(2025, "quartalsmitte", werktag=True, bundesland="SL") == [
        date(2025, 2, 17),
        date(2025, 5, 15),
        date(2025, 8, 18),
        date(2025, 11, 17),
    ]


def test_shift_is_on_by_default():
    """Spec §4 „By default a due date on a weekend or public holiday … moves to the next working
    day“ (issue 11: Neujahr is no due date): 1 Jan 2026 → Fri 2 Jan, 1 May 2026 (Fri) → Mon 4 May,
    1 Feb 2026 (Sun) → Mon 2 Feb; yearly 2027: 1 Jan (Fri) → Mon 4 Jan."""
    tage = tage_of(zahlungsplan("12", 2026))
    assert (tage[0], tage[1], tage[4]) == (date(2026, 1, 2), date(2026, 2, 2), date(2026, 5, 4))
    assert faelligkeiten(2027, "jaehrlich") == [date(2027, 1, 4)]
    assert faelligkeiten(2026) == faelligkeiten(2026, werktag=True)


def test_shift_can_be_switched_off():
    """With werktag=False a plan keeps its dates even on holidays (1 Jan, 1 May)."""
    assert tage_of(zahlungsplan("12", 2026, werktag=False))[0] == date(2026, 1, 1)
    assert tage_of(zahlungsplan("12", 2026, werktag=False))[4] == date(2026, 5, 1)


def test_shift_keeps_the_amounts():
    """Moving due dates does not change the amounts: 100,00 € monthly stays 4 × 8,34 + 8 × 8,33."""
    plan = zahlungsplan("100,00", 2026, werktag=True, bundesland="BY")
    assert betraege_of(plan) == [D("8.34")] * 4 + [D("8.33")] * 8
    assert tage_of(plan)[0] == date(2026, 1, 2)


@pytest.mark.parametrize("bundesland", ["XX", "Bayern", "by", ""])
def test_unknown_bundesland_is_an_error(bundesland):
    """An unknown state code raises EingabeFehler „unbekanntes Bundesland“ — with and without the shift."""
    with pytest.raises(EingabeFehler, match="unbekanntes Bundesland"):
        naechster_werktag(date(2026, 1, 6), bundesland)
    with pytest.raises(EingabeFehler, match="unbekanntes Bundesland"):
        faelligkeiten(2026, "monatlich", werktag=True, bundesland=bundesland)
    with pytest.raises(EingabeFehler, match="unbekanntes Bundesland"):
        faelligkeiten(2026, "monatlich", bundesland=bundesland)


def test_all_sixteen_states_are_known():
    """The 16 German state codes are accepted."""
    assert len(BUNDESLAENDER) == 16
    for code in BUNDESLAENDER:
        assert naechster_werktag(date(2026, 4, 1), code) == date(2026, 4, 1)


@settings(max_examples=200, deadline=None)
@given(datums(), st.sampled_from((None, *BUNDESLAENDER)))
def test_next_working_day_is_the_first_non_holiday_weekday(day, bundesland):
    """The result is the first day on or after the date that is Mon–Fri and no federal/state holiday (checked
    against the holidays calendar); it is at most four days later (Karfreitag → Dienstag)."""
    result = naechster_werktag(day, bundesland)
    calendar = holidays.country_holidays("DE", subdiv=bundesland, years=range(day.year, day.year + 2))
    assert day <= result <= day + dt.timedelta(days=4)
    assert result.weekday() < 5
    assert result not in calendar
    skipped = day
    while skipped < result:
        assert skipped.weekday() >= 5 or skipped in calendar
        skipped += dt.timedelta(days=1)
