"""`rj check` from the index scans again only the files a change can concern
(``rjcli.core.matcher_delta``): whatever sequence of edits is made - a victim renamed, a
phone, e-mail, address, postcode or date of birth changed, a victim added or deleted, a
child's file made to mention someone, a colleague added or gone - the answer after each
is exactly the one of reading every file (``--no-cache``).

The identifiers edited in and the words written into children's files are drawn from
small shared pools, so that most sequences make a child's file name a victim, stop
naming one, or meet a colleague's name."""

from __future__ import annotations

import re
import shutil

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_check_index import run  # (exit code, output) of one command, with or without the index

NAMES = ("Pennywhistle Quarrington", "Oona Quarrington", "Ada Marchbank", "Dev Rise")
PHONES = ("07700 900123", "07700 900456")
EMAILS = ("p.quarrington@example.org", "oona.q@example.org")
LINES = ("14 Orchard Rise", "3 Quarrington Rd")
POSTCODES = ("XE9 4QT", "XE7 1ZZ")
BIRTHDAYS = ("1990-03-14", "1985-11-02")
MENTIONS = ("rang 07700900123 back", "met Quarrington at the shop", "lives at 14 orchard rise",
            "postcode xe94qt", "wrote to P.Quarrington@example.org", "born 14/03/1990",
            "Pennywhistle Quarrington called", "saw Mr Rise and the Marchbanks",
            "3 Quarrington Road", "02/11/85")
STAFF = ("Abel Quarrington", "Nia Rise", "Rd Orchard", "Sam Marchbank")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A small generated casebook whose index holds a first check's findings."""
    from conftest import generated_casebook

    root = generated_casebook(tmp_path_factory, seed=3, victims=30, children=15)
    # the pools' identifiers already named: one edit can stop or change a finding
    rename(root, 0, NAMES[0])
    set_block(root, 0, "phones", f"phones:\n  - \"{PHONES[0]}\"\n")
    set_block(root, 1, "address", f"address:\n  lines:\n    - {LINES[0]}\n"
                                  f"  postcode: {POSTCODES[0]}\n")
    for n, words in enumerate(MENTIONS[:4]):
        mention(root, n, words)
    assert run(root, "check")[0] == 1
    return root


# --- the edits ------------------------------------------------------------------------


def victim(root, n):
    """The ``n``th victim's file (counting round), if any is left."""
    victims = sorted((root / "victims").glob("*.yaml"))
    return victims[n % len(victims)] if victims else None


def without_block(text, key):
    """``text`` without its top-level ``key`` and what is indented under it."""
    return re.sub(rf"^{key}:.*\n(?:[ -].*\n)*", "", text, flags=re.M)


def set_block(root, n, key, block):
    path = victim(root, n)
    if path:
        path.write_text(without_block(path.read_text(), key) + block)


def rename(root, n, name):
    path = victim(root, n)
    if path:
        path.write_text(re.sub(r"^name: .*$", f"name: {name}", path.read_text(), count=1,
                               flags=re.M))


def add_victim(root, n, name, phone, postcode):
    (root / "victims" / f"V-NEW{n:03}.yaml").write_text(
        f"id: V-NEW{n:03}\nname: {name}\nphones:\n  - \"{phone}\"\n"
        f"address:\n  lines:\n    - 1 Nowhere Lane\n  postcode: {postcode}\n")


def remove_victim(root, n):
    path = victim(root, n)
    if path:
        path.unlink()


def mention(root, n, words):
    children = sorted((root / "children").glob("*.yaml"))
    path = children[n % len(children)]
    path.write_text(path.read_text() + f"# {words}\n")


def staff(root, name, present):
    config = root / "rj.yaml"
    text = config.read_text()
    entry = f"  - name: {name}\n    role: rj-worker\n"
    if present and entry not in text:
        text = text.replace("staff:\n", "staff:\n" + entry, 1)
    elif not present:
        text = text.replace(entry, "")
    config.write_text(text)


picks = st.integers(0, 40)
EDITS = st.one_of(
    st.tuples(st.just(rename), picks, st.sampled_from(NAMES)),
    st.builds(lambda n, p: (set_block, n, "phones", f"phones:\n  - \"{p}\"\n"),
              picks, st.sampled_from(PHONES)),
    st.builds(lambda n, e: (set_block, n, "email", f"email: {e}\n"),
              picks, st.sampled_from(EMAILS)),
    st.builds(lambda n, line, pc: (set_block, n, "address",
                                   f"address:\n  lines:\n    - {line}\n    - Brackenford\n"
                                   f"  postcode: {pc}\n"),
              picks, st.sampled_from(LINES), st.sampled_from(POSTCODES)),
    st.builds(lambda n, day: (set_block, n, "dob", f"dob: {day}\n"),
              picks, st.sampled_from(BIRTHDAYS)),
    st.tuples(st.just(add_victim), picks, st.sampled_from(NAMES), st.sampled_from(PHONES),
              st.sampled_from(POSTCODES)),
    st.tuples(st.just(remove_victim), picks),
    st.tuples(st.just(mention), picks, st.sampled_from(MENTIONS)),
    st.tuples(st.just(staff), st.sampled_from(STAFF), st.booleans()),
)


@settings(max_examples=10, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(edits=st.lists(EDITS, min_size=1, max_size=3))
# beside the drawn sequences, always: a colleague sharing a victim's family name comes
# and goes; a victim renamed to, and away from, words a child's file holds
@example(edits=[(staff, STAFF[0], True), (staff, STAFF[0], False)])
@example(edits=[(rename, 0, NAMES[2]), (rename, 5, NAMES[1]), (remove_victim, 5)])
def test_check_from_the_index_equals_the_files_after_any_sequence_of_edits(
        template, tmp_path_factory, edits):
    root = tmp_path_factory.mktemp("edited") / "casebook"
    shutil.copytree(template, root)
    for edit, *args in edits:
        edit(root, *args)
        cached = run(root, "check", "--json")  # first: works from what the last run kept
        assert cached == run(root, "check", "--json", cache=False), (edit.__name__, args)
