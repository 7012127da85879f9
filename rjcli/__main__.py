"""Entry point of the ``rj`` console script.

``rj --help`` is answered from ``help.txt``, the top-level help as Typer renders it,
saved beside this file: importing Typer, click and every command module costs far
more than printing a page (shared/PERFORMANCE.md). ``tests/test_startup.py`` fails
when the saved page differs from what Typer renders; ``python -m rjcli.helppage``
writes it again.
"""

from __future__ import annotations

import sys
from pathlib import Path

HELP_PAGE = Path(__file__).with_name("help.txt")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--help"] and HELP_PAGE.is_file():
        sys.stdout.write(HELP_PAGE.read_text(encoding="utf-8"))
        return 0
    from rjcli.cli import build_app

    build_app(args)(args=args, prog_name="rj")
    return 0


if __name__ == "__main__":
    sys.exit(main())
