"""Free slots: opening hours on the Paris clock across the changes of time, public
holidays and closures, the minimal notice and the horizon, the desks taken."""

from datetime import date, time, timedelta

import pytest
import time_machine

from appointments import slots
from appointments.models import Closure, SlotCounter
from tests.appointments import factories
from tests.appointments.conftest import PARIS, fresh, paris

pytestmark = pytest.mark.django_db


def starts_of(agenda, day, **extra):
    [found] = slots.agenda_days(agenda, first=day, last=day, **extra)
    return found


@time_machine.travel(paris(2026, 3, 10, 10), tick=False)
def test_a_counter_opening_at_nine_opens_at_nine_paris_time_on_both_sides_of_the_spring_change(
    agenda,
):
    # Summer time begins on Sunday 29 March 2026 (the last Sunday of March).
    before = starts_of(agenda, date(2026, 3, 28)).starts[0]
    after = starts_of(agenda, date(2026, 3, 30)).starts[0]

    assert before.astimezone(PARIS).time() == after.astimezone(PARIS).time() == time(9)
    assert before.utcoffset() == timedelta(hours=1)
    assert after.utcoffset() == timedelta(hours=2)
    assert (before.hour, after.hour) == (9, 9)
    assert before.astimezone(PARIS).utcoffset() != after.astimezone(PARIS).utcoffset()


@time_machine.travel(paris(2026, 10, 10, 10), tick=False)
def test_slots_keep_their_paris_time_on_the_sunday_the_clocks_go_back(db):
    # Winter time begins on Sunday 25 October 2026: 3:00 becomes 2:00 again.
    sunday = fresh(factories.agenda(slug="dimanche", weekdays=[6], periods=[(time(1), time(4))]))

    starts = starts_of(sunday, date(2026, 10, 25)).starts

    assert [s.strftime("%H:%M") for s in starts][:2] == ["01:00", "01:15"]
    assert starts[-1].strftime("%H:%M") == "03:45"
    utc = [s.astimezone(PARIS).utcoffset() for s in starts]
    assert utc[0] == timedelta(hours=2) and utc[-1] == timedelta(hours=1)


@time_machine.travel(paris(2026, 4, 20, 10), tick=False)
def test_a_public_holiday_has_no_slot_and_says_why(agenda):
    # 1 May 2026 is a Friday, « Fête du Travail ».
    holiday = starts_of(agenda, date(2026, 5, 1))
    assert holiday.starts == []
    assert holiday.closed_reason == "Jour férié"
    assert starts_of(agenda, date(2026, 4, 30)).starts


@time_machine.travel(paris(2026, 4, 20, 10), tick=False)
def test_an_exceptional_closure_has_no_slot_and_gives_its_reason(agenda):
    Closure.objects.create(
        agenda=agenda, first_day=date(2026, 4, 28), last_day=date(2026, 4, 29), reason="Travaux"
    )
    agenda = fresh(agenda)
    assert starts_of(agenda, date(2026, 4, 29)).closed_reason == "Travaux"
    assert starts_of(agenda, date(2026, 4, 29)).starts == []
    assert starts_of(agenda, date(2026, 4, 30)).starts


@time_machine.travel(paris(2026, 4, 21, 23, 59), tick=False)
def test_a_booking_at_23_59_for_tomorrow_respects_the_24_hour_delay(agenda):
    tomorrow = starts_of(agenda, date(2026, 4, 22)).starts
    after_tomorrow = starts_of(agenda, date(2026, 4, 23)).starts

    assert tomorrow == []  # Every slot of Wednesday is less than 24 hours away.
    assert after_tomorrow[0] == paris(2026, 4, 23, 9)


@time_machine.travel(paris(2026, 4, 21, 10, 5), tick=False)
def test_the_notice_counts_in_hours_not_in_days(agenda):
    tomorrow = starts_of(agenda, date(2026, 4, 22)).starts
    assert tomorrow[0] == paris(2026, 4, 22, 10, 15)


@time_machine.travel(paris(2026, 4, 20, 10), tick=False)
def test_nothing_beyond_the_horizon(agenda):
    horizon = date(2026, 4, 20) + timedelta(weeks=8)
    assert starts_of(agenda, horizon + timedelta(days=1)).starts == []
    assert starts_of(agenda, horizon - timedelta(days=2)).starts  # A Saturday.


@time_machine.travel(paris(2026, 4, 20, 10), tick=False)
def test_a_slot_is_free_until_every_desk_is_taken(db):
    agenda = fresh(factories.agenda(desks=2))
    start = paris(2026, 4, 23, 9)
    SlotCounter.objects.create(agenda=agenda, starts_at=start, taken=1)
    assert start in starts_of(agenda, date(2026, 4, 23)).starts
    SlotCounter.objects.filter(agenda=agenda, starts_at=start).update(taken=2)
    assert start not in starts_of(agenda, date(2026, 4, 23)).starts


@time_machine.travel(paris(2026, 4, 20, 10), tick=False)
def test_an_identity_appointment_for_three_needs_three_free_slots_in_a_row(identity_agenda):
    day = date(2026, 4, 23)
    full = paris(2026, 4, 23, 9, 30)
    SlotCounter.objects.create(agenda=identity_agenda, starts_at=full, taken=2)

    for_three = starts_of(identity_agenda, day, people=3).starts

    assert paris(2026, 4, 23, 9) not in for_three  # 9:00, 9:15, 9:30 (full)
    assert paris(2026, 4, 23, 9, 45) in for_three
    # Never across the lunch break: the last start of the morning for three is 11:15.
    assert paris(2026, 4, 23, 11, 15) in for_three
    assert paris(2026, 4, 23, 11, 30) not in for_three


@time_machine.travel(paris(2026, 4, 20, 10), tick=False)
def test_the_next_free_slots_skip_the_full_ones(agenda):
    SlotCounter.objects.create(agenda=agenda, starts_at=paris(2026, 4, 23, 9, 15), taken=1)
    found = slots.next_free(agenda, after=paris(2026, 4, 23, 9), count=2)
    assert found == [paris(2026, 4, 23, 9, 30), paris(2026, 4, 23, 9, 45)]
