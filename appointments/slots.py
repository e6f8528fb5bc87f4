"""The free slots of agendas: opening hours cut into slots, minus what is closed or taken.

Times are built on the Paris wall clock (``datetime.combine`` with the zone), then
compared and stored in UTC: a counter opening at 9:00 opens at 9:00 on both sides of
the change to and from summer time, which UTC sees as 7:00 or 8:00.

Reads are flat: the agendas with their hours and closures (prefetched) and one query
of the slot counters over the whole range, whatever the number of days and agendas.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from appointments.models import Agenda, Closure, OpeningHours, SlotCounter
from common.public_holidays import is_public_holiday


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class DaySlots:
    day: date
    starts: list[datetime]  # Aware, in the Paris zone.
    closed_reason: str = ""


def slots_needed(agenda: Agenda, people: int) -> int:
    """An identity appointment lasts one slot per person; any other one slot."""
    return max(1, people) if agenda.is_identity else 1


def with_calendar(queryset):
    """Agendas with what the slots are computed from, in two more queries."""
    return queryset.select_related("place").prefetch_related(
        Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens_at")),
        Prefetch("closures", queryset=Closure.objects.order_by("first_day")),
    )


def bookable_window(agenda: Agenda, now: datetime) -> tuple[datetime, datetime]:
    """From the minimal notice to the horizon."""
    return (
        now + timedelta(hours=agenda.min_notice_hours),
        now + timedelta(weeks=agenda.max_weeks),
    )


def period_starts(agenda: Agenda, day: date, hours: OpeningHours) -> list[datetime]:
    """The slot starts of one opening period, each slot ending by the closing time."""
    zone = local_zone()
    start = datetime.combine(day, hours.opens_at, tzinfo=zone)
    end = datetime.combine(day, hours.closes_at, tzinfo=zone)
    step = agenda.slot_length
    starts = []
    while start + step <= end:
        starts.append(start)
        start = start + step
    return starts


def closure_reason(agenda: Agenda, day: date) -> str:
    if is_public_holiday(day):
        return "Jour férié"
    for closure in agenda.closures.all():
        if closure.first_day <= day <= closure.last_day:
            return closure.reason
    return ""


def days_between(first: date, last: date) -> Iterable[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def range_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    zone = local_zone()
    return (
        datetime.combine(first, datetime.min.time(), tzinfo=zone),
        datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=zone),
    )


def taken_counts(agendas: list[Agenda], first: date, last: date) -> dict[int, dict]:
    """agenda pk → {start (UTC) → desks taken}: one query for every agenda and day."""
    low, high = range_bounds(first, last)
    taken: dict[int, dict] = defaultdict(dict)
    rows = SlotCounter.objects.filter(
        agenda__in=[agenda.pk for agenda in agendas],
        starts_at__gte=low,
        starts_at__lt=high,
        taken__gt=0,
    ).values_list("agenda_id", "starts_at", "taken")
    for agenda_id, start, count in rows:
        taken[agenda_id][start] = count
    return taken


def agenda_days(
    agenda: Agenda,
    *,
    first: date,
    last: date,
    people: int = 1,
    now: datetime | None = None,
    taken: dict | None = None,
    ignore: Iterable[datetime] = (),
) -> list[DaySlots]:
    """Every day from ``first`` to ``last`` with the starts a booking of ``people`` may take.

    ``ignore``: slots the caller already holds (a move within the same slots).
    """
    now = now or timezone.now()
    if taken is None:
        taken = taken_counts([agenda], first, last).get(agenda.pk, {})
    freed = set(ignore)
    earliest, latest = bookable_window(agenda, now)
    needed = slots_needed(agenda, people)
    by_weekday = defaultdict(list)
    for hours in agenda.opening_hours.all():
        by_weekday[hours.weekday].append(hours)
    days = []
    for day in days_between(first, last):
        reason = closure_reason(agenda, day)
        if reason or day.weekday() not in by_weekday:
            days.append(DaySlots(day, [], reason))
            continue
        free = []
        for hours in by_weekday[day.weekday()]:
            starts = period_starts(agenda, day, hours)
            open_flags = [
                taken.get(start, 0) - (1 if start in freed else 0) < agenda.desks
                for start in starts
            ]
            for index in range(len(starts) - needed + 1):
                start = starts[index]
                if start < earliest or start > latest:
                    continue
                if all(open_flags[index : index + needed]):
                    free.append(start)
        days.append(DaySlots(day, free))
    return days


def is_bookable(agenda: Agenda, start: datetime, *, people: int = 1, now=None, ignore=()) -> bool:
    day = timezone.localtime(start).date()
    [day_slots] = agenda_days(agenda, first=day, last=day, people=people, now=now, ignore=ignore)
    return start in day_slots.starts


def next_free(
    agenda: Agenda, *, after: datetime, people: int = 1, count: int = 5, now=None
) -> list[datetime]:
    """The first ``count`` free starts after ``after``, within the horizon."""
    now = now or timezone.now()
    first = timezone.localtime(max(after, now)).date()
    last = timezone.localtime(bookable_window(agenda, now)[1]).date()
    found = []
    while first <= last and len(found) < count:
        chunk_end = min(first + timedelta(days=13), last)
        for day_slots in agenda_days(agenda, first=first, last=chunk_end, people=people, now=now):
            found.extend(start for start in day_slots.starts if start > after)
        first = chunk_end + timedelta(days=1)
    return found[:count]


def first_bookable_day(agenda: Agenda, now: datetime) -> date:
    return timezone.localtime(bookable_window(agenda, now)[0]).date()


def last_bookable_day(agenda: Agenda, now: datetime) -> date:
    return timezone.localtime(bookable_window(agenda, now)[1]).date()
