"""The outcome agreement, one copy per party (issue 21): ``rj letter outcome-agreement ID
--copy victim|child|C-...``. Each copy is addressed to its party, so a DL window envelope
shows that party's address; each is logged as a letter sent on that party's own record;
the child's copy carries no victim record id and none of the victim's contact details.

Checked in Markdown, text, HTML and Word here, and on the PDF (the recipient's lines
inside the window rectangle, as tests/test_letters_pdf.py checks the other letters).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import plain
from test_letters import rj
from test_letters_pdf import NEEDS_OFFICE, NEEDS_POPPLER, WINDOW_MM, pdf_pages
from test_letters_wording import SIGNED, VICTIMS, seen, write_casebook

from rjcli.storage import yamlio

VICTIM_SIDE = {
    "V-0001": ["Mrs Margaret Hollis", "14 Orchard Row", "Exampletown", "XE1 2BB"],
    "V-0002": ["Mr David Young", "2 Example Road", "Exampletown", "XE1 2BC"],
    "V-0003": ["Ms Priya Shah", "Store Manager", "Hollis Hardware Ltd", "Unit 4",
               "Market Street", "Exampletown", "XE1 3CD"],
    "V-0004": ["Lisa Testchild", "9 Sample Street", "Exampletown", "XE1 9ZZ"],
}
"""Who the victim's copy is addressed to: the victim, a victim under 18's parent, an
organisation's representative (tests/test_letters_wording.py's casebook)."""
CHILD_SIDE = ["Jordan Testchild", "Pat Testchild", "9 Sample Street", "Exampletown", "XE1 9ZZ"]
"""The child's copy: the child and their parent or carer, at the child's address."""
VICTIM_DETAILS = {
    "V-0001": ["07700 900111", "margaret.hollis@example.org", "Orchard Row", "XE1 2BB"],
    "V-0002": ["Example Road", "XE1 2BC", "David Young", "Riley Young"],
    "V-0003": ["Market Street", "XE1 3CD", "Unit 4", "Priya Shah"],
    "V-0004": ["Lisa Testchild"],
}
"""What the child's copy must never show of each victim (a family victim sharing the child's
home: the address in the window is the child's own)."""
PARTIES = {"V-0001": 4, "V-0002": 5, "V-0003": 4, "V-0004": 4}
"""Signature and date lines on the agreement: every party signs every copy."""


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return write_casebook(tmp_path / "casebook")


def record(book: Path, record_id: str) -> dict:  # type: ignore[type-arg]
    folder = "victims" if record_id.startswith("V-") else "children"
    return dict(yamlio.parse_text((book / folder / f"{record_id}.yaml").read_text("utf-8")))


def text_of(path: Path) -> str:
    from rjcli.render.letters import docx_text

    raw = docx_text(path.read_bytes()) if path.suffix == ".docx" else path.read_text("utf-8")
    return seen(raw)


def copy(book: Path, record_id: str, which: str, fmt: str, *args: str) -> str:
    target = book.parent / f"{record_id}-{which}.{fmt}"
    result = rj(book, "letter", "outcome-agreement", record_id, "--copy", which, "--draft",
                "--format", fmt, "--out", str(target), *args)
    assert result.exit_code == 0, result.output
    return text_of(target)


def test_without_copy_it_says_which_copies_there_are_and_writes_nothing(book: Path) -> None:
    result = rj(book, "letter", "outcome-agreement", "V-0001")
    said = plain(result.output)
    assert result.exit_code == 2, said
    assert "--copy victim" in said and "--copy child" in said and "C-0001" in said
    assert not (book / "output").exists() or not list((book / "output").rglob("*"))
    assert "contacts" not in record(book, "V-0001")


def test_an_unknown_copy_is_refused_naming_the_copies(book: Path) -> None:
    result = rj(book, "letter", "outcome-agreement", "V-0001", "--copy", "C-0009")
    said = plain(result.output)
    assert result.exit_code == 2, said
    assert "C-0009" in said and "victim" in said and "C-0001" in said


def test_copy_is_only_for_the_outcome_agreement(book: Path) -> None:
    result = rj(book, "letter", "closure", "V-0001", "--copy", "victim")
    assert result.exit_code == 2
    assert "--copy" in plain(result.output)


@pytest.mark.parametrize("who", list(VICTIMS))
@pytest.mark.parametrize("fmt", ("md", "txt", "html", "docx"))
def test_the_victims_copy_is_addressed_to_the_victims_side(book: Path, who: str,
                                                           fmt: str) -> None:
    record_id = VICTIMS[who]
    text = copy(book, record_id, "victim", fmt)
    assert " ".join(VICTIM_SIDE[record_id]) in text
    assert "Write a letter of apology" in text
    assert text.count(SIGNED) == PARTIES[record_id]
    assert "Jordan" not in text  # the child gave no permission (Somerset 7.3)
    if record_id != "V-0004":  # the family victim lives at the child's address
        assert "Sample Street" not in text


@pytest.mark.parametrize("who", list(VICTIMS))
@pytest.mark.parametrize("fmt", ("md", "txt", "html", "docx"))
def test_the_childs_copy_is_addressed_to_the_child_and_shows_nothing_of_the_victim(
        book: Path, who: str, fmt: str) -> None:
    record_id = VICTIMS[who]
    text = copy(book, record_id, "child", fmt)
    assert " ".join(CHILD_SIDE) in text
    assert "Write a letter of apology" in text
    assert "V-0" not in text
    assert "Our reference: C-0001" in text
    for detail in VICTIM_DETAILS[record_id]:
        assert detail not in text, detail
    assert text.count(SIGNED) == PARTIES[record_id]


def test_child_names_the_linked_childs_copy_as_its_id_does(book: Path) -> None:
    assert copy(book, "V-0001", "child", "md") == copy(book, "V-0001", "C-0001", "md")


def test_each_copy_is_logged_on_its_own_partys_record(book: Path) -> None:
    child_before = (book / "children" / "C-0001.yaml").read_text("utf-8")
    victim = rj(book, "letter", "outcome-agreement", "V-0001", "--copy", "victim")
    assert victim.exit_code == 0, victim.output
    assert "Logged on V-0001: outcome-agreement letter sent" in plain(victim.output)
    logged = record(book, "V-0001")["contacts"]
    assert [(c["method"], c["outcome"], c["letter"], c.get("with", "victim")) for c in logged] == [
        ("letter", "sent", "outcome-agreement", "victim")]
    assert (book / "children" / "C-0001.yaml").read_text("utf-8") == child_before

    victim_before = (book / "victims" / "V-0001.yaml").read_text("utf-8")
    child = rj(book, "letter", "outcome-agreement", "V-0001", "--copy", "child")
    assert child.exit_code == 0, child.output
    assert "Logged on C-0001: outcome-agreement letter sent" in plain(child.output)
    entry = record(book, "C-0001")["contacts"][-1]
    assert (entry["method"], entry["outcome"], entry["letter"], entry["with"]) == (
        "letter", "sent", "outcome-agreement", "child")
    assert entry["file"].startswith("output/letters/C-0001-outcome-agreement-")
    assert "V-0" not in str(entry) and "Hollis" not in str(entry)
    assert (book / "victims" / "V-0001.yaml").read_text("utf-8") == victim_before
    checked = rj(book, "check").output  # rj check reads the letters written too
    assert not [line for line in checked.splitlines()
                if "C-0001-outcome-agreement" in line and "V-0001" in line], checked


def test_the_childs_copy_of_each_agreement_is_logged_once(book: Path) -> None:
    first = rj(book, "letter", "outcome-agreement", "V-0001", "--copy", "child")
    again = rj(book, "letter", "outcome-agreement", "V-0001", "--copy", "child")
    other = rj(book, "letter", "outcome-agreement", "V-0002", "--copy", "child")
    assert first.exit_code == again.exit_code == other.exit_code == 0
    assert "not logged again" in plain(again.output)
    assert "Logged on C-0001" in plain(other.output)  # another victim's agreement
    assert len(record(book, "C-0001")["contacts"]) == 2


def test_victim_contact_details_in_the_agreement_stop_the_childs_copy(book: Path) -> None:
    path = book / "victims" / "V-0001.yaml"
    path.write_text(path.read_text("utf-8").replace(
        "action: Write a letter of apology", "action: Post a letter of apology to 14 Orchard "
        "Row"), encoding="utf-8")
    refused = rj(book, "letter", "outcome-agreement", "V-0001", "--copy", "child", "--draft")
    said = plain(refused.output)
    assert refused.exit_code == 2, said
    assert "a victim's address" in said
    assert not list((book / "output").rglob("C-0001-outcome-agreement*"))
    own = rj(book, "letter", "outcome-agreement", "V-0001", "--copy", "victim", "--draft")
    assert own.exit_code == 0, own.output  # the victim's own copy may hold their address


def test_a_template_printing_a_victim_id_on_the_childs_copy_is_refused(book: Path) -> None:
    (book / "templates").mkdir()
    (book / "templates" / "outcome-agreement.md.j2").write_text(
        "{{ recipient.block | lines }}\n\nAgreement {{ agreement[0].action }}\n\n"
        "Case V-0001\n", encoding="utf-8")
    refused = rj(book, "letter", "outcome-agreement", "V-0001", "--copy", "child", "--draft")
    assert refused.exit_code == 2
    assert "a victim's record id (V-0001)" in plain(refused.output)


def test_a_child_without_an_address_is_named_as_the_gap(book: Path) -> None:
    path = book / "children" / "C-0001.yaml"
    path.write_text("\n".join(line for line in path.read_text("utf-8").splitlines()
                              if not line.startswith("address:")) + "\n", encoding="utf-8")
    result = rj(book, "letter", "outcome-agreement", "V-0001", "--copy", "child", "--draft")
    said = plain(result.output)
    assert result.exit_code != 0
    assert "the child's postal address (address in children/C-0001.yaml)" in said


@pytest.mark.parametrize("language", ["cy", "both"])
def test_each_copy_has_its_welsh_wording(book: Path, language: str) -> None:
    rj_yaml = book / "rj.yaml"
    rj_yaml.write_text(rj_yaml.read_text("utf-8").replace(
        "staff:", "  cy:\n    complaints: I wneud cwyn, ysgrifennwch at y Rheolwr.\nstaff:"),
        encoding="utf-8")
    child = copy(book, "V-0001", "child", "md", "--language", language)
    victim = copy(book, "V-0001", "victim", "md", "--language", language)
    assert "Dyma gopi'r person ifanc a'i riant neu ofalwr" in child
    assert "Dyma gopi'r person a gafodd ei niweidio" in victim
    assert ("This is the copy for the young person and their parent or carer" in child) \
        == (language == "both")
    assert "V-0" not in child


# --- on the PDF -------------------------------------------------------------------------------


COPIES = [("V-0001", "child"), ("V-0004", "child"), ("V-0002", "victim")]
"""The child's copy of an adult's agreement and of a family victim's (who lives at the
child's address), and an under-18 victim's copy, to their parent. Every victim's copy of
each recipient kind is also converted by tests/test_letters_pdf.py."""


@NEEDS_OFFICE
@NEEDS_POPPLER
@pytest.mark.parametrize(("record_id", "which"), COPIES, ids=[f"{v}-{w}" for v, w in COPIES])
def test_each_copy_as_a_pdf_shows_its_partys_address_in_the_window(
        book: Path, tmp_path: Path, record_id: str, which: str) -> None:
    pdf = tmp_path / f"{record_id}-{which}.pdf"
    result = rj(book, "letter", "outcome-agreement", record_id, "--copy", which, "--draft",
                "--out", str(pdf))
    assert result.exit_code == 0, result.output
    pages = pdf_pages(pdf)
    first = pages[0]
    shown = "\n".join(f"{x.text!r} at {x.left:.0f},{x.top:.0f}-{x.right:.0f},{x.bottom:.0f} mm"
                      for x in first)
    address = VICTIM_SIDE[record_id] if which == "victim" else CHILD_SIDE
    for wanted in address:
        found = [x for x in first if x.text == wanted]
        assert found, f"{wanted!r} is not a line of page 1:\n{shown}"
        assert any(x.inside(WINDOW_MM) for x in found), f"{wanted!r} outside the window:\n{shown}"
    assert not [x for x in first if x.meets(WINDOW_MM) and x.text not in address], \
        f"more than the address in the window:\n{shown}"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout
    assert " ".join(text.split()).count(SIGNED) == PARTIES[record_id]
    if which == "child":
        assert "V-0" not in text
        for detail in VICTIM_DETAILS[record_id]:
            assert detail not in text, detail
    else:
        assert f"Our reference: {record_id}" in text
