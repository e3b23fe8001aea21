"""Limits for annex templates, above all custom ones (``sozbudget annex --templates ORDNER``).

Jinja's sandbox already blocks Python internals. On top of it (issue 14):

* :class:`SichererLoader` loads only regular files inside the template folder: a symbolic link
  (``extra.txt → /etc/passwd``) or a path leading out of the folder is refused, also for
  ``{% include %}``, ``{% import %}`` and ``{% extends %}``.
* :class:`GeschuetzteUmgebung` renders with a time limit (:data:`ZEITLIMIT` seconds, interrupting
  even an endless nested loop) and an output limit (:data:`MAX_AUSGABE` characters), and refuses
  operations that would allocate huge values before they run: ``'x' * 10**9``, ``10 ** 10**10``,
  ``'%999999999s' % x``, ``'x'.ljust(10**9)``, ``'x'|center(10**9)``, a ``replace`` that
  multiplies its text.
* Recursion, memory and arithmetic errors inside a template become German messages.

* Only real files: a hard link (a second name of a file that may live outside the folder) is
  refused in a custom folder like a symbolic link.

The time limit is a deadline the template checks itself: every pass of a ``{% for %}`` loop
(the compiler wraps each loop's sequence), every call, attribute and item access, filter and
guarded operator compares ``time.monotonic()`` with it and stops the render with a German
message naming the template. Nothing interrupts from outside — no signal, no timer, no watchdog
thread injecting an exception — so the stop can only happen at one of the template's own steps,
never inside a ``finally``, a destructor or a lock release of other code, and it works the same in
any thread: in the CLI, in ``--jobs`` workers and inside LibreOffice's Python. A single built-in
operation (sorting a list, joining a text) runs to its end; the size limits above keep it short.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, Template, nodes
from jinja2.compiler import CodeGenerator
from jinja2.exceptions import TemplateError, TemplateNotFound
from jinja2.loaders import split_template_path
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .errors import SozbudgetError

__all__ = [
    "MAX_AUSGABE",
    "MAX_GROESSE",
    "ZEITLIMIT",
    "GeschuetzteUmgebung",
    "SichererLoader",
    "VorlagenFehler",
    "pruefe_vorlagendatei",
]

#: Seconds one template may render (one annex document part).
ZEITLIMIT = 30.0
#: Characters one rendered template may produce.
MAX_AUSGABE = 20_000_000
#: Largest number of items or characters one operation inside a template may create.
MAX_GROESSE = 1_000_000

_BREITE = re.compile(r"\d{7,}")  # a field width of a million or more in a format string


class VorlagenFehler(SozbudgetError):
    """A template broke a limit or failed while rendering (German message)."""


# --------------------------------------------------------------------------- files


@functools.lru_cache(maxsize=1)
def _mitgelieferte_vorlagen() -> Path | None:
    """The shipped template folder (package data ``sozbudget_xl.vorlagen``): installers may
    hard-link its files from a cache (uv), so the hard-link check spares it."""
    try:
        from importlib.resources import files

        return Path(os.path.realpath(str(files(f"{__package__}.vorlagen"))))
    except (ImportError, OSError, TypeError, ValueError):  # pragma: no cover - broken install
        return None


def _im_ordner(ordner: str | os.PathLike[str], name: str) -> Path:
    """``name`` inside ``ordner``; refused when it is (or passes through) a symbolic link, is a
    hard link (a second name of a file that may lie anywhere on the disk) or leads outside the
    folder. The folder itself may be a link: the user named it."""
    wurzel = Path(os.path.realpath(ordner))
    teile = split_template_path(name)  # refuses ".." (TemplateNotFound)
    pfad = Path(ordner)
    for teil in teile:
        pfad = pfad / teil
        if pfad.is_symlink():
            raise VorlagenFehler(
                f"die Vorlagendatei „{name}“ ist eine Verknüpfung (symbolischer Link) – aus "
                "Sicherheitsgründen werden nur echte Dateien im Vorlagenordner gelesen"
            )
    echt = Path(os.path.realpath(pfad))
    if echt != wurzel and wurzel not in echt.parents:
        raise VorlagenFehler(f"die Vorlagendatei „{name}“ liegt außerhalb des Vorlagenordners")
    try:
        info = os.stat(pfad, follow_symlinks=False)
    except OSError:
        return pfad  # missing: the loader reports „nicht gefunden“
    if info.st_nlink > 1 and not os.path.isdir(pfad) and wurzel != _mitgelieferte_vorlagen():
        raise VorlagenFehler(
            f"die Vorlagendatei „{name}“ ist eine harte Verknüpfung (dieselbe Datei hat noch einen "
            "anderen Namen, vielleicht außerhalb des Ordners) – aus Sicherheitsgründen werden nur "
            "eigenständige Dateien im Vorlagenordner gelesen; bitte die Datei kopieren statt verknüpfen"
        )
    return pfad


def pruefe_vorlagendatei(ordner: str | os.PathLike[str], name: str) -> Path:
    """The path of template ``name`` in ``ordner`` after the checks of :class:`SichererLoader`."""
    try:
        return _im_ordner(ordner, name)
    except TemplateNotFound:
        raise VorlagenFehler(f"Vorlage „{name}“ nicht gefunden in „{ordner}“") from None


class SichererLoader(FileSystemLoader):
    """A :class:`jinja2.FileSystemLoader` that reads only regular files inside its folders."""

    def get_source(self, environment: Any, template: str) -> Any:
        for ordner in self.searchpath:
            with contextlib.suppress(TemplateNotFound):
                kandidat = _im_ordner(ordner, template)
                if os.path.lexists(kandidat):
                    if not kandidat.is_file():
                        raise VorlagenFehler(f"die Vorlage „{template}“ ist keine Datei")
                    break
        return super().get_source(environment, template)


# --------------------------------------------------------------------------- time limit


class _Zeitablauf(BaseException):
    """Raised by a step of the template itself when its time is up (BaseException: no ``except
    Exception`` in a filter swallows it); :meth:`GeschuetzteVorlage.render` makes it German."""


class _Lage(threading.local):
    """The deadline (``time.monotonic()``) of the render running in this thread, or None."""

    frist: float | None = None


_lage = _Lage()


def _pruefe_frist() -> None:
    """One step of a template: past the deadline the render stops here. Called only from the
    template's own steps (loop passes, calls, attribute and item access, filters, operators),
    never from a timer or another thread, so it cannot interrupt foreign code."""
    frist = _lage.frist
    if frist is not None and time.monotonic() > frist:
        raise _Zeitablauf


@contextlib.contextmanager
def zeitlimit(sekunden: float) -> Iterator[None]:
    """Give the template steps in this block a deadline ``sekunden`` from now (a nested render,
    e.g. one template rendering another, shares the outer deadline). No signal, no thread."""
    if _lage.frist is not None:
        yield
        return
    _lage.frist = time.monotonic() + sekunden
    try:
        yield
    finally:
        _lage.frist = None


def _mit_frist(iterator: Iterator[Any]) -> Iterator[Any]:
    for wert in iterator:
        _pruefe_frist()
        yield wert


class _Schritte:
    """The iterable of a ``{% for %}`` loop, checking the deadline before every pass (its length
    stays visible for ``loop.length``/``loop.last``)."""

    __slots__ = ("quelle",)

    def __init__(self, quelle: Any) -> None:
        self.quelle = quelle

    def __len__(self) -> int:
        return len(self.quelle)

    def __iter__(self) -> Iterator[Any]:
        return _mit_frist(iter(self.quelle))


class _FristCodeGenerator(CodeGenerator):
    """Compiles every ``{% for x in FOLGE %}`` as ``{% for x in frist_schritte(FOLGE) %}``:
    also a silent loop that calls nothing checks the deadline on each pass."""

    def visit_Template(self, node: nodes.Template, frame: Any = None) -> None:
        for schleife in node.find_all(nodes.For):
            quelle = schleife.iter
            if isinstance(quelle, nodes.Call) and isinstance(quelle.node, nodes.EnvironmentAttribute):
                continue  # wrapped before (a template's own name can never be this node)
            ziel = nodes.EnvironmentAttribute("frist_schritte", lineno=quelle.lineno)
            schleife.iter = nodes.Call(ziel, [quelle], [], None, None, lineno=quelle.lineno)
        super().visit_Template(node, frame)


# --------------------------------------------------------------------------- size checks


def _zu_gross(was: str) -> VorlagenFehler:
    return VorlagenFehler(
        f"die Vorlage erzeugt {was} – mehr als {MAX_GROESSE:,} Zeichen oder Einträge; abgebrochen".replace(
            ",", "."
        )
    )


def _laenge(wert: Any) -> int:
    return len(wert) if isinstance(wert, str | bytes | list | tuple) else 0


def _pruefe_binop(op: str, links: Any, rechts: Any) -> None:
    if op == "*":
        for folge, zahl in ((links, rechts), (rechts, links)):
            if isinstance(zahl, int) and _laenge(folge) * max(zahl, 0) > MAX_GROESSE:
                raise _zu_gross("einen zu langen Text oder eine zu lange Liste (Vervielfachung mit *)")
    elif op == "**":
        ganz = isinstance(links, int) and isinstance(rechts, int) and abs(links) > 1
        if ganz and rechts * max(links.bit_length(), 1) > 4 * MAX_GROESSE:
            raise _zu_gross("eine zu große Zahl (Potenz mit **)")
    elif op == "%" and isinstance(links, str) and _BREITE.search(links):
        raise _zu_gross("einen zu langen Text (Feldbreite im Format)")


def _pruefe_argumente(args: tuple[Any, ...], kwargs: dict[str, Any], was: str) -> None:
    for wert in (*args, *kwargs.values()):
        if isinstance(wert, int) and not isinstance(wert, bool) and wert > MAX_GROESSE:
            raise _zu_gross(f"mit „{was}“ einen zu langen Text")
        if isinstance(wert, str) and was in ("format", "format_map") and _BREITE.search(wert):
            raise _zu_gross("einen zu langen Text (Feldbreite im Format)")


def _begrenzter_filter(name: str, filter_: Any) -> Any:
    vorne = 2 if hasattr(filter_, "jinja_pass_arg") else 1  # (context,) value, then the arguments

    def begrenzt(*args: Any, **kwargs: Any) -> Any:
        _pruefe_frist()
        _pruefe_argumente(args[vorne:], kwargs, name)
        werte = args[vorne - 1 :]
        if name == "replace" and len(werte) >= 3 and all(isinstance(a, str) for a in werte[:3]):
            text, alt, neu = werte[:3]
            if alt and len(text) + text.count(alt) * max(len(neu) - len(alt), 0) > MAX_GROESSE:
                raise _zu_gross("mit „replace“ einen zu langen Text")
        if name == "format" and werte and isinstance(werte[0], str) and _BREITE.search(werte[0]):
            raise _zu_gross("einen zu langen Text (Feldbreite im Format)")
        return filter_(*args, **kwargs)

    for attr in ("jinja_pass_arg", "environmentfilter", "contextfilter", "evalcontextfilter"):
        if hasattr(filter_, attr):
            setattr(begrenzt, attr, getattr(filter_, attr))
    return begrenzt


# --------------------------------------------------------------------------- environment


class GeschuetzteVorlage(Template):
    """A template rendered under the time and output limits, errors in German."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        teile: list[str] = []
        menge = 0
        try:
            with zeitlimit(ZEITLIMIT):
                for stueck in self.generate(*args, **kwargs):
                    _pruefe_frist()
                    menge += len(stueck)
                    if menge > MAX_AUSGABE:
                        raise VorlagenFehler(
                            f"die Vorlage „{self.name or 'Text'}“ erzeugt mehr als "
                            f"{MAX_AUSGABE // 1_000_000} Mio. Zeichen; abgebrochen"
                        )
                    teile.append(stueck)
        except _Zeitablauf:
            raise VorlagenFehler(
                f"die Vorlage „{self.name or 'Text'}“ rechnet länger als {_zahl(ZEITLIMIT)} Sekunden "
                "(Endlosschleife?); abgebrochen"
            ) from None
        except RecursionError:
            raise VorlagenFehler(
                f"die Vorlage „{self.name or 'Text'}“ ruft sich zu tief selbst auf (Rekursion); abgebrochen"
            ) from None
        except MemoryError:
            raise VorlagenFehler(
                f"die Vorlage „{self.name or 'Text'}“ braucht zu viel Arbeitsspeicher; abgebrochen"
            ) from None
        except (TemplateError, SozbudgetError):
            raise
        except (ArithmeticError, ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
            raise VorlagenFehler(
                f"die Vorlage „{self.name or 'Text'}“ enthält eine Rechnung oder Umwandlung, die nicht "
                f"ausführbar ist ({_art(exc)})"
            ) from None
        return "".join(teile)


def _zahl(wert: float) -> str:
    return f"{wert:g}".replace(".", ",")


def _art(exc: BaseException) -> str:
    return {
        ZeroDivisionError: "Division durch null",
        OverflowError: "Zahl zu groß",
        TypeError: "unpassende Datentypen",
        KeyError: "unbekannter Schlüssel",
        IndexError: "Index außerhalb der Liste",
        AttributeError: "unbekanntes Attribut",
        ValueError: "ungültiger Wert",
    }.get(type(exc), "ungültige Rechnung")


class GeschuetzteUmgebung(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox plus the limits of this module (see the module docstring)."""

    template_class = GeschuetzteVorlage
    code_generator_class = _FristCodeGenerator
    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters = _BegrenzteFilter(self.filters)

    @staticmethod
    def frist_schritte(folge: Any) -> _Schritte:
        """The sequence of a ``{% for %}`` loop, checking the deadline on every pass."""
        return _Schritte(folge)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _pruefe_frist()
        _pruefe_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        _pruefe_frist()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        _pruefe_frist()
        return super().getitem(obj, argument)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Calls of str/list methods and ``range`` with huge sizes are refused before they run."""
        _pruefe_frist()
        if isinstance(__obj, LoopContext) and args:  # a recursive loop's next level: loop(kinder)
            args = (_Schritte(args[0]), *args[1:])
        eigner = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)  # str.format is wrapped
        name = getattr(__obj, "__name__", "Aufruf")
        if isinstance(eigner, str | bytes | list | tuple) or __obj is range or name == "safe_range":
            _pruefe_argumente(args, kwargs, name)
            if name in ("format", "format_map") and isinstance(eigner, str) and _BREITE.search(eigner):
                raise _zu_gross("einen zu langen Text (Feldbreite im Format)")
        return super().call(__context, __obj, *args, **kwargs)


class _BegrenzteFilter(dict):  # type: ignore[type-arg]
    """The filter table; every filter, also one added later (``env.filters.update``), is wrapped."""

    def __init__(self, alt: dict[str, Any]) -> None:
        super().__init__()
        self.update(alt)

    def __setitem__(self, name: str, filter_: Any) -> None:
        super().__setitem__(name, _begrenzter_filter(name, filter_))

    def update(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        for name, filter_ in dict(*args, **kwargs).items():
            self[name] = filter_
