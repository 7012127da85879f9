"""Answers given are kept (issue 16): rj feedback resumes after Ctrl-C, and the risk
summary does not ask again for reasons already given."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.conftest import CasebookUnderTest, plain
from tests.test_risk import answers_yaml, safe_answers


def test_the_summary_does_not_ask_again_for_the_reasons_given(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    # one risk answer: the tool suggests MEDIUM; the worker rates LOW and says why
    answers = tmp_path / "answers.yaml"
    answers.write_text(answers_yaml(
        safe_answers(targeting={"answer": "yes", "note": "Separate arrival times agreed"}),
        rating="LOW", rating_reasons="They only know each other by sight; no threat made"))
    result = casebook.run("risk", "run", casebook.victim, "--checklist", "conference",
                          "--answers", str(answers))
    assert result.exit_code == 0, result.output
    out = plain(result.output)
    assert "The tool suggests MEDIUM but the rating given is LOW" in out
    assert "record the reasons for the rating" not in out
    assert "They only know each other by sight; no threat made" in out
    saved = casebook.data(casebook.victim)["assessments"][-1]
    assert yaml.safe_dump(saved["rating_reasons"]).startswith("They only know")


def test_purge_deletes_the_victims_kept_feedback_answers(casebook: CasebookUnderTest) -> None:
    from tests.test_retention import AFTER, close

    v = casebook.victim
    kept = casebook.root / ".rj" / "feedback" / f"{v}-contact.yaml"
    kept.parent.mkdir(parents=True)
    kept.write_text("kind: contact\nasked: 2\nanswers: {satisfaction: satisfied}\n"
                    "notes: {}\n", encoding="utf-8")
    close(casebook, v)
    result = casebook.run("purge", v, "--confirm", "--json", today=AFTER)
    assert result.exit_code == 0, result.output
    assert f".rj/feedback/{v}-contact.yaml" in json.loads(result.stdout)["deleted"]
    assert not kept.exists()
