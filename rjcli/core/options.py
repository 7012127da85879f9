"""Restorative options on two axes, each defined with its source (pure data;
shared/DOMAIN.md §4 "Two axes for restorative options"; issue 17).

"Direct" and "indirect" mean two different things in the sources, and a report that mixes
them counts shuttle mediation as direct and a letter of apology as indirect, against
both. So every option is placed on each axis separately:

- **reparation**: whom the reparation is for: the victim (``victim``, direct) or the
  community (``community``, indirect); None when the option is not reparation.
- **communication**: how the victim and the child communicate: face to face
  (``face-to-face``, direct) or through the worker (``mediated``, indirect); None when
  they do not communicate at all.

``progress-updates`` and ``support-referral`` are services to the victim, on neither
axis, and not restorative justice (KPI 10 counts them on their own lines).
"""

from __future__ import annotations

from typing import NamedTuple


class OptionAxes(NamedTuple):
    """Where one restorative option stands on the two axes, and why."""

    option: str
    """The option, in rj's vocabulary (shared/DOMAIN.md §8)."""
    reparation: str | None
    """``victim`` (direct), ``community`` (indirect), or None (not reparation)."""
    reparation_source: str
    """Where that comes from."""
    communication: str | None
    """``face-to-face`` (direct), ``mediated`` (indirect), or None (no communication)."""
    communication_source: str
    """Where that comes from."""


OPTION_AXES: tuple[OptionAxes, ...] = (
    OptionAxes("conference", "victim", "YJB §17: \"direct reparation (letters of apologies/"
               "conferences)\"",
               "face-to-face", "YJB §7: \"direct contact between the victim and the child\"; "
               "Wait 'til Eight appendix 7A"),
    OptionAxes("shuttle-mediation", None, "no reparation: the parties exchange what they "
               "want to say (Somerset 11.3)",
               "mediated", "Somerset 11.3: \"no direct contact between parties but indirect\"; "
               "Wait 'til Eight §3.3.4, appendix 7A (\"indirect mediation\")"),
    OptionAxes("direct-reparation", "victim", "Somerset 11.4: reparation \"completed directly "
               "to them\"; YJB §7: \"doing something for the victim\"",
               None, "YJB §7: \"which does not involve personal contact\""),
    OptionAxes("panel-attendance", None, "no reparation: the victim attends the Referral "
               "Order panel (YJB §7)",
               "face-to-face", "YJB §7: \"direct contact between the victim and the child\""),
    OptionAxes("letter-of-explanation", "victim", "YJB §17: \"direct reparation (letters of "
               "apologies/conferences)\"",
               "mediated", "Somerset 11.3: \"indirect through written or verbal "
               "communication\"; Wait 'til Eight appendix 7A (\"letter of apology\")"),
    OptionAxes("indirect-reparation", "community", "Somerset 11.4: \"community reparation "
               "projects\"; YJB §7: \"doing something to assist their local community\"",
               None, "YJB §7: \"which does not involve personal contact\""),
    OptionAxes("panel-statement", None, "no reparation: the victim's statement is read at the "
               "panel (YJB §7)",
               "mediated", "YJB §7: \"a number of indirect forms\"; Somerset 11.3"),
    OptionAxes("impact-statement", None, "no reparation: the victim's account is used in the "
               "child's victim-awareness work (Wokingham 15)",
               "mediated", "YJB §7: \"a number of indirect forms\"; Somerset 11.3"),
)
"""Every restorative option on both axes (the README's table lists the same)."""

RJ_OPTIONS = tuple(a.option for a in OPTION_AXES)
"""Every restorative option, in the order reports list them."""

AXIS_GROUPS: tuple[tuple[str, str, str, str], ...] = (
    ("reparation-victim", "Reparation to the victim (direct)", "reparation", "victim"),
    ("reparation-community", "Reparation to the community (indirect)", "reparation", "community"),
    ("communication-direct", "Communication face to face (direct)", "communication",
     "face-to-face"),
    ("communication-mediated", "Communication through the worker (indirect)", "communication",
     "mediated"),
)
"""(report key, label, axis, value) of each group a report totals."""


def options_where(axis: str, value: str) -> tuple[str, ...]:
    """The options whose ``axis`` (reparation or communication) is ``value``."""
    return tuple(a.option for a in OPTION_AXES if getattr(a, axis) == value)


def axes_text() -> str:
    """One line per option: where it stands on both axes, with the sources."""
    words = {"victim": "to the victim (direct)", "community": "to the community (indirect)",
             "face-to-face": "face to face (direct)", "mediated": "through the worker (indirect)",
             None: "none"}
    return "\n".join(f"{a.option}: reparation {words[a.reparation]} ({a.reparation_source}); "
                     f"communication {words[a.communication]} ({a.communication_source})"
                     for a in OPTION_AXES)
