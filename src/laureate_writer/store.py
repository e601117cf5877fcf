"""The article store: the one way anything (CLI, chat, MCP plugin, palmarès, web desk)
writes an article file, so an editor's work is never lost.

Every write takes a lock on the article file (``filelock``, a hidden ``.NAME.lock``
beside it while a write runs, so processes and threads exclude each other), reads the
file again under the lock, checks it against the version the caller last saw, and
replaces the file atomically keeping its permission bits (a new file follows the umask).

A *version* is a hash of the file's bytes (:func:`version_of`; :data:`MISSING` for a file
that does not exist). Two ways to write:

* whole file, compare-and-swap: ``store.write(text, expected=version)`` refuses with
  :class:`StaleWrite` if the file changed since ``version`` was read;
* per section: ``store.replace_sections(base, sections)`` puts new versions of some
  sections into the *current* file. It is refused with :class:`StaleWrite` only when one
  of those sections changed on disk since ``base`` (the article the caller read) — so
  writers working on different sections of one article all land.

Usage::

    store = ArticleStore("out/brest.md")
    article, version = store.read()            # Article, "sha256:…"
    ...                                        # slow work, no lock held
    store.replace_sections(article, [new_section], finish=add_reports)
    store.write(text, expected=version)        # or: whole-file compare-and-swap
    store.update(lambda text: text.replace(...))   # read-modify-write under the lock

Every refusal (:class:`StaleWrite`, :class:`StoreBusy`) is a
:class:`~laureate_writer.output.WriteRefused`: one readable line, exit code 2.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from filelock import FileLock, Timeout

from laureate_writer.article import Article, Section, splice
from laureate_writer.loading import read_text
from laureate_writer.output import WriteRefused, write_atomic

__all__ = [
    "MISSING",
    "ArticleStore",
    "StaleWrite",
    "StoreBusy",
    "WriteRefused",
    "merge_sections",
    "version_of",
]

#: The version of an article file that does not exist (yet).
MISSING = "missing"
LOCK_TIMEOUT = 30.0  # seconds a writer waits for another one before giving up


def version_of(text: str | None) -> str:
    """The version of an article file's text (``MISSING`` for no file)."""
    if text is None:
        return MISSING
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class StaleWrite(WriteRefused):
    """The file changed since the caller read it: the write was not applied."""


class StoreBusy(WriteRefused):
    """Another writer held the article's lock for longer than the timeout."""


def _same(a: Section | None, b: Section | None) -> bool:
    if a is None or b is None:
        return a is b
    return (a.text, a.intertitle, a.hash) == (b.text, b.intertitle, b.hash)


class ArticleStore:
    """One article file, read and written safely (see the module's docstring)."""

    def __init__(self, path: str | Path, *, timeout: float = LOCK_TIMEOUT) -> None:
        self.path = Path(path)
        self.timeout = timeout

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(f".{self.path.name}.lock")

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the article's lock (re-entrant within one store object)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(
            self.lock_path, timeout=self.timeout, is_singleton=False, poll_interval=0.01
        )
        try:
            lock.acquire()
        except Timeout:
            raise StoreBusy(
                f"{self.path} : un autre rédacteur tient cet article depuis {self.timeout:g} s ; "
                "réessayez"
            ) from None
        try:
            yield
        finally:
            # No lock file is left beside the article: it is removed while still held;
            # filelock sees a waiter's unlinked inode (st_nlink 0) and takes a fresh one.
            with suppress(OSError):
                self.lock_path.unlink()
            lock.release()

    # --- reading ------------------------------------------------------------------------

    def read_text(self) -> tuple[str | None, str]:
        """The file's text (None when it does not exist) and its version."""
        if not self.path.exists():
            return None, MISSING
        text = read_text(self.path)  # InputError for a folder, a huge or a non-UTF-8 file
        return text, version_of(text)

    def read(self) -> tuple[Article, str]:
        """The parsed article and its version (InputError for a bad or missing file)."""
        text, version = self.read_text()
        if text is None:
            text = read_text(self.path)  # raises the loader's "no such file" error
        return Article.from_markdown(text, str(self.path)), version

    @property
    def version(self) -> str:
        return self.read_text()[1]

    # --- writing ------------------------------------------------------------------------

    def _stale(self, what: str) -> StaleWrite:
        return StaleWrite(
            f"{self.path} : {what} a changé sur le disque depuis sa lecture (un autre "
            "rédacteur ou une commande l’a écrit) ; rien n’a été écrit : relisez-le et "
            "refaites la modification"
        )

    def write(self, text: str, *, expected: str | None) -> str:
        """Replace the whole file with ``text`` if it is still at version ``expected``
        (``None``: whatever it holds — for new outputs only). Returns the new version."""
        return self.update(lambda _current: text, expected=expected)

    def update(
        self, change: Callable[[str | None], str | None], *, expected: str | None = None
    ) -> str:
        """Read-modify-write under the lock: ``change(current_text)`` returns the new text
        (None: leave the file as it is). ``expected``: refuse unless the file is still at
        that version. Returns the file's version afterwards."""
        with self.locked():
            current, version = self.read_text()
            if expected is not None and version != expected:
                raise self._stale("l’article")
            new = change(current)
            if new is None or new == current:
                return version
            write_atomic(self.path, new)
            return version_of(new)

    def replace_sections(
        self,
        base: Article,
        sections: Sequence[Section],
        *,
        keep_previous: bool = True,
        finish: Callable[[Article], Article] | None = None,
    ) -> tuple[Article, str]:
        """Put ``sections`` into the current file, each in place of its kind. Refused
        (StaleWrite) when one of them changed on disk since ``base`` was read; the other
        sections, changed or not, are kept as they are now. A missing file is created from
        ``base``. ``finish(article)`` may update the front matter (reports) before the
        write. With ``keep_previous`` the replaced versions go into the history. Returns
        the article written and its version."""
        result: list[Article] = []

        def change(current: str | None) -> str:
            updated, text = merge_sections(
                current, base, sections, keep_previous=keep_previous, finish=finish,
                where=str(self.path),
            )  # fmt: skip
            result.append(updated)
            return text

        version = self.update(change)
        return result[0], version


def merge_sections(
    current: str | None,
    base: Article,
    sections: Sequence[Section],
    *,
    keep_previous: bool = True,
    finish: Callable[[Article], Article] | None = None,
    where: str = "-",
) -> tuple[Article, str]:
    """``current`` (an article file's text; None: no file yet, ``base`` is used) with
    ``sections`` put in, refused when one of them differs from its version in ``base``.
    Returns the updated article and the file text. Pure: the store calls it under the
    lock, the chat on its in-memory article."""
    article = base if current is None else Article.from_markdown(current, where)
    for section in sections:
        if not _same(article.section(section.kind), base.section(section.kind)):
            raise StaleWrite(
                f"{where} : la section « {section.kind.value} » a changé depuis sa lecture (un "
                "autre rédacteur ou une commande l’a écrite) ; rien n’a été écrit : relisez-la "
                "et refaites la modification"
            )
    updated = article
    for section in sections:
        updated = updated.replace_section(section, keep_previous=keep_previous)
    if finish is not None:
        updated = finish(updated)
    if current is None:
        return updated, updated.to_markdown()
    text = current
    for section in sections:
        text = splice(text, updated, section.kind)
    return updated, text
