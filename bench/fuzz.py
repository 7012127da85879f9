"""Hostile record files against every reading command (issue 15).

Writes record files that an editor, a broken script or an attacker could leave in a
casebook (tags such as ``!!binary``, ``!!set`` and ``!!python/...``, alias bombs, huge
numbers, far dates, a value of the wrong type in any field, deep nesting, NUL and control
bytes, invalid UTF-8, byte-order marks, very long lines, duplicate keys, empty files,
lists at the top level...) into a copy of the sample casebook, a batch at a time, and
runs every reading command over them: in-process (fast, with an alarm for hangs) and a
few as real processes with a timeout. Counts exit codes, exit-70s ("rj stopped on an
unexpected problem"), tracebacks, hangs, and batches where a good record was no longer
served.

    .venv/bin/python bench/fuzz.py --files 1000 --seed 1

tests/test_fuzz.py runs a few dozen files of the same kinds (RJ_FUZZ_FILES for more).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
SAMPLE = HERE / "sample-casebook"
TODAY = "2026-06-15"
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

BILLION_LAUGHS = "lol: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"l{n}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 9)}]\n" for n in range(8))

VALUES = [
    # tags a record never needs
    "!!binary aGVsbG8=", "!!set {a, b}", "!!omap [a: 1, b: 2]", "!!pairs [a: 1, a: 2]",
    "!!python/object/apply:os.system [id]", "!!python/name:os.system", "!!python/tuple [1, 2]",
    "!custom x", "!<tag:example.org,2026:x> y", "!!merge x", "!!value x", "!!yaml x",
    "!!timestamp 9999-12-31", "!!int 2026", "!!float 1e400", "!!float nan", "!!str 2026-04-01",
    "!!null ''", "!!bool true", "!!timestamp 'nonsense'", "!!int 'x'", "!!map [1]", "!!seq {a: 1}",
    # numbers
    "9" * 5000, "-" + "9" * 5000, "0x" + "F" * 5000, "0b" + "1" * 300, "0o7777777777777777777777",
    "12345678901234567890", "-1", "0", "3.5", "-0.0", "1e309", "-1e309", ".inf", "-.inf", ".nan",
    "1_000_000", "+12", "07700900123",
    # dates and moments, near and far
    "9999-12-31", "0001-01-01", "1899-12-31", "1900-01-01", "2100-12-31", "2101-01-01",
    "1000-06-15", "2026-02-29", "2026-13-45", '"9999-12-31"', "'0001-01-01'", "9999-12-31 10:00",
    '"0001-01-01 00:00"', "2026-04-01T10:00:00+14:00", "2026-04-01 10:00:00.123456 -05:00",
    "9999-12-31T23:59:59Z", "0001-01-01 00:00:00", "2026-06-15T25:61:61", '"2026-06-15 10:00"',
    # types where the schema wants another
    "[]", "{}", "[1, 2, 3]", "{a: 1, b: [2]}", "[[[]]]", "true", "false", "null", "~", "''",
    '""', "yes", "[2026-04-01, 9999-12-31]", "{2026-04-01: x}", "{1: 2}", "{null: x}",
    "[{id: 1}, {id: 1}]", "{id: V-0001}",
    # text that is odd
    '"\\0nul"', '"\\x01\\x1b[31mred\\x1b[0m"', '"\\u2028line\\u2029sep\\x85nel"', '"\\ud800"',
    '"\\uffff\\ufffe"', '"\\U0001F600"', "'" + "x" * 300_000 + "'", "x" * 100_000,
    '"{{ 7*7 }} {% raw %}"', '"<script>alert(1)</script>"', '"=cmd|/C calc!A0"',
    '"../../etc/passwd"', '"V-../x"', "'%s%s%n'", '"\\t\\r\\n"',
    # structure
    "&anchor x", "*nowhere", "[" * 300 + "]" * 300, "{a: " * 60 + "1" + "}" * 60,
    "|\n  block\n  text", ">-\n  folded", "? complex\n", "- a\n- b",
]
"""Values put in place of a field's value (flow form: valid YAML after ``key: ``)."""

KEY_LINE = re.compile(r"^(\s*(?:- )?)([A-Za-z_][\w-]*):(?: (.*))?$")


@dataclass
class Hostile:
    kind: str
    """What was done to the file (for the figures)."""
    folder: str
    record_id: str
    content: bytes


def _ids(prefix: str, start: int) -> Iterator[str]:
    n = start
    while True:
        text = ""
        k = n
        for _ in range(5):
            text = CROCKFORD[k % 32] + text
            k //= 32
        yield f"{prefix}-F{text}"
        n += 1


def _with_id(text: str, record_id: str) -> str:
    return re.sub(r"^id: .*$", f"id: {record_id}", text, count=1, flags=re.M)


def _value(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    places = [i for i, line in enumerate(lines) if KEY_LINE.match(line)]
    i = rng.choice(places)
    match = KEY_LINE.match(lines[i])
    assert match
    indent, key, _ = match.groups()
    # a mapping or list under the key goes too: the new value replaces all of it
    depth = len(indent)
    end = i + 1
    while end < len(lines):
        line = lines[end]
        if line.strip() and len(line) - len(line.lstrip(" ")) <= depth:
            break
        end += 1
    value = rng.choice(VALUES)
    if "\n" in value:
        pad = " " * (depth + 2)
        value = value.replace("\n", "\n" + pad).rstrip()
    lines[i:end] = [f"{indent}{key}: {value}"]
    return "\n".join(lines)


STRUCTURES = [
    "top-level list", "top-level scalar", "empty", "whitespace", "comment only",
    "three documents", "utf-8 BOM", "utf-16 BOM", "invalid UTF-8", "NUL byte",
    "control bytes", "very long line", "duplicate key", "billion laughs", "deep block nesting",
    "truncated", "bytes flipped", "line deleted", "CRLF", "CR only", "tab indent", "id removed",
    "id of another record", "key of odd type", "huge key", "many keys",
]


def _structure(rng: random.Random, text: str, how: str) -> bytes:
    raw = text.encode("utf-8")
    lines = text.split("\n")
    if how == "top-level list":
        return ("- " + "\n- ".join(json.dumps(ln) for ln in lines[:5]) + "\n").encode()
    if how == "top-level scalar":
        return rng.choice([b"42\n", b"just words\n", b"null\n", b"2026-04-01\n", b"[]\n"])
    if how == "empty":
        return b""
    if how == "whitespace":
        return b"   \n\n  \n"
    if how == "comment only":
        return b"# nothing here\n"
    if how == "three documents":
        return raw + b"\n---\n" + raw + b"\n---\nx: 1\n"
    if how == "utf-8 BOM":
        return b"\xef\xbb\xbf" + raw
    if how == "utf-16 BOM":
        return text.encode("utf-16")
    if how == "invalid UTF-8":
        at = rng.randrange(len(raw))
        return raw[:at] + rng.choice([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xe9"]) + raw[at:]
    if how == "NUL byte":
        at = rng.randrange(len(raw))
        return raw[:at] + b"\x00" + raw[at:]
    if how == "control bytes":
        at = rng.randrange(len(raw))
        return raw[:at] + bytes([rng.choice([1, 7, 8, 11, 12, 27, 127])]) + raw[at:]
    if how == "very long line":
        return raw + b"\nzz_note: " + b"x" * rng.choice([70_000, 1_500_000]) + b"\n"
    if how == "duplicate key":
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
    elif how == "billion laughs":
        lines.append(BILLION_LAUGHS)
    elif how == "deep block nesting":
        lines += ["zz_deep:"] + [" " * (2 * n + 2) + "a:" for n in range(rng.choice([50, 400]))]
        lines[-1] += " 1"
    elif how == "truncated":
        return raw[: rng.randrange(len(raw))]
    elif how == "bytes flipped":
        data = bytearray(raw)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    elif how == "line deleted":
        del lines[rng.randrange(len(lines))]
    elif how == "CRLF":
        return raw.replace(b"\n", b"\r\n")
    elif how == "CR only":
        return raw.replace(b"\n", b"\r")
    elif how == "tab indent":
        return raw.replace(b"\n  ", b"\n\t", rng.randint(1, 3))
    elif how == "id removed":
        lines = [ln for ln in lines if not ln.startswith("id:")]
    elif how == "id of another record":
        lines = [("id: V-0001" if ln.startswith("id:") else ln) for ln in lines]
    elif how == "key of odd type":
        lines.append(rng.choice(["1: x", "2026-04-01: x", "null: x", "true: x", "? [a]\n: x",
                                 "'': x", "-1: x"]))
    elif how == "huge key":
        lines.append("k" * 100_000 + ": x")
    elif how == "many keys":
        lines += [f"k{n}: {n}" for n in range(20_000)]
    return "\n".join(lines).encode("utf-8", "surrogatepass")


def hostile_files(count: int, seed: int = 1) -> list[Hostile]:
    """``count`` hostile record files made from the sample casebook's records."""
    rng = random.Random(seed)
    bases = {folder: [p.read_text(encoding="utf-8")
                      for p in sorted((SAMPLE / folder).glob("*.yaml"))]
             for folder in ("victims", "children")}
    ids = {"victims": _ids("V", 0), "children": _ids("C", 0)}
    made = []
    for n in range(count):
        folder = "victims" if rng.random() < 0.7 else "children"
        record_id = next(ids[folder])
        text = _with_id(rng.choice(bases[folder]), record_id)
        if n % 2 == 0:
            kinds = []
            for _ in range(rng.choice([1, 1, 1, 2, 3])):
                text = _value(rng, text)
            kinds.append("value")
            content = text.encode("utf-8", "surrogatepass")
        else:
            how = rng.choice(STRUCTURES)
            kinds = [how]
            content = _structure(rng, text, how)
        made.append(Hostile("+".join(kinds), folder, record_id, content))
    return made


# --- running the commands -------------------------------------------------------------------

WIDE = [["list"], ["list", "all", "--json"], ["due", "--all"], ["due", "--all", "--json"],
        ["due", "--all", "--ics", "{out}/due.ics"], ["check"], ["check", "--json"],
        ["report", "quarterly", "--quarter", "2026-Q1"], ["report", "caseload"],
        ["report", "six-monthly", "--half", "2026-H1"], ["retention"], ["reindex"],
        ["--no-cache", "due", "--all"], ["--no-cache", "list"], ["--no-cache", "check"]]
"""Commands over the whole casebook (run once per batch)."""
ONE = [["show", "{id}"], ["show", "{id}", "--json"], ["explain", "{id}"], ["timeline", "{id}"],
       ["export", "{id}", "--out", "{out}/sar-{id}"]]
"""Commands on one hostile record (run for each file)."""
SUBPROCESS = [["check"], ["due", "--all"], ["list"]]
"""Run as real processes once per batch, with a timeout (a hang kills nothing else)."""
SERVED = "V-0001"
"""A good record every command over the casebook must still serve."""


class Hang(BaseException):
    """Raised by the alarm when an in-process command runs past its time."""


@dataclass
class Figures:
    files: int = 0
    kinds: collections.Counter[str] = field(default_factory=collections.Counter)
    runs: int = 0
    exits: collections.Counter[int] = field(default_factory=collections.Counter)
    crashes: list[str] = field(default_factory=list)
    """exit 70 or a traceback: what was run, on which file."""
    hangs: list[str] = field(default_factory=list)
    not_served: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_text(self) -> str:
        lines = [f"{self.files} hostile files, {self.runs} command runs "
                 f"({self.seconds:.0f} s)",
                 "exit codes: " + ", ".join(f"{c}: {n}" for c, n in sorted(self.exits.items())),
                 f"exit 70 or traceback: {len(self.crashes)}", f"hangs: {len(self.hangs)}",
                 f"a good record not served: {len(self.not_served)}",
                 "kinds: " + ", ".join(f"{k} {n}" for k, n in self.kinds.most_common())]
        lines += [f"  CRASH {c}" for c in self.crashes[:40]]
        lines += [f"  HANG {h}" for h in self.hangs[:40]]
        lines += [f"  NOT SERVED {s}" for s in self.not_served[:40]]
        return "\n".join(lines)


def _invoke(argv: list[str], seconds: int, debug: bool = False) -> tuple[int, str, bool]:
    """(exit code, output, traceback seen) of rj run in-process; Hang past ``seconds``."""
    import click
    from typer.testing import CliRunner

    from rjcli.cli import app
    from rjcli.render import terminal
    import typer.main

    global _COMMAND
    if _COMMAND is None:
        _COMMAND = typer.main.get_command(app)
    for console in (terminal.out, terminal.err):
        getattr(console, "cache_clear", lambda: None)()

    def alarm(_signum: int, _frame: object) -> None:
        raise Hang()

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        result = click.testing.CliRunner.invoke(
            CliRunner(), _COMMAND, argv, catch_exceptions=True,
            env={"COLUMNS": "200", "RJ_CASEBOOK": None, "RJ_TODAY": None,
                 "RJ_DEBUG": "1" if debug else None})
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    unexpected = result.exception is not None and not isinstance(result.exception, SystemExit)
    output = result.output
    if unexpected and result.exc_info is not None:  # --debug: where it was raised
        import traceback

        frame = traceback.extract_tb(result.exc_info[2])[-1]
        output += (f"\nrj stopped on an unexpected problem: {result.exception!r} at "
                   f"{frame.filename.split('rjcli/')[-1]}:{frame.lineno}")
    return result.exit_code, output, unexpected or "Traceback" in output


_COMMAND = None


def run(count: int, seed: int = 1, batch: int = 10, seconds: int = 60,
        processes: bool = True, log: bool = False, debug: bool = False) -> Figures:
    """Write ``count`` hostile files, ``batch`` at a time, and run every command on them."""
    figures = Figures()
    started = time.monotonic()
    files = hostile_files(count, seed)
    with tempfile.TemporaryDirectory(prefix="rj-fuzz-") as scratch:
        root = Path(scratch) / "casebook"
        out = Path(scratch) / "out"
        out.mkdir()
        shutil.copytree(SAMPLE, root)
        base = ["--casebook", str(root), "--today", TODAY, "--worker", "Sam Worker"]
        for at in range(0, len(files), batch):
            group = files[at:at + batch]
            for hostile in group:
                (root / hostile.folder / f"{hostile.record_id}.yaml").write_bytes(hostile.content)
                figures.kinds[hostile.kind] += 1
            figures.files += len(group)
            names = ",".join(h.record_id for h in group)
            jobs = [(args, names) for args in WIDE]
            jobs += [([a.replace("{id}", h.record_id) for a in args], h.record_id)
                     for h in group for args in ONE]
            for args, about in jobs:
                args = [a.replace("{out}", str(out)) for a in args]
                argv = base + args
                try:
                    code, output, traceback = _invoke(argv, seconds, debug)
                except Hang:
                    figures.hangs.append(f"rj {' '.join(args)} [{about}]")
                    continue
                figures.runs += 1
                figures.exits[code] += 1
                if code == 70 or traceback:
                    said = [ln for ln in output.splitlines() if "unexpected problem" in ln]
                    figures.crashes.append(f"rj {' '.join(args)} [{about}]: "
                                           f"{(said or [output[-200:]])[-1][:300]}")
                    if log:
                        print(figures.crashes[-1], file=sys.stderr)
                if args[-1] in ("list", "--json") and args[0] in ("list", "--no-cache") and \
                        SERVED not in output:
                    figures.not_served.append(f"rj {' '.join(args)} [{about}]")
            if processes:
                for args in SUBPROCESS:
                    figures.runs += 1
                    try:
                        done = subprocess.run(
                            [sys.executable, "-m", "rjcli", *base, *args], capture_output=True,
                            text=True, timeout=seconds, errors="replace",
                            env={**os.environ, "RJ_CASEBOOK": "", "RJ_TODAY": ""})
                    except subprocess.TimeoutExpired:
                        figures.hangs.append(f"rj {' '.join(args)} (process) [{names}]")
                        continue
                    figures.exits[done.returncode] += 1
                    if done.returncode == 70 or "Traceback" in done.stderr + done.stdout:
                        figures.crashes.append(f"rj {' '.join(args)} (process) [{names}]: "
                                               f"{done.stderr.strip()[-200:]}")
            for hostile in group:
                (root / hostile.folder / f"{hostile.record_id}.yaml").unlink()
            shutil.rmtree(out)
            out.mkdir()
            if log:
                print(f"{figures.files} files, {figures.runs} runs, "
                      f"{len(figures.crashes)} crashes", file=sys.stderr)
    figures.seconds = time.monotonic() - started
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--timeout", type=int, default=60, help="seconds a command may take")
    parser.add_argument("--no-processes", action="store_true",
                        help="in-process runs only (no hang check by real processes)")
    parser.add_argument("--debug", action="store_true",
                        help="RJ_DEBUG=1 in-process: show where each crash was raised")
    options = parser.parse_args()
    figures = run(options.files, options.seed, options.batch, options.timeout,
                  processes=not options.no_processes, log=True,
                  debug=options.debug)
    print(figures.as_text())
    return 1 if figures.crashes or figures.hangs or figures.not_served else 0


if __name__ == "__main__":
    sys.exit(main())
