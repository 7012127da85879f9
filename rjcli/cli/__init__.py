"""The ``rj`` command: a root callback that builds the context, and one sub-app
per command group (``add_typer``). Operational errors become exit codes here only.
"""

from __future__ import annotations

import os
from typing import Annotated, Any

import click
import typer
from typer.core import TyperGroup

from rjcli import __version__
from rjcli.cli.context import AppContext, today_from
from rjcli.errors import RjError


class RjGroup(TyperGroup):
    """The root group: turns RjError into a message and its exit code, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            try:
                result = super().invoke(ctx)
            except OSError as exc:
                if isinstance(exc, BrokenPipeError):
                    raise
                from rjcli.errors import from_os_error

                raise from_os_error(exc) from None
            except Exception as exc:
                from rjcli.errors import from_sqlite_error

                known = from_sqlite_error(exc) if type(exc).__module__ == "sqlite3" else None
                if known is None:
                    raise
                raise known from None
            _not_committed(ctx)
            return result
        except RjError as exc:
            from rjcli.render.terminal import err, escape

            err().print(f"[bold red]error:[/bold red] {escape(exc.message)}")
            if exc.hint:
                err().print(f"[dim]{escape(exc.hint)}[/dim]")
            raise click.exceptions.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            from rjcli.render.terminal import err

            err().print("interrupted: nothing half-written (every save is atomic)")
            raise click.exceptions.Exit(130) from None
        except BrokenPipeError:
            # the reader went away (rj list | head): stop quietly, as other tools do
            import sys

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise click.exceptions.Exit(0) from None
        except click.UsageError as exc:
            # Typer already added "Did you mean ...?" to the message: click (8.4+) would
            # add its own again
            if "Did you mean" in exc.message and getattr(exc, "possibilities", None):
                exc.possibilities = None  # type: ignore[misc]
            raise
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except Exception as exc:
            if os.environ.get("RJ_DEBUG"):
                raise
            from rjcli.render.terminal import err, escape

            err().print(f"[bold red]rj stopped on an unexpected problem:[/bold red] "
                        f"{escape(type(exc).__name__)}: {escape(str(exc))}")
            err().print("[dim]Nothing was half-written. Set RJ_DEBUG=1 to see the details "
                        "and report them.[/dim]")
            raise click.exceptions.Exit(70) from None


def _not_committed(ctx: click.Context) -> None:
    """A command whose save could not be committed to git ends with that (exit 20)."""
    obj = ctx.obj
    casebook = getattr(obj, "_casebook", None)
    if casebook is not None and casebook.not_committed is not None:
        raise casebook.not_committed


def _version(value: bool) -> None:
    if value:
        from rjcli.storage.fastread import describe

        typer.echo(f"rj {__version__}\n{describe()}")
        raise typer.Exit()


def root(
    ctx: typer.Context,
    casebook: Annotated[str | None, typer.Option(
        "--casebook", "-C", help="The casebook folder (else RJ_CASEBOOK, else the nearest "
        "folder upward holding rj.yaml).", show_default=False)] = None,
    today: Annotated[str | None, typer.Option(
        "--today", envvar="RJ_TODAY", help="Work as if today were this date (day first: 15/06/2026, or 2026-06-15).",
        show_default=False)] = None,
    worker: Annotated[str | None, typer.Option(
        "--worker", envvar="RJ_WORKER", help="Who is at the keyboard: a name on the staff "
        "list, or a first name only one of them has (recorded on every entry; needed to "
        "change anything; rj due shows their work).", show_default=False)] = None,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Read every file instead of the index.")] = False,
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Print the version.")] = False,
) -> None:
    """rj: the casebook for victim work and restorative justice."""
    day, now = today_from(today)
    # whatever rj or a program it starts (git, SQLite) creates is owner-only; the person's
    # own umask again when the command ends (it matters when rj runs inside another program)
    import os

    before = os.umask(0o077)
    ctx.call_on_close(lambda: os.umask(before))
    _refuse_a_worker_name_with_controls(worker)
    ctx.obj = AppContext(casebook_option=casebook, today=day, now=now, worker_typed=worker,
                         use_cache=not no_cache)


def _refuse_a_worker_name_with_controls(worker: str | None) -> None:
    """--worker is written on every entry: it is one line of plain text."""
    from rjcli.core.text import name_problem

    problem = name_problem("--worker", worker)
    if problem:
        from rjcli.errors import BadInput

        raise BadInput(problem)


def make_app() -> typer.Typer:
    """The root app with its global options and no commands yet."""
    app = typer.Typer(
        cls=RjGroup,
        name="rj",
        help="rj: the casebook for victim work and restorative justice.\n\n"
        "Example: rj --casebook sample-casebook --today 2026-06-15 due",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
        rich_markup_mode=None,
    )
    app.callback()(root)
    return app


COMMAND_MODULES = {
    "due": "due", "explain": "due",
    "init": "setup", "demo": "setup",
    "show": "browse", "list": "browse",
    "victim": "records familyapproval bestplaced victimdetails", "child": "records childwork",
    "contact": "contact", "consent": "consent", "screen": "screen",
    "close": "lifecycle", "reopen": "lifecycle", "edit": "lifecycle",
    "check": "check", "reindex": "check",
    "staff": "staff", "service": "service",
    "letter": "letter",
    "risk": "risk",
    "sync": "sync", "status": "sync", "merge-file": "sync",
    "offer": "offer", "conference": "conference", "agreement": "conference",
    "view": "casework", "progress": "casework", "support": "casework", "complaint": "casework",
    "appointment": "casework", "vcs": "casework", "feedback": "casework",
    "timeline": "timeline",
    "report": "report",
    "export": "dataprotection", "retention": "dataprotection", "purge": "dataprotection",
    "import": "imports", "assign": "assign",
    "join": "join", "attach": "attach", "supervise": "supervise",
}
"""Which module(s) register each top-level command, so that a run imports only what it
needs (``tests/test_startup.py`` keeps this table true)."""

GLOBAL_OPTIONS_WITH_VALUE = ("--casebook", "-C", "--today", "--worker")


def command_name(args: list[str]) -> str | None:
    """The top-level command named in ``args``, skipping global options."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in GLOBAL_OPTIONS_WITH_VALUE:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def register_commands(app: typer.Typer, only: str | None = None) -> None:
    """Add every command group (each module of this package with ``register(app)``, in
    ``HELP_ORDER`` order), or only the module that registers ``only``."""
    import importlib
    import importlib.util
    import pkgutil

    if only in COMMAND_MODULES:
        names = COMMAND_MODULES[only].split()
        if all(importlib.util.find_spec(f"{__name__}.{n}") for n in names):
            for name in names:
                importlib.import_module(f"{__name__}.{name}").register(app)
            return
    modules = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "register"):
            modules.append(module)
    for module in sorted(modules, key=lambda m: (getattr(m, "HELP_ORDER", 50), m.__name__)):
        module.register(app)


def build_app(args: list[str] | None = None) -> typer.Typer:
    """The app for one run: only the command module ``args`` needs, else all."""
    app = make_app()
    register_commands(app, command_name(args) if args is not None else None)
    return app


def __getattr__(name: str) -> typer.Typer:
    # ``from rjcli.cli import app``: the full app (tests, the help page)
    if name == "app":
        full = build_app()
        globals()["app"] = full
        return full
    raise AttributeError(name)
