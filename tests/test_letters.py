"""Letters: ``rj letter KIND ID``, the letter context, the template sandbox and Word output.

Golden files are in tests/golden/letters/; after a deliberate change to a template,
regenerate them with ``RJ_REGEN_GOLDEN=1 pytest tests/test_letters.py`` and read the
diff by eye before committing.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import invoke, json_of, plain

from rjcli.core import letterfacts, letterkinds, letterprivacy, letters
from rjcli.core.config import config_from_dict
from rjcli.core.model import child_from_dict, victim_from_dict
from rjcli.storage import yamlio
from rjcli.storage.bank_holidays import build_calendar

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden" / "letters"
REGEN = os.environ.get("RJ_REGEN_GOLDEN") == "1"
TODAY = "2026-04-13"
"""A Monday: the reply-by date is Monday 20 April 2026."""
ACRONYMS = re.compile(r"\b(RJ|RJW|YJS|YJT|YOT|YOS|OOCD|RFO|PSR|VCS|DTO|YRO|CMS)\b")
"""Jargon a victim should never meet unexplained (Somerset 7.2)."""

RJ_YAML = """\
service:
  name: Exampletown Youth Justice Service
  address:
    lines: [Civic Offices, High Street, Exampletown]
    postcode: EX1 1AA
  phone: "01632 960000"
  email: victims@example.org
  letterhead: [Exampletown Youth Justice Service]
  complaints: >-
    To make a complaint, write to the Service Manager at the address above,
    or phone 01632 960000.
staff:
  - {name: Sam Worker, role: rj-worker, phone: "01632 960123", email: sam.worker@example.org}
  - {name: Robin Nophone, role: rj-worker}
calendar:
  region: england
  closures: [2026-12-24]
git:
  autocommit: false
"""

RECORDS = {
    # an adult, after sentence (Referral Order); its child gave no permission to share
    "victims/V-0001.yaml": """\
        id: V-0001
        kind: individual
        name: Alex Example
        address: {lines: [1 Example Road, Exampletown], postcode: EX1 2BB}
        offence_for_letters: damage to your car
        children: [{child: C-0001, offence: criminal damage to a car}]
        referral: {stage: post-sentence, disposal: referral-order, allocated: 2026-04-01,
                   worker: Sam Worker}
        consents:
          - {id: 01J00000000000000000000001, kind: contact, answer: "yes", date: 2026-04-01,
             source: YOT1}
        status_history:
          - {id: 01J00000000000000000000002, date: 2026-04-01, status: open}
        contacts:
          - {id: 01J00000000000000000000003, at: "2026-04-02 10:00", method: letter,
             outcome: sent, letter: initial}
        offers:
          - {id: 01J00000000000000000000004, option: letter-of-explanation, status: accepted,
             date: 2026-04-03}
          - {id: 01J00000000000000000000005, option: letter-of-explanation, status: completed,
             date: 2026-04-10}
        progress_request:
          date: 2026-04-03
          what: whether the young person finishes their reparation work, and when the order ends
          how: letter
          until: 2026-10-31
        conferences:
          - id: 01J00000000000000000000006
            kind: conference
            date: 2026-04-08
            venue: Exampletown Community Centre
            status: held
            agreement:
              - {id: 01J00000000000000000000007, n: 2, action: Pay for the repair of the car
                   wing mirror in two instalments, who: the young person's family,
                 due: 2026-05-29, status: open}
              - {id: 01J00000000000000000000008, n: 1, action: Write a letter of apology,
                 who: the young person, due: 2026-04-30, status: open}
          - {id: 01J00000000000000000000009, kind: conference, date: 2026-05-12,
             status: planned}
        """,
    # under 18, out of court; their child gave permission to share details
    "victims/V-0002.yaml": """\
        id: V-0002
        kind: under-18
        name: Riley Example
        address: {lines: [2 Example Road, Exampletown], postcode: EX1 2BC}
        parent_guardian: {name: Morgan Example, relationship: mother}
        offence_category: theft
        children: [{child: C-0002, offence: theft of a bicycle}]
        referral: {stage: pre-court, disposal: youth-caution, allocated: 2026-04-01,
                   worker: Sam Worker}
        consents:
          - {id: 01J00000000000000000000011, kind: contact, answer: "yes", date: 2026-04-01}
        status_history:
          - {id: 01J00000000000000000000012, date: 2026-04-01, status: open}
        offers:
          - {id: 01J00000000000000000000013, option: impact-statement, status: accepted,
             date: 2026-04-09}
          - {id: 01J00000000000000000000014, option: letter-of-explanation,
             status: in-progress, date: 2026-04-09}
          - {id: 01J00000000000000000000015, option: conference, status: declined,
             date: 2026-04-09}
        """,
    # an organisation with a named representative, before sentence
    "victims/V-0003.yaml": """\
        id: V-0003
        kind: corporate
        name: Example Stores Ltd
        representative: {name: Dana Manager, role: Store Manager}
        address: {lines: [Unit 4, Market Street, Exampletown], postcode: EX1 3CD}
        children: [{child: C-0001, offence: shoplifting}]
        referral: {stage: pre-sentence, disposal: psr-requested, allocated: 2026-04-01,
                   worker: Sam Worker}
        consents:
          - {id: 01J00000000000000000000021, kind: contact, answer: "yes", date: 2026-04-01}
        status_history:
          - {id: 01J00000000000000000000022, date: 2026-04-01, status: open}
        """,
    # everything a letter needs is missing: no address, a worker with no phone, no stage
    "victims/V-0004.yaml": """\
        id: V-0004
        kind: individual
        name: Chris Noaddress
        children: [{child: C-0001}]
        referral: {allocated: 2026-04-01, worker: Robin Nophone}
        consents:
          - {id: 01J00000000000000000000031, kind: contact, answer: "yes", date: 2026-04-01}
        status_history:
          - {id: 01J00000000000000000000032, date: 2026-04-01, status: open}
        """,
    "children/C-0001.yaml": """\
        id: C-0001
        name: Jordan Testchild
        dob: 2010-05-03
        case_holder: Casey Holder
        address: {lines: [9 Sample Street, Exampletown], postcode: EX1 9ZZ}
        parent_carer: {name: Pat Testchild, relationship: father}
        disposal: referral-order
        victims:
          - {ref: V-0001, label: Victim 1}
          - {ref: V-0003, label: Victim 2}
        status_history:
          - {id: 01J00000000000000000000041, date: 2026-03-20, status: open}
        """,
    "children/C-0002.yaml": """\
        id: C-0002
        name: Kit Permitted
        dob: 2009-11-21
        disposal: youth-caution
        victims: [{ref: V-0002, label: Victim 1}]
        consents:
          - {id: 01J00000000000000000000051, kind: share-details-with-victim, answer: "yes",
             date: 2026-04-07, source: signed form}
        status_history:
          - {id: 01J00000000000000000000052, date: 2026-03-25, status: open}
        """,
}


def write_casebook(root: Path) -> Path:
    (root / "victims").mkdir(parents=True)
    (root / "children").mkdir()
    (root / "rj.yaml").write_text(RJ_YAML, encoding="utf-8")
    for rel, text in RECORDS.items():
        (root / rel).write_text(textwrap.dedent(text), encoding="utf-8")
    # owner-only, as rj keeps a casebook (the first command would otherwise tighten it and
    # say so on stderr, which these tests read: tests/test_permissions.py tests that)
    from rjcli.storage.permissions import tighten_and_stamp

    tighten_and_stamp(root)
    return root


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """A casebook with the victims and children above (written as YAML by hand)."""
    return write_casebook(tmp_path / "casebook")


@functools.cache
def _command() -> Any:
    """The click command tree, built once (Typer builds it anew on every invoke)."""
    from typer.main import get_command

    from rjcli.cli import app

    return get_command(app)


def rj(book: Path, *args: str, today: str = TODAY) -> Any:
    """``rj --casebook BOOK --today TODAY --worker "Sam Worker" *args`` (as conftest's
    ``invoke``: no traceback, no unexpected exception), on the command tree built once."""
    from click.testing import CliRunner

    from rjcli.render import terminal

    argv = ["--casebook", str(book), "--today", today, "--worker", "Sam Worker", *args]
    env = {"COLUMNS": "2000", "RJ_CASEBOOK": None, "RJ_TODAY": None, "RJ_WORKER": None,
           "RJ_DEBUG": None}
    terminal.out.cache_clear()
    terminal.err.cache_clear()
    try:
        result = CliRunner().invoke(_command(), argv, env=env, prog_name="rj")
    finally:
        terminal.out.cache_clear()
        terminal.err.cache_clear()
    assert "Traceback" not in result.output, result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"rj {' '.join(argv)} raised {result.exception!r}") \
            from result.exception
    assert result.exit_code != 70, result.output
    return result


def letter_files(book: Path) -> list[Path]:
    folder = book / "output" / "letters"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def contacts(book: Path, record_id: str) -> list[dict[str, Any]]:
    folder = "victims" if record_id.startswith("V-") else "children"
    data = yamlio.parse_text((book / folder / f"{record_id}.yaml").read_text(encoding="utf-8"))
    return list(data.get("contacts") or [])


def draft(book: Path, kind: str, record_id: str, *args: str, fmt: str = "md") -> str:
    """Write a draft letter to a file outside the casebook and return its text."""
    target = book.parent / f"{record_id}-{kind}.{fmt}"
    result = rj(book, "letter", kind, record_id, "--draft", "--format", fmt,
                "--out", str(target), *args)
    assert result.exit_code == 0, result.output
    return target.read_text(encoding="utf-8")


# --- golden letters: one of each kind, read by eye when they change -------------------

APPOINTMENT = ("--at", "2026-04-20 16:30", "--venue", "Exampletown Youth Justice Office")
CASES = [
    ("initial-court", "initial", "V-0001", (), "md"),
    ("initial-under-18-out-of-court", "initial", "V-0002", (), "md"),
    ("initial-corporate-before-sentence", "initial", "V-0003", (), "md"),
    ("final", "final", "V-0001", (), "md"),
    ("closure", "closure", "V-0001", (), "md"),
    ("update", "update", "V-0001",
     ("--note", "The young person has finished 6 of the 10 hours of reparation work."), "md"),
    ("panel-statement", "panel-statement", "V-0001", (), "md"),
    ("compensation", "compensation", "V-0001", (), "md"),
    ("parent-consent", "parent-consent", "V-0002", (), "md"),
    ("consent-form", "consent-form", "V-0002", (), "md"),
    ("confidentiality-agreement", "confidentiality-agreement", "V-0001", (), "md"),
    ("outcome-agreement", "outcome-agreement", "V-0001", ("--copy", "victim"), "md"),
    ("outcome-agreement-child", "outcome-agreement", "V-0001", ("--copy", "child"), "md"),
    ("child-appointment", "child-appointment", "C-0001", APPOINTMENT, "md"),
    ("feedback-form", "feedback-form", "V-0001", (), "md"),
    ("initial-court", "initial", "V-0001", (), "txt"),
    ("initial-court", "initial", "V-0001", (), "html"),
]


@pytest.mark.parametrize(("golden", "kind", "record_id", "args", "fmt"), CASES,
                         ids=[f"{c[0]}.{c[4]}" for c in CASES])
def test_letter_matches_its_golden_file(book: Path, golden: str, kind: str, record_id: str,
                                        args: tuple[str, ...], fmt: str) -> None:
    text = draft(book, kind, record_id, *args, fmt=fmt)
    path = GOLDEN / f"{golden}.{fmt}"
    if REGEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"no golden file {path}: run with RJ_REGEN_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


def test_every_kind_has_a_golden_letter() -> None:
    assert {c[1] for c in CASES} == set(letterkinds.KIND_NAMES)


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.md")), ids=lambda p: p.name)
def test_letters_use_no_unexplained_acronyms(path: Path) -> None:
    # Somerset 7.2: plain, jargon-free language; the service spells itself out too
    assert ACRONYMS.findall(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("golden", sorted({f"{c[0]}.{c[4]}" for c in CASES
                                            if c[2] in ("V-0001", "V-0003")
                                            and "child" not in c[3]}))
def test_letters_to_victims_never_show_a_child_who_gave_no_permission(golden: str) -> None:
    text = (GOLDEN / golden).read_text(encoding="utf-8")
    for detail in ("Jordan", "Testchild", "3 May 2010", "2010-05-03", "9 Sample Street"):
        assert detail not in text


def test_html_letter_is_a_self_contained_page(book: Path) -> None:
    page = draft(book, "initial", "V-0001", fmt="html")
    assert page.startswith("<!doctype html>")
    assert "<title>Initial contact letter</title>" in page
    assert not re.search(r"<script|<link|src=|https?://", page)


# --- the initial letter: what it says and what it never says ---------------------------


@pytest.mark.parametrize("record_id", ["V-0001", "V-0002", "V-0003"])
def test_initial_letter_offers_support_gives_contact_reply_by_and_leaflet(
        book: Path, record_id: str) -> None:
    text = plain(draft(book, "initial", record_id, fmt="txt"))
    assert "We can offer:" in text
    assert "phone me on 01632 960123 or e-mail me at sam.worker@example.org" in text
    assert "Please get in touch by 20 April 2026" in text  # Wokingham 5: 5 working days
    assert "Enclosed: - Our leaflet about how we help people affected by crime" in text
    assert "Your right to complain To make a complaint, write to the Service Manager" in text
    for phrase in letterprivacy.INITIAL_FORBIDDEN:  # Wait 'til Eight §6.4.3
        assert phrase not in text.lower()


def test_initial_letter_is_chosen_by_route_and_addressed_by_victim_kind(book: Path) -> None:
    court = plain(draft(book, "initial", "V-0001"))
    out_of_court = plain(draft(book, "initial", "V-0002"))
    corporate = plain(draft(book, "initial", "V-0003"))
    assert "The court has made its decision" in court
    assert "Dear Alex Example" in court
    assert "without taking it to court" in out_of_court
    assert "Dear Morgan Example" in out_of_court  # the parent, not the child (Somerset 6.4)
    assert "as the parent or guardian of Riley Example" in out_of_court
    assert "Dear Dana Manager" in corporate  # the named representative (Wokingham 16)
    assert "Store Manager Example Stores Ltd Unit 4" in corporate
    assert "before it decides what should happen next" in corporate


def test_reply_by_skips_weekends_and_bank_holidays() -> None:
    calendar = build_calendar("england", [date(2026, 12, 24)], range(2025, 2028))
    # Thursday 2 April 2026: Good Friday and Easter Monday do not count
    assert letterfacts.reply_by(date(2026, 4, 2), calendar) == date(2026, 4, 13)
    # Friday 18 December 2026: a closure day, Christmas and the Boxing Day substitute
    assert letterfacts.reply_by(date(2026, 12, 18), calendar) == date(2026, 12, 30)


def test_the_cli_prints_the_reply_by_date_in_the_letter_and_json(book: Path) -> None:
    result = rj(book, "letter", "initial", "V-0001", "--draft", "--json", today="2026-04-02")
    assert result.exit_code == 0, result.output
    assert json_of(result)["reply_by"] == "2026-04-13"
    text = letter_files(book)[0].read_text(encoding="utf-8")
    assert "2 April 2026" in text and "**13 April 2026**" in text


@pytest.mark.parametrize(("stage", "disposal", "route"), [
    ("pre-court", None, "out-of-court"),
    (None, "community-resolution", "out-of-court"),
    (None, "youth-conditional-caution", "out-of-court"),
    ("post-sentence", "youth-caution", "out-of-court"),
    ("pre-sentence", None, "court"),
    (None, "referral-order", "court"),
    (None, "yro", "court"),
    (None, None, None),
    (None, "no-further-action", None),
])
def test_route_of_chooses_the_court_or_out_of_court_letter(
        stage: str | None, disposal: str | None, route: str | None) -> None:
    victim = victim_from_dict({"id": "V-0009", "kind": "individual", "name": "X",
                               "referral": {"stage": stage, "disposal": disposal}})
    assert letterfacts.route_of(victim) == route


# --- the child's details stay out of what a victim reads (Somerset 7.3) ----------------


def facts_for(book: Path, victim_id: str, **extra: Any) -> letterfacts.LetterFacts:
    victim = victim_from_dict(yamlio.read_fast(book / "victims" / f"{victim_id}.yaml"))
    children = tuple(child_from_dict(yamlio.read_fast(book / "children" / f"{c}.yaml"))
                     for c in victim.child_ids)
    config = config_from_dict(yamlio.read_fast(book / "rj.yaml"))
    return letterfacts.LetterFacts(config=config, today=date(2026, 4, 13),
                               calendar=build_calendar("england", [], range(2025, 2028)),
                               victim=victim, linked_children=children,
                               signer=victim.worker, **extra)


VICTIM_KINDS = [k for k in letterkinds.KINDS if k.record == "victim"]


@pytest.mark.parametrize("kind", VICTIM_KINDS, ids=lambda k: k.name)
def test_without_permission_the_child_is_absent_from_the_context(
        book: Path, kind: letterkinds.LetterKind) -> None:
    built = letters.build_letter(kind, facts_for(book, "V-0001", note="Some news."))
    seen = json.dumps(built.context)
    for detail in ("Jordan", "Testchild", "2010-05-03", "3 May 2010", "9 Sample Street",
                   "EX1 9ZZ", "Casey Holder"):
        assert detail not in seen


def test_with_permission_the_child_is_named(book: Path) -> None:
    text = plain(draft(book, "initial", "V-0002"))
    assert "The police dealt with this offence without taking it to court. " \
           "Kit Permitted is now working with our service" in text


def test_withdrawn_permission_hides_the_name_again(book: Path) -> None:
    path = book / "children" / "C-0002.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "status_history:", "  - {id: 01J00000000000000000000053, kind: share-details-with-victim,"
        " answer: withdrawn, date: 2026-04-10, note: changed mind}\nstatus_history:"),
        encoding="utf-8")
    text = plain(draft(book, "initial", "V-0002"))
    assert "Kit" not in text and "Permitted" not in text
    assert "The young person is now working with our service" in text


def test_typed_text_that_names_the_child_stops_the_letter(book: Path) -> None:
    path = book / "victims" / "V-0001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "who: the young person,", "who: Jordan,"), encoding="utf-8")
    result = rj(book, "letter", "outcome-agreement", "V-0001", "--copy", "victim")
    assert result.exit_code == 8
    assert "agreement item 1 names the child ('Jordan')" in plain(result.output)
    update = rj(book, "letter", "update", "V-0001", "--note", "Testchild did 6 hours.")
    assert update.exit_code == 8
    assert "--note names the child ('Testchild')" in plain(update.output)
    assert letter_files(book) == []


def test_a_template_cannot_print_a_withheld_name(book: Path) -> None:
    (book / "templates").mkdir()
    (book / "templates" / "initial.md.j2").write_text("Dear {{ recipient.name }}, "
                                                       "{{ children[0].name }}\n")
    result = rj(book, "letter", "initial", "V-0001")
    assert result.exit_code == 2
    assert "uses a field this letter does not have" in plain(result.output)
    assert letter_files(book) == []
    assert len(contacts(book, "V-0001")) == 1  # only the initial letter of the fixture


def test_child_letter_holds_nothing_about_the_victim(book: Path) -> None:
    text = plain(draft(book, "child-appointment", "C-0001", *APPOINTMENT))
    assert "Dear Jordan Testchild and Pat Testchild" in text
    assert "Monday 20 April 2026 at 4:30pm, Exampletown Youth Justice Office" in text
    assert "Casey Holder, Jordan's youth justice worker, will be there too" in text
    for detail in ("Alex", "Example Stores", "EX1 2BB", "Victim 1", "V-0001"):
        assert detail not in text


# --- missing facts stop the letter, all listed at once ---------------------------------


def test_missing_fields_are_all_listed_and_nothing_is_written(book: Path) -> None:
    no_complaints = re.sub(r"  complaints: >-\n(    .*\n)+", "", RJ_YAML)
    assert "complaints" not in no_complaints
    (book / "rj.yaml").write_text(no_complaints, encoding="utf-8")
    before = (book / "victims" / "V-0004.yaml").read_bytes()
    result = rj(book, "letter", "initial", "V-0004")
    assert result.exit_code == 8, result.output
    message = plain(result.output)
    assert "the initial letter for V-0004 was not written; it needs:" in message
    for missing in ("the victim's postal address",
                    "a phone number for Robin Nophone",
                    "the referral stage or disposal",
                    "how to complain"):
        assert missing in message
    assert letter_files(book) == []
    assert (book / "victims" / "V-0004.yaml").read_bytes() == before


def test_a_worker_missing_from_the_staff_list_is_named(book: Path) -> None:
    result = rj(book, "letter", "final", "V-0001", "--signed-by", "Lee Absent")
    assert result.exit_code == 8
    assert "Lee Absent in the staff list of rj.yaml" in plain(result.output)


@pytest.mark.parametrize(("kind", "record_id", "args", "expected"), [
    ("parent-consent", "V-0001", (), "a victim under 18"),
    ("consent-form", "V-0003", (), "a restorative option the victim has accepted"),
    ("outcome-agreement", "V-0002", ("--copy", "victim"), "a conference marked held"),
    ("update", "V-0002", ("--note", "News."), "what the victim asked to be told"),
    ("update", "V-0001", (), "the news to give"),
    ("child-appointment", "C-0002", ("--at", "2026-04-10 10:00"),
     "the child's parent or carer"),
    ("child-appointment", "C-0001", ("--at", "2026-04-10 10:00"), "an appointment after"),
])
def test_each_kind_says_what_it_lacks(book: Path, kind: str, record_id: str,
                                      args: tuple[str, ...], expected: str) -> None:
    result = rj(book, "letter", kind, record_id, *args)
    assert result.exit_code == 8, result.output
    assert expected in plain(result.output)
    assert letter_files(book) == []


def test_child_appointment_lists_time_place_and_address_together(book: Path) -> None:
    result = rj(book, "letter", "child-appointment", "C-0002")
    message = plain(result.output)
    for missing in ("the appointment's date and time", "where the appointment is",
                    "the child's parent or carer", "the child's postal address"):
        assert missing in message


def test_no_letter_to_a_victim_who_did_not_consent_to_contact(book: Path) -> None:
    path = book / "victims" / "V-0003.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'answer: "yes"', 'answer: "no"'), encoding="utf-8")
    result = rj(book, "letter", "initial", "V-0003")
    assert result.exit_code == 8
    assert "only victims who consented are contacted" in plain(result.output)


def test_no_letter_to_a_victim_whose_home_service_makes_contact(book: Path) -> None:
    path = book / "victims" / "V-0003.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "kind: corporate", "kind: corporate\nhome_service: Otherton Youth Justice Service"),
        encoding="utf-8")
    result = rj(book, "letter", "initial", "V-0003")
    assert result.exit_code == 8
    assert "Otherton Youth Justice Service makes contact" in plain(result.output)


def test_updates_stop_when_the_victim_asked_them_to(book: Path) -> None:
    result = rj(book, "letter", "update", "V-0001", "--note", "News.", today="2026-11-02")
    assert result.exit_code == 8
    assert "asked for updates until 31 October 2026" in plain(result.output)


# --- sending: the contact log, the output folder -----------------------------------------


def test_sending_logs_a_letter_contact_and_writes_under_output(book: Path) -> None:
    result = rj(book, "letter", "initial", "V-0002", "--json")
    assert result.exit_code == 0, result.output
    assert json_of(result) == {"kind": "initial", "record": "V-0002",
                               "file": "output/letters/V-0002-initial-2026-04-13.md",
                               "reply_by": "2026-04-20", "recorded": True,
                               "languages": ["en"]}
    logged = contacts(book, "V-0002")[-1]
    assert {k: logged[k] for k in ("method", "outcome", "letter", "file", "with", "by")} == {
        "method": "letter", "outcome": "sent", "letter": "initial",
        "file": "output/letters/V-0002-initial-2026-04-13.md", "with": "parent-guardian",
        "by": "Sam Worker"}
    assert "reply by 20 April 2026" in logged["note"]
    assert (book / "output" / "letters" / "V-0002-initial-2026-04-13.md").is_file()
    assert not list((book / "children").glob("*.md"))


def test_a_second_letter_the_same_day_never_overwrites_the_first(book: Path) -> None:
    assert rj(book, "letter", "compensation", "V-0001").exit_code == 0
    # the same letter again is logged only as a resend (issue 16: a letter is sent once)
    assert rj(book, "letter", "compensation", "V-0001", "--resend", "--reason",
              "the first came back").exit_code == 0
    assert [p.name for p in letter_files(book)] == [
        "V-0001-compensation-2026-04-13-2.md", "V-0001-compensation-2026-04-13.md"]
    assert [c["file"] for c in contacts(book, "V-0001") if c.get("letter") == "compensation"] \
        == ["output/letters/V-0001-compensation-2026-04-13.md",
            "output/letters/V-0001-compensation-2026-04-13-2.md"]


def test_a_draft_logs_nothing(book: Path) -> None:
    result = rj(book, "letter", "closure", "V-0001", "--draft", "--json")
    assert json_of(result)["recorded"] is False
    assert json_of(result)["file"] == "output/letters/V-0001-closure-2026-04-13-draft.md"
    assert [c.get("letter") for c in contacts(book, "V-0001")] == ["initial"]


def test_the_final_letter_recalls_the_initial_letter(book: Path) -> None:
    text = plain(draft(book, "final", "V-0001", fmt="txt"))
    assert "I wrote to you on 2 April 2026" in text
    assert "please contact me by 20 April 2026" in text
    assert "we will be glad to open it again" in text  # Wokingham 6


def test_letters_never_go_into_the_record_folders(book: Path) -> None:
    for folder in ("children", "victims"):
        result = rj(book, "letter", "initial", "V-0001",
                    "--out", str(book / folder / "letter.md"))
        assert result.exit_code == 2
        assert f"cannot be written into {folder}/" in plain(result.output)
    assert not (book / "children" / "letter.md").exists()
    assert [c.get("letter") for c in contacts(book, "V-0001")] == ["initial"]


def test_wrong_record_or_option_is_refused(book: Path) -> None:
    wrong = rj(book, "letter", "initial", "C-0001")
    assert wrong.exit_code == 2
    assert "written from a victim record" in plain(wrong.output)
    option = rj(book, "letter", "initial", "V-0001", "--venue", "Somewhere")
    assert option.exit_code == 2
    assert "does not take --venue" in plain(option.output)


def test_note_can_be_read_from_a_file(book: Path, tmp_path: Path) -> None:
    note = tmp_path / "statement.txt"
    note.write_text("I felt unsafe in my own street for weeks.\n", encoding="utf-8")
    text = plain(draft(book, "panel-statement", "V-0001", "--note", f"@{note}"))
    assert "Your statement I felt unsafe in my own street for weeks." in text


# --- the sandbox: a casebook's template cannot reach Python or the disk ------------------


@pytest.mark.parametrize("template", [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'] }}",
    "{{ self.__init__.__globals__ }}",
    "{{ recipient.__class__.__base__ }}",
    "{{ service.name.format.__globals__ }}",
    "{% include '/etc/passwd' %}",
    "{% include '../../../../../../etc/passwd' %}",
    "{{ 'x' * 100000000 }}",
    "{% for i in range(10**9) %}{% endfor %}",
])
def test_a_template_cannot_escape_the_sandbox(book: Path, template: str) -> None:
    (book / "templates").mkdir()
    (book / "templates" / "initial.md.j2").write_text(template + "\n", encoding="utf-8")
    result = rj(book, "letter", "initial", "V-0001")
    message = plain(result.output)
    assert result.exit_code == 2, message
    assert message.startswith("error: template ")
    assert "templates/initial.md.j2" in message
    assert "root:" not in message and "uid=" not in message
    assert letter_files(book) == []


def test_html_escapes_what_the_record_holds(book: Path) -> None:
    path = book / "victims" / "V-0001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "name: Alex Example", "name: \"Alex <script>alert(1)</script> & Co\""), encoding="utf-8")
    page = draft(book, "initial", "V-0001", fmt="html")
    assert "<script>" not in page
    assert "Alex &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page


def test_the_casebook_template_wins_and_may_reuse_the_shipped_parts(book: Path) -> None:
    (book / "templates").mkdir()
    (book / "templates" / "_letterhead.md.j2").write_text("EXAMPLETOWN COUNCIL\n")
    text = draft(book, "closure", "V-0001")
    assert text.startswith("EXAMPLETOWN COUNCIL\n")
    assert "Tell us what you think" in text  # the rest is still the shipped closure letter


def test_a_template_that_raises_a_meeting_in_the_initial_letter_is_refused(book: Path) -> None:
    (book / "templates").mkdir()
    (book / "templates" / "initial.md.j2").write_text(
        "{{ salutation }}\n\nWould you like a conference with the young person?\n")
    result = rj(book, "letter", "initial", "V-0001")
    assert result.exit_code == 2
    assert "Wait 'til Eight §6.4.3" in plain(result.output)
    assert letter_files(book) == []


# --- rj letter list and help ---------------------------------------------------------------


def test_letter_list_shows_every_kind_what_it_needs_and_the_template(book: Path) -> None:
    (book / "templates").mkdir()
    (book / "templates" / "final.md.j2").write_text("{{ salutation }}\n")
    rows = json_of(rj(book, "letter", "list", "--json"))
    assert [r["kind"] for r in rows] == list(letterkinds.KIND_NAMES)
    by_kind = {r["kind"]: r for r in rows}
    assert by_kind["final"]["template"] == "casebook: templates/final.md.j2"
    assert by_kind["initial"]["template"] == "rj: templates/initial.md.j2"
    assert by_kind["initial"]["docx_template"] == "rj: templates/docx/initial.docx"
    assert "how to complain (service.complaints in rj.yaml)" in by_kind["initial"]["needs"]
    assert by_kind["child-appointment"]["options"] == ["--at", "--venue"]
    table = rj(book, "letter", "list").output.splitlines()
    final = next(line for line in table if line.startswith("final "))
    assert plain(final).endswith("recipient's address, reply-by date casebook / rj")
    assert any(line.startswith("child-appointment ") for line in table)


def test_help_shows_list_and_every_kind(book: Path) -> None:
    text = plain(rj(book, "letter", "--help").output)
    for name in ("list", *letterkinds.KIND_NAMES):
        assert f" {name} " in text
    assert "letter" in plain(invoke("--help").output)
    initial = plain(rj(book, "letter", "initial", "--help").output)
    assert "Example: rj letter initial V-0001" in initial
    assert "--venue" not in initial
    appointment = plain(rj(book, "letter", "child-appointment", "--help").output)
    assert "--venue" in appointment


# --- Word ------------------------------------------------------------------------------------


def docx_paragraphs(path: Path) -> list[str]:
    """The body's paragraphs in reading order, the address panel's cells included."""
    from rjcli.render.letters import docx_body_paragraphs

    return docx_body_paragraphs(path.read_bytes())


def test_word_letter_from_the_shipped_template(book: Path) -> None:
    result = rj(book, "letter", "initial", "V-0002", "--format", "docx", "--json")
    assert result.exit_code == 0, result.output
    path = book / json_of(result)["file"]
    assert path.name == "V-0002-initial-2026-04-13.docx"
    paragraphs = docx_paragraphs(path)
    assert "Morgan Example\n2 Example Road\nExampletown\nEX1 2BC" in paragraphs
    assert "Dear Morgan Example" in paragraphs
    assert any("Please get in touch by 20 April 2026" in p for p in paragraphs)
    assert not any("{{" in p or "{%" in p for p in paragraphs)
    assert contacts(book, "V-0002")[-1]["file"] == "output/letters/V-0002-initial-2026-04-13.docx"


def test_word_template_of_the_service_is_used_and_sandboxed(book: Path) -> None:
    from docx import Document

    (book / "templates" / "docx").mkdir(parents=True)
    own = Document()
    own.sections[0].header.paragraphs[0].text = "EXAMPLETOWN COUNCIL LETTER PAPER"
    own.add_paragraph("{{ salutation }}, reply by {{ reply_by }}.")
    own.save(str(book / "templates" / "docx" / "initial.docx"))
    result = rj(book, "letter", "initial", "V-0001", "--format", "docx", "--draft", "--json")
    assert result.exit_code == 0, result.output
    written = Document(str(book / json_of(result)["file"]))
    assert written.sections[0].header.paragraphs[0].text == "EXAMPLETOWN COUNCIL LETTER PAPER"
    assert written.paragraphs[-1].text == "Dear Alex Example, reply by 20 April 2026."

    hostile = Document()
    hostile.add_paragraph("{{ ''.__class__.__mro__ }}")
    hostile.save(str(book / "templates" / "docx" / "initial.docx"))
    refused = rj(book, "letter", "initial", "V-0001", "--format", "docx")
    assert refused.exit_code == 2
    assert "tried something templates may not do" in plain(refused.output)
    assert [c.get("letter") for c in contacts(book, "V-0001")] == ["initial"]


def test_shipped_word_templates_are_made_from_the_markdown_ones() -> None:
    spec = importlib.util.spec_from_file_location(
        "make_defaults", ROOT / "templates" / "docx" / "make_defaults.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.kinds() == sorted(letterkinds.KIND_NAMES)
    for kind in module.kinds():
        # if this fails: python templates/docx/make_defaults.py
        assert (ROOT / "templates" / "docx" / f"{kind}.docx").read_bytes() == module.build(kind)


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")),
                    reason="LibreOffice is not installed")
def test_word_letter_converts_to_pdf_with_libreoffice(book: Path, tmp_path: Path) -> None:
    result = rj(book, "letter", "closure", "V-0001", "--format", "docx", "--draft", "--json")
    source = book / json_of(result)["file"]
    office = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run([str(office), "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(source)], check=True, capture_output=True, timeout=120)
    pdf = tmp_path / (source.stem + ".pdf")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_txt_has_no_markdown_marks(book: Path) -> None:
    text = draft(book, "parent-consent", "V-0002", fmt="txt")
    assert "**" not in text and "  \n" not in text
    assert "Please fill in the slip at the end of this letter and send it back to me by " \
           "20 April 2026." in text
    assert io.StringIO(text).readline() == "Exampletown Youth Justice Service\n"


def test_the_child_letter_is_logged_on_the_child_record(book: Path) -> None:
    result = rj(book, "letter", "child-appointment", "C-0001", *APPOINTMENT, "--json")
    assert result.exit_code == 0, result.output
    logged = contacts(book, "C-0001")[-1]
    assert (logged["letter"], logged["with"], logged["file"]) == (
        "child-appointment", "child", "output/letters/C-0001-child-appointment-2026-04-13.md")
    assert "Alex" not in (book / logged["file"]).read_text(encoding="utf-8")


def _words(text: str) -> str:
    """Text with bullets, rules and line breaks evened out (Word and plain text differ)."""
    return " ".join(re.sub(r"(?m)^\s*-\s+|-{3,}|(- ){3,}", " ", text).split())


@pytest.mark.parametrize(("golden", "kind", "record_id", "args", "fmt"),
                         [c for c in CASES if c[4] == "md"], ids=[c[0] for c in CASES
                                                                   if c[4] == "md"])
def test_word_letter_says_what_the_text_letter_says(book: Path, golden: str, kind: str,
                                                    record_id: str, args: tuple[str, ...],
                                                    fmt: str) -> None:
    text = draft(book, kind, record_id, *args, fmt="txt")
    target = book.parent / f"{golden}.docx"
    result = rj(book, "letter", kind, record_id, "--draft", "--out", str(target), *args)
    assert result.exit_code == 0, result.output
    # the body; the page numbers and the reference at the top of later pages are the
    # letter paper's own (tests/test_letters_pdf.py)
    assert _words("\n".join(docx_paragraphs(target))) == _words(text)
