"""French public holidays (``holidays.France``), one set per year, computed once."""

from datetime import date
from functools import lru_cache

import holidays


@lru_cache(maxsize=16)
def public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.France(years=year))


def is_public_holiday(day: date) -> bool:
    return day in public_holidays(day.year)
