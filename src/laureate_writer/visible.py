"""What a person sees: the characters that change or hide what a text displays.

Bidirectional controls can reorder what is shown (``\\u202e21\\u202c`` displays "12"),
invisible characters hide inside words (a zero-width space splits "21" for a machine
only), control characters (ESC…) drive terminals. The house style flags them (rule
``typo.invisible``, ``typo.control``), the dossier refuses them in names and the fact
guard reads :func:`visible_text` — the text as it is displayed — so that a figure
checked is the figure a reader reads.
"""

from __future__ import annotations

import re
import unicodedata

# Reorder what is displayed (Unicode bidi embeddings, overrides, isolates, marks).
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Display nothing (or nothing but a possible hyphen) yet change what a machine reads.
INVISIBLE = (
    "\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064"
    "\ufeff"
)
# Break a line where no line break is written.
LINE_SEPARATORS = "\u2028\u2029\u0085"
# C0 and C1 controls but tab and line feed (ESC starts terminal escape sequences).
CONTROLS = "".join(chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)])
CONTROLS = CONTROLS.replace("\x85", "")

SUSPECT = re.compile("[" + re.escape(BIDI_CONTROLS + INVISIBLE + LINE_SEPARATORS + CONTROLS) + "]")

_OVERRIDES = {"\u202d": "L", "\u202e": "R"}  # LRO, RLO: force the direction of letters
_OPENERS = "\u202a\u202b\u202d\u202e\u2066\u2067\u2068"
_CLOSERS = "\u202c\u2069"


def name(char: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'CONTROL CHARACTER')}"


def visible_text(text: str) -> tuple[str, list[int] | None]:
    """The text as displayed, and for each of its characters the offset it comes from
    in ``text`` (None when nothing changes, the usual case). A right-to-left override
    shows the letters and digits it covers in reverse order; an invisible character
    shows nothing; the other controls show nothing either."""
    if SUSPECT.search(text) is None:
        return text, None
    # a stack of runs: each override, embedding or isolate opens one, its closer (or the
    # end of the line) closes it; an RLO run is shown reversed
    stack: list[tuple[str, list[tuple[str, int]]]] = [("", [])]

    def close() -> None:
        kind, run = stack.pop()
        stack[-1][1].extend(reversed(run) if kind == "R" else run)

    for i, char in enumerate(text):
        if char in _OPENERS:
            stack.append((_OVERRIDES.get(char, ""), []))
        elif char in _CLOSERS:
            if len(stack) > 1:
                close()
        elif char == "\n" or char in LINE_SEPARATORS:
            while len(stack) > 1:  # a paragraph ends every embedding
                close()
            stack[-1][1].append(("\n", i))
        elif char in INVISIBLE or char in BIDI_CONTROLS or char in CONTROLS:
            continue
        else:
            stack[-1][1].append((char, i))
    while len(stack) > 1:
        close()
    chars = stack[0][1]
    return "".join(c for c, _ in chars), [i for _, i in chars]
