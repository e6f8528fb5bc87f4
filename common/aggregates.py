"""SQL aggregates that Django lacks: a percentile, and a duration in seconds.

``PercentileCont`` is PostgreSQL's ``percentile_cont(p) WITHIN GROUP (ORDER BY x)``,
linear interpolation between the two nearest values. SQLite (the embedded default) has
no such aggregate: the same computation is registered on its connection as a Python
aggregate, so that a query's figures are the same on either database and are still
computed by the database, group by group, not by loading rows into the page.
"""

import math

from django.db.models import Aggregate, FloatField, Func


class _SqlitePercentile:
    """The SQLite side of ``PercentileCont``: collects one group's values, interpolates."""

    def __init__(self):
        self.values: list[float] = []
        self.fraction = 0.5

    def step(self, value, fraction):
        if value is not None:
            self.values.append(float(value))
            self.fraction = float(fraction)

    def finalize(self):
        return percentile_of(self.values, self.fraction)


def percentile_of(values: list[float], fraction: float) -> float | None:
    """``percentile_cont``'s definition: the value at rank ``fraction * (n - 1)``,
    interpolated between its neighbours."""
    if not values:
        return None
    ordered = sorted(values)
    rank = fraction * (len(ordered) - 1)
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


SQLITE_FUNCTION = "portal_percentile_cont"


class PercentileCont(Aggregate):
    """``PercentileCont(expression, 0.9)``: the 90th percentile of the group."""

    function = "percentile_cont"
    name = "PercentileCont"
    output_field = FloatField()
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction: float, **extra):
        fraction = float(fraction)
        if not 0 <= fraction <= 1:
            raise ValueError("A percentile's fraction lies between 0 and 1.")
        # A float we checked ourselves: written into the SQL, never taken from a user.
        super().__init__(expression, fraction=repr(fraction), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        connection.ensure_connection()
        connection.connection.create_aggregate(SQLITE_FUNCTION, 2, _SqlitePercentile)
        return self.as_sql(
            compiler,
            connection,
            function=SQLITE_FUNCTION,
            template="%(function)s(%(expressions)s, %(fraction)s)",
            **extra_context,
        )


class Seconds(Func):
    """A duration (``F("end") - F("start")`` of two datetimes) as a number of seconds."""

    output_field = FloatField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="EXTRACT(EPOCH FROM %(expressions)s)", **extra_context
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django's SQLite backend stores a duration as an integer of microseconds.
        return self.as_sql(
            compiler, connection, template="((%(expressions)s) / 1000000.0)", **extra_context
        )
