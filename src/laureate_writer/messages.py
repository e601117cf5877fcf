"""How the tool speaks to people: in French (the newsrooms' language), each line after
one prefix, ``laureate-writer : …``. A located problem keeps the ``FILE:LINE:COL: …``
form editors and CI parse instead. Identifiers, logs and code stay in English."""

from __future__ import annotations

import re
import sys
from typing import TextIO

PREFIX = "laureate-writer : "
LOCATED = re.compile(r"^\S+:\d+:\d+: ")  # FILE:LINE:COL: a problem in a file


def say(message: str, file: TextIO | None = None) -> None:
    """One line for people on stderr (or ``file``)."""
    print(PREFIX + message, file=file or sys.stderr, flush=True)
