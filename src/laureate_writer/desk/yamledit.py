"""Setting one value in a YAML dossier while keeping its comments and layout
(ruamel.yaml's round trip): what the desk's form does to the YAML source.

The text comes from a browser, so it first goes through the shared reader's guards
(:mod:`laureate_writer.loading`): size limit, no NUL, NFC, then the same YAML reading as
``validate`` (no aliases, no merge keys, bounded depth) before ruamel sees it."""

from __future__ import annotations

import io
import itertools
from typing import Any


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the long notes a journalist wrote on one line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _guarded(text: str, name: str) -> str:
    from pathlib import Path

    from laureate_writer.loading import InputError, guard_text, parse_document

    try:
        text = guard_text(name, text)
        if text.strip():
            parse_document(Path(name), text)
    except InputError as exc:
        raise ValueError(str(exc.problems[0])) from None
    return text


def _depth(value: Any) -> int:
    """How deeply ``value`` nests (without recursion: it came from a request)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return deepest


def set_value(text: str, loc: list[str | int], value: Any, name: str = "dossier.yaml") -> str:
    """``text`` with the value at ``loc`` (keys and list indexes) set; ``None`` removes
    it. Missing mappings on the way are created. ValueError if the YAML is refused by
    the shared reader or does not parse, or the location does not fit the document."""
    from ruamel.yaml.error import YAMLError

    from laureate_writer.loading import MAX_DEPTH, yaml_problem

    text = _guarded(text, name)
    if len(loc) + _depth(value) > MAX_DEPTH:
        raise ValueError(f"la valeur est imbriquée sur plus de {MAX_DEPTH} niveaux")
    yaml = _yaml()
    try:
        data = yaml.load(text) if text.strip() else None
    except YAMLError as exc:
        raise ValueError(f"YAML illisible : {yaml_problem(str(exc))}") from None
    if data is None:
        from ruamel.yaml.comments import CommentedMap

        data = CommentedMap()
    if not loc:
        raise ValueError("emplacement de champ vide")
    node = data
    for step, following in itertools.pairwise(loc):
        node = _child(node, step, following)
    last = loc[-1]
    if isinstance(node, dict):
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    elif isinstance(node, list) and isinstance(last, int):
        if value is None:
            if 0 <= last < len(node):
                del node[last]
        elif last == len(node):
            node.append(value)
        elif 0 <= last < len(node):
            node[last] = value
        else:
            raise ValueError(f"pas d’élément {last} dans la liste")
    else:
        raise ValueError(f"impossible de définir « {last} » ici")
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _child(node: Any, step: str | int, following: str | int) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    fresh = CommentedSeq() if isinstance(following, int) else CommentedMap()
    if isinstance(node, dict) and isinstance(step, str):
        if not isinstance(node.get(step), dict | list):
            node[step] = fresh
        return node[step]
    if isinstance(node, list) and isinstance(step, int):
        if step == len(node):
            node.append(fresh)
        if not 0 <= step < len(node):
            raise ValueError(f"pas d’élément {step} dans la liste")
        if not isinstance(node[step], dict | list):
            node[step] = fresh
        return node[step]
    raise ValueError(f"impossible de suivre « {step} » ici")
