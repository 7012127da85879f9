"""Make the plain default Word templates in this folder from the Markdown templates.

    python templates/docx/make_defaults.py            # rewrite templates/docx/*.docx
    python templates/docx/make_defaults.py --check    # exit 1 if any is out of date

Each ``<kind>.docx`` is ``../<kind>.md.j2`` turned into Word paragraphs, with its
Jinja tags kept for ``docxtpl``: a line holding only a ``{% ... %}`` tag becomes a
``{%p ... %}`` paragraph (docxtpl removes it when rendering), ``# heading`` a
heading, ``- item`` a bulleted paragraph, ``**text**`` bold, ``---`` a dividing
line, and ``{% include %}`` is copied in. A service replaces these with its own
letter paper: copy one into the casebook's ``templates/docx/`` folder, open it in
Word, move the tags into the letterhead you use, and save.

The files are written byte for byte the same each time (fixed dates inside), so a
change shows in git only when a template changed.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE.parent
FIXED = datetime(2026, 1, 1)
FONT = "Arial"

_BLOCK = re.compile(r"^\s*\{%\s*([^%]*?)\s*%\}\s*$")
_COMMENT = re.compile(r"\{#.*?#\}", re.S)
_INCLUDE = re.compile(r"^\s*\{%\s*include\s+[\"']([^\"']+)[\"']\s*%\}\s*$")
_ITEM = re.compile(r"^- (.*)$")
_HEADING = re.compile(r"^(#{1,3}) (.*)$")
_BOLD = re.compile(r"(\*\*.+?\*\*)")


def kinds() -> list[str]:
    """Every letter kind that has a Markdown template (partials start with _)."""
    return sorted(p.name[: -len(".md.j2")] for p in TEMPLATES.glob("*.md.j2")
                  if not p.name.startswith("_"))


def source_lines(name: str) -> list[str]:
    """The template's lines, comments dropped and includes copied in."""
    text = _COMMENT.sub("", (TEMPLATES / name).read_text(encoding="utf-8"))
    lines: list[str] = []
    for line in text.splitlines():
        included = _INCLUDE.match(line)
        if included:
            lines += source_lines(included.group(1))
        elif line.strip() or not lines or lines[-1].strip():
            lines.append(line.rstrip())
    return lines


def blocks(lines: list[str]) -> list[tuple[str, str]]:
    """(style, text) paragraphs: style is body, tag, bullet, rule or heading1..3."""
    out: list[tuple[str, str]] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            out.append(("body", " ".join(para)))
            para.clear()

    for line in lines:
        if not line.strip():
            flush()
        elif tag := _BLOCK.match(line):
            flush()
            out.append(("tag", "{%p " + tag.group(1) + " %}"))
        elif heading := _HEADING.match(line):
            flush()
            out.append((f"heading{len(heading.group(1))}", heading.group(2)))
        elif item := _ITEM.match(line):
            flush()
            out.append(("bullet", item.group(1)))
        elif line.strip() == "---":
            flush()
            out.append(("rule", "- " * 30))
        else:
            para.append(line.strip())
    flush()
    return out


def _style(document: object) -> None:
    from docx.shared import Pt, RGBColor

    styles = document.styles  # type: ignore[attr-defined]
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(8)
    for name, size in (("Heading 1", 15), ("Heading 2", 12), ("Heading 3", 11)):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)


def build(kind: str) -> bytes:
    """The default Word template of ``kind``, as the bytes of a .docx file."""
    from docx import Document
    from docx.shared import Cm

    document = Document()
    _style(document)
    for section in document.sections:
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin = section.bottom_margin = Cm(2.0)
    for style, text in blocks(source_lines(f"{kind}.md.j2")):
        if style.startswith("heading"):
            paragraph = document.add_paragraph(style=f"Heading {style[-1]}")
        elif style == "bullet":
            paragraph = document.add_paragraph(style="List Bullet")
        else:
            paragraph = document.add_paragraph()
        for piece in _BOLD.split(text):
            if piece.startswith("**") and piece.endswith("**") and len(piece) > 4:
                paragraph.add_run(piece[2:-2]).bold = True
            elif piece:
                paragraph.add_run(piece)
    props = document.core_properties
    props.author = props.last_modified_by = "rj"
    props.title = kind
    props.created = props.modified = props.last_printed = FIXED
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with fixed entry dates, so equal input gives equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return buffer.getvalue()


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for kind in kinds():
        path = HERE / f"{kind}.docx"
        data = build(kind)
        if path.is_file() and path.read_bytes() == data:
            continue
        if check:
            stale.append(path.name)
        else:
            path.write_bytes(data)
            print(f"wrote {path.relative_to(TEMPLATES.parent)}")
    if stale:
        print("out of date (run python templates/docx/make_defaults.py):", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
