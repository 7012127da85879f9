"""The record commands as a worker uses them: opening cases, logging, consent,
closing, editing, ids and finding the casebook (issue #2)."""

from __future__ import annotations

import shlex
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import VICTIM, CasebookUnderTest, json_of, plain
from test_storage import added_lines, removed_lines


def files_under(root: Path) -> dict[str, bytes]:
    """Every record file and rj.yaml, by relative path (to prove nothing was written)."""
    paths = [root / "rj.yaml", *sorted((root / "victims").glob("*.yaml")),
             *sorted((root / "children").glob("*.yaml"))]
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in paths}


def editor(tmp_path: Path, body: str) -> str:
    """An $EDITOR command: a Python script run on the draft file (sys.argv[1])."""
    script = tmp_path / f"editor{len(list(tmp_path.glob('editor*.py')))}.py"
    script.write_text("import sys\nfrom pathlib import Path\ndraft = Path(sys.argv[1])\n"
                      "text = draft.read_text(encoding='utf-8')\n" + textwrap.dedent(body),
                      encoding="utf-8")
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"


# --- rj victim new ------------------------------------------------------------------------


def test_victim_new_without_its_details_and_no_terminal_says_what_is_missing(
        casebook: CasebookUnderTest) -> None:
    before = files_under(casebook.root)

    result = casebook.run("victim", "new", worker=None)

    assert result.exit_code == 2
    message = plain(result.output)
    assert "missing:" in message
    for what in ("Name", "Child's record id", "Consented to contact", "Allocated worker"):
        assert what in message
    assert files_under(casebook.root) == before


def test_a_victim_under_18_needs_a_parent(casebook: CasebookUnderTest) -> None:
    before = files_under(casebook.root)

    result = casebook.run("victim", "new", "--name", "Kim Young", "--kind", "under-18",
                          "--child", casebook.child, "--consent-contact", "yes")

    assert result.exit_code == 2
    assert "a victim under 18 needs a parent or guardian (--parent NAME)" in plain(result.output)
    assert files_under(casebook.root) == before

    result = casebook.run("victim", "new", "--name", "Kim Young", "--kind", "under-18",
                          "--child", casebook.child, "--consent-contact", "yes",
                          "--parent", "Pat Young", "--json")
    assert result.exit_code == 0, result.output
    assert json_of(result)["parent_guardian"] == {"name": "Pat Young"}


def test_victim_new_for_a_child_that_does_not_exist_writes_nothing(
        casebook: CasebookUnderTest) -> None:
    before = files_under(casebook.root)
    result = casebook.run("victim", "new", "--name", "Lee Example", "--child", "C-0000ZZ",
                          "--consent-contact", "yes")
    assert result.exit_code == 4
    assert "no child record C-0000ZZ" in plain(result.output)
    assert files_under(casebook.root) == before


def test_victim_new_for_an_unreadable_child_writes_nothing(casebook: CasebookUnderTest) -> None:
    child = casebook.path(casebook.child)
    child.write_text(child.read_text(encoding="utf-8") + "broken: [\n", encoding="utf-8")
    before = files_under(casebook.root)

    result = casebook.run("victim", "new", "--name", "Lee Example", "--child", casebook.child,
                          "--consent-contact", "yes")

    assert result.exit_code != 0
    assert f"children/{casebook.child}.yaml:" in plain(result.output)
    assert files_under(casebook.root) == before


def test_victim_new_never_reuses_an_existing_id(casebook: CasebookUnderTest,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from rjcli.storage import casebook as storage

    existing = casebook.victim
    before = casebook.path(existing).read_bytes()
    offered = iter([existing, existing, "V-NEWN3W"])
    monkeypatch.setattr(storage, "new_record_id", lambda kind, _random: next(offered))

    result = casebook.run("victim", "new", "--name", "Lee Example", "--child", casebook.child,
                          "--consent-contact", "yes", "--json")

    assert result.exit_code == 0, result.output
    assert json_of(result)["id"] == "V-NEWN3W"
    assert casebook.path(existing).read_bytes() == before
    assert casebook.data("V-NEWN3W")["name"] == "Lee Example"


def test_a_new_victim_never_gets_a_label_already_in_use(
        casebook: CasebookUnderTest, victim_factory: Callable[..., str]) -> None:
    # Victim 1 (the fixture's) was linked in error: the worker removed it from both files
    second = victim_factory("Lee Example")
    child = casebook.text(casebook.child)
    casebook.write(casebook.child, child.replace(
        f"  - ref: {casebook.victim}\n    label: Victim 1\n", ""))
    victim = casebook.text(casebook.victim)
    casebook.write(casebook.victim, victim.replace(
        f"children:\n  - child: {casebook.child}\n    offence: criminal damage\n", ""))
    assert [v["label"] for v in casebook.data(casebook.child)["victims"]] == ["Victim 2"]
    assert casebook.run("check").exit_code == 0

    third = victim_factory("Max Example")

    labels = {v["ref"]: v["label"] for v in casebook.data(casebook.child)["victims"]}
    assert labels[second] != labels[third]
    assert casebook.run("check").exit_code == 0


# --- --json on every command that creates or changes a record --------------------------------


def test_create_and_change_commands_print_the_record_as_json(casebook: CasebookUnderTest) -> None:
    vid = casebook.victim
    steps: list[tuple[tuple[str, ...], str | None]] = [
        (("child", "new", "--name", "Kit Child"), None),
        (("victim", "new", "--name", "Lee Example", "--child", casebook.child,
          "--consent-contact", "no"), None),
        (("contact", "log", vid, "--method", "phone", "--outcome", "no-answer",
          "--at", "2026-04-02 09:15"), vid),
        (("consent", vid, "rj-participation", "yes", "--source", "phone call"), vid),
        (("close", vid, "--reason", "completed"), vid),
        (("reopen", vid, "--reason", "phoned back"), vid),
        (("contact", "log", casebook.child, "--method", "meeting", "--outcome", "kept",
          "--at", "2026-04-01 15:00"), casebook.child),
    ]
    for args, record_id in steps:
        result = casebook.run(*args, "--json")
        assert result.exit_code == 0, result.output
        data = json_of(result)
        assert data["id"] == (record_id or data["id"])
        assert data["id"][:2] in ("V-", "C-")
        assert casebook.data(data["id"]) is not None  # the file printed is the one on disk
    assert [c["outcome"] for c in json_of(casebook.run("show", vid, "--json"))["contacts"]] == \
        ["no-answer"]


# --- finding the casebook and today --------------------------------------------------------------


def test_the_casebook_is_found_from_option_environment_or_folder(
        casebook: CasebookUnderTest, run: Callable[..., Any], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = (tmp_path / "elsewhere").resolve()
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)

    by_option = run("list", "--json", casebook=casebook.root)
    by_env = run("list", "--json", env={"RJ_CASEBOOK": str(casebook.root)})
    assert by_option.exit_code == by_env.exit_code == 0
    assert json_of(by_option) == json_of(by_env)
    assert {r["id"] for r in json_of(by_option)} == {casebook.victim, casebook.child}

    monkeypatch.chdir(casebook.root / "victims")
    from_below = run("list", "--json")
    assert from_below.exit_code == 0, from_below.output
    assert json_of(from_below) == json_of(by_option)

    monkeypatch.chdir(elsewhere)
    nowhere = run("list")
    assert nowhere.exit_code == 3
    assert f"no casebook here: no rj.yaml in {elsewhere}" in plain(nowhere.output)
    assert "--casebook" in plain(nowhere.output)

    wrong_env = run("list", env={"RJ_CASEBOOK": str(elsewhere)})
    assert wrong_env.exit_code == 3
    assert f"RJ_CASEBOOK names {elsewhere}, which is not a casebook" in plain(wrong_env.output)

    option_wins = run("list", "--json", casebook=casebook.root,
                      env={"RJ_CASEBOOK": str(elsewhere)})
    assert option_wins.exit_code == 0, option_wins.output


@pytest.mark.parametrize(("today", "why"), [
    ("2026-02-30", "is not a real date"), ("31/02/2026", "is not a real date"),
    ("04/13/2026", "has no month 13"), ("next week", "is not a date rj can read"),
    ("2026-4-2x", "is not a date rj can read")])
def test_an_impossible_today_is_a_clear_error(casebook: CasebookUnderTest, today: str,
                                              why: str) -> None:
    # issue 16: --today is read day first like every date (02/04/2026 is 2 April), so the
    # refusals are the dates that do not exist or cannot be read for certain
    result = casebook.run("list", today=today)
    assert result.exit_code == 2
    assert f"--today '{today}' {why}" in plain(result.output)
    assert "dates are read day first" in plain(result.output)
    from_env = casebook.run("list", today=None, env={"RJ_TODAY": today})
    assert from_env.exit_code == 2
    assert why in plain(from_env.output)


# --- ids typed by a person --------------------------------------------------------------------


@pytest.mark.parametrize("typed_id", ["../rj", "../secret", "V-0000ZZ/../../secret",
                                      "/etc/passwd", "victims/V-0000ZZ", "V-0000ZZ.yaml",
                                      "..", "V-ZZZZZI"])
def test_a_typed_id_that_is_not_an_id_is_refused_without_reading_anything(
        casebook: CasebookUnderTest, typed_id: str) -> None:
    secret = casebook.root.parent / "secret.yaml"
    secret.write_text("id: V-0000ZZ\nname: Not To Be Read\n", encoding="utf-8")

    for args in (("show", typed_id), ("show", typed_id, "--json"),
                 ("contact", "log", typed_id, "--method", "phone", "--outcome", "spoke"),
                 ("close", typed_id, "--reason", "completed")):
        result = casebook.run(*args)
        assert result.exit_code == 2
        assert f"'{typed_id}' is not a record id" in plain(result.output)
        assert "Not To Be Read" not in result.output


def test_a_lowercase_id_is_normalised_and_an_unknown_one_reported(
        casebook: CasebookUnderTest) -> None:
    shown = casebook.run("show", f"  {casebook.victim.lower()} ", "--json")
    assert shown.exit_code == 0, shown.output
    assert json_of(shown)["id"] == casebook.victim

    missing = casebook.run("show", "V-0000ZZ")
    assert missing.exit_code == 4
    assert "no record V-0000ZZ in this casebook" in plain(missing.output)


# --- status, consent ------------------------------------------------------------------------


def status_of(casebook: CasebookUnderTest, record_id: str) -> str:
    rows = json_of(casebook.run("list", "--json"))
    return next(r["status"] for r in rows if r["id"] == record_id)


def test_close_then_reopen_shows_in_rj_show(casebook: CasebookUnderTest) -> None:
    vid = casebook.victim
    assert f"{vid} {VICTIM['name']} open" in plain(casebook.run("show", vid).output)

    closed = casebook.run("close", vid, "--reason", "completed", "--date", "2026-04-01")
    assert closed.exit_code == 0, closed.output
    shown = plain(casebook.run("show", vid).output)
    assert f"{vid} {VICTIM['name']} closed" in shown
    assert "Closed: 1 April 2026 (completed)" in shown
    assert status_of(casebook, vid) == "closed"

    before = casebook.path(vid).read_bytes()
    again = casebook.run("close", vid, "--reason", "completed")
    assert again.exit_code == 2
    assert f"{vid} is already closed" in plain(again.output)
    assert casebook.path(vid).read_bytes() == before

    reopened = casebook.run("reopen", vid, "--reason", "victim phoned back")
    assert reopened.exit_code == 0, reopened.output
    assert f"{vid} {VICTIM['name']} open" in plain(casebook.run("show", vid).output)
    assert status_of(casebook, vid) == "open"


def test_withdrawing_consent_needs_a_note(casebook: CasebookUnderTest) -> None:
    vid = casebook.victim
    before = casebook.path(vid).read_bytes()

    refused = casebook.run("consent", vid, "contact", "withdrawn")

    assert refused.exit_code == 2
    assert "say why consent was withdrawn with --note" in plain(refused.output)
    assert casebook.path(vid).read_bytes() == before

    recorded = casebook.run("consent", vid, "contact", "withdrawn", "--note", "no longer wishes "
                            "to hear about the case", "--json")
    assert recorded.exit_code == 0, recorded.output
    latest = json_of(recorded)["consents"][-1]
    assert (latest["kind"], latest["answer"]) == ("contact", "withdrawn")
    assert "Consent: contact: withdrawn" in plain(casebook.run("show", vid).output)


# --- no field that changes on every save ----------------------------------------------------------


def keys_of(value: Any) -> set[str]:
    if isinstance(value, dict):
        return {str(k) for k in value} | {k for v in value.values() for k in keys_of(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_of(v)}
    return set()


def test_each_change_only_adds_lines_and_nothing_counts_saves(
        casebook: CasebookUnderTest) -> None:
    vid = casebook.victim
    commands = [
        ("contact", "log", vid, "--method", "phone", "--outcome", "spoke", "--at",
         "2026-04-01 10:00", "--note", "first call"),
        ("contact", "log", vid, "--method", "letter", "--outcome", "sent", "--letter",
         "initial", "--at", "2026-04-01 12:00"),
        ("consent", vid, "rj-participation", "yes"),
        ("close", vid, "--reason", "completed"),
        ("reopen", vid, "--reason", "phoned back"),
        ("consent", vid, "rj-participation", "no", "--note", "changed her mind"),
    ]
    for args in commands:
        before = casebook.text(vid)
        result = casebook.run(*args)
        assert result.exit_code == 0, result.output
        after = casebook.text(vid)
        assert removed_lines(before, after) == [], args
        assert added_lines(before, after), args

    for key in keys_of(casebook.data(vid)) | keys_of(casebook.data(casebook.child)):
        assert not any(word in key for word in ("updated", "modified", "version", "count",
                                                "revision", "saved", "last_")), key


def test_the_same_staff_member_added_twice_leaves_rj_yaml_byte_identical(
        casebook: CasebookUnderTest) -> None:
    config = casebook.root / "rj.yaml"
    before = config.read_bytes()
    for _ in range(2):
        result = casebook.run("staff", "add", "Sam Worker", "--role", "rj-worker",
                              "--phone", "01632 960101")
        assert result.exit_code == 0, result.output
        assert config.read_bytes() == before
    assert b"# rj casebook settings" in before  # the comments rj init wrote are still there


# --- rj edit -------------------------------------------------------------------------------------


def test_an_invalid_edit_keeps_the_record_and_saves_the_draft(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    vid = casebook.victim
    before = casebook.path(vid).read_bytes()
    command = editor(tmp_path, """\
        draft.write_text(text + "needs: [large print\\n", encoding="utf-8")
        """)

    result = casebook.run("edit", vid, env={"EDITOR": command})

    assert result.exit_code == 6
    message = plain(result.output)
    assert f"your edit was not saved over {vid}" in message
    assert casebook.path(vid).read_bytes() == before
    drafts = list((casebook.root / ".rj" / "edits").glob(f"{vid}-*.yaml"))
    assert len(drafts) == 1
    assert f"your edit is kept in {drafts[0]}" in message
    assert drafts[0].read_text(encoding="utf-8").endswith("needs: [large print\n")
    assert drafts[0].stat().st_mode & 0o077 == 0


def test_a_valid_edit_is_saved(casebook: CasebookUnderTest, tmp_path: Path) -> None:
    vid = casebook.victim
    command = editor(tmp_path, """\
        draft.write_text(text.replace("kind: individual\\n",
                                      "kind: individual\\nneeds: large print letters\\n"),
                         encoding="utf-8")
        """)

    result = casebook.run("edit", vid, env={"EDITOR": command})

    assert result.exit_code == 0, result.output
    assert f"Saved {vid}." in plain(result.output)
    assert casebook.data(vid)["needs"] == "large print letters"
    assert casebook.run("check").exit_code == 0


def test_an_edit_that_breaks_the_schema_is_refused(casebook: CasebookUnderTest,
                                                   tmp_path: Path) -> None:
    vid = casebook.victim
    before = casebook.path(vid).read_bytes()
    command = editor(tmp_path, """\
        draft.write_text(text.replace("kind: individual", "kind: martian"), encoding="utf-8")
        """)
    result = casebook.run("edit", vid, env={"EDITOR": command})
    assert result.exit_code == 6
    assert "the change would make the record invalid" in plain(result.output)
    assert casebook.path(vid).read_bytes() == before


def test_two_failed_edits_keep_two_drafts(casebook: CasebookUnderTest, tmp_path: Path) -> None:
    vid = casebook.victim
    for word in ("first", "second"):
        command = editor(tmp_path, f"""\
            draft.write_text(text + "needs: [{word} draft\\n", encoding="utf-8")
            """)
        assert casebook.run("edit", vid, env={"EDITOR": command}).exit_code == 6
    drafts = sorted((casebook.root / ".rj" / "edits").glob(f"{vid}-*.yaml"))
    texts = {d.read_text(encoding="utf-8").splitlines()[-1] for d in drafts}
    assert texts == {"needs: [first draft", "needs: [second draft"}


def test_a_hand_formatted_record_can_be_edited(casebook: CasebookUnderTest,
                                               tmp_path: Path) -> None:
    vid = casebook.victim
    casebook.write(vid, casebook.text(vid).replace("name: ", "name:   "))
    command = editor(tmp_path, """\
        draft.write_text(text.replace("kind: individual\\n",
                                      "kind: individual\\nneeds: large print letters\\n"),
                         encoding="utf-8")
        """)
    result = casebook.run("edit", vid, env={"EDITOR": command})
    assert result.exit_code == 0, result.output
    assert casebook.data(vid)["needs"] == "large print letters"


def test_an_edit_keeps_the_field_where_it_was_typed(casebook: CasebookUnderTest,
                                                    tmp_path: Path) -> None:
    vid = casebook.victim
    command = editor(tmp_path, """\
        draft.write_text(text.replace("kind: individual\\n",
                                      "kind: individual\\nneeds: large print letters\\n"),
                         encoding="utf-8")
        """)
    assert casebook.run("edit", vid, env={"EDITOR": command}).exit_code == 0
    lines = casebook.text(vid).splitlines()
    assert lines[lines.index("kind: individual") + 1] == "needs: large print letters"


# --- notes that do not fit a literal block ---------------------------------------------------


@pytest.mark.parametrize("note", ["line one\r\nline two", "line one\n\x1b[1mline two\x1b[0m",
                                  "line one\n\x0cline two"])
def test_a_pasted_note_is_saved_as_typed(casebook: CasebookUnderTest, note: str) -> None:
    result = casebook.run("contact", "log", casebook.victim, "--method", "phone",
                          "--outcome", "spoke", "--at", "2026-04-02 10:00", "--note", note)
    assert result.exit_code == 0, result.output
    assert casebook.data(casebook.victim)["contacts"][-1]["note"] == note
