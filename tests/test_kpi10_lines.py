"""KPI 10 lines as the seeds and the YJB ask for them (issue 17): pre-court and statutory
columns (YJB §27), views sought only by the decision, "engaged" as rj reads the YJB's KPI 10
definition, progress information "not asked" kept apart from "declined" (Somerset 5.3), a
data-quality section, and entries recorded late (Wokingham 4; issue 16).

Each casebook is small and inline, beside the counts it must give. Quarter 2026-Q1 is
1 April to 30 June 2026; the report is run on 15 August 2026.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rjcli.core.calendar import WorkingCalendar
from rjcli.core.model import child_from_dict, victim_from_dict
from rjcli.core.reports import Casework, Report, quarter, quarterly_report

Q1 = quarter(2026, 1)
TODAY = date(2026, 8, 15)
CALENDAR = WorkingCalendar(frozenset({date(2026, 5, 4), date(2026, 5, 25)}))
_ids = iter(range(10**6))


def eid() -> str:
    return f"01KR{next(_ids):022d}"


def child(cid: str, *victims: str, **fields: Any) -> dict[str, Any]:
    return {"id": cid, "status_history": [], "order_end": date(2026, 5, 15),
            "victims": [{"ref": v, "label": "Victim"} for v in victims], **fields}


def victim(vid: str, *children: str, consents: tuple[tuple[str, str, date], ...] = (),
           **fields: Any) -> dict[str, Any]:
    return {"id": vid, "children": [{"child": c} for c in children],
            "referral": fields.pop("referral", {"allocated": date(2026, 1, 5)}),
            "consents": [{"id": eid(), "kind": kind, "answer": answer, "date": day}
                         for kind, answer, day in
                         (("contact", "yes", date(2026, 1, 5)), *consents)],
            "status_history": [], **fields}


def work_of(children: list[dict[str, Any]], victims: list[dict[str, Any]]) -> Casework:
    return Casework({v["id"]: victim_from_dict(v) for v in victims},
                    {c["id"]: child_from_dict(c) for c in children})


def report_of(work: Casework) -> Report:
    return quarterly_report(work, Q1, TODAY, "Testshire", CALENDAR)


def kpi(work: Casework) -> dict[str, dict[str, Any]]:
    """{line: {column: value}} of the KPI 10 table."""
    table = report_of(work).section("kpi10").table("kpi10")
    return {r.key: {c.key: f.value for c, f in zip(table.columns, r.figures, strict=True)}
            for r in table.rows}


def line(work: Casework, key: str) -> tuple[Any, Any, Any, Any]:
    """(all, pre-court, statutory, not recorded) of one KPI 10 line."""
    row = kpi(work)[key]
    return row["number"], row["pre-court"], row["statutory"], row["not-recorded"]


# --- 1. pre-court and statutory (YJB §27) -------------------------------------------------


def test_kpi10_lines_are_split_pre_court_and_statutory_by_the_disposal_of_the_order_that_ended():
    work = work_of(
        [child("C-0001", "V-0001", disposal="youth-caution"),
         child("C-0002", "V-0002", "V-0003", disposal="referral-order"),
         child("C-0003", "V-0004", "V-0005")],            # disposal not recorded
        [victim("V-0001", "C-0001"),
         victim("V-0002", "C-0002", contacts=[
             {"id": eid(), "at": "2026-05-01 10:00", "method": "phone", "outcome": "spoke"}]),
         victim("V-0003", "C-0002"),
         # the child's disposal is not recorded: the victim's referral says pre-court
         victim("V-0004", "C-0003", referral={"allocated": date(2026, 1, 5),
                                              "stage": "pre-court"}),
         victim("V-0005", "C-0003")])                     # nothing recorded at all
    assert line(work, "children_with_victims") == (3, 1, 1, 1)
    assert line(work, "victims_total") == (5, 2, 2, 1)
    assert line(work, "consented_to_contact") == (5, 2, 2, 1)
    assert line(work, "contacted") == (1, 0, 1, 0)
    # the engagement rate is worked out within each column
    assert line(work, "engagement_rate") == (0.0, 0.0, 0.0, 0.0)
    table = report_of(work).section("kpi10").table("kpi10")
    assert [c.heading for c in table.columns] == [
        "All", "Pre-court", "Statutory", "Disposal not recorded"]


# --- 2. view sought by the decision -----------------------------------------------------------


def test_a_view_sought_after_the_decision_is_not_counted_as_sought_before_it():
    work = work_of(
        [child("C-0001", "V-0001", "V-0002", "V-0003", disposal="youth-conditional-caution",
               sentence_date=date(2026, 3, 10)),
         child("C-0002", "V-0004", "V-0005", disposal="referral-order",
               sentence_date=date(2026, 2, 2), order_start=date(2026, 3, 2)),
         child("C-0003", "V-0006", disposal="yro")],      # no decision date recorded
        [victim("V-0001", "C-0001", view={"sought": date(2026, 3, 9)}),   # before: counted
         victim("V-0002", "C-0001", view={"sought": date(2026, 3, 10)}),  # that day: counted
         victim("V-0003", "C-0001", view={"sought": date(2026, 3, 11)}),  # after: not
         # a court order is planned as it starts (the panel's contract): 20 Feb is before
         victim("V-0004", "C-0002", view={"sought": date(2026, 2, 20)}),
         victim("V-0005", "C-0002", view={"sought": date(2026, 3, 3)}),   # after: not
         victim("V-0006", "C-0003", view={"sought": date(2026, 1, 9)})])  # no date to judge by
    assert line(work, "view_sought") == (3, 2, 1, 0)
    quality = report_of(work).section("data-quality").table("data-quality")
    assert quality.figure("view-after-decision").cases == ("V-0003", "V-0005")
    assert quality.figure("no-decision-date").cases == ("V-0006",)


# --- 3. engaged: delivered or in progress, with written consent --------------------------------


def test_engaged_needs_an_option_delivered_or_in_progress_with_written_consent():
    rj_yes = (("rj-participation", "yes", date(2026, 2, 1)),)

    def offer(option: str, status: str, day: date = date(2026, 3, 1)) -> dict[str, Any]:
        return {"id": eid(), "option": option, "status": status, "date": day}

    work = work_of(
        [child("C-0001", *(f"V-000{n}" for n in range(1, 8)), disposal="referral-order")],
        [victim("V-0001", "C-0001", consents=rj_yes,               # completed: engaged
                offers=[offer("conference", "completed")]),
         victim("V-0002", "C-0001", consents=rj_yes,               # in progress: engaged
                offers=[offer("letter-of-explanation", "in-progress")]),
         victim("V-0003", "C-0001", consents=rj_yes,               # accepted only: not yet
                offers=[offer("shuttle-mediation", "accepted")]),
         victim("V-0004", "C-0001",                                # delivered, no consent
                offers=[offer("conference", "completed")]),
         victim("V-0005", "C-0001",                                # consent to that option
                consents=(("direct-reparation", "yes", date(2026, 2, 1)),),
                offers=[offer("direct-reparation", "completed")]),
         victim("V-0006", "C-0001", consents=rj_yes,               # a panel held with them
                conferences=[{"id": eid(), "kind": "panel", "date": date(2026, 3, 3),
                              "child": "C-0001", "status": "held"}]),
         victim("V-0007", "C-0001", consents=(("rj-participation", "no", date(2026, 2, 1)),),
                offers=[offer("impact-statement", "completed")])])
    assert line(work, "engaged_rj")[0] == 4                        # V-0001, 2, 5, 6
    assert kpi(work)["engagement_rate"]["number"] == round(100 * 4 / 7, 1)
    section = report_of(work).section("kpi10")
    engaged = next(d for d in section.definitions if d.startswith("Engaged"))
    assert "rj's reading of the YJB's KPI 10 guidance" in engaged
    assert "not in the seeds" in engaged and "YJB §24" in engaged
    quality = report_of(work).section("data-quality").table("data-quality")
    assert quality.figure("no-written-consent").cases == ("V-0004", "V-0007")


# --- 5. progress information: asked, declined, not asked (Somerset 5.3) ------------------------


def test_progress_information_not_asked_is_kept_apart_from_declined():
    work = work_of(
        [child("C-0001", "V-0001", "V-0002", "V-0003", "V-0004", disposal="yro")],
        [victim("V-0001", "C-0001", progress_request={"date": date(2026, 2, 1)},
                progress_updates=[{"id": eid(), "date": date(2026, 4, 1)}]),
         victim("V-0002", "C-0001",                                # said yes when asked
                consents=(("progress-updates", "yes", date(2026, 2, 1)),)),
         victim("V-0003", "C-0001",                                # said no
                consents=(("progress-updates", "no", date(2026, 2, 1)),)),
         victim("V-0004", "C-0001")])                              # never asked
    k = kpi(work)
    assert k["progress_requested"]["number"] == 2
    assert k["progress_provided"]["number"] == 1
    assert k["progress_declined"]["number"] == 1
    assert k["progress_not_asked"]["number"] == 1
    table = report_of(work).section("kpi10").table("kpi10")
    assert table.figure("progress_not_asked").cases == ("V-0004",)


# --- 4. data quality ---------------------------------------------------------------------------


def test_data_quality_lists_what_a_figure_could_not_count_and_why():
    work = work_of(
        [child("C-0001", "V-0001", "V-0002", disposal="yro"),
         child("C-0002", "V-0003", order_end=None, disposal="yro")],
        [victim("V-0001", "C-0001"),
         {**victim("V-0002", "C-0001"), "consents": []},           # no consent answer
         victim("V-0003", "C-0002", referral={"allocated": date(2026, 4, 2)}),  # no order end
         victim("V-0004", referral={"allocated": date(2026, 4, 3), "stage": "pre-court"},
                status_history=[{"id": eid(), "date": date(2026, 5, 1), "status": "closed"}],
                offers=[{"id": eid(), "option": "conference", "status": "offered"}])])
    section = report_of(work).section("data-quality")
    quality = section.table("data-quality")
    found = {r.key: r.figures[0].cases for r in quality.rows if r.figures[0].value}
    assert found == {
        "no-order-end": ("C-0002",),        # its victim V-0003 is in no KPI 10 quarter
        "unlinked": ("V-0004",),            # no child: KPI 10 never counts them
        "no-consent-answer": ("V-0002",),   # not in the denominator
        "no-stage": ("V-0003",),            # allocated this quarter, stage not recorded
        "no-outcome": ("V-0004",),          # closed, no reason recorded
        "undated": ("V-0004",),             # an offer with no date
    }
    assert quality.figure("no-order-end").value == 1


# --- 7. recorded late (Wokingham 4; issue 16) --------------------------------------------------


def test_entries_recorded_more_than_two_working_days_late_are_counted_in_timeliness():
    def contact(at: str, recorded: str | None) -> dict[str, Any]:
        found = {"id": eid(), "at": at, "method": "phone", "outcome": "spoke"}
        return {**found, "recorded_at": recorded} if recorded else found

    allocated = {"allocated": date(2026, 4, 1)}
    work = work_of(
        [child("C-0001", "V-0001", disposal="yro", contacts=[
            # Friday 1 May: 2 working days later is Wednesday 6 May (4 May a bank holiday)
            contact("2026-05-01 10:00", "2026-05-06 09:00"),      # in time
            contact("2026-05-01 11:00", "2026-05-07 09:00")])],   # late
        [victim("V-0001", "C-0001", referral=allocated, contacts=[
            contact("2026-04-01 10:00", "2026-04-01 12:00"),
            contact("2026-04-06 10:00", "2026-12-04 12:00"),      # months later
            contact("2026-04-07 10:00", None)]),                  # no recording time
         victim("V-0002", referral=allocated, contacts=[
             contact("2026-04-08 10:00", "2026-04-13 10:00")])])  # Wed -> Mon: 3 days
    table = report_of(work).section("timeliness").table("recorded-late")
    rows = {r.key: tuple(f.value for f in r.figures) for r in table.rows}
    assert rows == {
        "victims": (3, 2, round(100 * 2 / 3, 1)),
        "children": (2, 1, 50.0),
        "all": (5, 3, 60.0),
    }
    assert table.figure("victims", "late").cases == ("V-0001", "V-0002")
