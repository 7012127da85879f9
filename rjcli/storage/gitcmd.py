"""Running git for team work (``rj sync``, ``rj status``): quiet, never waiting for a
password, with git's error said in one line and never a password from a URL.

The bottom of the sharing modules: ``syncsetup``, ``changes``, ``remote``,
``conflicts``, ``syncstatus`` and ``sync`` use it; it uses none of them.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from rjcli.errors import GitFailed
from rjcli.storage.git import git_available


def git(root: Path, *args: str, env: Mapping[str, str] | None = None,
        check: bool = True) -> subprocess.CompletedProcess[str]:
    """git in ``root``; never waits for a password when no one is at a terminal."""
    full = dict(os.environ)
    if not sys.stdin.isatty():
        full.setdefault("GIT_TERMINAL_PROMPT", "0")
    full.update(env or {})
    proc = subprocess.run(["git", *args], cwd=root, env=full, capture_output=True, check=False,
                          encoding="utf-8", errors="replace", umask=0o077)  # owner-only files
    if check and proc.returncode != 0:
        raise GitFailed(f"git {args[0]} failed: {said(proc)}")
    return proc


_CREDENTIALS = re.compile(r"(://)[^/@\s]+@")


def said(proc: subprocess.CompletedProcess[str]) -> str:
    """git's first error line, without "fatal:" and without any password in a URL."""
    lines = [ln.strip() for ln in (proc.stderr or proc.stdout or "").splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith(("fatal:", "error:"))]
    text = (errors or lines or [f"git stopped with exit code {proc.returncode}"])[0]
    text = text.removeprefix("fatal:").removeprefix("error:").strip()
    return _CREDENTIALS.sub(r"\1", text)


def out(root: Path, *args: str) -> str:
    """The output of a git query, or "" when it fails."""
    proc = git(root, *args, check=False)
    return proc.stdout.strip() if proc.returncode == 0 else ""


def is_repository(root: Path) -> bool:
    return git_available() and out(root, "rev-parse", "--is-inside-work-tree") == "true"


def init_history(root: Path) -> None:
    """Start git history in a casebook made where git was not installed."""
    git(root, "init", "-q")


def identity_env(root: Path, worker: str | None) -> dict[str, str]:
    """Who the commits are by: the worker at the keyboard (``--worker``, ``RJ_WORKER``),
    else git's own user.name, else "rj". The worker comes first because conflict
    messages name the people who changed a record by its commits' author."""
    name = worker or os.environ.get("RJ_WORKER")
    if name:
        env = {"GIT_AUTHOR_NAME": name, "GIT_COMMITTER_NAME": name}
    elif os.environ.get("GIT_AUTHOR_NAME") or out(root, "config", "user.name"):
        env = {}
    else:
        env = {"GIT_AUTHOR_NAME": "rj", "GIT_COMMITTER_NAME": "rj"}
    if not (os.environ.get("GIT_AUTHOR_EMAIL") or out(root, "config", "user.email")):
        env |= {"GIT_AUTHOR_EMAIL": "rj@localhost", "GIT_COMMITTER_EMAIL": "rj@localhost"}
    return env


def has(root: Path, ref: str) -> bool:
    """The ref (or commit) exists."""
    return git(root, "rev-parse", "--verify", "--quiet", ref, check=False).returncode == 0


def count_commits(root: Path, spec: str) -> int:
    text = out(root, "rev-list", "--count", spec)
    return int(text) if text.isdigit() else 0


def changed_paths(root: Path, *spec: str) -> list[str]:
    return [p for p in out(root, "diff", "--name-only", "--relative", *spec).splitlines() if p]


def in_progress(root: Path, name: str) -> bool:
    """git's state file ``name`` (rebase-merge, MERGE_HEAD, ...) exists: work under way."""
    path = Path(out(root, "rev-parse", "--git-path", name))
    return (path if path.is_absolute() else root / path).exists()
