"""Three-way merge of records (core/merge.py), and applying it onto our YAML text
(storage/mergefile.py): inline YAML beside each assertion."""

from __future__ import annotations

from textwrap import dedent

from rjcli.core.merge import MISSING, EntryRef, describe, merge, show_value
from rjcli.storage import yamlio
from rjcli.storage.mergefile import merge_texts

A = "01M80Z0MA1PS74D4XE6MN21AAA"
B = "01M80Z0MA1PS74D4XE6MN21BBB"
C = "01M80Z0MA1PS74D4XE6MN21CCC"


def y(text: str):
    return yamlio.parse_text(dedent(text))


def entries(*lines: str) -> str:
    """Entry lines for a top-level log, at its indentation."""
    return "".join(f"  {line}\n" for line in dedent("\n".join(lines)).splitlines())


BASE = dedent("""\
    id: V-0001
    name: Ann Example
    phones: [07700 900001]
    contacts:
      - {id: %s, at: 2026-04-01 10:00, method: phone, outcome: spoke}
""") % A


def test_entries_added_on_both_sides_are_joined_in_date_order():
    ours = y(BASE + f"  - {{id: {B}, at: 2026-04-02 11:00, method: phone, outcome: no-answer}}\n")
    theirs = y(BASE + f"  - {{id: {C}, at: 2026-04-02 09:30, method: text, outcome: sent}}\n")
    result = merge(y(BASE), ours, theirs)
    assert result.clean
    assert [c["id"] for c in result.merged["contacts"]] == [A, C, B]


def test_same_moment_orders_by_id_whichever_side_merges():
    ours = y(BASE + f"  - {{id: {C}, at: 2026-04-02 09:30, method: phone, outcome: spoke}}\n")
    theirs = y(BASE + f"  - {{id: {B}, at: 2026-04-02 09:30, method: text, outcome: sent}}\n")
    one = merge(y(BASE), ours, theirs).merged["contacts"]
    other = merge(y(BASE), theirs, ours).merged["contacts"]
    assert [c["id"] for c in one] == [c["id"] for c in other] == [A, B, C]


def test_field_changed_on_one_side_takes_that_side():
    ours = y(BASE.replace("Ann Example", "Ann Example-Smith"))
    theirs = y(BASE.replace("07700 900001", "07700 900002"))
    result = merge(y(BASE), ours, theirs)
    assert result.clean
    assert result.merged["name"] == "Ann Example-Smith"
    assert result.merged["phones"] == ["07700 900002"]


def test_field_changed_differently_on_both_sides_is_a_conflict_keeping_ours():
    ours = y(BASE.replace("07700 900001", "07700 900002"))
    theirs = y(BASE.replace("07700 900001", "07700 900003"))
    result = merge(y(BASE), ours, theirs)
    assert [(c.path, c.base, c.ours, c.theirs) for c in result.conflicts] == [
        (("phones",), ["07700 900001"], ["07700 900002"], ["07700 900003"])]
    assert result.merged["phones"] == ["07700 900002"]
    assert describe(result.conflicts[0]) == "the phone number"


def test_same_change_on_both_sides_is_no_conflict():
    changed = y(BASE.replace("07700 900001", "07700 900002"))
    assert merge(y(BASE), changed, changed).clean


def test_one_entry_edited_on_each_side_in_different_fields_merges():
    ours = y(BASE.replace("outcome: spoke", "outcome: spoke, note: rang back"))
    theirs = y(BASE.replace("method: phone", "method: video"))
    result = merge(y(BASE), ours, theirs)
    assert result.clean
    assert result.merged["contacts"] == [{"id": A, "at": "2026-04-01 10:00", "method": "video",
                                          "outcome": "spoke", "note": "rang back"}]


def test_one_entry_field_edited_differently_names_the_entry():
    ours = y(BASE.replace("outcome: spoke", "outcome: no-answer"))
    theirs = y(BASE.replace("outcome: spoke", "outcome: left-message"))
    (conflict,) = merge(y(BASE), ours, theirs).conflicts
    assert conflict.path == ("contacts", EntryRef(A, "id", "2026-04-01 10:00"), "outcome")
    assert describe(conflict) == "the outcome of the contact of 2026-04-01 10:00"
    assert conflict.where() == f"contacts[id={A}].outcome"


def without_contacts(text: str) -> str:
    return text[: text.index("contacts:")] + "contacts: []\n"


def test_entry_removed_on_one_side_and_untouched_on_the_other_is_removed():
    emptied = y(without_contacts(BASE))
    added = y(BASE.replace("Ann Example", "Ann Other"))
    result = merge(y(BASE), emptied, added)
    assert result.clean
    assert result.merged["contacts"] == []
    assert result.merged["name"] == "Ann Other"


def test_entry_removed_on_one_side_and_changed_on_the_other_is_a_conflict():
    emptied = y(without_contacts(BASE))
    changed = y(BASE.replace("outcome: spoke", "outcome: kept"))
    (conflict,) = merge(y(BASE), emptied, changed).conflicts
    assert conflict.ours is MISSING and conflict.theirs["outcome"] == "kept"
    assert show_value(conflict.ours) == "(removed)"


def test_nested_agreement_items_are_merged_by_id():
    base = """\
        id: V-0001
        conferences:
          - id: %s
            date: 2026-04-01
            agreement:
              - {id: %s, n: 1, action: letter of apology, status: open}
    """ % (A, B)
    ours = y(base.replace("status: open", "status: done"))
    theirs = y(base + f"          - {{id: {C}, n: 2, action: garden work, status: open}}\n")
    result = merge(y(base), ours, theirs)
    assert result.clean
    items = result.merged["conferences"][0]["agreement"]
    assert [(i["id"], i["status"]) for i in items] == [(B, "done"), (C, "open")]


def test_every_log_key_is_merged_by_id_even_entries_without_dates():
    base = y("id: C-0001\nreparation: []\n")
    ours = y(f"id: C-0001\nreparation: [{{id: {A}, hours: 2}}]\n")
    theirs = y(f"id: C-0001\nreparation: [{{id: {B}, hours: 3}}]\n")
    result = merge(base, ours, theirs)
    assert [e["id"] for e in result.merged["reparation"]] == [A, B]


def test_staff_added_by_two_admins_are_both_kept():
    sam = "  - {name: Sam Worker, role: rj-worker}\n"
    base = y("staff:\n" + sam)
    ours = y("staff:\n" + sam + "  - {name: Pat Holder, role: case-holder}\n")
    theirs = y("staff:\n" + sam.replace("rj-worker", "manager")
               + "  - {name: Lee Admin, role: admin}\n")
    result = merge(base, ours, theirs)
    assert result.clean
    assert result.merged["staff"] == [{"name": "Sam Worker", "role": "manager"},
                                      {"name": "Pat Holder", "role": "case-holder"},
                                      {"name": "Lee Admin", "role": "admin"}]


def test_field_added_on_one_side_goes_after_the_field_it_follows_there():
    theirs = y(BASE.replace("phones: [07700 900001]\n",
                            "phones: [07700 900001]\nemail: ann@example.org\n"))
    merged = merge(y(BASE), y(BASE), theirs).merged
    assert list(merged) == ["id", "name", "phones", "email", "contacts"]


def test_field_added_on_both_sides_differently_is_a_conflict():
    ours = y(BASE + "email: a@example.org\n")
    theirs = y(BASE + "email: b@example.org\n")
    (conflict,) = merge(y(BASE), ours, theirs).conflicts
    assert (conflict.base, conflict.ours, conflict.theirs) == (MISSING, "a@example.org",
                                                                "b@example.org")


def test_a_record_created_on_both_sides_merges_against_nothing():
    one = y("id: V-0001\nname: Ann\ncontacts: [{id: %s, at: 2026-04-01 10:00}]\n" % A)
    two = y("id: V-0001\nname: Ann\ncontacts: [{id: %s, at: 2026-04-01 09:00}]\n" % B)
    result = merge(None, one, two)
    assert result.clean
    assert [c["id"] for c in result.merged["contacts"]] == [B, A]


def test_true_and_one_are_different_values():
    result = merge(y("flag: 1\n"), y("flag: true\n"), y("flag: 2\n"))
    assert len(result.conflicts) == 1


# --- onto our text: comments and formatting survive ----------------------------------


OURS_TEXT = dedent("""\
    # Ann's record: keep the phone list short
    id: V-0001
    name: Ann Example    # as on the police form
    phones:
      - 07700 900001
    contacts:
      - id: %s
        at: 2026-04-01 10:00
        method: phone
        outcome: spoke
""") % A


def test_applied_merge_keeps_our_comments_and_their_entry_formatting():
    base = OURS_TEXT
    ours = OURS_TEXT + entries(f"- id: {B}", "  at: 2026-04-02 11:00", "  method: phone",
                               "  outcome: no-answer")
    theirs = OURS_TEXT.replace("07700 900001", "07700 900002") + entries(
        f"- id: {C}", "  at: 2026-04-02 09:30", "  method: letter", "  outcome: sent",
        "  note: |", "    first line", "    second line")
    result = merge_texts(base, ours, theirs)
    assert result.clean
    assert result.text.startswith("# Ann's record: keep the phone list short\n")
    assert "name: Ann Example    # as on the police form\n" in result.text
    assert "    note: |\n      first line\n      second line\n" in result.text
    data = yamlio.parse_text(result.text)
    assert data["phones"] == ["07700 900002"]
    assert [c["id"] for c in data["contacts"]] == [A, C, B]


def test_unchanged_on_one_side_gives_the_other_side_byte_for_byte():
    theirs = OURS_TEXT.replace("outcome: spoke", "outcome: spoke  # confirmed")
    assert merge_texts(OURS_TEXT, OURS_TEXT, theirs).text == theirs


def test_conflict_is_marked_around_the_field_only():
    ours = OURS_TEXT.replace("07700 900001", "07700 900002")
    theirs = OURS_TEXT.replace("07700 900001", "07700 900003").replace(
        "outcome: spoke", "outcome: spoke\n    note: fine")
    result = merge_texts(OURS_TEXT, ours, theirs)
    assert not result.clean
    assert dedent("""\
        <<<<<<< ours
        phones:
          - 07700 900002
        =======
        phones:
          - 07700 900003
        >>>>>>> theirs
    """) in result.text
    assert "    note: fine\n" in result.text  # everything else merged


def test_prefer_settles_conflicts_for_one_side():
    ours = OURS_TEXT.replace("07700 900001", "07700 900002")
    theirs = OURS_TEXT.replace("07700 900001", "07700 900003")
    mine = yamlio.parse_text(merge_texts(OURS_TEXT, ours, theirs, prefer="ours").text)
    other = yamlio.parse_text(merge_texts(OURS_TEXT, ours, theirs, prefer="theirs").text)
    assert (mine["phones"], other["phones"]) == (["07700 900002"], ["07700 900003"])


def test_unreadable_version_conflicts_as_a_whole_file():
    theirs = OURS_TEXT.replace("outcome: spoke", "outcome: kept")
    result = merge_texts(OURS_TEXT, OURS_TEXT + "name: [broken\n", theirs)
    assert result.unreadable is not None
    assert result.text.startswith("<<<<<<< ours\n") and result.text.endswith(">>>>>>> theirs\n")


# --- issue 15: the merge driver's edges ------------------------------------------------


def test_a_comment_stays_when_the_other_side_deletes_the_entry_it_follows():
    base = dedent(f"""\
        id: V-0001
        phones: [07700 900001]
        contacts:
          - id: {A}
            at: 2026-04-01 10:00
            method: phone
          # the police passed on the next call
          - id: {B}
            at: 2026-04-02 10:00
            method: phone
    """)
    ours = base.replace("07700 900001", "07700 900002")
    theirs = base[: base.index("  - id: " + A)] + base[base.index("  - id: " + B):]
    result = merge_texts(base, ours, theirs)
    assert result.clean
    assert "# the police passed on the next call\n" in result.text
    data = yamlio.parse_text(result.text)
    assert [c["id"] for c in data["contacts"]] == [B]
    assert data["phones"] == ["07700 900002"]


def test_an_entry_without_an_id_edited_on_both_sides_is_a_conflict_not_two_entries():
    base = "id: C-0001\nreparation:\n  - {hours: 2, note: garden}\n"
    ours = base.replace("hours: 2", "hours: 3")
    theirs = base.replace("note: garden", "note: garden and fence")
    result = merge(y(base), y(ours), y(theirs))
    assert not result.clean
    assert len(result.merged["reparation"]) == 1
    text = merge_texts(base, ours, theirs)
    assert not text.clean and "<<<<<<< ours" in text.text


def test_integer_ids_added_on_both_sides_are_never_a_silent_duplicate():
    base = "id: C-0001\nreparation:\n  - {id: 1, hours: 2}\n"
    ours = base + "  - {id: 2, hours: 3}\n"
    theirs = base + "  - {id: 2, hours: 5}\n"
    result = merge(y(base), y(ours), y(theirs))
    ids = [e["id"] for e in result.merged["reparation"]]
    assert len(ids) == len(set(ids))
    assert not result.clean


def test_check_reports_duplicate_ids_of_any_type():
    from rjcli.core.checks import check_entry_ids

    data = y("id: C-0001\nreparation:\n  - {id: 1, hours: 2}\n  - {id: 2, hours: 3}\n"
             "  - {id: 2, hours: 5}\n")
    problems = check_entry_ids(data, "children/C-0001.yaml")
    assert [p.message for p in problems] == ["entry id 2 appears twice"]


def test_victims_added_to_one_child_on_both_sides_get_distinct_labels_the_shared_side_first():
    base = "id: C-0001\nvictims:\n  - {ref: V-0001, label: Victim 1}\n"
    ours = y(base + "  - {ref: V-0003, label: Victim 2}\n")
    theirs = y(base + "  - {ref: V-0002, label: Victim 2}\n")
    result = merge(y(base), ours, theirs)
    assert result.clean
    assert [(v["ref"], v["label"]) for v in result.merged["victims"]] == [
        ("V-0001", "Victim 1"), ("V-0003", "Victim 2"), ("V-0002", "Victim 3")]
    swapped = merge(y(base), theirs, ours, senior="theirs").merged["victims"]
    assert {v["ref"]: v["label"] for v in swapped} == {
        "V-0001": "Victim 1", "V-0003": "Victim 2", "V-0002": "Victim 3"}


def test_one_victim_added_on_both_sides_under_different_labels_is_no_conflict():
    base = "id: C-0001\nvictims:\n  - {ref: V-0001, label: Victim 1}\n"
    ours = y(base + "  - {ref: V-0002, label: Victim 2}\n")
    theirs = y(base + "  - {ref: V-0002, label: Victim 5}\n")
    result = merge(y(base), ours, theirs)
    assert result.clean
    assert [v["label"] for v in result.merged["victims"]] == ["Victim 1", "Victim 2"]


def test_a_second_local_victim_replayed_after_a_renumbered_one_takes_the_next_label():
    # rj sync replays this laptop's commits one by one onto the shared copy
    shared = y("id: C-0001\nvictims:\n  - {ref: V-0001, label: Victim 1}\n"
               "  - {ref: V-0002, label: Victim 2}\n")
    mine_1 = y("id: C-0001\nvictims:\n  - {ref: V-0001, label: Victim 1}\n"
               "  - {ref: V-0003, label: Victim 2}\n")
    mine_2 = y("id: C-0001\nvictims:\n  - {ref: V-0001, label: Victim 1}\n"
               "  - {ref: V-0003, label: Victim 2}\n  - {ref: V-0004, label: Victim 3}\n")
    first = merge(y("id: C-0001\nvictims:\n  - {ref: V-0001, label: Victim 1}\n"),
                  shared, mine_1).merged
    second = merge(mine_1, first, mine_2)
    assert second.clean
    assert [(v["ref"], v["label"]) for v in second.merged["victims"]] == [
        ("V-0001", "Victim 1"), ("V-0002", "Victim 2"), ("V-0003", "Victim 3"),
        ("V-0004", "Victim 4")]


def test_a_victim_linked_to_two_children_on_two_sides_keeps_both_links():
    base = "id: V-0001\nchildren:\n  - {child: C-0001, offence: theft}\n"
    ours = y(base + "  - {child: C-0002, offence: theft}\n")
    theirs = y(base + "  - {child: C-0003, offence: criminal damage}\n")
    result = merge(y(base), ours, theirs)
    assert result.clean
    assert [c["child"] for c in result.merged["children"]] == ["C-0001", "C-0002", "C-0003"]
