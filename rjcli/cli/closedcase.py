"""Entries that only make sense on an open case are refused on a closed one (issue 16).

A contact, an appointment, an offer being taken up: on a closed case these are either a
mistake (the wrong record) or a sign that the case should be reopened (Wokingham 6: a case
reopens whenever the victim gets in touch). ``--closed-ok`` logs one anyway (a call after
closure). Letters, consent, feedback and complaints are not checked: they follow closure.
"""

from __future__ import annotations

from typing import Annotated

import typer

from rjcli.cli.context import current
from rjcli.core.model import StatusEntry
from rjcli.errors import BadInput, RecordInvalid

ClosedOk = Annotated[bool, typer.Option(
    "--closed-ok", help="Log it although the case is closed (e.g. a call after closure); "
    "else rj reopen ID --reason ... first.")]


def closed_refusal(record_id: str, history: tuple[StatusEntry, ...], what: str) -> str | None:
    """Why ``what`` is refused on the record (None: the case is open)."""
    from rjcli.core.model import current_status
    from rjcli.core.when import say_date

    if current_status(history) != "closed":
        return None
    closing = max(history, key=lambda e: (e.date, e.id))
    reason = f" ({closing.reason})" if closing.reason else ""
    return f"{record_id} was closed on {say_date(closing.date)}{reason}: {what} is not logged " \
           "on a closed case"


def refuse_if_closed(record_id: str, closed_ok: bool, what: str) -> None:
    """Raise BadInput when the case is closed, unless --closed-ok was given."""
    if closed_ok:
        return
    book = current().casebook
    try:
        record = book.victim(record_id) if record_id.startswith("V-") else book.child(record_id)
    except RecordInvalid:
        return  # the change itself refuses it, saying nothing was changed
    refusal = closed_refusal(record_id, tuple(record.status_history), what)
    if refusal:
        raise BadInput(refusal, hint=f"reopen it first: rj reopen {record_id} --reason "
                       "\"victim got in touch\"; or add --closed-ok to log it on the closed "
                       "case (e.g. a call after closure)")
