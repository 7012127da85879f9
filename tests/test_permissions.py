"""Permissions follow the data wherever it came from: after ``git clone`` (umask 022: 0755
folders, 0644 files) and any one rj command, nothing in the casebook is readable by group
or others; rj init, rj demo, rj sync and the files rj writes elsewhere (reports, calendars,
exports, letters) are owner-only from the start."""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import CasebookUnderTest, invoke, json_of
from test_letters import write_casebook

OPEN_TO_OTHERS = 0o077


def git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """git as a person runs it in a shell: umask 022, so what it writes is world-readable."""
    return subprocess.run(
        ["git", "-c", "user.name=Ben Worker", "-c", "user.email=ben@example.org", *args],
        cwd=root, capture_output=True, text=True, check=True, preexec_fn=lambda: os.umask(0o022))


def readable_by_others(root: Path) -> list[str]:
    """Every folder and file under ``root`` (itself included, links not followed) that group
    or others may read, write or enter, with its mode."""
    found = []
    for place in [root, *root.rglob("*")]:
        status = place.lstat()
        if stat.S_ISLNK(status.st_mode):
            continue
        if status.st_mode & OPEN_TO_OTHERS:
            found.append(f"{place.relative_to(root.parent)} {stat.filemode(status.st_mode)}")
    return found


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The umask most systems give a person (022): what is not made private is readable."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def cloned(committed_casebook: CasebookUnderTest, tmp_path: Path) -> CasebookUnderTest:
    """A ``git clone`` of a casebook, made the way a new team member makes one."""
    git(tmp_path, "clone", "-q", str(committed_casebook.root), "clone")
    root = tmp_path / "clone"
    assert readable_by_others(root), "the clone should arrive world-readable"
    assert mode(root / "victims" / f"{committed_casebook.victim}.yaml") == 0o644
    return CasebookUnderTest(root, committed_casebook.child, committed_casebook.victim)


@pytest.mark.parametrize("command", [["due"], ["list"], ["check"], ["show", "VICTIM"],
                                     ["--no-cache", "due", "--all"]])
def test_a_cloned_casebook_is_owner_only_after_any_one_rj_command(
        cloned: CasebookUnderTest, command: list[str]) -> None:
    args = [cloned.victim if word == "VICTIM" else word for word in command]
    result = invoke(*args, casebook=cloned.root)
    assert result.exit_code in (0, 1), result.output
    assert readable_by_others(cloned.root) == []
    assert "owner-only" in result.stderr
    assert "victims/" in result.stderr and "children/" in result.stderr
    # said once: the next command finds it done and says nothing
    again = invoke(*args, casebook=cloned.root)
    assert "owner-only" not in again.stderr


def test_a_warm_command_does_not_walk_the_casebook_again(
        cloned: CasebookUnderTest, monkeypatch: pytest.MonkeyPatch) -> None:
    from rjcli.storage import permissions

    walks: list[Path] = []
    real = permissions.tighten

    def counted(root: Path) -> permissions.Tightened:
        walks.append(root)
        return real(root)

    monkeypatch.setattr(permissions, "tighten", counted)
    for _ in range(3):
        assert invoke("due", casebook=cloned.root).exit_code == 0
    assert len(walks) == 1
    # the folder opened up again (a restore from a backup, a chmod): walked again
    os.chmod(cloned.root, 0o755)
    assert invoke("due", casebook=cloned.root).exit_code == 0
    assert len(walks) == 2 and mode(cloned.root) == 0o700


def test_a_hand_git_pull_is_tightened_by_the_next_rj_command(
        committed_casebook: CasebookUnderTest, cloned: CasebookUnderTest) -> None:
    assert invoke("due", casebook=cloned.root).exit_code == 0
    made = committed_casebook.run("child", "new", "--name", "Kit Child", "--json")
    child = json_of(made)["id"]
    git(cloned.root, "pull", "-q", "--no-rebase")
    arrived = cloned.root / "children" / f"{child}.yaml"
    assert mode(arrived) == 0o644  # git wrote it world-readable (the folder above is not)
    result = invoke("list", casebook=cloned.root)
    assert result.exit_code == 0, result.output
    assert readable_by_others(cloned.root) == []


def test_init_and_demo_make_owner_only_casebooks(tmp_path: Path) -> None:
    made = invoke("init", str(tmp_path / "new"), "--service", "Exampletown YJS", worker=None)
    assert made.exit_code == 0, made.output
    demo = invoke("demo", str(tmp_path / "demo"))
    assert demo.exit_code == 0, demo.output
    for root in (tmp_path / "new", tmp_path / "demo"):
        assert mode(root) == 0o700
        assert readable_by_others(root) == []
        assert "owner-only" not in demo.stderr + made.stderr  # nothing to tell: made so


def test_files_rj_writes_outside_the_casebook_are_owner_only(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    out = tmp_path / "elsewhere"
    results = [
        casebook.run("report", "caseload", "--format", "csv", "--out", str(out / "r" / "c.csv")),
        casebook.run("due", "--ics", str(out / "cal" / "due.ics")),
        casebook.run("export", casebook.victim, "--out", str(out / "sar" / "v")),
        invoke("letter", "initial", "V-0001", "--draft", "--out", str(out / "letters" / "l.md"),
               casebook=write_casebook(tmp_path / "letters-casebook")),
    ]
    for result in results:
        assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.rglob("*") if p.is_file()) == sorted(
        ["c.csv", "due.ics", f"{casebook.victim}.json", f"{casebook.victim}.md", "l.md"])
    assert readable_by_others(out) == []  # the folders rj made too


def test_every_record_rj_writes_is_owner_only(casebook: CasebookUnderTest,
                                              child_factory: Callable[..., str]) -> None:
    child = child_factory()
    casebook.run("contact", "log", casebook.child, "--method", "phone",
                 "--outcome", "no-answer")
    assert mode(casebook.path(child)) == 0o600
    assert mode(casebook.path(casebook.child)) == 0o600
    assert readable_by_others(casebook.root) == []


# --- rj sync --------------------------------------------------------------------------------


@pytest.fixture
def shared(committed_casebook: CasebookUnderTest, tmp_path: Path
           ) -> tuple[CasebookUnderTest, Path]:
    """(Anna's casebook, sharing through a bare repository; Ben's clone of it)."""
    git(tmp_path, "init", "-q", "--bare", "shared.git")
    anna = committed_casebook
    result = anna.run("sync", "--remote", str(tmp_path / "shared.git"))
    assert result.exit_code == 0, result.output
    git(tmp_path, "clone", "-q", str(tmp_path / "shared.git"), "ben")
    return anna, tmp_path / "ben"


def test_sync_takes_in_new_files_owner_only(shared: tuple[CasebookUnderTest, Path]) -> None:
    anna, ben = shared
    made = invoke("child", "new", "--name", "Kit Child", "--json", casebook=ben)
    assert made.exit_code == 0, made.output
    assert invoke("sync", casebook=ben).exit_code == 0
    result = anna.run("sync")
    assert result.exit_code == 0, result.output
    arrived = anna.root / "children" / f"{json_of(made)['id']}.yaml"
    assert arrived.is_file() and mode(arrived) == 0o600
    assert readable_by_others(anna.root) == []


def test_sync_never_changes_what_a_teammates_symlink_points_to(
        shared: tuple[CasebookUnderTest, Path], tmp_path: Path) -> None:
    anna, ben = shared
    outside = tmp_path / "outside.txt"
    outside.write_text("not rj's\n", encoding="utf-8")
    os.chmod(outside, 0o644)
    (ben / "victims" / "V-7K3M2Q.yaml").symlink_to(outside)
    git(ben, "add", "victims/V-7K3M2Q.yaml")
    git(ben, "commit", "-q", "--no-verify", "-m", "a link")
    git(ben, "push", "-q")
    anna.run("sync")
    assert (anna.root / "victims" / "V-7K3M2Q.yaml").is_symlink()
    assert mode(outside) == 0o644
    checked = anna.run("check")
    assert checked.exit_code == 1
    assert "victims/V-7K3M2Q.yaml" in checked.output and "symbolic link" in checked.output
