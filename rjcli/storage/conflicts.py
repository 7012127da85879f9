"""The conflicts of a stopped ``rj sync``: what both sides changed, who made the other
side, and settling them for one side (``rj sync --keep mine|theirs``).

While rj sync rebases this laptop's commits onto the shared copy, git's stage 2
("ours") is the shared copy's version and stage 3 ("theirs") this laptop's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rjcli.core.ids import is_record_id
from rjcli.core.merge import Conflict
from rjcli.storage.gitcmd import git, out
from rjcli.storage.mergefile import merge_texts, record_label

SHARED_STAGE, LOCAL_STAGE = 2, 3
"""git's index stages of a file while rebasing: the shared copy's, this laptop's."""


@dataclass(frozen=True)
class FileConflict:
    """One file both sides changed in ways that do not merge."""

    path: str
    """Path in the casebook."""
    record: str
    """Record id (or the path, for other files)."""
    conflicts: tuple[Conflict, ...]
    """The fields (ours = the shared copy's value, theirs = this laptop's)."""
    others: tuple[str, ...]
    """Who changed it in the shared copy (commit authors), for messages."""
    note: str | None = None
    """Why it could not be compared field by field (unreadable, not YAML)."""
    deleted: str = ""
    """Where the file was deleted (a purge): "shared", "here", or "" (changed on both)."""


def read_conflicts(root: Path, upstream: str) -> tuple[FileConflict, ...]:
    """The conflicts of a stopped rebase, field by field, with who made the other side."""
    top = Path(out(root, "rev-parse", "--show-toplevel") or root)
    prefix = out(root, "rev-parse", "--show-prefix")
    found = []
    for path in _unmerged(top):
        rel = path.removeprefix(prefix) if prefix else path
        authors = _authors(top, upstream, path)
        is_yaml = path.endswith((".yaml", ".yml"))
        base, shared, mine = ((_stage(top, n, path) if is_yaml else None) for n in (1, 2, 3))
        stages = _stages(top, path)
        if SHARED_STAGE not in stages or LOCAL_STAGE not in stages:
            deleted = "shared" if SHARED_STAGE not in stages else "here"
            note = ("it was deleted in the shared copy and changed here" if deleted == "shared"
                    else "it was deleted here and changed in the shared copy")
            found.append(FileConflict(rel, record_label(rel), (), authors, note, deleted))
            continue
        if shared is None or mine is None:
            found.append(FileConflict(rel, record_label(rel), (), authors, "not a YAML record"))
            continue
        result = merge_texts(base or "", shared, mine)
        found.append(FileConflict(rel, record_label(rel), result.conflicts, authors,
                                  result.unreadable))
    return tuple(found)


def _unmerged(top: Path) -> list[str]:
    return [p for p in out(top, "diff", "--name-only", "--diff-filter=U").splitlines() if p]


def _stages(top: Path, path: str) -> set[int]:
    """The index stages git holds for an unmerged ``path`` (1 base, 2 shared, 3 here)."""
    lines = out(top, "ls-files", "--unmerged", "--", path).splitlines()
    return {int(line.split()[2]) for line in lines if len(line.split()) >= 3}


def _stage(top: Path, number: int, path: str) -> str | None:
    proc = git(top, "show", f":{number}:{path}", check=False)
    return proc.stdout if proc.returncode == 0 else None


def _authors(top: Path, upstream: str, path: str) -> tuple[str, ...]:
    """Who changed ``path`` in the shared copy since this laptop last took it in."""
    base = out(top, "merge-base", "ORIG_HEAD", upstream) or out(top, "merge-base", "HEAD",
                                                                upstream)
    spec = f"{base}..{upstream}" if base else upstream
    names: list[str] = []
    for name in out(top, "log", "--format=%an", spec, "--", path).splitlines():
        if name and name not in names and name != "rj":  # "rj": no name was known
            names.append(name)
    return tuple(names)


def settle(root: Path, prefer: str) -> bool:
    """Settle every unmerged file of a stopped rebase for one side ("mine": this laptop,
    "theirs": the shared copy); False when there was nothing to settle.

    The merge driver already settled fields both sides changed; what is left is a file
    one side deleted (a purge) and the other changed. The chosen side wins whole: the
    file is deleted, or kept as that side has it - and then the purge is undone, so its
    tombstone goes too (a record is never both there and purged).
    """
    top = Path(out(root, "rev-parse", "--show-toplevel") or root)
    chosen = LOCAL_STAGE if prefer == "mine" else SHARED_STAGE
    paths = _unmerged(top)
    for path in paths:
        stages = _stages(top, path)
        if chosen not in stages:
            git(top, "rm", "-q", "--", path)
            continue
        side = "--theirs" if chosen == LOCAL_STAGE else "--ours"
        git(top, "checkout", side, "--", path)
        git(top, "add", "--", path)
        if stages.isdisjoint({SHARED_STAGE, LOCAL_STAGE} - {chosen}):
            _undo_purge(top, path)
    return bool(paths)


def _undo_purge(top: Path, path: str) -> None:
    """Remove the tombstone of the record at ``path`` (kept against a purge)."""
    record = Path(path)
    if record.parent.name in ("victims", "children") and is_record_id(record.stem):
        stone = record.parent.parent / "tombstones" / record.name
        git(top, "rm", "-q", "-f", "--ignore-unmatch", "--", stone.as_posix())
