"""``rj check``: run every check over the casebook's files and settings."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from rjcli.core import checks, identifiers
from rjcli.core.problems import Problem
from rjcli.errors import RecordInvalid, RjError
from rjcli.storage import yamlio
from rjcli.storage.casebook import CONFIG_FILE, FOLDERS, Casebook
from rjcli.storage.checkfiles import (
    _line_finder,
    approved_notes,
    own_problems,
    privacy_scanned,
    readable_text,
)
from rjcli.storage.schemas import validate


def check_config(casebook: Casebook) -> list[Problem]:
    path = casebook.root / CONFIG_FILE
    try:
        text = yamlio.decode(path.read_bytes())
        data = yamlio.parse_text(text)
    except yamlio.YamlProblem as exc:
        return [Problem(CONFIG_FILE, exc.line, exc.message, exc.column)]
    return validate("casebook", data or {}, CONFIG_FILE, _line_finder(text))


def check_owners(casebook: Casebook, today: date, use_cache: bool) -> list[Problem]:
    """Outstanding work owned by a role nobody on the staff list holds (rjcli.core.gates)."""
    from rjcli.core.gates import unstaffed_work
    from rjcli.storage.policy import load_policy
    from rjcli.storage.snapshot import due_work

    try:
        roles = [s.role for s in casebook.config.staff]
        if "manager" in roles and "admin" in roles:
            return []
        owners = {r.id: r.owner for r in load_policy(casebook).rules}
        items = [(i.case, i.rule, owners.get(i.rule)) for i in due_work(casebook, today, use_cache).items]
    except RjError:  # rj.yaml or a policy that cannot be read: reported by check_config
        return []
    return unstaffed_work(items, roles, CONFIG_FILE)


def check_casebook(casebook: Casebook, today: date, use_cache: bool = True) -> list[Problem]:
    """Every problem in the casebook: parse, schema, links, dates, privacy.

    With the index, what each file's checks found is kept there and only what a change
    can alter is checked again (``checkcached.py``); the answer is the same as reading
    every file (``--no-cache``).
    """
    from rjcli.storage.index import open_index

    problems = check_config(casebook)
    index = None
    if use_cache:
        try:
            index = open_index(casebook, today)
        except RjError:  # e.g. a policy the rules cannot be read from: check the files
            index = None
    if index is not None:
        from rjcli.storage.checkcached import PrivacyScan, records_from_index

        try:
            problems += records_from_index(casebook, index, today)
            problems += PrivacyScan(casebook, index).problems()
        finally:
            index.close()
    else:
        problems += _records_from_files(casebook, today)
    problems += check_owners(casebook, today, use_cache)
    from rjcli.storage.filekinds import irregular_files

    problems += irregular_files(casebook.root)  # links and FIFOs: never read, always named
    return sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message))


def _records_from_files(casebook: Casebook, today: date) -> list[Problem]:
    """Parse problems, each file's own problems, links, allocations, documents and
    privacy, reading every file (``--no-cache``)."""
    from rjcli.storage.documents import check_documents
    from rjcli.storage.purge import tombstone_ids

    loaded = casebook.load_all()
    problems = list(loaded.problems)
    for record_id, data in loaded.data.items():
        kind = "victim" if record_id in loaded.victims else "child"
        problems += own_problems(casebook, kind, loaded.paths[record_id], data, today)[0]
    unreadable = {Path(p.path).stem for p in loaded.problems}
    problems += checks.check_links(loaded.victims, loaded.children, loaded.paths,
                                   tombstone_ids(casebook), unreadable)
    problems += check_children_privacy(casebook, loaded.victims.values(), loaded.children)
    problems += _allocations(casebook, loaded)
    problems += check_documents(casebook, loaded.data, loaded.paths)
    return problems


def _allocations(casebook: Casebook, loaded: Any) -> list[Problem]:
    """Open cases allocated to nobody on the staff list (issue 16)."""
    from rjcli.core.staff import check_allocations

    try:
        staff = casebook.config.staff
    except RjError:
        return []  # rj.yaml does not parse: reported by check_config
    return check_allocations(loaded.victims, loaded.children, loaded.paths, staff)


def check_children_privacy(casebook: Casebook, victims: Any, children: Any) -> list[Problem]:
    """Every file under children/, every report and every child-side letter against victim
    identifiers (Somerset 5.4, Wait 'til Eight §7.10.1). A family-or-carer victim a manager
    approved on a child's record is a note there, not an error (YJB §30, §34)."""
    try:
        staff = [s.name for s in casebook.config.staff]
    except RecordInvalid:
        staff = []  # rj.yaml does not parse: reported by check_config, the rest still checked
    victims = {v.id: v for v in sorted(victims, key=lambda v: v.id)}  # as from the index
    ids = identifiers.victim_identifiers(victims.values(),
                                         exclude_words=[w for n in staff for w in n.split()])
    problems: list[Problem] = []
    children_folder = casebook.folder("child")
    for path in privacy_scanned(casebook):
        rel = casebook.rel(path)
        text = readable_text(path)
        if text is None:
            if path.suffix not in (".yaml", ".yml") or not path.is_relative_to(children_folder):
                problems.append(Problem(rel, None, "not checked for victim identifiers: not a "
                                        "text, Markdown, HTML or Word file rj can read",
                                        severity="warning"))
            continue  # a record that does not parse is reported by the parse check
        child = children.get(path.stem) or children.get(path.name[:path.name.find("-", 2)])
        own = [child.name] if child and child.name else []
        record_file = path.is_relative_to(children_folder)
        found = identifiers.find(text, ids, own + staff, own_dates=record_file)
        if record_file and child is not None and path.stem == child.id:
            found, notes = approved_notes(found, victims, child.id)
            problems += [Problem(rel, line, note, severity="note") for line, note in notes]
        problems += [identifiers.as_problem(rel, f) for f in found]
    return problems


__all__ = ["FOLDERS", "check_casebook", "check_children_privacy", "readable_text"]
