"""Letters as PDF (``--format pdf``, the Word letter converted by LibreOffice) and the
default Word letter paper, checked on the PDF as a person posting it would check by eye:
the recipient's address shows in the window of a DL envelope (and the service's does
not), pages are numbered "Page 1 of 2", no page holds only the sign-off, one font.

The PDF tests need LibreOffice (``soffice``) and poppler (``pdftotext``, ``pdffonts``);
``.ci/run`` installs both. Without them they are skipped, saying so.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import textwrap
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import invoke, json_of, plain

TODAY = "2026-04-13"
PT_PER_MM = 72 / 25.4
"""PDF points in a millimetre (1 mm = 2.8346 pt)."""
WINDOW_MM = (20.0, 45.0, 110.0, 80.0)
"""The window of a DL envelope on the A4 page folded into it (left, top, right, bottom,
in mm from the page's top-left corner): 20 mm in, 45 mm down, 90 x 35 mm."""
NEEDS_OFFICE = pytest.mark.skipif(
    not (shutil.which("soffice") or shutil.which("libreoffice")),
    reason="LibreOffice is not installed (soffice not on PATH): .ci/run installs it "
           "(apt-get install libreoffice-writer-nogui)")
NEEDS_POPPLER = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdffonts")),
    reason="poppler-utils (pdftotext, pdffonts) is not installed")

RJ_YAML = """\
service:
  name: Exampletown Youth Justice Service
  address:
    lines: [Civic Offices, High Street, Exampletown]
    postcode: EX1 1AA
  phone: "01632 960000"
  email: victims@example.org
  letterhead: [Exampletown Youth Justice Service]
  complaints: >-
    To make a complaint, write to the Service Manager at the address above,
    or phone 01632 960000.
staff:
  - {name: Sam Worker, role: rj-worker, phone: "01632 960123", email: sam.worker@example.org}
calendar:
  region: england
git:
  autocommit: false
"""

AGREED = """\
conferences:
  - id: 01J00000000000000000000{n}90
    kind: conference
    date: 2026-04-08
    venue: Exampletown Community Centre
    status: held
    agreement:
      - {{id: 01J00000000000000000000{n}91, n: 1, action: Write a letter of apology,
         who: the young person, due: 2026-04-30, status: open}}
      - {{id: 01J00000000000000000000{n}92, n: 2, action: Pay for the repair of the damage
         in two instalments, who: the young person's family, due: 2026-05-29, status: open}}
"""

VICTIMS = {
    # an adult, after sentence
    "V-0001": """\
        kind: individual
        name: Alex Example
        address: {lines: [1 Example Road, Exampletown], postcode: EX1 2BB}
        referral: {stage: post-sentence, disposal: referral-order, allocated: 2026-04-01,
                   worker: Sam Worker}
        """,
    # under 18: letters go to the parent
    "V-0002": """\
        kind: under-18
        name: Riley Example
        address: {lines: [2 Example Road, Exampletown], postcode: EX1 2BC}
        parent_guardian: {name: Morgan Example, relationship: mother}
        referral: {stage: pre-court, disposal: youth-caution, allocated: 2026-04-01,
                   worker: Sam Worker}
        """,
    # an organisation, through its representative
    "V-0003": """\
        kind: corporate
        name: Example Stores Ltd
        representative: {name: Dana Manager, role: Store Manager}
        address: {lines: [Unit 4, Market Street, Exampletown], postcode: EX1 3CD}
        referral: {stage: pre-sentence, disposal: psr-requested, allocated: 2026-04-01,
                   worker: Sam Worker}
        """,
    # the child's own family: best-placed decision made; the offence is never named
    "V-0004": """\
        kind: family-or-carer
        name: Pat Family
        address: {lines: [4 Example Road, Exampletown], postcode: EX1 2BD}
        referral: {stage: post-sentence, disposal: referral-order, allocated: 2026-04-01,
                   worker: Sam Worker}
        best_placed: {date: 2026-04-02, who: rj-worker, case_holder: Casey Holder}
        """,
}
RECIPIENT = {
    "V-0001": ["Alex Example", "1 Example Road", "Exampletown", "EX1 2BB"],
    "V-0002": ["Morgan Example", "2 Example Road", "Exampletown", "EX1 2BC"],
    "V-0003": ["Dana Manager", "Store Manager", "Example Stores Ltd", "Unit 4",
               "Market Street", "Exampletown", "EX1 3CD"],
    "V-0004": ["Pat Family", "4 Example Road", "Exampletown", "EX1 2BD"],
}
"""The address block each victim's letters go to (the parent; the representative)."""
SERVICE = ["Civic Offices", "High Street", "EX1 1AA"]
OFFENCE = "damage to your car"
"""The offence as recorded for letters (offence_for_letters)."""
SIGN_OFF = ("Yours sincerely", "Sam Worker", "Victim worker", "Telephone: 01632 960123",
            "E-mail: sam.worker@example.org", "Enclosed:")
"""The lines of the sign-off and what follows it: never alone on a page."""


def write_casebook(root: Path) -> Path:
    (root / "victims").mkdir(parents=True)
    (root / "children").mkdir()
    (root / "rj.yaml").write_text(RJ_YAML, encoding="utf-8")
    for n, (vid, text) in enumerate(VICTIMS.items(), start=1):
        record = (f"id: {vid}\n" + textwrap.dedent(text)
                  + f"offence_for_letters: {OFFENCE}\n"
                  + "children: [{child: C-0001, offence: smashed the car's wing mirror}]\n"
                  + textwrap.dedent(f"""\
                    consents:
                      - {{id: 01J00000000000000000000{n}01, kind: contact, answer: "yes",
                         date: 2026-04-01}}
                    status_history:
                      - {{id: 01J00000000000000000000{n}02, date: 2026-04-01, status: open}}
                    """)
                  + AGREED.format(n=n))
        (root / "victims" / f"{vid}.yaml").write_text(record, encoding="utf-8")
    (root / "children" / "C-0001.yaml").write_text(textwrap.dedent("""\
        id: C-0001
        name: Jordan Testchild
        dob: 2010-05-03
        case_holder: Casey Holder
        disposal: referral-order
        victims: [{ref: V-0001, label: Victim 1}, {ref: V-0002, label: Victim 2},
                  {ref: V-0003, label: Victim 3}, {ref: V-0004, label: Victim 4}]
        status_history:
          - {id: 01J00000000000000000000999, date: 2026-03-20, status: open}
        """), encoding="utf-8")
    from rjcli.storage.permissions import tighten_and_stamp

    tighten_and_stamp(root)
    return root


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return write_casebook(tmp_path / "casebook")


def rj(book: Path, *args: str, env: dict[str, str | None] | None = None):  # type: ignore[no-untyped-def]
    return invoke(*args, casebook=book, today=TODAY, env=env)


def contacts(book: Path, record_id: str) -> list[dict[str, object]]:
    from rjcli.storage import yamlio

    data = yamlio.parse_text((book / "victims" / f"{record_id}.yaml").read_text("utf-8"))
    return list(data.get("contacts") or [])


# --- without LibreOffice -----------------------------------------------------------------


def test_pdf_without_libreoffice_says_to_install_it_and_writes_nothing(
        book: Path, tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    result = rj(book, "letter", "initial", "V-0001", "--format", "pdf",
                env={"PATH": str(empty)})
    said = plain(result.output)
    assert result.exit_code == 27, said
    assert "LibreOffice" in said and "apt-get install libreoffice-writer" in said
    assert "--format docx" in said
    assert not (book / "output" / "letters").exists() or not any(
        (book / "output" / "letters").iterdir())
    assert contacts(book, "V-0001") == []  # not written, so not sent


FAKE_OFFICE = """\
#!{python}
# stands in for LibreOffice: notes how it was called, then makes a PDF or fails
import json, os, pathlib, sys
args = sys.argv[1:]
pathlib.Path({log!r}).write_text(json.dumps(args))
profile = next(a for a in args if a.startswith("-env:UserInstallation=file://"))
assert os.path.isdir(os.path.dirname(profile[len("-env:UserInstallation=file://"):]))
if {fail!r}:
    sys.exit("Error: source file could not be loaded")
out = pathlib.Path(args[args.index("--outdir") + 1])
out.mkdir()
(out / (pathlib.Path(args[-1]).stem + ".pdf")).write_bytes(b"%PDF-1.4 made by the stand-in")
"""


def fake_office(tmp_path: Path, fail: bool = False) -> tuple[dict[str, str | None], Path]:
    """A PATH holding only a stand-in ``soffice``, and the file it notes its arguments in."""
    import sys

    folder = tmp_path / ("failing" if fail else "working")
    folder.mkdir()
    log = tmp_path / f"{folder.name}.json"
    office = folder / "soffice"
    office.write_text(FAKE_OFFICE.format(python=sys.executable, log=str(log), fail=fail),
                      encoding="utf-8")
    office.chmod(0o700)
    return {"PATH": str(folder)}, log


def test_libreoffice_runs_headless_in_a_throwaway_profile(book: Path, tmp_path: Path) -> None:
    import json

    env, log = fake_office(tmp_path)
    result = rj(book, "letter", "initial", "V-0001", "--format", "pdf", "--json", env=env)
    assert result.exit_code == 0, result.output
    written = book / json_of(result)["file"]
    assert written.read_bytes() == b"%PDF-1.4 made by the stand-in"
    args = json.loads(log.read_text(encoding="utf-8"))
    assert "--headless" in args and args[args.index("--convert-to") + 1].startswith("pdf")
    profile = Path(next(a for a in args if a.startswith("-env:UserInstallation=file://"))
                   [len("-env:UserInstallation=file://"):])
    assert not profile.parent.exists()  # thrown away with the Word file
    assert not profile.is_relative_to(Path.home() / ".config")
    assert contacts(book, "V-0001")[-1]["file"] == json_of(result)["file"]


def test_a_failed_conversion_writes_and_logs_nothing(book: Path, tmp_path: Path) -> None:
    env, _ = fake_office(tmp_path, fail=True)
    result = rj(book, "letter", "initial", "V-0001", "--format", "pdf", env=env)
    said = plain(result.output)
    assert result.exit_code == 28, said
    assert "LibreOffice could not make the PDF (Error: source file could not be loaded)" in said
    assert "--format docx" in said
    assert not (book / "output" / "letters").exists() or not any(
        (book / "output" / "letters").iterdir())
    assert contacts(book, "V-0001") == []


# --- with LibreOffice ---------------------------------------------------------------------


@NEEDS_OFFICE
def test_pdf_letter_is_written_owner_only_and_logged_as_sent(book: Path) -> None:
    result = rj(book, "letter", "initial", "V-0001", "--format", "pdf", "--json")
    assert result.exit_code == 0, result.output
    written = json_of(result)
    assert written["file"] == "output/letters/V-0001-initial-2026-04-13.pdf"
    path = book / written["file"]
    assert path.read_bytes().startswith(b"%PDF")
    assert path.stat().st_mode & 0o777 == 0o600
    logged = contacts(book, "V-0001")[-1]
    assert (logged["method"], logged["outcome"], logged["letter"], logged["file"]) == (
        "letter", "sent", "initial", "output/letters/V-0001-initial-2026-04-13.pdf")
    assert list(path.parent.iterdir()) == [path]  # no Word file or profile left beside it


@NEEDS_OFFICE
def test_pdf_goes_where_out_says_through_the_out_path_guard(book: Path, tmp_path: Path) -> None:
    target = tmp_path / "post" / "letter.pdf"
    target.parent.mkdir()
    result = rj(book, "letter", "closure", "V-0002", "--draft", "--out", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF")  # the format from the file name
    assert target.stat().st_mode & 0o777 == 0o600
    refused = rj(book, "letter", "closure", "V-0002", "--draft", "--format", "pdf",
                 "--out", str(book / "victims" / "letter.pdf"))
    assert refused.exit_code == 2
    assert "cannot be written into victims/" in plain(refused.output)
    mine = tmp_path / "post" / "mine.pdf"
    mine.write_bytes(b"%PDF-1.4 my own file")
    kept = rj(book, "letter", "closure", "V-0002", "--draft", "--format", "pdf",
              "--out", str(mine))
    assert kept.exit_code == 2 and mine.read_bytes() == b"%PDF-1.4 my own file"


# --- the letter paper, checked on the PDF -------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of text on a PDF page, with its box in millimetres from the top left."""

    text: str
    left: float
    top: float
    right: float
    bottom: float

    def inside(self, box: tuple[float, float, float, float]) -> bool:
        left, top, right, bottom = box
        return (self.left >= left and self.top >= top and self.right <= right
                and self.bottom <= bottom)

    def meets(self, box: tuple[float, float, float, float]) -> bool:
        left, top, right, bottom = box
        return (self.left < right and self.right > left and self.top < bottom
                and self.bottom > top)


def pdf_pages(pdf: Path) -> list[list[Line]]:
    """The lines of each page (``pdftotext -bbox-layout``), in points turned to mm."""
    xhtml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True,
                           capture_output=True, text=True, timeout=60).stdout
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    pages = []
    for page in ElementTree.fromstring(xhtml).iterfind(".//h:page", ns):
        lines = []
        for line in page.iterfind(".//h:line", ns):
            words = [w.text or "" for w in line.iterfind("h:word", ns)]
            box = [float(line.get(k, "0")) / PT_PER_MM
                   for k in ("xMin", "yMin", "xMax", "yMax")]
            lines.append(Line(" ".join(words), *box))
        pages.append(sorted(lines, key=lambda x: (round(x.top), x.left)))
    return pages


def font_families(pdf: Path) -> set[str]:
    """The font families ``pdffonts`` lists (subset prefix and style dropped)."""
    listing = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True,
                             text=True, timeout=60).stdout.splitlines()[2:]
    names = [row.split()[0].split("+")[-1] for row in listing if row.strip()]
    return {re.split(r"[-,]", name)[0] for name in names}


FORMS = ("outcome-agreement",)
LETTERS = [(kind, vid) for kind in ("initial", "closure", "outcome-agreement")
           for vid in RECIPIENT]


@NEEDS_OFFICE
@NEEDS_POPPLER
@pytest.mark.parametrize(("kind", "record_id"), LETTERS, ids=[f"{k}-{v}" for k, v in LETTERS])
def test_pdf_letter_fits_a_window_envelope_and_its_pages(
        book: Path, tmp_path: Path, kind: str, record_id: str) -> None:
    pdf = tmp_path / f"{record_id}-{kind}.pdf"
    copy = ("--copy", "victim") if kind in FORMS else ()  # the child's: test_letters_copies
    result = rj(book, "letter", kind, record_id, "--draft", "--out", str(pdf), *copy)
    assert result.exit_code == 0, result.output
    pages = pdf_pages(pdf)
    first = pages[0]
    shown = "\n".join(f"{x.text!r} at {x.left:.0f},{x.top:.0f}-{x.right:.0f},{x.bottom:.0f} mm"
                      for x in first)
    # the recipient's address, each line whole, inside the window (the outcome agreement:
    # the victim's copy, addressed as their letters are)
    address = RECIPIENT[record_id]
    for wanted in address:
        found = [x for x in first if x.text == wanted]
        assert found, f"{wanted!r} is not a line of page 1:\n{shown}"
        assert any(x.inside(WINDOW_MM) for x in found), f"{wanted!r} outside the window:\n{shown}"
    # the service's own address is on the page, never in the window
    for line in SERVICE:
        found = [x for x in first if line in x.text]
        assert found, f"{line!r} is not on page 1:\n{shown}"
        assert not any(x.meets(WINDOW_MM) for x in found), f"{line!r} in the window:\n{shown}"
    assert not [x for x in first if x.meets(WINDOW_MM) and x.text not in address], \
        f"more than the address in the window:\n{shown}"
    # numbered pages, the reference on continuation pages
    count = len(pages)
    for n, page in enumerate(pages, start=1):
        assert any(x.text == f"Page {n} of {count}" for x in page), \
            f"no 'Page {n} of {count}' on page {n}"
        if n > 1:
            assert any(f"Our reference: {record_id}" in x.text for x in page)
    # no page holds only the sign-off, the signature and the enclosures
    furniture = re.compile(r"^(Page \d+ of \d+|Our reference: .*)$")
    for n, page in enumerate(pages[1:], start=2):
        body = [x.text for x in page if not furniture.match(x.text)]
        assert body and not body[0].startswith(SIGN_OFF), \
            f"page {n} starts with the sign-off: {body}"
    if kind not in FORMS:
        text = "\n".join(x.text for page in pages for x in page)
        assert "Yours sincerely" in text and "Sam Worker" in text
    # the offence is named in the initial letter, except to the child's own family; the
    # agreement has its signature lines
    words = " ".join(x.text for page in pages for x in page)
    if kind == "initial":
        assert (OFFENCE in words) is (record_id != "V-0004"), words
    if kind in FORMS:
        assert "Signed:" in words
    # one font family throughout, headings and bullets included
    families = font_families(pdf)
    assert len(families) == 1, f"fonts of several families: {sorted(families)}"


@NEEDS_OFFICE
@pytest.mark.parametrize("language", ["cy", "both"])
def test_a_welsh_or_bilingual_letter_is_written_as_a_pdf(book: Path, tmp_path: Path,
                                                          language: str) -> None:
    # once refused with "format 'pdf' is not one of: md, txt, html, docx, pdf"
    target = tmp_path / f"closure-{language}.pdf"
    victim = book / "victims" / "V-0002.yaml"
    victim.write_text(victim.read_text(encoding="utf-8")
                      + "offence_for_letters_cy: difrod i'ch car\n", encoding="utf-8")
    result = rj(book, "letter", "closure", "V-0002", "--draft", "--language", language,
                "--out", str(target))
    assert result.exit_code == 0, result.output
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Cau'r achos" in text and "Tudalen 1 o" in text
    assert ("Closing the case" in text) == (language == "both")


@NEEDS_OFFICE
@NEEDS_POPPLER
def test_a_bilingual_pdf_has_welsh_furniture_on_welsh_pages_and_english_on_english(
        book: Path, tmp_path: Path) -> None:
    # the English pages once kept "Tudalen 3 o 4" and "Ein cyfeirnod" (issue 21); a long
    # statement gives each language a continuation page
    target = tmp_path / "statement-both.pdf"
    words = "\n\n".join(f"Paragraph {n} of what happened to me and how it felt." * 3
                        for n in range(1, 16))
    result = rj(book, "letter", "panel-statement", "V-0001", "--draft", "--language", "both",
                "--note", words, "--out", str(target))
    assert result.exit_code == 0, result.output
    count = len(pdf_pages(target))
    pages = [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(target),
                             "-"], capture_output=True, text=True, check=True,
                            timeout=60).stdout for n in range(1, count + 1)]
    first_english = next(n for n, page in enumerate(pages, start=1)
                         if "Statement for the Referral Order panel" in page)
    assert first_english > 1
    for n, page in enumerate(pages, start=1):
        if n < first_english:
            assert f"Tudalen {n} o {count}" in page and "Page " not in page, (n, page)
            assert "Our reference" not in page, (n, page)
        else:
            assert f"Page {n} of {count}" in page and "Tudalen" not in page, (n, page)
            assert "Ein cyfeirnod" not in page, (n, page)
        if n not in (1, first_english):  # continuation pages carry the reference
            wanted = "Ein cyfeirnod: V-0001" if n < first_english else "Our reference: V-0001"
            assert wanted in page, (n, page)
    assert first_english > 2 and count > first_english  # continuation pages in each


def _every_kind() -> list[tuple[str, str]]:
    from rjcli.core.letterkinds import KINDS

    return [(k.name, who) for k in KINDS if k.record == "victim"
            for who in ("adult", "under-18", "organisation", "family")
            if k.name != "parent-consent" or who == "under-18"]


SWEEP = pytest.mark.skipif(not os.environ.get("RJ_PDF_SWEEP"), reason=(
    "every kind as a PDF takes about 2 s a letter: RJ_PDF_SWEEP=1 runs it (the default "
    "suite converts the initial, closure and outcome-agreement letters)"))


@SWEEP
@NEEDS_OFFICE
@NEEDS_POPPLER
@pytest.mark.parametrize(("kind", "who"), _every_kind(),
                         ids=[f"{k}-{w}" for k, w in _every_kind()])
def test_every_kind_is_a_pdf_with_numbered_pages_one_font_and_no_stranded_sign_off(
        tmp_path: Path, kind: str, who: str) -> None:
    # the casebook of tests/test_letters_wording.py: every victim has what every kind needs
    from test_letters_wording import VICTIMS as WHO
    from test_letters_wording import _args
    from test_letters_wording import write_casebook as wording_casebook

    book = wording_casebook(tmp_path / "casebook")
    record_id = WHO[who]
    pdf = tmp_path / f"{record_id}-{kind}.pdf"
    result = rj(book, "letter", kind, record_id, "--draft", "--out", str(pdf), *_args(kind))
    assert result.exit_code == 0, result.output
    pages = pdf_pages(pdf)
    for n, page in enumerate(pages, start=1):
        assert any(x.text == f"Page {n} of {len(pages)}" for x in page), f"page {n}"
    furniture = re.compile(r"^(Page \d+ of \d+|Our reference: .*)$")
    for n, page in enumerate(pages[1:], start=2):
        body = [x.text for x in page if not furniture.match(x.text)]
        assert body and not body[0].startswith(SIGN_OFF), f"page {n}: {body}"
    assert not [x for x in pages[0] if "Civic Offices" in x.text and x.meets(WINDOW_MM)], \
        "the service's address in the window"
    assert len(font_families(pdf)) == 1
    if who == "family":
        words = " ".join(x.text for page in pages for x in page)
        assert "assault" not in words.lower()
