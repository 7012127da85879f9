"""A consent form received satisfies the written-consent gate (issue 19; YJB §24 asks for
informed written consent): ``rj consent ... --written`` and ``--document FILE or DOC-ID``."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import CasebookUnderTest, plain
from tests.test_safety_gates import assessed, consents, ok, plan, with_manager

VICTIMS_GAP = "the victim's written consent to take part"


def _form(tmp_path: Path) -> Path:
    form = tmp_path / "signed-consent.pdf"
    form.write_bytes(b"%PDF-1.4\n% signed consent to a conference, invented\n%%EOF\n")
    return form


def test_a_consent_form_attached_with_the_consent_satisfies_the_gate(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    with_manager(casebook)
    consents(casebook, source="phone call")  # spoken consent first: not in writing
    assessed(casebook, tmp_path)
    assert "recorded from 'phone call', not in writing" in plain(plan(casebook).output)

    result = ok(casebook.run("consent", casebook.victim, "rj-participation", "yes",
                             "--document", str(_form(tmp_path))))
    out = plain(result.output)
    assert "in writing" in out and "signed-consent.pdf" in out
    data = casebook.data(casebook.victim)
    [document] = data["documents"]
    assert document["kind"] == "consent-form"
    consent = data["consents"][-1]
    assert (consent["written"], consent["document"]) == (True, document["id"])
    assert (casebook.root / "documents" / casebook.victim / document["file"]).is_file()
    assert VICTIMS_GAP not in plain(plan(casebook).output)
    assert "rj participation: yes in writing (2 April 2026)" in \
        plain(casebook.run("show", casebook.victim).output)


def test_the_gate_says_how_to_record_written_consent(casebook: CasebookUnderTest) -> None:
    with_manager(casebook)
    consents(casebook, source="phone call")
    message = plain(plan(casebook).output)
    assert f"rj consent {casebook.victim} rj-participation yes --document FORM" in message
    assert f"rj consent {casebook.child} rj-participation yes --written" in message


def test_a_consent_form_attached_before_is_named_by_its_id(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    with_manager(casebook)
    consents(casebook, source="phone call")
    assessed(casebook, tmp_path)
    ok(casebook.run("attach", casebook.victim, str(_form(tmp_path)), "--kind", "consent-form"))
    [document] = casebook.data(casebook.victim)["documents"]
    ok(casebook.run("consent", casebook.victim, "rj-participation", "yes",
                    "--document", document["id"]))
    assert casebook.data(casebook.victim)["consents"][-1]["document"] == document["id"]
    assert len(casebook.data(casebook.victim)["documents"]) == 1  # not kept twice
    assert VICTIMS_GAP not in plain(plan(casebook).output)


def test_written_consent_held_elsewhere_satisfies_the_gate_for_the_child(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    with_manager(casebook)
    consents(casebook, source="phone call")
    assessed(casebook, tmp_path)
    assert "the child's written consent to take part" in plain(plan(casebook).output)
    for kind in ("rj-participation", "parent-permission"):
        ok(casebook.run("consent", casebook.child, kind, "yes", "--written"))
    assert casebook.data(casebook.child)["consents"][-1]["written"] is True
    message = plain(plan(casebook).output)
    assert "the child's written consent to take part" not in message
    assert "written permission for the child" not in message


def test_a_document_that_is_not_a_consent_form_or_on_a_childs_record_is_refused(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    letter = tmp_path / "letter.txt"
    letter.write_text("A letter from the victim, invented.\n", encoding="utf-8")
    ok(casebook.run("attach", casebook.victim, str(letter), "--kind", "letter-received"))
    [document] = casebook.data(casebook.victim)["documents"]
    before = casebook.text(casebook.victim)
    result = casebook.run("consent", casebook.victim, "rj-participation", "yes",
                          "--document", document["id"])
    assert result.exit_code == 2
    assert "is a letter-received, not a consent-form" in plain(result.output)
    result = casebook.run("consent", casebook.victim, "rj-participation", "yes",
                          "--document", "01ZZZZZZZZZZZZZZZZZZZZZZZZ")
    assert result.exit_code == 2
    assert "no document 01ZZZZZZZZZZZZZZZZZZZZZZZZ on" in plain(result.output)
    assert casebook.text(casebook.victim) == before

    child_before = casebook.text(casebook.child)
    result = casebook.run("consent", casebook.child, "rj-participation", "yes",
                          "--document", str(_form(tmp_path)))
    assert result.exit_code == 2
    assert "a child's record keeps no documents" in plain(result.output)
    assert casebook.text(casebook.child) == child_before
    assert not (casebook.root / "documents" / casebook.child).exists()
