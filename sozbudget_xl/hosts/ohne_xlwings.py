"""Stand-in for ``xlwings`` where it is not installed (LibreOffice's Python).

The decorators return the function unchanged, as xlwings itself does on Linux and macOS;
the macros that need a calling Excel workbook report a German error instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import DatenFehler


def _dekorator(f: Any = None, *args: Any, **kwargs: Any) -> Any:
    if callable(f):
        return f
    return lambda g: g


func = sub = script = _dekorator


def arg(*args: Any, **kwargs: Any) -> Callable[[Any], Any]:
    return lambda f: f


ret = arg


class Book:
    """Only Excel (xlwings) has a calling workbook."""

    @staticmethod
    def caller() -> Any:
        raise DatenFehler("dieses Makro läuft nur in Excel mit xlwings")
