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
