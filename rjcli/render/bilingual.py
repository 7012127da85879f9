"""A letter in Welsh, or in Welsh then English in one document (``--language both``).

Each language is rendered from its own templates (``templates/cy/`` for Welsh, see
:func:`rjcli.render.letters.search_path`) with its own context, then the versions are
joined, Welsh first, as the Welsh Language Standards expect: Markdown and text with a
dividing line, HTML with each version marked with its language and the English
starting on a new printed page, Word with the English in a section of its own, on a new
page, under English page furniture.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rjcli.errors import BadInput
from rjcli.render import letters as render

HTML_LANG = {"cy": "cy", "en": "en-GB"}
MD_DIVIDER = "\n---\n\n"
TXT_DIVIDER = "\n" + "-" * 40 + "\n\n"


def render_versions(kind: str, versions: Sequence[tuple[str, dict[str, Any]]], root: Path,
                    fmt: str) -> tuple[bytes, str]:
    """(file contents, plain text to check) of the letter in each (language, context),
    in that order, in one document of format ``fmt`` (for ``pdf``, the Word document the
    caller converts once it is checked)."""
    if fmt in ("docx", "pdf"):
        parts = [render.render_docx(kind, context, render.search_path(root, lang))
                 for lang, context in versions]
        data = parts[0][0]
        for (lang, _), (more, _) in zip(versions[1:], parts[1:], strict=True):
            data = joined_docx(data, more, HTML_LANG.get(lang, lang))
        return data, render.docx_text(data) if len(parts) > 1 else parts[0][1]
    markdowns = [render.render_markdown(kind, context, render.search_path(root, lang))
                 for lang, context in versions]
    text = render.markdown_to_text(MD_DIVIDER.join(markdowns))
    if fmt == "md":
        return MD_DIVIDER.join(markdowns).encode("utf-8"), text
    if fmt == "txt":
        plain = TXT_DIVIDER.join(render.markdown_to_text(m) for m in markdowns)
        return plain.encode("utf-8"), plain
    if fmt == "html":
        return _html(kind, versions, root).encode("utf-8"), text
    raise BadInput(f"format '{fmt}' is not one of: {', '.join(render.FORMATS)}")


def _html(kind: str, versions: Sequence[tuple[str, dict[str, Any]]], root: Path) -> str:
    from markupsafe import escape

    sections = []
    for n, (lang, context) in enumerate(versions):
        markdown = render.render_markdown(kind, context, render.search_path(root, lang),
                                          autoescape=True)
        css = ' class="next-language" style="break-before: page"' if n else ""
        sections.append(f'<div lang="{escape(HTML_LANG.get(lang, lang))}"{css}>\n'
                        f"{render.markdown_body(markdown)}</div>\n")
    title = " / ".join(str(c.get("title", kind)) for _, c in versions)
    first_lang = versions[0][0]
    return render.html_page("".join(sections), title, HTML_LANG.get(first_lang, first_lang))


def joined_docx(first: bytes, second: bytes, second_lang: str) -> bytes:
    """One Word file: ``first``, then the body of ``second`` in a section of its own that
    starts on a new page, its text marked as in ``second_lang`` (``en-GB``: for spelling
    and screen readers).

    Each part keeps its own page furniture: the first part its headers and footers
    ("Tudalen 2 o 3", "Ein cyfeirnod: ..."), the second part the second file's ("Page 3 of
    3", "Our reference: ..."); pages are numbered through the whole document. A body or a
    header that refers to parts of its own file (a picture, a link) cannot be moved into
    another file safely, so such a template is refused rather than written broken.
    """
    from docx import Document
    from docx.oxml.ns import qn

    target, source = Document(io.BytesIO(first)), Document(io.BytesIO(second))
    body = source.element.body
    moving = [el for el in body if el.tag != qn("w:sectPr")]  # the page set-up goes after
    linked = [el for top in moving for el in top.iter()
              if any(k.startswith(f"{{{_R_NS}}}") for k in el.attrib)]
    furniture = _furniture_parts(source)
    if linked or any(part.rels for _, part in furniture.values()):
        raise BadInput("--language both cannot join these Word templates: their body or page "
                       "headers hold pictures or links, which cannot be moved between files",
                       hint="use --format md, txt or html for one bilingual document, or "
                            "write the Welsh (--language cy) and English (--language en) "
                            "Word letters one by one")
    end = target.element.body.find(qn("w:sectPr"))
    if end is None:  # pragma: no cover - python-docx always writes one
        end = target.element.body.makeelement(qn("w:sectPr"), {})
        target.element.body.append(end)
    # the first part's section ends here, with its own page set-up and furniture
    close = target.add_paragraph()._p
    close.get_or_add_pPr().append(copy.deepcopy(end))
    end.addprevious(close)
    for element in moving:
        end.addprevious(_in_language(copy.deepcopy(element), second_lang))
    # the last section (the second part) takes the second file's page set-up and furniture
    own = copy.deepcopy(body.find(qn("w:sectPr")))
    for reference in own:
        if reference.tag in (qn("w:headerReference"), qn("w:footerReference")):
            kind, part = furniture[reference.get(qn("r:id"))]
            moved = _copied_part(target, kind, part, second_lang)
            reference.set(qn("r:id"), target.part.relate_to(moved, _RT[kind]))
    kind_of_start = own.find(qn("w:type"))
    if kind_of_start is not None:  # a new page, always
        own.remove(kind_of_start)
    end.getparent().replace(end, own)
    buffer = io.BytesIO()
    target.save(buffer)
    return buffer.getvalue()


_RT = {
    "header": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header",
    "footer": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer",
}


def _furniture_parts(document: Any) -> dict[str, tuple[str, Any]]:
    """The header and footer parts the last section of ``document`` refers to, by
    relationship id: (``header`` or ``footer``, the part)."""
    from docx.oxml.ns import qn

    found = {}
    end = document.element.body.find(qn("w:sectPr"))
    for reference in end if end is not None else ():
        kind = {qn("w:headerReference"): "header",
                qn("w:footerReference"): "footer"}.get(reference.tag)
        if kind:
            rid = reference.get(qn("r:id"))
            found[rid] = (kind, document.part.related_parts[rid])
    return found


def _copied_part(target: Any, kind: str, part: Any, lang: str) -> Any:
    """A copy of a header or footer part in ``target``'s package, its text in ``lang``."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.parts.hdrftr import FooterPart, HeaderPart

    package = target.part.package
    cls, content_type = ((HeaderPart, CT.WML_HEADER) if kind == "header"
                         else (FooterPart, CT.WML_FOOTER))
    name = package.next_partname(f"/word/{kind}%d.xml")
    return cls(name, content_type, _in_language(copy.deepcopy(part.element), lang), package)


def _in_language(element: Any, lang: str) -> Any:
    """``element`` with every run of text marked as in ``lang``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for run in element.iter(qn("w:r")):
        props = run.find(qn("w:rPr"))
        if props is None:
            props = OxmlElement("w:rPr")
            run.insert(0, props)
        mark = props.find(qn("w:lang"))
        if mark is None:
            mark = OxmlElement("w:lang")
            props.append(mark)
        mark.set(qn("w:val"), lang)
    return element


_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
