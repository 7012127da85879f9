"""`rj check` from the index: each file's own problems and privacy findings are kept there,
only what a change can alter is checked again, and the answer (output and exit code) is
exactly the one of reading every file (``--no-cache``) after every kind of edit."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rjcli.cli import app

TODAY = "2026-06-15"


def run(root, *args, cache=True, today=TODAY):
    options = ["--casebook", str(root), "--today", today, "--worker", "Ruth Kenwardine"]
    options += [] if cache else ["--no-cache"]
    result = CliRunner().invoke(app, options + list(args))
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.stdout


def same_answer(root, today=TODAY):
    """rj check from the index (run first, so it works from what the last run kept) and
    from the files give the same output and exit code, as JSON and as text."""
    for args in (("check", "--json"), ("check",)):
        cached = run(root, *args, today=today)
        assert cached == run(root, *args, cache=False, today=today), args
    return cached


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    from conftest import generated_casebook

    return generated_casebook(tmp_path_factory, seed=7)


@pytest.fixture
def book(generated, tmp_path):
    root = tmp_path / "casebook"
    shutil.copytree(generated, root)
    return root


def field(path: Path, name: str) -> str:
    found = re.search(rf"^{name}: (.+)$", path.read_text(), re.M)
    assert found, (path, name)
    return found.group(1).strip().strip('"')


def victims_of(book: Path) -> list[Path]:
    return sorted((book / "victims").glob("*.yaml"))


def children_of(book: Path) -> list[Path]:
    return sorted((book / "children").glob("*.yaml"))


def add_line(path: Path, line: str) -> None:
    path.write_text(path.read_text() + line + "\n")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


def test_check_from_the_index_equals_reading_every_file_after_each_edit(book):
    victims, children = victims_of(book), children_of(book)
    assert same_answer(book)[0] == 0  # the generated casebook is clean
    # a name no victim has yet, written in a child's file; then a victim takes it
    add_line(children[3], "# seen with Pennywhistle Quarrington at the shop")
    assert same_answer(book)[0] == 0
    replace(victims[0], f"\nname: {field(victims[0], 'name')}\n",
            "\nname: Pennywhistle Quarrington\n")
    assert "Pennywhistle" not in same_answer(book)[1]  # the name itself is never printed
    assert same_answer(book)[0] == 1
    # a victim's phone typed by hand into a child's file
    phone = re.search(r'"(07700 9\d{5})"', victims[1].read_text()).group(1)
    add_line(children[5], f"# rang {phone.replace(' ', '')} back")
    code, out = same_answer(book)
    assert code == 1 and children[5].name in out
    # the identifiers of a victim that is then deleted, and of one whose file then breaks
    gone = next(v for v in victims[2:] if "\n  postcode: " in v.read_text())
    broken = next(v for v in victims[2:] if v != gone and v != victims[4])
    add_line(children[7], f"# lives at {field(gone, '  postcode')}")
    add_line(children[8], f"# see {field(broken, 'name')}")
    code, out = same_answer(book)
    assert children[7].name in out and children[8].name in out
    gone.unlink()
    code, out = same_answer(book)
    assert f"({gone.stem})" not in out
    broken.write_text(broken.read_text() + "  bad: [unclosed\n")
    code, out = same_answer(book)
    assert broken.name in out and f"({broken.stem})" not in out
    # a schema error in a child's file
    replace(children[9], "\nsex: ", "\nsex: [1, 2]\nold_sex: ")
    code, out = same_answer(book)
    assert children[9].name in out
    # a new victim by hand, whose phone a child's file already holds
    new = book / "victims" / "V-NEW001.yaml"
    new.write_text("id: V-NEW001\nname: Zebedee Oddfellowes\nphones:\n  - \"07700 900999\"\n")
    add_line(children[11], "# 07700 900 999 called")
    same_answer(book)
    # a contact in the future, checked today and after that day
    future = ("  - id: FUTURE1\n    at: 2026-07-01 10:00\n    method: phone\n"
              "    outcome: spoke\n")
    if "\ncontacts:\n" in victims[4].read_text():
        replace(victims[4], "\ncontacts:\n", "\ncontacts:\n" + future)
    else:
        add_line(victims[4], "contacts:\n" + future)
    assert "2026-07-01 is in the future" in same_answer(book)[1]
    assert "2026-07-01 is in the future" not in same_answer(book, today="2026-08-01")[1]
    assert "2026-07-01 is in the future" in same_answer(book)[1]
    # a colleague added (staff names are never a family name alone), a file touched
    run(book, "staff", "add", "Abel Quarrington", "--role", "rj-worker")
    same_answer(book)
    children[3].touch()
    same_answer(book)


def scanned_texts(monkeypatch) -> list[str]:
    """The first line of every text the privacy check scans from now on."""
    import rjcli.core.identifiers as identifiers

    scanned: list[str] = []
    find = identifiers.find

    def counting(text, *args, **kwargs):
        scanned.append(text.split("\n", 1)[0])
        return find(text, *args, **kwargs)

    monkeypatch.setattr(identifiers, "find", counting)
    return scanned


def test_an_unchanged_casebook_is_checked_without_building_a_record_or_scanning(
        book, monkeypatch):
    import rjcli.core.model as model

    same_answer(book)

    def refuse(*args, **kwargs):
        raise AssertionError("a record was built")

    with monkeypatch.context() as patched:
        patched.setattr(model, "victim_from_dict", refuse)
        patched.setattr(model, "child_from_dict", refuse)
        scanned = scanned_texts(patched)
        assert run(book, "check")[0] == 0
    assert scanned == []


def test_a_changed_child_file_is_the_only_file_scanned_again(book, monkeypatch):
    same_answer(book)
    child = children_of(book)[0]
    add_line(child, "# a note")
    with monkeypatch.context() as patched:
        scanned = scanned_texts(patched)
        run(book, "check")
    assert scanned == [f"id: {child.stem}"]


def test_a_renamed_victim_rescans_only_the_files_that_can_hold_either_name(book, monkeypatch):
    victim = victims_of(book)[0]
    old = field(victim, "name")
    children = children_of(book)
    add_line(children[2], "# spoke to Pennywhistle Quarrington")
    same_answer(book)
    replace(victim, f"\nname: {old}\n", "\nname: Pennywhistle Quarrington\n")
    words = {w.casefold() for w in (*old.split(), "Pennywhistle", "Quarrington")}
    could = {f"id: {c.stem}" for c in children
             if any(w in c.read_text().casefold() for w in words)}
    with monkeypatch.context() as patched:
        scanned = scanned_texts(patched)
        code, out = run(book, "check")
    assert code == 1 and children[2].name in out
    assert f"id: {children[2].stem}" in scanned
    assert set(scanned) <= could and len(scanned) < len(children)
    assert (code, out) == run(book, "check", cache=False)


def test_a_schema_changed_by_an_upgrade_of_rj_is_never_answered_from_kept_results(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the kept check results were found under the old schemas: a tightened schema (the
    # ethnicity made one line of plain text, say) must rebuild them, even when rj's version
    # number did not change
    import rjcli.storage.schemas as schemas
    from rjcli.shipped import shipped_dir
    from rjcli.storage.index import schema

    shipped = tmp_path / "schemas"
    shutil.copytree(shipped_dir("schemas"), shipped)
    monkeypatch.setattr(schemas, "shipped_dir", lambda name: tmp_path / name)
    before = schema.fingerprint(None)  # type: ignore[arg-type]
    victim = shipped / "victim.schema.json"
    victim.write_text(victim.read_text(encoding="utf-8").replace(
        "Self-defined", "Self-defined, changed"), encoding="utf-8")
    assert schema.fingerprint(None) != before  # type: ignore[arg-type]


def test_a_colleague_added_rescans_only_the_files_that_hold_a_word_of_their_name(
        book, monkeypatch):
    """A staff name's words are never a family name alone: adding a colleague can change
    only what is found in files holding one of their words."""
    victim = victims_of(book)[0]
    surname = field(victim, "name").split()[-1]
    children = children_of(book)
    add_line(children[2], f"# {surname} rang")  # a victim's family name alone: a warning
    code, out = same_answer(book)
    assert children[2].name in out
    run(book, "staff", "add", f"Abel {surname}", "--role", "rj-worker")
    could = {f"id: {c.stem}" for c in children
             if any(w in c.read_text().casefold() for w in ("abel", surname.casefold()))}
    with monkeypatch.context() as patched:
        scanned = scanned_texts(patched)
        code, out = run(book, "check")
    assert f"id: {children[2].stem}" in scanned
    assert set(scanned) <= could and len(scanned) < len(children)
    assert (code, out) == run(book, "check", cache=False)
    assert f"family name '{surname}'" not in out  # now a colleague's name too
