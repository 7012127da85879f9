"""``rj supervise``: supervision and quality assurance of victim work recorded with who,
when and what (issue 19; Wokingham 22.2; Wait 'til Eight table 4, §6.8.2, §7.9)."""

from __future__ import annotations

import re

from tests.conftest import VICTIM, CasebookUnderTest, plain

MANAGER = "Mo Manager"


def _manager(casebook: CasebookUnderTest) -> None:
    assert casebook.run("staff", "add", MANAGER, "--role", "manager").exit_code == 0


def test_supervision_is_recorded_with_who_when_and_what_and_shown(
        casebook: CasebookUnderTest) -> None:
    _manager(casebook)
    result = casebook.run("supervise", casebook.victim, "--manager", "mo", "--date", "1 Apr",
                          "--note", "Contact plan reviewed; the letter's tone is right")
    assert result.exit_code == 0, result.output
    assert f"Supervision of {casebook.victim} recorded: Mo Manager, Wednesday 1 April 2026" \
        in plain(result.output)
    [entry] = casebook.data(casebook.victim)["supervision"]
    assert (entry["kind"], str(entry["date"]), entry["manager"], entry["note"], entry["by"]) == (
        "supervision", "2026-04-01", MANAGER, "Contact plan reviewed; the letter's tone is right",
        "Sam Worker")
    assert entry["id"] and entry["recorded_at"]
    result = casebook.run("supervise", casebook.victim, "--manager", MANAGER, "--kind",
                          "quality-assurance", "--note", "Case file audited: recording on time")
    assert result.exit_code == 0, result.output
    shown = plain(casebook.run("show", casebook.victim).output)
    assert "Supervision: 2 April 2026 quality assurance by Mo Manager: Case file audited: " \
           "recording on time (2 in all)" in shown
    assert casebook.run("check").exit_code == 0


def test_the_childs_side_is_supervised_on_the_childs_record_behind_the_privacy_gate(
        casebook: CasebookUnderTest) -> None:
    _manager(casebook)
    ok = casebook.run("supervise", casebook.child, "--manager", MANAGER, "--note",
                      "Victim awareness sessions planned well")
    assert ok.exit_code == 0, ok.output
    assert casebook.data(casebook.child)["supervision"][0]["manager"] == MANAGER
    assert "Supervision: 2 April 2026 by Mo Manager: Victim awareness sessions planned well" \
        in plain(casebook.run("show", casebook.child).output)
    before = casebook.text(casebook.child)
    leak = casebook.run("supervise", casebook.child, "--manager", MANAGER, "--note",
                        f"Discussed {VICTIM['name']}'s wish to meet")
    assert leak.exit_code == 6
    assert casebook.text(casebook.child) == before


def test_a_supervisor_not_on_the_staff_list_a_future_date_or_no_note_is_refused(
        casebook: CasebookUnderTest) -> None:
    _manager(casebook)
    before = casebook.text(casebook.victim)
    wrong = casebook.run("supervise", casebook.victim, "--manager", "Mo Manger", "--note",
                         "Fine as it is")
    assert wrong.exit_code == 2
    assert "did you mean Mo Manager" in plain(wrong.output)
    later = casebook.run("supervise", casebook.victim, "--manager", MANAGER, "--date",
                         "2026-04-03", "--note", "Fine as it is")
    assert later.exit_code == 2
    assert "after today" in plain(later.output)
    empty = casebook.run("supervise", casebook.victim, "--manager", MANAGER, "--note", " ")
    assert empty.exit_code == 2
    assert "say what was discussed" in plain(empty.output)
    kind = casebook.run("supervise", casebook.victim, "--manager", MANAGER, "--kind", "chat",
                        "--note", "Fine as it is")
    assert kind.exit_code == 2
    assert "supervision, quality-assurance" in plain(kind.output)
    assert casebook.text(casebook.victim) == before


QUARTERLY = """
policy:
  profile: tower-hamlets
"""
"""Tower Hamlets' profile ships the quarterly check on cases (its rule ``case-check``)."""


def test_a_rule_counting_from_the_last_supervision_is_due_and_met_by_rj_supervise(
        casebook: CasebookUnderTest) -> None:
    import json

    _manager(casebook)
    settings = casebook.root / "rj.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(re.sub(r"^policy:\n  profile: national.*\n", QUARTERLY.lstrip(), text,
                               count=1, flags=re.M), encoding="utf-8")
    assert casebook.run("check").exit_code == 0, casebook.run("check").output

    def case_checks(today: str) -> list[dict[str, object]]:
        result = casebook.run("due", "--all", "--json", today=today)
        assert result.exit_code == 0, result.output
        return [i for i in json.loads(result.stdout) if i["rule"] == "case-check"
                and i["case"] == casebook.victim]

    # allocated 30 March 2026: the first check falls due 91 days on, 29 June
    [first] = case_checks("2026-06-30")
    assert first["due"] == "2026-06-29"
    assert "Tower Hamlets" in first["source"]
    assert casebook.run("supervise", casebook.victim, "--manager", MANAGER, "--note",
                        "Quarterly check: recording up to date", today="2026-06-30"
                        ).exit_code == 0
    assert case_checks("2026-06-30") == []  # met (a day late)
    [following] = case_checks("2026-09-30")  # the next counts from this supervision
    assert (following["due"], following["counts_from"]) == ("2026-09-29", "supervised 30 June 2026")


def test_the_caseload_report_shows_supervision_overdue(casebook: CasebookUnderTest) -> None:
    import json

    _manager(casebook)
    settings = casebook.root / "rj.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(re.sub(r"^policy:\n  profile: national.*\n", QUARTERLY.lstrip(), text,
                               count=1, flags=re.M), encoding="utf-8")
    result = casebook.run("report", "caseload", "--format", "json", today="2026-07-15")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    by_rule = next(t for s in report["sections"] for t in s["tables"] if t["key"] != "workers")
    rows = {r["key"]: r for r in by_rule["rows"]}
    assert rows["case-check"]["values"][by_rule["columns"][0]["key"]] == 1
    assert casebook.run("supervise", casebook.victim, "--manager", MANAGER, "--note",
                        "Quarterly check: recording up to date", today="2026-07-15"
                        ).exit_code == 0
    again = json.loads(casebook.run("report", "caseload", "--format", "json",
                                    today="2026-07-15").stdout)
    by_rule = next(t for s in again["sections"] for t in s["tables"] if t["key"] != "workers")
    assert "case-check" not in {r["key"] for r in by_rule["rows"]}
