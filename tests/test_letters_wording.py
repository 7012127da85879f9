"""Letters as a person reads them (issue 21): the salutation, the offence's wording, the
complaints paragraph, signature lines, and the copy of the outcome agreement that goes to
the child and everyone who took part.

Every kind is rendered for an adult, a victim under 18 with a parent, an organisation and
a family victim, in Markdown, plain text and HTML.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from conftest import plain
from test_letters import rj

from rjcli.core import letterkinds

RJ_YAML = """\
service:
  name: Exampletown Youth Justice Service
  address:
    lines: [Civic Offices, High Street, Exampletown]
    postcode: XE1 1AA
  phone: "01632 960000"
  email: victims@example.org
  letterhead: [Exampletown Youth Justice Service]
  complaints: "How to complain: write to the Service Manager at the address above."
staff:
  - {name: Sam Worker, role: rj-worker, phone: "01632 960123", email: sam.worker@example.org}
calendar:
  region: england
git:
  autocommit: false
"""

RAW_NOTES = "(Shop window smashed; pushed over while trying to stop it)"

_COMMON = """\
        consents:
          - {id: 01J000000000000000000000@N@1, kind: contact, answer: "yes", date: 2026-04-01}
        status_history:
          - {id: 01J000000000000000000000@N@2, date: 2026-04-01, status: open}
        offers:
          - {id: 01J000000000000000000000@N@3, option: conference, status: accepted,
             date: 2026-04-03}
        progress_request: {date: 2026-04-03, what: when the order ends, how: letter}
        conferences:
          - id: 01J000000000000000000000@N@4
            kind: conference
            date: 2026-04-08
            venue: Exampletown Community Centre
            status: held
            agreement:
              - {id: 01J000000000000000000000@N@5, n: 1, action: Write a letter of apology,
                 who: the young person, due: 2026-04-30, status: open}
"""



def _common(n: int) -> str:
    """Consent, an accepted option, a held conference with its agreement (ids unique)."""
    return _COMMON.lstrip().replace("@N@", str(n))


RECORDS = {
    # an adult with a title; the offence is only in the free-text notes of the link
    "victims/V-0001.yaml": """\
        id: V-0001
        kind: individual
        title: Mrs
        name: Margaret Hollis
        address: {lines: [14 Orchard Row, Exampletown], postcode: XE1 2BB}
        phones: ["07700 900111"]
        email: margaret.hollis@example.org
        children: [{child: C-0001, offence: "@NOTES@"}]
        referral: {stage: post-sentence, disposal: referral-order, allocated: 2026-04-01,
                   worker: Sam Worker}
        """.replace("@NOTES@", RAW_NOTES) + _common(1),
    # under 18: letters go to the parent, by their title; the offence by category
    "victims/V-0002.yaml": """\
        id: V-0002
        kind: under-18
        name: Riley Young
        dob: 2011-02-03
        address: {lines: [2 Example Road, Exampletown], postcode: XE1 2BC}
        parent_guardian: {name: David Young, title: Mr, relationship: father}
        offence_category: theft
        children: [{child: C-0001, offence: "took his bike from outside school (notes)"}]
        referral: {stage: pre-court, disposal: youth-caution, allocated: 2026-04-01,
                   worker: Sam Worker}
        """ + _common(2),
    # an organisation: "Dear Ms Shah" through its representative; the offence for letters
    "victims/V-0003.yaml": """\
        id: V-0003
        kind: corporate
        name: Hollis Hardware Ltd
        representative: {name: Priya Shah, title: Ms, role: Store Manager}
        address: {lines: [Unit 4, Market Street, Exampletown], postcode: XE1 3CD}
        offence_for_letters: damage to the shop's front window
        children: [{child: C-0001, offence: "@NOTES@"}]
        referral: {stage: pre-sentence, disposal: psr-requested, allocated: 2026-04-01,
                   worker: Sam Worker}
        """.replace("@NOTES@", RAW_NOTES) + _common(3),
    # the child's family: their own salutation; no offence named, whatever is recorded
    "victims/V-0004.yaml": """\
        id: V-0004
        kind: family-or-carer
        name: Lisa Testchild
        salutation: Dear Lisa
        address: {lines: [9 Sample Street, Exampletown], postcode: XE1 9ZZ}
        offence_for_letters: the assault at home
        offence_category: assault
        children: [{child: C-0001, offence: "assault on his mother in the kitchen"}]
        referral: {stage: post-sentence, disposal: referral-order, allocated: 2026-04-01,
                   worker: Sam Worker}
        best_placed: {date: 2026-04-02, who: rj-worker, note: agreed with the case holder,
                      by: Sam Worker}
        """ + _common(4),
    "children/C-0001.yaml": """\
        id: C-0001
        name: Jordan Testchild
        dob: 2010-05-03
        case_holder: Casey Holder
        address: {lines: [9 Sample Street, Exampletown], postcode: XE1 9ZZ}
        parent_carer: {name: Pat Testchild, relationship: father}
        disposal: referral-order
        victims:
          - {ref: V-0001, label: Victim 1}
          - {ref: V-0002, label: Victim 2}
          - {ref: V-0003, label: Victim 3}
          - {ref: V-0004, label: Victim 4}
        status_history:
          - {id: 01J00000000000000000000091, date: 2026-03-20, status: open}
        """,
}

VICTIMS = {"adult": "V-0001", "under-18": "V-0002", "organisation": "V-0003",
           "family": "V-0004"}
FORMATS = ("md", "txt", "html")


def write_casebook(root: Path) -> Path:
    from rjcli.storage.permissions import tighten_and_stamp

    (root / "victims").mkdir(parents=True)
    (root / "children").mkdir()
    (root / "rj.yaml").write_text(RJ_YAML, encoding="utf-8")
    for rel, text in RECORDS.items():
        (root / rel).write_text(textwrap.dedent(text), encoding="utf-8")
    tighten_and_stamp(root)
    return root


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Only drafts are written from it (nothing is logged), so one casebook serves all."""
    return write_casebook(tmp_path_factory.mktemp("wording") / "casebook")


def letter(book: Path, kind: str, record_id: str, fmt: str = "txt", *args: str) -> str:
    target = book.parent / f"{record_id}-{kind}.{fmt}"
    result = rj(book, "letter", kind, record_id, "--draft", "--format", fmt, "--out",
                str(target), *args)
    assert result.exit_code == 0, result.output
    return target.read_text(encoding="utf-8")


def seen(text: str) -> str:
    """What a reader sees: HTML tags and entities and Markdown escapes undone, spaced once."""
    text = re.sub(r"<[^>]+>", " ", text).replace("&#x27;", "'").replace("&amp;", "&")
    return plain(text.replace("\\", "").replace("**", ""))


def _args(kind: str) -> tuple[str, ...]:
    """What a kind needs on the command line: the news of an update; whose copy of the
    outcome agreement (the victim's: tests/test_letters_copies.py checks both)."""
    the_kind = letterkinds.KINDS[letterkinds.KIND_NAMES.index(kind)]
    if the_kind.shared:
        return ("--copy", "victim")
    return ("--note", "The young person has finished the reparation work.") \
        if "note" in the_kind.options else ()


VICTIM_KINDS = [k.name for k in letterkinds.KINDS if k.record == "victim"]
SWEEP = [(kind, who, fmt) for kind in VICTIM_KINDS for who in VICTIMS for fmt in FORMATS
         if kind != "parent-consent" or who == "under-18"]


# --- every kind, every recipient, every text format ----------------------------------------


@pytest.mark.parametrize(("kind", "who", "fmt"), SWEEP, ids=["-".join(c) for c in SWEEP])
def test_every_letter_is_written_without_the_offence_notes(book: Path, kind: str, who: str,
                                                           fmt: str) -> None:
    text = seen(letter(book, kind, VICTIMS[who], fmt, *_args(kind)))
    assert "Shop window smashed" not in text  # the notes, never (issue 21)
    assert "(notes)" not in text and "kitchen" not in text
    if who == "family":  # no offence named to the child's own family (Somerset 6.6)
        assert "assault" not in text.lower()
    assert "Jordan" not in text  # the child gave no permission (Somerset 7.3)


# --- the salutation -----------------------------------------------------------------------


@pytest.mark.parametrize(("who", "dear", "block"), [
    ("adult", "Dear Mrs Hollis", "Mrs Margaret Hollis 14 Orchard Row"),
    ("under-18", "Dear Mr Young", "Mr David Young 2 Example Road"),
    ("organisation", "Dear Ms Shah", "Ms Priya Shah Store Manager Hollis Hardware Ltd Unit 4"),
    ("family", "Dear Lisa", "Lisa Testchild 9 Sample Street"),
])
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_letter_greets_by_title_and_surname_or_the_recorded_salutation(
        book: Path, who: str, dear: str, block: str, fmt: str) -> None:
    text = seen(letter(book, "closure", VICTIMS[who], fmt))
    assert f"{dear} Closing the case" in text
    assert block in text
    for full_name in ("Dear Margaret Hollis", "Dear David Young", "Dear Priya Shah",
                      "Dear Lisa Testchild"):
        assert full_name not in text


def test_with_no_title_the_letter_greets_by_full_name(book: Path, tmp_path: Path) -> None:
    own = write_casebook(tmp_path / "casebook")
    path = own / "victims" / "V-0001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: Mrs\n", ""),
                    encoding="utf-8")
    text = seen(letter(own, "initial", "V-0001"))
    assert "Dear Margaret Hollis" in text and "Mrs" not in text


def test_a_title_not_on_the_list_is_an_error_in_rj_check(tmp_path: Path) -> None:
    own = write_casebook(tmp_path / "casebook")
    path = own / "victims" / "V-0002.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: Mr", "title: Lord"),
                    encoding="utf-8")
    result = rj(own, "check")
    assert result.exit_code == 1
    assert "V-0002.yaml" in result.output and "title" in result.output


# --- the offence's wording ----------------------------------------------------------------


@pytest.mark.parametrize(("who", "wording"), [
    ("adult", "about the offence against you."),  # nothing recorded for letters
    ("under-18", "about the offence against Riley (theft)."),
    ("organisation", "against your organisation (damage to the shop's front window)."),
    ("family", "about the offence against you."),
])
def test_the_initial_letter_names_the_offence_in_words_recorded_for_letters(
        book: Path, who: str, wording: str) -> None:
    text = seen(letter(book, "initial", VICTIMS[who]))
    assert wording in text
    assert RAW_NOTES not in text


def test_with_no_offence_for_letters_rj_letter_warns_once_which_field_to_set(
        book: Path) -> None:
    result = rj(book, "letter", "initial", "V-0001", "--draft", "--out",
                str(book.parent / "warned.md"))
    assert result.exit_code == 0, result.output
    said = plain(result.output)
    assert said.count("offence_for_letters") == 1
    assert "says 'the offence'" in said and "offence_category" in said
    assert "theft" in said  # the categories that are accepted
    for quiet in ("V-0002", "V-0003", "V-0004"):  # recorded, or a family victim
        result = rj(book, "letter", "initial", quiet, "--draft", "--out",
                    str(book.parent / "quiet.md"))
        assert "offence_for_letters" not in plain(result.output)


def test_an_offence_category_not_on_the_list_stops_the_letter(tmp_path: Path) -> None:
    own = write_casebook(tmp_path / "casebook")
    path = own / "victims" / "V-0002.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "offence_category: theft", "offence_category: shoplifting"), encoding="utf-8")
    result = rj(own, "letter", "initial", "V-0002", "--draft")
    assert result.exit_code != 0
    said = plain(result.output)
    assert "shoplifting" in said and "criminal-damage" in said


def test_a_casebook_can_keep_its_own_list_of_offence_categories(tmp_path: Path) -> None:
    own = write_casebook(tmp_path / "casebook")
    (own / "policy").mkdir()
    (own / "policy" / "offence-categories.yaml").write_text(textwrap.dedent("""\
        title: Our offence wording
        source: Exampletown's own list
        categories:
          - {id: theft, words: the theft of a bicycle}
        """), encoding="utf-8")
    text = seen(letter(own, "initial", "V-0002"))
    assert "(the theft of a bicycle)" in text


# --- complaints ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_complaints_paragraph_says_how_to_complain_once(book: Path, fmt: str) -> None:
    text = seen(letter(book, "initial", "V-0001", fmt))
    assert "Your right to complain" in text
    assert "Write to the Service Manager at the address above." in text
    assert "How to complain" not in text  # the service's own label, not repeated
    assert text.lower().count("complain") == 2  # heading, enclosure "How to make a complaint"


# --- signatures ----------------------------------------------------------------------------

SIGNED = "Signed: ........................................ Date: ...................."


@pytest.mark.parametrize(("kind", "who", "parties"), [
    ("consent-form", "adult", ["Margaret Hollis", "Sam Worker, for Exampletown Youth "
                               "Justice Service"]),
    ("consent-form", "under-18", ["Riley Young", "Parent or guardian: David Young",
                                  "Sam Worker, for Exampletown Youth Justice Service"]),
    ("consent-form", "organisation", ["Priya Shah, for Hollis Hardware Ltd",
                                      "Sam Worker, for Exampletown Youth Justice Service"]),
    ("confidentiality-agreement", "under-18", [
        "Riley Young", "Parent or guardian: David Young",
        "Sam Worker, for Exampletown Youth Justice Service"]),
    ("outcome-agreement", "adult", [
        "The person harmed", "The young person", "The young person's parent or carer",
        "Facilitator: Sam Worker"]),
    ("outcome-agreement", "under-18", [
        "The person harmed", "Parent or guardian of the person harmed", "The young person",
        "The young person's parent or carer", "Facilitator: Sam Worker"]),
])
@pytest.mark.parametrize("fmt", FORMATS)
def test_forms_have_a_signature_and_date_line_for_each_party(
        book: Path, kind: str, who: str, parties: list[str], fmt: str) -> None:
    text = seen(letter(book, kind, VICTIMS[who], fmt, *_args(kind)))
    assert text.count(SIGNED) == len(parties)
    signatures = text[text.index("Signatures"):]
    at = [signatures.index(f"{party} {SIGNED}") for party in parties]
    assert at == sorted(at)


# --- the outcome agreement: the child's copy (more in tests/test_letters_copies.py) ---------


@pytest.mark.parametrize("who", list(VICTIMS))
@pytest.mark.parametrize("fmt", (*FORMATS, "docx"))
def test_the_outcome_agreement_holds_no_victim_reference_or_contact_details(
        book: Path, who: str, fmt: str) -> None:
    from rjcli.render.letters import docx_text

    record_id = VICTIMS[who]
    target = book.parent / f"{record_id}-copy.{fmt}"
    result = rj(book, "letter", "outcome-agreement", record_id, "--copy", "child", "--draft",
                "--format", fmt, "--out", str(target))
    assert result.exit_code == 0, result.output
    text = seen(docx_text(target.read_bytes()) if fmt == "docx"
                else target.read_text(encoding="utf-8"))
    assert "Write a letter of apology" in text
    assert "Our reference: C-0001" in text and "V-000" not in text
    for detail in ("07700 900111", "margaret.hollis@example.org", "Orchard Row", "XE1 2BB",
                   "Example Road", "Market Street"):
        assert detail not in text
    assert "A copy goes to everyone who took part" in text


def test_a_template_that_prints_the_victim_reference_on_the_shared_copy_is_refused(
        tmp_path: Path) -> None:
    own = write_casebook(tmp_path / "casebook")
    (own / "templates").mkdir()
    (own / "templates" / "outcome-agreement.md.j2").write_text(
        "Agreement {{ agreement[0].action }}\n\nOur reference: {{ record }}\n",
        encoding="utf-8")
    result = rj(own, "letter", "outcome-agreement", "V-0001", "--copy", "child", "--draft")
    assert result.exit_code == 2
    assert "does not have" in plain(result.output) and "record" in plain(result.output)


def test_victim_contact_details_typed_into_an_agreement_stop_the_shared_copy(
        tmp_path: Path) -> None:
    own = write_casebook(tmp_path / "casebook")
    path = own / "victims" / "V-0001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "action: Write a letter of apology", "action: Post a letter of apology to 14 Orchard "
        "Row"), encoding="utf-8")
    result = rj(own, "letter", "outcome-agreement", "V-0001", "--copy", "child", "--draft")
    assert result.exit_code != 0
    said = plain(result.output)
    assert "a victim's address" in said and "the child's copy" in said
    assert not list((own / "output").rglob("*outcome-agreement*"))


def test_letter_list_says_the_outcome_agreement_goes_to_everyone(book: Path) -> None:
    result = rj(book, "letter", "list")
    row = next(line for line in result.output.splitlines() if "outcome-agreement" in line)
    assert "everyone, to sign" in row


# --- recording them -------------------------------------------------------------------------


def test_rj_check_accepts_the_fields_letters_use(book: Path) -> None:
    said = plain(rj(book, "check").output)
    for field in ("title", "salutation", "offence_for_letters", "offence_category"):
        assert field not in said


def test_rj_victim_new_records_the_title_salutation_and_offence_for_letters(
        tmp_path: Path) -> None:
    import json

    own = write_casebook(tmp_path / "casebook")
    result = rj(own, "victim", "new", "--name", "Ann Example", "--child", "C-0001",
                "--consent-contact", "yes", "--title", "Dr", "--address", "3 Example Road",
                "--postcode", "XE1 4DD", "--stage", "post-sentence",
                "--offence", "(notes: bag snatched at the bus stop)",
                "--offence-category", "robbery", "--json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert (record["title"], record["offence_category"]) == ("Dr", "robbery")
    text = seen(letter(own, "initial", record["id"]))
    assert "Dear Dr Example" in text and "Dr Ann Example" in text
    assert "about the offence against you (robbery)." in text
    assert "bag snatched" not in text

    result = rj(own, "victim", "new", "--name", "Young Example", "--child", "C-0001",
                "--consent-contact", "yes", "--kind", "under-18", "--dob", "03/02/2012",
                "--parent", "Pat Example", "--parent-title", "Mx",
                "--salutation", "Dear Young", "--offence-for-letters", "the theft of your bike",
                "--json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["parent_guardian"] == {"name": "Pat Example", "title": "Mx"}
    assert (record["salutation"], record["offence_for_letters"]) == (
        "Dear Young", "the theft of your bike")


@pytest.mark.parametrize(("options", "said"), [
    (("--title", "Lord"), "title 'Lord' is not one of: Mrs, Mr, Ms, Mx, Dr, Miss"),
    (("--offence-category", "shoplifting"), "offence category 'shoplifting' is not on the "
                                            "list: theft, burglary"),
    (("--salutation", "Dear\x1b[2JAnn"), "--salutation holds a control character"),
    (("--parent-title", "Mrs"), "--parent-title is the title of --parent: give --parent too"),
])
def test_rj_victim_new_refuses_what_a_letter_could_not_use(tmp_path: Path,
                                                           options: tuple[str, ...],
                                                           said: str) -> None:
    own = write_casebook(tmp_path / "casebook")
    result = rj(own, "victim", "new", "--name", "Ann Example", "--child", "C-0001",
                "--consent-contact", "yes", *options)
    assert result.exit_code == 2, result.output
    assert said in plain(result.output)
    assert sorted(p.name for p in (own / "victims").iterdir()) == [
        "V-0001.yaml", "V-0002.yaml", "V-0003.yaml", "V-0004.yaml"]


def test_a_salutation_with_a_control_character_stops_the_letter(tmp_path: Path) -> None:
    own = write_casebook(tmp_path / "casebook")
    path = own / "victims" / "V-0004.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "salutation: Dear Lisa", 'salutation: "Dear\\u0007 Lisa"'), encoding="utf-8")
    result = rj(own, "letter", "closure", "V-0004", "--draft")
    assert result.exit_code != 0
    assert "salutation" in plain(result.output) and "U+0007" in plain(result.output)


@pytest.mark.parametrize(("name", "title", "own", "dear"), [
    ("Margaret Hollis", "Mrs", None, "Dear Mrs Hollis"),
    ("Mary van der Berg", "Mrs", None, "Dear Mrs van der Berg"),
    ("Cher", "Ms", None, "Dear Ms Cher"),
    ("Margaret Hollis", None, None, "Dear Margaret Hollis"),
    ("Margaret Hollis", "Mrs", "Dear Maggie", "Dear Maggie"),
    (None, "Mrs", None, None),
])
def test_the_greeting_from_name_title_and_salutation(name: str | None, title: str | None,
                                                     own: str | None,
                                                     dear: str | None) -> None:
    from rjcli.core.greeting import salutation

    assert salutation(name, title, own) == dear


# --- what happens to what the victim says, and who has decided (issue 18) -----------------


def test_before_sentence_the_initial_letter_says_views_may_be_read_in_open_court(
        book: Path) -> None:
    # Tower Hamlets information sharing (3): views "potentially liable to be shared in open
    # Court"; Somerset 3.3: included, with consent, in pre-sentence and Referral Order reports
    before = seen(letter(book, "initial", "V-0003"))
    assert "With your agreement" in before and "read out in open court" in before
    assert "we will not share anything you tell us" in before.lower()
    panel = seen(letter(book, "initial", "V-0001"))  # sentenced: a Referral Order
    assert "our report to the Referral Order panel" in panel
    assert "open court" not in panel


def test_an_out_of_court_letter_before_the_decision_does_not_say_the_police_dealt_with_it(
        book: Path, tmp_path: Path) -> None:
    # Somerset 9.2: the victim's views go to the out-of-court panel before it decides
    root = write_casebook(tmp_path / "casebook")
    record = root / "victims" / "V-0002.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace(
        "disposal: youth-caution, ", ""), encoding="utf-8")
    pending = seen(letter(root, "initial", "V-0002"))
    assert "The police dealt with this offence" not in pending
    assert "before the decision is made" in pending
    assert "our report to the panel that decides" in pending
    decided = seen(letter(book, "initial", "V-0002"))
    assert "The police dealt with this offence without taking it to court" in decided


def test_the_confidentiality_agreement_forbids_recording_and_keeping_letters(book: Path) -> None:
    # Wait 'til Eight §4.4: no recording "by any means"; letters of apology shared but not
    # retained by the victim (also Somerset 11.2, 11.3: no copies kept)
    text = seen(letter(book, "confidentiality-agreement", "V-0001"))
    assert "I will not record any meeting, conversation or other part of the process, by " \
           "any means" in text
    assert "letter of apology" in text and "I will not keep a copy" in text


def _closed(tmp_path: Path, reason: str, consent: str | None = None) -> Path:
    """The wording casebook with V-0001 closed for ``reason`` (and its contact consent
    changed to ``consent``)."""
    root = write_casebook(tmp_path / "casebook")
    assert rj(root, "staff", "add", "Mo Manager", "--role", "manager").exit_code == 0
    if consent:
        given = rj(root, "consent", "V-0001", "contact", consent, "--note",
                   "No longer wants to take part")
        assert given.exit_code == 0, given.output
    closed = rj(root, "close", "V-0001", "--reason", reason, "--override-by", "Mo Manager",
                "--override-reason", "The victim's decision")
    assert closed.exit_code == 0, closed.output
    return root


def test_a_closure_letter_after_consent_is_withdrawn_is_written(tmp_path: Path) -> None:
    # Wokingham 12: a victim who no longer wants to take part is sent a closure letter
    root = _closed(tmp_path, "withdrew", consent="withdrawn")
    text = seen(letter(root, "closure", "V-0001"))
    assert "You told us that you do not want our support at the moment" in text
    refused = rj(root, "letter", "initial", "V-0001", "--draft")
    assert refused.exit_code == 8  # any other letter still needs the consent
    assert "only victims who consented are contacted" in plain(refused.output)


def test_after_a_hand_over_the_closure_letter_does_not_offer_to_reopen(tmp_path: Path) -> None:
    # Tower Hamlets: hand over "to ensure that the victim is not overwhelmed by multiple
    # professionals working with them"
    root = _closed(tmp_path, "transferred")
    text = seen(letter(root, "closure", "V-0001"))
    assert "We can open the case again at any time" not in text
    assert "so that you deal with one service" in text
