"""Shared fixtures: a temporary casebook built through the CLI, and a CLI runner.

``run(*args, casebook=...)`` invokes ``rj`` in-process (``typer.testing.CliRunner``, with
the click command built from the Typer app once per session) with the global options ``--casebook``, ``--today`` and ``--worker``, and fails
the test if the command printed a Python traceback or stopped on an unexpected
exception. ``casebook`` is a fresh casebook (``rj init``, autocommit off) with one
staff member, one child and one victim linked to that child, all made by ``rj``.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import click.testing
import pytest
import typer.main
from click.testing import Result
from typer.testing import CliRunner

from rjcli.storage import yamlio

# The suite gives the same answer every run (a flaky test can stop good work landing):
# property tests draw the same examples each time, with no example database carrying a
# past run's failures into the next. HYPOTHESIS_PROFILE=explore draws new random examples,
# more of them, to hunt for bugs (a failure it finds becomes an @example or a fix).
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("suite", derandomize=True, database=None)
_hypothesis_settings.register_profile("explore", derandomize=False, max_examples=1000)
_hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

TODAY = "2026-04-02"
"""The day every test works on (a Thursday)."""
WORKER = "Sam Worker"
"""The staff member at the keyboard."""
CASE_HOLDER = "Pat Holder"
"""The fixture child's case holder (on the staff list: names are checked against it)."""
UNEXPECTED_EXIT = 70
"""Exit code of "rj stopped on an unexpected problem" (an uncaught exception)."""

VICTIM = {
    "name": "Ann Example",
    "phone": "07700 900001",
    "email": "ann.example@example.org",
    "postcode": "EX1 1AA",
    "dob": "1980-05-06",
}
"""The fixture victim's identifiers (fictional: Ofcom drama number, example.org)."""
CHILD = {"name": "Jo Child", "dob": "2010-02-03"}
"""The fixture child's details."""

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _real_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def as_at_a_terminal() -> None:
    """For pexpect's ``preexec_fn``: Ctrl-C and Ctrl-\\ reach rj as they do when a person
    starts it at a terminal. A test run started in the background (``cmd &`` in a script,
    nohup, some CI runners) inherits SIGINT ignored, and rj would then never see the Ctrl-C
    a test sends (seen: a risk run test waiting 60 s for "Stopped.")."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)


def plain(text: str) -> str:
    """Output with colour codes removed and all runs of whitespace made one space."""
    return " ".join(_ANSI.sub("", text).split())


@functools.cache
def _command() -> click.Command:
    """The click command of ``rj``, built once: ``typer.testing.CliRunner.invoke`` rebuilds
    it from the Typer app on every call, which costs more than most commands take."""
    from rjcli.cli import app

    return typer.main.get_command(app)


def invoke(
    *args: str,
    casebook: Path | str | None = None,
    today: str | None = TODAY,
    worker: str | None = WORKER,
    env: Mapping[str, str | None] | None = None,
    input: str | None = None,
    allow_unexpected: bool = False,
) -> Result:
    """Run ``rj`` in-process; assert it printed no traceback and raised nothing unhandled."""
    from rjcli.render import terminal

    argv: list[str] = []
    if casebook is not None:
        argv += ["--casebook", str(casebook)]
    if today is not None:
        argv += ["--today", today]
    if worker is not None:
        argv += ["--worker", worker]
    argv += [str(a) for a in args]
    # the machine's clock (recorded_at) is pinned to the last minute of the working day, so
    # that what is logged "today" was written down the same day; tests of the two clocks
    # give RJ_CLOCK themselves
    clock = f"{today}T23:59" if today and _real_day(today) else None
    full_env = {"COLUMNS": "2000", "RJ_CASEBOOK": None, "RJ_TODAY": None, "RJ_WORKER": None,
                "RJ_DEBUG": None, "EDITOR": None, "VISUAL": None, "RJ_CLOCK": clock}
    full_env.update(env or {})
    # the consoles are cached per process: rebuild them so they write to this run's
    # streams at a width that never wraps a message in the middle of an assertion
    consoles = [getattr(f, "cache_clear", lambda: None) for f in (terminal.out, terminal.err)]
    for clear in consoles:
        clear()
    try:
        result = click.testing.CliRunner.invoke(
            CliRunner(), _command(), argv, env=full_env, input=input, catch_exceptions=True)
    finally:
        for clear in consoles:
            clear()
    everything = result.output  # stdout and stderr, interleaved as a user sees them
    assert "Traceback" not in everything, everything
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"rj {' '.join(argv)} raised {result.exception!r}") \
            from result.exception
    if not allow_unexpected:
        assert result.exit_code != UNEXPECTED_EXIT, everything
        assert "rj stopped on an unexpected problem" not in everything, everything
    return result


@pytest.fixture
def run() -> Callable[..., Result]:
    """``run(*args, casebook=PATH, today=..., worker=..., env=..., input=...)``."""
    return invoke


def json_of(result: Result) -> Any:
    """The JSON a ``--json`` command printed on stdout."""
    return json.loads(result.stdout)


@dataclass
class CasebookUnderTest:
    """A temporary casebook and the ids of the records the fixture made in it."""

    root: Path
    child: str
    """The fixture child's id."""
    victim: str
    """The fixture victim's id (linked to ``child``)."""

    def run(self, *args: str, **options: Any) -> Result:
        """``rj --casebook ROOT --today TODAY --worker WORKER *args``."""
        return invoke(*args, casebook=self.root, **options)

    def path(self, record_id: str) -> Path:
        folder = "victims" if record_id.startswith("V-") else "children"
        return self.root / folder / f"{record_id}.yaml"

    def text(self, record_id: str) -> str:
        return self.path(record_id).read_text(encoding="utf-8")

    def data(self, record_id: str) -> dict[str, Any]:
        """The record as the fast reader parses it."""
        parsed = yamlio.parse_text(self.text(record_id))
        assert isinstance(parsed, dict)
        return parsed

    def write(self, record_id: str, text: str) -> Path:
        """Write a record file by hand (as a worker with an editor would)."""
        path = self.path(record_id)
        path.write_text(text, encoding="utf-8")
        return path


def make_casebook(root: Path, autocommit: bool = False) -> CasebookUnderTest:
    """``rj init`` + ``rj staff add`` + one child + one victim, all through the CLI."""
    flag = "--autocommit" if autocommit else "--no-autocommit"
    result = invoke("init", str(root), "--service", "Exampletown Youth Justice Service", flag,
                    today=TODAY, worker=None)
    assert result.exit_code == 0, result.output
    result = invoke("staff", "add", WORKER, "--role", "rj-worker", "--phone", "01632 960101",
                    casebook=root)
    assert result.exit_code == 0, result.output
    result = invoke("staff", "add", CASE_HOLDER, "--role", "case-holder", casebook=root)
    assert result.exit_code == 0, result.output
    result = invoke("child", "new", "--name", CHILD["name"], "--dob", CHILD["dob"],
                    "--disposal", "referral-order", "--sentenced", "2026-03-20",
                    "--case-holder", CASE_HOLDER, "--json", casebook=root)
    assert result.exit_code == 0, result.output
    child_id = json_of(result)["id"]
    result = invoke("victim", "new", "--name", VICTIM["name"], "--child", child_id,
                    "--allocated", "2026-03-30", "--consent-contact", "yes",
                    "--phone", VICTIM["phone"], "--email", VICTIM["email"],
                    "--postcode", VICTIM["postcode"], "--dob", VICTIM["dob"],
                    "--offence", "criminal damage", "--json", casebook=root)
    assert result.exit_code == 0, result.output
    return CasebookUnderTest(root=root, child=child_id, victim=json_of(result)["id"])


@pytest.fixture(scope="session")
def _casebook_template(tmp_path_factory: pytest.TempPathFactory
                       ) -> Callable[[bool], CasebookUnderTest]:
    """Casebooks made through the CLI once per session (each kind when first asked for);
    every test gets its own copy."""
    made: dict[bool, CasebookUnderTest] = {}

    def template(autocommit: bool) -> CasebookUnderTest:
        if autocommit not in made:
            root = tmp_path_factory.mktemp("template") / "casebook"
            made[autocommit] = make_casebook(root, autocommit=autocommit)
        return made[autocommit]

    return template


def copy_casebook(template: CasebookUnderTest, root: Path) -> CasebookUnderTest:
    """A copy of a template casebook (its git history included) at ``root``."""
    shutil.copytree(template.root, root, symlinks=True)
    return CasebookUnderTest(root=root, child=template.child, victim=template.victim)


@pytest.fixture
def casebook(tmp_path: Path, _casebook_template: Callable[[bool], CasebookUnderTest]
             ) -> CasebookUnderTest:
    """A fresh casebook (autocommit off) with a staff member, a child and a victim."""
    return copy_casebook(_casebook_template(False), tmp_path / "casebook")


@pytest.fixture
def committed_casebook(tmp_path: Path, _casebook_template: Callable[[bool], CasebookUnderTest]
                       ) -> CasebookUnderTest:
    """The same with ``git: {autocommit: true}``: every change is committed."""
    book = copy_casebook(_casebook_template(True), tmp_path / "casebook")
    if not (book.root / ".git").is_dir():
        pytest.skip("git is not installed")
    return book


@pytest.fixture
def child_factory(casebook: CasebookUnderTest) -> Callable[..., str]:
    """``child_factory(name="...", **options)`` -> id of a child made with ``rj child new``."""

    def make(name: str = "Kit Child", **options: str) -> str:
        args = ["child", "new", "--name", name]
        for key, value in options.items():
            args += [f"--{key.replace('_', '-')}", value]
        result = casebook.run(*args, "--json")
        assert result.exit_code == 0, result.output
        return str(json_of(result)["id"])

    return make


@pytest.fixture
def victim_factory(casebook: CasebookUnderTest) -> Callable[..., str]:
    """``victim_factory(name="...", child=ID or [IDs], **options)`` -> new victim's id.

    Defaults: linked to the fixture child, consent to contact yes. Options are
    ``rj victim new`` options with ``_`` for ``-`` (``parent_phone="..."``); a list
    value repeats the option.
    """

    def make(name: str = "Lee Example", child: str | Sequence[str] | None = None,
             **options: str | Sequence[str]) -> str:
        children = [child] if isinstance(child, str) else list(child or [casebook.child])
        args = ["victim", "new", "--name", name]
        for child_id in children:
            args += ["--child", child_id]
        options.setdefault("consent_contact", "yes")
        for key, value in options.items():
            for item in [value] if isinstance(value, str) else value:
                args += [f"--{key.replace('_', '-')}", item]
        result = casebook.run(*args, "--json")
        assert result.exit_code == 0, result.output
        return str(json_of(result)["id"])

    return make


def generated_casebook(tmp_path_factory: pytest.TempPathFactory, seed: int,
                       victims: int = 120, children: int = 60) -> Path:
    """A fictional casebook made by bench/generate.py (for a module's tests to copy)."""
    root = tmp_path_factory.mktemp("generated") / "casebook"
    load_bench_generate().generate(root, victims=victims, children=children, seed=seed)
    return root


def load_bench_generate() -> Any:
    """bench/generate.py as a module (the benchmark's casebook generator)."""
    import importlib.util
    import sys

    path = Path(__file__).resolve().parent.parent / "bench" / "generate.py"
    spec = importlib.util.spec_from_file_location("bench_generate", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module

