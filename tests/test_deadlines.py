"""The deadline engine, pure: rules from inline policy, records from inline YAML."""

from __future__ import annotations

import textwrap
from datetime import date

import pytest

from rjcli.core.deadlines import evaluate_case, victim_case
from rjcli.core.due import DueFilter, items_from, select, standing
from rjcli.core.model import child_from_dict, victim_from_dict
from rjcli.core.policy import PolicyError, resolve_policy
from rjcli.storage.bank_holidays import build_calendar
from rjcli.storage.yamlio import parse_text

CAL = build_calendar("england", [], range(2025, 2028))


def rule(**fields):
    base = {"record": "victim", "offset": 5, "unit": "working-days", "owner": "rj-worker",
            "source": "Test 1", "title": "Do it"}
    base.update(fields)
    return base


NATIONAL = {
    "profile": "national", "title": "National",
    "rules": [
        rule(id="first-contact", title="Make first contact with the victim",
             **{"from": "contact-start", "met_by": ["contact-attempt"]},
             source="Wokingham 5; Somerset 6.1"),
        rule(id="screen-referral", offset=2, applies={"consent": None},
             **{"from": "allocation", "met_by": ["screening"]}),
        rule(id="final-letter", offset=10, unit="calendar-days",
             **{"from": "initial-letter", "met_by": ["letter-final-sent", "victim-response"]}),
        rule(id="vcs-notify", offset=1, applies={"consent": None, "flags": ["vcs-eligible"]},
             **{"from": "sentence", "met_by": ["vcs-notified"]}),
        rule(id="agreement-action", offset=0, unit="calendar-days",
             **{"from": "agreement-item", "met_by": ["agreement-item-closed"]}),
    ],
}


def victim(yaml_text: str):
    return victim_from_dict(parse_text(textwrap.dedent(yaml_text)))


ALLOCATED_1_APRIL = """\
    id: V-0001
    kind: individual
    name: Ann Example
    phones: ["07700 900001"]
    referral: {allocated: 2026-04-01, worker: Sam Worker, stage: pre-court}
    consents:
      - {id: 01M00000000000000000000001, kind: contact, answer: "yes", date: 2026-04-01}
    status_history:
      - {id: 01M00000000000000000000002, date: 2026-04-01, status: open}
"""


def evaluations(v, children=None, profile=NATIONAL):
    policy = resolve_policy({"national": profile}, "national")
    return evaluate_case(victim_case(v, children or {}, {}), policy, CAL)


def by_rule(evs, rule_id):
    return [e for e in evs if e.rule.id == rule_id]


def test_first_contact_skips_good_friday_and_easter_monday():
    (e,) = by_rule(evaluations(victim(ALLOCATED_1_APRIL)), "first-contact")
    assert e.applies and e.due == date(2026, 4, 10)
    assert e.met_on is None and e.outstanding


def test_a_contact_attempt_meets_first_contact_on_time():
    text = ALLOCATED_1_APRIL + """\
    contacts:
      - {id: 01M00000000000000000000003, at: "2026-04-02 10:15", method: phone, outcome: no-answer}
"""
    (e,) = by_rule(evaluations(victim(text)), "first-contact")
    assert e.met_on == date(2026, 4, 2) and not e.late and not e.outstanding


def test_a_late_contact_is_met_late():
    text = ALLOCATED_1_APRIL + """\
    contacts:
      - {id: 01M00000000000000000000003, at: "2026-04-13 10:15", method: phone, outcome: spoke}
"""
    (e,) = by_rule(evaluations(victim(text)), "first-contact")
    assert e.met_on == date(2026, 4, 13) and e.late


def test_no_consent_means_no_first_contact_but_screening_still_applies():
    text = ALLOCATED_1_APRIL.replace('answer: "yes"', 'answer: "no"')
    evs = evaluations(victim(text))
    (first,) = by_rule(evs, "first-contact")
    assert not first.applies and "consent to contact is no" in first.why
    (screen,) = by_rule(evs, "screen-referral")
    assert screen.applies and screen.due == date(2026, 4, 7)  # Thu 2, (Fri 3, Mon 6 holidays), Tue 7


def test_final_letter_counts_ten_calendar_days_from_the_initial_letter():
    text = ALLOCATED_1_APRIL + """\
    contacts:
      - {id: 01M00000000000000000000003, at: "2026-04-07 09:00", method: letter, outcome: sent, letter: initial}
"""
    (e,) = by_rule(evaluations(victim(text)), "final-letter")
    assert e.due == date(2026, 4, 17) and e.outstanding


def test_vcs_applies_only_to_an_eligible_sentence():
    child = child_from_dict(parse_text(textwrap.dedent("""\
        id: C-0001
        name: Jo Example
        sentence_date: 2026-04-01
        sentence_months: 24
        offences: [{description: wounding, violent_or_sexual: true}]
        status_history: [{id: 01M00000000000000000000009, date: 2026-04-01, status: open}]
    """)))
    text = ALLOCATED_1_APRIL + "    children: [{child: C-0001}]\n"
    (e,) = by_rule(evaluations(victim(text), {"C-0001": child}), "vcs-notify")
    assert e.applies and e.due == date(2026, 4, 2)
    short = child_from_dict({**child.extra, "sentence_months": 6})
    (e,) = by_rule(evaluations(victim(text), {"C-0001": short}), "vcs-notify")
    assert not e.applies and "vcs-eligible" in e.why


def test_agreement_items_each_fall_due_on_their_own_date():
    text = ALLOCATED_1_APRIL + """\
    conferences:
      - id: 01M00000000000000000000010
        date: 2026-05-01
        status: held
        agreement:
          - {id: 01M00000000000000000000011, n: 1, action: letter of apology, who: child, due: 2026-05-15, status: done, closed: 2026-05-14}
          - {id: 01M00000000000000000000012, n: 2, action: repaint fence, who: child, due: 2026-06-01, status: failed}
"""
    evs = by_rule(evaluations(victim(text)), "agreement-action")
    assert [(e.due, e.met_on) for e in evs] == [(date(2026, 5, 15), date(2026, 5, 14)),
                                                (date(2026, 6, 1), None)]


def test_standing_counts_working_days():
    assert standing(date(2026, 4, 10), date(2026, 4, 2), CAL).words() == "in 4 working days"
    assert standing(date(2026, 4, 2), date(2026, 4, 7), CAL).words() == "overdue 1 working day"
    assert standing(date(2026, 4, 7), date(2026, 4, 7), CAL).status == "today"


def test_select_orders_overdue_today_upcoming_and_filters_by_worker():
    evs = evaluations(victim(ALLOCATED_1_APRIL))
    items = items_from(evs, {"V-0001": "Ann Example"})
    rows = select(items, date(2026, 4, 8), CAL, DueFilter(worker="sam worker"))
    assert [(i.rule, s.status) for i, s in rows] == [("screen-referral", "overdue"),
                                                      ("first-contact", "upcoming")]
    assert select(items, date(2026, 4, 8), CAL, DueFilter(worker="Someone Else")) == []


def test_casebook_overrides_change_and_switch_off_rules():
    local = {"profile": "local", "title": "Local", "extends": "national", "rules": [],
             "overrides": {"first-contact": {"offset": 3}}}
    policy = resolve_policy({"national": NATIONAL, "local": local}, "local",
                            {"screen-referral": {"enabled": False}})
    assert policy.rule("first-contact").offset == 3
    assert not policy.rule("screen-referral").enabled
    with pytest.raises(PolicyError, match="no-such-rule"):
        resolve_policy({"national": NATIONAL}, "national", {"no-such-rule": {"offset": 1}})
