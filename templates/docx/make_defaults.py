"""Make the plain default Word templates in this folder from the Markdown templates.

    python templates/docx/make_defaults.py            # rewrite templates/docx/*.docx
    python templates/docx/make_defaults.py --check    # exit 1 if any is out of date

Each ``<kind>.docx`` is ``../<kind>.md.j2`` turned into Word paragraphs, with its
Jinja tags kept for ``docxtpl``: a line holding only a ``{% ... %}`` tag becomes a
``{%p ... %}`` paragraph (docxtpl removes it when rendering), ``# heading`` a
heading, ``- item`` a bulleted paragraph, ``**text**`` bold, ``---`` a dividing
line (before a ``## heading``: a new page instead), and ``{% include %}`` is copied in.

The paper fits a DL window envelope (A4 folded in three): the service's name, address
and contact details top right; the recipient's address top left, 46 mm down and 20 mm
in, where the window shows it (``{{ recipient.block }}`` of ``_letter_top.md.j2``); the
date, reference and salutation below; room to sign above the worker's name and role;
"Page X of Y" at the foot of every page and the reference at the top of every page
after the first; one font family (``FONT``) throughout. The sign-off keeps with the
paragraph before it, so it never stands alone on a page. A service replaces these with its own
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
from typing import Any

from docx.oxml.ns import qn

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE.parent
FIXED = datetime(2026, 1, 1)
FONT = "Arial"
"""The one font family of every letter (LibreOffice prints it as Liberation Sans, which
has the same letter widths)."""
MARGIN_MM = 20
"""Left and right margins: the recipient's address starts 20 mm in, where a DL window is."""
TOP_MM = 20
"""Top margin; later pages carry the reference in the header above it."""
WINDOW_TOP_MM = 46
"""Where the recipient's address starts, from the top edge: inside the window of a DL
envelope (45 mm down, 90 x 35 mm, on an A4 page folded in three)."""
WINDOW_WIDTH_MM = 90
WINDOW_HEIGHT_MM = 34
SIGNATURE_SPACE_MM = 15
"""Room to sign between the sign-off and the worker's name."""
CONTINUATION_HEADER = "{% if reference %}Our reference: {{ reference }}{% endif %}"
PAGE_WORDS = ("Page ", " of ")
LANGUAGE = "en-GB"
"""The document's language (Word's spelling checker, screen readers)."""
"""The words around the page number and its count ("Page 2 of 3"); the Welsh builder
(templates/cy/docx/make_defaults.py) sets its own, with its own CONTINUATION_HEADER."""
"""At the top of every page after the first (the first holds it below the address); a
copy for everyone who took part has no reference (rjcli.core.letters)."""
FORM_WINDOW = "{% if recipient is defined and recipient %}{{ recipient.block | lines }}{% endif %}"
"""A form shows an address in the window when it has a recipient to post it to."""

_BLOCK = re.compile(r"^\s*\{%\s*([^%]*?)\s*%\}\s*$")
_COMMENT = re.compile(r"\{#.*?#\}", re.S)
_INCLUDE = re.compile(r"^\s*\{%\s*include\s+[\"']([^\"']+)[\"']\s*%\}\s*$")
_ITEM = re.compile(r"^- (.*)$")
_HEADING = re.compile(r"^(#{1,3}) (.*)$")
_BOLD = re.compile(r"(\*\*.+?\*\*)")
_MARK = "\x00"
LETTERHEAD = "_letterhead.md.j2"
"""The letterhead partial: on the letter paper, the top right of the first page."""
_PLACED = {
    "{{ recipient.block | lines }}": "window",
    "{{ service.sign_off }}": "signoff",
    "{{ worker.signature_lines | lines }}": "signature",
}
"""Lines of the Markdown partials that have their own place on the letter paper."""


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
        if included and included.group(1) == LETTERHEAD:
            lines += ["", _MARK + "letterhead", ""]
        elif included:
            lines += source_lines(included.group(1))
        elif line.strip() or not lines or lines[-1].strip():
            lines.append(line.rstrip())
    return lines


def _placed(line: str) -> tuple[str, str] | None:
    """(style, text) of a line that has its own place on the paper, else None."""
    if line.startswith(_MARK):
        return line[len(_MARK):], ""
    if line.strip() in _PLACED:
        return _PLACED[line.strip()], line.strip()
    return None


def blocks(lines: list[str]) -> list[tuple[str, str]]:
    """(style, text) paragraphs: style is body, tag, bullet, rule, heading1..3, or a part
    with its own place on the paper: letterhead, window, signoff, signature."""
    out: list[tuple[str, str]] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            out.append(("body", " ".join(para)))
            para.clear()

    for line in lines:
        if not line.strip():
            flush()
        elif placed := _placed(line):
            flush()
            out.append(placed)
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
    """One font family everywhere: the styles, the document's defaults and the bullets
    name ``FONT`` itself (Word's default headings take a theme font, which wins over a
    named one, so the theme attributes are removed)."""
    from docx.shared import Pt, RGBColor

    styles = document.styles  # type: ignore[attr-defined]
    normal = styles["Normal"]
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(8)
    normal.paragraph_format.line_spacing = 1.1
    for name, size in (("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 11)):
        style = styles[name]
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(12)
        style.paragraph_format.space_after = Pt(6)
    _one_font(styles.element)
    _one_font(document.part.numbering_part.element)  # type: ignore[attr-defined]
    for language in styles.element.iter(qn("w:lang")):
        language.set(qn("w:val"), "en-GB")
    for level in document.part.numbering_part.element.iter(qn("w:lvl")):  # type: ignore[attr-defined]
        if level.find(qn("w:numFmt")).get(qn("w:val")) == "bullet":
            level.find(qn("w:lvlText")).set(qn("w:val"), "\u2022")


def _one_font(element: Any) -> None:
    """Every font setting under ``element`` names ``FONT``, and no theme font."""
    for fonts in list(element.iter(qn("w:rFonts"))):
        for attribute in list(fonts.attrib):
            fonts.attrib.pop(attribute)
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attribute), FONT)
    defaults = element.find(qn("w:docDefaults"))
    if defaults is not None and not list(defaults.iter(qn("w:rFonts"))):
        properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        fonts = properties.makeelement(qn("w:rFonts"), {})
        properties.insert(0, fonts)
        _one_font(properties)
    for level in element.iter(qn("w:lvl")):
        if level.find(qn("w:rPr")) is None:
            continue
        _one_font(level.find(qn("w:rPr")))


def _mm(value: float) -> Any:
    from docx.shared import Mm

    return Mm(value)


def _page(document: Any) -> None:
    """A4, with a first page laid out for a DL window envelope: the later pages carry the
    reference at the top; every page its number ("Page 2 of 3") at the foot."""
    section = document.sections[0]
    section.page_height, section.page_width = _mm(297), _mm(210)
    section.left_margin = section.right_margin = _mm(MARGIN_MM)
    section.top_margin = _mm(TOP_MM)
    section.bottom_margin = _mm(20)
    section.header_distance = section.footer_distance = _mm(10)
    section.different_first_page_header_footer = True
    _furniture(section.header.paragraphs[0], CONTINUATION_HEADER)
    section.first_page_header.paragraphs[0].text = ""
    for footer in (section.footer, section.first_page_footer):
        _page_number(footer.paragraphs[0])


def _furniture(paragraph: Any, text: str) -> None:
    from docx.shared import Pt

    paragraph.add_run(text).font.size = Pt(9)
    paragraph.paragraph_format.space_after = Pt(0)


def _page_number(paragraph: Any) -> None:
    """"Page X of Y", as Word's own PAGE and NUMPAGES fields (Word and LibreOffice fill
    them in when the letter is laid out)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.paragraph_format.space_after = Pt(0)
    page, of = PAGE_WORDS
    for piece in (page, "PAGE", of, "NUMPAGES"):
        if piece.isupper():
            _field(paragraph, piece)
        else:
            paragraph.add_run(piece).font.size = Pt(9)


def _field(paragraph: Any, code: str) -> None:
    from docx.shared import Pt

    for kind, text in (("begin", None), (None, f" {code} "), ("separate", None),
                       (None, "1"), ("end", None)):
        run = paragraph.add_run()
        run.font.size = Pt(9)
        if kind:
            mark = run._r.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
            run._r.append(mark)
        elif text.strip().isdigit():
            run.add_text(text)
        else:
            code_element = run._r.makeelement(qn("w:instrText"), {})
            code_element.text = text
            code_element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            run._r.append(code_element)


def _address_panel(document: Any, window: str) -> None:
    """The top of the first page: the service's name, address and contact details on the
    right, and the recipient's address on the left where the window of a DL envelope is
    (``WINDOW_TOP_MM`` down, ``MARGIN_MM`` in; at most 7 lines fit in its 35 mm).

    A table with no borders: its first row has an exact height, so the address starts at
    the same place whatever the service's heading holds; the right column spans both
    rows, so a long heading lengthens the second row rather than moving the address."""
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    table = document.add_table(rows=2, cols=2)
    table.autofit = False
    _no_cell_margins(table)
    widths = (_mm(WINDOW_WIDTH_MM + 5), _mm(210 - 2 * MARGIN_MM - WINDOW_WIDTH_MM - 5))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    top, window_row = table.rows
    top.height, top.height_rule = _mm(WINDOW_TOP_MM - TOP_MM), WD_ROW_HEIGHT_RULE.EXACTLY
    window_row.height = _mm(WINDOW_HEIGHT_MM)
    window_row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    service = top.cells[1].merge(window_row.cells[1])
    heading = service.paragraphs[0]
    heading.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    heading.paragraph_format.space_after = Pt(0)
    heading.add_run("{{ service.heading_lines | lines }}").font.size = Pt(10)
    address = window_row.cells[0].paragraphs[0]
    address.paragraph_format.space_after = Pt(0)
    address.paragraph_format.line_spacing = Pt(13)
    address.add_run(window)
    after = document.add_paragraph()  # a blank line between the addresses and the date
    after.paragraph_format.space_after = Pt(0)


def _no_cell_margins(table: Any) -> None:
    """Text in the table starts at the page margin, not a cell margin further in."""
    properties = table._tbl.tblPr
    margins = properties.makeelement(qn("w:tblCellMar"), {})
    for side in ("top", "left", "bottom", "right"):
        margins.append(margins.makeelement(qn(f"w:{side}"), {qn("w:w"): "0",
                                                              qn("w:type"): "dxa"}))
    properties.append(margins)
    layout = properties.makeelement(qn("w:tblLayout"), {qn("w:type"): "fixed"})
    properties.append(layout)


def build(kind: str) -> bytes:
    """The default Word template of ``kind``, as the bytes of a .docx file."""
    from docx import Document

    document = Document()
    _style(document)
    _page(document)
    items = blocks(source_lines(f"{kind}.md.j2"))
    written: list[tuple[str, Any]] = []
    for n, (style, text) in enumerate(items):
        if style == "letterhead":
            follows = items[n + 1] if n + 1 < len(items) else ("", "")
            _address_panel(document, follows[1] if follows[0] == "window" else FORM_WINDOW)
        elif style == "rule" and _new_page(items, n + 1):
            continue  # the heading after it starts a new page instead
        elif style != "window":  # the window is in the address panel
            paragraph = _paragraph(document, style, text)
            if _new_page(items, n):
                paragraph.paragraph_format.page_break_before = True
            written.append((style, paragraph))
    _keep_sign_off_together(written)
    props = document.core_properties
    props.author = props.last_modified_by = "rj"
    props.title = kind
    props.language = LANGUAGE
    props.created = props.modified = props.last_printed = FIXED
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _new_page(items: list[tuple[str, str]], n: int) -> bool:
    """A ``## heading`` straight after a ``---`` line starts a new page: the part of a form
    that is sent back (the feedback form's questions) is a page of its own."""
    return (0 < n < len(items) and items[n][0] == "heading2"
            and items[n - 1][0] == "rule")


def _paragraph(document: Any, style: str, text: str) -> Any:
    """One paragraph of the letter, its ``**bold**`` parts bold."""
    if style.startswith("heading"):
        paragraph = document.add_paragraph(style=f"Heading {style[-1]}")
    elif style == "bullet":
        paragraph = document.add_paragraph(style="List Bullet")
    else:
        paragraph = document.add_paragraph()
    if style == "signature":
        paragraph.paragraph_format.space_before = _mm(SIGNATURE_SPACE_MM)
    for piece in _BOLD.split(text):
        if piece.startswith("**") and piece.endswith("**") and len(piece) > 4:
            paragraph.add_run(piece[2:-2]).bold = True
        elif piece:
            paragraph.add_run(piece)
    return paragraph


def _keep_sign_off_together(written: list[tuple[str, Any]]) -> None:
    """The sign-off never starts a page alone: the paragraph before it, the sign-off, the
    signature and the enclosures keep together (a page break comes before them all)."""
    styles = [style for style, _ in written]
    if "signoff" not in styles:
        return
    start = styles.index("signoff")
    before = [n for n in range(start) if styles[n] != "tag"]
    for style, paragraph in written[before[-1] if before else start:]:
        if style != "tag":
            paragraph.paragraph_format.keep_with_next = True
            paragraph.paragraph_format.keep_together = True


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
