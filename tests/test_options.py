"""Restorative options on two axes, each place with its source (issue 17; DOMAIN §4)."""

from __future__ import annotations

import re

from rjcli.core import vocab
from rjcli.core.options import OPTION_AXES, options_where

DOCUMENTS = ("Wokingham", "Somerset", "Tower Hamlets", "YJB", "Wait 'til Eight")
SERVICES = {"progress-updates", "support-referral"}
"""Services to the victim: on neither axis, not restorative justice."""


def test_every_restorative_option_is_on_both_axes_with_a_source() -> None:
    placed = {a.option for a in OPTION_AXES}
    assert placed == set(vocab.RESTORATIVE_OPTIONS) - SERVICES
    for a in OPTION_AXES:
        assert a.reparation in ("victim", "community", None), a
        assert a.communication in ("face-to-face", "mediated", None), a
        for source in (a.reparation_source, a.communication_source):
            assert any(doc in source for doc in DOCUMENTS) and re.search(r"\d", source), a


def test_the_seeds_places() -> None:
    # Somerset 11.3, Wait 'til Eight §3.3.4 and appendix 7A: shuttle mediation is indirect
    assert "shuttle-mediation" in options_where("communication", "mediated")
    assert "shuttle-mediation" not in options_where("communication", "face-to-face")
    # YJB §17: "direct reparation (letters of apologies/conferences)"
    assert {"letter-of-explanation", "conference"} <= set(options_where("reparation", "victim"))
    assert options_where("reparation", "community") == ("indirect-reparation",)
    assert options_where("communication", "face-to-face") == ("conference", "panel-attendance")
