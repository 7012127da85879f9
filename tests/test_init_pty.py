"""rj init at a real terminal asks for the service's details (driven with pexpect), so a new
user never opens rj.yaml in an editor; in a script it asks nothing."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
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
                          encoding="utf-8", timeout=60, dimensions=(50, 200))
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
