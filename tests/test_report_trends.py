"""``rj report quarterly --periods N``: the last N quarters side by side, trend charts in
HTML (issue 20). The hand-counted report casebook, read on 15 July 2026 (its quarters
2025-Q2 to 2026-Q1), and a small generated casebook over eight quarters."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import load_bench_generate, plain
from test_reports import FIXTURE, FORMATS, Book, copy_of

from rjcli.core.periods import periods_up_to
from rjcli.core.reports import half, quarter

QUARTERS = ("2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1")


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Book:
    return Book(copy_of(FIXTURE, tmp_path_factory.mktemp("trends") / "book"))


def tables(data: Any) -> dict[str, Any]:
    return {t["key"]: t for s in data["sections"] for t in s["tables"]}


def values(table: Any) -> dict[str, dict[str, Any]]:
    return {r["key"]: r["values"] for r in table["rows"]}


def test_the_periods_before_a_quarter_or_a_half() -> None:
    assert periods_up_to(quarter(2026, 1), 3) == [quarter(2025, 3), quarter(2025, 4),
                                                   quarter(2026, 1)]
    assert [p.label for p in periods_up_to(quarter(2026, 2), 6)] == [
        "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]
    assert periods_up_to(half(2026, 1), 3) == [half(2025, 1), half(2025, 2), half(2026, 1)]


def test_each_quarter_side_by_side_as_its_own_report_gives_it(book: Book) -> None:
    data = book.json("quarterly", "--quarter", "2026-Q1", "--periods", "4")
    assert data["period"]["label"] == "2025-Q2 to 2026-Q1"
    assert data["kpi10"] == book.json("quarterly", "--quarter", "2026-Q1")["kpi10"]
    found = tables(data)
    trend = values(found["trends"])
    assert [c["key"] for c in found["first-contact"]["columns"]] == list(QUARTERS)
    for label in QUARTERS:
        own = tables(book.json("quarterly", "--quarter", label))
        kpi = values(own["kpi10"])
        # KPI 10 has several columns (all, pre-court, statutory): once per quarter, the
        # quarter asked for under its own key (JSON's "kpi10" headline is that quarter's)
        key = "kpi10" if label == QUARTERS[-1] else f"kpi10.{label}"
        assert values(found[key]) == kpi
        # a table of one column has a column per quarter
        assert {k: v[label] for k, v in values(found["first-contact"]).items()} == \
            {k: v["victims"] for k, v in values(own["first-contact"]).items()}
        assert trend["engagement-rate"][label] == kpi["engagement_rate"]["number"]
        assert trend["first-contact-on-time"][label] == \
            values(own["first-contact"])["on-time-rate"]["victims"]
        timely = values(own["timeliness"]).values()
        due = sum(r["due"] for r in timely)
        on_time = sum(r["on-time"] for r in timely)
        assert trend["timeliness-on-time"][label] == (round(100 * on_time / due, 1)
                                                      if due else None)
        # a table of several columns follows once per quarter, as that quarter has it
        key = "timeliness" if label == QUARTERS[-1] else f"timeliness.{label}"
        assert values(found[key]) == values(own["timeliness"])
    # counted by hand: 2026-Q1's KPI 10 engagement rate 25% (1 engaged of 4 consented);
    # first contact 6 of 8 in time; nobody was counted in KPI 10 in 2025-Q2
    assert trend["engagement-rate"]["2026-Q1"] == 25.0
    assert trend["first-contact-on-time"]["2026-Q1"] == 75.0
    assert trend["engagement-rate"]["2025-Q2"] is None


def test_the_html_has_line_charts_with_axes_and_a_legend(book: Book, tmp_path: Path) -> None:
    out = tmp_path / "trends.html"
    result = book.run("quarterly", "--quarter", "2026-Q1", "--periods", "4", "--format", "html",
                      "--out", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page
    figure = re.search(r'<figure class="block trend">.*?</figure>', page, re.S)
    assert figure, "no trend chart"
    chart = figure.group()
    for words in ("Per cent", ">Quarter<", "0%", "100%", *QUARTERS,
                  "KPI 10 engagement rate (engaged / consented)",
                  "First contact attempted in time", "Timescales met on time (all rules)"):
        assert words in chart, words
    legend = re.search(r'<ul class="legend".*?</ul>', chart, re.S)
    assert legend and legend.group().count("<li ") == 3
    # one mark per figure that can be worked out: engagement (circles) has none in
    # 2025-Q2 and 2025-Q3, so 2 points and no mark where the figure is missing
    trend = values(tables(book.json("quarterly", "--quarter", "2026-Q1", "--periods", "4"))
                   ["trends"])
    plot = chart[:chart.index('<ul class="legend"')]
    circles = plot.count("<circle")
    assert circles == sum(v is not None for v in trend["engagement-rate"].values())
    assert "<polyline" in plot


def written_text(book: Book, fmt: str, out: Path, *report: str) -> str:
    """The report written in ``fmt`` to ``out``, as text (an Excel file's cells joined)."""
    result = book.run(*report, "--format", fmt, "--out", str(out))
    assert result.exit_code == 0, result.output
    if fmt != "xlsx":
        return out.read_text(encoding="utf-8")
    from openpyxl import load_workbook

    return " ".join(str(c.value) for sheet in load_workbook(out).worksheets
                    for row in sheet.iter_rows() for c in row if c.value)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_carries_the_trends(book: Book, fmt: str, tmp_path: Path) -> None:
    text = written_text(book, fmt, tmp_path / f"trends.{fmt}",
                        "quarterly", "--quarter", "2026-Q1", "--periods", "4")
    wanted = ("trends", "2025-Q2") if fmt == "csv" else ("Trends, 2025-Q2 to 2026-Q1",
                                                         "KPI 10 engagement rate")
    for words in wanted:
        assert words in text, (fmt, words)


def test_one_period_is_the_ordinary_report(book: Book) -> None:
    assert book.json("quarterly", "--quarter", "2026-Q1", "--periods", "1") == \
        book.json("quarterly", "--quarter", "2026-Q1")


@pytest.mark.parametrize("n", ["0", "13"])
def test_a_number_of_periods_out_of_range_is_refused(book: Book, n: str) -> None:
    result = book.run("quarterly", "--periods", n)
    assert result.exit_code == 2 and "give 1 to 12" in plain(result.output)


def test_periods_of_several_casebooks_are_refused(book: Book, tmp_path: Path) -> None:
    other = copy_of(FIXTURE, tmp_path / "other")
    result = book.run("quarterly", "--periods", "4", "-C", str(other))
    assert result.exit_code == 2
    assert "--periods and several casebooks" in plain(result.output)


def test_eight_quarters_of_a_generated_casebook(tmp_path: Path) -> None:
    # a small casebook from the benchmark's generator (dates January 2023 to June 2026)
    root = tmp_path / "generated"
    load_bench_generate().generate(root, victims=160, children=80, seed=3)
    out = tmp_path / "eight.json"
    result = Book(root).run("quarterly", "--periods", "8", "--format", "json", "--out",
                            str(out), today="2026-06-15")
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    trend = values(tables(data)["trends"])
    labels = [f"{y}-Q{q}" for y in (2024, 2025) for q in (1, 2, 3, 4)]
    assert list(trend["timeliness-on-time"]) == labels
    figures = [v for row in trend.values() for v in row.values() if v is not None]
    assert len(figures) >= 16 and all(0 <= v <= 100 for v in figures)


def test_half_years_side_by_side_with_the_satisfied_share(book: Book) -> None:
    data = book.json("six-monthly", "--half", "2026-H1", "--periods", "3")
    trend = values(tables(data)["trends"])
    assert list(trend) == ["satisfied-share"]
    for label in ("2025-H1", "2025-H2", "2026-H1"):
        own = values(tables(book.json("six-monthly", "--half", label))["satisfaction"])
        assert trend["satisfied-share"][label] == own["satisfied-share"]["all"]
    # counted by hand (tests/test_reports.py): 2026-H1, 3 of the 5 forms giving a level
    assert trend["satisfied-share"]["2026-H1"] == 60.0
    assert "The last 3 half years side by side" in data["notes"][0]


def test_code_rights_over_quarters_side_by_side(book: Book) -> None:
    # issue 20: "every report takes --periods N"; rj report code, one trend line per right
    data = book.json("code", "--quarter", "2026-Q1", "--periods", "4")
    assert data["period"]["label"] == "2025-Q2 to 2026-Q1"
    found = tables(data)
    trend = values(found["trends"])
    last = values(tables(book.json("code", "--quarter", "2026-Q1"))["code-rights"])
    assert list(trend) == list(last)  # one line per right, in the rights' order
    for label in QUARTERS:
        own = values(tables(book.json("code", "--quarter", label))["code-rights"])
        for right, cells in own.items():
            decided = [cells[k] for k in ("on-time", "late", "not-met")]
            if cells["on-time"] is None or not sum(decided):
                assert trend[right][label] is None, (right, label)
            else:
                share = round(100 * cells["on-time"] / sum(decided), 1)
                assert trend[right][label] == pytest.approx(share, abs=0.05), (right, label)
            key = "code-rights" if label == QUARTERS[-1] else f"code-rights.{label}"
            if key in found:
                assert values(found[key])[right] == cells


def test_code_rights_over_financial_years(book: Book) -> None:
    data = book.json("code", "--year", "2025", "--periods", "2")
    assert data["period"]["label"] == "2024-25 to 2025-26"
    assert list(next(iter(values(tables(data)["trends"]).values()))) == ["2024-25", "2025-26"]


def test_a_caseload_trend_is_refused_saying_why(book: Book) -> None:
    result = book.run("caseload", "--periods", "4")
    assert result.exit_code == 2
    said = plain(result.output)
    assert "as at today" in said and "rj report quarterly --periods 4" in said


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_carries_the_code_trends(book: Book, fmt: str, tmp_path: Path) -> None:
    text = written_text(book, fmt, tmp_path / f"code-trends.{fmt}",
                        "code", "--quarter", "2026-Q1", "--periods", "3")
    wanted = ("trends", "2025-Q3") if fmt == "csv" else ("Trends, 2025-Q3 to 2026-Q1",
                                                         "Information about restorative")
    for words in wanted:
        assert words in text, (fmt, words)
