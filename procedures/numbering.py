"""Request numbers that people read out on the phone: 2026-000123, unique, in order, no gap."""

from django.db import transaction

from procedures.models import RequestCounter


def next_request_number(year: int) -> str:
    """Take the next number of the year; call inside the submitting transaction.

    The counter row is locked until the transaction ends, so two submissions
    never get the same number, and a rolled-back submission gives its number back.
    """
    assert transaction.get_connection().in_atomic_block
    RequestCounter.objects.get_or_create(year=year)
    counter = RequestCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{year}-{counter.last:06d}"
