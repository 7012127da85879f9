"""What you type is what rj records (issue 16): UK dates, staff names, ages, the two clocks."""

from __future__ import annotations

from tests.conftest import CasebookUnderTest, plain


# --- dates and times, read day first ------------------------------------------------------

def test_a_contact_at_05_06_is_logged_on_5_june_and_said_in_words(
        casebook: CasebookUnderTest) -> None:
    result = casebook.run("contact", "log", casebook.victim, "--method", "phone",
                          "--outcome", "spoke", "--at", "05/06/2026 10:15", today="2026-06-15")
    assert result.exit_code == 0, result.output
    assert "Friday 5 June 2026 at 10:15" in plain(result.output)
    assert casebook.data(casebook.victim)["contacts"][-1]["at"] == "2026-06-05 10:15"


def test_yesterday_at_a_time_is_understood(casebook: CasebookUnderTest) -> None:
    result = casebook.run("contact", "log", casebook.victim, "--method", "phone",
                          "--outcome", "spoke", "--at", "yesterday 14:30")
    assert result.exit_code == 0, result.output
    assert casebook.data(casebook.victim)["contacts"][-1]["at"] == "2026-04-01 14:30"
    assert "Wednesday 1 April 2026 at 14:30" in plain(result.output)


def test_us_order_is_refused_with_the_forms_accepted(casebook: CasebookUnderTest) -> None:
    result = casebook.run("contact", "log", casebook.victim, "--method", "phone",
                          "--outcome", "spoke", "--at", "06/15/2026 10:00", today="2026-06-20")
    assert result.exit_code == 2
    out = plain(result.output)
    assert "--at '06/15/2026 10:00' has no month 15" in out
    assert "05/06/2026" in out and "yesterday 14:30" in out
    assert "contacts" not in casebook.data(casebook.victim)


def test_today_may_be_written_day_first(casebook: CasebookUnderTest) -> None:
    result = casebook.run("contact", "log", casebook.victim, "--method", "phone",
                          "--outcome", "spoke", "--at", "10:00", today="15/06/2026")
    assert result.exit_code == 0, result.output
    assert casebook.data(casebook.victim)["contacts"][-1]["at"] == "2026-06-15 10:00"


def test_a_date_option_reads_words_and_says_the_day(casebook: CasebookUnderTest) -> None:
    result = casebook.run("consent", casebook.victim, "rj-participation", "yes",
                          "--date", "1 Apr")
    assert result.exit_code == 0, result.output
    assert "Wednesday 1 April 2026" in plain(result.output)
