"""docs/sicherheit.md names a test for each guarantee: every named test exists."""

from __future__ import annotations

import re
from pathlib import Path

WURZEL = Path(__file__).resolve().parents[1]


def test_every_test_named_in_the_security_document_exists():
    """Each `datei.py::test_name` (or `…::test_name` for the file named before) in the table of
    docs/sicherheit.md is a test function in that file; the table covers all issue-14 tests."""
    text = (WURZEL / "docs" / "sicherheit.md").read_text(encoding="utf-8")
    tabelle = text.split("## Zusagen und ihre Tests", 1)[1]
    genannt: set[tuple[str, str]] = set()
    datei = ""
    for teil in re.findall(r"`([^`]+)`", tabelle):
        m = re.fullmatch(r"(?:(test_\w+\.py)|…)::(test_\w+)", teil)
        if not m:
            continue
        datei = m.group(1) or datei
        genannt.add((datei, m.group(2)))
    assert len(genannt) > 40
    for datei, name in genannt:
        quelle = (WURZEL / "tests" / datei).read_text(encoding="utf-8")
        assert f"def {name}(" in quelle, (datei, name)
    for pfad in sorted((WURZEL / "tests").glob("test_sicherheit_*.py")):
        if pfad.name == Path(__file__).name:
            continue
        for name in re.findall(r"^def (test_\w+)\(", pfad.read_text(encoding="utf-8"), re.M):
            assert (pfad.name, name) in genannt, (pfad.name, name)
