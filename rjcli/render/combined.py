"""Many letters in one file to print (``rj letter KIND --due``): each letter starts a new
page and keeps its own page furniture.

Markdown and text: the letters one after another, a form feed between them (a printer
starts a new page). A web page: one page, each letter a section that starts a new
printed page. Word: one document, each letter a section of its own, with its own
headers and footers (so a later page shows that letter's reference, never another's)
and its pages numbered from 1 ("Page 1 of 2" counts the letter's own pages).
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Sequence
from typing import Any

from rjcli.errors import BadInput

PAGE_BREAK = "\n\f\n"
"""Between two letters of a Markdown or text file: a form feed on a line of its own."""

_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S)
_LANG = re.compile(r'<html lang="([^"]*)"')
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def combined_text(texts: Sequence[str]) -> str:
    """Markdown or text letters in one file, a form feed between them."""
    return PAGE_BREAK.join(text.rstrip("\n") + "\n" for text in texts)


def combined_html(pages: Sequence[str], title: str) -> str:
    """Web-page letters as one page: each letter's body in a section of its language, every
    section after the first on a new printed page."""
    from rjcli.render.letters import html_page

    sections = []
    for n, page in enumerate(pages):
        body = _BODY.search(page)
        lang = _LANG.search(page)
        style = ' style="break-before: page"' if n else ""
        sections.append(f'<section lang="{lang.group(1) if lang else "en-GB"}"{style}>\n'
                        f"{body.group(1) if body else page}</section>\n")
    return html_page("".join(sections), title)


def combined_docx(files: Sequence[bytes], page_counts: Sequence[int | None] = ()) -> bytes:
    """Word letters as one document, each in a section of its own that starts a new page,
    keeps its own headers and footers and numbers its pages from 1.

    "of Y" becomes Word's count of the section's pages; with ``page_counts`` (each letter's
    pages, known from its own PDF) the number itself, as LibreOffice miscounts a section
    whose first page differs from the rest.
    """
    from docx import Document

    counts = list(page_counts) or [None] * len(files)
    master = Document(io.BytesIO(files[0]))
    _own_page_numbers(master.element.body.find(_qn("w:sectPr")), master.part, counts[0])
    for data, count in zip(files[1:], counts[1:], strict=True):
        _append(master, Document(io.BytesIO(data)), count)
    buffer = io.BytesIO()
    master.save(buffer)
    return buffer.getvalue()


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _append(master: Any, source: Any, count: int | None) -> None:
    """``source``'s body after ``master``'s, as a new section with ``source``'s page set-up
    and its headers and footers (copied into ``master``)."""
    from docx.oxml import OxmlElement

    body = master.element.body
    ending = body.find(_qn("w:sectPr"))
    closing = OxmlElement("w:p")  # the section so far ends with this paragraph
    properties = OxmlElement("w:pPr")
    properties.append(ending)
    closing.append(properties)
    body.append(closing)
    moving = [el for el in source.element.body if el.tag != _qn("w:sectPr")]
    if any(k.startswith(f"{{{_R_NS}}}") for top in moving for el in top.iter()
           for k in el.attrib):
        raise BadInput("these Word letters cannot be joined into one file: their body holds "
                       "pictures or links, which cannot be moved between files",
                       hint="each letter is written on its own; print those, or use "
                            "--format html for one file to print")
    for element in moving:
        body.append(copy.deepcopy(element))
    section = copy.deepcopy(source.element.body.find(_qn("w:sectPr")))
    for reference in [*section.findall(_qn("w:headerReference")),
                      *section.findall(_qn("w:footerReference"))]:
        part = source.part.related_parts[reference.get(_qn("r:id"))]
        reference.set(_qn("r:id"), _copied_part(master, part, count))
    kind = section.find(_qn("w:type"))
    if kind is None:
        kind = OxmlElement("w:type")
        size = section.find(_qn("w:pgSz"))
        if size is not None:
            size.addprevious(kind)
        else:
            section.append(kind)
    kind.set(_qn("w:val"), "nextPage")
    _own_page_numbers(section, None, count)
    body.append(section)


def _copied_part(master: Any, part: Any, count: int | None) -> str:
    """A copy of a header or footer ``part`` of another file in ``master``: its rId."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.parts.hdrftr import FooterPart, HeaderPart

    if len(part.rels):
        raise BadInput("these Word letters cannot be joined into one file: their headers or "
                       "footers hold pictures or links",
                       hint="each letter is written on its own; print those, or use "
                            "--format html for one file to print")
    is_header = isinstance(part, HeaderPart)
    cls, name, rel = ((HeaderPart, "/word/header%d.xml", RT.HEADER) if is_header
                      else (FooterPart, "/word/footer%d.xml", RT.FOOTER))
    package = master.part.package
    element = copy.deepcopy(part.element)
    _section_page_count(element, count)
    new = cls(package.next_partname(name), part.content_type, element, package)
    return str(master.part.relate_to(new, rel))


def _own_page_numbers(section: Any, part: Any, count: int | None) -> None:
    """Pages numbered from 1 in this section; in ``part``'s own footers (the first
    letter's), the count is the section's pages."""
    from docx.oxml import OxmlElement

    if section is None:
        return
    numbering = section.find(_qn("w:pgNumType"))
    if numbering is None:
        numbering = OxmlElement("w:pgNumType")
        after = [section.find(_qn(t)) for t in ("w:cols", "w:formProt", "w:vAlign",
                                                "w:noEndnote", "w:titlePg", "w:textDirection",
                                                "w:bidi", "w:rtlGutter", "w:docGrid")]
        following = next((el for el in after if el is not None), None)
        if following is not None:
            following.addprevious(numbering)
        else:
            section.append(numbering)
    numbering.set(_qn("w:start"), "1")
    if part is not None:
        for reference in [*section.findall(_qn("w:headerReference")),
                          *section.findall(_qn("w:footerReference"))]:
            _section_page_count(part.related_parts[reference.get(_qn("r:id"))].element,
                                count)


def _section_page_count(element: Any, count: int | None) -> None:
    """"of Y" counts the section's pages (one letter's), not the whole file's: the number
    ``count`` when known, else Word's SECTIONPAGES field."""
    for simple in element.iter(_qn("w:fldSimple")):
        instr = simple.get(_qn("w:instr")) or ""
        simple.set(_qn("w:instr"), instr.replace("NUMPAGES", "SECTIONPAGES"))
    for text in list(element.iter(_qn("w:instrText"))):
        if not text.text or "NUMPAGES" not in text.text:
            continue
        if count is None or not _field_to_number(text.getparent(), count):
            text.text = text.text.replace("NUMPAGES", "SECTIONPAGES")


def _field_to_number(run: Any, count: int) -> bool:
    """The field whose code is in ``run`` replaced by the number ``count``, when it is laid
    out as Word writes it: begin, code, separate, result, end (False: left as it is)."""
    runs = [run]
    before = run.getprevious()
    while before is not None and before.find(_qn("w:fldChar")) is None:
        before = before.getprevious()
    after = run.getnext()
    while after is not None:
        runs.append(after)
        mark = after.find(_qn("w:fldChar"))
        if mark is not None and mark.get(_qn("w:fldCharType")) == "end":
            break
        after = after.getnext()
    results = [r for r in runs if r.find(_qn("w:t")) is not None]
    if before is None or after is None or len(results) != 1:
        return False
    results[0].find(_qn("w:t")).text = str(count)
    for other in [before, *runs]:
        if other is not results[0]:
            other.getparent().remove(other)
    return True


def pdf_page_count(data: bytes) -> int | None:
    """How many pages a PDF has, read from its page objects (None when they are packed
    away in object streams, where they cannot be counted this simply)."""
    if b"/ObjStm" in data:
        return None
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data)) or None
