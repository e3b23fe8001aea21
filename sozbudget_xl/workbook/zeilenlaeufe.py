"""Rendering the body rows of an output sheet a run at a time, byte-equal to one row at a time.

:meth:`io._Renderer.zeile` renders one ``<row>``: per cell a type test, a reference, a style
lookup, the digest's streams and the column width — about 0.8 µs a cell, the largest single step
of a big recalc. Most rows of a big sheet are body rows alike: no row kind, the same height, the
same number formats and in each column the same type (a text, an ``int``, a ``float`` or
nothing). Such a run is rendered here a column at a time (checks and conversions as list
operations, each distinct text once) and a row at a time by one ``%`` formatting of a template;
the digest's streams are fed each run's items joined, in row order.

Everything else goes the general way, and so does a run where the order of events would matter —
a style not used yet (styles are numbered in the order they are first used), a number out of
range or a text that cannot be written (the first error names its cell), a wrapped cell:
:func:`lauf_xml` then answers None, having changed nothing the general way would not, and the run
is rendered row by row. Errors, styles, widths, digest and bytes are the same either way.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Collection, Iterator, Mapping, Sequence
from itertools import chain, repeat
from typing import Any

from ..errors import SozbudgetError
from . import schutz

#: rows rendered at a time at most (a run is one piece for the packer; memory stays small)
LAUF_MAX = 512
#: fewer alike rows than this are rendered one by one (a run's set-up costs about as much)
LAUF_MIN = 8
_TEXT, _ZAHL, _LEER = {str}, frozenset((int, float)), {type(None)}
#: a text cell's XML after its style attribute: its space attribute and its escaped text
TEXTZELLE = ' t="inlineStr"><is><t%s>%s</t></is></c>'

#: (column, template piece, the values it is formatted with, "t"/"n", width in characters, the
#: values for the digest: converted texts or floats)
_Spalte = tuple[int, str, list[str], str, int, list[Any]]


def zeilen(
    r: Any, quelle: Sequence[Sequence[Any]], arten: Mapping[int, Any], umbruch_ab: float
) -> Iterator[bytes]:
    """The ``<row>`` elements of ``quelle`` (row kinds ``arten`` by 0-based index) as
    :meth:`io._Renderer.zeile` renders them, in order; a run of body rows alike in height and
    number formats as one piece where its cells allow (:func:`_ausgeben`)."""
    hoehen, zf = r.hoehen, r.zellformate
    if hasattr(zf, "codes"):  # schema.Zellformate: equal rows share one tuple of codes
        kennung = zf.codes
    elif not zf:
        kennung = _keine
    else:
        kennung = lambda i: tuple(r.formate_der_zeile(i))  # noqa: E731
    lauf: list[Sequence[Any]] = []
    start, schluessel = 0, None
    for i, zeile in enumerate(quelle):
        art = arten.get(i)
        neu = None if art is not None else (i in hoehen, kennung(i))
        if lauf and (neu is None or neu != schluessel or len(lauf) >= LAUF_MAX):
            yield from _ausgeben(r, start, lauf, schluessel[0], umbruch_ab)
            lauf = []
        if neu is None:
            yield r.zeile(i + 1, zeile, art)
            continue
        if not lauf:
            start, schluessel = i, neu
        lauf.append(zeile)
    if lauf:
        yield from _ausgeben(r, start, lauf, schluessel[0], umbruch_ab)  # type: ignore[index]


def _keine(_: int) -> None:
    return None


def _ausgeben(
    r: Any, start: int, lauf: list[Sequence[Any]], hoch: bool, umbruch_ab: float, geteilt: bool = False
) -> Iterator[bytes]:
    """The rows ``lauf`` (the first at 0-based index ``start``): together where they are enough
    and alike (:func:`lauf_xml`), else those alike in their cells' types together (``geteilt``:
    they are), the rest one by one."""
    if len(lauf) >= LAUF_MIN:
        # the first row the general way: it makes the styles such rows need, in the general order
        yield r.zeile(start + 1, lauf[0], None)
        start, lauf = start + 1, lauf[1:]
        xml = lauf_xml(r, start, lauf, hoch, r.formate_der_zeile(start), umbruch_ab)
        if xml is not None:
            yield xml
            return
        if not geteilt:
            yield from _nach_typen(r, start, lauf, hoch, umbruch_ab)
            return
    for z, zeile in enumerate(lauf, start=start + 1):
        yield r.zeile(z, zeile, None)


def _nach_typen(
    r: Any, start: int, lauf: list[Sequence[Any]], hoch: bool, umbruch_ab: float
) -> Iterator[bytes]:
    """:func:`_ausgeben` of the stretches of ``lauf`` whose rows have cells of the same types."""
    von = 0
    typen = [tuple(map(type, zeile)) for zeile in lauf]
    for bis in range(1, len(lauf) + 1):
        if bis == len(lauf) or typen[bis] != typen[von]:
            yield from _ausgeben(r, start + von, lauf[von:bis], hoch, umbruch_ab, geteilt=True)
            von = bis


def lauf_xml(
    r: Any, start: int, lauf: Sequence[Sequence[Any]], hoch: bool, formate: Sequence[str | None],
    umbruch_ab: float,
) -> bytes | None:  # fmt: skip
    """The body rows ``lauf`` (0-based index of the first: ``start``; ``hoch``: made taller;
    number formats ``formate``) rendered together, the widths and the digest updated as
    :meth:`io._Renderer.zeile` does; None where the run needs the general way (then nothing is
    changed that the general way would not change alike): its rows differ in length, or a column
    holds anything but texts, numbers (``int``, ``float``) or nothing, or a mix of these kinds."""
    if not lauf or len(set(map(len, lauf))) != 1:
        return None
    zs = [str(z) for z in range(start + 1, start + 1 + len(lauf))]
    teile: list[_Spalte] = []
    for s, spalte in enumerate(zip(*lauf)):
        typen = set(map(type, spalte))
        if typen == _TEXT:
            teil = _textspalte(r, s, spalte, start, hoch, zs, umbruch_ab)
        elif typen <= _ZAHL:
            teil = _zahlspalte(r, s, spalte, typen, hoch, formate[s])
        elif typen == _LEER:
            continue
        else:
            return None
        if teil is None:
            return None
        teile.append(teil)
    if not teile:
        return None
    _streams(r, zs, teile)
    if r.messen:
        breiten = r.breiten
        for s, _, _, _, laenge, _ in teile:
            breite = min(laenge * 1.0 + 2, umbruch_ab)
            if breite > breiten[s]:
                breiten[s] = breite
    vorlage = ['<row r="%s"', ' ht="%s" customHeight="1">' if hoch else ">"]
    argumente: list[Sequence[str]] = [zs]
    if hoch:
        argumente.append([f"{r.hoehen[z]:g}" for z in range(start, start + len(lauf))])
    for s, stueck, werte, _, _, _ in teile:
        vorlage.append(f'<c r="{r.buchstaben[s]}%s"{stueck}')
        argumente += (zs, werte)
    vorlage.append("</row>")
    form = "".join(vorlage)
    return "".join([form % t for t in zip(*argumente)]).encode()


def _textspalte(
    r: Any, s: int, spalte: Sequence[str], start: int, hoch: bool, zs: list[str], umbruch_ab: float
) -> _Spalte | None:
    textstile = r.textzeilenstile.setdefault((None, hoch), {})
    flags = r.umbruch_spalten()[s]
    umbrochen = flags is not None and 1 in flags[start : start + len(spalte)]
    verschieden = set(spalte)
    if schlicht(verschieden):  # each text is its cell text: the XML around it is the same
        laengen = list(map(len, verschieden))
        # long texts wrap, and so do short ones in a cell marked wrapped
        arten = {True} if max(laengen) > umbruch_ab or umbrochen else set()
        if min(laengen) <= umbruch_ab:
            arten.add(False)
        stile = {_textstil(r, textstile, lang, hoch) for lang in arten}
        if len(stile) == 1 and None not in stile:  # one style for all (else cell by cell below)
            stueck = stile.pop().replace("%", "%%") + TEXTZELLE % ("", "%s")
            return s, stueck, spalte, "t", max(laengen), spalte  # type: ignore[return-value]
    texte = r.texte
    if fehlend := verschieden.difference(texte):
        try:  # converted in row order: a text that cannot be written is left to the general way
            for j, wert in enumerate(spalte):
                if wert in fehlend and wert not in texte:
                    r.text(wert, r.buchstaben[s] + zs[j])
        except SozbudgetError:
            return None
    stuecke: dict[str, str] = {}
    laenge = 0
    for wert in verschieden:
        _, _, lang, breite, _, rest = texte[wert]
        stil = _textstil(r, textstile, lang, hoch)
        # a wrapped cell is styled as a long text: where that differs, cell by cell
        if stil is None or (umbrochen and not lang and stil != _textstil(r, textstile, True, hoch)):
            return None
        stuecke[wert] = stil + rest  # an argument of the template: not escaped
        laenge = max(laenge, breite)
    gewandelt = [texte[w][0] for w in spalte]
    return s, "%s", list(map(stuecke.__getitem__, spalte)), "t", laenge, gewandelt


def schlicht(texte: Collection[str]) -> bool:
    """Whether each of ``texte`` is its own cell text, on one line: printable (no control
    character, none XML cannot hold, no line break, no white space but the ASCII space), no
    character escaped (``&<>``), no ``_x`` escape and no space at either end. Then
    :func:`io._zelltext` keeps it and :func:`io._texteintrag` gives ``(text, text, long, len(text),
    "", …)``, long when it has more characters than a column is wide. A few passes at C speed over
    all of them (``_x`` is looked for also across two texts: a false alarm takes the general way)."""
    alle = "".join(texte)
    if not alle.isprintable() or "_x" in alle or "&" in alle or "<" in alle or ">" in alle:
        return False
    if " " in alle:  # a space at either end of one
        getrennt = "\n".join(texte)
        if getrennt[:1] == " " or getrennt[-1:] == " " or "\n " in getrennt or " \n" in getrennt:
            return False
    return True


def _textstil(r: Any, textstile: dict[bool, str], lang: bool, hoch: bool) -> str | None:
    """The style attribute of a (long) text in a body row, or None while it is not used yet: the
    general way numbers styles in the order they are first used. Known already where a row made
    taller wraps every text (the same attribute for both): then taken as the general way would."""
    stil = textstile.get(lang)
    if stil is None:
        stil = r.gemachter_stil(None, None, lang or hoch)
        if stil is not None:
            textstile[lang] = stil
    return stil


def _zahlspalte(
    r: Any, s: int, spalte: Sequence[Any], typen: set[type], hoch: bool, code: str | None
) -> _Spalte | None:
    if float in typen and not all(map(math.isfinite, spalte)):
        return None
    if not (min(spalte) > -schutz.MAX_ZAHL and max(spalte) < schutz.MAX_ZAHL):
        return None  # the general way writes or refuses it
    stil = r.zeilenstil(None, hoch).get(code)
    if stil is None:
        return None
    if float not in typen:
        werte, zahlen = list(map(str, spalte)), list(map(float, spalte))
    elif int not in typen:
        zahlen = [w + 0.0 for w in spalte]  # -0.0 → 0.0
        werte = [str(int(f)) if f.is_integer() else repr(f) for f in zahlen]
    else:
        zahlen = [w + 0.0 for w in spalte]
        werte = [
            str(w) if type(w) is int else str(int(f)) if f.is_integer() else repr(f)
            for w, f in zip(spalte, zahlen, strict=True)
        ]
    laenge = 16 if code and "€" in code else max(map(len, werte)) + 4
    stueck = stil.replace("%", "%%") + "><v>%s</v></c>"
    return s, stueck, werte, "n", laenge, zahlen  # type: ignore[return-value]


def _streams(r: Any, zs: list[str], teile: list[_Spalte]) -> None:
    """The digest's streams of the run's cells, in row order (:class:`io._Zellstroeme`): what is
    pending fed first, then the run's items joined at once (a row's references by one template)."""
    p, buchstaben = r.pruef, r.buchstaben
    p.leeren()
    pruef = p.pruef
    pruef.verbunden(pruef.REFS, _referenzen(zs, [buchstaben[t[0]] for t in teile]))
    for art, refs, werte in (("n", pruef.ZREFS, pruef.ZAHLEN), ("t", pruef.TREFS, pruef.TEXTE)):
        von = [t for t in teile if t[3] == art]
        if not von:
            continue
        pruef.verbunden(refs, _referenzen(zs, [buchstaben[t[0]] for t in von]))
        alle = von[0][5] if len(von) == 1 else list(chain.from_iterable(zip(*(t[5] for t in von))))
        if art == "n":
            pruef.zahlen(array("d", alle))
        else:
            pruef.verbunden(werte, "\x1f".join(alle).encode())


def _referenzen(zs: list[str], buchstaben: list[str]) -> bytes:
    """The references of the cells of these columns in these rows, row by row, joined by U+001F."""
    if not zs or not buchstaben:
        return b""
    if len(buchstaben) == 1:
        b = buchstaben[0]
        return (b + ("\x1f" + b).join(zs)).encode()
    # each row's references: the row number put in for the marker (no column letter or row number
    # holds U+0000) — one C call per row instead of a formatting with one argument per column
    form = "\x1f".join(b + "\x00" for b in buchstaben)
    return "\x1f".join(map(form.replace, repeat("\x00", len(zs)), zs)).encode()
