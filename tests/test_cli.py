"""The sozbudget command: demo output, help texts, exit codes."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from sozbudget_xl.cli import build_parser, main
from sozbudget_xl.money import euro


def test_demo_prints_tables_whose_budgets_sum_to_the_total(tmp_path, capsys):
    """The demo prints the JEW budget table; its amounts add up to 2.400.000,00 € and it is saved."""
    assert main(["demo", "--out", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert "Fünf-Indikatoren-System" in text and "Jugendeinwohnerwert" in text
    section = text.split("2. Budget")[1].split("3. Übergang")[0]
    rows = [line for line in section.splitlines() if line.endswith("€") and not line.startswith("Summe")]
    amounts = [euro(re.search(r"([\d.]+,\d\d) €$", line).group(1)) for line in rows]
    assert len(amounts) == 6
    assert sum(amounts) == Decimal("2400000.00")
    assert (tmp_path / "demo.txt").read_text(encoding="utf-8").startswith("1. Fünf-Indikatoren-System")


def test_every_command_has_german_help():
    """Every sub-command has a help text (shown in `sozbudget --help`)."""
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "befehl")
    assert sub.choices
    for action in sub._choices_actions:
        assert action.help and action.help[0].isupper()


def test_no_command_prints_help_and_exits_2(capsys):
    """Calling sozbudget without a command shows the help and exits with 2."""
    assert main([]) == 2
    assert "demo" in capsys.readouterr().out


def test_unknown_command_is_a_usage_error():
    """An unknown command ends with argparse's usage error (exit 2)."""
    with pytest.raises(SystemExit) as exc:
        main(["zaubern"])
    assert exc.value.code == 2


def test_error_messages_show_numbers_with_decimal_comma():
    """A number found in bad input is shown German (-1,5), a year without a thousands dot, text as typed."""
    from decimal import Decimal

    from sozbudget_xl.errors import SozbudgetError

    assert "gefunden -1,5)" in str(SozbudgetError("x", found=Decimal("-1.5")))
    assert "gefunden 1800)" in str(SozbudgetError("x", found=1800))
    assert "gefunden 12.5)" in str(SozbudgetError("x", found="12.5"))


def test_option_like_file_names_become_paths_but_options_stay():
    """`-kgst.xlsx` is taken as a file (./-kgst.xlsx); real options and arguments after `--` stay."""
    from sozbudget_xl.cli import _dateinamen_mit_minus

    assert _dateinamen_mit_minus(
        ["check", "-kgst.xlsx", "--jobs", "2", "--format=docx", "--", "-x.xlsx"]
    ) == [
        "check",
        "./-kgst.xlsx",
        "--jobs",
        "2",
        "--format=docx",
        "--",
        "-x.xlsx",
    ]


def test_exit_codes_are_documented():
    """The exit codes 0, 2 and 130 are documented for the command and in docs/sicherheit.md."""
    from pathlib import Path

    import sozbudget_xl.cli as cli

    assert (cli.EXIT_OK, cli.EXIT_FEHLER, cli.EXIT_ABBRUCH) == (0, 2, 130)
    assert all(str(c) in cli.__doc__ for c in (0, 2, 130))
    doku = (Path(__file__).resolve().parents[1] / "docs" / "sicherheit.md").read_text(encoding="utf-8")
    assert "130 mit Strg+C abgebrochen" in doku


@pytest.mark.parametrize(
    ("fehler", "code", "wort"),
    [
        (KeyboardInterrupt(), 130, "Abgebrochen (Strg+C)"),
        (OSError(28, "No space left on device"), 2, "kein Platz mehr"),
        (MemoryError(), 2, "Arbeitsspeicher"),
        (RuntimeError("boom"), 2, "unerwarteter interner Fehler"),
    ],
    ids=["strg-c", "platte-voll", "speicher", "unbekannt"],
)
def test_main_turns_every_exception_into_german_text(monkeypatch, capsys, fehler, code, wort):
    """Whatever escapes a command ends as a German line on stderr and an exit code, never a traceback
    or an English system text."""
    import sozbudget_xl.cli as cli

    def befehl(args):
        raise fehler

    monkeypatch.setattr(cli, "_cmd_modelle", befehl)
    assert main(["modelle"]) == code
    err = capsys.readouterr().err
    assert wort in err
    assert "Traceback" not in err and "No space" not in err and "boom" not in err
