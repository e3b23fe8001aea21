"""Carry-forward over a chain of workbooks (issue 16, „Done when“): two successive jahreswechsel
2026 → 2027 → 2028 conserve money — the closing balance of every account in year n is its opening
balance in year n + 1, in the file („Vorträge“) and in the next Jahresabschluss."""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from decimal import ROUND_HALF_UP
from decimal import Decimal as D
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sozbudget_xl.jahr.abschluss import VEREINBART
from sozbudget_xl.jahr.blaetter import jahresstand, lies_jahresdaten
from sozbudget_xl.jahr.ist import BLATT, ist_blatt_zeilen
from sozbudget_xl.jahr.jahreswechsel import jahreswechsel
from sozbudget_xl.jahr.vorlage import beispiel_ist
from sozbudget_xl.workbook import io
from sozbudget_xl.workbook.recalc import berechne_mappe, neu_berechnen

BEISPIELE = Path(__file__).resolve().parent.parent / "workbooks"
CENT = D("0.01")
#: the models whose Jahresabschluss carries reserves or funds
MIT_KONTEN = ("stuttgart", "neunkirchen", "celle")


def _zwoelf_monate(mappe: Path, faktor: D) -> None:
    """The year's twelve months of Ist (the examples' pattern × ``faktor``) added to the sheet
    „Ist“ (the previous year's rows stay: the seasonal profile), then recalc."""
    r = berechne_mappe(mappe).ergebnis
    alt, _ = lies_jahresdaten(mappe)
    neu = [
        dataclasses.replace(b, jahr=r.jahr, ausgaben=(b.ausgaben * faktor).quantize(CENT, ROUND_HALF_UP))
        for b in beispiel_ist(r, monate=12)
    ]
    vorjahr = [b for b in alt or [] if b.jahr not in (None, r.jahr)]
    io.schreibe_ausgaben(mappe, {BLATT: ist_blatt_zeilen([*vorjahr, *neu])}, sicherung=False)
    neu_berechnen(mappe, sicherung=False)


def _eroeffnung(mappe: Path) -> dict[tuple[str, str], D]:
    _, vortraege = lies_jahresdaten(mappe)
    return {(k.name, k.traeger): k.anfang for k in vortraege if k.name != VEREINBART}


FAKTOR = st.integers(80, 110).map(lambda p: D(p) / 100)


@settings(max_examples=4, deadline=None)
@given(name=st.sampled_from(MIT_KONTEN), faktoren=st.tuples(FAKTOR, FAKTOR))
def test_two_jahreswechsel_conserve_every_account(name, faktoren):
    with tempfile.TemporaryDirectory() as ordner:
        mappen = [Path(ordner) / f"{name}_{j}.xlsx" for j in (2026, 2027, 2028)]
        shutil.copy(BEISPIELE / f"{name}.xlsx", mappen[0])
        schluss = []
        for n, faktor in enumerate(faktoren):
            _zwoelf_monate(mappen[n], faktor)
            jetzt = jahresstand(berechne_mappe(mappen[n]))
            assert jetzt is not None and not jetzt[1].vorlaeufig
            konten = jetzt[1].konten
            w = jahreswechsel(mappen[n], mappen[n + 1])
            assert w.jahr == 2027 + n and list(konten) == w.vortraege
            # closing balance of year n = opening balance of year n + 1 (the file's „Vorträge“)
            assert _eroeffnung(mappen[n + 1]) == {(k.name, k.traeger): k.ende for k in konten}
            if schluss:  # and the Jahresabschluss of year n + 1 opens with it, every account kept
                assert {(k.name, k.traeger): k.anfang for k in konten} == schluss[-1]
                for k in konten:
                    assert k.ende == k.anfang + k.zugang - k.abgang
            schluss.append({(k.name, k.traeger): k.ende for k in konten})
