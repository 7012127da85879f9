"""Subject access: everything held about one person, and nothing about anyone else.

``rj export ID --out DIR`` writes ``DIR/ID.json`` (the record), ``DIR/ID.md`` (a
readable account) and ``DIR/letters/`` (copies of the letters its contact log
names, from ``output/letters/``).

Victims and children are kept apart in the export as in the casebook (Wait 'til
Eight §7.10.1, Tower Hamlets "Information Sharing" 6):

* a victim's export calls the child "the child" (or "child 1", "child 2" when
  there are several), never gives a child's id, and never opens a child's file;
* a child's export shows each victim by label only ("Victim 1") - no victim id,
  and not the victim's age group, sex or ethnicity either - and co-defendants by
  number. A child's record and letters are also checked for any victim identifier
  (name, phone, e-mail, postcode, date of birth) that should never have been
  there; if one is found nothing is written until it is removed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rjcli.core.ids import kind_of
from rjcli.core.problems import Problem
from rjcli.errors import ChangeRefused, RecordNotFound
from rjcli.storage.atomic import atomic_write_bytes
from rjcli.storage.casebook import Casebook
from rjcli.storage.schemas import to_json

_CHILD_ID = re.compile(r"\bC-[0-9A-HJKMNP-TV-Z]{4,8}\b")
_VICTIM_ID = re.compile(r"\bV-[0-9A-HJKMNP-TV-Z]{4,8}\b")
MAX_LETTER_BYTES = 20 * 1024 * 1024
"""A letter larger than this is not copied (a Word letter is well under 1 MB)."""


# --- what is disclosed (pure) -----------------------------------------------------------


def _substitute(value: Any, pattern: re.Pattern[str], name: Callable[[str], str]) -> Any:
    """A copy of ``value`` with every id matching ``pattern`` in its text replaced."""
    if isinstance(value, dict):
        return {k: _substitute(v, pattern, name) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, pattern, name) for v in value]
    if isinstance(value, str):
        return pattern.sub(lambda m: name(m.group(0)), value)
    return value


def child_labels(data: dict[str, Any]) -> dict[str, str]:
    """How a victim's export names each linked child: "the child", or "child 1", "child 2"."""
    ids: list[str] = []
    for link in data.get("children") or []:
        child = link.get("child") if isinstance(link, dict) else None
        if isinstance(child, str) and child not in ids:
            ids.append(child)
    if len(ids) == 1:
        return {ids[0]: "the child"}
    return {child: f"child {n}" for n, child in enumerate(ids, 1)}


def victim_labels(data: dict[str, Any]) -> dict[str, str]:
    """How a child's export names each victim: its label ("Victim 1")."""
    labels: dict[str, str] = {}
    for n, ref in enumerate(data.get("victims") or [], 1):
        if isinstance(ref, dict) and isinstance(ref.get("ref"), str):
            labels.setdefault(ref["ref"], str(ref.get("label") or f"Victim {n}"))
    return labels


def disclosed(data: dict[str, Any]) -> dict[str, Any]:
    """The record as it may be given to its subject: other people's ids and details out."""
    own = str(data.get("id", ""))
    record = to_json(data)
    if own.startswith("V-"):
        children = child_labels(data)
        record = _substitute(record, _CHILD_ID, lambda c: children.get(c, "another child"))
        return _substitute(record, _VICTIM_ID, lambda v: v if v == own else "another victim")
    victims = victim_labels(data)
    if isinstance(record.get("victims"), list):
        record["victims"] = [
            {"label": victims.get(str(ref.get("ref")), f"Victim {n}")}
            if isinstance(ref, dict) else {"label": f"Victim {n}"}
            for n, ref in enumerate(record["victims"], 1)]
    if isinstance(record.get("co_defendants"), list):
        record["co_defendants"] = [f"co-defendant {n}"
                                   for n in range(1, len(record["co_defendants"]) + 1)]
    record = _substitute(record, _VICTIM_ID, lambda v: victims.get(v, "a victim"))
    return _substitute(record, _CHILD_ID, lambda c: c if c == own else "another child")


def comments_in(text: str) -> list[tuple[int, str]]:
    """(line, text) of every comment in a record file: the file holds them too, so a
    subject access export shows them."""
    import yaml

    spans = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.ScalarToken):
                spans.append((token.start_mark.index, token.end_mark.index))
    except yaml.YAMLError:
        return []
    found = []
    for match in re.finditer(r"(?:^|(?<=[ \t]))#[^\n]*", text, re.M):
        if not any(start <= match.start() < end for start, end in spans):
            comment = match.group(0).lstrip("#").strip()
            if comment:
                found.append((text.count("\n", 0, match.start()) + 1, comment))
    return found


def disclosed_comments(data: dict[str, Any], text: str) -> list[str]:
    """The comments of a record file, a run of comment lines as one paragraph, with other
    people's ids replaced as in ``disclosed``."""
    paragraphs: list[str] = []
    last = -1
    for line, comment in comments_in(text):
        if line == last + 1 and paragraphs:
            paragraphs[-1] += " " + comment
        else:
            paragraphs.append(comment)
        last = line
    shown = disclosed({**data, "__comments__": paragraphs})
    return list(shown["__comments__"])


# --- letters ---------------------------------------------------------------------------


@dataclass
class Letters:
    """The letters a record's contact log names."""

    found: list[Path] = field(default_factory=list)
    """Files under output/letters/, to copy."""
    not_copied: list[str] = field(default_factory=list)
    """Why each other named file is not in the export."""


def letters_of(casebook: Casebook, data: dict[str, Any]) -> Letters:
    """The letter files named by ``contacts[].file``: only those under output/letters/."""
    folder = (casebook.output_dir / "letters").resolve()
    letters = Letters()
    for entry in data.get("contacts") or []:
        name = entry.get("file") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name.strip():
            continue
        given = Path(name)
        path = (given if given.is_absolute() else casebook.root / given)
        try:
            resolved = path.resolve()
        except (OSError, ValueError):
            resolved = None
        shown = Path(name).name
        if resolved is None or not resolved.is_relative_to(folder) or resolved == folder:
            letters.not_copied.append(f"{shown}: not under output/letters/, so not copied")
        elif not resolved.name.startswith(f"{data.get('id')}-"):
            letters.not_copied.append(f"{shown}: written for another record, so not copied")
        elif not resolved.is_file():
            letters.not_copied.append(f"{shown}: no longer on this computer (output/ is "
                                      "not shared by sync; look on the computer that wrote it)")
        elif resolved.stat().st_size > MAX_LETTER_BYTES:
            letters.not_copied.append(f"{shown}: larger than 20 MB, so not copied")
        elif resolved not in letters.found:
            letters.found.append(resolved)
    return letters


# --- writing -----------------------------------------------------------------------------


@dataclass
class Exported:
    """What an export wrote."""

    record_id: str
    written: list[Path]
    """Every file written: the JSON, the account, then the letters."""
    not_copied: list[str]
    """Letters named by the record but not in the export, with why."""


def leaks_in_child_export(casebook: Casebook, record_id: str, data: dict[str, Any],
                          letters: list[Path]) -> list[Problem]:
    """Victim identifiers in a child's record file or letters (which the export would copy)."""
    from rjcli.core import identifiers
    from rjcli.core.model import child_from_dict, victim_from_dict
    from rjcli.storage.checking import readable_text

    victims = []
    for path in casebook.record_files("victim"):
        found, _problem = casebook.read_file(path)
        if found is not None:
            victims.append(victim_from_dict(found))
    staff = [s.name for s in casebook.config.staff]
    ids = identifiers.victim_identifiers(victims, exclude_words=[w for n in staff for w in n.split()])
    child = child_from_dict(data)
    own = ([child.name] if child.name else []) + staff
    problems: list[Problem] = []
    for path in [casebook.path_for(record_id), *letters]:
        text = readable_text(path)
        if text is not None:
            problems += identifiers.find_victim_identifiers(casebook.rel(path), text, ids, own)
    return [p for p in problems if p.severity == "error"]


def export_record(casebook: Casebook, record_id: str, out_dir: Path, today: date,
                  force: bool = False) -> Exported:
    """Write the subject access export of one record into ``out_dir`` (see module docstring;
    the folder and each file pass rj's guard for written files, rjcli/storage/outpaths.py:
    never into the casebook's own folders, never over a file rj did not write unless
    ``force``)."""
    from rjcli.render.export import account
    from rjcli.storage.outpaths import remember, resolved_file, resolved_folder

    target = resolved_folder(out_dir, "an export")
    if not casebook.exists(record_id):
        from rjcli.storage.purge import TOMBSTONES, read_tombstone

        stone = read_tombstone(casebook, record_id)
        if stone is not None:
            raise RecordNotFound(
                f"{record_id} was purged on {stone.get('purged', '?')} "
                f"({stone.get('reason', 'retention period ended')}): the casebook holds "
                f"nothing about the person now, only dates in {TOMBSTONES}/{record_id}.yaml")
    data = casebook.read(record_id)
    letters = letters_of(casebook, data)
    kind = kind_of(record_id)
    if kind == "child":
        leaks = leaks_in_child_export(casebook, record_id, data, letters.found)
        if leaks:
            listed = "\n".join(f"  {p}" for p in leaks[:10])
            raise ChangeRefused(
                f"the export of {record_id} was not written: its record or letters hold a "
                f"victim's details, which a child's export must never disclose:\n{listed}",
                hint=f"remove them (rj edit {record_id}; rj check lists them all), then "
                "export again")
    record = disclosed(data)
    comments = disclosed_comments(data, casebook.path_for(record_id).read_text(encoding="utf-8"))
    for contact in record.get("contacts") or []:
        if isinstance(contact, dict) and isinstance(contact.get("file"), str):
            contact["file"] = f"letters/{Path(contact['file']).name}"
    import json

    written = [target / f"{record_id}.json", target / f"{record_id}.md",
               *(target / "letters" / p.name for p in letters.found)]
    for path in written:  # every file passes the guard before any is written
        resolved_file(casebook.root, path, "an export", force)
    names = [f"letters/{p.name}" for p in letters.found]
    contents = [(json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
                account(record, kind, today, casebook.config.service.name, names,
                        letters.not_copied, comments).encode("utf-8")]
    for path in letters.found:
        with open(path, "rb") as handle:
            contents.append(handle.read(MAX_LETTER_BYTES + 1))
    for path, content in zip(written, contents, strict=True):
        atomic_write_bytes(path, content)
        remember(casebook.root, path, content)
    return Exported(record_id=record_id, written=written, not_copied=letters.not_copied)
