"""What you type is what rj records (issue 16, the rest): a letter is logged as sent once,
closed cases refuse new entries, ``rj service``, a clean first rj.yaml, prompts."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from click.testing import Result

from rjcli.storage import yamlio
from tests.conftest import invoke, plain

SAMPLE = Path(__file__).resolve().parent.parent / "sample-casebook"
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
