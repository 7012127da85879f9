"""rj risk run at a real terminal: driven through a pseudo-terminal with pexpect.

A worker runs the conference checklist for a victim, presses Ctrl-C part-way, runs
the command again to resume, goes back to change an answer, and finishes; the saved
assessment is the same as one made from an answers file, and its risk holds
conference preparation until a manager approves.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pexpect
import pytest
import yaml
from conftest import TODAY, CasebookUnderTest, json_of

from rjcli.core.checklist import checklist_from_dict

ROOT = Path(__file__).resolve().parent.parent
RJ = Path(sys.executable).with_name("rj")
CONFERENCE = checklist_from_dict(
    yaml.safe_load((ROOT / "policy" / "checklists" / "conference.yaml").read_text()))
TOTAL = len(CONFERENCE.questions)
QUESTION_PROMPT = "(y = yes, n = no, k = not known, b = back): "
TEXT_PROMPT = "Answer (b = back): "

pytestmark = pytest.mark.skipif(not RJ.exists(), reason="the rj script is not installed")


@pytest.fixture()
def book(casebook: CasebookUnderTest,
         victim_factory: Callable[..., str]) -> dict[str, Any]:
    """The shared casebook with a manager, and a second victim of the same child."""
    assert casebook.run("staff", "add", "Mo Manager", "--role", "manager").exit_code == 0
    return {"cb": casebook, "path": casebook.root, "victim": casebook.victim,
            "other": victim_factory("Bo Example")}


def spawn(book: dict[str, Any], *args: str) -> pexpect.spawn:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RJ_")}
    env |= {"TERM": "dumb", "NO_COLOR": "1", "COLUMNS": "200", "LINES": "50"}
    child = pexpect.spawn(
        str(RJ), ["--casebook", str(book["path"]), "--today", TODAY, "--worker", "Sam Worker",
                  "risk", "run", *args], env=env, encoding="utf-8", timeout=60,
        dimensions=(50, 200))
    child.delaybeforesend = 0.01
    return child


def reading(child: pexpect.spawn) -> pexpect.spawn:
    """Wait until rj is blocked reading the terminal, and return ``child``.

    A prompt on the screen is printed a moment before the read starts; a Ctrl-C or an
    end of input sent in that moment lands elsewhere than a person's would (that made
    this test flaky). On Linux /proc/PID/syscall names the system call a process is
    blocked in: ``0 0x0 ...`` is read(2) on standard input (x86-64; on other machines
    the check is skipped after the prompt was seen, as before).
    """
    syscall = Path(f"/proc/{child.pid}/syscall")
    deadline = time.monotonic() + child.timeout
    while time.monotonic() < deadline:
        try:
            fields = syscall.read_text().split()
        except OSError:
            return child  # no /proc: nothing more to wait for
        if os.uname().machine != "x86_64" or fields[:2] == ["0", "0x0"]:
            return child
        time.sleep(0.01)
    raise AssertionError("rj never waited for input at the prompt")


def expect_after_key(child: pexpect.spawn, text: str) -> None:
    """``child.expect_exact(text)``; when it times out, the failure says what state rj
    was in (blocked where, which signals pending/blocked/caught, who holds the terminal)
    so that a rare failure under load can be told apart from a lost key press."""
    try:
        child.expect_exact(text)
    except pexpect.TIMEOUT:
        raise AssertionError(f"{text!r} never came; {terminal_state(child)}") from None


def terminal_state(child: pexpect.spawn) -> str:
    """What /proc and the terminal say about ``child`` (best effort, Linux)."""
    import termios

    facts = []
    proc = Path(f"/proc/{child.pid}")
    for name in ("syscall", "wchan"):
        try:
            facts.append(f"{name}={(proc / name).read_text().strip()!r}")
        except OSError as error:
            facts.append(f"{name}: {error}")
    try:
        status = (proc / "status").read_text().splitlines()
        facts += [line for line in status if line.startswith(("State", "Sig", "Shd"))]
    except OSError as error:
        facts.append(f"status: {error}")
    try:
        facts.append(f"pgid={os.getpgid(child.pid)} "
                     f"terminal foreground={os.tcgetpgrp(child.child_fd)}")
        lflag = termios.tcgetattr(child.child_fd)[3]
        facts.append(f"ISIG={'on' if lflag & termios.ISIG else 'off'} "
                     f"ICANON={'on' if lflag & termios.ICANON else 'off'}")
    except OSError as error:
        facts.append(f"terminal: {error}")
    return "; ".join(facts) + f"; output so far: {child.before!r}"


def safe_key(index: int) -> str:
    """What a worker types for a no-risk answer to question ``index``."""
    q = CONFERENCE.questions[index]
    if q.type == "text":
        return "None found"
    return "n" if q.risk_if == "yes" else "y"


def answer(child: pexpect.spawn, index: int, typed: str | None = None) -> None:
    """Wait for question ``index`` (0-based) and answer it."""
    q = CONFERENCE.questions[index]
    child.expect_exact(f"{index + 1} of {TOTAL}  {q.text}")
    child.expect_exact(TEXT_PROMPT if q.type == "text" else QUESTION_PROMPT)
    child.sendline(safe_key(index) if typed is None else typed)


def saved(book: dict[str, Any], key: str = "victim") -> dict[str, Any]:
    """The one assessment on the victim's record, as saved."""
    [entry] = book["cb"].data(book[key])["assessments"]
    return dict(entry)


def test_run_interrupt_resume_go_back_and_finish(book: dict[str, Any]) -> None:
    victim = book["victim"]
    child = spawn(book, victim, "--checklist", "conference")
    child.expect_exact(f"Conference risk assessment on {victim} - participant: victim")
    answer(child, 0, "y")  # targeting: a risk, so a note is required
    child.expect_exact("That is a risk. How will it be managed?")
    child.sendline("")
    child.expect_exact("say how this risk will be managed")
    child.sendline("x")  # a note needs a few words (issue 16)
    child.expect_exact("say in at least 3 words how this risk will be managed ('x' is too "
                       "short to act on)")
    child.sendline("Separate arrival times")
    child.expect_exact("saved (1 of 29 answered)")
    for index in range(1, 10):
        answer(child, index)
    child.expect_exact(f"11 of {TOTAL}")
    child.expect_exact(QUESTION_PROMPT)
    reading(child).sendintr()  # Ctrl-C in the middle of the checklist
    expect_after_key(child, "Stopped. 10 of 29 answers are saved.")
    child.expect_exact(f"Resume with: rj risk run {victim} --checklist conference")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130

    partial = saved(book)
    assert len(partial["answers"]) == 10 and "completed" not in partial
    assert partial["blocked"] is True
    assert "The checklist is not finished: 19 questions are not answered." in partial["reasons"]

    child = spawn(book, victim, "--checklist", "conference")
    child.expect_exact("Resuming the unfinished assessment started 2 April 2026 by Sam Worker: "
                       "10 of 29 answered.")
    answer(child, 10, "n")  # child supported? no: a risk ...
    child.expect_exact("How will it be managed?")
    child.sendline("b")  # ... typed by mistake: answer again
    child.expect_exact(QUESTION_PROMPT)
    child.sendline("y")
    answer(child, 11, "back")  # back to question 11, which shows its answer
    child.expect_exact(f"11 of {TOTAL}")
    child.expect_exact("Answered before: yes; Enter keeps it.")
    child.sendline("")
    for index in range(11, TOTAL):
        answer(child, index)
    child.expect_exact("1 risk answer; the tool suggests MEDIUM.")
    child.expect_exact("Overall rating (low / medium / high, b = back): ")
    child.sendline("medium")
    child.expect_exact("Reasons for the rating (b = choose the rating again): ")
    child.sendline("Targeting in the past; managed by separate arrival times")
    child.expect_exact(f"Finished: Conference risk assessment (victim) on {victim}")
    child.expect_exact("Risks found (1):")
    child.expect_exact("Overall rating: MEDIUM (the tool suggested MEDIUM)")
    child.expect_exact(f"rj risk approve {victim} --manager NAME --note TEXT")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    done = saved(book)
    assert len(done["answers"]) == TOTAL and str(done["completed"]) == TODAY
    supported = next(a for a in done["answers"] if a["question"] == "child-supported")
    assert (supported["answer"], supported["risk"]) == ("yes", False)

    # the same answers from a file give the same record, apart from the entry's id
    answers: dict[str, Any] = {}
    for index, q in enumerate(CONFERENCE.questions):
        key = safe_key(index)
        answers[q.id] = {"y": "yes", "n": "no"}.get(key, key)
    answers["targeting"] = {"answer": "yes", "note": "Separate arrival times"}
    text = yaml.safe_dump({"answers": answers, "rating": "MEDIUM", "rating_reasons":
                           "Targeting in the past; managed by separate arrival times"})
    assert book["cb"].run("risk", "run", book["other"], "--checklist", "conference",
               input=text).exit_code == 0
    from_file = saved(book, "other")
    assert {k: v for k, v in from_file.items() if k != "id"} == {
        k: v for k, v in done.items() if k != "id"}

    # the risk holds conference preparation until a manager approves
    held = json_of(book["cb"].run("risk", "show", victim, "--json"))
    assert held["conference_blocked"] == [
        "Conference risk assessment (victim) of 2 April 2026: 1 risk answer and an overall "
        "rating of MEDIUM need a manager's approval."]
    approved = book["cb"].run("risk", "approve", victim, "--manager", "Mo Manager",
                   "--note", "Separate arrival times agreed with the police")
    assert approved.exit_code == 0, approved.output
    assert json_of(book["cb"].run("risk", "show", victim, "--json"))[
        "conference_blocked"] == []

    # running it again starts a new assessment, and says so
    child = spawn(book, victim, "--checklist", "conference")
    child.expect_exact("This new run replaces the one completed 2 April 2026")
    child.expect_exact(f"1 of {TOTAL}")
    child.expect_exact(QUESTION_PROMPT)
    reading(child).sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


def test_no_going_back_from_the_first_question_and_end_of_input_stops(
        book: dict[str, Any]) -> None:
    child = spawn(book, book["victim"], "--checklist", "home-visit")
    child.expect_exact("Home visit safety check on " + book["victim"])
    child.expect_exact(QUESTION_PROMPT)
    child.sendline("b")
    child.expect_exact("This is the first question.")
    child.expect_exact("1 of 6")
    child.sendline("maybe")
    child.expect_exact("answer must be yes, no or unknown")
    reading(child).sendeof()  # the connection drops: what was saved stays, nothing else
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert "assessments" not in book["cb"].data(book["victim"])  # nothing answered, nothing saved
