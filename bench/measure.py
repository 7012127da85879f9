"""Timing one command as a whole process: wall-clock and CPU seconds, peak memory, exit
code (bench/run.py runs each command through :func:`measure`)."""

from __future__ import annotations

import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Row:
    """One measured command."""

    name: str
    """What was run, as shown in the table."""
    kind: str
    """``floor``, ``cold``, ``warm``, ``changed`` or ``start-up``: decides the ratio shown."""
    times: list[float] = field(default_factory=list)
    """Wall-clock seconds of each run."""
    peaks: list[float] = field(default_factory=list)
    """Peak resident memory of each run, MB."""
    cpus: list[float] = field(default_factory=list)
    """CPU seconds (user and system, with the workers it waited for) of each run: on a
    loaded machine a steadier figure than the wall-clock time."""
    floors: list[float] = field(default_factory=list)
    """For a cold command: the libyaml floor timed just before each run (the machine's
    load drifts; a ratio to a floor measured minutes earlier would drift with it)."""
    floor_cpus: list[float] = field(default_factory=list)
    """CPU seconds of each of those floors."""
    failed: str = ""
    """Why the command failed, when it did."""
    note: str = ""
    """Shown instead of numbers (a skipped command)."""

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus) if self.cpus else 0.0

    @property
    def peak(self) -> float:
        return max(self.peaks)

    @property
    def floor(self) -> float:
        return statistics.median(self.floors)


# --- running one process ------------------------------------------------------------

TIME = "/usr/bin/time"
"""GNU time, when present, reports the peak memory of the command alone."""


def run_once(cmd: list[str], env: dict[str, str], timeout: float
             ) -> tuple[float, float, int, str, float]:
    """(wall seconds, peak RSS in MB, exit code, last line of stderr, CPU seconds) of one
    process.

    The peak is the largest resident set of the process or of any process it started
    and waited for (rj's parse workers), not their sum. It is read through GNU time
    when present: a child forked straight from this script would start its count at
    this script's own size (about 20 MB), hiding the peak of small commands. A run
    still going after ``timeout`` seconds is killed with its workers (exit code -9).
    """
    use_time = os.access(TIME, os.X_OK)
    with tempfile.TemporaryFile() as errors, tempfile.NamedTemporaryFile("r") as peak_file:
        full = [TIME, "-f", "%M", "-o", peak_file.name, *cmd] if use_time else cmd
        began = time.perf_counter()
        proc = subprocess.Popen(full, stdout=subprocess.DEVNULL, stderr=errors, env=env,
                                start_new_session=True)
        killer = threading.Timer(timeout, _kill_group, (proc.pid,))
        killer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # interrupted: leave no rj running behind
            _kill_group(proc.pid)
            raise
        finally:
            killer.cancel()
        wall = time.perf_counter() - began
        proc.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        lines = errors.read().decode("utf-8", "replace").strip().splitlines()
        peak_kb = usage.ru_maxrss
        cpu = usage.ru_utime + usage.ru_stime
        if use_time:
            reported = peak_file.read().split()
            peak_kb = int(reported[-1]) if reported and reported[-1].isdigit() else 0
    if wall >= timeout:
        return wall, peak_kb / 1024, -9, f"killed after {timeout:.0f} s (--timeout)", cpu
    return wall, peak_kb / 1024, proc.returncode, lines[-1] if lines else "", cpu


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def measure(row: Row, cmd: list[str], env: dict[str, str], runs: int, budget: float,
            timeout: float, before: Callable[[int], None] | None = None) -> Row:
    """Run ``cmd`` up to ``runs`` times (``before(n)`` ahead of each), recording each run;
    stop early once the runs took more than ``budget`` seconds."""
    for n in range(runs):
        if before:
            before(n)
        wall, peak, code, last, cpu = run_once(cmd, env, timeout)
        if code != 0:
            row.failed = f"exit {code}: {last}"
            return row
        row.times.append(wall)
        row.peaks.append(peak)
        row.cpus.append(cpu)
        print(f"  {row.name}: {wall:.3f} s ({cpu:.2f} s CPU), {peak:.0f} MB", file=sys.stderr)
        if sum(row.times) > budget:
            break
    return row
