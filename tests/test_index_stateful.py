"""A model-based test of the index: any sequence of rj writes, hand edits, deletes,
renames and git operations, and after each step the index gives exactly what the
files give (``--no-cache``): ``rj list``, ``rj due --all --json`` and, in some steps,
``rj report caseload``; and the index holds a row for exactly the files on disk (no
record, and no record's personal data, outlives its file).

The default run is small (about half a minute, the same examples every run);
``RJ_STATEFUL_EXAMPLES=200`` runs 200 random sequences. The index's listing is cut
into chunks of 2 files here (256 in real use: the same logic, more of it), and a
two-process rebuild starts from 6 changed files, so every path of a refresh is taken.
Nothing here waits for the clock: a file changed moments before a run is the index's
"racy" case, which it handles by comparing bytes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from conftest import invoke
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

EXAMPLES = int(os.environ.get("RJ_STATEFUL_EXAMPLES", "0"))
"""Random sequences to run (0: the default, small and derandomized)."""
GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org",
       "-c", "commit.gpgsign=false"]
NAMES = ["Ann Example", "Bob Example", "Cy Examples", "Dorothea Example-Longname"]
DAYS = ["2026-03-25", "2026-03-30", "2026-04-01", "2026-02-02"]
PICK = st.integers(min_value=0, max_value=10_000)
NEWEST = st.sampled_from([True, True, False])
"""Whether a step acts on the victim rj made last (the issue's case: rm V-NEW.yaml)."""
"""Which record (or commit) a step acts on: taken modulo how many there are."""
LOOK = st.booleans()
"""Whether rj reads the casebook (cached and not, compared) after a step: steps not
looked at let changes pile up between two runs, as when a victim file is deleted
right after ``rj victim new`` wrote it (and the index took it in)."""


def git(root: Path, *args: str) -> str:
    return subprocess.run(GIT + list(args), cwd=root, check=True, capture_output=True,
                          text=True).stdout.strip()


def rj(root: Path, *args: str, cache: bool = True):
    options = [] if cache else ["--no-cache"]
    return invoke(*options, *args, casebook=root)


_TEMPLATE: dict[str, Path] = {}


def template() -> Path:
    """A casebook made by rj once per session (a child, two victims, committed): each
    sequence starts from a copy."""
    if "root" not in _TEMPLATE:
        root = Path(tempfile.mkdtemp(prefix="rj-stateful-")) / "book"
        assert rj(root, "init", str(root), "--service", "Test YJS", "--profile", "wokingham",
                  "--no-autocommit").exit_code == 0
        rj(root, "staff", "add", "Sam Worker", "--role", "rj-worker", "--phone", "01632 960101")
        child = json.loads(rj(root, "child", "new", "--name", "Jo Example", "--sentenced",
                              "2026-03-20", "--disposal", "referral-order", "--json").stdout)
        for name, phone in (("Ann Example", "07700 900001"), ("Bob Example", "07700 900002")):
            assert rj(root, "victim", "new", "--name", name, "--child", child["id"],
                      "--allocated", "2026-04-01", "--consent-contact", "yes", "--phone",
                      phone).exit_code == 0
        git(root, "add", "-A")
        git(root, "commit", "-qm", "start")
        _TEMPLATE["root"] = root
    return _TEMPLATE["root"]


def same_size(old: str, new: str) -> str:
    """``new`` cut or padded (with letters) to the length of ``old``."""
    return (new + "x" * len(old))[: len(old)]


class IndexAgainstFiles(RuleBasedStateMachine):
    """One casebook changed step by step; the index checked against the files."""

    def __init__(self) -> None:
        super().__init__()
        import rjcli.storage.index.refresh as refresh_module
        import rjcli.storage.listing as listing_module

        self.saved = (listing_module.CHUNK, refresh_module.PARALLEL_FROM)
        listing_module.CHUNK, refresh_module.PARALLEL_FROM = 2, 6
        self.folder = Path(tempfile.mkdtemp(prefix="rj-stateful-"))
        self.root = self.folder / "book"
        shutil.copytree(template(), self.root, symlinks=True)
        self.commits = [git(self.root, "rev-parse", "HEAD")]
        self.steps: list[str] = []
        """What was done, for the failure message."""
        self.created: list[str] = []
        """Ids of the victims rj made, newest last."""
        self.look = True

    def teardown(self) -> None:
        import rjcli.storage.index.refresh as refresh_module
        import rjcli.storage.listing as listing_module

        listing_module.CHUNK, refresh_module.PARALLEL_FROM = self.saved
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- what is there ----------------------------------------------------------------

    def files(self, folder: str | None = None) -> list[Path]:
        folders = [folder] if folder else ["victims", "children"]
        return sorted(p for f in folders for p in (self.root / f).glob("*.yaml"))

    def pick(self, n: int, folder: str | None = None, newest: bool = False) -> Path | None:
        """The ``n``th record file (modulo their number), or with ``newest`` the victim rj
        made last, if its file is still there."""
        if newest and self.created:
            path = self.root / "victims" / f"{self.created[-1]}.yaml"
            if path.exists():
                return path
        files = self.files(folder)
        return files[n % len(files)] if files else None

    def did(self, what: str, look: bool) -> None:
        self.steps.append(what + ("" if look else " (not looked at)"))
        self.look = look

    # --- rj writes ---------------------------------------------------------------------

    @rule(name=st.sampled_from(NAMES), linked=st.booleans(), n=PICK)
    def victim_new(self, name: str, linked: bool, n: int) -> None:
        """A new victim, never looked at at once: the next step may delete, rename or
        edit it before any rj reads the casebook (the index took it in as rj wrote it)."""
        child = self.pick(n, "children")
        args = ["victim", "new", "--name", name, "--allocated", "2026-04-01",
                "--consent-contact", "yes", "--phone", "07700 900123"]
        if linked and child is not None:
            args += ["--child", child.stem]
        self.did(f"rj {' '.join(args)}", look=False)
        result = rj(self.root, *args, "--json")
        if result.exit_code == 0:
            self.created.append(json.loads(result.stdout)["id"])

    @rule(n=PICK, action=st.sampled_from(["contact", "close", "reopen"]), newest=NEWEST,
          look=LOOK)
    def victim_change(self, n: int, action: str, newest: bool, look: bool) -> None:
        path = self.pick(n, "victims", newest)
        if path is None:
            return
        args = {"contact": ["contact", "log", path.stem, "--method", "phone", "--outcome",
                            "spoke"],
                "close": ["close", path.stem, "--reason", "declined"],
                "reopen": ["reopen", path.stem, "--reason", "victim got in touch"]}[action]
        self.did(f"rj {' '.join(args)}", look)
        rj(self.root, *args)  # may be refused (record broken, already closed): fine

    # --- hand edits ---------------------------------------------------------------------

    @rule(n=PICK, field=st.sampled_from(["name", "allocated", "sentence_date"]),
          value=st.integers(0, 3), keep_size=st.booleans(), keep_mtime=st.booleans(),
          in_place=st.booleans(), newest=NEWEST, look=LOOK)
    def hand_edit(self, n: int, field: str, value: int, keep_size: bool, keep_mtime: bool,
                  in_place: bool, newest: bool, look: bool) -> None:
        """Rewrite one field as an editor would (in place, or a new file renamed over it),
        perhaps keeping the size, perhaps putting the old mtime back (``os.utime``)."""
        path = self.pick(n, newest=newest)
        if path is None:
            return
        before = path.stat()
        text = path.read_text(encoding="utf-8")
        found = re.search(rf"^\s*{field}: (.*)$", text, flags=re.M)
        if found is None:
            new_text = text + "# looked at\n"
        else:
            old = found.group(1)
            new = (NAMES if field == "name" else DAYS)[value]
            if keep_size:
                new = same_size(old, new if new != old else old[1:] + old[:1])
            new_text = text[: found.start(1)] + new + text[found.end(1):]
        if in_place:
            path.write_text(new_text, encoding="utf-8")
        else:
            spare = path.with_name(f".{path.name}.edit")
            spare.write_text(new_text, encoding="utf-8")
            os.replace(spare, path)
        if keep_mtime:
            os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        self.did(f"edit {path.name} {field} keep_size={keep_size} keep_mtime={keep_mtime} "
                 f"in_place={in_place}", look)

    @rule(n=PICK, look=LOOK)
    def break_file(self, n: int, look: bool) -> None:
        path = self.pick(n)
        if path is not None:
            path.write_text(f"id: {path.stem}\nname: [unclosed\n", encoding="utf-8")
            self.did(f"break {path.name}", look)

    @rule(n=PICK, look=LOOK)
    def touch(self, n: int, look: bool) -> None:
        path = self.pick(n)
        if path is not None:
            before = path.stat()
            os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 3_000_000_000))
            self.did(f"touch {path.name}", look)

    @rule(n=PICK, newest=NEWEST, look=LOOK)
    def delete(self, n: int, newest: bool, look: bool) -> None:
        path = self.pick(n, newest=newest)
        if path is not None:
            path.unlink()
            self.did(f"rm {path.name}", look)

    @rule(n=PICK, new_id=st.sampled_from(["ZZZZZZ", "ZZZZZY", "AAAAA0"]), fix_id=st.booleans(),
          newest=NEWEST, look=LOOK)
    def rename(self, n: int, new_id: str, fix_id: bool, newest: bool, look: bool) -> None:
        """Move a record to another file name (its id inside changed too, or not: then the
        file is a problem, "id does not match file name")."""
        path = self.pick(n, newest=newest)
        if path is None:
            return
        target = path.with_name(f"{path.stem[:2]}{new_id}.yaml")
        if target.exists():
            return
        path.rename(target)
        if fix_id:
            text = target.read_text(encoding="utf-8")
            target.write_text(text.replace(f"id: {path.stem}", f"id: {target.stem}", 1),
                              encoding="utf-8")
        self.did(f"mv {path.name} {target.name} fix_id={fix_id}", look)

    # --- git ----------------------------------------------------------------------------

    @rule(look=LOOK)
    def commit(self, look: bool) -> None:
        git(self.root, "add", "-A")
        git(self.root, "commit", "-qm", "step", "--allow-empty")
        self.commits.append(git(self.root, "rev-parse", "HEAD"))
        self.did("git commit", look)

    @rule(n=PICK, how=st.sampled_from(["reset", "checkout"]), look=LOOK)
    def go_back(self, n: int, how: str, look: bool) -> None:
        """``git reset --hard`` to a commit (files added since are deleted), or ``git
        checkout COMMIT -- .`` (files come back as they were; others stay)."""
        commit = self.commits[n % len(self.commits)]
        if how == "reset":
            git(self.root, "reset", "-q", "--hard", commit)
        else:
            git(self.root, "checkout", "-q", commit, "--", ".")
        self.did(f"git {how} {commit[:7]}", look)

    # --- the comparison -----------------------------------------------------------------

    def same(self, *args: str) -> None:
        cached, files = rj(self.root, *args), rj(self.root, *args, cache=False)
        context = "\n".join(self.steps)
        assert (cached.exit_code, cached.output) == (files.exit_code, files.output), (
            f"rj {' '.join(args)} differs from --no-cache after:\n{context}")

    @invariant()
    def compare(self) -> None:
        if not self.look:
            return
        self.same("list", "--json")
        self.same("due", "--all", "--json")
        self.rows_are_the_files()

    @rule()
    def compare_caseload(self) -> None:
        self.look = True
        self.same("report", "caseload", "--format", "json")

    def rows_are_the_files(self) -> None:
        """The index holds a row for each record file there is, and for no other."""
        db = sqlite3.connect(self.root / ".rj" / "index.sqlite")
        try:
            rows = {path for (path,) in db.execute("SELECT path FROM files")}
        finally:
            db.close()
        assert rows == {p.relative_to(self.root).as_posix() for p in self.files()}, (
            "\n".join(self.steps))


IndexAgainstFiles.TestCase.settings = settings(
    max_examples=EXAMPLES or 10,
    stateful_step_count=12 if not EXAMPLES else 25,
    derandomize=not EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestIndexAgainstFiles = IndexAgainstFiles.TestCase
