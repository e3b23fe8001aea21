"""Benchmark (h), issue 15: recalc of large workbooks against the physical floor.

The floor is what any recalculation of the file must do at least: unzip and parse the input sheets
(„Parameter“ and every sheet with an Excel table; lxml, C speed, rows discarded) and deflate the
output sheets it writes (zlib level 6, as the zip writer does; the bytes are the ones our recalc
wrote, taken from its result beforehand). Ours: ``neu_berechnen`` of the same workbook, which
already holds the outputs of an earlier recalc (recalculating again, as users do), into a folder.

Dreisäulen workbooks with 10.000 and 50.000 Quartiere (built with the workbook builder, as in (g)).
Ours uses a second core (a thread deflates, a second process decodes the written sheets); the note
gives the CPU time of one recalc beside the wall time, the process's and that of its children.
Goals: recalc ≤ 3× the floor at both sizes; growth exponent ln(t₅₀ₖ/t₁₀ₖ)/ln 5 ≤ 1,05; peak memory
(max RSS of ``sozbudget recalc`` in its own process) ≤ 200 MB at 50.000 Quartiere. Ours and the
floor alternate run by run; medians are reported.

For information (no goal): the 10.000 workbook after LibreOffice opened and saved it, as a user's
workbook is after Excel saved it (shared strings, its own cell shapes) — the usual case, since the
inputs are edited in the spreadsheet between two recalcs —, against the floor of that file.
"""

from __future__ import annotations

import io
import math
import resource
import shutil
import subprocess
import time
import zipfile
import zlib
from pathlib import Path

from bench_common import Messung, abwechselnd, median_ms, zahl
from bench_workbook import grosse_mappe, lo_befehl, recalc_gemessen, soffice
from lxml import etree

from sozbudget_xl.workbook import io as wio
from sozbudget_xl.workbook.recalc import neu_berechnen

GROESSEN = (10_000, 50_000)
ZIEL_BODEN = 3.0
ZIEL_EXPONENT = 1.05
ZIEL_SPEICHER_MB = 200.0
_ROW = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}row"


def _teile(pfad: Path) -> tuple[list[str], list[str]]:
    """(input sheet parts, other worksheet parts) of a workbook."""
    with zipfile.ZipFile(pfad) as zf:
        paket = wio._Paket(zf, pfad.name)
        eingaben, andere = [], []
        for b in paket.blaetter:
            if b.teil not in paket.namen or not b.typ.endswith("/worksheet"):
                continue
            tabelle = any(t.endswith("/table") for t, _ in paket.blatt_rels(b.teil))
            (eingaben if b.name == "Parameter" or tabelle else andere).append(b.teil)
    return eingaben, andere


def _boden_teile(pfad: Path) -> tuple[list[str], list[bytes]]:
    """(input sheet parts, the bytes of the other worksheet parts) of a workbook, for :func:`boden`."""
    eingaben, andere = _teile(pfad)
    with zipfile.ZipFile(pfad) as zf:
        return eingaben, [zf.read(t) for t in andere]


def boden(pfad: Path, eingaben: list[str], ausgaben: list[bytes]) -> int:
    """Unzip and parse the input sheets, deflate the outputs; returns the deflated size."""
    with zipfile.ZipFile(pfad) as zf:
        for teil in eingaben:
            for _, elem in etree.iterparse(io.BytesIO(zf.read(teil)), events=("end",), tag=_ROW):
                elem.clear()
                while elem.getprevious() is not None:
                    del elem.getparent()[0]
    groesse = 0
    for xml in ausgaben:
        z = zlib.compressobj(6, zlib.DEFLATED, -15)
        groesse += len(z.compress(xml)) + len(z.flush())
    return groesse


def _speicher(pfad: Path, ziel: Path) -> tuple[float, float | None]:
    """(max RSS of the largest process, peak of the summed PSS of all its processes or None) of
    ``sozbudget recalc pfad --out ziel`` in its own process, MiB (``bench_workbook.recalc_gemessen``)."""
    rc, stderr, mb, pss = recalc_gemessen(pfad, ziel)
    if rc != "0":
        raise AssertionError(f"recalc von {pfad.name} fehlgeschlagen: {stderr}")
    return mb, pss


def _vorbereiten(
    tmp: Path, n: int, speicher: bool
) -> tuple[Path, list[str], list[bytes], float, tuple[float, float | None] | None]:
    """The workbook with ``n`` Quartiere after a first recalc, its parts for the floor, the build
    time and (``speicher``) the peak memory of that first recalc run as ``sozbudget recalc`` in its
    own process (max RSS of RUSAGE_CHILDREN), so the large book is recalculated once less."""
    frisch = tmp / f"dreisaeulen_{n}_neu.xlsx"
    t0 = time.perf_counter()
    grosse_mappe(frisch, n)
    bau = time.perf_counter() - t0
    erst = tmp / f"erst-{n}"
    mb = None
    if speicher:
        mb = _speicher(frisch, erst)
    else:
        z = neu_berechnen(frisch, ausgabeordner=erst)
        if not z.ok or z.ergebnisdatei:
            raise AssertionError(f"erster recalc mit {n} Quartieren: {z}")
    pfad = tmp / f"dreisaeulen_{n}.xlsx"
    shutil.move(erst / frisch.name, pfad)
    eingaben, ausgaben = _boden_teile(pfad)
    return pfad, eingaben, ausgaben, bau, mb


def _cpu(fn: object) -> tuple[float, float]:
    """CPU seconds of one call: this process (all its threads), and the processes it started."""
    vorher = (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
    fn()  # type: ignore[operator]
    nachher = (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
    return tuple(  # type: ignore[return-value]
        (n.ru_utime + n.ru_stime) - (v.ru_utime + v.ru_stime) for v, n in zip(vorher, nachher, strict=True)
    )


def _messung_speicher(n: int, erst: tuple[float, float | None], zweit: tuple[float, float | None]) -> Messung:
    """Peak memory of the first recalc (the goal: the larger of max RSS and summed PSS), and of a
    second recalc of the same workbook, which then holds our outputs (for information)."""
    spitze = max(erst[0], erst[1] or 0.0)

    def text(m: tuple[float, float | None]) -> str:
        pss = "—" if m[1] is None else f"{zahl(m[1])} MB"
        return f"größter Prozess / largest process {zahl(m[0])} MB, alle Prozesse / all processes (PSS) {pss}"

    return Messung(
        f"Spitzen-Arbeitsspeicher von `sozbudget recalc` mit {n:_} Quartieren".replace("_", "."),
        f"peak memory of `recalc` with {n:,} Quartiere",
        f"{zahl(spitze)} MB",
        "—",
        None,
        f"≤ {ZIEL_SPEICHER_MB:g} MB",
        spitze <= ZIEL_SPEICHER_MB,
        "frisch gebaute Mappe (erster recalc) / freshly built workbook (first recalc), wie (g) / as (g): "
        f"{text(erst)}; erneuter recalc derselben Mappe (mit unseren Ausgaben) / second recalc of the same "
        f"workbook (holding our outputs): {text(zweit)}. Größter Prozess: max RSS (`ru_maxrss` von "
        "RUSAGE_CHILDREN); alle Prozesse: Summe der PSS des Befehls und des Prüfprozesses, alle 5 ms "
        "abgetastet / largest process: max RSS; all processes: summed PSS of the command and its checking "
        "process, sampled every 5 ms (MB = MiB)",
        "1",
    )


def _messung_boden(n: int, ours: float, ref: float, laeufe: str, notiz: str) -> Messung:
    return Messung(
        f"`neu_berechnen` einer Mappe mit {n:_} Quartieren gegen den Boden (Eingabeblätter entpacken und "
        "parsen, Ausgabeblätter komprimieren)".replace("_", "."),
        f"recalc with {n:,} Quartiere vs the floor (unzip + parse inputs, deflate outputs)",
        f"{zahl(ours / 1000, 2)} s",
        f"Boden / floor: {zahl(ref, 0)} ms",
        ours / ref,
        f"≤ {ZIEL_BODEN:g}×",
        ours / ref <= ZIEL_BODEN,
        notiz,
        laeufe,
    )


def _messung_libreoffice(tmp: Path, pfad: Path, runs: int) -> Messung:
    """recalc of ``pfad`` after LibreOffice saved it, against the floor of that file (information)."""
    de = (
        "`neu_berechnen` derselben Mappe mit 10.000 Quartieren, von LibreOffice gespeichert (wie nach "
        "Excel: gemeinsame Texte), gegen den Boden dieser Datei"
    )
    en = "recalc of the 10,000 workbook saved by LibreOffice (as after Excel: shared strings) vs its floor"
    lo = soffice()
    if lo is None:
        notiz = "übersprungen: `soffice` nicht installiert / skipped: soffice not installed"
        return Messung(de, en, "—", "—", None, "—", None, notiz)
    ordner = tmp / "lo-gespeichert"
    subprocess.run(lo_befehl(lo, tmp, pfad, ordner), check=True, capture_output=True, timeout=600)
    kopie = ordner / pfad.name
    eingaben, ausgaben = _boden_teile(kopie)
    with zipfile.ZipFile(kopie) as zf:
        geteilt = "xl/sharedStrings.xml" in zf.namelist()
    ziel = tmp / "recalc-lo"
    t = abwechselnd(
        {
            "ours": lambda: neu_berechnen(kopie, ausgabeordner=ziel),
            "ref": lambda: boden(kopie, eingaben, ausgaben),
        },
        runs,
        budget_s=30.0,
    )
    ours, ref = median_ms(t["ours"]), median_ms(t["ref"])
    notiz = (
        f"Datei / file {zahl(kopie.stat().st_size / 1e6, 1)} MB, gemeinsame Texte / shared strings: "
        f"{'ja / yes' if geteilt else 'nein / no'}; Boden wie oben aus dieser Datei / floor as above from "
        f"this file ({zahl(sum(map(len, ausgaben)) / 1e6, 1)} MB XML übrige Blätter / other sheets); zur "
        "Information, ohne Ziel / for information, no goal"
    )
    wert, referenz = f"{zahl(ours / 1000, 2)} s", f"Boden / floor: {zahl(ref, 0)} ms"
    return Messung(
        de, en, wert, referenz, ours / ref, "—", None, notiz, f"{len(t['ours'])} / {len(t['ref'])}"
    )


def alle(runs: int, quick: bool) -> list[Messung]:
    import tempfile

    out: list[Messung] = []
    mittel: dict[int, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory(prefix="sozbudget-boden-") as d:
        tmp = Path(d)
        for n in GROESSEN:
            pfad, eingaben, ausgaben, bau, mb = _vorbereiten(tmp, n, speicher=n == GROESSEN[-1])
            ziel = tmp / f"recalc-{n}"
            t = abwechselnd(
                {
                    "ours": lambda pfad=pfad, ziel=ziel: neu_berechnen(pfad, ausgabeordner=ziel),
                    "ref": lambda pfad=pfad, e=eingaben, a=ausgaben: boden(pfad, e, a),
                },
                runs if n <= 10_000 else (1 if quick else 2),
                warmup=False,  # the first recalc above warmed up
                budget_s=30.0,
            )
            ours, ref = median_ms(t["ours"]), median_ms(t["ref"])
            mittel[n] = (ours, ref)
            selbst, kinder = _cpu(lambda pfad=pfad, ziel=ziel: neu_berechnen(pfad, ausgabeordner=ziel))
            notiz = (
                f"Datei / file {zahl(pfad.stat().st_size / 1e6, 1)} MB (mit Ausgaben eines ersten recalc / "
                f"holding the outputs of a first recalc), gebaut in / built in {zahl(bau, 1)} s; Boden / "
                f"floor: {len(eingaben)} Eingabeblätter / input sheets, {len(ausgaben)} übrige Blätter / "
                f"other sheets ({zahl(sum(map(len, ausgaben)) / 1e6, 1)} MB XML); CPU eines recalc / of one "
                f"recalc: {zahl(selbst, 2)} s im Prozess / in the process (mit Packer-Thread / incl. deflate "
                f"thread) + {zahl(kinder, 2)} s im Prüfprozess / in the checking process (Boden: ein Kern / "
                "floor: one core)"
            )
            out.append(_messung_boden(n, ours, ref, f"{len(t['ours'])} / {len(t['ref'])}", notiz))
            if n == GROESSEN[0]:
                out.append(_messung_libreoffice(tmp, pfad, runs))
            if mb is not None:
                out.append(_messung_speicher(n, mb, _speicher(pfad, tmp / f"zweit-{n}")))
    (a, fa), (b, fb) = mittel[GROESSEN[0]], mittel[GROESSEN[1]]
    k = math.log(GROESSEN[1] / GROESSEN[0])
    exponent = math.log(b / a) / k
    out.append(
        Messung(
            "Wachstumsexponent von `neu_berechnen`, 10.000 → 50.000 Quartiere",
            "growth exponent of recalc, 10,000 → 50,000 Quartiere",
            f"{exponent:.2f}".replace(".", ","),
            f"Boden / floor: {math.log(fb / fa) / k:.2f}".replace(".", ","),
            None,
            f"≤ {ZIEL_EXPONENT:g}".replace(".", ","),
            exponent <= ZIEL_EXPONENT,
            "ln(t₅₀ₖ / t₁₀ₖ) / ln 5 aus den Medianen oben / from the medians above",
            "—",
        )
    )
    return out
