"""Contact with the victim means the victim, their parent or guardian, or their
representative; a call or e-mail to another youth justice service, the police or the
case holder is liaison (shared/DOMAIN.md §4, corrections; Wokingham 17.1-18), shown as
such and meeting liaison rules only (issue 17).

The story: a victim who lives in another area is allocated on Thursday 2 April 2026; on
7 April the worker e-mails the victim's home youth justice service asking them to make
contact (Wokingham 17.1). The child's order ends on 19 June, so the victim is counted in
KPI 10 for April to June.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import invoke, json_of, plain

WORKER = "Sam Worker"


def rj(root: Path, today: str, *args: str) -> Any:
    result = invoke(*args, casebook=root, today=today, worker=WORKER)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def book(tmp_path: Path) -> tuple[Path, str, str]:
    """(casebook, out-of-area victim, victim living here), both linked to one child."""
    root = tmp_path / "casebook"
    assert invoke("init", str(root), "--service", "Exampletown YJS", "--profile", "wokingham",
                  "--no-autocommit", casebook=None, today="2026-04-02").exit_code == 0
    rj(root, "2026-04-02", "staff", "add", WORKER, "--role", "rj-worker", "--phone",
       "01632 960101")
    rj(root, "2026-04-02", "staff", "add", "Pat Holder", "--role", "case-holder")
    child = json_of(rj(root, "2026-04-02", "child", "new", "--name", "Jo Child", "--disposal",
                       "youth-caution", "--sentenced", "2026-03-27", "--order-end", "2026-06-19",
                       "--case-holder", "Pat Holder", "--json"))["id"]
    away = json_of(rj(root, "2026-04-02", "victim", "new", "--name", "Ann Example", "--child",
                      child, "--allocated", "2026-04-02", "--consent-contact", "yes",
                      "--stage", "pre-court", "--phone", "07700 900001", "--home-service",
                      "Westmarch Youth Justice Service", "--json"))["id"]
    here = json_of(rj(root, "2026-04-02", "victim", "new", "--name", "Lee Example", "--child",
                      child, "--allocated", "2026-04-02", "--consent-contact", "yes",
                      "--stage", "pre-court", "--phone", "07700 900002", "--json"))["id"]
    rj(root, "2026-04-07", "contact", "log", away, "--method", "email", "--outcome", "sent",
       "--with", "home-service", "--at", "2026-04-07 11:00",
       "--note", "Asked Westmarch to make contact for us")
    rj(root, "2026-04-07", "contact", "log", here, "--method", "phone", "--outcome", "spoke",
       "--with", "police", "--at", "2026-04-07 11:30", "--note", "Officer in the case")
    return root, away, here


def rules(root: Path, victim: str) -> dict[str, dict[str, Any]]:
    data = json_of(rj(root, "2026-07-01", "explain", victim, "--json"))
    return {r["rule"]: r for r in data["rules"]}


def test_an_email_to_the_home_service_is_liaison_not_first_contact(book) -> None:
    root, away, _ = book
    found = rules(root, away)
    assert not found["first-contact"]["applies"]
    assert "out-of-area" in found["first-contact"]["why"]
    liaison = found["home-service-liaison"]
    assert (liaison["applies"], liaison["due"], liaison["met"], liaison["late"]) == \
        (True, "2026-04-13", "2026-04-07", False)
    assert liaison["met_by"].startswith("liaison with the home service: email (sent)")
    text = plain(rj(root, "2026-07-01", "explain", away).output)
    assert "met 7 April 2026: liaison with the home service: email (sent) 7 April 2026" in text


def test_a_call_to_the_police_does_not_meet_first_contact(book) -> None:
    root, _, here = book
    first = rules(root, here)["first-contact"]
    assert (first["applies"], first["due"], first["met"], first["state"]) == \
        (True, "2026-04-13", None, "open")
    due = json_of(rj(root, "2026-04-14", "due", "--all", "--json"))
    assert {(i["case"], i["rule"]) for i in due} >= {(here, "first-contact")}


def test_liaison_is_not_counted_as_contacting_the_victim_in_kpi_10(book) -> None:
    root, _, _ = book
    result = invoke("report", "quarterly", "--quarter", "2026-Q1", "--format", "json",
                    casebook=root, today="2026-07-01", worker=WORKER)
    assert result.exit_code == 0, result.output
    kpi = json.loads(result.stdout)["kpi10"]
    assert (kpi["victims_total"], kpi["consented_to_contact"], kpi["contacted"]) == (2, 2, 0)
