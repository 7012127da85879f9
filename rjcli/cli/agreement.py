"""``rj agreement add|done|failed|copies|review``: the outcome agreement of a held
conference, each item followed to its date, the victim told of failures as well as
successes (Wait 'til Eight §7.7.2, appendix 7E). Registered by conference.py.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from rjcli.cli._work import day_option, done, refuse, victim_arg, warn_all
from rjcli.cli.conference import change_conference, conference_of
from rjcli.cli.context import current, parse_day
from rjcli.core.dates import uk_date
from rjcli.core.restorative import (
    ItemClosing,
    agreement_item,
    closing_fields,
    conference_date_problems,
    find_item,
    item_problems,
    next_item_number,
)
from rjcli.errors import BadInput
from rjcli.render.terminal import escape

agreement_app = typer.Typer(help="The outcome agreement: its items, followed to their dates.",
                            no_args_is_help=True)

ConferenceOption = Annotated[str | None, typer.Option(
    "--conference", help="The conference's entry id (default: the latest held one).",
    show_default=False)]


@agreement_app.command("add")
def agreement_add(
    record: Annotated[str, typer.Argument(help="The victim's record id.")],
    action: Annotated[str, typer.Option(help="What was agreed.", show_default=False)],
    who: Annotated[str, typer.Option(help="Who will do it (by role: the child, the case holder...).", show_default=False)],
    due: Annotated[str, typer.Option(help="By when.", show_default=False)],
    conference: ConferenceOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False,
) -> None:
    """Add an item to the outcome agreement of a held conference: what, who, by when.
    Items are numbered 1, 2, ...; each falls due on its date (Wait 'til Eight appendix 7E).

    Example: rj agreement add V-0009 --action "Write a letter of apology" --who child
    --due 2026-05-26
    """
    ctx = current()
    record_id = victim_arg(record, "an outcome agreement")
    conf = conference_of(record_id, conference, None if conference else "held")
    due_day = day_option(due, "--due")
    refuse(item_problems(conf, action, who, due_day))
    n = next_item_number(list(conf.get("agreement") or []))
    item = agreement_item(ctx.new_id, n, action, who, due_day, ctx.worker)

    def add(entry: Any) -> None:
        from rjcli.storage.edits import append

        append(entry, "agreement", item)

    data = change_conference(record_id, str(conf["id"]), add, "add agreement item on")
    done(data, as_json, f"{record_id}: agreement item {n} ({escape(item['action'])}), "
                        f"{escape(item['who'])}, due {uk_date(due_day)}.")


def _close_item(record: str, n: int, outcome: str, day: str | None, note: str | None,
                victim_told: str | None, conference: str | None, as_json: bool) -> None:
    ctx = current()
    record_id = victim_arg(record, "an outcome agreement")
    conf = conference_of(record_id, conference, None if conference else "held")
    item = find_item(conf, n)
    if item is None:
        count = len(conf.get("agreement") or [])
        raise BadInput(f"{record_id}: the agreement has no item {n} ({count} items)",
                       hint=f"rj timeline {record_id} lists them")
    closing = ItemClosing(outcome, day_option(day), note,
                          parse_day(victim_told, ctx.today, "--victim-told"))
    fields, problems = closing_fields(item, closing, ctx.today)
    refuse(problems)

    def close(entry: Any) -> None:
        from rjcli.storage.edits import set_in

        for i, stored in enumerate(entry.get("agreement") or [], 1):
            if stored.get("n", i) == n:
                for key, value in fields.items():
                    set_in(stored, [key], value)

    data = change_conference(record_id, str(conf["id"]), close, f"mark agreement item {outcome} on")
    told = fields.get("victim_told") or item.get("victim_told")
    done(data, as_json, f"{record_id}: agreement item {n} {outcome}"
                        + (f"; the victim was told {uk_date(told)}" if told else "") + ".")
    if outcome == "failed" and not told:
        warn_all([f"item {n} stays due until the victim is told it failed (Wait 'til Eight "
                  f"§7.7.2): rj agreement failed {record_id} {n} --victim-told DATE"])


@agreement_app.command("done")
def agreement_done(
    record: Annotated[str, typer.Argument(help="The victim's record id.")],
    n: Annotated[int, typer.Argument(help="The item number.")],
    day: Annotated[str | None, typer.Option("--date", help="When it was done (default today).")] = None,
    note: Annotated[str | None, typer.Option(help="What was done.")] = None,
    victim_told: Annotated[str | None, typer.Option(help="When the victim was told.")] = None,
    conference: ConferenceOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False,
) -> None:
    """Mark an agreement item done. Tell the victim about successes too (§7.7.2).

    Example: rj agreement done V-0009 4 --date 2026-06-12 --note "Note passed on"
    --victim-told 2026-06-12
    """
    _close_item(record, n, "done", day, note, victim_told, conference, as_json)


@agreement_app.command("failed")
def agreement_failed(
    record: Annotated[str, typer.Argument(help="The victim's record id.")],
    n: Annotated[int, typer.Argument(help="The item number.")],
    day: Annotated[str | None, typer.Option("--date", help="When it was found to have failed (default today).")] = None,
    note: Annotated[str | None, typer.Option(help="What happened.")] = None,
    victim_told: Annotated[str | None, typer.Option(help="When the victim was told (the item stays due until then).")] = None,
    conference: ConferenceOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False,
) -> None:
    """Mark an agreement item failed. It stays due until the victim is told: victims must
    hear of failures as well as successes (Wait 'til Eight §7.7.2). Run it again with
    --victim-told once they have been.

    Example: rj agreement failed V-0009 4 --note "Left her college course"
    --victim-told 2026-06-15
    """
    _close_item(record, n, "failed", day, note, victim_told, conference, as_json)


@agreement_app.command("copies")
def agreement_copies(
    record: Annotated[str, typer.Argument(help="The victim's record id.")],
    day: Annotated[str | None, typer.Option("--date", help="When they were sent (default today).")] = None,
    conference: ConferenceOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False,
) -> None:
    """Record that copies of the outcome agreement went to everyone who took part
    (within 3 working days of the conference: Wait 'til Eight appendix 7E).

    Example: rj agreement copies V-0009 --date 2026-05-13
    """
    ctx = current()
    record_id = victim_arg(record, "an outcome agreement")
    conf = conference_of(record_id, conference, None if conference else "held")
    when = day_option(day)
    refuse(conference_date_problems(conf, when, ctx.today, "the date copies were sent"))

    def mark(entry: Any) -> None:
        from rjcli.storage.edits import set_in

        set_in(entry, ["copies_sent"], when)

    data = change_conference(record_id, str(conf["id"]), mark, "record agreement copies on")
    done(data, as_json, f"{record_id}: copies of the outcome agreement sent {uk_date(when)}.")


@agreement_app.command("review")
def agreement_review(
    record: Annotated[str, typer.Argument(help="The victim's record id.")],
    note: Annotated[str, typer.Option(help="What the review found; any support either party needs.", show_default=False)],
    day: Annotated[str | None, typer.Option("--date", help="When (default today).")] = None,
    conference: ConferenceOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False,
) -> None:
    """Record the review and follow-up with both parties after the conference
    (Wokingham 22.1), or the debrief after a panel (Wokingham 23.5).

    Example: rj agreement review V-0009 --date 2026-06-03 --note "Both content"
    """
    ctx = current()
    record_id = victim_arg(record, "an outcome agreement")
    conf = conference_of(record_id, conference, None if conference else "held")
    when = day_option(day)
    refuse(conference_date_problems(conf, when, ctx.today, "the review date")
           + ([] if note.strip() else ["say what the review found with --note"]))
    review = {"date": when, "note": note.strip(), **({"by": ctx.worker} if ctx.worker else {})}

    def mark(entry: Any) -> None:
        from rjcli.storage.edits import set_in

        set_in(entry, ["review"], review)

    data = change_conference(record_id, str(conf["id"]), mark, "record agreement review on")
    done(data, as_json, f"{record_id}: outcome agreement reviewed {uk_date(when)}.")
