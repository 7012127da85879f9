"""The checklist corrections of issue 18: self-harm asked of the victim and the child, Wait
'til Eight appendix 2B's exclusions raised, and speech, language and communication needs
recorded as a support need (YJB §16), not a risk that holds the work for a manager.

Each test failed on the checklists before the change.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import CasebookUnderTest, json_of, plain

from rjcli.core.checklist import Answer, assess, checklist_from_dict
from rjcli.shipped import shipped_dir
from rjcli.storage.yamlio import parse_text


def raw(checklist_id: str) -> dict[str, Any]:
    data = parse_text((shipped_dir("policy") / "checklists" / f"{checklist_id}.yaml")
                      .read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def questions(checklist_id: str) -> dict[str, dict[str, Any]]:
    return {q["id"]: q for s in raw(checklist_id)["sections"] for q in s["questions"]}


def no_risk_answers(checklist_id: str) -> dict[str, Any]:
    return {qid: "none" if q["type"] == "text" else ("no" if q.get("risk_if") == "yes" else "yes")
            for qid, q in questions(checklist_id).items()}


def answers_file(path: Path, answers: dict[str, Any], rating: str = "LOW") -> Path:
    path.write_text(json.dumps({"answers": answers, "rating": rating,
                                "rating_reasons": "As the answers show"}), encoding="utf-8")
    return path


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return result


# --- self-harm (Wait 'til Eight §5.4 for the victim, §5.3.1 for the child) ---------------------


def test_the_conference_risk_assessment_asks_about_self_harm_for_victim_and_child() -> None:
    found = questions("conference")
    victim, child = found["victim-self-harm"], found["child-self-harm"]
    assert "harm themselves" in victim["text"] and "victim" in victim["text"]
    assert "harm themselves" in child["text"] and "child" in child["text"]
    assert (victim["risk_if"], child["risk_if"]) == ("yes", "yes")
    assert "Wait 'til Eight §5.4" in victim["source"]
    assert "Wait 'til Eight §5.3.1" in child["source"]
    checklist = checklist_from_dict(raw("conference"))
    given = {qid: Answer(qid, a, None) for qid, a in no_risk_answers("conference").items()}
    given["victim-self-harm"] = Answer("victim-self-harm", "yes", "GP and crisis line agreed")
    outcome = assess(checklist, given, "LOW")
    assert [q.id for q, _ in outcome.risks] == ["victim-self-harm"] and outcome.blocked


# --- appendix 2B's exclusions ---------------------------------------------------------------------


def test_suitability_raises_appendix_2b_exclusions(casebook: CasebookUnderTest,
                                                   tmp_path: Path) -> None:
    """Wait 'til Eight appendix 2B: "Domestic abuse, sex offences, child abuse and offences
    resulting in death are not eligible"; nothing in the suitability checklist asked."""
    found = questions("suitability")
    for qid in ("domestic-abuse", "sexual-offence", "child-abuse", "offence-caused-death"):
        assert found[qid]["risk_if"] == "yes", qid
        assert "Wait 'til Eight appendix 2B" in found[qid]["source"], qid
    answers = no_risk_answers("suitability")
    answers["domestic-abuse"] = {"answer": "yes", "note": "Manager to decide with the victim"}
    ok(casebook.run("staff", "add", "Mo Manager", "--role", "manager"))
    ok(casebook.run("risk", "run", casebook.child, "--checklist", "suitability", "--answers",
                    str(answers_file(tmp_path / "a.json", answers))))
    due = json_of(ok(casebook.run("due", "--all", "--json", "--rule", "risk-approval-child")))
    assert [i["case"] for i in due] == [casebook.child]


# --- speech, language and communication needs (YJB §16) ------------------------------------------


def test_communication_needs_are_a_support_need_not_a_risk(casebook: CasebookUnderTest,
                                                           tmp_path: Path) -> None:
    """YJB §16 asks for additional support; the checklist scored SLCN as a risk that held
    the work for a manager (risk-approval-child)."""
    assert "risk_if" not in questions("suitability")["communication-needs"]
    answers = no_risk_answers("suitability")
    answers["communication-needs"] = {"answer": "yes", "note": "Speech and language therapist"}
    run = ok(casebook.run("risk", "run", casebook.child, "--checklist", "suitability",
                          "--answers", str(answers_file(tmp_path / "a.json", answers))))
    message = plain(run.output)
    assert "No risks found" in message
    assert "Arrange the support the child needs to take part (YJB §16)" in message
    assert "Speech and language therapist" in message
    (entry,) = casebook.data(casebook.child)["assessments"]
    assert entry["blocked"] is False
    (stored,) = [a for a in entry["answers"] if a["question"] == "communication-needs"]
    assert stored["risk"] is False and stored["support"] is True
    due = json_of(ok(casebook.run("due", "--all", "--json", "--rule", "risk-approval-child")))
    assert due == []


def test_barriers_to_taking_part_are_support_needs_in_every_conference_checklist() -> None:
    """Mental health, language, disability or communication that make taking part hard call
    for support (YJB §16), as the suitability question now does; they were risks that held
    conference preparation. The manager still approves every assessment (W8 §5.9)."""
    conference, participants = questions("conference"), questions("participants")
    for found in (conference["child-barriers"], conference["victim-barriers"],
                  conference["supporter-barriers"], participants["vulnerability"]):
        assert found.get("support_if") == "yes" and "risk_if" not in found
        assert "YJB §16" in found["help"]


# --- what the victim says may reach the court (Wokingham PSR 3; Tower Hamlets; Somerset 9.2) -----


def test_the_consultation_tells_the_victim_their_views_may_reach_the_court() -> None:
    """The victim's views go into the report to court (Wokingham PSR 3; Tower Hamlets:
    "potentially liable to be shared in open Court"); the consultation only said what they
    say is shared with colleagues."""
    found = questions("victim-consultation")
    question = found["views-may-reach-court"]
    assert "open court" in question["text"]
    assert "pre-sentence report" in question["text"]
    for cited in ("Wokingham PSR 3", "Tower Hamlets", "Somerset 9.2"):
        assert cited in question["source"]
    assert next(iter(found)) == "views-may-reach-court"  # told before anything is asked
