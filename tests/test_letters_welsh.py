"""Letters in Welsh (issue 21): ``templates/cy/``, ``--language en|cy|both``, the victim's
``language``, and dates in Welsh (``rjcli.core.welsh``).

Every kind is written in Welsh and in both languages for an adult, an under-18 victim
with a parent, an organisation and a family victim; no fixed sentence of an English
template may be left in a Welsh letter.
"""

from __future__ import annotations

import io
import re
import textwrap
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from conftest import invoke, json_of, plain

from rjcli.core import letterkinds
from rjcli.core.welsh import (
    MONTHS,
    WEEKDAYS,
    date_from_uk,
    time_from_uk,
    weekday_from_english,
    welsh_date,
    welsh_day_date,
    welsh_from_uk,
    welsh_time,
)
from rjcli.core.welsh_letters import LanguageError, conjoined, letter_languages
from rjcli.storage import yamlio

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-04-13"
"""A Monday: the reply-by day is Monday 20 April 2026 (dydd Llun 20 Ebrill 2026)."""
WORKER = "Sam Worker"

RJ_YAML = """\
service:
  name: Exampletown Youth Justice Service
  address:
    lines: [Civic Offices, High Street, Exampletown]
    postcode: XE1 1AA
  phone: "01632 960000"
  email: victims@example.org
  complaints: >-
    To make a complaint, write to the Service Manager at the address above,
    or phone 01632 960000.
  cy:
    complaints: >-
      I wneud cwyn, ysgrifennwch at Reolwr y Gwasanaeth yn y cyfeiriad uchod,
      neu ffoniwch 01632 960000.
staff:
  - {name: Sam Worker, role: rj-worker, phone: "01632 960123", email: sam.worker@example.org}
calendar:
  region: wales
git:
  autocommit: false
"""

WORK = """\
offers:
  - {id: 01J00000000000000000000101, option: letter-of-explanation, status: accepted,
     date: 2026-04-03}
  - {id: 01J00000000000000000000102, option: progress-updates, status: completed,
     date: 2026-04-10}
progress_request:
  date: 2026-04-03
  what: whether the reparation work is finished
  how: letter
  until: 2026-10-31
conferences:
  - id: 01J00000000000000000000103
    kind: conference
    date: 2026-04-08
    venue: Exampletown Community Centre
    status: held
    agreement:
      - {id: 01J00000000000000000000104, n: 1, action: Write a letter of apology,
         who: the family, due: 2026-04-30, status: open}
  - {id: 01J00000000000000000000105, kind: conference, date: 2026-05-12, status: planned}
contacts:
  - {id: 01J00000000000000000000106, at: "2026-04-02 10:00", method: letter,
     outcome: sent, letter: initial}
"""

VICTIMS = {
    "adult": """\
        id: V-0001
        kind: individual
        name: Alex Example
        title: Mx
        offence_category: criminal-damage
        address: {lines: [1 Example Road, Exampletown], postcode: XE1 2BB}
        children: [{child: C-0001, offence: criminal damage to a car}]
        referral: {stage: post-sentence, disposal: referral-order, allocated: 2026-04-01,
                   worker: Sam Worker}
        consents:
          - {id: 01J00000000000000000000001, kind: contact, answer: "yes", date: 2026-04-01}
        status_history:
          - {id: 01J00000000000000000000002, date: 2026-04-01, status: open}
        """,
    "under-18": """\
        id: V-0002
        kind: under-18
        name: Riley Example
        address: {lines: [2 Example Road, Exampletown], postcode: XE1 2BC}
        parent_guardian: {name: Morgan Example, relationship: mother}
        offence_for_letters: the theft of your child's bicycle
        offence_for_letters_cy: dwyn beic eich plentyn
        children: [{child: C-0002, offence: theft of a bicycle}]
        referral: {stage: pre-court, disposal: youth-caution, allocated: 2026-04-01,
                   worker: Sam Worker}
        consents:
          - {id: 01J00000000000000000000011, kind: contact, answer: "yes", date: 2026-04-01}
        status_history:
          - {id: 01J00000000000000000000012, date: 2026-04-01, status: open}
        """,
    "organisation": """\
        id: V-0003
        kind: corporate
        name: Example Stores Ltd
        representative: {name: Dana Manager, role: Store Manager}
        offence_category: theft
        address: {lines: [Unit 4, Market Street, Exampletown], postcode: XE1 3CD}
        children: [{child: C-0001, offence: shoplifting}]
        referral: {stage: pre-sentence, disposal: psr-requested, allocated: 2026-04-01,
                   worker: Sam Worker}
        consents:
          - {id: 01J00000000000000000000021, kind: contact, answer: "yes", date: 2026-04-01}
        status_history:
          - {id: 01J00000000000000000000022, date: 2026-04-01, status: open}
        """,
    "family": """\
        id: V-0004
        kind: family-or-carer
        name: Pat Householder
        offence_category: criminal-damage
        address: {lines: [7 Sample Street, Exampletown], postcode: XE1 9ZY}
        children: [{child: C-0001, offence: damage to the family home}]
        referral: {stage: post-sentence, disposal: yro, allocated: 2026-04-01,
                   worker: Sam Worker}
        best_placed: {date: 2026-04-02, who: rj-worker, case_holder: Casey Holder}
        consents:
          - {id: 01J00000000000000000000031, kind: contact, answer: "yes", date: 2026-04-01}
        status_history:
          - {id: 01J00000000000000000000032, date: 2026-04-01, status: open}
        """,
}
VICTIM_IDS = {"adult": "V-0001", "under-18": "V-0002", "organisation": "V-0003",
              "family": "V-0004"}

CHILDREN = {
    "C-0001": """\
        id: C-0001
        name: Jordan Testchild
        dob: 2010-05-03
        case_holder: Casey Holder
        address: {lines: [9 Sample Street, Exampletown], postcode: XE1 9ZZ}
        parent_carer: {name: Ellis Testchild, relationship: father}
        disposal: referral-order
        victims:
          - {ref: V-0001, label: Victim 1}
          - {ref: V-0003, label: Victim 2}
          - {ref: V-0004, label: Victim 3}
        status_history:
          - {id: 01J00000000000000000000041, date: 2026-03-20, status: open}
        """,
    "C-0002": """\
        id: C-0002
        name: Kit Permitted
        dob: 2009-11-21
        address: {lines: [3 Sample Street, Exampletown], postcode: XE1 9ZX}
        parent_carer: {name: Robin Permitted, relationship: mother}
        disposal: youth-caution
        victims: [{ref: V-0002, label: Victim 1}]
        consents:
          - {id: 01J00000000000000000000051, kind: share-details-with-victim, answer: "yes",
             date: 2026-04-07, source: signed form}
        status_history:
          - {id: 01J00000000000000000000052, date: 2026-03-25, status: open}
        """,
}


def write_casebook(root: Path, rj_yaml: str = RJ_YAML) -> Path:
    (root / "victims").mkdir(parents=True)
    (root / "children").mkdir()
    (root / "rj.yaml").write_text(rj_yaml, encoding="utf-8")
    for text in VICTIMS.values():
        body = textwrap.dedent(text) + WORK
        record_id = re.search(r"^id: (\S+)", body, re.M).group(1)  # type: ignore[union-attr]
        (root / "victims" / f"{record_id}.yaml").write_text(body, encoding="utf-8")
    for record_id, text in CHILDREN.items():
        (root / "children" / f"{record_id}.yaml").write_text(textwrap.dedent(text),
                                                             encoding="utf-8")
    from rjcli.storage.permissions import tighten_and_stamp

    tighten_and_stamp(root)
    return root


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return write_casebook(tmp_path / "casebook")


def rj(book: Path, *args: str, today: str = TODAY) -> object:
    return invoke(*args, casebook=book, today=today, worker=WORKER)


def written(book: Path, result: object) -> Path:
    """The file a ``rj letter`` run says it wrote."""
    found = re.search(r"Wrote (\S+\.(?:md|txt|html|docx))\b", plain(result.output))  # type: ignore[attr-defined]
    assert found, result.output  # type: ignore[attr-defined]
    return book / found.group(1)


def split_both(text: str) -> tuple[str, str]:
    """The Welsh and the English of a ``--language both`` Markdown letter: divided by the
    last dividing line before the English letterhead's "Telephone:" (parent-consent has
    its own line, before its slip)."""
    cut = text.rfind("\n---\n", 0, text.index("Telephone: "))
    assert cut > 0, text
    return text[:cut], text[cut + len("\n---\n"):]


def kinds_for(who: str) -> list[str]:
    """The victim letter kinds a victim of this kind is written (parent-consent: under 18)."""
    return [k.name for k in letterkinds.KINDS
            if k.record == "victim" and (k.name != "parent-consent" or who == "under-18")]


def options_for(kind: str) -> list[str]:
    """The outcome agreement: the child's copy, the one that must show nothing of the victim
    (the victim's copy: tests/test_letters_copies.py)."""
    if kind == "outcome-agreement":
        return ["--copy", "child"]
    return ["--note", "The reparation work is finished."] if kind in ("update",
                                                                      "panel-statement") else []


# --- the English template's fixed sentences ----------------------------------------------

_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_ENGLISH_WORDS = ("Our reference", "Dear ", "Yours sincerely", "Telephone:", "E-mail:",
                  "Enclosed:", "Signed:", "Date:", "young person", "April", "Monday")
"""Words rj prints in an English letter, whichever template: none may be in a Welsh one."""


def english_sentences(kind: str) -> list[str]:
    """Every fixed sentence (3 words or more of plain text between template tags) of the
    English template of ``kind`` and of the partials it includes."""
    folder = ROOT / "templates"
    source = (folder / f"{kind}.md.j2").read_text(encoding="utf-8")
    for partial in sorted(folder.glob("_*.md.j2")):
        source += "\n" + partial.read_text(encoding="utf-8")
    pieces = []
    for chunk in _JINJA.split(source):
        for piece in re.split(r"[.:!?\n()]", chunk):
            piece = " ".join(piece.replace("**", "").replace("#", "").strip(" -[]").split())
            if len(piece.split()) >= 3:
                pieces.append(piece)
    return pieces


def english_left_in(text: str, kind: str) -> list[str]:
    folded = " ".join(text.split())
    return ([s for s in english_sentences(kind) if s in folded]
            + [w for w in _ENGLISH_WORDS if w in folded])


def test_the_english_sentences_are_found_in_an_english_letter(book: Path) -> None:
    """The check below can fail: each English letter holds its template's sentences."""
    for kind in kinds_for("adult"):
        result = rj(book, "letter", kind, "V-0001", "--draft", "--language", "en",
                    *options_for(kind))
        assert result.exit_code == 0, result.output
        text = written(book, result).read_text(encoding="utf-8")
        assert len(english_left_in(text, kind)) >= 3, (kind, english_left_in(text, kind))


# --- every kind, every victim, Welsh and both --------------------------------------------


@pytest.mark.parametrize("who", list(VICTIMS))
def test_every_kind_is_written_in_welsh_for_every_victim(book: Path, who: str) -> None:
    victim = VICTIM_IDS[who]
    for kind in kinds_for(who):
        result = rj(book, "letter", kind, victim, "--draft", "--language", "cy",
                    *options_for(kind))
        assert result.exit_code == 0, (kind, result.output)
        text = written(book, result).read_text(encoding="utf-8")
        assert english_left_in(text, kind) == [], (kind, english_left_in(text, kind))
        # the child's copy of the outcome agreement: no victim reference
        shared = letterkinds.KINDS[letterkinds.KIND_NAMES.index(kind)].shared
        assert ("Ein cyfeirnod: " + victim in text) != shared, kind
        assert "13 Ebrill 2026" in text, kind
        if letterkinds.KINDS[letterkinds.KIND_NAMES.index(kind)].layout == "letter":
            assert "Annwyl " in text and "Yn gywir" in text, kind
        if who == "family":  # never the offence to the child's own household (Somerset 6.6)
            assert "difrod troseddol" not in text, kind


@pytest.mark.parametrize("who", list(VICTIMS))
def test_every_kind_is_written_in_welsh_then_english_for_every_victim(
        book: Path, who: str) -> None:
    victim = VICTIM_IDS[who]
    for kind in kinds_for(who):
        result = rj(book, "letter", kind, victim, "--draft", "--language", "both",
                    *options_for(kind))
        assert result.exit_code == 0, (kind, result.output)
        text = written(book, result).read_text(encoding="utf-8")
        welsh, english = split_both(text)
        assert english_left_in(welsh, kind) == [], (kind, english_left_in(welsh, kind))
        shared = letterkinds.KINDS[letterkinds.KIND_NAMES.index(kind)].shared
        assert ("Ein cyfeirnod: " + victim in welsh) != shared, kind
        assert ("Our reference: " + victim in english) != shared, kind
        assert text.index("Ffôn: ") < text.index("Telephone: "), kind
        assert len(english_left_in(english, kind)) >= 3, kind


@pytest.mark.parametrize("fmt", ["txt", "html", "docx"])
def test_every_kind_is_written_in_welsh_and_both_in_each_format(book: Path, fmt: str) -> None:
    from rjcli.render.letters import docx_text

    for language in ("cy", "both"):
        for kind in kinds_for("under-18"):
            result = rj(book, "letter", kind, "V-0002", "--draft", "--language", language,
                        "--format", fmt, *options_for(kind))
            assert result.exit_code == 0, (kind, language, result.output)
            path = written(book, result)
            assert path.suffix == f".{fmt}"
            data = path.read_bytes()
            text = docx_text(data) if fmt == "docx" else data.decode("utf-8")
            assert "Ffôn: " in text and "Ebrill 2026" in text, (kind, language)
            assert ("Telephone: " in text) == (language == "both"), (kind, language)
            if language == "both":
                assert text.index("Ffôn: ") < text.index("Telephone: ")
            else:
                assert english_left_in(text, kind) == [], (kind, english_left_in(text, kind))


def test_a_bilingual_web_page_marks_each_language_and_starts_the_english_on_a_new_page(
        book: Path) -> None:
    result = rj(book, "letter", "initial", "V-0001", "--draft", "--language", "both",
                "--format", "html")
    page = written(book, result).read_text(encoding="utf-8")
    assert '<html lang="cy">' in page
    assert page.index('<div lang="cy">') < page.index(
        '<div lang="en-GB" class="next-language" style="break-before: page">')
    assert "break-before: page" in page
    assert "<title>Llythyr cyswllt cyntaf / Initial contact letter</title>" in page


def test_a_bilingual_word_letter_puts_the_english_in_a_section_of_its_own(
        book: Path) -> None:
    # the English once followed a page break in the Welsh section, under its furniture
    from docx import Document
    from docx.enum.section import WD_SECTION

    result = rj(book, "letter", "closure", "V-0001", "--draft", "--language", "both",
                "--format", "docx")
    document = Document(io.BytesIO(written(book, result).read_bytes()))
    texts = [p.text for p in document.paragraphs]
    welsh = texts.index("Cau'r achos")
    english = texts.index("Closing the case")
    assert welsh < english
    assert len(document.sections) == 2
    assert document.sections[1].start_type == WD_SECTION.NEW_PAGE  # a new page, no blank one
    assert not [p for p in document.paragraphs if 'w:type="page"' in p._p.xml]
    # Welsh is the document's language; the English text is marked as English
    assert document.core_properties.language == "cy-GB"
    english_run = document.paragraphs[english].runs[0]._r
    assert english_run.xpath("./w:rPr/w:lang/@w:val") == ["en-GB"]
    assert document.paragraphs[welsh].runs[0]._r.xpath("./w:rPr/w:lang/@w:val") == []


def _furniture(part: object) -> str:
    """A header's or footer's text, its fields' codes included ("Page PAGE of NUMPAGES")."""
    xml = part._element.xml  # type: ignore[attr-defined]
    return " ".join(re.findall(r"<w:(?:t|instrText)[^>]*>([^<]*)<", xml))


def test_each_language_of_a_bilingual_word_letter_has_its_own_page_furniture(
        book: Path) -> None:
    from docx import Document

    result = rj(book, "letter", "closure", "V-0001", "--draft", "--language", "both",
                "--format", "docx")
    welsh, english = Document(io.BytesIO(written(book, result).read_bytes())).sections
    for section in (welsh, english):
        assert not section.header.is_linked_to_previous
        assert not section.footer.is_linked_to_previous
        assert section.different_first_page_header_footer
    assert "Ein cyfeirnod: V-0001" in _furniture(welsh.header)
    assert "Our reference: V-0001" in _furniture(english.header)
    for part in (welsh.footer, welsh.first_page_footer):
        assert "Tudalen" in _furniture(part) and "Page" not in _furniture(part)
    for part in (english.footer, english.first_page_footer):
        assert "Page" in _furniture(part) and "Tudalen" not in _furniture(part)
    assert "Ein cyfeirnod" not in _furniture(english.header)
    assert english.header.paragraphs[0].runs[0]._r.xpath("./w:rPr/w:lang/@w:val") == ["en-GB"]


def test_a_child_letter_is_written_in_welsh_with_the_day_and_time_in_welsh(book: Path) -> None:
    result = rj(book, "letter", "child-appointment", "C-0001", "--draft", "--language", "cy",
                "--at", "15/06/2026 16:00", "--venue", "Youth Justice Office, High Street")
    assert result.exit_code == 0, result.output
    text = written(book, result).read_text(encoding="utf-8")
    assert "**Dydd Llun 15 Mehefin 2026 am 4yh, Youth Justice Office, High Street**" in text
    assert "Annwyl Jordan Testchild ac Ellis Testchild" in text
    assert english_left_in(text, "child-appointment") == []
    both = rj(book, "letter", "child-appointment", "C-0001", "--draft", "--language", "both",
              "--at", "15/06/2026 12:00", "--venue", "Youth Justice Office, High Street")
    text = written(book, both).read_text(encoding="utf-8")
    assert "am hanner dydd" in text and "Monday 15 June 2026 at 12 noon" in text
    assert text.index("Dydd Llun") < text.index("Monday")


# --- dates in the letters ----------------------------------------------------------------


def test_welsh_letters_print_their_dates_and_the_reply_by_day_in_welsh(book: Path) -> None:
    def welsh(kind: str, victim: str = "V-0001", *more: str) -> str:
        result = rj(book, "letter", kind, victim, "--draft", "--language", "cy", *more)
        assert result.exit_code == 0, result.output
        return " ".join(written(book, result).read_text(encoding="utf-8").split())

    initial = welsh("initial")
    assert "\n13 Ebrill 2026" not in initial and "13 Ebrill 2026 Ein cyfeirnod" in initial
    assert "Cysylltwch â mi erbyn **dydd Llun 20 Ebrill 2026**" in initial
    assert "Ysgrifennais atoch ar 2 Ebrill 2026" in welsh("final")
    agreement = welsh("outcome-agreement", "V-0001", "--copy", "victim")
    assert "ar 8 Ebrill 2026 (lleoliad: Exampletown Community Centre)" in agreement
    assert "(pwy: the family; erbyn 30 Ebrill 2026)" in agreement
    assert "Ar gyfer y cyfarfod cyfiawnder adferol ar 12 Mai 2026" in welsh(
        "confidentiality-agreement")
    assert "Gofynnoch am gael diweddariadau tan 31 Hydref 2026" in welsh(
        "update", "V-0001", "--note", "Done.")
    assert "erbyn **dydd Llun 20 Ebrill 2026**" in welsh("parent-consent", "V-0002")


def test_the_reply_by_day_skips_a_welsh_bank_holiday(book: Path) -> None:
    """Good Friday (3 April) and Easter Monday (6 April 2026) are bank holidays in Wales:
    five working days from Thursday 2 April is Monday 13 April."""
    result = rj(book, "letter", "initial", "V-0001", "--draft", "--language", "cy",
                today="2026-04-02")
    text = written(book, result).read_text(encoding="utf-8")
    assert "erbyn **dydd Llun 13 Ebrill 2026**" in text


# --- choosing the language ---------------------------------------------------------------


def test_an_unknown_language_is_refused_with_the_accepted_ones(book: Path) -> None:
    result = rj(book, "letter", "initial", "V-0001", "--language", "xx")
    assert result.exit_code != 0
    assert "--language 'xx' is not one of: en, cy, both" in plain(result.output)
    assert not (book / "output" / "letters").exists()
    assert len(yamlio.read_fast(book / "victims" / "V-0001.yaml")["contacts"]) == 1


def test_the_victims_language_chooses_welsh_and_language_en_overrides_it(book: Path) -> None:
    path = book / "victims" / "V-0001.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "language: cy\n", encoding="utf-8")
    welsh = written(book, rj(book, "letter", "initial", "V-0001", "--draft"))
    assert "Annwyl Mx Example" in welsh.read_text(encoding="utf-8")
    english = written(book, rj(book, "letter", "final", "V-0001", "--draft", "--language",
                               "en"))
    text = english.read_text(encoding="utf-8")
    assert "Dear Mx Example" in text and "Annwyl" not in text


def test_a_language_the_record_does_not_know_is_refused(book: Path) -> None:
    path = book / "victims" / "V-0001.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "language: fr\n", encoding="utf-8")
    result = rj(book, "letter", "initial", "V-0001", "--draft")
    assert result.exit_code != 0
    assert "'fr' is not one of: en, cy" in plain(result.output)
    assert not (book / "output" / "letters").exists()
    check = rj(book, "check")
    assert "victims/V-0001.yaml:" in plain(check.output)
    assert "language: 'fr' is not one of ['en', 'cy']" in plain(check.output)


def test_a_bilingual_letter_is_logged_once(book: Path) -> None:
    result = rj(book, "letter", "closure", "V-0001", "--language", "both", "--json")
    assert result.exit_code == 0, result.output
    data = json_of(result)
    assert data["recorded"] is True and data["languages"] == ["cy", "en"]
    contacts = yamlio.read_fast(book / "victims" / "V-0001.yaml")["contacts"]
    sent = [c for c in contacts if c.get("letter") == "closure"]
    assert len(sent) == 1
    assert sent[0]["note"] == "Closure letter; in Welsh and English"
    assert sent[0]["file"] == data["file"]
    assert len(list((book / "output" / "letters").iterdir())) == 1


def test_a_welsh_letter_needs_the_services_welsh_complaints_route(tmp_path: Path) -> None:
    rj_yaml = re.sub(r"  cy:\n(    .*\n)+", "", RJ_YAML)
    book = write_casebook(tmp_path / "casebook", rj_yaml)
    result = rj(book, "letter", "initial", "V-0001", "--draft", "--language", "both")
    assert result.exit_code != 0
    assert "how to complain, in Welsh (service.cy.complaints in rj.yaml)" in plain(
        result.output)
    assert not (book / "output" / "letters").exists()
    assert rj(book, "letter", "initial", "V-0001", "--draft").exit_code == 0
    assert rj(book, "letter", "closure", "V-0001", "--draft", "--language", "cy"
              ).exit_code == 0  # a letter that does not print it is written


def test_the_services_welsh_name_letterhead_and_sign_off_are_used(tmp_path: Path) -> None:
    rj_yaml = RJ_YAML.replace("  cy:\n", "  cy:\n    name: Gwasanaeth Cyfiawnder Ieuenctid "
                              "Exampletown\n    sign_off: Yr eiddoch yn gywir\n")
    book = write_casebook(tmp_path / "casebook", rj_yaml)
    both = written(book, rj(book, "letter", "initial", "V-0001", "--draft", "--language",
                            "both")).read_text(encoding="utf-8")
    welsh, english = split_both(both)
    assert welsh.startswith("Gwasanaeth Cyfiawnder Ieuenctid Exampletown  \nCivic Offices")
    assert "lleol, Gwasanaeth Cyfiawnder Ieuenctid Exampletown." in welsh
    assert "Yr eiddoch yn gywir" in welsh and "Yours sincerely" in english
    assert english.lstrip().startswith("Exampletown Youth Justice Service")


def test_a_casebooks_own_welsh_template_wins_and_english_ones_do_not_reach_welsh(
        book: Path) -> None:
    (book / "templates" / "cy").mkdir(parents=True)
    (book / "templates" / "_letterhead.md.j2").write_text("ENGLISH PAPER\n", encoding="utf-8")
    (book / "templates" / "cy" / "_letterhead.md.j2").write_text("PAPUR CYMRAEG\n",
                                                               encoding="utf-8")
    (book / "templates" / "cy" / "closure.md.j2").write_text(
        "{% include \"_letter_top.md.j2\" %}\n\nLlythyr y gwasanaeth ei hun.\n",
        encoding="utf-8")
    both = written(book, rj(book, "letter", "closure", "V-0001", "--draft", "--language",
                            "both")).read_text(encoding="utf-8")
    welsh, english = split_both(both)
    assert welsh.startswith("PAPUR CYMRAEG") and "Llythyr y gwasanaeth ei hun." in welsh
    assert "ENGLISH PAPER" not in welsh
    assert english.lstrip().startswith("ENGLISH PAPER") and "Closing the case" in english
    final = written(book, rj(book, "letter", "final", "V-0001", "--draft", "--language", "cy"))
    assert final.read_text(encoding="utf-8").startswith("PAPUR CYMRAEG")
    listed = {row["kind"]: row for row in json_of(rj(book, "letter", "list", "--json"))}
    assert listed["closure"]["cy_template"] == "casebook: templates/cy/closure.md.j2"
    assert listed["closure"]["template"] == "rj: templates/closure.md.j2"
    assert listed["final"]["cy_template"] == "rj: templates/cy/final.md.j2"
    assert listed["final"]["cy_docx_template"] == "rj: templates/cy/docx/final.docx"


def test_a_welsh_initial_letter_that_raises_a_meeting_is_refused(book: Path) -> None:
    (book / "templates" / "cy").mkdir(parents=True)
    shipped = (ROOT / "templates" / "cy" / "initial.md.j2").read_text(encoding="utf-8")
    (book / "templates" / "cy" / "initial.md.j2").write_text(
        shipped.replace("Gallwn gynnig:", "Gallwn gynnig cynhadledd:"), encoding="utf-8")
    result = rj(book, "letter", "initial", "V-0001", "--draft", "--language", "cy")
    assert result.exit_code != 0
    assert "the initial letter mentions 'cynhadledd'" in plain(result.output)


def test_the_welsh_word_templates_are_made_from_the_welsh_markdown_ones() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_defaults_cy", ROOT / "templates" / "cy" / "docx" / "make_defaults.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    builder = module.builder()
    for kind in builder.kinds():
        # if this fails: python templates/cy/docx/make_defaults.py
        assert (ROOT / "templates" / "cy" / "docx" / f"{kind}.docx").read_bytes() == \
            builder.build(kind), kind
    english = {p.name for p in (ROOT / "templates").glob("*.md.j2")}
    assert {p.name for p in (ROOT / "templates" / "cy").glob("*.md.j2")} == english


# --- the pure functions ------------------------------------------------------------------


def test_welsh_month_names() -> None:
    assert [welsh_date(date(2026, m, 1)) for m in range(1, 13)] == [
        "1 Ionawr 2026", "1 Chwefror 2026", "1 Mawrth 2026", "1 Ebrill 2026", "1 Mai 2026",
        "1 Mehefin 2026", "1 Gorffennaf 2026", "1 Awst 2026", "1 Medi 2026", "1 Hydref 2026",
        "1 Tachwedd 2026", "1 Rhagfyr 2026"]
    assert len(MONTHS) == 12


def test_welsh_day_names() -> None:
    monday = date(2026, 6, 15)
    assert [welsh_day_date(monday + timedelta(days=n)) for n in range(7)] == [
        "Dydd Llun 15 Mehefin 2026", "Dydd Mawrth 16 Mehefin 2026",
        "Dydd Mercher 17 Mehefin 2026", "Dydd Iau 18 Mehefin 2026",
        "Dydd Gwener 19 Mehefin 2026", "Dydd Sadwrn 20 Mehefin 2026",
        "Dydd Sul 21 Mehefin 2026"]
    assert welsh_day_date(monday, in_sentence=True) == "dydd Llun 15 Mehefin 2026"
    assert [weekday_from_english(d) for d in ("Monday", "Sunday")] == ["Dydd Llun",
                                                                       "Dydd Sul"]
    assert len(WEEKDAYS) == 7


def test_welsh_times() -> None:
    assert [welsh_time(time(h, m)) for h, m in ((9, 0), (10, 30), (12, 0), (12, 15),
                                                (16, 0), (0, 5))] == [
        "9yb", "10:30yb", "hanner dydd", "12:15yh", "4yh", "12:05yb"]
    assert [time_from_uk(t) for t in ("4pm", "4:30pm", "12 noon", "9am", None)] == [
        "4yh", "4:30yh", "hanner dydd", "9yb", None]
    with pytest.raises(ValueError, match="'16:00' is not a time"):
        time_from_uk("16:00")


def test_an_english_letter_date_in_welsh() -> None:
    assert welsh_from_uk("13 April 2026") == "13 Ebrill 2026"
    assert welsh_from_uk("29 February 2028") == "29 Chwefror 2028"
    assert welsh_from_uk(None) is None
    assert date_from_uk("31 April 2026") is None and date_from_uk("13 Avril 2026") is None
    for wrong in ("2026-04-13", "13 April 2026 ", "Monday 13 April 2026", "31 April 2026"):
        if wrong.strip() == "13 April 2026":
            assert welsh_from_uk(wrong) == "13 Ebrill 2026"
            continue
        with pytest.raises(ValueError, match="is not a date written as"):
            welsh_from_uk(wrong)
    with pytest.raises(ValueError):
        weekday_from_english("Lundi")


def test_the_language_of_a_letter() -> None:
    assert letter_languages(None, None) == ("en",)
    assert letter_languages(None, "cy") == ("cy",)
    assert letter_languages("en", "cy") == ("en",)
    assert letter_languages("both", None) == ("cy", "en")
    with pytest.raises(LanguageError, match="--language 'xx' is not one of: en, cy, both"):
        letter_languages("xx", None)
    with pytest.raises(LanguageError, match="'welsh' is not one of: en, cy"):
        letter_languages(None, "welsh")


def test_names_are_joined_with_a_or_ac() -> None:
    assert conjoined(["Pat Testchild", "Jordan Testchild"]) == "Pat Testchild a Jordan Testchild"
    assert conjoined(["Jordan", "Ellis"]) == "Jordan ac Ellis"
    assert conjoined(["Jordan"]) == "Jordan" and conjoined([]) == ""


# --- the offence and the signatures in Welsh ---------------------------------------------


def test_a_welsh_letter_names_the_offence_in_welsh_words(book: Path) -> None:
    def initial(victim: str) -> str:
        result = rj(book, "letter", "initial", victim, "--draft", "--language", "cy")
        assert result.exit_code == 0, result.output
        return written(book, result).read_text(encoding="utf-8")

    assert "ynghylch y drosedd yn eich erbyn (difrod troseddol)." in initial("V-0001")
    assert "yn erbyn Riley (dwyn beic eich plentyn)." in initial("V-0002")
    assert "yn erbyn eich sefydliad (lladrad)." in initial("V-0003")
    family = initial("V-0004")
    assert "ynghylch y drosedd yn eich erbyn." in family and "difrod" not in family


def test_english_words_for_the_offence_are_not_printed_in_a_welsh_letter(book: Path) -> None:
    path = book / "victims" / "V-0002.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "        offence_for_letters_cy: dwyn beic eich plentyn\n", "").replace(
        "offence_for_letters_cy: dwyn beic eich plentyn\n", ""), encoding="utf-8")
    result = rj(book, "letter", "initial", "V-0002", "--draft", "--language", "cy")
    assert result.exit_code != 0
    assert ("the offence in Welsh words (offence_for_letters_cy in victims/V-0002.yaml): "
            "offence_for_letters is 'the theft of your child's bicycle'") in plain(result.output)
    assert not (book / "output" / "letters").exists()
    english = rj(book, "letter", "initial", "V-0002", "--draft")
    assert "(the theft of your child's bicycle)" in written(book, english).read_text(
        encoding="utf-8")


def test_welsh_forms_have_a_welsh_signature_line_for_each_party(book: Path) -> None:
    def form(kind: str, victim: str) -> str:
        result = rj(book, "letter", kind, victim, "--draft", "--language", "cy",
                    *options_for(kind))
        assert result.exit_code == 0, result.output
        return " ".join(written(book, result).read_text(encoding="utf-8").split())

    line = "Llofnod: ........................................ Dyddiad: ...................."
    consent = form("consent-form", "V-0002")
    assert f"Riley Example {line}" in consent
    assert (f"Rwy'n cytuno y caiff Riley gymryd rhan. Rhiant neu warcheidwad: Morgan Example "
            f"{line}") in consent
    assert f"Sam Worker, ar ran Exampletown Youth Justice Service {line}" in consent
    assert f"Dana Manager, ar ran Example Stores Ltd {line}" in form(
        "confidentiality-agreement", "V-0003")
    agreement = form("outcome-agreement", "V-0001")
    for label in ("Y person a gafodd ei niweidio", "Y person ifanc",
                  "Rhiant neu ofalwr y person ifanc", "Hwylusydd: Sam Worker"):
        assert f"{label} {line}" in agreement, label
    assert "V-0001" not in agreement and "Ein cyfeirnod: C-0001" in agreement
    assert f"Ar ran y sefydliad a gafodd ei niweidio {line}" in form("outcome-agreement",
                                                                     "V-0003")
    assert f"Rhiant neu warcheidwad y person a gafodd ei niweidio {line}" in form(
        "outcome-agreement", "V-0002")


def test_a_recorded_greeting_is_put_into_welsh_or_refused(book: Path) -> None:
    path = book / "victims" / "V-0001.yaml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original + "salutation: Dear Alex\n", encoding="utf-8")
    welsh = rj(book, "letter", "initial", "V-0001", "--draft", "--language", "cy")
    assert "\nAnnwyl Alex\n" in written(book, welsh).read_text(encoding="utf-8")
    path.write_text(original + "salutation: Hello Alex\n", encoding="utf-8")
    refused = rj(book, "letter", "final", "V-0001", "--draft", "--language", "cy")
    assert refused.exit_code != 0
    assert "a Welsh greeting: the salutation recorded is 'Hello Alex'" in plain(refused.output)


def test_a_bilingual_word_letter_whose_english_header_has_a_picture_is_refused(
        book: Path) -> None:
    # the English part's header now moves with it: a picture there cannot move safely
    import base64

    from docx import Document

    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8"
                           "BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
    (book / "templates" / "docx").mkdir(parents=True)
    (book / "picture.png").write_bytes(png)
    document = Document()
    document.sections[0].header.paragraphs[0].add_run().add_picture(str(book / "picture.png"))
    document.add_paragraph("{{ title }}")
    document.save(str(book / "templates" / "docx" / "closure.docx"))
    result = rj(book, "letter", "closure", "V-0001", "--draft", "--language", "both",
                "--format", "docx")
    said = plain(result.output)  # type: ignore[attr-defined]
    assert result.exit_code == 2, said  # type: ignore[attr-defined]
    assert "pictures or links" in said and "--language cy" in said
    assert not list((book / "output").rglob("*closure*"))
    alone = rj(book, "letter", "closure", "V-0001", "--draft", "--format", "docx")
    assert alone.exit_code == 0, alone.output  # type: ignore[attr-defined]
