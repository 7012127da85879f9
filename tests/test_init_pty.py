"""rj init at a real terminal asks for the service's details (driven with pexpect), so a new
user never opens rj.yaml in an editor; in a script it asks nothing."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from conftest import CasebookUnderTest, TODAY, as_at_a_terminal
from test_risk_pty import reading

from rjcli.storage import yamlio

RJ = Path(sys.executable).with_name("rj")

pytestmark = pytest.mark.skipif(not RJ.exists(), reason="the rj script is not installed")


def test_rj_init_asks_for_the_service_at_a_terminal(tmp_path: Path) -> None:
    import pexpect

    env = {k: v for k, v in os.environ.items() if not k.startswith("RJ_")}
    env |= {"TERM": "dumb", "NO_COLOR": "1", "COLUMNS": "200", "LINES": "50"}
    book = tmp_path / "book"
    child = pexpect.spawn(str(RJ), ["init", str(book), "--no-autocommit"], env=env,
                          encoding="utf-8", timeout=60, dimensions=(50, 200),
        preexec_fn=as_at_a_terminal)
    answers = [
        ("service's name", ""),  # refused: asked again
        ("A name is needed", None),
        ("service's name", "Exampletown Youth Justice Service"),
        ("Address line 1", "Civic Offices"),
        ("Address line 2", "Exampletown"),
        ("Address line 3", ""),
        ("Postcode", "XE1 1AA"),
        ("Phone", "call us"),  # refused: asked again
        ("not a phone number", None),
        ("Phone", "01632 960000"),
        ("E-mail", ""),
        ("How to complain", "Write to: the Service Manager"),
        ("Sign-off", ""),
    ]
    for prompt, answer in answers:
        child.expect_exact(prompt)
        if answer is not None:
            reading(child).sendline(answer)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    service = yamlio.parse_text((book / "rj.yaml").read_text(encoding="utf-8"))["service"]
    assert service["name"] == "Exampletown Youth Justice Service"
    assert service["address"] == {"lines": ["Civic Offices", "Exampletown"],
                                  "postcode": "XE1 1AA"}
    assert (service["phone"], service["complaints"]) == ("01632 960000",
                                                         "Write to: the Service Manager")
    assert "email" not in service and "sign_off" not in service


def test_victim_new_at_a_terminal_asks_for_everything_and_again_when_empty(
        casebook: CasebookUnderTest) -> None:
    import pexpect

    env = {k: v for k, v in os.environ.items() if not k.startswith("RJ_")}
    env |= {"TERM": "dumb", "NO_COLOR": "1", "COLUMNS": "200", "LINES": "50"}
    child = pexpect.spawn(str(RJ), ["--casebook", str(casebook.root), "--today", TODAY,
                                    "--worker", "Sam Worker", "victim", "new"], env=env,
                          encoding="utf-8", timeout=60, dimensions=(50, 200),
        preexec_fn=as_at_a_terminal)
    answers = [
        ("Name", ""),  # asked again, nothing lost
        ("Name is needed.", None),
        ("Name", "Lee Example"),
        ("Child's record id (C-...)", "C-ZZZZZZ"),
        ("no child record C-ZZZZZZ", None),
        ("Child's record id (C-...)", casebook.child),
        ("Consented to contact (yes/no)", "maybe"),
        ("is not one of: yes, no", None),
        ("Consented to contact (yes/no)", "yes"),
        ("Phone (Enter to skip)", "07700 900123"),
        ("E-mail (Enter to skip)", ""),
        ("Address line 1", "1 Example Road"),
        ("Address line 2 (Enter when done)", "Exampletown"),
        ("Address line 3 (Enter when done)", ""),
        ("Postcode", "XE1 2BB"),
        ("Date of birth", ""),
        ("Stage (pre-court, pre-sentence, post-sentence)", "sentenced"),
        ("stage 'sentenced' is not one of", None),
        ("Stage", "post-sentence"),
        ("Referral source (police, court, other-yjs, case-holder, self)", "police"),
        ("The offence, in plain words", "criminal damage"),
    ]
    seen = []
    for prompt, answer in answers:
        child.expect_exact(prompt)
        seen.append(child.before + prompt)
        if answer is not None:
            reading(child).sendline(answer)
    child.expect_exact("Opened V-")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert not any("()" in text for text in seen), seen  # no empty brackets
    (path,) = [p for p in (casebook.root / "victims").glob("V-*.yaml")
               if "Lee Example" in p.read_text(encoding="utf-8")]
    record = yamlio.parse_text(path.read_text(encoding="utf-8"))
    assert record["phones"] == ["07700 900123"]
    assert record["address"] == {"lines": ["1 Example Road", "Exampletown"],
                                 "postcode": "XE1 2BB"}
    assert (record["referral"]["stage"], record["referral"]["source"]) == ("post-sentence",
                                                                            "police")
