"""What you type is what rj records (issue 16, the rest): a letter is logged as sent once,
closed cases refuse new entries, ``rj service``, a clean first rj.yaml, prompts."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result

from rjcli.storage import yamlio
from tests.conftest import CasebookUnderTest, invoke, plain

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample-casebook"
SAMPLE_RUN = {"today": "2026-06-15", "worker": "Jo Whitlock",
              "env": {"RJ_CLOCK": "2026-06-15T11:05"}}


def sample(tmp_path: Path) -> Path:
    book = tmp_path / "sample"
    shutil.copytree(SAMPLE, book, ignore=shutil.ignore_patterns(".rj", "output", "letters"))
    return book


def rj(book: Path, *args: str, **options: Any) -> Result:
    return invoke(*args, casebook=book, **{**SAMPLE_RUN, **options})


def contacts(book: Path, record_id: str) -> list[dict[str, Any]]:
    folder = "victims" if record_id.startswith("V-") else "children"
    data = yamlio.parse_text((book / folder / f"{record_id}.yaml").read_text(encoding="utf-8"))
    return list(data.get("contacts") or [])


def letters_logged(book: Path, record_id: str, kind: str) -> list[dict[str, Any]]:
    return [c for c in contacts(book, record_id) if c.get("letter") == kind]


# --- a letter is logged as sent once ---------------------------------------------------------

def test_the_same_letter_in_word_is_written_but_not_logged_again(tmp_path: Path) -> None:
    book = sample(tmp_path)
    assert rj(book, "letter", "initial", "V-0001").exit_code == 0
    report = rj(book, "report", "quarterly", "--quarter", "2026-Q1", "--format", "json")
    again = rj(book, "letter", "initial", "V-0001", "--format", "docx")
    assert again.exit_code == 0, again.output
    out = plain(again.output)
    assert ("The initial letter was sent on Monday 15 June 2026 by Jo Whitlock; "
            "not logged again") in out
    assert "--resend --reason" in out
    assert (book / "output" / "letters" / "V-0001-initial-2026-06-15.docx").is_file()
    assert len(letters_logged(book, "V-0001", "initial")) == 1
    after = rj(book, "report", "quarterly", "--quarter", "2026-Q1", "--format", "json")
    assert after.stdout == report.stdout


def test_a_letter_sent_on_an_earlier_day_is_not_logged_again(tmp_path: Path) -> None:
    book = sample(tmp_path)
    assert rj(book, "letter", "final", "V-0001", today="2026-06-05",
              env={"RJ_CLOCK": "2026-06-05T10:00"}).exit_code == 0
    again = rj(book, "letter", "final", "V-0001", "--json")
    assert again.exit_code == 0, again.output
    assert '"recorded": false' in again.stdout
    assert "sent on Friday 5 June 2026 by Jo Whitlock" in again.stdout
    assert len(letters_logged(book, "V-0001", "final")) == 1


def test_a_resend_is_logged_with_its_reason(tmp_path: Path) -> None:
    book = sample(tmp_path)
    assert rj(book, "letter", "initial", "V-0001").exit_code == 0
    result = rj(book, "letter", "initial", "V-0001", "--resend", "--reason",
                "returned: wrong house number")
    assert result.exit_code == 0, result.output
    assert "Logged on V-0001: initial letter sent again" in plain(result.output)
    first, second = letters_logged(book, "V-0001", "initial")
    assert "resend" not in first
    assert second["resend"] == "returned: wrong house number"
    timeline = plain(rj(book, "timeline", "V-0001").output)
    assert "initial letter sent again (returned: wrong house number)" in timeline
    check = rj(book, "check")
    assert check.exit_code == 0, check.output


def test_resend_needs_a_reason_and_an_earlier_letter(tmp_path: Path) -> None:
    book = sample(tmp_path)
    nothing = rj(book, "letter", "initial", "V-0001", "--resend", "--reason", "lost")
    assert nothing.exit_code == 2
    assert "no initial letter was sent for V-0001" in plain(nothing.output)
    assert rj(book, "letter", "initial", "V-0001").exit_code == 0
    bare = rj(book, "letter", "initial", "V-0001", "--resend")
    assert bare.exit_code == 2
    assert "--resend needs --reason" in plain(bare.output)
    reason_only = rj(book, "letter", "initial", "V-0001", "--reason", "lost")
    assert reason_only.exit_code == 2
    assert "--reason goes with --resend" in plain(reason_only.output)
    assert len(letters_logged(book, "V-0001", "initial")) == 1


# --- closed cases ---------------------------------------------------------------------------

def _close(casebook: CasebookUnderTest) -> None:
    result = casebook.run("close", casebook.victim, "--reason", "no-response",
                          "--date", "2026-04-01")
    assert result.exit_code == 0, result.output


CONTACT = ("contact", "log", "--method", "phone", "--outcome", "spoke")


@pytest.mark.parametrize("command", [
    ("contact", "log", "{id}", "--method", "phone", "--outcome", "spoke"),
    ("appointment", "add", "{id}", "--at", "2026-04-10 10:00", "--purpose", "home visit"),
    ("offer", "{id}", "conference", "--status", "accepted"),
])
def test_an_entry_on_a_closed_case_is_refused(casebook: CasebookUnderTest,
                                              command: tuple[str, ...]) -> None:
    _close(casebook)
    before = casebook.text(casebook.victim)
    result = casebook.run(*(a.format(id=casebook.victim) for a in command))
    assert result.exit_code == 2, result.output
    out = plain(result.output)
    assert f"{casebook.victim} was closed on Wednesday 1 April 2026 (no-response)" in out
    assert f"rj reopen {casebook.victim} --reason" in out and "--closed-ok" in out
    assert casebook.text(casebook.victim) == before


def test_a_call_after_closure_is_logged_with_closed_ok(casebook: CasebookUnderTest) -> None:
    _close(casebook)
    result = casebook.run("contact", "log", casebook.victim, "--method", "phone",
                          "--outcome", "spoke", "--closed-ok")
    assert result.exit_code == 0, result.output
    assert casebook.data(casebook.victim)["contacts"][-1]["outcome"] == "spoke"
    assert casebook.run("reopen", casebook.victim, "--reason", "victim phoned back"
                        ).exit_code == 0
    assert casebook.run(*CONTACT[:2], casebook.victim, *CONTACT[2:]).exit_code == 0


def test_a_letter_is_still_written_on_a_closed_case(tmp_path: Path) -> None:
    book = sample(tmp_path)
    assert rj(book, "close", "V-0001", "--reason", "completed").exit_code == 0
    result = rj(book, "letter", "closure", "V-0001")  # the closure letter follows closure
    assert result.exit_code == 0, result.output


# --- rj service, and a clean first rj.yaml ----------------------------------------------------

def _init(root: Path, *options: str) -> Result:
    result = invoke("init", str(root), "--service", "Exampletown Youth Justice Service",
                    "--no-autocommit", *options, worker=None)
    assert result.exit_code == 0, result.output
    return result


_EXAMPLE = re.compile(r"^(\s*)# (\s*(?:[a-z_-]+:|- ).*)$")


def _indent(line: str) -> int:
    found = _EXAMPLE.match(line)
    assert found
    return len(found[1]) + len(found[2]) - len(found[2].lstrip())


def _example_groups(lines: list[str]) -> list[list[int]]:
    """The commented examples of rj.yaml: a commented key with the commented lines under it
    (indented deeper), as a person would uncomment them together."""
    groups: list[list[int]] = []
    for n, line in enumerate(lines):
        found = _EXAMPLE.match(line)
        if not found:
            continue
        if groups and n == groups[-1][-1] + 1 and _indent(line) > _indent(lines[groups[-1][0]]):
            groups[-1].append(n)
        else:
            groups.append([n])
    return groups


def _uncommented(lines: list[str], numbers: list[int]) -> str:
    changed = list(lines)
    for n in numbers:
        found = _EXAMPLE.match(changed[n])
        assert found
        changed[n] = found[1] + found[2]
    return "\n".join(changed) + "\n"


def test_every_commented_example_of_a_new_rj_yaml_is_valid_when_uncommented(
        tmp_path: Path) -> None:
    from rjcli.storage.schemas import validator

    _init(tmp_path / "book")
    lines = (tmp_path / "book" / "rj.yaml").read_text(encoding="utf-8").splitlines()
    groups = _example_groups(lines)
    assert len(groups) >= 6  # address, phone, email, complaints, sign-off, rules
    every = [n for group in groups for n in group]
    for numbers in [*groups, every]:
        text = _uncommented(lines, numbers)
        data = yamlio.parse_text(text)  # raises on invalid YAML
        errors = sorted(validator("casebook").iter_errors(data), key=str)
        assert not errors, f"{text}\n{errors[0].message}"
        (tmp_path / "book" / "rj.yaml").write_text(text, encoding="utf-8")
        check = invoke("check", casebook=tmp_path / "book")
        assert check.exit_code == 0, text + check.output


def test_rj_service_sets_and_shows_the_service_keeping_comments(tmp_path: Path) -> None:
    book = tmp_path / "book"
    _init(book)
    result = invoke("service", "set", "--address", "Civic Offices", "--address", "High Street",
                    "--address", "Exampletown", "--postcode", "XE1 1AA",
                    "--phone", "01632 960000", "--email", "victims@example.org",
                    "--complaints", "To complain: write to the Service Manager.",
                    "--sign-off", "With best wishes", casebook=book)
    assert result.exit_code == 0, result.output
    text = (book / "rj.yaml").read_text(encoding="utf-8")
    assert "# rj casebook settings" in text and "# england or wales" in text
    data = yamlio.parse_text(text)["service"]
    assert data["address"] == {"lines": ["Civic Offices", "High Street", "Exampletown"],
                               "postcode": "XE1 1AA"}
    assert (data["phone"], data["email"], data["sign_off"]) == (
        "01632 960000", "victims@example.org", "With best wishes")
    shown = plain(invoke("service", casebook=book).output)
    for words in ("Exampletown Youth Justice Service", "Civic Offices, High Street, Exampletown",
                  "XE1 1AA", "01632 960000", "To complain: write to the Service Manager.",
                  "With best wishes"):
        assert words in shown
    bad = invoke("service", "set", "--phone", "call us", casebook=book)
    assert bad.exit_code != 0 and "phone" in plain(bad.output)
    assert (book / "rj.yaml").read_text(encoding="utf-8") == text


def test_from_rj_init_to_a_sent_initial_letter_without_an_editor(tmp_path: Path) -> None:
    book = tmp_path / "book"
    _init(book)
    steps = [
        ("service", "set", "--address", "Civic Offices", "--address", "Exampletown",
         "--postcode", "XE1 1AA", "--phone", "01632 960000",
         "--complaints", "To complain, write to the Service Manager at the address above.",
         "--sign-off", "With best wishes"),
        ("staff", "add", "Sam Worker", "--role", "rj-worker", "--phone", "01632 960101"),
        ("staff", "add", "Pat Holder", "--role", "case-holder"),
        ("child", "new", "--name", "Jo Child", "--dob", "2010-02-03", "--disposal",
         "referral-order", "--sentenced", "2026-03-20", "--case-holder", "Pat Holder"),
    ]
    for step in steps:
        result = invoke(*step, casebook=book)
        assert result.exit_code == 0, result.output
    (child,) = [p.stem for p in (book / "children").glob("C-*.yaml")]
    result = invoke("victim", "new", "--name", "Ann Example", "--child", child,
                    "--consent-contact", "yes", "--stage", "post-sentence",
                    "--address", "1 Example Road", "--address", "Exampletown",
                    "--postcode", "XE1 2BB", casebook=book)
    assert result.exit_code == 0, result.output
    (victim,) = [p.stem for p in (book / "victims").glob("V-*.yaml")]
    letter = invoke("letter", "initial", victim, "--format", "txt", casebook=book)
    assert letter.exit_code == 0, letter.output
    assert f"Logged on {victim}: initial letter sent." in plain(letter.output)
    (written,) = (book / "output" / "letters").glob(f"{victim}-initial-*.txt")
    text = written.read_text(encoding="utf-8")
    assert "Civic Offices" in text and "Dear Ann Example" in text
    assert "To complain, write to the Service Manager" in text
    assert "With best wishes" in text and "Yours sincerely" not in text


def test_rj_init_in_a_script_asks_nothing_and_needs_the_name(tmp_path: Path) -> None:
    result = invoke("init", str(tmp_path / "book"), worker=None, input="Some Name\n")
    assert result.exit_code == 2
    assert "--service NAME is needed" in plain(result.output)
    assert not (tmp_path / "book").exists()


# --- prompts and the editor -----------------------------------------------------------------

def _editor(tmp_path: Path, body: str) -> str:
    """An $EDITOR command: a Python script run on the draft file (sys.argv[1])."""
    script = tmp_path / f"editor{len(list(tmp_path.glob('editor*.py')))}.py"
    script.write_text("import sys\nfrom pathlib import Path\ndraft = Path(sys.argv[1])\n"
                      "text = draft.read_text(encoding='utf-8')\n" + body, encoding="utf-8")
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"


@pytest.mark.parametrize("variable", ["EDITOR", "VISUAL"])
def test_a_missing_editor_is_named(casebook: CasebookUnderTest, variable: str) -> None:
    before = casebook.text(casebook.victim)
    result = casebook.run("edit", casebook.victim, env={variable: "/nonexistent --wait"})
    assert result.exit_code == 2, result.output
    out = plain(result.output)
    assert f"the editor '/nonexistent' (from ${variable}) cannot be run" in out
    assert "$VISUAL or $EDITOR" in out and "EDITOR=nano rj edit" in out
    assert casebook.text(casebook.victim) == before


def test_a_kept_edit_can_be_resumed(casebook: CasebookUnderTest, tmp_path: Path) -> None:
    vid = casebook.victim
    broken = _editor(tmp_path, 'draft.write_text(text + "needs: [large print\\n")\n')
    assert casebook.run("edit", vid, env={"EDITOR": broken}).exit_code == 6
    (kept,) = (casebook.root / ".rj" / "edits").glob(f"{vid}-*.yaml")
    fixed = _editor(tmp_path, 'assert text.endswith("needs: [large print\\n")\n'
                              'draft.write_text(text.replace("[large print", "large print"))\n')
    result = casebook.run("edit", vid, "--resume", env={"EDITOR": fixed})
    assert result.exit_code == 0, result.output
    assert f"Saved {vid}." in plain(result.output)
    assert casebook.data(vid)["needs"] == "large print"
    assert not kept.exists()  # used: not offered again
    again = casebook.run("edit", vid, "--resume", env={"EDITOR": fixed})
    assert again.exit_code == 2
    assert f"no kept edit of {vid}" in plain(again.output)


def test_a_kept_edit_older_than_the_record_is_not_saved_over_it(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    vid = casebook.victim
    broken = _editor(tmp_path, 'draft.write_text(text + "needs: [large print\\n")\n')
    assert casebook.run("edit", vid, env={"EDITOR": broken}).exit_code == 6
    (kept,) = (casebook.root / ".rj" / "edits").glob(f"{vid}-*.yaml")
    os.utime(kept, (kept.stat().st_mtime - 60, kept.stat().st_mtime - 60))
    assert casebook.run(*CONTACT[:2], vid, *CONTACT[2:]).exit_code == 0
    before = casebook.text(vid)
    result = casebook.run("edit", vid, "--resume", env={"EDITOR": broken})
    assert result.exit_code == 2
    assert f"{vid} has changed since your edit was kept" in plain(result.output)
    assert str(kept) in plain(result.output)
    assert casebook.text(vid) == before and kept.exists()


def test_a_risk_note_needs_a_few_words(casebook: CasebookUnderTest) -> None:
    from rjcli.core.checklist import MIN_NOTE_WORDS, answer_problems, checklist_from_dict

    checklist = checklist_from_dict(yamlio.parse_text(
        (ROOT / "policy" / "checklists" / "conference.yaml").read_text(encoding="utf-8")))
    targeting = next(q for q in checklist.questions if q.id == "targeting")
    assert MIN_NOTE_WORDS == 3  # rj's own choice: enough to say who does what
    assert answer_problems(checklist, targeting, "yes", "x") == [
        "say in at least 3 words how this risk will be managed ('x' is too short to act on)"]
    assert answer_problems(checklist, targeting, "yes", "Separate arrival times") == []
    answers = {q.id: ("None found" if q.type == "text" else
                      "no" if q.risk_if == "yes" else "yes") for q in checklist.questions}
    answers["targeting"] = {"answer": "yes", "note": "ok"}
    text = yaml.safe_dump({"answers": answers, "rating": "MEDIUM",
                           "rating_reasons": "One risk, managed"}, sort_keys=False)
    result = casebook.run("risk", "run", casebook.victim, "--checklist", "conference",
                          input=text)
    assert result.exit_code == 2
    assert ("answers.targeting: say in at least 3 words how this risk will be managed "
            "('ok' is too short to act on)") in plain(result.output)
    assert "assessments" not in casebook.data(casebook.victim)
