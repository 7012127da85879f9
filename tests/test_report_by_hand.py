"""The quarterly report of a casebook small enough to count by hand, over two quarters
(issue 17: "a small casebook under tests/ whose every KPI 10 and timeliness figure is
worked out by hand in a comment beside it, for two quarters, and a test that the report
equals it").

The casebook is tests/fixtures/two-quarters (each record says in its opening comment
which figures it feeds); the report is read on Tuesday 20 October 2026, after both
quarters: 2026-Q1 is 1 April to 30 June 2026, 2026-Q2 is 1 July to 30 September 2026.
Working days are England's (4 May and 25 May 2026 are bank holidays).

Counted by hand
===============

Children and victims (P = pre-court, S = statutory, N = disposal not recorded):

  child   disposal (column)          decided / order starts   order ends   victims
  C-0001  youth caution (P)          14 Apr / 14 Apr          29 May (Q1)  V-0001 V-0002
  C-0002  referral order (S)         2 Mar / 23 Mar           30 Jun (Q1)  V-0003 V-0004
  C-0003  YRO (S)                    6 Jul / 6 Jul            25 Sep (Q2)  V-0005 V-0006
  C-0004  none (N)                   none                     14 Aug (Q2)  V-0007
  C-0005  community resolution (P)   11 May / 11 May          none         V-0008
  (V-0009 is linked to no child)

KPI 10                                  2026-Q1: all  P  S  N   2026-Q2: all  P   S   N
children with victims                            2    1  1  0            2    0   1   1
  (C-0001, C-0002 | C-0003, C-0004)
victims counted                                  4    2  2  0            3    0   2   1
  (V-0001..V-0004 | V-0005..V-0007)
consented to contact                             3    2  1  0            2    0   1   1
  (V-0004 said no | V-0006 has no answer)
contacted                                        3    2  1  0            1    0   1   0
  (V-0002's unanswered call counts | V-0007 never contacted)
view sought before the decision                  2    1  1  0            0    0   0   0
  (V-0001 10 Apr <= 14 Apr; V-0003 20 Mar <= 23 Mar; V-0002 20 Apr > 14 Apr)
engaged                                          1    1  0  0            1    0   1   0
  (V-0001 letter completed + consent; V-0002 no written consent |
   V-0005 impact statement in progress + consent; V-0007 only accepted)
engagement rate                               33.3 50.0 0.0 -         50.0    - 100.0 0.0
progress asked for                               1    1  0  0            1    0   1   0
  ... told                                       1    1  0  0            0    0   0   0
progress declined (V-0002 said no)               1    1  0  0            0    0   0   0
progress not asked (V-0003 | V-0007)             1    0  1  0            1    0   0   1
support asked for (V-0001 | V-0005)              1    1  0  0            1    0   1   0
  ... given information (V-0001 | none)          1    1  0  0            0    0   0   0

Timeliness (national rules; deadline in the quarter). Columns: fell due, met on time,
met late, outstanding, share late or outstanding.
                                2026-Q1                     2026-Q2
                          due  met late  out share    due  met late  out share
first-contact               4    3    1    0  25.0      2    1    0    1  50.0
  Q1: V-0001 due 22 Apr met 16 Apr; V-0002 due 22 Apr met 24 Apr (late); V-0008 due 19 May
      met 13 May; V-0009 due 8 Jun met 3 Jun. (V-0003 fell due 17 Mar, 2025-Q4.)
  Q2: V-0005 due 15 Jul met 9 Jul; V-0007 due 27 Jul, never met.
progress-update             1    1    0    0   0.0      1    0    0    1 100.0
  Q1: V-0001 due 15 May met 15 May.  Q2: V-0005 due 1 Sep, not given.
child-first-contact         2    1    0    1  50.0      1    0    1    0 100.0
  Q1: C-0001 due 6 May met 20 Apr; C-0005 due 2 Jun, never met. (C-0002 fell due 23 Mar.)
  Q2: C-0003 due 27 Jul met 29 Jul (late).
every other national rule   0    0    0    0     -      0    0    0    0     -

Contacts recorded late (written down more than 2 working days after they happened)
                        2026-Q1: recorded late share   2026-Q2: recorded late share
victims allocated                         4    1  25.0            1    1  100.0
  Q1: V-0001, V-0002, V-0008 the same day; V-0009 3 Jun -> 9 Jun (4 working days, late)
  Q2: V-0005 9 Jul -> 14 Jul (3 working days, late)
children whose order ended                2    0   0.0            1    1  100.0
  Q1: C-0001, C-0002 the same day (C-0005 has no order end)
  Q2: C-0003 29 Jul -> 5 Aug (5 working days, late)
all                                       6    1  16.7            2    2  100.0

Data quality                       2026-Q1            2026-Q2
no order end                       1 (C-0005)         0
unlinked victim                    1 (V-0009)         0
no consent answer                  0                  1 (V-0006)
no disposal                        0                  1 (V-0007)
no decision date                   0                  0
view sought after the decision     1 (V-0002)         0
no written consent                 1 (V-0002)         0
no referral stage                  0                  1 (V-0007)
closed with no outcome             1 (V-0008)         0
entry with no date                 1 (V-0009)         0
contact with no date               0                  0
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import invoke, plain

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "two-quarters"
TODAY = "2026-10-20"
NONE = None  # a rate with nothing to divide by

KPI10 = {
    "2026-Q1": {
        # line: (all, pre-court, statutory, disposal not recorded)
        "children_with_victims": (2, 1, 1, 0),
        "victims_total": (4, 2, 2, 0),
        "consented_to_contact": (3, 2, 1, 0),
        "contacted": (3, 2, 1, 0),
        "view_sought": (2, 1, 1, 0),
        "engaged_rj": (1, 1, 0, 0),
        "engagement_rate": (33.3, 50.0, 0.0, NONE),
        "progress_requested": (1, 1, 0, 0),
        "progress_provided": (1, 1, 0, 0),
        "progress_declined": (1, 1, 0, 0),
        "progress_not_asked": (1, 0, 1, 0),
        "support_requested": (1, 1, 0, 0),
        "support_provided": (1, 1, 0, 0),
    },
    "2026-Q2": {
        "children_with_victims": (2, 0, 1, 1),
        "victims_total": (3, 0, 2, 1),
        "consented_to_contact": (2, 0, 1, 1),
        "contacted": (1, 0, 1, 0),
        "view_sought": (0, 0, 0, 0),
        "engaged_rj": (1, 0, 1, 0),
        "engagement_rate": (50.0, NONE, 100.0, 0.0),
        "progress_requested": (1, 0, 1, 0),
        "progress_provided": (0, 0, 0, 0),
        "progress_declined": (0, 0, 0, 0),
        "progress_not_asked": (1, 0, 0, 1),
        "support_requested": (1, 0, 1, 0),
        "support_provided": (0, 0, 0, 0),
    },
}

TIMELINESS = {
    # rule: (fell due, met on time, met late, outstanding, late or outstanding %)
    "2026-Q1": {
        "first-contact": (4, 3, 1, 0, 25.0),
        "progress-update": (1, 1, 0, 0, 0.0),
        "child-first-contact": (2, 1, 0, 1, 50.0),
    },
    "2026-Q2": {
        "first-contact": (2, 1, 0, 1, 50.0),
        "progress-update": (1, 0, 0, 1, 100.0),
        "child-first-contact": (1, 0, 1, 0, 100.0),
    },
}
QUIET = (0, 0, 0, 0, NONE)
"""Every other national rule: nothing fell due."""

RECORDED_LATE = {
    # row: (contacts recorded, recorded late, share late %)
    "2026-Q1": {"victims": (4, 1, 25.0), "children": (2, 0, 0.0), "all": (6, 1, 16.7)},
    "2026-Q2": {"victims": (1, 1, 100.0), "children": (1, 1, 100.0), "all": (2, 2, 100.0)},
}

DATA_QUALITY = {
    # line: the records on it (the count is how many)
    "2026-Q1": {"no-order-end": ["C-0005"], "unlinked": ["V-0009"],
                "view-after-decision": ["V-0002"], "no-written-consent": ["V-0002"],
                "no-outcome": ["V-0008"], "undated": ["V-0009"]},
    "2026-Q2": {"no-consent-answer": ["V-0006"], "no-disposal": ["V-0007"],
                "no-stage": ["V-0007"]},
}


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("by-hand") / "book"
    shutil.copytree(FIXTURE, root)
    return root


def report(root: Path, quarter: str, *extra: str, cache: bool = True) -> dict[str, Any]:
    pre = () if cache else ("--no-cache",)
    result = invoke(*pre, "report", "quarterly", "--quarter", quarter, "--format", "json",
                    *extra, casebook=root, today=TODAY, worker=None)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def table(data: dict[str, Any], section: str, key: str) -> dict[str, list[Any]]:
    """{row key: [values in column order]} of one table."""
    found = next(s for s in data["sections"] if s["key"] == section)
    rows = next(t for t in found["tables"] if t["key"] == key)["rows"]
    return {r["key"]: list(r["values"].values()) for r in rows}


@pytest.mark.parametrize("cache", [True, False], ids=["index", "files"])
@pytest.mark.parametrize("quarter", ["2026-Q1", "2026-Q2"])
def test_every_kpi10_line_equals_the_hand_count(book: Path, quarter: str, cache: bool) -> None:
    data = report(book, quarter, cache=cache)
    assert table(data, "kpi10", "kpi10") == {k: list(v) for k, v in KPI10[quarter].items()}


@pytest.mark.parametrize("cache", [True, False], ids=["index", "files"])
@pytest.mark.parametrize("quarter", ["2026-Q1", "2026-Q2"])
def test_every_timeliness_line_equals_the_hand_count(book: Path, quarter: str,
                                                     cache: bool) -> None:
    data = report(book, quarter, cache=cache)
    rules = table(data, "timeliness", "timeliness")
    assert len(rules) == 11  # every rule of the national profile has a line
    assert rules == {rule: list(TIMELINESS[quarter].get(rule, QUIET)) for rule in rules}
    late = table(data, "timeliness", "recorded-late")
    assert late == {k: list(v) for k, v in RECORDED_LATE[quarter].items()}


@pytest.mark.parametrize("cache", [True, False], ids=["index", "files"])
@pytest.mark.parametrize("quarter", ["2026-Q1", "2026-Q2"])
def test_every_data_quality_line_equals_the_hand_count(book: Path, quarter: str,
                                                       cache: bool) -> None:
    data = report(book, quarter, "--explain", cache=cache)
    lines = table(data, "data-quality", "data-quality")
    assert len(lines) == 11
    assert lines == {k: [len(DATA_QUALITY[quarter].get(k, []))] for k in lines}
    behind = {e["row"]: e["cases"] for e in data["explain"] if e["section"] == "data-quality"}
    assert behind == DATA_QUALITY[quarter]


def test_data_quality_names_records_only_under_explain(book: Path) -> None:
    def screen(*extra: str) -> str:
        result = invoke("report", "quarterly", "--quarter", "2026-Q1", *extra, casebook=book,
                        today=TODAY, worker=None)
        assert result.exit_code == 0, result.output
        return plain(result.stdout)

    quiet, explained = screen(), screen("--explain")
    assert "Data quality" in quiet and "Victims linked to no child" in quiet
    assert "C-0005" not in quiet and "V-0009" not in quiet
    assert "V-0009" in explained and "C-0005" in explained
