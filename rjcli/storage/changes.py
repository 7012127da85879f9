"""What changed, in record ids: the words of ``rj sync`` and ``rj status``, and the
commit of pending changes (message: record ids only, never personal data)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rjcli.core.ids import is_record_id
from rjcli.errors import GitFailed
from rjcli.storage.gitcmd import git, has, identity_env, out

SHARED_PATHS = (".gitattributes", ".gitignore", "rj.yaml", "victims", "children",
                "tombstones", "templates", "policy", "schemas", "checklists")
"""What ``rj sync`` commits when new (tracked files are committed wherever they are):
never a stray file someone saved into the casebook folder."""


@dataclass(frozen=True)
class Changed:
    """A set of changed files, as a person (and a commit message) may see them."""

    records: tuple[str, ...] = ()
    """Record ids, sorted."""
    settings: bool = False
    """rj.yaml changed."""
    others: int = 0
    """Other files (counted, never named: a file name may identify someone)."""

    @classmethod
    def of(cls, paths: Iterable[str]) -> Changed:
        records: set[str] = set()
        settings = False
        others: set[str] = set()
        for path in paths:
            parts = Path(path).parts
            stem = Path(path).stem
            if len(parts) == 2 and parts[0] in ("victims", "children") and is_record_id(stem):
                records.add(stem)
            elif path == "rj.yaml":
                settings = True
            elif path:
                others.add(path)
        return cls(tuple(sorted(records)), settings, len(others))

    def __bool__(self) -> bool:
        return bool(self.records or self.settings or self.others)

    def parts(self, limit: int = 10, verb: str = "") -> list[str]:
        """["3 records (V-0001, V-7K3M2Q, C-0002)", "settings", "2 other files"], each
        followed by ``verb`` when given: ids only, never personal data."""
        tail = f" {verb}" if verb else ""
        parts = []
        if self.records:
            shown = ", ".join(self.records[:limit])
            if len(self.records) > limit:
                shown += f" and {len(self.records) - limit} more"
            parts.append(f"{_count(len(self.records), 'record')}{tail} ({shown})")
        if self.settings:
            parts.append(f"settings{tail}")
        if self.others:
            parts.append(f"{_count(self.others, 'other file')}{tail}")
        return parts

    def words(self, limit: int = 10) -> str:
        """"3 records (V-0001, V-7K3M2Q, C-0002) and settings"."""
        return " and ".join(self.parts(limit))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def commit_message(changed: Changed, limit: int = 10) -> str:
    """"rj sync: 3 records changed (V-0001, V-7K3M2Q, C-0002)": ids only, never
    personal data (a commit message is copied to every clone for good)."""
    return "rj sync: " + ", ".join(changed.parts(limit, "changed"))


class CommitRefused(GitFailed):
    """``rj check`` (the commit hook) refused the pending changes."""

    exit_code = 1


def commit_pending(root: Path, worker: str | None) -> Changed:
    """Commit every pending change of the casebook (the hook runs ``rj check``)."""
    present = [p for p in SHARED_PATHS if (root / p).exists()]
    git(root, "add", "--update", "--", ".")
    if present:
        git(root, "add", "--all", "--", *present)
    names = out(root, "diff", "--cached", "--name-only", "--relative", "--", ".").splitlines()
    changed = Changed.of(names)
    if not changed:
        return changed
    proc = git(root, "commit", "-q", "-m", commit_message(changed), "--", ".",
               env=identity_env(root, worker), check=False)
    if proc.returncode != 0:
        if has(root, "HEAD"):
            git(root, "reset", "-q", "--", ".", check=False)  # leave the index as it was
        text = "\n".join(ln for ln in (proc.stderr + proc.stdout).splitlines()
                         if ln.strip() and not ln.startswith("rj: commit refused"))
        raise CommitRefused(
            "your changes were not shared: rj check found problems in the casebook\n" + text,
            hint="fix them (rj check lists them; rj edit ID opens a record), then rj sync again")
    return changed


def pending(root: Path) -> list[str]:
    """Changed files ``rj sync`` would commit (tracked ones, new ones in shared places)."""
    porcelain = git(root, "status", "--porcelain", "--untracked-files=all", "--", ".").stdout
    prefix = out(root, "rev-parse", "--show-prefix")
    found = []
    for line in porcelain.splitlines():
        path = line[3:].split(" -> ")[-1].strip('"').removeprefix(prefix)
        if not line.startswith("??") or Path(path).parts[0] in SHARED_PATHS:
            found.append(path)
    return found
