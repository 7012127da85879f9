"""One guard for every file rj writes where the user says (``--out``, ``--ics``): never into
the casebook's own folders or over its settings, never over a file rj did not write unless
``--force``; symlinks and ``..`` are resolved before deciding."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import CasebookUnderTest, plain
from test_letters import write_casebook

PROTECTED = ["victims", "children", "tombstones", ".rj", ".git", "policy", "templates",
             "schemas", "documents"]


def report(book: CasebookUnderTest, out: Path | str, *more: str):
    return book.run("report", "quarterly", "--quarter", "2025-Q4", "--format", "csv",
                    "--out", str(out), *more)


@pytest.fixture
def book(committed_casebook: CasebookUnderTest) -> CasebookUnderTest:
    """A casebook with git history (so .git/config exists), every protected folder present."""
    for folder in PROTECTED:
        (committed_casebook.root / folder).mkdir(exist_ok=True)
    return committed_casebook


def test_report_out_over_a_victims_record_is_refused(book: CasebookUnderTest) -> None:
    record = book.path(book.victim)
    before = record.read_bytes()
    result = report(book, record)
    assert result.exit_code == 2, result.output
    assert "cannot be written into victims/" in plain(result.output)
    assert record.read_bytes() == before


@pytest.mark.parametrize("target", ["rj.yaml", ".git/config", ".gitattributes"])
def test_report_out_over_the_casebooks_own_files_is_refused(book: CasebookUnderTest,
                                                            target: str) -> None:
    path = book.root / target
    before = path.read_bytes()
    for more in ((), ("--force",)):
        result = report(book, path, *more)
        assert result.exit_code == 2, result.output
        assert target in plain(result.output)
        assert path.read_bytes() == before


@pytest.mark.parametrize("folder", PROTECTED)
def test_nothing_is_written_into_a_protected_folder(book: CasebookUnderTest,
                                                    folder: str) -> None:
    target = book.root / folder / "written.csv"
    result = report(book, target, "--force")
    assert result.exit_code == 2, result.output
    assert f"cannot be written into {folder}/" in plain(result.output)
    assert not target.exists()


def test_dot_dot_and_symlinks_are_resolved_before_deciding(book: CasebookUnderTest,
                                                          tmp_path: Path) -> None:
    record = book.path(book.victim)
    before = record.read_bytes()
    sneaky = book.root / "output" / ".." / "victims" / record.name
    assert report(book, sneaky).exit_code == 2
    link = tmp_path / "harmless-looking"
    link.symlink_to(book.root / "victims")
    assert report(book, link / record.name).exit_code == 2
    file_link = tmp_path / "report.csv"
    file_link.symlink_to(record)
    assert report(book, file_link, "--force").exit_code == 2
    assert record.read_bytes() == before


def test_due_ics_over_a_victims_record_is_refused(book: CasebookUnderTest) -> None:
    record = book.path(book.victim)
    before = record.read_bytes()
    result = book.run("due", "--ics", str(record))
    assert result.exit_code == 2, result.output
    assert "cannot be written into victims/" in plain(result.output)
    assert record.read_bytes() == before


def test_export_into_templates_is_refused(book: CasebookUnderTest) -> None:
    result = book.run("export", book.victim, "--out", str(book.root / "templates" / "sar"))
    assert result.exit_code == 2, result.output
    assert "cannot be written into templates/" in plain(result.output)
    assert not (book.root / "templates" / "sar").exists()
    status = subprocess.run(["git", "status", "--porcelain"], cwd=book.root,
                            capture_output=True, text=True, check=True)
    assert "templates" not in status.stdout


def test_a_file_rj_did_not_write_needs_force(casebook: CasebookUnderTest,
                                             tmp_path: Path) -> None:
    mine = tmp_path / "notes.csv"
    mine.write_text("my own notes\n", encoding="utf-8")
    refused = report(casebook, mine)
    assert refused.exit_code == 2, refused.output
    assert "--force" in plain(refused.output)
    assert mine.read_text(encoding="utf-8") == "my own notes\n"
    forced = report(casebook, mine, "--force")
    assert forced.exit_code == 0, forced.output
    assert mine.read_text(encoding="utf-8") != "my own notes\n"


def test_rj_may_write_its_own_output_again(casebook: CasebookUnderTest,
                                           tmp_path: Path) -> None:
    out = tmp_path / "q.csv"
    assert report(casebook, out).exit_code == 0
    assert report(casebook, out).exit_code == 0  # rj wrote it: no --force needed
    calendar = tmp_path / "due.ics"
    assert casebook.run("due", "--ics", str(calendar)).exit_code == 0
    assert casebook.run("due", "--ics", str(calendar)).exit_code == 0
    inside = casebook.root / "output" / "q.csv"
    inside.parent.mkdir(exist_ok=True)
    inside.write_text("old report\n", encoding="utf-8")
    assert report(casebook, inside).exit_code == 0  # output/ is rj's own


def test_a_file_changed_since_rj_wrote_it_is_not_rj_output_any_more(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    out = tmp_path / "q.csv"
    assert report(casebook, out).exit_code == 0
    out.write_text("someone's edits\n", encoding="utf-8")
    assert report(casebook, out).exit_code == 2
    assert out.read_text(encoding="utf-8") == "someone's edits\n"


def test_letter_and_export_use_the_same_guard(tmp_path: Path) -> None:
    from conftest import invoke

    root = write_casebook(tmp_path / "casebook")
    mine = tmp_path / "letter.md"
    mine.write_text("my own letter\n", encoding="utf-8")
    refused = invoke("letter", "initial", "V-0001", "--draft", "--out", str(mine),
                     casebook=root)
    assert refused.exit_code == 2, refused.output
    assert mine.read_text(encoding="utf-8") == "my own letter\n"
    forced = invoke("letter", "initial", "V-0001", "--draft", "--out", str(mine), "--force",
                    casebook=root)
    assert forced.exit_code == 0, forced.output
    into_policy = invoke("letter", "initial", "V-0001", "--draft", "--out",
                         str(root / "policy" / "l.md"), casebook=root)
    assert into_policy.exit_code == 2
    assert "cannot be written into policy/" in plain(into_policy.output)
    sar = tmp_path / "sar"
    sar.mkdir()
    (sar / "V-0001.json").write_text("{}\n", encoding="utf-8")
    exported = invoke("export", "V-0001", "--out", str(sar), casebook=root)
    assert exported.exit_code == 2, exported.output
    assert (sar / "V-0001.json").read_text(encoding="utf-8") == "{}\n"
    assert invoke("export", "V-0001", "--out", str(sar), "--force",
                  casebook=root).exit_code == 0
