"""The casebook on disk: finding it, reading records, changing them safely.

A casebook is a folder holding ``rj.yaml``, ``victims/`` and ``children/`` (one YAML
file per record), and the git-ignored ``.rj/`` (cache, locks) and ``output/``
(letters and reports written). Every change goes through :meth:`Casebook.change`
or :meth:`Casebook.create`: lock the record, round-trip load it, apply the change,
validate the result, write it atomically, commit it when autocommit is on.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from typing import TYPE_CHECKING

from rjcli.core.ids import is_record_id, kind_of, new_entry_id, new_record_id
from rjcli.core.problems import Problem
from rjcli.errors import BadInput, CasebookNotFound, ChangeRefused, RecordInvalid, RecordNotFound
from rjcli.storage.atomic import atomic_write, locked

if TYPE_CHECKING:
    from types import ModuleType

    from rjcli.core.config import CasebookConfig
    from rjcli.core.model import Child, Victim


def _yaml() -> ModuleType:
    """The YAML layer, imported on first use: a warm ``rj due`` never parses YAML."""
    from rjcli.storage import yamlio

    return yamlio


def _model() -> ModuleType:
    from rjcli.core import model

    return model

CONFIG_FILE = "rj.yaml"
FOLDERS = {"victim": "victims", "child": "children"}
CACHE_DIR = ".rj"
TOMBSTONES = "tombstones"
"""What is left of purged records (``rjcli.storage.purge``), one file per id."""
OUTPUT_DIR = "output"


def _not_a_record(data: Any, record_id: str | None) -> str | None:
    """Why parsed file data is not the record ``record_id`` (None: it is)."""
    if not isinstance(data, dict):
        return "not a record (expected a mapping of fields)"
    if record_id is not None and data.get("id") != record_id:
        return f"id '{data.get('id')}' does not match file name {record_id}"
    return None


def _parse_new(text: str) -> Any:
    """The text of a record as changed, read back; refused when a value in it is beyond
    what a record may hold (the reader's limits, rjcli/core/limits.py)."""
    try:
        return _yaml().parse_text(text)
    except _yaml().YamlProblem as exc:
        where = f"line {exc.line}: " if exc.line else ""
        raise ChangeRefused(f"the change would make the record invalid: {where}{exc.message}",
                            hint="nothing was written") from None


def find_casebook(explicit: str | None, env: str | None, cwd: Path) -> Path:
    """--casebook, else RJ_CASEBOOK, else the nearest folder upward holding rj.yaml."""
    for given, how in ((explicit, "--casebook"), (env, "RJ_CASEBOOK")):
        if given:
            root = Path(given).expanduser().resolve()
            if not (root / CONFIG_FILE).is_file():
                raise CasebookNotFound(
                    f"{how} names {root}, which is not a casebook (no {CONFIG_FILE} there)",
                    hint="create one with: rj init PATH --service NAME",
                )
            return root
    here = cwd.resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise CasebookNotFound(
        f"no casebook here: no {CONFIG_FILE} in {here} or any folder above it",
        hint="pass --casebook PATH, set RJ_CASEBOOK, or create one with: rj init PATH --service NAME",
    )


def entry_id() -> str:
    """A fresh, time-ordered entry id for an appended log entry."""
    return new_entry_id(time.time_ns() // 1_000_000, os.urandom(10))


@dataclass
class Loaded:
    """Every record of a casebook that could be read, and what could not."""

    victims: dict[str, Victim] = field(default_factory=dict)
    children: dict[str, Child] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    """Parsed mappings by record id (for checks that read every field)."""
    paths: dict[str, str] = field(default_factory=dict)
    """Relative path by record id."""


class Casebook:
    """One casebook folder."""

    def __init__(self, root: Path, worker: str | None = None) -> None:
        self.root = root
        self.worker = worker
        """Who is at the keyboard: the author of autocommits."""
        self._batch: list[Path] | None = None
        self._change: Any = None
        """The multi-file change under way (``rjcli.storage.journal.together``), if any."""
        self.tell: Callable[[str], None] | None = None
        """Where to say that a change a crash interrupted was finished (stderr)."""
        self.not_committed: Exception | None = None
        """Why the last save could not be committed to git (it IS saved)."""
        self.before_write: Callable[[], object] | None = None
        """Called before each change (the command line checks who is making it this way)."""
        self.after_write: Callable[[Path, bytes], None] | None = None
        """Called with a record file's path and bytes each time rj writes one (the command
        line keeps the index up to date this way)."""

    # --- places -------------------------------------------------------------

    @property
    def cache_dir(self) -> Path:
        return self.root / CACHE_DIR

    @property
    def output_dir(self) -> Path:
        return self.root / OUTPUT_DIR

    def folder(self, kind: str) -> Path:
        return self.root / FOLDERS[kind]

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def path_for(self, record_id: str) -> Path:
        """The file of a record; refuses anything that is not a well-formed id."""
        if not is_record_id(record_id):
            raise BadInput(
                f"'{record_id}' is not a record id",
                hint="ids look like V-7K3M2Q (victims) or C-4HX9TD (children)",
            )
        return self.folder(kind_of(record_id)) / f"{record_id}.yaml"

    def record_files(self, kind: str) -> list[Path]:
        folder = self.folder(kind)
        try:
            with os.scandir(folder) as entries:
                return sorted(
                    Path(e.path) for e in entries
                    if e.name.endswith(".yaml") and not e.name.startswith(".")
                )
        except FileNotFoundError:
            return []

    def exists(self, record_id: str) -> bool:
        return self.path_for(record_id).is_file()

    # --- settings -------------------------------------------------------------

    @cached_property
    def config_data(self) -> dict[str, Any]:
        path = self.root / CONFIG_FILE
        try:
            data = _yaml().read_fast(path)
        except _yaml().YamlProblem as exc:
            raise RecordInvalid(
                f"{CONFIG_FILE}{f':{exc.line}' if exc.line else ''}: {exc.message}",
                hint=f"fix {path} in an editor; rj check lists every problem",
            ) from None
        return data if isinstance(data, dict) else {}

    @cached_property
    def config(self) -> CasebookConfig:
        from rjcli.core.config import config_from_dict

        try:
            return config_from_dict(self.config_data)
        except (TypeError, ValueError, AttributeError) as exc:  # a value no setting can be
            raise RecordInvalid(f"{CONFIG_FILE}: a setting of the wrong type or beyond its "
                                f"limits ({exc})",
                                hint="rj check names its line; fix it in an editor") from None

    # --- reading --------------------------------------------------------------

    def read(self, record_id: str) -> dict[str, Any]:
        """The parsed mapping of one record (fast reader). Raises when unreadable."""
        path = self.path_for(record_id)
        if not path.is_file():
            raise self._not_found(record_id)
        try:
            data = _yaml().read_fast(path)
        except _yaml().YamlProblem as exc:
            where = self.rel(path) + (f":{exc.line}" if exc.line else "")
            raise RecordInvalid(f"{where}: {exc.message}",
                                hint="fix it with rj edit, or in an editor") from None
        problem = _not_a_record(data, record_id)
        if problem:
            raise RecordInvalid(f"{self.rel(path)}:1: {problem}",
                                hint="fix it with rj edit, or in an editor")
        return data  # type: ignore[no-any-return]

    def victim(self, record_id: str) -> Victim:
        return _model().victim_from_dict(self.read(record_id))

    def child(self, record_id: str) -> Child:
        return _model().child_from_dict(self.read(record_id))

    def read_file(self, path: Path) -> tuple[dict[str, Any] | None, Problem | None]:
        """Parse one record file: (data, None) or (None, the problem)."""
        rel = self.rel(path)
        try:
            data = _yaml().read_fast(path)
        except _yaml().YamlProblem as exc:
            return None, Problem(rel, exc.line, exc.message, exc.column)
        except OSError as exc:
            return None, Problem(rel, None, f"cannot read: {exc.strerror}")
        problem = _not_a_record(data, path.stem)
        if problem:
            return None, Problem(rel, 1, problem)
        return data, None

    def iter_records(self) -> Iterator[tuple[str, Path, dict[str, Any] | None, Problem | None]]:
        for kind in ("victim", "child"):
            for path in self.record_files(kind):
                data, problem = self.read_file(path)
                yield kind, path, data, problem

    def load_all(self, on_file: Callable[[], None] | None = None) -> Loaded:
        """Every record, parsed (files that fail are reported, the rest still served)."""
        loaded = Loaded()
        for kind, path, data, problem in self.iter_records():
            if on_file:
                on_file()
            if problem is not None or data is None:
                loaded.problems.append(problem or Problem(self.rel(path), None, "unreadable"))
                continue
            record_id = str(data["id"])
            loaded.data[record_id] = data
            loaded.paths[record_id] = self.rel(path)
            if kind == "victim":
                loaded.victims[record_id] = _model().victim_from_dict(data)
            else:
                loaded.children[record_id] = _model().child_from_dict(data)
        return loaded

    # --- changing ------------------------------------------------------------------

    def lock_path(self, name: str) -> Path:
        return self.cache_dir / "locks" / f"{name}.lock"

    def change(
        self, record_id: str, mutate: Callable[[Any], None], action: str
    ) -> dict[str, Any]:
        """Apply ``mutate`` to the round-trip tree of a record, validate, save, commit.

        Returns the record as now saved. Nothing is written when the record on disk
        does not parse, when the change would make it invalid, or when nothing changed
        (an unchanged record is never rewritten).
        """
        path = self.path_for(record_id)
        if not path.is_file():
            raise self._not_found(record_id)
        kind = kind_of(record_id)
        self.config  # noqa: B018 - an unreadable rj.yaml stops the change before any write
        self._before_write()
        return self._change_file(path, kind, record_id, mutate, f"{action} {record_id}",
                                 hint=f"fix it first with: rj edit {record_id}")

    def change_config(self, mutate: Callable[[Any], None], action: str) -> dict[str, Any]:
        """Change rj.yaml the same careful way (staff list, settings)."""
        self._before_write()
        data = self._change_file(self.root / CONFIG_FILE, "casebook", "rj.yaml", mutate, action,
                                 hint=f"fix {CONFIG_FILE} in an editor first")
        self.__dict__.pop("config_data", None)
        self.__dict__.pop("config", None)
        return data

    def _change_file(self, path: Path, kind: str, lock: str, mutate: Callable[[Any], None],
                     message: str, hint: str) -> dict[str, Any]:
        from rjcli.storage.schemas import validator

        validator(kind)  # compiled before taking the lock: others wait only for the write
        with self._locked(lock, lock):
            self._settle(lock)
            try:
                document = _yaml().load_document(_yaml().decode(_yaml().read_bytes(path)))
            except _yaml().YamlProblem as exc:
                where = self.rel(path) + (f":{exc.line}" if exc.line else "")
                raise RecordInvalid(f"{where}: {exc.message}; nothing was changed",
                                    hint=hint) from None
            before = document.data
            problem = _not_a_record(before, lock if kind in FOLDERS else None)
            if problem:
                raise RecordInvalid(f"{self.rel(path)}:1: {problem}; nothing was changed",
                                    hint=hint)
            mutate(document.tree)
            new_text = document.dump()
            data = _parse_new(new_text)
            if data == before:
                return data  # type: ignore[no-any-return]
            self._refuse_invalid(kind, data, document.tree, path, document.original, hint)
            if kind == "child":
                self._refuse_victim_identifiers(lock, before, data)
            digest = self._refuse_a_retry(path, message, before, data)
            self._save(path, new_text, private=kind == "victim")
            self.committed([path], message)
            if self.not_committed is not None:
                from rjcli.storage.retries import remember

                remember(self, self.rel(path), digest)
        if kind in FOLDERS:
            self._wrote(path, new_text)
        return data  # type: ignore[no-any-return]

    def create(self, kind: str, build: Callable[[str], dict[str, Any]], action: str) -> dict[str, Any]:
        """Write a new record with a fresh id that no file in the casebook uses yet."""
        self.config  # noqa: B018 - an unreadable rj.yaml stops the change before any write
        self._before_write()
        from rjcli.storage.schemas import validator

        _yaml()  # the writer and the schema's validator made before the lock, not while
        validator(kind)  # other commands wait for it (a second or more on a loaded machine)
        with self._locked(f"new-{kind}", f"new {kind} ids"):
            for _ in range(100):
                record_id = new_record_id(kind, os.urandom(4))
                # a purged id is never given again: other records may still refer to it
                if not (self.path_for(record_id).exists()
                        or (self.root / TOMBSTONES / f"{record_id}.yaml").exists()):
                    break
            else:  # pragma: no cover - 100 collisions in a billion-id space
                raise RecordInvalid("could not find a free id")
            data = build(record_id)
            text = _yaml().dump_new(data)
            parsed = _parse_new(text)
            self._refuse_invalid(kind, parsed, None)
            if kind == "child":
                self._refuse_victim_identifiers(record_id, None, parsed)
            path = self.path_for(record_id)
            self._save(path, text, private=kind == "victim")
        self.committed([path], f"{action} {record_id}")
        self._wrote(path, text)
        return parsed  # type: ignore[no-any-return]

    def _refuse_invalid(self, kind: str, data: Any, tree: Any, path: Path | None = None,
                        original: str | None = None, hint: str | None = None) -> None:
        """Refuse data that does not match the schema, naming file and line of each problem;
        a record that was invalid before the change is reported as such (the change is not
        what is wrong with it)."""
        from rjcli.storage.schemas import validate

        rel = self.rel(path) if path is not None else FOLDERS.get(kind, CONFIG_FILE)
        line_of = (lambda p: _yaml().line_of(tree, p)) if tree is not None else None
        problems = validate(kind, data, rel, line_of)
        if not problems:
            return
        if original is not None:
            old = _yaml().load_document(original)
            already = validate(kind, old.data, rel, lambda p: _yaml().line_of(old.tree, p))
            if already:
                listed = "; ".join(str(p) for p in already[:5])
                name = path.stem if path is not None and kind in FOLDERS else rel
                raise RecordInvalid(f"{name} is not valid as it is: {listed}; nothing was "
                                    "changed", hint=hint)
        listed = "; ".join(str(p) if p.line else p.message for p in problems[:5])
        raise ChangeRefused(f"the change would make the record invalid: {listed}",
                            hint="nothing was written")

    def _refuse_victim_identifiers(self, child_id: str, before: Any, after: Any,
                                   after_text: str | None = None) -> None:
        """The one gate on a child's record: no victim's identifiers in what a change adds
        (``rjcli.storage.childgate``); ``before``: the record's data or text until now;
        ``after_text``: the new text as typed (``rj edit``: its comments are looked at too)."""
        from rjcli.storage.childgate import refuse_victim_identifiers

        refuse_victim_identifiers(self, child_id, before, after, after_text)

    def _refuse_a_retry(self, path: Path, message: str, before: Any, after: Any) -> str:
        """The change's digest; ChangeRefused when this very change was saved before and
        git could not commit it (``rjcli.storage.retries``): it is not saved twice."""
        from rjcli.storage.retries import change_digest, saved_already

        digest = change_digest(message, before, after)
        if (self.cache_dir / "uncommitted").exists() and \
                saved_already(self, self.rel(path), digest):
            raise ChangeRefused(
                f"this change to {self.rel(path)} is saved already (git could not commit it "
                "the last time); nothing was added again",
                hint="it is committed with your next change (or run: git add -A && git commit)")
        return digest

    def _not_found(self, record_id: str) -> RecordNotFound:
        """'no record V-K2FTS3', with the ids it may have meant (S heard for 5...)."""
        from rjcli.core.ids import similar_ids

        existing = [p.stem for p in self.record_files(kind_of(record_id))]
        maybe = similar_ids(record_id, existing)[:3]
        return RecordNotFound(f"no record {record_id} in this casebook"
                              + (f"; did you mean {' or '.join(maybe)}?" if maybe else ""),
                              hint="rj list shows the records there are")

    def _before_write(self) -> None:
        if self.before_write is not None:
            self.before_write()

    # --- hooks for multi-file changes (rjcli.storage.journal) ---------------------------

    def _locked(self, name: str, what: str) -> contextlib.AbstractContextManager[None]:
        """The lock ``name``; inside a multi-file change it is held until the change ends."""
        if self._change is not None:
            return self._change.lock(name, what)  # type: ignore[no-any-return]
        return locked(self.lock_path(name), what)

    def _save(self, path: Path, text: str, private: bool) -> None:
        """Write a record; inside a multi-file change, stage it to be written with the rest."""
        if self._change is not None:
            self._change.write(path, text, private)
        else:
            atomic_write(path, text, private=private)

    def _settle(self, holding: str) -> None:
        """Finish a multi-file change a crash interrupted before changing one of its files."""
        if self._change is None:
            from rjcli.storage.journal import recover

            recover(self, holding=(holding,), tell=self.tell)

    def _wrote(self, path: Path, text: str) -> None:
        if self._change is not None:
            return  # told once the whole change is written
        if self.after_write is not None:
            self.after_write(path, text.encode("utf-8"))

    def committed(self, paths: list[Path], message: str) -> None:
        """Commit ``paths`` when autocommit is on (message: action and id only)."""
        if self._change is not None:
            self._change.commit.extend(p for p in paths if p not in self._change.commit)
            return
        if not self.config.autocommit:
            return
        if self._batch is not None:
            self._batch.extend(p for p in paths if p not in self._batch)
            return
        from rjcli.errors import NotCommitted
        from rjcli.storage.git import commit_paths

        try:
            commit_paths(self, paths, message, author=self.worker)
        except NotCommitted as exc:
            self.not_committed = exc  # saved: the command ends, then says so (rjcli.cli)

    @contextlib.contextmanager
    def one_commit(self, message: str) -> Iterator[None]:
        """Changes made in the block become one commit (e.g. a new victim and the link on
        the child's record), so no sync ever shares half of them."""
        self._batch = []
        try:
            yield
        finally:
            paths, self._batch = self._batch, None
            if paths:
                self.committed(paths, message)

    def replace_text(self, record_id: str, expected: str, text: str, action: str) -> dict[str, Any]:
        """Save ``text`` as the record, exactly as typed, if it is valid and the file still
        holds ``expected`` (nobody changed it meanwhile). Used by ``rj edit``."""
        path = self.path_for(record_id)
        kind = kind_of(record_id)
        self._before_write()
        with locked(self.lock_path(record_id), record_id):
            if path.read_text(encoding="utf-8") != expected:
                raise ChangeRefused(f"{record_id} was changed by someone else while you edited it")
            try:
                data = _yaml().parse_text(text)
                tree = _yaml().load_document(text).tree
            except _yaml().YamlProblem as exc:
                raise ChangeRefused(f"line {exc.line}: {exc.message}") from None
            if not isinstance(data, dict) or data.get("id") != record_id:
                raise ChangeRefused(f"the id must stay {record_id}")
            self._refuse_invalid(kind, data, tree)
            if kind == "child":
                self._refuse_victim_identifiers(record_id, expected, data, text)
            atomic_write(path, text, private=kind == "victim")
            self.committed([path], f"{action} {record_id}")
        self._wrote(path, text)
        return data
