"""Adult or child follows from the birth date: majority at ``MAJORITY_AGE``, computed,
never stored."""

from datetime import date

from django.utils import timezone

from common.validators import MAJORITY_AGE, years_between


def age_on(born: date, today: date) -> int:
    """Completed years on ``today``: the same arithmetic as the registration form's."""
    return years_between(born, today)


def majority_cutoff(today: date | None = None) -> date:
    """The latest birth date of an adult on ``today``: born on or before it means 18 or more.

    Someone born on 29 February comes of age on 1 March in common years, as
    ``age_on`` counts; on a 29 February the cutoff falls back to the 28th.
    """
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - MAJORITY_AGE)
    except ValueError:
        return today.replace(year=today.year - MAJORITY_AGE, day=28)


def is_adult(born: date, today: date | None = None) -> bool:
    return born <= majority_cutoff(today)
