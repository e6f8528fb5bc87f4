"""Twenty citizens on the same slot at the same instant, through the real page, on
PostgreSQL (SQLite serialises writers anyway): exactly as many bookings as free desks,
the others get « Ce créneau vient d'être réservé » with the next free slots."""

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from appointments import services
from appointments.models import Booking, SlotCounter
from tests.appointments import factories
from tests.appointments.conftest import paris
from tests.transactions import require_postgresql, run_together

pytestmark = pytest.mark.django_db(transaction=True)

CITIZENS = 20
SLOT = paris(2026, 3, 24, 9)


@pytest.mark.parametrize(("desks", "already"), [(4, 3), (4, 0), (1, 0)])
def test_twenty_citizens_on_the_last_places_of_a_slot_book_exactly_the_free_desks(
    settings, desks, already
):
    require_postgresql()
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with time_machine.travel(paris(2026, 3, 20, 10), tick=True):
        agenda = factories.agenda(desks=desks)
        for n in range(already):
            services.booking_create(
                agenda=agenda,
                starts_at=SLOT,
                contact=services.Contact("Déjà", "INSCRIT", f"deja{n}@example.org"),
            )
        url = reverse("appointments:book", args=[agenda.slug]) + "?debut=2026-03-24T08:00Z"
        answers: list[tuple[int, str]] = []

        def citizen(n):
            def book():
                response = Client().post(
                    url,
                    {
                        "first_name": "Léa",
                        "last_name": "Citoyenne",
                        "email": f"citoyenne{n}@example.org",
                        "captcha_0": "x",
                        "captcha_1": "PASSED",
                    },
                )
                answers.append((response.status_code, response.content.decode()))

            return book

        errors = run_together(*[citizen(n) for n in range(CITIZENS)], timeout=120)

    assert errors == []
    free = desks - already
    booked = [page for status, page in answers if status == 302]
    refused = [page for status, page in answers if status == 409]
    assert (len(booked), len(refused)) == (free, CITIZENS - free)
    assert all("Ce créneau vient d'être réservé" in page for page in refused)
    assert all("mardi 24 mars 2026 à 9 h 15" in page for page in refused)  # The next one.
    assert Booking.objects.filter(agenda=agenda, starts_at=SLOT).count() == desks
    assert SlotCounter.objects.get(agenda=agenda, starts_at=SLOT).taken == desks
