"""A policy data file found valid once is not checked against its schema again while
its bytes, the shipped schemas and rj's version stay the same (``storage/validated.py``):
the check imports jsonschema, a fifth of ``rj report code``'s time (issue 22). A file that
changes is checked again, and refused when it is wrong."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from test_report_code import Q1
from test_reports import FIXTURE, Book, copy_of

PROBE = """
import sys
from rjcli.__main__ import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
else:
    code = 0
print("jsonschema imported:", "jsonschema" in sys.modules, "exit:", code, file=sys.stderr)
"""
"""Runs one rj command in a fresh process and says whether jsonschema was imported."""


def probe(root: Path, *args: str) -> tuple[bool, int, str, str]:
    """(jsonschema imported, exit code, everything printed, the standard output)."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "--casebook", str(root), "--today", "2026-07-15", *args],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120,
        env={**os.environ, "RJ_WORKER": ""})
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("jsonschema imported:"), result.stderr
    words = last.split()
    return (words[2] == "True", int(words[4]), result.stdout + result.stderr,
            result.stdout)


RIGHTS = ("title: Our rights\nsource: Our board, 2026\nrights:\n"
          "  - id: contact-and-updates\n    title: Contact, then updates\n"
          "    source: YJB §22, §23\n    rules: [first-contact, progress-update]\n")


def test_the_rights_list_is_checked_once_then_known_valid(tmp_path: Path) -> None:
    book = Book(copy_of(FIXTURE, tmp_path / "book"))
    first = probe(book.root, "report", "code", *Q1, "--format", "json")
    assert first[:2] == (True, 0), first[2]
    again = probe(book.root, "report", "code", *Q1, "--format", "json")
    assert again[:2] == (False, 0), again[2]
    assert again[3] == first[3]  # the same report
    note = book.root / ".rj" / "valid-policy"
    assert stat.S_IMODE(note.stat().st_mode) == 0o600


def test_a_changed_file_is_checked_again_and_a_wrong_one_refused(tmp_path: Path) -> None:
    book = Book(copy_of(FIXTURE, tmp_path / "book"))
    own = book.root / "policy" / "code-rights.yaml"
    own.parent.mkdir()
    own.write_text(RIGHTS, encoding="utf-8")
    assert probe(book.root, "report", "code", *Q1)[:2] == (True, 0)
    assert probe(book.root, "report", "code", *Q1)[:2] == (False, 0)
    # the same right without its rules: found valid before in another shape, refused now
    own.write_text(RIGHTS.replace("    rules: [first-contact, progress-update]\n", ""),
                   encoding="utf-8")
    for _ in range(2):  # and every time, never noted as valid
        imported, code, output, _ = probe(book.root, "report", "code", *Q1)
        assert imported and code not in (0, 70), output
        assert "policy/code-rights.yaml" in output and "rules" in output


def test_a_damaged_note_is_only_a_cache(tmp_path: Path) -> None:
    book = Book(copy_of(FIXTURE, tmp_path / "book"))
    (book.root / ".rj").mkdir(mode=0o700, exist_ok=True)
    (book.root / ".rj" / "valid-policy").write_bytes(b"\xff\xfe not a digest \x00\n")
    imported, code, output, _ = probe(book.root, "report", "code", *Q1)
    assert (imported, code) == (True, 0), output
    assert probe(book.root, "report", "code", *Q1)[:2] == (False, 0)


def test_a_fifo_or_a_link_in_place_of_the_note_is_never_opened(tmp_path: Path) -> None:
    book = Book(copy_of(FIXTURE, tmp_path / "book"))
    cache = book.root / ".rj"
    cache.mkdir(mode=0o700, exist_ok=True)
    os.mkfifo(cache / "valid-policy")  # opening it to read would wait for ever
    imported, code, output, _ = probe(book.root, "report", "code", *Q1)
    assert (imported, code) == (True, 0), output
    assert (cache / "valid-policy").is_file()  # replaced by a real note
    (cache / "valid-policy").unlink()
    outside = tmp_path / "planted"
    outside.write_text("0" * 64 + "\n")
    (cache / "valid-policy").symlink_to(outside)
    assert probe(book.root, "report", "code", *Q1)[:2] == (True, 0)
    assert outside.read_text() == "0" * 64 + "\n"  # the link replaced, not written through
