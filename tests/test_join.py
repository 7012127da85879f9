"""``rj join URL [FOLDER]``: a new worker joins a shared casebook with rj alone (issue 19)."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest
from conftest import as_at_a_terminal, invoke, make_casebook, plain
from test_sync import _git_env, git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

NEWCOMER = "Amir Haddon"


@pytest.fixture
def shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    """A bare shared copy of a casebook whose fixture victim is allocated to the newcomer."""
    _git_env(monkeypatch, tmp_path / "gitconfig")
    git(tmp_path, "init", "-q", "--bare", "shared.git")
    made = make_casebook(tmp_path / "first", autocommit=True)
    assert made.run("staff", "add", NEWCOMER, "--role", "rj-worker").exit_code == 0
    moved = made.run("assign", made.victim, "--worker", NEWCOMER)
    assert moved.exit_code == 0, moved.output
    synced = made.run("sync", "--remote", str(tmp_path / "shared.git"))
    assert synced.exit_code == 0, synced.output
    return tmp_path / "shared.git", made.victim


def test_join_clones_sets_up_remembers_the_worker_and_prints_their_due_list(
        shared: tuple[Path, str], tmp_path: Path) -> None:
    url, victim = shared
    copy = tmp_path / "laptop" / "casebook"
    result = invoke("join", str(url), str(copy), "--worker", "amir", worker=None)
    assert result.exit_code == 0, result.output
    out = plain(result.output)
    assert f"as {NEWCOMER}" in out
    assert f"Work for {NEWCOMER}" in out and victim in out
    assert stat.S_IMODE(copy.stat().st_mode) == 0o700
    assert stat.S_IMODE((copy / "rj.yaml").stat().st_mode) == 0o600
    assert git(copy, "config", "merge.rj.driver").stdout.strip().endswith("merge-file %O %A %B %P")
    assert (copy / ".git" / "hooks" / "commit-msg").is_file()
    assert (copy / ".rj" / "worker").read_text(encoding="utf-8") == f"{NEWCOMER}\n"
    # later commands in that copy know who is at the keyboard without --worker
    later = invoke("due", casebook=copy, worker=None)
    assert later.exit_code == 0, later.output
    assert f"Work for {NEWCOMER}" in plain(later.output)
    logged = invoke("contact", "log", victim, "--method", "phone", "--outcome", "spoke",
                    "--at", "2026-04-02 10:00", casebook=copy, worker=None)
    assert logged.exit_code == 0, logged.output
    assert git(copy, "log", "-1", "--format=%an").stdout.strip() == NEWCOMER


def test_join_with_a_name_not_on_the_staff_list_keeps_nothing(
        shared: tuple[Path, str], tmp_path: Path) -> None:
    url, _victim = shared
    copy = tmp_path / "mine"
    result = invoke("join", str(url), str(copy), "--worker", "Nobody Known", worker=None)
    assert result.exit_code == 2
    assert "'Nobody Known' is not on the staff list" in plain(result.output)
    assert not copy.exists()


def test_join_in_a_script_without_a_name_asks_for_one_and_copies_nothing(
        shared: tuple[Path, str], tmp_path: Path) -> None:
    url, _victim = shared
    copy = tmp_path / "mine"
    result = invoke("join", str(url), str(copy), worker=None)
    assert result.exit_code == 2
    assert "say who you are" in plain(result.output)
    assert not copy.exists()


def test_join_refuses_a_folder_that_is_not_a_casebook(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _git_env(monkeypatch, tmp_path / "gitconfig")
    git(tmp_path, "init", "-q", "--bare", "empty.git")
    result = invoke("join", str(tmp_path / "empty.git"), str(tmp_path / "mine"), "--worker",
                    "Sam Worker", worker=None)
    assert result.exit_code == 2
    assert "is not a casebook" in plain(result.output)
    assert not (tmp_path / "mine").exists()


def test_join_at_a_terminal_asks_who_you_are_from_the_staff_list(
        shared: tuple[Path, str], tmp_path: Path) -> None:
    import os
    import sys

    pexpect = pytest.importorskip("pexpect")
    rj = Path(sys.executable).with_name("rj")
    if not rj.exists():
        pytest.skip("the rj script is not installed")
    url, victim = shared
    copy = tmp_path / "mine"
    env = {k: v for k, v in os.environ.items() if not k.startswith("RJ_")}
    env |= {"TERM": "dumb", "NO_COLOR": "1", "COLUMNS": "200", "RJ_TODAY": "2026-04-02",
            "RJ_CLOCK": "2026-04-02T23:59"}
    child = pexpect.spawn(str(rj), ["join", str(url), str(copy)], env=env, encoding="utf-8",
                          timeout=60, dimensions=(50, 200),
        preexec_fn=as_at_a_terminal)
    child.expect(r"(\d+)\. Amir Haddon \(rj-worker\)")
    number = child.match.group(1)
    child.expect_exact("Who are you? (number)")
    child.sendline(number)
    child.expect(pexpect.EOF)
    child.close()
    said = plain(child.before or "")
    assert child.exitstatus == 0, said
    assert f"as {NEWCOMER}" in said and f"Work for {NEWCOMER}" in said and victim in said
    assert (copy / ".rj" / "worker").read_text(encoding="utf-8") == f"{NEWCOMER}\n"
