"""What every command works with, built once in the root callback.

"Today" comes from --today or RJ_TODAY, else the system clock - read here and only
here, and passed down to the core as a parameter (shared/STYLE.md §6).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import click

from rjcli.errors import BadInput
from rjcli.storage.casebook import Casebook, entry_id, find_casebook


@dataclass
class AppContext:
    """The casebook, the date, the worker at the keyboard, and how to read."""

    casebook_option: str | None
    today: date
    now: datetime
    worker_typed: str | None
    """--worker / RJ_WORKER as typed; ``worker`` is the staff member it names."""
    use_cache: bool = True
    clock: datetime | None = None
    """The machine's clock (or RJ_CLOCK) when the command started: ``recorded_at``."""
    _casebook: Casebook | None = field(default=None, repr=False)
    _worker: tuple[str | None] | None = field(default=None, repr=False)

    @property
    def recorded_at(self) -> datetime:
        """When an entry is written down: the real clock, never --today (Wokingham 4)."""
        if self.clock is None:
            self.clock = clock_now()
        return self.clock

    @property
    def casebook(self) -> Casebook:
        if self._casebook is None:
            root = find_casebook(self.casebook_option, os.environ.get("RJ_CASEBOOK"), Path.cwd())
            from rjcli.storage.permissions import owner_only

            tightened = owner_only(root)  # a clone or copy arrives readable by others
            if tightened:
                sys.stderr.write(tightened + "\n")
            self._casebook = Casebook(root)
            self._casebook.before_write = self.writer
            if self.use_cache:
                self._casebook.after_write = self._index_written
        return self._casebook

    @property
    def worker(self) -> str | None:
        """The staff member at the keyboard: --worker / RJ_WORKER matched to the staff list
        (refused when it names nobody on it); None when not given."""
        if self._worker is None:
            typed = self.worker_typed
            from_env = typed is not None and os.environ.get("RJ_WORKER") == typed
            self._worker = (self.staff_name(typed, "RJ_WORKER" if from_env else "--worker")
                            if typed and typed.strip() else None,)
        return self._worker[0]

    def staff_name(self, typed: str, what: str, role: str = "rj-worker",
                   retired_too: bool = False) -> str:
        """The full name of the staff member ``typed`` names, or a clear refusal with the
        names it may have meant. With no staff list yet (a new casebook) names are kept as
        typed: there is nobody to check them against. Someone retired is refused unless
        ``retired_too`` (a filter looking at their old work)."""
        from rjcli.core.staff import match_staff
        from rjcli.core.text import name_problem

        problem = name_problem(what, typed)  # before matching: never echo a control character
        if problem:
            raise BadInput(problem, hint="type the name as one line of plain text")
        members = self.casebook.config.staff
        staff = [s.name for s in members if retired_too or s.retired is None]
        if not members:
            return " ".join(typed.split())
        formerly = {old: s.name for s in members for old in s.formerly}
        found = match_staff(typed, staff, formerly)
        if found.name is not None:
            return found.name
        gone = match_staff(typed, [s.name for s in members], formerly).name
        if gone is not None:
            when = next(s.retired for s in members if s.name == gone)
            raise BadInput(f"{what} {gone} retired on {when}: no new work or changes in their "
                           "name", hint="the staff now: rj staff list")
        maybe = f"; did you mean {' or '.join(found.suggestions)}?" if found.suggestions else ""
        raise BadInput(f"{what} {found.problem}{maybe}",
                       hint=f"staff: {', '.join(staff)}. Someone new is added with: "
                            f'rj staff add "{" ".join(typed.split())}" --role {role}')

    def writer(self) -> str | None:
        """The staff member making a change (the git author too). Refused when nobody is
        named while the casebook has a staff list: every entry records who made it."""
        who = self.worker
        if who is None and self.casebook.config.staff:
            names = ", ".join(s.name for s in self.casebook.config.staff)
            raise BadInput("say who you are: rj records who made every change",
                           hint=f'give --worker "Your Name" (before the command) or set '
                                f"RJ_WORKER; staff: {names}")
        self.casebook.worker = who
        return who

    def _index_written(self, path: Path, raw: bytes) -> None:
        from rjcli.storage.index import note_written

        note_written(self.casebook, path, raw, self.today)

    @staticmethod
    def new_id() -> str:
        return entry_id()


def current() -> AppContext:
    """The AppContext of the running command."""
    ctx = click.get_current_context()
    obj = ctx.find_root().obj
    if not isinstance(obj, AppContext):  # pragma: no cover - root callback always sets it
        raise RuntimeError("rj context missing")
    return obj


def parse_day(text: str | None, today: date, what: str = "date") -> date | None:
    """A date typed by a person, read day first (rjcli.core.when): 05/06/2026, 5 June,
    yesterday, monday, 2026-06-05..."""
    if text is None or text == "":
        return None
    from rjcli.core.when import ACCEPTED_DATES, NotUnderstood, parse_date

    try:
        return parse_date(text, today)
    except NotUnderstood as exc:
        raise BadInput(f"{what} {exc}", hint=f"dates are read day first: {ACCEPTED_DATES}"
                       ) from None


def parse_moment(text: str | None, now: datetime, what: str = "time") -> datetime:
    """A moment typed by a person, read day first (rjcli.core.when): 'yesterday 14:30',
    '05/06/2026 10:15', '2pm' (today), a date alone (09:00). None or 'now': the clock's
    time of day on the working date, never after ``now``."""
    if text is None or text.strip() == "" or text.strip().lower() == "now":
        real = clock_now()
        if real.date() != now.date():  # --today: that day, at the clock's time of day
            real = datetime.combine(now.date(), real.time())
        return min(real, now).replace(second=0, microsecond=0)
    from rjcli.core.when import ACCEPTED, NotUnderstood
    from rjcli.core.when import parse_moment as read_moment

    try:
        return read_moment(text, now.date())
    except NotUnderstood as exc:
        raise BadInput(f"{what} {exc}", hint=f"accepted: {ACCEPTED}") from None


def interactive() -> bool:
    """True when a person is at a terminal (prompts allowed); never in scripts or CI."""
    return sys.stdin.isatty() and sys.stdout.isatty()


CLOCK_VARIABLE = "RJ_CLOCK"
"""Pins the machine's clock for tests and demonstrations: RJ_CLOCK=2026-04-07T10:00."""


def clock_now() -> datetime:
    """The machine's clock (or RJ_CLOCK): when things are recorded, whatever --today says.
    The only place rj reads the clock."""
    pinned = os.environ.get(CLOCK_VARIABLE)
    if pinned:
        try:
            return datetime.fromisoformat(pinned.strip()).replace(tzinfo=None, second=0,
                                                                  microsecond=0)
        except ValueError:
            raise BadInput(f"{CLOCK_VARIABLE} '{pinned}' is not a date and time",
                           hint=f"e.g. {CLOCK_VARIABLE}=2026-04-07T10:00, or unset it") from None
    return datetime.now().replace(second=0, microsecond=0)


def today_from(option: str | None) -> tuple[date, datetime]:
    """(today, now) from --today / RJ_TODAY (read day first, like every date), else the
    clock.

    With --today the clock time of that day is unknowable, so "now" is its last minute:
    any time that day may be logged, none after it.
    """
    real_now = clock_now()
    if not option:
        return real_now.date(), real_now
    from rjcli.core.when import ACCEPTED_DATES, NotUnderstood, parse_date

    try:
        day = parse_date(option, real_now.date())
    except NotUnderstood as exc:
        raise BadInput(f"--today {exc}", hint=f"dates are read day first: {ACCEPTED_DATES}"
                       ) from None
    return day, datetime.combine(day, time(23, 59))


def record_id_arg(value: str) -> str:
    """A typed id, normalised (v-0001 -> V-0001), or a clear error."""
    from rjcli.core.ids import normalise_record_id

    record_id = normalise_record_id(value)
    if record_id is None:
        letters = "; they have no I, L, O or U (1 and 0 are digits)" \
            if any(c in value.upper()[2:] for c in "ILOU") else ""
        raise BadInput(f"'{value}' is not a record id",
                       hint=f"ids look like V-7K3M2Q (victims) or C-4HX9TD (children){letters}")
    return record_id
