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
    worker: str | None
    use_cache: bool = True
    _casebook: Casebook | None = field(default=None, repr=False)

    @property
    def casebook(self) -> Casebook:
        if self._casebook is None:
            root = find_casebook(self.casebook_option, os.environ.get("RJ_CASEBOOK"), Path.cwd())
            self._casebook = Casebook(root, self.worker)
            if self.use_cache:
                self._casebook.after_write = self._index_written
            self._casebook.tell = _tell
            from rjcli.storage.journal import recover

            recover(self._casebook, tell=_tell)  # a change a crash interrupted is finished
        return self._casebook

    def _index_written(self, path: Path, raw: bytes) -> None:
        from rjcli.storage.index import note_written

        note_written(self.casebook, path, raw, self.today)

    @staticmethod
    def new_id() -> str:
        return entry_id()


def _tell(message: str) -> None:
    from rjcli.render.terminal import escape, warn

    warn(escape(message))


def current() -> AppContext:
    """The AppContext of the running command."""
    ctx = click.get_current_context()
    obj = ctx.find_root().obj
    if not isinstance(obj, AppContext):  # pragma: no cover - root callback always sets it
        raise RuntimeError("rj context missing")
    return obj


def parse_day(text: str | None, today: date, what: str = "date") -> date | None:
    """A date typed by a person: YYYY-MM-DD, 'today' or 'yesterday'."""
    if text is None or text == "":
        return None
    word = text.strip().lower()
    if word == "today":
        return today
    if word == "yesterday":
        from datetime import timedelta

        return today - timedelta(days=1)
    try:
        return date.fromisoformat(word)
    except ValueError:
        raise BadInput(f"{what} '{text}' is not a real date", hint="write it as YYYY-MM-DD, e.g. 2026-04-01") from None


def parse_moment(text: str | None, now: datetime, what: str = "time") -> datetime:
    """A moment typed by a person: '2026-04-02 14:30', '14:30' (today), a date (09:00)."""
    if text is None or text.strip() == "" or text.strip().lower() == "now":
        real = datetime.now()
        if real.date() != now.date():  # --today: that day, at the clock's time of day
            real = datetime.combine(now.date(), real.time())
        return min(real, now).replace(second=0, microsecond=0)
    from dateutil import parser as dateparser

    try:
        default = now.replace(hour=9, minute=0, second=0, microsecond=0)
        moment = dateparser.parse(text, default=default, dayfirst=False, yearfirst=True)
    except (ValueError, OverflowError):
        raise BadInput(f"{what} '{text}' is not a date and time",
                       hint="write it as 'YYYY-MM-DD HH:MM', e.g. '2026-04-02 14:30'") from None
    return moment.replace(tzinfo=None, second=0, microsecond=0)


def interactive() -> bool:
    """True when a person is at a terminal (prompts allowed); never in scripts or CI."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def today_from(option: str | None) -> tuple[date, datetime]:
    """(today, now) from --today / RJ_TODAY, else the clock.

    With --today the clock time of that day is unknowable, so "now" is its last minute:
    any time that day may be logged, none after it.
    """
    real_now = datetime.now()
    if not option:
        return real_now.date(), real_now.replace(second=0, microsecond=0)
    try:
        day = date.fromisoformat(option.strip())
    except ValueError:
        raise BadInput(f"--today '{option}' is not a real date", hint="use YYYY-MM-DD") from None
    return day, datetime.combine(day, time(23, 59))


def record_id_arg(value: str) -> str:
    """A typed id, normalised (v-0001 -> V-0001), or a clear error."""
    from rjcli.core.ids import normalise_record_id

    record_id = normalise_record_id(value)
    if record_id is None:
        raise BadInput(f"'{value}' is not a record id",
                       hint="ids look like V-7K3M2Q (victims) or C-4HX9TD (children)")
    return record_id
