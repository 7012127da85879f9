"""Whether a rule applies to a case: once and for all (record, kind, disposal) or on a
given day (consent, stage, flags), read from the facts as they stood that day (pure;
shared/DOMAIN.md §4; issue 17).
"""

from __future__ import annotations

from datetime import date

from rjcli.core.dates import uk_date
from rjcli.core.facts import Case, Facts, stage_on
from rjcli.core.policy import Rule


def static_reason(case: Case, rule: Rule) -> str | None:
    """Why the rule can never apply to the case (facts with no dated history), or None."""
    a = rule.applies
    if rule.record == "victim":
        v = case.victim
        if v is None:
            return "not a victim's record"
        if a.consent is not None and not any(c.kind == a.consent for c in v.consents):
            return f"consent to {a.consent.replace('-', ' ')} is not recorded"
        if a.kinds and v.kind not in a.kinds:
            return f"only for {', '.join(a.kinds)} victims (this one: {v.kind})"
        if a.disposals and v.referral.disposal not in a.disposals:
            return f"only for {', '.join(a.disposals)} (this case: {v.referral.disposal or 'not recorded'})"
        return None
    c = case.child
    if c is None:
        return "not a child's record"
    if a.disposals and c.disposal not in a.disposals:
        return f"only for {', '.join(a.disposals)} (this child: {c.disposal or 'not recorded'})"
    return None


def reason_on(case: Case, rule: Rule, day: date, facts: Facts) -> str | None:
    """Why the rule does not apply to the case on ``day`` (consent, stage, flags as they
    stood that day), or None when it does."""
    a = rule.applies
    v = case.victim
    if rule.record == "victim" and v is not None:
        if a.consent is not None:
            given = facts.consent(a.consent, day)
            if given is None or given.answer != "yes":
                answer = given.answer if given else "not recorded yet"
                when = f" (recorded {uk_date(given.date)})" if given and given.date else ""
                return f"consent to {a.consent.replace('-', ' ')} is {answer}{when}"
        if a.stages:
            stage = stage_on(case, day)
            if stage not in a.stages:
                return f"only at stage {', '.join(a.stages)} (this case: {stage or 'not recorded'})"
    if a.flags or a.not_flags:
        flags = facts.flags(day)
        missing = [f for f in a.flags if f not in flags]
        if missing:
            return f"needs {', '.join(missing)}"
        present = [f for f in a.not_flags if f in flags]
        if present:
            return f"not when {', '.join(present)}"
    return None


def watched_days(rule: Rule, facts: Facts) -> tuple[date, ...]:
    """The days on which what ``rule`` reads may change, in order."""
    a = rule.applies
    what = tuple(kind for kind, wanted in (
        ("consent", rule.record == "victim" and a.consent is not None),
        ("stage", rule.record == "victim" and bool(a.stages)),
        ("flags", bool(a.flags or a.not_flags))) if wanted)
    return facts.days(*what)
