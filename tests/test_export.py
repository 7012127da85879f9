"""Subject access and privacy (issue #8): ``rj export`` gives one person everything held
about them and nothing about anyone else; ``rj check`` finds a victim's identifiers in
every file that must not hold them - child records, reports and child-side letters."""

from __future__ import annotations

import io
import json
import re
import stat
import sys
import textwrap
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import CHILD, VICTIM, CasebookUnderTest, json_of, plain
from rjcli.storage import edits
from rjcli.storage.casebook import Casebook, entry_id

VICTIM_IDENTIFIERS = (VICTIM["name"], VICTIM["email"], VICTIM["phone"], "07700900001",
                      VICTIM["postcode"], VICTIM["dob"], "6 May 1980", "06/05/1980")
CHILD_IDENTIFIERS = (CHILD["name"], CHILD["dob"], "3 February 2010")


# --- opened files, seen through the interpreter's audit hook ----------------------------------

_OPENED: list[str] | None = None


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _OPENED is not None and event == "open" and isinstance(args[0], (str, Path)):
        _OPENED.append(str(args[0]))


sys.addaudithook(_audit)


@pytest.fixture
def opened() -> Iterator[list[str]]:
    """Every file path opened while the test runs."""
    global _OPENED
    _OPENED = []
    try:
        yield _OPENED
    finally:
        _OPENED = None


# --- a victim and a child with something in every section --------------------------------------


def change(book: CasebookUnderTest, record_id: str, **sections: Any) -> None:
    def mutate(tree: Any) -> None:
        for key, value in sections.items():
            for entry in value if isinstance(value, list) else [value]:
                if isinstance(value, list):
                    edits.append(tree, key, entry)
                else:
                    tree[key] = entry

    Casebook(book.root).change(record_id, mutate, "test")


def letter(book: CasebookUnderTest, record_id: str, name: str, text: str) -> dict[str, Any]:
    path = book.root / "output" / "letters" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return {"id": entry_id(), "at": "2026-04-01 10:00", "method": "letter", "outcome": "sent",
            "letter": "initial", "file": f"output/letters/{name}"}


@pytest.fixture
def full(casebook: CasebookUnderTest) -> CasebookUnderTest:
    """The fixture casebook with a full victim record and a full child record."""
    v, c = casebook.victim, casebook.child
    text = casebook.text(v)
    casebook.write(v, f"# Victim record. Linked to {c}; see also V-ZZZZ99.\n" + text)
    change(casebook, v, contacts=[
        {"id": entry_id(), "at": "2026-04-01 09:00", "method": "phone", "outcome": "spoke",
         "note": f"Talked about {c}'s order.\nShe would like a letter of explanation."},
        letter(casebook, v, f"{v}-initial-2026-04-01.md", "Dear Ms Example,\n"),
    ], offers=[{"id": entry_id(), "option": "letter-of-explanation", "status": "accepted",
                "date": "2026-04-01", "by": "Sam Worker"}],
        assessments=[{"id": entry_id(), "checklist": "victim-suitability",
                      "title": "Victim suitability", "started": "2026-04-01",
                      "completed": "2026-04-01", "assessor": "Sam Worker", "rating": "LOW",
                      "answers": [{"question": "q1", "section": "Safety",
                                   "text": "Do you feel safe meeting the child?",
                                   "answer": "yes", "note": "With her sister present."}]}],
        conferences=[{"id": entry_id(), "kind": "conference", "date": "2026-04-01",
                      "status": "held", "child": c, "venue": "Youth Justice Office",
                      "attended": ["victim", "the child", "facilitator"],
                      "writeup": {"harm": "The car was her livelihood."}}])
    change(casebook, c, contacts=[
        {"id": entry_id(), "at": "2026-04-01 11:00", "method": "meeting", "outcome": "kept",
         "note": "Talked about Victim 1 and the letter of explanation."},
        letter(casebook, c, f"{c}-child-appointment-2026-04-01.md", "Dear Jo,\n"),
    ], co_defendants=["C-OTHER9"], victim_awareness=[
        {"id": entry_id(), "date": "2026-04-01", "note": f"Session on harm to {v}."}])
    text = casebook.text(c).replace(
        f"  - ref: {v}\n", f"  - ref: {v}\n    adult: true\n    sex: female\n"
        "    ethnicity: White Irish\n")
    casebook.write(c, text)
    checked = casebook.run("check")
    assert checked.exit_code == 0, checked.output
    return casebook


def exported(book: CasebookUnderTest, record_id: str, out: Path) -> dict[str, str]:
    result = book.run("export", record_id, "--out", str(out))
    assert result.exit_code == 0, result.output
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
            for p in out.rglob("*") if p.is_file()}


# --- a victim's export ---------------------------------------------------------------------


def test_a_victims_export_holds_everything_about_them(full: CasebookUnderTest,
                                                      tmp_path: Path) -> None:
    v = full.victim
    files = exported(full, v, tmp_path / "sar")

    assert set(files) == {f"{v}.json", f"{v}.md", f"letters/{v}-initial-2026-04-01.md"}
    record = json.loads(files[f"{v}.json"])
    held = full.data(v)
    assert record["name"] == held["name"] and record["email"] == VICTIM["email"]
    assert [c["id"] for c in record["contacts"]] == [c["id"] for c in held["contacts"]]
    assert record["contacts"][-1]["file"] == f"letters/{v}-initial-2026-04-01.md"
    assert files[f"letters/{v}-initial-2026-04-01.md"] == "Dear Ms Example,\n"
    account = files[f"{v}.md"]
    for expected in (VICTIM["name"], VICTIM["phone"], VICTIM["email"], VICTIM["postcode"],
                     "6 May 1980", "## Consents", "contact, yes", "## Contact log",
                     "She would like a letter of explanation.", "## Assessments",
                     "1. Do you feel safe meeting the child? (Safety)", "Answer: yes",
                     "With her sister present.", "## Restorative options offered",
                     "letter-of-explanation, accepted", "## Conferences and panels",
                     "The car was her livelihood.", f"letters/{v}-initial-2026-04-01.md",
                     "Victim record. Linked to the child; see also another victim."):
        assert expected in account, expected


def test_every_value_of_the_record_appears_in_the_readable_account(full: CasebookUnderTest,
                                                                   tmp_path: Path) -> None:
    from rjcli.render.export import scalar

    for record_id in (full.victim, full.child):
        files = exported(full, record_id, tmp_path / record_id)
        account = files[f"{record_id}.md"]

        def leaves(value: Any, key: str = "") -> Iterator[tuple[str, Any]]:
            if isinstance(value, dict):
                for k, v in value.items():
                    yield from leaves(v, k)
            elif isinstance(value, list):
                for v in value:
                    yield from leaves(v, key)
            elif key not in ("id", "question") or value == record_id:
                yield key, value

        for key, value in leaves(json.loads(files[f"{record_id}.json"])):
            for line in scalar(value).splitlines():
                assert line in account, (record_id, key, value)


def test_a_victims_export_says_nothing_about_the_child(full: CasebookUnderTest, tmp_path: Path,
                                                       opened: list[str]) -> None:
    files = exported(full, full.victim, tmp_path / "sar")

    child_file = str(full.path(full.child))
    assert not [p for p in opened if p.endswith(f"{full.child}.yaml") or p == child_file]
    everything = "\n".join(files.values())
    assert full.child not in everything
    for identifier in CHILD_IDENTIFIERS:
        assert identifier not in everything
    record = json.loads(files[f"{full.victim}.json"])
    assert record["children"] == [{"child": "the child", "offence": "criminal damage"}]
    assert record["conferences"][0]["child"] == "the child"
    assert "Talked about the child's order." in record["contacts"][-2]["note"]


def test_several_children_are_child_1_and_child_2(casebook: CasebookUnderTest,
                                                  child_factory: Any, tmp_path: Path) -> None:
    second = child_factory(name="Kit Child")
    result = casebook.run("victim", "new", "--name", "Lee Example", "--child", casebook.child,
                          "--child", second, "--allocated", "2026-03-30", "--consent-contact",
                          "yes", "--json")
    victim = json_of(result)["id"]
    files = exported(casebook, victim, tmp_path / "sar")
    assert [c["child"] for c in json.loads(files[f"{victim}.json"])["children"]] == [
        "child 1", "child 2"]
    assert casebook.child not in files[f"{victim}.md"] and second not in files[f"{victim}.md"]


# --- a child's export ------------------------------------------------------------------------


def test_a_childs_export_shows_victims_only_by_label(full: CasebookUnderTest,
                                                     tmp_path: Path) -> None:
    c = full.child
    files = exported(full, c, tmp_path / "sar")

    assert set(files) == {f"{c}.json", f"{c}.md", f"letters/{c}-child-appointment-2026-04-01.md"}
    everything = "\n".join(files.values())
    assert full.victim not in everything and not re.search(r"\bV-[0-9A-Z]", everything)
    for identifier in VICTIM_IDENTIFIERS + ("White Irish", "female", "C-OTHER9"):
        assert identifier not in everything, identifier
    record = json.loads(files[f"{c}.json"])
    assert record["victims"] == [{"label": "Victim 1"}]
    assert record["co_defendants"] == ["co-defendant 1"]
    assert record["victim_awareness"][0]["note"] == "Session on harm to Victim 1."
    assert record["name"] == CHILD["name"] and "3 February 2010" in files[f"{c}.md"]


@pytest.mark.parametrize("where", ["record", "letter"])
def test_a_childs_export_is_refused_while_a_victims_details_are_in_the_childs_files(
        full: CasebookUnderTest, tmp_path: Path, where: str) -> None:
    c = full.child
    if where == "record":
        full.write(c, full.text(c) + f"notes: rang {VICTIM['phone']}\n")
        line = len(full.text(c).splitlines())
        shown = f"children/{c}.yaml:{line}: a victim's phone number"
    else:
        (full.root / "output" / "letters" / f"{c}-child-appointment-2026-04-01.md").write_text(
            f"Dear Jo,\nYou will meet {VICTIM['name']}.\n", encoding="utf-8")
        shown = f"output/letters/{c}-child-appointment-2026-04-01.md:2: a victim's name"

    result = full.run("export", c, "--out", str(tmp_path / "sar"))

    assert result.exit_code == 6
    assert shown in plain(result.output)
    assert not (tmp_path / "sar").exists()


# --- what the export says, where it writes, what it refuses ---------------------------------


def test_export_says_what_it_wrote_and_what_it_left_out(full: CasebookUnderTest,
                                                        tmp_path: Path) -> None:
    v = full.victim
    change(full, v, contacts=[
        {"id": entry_id(), "at": "2026-04-01 12:00", "method": "letter", "outcome": "sent",
         "file": "../../../../etc/passwd"},
        {"id": entry_id(), "at": "2026-04-01 12:00", "method": "letter", "outcome": "sent",
         "file": f"output/letters/{full.child}-child-appointment-2026-04-01.md"},
        {"id": entry_id(), "at": "2026-04-01 12:00", "method": "letter", "outcome": "sent",
         "file": f"output/letters/{v}-final-2026-04-01.md"}])
    out = tmp_path / "sar"

    result = full.run("export", v, "--out", str(out))

    assert result.exit_code == 0, result.output
    shown = plain(result.output)
    assert f"Exported {v} (3 files):" in shown
    copied = out / "letters" / f"{v}-initial-2026-04-01.md"
    for path in (out / f"{v}.json", out / f"{v}.md", copied):
        assert str(path) in shown
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "not included: passwd: not under output/letters/, so not copied" in shown
    assert f"not included: {v}-final-2026-04-01.md: no longer on this computer" in shown
    assert (f"not included: {full.child}-child-appointment-2026-04-01.md: written for another "
            "record, so not copied") in shown
    assert "Dear Jo" not in "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.md"))
    assert not (out / "letters" / "passwd").exists()
    assert "passwd: not under output/letters/" in (out / f"{v}.md").read_text(encoding="utf-8")


def test_export_as_json_lists_the_files(casebook: CasebookUnderTest, tmp_path: Path) -> None:
    result = casebook.run("export", casebook.victim, "--out", str(tmp_path / "x"), "--json")
    assert json_of(result) == {"record": casebook.victim, "not_copied": [],
                               "written": [str(tmp_path / "x" / f"{casebook.victim}.json"),
                                           str(tmp_path / "x" / f"{casebook.victim}.md")]}


@pytest.mark.parametrize("folder", ["victims", "children", "tombstones", ".rj"])
def test_export_is_never_written_into_the_casebooks_own_folders(casebook: CasebookUnderTest,
                                                                folder: str) -> None:
    before = sorted(p for p in casebook.root.rglob("*"))
    result = casebook.run("export", casebook.victim, "--out", str(casebook.root / folder / "x"))
    assert result.exit_code == 2
    assert f"cannot be written into {folder}/" in plain(result.output)
    assert sorted(p for p in casebook.root.rglob("*")) == before


@pytest.mark.parametrize("typed", ["../../etc/passwd", "V-../x", "C-", "V-0001/../C-0001"])
def test_export_refuses_an_id_that_is_not_an_id(casebook: CasebookUnderTest, tmp_path: Path,
                                                typed: str) -> None:
    result = casebook.run("export", typed, "--out", str(tmp_path / "x"))
    assert result.exit_code == 2 and "is not a record id" in plain(result.output)
    assert not (tmp_path / "x").exists()


# --- rj check: a victim's identifiers wherever they must not be --------------------------------

LEAKS = {
    "name": (f"spoke about {VICTIM['name']} today", "a victim's name"),
    "phone with spaces": ("rang 07700 900001", "a victim's phone number"),
    "phone without spaces": ("rang 07700900001", "a victim's phone number"),
    "phone in +44 form": ("rang +44 7700 900001", "a victim's phone number"),
    "phone without its 0": ("rang 7700900001", "a victim's phone number"),
    "e-mail": (f"wrote to {VICTIM['email']}", "a victim's e-mail address"),
    "postcode": ("lives in EX1 1AA", "a victim's postcode"),
    "ISO date of birth": ("born 1980-05-06", "a victim's date of birth"),
    "dd/mm/yyyy date of birth": ("born 06/05/1980", "a victim's date of birth"),
    "date of birth in words": ("born 6 May 1980", "a victim's date of birth"),
}


def plant(book: CasebookUnderTest, where: str, leak: str) -> tuple[str, int]:
    """Put ``leak`` in a child record, a report or a child letter; (path, line)."""
    if where == "child record":
        text = book.text(book.child) + textwrap.dedent(f"""\
            victim_awareness:
              - id: 01KN7Q0000FFFFFFFFFFFFFFFF
                date: 2026-04-01
                note: {leak}
            """)
        book.write(book.child, text)
        return f"children/{book.child}.yaml", len(text.splitlines())
    if where.startswith("report"):
        rel = ("output/reports/2026-q1/quarterly.md" if where == "report" else
               "output/report-2026-Q1.md")  # where rj report --out-less writes
        text = f"# Quarterly report\n\n| kind | n |\n|---|---|\n| {leak} | 1 |\n"
    else:
        rel = f"output/letters/{book.child}-child-appointment-2026-04-02.md"
        text = f"Dear {CHILD['name']},\n\nYou will meet the victim.\n{leak}\n"
    path = book.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return rel, len(text.splitlines())


def errors_of(book: CasebookUnderTest) -> list[dict[str, Any]]:
    result = book.run("check", "--json")
    return [p for p in json_of(result)["problems"] if p["severity"] == "error"]


@pytest.mark.parametrize("where", ["child record", "report", "report in output/",
                                   "child letter"])
@pytest.mark.parametrize("kind", list(LEAKS))
def test_check_finds_every_kind_of_victim_identifier_on_its_line(
        casebook: CasebookUnderTest, where: str, kind: str) -> None:
    leak, what = LEAKS[kind]
    rel, line = plant(casebook, where, leak)

    problems = errors_of(casebook)

    # (an e-mail address made of the name is both)
    assert {(p["path"], p["line"]) for p in problems} == {(rel, line)}
    assert any(p["message"].startswith(f"{what} ({casebook.victim}) must not appear")
               for p in problems)
    assert f"{rel}:{line}: {what}" in plain(casebook.run("check").output)


def test_check_reads_report_lines_that_look_like_a_childs_own_dates(
        casebook: CasebookUnderTest) -> None:
    # in a child's record "dob:" is the child's own; in a report it may be anyone's
    report = casebook.root / "output" / "reports" / "list.yaml"
    report.parent.mkdir(parents=True)
    report.write_text("- victim: 1\n  dob: 1980-05-06\n", encoding="utf-8")
    assert [(p["path"], p["line"]) for p in errors_of(casebook)] == [
        ("output/reports/list.yaml", 2)]


def _docx(paragraphs: list[str]) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{p.split(' ')[0]}</w:t></w:r><w:r><w:t xml:space="
                   f"\"preserve\"> {' '.join(p.split(' ')[1:])}</w:t></w:r></w:p>"
                   for p in paragraphs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", f"<w:document><w:body>{body}</w:body></w:document>")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "content", "line"), [
    ("C-{child}-final-2026-04-02.docx", _docx(["Dear Jo", "About Ann Example"]), 2),
    ("C-{child}-final-2026-04-02.html",
     b"<html><body>\n<p>Dear Jo</p>\n<p>About <b>Ann</b> Example</p>\n</body></html>\n", 3),
])
def test_check_reads_word_and_html_letters_as_a_reader_sees_them(
        casebook: CasebookUnderTest, name: str, content: bytes, line: int) -> None:
    path = casebook.root / "output" / "letters" / name.format(child=casebook.child[2:])
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    assert [(p["path"], p["line"]) for p in errors_of(casebook)] == [
        (path.relative_to(casebook.root).as_posix(), line)]


def test_check_reads_a_spreadsheet_report_row_by_row(casebook: CasebookUnderTest) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["Quarterly report"], [], ["Line", "Number"], ["Victims counted", 3],
                [f"Contacted: {VICTIM['name']}", 1], ["Phone", 7700900001]):
        sheet.append(row)
    path = casebook.root / "output" / "report-2026-Q1.xlsx"  # where rj report writes it
    path.parent.mkdir(parents=True)
    book.save(path)

    problems = errors_of(casebook)

    assert sorted((p["path"], p["line"], p["message"].split(" (")[0]) for p in problems) == [
        ("output/report-2026-Q1.xlsx", 5, "a victim's name"),
        ("output/report-2026-Q1.xlsx", 6, "a victim's phone number")]


def test_a_victims_own_letter_may_name_the_victim(casebook: CasebookUnderTest) -> None:
    path = casebook.root / "output" / "letters" / f"{casebook.victim}-initial-2026-04-02.md"
    path.parent.mkdir(parents=True)
    path.write_text(f"Dear {VICTIM['name']},\n{VICTIM['postcode']}\n", encoding="utf-8")
    assert errors_of(casebook) == []


def test_a_report_rj_cannot_read_is_reported_as_unchecked(casebook: CasebookUnderTest) -> None:
    path = casebook.root / "output" / "reports" / "q1.xlsx"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x00\x01binary" * 10)
    result = casebook.run("check", "--json")
    assert result.exit_code == 0
    assert [(p["path"], p["severity"], p["message"][:40]) for p in json_of(result)["problems"]] \
        == [("output/reports/q1.xlsx", "warning", "not checked for victim identifiers: not ")]
