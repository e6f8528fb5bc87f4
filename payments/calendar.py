"""French business days: neither a weekend nor a public holiday (``holidays.France``)."""

from datetime import date, timedelta

from common.public_holidays import public_holidays

SATURDAY = 5


def is_business_day(day: date) -> bool:
    return day.weekday() < SATURDAY and day not in public_holidays(day.year)


def add_business_days(day: date, count: int) -> date:
    """The ``count``-th business day after ``day`` (``day`` itself never counts)."""
    while count > 0:
        day += timedelta(days=1)
        if is_business_day(day):
            count -= 1
    return day


def months_before(day: date, months: int) -> date:
    """The same day ``months`` months earlier, the last day of the month when it has none."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    day_of_month = day.day
    while True:
        try:
            return date(year, month + 1, day_of_month)
        except ValueError:  # 31 in a month of 30, 29 February of a common year…
            day_of_month -= 1
