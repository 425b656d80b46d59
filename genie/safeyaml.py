"""Untrusted YAML to plain values, within limits, without ever raising.

:func:`load` turns one YAML document into dicts, lists, strings and ``None``, or
returns a problem message. It is safe on hostile input:

- nesting is measured on the parser's event stream (iterative) before anything
  recursive runs: libyaml's composer overflows the C stack on deep nesting, and
  PyYAML's raises RecursionError. Newer libyaml scanners (PyYAML 6.0.4's wheels)
  refuse flow nesting past their own limit while looking ahead, before the first
  event; that refusal is reported in the same words as ours, so the caller sees
  one rule whichever layer applied it;
- aliases are allowed (``&defaults`` and ``<<: *defaults`` are common in CI
  files) but the document they expand to is counted first, so an alias bomb is
  refused before it is walked, and an alias of its own ancestor is refused;
- scalars are the text as written (``1.10`` stays ``"1.10"``, ``yes`` stays
  ``"yes"``; only an untagged null becomes ``None``): no tag is ever constructed.

The caller caps the text length: the cost of every step is linear in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import yaml

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_DEPTH: Final = 32
MAX_NODES: Final = 50_000

_NULL_TAG = "tag:yaml.org,2002:null"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_STARTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


@dataclass(frozen=True)
class Loaded:
    """The document (``None`` when empty), or the problems that stopped it."""

    value: object
    problems: tuple[str, ...] = ()


class _Refused(Exception):
    pass


def load(text: str, *, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES) -> Loaded:
    """One YAML document as plain values. Problems read ``is not valid YAML: ...``,
    ``cannot nest more than N levels deep`` and so on, to follow a field label."""
    problems: list[str] = []
    try:
        _check_depth(text, max_depth)
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
        if node is None:
            return Loaded(None)
        _measure(node, max_depth, max_nodes)
        value = _plain(node, {}, problems)
    except _Refused as exc:
        return Loaded(None, (str(exc),))
    except yaml.YAMLError as exc:
        if _scanner_refused_nesting(exc):
            return Loaded(None, (_too_deep(max_depth),))
        return Loaded(None, (f"is not valid YAML: {_reason(exc)}",))
    return Loaded(None if problems else value, tuple(problems))


def _check_depth(text: str, max_depth: int) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, _STARTS):
            depth += 1
            if depth > max_depth:
                raise _Refused(_too_deep(max_depth))
        elif isinstance(event, _ENDS):
            depth -= 1


def _too_deep(max_depth: int) -> str:
    return f"cannot nest more than {max_depth} levels deep"


def _scanner_refused_nesting(exc: yaml.YAMLError) -> bool:
    """libyaml's own depth limit (``exceeded maximum nesting depth``, libyaml
    0.2.5's scanner as bundled with PyYAML 6.0.4), hit while looking ahead."""
    return isinstance(exc, yaml.scanner.ScannerError) and "nesting depth" in (exc.problem or "")


def _children(node: yaml.Node) -> list[yaml.Node]:
    if not isinstance(node, yaml.CollectionNode):
        return []
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    return list(node.value)


def _measure(root: yaml.Node, max_depth: int, max_nodes: int) -> None:
    """Refuse a document whose aliases expand past ``max_nodes`` values or
    ``max_depth`` levels, or point back to their own ancestor.

    An iterative post-order walk: aliases can chain far deeper than the text nests.
    Sizes are memoised per node, so a bomb costs time linear in the text.
    """
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            kids = [id(child) for child in _children(node)]
            size[key] = 1 + sum(size[kid] for kid in kids)
            depth[key] = 1 + max((depth[kid] for kid in kids), default=0)
            open_.discard(key)
            if size[key] > max_nodes:
                raise _Refused(f"expands to more than {max_nodes} values")
            if depth[key] > max_depth + 1:
                raise _Refused(_too_deep(max_depth))
        elif key in open_:
            raise _Refused("contains an alias that refers to itself")
        elif key not in size:
            open_.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node))


def _plain(node: yaml.Node, seen: dict[int, object], problems: list[str]) -> object:
    """Nodes to plain values; an aliased node is converted once and shared.

    Merge keys (``<<: *x`` or ``<<: [*x, *y]``) follow the YAML merge spec: the
    mapping's own keys win, then earlier merged mappings over later ones.
    """
    key = id(node)
    if key in seen:
        return seen[key]
    value: object
    if isinstance(node, yaml.ScalarNode):
        value = None if node.tag == _NULL_TAG else node.value
    elif isinstance(node, yaml.SequenceNode):
        value = [_plain(item, seen, problems) for item in node.value]
    else:
        merged: dict[str, object] = {}
        own: dict[str, object] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                _add(problems, "keys must be plain strings")
            elif key_node.tag == _MERGE_TAG:
                many = isinstance(value_node, yaml.SequenceNode)
                for source in reversed(value_node.value if many else [value_node]):
                    plain = _plain(source, seen, problems)
                    if isinstance(plain, dict):
                        merged.update(plain)
                    else:
                        _add(problems, "can only merge mappings with <<")
            elif key_node.value in own:
                _add(problems, f"has the key {key_node.value} more than once in one mapping")
            else:
                own[key_node.value] = _plain(value_node, seen, problems)
        value = {**merged, **own}
    seen[key] = value
    return value


def _add(problems: list[str], message: str) -> None:
    if message not in problems:
        problems.append(message)


def _reason(exc: yaml.YAMLError) -> str:
    """The parser's words and position; never a snippet of the input."""
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem:
        reason = f"{exc.context}, {exc.problem}" if exc.context else exc.problem
        mark = exc.problem_mark
        if mark is not None:
            reason += f" (line {mark.line + 1}, column {mark.column + 1})"
        return reason
    return str(exc).splitlines()[0]
