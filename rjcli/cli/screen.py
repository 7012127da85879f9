"""``rj screen``: record the referral screening (Tower Hamlets appendix 1 (a-d)), which
meets the Tower Hamlets rule ``screen-referral`` (48 hours from allocation)."""

from __future__ import annotations

from typing import Annotated

import typer

from rjcli.cli._work import day_option, done, refuse, save, setter, victim_arg
from rjcli.cli.context import current
from rjcli.core.dates import uk_date
from rjcli.core.screening import screening_entry, screening_problems


def screen(
    record: Annotated[str, typer.Argument(help="The victim's record id.")],
    identifiable: Annotated[str, typer.Option(
        "--identifiable", help="Is there a victim we can identify? yes or no.",
        show_default=False)],
    vcs: Annotated[str, typer.Option(
        "--vcs", help="Is the Probation Victim Contact Scheme involved (consulted where it "
                      "may be)? yes or no.", show_default=False)],
    consented: Annotated[str, typer.Option(
        "--consented", help="Did the victim agree to be contacted (YOT1)? yes or no.",
        show_default=False)],
    day: Annotated[str | None, typer.Option(
        "--date", help="When the screening was done (default today).")] = None,
    note: Annotated[str | None, typer.Option(
        help="What was done: details recorded, the referral template sent to the police...")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False,
) -> None:
    """Record the screening of a new referral: an identifiable victim, the Victim Contact
    Scheme involved, consent to contact (Tower Hamlets appendix 1 (a-d): within 48 hours of
    allocation). Recorded once; change it with rj edit.

    Example: rj screen V-0008 --identifiable yes --vcs no --consented no --note "No contact: told the case holder"
    """
    ctx = current()
    record_id = victim_arg(record, "the screening")
    when = day_option(day)
    answers = {"--identifiable": identifiable, "--vcs": vcs, "--consented": consented}
    already = ctx.casebook.victim(record_id).screening
    refuse(screening_problems(answers, when, ctx.today, already, record_id))
    data = save(record_id, setter("screening", screening_entry(answers, when, note, ctx.worker)),
                "record the screening of")
    done(data, as_json, f"{record_id}: screened {uk_date(when)}.")


HELP_ORDER = 41


def register(app: typer.Typer) -> None:
    app.command()(screen)
