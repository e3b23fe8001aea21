"""The Abrechnung carries the contract's part of the workbook's Jahresabschluss (issue 16 item 3,
issue 12 item 5): the same amounts as the sheet „Jahresabschluss“, „vorläufig“ before all 12
months are in, per-contract amounts adding up to the sheet's totals to the cent, and the same
sections in DOCX and HTML."""

from __future__ import annotations

import html as _html
import re
import shutil
from decimal import ROUND_HALF_UP
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from sozbudget_xl import abrechnung, annex
from sozbudget_xl.cli import main
from sozbudget_xl.formats import betrag
from sozbudget_xl.jahr.abschluss import Abschluss, Konto
from sozbudget_xl.jahr.blaetter import jahresstand
from sozbudget_xl.jahr.vertragsabschluss import vertragsabschluss
from sozbudget_xl.jahr.vorlage import beispiel_ist
from sozbudget_xl.vertragsmappe import _altes_blatt, _parteien
from sozbudget_xl.workbook.recalc import berechne_mappe

BEISPIELE = Path(__file__).resolve().parent.parent / "workbooks"
CENT = D("0.01")


def _kopie(tmp_path: Path, name: str) -> Path:
    ziel = tmp_path / f"{name}.xlsx"
    shutil.copy(BEISPIELE / f"{name}.xlsx", ziel)
    return ziel


def _zwoelf_monate(tmp_path: Path, mappe: Path, faktor: str) -> None:
    """Replace the example's six months by twelve (the examples' pattern × ``faktor``), recalc."""
    r = berechne_mappe(mappe).ergebnis
    zeilen = ["Jahr;Monat;Träger;Sozialraum;Bereich;Ausgaben"]
    for b in beispiel_ist(r, monate=12):
        geld = betrag((b.ausgaben * D(faktor)).quantize(CENT, ROUND_HALF_UP), waehrung=False)
        zeilen.append(f"{r.jahr};{b.monat};{b.traeger};{b.sozialraum or ''};{b.bereich or ''};{geld}")
    csv = tmp_path / "ist.csv"
    csv.write_text("\n".join(zeilen) + "\n", encoding="utf-8")
    assert main(["ist-import", str(mappe), str(csv), "--kein-backup", "--alle-ersetzen"]) == 0
    assert main(["recalc", str(mappe), "--inplace"]) == 0


def _abrechnungen(tmp_path: Path, mappe: Path) -> list[str]:
    """The HTML settlements of the workbook, written by ``sozbudget annex --art abrechnung``."""
    out = tmp_path / "aus"
    assert main(["annex", str(mappe), "--art", "abrechnung", "--format", "html", "--out", str(out)]) == 0
    return [p.read_text(encoding="utf-8") for p in sorted(out.rglob("Abrechnung_*.html"))]


def _abschnitt(html: str) -> str:
    """The section „Jahresabschluss“ of a settlement, as plain text."""
    i = html.index("<h2>6. Jahresabschluss")
    teil = html[i : html.index("<h2>7. Hinweise", i)]
    return re.sub(r"[ \t\r\n]+", " ", _html.unescape(re.sub(r"<[^>]+>", " ", teil)))


def _konten_html(html: str) -> dict[str, list[str]]:
    """Konto → [Inhaber, Anfangsbestand, Zugang, Abgang, Endbestand] of the section's table."""
    i = html.index("<h2>6. Jahresabschluss")
    teil = html[i : html.index("<h2>7. Hinweise", i)]
    out = {}
    for zeile in re.findall(r"<tr><td>(.*?)</tr>", teil, flags=re.S):
        zellen = [_html.unescape(z) for z in re.findall(r"<td[^>]*>(.*?)</td>", "<td>" + zeile)]
        out[zellen[0]] = zellen[1:]
    return out


def _blatt(pfad: Path) -> list[list]:
    wb = openpyxl.load_workbook(pfad, data_only=True)
    return [list(z) for z in wb["Jahresabschluss"].iter_rows(values_only=True)]


def _geld(x) -> str:
    return betrag(D(str(x)).quantize(CENT))


def _konten_blatt(zeilen: list[list]) -> dict[str, list]:
    i = next(n for n, z in enumerate(zeilen) if z[:2] == ["Konto", "Träger"])
    ende = next(n for n in range(i + 1, len(zeilen)) if not any(zeilen[n]))
    return {z[0]: z[1:6] for z in zeilen[i + 1 : ende]}


def _positionen_blatt(zeilen: list[list]) -> dict[str, object]:
    ende = next(n for n, z in enumerate(zeilen) if not any(z))
    return {z[0]: z[1] for z in zeilen[1:ende]}


@pytest.mark.parametrize(
    ("name", "faktor", "konto"),
    [
        ("stuttgart", "0.98", "Rücklage frei (gesamte Jugendhilfe)"),  # surplus of a below the threshold
        ("stuttgart", "0.9", "Rücklage gebunden (Erziehungshilfe)"),  # above it
        ("neunkirchen", "0.9", "Präventionsfonds"),
    ],
)
def test_settlement_shows_the_sheets_reserve_and_fund(tmp_path, name, faktor, konto):
    """Twelve months below budget: the reserve (Stuttgart) or fund (Neunkirchen) is formed; the
    Abrechnung shows every position and account of the sheet with the same amounts, final."""
    mappe = _kopie(tmp_path, name)
    _zwoelf_monate(tmp_path, mappe, faktor)
    blatt = _blatt(mappe)
    konten = _konten_blatt(blatt)
    assert D(str(konten[konto][2])) > 0  # a reserve/fund is really formed (Zugang)
    (html,) = _abrechnungen(tmp_path, mappe)
    text = _abschnitt(html)
    assert "vorläufig" not in text.lower() and "Endgültig" in text
    for position, wert in _positionen_blatt(blatt).items():
        if isinstance(wert, int | float) and "Ausschöpfung" not in position:
            assert f"{position} {_geld(wert)}" in text, position
    html_konten = _konten_html(html)
    assert set(html_konten) == set(konten)
    for k, (traeger, *werte) in konten.items():
        assert html_konten[k] == [traeger, *(_geld(w) for w in werte)], k
    assert "vorläufig" not in _html.unescape(html).lower()


@pytest.mark.parametrize("name", ["stuttgart", "neunkirchen"])
def test_six_months_are_marked_provisional(tmp_path, name):
    mappe = _kopie(tmp_path, name)
    assert main(["recalc", str(mappe), "--inplace"]) == 0
    (html,) = _abrechnungen(tmp_path, mappe)
    text = _abschnitt(html)
    assert "Jahresabschluss 2026 – vorläufig" in text
    assert "Ist-Ausgaben bis Juni 2026 erfasst (6 von 12 Monaten)" in text
    # hints addressed to the workbook's user stay out of the contract document
    assert "sozbudget" not in text and "Blatt" not in text


def test_without_ist_sheet_there_is_no_section(tmp_path):
    from sozbudget_xl.models import modell

    m = modell("stuttgart")
    r = m.berechne(*m.beispiel())
    v = annex.vertraege(r, "Jugendamt Musterstadt")[0]
    ctx = abrechnung.kontext(r, v)
    html = annex.render_html(ctx, vorlage=abrechnung.HTML_VORLAGE)
    assert ctx["jahresabschluss"] is None and "Jahresabschluss" not in html
    assert "<h2>6. Hinweise aus der Berechnung</h2>" in html


def _je_vertrag(mappe: Path):
    b = berechne_mappe(mappe)
    blatt = _altes_blatt(b)
    liste = annex.vertraege(b.ergebnis, nummern=blatt.nummern(), **_parteien(b, blatt))
    _, a = jahresstand(b)
    return b, a, liste, [vertragsabschluss(a, v.traeger.name, v.sozialraum, v.vertragspartei) for v in liste]


@pytest.mark.parametrize("name", ["celle", "dreisaeulen", "muenchen", "stuttgart", "neunkirchen"])
def test_contract_amounts_add_up_to_the_sheet(name):
    """Every amount column: the contracts' rows, plus rows of no contract (the Jugendamt's own,
    spending without Träger), add up to the sheet's Summe to the cent; accounts likewise."""
    _, a, liste, teile = _je_vertrag(BEISPIELE / f"{name}.xlsx")
    assert len(teile) == len(liste) > 0
    vertragsraeume = {(v.traeger.name, v.sozialraum) for v in liste}
    if "Träger" in a.spalten:
        summe = next(z for z in a.zeilen if z["Träger"] == "Summe")
        ohne = [
            z
            for z in a.zeilen
            if z["Träger"] != "Summe"
            and (z["Träger"], z["Sozialraum"]) not in vertragsraeume
            and (z["Träger"], None) not in vertragsraeume
        ]
        for s in a.spalten[2:]:
            if s == "Ausschöpfung" or not isinstance(summe.get(s), D):
                continue
            gesamt = sum((z[s] for t in teile for z in t.zeilen), D(0)) + sum((z[s] for z in ohne), D(0))
            assert gesamt == summe[s], s
    else:  # one party settles: exactly one contract carries the table, the others nothing
        assert sum(1 for t in teile if t.zeilen) == 1
        assert [z for t in teile for z in t.zeilen] == list(a.zeilen)
    eigene = [k for t in teile for k in t.konten]
    gemeinsam = {(k.name, k.traeger) for t in teile for k in t.gemeinsam}
    assert sorted(eigene, key=str) == sorted(
        [k for k in a.konten if (k.name, k.traeger) not in gemeinsam], key=str
    )
    for k in a.konten:
        assert k in eigene or (k.name, k.traeger) in gemeinsam


def _abschluss(zeilen, konten=(), warnungen=(), partei="") -> Abschluss:
    from sozbudget_xl.ergebnis import Warnung

    spalten = (
        ("Träger", "Sozialraum", "Budget", "Ist", "Ausschöpfung") if not partei else ("Position", "Betrag")
    )
    return Abschluss(
        "x", 2026, False, "Regel", spalten, tuple(zeilen), tuple(konten),
        tuple(Warnung(w) for w in warnungen), stand=12, partei=partei,
    )  # fmt: skip


def test_contract_over_all_its_sozialraeume_gets_its_rows_and_their_total():
    a = _abschluss(
        [
            {
                "Träger": "A",
                "Sozialraum": "Nord",
                "Budget": D("100.00"),
                "Ist": D("90.00"),
                "Ausschöpfung": D("0.9"),
            },
            {
                "Träger": "B",
                "Sozialraum": "Nord",
                "Budget": D("50.00"),
                "Ist": D("60.00"),
                "Ausschöpfung": D("1.2"),
            },
            {
                "Träger": "A",
                "Sozialraum": "Nordstadt",
                "Budget": D("200.00"),
                "Ist": D("230.00"),
                "Ausschöpfung": D("1.15"),
            },
        ],
        konten=[Konto("Rücklage", "Trägerverbund", zugang=D("10.00"))],
        warnungen=[
            "„A“ überschreitet im Sozialraum „Nordstadt“ das Budget",
            "„B“ überschreitet",
            "allgemein",
        ],
    )
    alle = vertragsabschluss(a, "A")
    assert [z["Sozialraum"] for z in alle.zeilen] == ["Nord", "Nordstadt"]
    assert alle.summe["Budget"] == D("300.00") and alle.summe["Ist"] == D("320.00")
    assert alle.summe["Ausschöpfung"] == D("1.0667")
    assert [k.traeger for k in alle.gemeinsam] == ["Trägerverbund"] and not alle.konten
    assert [w.text for w in alle.warnungen] == [a.warnungen[0].text, "allgemein"]
    nord = vertragsabschluss(a, "A", "Nord")  # „Nord“ is not „Nordstadt“
    assert nord.summe is None and [w.text for w in nord.warnungen] == ["allgemein"]


def test_party_settlement_belongs_to_its_party_only():
    a = _abschluss(
        [{"Position": "Präventionsfonds", "Betrag": D("5.00")}],
        konten=[Konto("Präventionsfonds", "Verbund", zugang=D("5.00"))],
        warnungen=["Überschreitung"],
        partei="Verbund",
    )
    eigen = vertragsabschluss(a, "Federführend e.V.", None, "Verbund")
    assert eigen.zeilen == a.zeilen and eigen.konten == a.konten and len(eigen.warnungen) == 1
    fremd = vertragsabschluss(a, "Anderer e.V.", "Nord")
    assert not fremd.zeilen and not fremd.konten and not fremd.warnungen


def test_docx_and_html_carry_the_same_sections_with_the_year_end(tmp_path):
    b, a, liste, _ = _je_vertrag(BEISPIELE / "celle.xlsx")
    ctx = abrechnung.kontext(b.ergebnis, liste[0], a)
    html = annex.render_html(ctx, vorlage=abrechnung.HTML_VORLAGE)
    html_h2 = [re.sub(r"\s+", " ", t).strip() for t in re.findall(r"<h2>(.*?)</h2>", html, flags=re.S)]
    docx = annex.render_docx(ctx, tmp_path / "a.docx", vorlage=abrechnung.DOCX_VORLAGE)
    doc = Document(str(docx))
    assert html_h2 == [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert html_h2[-2:] == ["6. Jahresabschluss 2026 – vorläufig", "7. Hinweise aus der Berechnung"]
    texte = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "Rücklage Trägerverbund (zweckgebunden)" in texte and "{{" not in "".join(texte)


def test_celle_verbund_reserve_is_split_between_the_contracts():
    """Celle (Gutachten 5.5, „Rücklagen im Trägerverbund“): every contract's Abrechnung shows its
    part of the Verbund reserve by its share of the Verbund budget; the parts add up to the
    reserve to the cent, and the whole reserve is named once in the text."""
    b, a, liste, teile = _je_vertrag(BEISPIELE / "celle.xlsx")
    (verbund,) = a.konten
    assert verbund.zugang > 0
    assert all(len(t.anteile) == 1 for t in teile)
    for feld in ("anfang", "zugang", "abgang", "ende"):
        assert sum((getattr(t.anteile[0], feld) for t in teile), D(0)) == getattr(verbund, feld), feld
    zeilen = [z for z in a.zeilen if z["Träger"] != "Summe"]
    gesamt = sum((z["Budget"] for z in zeilen), D(0))
    for t in teile:
        genau = verbund.zugang * sum((z["Budget"] for z in t.zeilen), D(0)) / gesamt
        assert abs(t.anteile[0].zugang - genau) < CENT  # largest remainder: less than a cent off
    ctx = abrechnung.kontext(b.ergebnis, liste[0], a)
    html = annex.render_html(ctx, vorlage=abrechnung.HTML_VORLAGE)
    konten = _konten_html(html)
    teil = teile[0].anteile[0]
    assert konten[verbund.name] == [
        "Trägerverbund – Anteil dieses Vertrags",
        *(_geld(w) for w in (teil.anfang, teil.zugang, teil.abgang, teil.ende)),
    ]
    text = _abschnitt(html)
    assert f"Endbestand {betrag(verbund.ende)}" in text and "Anteil am Budget des Verbunds" in text


def test_neunkirchen_settlement_names_one_overrun_amount(tmp_path):
    """With the sheet „Ist“ the Jahresabschluss settles the year; the model's own settlement from
    its Ist input (another overrun figure) gives way to it: one overrun amount in the document,
    section 5 points to section 6, and section 7 repeats no overrun."""
    mappe = _kopie(tmp_path, "neunkirchen")
    assert main(["recalc", str(mappe), "--inplace"]) == 0
    (html,) = _abrechnungen(tmp_path, mappe)
    text = re.sub(r"[ \t\r\n]+", " ", _html.unescape(re.sub(r"<[^>]+>", " ", html)))
    blatt = _positionen_blatt(_blatt(mappe))
    ueber = _geld(blatt["Überschreitung"])
    assert D(str(blatt["Überschreitung"])) > 0
    betraege = set(re.findall(r"Überschreitung (?:von )?([\d.]+,\d\d\s€)", text))
    betraege |= set(re.findall(r"um ([\d.]+,\d\d\s€) überschritten", text))
    assert betraege == {ueber}
    assert "siehe Abschnitt 6 „Jahresabschluss“" in text
    hinweise = text[text.index("7. Hinweise aus der Berechnung") :]
    assert "überschritten" not in hinweise and "Überschreitung" not in hinweise
    # without the sheet „Ist“ the model's own settlement stays in the document
    from sozbudget_xl.models import modell

    m = modell("neunkirchen")
    r = m.berechne(*m.beispiel())
    ohne = annex.render_html(abrechnung.kontext(r, annex.vertraege(r)[0]), vorlage=abrechnung.HTML_VORLAGE)
    assert "überschritten" in _html.unescape(ohne)
