"""Helpers for tests that start a LibreOffice with a named UNO pipe (``--accept=pipe,name=…``)."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path


def profil_rohr(profil_uri: str) -> str:
    """The name of the pipe through which a LibreOffice with the profile ``profil_uri`` (as in
    ``-env:UserInstallation``) takes the documents of a second start: „SingleOfficeIPC_“ and the
    MD5 of the URL in UTF-16, each byte in hex without leading zero (LibreOffice's
    ``CreateMD5FromString``)."""
    summe = hashlib.md5(profil_uri.encode("utf-16-le"), usedforsecurity=False).digest()
    return "SingleOfficeIPC_" + "".join(f"{b:x}" for b in summe)


def rohr_aufraeumen(name: str, ordner: Path = Path("/tmp")) -> list[Path]:
    """Remove the socket a LibreOffice left for its UNO pipe ``name`` (``OSL_PIPE_<uid>_<name>``
    in ``/tmp``; a LibreOffice ended with a signal does not remove it). Only sockets of exactly that
    name, for any user id; returns what was removed."""
    weg = []
    for pfad in ordner.glob(f"OSL_PIPE_*_{name}"):
        uid = pfad.name[len("OSL_PIPE_") : -len(name) - 1]
        try:
            if uid.isdigit() and stat.S_ISSOCK(pfad.lstat().st_mode):
                pfad.unlink()
                weg.append(pfad)
        except OSError:
            continue
    return weg
