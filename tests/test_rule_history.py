"""A cold build evaluates only open records' rules (all ``rj due`` shows); the first
read of every rule instance (a report) works out the closed records' from the index. Every answer is
still the files' answer (``--no-cache``): ``rj due`` straight after the cold build, every
report after it, and both after hand edits and settings changes made in between."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date

import pytest
from test_check_index import run  # (exit code, output) of one command, with or without the index
from test_index_settings import CHANGES
from test_report_index import REPORTS, same_reports


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    from conftest import generated_casebook

    return generated_casebook(tmp_path_factory, seed=23)


@pytest.fixture
def book(generated, tmp_path, monkeypatch):
    """A copy of the generated casebook, whose every index build is a cold, two-process
    one (a real casebook's is from 400 changed files)."""
    import rjcli.storage.index.refresh as refresh_module

    monkeypatch.setattr(refresh_module, "PARALLEL_FROM", 1)
    root = tmp_path / "casebook"
    shutil.copytree(generated, root)
    return root


def rule_rows(root):
    """(is open, rules worked out) of every readable record's row in the index."""
    db = sqlite3.connect(root / ".rj" / "index.sqlite")
    try:
        return db.execute("SELECT is_open, evals IS NOT NULL, record_id FROM files "
                          "WHERE data IS NOT NULL").fetchall()
    finally:
        db.close()


def due_is_the_files(root):
    for args in (("due", "--all", "--json", "--within", "60"), ("due", "--all")):
        assert run(root, *args) == run(root, *args, cache=False), args


def test_a_cold_build_evaluates_open_records_and_the_first_report_the_rest(book):
    due_is_the_files(book)
    rows = rule_rows(book)
    assert {(is_open, done) for is_open, done, _ in rows} == {(1, 1), (0, 0)}, \
        "open records evaluated, closed ones left for the first report"
    same_reports(book)
    assert all(done for _, done, _ in rule_rows(book))
    due_is_the_files(book)


@pytest.mark.parametrize("processes", [1, 2])
def test_the_rule_history_is_the_files_in_one_process_or_two(book, monkeypatch, processes):
    import rjcli.storage.index.history as history

    monkeypatch.setattr(history, "PARALLEL_FROM", 1 if processes == 2 else 100_000)
    due_is_the_files(book)
    quarterly = next(args for args in REPORTS if args[1] == "quarterly")
    assert run(book, *quarterly) == run(book, *quarterly, cache=False)
    assert all(done for _, done, _ in rule_rows(book))


def test_hand_edits_before_the_first_report(book):
    due_is_the_files(book)
    closed = sorted(rid for is_open, _, rid in rule_rows(book) if not is_open)
    victim = next(r for r in closed if r.startswith("V-"))
    child = next(r for r in closed if r.startswith("C-"))
    # a closed victim's worker changes by hand; a closed child's order end moves
    path = book / "victims" / f"{victim}.yaml"
    text = path.read_text()
    assert "  worker: " in text
    path.write_text(text.replace("  worker: ", "  worker: Hand Edited ", 1))
    path = book / "children" / f"{child}.yaml"
    text = path.read_text()
    assert "order_end: 20" in text
    path.write_text(text.replace("order_end: 20", "order_end: 19", 1))
    due_is_the_files(book)
    assert any(not done for _, done, _ in rule_rows(book))
    same_reports(book)


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_settings_change_before_the_first_report(book, change):
    due_is_the_files(book)
    CHANGES[change](book)
    due_is_the_files(book)
    same_reports(book)
    assert all(done for _, done, _ in rule_rows(book))


def test_the_first_read_of_rule_instances_works_out_what_a_cold_build_left(book):
    from pathlib import Path

    from rjcli.storage.casebook import Casebook
    from rjcli.storage.index import Index, open_index

    due_is_the_files(book)
    unrefreshed = Index(Casebook(Path(book)))
    try:  # which day to evaluate for is the refresh's: none, no answer
        assert unrefreshed.rule_history_pending()
        with pytest.raises(RuntimeError, match="before it was refreshed"):
            unrefreshed.evaluations(unrefreshed.policy())
    finally:
        unrefreshed.close()
    index = open_index(Casebook(Path(book)), date(2026, 6, 15))
    assert index is not None
    try:
        assert index.rule_history_pending()
        evaluations = index.evaluations(index.policy())
        closed = {rid for is_open, _, rid in rule_rows(book) if not is_open}
        assert closed and closed <= evaluations.keys()
        assert not index.rule_history_pending()
        assert index.complete_rule_history() == 0
        assert index.evaluations(index.policy()) == evaluations
    finally:
        index.close()


def test_a_records_row_reads_none_of_the_logs_a_closed_record_is_built_without(generated):
    """A cold build builds a closed record without its contact, consent and appointment
    logs (``rows.row_view``): its row (summary, open or not, allocation and order end
    days, identifiers) must be the row of the whole record, for every sample and
    generated record, and for records whose logs hold everything a row could read."""
    from pathlib import Path

    from rjcli.core.model import child_from_dict, victim_from_dict
    from rjcli.storage import yamlio
    from rjcli.storage.index.rows import ROW_SKIPS, record_row, row_view

    sample = Path(__file__).parent.parent / "sample-casebook"
    checked = 0
    for root in (sample, generated):
        for kind, folder, build in (("victim", "victims", victim_from_dict),
                                    ("child", "children", child_from_dict)):
            for path in sorted((root / folder).glob("*.yaml")):
                data = yamlio.parse_json(path.read_text())
                assert ROW_SKIPS & data.keys() or folder == "children"
                assert (record_row(path.name, kind, data, build(row_view(data)), "c")
                        == record_row(path.name, kind, data, build(data), "c")), path
                checked += 1
    assert checked > 180


def test_a_cold_build_leaves_the_index_as_its_triggers_would(book):
    """A cold build writes its rows with the insert triggers dropped, does their work once
    for all rows, and makes them again: the links table holds every row's links, the
    triggers are all there, and they work for the next change."""
    due_is_the_files(book)
    db = sqlite3.connect(book / ".rj" / "index.sqlite")
    try:
        triggers = {name for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type='trigger'")}
        assert {"due_span_written", "links_written", "people_written", "links_changed",
                "people_changed", "due_span_changed"} <= triggers
        links = sorted(db.execute("SELECT path, kind, record_id, target FROM links"))
        expected = sorted((path, kind, rid, target) for path, kind, rid, raw in db.execute(
            "SELECT path, kind, record_id, links FROM files") for target in json.loads(raw or "[]"))
        assert links == expected and len(links) > 100
        assert db.execute("SELECT value FROM meta WHERE key='people:generation'").fetchone()
    finally:
        db.close()
    victim = sorted((book / "victims").glob("*.yaml"))[0]
    text = victim.read_text()
    victim.write_text(text.replace("children:\n", "children:\n  - child: C-NEWLINK\n", 1))
    due_is_the_files(book)
    db = sqlite3.connect(book / ".rj" / "index.sqlite")
    try:
        assert db.execute("SELECT count(*) FROM links WHERE target='C-NEWLINK'").fetchone() == (1,)
    finally:
        db.close()
