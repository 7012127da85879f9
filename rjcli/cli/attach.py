"""``rj attach ID FILE``: keep a signed consent form, a referral or a letter with the record."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rjcli.cli.context import current, record_id_arg
from rjcli.errors import BadInput


def attach(
    record: Annotated[str, typer.Argument(help="The victim's record id (V-...).")],
    file: Annotated[Path, typer.Argument(help="The file to keep (a scan, a PDF, a letter).")],
    kind: Annotated[str, typer.Option(help="consent-form, referral, letter-received, other.")
                    ] = "other",
    note: Annotated[str | None, typer.Option(help="A note on the document.")] = None,
) -> None:
    """Keep a document with a victim's record: copied, owner-only, under documents/ID/.

    Its SHA-256, kind and date go on the record: rj show lists it, rj check reports it if
    it goes missing or is changed, rj purge deletes it with the record.
    Example: rj attach V-0001 signed-consent.pdf --kind consent-form --note "signed at visit"
    """
    from rjcli.render.terminal import escape, say
    from rjcli.storage.documents import attach as keep

    ctx = current()
    record_id = record_id_arg(record)
    if not record_id.startswith("V-"):
        raise BadInput(f"{record_id} is a child's record: documents are kept with a victim's "
                       "record only (a child's record never holds a victim's papers, "
                       "Somerset 5.4)", hint="rj attach V-... FILE")
    entry = keep(ctx.casebook, record_id, file, kind, note, ctx.today, ctx.writer,
                 ctx.recorded_at, ctx.new_id)
    say(escape(f"Kept {file.name} with {record_id} as documents/{record_id}/{entry['file']} "
               f"({entry['kind']}, SHA-256 {entry['sha256'][:12]}...)."))


HELP_ORDER = 24


def register(app: typer.Typer) -> None:
    app.command("attach")(attach)
