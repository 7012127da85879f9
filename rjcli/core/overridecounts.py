"""Safety gates a manager overrode, counted for the quarterly report (issue 18: an
override is recorded on the record, shown by rj explain and rj timeline, and counted in
reports). Pure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rjcli.core.gates import GATES
from rjcli.core.model import Victim
from rjcli.core.reports import Column, Table, dated, entries, single, tally

DEFINITION = ("Safety gates a manager overrode: the overrides recorded (rj's --override-by "
              "and --override-reason) on the victims allocated in the quarter, by the step "
              "the gate refused, up to the day the report is run; each override counts once. "
              "Who decided and why are on the record (rj explain, rj timeline), never in the "
              "report.")


def overrides_table(cohort: Sequence[Victim], today: date) -> Table:
    """One row per gate, and the total."""
    made = [(v.id, o) for v in cohort for o in entries(v, "overrides", today) if dated(o)]
    rows = [single(gate, f"{what[0].upper()}{what[1:]}",
                   tally(sum(1 for _, o in made if o.get("gate") == gate),
                         (i for i, o in made if o.get("gate") == gate)))
            for gate, what in GATES.items()]
    rows.append(single("total", "All overrides", tally(len(made), (i for i, _ in made)), True))
    return Table("overrides", "Safety gates a manager overrode",
                 "Overrides recorded on the victims allocated this quarter, by what the "
                 "manager let go ahead.", "Step allowed", (Column("number", "Number"),),
                 tuple(rows))
