"""What the desk does, over the shared operations: no second implementation of anything.

The routes (:mod:`.app`) call these methods from worker threads; every method returns
plain JSON-able data. Paths come from the page, so they go through the workspace
(confinement, suffixes, sizes) exactly as the plugin's do. Every write names the version
of the file the page saw: a file changed elsewhere since is refused, never overwritten.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from laureate_writer import operations as ops
from laureate_writer.article import Article, Section, SectionKind
from laureate_writer.loading import InputError, guard_text, parse_document, read_text
from laureate_writer.operations.context import _article_path, _dossier_path, _kind
from laureate_writer.output import WriteRefused
from laureate_writer.store import MISSING, StaleWrite, version_of
from laureate_writer.workspace import (
    MAX_INTERTITLE_CHARS,
    MAX_SECTION_CHARS,
    WorkspaceError,
    limit_text,
)

BODY_KINDS = (SectionKind.method, SectionKind.details, SectionKind.results)
MAX_PROPOSALS = 50


class DeskError(Exception):
    """A refusal shown to the person as is (French); ``status`` is the HTTP status."""

    def __init__(self, message: str, status: int = 400, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.extra = extra


class Conflict(DeskError):
    def __init__(self, what: str) -> None:
        super().__init__(
            f"{what} a été modifié ailleurs depuis l’ouverture de la page : rien n’a été "
            "écrit. Rechargez la page pour voir la version actuelle (votre proposition reste "
            "affichée en attendant).",
            409,
            reload=True,
        )


@dataclass
class Proposal:
    """A change offered in the conversation, waiting for « Accepter » or « Refuser »."""

    id: str
    article: Path
    base: Article  # the article the change was computed from
    section: Section  # the new version of the section
    finish: Any  # brings the article's reports in line with the new section
    summary: dict[str, Any]


class Desk:
    """The desk's state: the operations' context and the pending proposals."""

    def __init__(self, ctx: ops.Context) -> None:
        self.ctx = ctx
        self.proposals: dict[str, Proposal] = {}

    # --- helpers ---------------------------------------------------------------------------

    def _op(self, operation: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return operation(self.ctx, *args, **kwargs)
        except ops.OperationError as exc:
            raise DeskError(str(exc)) from None

    def _resolve(self, call: Any, *args: Any, **kwargs: Any) -> Path:
        try:
            return call(self.ctx, *args, **kwargs)
        except (WorkspaceError, ops.OperationError) as exc:
            raise DeskError(str(exc), 404 if "introuvable" in str(exc) else 400) from None

    def _read(self, path: Path) -> str | None:
        if not self.ctx.store.exists(path):
            return None
        try:
            return self.ctx.store.read(path)
        except InputError as exc:
            raise DeskError(self.ctx.scrub(str(exc))) from None

    def _stored(self, what: str, write: Any) -> Any:
        """Run a write through the article store; its refusals as the desk's."""
        try:
            return write()
        except StaleWrite:
            raise Conflict(what) from None
        except WriteRefused as exc:  # the lock stayed busy: nothing was written
            raise DeskError(f"écriture impossible pour l’instant, réessayez : {exc}", 503) from None
        except OSError as exc:
            raise DeskError(f"écriture impossible : {exc.strerror or exc}", 500) from None

    # --- workspace -------------------------------------------------------------------------

    def overview(self) -> dict[str, Any]:
        """Dossiers, articles and editions with their state."""
        listing = self._op(ops.list_workspace)
        articles = {}
        for entry in listing.articles:
            articles[entry.path] = self._article_state(entry)
        dossiers = []
        for entry in listing.dossiers:
            path = self.ctx.workspace.root / entry.path
            article = self.ctx.rel(ops.default_article_path(path))
            dossiers.append(
                {**entry.model_dump(), "article": article if article in articles else None}
            )
        return {
            "workspace": str(self.ctx.workspace.root),
            "writer": self.writer_label(),
            "dossiers": dossiers,
            "articles": list(articles.values()),
            "editions": [self._edition_state(e) for e in listing.editions],
        }

    def _edition_state(self, edition: str) -> dict[str, Any]:
        """An edition: its laureates and how many of their articles are drafted."""
        from laureate_writer.operations.writing import load_workspace_edition

        try:
            loaded = refusing(self.ctx, load_workspace_edition, edition)
        except DeskError as exc:
            return {"path": edition, "ok": False, "error": str(exc).splitlines()[0]}
        drafted = sum(1 for path, _ in loaded.dossiers if ops.default_article_path(path).is_file())
        return {
            "path": edition,
            "ok": True,
            "year": loaded.edition.award.year,
            "laureates": len(loaded.dossiers),
            "drafted": drafted,
        }

    def writer_label(self) -> str:
        writer = self.ctx.writer
        return "hors ligne" if writer.name == "offline" else f"{writer.model} ({writer.name})"

    def _article_state(self, entry: ops.ArticleEntry) -> dict[str, Any]:
        state = {**entry.model_dump(), "findings": None, "stale": None}
        if not entry.ok:
            return state
        path = self.ctx.workspace.root / entry.path
        try:
            _, article = self._load(path)
            _, dossier = ops.article_dossier_of(self.ctx, path, article)
        except (DeskError, ops.OperationError, InputError):
            return state
        state["findings"] = sum(len(s["findings"]) for s in self._sections(article, dossier))
        state["stale"] = article.dossier_hash != dossier.content_hash()
        return state

    # --- dossiers --------------------------------------------------------------------------

    def dossier(self, given: str | None) -> dict[str, Any]:
        """A dossier's source, version and problems (a new one starts from the template)."""
        if not given:
            return {
                "path": "",
                "text": NEW_DOSSIER,
                "version": MISSING,
                "new": True,
                **self.check_dossier("nouveau.yaml", NEW_DOSSIER),
            }
        path = self._resolve(_dossier_path, given)
        text = read_text(path)
        return {
            "path": self.ctx.rel(path),
            "text": text,
            "version": version_of(text),
            "new": False,
            **self.check_dossier(self.ctx.rel(path), text),
        }

    def check_dossier(self, name: str, text: str) -> dict[str, Any]:
        """The problems of a dossier's text, with the messages and locations of
        ``validate``, and its data for the form (None when the YAML does not parse)."""
        from laureate_writer.dossier import Dossier
        from laureate_writer.loading import validate

        name = name or "nouveau.yaml"
        data: Any = None
        try:
            # the browser's text is read like the file would be: size, NUL, NFC, then YAML
            document = parse_document(Path(name), guard_text(name, text))
            data = document.data
            validate(Dossier, document)
        except InputError as exc:
            problems = [
                {
                    "line": p.line,
                    "column": p.column,
                    "field": p.field,
                    "message": p.message,
                    "text": str(p),
                }
                for p in exc.problems
            ]
            return {
                "ok": False,
                "problems": problems,
                "data": data,
                "inferred": inferred_grammar(data),
            }
        return {"ok": True, "problems": [], "data": data, "inferred": inferred_grammar(data)}

    def set_field(self, text: str, loc: list[str | int], value: Any) -> str:
        """The YAML ``text`` with the value at ``loc`` set (None removes it), comments and
        layout kept by ruamel.yaml's round trip."""
        from laureate_writer.desk.yamledit import set_value

        try:
            return set_value(text, loc, value)  # through the shared reader's guards
        except ValueError as exc:
            raise DeskError(str(exc)) from None

    def save_dossier(self, given: str, text: str, expected: str) -> dict[str, Any]:
        from laureate_writer.workspace import DOSSIER_SUFFIXES

        try:
            path = self.ctx.workspace.resolve(
                given, must_exist=False, suffixes=DOSSIER_SUFFIXES, what="dossier"
            )
        except WorkspaceError as exc:
            raise DeskError(str(exc)) from None
        try:  # never write what no reader would accept (too large, a NUL byte)
            text = guard_text(self.ctx.rel(path), text)
        except InputError as exc:
            raise DeskError(self.ctx.scrub(str(exc))) from None
        checked = self.check_dossier(self.ctx.rel(path), text)
        # A dossier is not an article, but the store's compare-and-swap under a lock is
        # the one safe way to replace a file someone else may have changed.
        from laureate_writer.store import ArticleStore

        what = f"Le dossier {self.ctx.rel(path)}"
        version = self._stored(what, lambda: ArticleStore(path).write(text, expected=expected))
        return {"path": self.ctx.rel(path), "version": version, **checked}

    def draft(self, dossier: str) -> dict[str, Any]:
        report = self._op(ops.draft_article, dossier)
        return {
            "article": report.article,
            "writer": report.writer,
            "remaining": len(report.remaining),
        }

    # --- articles --------------------------------------------------------------------------

    def _load(self, path: Path) -> tuple[str, Article]:
        text = self._read(path)
        if text is None:
            raise DeskError(f"article introuvable : {self.ctx.rel(path)}", 404)
        try:
            return text, Article.from_markdown(text, self.ctx.rel(path))
        except InputError as exc:
            raise DeskError(self.ctx.scrub(str(exc))) from None

    def _sections(self, article: Article, dossier: Any) -> list[dict[str, Any]]:
        from laureate_writer.facts import check_text

        out = []
        for section in article.sections:
            findings = []
            if section.kind != SectionKind.prize_label:
                found = self.ctx.style.check(section.text, section.kind.scope)
                found += check_text(section.text, dossier, section=section.kind.value)
                for v in sorted(found, key=lambda v: (v.start, v.end)):
                    findings.append(
                        {
                            "checker": v.checker,
                            "rule": v.rule,
                            "severity": str(v.severity),
                            "message": v.message,
                            "start": v.start,
                            "end": v.end,
                            "excerpt": section.text[v.start : v.end],
                            "suggestion": v.suggestion,
                            "fixable": bool(v.fixable and v.suggestion is not None),
                        }
                    )
                if section.intertitle:
                    for v in self.ctx.style.check(section.intertitle, "intertitle"):
                        findings.append(
                            {
                                "checker": v.checker,
                                "rule": v.rule,
                                "severity": str(v.severity),
                                "message": f"intertitre : {v.message}",
                                "start": None,
                                "end": None,
                                "excerpt": section.intertitle[v.start : v.end],
                                "suggestion": v.suggestion,
                                "fixable": False,
                            }
                        )
            history = [
                {
                    "writer": (h.get("provenance") or {}).get("writer", "?"),
                    "created": (h.get("provenance") or {}).get("created"),
                    "text": h.get("text", ""),
                }
                for h in reversed(article.history.get(section.kind.value) or [])
            ]
            p = section.provenance
            out.append(
                {
                    "kind": section.kind.value,
                    "name": section.kind.french,
                    "intertitle": section.intertitle,
                    "text": section.text,
                    "edited": section.edited,
                    "findings": findings,
                    "history": history,
                    "provenance": {
                        "writer": p.writer,
                        "model": p.model,
                        "template": p.template,
                        "created": p.created.isoformat() if p.created else None,
                    },
                    "stale": bool(p.dossier_hash and p.dossier_hash != dossier.content_hash()),
                }
            )
        return out

    def article(self, given: str) -> dict[str, Any]:
        path = self._resolve(_article_path, given)
        text, article = self._load(path)
        dossier_path, dossier = self._dossier_of(path, article)
        return {
            "path": self.ctx.rel(path),
            "version": version_of(text),
            "dossier": self.ctx.rel(dossier_path),
            "laureate": article.laureate,
            "prize": article.prize,
            "stale": article.dossier_hash != dossier.content_hash(),
            "writer": self.writer_label(),
            "sections": self._sections(article, dossier),
        }

    def _dossier_of(self, path: Path, article: Article) -> tuple[Path, Any]:
        try:
            return ops.article_dossier_of(self.ctx, path, article)
        except (ops.OperationError, InputError) as exc:
            raise DeskError(self.ctx.scrub(str(exc))) from None

    def _replace(
        self, given: str, section: str, expected: str, note: str, change: Any
    ) -> dict[str, Any]:
        """Apply ``change(section) -> (text, intertitle, by_hand)`` to one section and write
        the article if it is still at ``expected``; the old text goes to the history."""
        from laureate_writer.drafting import section_violations
        from laureate_writer.regenerate import with_section_reports
        from laureate_writer.section_text import clean_intertitle, clean_text
        from laureate_writer.writers.base import SectionDraft

        path = self._resolve(_article_path, given)
        kind = self._section_kind(section, allow_label=False)
        before, article = self._load(path)
        what = f"L’article {self.ctx.rel(path)}"
        if version_of(before) != expected:
            raise Conflict(what)
        current = article.section(kind)
        if current is None:
            raise DeskError(f"l’article n’a pas de section {kind.french}")
        text, intertitle, by_hand = change(current)
        # Text is data: a person's text is normalised like any writer's.
        text = clean_text(kind.value, text)
        intertitle = clean_intertitle(intertitle, kind.value) if intertitle else None
        if by_hand or current.edited:  # a hand edit keeps the writer's hash: it shows
            new = current.model_copy(update={"text": text, "intertitle": intertitle})
        else:  # a safe style fix is still the writer's text
            new = Section.create(kind, text, current.provenance, intertitle)
        _, dossier = self._dossier_of(path, article)
        draft = SectionDraft(kind=kind, text=new.text, intertitle=new.intertitle)
        remaining = section_violations(draft, dossier, self.ctx.style)
        self._stored(
            what,
            lambda: self.ctx.store.replace_sections(
                path,
                article,
                [new],
                note=note,
                finish=lambda a: with_section_reports(a, dossier, kind, remaining),
            ),
        )
        return {"article": self.article(self.ctx.rel(path))}

    def _section_kind(self, section: str, *, allow_label: bool = False) -> SectionKind:
        try:
            return _kind(section, allow_label=allow_label)
        except ops.OperationError as exc:
            raise DeskError(str(exc)) from None

    def fix(
        self, given: str, section: str, start: int, end: int, rule: str, expected: str
    ) -> dict[str, Any]:
        """« Corriger »: apply the safe fix of one finding, found again in the current
        text (the page's offsets are only trusted if the same finding is still there)."""

        def change(current: Section) -> tuple[str, str | None, bool]:
            for v in self.ctx.style.check(current.text, current.kind.scope):
                if (
                    (v.start, v.end, v.rule) == (start, end, rule)
                    and v.fixable
                    and v.suggestion is not None
                ):
                    text = current.text[: v.start] + v.suggestion + current.text[v.end :]
                    return text, current.intertitle, False
            raise DeskError(
                "cette remarque n’est plus d’actualité : rechargez la page", 409, reload=True
            )

        return self._replace(given, section, expected, f"fix {rule}", change)

    def edit(
        self, given: str, section: str, text: str, intertitle: str | None, expected: str
    ) -> dict[str, Any]:
        """A section edited by hand in the page."""
        try:
            text = limit_text(text, MAX_SECTION_CHARS, "text", required=True) or ""
            intertitle = limit_text(intertitle, MAX_INTERTITLE_CHARS, "intertitle")
        except WorkspaceError as exc:
            raise DeskError(str(exc)) from None
        return self._replace(
            given,
            section,
            expected,
            "hand edit",
            lambda current: (text, intertitle if current.kind in BODY_KINDS else None, True),
        )

    def undo(self, given: str, section: str, expected: str) -> dict[str, Any]:
        path = self._resolve(_article_path, given)
        before = self._read(path)
        if version_of(before) != expected:
            raise Conflict(f"L’article {self.ctx.rel(path)}")
        self._op(ops.undo_section, given, section)
        return {"article": self.article(given)}

    # --- the conversation ------------------------------------------------------------------

    def propose(
        self, given: str, section: str, instruction: str | None, expected: str, force: bool = False
    ) -> dict[str, Any]:
        """Regenerate one section (nothing written): the word-level diff, the findings
        left, and a proposal to accept or refuse."""
        from laureate_writer.operations.context import _run
        from laureate_writer.operations.writing import _aregenerate_text

        kind = self._section_kind(section)
        path = self._resolve(_article_path, given)
        before, article = self._load(path)
        if version_of(before) != expected:
            raise Conflict(f"L’article {self.ctx.rel(path)}")
        old = article.section(kind)
        instruction = refusing(self.ctx, lambda _ctx: limit_text(instruction, 2_000, "instruction"))
        if old is not None and old.edited and not force:
            raise DeskError(
                f"La section {kind.french} a été modifiée à la main : je ne la remplace pas. "
                f"Pour la réécrire quand même, demandez « /regen {kind.french} --force » "
                "(le texte modifié restera dans l’historique).",
                409,
            )
        base, done = refusing(
            self.ctx,
            lambda _ctx: _run(_aregenerate_text(_ctx, path, before, kind, instruction, force)),
        )
        new, remaining = done.section, done.remaining
        old_text = self._full(old)
        new_text = self._full(new)
        summary = {
            "section": kind.value,
            "name": kind.french,
            "writer": self.ctx.writer.name,
            "before": old_text,
            "after": new_text,
            "diff": word_diff(old_text, new_text),
            "same": old_text == new_text,
            "remaining": [ops.Finding.of(v, kind.value).model_dump() for v in remaining],
        }
        if instruction and not getattr(self.ctx.writer, "supports_revision", False):
            summary["note"] = (
                "Hors ligne, je ne sais pas suivre une consigne (raccourcir, reformuler…) : "
                "la section a été rédigée de nouveau à partir du dossier. Pour suivre la "
                "consigne, il faut un modèle (lancez le bureau avec --model)."
            )
        proposal = Proposal(secrets.token_hex(8), path, base, new, done.finish, summary)
        while len(self.proposals) >= MAX_PROPOSALS:
            self.proposals.pop(next(iter(self.proposals)))
        self.proposals[proposal.id] = proposal
        return {"proposal": proposal.id, **summary}

    @staticmethod
    def _full(section: Section | None) -> str:
        if section is None:
            return ""
        return f"{section.intertitle}\n\n{section.text}" if section.intertitle else section.text

    def accept(self, proposal_id: str) -> dict[str, Any]:
        proposal = self.proposals.get(proposal_id)
        if proposal is None:
            raise DeskError("cette proposition n’existe plus : redemandez-la", 404)
        # Refused if that section changed on disk since the proposal was computed (another
        # tab, `laureate-writer regenerate`, an editor): the change made there is kept.
        kind = proposal.section.kind.value
        self._stored(
            f"L’article {self.ctx.rel(proposal.article)} (section {proposal.section.kind.french})",
            lambda: self.ctx.store.replace_sections(
                proposal.article,
                proposal.base,
                [proposal.section],
                finish=proposal.finish,
                note=f"regen {kind}",
            ),
        )
        del self.proposals[proposal_id]
        return {"article": self.article(self.ctx.rel(proposal.article))}

    def refuse(self, proposal_id: str) -> dict[str, Any]:
        self.proposals.pop(proposal_id, None)
        return {"ok": True}


NOUN_PHRASES = (
    "award.short",
    "laureate",
    "laureate.short",
    "project",
    "project.short",
    "project.what",
)


def inferred_grammar(data: Any) -> dict[str, dict[str, str]]:
    """For each noun phrase of a dossier whose gender or number is not given: what the
    drafting will infer (:func:`laureate_writer.french.infer_grammar`), keyed by its
    location (``laureate.short``) — shown in the form, where a choice overrides it."""
    from laureate_writer.french import infer_grammar

    found: dict[str, dict[str, str]] = {}
    for where in NOUN_PHRASES:
        node = data
        for key in where.split("."):
            node = node.get(key) if isinstance(node, dict) else None
        if not isinstance(node, dict) or (node.get("gender") and node.get("number")):
            continue
        phrase = node.get("text" if where == "project.what" else "in_text")
        if isinstance(phrase, str) and phrase.strip():
            guess = infer_grammar(phrase)
            found[where] = {
                "gender": guess.gender.value,
                "number": guess.number.value,
                "source": guess.source,
            }
    return found


def refusing(ctx: ops.Context, call: Any, *args: Any) -> Any:
    """``call(ctx, *args)``, its expected failures (the operations' own list: a refused
    path, a bad file, a hand-edited section, a model that failed) as :class:`DeskError`."""
    try:
        return ops.guarded(call)(ctx, *args)
    except ops.OperationError as exc:
        raise DeskError(str(exc)) from None


def word_diff(before: str, after: str) -> list[list[str]]:
    """``[[op, text], …]`` with op ``=``, ``-`` or ``+``, word by word (spaces kept)."""
    import difflib
    import re

    a = re.findall(r"\s+|[^\s]+", before)
    b = re.findall(r"\s+|[^\s]+", after)
    out: list[list[str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(["=", "".join(a[i1:i2])])
            continue
        if i2 > i1:
            out.append(["-", "".join(a[i1:i2])])
        if j2 > j1:
            out.append(["+", "".join(b[j1:j2])])
    return out


NEW_DOSSIER = """\
# yaml-language-server: $schema=../schema/dossier.schema.json
# Un dossier de lauréat : des faits en notes courtes, jamais de prose toute faite.
id: nouveau
award:
  name: Prix Territoriaux La Gazette – GMF
  year: 2020
  edition: 21
prize:
  name: Prix Coup de cœur
laureate:
  name: Ville de …
  kind: commune
  territory: …
  in_text: la ville de …
  gender: f
project:
  name: …
  in_text: le projet …
  gender: m
  what: {text: un dispositif …, gender: m}
  aim: faciliter …
results: []
"""
