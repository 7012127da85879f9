"""The one spelling of every value (shared/DOMAIN.md §8).

Lowercase, hyphenated words used alike in YAML, on the command line and in JSON,
so that a value typed at a prompt, stored in a file and counted in a report is the
same word. Labels are for display only.
"""

from __future__ import annotations

DISPOSALS = (
    "community-resolution",
    "youth-caution",
    "youth-conditional-caution",
    "referral-order",
    "yro",
    "custody",
    "deferred-sentence",
    "psr-requested",
    "no-further-action",
)
OUT_OF_COURT_DISPOSALS = ("community-resolution", "youth-caution", "youth-conditional-caution")
STAGES = ("pre-court", "pre-sentence", "post-sentence")
REFERRAL_SOURCES = ("police", "court", "other-yjs", "case-holder", "self")
VICTIM_KINDS = ("individual", "under-18", "corporate", "family-or-carer")
CONTACT_METHODS = ("phone", "text", "letter", "email", "visit", "meeting", "video")
CONTACT_OUTCOMES = (
    "spoke", "no-answer", "left-message", "sent", "received", "kept", "missed", "cancelled",
)
# who the contact was with: the victim side, or a professional about the case
CONTACT_PARTIES = (
    "victim", "parent-guardian", "representative", "case-holder", "police", "home-service",
    "child", "other",
)
RESTORATIVE_OPTIONS = (
    "conference",
    "shuttle-mediation",
    "letter-of-explanation",
    "direct-reparation",
    "indirect-reparation",
    "panel-attendance",
    "panel-statement",
    "impact-statement",
    "progress-updates",
    "support-referral",
)
OPTION_STATUSES = ("offered", "accepted", "declined", "in-progress", "completed", "not-appropriate")
SATISFACTION = ("very-satisfied", "satisfied", "neither", "dissatisfied", "very-dissatisfied")
CLOSURE_REASONS = (
    "completed", "declined", "no-response", "withdrew", "not-appropriate", "transferred",
    "out-of-area",
)
STAFF_ROLES = ("rj-worker", "case-holder", "manager", "admin")
# Consent kinds (DOMAIN §2): to be contacted by the YJS (YOT1), to be contacted again
# after sentence (Wokingham PSR 4), informed consent to RJ / direct reparation (YJB §24),
# to share what they said (Somerset 3.3, 7.3), progress updates (Somerset 7.6),
# evaluation (Tower Hamlets 7); for a victim under 18, the parent's or guardian's consent,
# needed "before any contact is made with the victim" (Somerset 6.4).
VICTIM_CONSENT_KINDS = (
    "contact",
    "contact-after-sentence",
    "parent-consent",
    "rj-participation",
    "direct-reparation",
    "share-views",
    "progress-updates",
    "evaluation",
)
# The child's (and responsible adult's) express permission to pass the child's
# details to the victim (Somerset 7.3).
CHILD_CONSENT_KINDS = ("share-details-with-victim", "rj-participation", "parent-permission")
CONSENT_ANSWERS = ("yes", "no", "withdrawn")
# Enhanced entitlements under the Victims' Code (YJB §26).
ENTITLEMENTS = (
    "vulnerable", "intimidated", "persistently-targeted", "serious-offence", "bereaved",
)
REGIONS = ("england", "wales")
POLICY_PROFILES = ("national", "wokingham", "somerset", "tower-hamlets")
POLICY_ADDONS = ("wait-til-eight",)
"""Shipped add-ons a casebook may switch on over its profile (rj.yaml policy.addons)."""
RECORD_STATUSES = ("open", "closed")
SEXES = ("female", "male", "other", "not-known")

LABELS = {
    "yro": "Youth Rehabilitation Order",
    "referral-order": "Referral Order",
    "community-resolution": "Community Resolution",
    "youth-caution": "Youth Caution",
    "youth-conditional-caution": "Youth Conditional Caution",
    "custody": "custody (DTO or longer detention)",
    "deferred-sentence": "deferred sentence",
    "psr-requested": "pre-sentence report requested",
    "no-further-action": "no further action",
}


def label(value: str) -> str:
    """Display label for a vocabulary value."""
    return LABELS.get(value, value.replace("-", " "))
