"""``rj check``: run every check over the casebook's files and settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from rjcli.core import checks
from rjcli.core.problems import Problem
from rjcli.storage import yamlio
from rjcli.storage.casebook import CONFIG_FILE, FOLDERS, Casebook
from rjcli.storage.schemas import known_fields, validate


def _line_finder(text: str) -> Callable[[tuple[Any, ...]], int | None]:
    """Map a value path to its line, loading the round-trip tree only when asked."""
    tree: list[Any] = []

    def find(path: tuple[Any, ...]) -> int | None:
        if not tree:
            try:
                tree.append(yamlio.load_document(text).tree)
            except yamlio.YamlProblem:
                tree.append(None)
        return yamlio.line_of(tree[0], path) if tree[0] is not None else None

    return find


def check_config(casebook: Casebook) -> list[Problem]:
    path = casebook.root / CONFIG_FILE
    try:
        text = yamlio.decode(path.read_bytes())
        data = yamlio.parse_text(text)
    except yamlio.YamlProblem as exc:
        return [Problem(CONFIG_FILE, exc.line, exc.message, exc.column)]
    return validate("casebook", data or {}, CONFIG_FILE, _line_finder(text))


def check_record_schema(casebook: Casebook, kind: str, rel: str, data: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    errors = validate(kind, data, rel)
    if errors:
        text = (casebook.root / rel).read_text(encoding="utf-8")
        problems += validate(kind, data, rel, _line_finder(text))
    known = known_fields(kind)
    for key in data:
        if key not in known:
            problems.append(Problem(rel, None, f"unknown field '{key}' (kept as it is)",
                                    severity="warning"))
    return problems


def check_casebook(casebook: Casebook, today: date) -> list[Problem]:
    """Every problem in the casebook: parse, schema, links, dates, privacy."""
    problems = check_config(casebook)
    loaded = casebook.load_all()
    problems += loaded.problems
    for record_id, data in loaded.data.items():
        kind = "victim" if record_id.startswith("V-") else "child"
        rel = loaded.paths[record_id]
        problems += check_record_schema(casebook, kind, rel, data)
        problems += checks.check_entry_ids(data, rel)
    problems += checks.check_links(loaded.victims, loaded.children, loaded.paths)
    problems += checks.check_dates(loaded.victims, loaded.children, loaded.paths, today)
    problems += check_children_privacy(casebook, loaded.victims.values(), loaded.children)
    return sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message))


def check_children_privacy(casebook: Casebook, victims: Any, children: Any) -> list[Problem]:
    """Every file under children/ (records and anything else) against victim identifiers."""
    staff = [s.name for s in casebook.config.staff]
    ids = checks.victim_identifiers(victims, exclude_words=[w for n in staff for w in n.split()])
    problems: list[Problem] = []
    folder = casebook.folder("child")
    if not folder.is_dir():
        return problems
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        try:
            text = yamlio.decode(path.read_bytes())
        except yamlio.YamlProblem:
            continue  # reported by the parse check
        child = children.get(path.stem)
        own = [child.name] if child and child.name else []
        problems += checks.find_victim_identifiers(casebook.rel(path), text, ids, own + staff)
    return problems


__all__ = ["FOLDERS", "check_casebook", "check_children_privacy"]
