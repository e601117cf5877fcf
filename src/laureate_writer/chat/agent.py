"""The chat with a model: a LangChain agent (``create_agent``) over laureate-writer's tools.

The agent's tools work on the session's article through the session's store, so what it
changes is a new version like any slash command (``/undo`` reverts it, ``/save`` writes
it). Answers are streamed token by token; each tool call is shown on its own line.
"""

from __future__ import annotations

from typing import Any

from laureate_writer.chat.session import ChatSession

SYSTEM = """\
Tu es l'assistant de rédaction de laureate-writer, dans une rédaction de presse territoriale.
Tu aides un ou une journaliste à rédiger et réviser la présentation d'un lauréat des prix, en
français, avec les seuls faits du dossier : jamais un chiffre, une date, un nom ou une citation
qui n'y figure pas.

Article en cours : {article} (dossier : {dossier}). {state}
Outils : draft_article (dossier={dossier!r}, output={article!r}, overwrite=true) rédige tout
l'article ; regenerate_section réécrit une section selon une consigne (« plus court », « mets
en avant les résultats ») ; show_article, check_style, fix_style, check_facts, undo_section.
Sections : headline (titre), lead (chapô), context, method, details, results, caption.
Les changements restent en mémoire : l'utilisateur les enregistre avec /save.
Réponds brièvement ; après une réécriture, cite la nouvelle version et les erreurs restantes.
"""
HISTORY_LIMIT = 40  # messages kept from one turn to the next
RECURSION_LIMIT = 30  # agent steps per turn


class AgentChat:
    """Plain-text turns answered by an agent over the tools."""

    def __init__(self, session: ChatSession, chat_model: Any) -> None:
        from langchain.agents import create_agent

        from laureate_writer.tools import make_tools

        self.session = session
        tools = make_tools(session.ctx, include={
            "draft_article", "regenerate_section", "undo_section", "check_style", "fix_style",
            "check_facts", "show_article", "validate_dossier",
        })  # fmt: skip
        self.agent = create_agent(chat_model, tools, name="laureate_writer_chat")
        self.history: list[Any] = []

    def _system(self) -> str:
        state = ("L'article est rédigé." if self.session.current is not None
                 else "L'article n'est pas encore rédigé.")  # fmt: skip
        return SYSTEM.format(article=self.session.article, dossier=self.session.dossier or "?",
                             state=state)  # fmt: skip

    def ask(self, text: str) -> None:
        from langchain_core.messages import HumanMessage, SystemMessage

        out = self.session.out
        messages = [SystemMessage(self._system()), *self.history, HumanMessage(text)]
        final: list[Any] | None = None
        streamed = False
        for mode, data in self.agent.stream({"messages": messages},
                                            config={"recursion_limit": RECURSION_LIMIT},
                                            stream_mode=["messages", "values"]):  # fmt: skip
            if mode == "values":
                final = data.get("messages")
                continue
            chunk, meta = data
            if chunk.type == "tool":
                status = "erreur" if str(chunk.content).startswith("Erreur") else "ok"
                if streamed:
                    out.write("\n")
                    streamed = False
                out.write(f"  [outil {chunk.name} : {status}]\n")
            elif meta.get("langgraph_node") == "model":
                piece = chunk.content if isinstance(chunk.content, str) else chunk.text
                if piece:
                    out.write(piece)
                    streamed = True
            out.flush()
        if streamed:
            out.write("\n")
            out.flush()
        if final is not None:
            self.history = _trim([m for m in final if m.type != "system"])


def _trim(messages: list[Any]) -> list[Any]:
    """The last messages, starting at a user message (never at a dangling tool result)."""
    if len(messages) <= HISTORY_LIMIT:
        return messages
    tail = messages[-HISTORY_LIMIT:]
    for i, message in enumerate(tail):
        if message.type == "human":
            return tail[i:]
    return []
