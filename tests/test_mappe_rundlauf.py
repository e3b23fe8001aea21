"""The user's round trip on every example workbook: a row typed directly below a table, a row
removed, recalculated — with files as openpyxl wrote them and as LibreOffice saved them. The
results and the chart's ranges contain exactly the current rows; rows below a table are named in
a note, a total row below a table is an error naming it.

The edits are made in the sheet XML (as Excel or LibreOffice store a typed row: cells below the
table, the table range unchanged), so charts, tables and validations of the file stay as they were.
"""

from __future__ import annotations

import copy
import io as _io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from lxml import etree
from openpyxl.utils.cell import get_column_letter, range_boundaries

from sozbudget_xl.errors import SozbudgetError
from sozbudget_xl.models import MODELLE
from sozbudget_xl.workbook import schema as S
from sozbudget_xl.workbook.io import lese_mappe
from sozbudget_xl.workbook.recalc import neu_berechnen, pruefe_mappe

BEISPIELE = Path(__file__).resolve().parents[1] / "workbooks"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
N = {"m": MAIN}

#: per model: (table, index of the row moved below the table, new text of its first cell or None)
VERSCHIEBEN = {
    "kgst": ("Traeger", 0, "Caritas Musterstadt (neu)"),
    "stuttgart": ("Faelle", 0, "A-999"),
    "neunkirchen": ("Ereignisse", 0, "Neue Tariferhöhung"),
    "muenchen": ("AehTeams", 0, "AEH-Team Neu"),
    "tuebingen": ("Einzelhilfen", 0, "TÜ-2026-999 Erziehungsbeistand"),
    "celle": ("Zuordnung", 0, None),
    "dreisaeulen": ("Projekte", 0, "Neues Projekt West"),
}


# --------------------------------------------------------------------------- XML edits (as a user types)


def _rels(zf: zipfile.ZipFile, teil: str) -> dict[str, tuple[str, str]]:
    ordner, name = teil.rsplit("/", 1)
    pfad = f"{ordner}/_rels/{name}.rels"
    if pfad not in zf.namelist():
        return {}
    out = {}
    for r in etree.fromstring(zf.read(pfad)):
        ziel = r.get("Target")
        ziel = ziel.lstrip("/") if ziel.startswith("/") else _norm(f"{ordner}/{ziel}")
        out[r.get("Id")] = (r.get("Type"), ziel)
    return out


def _norm(pfad: str) -> str:
    teile: list[str] = []
    for t in pfad.split("/"):
        if t == "..":
            teile.pop()
        elif t not in ("", "."):
            teile.append(t)
    return "/".join(teile)


def tabellen_teile(daten: bytes) -> dict[str, tuple[str, str]]:
    """Table name → (sheet part, table part) of a package."""
    zf = zipfile.ZipFile(_io.BytesIO(daten))
    wb = etree.fromstring(zf.read("xl/workbook.xml"))
    rels = _rels(zf, "xl/workbook.xml")
    out = {}
    for s in wb.iter(f"{{{MAIN}}}sheet"):
        blatt_teil = rels[s.get(f"{{{REL}}}id")][1]
        for typ, ziel in _rels(zf, blatt_teil).values():
            if typ.endswith("/table"):
                out[etree.fromstring(zf.read(ziel)).get("name")] = (blatt_teil, ziel)
    return out


def _ersetze(daten: bytes, neu: dict[str, bytes]) -> bytes:
    zf = zipfile.ZipFile(_io.BytesIO(daten))
    aus = _io.BytesIO()
    with zipfile.ZipFile(aus, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zf.infolist():
            z.writestr(info, neu.get(info.filename, zf.read(info)))
    return aus.getvalue()


def _zeile_setzen(row: Any, nr: int) -> None:
    row.set("r", str(nr))
    for c in row.findall("m:c", N):
        spalte = re.match(r"[A-Z]+", c.get("r")).group(0)
        c.set("r", f"{spalte}{nr}")


def _bearbeite(daten: bytes, tabelle: str, aenderung: Any) -> bytes:
    """Apply ``aenderung(sheet_data, table_bounds) -> new last table row`` to the table's sheet."""
    zf = zipfile.ZipFile(_io.BytesIO(daten))
    blatt_teil, tab_teil = tabellen_teile(daten)[tabelle]
    blatt = etree.fromstring(zf.read(blatt_teil))
    tab = etree.fromstring(zf.read(tab_teil))
    grenzen = range_boundaries(tab.get("ref"))
    letzte = aenderung(blatt.find("m:sheetData", N), grenzen)
    ref = f"{get_column_letter(grenzen[0])}{grenzen[1]}:{get_column_letter(grenzen[2])}{letzte}"
    tab.set("ref", ref)
    for af in tab.iter(f"{{{MAIN}}}autoFilter"):
        af.set("ref", ref)
    return _ersetze(daten, {blatt_teil: etree.tostring(blatt), tab_teil: etree.tostring(tab)})


def _zeilen(sd: Any) -> dict[int, Any]:
    return {int(r.get("r")): r for r in sd.findall("m:row", N)}


def _text_zelle(c: Any, text: str) -> None:
    for kind in list(c):
        c.remove(kind)
    c.set("t", "inlineStr")
    etree.SubElement(etree.SubElement(c, f"{{{MAIN}}}is"), f"{{{MAIN}}}t").text = text


def verschiebe_unter_tabelle(daten: bytes, tabelle: str, index: int, text: str | None = None) -> bytes:
    """Delete data row ``index`` from the table (rows below move up, the table shrinks) and type it
    again directly below the table (``text``: new content of its first cell)."""

    def aenderung(sd: Any, grenzen: tuple[int, int, int, int]) -> int:
        ziel = grenzen[1] + 1 + index
        zeilen = _zeilen(sd)
        row = zeilen[ziel]
        sd.remove(row)
        for nr in range(ziel + 1, grenzen[3] + 1):
            if nr in zeilen:
                _zeile_setzen(zeilen[nr], nr - 1)
        _zeile_setzen(row, grenzen[3])
        if text is not None:
            erste = next(
                c for c in row.findall("m:c", N) if c.get("r").startswith(get_column_letter(grenzen[0]))
            )
            _text_zelle(erste, text)
        davor = [r for r in sd.findall("m:row", N) if int(r.get("r")) < grenzen[3]]
        (davor[-1].addnext(row) if davor else sd.insert(0, row))
        return grenzen[3] - 1

    return _bearbeite(daten, tabelle, aenderung)


def entferne_zeile(daten: bytes, tabelle: str, index: int) -> bytes:
    """Delete data row ``index`` of the table (Excel: Tabellenzeilen löschen)."""

    def aenderung(sd: Any, grenzen: tuple[int, int, int, int]) -> int:
        ziel = grenzen[1] + 1 + index
        zeilen = _zeilen(sd)
        sd.remove(zeilen[ziel])
        for nr in sorted(zeilen):
            if nr > ziel:
                _zeile_setzen(zeilen[nr], nr - 1)
        return grenzen[3] - 1

    return _bearbeite(daten, tabelle, aenderung)


def tippe_unter_tabelle(daten: bytes, tabelle: str, werte: list[Any], abstand: int = 0) -> bytes:
    """Type a row directly below the table (``abstand`` empty rows in between); the table stays."""

    def aenderung(sd: Any, grenzen: tuple[int, int, int, int]) -> int:
        nr = grenzen[3] + 1 + abstand
        zeilen = _zeilen(sd)
        row = zeilen.get(nr)
        if row is None:
            row = etree.Element(f"{{{MAIN}}}row")
            row.set("r", str(nr))
            davor = [r for r in sd.findall("m:row", N) if int(r.get("r")) < nr]
            (davor[-1].addnext(row) if davor else sd.insert(0, row))
        for c in list(row):
            row.remove(c)
        for j, wert in enumerate(werte, start=grenzen[0]):
            if wert is None:
                continue
            c = etree.SubElement(row, f"{{{MAIN}}}c")
            c.set("r", f"{get_column_letter(j)}{nr}")
            if isinstance(wert, str) and wert.startswith("="):
                etree.SubElement(c, f"{{{MAIN}}}f").text = wert[1:]
                etree.SubElement(c, f"{{{MAIN}}}v").text = "1"
            elif isinstance(wert, str):
                _text_zelle(c, wert)
            else:
                etree.SubElement(c, f"{{{MAIN}}}v").text = repr(wert)
        return grenzen[3]

    return _bearbeite(daten, tabelle, aenderung)


def setze_zelle(daten: bytes, tabelle: str, index: int, spalte: str, wert: float) -> bytes:
    """Overwrite a number in data row ``index`` of the table."""

    def aenderung(sd: Any, grenzen: tuple[int, int, int, int]) -> int:
        row = _zeilen(sd)[grenzen[1] + 1 + index]
        c = next(c for c in row.findall("m:c", N) if re.match(rf"{spalte}\d", c.get("r")))
        for kind in list(c):
            c.remove(kind)
        c.attrib.pop("t", None)
        etree.SubElement(c, f"{{{MAIN}}}v").text = repr(wert)
        return grenzen[3]

    return _bearbeite(daten, tabelle, aenderung)


# --------------------------------------------------------------------------- expectations


def erwartet(modell: str, bearbeite: Any) -> Any:
    """The model result of the example workbook's data (as read from the unedited file) after the
    same edit (``bearbeite(tabellen)``), computed without any file."""
    mappe = lese_mappe(BEISPIELE / f"{modell}.xlsx")
    tabellen = copy.deepcopy(mappe.tabellen)
    bearbeite(tabellen)
    return S.berechne_aus_daten(modell, mappe.parameter, tabellen)[2]


def _verschoben(modell: str) -> Any:
    tabelle, index, text = VERSCHIEBEN[modell]

    def bearbeite(tabellen: dict[str, list[dict[str, Any]]]) -> None:
        zeilen = tabellen[tabelle]
        zeile = zeilen.pop(index)
        if text is not None:
            zeile[S.schema(modell).tabelle(tabelle).spalten[0].titel] = text
        zeilen.append(zeile)

    return bearbeite


def _leer(w: Any) -> Any:
    return None if w == "" else w


def diagramm_reihen(pfad: Path, blatt_der_daten: str = "Kennzahlen") -> list[tuple[list[Any], list[Any]]]:
    """(categories, values) of every chart series of the workbook that reads ``blatt_der_daten``
    (the budget chart reads „Kennzahlen“; other charts, e.g. Soll-Ist, read their own sheets),
    taken from the cells its ranges name (so an empty slot or a missing row shows)."""
    wb = openpyxl.load_workbook(pfad, data_only=True)
    reihen = []
    with zipfile.ZipFile(pfad) as zf:
        for name in sorted(n for n in zf.namelist() if re.match(r"xl/charts/chart\d+\.xml$", n)):
            root = etree.fromstring(zf.read(name))
            for ser in root.iter(f"{{{C}}}ser"):
                quelle = ser.find("c:val//c:f", {"c": C}).text.rsplit("!", 1)[0].strip("'").replace("''", "'")
                if quelle != blatt_der_daten:
                    continue
                bereiche = []
                for teil in ("cat", "val"):
                    f = ser.find(f"c:{teil}//c:f", {"c": C}).text
                    blatt, bereich = f.rsplit("!", 1)
                    zellen = wb[blatt.strip("'").replace("''", "'")][bereich.replace("$", "")]
                    zellen = zellen if isinstance(zellen, tuple) else ((zellen,),)
                    bereiche.append([z[0].value for z in zellen])
                reihen.append(tuple(bereiche))
    return reihen


def pruefe_ergebnis(pfad: Path, ergebnis: Any) -> None:
    """The recalculated workbook holds exactly ``ergebnis``: the Ergebnis sheet row by row, and
    every chart series reads exactly the current chart rows (categories and amounts)."""
    wb = openpyxl.load_workbook(pfad, data_only=True)
    soll = S.ausgaben(ergebnis)
    ist = [[c.value for c in z] for z in wb["Ergebnis"].iter_rows()]
    breite = len(S.KOPF_ERGEBNIS)
    assert [[_leer(w) for w in z] + [None] * (breite - len(z)) for z in soll["Ergebnis"]] == [
        [_leer(w) for w in z[:breite]] for z in ist
    ]
    _, erste, letzte = S.diagramm_bereich(soll["Kennzahlen"])
    kategorien = [z[0] for z in soll["Kennzahlen"][erste : letzte + 1]]
    betraege = [z[1] for z in soll["Kennzahlen"][erste : letzte + 1]]
    reihen = diagramm_reihen(pfad)
    assert reihen, "kein Diagramm in der Mappe"
    for kat, wert in reihen:
        assert kat == kategorien
        assert wert == betraege
    assert "Jugendamt / ohne Zuordnung" not in kategorien


def _hinweis(z: Any, tabelle: str, zeile: int) -> None:
    assert any(f"Zeile {zeile}:" in h and f"Tabelle „{tabelle}“" in h for h in z.hinweise), z.hinweise


def _letzte_zeile(daten: bytes, tabelle: str) -> int:
    zf = zipfile.ZipFile(_io.BytesIO(daten))
    return range_boundaries(etree.fromstring(zf.read(tabellen_teile(daten)[tabelle][1])).get("ref"))[3]


# --------------------------------------------------------------------------- openpyxl-written files


@pytest.mark.parametrize("modell", MODELLE)
def test_row_typed_below_a_table_is_taken_in_named_and_charted(tmp_path, modell):
    """A table row deleted and typed again directly below the table (renamed where the model allows)
    is computed with a note naming the row; results and chart are exactly those of the edited data."""
    tabelle, index, text = VERSCHIEBEN[modell]
    daten = verschiebe_unter_tabelle((BEISPIELE / f"{modell}.xlsx").read_bytes(), tabelle, index, text)
    pfad = tmp_path / f"{modell}.xlsx"
    pfad.write_bytes(daten)
    z = neu_berechnen(pfad, sicherung=False)
    _hinweis(z, tabelle, _letzte_zeile(daten, tabelle) + 1)
    pruefe_ergebnis(pfad, erwartet(modell, _verschoben(modell)))


def _kgst_vierter_traeger(daten: bytes) -> bytes:
    daten = setze_zelle(daten, "Traeger", 0, "B", 0.3)  # Caritas 40 % → 30 %
    return tippe_unter_tabelle(daten, "Traeger", ["Jugendhilfe Nord gGmbH", 0.1, "ja", 0])


def _kgst_vierter_traeger_daten(tabellen: dict[str, list[dict[str, Any]]]) -> None:
    tabellen["Traeger"][0]["Anteil"] = 0.3
    neu = {"Träger": "Jugendhilfe Nord gGmbH", "Anteil": 0.1, "Qualitätsnachweis": "ja", "Zusatzfälle": 0}
    tabellen["Traeger"].append(neu)


def test_chart_grows_with_a_fifth_traeger_and_shrinks_without_an_empty_slot(tmp_path):
    """KGSt: a fourth Träger typed below the table appears in the chart; after deleting a Träger
    row and recalculating, the chart holds exactly the remaining ones (no empty slot)."""
    pfad = tmp_path / "kgst.xlsx"
    pfad.write_bytes(_kgst_vierter_traeger((BEISPIELE / "kgst.xlsx").read_bytes()))
    assert lese_mappe(BEISPIELE / "kgst.xlsx").tabellen["Traeger"][0]["Anteil"] == 0.4
    neu_berechnen(pfad, sicherung=False)
    vorher = erwartet("kgst", _kgst_vierter_traeger_daten)
    pruefe_ergebnis(pfad, vorher)
    assert len(diagramm_reihen(pfad)[0][0]) == 4

    # the user removes the third Träger (25 %) and gives its share to the new one
    daten = entferne_zeile(pfad.read_bytes(), "Traeger", 2)
    daten = setze_zelle(daten, "Traeger", 2, "B", 0.35)  # the typed row moved up into row 4
    pfad.write_bytes(daten)
    neu_berechnen(pfad, sicherung=False)

    def ohne_dritten(tabellen: dict[str, list[dict[str, Any]]]) -> None:
        _kgst_vierter_traeger_daten(tabellen)
        del tabellen["Traeger"][2]
        tabellen["Traeger"][2]["Anteil"] = 0.35

    pruefe_ergebnis(pfad, erwartet("kgst", ohne_dritten))
    assert len(diagramm_reihen(pfad)[0][0]) == 3


def test_an_empty_row_ends_the_table_rows_below_are_not_read(tmp_path):
    """Only rows directly below a table are taken in: after an empty row nothing more is read
    (notes or other blocks below a table stay notes)."""
    daten = tippe_unter_tabelle((BEISPIELE / "kgst.xlsx").read_bytes(), "Traeger", ["Notiz: Stand Mai"], 1)
    pfad = tmp_path / "kgst.xlsx"
    pfad.write_bytes(daten)
    z = pruefe_mappe(pfad)
    assert not any("direkt unter der Tabelle" in h for h in z.hinweise)


@pytest.mark.parametrize(
    ("werte", "zelle"),
    [(["Summe", "=SUM(B2:B4)", None, None], "A5"), ([None, "=SUM(B2:B4)", None, None], "B5")],
)
def test_a_total_row_below_a_table_is_an_error_naming_it(tmp_path, werte, zelle):
    """A total row typed directly below a table (the word „Summe“ or a SUM formula) is not taken in
    as an entry: the error names sheet, cell and row, and nothing is written."""
    daten = tippe_unter_tabelle((BEISPIELE / "kgst.xlsx").read_bytes(), "Traeger", werte)
    pfad = tmp_path / "kgst.xlsx"
    pfad.write_bytes(daten)
    with pytest.raises(SozbudgetError) as e:
        neu_berechnen(pfad, sicherung=False)
    assert e.value.sheet == "Träger"
    assert e.value.cell == zelle
    assert "Zeile 5" in str(e.value) and "Summenzeile" in str(e.value)
    assert pfad.read_bytes() == daten


def test_errors_in_a_row_below_a_table_name_its_cell(tmp_path):
    """A wrong value in a row typed below the table is located to that cell."""
    daten = tippe_unter_tabelle(
        (BEISPIELE / "kgst.xlsx").read_bytes(), "Traeger", ["Neu e.V.", "viel", "ja", 0]
    )
    pfad = tmp_path / "kgst.xlsx"
    pfad.write_bytes(daten)
    with pytest.raises(SozbudgetError) as e:
        pruefe_mappe(pfad)
    assert "Zelle B5" in str(e.value)


# --------------------------------------------------------------------------- LibreOffice-saved files


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_speichern(dateien: list[Path], ziel: Path, profil: Path) -> None:
    """Open and save every file with LibreOffice (one call, throw-away profile) into ``ziel``."""
    programm = soffice()
    ziel.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [programm, f"-env:UserInstallation=file://{profil}", "--headless", "--convert-to", "xlsx",
         "--outdir", str(ziel), *map(str, dateien)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    fehlt = [d.name for d in dateien if not (ziel / d.name).exists()]
    assert not fehlt, f"LibreOffice hat nicht gespeichert: {fehlt}"


@pytest.fixture(scope="module")
def lo_gespeichert(tmp_path_factory):
    """Every example after the user's edit, saved by LibreOffice (edited before saving, as a user
    typing in Calc), plus the KGSt example with a fourth Träger."""
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) ist nicht installiert")
    basis = tmp_path_factory.mktemp("lo")
    roh = basis / "roh"
    roh.mkdir()
    dateien = []
    for modell in MODELLE:
        tabelle, index, text = VERSCHIEBEN[modell]
        datei = roh / f"{modell}.xlsx"
        datei.write_bytes(
            verschiebe_unter_tabelle((BEISPIELE / datei.name).read_bytes(), tabelle, index, text)
        )
        dateien.append(datei)
    vierter = roh / "kgst_vier.xlsx"
    vierter.write_bytes(_kgst_vierter_traeger((BEISPIELE / "kgst.xlsx").read_bytes()))
    dateien.append(vierter)
    libreoffice_speichern(dateien, basis / "lo", basis / "profil")
    return basis / "lo"


@pytest.mark.parametrize("modell", MODELLE)
def test_libreoffice_saved_round_trip_takes_the_row_and_moves_the_chart(lo_gespeichert, tmp_path, modell):
    """The same round trip with the file LibreOffice saved: the row below the table is computed
    (with its note), results and chart ranges hold exactly the current rows."""
    pfad = tmp_path / f"{modell}.xlsx"
    shutil.copy(lo_gespeichert / pfad.name, pfad)
    z = neu_berechnen(pfad, sicherung=False)
    tabelle = VERSCHIEBEN[modell][0]
    assert any("direkt unter der Tabelle" in h and f"„{tabelle}“" in h for h in z.hinweise), z.hinweise
    pruefe_ergebnis(pfad, erwartet(modell, _verschoben(modell)))


def test_libreoffice_saved_chart_grows_and_shrinks(lo_gespeichert, tmp_path):
    """LibreOffice-saved KGSt workbook: a fourth Träger below the table enters the chart; after a
    Träger row is deleted, the chart reads exactly the three remaining rows."""
    pfad = tmp_path / "kgst.xlsx"
    shutil.copy(lo_gespeichert / "kgst_vier.xlsx", pfad)
    neu_berechnen(pfad, sicherung=False)
    pruefe_ergebnis(pfad, erwartet("kgst", _kgst_vierter_traeger_daten))
    daten = entferne_zeile(pfad.read_bytes(), "Traeger", 2)
    pfad.write_bytes(setze_zelle(daten, "Traeger", 2, "B", 0.35))
    neu_berechnen(pfad, sicherung=False)

    def ohne_dritten(tabellen: dict[str, list[dict[str, Any]]]) -> None:
        _kgst_vierter_traeger_daten(tabellen)
        del tabellen["Traeger"][2]
        tabellen["Traeger"][2]["Anteil"] = 0.35

    pruefe_ergebnis(pfad, erwartet("kgst", ohne_dritten))
    assert len(diagramm_reihen(pfad)[0][0]) == 3
