"""bench/generate.py: the benchmark's casebook is valid, private, linked and repeatable.

The benchmark's numbers only mean something if rj reads the generated casebook as it
reads a real one: every record passes `rj check` (schema, links both ways, dates,
no victim identifier under children/), and the same seed gives the same files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from conftest import load_bench_generate
from rjcli.storage import yamlio

BENCH_TODAY = "2026-06-15"
RECORD_ID = re.compile(r"^[VC]-[0-9A-HJKMNP-TV-Z]{6}$")


generate = load_bench_generate()


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30 victims and 15 children, seed 1."""
    root = tmp_path_factory.mktemp("bench") / "casebook"
    generate.generate(root, victims=30, children=15, seed=1)
    return root


def records(root: Path, folder: str) -> dict[str, dict[str, Any]]:
    out = {}
    for path in sorted((root / folder).glob("*.yaml")):
        data = yamlio.read_fast(path)
        assert isinstance(data, dict)
        out[path.stem] = data
    return out


def test_generated_casebook_passes_rj_check_without_a_warning(
        small: Path, run: Callable[..., Result]) -> None:
    result = run("check", "--json", casebook=small, today=BENCH_TODAY)
    report = json.loads(result.stdout)
    assert report["problems"] == []
    assert result.exit_code == 0


def test_records_are_the_requested_number_with_well_formed_ids(small: Path) -> None:
    victims, children = records(small, "victims"), records(small, "children")
    assert len(victims) == 30
    assert len(children) == 15
    assert all(RECORD_ID.match(i) and data["id"] == i
               for i, data in (victims | children).items())


def test_victims_and_children_are_linked_both_ways(small: Path) -> None:
    victims, children = records(small, "victims"), records(small, "children")
    for vid, victim in victims.items():
        linked = [link["child"] for link in victim["children"]]
        assert 1 <= len(linked) <= 2
        for cid in linked:
            assert vid in [ref["ref"] for ref in children[cid]["victims"]]
    counts = [len(child.get("victims", [])) for child in children.values()]
    assert max(counts) <= 3
    assert sum(counts) == sum(len(v["children"]) for v in victims.values())


def test_contact_details_are_fictional_and_never_under_children(small: Path) -> None:
    victims = records(small, "victims")
    phones = [p for v in victims.values() for p in v.get("phones", [])]
    assert phones and all(re.fullmatch(r"07700 900\d{3}", p) for p in phones)
    emails = [v["email"] for v in victims.values() if "email" in v]
    assert emails and all(e.endswith("@example.org") for e in emails)
    surnames = {v["name"].split()[-1] for v in victims.values() if v["kind"] != "corporate"}
    for path in (small / "children").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "07700" not in text and "@" not in text
        assert not [s for s in surnames if s in text], path.name


def test_cases_are_varied_open_and_closed_and_rj_due_reads_them(
        small: Path, run: Callable[..., Result]) -> None:
    victims = records(small, "victims")
    statuses = [v["status_history"][-1]["status"] for v in victims.values()]
    assert "open" in statuses and "closed" in statuses
    assert len({v["referral"]["stage"] for v in victims.values()}) >= 2
    assert all(5 <= len(v["contacts"]) <= 15 for v in victims.values())
    due = run("due", "--all", "--json", casebook=small, today=BENCH_TODAY)
    assert due.exit_code == 0
    assert isinstance(json.loads(due.stdout), list)


def test_the_same_seed_writes_the_same_files(small: Path, tmp_path: Path) -> None:
    again, other = tmp_path / "again", tmp_path / "other"
    generate.generate(again, victims=30, children=15, seed=1)
    generate.generate(other, victims=30, children=15, seed=2)

    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes()
                for p in sorted(root.rglob("*.yaml")) if ".rj" not in p.parts}

    assert files(again) == files(small)
    assert files(other) != files(small)


def test_refuses_to_write_into_a_folder_that_is_not_empty(small: Path) -> None:
    with pytest.raises(SystemExit, match="not empty"):
        generate.generate(small, victims=1, children=1, seed=1)
