"""Writing results: atomically, so a failed run never leaves a partial or corrupted file.

A replaced file keeps its permission bits; a new file gets what the umask allows (as
``open`` would give it), not the 0600 of a temporary file: a web server must be able to
serve a page, a colleague to read an article.
"""

from __future__ import annotations

import os
import stat
import tempfile
import threading
from pathlib import Path

_UMASK_LOCK = threading.Lock()


def current_umask() -> int:
    """The process umask (read without changing it where the system allows)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    with _UMASK_LOCK:  # elsewhere: set and put back, under a lock for threads
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def file_mode_for(path: Path) -> int:
    """The mode a write to ``path`` should leave: the existing file's, else 0666 & ~umask."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return 0o666 & ~current_umask()


def write_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` to ``path`` through a temporary file in the same folder + rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = file_mode_for(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def refuse_inputs(target: str | Path, inputs: list[str | Path] | tuple[str | Path, ...]) -> None:
    """Raise :class:`OutputIsInput` when ``target`` is one of ``inputs`` (same file)."""
    target = Path(target)
    for given in inputs:
        source = Path(given)
        try:
            same = target.exists() and source.exists() and os.path.samefile(target, source)
        except OSError:
            same = False
        if same or target.resolve(strict=False) == source.resolve(strict=False):
            raise OutputIsInput(
                f"{target} : refus d’écrire sur une entrée de la commande ({given}) ; "
                "choisissez un autre fichier de sortie"
            )


def refuse_article(target: str | Path) -> None:
    """Raise :class:`OutputIsInput` when ``target`` is an existing article file (a page or
    an export must never replace one)."""
    target = Path(target)
    try:
        with open(target, encoding="utf-8", errors="replace") as handle:
            head = handle.read(200_000)
    except OSError:
        return
    if "<!-- lw:" in head:
        raise OutputIsInput(
            f"{target} : refus d’écrire sur un fichier d’article ; choisissez un autre fichier"
        )


class WriteRefused(Exception):
    """A write refused before anything was written (exit 2); ``str()`` is one line."""


class OutputIsInput(WriteRefused):
    """The output path names an input file."""


MAX_NAME_BYTES = 255  # a file name, on every common file system


def check_output_path(path: Path | None, *, folder: bool = False) -> None:
    """Refuse, before any work is done, an output path that can never be written: a
    folder given for a file (``-o ""`` is the current folder), a file for a folder, a
    name over 255 bytes."""
    from laureate_writer.loading import NOT_REGULAR, InputError

    if path is None:
        return
    name = str(path)
    if any(len(part.encode()) > MAX_NAME_BYTES for part in path.parts):
        short = name[:60] + "…"
        raise InputError.single(short, f"nom de fichier de plus de {MAX_NAME_BYTES} octets")
    if not folder and (path.is_dir() or name in ("", ".")):
        raise InputError.single(name, "est un répertoire ; donnez un nom de fichier à écrire")
    if folder and path.exists() and not path.is_dir():
        raise InputError.single(name, "n’est pas un répertoire")
    if not folder and path.exists() and not path.is_file():
        raise InputError.single(name, NOT_REGULAR)
