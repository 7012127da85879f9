"""One case from allocation to closure with rj commands alone (issue #6).

The story: a Referral Order; the victim is allocated on a Thursday, spoken to the next
day, visited, chooses a conference and a referral to a support service, declines a
letter of explanation. The victim and the child are risk-assessed, a manager approves,
the conference is planned, every participant is re-assessed, the conference is held,
its outcome agreement is followed (one item done, one failed and the victim told),
feedback is taken, the agreed progress update is given, the support is completed and
the case is closed. At each step ``rj due --json`` (a fixed --today) shows the work
appearing and disappearing, and ``rj timeline`` tells the story at the end.

The casebook uses the Wokingham profile with the Wait 'til Eight add-on (its feedback and
agreement-copy timescales), plus Somerset's "close the record within 10 working days"
(Somerset 12.1) added in rj.yaml as a service would.

Dates: Easter 2026 is 3-6 April; 4 May and 25 May are bank holidays.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import invoke, json_of, plain
from rjcli.shipped import shipped_dir
from rjcli.storage.yamlio import parse_text

WORKER = "Sam Worker"
SUPPORTER = "victim's supporter: sister"

CLOSE_RECORD_RULE = """\
  add:
    - id: close-record
      title: Close the record
      record: victim
      applies: {consent: null}
      from: support-completed
      offset: 10
      unit: working-days
      met_by: [closed]
      owner: rj-worker
      source: "Somerset 12.1"
"""


class Case:
    """A casebook with one child and one victim, driven through the CLI."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.child = ""
        self.victim = ""

    def rj(self, today: str, *args: str, ok: bool = True) -> Any:
        result = invoke(*args, casebook=self.root, today=today, worker=WORKER)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    def due(self, today: str, within: int = 30) -> set[tuple[str, str]]:
        """(rule, due date) of the victim's outstanding items, everyone's work."""
        result = self.rj(today, "due", "--all", "--json", "--within", str(within))
        return {(i["rule"], i["due"]) for i in json_of(result) if i["case"] == self.victim}

    def rules(self, today: str, within: int = 30) -> set[str]:
        return {rule for rule, _ in self.due(today, within)}

    def status_of(self, today: str, rule: str) -> str:
        items = json_of(self.rj(today, "due", "--all", "--json", "--rule", rule))
        (item,) = [i for i in items if i["case"] == self.victim]
        return str(item["status"])


def risk_answers(path: Path, risk: str | None = None, rating: str = "LOW") -> Path:
    """An answers file for the conference checklist: no risk, except ``risk``."""
    checklist = parse_text((shipped_dir("policy") / "checklists" / "conference.yaml")
                           .read_text(encoding="utf-8"))
    answers: dict[str, Any] = {}
    for section in checklist["sections"]:
        for q in section["questions"]:
            if q["type"] == "text":
                answers[q["id"]] = "none found"
            else:
                answers[q["id"]] = "no" if q.get("risk_if") == "yes" else "yes"
    if risk:
        answers[risk] = {"answer": "yes", "note": "Separate arrival and waiting rooms"}
    path.write_text(json.dumps({"answers": answers, "rating": rating,
                                "rating_reasons": "As the answers show"}), encoding="utf-8")
    return path


@pytest.fixture
def case(tmp_path: Path) -> Case:
    root = tmp_path / "casebook"
    assert invoke("init", str(root), "--service", "Exampletown YJS", "--profile", "wokingham",
                  "--no-autocommit", casebook=None, today="2026-04-09").exit_code == 0
    config = root / "rj.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("policy:\n", "policy:\n  addons: [wait-til-eight]\n"
                                   + CLOSE_RECORD_RULE, 1),
                      encoding="utf-8")
    c = Case(root)
    c.rj("2026-04-09", "staff", "add", WORKER, "--role", "rj-worker", "--phone", "01632 960101")
    c.rj("2026-04-09", "staff", "add", "Mo Manager", "--role", "manager", "--phone", "01632 960102")
    c.rj("2026-04-09", "staff", "add", "Al Admin", "--role", "admin")
    c.rj("2026-04-09", "staff", "add", "Pat Holder", "--role", "case-holder")
    return c


def test_a_case_from_allocation_to_closure(case: Case, tmp_path: Path) -> None:
    # --- allocation (Thursday 9 April): first contact due in 5 working days --------------
    result = case.rj("2026-04-09", "child", "new", "--name", "Jo Child", "--disposal",
                     "referral-order", "--sentenced", "2026-04-01", "--order-end", "2026-12-18",
                     "--case-holder", "Pat Holder", "--json")
    case.child = json_of(result)["id"]
    result = case.rj("2026-04-09", "victim", "new", "--name", "Ann Example", "--child", case.child,
                     "--allocated", "2026-04-09", "--consent-contact", "yes", "--stage",
                     "post-sentence", "--disposal", "referral-order", "--phone", "07700 900001",
                     "--json")
    case.victim = v = json_of(result)["id"]
    assert ("first-contact", "2026-04-16") in case.due("2026-04-09")

    # --- consultation: spoken to the next day; the first-contact item goes -----------------
    case.rj("2026-04-10", "contact", "log", v, "--method", "phone", "--outcome", "spoke",
            "--at", "2026-04-10 10:15", "--note", "Explained the options; all voluntary")
    assert "first-contact" not in case.rules("2026-04-10")
    case.rj("2026-04-10", "view", v, "--sought", "2026-04-10", "--summary", "Wants to be heard")
    case.rj("2026-04-10", "offer", v, "conference", "--status", "offered")
    case.rj("2026-04-10", "offer", v, "letter-of-explanation", "--status", "offered")
    case.rj("2026-04-10", "offer", v, "support-referral", "--status", "offered",
            "--service", "Exampleshire Victim Care")
    case.rj("2026-04-10", "support", "request", v, "--need", "Help with feeling unsafe at home")

    # a home visit: booked, then its record is due 2 working days after it until recorded
    case.rj("2026-04-14", "appointment", "add", v, "--at", "2026-04-16 10:00",
            "--purpose", "home visit")
    assert ("record-appointment", "2026-04-20") in case.due("2026-04-14")
    case.rj("2026-04-16", "appointment", "kept", v)
    assert "record-appointment" not in case.rules("2026-04-16")

    # at the visit: written consent, the choices (and a refusal, with its reason)
    case.rj("2026-04-16", "consent", v, "rj-participation", "yes", "--source", "signed form")
    accepted = case.rj("2026-04-16", "offer", v, "conference", "--status", "accepted")
    assert "warning" not in accepted.output  # consent is on record (YJB §24)
    case.rj("2026-04-16", "offer", v, "support-referral", "--status", "accepted")
    case.rj("2026-04-16", "offer", v, "letter-of-explanation", "--status", "declined",
            "--reason", "Would rather meet")
    too_long = case.rj("2026-04-16", "progress", "request", v, "--what", "How the order goes",
                       "--how", "letter", "--until", "2027-01-31", "--point", "2026-07-01",
                       ok=False)
    assert too_long.exit_code == 2
    assert "after the end of" in plain(too_long.output)
    assert "18 December 2026" in plain(too_long.output)
    case.rj("2026-04-16", "progress", "request", v, "--what", "How the order goes", "--how",
            "letter", "--until", "2026-12-18", "--point", "2026-07-01")
    assert ("progress-update", "2026-07-01") in case.due("2026-04-16", within=60)

    # --- risk assessment: a risk found holds the conference until a manager approves -------
    case.rj("2026-04-22", "risk", "run", v, "--checklist", "conference", "--answers",
            str(risk_answers(tmp_path / "victim.yaml", risk="targeting", rating="MEDIUM")))
    case.rj("2026-04-22", "risk", "run", case.child, "--checklist", "conference", "--answers",
            str(risk_answers(tmp_path / "child.yaml")))
    case.rj("2026-04-22", "risk", "run", v, "--checklist", "conference", "--participant",
            SUPPORTER, "--answers", str(risk_answers(tmp_path / "sister.yaml")))
    assert ("risk-approval", "2026-04-23") in case.due("2026-04-22")
    plan = ["conference", "plan", v, "--date", "2026-05-07", "--venue", "Town Hall, room 2",
            "--child", case.child, "--facilitator", WORKER, "--supporter", SUPPORTER]
    refused = case.rj("2026-04-22", *plan, ok=False)
    assert refused.exit_code == 6
    assert "on hold until a manager approves" in plain(refused.output)
    assert f"rj risk approve {v}" in plain(refused.output)
    assert "Mo Manager" in plain(refused.output)

    case.rj("2026-04-23", "risk", "approve", v, "--manager", "Mo Manager", "--note",
            "Separate arrival times agreed")  # the victim's and the supporter's
    assert "risk-approval" not in case.rules("2026-04-23")

    # --- the gate (issue 18): the child's written consents, every assessment approved ------
    gated = case.rj("2026-04-23", *plan, ok=False)
    assert gated.exit_code == 6
    assert f"rj consent {case.child} parent-permission yes" in plain(gated.output)
    assert "not approved by a manager (Wait 'til Eight §5.9" in plain(gated.output)
    for kind in ("rj-participation", "parent-permission"):
        case.rj("2026-04-23", "consent", case.child, kind, "yes", "--source", "signed form")
    case.rj("2026-04-23", "risk", "approve", case.child, "--manager", "Mo Manager", "--note",
            "No risk found; separate arrival times")

    # --- the conference is planned: everyone was assessed in the 10 working days before ----
    case.rj("2026-04-23", *plan)
    assert "pre-conference-risk" not in case.rules("2026-04-23")

    # --- held: the feedback falls due (7 days); once an agreement is made, its copies -------
    writeup = tmp_path / "writeup.yaml"
    writeup.write_text("background: Criminal damage to the victim's car\n"
                       "dynamics: The child apologised; the victim accepted\n"
                       "lessons: Separate waiting rooms worked well\n", encoding="utf-8")
    case.rj("2026-05-07", "conference", "record", v, "--attended", "victim", "--attended",
            "child", "--attended", SUPPORTER, "--attended", "child's mother",
            "--writeup-file", str(writeup))
    due = case.due("2026-05-07")
    assert ("conference-feedback", "2026-05-14") in due
    assert not {"pre-conference-risk", "agreement-copy"} & {rule for rule, _ in due}

    case.rj("2026-05-07", "agreement", "add", v, "--action", "Write a letter of apology",
            "--who", "child", "--due", "2026-05-21")
    case.rj("2026-05-07", "agreement", "add", v, "--action", "Six hours at the community garden",
            "--who", "child", "--due", "2026-06-04")
    due = case.due("2026-05-07", within=30)
    assert ("agreement-copy", "2026-05-12") in due  # 3 working days (Wait 'til Eight 7E)
    assert ("agreement-action", "2026-05-21") in due
    assert ("agreement-action", "2026-06-04") in due

    case.rj("2026-05-08", "agreement", "copies", v, "--date", "2026-05-08")
    assert "agreement-copy" not in case.rules("2026-05-08")

    # --- feedback within 7 days -----------------------------------------------------------
    answers = tmp_path / "feedback.yaml"
    answers.write_text('answers:\n  satisfaction: very satisfied\n  went: "Very well"\n'
                       '  pleased: {answer: "yes", note: "The apology"}\n  worries: "no"\n',
                       encoding="utf-8")
    case.rj("2026-05-11", "feedback", v, "--answers", str(answers))
    assert "conference-feedback" not in case.rules("2026-05-11")

    # --- the agreement followed: one item done, one failed (due until the victim is told) ---
    case.rj("2026-05-21", "agreement", "done", v, "1", "--note", "Letter received",
            "--victim-told", "2026-05-21")
    assert ("agreement-action", "2026-05-21") not in case.due("2026-05-21")
    assert case.status_of("2026-06-05", "agreement-action") == "overdue"
    failed = case.rj("2026-06-05", "agreement", "failed", v, "2", "--note", "Did not attend")
    assert "stays due until the victim is told" in plain(failed.output)
    assert ("agreement-action", "2026-06-04") in case.due("2026-06-05")
    case.rj("2026-06-08", "agreement", "failed", v, "2", "--victim-told", "2026-06-08")
    assert "agreement-action" not in case.rules("2026-06-08")
    case.rj("2026-06-09", "agreement", "review", v, "--note", "Both content; no more support")

    # --- the agreed progress update, given on the day --------------------------------------
    assert case.status_of("2026-07-01", "progress-update") == "today"
    case.rj("2026-07-01", "progress", "update", v, "--method", "letter", "--note",
            "Order going well")
    assert "progress-update" not in case.rules("2026-07-01")

    # --- completion: nothing starts while an option is still accepted ----------------------
    case.rj("2026-07-02", "offer", v, "conference", "--status", "completed")
    assert not {"closure-letter", "close-record"} & case.rules("2026-07-03")
    case.rj("2026-07-02", "support", "given", v, "--kind", "referral", "--service",
            "Exampleshire Victim Care")
    done = case.rj("2026-07-02", "offer", v, "support-referral", "--status", "completed")
    assert "now complete" in plain(done.output)
    due = case.due("2026-07-03")
    assert ("closure-letter", "2026-07-09") in due  # 5 working days (Wokingham 14)
    assert ("close-record", "2026-07-16") in due  # 10 working days (Somerset 12.1)

    # --- closure letter, then the record closed -------------------------------------------
    case.rj("2026-07-06", "contact", "log", v, "--method", "letter", "--outcome", "sent",
            "--letter", "closure", "--at", "2026-07-06 11:00")
    assert case.rules("2026-07-06") == {"close-record"}
    case.rj("2026-07-07", "close", v, "--reason", "completed")
    assert case.due("2026-07-07", within=200) == set()

    # --- every step is in the timeline, in date order ---------------------------------------
    timeline = json_of(case.rj("2026-07-07", "timeline", v, "--json"))
    events = timeline["events"]
    assert [e["date"] for e in events] == sorted(e["date"] for e in events)
    texts = [e["text"] for e in events]
    for expected in (
        "allocated to Sam Worker (post-sentence, Referral Order)",
        "phone with the victim: spoke: Explained the options; all voluntary",
        "victim's view sought: Wants to be heard",
        "appointment (home visit): kept",
        "letter of explanation: declined: Would rather meet",
        "Conference risk assessment (victim) approved by Mo Manager: Separate arrival times agreed",
        "agreed, item 2: Six hours at the community garden (child, by 4 June 2026)",
        "copies of the outcome agreement sent",
        "feedback on the conference: very satisfied",
        "item 2 failed: Did not attend",
        "victim told how item 2 went (failed)",
        "progress update given (letter): Order going well",
        "support: referred to Exampleshire Victim Care",
        "closure letter sent",
        "case closed (completed)",
    ):
        assert expected in texts, expected
    assert texts[-1] == "case closed (completed)"
    held = next(e for e in events if e["text"].startswith("conference held"))
    assert held["date"] == "2026-05-07"
    assert "attended: victim, child, victim's supporter: sister, child's mother" in held["text"]
