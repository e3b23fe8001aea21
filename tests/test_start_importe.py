"""Start-up imports only what a command uses (issue 15, item 3).

Each check runs in a fresh interpreter and looks at ``sys.modules`` when the work is done:
``sozbudget --help`` loads neither numpy nor any adapter package; recalculating one workbook
loads no pandas (nor the annex packages); the Excel adapter without xlwings (as in LibreOffice)
imports pandas only when a function really builds a DataFrame.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

WURZEL = Path(__file__).resolve().parents[1]

#: the packages a command may only load where it uses them
SCHWER = (
    "numpy",
    "pandas",
    "openpyxl",
    "babel",
    "docxtpl",
    "jinja2",
    "lxml",
    "xlwings",
    "matplotlib",
    "holidays",
)

BEFEHL = textwrap.dedent(
    """
    import sys
    from sozbudget_xl.cli import main

    try:
        code = main(sys.argv[1:])
    except SystemExit as exc:
        code = exc.code
    geladen = sorted({{m.split(".")[0] for m in sys.modules}} & set({schwer!r}))
    print("GELADEN", " ".join(geladen), file=sys.stderr)
    sys.exit(code or 0)
    """
).format(schwer=SCHWER)


def _geladen(*argumente: str, cwd: Path = WURZEL) -> set[str]:
    r = subprocess.run(
        [sys.executable, "-c", BEFEHL, *argumente], cwd=cwd, capture_output=True, text=True, timeout=300
    )
    assert r.returncode == 0, r.stderr[-3000:]
    zeile = [z for z in r.stderr.splitlines() if z.startswith("GELADEN")][-1]
    return set(zeile.split()[1:])


def test_hilfe_startet_ohne_numpy_und_adapterpakete():
    """`sozbudget --help` (and the help of a subcommand) load none of the heavy packages."""
    assert _geladen("--help") == set()
    assert _geladen("recalc", "--help") == set()


def test_recalc_einer_mappe_laedt_kein_pandas(tmp_path):
    """Recalculating workbooks/celle.xlsx into a copy loads no pandas and none of the annex packages
    (docxtpl, jinja2), no xlwings and no matplotlib; nor ``holidays``, whose German holidays come
    from the table derived from it (sozbudget_xl/feiertage.py)."""
    mappe = tmp_path / "celle.xlsx"
    shutil.copy(WURZEL / "workbooks" / "celle.xlsx", mappe)
    geladen = _geladen("recalc", str(mappe), "--out", str(tmp_path / "aus"), cwd=tmp_path)
    assert (tmp_path / "aus" / "celle.xlsx").exists()
    assert "numpy" in geladen  # the models compute: the check itself can see imports
    assert not geladen & {"pandas", "docxtpl", "jinja2", "xlwings", "matplotlib", "holidays"}, geladen


def test_paket_import_ohne_numpy():
    """`import sozbudget_xl` alone loads no numpy; `sozbudget_xl.allocate` loads money on first use."""
    code = (
        "import sys, sozbudget_xl\n"
        "assert 'numpy' not in sys.modules, 'numpy beim Paketimport'\n"
        "print(sozbudget_xl.allocate('1,00', [1, 2]), 'numpy' in sys.modules)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=WURZEL, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[Decimal('0.33'), Decimal('0.67')] True"


EXCEL_OHNE_XLWINGS = textwrap.dedent(
    """
    import sys
    from importlib.abc import MetaPathFinder


    class Sperre(MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] == "xlwings":
                raise ModuleNotFoundError("kein xlwings (wie in LibreOffice)", name=name)
            return None


    sys.meta_path.insert(0, Sperre())
    from sozbudget_xl import excel

    print(excel.SRB_VERTEILEN(100, [[1], [1], [1]]), "pandas" in sys.modules)
    tabelle = [["Sozialraum", "Jugendeinwohner"], ["A", 100], ["B", 300]]
    print(excel.SRB_BUDGETSCHLUESSEL(1000, tabelle, "kopf")[1][0], "pandas" in sys.modules)
    import pandas

    df = pandas.DataFrame({"Gewicht": [1, 3]})
    print(excel.SRB_VERTEILEN(100, df["Gewicht"]), isinstance(df, excel.pd.DataFrame))
    """
)


def test_excel_adapter_importiert_pandas_erst_bei_bedarf():
    """Without xlwings the Excel adapter loads pandas only for a function that builds a DataFrame
    (SRB_BUDGETSCHLUESSEL); pandas objects passed in are still recognised."""
    r = subprocess.run(
        [sys.executable, "-c", EXCEL_OHNE_XLWINGS], cwd=WURZEL, capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stderr
    zeilen = r.stdout.strip().splitlines()
    assert zeilen[0] == "[[33.34], [33.33], [33.33]] False"
    assert zeilen[1] == "A True"
    assert zeilen[2] == "[[25.0], [75.0]] True"


def test_feiertage_gleich_dem_registry_weg():
    """The dates are those of ``holidays.country_holidays("DE", subdiv=…)`` for every Bundesland,
    inside the shipped table (sozbudget_xl/feiertage.py) and outside it."""
    import holidays

    from sozbudget_xl import schedule

    for land in (None, *schedule.BUNDESLAENDER):
        for jahr in (1985, 1990, 2017, 2019, 2020, 2025, 2026, 2031, 2100, 2199, 2201, 2250):
            erwartet = frozenset(holidays.country_holidays("DE", subdiv=land, years=(jahr, jahr + 1)))
            assert schedule._holidays(land, jahr) == erwartet, (land, jahr)


GC_NACH_RECALC = textwrap.dedent(
    """
    import gc, sys
    from sozbudget_xl.cli import main

    vorher = gc.get_freeze_count()
    assert main(["recalc", sys.argv[1], "--out", sys.argv[2]]) == 0
    eingefroren = gc.get_freeze_count()
    assert main(["recalc", sys.argv[1], "--out", sys.argv[3]]) == 0
    zyklus = []
    zyklus.append(zyklus)
    del zyklus
    gleich = gc.get_freeze_count() == eingefroren
    print(vorher, eingefroren > 20_000, gleich, gc.isenabled(), gc.collect() > 0)
    """
)


def _zwei_laeufe(skript: str, beispiel: str, tmp_path: Path) -> str:
    """Run ``skript`` in a fresh interpreter on a copy of an example workbook with the output
    folders ``a`` and ``b``; its standard output."""
    mappe = tmp_path / beispiel
    shutil.copy(WURZEL / "workbooks" / beispiel, mappe)
    r = subprocess.run(
        [sys.executable, "-c", skript, str(mappe), str(tmp_path / "a"), str(tmp_path / "b")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    return r.stdout


def test_recalc_friert_die_importe_einmal_ein(tmp_path):
    """The recalc command imports its heavy modules with the cyclic GC paused and freezes what they
    built (gc.freeze: no later collection walks them again, ≈ 50 ms of a start); a second run in
    the same process freezes nothing more, and the collector is on and collects new garbage."""
    ausgabe = _zwei_laeufe(GC_NACH_RECALC, "celle.xlsx", tmp_path)
    assert ausgabe.split()[-5:] == ["0", "True", "True", "True", "True"], ausgabe
    assert (tmp_path / "a" / "celle.xlsx").exists() and (tmp_path / "b" / "celle.xlsx").exists()


GC_NACH_ANLAGEN = textwrap.dedent(
    """
    import gc, sys
    from sozbudget_xl.cli import main

    assert main(["annex", sys.argv[1], "--format", "html", "--out", sys.argv[2]]) == 0
    html = "docxtpl" in sys.modules
    assert main(["annex", sys.argv[1], "--format", "docx", "--out", sys.argv[3]]) == 0
    import docxtpl, jinja2, numpy, openpyxl
    from sozbudget_xl import annex, vertragsmappe
    verfolgt = {id(o) for o in gc.get_objects()}  # the frozen (permanent) generation is not listed
    klassen = (docxtpl.DocxTemplate, jinja2.Environment, numpy.ndarray, openpyxl.Workbook,
               annex.AnnexFehler, vertragsmappe.dokumente)
    print(html, [id(k) in verfolgt for k in klassen], gc.isenabled())
    """
)


def test_anlagen_frieren_ihre_importe_ein(tmp_path):
    """The annex command imports the models, openpyxl, numpy, Jinja and — only for DOCX or PDF —
    docxtpl with the cyclic GC paused and freezes them (as recalc does): later collections do not
    walk them again (HTML for 1 contract ≈ 0,49 → 0,41 s, DOCX for 100 ≈ 1,60 → 1,40 s); HTML does
    not import docxtpl; the collector stays on."""
    ausgabe = _zwei_laeufe(GC_NACH_ANLAGEN, "kgst.xlsx", tmp_path)
    erwartet = "False [False, False, False, False, False, False] True"
    assert ausgabe.strip().splitlines()[-1] == erwartet, ausgabe
    assert list((tmp_path / "a").rglob("*.html")) and list((tmp_path / "b").rglob("*.docx"))
