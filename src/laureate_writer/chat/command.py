"""``laureate-writer chat DOSSIER|ARTICLE``: the terminal chat's loop.

Reads one line at a time from ``stdin`` — at a terminal with line editing and history
(readline), else as a script gives it — and writes to ``stdout``. At a terminal, Ctrl-D
and Ctrl-C ask before dropping unsaved changes, like /quit.
Exit codes: 0 normal end, 1 the input ended with unsaved changes (they were not written),
2 bad target, workspace or model settings.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from typing import Any, TextIO

from laureate_writer.messages import LOCATED, say

PROMPT = "vous › "
QUIT_QUESTION = (
    "Des modifications ne sont pas enregistrées ({article}). "
    "Enregistrer avant de quitter ? [o]ui / [n]on / [a]nnuler : "
)


def run_chat(
    target: str,
    model: str | None,
    workspace: str | None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    *,
    chat_model: Any = None,
) -> int:
    """Run a chat on ``target`` until /quit or the end of the input. ``model``: a model
    spec, "offline", or None for the configured one (LW_MODEL, laureate-writer.toml).
    ``chat_model`` (tests, embedding): a LangChain chat model for the agent."""
    from laureate_writer import operations as ops
    from laureate_writer.chat.session import ChatSession
    from laureate_writer.loading import InputError
    from laureate_writer.workspace import WorkspaceError

    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout

    def fail(message: str) -> int:
        if LOCATED.match(message):  # located lines are printed as every command prints them
            print(message, file=sys.stderr)
        else:
            say(message)
        return 2

    try:
        from laureate_writer.settings import load_settings

        settings = load_settings(model=model)
        spec = settings.model if settings.uses_model else None
        agent_model = chat_model
        if spec is not None and agent_model is None:
            from laureate_writer.writers import build_chat_model

            agent_model, _ = build_chat_model(spec, settings)
        session = ChatSession(target, workspace=workspace, model=spec or "offline", out=stdout)
    except InputError as exc:  # located lines, as every command prints them
        print(exc, file=sys.stderr)
        return 2
    except (ops.OperationError, WorkspaceError) as exc:
        return fail(str(exc))
    except ImportError as exc:
        return fail(f"le chat avec un modèle demande l’extra agent "
                    f"(pip install 'laureate-writer[agent]') : {exc.name} manque")  # fmt: skip

    agent = None
    if spec is not None or chat_model is not None:
        try:
            from laureate_writer.chat.agent import AgentChat
        except ImportError:
            return fail("le chat avec un modèle demande : pip install 'laureate-writer[agent]'")
        agent = AgentChat(session, agent_model)

    mode = f"modèle {spec or 'fourni'}" if agent else "hors ligne (pas de modèle configuré)"
    state = "à rédiger : /draft" if session.current is None else "chargé"
    session.say(f"laureate-writer chat — article {session.article} ({state}), "
                f"dossier {session.dossier or '?'} ; mode {mode}.")  # fmt: skip
    session.say("Tapez /help pour les commandes, /quit pour sortir.")

    interactive = _line_editing(stdin)

    def read(prompt: str) -> str | None:
        if interactive:  # readline: arrows, history (kept between chats), Ctrl-R
            try:
                return input(prompt)
            except EOFError:
                stdout.write("\n")
                return None
            except KeyboardInterrupt:
                stdout.write("\n")
                return "/quit"
        stdout.write(prompt)
        stdout.flush()
        try:
            line = stdin.readline()
        except KeyboardInterrupt:
            stdout.write("\n")
            return "/quit"
        if not line:
            stdout.write("\n")
            return None
        return line.rstrip("\r\n")

    session.read_line = read
    while True:
        line = read(PROMPT)
        if line is None or line.strip().lower() in ("/quit", "/exit", "/q", "/quitter"):
            if not session.dirty:
                session.say("Au revoir.")
                return 0
            if line is None and not interactive:
                # a script's input ended: nobody to ask; the file is left as it was
                session.say("Fin de l'entrée : les modifications non enregistrées sont "
                            "abandonnées (utilisez /save avant de quitter).")  # fmt: skip
                return 1
            # Ctrl-D at a terminal asks, like Ctrl-C and /quit
            answer = read(QUIT_QUESTION.format(article=session.article))
            choice = (answer or "").strip().lower()
            if answer is None and not interactive:
                session.say("Modifications non enregistrées abandonnées.")
                return 1
            if choice in ("o", "oui", "y", "yes"):
                session.handle("/save")
                if session.dirty:
                    continue  # the save failed: stay in the chat
                session.say("Au revoir.")
                return 0
            if choice in ("n", "non", "no"):
                session.say("Modifications abandonnées. Au revoir.")
                return 0
            session.say("On continue.")
            continue
        text = line.strip()
        if not text:
            continue
        try:
            if text.startswith("/"):
                session.handle(text)
            elif agent is not None:
                agent.ask(text)
            else:
                session.answer_offline(text)
        except KeyboardInterrupt:
            session.say("\n(interrompu)")
        except Exception as exc:  # never lose the session's unsaved work to a traceback
            session.say(f"Erreur : {_describe(exc)}")


HISTORY_LENGTH = 1000


def _line_editing(stdin: TextIO) -> bool:
    """At a terminal, line editing and a history kept between chats (readline); False
    for a script's input (read line by line as it comes)."""
    if stdin is not sys.stdin or not stdin.isatty():
        return False
    try:
        import readline
    except ImportError:  # pragma: no cover - not on this platform
        return True  # input() still works, without editing
    import atexit
    import os
    from pathlib import Path

    state = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    history = state / "laureate-writer" / "chat_history"
    with contextlib.suppress(OSError):
        history.parent.mkdir(parents=True, exist_ok=True)
        readline.read_history_file(history)
    readline.set_history_length(HISTORY_LENGTH)

    def save() -> None:
        with contextlib.suppress(OSError):
            readline.write_history_file(history)

    atexit.register(save)
    return True


def _describe(exc: BaseException) -> str:
    from laureate_writer.writers.chat import describe_api_error

    reason = describe_api_error(exc)
    if reason:
        return reason
    if type(exc).__name__ == "GraphRecursionError":
        return "l'assistant a fait trop d'étapes sans conclure ; reformulez la demande"
    return f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="laureate-writer chat",
        description="Rédiger et réviser un texte en conversation.",
    )
    parser.add_argument("target", help="Un dossier (YAML/JSON) ou un article (Markdown).")
    parser.add_argument("--model", default=None, help="Un modèle, ou « offline ».")
    parser.add_argument("--workspace", default=None, help="Le répertoire des outils.")
    args = parser.parse_args(argv)
    return run_chat(args.target, args.model, args.workspace)
