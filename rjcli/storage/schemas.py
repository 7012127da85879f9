"""JSON Schema validation of records, rj.yaml, policy and checklists (draft 2020-12).

``jsonschema`` is imported on first use only (it costs ~90 ms to import). Values are
converted to their JSON form first (a YAML date becomes ``YYYY-MM-DD`` text), then
checked against ``schemas/*.schema.json``; each error is returned as a Problem
with the line of the offending value when a round-trip tree is at hand.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import cache
from typing import Any

from rjcli.core.problems import Problem
from rjcli.shipped import shipped_dir

SCHEMA_FILES = {
    "victim": "victim.schema.json",
    "child": "child.schema.json",
    "casebook": "casebook.schema.json",
    "policy": "policy.schema.json",
    "checklist": "checklist.schema.json",
    "questionnaire": "questionnaire.schema.json",
    "code-rights": "code-rights.schema.json",
    "offence-categories": "offence-categories.schema.json",
}


def shipped_digest() -> bytes:
    """A digest of every JSON Schema rj ships: what a check kept between runs depends on
    (the index's fingerprint, policy files found valid). Read each time (a few small
    files): an upgrade of rj that kept its version number still changes it."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(shipped_dir("schemas").glob("*.json")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.digest()


def to_json(value: Any) -> Any:
    """JSON-compatible copy: dates as ISO text, mappings with text keys."""
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value


@cache
def _registry() -> Any:
    from referencing import Registry, Resource

    resources = []
    for path in sorted(shipped_dir("schemas").glob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(contents)
        resources.append((contents["$id"], resource))
        resources.append((path.name, resource))
    return Registry().with_resources(resources)


@cache
def validator(kind: str) -> Any:
    """A compiled draft 2020-12 validator for ``kind`` (victim, child, casebook...)."""
    from jsonschema import Draft202012Validator, FormatChecker

    path = shipped_dir("schemas") / SCHEMA_FILES[kind]
    schema = json.loads(path.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, registry=_registry(), format_checker=FormatChecker())


def _describe(error: Any) -> str:
    where = ".".join(str(p) for p in error.absolute_path)
    message = error.message
    if error.validator == "additionalProperties":
        message = message.replace("Additional properties are not allowed", "unknown field")
    if error.validator == "not" and "description" in error.schema:
        message = f"{error.instance!r}: {error.schema['description']}"
    if error.validator == "format" and error.validator_value == "date":
        message = f"{error.instance!r} is not a real date (YYYY-MM-DD)"
    return f"{where}: {message}" if where else message


def validate(
    kind: str,
    data: Any,
    rel_path: str,
    line_of: Callable[[tuple[Any, ...]], int | None] | None = None,
) -> list[Problem]:
    """Schema problems of ``data``; ``line_of`` maps a value path to its line."""
    errors: Iterable[Any] = validator(kind).iter_errors(to_json(data))
    problems = []
    for error in sorted(errors, key=lambda e: list(map(str, e.absolute_path))):
        # an error in a list item is reported on its deepest cause, not on "anyOf"
        line = line_of(tuple(error.absolute_path)) if line_of else None
        problems.append(Problem(rel_path, line, _describe(error)))
    return problems


def known_fields(kind: str) -> frozenset[str]:
    """Top-level fields the schema of ``kind`` defines (others are kept, with a warning)."""
    schema = validator(kind).schema
    return frozenset(schema.get("properties", {}))
