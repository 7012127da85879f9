"""Sharing a casebook through an ordinary git server: set-up, sync and status.

* :func:`setup_repository` (``rj init``, ``rj sync --setup``, and quietly before
  every sync): ``.gitattributes`` sends records and ``rj.yaml`` to rj's merge
  driver (``rj merge-file``, see ``storage/mergefile.py``), ``.git/config`` names
  that driver, and a commit hook runs ``rj check`` so an invalid file is never
  committed by hand or by ``rj sync``.
* :func:`sync`: commit what is pending (message: record ids only, never personal
  data), fetch, rebase onto the shared copy with the driver active, push. A real
  conflict aborts the rebase: the working tree is clean, the local commits stay,
  and the caller is told what both sides changed. Unreachable shared copy: the
  changes stay committed here.
* :func:`status`: what is here and not shared, and whether the shared copy has
  changes not here yet.

Outcomes are values (:class:`SyncReport`, :class:`StatusReport`); the CLI words them.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rjcli.core.ids import is_record_id
from rjcli.core.merge import Conflict
from rjcli.errors import GitFailed
from rjcli.storage.git import git_available
from rjcli.storage.mergefile import merge_texts, record_label

ATTRIBUTES = ("victims/*.yaml merge=rj", "children/*.yaml merge=rj", "rj.yaml merge=rj")
"""Lines of the casebook's ``.gitattributes``: which files rj's driver merges."""

SHARED_PATHS = (".gitattributes", ".gitignore", "rj.yaml", "victims", "children",
                "tombstones", "templates", "policy", "schemas", "checklists")
"""What ``rj sync`` commits when new (tracked files are committed wherever they are):
never a stray file someone saved into the casebook folder."""

HOOK_MARK = "# installed by rj"
DRIVER_NAME = "rj casebook merge (log entries by id, fields one by one)"
MAX_ATTEMPTS = 3
"""Fetch-rebase-push rounds when someone else pushes in between."""


# --- running git ------------------------------------------------------------------------


def _git(root: Path, *args: str, env: Mapping[str, str] | None = None,
         check: bool = True) -> subprocess.CompletedProcess[str]:
    """git in ``root``; never waits for a password when no one is at a terminal."""
    full = dict(os.environ)
    if not sys.stdin.isatty():
        full.setdefault("GIT_TERMINAL_PROMPT", "0")
    full.update(env or {})
    proc = subprocess.run(["git", *args], cwd=root, env=full, capture_output=True, check=False,
                          encoding="utf-8", errors="replace", umask=0o077)  # owner-only files
    if check and proc.returncode != 0:
        raise GitFailed(f"git {args[0]} failed: {_said(proc)}")
    return proc


_CREDENTIALS = re.compile(r"(://)[^/@\s]+@")


def _said(proc: subprocess.CompletedProcess[str]) -> str:
    """git's first error line, without "fatal:" and without any password in a URL."""
    lines = [ln.strip() for ln in (proc.stderr or proc.stdout or "").splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith(("fatal:", "error:"))]
    text = (errors or lines or [f"git stopped with exit code {proc.returncode}"])[0]
    text = text.removeprefix("fatal:").removeprefix("error:").strip()
    return _CREDENTIALS.sub(r"\1", text)


def _out(root: Path, *args: str) -> str:
    """The output of a git query, or "" when it fails."""
    proc = _git(root, *args, check=False)
    return proc.stdout.strip() if proc.returncode == 0 else ""


def is_repository(root: Path) -> bool:
    return git_available() and _out(root, "rev-parse", "--is-inside-work-tree") == "true"


def init_history(root: Path) -> None:
    """Start git history in a casebook made where git was not installed."""
    _git(root, "init", "-q")


def _identity_env(root: Path, worker: str | None) -> dict[str, str]:
    """Who the commits are by: git's own user.name, else the worker, else "rj"."""
    if os.environ.get("GIT_AUTHOR_NAME") or _out(root, "config", "user.name"):
        env = {}
    else:
        name = worker or os.environ.get("RJ_WORKER") or "rj"
        env = {"GIT_AUTHOR_NAME": name, "GIT_COMMITTER_NAME": name}
    if not (os.environ.get("GIT_AUTHOR_EMAIL") or _out(root, "config", "user.email")):
        env |= {"GIT_AUTHOR_EMAIL": "rj@localhost", "GIT_COMMITTER_EMAIL": "rj@localhost"}
    return env


# --- set-up -----------------------------------------------------------------------------


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
    hooks = Path(_out(root, "rev-parse", "--git-path", "hooks") or ".git/hooks")
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
    if _out(root, "config", "--local", "merge.rj.driver") != driver:
        _git(root, "config", "--local", "merge.rj.name", DRIVER_NAME)
        _git(root, "config", "--local", "merge.rj.driver", driver)
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


# --- what changed, in ids ---------------------------------------------------------------


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


# --- sync -------------------------------------------------------------------------------


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


@dataclass
class SyncReport:
    """What ``rj sync`` did."""

    committed: Changed = field(default_factory=Changed)
    """Pending changes committed now."""
    sent: int = 0
    """Commits pushed."""
    received: int = 0
    """Commits taken in from the shared copy."""
    received_changes: Changed = field(default_factory=Changed)
    """What they changed."""
    unsent: int = 0
    """Commits kept here because the shared copy could not be reached."""
    unreachable: str | None = None
    """git's reason, when the shared copy could not be reached."""
    no_remote: bool = False
    """The casebook has no shared copy yet."""
    conflicts: tuple[FileConflict, ...] = ()
    """Real conflicts (nothing was taken in or sent)."""
    failure: str | None = None
    """Another reason the shared changes could not be taken in (nothing lost)."""
    setup: list[str] = field(default_factory=list)
    """Set-up done on the way."""
    recovered: bool = False
    """An interrupted earlier sync was undone first."""


class CommitRefused(GitFailed):
    """``rj check`` (the commit hook) refused the pending changes."""

    exit_code = 1


@dataclass(frozen=True)
class _Remote:
    name: str
    branch: str
    ref: str
    """refs/remotes/<name>/<branch>."""


def _branch(root: Path) -> str:
    branch = _out(root, "symbolic-ref", "--quiet", "--short", "HEAD")
    if not branch:
        raise GitFailed("the casebook's history is not on a branch (someone used git by hand)",
                        hint="ask whoever looks after the casebook to check it out on its branch")
    return branch


def _remote(root: Path, branch: str) -> _Remote | None:
    name = _out(root, "config", f"branch.{branch}.remote")
    remotes = _out(root, "remote").split()
    if not name:
        name = "origin" if "origin" in remotes else (remotes[0] if len(remotes) == 1 else "")
    if not name or name not in remotes:
        return None
    merge = _out(root, "config", f"branch.{branch}.merge").removeprefix("refs/heads/")
    upstream = merge or branch
    return _Remote(name, upstream, f"refs/remotes/{name}/{upstream}")


def _has(root: Path, ref: str) -> bool:
    return _git(root, "rev-parse", "--verify", "--quiet", ref, check=False).returncode == 0


def _count_commits(root: Path, spec: str) -> int:
    text = _out(root, "rev-list", "--count", spec)
    return int(text) if text.isdigit() else 0


def _changed_paths(root: Path, *spec: str) -> list[str]:
    return [p for p in _out(root, "diff", "--name-only", "--relative", *spec).splitlines() if p]


def _in_progress(root: Path, name: str) -> bool:
    path = Path(_out(root, "rev-parse", "--git-path", name))
    return (path if path.is_absolute() else root / path).exists()


def commit_pending(root: Path, worker: str | None) -> Changed:
    """Commit every pending change of the casebook (the hook runs ``rj check``)."""
    present = [p for p in SHARED_PATHS if (root / p).exists()]
    _git(root, "add", "--update", "--", ".")
    if present:
        _git(root, "add", "--all", "--", *present)
    names = _out(root, "diff", "--cached", "--name-only", "--relative", "--", ".").splitlines()
    changed = Changed.of(names)
    if not changed:
        return changed
    proc = _git(root, "commit", "-q", "-m", commit_message(changed), "--", ".",
                env=_identity_env(root, worker), check=False)
    if proc.returncode != 0:
        if _has(root, "HEAD"):
            _git(root, "reset", "-q", "--", ".", check=False)  # leave the index as it was
        text = "\n".join(ln for ln in (proc.stderr + proc.stdout).splitlines()
                         if ln.strip() and not ln.startswith("rj: commit refused"))
        raise CommitRefused(
            "your changes were not shared: rj check found problems in the casebook\n" + text,
            hint="fix them (rj check lists them; rj edit ID opens a record), then rj sync again")
    return changed


def sync(root: Path, worker: str | None = None, prefer: str | None = None,
         remote_url: str | None = None) -> SyncReport:
    """Commit, take in the shared changes, send ours (see the module docstring).

    ``prefer``: "mine" or "theirs" settles conflicting fields for that side.
    """
    if not git_available():
        raise GitFailed("git is not installed on this computer, so the casebook cannot be "
                        "shared from here", hint="install git (https://git-scm.com), then rj sync")
    report = SyncReport()
    if not is_repository(root):
        init_history(root)
    report.setup = setup_repository(root)
    if remote_url:
        set_remote(root, remote_url)
    if _in_progress(root, "rebase-merge") or _in_progress(root, "rebase-apply"):
        _git(root, "rebase", "--abort", check=False)
        report.recovered = True
    if _in_progress(root, "MERGE_HEAD"):
        raise GitFailed("someone started combining changes with git by hand and did not finish",
                        hint="ask whoever looks after the casebook; rj will not touch it meanwhile")
    report.committed = commit_pending(root, worker)
    branch = _branch(root)
    remote = _remote(root, branch)
    if remote is None:
        report.no_remote = True
        keep_victims_private(root)
        return report
    try:
        for _attempt in range(MAX_ATTEMPTS):
            if not _round(root, remote, branch, prefer, report):
                return report
        report.failure = "the shared copy kept changing while sending; try again in a minute"
        return report
    finally:
        keep_victims_private(root)


def keep_victims_private(root: Path) -> None:
    """The casebook owner-only again after git took files in (links never followed)."""
    from rjcli.storage.permissions import tighten_and_stamp

    tighten_and_stamp(root)


def set_remote(root: Path, url: str) -> None:
    """Name the shared copy (git's ``origin``)."""
    if "origin" in _out(root, "remote").split():
        _git(root, "remote", "set-url", "origin", url)
    else:
        _git(root, "remote", "add", "origin", url)


def _round(root: Path, remote: _Remote, branch: str, prefer: str | None,
           report: SyncReport) -> bool:
    """One fetch-rebase-push; True when it must be tried again (someone pushed meanwhile)."""
    has_head = _has(root, "HEAD")
    fetched = _git(root, "fetch", "-q", remote.name, check=False)
    if fetched.returncode != 0:
        report.unreachable = _said(fetched)
        report.unsent = _count_commits(root, f"{remote.ref}..HEAD" if _has(root, remote.ref)
                                       else "HEAD") if has_head else 0
        return False
    if _has(root, remote.ref):
        if not has_head:
            _git(root, "checkout", "-q", "-B", branch, "--track", remote.ref)
            report.received += _count_commits(root, "HEAD")
            report.received_changes = Changed.of(_out(root, "ls-files").splitlines())
            return False
        if not _take_in(root, remote, prefer, report):
            return False
        ahead = _count_commits(root, f"{remote.ref}..HEAD")
    else:
        ahead = _count_commits(root, "HEAD") if has_head else 0
    if ahead == 0:
        return False
    pushed = _git(root, "push", "-q", "-u", remote.name, f"HEAD:refs/heads/{remote.branch}",
                  check=False)
    if pushed.returncode == 0:
        report.sent += ahead
        return False
    if "fetch first" in pushed.stderr or "non-fast-forward" in pushed.stderr:
        return True  # someone pushed between our fetch and push: take theirs in again
    if "rejected" in pushed.stderr:
        report.failure = f"the shared copy refused the changes ({_said(pushed)})"
        return False
    report.unreachable = _said(pushed)
    report.unsent = ahead
    return False


def _take_in(root: Path, remote: _Remote, prefer: str | None, report: SyncReport) -> bool:
    """Rebase onto the shared copy; False when that could not be done (reported)."""
    behind = _count_commits(root, f"HEAD..{remote.ref}")
    if behind == 0:
        return True
    base = _out(root, "merge-base", "HEAD", remote.ref)
    changes = Changed.of(_changed_paths(root, base, remote.ref)) if base else Changed()
    args = ["rebase", "-q"]
    env: dict[str, str] = {}
    if prefer:
        # while rebasing, "ours" is the shared copy and "theirs" the commits made here
        side = "theirs" if prefer == "mine" else "ours"
        env["RJ_MERGE_PREFER"] = side
        args += ["-X", side]
    proc = _git(root, *args, remote.ref, env=env | _identity_env(root, None), check=False)
    if proc.returncode != 0:
        report.conflicts = read_conflicts(root, remote.ref)
        _git(root, "rebase", "--abort", check=False)
        if not report.conflicts:
            report.failure = _said(proc)
        return False
    report.received += behind
    report.received_changes = changes
    return True


def read_conflicts(root: Path, upstream: str) -> tuple[FileConflict, ...]:
    """The conflicts of a stopped rebase, field by field, with who made the other side."""
    top = Path(_out(root, "rev-parse", "--show-toplevel") or root)
    prefix = _out(root, "rev-parse", "--show-prefix")
    found = []
    for path in _out(top, "diff", "--name-only", "--diff-filter=U").splitlines():
        rel = path.removeprefix(prefix) if prefix else path
        authors = _authors(top, upstream, path)
        is_yaml = path.endswith((".yaml", ".yml"))
        base, shared, mine = ((_stage(top, n, path) if is_yaml else None) for n in (1, 2, 3))
        if shared is None or mine is None:
            note = ("not a YAML record" if not is_yaml else
                    "it was deleted in the shared copy and changed here" if shared is None else
                    "it was deleted here and changed in the shared copy")
            found.append(FileConflict(rel, record_label(rel), (), authors, note))
            continue
        result = merge_texts(base or "", shared, mine)
        found.append(FileConflict(rel, record_label(rel), result.conflicts, authors,
                                  result.unreadable))
    return tuple(found)


def _stage(top: Path, number: int, path: str) -> str | None:
    proc = _git(top, "show", f":{number}:{path}", check=False)
    return proc.stdout if proc.returncode == 0 else None


def _authors(top: Path, upstream: str, path: str) -> tuple[str, ...]:
    """Who changed ``path`` in the shared copy since this laptop last took it in."""
    base = _out(top, "merge-base", "ORIG_HEAD", upstream) or _out(top, "merge-base", "HEAD",
                                                                  upstream)
    spec = f"{base}..{upstream}" if base else upstream
    names: list[str] = []
    for name in _out(top, "log", "--format=%an", spec, "--", path).splitlines():
        if name and name not in names and name != "rj":  # "rj": no name was known
            names.append(name)
    return tuple(names)


# --- status -----------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusReport:
    """What is here and not shared, and what is shared and not here."""

    history: bool
    """The casebook has git history (git installed, repository set up)."""
    uncommitted: Changed = Changed()
    """Changed files not yet in the history."""
    unsent: Changed = Changed()
    """In the history here, not yet in the shared copy."""
    unsent_commits: int = 0
    """How many commits that is."""
    shared: bool = False
    """A shared copy is set up."""
    reachable: bool = False
    """It could be reached just now."""
    unreachable: str | None = None
    """git's reason when not."""
    behind: int = 0
    """Commits in the shared copy not here yet."""
    behind_changes: Changed = Changed()
    """What they change."""


def _pending(root: Path) -> list[str]:
    """Changed files ``rj sync`` would commit (tracked ones, new ones in shared places)."""
    porcelain = _git(root, "status", "--porcelain", "--untracked-files=all", "--", ".").stdout
    prefix = _out(root, "rev-parse", "--show-prefix")
    pending = []
    for line in porcelain.splitlines():
        path = line[3:].split(" -> ")[-1].strip('"').removeprefix(prefix)
        if not line.startswith("??") or Path(path).parts[0] in SHARED_PATHS:
            pending.append(path)
    return pending


def status(root: Path, fetch: bool = True) -> StatusReport:
    """Compare the casebook with the shared copy (fetching it first, quietly)."""
    if not is_repository(root):
        return StatusReport(history=False)
    uncommitted = Changed.of(_pending(root))
    has_head = _has(root, "HEAD")
    branch = _out(root, "symbolic-ref", "--quiet", "--short", "HEAD")
    remote = _remote(root, branch) if branch else None
    if remote is None:
        everything = _out(root, "log", "--name-only", "--format=", "--relative") if has_head else ""
        return StatusReport(history=True, uncommitted=uncommitted,
                            unsent=Changed.of(everything.splitlines()),
                            unsent_commits=_count_commits(root, "HEAD") if has_head else 0)
    reachable, reason = True, None
    if fetch:
        proc = _git(root, "fetch", "-q", remote.name, check=False)
        reachable, reason = proc.returncode == 0, (None if proc.returncode == 0 else _said(proc))
    known = _has(root, remote.ref)
    unsent_spec = (f"{remote.ref}..HEAD" if known else "HEAD") if has_head else ""
    unsent_files = (_out(root, "log", "--name-only", "--format=", "--relative", unsent_spec)
                    if unsent_spec else "")
    behind, behind_changes = 0, Changed()
    if known and has_head:
        behind = _count_commits(root, f"HEAD..{remote.ref}")
        base = _out(root, "merge-base", "HEAD", remote.ref)
        if behind and base:
            behind_changes = Changed.of(_changed_paths(root, base, remote.ref))
    elif known:
        behind = _count_commits(root, remote.ref)
    return StatusReport(
        history=True, uncommitted=uncommitted, unsent=Changed.of(unsent_files.splitlines()),
        unsent_commits=_count_commits(root, unsent_spec) if unsent_spec else 0,
        shared=True, reachable=reachable, unreachable=reason, behind=behind,
        behind_changes=behind_changes)
