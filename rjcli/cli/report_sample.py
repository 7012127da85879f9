"""``rj report sample``: an inspection sample pack of closed victim cases (issue 20).

Registered on ``rj report`` by ``rjcli/cli/report.py`` (one line there), so that a run of
``rj report ...`` imports only the report modules.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rjcli.cli.context import AppContext, current
from rjcli.errors import BadInput

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date

    from rjcli.core.calendar import WorkingCalendar
    from rjcli.core.policy import Policy
    from rjcli.core.reports import Casework, Period
    from rjcli.core.samplepack import Cleaner, SampleCase

SEED = re.compile(r"[A-Za-z0-9_.-]{1,40}")
"""What a seed may be: it is printed, and part of the default file name."""


def sample(
    n: Annotated[int, typer.Option("--n", help="How many cases to draw (all of them, and it "
                                   "says so, when fewer were closed).")] = 12,
    seed: Annotated[str | None, typer.Option(
        help="The seed of the draw: the same seed draws the same cases again (default: one "
        "chosen at random, and printed).", show_default=False)] = None,
    quarter: Annotated[str | None, typer.Option(
        help="Cases closed in this financial-year quarter: 2026-Q1 is April to June 2026.",
        show_default=False)] = None,
    half: Annotated[str | None, typer.Option(
        help="Cases closed in this half: 2026-H1 is April to September 2026.",
        show_default=False)] = None,
    year: Annotated[int | None, typer.Option(
        help="Cases closed in this financial year: 2026 is April 2026 to March 2027.",
        show_default=False)] = None,
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help="md, html or json.")] = "md",
    out_path: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write to this file (default: output/ in the casebook).",
        show_default=False)] = None,
    explain: Annotated[bool, typer.Option(
        "--explain", help="Internal use only: print each sampled case's record id.")] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace the --out file even if rj did not write it.")] = False,
) -> None:
    """An inspection or quality-assurance sample: victim cases closed in the period (and
    closed still), drawn at random by a seed that is printed, each with its whole timeline
    (as rj timeline) and every rule's evaluation (as rj explain). Names, phone numbers,
    e-mail addresses, postcodes, addresses, dates of birth and record ids are taken out of
    every text. Always written to a file, readable by its owner only. Default period: the
    last complete quarter.

    Example: rj report sample --quarter 2026-Q1 --n 12 --seed 2026 --format html
    """
    from rjcli.cli.report import _code_period
    from rjcli.core.reports import Redactor
    from rjcli.core.samplepack import Cleaner, SamplePack, candidates, draw
    from rjcli.render.samplepack import FORMATS, render
    from rjcli.render.terminal import escape, say
    from rjcli.storage.outpaths import write_output

    ctx = current()
    word = fmt.strip().lower()
    if word not in FORMATS:
        raise BadInput(f"--format '{fmt}' is not one of: {', '.join(FORMATS)}")
    if n < 1:
        raise BadInput(f"--n {n} draws no case", hint="give how many cases to draw: --n 12")
    chosen = seed is None
    seed = _random_seed() if seed is None else seed.strip()
    if not SEED.fullmatch(seed):
        raise BadInput(f"--seed '{seed}' is not a seed", hint="use up to 40 letters, digits, "
                       "'.', '-' or '_': --seed 2026")
    period = _code_period(quarter, half, year, ctx.today)
    work, policy_profile = _everyone(ctx)
    closed = candidates(work.victims.values(), period)
    clean = Cleaner(Redactor(work))
    rules = _rules(ctx)
    cases = [_case(ctx, work, rules, number, case_id, closed[case_id], clean)
             for number, case_id in enumerate(draw(closed, seed, n), start=1)]
    pack = SamplePack(ctx.casebook.config.service.name, period, ctx.today, seed, chosen, n,
                      len(closed), policy_profile, tuple(cases),
                      _period_option(quarter, half, year, period))
    if out_path is None:
        out_path = ctx.casebook.output_dir / f"sample-{period.label}-seed-{seed}.{word}"
    data = render(pack, word, explain).encode("utf-8")
    write_output(ctx.casebook.root, out_path, data, "an inspection sample", force)
    say(f"Sample of {len(cases)} case(s) (seed {escape(seed)}) written to "
        f"{escape(str(out_path))}")


def _random_seed() -> str:
    import secrets

    return str(secrets.randbelow(900_000) + 100_000)


def _period_option(quarter: str | None, half: str | None, year: int | None,
                   period: Period) -> str:
    if year is not None:
        return f"--year {year}"
    return f"--half {period.label}" if half is not None else f"--quarter {period.label}"


def _everyone(ctx: AppContext) -> tuple[Casework, str]:
    """Every record (the draw looks at every victim; the cleaner at everyone's identifiers),
    and the policy profile in force."""
    from rjcli.cli.report import load_casework
    from rjcli.storage.policy import load_policy

    work, _problems, _cal = load_casework(ctx, evaluate="none")
    return work, load_policy(ctx.casebook).profile


def _rules(ctx: AppContext) -> tuple[Policy, WorkingCalendar, Mapping[str, str]]:
    """The policy, the calendar and the staff by role, as rj explain reads them."""
    from rjcli.storage.policy import load_calendar, load_policy
    from rjcli.storage.snapshot import staff_by_role

    casebook = ctx.casebook
    return load_policy(casebook), load_calendar(casebook, ctx.today), staff_by_role(casebook)


def _case(ctx: AppContext, work: Casework,
          rules: tuple[Policy, WorkingCalendar, Mapping[str, str]], number: int,
          case_id: str, closed: date, clean: Cleaner) -> SampleCase:
    """One sampled case, its timeline and rule evaluation worked out as rj timeline and
    rj explain do (from its file)."""
    from rjcli.core.deadlines import evaluate_case, victim_case
    from rjcli.core.lateness import late_entries, mark_late
    from rjcli.core.samplepack import sample_case
    from rjcli.core.timeline import victim_timeline

    policy, cal, roles = rules
    victim = ctx.casebook.victim(case_id)
    raw = ctx.casebook.read(case_id)
    children = {c: work.children[c] for c in victim.child_ids if c in work.children}
    evaluations = evaluate_case(victim_case(victim, children, roles), policy, cal)
    events = mark_late(victim_timeline(raw, list(children.values())), late_entries(raw, cal))
    return sample_case(number, victim, closed, events, evaluations, ctx.today, clean)
