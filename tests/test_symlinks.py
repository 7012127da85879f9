"""Only regular files are read: a FIFO, socket, folder or symbolic link where rj expects a
record, template, policy file or checklist is an ``rj check`` error naming it, never opened
(a FIFO would hang the reader) and never followed (a link could lead into another casebook
or to a victim's file)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TODAY, WORKER, CasebookUnderTest, plain

TIMEOUT = 30
"""Seconds a command may take before the test calls it hung (a warm rj takes well under 5)."""


def rj(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``rj`` in its own process, so that a hang fails the test instead of stopping it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RJ_")}
    env["COLUMNS"] = "2000"
    try:
        return subprocess.run(
            [sys.executable, "-m", "rjcli", "--casebook", str(root), "--today", TODAY,
             "--worker", WORKER, *args],
            capture_output=True, text=True, timeout=TIMEOUT, env=env, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail(f"rj {' '.join(args)} hung (no answer in {TIMEOUT} s)")


# --- not a regular file ---------------------------------------------------------------------


@pytest.mark.parametrize("command", [["list"], ["due", "--all"], ["check"],
                                     ["report", "caseload"], ["list", "--no-cache"]])
def test_a_fifo_named_as_a_record_is_a_problem_and_the_rest_is_served(
        casebook: CasebookUnderTest, command: list[str]) -> None:
    fifo = casebook.root / "victims" / "V-FIFO01.yaml"
    os.mkfifo(fifo)
    if command[-1] == "--no-cache":
        command = ["--no-cache", *command[:-1]]
    result = rj(casebook.root, *command)
    everything = plain(result.stdout + result.stderr)
    assert result.returncode == 1, everything
    assert "Traceback" not in everything
    assert "victims/V-FIFO01.yaml" in everything
    assert "not a regular file" in everything
    if command[-1] == "list":
        assert casebook.victim in everything and casebook.child in everything


def test_check_names_every_kind_of_file_that_is_not_a_regular_file(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    victims = casebook.root / "victims"
    (victims / "V-DIR001.yaml").mkdir()
    os.mkfifo(casebook.root / "children" / "C-FIFO01.yaml")
    # a socket's path must be short: make it elsewhere, then move it into place
    short = Path("/tmp") / f"rj-sock-{os.getpid()}"
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(short))
        os.rename(short, victims / "V-SOCK01.yaml")
    finally:
        sock.close()
    result = rj(casebook.root, "check")
    everything = plain(result.stdout + result.stderr)
    assert result.returncode == 1, everything
    assert "victims/V-DIR001.yaml" in everything and "a folder" in everything
    assert "children/C-FIFO01.yaml" in everything and "named pipe" in everything
    assert "victims/V-SOCK01.yaml" in everything and "socket" in everything


# --- symbolic links ----------------------------------------------------------------------------


def test_a_record_symlinked_from_another_casebook_is_not_read(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    secret = other / "V-7K3M2Q.yaml"
    secret.write_text("id: V-7K3M2Q\nname: Olive Elsewhere\nallocated: 2026-03-01\n"
                      "children: []\n", encoding="utf-8")
    (casebook.root / "victims" / "V-7K3M2Q.yaml").symlink_to(secret)
    for args in (["list"], ["--no-cache", "list"], ["show", "V-7K3M2Q"], ["check"]):
        result = rj(casebook.root, *args)
        everything = plain(result.stdout + result.stderr)
        assert "Olive Elsewhere" not in everything, args
        assert result.returncode != 0, args
        assert "victims/V-7K3M2Q.yaml" in everything, args
        assert "symbolic link" in everything, args


def test_a_dangling_symlink_among_records_is_a_problem_not_a_crash(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    (casebook.root / "victims" / "V-GONE01.yaml").symlink_to(tmp_path / "nowhere.yaml")
    result = rj(casebook.root, "due", "--all")
    everything = plain(result.stdout + result.stderr)
    assert result.returncode == 1, everything
    assert "victims/V-GONE01.yaml" in everything and "symbolic link" in everything


# --- templates, policy files, checklists ------------------------------------------------------

APPOINTMENT = ("--at", "2026-04-20 16:30", "--venue", "Exampletown Youth Justice Office")


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """The letters casebook (victims V-0001..., child C-0001), written by hand."""
    from test_letters import write_casebook

    return write_casebook(tmp_path / "casebook")


def test_a_template_symlinked_to_a_victims_file_is_not_put_into_a_childs_letter(
        book: Path, tmp_path: Path) -> None:
    (book / "templates").mkdir()
    (book / "templates" / "child-appointment.md.j2").symlink_to(
        book / "victims" / "V-0001.yaml")
    out = tmp_path / "letter.md"
    result = rj(book, "letter", "child-appointment", "C-0001", *APPOINTMENT, "--draft",
                "--out", str(out))
    everything = plain(result.stdout + result.stderr)
    assert result.returncode == 5, everything
    assert "templates/child-appointment.md.j2" in everything
    assert "symbolic link" in everything
    assert "Alex Example" not in everything
    assert not out.exists()


def test_a_template_including_a_symlink_is_refused(book: Path, tmp_path: Path) -> None:
    (book / "templates").mkdir()
    (book / "templates" / "parts").mkdir()
    (book / "templates" / "parts" / "footer.md.j2").symlink_to(book / "victims" / "V-0001.yaml")
    shipped = Path(__file__).resolve().parent.parent / "templates" / "child-appointment.md.j2"
    text = shipped.read_text(encoding="utf-8") if shipped.is_file() else "{{ title }}\n"
    (book / "templates" / "child-appointment.md.j2").write_text(
        text + '{% include "parts/footer.md.j2" %}\n', encoding="utf-8")
    out = tmp_path / "letter.md"
    result = rj(book, "letter", "child-appointment", "C-0001", *APPOINTMENT, "--draft",
                "--out", str(out))
    everything = plain(result.stdout + result.stderr)
    assert result.returncode == 5, everything
    assert "templates/parts/footer.md.j2" in everything and "symbolic link" in everything
    assert "Alex Example" not in everything and not out.exists()


def test_policy_and_checklist_links_are_check_errors_and_never_followed(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)  # were any link followed, the reader would wait here for ever
    for folder in ("profiles", "checklists", "questionnaires"):
        (casebook.root / "policy" / folder).mkdir(parents=True)
    (casebook.root / "policy" / "profiles" / "national.yaml").symlink_to(fifo)
    (casebook.root / "policy" / "checklists" / "conference.yaml").symlink_to(fifo)
    (casebook.root / "policy" / "questionnaires" / "contact.yaml").symlink_to(fifo)
    (casebook.root / "templates").mkdir()
    (casebook.root / "templates" / "initial.md.j2").symlink_to(fifo)
    result = rj(casebook.root, "check")
    everything = plain(result.stdout + result.stderr)
    assert result.returncode == 1, everything
    for rel in ("policy/profiles/national.yaml", "policy/checklists/conference.yaml",
                "policy/questionnaires/contact.yaml", "templates/initial.md.j2"):
        assert f"{rel}: not a regular file but a symbolic link" in everything, rel
    due = rj(casebook.root, "--no-cache", "due")
    text = plain(due.stdout + due.stderr)
    assert due.returncode != 0
    assert "policy/profiles/national.yaml" in text and "symbolic link" in text


def test_setup_never_writes_through_a_linked_gitattributes(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("someone else's file\n", encoding="utf-8")
    attributes = casebook.root / ".gitattributes"
    attributes.unlink(missing_ok=True)
    attributes.symlink_to(outside)
    rj(casebook.root, "sync", "--setup")
    assert outside.read_text(encoding="utf-8") == "someone else's file\n"
    result = rj(casebook.root, "check")
    assert ".gitattributes: not a regular file but a symbolic link" in plain(result.stdout)
    assert result.returncode == 1


@pytest.mark.parametrize("place", ["policy/checklists/conference.yaml",
                                   "policy/profiles/national.yaml"])
def test_a_fifo_among_policy_files_stops_due_naming_it_instead_of_hanging(
        casebook: CasebookUnderTest, place: str) -> None:
    fifo = casebook.root / place
    fifo.parent.mkdir(parents=True)
    os.mkfifo(fifo)
    for args in (["due"], ["--no-cache", "due"]):
        result = rj(casebook.root, *args)
        everything = plain(result.stdout + result.stderr)
        assert result.returncode == 5, everything
        assert f"{place}: not a regular file but a named pipe (FIFO)" in everything
    checked = rj(casebook.root, "check")
    assert checked.returncode == 1
    assert place in plain(checked.stdout)
