"""Render the top-level help as Typer shows it (80 columns) and save it as help.txt."""

from __future__ import annotations

from pathlib import Path


def render() -> str:
    from typer.testing import CliRunner

    from rjcli.cli import app

    result = CliRunner().invoke(app, ["--help"], prog_name="rj", terminal_width=80)
    return result.output


def main() -> None:
    page = Path(__file__).with_name("help.txt")
    page.write_text(render(), encoding="utf-8")
    print(f"wrote {page}")


if __name__ == "__main__":
    main()
