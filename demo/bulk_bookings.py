"""The bench's counters for ``seed_demo --households N`` (demo/bulk_seed.py): four places,
each with a passport and identity-card agenda of four desks open six days a week for
sixteen weeks, and the next three months about half booked by bench citizens.

The national search's ``availableTimeSlots`` over three months of these four agendas,
and a citizen's free-slots page of one, are what the bench measures on them
(bench/load.py). Bookings are plain rows with their slot counters, written in bulk like
the households (``bulk_seed.insert``); each bench citizen books each agenda once at most,
as ``one_future_per_person`` wants. Seeded once: when the agendas exist, nothing is added.
"""

import hashlib
import random
from datetime import time, timedelta

from django.utils import timezone

from accounts.models import User
from appointments import slots
from appointments.models import Agenda, ApplicationNumber, Booking, OpeningHours, Place, SlotCounter
from demo.bulk_seed import IDENTIFIER_RE, SEED, insert, reserve_ids

AGENDAS = 4
DESKS = 4
SLOT_MINUTES = 20
WEEKS = 16
BOOKED_DAYS = 92  # the three months the national search asks for
FILL = 0.5  # share of the desks' slots booked
SLUG = "banc-titres-{}"
HOURS = [(day, opens, closes) for day in range(6) for opens, closes in ((9, 12), (14, 17))]


def slug_of(index: int) -> str:
    return SLUG.format(index)


def bench_agendas():
    return Agenda.objects.filter(slug__in=[slug_of(i) for i in range(AGENDAS)]).order_by("slug")


def seed() -> int:
    """Create the four agendas and their bookings unless they exist; the bookings added."""
    if bench_agendas().exists():
        return 0
    for index in range(AGENDAS):
        agenda_create(index)
    now = timezone.now()
    first = timezone.localdate(now) + timedelta(days=2)
    citizens = list(
        User.objects.filter(identifier__regex=IDENTIFIER_RE)
        .order_by("identifier")
        .values_list("pk", "first_name", "last_name", "email")
    )
    rng = random.Random(SEED)
    bookings, numbers, counters = [], [], []
    for agenda in slots.with_calendar(bench_agendas()):
        starts = [
            start
            for day in slots.agenda_days(
                agenda, first=first, last=first + timedelta(days=BOOKED_DAYS), now=now
            )
            for start in day.starts
        ]
        holders = iter(rng.sample(citizens, len(citizens)))
        for start in starts:
            taken = 0
            for _desk in range(DESKS):
                if rng.random() >= FILL or (holder := next(holders, None)) is None:
                    continue
                taken += 1
                bookings.append(booking_row(agenda, start, holder, now, len(bookings)))
            if taken:
                counters.append({"agenda_id": agenda.pk, "starts_at": start, "taken": taken})
    ids = reserve_ids(Booking, len(bookings))
    for row, pk in zip(bookings, ids, strict=True):
        row["id"] = pk
        numbers.append({"booking_id": pk, "number": f"BANC{pk % 10**6:06d}"})
    insert(Booking, bookings, now=now)
    insert(ApplicationNumber, numbers, now=now)
    insert(SlotCounter, counters, now=now)
    return len(bookings)


def agenda_create(index: int) -> Agenda:
    place = Place.objects.create(
        name=f"Mairie de quartier n° {index + 1} (banc d'essai)",
        address=f"{index + 1} place du Marché",
        postal_code="99999",
        city="Villeneuve-sur-Example",
        latitude="48.856613",
        longitude="2.352222",
    )
    agenda = Agenda.objects.create(
        title="Passeport et carte d'identité",
        slug=slug_of(index),
        place=place,
        kind=Agenda.Kind.IDENTITY,
        slot_minutes=SLOT_MINUTES,
        desks=DESKS,
        min_notice_hours=24,
        max_weeks=WEEKS,
        cancel_notice_hours=24,
        published=True,
        order=100 + index,
    )
    OpeningHours.objects.bulk_create(
        OpeningHours(agenda=agenda, weekday=day, opens_at=time(opens), closes_at=time(closes))
        for day, opens, closes in HOURS
    )
    return agenda


def booking_row(agenda: Agenda, start, holder: tuple, now, n: int) -> dict:
    pk, first_name, last_name, email = holder
    return {
        "agenda_id": agenda.pk,
        "starts_at": start,
        "ends_at": start + agenda.slot_length,
        "slot_count": 1,
        "people": 1,
        "state": str(Booking.State.BOOKED),
        "account_id": pk,
        "first_name": first_name,
        "last_name": last_name,
        "email": email,
        "phone": "",
        # A hash of nothing anyone holds: these bookings are managed from no link.
        "token_hash": hashlib.sha256(f"banc-{agenda.pk}-{n}-{start}".encode()).hexdigest(),
        "created_at": now - timedelta(days=1),
    }
