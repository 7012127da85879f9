"""Start-up: the saved top-level help page is exactly what Typer renders."""

from __future__ import annotations

import subprocess
import sys

from rjcli.__main__ import HELP_PAGE
from rjcli.helppage import render


def test_saved_help_page_matches_typer():
    # if this fails, a command or option changed: python -m rjcli.helppage
    assert HELP_PAGE.read_text(encoding="utf-8") == render()


def test_help_is_served_without_importing_typer():
    code = ("import sys, io, contextlib; from rjcli.__main__ import main; "
            "buf = io.StringIO()\nwith contextlib.redirect_stdout(buf): main(['--help'])\n"
            "print('typer' in sys.modules, 'Usage: rj' in buf.getvalue())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]
