"""The built wheel works on its own (issue 10, „Package data“).

Builds a wheel from a copy of the source tree (so a stale ``build/`` folder or files outside the
package cannot leak in), installs it non-editable into a fresh virtual environment (dependencies
from the package index; pip's cache makes repeated runs fast) and runs the command line there,
outside the repository: ``sozbudget new``, ``recalc``, ``annex`` and ``demo``. This catches
templates or other run-time files that live in the repository but are not package data — the
annex templates in ``templates/`` install as ``sozbudget_xl.vorlagen``.

Takes about 20–30 s with a warm pip cache (building, ``python -m venv``, installing the wheel).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WORKBOOKS = ROOT / "workbooks"
# Not part of a build, or only produced by one: a clean clone has none of them.
_NICHT_KOPIEREN = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "out", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis", "~$*"
)
BETRAG = re.compile(r"\d{1,3}(?:\.\d{3})*,\d{2}[\s\u00a0\u202f]?€")


def _umgebung() -> dict[str, str]:
    """The environment for the subprocesses, without anything pointing at the repository's venv."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}}
    env["PYTHONNOUSERSITE"] = "1"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _lauf(befehl: list[str | Path], cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run a command and fail the test with its output if the exit code is not 0."""
    ergebnis = subprocess.run(
        [str(x) for x in befehl],
        cwd=cwd,
        env=_umgebung(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
    )
    assert ergebnis.returncode == 0, (
        f"{' '.join(map(str, befehl))} → Exit {ergebnis.returncode}\n"
        f"--- stdout\n{ergebnis.stdout}\n--- stderr\n{ergebnis.stderr}"
    )
    return ergebnis


@pytest.fixture(scope="module")
def quelle(tmp_path_factory) -> Path:
    """A copy of the source tree (what a clean clone holds)."""
    ziel = tmp_path_factory.mktemp("quelle") / "sozbudget_xl"
    shutil.copytree(ROOT, ziel, ignore=_NICHT_KOPIEREN)
    return ziel


@pytest.fixture(scope="module")
def wheel(quelle, tmp_path_factory) -> Path:
    """The wheel built with pip from the copy of the source tree."""
    dist = tmp_path_factory.mktemp("dist")
    _lauf([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, quelle], dist, 600)
    (rad,) = dist.glob("sozbudget_xl-*.whl")
    return rad


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """The ``bin`` (``Scripts``) folder of a fresh virtual environment with the wheel installed."""
    ziel = tmp_path_factory.mktemp("venv") / "venv"
    _lauf([sys.executable, "-m", "venv", ziel], ziel.parent)
    bin_ = ziel / ("Scripts" if os.name == "nt" else "bin")
    _lauf([bin_ / "python", "-m", "pip", "install", "-q", wheel], ziel.parent, 900)
    return bin_


def test_wheel_contains_every_module_and_template(quelle, wheel):
    """Every module of ``sozbudget_xl`` (pyproject lists the packages explicitly) and every
    template of ``templates/`` (as ``sozbudget_xl/vorlagen/…``) is in the wheel."""
    with zipfile.ZipFile(wheel) as zf:
        namen = set(zf.namelist())
    module = {p.relative_to(quelle).as_posix() for p in (quelle / "sozbudget_xl").rglob("*.py")}
    vorlagen = {
        "sozbudget_xl/vorlagen/" + p.relative_to(quelle / "templates").as_posix()
        for p in (quelle / "templates").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert "sozbudget_xl/vorlagen/vertragsanlage.docx" in vorlagen
    assert "sozbudget_xl/vorlagen/vertragsanlage.html.j2" in vorlagen
    assert any(n.startswith("sozbudget_xl/vorlagen/abschnitte/") for n in vorlagen)
    assert not module - namen, f"Module fehlen im Wheel: {sorted(module - namen)}"
    assert not vorlagen - namen, f"Vorlagen fehlen im Wheel: {sorted(vorlagen - namen)}"
    assert "sozbudget_xl/py.typed" in namen


def test_installed_package_finds_its_templates_in_site_packages(venv, tmp_path):
    """The installed package and its default template folder lie in the new environment, not
    in the repository."""
    ausgabe = _lauf(
        [
            venv / "python",
            "-c",
            "import sozbudget_xl.annex as a; print(a.__file__); print(a.VORLAGEN_VERZEICHNIS)",
        ],
        tmp_path,
    ).stdout.splitlines()
    umgebung = venv.parent.resolve()
    modul, vorlagen = (Path(z).resolve() for z in ausgabe[-2:])
    assert modul.is_relative_to(umgebung), modul
    assert vorlagen.is_relative_to(umgebung), vorlagen
    assert vorlagen.parts[-2:] == ("sozbudget_xl", "vorlagen")
    assert (vorlagen / "vertragsanlage.html.j2").is_file()


def test_new_recalc_annex_from_installed_wheel(venv, tmp_path):
    """``sozbudget new`` (also the macro workbook from xlwings' template), ``recalc`` of the
    example workbooks and ``annex`` as DOCX and HTML work with the installed wheel alone.

    A new workbook is empty (required fields unset, so ``recalc`` rightly refuses it); recalc and
    annex use copies of the example workbooks, one per model, so every model's annex section
    is rendered.
    """
    sozbudget = venv / "sozbudget"
    _lauf([sozbudget, "new", "kgst", tmp_path / "neu.xlsx"], tmp_path)
    _lauf([sozbudget, "new", "kgst", tmp_path / "neu.xlsm"], tmp_path)
    assert (tmp_path / "neu.xlsx").stat().st_size > 0
    assert (tmp_path / "neu.xlsm").stat().st_size > 0

    mappen = tmp_path / "mappen"
    mappen.mkdir()
    beispiele = sorted(WORKBOOKS.glob("*.xlsx"))
    assert beispiele, "keine Beispiel-Arbeitsmappen in workbooks/"
    for datei in beispiele:
        shutil.copy2(datei, mappen / datei.name)
    _lauf([sozbudget, "recalc", *sorted(mappen.glob("*.xlsx")), "--out", tmp_path / "neu"], tmp_path)
    berechnet = sorted((tmp_path / "neu").glob("*.xlsx"))
    assert [p.name for p in berechnet] == [p.name for p in beispiele]

    anlagen = tmp_path / "anlagen"
    _lauf([sozbudget, "annex", *berechnet, "--format", "docx,html", "--out", anlagen], tmp_path)
    for datei in berechnet:
        html = sorted((anlagen / datei.stem).glob("*.html"))
        docx = sorted((anlagen / datei.stem).glob("*.docx"))
        assert html, f"keine HTML-Anlage für {datei.name}"
        assert len(docx) == len(html), datei.name
        assert all(p.stat().st_size > 0 for p in docx)
        text = html[0].read_text(encoding="utf-8")
        assert BETRAG.search(text), f"kein €-Betrag in {html[0].name}"


def test_demo_from_installed_wheel(venv, tmp_path):
    """``sozbudget demo`` runs with the installed wheel and writes its report."""
    _lauf([venv / "sozbudget", "demo", "--out", tmp_path / "demo"], tmp_path)
    assert any(p.stat().st_size > 0 for p in (tmp_path / "demo").iterdir())


def test_libreoffice_erweiterung_aus_installiertem_wheel(venv, tmp_path):
    """The LibreOffice extension builds from the installed package alone (no source tree):
    component, menu, function list, the package with its templates and the pure dependencies."""
    befehl = [venv / "python", "-m", "sozbudget_xl.hosts.libreoffice", "--ziel", tmp_path, "--ohne-rdb"]
    _lauf(befehl, tmp_path)
    with zipfile.ZipFile(tmp_path / "sozbudget.oxt") as zf:
        namen = set(zf.namelist())
    for name in ("sozbudget_addin.py", "Addons.xcu", "CalcAddIns.xcu", "sozbudget.idl",
                 "pythonpath/sozbudget_xl/hosts/calc_mappe.py",
                 "pythonpath/sozbudget_xl/vorlagen/vertragsanlage.html.j2",
                 "pythonpath/babel/locale-data/de.dat", "pythonpath/jinja2/__init__.py"):  # fmt: skip
        assert name in namen, name
