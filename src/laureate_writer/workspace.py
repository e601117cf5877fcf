"""The workspace: the one folder the plugin, the LangChain tools and the chat may touch.

Every path a tool receives comes from a model or a remote client, so it is untrusted:
it is resolved inside the workspace folder or refused — no ``..`` component, no absolute
path outside the folder, no symbolic link leading out of it (the *resolved* path must
still be inside), no NUL byte, no overlong name. Texts and instructions have size limits,
and so have the files read.

>>> ws = Workspace("/srv/newsroom")                       # doctest: +SKIP
>>> ws.resolve("2020/brest.yaml")                          # doctest: +SKIP
PosixPath('/srv/newsroom/2020/brest.yaml')
>>> ws.resolve("../etc/passwd")                            # doctest: +SKIP
Traceback (most recent call last):
WorkspaceError: '../etc/passwd': '..' is not allowed in a workspace path
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath, PureWindowsPath

from laureate_writer.loading import MAX_FILE_BYTES

MAX_PATH_CHARS = 512
MAX_SECTION_CHARS = 12_000  # one section's text (a write-up is a few thousand characters)
MAX_INTERTITLE_CHARS = 200
MAX_INSTRUCTION_CHARS = 2_000
MAX_LISTED = 500  # files listed per kind
DOSSIER_SUFFIXES = (".yaml", ".yml", ".json")
ARTICLE_SUFFIXES = (".md",)
PAGE_SUFFIXES = (".md", ".html", ".htm")
SKIPPED_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", ".cache"}


class WorkspaceError(Exception):
    """A refused path or input; the message is safe to show to a user or a model."""


# What a path or a text is, as messages name it for people (callers pass identifiers)
_WHAT = {
    "file": "fichier",
    "dossier": "dossier",
    "article": "article",
    "dossier or article": "dossier ou article",
    "edition": "édition",
    "folder": "répertoire",
    "page": "page",
    "text": "texte",
    "intertitle": "intertitre",
    "model": "modèle",
    "instruction": "consigne",
}


def _w(what: str) -> str:
    return _WHAT.get(what, what)


class Workspace:
    """A folder whose files the tools may read and write, and nothing outside it."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        path = Path(root).expanduser()
        if not path.is_dir():
            raise WorkspaceError(f"espace de travail introuvable : {path}")
        self.root = path.resolve()

    def __repr__(self) -> str:
        return f"Workspace({str(self.root)!r})"

    # --- paths -------------------------------------------------------------------------

    def resolve(
        self,
        given: str,
        *,
        must_exist: bool = True,
        suffixes: tuple[str, ...] | None = None,
        what: str = "file",
    ) -> Path:
        """The absolute path of ``given`` (relative to the workspace, or absolute inside
        it), or :class:`WorkspaceError`."""
        if not isinstance(given, str) or not given.strip():
            raise WorkspaceError(f"chemin de {_w(what)} vide")
        given = given.strip()
        if len(given) > MAX_PATH_CHARS:
            raise WorkspaceError(f"chemin de {_w(what)} de plus de {MAX_PATH_CHARS} caractères")
        if "\x00" in given:
            raise WorkspaceError(f"le chemin de {_w(what)} contient un octet NUL")
        parts = {*PurePosixPath(given).parts, *PureWindowsPath(given).parts}
        if ".." in parts:
            raise WorkspaceError(
                f"« {given} » : « .. » interdit dans un chemin de l’espace de travail"
            )
        candidate = Path(given).expanduser() if given.startswith("~") else Path(given)
        if not candidate.is_absolute():
            candidate = self.root / candidate
        # resolve() follows every symbolic link that exists, so a link pointing out of the
        # workspace lands outside and is refused below.
        resolved = candidate.resolve(strict=False)
        if not resolved.is_relative_to(self.root):
            raise WorkspaceError(f"« {given} » est hors de l’espace de travail")
        if suffixes and resolved.suffix.lower() not in suffixes:
            raise WorkspaceError(
                f"« {given} » : un {_w(what)} se termine par {' ou '.join(suffixes)}"
            )
        if must_exist:
            if not resolved.exists():
                raise WorkspaceError(f"{_w(what)} introuvable dans l’espace de travail : {given}")
            if not resolved.is_file():
                raise WorkspaceError(f"« {given} » n’est pas un fichier")
            if resolved.stat().st_size > MAX_FILE_BYTES:
                raise WorkspaceError(f"« {given} » dépasse {MAX_FILE_BYTES} octets")
        return resolved

    def reference(
        self,
        base_file: Path,
        given: str,
        *,
        suffixes: tuple[str, ...] | None = None,
        what: str = "file",
    ) -> Path:
        """A path written inside a workspace file (an edition's ``dossiers:``, an
        article's ``dossier:``), relative to that file's folder, confined exactly like a
        path given directly: it must resolve inside the workspace to a regular file of
        bounded size — checked before a byte of it is read."""
        if not isinstance(given, str) or not given.strip():
            raise WorkspaceError(f"chemin de {_w(what)} vide")
        if "\x00" in given or len(given) > MAX_PATH_CHARS:
            raise WorkspaceError(f"chemin de {_w(what)} inutilisable")
        written = given.strip()
        candidate = Path(written).expanduser() if written.startswith("~") else Path(written)
        if not candidate.is_absolute():
            # '..' is fine here as long as the result stays inside (resolve checks it):
            # an article in out/2020 names ../../2020/brest.yaml
            candidate = Path(os.path.normpath(Path(base_file).parent / candidate))
        try:
            return self.resolve(str(candidate), suffixes=suffixes, what=what)
        except WorkspaceError as exc:
            raise WorkspaceError(str(exc).replace(str(candidate), written)) from None

    def relative(self, path: str | os.PathLike[str]) -> str:
        """``path`` relative to the workspace, with forward slashes (what tools show)."""
        resolved = Path(path).resolve(strict=False)
        try:
            return resolved.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def contains(self, path: str | os.PathLike[str]) -> bool:
        return Path(path).resolve(strict=False).is_relative_to(self.root)

    # --- listing -----------------------------------------------------------------------

    def files(self, suffixes: tuple[str, ...]) -> Iterator[Path]:
        """Files under the workspace with one of ``suffixes``, sorted, skipping hidden and
        tool folders and any symbolic link leading out of the workspace."""
        found = 0
        for folder, dirs, names in os.walk(self.root):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS)
            for name in sorted(names):
                if name.startswith(".") or not name.lower().endswith(suffixes):
                    continue
                path = Path(folder) / name
                if not self.contains(path) or not path.is_file():
                    continue
                yield path
                found += 1
                if found >= MAX_LISTED:
                    return


# --- input limits ---------------------------------------------------------------------------


def limit_text(value: str | None, limit: int, what: str, *, required: bool = False) -> str | None:
    """``value`` stripped, or :class:`WorkspaceError` if missing (when required) or too long."""
    if value is None or not value.strip():
        if required:
            raise WorkspaceError(f"{_w(what)} vide")
        return None
    if len(value) > limit:
        raise WorkspaceError(f"{_w(what)} trop long ({len(value)} caractères, au plus {limit})")
    if "\x00" in value:
        raise WorkspaceError(f"{_w(what)} : contient un octet NUL")
    return value.strip()
