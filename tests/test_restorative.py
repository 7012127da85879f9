"""The restorative work, command by command: offers and changes of mind, progress
updates, support, conferences and outcome agreements, feedback, complaints, missed
appointments, the Victim Contact Scheme and the child's side (issue #6).

The fixture casebook (conftest.py): national profile, today Thursday 2 April 2026, a
child sentenced 20 March 2026 to a Referral Order, a victim allocated 30 March.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import CasebookUnderTest, VICTIM, as_at_a_terminal, json_of, plain
from rjcli.core.feedback import answer_value, questionnaire_from_dict
from rjcli.core.restorative import ItemClosing, closing_fields, latest_offers, next_item_number
from test_journey import risk_answers


def set_policy(casebook: CasebookUnderTest, profile: str, complaints: str | None = None) -> None:
    """Switch the casebook's profile (and set a complaints route) as a service would."""
    config = casebook.root / "rj.yaml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("profile: national", f"profile: {profile}", 1)
    if complaints:
        text = text.replace("  # complaints:", f"  complaints: {complaints}\n  #", 1)
    config.write_text(text, encoding="utf-8")


def due(casebook: CasebookUnderTest, today: str = "2026-04-02", within: int = 30,
        case: str | None = None) -> set[tuple[str, str]]:
    result = casebook.run("due", "--all", "--json", "--within", str(within), today=today)
    assert result.exit_code == 0, result.output
    wanted = case or casebook.victim
    return {(i["rule"], i["due"]) for i in json_of(result) if i["case"] == wanted}


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return result


# --- offers and changes of mind ----------------------------------------------------------


def test_every_change_of_mind_is_kept_with_its_reason(casebook: CasebookUnderTest) -> None:
    v = casebook.victim
    ok(casebook.run("offer", v, "conference", "--status", "offered", "--date", "2026-03-31"))
    ok(casebook.run("consent", v, "rj-participation", "yes", "--source", "signed form"))
    ok(casebook.run("offer", v, "conference", "--status", "accepted", "--date", "2026-04-01"))
    ok(casebook.run("offer", v, "conference", "--status", "declined", "--reason",
                    "Does not feel ready"))

    offers = casebook.data(v)["offers"]
    assert [(o["status"], o.get("reason")) for o in offers] == [
        ("offered", None), ("accepted", None), ("declined", "Does not feel ready")]
    assert latest_offers(offers)["conference"]["status"] == "declined"
    timeline = json_of(casebook.run("timeline", v, "--json"))
    assert "conference: declined (was accepted): Does not feel ready" in [
        e["text"] for e in timeline["events"]]


def test_not_appropriate_needs_its_reason_and_nothing_is_written(
        casebook: CasebookUnderTest) -> None:
    before = casebook.text(casebook.victim)
    result = casebook.run("offer", casebook.victim, "direct-reparation", "--status",
                          "not-appropriate")
    assert result.exit_code == 2
    assert "say why the service judged it not appropriate with --reason" in plain(result.output)
    assert casebook.text(casebook.victim) == before


def test_a_support_referral_names_its_service_once(casebook: CasebookUnderTest) -> None:
    v = casebook.victim
    result = casebook.run("offer", v, "support-referral", "--status", "offered")
    assert result.exit_code == 2
    assert "name the service referred to with --service" in plain(result.output)
    ok(casebook.run("offer", v, "support-referral", "--status", "offered", "--service",
                    "Exampleshire Victim Care"))
    ok(casebook.run("offer", v, "support-referral", "--status", "accepted"))
    assert [o["service"] for o in casebook.data(v)["offers"]] == ["Exampleshire Victim Care"] * 2


def test_unknown_options_and_statuses_are_named(casebook: CasebookUnderTest) -> None:
    result = casebook.run("offer", casebook.victim, "mediation", "--status", "maybe")
    assert result.exit_code == 2
    message = plain(result.output)
    assert "option 'mediation' is not one of: conference, shuttle-mediation" in message
    assert "status 'maybe' is not one of: offered, accepted" in message


def test_direct_work_without_written_consent_is_warned_not_refused(
        casebook: CasebookUnderTest) -> None:
    v = casebook.victim
    result = ok(casebook.run("offer", v, "conference", "--status", "accepted"))
    assert "written, informed consent (rj-participation)" in plain(result.output)
    assert f"rj consent {v} rj-participation yes" in plain(result.output)
    assert casebook.data(v)["offers"][-1]["status"] == "accepted"
    # indirect work needs no such consent
    result = ok(casebook.run("offer", v, "indirect-reparation", "--status", "accepted"))
    assert "warning" not in result.output


def test_withdrawing_without_a_reason_is_warned(casebook: CasebookUnderTest) -> None:
    v = casebook.victim
    ok(casebook.run("offer", v, "impact-statement", "--status", "accepted"))
    result = ok(casebook.run("offer", v, "impact-statement", "--status", "declined"))
    assert "changed their mind (accepted -> declined)" in plain(result.output)
    assert "Somerset 9.1" in plain(result.output)


def test_offers_belong_on_the_victims_record(casebook: CasebookUnderTest) -> None:
    result = casebook.run("offer", casebook.child, "conference", "--status", "offered")
    assert result.exit_code == 2
    assert "recorded on the victim's record (V-...)" in plain(result.output)


# --- the view, progress updates, support --------------------------------------------------


def test_progress_updates_never_outlast_the_order(casebook: CasebookUnderTest,
                                                  child_factory: Any,
                                                  victim_factory: Any) -> None:
    child = child_factory("Kit Child", disposal="yro", sentenced="2026-03-25",
                          order_end="2026-09-30")
    v = victim_factory("Lee Example", child=child, allocated="2026-03-30")
    before = casebook.text(v)
    result = casebook.run("progress", "request", v, "--what", "Completion", "--how", "letter",
                          "--until", "2026-10-31", "--point", "2026-06-01")
    assert result.exit_code == 2
    assert f"after the end of {child}'s order (30 September 2026)" in plain(result.output)
    assert casebook.text(v) == before

    ok(casebook.run("progress", "request", v, "--what", "Completion", "--how", "letter",
                    "--until", "2026-09-30", "--point", "2026-06-01"))
    assert ("progress-update", "2026-06-01") in due(casebook, within=60, case=v)
    ok(casebook.run("progress", "update", v, "--method", "letter", "--note", "Going well",
                    "--date", "2026-06-01", today="2026-06-01"))
    assert "progress-update" not in {r for r, _ in due(casebook, "2026-06-01", case=v)}


def test_a_progress_request_without_an_order_end_or_points_is_warned(
        casebook: CasebookUnderTest) -> None:
    result = ok(casebook.run("progress", "request", casebook.victim, "--what", "Completion",
                             "--how", "email", "--until", "2026-12-31"))
    message = plain(result.output)
    assert f"no order end is recorded for {casebook.child}" in message
    assert "no update points were given" in message


def test_support_asked_for_and_given_are_both_kept(casebook: CasebookUnderTest) -> None:
    v = casebook.victim
    result = ok(casebook.run("support", "given", v, "--kind", "information", "--service",
                             "Exampleshire Victim Care"))
    assert "KPI 10 counts support given to victims who asked" in plain(result.output)
    ok(casebook.run("support", "request", v, "--need", "Someone to talk to"))
    bad = casebook.run("support", "given", v, "--kind", "leaflet", "--service", "X")
    assert bad.exit_code == 2 and "--kind 'leaflet' is not one of: information, referral" in \
        plain(bad.output)
    data = casebook.data(v)
    assert data["support_requests"][0]["need"] == "Someone to talk to"
    assert data["support"][0]["kind"] == "information"


def test_the_view_sought_is_recorded_and_future_dates_refused(casebook: CasebookUnderTest) -> None:
    v = casebook.victim
    result = casebook.run("view", v, "--sought", "2026-04-03")
    assert result.exit_code == 2 and "is after today" in plain(result.output)
    ok(casebook.run("view", v, "--sought", "2026-04-01", "--summary", "Wants an apology"))
    assert casebook.data(v)["view"]["sought"] == date(2026, 4, 1)


# --- conferences and outcome agreements -------------------------------------------------


def plan_args(casebook: CasebookUnderTest, day: str = "2026-04-20") -> list[str]:
    return ["conference", "plan", casebook.victim, "--date", day, "--venue", "Town Hall",
            "--child", casebook.child, "--facilitator", "Sam Worker"]


def prepare(casebook: CasebookUnderTest, day: str = "2026-03-31") -> None:
    """What the conference gate wants (rjcli.core.gates), all done on ``day``: written
    consents, and an approved conference risk assessment of the victim and the child."""
    ok(casebook.run("staff", "add", "Mo Manager", "--role", "manager"))
    ok(casebook.run("consent", casebook.victim, "rj-participation", "yes", "--source",
                    "signed form", today=day))
    for kind in ("rj-participation", "parent-permission"):
        ok(casebook.run("consent", casebook.child, kind, "yes", "--source", "signed form",
                        today=day))
    answers = risk_answers(casebook.root.parent / "no-risk.yaml")
    for record in (casebook.victim, casebook.child):
        ok(casebook.run("risk", "run", record, "--checklist", "conference", "--answers",
                        str(answers), today=day))
        ok(casebook.run("risk", "approve", record, "--manager", "Mo Manager", "--note",
                        "Arrangements agreed", today=day))


def held_conference(casebook: CasebookUnderTest) -> None:
    prepare(casebook)
    ok(casebook.run(*plan_args(casebook, "2026-04-01")))
    ok(casebook.run("conference", "record", casebook.victim, "--attended", "victim",
                    "--attended", "child", "--dynamics", "Apology accepted"))


def test_a_risk_on_either_record_holds_conference_planning(casebook: CasebookUnderTest,
                                                           tmp_path: Path) -> None:
    ok(casebook.run("risk", "run", casebook.child, "--checklist", "conference", "--answers",
                    str(risk_answers(tmp_path / "c.yaml", risk="child-risk-to-victim",
                                     rating="MEDIUM"))))
    before = casebook.text(casebook.victim)
    result = casebook.run(*plan_args(casebook))
    assert result.exit_code == 6
    message = plain(result.output)
    assert f"{casebook.child}: Conference risk assessment (child)" in message
    assert "need a manager's approval" in message
    assert f"rj risk approve {casebook.victim} --manager NAME" in message
    assert "add a manager first" in message  # the fixture has no manager on its staff list
    assert casebook.text(casebook.victim) == before


def test_a_conference_is_with_a_linked_child(casebook: CasebookUnderTest,
                                             child_factory: Any) -> None:
    other = child_factory("Kit Child")
    args = plan_args(casebook)
    args[args.index(casebook.child)] = other
    result = casebook.run(*args)
    assert result.exit_code == 2
    assert f"{other} is not linked to {casebook.victim}" in plain(result.output)


def test_planning_without_assessments_or_consents_is_refused(casebook: CasebookUnderTest) -> None:
    # a warning until issue 18: now a gate (tests/test_safety_gates.py has the rest)
    result = casebook.run(*plan_args(casebook))
    assert result.exit_code == 6
    message = plain(result.output)
    assert "no conference risk assessment of the victim" in message
    assert "parent's or guardian's written permission for the child to attend" in message
    assert "conferences" not in casebook.data(casebook.victim)
    prepare(casebook)
    ok(casebook.run(*plan_args(casebook)))
    (conf,) = casebook.data(casebook.victim)["conferences"]
    assert conf["status"] == "planned" and conf["child"] == casebook.child


def test_the_write_up_takes_the_appendix_7c_headings_only(casebook: CasebookUnderTest,
                                                          tmp_path: Path) -> None:
    prepare(casebook)
    ok(casebook.run(*plan_args(casebook, "2026-04-01")))
    bad = tmp_path / "bad.yaml"
    bad.write_text("background: x\nmood: y\n", encoding="utf-8")
    result = casebook.run("conference", "record", casebook.victim, "--attended", "victim",
                          "--writeup-file", str(bad))
    assert result.exit_code == 2
    assert "write-up heading 'mood' is not one of: background, dynamics, lessons, video" in \
        plain(result.output)
    good = tmp_path / "good.yaml"
    good.write_text("lessons: Break-out room used\nbackground: Damage to a car\n", encoding="utf-8")
    ok(casebook.run("conference", "record", casebook.victim, "--attended", "victim",
                    "--writeup-file", str(good)))
    (conf,) = casebook.data(casebook.victim)["conferences"]
    assert conf["status"] == "held" and conf["date"] == date(2026, 4, 1)
    assert list(conf["writeup"]) == ["background", "lessons"]  # in the form's order


def test_a_conference_cannot_be_recorded_before_it_happens(casebook: CasebookUnderTest) -> None:
    prepare(casebook)
    ok(casebook.run(*plan_args(casebook, "2026-04-20")))
    result = casebook.run("conference", "record", casebook.victim, "--attended", "victim")
    assert result.exit_code == 2
    assert "the conference date 2026-04-20 is after today" in plain(result.output)


def test_agreement_items_are_numbered_and_followed(casebook: CasebookUnderTest) -> None:
    v = casebook.victim
    early = casebook.run("agreement", "add", v, "--action", "Apologise", "--who", "child",
                         "--due", "2026-04-10")
    assert early.exit_code == 2 and "no held conference" in plain(early.output)
    held_conference(casebook)
    for action in ("Write a letter", "Garden work"):
        ok(casebook.run("agreement", "add", v, "--action", action, "--who", "child",
                        "--due", "2026-04-10"))
    items = casebook.data(v)["conferences"][0]["agreement"]
    assert [(i["n"], i["action"], i["status"]) for i in items] == [
        (1, "Write a letter", "open"), (2, "Garden work", "open")]

    ok(casebook.run("agreement", "done", v, "1", "--date", "2026-04-10", today="2026-04-10"))
    again = casebook.run("agreement", "done", v, "1", today="2026-04-10")
    assert again.exit_code == 2 and "item 1 is already done" in plain(again.output)
    missing = casebook.run("agreement", "done", v, "3", today="2026-04-10")
    assert missing.exit_code == 2 and "has no item 3 (2 items)" in plain(missing.output)
    early_tell = casebook.run("agreement", "failed", v, "2", "--date", "2026-04-10",
                              "--victim-told", "2026-04-09", today="2026-04-10")
    assert early_tell.exit_code == 2
    assert "before the item was closed" in plain(early_tell.output)


def test_copies_and_review_follow_a_held_conference(casebook: CasebookUnderTest) -> None:
    v = casebook.victim
    prepare(casebook)
    ok(casebook.run(*plan_args(casebook, "2026-04-01")))
    early = casebook.run("agreement", "copies", v, "--conference",
                         casebook.data(v)["conferences"][0]["id"])
    assert early.exit_code == 2 and "not been recorded as held" in plain(early.output)
    ok(casebook.run("conference", "record", v, "--attended", "victim"))
    before = casebook.run("agreement", "copies", v, "--date", "2026-03-31")
    assert before.exit_code == 2 and "is before the conference" in plain(before.output)
    ok(casebook.run("agreement", "copies", v))
    ok(casebook.run("agreement", "review", v, "--note", "Both content"))
    conf = casebook.data(v)["conferences"][0]
    assert conf["copies_sent"] == date(2026, 4, 2)
    assert conf["review"]["note"] == "Both content"


def test_closing_an_item_pure() -> None:
    item = {"n": 2, "status": "open"}
    fields, problems = closing_fields(item, ItemClosing("failed", date(2026, 5, 1), "No show",
                                                        None), date(2026, 5, 2))
    assert problems == [] and fields == {"status": "failed", "closed": date(2026, 5, 1),
                                         "note": "No show"}
    failed = {**item, **fields}
    fields, problems = closing_fields(failed, ItemClosing("failed", date(2026, 5, 2), None,
                                                          date(2026, 5, 2)), date(2026, 5, 2))
    assert problems == [] and fields == {"victim_told": date(2026, 5, 2)}
    assert next_item_number([{"n": 1}, {"n": 4}]) == 5


# --- feedback ------------------------------------------------------------------------------


def test_feedback_from_a_file_checks_every_answer(casebook: CasebookUnderTest,
                                                  tmp_path: Path) -> None:
    v = casebook.victim
    held_conference(casebook)
    answers = tmp_path / "answers.yaml"
    answers.write_text("answers:\n  satisfaction: quite happy\n  nonsense: x\n"
                       "  pleased: perhaps\n", encoding="utf-8")
    before = casebook.text(v)
    result = casebook.run("feedback", v, "--answers", str(answers))
    assert result.exit_code == 2
    message = plain(result.output)
    assert "answers.nonsense: no such question in the conference questionnaire" in message
    assert "'quite happy' is not one of: very-satisfied, satisfied, neither" in message
    assert "answers.pleased: 'perhaps' is not yes or no" in message
    assert casebook.text(v) == before

    answers.write_text("answers:\n  satisfaction: 2\n  pleased: {answer: y, note: The apology}\n"
                       "  went: Well\n", encoding="utf-8")
    ok(casebook.run("feedback", v, "--answers", str(answers)))
    (entry,) = casebook.data(v)["feedback"]
    assert entry["kind"] == "conference"  # chosen: a held conference had no feedback yet
    assert entry["satisfaction"] == "satisfied"
    assert entry["answers"] == {"went": "Well", "pleased": "yes"}
    assert entry["notes"] == {"pleased": "The apology"}
    assert entry["conference"] == casebook.data(v)["conferences"][0]["id"]


def test_contact_feedback_needs_only_the_satisfaction(casebook: CasebookUnderTest,
                                                      tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("answers:\n  better: Call back sooner\n", encoding="utf-8")
    result = casebook.run("feedback", casebook.victim, "--answers", str(answers))
    assert result.exit_code == 2 and "answers.satisfaction: an answer is needed" in \
        plain(result.output)
    answers.write_text("answers:\n  satisfaction: very dissatisfied\n", encoding="utf-8")
    ok(casebook.run("feedback", casebook.victim, "--answers", str(answers)))
    (entry,) = casebook.data(casebook.victim)["feedback"]
    assert (entry["kind"], entry["satisfaction"]) == ("contact", "very-dissatisfied")
    no_conf = casebook.run("feedback", casebook.victim, "--kind", "conference", "--answers",
                           str(answers))
    assert no_conf.exit_code == 2 and "no held conference" in plain(no_conf.output)


def test_feedback_without_a_terminal_or_a_file_says_how(casebook: CasebookUnderTest) -> None:
    result = casebook.run("feedback", casebook.victim)
    assert result.exit_code == 2
    assert "give the answers with --answers FILE" in plain(result.output)


def test_the_shipped_questionnaires_cite_their_sources(tmp_path: Path) -> None:
    from rjcli.cli.feedback import load_questionnaire

    conference = load_questionnaire(tmp_path, "conference")
    contact = load_questionnaire(tmp_path, "contact")
    sources = " ".join(q.source for q in conference.questions)
    for n in range(1, 16):  # the 15 questions of Wait 'til Eight appendix 7D
        assert f"appendix 7D, question {n}" in sources
    for q in (*conference.questions, *contact.questions):
        assert len(q.source) > 3
    assert [q.type for q in contact.questions if q.id == "satisfaction"] == ["scale"]


def test_a_casebooks_own_questionnaire_is_checked(tmp_path: Path) -> None:
    from rjcli.cli.feedback import load_questionnaire
    from rjcli.errors import RecordInvalid

    folder = tmp_path / "policy" / "questionnaires"
    folder.mkdir(parents=True)
    (folder / "contact.yaml").write_text(
        "id: contact\ntitle: Ours\nsource: Our form\nquestions:\n"
        "  - {id: better, text: Better?, type: text, source: Our form 1}\n", encoding="utf-8")
    with pytest.raises(RecordInvalid, match="one scale question with id 'satisfaction'"):
        load_questionnaire(tmp_path, "contact")


def test_scale_answers_in_words_or_numbers() -> None:
    q = questionnaire_from_dict({"id": "x", "title": "x", "source": "x", "questions": [
        {"id": "satisfaction", "text": "How satisfied?", "type": "scale", "source": "x"}]})
    question = q.questions[0]
    assert question.required
    assert answer_value(question, "Very Satisfied") == ("very-satisfied", None)
    assert answer_value(question, "5") == ("very-dissatisfied", None)
    assert answer_value(question, " ") == (None, None)
    assert answer_value(question, "6")[0] is None


# --- complaints, appointments, the Victim Contact Scheme ----------------------------------


def test_a_complaint_makes_telling_a_manager_due_today(casebook: CasebookUnderTest) -> None:
    set_policy(casebook, "somerset", complaints="Write to the service manager")
    ok(casebook.run("staff", "add", "Mo Manager", "--role", "manager", "--phone", "01632 960102"))
    v = casebook.victim
    result = ok(casebook.run("complaint", v, "--note", "Nobody called back"))
    message = plain(result.output)
    assert "Manager: Mo Manager, 01632 960102" in message
    assert "Complaints route: Write to the service manager" in message
    assert ("complaint-manager", "2026-04-02") in due(casebook)

    ok(casebook.run("complaint", "told", v, "--manager", "Mo Manager"))
    assert "complaint-manager" not in {r for r, _ in due(casebook)}
    (entry,) = casebook.data(v)["complaints"]
    assert (entry["manager"], entry["manager_told"]) == ("Mo Manager", date(2026, 4, 2))
    again = casebook.run("complaint", "told", v, "--manager", "Mo Manager")
    assert again.exit_code == 2 and "every complaint on this record has been passed" in \
        plain(again.output)


def test_no_manager_or_route_is_said_plainly(casebook: CasebookUnderTest) -> None:
    result = ok(casebook.run("complaint", casebook.victim, "--note", "Unhappy"))
    message = plain(result.output)
    assert "No manager is on the staff list" in message
    assert "No complaints route is set: add service.complaints to rj.yaml" in message
    wrong = casebook.run("complaint", "told", "--manager", "Mo")
    assert wrong.exit_code == 2


def test_two_appointments_missed_without_notice(casebook: CasebookUnderTest) -> None:
    set_policy(casebook, "wokingham")
    v = casebook.victim
    for at in ("2026-04-07 10:00", "2026-04-08 10:00", "2026-04-09 10:00"):
        ok(casebook.run("appointment", "add", v, "--at", at, "--purpose", "home visit"))
    early = casebook.run("appointment", "missed", v)
    assert early.exit_code == 2 and "no booked appointment has come yet" in plain(early.output)
    ok(casebook.run("appointment", "missed", v, "--notice", today="2026-04-07"))
    first = ok(casebook.run("appointment", "missed", v, today="2026-04-08"))
    assert "second appointment" not in first.output  # one with notice does not count
    second = ok(casebook.run("appointment", "missed", v, today="2026-04-09"))
    assert "second appointment missed without notice" in plain(second.output)
    assert "due 10 April 2026" in plain(second.output)
    assert ("missed-appointments", "2026-04-10") in due(casebook, "2026-04-09")
    ok(casebook.run("contact", "log", v, "--method", "phone", "--outcome", "spoke",
                    "--at", "2026-04-09 15:00", today="2026-04-09"))
    assert "missed-appointments" not in {r for r, _ in due(casebook, "2026-04-09")}


def test_the_victim_contact_scheme(casebook: CasebookUnderTest, victim_factory: Any) -> None:
    child = json_of(ok(casebook.run(
        "child", "new", "--name", "Kit Child", "--disposal", "custody", "--sentenced",
        "2026-04-01", "--offence", "wounding", "--violent-or-sexual", "--sentence-months", "18",
        "--json")))["id"]
    v = victim_factory("Lee Example", child=child, allocated="2026-04-01")
    assert ("vcs-notify", "2026-04-02") in due(casebook, case=v)
    timeline = json_of(casebook.run("timeline", v, "--json"))
    assert any("NOT YET NOTIFIED" in note for note in timeline["notes"])
    ok(casebook.run("vcs", "notified", v, "--note", "E-mailed the VCS team"))
    assert "vcs-notify" not in {r for r, _ in due(casebook, case=v)}
    timeline = json_of(casebook.run("timeline", v, "--json"))
    assert timeline["notes"] == [f"eligible for the Victim Contact Scheme ({child} was sentenced "
                                 "to 18 months for a violent or sexual offence): notified "
                                 "2 April 2026"]
    not_eligible = ok(casebook.run("vcs", "notified", casebook.victim))
    assert "does not make this victim eligible" in plain(not_eligible.output)


# --- the child's side -------------------------------------------------------------------------


@pytest.mark.parametrize("identifier", [VICTIM["name"], VICTIM["phone"], VICTIM["email"],
                                        VICTIM["postcode"]])
def test_a_childs_note_never_identifies_the_victim(casebook: CasebookUnderTest,
                                                   identifier: str) -> None:
    before = casebook.text(casebook.child)
    result = casebook.run("child", "awareness", casebook.child, "--note",
                          f"Talked about the harm to {identifier}")
    # refused by the one gate on writes to a child's record (ChangeRefused)
    assert result.exit_code == 6
    assert "refer to victims only as 'Victim 1'" in plain(result.output)
    assert "nothing was written" in plain(result.output)
    assert casebook.text(casebook.child) == before


def test_child_work_is_recorded_on_the_childs_record(casebook: CasebookUnderTest) -> None:
    c = casebook.child
    ok(casebook.run("child", "awareness", c, "--note", "How Victim 1 felt afterwards"))
    ok(casebook.run("child", "reparation", c, "--hours", "3", "--kind", "indirect", "--note",
                    "Community garden"))
    ok(casebook.run("child", "readiness", c, "--note", "Wants to apologise"))
    bad = casebook.run("child", "reparation", c, "--hours", "0", "--kind", "sideways")
    assert bad.exit_code == 2
    assert "--kind 'sideways' is not one of: direct, indirect" in plain(bad.output)
    data = casebook.data(c)
    assert data["reparation"][0]["hours"] == 3 and data["reparation"][0]["kind"] == "indirect"
    assert data["victim_awareness"][0]["note"] == "How Victim 1 felt afterwards"
    wrong = casebook.run("child", "readiness", casebook.victim, "--note", "x")
    assert wrong.exit_code == 2 and "child's record (C-...)" in plain(wrong.output)


def test_a_child_with_no_victim_is_owed_awareness_work(casebook: CasebookUnderTest,
                                                       child_factory: Any) -> None:
    lone = child_factory("Kit Child")
    notes = json_of(casebook.run("timeline", lone, "--json"))["notes"]
    assert notes and "Wokingham 15" in notes[0]
    ok(casebook.run("child", "awareness", lone, "--note", "Impact of shop theft on staff"))
    assert json_of(casebook.run("timeline", lone, "--json"))["notes"] == []
    assert json_of(casebook.run("timeline", casebook.child, "--json"))["notes"] == []


# --- at a real terminal (a pseudo-terminal driven with pexpect) ------------------------------

RJ = Path(sys.executable).with_name("rj")


def spawn(casebook: CasebookUnderTest, *args: str) -> Any:
    import pexpect

    env = {k: v for k, v in os.environ.items() if not k.startswith("RJ_")}
    env |= {"TERM": "dumb", "NO_COLOR": "1", "COLUMNS": "200", "LINES": "50"}
    child = pexpect.spawn(str(RJ), ["--casebook", str(casebook.root), "--today", "2026-04-02",
                                    "--worker", "Sam Worker", *args], env=env,
                          encoding="utf-8", timeout=15, dimensions=(50, 200),
        preexec_fn=as_at_a_terminal)
    child.delaybeforesend = 0.01
    return child


@pytest.mark.skipif(not RJ.exists(), reason="the rj script is not installed")
def test_feedback_asked_one_question_at_a_time(casebook: CasebookUnderTest) -> None:
    import pexpect

    child = spawn(casebook, "feedback", casebook.victim, "--kind", "contact")
    child.expect_exact("1 of 8  Overall, how satisfied are you with the service")
    child.expect_exact("(1-5 or the words): ")
    child.sendline("")  # the satisfaction question cannot be skipped
    child.expect_exact("this one needs an answer")
    child.sendline("great")
    child.expect_exact("'great' is not one of: very-satisfied")
    child.sendline("very satisfied")
    child.expect_exact("2 of 8  Did we explain clearly")
    child.expect_exact("(y/n, Enter skips): ")
    child.sendline("y")
    child.expect_exact("comment (Enter skips): ")
    child.sendline("Very clear")
    for _ in range(6):  # questions 3 to 8 skipped
        child.expect_exact("Enter skips): ")
        child.sendline("")
    child.expect_exact("contact feedback recorded 2 April 2026 (very satisfied)")
    child.expect(pexpect.EOF)
    (entry,) = casebook.data(casebook.victim)["feedback"]
    assert entry["satisfaction"] == "very-satisfied"
    assert entry["answers"] == {"explained": "yes"}
    assert entry["notes"] == {"explained": "Very clear"}


@pytest.mark.skipif(not RJ.exists(), reason="the rj script is not installed")
def test_the_write_up_is_asked_heading_by_heading(casebook: CasebookUnderTest) -> None:
    import pexpect

    prepare(casebook)
    ok(casebook.run(*plan_args(casebook, "2026-04-01")))
    child = spawn(casebook, "conference", "record", casebook.victim, "--attended", "victim",
                  "--lessons", "Use the small room")
    child.expect_exact("Conference write-up")
    child.expect_exact("Brief background of the incident: ")
    child.sendline("Damage to a car")
    child.expect_exact("especially key turning points: ")
    child.sendline("")
    child.expect_exact("How do you know?: ")  # lessons was given as an option: not asked
    child.sendline("")
    child.expect_exact("conference held 1 April 2026")
    child.expect(pexpect.EOF)
    conf = casebook.data(casebook.victim)["conferences"][0]
    assert conf["writeup"] == {"background": "Damage to a car", "lessons": "Use the small room"}
