"""Fuzzing (issue #8): schema-valid records of every shape survive a save and a load
unchanged, and every command answers any argument list with a result or a documented
error - never a traceback."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import CasebookUnderTest, invoke, make_casebook
from rjcli.storage import yamlio
from rjcli.storage.schemas import validate

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
DOCUMENTED_EXITS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
"""0 done, 1 problems found (check, list), 2 bad input or usage, 3-9 rjcli/errors.py."""

# --- schema-valid records ------------------------------------------------------------------

# what a person may type: any printable text, several lines, accents, emoji; not the
# control characters the fast reader refuses, nor NEL (a known defect: test_storage.py)
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"),
                             exclude_characters="\x85\u2028\u2029\ufeff",
                             include_characters="\n"), min_size=1, max_size=40).filter(
    lambda t: t.strip() != "")
WORDS = st.one_of(TEXT, st.sampled_from([
    "yes", "no", "on", "null", "~", "0777", "07432945841", "1e3", "2026-04-02", "- x", "a: b",
    "# x", "'q'", '"dq"', "&a", "*a", "!t", "%YAML", "@x", "x #y", "{a: 1}", "[1]", "|", ">",
    "Zoë Ó Dúnlaing", "名前", "😀"]))
ENTRY_ID = st.text(CROCKFORD, min_size=26, max_size=26)
DAY = st.dates(min_value=date(1930, 1, 1), max_value=date(2030, 12, 31))
MOMENT = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31, 23, 59)
                      ).map(lambda d: d.strftime("%Y-%m-%d %H:%M"))
"""Within the dates a record may hold (rjcli/core/limits.py): the reader refuses others."""
PHONE = st.from_regex(r"(0[1-9][0-9]{3} ?[0-9]{6}|\+44 ?7700 ?900[0-9]{3})", fullmatch=True)
EMAIL = st.from_regex(r"[a-z0-9._-]{1,12}@example\.(org|com|net)", fullmatch=True)
POSTCODE = st.from_regex(r"[A-Z]{1,2}[0-9] [0-9][A-Z]{2}", fullmatch=True)
ADDRESS = st.fixed_dictionaries({}, optional={"lines": st.lists(TEXT, max_size=3),
                                              "postcode": POSTCODE})
# a name is one line of plain text (the schemas refuse control characters and line breaks)
NAME = WORDS.filter(lambda t: t.isprintable())
PERSON = st.fixed_dictionaries({"name": NAME}, optional={
    "relationship": TEXT, "phone": PHONE, "email": EMAIL, "address": ADDRESS})


def record_id(prefix: str) -> st.SearchStrategy[str]:
    return st.text(CROCKFORD, min_size=6, max_size=6).map(lambda t: f"{prefix}-{t}")


STATUS = st.one_of(
    st.fixed_dictionaries({"id": ENTRY_ID, "date": DAY, "status": st.just("open")},
                          optional={"by": TEXT, "note": TEXT}),
    st.fixed_dictionaries({"id": ENTRY_ID, "date": DAY, "status": st.just("closed"),
                           "reason": st.sampled_from(["completed", "declined", "withdrew",
                                                      "no-response", "out-of-area"])},
                          optional={"by": TEXT, "note": TEXT}))
CONTACT = st.fixed_dictionaries(
    {"id": ENTRY_ID, "at": MOMENT,
     "method": st.sampled_from(["phone", "text", "letter", "email", "visit", "meeting", "video"]),
     "outcome": st.sampled_from(["spoke", "no-answer", "left-message", "sent", "kept"])},
    optional={"with": st.sampled_from(["victim", "parent-guardian", "police", "child"]),
              "letter": st.sampled_from(["initial", "final", "closure"]), "note": WORDS,
              "by": TEXT, "recorded_at": MOMENT,
              "headings": st.fixed_dictionaries({}, optional={"reason": TEXT,
                                                              "victim_view": TEXT})})


def consents(kinds: list[str]) -> st.SearchStrategy[list[dict[str, Any]]]:
    return st.lists(st.fixed_dictionaries(
        {"id": ENTRY_ID, "kind": st.sampled_from(kinds),
         "answer": st.sampled_from(["yes", "no", "withdrawn"])},
        optional={"date": DAY, "source": TEXT, "note": WORDS, "by": TEXT,
                  "recorded_at": MOMENT}), max_size=3)


VICTIMS = st.fixed_dictionaries(
    {"id": record_id("V"),
     "kind": st.sampled_from(["individual", "under-18", "corporate", "family-or-carer"]),
     "name": NAME,
     "referral": st.fixed_dictionaries({"allocated": DAY}, optional={
         "source": st.sampled_from(["police", "court", "self"]),
         "stage": st.sampled_from(["pre-court", "post-sentence"]),
         "disposal": st.sampled_from(["referral-order", "yro", "youth-caution"]),
         "worker": NAME, "received": DAY, "sentence_date": DAY}),
     "status_history": st.lists(STATUS, min_size=1, max_size=3)},
    optional={
        "dob": DAY, "address": ADDRESS, "phones": st.lists(PHONE, min_size=1, max_size=3),
        "email": EMAIL, "ethnicity": WORDS, "needs": WORDS,
        "contact_preferences": st.fixed_dictionaries({}, optional={
            "method": st.sampled_from(["phone", "letter"]), "times": TEXT}),
        "entitlements": st.lists(st.sampled_from(["vulnerable", "intimidated", "bereaved"]),
                                 min_size=1, max_size=2, unique=True),
        "parent_guardian": PERSON, "representative": PERSON, "home_service": TEXT,
        "children": st.lists(st.fixed_dictionaries({"child": record_id("C")},
                                                   optional={"offence": WORDS}),
                             min_size=1, max_size=2),
        "consents": consents(["contact", "rj-participation", "share-views", "evaluation"]),
        "contacts": st.lists(CONTACT, min_size=1, max_size=3),
        "offers": st.lists(st.fixed_dictionaries(
            {"id": ENTRY_ID, "option": st.sampled_from(["conference", "letter-of-explanation"]),
             "status": st.sampled_from(["offered", "accepted", "declined"]), "date": DAY},
            optional={"reason": WORDS, "by": TEXT}), min_size=1, max_size=2),
        "assessments": st.lists(st.fixed_dictionaries(
            {"id": ENTRY_ID, "checklist": TEXT, "started": DAY},
            optional={"title": TEXT, "completed": DAY, "rating": st.sampled_from(["LOW", "HIGH"]),
                      "answers": st.lists(st.fixed_dictionaries(
                          {"question": TEXT, "text": WORDS, "answer": WORDS},
                          optional={"note": WORDS, "risk": st.booleans()}), min_size=1,
                          max_size=3)}), min_size=1, max_size=2),
    })
CHILDREN = st.fixed_dictionaries(
    {"id": record_id("C"), "name": NAME, "status_history": st.lists(STATUS, min_size=1,
                                                                     max_size=3)},
    optional={
        "dob": DAY, "sex": st.sampled_from(["female", "male", "other", "not-known"]),
        "ethnicity": WORDS, "case_holder": NAME,
        "offences": st.lists(st.fixed_dictionaries({"description": TEXT}, optional={
            "date": DAY, "violent_or_sexual": st.booleans()}), min_size=1, max_size=2),
        "disposal": st.sampled_from(["referral-order", "yro", "custody"]),
        "sentence_date": DAY, "order_start": DAY, "order_end": DAY,
        "sentence_months": st.integers(0, 48), "hospital_order": st.booleans(),
        "co_defendants": st.lists(record_id("C"), min_size=1, max_size=2),
        "victims": st.lists(st.builds(
            lambda ref, n, more: {"ref": ref, "label": f"Victim {n}", **more},
            record_id("V"), st.integers(1, 9), st.fixed_dictionaries({}, optional={
                "adult": st.booleans(), "known_to_child": st.booleans(),
                "sex": st.sampled_from(["female", "male"]), "ethnicity": TEXT})),
            min_size=1, max_size=3),
        "consents": consents(["share-details-with-victim", "rj-participation"]),
        "contacts": st.lists(CONTACT, min_size=1, max_size=3),
        "victim_awareness": st.lists(st.fixed_dictionaries(
            {"id": ENTRY_ID, "date": DAY}, optional={"note": WORDS}), min_size=1, max_size=2),
        "reparation": st.lists(st.fixed_dictionaries(
            {"id": ENTRY_ID, "date": DAY, "hours": st.sampled_from([0, 0.5, 1.5, 2, 10])},
            optional={"kind": st.sampled_from(["direct", "indirect"])}), min_size=1,
            max_size=2),
    })


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(VICTIMS.map(lambda r: ("victim", r)), CHILDREN.map(lambda r: ("child", r))))
def test_a_valid_record_saves_and_loads_unchanged(kind_record: tuple[str, dict[str, Any]]
                                                  ) -> None:
    kind, record = kind_record
    assert validate(kind, record, "x") == []  # the strategy makes only valid records

    text = yamlio.dump_new(record)
    document = yamlio.load_document(text)

    assert document.dump() == text  # save after load: byte-identical
    assert yamlio.parse_text(text) == record  # and the fast reader reads what was written
    assert yamlio.parse_text(document.dump()) == yamlio.parse_text(text)
    assert validate(kind, yamlio.parse_text(text), "x") == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VICTIMS, st.lists(CONTACT, min_size=1, max_size=3))
@example(  # found by a random run: a nested text ending in a line break
    record={"id": "V-000000", "kind": "individual", "name": "0",
            "referral": {"allocated": date(2000, 1, 1)},
            "status_history": [{"id": "0" * 26, "date": date(2000, 1, 1), "status": "open"}]},
    added=[{"id": "0" * 26, "at": "2000-01-01 00:00", "method": "phone", "outcome": "spoke",
            "with": "victim", "headings": {"reason": "0\n"}}])
def test_an_appended_entry_reads_back_and_saves_stable(record: dict[str, Any],
                                                       added: list[dict[str, Any]]) -> None:
    from rjcli.storage import edits

    document = yamlio.load_document(yamlio.dump_new(record))
    for entry in added:
        edits.append(document.tree, "contacts", entry)
    text = document.dump()

    def as_kept(value: Any) -> Any:
        """A text of several lines is kept without its final line breaks, at any depth (a
        random run once found ``headings: {reason: "0\\n"}``, which the old top-level-only
        expectation missed)."""
        if isinstance(value, dict):
            return {k: as_kept(v) for k, v in value.items()}
        if isinstance(value, list):
            return [as_kept(v) for v in value]
        return value.rstrip("\n") if isinstance(value, str) and "\n" in value else value

    assert yamlio.parse_text(text)["contacts"][-len(added):] == [as_kept(e) for e in added]
    assert yamlio.load_document(text).dump() == text


# --- every command, any arguments --------------------------------------------------------------


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CasebookUnderTest]:
    """One casebook for the whole module (hypothesis runs many examples per test)."""
    root = tmp_path_factory.mktemp("fuzz") / "casebook"
    made = make_casebook(root)
    yield made
    shutil.rmtree(root, ignore_errors=True)


def values(book: CasebookUnderTest) -> st.SearchStrategy[str]:
    """Anything a person (or a script gone wrong) might type as an argument."""
    typed = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",),
                                  exclude_characters="\x00"), max_size=25)
    return st.one_of(typed, st.sampled_from([
        "", " ", "-", "--", "---", "-x", "--json", "--help", book.victim, book.child,
        book.victim.lower(), "V-", "C-", "V-0000", "V-ZZZZZZ", "../x", "V-../x",
        "../../etc/passwd", "/dev/zero", "2026-04-02", "2026-02-30", "9999-12-31", "0001-01-01",
        "2026-04-02 10:00", "2026-04-02 25:61", "today", "yesterday", "now", "tomorrow",
        "phone", "spoke", "victim", "contact", "yes", "no", "withdrawn", "all", "victims",
        "children", "-1", "0", "1e309", "nan", "%s%s%n", "{0}", "{{7*7}}", "$(id)", "`id`",
        "a" * 5000, "\u202e", "\udcff", "😀" * 50, "\n", "\t", "Zoë",
    ]))


COMMANDS = {
    "show": ["--json"],
    "list": ["victims", "children", "all", "--open", "--worker", "--json"],
    "contact": ["log", "--method", "--outcome", "--at", "--note", "--with", "--letter",
                "--heading", "--headings", "--json"],
    "consent": ["contact", "rj-participation", "yes", "no", "--date", "--source", "--note",
                "--json"],
    "due": ["--all", "--worker", "--json", "--within", "--rule", "--overdue"],
    "explain": ["--json", "--all"],
    "check": ["--json"],
    "export": ["--out", "--json"],
    "retention": ["--json"],
    "purge": ["--confirm", "--early", "--reason", "--json"],
}
"""Each fuzzed command and words it knows (mixed with garbage)."""


def argument_lists(book: CasebookUnderTest, command: str) -> st.SearchStrategy[list[str]]:
    tokens = st.one_of(values(book), st.sampled_from(COMMANDS[command]))
    head = ["contact", "log"] if command == "contact" else [command]
    return st.lists(tokens, max_size=8).map(lambda rest: head + rest)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_any_arguments_get_a_result_or_a_documented_error(
        book: CasebookUnderTest, tmp_path_factory: pytest.TempPathFactory,
        monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    out = tmp_path_factory.mktemp("exports")
    monkeypatch.chdir(out)  # a relative path among the garbage lands here

    @settings(max_examples=50, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(argument_lists(book, command), st.sampled_from(["2026-04-02", "2026-13-01", "x"]))
    def run(args: list[str], today: str) -> None:
        if command == "export":  # the last --out wins: a scratch folder, never a fuzzed path
            args = [*args, "--out", str(out / "x")]
        result = invoke(*args, casebook=book.root, today=today, allow_unexpected=True,
                        env={"EDITOR": "true"})
        shown = result.output
        assert "Traceback" not in shown, (args, shown)
        assert result.exit_code in DOCUMENTED_EXITS, (args, result.exit_code, shown)

    run()


def test_the_fuzzed_casebook_still_checks_clean(book: CasebookUnderTest) -> None:
    # whatever the fuzzing saved, it saved valid records only
    result = invoke("check", "--json", casebook=book.root, allow_unexpected=True)
    assert result.exit_code == 0, result.output


# --- hostile record files against every reading command (issue 15) ----------------------------


def _load_bench_fuzz() -> Any:
    """bench/fuzz.py as a module (the hostile record files and the runner)."""
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "bench" / "fuzz.py"
    spec = importlib.util.spec_from_file_location("bench_fuzz", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def test_hostile_record_files_never_stop_or_hang_a_reading_command() -> None:
    # RJ_FUZZ_FILES=1000 for the full run (bench/fuzz.py prints the same figures)
    import os

    fuzz = _load_bench_fuzz()
    count = int(os.environ.get("RJ_FUZZ_FILES") or 30)
    figures = fuzz.run(count, seed=int(os.environ.get("RJ_FUZZ_SEED") or 7), batch=10)
    shown = figures.as_text()
    assert figures.files == count and figures.runs >= count * len(fuzz.ONE), shown
    assert figures.crashes == [], shown  # no exit 70, no traceback
    assert figures.hangs == [], shown
    assert figures.not_served == [], shown  # every good record still listed
    assert set(figures.exits) <= DOCUMENTED_EXITS, shown


def test_the_hostile_files_are_of_every_kind() -> None:
    fuzz = _load_bench_fuzz()
    made = fuzz.hostile_files(400, seed=1)
    kinds = {h.kind for h in made}
    assert set(fuzz.STRUCTURES) <= kinds  # every whole-file kind is made
    texts = b"\n".join(h.content for h in made)
    for value in (b"!!binary", b"!!set", b"!!python/", b"!!omap", b"9" * 5000, b"9999-12-31",
                  b"0001-01-01", b"[" * 300, b"*nowhere", b".inf"):
        assert value in texts, value
