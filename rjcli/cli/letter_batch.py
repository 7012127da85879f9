"""``rj letter KIND --due``: every letter of a kind that is due today (or overdue), for
you (``--worker``/``RJ_WORKER``) or for everyone (``--all``).

Which letters are due comes from the due list (``rj due``): a rule met by sending the
letter (rjcli/core/letterbatch.py). Each letter is written and logged exactly as
``rj letter KIND ID`` writes it, one file each into the folder (``--out``, else
output/letters/), plus one file holding them all to print (rjcli/render/combined.py).
What could not be written is listed with why; the exit code is then 11.
"""

from __future__ import annotations

import tempfile
from contextlib import ExitStack
from pathlib import Path

from rjcli.cli.context import AppContext, current
from rjcli.core import letterbatch, letterkinds
from rjcli.errors import (
    BadInput,
    ChangeRefused,
    MissingFields,
    RecordInvalid,
    RecordNotFound,
    SomeNotWritten,
)
from rjcli.render.terminal import err, out, print_json, say

SKIPPED = (BadInput, ChangeRefused, MissingFields, RecordInvalid, RecordNotFound)
"""Refusals of one letter (a gap in its record, a gate not met): the batch goes on.
Anything else (the disk, LibreOffice, a lock) stops the batch."""


def write_due(kind: letterkinds.LetterKind, record: str | None, fmt: str | None,
              out_path: Path | None, is_draft: bool, signed_by: str | None,
              all_workers: bool, given: dict[str, str | None], as_json: bool,
              language: str | None, with_form: bool = False) -> None:
    """Write every ``kind`` letter due now, one file each and one to print them all; with
    ``with_form`` (closure letters only), each victim's feedback form after their letter."""
    from rjcli.cli.letter import _format

    ctx = current()
    _refuse_options(kind, record, given)
    if with_form and kind.name != "closure":
        raise BadInput(f"--with-form goes with the closure letter, which encloses the feedback "
                       f"form (Wokingham 13, 14), not with the {kind.name} letter",
                       hint="rj letter closure --due --with-form, or rj letter feedback-form ID")
    fmt = _format(fmt, None)
    rule_ids = _rules_for(ctx, kind)
    who = None if all_workers else ctx.worker
    if not all_workers and who is None:
        raise BadInput(f"--due writes the {kind.name} letters due for you, and rj does not "
                       "know who you are",
                       hint="give --worker NAME (or set RJ_WORKER) before the command, or "
                            "add --all for everyone's")
    if not is_draft:
        ctx.writer()  # each letter logged says who sent it: nobody named, nothing written
    items = _due_items(ctx, who, rule_ids)
    whose = "anyone" if who is None else who
    if not items:
        if as_json:
            print_json({"kind": kind.name, "written": [], "not_written": [], "combined": None})
        else:
            say(f"No {kind.name} letters are due for {whose} today.")
        return
    folder = _folder(ctx, out_path)
    batch = _Batch(kind, fmt, folder, is_draft, signed_by, language, as_json, with_form)
    batch.write_each(items)
    combined = (_combine(ctx, kind, fmt, folder, batch.written, batch.sources, batch.forms)
                if batch.written else None)
    _report(ctx, kind, items, batch, combined, as_json)


def _refuse_options(kind: letterkinds.LetterKind, record: str | None,
                    given: dict[str, str | None]) -> None:
    if record is not None:
        raise BadInput(f"--due writes every {kind.name} letter due; it takes no record id "
                       f"({record})",
                       hint=f"rj letter {kind.name} {record} writes that one letter")
    unused = [f"--{name}" for name, value in given.items() if value is not None]
    if unused:
        raise BadInput(f"--due does not take {', '.join(unused)}",
                       hint="--resend, --reason, --note, --at, --venue and --copy are for one "
                            "letter")


def _rules_for(ctx: AppContext, kind: letterkinds.LetterKind) -> tuple[str, ...]:
    """The rules of the policy in force that this kind meets, or BadInput naming the
    kinds that have a due date."""
    from rjcli.storage.policy import load_policy

    rules = letterbatch.letter_rules(load_policy(ctx.casebook).rules)
    rules = {k: ids for k, ids in rules.items() if k in letterkinds.KIND_NAMES}
    if kind.name not in rules:
        named = letterbatch.kinds_in_words(rules) or "none"
        raise BadInput(f"the {kind.name} letter has no due date here: no rule of the policy "
                       f"in force is met by sending it, so --due has nothing to go by. Kinds "
                       f"with a due date: {named}",
                       hint=f"write it for one record: rj letter {kind.name} ID")
    return rules[kind.name]


def _due_items(ctx: AppContext, who: str | None,
               rule_ids: tuple[str, ...]) -> list[letterbatch.DueItem]:
    from rjcli.core.due import DueFilter, select
    from rjcli.storage.snapshot import due_work

    work = due_work(ctx.casebook, ctx.today, use_cache=ctx.use_cache)
    rows = select(work.items, ctx.today, work.calendar, DueFilter(worker=who, within=0))
    return letterbatch.due_letters(rows, rule_ids)


def _folder(ctx: AppContext, out_path: Path | None) -> Path:
    from rjcli.render.letters import FORMATS
    from rjcli.storage.atomic import make_folders
    from rjcli.storage.outpaths import resolved_folder

    if (out_path is not None and not out_path.is_dir()
            and out_path.suffix.lstrip(".").lower() in FORMATS):
        raise BadInput(f"--out {out_path} names a file; with --due, --out is the folder the "
                       "letters go in", hint="give a folder, and the format with --format")
    folder = resolved_folder(out_path if out_path is not None
                             else ctx.casebook.output_dir / "letters", "letters")
    make_folders(folder)
    return folder


class _Batch:
    """Writes each due letter (and, with forms, the victim's feedback form after it) as
    ``rj letter KIND ID`` writes it; for a PDF batch, the Word letters too (drafts, nothing
    logged), to join into one PDF."""

    def __init__(self, kind: letterkinds.LetterKind, fmt: str, folder: Path, is_draft: bool,
                 signed_by: str | None, language: str | None, quiet: bool,
                 with_form: bool) -> None:
        self.kind, self.fmt, self.folder = kind, fmt, folder
        self.is_draft, self.signed_by, self.language = is_draft, signed_by, language
        self.quiet, self.with_form = quiet, with_form
        self.written: list[Path] = []
        self.forms = 0
        self.failed: list[letterbatch.NotWritten] = []
        self.sources: list[bytes] = []

    def write_each(self, items: list[letterbatch.DueItem]) -> None:
        with tempfile.TemporaryDirectory(prefix="rj-batch-") as scratch:
            form = (next(k for k in letterkinds.KINDS if k.name == "feedback-form")
                    if self.with_form else None)
            for item in items:
                try:
                    self._one(self.kind, item, Path(scratch))
                except SKIPPED as exc:
                    self.failed.append(letterbatch.NotWritten(
                        item.case, item.name, letterbatch.one_line(exc.message)))
                    continue
                if form is None:
                    continue
                try:
                    self._one(form, item, Path(scratch))
                    self.forms += 1
                except SKIPPED as exc:  # the letter is written: say how to send the form
                    self.failed.append(letterbatch.NotWritten(
                        item.case, item.name, "feedback form not written: "
                        f"{letterbatch.one_line(exc.message)}; once fixed: rj letter "
                        f"feedback-form {item.case}"))

    def _one(self, kind: letterkinds.LetterKind, item: letterbatch.DueItem,
             scratch: Path) -> None:
        from rjcli.cli.letter import write_letter

        with ExitStack() as hush:
            if self.quiet:
                hush.enter_context(out().capture())
            path = write_letter(kind, item.case, self.fmt, self.folder, self.is_draft,
                                self.signed_by, None, None, None, False,
                                language=self.language)
        self.written.append(path)
        if self.fmt == "pdf":  # the same letter again, as a Word draft: nothing logged
            with out().capture(), err().capture():
                self.sources.append(write_letter(
                    kind, item.case, "docx", scratch, True, self.signed_by, None, None, None,
                    False, language=self.language).read_bytes())


def _combine(ctx: AppContext, kind: letterkinds.LetterKind, fmt: str, folder: Path,
             written: list[Path], sources: list[bytes], forms: int) -> Path:
    """The one file holding every letter written, to print."""
    from rjcli.render import combined
    from rjcli.storage.atomic import atomic_write_bytes
    from rjcli.storage.outpaths import remember

    if fmt in ("md", "txt"):
        data = combined.combined_text([p.read_text(encoding="utf-8") for p in written]
                                      ).encode("utf-8")
    elif fmt == "html":
        title = f"{kind.title}: {_counted(len(written) - forms, forms)}"
        data = combined.combined_html([p.read_text(encoding="utf-8") for p in written],
                                      title).encode("utf-8")
    elif fmt == "docx":
        data = combined.combined_docx([p.read_bytes() for p in written])
    else:
        from rjcli.storage.pdf import docx_to_pdf

        counts = [combined.pdf_page_count(p.read_bytes()) for p in written]
        data = docx_to_pdf(combined.combined_docx(sources, counts))
    stem = f"{kind.name}-letters-{ctx.today.isoformat()}"
    target, n = folder / f"{stem}.{fmt}", 2
    while target.exists():
        target, n = folder / f"{stem}-{n}.{fmt}", n + 1
    atomic_write_bytes(target, data, private=True)
    remember(ctx.casebook.root, target, data)
    return target


def _counted(letters: int, forms: int) -> str:
    said = f"{letters} letter{'s' if letters != 1 else ''}"
    return said + (f" and {forms} feedback form{'s' if forms != 1 else ''}" if forms else "")


def _report(ctx: AppContext, kind: letterkinds.LetterKind, items: list[letterbatch.DueItem],
            batch: _Batch, combined: Path | None, as_json: bool) -> None:
    shown = ctx.casebook.rel
    written, failed = batch.written, batch.failed
    if as_json:
        print_json({"kind": kind.name,
                    "written": [shown(p) for p in written],
                    "not_written": [{"record": f.case, "why": f.why} for f in failed],
                    "combined": shown(combined) if combined else None})
    else:
        if combined is not None:
            say(f"{_counted(len(written) - batch.forms, batch.forms)} in one file to print: "
                f"{shown(combined)}")
        if failed:
            say(f"Not written ({len(failed)}):")
            for problem in failed:
                say(f"  - {problem.line()}")
    if failed:
        raise SomeNotWritten(f"{len(failed)} of {len(items)} {kind.name} letters due were not "
                             "written (listed above)",
                             hint="fix what is listed, then run the same command again: "
                                  "the letters written are no longer due")
