"""Issue 14, item 3: custom annex templates cannot read local files, hang or exhaust memory.

Each test writes its own template folder; every case must end within a few seconds with a
German message (never a hang, a MemoryError or a file's content in the output).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from sozbudget_xl import annex, vorlagenschutz
from sozbudget_xl.errors import SozbudgetError
from sozbudget_xl.vorlagenschutz import GeschuetzteUmgebung, SichererLoader

from .sicherheit_mappen import deutsch

symlinks = pytest.mark.skipif(os.name == "nt", reason="symbolische Links brauchen unter Windows Rechte")
GEHEIM = "geheime-zeile-root:x:0:0"


def _rendern(ordner: Path, text: str, name: str = "t.html.j2", **ctx) -> str:
    ordner.mkdir(parents=True, exist_ok=True)
    (ordner / name).write_text(text, encoding="utf-8")
    env = GeschuetzteUmgebung(loader=SichererLoader(str(ordner)), autoescape=True)
    return env.get_template(name).render(**ctx)


def _abgelehnt(ordner: Path, text: str, *woerter: str, **ctx) -> str:
    start = time.perf_counter()
    with pytest.raises(SozbudgetError) as exc:
        _rendern(ordner, text, **ctx)
    assert time.perf_counter() - start < 5
    meldung = str(exc.value)
    deutsch(meldung)
    for w in woerter:
        assert w in meldung, meldung
    return meldung


@pytest.fixture
def geheim(tmp_path: Path) -> Path:
    datei = tmp_path / "ausserhalb" / "passwd"
    datei.parent.mkdir()
    datei.write_text(GEHEIM)
    return datei


@symlinks
def test_include_through_a_symlink_is_refused(tmp_path, geheim):
    """`{% include 'extra.txt' %}` with extra.txt → a file outside the folder is refused."""
    ordner = tmp_path / "vorlagen"
    ordner.mkdir()
    (ordner / "extra.txt").symlink_to(geheim)
    meldung = _abgelehnt(ordner, "A{% include 'extra.txt' %}B", "Verknüpfung", "extra.txt")
    assert GEHEIM not in meldung


@symlinks
def test_subfolder_symlink_is_refused(tmp_path, geheim):
    """A linked subfolder (teile → /etc) cannot be used to reach files outside either."""
    ordner = tmp_path / "vorlagen"
    ordner.mkdir()
    (ordner / "teile").symlink_to(geheim.parent, target_is_directory=True)
    _abgelehnt(ordner, "{% include 'teile/passwd' %}", "Verknüpfung")


def test_paths_leading_outside_are_refused(tmp_path, geheim):
    """`../ausserhalb/passwd` never leaves the template folder."""
    from jinja2.exceptions import TemplateNotFound

    with pytest.raises(TemplateNotFound) as exc:
        _rendern(tmp_path / "vorlagen", "{% include '../ausserhalb/passwd' %}")
    assert GEHEIM not in str(exc.value)


@symlinks
def test_annex_with_custom_folder_refuses_symlinked_template(tmp_path, geheim):
    """Through the annex renderer: the custom HTML template itself being a link is refused."""
    ordner = tmp_path / "vorlagen"
    ordner.mkdir()
    (ordner / annex.HTML_VORLAGE).symlink_to(geheim)
    with pytest.raises(SozbudgetError) as exc:
        annex.render_html({}, ordner)
    assert "Verknüpfung" in str(exc.value) and GEHEIM not in str(exc.value)


@symlinks
def test_docx_template_that_is_a_symlink_is_refused(tmp_path, geheim):
    """A custom DOCX template that is a link is refused before docxtpl opens it."""
    ordner = tmp_path / "vorlagen"
    ordner.mkdir()
    (ordner / annex.DOCX_VORLAGE).symlink_to(annex.VORLAGEN_VERZEICHNIS / annex.DOCX_VORLAGE)
    with pytest.raises(SozbudgetError) as exc:
        annex.render_docx({}, tmp_path / "x.docx", ordner)
    assert "Verknüpfung" in str(exc.value)
    assert not (tmp_path / "x.docx").exists()


def test_hard_link_in_the_template_folder_is_refused(tmp_path, geheim):
    """A hard link (a second name of a file outside the folder) is refused like a symbolic
    link, for `{% include %}`, the HTML template and the DOCX template; the content never shows."""
    ordner = tmp_path / "vorlagen"
    ordner.mkdir()
    os.link(geheim, ordner / "extra.txt")
    meldung = _abgelehnt(ordner, "A{% include 'extra.txt' %}B", "harte Verknüpfung", "extra.txt")
    assert GEHEIM not in meldung
    os.link(geheim, ordner / annex.HTML_VORLAGE)
    with pytest.raises(SozbudgetError) as exc:
        annex.render_html({}, ordner)
    assert "harte Verknüpfung" in str(exc.value) and GEHEIM not in str(exc.value)
    docx = tmp_path / "fremd.docx"
    docx.write_bytes((annex.VORLAGEN_VERZEICHNIS / annex.DOCX_VORLAGE).read_bytes())
    os.link(docx, ordner / annex.DOCX_VORLAGE)
    with pytest.raises(SozbudgetError) as exc:
        annex.render_docx({}, tmp_path / "x.docx", ordner)
    assert "harte Verknüpfung" in str(exc.value)
    assert not (tmp_path / "x.docx").exists()


def test_a_copied_file_beside_a_removed_hard_link_works(tmp_path, geheim):
    """Only the second name counts: once the other name is gone, the file is an ordinary one."""
    ordner = tmp_path / "vorlagen"
    ordner.mkdir()
    andere = tmp_path / "andere.txt"
    andere.write_text("Inhalt")
    os.link(andere, ordner / "extra.txt")
    _abgelehnt(ordner, "{% include 'extra.txt' %}", "harte Verknüpfung")
    andere.unlink()
    assert _rendern(ordner, "{% include 'extra.txt' %}") == "Inhalt"


def test_real_files_in_subfolders_still_work(tmp_path):
    """Ordinary includes of real files inside the folder keep working."""
    ordner = tmp_path / "vorlagen"
    (ordner / "teile").mkdir(parents=True)
    (ordner / "teile" / "kopf.html").write_text("<h1>{{ titel }}</h1>")
    assert _rendern(ordner, "{% include 'teile/kopf.html' %}", titel="A & B") == "<h1>A &amp; B</h1>"


def test_endless_nested_loop_is_stopped(tmp_path, monkeypatch):
    """A nested loop that would run for hours is stopped after the time limit."""
    monkeypatch.setattr(vorlagenschutz, "ZEITLIMIT", 1.0)
    text = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    _abgelehnt(tmp_path / "v", text, "länger als 1 Sekunden")


def test_silent_loop_over_a_string_is_stopped(tmp_path, monkeypatch):
    """Also a loop that produces no output and calls nothing is stopped."""
    monkeypatch.setattr(vorlagenschutz, "ZEITLIMIT", 1.0)
    text = "{% set s = 'x' * 100000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}"
    _abgelehnt(tmp_path / "v", text, "Endlosschleife")


ENDLOS = "{% set s = 'x' * 100000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}"


def test_time_limit_needs_no_signal_handler(tmp_path, monkeypatch):
    """The time limit sets no signal handler and no timer (inside LibreOffice the process owns
    them and Python could not give them back): with both forbidden an endless loop still stops."""
    import signal

    def verboten(*args, **kwargs):
        raise AssertionError("Signal angefasst")

    monkeypatch.setattr(vorlagenschutz, "ZEITLIMIT", 0.5)
    monkeypatch.setattr(signal, "signal", verboten)
    monkeypatch.setattr(signal, "setitimer", verboten, raising=False)
    _abgelehnt(tmp_path / "v", ENDLOS, "Endlosschleife")


def test_time_limit_works_outside_the_main_thread(tmp_path, monkeypatch):
    """A render in a worker thread (as in a host program's thread) is stopped by the time limit
    too; the main thread's signal handler stays what it was."""
    import signal
    import threading

    monkeypatch.setattr(vorlagenschutz, "ZEITLIMIT", 0.5)
    vorher = signal.getsignal(signal.SIGINT)
    ergebnis: dict[str, BaseException] = {}

    def lauf() -> None:
        try:
            _rendern(tmp_path / "v", ENDLOS)
        except BaseException as exc:  # handed to the test
            ergebnis["fehler"] = exc

    start = time.perf_counter()
    faden = threading.Thread(target=lauf)
    faden.start()
    faden.join(10)
    assert not faden.is_alive() and time.perf_counter() - start < 5
    assert isinstance(ergebnis.get("fehler"), SozbudgetError), ergebnis
    assert "Endlosschleife" in str(ergebnis["fehler"])
    assert signal.getsignal(signal.SIGINT) is vorher


def test_time_out_never_surfaces_after_the_render(tmp_path, monkeypatch):
    """Renders that end right at the limit either finish or fail with the German message; the
    time-out never hits the code that runs after them."""
    monkeypatch.setattr(vorlagenschutz, "ZEITLIMIT", 0.002)
    ordner = tmp_path / "v"
    ordner.mkdir()
    (ordner / "t.html.j2").write_text("{% for i in range(3000) %}{{ i }}{% endfor %}", encoding="utf-8")
    env = GeschuetzteUmgebung(loader=SichererLoader(str(ordner)), autoescape=True)
    vorlage = env.get_template("t.html.j2")
    ausgaenge = set()
    for _ in range(150):
        try:
            vorlage.render()
            ausgaenge.add("fertig")
        except SozbudgetError as exc:
            assert "Endlosschleife" in str(exc)
            ausgaenge.add("abgebrochen")
        ende = time.perf_counter() + 0.004  # busy Python code after the render: never interrupted
        while time.perf_counter() < ende:
            pass
    assert ausgaenge  # (both outcomes occur on most machines; either is fine)


@pytest.mark.parametrize(
    "ausdruck",
    [
        "'x' * 10**9",
        "[0] * 10**9",
        "10 ** (10 ** 10)",
        "'%999999999s' % 'x'",
        "'{:>999999999}'.format('x')",
        "'x'.ljust(10**9)",
        "'x'|center(10**9)",
        "('x' * 2000)|replace('x', 'x' * 1000)",
        "range(10**9)|list",
        "'x'|indent(10**9)",
    ],
)
def test_huge_allocations_are_refused_before_they_happen(tmp_path, ausdruck):
    """Expressions that would allocate a gigabyte are refused quickly with a German message."""
    _abgelehnt(tmp_path / "v", "{{ " + ausdruck + " }}", "abgebrochen")


def test_output_size_is_limited(tmp_path, monkeypatch):
    """A template producing more than the output limit is stopped."""
    monkeypatch.setattr(vorlagenschutz, "MAX_AUSGABE", 100_000)
    text = "{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}"
    _abgelehnt(tmp_path / "v", text, "Mio. Zeichen")


def test_macro_recursion_is_german(tmp_path):
    """A macro calling itself ends with a German message, not a RecursionError."""
    _abgelehnt(tmp_path / "v", "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "Rekursion")


def test_division_by_zero_is_german(tmp_path):
    """Arithmetic errors inside a template are German, without the Python text."""
    meldung = _abgelehnt(tmp_path / "v", "{{ 1 / 0 }}", "Division durch null")
    assert "ZeroDivisionError" not in meldung


def test_sandbox_still_blocks_internals(tmp_path):
    """The limits do not weaken the sandbox: Python internals stay blocked."""
    from jinja2.exceptions import SecurityError

    with pytest.raises(SecurityError):
        _rendern(tmp_path / "v", "{{ ''.__class__.__mro__[1].__subclasses__() }}")


def test_normal_filters_with_large_amounts_work(tmp_path):
    """Limits never hit ordinary use: an amount of 12 Mio. € formats fine, small loops run."""
    env = GeschuetzteUmgebung(autoescape=True)
    env.filters.update(annex.FILTER)
    text = env.from_string("{{ x|betrag }} {% for i in range(3) %}{{ i }}{% endfor %}").render(x=12_000_000)
    assert text.replace("\xa0", " ") == "12.000.000,00 € 012"


def test_time_limit_never_interrupts_foreign_code(tmp_path, monkeypatch):
    """The time-out is raised only at a step of the template itself: Python code the template
    calls (here one that runs past the limit inside ``try/finally``) is never interrupted in the
    middle — its body and its ``finally`` complete — and the render then stops in German."""
    monkeypatch.setattr(vorlagenschutz, "ZEITLIMIT", 0.2)
    protokoll: list[str] = []

    def langsam() -> str:
        try:
            ende = time.perf_counter() + 0.6  # busy Python code well past the limit
            while time.perf_counter() < ende:
                pass
            protokoll.append("fertig")
        finally:
            protokoll.append("aufgeräumt")
        return "x"

    meldung = _abgelehnt(
        tmp_path / "v",
        ENDLOS.replace("{% endfor %}{% endfor %}", "{% endfor %}{{ f() }}{% endfor %}"),
        "Endlosschleife",
        "t.html.j2",
        f=langsam,
    )
    assert protokoll[:2] == ["fertig", "aufgeräumt"], (protokoll, meldung)


def test_recursive_loop_is_stopped(tmp_path, monkeypatch):
    """A recursive ``{% for … recursive %}`` checks the deadline on every level too."""
    monkeypatch.setattr(vorlagenschutz, "ZEITLIMIT", 0.5)
    text = "{% for k in baum recursive %}{% for a in s %}{% endfor %}{{ loop([k, k]) }}{% endfor %}"
    _abgelehnt(tmp_path / "v", "{% set s = 'x' * 100000 %}" + text, "Endlosschleife", baum=[1])


def test_loops_keep_their_meaning(tmp_path):
    """Loops checked for the deadline behave as before: ``loop.length``/``last``, ``else``,
    filters in the loop header, recursion and a dict's keys."""
    text = (
        "{% for i in xs if i > 1 %}{{ i }}/{{ loop.length }}{{ '.' if loop.last }}{% endfor %}"
        "{% for i in [] %}x{% else %}leer{% endfor %}"
        "{% for k in d %}{{ k }}{% endfor %}"
        "{% for n in baum recursive %}({{ n.w }}{{ loop(n.k) }}){% endfor %}"
    )
    baum = [{"w": 1, "k": [{"w": 2, "k": []}]}]
    ergebnis = _rendern(tmp_path / "v", text, xs=[1, 2, 3], d={"a": 1, "b": 2}, baum=baum)
    assert ergebnis == "2/23/2.leerab(1(2))"
