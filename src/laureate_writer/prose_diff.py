"""The diff an editor reads: the words that changed in each section's text, not the
article file's bookkeeping (history, provenance, timestamps).

Output, per changed section, the whole section with the changes marked inline in the
``wdiff`` style — ``[-removed words-]{+added words+}`` — under a ``@@ section @@`` line::

    --- brest.md (avant)
    +++ brest.md (après)
    @@ résultats (results) @@
    ## [-Premiers résultats-]{+Une Handibox très demandée+}
    La Handibox a été réservée 20 semaines[-.-]{+, et dix autres sont prévues.+}
"""

from __future__ import annotations

import difflib
import re

from laureate_writer.article import SECTION_ORDER, Article, Section

_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(before: str, after: str) -> str:
    """``after`` with what changed from ``before`` marked inline, word by word; changes
    separated by a mere space are shown as one (``[-a b-]{+c d+}``, not four marks)."""
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    chunks: list[list[str]] = []  # [kind, old text, new text]
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(old[i1:i2]), "".join(new[j1:j2])
        if op == "equal":
            chunks.append(["=", removed, added])
        elif chunks and chunks[-1][0] == "~":
            chunks[-1][1] += removed
            chunks[-1][2] += added
        elif len(chunks) >= 2 and chunks[-1][1].isspace() and chunks[-2][0] == "~":
            space = chunks.pop()[1]
            chunks[-1][1] += space + removed
            chunks[-1][2] += space + added
        else:
            chunks.append(["~", removed, added])
    out = []
    for kind, removed, added in chunks:
        if kind == "=":
            out.append(removed)
            continue
        out.append((f"[-{removed}-]" if removed else "") + (f"{{+{added}+}}" if added else ""))
    return "".join(out)


def _section_diff(old: Section | None, new: Section | None) -> str | None:
    """The section's intertitle and text diffed apart (None: unchanged)."""
    old_title, new_title = (
        (old.intertitle or "") if old else "",
        (new.intertitle or "") if new else "",
    )
    old_text, new_text = (old.text if old else ""), (new.text if new else "")
    if (old_title, old_text) == (new_title, new_text):
        return None
    lines = [f"## {word_diff(old_title, new_title)}"] if old_title or new_title else []
    return "\n".join([*lines, word_diff(old_text, new_text)])


def prose_diff(before: Article, after: Article, name: str = "article") -> str:
    """The word-level diff of every section whose text or intertitle changed; "" if none."""
    parts: list[str] = []
    for kind in SECTION_ORDER:
        changed = _section_diff(before.section(kind), after.section(kind))
        if changed is not None:
            parts.append(f"@@ {kind.french} ({kind.value}) @@\n{changed}\n")
    if not parts:
        return ""
    return f"--- {name} (avant)\n+++ {name} (après)\n" + "".join(parts)


def text_diff(before: str, after: str, name: str) -> str:
    """The prose diff of two article file texts; a line diff when one is not an article."""
    from laureate_writer.loading import InputError

    try:
        return prose_diff(Article.from_markdown(before, name), Article.from_markdown(after, name),
                          name)  # fmt: skip
    except InputError:
        return "".join(
            difflib.unified_diff(
                before.splitlines(keepends=True),
                after.splitlines(keepends=True),
                fromfile=f"{name} (avant)",
                tofile=f"{name} (après)",
            )
        )
