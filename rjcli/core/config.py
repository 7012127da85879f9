"""The casebook's own settings, from ``rj.yaml`` (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rjcli.core.dates import as_date
from rjcli.core.model import Address, address_from, clean_text


@dataclass(frozen=True)
class Service:
    """The youth justice service whose casebook this is (letterhead, contact)."""

    name: str
    """Service name as printed on letters."""
    address: Address | None
    """Postal address."""
    phone: str | None
    """Main telephone number (never withheld: Somerset 6.1)."""
    email: str | None
    """Main e-mail address."""
    letterhead: tuple[str, ...]
    """Lines printed at the top of every letter."""
    complaints: str | None
    """How to complain (Somerset 13; Tower Hamlets: told at the start)."""
    sign_off: str | None = None
    """The words before the signature of every letter (default: Yours sincerely)."""


@dataclass(frozen=True)
class StaffMember:
    """Someone who signs letters and is allocated work."""

    name: str
    """Full name, as it is typed with --worker."""
    role: str
    """rj-worker, case-holder, manager, admin."""
    phone: str | None
    """Direct line."""
    email: str | None
    """E-mail."""
    retired: date | None = None
    """The day they left: no new work or changes in their name (history keeps it)."""
    formerly: tuple[str, ...] = ()
    """Names they had before a rename: typed, they still find this person."""


@dataclass(frozen=True)
class CasebookConfig:
    """Everything ``rj.yaml`` says."""

    service: Service
    """The service."""
    staff: tuple[StaffMember, ...]
    """Staff list."""
    profile: str
    """Policy profile: national, wokingham, somerset, tower-hamlets."""
    rule_overrides: Mapping[str, Mapping[str, Any]]
    """Per-rule changes (``enabled: false``, another offset, ...)."""
    extra_rules: tuple[Mapping[str, Any], ...]
    """Rules the service adds."""
    region: str
    """Working-day region: england (default) or wales."""
    closures: tuple[date, ...]
    """Days the service is closed, on top of bank holidays."""
    retention_years: Mapping[str, int]
    """Years to keep a closed record, by record kind (YJB §29)."""
    autocommit: bool
    """Commit every change to git."""
    raw: Mapping[str, Any] = field(compare=False, default_factory=dict)
    """The parsed file."""
    addons: tuple[str, ...] = ()
    """Policy add-ons switched on (``wait-til-eight``)."""

    def staff_member(self, name: str | None) -> StaffMember | None:
        if not name:
            return None
        wanted = name.strip().casefold()
        for member in self.staff:
            if member.name.casefold() == wanted:
                return member
        return None


MAX_RETENTION_YEARS = 100
"""As schemas/casebook.schema.json states: more would take a retention date past the
dates rj keeps."""


def _years(kind: object, value: object) -> int:
    """Retention years of one kind of record; ValueError naming it when not 0 to 100."""
    if isinstance(value, bool) or not isinstance(value, int) or \
            not 0 <= value <= MAX_RETENTION_YEARS:
        raise ValueError(f"retention.{kind}: {value!r} is not a whole number of years from 0 "
                         f"to {MAX_RETENTION_YEARS}")
    return value


def config_from_dict(data: Mapping[str, Any]) -> CasebookConfig:
    """Settings from a parsed rj.yaml (already schema-valid), with defaults."""
    service = data.get("service") or {}
    policy = data.get("policy") or {}
    calendar = data.get("calendar") or {}
    retention = data.get("retention") or {}
    git = data.get("git") or {}
    closures = tuple(d for d in (as_date(v) for v in calendar.get("closures") or []) if d)
    return CasebookConfig(
        service=Service(
            name=str(service.get("name", "")),
            address=address_from(service.get("address")),
            phone=clean_text(service.get("phone")),
            email=clean_text(service.get("email")),
            letterhead=tuple(str(x) for x in service.get("letterhead") or []),
            complaints=clean_text(service.get("complaints")),
            sign_off=clean_text(service.get("sign_off")),
        ),
        staff=tuple(
            StaffMember(
                name=str(s.get("name", "")), role=str(s.get("role", "rj-worker")),
                phone=clean_text(s.get("phone")), email=clean_text(s.get("email")),
                retired=as_date(s.get("retired")),
                formerly=tuple(str(x) for x in s.get("formerly") or []),
            )
            for s in data.get("staff") or []
        ),
        profile=str(policy.get("profile") or "national"),
        rule_overrides=policy.get("rules") or {},
        extra_rules=tuple(policy.get("add") or []),
        region=str(calendar.get("region") or "england"),
        closures=closures,
        retention_years={str(k): _years(k, v) for k, v in retention.items()},
        autocommit=bool(git.get("autocommit", False)),
        raw=data,
        addons=tuple(str(a) for a in policy.get("addons") or ()),
    )
