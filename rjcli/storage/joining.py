"""Joining a shared casebook (``rj join``): the clone, its set-up, and who this copy's
worker is.

Who you are is remembered per copy in ``.rj/worker`` (one line: a name on the staff
list). ``.rj/`` is never shared by ``rj sync`` (it is in the casebook's ``.gitignore``),
so each worker's copy remembers its own worker; ``--worker`` and ``RJ_WORKER`` still win.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from rjcli.errors import BadInput
from rjcli.storage.atomic import atomic_write

WORKER_FILE = Path(".rj") / "worker"


def folder_for(url: str, given: Path | None, cwd: Path) -> Path:
    """Where the clone goes: ``given``, else the last part of the URL without ``.git``
    (as ``git clone`` does). Refused when it exists and is not an empty folder."""
    if given is None:
        name = url.rstrip("/").replace("\\", "/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        name = name.removesuffix(".git")
        if not name or name in (".", ".."):
            raise BadInput(f"cannot tell a folder name from {url}", hint="give one: "
                           "rj join URL FOLDER")
        given = cwd / name
    folder = given.expanduser().absolute()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BadInput(f"{folder} already exists and is not empty: rj join makes a new copy",
                       hint="give another folder: rj join URL FOLDER (or, in a copy you "
                            "have, rj sync)")
    return folder


def clone(url: str, folder: Path) -> None:
    """``git clone`` into ``folder`` (owner-only files); refused, and nothing left behind,
    when what arrives is not a casebook."""
    from rjcli.storage.git import git_available
    from rjcli.storage.gitcmd import git

    if not git_available():
        raise BadInput("rj join needs git, which is not installed here",
                       hint="install git (https://git-scm.com), then try again")
    existed = folder.exists()
    folder.parent.mkdir(parents=True, exist_ok=True)
    git(folder.parent, "clone", "-q", "--", url, str(folder))
    if not (folder / "rj.yaml").is_file():
        forget(folder, existed)
        raise BadInput(f"{url} is not a casebook (it has no rj.yaml); nothing was kept",
                       hint="ask the team for the address of the shared casebook")


def forget(folder: Path, keep_folder: bool) -> None:
    """Remove a clone rj join made (and only that)."""
    if keep_folder:
        for child in folder.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    else:
        shutil.rmtree(folder)


def remember_worker(root: Path, name: str) -> None:
    atomic_write(root / WORKER_FILE, name + "\n")


def remembered_worker(root: Path) -> str | None:
    """The worker ``rj join`` remembered for the casebook at ``root`` (None: none)."""
    try:
        text = (root / WORKER_FILE).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text or None
