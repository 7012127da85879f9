"""Policy profiles: the timescale rules shipped in policy/profiles/*.yaml.

These files are what `rj due` counts from, so a wrong number or a missing rule is
a deadline a worker misses. The numbers below are checked against the sentence of
the source each rule cites (quoted beside them).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from rjcli.core import vocab
from rjcli.shipped import shipped_dir
from rjcli.storage.schemas import validate, validator
from rjcli.storage.yamlio import read_fast

PROFILE_DIR = shipped_dir("policy") / "profiles"
LOCAL_PROFILES = ("wokingham", "somerset", "tower-hamlets")
FILES = (*vocab.POLICY_PROFILES, *vocab.POLICY_ADDONS)
"""Every shipped policy file: the profiles and the add-ons (issue 18: wait-til-eight)."""

RULE_IDS = {
    "screen-referral", "first-contact", "initial-letter", "final-letter",
    "close-after-final-letter", "assessment-meeting", "confirm-timeframes", "record-contact",
    "missed-appointments", "vcs-notify", "agreement-copy", "conference-feedback",
    "agreement-action", "progress-update", "closure-letter", "close-record",
    "child-first-contact", "risk-approval", "pre-conference-risk", "complaint-manager",
    "home-service-liaison", "risk-approval-child", "post-sentence-contact",
    "final-opportunity-letter", "phone-day-and-evening",
}
# the documents in shared/seeds/README.md, as a source names them
DOCUMENTS = ("Wokingham", "Somerset", "Tower Hamlets", "YJB", "Wait 'til Eight")
# abbreviations a worker may not know, and what must be spelled out beside them
JARGON = {
    "VCS": "Victim Contact Scheme", "RJ": "restorative justice", "RJW": "worker",
    "PSR": "pre-sentence report", "OOCD": "out-of-court", "RFO": "Referral Order",
    "YOT1": "police", "WD": "working days",
}


@cache
def load(profile: str) -> dict[str, Any]:
    data = read_fast(PROFILE_DIR / f"{profile}.yaml")
    assert isinstance(data, dict), f"{profile}.yaml is not a mapping"
    return data


def rules_of(profile: str) -> dict[str, dict[str, Any]]:
    return {rule["id"]: rule for rule in load(profile)["rules"]}


def effective(profile: str) -> dict[str, dict[str, Any]]:
    """The rules a casebook on ``profile`` gets: inherited, patched, then its own."""
    data = load(profile)
    rules = effective(data["extends"]) if data.get("extends") else {}
    for rule_id, patch in (data.get("overrides") or {}).items():
        rules[rule_id] = {**rules[rule_id], **patch}
    return {**rules, **rules_of(profile)}


def all_rules() -> list[tuple[str, dict[str, Any]]]:
    return [(p, r) for p in FILES for r in load(p)["rules"]]


# --- shape ---------------------------------------------------------------------------


def test_every_profile_rj_init_offers_has_a_file() -> None:
    shipped = {p.stem for p in PROFILE_DIR.glob("*.yaml")}
    assert shipped == set(FILES)
    assert all(load(p).get("addon") for p in vocab.POLICY_ADDONS)
    assert not any(load(p).get("addon") for p in vocab.POLICY_PROFILES)


@pytest.mark.parametrize("profile", FILES)
def test_profile_validates_against_the_schema(profile: str) -> None:
    data = load(profile)
    assert validate("policy", data, f"policy/profiles/{profile}.yaml") == []
    assert data["profile"] == profile


def test_no_value_is_read_as_a_boolean_except_enabled() -> None:
    # read_fast reads YAML 1.2, so a bare `no` stays a word; only `enabled` and an add-on's
    # `addon` are true/false
    def booleans(value: Any, key: str = "") -> list[str]:
        if isinstance(value, bool):
            return [] if key in ("enabled", "addon") else [key]
        if isinstance(value, dict):
            return [b for k, v in value.items() for b in booleans(v, str(k))]
        if isinstance(value, list):
            return [b for v in value for b in booleans(v, key)]
        return []

    for profile in FILES:
        assert booleans(load(profile)) == [], profile


@pytest.mark.parametrize("profile", LOCAL_PROFILES)
def test_local_profiles_extend_national(profile: str) -> None:
    assert load(profile)["extends"] == "national"


def test_national_extends_nothing() -> None:
    assert "extends" not in load("national")


@pytest.mark.parametrize("profile", FILES)
def test_no_duplicate_rule_ids_in_a_file(profile: str) -> None:
    ids = [rule["id"] for rule in load(profile)["rules"]]
    assert sorted(ids) == sorted(set(ids))


@pytest.mark.parametrize("profile", LOCAL_PROFILES)
def test_overrides_name_rules_of_national(profile: str) -> None:
    unknown = set(load(profile).get("overrides") or {}) - set(rules_of("national"))
    assert not unknown


@pytest.mark.parametrize("profile", LOCAL_PROFILES)
def test_rules_after_overrides_are_still_whole_rules(profile: str) -> None:
    schema = validator("policy").schema
    check = Draft202012Validator({"$ref": "#/$defs/rule", "$defs": schema["$defs"]})
    for rule_id, rule in effective(profile).items():
        errors = [e.message for e in check.iter_errors(rule)]
        assert errors == [], f"{profile}: {rule_id}: {errors}"
    # every local profile keeps the national minimum
    assert set(rules_of("national")) <= set(effective(profile))


# --- coverage and sources ------------------------------------------------------------


def test_every_rule_id_the_engine_knows_is_in_some_profile() -> None:
    defined = {rule["id"] for _, rule in all_rules()}
    assert RULE_IDS - defined == set()


@pytest.mark.parametrize("profile", FILES)
def test_every_rule_and_override_cites_a_seed_document(profile: str) -> None:
    data = load(profile)
    sources = {r["id"]: r["source"] for r in data["rules"]}
    sources |= {f"override {k}": v["source"] for k, v in (data.get("overrides") or {}).items()
                if "source" in v}
    for rule_id, source in sources.items():
        parts = [part.strip() for part in source.split(";")]
        for part in parts:
            assert part.startswith(DOCUMENTS), f"{rule_id}: {part!r} names no document"
            assert re.search(r"\d", part), f"{rule_id}: {part!r} gives no paragraph"


def test_titles_are_plain_instructions() -> None:
    for profile, rule in all_rules():
        title = rule["title"]
        assert title[0].isupper() and not title.endswith("."), f"{profile}: {title!r}"
        assert rule.get("description"), f"{profile}: {rule['id']} has no description"
        for abbreviation, spelled_out in JARGON.items():
            if re.search(rf"\b{abbreviation}\b", title):
                assert spelled_out.lower() in title.lower(), f"{profile}: {title!r}"


# --- what the sources say ------------------------------------------------------------

# (profile, id): (from, offset, unit, met_by includes, owner). The quote is the source.
TIMESCALES = {
    # Tower Hamlets app. 1: "will (within 48 hours): a. Screen for eligibility"
    ("tower-hamlets", "screen-referral"): ("allocation", 48, "hours", "screening", "rj-worker"),
    # Somerset 6.1: "will attempt to contact a referred victim within 5 working days"
    ("national", "first-contact"): ("contact-start", 5, "working-days", "contact-attempt",
                                    "rj-worker"),
    # Wokingham 17.1: the RJW contacts the victim's "home" YOS (no time set: first
    # contact's 5 working days, as the rule's description says)
    ("national", "home-service-liaison"): ("contact-start", 5, "working-days",
                                           "liaison-home-service", "rj-worker"),
    # Wokingham PSR 2: "Within 5 days of allocation RJW to contact the victim"
    ("wokingham", "first-contact-pre-sentence"): ("allocation", 5, "calendar-days",
                                                  "contact-attempt", "rj-worker"),
    # Wokingham 5: "This letter should be sent within five working days of the case being
    # allocated"
    ("wokingham", "initial-letter"): ("contact-start", 5, "working-days",
                                      "letter-initial-sent", "rj-worker"),
    # Tower Hamlets app. 1: "The Introduction Letter ... is to be sent ... (within 5 working
    # days)"
    ("tower-hamlets", "initial-letter"): ("allocation", 5, "working-days",
                                          "letter-initial-sent", "rj-worker"),
    # Wokingham 6: "This letter should be sent within 10 days after the initial letter."
    ("wokingham", "final-letter"): ("initial-letter", 10, "calendar-days", "letter-final-sent",
                                    "rj-worker"),
    # Tower Hamlets app. 1: "issuance of a Follow-up Letter ... where the victim has not
    # responded within 5 working days"
    ("tower-hamlets", "close-after-final-letter"): ("final-letter", 5, "working-days", "closed",
                                                    "rj-worker"),
    # Tower Hamlets app. 1: "attempt to secure an assessment meeting within 10 working days
    # of the allocation"
    ("tower-hamlets", "assessment-meeting"): ("allocation", 10, "working-days", "meeting-held",
                                              "rj-worker"),
    # Tower Hamlets app. 1: "return to the victim within 5 working days to confirm timeframes"
    ("tower-hamlets", "confirm-timeframes"): ("case-holder-consultation", 5, "working-days",
                                              "contact-attempt", "rj-worker"),
    # Wokingham 4: "be completed within two working days of taking place"
    ("wokingham", "record-contact"): ("contact-made", 2, "working-days", "contact-recorded",
                                      "rj-worker"),
    # Somerset 5.2: "Recording should happen within two working days of the contact."
    ("somerset", "record-contact"): ("contact-made", 2, "working-days", "contact-recorded",
                                     "rj-worker"),
    # Wokingham 12: no time given; rj asks for the next working day
    ("wokingham", "missed-appointments"): ("second-miss", 1, "working-days", "contact-attempt",
                                           "rj-worker"),
    # YJB §22: "notify the Victim Contact Scheme ... within one working day of sentencing"
    ("national", "vcs-notify"): ("sentence", 1, "working-days", "vcs-notified", "rj-worker"),
    # Wait 'til Eight app. 7E: "send it to participants within three working days"
    ("wait-til-eight", "agreement-copy"): ("agreement-made", 3, "working-days",
                                     "agreement-copies-sent", "admin"),
    # Wait 'til Eight §6.7.2: "within 7 days from the date of the conference"
    ("wait-til-eight", "conference-feedback"): ("conference-held", 7, "calendar-days",
                                          "feedback-recorded", "rj-worker"),
    ("national", "agreement-action"): ("agreement-item", 0, "calendar-days",
                                       "agreement-item-closed", "rj-worker"),
    ("national", "progress-update"): ("update-point", 0, "calendar-days", "update-given",
                                      "rj-worker"),
    # Wokingham 14: "Within five working days of completion ... send a closure letter"
    ("wokingham", "closure-letter"): ("support-completed", 5, "working-days",
                                      "letter-closure-sent", "rj-worker"),
    # Somerset 12.1: "closing the record with 10 working days"
    ("somerset", "close-record"): ("support-completed", 10, "working-days", "closed",
                                   "rj-worker"),
    # Wait 'til Eight app. 7G: "Date of planned first contact *Within 15 working days of
    # sentence"
    ("wait-til-eight", "child-first-contact"): ("sentence", 15, "working-days", "child-contact",
                                          "rj-worker"),
    ("national", "risk-approval"): ("risk-found", 1, "working-days", "risk-approved", "manager"),
    ("national", "risk-approval-child"): ("risk-found", 1, "working-days", "risk-approved",
                                          "manager"),
    ("national", "pre-conference-risk"): ("conference-planned", -1, "working-days",
                                          "pre-conference-assessed", "rj-worker"),
    # Wokingham post-sentence 5: "the RJW will contact the victim within five working days
    # of sentencing"
    ("wokingham", "post-sentence-contact"): ("sentence", 5, "working-days", "contact-attempt",
                                             "rj-worker"),
    # Somerset 6.1: "after three attempts, they will write to the victim offering a final
    # opportunity" (no time: rj's own 5 working days, as the description says)
    ("somerset", "final-opportunity-letter"): ("unanswered-attempts", 5, "working-days",
                                               "letter-final-sent", "rj-worker"),
    # Tower Hamlets app. 1: "make contact by phone twice, once in the day and once in the
    # evening" (within the 5 working days of first contact)
    ("tower-hamlets", "phone-day-and-evening"): ("allocation", 5, "working-days",
                                                 "phone-day-and-evening", "rj-worker"),
    # Somerset 13.2: "immediately inform a manager"
    ("somerset", "complaint-manager"): ("complaint", 0, "calendar-days", "manager-told",
                                        "rj-worker"),
}


def test_the_timescale_table_covers_every_rule_id() -> None:
    assert {rule_id for _, rule_id in TIMESCALES} >= RULE_IDS


@pytest.mark.parametrize(("profile", "rule_id"), sorted(TIMESCALES))
def test_timescale_matches_its_source(profile: str, rule_id: str) -> None:
    start, offset, unit, met, owner = TIMESCALES[profile, rule_id]
    rule = rules_of(profile)[rule_id]
    assert (rule["from"], rule["offset"], rule["unit"], rule["owner"]) == (
        start, offset, unit, owner)
    assert met in rule["met_by"]


def test_somerset_case_holder_checks_the_vcs_referral() -> None:
    # Somerset 8.4: "the YJT Case holder should make contact with the Victim Contact Scheme"
    vcs = effective("somerset")["vcs-notify"]
    assert vcs["owner"] == "case-holder"
    assert (vcs["offset"], vcs["unit"]) == (1, "working-days")  # YJB §22 minimum kept
    assert effective("wokingham")["vcs-notify"]["owner"] == "rj-worker"


@pytest.mark.parametrize(("profile", "rule_id", "days"), [
    ("wokingham", "final-letter", "10 days"),
    ("wokingham", "first-contact-pre-sentence", "5 days"),
    ("wait-til-eight", "conference-feedback", "7 days"),
])
def test_days_without_working_are_calendar_days_and_say_so(
        profile: str, rule_id: str, days: str) -> None:
    rule = rules_of(profile)[rule_id]
    assert rule["unit"] == "calendar-days"
    text = " ".join(rule["description"].split())
    assert f"says {days}, not working days" in text
    assert "calendar days as written" in text


def test_every_counted_calendar_or_hour_rule_explains_itself() -> None:
    # a count of days or hours that is not working days must say why in its description
    for profile, rule in all_rules():
        if rule["unit"] != "working-days" and rule["offset"] != 0:
            assert "not working days" in " ".join(rule["description"].split()), (
                f"{profile}: {rule['id']}")


def test_initial_letter_only_when_phone_fails_in_wokingham_but_always_in_tower_hamlets() -> None:
    # Wokingham 5: "If we are unable to get through on the phone or we do not have phone
    # contact details a letter should be sent"; Tower Hamlets sends the Introduction Letter
    # to every victim, confirming any appointment made by phone.
    assert rules_of("wokingham")["initial-letter"]["applies"]["flags"] == ["phone-failed"]
    assert "flags" not in (rules_of("tower-hamlets")["initial-letter"].get("applies") or {})


@pytest.mark.parametrize(("profile", "rule_id"), [
    ("national", "vcs-notify"), ("tower-hamlets", "screen-referral"),
    ("wokingham", "record-contact"), ("somerset", "record-contact"),
    ("somerset", "complaint-manager"), ("somerset", "close-record"),
    ("tower-hamlets", "close-after-final-letter"), ("national", "risk-approval"),
])
def test_rules_that_apply_whatever_the_victim_said_about_contact(
        profile: str, rule_id: str) -> None:
    # screening, the VCS, recording, complaints and closing do not wait for consent
    applies = rules_of(profile)[rule_id]["applies"]
    assert "consent" in applies and applies["consent"] is None


def test_only_the_vcs_rule_waits_for_a_vcs_eligible_sentence() -> None:
    eligible = [(p, r["id"]) for p, r in all_rules()
                if "vcs-eligible" in (r.get("applies") or {}).get("flags", [])]
    assert eligible == [("national", "vcs-notify")]


@pytest.mark.parametrize("profile", ("national", *LOCAL_PROFILES))
def test_a_resolved_policy_reads_back_equal_from_the_form_the_index_keeps(profile):
    import marshal
    from dataclasses import asdict

    from rjcli.core.policy import policy_from_plain, resolve_policy

    profiles = {p.stem: read_fast(p) for p in PROFILE_DIR.glob("*.yaml")}
    policy = resolve_policy(profiles, profile, {}, [])
    assert policy.rules
    assert policy_from_plain(marshal.loads(marshal.dumps(asdict(policy)))) == policy


def test_somerset_counts_three_attempts() -> None:
    # Somerset 6.1: "after three attempts"
    assert rules_of("somerset")["final-opportunity-letter"]["attempts"] == 3


def test_a_rule_counting_attempts_must_say_how_many() -> None:
    from rjcli.core.policy import PolicyError, resolve_policy

    rule = {"id": "x", "title": "X", "record": "victim", "from": "unanswered-attempts",
            "offset": 1, "unit": "working-days", "met_by": ["letter-final-sent"],
            "owner": "rj-worker", "source": "Somerset 6.1"}
    assert validate("policy", {"profile": "p", "title": "P", "rules": [rule]}, "p.yaml")
    with pytest.raises(PolicyError, match="say how many attempts with 'attempts'"):
        resolve_policy({"p": {"profile": "p", "title": "P", "rules": [rule]}}, "p")
    policy = resolve_policy({"p": {"profile": "p", "title": "P",
                                   "rules": [{**rule, "attempts": 3}]}}, "p")
    assert policy.rules[0].timing_text() == \
        "1 working day after the third contact attempt with no response"
