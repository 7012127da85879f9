"""Hostile input (issue #8): every command meets broken, malicious or odd files and
arguments with a clear error - naming the file and line where there is one - changes
nothing, and never prints a Python traceback."""

from __future__ import annotations

import functools
import hashlib
import shutil
import textwrap
from pathlib import Path

import pytest

from conftest import UNEXPECTED_EXIT, CasebookUnderTest, invoke, plain

BAD = "V-BAD000"
"""The id (and file name) of the hostile victim record."""
HERE = Path(__file__).resolve().parent.parent

BILLION_LAUGHS = "id: V-BAD000\nlol: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"l{n}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 9)}]\n" for n in range(8))

VALID_BAD = """\
id: V-BAD000
kind: individual
name: Lee Broken
referral:
  allocated: 2026-03-01
  worker: Sam Worker
status_history:
  - id: 01KN7Q0000AAAAAAAAAAAAAAAA
    date: 2026-03-01
    status: open
"""
"""A valid victim record for the file V-BAD000.yaml, made hostile by one value."""

# each: file contents (None: a 50 MB sparse file), the line rj must name (None: no line
# to name), words of the message
RECORDS: dict[str, tuple[str | bytes | None, int | None, str]] = {
    "bad indentation": ("""\
        id: V-BAD000
        kind: individual
        name: Lee Broken
        referral:
          allocated: 2026-03-01
           worker: Sam Worker
        """, 6, "mapping values are not allowed"),
    "tab indentation": ("id: V-BAD000\nkind: individual\nreferral:\n\tallocated: 2026-03-01\n",
                        4, "tab used for indentation"),
    "unclosed quote": ("""\
        id: V-BAD000
        kind: individual
        name: "Lee Broken
        referral:
          allocated: 2026-03-01
        """, 3, "while scanning a quoted scalar"),
    "alias bomb": (BILLION_LAUGHS, 2, "anchors and aliases (&name / *name) are not allowed"),
    "50 MB file": (None, None, "file is 50.0 MB, larger than the 2 MB a record may be"),
    "binary garbage": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, None,
                       "binary data"),
    "not UTF-8": ("id: V-BAD000\nkind: individual\nname: Zo\xeb\n".encode("latin-1"), 3,
                  "not UTF-8 text"),
    "duplicate key": ("id: V-BAD000\nkind: individual\nname: Lee\nname: Lee Again\n", 4,
                      "duplicate key 'name'"),
    "impossible date": ("id: V-BAD000\nkind: individual\nname: Lee\ndob: 2026-02-30\n", 4,
                        "'2026-02-30' is not a real date"),
    "empty file": ("", 1, "not a record (expected a mapping of fields)"),
    "a list, not a record": ("- id: V-BAD000\n- name: Lee\n", 1, "not a record"),
    # values beyond the schemas' limits (issue 15): each is its file's problem alone
    "!!binary": ("id: V-BAD000\nkind: individual\nname: !!binary aGVsbG8=\n", 3,
                 "the tag !!binary is not allowed in a record"),
    "!!set": ("id: V-BAD000\nkind: individual\nname: !!set {a, b}\n", 3,
              "the tag !!set is not allowed in a record"),
    "!!python/object": ("id: V-BAD000\nkind: individual\nname: Lee\n"
                        "needs: !!python/object/apply:os.system [id]\n", 4,
                        "the tag !!python/object/apply:os.system is not allowed"),
    "5,000-digit integer": ("id: V-BAD000\nkind: individual\nname: Lee\nphones:\n  - "
                            + "7" * 5000 + "\n", 5, "is larger than a record may hold"),
    "infinite number": ("id: V-BAD000\nkind: individual\nname: Lee\nneeds: .inf\n", 4,
                        "'.inf' is not a number a record can hold"),
    "allocated in the year 9999": (VALID_BAD.replace("allocated: 2026-03-01",
                                                     "allocated: 9999-12-31"), 5,
                                   "'9999-12-31' is outside the dates rj keeps "
                                   "(1900-01-01 to 2100-12-31)"),
    "a contact in the year 1": (VALID_BAD + "contacts:\n  - id: 01KN7Q0000AAAAAAAAAAAAAAAB\n"
                                "    at: '0001-01-01 10:00'\n    method: phone\n"
                                "    outcome: spoke\n", 13, "'0001-01-01 10:00' is outside"),
    "nested 40 deep": ("id: V-BAD000\nkind: individual\nname: Lee\nneeds: "
                       + "[" * 40 + "]" * 40 + "\n", 4, "nested more than 32 levels deep"),
    "id not matching the file name": ("""\
        id: V-7K3M2Q
        kind: individual
        name: Lee Elsewhere
        referral:
          allocated: 2026-03-01
        status_history:
          - id: 01KN7Q0000AAAAAAAAAAAAAAAA
            date: 2026-03-01
            status: closed
            reason: completed
        """, 1, "id 'V-7K3M2Q' does not match file name V-BAD000"),
}

ONE_RECORD = {
    "show": ["show", BAD],
    "explain": ["explain", BAD],
    "timeline": ["timeline", BAD],
    "contact log": ["contact", "log", BAD, "--method", "phone", "--outcome", "spoke",
                    "--at", "2026-04-02 10:00"],
    "consent": ["consent", BAD, "contact", "yes"],
    "close": ["close", BAD, "--reason", "completed"],
    "reopen": ["reopen", BAD, "--reason", "phoned back"],
    "export": ["export", BAD, "--out", "{tmp}/sar"],
    "purge": ["purge", BAD, "--confirm", "--early", "--reason", "test"],
    "letter": ["letter", "initial", BAD],
    "edit": ["edit", BAD],
}
"""Commands on the hostile record itself: each must fail, naming it."""
EVERY_RECORD = {"list": ["list"], "due": ["due", "--all"], "check": ["check"],
                "retention": ["retention"]}
"""Commands over the whole casebook: each serves the rest, names the file, exits 1."""


def digest(path: Path) -> str:
    if path.stat().st_size > 4 * 1024 * 1024:  # the sparse 50 MB file: size and time will do
        return f"{path.stat().st_size}:{path.stat().st_mtime_ns}"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(root: Path) -> dict[str, str]:
    """Digest of every file of the casebook (the index, a cache, left out)."""
    return {p.relative_to(root).as_posix(): digest(p)
            for p in sorted(root.rglob("*")) if p.is_file() and ".rj" not in p.parts
            and ".git" not in p.parts}


def write_bad(book: CasebookUnderTest, contents: str | bytes | None) -> Path:
    path = book.root / "victims" / f"{BAD}.yaml"
    if contents is None:
        with open(path, "wb") as handle:
            handle.truncate(50 * 1024 * 1024)  # sparse: instant, no disk used
    elif isinstance(contents, bytes):
        path.write_bytes(contents)
    else:
        path.write_text(textwrap.dedent(contents), encoding="utf-8")
    return path


@functools.cache
def has_command(*words: str) -> bool:
    import typer.main

    from rjcli.cli import app

    command = typer.main.get_command(app)
    for word in words:
        command = getattr(command, "commands", {}).get(word)
        if command is None:
            return False
    return True


def commands_here(commands: dict[str, list[str]]) -> dict[str, list[str]]:
    """The commands of ``commands`` this build of rj has (other groups land separately)."""
    return {name: args for name, args in commands.items()
            if has_command(*(args[:2] if args[0] == "letter" else args[:1]))}


@pytest.mark.parametrize("record", list(RECORDS))
def test_a_hostile_record_is_refused_by_name_and_line_and_left_as_it_was(
        casebook: CasebookUnderTest, tmp_path: Path, record: str) -> None:
    contents, line, words = RECORDS[record]
    write_bad(casebook, contents)
    before = snapshot(casebook.root)
    where = f"victims/{BAD}.yaml" + (f":{line}" if line else "")
    wrong = []

    for name, args in commands_here(ONE_RECORD | EVERY_RECORD).items():
        args = [a.replace("{tmp}", str(tmp_path)) for a in args]
        result = casebook.run(*args, env={"EDITOR": "true"})
        shown = plain(result.output)
        # a command on the record fails; one over the casebook serves the rest, exits 1
        expected_exit = result.exit_code == 1 if name in EVERY_RECORD else \
            result.exit_code not in (0, 1, UNEXPECTED_EXIT)
        if not (expected_exit and where in shown and words in shown):
            wrong.append(f"rj {name}: exit {result.exit_code}: {shown}")
        if snapshot(casebook.root) != before:
            wrong.append(f"rj {name} changed the casebook")
    assert not (tmp_path / "sar").exists()
    assert wrong == []


# --- values of the wrong type ----------------------------------------------------------------

WRONG_TYPES = """\
    id: V-BAD000
    kind: individual
    name: [Lee, Broken]
    phones:
      - 7700900001
    referral:
      allocated: 2026-03-01
      worker: Sam Worker
    status_history:
      - id: 01KN7Q0000AAAAAAAAAAAAAAAA
        date: 2026-03-01
        status: open
    """


def test_check_names_each_value_of_the_wrong_type_on_its_line(casebook: CasebookUnderTest
                                                              ) -> None:
    write_bad(casebook, WRONG_TYPES)
    result = casebook.run("check")
    shown = plain(result.output)
    assert result.exit_code == 1
    assert f"victims/{BAD}.yaml:3: name: ['Lee', 'Broken'] is not of type 'string'" in shown
    assert f"victims/{BAD}.yaml:5: phones.0: 7700900001 is not of type 'string'" in shown


@pytest.mark.parametrize("command", ["contact log", "consent", "close"])
def test_a_change_to_a_record_with_wrong_types_names_them_and_changes_nothing(
        casebook: CasebookUnderTest, command: str) -> None:
    path = write_bad(casebook, WRONG_TYPES)
    before = path.read_bytes()

    result = casebook.run(*ONE_RECORD[command])

    shown = plain(result.output)
    assert result.exit_code == 5, shown
    assert f"{BAD} is not valid as it is: victims/{BAD}.yaml:3: name: " in shown
    assert f"victims/{BAD}.yaml:5: phones.0: 7700900001 is not of type 'string'" in shown
    assert "nothing was changed" in shown
    assert path.read_bytes() == before


@pytest.mark.parametrize("command", ["show", "list", "due", "explain", "timeline", "export"])
def test_reading_a_record_with_wrong_types_never_stops_on_them(
        casebook: CasebookUnderTest, tmp_path: Path, command: str) -> None:
    write_bad(casebook, WRONG_TYPES)
    args = {"show": ["show", BAD], "list": ["list"], "due": ["due", "--all"],
            "explain": ["explain", BAD], "timeline": ["timeline", BAD],
            "export": ["export", BAD, "--out", str(tmp_path / "sar")]}[command]
    result = casebook.run(*args)
    assert result.exit_code == 0, result.output


def test_show_never_prints_none_for_a_missing_worker(casebook: CasebookUnderTest) -> None:
    write_bad(casebook, textwrap.dedent(WRONG_TYPES).replace("  worker: Sam Worker\n", ""))
    shown = casebook.run("show", BAD)
    assert shown.exit_code == 0 and "Allocated: 1 March 2026" in shown.output
    assert "None" not in shown.output


# --- ids that try to be paths ------------------------------------------------------------------

PATH_IDS = ["../../etc/passwd", "V-../x", "V-../../rj", "/etc/passwd", "C-..", "V-0001/..",
            "V-\x00", "V-0001\n../x", "~root"]


@pytest.mark.parametrize("typed", PATH_IDS)
def test_an_id_that_is_a_path_is_refused_before_anything_is_read(
        casebook: CasebookUnderTest, tmp_path: Path, typed: str) -> None:
    before = snapshot(casebook.root)
    wrong = []

    for name, args in commands_here(ONE_RECORD).items():
        args = [typed if a == BAD else a.replace("{tmp}", str(tmp_path)) for a in args]
        result = casebook.run(*args, env={"EDITOR": "true"})
        if result.exit_code != 2 or "is not a record id" not in plain(result.output):
            wrong.append(f"rj {name}: exit {result.exit_code}: {plain(result.output)}")

    assert wrong == []
    assert snapshot(casebook.root) == before


# --- a letter template that reaches for Python's internals ----------------------------------------


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of the sample casebook, whose V-0001 can have its initial letter written."""
    root = tmp_path / "sample"
    shutil.copytree(HERE / "sample-casebook", root)
    return root


@pytest.mark.parametrize("template", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    "{{ self._TemplateReference__context }}",
    "{{ 'x' * 10**9 }}",
])
def test_a_template_reaching_for_python_internals_fails_cleanly(sample: Path,
                                                                template: str) -> None:
    if not has_command("letter", "initial"):
        pytest.skip("rj letter is not here yet")
    args = ("letter", "initial", "V-0001")
    control = invoke(*args, "--draft", casebook=sample, today="2026-06-15")
    assert control.exit_code == 0, control.output  # the shipped template writes it
    shutil.rmtree(sample / "output")
    (sample / "templates").mkdir()
    (sample / "templates" / "initial.md.j2").write_text(template + "\n", encoding="utf-8")
    before = snapshot(sample)

    result = invoke(*args, casebook=sample, today="2026-06-15")

    assert result.exit_code not in (0, UNEXPECTED_EXIT), result.output
    assert "<class" not in result.output and "uid=" not in result.output
    assert snapshot(sample) == before  # no letter written, nothing logged


# --- rj.yaml ------------------------------------------------------------------------------------


def test_an_unknown_field_in_a_policy_rule_is_named(casebook: CasebookUnderTest) -> None:
    config = casebook.root / "rj.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("policy:\n", "policy:\n  rules: {first-contact: {offest: 3}}\n",
                                   1), encoding="utf-8")
    line = config.read_text(encoding="utf-8").splitlines().index(
        "  rules: {first-contact: {offest: 3}}") + 1

    due = casebook.run("due")
    checked = casebook.run("check")

    for result in (due, checked):
        shown = plain(result.output)
        assert result.exit_code not in (0, UNEXPECTED_EXIT), shown
        assert "policy.rules.first-contact: unknown field ('offest' was unexpected)" in shown
    assert f"rj.yaml:{line}: policy.rules.first-contact" in plain(checked.output)


RJ_YAML = {
    "alias bomb": (BILLION_LAUGHS.replace("id: V-BAD000\n", "service: {name: X}\n"), 2,
                   "anchors and aliases"),
    "binary garbage": (b"\x00\x01\x02" * 100, None, "binary data"),
    "50 MB file": (None, None, "file is 50.0 MB"),
    "tab indentation": ("service:\n\tname: X\n", 2, "tab used for indentation"),
    "duplicate key": ("service: {name: X}\nservice: {name: Y}\n", 2, "duplicate key 'service'"),
    # values beyond the limits (issue 15): 100,000 years took a retention date past 9999
    "retention of 100,000 years": ("service: {name: X}\nretention: {victim: 100000}\n", None,
                                   "retention.victim: 100000"),
    "retention of the wrong type": ("service: {name: X}\nretention: {victim: [1]}\n", None,
                                    "retention.victim: [1]"),
    "a date in the year 9999": ("service: {name: X}\ncalendar: {closures: [9999-12-31]}\n", 2,
                                "'9999-12-31' is outside the dates rj keeps"),
}


@pytest.mark.parametrize("variant", list(RJ_YAML))
def test_a_hostile_rj_yaml_stops_every_command_with_its_line(casebook: CasebookUnderTest,
                                                             variant: str) -> None:
    contents, line, words = RJ_YAML[variant]
    config = casebook.root / "rj.yaml"
    if contents is None:
        with open(config, "wb") as handle:
            handle.truncate(50 * 1024 * 1024)
    elif isinstance(contents, bytes):
        config.write_bytes(contents)
    else:
        config.write_text(contents, encoding="utf-8")
    before = snapshot(casebook.root)
    where = "rj.yaml" + (f":{line}" if line else "")

    for args in (["due"], ["retention"], ["staff", "add", "Bo Worker", "--role", "rj-worker"],
                 ONE_RECORD["contact log"][:1] + ["log", casebook.victim] +
                 ONE_RECORD["contact log"][3:]):
        result = casebook.run(*args)
        shown = plain(result.output)
        assert result.exit_code not in (0, UNEXPECTED_EXIT), (args, shown)
        if args[0] != "contact":
            assert where in shown and words in shown, (args, shown)
    checked = casebook.run("check")
    assert checked.exit_code == 1, checked.output
    assert f"{where}" in plain(checked.output) and words in plain(checked.output)
    assert snapshot(casebook.root) == before


def test_check_lists_a_broken_rj_yaml_with_the_records_problems(casebook: CasebookUnderTest
                                                                ) -> None:
    config = casebook.root / "rj.yaml"
    config.write_text("service:\n\tname: X\n", encoding="utf-8")
    write_bad(casebook, RECORDS["duplicate key"][0])

    result = casebook.run("check")

    shown = plain(result.output)
    assert result.exit_code == 1, shown
    assert "rj.yaml:2:1: tab used for indentation" in shown
    assert f"victims/{BAD}.yaml:4:1: duplicate key 'name'" in shown


@pytest.mark.parametrize("contents", ["", "- a\n- b\n"])
def test_staff_add_to_an_rj_yaml_that_is_not_a_mapping_changes_nothing(
        casebook: CasebookUnderTest, contents: str) -> None:
    config = casebook.root / "rj.yaml"
    config.write_text(contents, encoding="utf-8")
    result = casebook.run("staff", "add", "Bo Worker", "--role", "rj-worker")
    assert result.exit_code == 5, result.output
    assert "rj.yaml" in plain(result.output) and "nothing was changed" in plain(result.output)
    assert config.read_text(encoding="utf-8") == contents


# --- an empty casebook ---------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "says"), [
    (["due"], "Nothing due."),
    (["due", "--all"], "Nothing due."),
    (["list"], "0 records"),
    (["check"], "casebook OK"),
    (["retention"], "No record is past its retention date."),
    (["report", "quarterly"], ""),
])
def test_an_empty_casebook_works_and_says_there_is_nothing(tmp_path: Path, args: list[str],
                                                           says: str) -> None:
    if not has_command(*(a for a in args if not a.startswith("-"))):
        pytest.skip(f"rj {' '.join(args)} is not here yet")
    root = tmp_path / "empty"
    made = invoke("init", str(root), "--service", "Exampletown YJS", "--no-autocommit",
                  worker=None)
    assert made.exit_code == 0, made.output

    result = invoke(*args, casebook=root)

    assert result.exit_code == 0, result.output
    assert says in plain(result.output)
    if args[0] == "report":
        assert any(w in plain(result.output).lower() for w in ("no ", "nothing", " 0 ")), \
            result.output


# --- dates typed beyond the limits (issue 15) ----------------------------------------------------

LIMITS = "is outside the dates rj keeps (1900-01-01 to 2100-12-31)"


@pytest.mark.parametrize("today, env", [("9999-12-31", {}), ("0001-01-01", {}),
                                        (None, {"RJ_TODAY": "2101-01-01"}),
                                        (None, {"RJ_TODAY": "1899-12-31"})])
def test_a_today_beyond_the_limits_is_refused_with_the_limits(
        casebook: CasebookUnderTest, today: str | None, env: dict[str, str]) -> None:
    typed = today or env["RJ_TODAY"]
    for args in (["due", "--all"], ["report", "caseload"], ["list"]):
        result = casebook.run(*args, today=today, env=env)
        shown = plain(result.output)
        assert result.exit_code == 2, shown
        assert f"--today (or RJ_TODAY) '{typed}' {LIMITS}" in shown


def test_a_date_typed_beyond_the_limits_is_refused_and_nothing_is_written(
        casebook: CasebookUnderTest) -> None:
    from test_restorative import held_conference

    held_conference(casebook)
    before = snapshot(casebook.root)
    v = casebook.victim
    typed = {
        "--due": ["agreement", "add", v, "--action", "Apologise", "--who", "child",
                  "--due", "9999-12-31"],
        "--allocated": ["victim", "new", "--name", "Lee Far", "--child", casebook.child,
                        "--consent-contact", "yes", "--allocated", "0001-01-01"],
        "--at": ["contact", "log", v, "--method", "phone", "--outcome", "spoke",
                 "--at", "9999-12-31 10:00"],
        "--date": ["consent", v, "contact", "yes", "--date", "1899-12-31"],
    }
    for option, args in typed.items():
        result = casebook.run(*args)
        shown = plain(result.output)
        assert result.exit_code == 2, (option, shown)
        assert f"{option} '{args[-1]}' {LIMITS}" in shown, shown
    assert snapshot(casebook.root) == before
    for args in (["due", "--all"], ["due", "--all", "--ics", str(casebook.root / "d.ics")],
                 ["report", "caseload"], ["check"]):
        assert casebook.run(*args).exit_code == 0


def test_a_change_holding_a_value_beyond_the_limits_is_refused_with_its_line(
        casebook: CasebookUnderTest) -> None:
    before = casebook.text(casebook.victim)
    result = casebook.run("contact", "log", casebook.victim, "--method", "phone",
                          "--outcome", "spoke", "--note", "x" * 100_001)
    shown = plain(result.output)
    assert result.exit_code == 6, shown  # ChangeRefused
    assert "the change would make the record invalid: line " in shown
    assert "a value of 100,001 characters, longer than the 100,000 a record may hold" in shown
    assert casebook.text(casebook.victim) == before


@pytest.mark.parametrize("args", [["report", "quarterly", "--quarter", "9999-Q4"],
                                  ["report", "six-monthly", "--half", "1899-H2"]])
def test_a_report_period_beyond_the_limits_is_refused(casebook: CasebookUnderTest,
                                                      args: list[str]) -> None:
    result = casebook.run(*args)
    shown = plain(result.output)
    assert result.exit_code == 2, shown
    assert f"'{args[-1]}' is not a" in shown and "from 1900 to 2099" in shown


def test_check_names_a_number_beyond_its_fields_limit_on_its_line(
        casebook: CasebookUnderTest) -> None:
    path = casebook.path(casebook.child)
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "sentence_months: 100000\n", encoding="utf-8")
    line = text.count("\n") + 1
    result = casebook.run("check")
    shown = plain(result.output)
    assert result.exit_code == 1, shown
    assert (f"children/{casebook.child}.yaml:{line}: sentence_months: 100000 is greater than "
            "the maximum of 1200") in shown
    assert casebook.run("due", "--all").exit_code == 0  # the record is still served


def test_export_of_a_record_whose_contacts_are_a_date_writes_the_rest(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    write_bad(casebook, VALID_BAD + "contacts: 2026-04-01\n")
    result = casebook.run("export", BAD, "--out", str(tmp_path / "sar"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "sar" / f"{BAD}.json").is_file()


def test_check_of_a_child_file_with_a_300000_character_line_finishes(
        casebook: CasebookUnderTest) -> None:
    # the privacy check's e-mail pattern took minutes over a long line with no @ in it
    import subprocess
    import sys

    path = casebook.path(casebook.child)
    path.write_text(casebook.text(casebook.child) + "note: " + "x" * 300_000 + "\n",
                    encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "rjcli", "--casebook", str(casebook.root),
                           "--today", "2026-04-02", "check"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"children/{casebook.child}.yaml" in done.stdout
    assert "longer than the 100,000 a record may hold" in plain(done.stdout)


def test_check_of_an_entry_whose_id_is_a_mapping_names_it(casebook: CasebookUnderTest) -> None:
    write_bad(casebook, VALID_BAD + "consents:\n  - id: {}\n    kind: contact\n    answer: yes\n")
    result = casebook.run("check")
    shown = plain(result.output)
    assert result.exit_code == 1, shown
    assert f"victims/{BAD}.yaml:12: consents.0.id: {{}} is not of type 'string'" in shown
