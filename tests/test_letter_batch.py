"""``rj letter KIND --due`` (issue 19): every letter of a kind the due list says is due
today (or overdue), for the current worker or ``--all``; one file each plus one file to
print them all, and what could not be written, and why.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import invoke, plain

from rjcli.render.letters import docx_text
from rjcli.storage import yamlio

TODAY = "2026-04-13"
"""A Monday: the initial letters (Tower Hamlets: 5 working days from allocation on 1 April)
were due on 9 April, so they are overdue."""

RJ_YAML = """\
service:
  name: Exampletown Youth Justice Service
  address:
    lines: [Civic Offices, High Street, Exampletown]
    postcode: XE1 1AA
  phone: "01632 960000"
  email: victims@example.org
  complaints: To make a complaint, write to the Service Manager at the address above.
staff:
  - {name: Sam Worker, role: rj-worker, phone: "01632 960123", email: sam.worker@example.org}
  - {name: Robin Other, role: rj-worker, phone: "01632 960124"}
policy:
  profile: tower-hamlets
calendar:
  region: england
git:
  autocommit: false
"""

VICTIM = """\
id: {id}
kind: individual
name: {name}
offence_category: criminal-damage
{address}referral: {{stage: post-sentence, disposal: referral-order, allocated: 2026-04-01,
           worker: {worker}}}
consents:
  - {{id: 01J000000000000000000{n}01, kind: contact, answer: "yes", date: 2026-04-01}}
status_history:
  - {{id: 01J000000000000000000{n}02, date: 2026-04-01, status: open}}
"""

ADDRESS = "address: {{lines: [{n} Example Road, Exampletown], postcode: XE1 2BB}}\n"
PEOPLE = {
    "V-0001": ("Alex Example", "Sam Worker", True),
    "V-0002": ("Nadia Noaddress", "Sam Worker", False),
    "V-0003": ("Casey Sample", "Sam Worker", True),
    "V-0004": ("Dana Elsewhere", "Robin Other", True),
}
SENT = """\
contacts:
  - {id: 01J00000000000000000000599, at: "2026-04-02 10:00", method: letter, outcome: sent,
     letter: initial}
"""


def write_casebook(root: Path) -> Path:
    from rjcli.storage.permissions import tighten_and_stamp

    (root / "victims").mkdir(parents=True)
    (root / "children").mkdir()
    (root / "rj.yaml").write_text(RJ_YAML, encoding="utf-8")
    for n, (record_id, (name, worker, has_address)) in enumerate(PEOPLE.items(), 1):
        address = ADDRESS.format(n=n) if has_address else ""
        (root / "victims" / f"{record_id}.yaml").write_text(VICTIM.format(
            id=record_id, name=name, worker=worker, n=f"00{n}", address=address),
            encoding="utf-8")
    # sent already: not due
    (root / "victims" / "V-0005.yaml").write_text(VICTIM.format(
        id="V-0005", name="Lee Done", worker="Sam Worker", n="005",
        address=ADDRESS.format(n=5)) + SENT, encoding="utf-8")
    tighten_and_stamp(root)
    return root


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return write_casebook(tmp_path / "casebook")


def rj(book: Path, *args: str, worker: str | None = "Sam Worker") -> object:
    return invoke(*args, casebook=book, today=TODAY, worker=worker)


def letters_sent(book: Path, record_id: str) -> list[str]:
    data = yamlio.parse_text((book / "victims" / f"{record_id}.yaml").read_text("utf-8"))
    return [c.get("letter") for c in data.get("contacts") or []]


def test_the_due_letters_of_the_current_worker_are_written_with_one_file_to_print(
        book: Path, tmp_path: Path) -> None:
    out = tmp_path / "batch"
    out.mkdir()
    result = rj(book, "letter", "initial", "--due", "--out", str(out))
    said = plain(result.output)  # type: ignore[attr-defined]
    assert result.exit_code == 11, said  # some were not written: its own exit code
    files = sorted(p.name for p in out.iterdir())
    assert files == ["V-0001-initial-2026-04-13.md", "V-0003-initial-2026-04-13.md",
                     "initial-letters-2026-04-13.md"], files
    # what could not be written, and why
    assert re.search(r"V-0002 Nadia Noaddress: .*postal address", said), said
    assert "1 of 3 initial letters due were not written" in said
    assert "V-0004" not in said  # Robin's
    combined = (out / "initial-letters-2026-04-13.md").read_text(encoding="utf-8")
    one = (out / "V-0001-initial-2026-04-13.md").read_text(encoding="utf-8")
    three = (out / "V-0003-initial-2026-04-13.md").read_text(encoding="utf-8")
    assert one.strip() in combined and three.strip() in combined
    assert combined.index("Alex Example") < combined.index("Casey Sample")
    assert "Nadia" not in combined
    # logged as sent, like any letter
    assert letters_sent(book, "V-0001") == ["initial"]
    assert letters_sent(book, "V-0002") == []
    assert letters_sent(book, "V-0005") == ["initial"]  # not due: not written again


def test_all_writes_everyones_due_letters(book: Path) -> None:
    result = rj(book, "letter", "initial", "--due", "--all", "--format", "txt")
    said = plain(result.output)  # type: ignore[attr-defined]
    assert result.exit_code == 11, said
    folder = book / "output" / "letters"
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["V-0001-initial-2026-04-13.txt", "V-0003-initial-2026-04-13.txt",
                     "V-0004-initial-2026-04-13.txt", "initial-letters-2026-04-13.txt"]
    combined = (folder / "initial-letters-2026-04-13.txt").read_text(encoding="utf-8")
    assert combined.count("\f") == 2  # a new page before each letter after the first
    assert "Dana Elsewhere" in combined
    assert "1 of 4 initial letters due were not written" in said


def test_when_every_due_letter_is_written_the_exit_code_is_0(book: Path) -> None:
    path = book / "victims" / "V-0002.yaml"
    path.write_text(path.read_text("utf-8").replace(
        "referral:", "address: {lines: [2 Example Road, Exampletown], postcode: XE1 2BB}\n"
                     "referral:"), encoding="utf-8")
    result = rj(book, "letter", "initial", "--due", "--format", "html")
    said = plain(result.output)  # type: ignore[attr-defined]
    assert result.exit_code == 0, said
    combined = (book / "output" / "letters" / "initial-letters-2026-04-13.html").read_text(
        encoding="utf-8")
    assert combined.count("break-before: page") == 2
    assert combined.count("<html") == 1
    for name in ("Alex Example", "Nadia Noaddress", "Casey Sample"):
        assert name in combined


def test_without_a_worker_due_asks_who_you_are_or_all(book: Path) -> None:
    result = rj(book, "letter", "initial", "--due", worker=None)
    assert result.exit_code == 2
    said = plain(result.output)  # type: ignore[attr-defined]
    assert "--worker" in said and "--all" in said
    assert not (book / "output").exists()


def test_a_kind_that_is_never_due_is_refused_naming_those_that_are(book: Path) -> None:
    result = rj(book, "letter", "compensation", "--due")
    assert result.exit_code == 2
    said = plain(result.output)  # type: ignore[attr-defined]
    assert "compensation" in said and "initial" in said


def test_due_and_a_record_id_together_are_refused(book: Path) -> None:
    result = rj(book, "letter", "initial", "V-0001", "--due")
    assert result.exit_code == 2
    assert letters_sent(book, "V-0001") == []


def test_nothing_due_writes_nothing_and_says_so(book: Path) -> None:
    """On the day of allocation the initial letters are not due yet (5 working days)."""
    result = invoke("letter", "initial", "--due", casebook=book, today="2026-04-01",
                    worker="Sam Worker")
    assert result.exit_code == 0, result.output
    assert "No initial letters are due for Sam Worker today." in plain(result.output)
    assert not (book / "output").exists()


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdfinfo")
                         and shutil.which("pdftotext")),
                    reason="LibreOffice and poppler are needed for a PDF")
def test_the_combined_pdf_holds_every_letter_on_its_own_pages(book: Path,
                                                             tmp_path: Path) -> None:
    out = tmp_path / "pdf"
    out.mkdir()
    result = rj(book, "letter", "initial", "--due", "--all", "--format", "pdf",
                "--out", str(out))
    assert result.exit_code == 11, result.output  # type: ignore[attr-defined]

    def pages(path: Path) -> int:
        info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True,
                              text=True).stdout
        return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]

    singles = sorted(out.glob("V-*.pdf"))
    assert [p.name[:6] for p in singles] == ["V-0001", "V-0003", "V-0004"]
    combined = out / "initial-letters-2026-04-13.pdf"
    assert pages(combined) == sum(pages(p) for p in singles)
    text = subprocess.run(["pdftotext", "-layout", str(combined), "-"], check=True,
                          capture_output=True, text=True).stdout
    sheets = text.split("\f")
    starts = [i for i, page in enumerate(sheets) if "Our reference: V-" in page
              and "Dear " in page]
    assert len(starts) == 3
    for start, name in zip(starts, ("Alex Example", "Casey Sample", "Dana Elsewhere"),
                           strict=True):
        assert name in sheets[start]
    # each letter's pages numbered as in its own PDF: "Page 1 of 2", "Page 2 of 2"
    numbered = [(str(n), str(pages(p))) for p in singles for n in range(1, pages(p) + 1)]
    assert re.findall(r"Page (\d+) of (\d+)", text) == numbered
    # each letter's later pages carry its own reference, never another's
    for i, page in enumerate(sheets[:-1]):
        own = max(s for s in starts if s <= i)
        ref = re.search(r"Our reference: (V-\d+)", sheets[own]).group(1)  # type: ignore[union-attr]
        assert set(re.findall(r"V-\d{4}", page)) <= {ref}, (i, page)


def test_the_combined_word_file_holds_every_letter(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "docx"
    out.mkdir()
    result = rj(book, "letter", "initial", "--due", "--format", "docx", "--out", str(out))
    assert result.exit_code == 11, result.output  # type: ignore[attr-defined]
    text = docx_text((out / "initial-letters-2026-04-13.docx").read_bytes())
    assert "Alex Example" in text and "Casey Sample" in text and "Nadia" not in text


def test_json_lists_what_was_written_and_what_was_not(book: Path) -> None:
    result = rj(book, "letter", "initial", "--due", "--json")
    assert result.exit_code == 11
    data = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert data["kind"] == "initial"
    assert data["written"] == ["output/letters/V-0001-initial-2026-04-13.md",
                               "output/letters/V-0003-initial-2026-04-13.md"]
    assert data["combined"] == "output/letters/initial-letters-2026-04-13.md"
    assert [row["record"] for row in data["not_written"]] == ["V-0002"]
    assert "postal address" in data["not_written"][0]["why"]


def test_with_due_out_names_a_folder_not_a_file(book: Path, tmp_path: Path) -> None:
    result = rj(book, "letter", "initial", "--due", "--out", str(tmp_path / "all.pdf"))
    assert result.exit_code == 2
    assert "--out is the folder" in plain(result.output)  # type: ignore[attr-defined]
    assert not (tmp_path / "all.pdf").exists()
    assert letters_sent(book, "V-0001") == []


def test_all_without_a_worker_is_refused_before_anything_is_written(book: Path) -> None:
    """Every letter logged records who sent it: nobody named, nothing written."""
    result = rj(book, "letter", "initial", "--due", "--all", worker=None)
    assert result.exit_code == 2
    said = plain(result.output)  # type: ignore[attr-defined]
    assert "say who you are" in said and "Not written" not in said
    assert not (book / "output").exists()


SAMPLE = Path(__file__).resolve().parent.parent / "sample-casebook"


def test_a_closure_batch_with_forms_puts_each_victims_form_after_their_letter(
        tmp_path: Path) -> None:
    # the closure letter says a feedback form is enclosed (Wokingham 13, 14): --with-form
    # writes it and prints it right after that victim's letter
    book = tmp_path / "sample"
    shutil.copytree(SAMPLE, book, ignore=shutil.ignore_patterns(".rj", "output"))
    out = tmp_path / "batch"
    out.mkdir()
    result = invoke("letter", "closure", "--due", "--with-form", "--out", str(out),
                    casebook=book, today="2026-06-17", worker="Amir Haddon")
    said = plain(result.output)
    assert result.exit_code == 0, said
    names = sorted(p.name for p in out.iterdir())
    assert names == ["V-0015-closure-2026-06-17.md", "V-0015-feedback-form-2026-06-17.md",
                     "closure-letters-2026-06-17.md"], names
    combined = (out / "closure-letters-2026-06-17.md").read_text(encoding="utf-8")
    letter = (out / "V-0015-closure-2026-06-17.md").read_text(encoding="utf-8")
    form = (out / "V-0015-feedback-form-2026-06-17.md").read_text(encoding="utf-8")
    assert combined.index(letter.strip()) < combined.index(form.strip())
    assert "1 letter and 1 feedback form in one file to print" in said
    sent = [c.get("letter") for c in yamlio.parse_text(
        (book / "victims" / "V-0015.yaml").read_text("utf-8")).get("contacts") or []]
    assert sent.count("closure") == 1 and sent.count("feedback-form") == 1


def test_with_form_is_for_the_closure_letter_only(book: Path) -> None:
    result = rj(book, "letter", "initial", "--due", "--with-form")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "--with-form goes with the closure letter" in plain(result.output)  # type: ignore[attr-defined]
