"""Many ``rj`` processes changing one casebook at once lose nothing (issue #2).

Real processes (``python -m rjcli``), started together; each test is bounded by
a 15 minute limit so that a deadlock fails instead of hanging. The bound says nothing of
speed: on a machine loaded twenty deep, 16 processes queueing for one lock took more than
rj's 30 seconds of waiting (rj then refuses, as it should), so these runs wait as long as
RJ_LOCK_WAIT allows.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import TODAY, WORKER, CasebookUnderTest

PROCESSES = 16
GIT_PROCESSES = 8
"""Fewer with autocommit: each also runs git three times (the test's time budget)."""
TIME_LIMIT = 900.0
LOCK_WAIT = "600"


def run_together(root: Path, commands: list[list[str]]) -> list[tuple[int, str, str]]:
    """Start every command at once; (exit code, stdout, stderr) of each, in order."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RJ_")}
    env["RJ_LOCK_WAIT"] = LOCK_WAIT
    procs = [subprocess.Popen(
        [sys.executable, "-m", "rjcli", "--casebook", str(root), "--today", TODAY,
         "--worker", WORKER, *command],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for command in commands]
    deadline = time.monotonic() + TIME_LIMIT
    results = []
    try:
        for proc in procs:
            out, err = proc.communicate(timeout=max(0.1, deadline - time.monotonic()))
            results.append((proc.returncode, out, err))
    except subprocess.TimeoutExpired:
        pytest.fail(f"{len(commands)} rj processes did not finish within {TIME_LIMIT:.0f} s")
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    for code, out, err in results:
        assert "Traceback" not in out + err
        assert code == 0, err
    return results


def entry_ids(data: dict[str, object]) -> list[str]:
    return [str(e["id"]) for key in ("contacts", "consents", "status_history")
            for e in data.get(key) or [] if isinstance(e, dict)]


def test_sixteen_contact_logs_at_once_lose_no_entry(casebook: CasebookUnderTest) -> None:
    vid = casebook.victim
    notes = [f"call number {n}" for n in range(PROCESSES)]

    run_together(casebook.root, [
        ["contact", "log", vid, "--method", "phone", "--outcome", "spoke",
         "--at", f"2026-04-02 09:{n:02d}", "--note", note] for n, note in enumerate(notes)])

    data = casebook.data(vid)  # parses
    assert sorted(c["note"] for c in data["contacts"]) == sorted(notes)
    ids = entry_ids(data)
    assert len(ids) == len(set(ids))
    assert casebook.run("check").exit_code == 0


def test_sixteen_new_victims_at_once_get_distinct_ids_and_links(
        casebook: CasebookUnderTest) -> None:
    names = [f"Person Number{chr(ord('A') + n)}" for n in range(PROCESSES)]

    results = run_together(casebook.root, [
        ["victim", "new", "--name", name, "--child", casebook.child, "--consent-contact", "yes",
         "--json"] for name in names])

    new_ids = [json.loads(out)["id"] for _code, out, _err in results]
    assert len(set(new_ids)) == PROCESSES
    for victim_id, name in zip(new_ids, names, strict=True):
        assert casebook.data(victim_id)["name"] == name
        assert casebook.data(victim_id)["children"] == [{"child": casebook.child}]
    refs = casebook.data(casebook.child)["victims"]
    assert {r["ref"] for r in refs} == {casebook.victim, *new_ids}
    labels = [r["label"] for r in refs]
    assert len(labels) == len(set(labels)) == PROCESSES + 1
    assert casebook.run("check").exit_code == 0


def test_changes_at_once_make_one_commit_each(
        committed_casebook: CasebookUnderTest) -> None:
    book = committed_casebook

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=book.root, capture_output=True, text=True,
                              check=True).stdout

    before = int(git("rev-list", "--count", "HEAD"))

    run_together(book.root, [
        ["contact", "log", book.victim, "--method", "phone", "--outcome", "no-answer",
         "--at", f"2026-04-02 10:{n:02d}"] for n in range(GIT_PROCESSES)])

    assert int(git("rev-list", "--count", "HEAD")) == before + GIT_PROCESSES
    assert git("log", f"-{GIT_PROCESSES}", "--format=%s").splitlines() == \
        [f"rj: log contact on {book.victim}"] * GIT_PROCESSES
    assert git("status", "--porcelain", "--", f"victims/{book.victim}.yaml") == ""
    assert len(book.data(book.victim)["contacts"]) == GIT_PROCESSES
