"""The service's own details in rj.yaml (``rj service``): what is printed on every letter.

Pure: the values given on the command line become changes to the ``service:`` mapping, and
each is checked first so that a mistake is refused with what would be accepted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rjcli.core.config import Service

PHONE = re.compile(r"^[+0-9][0-9 ()-]{5,}$")
"""As the schema's phone (common.schema.json): digits, spaces, brackets, a leading +."""
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class ServiceChange:
    """What ``rj service set`` was given (None: leave it; an empty text or list: remove it)."""

    name: str | None = None
    address: Sequence[str] | None = None
    postcode: str | None = None
    phone: str | None = None
    email: str | None = None
    letterhead: Sequence[str] | None = None
    complaints: str | None = None
    sign_off: str | None = None

    def given(self) -> bool:
        return any(v is not None for v in self.__dict__.values())


def change_problems(change: ServiceChange) -> list[str]:
    """Every value that would not be accepted, in words."""
    problems = []
    if change.name is not None and not change.name.strip():
        problems.append("--name cannot be empty: it is printed on every letter")
    if change.phone and not PHONE.match(change.phone.strip()):
        problems.append(f"--phone '{change.phone}' is not a phone number (digits and spaces, "
                        "e.g. \"01632 960000\"; never a withheld number)")
    if change.email and not EMAIL.match(change.email.strip()):
        problems.append(f"--email '{change.email}' is not an e-mail address "
                        "(e.g. victims@example.org)")
    return problems


def _text(value: str) -> str | None:
    return value.strip() or None


def _lines(values: Sequence[str]) -> list[str]:
    return [v.strip() for v in values if v.strip()]


def changed_values(change: ServiceChange, current: Mapping[str, Any]) -> dict[str, Any]:
    """The new value of each key of ``service:`` given (None: remove the key)."""
    values: dict[str, Any] = {}
    for key in ("name", "phone", "email", "complaints", "sign_off"):
        given = getattr(change, key)
        if given is not None:
            values[key] = _text(given)
    if change.letterhead is not None:
        values["letterhead"] = _lines(change.letterhead) or None
    if change.address is not None or change.postcode is not None:
        address = dict(current.get("address") or {})
        if change.address is not None:
            address["lines"] = _lines(change.address)
        if change.postcode is not None:
            address["postcode"] = _text(change.postcode)
        address = {k: v for k, v in address.items() if v}
        values["address"] = address or None
    return values


def service_rows(service: Service) -> list[tuple[str, str]]:
    """The service as (label, value) rows for ``rj service``; '-' where nothing is set."""
    address = service.address
    lines = ", ".join(address.lines) if address and address.lines else ""
    return [
        ("name", service.name),
        ("address", lines or "-"),
        ("postcode", (address.postcode if address else None) or "-"),
        ("phone", service.phone or "-"),
        ("e-mail", service.email or "-"),
        ("letterhead", " / ".join(service.letterhead) or f"- (the name: {service.name})"),
        ("complaints", service.complaints or "-"),
        ("sign-off", service.sign_off or "- (Yours sincerely)"),
    ]
