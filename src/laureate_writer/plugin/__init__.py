"""laureate-writer as a plugin for chat assistants: an MCP server (``laureate-writer mcp``).

:func:`laureate_writer.plugin.server.build_server` builds the server over a workspace;
:func:`laureate_writer.plugin.command.run_mcp` runs it over stdio or streamable HTTP.
Importing this package imports nothing of the MCP SDK: it is loaded by those functions.
"""
