"""``rj report sample``: an inspection sample pack of closed victim cases (issue 20).

The casebook is ``tests/fixtures/report-casebook/`` read on 15 July 2026. The victim
cases closed in 2026-Q1 (1 April to 30 June) and closed still: V-0001 (26 June),
V-0002 (20 April), V-0004 (3 April) and V-0011 (closed 10 May, reopened, closed again
25 June). V-0003 closed on 6 July (2026-Q2); V-0006 on 31 March (2025-Q4); V-0010 was
closed on 29 June but reopened since: none of these three is in the 2026-Q1 sample.
"""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path
from typing import Any

import pytest
from conftest import plain
from test_reports import FIXTURE, Book, copy_of

from rjcli.core.identifiers import find, matcher_of
from rjcli.core.model import child_from_dict, identifiers_of, victim_from_dict
from rjcli.storage import yamlio

Q1 = ("--quarter", "2026-Q1")
CLOSED_IN_Q1 = {"V-0001", "V-0002", "V-0004", "V-0011"}

PLANTED = [
    # V-0001 Ann Example (dob 6 May 1980, 07700 900001, ann.example@example.org,
    # 1 Test Street, XE1 1AA) and her child C-0001 Jo Childfixture, in the forms workers
    # type them
    "Ann Example", "ANN EXAMPLE", "Example, Ann", "+44 7700 900001", "07700900001",
    "(0)7700 900 001", "Ann.Example@Example.org", "1 Test St", "xe1 1aa", "XE11AA",
    "06/05/1980", "6th May 1980", "1980-05-06", "Jo Childfixture", "Childfixture",
    # V-0002 Bernard Sampleton
    "Bernard", "Sampleton", "07700 900002", "b.sampleton@example.org", "21.10.1975",
]
"""Everything planted in the notes below; none of it may reach the pack."""

NOTES = {
    "V-0001": [
        "spoke to Ann Example at home; ANN EXAMPLE asked for calls on +44 7700 900001",
        "Example, Ann rang back from 07700900001, also (0)7700 900 001",
        "wrote to Ann.Example@Example.org and to 1 Test St, xe1 1aa (XE11AA)",
        "checked her date of birth 06/05/1980, i.e. 6th May 1980 (1980-05-06)",
        "told her Jo Childfixture wrote the letter; Childfixture is 17",
    ],
    "V-0002": [
        "Bernard says the letter helped; Mr Sampleton on 07700 900002",
        "sent to b.sampleton@example.org; dob 21.10.1975 confirmed",
    ],
}


def _plant(root: Path) -> None:
    """Add the notes above to contacts of V-0001 and V-0002 (as a worker would)."""
    for victim, notes in NOTES.items():
        path = root / "victims" / f"{victim}.yaml"
        text = path.read_text(encoding="utf-8")
        lines = "".join(
            f'  - {{id: 01KR00000000000000000099{n:02d}, at: "2026-04-1{n} 10:00", '
            f'method: phone, outcome: spoke, note: "{note}"}}\n'
            for n, note in enumerate(notes))
        text = text.replace("contacts:\n", "contacts:\n" + lines, 1)
        path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Book:
    root = copy_of(FIXTURE, tmp_path_factory.mktemp("sample") / "book")
    _plant(root)
    return Book(root)


def pack(book: Book, out: Path, *args: str, fmt: str = "json") -> Any:
    result = book.run("sample", *Q1, "--format", fmt, "--out", str(out), *args)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    return json.loads(text) if fmt == "json" else text


def _people(root: Path) -> list[Any]:
    found = []
    for folder, reader in (("victims", victim_from_dict), ("children", child_from_dict)):
        for path in sorted((root / folder).glob("*.yaml")):
            found.append(identifiers_of(reader(yamlio.parse_text(path.read_text("utf-8")))))
    return found


# --- which cases -----------------------------------------------------------------------


def test_the_sample_is_closed_cases_of_the_period_chosen_by_the_seed(book: Book,
                                                                      tmp_path: Path) -> None:
    first = pack(book, tmp_path / "a.json", "--n", "2", "--seed", "7", "--explain")
    again = pack(book, tmp_path / "b.json", "--n", "2", "--seed", "7", "--explain")
    assert first == again  # reproducible: the same seed, the same cases
    chosen = [c["case"] for c in first["cases"]]
    assert len(chosen) == 2 and set(chosen) <= CLOSED_IN_Q1
    assert first["seed"] == "7" and first["closed_in_period"] == 4
    # another seed is another draw from the same four (some seed gives another pair)
    others = {tuple(c["case"] for c in pack(book, tmp_path / f"{s}.json", "--n", "2",
                                               "--seed", str(s), "--explain")["cases"])
              for s in range(8)}
    assert len(others) > 1 and all(set(o) <= CLOSED_IN_Q1 for o in others)


def test_fewer_closed_cases_than_asked_for_are_all_taken_and_it_says_so(book: Book,
                                                                         tmp_path: Path) -> None:
    data = pack(book, tmp_path / "p.json", "--n", "12", "--seed", "S1", "--explain")
    assert {c["case"] for c in data["cases"]} == CLOSED_IN_Q1
    text = plain(pack(book, tmp_path / "p.md", "--n", "12", "--seed", "S1", fmt="md"))
    assert "12 cases were asked for, but only 4 victim cases were closed in 2026-Q1: " \
           "all 4 are in this pack" in text


def test_the_seed_is_stated_and_a_chosen_seed_repeats_the_draw(book: Book,
                                                                tmp_path: Path) -> None:
    out = tmp_path / "p.md"
    result = book.run("sample", *Q1, "--n", "2", "--out", str(out))
    assert result.exit_code == 0, result.output
    text = plain(out.read_text(encoding="utf-8"))
    seed = re.search(r"seed (\S+) \(chosen at random", text)
    assert seed, text
    repeat = plain(pack(book, tmp_path / "r.md", "--n", "2", "--seed", seed.group(1), fmt="md"))
    assert f"rj report sample --quarter 2026-Q1 --n 2 --seed {seed.group(1)}" in repeat
    body = lambda t: t[t.index("## Sample case 1"):]  # noqa: E731
    assert body(repeat) == body(text)


def test_a_year_takes_every_case_closed_in_it(book: Book, tmp_path: Path) -> None:
    out = tmp_path / "y.json"
    result = book.run("sample", "--year", "2026", "--n", "12", "--seed", "1", "--explain",
                      "--format", "json", "--out", str(out))
    assert result.exit_code == 0, result.output
    # V-0003 closed on 6 July 2026 joins; V-0006 (31 March) is in the 2025 year
    assert {c["case"] for c in json.loads(out.read_text())["cases"]} == CLOSED_IN_Q1 | {"V-0003"}


# --- what each case shows ------------------------------------------------------------


def test_each_case_has_its_timeline_and_rule_evaluation(book: Book, tmp_path: Path) -> None:
    data = pack(book, tmp_path / "p.json", "--n", "12", "--seed", "1", "--explain")
    case = next(c for c in data["cases"] if c["case"] == "V-0001")
    assert case["closed"] == "2026-06-26" and case["closure_reason"] == "completed"
    kinds = [e["kind"] for e in case["timeline"]]
    assert kinds[0] == "sentence" and "allocation" in kinds and "conference" in kinds
    rules = {r["rule"]: r for r in case["rules"]}
    # as rj explain V-0001 has it: first contact due 10 April, made 2 April, on time
    assert rules["first-contact"]["due"] == "2026-04-10"
    assert rules["first-contact"]["met"] == "2026-04-02"
    assert rules["first-contact"]["outcome"] == "met on time"
    assert rules["first-contact"]["source"]
    md = plain(pack(book, tmp_path / "p.md", "--n", "12", "--seed", "1", fmt="md"))
    assert "first-contact" in md and "met on time" in md and "phone with the victim: spoke" in md


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_no_planted_identifier_survives(book: Book, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"p.{fmt}"
    text = pack(book, out, "--n", "12", "--seed", "1", fmt=fmt)
    text = text if isinstance(text, str) else out.read_text(encoding="utf-8")
    folded = text.casefold()
    for planted in PLANTED:
        assert planted.casefold() not in folded, planted
    # nor any identifier of anyone in the casebook, in any form the matcher knows
    assert find(text, matcher_of(_people(book.root))) == []
    # nor a record id: cases are numbered (ids only with --explain, for internal use)
    assert not re.search(r"\b[VC]-\d{4}\b", text), re.findall(r"\b[VC]-\d{4}\b", text)
    # what is left of the notes is still there to read
    unescaped = text.replace("\\[", "[").replace("\\]", "]")  # Markdown escapes brackets
    assert "asked for calls on [phone]" in unescaped
    assert "(not shown: it names a person)" in unescaped  # the line with the address


def test_the_pack_is_owner_only_and_never_written_over_a_record(book: Book,
                                                                tmp_path: Path) -> None:
    out = tmp_path / "p.html"
    pack(book, out, "--n", "3", "--seed", "1", fmt="html")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    target = book.root / "victims" / "V-0001.yaml"
    before = target.read_bytes()
    result = book.run("sample", *Q1, "--n", "3", "--seed", "1", "--out", str(target))
    assert result.exit_code != 0
    assert target.read_bytes() == before


def test_without_out_the_pack_goes_to_the_casebooks_output_folder(book: Book) -> None:
    result = book.run("sample", *Q1, "--n", "1", "--seed", "9", "--format", "html")
    assert result.exit_code == 0, result.output
    written = book.root / "output" / "sample-2026-Q1-seed-9.html"
    assert written.is_file() and str(written) in plain(result.output)
    assert stat.S_IMODE(written.stat().st_mode) == 0o600


def test_a_period_with_no_closed_case_says_so(book: Book, tmp_path: Path) -> None:
    out = tmp_path / "p.md"
    result = book.run("sample", "--quarter", "2024-Q1", "--n", "12", "--seed", "1",
                      "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "No victim case was closed in 2024-Q1" in plain(out.read_text(encoding="utf-8"))


def test_n_must_be_at_least_one(book: Book) -> None:
    result = book.run("sample", *Q1, "--n", "0", "--seed", "1")
    assert result.exit_code == 2 and "--n" in plain(result.output)


def test_the_index_and_the_files_give_the_same_pack(book: Book, tmp_path: Path) -> None:
    args = ("sample", *Q1, "--n", "3", "--seed", "x", "--format", "json", "--explain")
    cached = book.run(*args, "--out", str(tmp_path / "a.json"))
    files = book.run(*args, "--out", str(tmp_path / "b.json"), cache=False)
    assert cached.exit_code == files.exit_code == 0, cached.output + files.output
    assert (tmp_path / "a.json").read_text() == (tmp_path / "b.json").read_text()
