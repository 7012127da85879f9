"""Equality monitoring of the victims allocated in a quarter, as counts only (Somerset 5.2;
issue 19): the service's ethnicity categories, sex and disability as recorded with
``rj victim set``. The victim's self-defined ethnicity, in their own words, is never
printed in a report. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rjcli.core.model import Victim
from rjcli.core.reports import Column, Row, Table, count, single
from rjcli.core.victimdetails import DISABILITY_ANSWERS
from rjcli.core.vocab import SEXES

DEFINITION = ("Equality monitoring: the victims allocated in the quarter by the service's "
              "ethnicity category, sex and disability as recorded (rj victim set); 'not "
              "recorded' where the record holds none. A victim's self-defined ethnicity is "
              "kept in their words on the record and never printed in a report.")


def _monitoring(v: Victim) -> Mapping[str, object]:
    raw = v.extra.get("monitoring")
    return raw if isinstance(raw, Mapping) else {}


def monitoring_table(cohort: Sequence[Victim]) -> Table:
    """One row per answer given, and one for none, for each of the three questions."""
    rows: list[Row] = []
    recorded = sorted({str(c) for v in cohort if (c := _monitoring(v).get("ethnicity_category"))})
    for field, label, answers in (("ethnicity", "Ethnicity category", recorded),
                                  ("sex", "Sex", list(SEXES)),
                                  ("disability", "Disability", list(DISABILITY_ANSWERS))):
        key = "ethnicity_category" if field == "ethnicity" else field
        for answer in answers:
            rows.append(single(f"{field}:{answer}", f"{label}: {answer}",
                               count(v.id for v in cohort if _monitoring(v).get(key) == answer)))
        rows.append(single(f"{field}:not-recorded", f"{label}: not recorded",
                           count(v.id for v in cohort if not _monitoring(v).get(key))))
    return Table("monitoring", "Equality monitoring",
                 "The victims allocated this quarter, by the monitoring details recorded.",
                 "Recorded", (Column("number", "Number"),), tuple(rows))
