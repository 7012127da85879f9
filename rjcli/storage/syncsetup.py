"""Setting a casebook up for team work (``rj init``, ``rj sync --setup``, and quietly
before every sync).

``.gitattributes`` sends records and ``rj.yaml`` to rj's merge driver
(``rj merge-file``, see ``storage/mergefile.py``), ``.git/config`` names that driver,
and a commit hook runs ``rj check`` so an invalid file is never committed by hand or
by ``rj sync``.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

from rjcli.storage.gitcmd import git, is_repository, out

ATTRIBUTES = ("victims/*.yaml merge=rj", "children/*.yaml merge=rj", "rj.yaml merge=rj")
"""Lines of the casebook's ``.gitattributes``: which files rj's driver merges."""

HOOK_MARK = "# installed by rj"
DRIVER_NAME = "rj casebook merge (log entries by id, fields one by one)"


def rj_command() -> str:
    """How git should run this rj (a shell word or two, absolute paths)."""
    argv0 = Path(sys.argv[0])
    candidates = [argv0] if argv0.name == "rj" else []
    candidates.append(Path(sys.executable).with_name("rj"))
    found = shutil.which("rj")
    if found:
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return shlex.quote(str(candidate.resolve()))
    return f"{shlex.quote(sys.executable)} -m rjcli"


def write_attributes(root: Path) -> bool:
    """Add rj's lines to ``.gitattributes`` (other lines kept); True when changed."""
    path = root / ".gitattributes"
    if path.is_symlink():
        return False  # never written through a link (rj check names it)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    have = {line.strip() for line in text.splitlines()}
    missing = [line for line in ATTRIBUTES if line not in have]
    if not missing:
        return False
    if not text:
        text = "# rj: records and settings are merged by rj (rj merge-file), entry by entry\n"
    elif not text.endswith("\n"):
        text += "\n"
    path.write_text(text + "".join(f"{line}\n" for line in missing), encoding="utf-8")
    return True


def hook_text(root: Path, command: str) -> str:
    """The commit hook: ``rj check`` must pass before a commit.

    It is a ``commit-msg`` hook, not ``pre-commit``, so it can tell rj's own
    one-record commits (message "rj: ...") apart: those were validated when the
    record was saved, and checking the whole casebook between the two saves of one
    command (a victim, then the back-link on the child) would refuse a sound change.
    """
    return (
        "#!/bin/sh\n"
        f"{HOOK_MARK} (rj sync --setup): refuse a commit when `rj check` finds an error.\n"
        "# rj's own commits of one record (\"rj: ...\") were checked when saved.\n"
        'case "$(head -n 1 "$1")" in "rj: "*) exit 0 ;; esac\n'
        f"if ! {command} --casebook {shlex.quote(str(root))} check >&2; then\n"
        '  echo "rj: commit refused: rj check found the problems above;'
        ' fix them, then try again." >&2\n'
        "  exit 1\n"
        "fi\n"
    )


def hook_path(root: Path) -> Path:
    """Where git looks for the commit-msg hook of this clone."""
    hooks = Path(out(root, "rev-parse", "--git-path", "hooks") or ".git/hooks")
    return (hooks if hooks.is_absolute() else root / hooks) / "commit-msg"


def foreign_hook(root: Path) -> Path | None:
    """A commit-msg hook rj did not write (so rj check does not run before commits)."""
    if not is_repository(root):
        return None
    hook = hook_path(root)
    if hook.exists() and HOOK_MARK not in hook.read_text(encoding="utf-8", errors="replace"):
        return hook
    return None


def setup_repository(root: Path) -> list[str]:
    """Register rj's merge driver and check hook for the casebook at ``root``.

    Writes ``.gitattributes`` even without git (it travels with the casebook);
    the driver and hook only when git is installed and ``root`` is in a repository.
    Returns what was done or skipped, in words (empty when all was in place).
    """
    root = root.resolve()
    done = ["listed records for rj's merge in .gitattributes"] if write_attributes(root) else []
    if not is_repository(root):
        return done
    command = rj_command()
    driver = f"{command} merge-file %O %A %B %P"
    if out(root, "config", "--local", "merge.rj.driver") != driver:
        git(root, "config", "--local", "merge.rj.name", DRIVER_NAME)
        git(root, "config", "--local", "merge.rj.driver", driver)
        done.append("registered rj's merge driver")
    hook = hook_path(root)
    wanted = hook_text(root, command)
    current = hook.read_text(encoding="utf-8") if hook.exists() else None
    if current is not None and HOOK_MARK not in current:
        pass  # someone's own hook: left alone (foreign_hook tells)
    elif current != wanted:
        hook.parent.mkdir(parents=True, exist_ok=True)
        hook.write_text(wanted, encoding="utf-8")
        hook.chmod(0o700)  # owner-only, like the rest of .git
        done.append("installed the check before each commit")
    return done
