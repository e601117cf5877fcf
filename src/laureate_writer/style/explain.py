"""``laureate-writer rules [ID]``: the house style's rules, listed or explained from the
style file's own documentation (message, ``why``, examples), as ``ruff rule`` does."""

from __future__ import annotations

import difflib

from .docgen import TYPE_INTRO, show
from .engine import StyleError, load_style


def explain(style_ref: str | None, rule_id: str | None) -> tuple[int, str]:
    """(exit code, text): 0 and the listing or explanation; 2 and a one-line error."""
    try:
        style = load_style(style_ref, include_disabled=True)
    except StyleError as exc:
        return 2, f"laureate-writer rules : style invalide : {exc}"
    if rule_id is None:
        return 0, _listing(style.rules)
    rule = style.by_id.get(rule_id)
    if rule is not None:
        return 0, _explanation(rule)
    matching = [r for r in style.rules if r.id.startswith(rule_id)]
    if matching:
        return 0, _listing(matching)
    hint = difflib.get_close_matches(rule_id, list(style.by_id), n=1, cutoff=0.6)
    suffix = f" (vouliez-vous dire « {hint[0]} » ?)" if hint else ""
    return 2, f"laureate-writer rules : règle inconnue « {rule_id} »{suffix}"


def _listing(rules: list) -> str:
    lines = []
    for rule in rules:
        fix = "[*]" if rule.fix == "safe" else "   "
        off = "" if getattr(rule, "enabled", True) else " (désactivée)"
        lines.append(f"{rule.id:<32} {rule.severity:<10} {fix} {rule.message}{off}")
    return "\n".join(lines) + "\n"


def _explanation(rule) -> str:
    lines = [
        f"{rule.id} ({rule.type_name} : {TYPE_INTRO.get(rule.type_name, '')})",
        "",
        f"Gravité : {rule.severity} · portée : {', '.join(rule.scope_names)} · "
        f"correction : {rule.fix}" + ("" if getattr(rule, "enabled", True) else " · désactivée"),
        "",
        rule.message,
    ]
    if rule.why:
        lines += ["", rule.why]
    examples = []
    for ex in rule.examples:
        if "bad" in ex:
            fixed = ex.get("fixed")
            examples.append(
                f"  ✗ {show(ex['bad'])}" + (f"  →  {show(fixed)}" if fixed is not None else "")
            )
        if "good" in ex:
            examples.append(f"  ✓ {show(ex['good'])}")
    if examples:
        lines += ["", "Exemples (~ espace insécable, ^ espace fine insécable) :", *examples]
    return "\n".join(lines) + "\n"
