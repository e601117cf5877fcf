"""laureate-writer: French award write-ups drafted from structured dossiers.

The public API is deliberately light to import: nothing here pulls in a model client.
"""

__version__ = "0.1.0"
