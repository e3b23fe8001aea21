"""A joint account (Celle's Verbund reserve) split between the contracts: the parts of all rows
add up to the account to the cent, for any balances and budgets (issue 16 item 3)."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from sozbudget_xl.jahr.abschluss import Abschluss, Konto
from sozbudget_xl.jahr.vertragsabschluss import anteile, vertragsabschluss

CENTS = st.integers(min_value=0, max_value=10**11).map(lambda c: D(c).scaleb(-2))
SPALTEN = ("Träger", "Sozialraum", "Budget", "Ist", "Ersparnis", "Überschreitung")


def _abschluss(budgets: list[D], konto: Konto) -> Abschluss:
    zeilen = [
        {"Träger": f"T{i % 3}", "Sozialraum": f"S{i}", "Budget": b, "Ist": b, "Ersparnis": D(0),
         "Überschreitung": D(0)}
        for i, b in enumerate(budgets)
    ]  # fmt: skip
    zeilen.append({"Träger": "Summe", "Sozialraum": None, "Budget": sum(budgets, D(0))})
    return Abschluss("celle", 2026, False, "Regel", SPALTEN, tuple(zeilen), (konto,), stand=12)


@given(
    budgets=st.lists(CENTS, min_size=1, max_size=12),
    anfang=CENTS,
    zugang=CENTS,
    abgang=CENTS,
)
def test_parts_sum_exactly_to_the_joint_account(budgets, anfang, zugang, abgang):
    konto = Konto("Rücklage Trägerverbund (zweckgebunden)", "Trägerverbund", anfang, zugang, abgang)
    a = _abschluss(budgets, konto)
    teile = [k for _, k in anteile(a, konto)]
    assert len(teile) == len(budgets)
    for feld in ("anfang", "zugang", "abgang", "ende"):
        assert sum((getattr(k, feld) for k in teile), D(0)) == getattr(konto, feld)
    # per contract (here: each Träger over all its Sozialräume) the parts add up too
    vertraege = [vertragsabschluss(a, f"T{i}") for i in range(min(3, len(budgets)))]
    for feld in ("anfang", "zugang", "abgang", "ende"):
        assert sum((getattr(v.anteile[0], feld) for v in vertraege), D(0)) == getattr(konto, feld)
    assert all(v.gemeinsam == (konto,) for v in vertraege)
