"""Loading the Victims' Code rights list: the casebook's own ``policy/code-rights.yaml``
when it has one (it replaces the shipped list whole), else the shipped one; checked
against ``schemas/code-rights.schema.json``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rjcli.errors import RecordInvalid
from rjcli.shipped import shipped_dir

if TYPE_CHECKING:
    from rjcli.core.coderights import CodeRights
    from rjcli.storage.casebook import Casebook

FILE = "code-rights.yaml"


def load_code_rights(casebook: Casebook) -> CodeRights:
    from rjcli.core.coderights import code_rights_from_data
    from rjcli.storage import yamlio
    from rjcli.storage.filekinds import refuse_irregular
    from rjcli.storage.schemas import validate

    refuse_irregular(casebook.root, "policy", "the casebook's policy files")
    path = casebook.root / "policy" / FILE
    if not path.is_file():
        path = shipped_dir("policy") / FILE
    rel = casebook.rel(path)
    try:
        data = yamlio.read_fast(path)
    except yamlio.YamlProblem as exc:
        raise RecordInvalid(f"{rel}:{exc.line or '?'}: {exc.message}") from None
    problems = validate("code-rights", data, rel)
    if problems:
        raise RecordInvalid(f"{rel}: " + "; ".join(p.message for p in problems[:5]),
                            hint="the rights list follows schemas/code-rights.schema.json")
    return code_rights_from_data(data)
