"""The editorial desk: the assistant in the browser (``laureate-writer desk``).

A Starlette application over the same operations as the CLI, the chat and the MCP
plugin: a workspace view, a dossier editor generated from the JSON Schema, the article
rendered like the palmarès page with every problem marked and a one-click safe fix, a
conversation per article that proposes section rewrites as word-level diffs to accept
or refuse, and the palmarès page built with progress.
"""
