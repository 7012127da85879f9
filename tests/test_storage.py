"""The storage layer's guarantees: round trips, the two readers, atomic writes,
private files, ids and autocommit (issue #2)."""

from __future__ import annotations

import difflib
import errno
import os
import stat
import subprocess
import zlib
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import VICTIM, CasebookUnderTest, plain
from rjcli.core import ids, limits
from rjcli.errors import BadInput, LockTimeout
from rjcli.storage import atomic, edits, yamlio
from rjcli.storage.casebook import Casebook


def typed(value: Any) -> Any:
    """A value with its kind spelled out, so that True != 1 and '1' != 1 compare."""
    if isinstance(value, dict):
        return {typed(k): typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return ("int", int(value))
    if isinstance(value, float):
        return ("float", float(value))
    if isinstance(value, datetime):
        return ("datetime", value.replace(tzinfo=None).isoformat(), value.utcoffset())
    if isinstance(value, date):
        return ("date", value.isoformat())
    if isinstance(value, str):
        return ("str", str(value))
    assert value is None, f"unexpected type {type(value)}"
    return ("null",)


def removed_lines(old: str, new: str) -> list[str]:
    """Lines a ``git diff`` would show as removed or changed going from old to new."""
    diff = difflib.ndiff(old.splitlines(keepends=True), new.splitlines(keepends=True))
    return [line for line in diff if line.startswith("- ")]


def added_lines(old: str, new: str) -> list[str]:
    diff = difflib.ndiff(old.splitlines(keepends=True), new.splitlines(keepends=True))
    return [line[2:] for line in diff if line.startswith("+ ")]


# --- round trip: a change keeps everything it does not own ----------------------------

HAND_WRITTEN = """\
# Ann's record, typed by hand at the allocation meeting: keep this comment
id: {vid}
kind: individual
name: "O'Example, Ann"     # quoted on purpose: there is a comma
phones: ['07700900123']    # flow style, leading zero kept by the quotes
local_ref: X               # a field rj does not know yet
children:
  - child: {cid}
    offence: criminal damage
referral:
  allocated: 2026-03-30    # from the allocation meeting
  worker: Sam Worker
consents:
  - id: 01KN7Q0000AAAAAAAAAAAAAAAA
    kind: contact
    answer: 'yes'
    date: 2026-03-30
status_history:
  - id: 01KN7Q0000BBBBBBBBBBBBBBBB
    date: 2026-03-30
    status: open
contacts:
  - id: 01KN7Q0000CCCCCCCCCCCCCCCC
    at: '2026-03-31 09:30'
    method: letter
    outcome: sent
    letter: initial
    note: |
      Letter sent:
        "initial" letter, 2nd class.
# kept at the end
"""


def test_contact_log_on_a_hand_written_record_only_adds_lines(casebook: CasebookUnderTest) -> None:
    vid = "V-HAND01"
    original = HAND_WRITTEN.format(vid=vid, cid=casebook.child)
    casebook.write(vid, original)

    result = casebook.run("contact", "log", vid, "--method", "phone", "--outcome", "spoke",
                          "--at", "2026-04-01 10:00", "--note", "Said: \"fine\"\nCall back Monday")
    assert result.exit_code == 0, result.output

    after = casebook.text(vid)
    assert removed_lines(original, after) == []
    added = "".join(added_lines(original, after))
    assert "method: phone" in added and "Call back Monday" in added
    data = casebook.data(vid)
    assert data["local_ref"] == "X"
    assert data["phones"] == ["07700900123"]
    assert data["name"] == "O'Example, Ann"
    assert data["contacts"][-1]["note"] == 'Said: "fine"\nCall back Monday'


def test_appending_to_a_record_without_the_list_only_adds_lines(
        casebook: CasebookUnderTest) -> None:
    original = casebook.text(casebook.victim)
    assert "contacts" not in casebook.data(casebook.victim)  # rj writes no empty list

    result = casebook.run("contact", "log", casebook.victim, "--method", "visit",
                          "--outcome", "kept", "--at", "2026-04-02 11:00")
    assert result.exit_code == 0, result.output

    after = casebook.text(casebook.victim)
    assert removed_lines(original, after) == []
    assert after.startswith(original)


def test_a_record_with_windows_line_ends_keeps_them(casebook: CasebookUnderTest) -> None:
    vid = "V-HAND02"
    original = HAND_WRITTEN.format(vid=vid, cid=casebook.child).replace("\n", "\r\n")
    casebook.path(vid).write_bytes(original.encode())

    result = casebook.run("contact", "log", vid, "--method", "phone", "--outcome", "spoke",
                          "--at", "2026-04-01 10:00")
    assert result.exit_code == 0, result.output
    assert removed_lines(original, casebook.path(vid).read_bytes().decode()) == []


def test_an_unchanged_hand_written_record_saves_byte_identical(casebook: CasebookUnderTest) -> None:
    original = HAND_WRITTEN.format(vid="V-HAND03", cid=casebook.child)
    assert yamlio.load_document(original).dump() == original


# records as rj writes them, with awkward but realistic values

CROCKFORD_ID = st.from_regex(r"V-[0-9A-HJKMNP-TV-Z]{6}", fullmatch=True)
NAMES = st.text(st.characters(categories=("L", "Zs"), include_characters="'-.,\"",
                              max_codepoint=0x2FFF), min_size=1, max_size=30)
PHONES = st.one_of(st.from_regex(r"0[1-9][0-9]{9}", fullmatch=True),
                   st.from_regex(r"07700 900[0-9]{3}", fullmatch=True),
                   st.from_regex(r"\+44 ?7700 ?900[0-9]{3}", fullmatch=True))
# anything a person may type or paste, except NEL (see the xfail test below)
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",),
                             exclude_characters="\x85"), max_size=60)
TRICKY = st.sampled_from([
    "yes", "no", "on", "off", "y", "n", "true", "null", "~", "", " ", "0777", "07432945841",
    "1:20", "1e3", ".5e3", "+.5e3", "1_000", "0b101", "0x1F", "0o17", "-.inf", ".nan",
    "2026-04-02", "2026-04-02 10:00", "2026-4-2 10:00:00", "2026-02-30", "- x", "a: b",
    "# not a comment", "'quoted'", '"dq"', "&anchor", "*alias", "!tag", "%YAML", "@x", "`x",
    "x #y", "{a: 1}", "[1, 2]", "|", ">", "?", "=", "<<", "line\nbreak", "tab\there",
    "trailing ", " leading", "Zoë Ó Dúnlaing", "名前", "😀",
])
MOMENTS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2030, 12, 31)).map(
    lambda d: d.strftime("%Y-%m-%d %H:%M"))
CONTACT = st.fixed_dictionaries(
    {"id": st.from_regex(r"[0-9A-HJKMNP-TV-Z]{26}", fullmatch=True), "at": MOMENTS,
     "method": st.sampled_from(["phone", "letter", "visit"]),
     "outcome": st.sampled_from(["spoke", "sent", "no-answer"])},
    optional={"note": st.one_of(TEXT, TRICKY), "hours": st.sampled_from([0.5, 1.5, 2, 10])})
RECORDS = st.fixed_dictionaries(
    {"id": CROCKFORD_ID, "kind": st.just("individual"), "name": st.one_of(NAMES, TRICKY)},
    optional={
        "dob": st.dates(min_value=date(1920, 1, 1), max_value=date(2026, 4, 2)),
        "phones": st.lists(PHONES, max_size=3),
        "email": st.from_regex(r"[a-z0-9.]{1,10}@example\.(org|com)", fullmatch=True),
        "address": st.fixed_dictionaries({"lines": st.lists(st.one_of(NAMES, TRICKY), max_size=3),
                                          "postcode": st.from_regex(r"EX[0-9] [0-9][A-Z]{2}",
                                                                    fullmatch=True)}),
        "needs": st.one_of(TEXT, TRICKY),
        "local_ref": st.one_of(TEXT, TRICKY, st.integers(-limits.MAX_INT, limits.MAX_INT), st.booleans(), st.none()),
        "contacts": st.lists(CONTACT, min_size=1, max_size=3),  # rj writes no empty list
    },
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(RECORDS)
def test_a_record_rj_wrote_loads_and_saves_byte_identical(record: dict[str, Any]) -> None:
    text = yamlio.dump_new(record)
    document = yamlio.load_document(text)

    assert document.dump() == text
    # the fast reader (listings) and ruamel (changes) read the same values, and
    # they are the values that were written
    assert typed(yamlio.parse_text(text)) == typed(record)
    assert typed(document.tree) == typed(record)


# notes as `rj contact log` appends them (multi-line text as a literal block)
NOTES = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"),
                              include_characters="\n\t"), max_size=60)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(RECORDS, NOTES)
def test_an_appended_entry_only_adds_lines_and_reads_back(record: dict[str, Any],
                                                           note: str) -> None:
    text = yamlio.dump_new(record)
    document = yamlio.load_document(text)
    edits.append(document.tree, "contacts", {"id": "01KN7Q0000DDDDDDDDDDDDDDDD",
                                             "at": "2026-04-02 10:00", "note": note})
    after = document.dump()

    assert removed_lines(text, after) == []
    saved = yamlio.parse_text(after)["contacts"][-1]["note"]
    assert saved == (note.rstrip("\n") if "\n" in note else note)
    assert yamlio.load_document(after).dump() == after


def test_a_value_with_nel_reads_back_unchanged() -> None:
    text = yamlio.dump_new({"note": "a\x85b"})
    assert yamlio.parse_text(text) == {"note": "a\x85b"}


# the two readers agree on what a person types by hand

AGREED = [
    "yes", "no", "Yes", "NO", "on", "off", "0777", "07432945841", "1:20", "1e3", "1.5E+3",
    "null", "~", "Null", "", "true", "False", "2026-04-02", "2026-04-02 10:00",
    "2026-04-02 10:00:00", "2026-4-2 10:00:00", "0o17", "0x1F", ".5e3", "+.5e3",
    "0.", "+12", "-0", "07700 900001", "V-7K3M2Q", "Ann O'Example", "a:b", "x #y",
]


@pytest.mark.parametrize("scalar", AGREED)
def test_both_readers_read_a_hand_written_value_the_same(scalar: str) -> None:
    text = f"value: {scalar}\n"
    fast = yamlio.parse_text(text)["value"]
    round_trip = yamlio.load_document(text).tree["value"]
    assert typed(fast) == typed(round_trip)


@pytest.mark.parametrize("scalar", ["-.inf", ".inf", ".nan", "1e400"])
def test_the_fast_reader_refuses_a_number_json_cannot_hold(scalar: str) -> None:
    # infinities and not-a-number are no record's value (issue 15): the reader names the line
    with pytest.raises(yamlio.YamlProblem, match="is not a number a record can hold") as caught:
        yamlio.parse_text(f"id: V-0001\nvalue: {scalar}\n")
    assert caught.value.line == 2


@pytest.mark.parametrize("scalar", ["1_000", "0b101", "+0x1F", "-0o17"])
def test_both_readers_read_underscored_and_signed_numbers_the_same(scalar: str) -> None:
    text = f"value: {scalar}\n"
    assert typed(yamlio.parse_text(text)["value"]) == typed(
        yamlio.load_document(text).tree["value"])


@pytest.mark.parametrize("value", [
    ".5e3", "+.5e3", "-.5E3", "07432945841", "0777", "yes", "null", "~", "1:20", "1e3",
    "2026-04-02", "true", "1_000", "0b1", "0x1F", "  ", "- x", "#x",
])
def test_text_rj_writes_reads_back_as_the_same_text(value: str) -> None:
    text = yamlio.dump_new({"note": value})
    assert typed(yamlio.parse_text(text)) == typed({"note": value}), text


def test_the_fast_reader_uses_libyaml_when_installed() -> None:
    # listings and rj check read every file: the C parser is what makes that fast
    if not yaml.__with_libyaml__:
        pytest.skip("PyYAML built without libyaml")
    from yaml.cyaml import CParser

    assert issubclass(yamlio.RecordLoader, CParser)


@pytest.mark.parametrize(("text", "line"), [
    ("id: V-1\nname: \"Ann\nkind: individual\nneeds: none\n", 2),
    ("id: V-1\nphones: ['0770,\nkind: individual\n", 2),
    ("id: V-1\nphones: [07700 900001,\nkind: individual\n", 2),
    ("id: V-1\nreferral:\n  allocated: 2026-03-01\n   worker: Sam\n", 4),
    ("id: V-1\nname: Ann\nname: Bob\n", 3),
    ("id: V-1\ndob: 2026-02-30\n", 2),
    ("id: V-1\nreferral:\n\tworker: Sam\n", 3),
])
def test_a_parse_problem_names_a_line_of_the_file(text: str, line: int) -> None:
    with pytest.raises(yamlio.YamlProblem) as caught:
        yamlio.parse_text(text)
    assert caught.value.line == line
    assert caught.value.line <= len(text.splitlines())


# --- atomic writes and private files ------------------------------------------------


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_victim_files_are_owner_only_whatever_the_umask(casebook: CasebookUnderTest,
                                                        victim_factory: Any) -> None:
    assert mode_of(casebook.path(casebook.victim)) == 0o600
    old = os.umask(0)
    try:
        victim_id = victim_factory("Lee Example")
        assert mode_of(casebook.path(victim_id)) == 0o600
        result = casebook.run("contact", "log", victim_id, "--method", "phone",
                              "--outcome", "spoke", "--at", "2026-04-02 09:00")
        assert result.exit_code == 0, result.output
    finally:
        os.umask(old)
    assert mode_of(casebook.path(victim_id)) == 0o600


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def _raise_enospc(*_args: Any, **_kwargs: Any) -> Any:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class _FullDisk:
    """A file object whose writes fail as on a full disk."""

    def __init__(self, real: Any) -> None:
        self.real = real

    def write(self, _text: str) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.real.close()


def _full_disk_fdopen(monkeypatch: pytest.MonkeyPatch) -> None:
    real_fdopen = os.fdopen
    monkeypatch.setattr(atomic.os, "fdopen", lambda *a, **k: _FullDisk(real_fdopen(*a, **k)))


@pytest.mark.parametrize("failure", ["replace", "fsync", "full disk"])
def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str) -> None:
    target = tmp_path / "V-7K3M2Q.yaml"
    target.write_text("id: V-7K3M2Q\nname: old\n", encoding="utf-8")
    if failure == "full disk":
        _full_disk_fdopen(monkeypatch)
    else:
        monkeypatch.setattr(atomic.os, failure, _raise_enospc)

    with pytest.raises(OSError):
        atomic.atomic_write(target, "id: V-7K3M2Q\nname: new\n", private=True)

    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "id: V-7K3M2Q\nname: old\n"
    assert leftovers(tmp_path) == []


def test_contact_log_on_a_full_disk_changes_nothing(casebook: CasebookUnderTest,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    before = casebook.path(casebook.victim).read_bytes()
    _full_disk_fdopen(monkeypatch)

    result = casebook.run("contact", "log", casebook.victim, "--method", "phone",
                          "--outcome", "spoke", "--at", "2026-04-02 09:00",
                          allow_unexpected=True)

    monkeypatch.undo()
    assert result.exit_code != 0
    assert "No space left on device" in plain(result.output)
    assert casebook.path(casebook.victim).read_bytes() == before
    assert leftovers(casebook.root / "victims") == []


def test_a_temp_file_left_by_a_crash_is_invisible_to_readers(casebook: CasebookUnderTest) -> None:
    # a kill between write and rename leaves .<name>.<pid>.tmp, half written
    stray = casebook.root / "victims" / f".{casebook.victim}.yaml.4242.tmp"
    stray.write_text("id: V-ZZZZZZ\nname: \"half", encoding="utf-8")

    listed = casebook.run("list", "--json")
    assert listed.exit_code == 0, listed.output
    assert "V-ZZZZZZ" not in listed.output
    checked = casebook.run("check")
    assert checked.exit_code == 0, checked.output
    shown = casebook.run("show", casebook.victim, "--json")
    assert shown.exit_code == 0 and VICTIM["name"] in shown.output


def test_a_record_being_changed_is_locked(tmp_path: Path) -> None:
    lock = tmp_path / "locks" / "V-7K3M2Q.lock"
    with atomic.locked(lock, "V-7K3M2Q"), pytest.raises(LockTimeout) as caught, \
            atomic.locked(lock, "V-7K3M2Q", wait=0.05):
        pass
    assert "V-7K3M2Q is being changed by another rj command" in caught.value.message
    with atomic.locked(lock, "V-7K3M2Q", wait=0.05):  # released: free again
        pass


def _readable_by_others(root: Path) -> list[Path]:
    """Files under root that another local user could open (folders searchable, file readable)."""
    found = []
    for path in root.rglob("*"):
        if not path.is_file() or not mode_of(path) & 0o004:
            continue
        rel = path.relative_to(root)
        folders = [root / Path(*rel.parts[:i]) for i in range(len(rel.parts))]
        if all(mode_of(folder) & 0o001 for folder in folders):
            found.append(path)
    return found


def test_other_users_cannot_read_a_victims_details_anywhere_in_the_casebook(
        committed_casebook: CasebookUnderTest) -> None:
    book = committed_casebook
    leaks = []
    for path in _readable_by_others(book.root):
        raw = path.read_bytes()
        if ".git/objects/" in path.as_posix():
            try:
                raw = zlib.decompress(raw)
            except zlib.error:
                continue
        if VICTIM["name"].encode() in raw or VICTIM["phone"].encode() in raw:
            leaks.append(path.relative_to(book.root).as_posix())
    assert leaks == []


# --- ids -------------------------------------------------------------------------------


def test_record_ids_are_a_letter_and_six_crockford_characters() -> None:
    for kind, letter in (("victim", "V"), ("child", "C")):
        for seed in (b"\x00" * 4, b"\xff" * 4, os.urandom(4), os.urandom(4)):
            record_id = ids.new_record_id(kind, seed)
            assert record_id[:2] == f"{letter}-" and len(record_id) == 8
            assert set(record_id[2:]) <= set(ids.CROCKFORD)
            assert not set(record_id[2:]) & set("ILOU")
            assert ids.is_record_id(record_id)


@pytest.mark.parametrize("typed_id", [
    "../rj", "V-7K3M2Q/../../rj", "V-7K3/M2Q", "/etc/passwd", "V-7K3M2Q.yaml", "V-..",
    "V-7K3M2Q\n", "V-7K3M2Q\x00", "X-7K3M2Q", "V-7K3M2O", "V_7K3M2Q", "", "V-",
])
def test_a_malformed_id_is_not_a_record_id(typed_id: str) -> None:
    assert not ids.is_record_id(typed_id)


def test_a_path_is_never_built_from_a_malformed_id(tmp_path: Path) -> None:
    from rjcli.errors import BadInput

    book = Casebook(tmp_path)
    for bad in ("../rj", "V-7K3M2Q\n", "v-7k3m2q"):
        with pytest.raises(BadInput):
            book.path_for(bad)


def test_typed_ids_are_normalised() -> None:
    assert ids.normalise_record_id(" v-7k3m2q ") == "V-7K3M2Q"
    assert ids.normalise_record_id("c-4hx9td\n") == "C-4HX9TD"
    assert ids.normalise_record_id("../v-7k3m2q") is None


def test_entry_ids_are_26_characters_and_sort_by_time() -> None:
    first = ids.new_entry_id(1_775_000_000_000, os.urandom(10))
    later = ids.new_entry_id(1_775_000_000_001, b"\x00" * 10)
    assert ids.ENTRY_ID_RE.match(first) and len(first) == 26
    assert first < later


# --- autocommit --------------------------------------------------------------------------


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True,
                           check=True).stdout


PERSONAL = [VICTIM["name"], "Ann", "Example", VICTIM["phone"], "900001", VICTIM["email"],
            VICTIM["postcode"], VICTIM["dob"], "Jo Child"]


def test_each_change_is_one_commit_naming_action_and_id_without_personal_data(
        committed_casebook: CasebookUnderTest) -> None:
    book = committed_casebook
    vid = book.victim
    commands = [
        (("contact", "log", vid, "--method", "phone", "--outcome", "spoke", "--at",
          "2026-04-02 10:00", "--note", "Ann Example said 07700 900001 is best"), "contact"),
        (("consent", vid, "rj-participation", "yes", "--source", "phone call"), "consent"),
        (("close", vid, "--reason", "completed"), "close"),
        (("reopen", vid, "--reason", "Ann Example phoned back"), "reopen"),
        (("consent", book.child, "rj-participation", "yes"), "consent"),
    ]
    for args, action in commands:
        before = int(git(book.root, "rev-list", "--count", "HEAD"))
        result = book.run(*args)
        assert result.exit_code == 0, result.output
        assert int(git(book.root, "rev-list", "--count", "HEAD")) == before + 1
        message = git(book.root, "log", "-1", "--format=%B")
        record_id = args[1] if args[0] != "contact" else args[2]
        assert record_id in message and action in message
        changed = git(book.root, "show", "--name-only", "--format=", "HEAD").split()
        assert changed == [f"{'victims' if record_id[0] == 'V' else 'children'}/{record_id}.yaml"]
        status = git(book.root, "status", "--porcelain", "--", "victims", "children")
        assert [line for line in status.splitlines() if line.endswith(".yaml")] == []

    messages = git(book.root, "log", "--format=%B")
    for word in PERSONAL:
        assert word not in messages


def test_a_command_that_changes_nothing_makes_no_commit(
        committed_casebook: CasebookUnderTest) -> None:
    book = committed_casebook
    before = git(book.root, "rev-parse", "HEAD")
    result = book.run("staff", "add", "Sam Worker", "--role", "rj-worker", "--phone",
                      "01632 960101")
    assert result.exit_code == 0, result.output
    assert git(book.root, "rev-parse", "HEAD") == before


def test_victim_new_is_one_commit_with_the_childs_link(
        committed_casebook: CasebookUnderTest) -> None:
    book = committed_casebook
    before = int(git(book.root, "rev-list", "--count", "HEAD"))
    result = book.run("victim", "new", "--name", "Lee Example", "--child", book.child,
                      "--consent-contact", "yes", "--json")
    assert result.exit_code == 0, result.output
    assert int(git(book.root, "rev-list", "--count", "HEAD")) == before + 1


def test_after_init_and_a_change_the_working_tree_is_clean(
        committed_casebook: CasebookUnderTest) -> None:
    assert git(committed_casebook.root, "status", "--porcelain") == ""


def test_the_git_history_holds_every_change(committed_casebook: CasebookUnderTest) -> None:
    book = committed_casebook
    assert git(book.root, "show", f"HEAD:victims/{book.victim}.yaml") == book.text(book.victim)
    assert git(book.root, "show", f"HEAD:children/{book.child}.yaml") == book.text(book.child)


def test_pyyaml_patterns_compiled_on_first_use_still_work() -> None:
    """yamlio imports PyYAML with its module-level patterns compiled lazily; PyYAML's own
    loaders (used for token scans) still resolve YAML 1.1 and check characters."""
    import re

    import yaml

    from rjcli.storage import yamlio

    assert re.compile is yamlio._COMPILE  # put back after the import
    assert yaml.safe_load("a: yes\nb: 0777\nc: 2026-01-02\n") == {
        "a": True, "b": 511, "c": __import__("datetime").date(2026, 1, 2)}
    with pytest.raises(yaml.reader.ReaderError):
        yaml.safe_load("a: \x07\n")


def test_how_long_a_command_waits_for_a_lock_is_rj_lock_wait(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a heavily loaded machine or a slow shared disk: a team can wait longer than 30 s
    lock = tmp_path / "locks" / "V-7K3M2Q.lock"
    monkeypatch.setenv("RJ_LOCK_WAIT", "0.05")
    with atomic.locked(lock, "V-7K3M2Q"), pytest.raises(LockTimeout) as caught, \
            atomic.locked(lock, "V-7K3M2Q"):
        pass
    assert "gave up after 0.05 seconds" in caught.value.message
    assert "RJ_LOCK_WAIT" in (caught.value.hint or "")
    monkeypatch.setenv("RJ_LOCK_WAIT", "soon")
    with pytest.raises(BadInput) as refused:
        atomic.lock_wait_seconds()
    assert "RJ_LOCK_WAIT must be a number of seconds" in refused.value.message


def test_rj_lock_wait_never_makes_a_try_wait(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # finishing an interrupted change only tries each lock (wait=0), taking them in the
    # journal's order: with RJ_LOCK_WAIT=600 it waited 600 s instead, holding a child's lock
    # while a running rj victim new held the new-victim lock and wanted the child's: the
    # two waited on each other until one gave up (a failed 16-process test under load)
    lock = tmp_path / "locks" / "C-4SC2VN.lock"
    monkeypatch.setenv("RJ_LOCK_WAIT", "600")
    waits: list[float] = []
    real = atomic._acquired

    def acquired(fd: int, wait: float) -> bool:
        waits.append(wait)
        return real(fd, 0.05 if wait else 0)

    monkeypatch.setattr(atomic, "_acquired", acquired)
    with atomic.locked(lock, "C-4SC2VN"), pytest.raises(LockTimeout), \
            atomic.locked(lock, "C-4SC2VN", wait=0):
        pass
    assert waits == [600.0, 0]  # the default wait is RJ_LOCK_WAIT; a try stays a try
