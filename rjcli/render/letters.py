"""Rendering letters: Jinja templates in a sandbox, to Markdown, plain text, HTML or Word.

Templates are found first in the casebook's own ``templates/`` folder, then in the
shipped ``templates/`` (the same file name wins), so a service can replace one letter,
or only the shared letterhead (``_letterhead.md.j2``) and signature (``_signoff.md.j2``).

A template runs in Jinja's immutable sandbox with strict undefined values and no
globals: it sees the letter's context (plain text, lists and mappings) and nothing
else, so it cannot reach Python's internals, the file system or the rest of the
casebook, and a misspelt or withheld field stops the letter instead of printing a
blank. HTML is rendered with autoescape on; Word files are the service's own ``.docx``
with Jinja tags (``docxtpl``), so its letterhead and fonts stay as they are.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from rjcli.errors import BadInput

FORMATS = ("md", "txt", "html", "docx", "pdf")
"""``pdf`` is the Word letter converted by LibreOffice (rjcli.storage.pdf)."""
_TAG_LINE = re.compile(r"^[ \t]*(\{%[^%]*%\}|\{#(?:(?!#\}).)*#\})[ \t]*\n", re.M | re.S)
MAX_REPEAT = 100_000
"""The largest string or list a template may build with ``*`` or ``**``."""


def search_path(casebook_root: Path, language: str = "en") -> list[Path]:
    """Where templates are looked for: the casebook's own folder first, then the shipped one.

    Welsh (``cy``) templates are in the ``cy/`` folder of each, and only there: a Welsh
    letter never falls back to an English template or partial."""
    from rjcli.shipped import shipped_dir

    folders = [casebook_root / "templates", shipped_dir("templates")]
    return folders if language == "en" else [folder / language for folder in folders]


def template_name(kind: str, fmt: str) -> str:
    """The file a kind is rendered from: ``initial.md.j2`` or ``docx/initial.docx`` (a PDF
    is made from the Word letter)."""
    return f"docx/{kind}.docx" if fmt in ("docx", "pdf") else f"{kind}.md.j2"


def template_in_use(kind: str, fmt: str, paths: Sequence[Path]) -> Path | None:
    """The template file that will be used for ``kind`` in ``fmt`` (None: there is none)."""
    name = template_name(kind, fmt)
    return next((folder / name for folder in paths if (folder / name).is_file()), None)


def _lines_filter(separator: str) -> Any:
    """``{{ recipient.block | lines }}``: one item a line (a Markdown hard break, or a
    Word line break)."""
    from markupsafe import Markup, escape

    from jinja2 import pass_eval_context

    @pass_eval_context
    def lines(eval_ctx: Any, value: Iterable[Any] | None) -> str:
        items = [str(v) for v in (value or []) if v not in (None, "")]
        if eval_ctx.autoescape:
            return Markup(separator).join(escape(item) for item in items)
        return separator.join(items)

    return lines


def _tag_lines_extension() -> Any:
    from jinja2.ext import Extension

    class TagLines(Extension):
        """A line holding only a ``{% tag %}`` or ``{# comment #}`` leaves no line behind;
        a tag at the end of a line of text keeps the line break after it (Jinja's own
        ``trim_blocks`` would join that line to the next)."""

        def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
            return _TAG_LINE.sub(r"\1", source)

    return TagLines


def make_env(paths: Sequence[Path], *, autoescape: bool = False, for_docx: bool = False) -> Any:
    """A sandboxed Jinja environment over ``paths`` (or over a docx part, ``for_docx``)."""
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

    _TagLines = _tag_lines_extension()

    class LetterEnvironment(ImmutableSandboxedEnvironment):
        """The sandbox, with ``*`` and ``**`` bounded (no template can fill the memory)."""

        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**" and isinstance(right, int) and abs(right) > 64:
                raise SecurityError("the power is too large")
            if operator == "*":
                sizes = [len(x) for x in (left, right) if isinstance(x, (str, list, tuple))]
                counts = [x for x in (left, right) if isinstance(x, int)]
                if sizes and counts and sizes[0] * max(counts) > MAX_REPEAT:
                    raise SecurityError("the repeated text is too long")
            return super().call_binop(context, operator, left, right)

    env = LetterEnvironment(
        loader=None if for_docx else FileSystemLoader([str(p) for p in paths]),
        undefined=StrictUndefined,
        autoescape=autoescape,
        finalize=None if for_docx else _markdown_literal(autoescape),
        keep_trailing_newline=True,
        auto_reload=False,
        extensions=[] if for_docx else [_TagLines],
    )
    env.globals.clear()  # no range, cycler, joiner, namespace, lipsum: only the letter's fields
    env.filters["lines"] = _lines_filter("\n" if for_docx else "  \n")
    env.filters["upfirst"] = _upfirst
    return env


def _markdown_literal(autoescape: bool) -> Any:
    """Every ``{{ value }}`` of a Markdown letter is shown as written: a victim named
    ``# Heading``, ``[x](http://evil)`` or ``<script>`` is those characters, never a
    heading, a link or HTML (:func:`rjcli.core.text.markdown_literal`). For HTML the
    autoescape that runs next makes ``<``, ``>`` and ``&`` entities; a value it already
    holds as safe (the ``lines`` filter's) stays safe."""
    from markupsafe import Markup

    from rjcli.core.text import markdown_literal

    def finalize(value: Any) -> Any:
        if isinstance(value, Markup):
            return Markup(markdown_literal(str(value), html_escaped_after=True))
        if isinstance(value, str):
            return markdown_literal(value, html_escaped_after=autoescape)
        return value

    return finalize


def _upfirst(value: Any) -> Any:
    """``{{ young_person | upfirst }}``: a capital at the start of a sentence, the rest kept."""
    text = value if isinstance(value, str) else str(value)  # Markup stays Markup
    return text[:1].upper() + text[1:]


def _template_problem(exc: Exception, where: str) -> BadInput:
    """A template failure as a message a person can act on."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
    from jinja2.sandbox import SecurityError

    line = getattr(exc, "lineno", None)
    frame = _template_frame(exc)
    if frame is not None:
        where, line = frame
    at = f"{where}" + (f", line {line}" if line else "")
    if isinstance(exc, SecurityError):
        return BadInput(f"template {at} tried something templates may not do: {exc}",
                        hint="a template may only use the letter's fields (rj letter list)")
    if isinstance(exc, UndefinedError):
        return BadInput(f"template {at} uses a field this letter does not have: {exc}",
                        hint="check the spelling; a field can be withheld on purpose, e.g. the "
                             "child's name without their permission (Somerset 7.3)")
    if isinstance(exc, TemplateNotFound):
        return BadInput(f"template {at}: no template file '{exc.name}'",
                        hint="templates are looked for in the casebook's templates/ folder, "
                             "then in rj's own")
    if isinstance(exc, TemplateSyntaxError):
        return BadInput(f"template {at} cannot be read: {exc.message}",
                        hint="fix the template; see https://jinja.palletsprojects.com/templates/")
    return BadInput(f"template {at} stopped: {type(exc).__name__}: {exc}")


def _template_frame(exc: Exception) -> tuple[str, int] | None:
    """(template file, line) where a rendering error happened: Jinja rewrites its
    tracebacks so that template frames carry the template's own file and line."""
    import traceback

    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    if not frames or frames[-1].lineno is None:
        return None
    return frames[-1].filename, frames[-1].lineno


def render_markdown(kind: str, context: dict[str, Any], paths: Sequence[Path], *,
                    autoescape: bool = False) -> str:
    """The letter as Markdown, from ``<kind>.md.j2``."""
    from jinja2 import TemplateError

    name = template_name(kind, "md")
    where = str(template_in_use(kind, "md", paths) or name)
    try:
        template = make_env(paths, autoescape=autoescape).get_template(name)
        text = template.render(context)
    except TemplateError as exc:
        raise _template_problem(exc, where) from None
    return str(text)


def _parse_markdown(text: str) -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    return md, md.parse(text)


def markdown_to_text(text: str) -> str:
    """Plain text: the Markdown without its marks (emphasis, headings, escapes)."""
    _, tokens = _parse_markdown(text)
    out: list[str] = []
    ordinal: list[int] = []
    prefix = ""
    for token in tokens:
        if token.type == "ordered_list_open":
            ordinal.append(int(token.attrGet("start") or 1))
        elif token.type == "bullet_list_open":
            ordinal.append(0)
        elif token.type in ("ordered_list_close", "bullet_list_close"):
            ordinal.pop()
            out.append("")
        elif token.type == "list_item_open":
            if ordinal and ordinal[-1]:
                prefix = f"{ordinal[-1]}. "
                ordinal[-1] += 1
            else:
                prefix = "- "
        elif token.type == "inline":
            words = "".join(
                "\n" if child.type in ("softbreak", "hardbreak") else child.content
                for child in token.children or [] if child.type in ("text", "code_inline",
                                                                    "softbreak", "hardbreak")
            )
            out.append(prefix + words)
            prefix = ""
        elif token.type == "hr":
            out.append("-" * 40)
        elif token.type in ("paragraph_close", "heading_close") and not token.hidden:
            out.append("")
    return _tidy("\n".join(out))


def _tidy(text: str) -> str:
    """No runs of blank lines, one newline at the end."""
    lines: list[str] = []
    for line in text.splitlines():
        if line.strip() == "" and lines and lines[-1] == "":
            continue
        lines.append(line.rstrip())
    return "\n".join(lines).strip("\n") + "\n"


HTML_PAGE = """\
<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: Arial, Helvetica, sans-serif; font-size: 12pt; line-height: 1.5;
       max-width: 42em; margin: 2em auto; padding: 0 1em; color: #111; }}
h1 {{ font-size: 1.4em; }} h2 {{ font-size: 1.15em; }}
@media print {{ body {{ margin: 0; max-width: none; }}
  hr + h2 {{ page-break-before: always; }} }}
</style>
</head>
<body>
{body}</body>
</html>
"""


def markdown_to_html(text: str, title: str, lang: str = "en-GB") -> str:
    """A simple self-contained page (no scripts, no outside files) from the Markdown.

    Raw HTML in the Markdown is shown as text, never run.
    """
    return html_page(markdown_body(text), title, lang)


def markdown_body(text: str) -> str:
    """The HTML of the Markdown (raw HTML in it is shown as text, never run)."""
    md, tokens = _parse_markdown(text)
    return str(md.renderer.render(tokens, md.options, {}))


def html_page(body: str, title: str, lang: str = "en-GB") -> str:
    """The page around a letter's HTML ``body`` (``lang``: the page's language)."""
    from markupsafe import escape

    return HTML_PAGE.format(title=escape(title), body=body, lang=escape(lang))


def render_text(kind: str, context: dict[str, Any], paths: Sequence[Path], fmt: str) -> str:
    """The letter in ``md``, ``txt`` or ``html``."""
    if fmt == "md":
        return render_markdown(kind, context, paths)
    if fmt == "txt":
        return markdown_to_text(render_markdown(kind, context, paths))
    if fmt == "html":
        markdown = render_markdown(kind, context, paths, autoescape=True)
        return markdown_to_html(markdown, str(context.get("title", kind)))
    raise BadInput(f"format '{fmt}' is not one of: {', '.join(FORMATS)}")


def render_docx(kind: str, context: dict[str, Any], paths: Sequence[Path]) -> tuple[bytes, str]:
    """The letter as a Word file from ``docx/<kind>.docx``: (the file, its text).

    The text (every paragraph, table cell, header and footer) is returned for the
    checks that every letter passes before it is written.
    """
    from jinja2 import TemplateError

    from docxtpl import DocxTemplate

    source = template_in_use(kind, "docx", paths)
    if source is None:
        raise BadInput(f"no Word template for {kind} (docx/{kind}.docx)",
                       hint="put one in the casebook's templates/docx/ folder")
    try:
        document = DocxTemplate(str(source))
        document.render(context, jinja_env=make_env(paths, autoescape=True, for_docx=True),
                        autoescape=True)
    except TemplateError as exc:
        raise _template_problem(exc, str(source)) from None
    except Exception as exc:  # a damaged or non-Word file
        if isinstance(exc, BadInput):
            raise
        raise BadInput(f"the Word template {source} could not be used: {exc}",
                       hint="open and save it again in Word, or remove it to use rj's own")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), docx_text(buffer.getvalue())


def docx_text(data: bytes) -> str:
    """All the text of a Word file: the body (tables in their place), then the headers and
    footers."""
    from docx import Document

    document = Document(io.BytesIO(data))
    parts = docx_body_paragraphs(data)
    for section in document.sections:
        for part in (section.first_page_header, section.header, section.even_page_header,
                     section.first_page_footer, section.footer, section.even_page_footer):
            if not part.is_linked_to_previous:
                parts += [p.text for p in part.paragraphs]
    return "\n".join(parts)


def docx_body_paragraphs(data: bytes) -> list[str]:
    """The text of each paragraph of a Word file's body, in reading order: a table's cells
    row by row where the table stands (a cell spanning rows, once)."""
    from docx import Document
    from docx.table import Table, _Cell

    def read(container: Any) -> list[str]:
        parts: list[str] = []
        for item in container.iter_inner_content():
            if not isinstance(item, Table):
                parts.append(item.text)
                continue
            for row in item.rows:
                for tc in row._tr.tc_lst:
                    if tc.vMerge != "continue":
                        parts += read(_Cell(tc, item))
        return parts

    return read(Document(io.BytesIO(data)))
