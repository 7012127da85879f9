"""Every report from the index reads only what its period needs, and gives exactly the
report (output and exit code) of reading every file (``--no-cache``), also after records
are edited by hand and after a change of settings (staff, closures, policy)."""

from __future__ import annotations

import re
import shutil

import pytest
from test_check_index import run  # (exit code, output) of one command, with or without the index
from test_index_settings import edit_config

HALF = "2025-H2"
REPORTS = (("report", "six-monthly", "--half", HALF, "--format", "json", "--explain"),
           ("report", "six-monthly", "--half", "2024-H1", "--format", "json", "--explain"),
           ("report", "six-monthly", "--format", "md"),
           ("report", "caseload", "--format", "json", "--explain"),
           ("report", "quarterly", "--quarter", "2025-Q3", "--format", "json", "--explain"),
           ("report", "code", "--quarter", "2025-Q3", "--format", "json", "--explain"),
           ("report", "annual", "--year", "2025", "--format", "md"))


def same_reports(root):
    for args in REPORTS:
        assert run(root, *args) == run(root, *args, cache=False), args


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    from conftest import generated_casebook

    return generated_casebook(tmp_path_factory, seed=11)


@pytest.fixture
def book(generated, tmp_path):
    root = tmp_path / "casebook"
    shutil.copytree(generated, root)
    return root


FEEDBACK = ("  - id: {id}\n    date: {date}\n    kind: after-contact\n"
            "    satisfaction: satisfied\n")


def add_feedback(path, entry_id, day):
    text = path.read_text()
    entry = FEEDBACK.format(id=entry_id, date=day)
    if "\nfeedback:\n" in text:
        text = text.replace("\nfeedback:\n", "\nfeedback:\n" + entry, 1)
    else:
        text += "feedback:\n" + entry
    path.write_text(text)


def test_reports_from_the_index_equal_the_files_after_hand_edits(book):
    victims = sorted((book / "victims").glob("*.yaml"))
    same_reports(book)
    add_feedback(victims[0], "FB-IN-HALF", "2025-11-03")  # in the half
    add_feedback(victims[1], "FB-QUOTED", '" 2025-12-01"')  # a date as text, with a space
    add_feedback(victims[2], "FB-BEFORE", "2019-01-01")  # in no half reported
    victims[3].write_text(victims[3].read_text().replace("\nname: ", "\nname: [broken\n", 1))
    victims[4].unlink()
    same_reports(book)


SETTINGS = {
    "a colleague added": lambda root: run(root, "staff", "add", "Abel Newcomer", "--role",
                                          "rj-worker"),
    "closure days": lambda root: edit_config(
        root, "  region: england\n",
        "  region: england\n  closures: [2025-10-06, 2025-10-07, 2025-12-29]\n"),
    "a rule changed": lambda root: edit_config(
        root, "  profile: wokingham\n",
        "  profile: wokingham\n  rules:\n    first-contact: {offset: 3}\n"),
}


@pytest.mark.parametrize("change", sorted(SETTINGS))
def test_reports_from_the_index_equal_the_files_after_a_settings_change(book, change):
    same_reports(book)
    SETTINGS[change](book)
    same_reports(book)


OPTIONS = ("conference", "shuttle-mediation", "letter-of-explanation", "direct-reparation",
           "indirect-reparation", "panel-attendance", "impact-statement")


def judged_not_appropriate(book, reason):
    """Give the first victim allocated in a quarter a new option judged not appropriate for
    ``reason``; return the quarter (2025-Q1 style)."""
    for path in sorted((book / "victims").glob("*.yaml")):
        text = path.read_text()
        day = re.search(r"^  allocated: (\d{4})-(\d\d)-\d\d$", text, re.M)
        option = next((o for o in OPTIONS if f"option: {o}\n" not in text), None)
        if day and option:
            entry = (f"  - id: OFFER-TEST\n    option: {option}\n    status: not-appropriate\n"
                     f"    date: {day.group(1)}-{day.group(2)}-28\n    reason: {reason}\n")
            if "\noffers:\n" in text:
                text = text.replace("\noffers:\n", "\noffers:\n" + entry, 1)
            else:
                text += "offers:\n" + entry
            path.write_text(text)
            year, month = int(day.group(1)), int(day.group(2))
            return path, f"{year - (month < 4)}-Q{(month - 4) % 12 // 3 + 1}"
    raise AssertionError("no victim allocated")


def test_a_reason_kept_out_of_a_report_follows_a_victim_renamed(book, monkeypatch):
    """Whether a reason names someone is kept in the index between runs, for the
    identifiers it was judged against: a victim renamed to words of the reason withholds
    it at once."""
    import rjcli.core.identifiers as identifiers

    path, quarter = judged_not_appropriate(book, "Moved away with Pennywhistle Quarrington")
    report = ("report", "quarterly", "--quarter", quarter, "--format", "json")
    code, out = run(book, *report)
    assert "Moved away with Pennywhistle Quarrington" in out
    assert (code, out) == run(book, *report, cache=False)

    def refuse(*args, **kwargs):
        raise AssertionError("the matcher was built again")

    with monkeypatch.context() as patched:
        patched.setattr(identifiers, "matcher_of", refuse)
        assert run(book, *report) == (code, out)  # judged once, kept
    other = next(p for p in sorted((book / "victims").glob("*.yaml")) if p != path)
    text = other.read_text()
    name = re.search(r"^name: (.+)$", text, re.M).group(1)
    other.write_text(text.replace(f"name: {name}\n", "name: Pennywhistle Quarrington\n", 1))
    code, out = run(book, *report)
    assert "Pennywhistle" not in out and "it names a person" in out
    assert (code, out) == run(book, *report, cache=False)


def test_the_six_monthly_builds_only_the_victims_with_feedback_in_its_half(book, monkeypatch):
    import rjcli.core.model as model

    def dated_in_half(path):
        days = re.findall(r"^feedback:\n((?:  .*\n)*)", path.read_text(), re.M)
        days += re.findall(r"^complaints:\n((?:  .*\n)*)", path.read_text(), re.M)
        return any("2025-10-01" <= d <= "2026-03-31"
                   for block in days for d in re.findall(r"date: (\d{4}-\d\d-\d\d)", block))

    wanted = {p.stem for p in (book / "victims").glob("*.yaml") if dated_in_half(p)}
    with_any = {p.stem for p in (book / "victims").glob("*.yaml")
                if re.search(r"^(feedback|complaints):", p.read_text(), re.M)}
    assert wanted and wanted < with_any  # the half is a part of all feedback
    run(book, "due")  # the index made
    built = []
    victim_from_dict = model.victim_from_dict

    def counting(data):
        built.append(data["id"])
        return victim_from_dict(data)

    monkeypatch.setattr(model, "victim_from_dict", counting)
    code, out = run(book, *REPORTS[0])
    assert code == 0
    assert set(built) == wanted


@pytest.mark.parametrize("offset", [120, 1])
def test_rule_instances_a_rule_change_moves_into_a_quarter_are_counted(book, offset):
    """A report from the index finds the rule instances due in its period through each
    record's first and last due day: a change that moves them is seen at once."""
    reports = [("report", name, "--quarter", "2025-Q3", "--format", "json", "--explain")
               for name in ("quarterly", "code")]
    for report in reports:
        run(book, *report)
    edit_config(book, "  profile: wokingham\n",
                f"  profile: wokingham\n  rules:\n    first-contact: {{offset: {offset}}}\n")
    for report in reports:
        assert run(book, *report) == run(book, *report, cache=False), report


def links_by_scan(root):
    """(record id, kind) -> the ids its file names as links, read from every file."""
    import yaml

    found = {}
    for kind, folder, key, field in (("victim", "victims", "children", "child"),
                                     ("child", "children", "victims", "ref")):
        for path in (root / folder).glob("*.yaml"):
            data = yaml.safe_load(path.read_text())
            found[(path.stem, kind)] = {str(e[field]) for e in data.get(key) or []}
    return found


def linked_by_scan(root, ids, kind):
    links = links_by_scan(root)
    named = {t for (rid, _), targets in links.items() if rid in ids for t in targets}
    return ({rid for (rid, k), targets in links.items() if k == kind and targets & ids}
            | {rid for (rid, k) in links if k == kind and rid in named})


def test_the_links_a_report_follows_are_the_files_links_after_every_change(book):
    """Reports find each victim's children and each child's victims through the index's
    links table, which its triggers keep in step with every row: written through by rj,
    edited by hand, deleted or renamed, it gives what the files say."""
    from datetime import date

    from rjcli.storage.casebook import Casebook
    from rjcli.storage.index import open_index

    def linked(ids, kind):
        index = open_index(Casebook(book), date(2026, 6, 15))
        try:
            return index.linked(ids, kind)
        finally:
            index.close()

    children = sorted(p.stem for p in (book / "children").glob("*.yaml"))
    victims = sorted(p.stem for p in (book / "victims").glob("*.yaml"))
    probes = [(set(children[:3]), "victim"), (set(victims[:5]), "child"),
              (set(victims[5:9]), "victim"), (set(children[3:6]), "child")]

    def same():
        for ids, kind in probes:
            assert linked(ids, kind) == linked_by_scan(book, ids, kind), (ids, kind)

    same()
    # written through: a new victim of the first child (both files change)
    code, _ = run(book, "victim", "new", "--name", "Lin Newlink", "--consent-contact", "yes",
                  "--offence", "theft", "--stage", "pre-court", "--child", children[0])
    assert code == 0
    assert any(k == "victim" and children[0] in t for (_, k), t in links_by_scan(book).items())
    same()
    # by hand: a victim's link to its child taken out, a child's victim list emptied
    first = book / "victims" / f"{victims[0]}.yaml"
    first.write_text(re.sub(r"(?m)^children:\n(?:[ -].*\n)*", "children: []\n",
                            first.read_text()))
    child = book / "children" / f"{children[4]}.yaml"
    child.write_text(re.sub(r"(?m)^victims:\n(?:[ -].*\n)*", "victims: []\n", child.read_text()))
    links = links_by_scan(book)
    assert links[(victims[0], "victim")] == set() == links[(children[4], "child")]
    same()
    # deleted, and a file moved out of the casebook
    (book / "children" / f"{children[1]}.yaml").unlink()
    (book / "victims" / f"{victims[6]}.yaml").rename(book / f"{victims[6]}.yaml")
    same()


def test_a_report_pauses_the_cycle_collector_only_while_it_runs(book):
    """Reports run with Python's cycle collector paused (they build thousands of plain
    records): it is running again once the report ends, and after one that failed."""
    import gc

    assert gc.isenabled()
    seen = []
    import rjcli.cli.report as report_module

    emit = report_module.emit

    def watching(*args, **kwargs):
        seen.append(gc.isenabled())
        return emit(*args, **kwargs)

    report_module.emit = watching
    try:
        assert run(book, "report", "quarterly", "--quarter", "2025-Q3")[0] == 0
    finally:
        report_module.emit = emit
    assert seen == [False] and gc.isenabled()
    assert run(book, "report", "quarterly", "--quarter", "2025-Q9")[0] == 2
    assert gc.isenabled()
