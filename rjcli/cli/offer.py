"""``rj offer``: a restorative option offered, chosen, declined, done - every change kept."""

from __future__ import annotations

from typing import Annotated

import typer

from rjcli.cli._work import appender, day_option, done, refuse, save, victim_arg, warn_all
from rjcli.cli.closedcase import ClosedOk, refuse_if_closed
from rjcli.cli.context import current
from rjcli.core.dates import uk_date
from rjcli.core.deadlines import support_completed_on
from rjcli.core.model import victim_from_dict
from rjcli.core.restorative import (
    OfferChange,
    entries,
    latest_offers,
    offer_entry,
    offer_problems,
    offer_warnings,
)
from rjcli.core.vocab import OPTION_STATUSES, RESTORATIVE_OPTIONS, label
from rjcli.render.terminal import escape, say


def offer(
    record: Annotated[str, typer.Argument(help="The victim's record id.")],
    option: Annotated[str, typer.Argument(help="The restorative option (listed above).")],
    status: Annotated[str, typer.Option(help="Where it stands (listed above).", show_default=False)],
    reason: Annotated[str | None, typer.Option(help="Why: required for not-appropriate; asked for any change of mind.")] = None,
    day: Annotated[str | None, typer.Option("--date", help="When (default today).")] = None,
    service: Annotated[str | None, typer.Option(help="support-referral: the service referred to (kept from the last entry when left out).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False,
    closed_ok: ClosedOk = False,
) -> None:
    """Record a restorative option and where it stands: offered, accepted, declined,
    in progress, completed, or judged not appropriate (with the reason, YJB §27).

    Every entry is kept, so the record shows what the victim chose and every change of
    mind with its reason (Somerset 9.1). Direct work (a conference, shuttle mediation,
    attending the panel, direct reparation) needs the victim's written, informed consent
    (YJB §24): you are warned when it is not recorded. When every chosen option is
    completed or declined, the closure letter (Wokingham 14) and closing the record
    (Somerset 12.1) fall due.

    {allowed}

    Example: rj offer V-0001 conference --status accepted --date 2026-04-20
    """
    ctx = current()
    record_id = victim_arg(record, "an offer")
    if status in ("offered", "accepted", "in-progress"):  # new work; an outcome may come late
        refuse_if_closed(record_id, closed_ok, f"an offer {status}")
    data = ctx.casebook.read(record_id)
    previous = latest_offers(entries(data, "offers")).get(option)
    if service is None and previous is not None and previous.get("service"):
        service = str(previous["service"])
    change = OfferChange(option=option, status=status, day=day_option(day), reason=reason,
                         service=service)
    refuse(offer_problems(change, ctx.today))
    victim = victim_from_dict(data)
    warn_all(offer_warnings(victim, change, previous))
    saved = save(record_id, appender("offers", offer_entry(ctx.new_id, change, ctx.worker)),
                 "record offer on")
    what = label(option) + (f" ({service})" if service else "")
    done(saved, as_json, f"{record_id}: {escape(what)} {label(status)} ({uk_date(change.day)}).")
    completed = support_completed_on(victim_from_dict(saved))
    if completed and not as_json and support_completed_on(victim) != completed:
        say(f"All the support {record_id} chose is now complete ({uk_date(completed)}): the "
            "closure letter and closing the record are due from here (rj due shows them).")
    if option == "support-referral" and status == "completed" and not entries(saved, "support"):
        say(f"[dim]For the KPI return, record it as support given too: rj support given "
            f"{record_id} --kind referral --service \"{escape(service or '')}\"[/dim]")


HELP_ORDER = 57


def register(app: typer.Typer) -> None:
    from rjcli.cli._help import help_with_values

    app.command(help=help_with_values(
        offer, ("OPTION:", RESTORATIVE_OPTIONS), ("--status:", OPTION_STATUSES)))(offer)
