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
    assert (item["case"], item["due"], item["worker"]) == (victim, "2026-04-08", WORKER)  # Easter: 3 and 6 April
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
