"""``python -m laureate_writer.plugin [--workspace DIR] [--http] [--port N] [--host H]``."""

from __future__ import annotations

import sys

from laureate_writer.plugin.command import main

if __name__ == "__main__":
    sys.exit(main())
