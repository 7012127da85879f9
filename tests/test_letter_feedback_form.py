"""``rj letter feedback-form ID`` (issue 19): a printable feedback form for the victim
(Wokingham 11, 11a and 14; Tower Hamlets appendix 9), its questions taken from the
questionnaire data ``rj feedback`` uses (policy/questionnaires/, the casebook's own first),
in every format and in Welsh. The victim's reference is on the page they keep, never on
the form they send back (Tower Hamlets 7: evaluation information is anonymous).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
from conftest import invoke, plain

from rjcli.render.letters import docx_text
from rjcli.storage import yamlio

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-04-13"
WORKER = "Sam Worker"
RETURN_PART = "Feedback form: please fill in and send back"
"""The heading of the part the victim sends back (after it: no reference, no name)."""

RJ_YAML = """\
service:
  name: Exampletown Youth Justice Service
  address:
    lines: [Civic Offices, High Street, Exampletown]
    postcode: XE1 1AA
  phone: "01632 960000"
  email: victims@example.org
  complaints: To make a complaint, write to the Service Manager at the address above.
  cy:
    complaints: I wneud cwyn, ysgrifennwch at Reolwr y Gwasanaeth yn y cyfeiriad uchod.
staff:
  - {name: Sam Worker, role: rj-worker, phone: "01632 960123", email: sam.worker@example.org}
calendar:
  region: wales
git:
  autocommit: false
"""

VICTIM = """\
id: {id}
kind: individual
name: {name}
title: Mx
offence_category: criminal-damage
address: {{lines: [1 Example Road, Exampletown], postcode: XE1 2BB}}
referral: {{stage: post-sentence, disposal: referral-order, allocated: 2026-04-01,
           worker: Sam Worker}}
consents:
  - {{id: 01J000000000000000000{n}01, kind: contact, answer: "yes", date: 2026-04-01}}
status_history:
  - {{id: 01J000000000000000000{n}02, date: 2026-04-01, status: open}}
"""

HELD = """\
conferences:
  - {id: 01J00000000000000000000903, kind: conference, date: 2026-04-08,
     venue: Exampletown Community Centre, status: held}
"""


def write_casebook(root: Path) -> Path:
    from rjcli.storage.permissions import tighten_and_stamp

    (root / "victims").mkdir(parents=True)
    (root / "children").mkdir()
    (root / "rj.yaml").write_text(RJ_YAML, encoding="utf-8")
    (root / "victims" / "V-0001.yaml").write_text(
        VICTIM.format(id="V-0001", name="Alex Example", n="001"), encoding="utf-8")
    (root / "victims" / "V-0002.yaml").write_text(
        VICTIM.format(id="V-0002", name="Robin Sample", n="002") + HELD, encoding="utf-8")
    tighten_and_stamp(root)
    return root


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return write_casebook(tmp_path / "casebook")


def rj(book: Path, *args: str) -> object:
    return invoke(*args, casebook=book, today=TODAY, worker=WORKER)


def form(book: Path, record_id: str, fmt: str = "md", *args: str) -> str:
    target = book.parent / f"{record_id}-feedback.{fmt}"
    result = rj(book, "letter", "feedback-form", record_id, "--draft", "--format", fmt,
                "--out", str(target), "--force", *args)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    data = target.read_bytes()
    if fmt == "docx":
        return docx_text(data)
    if fmt == "pdf":
        return subprocess.run(["pdftotext", "-layout", str(target), "-"], check=True,
                              capture_output=True, text=True).stdout
    return data.decode("utf-8")


def questions(kind: str) -> list[dict[str, str]]:
    data = yamlio.parse_text((ROOT / "policy" / "questionnaires" / f"{kind}.yaml")
                             .read_text(encoding="utf-8"))
    return list(data["questions"])


def seen(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", text).replace("&#x27;", "'").replace("&amp;", "&")
    return " ".join(text.replace("\\", "").replace("**", "").split())


def test_the_form_asks_the_contact_questionnaires_questions_with_boxes_to_tick(
        book: Path) -> None:
    text = form(book, "V-0001")
    for q in questions("contact"):
        assert " ".join(q["text"].split()) in seen(text), q["id"]
    keep, send_back = text.split(RETURN_PART)
    assert send_back.count("[ ] Yes") == 5  # the five yes-no questions
    for answer in ("Very satisfied", "Satisfied", "Neither satisfied nor dissatisfied",
                   "Dissatisfied", "Very dissatisfied"):
        assert f"[ ] {answer}" in send_back, answer
    assert send_back.count("........") >= 4  # room to write
    # the return address, on the part that is sent back
    assert "Civic Offices" in send_back and "XE1 1AA" in send_back
    # the reference and the name on the victim's own copy only
    assert "Our reference: V-0001" in keep and "Alex Example" in keep
    assert "V-0001" not in send_back and "Alex" not in send_back
    assert "reply envelope" in seen(keep)


def test_after_a_held_conference_the_form_asks_the_conference_questions(book: Path) -> None:
    text = seen(form(book, "V-0002"))
    for q in questions("conference"):
        assert " ".join(q["text"].split()) in text, q["id"]
    assert "Did we explain clearly what we could offer you" not in text


def test_the_casebooks_own_questionnaire_is_used(book: Path) -> None:
    own = book / "policy" / "questionnaires"
    own.mkdir(parents=True)
    (own / "contact.yaml").write_text(textwrap.dedent("""\
        id: contact
        title: Tell us how we did
        source: the service's own
        questions:
          - {id: satisfaction, text: How satisfied are you overall?, type: scale, source: own}
          - {id: leaflet, text: Did our leaflet help you?, type: yes-no, source: own}
        """), encoding="utf-8")
    text = seen(form(book, "V-0001"))
    assert "Did our leaflet help you?" in text and "Tell us how we did" in text
    assert "Did you feel listened to" not in text


def test_the_form_is_logged_as_sent_once(book: Path) -> None:
    first = rj(book, "letter", "feedback-form", "V-0001")
    assert first.exit_code == 0, first.output  # type: ignore[attr-defined]
    assert "Logged on V-0001: feedback-form letter sent." in plain(first.output)  # type: ignore[attr-defined]
    again = rj(book, "letter", "feedback-form", "V-0001", "--format", "txt")
    assert again.exit_code == 0
    assert "Logged on" not in plain(again.output)  # type: ignore[attr-defined]
    data = yamlio.parse_text((book / "victims" / "V-0001.yaml").read_text(encoding="utf-8"))
    assert [c.get("letter") for c in data["contacts"]] == ["feedback-form"]


@pytest.mark.parametrize("fmt", ["md", "txt", "html", "docx", "pdf"])
def test_the_form_is_written_in_every_format(book: Path, fmt: str) -> None:
    if fmt == "pdf" and not (shutil.which("soffice") and shutil.which("pdftotext")):
        pytest.skip("LibreOffice and poppler are needed for a PDF")
    raw = form(book, "V-0001", fmt)
    text = seen(raw)
    assert "Did you feel listened to, and that your views were taken into account?" in text
    assert "Civic Offices" in text and "Our reference: V-0001" in text
    assert "Very dissatisfied" in text
    if fmt == "pdf":  # the part sent back starts a page; no later page shows the reference
        first, *later = [seen(page) for page in raw.split("\f") if page.strip()]
        assert "Our reference: V-0001" in first and RETURN_PART not in first
        assert later and later[0].startswith(RETURN_PART), later[0][:80]
        assert all("V-0001" not in page and "Alex" not in page for page in later)
    if fmt == "html":  # printed, the part sent back starts a new page
        assert "hr + h2 { page-break-before: always; }" in raw


def test_the_closure_letter_encloses_the_feedback_form_it_names(book: Path) -> None:
    closure = rj(book, "letter", "closure", "V-0001", "--draft", "--format", "txt",
                 "--out", str(book.parent / "closure.txt"))
    assert closure.exit_code == 0, closure.output  # type: ignore[attr-defined]
    letter = seen((book.parent / "closure.txt").read_text(encoding="utf-8"))
    text = seen(form(book, "V-0001"))
    assert "feedback form and a reply envelope" in letter
    assert "feedback form" in text.lower() and "reply envelope" in text
    assert "used without your name" in letter and "used without your name" in text


# --- Welsh ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["contact", "conference"])
def test_every_question_has_welsh_wording(kind: str) -> None:
    """The form prints the title and each question (``help`` is the worker's hint at the
    terminal, not printed)."""
    data = yamlio.parse_text((ROOT / "policy" / "questionnaires" / f"{kind}.yaml")
                             .read_text(encoding="utf-8"))
    assert data.get("title_cy")
    for q in questions(kind):
        assert q.get("text_cy"), q["id"]


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_the_form_in_welsh_asks_the_welsh_questions(book: Path, fmt: str) -> None:
    text = seen(form(book, "V-0001", fmt, "--language", "cy"))
    for q in questions("contact"):
        assert " ".join(q["text_cy"].split()) in text, q["id"]
        assert " ".join(q["text"].split()) not in text, q["id"]
    assert "Ein cyfeirnod: V-0001" in text and "Civic Offices" in text
    assert "Our reference" not in text and "Very satisfied" not in text


def test_the_form_in_both_languages_asks_in_welsh_then_english(book: Path) -> None:
    text = seen(form(book, "V-0001", "md", "--language", "both"))
    first = questions("contact")[1]
    assert text.index(" ".join(first["text_cy"].split())) < text.index(first["text"])


def test_a_questionnaire_without_welsh_wording_is_not_written_in_welsh(book: Path) -> None:
    own = book / "policy" / "questionnaires"
    own.mkdir(parents=True)
    (own / "contact.yaml").write_text(textwrap.dedent("""\
        id: contact
        title: Tell us how we did
        title_cy: Dywedwch wrthym sut wnaethom ni
        source: the service's own
        questions:
          - {id: satisfaction, text: How satisfied are you overall?, type: scale, source: own,
             text_cy: Pa mor fodlon ydych chi ar y cyfan?}
          - {id: leaflet, text: Did our leaflet help you?, type: yes-no, source: own}
        """), encoding="utf-8")
    result = rj(book, "letter", "feedback-form", "V-0001", "--language", "cy")
    assert result.exit_code == 8, result.output  # type: ignore[attr-defined]
    said = plain(result.output)  # type: ignore[attr-defined]
    assert "leaflet" in said and "text_cy" in said
    assert not list((book / "output").rglob("*feedback-form*"))
