"""``rj edit``'s editor and kept drafts: a missing editor is named, a kept edit reopened.

``$VISUAL`` wins over ``$EDITOR`` (as git and most tools do), else ``vi``. An edit rj
refused is kept under ``.rj/edits/ID-TIME.yaml``; ``rj edit ID --resume`` reopens the
newest, unless the record changed after it was kept (saving it would undo that change).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

from rjcli.errors import BadInput

DEFAULT_EDITOR = "vi"


def editor_command() -> tuple[list[str], str]:
    """The editor's command line and where it came from (``$VISUAL``, ``$EDITOR``...)."""
    for variable in ("VISUAL", "EDITOR"):
        value = (os.environ.get(variable) or "").strip()
        if value:
            return shlex.split(value), f"${variable}"
    return [DEFAULT_EDITOR], "the default, as neither $VISUAL nor $EDITOR is set"


def run_editor(path: Path, record_id: str) -> None:
    """Open ``path`` in the editor; a missing editor is a clear error naming the variable."""
    command, source = editor_command()
    program = command[0] if command else ""
    if not program or shutil.which(program) is None:
        _cannot_run(program, source, record_id, "not found")
    try:
        subprocess.run([*command, str(path)], check=False)
    except OSError as exc:
        _cannot_run(program, source, record_id, exc.strerror or str(exc))


def _cannot_run(program: str, source: str, record_id: str, why: str) -> None:
    raise BadInput(f"the editor '{program}' (from {source}) cannot be run: {why}; "
                   "nothing was changed",
                   hint=f"set $VISUAL or $EDITOR to an editor installed here, e.g. "
                        f"EDITOR=nano rj edit {record_id}")


def kept_edits(edits_dir: Path, record_id: str) -> list[Path]:
    """The edits of ``record_id`` rj refused and kept, oldest first."""
    if not edits_dir.is_dir():
        return []
    return sorted(edits_dir.glob(f"{record_id}-*.yaml"), key=lambda p: (p.stat().st_mtime, p))


def edit_to_resume(edits_dir: Path, record_id: str, record_path: Path) -> Path:
    """The newest kept edit of ``record_id``, if it is still based on the record as it is."""
    kept = kept_edits(edits_dir, record_id)
    if not kept:
        raise BadInput(f"no kept edit of {record_id} in {edits_dir}: rj keeps an edit there "
                       "only when it refused to save it",
                       hint=f"rj edit {record_id} opens the record itself")
    newest = kept[-1]
    if record_path.stat().st_mtime > newest.stat().st_mtime:
        raise BadInput(f"{record_id} has changed since your edit was kept ({newest}): saving "
                       "it now would undo that change",
                       hint=f"run rj edit {record_id} and copy your change across from {newest}")
    return newest
