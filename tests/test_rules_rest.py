"""The rest of issue 18's rules: work owned by a role nobody holds, post-sentence contact,
contact attempts counted, Tower Hamlets' screening and the wait-til-eight add-on.

Each test reproduces what the issue quotes and failed on the code before the change.
"""

from __future__ import annotations

from typing import Any

from conftest import WORKER, CasebookUnderTest, json_of, plain
from test_safety_gates import HELD_WITH_AGREEMENT


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return result


def due(cb: CasebookUnderTest, *args: str, **options: Any) -> list[dict[str, Any]]:
    return json_of(ok(cb.run("due", "--all", "--within", "30", "--json", *args, **options)))  # type: ignore[no-any-return]


# --- work owned by a role nobody holds --------------------------------------------------------


def test_work_of_a_role_nobody_holds_falls_to_the_case_worker(casebook: CasebookUnderTest) -> None:
    switch_on_wait_til_eight(casebook)  # agreement-copy is admin's (Wait 'til Eight 7E)
    v = casebook.victim
    casebook.write(v, casebook.text(v) + HELD_WITH_AGREEMENT)
    (copies,) = [i for i in due(casebook) if i["rule"] == "agreement-copy"]
    assert copies["worker"] == WORKER
    mine = json_of(ok(casebook.run("due", "--worker", WORKER, "--within", "30", "--json")))
    assert "agreement-copy" in {i["rule"] for i in mine}
    ok(casebook.run("staff", "add", "Al Admin", "--role", "admin"))
    (copies,) = [i for i in due(casebook) if i["rule"] == "agreement-copy"]
    assert copies["worker"] == "Al Admin"


# --- post-sentence contact ----------------------------------------------------------------------


def set_profile(cb: CasebookUnderTest, profile: str) -> None:
    config = cb.root / "rj.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("profile: national", f"profile: {profile}", 1),
                      encoding="utf-8")


def pre_sentence_victim(cb: CasebookUnderTest, child_factory: Any, victim_factory: Any
                        ) -> tuple[str, str]:
    child = child_factory(name="Kit Child", disposal="psr-requested", case_holder="Pat Holder")
    victim = victim_factory(name="Lee Example", child=child, stage="pre-sentence",
                            allocated="2026-03-23", phone="07700 900002")
    ok(cb.run("contact", "log", victim, "--method", "phone", "--outcome", "spoke",
              "--at", "2026-03-24 10:00"))
    ok(cb.run("consent", victim, "contact-after-sentence", "yes", "--source", "phone call",
              "--date", "2026-03-24"))
    return child, victim


def test_sentence_recorded_brings_post_sentence_contact(casebook: CasebookUnderTest,
                                                        child_factory: Any,
                                                        victim_factory: Any) -> None:
    """Wokingham post-sentence 5: a victim who agreed at the pre-sentence report to be
    contacted after sentence is contacted "within five working days of sentencing"."""
    set_profile(casebook, "wokingham")
    child, victim = pre_sentence_victim(casebook, child_factory, victim_factory)
    assert "post-sentence-contact" not in {i["rule"] for i in due(casebook) if i["case"] == victim}
    path = casebook.path(child)
    path.write_text(path.read_text(encoding="utf-8") + "sentence_date: 2026-03-30\n",
                    encoding="utf-8")
    (item,) = [i for i in due(casebook) if i["rule"] == "post-sentence-contact"]
    # 5 working days; Easter: 3 and 6 April
    assert (item["case"], item["due"], item["worker"]) == (victim, "2026-04-08", WORKER)
    assert "Wokingham post-sentence 5" in item["source"]
    explained = plain(ok(casebook.run("explain", victim)).output)
    assert "5 working days after sentence; Wokingham post-sentence 5" in explained
    ok(casebook.run("contact", "log", victim, "--method", "phone", "--outcome", "spoke",
                    "--at", "2026-04-01 11:00"))
    assert "post-sentence-contact" not in {i["rule"] for i in due(casebook)}


def test_no_post_sentence_contact_without_that_consent(casebook: CasebookUnderTest,
                                                       child_factory: Any,
                                                       victim_factory: Any) -> None:
    set_profile(casebook, "wokingham")
    child, victim = pre_sentence_victim(casebook, child_factory, victim_factory)
    ok(casebook.run("consent", victim, "contact-after-sentence", "no", "--source", "phone call",
                    "--date", "2026-03-25"))
    path = casebook.path(child)
    path.write_text(path.read_text(encoding="utf-8") + "sentence_date: 2026-03-30\n",
                    encoding="utf-8")
    assert "post-sentence-contact" not in {i["rule"] for i in due(casebook)}
    explained = plain(ok(casebook.run("explain", victim)).output)
    assert "consent to contact after sentence is no" in explained


# --- contact attempts counted -------------------------------------------------------------------


def call(cb: CasebookUnderTest, at: str, outcome: str = "no-answer", method: str = "phone",
         *extra: str) -> None:
    ok(cb.run("contact", "log", cb.victim, "--method", method, "--outcome", outcome,
              "--at", at, *extra))


def rules_due(cb: CasebookUnderTest) -> dict[str, dict[str, Any]]:
    return {i["rule"]: i for i in due(cb) if i["case"] == cb.victim}


def test_somerset_three_unanswered_attempts_bring_the_final_opportunity_letter(
        casebook: CasebookUnderTest) -> None:
    """Somerset 6.1: "If the Restorative Justice Worker has not received a response from the
    victim after three attempts, they will write to the victim offering a final opportunity
    to engage with the service." One unanswered call is not three."""
    set_profile(casebook, "somerset")
    call(casebook, "2026-03-31 10:00")
    assert "final-opportunity-letter" not in rules_due(casebook)
    call(casebook, "2026-03-31 16:00", "left-message")
    assert "final-opportunity-letter" not in rules_due(casebook)
    call(casebook, "2026-04-01 11:00", "sent", "text")
    item = rules_due(casebook)["final-opportunity-letter"]
    assert item["due"] == "2026-04-10"  # 5 working days (rj's own); Easter 3 and 6 April
    assert item["source"].startswith("Somerset 6.1")
    explained = plain(ok(casebook.run("explain", casebook.victim)).output)
    assert "counts from third contact attempt with no response 1 April 2026" in explained
    call(casebook, "2026-04-02 10:00", "sent", "letter", "--letter", "final")
    assert "final-opportunity-letter" not in rules_due(casebook)


def test_somerset_a_response_before_the_third_attempt_needs_no_final_letter(
        casebook: CasebookUnderTest) -> None:
    set_profile(casebook, "somerset")
    call(casebook, "2026-03-31 10:00")
    call(casebook, "2026-03-31 16:00", "spoke")
    call(casebook, "2026-04-01 11:00")
    call(casebook, "2026-04-02 11:00")
    assert "final-opportunity-letter" not in rules_due(casebook)


def test_tower_hamlets_one_unanswered_call_is_not_a_day_and_an_evening_call(
        casebook: CasebookUnderTest) -> None:
    """Tower Hamlets appendix 1: "will need to make contact by phone twice, once in the day
    and once in the evening"."""
    set_profile(casebook, "tower-hamlets")
    call(casebook, "2026-03-31 10:00")
    item = rules_due(casebook)["phone-day-and-evening"]
    assert item["source"].startswith("Tower Hamlets appendix 1")
    assert "first-contact" not in rules_due(casebook)  # one attempt meets first contact
    call(casebook, "2026-04-01 11:30")  # a second call in the day is still no evening call
    assert "phone-day-and-evening" in rules_due(casebook)
    call(casebook, "2026-04-01 18:30")
    assert "phone-day-and-evening" not in rules_due(casebook)
    explained = plain(ok(casebook.run("explain", casebook.victim)).output)
    assert "met 1 April 2026: rung in the day (31 March 2026 10:00) and in the evening " \
           "(1 April 2026 18:30)" in explained


def test_tower_hamlets_reaching_the_victim_needs_no_evening_call(
        casebook: CasebookUnderTest) -> None:
    set_profile(casebook, "tower-hamlets")
    call(casebook, "2026-03-31 10:00", "spoke")
    assert "phone-day-and-evening" not in rules_due(casebook)


# --- rj screen (Tower Hamlets appendix 1 (a-d)) --------------------------------------------------


def screen(cb: CasebookUnderTest, record: str, *extra: str) -> Any:
    return cb.run("screen", record, "--identifiable", "yes", "--vcs", "no", "--consented", "yes",
                  *extra)


def test_screening_is_recorded_with_rj_screen_and_meets_the_48_hours(
        casebook: CasebookUnderTest) -> None:
    """Tower Hamlets' 48-hour screening could only be met by hand-editing YAML."""
    set_profile(casebook, "tower-hamlets")
    v = casebook.victim
    assert rules_due(casebook)["screen-referral"]["due"] == "2026-04-01"
    result = ok(screen(casebook, v, "--date", "2026-03-31", "--note",
                       "Referral template sent to the police"))
    assert f"{v}: screened 31 March 2026" in plain(result.output)
    assert casebook.data(v)["screening"] == {
        "date": __import__("datetime").date(2026, 3, 31), "by": WORKER,
        "identifiable_victim": True, "vcs_involved": False, "consented": True,
        "note": "Referral template sent to the police"}
    assert "screen-referral" not in rules_due(casebook)
    explained = plain(ok(casebook.run("explain", v)).output)
    assert "met 31 March 2026: screening recorded 31 March 2026 (on time)" in explained
    timeline = plain(ok(casebook.run("timeline", v)).output)
    assert "identifiable victim: yes" in timeline
    assert ok(casebook.run("check")).exit_code == 0


def test_screening_is_refused_twice_in_the_future_and_on_a_child(
        casebook: CasebookUnderTest) -> None:
    v = casebook.victim
    later = screen(casebook, v, "--date", "2026-04-03")
    assert later.exit_code == 2 and "in the future" in plain(later.output)
    on_child = screen(casebook, casebook.child)
    assert on_child.exit_code == 2
    assert "recorded on the victim's record" in plain(on_child.output)
    bad = casebook.run("screen", v, "--identifiable", "maybe", "--vcs", "no",
                       "--consented", "yes")
    assert bad.exit_code == 2
    assert "--identifiable 'maybe' is not one of: yes, no" in plain(bad.output)
    ok(screen(casebook, v))
    before = casebook.text(v)
    again = screen(casebook, v)
    assert again.exit_code == 2
    assert f"{v} was screened already on 2 April 2026" in plain(again.output)
    assert casebook.text(v) == before


# --- national holds only YJB and Victims' Code rules; wait-til-eight is an add-on ---------------


def switch_on_wait_til_eight(cb: CasebookUnderTest) -> None:
    config = cb.root / "rj.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("policy:\n", "policy:\n  addons: [wait-til-eight]\n", 1),
                      encoding="utf-8")


WAIT_TIL_EIGHT_RULES = {"child-first-contact", "conference-feedback", "agreement-copy"}
"""Wait 'til Eight's own programme (appendix 7G, §6.7.2, appendix 7E)."""


def test_national_does_not_give_a_child_with_no_victim_the_first_contact_rule(
        casebook: CasebookUnderTest, child_factory: Any) -> None:
    """child-first-contact (15 working days, from Wait 'til Eight 7G's footnote, the adult
    Probation standard) was applied to every child, even one with no victim."""
    alone = child_factory(name="Ash Child", disposal="referral-order", sentenced="2026-03-02",
                          case_holder="Pat Holder")
    assert "child-first-contact" not in {i["rule"] for i in due(casebook) if i["case"] == alone}
    explained = plain(ok(casebook.run("explain", alone)).output)
    assert "child-first-contact" not in explained
    switch_on_wait_til_eight(casebook)
    # with the add-on, the child with a victim is contacted; the child with none is not
    assert "child-first-contact" not in {i["rule"] for i in due(casebook) if i["case"] == alone}
    item = next(i for i in due(casebook) if i["case"] == casebook.child
                and i["rule"] == "child-first-contact")
    assert item["source"].startswith("Wait 'til Eight")


def test_the_wait_til_eight_add_on_is_switched_on_per_casebook(casebook: CasebookUnderTest) -> None:
    v = casebook.victim
    casebook.write(v, casebook.text(v) + HELD_WITH_AGREEMENT)
    assert not WAIT_TIL_EIGHT_RULES & {i["rule"] for i in due(casebook)}
    switch_on_wait_til_eight(casebook)
    assert {"conference-feedback", "agreement-copy"} <= {i["rule"] for i in due(casebook)}
    explained = plain(ok(casebook.run("explain", v)).output)
    assert "policy profile national, with wait-til-eight" in explained


def test_an_add_on_is_not_a_profile_and_an_unknown_add_on_is_refused(
        casebook: CasebookUnderTest) -> None:
    config = casebook.root / "rj.yaml"
    original = config.read_text(encoding="utf-8")
    config.write_text(original.replace("policy:\n", "policy:\n  addons: [wait-til-ten]\n", 1),
                      encoding="utf-8")
    result = casebook.run("due")
    assert result.exit_code != 0
    assert "unknown policy add-on 'wait-til-ten' (known: wait-til-eight)" in plain(result.output)
    config.write_text(original.replace("policy:\n", "policy:\n  addons: [wokingham]\n", 1),
                      encoding="utf-8")
    result = casebook.run("due")
    assert result.exit_code != 0
    assert "wokingham is a profile, not an add-on" in plain(result.output)


def test_national_holds_only_rules_citing_the_yjb_or_the_victims_code_or_shared_by_every_service(
) -> None:
    from rjcli.shipped import shipped_dir
    from rjcli.storage.yamlio import read_fast

    national = read_fast(shipped_dir("policy") / "profiles" / "national.yaml")
    ids = {r["id"] for r in national["rules"]}
    assert not WAIT_TIL_EIGHT_RULES & ids
    addon = read_fast(shipped_dir("policy") / "profiles" / "wait-til-eight.yaml")
    assert addon["addon"] is True
    assert {r["id"] for r in addon["rules"]} == WAIT_TIL_EIGHT_RULES
    for rule in addon["rules"]:
        assert rule["source"].startswith("Wait 'til Eight")
