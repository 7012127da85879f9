"""``rj check``: run every check over the casebook's files and settings."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from rjcli.core import checks, identifiers
from rjcli.core.problems import Problem
from rjcli.errors import RjError
from rjcli.errors import RecordInvalid
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


def check_casebook(casebook: Casebook, today: date, use_cache: bool = True) -> list[Problem]:
    """Every problem in the casebook: parse, schema, links, dates, privacy.

    With the index, records come parsed from it and each file's own checks (schema,
    entry ids: ~3 ms a record) are kept there until the file changes.
    """
    from rjcli.storage.index import open_index

    problems = check_config(casebook)
    index = None
    if use_cache:
        try:
            index = open_index(casebook, today)
        except RjError:  # e.g. a policy the rules cannot be read from: check the files
            index = None
    loaded = index.loaded() if index is not None else casebook.load_all()
    cached = index.file_checks() if index is not None else {}
    fresh: dict[str, list[Problem]] = {}
    problems += loaded.problems
    for record_id, data in loaded.data.items():
        rel = loaded.paths[record_id]
        if rel not in cached:
            kind = "victim" if record_id.startswith("V-") else "child"
            fresh[rel] = (check_record_schema(casebook, kind, rel, data)
                          + checks.check_entry_ids(data, rel))
        problems += cached[rel] if rel in cached else fresh[rel]
    if index is not None:
        index.store_file_checks(fresh)
        index.close()
    from rjcli.storage.purge import tombstone_ids

    unreadable = {Path(p.path).stem for p in loaded.problems}
    problems += checks.check_links(loaded.victims, loaded.children, loaded.paths,
                                   tombstone_ids(casebook), unreadable)
    problems += checks.check_dates(loaded.victims, loaded.children, loaded.paths, today)
    problems += check_children_privacy(casebook, loaded.victims.values(), loaded.children)
    problems += check_owners(casebook, today, use_cache)
    problems += _allocations(casebook, loaded)
    from rjcli.storage.documents import check_documents

    problems += check_documents(casebook, loaded.data, loaded.paths)
    from rjcli.storage.filekinds import irregular_files

    problems += irregular_files(casebook.root)  # links and FIFOs: never read, always named
    return sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message))


def _allocations(casebook: Casebook, loaded: Any) -> list[Problem]:
    """Open cases allocated to nobody on the staff list (issue 16)."""
    from rjcli.core.staff import check_allocations

    try:
        staff = casebook.config.staff
    except RjError:
        return []  # rj.yaml does not parse: reported by check_config
    return check_allocations(loaded.victims, loaded.children, loaded.paths, staff)


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
    found: list[Path] = []
    for folder, pattern, deep in ((casebook.folder("child"), "*", True),
                                  (casebook.output_dir / "reports", "*", True),
                                  (casebook.output_dir, "report*", False),
                                  (casebook.output_dir / "letters", "C-*", True)):
        if folder.is_dir():
            matches = folder.rglob(pattern) if deep else folder.glob(pattern)
            found += sorted(p for p in matches if p.is_file())
    return found


def check_children_privacy(casebook: Casebook, victims: Any, children: Any) -> list[Problem]:
    """Every file under children/, every report and every child-side letter against victim
    identifiers (Somerset 5.4, Wait 'til Eight §7.10.1). A family-or-carer victim a manager
    approved on a child's record is a note there, not an error (YJB §30, §34)."""
    try:
        staff = [s.name for s in casebook.config.staff]
    except RecordInvalid:
        staff = []  # rj.yaml does not parse: reported by check_config, the rest still checked
    victims = {v.id: v for v in victims}
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
            found, notes = _approved(found, victims, child.id)
            problems += [Problem(rel, line, note, severity="note") for line, note in notes]
        problems += [identifiers.as_problem(rel, f) for f in found]
    return problems


def _approved(found: list[identifiers.Finding], victims: dict[str, Any], child_id: str
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


__all__ = ["FOLDERS", "check_casebook", "check_children_privacy"]
