"""A cold index build (from 400 files: two processes, the insert triggers dropped, a new
file in rollback-journal mode) killed with SIGKILL at any point leaves nothing the next
run trusts wrongly: the next `rj due` and report are the files' answer, and the index is
back in WAL mode, owner-only."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

TODAY = "2026-06-15"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    from conftest import generated_casebook

    return generated_casebook(tmp_path_factory, seed=29, victims=300, children=150)


def rj(root: Path, *args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RJ_")}
    return subprocess.Popen(
        [sys.executable, "-m", "rjcli", "--casebook", str(root), "--today", TODAY, *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        start_new_session=True)


def answer(root: Path, *args: str) -> tuple[int, str]:
    process = rj(root, *args)
    out, _ = process.communicate(timeout=300)
    return process.returncode, out


def test_a_cold_build_killed_anywhere_is_never_trusted_half_made(generated, tmp_path):
    root = tmp_path / "casebook"
    shutil.copytree(generated, root)
    index = root / ".rj" / "index.sqlite"
    due = ("due", "--all", "--json", "--within", "60")
    report = ("report", "quarterly", "--quarter", "2025-Q3", "--format", "json")
    expected_due = answer(root, "--no-cache", *due)
    expected_report = answer(root, "--no-cache", *report)
    assert expected_due[0] == 0 and expected_due[1].strip().startswith("[")
    started = time.monotonic()
    assert answer(root, *due) == expected_due  # a whole cold build, timed
    whole = time.monotonic() - started
    killed = 0
    for step in range(1, 10):
        shutil.rmtree(root / ".rj")
        process = rj(root, *due)
        time.sleep(whole * step / 10)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # the command and its workers
            killed += 1
        process.communicate(timeout=60)
        assert answer(root, *due) == expected_due, f"killed at {step}/10 of a build"
        assert answer(root, *report) == expected_report
        db = sqlite3.connect(index)
        try:
            assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        finally:
            db.close()
        for path in index.parent.glob("index.sqlite*"):
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert killed >= 5, "most kills landed during the build"
