"""Entry point of the ``rj`` console script.

``rj --help`` is answered from ``help.txt``, the top-level help as Typer renders it,
saved beside this file: importing Typer, click and every command module costs far
more than printing a page (shared/PERFORMANCE.md). ``tests/test_startup.py`` fails
when the saved page differs from what Typer renders; ``python -m rjcli.helppage``
writes it again.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import NoReturn

HELP_PAGE = Path(__file__).with_name("help.txt")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--help"] and HELP_PAGE.is_file():
        sys.stdout.write(HELP_PAGE.read_text(encoding="utf-8"))
        return 0
    from rjcli.cli import build_app

    build_app(args)(args=args, prog_name="rj")
    return 0


def run() -> NoReturn:
    """The ``rj`` console script: :func:`main`, then out without tearing down every
    object the command made, one by one (a report or ``rj due`` over thousands of records
    spends 30-50 ms on that: shared/PERFORMANCE.md). Everything rj writes is written,
    synced and closed before a command returns; the exit handlers still run and both
    streams are flushed. An unexpected exception, a stream that cannot be flushed (a
    closed pipe) or a thread still running leaves the usual way."""
    code: str | int | None
    try:
        code = main()
    except SystemExit as exc:
        code = exc.code
    import atexit

    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)
    if any(t.is_alive() and not t.daemon for t in threading.enumerate()
           if t is not threading.main_thread()):
        sys.exit(code)
    if code is None:
        os._exit(0)
    if isinstance(code, int):
        os._exit(code & 0xFF)
    sys.exit(code)  # a message: printed, exit 1, as Python does


if __name__ == "__main__":
    run()
