"""The commands of issue 18 and the README's worked example (run exactly as shown)."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import pytest

from sozbudget_xl.cli import main

pytest.importorskip("SALib")
pytest.importorskip("matplotlib")

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def _abschnitt() -> str:
    text = README.read_text(encoding="utf-8")
    m = re.search(r"<!-- analyse-beispiel:start -->(.*?)<!-- analyse-beispiel:ende -->", text, re.S)
    assert m, "README: Abschnitt mit dem Rechenbeispiel der Analyse fehlt"
    return m.group(1)


def _bloecke(abschnitt: str, sprache: str) -> list[str]:
    return re.findall(rf"```{sprache}\n(.*?)```", abschnitt, re.S)


def test_readme_beispiel_laeuft_und_zahlen_stimmen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run every command of the README example (out/analyse → a temp folder) and check that
    each output line shown in the README is printed exactly so."""
    from sozbudget_xl.analyse.beispiel import main as beispiel_main

    abschnitt = _abschnitt()
    befehle = [z.strip() for b in _bloecke(abschnitt, "sh") for z in b.splitlines() if z.strip()]
    assert len(befehle) >= 4
    monkeypatch.chdir(ROOT)
    ausgabe = []
    for befehl in befehle:
        args = [a.replace("out/analyse", str(tmp_path)) for a in shlex.split(befehl)]
        if args[:3] == ["python", "-m", "sozbudget_xl.analyse.beispiel"]:
            assert beispiel_main(args[3:]) == 0
        else:
            assert args[0] == "sozbudget", befehl
            assert main(args[1:]) == 0, befehl
        ausgabe.append(capsys.readouterr().out)
    gedruckt = "\n".join(ausgabe)
    erwartet = [z.strip() for b in _bloecke(abschnitt, "text") for z in b.splitlines() if z.strip()]
    assert erwartet
    zeilen = {" ".join(z.split()) for z in gedruckt.splitlines()}
    for z in erwartet:
        if "…" in z:
            continue
        assert " ".join(z.split()) in zeilen, f"README-Zeile nicht in der Ausgabe: {z}"
    for name in ("vergleich", "szenarien", "robustheit"):
        for endung in ("html", "pdf", "xlsx"):
            assert (tmp_path / f"{name}.{endung}").stat().st_size > 1000


def test_ergebnismappe_hat_die_blaetter(tmp_path: Path) -> None:
    import openpyxl

    from sozbudget_xl.analyse.beispiel import folgejahr

    neu = folgejahr(tmp_path / "neu.xlsx")
    assert (
        main(
            [
                "vergleich",
                str(ROOT / "workbooks" / "dreisaeulen.xlsx"),
                str(neu),
                "--out",
                str(tmp_path),
                "--kein-pdf",
            ]
        )
        == 0
    )
    wb = openpyxl.load_workbook(tmp_path / "vergleich.xlsx")
    ws = wb["Veränderung"]
    kopf = [c.value for c in ws[1]]
    assert kopf[:4] == ["Sozialraum", "Budget ALT", "Budget NEU", "Veränderung"]
    assert ws._charts
    assert not (tmp_path / "vergleich.pdf").exists()


def test_fehler_deutsch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["vergleich", str(tmp_path / "fehlt.xlsx"), str(tmp_path / "auch.xlsx")]) == 2
    assert "gibt es nicht" in capsys.readouterr().err
    assert main(["robustheit", str(ROOT / "workbooks" / "kgst.xlsx")]) == 2
    assert "Indikatorschlüssel" in capsys.readouterr().err


def test_hilfe_deutsch(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["robustheit", "--help"])
    text = capsys.readouterr().out
    assert "Aufruf:" in text and "--gewichte-spanne" in text and "Startwert" in text
    assert sys.version_info >= (3, 11)
