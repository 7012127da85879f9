"""``rj letter KIND ID``: write a letter or form from the record, and log it as sent.

One command per kind (``rj letter initial V-0001``), made from the kinds' data in
``rjcli.core.letters``, plus ``rj letter list``. A letter with anything missing is not
written at all: the message lists every missing fact.
"""

# No ``from __future__ import annotations`` here: the per-kind commands are built in a
# function, and Typer must read their option annotations as real objects.

from pathlib import Path
from typing import Annotated, Any

import typer

from rjcli.cli import _language
from rjcli.cli.context import AppContext, current, parse_moment, record_id_arg
from rjcli.core import letterfacts, letterkinds, letters, sentletters
from rjcli.core.ids import kind_of
from rjcli.core.lettercopies import PartyCopy
from rjcli.errors import BadInput, MissingFields
from rjcli.render.terminal import out, print_json, say

letter_app = typer.Typer(
    help="Letters and forms from templates: initial, final, closure, update and more.\n\n"
         "Example: rj letter initial V-0001 --draft",
    no_args_is_help=True,
)

EXAMPLE_IDS = {"victim": "V-0001", "child": "C-0001"}
EXAMPLE_RECORD = {"update": "V-0010", "parent-consent": "V-0002", "consent-form": "V-0016",
                  "outcome-agreement": "V-0009", "child-appointment": "C-0005"}
"""The sample casebook's record each letter's help example names, where V-0001 (just
allocated) is not ready for it (tests/test_help_examples.py runs every example)."""


@letter_app.command("list")
def letter_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """The kinds of letter, what each needs, and which template file is in use.

    A casebook's own templates/ folder wins over rj's (same file name); Welsh ones are in
    templates/cy/ (rj letter KIND ID --language cy).
    Example: rj letter list
    """
    from rjcli.render.letters import search_path, template_in_use
    from rjcli.shipped import shipped_dir

    root = _casebook_root()
    paths = search_path(root) if root else [shipped_dir("templates")]
    rows = []
    for kind in letterkinds.KINDS:
        row = letterkinds.describe(kind)
        row["addressed_to"] = letterkinds.addressed_to(kind)
        row["template"] = _shown(template_in_use(kind.name, "md", paths), root)
        row["docx_template"] = _shown(template_in_use(kind.name, "docx", paths), root)
        cy_paths = search_path(root, "cy") if root else [shipped_dir("templates") / "cy"]
        row["cy_template"] = _shown(template_in_use(kind.name, "md", cy_paths), root)
        row["cy_docx_template"] = _shown(template_in_use(kind.name, "docx", cy_paths), root)
        rows.append(row)
    if as_json:
        print_json(rows)
        return
    from rich.table import Table

    common = {"service", "worker", "contact-consent"}
    table = Table(box=None, pad_edge=False)
    for column in ("kind", "to", "needs, besides the common ones", "template (md / docx)"):
        table.add_column(column, overflow="fold")
    for kind, row in zip(letterkinds.KINDS, rows, strict=True):
        needs = ", ".join(letterkinds.NEEDS_SHORT[n] for n in kind.needs if n not in common)
        origins = " / ".join(str(row[t]).split(":")[0] for t in ("template", "docx_template"))
        table.add_row(kind.name, letterkinds.addressed_to(kind, short=True), needs or "-", origins)
    out().print(table)
    say("Every letter needs the service's address and the signing worker's phone number; "
        "every letter to the victim's side, their consent to contact. Templates: 'rj' is rj's "
        "own, 'casebook' the casebook's templates/ folder. --json lists it all in full.")


def _casebook_root() -> Path | None:
    """The casebook, when there is one (``rj letter list`` also works outside one)."""
    from rjcli.errors import CasebookNotFound

    try:
        return current().casebook.root
    except CasebookNotFound:
        return None


def _shown(path: Path | None, root: Path | None) -> str:
    if path is None:
        return "(none)"
    if root is not None and path.is_relative_to(root):
        return f"casebook: {path.relative_to(root).as_posix()}"
    from rjcli.shipped import shipped_dir

    shipped = shipped_dir("templates")
    if path.is_relative_to(shipped):
        return f"rj: templates/{path.relative_to(shipped).as_posix()}"
    folder = "docx/" if path.parent.name == "docx" else ""
    return f"rj: templates/{folder}{path.name}"


# --- writing a letter ------------------------------------------------------------


def _note_text(note: str | None) -> str | None:
    """--note TEXT, or --note @FILE to read it from a file."""
    if note is None or not note.startswith("@"):
        return note
    path = Path(note[1:]).expanduser()
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BadInput(f"--note {note}: cannot read {path}: {exc.strerror}") from None


def _facts(ctx: AppContext, kind: letterkinds.LetterKind, record_id: str, signed_by: str | None,
           note: str | None, at: str | None, venue: str | None) -> letterfacts.LetterFacts:
    """Read what the letter is built from: the record, linked children, the calendar."""
    from rjcli.storage.bank_holidays import build_calendar

    book = ctx.casebook
    config = book.config
    year = ctx.today.year
    calendar = build_calendar(config.region, config.closures, range(year - 1, year + 2))
    common: dict[str, Any] = {
        "config": config, "today": ctx.today, "calendar": calendar, "note": _note_text(note),
        "venue": venue,
        "appointment_at": parse_moment(at, ctx.now, "--at") if at else None,
    }
    if kind.record == "victim":
        from rjcli.storage.offences import load_offence_categories

        victim = book.victim(record_id)
        children = tuple(book.child(c) for c in victim.child_ids if book.exists(c))
        categories = load_offence_categories(book) if "offence" in kind.uses else None
        if categories is not None:
            common["offence_categories"] = categories
        if "questionnaire" in kind.needs:  # the feedback form's: rj feedback's questions
            from rjcli.cli.feedback import load_questionnaire
            from rjcli.core.letterform import questionnaire_for

            common["questionnaires"] = (load_questionnaire(book.root,
                                                           questionnaire_for(victim)),)
        return letterfacts.LetterFacts(victim=victim, linked_children=children,
                                   signer=signed_by or victim.worker or ctx.worker, **common)
    child = book.child(record_id)
    return letterfacts.LetterFacts(child=child, signer=signed_by or ctx.worker or child.case_holder,
                               **common)


def _format(fmt: str | None, out_path: Path | None) -> str:
    from rjcli.render.letters import FORMATS

    if fmt is None:
        suffix = out_path.suffix.lstrip(".").lower() if out_path else ""
        fmt = suffix if suffix in FORMATS else "md"
    if fmt not in FORMATS:
        raise BadInput(f"--format '{fmt}' is not one of: {', '.join(FORMATS)}")
    return fmt


def _target(ctx: AppContext, draft: letterfacts.LetterDraft, fmt: str, out_path: Path | None,
            is_draft: bool, force: bool) -> Path:
    """Where the letter goes: --out, else output/letters/ID-KIND-DATE.EXT (never over a
    letter already sent; never into the casebook's own folders: rjcli/storage/outpaths.py)."""
    from rjcli.storage.outpaths import resolved_file, resolved_folder

    stem = f"{draft.record_id}-{draft.kind.name}-{ctx.today.isoformat()}"
    if out_path is None or out_path.is_dir():
        folder = resolved_folder(out_path if out_path is not None
                                 else ctx.casebook.output_dir / "letters", "a letter")
        name = f"{stem}-draft.{fmt}" if is_draft else f"{stem}.{fmt}"
        target = folder / name
        n = 2
        while not is_draft and target.exists():
            target = folder / f"{stem}-{n}.{fmt}"
            n += 1
    else:
        target = out_path
    return resolved_file(ctx.casebook.root, target, "a letter", force)


def _render(draft: letterfacts.LetterDraft, fmt: str, root: Path,
            versions: list[tuple[str, letterfacts.Context]] | None = None) -> tuple[bytes, str]:
    """(file contents, text) of the letter in ``fmt`` (``versions``: its (language,
    context) in print order, when not English alone)."""
    from rjcli.render import letters as render
    from rjcli.storage.filekinds import refuse_irregular

    refuse_irregular(root, "templates", "the casebook's letter templates")  # links: never
    if versions is not None and [lang for lang, _ in versions] != ["en"]:
        from rjcli.render.bilingual import render_versions

        return render_versions(draft.kind.name, versions, root, fmt)
    paths = render.search_path(root)
    if fmt in ("docx", "pdf"):  # a PDF is the Word letter, converted once it is checked
        return render.render_docx(draft.kind.name, draft.context, paths)
    text = render.render_text(draft.kind.name, draft.context, paths, fmt)
    if fmt == "txt":
        return text.encode("utf-8"), text
    # checked as it reads: record text is backslash-escaped in the Markdown
    markdown = text if fmt == "md" else render.render_markdown(draft.kind.name, draft.context,
                                                               paths)
    return text.encode("utf-8"), render.markdown_to_text(markdown)


def _record(ctx: AppContext, draft: letterfacts.LetterDraft, target: Path,
            resend_reason: str | None, language_words: str = "") -> None:
    """Log the letter as sent on its record (a contact: method letter, outcome sent; a
    resend also holds why it was sent again)."""
    from rjcli.core.records import NewContact, contact_entry

    # sent at this time of day on the working date; written down now, by the real clock
    contact = NewContact(method="letter", outcome="sent", at=parse_moment(None, ctx.now),
                         party=draft.party,
                         letter=draft.kind.name, file=ctx.casebook.rel(target),
                         note=letters.contact_note(draft)
                         + (f"; {language_words}" if language_words else ""))
    entry = contact_entry(ctx.new_id, contact, ctx.writer(), ctx.recorded_at)
    if resend_reason:
        entry["resend"] = resend_reason

    def add(tree: Any) -> None:
        from rjcli.storage.edits import append

        append(tree, "contacts", entry)

    ctx.casebook.change(draft.record_id, add, f"send {draft.kind.name} letter for")


def write_letter(kind: letterkinds.LetterKind, record: str, fmt: str | None, out_path: Path | None,
                 is_draft: bool, signed_by: str | None, note: str | None, at: str | None,
                 venue: str | None, as_json: bool, force: bool = False, resend: bool = False,
                 reason: str | None = None, language: str | None = None,
                 copy_of: str | None = None) -> Path:
    """Build, check, render, write, and (unless a draft or sent already) log one letter
    (``copy_of``: which party's copy of a shared form, ``--copy``): the file written."""
    from rjcli.cli import _copies
    from rjcli.storage.atomic import atomic_write_bytes
    from rjcli.storage.outpaths import remember

    ctx = current()
    record_id = record_id_arg(record)
    if kind_of(record_id) != kind.record:
        raise BadInput(f"the {kind.name} letter is written from a {kind.record} record "
                       f"({EXAMPLE_IDS[kind.record][:2]}...); {record_id} is a "
                       f"{kind_of(record_id)} record")
    copy = _copies.chosen(ctx, kind, record_id, copy_of)
    if kind.record == "victim":
        _hold_victim_letter(ctx, kind, record_id, is_draft, copy)
    given = {"note": note, "at": at, "venue": venue}
    unused = letterkinds.unused_options(kind, [k for k, v in given.items() if v is not None])
    if unused:
        raise BadInput(f"the {kind.name} letter does not take "
                       f"{', '.join('--' + u for u in unused)}")
    fmt = _format(fmt, out_path)
    facts = _copies.facts_for(ctx, _facts(ctx, kind, record_id, signed_by, note, at, venue),
                              copy)
    chosen, send = (_copies.child_plan(kind, copy, facts, language, resend, reason, is_draft)
                    if copy is not None and _copies.to_child(copy) else
                    (_language.languages(language, facts),
                     _sending(kind, record_id, facts, resend, reason, is_draft)))
    draft = letters.build_letter(kind, facts, copy)
    if draft.missing:
        listed = "\n".join(f"  - {m}" for m in draft.missing)
        raise MissingFields(
            f"the {kind.name} letter for {record_id} was not written; it needs:\n{listed}",
            hint=f"nothing was written: rj edit {record_id} changes the record, rj.yaml the "
                 "service and staff; then run it again")
    versions = _language.versions(draft, chosen, facts)
    data, text = _render(draft, fmt, ctx.casebook.root, versions)
    if kind.record == "child":
        _refuse_victim_identifiers(ctx, kind, record_id, text)
    _copies.refuse_victim_identifiers(ctx, draft, text)  # on the child's copy
    problems = _language.rendered_problems(draft, chosen, text)
    if problems:
        raise BadInput(f"the {kind.name} letter for {record_id} was not written: "
                       + "; ".join(problems),
                       hint="change the template (rj letter list shows which is in use)")
    target = _target(ctx, draft, fmt, out_path, is_draft, force)
    if fmt == "pdf":
        from rjcli.storage.pdf import docx_to_pdf

        data = docx_to_pdf(data)
    atomic_write_bytes(target, data, private=True)
    remember(ctx.casebook.root, target, data)
    if not is_draft and send.log:
        try:
            _record(ctx, draft, target, send.resend_reason, _language.WORDS[chosen])
        except BaseException:
            target.unlink(missing_ok=True)  # not logged, so not sent: leave no file behind
            raise
    from rjcli.cli._work import warn_all

    warn_all(draft.warnings)  # once the letter is written: a refusal says only why
    _report(ctx, draft, target, recorded=not is_draft and send.log, as_json=as_json,
            send=None if is_draft else send, languages=chosen)
    return target


def _sending(kind: letterkinds.LetterKind, record_id: str, facts: letterfacts.LetterFacts,
             resend: bool, reason: str | None, is_draft: bool) -> sentletters.Sending:
    """Log this letter, or not (the same letter sent already), or as a resend."""
    subject = facts.victim if facts.victim is not None else facts.child
    earlier = sentletters.earlier_letter(kind, subject.contacts if subject else ())
    problems = sentletters.resend_problems(kind, record_id, earlier, resend, reason, is_draft)
    if problems:
        raise BadInput("; ".join(problems))
    return sentletters.sending(earlier, resend, reason)


def _hold_victim_letter(ctx: AppContext, kind: letterkinds.LetterKind, record_id: str,
                        is_draft: bool, copy: PartyCopy | None = None) -> None:
    """The safety gates on a letter to a victim (rjcli.core.gates): the best-placed decision
    for a family-or-carer victim (Somerset 6.6), an address not to be used; the victim's
    preferred method and times are shown. The child's copy of the outcome agreement
    (``copy``) does not go to the victim: no gate of theirs holds it."""
    from rjcli.cli import _copies
    from rjcli.cli._work import warn_all

    if _copies.to_child(copy):
        return
    from rjcli.core.gates import letter_gaps, preference_warnings
    from rjcli.errors import ChangeRefused

    victim = ctx.casebook.victim(record_id)
    gaps = letter_gaps(victim, kind.name, is_draft)
    if gaps:
        raise ChangeRefused(f"the {kind.name} letter for {record_id} was not written:\n  - "
                            + "\n  - ".join(gaps), hint="nothing was written")
    warn_all(preference_warnings(victim, "letter"))


def _refuse_victim_identifiers(ctx: AppContext, kind: letterkinds.LetterKind, record_id: str,
                               text: str) -> None:
    """A letter to the child and family never holds a victim's details (Somerset 5.4)."""
    from rjcli.storage.childgate import identifiers_in_child_text

    found = identifiers_in_child_text(ctx.casebook, record_id, text)
    if found:
        raise BadInput(f"the {kind.name} letter for {record_id} was not written: it shows "
                       f"{', '.join(found)}, which a letter to the child must never hold "
                       "(Somerset 5.4)",
                       hint=f"reword what you typed (--venue, --note) or {record_id}'s record "
                            "(rj check lists its lines); refer to victims only as 'Victim 1'")


def _report(ctx: AppContext, draft: letterfacts.LetterDraft, target: Path, recorded: bool,
            as_json: bool, send: sentletters.Sending | None,
            languages: tuple[str, ...] = ("en",)) -> None:
    from rjcli.core.dates import uk_date

    shown = ctx.casebook.rel(target)
    sent_before = None
    if send is not None and send.earlier is not None and not send.log:
        sent_before = (f"{sentletters.already_sent(draft.kind, send.earlier)} (to log it as "
                       "sent again: --resend --reason TEXT).")
    if as_json:
        data = {"kind": draft.kind.name, "record": draft.record_id, "file": shown,
                "reply_by": draft.reply_by, "recorded": recorded, "languages": list(languages)}
        if sent_before:
            data["not_logged"] = sent_before
        print_json(data)
        return
    reply = f" (reply by {uk_date(draft.reply_by)})" if draft.reply_by else ""
    say(f"Wrote {shown}{reply}.")
    if recorded:
        again = " again" if send is not None and send.resend_reason else ""
        say(f"Logged on {draft.record_id}: {draft.kind.name} letter sent{again}.")
    elif sent_before:
        say(sent_before)
    else:
        say("Draft only: nothing was logged. Run it again without --draft when it is sent.")


def _command(kind: letterkinds.LetterKind) -> Any:
    """The ``rj letter KIND`` command for one kind."""
    takes = set(kind.options)
    example = f"rj letter {kind.name} {EXAMPLE_RECORD.get(kind.name, EXAMPLE_IDS[kind.record])}"
    if "at" in takes:
        example += ' --at "2026-06-22 16:00" --venue "Youth Justice Office, High Street"'
    if "note" in takes:
        example += ' --note "..."'
    if kind.shared:
        example += " --copy victim"
    signer = ("the allocated worker, else --worker" if kind.record == "victim"
              else "--worker, else the child's case holder")

    def command(
        record: Annotated[str | None, typer.Argument(
            help=f"The {kind.record} record id ({EXAMPLE_IDS[kind.record][:2]}...).",
            show_default=False)] = None,
        fmt: Annotated[str | None, typer.Option(
            "--format", help="md, txt, html, docx or pdf (pdf needs LibreOffice; default: from "
            "--out, else md).",
            show_default=False)] = None,
        out_path: Annotated[Path | None, typer.Option(
            "--out", help="Where to write it (a file or a folder; default "
            "output/letters/).", show_default=False)] = None,
        is_draft: Annotated[bool, typer.Option(
            "--draft", help="Write it to check, but log nothing on the record.")] = False,
        signed_by: Annotated[str | None, typer.Option(
            "--signed-by", help=f"Who signs (default: {signer}).",
            show_default=False)] = None,
        note: Annotated[str | None, typer.Option(
            "--note", help="The text to give (or @FILE to read it from a file).",
            hidden="note" not in takes, show_default=False)] = None,
        at: Annotated[str | None, typer.Option(
            "--at", help="The appointment's date and time, day first: '14/04/2026 10:00'.",
            hidden="at" not in takes, show_default=False)] = None,
        venue: Annotated[str | None, typer.Option(
            "--venue", help="Where the appointment is.", hidden="venue" not in takes,
            show_default=False)] = None,
        resend: Annotated[bool, typer.Option(
            "--resend", help="Log it as sent again though the same letter was sent before "
            "(needs --reason); without it, a letter sent already is written, not logged.",
            hidden=not sentletters.sent_once(kind))] = False,
        reason: Annotated[str | None, typer.Option(
            "--reason", help="Why it is sent again (with --resend).",
            hidden=not sentletters.sent_once(kind), show_default=False)] = None,
        as_json: Annotated[bool, typer.Option(
            "--json", help="Print what was written as JSON.")] = False,
        force: Annotated[bool, typer.Option(
            "--force", help="Replace the --out file even if rj did not write it.")] = False,
        language: Annotated[str | None, typer.Option(
            "--language", help="en (English), cy (Welsh) or both (Welsh, then English, in "
            "one document); default: the victim's language, else en.",
            show_default=False)] = None,
        due: Annotated[bool, typer.Option(
            "--due", help="Every letter of this kind due today or overdue for you "
            "(--worker), one file each into --out (a folder) and one file to print them all "
            "(rj due says what is due).")] = False,
        all_workers: Annotated[bool, typer.Option(
            "--all", help="With --due: everyone's, not only yours.")] = False,
        with_form: Annotated[bool, typer.Option(
            "--with-form", help="With --due: each victim's feedback form (rj letter "
            "feedback-form) written and logged too, printed after their letter.",
            hidden=kind.name != "closure")] = False,
        copy_of: Annotated[str | None, typer.Option(
            "--copy", help="Whose copy: victim (the victim, a parent or guardian for a victim "
            "under 18, an organisation's representative) or child (the child and their parent "
            "or carer; C-... when several children are linked). Each is addressed to them "
            "and logged on their own record; the child's shows nothing of the victim.",
            hidden=not kind.shared, show_default=False)] = None,
    ) -> None:
        if due or all_workers or with_form:
            from rjcli.cli.letter_batch import write_due

            write_due(kind, record, fmt, out_path, is_draft, signed_by, all_workers,
                      {"note": note, "at": at, "venue": venue, "reason": reason,
                       "resend": "yes" if resend else None, "force": "yes" if force else None,
                       "copy": copy_of},
                      as_json, language, with_form)
            return
        if record is None:
            raise BadInput(f"give the {kind.record} record id: rj letter {kind.name} "
                           f"{EXAMPLE_IDS[kind.record]} (or --due for every one due)")
        write_letter(kind, record, fmt, out_path, is_draft, signed_by, note, at, venue, as_json,
                     force, resend, reason, language, copy_of)

    needs = "; ".join(letterkinds.NEEDS[n] for n in kind.needs)
    command.__doc__ = (f"{kind.title} ({kind.source}).\n\n"
                       f"To: {letterkinds.addressed_to(kind)}. Needs: {needs}.\n\n"
                       f"Example: {example}")
    command.__name__ = f"letter_{kind.name.replace('-', '_')}"
    return command


for _kind in letterkinds.KINDS:
    letter_app.command(_kind.name, help=None)(_command(_kind))


HELP_ORDER = 50


def register(app: typer.Typer) -> None:
    app.add_typer(letter_app, name="letter")
