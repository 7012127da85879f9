"""Small, careful changes to a round-trip YAML tree (ruamel CommentedMap).

Only the fields a command owns are touched, so comments, key order, quoting and
fields this version of rj does not know survive (todoman's
``VtodoWriter._write_existing`` does the same for calendar files).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def _node(value: Any) -> Any:
    """Plain data to ruamel nodes; multi-line text as a literal block."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString

    if isinstance(value, Mapping):
        out = CommentedMap()
        for key, item in value.items():
            out[key] = _node(item)
        return out
    if isinstance(value, (list, tuple)):
        seq = CommentedSeq()
        seq.extend(_node(v) for v in value)
        return seq
    if isinstance(value, str) and "\n" in value:
        text = value.rstrip("\n")  # trailing line ends are never kept, in either style
        return LiteralScalarString(text) if _printable_block(text) else text
    return value


def _printable_block(text: str) -> bool:
    """A literal block keeps only printable text and plain line ends; anything else (a
    carriage return, an escape, a form feed) is written double-quoted with escapes."""
    return all(ch == "\n" or (ch.isprintable() and ch not in "\x85\u2028\u2029") for ch in text)


def append(tree: Any, key: str, entry: Mapping[str, Any]) -> None:
    """Append ``entry`` to the list ``key`` (created, in block style, when missing)."""
    from ruamel.yaml.comments import CommentedSeq

    current = tree.get(key)
    if not isinstance(current, list):
        tree[key] = CommentedSeq()
        current = tree[key]
    elif getattr(current, "fa", None) is not None and current.fa.flow_style():
        current.fa.set_block_style()
    current.append(_node(entry))


def set_in(tree: Any, path: Sequence[str], value: Any) -> None:
    """Set ``tree[a][b]... = value``, creating mappings on the way."""
    from ruamel.yaml.comments import CommentedMap

    node = tree
    for step in path[:-1]:
        if not isinstance(node.get(step), Mapping):
            node[step] = CommentedMap()
        node = node[step]
    if node.get(path[-1]) != value:
        node[path[-1]] = _node(value)


def find_entry(tree: Any, key: str, entry_id: str) -> Any | None:
    """The entry with ``id`` in list ``key``, or None."""
    for entry in tree.get(key) or []:
        if isinstance(entry, Mapping) and entry.get("id") == entry_id:
            return entry
    return None


def as_plain(value: Any) -> Any:
    """A plain-data copy of a ruamel node (for building new records)."""
    if isinstance(value, Mapping):
        return {k: as_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_plain(v) for v in value]
    return value
