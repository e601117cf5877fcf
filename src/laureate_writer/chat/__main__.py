"""``python -m laureate_writer.chat TARGET [--model M] [--workspace DIR]``."""

from __future__ import annotations

import sys

from laureate_writer.chat.command import main

if __name__ == "__main__":
    sys.exit(main())
