"""Review dates: month arithmetic without a database."""

from datetime import date

from knowledge.dates import add_months


def test_adding_months_keeps_the_day():
    assert add_months(date(2025, 1, 15), 6) == date(2025, 7, 15)


def test_adding_months_clamps_to_the_end_of_a_shorter_month():
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)


def test_adding_months_crosses_years():
    assert add_months(date(2025, 11, 30), 14) == date(2027, 1, 30)
