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


def test_every_command_is_mapped_to_the_module_that_registers_it():
    # a run imports only the module named in COMMAND_MODULES for its command
    import importlib
    import pkgutil

    import typer

    import rjcli.cli as cli

    for info in pkgutil.iter_modules(cli.__path__):
        module = importlib.import_module(f"rjcli.cli.{info.name}")
        if not hasattr(module, "register"):
            continue
        app = cli.make_app()
        module.register(app)
        names = typer.main.get_command(app).commands  # type: ignore[attr-defined]
        for name in names:
            assert info.name in cli.COMMAND_MODULES.get(name, "").split(), (name, info.name)


def test_command_name_skips_global_options():
    from rjcli.cli import command_name

    assert command_name(["-C", "book", "--today", "2026-04-01", "--no-cache", "due", "--all"]) == "due"
    assert command_name(["--worker", "Sam", "victim", "new"]) == "victim"
    assert command_name(["--version"]) is None


RUN = """
import atexit, sys
atexit.register(lambda: print("exit handlers ran", file=sys.stderr))
from rjcli.__main__ import run
sys.argv = ["rj", *sys.argv[1:]]
run()
"""
"""The console script's way out (``rjcli.__main__.run``), with an exit handler of its own."""


def leave(tmp_path, *args):
    out = tmp_path / "out.txt"
    with out.open("wb") as stdout:
        done = subprocess.run([sys.executable, "-c", RUN, *args], stdout=stdout,
                              stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=120)
    return done.returncode, out.read_bytes().decode(), done.stderr.decode()


def test_the_console_script_leaves_with_every_byte_written_and_the_exit_code_kept(tmp_path):
    """``run`` skips tearing down every object at exit (tens of ms for a big report), but
    the output is all there, the exit handlers ran and the exit code is the command's."""
    import shutil
    from pathlib import Path

    from typer.testing import CliRunner

    from rjcli.cli import app

    root = tmp_path / "casebook"
    shutil.copytree(Path(__file__).parents[1] / "sample-casebook", root)
    args = ["--casebook", str(root), "--today", "2026-06-15", "list", "all", "--json"]
    expected = CliRunner().invoke(app, args).stdout
    assert expected.count('"id"') > 10
    code, out, err = leave(tmp_path, *args)
    assert (code, out) == (0, expected), err
    assert err.endswith("exit handlers ran\n"), err
    code, out, err = leave(tmp_path, "--casebook", str(root), "--today", "31/02/2026", "due")
    assert code == 2 and "--today" in err and err.endswith("exit handlers ran\n"), err
    code, out, err = leave(tmp_path, "--casebook", str(tmp_path / "none"), "due")
    assert code not in (0, 1, 2, 70) and err.endswith("exit handlers ran\n"), err
