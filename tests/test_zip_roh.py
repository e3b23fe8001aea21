"""Writing the package without recompressing (issue 15): unchanged parts keep their compressed
bytes, output sheets are deflated once while rendered; every reader sees the same parts as with
the plain zipfile path, STORED parts stay STORED, and a Python without the zipfile pieces used
falls back to the plain path."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sozbudget_xl.workbook import io as wio
from tests.test_workbook_io import AUSGABEN, baue_mappe


def _mit_gespeichertem_teil(pfad: Path, teil: str) -> None:
    """Rewrite the package with ``teil`` STORED (some tools do) and the rest DEFLATED at level 1."""
    with zipfile.ZipFile(pfad) as zf:
        teile = [(i, zf.read(i)) for i in zf.infolist()]
    puffer = io.BytesIO()
    with zipfile.ZipFile(puffer, "w") as zout:
        for info, daten in teile:
            art = zipfile.ZIP_STORED if info.filename == teil else zipfile.ZIP_DEFLATED
            zout.writestr(info.filename, daten, compress_type=art, compresslevel=1)
    pfad.write_bytes(puffer.getvalue())


def _teile(daten: bytes) -> dict[str, tuple[bytes, int]]:
    with zipfile.ZipFile(io.BytesIO(daten)) as zf:
        assert zf.testzip() is None
        return {i.filename: (zf.read(i), i.compress_type) for i in zf.infolist()}


def _roh(daten: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(daten)) as zf:
        return {i.filename: wio._rohdaten(zf, i) for i in zf.infolist()}


def test_unchanged_parts_keep_their_bytes_and_new_ones_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pfad = baue_mappe(tmp_path / "m.xlsx")
    _mit_gespeichertem_teil(pfad, "xl/theme/theme1.xml")
    vorher = pfad.read_bytes()
    wio.schreibe_ausgaben(pfad, AUSGABEN, ziel=tmp_path / "roh.xlsx")
    monkeypatch.setattr(wio, "_ROH_MOEGLICH", False)
    wio.schreibe_ausgaben(pfad, AUSGABEN, ziel=tmp_path / "einfach.xlsx")
    roh, einfach = ((tmp_path / n).read_bytes() for n in ("roh.xlsx", "einfach.xlsx"))
    assert _teile(roh) == _teile(einfach)  # same parts, same compression methods
    assert _teile(roh)["xl/theme/theme1.xml"][1] == zipfile.ZIP_STORED
    alt, neu = _roh(vorher), _roh(roh)
    for teil in ("xl/theme/theme1.xml", "docProps/app.xml", "xl/worksheets/sheet1.xml"):
        assert neu[teil] == alt[teil]  # copied as stored, not deflated again


def test_raw_data_is_refused_where_it_cannot_be_copied() -> None:
    puffer = io.BytesIO()
    with zipfile.ZipFile(puffer, "w") as zout:
        zout.writestr("a.xml", b"<a/>" * 100, compress_type=zipfile.ZIP_BZIP2)
        zout.writestr("b.xml", b"<b/>" * 100, compress_type=zipfile.ZIP_DEFLATED)
    daten = puffer.getvalue()
    with zipfile.ZipFile(io.BytesIO(daten)) as zf:
        a, b = zf.infolist()
        assert wio._rohdaten(zf, a) is None
        assert zlib.decompress(wio._rohdaten(zf, b), -15) == b"<b/>" * 100
        b.header_offset += 1  # no local header there
        assert wio._rohdaten(zf, b) is None


def _paket(teile: dict[str, bytes], stufe: int = 6) -> bytes:
    puffer = io.BytesIO()
    with zipfile.ZipFile(puffer, "w", zipfile.ZIP_DEFLATED, compresslevel=stufe) as zout:
        for name, daten in teile.items():
            zout.writestr(name, daten)
    return puffer.getvalue()


def test_an_unchanged_part_is_compared_by_its_bytes_or_piece_by_piece() -> None:
    """Same compressed bytes: equal; otherwise the inflated parts are compared in pieces, so a
    part deflated anew still counts as equal and any changed byte, also past 1 MiB, as changed."""
    gross = b"<a>" + b"<b>x</b>" * 400_000 + b"</a>"
    original = _paket({"t.xml": gross})
    for ergebnis, gleich in [
        (original, True),
        (_paket({"t.xml": gross}, stufe=1), True),
        (_paket({"t.xml": gross[:-9] + b"<b>y</b></a>"}), False),
        (_paket({"t.xml": gross[:2_000_000] + b"z" + gross[2_000_001:]}), False),
        (_paket({"t.xml": gross + b" "}), False),
    ]:
        zo, ze = zipfile.ZipFile(io.BytesIO(original)), zipfile.ZipFile(io.BytesIO(ergebnis))
        assert wio._teil_gleich(zo, ze, "t.xml") is gleich


@pytest.mark.parametrize("kodierung", ["utf-8", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("marke", ["<!DOCTYPE x>", '<!ENTITY a "b">'])
def test_a_dtd_is_seen_while_the_package_inflates_once(kodierung: str, marke: str) -> None:
    """The DTD search rides on the size check's inflating (one pass): any encoding, any place,
    also split across the pieces it sees; a comment or CDATA alone is no DTD."""
    info = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
    text = ("<!-- x --><a><![CDATA[y]]>" + "z" * 5000 + marke + "</a>").encode(kodierung)
    for stueck in (1, 7, 4096, len(text)):
        suche = wio._DtdSuche()
        sieht = suche.leser(info)
        for i in range(0, len(text), stueck):
            sieht(text[i : i + stueck])
        assert suche.gefunden == {info.filename}
    harmlos = wio._DtdSuche()
    harmlos.leser(info)("<!-- x --><a><![CDATA[y]]></a>".encode(kodierung))
    assert harmlos.gefunden == set()
    assert wio._DtdSuche().leser(zipfile.ZipInfo("xl/media/bild.png")) is None


_STUECKE = [b"<", b"!", b"\x00", b"DOCTYPE", b"ENTITY", b"D\x00O\x00", b"x"]
_STUECKE += [m.encode(k) for m in ("<!DOCTYPE", "<!ENTITY") for k in ("utf-8", "utf-16-le", "utf-16-be")]


@given(st.lists(st.sampled_from(_STUECKE) | st.binary(max_size=8), max_size=30))
@example(["<!ENTITY".encode("utf-16-le")])
@example([b"<!", b"<x!"])
def test_the_dtd_marker_search_decides_as_the_full_search(teile: list[bytes]) -> None:
    """The one-byte shortcut ("!" absent: no marker) answers as the search for the six markers."""
    daten = b"".join(teile)
    assert wio._dtd_marke(daten) is any(m in daten for m in wio._DTD_MARKEN)


@pytest.mark.parametrize("anzahl", [0, 1, 2, 3, 40])
def test_a_part_deflated_beside_the_rendering_is_the_same_stream(anzahl: int) -> None:
    """Big parts are deflated by a second thread while the rows are rendered: the same bytes,
    length and CRC as deflating in one go, for any number of pieces."""
    stuecke = [bytes([i % 251]) * (300_000 + i) for i in range(anzahl)]
    gepackt = wio._Gepackt.strom(iter(stuecke))
    ganz = b"".join(stuecke)
    assert zlib.decompress(gepackt.daten, -15) == ganz
    assert (gepackt.laenge, gepackt.crc) == (len(ganz), zlib.crc32(ganz))
    assert b"".join(gepackt.stuecke()) == ganz


def test_an_error_while_rendering_stops_the_deflating_thread() -> None:
    def zeilen():
        yield b"x" * (2 << 20)
        yield b"y" * (2 << 20)
        raise wio.SozbudgetError("Zeile kaputt")

    with pytest.raises(wio.SozbudgetError, match="Zeile kaputt"):
        wio._Gepackt.strom(zeilen())
    import threading

    assert not [t for t in threading.enumerate() if t.name.startswith("sozbudget-zip")]
