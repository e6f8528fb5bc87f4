"""Request numbers that people read out on the phone: 2026-000123, unique, in order, no gap."""

from django.db import connection, transaction

from procedures.models import RequestCounter


def next_request_number(year: int) -> str:
    """Take the next number of the year; call inside the submitting transaction.

    The counter row is locked until the transaction ends, so two submissions
    never get the same number, and a rolled-back submission gives its number back.
    """
    assert transaction.get_connection().in_atomic_block
    last = counter_increment(year)
    if last is None:
        # The year's first number: create its row, then take it like any other.
        RequestCounter.objects.get_or_create(year=year)
        last = counter_increment(year)
    return f"{year}-{last:06d}"


def counter_increment(year: int) -> int | None:
    """One statement locks, increments and reads the row (None: no row for the year). Every
    sending queues on this lock: it used to take three round trips (a get_or_create, a
    SELECT … FOR UPDATE, the UPDATE), the first two on each sending of the year."""
    table = connection.ops.quote_name(RequestCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE {table} SET "last" = "last" + 1 WHERE "year" = %s RETURNING "last"',  # noqa: S608 - the table's own name
            [year],
        )
        row = cursor.fetchone()
    return row[0] if row else None
