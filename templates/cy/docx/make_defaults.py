"""Make the plain default Welsh Word templates in this folder from the Welsh Markdown
templates (``templates/cy/*.md.j2``), the same way as the English ones.

    python templates/cy/docx/make_defaults.py            # rewrite templates/cy/docx/*.docx
    python templates/cy/docx/make_defaults.py --check    # exit 1 if any is out of date

It runs ``templates/docx/make_defaults.py`` over the Welsh folder (with Welsh as the
text's language), so a change to how the
English defaults are built applies to the Welsh ones too: run both.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
ENGLISH = HERE.parent.parent / "docx" / "make_defaults.py"


def builder() -> ModuleType:
    """The English builder, pointed at the Welsh templates and this folder."""
    spec = importlib.util.spec_from_file_location("make_defaults_en", ENGLISH)
    if spec is None or spec.loader is None:
        raise ImportError(ENGLISH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.HERE = HERE
    module.TEMPLATES = HERE.parent
    module.CONTINUATION_HEADER = "{% if reference %}Ein cyfeirnod: {{ reference }}{% endif %}"
    module.PAGE_WORDS = ("Tudalen ", " o ")
    module.LANGUAGE = "cy-GB"
    english_style = module._style

    def welsh_style(document: object) -> None:
        """The English styles, with Welsh as the text's language (spelling, screen readers)."""
        from docx.oxml.ns import qn

        english_style(document)
        document.core_properties.language = "cy-GB"  # type: ignore[attr-defined]
        styles = document.styles.element  # type: ignore[attr-defined]
        for lang in styles.iter(qn("w:lang")):
            lang.set(qn("w:val"), "cy-GB")

    module._style = welsh_style
    return module


if __name__ == "__main__":
    sys.exit(builder().main(sys.argv[1:]))
