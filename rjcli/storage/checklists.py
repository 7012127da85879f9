"""Finding and loading checklists: the casebook's own first, then the shipped ones.

A casebook may override a shipped checklist, or add one, with
``<casebook>/policy/checklists/NAME.yaml``. Every file is checked against
``schemas/checklist.schema.json`` (and for question ids used twice) when loaded; a
file with problems is refused with its path, line and the problem. Loaded files are
cached for the life of the process, keyed by path and modification time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from rjcli.core.checklist import Checklist, checklist_from_dict, checklist_problems
from rjcli.core.problems import Problem
from rjcli.errors import BadInput, RecordInvalid
from rjcli.shipped import shipped_dir
from rjcli.storage import yamlio

FOLDER = ("policy", "checklists")
"""Where checklists live, under the casebook and under the shipped defaults."""
NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
"""A checklist name: the file name stem, lowercase words joined by hyphens."""


@dataclass(frozen=True)
class ChecklistFile:
    """One checklist file in use, loaded or not."""

    name: str
    """The file name stem, e.g. ``conference``."""
    path: Path
    """The file in use."""
    shown_path: str
    """The path as shown to the worker: relative to the casebook, or ``shipped``."""
    overridden: bool
    """True when the casebook's own file is used instead of (or as well as) a shipped one."""
    checklist: Checklist | None
    """The checklist, or None when the file has problems."""
    problems: tuple[Problem, ...]
    """What is wrong with the file (empty when it loaded)."""


def _folders(casebook_root: Path) -> tuple[Path, Path]:
    """(the casebook's folder, the shipped folder)."""
    return casebook_root.joinpath(*FOLDER), shipped_dir(FOLDER[0]) / FOLDER[1]


def _names_in(folder: Path) -> set[str]:
    if not folder.is_dir():
        return set()
    return {p.stem for p in folder.glob("*.yaml") if NAME.match(p.stem)}


def checklist_names(casebook_root: Path) -> list[str]:
    """Every checklist available to the casebook (shipped and its own), sorted."""
    own, shipped = _folders(casebook_root)
    return sorted(_names_in(own) | _names_in(shipped))


def _problems_of(path: Path, shown: str) -> tuple[Checklist | None, tuple[Problem, ...]]:
    """Parse, validate and build one checklist file."""
    from rjcli.storage.schemas import validate

    try:
        text = yamlio.decode(yamlio.read_bytes(path))  # a regular file, never a link
        data = yamlio.parse_text(text)
    except yamlio.YamlProblem as exc:
        return None, (Problem(shown, exc.line, exc.message, exc.column),)
    except OSError as exc:
        return None, (Problem(shown, None, f"cannot read: {exc.strerror}"),)
    problems = validate("checklist", data, shown, _line_finder(text))
    if problems:
        return None, tuple(problems)
    if data.get("id") != path.stem:
        return None, (Problem(shown, yamlio.line_of(yamlio.load_document(text).tree, ("id",)),
                              f"id '{data.get('id')}' does not match the file name "
                              f"{path.name}"),)
    checklist = checklist_from_dict(data)
    found = checklist_problems(checklist)
    if found:
        return None, tuple(Problem(shown, None, message) for message in found)
    return checklist, ()


def _line_finder(text: str) -> Callable[[tuple[object, ...]], int | None]:
    """Maps a value path to its line, parsing the round-trip tree only when asked."""
    tree: list[Any] = []

    def line_of(path: tuple[object, ...]) -> int | None:
        if not tree:
            try:
                tree.append(yamlio.load_document(text).tree)
            except yamlio.YamlProblem:
                return None
        return yamlio.line_of(tree[0], path)

    return line_of


@cache
def _load(path: str, shown: str, _mtime_ns: int, _size: int) -> tuple[Checklist | None,
                                                                      tuple[Problem, ...]]:
    return _problems_of(Path(path), shown)


def checklist_file(casebook_root: Path, name: str) -> ChecklistFile:
    """The checklist ``name`` as the casebook sees it (its own file first), loaded.

    Raises BadInput when there is no such checklist; problems in the file are returned.
    """
    if not NAME.match(name):
        raise BadInput(f"'{name}' is not a checklist name",
                       hint="rj risk checklists lists them")
    own, shipped = _folders(casebook_root)
    for folder, overridden in ((own, True), (shipped, False)):
        path = folder / f"{name}.yaml"
        if path.is_file():
            where = path.relative_to(casebook_root).as_posix() if overridden else (
                f"{'/'.join(FOLDER)}/{path.name} (shipped)")
            shown = where if overridden else "shipped"
            stat = path.stat()
            checklist, problems = _load(str(path), where, stat.st_mtime_ns, stat.st_size)
            return ChecklistFile(name, path, shown, overridden, checklist, problems)
    raise BadInput(f"there is no checklist '{name}'",
                   hint="the checklists are: " + ", ".join(checklist_names(casebook_root)))


def load_checklist(casebook_root: Path, name: str) -> Checklist:
    """The checklist ``name``, or RecordInvalid naming the file and every problem in it."""
    found = checklist_file(casebook_root, name)
    if found.checklist is None:
        listed = "; ".join(f"{p.location()}: {p.message}" for p in found.problems)
        hint = f"fix {found.path}" + (
            f", or remove it to use the shipped checklist {name}" if found.overridden
            and (_folders(casebook_root)[1] / f"{name}.yaml").is_file() else "")
        raise RecordInvalid(f"checklist {name} cannot be used: {listed}", hint=hint)
    return found.checklist


def all_checklists(casebook_root: Path) -> list[ChecklistFile]:
    """Every checklist available to the casebook, each loaded (or with its problems)."""
    return [checklist_file(casebook_root, name) for name in checklist_names(casebook_root)]
