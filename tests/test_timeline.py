"""``rj timeline``: a case's history in date order (issue #6)."""

from __future__ import annotations

import textwrap
from typing import Any

from conftest import VICTIM, CasebookUnderTest, json_of, plain
from rjcli.core.model import child_from_dict
from rjcli.core.timeline import child_timeline, victim_timeline
from rjcli.storage.yamlio import parse_text


def record(yaml_text: str) -> Any:
    return parse_text(textwrap.dedent(yaml_text))


VICTIM_RECORD = """\
    id: V-0001
    kind: individual
    name: Ann Example
    referral: {source: police, stage: pre-court, disposal: youth-caution,
               allocated: 2026-04-01, worker: Sam Worker}
    consents:
      - {id: 01M00000000000000000000001, kind: contact, answer: "yes", date: 2026-04-01,
         source: YOT1}
    status_history:
      - {id: 01M00000000000000000000002, date: 2026-04-01, status: open, note: allocated}
      - {id: 01M0000000000000000000000Z, date: 2026-05-01, status: closed, reason: completed}
    contacts:
      - {id: 01M00000000000000000000004, at: "2026-04-02 16:00", method: phone, outcome: spoke}
      - {id: 01M00000000000000000000003, at: "2026-04-02 09:30", method: phone,
         outcome: no-answer}
      - {id: 01M00000000000000000000009, at: "2026-05-01 09:00", method: letter,
         outcome: sent, letter: closure}
    offers:
      - {id: 01M00000000000000000000006, option: conference, status: declined,
         date: 2026-04-09, reason: Not ready}
      - {id: 01M00000000000000000000005, option: conference, status: offered, date: 2026-04-02}
    complaints:
      - {id: 01M00000000000000000000007, date: 2026-04-10, note: Late call back,
         manager_told: 2026-04-10, manager: Mo Manager}
"""


def test_a_victims_history_reads_in_order() -> None:
    events = victim_timeline(record(VICTIM_RECORD), [])
    assert [(e.day.isoformat(), e.time, e.text) for e in events] == [
        ("2026-04-01", None, "allocated to Sam Worker (police, pre-court, Youth Caution)"),
        ("2026-04-01", None, "case opened"),
        ("2026-04-01", None, "consent to contact: yes (YOT1)"),
        ("2026-04-02", "09:30", "phone with the victim: no answer"),
        ("2026-04-02", "16:00", "phone with the victim: spoke"),
        ("2026-04-02", None, "offered: conference"),
        ("2026-04-09", None, "conference: declined: Not ready"),
        ("2026-04-10", None, "complaint: Late call back"),
        ("2026-04-10", None, "complaint passed to Mo Manager"),
        ("2026-05-01", "09:00", "closure letter sent"),
        ("2026-05-01", None, "case closed (completed)"),
    ]


def test_a_change_of_mind_names_what_it_changed_from() -> None:
    base = VICTIM_RECORD[:VICTIM_RECORD.index("    offers:")]
    data = record(base + """\
    offers:
      - {id: 01M00000000000000000000005, option: conference, status: offered, date: 2026-04-02}
      - {id: 01M00000000000000000000006, option: conference, status: accepted, date: 2026-04-03}
      - {id: 01M00000000000000000000008, option: conference, status: declined, date: 2026-04-09,
         reason: Moved away}
    """)
    texts = [e.text for e in victim_timeline(data, []) if e.kind == "offer"]
    assert texts == ["offered: conference", "conference: accepted",
                     "conference: declined (was accepted): Moved away"]


def test_a_childs_timeline_comes_from_the_childs_record_alone() -> None:
    data = record("""\
        id: C-0001
        name: Jo Child
        disposal: referral-order
        sentence_date: 2026-03-20
        order_end: 2026-12-19
        victims: [{ref: V-0001, label: Victim 1}]
        status_history: [{id: 01M00000000000000000000001, date: 2026-03-20, status: open}]
        reparation:
          - {id: 01M00000000000000000000002, date: 2026-04-20, hours: 2, kind: direct,
             note: Cleaned the fence}
    """)
    texts = [e.text for e in child_timeline(data)]
    assert texts == ["sentenced: Referral Order, order to 19 December 2026", "case opened",
                     "direct reparation: 2 hours: Cleaned the fence"]
    assert child_from_dict(data).victims[0].label == "Victim 1"


def test_timeline_on_the_command_line(casebook: CasebookUnderTest) -> None:
    v = casebook.victim
    casebook.run("contact", "log", v, "--method", "phone", "--outcome", "spoke",
                 "--at", "2026-04-01 11:00", "--note", "Explained the options")
    result = casebook.run("timeline", v)
    assert result.exit_code == 0, result.output
    shown = plain(result.output)
    assert f"{v} Ann Example (open) - timeline, oldest first" in shown
    assert "30 March 2026" in shown and "allocated to Sam Worker" in shown
    assert "phone with the victim: spoke: Explained the options" in shown

    data = json_of(casebook.run("timeline", v, "--json"))
    assert data["case"] == v and data["status"] == "open"
    assert set(data["events"][0]) == {"date", "time", "kind", "text", "by", "entry"}
    contact = next(e for e in data["events"] if e["kind"] == "contact")
    assert (contact["date"], contact["time"], contact["by"]) == ("2026-04-01", "11:00",
                                                                 "Sam Worker")


def test_a_childs_timeline_never_shows_the_victim(casebook: CasebookUnderTest) -> None:
    casebook.run("child", "readiness", casebook.child, "--note", "Ready to meet Victim 1")
    result = casebook.run("timeline", casebook.child, "--json")
    assert result.exit_code == 0
    for identifier in VICTIM.values():
        assert identifier not in result.output
    texts = [e["text"] for e in json_of(result)["events"]]
    assert "RJ readiness: Ready to meet Victim 1" in texts


def test_timeline_of_a_missing_record(casebook: CasebookUnderTest) -> None:
    result = casebook.run("timeline", "V-ZZZZZZ")
    assert result.exit_code == 4
    assert "no record V-ZZZZZZ" in plain(result.output)
