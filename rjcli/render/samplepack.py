"""The inspection sample pack (``rj report sample``) as Markdown, HTML or JSON.

Nothing is cleaned or counted here: every text arrives cleaned (``core.samplepack``). Each
format escapes what it prints (Markdown literal text, HTML entities); record ids appear only
with ``explain`` (internal use), under an internal-use warning.
"""

from __future__ import annotations

import html
import json
from datetime import date
from typing import Any

from rjcli.core.dates import uk_date
from rjcli.core.samplepack import SampleCase, SamplePack
from rjcli.core.text import markdown_literal, printable
from rjcli.render.report_html import PRINT_CSS, SCREEN_CSS, _css_string
from rjcli.render.reportparts import EXPLAIN_NOTE

FORMATS = ("md", "html", "json")
TITLE = "Inspection sample: closed victim cases"


def render(pack: SamplePack, fmt: str, explain: bool = False) -> str:
    """The pack in ``fmt`` (md, html or json)."""
    if fmt == "json":
        return json.dumps(as_json(pack, explain), indent=2, ensure_ascii=False) + "\n"
    if fmt == "html":
        return as_html(pack, explain)
    return as_markdown(pack, explain)


def _subtitle(pack: SamplePack) -> str:
    return (f"{pack.service}. Victim cases closed in {pack.period.label}: "
            f"{pack.period.words()}. Produced {uk_date(pack.today)}. Policy profile "
            f"{pack.profile}.")


def header_lines(pack: SamplePack, explain: bool) -> list[str]:
    lines = [_subtitle(pack), *pack.notes()]
    if pack.cases:
        lines.append(f"The same sample again: {pack.again()}")
    if explain:
        lines.append(EXPLAIN_NOTE.replace("behind each figure", "of each sampled case"))
    return lines


def _day(day: date | None) -> str:
    return uk_date(day) if day else "-"


def _case_heading(case: SampleCase, explain: bool) -> str:
    own = f" ({case.case})" if explain else ""
    return f"Sample case {case.number}{own}"


def _case_facts(case: SampleCase) -> str:
    reason = case.closure_reason or "no reason recorded"
    events, rules = len(case.timeline), len(case.rules)
    return (f"Victim: {case.kind}. Closed {uk_date(case.closed)} ({reason}). "
            f"{events} event{'s' * (events != 1)}; {rules} rule{'s' * (rules != 1)} applied.")


# --- Markdown ---------------------------------------------------------------------------------


def _md(text: str) -> str:
    return markdown_literal(printable(text)).replace("|", "\\|")


def as_markdown(pack: SamplePack, explain: bool) -> str:
    out = [f"# {TITLE}", ""]
    out += [f"{_md(line)}  " for line in header_lines(pack, explain)]
    for case in pack.cases:
        out += ["", f"## {_md(_case_heading(case, explain))}", "", _md(_case_facts(case)),
                "", "### Timeline", "", "| Date | Time | What | Text | By |",
                "| --- | --- | --- | --- | --- |"]
        out += [f"| {_day(e.day)} | {e.time or ''} | {_md(e.kind)} | {_md(e.text)} | "
                f"{_md(e.by)} |" for e in case.timeline]
        out += ["", "### Rules", "", "| Rule | Source | Due | Met | Outcome | Why, and how |",
                "| --- | --- | --- | --- | --- | --- |"]
        out += [f"| {_md(r.rule)}: {_md(r.title)} | {_md(r.source)} | {_day(r.due)} | "
                f"{_day(r.met)} | {_md(r.outcome)} | {_md(r.why)}"
                f"{'; ' + _md(r.detail) if r.detail else ''} |" for r in case.rules]
        if case.not_applying:
            out += ["", "Did not apply:", ""] + [f"- {_md(line)}" for line in case.not_applying]
    return "\n".join(out) + "\n"


# --- HTML -----------------------------------------------------------------------------------------


def _h(text: str) -> str:
    return html.escape(printable(text))


def _row(cells: list[str]) -> str:
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def _html_case(case: SampleCase, explain: bool) -> str:
    events = "".join(_row([_day(e.day), e.time or "", _h(e.kind), _h(e.text), _h(e.by)])
                     for e in case.timeline)
    rules = "".join(_row([f"<strong>{_h(r.rule)}</strong>: {_h(r.title)}", _h(r.source),
                          _day(r.due), _day(r.met), _h(r.outcome),
                          _h(r.why + (f"; {r.detail}" if r.detail else ""))])
                    for r in case.rules)
    not_applying = "".join(f"<li>{_h(line)}</li>" for line in case.not_applying)
    return (f'<section class="case"><h2>{_h(_case_heading(case, explain))}</h2>'
            f'<p class="note">{_h(_case_facts(case))}</p>'
            "<h3>Timeline</h3><table><thead><tr><th>Date</th><th>Time</th><th>What</th>"
            f"<th>Text</th><th>By</th></tr></thead><tbody>{events}</tbody></table>"
            "<h3>Rules</h3><table><thead><tr><th>Rule</th><th>Source</th><th>Due</th>"
            "<th>Met</th><th>Outcome</th><th>Why, and how</th></tr></thead>"
            f"<tbody>{rules}</tbody></table>"
            + (f'<div class="definitions"><h3>Did not apply</h3><ul>{not_applying}</ul></div>'
               if not_applying else "") + "</section>")


SAMPLE_CSS = """
th, td { text-align: left; vertical-align: top; }
section.case { break-before: page; page-break-before: always; }
section.case:first-of-type { break-before: auto; page-break-before: auto; }
"""


def as_html(pack: SamplePack, explain: bool) -> str:
    """A self-contained page (no scripts), one case to a printed page or more."""
    meta = "".join(f'<p class="{"warning" if "INTERNAL" in line else "meta"}">'
                   f"{_h(line)}</p>" for line in header_lines(pack, explain))
    running = _css_string(f"{pack.service} \u00b7 {TITLE} \u00b7 {pack.period.label}")
    css = SCREEN_CSS + PRINT_CSS.replace("RUNNING", running) + SAMPLE_CSS
    cases = "".join(_html_case(c, explain) for c in pack.cases)
    return ("<!DOCTYPE html>\n"
            '<html lang="en-GB"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_h(TITLE)}</title><style>{css}</style></head>"
            f"<body><header><h1>{_h(TITLE)}</h1>{meta}</header>"
            f"<main>{cases}</main></body></html>\n")


# --- JSON ----------------------------------------------------------------------------------


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def as_json(pack: SamplePack, explain: bool) -> dict[str, Any]:
    cases = []
    for case in pack.cases:
        item: dict[str, Any] = {"number": case.number}
        if explain:
            item["case"] = case.case
        item |= {
            "kind": case.kind, "closed": _iso(case.closed), "closure_reason": case.closure_reason,
            "timeline": [{"date": _iso(e.day), "time": e.time, "kind": e.kind, "text": e.text,
                          "by": e.by or None} for e in case.timeline],
            "rules": [{"rule": r.rule, "title": r.title, "source": r.source, "why": r.why,
                       "due": _iso(r.due), "met": _iso(r.met), "outcome": r.outcome,
                       "detail": r.detail or None} for r in case.rules],
            "not_applying": list(case.not_applying)}
        cases.append(item)
    return {"report": "sample", "title": TITLE, "service": pack.service,
            "period": {"label": pack.period.label, "start": _iso(pack.period.start),
                       "end": _iso(pack.period.end)},
            "today": _iso(pack.today), "seed": pack.seed, "seed_chosen": pack.seed_chosen,
            "asked": pack.asked, "closed_in_period": pack.closed_in_period,
            "profile": pack.profile, "notes": list(pack.notes()), "again": pack.again(),
            "internal": explain, "cases": cases}
