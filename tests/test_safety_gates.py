"""The practice's safety gates (issue 18): refused steps, and a manager's override that is
recorded and shown (rjcli.core.gates).

Each test reproduces what the issue quotes: on the code before the gates every refused
step here went through (a warning at most).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any


from conftest import CasebookUnderTest, json_of, plain
from test_journey import SUPPORTER, risk_answers

MANAGER = "Mo Manager"


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return result


def plan(cb: CasebookUnderTest, day: str = "2026-04-20", *extra: str, **options: Any) -> Any:
    return cb.run("conference", "plan", cb.victim, "--date", day, "--venue", "Town Hall",
                  "--child", cb.child, "--facilitator", "Sam Worker", *extra, **options)


def with_manager(cb: CasebookUnderTest) -> CasebookUnderTest:
    ok(cb.run("staff", "add", MANAGER, "--role", "manager"))
    return cb


def consents(cb: CasebookUnderTest, source: str = "signed form", **options: Any) -> None:
    ok(cb.run("consent", cb.victim, "rj-participation", "yes", "--source", source, **options))
    ok(cb.run("consent", cb.child, "rj-participation", "yes", "--source", source, **options))
    ok(cb.run("consent", cb.child, "parent-permission", "yes", "--source", source, **options))


def assessed(cb: CasebookUnderTest, tmp_path: Path, approve: bool = True,
             supporter: str | None = None, **options: Any) -> None:
    """A conference risk assessment, no risk found, of the victim and the child (and a
    supporter), approved by the manager unless ``approve`` is False."""
    ok(cb.run("risk", "run", cb.victim, "--checklist", "conference", "--answers",
              str(risk_answers(tmp_path / "v.yaml")), **options))
    ok(cb.run("risk", "run", cb.child, "--checklist", "conference", "--answers",
              str(risk_answers(tmp_path / "c.yaml")), **options))
    if supporter:
        ok(cb.run("risk", "run", cb.victim, "--checklist", "conference", "--participant",
                  supporter, "--answers", str(risk_answers(tmp_path / "s.yaml")), **options))
    if approve:
        for record in (cb.victim, cb.child):
            ok(cb.run("risk", "approve", record, "--checklist", "conference", "--manager",
                      MANAGER, "--note", "Arrangements agreed", **options))


# --- conferences ----------------------------------------------------------------------------


def test_planning_without_consent_or_assessment_is_refused(casebook: CasebookUnderTest) -> None:
    before = casebook.text(casebook.victim)
    result = plan(casebook)
    assert result.exit_code == 6, result.output
    message = plain(result.output)
    assert "refused until this is recorded" in message
    assert f"{casebook.victim}: the victim's written consent to take part (YJB §24) is not " \
           "recorded" in message
    assert f"rj consent {casebook.child} parent-permission yes" in message
    assert f"{casebook.victim}: no conference risk assessment of the victim" in message
    assert f"{casebook.child}: no conference risk assessment of the child" in message
    assert "--override-by MANAGER" in message
    assert casebook.text(casebook.victim) == before


def test_consent_by_phone_is_not_written_consent(casebook: CasebookUnderTest,
                                                 tmp_path: Path) -> None:
    with_manager(casebook)
    consents(casebook, source="phone call")
    assessed(casebook, tmp_path)
    message = plain(plan(casebook).output)
    assert "recorded from 'phone call', not in writing" in message
    ok(casebook.run("consent", casebook.victim, "rj-participation", "yes", "--source",
                    "signed form"))
    assert f"{casebook.victim}: the victim's written consent" not in plain(plan(casebook).output)


def test_the_manager_approves_every_conference_assessment(casebook: CasebookUnderTest,
                                                          tmp_path: Path) -> None:
    """Wait 'til Eight §5.9: approval always, not only when risk is found."""
    with_manager(casebook)
    consents(casebook)
    assessed(casebook, tmp_path, approve=False)
    result = plan(casebook)
    assert result.exit_code == 6
    message = plain(result.output)
    assert "is not approved by a manager (Wait 'til Eight §5.9" in message
    for record in (casebook.victim, casebook.child):
        ok(casebook.run("risk", "approve", record, "--manager", MANAGER, "--note", "Fine"))
    planned = ok(plan(casebook, "2026-04-20", "--override-by", MANAGER, "--override-reason",
                      "Just in case"))
    assert "no safety gate holds planning the conference: the override was not needed and " \
           "is not recorded" in plain(planned.output)
    (conf,) = casebook.data(casebook.victim)["conferences"]
    assert conf["status"] == "planned"
    assert "overrides" not in casebook.data(casebook.victim)


def test_each_supporter_is_assessed_before_planning(casebook: CasebookUnderTest,
                                                    tmp_path: Path) -> None:
    with_manager(casebook)
    consents(casebook)
    assessed(casebook, tmp_path)
    result = plan(casebook, "2026-04-20", "--supporter", SUPPORTER)
    assert result.exit_code == 6
    assert f"no conference risk assessment of the {SUPPORTER}" in plain(result.output)


def test_an_old_assessment_is_outside_the_window(casebook: CasebookUnderTest,
                                                 tmp_path: Path) -> None:
    with_manager(casebook)
    consents(casebook, today="2026-03-02")
    assessed(casebook, tmp_path, today="2026-03-02")
    result = plan(casebook)
    assert result.exit_code == 6
    message = plain(result.output)
    assert "was completed 2 March 2026, not between" in message
    assert "10 working days before, its own choice" in message


def test_a_manager_overrides_and_it_is_recorded_and_shown(casebook: CasebookUnderTest) -> None:
    with_manager(casebook)
    refused = plan(casebook, "2026-04-20", "--override-by", "Sam Worker", "--override-reason",
                   "x")
    assert refused.exit_code == 2
    assert "'Sam Worker' is not a manager on the staff list (managers: Mo Manager)" in \
        plain(refused.output)
    ok(plan(casebook, "2026-04-20", "--override-by", MANAGER, "--override-reason",
            "Victim leaves the area next week; consent form signed at the meeting"))
    data = casebook.data(casebook.victim)
    (override,) = data["overrides"]
    assert override["gate"] == "conference-plan" and override["manager"] == MANAGER
    assert override["date"] == date(2026, 4, 2)
    assert override["entry"] == data["conferences"][0]["id"]
    assert any("YJB §24" in m for m in override["missing"])
    timeline = plain(ok(casebook.run("timeline", casebook.victim)).output)
    assert "override (conference-plan): Mo Manager decided to plan a conference" in timeline
    explained = plain(ok(casebook.run("explain", casebook.victim)).output)
    assert "Safety gates overridden" in explained
    assert "Mo Manager decided" in explained and "Victim leaves the area next week" in explained
    as_json = json_of(ok(casebook.run("explain", casebook.victim, "--json")))
    assert as_json["overrides"][0]["manager"] == MANAGER


def test_recording_a_conference_needs_the_pre_conference_assessment(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    """Before the gate, rj conference record made the overdue pre-conference-risk vanish."""
    with_manager(casebook)
    consents(casebook)
    assessed(casebook, tmp_path)
    ok(plan(casebook, "2026-04-30"))
    before = casebook.text(casebook.victim)
    result = casebook.run("conference", "record", casebook.victim, "--attended", "victim",
                          today="2026-04-30")
    assert result.exit_code == 6
    message = plain(result.output)
    assert "recording the conference as held: refused" in message
    assert "was completed 2 April 2026, not between" in message
    assert casebook.text(casebook.victim) == before
    ok(casebook.run("conference", "record", casebook.victim, "--attended", "victim",
                    "--override-by", MANAGER, "--override-reason", "Reassessed by phone",
                    today="2026-04-30"))
    data = casebook.data(casebook.victim)
    assert data["conferences"][0]["status"] == "held"
    assert [o["gate"] for o in data["overrides"]] == ["conference-record"]


def test_a_conference_with_everything_in_place_is_planned_and_held(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    with_manager(casebook)
    consents(casebook)
    assessed(casebook, tmp_path, supporter=SUPPORTER)  # one approval covers the supporter's
    ok(plan(casebook, "2026-04-02", "--supporter", SUPPORTER))
    ok(casebook.run("conference", "record", casebook.victim, "--attended", "victim"))
    assert "overrides" not in casebook.data(casebook.victim)


# --- victims under 18, family victims -------------------------------------------------------


def test_direct_contact_with_a_victim_under_18_needs_the_parents_consent(
        casebook: CasebookUnderTest, victim_factory: Any) -> None:
    with_manager(casebook)
    young = victim_factory("Kim Young", kind="under-18", parent="Pam Young",
                           parent_phone="07700 900123", dob="2012-01-01")
    call = ["contact", "log", young, "--method", "phone", "--outcome", "spoke",
            "--at", "2026-04-02 10:00"]
    result = casebook.run(*call)
    assert result.exit_code == 6
    assert "before any contact is made with the victim (Somerset 6.4)" in plain(result.output)
    assert f"rj consent {young} parent-consent yes" in plain(result.output)
    ok(casebook.run(*call, "--with", "parent-guardian"))  # the parent first: allowed
    ok(casebook.run("consent", young, "parent-consent", "yes", "--source", "signed form"))
    ok(casebook.run(*call))
    assert "overrides" not in casebook.data(young)


def test_contact_with_a_victim_under_18_overridden_by_a_manager(
        casebook: CasebookUnderTest, victim_factory: Any) -> None:
    with_manager(casebook)
    young = victim_factory("Kim Young", kind="under-18", parent="Pam Young")
    ok(casebook.run("contact", "log", young, "--method", "visit", "--outcome", "kept",
                    "--at", "2026-04-02 10:00", "--override-by", MANAGER, "--override-reason",
                    "Victim is 17 and lives independently"))
    (override,) = casebook.data(young)["overrides"]
    assert override["gate"] == "under-18-contact"
    assert override["entry"] == casebook.data(young)["contacts"][0]["id"]


def test_a_family_victim_needs_the_best_placed_decision_first(
        casebook: CasebookUnderTest, victim_factory: Any) -> None:
    mother = victim_factory("Mary Family", kind="family-or-carer")
    call = ["contact", "log", mother, "--method", "phone", "--outcome", "spoke",
            "--at", "2026-04-02 10:00"]
    result = casebook.run(*call)
    assert result.exit_code == 6
    assert "who is best placed to support them before contact (Somerset 6.6)" in \
        plain(result.output)
    letter = casebook.run("letter", "initial", mother, "--draft")
    assert letter.exit_code == 6
    assert "before the initial letter (Somerset 6.6)" in plain(letter.output)
    wrong = casebook.run("victim", "best-placed", casebook.victim, "--who", "case-holder",
                         "--case-holder", "Pat Holder")
    assert wrong.exit_code == 2 and "is for a family-or-carer victim" in plain(wrong.output)
    ok(casebook.run("victim", "best-placed", mother, "--who", "case-holder", "--case-holder",
                    "Pat Holder", "--note", "She trusts the case holder"))
    assert casebook.data(mother)["best_placed"]["who"] == "case-holder"
    ok(casebook.run(*call))
    timeline = plain(ok(casebook.run("timeline", mother)).output)
    assert "best placed to support the victim: case holder (decided with Pat Holder" in timeline


HELD_WITH_AGREEMENT = (
    "conferences:\n"
    "  - id: 01JQZ7ZZZZZZZZZZZZZZZZZZZ1\n"
    "    kind: conference\n"
    "    date: 2026-04-01\n"
    "    status: held\n"
    "    agreement:\n"
    "      - id: 01JQZ7ZZZZZZZZZZZZZZZZZZZ2\n"
    "        n: 1\n"
    "        action: Write a letter of apology\n"
    "        who: child\n"
    "        due: 2026-04-20\n"
    "        status: open\n")
"""A held conference whose outcome agreement is made: its copies are admin's work."""


# --- closing --------------------------------------------------------------------------------


def test_closing_with_updates_promised_needs_a_reason(casebook: CasebookUnderTest) -> None:
    v = casebook.victim
    ok(casebook.run("progress", "request", v, "--what", "How the order goes", "--how", "letter",
                    "--until", "2026-09-01", "--point", "2026-06-01", "--point", "2026-08-01"))
    result = casebook.run("close", v, "--reason", "completed")
    assert result.exit_code == 6
    message = plain(result.output)
    assert "progress updates promised to the victim are outstanding (1 June 2026, " \
           "1 August 2026; Somerset 7.6)" in message
    assert "--override-reason" in message
    assert casebook.data(v)["status_history"][-1]["status"] == "open"
    ok(casebook.run("close", v, "--reason", "completed", "--override-reason",
                    "Victim asked for no more letters"))
    data = casebook.data(v)
    assert data["status_history"][-1]["status"] == "closed"
    (override,) = data["overrides"]
    assert override["gate"] == "close" and override["by"] == "Sam Worker"
    assert "manager" not in override
    assert "Victim asked for no more letters" in plain(ok(casebook.run("timeline", v)).output)


def test_closing_with_an_open_agreement_item_is_refused(casebook: CasebookUnderTest) -> None:
    v = casebook.victim
    data = casebook.data(v)
    casebook.write(v, casebook.text(v) + HELD_WITH_AGREEMENT)
    assert "conferences" not in data
    result = casebook.run("close", v, "--reason", "completed")
    assert result.exit_code == 6
    assert "outcome agreement item 1 (Write a letter of apology) is still open" in \
        plain(result.output)
    ok(casebook.run("agreement", "done", v, "1"))
    ok(casebook.run("close", v, "--reason", "completed"))


# --- risk found on the child's side ---------------------------------------------------------


def suitability_with_a_risk(path: Path) -> Path:
    """The child's suitability checklist, MEDIUM, with one risk answer (mental health)."""
    import json

    from rjcli.shipped import shipped_dir
    from rjcli.storage.yamlio import parse_text

    checklist = parse_text((shipped_dir("policy") / "checklists" / "suitability.yaml")
                           .read_text(encoding="utf-8"))
    answers: dict[str, Any] = {}
    for section in checklist["sections"]:
        for q in section["questions"]:
            answers[q["id"]] = "none" if q["type"] == "text" else (
                "no" if q.get("risk_if") == "yes" else "yes")
    answers["mental-health"] = {"answer": "yes", "note": "CAMHS involved; plan agreed"}
    path.write_text(json.dumps({"answers": answers, "rating": "MEDIUM",
                                "rating_reasons": "As the answers show"}), encoding="utf-8")
    return path


def test_risk_found_with_the_child_raises_risk_approval(casebook: CasebookUnderTest,
                                                        tmp_path: Path) -> None:
    with_manager(casebook)
    ok(casebook.run("risk", "run", casebook.child, "--checklist", "suitability", "--answers",
                    str(suitability_with_a_risk(tmp_path / "s.json"))))
    due = plain(ok(casebook.run("due", "--all", "--within", "10")).output)
    assert casebook.child in due and "manager's decision on the risk found" in due
    ok(casebook.run("risk", "approve", casebook.child, "--manager", MANAGER, "--note", "Go on"))
    assert casebook.child not in plain(
        ok(casebook.run("due", "--all", "--rule", "risk-approval-child")).output)


def test_letters_to_a_family_victim_do_not_name_the_offence_and_honour_preferences(
        tmp_path: Path) -> None:
    """The sample's V-0004: the child's mother, living with him, assaulted at home, "ring
    only in school hours" (issue 18)."""
    import shutil

    from conftest import invoke

    book = tmp_path / "sample"
    shutil.copytree(Path(__file__).resolve().parent.parent / "sample-casebook", book)

    def rj(*args: str) -> Any:
        return invoke(*args, casebook=book, today="2026-06-15", worker="Jo Whitlock")

    letter = tmp_path / "initial.md"
    ok(rj("letter", "initial", "V-0004", "--draft", "--out", str(letter)))
    written = letter.read_text(encoding="utf-8")
    assert "Lisa Carrick" in written
    assert "Assault by beating" not in written
    path = book / "victims" / "V-0004.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("contact_preferences:\n", "contact_preferences:\n"
                                 "  avoid_address: true\n", 1), encoding="utf-8")
    sent = rj("letter", "initial", "V-0004", "--out", str(tmp_path / "sent.md"))
    assert sent.exit_code == 6
    assert "contact preferences say post must not go to their address" in plain(sent.output)
    assert not (tmp_path / "sent.md").exists()
    call = ok(rj("contact", "log", "V-0004", "--method", "visit", "--outcome", "kept",
                 "--at", "2026-06-15 10:00"))
    message = plain(call.output)
    assert "V-0004 prefers contact by phone, not visit" in message
    assert "V-0004's preferred times: Weekdays 10am to 2pm, when her son is at school" in message


# --- work owned by a role nobody holds ------------------------------------------------------





def test_check_warns_of_work_that_goes_to_no_one(casebook: CasebookUnderTest) -> None:
    config = casebook.root / "rj.yaml"  # agreement-copy is Wait 'til Eight's (issue 18)
    config.write_text(config.read_text(encoding="utf-8").replace(
        "policy:\n", "policy:\n  addons: [wait-til-eight]\n", 1), encoding="utf-8")
    v = casebook.victim
    casebook.write(v, casebook.text(v) + HELD_WITH_AGREEMENT)
    result = casebook.run("check")
    assert result.exit_code == 0, result.output
    message = plain(result.output)
    assert "rj.yaml: nobody on the staff list has the role admin, so this work falls to the " \
           f"case's worker: agreement-copy ({v}): add one (rj staff add NAME --role admin)" \
           in message
    ok(casebook.run("staff", "add", "Al Admin", "--role", "admin"))
    assert "role admin" not in plain(casebook.run("check").output)


# --- the pure rules -------------------------------------------------------------------------


def test_written_consent_and_override_rules_pure() -> None:
    from rjcli.core.gates import Override, override_problems, written
    from rjcli.core.model import Consent

    def consent(answer: str, source: str | None) -> Consent:
        return Consent("01JQZ7ZZZZZZZZZZZZZZZZZZZ1", "rj-participation", answer,
                       date(2026, 4, 1), source, None, None)

    assert written(consent("yes", "Signed form"))
    assert written(consent("yes", "e-mail from her"))
    assert not written(consent("yes", "phone call"))
    assert not written(consent("yes", None))
    assert not written(consent("withdrawn", "signed form"))
    assert override_problems(None, True, []) == []
    assert override_problems(Override(None, "Because"), True, ["Mo Manager"]) == [
        "name the manager who decided with --override-by"]
    assert override_problems(Override(None, "Because"), False, []) == []
    assert override_problems(Override("Mo Manager", " "), True, ["Mo Manager"]) == [
        "say why with --override-reason"]


def test_close_gaps_pure() -> None:
    from rjcli.core.gates import close_gaps
    from rjcli.core.model import victim_from_dict

    record: dict[str, Any] = {
        "id": "V-AAAAAA", "kind": "individual",
        "progress_request": {"date": date(2026, 4, 1), "until": date(2026, 9, 1),
                             "points": [date(2026, 5, 1), date(2026, 6, 1),
                                        date(2026, 10, 1)]},
        "progress_updates": [{"id": "01JQZ7ZZZZZZZZZZZZZZZZZZZ1", "date": date(2026, 5, 2)}],
    }
    (gap,) = close_gaps(victim_from_dict(record))
    assert "(1 June 2026; Somerset 7.6)" in gap  # 1 May given; 1 October is past --until
    record["consents"] = [{"id": "01JQZ7ZZZZZZZZZZZZZZZZZZZ2", "kind": "progress-updates",
                           "answer": "withdrawn", "date": date(2026, 5, 20)}]
    assert close_gaps(victim_from_dict(record)) == []  # she asked for no more


def test_unstaffed_work_pure() -> None:
    from rjcli.core.gates import unstaffed_work

    items = [("V-AAAAAA", "agreement-copy", "admin"), ("V-BBBBBB", "agreement-copy", "admin"),
             ("V-AAAAAA", "risk-approval", "manager"), ("V-AAAAAA", "first-contact", "rj-worker")]
    (problem,) = unstaffed_work(items, ["rj-worker", "manager"], "rj.yaml")
    assert problem.severity == "warning" and problem.path == "rj.yaml"
    assert "role admin, so this work falls to the case's worker: agreement-copy (V-AAAAAA, " \
           "V-BBBBBB)" in \
        problem.message
    assert unstaffed_work(items, ["admin", "manager"], "rj.yaml") == []


def test_a_panel_asks_only_the_victims_side(casebook: CasebookUnderTest, tmp_path: Path) -> None:
    """A Referral Order panel: the child attends under the order, not by consent."""
    with_manager(casebook)
    ok(casebook.run("consent", casebook.victim, "rj-participation", "yes", "--source",
                    "signed form"))
    assessed(casebook, tmp_path)
    ok(plan(casebook, "2026-04-20", "--kind", "panel"))
    result = plan(casebook, "2026-04-21")
    assert result.exit_code == 6
    assert f"rj consent {casebook.child} rj-participation yes" in plain(result.output)


def test_overrides_are_counted_in_the_quarterly_report(casebook: CasebookUnderTest) -> None:
    # issue 18: an override is "counted in reports"
    with_manager(casebook)
    ok(plan(casebook, "2026-04-20", "--override-by", MANAGER, "--override-reason",
            "Victim leaves the area next week; consent form signed at the meeting"))
    report = json_of(ok(casebook.run("report", "quarterly", "--quarter", "2025-Q4",
                                     "--format", "json", "--explain")))
    activity = next(s for s in report["sections"] if s["key"] == "activity")
    table = next(t for t in activity["tables"] if t["key"] == "overrides")
    rows = {r["key"]: r for r in table["rows"]}
    assert rows["conference-plan"]["values"]["number"] == 1
    assert rows["total"]["values"]["number"] == 1 and rows["close"]["values"]["number"] == 0
    [cell] = [e for e in report["explain"] if (e["table"], e["row"]) == ("overrides",
                                                                           "conference-plan")]
    assert cell["cases"] == [casebook.victim]  # --explain: which case
    text = plain(ok(casebook.run("report", "quarterly", "--quarter", "2025-Q4")).output)
    assert "Safety gates a manager overrode" in text
    assert "Victim leaves the area" not in text  # the reason is the record's, not the report's


def test_somerset_closes_a_case_only_with_its_kpi_answers_recorded(
        casebook: CasebookUnderTest) -> None:
    # Somerset 5.3, 14.1: the KPI questionnaire "must be fully populated before the victim
    # case is closed"; other profiles do not ask it
    v = casebook.victim
    settings = casebook.root / "rj.yaml"
    text = settings.read_text(encoding="utf-8")
    assert "profile: national " in text
    settings.write_text(text.replace("profile: national ", "profile: somerset "),
                        encoding="utf-8")
    refused = casebook.run("close", v, "--reason", "completed")
    assert refused.exit_code == 6, refused.output
    message = plain(refused.output)
    assert "the KPI answers are not all recorded (Somerset 5.3, 14.1)" in message
    assert "whether the victim wants information about the child's progress" in message
    assert casebook.data(v)["status_history"][-1]["status"] == "open"
    ok(casebook.run("consent", v, "progress-updates", "no", "--source", "phone call"))
    still = plain(casebook.run("close", v, "--reason", "completed").output)
    assert "child's progress" not in still and "the referral stage or disposal" in still
    casebook.write(v, casebook.text(v).replace("referral:\n", "referral:\n  stage: pre-court\n",
                                               1))
    ok(casebook.run("close", v, "--reason", "completed"))


def test_the_national_profile_closes_without_the_kpi_answers(
        casebook: CasebookUnderTest) -> None:
    ok(casebook.run("close", casebook.victim, "--reason", "completed"))
