"""Contacts written down late, counted for the quarterly timeliness section (pure;
issue 16, Wokingham 4).

Every contact says when it happened (``at``, the working date the worker gave) and when
rj wrote it down (``recorded_at``, the machine's clock). One written down more than two
working days after it happened is recorded late (``core/lateness.py``). The ``record-contact``
rule counts that too, but only in the profiles that hold it (Wokingham, Somerset), only for
victims' records and only by its deadline; this table counts it in every profile, on
victims' and children's records alike.

Who is counted: the contacts of the victims allocated in the quarter and of the children
whose order or intervention ended in it, whenever they happened up to the day the report
is run (as service activity follows its victims): each contact is counted in one quarter,
and a report from the index reads exactly these records.
"""

from __future__ import annotations

from collections.abc import Sequence

from rjcli.core.calendar import WorkingCalendar
from rjcli.core.lateness import RECORD_WITHIN, recorded_late, recording_times
from rjcli.core.model import Child, Victim
from rjcli.core.reports import Casework, Column, Figure, Period, Row, Table, percent, tally

DEFINITION = (
    f"Recorded late: a contact written down more than {RECORD_WITHIN} working days after it "
    "happened (Wokingham 4: \"within two working days of taking place\"), by the machine's "
    "clock, whatever date the worker gave. Counted for every contact on the records of the "
    "victims allocated this quarter and of the children whose order ended this quarter, up "
    "to the day the report is run, in every profile; contacts recorded before rj kept the "
    "time of recording are not counted. The rule 'record-contact', where the profile holds "
    "it, counts victims' contacts by their deadline."
)


Counted = tuple[list[str], list[str]]
"""(a record id for each contact recorded, a record id for each one recorded late)."""


def _counted(records: Sequence[Victim | Child], calendar: WorkingCalendar) -> Counted:
    recorded: list[str] = []
    late: list[str] = []
    for record in records:
        for happened, written in recording_times(record.extra).values():
            recorded.append(record.id)
            if recorded_late(happened, written, calendar):
                late.append(record.id)
    return recorded, late


def _row(key: str, label: str, counted: Counted, total: bool = False) -> Row:
    recorded, late = counted
    every: Figure = tally(len(recorded), recorded)
    behind: Figure = tally(len(late), late)
    return Row(key, label, (every, behind, percent(behind, every)), total)


def recorded_late_table(work: Casework, period: Period, calendar: WorkingCalendar) -> Table:
    victims = [v for _, v in sorted(work.victims.items()) if v.referral.allocated in period]
    children = [c for _, c in sorted(work.children.items()) if c.order_end in period]
    columns = (Column("recorded", "Contacts recorded"), Column("late", "Recorded late"),
               Column("late-share", "Share recorded late"))
    of_victims, of_children = _counted(victims, calendar), _counted(children, calendar)
    rows = (
        _row("victims", "On victims' records (allocated this quarter)", of_victims),
        _row("children", "On children's records (order ended this quarter)", of_children),
        _row("all", "All contacts", (of_victims[0] + of_children[0],
                                     of_victims[1] + of_children[1]), total=True),
    )
    return Table("recorded-late", "Contacts recorded late",
                 f"Contacts written down more than {RECORD_WITHIN} working days after they "
                 "happened (Wokingham 4), by the time rj recorded them.", "Contacts", columns,
                 rows, chart="late")
