"""Reading a fresh index: summaries, problems, due items, parsed records, per-file
check results, rule instances for reports, and what a period's report selects by."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from rjcli.core.due import DueItem
from rjcli.core.problems import Problem
from rjcli.core.summary import RecordSummary
from rjcli.storage.casebook import Loaded
from rjcli.storage.index.history import RuleHistory
from rjcli.storage.index.rows import item_from
from rjcli.storage.index.verdicts import KeptVerdicts

if TYPE_CHECKING:
    from rjcli.core.model import Identifiers
    from rjcli.core.policy import Policy


class Queries(RuleHistory):
    """What commands read from the index (after a refresh)."""

    def summaries(self) -> list[RecordSummary]:
        rows = self.open().execute("SELECT summary FROM files WHERE summary IS NOT NULL")
        return [RecordSummary(**json.loads(s)) for (s,) in rows]

    def problems(self) -> list[Problem]:
        rows = self.open().execute("SELECT path, problem FROM files WHERE problem IS NOT NULL")
        out = []
        for path, raw in rows:
            line, column, message = json.loads(raw)
            out.append(Problem(path, line, message, column))
        return sorted(out)

    def due_items(self) -> list[DueItem]:
        """Outstanding items of open records (the ``due`` table, kept by every refresh)."""
        rows = self.open().execute("SELECT items FROM due")
        text = ",".join(raw[1:-1] for (raw,) in rows)
        return [item_from(i) for i in json.loads(f"[{text}]")]

    def open_data(self, fields: Iterable[str]) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """(kind, record id, these top-level fields of its parsed data) of every open
        record (the caseload reads a few fields of a fifth of the records)."""
        yield from self._fields(fields, "is_open=1")

    def data_with(self, kind: str, fields: Iterable[str]) -> Iterator[tuple[str, str,
                                                                            dict[str, Any]]]:
        """(kind, record id, these top-level fields of its parsed data) of the records of
        ``kind`` that have any of these fields but ``id`` (e.g. feedback or complaints)."""
        fields = [f for f in fields if _plain(f)]
        having = " OR ".join(f"json_extract(data, '$.{f}') IS NOT NULL"
                             for f in fields if f != "id")
        yield from self._fields(fields, f"kind=? AND ({having or '0'})", (kind,))

    def dated_in(self, kind: str, fields: Iterable[str], logs: Iterable[str], first: date,
                 last: date) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """As :meth:`data_with`, for the records with an entry in any of the ``logs`` whose
        ``date`` may fall between ``first`` and ``last`` (an ISO date in the span, or a
        value that is not an ISO date: the caller's own reading decides those)."""
        iso = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
        day = "substr(json_extract(j.value, '$.date'), 1, 10)"
        maybe = (f"json_type(j.value, '$.date') IS NOT 'text' OR NOT {day} GLOB '{iso}' "
                 f"OR {day} BETWEEN :first AND :last")
        having = " OR ".join(
            f"(json_type(data, '$.{log}') = 'array' AND EXISTS (SELECT 1 FROM "
            f"json_each(data, '$.{log}') j WHERE j.type = 'object' AND ({maybe})))"
            for log in logs if _plain(log))
        pairs = ", ".join(f"'{f}', json_extract(data, '$.{f}')" for f in fields if _plain(f))
        for kind_, record_id, raw in self.open().execute(
                f"SELECT kind, record_id, json_object({pairs}) FROM files "
                f"WHERE data IS NOT NULL AND kind = :kind AND ({having or '0'})",
                {"kind": kind, "first": first.isoformat(), "last": last.isoformat()}):
            yield kind_, record_id, {k: v for k, v in json.loads(raw).items() if v is not None}

    def _fields(self, fields: Iterable[str], where: str, args: tuple[str, ...] = ()
                ) -> Iterator[tuple[str, str, dict[str, Any]]]:
        pairs = ", ".join(f"'{f}', json_extract(data, '$.{f}')" for f in fields if _plain(f))
        for kind, record_id, raw in self.open().execute(
                f"SELECT kind, record_id, json_object({pairs}) FROM files "
                f"WHERE data IS NOT NULL AND {where}", args):
            yield kind, record_id, {k: v for k, v in json.loads(raw).items() if v is not None}

    def outstanding(self, policy: Policy) -> dict[str, list[Any]]:
        """The outstanding rule instances of open records, by record id, as evaluations
        (from the ``due`` table: those with a due date, all the caseload counts)."""
        from rjcli.core.deadlines import Evaluation

        rules = {r.id: r for r in policy.rules}
        out: dict[str, list[Any]] = {}
        for item in self.due_items():
            if item.rule in rules:
                out.setdefault(item.case, []).append(Evaluation(
                    item.case, rules[item.rule], True, "", due=item.due, worker=item.worker))
        return out

    def loaded(self) -> Loaded:
        """Every readable record as ``Casebook.load_all`` gives it, from the index."""
        from rjcli.core.model import child_from_dict, victim_from_dict

        loaded = Loaded(problems=self.problems())
        rows = self.open().execute(
            "SELECT kind, path, record_id, data FROM files WHERE data IS NOT NULL")
        for kind, rel, record_id, raw in rows:
            data = json.loads(raw)
            loaded.data[record_id] = data
            loaded.paths[record_id] = rel
            if kind == "victim":
                loaded.victims[record_id] = victim_from_dict(data)
            else:
                loaded.children[record_id] = child_from_dict(data)
        return loaded

    def evaluations(self, policy: Policy, due_in: tuple[date, date] | None = None,
                    whole: Iterable[str] = ()) -> dict[str, list[Any]]:
        """Every record's rule instances as the reports read them (rule, applies, due,
        met), rebuilt from the index; instances of rules no longer in force are dropped.
        With ``due_in``: only the instances due in that span, except for the ``whole``
        records (all of theirs)."""
        from rjcli.core.deadlines import RuleTiming

        rules = {r.id: r for r in policy.rules}
        days: dict[int, date] = {}

        def day(n: int | None) -> date | None:
            if n is None:
                return None
            found = days.get(n)
            if found is None:
                found = days[n] = date.fromordinal(n)
            return found

        def timings(record_id: str, compact: list[Any]) -> list[RuleTiming]:
            return [RuleTiming(record_id, rules[rule_id], bool(applies), day(due), day(met),
                               applies == 2)
                    for rule_id, applies, due, met in compact if rule_id in rules]

        self.complete_rule_history()  # what a cold build left for the first report
        db = self.open()
        if due_in is None:
            return {record_id: timings(record_id, json.loads(raw)) for record_id, raw in
                    db.execute("SELECT record_id, evals FROM files WHERE evals IS NOT NULL")}
        whole = json.dumps(sorted(whole))
        out = {record_id: timings(record_id, json.loads(raw)) for record_id, raw in db.execute(
            "SELECT record_id, evals FROM files WHERE evals IS NOT NULL AND record_id IN "
            "(SELECT value FROM json_each(?))", (whole,))}
        first, last = (d.toordinal() for d in due_in)
        spans = self._due_spans()
        # the records with an instance due in the span (by their first and last due day),
        # their instances filtered here: a third of the time of json_each in SQL
        for record_id, raw in db.execute(
                "SELECT f.record_id, f.evals FROM "
                f"{'due_spans s JOIN files f ON f.path = s.path' if spans else 'files f'} "
                f"WHERE {'s.last >= :first AND s.first <= :last AND ' if spans else ''}"
                "f.evals IS NOT NULL AND f.record_id NOT IN (SELECT value FROM json_each(:whole))",
                {"first": first, "last": last, "whole": whole}):
            due = [c for c in json.loads(raw)
                   if c[2].__class__ is int and first <= c[2] <= last]
            if due:
                out.setdefault(record_id, []).extend(timings(record_id, due))
        return out

    def _due_spans(self) -> bool:
        """Whether ``due_spans`` holds the first and last due day of every record's rule
        instances (made here for the rows written since: the index's triggers delete a
        row's span whenever its instances are written). False when it cannot be made
        now (the index busy): every record's instances are read instead."""
        db = self.open()
        try:
            db.execute(
                "INSERT OR REPLACE INTO due_spans SELECT f.path, "
                "min(json_extract(j.value, '$[2]')), max(json_extract(j.value, '$[2]')) "
                "FROM files f LEFT JOIN json_each(f.evals) j WHERE f.evals IS NOT NULL "
                "AND f.path NOT IN (SELECT path FROM due_spans) GROUP BY f.path")
            db.commit()
        except sqlite3.Error:
            db.rollback()
            return False
        return True

    # --- what a period's report selects by ---------------------------------------------

    def ids_between(self, kind: str, column: str, first: date, last: date) -> set[str]:
        """Records of ``kind`` whose ``allocated`` or ``order_end`` day is in the span."""
        if column not in ("allocated", "order_end"):
            raise ValueError(column)
        return {r for (r,) in self.open().execute(
            f"SELECT record_id FROM files WHERE kind=? AND {column} BETWEEN ? AND ?",
            (kind, first.toordinal(), last.toordinal()))}

    def linked(self, ids: Iterable[str], kind: str) -> set[str]:
        """Records of ``kind`` linked to any of ``ids`` either way round: naming one of
        them in their links, or named in one of theirs (from the ``links`` table, which
        the index's triggers keep in step with every row's links)."""
        wanted = json.dumps(sorted(ids))
        db = self.open()
        found = {r for (r,) in db.execute(
            "SELECT DISTINCT record_id FROM links WHERE kind=? AND target IN "
            "(SELECT value FROM json_each(?))", (kind, wanted))}
        return found | {r for (r,) in db.execute(
            "SELECT DISTINCT f.record_id FROM links l JOIN files f ON f.record_id = l.target "
            "WHERE f.kind=? AND l.record_id IN (SELECT value FROM json_each(?))",
            (kind, wanted))}

    def data_of(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The parsed data of these records (those readable)."""
        return {r: data for r, (_, data) in self._data_of(ids).items()}

    def people(self) -> tuple[Identifiers, ...]:
        """The identifiers of every readable record (reports keep them out of their text)."""
        from rjcli.core.model import Identifiers

        (raw,) = self.open().execute(
            "SELECT '[' || coalesce(group_concat(people, ','), '') || ']' FROM files "
            "WHERE people IS NOT NULL").fetchone()
        return tuple(Identifiers(*(tuple(v) if isinstance(v, list) else v for v in row))
                     for row in json.loads(raw))

    def verdicts(self) -> KeptVerdicts:
        """What the report redactor said of each text it judged before, still valid for
        the identifiers held now (read before them); new verdicts are kept."""
        return KeptVerdicts(self)

    def data(self, kind: str | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
        """(record id, parsed data) of every readable record (reports, exports)."""
        query = "SELECT record_id, data FROM files WHERE data IS NOT NULL"
        args: tuple[str, ...] = ()
        if kind:
            query += " AND kind=?"
            args = (kind,)
        for record_id, raw in self.open().execute(query, args):
            yield record_id, json.loads(raw)


def _plain(field: str) -> bool:
    """A field name that can stand in a JSON path as it is (letters, digits, _)."""
    return field.replace("_", "").isalnum() and field.isascii()
