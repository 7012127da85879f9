"""Every example shown in every ``--help`` runs on the sample casebook (issue 16).

A new practitioner learns rj from ``--help``: each example is taken from the help text as
rj prints it, run on a fresh copy of ``sample-casebook/`` on the sample's own Monday
(15 June 2026) as one of its staff, and must succeed. The only things put in are what a
reader would put in themselves: the copy's path for ``sample-casebook``, a scratch folder
for a made-up one (``~/casebook``, ``/tmp/rj-demo``), real files for the file names an
example names (a PDF, the sample's referrals CSV, a feedback file, a shared casebook to
join), and an editor that does not wait for typing for ``EDITOR=nano``.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import click
import pytest
import typer.main

from tests.conftest import invoke, plain

SAMPLE = Path(__file__).resolve().parent.parent / "sample-casebook"
SAMPLE_DAY = "2026-06-15"
"""The day the sample's story is written to be read on (sample-casebook/rj.yaml)."""
AT_THE_KEYBOARD = "Jo Whitlock"
"""A sample rj-worker, as RJ_WORKER would name her on her own laptop."""
INTENDED_REFUSALS = {
    "conference record": (6, "refused until this is recorded (safety gate conference-record)"),
}
"""Examples whose help says the sample refuses them, with the exit code and the words."""


def _commands() -> list[tuple[str, click.Command]]:
    from rjcli.cli import app

    found: list[tuple[str, click.Command]] = []

    def walk(command: click.Command, path: str) -> None:
        found.append((path, command))
        if isinstance(command, click.Group):
            for name in command.list_commands(click.Context(command)):
                sub = command.get_command(click.Context(command), name)
                if sub is not None:
                    walk(sub, f"{path} {name}".strip())

    walk(typer.main.get_command(app), "")
    return found


def _examples() -> list[tuple[str, str]]:
    """(command, example) for every "Example: ..." in every help text, as printed."""
    examples = []
    for path, command in _commands():
        text = command.help or ""
        for found in re.finditer(r"Example:\s*(.*?)(?=\s*Example:|\n\s*\n|\Z)", text, re.S):
            example = " ".join(found.group(1).split()).split(" (on the sample casebook")[0]
            examples.append((path or "rj", example))
    return examples


EXAMPLES = _examples()


def test_the_examples_are_found() -> None:
    # a help text whose example the pattern cannot see would pass unseen
    names = {name for name, _ in EXAMPLES}
    assert len(EXAMPLES) > 70
    assert {"rj", "due", "contact log", "consent", "offer", "risk approve"} <= names
    commands_without = [path for path, command in _commands()
                        if not isinstance(command, click.Group) and path
                        and path not in names and not command.hidden]
    assert commands_without == []


def _shared_copy(book: Path, where: Path) -> Path:
    """A bare git repository holding the sample casebook, as a team's shared drive would."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(book)], check=True)
    subprocess.run(["git", "-C", str(book), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(book), "-c", "user.name=Dev Marsh", "-c",
                    "user.email=dev.marsh@example.org", "commit", "-q", "-m", "sample"],
                   check=True)
    shared = where / "victims-team.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(book), str(shared)], check=True)
    return shared


def _files_named(args: list[str], book: Path, scratch: Path) -> dict[str, str]:
    """What each made-up path in an example stands for, made real."""
    swap = {"sample-casebook": str(book), "~/casebook": str(scratch / "casebook"),
            "/tmp/rj-demo": str(scratch / "rj-demo"),
            "~/sar/V-0001": str(scratch / "sar" / "V-0001")}
    if "signed-consent.pdf" in args:
        pdf = scratch / "signed-consent.pdf"
        pdf.write_bytes(b"%PDF-1.4\n% a signed consent form, invented\n%%EOF\n")
        swap["signed-consent.pdf"] = str(pdf)
    if "referrals.csv" in args:
        swap["referrals.csv"] = str(book / "imports" / "referrals.csv")
    if "feedback.yaml" in args:
        answers = scratch / "feedback.yaml"
        # the shape rj feedback --help shows
        answers.write_text("answers:\n  satisfaction: satisfied\n  went: Very well\n",
                           encoding="utf-8")
        swap["feedback.yaml"] = str(answers)
    if "base.yaml" in args:
        record = (book / "victims" / "V-0012.yaml").read_text(encoding="utf-8")
        for name in ("base.yaml", "ours.yaml", "theirs.yaml"):
            (scratch / name).write_text(record, encoding="utf-8")
            swap[name] = str(scratch / name)
    if "/shared/drive/victims-team.git" in args:
        swap["/shared/drive/victims-team.git"] = str(_shared_copy(book, scratch))
    return swap


def _risk_answers(book: Path, args: list[str]) -> str:
    """What a worker answers at the terminal to ``rj risk run``: no risk found anywhere
    (given on stdin, the form ``rj risk run --help`` shows)."""
    from rjcli.storage import yamlio

    name = args[args.index("--checklist") + 1]
    checklist = yamlio.read_fast(SAMPLE.parent / "policy" / "checklists" / f"{name}.yaml")
    answers = {}
    for section in checklist["sections"]:
        for question in section["questions"]:
            if question.get("type", "yes-no") == "yes-no":
                answers[question["id"]] = "no" if question.get("risk_if") == "yes" else "yes"
            else:
                answers[question["id"]] = "none found"
    lines = ["answers:"] + [f"  {key}: \"{value}\"" for key, value in answers.items()]
    if checklist.get("rating"):
        lines += ["rating: LOW", "rating_reasons: \"No risk found in any answer\""]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("command", "example"), EXAMPLES,
                         ids=[f"{name}:{n}" for n, (name, _) in enumerate(EXAMPLES)])
def test_every_help_example_runs_on_the_sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               command: str, example: str) -> None:
    book = tmp_path / "sample-casebook"
    shutil.copytree(SAMPLE, book, ignore=shutil.ignore_patterns(".rj", "output", "letters"))
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.chdir(scratch)
    for line in example.split(" && "):
        words = shlex.split(line)
        env: dict[str, str | None] = {"RJ_CASEBOOK": str(book), "RJ_TODAY": SAMPLE_DAY,
                                      "RJ_WORKER": AT_THE_KEYBOARD,
                                      "RJ_CLOCK": f"{SAMPLE_DAY}T17:00"}
        while words and re.fullmatch(r"[A-Z_]+=.*", words[0]):
            name, value = words.pop(0).split("=", 1)
            # the test cannot type into nano: an editor that saves nothing
            env[name] = "true" if name in ("EDITOR", "VISUAL") else value
        assert words[0] == "rj", example
        swap = _files_named(words, book, scratch)
        args = [swap.get(word, word) for word in words[1:]]
        if "--today" in args:  # run on that day: the machine's clock says so too
            env["RJ_CLOCK"] = f"{args[args.index('--today') + 1]}T17:00"
        typed = _risk_answers(book, args) if args[:2] == ["risk", "run"] else None
        result = invoke(*args, today=None, worker=None, env=env, input=typed)
        if command in INTENDED_REFUSALS:
            code, words = INTENDED_REFUSALS[command]
            assert (result.exit_code, words in plain(result.output)) == (code, True), \
                plain(result.output)
        else:
            assert result.exit_code == 0, f"{example}\n{plain(result.output)}"


def _values_shown(help_text: str) -> set[str]:
    """The words of a help page, as a reader sees them (a value cut at a hyphen by line
    wrapping, "not-" then "appropriate", is not shown whole)."""
    return set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", help_text))


@pytest.mark.parametrize(("command", "lists"), [
    ("consent", ("VICTIM_CONSENT_KINDS", "CHILD_CONSENT_KINDS", "CONSENT_ANSWERS")),
    ("offer", ("RESTORATIVE_OPTIONS", "OPTION_STATUSES")),
])
def test_help_lists_every_allowed_value(command: str, lists: tuple[str, ...]) -> None:
    from rjcli.core import vocab

    result = invoke(command, "--help", today=None, worker=None)
    assert result.exit_code == 0
    shown = _values_shown(result.output)
    for name in lists:
        missing = [value for value in getattr(vocab, name) if value not in shown]
        assert missing == [], f"{command} --help does not show {name}: {missing}"
