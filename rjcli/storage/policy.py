"""Loading the policy in force and the working-day calendar for a casebook.

Profiles: the shipped ``policy/profiles/*.yaml``, where a casebook's own
``policy/profiles/NAME.yaml`` replaces the shipped one of that name. Each file is
checked against ``schemas/policy.schema.json``; rj.yaml's ``policy`` section is
checked against ``schemas/casebook.schema.json`` before it changes anything, so an
unknown field in a rule is a clear error rather than a silently ignored line.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from typing import TYPE_CHECKING

from rjcli.errors import RecordInvalid
from rjcli.shipped import shipped_dir
from rjcli.storage.casebook import CONFIG_FILE, Casebook

if TYPE_CHECKING:
    from rjcli.core.calendar import WorkingCalendar
    from rjcli.core.policy import Policy


def profile_files(casebook: Casebook) -> dict[str, Path]:
    """Profile name -> file in use (the casebook's own first). A link or FIFO anywhere
    under the casebook's policy/ stops here, before anything there is read (the index
    reads checklists after the profiles: rjcli/storage/filekinds.py)."""
    from rjcli.storage.filekinds import refuse_irregular

    refuse_irregular(casebook.root, "policy", "the casebook's policy files")
    files = {p.stem: p for p in sorted((shipped_dir("policy") / "profiles").glob("*.yaml"))}
    own = casebook.root / "policy" / "profiles"
    if own.is_dir():
        files.update({p.stem: p for p in sorted(own.glob("*.yaml"))})
    return files


def policy_fingerprint(casebook: Casebook) -> str:
    """Changes whenever a profile file or rj.yaml changes (the index keys on it)."""
    digest = hashlib.sha256()
    for name, path in sorted(profile_files(casebook).items()):
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update((casebook.root / CONFIG_FILE).read_bytes())
    return digest.hexdigest()[:16]


def load_checked(casebook: Casebook, path: Path, schema: str, what: str) -> Any:
    """A policy data file, parsed and checked against ``schemas/<schema>.schema.json``;
    RecordInvalid naming file and line (or the schema's first problems) otherwise. A file
    found valid before, byte for byte, is not checked again (``storage/validated.py``)."""
    from rjcli.storage import yamlio
    from rjcli.storage.recordfile import read_bytes
    from rjcli.storage.validated import found_valid, note_valid

    rel = casebook.rel(path)
    try:
        raw = read_bytes(path)
        data = yamlio.parse_text(yamlio.decode(raw))
    except yamlio.YamlProblem as exc:
        raise RecordInvalid(f"{rel}:{exc.line or '?'}: {exc.message}") from None
    if found_valid(casebook.cache_dir, schema, raw):
        return data
    from rjcli.storage.schemas import validate

    problems = validate(schema, data, rel)
    if problems:
        raise RecordInvalid(f"{rel}: " + "; ".join(p.message for p in problems[:5]),
                            hint=f"{what} follow schemas/{schema}.schema.json")
    note_valid(casebook.cache_dir, schema, raw)
    return data


def _load_profile(casebook: Casebook, path: Path) -> dict[str, Any]:
    return load_checked(casebook, path, "policy", "policy files")  # type: ignore[no-any-return]


def load_policy(casebook: Casebook) -> Policy:
    """The resolved policy: profile chain, then rj.yaml's changes and additions."""
    from rjcli.storage.schemas import validate

    problems = [p for p in validate("casebook", casebook.config_data, CONFIG_FILE)
                if p.message.startswith("policy")]
    if problems:
        raise RecordInvalid(f"{CONFIG_FILE}: " + "; ".join(p.message for p in problems[:5]),
                            hint="see 'Policy as data' in README.md for the fields a rule has")
    from rjcli.core.policy import PolicyError, resolve_policy

    profiles = {name: _load_profile(casebook, path) for name, path in profile_files(casebook).items()}
    config = casebook.config
    try:
        return resolve_policy(profiles, config.profile, config.rule_overrides, config.extra_rules,
                              config.addons)
    except PolicyError as exc:
        raise RecordInvalid(str(exc)) from None


def calendar_years(today: date) -> range:
    """Years the calendar covers: enough for old overdue items and a year ahead."""
    return range(min(2015, today.year - 5), today.year + 3)


def load_calendar(casebook: Casebook, today: date) -> WorkingCalendar:
    from rjcli.storage.bank_holidays import build_calendar

    config = casebook.config
    return build_calendar(config.region, config.closures, calendar_years(today))
