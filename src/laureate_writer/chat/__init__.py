"""``laureate-writer chat DOSSIER|ARTICLE``: drafting and revising a write-up as a conversation.

Offline, slash commands (/draft, /regen, /check, /fix, /facts, /show, /diff, /undo, /save);
with a model, a LangChain agent over :mod:`laureate_writer.tools` answers plain French
requests ("raccourcis le chapô"), streaming its answers. Entry point:
:func:`laureate_writer.chat.command.run_chat`.
"""
