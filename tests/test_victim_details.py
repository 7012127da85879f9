"""Fields the seeds ask for (issue 19): self-defined ethnicity and monitoring (Somerset
5.2), communication needs and an interpreter (Victims' Code right 1: to understand and be
understood), the police officer in the case (Somerset 6.2: spoken to before contact).
Set with ``rj victim set``, shown by ``rj show``, never on a child's record or in a
child's export, and monitoring never in a letter."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import CasebookUnderTest, plain

SAMPLE = Path(__file__).resolve().parent.parent / "sample-casebook"
CATEGORIES = ["Asian or Asian British", "Black, Black British, Caribbean or African",
              "Mixed or multiple ethnic groups", "White", "Other ethnic group",
              "Prefers not to say"]
EVERYTHING = ("--ethnicity", "Black British (Nigerian heritage)",
              "--ethnicity-category", "Black, Black British, Caribbean or African",
              "--sex", "female", "--disability", "yes",
              "--communication-needs", "Hard of hearing: face her when speaking",
              "--language", "Yoruba", "--interpreter",
              "--officer", "PC Dana Reeve", "--officer-phone", "07700 900555",
              "--officer-email", "dana.reeve@example.org", "--officer-spoken-to", "2026-04-01",
              "--officer-note", "Impact statement sent; fine to contact her")


def _with_categories(casebook: CasebookUnderTest) -> None:
    listed = "".join(f"    - {c}\n" for c in CATEGORIES)
    with (casebook.root / "rj.yaml").open("a", encoding="utf-8") as settings:
        settings.write(f"\nmonitoring:\n  ethnicity_categories:\n{listed}")


def test_victim_set_records_every_field_and_rj_show_lists_them(
        casebook: CasebookUnderTest) -> None:
    _with_categories(casebook)
    result = casebook.run("victim", "set", casebook.victim, *EVERYTHING)
    assert result.exit_code == 0, result.output
    data = casebook.data(casebook.victim)
    assert data["ethnicity"] == "Black British (Nigerian heritage)"
    assert data["monitoring"] == {
        "ethnicity_category": "Black, Black British, Caribbean or African",
        "sex": "female", "disability": "yes"}
    assert data["communication"] == {"needs": "Hard of hearing: face her when speaking",
                                     "language": "Yoruba", "interpreter": True}
    officer = data["police_officer"]
    assert (officer["name"], officer["phone"], officer["email"], str(officer["spoken_to"]),
            officer["note"]) == ("PC Dana Reeve", "07700 900555", "dana.reeve@example.org",
                                 "2026-04-01", "Impact statement sent; fine to contact her")
    shown = plain(casebook.run("show", casebook.victim).output)
    assert "Ethnicity (self-defined): Black British (Nigerian heritage)" in shown
    assert "Monitoring: Black, Black British, Caribbean or African; sex female; " \
           "disability yes" in shown
    assert "Communication: Hard of hearing: face her when speaking; language Yoruba, " \
           "interpreter needed" in shown
    assert "Police officer in the case: PC Dana Reeve, 07700 900555, " \
           "dana.reeve@example.org; spoken to 1 April 2026" in shown
    assert casebook.run("check").exit_code == 0


def test_only_the_fields_given_change_and_comments_stay(casebook: CasebookUnderTest) -> None:
    text = casebook.text(casebook.victim).replace("\nreferral:", "\n# keep me\nreferral:", 1)
    casebook.write(casebook.victim, text)
    assert casebook.run("victim", "set", casebook.victim, "--language", "Polish",
                        "--interpreter").exit_code == 0
    assert casebook.run("victim", "set", casebook.victim, "--officer", "PC Dana Reeve"
                        ).exit_code == 0
    data = casebook.data(casebook.victim)
    assert data["communication"] == {"language": "Polish", "interpreter": True}
    assert data["police_officer"] == {"name": "PC Dana Reeve"}
    assert "# keep me" in casebook.text(casebook.victim)
    result = casebook.run("victim", "set", casebook.victim)
    assert result.exit_code == 2
    assert "nothing to set" in plain(result.output)


def test_an_ethnicity_category_must_be_one_of_the_services(casebook: CasebookUnderTest) -> None:
    before = casebook.text(casebook.victim)
    result = casebook.run("victim", "set", casebook.victim, "--ethnicity-category", "White")
    assert result.exit_code == 2
    assert "rj.yaml lists no ethnicity categories" in plain(result.output)
    assert "monitoring: ethnicity_categories" in plain(result.output)
    _with_categories(casebook)
    result = casebook.run("victim", "set", casebook.victim, "--ethnicity-category", "Whte")
    assert result.exit_code == 2
    assert "'Whte' is not one of the service's ethnicity categories" in plain(result.output)
    assert "Mixed or multiple ethnic groups" in plain(result.output)
    result = casebook.run("victim", "set", casebook.victim, "--disability", "maybe")
    assert result.exit_code == 2
    assert "yes, no, not-known, prefers-not-to-say" in plain(result.output)
    assert casebook.text(casebook.victim) == before
    assert casebook.run("victim", "set", casebook.victim, "--ethnicity-category",
                        "white").exit_code == 0  # case forgiven, the service's spelling kept
    assert casebook.data(casebook.victim)["monitoring"]["ethnicity_category"] == "White"


def test_a_court_referral_shows_the_officer_is_to_be_spoken_to_first(
        casebook: CasebookUnderTest) -> None:
    text = casebook.text(casebook.victim)
    casebook.write(casebook.victim, text.replace("referral:\n", "referral:\n  source: court\n", 1))
    shown = plain(casebook.run("show", casebook.victim).output)
    assert "speak to the police officer in the case before contacting the victim " \
           "(Somerset 6.2)" in shown
    assert casebook.run("victim", "set", casebook.victim, "--officer", "PC Dana Reeve",
                        "--officer-spoken-to", "yesterday").exit_code == 0
    shown = plain(casebook.run("show", casebook.victim).output)
    assert "Somerset 6.2" not in shown
    assert "spoken to 1 April 2026" in shown


def test_none_of_it_reaches_the_child_or_a_letter(casebook: CasebookUnderTest,
                                                  tmp_path: Path) -> None:
    _with_categories(casebook)
    child_before = casebook.text(casebook.child)
    assert casebook.run("victim", "set", casebook.victim, *EVERYTHING).exit_code == 0
    assert casebook.text(casebook.child) == child_before
    secrets = ("Nigerian", "Caribbean", "Hard of hearing", "Yoruba", "Dana Reeve", "900555")
    exported = tmp_path / "child-export"
    result = casebook.run("export", casebook.child, "--out", str(exported))
    assert result.exit_code == 0, result.output
    for path in exported.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not [s for s in secrets if s in text], path


def test_monitoring_never_appears_in_a_letter(tmp_path: Path) -> None:
    # the sample's V-0001 is ready for its initial letter (sample-casebook/victims/V-0001.yaml)
    book = tmp_path / "sample"
    shutil.copytree(SAMPLE, book, ignore=shutil.ignore_patterns(".rj", "output", "letters"))
    sample = CasebookUnderTest(root=book, child="C-0001", victim="V-0001")
    _with_categories(sample)
    options = {"today": "2026-06-15", "worker": "Jo Whitlock"}
    assert sample.run("victim", "set", "V-0001", *EVERYTHING, **options).exit_code == 0
    letter = sample.run("letter", "initial", "V-0001", "--draft", "--json", **options)
    assert letter.exit_code == 0, letter.output
    written = (book / json.loads(letter.stdout)["file"]).read_text(encoding="utf-8")
    assert "Helen Marchbank" in written or "Mrs Marchbank" in written or "Helen" in written
    shown = [s for s in ("Nigerian", "Caribbean", "isabilit", "female", "Yoruba") if s in written]
    assert shown == []


def test_the_quarterly_report_counts_the_monitoring_details_and_prints_none(
        casebook: CasebookUnderTest) -> None:
    # issue 19: monitoring fields "as counts only, the reports" (Somerset 5.2)
    import json

    _with_categories(casebook)
    assert casebook.run("victim", "set", casebook.victim, *EVERYTHING).exit_code == 0
    result = casebook.run("report", "quarterly", "--quarter", "2025-Q4", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    activity = next(s for s in report["sections"] if s["key"] == "activity")
    table = next(t for t in activity["tables"] if t["key"] == "monitoring")
    rows = {r["key"]: r["values"]["number"] for r in table["rows"]}
    assert rows["ethnicity:Black, Black British, Caribbean or African"] == 1
    assert rows["sex:female"] == 1 and rows["disability:yes"] == 1
    assert rows["ethnicity:not-recorded"] == 0
    text = casebook.run("report", "quarterly", "--quarter", "2025-Q4").output
    assert "Nigerian heritage" not in text  # the self-defined words are never printed


NEW_VICTIM = ("victim", "new", "--name", "Ada Newcase", "--consent-contact", "yes",
              "--allocated", "01/04/2026", "--worker", "Sam Worker")


def _new_victim_id(casebook: CasebookUnderTest, before: set[str]) -> str:
    made = {p.stem for p in (casebook.root / "victims").glob("*.yaml")} - before
    assert len(made) == 1, made
    return made.pop()


def test_victim_new_records_the_same_fields_as_victim_set(casebook: CasebookUnderTest) -> None:
    # issue 19: the fields "in the schema, rj victim new, the import, rj show"
    _with_categories(casebook)
    before = {p.stem for p in (casebook.root / "victims").glob("*.yaml")}
    child_before = casebook.text(casebook.child)
    result = casebook.run(*NEW_VICTIM, "--child", casebook.child, *EVERYTHING)
    assert result.exit_code == 0, result.output
    new = _new_victim_id(casebook, before)
    data = casebook.data(new)
    assert data["ethnicity"] == "Black British (Nigerian heritage)"
    assert data["monitoring"] == {
        "ethnicity_category": "Black, Black British, Caribbean or African",
        "sex": "female", "disability": "yes"}
    assert data["communication"] == {"needs": "Hard of hearing: face her when speaking",
                                     "language": "Yoruba", "interpreter": True}
    assert data["police_officer"]["name"] == "PC Dana Reeve"
    assert str(data["police_officer"]["spoken_to"]) == "2026-04-01"
    shown = plain(casebook.run("show", new).output)
    assert "Communication: Hard of hearing: face her when speaking; language Yoruba, " \
           "interpreter needed" in shown
    assert "Police officer in the case: PC Dana Reeve" in shown
    linked = casebook.text(casebook.child)
    assert new in linked and linked != child_before
    assert not [s for s in ("Nigerian", "Yoruba", "Dana Reeve", "900555", "Hard of hearing")
                if s in linked]
    assert casebook.run("check").exit_code == 0


def test_victim_new_refuses_a_bad_detail_and_writes_nothing(casebook: CasebookUnderTest) -> None:
    _with_categories(casebook)
    before = {p.stem for p in (casebook.root / "victims").glob("*.yaml")}
    child_before = casebook.text(casebook.child)
    result = casebook.run(*NEW_VICTIM, "--child", casebook.child,
                          "--ethnicity-category", "Whte", "--disability", "maybe",
                          "--officer-spoken-to", "2027-01-01")
    assert result.exit_code == 2, result.output
    said = plain(result.output)
    assert "'Whte' is not one of the service's ethnicity categories" in said
    assert "yes, no, not-known, prefers-not-to-say" in said
    assert "--officer-spoken-to 2027-01-01 is after today" in said
    assert {p.stem for p in (casebook.root / "victims").glob("*.yaml")} == before
    assert casebook.text(casebook.child) == child_before


def test_a_control_character_in_a_detail_is_refused_not_stored(
        casebook: CasebookUnderTest) -> None:
    # an escape sequence kept in the record would act later on a terminal or in a report
    before = casebook.text(casebook.victim)
    for option in ("--ethnicity", "--communication-needs", "--officer-note"):
        result = casebook.run("victim", "set", casebook.victim, option, "\x1b[31mred")
        assert result.exit_code == 2, (option, result.output)
        assert f"{option} holds a control character or line break (U+001B)" in \
            plain(result.output)
    assert casebook.text(casebook.victim) == before
    text = before.replace("\nreferral:", '\nethnicity: "White\\e[2J"\nreferral:', 1)
    casebook.write(casebook.victim, text)
    checked = casebook.run("check")
    assert checked.exit_code == 1 and "ethnicity" in plain(checked.output)
