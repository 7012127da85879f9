"""Loading the Victims' Code rights list: the casebook's own ``policy/code-rights.yaml``
when it has one (it replaces the shipped list whole), else the shipped one; checked
against ``schemas/code-rights.schema.json``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rjcli.shipped import shipped_dir

if TYPE_CHECKING:
    from rjcli.core.coderights import CodeRights
    from rjcli.storage.casebook import Casebook

FILE = "code-rights.yaml"


def load_code_rights(casebook: Casebook) -> CodeRights:
    from rjcli.core.coderights import code_rights_from_data
    from rjcli.storage.filekinds import refuse_irregular
    from rjcli.storage.policy import load_checked

    refuse_irregular(casebook.root, "policy", "the casebook's policy files")
    path = casebook.root / "policy" / FILE
    if not path.is_file():
        path = shipped_dir("policy") / FILE
    return code_rights_from_data(load_checked(casebook, path, "code-rights", "rights lists"))
