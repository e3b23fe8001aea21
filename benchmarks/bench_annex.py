"""Benchmark (e): contract annexes per second, DOCX and HTML, over 500 contracts.

The 500 contracts are the 17 contracts of the Celle example (its model result) repeated with
varied contract numbers, addresses and signatories (the Träger names stay, so every annex has
its real budget table). One annex = :func:`kontext` + render + write the file, as
:func:`sozbudget_xl.annex.alle_anlagen` does it. Two cores: two worker processes (fork, started
inside the timed span) render half of the contracts each, like ``sozbudget annex --jobs 2``;
the figure is contracts / wall time of the whole batch. One process on one core for comparison.
Goals: ≥ 30 DOCX/s and ≥ 300 HTML/s on two cores.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import statistics
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from bench_common import Messung, zahl

from sozbudget_xl.annex import Partei, dateiname, kontext, render_docx, render_html, vertraege
from sozbudget_xl.models import modell

N_VERTRAEGE = 500
ZIEL = {"docx": 30.0, "html": 300.0}

_ERGEBNIS: Any = None
_VERTRAEGE: list[Any] = []


def _vorbereiten(n: int) -> None:
    """Model result of the Celle example and ``n`` contracts (module globals, inherited by fork)."""
    global _ERGEBNIS, _VERTRAEGE
    m = modell("celle")
    _ERGEBNIS = m.berechne(*m.beispiel())
    basis = vertraege(_ERGEBNIS, Partei("Jugendamt Musterstadt", "Rathausplatz 1\n12345 Musterstadt"))
    _VERTRAEGE = [
        dataclasses.replace(
            v,
            vertragsnummer=f"SRB-2026-CELLE-{i + 1:04d}",
            traeger=Partei(
                v.traeger.name, f"Hauptstraße {i + 1}\n{10000 + i} Musterstadt", f"Leitung Nr. {i}"
            ),
        )
        for i, v in enumerate(basis[i % len(basis)] for i in range(n))
    ]


def _rendere(args: tuple[str, int, int, str]) -> int:
    """Render contracts ``von``…``bis`` as ``fmt`` into ``ordner``; returns the number written."""
    fmt, von, bis, ordner = args
    out = Path(ordner)
    vergeben: set[str] = set()
    for i in range(von, bis):
        v = _VERTRAEGE[i]
        ctx = kontext(_ERGEBNIS, v)
        name = f"{i:04d}_" + dateiname(v, fmt, vergeben)
        if fmt == "html":
            (out / name).write_text(render_html(ctx), encoding="utf-8")
        else:
            render_docx(ctx, out / name)
    return bis - von


def _lauf(fmt: str, n: int, prozesse: int, tmp: Path, pool: Any = None) -> float:
    ordner = Path(tempfile.mkdtemp(prefix=f"{fmt}-{prozesse}-", dir=tmp))
    t = time.perf_counter()
    if prozesse == 1:
        fertig = _rendere((fmt, 0, n, str(ordner)))
    else:
        teile = [(fmt, k * n // prozesse, (k + 1) * n // prozesse, str(ordner)) for k in range(prozesse)]
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=prozesse, mp_context=ctx) as pool:
            fertig = sum(pool.map(_rendere, teile))
    dauer = time.perf_counter() - t
    dateien = list(ordner.iterdir())
    if fertig != n or len(dateien) != n or min(f.stat().st_size for f in dateien) < 1000:
        raise AssertionError(f"{fmt}: {len(dateien)} von {n} Anlagen geschrieben")
    return dauer


def alle(runs: int, quick: bool) -> list[Messung]:
    n = 100 if quick else N_VERTRAEGE
    _vorbereiten(n)
    out = []
    with tempfile.TemporaryDirectory(prefix="sozbudget-anlagen-") as d:
        tmp = Path(d)
        for fmt in ("docx", "html"):
            _rendere((fmt, 0, 5, str(tmp)))  # warm-up: imports, template caches
            zwei, eins = [], []
            for _ in range(runs):
                zwei.append(_lauf(fmt, n, 2, tmp))
                eins.append(_lauf(fmt, n, 1, tmp))
            t2, t1 = statistics.median(zwei), statistics.median(eins)
            rate2, rate1 = n / t2, n / t1
            out.append(
                Messung(
                    f"Vertragsanlagen {fmt.upper()}: {n} Verträge (17 Verträge des Celle-Beispiels, "
                    "wiederholt mit anderen Nummern/Anschriften), 2 Prozesse",
                    f"contract annexes {fmt.upper()}: {n} contracts, two processes",
                    f"{zahl(rate2)} Anlagen/s ({zahl(t2, 2)} s)",
                    f"1 Prozess / process: {zahl(rate1)} Anlagen/s",
                    t2 / t1,
                    f"≥ {ZIEL[fmt]:g}/s",
                    rate2 >= ZIEL[fmt],
                    "je Anlage / per annex: `kontext` + "
                    + (
                        "`render_html` + Datei schreiben"
                        if fmt == "html"
                        else "`render_docx` (schreibt atomar)"
                    )
                    + "; 2 Prozesse (fork, Start in der gemessenen Zeit) mit je der Hälfte der Verträge, "
                    "Wandzeit / two forked worker processes with half the contracts each, wall time incl. "
                    f"their start; Beschleunigung / speed-up {zahl(t1 / t2, 2)}×",
                    f"{len(zwei)} / {len(eins)}",
                )
            )
    return out
