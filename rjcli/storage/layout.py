"""Creating a casebook folder: rj.yaml, victims/, children/, .gitignore."""

from __future__ import annotations

import os
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

from rjcli.errors import BadInput
from rjcli.storage.atomic import FILE_MODE, atomic_write, make_folders

GITIGNORE = """\
# rj: caches, locks and generated letters/reports stay on this machine
.rj/
output/
*.tmp
"""

RJ_YAML = """\
# rj casebook settings. Edit freely: comments and order are kept.
# Every commented example below is valid as it stands: remove the "# " to use it.
service:                        # rj service shows these; rj service set changes them
  name: {service}
  # address:
  #   lines: [Civic Offices, High Street, Exampletown]
  #   postcode: XE1 1AA
  # phone: "01632 960000"        # never a withheld number (Somerset 6.1)
  # email: victims@example.org
  letterhead: [{service}]
  # complaints: "How to complain: write to the service manager at the address above."
  # sign_off: Yours sincerely    # the words before the worker's signature
staff: []
policy:
  profile: {profile}            # national, wokingham, somerset or tower-hamlets
  # addons: [wait-til-eight]    # Wait 'til Eight's programme: the child contacted in
  #                             # 15 working days, feedback in 7 days, copies in 3
  # rules:                      # change a rule of the profile, by id
  #   first-contact: {{offset: 3}}
  #   risk-approval: {{offset: 2}}
calendar:
  region: {region}              # england or wales: whose bank holidays count
  closures: []                  # days the service is closed, e.g. [2026-12-24]
retention:
  victim: 2                     # years to keep a closed record (YJB §29)
  child: 2
git:
  autocommit: {autocommit}
"""


def create_casebook(root: Path, service: str, profile: str, region: str, autocommit: bool) -> None:
    """Lay out a new, empty casebook at ``root`` (which must not hold one already)."""
    if (root / "rj.yaml").exists():
        raise BadInput(f"{root} already holds a casebook (rj.yaml is there)")
    if root.exists() and any(root.iterdir()):
        raise BadInput(f"{root} is not empty", hint="choose a new folder for the casebook")
    make_folders(root)
    # the casebook holds victims' details: only its owner may enter the folder (this also
    # covers copies git keeps under .git/objects, which git writes readable)
    os.chmod(root, 0o700)
    for folder in ("victims", "children"):
        atomic_write(root / folder / ".gitkeep", "")
    quoted = '"' + service.replace("\\", "\\\\").replace('"', '\\"') + '"'
    atomic_write(root / "rj.yaml", RJ_YAML.format(
        service=quoted, profile=profile, region=region,
        autocommit="true" if autocommit else "false"))
    atomic_write(root / ".gitignore", GITIGNORE)


_DATE = re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)\b")


def shift_dates(text: str, days: int) -> str:
    """Move every YYYY-MM-DD in ``text`` by ``days`` (whole weeks keep weekdays)."""

    def move(match: re.Match[str]) -> str:
        try:
            day = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return match[0]
        return (day + timedelta(days=days)).isoformat()

    return _DATE.sub(move, text)


def copy_shifted(source: Path, target: Path, days: int) -> int:
    """Copy a casebook, shifting its dates; returns the number of files written."""
    count = 0
    make_folders(target)
    os.chmod(target, 0o700)  # the demo's records are invented, but treated as real ones
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if rel.parts and rel.parts[0] in (".rj", "output", ".git"):
            continue
        dest = target / rel
        if path.is_dir():
            make_folders(dest)
        elif path.suffix in (".yaml", ".yml"):
            atomic_write(dest, shift_dates(path.read_text(encoding="utf-8"), days))
            count += 1
        else:
            make_folders(dest.parent)
            shutil.copy2(path, dest)
            os.chmod(dest, FILE_MODE)
    return count
