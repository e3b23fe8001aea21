"""Issue 14, items 2, 4 and 7: faults during a run — each test bounded to a few seconds.

Concurrent save by another program, kill during the write, disk full during the backup, a
dead worker in a `--jobs` batch, Ctrl-C.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from sozbudget_xl import cli
from sozbudget_xl.cli import main
from sozbudget_xl.workbook import io as wio
from sozbudget_xl.workbook.recalc import Zusammenfassung

from .sicherheit_mappen import deutsch, mappe

PAUSE = "SOZBUDGET_TEST_PAUSE_BEFORE_REPLACE"
unix = pytest.mark.skipif(os.name == "nt", reason="Signale wie unter Unix")


def _starte(args: list[str], pause: float, cwd: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, **{PAUSE: str(pause)})
    return subprocess.Popen(
        [sys.executable, "-m", "sozbudget_xl.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=cwd,
        # a shell without job control starts background jobs with SIGINT ignored, and a Python
        # started so never raises KeyboardInterrupt: give the child the default, as a terminal does
        preexec_fn=_sigint_standard,
    )


def _sigint_standard() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _warte_auf_pause(proc: subprocess.Popen[bytes]) -> None:
    assert proc.stderr is not None
    frist = time.monotonic() + 60
    while time.monotonic() < frist:
        zeile = proc.stderr.readline()
        if b"SOZBUDGET_TEST_PAUSE" in zeile or not zeile:
            break
    assert proc.poll() is None, "Prozess endete vor der Pause"


def _excel_speichert(pfad: Path, inhalt: bytes) -> None:
    """Save like Excel does: write a new file, then rename it over the workbook."""
    tmp = pfad.with_name("AB12CD00")
    tmp.write_bytes(inhalt)
    os.replace(tmp, pfad)


def _temp_reste(ordner: Path) -> list[str]:
    return [p.name for p in ordner.rglob(".~sozbudget-*")]


@unix
def test_concurrent_save_keeps_the_users_file_and_puts_ours_beside(tmp_path):
    """Another program saves the workbook right before our replace: the user's version stays,
    our result lies beside it, the run says so (exit 2) — a lost update is impossible."""
    pfad = mappe(tmp_path)
    benutzer = mappe(tmp_path / "neu").read_bytes() + b"\0"  # the version the user saves
    assert benutzer != pfad.read_bytes()
    proc = _starte(["recalc", "--inplace", str(pfad)], 2, tmp_path)
    _warte_auf_pause(proc)
    _excel_speichert(pfad, benutzer)
    out, err = proc.communicate(timeout=60)
    text = out.decode()
    assert proc.returncode == 2, (text, err.decode())
    assert pfad.read_bytes() == benutzer
    assert "während der Berechnung von einem anderen Programm verändert" in text
    daneben = tmp_path / "kgst (neu berechnet).xlsx"
    assert daneben.exists() and daneben.read_bytes()[:2] == b"PK"
    assert not _temp_reste(tmp_path)
    deutsch(text)


@unix
def test_change_of_content_with_same_size_and_time_is_detected(tmp_path):
    """Even a change keeping size and modification time (copied back with `touch -r`) is found by
    the content hash."""
    pfad = mappe(tmp_path)
    proc = _starte(["recalc", "--inplace", str(pfad)], 2, tmp_path)
    _warte_auf_pause(proc)
    st = pfad.stat()
    daten = bytearray(pfad.read_bytes())
    daten[10] ^= 0x01  # the time field of the first member's local header: same size
    with open(pfad, "r+b") as fh:
        fh.write(bytes(daten))
    os.utime(pfad, ns=(st.st_atime_ns, st.st_mtime_ns))
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert "anderen Programm verändert" in out.decode()
    assert pfad.read_bytes() == bytes(daten)


@unix
def test_kill_during_write_leaves_the_original_and_no_partial_file(tmp_path):
    """SIGKILL right before the replace: the workbook is the old one, the next run removes
    the temp file of the dead process."""
    pfad = mappe(tmp_path)
    vorher = pfad.read_bytes()
    proc = _starte(["recalc", "--inplace", str(pfad)], 30, tmp_path)
    _warte_auf_pause(proc)
    proc.kill()
    proc.communicate(timeout=30)
    assert pfad.read_bytes() == vorher
    assert _temp_reste(tmp_path)  # the dead run's temp file …
    assert main(["recalc", "--inplace", str(pfad)]) == 0
    assert not _temp_reste(tmp_path)  # … is removed by the next run


def test_disk_full_during_backup_leaves_no_partial_copy(tmp_path, capsys, monkeypatch):
    """ENOSPC while the backup is written: German message, workbook unchanged, no half backup."""
    pfad = mappe(tmp_path)
    vorher = pfad.read_bytes()
    echt = os.fdopen
    aufrufe = {"n": 0}

    class VolleFestplatte:
        def __init__(self, datei):
            self.datei = datei

        def __enter__(self):
            return self

        def __exit__(self, *a):
            self.datei.close()

        def write(self, daten):
            self.datei.write(daten[: len(daten) // 2])
            self.datei.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

        def fileno(self):
            return self.datei.fileno()

        def flush(self):
            pass

    def fdopen(fd, *args, **kwargs):
        aufrufe["n"] += 1
        datei = echt(fd, *args, **kwargs)
        return VolleFestplatte(datei) if aufrufe["n"] == 2 else datei  # 1: our temp file, 2: the backup

    monkeypatch.setattr(os, "fdopen", fdopen)
    assert main(["recalc", "--inplace", str(pfad)]) == 2
    text = capsys.readouterr().out
    deutsch(text)
    assert "kein Platz mehr auf dem Datenträger" in text and "Sicherungskopie" in text
    assert pfad.read_bytes() == vorher
    assert not _temp_reste(tmp_path)
    assert list((tmp_path / wio.SICHERUNGSORDNER).iterdir()) == []


def test_partial_backup_of_a_crashed_run_is_removed(tmp_path):
    """A half-written backup temp file of a dead process is removed by the next run."""
    pfad = mappe(tmp_path)
    ordner = tmp_path / wio.SICHERUNGSORDNER
    ordner.mkdir()
    rest = ordner / ".~sozbudget-999999999-abc.xlsx"
    rest.write_bytes(b"PK halb")
    assert main(["recalc", "--inplace", str(pfad)]) == 0
    assert not rest.exists()
    assert len(list(ordner.glob("kgst_*.xlsx"))) == 1


# --------------------------------------------------------------------------- batches


def _aufgabe_mit_absturz(datei: str) -> Zusammenfassung:
    """Kills its own worker process for files named „tot…“ (picklable: module level)."""
    if Path(datei).name.startswith("tot"):
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(0.05)
    return Zusammenfassung(datei=Path(datei), modell="kgst", gesamt=Decimal(0))


@unix
def test_dead_worker_gives_one_error_line_and_the_batch_goes_on(tmp_path):
    """A worker killed while processing one workbook: that workbook gets the German crash line,
    every other workbook its result — within a few seconds."""
    dateien = [str(tmp_path / n) for n in ("a.xlsx", "b.xlsx", "tot.xlsx", "c.xlsx", "d.xlsx")]
    start = time.monotonic()
    ergebnis = {Path(d).name: (r, t) for d, r, t in cli._ausfuehren(_aufgabe_mit_absturz, dateien, 2)}
    assert time.monotonic() - start < 30
    assert ergebnis["tot.xlsx"] == (None, cli.ABSTURZ)
    for name in ("a.xlsx", "b.xlsx", "c.xlsx", "d.xlsx"):
        assert ergebnis[name] == (
            Zusammenfassung(datei=tmp_path / name, modell="kgst", gesamt=Decimal(0)),
            "",
        )
    deutsch(cli.ABSTURZ)


@unix
def test_dead_worker_in_a_cli_batch_exits_2_with_a_summary(tmp_path, capsys, monkeypatch):
    """Through `check --jobs 2`: the dead worker's workbook is one FEHLER line, exit 2, the
    others are OK, no traceback."""
    for n in ("a", "tot"):
        mappe(tmp_path, f"{n}.xlsx")
    monkeypatch.setattr(cli, "_check_aufgabe", _aufgabe_mit_absturz)
    assert main(["check", str(tmp_path / "a.xlsx"), str(tmp_path / "tot.xlsx"), "--jobs", "2"]) == 2
    text = capsys.readouterr().out
    assert f"FEHLER  {tmp_path / 'tot.xlsx'}: {cli.ABSTURZ}" in text
    assert "1 von 2 Arbeitsmappe(n) erfolgreich, 1 mit Fehlern" in text


@unix
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_stops_cleanly_with_a_summary(tmp_path, jobs):
    """Ctrl-C during a batch: exit 130, no traceback, a summary of what was and was not written,
    every workbook whole (old or new), no temp file left."""
    pfade = [mappe(tmp_path, f"m{i}.xlsx") for i in range(6)]
    vorher = {p: p.read_bytes() for p in pfade}
    proc = _starte(["recalc", "--inplace", "--kein-backup", "--jobs", jobs, *map(str, pfade)], 2, tmp_path)
    _warte_auf_pause(proc)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    text, fehler = out.decode(), err.decode()
    assert proc.returncode == 130, (text, fehler)
    assert "Traceback" not in fehler and "KeyboardInterrupt" not in fehler
    assert "Abgebrochen (Strg+C)" in text and "nicht bearbeitet" in text
    for p in pfade:
        assert p.read_bytes()[:2] == b"PK"
    assert any(p.read_bytes() == vorher[p] for p in pfade)  # at least one never touched
    assert not _temp_reste(tmp_path)


@unix
def test_kill_at_random_moments_never_leaves_a_half_file(tmp_path):
    """SIGKILL at spread-out moments of a run (start, read, compute, write): the workbook is always
    either the old bytes or a complete new workbook, and the next run cleans up."""
    pfad = mappe(tmp_path)
    vorher = pfad.read_bytes()
    for verzoegerung in (0.2, 0.4, 0.6, 0.8, 1.0, 1.3):
        proc = subprocess.Popen(
            [sys.executable, "-m", "sozbudget_xl.cli", "recalc", "--inplace", str(pfad)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(verzoegerung)
        proc.kill()
        proc.wait(timeout=30)
        jetzt = pfad.read_bytes()
        if jetzt != vorher:
            import openpyxl

            assert "Ergebnis" in openpyxl.load_workbook(pfad, read_only=True).sheetnames
            vorher = jetzt
    assert main(["check", str(pfad)]) == 0
    assert main(["recalc", "--inplace", str(pfad)]) == 0
    assert not _temp_reste(tmp_path)
