"""``rj report quarterly -C east -C west``: several casebooks added up (issue 20).

East is the hand-counted report casebook (tests/fixtures/report-casebook, read on
15 July 2026); West is the same casebook less three victims (V-0001, V-0005, V-0008) and
with its own service name, so that every total differs from twice East's figures.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import invoke, plain
from test_reports import FIXTURE, FORMATS, TODAY, copy_of

Q1 = ("--quarter", "2026-Q1")
WEST = "Westshire Youth Justice Service"


def _make(root: Path, profile: str | None = None) -> tuple[Path, Path]:
    east = copy_of(FIXTURE, root / "east")
    west = copy_of(FIXTURE, root / "west")
    for gone in ("V-0001", "V-0005", "V-0008"):
        (west / "victims" / f"{gone}.yaml").unlink()
    config = west / "rj.yaml"
    text = config.read_text(encoding="utf-8").replace(
        "name: Fixtureshire Youth Justice Service", f"name: {WEST}")
    if profile:  # and a first contact within 10 working days instead of 5
        text = text.replace("profile: national", f"profile: {profile}\n  rules:\n"
                            "    first-contact: {offset: 10}")
    config.write_text(text, encoding="utf-8")
    return east, west


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return _make(tmp_path_factory.mktemp("combine"))


def report(*args: str, casebook: Path | None = None) -> Any:
    result = invoke("report", "quarterly", *Q1, *args, casebook=casebook, today=TODAY,
                    worker=None)
    return result


def as_json(*args: str, casebook: Path | None = None) -> Any:
    result = report(*args, "--format", "json", casebook=casebook)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def tables(data: Any) -> dict[str, Any]:
    return {t["key"]: t for s in data["sections"] for t in s["tables"]}


def values(table: Any) -> dict[str, dict[str, Any]]:
    return {r["key"]: r["values"] for r in table["rows"]}


def test_each_service_and_the_total_in_one_report(books: tuple[Path, Path]) -> None:
    east, west = books
    data = as_json("-C", str(east), "-C", str(west))
    alone = {str(p): as_json(casebook=p) for p in books}
    own = {"east": tables(alone[str(east)]), "west": tables(alone[str(west)])}
    found = tables(data)
    assert data["service"] == f"Fixtureshire Youth Justice Service, {WEST}"
    # KPI 10 (a table of several columns: all, pre-court, statutory, not recorded): all
    # services, then each service's own table as its own report has it
    kpi = values(found["kpi10"])
    east_kpi, west_kpi = values(own["east"]["kpi10"]), values(own["west"]["kpi10"])
    assert values(found["kpi10.east"]) == east_kpi
    assert values(found["kpi10.west"]) == west_kpi
    for row, figures in kpi.items():
        for column, value in figures.items():
            e, w = east_kpi[row][column], west_kpi[row][column]
            if isinstance(e, int):
                assert value == e + w, (row, column)
    assert kpi["engagement_rate"]["number"] == round(
        100 * kpi["engaged_rj"]["number"] / kpi["consented_to_contact"]["number"], 1)
    # the headline is the total
    assert data["kpi10"]["victims_total"] == kpi["victims_total"]["number"]
    # a rate is worked out again from the added counts, not averaged
    first = values(found["first-contact"])
    assert first["on-time"]["all"] == first["on-time"]["east"] + first["on-time"]["west"]
    assert first["on-time-rate"]["all"] == round(
        100 * first["on-time"]["all"] / first["total"]["all"], 1)
    assert first["on-time-rate"]["east"] != first["on-time-rate"]["west"]
    # a table of several columns: all services, then each service's own
    timely = values(found["timeliness"])
    west_own = values(found["timeliness.west"])
    assert west_own == values(own["west"]["timeliness"])
    assert timely["first-contact"]["due"] == (values(own["east"]["timeliness"])
                                              ["first-contact"]["due"]
                                              + west_own["first-contact"]["due"])
    # a median is given per service only, and the report says why
    outcomes = values(found["outcomes"])
    assert outcomes["median-days"]["all"] is None
    assert outcomes["median-days"]["east"] == 66
    activity = next(s for s in data["sections"] if s["key"] == "activity")
    assert any("median of the medians" in d for d in activity["definitions"])
    # an introduction that counts says each service's count
    assert activity["intro"] == (
        "Fixtureshire Youth Justice Service: Victims allocated from 1 April 2026 to 30 June "
        f"2026: 9. {WEST}: Victims allocated from 1 April 2026 to 30 June 2026: 6.")


def test_a_casebook_before_the_command_comes_first(books: tuple[Path, Path]) -> None:
    east, west = books
    assert as_json("-C", str(west), casebook=east) == as_json("-C", str(east), "-C", str(west))
    # one casebook named after the command is that casebook's ordinary report
    assert as_json("-C", str(west)) == as_json(casebook=west)


def test_a_casebook_named_twice_is_refused(books: tuple[Path, Path]) -> None:
    east, west = books
    result = report("-C", str(east), "-C", str(west), "-C", f"{east}/.", casebook=None)
    assert result.exit_code == 2
    assert "is named twice: its figures would be counted twice" in plain(result.output)
    result = report("-C", str(east), casebook=east)
    assert result.exit_code == 2


def test_explain_names_the_casebook_of_each_id(books: tuple[Path, Path]) -> None:
    east, west = books
    data = as_json("-C", str(east), "-C", str(west), "--explain")
    first = [e for e in data["explain"] if e["table"] == "first-contact" and e["row"] == "late"]
    # V-0005 (late) is in East only: West's copy of the fixture lost it
    assert {e["column"]: e["cases"] for e in first} == {"all": ["east:V-0005"],
                                                         "east": ["east:V-0005"]}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_carries_each_service_and_the_total(books: tuple[Path, Path],
                                                         fmt: str, tmp_path: Path) -> None:
    east, west = books
    out = tmp_path / f"both.{fmt}"
    result = report("-C", str(east), "-C", str(west), "--format", fmt, "--out", str(out))
    assert result.exit_code == 0, result.output
    if fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(out)
        text = " ".join(str(c.value) for sheet in book.worksheets for row in sheet.iter_rows()
                        for c in row if c.value)
    else:
        text = out.read_text(encoding="utf-8")
    # CSV names columns by key: the casebook's folder, and "all" for all services
    wanted = (",all,", ",east,", ",west,") if fmt == "csv" else (
        "All services", "Fixtureshire Youth Justice Service", WEST)
    for words in wanted:
        assert words in text, (fmt, words)


def test_without_out_html_goes_to_the_first_casebooks_output(books: tuple[Path, Path]) -> None:
    east, west = books
    result = report("-C", str(east), "-C", str(west), "--format", "html")
    assert result.exit_code == 0, result.output
    assert (east / "output" / "report-2026-Q1-east-west.html").is_file()


def test_rules_that_differ_are_not_added_up_and_the_report_says_which(tmp_path: Path) -> None:
    east, west = _make(tmp_path, profile="wokingham")
    data = as_json("-C", str(east), "-C", str(west))
    found = tables(data)
    # West's first contact is within 10 working days, East's within 5: the first-contact
    # table has each service, and no total
    assert [c["key"] for c in found["first-contact"]["columns"]] == ["east", "west"]
    activity = next(s for s in data["sections"] if s["key"] == "activity")
    note = next(d for d in activity["definitions"] if "not added up" in d)
    assert note.startswith("First contact within the timescale: not added up, the rule "
                           "first-contact differs")
    assert "Fixtureshire Youth Justice Service: 5 working days" in note
    # timeliness: a rule that differs is left out of the total and shown per service
    timely = next(s for s in data["sections"] if s["key"] == "timeliness")
    total_rows = values(found["timeliness"])
    assert "first-contact" not in total_rows
    assert "first-contact" in values(found["timeliness.east"])
    assert any("first-contact" in d and "not in the total of all services" in d
               for d in timely["definitions"])
    # a rule only Wokingham has is not in the total either; one the same in both is
    assert "initial-letter" not in total_rows and "initial-letter" in values(
        found["timeliness.west"])
    assert "agreement-copy" in total_rows and "progress-update" in total_rows
    # KPI 10 does not depend on a rule: it is added up whatever the profiles
    assert values(found["kpi10"])["victims_total"]["number"] == sum(
        values(found[f"kpi10.{side}"])["victims_total"]["number"] for side in ("east", "west"))
    assert any("first-contact" in n for n in data["notes"])
    shutil.rmtree(tmp_path)
