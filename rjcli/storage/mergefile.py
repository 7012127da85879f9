"""The merge driver's file work: three versions of a record in, one merged file out.

git calls ``rj merge-file %O %A %B %P`` when both sides changed a record. The three
files are parsed, merged by :func:`rjcli.core.merge.merge`, and the result is
applied onto the round-trip tree of OURS (%A), so its comments, key order and
quoting survive; entries added only on their side are copied from THEIRS' tree
with their own formatting. The result is written back into OURS, as git wants.

A real conflict leaves OURS in git's conflict state: everything that merged is
merged, and each conflicting field is wrapped in ``<<<<<<< ours`` / ``=======`` /
``>>>>>>> theirs`` markers (the whole file when the field cannot be located).
"""

from __future__ import annotations

import copy
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rjcli.core.ids import is_record_id
from rjcli.core.merge import (
    KEYED_LISTS,
    MISSING,
    Conflict,
    EntryRef,
    MergeResult,
    entry_id,
    merge,
    same,
)
from rjcli.storage import yamlio
from rjcli.storage.edits import as_plain, set_in

OURS_MARK = "<<<<<<< ours"
SPLIT_MARK = "======="
THEIRS_MARK = ">>>>>>> theirs"


@dataclass(frozen=True)
class FileMerge:
    """What merging one file came to."""

    text: str
    """The text written into OURS (merged, or with conflict markers)."""
    conflicts: tuple[Conflict, ...]
    """Fields both sides changed differently (empty: a clean merge)."""
    unreadable: str | None = None
    """Why a version could not be read as YAML (then the whole file conflicts)."""

    @property
    def clean(self) -> bool:
        return not self.conflicts and self.unreadable is None


def record_label(path: str) -> str:
    """``V-0012`` for ``victims/V-0012.yaml``; the path itself for other files."""
    stem = Path(path).stem
    return stem if is_record_id(stem) else path


def merge_texts(base: str, ours: str, theirs: str, prefer: str | None = None) -> FileMerge:
    """Merge three versions of one YAML file.

    ``prefer`` ("ours" or "theirs") settles every conflict for that side instead of
    marking it (``rj sync --keep``); the conflicts are still returned, as settled.
    """
    if ours == theirs or theirs == base:
        return FileMerge(ours, ())
    if ours == base:
        return FileMerge(theirs, ())
    try:
        base_data = yamlio.parse_text(base) if base.strip() else None
        ours_doc = yamlio.load_document(ours)
        theirs_doc = yamlio.load_document(theirs)
    except yamlio.YamlProblem as exc:
        where = f" (line {exc.line})" if exc.line else ""
        reason = f"{exc.message}{where}"
        if prefer is not None:
            return FileMerge(ours if prefer == "ours" else theirs, (), reason)
        return FileMerge(_whole_file_markers(ours, theirs), (), reason)
    if prefer == "theirs":
        # merge the other way round: theirs is kept at each conflict, on theirs' tree
        result = merge(base_data, theirs_doc.data, ours_doc.data, senior="theirs")
        text = apply_onto(theirs_doc, result, ours_doc.tree)
        return FileMerge(text, tuple(_swap(c) for c in result.conflicts))
    result = merge(base_data, ours_doc.data, theirs_doc.data)
    text = apply_onto(ours_doc, result, theirs_doc.tree)
    if result.conflicts and prefer is None:
        text = mark_conflicts(text, result.conflicts, theirs_doc.tree, ours, theirs)
    return FileMerge(text, result.conflicts)


def merge_file(base: Path, ours: Path, theirs: Path, prefer: str | None = None) -> FileMerge:
    """The merge driver: merge the files and write the result into ``ours``."""
    texts = [yamlio.decode(p.read_bytes()) if p.exists() else "" for p in (base, ours, theirs)]
    result = merge_texts(texts[0], texts[1], texts[2], prefer)
    with open(ours, "w", encoding="utf-8", newline="") as handle:
        handle.write(result.text)
    return result


def _swap(conflict: Conflict) -> Conflict:
    return Conflict(conflict.path, conflict.base, conflict.theirs, conflict.ours)


# --- applying the merged data onto our round-trip tree -----------------------------------


def apply_onto(document: yamlio.Document, result: MergeResult, theirs_tree: Any) -> str:
    """Change ``document``'s tree into ``result.merged`` and dump it.

    Falls back to a fresh dump of the merged data (comments lost, data right) in the
    unlikely case the changed tree does not read back as the merged data.
    """
    tree = document.tree
    merged = result.merged
    if isinstance(tree, Mapping) and isinstance(merged, Mapping):
        _apply_map(tree, merged, theirs_tree)
        text = document.dump()
    else:
        text = yamlio.dump_new(merged)
    try:
        if same(yamlio.parse_text(text), merged):
            return text
    except yamlio.YamlProblem:
        pass
    return yamlio.dump_new(merged)


def _apply_map(node: Any, merged: Mapping[str, Any], theirs: Any) -> None:
    for key in [k for k in node if k not in merged]:
        delete_keeping_comments(node, key)
    previous: str | None = None
    for key, value in merged.items():
        their = theirs.get(key) if isinstance(theirs, Mapping) else None
        if key in node:
            replacement = _apply_value(node[key], value, their, key)
            if replacement is not node[key]:
                node[key] = replacement
        else:
            keys = list(node)
            position = keys.index(previous) + 1 if previous in keys else 0
            node.insert(position, key, _new_node(value, their))
        previous = key


def _apply_value(current: Any, value: Any, their: Any, key: str | None) -> Any:
    """``current`` changed in place into ``value`` where it can be, else a new node."""
    if same(as_plain(current), value):
        return current
    if isinstance(current, Mapping) and isinstance(value, Mapping):
        _apply_map(current, value, their)
        return current
    if isinstance(current, list) and isinstance(value, list) and _apply_seq(current, value,
                                                                            their, key):
        return current
    return _new_node(value, their)


def _identity(item: Any, key: str | None) -> Any:
    if isinstance(item, Mapping):
        if entry_id(item) is not None:
            return ("id", entry_id(item))
        field = KEYED_LISTS.get(key or "")
        if field and isinstance(item.get(field), str):
            return (field, item[field])
    return ("content", repr(as_plain(item)))


def _apply_seq(seq: Any, merged: list[Any], theirs: Any, key: str | None) -> bool:
    """Change a list of entries in place (False: replace it whole instead)."""
    if not all(isinstance(item, Mapping) for item in [*seq, *merged]):
        return False
    wanted = [_identity(item, key) for item in merged]
    present = [_identity(item, key) for item in seq]
    if len(set(wanted)) != len(wanted) or len(set(present)) != len(present):
        return False
    their_items = ({_identity(item, key): item for item in theirs}
                   if isinstance(theirs, list) else {})
    for index in range(len(seq) - 1, -1, -1):
        if present[index] not in wanted:
            delete_keeping_comments(seq, index)
    if merged and getattr(seq, "fa", None) is not None and seq.fa.flow_style():
        seq.fa.set_block_style()
    for index, value in enumerate(merged):
        ident = wanted[index]
        their = their_items.get(ident)
        found = next((j for j in range(index, len(seq)) if _identity(seq[j], key) == ident), None)
        if found is None:
            seq.insert(index, _new_node(value, their))
            continue
        if found != index:
            seq.insert(index, seq.pop(found))
        replacement = _apply_value(seq[index], value, their, None)
        if replacement is not seq[index]:
            seq[index] = replacement
    return True


# --- comments stay with their neighbours -------------------------------------------------


def delete_keeping_comments(container: Any, at: Any) -> None:
    """Delete ``container[at]`` (a key or an index) but not the comment lines around it.

    ruamel keeps the comment lines that follow an entry on the entry's last line, and
    those before the first entry on that entry: deleting the entry would take them
    along. They move to the entry before (or to the front of the one after), so they
    stay where they were in the text. The deleted entry's own end-of-line comment goes.
    """
    position = list(container).index(at) if isinstance(container, Mapping) else at
    following = "".join(_take_following(owner, key, slot)
                        for owner, key, slot in _tail_slots(container, at))
    before = _comment_slot(container, at, 1)
    del container[at]
    keys = list(container) if isinstance(container, Mapping) else list(range(len(container)))
    if following and position > 0:
        _append_following(container, keys[position - 1], following)
    elif following and keys:
        before = [*(before or []), *_comment_lines(following)]
    if before and position == 0 and keys:
        items = container.ca.items.setdefault(keys[0], [None, None, None, None])
        items[1] = [*before, *(items[1] or [])]


def _comment_slot(container: Any, key: Any, slot: int) -> Any:
    items = getattr(container, "ca", None)
    found = items.items.get(key) if items is not None else None
    return found[slot] if found and len(found) > slot else None


def _tail_slots(container: Any, at: Any) -> list[tuple[Any, Any, int]]:
    """Where comments following ``container[at]`` can be kept: the entry's own slot, then
    that of its last item, down to the last line (outermost first)."""
    slots = [(container, at, 2 if isinstance(container, Mapping) else 0)]
    value = container[at]
    if isinstance(value, (Mapping, list)) and len(value) and hasattr(value, "ca"):
        last = list(value)[-1] if isinstance(value, Mapping) else len(value) - 1
        slots += _tail_slots(value, last)
    return slots


def _take_following(owner: Any, key: Any, slot: int) -> str:
    """The comment lines after ``owner[key]``'s line (its end-of-line comment left)."""
    token = _comment_slot(owner, key, slot)
    text = getattr(token, "value", None)
    if not isinstance(text, str) or "\n" not in text.rstrip("\n"):
        return ""
    rest = text.split("\n", 1)[1]
    return rest if "#" in rest else ""


def _append_following(container: Any, key: Any, lines: str) -> None:
    """Add comment ``lines`` after ``container[key]`` (on its deepest last line)."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    owner, last, slot = _tail_slots(container, key)[-1]
    items = owner.ca.items.setdefault(last, [None, None, None, None])
    token = items[slot]
    if token is None:
        items[slot] = CommentToken("\n" + lines, CommentMark(0))
    else:
        token.value = (token.value if token.value.endswith("\n") else token.value + "\n") + lines


def _comment_lines(lines: str) -> list[Any]:
    """Comment lines as tokens that sit before an entry."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    return [CommentToken(line.strip() + "\n", CommentMark(len(line) - len(line.lstrip(" "))))
            for line in lines.splitlines()]


def _new_node(value: Any, their: Any) -> Any:
    """Their node when it holds exactly ``value`` (keeps its formatting), else a new one."""
    if their is not None and same(as_plain(their), value):
        return copy.deepcopy(their)
    if value is None:
        return None
    from ruamel.yaml.comments import CommentedMap

    holder = CommentedMap()
    set_in(holder, ["value"], value)  # plain data to ruamel nodes, house style
    return holder["value"]


# --- conflict markers -------------------------------------------------------------------


def _whole_file_markers(ours: str, theirs: str) -> str:
    def ended(text: str) -> str:
        return text if text.endswith("\n") or not text else text + "\n"

    return f"{OURS_MARK}\n{ended(ours)}{SPLIT_MARK}\n{ended(theirs)}{THEIRS_MARK}\n"


def mark_conflicts(text: str, conflicts: tuple[Conflict, ...], theirs_tree: Any,
                   ours_original: str, theirs_original: str) -> str:
    """Wrap each conflicting field of the merged ``text`` in conflict markers."""
    tree = yamlio.round_trip().load(text)
    lines = text.splitlines(keepends=True)
    hunks = []
    for conflict in conflicts:
        region = _region(tree, lines, conflict.path)
        their = _find(theirs_tree, conflict.path)
        if region is None or (their is MISSING and conflict.theirs is not MISSING):
            return _whole_file_markers(ours_original, theirs_original)
        start, end, indent = region
        hunks.append((start, end, _snippet(conflict.path[-1], their, indent)))
    for start, end, theirs_lines in sorted(hunks, key=lambda h: h[0], reverse=True):
        ours_lines = "".join(lines[start:end])
        lines[start:end] = [f"{OURS_MARK}\n", ours_lines, f"{SPLIT_MARK}\n", theirs_lines,
                            f"{THEIRS_MARK}\n"]
    return "".join(lines)


def _find(tree: Any, path: tuple[Any, ...]) -> Any:
    """The node at ``path`` (keys and entry references), or MISSING."""
    node = tree
    for step in path:
        if isinstance(step, EntryRef):
            if not isinstance(node, list):
                return MISSING
            node = next((item for item in node if isinstance(item, Mapping)
                         and step.field and str(item.get(step.field)) == step.key), MISSING)
        elif isinstance(node, Mapping) and step in node:
            node = node[step]
        else:
            return MISSING
        if node is MISSING:
            return MISSING
    return node


def _region(tree: Any, lines: list[str], path: tuple[Any, ...]) -> tuple[int, int, int] | None:
    """(first line, line after the last, indent) of the field at ``path`` in the text."""
    if not path:
        return None
    parent = _find(tree, path[:-1])
    last = path[-1]
    try:
        if isinstance(last, EntryRef):
            index = next(i for i, item in enumerate(parent) if isinstance(item, Mapping)
                         and last.field and str(item.get(last.field)) == last.key)
            line, column = parent.lc.item(index)
            column -= 2  # the "- " in front of the entry
        else:
            line, column = parent.lc.key(last)
    except (StopIteration, AttributeError, KeyError, TypeError):
        return None
    if column < 0 or lines[line][:column].strip():
        return None  # the field shares its line with something else
    end = line + 1
    while end < len(lines):
        stripped = lines[end].strip()
        if stripped and len(lines[end]) - len(lines[end].lstrip(" ")) <= column:
            break
        end += 1
    while end > line + 1 and not lines[end - 1].strip():
        end -= 1
    return line, end, column


def _snippet(step: Any, their: Any, indent: int) -> str:
    """Their version of one field (or entry) as YAML text at ``indent``."""
    if their is MISSING:
        return ""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(step, EntryRef):
        holder: Any = CommentedSeq([copy.deepcopy(their)])
    else:
        holder = CommentedMap()
        holder[step] = copy.deepcopy(their)
    out = io.StringIO()
    yamlio.round_trip().dump(holder, out)
    pad = " " * indent
    return "".join(pad + line if line.strip() else line
                   for line in out.getvalue().splitlines(keepends=True))
