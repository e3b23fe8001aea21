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
