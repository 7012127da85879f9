"""Loading the offence categories for letters: the casebook's own
``policy/offence-categories.yaml`` when it has one (it replaces the shipped list whole),
else the shipped one; checked against ``schemas/offence-categories.schema.json``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rjcli.shipped import shipped_dir

if TYPE_CHECKING:
    from rjcli.core.offences import OffenceCategories
    from rjcli.storage.casebook import Casebook


def load_offence_categories(casebook: Casebook) -> OffenceCategories:
    from rjcli.core.offences import FILE, duplicate_ids, offence_categories_from_data
    from rjcli.errors import RecordInvalid
    from rjcli.storage.filekinds import refuse_irregular
    from rjcli.storage.policy import load_checked

    refuse_irregular(casebook.root, "policy", "the casebook's policy files")
    path = casebook.root / "policy" / FILE
    if not path.is_file():
        path = shipped_dir("policy") / FILE
    data = load_checked(casebook, path, "offence-categories", "offence category lists")
    twice = duplicate_ids(data)
    if twice:
        raise RecordInvalid(f"{casebook.rel(path)}: a category is listed twice: "
                            f"{', '.join(twice)}", hint="list each id once")
    return offence_categories_from_data(data)
