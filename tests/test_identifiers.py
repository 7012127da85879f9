"""The victim-identifier matcher (``rjcli.core.identifiers``): what people actually type.

Two tables: forms of a victim's details that must each be found, and look-alikes that must
not be (another person's date, a staff phone, the child's own date of birth on its ``dob:``
line, common words that are also family names). Then ``rj check`` over a child's record
holding every planted form: each is reported on its line.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import CasebookUnderTest

from rjcli.core.identifiers import find, victim_identifiers
from rjcli.core.model import victim_from_dict

ANN = {"id": "V-ANN001", "kind": "individual", "name": "Ann Victimname", "dob": "1963-09-14",
       "phones": ["07700 900001"], "email": "ann.v@example.org",
       "address": {"lines": ["Flat 2, 7 Elm Way", "Exampletown"], "postcode": "XE3 1AB"},
       "parent_guardian": None}
BEA = {"id": "V-BEA002", "kind": "individual", "name": "Bea Greenhalgh", "dob": "1980-05-06",
       "phones": ["01632 960555"], "address": {"lines": ["Rose Cottage", "Mill Lane"]}}
SAM = {"id": "V-SAM003", "kind": "individual", "name": "Sam Wood", "dob": "1990-01-02"}
STAFF = ["Sam Worker", "Pat Holder"]

NAME, PHONE, EMAIL, POSTCODE, ADDRESS, DOB = ("a victim's name", "a victim's phone number",
                                             "a victim's e-mail address", "a victim's postcode",
                                             "a victim's address", "a victim's date of birth")
SURNAME = "the family name 'Victimname' of a victim"
PLURAL = "the family name 'Victimnames' of a victim"

PLANTED = [
    # names
    ("spoke to Ann Victimname", NAME, "V-ANN001"),
    ("spoke to ANN VICTIMNAME", NAME, "V-ANN001"),
    ("spoke to ann   victimname", NAME, "V-ANN001"),
    ("Victimname, Ann rang", NAME, "V-ANN001"),
    ("met Ann Marie Victimname", SURNAME, "V-ANN001"),
    ("met Mrs Victimname", SURNAME, "V-ANN001"),
    ("spoke to bea greenhalgh", NAME, "V-BEA002"),
    # phones
    ("rang 07700 900001", PHONE, "V-ANN001"),
    ("rang 07700900001", PHONE, "V-ANN001"),
    ("rang 0770 090 0001", PHONE, "V-ANN001"),
    ("rang +44 7700 900001", PHONE, "V-ANN001"),
    ("rang +447700900001", PHONE, "V-ANN001"),
    ("rang +44 (0)7700 900001", PHONE, "V-ANN001"),
    ("rang 0044 7700 900 001", PHONE, "V-ANN001"),
    ("rang (07700) 900001", PHONE, "V-ANN001"),
    ("rang 07700-900-001", PHONE, "V-ANN001"),
    ("rang 07700.900.001", PHONE, "V-ANN001"),
    ("the sheet says 7700900001", PHONE, "V-ANN001"),
    ("numbers: 01632 960101 07700 900001", PHONE, "V-ANN001"),
    ("tel:01632960555", PHONE, "V-BEA002"),
    # e-mail
    ("wrote to ANN.V@EXAMPLE.ORG", EMAIL, "V-ANN001"),
    ("<mailto:ann.v@example.org>", EMAIL, "V-ANN001"),
    # postcodes
    ("near XE3 1AB", POSTCODE, "V-ANN001"),
    ("near xe31ab", POSTCODE, "V-ANN001"),
    ("near XE3  1AB", POSTCODE, "V-ANN001"),
    ("near xe3 1ab.", POSTCODE, "V-ANN001"),
    # address lines
    ("lives at 7 Elm Way", ADDRESS, "V-ANN001"),
    ("lives at 7, elm way", ADDRESS, "V-ANN001"),
    ("lives at FLAT 2 7 ELM WAY", ADDRESS, "V-ANN001"),
    ("lives at 7 Elm-Way", ADDRESS, "V-ANN001"),
    ("lives at rose cottage", ADDRESS, "V-BEA002"),
    # dates of birth, 14 September 1963
    ("born 14 Sept 1963", DOB, "V-ANN001"),
    ("born 14th September 1963", DOB, "V-ANN001"),
    ("born September 14, 1963", DOB, "V-ANN001"),
    ("born 14.09.1963", DOB, "V-ANN001"),
    ("born 14-09-1963", DOB, "V-ANN001"),
    ("born 14/9/63", DOB, "V-ANN001"),
    ("born 1963-09-14", DOB, "V-ANN001"),
    ("born 14/09/1963", DOB, "V-ANN001"),
    ("born 14 Sep 63", DOB, "V-ANN001"),
    ("born 14th of September 1963", DOB, "V-ANN001"),
    ("born Sept 14th 1963", DOB, "V-ANN001"),
    ("born 09/14/1963", DOB, "V-ANN001"),
    ("born 14SEP1963", DOB, "V-ANN001"),
    ("born 14-Sep-1963", DOB, "V-ANN001"),
    ("born 14 September '63", DOB, "V-ANN001"),
    ("born Sep. 14, 1963", DOB, "V-ANN001"),
    ("born 1963/09/14", DOB, "V-ANN001"),
    ("born 14.9.1963", DOB, "V-ANN001"),
    ("born 14 09 1963", DOB, "V-ANN001"),
    # dates of birth, 6 May 1980
    ("born 06/05/1980", DOB, "V-BEA002"),
    ("born 6 May 1980", DOB, "V-BEA002"),
    ("born 6th May 80", DOB, "V-BEA002"),
    ("born May 6, 1980", DOB, "V-BEA002"),
    ("born 05/06/1980", DOB, "V-BEA002"),
    # forms a hostile tester found getting past (plural, possessive, compact dates, any
    # separator in a postcode, no space after a house number, invisible and wide characters)
    ("the Victimnames came", PLURAL, "V-ANN001"),
    ("the Victimnames' house", PLURAL, "V-ANN001"),
    ("Victimname's car", SURNAME, "V-ANN001"),
    ("born 14091963", DOB, "V-ANN001"),
    ("born 19630914", DOB, "V-ANN001"),
    ("born the 14th day of September 1963", DOB, "V-ANN001"),
    ("born 14 IX 1963", DOB, "V-ANN001"),
    ("near XE3/1AB", POSTCODE, "V-ANN001"),
    ("near XE3.1AB", POSTCODE, "V-ANN001"),
    ("near XE3_1AB", POSTCODE, "V-ANN001"),
    ("near XE3 1 AB", POSTCODE, "V-ANN001"),
    ("near X E3 1AB", POSTCODE, "V-ANN001"),
    ("lives at 7Elm Way", ADDRESS, "V-ANN001"),
    ("spoke to Ann Victim\u200bname", NAME, "V-ANN001"),
    ("spoke to Ann Victim\u00adname", NAME, "V-ANN001"),
    ("spoke to \uff21\uff4e\uff4e \uff36\uff49\uff43\uff54\uff49\uff4d\uff4e\uff41\uff4d\uff45",
     NAME, "V-ANN001"),
    ("rang \uff10\uff17\uff17\uff10\uff10\u3000\uff19\uff10\uff10\uff10\uff10\uff11", PHONE,
     "V-ANN001"),
]

LOOK_ALIKES = [
    "another person was born 15/09/1963",
    "born 14 September 1964",
    "born 1963-09-15",
    "meeting 14/09 at 10:00",
    "rang the office on 01632 960101",
    "rang 07700 900002",
    "reference 177009000012",
    "lives in Exampletown",
    "lives on Mill Lane",
    "lives at 17 Elm Way",
    "lives at 7 Elm Road",
    "near XE3 1AC",
    "wrote to someone@example.org",
    "the green bench near the wood",
    "Wood for the community garden",
    "Victim 1 wants an apology",
    "V-ANN001 wants an apology",
    "Sam Worker and Pat Holder met",
    "May 2026",
    "Ann was there",
    "reference 14091964",
    "reference 12345678",
    "reference 19630915",
    "born 15 IX 1963",
    "ref QXE3 1AB",
    "ref XE3 1AB7",
    "lives at 17Elm Way",
    "the Victimnamesake",
]


def _matcher() -> Any:
    victims = [victim_from_dict(v) for v in (ANN, BEA, SAM)]
    return victim_identifiers(victims, exclude_words=[w for n in STAFF for w in n.split()])


@pytest.mark.parametrize(("text", "what", "owner"), PLANTED)
def test_each_planted_form_is_found(text: str, what: str, owner: str) -> None:
    found = find(f"first line\n{text}\n", _matcher(), ["Jo Child", *STAFF])
    assert (what, owner, 2) in {(f.what, f.owner, f.line) for f in found}, found


def test_the_table_has_at_least_forty_planted_forms() -> None:
    assert len(PLANTED) >= 40


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_a_look_alike_is_not_flagged(text: str) -> None:
    assert find(text, _matcher(), ["Jo Child", *STAFF]) == []


@pytest.mark.parametrize("line", ["dob: 1963-09-14", "dob: 14/09/1963", "  - date: 2026-04-01"])
def test_the_childs_own_date_on_its_own_line_is_not_a_victims(line: str) -> None:
    matcher = _matcher()
    assert find(f"id: C-0001\n{line}\n", matcher, own_dates=True) == []
    # the same date in a report (no record keys of the child's) is looked at
    if "1963" in line:
        assert [f.what for f in find(line, matcher, own_dates=False)] == [DOB]


def test_a_finding_is_on_the_line_it_starts_on() -> None:
    found = find("a\nb\nnote: Ann\n  Victimname rang\n", _matcher())
    assert [(f.what, f.line) for f in found] == [(NAME, 3)]


# --- rj check finds every planted form ----------------------------------------------------


def test_rj_check_finds_every_planted_form_on_its_line(casebook: CasebookUnderTest,
                                                       victim_factory: Any) -> None:
    ann = victim_factory("Ann Victimname", phone="07700 900011", email="ann.v@example.org",
                         address=["Flat 2, 7 Elm Way", "Exampletown"], postcode="XE3 1AB",
                         dob="1963-09-14")
    planted = [t.replace("900001", "900011").replace("900 001", "900 011")
               .replace("900-001", "900-011").replace("900.001", "900.011")
               .replace("0770 090 0001", "0770 090 0011")
               .replace("\uff19\uff10\uff10\uff10\uff10\uff11", "\uff19\uff10\uff10\uff10\uff11\uff11")
               for t, _, owner in PLANTED if owner == "V-ANN001"]
    notes = "".join(f"  - {json.dumps(t, ensure_ascii=False)}\n" for t in planted)
    record = casebook.text(casebook.child)
    casebook.write(casebook.child, record + "notes:\n" + notes)
    first = len(record.splitlines()) + 2

    result = casebook.run("check", "--json")

    problems = json.loads(result.stdout)["problems"]
    lines = {p["line"] for p in problems
             if p["path"] == f"children/{casebook.child}.yaml" and ann in p["message"]}
    missing = [t for n, t in enumerate(planted, first) if n not in lines]
    assert missing == []
    assert result.exit_code == 1


def test_rj_check_flags_no_look_alike(casebook: CasebookUnderTest, victim_factory: Any) -> None:
    victim_factory("Ann Victimname", phone="07700 900011", postcode="XE3 1AB", dob="1963-09-14")
    casebook.write(casebook.child, casebook.text(casebook.child) + "notes:\n" + "".join(
        f"  - {json.dumps(t)}\n" for t in LOOK_ALIKES if "V-ANN001" not in t))
    result = casebook.run("check", "--json")
    problems = json.loads(result.stdout)["problems"]
    assert [p for p in problems if "unknown field 'notes'" not in p["message"]] == []
    assert result.exit_code == 0



def test_an_eight_digit_date_inside_a_longer_number_is_not_one() -> None:
    found = find("born 14091963\nref 2140919630\n", _matcher())
    assert [(f.what, f.line) for f in found] == [(DOB, 1)]
