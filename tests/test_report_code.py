"""``rj report code``: Victims' Code evidence, counted by hand on the report casebook.

The casebook is ``tests/fixtures/report-casebook/`` (read on 15 July 2026; its record
files say in their opening comments what they feed). Nine victims were allocated in
2026-Q1: V-0001 to V-0005 and V-0008 to V-0011 (tests/test_reports.py, referrals).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_reports import FIXTURE, FORMATS, Book, copy_of

Q1 = ("--quarter", "2026-Q1")


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Book:
    return Book(copy_of(FIXTURE, tmp_path_factory.mktemp("code") / "book"))


def rows(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    table = data["sections"][0]["tables"][0]
    return {r["key"]: r["values"] for r in table["rows"]}


def cells(on_time: Any, late: Any, not_met: Any, not_due: Any, not_applicable: Any
          ) -> dict[str, Any]:
    return {"on-time": on_time, "late": late, "not-met": not_met, "not-due": not_due,
            "not-applicable": not_applicable}


NONE = cells(None, None, None, None, None)
"""A right no rule in force evidences (the fixture uses the national profile): "-"."""


def test_rights_counted_by_hand(book: Book) -> None:
    assert rows(book.json("code", *Q1)) == {
        # first-contact, as in the quarterly report: V-0001, 2, 3, 9, 10, 11 tried on time;
        # V-0005 due 12 May, first call 14 May; V-0008 due 18 May, never contacted;
        # V-0004 said no to contact, so it never applied to her
        "rj-information": cells(6, 1, 1, 0, 1),
        # no rule of the national profile evidences a referral to support
        "support-referral": NONE,
        # assessment-meeting and confirm-timeframes are Tower Hamlets rules: not in force
        "views-sought": NONE,
        # V-0001's 20 May update given that day; V-0003's 15 June update never given;
        # V-0009's falls due on 15 July (next quarter: in no column, and not "not
        # applicable" either); the other six allocated victims asked for no updates
        "updates-on-request": cells(1, 0, 1, 0, 6),
        # no child was sentenced for a violent or sexual offence: none of the nine
        "victim-contact-scheme": cells(0, 0, 0, 0, 9),
        "complaints": NONE,        # complaint-manager is a Somerset rule
        "end-of-contact": NONE,    # closure rules are local (Wokingham, Somerset, Tower Hamlets)
    }


def test_index_and_files_agree(book: Book) -> None:
    assert book.json("code", *Q1) == book.json("code", *Q1, cache=False)


def test_explain_lists_the_case_ids_of_each_cell(book: Book) -> None:
    data = book.json("code", *Q1, "--explain")
    found = {(e["row"], e["column"]): e["cases"] for e in data["explain"]}
    assert found[("rj-information", "late")] == ["V-0005"]
    assert found[("rj-information", "not-met")] == ["V-0008"]
    assert found[("updates-on-request", "not-met")] == ["V-0003"]
    # every figure counts the victims it lists
    data_rows = rows(data)
    for (row, column), cases in found.items():
        assert data_rows[row][column] == len(cases)
    assert "V-0005" not in json.dumps(book.json("code", *Q1))  # never without --explain


def test_every_row_names_its_source_and_evidence(book: Book) -> None:
    definitions = book.json("code", *Q1)["sections"][0]["definitions"]
    assert len(definitions) == 7
    assert definitions[0].startswith("Information about restorative justice (YJB §23;")
    assert "evidenced by the rules first-contact, home-service-liaison" in definitions[0]
    assert "Code of Practice for Victims of Crime in England and Wales (2020), Right 11" \
        in definitions[4]
    assert "no rule in force evidences it (shown as -)" in definitions[1]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_carries_the_rights(book: Book, fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"code.{fmt}"
    result = book.run("code", *Q1, "--format", fmt, "--out", str(out))
    assert result.exit_code == 0, result.output
    if fmt == "xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(out).active
        text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    else:
        text = out.read_text(encoding="utf-8")
    assert "Information about restorative justice" in text
    assert "Referral to the Probation Victim Contact Scheme" in text


def test_a_service_adds_a_right_in_its_own_file(tmp_path: Path) -> None:
    own = Book(copy_of(FIXTURE, tmp_path / "book"))
    (own.root / "policy").mkdir()
    (own.root / "policy" / "code-rights.yaml").write_text(
        "title: Our rights\nsource: Our board, 2026\nrights:\n"
        "  - id: conference-follow-up\n"
        "    title: Conference agreement and feedback\n"
        "    source: Wait 'til Eight appendix 7E (1), §6.7.2\n"
        "    rules: [agreement-copy, conference-feedback]\n"
        "  - id: contact-and-updates\n"
        "    title: Contact, then updates\n"
        "    source: YJB §22, §23\n"
        "    rules: [first-contact, progress-update]\n", encoding="utf-8")
    data = own.json("code", *Q1)
    assert data["sections"][0]["title"] == "Our rights"
    assert rows(data) == {
        # V-0001: agreement copies sent 7 May (due 8 May) and conference feedback in 3
        # days: two instances on time, one victim on time. V-0005: panel on 20 May,
        # feedback 29 May: late (as in the timeliness table). Not applicable: the nine
        # allocated victims less V-0001 and V-0005
        "conference-follow-up": cells(1, 1, 0, 0, 7),
        # each victim by the worst of their instances: V-0003's first contact was on
        # time but her 15 June update was never given: not met, with V-0008 (never
        # contacted); V-0001 (both on time), V-0002, V-0009, V-0010, V-0011 on time;
        # V-0005 late; V-0004 said no to contact
        "contact-and-updates": cells(5, 1, 2, 0, 1),
    }


def test_a_broken_rights_file_is_refused_with_what_is_accepted(tmp_path: Path) -> None:
    own = Book(copy_of(FIXTURE, tmp_path / "book"))
    (own.root / "policy").mkdir()
    (own.root / "policy" / "code-rights.yaml").write_text(
        "title: Ours\nsource: Our board\nrights:\n  - id: x\n    title: X\n    source: abc\n",
        encoding="utf-8")
    result = own.run("code", *Q1)
    assert result.exit_code != 0
    assert "policy/code-rights.yaml" in result.output
    assert "rules" in result.output
    assert "schemas/code-rights.schema.json" in result.output


def test_periods_half_and_year_and_only_one(book: Book) -> None:
    assert book.json("code", "--year", "2026")["period"] == {
        "label": "2026-27", "start": "2026-04-01", "end": "2027-03-31"}
    assert book.json("code", "--half", "2026-H1")["period"]["end"] == "2026-09-30"
    assert book.json("code")["period"]["label"] == "2026-Q1"  # last complete quarter
    result = book.run("code", "--quarter", "2026-Q1", "--year", "2026")
    assert result.exit_code != 0
    assert "give one period" in result.output
