"""Entry point of the ``rj`` console script."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from rjcli.cli import app

    app(args=argv, prog_name="rj")
    return 0


if __name__ == "__main__":
    sys.exit(main())
