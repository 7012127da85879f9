"""Policy as data: the timescale rules of a service profile (pure).

Profiles live in ``policy/profiles/*.yaml`` (schema: ``schemas/policy.schema.json``).
Every local profile extends ``national`` (the YJB / Victims' Code minimum); a casebook
picks one in ``rj.yaml`` and may change (``policy.rules``) or add (``policy.add``)
rules. This module resolves that chain into one :class:`Policy`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Applies:
    """Who a rule applies to: every condition given must hold."""

    kinds: tuple[str, ...]
    """Victim kinds (empty: all)."""
    stages: tuple[str, ...]
    """Referral stages (empty: all)."""
    disposals: tuple[str, ...]
    """Disposals (empty: all)."""
    consent: str | None
    """Consent kind that must currently be 'yes' (None: no consent needed)."""
    flags: tuple[str, ...]
    """Flags that must all be set (under-18, vcs-eligible, ...)."""
    not_flags: tuple[str, ...]
    """Flags that must all be unset."""


@dataclass(frozen=True)
class Rule:
    """One timescale: from an event, an offset, met by other events."""

    id: str
    """Stable id (reports and users rely on it): ``first-contact``."""
    title: str
    """An instruction: "Make first contact with the victim"."""
    description: str
    """Plain-English explanation, including any ambiguity in the source."""
    record: str
    """``victim`` or ``child``: whose record the rule reads."""
    applies: Applies
    """Who it applies to."""
    start: str
    """The event it counts from (``from`` in the file)."""
    offset: int
    """How far from the start event the deadline falls."""
    unit: str
    """working-days, calendar-days or hours."""
    met_by: tuple[str, ...]
    """Events that meet it."""
    owner: str
    """The role that owns it: rj-worker, case-holder, manager, admin."""
    source: str
    """Where it comes from: "Wokingham 5; Somerset 6.1"."""
    enabled: bool = True
    """Switched off by the casebook when False."""
    profile: str = ""
    """The profile (or ``rj.yaml``) that defined it last."""

    def timing_text(self) -> str:
        """"5 working days after allocation", "1 working day before a planned conference"."""
        event = EVENT_WORDS.get(self.start, self.start.replace("-", " "))
        if self.offset == 0:
            return f"on the day of {event}"
        unit = self.unit.replace("-", " ")
        if abs(self.offset) == 1:
            unit = unit.rstrip("s")
        side = "before" if self.offset < 0 else "after"
        return f"{abs(self.offset)} {unit} {side} {event}"


EVENT_WORDS = {
    "allocation": "allocation",
    "contact-start": "allocation (or sentence, for post-sentence contact)",
    "sentence": "sentence",
    "child-sentence": "sentence",
    "initial-letter": "the initial letter",
    "final-letter": "the final letter",
    "case-holder-consultation": "consulting the case holder",
    "contact-made": "the contact",
    "appointment": "the appointment",
    "second-miss": "the second missed appointment",
    "conference-held": "the conference",
    "agreement-made": "the conference that made an outcome agreement",
    "conference-planned": "the planned conference",
    "agreement-item": "the item's target date",
    "update-point": "the agreed update date",
    "support-completed": "completion of the chosen support",
    "risk-found": "the assessment that found risk",
    "complaint": "the complaint",
    "supervision-cycle": "the allocation, then each supervision",
}
"""How each start event reads in a sentence (rj explain)."""


@dataclass(frozen=True)
class Policy:
    """The resolved rules in force for a casebook."""

    profile: str
    """The profile chosen in rj.yaml."""
    title: str
    """Its title."""
    rules: tuple[Rule, ...]
    """Every rule, enabled or not, in file order."""

    def enabled(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.enabled)

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


def policy_from_plain(data: Mapping[str, Any]) -> Policy:
    """A Policy from ``dataclasses.asdict(policy)`` (the index keeps a resolved policy so,
    in a form cheaper to read back than a pickle)."""
    rules = tuple(Rule(**{**r, "applies": Applies(**r["applies"])}) for r in data["rules"])
    return Policy(profile=data["profile"], title=data["title"], rules=rules)


def _tuple(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value or ())


def applies_from(data: Mapping[str, Any] | None, record: str) -> Applies:
    data = data or {}
    default_consent = "contact" if record == "victim" else None
    return Applies(
        kinds=_tuple(data.get("kinds")),
        stages=_tuple(data.get("stages")),
        disposals=_tuple(data.get("disposals")),
        consent=data["consent"] if "consent" in data else default_consent,
        flags=_tuple(data.get("flags")),
        not_flags=_tuple(data.get("not_flags")),
    )


def rule_from(data: Mapping[str, Any], profile: str) -> Rule:
    """A Rule from a schema-valid mapping."""
    record = str(data["record"])
    return Rule(
        id=str(data["id"]), title=str(data["title"]),
        description=str(data.get("description", "")).strip(), record=record,
        applies=applies_from(data.get("applies"), record), start=str(data["from"]),
        offset=int(data["offset"]), unit=str(data["unit"]), met_by=_tuple(data["met_by"]),
        owner=str(data["owner"]), source=str(data["source"]),
        enabled=bool(data.get("enabled", True)), profile=profile,
    )


def _patched(rule: Rule, patch: Mapping[str, Any], origin: str) -> Rule:
    changes: dict[str, Any] = {"profile": origin}
    simple = {"title": str, "description": str, "offset": int, "unit": str, "owner": str,
              "source": str, "enabled": bool}
    for key, convert in simple.items():
        if key in patch:
            changes[key] = convert(patch[key])
    if "from" in patch:
        changes["start"] = str(patch["from"])
    if "met_by" in patch:
        changes["met_by"] = _tuple(patch["met_by"])
    if "applies" in patch:
        changes["applies"] = applies_from(patch["applies"], rule.record)
    return replace(rule, **changes)


class PolicyError(ValueError):
    """The profiles do not fit together (unknown profile, a loop, an unknown rule id)."""


def resolve_policy(
    profiles: Mapping[str, Mapping[str, Any]],
    chosen: str,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    additions: Sequence[Mapping[str, Any]] = (),
) -> Policy:
    """The rules in force: ``chosen``'s chain of profiles, then rj.yaml's changes."""
    chain = []
    name: str | None = chosen
    while name:
        if name not in profiles:
            raise PolicyError(f"unknown policy profile '{name}' (known: {', '.join(sorted(profiles))})")
        if name in chain:
            raise PolicyError(f"policy profiles extend each other in a loop: {' -> '.join(chain)}")
        chain.append(name)
        name = profiles[name].get("extends")
    rules: dict[str, Rule] = {}
    for name in reversed(chain):
        data = profiles[name]
        for rule_id, patch in (data.get("overrides") or {}).items():
            if rule_id not in rules:
                raise PolicyError(f"profile {name} changes rule '{rule_id}', which it does not inherit")
            rules[rule_id] = _patched(rules[rule_id], patch, name)
        for raw in data.get("rules") or []:
            rules[str(raw["id"])] = rule_from(raw, name)
    for rule_id, patch in (overrides or {}).items():
        if rule_id not in rules:
            raise PolicyError(f"rj.yaml changes rule '{rule_id}', which profile {chosen} does not have "
                              f"(its rules: {', '.join(rules)})")
        rules[rule_id] = _patched(rules[rule_id], patch, "rj.yaml")
    for raw in additions:
        rules[str(raw["id"])] = rule_from(raw, "rj.yaml")
    title = str(profiles[chosen].get("title", chosen))
    return Policy(profile=chosen, title=title, rules=tuple(rules.values()))
