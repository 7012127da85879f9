"""What ``rj check`` finds in one file, with or without the index: a record's own
problems (schema, unknown fields, entry ids, dates), and the text of a file as the privacy
check reads it (text, Markdown, HTML, Word, Excel)."""

from __future__ import annotations

import fnmatch
import html
import os
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rjcli.core import checks, identifiers
from rjcli.core.problems import Problem
from rjcli.storage import yamlio
from rjcli.storage.schemas import known_fields, validate

if TYPE_CHECKING:
    from rjcli.storage.casebook import Casebook


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


def check_record_schema(casebook: Casebook, kind: str, rel: str, data: dict[str, Any]
                        ) -> list[Problem]:
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


def own_problems(casebook: Casebook, kind: str, rel: str, data: dict[str, Any], today: date
                 ) -> tuple[list[Problem], date | None, date | None]:
    """One record file's own problems, and the days they hold for (see checks.date_bounds).
    ``kind``: the folder's (the record is read as one); the schema is the id's."""
    from rjcli.core.model import child_from_dict, victim_from_dict

    record = victim_from_dict(data) if kind == "victim" else child_from_dict(data)
    schema = "victim" if str(data.get("id", "")).startswith("V-") else "child"
    found = (check_record_schema(casebook, schema, rel, data) + checks.check_entry_ids(data, rel)
             + checks.record_date_problems(record, rel, today))
    return (found, *checks.date_bounds(record, today))


MAX_SCANNED_BYTES = 20 * 1024 * 1024
"""Files larger than this are not read for the privacy check (reported as unchecked)."""
_TAG = re.compile(r"<[^>]*>")


def readable_text(path: Path) -> str | None:
    """The text of a file as a reader sees it, line by line, for the privacy check: text and
    Markdown as they are, HTML without its tags, a Word file's paragraphs and a
    spreadsheet's rows one a line. None when it is not text rj can read (binary, too
    large, not UTF-8)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_SCANNED_BYTES + 1)
    except OSError:
        return None
    if len(raw) > MAX_SCANNED_BYTES:
        return None
    if raw.startswith(b"PK\x03\x04"):
        return _word_text(raw)
    if b"\x00" in raw:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if path.suffix.lower() in (".html", ".htm"):
        return "\n".join(html.unescape(_TAG.sub(" ", line)) for line in text.splitlines())
    return text


def _word_text(raw: bytes) -> str | None:
    """The text of a Word (.docx) or Excel (.xlsx) file: a Word paragraph or a spreadsheet
    row a line (cells joined by " | "). None when it is neither."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = archive.namelist()

            def part(name: str) -> str:
                return archive.read(name).decode("utf-8", "replace")

            words = sorted(n for n in names if re.fullmatch(
                r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml", n))
            if words:
                xml = "".join(part(n) for n in words)
                return "\n".join(html.unescape(_TAG.sub("", p)) for p in xml.split("</w:p>"))
            sheets = sorted((n for n in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)),
                            key=lambda n: int(re.sub(r"\D", "", n)))
            if not sheets:
                return None
            shared = [html.unescape(_TAG.sub("", si)) for si in re.findall(
                r"<si>(.*?)</si>", part("xl/sharedStrings.xml"), re.S)
            ] if "xl/sharedStrings.xml" in names else []
            return "\n".join(_sheet_rows(part(n), shared) for n in sheets)
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError, IndexError):
        return None


def _sheet_rows(xml: str, shared: list[str]) -> str:
    """One line per row of a worksheet, at its row number (so a problem's line is its row)."""
    lines: list[str] = []
    for row in re.finditer(r"<row\b([^>]*)>(.*?)</row>", xml, re.S):
        number = re.search(r'\br="(\d+)"', row.group(1))
        while number and len(lines) < int(number.group(1)) - 1:
            lines.append("")
        cells = []
        for cell in re.finditer(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", row.group(2), re.S):
            body = cell.group(2) or ""
            value = re.search(r"<v>(.*?)</v>", body, re.S)
            if 't="s"' in cell.group(1) and value:
                cells.append(shared[int(value.group(1))])
            else:
                cells.append(html.unescape(_TAG.sub("", body)))
        lines.append(" | ".join(cells))
    return "\n".join(lines)


def privacy_scanned(casebook: Casebook) -> list[Path]:
    """Every file that must not identify a victim: all under children/, report output
    (output/reports/, and output/report-* where rj report writes html and xlsx), and
    letters written from a child's record (output/letters/C-*)."""
    return [Path(path) for _, path, _ in scanned_files(casebook)]


def scanned_files(casebook: Casebook) -> list[tuple[str, str, bool]]:
    """(path relative to the casebook, path, whether under children/) of each file of
    :func:`privacy_scanned`: a file (or a link to one) matching its folder's pattern, in
    that folder or, where deep, below it (links to folders are not followed)."""
    children = casebook.folder("child")
    found: list[tuple[str, str, bool]] = []
    for folder, pattern, deep in ((children, "*", True),
                                  (casebook.output_dir / "reports", "*", True),
                                  (casebook.output_dir, "report*", False),
                                  (casebook.output_dir / "letters", "C-*", True)):
        if not folder.is_dir():
            continue
        top = casebook.rel(folder)
        for where, _, names in os.walk(folder) if deep else [(str(folder), [], os.listdir(folder))]:
            sub = os.path.relpath(where, folder)
            prefix = top if sub == "." else f"{top}/{Path(sub).as_posix()}"
            for name in names:
                path = os.path.join(where, name)
                if fnmatch.fnmatchcase(name, pattern) and os.path.isfile(path):
                    found.append((f"{prefix}/{name}", path, folder == children))
            if not deep:
                break
    return found


def approved_notes(found: list[identifiers.Finding], victims: dict[str, Any], child_id: str
              ) -> tuple[list[identifiers.Finding], list[tuple[int, str]]]:
    """The findings that stand, and a note (line, words) for each family-or-carer victim
    whose appearance on this child's record a manager approved."""
    kept, notes, noted = [], [], set()
    for finding in found:
        victim = victims.get(finding.owner)
        approval = identifiers.family_approval(victim, child_id) if victim else None
        if approval is None:
            kept.append(finding)
        elif finding.owner not in noted:
            noted.add(finding.owner)
            notes.append((finding.line, f"{finding.owner} (family or carer) appears on this "
                          f"record as approved by {approval.get('manager')} on "
                          f"{approval.get('date')}: {approval.get('reason')}"))
    return kept, notes
