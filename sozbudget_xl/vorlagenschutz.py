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

The time limit uses no signals: a watchdog thread raises the time-out in the rendering thread
(CPython's ``PyThreadState_SetAsyncExc``, checked between bytecodes like a signal handler). So
it works in any thread — in the CLI, in ``--jobs`` workers, and inside LibreOffice's Python,
whose process owns its signal handlers (a ``SIGALRM`` handler installed there could not be given
back). Only where that call is missing (not CPython) ``SIGALRM`` is used, in the main thread
and only while Python itself owns the handler; elsewhere the size limits still apply.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, Template
from jinja2.exceptions import TemplateError, TemplateNotFound
from jinja2.loaders import split_template_path
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
    """Raised inside the render when the time is up (BaseException: no template catches it)."""


_aktiv = threading.local()


@contextlib.contextmanager
def zeitlimit(sekunden: float) -> Iterator[None]:
    """Interrupt the block after ``sekunden`` with :class:`_Zeitablauf`, in whatever thread it runs
    (nested calls share the outer limit). No signal handler is touched."""
    if getattr(_aktiv, "an", False):
        yield
        return
    _aktiv.an = True
    try:
        if _async_ausnahme() is not None:
            with _wachhund(sekunden):
                yield
        elif _alarm_moeglich():  # pragma: no cover - not CPython
            with _alarm(sekunden):
                yield
        else:  # pragma: no cover - not CPython and not the main thread: size limits only
            yield
    finally:
        _aktiv.an = False


@functools.lru_cache(maxsize=1)
def _async_ausnahme() -> Any:
    """CPython's ``PyThreadState_SetAsyncExc`` (raise an exception in another thread) or None."""
    try:
        import ctypes

        funktion = ctypes.pythonapi.PyThreadState_SetAsyncExc
    except (ImportError, AttributeError, OSError):  # pragma: no cover - not CPython
        return None

    def setzen(faden: int, ausnahme: type[BaseException] | None) -> int:
        """Set (or with None withdraw) the pending exception of thread ``faden``."""
        return int(funktion(ctypes.c_ulong(faden), ctypes.py_object(ausnahme) if ausnahme else None))

    return setzen


@contextlib.contextmanager
def _wachhund(sekunden: float) -> Iterator[None]:
    """A watchdog thread raises :class:`_Zeitablauf` in this thread once the time is up.

    The watchdog acts at most once and only while the block still runs (``lage`` under the lock);
    a time-out that was set but not yet raised when the block ends is withdrawn, so it can never
    surface after the block."""
    setzen = _async_ausnahme()
    ziel = threading.get_ident()
    sperre = threading.Lock()
    lage = {"fertig": False, "abgelaufen": False}
    fertig = threading.Event()

    def wache() -> None:
        if fertig.wait(sekunden):
            return
        with sperre:
            if not lage["fertig"]:
                lage["abgelaufen"] = True
                setzen(ziel, _Zeitablauf)

    faden = threading.Thread(target=wache, name="sozbudget-zeitlimit", daemon=True)
    faden.start()
    try:
        yield
    finally:
        with sperre:
            lage["fertig"] = True
            abgelaufen = lage["abgelaufen"]
        fertig.set()
        if abgelaufen:
            setzen(ziel, None)  # withdraw a time-out not raised yet (no-op when it was)


def _alarm_moeglich() -> bool:  # pragma: no cover - not CPython
    """SIGALRM only in the main thread and only while Python owns the handler (a handler of the
    host program, e.g. LibreOffice, shows as None and could not be given back)."""
    return (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGALRM) is not None
    )


@contextlib.contextmanager
def _alarm(sekunden: float) -> Iterator[None]:  # pragma: no cover - not CPython
    def abbrechen(signum: int, frame: Any) -> None:
        raise _Zeitablauf

    alt = signal.signal(signal.SIGALRM, abbrechen)
    start = time.monotonic()
    alt_rest, _ = signal.setitimer(signal.ITIMER_REAL, sekunden)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, alt if alt is not None else signal.SIG_DFL)
        if alt_rest > 0:  # someone else's timer (e.g. a test timeout) keeps running
            signal.setitimer(signal.ITIMER_REAL, max(alt_rest - (time.monotonic() - start), 0.001))


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
                    menge += len(stueck)
                    if menge > MAX_AUSGABE:
                        raise VorlagenFehler(
                            f"die Vorlage „{self.name or 'Text'}“ erzeugt mehr als "
                            f"{MAX_AUSGABE // 1_000_000} Mio. Zeichen; abgebrochen"
                        )
                    teile.append(stueck)
        except _Zeitablauf:
            raise VorlagenFehler(
                f"die Vorlage „{self.name or 'Text'}“ rechnet länger als {ZEITLIMIT:.0f} Sekunden "
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
    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters = _BegrenzteFilter(self.filters)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _pruefe_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Calls of str/list methods and ``range`` with huge sizes are refused before they run."""
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
