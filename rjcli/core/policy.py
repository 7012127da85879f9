"""Policy as data: the timescale rules of a service profile (pure).

Profiles live in ``policy/profiles/*.yaml`` (schema: ``schemas/policy.schema.json``).
Every local profile extends ``national`` (the YJB / Victims' Code minimum); a casebook
picks one in ``rj.yaml``, may switch on add-ons (``policy.addons``: files marked
``addon: true``, such as ``wait-til-eight``, a guide's own programme rules), and may change
(``policy.rules``) or add (``policy.add``) rules. This module resolves that chain into one
:class:`Policy`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
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
    attempts: int | None = None
    """For ``from: unanswered-attempts``: how many contact attempts with no response start
    it (Somerset 6.1: three)."""

    def timing_text(self) -> str:
        """"5 working days after allocation", "1 working day before a planned conference"."""
        event = EVENT_WORDS.get(self.start, self.start.replace("-", " "))
        if self.start == "unanswered-attempts" and self.attempts:
            event = f"the {ordinal(self.attempts)} contact attempt with no response"
        if self.offset == 0:
            return f"on the day of {event}"
        unit = self.unit.replace("-", " ")
        if abs(self.offset) == 1:
            unit = unit.rstrip("s")
        side = "before" if self.offset < 0 else "after"
        return f"{abs(self.offset)} {unit} {side} {event}"


def ordinal(n: int) -> str:
    """first, second, third ... tenth, then 11th, 12th ..."""
    words = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth")
    return words[n - 1] if 1 <= n <= len(words) else f"{n}th"


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
    "unanswered-attempts": "the contact attempts with no response",
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
    addons: tuple[str, ...] = ()
    """The add-ons switched on in rj.yaml."""
    close_needs: tuple[str, ...] = ()
    """What a victim's case needs recorded before it closes (``kpi-answers``: Somerset 5.3,
    14.1), from the profile or one it extends."""

    @property
    def named(self) -> str:
        """"national", "national, with wait-til-eight"."""
        return self.profile + (f", with {', '.join(self.addons)}" if self.addons else "")

    def enabled(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.enabled)

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


def policy_from_plain(data: Mapping[str, Any]) -> Policy:
    """A Policy from ``dataclasses.asdict(policy)`` (the index keeps a resolved policy so,
    in a form cheaper to read back than a pickle)."""
    rules = tuple(Rule(**{**r, "applies": Applies(**r["applies"])}) for r in data["rules"])
    return Policy(profile=data["profile"], title=data["title"], rules=rules,
                  addons=tuple(data.get("addons") or ()),
                  close_needs=tuple(data.get("close_needs") or ()))


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
        attempts=int(data["attempts"]) if data.get("attempts") is not None else None,
    )


def _patched(rule: Rule, patch: Mapping[str, Any], origin: str) -> Rule:
    changes: dict[str, Any] = {"profile": origin}
    simple = {"title": str, "description": str, "offset": int, "unit": str, "owner": str,
              "source": str, "enabled": bool, "attempts": int}
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
    addons: Sequence[str] = (),
) -> Policy:
    """The rules in force: ``chosen``'s chain of profiles, then each add-on's rules, then
    rj.yaml's changes."""
    rules: dict[str, Rule] = {}
    for name in reversed(_chain(profiles, chosen)):
        data = profiles[name]
        for rule_id, patch in (data.get("overrides") or {}).items():
            if rule_id not in rules:
                raise PolicyError(f"profile {name} changes rule '{rule_id}', "
                                  "which it does not inherit")
            rules[rule_id] = _patched(rules[rule_id], patch, name)
        for raw in data.get("rules") or []:
            rules[str(raw["id"])] = rule_from(raw, name)
    for addon in addons:
        _add_on(rules, profiles, addon)
    for rule_id, patch in (overrides or {}).items():
        if rule_id not in rules:
            raise PolicyError(f"rj.yaml changes rule '{rule_id}', which profile {chosen} "
                              f"does not have (its rules: {', '.join(rules)})")
        rules[rule_id] = _patched(rules[rule_id], patch, "rj.yaml")
    for raw in additions:
        rules[str(raw["id"])] = rule_from(raw, "rj.yaml")
    _check_attempts(rules.values())
    title = str(profiles[chosen].get("title", chosen))
    needs = tuple(dict.fromkeys(str(n) for name in reversed(_chain(profiles, chosen))
                                for n in profiles[name].get("close_needs") or ()))
    return Policy(profile=chosen, title=title, rules=tuple(rules.values()), addons=tuple(addons),
                  close_needs=needs)


def _chain(profiles: Mapping[str, Mapping[str, Any]], chosen: str) -> list[str]:
    """``chosen`` and the profiles it extends, nearest first."""
    if chosen in profiles and profiles[chosen].get("addon"):
        raise PolicyError(f"{chosen} is an add-on, not a profile: list it under policy.addons "
                          "and choose a profile (national, wokingham, somerset, tower-hamlets)")
    chain: list[str] = []
    name: str | None = chosen
    while name:
        if name not in profiles:
            known = sorted(p for p, data in profiles.items() if not data.get("addon"))
            raise PolicyError(f"unknown policy profile '{name}' (known: {', '.join(known)})")
        if name in chain:
            raise PolicyError(f"policy profiles extend each other in a loop: {' -> '.join(chain)}")
        chain.append(name)
        name = profiles[name].get("extends")
    return chain


def _check_attempts(rules: Iterable[Rule]) -> None:
    """A rule counting from unanswered attempts says how many (no silent default)."""
    for rule in rules:
        if rule.start == "unanswered-attempts" and not rule.attempts:
            raise PolicyError(f"rule '{rule.id}' counts from unanswered-attempts: say how many "
                              "attempts with 'attempts' (Somerset 6.1: 3)")


def _add_on(rules: dict[str, Rule], profiles: Mapping[str, Mapping[str, Any]], name: str) -> None:
    """Add an add-on's rules; it may not replace a rule the profile has."""
    known = sorted(p for p, data in profiles.items() if data.get("addon"))
    if name not in profiles:
        raise PolicyError(f"unknown policy add-on '{name}' (known: {', '.join(known) or 'none'})")
    if not profiles[name].get("addon"):
        raise PolicyError(f"{name} is a profile, not an add-on: choose it with policy.profile "
                          f"(add-ons: {', '.join(known) or 'none'})")
    for raw in profiles[name].get("rules") or []:
        rule_id = str(raw["id"])
        if rule_id in rules:
            raise PolicyError(f"add-on {name} has rule '{rule_id}', which profile "
                              f"{rules[rule_id].profile} has already")
        rules[rule_id] = rule_from(raw, name)
