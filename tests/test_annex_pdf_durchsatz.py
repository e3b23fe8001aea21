"""PDF annexes faster (issue 15, ≥ 15 PDF/s): slim copies for LibreOffice and a seeded profile
(:mod:`sozbudget_xl.pdfwandler`) — same PDF, the user's DOCX untouched."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from sozbudget_xl import annex, pdfbuendel, pdfwandler
from sozbudget_xl.models import kgst

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _styles(*stile: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="{W}">'
        '<w:docDefaults/><w:latentStyles w:count="1"/>' + "".join(stile) + "</w:styles>"
    ).encode()


def _stil(sid: str, *innen: str, typ: str = "paragraph", default: bool = False) -> str:
    d = ' w:default="1"' if default else ""
    return f'<w:style w:type="{typ}"{d} w:styleId="{sid}"><w:name w:val="{sid}"/>{"".join(innen)}</w:style>'


def _ids(styles: bytes) -> set[str]:
    from lxml import etree

    return {s.get(f"{{{W}}}styleId") for s in etree.fromstring(styles).iter(f"{{{W}}}style")}


def test_slim_styles_keep_what_is_reachable_and_the_defaults():
    """Used styles, the defaults and everything they name (basedOn, link, next, a table style's
    paragraph style) stay; styles nothing reaches go; docDefaults and latentStyles stay."""
    alle = _styles(
        _stil("Normal", default=True),
        _stil("Basis"),
        _stil(
            "Ueberschrift", '<w:basedOn w:val="Basis"/>', '<w:next w:val="Folge"/>', '<w:link w:val="UeZ"/>'
        ),
        _stil("Folge"),
        _stil("UeZ", typ="character"),
        _stil("Tab", '<w:pPr><w:pStyle w:val="InTabelle"/></w:pPr>', typ="table"),
        _stil("InTabelle"),
        _stil("Unbenutzt", '<w:basedOn w:val="Basis"/>'),
        _stil("GridTable4", typ="table"),
    )
    schlank = pdfwandler.schlanke_styles(alle, {"Ueberschrift", "Tab", "Fehlt"})
    assert schlank is not None
    assert _ids(schlank) == {"Normal", "Basis", "Ueberschrift", "Folge", "UeZ", "Tab", "InTabelle"}
    assert b"docDefaults" in schlank and b"latentStyles" in schlank
    # nothing to drop, or not a styles part: no copy needed
    assert pdfwandler.schlanke_styles(alle, _ids(alle)) is None
    assert pdfwandler.schlanke_styles(b"<kein/>", set()) is None
    assert pdfwandler.schlanke_styles(b"kaputt <", set()) is None


def _docx(pfad: Path, dokument: str, styles: bytes) -> Path:
    with zipfile.ZipFile(pfad, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", dokument)
        z.writestr("word/styles.xml", styles)
        z.writestr(
            "word/footer1.xml",
            f'<w:ftr xmlns:w="{W}"><w:p><w:pPr><w:pStyle w:val="Fuss"/></w:pPr></w:p></w:ftr>',
        )
    return pfad


STYLES = _styles(_stil("Normal", default=True), _stil("Titel"), _stil("Fuss"), _stil("Anders"), _stil("Nie"))


def test_slim_copy_same_name_user_file_untouched(tmp_path):
    """The copy LibreOffice gets has the same name in the temporary folder, keeps every other part
    byte for byte and the styles the body, footer (any prefix, either quote) use; the DOCX itself
    is unchanged."""
    doc = f"<x:document xmlns:x=\"{W}\"><x:p><x:pPr><x:pStyle x:val='Titel'/></x:pPr></x:p></x:document>"
    quelle = _docx(tmp_path / "Anlage.docx", doc, STYLES)
    vorher = quelle.read_bytes()
    (tmp_path / "kopien").mkdir()
    [kopie] = pdfwandler.schlanke_kopien([quelle], tmp_path / "kopien")
    assert kopie == tmp_path / "kopien" / "Anlage.docx"
    assert quelle.read_bytes() == vorher
    with zipfile.ZipFile(kopie) as k, zipfile.ZipFile(quelle) as q:
        assert k.namelist() == q.namelist()
        assert all(k.read(n) == q.read(n) for n in q.namelist() if n != "word/styles.xml")
        assert _ids(k.read("word/styles.xml")) == {"Normal", "Titel", "Fuss"}


@pytest.mark.parametrize(
    "body",
    [
        '<w:r><w:instrText xml:space="preserve"> STYLEREF "Anders" </w:instrText></w:r>',
        '<w:r><w:instrText xml:space="preserve"> STYLE</w:instrText></w:r>'
        "<w:r><w:instrText>REF Anders</w:instrText></w:r>",
        '<w:fldSimple w:instr=" TOC \\t &quot;Anders;1&quot; "/>',
        '<w:altChunk r:id="rId9"/>',
        '<w:pPr><w:pStyle w:val="A&amp;B"/></w:pPr>',
    ],
)
def test_fields_that_find_styles_by_name_keep_the_original(tmp_path, body):
    """A field that finds text by style name (even split over runs), an embedded document, or a
    style id with an entity: that document is converted as it is, nothing is copied."""
    doc = f'<w:document xmlns:w="{W}" xmlns:r="r"><w:body><w:p>{body}</w:p></w:body></w:document>'
    quelle = _docx(tmp_path / "Anlage.docx", doc, STYLES)
    (tmp_path / "kopien").mkdir()
    assert pdfwandler.schlanke_kopien([quelle], tmp_path / "kopien") == [quelle]
    assert not list((tmp_path / "kopien").iterdir())


def test_not_a_docx_or_too_large_keeps_the_original(tmp_path, monkeypatch):
    """A file that is no zip (LibreOffice reports it then), or one larger unpacked than
    MAX_GROESSE, is passed on unchanged."""
    quelle = tmp_path / "kaputt.docx"
    quelle.write_bytes(b"kein zip")
    gross = _docx(tmp_path / "gross.docx", f'<w:document xmlns:w="{W}"/>', STYLES)
    (tmp_path / "k").mkdir()
    assert pdfwandler.schlanke_kopien([quelle, gross], tmp_path / "k") == [
        quelle,
        tmp_path / "k" / "gross.docx",
    ]
    monkeypatch.setattr(pdfwandler, "MAX_GROESSE", 100)
    assert pdfwandler.schlanke_kopien([gross], tmp_path / "k2") == [gross]


def test_profile_is_seeded_with_the_seen_version(tmp_path):
    """The throw-away profile records a version above every real one as seen."""
    profil = pdfwandler.lo_profil(tmp_path / "p")
    text = (profil / "user" / "registrymodifications.xcu").read_text(encoding="utf-8")
    assert 'oor:path="/org.openoffice.Setup/Product"' in text and "ooSetupLastVersion" in text
    assert "<value>99.9</value>" in text


def _soffice() -> str:
    soffice = annex._soffice()
    if soffice is None:
        pytest.skip("LibreOffice (soffice) nicht installiert")
    return soffice


def _anlagen(ordner: Path, n: int) -> list[Path]:
    result = kgst.berechne(*kgst.beispiel())
    ordner.mkdir()
    return [
        annex.render_docx(annex.kontext(result, v), ordner / annex.dateiname(v, "docx"))
        for v in annex.vertraege(result, jugendamt="Jugendamt Musterstadt")[:n]
    ]


@pytest.mark.libreoffice
def test_seeded_profile_skips_the_graphics_self_test(tmp_path):
    """With the seeded profile LibreOffice does not run its graphics self-test (its log stays
    absent); with an empty one it does — the saving is real, the PDF still comes."""
    soffice = _soffice()
    [docx] = _anlagen(tmp_path / "docx", 1)
    for name, seeded in (("leer", False), ("gesaet", True)):
        profil = tmp_path / name
        profil.mkdir()
        if seeded:
            pdfwandler.lo_profil(profil)
        aus = tmp_path / f"pdf-{name}"
        subprocess.run(annex._pdf_befehl(soffice, profil, str(aus), [docx]), capture_output=True, timeout=180)
        assert (aus / (docx.stem + ".pdf")).is_file()
        assert (profil / "user" / "GraphicsRenderTests.log").exists() is not seeded


def _bilder(pdf: Path, ziel: Path) -> list[bytes]:
    ziel.mkdir()
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(ziel / "s")], check=True)
    return [p.read_bytes() for p in sorted(ziel.glob("*.png"))]


@pytest.mark.libreoffice
def test_pdf_from_slim_copy_is_pixel_identical(tmp_path, monkeypatch):
    """The annexes converted the fast way (slim copies, seeded profile, jemalloc where the system
    has it) look exactly like those converted from the DOCX as it is with a plain profile and
    LibreOffice's own allocator: every page, pixel for pixel, and the same text. The DOCX files
    stay as rendered."""
    _soffice()
    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftoppm, pdftotext) nicht installiert")
    monkeypatch.setattr(pdfbuendel, "zusammenfuegen", lambda q, z: None)  # each annex on its own
    docx = _anlagen(tmp_path / "docx", 2)
    vorher = [d.read_bytes() for d in docx]
    kopien: list[Path] = []
    echt = pdfwandler.schlanke_kopien
    monkeypatch.setattr(pdfwandler, "schlanke_kopien", lambda q, o: kopien.extend(echt(q, o)) or kopien)
    (tmp_path / "schnell").mkdir()
    schnell = annex.render_pdfs(docx, tmp_path / "schnell")
    assert [k.parent for k in kopien] != [d.parent for d in docx]  # the copies were converted
    monkeypatch.setattr(pdfwandler, "schlanke_kopien", lambda q, o: list(q))
    monkeypatch.setattr(pdfwandler, "lo_profil", Path)
    monkeypatch.setattr(pdfwandler, "lo_umgebung", lambda: dict(os.environ, SOZBUDGET_LO_JEMALLOC="0"))
    (tmp_path / "wie_vorher").mkdir()
    langsam = annex.render_pdfs(docx, tmp_path / "wie_vorher")
    assert [d.read_bytes() for d in docx] == vorher
    for i, (a, b) in enumerate(zip(schnell, langsam, strict=True)):
        seiten = _bilder(a, tmp_path / f"a{i}")
        assert len(seiten) >= 1 and seiten == _bilder(b, tmp_path / f"b{i}")
        text = [
            subprocess.run(["pdftotext", str(p), "-"], capture_output=True, check=True).stdout for p in (a, b)
        ]
        assert text[0] == text[1] and "Vertragsanlage" in text[0].decode()


def test_jemalloc_is_added_after_what_the_user_preloads(tmp_path, monkeypatch):
    """jemalloc goes to the end of ``LD_PRELOAD`` (an allocator the user preloads wins), once;
    nothing is added without the library or when switched off; the caller's dict stays as it is."""
    lib = tmp_path / "libjemalloc.so.2"
    assert pdfwandler.jemalloc([tmp_path]) is None
    lib.write_bytes(b"")
    assert pdfwandler.jemalloc([tmp_path / "fehlt", tmp_path]) == lib
    basis = {"PATH": "/bin"}
    env = pdfwandler.lo_umgebung(basis, bibliothek=lib)
    assert env == {"PATH": "/bin", "LD_PRELOAD": str(lib)} and basis == {"PATH": "/bin"}
    eigene = {"LD_PRELOAD": "/x/libtcmalloc.so:/y/a.so"}
    assert pdfwandler.lo_umgebung(eigene, bibliothek=lib)["LD_PRELOAD"] == f"/x/libtcmalloc.so /y/a.so {lib}"
    for schon_da in (str(lib), "/opt/jemalloc/lib/libjemalloc.so.2", "libjemalloc.so.2"):
        env = pdfwandler.lo_umgebung({"LD_PRELOAD": schon_da}, bibliothek=lib)
        assert env["LD_PRELOAD"] == schon_da
    aus = {"SOZBUDGET_LO_JEMALLOC": " 0 "}
    assert "LD_PRELOAD" not in pdfwandler.lo_umgebung(aus, bibliothek=lib)
    monkeypatch.setattr(pdfwandler, "jemalloc", lambda ordner=None: None)
    assert pdfwandler.lo_umgebung({"PATH": "/bin"}) == {"PATH": "/bin"}


@pytest.mark.libreoffice
def test_libreoffice_runs_with_jemalloc_where_the_system_has_it(tmp_path, monkeypatch):
    """Where the system has jemalloc (``.ci/run`` installs libjemalloc2), the LibreOffice of a PDF
    batch is started with it preloaded, and the loader really maps it (no „cannot be preloaded“)."""
    _soffice()
    lib = pdfwandler.jemalloc()
    if lib is None:
        pytest.skip("libjemalloc2 nicht installiert (.ci/run installiert es)")
    umgebungen: list[dict[str, str]] = []
    popen = annex.subprocess.Popen
    monkeypatch.setattr(
        annex.subprocess, "Popen", lambda b, **kw: umgebungen.append(kw["env"]) or popen(b, **kw)
    )
    (tmp_path / "pdf").mkdir()
    [pdf] = annex.render_pdfs(_anlagen(tmp_path / "docx", 1), tmp_path / "pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert [e["LD_PRELOAD"].split()[-1] for e in umgebungen] == [str(lib)]
    karte = subprocess.run(["cat", "/proc/self/maps"], env=umgebungen[0], capture_output=True, check=True)
    assert lib.name.encode() in karte.stdout and b"preloaded" not in karte.stderr


def test_group_sizes_add_up_and_earlier_groups_are_larger():
    """All documents are in exactly one group; a group started while more are rendered gets more
    (each ``vorlauf`` times the next), with all files present the groups are equal."""
    for n in (1, 2, 3, 24, 100, 1001):
        for k in (1, 2, 3, 4):
            if k > n:
                continue
            g = annex._gruppengroessen(n, k, annex.PDF_VORLAUF)
            assert sum(g) == n and len(g) == k and min(g) >= 1
    assert annex._gruppengroessen(100, 2, 1.15) == [53, 47]
    assert annex._gruppengroessen(100, 2, 1.0) == [50, 50]
    assert annex._gruppengroessen(100, 4, 1.15) == [30, 26, 23, 21]
    assert annex._gruppengroessen(3, 2, 1.15) == [2, 1]
    assert annex._gruppengroessen(4, 4, 3.0) == [1, 1, 1, 1]


def _zwei_prozesse(monkeypatch) -> list[str]:
    """Two LibreOffice processes for the three contracts of the KGSt example; a log of events
    (``start`` and the files LibreOffice is given)."""
    monkeypatch.setattr(annex, "PDF_JE_PROZESS", 1)
    monkeypatch.setattr(annex.os, "cpu_count", lambda: 2)
    protokoll: list[str] = []
    popen, docx = annex.subprocess.Popen, annex.render_docx
    monkeypatch.setattr(
        annex.subprocess,
        "Popen",
        lambda befehl, **kw: (
            protokoll.append(f"start {' '.join(Path(b).name for b in befehl[9:])}") or popen(befehl, **kw)
        ),
    )
    monkeypatch.setattr(annex, "render_docx", lambda *a, **kw: protokoll.append("docx") or docx(*a, **kw))
    return protokoll


@pytest.mark.libreoffice
def test_libreoffice_starts_while_later_annexes_are_rendered(tmp_path, monkeypatch):
    """Through alle_anlagen the first LibreOffice process starts as soon as its group of DOCX
    files is written, before the last annex is rendered — the group of two as one document
    (:mod:`sozbudget_xl.pdfbuendel`), the last annex alone; every PDF arrives, no temporary
    folder stays behind."""
    _soffice()
    protokoll = _zwei_prozesse(monkeypatch)
    result = kgst.berechne(*kgst.beispiel())
    vs = annex.vertraege(result, jugendamt="Jugendamt Musterstadt")
    dateien = annex.alle_anlagen(result, vs, tmp_path, formate=("pdf",))
    docx = [d.name for d in dateien if d.suffix == ".docx"]
    assert protokoll == ["docx", "docx", "start anlagen-0.docx", "docx", f"start {docx[2]}"]
    pdfs = [d for d in dateien if d.suffix == ".pdf"]
    assert [p.stem for p in pdfs] == [d.stem for d in dateien if d.suffix == ".docx"]
    assert len(pdfs) == 3 and all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(d.name for d in dateien)


def _lebende_in_gruppe(gruppe: int) -> list[int]:
    """Processes of a process group that still run (zombies are dead; Linux /proc)."""
    lebend = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            felder = annex._stat_felder(stat.read_bytes())
        except OSError:
            continue
        if int(felder[2]) == gruppe and felder[0] != b"Z":
            lebend.append(int(stat.parent.name))
    return lebend


@pytest.mark.libreoffice
def test_error_while_rendering_ends_libreoffice_and_leaves_nothing(tmp_path, monkeypatch):
    """If an annex fails after LibreOffice has started on the first ones, the German error comes
    through, every LibreOffice process (with its soffice.bin) is ended, no PDF and no temporary
    folder remains."""
    _soffice()
    _zwei_prozesse(monkeypatch)
    gestartet: list = []
    popen = annex.subprocess.Popen
    monkeypatch.setattr(
        annex.subprocess, "Popen", lambda *a, **kw: gestartet.append(popen(*a, **kw)) or gestartet[-1]
    )
    docx, aufrufe = annex.render_docx, []

    def dritte_scheitert(*a, **kw):
        aufrufe.append(1)
        if len(aufrufe) == 3:
            raise annex.AnnexFehler("Vorlage kaputt")
        return docx(*a, **kw)

    monkeypatch.setattr(annex, "render_docx", dritte_scheitert)
    result = kgst.berechne(*kgst.beispiel())
    vs = annex.vertraege(result, jugendamt="Jugendamt Musterstadt")
    with pytest.raises(annex.AnnexFehler, match="Vorlage kaputt"):
        annex.alle_anlagen(result, vs, tmp_path, formate=("pdf",))
    assert len(gestartet) == 1 and gestartet[0].poll() is not None
    assert _lebende_in_gruppe(gestartet[0].pid) == []  # soffice.bin included, not only oosplash
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".~*"))


def test_docx_and_html_need_no_libreoffice(tmp_path, monkeypatch):
    """Without LibreOffice, DOCX and HTML annexes are still written (only PDF needs it), and PDF
    fails with the German hint before any file is written."""
    monkeypatch.setattr(annex, "_soffice", lambda: None)
    result = kgst.berechne(*kgst.beispiel())
    vs = annex.vertraege(result, jugendamt="Jugendamt Musterstadt")
    (tmp_path / "a").mkdir()
    dateien = annex.alle_anlagen(result, vs, tmp_path / "a")
    assert sorted(d.suffix for d in dateien) == [".docx"] * 3 + [".html"] * 3
    (tmp_path / "b").mkdir()
    with pytest.raises(annex.AnnexFehler, match="LibreOffice"):
        annex.alle_anlagen(result, vs, tmp_path / "b", formate=("pdf",))
    assert not list((tmp_path / "b").iterdir())


def _bis_zombie(pid: int) -> None:
    """Wait until the ended child ``pid`` is a zombie (not yet reaped)."""
    for _ in range(500):
        stat = Path(f"/proc/{pid}/stat").read_bytes()
        if annex._stat_felder(stat)[0] == b"Z":
            return
        time.sleep(0.01)
    raise AssertionError("child did not end")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_a_group_of_zombies_counts_as_ended():
    """Issue 15: LibreOffice leaves its gpg/gpgconf children for process 1 to reap — in a
    container that took ≈ 1 s, which the PDF command waited at its end (one contract 2,8 s
    instead of 1,4 s). A zombie runs and writes nothing: the wait ends, the group still
    "exists" for ``killpg``."""
    kind = subprocess.Popen([sys.executable, "-c", "pass"], start_new_session=True)
    try:
        _bis_zombie(kind.pid)
        os.killpg(kind.pid, 0)  # the group is still there: a plain killpg loop would wait
        assert annex._lebende_in_gruppe(kind.pid) is False
        t = time.monotonic()
        annex._warte_bis_gruppe_leer(kind.pid, 5.0)
        assert time.monotonic() - t < 1.0
    finally:
        kind.wait()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_a_running_group_is_waited_for():
    kind = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"], start_new_session=True)
    try:
        assert annex._lebende_in_gruppe(kind.pid) is True
        t = time.monotonic()
        annex._warte_bis_gruppe_leer(kind.pid, 0.3)  # runs all the time: waits the whole term
        assert time.monotonic() - t >= 0.3
    finally:
        kind.kill()
        kind.wait()


def test_group_read_from_proc_names_with_spaces_and_parentheses(tmp_path):
    """The name in ``stat`` stands in parentheses and may itself hold „) “: the fields are read
    after the last one."""

    def prozess(pid: int, name: str, zustand: str, gruppe: int) -> None:
        (tmp_path / str(pid)).mkdir()
        stat = f"{pid} ({name}) {zustand} 1 {gruppe} {gruppe} 0 -1 4194560\n"
        (tmp_path / str(pid) / "stat").write_text(stat)

    prozess(10, "a) S 1 77 77", "Z", 77)
    prozess(11, "soffice.bin", "Z", 77)
    (tmp_path / "self").mkdir()
    assert annex._lebende_in_gruppe(77, str(tmp_path)) is False
    prozess(12, "x (y)", "S", 77)
    assert annex._lebende_in_gruppe(77, str(tmp_path)) is True
    assert annex._lebende_in_gruppe(78, str(tmp_path)) is False
    assert annex._lebende_in_gruppe(77, str(tmp_path / "fehlt")) is None


def test_left_uno_sockets_of_exactly_that_name_are_removed(tmp_path):
    """The test helper removes the socket a killed LibreOffice left for its UNO pipe — only sockets
    of exactly that name (any user id), never a file or another pipe's socket."""
    import socket

    from .libreoffice_hilfe import rohr_aufraeumen

    def sockel(name: str) -> Path:
        with socket.socket(socket.AF_UNIX) as s:
            s.bind(str(tmp_path / name))
        return tmp_path / name

    weg = [sockel("OSL_PIPE_0_rohr_1"), sockel("OSL_PIPE_65534_rohr_1")]
    bleibt = [sockel("OSL_PIPE_0_rohr_12"), sockel("OSL_PIPE_0_x_rohr_1"), tmp_path / "OSL_PIPE_1_rohr_1"]
    bleibt[-1].write_text("keine Steckdose")
    assert sorted(rohr_aufraeumen("rohr_1", tmp_path)) == sorted(weg)
    assert not any(p.exists() for p in weg) and all(p.exists() for p in bleibt)


@pytest.mark.libreoffice
def test_the_pipe_of_a_profile_is_named_as_libreoffice_names_it(tmp_path):
    """The helper computes the name of the pipe a LibreOffice with a given profile opens (so a
    test can remove it after a kill): the socket appears under that name and is gone after it."""
    from .libreoffice_hilfe import profil_rohr, rohr_aufraeumen

    soffice = _soffice()
    profil = pdfwandler.lo_profil(tmp_path / "profil")
    rohr = profil_rohr(profil.as_uri())
    lo = subprocess.Popen(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation={profil.as_uri()}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        ende = time.monotonic() + 60
        while not list(Path("/tmp").glob(f"OSL_PIPE_*_{rohr}")) and time.monotonic() < ende:
            time.sleep(0.05)
        assert list(Path("/tmp").glob(f"OSL_PIPE_*_{rohr}"))
    finally:
        os.killpg(lo.pid, 9)
        lo.wait()
        annex._warte_bis_gruppe_leer(lo.pid, 10)
    assert rohr_aufraeumen(rohr) and not list(Path("/tmp").glob(f"OSL_PIPE_*_{rohr}"))
