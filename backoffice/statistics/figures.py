"""What a section hands to the page: figures, each one table and the chart drawn from it."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included, in the town's time zone."""

    start: date
    end: date

    @property
    def since(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        """The first moment after the period (exclusive bound)."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    # Numbers are right-aligned and written the French way (« 1 234,5 »).
    numeric: bool = True


@dataclass(frozen=True)
class Series:
    """One measure drawn as bars: ``key`` is a numeric column of the figure's table."""

    key: str
    label: str


@dataclass
class Figure:
    """One chart and its table. ``rows`` are dicts keyed by the columns' keys; the chart
    draws one group of bars per row, labelled by the ``category`` column, one bar per
    series (every bar carries its number and, with several series, its name)."""

    slug: str
    title: str
    description: str
    columns: list[Column]
    rows: list[dict]
    category: str
    series: list[Series]
    unit: str = ""
    notes: list[str] = field(default_factory=list)
    # « Toutes les démarches »: the table's last line, left out of the chart (it would
    # dwarf every bar).
    total: dict | None = None

    def cells(self, row: dict) -> list[tuple[Column, object]]:
        return [(column, row.get(column.key)) for column in self.columns]


@dataclass
class SectionFigures:
    slug: str
    title: str
    introduction: str
    figures: list[Figure]
