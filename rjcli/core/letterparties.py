"""Letters: who sends them and who receives them.

The service and its letterhead, the signing worker from the staff list; the
recipient: the victim, or for a victim under 18 the parent or guardian (Somerset 6.4),
or for an organisation its named representative (Wokingham 16, Somerset 6.7); for the
child's letter, the child and their parent or carer; and who signs a form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from rjcli.core import vocab
from rjcli.core.age import victim_under_18
from rjcli.core.config import StaffMember
from rjcli.core.dates import uk_date
from rjcli.core.greeting import addressee, greeting_fields, greeting_name, salutation
from rjcli.core.letterfacts import Build
from rjcli.core.model import Address, Person, Victim, address_from, person_from

ROLE_TITLES: Mapping[str, str] = {
    "rj-worker": "Victim and Restorative Justice Worker",
    "case-holder": "Youth Justice Worker",
    "manager": "Team Manager",
    "admin": "Administrator",
}
"""How a staff role is printed under a signature."""


def _address_lines(address: Address | None) -> list[str]:
    return list(address.as_lines()) if address else []


def _address_gaps(address: Address | None, whose: str) -> list[str]:
    if address is None or (not address.lines and not address.postcode):
        return [f"{whose} postal address"]
    gaps = []
    if not address.lines:
        gaps.append(f"{whose} street address (address lines)")
    if not address.postcode:
        gaps.append(f"{whose} postcode")
    return gaps


def _first_name(name: str | None) -> str | None:
    return name.split()[0] if name else None


_COMPLAINTS_LABEL = re.compile(r"^\s*(?:how\s+to\s+(?:make\s+a\s+)?complain(?:t)?|complaints)"
                               r"\s*[:\-\u2013\u2014]\s*", re.I)


def complaints_text(text: str | None) -> str | None:
    """The service's complaints text under the letter's own heading ("Your right to
    complain"): without a "How to complain:" label of its own, which would say it twice."""
    if not text:
        return None
    rest = _COMPLAINTS_LABEL.sub("", text, count=1).strip()
    return (rest[:1].upper() + rest[1:]) if rest else text


def _service(b: Build) -> None:
    s = b.facts.config.service
    heading = [*s.letterhead] or ([s.name] if s.name else [])
    contact = [line for line in (
        f"Telephone: {s.phone}" if s.phone else None,
        f"E-mail: {s.email}" if s.email else None,
    ) if line]
    b.context["service"] = {
        "name": s.name,
        "letterhead": list(s.letterhead),
        "address_lines": _address_lines(s.address),
        "phone": s.phone,
        "email": s.email,
        "complaints": s.complaints,
        "complaints_text": complaints_text(s.complaints),
        "sign_off": s.sign_off or "Yours sincerely",
        "heading_lines": [*heading, *_address_lines(s.address), *contact],
    }
    if not s.name:
        b.need("the service's name (service.name in rj.yaml)")
    b.missing += [f"{gap} (service.address in rj.yaml)"
                  for gap in _address_gaps(s.address, "the service's")]


def _worker(b: Build) -> None:
    name = b.facts.signer
    member: StaffMember | None = b.facts.config.staff_member(name)
    if not name:
        where = ("no worker is allocated (referral.worker)" if b.kind.record == "victim"
                 else "no --worker was given and the child has no case holder")
        b.need(f"the worker who signs: {where}; give --signed-by NAME")
        b.context["worker"] = None
        return
    if member is None:
        b.need(f"{name} in the staff list of rj.yaml, with a phone number "
               f"(rj staff add \"{name}\" --role rj-worker --phone ...)")
        b.context["worker"] = None
        return
    title = ROLE_TITLES.get(member.role, vocab.label(member.role))
    b.context["worker"] = {
        "name": member.name,
        "role": member.role,
        "role_title": title,
        "phone": member.phone,
        "email": member.email,
        "signature_lines": [line for line in (
            member.name, title,
            f"Telephone: {member.phone}" if member.phone else None,
            f"E-mail: {member.email}" if member.email else None,
        ) if line],
    }
    if not member.phone:
        b.need(f"a phone number for {member.name} (staff list in rj.yaml)")


def _victim_facts(v: Victim) -> dict[str, Any]:
    return {"name": v.name, "first_name": _first_name(v.name), "kind": v.kind}


def _recipient(b: Build) -> None:
    v = b.victim
    b.context["victim"] = _victim_facts(v)
    if victim_under_18(v):
        _to_person(b, v.parent_guardian, "parent-guardian", "parent or guardian",
                   "parent_guardian", v.address)
    elif v.kind == "corporate":
        _to_person(b, v.representative, "representative", "named representative",
                   "representative", v.address)
    else:
        b.party = "victim"
        b.context["addressed_to"] = "victim"
        title, own, problems = greeting_fields(v.extra, "the victim's record")
        b.missing += problems
        b.context["recipient"] = {
            "name": v.name, "title": title, "role": None, "organisation": None,
            "address_lines": _address_lines(v.address),
            "block": [x for x in (addressee(v.name, title), *_address_lines(v.address)) if x],
        }
        b.context["salutation"] = salutation(v.name, title, own)
        b.context["greeting_name"] = None if own else greeting_name(v.name, title)
        b.missing += _address_gaps(v.address, "the victim's")


def _to_person(b: Build, person: Person | None, party: str, words: str, key: str,
               fallback: Address | None) -> None:
    v = b.victim
    b.party = party
    b.context["addressed_to"] = party
    if person is None or not person.name:
        b.need(f"the {words}'s name ({key}.name in the victim's record)")
    name = person.name if person else None
    address = (person.address if person and person.address else None) or fallback
    organisation = v.name if party == "representative" else None
    role = person.relationship if person else None
    raw = v.extra.get(key)
    title, own, problems = greeting_fields(raw if isinstance(raw, Mapping) else {}, key)
    b.missing += problems
    b.context["recipient"] = {
        "name": name, "title": title, "role": role, "organisation": organisation,
        "address_lines": _address_lines(address),
        "block": [x for x in (addressee(name, title), role if organisation else None,
                              organisation, *_address_lines(address)) if x],
    }
    b.context["salutation"] = salutation(name, title, own)
    b.context["greeting_name"] = None if own else greeting_name(name, title)
    b.missing += _address_gaps(address, f"the {words}'s")


def _contact_consent(b: Build) -> None:
    if b.victim.home_service:
        b.need(f"a victim in our area: {b.victim.home_service} makes contact with this victim, "
               "and we record what they do (Wokingham 17-18)")
    consent = b.victim.consent("contact")
    if consent is None:
        b.need("the victim's consent to be contacted: none is recorded "
               "(rj consent ID contact yes --source YOT1)")
    elif consent.answer == "withdrawn" and b.kind.name == "closure":
        return  # Wokingham 12: one last letter acknowledging their decision
    elif consent.answer != "yes":
        when = f", {uk_date(consent.date)}" if consent.date else ""
        b.need(f"the victim's consent to be contacted: it is '{consent.answer}'{when}; "
               "only victims who consented are contacted (Wokingham PSR 2)")


def _participant(b: Build) -> None:
    v = b.victim
    b.context["victim"] = _victim_facts(v)
    parent = v.parent_guardian if victim_under_18(v) else None
    rep = v.representative if v.kind == "corporate" else None
    b.context["participant"] = {
        "name": rep.name if rep else v.name,
        "organisation": v.name if rep else None,
        "parent": parent.name if parent else None,
    }
    if victim_under_18(v) and not (parent and parent.name):
        b.need("the parent or guardian who signs with a victim under 18 "
               "(parent_guardian.name; Somerset 6.4)")
    if v.kind == "corporate" and not (rep and rep.name):
        b.need("the organisation's named representative (representative.name; Wokingham 16)")


def _child_recipient(b: Build) -> None:
    c = b.child
    address = address_from(c.extra.get("address"))
    carer = person_from(c.extra.get("parent_carer") or c.extra.get("parent_guardian"))
    carer_name = carer.name if carer else None
    if carer and carer.address:
        address = address or carer.address
    names = [n for n in (c.name, carer_name) if n]
    b.party = "child"
    b.context["child"] = {"name": c.name, "first_name": _first_name(c.name)}
    b.context["parent_carer"] = {"name": carer_name} if carer_name else None
    b.context["recipient"] = {
        "name": " and ".join(names) or None, "title": None, "role": None,
        "organisation": None,
        "address_lines": _address_lines(address),
        "block": [*names, *_address_lines(address)],
    }
    b.context["salutation"] = "Dear " + " and ".join(names) if names else None
    b.context["greeting_name"] = " and ".join(names) or None
    if not c.name:
        b.need("the child's name")
    if not carer_name:
        b.need(f"the child's parent or carer (parent_carer.name in children/{c.id}.yaml)")
    b.missing += [f"{gap} (address in children/{c.id}.yaml)"
                  for gap in _address_gaps(address, "the child's")]


PARENT_AGREES: Mapping[str, str] = {
    "consent-form": "I agree that {first_name} may take part.",
}
"""What the parent or guardian of a victim under 18 agrees to, above their signature."""


def _signatory(label: str, role: str, name: str | None = None,
               statement: str | None = None) -> dict[str, str | None]:
    return {"label": label, "role": role, "name": name, "statement": statement}


def _signatures(b: Build) -> None:
    """A signature and date line for each party: who takes part and the worker, on a
    victim's own form; on the outcome agreement, whose copy goes to everyone who took
    part, each party by their part in it (no name: each signs their own)."""
    v = b.victim
    worker = (b.context.get("worker") or {}).get("name")
    service = b.facts.config.service.name
    parent = v.parent_guardian.name if victim_under_18(v) and v.parent_guardian else None
    if b.kind.shared:
        rows = [_signatory("For the organisation harmed" if v.kind == "corporate"
                           else "The person harmed", "victim")]
        if victim_under_18(v):
            rows.append(_signatory("Parent or guardian of the person harmed", "parent-guardian"))
        rows += [_signatory("The young person", "child"),
                 _signatory("The young person's parent or carer", "parent-carer"),
                 _signatory(f"Facilitator: {worker}" if worker else "Facilitator",
                            "facilitator", worker)]
        b.context["signatories"] = rows
        return
    rep = v.representative if v.kind == "corporate" else None
    name = rep.name if rep else v.name
    rows = [_signatory(f"{name}, for {v.name}" if rep else str(name or ""),
                       "representative" if rep else "victim", name)]
    if parent:
        statement = PARENT_AGREES.get(b.kind.name)
        rows.append(_signatory(
            f"Parent or guardian: {parent}", "parent-guardian", parent,
            statement.format(first_name=_first_name(v.name)) if statement else None))
    rows.append(_signatory(f"{worker}, for {service}" if worker else f"For {service}",
                           "worker", worker))
    b.context["signatories"] = rows


SECTIONS: Mapping[str, Callable[[Build], None]] = {
    "service": _service,
    "worker": _worker,
    "recipient": _recipient,
    "contact-consent": _contact_consent,
    "participant": _participant,
    "child-recipient": _child_recipient,
    "signatures": _signatures,
}
"""The sections about the sender and the recipient, by the name a kind gives them."""
