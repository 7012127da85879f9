"""``rj report annual --year 2026``: the board's annual report (issue 20), on the
hand-counted casebook of tests/fixtures/two-quarters (read on 20 October 2026)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import invoke, plain

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "two-quarters"
TODAY = "2026-10-20"
ADDED_UP = ("children_with_victims", "victims_total", "consented_to_contact", "contacted",
            "view_sought", "engaged_rj", "progress_requested", "progress_provided",
            "progress_declined", "progress_not_asked", "support_requested", "support_provided")


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("annual") / "book"
    shutil.copytree(FIXTURE, root)
    return root


def rj(root: Path, *args: str) -> Any:
    return invoke(*args, casebook=root, today=TODAY, worker=None)


def as_json(root: Path, *args: str) -> dict[str, Any]:
    result = rj(root, "report", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_year_counts_each_victim_once_as_its_quarters_do(book: Path) -> None:
    year = as_json(book, "annual", "--year", "2026")
    quarters = [as_json(book, "quarterly", "--quarter", f"2026-Q{n}") for n in range(1, 5)]
    # KPI 10 places a victim in the one quarter its child's order ended: the year is the sum
    for key in ADDED_UP:
        assert year["kpi10"][key] == sum(q["kpi10"][key] for q in quarters), key
    assert year["kpi10"]["victims_total"] > 0
    assert year["period"]["start"] == "2026-04-01" and year["period"]["end"] == "2027-03-31"


def test_the_sections_are_the_quarters_trends_then_the_year_then_code_and_feedback(
        book: Path) -> None:
    year = as_json(book, "annual", "--year", "2026")
    assert [s["key"] for s in year["sections"]] == [
        "trends", "kpi10", "activity", "timeliness", "data-quality", "code", "satisfaction"]
    trends = year["sections"][0]["tables"][0]
    assert [c["heading"] for c in trends["columns"]] == ["2026-Q1", "2026-Q2", "2026-Q3",
                                                          "2026-Q4"]


def test_the_year_is_never_called_a_quarter(book: Path) -> None:
    text = plain(rj(book, "report", "annual", "--year", "2026").output)
    after_trends = text.split("YJB KPI 10", 1)[1]
    assert "Victims counted this year" in after_trends
    assert not re.search(r"\b(this|the) quarter\b", after_trends)


@pytest.mark.parametrize("fmt", ["md", "csv", "html", "xlsx"])
def test_every_format_carries_the_annual_report(book: Path, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"annual.{fmt}"
    result = rj(book, "report", "annual", "--year", "2026", "--format", fmt, "--out",
                str(target))
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    assert data
    if fmt in ("md", "html"):
        text = data.decode("utf-8")
        assert "annual report" in text and "2026-27" in text
        assert "V-0001" not in text  # no record ids without --explain


def test_the_default_year_is_the_last_complete_one_and_a_wrong_year_is_refused(
        book: Path) -> None:
    default = as_json(book, "annual")
    assert default["period"]["start"] == "2025-04-01"  # read in October 2026
    wrong = rj(book, "report", "annual", "--year", "1999")
    assert wrong.exit_code == 2
    assert "--year 2026 is April 2026 to March 2027" in plain(wrong.output)


def test_years_side_by_side_each_as_its_own_annual_report(book: Path) -> None:
    # issue 20: "every report takes --periods N": the board's "are we getting better?"
    both = as_json(book, "annual", "--year", "2026", "--periods", "2")
    assert both["period"]["label"] == "2025-26 to 2026-27"
    tables = {t["key"]: t for s in both["sections"] for t in s["tables"]}
    trend = {r["key"]: r["values"] for r in tables["trends"]["rows"]}
    assert list(trend["engagement-rate"]) == ["2025-26", "2026-27"]
    for label, year in (("2025-26", "2025"), ("2026-27", "2026")):
        own = as_json(book, "annual", "--year", year)
        assert trend["engagement-rate"][label] == own["kpi10"]["engagement_rate"]
        key = "kpi10" if year == "2026" else "kpi10.2025-26"
        assert {r["key"]: r["values"] for r in tables[key]["rows"]} == {
            r["key"]: r["values"] for s in own["sections"] for t in s["tables"]
            if t["key"] == "kpi10" for r in t["rows"]}
    # each year's own quarter-by-quarter trends are not repeated beside the years'
    assert [s["key"] for s in both["sections"]].count("trends") == 1
