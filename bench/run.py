"""Time rj as a user runs it: whole processes over a generated casebook.

    python bench/run.py                       # 10,000 victims, 5,000 children, 5 runs
    python bench/run.py --victims 300 --children 150 --runs 2
    python bench/run.py --keep /tmp/bench-casebook --markdown

Generates a casebook with bench/generate.py (in a temporary folder, or in --keep DIR,
reused when it already holds one), then runs each command as a separate process with
``--casebook`` and ``--today 2026-06-15`` and reports the median, fastest and slowest
wall-clock time and the peak memory (resident set) of the process. Beside rj it times
two floors on the same machine: a bare Python process parsing every record file with
PyYAML's libyaml loader (what "cold" is compared with), and ``python -c pass``
(start-up, what ``rj --help`` is compared with). Then it checks the targets of
issues 10 and 22 and prints PASS or FAIL for each.

"Cold" means no index (``<casebook>/.rj/`` deleted before the run); the files may
still be in the operating system's cache. "Warm" means the index is fresh. Commands
that take long are repeated fewer times: a row stops once its runs have taken more
than --budget seconds (always at least one run).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402  (bench/generate.py, beside this file)
from measure import Row, measure, run_once  # noqa: E402  (bench/measure.py)

TODAY = "2026-06-15"

FLOOR_SCRIPT = """
import os, sys, yaml
root = sys.argv[1]
for folder in ("victims", "children"):
    path = os.path.join(root, folder)
    for name in os.listdir(path):
        if name.endswith(".yaml"):
            with open(os.path.join(path, name), encoding="utf-8") as f:
                yaml.load(f.read(), Loader=yaml.CSafeLoader)
"""
"""The floor: libyaml parsing every record file in one bare Python process."""

HAND_EDIT = "rj due --all (after a hand edit)"
RJ_EDIT = "rj due --all (after rj contact log)"
STAFF_ADD = "rj due --all (after rj staff add)"
WORKER = generate.STAFF[0][0]
"""Who makes the bench's changes (rj refuses a worker not on the staff list)."""
CHECK_WARM = "rj check (warm)"
CHECK_EDIT = "rj check (after a hand edit)"
CHECK_STAFF = "rj check (after rj staff add)"
REPORTS = {"quarterly": ["report", "quarterly", "--quarter", "2026-Q1"],
           "caseload": ["report", "caseload"],
           "six-monthly": ["report", "six-monthly", "--half", "2025-H2"],
           "code": ["report", "code", "--quarter", "2026-Q1"]}


# --- the benchmark --------------------------------------------------------------------

def rj_command() -> list[str]:
    """The ``rj`` console script beside this Python (as users run it), else ``-m rjcli``."""
    script = Path(sys.executable).parent / "rj"
    return [str(script)] if script.exists() else [sys.executable, "-m", "rjcli"]


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RJ_")}
    env["COLUMNS"] = "120"
    return env


class Bench:
    def __init__(self, casebook: Path, runs: int, budget: float, timeout: float,
                 skip: list[str]) -> None:
        self.casebook = casebook
        self.runs = runs
        self.budget = budget
        self.timeout = timeout
        self.skip = skip
        self.env = clean_env()
        self.rj = rj_command()
        self.rows: list[Row] = []
        self.notes: list[str] = []
        self.current = Row("", "")
        self.floor_cmd = [sys.executable, "-c", FLOOR_SCRIPT, str(casebook)]
        self.staffed = sum(1 for line in (casebook / "rj.yaml").read_text().splitlines()
                           if "Bench Newcomer" in line)
        """Colleagues the bench added to this casebook (a reused one holds some)."""

    def base(self) -> list[str]:
        return [*self.rj, "--casebook", str(self.casebook), "--today", TODAY]

    def read_all(self) -> None:
        """Read every record file once, so every timed run finds them in the OS cache."""
        for folder in ("victims", "children"):
            for path in (self.casebook / folder).glob("*.yaml"):
                path.read_bytes()

    def drop_index(self, _n: int = 0) -> None:
        shutil.rmtree(self.casebook / ".rj", ignore_errors=True)

    def cold(self, _n: int = 0) -> None:
        """Before a cold run: time the floor once (for this row's ratio), drop the index."""
        wall, _, code, _, cpu = run_once(self.floor_cmd, self.env, self.timeout)
        if code == 0:
            self.current.floors.append(wall)
            self.current.floor_cpus.append(cpu)
            print(f"    (floor just before: {wall:.3f} s, CPU {cpu:.3f} s)", file=sys.stderr)
        self.drop_index()

    def warm_up(self, args: list[str], before_row: str) -> None:
        """One untimed run, to leave a fresh index behind for ``before_row``."""
        if self.skipped(before_row):
            return
        print(f"(warming up: rj {' '.join(args)})", file=sys.stderr)
        run_once(self.base() + args, self.env, self.timeout)

    def victim(self, n: int) -> Path:
        victims = sorted((self.casebook / "victims").glob("*.yaml"))
        return victims[(n * 7919) % len(victims)]

    def change_one(self, n: int) -> None:
        """Change one victim's record by hand (a longer note), as an editor or a
        ``git pull`` would: rj learns of it only when it next runs."""
        path = self.victim(n)
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("    note: allocated", "    note: allocated, edited", 1),
                        encoding="utf-8")

    def log_one(self, n: int) -> None:
        """Log a contact on one victim's record with rj (untimed), as a worker would
        (``--closed-ok``: the record may be a closed case, as most are)."""
        record = self.victim(n + 1).stem
        _, _, code, last, _ = run_once([*self.base(), "--worker", WORKER, "contact", "log",
                                     record, "--method", "phone", "--outcome", "no-answer",
                                     "--closed-ok"], self.env, self.timeout)
        if code != 0:
            raise SystemExit(f"rj contact log {record} failed (exit {code}): {last}")

    def staff_one(self, _n: int) -> None:
        """Add a colleague with rj (untimed), as a manager would: rj.yaml changes."""
        self.staffed += 1
        _, _, code, last, _ = run_once([*self.base(), "--worker", WORKER, "staff", "add",
                                        f"Bench Newcomer{_letters(self.staffed)}", "--role",
                                        "rj-worker"], self.env, self.timeout)
        if code != 0:
            raise SystemExit(f"rj staff add failed (exit {code}): {last}")

    def skipped(self, name: str) -> bool:
        return any(s in name for s in self.skip)

    def add(self, name: str, kind: str, cmd: list[str],
            before: Callable[[int], None] | None = None, budget: float | None = None
            ) -> Row | None:
        if self.skipped(name):
            self.notes.append(f"`{name}` skipped (--skip).")
            return None
        print(f"{name} ...", file=sys.stderr)
        self.current = Row(name, kind)
        row = measure(self.current, cmd, self.env, self.runs,
                      self.budget if budget is None else budget, self.timeout, before)
        self.rows.append(row)
        return row

    def run(self) -> None:
        self.read_all()
        # the floor is the yardstick of every cold run: always all --runs runs
        self.add("libyaml floor (parse every file)", "floor", self.floor_cmd, budget=float("inf"))
        self.add("python -c pass", "start-up", [sys.executable, "-c", "pass"])
        self.add("rj --help", "start-up", [*self.rj, "--help"])
        due = ["due", "--all"]
        self.add("rj due --all (cold)", "cold", self.base() + due, before=self.cold)
        self.warm_up(due, "rj due --all (warm)")
        self.add("rj due --all (warm)", "warm", self.base() + due)
        self.add(HAND_EDIT, "changed", self.base() + due, before=self.change_one)
        self.add(RJ_EDIT, "changed", self.base() + due, before=self.log_one)
        self.add(STAFF_ADD, "changed", self.base() + due, before=self.staff_one)
        self.add("rj list (cold)", "cold", self.base() + ["list"], before=self.cold)
        self.warm_up(["list"], "rj list (warm)")
        self.add("rj list (warm)", "warm", self.base() + ["list"])
        report = REPORTS["quarterly"]
        if subprocess.run([*self.rj, *report, "--help"], capture_output=True,
                          env=self.env).returncode == 0:
            self.add("rj report quarterly (cold)", "cold", self.base() + report,
                     before=self.cold)
            for name, args in REPORTS.items():
                self.warm_up(args, f"rj report {name} (warm)")
                self.add(f"rj report {name} (warm)", "warm", self.base() + args)
        else:
            self.notes.append("`rj report` not timed: this rj has no `report` command.")
        # check last: warm after a check has filled the index, then cold (drops the index)
        self.warm_up(["check"], CHECK_WARM)
        self.add(CHECK_WARM, "warm", self.base() + ["check"])
        self.add(CHECK_EDIT, "changed", self.base() + ["check"], before=self.change_one)
        self.add(CHECK_STAFF, "changed", self.base() + ["check"], before=self.staff_one)
        self.add("rj check (cold)", "cold", self.base() + ["check"], before=self.cold)

    # --- results ----------------------------------------------------------------------

    def find(self, name: str) -> Row | None:
        row = next((r for r in self.rows if r.name == name), None)
        return row if row and row.times else None

    def ratio(self, row: Row) -> str:
        start = self.find("python -c pass")
        if row.kind == "cold" and row.floors:
            return f"{row.median / row.floor:.2f}x floor ({fmt(row.floor)} s)"
        if row.name == "rj --help" and start:
            return f"{row.median / start.median:.1f}x pass"
        return ""

    def targets(self) -> list[tuple[str, str, bool | None]]:
        """(target, measured, passed) for each target of issue 10 (None: not measured)."""
        start = self.find("python -c pass")
        helped = self.find("rj --help")
        cold = self.find("rj due --all (cold)")
        warm = self.find("rj due --all (warm)")
        changes = [(what, self.find(name)) for what, name in
                   (("a hand edit", HAND_EDIT), ("`rj contact log`", RJ_EDIT))]
        out: list[tuple[str, str, bool | None]] = []
        if warm:
            out.append(("warm `rj due` <= 0.3 s", f"{warm.median:.3f} s", warm.median <= 0.3))
        if cold and cold.floors:
            out.append(("cold `rj due` <= 2x libyaml floor",
                        f"{cold.median:.2f} s = {cold.median / cold.floor:.2f}x "
                        f"the floor timed beside it ({cold.floor:.2f} s)",
                        cold.median <= 2 * cold.floor))
        for what, changed in changes:
            if changed and warm:
                out.append((f"after {what} <= warm + 0.05 s",
                            f"{changed.median:.3f} s = warm + "
                            f"{1000 * (changed.median - warm.median):.0f} ms",
                            changed.median <= warm.median + 0.05))
        if helped and start:
            out.append(("`rj --help` <= 0.15 s", f"{helped.median:.3f} s", helped.median <= 0.15))
            out.append(("`rj --help` <= 3x `python -c pass`",
                        f"{helped.median / start.median:.1f}x ({start.median:.3f} s)",
                        helped.median <= 3 * start.median))
        out += self.targets_22(warm)
        dues = [r for r in (cold, warm) if r]
        if dues:
            peak = max(r.peak for r in dues)
            out.append(("peak memory of `rj due` <= 200 MB",
                        f"{peak:.0f} MB (warm {warm.peak:.0f}, cold {cold.peak:.0f})"
                        if warm and cold else f"{peak:.0f} MB", peak <= 200))
        return out


    def targets_22(self, warm: Row | None) -> list[tuple[str, str, bool | None]]:
        """The targets of issue 22: settings changes, `rj check` and reports."""
        out: list[tuple[str, str, bool | None]] = []
        cold = self.find("rj due --all (cold)")
        if cold and cold.floors:
            floor_cpu = statistics.median(cold.floor_cpus) if cold.floor_cpus else 0
            cpu = (f"; CPU {cold.cpu:.2f} s = {cold.cpu / floor_cpu:.2f}x the floor's "
                   f"{floor_cpu:.2f} s" if cold.cpus and floor_cpu else "")
            out.append(("cold `rj due` <= 0.4x libyaml floor",
                        f"{cold.median:.2f} s = {cold.median / cold.floor:.2f}x the floor timed "
                        f"beside it ({cold.floor:.2f} s){cpu}", cold.median <= 0.4 * cold.floor))
        staffed = self.find(STAFF_ADD)
        if staffed and warm:
            out.append(("after `rj staff add` <= warm + 0.5 s",
                        f"{staffed.median:.3f} s = warm + "
                        f"{1000 * (staffed.median - warm.median):.0f} ms",
                        staffed.median <= warm.median + 0.5))
        checked, edited = self.find(CHECK_WARM), self.find(CHECK_EDIT)
        if checked:
            out.append(("warm `rj check` <= 1 s", f"{checked.median:.3f} s",
                        checked.median <= 1))
            out.append(("peak memory of warm `rj check` <= 150 MB", f"{checked.peak:.0f} MB",
                        checked.peak <= 150))
        if edited:
            out.append(("`rj check` after a hand edit <= 1.2 s", f"{edited.median:.3f} s",
                        edited.median <= 1.2))
        for name in REPORTS:
            row = self.find(f"rj report {name} (warm)")
            if row:
                out.append((f"warm `rj report {name}` <= 0.5 s", f"{row.median:.3f} s",
                            row.median <= 0.5))
        return out


def _letters(n: int) -> str:
    """A, B, ... Z, BA, BB...: a new name for each colleague the bench adds."""
    word = ""
    while True:
        n, r = divmod(n, 26)
        word = chr(65 + r) + word
        if not n:
            return word


def compile_sources() -> None:
    """Compile rj's modules once, as installing rj from a wheel does (an editable install
    compiles nothing; with PYTHONDONTWRITEBYTECODE set every run would compile them)."""
    import compileall

    try:
        import rjcli
    except ImportError:
        return
    compileall.compile_dir(Path(rjcli.__file__).parent, quiet=1)


def source_stamp() -> float:
    """The newest modification time among rj's own source files (0 if not found)."""
    try:
        import rjcli
    except ImportError:
        return 0.0
    root = Path(rjcli.__file__).parent
    return max((p.stat().st_mtime for p in root.rglob("*.py")), default=0.0)


def machine() -> dict[str, str]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    try:
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        load = "?"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cpu": f"{model or '?'}, {usable} cores (nproc)",
            "python": f"{platform.python_implementation()} {platform.python_version()} "
                      f"({sys.executable})",
            "os": f"{platform.system()} {platform.release()}",
            "load": load}


def rj_version(rj: list[str]) -> str:
    done = subprocess.run([*rj, "--version"], capture_output=True, text=True)
    return "; ".join(done.stdout.strip().splitlines()) or "?"


def fmt(x: float) -> str:
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"


def table(bench: Bench) -> list[list[str]]:
    rows = [["command", "runs", "median s", "min s", "max s", "CPU s", "ratio", "peak MB"]]
    for r in bench.rows:
        if r.failed:
            rows.append([r.name, str(len(r.times)), f"FAILED {r.failed}", "", "", "", "", ""])
        else:
            rows.append([r.name, str(len(r.times)), fmt(r.median), fmt(min(r.times)),
                         fmt(max(r.times)), fmt(r.cpu), bench.ratio(r), f"{r.peak:.0f}"])
    return rows


def verdict(ok: bool | None) -> str:
    return "PASS" if ok else "FAIL"


def report(bench: Bench, info: dict[str, str], markdown: bool) -> str:
    rows = table(bench)
    targets = bench.targets()
    lines: list[str] = []
    if markdown:
        lines += [f"Measured {info['date']} with `{info['command']}`: {info['size']}.", "",
                  f"- Machine: {info['cpu']}; {info['os']}; load average at the start "
                  f"{info['load_start']}, at the end {info['load_end']}",
                  f"- Python: {info['python']}; {info['rj']}", ""]
        lines.append("| " + " | ".join(rows[0]) + " |")
        lines.append("| " + " | ".join("---" if i == 0 else "---:" for i in range(len(rows[0]))) + " |")
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        lines += ["", "| target | measured | result |", "| --- | --- | --- |"]
        lines += [f"| {t} | {m} | {verdict(ok)} |" for t, m, ok in targets]
        if bench.notes:
            lines += [""] + [f"- {n}" for n in bench.notes]
        return "\n".join(lines) + "\n"
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines += [f"rj benchmark, {info['date']}: {info['size']}",
              f"machine: {info['cpu']}; {info['os']}",
              f"load average: {info['load_start']} at the start, {info['load_end']} at the end",
              f"python:  {info['python']}", f"rj:      {info['rj']}", ""]
    for n, r in enumerate(rows):
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                               for i, (c, w) in enumerate(zip(r, widths, strict=True))))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines += ["", "targets (issues 10 and 22):"]
    lines += [f"  {verdict(ok):4}  {t}: {m}" for t, m, ok in targets]
    lines += [f"note: {n}" for n in bench.notes]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--victims", type=int, default=10_000)
    parser.add_argument("--children", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (default 5)")
    parser.add_argument("--budget", type=float, default=60.0,
                        help="stop repeating a command once its runs took this many seconds")
    parser.add_argument("--timeout", type=float, default=1800.0,
                        help="kill a run that takes longer than this many seconds (default 1800)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="generate into DIR and keep it (reused if it holds a casebook)")
    parser.add_argument("--skip", action="append", default=[], metavar="TEXT",
                        help="skip commands whose name contains TEXT (e.g. --skip check)")
    parser.add_argument("--markdown", action="store_true", help="print the results as markdown")
    parser.add_argument("--markdown-file", type=Path, metavar="FILE",
                        help="also write the results as markdown to FILE")
    args = parser.parse_args(argv)
    # killed (SIGTERM): unwind, so the rj being timed is stopped too
    signal.signal(signal.SIGTERM, lambda _sig, _frame: sys.exit(143))

    temp = None
    if args.keep:
        casebook = args.keep.resolve()
    else:
        temp = tempfile.mkdtemp(prefix="rj-bench-")
        casebook = Path(temp) / "casebook"
    try:
        if (casebook / "rj.yaml").exists():
            print(f"Reusing the casebook in {casebook}", file=sys.stderr)
            generated = "reused"
        else:
            made = generate.generate(casebook, args.victims, args.children, args.seed)
            generated = f"generated in {made.seconds:.1f} s"
            print(f"Generated {made.victims + made.children} records in {made.seconds:.1f} s",
                  file=sys.stderr)
        files = list((casebook / "victims").glob("*.yaml")) + list((casebook / "children").glob("*.yaml"))
        size = sum(f.stat().st_size for f in files)
        load_start = machine()["load"]
        compile_sources()
        stamp = source_stamp()
        bench = Bench(casebook, args.runs, args.budget, args.timeout, args.skip)
        bench.run()
        if source_stamp() != stamp:
            bench.notes.append("rj's source files changed while this ran: rows may time "
                               "different versions of rj.")
        info = machine() | {
            "date": datetime.now().strftime("%Y-%m-%d %H:%M"),
            "size": f"{len(list((casebook / 'victims').glob('*.yaml')))} victims and "
                    f"{len(list((casebook / 'children').glob('*.yaml')))} children, "
                    f"{size / 1e6:.1f} MB, {size / max(len(files), 1) / 1024:.1f} KB a record "
                    f"({generated})",
            "rj": f"{rj_version(bench.rj)} run as `{' '.join(Path(c).name for c in bench.rj)}`",
            "command": "python bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:]),
            "load_start": load_start,
        }
        info["load_end"] = info["load"]
        print(report(bench, info, args.markdown), end="")
        if args.markdown_file:
            args.markdown_file.write_text(report(bench, info, markdown=True), encoding="utf-8")
        return 1 if any(r.failed for r in bench.rows) else 0
    finally:
        if temp:
            shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
