"""The terminal chat's session: one article, its versions, and the slash commands.

The article lives in memory while the chat runs: every change — a draft, a regenerated
section, a style fix, a section the model saved — is a new version (``/undo`` goes back
one), and nothing reaches the disk before ``/save``, which writes the file atomically.
The operations (and, with a model, the agent's tools) read and write the article through
:class:`SessionStore`, so they all see and make versions the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from laureate_writer import operations as ops
from laureate_writer.workspace import ARTICLE_SUFFIXES

if TYPE_CHECKING:
    from laureate_writer.article import Article, Section

SECTION_ALIASES = {
    "titre": "headline", "chapo": "lead", "chapô": "lead", "contexte": "context",
    "methode": "method", "méthode": "method", "details": "details", "détails": "details",
    "resultats": "results", "résultats": "results", "legende": "caption",
    "légende": "caption", "label": "prize_label",
}  # fmt: skip

HELP = """\
Commandes :
  /draft                     rédiger l'article à partir du dossier
  /regen SECTION consigne    réécrire une section (titre, chapô, contexte, méthode,
                             détails, résultats, légende) ; --force pour une section
                             modifiée à la main
  /check                     vérifier le style maison
  /fix                       appliquer les corrections sûres du style maison
  /facts                     vérifier les faits (chiffres, dates, noms, citations)
  /show [SECTION]            afficher l'article, ou une section
  /edit SECTION [texte]      remplacer le texte d'une section (sans texte : le saisir
                             sur plusieurs lignes, « ## » pour l'intertitre, « . » seul
                             pour finir) ; corrigé et vérifié comme un texte rédigé
  /diff                      les changements depuis le dernier enregistrement
  /undo                      revenir à la version précédente
  /save                      enregistrer l'article (écriture atomique)
  /help                      cette aide
  /quit                      quitter (demande confirmation s'il reste des changements)"""

OFFLINE_ANSWER = """\
Mode hors ligne : aucun modèle n'est configuré, je ne comprends donc pas les demandes en
langage naturel. Je sais rédiger l'article depuis le dossier (/draft), réécrire une section
depuis le dossier (/regen SECTION — sans suivre de consigne), vérifier le style (/check) et
le corriger (/fix), vérifier les faits (/facts), afficher (/show), comparer (/diff), annuler
(/undo) et enregistrer (/save). Pour converser, lancez le chat avec --model (ou LW_MODEL)."""

# plain-text requests → the command that does it offline
HINTS = [
    (re.compile(r"\b(style|typo|orthograph)", re.I), "/check puis /fix"),
    (re.compile(r"\b(fait|chiffre|date|vérifie les faits)", re.I), "/facts"),
    (re.compile(r"\b(rédige|écris|draft)", re.I), "/draft"),
    (re.compile(r"\b(raccourci|court|réécri|reformule|chapô|titre|résultat)", re.I),
     "/regen SECTION (par exemple /regen chapô)"),
    (re.compile(r"\b(annule|défai)", re.I), "/undo"),
    (re.compile(r"\b(enregistre|sauve)", re.I), "/save"),
]  # fmt: skip


# The operations' messages name the plugin's syntax (force=true) and file paths; the chat
# says them with its own commands and words.
_FRENCH = [
    (re.compile(r"^(?P<a>.*) : la section « (?P<s>\w+) » a été modifiée à la main.*$"),
     "la section {s} a été modifiée à la main : /regen {s} --force pour la remplacer "
     "(le texte modifié est gardé dans l’historique)"),
    (re.compile(r"^section inconnue « (?P<s>.*) » : .*$"),
     "section inconnue « {s} » : titre, chapô, contexte, méthode, détails, résultats "
     "ou légende"),
    (re.compile(r"^(?P<a>.*) : pas de version précédente de « (?P<s>\w+) » à remettre$"),
     "aucune version précédente de la section {s} à restaurer"),
    (re.compile(r"^(?P<a>.*) : l’article ne nomme pas son dossier.*$"),
     "l’article ne nomme pas son dossier"),
    (re.compile(r"^(?P<a>.*) : son dossier : « .* » est hors de l’espace de travail$"),
     "son dossier est hors de l’espace de travail"),
    (re.compile(r"^(?P<a>.*) : la section « (?P<s>\w+) » a changé depuis sa lecture.*$"),
     "la section {s} a changé entre-temps : rien n’a été fait, recommencez"),
]  # fmt: skip


def in_french(message: str) -> str:
    """An operation's message as the chat says it."""
    for pattern, french in _FRENCH:
        found = pattern.match(message)
        if found:
            return french.format(**found.groupdict())
    return message


@dataclass
class Version:
    text: str | None
    label: str


class SessionStore(ops.ArticleFiles):
    """Article reads and writes for the session's article go to its versions; other files
    go to the disk as usual."""

    def __init__(self, session: ChatSession) -> None:
        self.session = session

    def _ours(self, path: Path) -> bool:
        return path.resolve(strict=False) == self.session.article_path

    def exists(self, path: Path) -> bool:
        if self._ours(path):
            return self.session.current is not None
        return super().exists(path)

    def read(self, path: Path) -> str:
        if self._ours(path):
            if self.session.current is None:
                raise ops.OperationError("l'article n'est pas encore rédigé : /draft d'abord")
            return self.session.current
        return super().read(path)

    def write(self, path: Path, text: str, *, expected: str | None, note: str = "") -> None:
        if self._ours(path):
            from laureate_writer.store import StaleWrite, version_of

            if expected is not None and version_of(self.session.current) != expected:
                raise StaleWrite(f"{self.session.article} a changé entre-temps : rien n'a été fait")
            self.session.push(text, note or "change")
        else:
            super().write(path, text, expected=expected, note=note)

    def replace_sections(
        self,
        path: Path,
        base: Article,
        sections: list[Section],
        *,
        finish: Callable[[Article], Article] | None = None,
        note: str = "",
    ) -> Article:
        if not self._ours(path):
            return super().replace_sections(path, base, sections, finish=finish, note=note)
        from laureate_writer.store import merge_sections

        updated, text = merge_sections(
            self.session.current, base, sections, finish=finish, where=self.session.article
        )
        self.session.push(text, note or "change")
        return updated


class ChatSession:
    """The state of one chat: the target, the article's versions, the context."""

    def __init__(
        self,
        target: str | Path,
        *,
        workspace: str | Path | None = None,
        model: str | None = None,
        writer: Any = None,
        out: TextIO,
    ) -> None:
        from laureate_writer.loading import InputError

        self.out = out
        target = Path(target).expanduser().resolve()
        if workspace is None:
            cwd = Path.cwd().resolve()
            workspace = cwd if target.is_relative_to(cwd) else target.parent
        self.ctx = ops.Context(workspace, model=model, writer=writer, store=SessionStore(self))
        if not self.ctx.workspace.contains(target):
            raise ops.OperationError(
                f"{target} est hors de l'espace de travail {self.ctx.workspace.root}"
            )
        if not target.is_file():
            raise ops.OperationError(f"fichier introuvable : {target}")
        self.versions: list[Version] = []
        self.dossier: str | None = None
        if target.suffix.lower() in ARTICLE_SUFFIXES:
            self.article_path = target
        else:
            self.dossier = self.ctx.rel(target)
            report = ops.validate(self.ctx, self.dossier)  # fail early, with the problems
            if not report.ok:
                raise ops.OperationError("\n".join(report.problems))
            self.article_path = ops.default_article_path(target)
        self.article = self.ctx.rel(self.article_path)
        self.saved: str | None = None
        # how the chat reads a line (the loop's, with line editing); /edit reads with it
        self.read_line: Callable[[str], str | None] | None = None
        if self.article_path.is_file():
            from laureate_writer.loading import read_text

            try:
                self.saved = read_text(self.article_path)
            except InputError as exc:
                raise ops.OperationError(self.ctx.scrub(str(exc))) from None
            self.versions.append(Version(self.saved, "fichier"))
            if self.dossier is None:
                self.dossier = self._dossier_of_article()
        else:
            self.versions.append(Version(None, "début"))

    def _dossier_of_article(self) -> str | None:
        from laureate_writer.article import Article

        try:
            article = Article.from_markdown(self.saved or "", self.article)
            path, _ = ops.article_dossier_of(self.ctx, self.article_path, article)
        except Exception:  # the commands that need the dossier report the problem
            return None
        return self.ctx.rel(path)

    # --- versions --------------------------------------------------------------------------

    @property
    def current(self) -> str | None:
        return self.versions[-1].text

    @property
    def dirty(self) -> bool:
        return self.current is not None and self.current != self.saved

    def push(self, text: str, label: str) -> None:
        if text != self.current:
            self.versions.append(Version(text, label))

    # --- output ----------------------------------------------------------------------------

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def findings(self, findings: list[ops.Finding], limit: int = 12) -> None:
        for finding in findings[:limit]:
            self.say(f"  - {finding.one_line()}")
        if len(findings) > limit:
            self.say(f"  … et {len(findings) - limit} autres")

    # --- commands ----------------------------------------------------------------------------

    def handle(self, line: str) -> bool:
        """Run one slash command; False when the chat should end."""
        name, _, rest = line.strip().partition(" ")
        name = name.lower()
        handler = {
            "/draft": self.cmd_draft, "/regen": self.cmd_regen, "/check": self.cmd_check,
            "/fix": self.cmd_fix, "/facts": self.cmd_facts, "/show": self.cmd_show,
            "/diff": self.cmd_diff, "/undo": self.cmd_undo, "/save": self.cmd_save,
            "/edit": self.cmd_edit, "/modifier": self.cmd_edit,
            "/help": self.cmd_help, "/aide": self.cmd_help,
        }.get(name)  # fmt: skip
        if name in ("/quit", "/exit", "/q", "/quitter"):
            return False
        if handler is None:
            self.say(f"Commande inconnue : {name}. /help pour la liste.")
            return True
        try:
            handler(rest.strip())
        except ops.OperationError as exc:
            self.say(f"Erreur : {in_french(str(exc))}")
        return True

    def cmd_help(self, _: str) -> None:
        self.say(HELP)

    def _need_article(self) -> bool:
        if self.current is None:
            self.say("L'article n'est pas encore rédigé : /draft d'abord.")
            return False
        return True

    def cmd_draft(self, _: str) -> None:
        if self.dossier is None:
            raise ops.OperationError(
                "l'article ne nomme pas de dossier : impossible de le rédiger de nouveau"
            )
        report = ops.draft_article(self.ctx, self.dossier, output=self.article, overwrite=True)
        self.say(f"Article rédigé ({report.writer}) : {len(report.sections)} sections, "
                 f"{sum(s.words for s in report.sections)} mots.")  # fmt: skip
        for kind, reason in report.failures.items():
            self.say(f"  - section {kind} en échec : {reason}")
        if report.remaining:
            self.say(f"Reste à corriger ({len(report.remaining)}) :")
            self.findings(report.remaining)
        self.say("/show pour le lire, /save pour l'enregistrer.")

    def cmd_regen(self, rest: str) -> None:
        if not self._need_article():
            return
        force = False
        words = rest.split()
        if "--force" in words:
            force = True
            words = [w for w in words if w != "--force"]
        if not words:
            self.say("Usage : /regen SECTION consigne (par exemple /regen chapô plus court)")
            return
        section = SECTION_ALIASES.get(words[0].lower(), words[0].lower())
        instruction = " ".join(words[1:]) or None
        change = ops.regenerate_section(self.ctx, self.article, section, instruction, force)
        self.say(f"Section {change.section} réécrite ({change.writer}) :")
        if change.intertitle:
            self.say(f"## {change.intertitle}\n")
        self.say(change.text)
        if change.note:
            self.say(f"(note : {change.note})")
        if change.remaining:
            self.say("Reste à corriger :")
            self.findings(change.remaining)

    def cmd_edit(self, rest: str) -> None:
        """Replace a section's text by the editor's own, checked like any writer's text."""
        if not self._need_article():
            return
        name, _, text = rest.partition(" ")
        if not name:
            self.say("Usage : /edit SECTION texte (par exemple /edit chapô La ville de …)")
            return
        section = SECTION_ALIASES.get(name.lower(), name.lower())
        intertitle = None
        if not text.strip():
            lines = self._read_block()
            if lines is None:
                self.say("Modification annulée.")
                return
            if lines and lines[0].startswith("## "):
                intertitle = lines.pop(0)[3:].strip()
            text = "\n".join(lines)
        if not text.strip():
            self.say("Texte vide : rien n'a changé.")
            return
        if intertitle is None:  # the section keeps its intertitle
            from laureate_writer.article import Article, SectionKind

            if section in SectionKind.__members__:
                kept = Article.from_markdown(self.current or "", self.article).section(section)
                intertitle = kept.intertitle if kept else None
        report = ops.save_section(self.ctx, self.article, section, text.strip(), intertitle,
                                  force=True)  # fmt: skip
        self.say(f"Section {report.section} remplacée.")
        if report.remaining:
            self.say("Reste à corriger :")
            self.findings(report.remaining)

    def _read_block(self) -> list[str] | None:
        self.say("Saisissez le texte (« ## Intertitre » en première ligne si besoin), "
                 "puis une ligne « . » seule pour finir :")  # fmt: skip
        lines: list[str] = []
        while True:
            line = self.read_line("… ") if self.read_line is not None else None
            if line is None or line.strip() == "/quit":
                return None
            if line.strip() == ".":
                return lines
            lines.append(line)

    def cmd_check(self, _: str) -> None:
        if not self._need_article():
            return
        report = ops.check_style(self.ctx, self.article)
        if not report.findings:
            self.say("Style maison : aucune remarque.")
            return
        self.say(f"Style maison : {report.errors} erreur(s), {report.warnings} avertissement(s), "
                 f"{report.suggestions} suggestion(s).")  # fmt: skip
        self.findings(report.findings)

    def cmd_fix(self, _: str) -> None:
        if not self._need_article():
            return
        report = ops.fix_style(self.ctx, self.article)
        if report.changed_sections:
            self.say(f"Corrections sûres appliquées : {', '.join(report.changed_sections)}.")
        else:
            self.say("Aucune correction sûre à appliquer.")
        if report.remaining.findings:
            self.say(f"Reste {len(report.remaining.findings)} remarque(s) à traiter à la main :")
            self.findings(report.remaining.findings)

    def cmd_facts(self, _: str) -> None:
        if not self._need_article():
            return
        report = ops.check_facts(self.ctx, self.article)
        self.say(f"Faits : {report.supported}/{report.claims} affirmation(s) vérifiée(s) "
                 f"dans le dossier {report.dossier}.")  # fmt: skip
        if report.unsupported:
            self.say("Non étayé par le dossier :")
            self.findings(report.unsupported)
        for missing in report.missing_results:
            self.say(f"  - résultat du dossier jamais cité : {missing}")
        if report.ok and not report.missing_results:
            self.say("Tout est étayé.")

    def cmd_show(self, rest: str) -> None:
        if not self._need_article():
            return
        section = SECTION_ALIASES.get(rest.lower(), rest.lower()) if rest else None
        view = ops.show_article(self.ctx, self.article, section)
        text = view.text
        if section is None and text.startswith("---\n"):
            from laureate_writer.article import prose_of

            text = prose_of(text)
        self.say(text)

    def cmd_diff(self, _: str) -> None:
        if not self._need_article():
            return
        if self.saved is None:
            self.say(f"{self.article} n'a jamais été enregistré : /show pour le lire, /save "
                     "pour l'enregistrer.")  # fmt: skip
            return
        from laureate_writer.prose_diff import text_diff

        diff = text_diff(self.saved, self.current or "", self.article)
        self.say(
            diff.rstrip("\n") if diff else "Aucun changement depuis le dernier enregistrement."
        )

    def cmd_undo(self, _: str) -> None:
        if len(self.versions) <= 1:
            self.say("Rien à annuler.")
            return
        undone = self.versions.pop()
        self.say(f"Annulé : {undone.label}. Version en cours : {self.versions[-1].label} "
                 f"({len(self.versions)} version(s)).")  # fmt: skip

    def cmd_save(self, _: str) -> None:
        if not self._need_article():
            return
        from laureate_writer.output import WriteRefused
        from laureate_writer.store import ArticleStore, StaleWrite, version_of

        if not self.dirty and self.article_path.is_file():
            self.say(f"Rien de nouveau à enregistrer ({self.article}).")
            return
        store = ArticleStore(self.article_path)
        current = self.current or ""
        try:
            try:
                store.write(current, expected=version_of(self.saved))
                written = current
            except StaleWrite:
                written = self._save_merged(store)
        except StaleWrite as exc:
            self.say(f"Conflit : {exc.args[0]}. Rien n'a été enregistré ; /diff montre "
                     "vos changements, à reporter après avoir relancé le chat.")  # fmt: skip
            return
        except WriteRefused as exc:
            raise ops.OperationError(str(exc)) from None
        except OSError as exc:
            raise ops.OperationError(
                f"impossible d'écrire {self.article} : {exc.strerror or exc}"
            ) from None
        if written != current:
            self.push(written, "fusion avec le fichier")
            self.say("Le fichier avait changé sur le disque depuis l'ouverture : vos sections "
                     "y ont été reportées, les autres changements sont gardés.")  # fmt: skip
        self.saved = written
        self.say(f"Enregistré : {self.article}")

    def _save_merged(self, store: Any) -> str:
        """The file changed on disk since the chat read it: put the sections this chat
        changed into it, unless the same sections changed there too (StaleWrite)."""
        from laureate_writer.article import Article
        from laureate_writer.store import StaleWrite

        if self.saved is None:
            raise StaleWrite(f"{self.article} a été créé par ailleurs entre-temps")
        base = Article.from_markdown(self.saved, self.article)
        mine = Article.from_markdown(self.current or "", self.article)
        changed = [s for s in mine.sections if s != base.section(s.kind)]
        kinds = {s.kind.value for s in changed}
        mine_kinds = [s.kind for s in changed]

        def finish(article: Article) -> Article:
            history = {**article.history, **{k: v for k, v in mine.history.items() if k in kinds}}
            reports = dict(article.reports)
            unresolved = [u for u in reports.get("unresolved", []) if u.get("section") not in kinds]
            unresolved += [
                u for u in mine.reports.get("unresolved", []) if u.get("section") in kinds
            ]
            reports["unresolved"] = unresolved
            if not unresolved:
                del reports["unresolved"]
            return article.model_copy(update={"history": history, "reports": reports})

        try:
            store.replace_sections(base, changed, keep_previous=False, finish=finish)
        except StaleWrite as exc:
            name = next((k.french for k in mine_kinds if f"« {k.value} »" in str(exc)), "?")
            raise StaleWrite(
                f"la section {name} a été modifiée dans {self.article} depuis l'ouverture du chat"
            ) from None
        return store.read_text()[0] or ""

    def answer_offline(self, text: str) -> None:
        hints = [command for pattern, command in HINTS if pattern.search(text)]
        self.say(OFFLINE_ANSWER)
        if hints:
            self.say(f"Pour cette demande, essayez : {hints[0]}.")
