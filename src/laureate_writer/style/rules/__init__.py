"""Rule types, one module each (Vale-style). The registry maps a style file's
``type:`` to its class; modules are imported only when a style uses them."""

from __future__ import annotations

import importlib

from .base import Rule, RuleError

RULE_TYPES = {
    "typography": "typography",
    "substitution": "substitution",
    "existence": "existence",
    "length": "length",
    "capitalization": "capitalization",
    "acronym": "acronym",
    "consistency": "consistency",
    "repetition": "repetition",
}


def rule_class(type_name: object) -> type[Rule]:
    if not isinstance(type_name, str) or type_name not in RULE_TYPES:
        raise RuleError(
            f"type de règle inconnu « {type_name} » (types : {', '.join(RULE_TYPES)})", "type"
        )
    module = importlib.import_module(f"{__name__}.{RULE_TYPES[type_name]}")
    return module.RULE


__all__ = ["RULE_TYPES", "Rule", "RuleError", "rule_class"]
