"""The bundled sample casebook: valid, complete, private, and telling its story.

It is what a newcomer runs first (``rj due``, ``rj letter initial V-0001``) and the
base of other tests, so it must pass ``rj check`` cleanly, cover every kind of
victim and every disposal, keep victims out of children/, and use only numbers
that can never ring a real person. The privacy and phone checks here are plain
string searches, independent of rj's own checker.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from rjcli.cli import app
from rjcli.core import vocab

SAMPLE = Path(__file__).resolve().parent.parent / "sample-casebook"
TODAY = "2026-06-15"

# Ofcom's numbers for drama (TV, radio, film, books): never allocated to anyone.
DRAMA_RANGES = (
    re.compile(r"^01632960\d{3}$"),   # 01632 960000 - 960999
    re.compile(r"^07700900\d{3}$"),   # 07700 900000 - 900999
    re.compile(r"^08081570\d{3}$"),   # 0808 157 0000 - 0999
)
PHONE_LIKE = re.compile(r"(?<![\w-])(?:\+44\s?|0)\d{3,4}[\s-]?\d{3}[\s-]?\d{3,4}(?![\w-])")
EXAMPLE_DOMAINS = ("example.org", "example.com", "example.net")
ENTRY_ID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _load(path: Path) -> dict[str, Any]:
    # A YAML 1.1 loader reads an unquoted yes/no as a boolean; nothing here depends on it.
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def victims() -> dict[str, dict[str, Any]]:
    return {p.stem: _load(p) for p in sorted((SAMPLE / "victims").glob("*.yaml"))}


@pytest.fixture(scope="module")
def children() -> dict[str, dict[str, Any]]:
    return {p.stem: _load(p) for p in sorted((SAMPLE / "children").glob("*.yaml"))}


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    return _load(SAMPLE / "rj.yaml")


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    """A copy of the sample, so running rj leaves no cache or lock in the repository."""
    target = tmp_path / "sample"
    shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns(".rj", "output"))
    return target


def rj(casebook: Path, *args: str) -> Any:
    return CliRunner().invoke(app, ["--casebook", str(casebook), "--today", TODAY, *args])


def _digits(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    return "0" + digits[2:] if digits.startswith("44") else digits


def _is_drama(number: str) -> bool:
    return any(r.match(_digits(number)) for r in DRAMA_RANGES)


# --- valid -------------------------------------------------------------------------


def test_rj_check_passes_with_no_warnings(copy: Path) -> None:
    result = rj(copy, "check")
    assert result.exit_code == 0, result.output
    assert "casebook OK" in result.output
    assert "warning" not in result.output
    as_json = json.loads(rj(copy, "check", "--json").stdout)
    assert as_json == {"ok": True, "problems": []}


def test_enough_records_with_ids_matching_their_files(
    victims: dict[str, dict[str, Any]], children: dict[str, dict[str, Any]]
) -> None:
    assert len(victims) >= 12
    assert len(children) >= 8
    for stem, data in {**victims, **children}.items():
        assert data["id"] == stem
        assert re.fullmatch(r"[VC]-\d{4}", stem)


def test_links_resolve_both_ways(
    victims: dict[str, dict[str, Any]], children: dict[str, dict[str, Any]]
) -> None:
    from_victims = {(v["id"], link["child"])
                    for v in victims.values() for link in v.get("children", [])}
    from_children = {(ref["ref"], c["id"])
                     for c in children.values() for ref in c.get("victims", [])}
    assert from_victims == from_children
    # a victim shared by two co-defendant children
    shared = [v for v in victims.values() if len(v.get("children", [])) >= 2]
    assert shared
    pair = [link["child"] for link in shared[0]["children"]]
    assert pair[1] in children[pair[0]].get("co_defendants", [])
    assert pair[0] in children[pair[1]].get("co_defendants", [])


def test_entry_ids_are_unique_time_ordered_and_from_the_story(
    victims: dict[str, dict[str, Any]], children: dict[str, dict[str, Any]]
) -> None:
    ids: list[str] = []

    def collect(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("id"), str) and not re.fullmatch(r"[VC]-\d{4}", node["id"]):
                ids.append(node["id"])
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    for record in [*victims.values(), *children.values()]:
        collect(record)
    assert len(ids) > 200
    assert len(set(ids)) == len(ids), "an entry id is used twice"
    for entry_id in ids:
        assert ENTRY_ID.match(entry_id), entry_id
        millis = 0
        for char in entry_id[:10]:
            millis = millis * 32 + CROCKFORD.index(char)
        # ids carry the entry's own moment, not the day the sample was written
        assert date(2026, 1, 1) <= date.fromtimestamp(millis / 1000) <= date(2026, 6, 15), entry_id


# --- complete ----------------------------------------------------------------------


def test_every_victim_kind_and_every_disposal_appears(
    victims: dict[str, dict[str, Any]], children: dict[str, dict[str, Any]]
) -> None:
    assert {v["kind"] for v in victims.values()} == set(vocab.VICTIM_KINDS)
    disposals = {c["disposal"] for c in children.values()}
    assert set(vocab.DISPOSALS) - {"no-further-action"} <= disposals
    assert {v["referral"]["stage"] for v in victims.values()} == set(vocab.STAGES)


def test_every_situation_a_newcomer_meets_is_there(
    victims: dict[str, dict[str, Any]], children: dict[str, dict[str, Any]]
) -> None:
    vs = list(victims.values())
    consents = [c for r in [*vs, *children.values()] for c in r.get("consents", [])]
    assert all(c.get("date") and c.get("source") for c in consents), "consent without date/source"
    assert {"YOT1", "phone call", "signed form"} <= {c["source"] for c in consents}
    under_18 = [v for v in vs if v["kind"] == "under-18"]
    assert under_18 and all(v.get("parent_guardian", {}).get("name") for v in under_18)
    corporate = [v for v in vs if v["kind"] == "corporate"]
    assert corporate and all(v.get("representative", {}).get("name") for v in corporate)
    assert any(v.get("home_service") for v in vs)
    assert any(c.get("kind") == "contact" and c["answer"] in ("no", False)
               for v in vs for c in v.get("consents", []))
    assert any(v.get("vcs_notified") for v in vs)
    assert any(v.get("view", {}).get("sought") and v.get("support_requests") and v.get("support")
               for v in vs)
    assert any(c.get("manager_told") for v in vs for c in v.get("complaints", []))
    reasons = {s.get("reason") for v in vs for s in v["status_history"] if s["status"] == "closed"}
    assert {"completed", "declined", "no-response", "withdrew"} <= reasons
    histories = [[s["status"] for s in v["status_history"]] for v in vs]
    assert any(h[-2:] == ["closed", "open"] for h in histories), "no reopened case"
    assert any(sum(1 for a in v.get("appointments", []) if a["status"] == "missed"
                   and a.get("notice") is False) >= 2 for v in vs)
    held = [c for v in vs for c in v.get("conferences", []) if c["status"] == "held"]
    assert held and {i["status"] for i in held[0]["agreement"]} == {"open", "done", "failed"}
    assert any(a.get("rating") == "MEDIUM" and a.get("blocked") and a.get("approval")
               for v in vs for a in v.get("assessments", []))
    # children: no-victim awareness work, exactly one consent to share details
    assert any(c["victims"] == [] and c.get("victim_awareness") for c in children.values())
    sharing = [c["id"] for c in children.values() for s in c.get("consents", [])
               if s["kind"] == "share-details-with-victim" and s["answer"] in ("yes", True)]
    assert len(sharing) == 1
    ends = {c["order_end"] for c in children.values() if c.get("order_end")}
    assert date(2026, 6, 30) in ends
    assert any(date(2026, 7, 1) <= d <= date(2026, 9, 30) for d in ends)


def test_v0001_is_ready_for_its_initial_letter(
    victims: dict[str, dict[str, Any]], config: dict[str, Any]
) -> None:
    v = victims["V-0001"]
    assert not v.get("phones")
    assert v["address"]["lines"] and v["address"]["postcode"]
    assert v["referral"]["allocated"] == date(2026, 6, 11)
    assert v["consents"][-1]["kind"] == "contact" and v["consents"][-1]["answer"] in ("yes", True)
    worker = next(s for s in config["staff"] if s["name"] == v["referral"]["worker"])
    assert worker["role"] == "rj-worker" and worker["phone"] and worker["email"]


def test_the_story_on_monday_15_june(copy: Path) -> None:
    result = rj(copy, "due", "--within", "60", "--json")
    assert result.exit_code == 0, result.output
    due = {(i["case"], i["rule"], i["due"]): i["status"] for i in json.loads(result.stdout)}
    assert due[("V-0001", "initial-letter", "2026-06-18")] == "upcoming"
    assert due[("V-0011", "missed-appointments", "2026-06-15")] == "today"
    assert due[("V-0009", "progress-update", "2026-06-15")] == "today"
    assert due[("V-0010", "progress-update", "2026-06-05")] == "overdue"
    assert not any(case == "V-0008" for case, _, _ in due), "V-0008 did not consent to contact"


# --- private and fictional ---------------------------------------------------------


def _identifiers(v: dict[str, Any]) -> list[str]:
    people = [v] + [v[k] for k in ("parent_guardian", "representative") if v.get(k)]
    found = [p["name"] for p in people if p.get("name")]
    found += [p["email"] for p in people if p.get("email")]
    found += [p["phone"] for p in people if p.get("phone")] + list(v.get("phones", []))
    postcode = (v.get("address") or {}).get("postcode")
    if postcode:
        found += [postcode, postcode.replace(" ", "")]
    if v.get("dob"):
        dob = v["dob"]
        found += [dob.isoformat(), dob.strftime("%d/%m/%Y"), f"{dob.day} {dob:%B %Y}"]
    return found


def test_no_victim_identifier_anywhere_under_children(victims: dict[str, dict[str, Any]]) -> None:
    files = [p for p in (SAMPLE / "children").rglob("*") if p.is_file()]
    assert files
    texts = {p.name: p.read_text(encoding="utf-8").casefold() for p in files}
    digit_texts = {name: re.sub(r"\D", "", text) for name, text in texts.items()}
    for v in victims.values():
        for value in _identifiers(v):
            for name, text in texts.items():
                assert value.casefold() not in text, f"{v['id']}: {value!r} in children/{name}"
        for phone in [*v.get("phones", []), *(v.get(k, {}).get("phone", "") for k in
                                                  ("parent_guardian", "representative"))]:
            if phone:
                for name, digits in digit_texts.items():
                    assert _digits(phone) not in digits, f"{v['id']}: {phone} in children/{name}"


def test_no_victim_family_name_under_children_except_the_childs_own(
    victims: dict[str, dict[str, Any]], children: dict[str, dict[str, Any]]
) -> None:
    for path in (SAMPLE / "children").glob("*.yaml"):
        own = children[path.stem]["name"].split()[-1].casefold()
        words = set(re.findall(r"[a-z']+", path.read_text(encoding="utf-8").casefold()))
        for v in victims.values():
            people = [v[k]["name"] for k in ("parent_guardian", "representative") if v.get(k)]
            if v["kind"] != "corporate":  # a business's name is not a person's
                people.append(v["name"])
            for person in people:
                surname = person.split()[-1].casefold()
                assert surname == own or surname not in words, f"{person!r} in {path.name}"


def test_every_phone_number_is_in_ofcoms_drama_ranges(
    victims: dict[str, dict[str, Any]], config: dict[str, Any]
) -> None:
    structured = [config["service"]["phone"]] + [s["phone"] for s in config["staff"]]
    for v in victims.values():
        structured += v.get("phones", [])
        structured += [v[k]["phone"] for k in ("parent_guardian", "representative")
                       if v.get(k, {}).get("phone")]
    assert len(structured) > 20
    assert all(_is_drama(n) for n in structured), [n for n in structured if not _is_drama(n)]
    in_text = [m for p in SAMPLE.rglob("*.yaml")
               for m in PHONE_LIKE.findall(p.read_text(encoding="utf-8"))]
    assert len(in_text) >= len(structured)
    assert all(_is_drama(n) for n in in_text), [n for n in in_text if not _is_drama(n)]


def test_every_email_address_is_at_an_example_domain() -> None:
    found = [m for p in SAMPLE.rglob("*.yaml")
             for m in re.findall(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)", p.read_text(encoding="utf-8"))]
    assert found
    assert set(found) <= set(EXAMPLE_DOMAINS), set(found) - set(EXAMPLE_DOMAINS)


def test_staff_cover_every_role_each_with_phone_and_email(config: dict[str, Any]) -> None:
    roles = [s["role"] for s in config["staff"]]
    assert roles.count("rj-worker") >= 2 and roles.count("case-holder") >= 2
    assert "manager" in roles and "admin" in roles
    assert all(s.get("phone") and s.get("email") for s in config["staff"])
    assert config["policy"]["profile"] == "wokingham"
    assert config["calendar"] == {"region": "england", "closures": [date(2026, 12, 24)]}
    assert config["git"]["autocommit"] is False
    assert (SAMPLE / ".gitignore").read_text().split()[-2:] == [".rj/", "output/"]
