"""rj feedback at a real terminal (pexpect): Ctrl-C part-way keeps the answers given, and
the same command resumes at the next question (issue 16), as rj risk run does."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pytest
import yaml
from conftest import CasebookUnderTest, TODAY, as_at_a_terminal
from test_risk_pty import reading

from rjcli.core.feedback import questionnaire_from_dict

ROOT = Path(__file__).resolve().parent.parent
RJ = Path(sys.executable).with_name("rj")
CONTACT = questionnaire_from_dict(
    yaml.safe_load((ROOT / "policy" / "questionnaires" / "contact.yaml").read_text()))
TOTAL = len(CONTACT.questions)

pytestmark = pytest.mark.skipif(not RJ.exists(), reason="the rj script is not installed")


def spawn(casebook: CasebookUnderTest, *args: str) -> pexpect.spawn:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RJ_")}
    env |= {"TERM": "dumb", "NO_COLOR": "1", "COLUMNS": "200", "LINES": "50"}
    child = pexpect.spawn(
        str(RJ), ["--casebook", str(casebook.root), "--today", TODAY, "--worker", "Sam Worker",
                  "feedback", *args], env=env, encoding="utf-8", timeout=60,
        dimensions=(50, 200),
        preexec_fn=as_at_a_terminal)
    child.delaybeforesend = 0.01
    return child


def answer(child: pexpect.spawn, index: int, typed: str, comment: str | None = None) -> None:
    """Wait for question ``index`` (0-based), answer it, and the comment after a yes-no."""
    question = CONTACT.questions[index]
    child.expect_exact(f"{index + 1} of {TOTAL}  {question.text}")
    child.expect_exact("): ")
    reading(child).sendline(typed)
    if question.type == "yes-no":
        child.expect_exact("comment (Enter skips): ")
        reading(child).sendline(comment or "")


def test_ctrl_c_keeps_the_answers_and_the_same_command_resumes(
        casebook: CasebookUnderTest) -> None:
    victim = casebook.victim
    before = casebook.path(victim).read_bytes()
    child = spawn(casebook, victim, "--kind", "contact")
    answer(child, 0, "2")  # satisfied
    answer(child, 1, "y", "Very clear about the choices")
    child.expect_exact(f"3 of {TOTAL}  {CONTACT.questions[2].text}")
    child.expect_exact("): ")
    reading(child).sendintr()
    child.expect_exact(f"Stopped: the 2 answers given are kept (2 of {TOTAL} questions).")
    child.expect_exact(f"Resume with: rj feedback {victim} --kind contact")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert casebook.path(victim).read_bytes() == before  # nothing half-saved on the record

    child = spawn(casebook, victim, "--kind", "contact")
    child.expect_exact(f"Resuming: 2 of {TOTAL} questions answered before")
    for index in range(2, TOTAL):  # starts at question 3: the first two are not asked again
        question = CONTACT.questions[index]
        answer(child, index, "y" if question.type == "yes-no" else "")
    child.expect_exact(f"{victim}: contact feedback recorded")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    [entry] = casebook.data(victim)["feedback"]
    assert entry["satisfaction"] == "satisfied"
    assert entry["answers"]["explained"] == "yes"
    assert entry["notes"] == {"explained": "Very clear about the choices"}
    assert entry["answers"]["listened"] == "yes"
    assert not list((casebook.root / ".rj").rglob(f"{victim}-contact*"))  # the draft is gone
